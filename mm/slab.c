/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slab.c - the SLAB allocator (mm/slab.c of Linux 6.1, before its removal).
 *
 * Every cache has, per CPU, a small LIFO of free objects (struct
 * array_cache: avail, limit, batchcount, touched, entry[]).  kmem_cache_alloc
 * pops from it (____cache_alloc); when it is empty, cache_alloc_refill()
 * moves batchcount objects into it from the node's shared array or from the
 * node's slabs (slabs_partial, then slabs_free), growing the cache by one
 * slab (cache_grow_begin/end) when the node has no free object.  A free
 * pushes onto the array (___cache_free); a full array gives batchcount
 * objects back (cache_flusharray) to the shared array or to their slabs
 * (free_block).  Objects of another node go to an alien cache first.
 *
 * A slab is one page block: [colour][objects ...][freelist] where the
 * freelist is an array of freelist_idx_t object indexes (slab->freelist
 * points at it).  It lives at the end of the slab (on-slab), in a kmalloc'ed
 * block (OFF_SLAB), or inside the last free object (OBJFREELIST_SLAB).
 * slab->inuse holds the kernel's slab->active; s_mem (the first object) is
 * kept as its offset from the slab address in the upper half of
 * slab->counters (MMFS: the kernel's s_mem word overlays page->private, the
 * same word; active overlays _mapcount, which mmfs keeps at -1).
 *
 * Lock order:
 *   slab_mutex
 *     cpu_array.lock          (MMFS: the kernel's irq-off section; host
 *                              threads share simulated CPUs)
 *       alien_cache.lock
 *         kmem_list3.list_lock (the node's lists and shared array)
 *           zone->lock        (page allocator)
 *   A slab of cache A may call kmalloc/kfree on the (smaller, on-slab)
 *   kmalloc cache holding its off-slab freelist while A's cpu lock is held.
 *
 * MMFS departures: per-cpu arrays, node structures and alien caches are
 * host memory (malloc), not kmalloc'ed, so every cache gets its final
 * tunables at creation (the kernel's kmem_cache_init_late); debug (red zone,
 * poison, store user) is per cache, from its flags or slub_debug=, not a
 * build option (CONFIG_DEBUG_SLAB's limit cap of 32 applies to those caches
 * only, and poisoned caches do not use OBJFREELIST_SLAB); SLAB_TYPESAFE_BY_RCU
 * slabs are freed at once; a bad slabinfo write is -EINVAL (the kernel
 * ignored it); cache_reap drains every alien cache of the node each pass and
 * runs as one thread for all CPUs (mmfs_slab_reap_start); fallback_alloc
 * walks nodes in id order instead of the zonelist.
 */
#include "slab_internal.h"
#include "internal.h"
#include "trace.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- tunables */
#define BYTES_PER_WORD		sizeof(void *)
#define REDZONE_ALIGN		max(BYTES_PER_WORD, __alignof__(unsigned long long))
/* 6.1 x86-64: KMALLOC_MIN_SIZE is 32 with SLAB, so SLAB_OBJ_MIN_SIZE is 16
 * and (PAGE_SIZE >> 8) <= 16 makes the freelist index a byte. */
#define SLAB_OBJ_MIN_SIZE	16
typedef unsigned char freelist_idx_t;
#define SLAB_OBJ_MAX_NUM	((1 << sizeof(freelist_idx_t) * 8) - 1)
#define KMALLOC_MAX_ORDER	(KMALLOC_SHIFT_MAX - PAGE_SHIFT)

#define CFLGS_OBJFREELIST_SLAB	0x40000000U
#define CFLGS_OFF_SLAB		0x80000000U

#define BOOT_CPUCACHE_ENTRIES	1
#define BATCHREFILL_LIMIT	16
#define REAPTIMEOUT_AC		(2 * HZ)
#define REAPTIMEOUT_NODE	(4 * HZ)
#define SLAB_MAX_ORDER_HI	1
#define SLAB_MAX_ORDER_LO	0

#define RED_INACTIVE		0x09F911029D74E35BULL	/* when obj is inactive */
#define RED_ACTIVE		0xD84156C5635688C0ULL	/* when obj is active */

static int slab_max_order = SLAB_MAX_ORDER_LO;
static int use_alien_caches = 1;

/* --------------------------------------------------------------- structures */
struct array_cache {
	unsigned int avail;
	unsigned int limit;
	unsigned int batchcount;
	unsigned int touched;
	void *entry[];
};

/* MMFS: one slot per simulated CPU: the lock stands for local_irq_save. */
struct cpu_array {
	spinlock_t lock;
	struct array_cache *ac;
	unsigned long allochit, allocmiss, freehit, freemiss;	/* STATS cpustat */
} ____cacheline_aligned;

struct alien_cache {
	spinlock_t lock;
	struct array_cache ac;		/* last: entry[] follows */
};

/*
 * The SLAB kmem_cache_node (called kmem_list3 until 3.10; the name
 * kmem_cache_node is SLUB's in slab_internal.h).
 */
struct kmem_list3 {
	spinlock_t list_lock;
	struct list_head slabs_partial;	/* partial list first, better asm code */
	struct list_head slabs_full;
	struct list_head slabs_free;
	unsigned long total_slabs;	/* length of all slab lists */
	unsigned long free_slabs;	/* length of free slab list only */
	unsigned long free_objects;
	unsigned int free_limit;
	unsigned int colour_next;	/* Per-node cache coloring */
	struct array_cache *shared;	/* shared per node */
	struct alien_cache **alien;	/* on other nodes */
	unsigned long next_reap;	/* updated without locking */
	int free_touched;		/* updated without locking */
};

struct reciprocal_value { uint32_t m; uint8_t sh1, sh2; };

/* The SLAB part of 6.1's struct kmem_cache (s->allocator_private). */
struct slab_cache {
	struct cpu_array *cpu_cache;	/* [nr_cpu_ids] */
	unsigned int batchcount;
	unsigned int limit;
	unsigned int shared;
	struct reciprocal_value reciprocal_buffer_size;
	slab_flags_t cflags;		/* CFLGS_OFF_SLAB, CFLGS_OBJFREELIST_SLAB */
	unsigned int num;		/* objects per slab */
	unsigned int gfporder;
	gfp_t allocflags;
	size_t colour;			/* cache colouring range */
	unsigned int colour_off;	/* colour offset */
	unsigned int freelist_size;
	int obj_offset;			/* debug: start of the user object in the slot */
	unsigned long grown, reaped, node_allocs, node_frees, node_overflow;
	struct kmem_list3 *node[MAX_NUMNODES];
};

static inline struct slab_cache *sc(const struct kmem_cache *s)
{
	return (struct slab_cache *)s->allocator_private;
}

static inline struct kmem_list3 *get_node(struct kmem_cache *s, int node)
{
	return sc(s)->node[node];
}

#define OFF_SLAB(c)		(sc(c)->cflags & CFLGS_OFF_SLAB)
#define OBJFREELIST_SLAB(c)	(sc(c)->cflags & CFLGS_OBJFREELIST_SLAB)

static inline bool slab_debug(const struct kmem_cache *s)
{
	return s->flags & (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER);
}

/* ------------------------------------------------------- reciprocal divide */
static struct reciprocal_value reciprocal_value(uint32_t d)
{
	struct reciprocal_value R;
	uint64_t m;
	int l;

	l = fls(d - 1);
	m = ((1ULL << 32) * ((1ULL << l) - d));
	m /= d;
	++m;
	R.m = (uint32_t)m;
	R.sh1 = (uint8_t)min(l, 1);
	R.sh2 = (uint8_t)max(l - 1, 0);
	return R;
}

static inline uint32_t reciprocal_divide(uint32_t a, struct reciprocal_value R)
{
	uint32_t t = (uint32_t)(((uint64_t)a * R.m) >> 32);

	return (t + ((a - t) >> R.sh1)) >> R.sh2;
}

/* ------------------------------------------------------------ slab helpers */
static inline unsigned int slab_active(const struct slab *slab) { return slab->inuse; }

static inline void *slab_s_mem(const struct slab *slab)
{
	return (char *)slab_address(slab) + (unsigned int)(slab->counters >> 32);
}

static inline void *index_to_obj(struct kmem_cache *cache, const struct slab *slab,
				 unsigned int idx)
{
	return (char *)slab_s_mem(slab) + cache->size * idx;
}

static inline unsigned int obj_to_index(const struct kmem_cache *cache, const struct slab *slab,
					void *obj)
{
	uint32_t offset = (uint32_t)((char *)obj - (char *)slab_s_mem(slab));

	return reciprocal_divide(offset, sc(cache)->reciprocal_buffer_size);
}

static inline freelist_idx_t get_free_obj(const struct slab *slab, unsigned int idx)
{
	return ((freelist_idx_t *)slab->freelist)[idx];
}

static inline void set_free_obj(struct slab *slab, unsigned int idx, freelist_idx_t val)
{
	((freelist_idx_t *)slab->freelist)[idx] = val;
}

static inline struct slab *obj_slab(const void *obj)
{
	return page_slab(compound_head(virt_to_page(obj)));
}

static inline int cpu_node(int cpu)
{
	return cpu_to_node(cpu);
}

/* ------------------------------------------------------------------- debug */
static inline unsigned long long *dbg_redzone1(struct kmem_cache *cachep, void *objp)
{
	return (unsigned long long *)((char *)objp + sc(cachep)->obj_offset -
				      sizeof(unsigned long long));
}

static inline unsigned long long *dbg_redzone2(struct kmem_cache *cachep, void *objp)
{
	if (cachep->flags & SLAB_STORE_USER)
		return (unsigned long long *)((char *)objp + cachep->size -
					      sizeof(unsigned long long) - REDZONE_ALIGN);
	return (unsigned long long *)((char *)objp + cachep->size - sizeof(unsigned long long));
}

static inline void **dbg_userword(struct kmem_cache *cachep, void *objp)
{
	return (void **)((char *)objp + cachep->size - BYTES_PER_WORD);
}

static void poison_obj(struct kmem_cache *cachep, void *addr, unsigned char val)
{
	unsigned int size = cachep->object_size;
	char *p = (char *)addr + sc(cachep)->obj_offset;

	memset(p, val, size);
	p[size - 1] = (char)POISON_END;
}

/* The first byte of the object that breaks the POISON_FREE pattern, or -1. */
static int poison_bad_offset(struct kmem_cache *cachep, void *objp)
{
	const unsigned char *realobj = (unsigned char *)objp + sc(cachep)->obj_offset;
	unsigned int size = cachep->object_size;

	for (unsigned int i = 0; i < size; i++) {
		unsigned char exp = i == size - 1 ? POISON_END : POISON_FREE;

		if (realobj[i] != exp)
			return (int)i;
	}
	return -1;
}

static void slab_error(struct kmem_cache *cachep, const char *function, const char *msg)
{
	printk("slab error in %s(): cache `%s': %s", function, cachep->name, msg);
}

static void check_poison_obj(struct kmem_cache *cachep, void *objp)
{
	int i = poison_bad_offset(cachep, objp);

	if (i < 0)
		return;
	printk("Slab corruption (Not tainted): %s start=0x%lx, len=%u", cachep->name,
	       mmfs_kaddr((char *)objp + sc(cachep)->obj_offset), cachep->object_size);
	printk("%03x: first bad byte 0x%02x", i & ~15,
	       ((unsigned char *)objp + sc(cachep)->obj_offset)[i]);
}

/* ------------------------------------------------------- page level */
/* kmem_getpages: a slab's pages, PG_slab set, owner slab. */
static struct slab *kmem_getpages(struct kmem_cache *cachep, gfp_t flags, int nodeid)
{
	struct slab_cache *c = sc(cachep);
	struct page *page;

	flags |= c->allocflags;
	flags &= ~__GFP_ZERO;
	if (nodeid == NUMA_NO_NODE)
		page = alloc_pages(flags, c->gfporder);
	else
		page = alloc_pages_node(nodeid, flags, c->gfporder);
	if (!page)
		return NULL;
	if (!page_address(page)) {	/* highmem cannot hold slabs */
		__free_pages(page, c->gfporder);
		return NULL;
	}
	account_slab(page_slab(page), (int)c->gfporder, cachep);
	__SetPageSlab(page);
	mmfs_set_owner(page, MMFS_OWNER_SLAB, 0);
	return page_slab(page);
}

static void kmem_freepages(struct kmem_cache *cachep, struct slab *slab)
{
	struct page *page = slab_page(slab);
	unsigned int order = sc(cachep)->gfporder;

	BUG_ON(!PageSlab(page));
	__ClearPageSlab(page);
	__ClearPageActive(page);	/* PG_active: the kernel's slab pfmemalloc bit */
	slab->slab_cache = NULL;
	slab->freelist = NULL;
	slab->counters = 0;
	INIT_LIST_HEAD(&slab->slab_list);
	unaccount_slab(slab, (int)order, cachep);
	__free_pages(page, order);
}

static void slab_destroy_debugcheck(struct kmem_cache *cachep, struct slab *slab)
{
	for (unsigned int i = 0; i < sc(cachep)->num; i++) {
		void *objp = index_to_obj(cachep, slab, i);

		if (cachep->flags & SLAB_POISON)
			check_poison_obj(cachep, objp);
		if (cachep->flags & SLAB_RED_ZONE) {
			if (*dbg_redzone1(cachep, objp) != RED_INACTIVE)
				slab_error(cachep, "slab_destroy_debugcheck",
					   "start of a freed object was overwritten");
			if (*dbg_redzone2(cachep, objp) != RED_INACTIVE)
				slab_error(cachep, "slab_destroy_debugcheck",
					   "end of a freed object was overwritten");
		}
	}
}

/* Destroy and release all objects in a slab (unlinked from the cache). */
static void slab_destroy(struct kmem_cache *cachep, struct slab *slab)
{
	void *freelist = slab->freelist;

	if (slab_debug(cachep))
		slab_destroy_debugcheck(cachep, slab);
	kmem_freepages(cachep, slab);
	/* MMFS: SLAB_TYPESAFE_BY_RCU slabs are freed at once (no grace period) */
	if (OFF_SLAB(cachep))
		kfree(freelist);
}

static void slabs_destroy(struct kmem_cache *cachep, struct list_head *list)
{
	struct slab *slab, *n;

	list_for_each_entry_safe(slab, n, list, slab_list) {
		list_del(&slab->slab_list);
		slab_destroy(cachep, slab);
	}
}

/* ----------------------------------------------------------- array caches */
static void init_arraycache(struct array_cache *ac, int limit, int batch)
{
	if (ac) {
		ac->avail = 0;
		ac->limit = (unsigned int)limit;
		ac->batchcount = (unsigned int)batch;
		ac->touched = 0;
	}
}

static struct array_cache *alloc_arraycache(int node, int entries, int batchcount, gfp_t gfp)
{
	size_t memsize = sizeof(void *) * (size_t)entries + sizeof(struct array_cache);
	struct array_cache *ac = malloc(memsize);	/* MMFS: host memory, not kmalloc_node */

	init_arraycache(ac, entries, batchcount);
	return ac;
}

/* Transfer objects in one arraycache to another (caller locks). */
static int transfer_objects(struct array_cache *to, struct array_cache *from, unsigned int max)
{
	unsigned int nr = min(min(from->avail, max), to->limit - to->avail);

	if (!nr)
		return 0;
	memcpy(to->entry + to->avail, from->entry + from->avail - nr, sizeof(void *) * nr);
	from->avail -= nr;
	to->avail += nr;
	return (int)nr;
}

static __always_inline void __free_one(struct array_cache *ac, void *objp)
{
	/* Avoid trivial double-free (CONFIG_SLAB_FREELIST_HARDENED). */
	if (unlikely(ac->avail > 0 && ac->entry[ac->avail - 1] == objp)) {
		WARN_ON_ONCE(1);
		return;
	}
	ac->entry[ac->avail++] = objp;
}

static void free_block(struct kmem_cache *cachep, void **objpp, int nr_objects, int node,
		       struct list_head *list);

/* ------------------------------------------------------------ alien caches */
static struct alien_cache *__alloc_alien_cache(int node, int entries, int batch, gfp_t gfp)
{
	size_t memsize = sizeof(void *) * (size_t)entries + sizeof(struct alien_cache);
	struct alien_cache *alc = malloc(memsize);

	if (alc) {
		init_arraycache(&alc->ac, entries, batch);
		spin_lock_init(&alc->lock);
	}
	return alc;
}

static struct alien_cache **alloc_alien_cache(int node, int limit, gfp_t gfp)
{
	struct alien_cache **alc_ptr;
	int i;

	if (limit > 1)
		limit = 12;
	alc_ptr = calloc((size_t)nr_node_ids, sizeof(void *));
	if (!alc_ptr)
		return NULL;
	for_each_online_node(i) {
		if (i == node)
			continue;
		alc_ptr[i] = __alloc_alien_cache(node, limit, 0xbaadf00d, gfp);
		if (!alc_ptr[i]) {
			for (i--; i >= 0; i--)
				free(alc_ptr[i]);
			free(alc_ptr);
			return NULL;
		}
	}
	return alc_ptr;
}

static void free_alien_cache(struct alien_cache **alc_ptr)
{
	int i;

	if (!alc_ptr)
		return;
	for_each_online_node(i)
		free(alc_ptr[i]);
	free(alc_ptr);
}

static void __drain_alien_cache(struct kmem_cache *cachep, struct array_cache *ac, int node,
				struct list_head *list)
{
	struct kmem_list3 *n = get_node(cachep, node);

	if (ac->avail) {
		spin_lock(&n->list_lock);
		/* Stuff objects into the remote nodes shared array first. */
		if (n->shared)
			transfer_objects(n->shared, ac, ac->limit);
		free_block(cachep, ac->entry, (int)ac->avail, node, list);
		ac->avail = 0;
		spin_unlock(&n->list_lock);
	}
}

/* Called from cache_reap() to drain the alien caches (MMFS: every node each time). */
static void reap_alien(struct kmem_cache *cachep, struct kmem_list3 *n)
{
	int node;

	if (!n->alien)
		return;
	for_each_online_node(node) {
		struct alien_cache *alc = n->alien[node];

		if (alc && alc->ac.avail && spin_trylock(&alc->lock)) {
			LIST_HEAD(list);

			__drain_alien_cache(cachep, &alc->ac, node, &list);
			spin_unlock(&alc->lock);
			slabs_destroy(cachep, &list);
		}
	}
}

static void drain_alien_cache(struct kmem_cache *cachep, struct alien_cache **alien)
{
	int i;

	for_each_online_node(i) {
		struct alien_cache *alc = alien[i];

		if (alc) {
			LIST_HEAD(list);

			spin_lock(&alc->lock);
			__drain_alien_cache(cachep, &alc->ac, i, &list);
			spin_unlock(&alc->lock);
			slabs_destroy(cachep, &list);
		}
	}
}

static int __cache_free_alien(struct kmem_cache *cachep, void *objp, int node, int slab_node)
{
	struct kmem_list3 *n = get_node(cachep, node);
	struct alien_cache *alien;
	LIST_HEAD(list);

	sc(cachep)->node_frees++;
	if (n->alien && n->alien[slab_node]) {
		struct array_cache *ac;

		alien = n->alien[slab_node];
		ac = &alien->ac;
		spin_lock(&alien->lock);
		if (unlikely(ac->avail == ac->limit)) {
			sc(cachep)->node_overflow++;
			__drain_alien_cache(cachep, ac, slab_node, &list);
		}
		__free_one(ac, objp);
		spin_unlock(&alien->lock);
		slabs_destroy(cachep, &list);
	} else {
		n = get_node(cachep, slab_node);
		spin_lock(&n->list_lock);
		free_block(cachep, &objp, 1, slab_node, &list);
		spin_unlock(&n->list_lock);
		slabs_destroy(cachep, &list);
	}
	return 1;
}

static inline int cache_free_alien(struct kmem_cache *cachep, struct slab *slab, void *objp,
				   int node)
{
	int slab_node = slab_nid(slab);

	/* Make sure we are not freeing an object from another node to the array cache. */
	if (likely(node == slab_node))
		return 0;
	return __cache_free_alien(cachep, objp, node, slab_node);
}

static inline gfp_t gfp_exact_node(gfp_t flags)
{
	return (flags | __GFP_THISNODE | __GFP_NOWARN) & ~(__GFP_RECLAIM | __GFP_NOFAIL);
}

/* ------------------------------------------------------------ node setup */
static void kmem_cache_node_init(struct kmem_list3 *parent)
{
	INIT_LIST_HEAD(&parent->slabs_full);
	INIT_LIST_HEAD(&parent->slabs_partial);
	INIT_LIST_HEAD(&parent->slabs_free);
	parent->total_slabs = parent->free_slabs = 0;
	parent->shared = NULL;
	parent->alien = NULL;
	parent->colour_next = 0;
	spin_lock_init(&parent->list_lock);
	parent->free_objects = 0;
	parent->free_touched = 0;
}

static int init_cache_node(struct kmem_cache *cachep, int node, gfp_t gfp)
{
	struct slab_cache *c = sc(cachep);
	struct kmem_list3 *n = get_node(cachep, node);

	if (n) {
		spin_lock(&n->list_lock);
		n->free_limit = (1 + nr_cpus_node(node)) * c->batchcount + c->num;
		spin_unlock(&n->list_lock);
		return 0;
	}
	n = malloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	kmem_cache_node_init(n);
	n->next_reap = atomic_load_explicit(&jiffies, memory_order_relaxed) + REAPTIMEOUT_NODE +
		       ((unsigned long)cachep) % REAPTIMEOUT_NODE;
	n->free_limit = (1 + nr_cpus_node(node)) * c->batchcount + c->num;
	c->node[node] = n;
	return 0;
}

static int setup_kmem_cache_node(struct kmem_cache *cachep, int node, gfp_t gfp, bool force_change)
{
	struct slab_cache *c = sc(cachep);
	struct array_cache *old_shared = NULL, *new_shared = NULL;
	struct alien_cache **new_alien = NULL;
	struct kmem_list3 *n;
	LIST_HEAD(list);
	int ret = -ENOMEM;

	if (use_alien_caches) {
		new_alien = alloc_alien_cache(node, (int)c->limit, gfp);
		if (!new_alien)
			goto fail;
	}
	if (c->shared) {
		new_shared = alloc_arraycache(node, (int)(c->shared * c->batchcount), 0xbaadf00d, gfp);
		if (!new_shared)
			goto fail;
	}
	ret = init_cache_node(cachep, node, gfp);
	if (ret)
		goto fail;
	n = get_node(cachep, node);
	spin_lock(&n->list_lock);
	if (n->shared && force_change) {
		free_block(cachep, n->shared->entry, (int)n->shared->avail, node, &list);
		n->shared->avail = 0;
	}
	if (!n->shared || force_change) {
		old_shared = n->shared;
		n->shared = new_shared;
		new_shared = NULL;
	}
	if (!n->alien) {
		n->alien = new_alien;
		new_alien = NULL;
	}
	spin_unlock(&n->list_lock);
	slabs_destroy(cachep, &list);
	/* MMFS: readers only look at n->shared under list_lock: no RCU wait */
fail:
	free(old_shared);
	free(new_shared);
	free_alien_cache(new_alien);
	return ret;
}

static int setup_kmem_cache_nodes(struct kmem_cache *cachep, gfp_t gfp)
{
	int node, ret;

	for_each_online_node(node) {
		ret = setup_kmem_cache_node(cachep, node, gfp, true);
		if (ret)
			return ret;
	}
	return 0;
}

/* --------------------------------------------------------- the slab itself */
static size_t cache_estimate(unsigned long gfporder, size_t buffer_size, slab_flags_t flags,
			     size_t *left_over)
{
	unsigned int num;
	size_t slab_size = PAGE_SIZE << gfporder;

	/*
	 * On-slab: one freelist_idx_t per object at the end of the slab, no
	 * alignment needed there.  Off-slab or in an object: objects only.
	 */
	if (flags & (CFLGS_OBJFREELIST_SLAB | CFLGS_OFF_SLAB)) {
		num = (unsigned int)(slab_size / buffer_size);
		*left_over = slab_size % buffer_size;
	} else {
		num = (unsigned int)(slab_size / (buffer_size + sizeof(freelist_idx_t)));
		*left_over = slab_size % (buffer_size + sizeof(freelist_idx_t));
	}
	return num;
}

/**
 * calculate_slab_order - the page order and objects per slab of a cache
 * @cachep: the cache (num and gfporder are set)
 * @size: slot size
 * @flags: cache flags plus the CFLGS_* layout being tried
 *
 * Return: left-over bytes in a slab.
 */
static size_t calculate_slab_order(struct kmem_cache *cachep, size_t size, slab_flags_t flags)
{
	struct slab_cache *c = sc(cachep);
	size_t left_over = 0;
	int gfporder;

	for (gfporder = 0; gfporder <= KMALLOC_MAX_ORDER; gfporder++) {
		unsigned int num;
		size_t remainder;

		num = (unsigned int)cache_estimate((unsigned long)gfporder, size, flags, &remainder);
		if (!num)
			continue;
		/* Can't handle number of objects more than SLAB_OBJ_MAX_NUM */
		if (num > SLAB_OBJ_MAX_NUM)
			break;
		if (flags & CFLGS_OFF_SLAB) {
			struct kmem_cache *freelist_cache;
			size_t freelist_size = num * sizeof(freelist_idx_t);
			size_t freelist_cache_size;

			if (freelist_size > KMALLOC_MAX_CACHE_SIZE) {
				freelist_cache_size = PAGE_SIZE << get_order(freelist_size);
			} else {
				freelist_cache = kmalloc_slab(freelist_size, 0u);
				if (ZERO_OR_NULL_PTR(freelist_cache) || !sc(freelist_cache))
					continue;
				freelist_cache_size = freelist_cache->size;
				/* Needed to avoid possible looping condition in cache_grow_begin() */
				if (OFF_SLAB(freelist_cache))
					continue;
			}
			/* check if off slab has enough benefit */
			if (freelist_cache_size > cachep->size / 2)
				continue;
		}
		/* Found something acceptable - save it away */
		c->num = num;
		c->gfporder = (unsigned int)gfporder;
		left_over = remainder;
		/* VFS-reclaimable slabs stay small */
		if (flags & SLAB_RECLAIM_ACCOUNT)
			break;
		/* Large number of objects is good, but very large slabs are bad for the gfp()s. */
		if (gfporder >= slab_max_order)
			break;
		/* Acceptable internal fragmentation? */
		if (left_over * 8 <= (PAGE_SIZE << gfporder))
			break;
	}
	return left_over;
}

static bool set_objfreelist_slab_cache(struct kmem_cache *cachep, size_t size, slab_flags_t flags)
{
	struct slab_cache *c = sc(cachep);
	size_t left;

	c->num = 0;
	/* With init_on_free the freelist must not end up inside an object. */
	if (unlikely(slab_want_init_on_free(cachep)))
		return false;
	if (cachep->ctor || flags & SLAB_TYPESAFE_BY_RCU)
		return false;
	/* MMFS: poisoned caches keep their freelist out of the objects (the
	 * kernel re-poisons through fixup_objfreelist_debug instead) */
	if (flags & SLAB_POISON)
		return false;
	left = calculate_slab_order(cachep, size, flags | CFLGS_OBJFREELIST_SLAB);
	if (!c->num)
		return false;
	if (c->num * sizeof(freelist_idx_t) > cachep->object_size)
		return false;
	c->colour = left / c->colour_off;
	return true;
}

static bool set_off_slab_cache(struct kmem_cache *cachep, size_t size, slab_flags_t flags)
{
	struct slab_cache *c = sc(cachep);
	size_t left;

	c->num = 0;
	/* Always use on-slab management when SLAB_NOLEAKTRACE */
	if (flags & SLAB_NOLEAKTRACE)
		return false;
	left = calculate_slab_order(cachep, size, flags | CFLGS_OFF_SLAB);
	if (!c->num)
		return false;
	/* Enough room left over: keep it on-slab, at the expense of colouring. */
	if (left >= c->num * sizeof(freelist_idx_t))
		return false;
	c->colour = left / c->colour_off;
	return true;
}

static bool set_on_slab_cache(struct kmem_cache *cachep, size_t size, slab_flags_t flags)
{
	struct slab_cache *c = sc(cachep);
	size_t left;

	c->num = 0;
	left = calculate_slab_order(cachep, size, flags);
	if (!c->num)
		return false;
	c->colour = left / c->colour_off;
	return true;
}

/* ----------------------------------------------------- freelist shuffling */
#ifdef CONFIG_SLAB_FREELIST_RANDOM
/* cache_random_seq_create() is slab_common.c's, shared with SLUB */
static bool shuffle_freelist(struct kmem_cache *cachep, struct slab *slab)
{
	unsigned int objfreelist = 0, i, count = sc(cachep)->num, pos;
	unsigned int *list = cachep->random_seq;

	if (count < 2 || !list)
		return false;
	pos = slab_get_random_u32_below(count);
	/* Take a random entry as the objfreelist */
	if (OBJFREELIST_SLAB(cachep)) {
		objfreelist = list[pos];
		pos = pos + 1 >= count ? 0 : pos + 1;
		slab->freelist = (char *)index_to_obj(cachep, slab, objfreelist) +
				 sc(cachep)->obj_offset;
		count--;
	}
	for (i = 0; i < count; i++) {
		set_free_obj(slab, i, (freelist_idx_t)list[pos]);
		pos = pos + 1 >= sc(cachep)->num ? 0 : pos + 1;
	}
	if (OBJFREELIST_SLAB(cachep))
		set_free_obj(slab, sc(cachep)->num - 1, (freelist_idx_t)objfreelist);
	return true;
}
#else
static inline bool shuffle_freelist(struct kmem_cache *cachep, struct slab *slab) { return false; }
#endif

static void cache_init_objs_debug(struct kmem_cache *cachep, struct slab *slab)
{
	for (unsigned int i = 0; i < sc(cachep)->num; i++) {
		void *objp = index_to_obj(cachep, slab, i);

		if (cachep->flags & SLAB_STORE_USER)
			*dbg_userword(cachep, objp) = NULL;
		if (cachep->flags & SLAB_RED_ZONE) {
			*dbg_redzone1(cachep, objp) = RED_INACTIVE;
			*dbg_redzone2(cachep, objp) = RED_INACTIVE;
		}
		if (cachep->ctor && !(cachep->flags & SLAB_POISON))
			cachep->ctor((char *)objp + sc(cachep)->obj_offset);
		if (cachep->flags & SLAB_RED_ZONE) {
			if (*dbg_redzone2(cachep, objp) != RED_INACTIVE)
				slab_error(cachep, "cache_init_objs_debug",
					   "constructor overwrote the end of an object");
			if (*dbg_redzone1(cachep, objp) != RED_INACTIVE)
				slab_error(cachep, "cache_init_objs_debug",
					   "constructor overwrote the start of an object");
		}
		if (cachep->flags & SLAB_POISON)
			poison_obj(cachep, objp, POISON_FREE);
	}
}

static void cache_init_objs(struct kmem_cache *cachep, struct slab *slab)
{
	bool shuffled;

	if (slab_debug(cachep))
		cache_init_objs_debug(cachep, slab);
	shuffled = shuffle_freelist(cachep, slab);
	if (!shuffled && OBJFREELIST_SLAB(cachep))
		slab->freelist = (char *)index_to_obj(cachep, slab, sc(cachep)->num - 1) +
				 sc(cachep)->obj_offset;
	for (unsigned int i = 0; i < sc(cachep)->num; i++) {
		if (!slab_debug(cachep) && cachep->ctor)
			cachep->ctor(index_to_obj(cachep, slab, i));
		if (!shuffled)
			set_free_obj(slab, i, (freelist_idx_t)i);
	}
}

static __always_inline void *slab_get_obj(struct kmem_cache *cachep, struct slab *slab)
{
	void *objp = index_to_obj(cachep, slab, get_free_obj(slab, slab_active(slab)));

	slab->inuse++;
	return objp;
}

static void slab_put_obj(struct kmem_cache *cachep, struct slab *slab, void *objp)
{
	unsigned int objnr = obj_to_index(cachep, slab, objp);

	if (slab_debug(cachep)) {
		/* Verify double free bug */
		for (unsigned int i = slab_active(slab); i < sc(cachep)->num; i++) {
			if (get_free_obj(slab, i) == objnr) {
				printk("slab: double free detected in cache '%s', objp 0x%lx",
				       cachep->name, mmfs_kaddr(objp));
				return;
			}
		}
	}
	slab->inuse--;
	if (!slab->freelist)
		slab->freelist = (char *)objp + sc(cachep)->obj_offset;
	set_free_obj(slab, slab_active(slab), (freelist_idx_t)objnr);
}

/* Get the memory for a slab management obj (the freelist). */
static void *alloc_slabmgmt(struct kmem_cache *cachep, struct slab *slab, int colour_off,
			    gfp_t local_flags, int nodeid)
{
	struct slab_cache *c = sc(cachep);
	void *addr = slab_address(slab);

	slab->counters = (unsigned long)(unsigned int)colour_off << 32;	/* s_mem, active = 0 */
	slab->objects = c->num & 0x7fff;
	if (OBJFREELIST_SLAB(cachep))
		return NULL;
	if (OFF_SLAB(cachep))	/* Slab management obj is off-slab. */
		return kmalloc_node(c->freelist_size, local_flags, nodeid);
	/* We will use last bytes at the slab for freelist */
	return (char *)addr + (PAGE_SIZE << c->gfporder) - c->freelist_size;
}

/* Grow (by 1) the number of slabs within a cache. */
static struct slab *cache_grow_begin(struct kmem_cache *cachep, gfp_t flags, int nodeid)
{
	struct slab_cache *c = sc(cachep);
	void *freelist;
	size_t offset;
	gfp_t local_flags;
	int slab_node;
	struct kmem_list3 *n;
	struct slab *slab;

	local_flags = flags & ~__GFP_ZERO;
	slab = kmem_getpages(cachep, local_flags, nodeid);
	if (!slab)
		return NULL;
	slab_node = slab_nid(slab);
	n = get_node(cachep, slab_node);

	/* Get colour for the slab, and cal the next value. */
	spin_lock(&n->list_lock);
	n->colour_next++;
	if (n->colour_next >= c->colour)
		n->colour_next = 0;
	offset = n->colour_next;
	spin_unlock(&n->list_lock);
	if (offset >= c->colour)
		offset = 0;
	offset *= c->colour_off;

	/* Get slab management. */
	freelist = alloc_slabmgmt(cachep, slab, (int)offset, local_flags, slab_node);
	if (OFF_SLAB(cachep) && !freelist)
		goto opps1;
	slab->slab_cache = cachep;
	slab->freelist = freelist;
	cache_init_objs(cachep, slab);
	return slab;

opps1:
	kmem_freepages(cachep, slab);
	return NULL;
}

static inline void fixup_slab_list(struct kmem_cache *cachep, struct kmem_list3 *n,
				   struct slab *slab)
{
	/* move slabp to correct slabp list: */
	list_del(&slab->slab_list);
	if (slab_active(slab) == sc(cachep)->num) {
		list_add(&slab->slab_list, &n->slabs_full);
		if (OBJFREELIST_SLAB(cachep))
			slab->freelist = NULL;
	} else {
		list_add(&slab->slab_list, &n->slabs_partial);
	}
}

static void cache_grow_end(struct kmem_cache *cachep, struct slab *slab)
{
	struct kmem_list3 *n;

	if (!slab)
		return;
	INIT_LIST_HEAD(&slab->slab_list);
	n = get_node(cachep, slab_nid(slab));
	spin_lock(&n->list_lock);
	n->total_slabs++;
	if (!slab_active(slab)) {
		list_add_tail(&slab->slab_list, &n->slabs_free);
		n->free_slabs++;
	} else {
		fixup_slab_list(cachep, n, slab);
	}
	sc(cachep)->grown++;
	n->free_objects += sc(cachep)->num - slab_active(slab);
	spin_unlock(&n->list_lock);
}

static struct slab *get_first_slab(struct kmem_list3 *n)
{
	struct slab *slab;

	slab = list_first_entry_or_null(&n->slabs_partial, struct slab, slab_list);
	if (!slab) {
		n->free_touched = 1;
		slab = list_first_entry_or_null(&n->slabs_free, struct slab, slab_list);
		if (slab)
			n->free_slabs--;
	}
	return slab;
}

/* Slab list is fixed up by fixup_slab_list() (or cache_grow_end for a new slab). */
static __always_inline int alloc_block(struct kmem_cache *cachep, struct array_cache *ac,
				       struct slab *slab, int batchcount)
{
	BUG_ON(slab_active(slab) >= sc(cachep)->num);
	while (slab_active(slab) < sc(cachep)->num && batchcount--)
		ac->entry[ac->avail++] = slab_get_obj(cachep, slab);
	return batchcount;
}

/*
 * cache_alloc_refill - refill the cpu's array: shared array, partial and
 * free slabs of the node, else a new slab.  Context: cpu lock held.
 */
static noinline void *cache_alloc_refill(struct kmem_cache *cachep, struct cpu_array *pc,
					 gfp_t flags, int node)
{
	struct array_cache *ac = pc->ac, *shared;
	struct kmem_list3 *n;
	struct slab *slab;
	int batchcount;

	batchcount = (int)ac->batchcount;
	if (!ac->touched && batchcount > BATCHREFILL_LIMIT) {
		/* Little recent activity: partial refill, to avoid refill bouncing. */
		batchcount = BATCHREFILL_LIMIT;
	}
	n = get_node(cachep, node);
	BUG_ON(ac->avail > 0 || !n);

	/* MMFS: n->shared is only read under list_lock (no RCU to keep it alive) */
	spin_lock(&n->list_lock);
	shared = n->shared;
	if (!n->free_objects && (!shared || !shared->avail)) {
		spin_unlock(&n->list_lock);
		goto direct_grow;
	}
	/* See if we can refill from the shared array */
	if (shared && transfer_objects(ac, shared, (unsigned int)batchcount)) {
		shared->touched = 1;
		goto alloc_done;
	}
	while (batchcount > 0) {
		/* Get slab alloc is to come from. */
		slab = get_first_slab(n);
		if (!slab)
			goto must_grow;
		batchcount = alloc_block(cachep, ac, slab, batchcount);
		fixup_slab_list(cachep, n, slab);
	}
must_grow:
	n->free_objects -= ac->avail;
alloc_done:
	spin_unlock(&n->list_lock);

direct_grow:
	if (unlikely(!ac->avail)) {
		slab = cache_grow_begin(cachep, gfp_exact_node(flags), node);
		/* MMFS: the cpu lock is held across the page allocation: ac is stable */
		if (!ac->avail && slab)
			alloc_block(cachep, ac, slab, batchcount);
		cache_grow_end(cachep, slab);
		if (!ac->avail)
			return NULL;
	}
	ac->touched = 1;
	return ac->entry[--ac->avail];
}

static __always_inline void *____cache_alloc(struct kmem_cache *cachep, struct cpu_array *pc,
					     gfp_t flags, int node)
{
	struct array_cache *ac = pc->ac;

	if (likely(ac->avail)) {
		ac->touched = 1;
		pc->allochit++;
		return ac->entry[--ac->avail];
	}
	pc->allocmiss++;
	return cache_alloc_refill(cachep, pc, flags, node);
}

static void *____cache_alloc_node(struct kmem_cache *cachep, gfp_t flags, int nodeid);

/*
 * fallback_alloc - objects of any node with free objects, else a new slab
 * wherever the page allocator finds one.  MMFS: nodes in id order from the
 * local one instead of the zonelist walk.
 */
static noinline void *fallback_alloc(struct kmem_cache *cache, gfp_t flags, int local)
{
	void *obj = NULL;
	struct slab *slab;
	int nid, i, tries = 0;

	if (flags & __GFP_THISNODE)
		return NULL;
retry:
	for (i = 0; i < nr_online_nodes; i++) {
		nid = (local + i) % nr_online_nodes;
		if (get_node(cache, nid) && READ_ONCE(get_node(cache, nid)->free_objects)) {
			obj = ____cache_alloc_node(cache, gfp_exact_node(flags), nid);
			if (obj)
				break;
		}
	}
	if (!obj) {
		slab = cache_grow_begin(cache, flags, NUMA_NO_NODE);
		cache_grow_end(cache, slab);
		if (slab) {
			nid = slab_nid(slab);
			obj = ____cache_alloc_node(cache, gfp_exact_node(flags), nid);
			/* Another processor may allocate the objects in the slab */
			if (!obj && ++tries < 16)
				goto retry;
		}
	}
	return obj;
}

/* An object straight from a slab of node nodeid (or any node, by fallback). */
static void *____cache_alloc_node(struct kmem_cache *cachep, gfp_t flags, int nodeid)
{
	struct slab *slab;
	struct kmem_list3 *n;
	void *obj = NULL;

	n = get_node(cachep, nodeid);
	BUG_ON(!n);
	spin_lock(&n->list_lock);
	slab = get_first_slab(n);
	if (!slab)
		goto must_grow;
	sc(cachep)->node_allocs++;
	BUG_ON(slab_active(slab) == sc(cachep)->num);
	obj = slab_get_obj(cachep, slab);
	n->free_objects--;
	fixup_slab_list(cachep, n, slab);
	spin_unlock(&n->list_lock);
	return obj;

must_grow:
	spin_unlock(&n->list_lock);
	slab = cache_grow_begin(cachep, gfp_exact_node(flags), nodeid);
	if (slab) {
		/* This slab isn't counted yet so don't update free_objects */
		obj = slab_get_obj(cachep, slab);
	}
	cache_grow_end(cachep, slab);
	return obj ? obj : fallback_alloc(cachep, flags, nodeid);
}

static __always_inline void *__do_cache_alloc(struct kmem_cache *cache, struct cpu_array *pc,
					      gfp_t flags, int node)
{
	void *objp = ____cache_alloc(cache, pc, flags, node);

	/* We may just have run out of memory on the local node. */
	if (unlikely(!objp))
		objp = ____cache_alloc_node(cache, flags, node);
	return objp;
}

static noinline void *cache_alloc_debugcheck_after(struct kmem_cache *cachep, gfp_t flags,
						   void *objp, unsigned long caller)
{
	if (!objp)
		return objp;
	if (cachep->flags & SLAB_POISON) {
		check_poison_obj(cachep, objp);
		poison_obj(cachep, objp, POISON_INUSE);
	}
	if (cachep->flags & SLAB_STORE_USER)
		*dbg_userword(cachep, objp) = (void *)caller;
	if (cachep->flags & SLAB_RED_ZONE) {
		if (*dbg_redzone1(cachep, objp) != RED_INACTIVE ||
		    *dbg_redzone2(cachep, objp) != RED_INACTIVE) {
			slab_error(cachep, "cache_alloc_debugcheck_after",
				   "double free, or memory outside object was overwritten");
			printk("0x%lx: redzone 1:0x%llx, redzone 2:0x%llx", mmfs_kaddr(objp),
			       *dbg_redzone1(cachep, objp), *dbg_redzone2(cachep, objp));
		}
		*dbg_redzone1(cachep, objp) = RED_ACTIVE;
		*dbg_redzone2(cachep, objp) = RED_ACTIVE;
	}
	objp = (char *)objp + sc(cachep)->obj_offset;
	if (cachep->ctor && cachep->flags & SLAB_POISON)
		cachep->ctor(objp);
	return objp;
}

static __always_inline void *slab_alloc_node(struct kmem_cache *cachep, gfp_t flags, int nodeid,
					     size_t orig_size, unsigned long caller)
{
	int cpu = smp_processor_id();
	struct cpu_array *pc = &sc(cachep)->cpu_cache[cpu];
	void *ptr;

	spin_lock(&pc->lock);	/* local_irq_save */
	if (likely(nodeid == NUMA_NO_NODE)) {
		/* slab_alloc -> __do_cache_alloc: the cpu array first */
		struct array_cache *ac = pc->ac;

		if (likely(ac->avail)) {
			ac->touched = 1;
			pc->allochit++;
			ptr = ac->entry[--ac->avail];
		} else {
			ptr = __do_cache_alloc(cachep, pc, flags, cpu_node(cpu));
		}
	} else if (nodeid == cpu_node(cpu)) {
		/* slab_alloc_node on the local node: the cpu array, then that node */
		ptr = __do_cache_alloc(cachep, pc, flags, nodeid);
	} else {
		/* ____cache_alloc_node can fall back to other nodes */
		ptr = ____cache_alloc_node(cachep, flags, nodeid);
	}
	spin_unlock(&pc->lock);
	if (unlikely(cachep->flags & (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)))
		ptr = cache_alloc_debugcheck_after(cachep, flags, ptr, caller);
	if (unlikely(mm_cfg.init_on_alloc || (flags & __GFP_ZERO)) && ptr &&
	    slab_want_init_on_alloc(flags, cachep))
		memset(ptr, 0, cachep->object_size);
	return ptr;
}

/* ------------------------------------------------------------------- free */
/* Caller holds the node's list_lock; slabs to destroy are put on list. */
static void free_block(struct kmem_cache *cachep, void **objpp, int nr_objects, int node,
		       struct list_head *list)
{
	struct kmem_list3 *n = get_node(cachep, node);
	struct slab *slab;
	int i;

	n->free_objects += (unsigned long)nr_objects;
	for (i = 0; i < nr_objects; i++) {
		void *objp = objpp[i];

		slab = obj_slab(objp);
		list_del(&slab->slab_list);
		slab_put_obj(cachep, slab, objp);
		/* fixup slab chains */
		if (slab_active(slab) == 0) {
			list_add(&slab->slab_list, &n->slabs_free);
			n->free_slabs++;
		} else {
			/* Unconditionally move a slab to the end of the partial list on
			 * free - maximum time for the other objects to be freed, too. */
			list_add_tail(&slab->slab_list, &n->slabs_partial);
		}
	}
	while (n->free_objects > n->free_limit && !list_empty(&n->slabs_free)) {
		n->free_objects -= sc(cachep)->num;
		slab = list_last_entry(&n->slabs_free, struct slab, slab_list);
		list_move(&slab->slab_list, list);
		n->free_slabs--;
		n->total_slabs--;
	}
}

static noinline void cache_flusharray(struct kmem_cache *cachep, struct array_cache *ac, int node)
{
	struct kmem_list3 *n = get_node(cachep, node);
	unsigned int batchcount = ac->batchcount;
	LIST_HEAD(list);

	spin_lock(&n->list_lock);
	if (n->shared) {
		struct array_cache *shared_array = n->shared;
		unsigned int max = shared_array->limit - shared_array->avail;

		if (max) {
			if (batchcount > max)
				batchcount = max;
			memcpy(&shared_array->entry[shared_array->avail], ac->entry,
			       sizeof(void *) * batchcount);
			shared_array->avail += batchcount;
			goto free_done;
		}
	}
	free_block(cachep, ac->entry, (int)batchcount, node, &list);
free_done:
	spin_unlock(&n->list_lock);
	ac->avail -= batchcount;
	memmove(ac->entry, &ac->entry[batchcount], sizeof(void *) * ac->avail);
	slabs_destroy(cachep, &list);
}

/* cache_free_debugcheck: the slot start, or NULL if the free must not go on */
static noinline void *cache_free_debugcheck(struct kmem_cache *cachep, struct slab *slab,
					    void *objp, unsigned long caller)
{
	unsigned int objnr;

	objp = (char *)objp - sc(cachep)->obj_offset;
	objnr = obj_to_index(cachep, slab, objp);
	if (objnr >= sc(cachep)->num || objp != index_to_obj(cachep, slab, objnr)) {
		slab_error(cachep, "cache_free_debugcheck", "bad object pointer");
		return NULL;
	}
	if (cachep->flags & SLAB_RED_ZONE) {
		unsigned long long redzone1 = *dbg_redzone1(cachep, objp);
		unsigned long long redzone2 = *dbg_redzone2(cachep, objp);

		if (!(redzone1 == RED_ACTIVE && redzone2 == RED_ACTIVE)) {
			if (redzone1 == RED_INACTIVE && redzone2 == RED_INACTIVE) {
				slab_error(cachep, "verify_redzone_free", "double free detected");
				printk("0x%lx: redzone 1:0x%llx, redzone 2:0x%llx",
				       mmfs_kaddr(objp), redzone1, redzone2);
				return NULL;	/* MMFS: do not free it twice */
			}
			slab_error(cachep, "verify_redzone_free",
				   "memory outside object was overwritten");
			printk("0x%lx: redzone 1:0x%llx, redzone 2:0x%llx", mmfs_kaddr(objp),
			       redzone1, redzone2);
		}
		*dbg_redzone1(cachep, objp) = RED_INACTIVE;
		*dbg_redzone2(cachep, objp) = RED_INACTIVE;
	}
	if (cachep->flags & SLAB_STORE_USER)
		*dbg_userword(cachep, objp) = (void *)caller;
	if (cachep->flags & SLAB_POISON)
		poison_obj(cachep, objp, POISON_FREE);
	return objp;
}

/* Release an obj back to its cache (__cache_free + ___cache_free). */
static __always_inline void __cache_free(struct kmem_cache *cachep, struct slab *slab, void *objp,
					 unsigned long caller)
{
	struct cpu_array *pc;
	struct array_cache *ac;
	int cpu;

	if (unlikely(mm_cfg.init_on_free) && slab_want_init_on_free(cachep))
		memset(objp, 0, cachep->object_size);
	if (unlikely(cachep->flags & (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER))) {
		objp = cache_free_debugcheck(cachep, slab, objp, caller);
		if (!objp)
			return;
	}
	cpu = smp_processor_id();
	pc = &sc(cachep)->cpu_cache[cpu];
	spin_lock(&pc->lock);
	/* Skip cache_free_alien() when the machine is not NUMA. */
	if (unlikely(nr_online_nodes > 1) && cache_free_alien(cachep, slab, objp, cpu_node(cpu))) {
		spin_unlock(&pc->lock);
		return;
	}
	ac = pc->ac;
	if (likely(ac->avail < ac->limit)) {
		pc->freehit++;
	} else {
		pc->freemiss++;
		cache_flusharray(cachep, ac, cpu_node(cpu));
	}
	__free_one(ac, objp);
	spin_unlock(&pc->lock);
}

/* ------------------------------------------------------------ tunables */
static struct cpu_array *alloc_kmem_cache_cpus(void)
{
	struct cpu_array *cpu_cache = aligned_alloc(64, sizeof(struct cpu_array) * nr_cpu_ids);
	int cpu;

	if (!cpu_cache)
		return NULL;
	memset(cpu_cache, 0, sizeof(struct cpu_array) * nr_cpu_ids);
	for_each_possible_cpu(cpu)
		spin_lock_init(&cpu_cache[cpu].lock);
	return cpu_cache;
}

/* Always called with the slab_mutex held (or during boot). */
static int do_tune_cpucache(struct kmem_cache *cachep, int limit, int batchcount, int shared,
			    gfp_t gfp)
{
	struct slab_cache *c = sc(cachep);
	struct array_cache **fresh;
	int cpu;

	fresh = calloc(nr_cpu_ids, sizeof(*fresh));
	if (!fresh)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		fresh[cpu] = alloc_arraycache(cpu_node(cpu), limit, batchcount, gfp);
		if (!fresh[cpu]) {
			while (--cpu >= 0)
				free(fresh[cpu]);
			free(fresh);
			return -ENOMEM;
		}
	}
	/* Swap in the new arrays; fresh[] then holds the previous ones. */
	for_each_possible_cpu(cpu) {
		struct array_cache *prev;

		spin_lock(&c->cpu_cache[cpu].lock);
		prev = c->cpu_cache[cpu].ac;
		c->cpu_cache[cpu].ac = fresh[cpu];
		spin_unlock(&c->cpu_cache[cpu].lock);
		fresh[cpu] = prev;
	}
	c->batchcount = (unsigned int)batchcount;
	c->limit = (unsigned int)limit;
	c->shared = (unsigned int)shared;
	for_each_possible_cpu(cpu) {
		struct array_cache *ac = fresh[cpu];
		int node = cpu_node(cpu);
		struct kmem_list3 *n;
		LIST_HEAD(list);

		if (!ac)
			continue;
		n = get_node(cachep, node);
		if (n && ac->avail) {
			spin_lock(&n->list_lock);
			free_block(cachep, ac->entry, (int)ac->avail, node, &list);
			spin_unlock(&n->list_lock);
			slabs_destroy(cachep, &list);
		}
		free(ac);
	}
	free(fresh);
	return setup_kmem_cache_nodes(cachep, gfp);
}

