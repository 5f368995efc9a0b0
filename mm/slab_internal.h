/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slab_internal.h - the slab allocators' private structures (mm/slab.h,
 * include/linux/slub_def.h of a 6.x kernel) and the table through which
 * slab_common.c dispatches to SLUB (slub.c), SLAB (slab.c) or SLOB (slob.c).
 *
 * struct slab overlays struct page word for word, as the kernel's does:
 *   0  flags          PG_slab, PG_locked (slab_lock), node/zone bits
 *   8  slab_list      node partial/full list link (page->lru);
 *                     or next + slabs while on a cpu partial list
 *  24  slab_cache     the owning kmem_cache (page->mapping)
 *  32  freelist       first free object (page->index)
 *  40  counters       inuse:16 objects:15 frozen:1 (page->private)
 *  48  page_type      untouched (page->_mapcount stays -1)
 *  52  refcount       page->_refcount
 *  56  mmfs_ext       page->mmfs_ext
 *
 * Lock order (SLUB): slab_mutex -> kmem_cache_node.list_lock ->
 * kmem_cache_cpu.lock -> slab_lock (PG_locked bit of slab->flags) ->
 * zone->lock (page allocator).
 */
#ifndef MMFS_SLAB_INTERNAL_H
#define MMFS_SLAB_INTERNAL_H
#include "slab.h"

/* ---- flags only the implementation uses (include/linux/slab.h, 6.x) ---- */
#define SLAB_KMALLOC		((slab_flags_t)0x00001000U)	/* a kmalloc-* cache */
#define SLAB_NO_MERGE		((slab_flags_t)0x01000000U)	/* never merge */
#define __OBJECT_POISON		((slab_flags_t)0x80000000U)	/* poison the object itself */
#define SLAB_DEBUG_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | \
				 SLAB_TRACE | SLAB_CONSISTENCY_CHECKS)
#define SLAB_CORE_FLAGS		(SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | \
				 SLAB_PANIC | SLAB_TYPESAFE_BY_RCU | SLAB_ACCOUNT | \
				 SLAB_NO_USER_FLAGS | SLAB_KMALLOC | SLAB_NO_MERGE)
#define SLAB_CACHE_FLAGS	(SLAB_NOLEAKTRACE | SLAB_RECLAIM_ACCOUNT | SLAB_MEM_SPREAD | \
				 SLAB_FAILSLAB)
#define SLAB_FLAGS_PERMITTED	(SLAB_CORE_FLAGS | SLAB_DEBUG_FLAGS | SLAB_CACHE_FLAGS)

/* poison values (include/linux/poison.h) */
#define SLUB_RED_INACTIVE	0xbb
#define SLUB_RED_ACTIVE		0xcc
#define POISON_INUSE		0x5a
#define POISON_FREE		0x6b
#define POISON_END		0xa5

#define ARCH_KMALLOC_MINALIGN	8
#define ARCH_SLAB_MINALIGN	8
#define KMALLOC_SHIFT_MAX	(MAX_ORDER + PAGE_SHIFT - 1)	/* SLAB: = KMALLOC_SHIFT_HIGH_SLAB */
#define KMALLOC_MAX_SIZE	(1UL << KMALLOC_SHIFT_MAX)	/* 4 MiB: the largest object */
_Static_assert(KMALLOC_SHIFT_HIGH_SLAB == KMALLOC_SHIFT_MAX, "SLAB serves every kmalloc from caches");
#define MAX_OBJS_PER_PAGE	32767		/* objects is a 15-bit field */

/* MMFS: page_owner id of a large kmalloc block (the kernel marks it
 * PG_large_kmalloc); lets kfree() tell it from a plain page block. */
#define MMFS_OWNER_ID_KMALLOC_LARGE	0x6b6d6c67L

