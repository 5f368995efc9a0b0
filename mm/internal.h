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
/* Set pageblock migratetype bits: zone->pageblock_flags is allocated by
 * mm_init.c (setup_usemap, 4 bits per pageblock from zone_start_pfn). */
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
int node_distance(int a, int b);	/* 10 local, 20 remote (SLIT-like) */
/* The zones that exist in this configuration (DMA, DMA32, Normal always;
 * HighMem only with highmem=; Movable always as on x86-64). */
bool zone_type_configured(enum zone_type t);

#endif /* MMFS_INTERNAL_H */