/* enable_cpucache: the kernel's guesses for limit, batchcount and shared. */
static int enable_cpucache(struct kmem_cache *cachep, gfp_t gfp)
{
	int err, limit, shared, batchcount;

	err = cache_random_seq_create(cachep, sc(cachep)->num, gfp);
	if (err)
		goto end;
	if (cachep->size > 131072)
		limit = 1;
	else if (cachep->size > PAGE_SIZE)
		limit = 8;
	else if (cachep->size > 1024)
		limit = 24;
	else if (cachep->size > 256)
		limit = 54;
	else
		limit = 120;
	/* A shared array passes objects between cpus (Bonwick's magazine layer). */
	shared = 0;
	if (cachep->size <= PAGE_SIZE && num_online_cpus() > 1)
		shared = 8;
	/* DEBUG: large batchcounts mean long irq-off periods (MMFS: debug caches only) */
	if (slab_debug(cachep) && limit > 32)
		limit = 32;
	batchcount = (limit + 1) / 2;
	err = do_tune_cpucache(cachep, limit, batchcount, shared, gfp);
end:
	if (err)
		printk("enable_cpucache failed for %s, error %d", cachep->name, -err);
	return err;
}

/* ------------------------------------------------------ drain and reap */
static void drain_array_locked(struct kmem_cache *cachep, struct array_cache *ac, int node,
			       bool free_all, struct list_head *list)
{
	unsigned int tofree;

	if (!ac || !ac->avail)
		return;
	tofree = free_all ? ac->avail : (ac->limit + 4) / 5;
	if (tofree > ac->avail)
		tofree = (ac->avail + 1) / 2;
	free_block(cachep, ac->entry, (int)tofree, node, list);
	ac->avail -= tofree;
	memmove(ac->entry, &ac->entry[tofree], sizeof(void *) * ac->avail);
}