enum kmalloc_cache_type {
	KMALLOC_NORMAL = 0,
	KMALLOC_RECLAIM,	/* kmalloc-rcl-*: __GFP_RECLAIMABLE */
	KMALLOC_DMA,		/* dma-kmalloc-*: __GFP_DMA */
	NR_KMALLOC_TYPES
};
/* room for the largest geometry (SLAB's); slots above kmalloc_shift_high stay NULL */
#define KMALLOC_CACHES		(KMALLOC_SHIFT_MAX + 1)
extern struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_CACHES];
struct kmalloc_info_struct {
	const char *name[NR_KMALLOC_TYPES];	/* "kmalloc-64", "kmalloc-rcl-64", "dma-kmalloc-64" */
	unsigned int size;
};
extern const struct kmalloc_info_struct kmalloc_info[KMALLOC_CACHES];

enum slab_state { DOWN, PARTIAL, PARTIAL_NODE, UP, FULL };
extern enum slab_state slab_state;
extern struct mutex slab_mutex;		/* protects slab_caches and cache create/destroy */
extern struct list_head slab_caches;	/* newest first */
extern struct kmem_cache *kmem_cache;	/* the cache of struct kmem_cache */
#define nr_node_ids	nr_online_nodes

/* ---- struct slab: overlays struct page ---- */
struct kmem_cache;
struct slab {
	unsigned long __page_flags;		/* PG_slab, PG_locked = slab_lock */
	union {
		struct list_head slab_list;	/* node partial / full list */
		struct {			/* on a cpu partial list */
			struct slab *next;	/* next cpu partial slab */
			int slabs;		/* slabs on the list from here on */
		};
	};
	struct kmem_cache *slab_cache;		/* owner */
	void *freelist;				/* first free object (encoded links follow) */
	union {
		unsigned long counters;		/* the three below as one word */
		struct {
			unsigned inuse:16;	/* objects handed out (cpu freelist counts as in use) */
			unsigned objects:15;	/* objects in this slab */
			unsigned frozen:1;	/* a cpu's active slab */
		};
	};
	unsigned int __page_type;		/* page->page_type: untouched */
	atomic_t __page_refcount;		/* page->_refcount */
	unsigned long __mmfs_ext;		/* page->mmfs_ext */
};
#define SLAB_MATCH(pg, sl) \
	_Static_assert(offsetof(struct page, pg) == offsetof(struct slab, sl), "slab overlay " #sl)
SLAB_MATCH(flags, __page_flags);
SLAB_MATCH(lru, slab_list);
SLAB_MATCH(mapping, slab_cache);
SLAB_MATCH(index, freelist);
SLAB_MATCH(private, counters);
SLAB_MATCH(_mapcount, __page_type);
SLAB_MATCH(_refcount, __page_refcount);
SLAB_MATCH(mmfs_ext, __mmfs_ext);
#undef SLAB_MATCH
_Static_assert(sizeof(struct slab) <= sizeof(struct page), "struct slab fits struct page");
_Static_assert(sizeof(struct slab) <= 64, "struct slab <= 64 bytes");

static inline struct page *slab_page(const struct slab *slab) { return (struct page *)slab; }
static inline struct slab *page_slab(const struct page *page) { return (struct slab *)page; }
static inline int slab_nid(const struct slab *slab) { return page_to_nid(slab_page(slab)); }
static inline unsigned int slab_order(const struct slab *slab) { return compound_order(slab_page(slab)); }
static inline size_t slab_size(const struct slab *slab) { return PAGE_SIZE << slab_order(slab); }
static inline void *slab_address(const struct slab *slab) { return page_address(slab_page(slab)); }
/* The slab holding addr (a direct-map host pointer), or NULL if not a slab page. */
struct slab *virt_to_slab(const void *addr);

/* ---- SLUB: order and objects of a slab in one word ---- */
struct kmem_cache_order_objects { unsigned int x; };	/* order << 16 | objects */

/* User tracking (SLAB_STORE_USER). MMFS: comm instead of the stack-depot
 * handle, so a track is 40 bytes (the kernel's is 32 with STACKDEPOT). */
struct track {
	unsigned long addr;	/* caller (return address) */
	int cpu;		/* simulated CPU */
	int pid;		/* client pid */
	unsigned long when;	/* jiffies */
	char comm[16];		/* client command */
};
enum track_item { TRACK_ALLOC, TRACK_FREE };

/*
 * The per-cpu state (kmem_cache_cpu).  MMFS: the kernel changes (freelist,
 * tid) with this_cpu_cmpxchg_double, atomic against its own CPU only;
 * several host threads share one simulated CPU here, so the fast path takes
 * this cpu's own lock with spin_trylock (no shared lock: only threads on
 * the same simulated CPU ever meet on it) and the slow path takes it as the
 * kernel takes local_lock.  tid still advances on every change.
 */
struct kmem_cache_cpu {
	spinlock_t lock;		/* the kernel's local_lock */
	void *freelist;			/* next object to hand out (private to this cpu) */
	unsigned long tid;		/* transaction id */
	struct slab *slab;		/* the active (frozen) slab */
	struct slab *partial;		/* cpu partial slabs (unfrozen), ->next linked */
	unsigned long slab_start;	/* MMFS: [start, end) of slab, to range-check */
	unsigned long slab_end;		/*   freelist links before following them */
} ____cacheline_aligned;

/* The per-node state (kmem_cache_node). */
struct kmem_cache_node {
	spinlock_t list_lock;		/* protects partial, full, nr_partial */
	unsigned long nr_partial;	/* slabs on partial */
	struct list_head partial;	/* partially used slabs (unfrozen) */
	atomic_long_t nr_slabs;		/* every slab of this node */
	atomic_long_t total_objects;	/* capacity of those slabs */
	struct list_head full;		/* full slabs (debug caches only) */
	unsigned long nr_full;		/* MMFS: slabs on full */
};

struct kmem_cache {
	/* ---- common (slab_common.c) ---- */
	const char *name;		/* unique name */
	struct list_head list;		/* slab_caches link */
	int refcount;			/* 1 + aliases; -1 = never merge (boot caches) */
	slab_flags_t flags;		/* SLAB_* including debug flags */
	unsigned int object_size;	/* what the user asked for */
	unsigned int size;		/* object slot incl. metadata */
	unsigned int align;		/* object alignment */
	unsigned int useroffset, usersize;	/* usercopy region */
	void (*ctor)(void *);		/* constructor */
	bool name_allocated;		/* MMFS: name was kstrdup'ed */
	void *allocator_private;	/* MMFS: SLAB / SLOB per-cache data */
	/* ---- SLUB (slub.c) ---- */
	struct kmem_cache_cpu *cpu_slab;	/* [nr_cpu_ids] */
	unsigned long min_partial;	/* keep this many partial slabs per node */
	unsigned int offset;		/* free pointer offset */
	unsigned int cpu_partial;	/* objects allowed on cpu partial lists */
	unsigned int cpu_partial_slabs;	/* the same in slabs */
	struct kmem_cache_order_objects oo;	/* preferred order / objects */
	struct kmem_cache_order_objects min;	/* fallback (smallest) order */
	gfp_t allocflags;		/* gfp for every slab allocation */
	unsigned int inuse;		/* offset to the metadata */
	unsigned int red_left_pad;	/* left red zone */
	unsigned long random;		/* freelist hardening secret */
	unsigned int *random_seq;	/* CONFIG_SLAB_FREELIST_RANDOM: offsets */
	unsigned int remote_node_defrag_ratio;	/* sysfs value (x10) */
	struct kmem_cache_node *node[MAX_NUMNODES];	/* only [nr_node_ids] allocated */
};

static __always_inline bool slab_want_init_on_alloc(gfp_t flags, struct kmem_cache *s)
{
	if (mm_cfg.init_on_alloc) {
		if (s->ctor)
			return false;
		if (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON))
			return flags & __GFP_ZERO;
		return true;
	}
	return flags & __GFP_ZERO;
}

