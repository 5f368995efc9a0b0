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

extern struct page_owner **mmfs_po_section;	/* [mmfs_po_nr_sections], NULL = no RAM */
extern unsigned long mmfs_po_nr_sections;
extern uint64_t mmfs_po_wall_at_boot;		/* CLOCK_REALTIME_COARSE at ktime 0 */
/* MMFS: the vDSO's clock_gettime, called without glibc's wrapper (NULL:
 * not found or not sane at page_ext_init; then glibc's clock_gettime) */
extern int (*mmfs_po_vdso_gettime)(clockid_t, struct timespec *);

static __always_inline void po_clock_coarse(struct timespec *now)
{
	int (*fn)(clockid_t, struct timespec *) = mmfs_po_vdso_gettime;

	if (likely(fn))
		fn(CLOCK_REALTIME_COARSE, now);
	else
		clock_gettime(CLOCK_REALTIME_COARSE, now);
}

static __always_inline struct page_owner *__pfn_owner(unsigned long pfn)
{
	unsigned long sec = pfn >> PFN_SECTION_SHIFT;

	if (unlikely(sec >= mmfs_po_nr_sections || !mmfs_po_section[sec]))
		return NULL;
	return &mmfs_po_section[sec][pfn & (PAGES_PER_SECTION - 1)];
}

/* MMFS: the _pfn forms take the pfn the allocator has already computed */
static __always_inline void __set_page_owner_pfn(unsigned long pfn, unsigned int order, gfp_t gfp)
{
	struct page_owner *po = __pfn_owner(pfn);
	struct timespec now;
	uint64_t wall, ts;

	if (unlikely(!po))
		return;
	po_clock_coarse(&now);
	wall = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	po->wall_ns = wall;
	ts = wall > mmfs_po_wall_at_boot ? wall - mmfs_po_wall_at_boot : 0;
	/* strictly increasing per pfn, so (pfn, ts_nsec) names one allocation
	 * even when the coarse clock has not ticked since the last one */
	if (ts <= po->ts_nsec)
		ts = po->ts_nsec + 1;
	po->ts_nsec = ts;
	__atomic_store_n(&po->gfp_mask, gfp, __ATOMIC_RELAXED);	/* read racily by move_freepages */
	__atomic_store_n(&po->order, (short)order, __ATOMIC_RELAXED);
	po->last_migrate_reason = -1;
	po->pid = current->pid;
	po->uid = current->uid;
	memcpy(po->comm, current->comm, sizeof(po->comm));
	po->kind = MMFS_OWNER_KERNEL;
	po->owner_id = 0;
	po->fs_private = NULL;
	po->owner_dropped = 0;
	po->user_refs = 0;
	__atomic_store_n(&po->live, 1, __ATOMIC_RELEASE);
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
	po->fs_private = NULL;
}

static __always_inline void __reset_page_owner(struct page *page, unsigned int order)
{
	__reset_page_owner_pfn(page_to_pfn(page), order);
}

#endif /* MMFS_PAGE_OWNER_H */