/* do_drain for every cpu, then the alien caches and the shared arrays. */
static void drain_cpu_caches(struct kmem_cache *cachep)
{
	struct kmem_list3 *n;
	int node, cpu;
	LIST_HEAD(list);

	for_each_possible_cpu(cpu) {
		struct cpu_array *pc = &sc(cachep)->cpu_cache[cpu];

		node = cpu_node(cpu);
		n = get_node(cachep, node);
		spin_lock(&pc->lock);
		if (pc->ac && pc->ac->avail) {
			spin_lock(&n->list_lock);
			free_block(cachep, pc->ac->entry, (int)pc->ac->avail, node, &list);
			spin_unlock(&n->list_lock);
			pc->ac->avail = 0;
		}
		spin_unlock(&pc->lock);
		slabs_destroy(cachep, &list);
	}
	for_each_online_node(node) {
		n = get_node(cachep, node);
		if (n && n->alien)
			drain_alien_cache(cachep, n->alien);
	}
	for_each_online_node(node) {
		n = get_node(cachep, node);
		if (!n)
			continue;
		spin_lock(&n->list_lock);
		drain_array_locked(cachep, n->shared, node, true, &list);
		spin_unlock(&n->list_lock);
		slabs_destroy(cachep, &list);
	}
}

/* Remove up to tofree slabs from the free list; returns how many. */
static int drain_freelist(struct kmem_cache *cache, struct kmem_list3 *n, int tofree)
{
	int nr_freed = 0;
	struct slab *slab;

	while (nr_freed < tofree && !list_empty(&n->slabs_free)) {
		spin_lock(&n->list_lock);
		if (list_empty(&n->slabs_free)) {
			spin_unlock(&n->list_lock);
			break;
		}
		slab = list_last_entry(&n->slabs_free, struct slab, slab_list);
		list_del(&slab->slab_list);
		n->free_slabs--;
		n->total_slabs--;
		n->free_objects -= sc(cache)->num;
		spin_unlock(&n->list_lock);
		slab_destroy(cache, slab);
		nr_freed++;
	}
	return nr_freed;
}

