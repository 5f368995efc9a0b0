/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * internal.h - calls between the files of the mm core (mm/internal.h):
 * mm_init.c (boot: layout, memmap, zones) <-> page_alloc.c (buddy, pcp,
 * watermarks) <-> page_owner.c.  Not for fs/.
 */
#ifndef MMFS_INTERNAL_H
#define MMFS_INTERNAL_H
#include "mm.h"

/* ---- page_alloc.c, called by mm_init.c during boot, in this order ---- */
/* Empty free lists, nr_free 0. */
void zone_init_free_lists(struct zone *zone);
/* Allocate and init zone->per_cpu_pageset / per_cpu_zonestats for nr_cpu_ids. */
int zone_pcp_init(struct zone *zone);
/* Set pageblock migratetype bits: mmfs_pageblock_flags is allocated by
 * mm_init.c (setup_usemap, 4 bits per pageblock from pfn 0). */
void set_pageblock_migratetype(struct page *page, int migratetype);
/* Release one naturally aligned boot block (refcount 1, PageReserved) to
 * the buddy lists: clears Reserved, refcount 0, adds to managed_pages. */
void __free_pages_core(struct page *page, unsigned int order);
/* min_free_kbytes (incl. khugepaged's recommendation), watermarks,
 * lowmem_reserve, totalreserve_pages, pcp high/batch, stat thresholds;
 * logs nothing.  Called once boot memory is free, and by the sysctls. */
void init_per_zone_wmark_min(void);
/* Free everything page_alloc.c allocated (per-cpu arrays). */
void page_alloc_shutdown(void);
/* nr_free_buffer_pages(): sum of max(0, managed - high) over zones <= NORMAL. */
unsigned long nr_free_buffer_pages(void);

/* ---- page_owner.c ---- */
int page_ext_init(void);		/* after the memmap exists (max_pfn known) */
void page_ext_shutdown(void);
void set_page_owner(struct page *page, unsigned int order, gfp_t gfp);	/* post_alloc_hook */
void reset_page_owner(struct page *page, unsigned int order);		/* free_pages_prepare */

/* ---- mm_init.c, for page_alloc.c ---- */
extern int mmfs_booted;

unsigned int nr_cpus_node(int nid);	/* CPUs on node nid (0 if none) */
/* build_all_zonelists: vm_total_pages < pageblock_nr_pages * MIGRATE_TYPES */
extern int page_group_by_mobility_disabled;
extern unsigned long vm_total_pages;	/* the "Total pages" of the boot log */
/* Pageblock bits: mmfs_pageblock_flags holds NR_PAGEBLOCK_BITS per
 * pageblock, bit index (pfn >> pageblock_order) * NR_PAGEBLOCK_BITS, as the
 * kernel's SPARSEMEM pfn_to_bitidx within a section's usemap. */
extern unsigned long *mmfs_pageblock_flags;
#define NR_PAGEBLOCK_BITS	4
#define pageblock_start_pfn(pfn)	ALIGN_DOWN((pfn), pageblock_nr_pages)

/* ---- arena.c ---- */
int mmfs_arena_init(const uint64_t *start, const uint64_t *end, int nr,
		    enum mmfs_hugepages mode, char *err, size_t errlen);
void mmfs_arena_shutdown(void);
long mmfs_hugetlb_free_pages(void);	/* free, unreserved 2 MiB hugetlb pages */

/* ---- vmstat.c ---- */
int vmstat_boot(void);			/* per-cpu counters for nr_cpu_ids */
void vmstat_shutdown(void);		/* free them, zero every counter */
/* The kernel's zone_page_state(): folded value only (one load, stale by up
 * to nr_cpu_ids * stat_threshold), for watermark fast paths.
 * zone_page_state() in vmstat.h is exact (folded + per-cpu diffs). */
unsigned long zone_page_state_folded(struct zone *zone, enum zone_stat_item item);

/* ---- page_alloc.c: allocator internals for debug.c, page_owner.c and
 * the unit tests ---- */
