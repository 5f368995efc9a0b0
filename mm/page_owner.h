/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_owner.h - the inline halves of mm/page_owner.c for the allocator's
 * fast paths (include/linux/page_owner.h): the record of a pfn, and
 * __set_page_owner / __reset_page_owner as post_alloc_hook and
 * free_pages_prepare call them.  Only page_alloc.c and page_owner.c
 * include this; everyone else uses the functions in mm.h / internal.h.
 */
#ifndef MMFS_PAGE_OWNER_H
#define MMFS_PAGE_OWNER_H
#include "internal.h"
#include <string.h>
#include <time.h>

/* [max_pfn], indexed by pfn like the vmemmap; only records of RAM that was
 * ever allocated are backed (NULL before page_ext_init) */
extern struct page_owner *mmfs_page_owners;

/*
 * MMFS: the allocation time, as the coarse clock gives it, kept fresh by a
 * tick thread (page_owner.c): the fast path reads one word instead of
 * calling clock_gettime.  0 means "no tick": read the clock.  ->used tells
 * the tick thread someone still reads it (it stops ticking when idle).
 */
struct po_tick {
	_Atomic uint64_t wall_ns;
	_Atomic unsigned char used;
};
extern struct po_tick mmfs_po_tick;
uint64_t mmfs_po_clock_slow(void);

/* tell the tick thread it is read (one store per tick, not per reader) */
static __always_inline void po_tick_mark_used(void)
{
	if (unlikely(!atomic_load_explicit(&mmfs_po_tick.used, memory_order_relaxed)))
		atomic_store_explicit(&mmfs_po_tick.used, 1, memory_order_relaxed);
}

static __always_inline uint64_t po_wall_now(void)
{
	uint64_t wall = atomic_load_explicit(&mmfs_po_tick.wall_ns, memory_order_relaxed);

	if (unlikely(!wall))
		return mmfs_po_clock_slow();
	po_tick_mark_used();
	return wall;
}

/* the record of a valid pfn (the allocator's: no range check) */
static __always_inline struct page_owner *__pfn_owner(unsigned long pfn)
{
	struct page_owner *base = mmfs_page_owners;

	if (unlikely(!base))
		return NULL;
	return &base[pfn];
}

/* the record of an allocation at @wall (the tick's time, or the clock's) */
static __always_inline void __set_page_owner_at(struct page_owner *po, unsigned int order, gfp_t gfp,
						uint64_t wall)
{
	const struct mmfs_task *task = current;

	/* strictly increasing per pfn, so (pfn, time) names one allocation
	 * even when the coarse clock has not ticked since the last one */
	if (unlikely(wall <= po->wall_ns))
		wall = po->wall_ns + 1;
	po->wall_ns = wall;
	po->owner_id = 0;
	memcpy(&po->uid, task, sizeof(*task));	/* uid, pid, comm */
	__atomic_store_n(&po->gfp_mask, gfp, __ATOMIC_RELAXED);	/* read racily by move_freepages */
	po->user_refs = 0;
	po->kmap_refs = 0;
	__atomic_store_n(&po->order, (short)order, __ATOMIC_RELAXED);
	po->last_migrate_reason = -1;
	po->kind = MMFS_OWNER_KERNEL;
	po->owner_dropped = 0;
	__atomic_store_n(&po->live, 1, __ATOMIC_RELEASE);
}

/* MMFS: the _pfn forms take the pfn the allocator has already computed */
static __always_inline void __set_page_owner_pfn(unsigned long pfn, unsigned int order, gfp_t gfp)
{
	struct page_owner *po = __pfn_owner(pfn);

	if (unlikely(!po))
		return;
	__set_page_owner_at(po, order, gfp, po_wall_now());
}

static __always_inline void __set_page_owner(struct page *page, unsigned int order, gfp_t gfp)
{
	__set_page_owner_pfn(page_to_pfn(page), order, gfp);
}

static __always_inline void __reset_page_owner_pfn(unsigned long pfn, unsigned int order)
{
	struct page_owner *po = __pfn_owner(pfn);

	if (unlikely(!po))
		return;
	__atomic_store_n(&po->live, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&po->order, (short)-1, __ATOMIC_RELAXED);
}

static __always_inline void __reset_page_owner(struct page *page, unsigned int order)
{
	__reset_page_owner_pfn(page_to_pfn(page), order);
}

#endif /* MMFS_PAGE_OWNER_H */