static int __kmem_cache_shrink(struct kmem_cache *cachep)
{
	struct kmem_list3 *n;
	int node, ret = 0;

	drain_cpu_caches(cachep);
	for_each_online_node(node) {
		n = get_node(cachep, node);
		if (!n)
			continue;
		drain_freelist(cachep, n, 1 << 30);
		ret += !list_empty(&n->slabs_full) || !list_empty(&n->slabs_partial);
	}
	return ret ? 1 : 0;
}

static int __kmem_cache_shutdown(struct kmem_cache *cachep)
{
	return __kmem_cache_shrink(cachep) ? -EBUSY : 0;
}

/* Drain an array if it has not been touched since the last look. */
static void drain_array(struct kmem_cache *cachep, struct kmem_list3 *n, struct array_cache *ac,
			int node)
{
	LIST_HEAD(list);

	if (!ac || !ac->avail)
		return;
	if (ac->touched) {
		ac->touched = 0;
		return;
	}
	spin_lock(&n->list_lock);
	drain_array_locked(cachep, ac, node, false, &list);
	spin_unlock(&n->list_lock);
	slabs_destroy(cachep, &list);
}

/* cache_reap for one CPU.  Context: slab_mutex held. */
static void cache_reap_cpu(int cpu)
{
	struct kmem_cache *searchp;
	int node = cpu_node(cpu);
	unsigned long now = atomic_load_explicit(&jiffies, memory_order_relaxed);

	list_for_each_entry(searchp, &slab_caches, list) {
		struct slab_cache *c = sc(searchp);
		struct kmem_list3 *n;

		if (!c)
			continue;
		n = get_node(searchp, node);
		if (!n)
			continue;
		reap_alien(searchp, n);
		spin_lock(&c->cpu_cache[cpu].lock);
		drain_array(searchp, n, c->cpu_cache[cpu].ac, node);
		spin_unlock(&c->cpu_cache[cpu].lock);
		/* These are racy checks but it does not matter if we skip one check or scan twice. */
		if ((long)(n->next_reap - now) > 0)
			continue;
		n->next_reap = now + REAPTIMEOUT_NODE;
		spin_lock(&n->list_lock);
		/* drain_array on the shared array: the list_lock guards it */
		if (n->shared && n->shared->avail) {
			if (n->shared->touched) {
				n->shared->touched = 0;
			} else {
				LIST_HEAD(list);

				drain_array_locked(searchp, n->shared, node, false, &list);
				spin_unlock(&n->list_lock);
				slabs_destroy(searchp, &list);
				spin_lock(&n->list_lock);
			}
		}
		spin_unlock(&n->list_lock);
		if (n->free_touched) {
			n->free_touched = 0;
		} else {
			int freed = drain_freelist(searchp, n, (int)((n->free_limit + 5 * c->num - 1) /
								     (5 * c->num)));
			c->reaped += (unsigned long)freed;
		}
	}
}

