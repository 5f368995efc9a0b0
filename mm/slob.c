/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slob.c - the SLOB allocator: Simple List Of Blocks (mm/slob.c of Linux
 * 6.1, before its removal).
 *
 * A K&R style heap over pages from the page allocator.  Within a page, free
 * blocks form a singly linked, address ordered list of slob_t units (2 bytes
 * each): a free block of more than one unit holds its size in its first
 * unit and the offset of the next free block in its second; a one-unit
 * block holds minus the offset of the next.  Partially free pages wait on
 * three lists by request size (< 256, < 1024, the rest).  slob_alloc() finds
 * a page with enough free units (next-fit over the list, rotating the page
 * that served to the front), then slob_page_alloc() does a first fit in it;
 * slob_free() reinserts in address order, merging with both neighbours, and
 * gives a page that became entirely free back at once.
 *
 * kmalloc() puts a header of ARCH_KMALLOC_MINALIGN bytes holding the size in
 * front of the block; sizes of PAGE_SIZE - header and up are whole pages
 * (a plain compound page block, not PG_slab: kfree gives it back to the page
 * allocator and ksize is its size, as 6.1's kfree/__ksize do).  There are no
 * kmalloc caches: slab_common.c calls slob_kmalloc() (slob_ops.kmalloc) for
 * every kmalloc, and caches/ lists kmem_cache and the users' caches only.
 * kmem_cache_alloc() is slob_alloc() of the cache's size with its alignment.
 *
 * struct slab for SLOB (6.1): slab_list, freelist (first free slob_t),
 * units (free units, in slab->counters); PG_slab on every slob page and
 * PG_private (PageSlobFree, 6.1's PG_slob_free = PG_private) while the page
 * is on a free list.
 *
 * MMFS departures, all forced by slab_common.c's kmem_cache_free() and
 * kfree(), which find the cache through page->slab_cache:
 *  - every cache has its own three lists, so each slob page belongs to one
 *    cache (slab->slab_cache); the small kmalloc blocks live in the pages
 *    of a private pseudo cache named "kmalloc" (object_size 0, never
 *    destroyed).  It is not on slab_caches, so caches/ and slabinfo-less
 *    SLOB show what a 6.1 SLOB kernel has; it is reachable only through
 *    kmalloc/kfree/ksize, mmfs_slab_object_at names it "kmalloc", and it is
 *    validated together with kmem_cache.  kmalloc_caches[] stay NULL;
 *  - kmem_cache objects of a page or more are PG_slab page blocks marked by
 *    units == SLOB_PAGE_BIG (kmem_cache_free finds their cache through
 *    slab_cache); large kmalloc is slab_common's kmalloc_large_node, plain
 *    pages as in 6.1;
 *  - a cache with live objects refuses destruction (-EBUSY): live objects
 *    are counted per cache.
 *
 * Lock order: slab_mutex -> slob_lock -> zone->lock (page allocator).
 */
#include "slab_internal.h"
#include "internal.h"
#include "trace.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int16_t slobidx_t;	/* PAGE_SIZE <= 32767 * 2 */
struct slob_block {
	slobidx_t units;
};
typedef struct slob_block slob_t;

#define SLOB_BREAK1		256
#define SLOB_BREAK2		1024
#define SLOB_UNIT		sizeof(slob_t)
#define SLOB_UNITS(size)	DIV_ROUND_UP(size, SLOB_UNIT)
#define SLOB_PAGE_BIG		(~0UL)		/* slab->counters of a whole-page block */
#define SLOB_MINALIGN		max(ARCH_KMALLOC_MINALIGN, ARCH_SLAB_MINALIGN)

/* struct slob_rcu sits at the tail of SLAB_TYPESAFE_BY_RCU objects (size only here) */
#define SLOB_RCU_SIZE		16

/* Per cache: the three lists of partially free pages (MMFS: see above). */
struct slob_cache {
	struct list_head free_slob_small;
	struct list_head free_slob_medium;
	struct list_head free_slob_large;
	atomic_long_t objects;		/* live objects */
	atomic_long_t pages;		/* pages held (slob pages and big blocks) */
};

/* slob_lock protects all slob allocator structures. */
static spinlock_t slob_lock;
static struct kmem_cache slob_kmem_cache_boot, slob_kmalloc_cache;

static inline struct slob_cache *sobc(const struct kmem_cache *s)
{
	return (struct slob_cache *)s->allocator_private;
}

static inline long slob_page_units(const struct slab *sp) { return (long)sp->counters; }
static inline void set_slob_page_units(struct slab *sp, long units) { sp->counters = (unsigned long)units; }
static inline bool slob_page_big(const struct slab *sp) { return sp->counters == SLOB_PAGE_BIG; }

/* slob_page_free: true for pages on a free_slob_* list. */
static inline int slob_page_free(struct slab *sp)
{
	return PagePrivate(slab_page(sp));
}

static void set_slob_page_free(struct slab *sp, struct list_head *list)
{
	list_add(&sp->slab_list, list);
	__SetPagePrivate(slab_page(sp));
}

static inline void clear_slob_page_free(struct slab *sp)
{
	list_del(&sp->slab_list);
	__ClearPagePrivate(slab_page(sp));
}

/* Encode the given size and next info into a free slob block s. */
static void set_slob(slob_t *s, slobidx_t size, slob_t *next)
{
	slob_t *base = (slob_t *)((unsigned long)s & PAGE_MASK);
	slobidx_t offset = (slobidx_t)(next - base);

	if (size > 1) {
		s[0].units = size;
		s[1].units = offset;
	} else {
		s[0].units = (slobidx_t)-offset;
	}
}

/* Return the size of a slob block. */
static slobidx_t slob_units(slob_t *s)
{
	if (s->units > 0)
		return s->units;
	return 1;
}

/* Return the next free slob block pointer after this one. */
static slob_t *slob_next(slob_t *s)
{
	slob_t *base = (slob_t *)((unsigned long)s & PAGE_MASK);
	slobidx_t next;

	if (s[0].units < 0)
		next = (slobidx_t)-s[0].units;
	else
		next = s[1].units;
	return base + next;
}

/* Returns true if s is the last free block in its page. */
static int slob_last(slob_t *s)
{
	return !((unsigned long)slob_next(s) & ~PAGE_MASK);
}

static inline struct list_head *slob_list_for(struct kmem_cache *c, size_t size)
{
	if (size < SLOB_BREAK1)
		return &sobc(c)->free_slob_small;
	if (size < SLOB_BREAK2)
		return &sobc(c)->free_slob_medium;
	return &sobc(c)->free_slob_large;
}

static struct page *slob_new_pages(struct kmem_cache *c, gfp_t gfp, int order, int node)
{
	struct page *page;

	if (node != NUMA_NO_NODE)
		page = alloc_pages_node(node, gfp, (unsigned int)order);
	else
		page = alloc_pages(gfp, (unsigned int)order);
	if (!page)
		return NULL;
	if (!page_address(page)) {
		__free_pages(page, (unsigned int)order);
		return NULL;
	}
	mod_node_page_state(NODE_DATA(page_to_nid(page)), NR_SLAB_UNRECLAIMABLE_B,
			    (long)(PAGE_SIZE << order));
	atomic_long_add(1L << order, &sobc(c)->pages);
	__SetPageSlab(page);
	page_slab(page)->slab_cache = c;
	mmfs_set_owner(page, MMFS_OWNER_SLAB, 0);
	return page;
}

static void slob_free_pages(struct kmem_cache *c, struct page *page, int order)
{
	struct slab *sp = page_slab(page);

	__ClearPageSlab(page);
	__ClearPagePrivate(page);
	sp->slab_cache = NULL;
	sp->freelist = NULL;
	sp->counters = 0;
	INIT_LIST_HEAD(&sp->slab_list);
	page_mapcount_reset(page);
	mod_node_page_state(NODE_DATA(page_to_nid(page)), NR_SLAB_UNRECLAIMABLE_B,
			    -(long)(PAGE_SIZE << order));
	atomic_long_sub(1L << order, &sobc(c)->pages);
	__free_pages(page, (unsigned int)order);
}

/**
 * slob_page_alloc - allocate a slob block within a given slob page sp
 * @sp: page to look in
 * @size: size of the allocation
 * @align: allocation alignment
 * @align_offset: offset in the allocated block that will be aligned
 * @page_removed_from_list: set when the allocation filled the page
 *
 * Return: the block, or NULL if no free block is big enough (first fit).
 */
static void *slob_page_alloc(struct slab *sp, size_t size, int align, int align_offset,
			     bool *page_removed_from_list)
{
	slob_t *prev, *cur, *aligned = NULL;
	int delta = 0, units = (int)SLOB_UNITS(size);

	*page_removed_from_list = false;
	for (prev = NULL, cur = sp->freelist; ; prev = cur, cur = slob_next(cur)) {
		slobidx_t avail = slob_units(cur);

		/*
		 * 'aligned' will hold the address of the slob block so that the
		 * address 'aligned'+'align_offset' is aligned according to the
		 * 'align' parameter (kmalloc's header is in front of the block).
		 */
		if (align) {
			aligned = (slob_t *)(ALIGN((unsigned long)cur + align_offset,
						   (unsigned long)align) - align_offset);
			delta = (int)(aligned - cur);
		}
		if (avail >= units + delta) {	/* room enough? */
			slob_t *next;

			if (delta) {	/* need to fragment head to align? */
				next = slob_next(cur);
				set_slob(aligned, (slobidx_t)(avail - delta), next);
				set_slob(cur, (slobidx_t)delta, aligned);
				prev = cur;
				cur = aligned;
				avail = slob_units(cur);
			}
			next = slob_next(cur);
			if (avail == units) {	/* exact fit? unlink. */
				if (prev)
					set_slob(prev, slob_units(prev), next);
				else
					sp->freelist = next;
			} else {	/* fragment */
				if (prev)
					set_slob(prev, slob_units(prev), cur + units);
				else
					sp->freelist = cur + units;
				set_slob(cur + units, (slobidx_t)(avail - units), next);
			}
			set_slob_page_units(sp, slob_page_units(sp) - units);
			if (!slob_page_units(sp)) {
				clear_slob_page_free(sp);
				*page_removed_from_list = true;
			}
			return cur;
		}
		if (slob_last(cur))
			return NULL;
	}
}

/* slob_alloc: entry point into the slob allocator. */
static void *slob_alloc(struct kmem_cache *c, size_t size, gfp_t gfp, int align, int node,
			int align_offset)
{
	struct list_head *slob_list = slob_list_for(c, size);
	struct slab *sp;
	slob_t *b = NULL;
	bool _unused;

	spin_lock(&slob_lock);
	/* Iterate through each partially free page, try to find room */
	list_for_each_entry(sp, slob_list, slab_list) {
		bool page_removed_from_list = false;

		/* If there's a node specification, search for a partial page with a matching node id */
		if (node != NUMA_NO_NODE && slab_nid(sp) != node)
			continue;
		/* Enough room on this page? */
		if (slob_page_units(sp) < (long)SLOB_UNITS(size))
			continue;
		b = slob_page_alloc(sp, size, align, align_offset, &page_removed_from_list);
		if (!b)
			continue;
		/*
		 * Improve fragment distribution and reduce our average search
		 * time by starting our next search here (Knuth vol 1, sec 2.5,
		 * pg 449): list_rotate_to_front.
		 */
		if (!page_removed_from_list && !list_is_first(&sp->slab_list, slob_list))
			list_move_tail(slob_list, &sp->slab_list);
		break;
	}
	spin_unlock(&slob_lock);

	/* Not enough space: must allocate a new page */
	if (!b) {
		struct page *page = slob_new_pages(c, gfp & ~__GFP_ZERO, 0, node);

		if (!page)
			return NULL;
		sp = page_slab(page);
		b = page_address(page);
		spin_lock(&slob_lock);
		set_slob_page_units(sp, (long)SLOB_UNITS(PAGE_SIZE));
		sp->freelist = b;
		INIT_LIST_HEAD(&sp->slab_list);
		set_slob(b, (slobidx_t)SLOB_UNITS(PAGE_SIZE), b + SLOB_UNITS(PAGE_SIZE));
		set_slob_page_free(sp, slob_list);
		b = slob_page_alloc(sp, size, align, align_offset, &_unused);
		BUG_ON(!b);
		spin_unlock(&slob_lock);
	}
	if (unlikely(gfp & __GFP_ZERO))
		memset(b, 0, size);
	return b;
}

/* slob_free: entry point into the slob allocator. */
static void slob_free(struct kmem_cache *c, void *block, int size)
{
	struct slab *sp;
	slob_t *prev, *next, *b = (slob_t *)block;
	slobidx_t units;

	if (unlikely(ZERO_OR_NULL_PTR(block)))
		return;
	BUG_ON(!size);
	sp = page_slab(virt_to_page(block));
	units = (slobidx_t)SLOB_UNITS(size);

	spin_lock(&slob_lock);
	if (slob_page_units(sp) + units == (long)SLOB_UNITS(PAGE_SIZE)) {
		/* Go directly to page allocator. Do not pass slob allocator */
		if (slob_page_free(sp))
			clear_slob_page_free(sp);
		spin_unlock(&slob_lock);
		slob_free_pages(c, slab_page(sp), 0);
		return;
	}
	if (!slob_page_free(sp)) {
		/* This slob page is about to become partially free. Easy! */
		set_slob_page_units(sp, units);
		sp->freelist = b;
		set_slob(b, units, (void *)((unsigned long)(b + SLOB_UNITS(PAGE_SIZE)) & PAGE_MASK));
		set_slob_page_free(sp, slob_list_for(c, (size_t)size));
		goto out;
	}
	/* Otherwise the page is already partially free, so find reinsertion point. */
	set_slob_page_units(sp, slob_page_units(sp) + units);
	if (b < (slob_t *)sp->freelist) {
		if (b + units == sp->freelist) {
			units += slob_units(sp->freelist);
			sp->freelist = slob_next(sp->freelist);
		}
		set_slob(b, units, sp->freelist);
		sp->freelist = b;
	} else {
		prev = sp->freelist;
		next = slob_next(prev);
		while (b > next) {
			prev = next;
			next = slob_next(prev);
		}
		if (!slob_last(prev) && b + units == next) {
			units += slob_units(next);
			set_slob(b, units, slob_next(next));
		} else {
			set_slob(b, units, next);
		}
		if (prev + slob_units(prev) == b) {
			units = slob_units(b) + slob_units(prev);
			set_slob(prev, units, slob_next(b));
		} else {
			set_slob(prev, slob_units(prev), b);
		}
	}
out:
	spin_unlock(&slob_lock);
}

/* A block of whole pages (MMFS: PG_slab, units SLOB_PAGE_BIG). */
static void *slob_alloc_big(struct kmem_cache *c, size_t size, gfp_t gfp, int node)
{
	int order = get_order(size);
	struct page *page;

	if (order)
		gfp |= __GFP_COMP;
	page = slob_new_pages(c, gfp, order, node);
	if (!page)
		return NULL;
	page_slab(page)->freelist = NULL;
	page_slab(page)->counters = SLOB_PAGE_BIG;
	return page_address(page);
}

/* ------------------------------------------------- kmalloc and kmem_cache */
static __always_inline void *__do_kmalloc_node(size_t size, gfp_t gfp, int node)
{
	unsigned int *m;
	int minalign = (int)SLOB_MINALIGN;
	void *ret;

	if (size < PAGE_SIZE - (size_t)minalign) {
		int align = minalign;

		/* For power of two sizes, guarantee natural alignment for kmalloc()'d objects. */
		if (!(size & (size - 1)))
			align = max(minalign, (int)size);
		if (!size)
			return ZERO_SIZE_PTR;
		m = slob_alloc(&slob_kmalloc_cache, size + (size_t)minalign, gfp, align, node, minalign);
		if (!m)
			return NULL;
		*m = (unsigned int)size;
		ret = (char *)m + minalign;
	} else {
		/* 6.1: slob_new_pages() of get_order(size), not PG_slab */
		ret = kmalloc_large_node(size, gfp, node);
	}
	return ret;
}

/* slob_ops.kmalloc: every kmalloc/kzalloc/krealloc under SLOB. */
static void *slob_kmalloc(size_t size, gfp_t gfp, int node, unsigned long caller)
{
	void *b;

	if (unlikely(size > KMALLOC_MAX_SIZE))
		return NULL;
	if (node != NUMA_NO_NODE && (node < 0 || node >= nr_node_ids))
		node = NUMA_NO_NODE;
	b = __do_kmalloc_node(size, gfp, node);
	if (ZERO_OR_NULL_PTR(b))
		return b;
	/* MMFS: init_on_alloc as SLAB/SLUB do (SLOB only knew __GFP_ZERO) */
	if (slab_want_init_on_alloc(gfp, &slob_kmalloc_cache) && !(gfp & __GFP_ZERO))
		memset(b, 0, size);
	if (PageSlab(virt_to_page(b)))
		atomic_long_add(1, &sobc(&slob_kmalloc_cache)->objects);
	return b;
}

static void *slob_alloc_node(struct kmem_cache *c, gfp_t flags, int node)
{
	void *b;

	if (c->size < PAGE_SIZE)
		b = slob_alloc(c, c->size, flags, (int)c->align, node, 0);
	else
		b = slob_alloc_big(c, c->size, flags, node);
	if (b && c->ctor) {
		WARN_ON_ONCE(flags & __GFP_ZERO);
		c->ctor(b);
	}
	return b;
}

static void *slob_ops_alloc(struct kmem_cache *s, gfp_t gfp, int node, unsigned long caller,
			    size_t orig_size)
{
	void *b;

	if (node != NUMA_NO_NODE && (node < 0 || node >= nr_node_ids))
		node = NUMA_NO_NODE;
	if (s == &slob_kmalloc_cache || !s->object_size)
		return NULL;	/* kmalloc is not a cache of fixed-size objects */
	b = slob_alloc_node(s, gfp, node);
	if (!b)
		return NULL;
	if (slab_want_init_on_alloc(gfp, s) && !(gfp & __GFP_ZERO))
		memset(b, 0, s->object_size);
	atomic_long_add(1, &sobc(s)->objects);
	return b;
}

static void slob_ops_free(struct kmem_cache *s, struct slab *sp, void *obj, unsigned long caller)
{
	struct kmem_cache *c = sp->slab_cache ? sp->slab_cache : s;

	if (slob_page_big(sp) && obj != page_address(slab_page(sp))) {
		printk("SLOB: kfree of 0x%lx inside a page block", mmfs_kaddr(obj));
		return;
	}
	if (unlikely(mm_cfg.init_on_free) && slab_want_init_on_free(c)) {
		if (slob_page_big(sp))
			memset(obj, 0, PAGE_SIZE << compound_order(slab_page(sp)));
		else if (c == &slob_kmalloc_cache)
			memset(obj, 0, *(unsigned int *)((char *)obj - SLOB_MINALIGN));
		else
			memset(obj, 0, c->object_size);
	}
	if (slob_page_big(sp)) {
		struct page *page = slab_page(sp);

		slob_free_pages(c, page, (int)compound_order(page));
	} else if (c == &slob_kmalloc_cache) {
		unsigned int *m = (unsigned int *)((char *)obj - SLOB_MINALIGN);

		slob_free(c, m, (int)(*m + SLOB_MINALIGN));
	} else {
		/* MMFS: SLAB_TYPESAFE_BY_RCU objects are freed at once */
		slob_free(c, obj, (int)c->size);
	}
	atomic_long_sub(1, &sobc(c)->objects);
}

static int slob_ops_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	size_t i;

	for (i = 0; i < size; i++) {
		p[i] = slob_ops_alloc(s, flags, NUMA_NO_NODE, _RET_IP_, s->object_size);
		if (!p[i]) {
			for (size_t j = 0; j < i; j++)
				slob_ops_free(s, virt_to_slab(p[j]), p[j], _RET_IP_);
			return 0;
		}
	}
	return (int)size;
}

/* ksize: a kmalloc block's header (in SLOB units), a page block's size. */
static size_t slob_ops_ksize(struct kmem_cache *s, const void *obj)
{
	struct slab *sp = virt_to_slab(obj);

	if (!sp)
		return 0;
	if (slob_page_big(sp))
		return PAGE_SIZE << compound_order(slab_page(sp));
	if (sp->slab_cache == &slob_kmalloc_cache) {
		const unsigned int *m = (const unsigned int *)((const char *)obj - SLOB_MINALIGN);

		return SLOB_UNITS(*m) * SLOB_UNIT;
	}
	return sp->slab_cache ? sp->slab_cache->size : 0;
}

/* ------------------------------------------------------- cache lifecycle */
static int slob_cache_create(struct kmem_cache *c, slab_flags_t flags)
{
	struct slob_cache *sc = calloc(1, sizeof(*sc));

	if (!sc)
		return -ENOMEM;
	INIT_LIST_HEAD(&sc->free_slob_small);
	INIT_LIST_HEAD(&sc->free_slob_medium);
	INIT_LIST_HEAD(&sc->free_slob_large);
	c->allocator_private = sc;
	if (flags & SLAB_TYPESAFE_BY_RCU) {
		/* leave room for rcu footer at the end of object */
		c->size += SLOB_RCU_SIZE;
	}
	c->flags = flags;
	c->inuse = c->size;
	return 0;
}

/* MMFS: the kernel could not tell ("No way to check for remaining objects"). */
static int slob_cache_shutdown(struct kmem_cache *c)
{
	if (atomic_long_read(&sobc(c)->objects))
		return -EBUSY;
	return 0;
}

static void slob_cache_release(struct kmem_cache *c)
{
	free(c->allocator_private);
	c->allocator_private = NULL;
}

static int slob_cache_shrink(struct kmem_cache *c)
{
	return 0;	/* empty pages go back at once: nothing to shrink */
}

static int slob_kmem_cache_init(void)
{
	spin_lock_init(&slob_lock);
	memset(&slob_kmem_cache_boot, 0, sizeof(slob_kmem_cache_boot));
	memset(&slob_kmalloc_cache, 0, sizeof(slob_kmalloc_cache));
	kmem_cache = &slob_kmem_cache_boot;
	/* MMFS: sized as slab_common expects (nr_node_ids node pointers) */
	create_boot_cache(kmem_cache, "kmem_cache",
			  (unsigned int)(offsetof(struct kmem_cache, node) +
					 nr_node_ids * sizeof(struct kmem_cache_node *)),
			  SLAB_PANIC, 0, 0);
	list_add(&kmem_cache->list, &slab_caches);

	/* the owner of the small kmalloc blocks' pages: not on slab_caches */
	slob_kmalloc_cache.name = "kmalloc";
	slob_kmalloc_cache.align = ARCH_KMALLOC_MINALIGN;
	slob_kmalloc_cache.refcount = -1;
	INIT_LIST_HEAD(&slob_kmalloc_cache.list);
	if (slob_cache_create(&slob_kmalloc_cache, SLAB_KMALLOC | SLAB_NO_MERGE))
		return -ENOMEM;
	slab_state = UP;
	printk("SLOB: HWalign=%d, MinAlign=%d, Nodes=%d, kmalloc header %d bytes",
	       L1_CACHE_BYTES, (int)SLOB_MINALIGN, nr_node_ids, (int)SLOB_MINALIGN);
	return 0;
}

static void slob_kmem_cache_teardown(void)
{
	struct kmem_cache *s;
	void **privs = NULL;
	size_t nr = 0, cap = 0;
	unsigned long pfn = 0;

	list_for_each_entry(s, &slab_caches, list) {
		if (nr == cap) {
			void *t;

			cap = cap ? cap * 2 : 64;
			t = realloc(privs, cap * sizeof(void *));
			if (!t)
				break;
			privs = t;
		}
		privs[nr++] = s->allocator_private;
	}
	while ((pfn = mmfs_next_allocated_block(pfn)) != -1UL) {
		struct page *page = pfn_to_page(pfn);
		unsigned int order = compound_order(page);

		if (PageSlab(page)) {
			struct slab *sp = page_slab(page);

			__ClearPageSlab(page);
			__ClearPagePrivate(page);
			sp->slab_cache = NULL;
			sp->freelist = NULL;
			sp->counters = 0;
			INIT_LIST_HEAD(&sp->slab_list);
			page_mapcount_reset(page);
			mod_node_page_state(NODE_DATA(page_to_nid(page)), NR_SLAB_UNRECLAIMABLE_B,
					    -(long)(PAGE_SIZE << order));
			__free_pages(page, order);
		}
		pfn += 1UL << order;
	}
	for (size_t i = 0; i < nr; i++)
		free(privs[i]);
	free(privs);
	free(slob_kmalloc_cache.allocator_private);	/* not on slab_caches */
	slob_kmalloc_cache.allocator_private = NULL;
	slob_kmem_cache_boot.allocator_private = NULL;
}

/* ------------------------------------------------------- walking a page */
/*
 * Walk the blocks of slob page sp in address order: free blocks from the
 * freelist, the gaps between them cut into allocated blocks (a kmalloc
 * block's size is in its header, a cache object's is the cache's).
 * fn returns non-zero to stop.  Returns -1 on a malformed page (with *why),
 * else what fn returned (0 when it never stopped).  Context: slob_lock.
 */
typedef int (*block_fn)(void *arg, char *start, size_t bytes, bool is_free);

static int slob_walk_page(struct kmem_cache *c, struct slab *sp, block_fn fn, void *arg,
			  const char **why)
{
	char *base = slab_address(sp), *end = base + PAGE_SIZE, *pos = base;
	slob_t *fb = sp->freelist;
	long free_units = 0;
	int guard = 0, ret;

	if (slob_page_units(sp) == 0)
		fb = (slob_t *)end;	/* full page: no free block */
	while (pos < end) {
		if (++guard > (int)SLOB_UNITS(PAGE_SIZE) + 1) {
			*why = "walk does not end";
			return -1;
		}
		if ((char *)fb < pos || (char *)fb > end) {
			*why = "free list out of order or outside the page";
			return -1;
		}
		if (pos == (char *)fb) {
			slobidx_t u = slob_units(fb);
			slob_t *nx = slob_last(fb) ? (slob_t *)end : slob_next(fb);

			if ((char *)(fb + u) > end || (nx != (slob_t *)end && nx <= fb + u - 1)) {
				*why = "free block overlaps its successor";
				return -1;
			}
			if (nx != (slob_t *)end && nx == fb + u) {
				*why = "two neighbouring free blocks not merged";
				return -1;
			}
			free_units += u;
			ret = fn ? fn(arg, pos, (size_t)u * SLOB_UNIT, true) : 0;
			if (ret)
				return ret;
			pos = (char *)(fb + u);
			fb = nx;
			continue;
		}
		{
			size_t bytes;

			if (c == &slob_kmalloc_cache) {
				unsigned int sz = *(unsigned int *)pos;

				if (!sz || sz >= PAGE_SIZE) {
					static __thread char whybuf[96];

					snprintf(whybuf, sizeof(whybuf),
						 "kmalloc header at offset %ld holds a bad size %u",
						 (long)(pos - base), sz);
					*why = whybuf;
					return -1;
				}
				bytes = SLOB_UNITS(sz + SLOB_MINALIGN) * SLOB_UNIT;
			} else {
				bytes = SLOB_UNITS(c->size) * SLOB_UNIT;
			}
			if (pos + bytes > (char *)fb) {
				*why = "allocated block runs into a free block or the page end";
				return -1;
			}
			ret = fn ? fn(arg, pos, bytes, false) : 0;
			if (ret)
				return ret;
			pos += bytes;
		}
	}
	if (free_units != slob_page_units(sp)) {
		*why = "free units do not add up to the page's count";
		return -1;
	}
	return 0;
}

struct find_arg {
	const char *ptr;
	char *start;
	size_t bytes;
	bool is_free;
	unsigned int index, nr;
};

static int find_block(void *arg, char *start, size_t bytes, bool is_free)
{
	struct find_arg *f = arg;

	if (f->ptr >= start && f->ptr < start + bytes) {
		f->start = start;
		f->bytes = bytes;
		f->is_free = is_free;
		f->index = f->nr;
		return 1;
	}
	if (!is_free)
		f->nr++;
	return 0;
}

static int slob_ops_object_info(const void *ptr, struct slab_object_info *info)
{
	struct slab *sp = virt_to_slab(ptr);
	struct kmem_cache *c;
	struct find_arg f = { ptr, NULL, 0, false, 0, 0 };
	const char *why = NULL;
	int ret;

	if (!sp || !(c = sp->slab_cache) || !sobc(c))
		return -ENOENT;
	info->s = c;
	info->slab = sp;
	if (slob_page_big(sp)) {
		char *base = slab_address(sp);

		info->object = base;
		info->index = 0;
		info->is_free = false;
		info->in_object = (const char *)ptr < base + (PAGE_SIZE << compound_order(slab_page(sp)));
		return 0;
	}
	spin_lock(&slob_lock);
	ret = slob_walk_page(c, sp, find_block, &f, &why);
	spin_unlock(&slob_lock);
	if (ret != 1)
		return -ENOENT;
	info->index = f.index;
	info->is_free = f.is_free;
	if (f.is_free) {
		info->object = f.start;
		info->in_object = true;
	} else if (c == &slob_kmalloc_cache) {
		unsigned int sz = *(unsigned int *)f.start;

		info->object = f.start + SLOB_MINALIGN;
		info->in_object = (const char *)ptr >= f.start + SLOB_MINALIGN &&
				  (const char *)ptr < f.start + SLOB_MINALIGN + sz;
	} else {
		info->object = f.start;
		info->in_object = (const char *)ptr < f.start + c->object_size;
	}
	return 0;
}

/* -------------------------------------------------------------- validate */
static int count_live(void *arg, char *start, size_t bytes, bool is_free)
{
	if (!is_free)
		(*(long *)arg)++;
	return 0;
}

static int slob_validate_cache(struct kmem_cache *c, char **buf, size_t *len, size_t *cap)
{
	unsigned long pfn = 0;
	long live = 0, pages = 0;
	int count = 0;

	if (!sobc(c))
		return 0;
	while ((pfn = mmfs_next_allocated_block(pfn)) != -1UL) {
		struct page *page = pfn_to_page(pfn);
		unsigned int order = compound_order(page);
		struct slab *sp = page_slab(page);

		pfn += 1UL << order;
		if (!PageSlab(page) || sp->slab_cache != c)
			continue;
		pages += 1L << order;
		if (slob_page_big(sp)) {
			live++;
			continue;
		}
		{
			const char *why = NULL;
			long units;
			bool listed;

			spin_lock(&slob_lock);
			units = slob_page_units(sp);
			listed = slob_page_free(sp);
			if (units < 0 || units >= (long)SLOB_UNITS(PAGE_SIZE))
				why = "page free units out of range";
			else if (listed != (units > 0))
				why = units ? "partially free page not on a free list" :
					      "full page on a free list";
			else if (slob_walk_page(c, sp, count_live, &live, &why) < 0 && !why)
				why = "malformed page";
			spin_unlock(&slob_lock);
			if (why) {
				printk("BUG %s: slob page 0x%lx: %s", c->name, mmfs_page_kaddr(page), why);
				slab_report_append(buf, len, cap, "BUG %s: slob page 0x%lx: %s\n",
						   c->name, mmfs_page_kaddr(page), why);
				count++;
			}
		}
	}
	if (!count && live != atomic_long_read(&sobc(c)->objects)) {
		slab_report_append(buf, len, cap, "BUG %s: %ld objects in the pages, %ld counted\n",
				   c->name, live, atomic_long_read(&sobc(c)->objects));
		count++;
	}
	if (pages != atomic_long_read(&sobc(c)->pages)) {
		slab_report_append(buf, len, cap, "BUG %s: %ld pages found, %ld counted\n",
				   c->name, pages, atomic_long_read(&sobc(c)->pages));
		count++;
	}
	return count;
}

/* validate: the kmalloc heap (not on slab_caches) goes with kmem_cache. */
static int slob_ops_validate(struct kmem_cache *c, char **buf, size_t *len, size_t *cap)
{
	int count = slob_validate_cache(c, buf, len, cap);

	if (c == kmem_cache)
		count += slob_validate_cache(&slob_kmalloc_cache, buf, len, cap);
	return count;
}

/* ----------------------------------------------------------- attributes */
static const struct mmfs_slab_attr slob_attrs[] = {
	{ "align", 0400 },
	{ "ctor", 0400 },
	{ "destroy_by_rcu", 0400 },
	{ "hwcache_align", 0400 },
	{ "object_size", 0400 },
	{ "objects", 0400 },
	{ "reclaim_account", 0400 },
	{ "shrink", 0600 },
	{ "slab_size", 0400 },
	{ "slabs", 0400 },
	{ "validate", 0600 },
	{ NULL, 0 }
};

static long slob_ops_attr_show(struct kmem_cache *c, const char *attr, char *buf, size_t len)
{
	int n;

	if (!len)
		return -EINVAL;
	buf[0] = '\0';
	if (!strcmp(attr, "align"))
		n = snprintf(buf, len, "%u\n", c->align);
	else if (!strcmp(attr, "ctor"))
		n = c->ctor ? snprintf(buf, len, "0x%lx\n", (unsigned long)c->ctor) : 0;
	else if (!strcmp(attr, "object_size"))
		n = snprintf(buf, len, "%u\n", c->object_size);
	else if (!strcmp(attr, "objects"))
		n = snprintf(buf, len, "%ld\n", atomic_long_read(&sobc(c)->objects));
	else if (!strcmp(attr, "shrink") || !strcmp(attr, "validate"))
		n = 0;
	else if (!strcmp(attr, "slab_size"))
		n = snprintf(buf, len, "%u\n", c->size);
	else if (!strcmp(attr, "slabs"))
		n = snprintf(buf, len, "%ld\n", atomic_long_read(&sobc(c)->pages));
	else
		return -ENOENT;
	if (n < 0)
		n = 0;
	return (long)min((size_t)n, len - 1);
}

static void slob_ops_get_slabinfo(struct kmem_cache *c, struct slabinfo *si)
{
	/* never shown (no slabinfo under SLOB); filled for completeness */
	si->active_objs = si->num_objs = (unsigned long)atomic_long_read(&sobc(c)->objects);
	si->active_slabs = si->num_slabs = (unsigned long)atomic_long_read(&sobc(c)->pages);
}

/* see mmfs_slab_slob_ops in slab.c */
const char mmfs_slob_linked = 1;

const struct slab_allocator_ops slob_ops = {
	.name = "SLOB",
	.kmem_cache_init = slob_kmem_cache_init,
	.kmem_cache_teardown = slob_kmem_cache_teardown,
	.cache_create = slob_cache_create,
	.cache_shutdown = slob_cache_shutdown,
	.cache_release = slob_cache_release,
	.cache_shrink = slob_cache_shrink,
	.alloc = slob_ops_alloc,
	.free = slob_ops_free,
	.alloc_bulk = slob_ops_alloc_bulk,
	.ksize = slob_ops_ksize,
	.get_slabinfo = slob_ops_get_slabinfo,
	.has_slabinfo = false,
	.attrs = slob_attrs,
	.attr_show = slob_ops_attr_show,
	.validate = slob_ops_validate,
	.object_info = slob_ops_object_info,
	.slabinfo_write = NULL,
	.kmalloc = slob_kmalloc,
};