/* alloc_flags (mm/internal.h, 6.4+ names) */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_HIGH	WMARK_HIGH
#define ALLOC_NO_WATERMARKS	0x04	/* don't check watermarks at all */
#define ALLOC_WMARK_MASK	(ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM		0x08
#define ALLOC_NON_BLOCK		0x10	/* caller cannot block: 25% more of min */
#define ALLOC_MIN_RESERVE	0x20	/* __GFP_HIGH: half of the min reserve */
#define ALLOC_CPUSET		0x40
#define ALLOC_CMA		0x80
#define ALLOC_NOFRAGMENT	0x100	/* avoid mixing pageblock types */
#define ALLOC_HIGHATOMIC	0x200	/* may use MIGRATE_HIGHATOMIC */
#define ALLOC_KSWAPD		0x800	/* __GFP_KSWAPD_RECLAIM */
#define ALLOC_RESERVES		(ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)
#define MIGRATETYPE_MASK	((1UL << 3) - 1)	/* PB_migrate bits */
enum zone_type gfp_zone(gfp_t flags);
int gfp_migratetype(gfp_t gfp);
unsigned long get_pfnblock_flags_mask(const struct page *page, unsigned long pfn, unsigned long mask);
void set_pfnblock_flags_mask(struct page *page, unsigned long flags, unsigned long pfn, unsigned long mask);
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			 int highest_zoneidx, unsigned int alloc_flags, long free_pages);
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags);
int zone_batchsize(struct zone *zone);
int zone_highsize(struct zone *zone, int batch, int cpu_online, int high_fraction);
int find_suitable_fallback(struct free_area *area, unsigned int order, int migratetype,
			   bool claimable);	/* 6.15+: -2 = too small to claim */
bool is_free_buddy_page(const struct page *page);
struct page *find_buddy_page_pfn(struct page *page, unsigned long pfn, unsigned int order,
				 unsigned long *buddy_pfn);
void warn_alloc(gfp_t gfp_mask, const unsigned long *nodemask, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
extern bool mmfs_thp_enabled;		/* khugepaged's min_free_kbytes raise */
/* debug.c: the order of the pcp list a page sits on (-1 if none), and its CPU */
int mmfs_pcp_find_page(const struct page *page, int *cpu_out);
unsigned int mmfs_pcp_pindex_to_order(unsigned int pindex);
/* trace.c: %p of a kernel address (keyed hash, 16 hex digits); empty the ring */
unsigned long mmfs_hash_ptr(unsigned long kaddr);
void mmfs_trace_reset(void);
/* page_alloc.c: every pcp lock of a zone (debug.c's validate) */
void mmfs_pcp_lock_all(struct zone *zone);
void mmfs_pcp_unlock_all(struct zone *zone);

/* page_alloc.c: the vmstat refresh's pcp decay */
bool decay_pcp_high(struct zone *zone, struct per_cpu_pages *pcp);
/* vmstat.c: the vmstat worker (vmstat_update for every simulated CPU) */
int refresh_cpu_vm_stats(unsigned int cpu, bool do_pagesets);
int vmstat_work_start(void);
void vmstat_work_stop(void);

/* vmscan.c: kswapd */
void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order, enum zone_type highest_zoneidx);
int kswapd_run(int nid);
void kswapd_stop(int nid);

/* ---- debug.c, for the validators ---- */
/* A validator's second looks at what work in flight may explain (a count
 * moved before its partner): zero it, then call mmfs_settle_wait() before
 * each look, with no lock held that the work needs.  It yields, then
 * sleeps longer each time; false once VALIDATE_SETTLE_MS have passed since
 * the first call: that look is the last, report what is still broken. */
struct mmfs_settle {
	uint64_t deadline;		/* ns, CLOCK_MONOTONIC; 0 before the first wait */
	unsigned int round;		/* waits so far */
};
bool mmfs_settle_wait(struct mmfs_settle *st);

#endif /* MMFS_INTERNAL_H */