/**
 * mmfs_slab_cache_reap_now - run one cache_reap() pass for every CPU
 *
 * What the kernel's per-cpu reap work does every REAPTIMEOUT_AC.  Gives up
 * (returns -EBUSY) when slab_mutex is taken, as cache_reap does.
 * Return: 0 (also a no-op under SLUB and SLOB, or before boot) or -EBUSY.
 */
int mmfs_slab_cache_reap_now(void)
{
	int cpu;

	if (slab_alloc_ops != &slab_ops || slab_state < UP)
		return 0;	/* nothing to reap: SLUB/SLOB have no per-cpu arrays here */
	if (pthread_mutex_trylock(&slab_mutex.m))
		return -EBUSY;
	mmfs_ktime_ns();	/* brings jiffies up to date */
	for_each_online_cpu(cpu)
		cache_reap_cpu(cpu);
	mutex_unlock(&slab_mutex);
	return 0;
}

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool running, stop;
	unsigned int interval_ms;
} reaper = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

static void *reaper_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&reaper.lock);
	while (!reaper.stop) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += reaper.interval_ms / 1000;
		ts.tv_nsec += (long)(reaper.interval_ms % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&reaper.cond, &reaper.lock, &ts);
		if (reaper.stop)
			break;
		pthread_mutex_unlock(&reaper.lock);
		mmfs_slab_cache_reap_now();
		pthread_mutex_lock(&reaper.lock);
	}
	pthread_mutex_unlock(&reaper.lock);
	return NULL;
}