static __always_inline bool slab_want_init_on_free(struct kmem_cache *s)
{
	if (unlikely(mm_cfg.init_on_free))
		return !(s->ctor || (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)));
	return false;
}

/* ---- slab page accounting, shared by SLAB and SLUB (6.1 mm/slab.h) ---- */
static inline enum node_stat_item cache_vmstat_idx(const struct kmem_cache *s)
{
	return (s->flags & SLAB_RECLAIM_ACCOUNT) ? NR_SLAB_RECLAIMABLE_B : NR_SLAB_UNRECLAIMABLE_B;
}

/* the _B items take bytes (vmstat shows them in pages) */
static __always_inline void account_slab(struct slab *slab, int order, struct kmem_cache *s)
{
	mod_node_page_state(NODE_DATA(slab_nid(slab)), cache_vmstat_idx(s), (long)(PAGE_SIZE << order));
}

static __always_inline void unaccount_slab(struct slab *slab, int order, struct kmem_cache *s)
{
	mod_node_page_state(NODE_DATA(slab_nid(slab)), cache_vmstat_idx(s), -(long)(PAGE_SIZE << order));
}

/* ---- the dispatch table (one per allocator) ----
 * slab_common.c owns names, slab_caches, kmalloc_caches[], size_index[],
 * large kmalloc and the checked mmfs_* entry points; the allocator owns
 * everything below.  Return conventions: 0 / -errno.
 */