/**
 * mmfs_slab_reap_start - start the cache_reap thread (SLAB only)
 * @interval_ms: period; 0 means the kernel's REAPTIMEOUT_AC (2 s)
 *
 * Return: 0 (no thread is started under SLUB and SLOB), -EBUSY if it runs
 * already, or -errno from pthread_create.
 */
int mmfs_slab_reap_start(unsigned int interval_ms)
{
	int ret;

	if (slab_alloc_ops != &slab_ops)
		return 0;	/* MMFS: harmless no-op, so callers need not know slab= */
	pthread_mutex_lock(&reaper.lock);
	if (reaper.running) {
		pthread_mutex_unlock(&reaper.lock);
		return -EBUSY;
	}
	reaper.interval_ms = interval_ms ? interval_ms : REAPTIMEOUT_AC * 1000 / HZ;
	reaper.stop = false;
	ret = pthread_create(&reaper.thread, NULL, reaper_main, NULL);
	if (!ret)
		reaper.running = true;
	pthread_mutex_unlock(&reaper.lock);
	return -ret;
}

/** mmfs_slab_reap_stop - stop the cache_reap thread (no-op if not running) */
void mmfs_slab_reap_stop(void)
{
	pthread_t t;

	pthread_mutex_lock(&reaper.lock);
	if (!reaper.running) {
		pthread_mutex_unlock(&reaper.lock);
		return;
	}
	reaper.stop = true;
	pthread_cond_broadcast(&reaper.cond);
	t = reaper.thread;
	pthread_mutex_unlock(&reaper.lock);
	pthread_join(t, NULL);
	pthread_mutex_lock(&reaper.lock);
	reaper.running = false;
	pthread_mutex_unlock(&reaper.lock);
}

/* -------------------------------------------------------- cache creation */
static void __kmem_cache_release(struct kmem_cache *cachep)
{
	struct slab_cache *c = sc(cachep);
	int i;

	if (!c)
		return;
	cache_random_seq_destroy(cachep);
	if (c->cpu_cache) {
		for_each_possible_cpu(i)
			free(c->cpu_cache[i].ac);
		free(c->cpu_cache);
	}
	for (i = 0; i < nr_node_ids; i++) {
		struct kmem_list3 *n = c->node[i];

		if (!n)
			continue;
		free(n->shared);
		free_alien_cache(n->alien);
		free(n);
	}
	free(c);
	cachep->allocator_private = NULL;
}

/**
 * __kmem_cache_create - lay out a SLAB cache (slot size, debug words, slab
 * order, freelist placement, colouring) and give it its cpu arrays
 * @cachep: name, object_size, size, align, ctor are set
 * @flags: SLAB_* flags
 *
 * Return: 0, -E2BIG (no layout fits), -ENOMEM.
 */
static int __kmem_cache_create(struct kmem_cache *cachep, slab_flags_t flags)
{
	size_t ralign = BYTES_PER_WORD;
	unsigned int size = cachep->size;
	struct slab_cache *c;
	gfp_t gfp = GFP_KERNEL;
	int err;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	cachep->allocator_private = c;
	/* MMFS: slub_debug= applies to SLAB caches too */
	flags = kmem_cache_flags(size, flags, cachep->name);

	/* Check that size is in terms of words. */
	size = ALIGN(size, (unsigned int)BYTES_PER_WORD);
	if (flags & SLAB_RED_ZONE) {
		ralign = REDZONE_ALIGN;
		/* ensure that the second redzone is suitably aligned */
		size = ALIGN(size, (unsigned int)REDZONE_ALIGN);
	}
	/* 3) caller mandated alignment */
	if (ralign < cachep->align)
		ralign = cachep->align;
	/* disable debug if necessary */
	if (ralign > __alignof__(unsigned long long))
		flags &= ~(SLAB_RED_ZONE | SLAB_STORE_USER);
	/* 4) Store it. */
	cachep->align = (unsigned int)ralign;
	c->colour_off = L1_CACHE_BYTES;	/* cache_line_size() */
	/* Offset must be a multiple of the alignment. */
	if (c->colour_off < cachep->align)
		c->colour_off = cachep->align;

	if (flags & SLAB_RED_ZONE) {
		/* add space for red zone words */
		c->obj_offset += (int)sizeof(unsigned long long);
		size += 2 * sizeof(unsigned long long);
	}
	if (flags & SLAB_STORE_USER) {
		/* user store requires one word storage behind the end of the real object */
		if (flags & SLAB_RED_ZONE)
			size += (unsigned int)REDZONE_ALIGN;
		else
			size += (unsigned int)BYTES_PER_WORD;
	}
	size = ALIGN(size, cachep->align);
	/* byte sized freelist index: objects are at least SLAB_OBJ_MIN_SIZE */
	if (size < SLAB_OBJ_MIN_SIZE)
		size = ALIGN((unsigned int)SLAB_OBJ_MIN_SIZE, cachep->align);
	cachep->flags = flags;	/* set_objfreelist_slab_cache looks at ctor/flags */

	if (set_objfreelist_slab_cache(cachep, size, flags)) {
		c->cflags |= CFLGS_OBJFREELIST_SLAB;
		goto done;
	}
	if (set_off_slab_cache(cachep, size, flags)) {
		c->cflags |= CFLGS_OFF_SLAB;
		goto done;
	}
	if (set_on_slab_cache(cachep, size, flags))
		goto done;
	__kmem_cache_release(cachep);
	return -E2BIG;

done:
	c->freelist_size = c->num * (unsigned int)sizeof(freelist_idx_t);
	cachep->flags = flags;
	c->allocflags = __GFP_COMP;
	if (flags & SLAB_CACHE_DMA)
		c->allocflags |= GFP_DMA;
	if (flags & SLAB_CACHE_DMA32)
		c->allocflags |= GFP_DMA32;
	if (flags & SLAB_RECLAIM_ACCOUNT)
		c->allocflags |= __GFP_RECLAIMABLE;
	cachep->size = size;
	cachep->inuse = size;
	c->reciprocal_buffer_size = reciprocal_value(size);
	c->cpu_cache = alloc_kmem_cache_cpus();
	if (!c->cpu_cache) {
		__kmem_cache_release(cachep);
		return -ENOMEM;
	}
	/* MMFS: setup_cpu_cache() with slab_state >= FULL at once (host arrays) */
	err = enable_cpucache(cachep, gfp);
	if (err) {
		__kmem_cache_release(cachep);
		return err;
	}
	return 0;
}

/* ---------------------------------------------------------------- boot */
static struct kmem_cache kmem_cache_boot;

static int slab_kmem_cache_init(void)
{
	memset(&kmem_cache_boot, 0, sizeof(kmem_cache_boot));
	kmem_cache = &kmem_cache_boot;
	use_alien_caches = nr_online_nodes > 1;
	/* only use bigger page orders on machines with more than 32MB of memory */
	slab_max_order = totalram_pages_count > (32UL << 20) >> PAGE_SHIFT ?
			 SLAB_MAX_ORDER_HI : SLAB_MAX_ORDER_LO;
	/* struct kmem_cache size depends on nr_node_ids */
	create_boot_cache(kmem_cache, "kmem_cache",
			  (unsigned int)(offsetof(struct kmem_cache, node) +
					 nr_node_ids * sizeof(struct kmem_cache_node *)),
			  SLAB_HWCACHE_ALIGN, 0, 0);
	list_add(&kmem_cache->list, &slab_caches);
	slab_state = PARTIAL;
	/*
	 * The kmalloc cache of the node structures comes first (6.1: INDEX_NODE,
	 * then PARTIAL_NODE).  MMFS: the node structures are host memory, so
	 * this only gives the cache its place in slab_caches and slabinfo.
	 */
	create_kmalloc_node_cache((unsigned int)sizeof(struct kmem_list3));
	slab_state = PARTIAL_NODE;
	printk("SLAB: HWalign=%d, Order=0-%d, CPUs=%u, Nodes=%d%s", L1_CACHE_BYTES,
	       slab_max_order, nr_cpu_ids, nr_node_ids, use_alien_caches ? ", alien caches" : "");
	return 0;
}

/* Give every slab page back and free the host arrays (mmfs_slab_shutdown). */
static void slab_kmem_cache_teardown(void)
{
	struct kmem_cache *s;
	struct kmem_cache **caches = NULL;
	struct { struct page *page; unsigned int order; enum node_stat_item idx; } *pages = NULL;
	size_t nr = 0, cap = 0, np = 0, capp = 0;
	unsigned long pfn = 0;

	mmfs_slab_reap_stop();
	list_for_each_entry(s, &slab_caches, list) {
		if (nr == cap) {
			void *t;

			cap = cap ? cap * 2 : 64;
			t = realloc(caches, cap * sizeof(*caches));
			if (!t)
				goto out;
			caches = t;
		}
		caches[nr++] = s;
	}
	/* Every slab page, while the kmem_cache structs in them still read right. */
	while ((pfn = mmfs_next_allocated_block(pfn)) != -1UL) {
		struct page *page = pfn_to_page(pfn);
		unsigned int order = compound_order(page);

		if (PageSlab(page)) {
			struct kmem_cache *owner = page_slab(page)->slab_cache;

			if (np == capp) {
				void *t;

				capp = capp ? capp * 2 : 256;
				t = realloc(pages, capp * sizeof(*pages));
				if (!t)
					goto out;
				pages = t;
			}
			pages[np].page = page;
			pages[np].order = order;
			pages[np].idx = owner ? cache_vmstat_idx(owner) : NR_SLAB_UNRECLAIMABLE_B;
			np++;
		}
		pfn += 1UL << order;
	}
	for (size_t i = 0; i < nr; i++)
		__kmem_cache_release(caches[i]);
	for (size_t i = 0; i < np; i++) {
		struct page *page = pages[i].page;
		struct slab *slab = page_slab(page);

		slab->slab_cache = NULL;
		slab->freelist = NULL;
		slab->counters = 0;
		INIT_LIST_HEAD(&slab->slab_list);
		__ClearPageSlab(page);
		__ClearPageActive(page);
		mod_node_page_state(NODE_DATA(page_to_nid(page)), pages[i].idx,
				    -(long)(PAGE_SIZE << pages[i].order));
		__free_pages(page, pages[i].order);
	}
out:
	free(caches);
	free(pages);
}

/* ============================================================ the API */
static void *slab_ops_alloc(struct kmem_cache *s, gfp_t gfp, int node, unsigned long caller,
			    size_t orig_size)
{
	if (node != NUMA_NO_NODE && (node < 0 || node >= nr_node_ids))
		node = NUMA_NO_NODE;
	return slab_alloc_node(s, gfp, node, orig_size, caller);
}

static void slab_ops_free(struct kmem_cache *s, struct slab *slab, void *obj, unsigned long caller)
{
	__cache_free(s, slab, obj, caller);
}

static int slab_ops_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	int cpu = smp_processor_id();
	int node = cpu_node(cpu);
	struct cpu_array *pc = &sc(s)->cpu_cache[cpu];
	size_t i;

	spin_lock(&pc->lock);
	for (i = 0; i < size; i++) {
		void *objp = __do_cache_alloc(s, pc, flags, node);

		if (unlikely(!objp))
			break;
		p[i] = objp;
	}
	spin_unlock(&pc->lock);
	for (size_t j = 0; j < i; j++) {
		if (unlikely(slab_debug(s)))
			p[j] = cache_alloc_debugcheck_after(s, flags, p[j], _RET_IP_);
		if (unlikely(slab_want_init_on_alloc(flags, s)))
			memset(p[j], 0, s->object_size);
	}
	if (i < size) {
		for (size_t j = 0; j < i; j++)
			__cache_free(s, obj_slab(p[j]), p[j], _RET_IP_);
		return 0;
	}
	return (int)size;
}

static size_t slab_ops_ksize(struct kmem_cache *s, const void *obj)
{
	return s->object_size;
}

static void slab_ops_get_slabinfo(struct kmem_cache *cachep, struct slabinfo *sinfo)
{
	unsigned long active_objs, num_objs, active_slabs;
	unsigned long total_slabs = 0, free_objs = 0, shared_avail = 0, free_slabs = 0;
	struct slab_cache *c = sc(cachep);
	int node;

	for_each_online_node(node) {
		struct kmem_list3 *n = get_node(cachep, node);

		if (!n)
			continue;
		spin_lock(&n->list_lock);
		total_slabs += n->total_slabs;
		free_slabs += n->free_slabs;
		free_objs += n->free_objects;
		if (n->shared)
			shared_avail += n->shared->avail;
		spin_unlock(&n->list_lock);
	}
	num_objs = total_slabs * c->num;
	active_slabs = total_slabs - free_slabs;
	active_objs = num_objs - free_objs;

	sinfo->active_objs = active_objs;
	sinfo->num_objs = num_objs;
	sinfo->active_slabs = active_slabs;
	sinfo->num_slabs = total_slabs;
	sinfo->shared_avail = shared_avail;
	sinfo->limit = c->limit;
	sinfo->batchcount = c->batchcount;
	sinfo->shared = c->shared;
	sinfo->objects_per_slab = c->num;
	sinfo->cache_order = c->gfporder;
}

/*
 * slabinfo_write: " LIMIT BATCHCOUNT SHARED" after the name.  MMFS: bad
 * values are -EINVAL (the kernel silently ignored them); limit and
 * shared * batchcount are capped so the host arrays stay sane.
 */
static int slab_ops_slabinfo_write(struct kmem_cache *cachep, const char *args)
{
	int limit, batchcount, shared, consumed = 0;

	if (!args || sscanf(args, " %d %d %d %n", &limit, &batchcount, &shared, &consumed) != 3)
		return -EINVAL;
	if (args[consumed] != '\0')
		return -EINVAL;
	if (limit < 1 || batchcount < 1 || batchcount > limit || shared < 0)
		return -EINVAL;
	if (limit > 32767 || (long)shared * batchcount > (1L << 20))
		return -EINVAL;
	return do_tune_cpucache(cachep, limit, batchcount, shared, GFP_KERNEL);
}

/* ============================================================ object info */
static bool array_holds(const struct array_cache *ac, const void *slot)
{
	if (!ac)
		return false;
	for (unsigned int i = 0; i < ac->avail; i++)
		if (ac->entry[i] == slot)
			return true;
	return false;
}

/* Is the slot free: in its slab's freelist, a cpu array, a shared or alien array? */
static bool slot_is_free(struct kmem_cache *s, struct slab *slab, unsigned int idx, void *slot)
{
	struct slab_cache *c = sc(s);
	bool is_free = false;
	int cpu, node;

	for_each_possible_cpu(cpu) {
		spin_lock(&c->cpu_cache[cpu].lock);
		is_free = array_holds(c->cpu_cache[cpu].ac, slot);
		spin_unlock(&c->cpu_cache[cpu].lock);
		if (is_free)
			return true;
	}
	for_each_online_node(node) {
		struct kmem_list3 *n = get_node(s, node);

		if (!n)
			continue;
		if (n->alien) {
			int i;

			for_each_online_node(i) {
				struct alien_cache *alc = n->alien[i];

				if (!alc)
					continue;
				spin_lock(&alc->lock);
				is_free = array_holds(&alc->ac, slot);
				spin_unlock(&alc->lock);
				if (is_free)
					return true;
			}
		}
		spin_lock(&n->list_lock);
		is_free = array_holds(n->shared, slot);
		if (!is_free && node == slab_nid(slab) && slab->freelist) {
			for (unsigned int i = slab_active(slab); i < c->num; i++)
				if (get_free_obj(slab, i) == idx) {
					is_free = true;
					break;
				}
		}
		spin_unlock(&n->list_lock);
		if (is_free)
			return true;
	}
	return false;
}

static int slab_ops_object_info(const void *ptr, struct slab_object_info *info)
{
	struct slab *slab = virt_to_slab(ptr);
	struct kmem_cache *s;
	struct slab_cache *c;
	char *s_mem, *slot;
	unsigned long off;
	unsigned int idx;

	if (!slab || !(s = slab->slab_cache) || !(c = sc(s)))
		return -ENOENT;
	s_mem = slab_s_mem(slab);
	if ((const char *)ptr < s_mem)
		return -ENOENT;
	off = (unsigned long)((const char *)ptr - s_mem);
	idx = (unsigned int)(off / s->size);
	if (idx >= c->num)
		return -ENOENT;
	slot = s_mem + (unsigned long)idx * s->size;
	info->s = s;
	info->slab = slab;
	info->object = slot + c->obj_offset;
	info->index = idx;
	info->is_free = slot_is_free(s, slab, idx, slot);
	info->in_object = (const char *)ptr >= (char *)info->object &&
			  (const char *)ptr < (char *)info->object + s->object_size;
	return 0;
}

/* ============================================================ validate */
struct vsink {
	char **buf;
	size_t *len, *cap;
	int count;
};