struct slabinfo {
	unsigned long active_objs, num_objs, active_slabs, num_slabs, shared_avail;
	unsigned int limit, batchcount, shared, objects_per_slab, cache_order;
};
/* What a slab address is (mmfs_slab_object_at, checked frees, lookup). */
struct slab_object_info {
	struct kmem_cache *s;		/* owning cache */
	struct slab *slab;		/* its slab (struct page of the head) */
	void *object;			/* start of the object (user pointer) */
	unsigned int index;		/* object index in the slab */
	bool is_free;			/* on a freelist */
	bool in_object;			/* addr lies in [object, object + object_size) */
};
struct slab_allocator_ops {
	const char *name;					/* "SLUB" */
	/* kmem_cache_init(): bootstrap kmem_cache (and its node cache), state UP */
	int (*kmem_cache_init)(void);
	/* drop every slab page and per-cpu array (mmfs_slab_shutdown) */
	void (*kmem_cache_teardown)(void);
	/* s->name/object_size/align/flags/ctor set: lay out and make it usable */
	int (*cache_create)(struct kmem_cache *s, slab_flags_t flags);
	/* release empty slabs; -EBUSY (nothing freed) if objects are live */
	int (*cache_shutdown)(struct kmem_cache *s);
	/* free what cache_create allocated (after cache_shutdown succeeded) */
	void (*cache_release)(struct kmem_cache *s);
	int (*cache_shrink)(struct kmem_cache *s);
	void *(*alloc)(struct kmem_cache *s, gfp_t gfp, int node, unsigned long caller,
		       size_t orig_size);
	void (*free)(struct kmem_cache *s, struct slab *slab, void *obj, unsigned long caller);
	int (*alloc_bulk)(struct kmem_cache *s, gfp_t gfp, size_t nr, void **p);
	size_t (*ksize)(struct kmem_cache *s, const void *obj);	/* usable bytes */
	void (*get_slabinfo)(struct kmem_cache *s, struct slabinfo *info);
	bool has_slabinfo;					/* SLOB: false */
	const struct mmfs_slab_attr *attrs;			/* NULL-name terminated */
	long (*attr_show)(struct kmem_cache *s, const char *attr, char *buf, size_t len);
	/* optional: writable attributes other than shrink and validate (which
	 * slab_common.c runs through cache_shrink/validate); attr is writable */
	int (*attr_store)(struct kmem_cache *s, const char *attr, const char *buf, size_t len);
	/* check every object; append "BUG ..." lines; return how many */
	int (*validate)(struct kmem_cache *s, char **buf, size_t *len, size_t *cap);
	/* which object is at ptr: 0 (info filled) or -ENOENT */
	int (*object_info)(const void *ptr, struct slab_object_info *info);
	int (*slabinfo_write)(struct kmem_cache *s, const char *args);	/* SLAB tunables */
	/* optional: krealloc kept obj, now holding new_size bytes (kmalloc redzone) */
	void (*krealloc_resize)(struct kmem_cache *s, void *obj, size_t new_size);
	/*
	 * optional (SLOB): kmalloc of any size without kmalloc caches.  Its
	 * slab pages may leave slab_cache NULL: kfree/ksize then pass NULL
	 * as the cache to free/ksize, and kmem_cache_free skips its
	 * wrong-cache check.
	 */
	void *(*kmalloc)(size_t size, gfp_t gfp, int node, unsigned long caller);
};
extern const struct slab_allocator_ops slub_ops;
extern const struct slab_allocator_ops slab_ops __attribute__((weak));
extern const struct slab_allocator_ops slob_ops __attribute__((weak));
extern const struct slab_allocator_ops *slab_alloc_ops;	/* the booted one */