static void vbug(struct vsink *v, struct kmem_cache *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void vbug(struct vsink *v, struct kmem_cache *s, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printk("BUG %s: %s", s->name, line);
	slab_report_append(v->buf, v->len, v->cap, "BUG %s: %s\n", s->name, line);
	v->count++;
}

/*
 * Debug words and poison of one slot.  mode VS_FREE: free in its slab (red
 * zones inactive, poison intact); VS_SLAB: handed out by the slab (red zones
 * active for a user, inactive in an array); VS_ARRAY: in a cpu/shared/alien
 * array (poison intact).
 */
enum { VS_FREE, VS_SLAB, VS_ARRAY };
static void validate_slot(struct vsink *v, struct kmem_cache *s, void *slot, int mode)
{
	unsigned long long r1 = 0, r2 = 0;
	bool inactive = true, slab_free = mode == VS_FREE;

	if (mode == VS_ARRAY) {
		if ((s->flags & SLAB_RED_ZONE) && *dbg_redzone1(s, slot) != RED_INACTIVE)
			return;		/* reported by the slab walk */
	} else if (s->flags & SLAB_RED_ZONE) {
		r1 = *dbg_redzone1(s, slot);
		r2 = *dbg_redzone2(s, slot);
		if (r1 == RED_ACTIVE && r2 == RED_ACTIVE && !slab_free) {
			inactive = false;
		} else if (!(r1 == RED_INACTIVE && r2 == RED_INACTIVE)) {
			vbug(v, s, "Redzone overwritten: object 0x%lx redzone 1:0x%llx, redzone 2:0x%llx",
			     mmfs_kaddr((char *)slot + sc(s)->obj_offset), r1, r2);
			return;
		}
	} else if (!slab_free) {
		return;		/* cannot tell a user's object from a cached one */
	}
	if (mode == VS_SLAB)
		return;		/* poison of cached objects: checked in the arrays */
	if ((s->flags & SLAB_POISON) && inactive) {
		int i = poison_bad_offset(s, slot);

		if (i >= 0)
			vbug(v, s, "Poison overwritten: object 0x%lx offset %d byte 0x%02x",
			     mmfs_kaddr((char *)slot + sc(s)->obj_offset), i,
			     ((unsigned char *)slot + sc(s)->obj_offset)[i]);
	}
}

static void validate_slab(struct vsink *v, struct kmem_cache *s, struct slab *slab, int node,
			  int list, unsigned long *free_objs)
{
	struct slab_cache *c = sc(s);
	unsigned char seen[SLAB_OBJ_MAX_NUM + 1];
	unsigned int active;

	if (!PageSlab(slab_page(slab)) || slab->slab_cache != s) {
		vbug(v, s, "slab 0x%lx on the lists is not a slab of this cache",
		     mmfs_page_kaddr(slab_page(slab)));
		return;
	}
	if (slab_nid(slab) != node)
		vbug(v, s, "slab 0x%lx of node %d on node %d's lists",
		     mmfs_page_kaddr(slab_page(slab)), slab_nid(slab), node);
	active = slab_active(slab);
	if (active > c->num ||
	    (list == 0 && (active == 0 || active == c->num)) ||
	    (list == 1 && active != c->num) || (list == 2 && active != 0)) {
		vbug(v, s, "slab 0x%lx with %u of %u objects active on the %s list",
		     mmfs_page_kaddr(slab_page(slab)), active, c->num,
		     list == 0 ? "partial" : list == 1 ? "full" : "free");
		return;
	}
	*free_objs += c->num - active;
	if (active == c->num && OBJFREELIST_SLAB(s))
		return;		/* no freelist while full */
	if (!slab->freelist) {
		vbug(v, s, "slab 0x%lx has no freelist", mmfs_page_kaddr(slab_page(slab)));
		return;
	}
	memset(seen, 0, sizeof(seen));
	for (unsigned int i = active; i < c->num; i++) {
		unsigned int idx = get_free_obj(slab, i);

		if (idx >= c->num || seen[idx]) {
			vbug(v, s, "slab 0x%lx freelist[%u]=%u is %s",
			     mmfs_page_kaddr(slab_page(slab)), i, idx,
			     idx >= c->num ? "out of range" : "a duplicate");
			return;
		}
		seen[idx] = 1;
	}
	if (!slab_debug(s))
		return;
	for (unsigned int i = 0; i < c->num; i++) {
		void *slot = index_to_obj(s, slab, i);

		/* an OBJFREELIST host object holds the index array, not poison */
		if (OBJFREELIST_SLAB(s) && (char *)slab->freelist == (char *)slot + c->obj_offset)
			continue;
		validate_slot(v, s, slot, seen[i] ? VS_FREE : VS_SLAB);
	}
}

static void validate_array(struct vsink *v, struct kmem_cache *s, struct array_cache *ac,
			   const char *what)
{
	if (!ac)
		return;
	if (ac->avail > ac->limit)
		vbug(v, s, "%s array holds %u of %u", what, ac->avail, ac->limit);
	for (unsigned int i = 0; i < ac->avail && i < ac->limit; i++) {
		struct page *page = virt_to_page(ac->entry[i]);

		page = page ? compound_head(page) : NULL;
		if (!page || !PageSlab(page) || page_slab(page)->slab_cache != s) {
			vbug(v, s, "%s array entry %u (0x%lx) is not an object of this cache", what,
			     i, mmfs_kaddr(ac->entry[i]));
			continue;
		}
		if (slab_debug(s))
			validate_slot(v, s, ac->entry[i], VS_ARRAY);
	}
}

static int slab_ops_validate(struct kmem_cache *s, char **buf, size_t *len, size_t *cap)
{
	struct vsink v = { buf, len, cap, 0 };
	struct slab_cache *c = sc(s);
	int node, cpu;

	if (!c)
		return 0;
	for_each_possible_cpu(cpu) {
		spin_lock(&c->cpu_cache[cpu].lock);
		validate_array(&v, s, c->cpu_cache[cpu].ac, "cpu");
		spin_unlock(&c->cpu_cache[cpu].lock);
	}
	for_each_online_node(node) {
		struct kmem_list3 *n = get_node(s, node);
		struct list_head *lists[3];
		unsigned long slabs = 0, free_slabs = 0, free_objs = 0;
		struct slab *slab;

		if (!n)
			continue;
		lists[0] = &n->slabs_partial;
		lists[1] = &n->slabs_full;
		lists[2] = &n->slabs_free;
		if (n->alien) {
			int i;

			for_each_online_node(i) {
				if (!n->alien[i])
					continue;
				spin_lock(&n->alien[i]->lock);
				validate_array(&v, s, &n->alien[i]->ac, "alien");
				spin_unlock(&n->alien[i]->lock);
			}
		}
		spin_lock(&n->list_lock);
		validate_array(&v, s, n->shared, "shared");
		for (int l = 0; l < 3; l++) {
			list_for_each_entry(slab, lists[l], slab_list) {
				validate_slab(&v, s, slab, node, l, &free_objs);
				slabs++;
				if (l == 2)
					free_slabs++;
				if (slabs > (1UL << 26))
					break;
			}
		}
		if (slabs != n->total_slabs || free_slabs != n->free_slabs)
			vbug(&v, s, "node %d: %lu slabs (%lu free) on the lists, counters say %lu (%lu)",
			     node, slabs, free_slabs, n->total_slabs, n->free_slabs);
		if (free_objs != n->free_objects)
			vbug(&v, s, "node %d: %lu free objects in the slabs, free_objects=%lu", node,
			     free_objs, n->free_objects);
		spin_unlock(&n->list_lock);
	}
	return v.count;
}

/* ============================================================ attributes */
static const struct mmfs_slab_attr slab_attrs[] = {
	{ "align", 0400 },
	{ "batchcount", 0400 },
	{ "cache_dma", 0400 },
	{ "ctor", 0400 },
	{ "destroy_by_rcu", 0400 },
	{ "hwcache_align", 0400 },
	{ "limit", 0400 },
	{ "object_size", 0400 },
	{ "objects", 0400 },
	{ "objects_partial", 0400 },
	{ "objs_per_slab", 0400 },
	{ "order", 0400 },
	{ "partial", 0400 },
	{ "poison", 0400 },
	{ "reclaim_account", 0400 },
	{ "red_zone", 0400 },
	{ "shared", 0400 },
	{ "shrink", 0600 },
	{ "slab_size", 0400 },
	{ "slabs", 0400 },
	{ "store_user", 0400 },
	{ "total_objects", 0400 },
	{ "usersize", 0400 },
	{ "validate", 0600 },
	{ NULL, 0 }
};

/* Per-node sums for the attribute files: what = 0 slabs, 1 partial slabs,
 * 2 active objects, 3 objects in partial slabs, 4 total objects. */
static long show_nodes(struct kmem_cache *s, int what, char *buf, size_t len)
{
	unsigned long nodes[MAX_NUMNODES], total = 0;
	size_t pos;
	int node;

	memset(nodes, 0, sizeof(nodes));
	for_each_online_node(node) {
		struct kmem_list3 *n = get_node(s, node);
		struct slab *slab;
		unsigned long x = 0;

		if (!n)
			continue;
		spin_lock(&n->list_lock);
		switch (what) {
		case 0: x = n->total_slabs; break;
		case 1:
			list_for_each_entry(slab, &n->slabs_partial, slab_list)
				x++;
			break;
		case 2: x = n->total_slabs * sc(s)->num - n->free_objects; break;
		case 3:
			list_for_each_entry(slab, &n->slabs_partial, slab_list)
				x += slab_active(slab);
			break;
		case 4: x = n->total_slabs * sc(s)->num; break;
		}
		spin_unlock(&n->list_lock);
		nodes[node] = x;
		total += x;
	}
	pos = (size_t)snprintf(buf, len, "%lu", total);
	for (node = 0; node < nr_node_ids && pos < len; node++)
		if (nodes[node])
			pos += (size_t)snprintf(buf + pos, len - pos, " N%d=%lu", node, nodes[node]);
	if (pos < len)
		pos += (size_t)snprintf(buf + pos, len - pos, "\n");
	return (long)min(pos, len ? len - 1 : 0);
}

static long slab_ops_attr_show(struct kmem_cache *s, const char *attr, char *buf, size_t len)
{
	struct slab_cache *c = sc(s);
	int n = -1;

	if (!len)
		return -EINVAL;
	buf[0] = '\0';
	/* the SLAB_* flag files are slab_common.c's (slab_flag_attr_show) */
	if (!strcmp(attr, "align"))
		n = snprintf(buf, len, "%u\n", s->align);
	else if (!strcmp(attr, "batchcount"))
		n = snprintf(buf, len, "%u\n", c->batchcount);
	else if (!strcmp(attr, "ctor"))
		n = s->ctor ? snprintf(buf, len, "0x%lx\n", (unsigned long)s->ctor) : 0;
	else if (!strcmp(attr, "limit"))
		n = snprintf(buf, len, "%u\n", c->limit);
	else if (!strcmp(attr, "object_size"))
		n = snprintf(buf, len, "%u\n", s->object_size);
	else if (!strcmp(attr, "objects"))
		return show_nodes(s, 2, buf, len);
	else if (!strcmp(attr, "objects_partial"))
		return show_nodes(s, 3, buf, len);
	else if (!strcmp(attr, "objs_per_slab"))
		n = snprintf(buf, len, "%u\n", c->num);
	else if (!strcmp(attr, "order"))
		n = snprintf(buf, len, "%u\n", c->gfporder);
	else if (!strcmp(attr, "partial"))
		return show_nodes(s, 1, buf, len);
	else if (!strcmp(attr, "shared"))
		n = snprintf(buf, len, "%u\n", c->shared);
	else if (!strcmp(attr, "shrink") || !strcmp(attr, "validate"))
		n = 0;
	else if (!strcmp(attr, "slab_size"))
		n = snprintf(buf, len, "%u\n", s->size);
	else if (!strcmp(attr, "slabs"))
		return show_nodes(s, 0, buf, len);
	else if (!strcmp(attr, "total_objects"))
		return show_nodes(s, 4, buf, len);
	else if (!strcmp(attr, "usersize"))
		n = snprintf(buf, len, "%u\n", s->usersize);
	else
		return -ENOENT;
	if (n < 0)
		n = 0;
	return (long)min((size_t)n, len - 1);
}

const struct slab_allocator_ops slab_ops = {
	.name = "SLAB",
	.kmem_cache_init = slab_kmem_cache_init,
	.kmem_cache_teardown = slab_kmem_cache_teardown,
	.cache_create = __kmem_cache_create,
	.cache_shutdown = __kmem_cache_shutdown,
	.cache_release = __kmem_cache_release,
	.cache_shrink = __kmem_cache_shrink,
	.alloc = slab_ops_alloc,
	.free = slab_ops_free,
	.alloc_bulk = slab_ops_alloc_bulk,
	.ksize = slab_ops_ksize,
	.get_slabinfo = slab_ops_get_slabinfo,
	.has_slabinfo = true,
	.attrs = slab_attrs,
	.attr_show = slab_ops_attr_show,
	.validate = slab_ops_validate,
	.object_info = slab_ops_object_info,
	.slabinfo_write = slab_ops_slabinfo_write,
};

/* MMFS: slab_common.c refers to slab_ops/slob_ops weakly, which does not pull
 * slab.o/slob.o out of libmm.a; this strong reference makes whoever links
 * slab.o (any caller of mmfs_slab_reap_start) get slob.o too. */
extern const char mmfs_slob_linked;
const void *const mmfs_slab_slob_ops[2] = { &slab_ops, &mmfs_slob_linked };