/* ---- slab_common.c, for the allocators ---- */
unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size);
void create_boot_cache(struct kmem_cache *s, const char *name, unsigned int size,
		       slab_flags_t flags, unsigned int useroffset, unsigned int usersize);
struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags);
void create_kmalloc_node_cache(unsigned int size);	/* SLAB: INDEX_NODE first */
#define GFP_SLAB_BUG_MASK	(__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)
gfp_t kmalloc_fix_flags(gfp_t flags);
void *kmalloc_large_node(size_t size, gfp_t flags, int node);
void free_large_kmalloc(struct page *head, void *object);
slab_flags_t kmem_cache_flags(unsigned int object_size, slab_flags_t flags, const char *name);
/* init_on_alloc= / init_on_free= (or __GFP_ZERO): zero the object? */
static __always_inline bool slab_want_init_on_alloc(gfp_t flags, struct kmem_cache *s);
static __always_inline bool slab_want_init_on_free(struct kmem_cache *s);
/* slub_debug= parsing result (slab_common.c: setup_slub_debug) */
extern slab_flags_t slub_debug;			/* global flags */
extern char slub_debug_string[128];		/* cache list, "" = every cache */
/* append to a validate report */
void slab_report_append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* CONFIG_SLAB_FREELIST_RANDOM (slab_common.c, shared by SLAB and SLUB):
 * a random permutation of 0..count-1 in cachep->random_seq (host memory);
 * 0 or -ENOMEM.  SLUB scales it to byte offsets afterwards. */
int cache_random_seq_create(struct kmem_cache *cachep, unsigned int count, gfp_t gfp);
void cache_random_seq_destroy(struct kmem_cache *cachep);
/* The value written to a trigger attribute (shrink, validate): 0 for "1"
 * or "1\n", else -EINVAL. */
int slab_attr_trigger_value(const char *buf, size_t len);
/* cheap random numbers for hardening/shuffling (seeded per boot) */
unsigned long slab_get_random_long(void);
unsigned int slab_get_random_u32_below(unsigned int ceil);

/* ---- slub.c, for tests ---- */
unsigned int slub_calculate_order(unsigned int size);	/* calculate_order() with current nr_cpu_ids */
int slub_calculate_sizes(struct kmem_cache *s);	/* 1 ok, 0 cannot */
unsigned int oo_order(struct kmem_cache_order_objects x);
unsigned int oo_objects(struct kmem_cache_order_objects x);

#endif /* MMFS_SLAB_INTERNAL_H */
