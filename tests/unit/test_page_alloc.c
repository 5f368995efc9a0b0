/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_page_alloc.c - the buddy allocator: exact free-list counts after
 * known sequences (split, merge, 6.15+ fallback claiming and stealing,
 * NOFRAGMENT, the 6.18 highatomic reserve, nr_free_pages_blocks, the
 * direct-reclaim drain of every pcp), watermark / lowmem_reserve / batch /
 * high values against the kernel formulas (kernel-formats §7, its worked
 * example included), pcp refill and drain, bad input to every checked entry point,
 * init_on_alloc / init_on_free / __GFP_ZERO, compound pages and refcounts,
 * fail_page_alloc, warn_alloc, tracepoints, lookup, validate, sysctls.
 *
 * The test thread is pinned to one host CPU so "this CPU's pcp" is stable.
 */
#include "unit_common.h"
#include "internal.h"
#include "trace.h"
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

/* ------------------------------------------------------------ helpers */

struct fl_snap {
	unsigned long nr[MAX_ORDER][MIGRATE_TYPES];
	unsigned long nr_free[MAX_ORDER];
	unsigned long free_pages;
};

static void snap(struct zone *z, struct fl_snap *s)
{
	memset(s, 0, sizeof(*s));
	spin_lock(&z->lock);
	for (int o = 0; o < MAX_ORDER; o++) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *pos;

			list_for_each(pos, &z->free_area[o].free_list[mt])
				s->nr[o][mt]++;
		}
		s->nr_free[o] = z->free_area[o].nr_free;
	}
	spin_unlock(&z->lock);
	s->free_pages = zone_page_state(z, NR_FREE_PAGES);
}

static bool snap_equal(const struct fl_snap *a, const struct fl_snap *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static void print_snap_diff(const struct fl_snap *a, const struct fl_snap *b)
{
	for (int o = 0; o < MAX_ORDER; o++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			if (a->nr[o][mt] != b->nr[o][mt])
				fprintf(stderr, "  order %d %s: %lu -> %lu\n", o, migratetype_names[mt],
					a->nr[o][mt], b->nr[o][mt]);
	if (a->free_pages != b->free_pages)
		fprintf(stderr, "  NR_FREE_PAGES %lu -> %lu\n", a->free_pages, b->free_pages);
}

static struct zone *zone_of(int nid, enum zone_type t)
{
	return &NODE_DATA(nid)->node_zones[t];
}

static int count_pageblocks(struct zone *z, int mt)
{
	int n = 0;

	for (unsigned long pfn = ALIGN(z->zone_start_pfn, pageblock_nr_pages);
	     pfn < zone_end_pfn(z); pfn += pageblock_nr_pages)
		if (pfn_valid(pfn) && page_zone(pfn_to_page(pfn)) == z &&
		    get_pageblock_migratetype(pfn_to_page(pfn)) == mt)
			n++;
	return n;
}

/* everything that a failed checked call must leave alone */
struct world {
	struct fl_snap zs[MAX_NUMNODES][MAX_NR_ZONES];
	int pcp[MAX_NUMNODES][MAX_NR_ZONES][8];
};

static void world_snap(struct world *w)
{
	memset(w, 0, sizeof(*w));
	for (int nid = 0; nid < nr_online_nodes; nid++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = zone_of(nid, (enum zone_type)t);

			if (!populated_zone(z))
				continue;
			snap(z, &w->zs[nid][t]);
			for (unsigned int c = 0; c < nr_cpu_ids && c < 8; c++)
				w->pcp[nid][t][c] = z->per_cpu_pageset[c].count;
		}
}

static void boot(const char *opts)
{
	if (unit_boot(opts))
		fail_msg("boot %s failed", opts);
}

/* -------------------------------------------------- split and merge */

static void test_split_and_merge(void **state)
{
	struct fl_snap before, after, expect;
	struct zone *z;
	struct page *page, *first;
	int k;

	(void)state;
	boot("mem=64M,cpus=2");
	drain_all_pages(NULL);
	z = zone_of(0, ZONE_NORMAL);
	snap(z, &before);
	for (k = 5; k < MAX_ORDER; k++)
		if (before.nr[k][MIGRATE_MOVABLE])
			break;
	assert_true(k < MAX_ORDER);
	first = list_first_entry(&z->free_area[k].free_list[MIGRATE_MOVABLE], struct page, lru);

	page = alloc_pages(GFP_HIGHUSER_MOVABLE, 5);
	assert_non_null(page);
	assert_ptr_equal(page_zone(page), z);
	/* the lower half of the smallest fitting block, the rest split off */
	assert_ptr_equal(page, first);
	snap(z, &after);
	expect = before;
	expect.nr[k][MIGRATE_MOVABLE]--;
	expect.nr_free[k]--;
	for (int o = 5; o < k; o++) {
		expect.nr[o][MIGRATE_MOVABLE]++;
		expect.nr_free[o]++;
	}
	expect.free_pages -= 32;
	if (!snap_equal(&expect, &after)) {
		print_snap_diff(&expect, &after);
		fail_msg("split left unexpected free lists");
	}
	assert_int_equal(page_ref_count(page), 1);
	assert_false(PageBuddy(page));
	assert_true(unit_validate_ok());

	/* merge: freeing restores the lists exactly */
	__free_pages(page, 5);
	snap(z, &after);
	if (!snap_equal(&before, &after)) {
		print_snap_diff(&before, &after);
		fail_msg("free did not merge back");
	}
	assert_true(PageBuddy(first));
	assert_int_equal(first->private, k);
	assert_true(unit_validate_ok());
}

/* ------------------------------------------ fallback stealing */

static void test_fallback_steal(void **state)
{
	struct fl_snap before, after, expect;
	struct zone *z;
	struct page *page;
	int o, mt = -1, rec_blocks, mt_blocks;

	(void)state;
	boot("mem=64M,cpus=2");
	drain_all_pages(NULL);
	z = zone_of(0, ZONE_NORMAL);
	snap(z, &before);
	for (o = 0; o < MAX_ORDER; o++)
		assert_int_equal(before.nr[o][MIGRATE_RECLAIMABLE], 0);
	/* NOFRAGMENT (preferred Normal): steal only a block >= pageblock_order,
	 * the largest first, Unmovable before Movable (fallbacks[]) */
	for (o = MAX_ORDER - 1; o >= pageblock_order; o--) {
		if (before.nr[o][MIGRATE_UNMOVABLE]) {
			mt = MIGRATE_UNMOVABLE;
			break;
		}
		if (before.nr[o][MIGRATE_MOVABLE]) {
			mt = MIGRATE_MOVABLE;
			break;
		}
	}
	assert_true(mt >= 0);
	rec_blocks = count_pageblocks(z, MIGRATE_RECLAIMABLE);
	mt_blocks = count_pageblocks(z, mt);

	mmfs_trace_set_enabled(EV_MM_PAGE_ALLOC_EXTFRAG, true);
	page = alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE, 4);
	mmfs_trace_set_enabled(EV_MM_PAGE_ALLOC_EXTFRAG, false);
	assert_non_null(page);
	assert_ptr_equal(page_zone(page), z);
	snap(z, &after);
	expect = before;
	expect.nr[o][mt]--;
	expect.nr_free[o]--;
	for (int j = 4; j < o; j++) {
		expect.nr[j][MIGRATE_RECLAIMABLE]++;
		expect.nr_free[j]++;
	}
	expect.free_pages -= 16;
	if (!snap_equal(&expect, &after)) {
		print_snap_diff(&expect, &after);
		fail_msg("fallback steal left unexpected free lists");
	}
	/* the whole block changed owner: 2^(o-9) pageblocks */
	assert_int_equal(count_pageblocks(z, MIGRATE_RECLAIMABLE), rec_blocks + (1 << (o - pageblock_order)));
	assert_int_equal(count_pageblocks(z, mt), mt_blocks - (1 << (o - pageblock_order)));
	assert_int_equal(get_pageblock_migratetype(page), MIGRATE_RECLAIMABLE);
	{
		char buf[4096], want[128];
		long n = mmfs_trace_read(buf, sizeof(buf) - 1, false);

		assert_true(n > 0);
		buf[n] = '\0';
		snprintf(want, sizeof(want), "alloc_order=4 fallback_order=%d pageblock_order=9 alloc_migratetype=2 fallback_migratetype=%d fragmenting=0 change_ownership=1", o, mt);
		if (!strstr(buf, want))
			fail_msg("extfrag trace: %s (want %s)", buf, want);
	}
	assert_true(unit_validate_ok());

	/* freeing merges back, on the Reclaimable list now */
	__free_pages(page, 4);
	snap(z, &after);
	expect = before;
	expect.nr[o][mt]--;
	expect.nr[o][MIGRATE_RECLAIMABLE]++;
	if (!snap_equal(&expect, &after)) {
		print_snap_diff(&expect, &after);
		fail_msg("free after steal");
	}
	assert_true(unit_validate_ok());
}

static int pin_cpu(int cpu);

/*
 * A fragmented DMA zone built by hand: every page allocated (movable), a
 * few pageblocks retyped while nothing in them is free, then chosen pages
 * freed.  GFP_DMA requests see DMA alone and never ALLOC_NOFRAGMENT, so
 * __rmqueue's choice shows in the per-type counts pagetypeinfo prints.
 */
struct dma_world {
	struct zone *z;
	struct page **held;		/* by pfn - zone_start_pfn, NULL = not ours */
	unsigned long span;
};

#define DMA_ALL	(GFP_DMA | __GFP_MOVABLE | __GFP_MEMALLOC | __GFP_NOWARN)

static void dma_fill(struct dma_world *w)
{
	struct page *p;

	boot("mem=64M,cpus=2");
	drain_all_pages(NULL);
	w->z = zone_of(0, ZONE_DMA);
	w->span = w->z->spanned_pages;
	w->held = calloc(w->span, sizeof(*w->held));
	assert_non_null(w->held);
	while ((p = alloc_pages(DMA_ALL, 0))) {
		assert_ptr_equal(page_zone(p), w->z);
		w->held[page_to_pfn(p) - w->z->zone_start_pfn] = p;
	}
	/* a 16M zone's pcp batch is 1 (zone_batchsize): a request below
	 * PAGE_ALLOC_COSTLY_ORDER refills one block, one __rmqueue */
	assert_int_equal(w->z->per_cpu_pageset[0].batch, 1);
}

/* give back [pfn, pfn + nr) (every page ours), then let them merge */
static void dma_free(struct dma_world *w, unsigned long pfn, unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++) {
		unsigned long idx = pfn + i - w->z->zone_start_pfn;

		assert_non_null(w->held[idx]);
		__free_pages(w->held[idx], 0);
		w->held[idx] = NULL;
	}
	drain_all_pages(NULL);
}

/* retype a pageblock none of whose pages is free */
static void dma_retype(struct dma_world *w, unsigned long pfn, int mt)
{
	for (unsigned long i = 0; i < pageblock_nr_pages; i++)
		assert_non_null(w->held[pfn + i - w->z->zone_start_pfn]);
	set_pageblock_migratetype(pfn_to_page(pfn), mt);
}

static void dma_release(struct dma_world *w)
{
	for (unsigned long i = 0; i < w->span; i++)
		if (w->held[i])
			__free_pages(w->held[i], 0);
	free(w->held);
	drain_all_pages(NULL);
}

static void expect_extfrag(int order, int fallback_order, int mt, int fallback_mt, int owner)
{
	char buf[4096], want[160];
	long n = mmfs_trace_read(buf, sizeof(buf) - 1, false);

	assert_true(n > 0);
	buf[n] = '\0';
	snprintf(want, sizeof(want), "alloc_order=%d fallback_order=%d pageblock_order=9 "
		 "alloc_migratetype=%d fallback_migratetype=%d fragmenting=1 change_ownership=%d",
		 order, fallback_order, mt, fallback_mt, owner);
	if (!strstr(buf, want))
		fail_msg("extfrag trace: %s (want %s)", buf, want);
}

/*
 * Steal (6.15+): a movable order-1 request too small to claim a block takes
 * the smallest fallback block, an Unmovable order 2, and its other half
 * stays on the Unmovable lists (6.7 moved the block to Movable first, so
 * the half landed there).
 */
static void test_fallback_steal_smallest(void **state)
{
	struct dma_world w;
	struct fl_snap before, after, expect;
	struct page *page;

	(void)state;
	dma_fill(&w);
	dma_retype(&w, 0x200, MIGRATE_UNMOVABLE);
	dma_free(&w, 0x200, 4);			/* Unmovable order 2 at 0x200 */
	dma_free(&w, 0x208, 8);			/* Unmovable order 3 at 0x208 */
	snap(w.z, &before);
	memset(&expect, 0, sizeof(expect));
	expect.nr[2][MIGRATE_UNMOVABLE] = expect.nr_free[2] = 1;
	expect.nr[3][MIGRATE_UNMOVABLE] = expect.nr_free[3] = 1;
	expect.free_pages = 12;
	if (!snap_equal(&expect, &before)) {
		print_snap_diff(&expect, &before);
		fail_msg("the built DMA zone");
	}

	mmfs_trace_set_enabled(EV_MM_PAGE_ALLOC_EXTFRAG, true);
	page = alloc_pages(DMA_ALL, 1);
	mmfs_trace_set_enabled(EV_MM_PAGE_ALLOC_EXTFRAG, false);
	assert_non_null(page);
	assert_int_equal(page_to_pfn(page), 0x200);
	snap(w.z, &after);
	memset(&expect, 0, sizeof(expect));
	expect.nr[1][MIGRATE_UNMOVABLE] = expect.nr_free[1] = 1;	/* 0x202 */
	expect.nr[3][MIGRATE_UNMOVABLE] = expect.nr_free[3] = 1;
	expect.free_pages = 10;
	if (!snap_equal(&expect, &after)) {
		print_snap_diff(&expect, &after);
		fail_msg("steal left unexpected free lists");
	}
	assert_int_equal(get_pageblock_migratetype(page), MIGRATE_UNMOVABLE);
	expect_extfrag(1, 2, MIGRATE_MOVABLE, MIGRATE_UNMOVABLE, 0);
	assert_true(unit_validate_ok());

	/* freed, it goes back to its block's type: Unmovable */
	__free_pages(page, 1);
	drain_all_pages(NULL);
	snap(w.z, &after);
	if (!snap_equal(&before, &after)) {
		print_snap_diff(&before, &after);
		fail_msg("free after steal");
	}
	dma_release(&w);
	assert_true(unit_validate_ok());
}

/*
 * Claim (6.15+): an unmovable request tries the fallback blocks from the
 * largest order down.  The Movable order 7 at 0x600 is a quarter of its
 * pageblock, not enough to claim it, so the block stays Movable and
 * untouched (6.7 moved its free pages to Unmovable anyway and split them
 * there); the four Movable order 6 blocks of 0x400's pageblock are half of
 * it: that pageblock becomes Unmovable and the request is served from it.
 */
static void test_fallback_claim_largest(void **state)
{
	struct dma_world w;
	struct fl_snap after, expect;
	struct page *page;
	int unmov = 0, mov = 0;

	(void)state;
	dma_fill(&w);
	dma_free(&w, 0x600, 128);		/* Movable order 7 */
	for (unsigned long pfn = 0x400; pfn < 0x600; pfn += 0x80)
		dma_free(&w, pfn, 64);		/* Movable order 6 x 4, unmergeable */
	unmov = count_pageblocks(w.z, MIGRATE_UNMOVABLE);
	mov = count_pageblocks(w.z, MIGRATE_MOVABLE);

	mmfs_trace_set_enabled(EV_MM_PAGE_ALLOC_EXTFRAG, true);
	page = alloc_pages(GFP_DMA | __GFP_MEMALLOC | __GFP_NOWARN, 4);
	mmfs_trace_set_enabled(EV_MM_PAGE_ALLOC_EXTFRAG, false);
	assert_non_null(page);
	assert_int_equal(page_to_pfn(page), 0x400);
	snap(w.z, &after);
	memset(&expect, 0, sizeof(expect));
	expect.nr[4][MIGRATE_UNMOVABLE] = expect.nr_free[4] = 1;	/* 0x410 */
	expect.nr[5][MIGRATE_UNMOVABLE] = expect.nr_free[5] = 1;	/* 0x420 */
	expect.nr[6][MIGRATE_UNMOVABLE] = expect.nr_free[6] = 3;
	expect.nr[7][MIGRATE_MOVABLE] = expect.nr_free[7] = 1;	/* 0x600 */
	expect.free_pages = 128 + 256 - 16;
	if (!snap_equal(&expect, &after)) {
		print_snap_diff(&expect, &after);
		fail_msg("claim left unexpected free lists");
	}
	assert_int_equal(get_pageblock_migratetype(page), MIGRATE_UNMOVABLE);
	assert_int_equal(get_pageblock_migratetype(pfn_to_page(0x600)), MIGRATE_MOVABLE);
	assert_int_equal(count_pageblocks(w.z, MIGRATE_UNMOVABLE), unmov + 1);
	assert_int_equal(count_pageblocks(w.z, MIGRATE_MOVABLE), mov - 1);
	expect_extfrag(4, 6, MIGRATE_UNMOVABLE, MIGRATE_MOVABLE, 1);
	/* each claim attempt below pageblock_order boosted the watermark */
	if (!MMFS_TSAN)
		assert_int_equal(w.z->watermark_boost, pageblock_nr_pages);
	assert_true(unit_validate_ok());
	__free_pages(page, 4);
	dma_release(&w);
	assert_true(unit_validate_ok());
}

/*
 * Watermark boost (6.18): a fallback that tries to claim a block below
 * pageblock_order boosts the zone by a pageblock, and the boost raises
 * min/low/high until kswapd has run for the zone (balance_pgdat ends it).
 * A claim that asks no kswapd leaves it in place; a GFP_NOWAIT request
 * failing the boosted low mark wakes kswapd from the slow path.  A claim
 * that asks kswapd while it is stopped keeps its boost too (mmfs used to
 * end it inside that request), and the kswapd started then ends it.
 */
static void wait_boost_cleared(struct zone *z)
{
	for (int i = 0; i < 2000 && READ_ONCE(z->watermark_boost); i++)
		usleep(1000);
	assert_int_equal(READ_ONCE(z->watermark_boost), 0);
}

static void test_boost_until_kswapd(void **state)
{
	unsigned long wmin, wlow, whigh;
	struct dma_world w;
	struct page *page[2], *nowait;

	(void)state;
	if (MMFS_TSAN)
		skip();
	dma_fill(&w);
	dma_free(&w, 0x400, 16);		/* Movable order 4 */
	wmin = w.z->_watermark[WMARK_MIN];
	wlow = w.z->_watermark[WMARK_LOW];
	whigh = w.z->_watermark[WMARK_HIGH];
	assert_int_equal(w.z->watermark_boost, 0);

	page[0] = alloc_pages(GFP_DMA | __GFP_MEMALLOC | __GFP_NOWARN, 0);
	assert_non_null(page[0]);
	/* max(pageblock, high * 15000 / 10000): the DMA zone's high is far
	 * below a pageblock, so one pageblock */
	assert_true(whigh * 15000 / 10000 < pageblock_nr_pages);
	assert_int_equal(w.z->watermark_boost, pageblock_nr_pages);
	assert_int_equal(min_wmark_pages(w.z), wmin + pageblock_nr_pages);
	assert_int_equal(low_wmark_pages(w.z), wlow + pageblock_nr_pages);
	assert_int_equal(high_wmark_pages(w.z), whigh + pageblock_nr_pages);
	/* kswapd sleeps and nobody woke it: the boost stays */
	usleep(50000);
	assert_int_equal(READ_ONCE(w.z->watermark_boost), pageblock_nr_pages);
	assert_true(unit_validate_ok());

	/* 15 free pages are below the boosted low mark: the slow path wakes
	 * kswapd, whose pass ends the boost */
	nowait = alloc_pages(GFP_DMA | GFP_NOWAIT | __GFP_NOWARN, 0);
	wait_boost_cleared(w.z);
	assert_int_equal(min_wmark_pages(w.z), wmin);
	assert_int_equal(high_wmark_pages(w.z), whigh);

	kswapd_stop(0);
	page[1] = alloc_pages(GFP_DMA | __GFP_MEMALLOC | __GFP_NOWARN | __GFP_KSWAPD_RECLAIM, 0);
	assert_non_null(page[1]);
	usleep(20000);
	assert_int_equal(READ_ONCE(w.z->watermark_boost), pageblock_nr_pages);
	/* a kswapd that starts on a boosted node runs before it sleeps */
	assert_int_equal(kswapd_run(0), 0);
	wait_boost_cleared(w.z);

	if (nowait)
		__free_pages(nowait, 0);
	__free_pages(page[0], 0);
	__free_pages(page[1], 0);
	dma_release(&w);
	assert_true(unit_validate_ok());
}

/* NR_FREE_PAGES_BLOCKS (6.15+): the pages of free blocks of pageblock_order
 * and more, per zone (zoneinfo) and summed (vmstat), as the lists hold them. */
static void check_free_pages_blocks(void)
{
	unsigned long sum = 0;
	struct zone *z;

	fold_vm_stats();
	for_each_populated_zone(z) {
		struct fl_snap s;
		unsigned long n = 0;

		snap(z, &s);
		for (int o = pageblock_order; o < MAX_ORDER; o++)
			for (int mt = 0; mt < MIGRATE_TYPES; mt++)
				if (mt != MIGRATE_ISOLATE)
					n += s.nr[o][mt] << o;
		assert_int_equal(zone_page_state(z, NR_FREE_PAGES_BLOCKS), n);
		sum += n;
	}
	assert_int_equal(global_zone_page_state(NR_FREE_PAGES_BLOCKS), sum);
}

static void test_nr_free_pages_blocks(void **state)
{
	struct page *p[4];

	(void)state;
	boot("mem=64M,cpus=2");
	assert_int_equal(NR_FREE_PAGES_BLOCKS, NR_FREE_PAGES + 1);
	assert_string_equal(zone_stat_names[NR_FREE_PAGES_BLOCKS], "nr_free_pages_blocks");
	drain_all_pages(NULL);
	check_free_pages_blocks();
	p[0] = alloc_pages(GFP_KERNEL, MAX_ORDER - 1);	/* an order 10 goes */
	p[1] = alloc_pages(GFP_HIGHUSER_MOVABLE, pageblock_order);
	p[2] = alloc_pages(GFP_KERNEL, 0);		/* splits a block down */
	p[3] = alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE, 3);	/* claims one */
	for (int i = 0; i < 4; i++)
		assert_non_null(p[i]);
	drain_all_pages(NULL);
	check_free_pages_blocks();
	__free_pages(p[0], MAX_ORDER - 1);
	__free_pages(p[1], pageblock_order);
	__free_pages(p[2], 0);
	__free_pages(p[3], 3);
	drain_all_pages(NULL);
	check_free_pages_blocks();
	assert_true(unit_validate_ok());
}

/*
 * Pages on another CPU's pcp lists: a GFP_NOWAIT request fails (it may not
 * reclaim, and the kernel drains only in direct reclaim); GFP_KERNEL
 * drains every CPU's lists in its direct-reclaim step and succeeds.
 */
static void test_drain_then_succeed(void **state)
{
	struct page **held, *p;
	struct zone *z;
	int nh = 0, kept;
	const int cap = 20000;

	(void)state;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip();
	boot("mem=64M,cpus=2");
	assert_int_equal(mmfs_set_min_free_kbytes(128), 0);
	/* a pcp high that holds what CPU 1 frees below (no auto-tuning) */
	assert_int_equal(mmfs_set_percpu_pagelist_high_fraction(8), 0);
	z = zone_of(0, ZONE_NORMAL);
	held = calloc((size_t)cap, sizeof(*held));
	assert_non_null(held);
	while (nh < cap && (held[nh] = alloc_pages(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, 0)))
		nh++;
	assert_true(nh < cap);
	fold_vm_stats();
	for_each_populated_zone(z)
		assert_int_equal(zone_page_state(z, NR_FREE_PAGES), 0);
	z = zone_of(0, ZONE_NORMAL);
	/* 6.18: CPU 1 has not used its pageset, so its high is still 0; the
	 * first free clamps it to high_min */
	assert_int_equal(z->per_cpu_pageset[1].high, 0);
	assert_true(z->per_cpu_pageset[1].high_min > 300);

	/* CPU 1 frees 200 Normal pages: all stay on its pcp list */
	assert_int_equal(pin_cpu(1), 0);
	kept = 0;
	for (int i = 0; i < nh && kept < 200; i++)
		if (held[i] && page_zone(held[i]) == z) {
			__free_pages(held[i], 0);
			held[i] = NULL;
			kept++;
		}
	assert_int_equal(pin_cpu(0), 0);
	assert_int_equal(z->per_cpu_pageset[1].count, 200);
	assert_int_equal(z->per_cpu_pageset[1].high, z->per_cpu_pageset[1].high_min);
	fold_vm_stats();
	assert_int_equal(zone_page_state(z, NR_FREE_PAGES), 0);

	p = alloc_pages(GFP_NOWAIT, 0);
	assert_null(p);
	assert_int_equal(z->per_cpu_pageset[1].count, 200);

	p = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(p);
	assert_ptr_equal(page_zone(p), z);
	assert_int_equal(z->per_cpu_pageset[1].count, 0);
	assert_true(unit_validate_ok());
	__free_pages(p, 0);
	for (int i = 0; i < nh; i++)
		if (held[i])
			__free_pages(held[i], 0);
	free(held);
	drain_all_pages(NULL);
	assert_true(unit_validate_ok());
}

/* ------------------------------------------------------- NOFRAGMENT */

static void test_nofragment(void **state)
{
	struct zone *normal;
	struct page *keep, *page, *held[256];
	struct fl_snap before, after;
	int nh = 0;

	(void)state;
	boot("mem=64M,cpus=2");
	assert_int_equal(mmfs_set_min_free_kbytes(128), 0);
	normal = zone_of(0, ZONE_NORMAL);
	drain_all_pages(NULL);
	/* leave Movable fragments (orders 0..8) in Normal */
	keep = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	assert_non_null(keep);
	assert_ptr_equal(page_zone(keep), normal);
	/* take every block >= pageblock_order out of Normal */
	for (;;) {
		page = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, pageblock_order);
		assert_non_null(page);
		if (page_zone(page) != normal) {
			__free_pages(page, pageblock_order);
			break;
		}
		assert_true(nh < 256);
		held[nh++] = page;
	}
	drain_all_pages(NULL);
	snap(normal, &before);
	for (int o = 0; o < MAX_ORDER; o++) {
		assert_int_equal(before.nr[o][MIGRATE_RECLAIMABLE], 0);
		if (o >= pageblock_order)
			assert_int_equal(before.nr_free[o], 0);
	}
	assert_true(before.free_pages > 0);

	/* first pass: Normal may not be fragmented; DMA32 gives a whole block */
	page = alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE, 0);
	assert_non_null(page);
	assert_int_not_equal(page_zonenum(page), ZONE_NORMAL);
	drain_all_pages(NULL);
	snap(normal, &after);
	if (!snap_equal(&before, &after)) {
		print_snap_diff(&before, &after);
		fail_msg("NOFRAGMENT fragmented Normal");
	}
	__free_pages(page, 0);
	drain_all_pages(NULL);		/* the claimed block merges back whole */

	/* no block >= pageblock_order anywhere: the retry without
	 * NOFRAGMENT takes a fragment from Normal */
	for (;;) {
		/* __GFP_MEMALLOC: past the watermarks, so no block is left */
		page = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_MEMALLOC | __GFP_NOWARN, pageblock_order);
		if (!page)
			break;
		assert_true(nh < 256);
		held[nh++] = page;
	}
	drain_all_pages(NULL);
	page = alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE, 0);
	assert_non_null(page);
	assert_int_equal(page_zonenum(page), ZONE_NORMAL);
	assert_true(unit_validate_ok());
	__free_pages(page, 0);
	for (int i = 0; i < nh; i++)
		__free_pages(held[i], pageblock_order);
	__free_pages(keep, 0);
	drain_all_pages(NULL);
	assert_true(unit_validate_ok());
}

/* --------------------------------------------------- highatomic */

/* Every zone's min watermark past 1.2 x the free pages of @z: GFP_KERNEL
 * fails everywhere, GFP_ATOMIC (min - 1/2 - 1/8) still succeeds. */
static void set_min_above_free(struct zone *z, unsigned long num, unsigned long den)
{
	unsigned long free_n, lowmem = 0, pages_min;

	drain_all_pages(NULL);
	fold_vm_stats();
	free_n = zone_page_state(z, NR_FREE_PAGES);
	for (int t = 0; t <= ZONE_NORMAL; t++)
		lowmem += zone_managed_pages(zone_of(0, (enum zone_type)t));
	pages_min = free_n * num / den * lowmem / zone_managed_pages(z) + 1;
	assert_int_equal(mmfs_set_min_free_kbytes((long)(pages_min * 4)), 0);
}

/* the free pages on HighAtomic lists, counted on the lists */
static unsigned long highatomic_free_listed(struct zone *z)
{
	struct fl_snap s;
	unsigned long n = 0;

	snap(z, &s);
	for (int o = 0; o < MAX_ORDER; o++)
		n += s.nr[o][MIGRATE_HIGHATOMIC] << o;
	return n;
}

/*
 * 1G: Normal's 1% (1269 pages) is above a pageblock, so a high-order
 * GFP_ATOMIC allocation below the min watermark reserves its pageblock, up
 * to ALIGN(1%, pageblock) = 1536 pages (three pageblocks; 6.7's limit was
 * 1% + one pageblock, four).  Ordinary requests see the free HighAtomic
 * pages (nr_free_highatomic), not the reserved total, as used; a failing
 * request gives the reserve back.
 */
static void test_highatomic_reserve(void **state)
{
	struct zone *z;
	struct page *page, **held;
	unsigned long max_reserve, nfree;
	int nh = 0;

	(void)state;
	boot("mem=1G,cpus=2");
	z = zone_of(0, ZONE_NORMAL);
	max_reserve = ALIGN(zone_managed_pages(z) / 100, pageblock_nr_pages);
	assert_int_equal(max_reserve, 3 * pageblock_nr_pages);
	set_min_above_free(z, 12, 10);
	assert_true(min_wmark_pages(z) > zone_page_state(z, NR_FREE_PAGES));

	page = alloc_pages(GFP_KERNEL, 1);
	assert_null(page);
	assert_true(unit_log_has("page allocation failure: order:1, mode:0xcc0(GFP_KERNEL), nodemask=(null)"));
	assert_true(unit_log_has("Node 0 Normal free:"));
	assert_true(unit_log_has(" reserved_highatomic:0KB free_highatomic:0KB "));
	assert_true(unit_log_has("Node 0 Normal: "));
	assert_true(unit_log_has("lowmem_reserve[]:"));
	assert_int_equal(z->nr_reserved_highatomic, 0);

	page = alloc_pages(GFP_ATOMIC, 1);
	assert_non_null(page);
	assert_ptr_equal(page_zone(page), z);
	/* the pageblock is now reserved for high-order atomic requests */
	assert_int_equal(z->nr_reserved_highatomic, pageblock_nr_pages);
	assert_int_equal(get_pageblock_migratetype(page), MIGRATE_HIGHATOMIC);
	assert_int_equal(count_pageblocks(z, MIGRATE_HIGHATOMIC), 1);
	assert_int_equal(z->nr_free_highatomic, highatomic_free_listed(z));

	/* more of them, from block after block: three pageblocks, no more */
	held = calloc(1024, sizeof(*held));
	assert_non_null(held);
	held[nh++] = page;
	while (nh < 400) {
		held[nh] = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 3);
		assert_non_null(held[nh]);
		assert_true(z->nr_reserved_highatomic <= max_reserve);
		nh++;
	}
	assert_int_equal(z->nr_reserved_highatomic, max_reserve);
	assert_int_equal(count_pageblocks(z, MIGRATE_HIGHATOMIC), 3);
	drain_all_pages(NULL);
	nfree = highatomic_free_listed(z);
	assert_int_equal(z->nr_free_highatomic, nfree);
	/* some of the reserve is allocated: only the free part is held back */
	assert_true(nfree < max_reserve);
	{
		long free_pages = (long)zone_page_state(z, NR_FREE_PAGES);
		unsigned long mark = (unsigned long)free_pages - nfree - 1;

		assert_true(__zone_watermark_ok(z, 0, mark, ZONE_NORMAL, 0, free_pages));
		assert_false(__zone_watermark_ok(z, 0, mark + 1, ZONE_NORMAL, 0, free_pages));
		/* a __GFP_HIGH request may use the reserve */
		assert_true(__zone_watermark_ok(z, 0, mark + 1, ZONE_NORMAL, ALLOC_MIN_RESERVE,
						free_pages));
	}
	for (int i = 1; i < nh; i++)
		__free_pages(held[i], 3);
	__free_pages(held[0], 1);
	nh = 0;
	drain_all_pages(NULL);
	assert_int_equal(z->nr_free_highatomic, highatomic_free_listed(z));
	assert_true(unit_validate_ok());

	/* a failing request gives the reserve back (unreserve) */
	assert_int_equal(mmfs_set_min_free_kbytes(128), 0);
	while (nh < 1024 && (held[nh] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER - 1)))
		nh++;
	assert_true(nh < 1024);
	/* the failure's direct-reclaim drain gave one pageblock back (it
	 * keeps the last) */
	assert_int_equal(z->nr_reserved_highatomic, max_reserve - pageblock_nr_pages);
	/* GFP_KERNEL with retries unreserves before failing: every
	 * HighAtomic block with free pages goes to Unmovable */
	page = alloc_pages(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN, MAX_ORDER - 1);
	if (page)
		held[nh++] = page;
	assert_true(z->nr_reserved_highatomic < max_reserve);
	assert_int_equal(z->nr_reserved_highatomic,
			 (unsigned long)count_pageblocks(z, MIGRATE_HIGHATOMIC) * pageblock_nr_pages);
	assert_int_equal(highatomic_free_listed(z), 0);
	assert_int_equal(z->nr_free_highatomic, 0);
	for (int i = 0; i < nh; i++)
		__free_pages(held[i], MAX_ORDER - 1);
	free(held);
	drain_all_pages(NULL);
	assert_int_equal(z->nr_free_highatomic, 0);
	/* a pageblock given back whole may lie unmerged beside its free buddy
	 * pageblock (unreserve moves free pages and merges nothing; they merge
	 * when freed again): validate knows that state is sound */
	assert_true(unit_validate_ok());
}

/* The default machine (256M): 1% of every zone is below a pageblock, so
 * nothing is ever reserved, however many GFP_ATOMIC allocations of every
 * order come below the min watermark (6.7 reserved a Normal block). */
static void test_highatomic_default_machine(void **state)
{
	struct page *held[64];
	struct zone *z;
	int nh = 0;

	(void)state;
	boot("");
	for_each_populated_zone(z)
		assert_true(zone_managed_pages(z) / 100 < pageblock_nr_pages);
	set_min_above_free(zone_of(0, ZONE_NORMAL), 12, 10);
	for (unsigned int order = 1; order <= PAGE_ALLOC_COSTLY_ORDER + 2; order++)
		for (int k = 0; k < 8; k++) {
			held[nh] = alloc_pages(GFP_ATOMIC, order);
			assert_non_null(held[nh]);
			nh++;
		}
	for_each_populated_zone(z) {
		assert_int_equal(z->nr_reserved_highatomic, 0);
		assert_int_equal(count_pageblocks(z, MIGRATE_HIGHATOMIC), 0);
	}
	for (int i = 0; i < nh; i++)
		__free_pages(held[i], (unsigned int)(1 + i / 8));
	assert_true(unit_validate_ok());
}

/* GFP_NOWAIT is not __GFP_HIGH: a high-order one between min and low takes
 * the slow path without ALLOC_HIGHATOMIC and reserves nothing; GFP_ATOMIC
 * in the same place does. */
static void test_highatomic_not_for_nowait(void **state)
{
	struct page *page;
	struct zone *z;

	(void)state;
	boot("mem=1G,cpus=2");
	z = zone_of(0, ZONE_NORMAL);
	set_min_above_free(z, 9, 10);
	assert_true(min_wmark_pages(z) < zone_page_state(z, NR_FREE_PAGES));
	assert_true(low_wmark_pages(z) > zone_page_state(z, NR_FREE_PAGES));

	page = alloc_pages(GFP_NOWAIT, 2);
	assert_non_null(page);
	assert_ptr_equal(page_zone(page), z);
	for_each_populated_zone(z) {
		assert_int_equal(z->nr_reserved_highatomic, 0);
		assert_int_equal(count_pageblocks(z, MIGRATE_HIGHATOMIC), 0);
	}
	__free_pages(page, 2);

	z = zone_of(0, ZONE_NORMAL);
	page = alloc_pages(GFP_ATOMIC, 2);
	assert_non_null(page);
	assert_int_equal(z->nr_reserved_highatomic, pageblock_nr_pages);
	assert_int_equal(get_pageblock_migratetype(page), MIGRATE_HIGHATOMIC);
	__free_pages(page, 2);
	drain_all_pages(NULL);
	assert_true(unit_validate_ok());
}

/* -------------------------------------------- watermark formulas */

static unsigned long isqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

struct expect_wm { unsigned long wm[NR_WMARK]; };

static void expect_wmarks(long mfk, struct expect_wm *e /* [nodes][zones] */)
{
	unsigned long pages_min = (unsigned long)mfk >> 2, lowmem = 0;

	for (int nid = 0; nid < nr_online_nodes; nid++)
		for (int t = 0; t < MAX_NR_ZONES; t++)
			if (zone_type_configured((enum zone_type)t) && t != ZONE_HIGHMEM && t != ZONE_MOVABLE)
				lowmem += zone_managed_pages(zone_of(nid, (enum zone_type)t));
	for (int nid = 0; nid < nr_online_nodes; nid++)
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			unsigned long m = zone_managed_pages(zone_of(nid, (enum zone_type)t));
			unsigned long tmp = (unsigned long)((uint64_t)pages_min * m / lowmem), min, gap;
			struct expect_wm *w = &e[nid * MAX_NR_ZONES + t];

			if (t == ZONE_HIGHMEM || t == ZONE_MOVABLE) {
				min = m / 1024;
				min = min < 32 ? 32 : min > 128 ? 128 : min;
			} else {
				min = tmp;
			}
			gap = m * 10 / 10000;
			if (tmp / 4 > gap)
				gap = tmp / 4;
			w->wm[WMARK_MIN] = min;
			w->wm[WMARK_LOW] = min + gap;
			w->wm[WMARK_HIGH] = min + 2 * gap;
			w->wm[WMARK_PROMO] = min + 3 * gap;
		}
}

static void check_formulas(const char *opts, int ncpus)
{
	struct expect_wm e[MAX_NUMNODES * MAX_NR_ZONES];
	unsigned long lowmem_kb = 0, nfb = 0, rec;
	long mfk;
	int nz = 0;

	boot(opts);
	for (int nid = 0; nid < nr_online_nodes; nid++)
		for (int t = 0; t <= ZONE_NORMAL; t++) {
			struct zone *z = zone_of(nid, (enum zone_type)t);

			lowmem_kb += zone_managed_pages(z) * 4;
			if (populated_zone(z))
				nz++;
		}
	mfk = (long)isqrt(lowmem_kb * 16);
	mfk = mfk < 128 ? 128 : mfk > 262144 ? 262144 : mfk;
	expect_wmarks(mfk, e);
	/* khugepaged: 11 pageblocks per zone, at most 5% of lowmem */
	for (int nid = 0; nid < nr_online_nodes; nid++)
		for (int t = 0; t <= ZONE_NORMAL; t++) {
			unsigned long m = zone_managed_pages(zone_of(nid, (enum zone_type)t));
			unsigned long h = e[nid * MAX_NR_ZONES + t].wm[WMARK_HIGH];

			if (m > h)
				nfb += m - h;
		}
	rec = 512UL * (unsigned long)nz * 2 + 512UL * (unsigned long)nz * 9;
	if (rec > nfb / 20)
		rec = nfb / 20;
	rec *= 4;
	if ((long)rec > mfk)
		mfk = (long)rec;
	assert_int_equal(min_free_kbytes, mfk);
	expect_wmarks(mfk, e);
	for (int nid = 0; nid < nr_online_nodes; nid++) {
		for (int t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = zone_of(nid, (enum zone_type)t);
			struct expect_wm *w = &e[nid * MAX_NR_ZONES + t];
			unsigned long sum = 0;
			int batch, hmin, hmax, ncpu_node = 0;

			if (!zone_type_configured((enum zone_type)t))
				continue;
			for (int k = 0; k < NR_WMARK; k++)
				if (z->_watermark[k] != w->wm[k])
					fail_msg("%s node %d %s wmark %d: %lu, want %lu", opts, nid, z->name, k,
						 z->_watermark[k], w->wm[k]);
			/* lowmem_reserve: upper zones' managed / ratio */
			for (int j = t + 1; j < MAX_NR_ZONES; j++) {
				long want;

				sum += zone_managed_pages(zone_of(nid, (enum zone_type)j));
				want = (!sysctl_lowmem_reserve_ratio[t] || !zone_managed_pages(z)) ? 0 :
				       (long)(sum / (unsigned long)sysctl_lowmem_reserve_ratio[t]);
				assert_int_equal(z->lowmem_reserve[j], want);
			}
			if (!populated_zone(z))
				continue;
			/* pcp batch and high */
			batch = (int)(zone_managed_pages(z) >> 10);
			if (batch > 256)
				batch = 256;
			batch /= 4;
			if (batch < 1)
				batch = 1;
			batch = (int)rounddown_pow_of_two((unsigned long)(batch + batch / 2)) - 1;
			if (batch < 1)
				batch = 1;
			for (int c = 0; c < ncpus; c++)
				if (c % nr_online_nodes == nid)
					ncpu_node++;
			if (!ncpu_node)
				ncpu_node = ncpus;
			hmin = (int)(w->wm[WMARK_LOW] / (unsigned long)ncpu_node);
			if (hmin < 4 * batch)
				hmin = 4 * batch;
			hmax = (int)(zone_managed_pages(z) / 8 / (unsigned long)ncpu_node);
			if (hmax < 4 * batch)
				hmax = 4 * batch;
			for (unsigned int c = 0; c < nr_cpu_ids; c++) {
				assert_int_equal(z->per_cpu_pageset[c].batch, batch);
				assert_int_equal(z->per_cpu_pageset[c].high_min, hmin);
				assert_int_equal(z->per_cpu_pageset[c].high_max, hmax);
			}
		}
	}
	/* totalreserve: max protection + high, capped at managed */
	{
		unsigned long tr = 0;

		for (int nid = 0; nid < nr_online_nodes; nid++)
			for (int t = 0; t < MAX_NR_ZONES; t++) {
				struct zone *z = zone_of(nid, (enum zone_type)t);
				long max = 0;

				for (int j = t; j < MAX_NR_ZONES; j++)
					if (z->lowmem_reserve[j] > max)
						max = z->lowmem_reserve[j];
				max += (long)high_wmark_pages(z);
				if (max > (long)zone_managed_pages(z))
					max = (long)zone_managed_pages(z);
				tr += (unsigned long)max;
			}
		assert_int_equal(totalreserve_pages, tr);
	}
	/* nr_free_buffer_pages: managed - high over zones <= Normal */
	{
		unsigned long want = 0;

		for (int nid = 0; nid < nr_online_nodes; nid++)
			for (int t = 0; t <= ZONE_NORMAL; t++) {
				struct zone *z = zone_of(nid, (enum zone_type)t);

				if (zone_managed_pages(z) > high_wmark_pages(z))
					want += zone_managed_pages(z) - high_wmark_pages(z);
			}
		assert_int_equal(nr_free_buffer_pages(), want);
	}
	mm_shutdown();
}

static void test_formulas_sizes(void **state)
{
	(void)state;
	check_formulas("mem=64M,cpus=2", 2);
	check_formulas("mem=256M,cpus=2", 2);
	check_formulas("mem=1G,cpus=4", 4);
	check_formulas("mem=512M,nodes=2,cpus=2", 2);
	check_formulas("mem=256M,nodes=3,cpus=2", 2);
	check_formulas("mem=256M,movablecore=64M,cpus=2", 2);
	check_formulas("mem=256M,highmem=64M,cpus=1", 1);
	boot("mem=64M");	/* for the unit_teardown */
}

/* kernel-formats §7.6: the live 6.18 machine's numbers */
static void test_worked_example(void **state)
{
	struct zone *dma, *dma32, *normal, *mov;
	long saved[MAX_NR_ZONES];
	static const long ratios[] = { 256, 256, 32, 0 };

	(void)state;
	boot("mem=256M,cpus=2");
	dma = zone_of(0, ZONE_DMA);
	dma32 = zone_of(0, ZONE_DMA32);
	normal = zone_of(0, ZONE_NORMAL);
	mov = zone_of(0, ZONE_MOVABLE);
	for (int t = 0; t < MAX_NR_ZONES; t++)
		saved[t] = (long)zone_managed_pages(zone_of(0, (enum zone_type)t));
	atomic_long_set(&dma->managed_pages, 3840);
	atomic_long_set(&dma32->managed_pages, 772808);
	atomic_long_set(&normal->managed_pages, 327680);
	atomic_long_set(&mov->managed_pages, 0);
	/* boot-time computation, with THP's khugepaged raise */
	for (int t = 0; t < MAX_NR_ZONES; t++)
		memset(zone_of(0, (enum zone_type)t)->_watermark, 0, sizeof(dma->_watermark));
	init_per_zone_wmark_min();
	assert_int_equal(min_free_kbytes, 67584);
	assert_int_equal(dma->_watermark[WMARK_MIN], 58);
	assert_int_equal(dma->_watermark[WMARK_LOW], 72);
	assert_int_equal(dma->_watermark[WMARK_HIGH], 86);
	assert_int_equal(dma->_watermark[WMARK_PROMO], 100);
	assert_int_equal(dma32->_watermark[WMARK_MIN], 11823);
	assert_int_equal(dma32->_watermark[WMARK_LOW], 14778);
	assert_int_equal(dma32->_watermark[WMARK_HIGH], 17733);
	assert_int_equal(dma32->_watermark[WMARK_PROMO], 20688);
	assert_int_equal(normal->_watermark[WMARK_MIN], 5013);
	assert_int_equal(normal->_watermark[WMARK_LOW], 6266);
	assert_int_equal(normal->_watermark[WMARK_HIGH], 7519);
	assert_int_equal(normal->_watermark[WMARK_PROMO], 8772);
	assert_int_equal(mov->_watermark[WMARK_MIN], 32);
	assert_int_equal(mov->_watermark[WMARK_PROMO], 32);
	/* protection */
	assert_int_equal(mmfs_set_lowmem_reserve_ratio(ratios, 4), 0);
	assert_int_equal(dma->lowmem_reserve[ZONE_DMA], 0);
	assert_int_equal(dma->lowmem_reserve[ZONE_DMA32], 3018);
	assert_int_equal(dma->lowmem_reserve[ZONE_NORMAL], 4298);
	assert_int_equal(dma->lowmem_reserve[ZONE_MOVABLE], 4298);
	assert_int_equal(dma32->lowmem_reserve[ZONE_NORMAL], 1280);
	assert_int_equal(dma32->lowmem_reserve[ZONE_MOVABLE], 1280);
	assert_int_equal(normal->lowmem_reserve[ZONE_MOVABLE], 0);
	assert_int_equal(totalreserve_pages, 30372);
	/* pcp: batch 63/63/1, high_min 3133/7389/36, high_max 20480/48300/240 */
	assert_int_equal(normal->per_cpu_pageset[0].batch, 63);
	assert_int_equal(dma32->per_cpu_pageset[0].batch, 63);
	assert_int_equal(dma->per_cpu_pageset[0].batch, 1);
	assert_int_equal(normal->per_cpu_pageset[1].high_min, 3133);
	assert_int_equal(dma32->per_cpu_pageset[1].high_min, 7389);
	assert_int_equal(dma->per_cpu_pageset[1].high_min, 36);
	assert_int_equal(normal->per_cpu_pageset[0].high_max, 20480);
	assert_int_equal(dma32->per_cpu_pageset[0].high_max, 48300);
	assert_int_equal(dma->per_cpu_pageset[0].high_max, 240);
	assert_int_equal(zone_batchsize(normal), 63);
	assert_int_equal(zone_highsize(normal, 63, 0, 0), 3133);
	assert_int_equal(zone_highsize(normal, 63, 0, 8), 20480);
	/* put the real machine back */
	for (int t = 0; t < MAX_NR_ZONES; t++)
		atomic_long_set(&zone_of(0, (enum zone_type)t)->managed_pages, saved[t]);
}

/* ------------------------------------------------------ pcp lists */

static void test_pcp_refill_and_drain(void **state)
{
	struct zone *z;
	struct page *pages[4096];
	unsigned long free0;
	struct per_cpu_pages *pcp;
	int cpu, batch, n = 0;

	(void)state;
	boot("mem=1G,cpus=2");
	drain_all_pages(NULL);
	fold_vm_stats();
	z = zone_of(0, ZONE_NORMAL);
	free0 = zone_page_state(z, NR_FREE_PAGES);
	cpu = smp_processor_id();
	pcp = &z->per_cpu_pageset[cpu];
	batch = pcp->batch;
	assert_int_equal(batch, 31);
	assert_int_equal(pcp->count, 0);
	/* as on a CPU whose last pcp operation was a free (boot allocated
	 * before us and left the factor raised) */
	pcp->alloc_factor = 0;
	pages[n++] = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(pages[0]);
	assert_ptr_equal(page_zone(pages[0]), z);
	/* one refill of batch pages, one handed out */
	assert_int_equal(pcp->count, batch - 1);
	assert_int_equal(zone_page_state(z, NR_FREE_PAGES), free0 - (unsigned long)batch);
	assert_int_equal(pcp->alloc_factor, 1);
	for (int i = 1; i < batch; i++)
		pages[n++] = alloc_pages(GFP_KERNEL, 0);
	assert_int_equal(pcp->count, 0);
	/* allocations with no free between: the next refill doubles */
	pages[n++] = alloc_pages(GFP_KERNEL, 0);
	assert_int_equal(pcp->count, 2 * batch - 1);
	assert_int_equal(pcp->alloc_factor, 2);
	__free_pages(pages[--n], 0);
	assert_int_equal(pcp->alloc_factor, 1);		/* a free halves it */
	/* free many: the list never grows past high, the rest goes back */
	for (int i = 0; i < 4000 - batch; i++) {
		pages[n] = alloc_pages(GFP_KERNEL, 0);
		assert_non_null(pages[n]);
		n++;
	}
	for (int i = 0; i < n; i++) {
		__free_pages(pages[i], 0);
		assert_true(pcp->count <= pcp->high_max);
		assert_true(pcp->count <= pcp->high || pcp->high == 0);
	}
	assert_true(pcp->count > 0);
	{
		char buf[256];

		/* a pcp page is shown as such */
		struct page *p = list_first_entry(&pcp->lists[MIGRATE_UNMOVABLE], struct page, lru);

		assert_true(mmfs_lookup_pfn(page_to_pfn(p), buf, sizeof(buf)) > 0);
		assert_non_null(strstr(buf, "state=pcp"));
	}
	assert_true(unit_validate_ok());
	drain_all_pages(NULL);
	assert_int_equal(pcp->count, 0);
	assert_int_equal(zone_page_state(z, NR_FREE_PAGES), free0);
	assert_true(unit_validate_ok());
	/* counters: pgalloc_normal and pgfree counted per page */
	{
		unsigned long ev0[NR_VM_EVENT_ITEMS], ev1[NR_VM_EVENT_ITEMS];
		unsigned long hit0 = zone_numa_event_state(z, NUMA_HIT);
		struct page *p;

		all_vm_events(ev0);
		hit0 = zone_numa_event_state(z, NUMA_HIT);
		p = alloc_pages(GFP_KERNEL, 3);
		assert_non_null(p);
		__free_pages(p, 3);
		all_vm_events(ev1);
		assert_int_equal(ev1[PGALLOC_NORMAL] - ev0[PGALLOC_NORMAL], 8);
		assert_int_equal(ev1[PGFREE] - ev0[PGFREE], 8);
		assert_int_equal(zone_numa_event_state(z, NUMA_HIT) - hit0, 1);
		/* the pcp fast path's counts are summed on read: exact at once,
		 * whatever the number of events */
		{
			unsigned long local0 = zone_numa_event_state(z, NUMA_LOCAL);

			all_vm_events(ev0);
			hit0 = zone_numa_event_state(z, NUMA_HIT);
			for (int i = 0; i < 1000; i++) {
				p = alloc_pages(GFP_KERNEL, 0);
				assert_non_null(p);
				__free_pages(p, 0);
				if (i == 36) {
					all_vm_events(ev1);
					assert_int_equal(ev1[PGALLOC_NORMAL] - ev0[PGALLOC_NORMAL], 37);
					assert_int_equal(ev1[PGFREE] - ev0[PGFREE], 37);
				}
			}
			all_vm_events(ev1);
			assert_int_equal(ev1[PGALLOC_NORMAL] - ev0[PGALLOC_NORMAL], 1000);
			assert_int_equal(ev1[PGFREE] - ev0[PGFREE], 1000);
			assert_int_equal(zone_numa_event_state(z, NUMA_HIT) - hit0, 1000);
			assert_int_equal(zone_numa_event_state(z, NUMA_LOCAL) - local0, 1000);
		}
		/* the checked entry points leave the counters exact */
		all_vm_events(ev0);
		assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL, 1, 0, &p), 0);
		all_vm_events(ev1);
		assert_int_equal(ev1[PGALLOC_DMA + page_zonenum(p)] - ev0[PGALLOC_DMA + page_zonenum(p)], 2);
		assert_int_equal(mmfs_free_block(page_to_pfn(p)), 0);
		all_vm_events(ev0);
		assert_int_equal(ev0[PGFREE] - ev1[PGFREE], 2);
	}
}

/* ---------------------------------------------------- bad input */

/*
 * pcp->high as 6.18: 0 until the CPU first uses its pageset, clamped to
 * high_min then and raised by a batch at each refill (nr_pcp_alloc), and
 * once a second decay_pcp_high takes it toward high_min (an eighth at a
 * time, no lower than count - batch << CONFIG_PCP_BATCH_SCALE_MAX) and
 * gives back, a batch at a time, what lies past it.  The vmstat worker
 * is stopped so that the steps are ours.
 */
static void test_pcp_high_decay(void **state)
{
	struct per_cpu_pages *pcp;
	struct page **held;
	struct zone *z;
	int nh = 0, high, count, steps = 0, b, hmin;
	const int n = 3000;

	(void)state;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip();
	boot("mem=256M,cpus=2");
	vmstat_work_stop();
	z = zone_of(0, ZONE_NORMAL);
	pcp = &z->per_cpu_pageset[1];
	assert_int_equal(pcp->high, 0);
	assert_int_equal(pcp->count, 0);
	b = pcp->batch;
	hmin = pcp->high_min;
	assert_int_equal(b, zone_batchsize(z));
	assert_int_equal(hmin, zone_highsize(z, b, 0, 0));
	assert_true(pcp->high_max > hmin);

	held = calloc(n, sizeof(*held));
	assert_non_null(held);
	assert_int_equal(pin_cpu(1), 0);
	held[nh++] = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(held[0]);
	assert_ptr_equal(page_zone(held[0]), z);
	/* the first refill: clamped to high_min, then a batch more */
	assert_int_equal(pcp->high, hmin + b);
	while (nh < n) {
		held[nh] = alloc_pages(GFP_KERNEL, 0);
		assert_non_null(held[nh]);
		nh++;
	}
	/* frees past high raise it further (nr_pcp_high's need_high) */
	for (int i = 0; i < nh; i++)
		__free_pages(held[i], 0);
	assert_int_equal(pin_cpu(0), 0);
	assert_true(pcp->high > hmin + b);
	assert_true(pcp->count > hmin);

	do {
		high = pcp->high;
		count = pcp->count;
		int want = max(max(count - (b << 5), high - (high >> 3)), hmin);
		bool todo = decay_pcp_high(z, pcp);

		assert_int_equal(pcp->high, want);
		assert_int_equal(pcp->count, min(count, want));
		assert_int_equal(todo, want > hmin || count > want);
		steps++;
		assert_true(unit_validate_ok());
	} while (pcp->high > hmin || count > pcp->high);
	assert_true(steps > 1);
	assert_int_equal(pcp->high, hmin);
	assert_true(pcp->count <= hmin);
	assert_false(decay_pcp_high(z, pcp));
	free(held);
	assert_int_equal(vmstat_work_start(), 0);
	drain_all_pages(NULL);
	assert_true(unit_validate_ok());
}

/*
 * free_high as 6.18: a run of frees of orders 1..3 gives the pcp back at
 * once when free_count reaches a batch plus half of high_min (6.7 did at a
 * batch).  Frees of order 1 add 2 to free_count, so the free that finds
 * 2 * j >= batch + high_min / 2 is the first to empty the pcp: the 66th
 * here (the 5th under 6.7).  free_count stops at batch << 5, so zones
 * whose high_min / 2 passes that never free_high, as in 6.18.
 */
static void test_pcp_free_high_threshold(void **state)
{
	struct per_cpu_pages *pcp;
	struct page *held[1024];
	struct zone *z;
	int n, j0, drop = -1, b, hmin;

	(void)state;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip();
	boot("mem=256M,cpus=8");	/* Normal: batch 7, high_min 245 */
	vmstat_work_stop();
	z = zone_of(0, ZONE_NORMAL);
	pcp = &z->per_cpu_pageset[1];
	b = pcp->batch;
	hmin = pcp->high_min;
	assert_int_equal(b, 7);
	assert_int_equal(hmin, 245);
	j0 = (b + hmin / 2 + 1) / 2;
	assert_int_equal(j0, 65);
	n = j0 + 8;
	assert_true(n <= (int)ARRAY_SIZE(held));
	assert_true(2 * n < hmin);	/* never past high on its own */
	assert_int_equal(pin_cpu(1), 0);
	for (int i = 0; i < n; i++) {
		held[i] = alloc_pages(GFP_KERNEL, 1);
		assert_non_null(held[i]);
		assert_ptr_equal(page_zone(held[i]), z);
	}
	drain_local_pages(z);
	assert_int_equal(pcp->count, 0);
	for (int i = 0; i < n; i++) {
		int before = pcp->count;

		__free_pages(held[i], 1);
		if (drop < 0 && pcp->count < before)
			drop = i;
	}
	assert_int_equal(pin_cpu(0), 0);
	/* held[j0] is the free that sees free_count == 2 * j0 */
	assert_int_equal(drop, j0);
	assert_true(unit_validate_ok());
	assert_int_equal(vmstat_work_start(), 0);
	drain_all_pages(NULL);
	assert_true(unit_validate_ok());
}

/* The two THP pcp lists of 6.18 (NR_PCP_THP): a reclaimable THP shares the
 * non-movable one, a movable THP has its own.  mem=1G: Normal's high_min
 * (3944) holds two pageblocks. */
static void test_pcp_thp_lists(void **state)
{
	struct per_cpu_pages *pcp;
	struct page *held[2];
	struct zone *z;

	(void)state;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip();
	boot("mem=1G,cpus=2");
	vmstat_work_stop();
	z = zone_of(0, ZONE_NORMAL);
	pcp = &z->per_cpu_pageset[1];
	BUILD_BUG_ON(NR_PCP_LISTS != NR_LOWORDER_PCP_LISTS + 2);
	assert_int_equal(pin_cpu(1), 0);
	held[0] = alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE, pageblock_order);
	held[1] = alloc_pages(GFP_HIGHUSER_MOVABLE, pageblock_order);
	assert_non_null(held[0]);
	assert_non_null(held[1]);
	drain_local_pages(NULL);
	__free_pages(held[0], pageblock_order);
	__free_pages(held[1], pageblock_order);
	assert_int_equal(pin_cpu(0), 0);
	assert_ptr_equal(list_first_entry(&pcp->lists[NR_LOWORDER_PCP_LISTS], struct page, lru), held[0]);
	assert_ptr_equal(list_first_entry(&pcp->lists[NR_LOWORDER_PCP_LISTS + 1], struct page, lru),
			 held[1]);
	assert_int_equal(mmfs_pcp_pindex_to_order(NR_LOWORDER_PCP_LISTS + 1), pageblock_order);
	assert_true(unit_validate_ok());
	assert_int_equal(vmstat_work_start(), 0);
	drain_all_pages(NULL);
	assert_true(unit_validate_ok());
}

/*
 * Guard pages (debug_guardpage_minorder=5): an order-4 request split from
 * an order-o block (o > 4) leaves the free halves of orders 5..o-1 and
 * makes the order-4 half a guard block: on no list, out of NR_FREE_PAGES,
 * neither free nor allocated.  The free merges it back and the lists are
 * as before.
 */
static void test_guard_pages(void **state)
{
	struct fl_snap before, after, expect;
	char buf[256], want[96];
	struct mm_config cfg;
	struct page *page;
	unsigned long pfn;
	struct zone *z;
	char err[128];
	int o;

	(void)state;
	mm_config_default(&cfg);
	assert_int_equal(mm_config_parse(&cfg, "debug_guardpage_minorder", "6", err, sizeof(err)), -EINVAL);
	assert_int_equal(mm_config_parse(&cfg, "debug_guardpage_minorder", "-1", err, sizeof(err)), -EINVAL);
	assert_int_equal(mm_config_parse(&cfg, "debug_guardpage_minorder", "5", err, sizeof(err)), 0);
	assert_int_equal(cfg.debug_guardpage_minorder, 5);

	boot("mem=256M,cpus=1,debug_guardpage_minorder=5");
	assert_true(debug_guardpage_enabled());
	assert_int_equal(debug_guardpage_minorder(), 5);
	assert_true(unit_validate_ok());		/* boot's own guards are sound */
	z = zone_of(0, ZONE_NORMAL);
	drain_all_pages(NULL);
	fold_vm_stats();
	snap(z, &before);
	for (o = 4; o < MAX_ORDER && !before.nr[o][MIGRATE_MOVABLE]; o++)
		;
	assert_true(o > 4 && o < MAX_ORDER);

	page = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 4);
	assert_non_null(page);
	assert_ptr_equal(page_zone(page), z);
	pfn = page_to_pfn(page);
	fold_vm_stats();
	snap(z, &after);
	expect = before;
	expect.nr[o][MIGRATE_MOVABLE]--;
	expect.nr_free[o]--;
	for (int i = 5; i < o; i++) {
		expect.nr[i][MIGRATE_MOVABLE]++;
		expect.nr_free[i]++;
	}
	expect.free_pages = before.free_pages - 32;	/* 16 allocated, 16 guard */
	if (!snap_equal(&expect, &after)) {
		print_snap_diff(&expect, &after);
		fail_msg("guard split left unexpected free lists");
	}
	assert_true(PageGuard(page + 16));
	assert_int_equal(page[16].private, 4);
	assert_false(PageBuddy(page + 16));
	snprintf(want, sizeof(want), "state=guard order=4 head=%#lx", pfn + 16);
	assert_true(mmfs_lookup_pfn(pfn + 16, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, want));
	assert_true(mmfs_lookup_pfn(pfn + 31, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, want));
	assert_true(unit_validate_ok());

	__free_pages(page, 4);
	fold_vm_stats();
	snap(z, &after);
	if (!snap_equal(&before, &after)) {
		print_snap_diff(&before, &after);
		fail_msg("the guard did not merge back");
	}
	assert_false(PageGuard(page + 16));
	assert_true(mmfs_lookup_pfn(pfn + 16, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "state=buddy"));
	assert_true(unit_validate_ok());

	/* order 0 through the pcp refills: guards of orders 0..4 beside each
	 * page, all merged back once the pages are freed and drained */
	{
		struct page *held[300];

		for (int i = 0; i < 300; i++) {
			held[i] = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 0);
			assert_non_null(held[i]);
		}
		assert_true(unit_validate_ok());
		for (int i = 0; i < 300; i++)
			__free_pages(held[i], 0);
		drain_all_pages(NULL);
		fold_vm_stats();
		assert_true(unit_validate_ok());
		snap(z, &after);
		assert_int_equal(after.free_pages, before.free_pages);
	}
}

static void test_bad_input_changes_nothing(void **state)
{
	struct world *before = malloc(sizeof(*before)), *after = malloc(sizeof(*after));
	struct page *comp, *plain, *out = NULL, *pcp_page;
	unsigned long cpfn, ppfn, free_pfn = 0;
	int rc;

	(void)state;
	boot("mem=64M,cpus=2");
	assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL | __GFP_COMP, 3, NUMA_NO_NODE, &comp), 0);
	assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL, 2, 0, &plain), 0);
	pcp_page = alloc_pages(GFP_KERNEL, 0);
	__free_pages(pcp_page, 0);		/* now on this CPU's pcp list */
	cpfn = page_to_pfn(comp);
	ppfn = page_to_pfn(plain);
	{
		struct zone *z = zone_of(0, ZONE_NORMAL);
		struct page *fp = list_first_entry(&z->free_area[MAX_ORDER - 1].free_list[MIGRATE_MOVABLE],
						   struct page, lru);
		free_pfn = page_to_pfn(fp);
	}
	world_snap(before);

	/* alloc: order, gfp, nid, out */
	assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL, -1, 0, &out), -EINVAL);
	assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL, MAX_ORDER, 0, &out), -EINVAL);
	assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL, 1000, 0, &out), -EINVAL);
	assert_int_equal(mmfs_alloc_pages_checked(__GFP_DMA | __GFP_DMA32, 0, 0, &out), -EINVAL);
	assert_int_equal(mmfs_alloc_pages_checked(__GFP_DMA32 | __GFP_HIGHMEM, 0, 0, &out), -EINVAL);
	assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL | __GFP_MOVABLE | __GFP_RECLAIMABLE, 0, 0, &out), -EINVAL);
	assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL | 0x200, 0, 0, &out), -EINVAL);
	assert_int_equal(mmfs_alloc_pages_checked(0xffffffffu, 0, 0, &out), -EINVAL);
	assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL, 0, 1, &out), -EINVAL);
	assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL, 0, -2, &out), -EINVAL);
	assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL, 0, MAX_NUMNODES, &out), -EINVAL);
	assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL, 0, 0, NULL), -EINVAL);
	assert_null(out);
	assert_null(__alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER, 0, NULL));

	/* free / get / put of everything that is not an allocated head */
	{
		unsigned long bad[] = {
			-1UL, max_pfn, max_pfn + 12345, 0x10000 /* the PCI-hole gap */,
			free_pfn, free_pfn + 1, cpfn + 1, cpfn + 7, ppfn + 1, ppfn + 3,
			page_to_pfn(pcp_page),
		};

		for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
			int ref = -77;

			if (mmfs_free_block(bad[i]) != -EINVAL)
				fail_msg("free_block(%#lx) accepted", bad[i]);
			if (mmfs_get_page(bad[i], &ref) != -EINVAL)
				fail_msg("get_page(%#lx) accepted", bad[i]);
			if (mmfs_put_page(bad[i], &ref) != -EINVAL)
				fail_msg("put_page(%#lx) accepted", bad[i]);
			assert_int_equal(ref, -77);
		}
	}
	world_snap(after);
	assert_memory_equal(before, after, sizeof(*before));
	assert_int_equal(page_ref_count(comp), 1);
	assert_int_equal(page_ref_count(plain), 1);

	/* the slab's and page tables' pages are not for outside hands */
	{
		struct page *k = alloc_pages(GFP_KERNEL, 0);

		mmfs_set_owner(k, MMFS_OWNER_SLAB, 0);
		world_snap(before);
		assert_int_equal(mmfs_free_block(page_to_pfn(k)), -EINVAL);
		assert_int_equal(mmfs_put_page(page_to_pfn(k), &rc), -EINVAL);
		world_snap(after);
		assert_memory_equal(before, after, sizeof(*before));
		mmfs_set_owner(k, MMFS_OWNER_KERNEL, 0);
		assert_int_equal(mmfs_free_block(page_to_pfn(k)), 0);
	}

	/* double free */
	assert_int_equal(mmfs_free_block(cpfn), 0);
	world_snap(before);
	assert_int_equal(mmfs_free_block(cpfn), -EINVAL);
	assert_int_equal(mmfs_get_page(cpfn, &rc), -EINVAL);
	world_snap(after);
	assert_memory_equal(before, after, sizeof(*before));
	assert_int_equal(mmfs_free_block(ppfn), 0);

	/* -ENOMEM once memory is gone */
	{
		struct page *held[64];
		int nh = 0;

		while ((rc = mmfs_alloc_pages_checked(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER - 1, 0,
						      &held[nh])) == 0)
			nh++;
		assert_int_equal(rc, -ENOMEM);
		assert_true(nh > 0);
		for (int i = 0; i < nh; i++)
			assert_int_equal(mmfs_free_block(page_to_pfn(held[i])), 0);
	}
	drain_all_pages(NULL);
	assert_true(unit_validate_ok());
	free(before);
	free(after);
}

/* -------------------------------------------- zeroing on alloc/free */

static bool all_bytes(const void *p, int c, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != (unsigned char)c)
			return false;
	return true;
}

static void test_init_on_alloc(void **state)
{
	struct page *p, *q;

	(void)state;
	boot("mem=64M,cpus=2,init_on_alloc=1");
	p = alloc_pages(GFP_KERNEL, 0);
	memset(page_address(p), 0xa5, PAGE_SIZE);
	__free_pages(p, 0);
	q = alloc_pages(GFP_KERNEL, 0);		/* the same page, from the pcp */
	assert_ptr_equal(p, q);
	assert_true(all_bytes(page_address(q), 0, PAGE_SIZE));
	__free_pages(q, 0);
	/* every gfp, even one with no bits at all (GFP_ATOMIC and friends
	 * without __GFP_ZERO): init_on_alloc does not look at the flags */
	{
		static const gfp_t gfps[] = { 0, GFP_NOWAIT, GFP_ATOMIC, GFP_USER, GFP_HIGHUSER_MOVABLE };

		for (size_t i = 0; i < ARRAY_SIZE(gfps); i++) {
			p = alloc_pages(GFP_KERNEL, 0);		/* dirty the pcp's next page */
			memset(page_address(p), 0x5a, PAGE_SIZE);
			__free_pages(p, 0);
			q = alloc_pages(gfps[i], 0);
			assert_non_null(q);
			if (gfp_migratetype(gfps[i]) == MIGRATE_UNMOVABLE)
				assert_ptr_equal(p, q);		/* that very page */
			assert_true(all_bytes(mmfs_pfn_to_ptr(page_to_pfn(q)), 0, PAGE_SIZE));
			__free_pages(q, 0);
		}
	}
	assert_int_equal(get_zeroed_page(GFP_KERNEL) != 0, 1);
	mm_shutdown();

	boot("mem=64M,cpus=2,init_on_alloc=0");
	p = alloc_pages(GFP_KERNEL, 0);
	memset(page_address(p), 0xa5, PAGE_SIZE);
	__free_pages(p, 0);
	q = alloc_pages(GFP_KERNEL, 0);
	assert_ptr_equal(p, q);
	assert_true(all_bytes(page_address(q), 0xa5, PAGE_SIZE));	/* not cleared */
	__free_pages(q, 0);
	q = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	assert_ptr_equal(p, q);
	assert_true(all_bytes(page_address(q), 0, PAGE_SIZE));
	memset(page_address(q), 0x11, PAGE_SIZE);
	free_pages((unsigned long)page_address(q), 0);
	{
		unsigned long a = get_zeroed_page(GFP_KERNEL);

		assert_int_equal(a, (unsigned long)page_address(q));
		assert_true(all_bytes((void *)a, 0, PAGE_SIZE));
		free_page(a);
	}
	/* high order, through the buddy */
	p = alloc_pages(GFP_KERNEL, 5);
	memset(page_address(p), 0x33, PAGE_SIZE << 5);
	__free_pages(p, 5);
	q = alloc_pages(GFP_KERNEL | __GFP_ZERO, 5);
	assert_true(all_bytes(page_address(q), 0, PAGE_SIZE << 5));
	__free_pages(q, 5);
	assert_true(unit_validate_ok());
}

static void test_init_on_free(void **state)
{
	struct page *p;
	void *addr;

	(void)state;
	boot("mem=64M,cpus=2,init_on_alloc=0,init_on_free=1");
	p = alloc_pages(GFP_KERNEL, 2);
	addr = page_address(p);
	memset(addr, 0x77, PAGE_SIZE << 2);
	__free_pages(p, 2);
	assert_true(all_bytes(addr, 0, PAGE_SIZE << 2));	/* cleared at free */
	/* order 0 too: __free_pages' inlined order-0 path hands init_on_free
	 * to its out-of-line instance */
	p = alloc_pages(GFP_KERNEL, 0);
	addr = page_address(p);
	memset(addr, 0x55, PAGE_SIZE);
	__free_pages(p, 0);
	assert_true(all_bytes(addr, 0, PAGE_SIZE));
	assert_true(unit_validate_ok());
}

/* run this thread on host CPU @cpu only: 0, or -1 (errno) */
static int pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* The order-0 fast paths' ways out: a busy pcp sends both sides to the
 * buddy lists, and a host CPU beyond cpus= is folded onto a simulated one. */
static void test_order0_busy_pcp_and_cpu_fold(void **state)
{
	unsigned long ev0[NR_VM_EVENT_ITEMS], ev1[NR_VM_EVENT_ITEMS];
	struct per_cpu_pages *pcp;
	struct page *p;
	struct zone *z;
	long free0;
	int count0;

	(void)state;
	boot("mem=64M,cpus=2,init_on_alloc=0");
	assert_int_equal(pin_cpu(0), 0);
	p = alloc_pages(GFP_KERNEL, 0);		/* fills CPU 0's list */
	assert_non_null(p);
	__free_pages(p, 0);
	z = page_zone(p);
	pcp = &z->per_cpu_pageset[0];
	count0 = pcp->count;
	assert_true(count0 > 0);
	free0 = (long)zone_page_state(z, NR_FREE_PAGES);
	all_vm_events(ev0);
	spin_lock(&pcp->lock);			/* another thread of CPU 0 holds it */
	p = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(p);
	assert_ptr_equal(page_zone(p), z);
	assert_int_equal(pcp->count, count0);	/* from the buddy lists */
	assert_int_equal((long)zone_page_state(z, NR_FREE_PAGES), free0 - 1);
	__free_pages(p, 0);
	assert_int_equal(pcp->count, count0);	/* back to the buddy lists */
	assert_int_equal((long)zone_page_state(z, NR_FREE_PAGES), free0);
	spin_unlock(&pcp->lock);
	all_vm_events(ev1);
	assert_int_equal(ev1[PGALLOC_NORMAL] - ev0[PGALLOC_NORMAL], 1);
	assert_int_equal(ev1[PGFREE] - ev0[PGFREE], 1);
	assert_true(unit_validate_ok());
	mm_shutdown();

	/* cpus=1 on a host CPU 1: rseq says 1, the allocator uses CPU 0 */
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;		/* (main pins the suite to CPU 0 already) */
	boot("mem=64M,cpus=1,init_on_alloc=0");
	assert_int_equal(pin_cpu(1), 0);
	p = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(p);
	z = page_zone(p);
	pcp = &z->per_cpu_pageset[0];
	count0 = pcp->count;
	assert_true(count0 > 0);		/* CPU 0's list was filled */
	__free_pages(p, 0);
	assert_int_equal(pcp->count, count0 + 1);
	assert_true(unit_validate_ok());
	assert_int_equal(pin_cpu(0), 0);	/* back on the suite's CPU (main) */
}

/* A bad page on the order-0 fast path: reported in the kernel's words and
 * kept off the free lists (leaked, as the kernel does). */
static void test_free_bad_page_order0(void **state)
{
	struct fl_snap before, after;
	struct page *p;
	struct zone *z;

	(void)state;
	boot("mem=64M,cpus=2");
	p = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(p);
	z = page_zone(p);
	drain_all_pages(NULL);
	snap(z, &before);
	p->mapping = (void *)p;		/* what a buggy caller leaves behind */
	__free_pages(p, 0);
	assert_true(unit_log_expect("BUG: Bad page state"));
	assert_true(unit_log_expect("non-NULL mapping"));
	drain_all_pages(NULL);
	snap(z, &after);
	assert_true(snap_equal(&before, &after));
	assert_false(PageBuddy(p));
	p->mapping = NULL;
}

/* --------------------------------------- compound pages, refcounts */

static void test_compound_and_refcounts(void **state)
{
	struct page *head, *plain;
	struct fl_snap before, after;
	struct zone *z;
	int ref = 0;

	(void)state;
	boot("mem=64M,cpus=2");
	drain_all_pages(NULL);
	z = zone_of(0, ZONE_NORMAL);
	snap(z, &before);

	head = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
	assert_non_null(head);
	assert_true(PageHead(head));
	assert_false(PageTail(head));
	assert_int_equal(compound_order(head), 3);
	assert_int_equal(compound_pincount(head), 0);
	for (int i = 1; i < 8; i++) {
		assert_true(PageTail(head + i));
		assert_ptr_equal(compound_head(head + i), head);
		assert_int_equal(page_ref_count(head + i), 0);
	}
	assert_int_equal(page_ref_count(head), 1);
	get_page(head + 5);			/* a tail reference is the head's */
	assert_int_equal(page_ref_count(head), 2);
	assert_int_equal(mmfs_get_page(page_to_pfn(head), &ref), 0);
	assert_int_equal(ref, 3);
	assert_int_equal(mmfs_put_page(page_to_pfn(head), &ref), 0);
	assert_int_equal(ref, 2);
	/* a pinned block: the owner's put, then nothing more from outside */
	{
		struct page *pinned = alloc_pages(GFP_KERNEL, 0);
		unsigned long pp = page_to_pfn(pinned);

		page_ref_add(pinned, GUP_PIN_COUNTING_BIAS);	/* as FOLL_PIN */
		assert_int_equal(mmfs_put_page(pp, &ref), 0);
		assert_int_equal(ref, GUP_PIN_COUNTING_BIAS);
		assert_int_equal(mmfs_free_block(pp), -EINVAL);
		assert_int_equal(mmfs_put_page(pp, &ref), -EINVAL);
		assert_int_equal(mmfs_get_page(pp, &ref), 0);	/* a user ref again */
		assert_int_equal(mmfs_put_page(pp, &ref), 0);
		assert_int_equal(ref, GUP_PIN_COUNTING_BIAS);
		page_ref_sub(pinned, GUP_PIN_COUNTING_BIAS - 1);	/* unpin, all but one */
		assert_int_equal(page_ref_count(pinned), 1);
		assert_non_null(get_page_owner(pinned));
		put_page(pinned);			/* the last unpin frees it */
		assert_null(get_page_owner(pinned));
	}
	put_page(head + 3);
	assert_int_equal(page_ref_count(head), 1);
	put_page(head);				/* last reference: freed */
	assert_null(get_page_owner(head));
	assert_false(PageHead(head));
	assert_false(PageTail(head + 1));
	drain_all_pages(NULL);
	snap(z, &after);
	assert_true(snap_equal(&before, &after));

	/* MMFS: a non-compound block stays whole until its last reference */
	plain = alloc_pages(GFP_KERNEL, 2);
	assert_false(PageHead(plain));
	get_page(plain);
	assert_int_equal(mmfs_free_block(page_to_pfn(plain)), 0);	/* the owner's ref */
	assert_int_equal(page_ref_count(plain), 1);
	assert_non_null(get_page_owner(plain));
	assert_int_equal(mmfs_free_block(page_to_pfn(plain)), -EINVAL);	/* once */
	/* still allocated, so still listed (page_owner shows it, SPEC §6);
	 * its owner has let go (frames/ does not show it) */
	{
		unsigned long pfn = mmfs_next_allocated_block(0);

		while (pfn != -1UL && pfn < page_to_pfn(plain))
			pfn = mmfs_next_allocated_block(pfn + 1);
		assert_int_equal(pfn, page_to_pfn(plain));
		assert_true(get_page_owner(plain)->owner_dropped);
	}
	assert_true(unit_validate_ok());
	/* the remaining reference is the kernel's: not for outside hands */
	assert_int_equal(mmfs_put_page(page_to_pfn(plain), &ref), -EINVAL);
	assert_int_equal(page_ref_count(plain), 1);
	put_page(plain);
	assert_null(get_page_owner(plain));
	drain_all_pages(NULL);
	snap(z, &after);
	assert_true(snap_equal(&before, &after));
	assert_true(unit_validate_ok());
}

/* ---------------------------------------------- fail_page_alloc */

static void test_fail_page_alloc(void **state)
{
	struct page *p;

	(void)state;
	boot("mem=64M,cpus=2");
	atomic_store(&fail_page_alloc.times, 2);
	atomic_store(&fail_page_alloc.interval, 1);
	atomic_store(&fail_page_alloc.probability, 100);
	assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL, 0, 0, &p), -ENOMEM);
	assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL, 3, 0, &p), -ENOMEM);
	assert_int_equal(atomic_load(&fail_page_alloc.times), 0);
	assert_int_equal(mmfs_alloc_pages_checked(GFP_KERNEL, 0, 0, &p), 0);
	__free_pages(p, 0);
	assert_true(unit_log_has("FAULT_INJECTION: forcing a failure."));
	assert_true(unit_log_has("name fail_page_alloc, interval 1, probability 100, space 0, times 2"));

	/* every third, forever */
	atomic_store(&fail_page_alloc.times, -1);
	atomic_store(&fail_page_alloc.interval, 3);
	atomic_store(&fail_page_alloc.count, 0);
	for (int i = 1; i <= 9; i++) {
		p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
		if (i % 3 == 0) {
			assert_null(p);
		} else {
			assert_non_null(p);
			__free_pages(p, 0);
		}
	}
	/* __GFP_NOFAIL is never failed */
	atomic_store(&fail_page_alloc.interval, 1);
	p = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 0);
	assert_non_null(p);
	__free_pages(p, 0);
	/* space: the first 8 KiB of requests pass */
	atomic_store(&fail_page_alloc.space, 8192 + 1);
	p = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(p);
	__free_pages(p, 0);
	p = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(p);
	__free_pages(p, 0);
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0));
	/* probability 0: off */
	atomic_store(&fail_page_alloc.probability, 0);
	p = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(p);
	__free_pages(p, 0);
	assert_true(unit_validate_ok());
}

/* ------------------------------------------------------- warn_alloc */

static void test_warn_alloc(void **state)
{
	struct page *held[64];
	int nh = 0;
	size_t len0, len1;
	char *l;

	(void)state;
	boot("mem=64M,cpus=2");
	while (nh < 64 && (held[nh] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER - 1)))
		nh++;
	l = mm_log_snapshot(&len0);
	free(l);
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER - 1));
	l = mm_log_snapshot(&len1);
	free(l);
	assert_int_equal(len0, len1);		/* __GFP_NOWARN: silent */
	assert_null(alloc_pages(GFP_KERNEL | __GFP_ZERO, MAX_ORDER - 1));
	assert_true(unit_log_has(": page allocation failure: order:10, mode:0xdc0(GFP_KERNEL|__GFP_ZERO), nodemask=(null)"));
	assert_true(unit_log_has("Mem-Info:"));
	assert_true(unit_log_has("Node 0 DMA32 free:"));
	assert_true(unit_log_has(" min:"));
	assert_true(unit_log_has("*4kB "));
	assert_true(unit_log_has("*4096kB "));
	{
		unsigned long mask = 1;

		assert_null(__alloc_pages(GFP_KERNEL, MAX_ORDER - 1, 0, &mask));
		assert_true(unit_log_has("nodemask=0"));
	}
	for (int i = 0; i < nh; i++)
		__free_pages(held[i], MAX_ORDER - 1);
	assert_true(unit_validate_ok());
}

/* ------------------------------------------------------ tracepoints */

static void *blocked_reader(void *arg)
{
	char buf[64];

	__atomic_store_n((long *)arg, mmfs_trace_read(buf, sizeof(buf), true), __ATOMIC_RELEASE);
	return NULL;
}

static uint64_t wall_coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * page_owner's time comes from the tick thread (page_owner.c): each record
 * carries the coarse wall clock of its allocation, within a tick or two of
 * the clock itself, strictly increasing per pfn, and on the log's clock it
 * is the ts_nsec /proc/page_owner prints.  When no allocation reads the
 * tick for a period it stops, and the next allocation reads the clock.
 */
static void test_page_owner_time(void **state)
{
	struct page *page;
	struct page_owner *po;
	uint64_t before, after, prev;
	unsigned long pfn;
	struct timespec res;
	uint64_t slack;

	(void)state;
	boot("mem=256M,cpus=1");
	clock_getres(CLOCK_REALTIME_COARSE, &res);
	/* the tick thread stores at most one period late, plus scheduling */
	slack = 3 * (uint64_t)res.tv_nsec + 20000000ull;
	before = wall_coarse_ns();
	page = alloc_pages(GFP_KERNEL, 0);
	after = wall_coarse_ns();
	assert_non_null(page);
	pfn = page_to_pfn(page);
	po = get_page_owner(page);
	assert_non_null(po);
	assert_true(po->wall_ns + slack >= before);
	assert_true(po->wall_ns <= after + 1000);
	assert_true(page_owner_ts_nsec(po) <= mmfs_ktime_ns() + slack);
	assert_int_equal(po->order, 0);
	assert_int_equal(po->gfp_mask, GFP_KERNEL);
	assert_int_equal(po->kind, MMFS_OWNER_KERNEL);
	prev = po->wall_ns;
	__free_pages(page, 0);
	assert_null(get_page_owner(page));

	/* the same pfn again at once (LIFO pcp): a later time, even within
	 * one coarse tick */
	for (int i = 0; i < 1000; i++) {
		page = alloc_pages(GFP_KERNEL, 0);
		assert_int_equal(page_to_pfn(page), pfn);
		po = get_page_owner(page);
		assert_true(po->wall_ns > prev);
		prev = po->wall_ns;
		__free_pages(page, 0);
	}

	/* idle for several ticks: the tick stops, and the next allocation
	 * still gets the current time */
	usleep(300000);
	before = wall_coarse_ns();
	page = alloc_pages(GFP_KERNEL, 0);
	after = wall_coarse_ns();
	po = get_page_owner(page);
	assert_true(po->wall_ns + slack >= before);
	assert_true(po->wall_ns <= after + 1000);
	__free_pages(page, 0);
	mm_shutdown();
}

/*
 * fork with a booted machine: the child has no tick thread, reads the clock
 * itself, and can shut down and boot again (the tick's lock and condvar are
 * usable in the child whatever the thread was doing at the fork).
 */
static void test_page_owner_fork(void **state)
{
	(void)state;
	boot("mem=64M,cpus=1");
	for (int round = 0; round < 20; round++) {
		pid_t pid;
		int status = -1;

		usleep(1000 * (round % 5));	/* fork at different points of a tick */
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct page *p;
			int ok = 1;

			alarm(20);		/* a deadlock fails the test, not the run */
			p = alloc_pages(GFP_KERNEL, 0);
			ok &= p && get_page_owner(p) && get_page_owner(p)->wall_ns > 0;
			__free_pages(p, 0);
			mm_shutdown();
			ok &= unit_boot("mem=64M,cpus=1") == 0;
			p = alloc_pages(GFP_KERNEL, 0);
			ok &= p && get_page_owner(p) && get_page_owner(p)->wall_ns > 0;
			__free_pages(p, 0);
			mm_shutdown();
			_exit(ok ? 0 : 1);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	mm_shutdown();
}

static void test_tracepoints(void **state)
{
	char buf[8192], want[128];
	struct page *p;
	long n;

	(void)state;
	boot("mem=64M,cpus=2");
	mmfs_set_current(0, 4321, "tracer");
	while (mmfs_trace_read(buf, sizeof(buf), false) > 0)
		;
	mmfs_trace_set_enabled(EV_MM_PAGE_ALLOC, true);
	mmfs_trace_set_enabled(EV_MM_PAGE_FREE, true);
	assert_true(mmfs_trace_is_enabled(EV_MM_PAGE_ALLOC));
	p = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
	__free_pages(p, 1);
	mmfs_trace_set_enabled(EV_MM_PAGE_ALLOC, false);
	mmfs_trace_set_enabled(EV_MM_PAGE_FREE, false);
	n = mmfs_trace_read(buf, sizeof(buf) - 1, false);
	assert_true(n > 0);
	buf[n] = '\0';
	/* prefix: comm right-aligned in 16, pid left in 7, [cpu], flags, time */
	assert_memory_equal(buf, "          tracer-4321    [00", 28);
	assert_non_null(strstr(buf, "] ..... "));
	snprintf(want, sizeof(want), ": mm_page_alloc: page=");
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof(want), " pfn=0x%lx order=1 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP\n",
		 page_to_pfn(p));
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof(want), ": mm_page_free: page=");
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof(want), " pfn=0x%lx order=1\n", page_to_pfn(p));
	assert_non_null(strstr(buf, want));
	{
		/* page= is 16 hex digits */
		const char *q = strstr(buf, "page=") + 5;

		for (int i = 0; i < 16; i++)
			assert_true((q[i] >= '0' && q[i] <= '9') || (q[i] >= 'a' && q[i] <= 'f'));
		assert_int_equal(q[16], ' ');
	}
	assert_int_equal(mmfs_trace_read(buf, sizeof(buf), false), 0);
	/* a failed allocation traces page=0 pfn=0x0 */
	mmfs_trace_set_enabled(EV_MM_PAGE_ALLOC, true);
	{
		unsigned long none = 0;

		assert_null(__alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER - 1, 0, &none));
	}
	mmfs_trace_set_enabled(EV_MM_PAGE_ALLOC, false);
	n = mmfs_trace_read(buf, sizeof(buf) - 1, false);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "page=0000000000000000 pfn=0x0 order=10"));
	/* the zone-locked refill and the pcp drain */
	drain_all_pages(NULL);
	mmfs_trace_set_enabled(EV_MM_PAGE_ALLOC_ZONE_LOCKED, true);
	mmfs_trace_set_enabled(EV_MM_PAGE_PCPU_DRAIN, true);
	p = alloc_pages(GFP_KERNEL, 0);
	__free_pages(p, 0);
	drain_all_pages(NULL);
	mmfs_trace_set_enabled(EV_MM_PAGE_ALLOC_ZONE_LOCKED, false);
	mmfs_trace_set_enabled(EV_MM_PAGE_PCPU_DRAIN, false);
	n = mmfs_trace_read(buf, sizeof(buf) - 1, false);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, ": mm_page_alloc_zone_locked: page="));
	assert_non_null(strstr(buf, " order=0 migratetype=0 percpu_refill=1\n"));
	snprintf(want, sizeof(want), " pfn=0x%lx order=0 migratetype=0\n", page_to_pfn(p));
	assert_non_null(strstr(buf, ": mm_page_pcpu_drain: page="));
	assert_non_null(strstr(buf, want));
	/* tracing_on=0 silences everything */
	atomic_store(&tracing_on, 0);
	mmfs_trace_set_enabled(EV_MM_PAGE_ALLOC, true);
	p = alloc_pages(GFP_KERNEL, 0);
	__free_pages(p, 0);
	mmfs_trace_set_enabled(EV_MM_PAGE_ALLOC, false);
	atomic_store(&tracing_on, 1);
	assert_int_equal(mmfs_trace_read(buf, sizeof(buf), false), 0);
	/* a blocked reader is woken */
	{
		pthread_t t;
		long ret = 1;

		pthread_create(&t, NULL, blocked_reader, &ret);
		for (int i = 0; i < 50 && __atomic_load_n(&ret, __ATOMIC_ACQUIRE) == 1; i++) {
			struct timespec ts = { 0, 2000000 };

			nanosleep(&ts, NULL);
			mmfs_trace_wake();
		}
		pthread_join(t, NULL);
		assert_int_equal(ret, -EINTR);
	}
	mmfs_set_current(0, 0, "mmfs");
}

/* ------------------------------------------------ lookup, validate */

static int fake_broken;
static unsigned long fake_kaddr;

static int fake_validate(char **buf, size_t *len, size_t *cap)
{
	const char *msg = "fake: invariant broken\n";
	size_t n = strlen(msg);

	if (!fake_broken)
		return 0;
	if (*len + n + 1 > *cap) {
		size_t c = (*len + n + 1) * 2;
		char *nb = realloc(*buf, c);

		if (!nb)
			return 1;
		*buf = nb;
		*cap = c;
	}
	memcpy(*buf + *len, msg, n + 1);
	*len += n;
	return 1;
}

static int fake_lookup(unsigned long kaddr, char *out, size_t len)
{
	if (kaddr != fake_kaddr)
		return 0;
	return snprintf(out, len, "fake=yes");
}

static const struct mmfs_validator fake_validator = {
	.name = "fake", .validate = fake_validate, .lookup = fake_lookup,
};

static void test_lookup_and_validate(void **state)
{
	struct page *p, *comp;
	char buf[512];
	struct zone *z;
	unsigned long fpfn;
	char *report = NULL;

	(void)state;
	boot("mem=64M,cpus=2");
	mmfs_set_current(1000, 777, "looker");
	p = alloc_pages(GFP_KERNEL, 2);
	mmfs_set_owner(p, MMFS_OWNER_USER, 1000);
	comp = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
	mmfs_set_current(0, 0, "mmfs");
	assert_true(mmfs_lookup_pfn(page_to_pfn(p) + 3, buf, sizeof(buf)) > 0);
	{
		char want[128];

		snprintf(want, sizeof(want), "pfn=%#lx node=0 zone=%s migratetype=", page_to_pfn(p) + 3,
			 page_zone(p)->name);
		assert_memory_equal(buf, want, strlen(want));
		snprintf(want, sizeof(want), "state=allocated order=2 head=%#lx owner=user:1000 refcount=1",
			 page_to_pfn(p));
		assert_non_null(strstr(buf, want));
		assert_non_null(strstr(buf, "comm=looker"));
		assert_non_null(strstr(buf, "pid=777"));
	}
	assert_true(mmfs_lookup_pfn(page_to_pfn(comp) + 1, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "state=allocated order=1"));
	assert_non_null(strstr(buf, "owner=kernel"));
	z = zone_of(0, ZONE_NORMAL);
	drain_all_pages(NULL);
	fpfn = page_to_pfn(list_first_entry(&z->free_area[MAX_ORDER - 1].free_list[MIGRATE_MOVABLE],
					    struct page, lru));
	assert_true(mmfs_lookup_pfn(fpfn + 100, buf, sizeof(buf)) > 0);
	{
		char want[64];

		snprintf(want, sizeof(want), "state=buddy order=10 head=%#lx", fpfn);
		assert_non_null(strstr(buf, want));
	}
	assert_int_equal(mmfs_lookup_pfn(0x10000, buf, sizeof(buf)), -EINVAL);	/* hole */
	{
		/* a boot reservation (memmap, the first page, ...) */
		unsigned long rpfn;

		for (rpfn = 0; rpfn < max_pfn; rpfn++)
			if (pfn_valid(rpfn) && PageReserved(pfn_to_page(rpfn)))
				break;
		assert_true(rpfn < max_pfn);
		assert_true(mmfs_lookup_pfn(rpfn, buf, sizeof(buf)) > 0);
		assert_non_null(strstr(buf, "state=reserved"));
	}
	assert_int_equal(mmfs_lookup_pfn(max_pfn, buf, sizeof(buf)), -EINVAL);
	{
		int n = mmfs_lookup_addr(MMFS_PAGE_OFFSET + (page_to_pfn(p) << PAGE_SHIFT) + 5, buf, sizeof(buf));

		assert_true(n > 0);
		assert_non_null(strstr(buf, "state=allocated"));
	}

	/* allocated blocks in pfn order, heads only */
	{
		unsigned long pfn, last = 0, found = 0;

		for (pfn = mmfs_next_allocated_block(0); pfn != -1UL; pfn = mmfs_next_allocated_block(pfn + 1)) {
			assert_true(pfn >= last);
			last = pfn;
			assert_non_null(get_page_owner(pfn_to_page(pfn)));
			if (pfn == page_to_pfn(p) || pfn == page_to_pfn(comp))
				found++;
		}
		assert_int_equal(found, 2);
	}

	/* validate catches broken invariants, and says which */
	assert_true(unit_validate_ok());
	z->free_area[3].nr_free++;
	assert_true(mm_validate(&report) >= 1);
	assert_non_null(strstr(report, "nr_free"));
	free(report);
	z->free_area[3].nr_free--;
	{
		struct page *fp = pfn_to_page(fpfn);

		set_page_count(fp + 7, 1);
		assert_true(mm_validate(&report) >= 1);
		assert_non_null(strstr(report, "refcount"));
		free(report);
		set_page_count(fp + 7, 0);
		/* a free page put on a second list */
		__SetPageBuddy(fp + 512);
		fp[512].private = 9;
		assert_true(mm_validate(&report) >= 1);
		assert_non_null(strstr(report, "on no free list"));
		free(report);
		__ClearPageBuddy(fp + 512);
		fp[512].private = 0;
	}
	assert_true(unit_validate_ok());
	/* a compound tail that lost its head */
	{
		unsigned long saved = comp[1].compound_head;

		WRITE_ONCE(comp[1].compound_head, (unsigned long)p + 1);
		assert_true(mm_validate(&report) >= 1);
		assert_non_null(strstr(report, "wrong head"));
		free(report);
		WRITE_ONCE(comp[1].compound_head, saved);
	}
	assert_true(unit_validate_ok());
	/* registered validators and lookups run too */
	mmfs_register_validator(&fake_validator);
	mmfs_register_validator(&fake_validator);	/* once only */
	fake_broken = 1;
	assert_int_equal(mm_validate(&report), 1);
	assert_string_equal(report, "fake: invariant broken\n");
	free(report);
	fake_broken = 0;
	fake_kaddr = MMFS_PAGE_OFFSET + (page_to_pfn(comp) << PAGE_SHIFT) + 64;
	assert_true(mmfs_lookup_addr(fake_kaddr, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "state=allocated order=1"));
	assert_non_null(strstr(buf, " fake=yes"));
	__free_pages(p, 2);
	__free_pages(comp, 1);
	assert_true(unit_validate_ok());
	dump_page(pfn_to_page(fpfn), "test");
	assert_true(unit_log_has("page dumped because: test"));
	assert_true(unit_log_has("flags: 0x"));
}

/* ------------------------------------------------------------ sysctls */

static void test_sysctls(void **state)
{
	struct zone *z;
	unsigned long low0;
	static const long ratio1[] = { 1, 1, 1, 1 };

	(void)state;
	boot("mem=256M,cpus=2");
	z = zone_of(0, ZONE_NORMAL);
	low0 = z->_watermark[WMARK_LOW];
	assert_int_equal(mmfs_set_watermark_scale_factor(0), -EINVAL);
	assert_int_equal(mmfs_set_watermark_scale_factor(3001), -EINVAL);
	assert_int_equal(z->_watermark[WMARK_LOW], low0);
	assert_int_equal(mmfs_set_watermark_scale_factor(1000), 0);	/* 10% */
	assert_int_equal(z->_watermark[WMARK_LOW] - z->_watermark[WMARK_MIN],
			 zone_managed_pages(z) * 1000 / 10000);
	assert_int_equal(mmfs_set_min_free_kbytes(-1), -EINVAL);
	assert_int_equal(mmfs_set_min_free_kbytes(4096), 0);
	assert_int_equal(min_free_kbytes, 4096);
	assert_int_equal(user_min_free_kbytes, 4096);
	assert_int_equal(mmfs_set_watermark_boost_factor(-1), -EINVAL);
	assert_int_equal(mmfs_set_watermark_boost_factor(0), 0);
	assert_int_equal(watermark_boost_factor, 0);
	assert_int_equal(mmfs_set_percpu_pagelist_high_fraction(7), -EINVAL);
	assert_int_equal(mmfs_set_percpu_pagelist_high_fraction(-1), -EINVAL);
	assert_int_equal(mmfs_set_percpu_pagelist_high_fraction(8), 0);
	assert_int_equal(z->per_cpu_pageset[0].high_min, z->per_cpu_pageset[0].high_max);
	{
		int batch = z->per_cpu_pageset[0].batch;
		int want = (int)(zone_managed_pages(z) / 8 / 2);

		if (want < 4 * batch)
			want = 4 * batch;
		assert_int_equal(z->per_cpu_pageset[0].high_min, want);
	}
	assert_int_equal(mmfs_set_percpu_pagelist_high_fraction(0), 0);
	assert_int_not_equal(z->per_cpu_pageset[0].high_min, z->per_cpu_pageset[0].high_max);
	assert_int_equal(mmfs_set_lowmem_reserve_ratio(ratio1, 0), -EINVAL);
	assert_int_equal(mmfs_set_lowmem_reserve_ratio(NULL, 1), -EINVAL);
	assert_int_equal(mmfs_set_lowmem_reserve_ratio(ratio1, 5), -EINVAL);	/* 4 zone types here */
	assert_int_equal(mmfs_set_lowmem_reserve_ratio(ratio1, 4), 0);
	assert_int_equal(zone_of(0, ZONE_DMA)->lowmem_reserve[ZONE_NORMAL],
			 zone_managed_pages(zone_of(0, ZONE_DMA32)) + zone_managed_pages(z));
	assert_true(unit_validate_ok());
}

/* ------------------------------------------------------------- NUMA */

static void test_nodes(void **state)
{
	struct page *p;
	unsigned long hit0, miss0;
	struct zone *z1;


	(void)state;
	boot("mem=128M,nodes=2,cpus=2");
	z1 = zone_of(1, ZONE_NORMAL);
	assert_true(populated_zone(z1));
	hit0 = zone_numa_event_state(z1, NUMA_HIT);
	p = alloc_pages_node(1, GFP_KERNEL | __GFP_THISNODE, 0);
	assert_non_null(p);
	assert_int_equal(page_to_nid(p), 1);
	assert_int_equal(zone_numa_event_state(z1, NUMA_HIT), hit0 + 1);
	__free_pages(p, 0);
	/* running on node 0, allocated on node 1: hit + other there */
	{
		unsigned long other0 = zone_numa_event_state(z1, NUMA_OTHER);

		assert_int_equal(numa_node_id(), 0);
		hit0 = zone_numa_event_state(z1, NUMA_HIT);
		p = alloc_pages_node(1, GFP_KERNEL, 0);
		assert_int_equal(page_to_nid(p), 1);
		assert_int_equal(zone_numa_event_state(z1, NUMA_HIT), hit0 + 1);
		assert_int_equal(zone_numa_event_state(z1, NUMA_OTHER), other0 + 1);
		__free_pages(p, 0);
	}
	/* node 0 full: its requests fall back to node 1, a miss there and a
	 * foreign on node 0 */
	{
		struct page *held[64];
		int nh = 0;
		unsigned long foreign0 = 0, foreign1 = 0;

		miss0 = zone_numa_event_state(z1, NUMA_MISS);
		for (int t = 0; t < MAX_NR_ZONES; t++)
			foreign0 += zone_numa_event_state(zone_of(0, (enum zone_type)t), NUMA_FOREIGN);
		for (;;) {
			p = alloc_pages_node(0, GFP_KERNEL | __GFP_NOWARN, MAX_ORDER - 1);
			assert_non_null(p);
			assert_true(nh < 64);
			held[nh++] = p;
			if (page_to_nid(p) == 1)
				break;
		}
		assert_ptr_equal(page_zone(p), z1);
		assert_int_equal(zone_numa_event_state(z1, NUMA_MISS), miss0 + 1);
		for (int t = 0; t < MAX_NR_ZONES; t++)
			foreign1 += zone_numa_event_state(zone_of(0, (enum zone_type)t), NUMA_FOREIGN);
		assert_int_equal(foreign1, foreign0 + 1);
		for (int i = 0; i < nh; i++)
			__free_pages(held[i], MAX_ORDER - 1);
	}
	assert_true(unit_validate_ok());
}

/* ------------------------------------------- Movable and HighMem zones */

static void test_movable_and_highmem(void **state)
{
	struct page *p;
	unsigned long a;

	(void)state;
	boot("mem=256M,movablecore=64M,cpus=2");
	/* movable user memory prefers ZONE_MOVABLE, the kernel never gets it */
	p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	assert_non_null(p);
	assert_int_equal(page_zonenum(p), ZONE_MOVABLE);
	__free_pages(p, 0);
	for (int i = 0; i < 200; i++) {
		p = alloc_pages(GFP_KERNEL, 3);
		assert_non_null(p);
		assert_true(page_zonenum(p) <= ZONE_NORMAL);
		__free_pages(p, 3);
	}
	assert_true(unit_validate_ok());
	mm_shutdown();

	boot("mem=256M,highmem=32M,cpus=2");
	/* GFP_HIGHUSER: HighMem first, no direct-map address */
	p = alloc_pages(GFP_HIGHUSER, 0);
	assert_non_null(p);
	assert_int_equal(page_zonenum(p), ZONE_HIGHMEM);
	assert_null(page_address(p));
	__free_pages(p, 0);
	/* __get_free_pages strips __GFP_HIGHMEM: always an address */
	a = __get_free_pages(GFP_HIGHUSER, 1);
	assert_true(a != 0);
	assert_true(page_zonenum(virt_to_page((void *)a)) <= ZONE_NORMAL);
	free_pages(a, 1);
	/* DMA requests stay below 16 MiB */
	p = alloc_pages(GFP_KERNEL | GFP_DMA, 2);
	assert_non_null(p);
	assert_int_equal(page_zonenum(p), ZONE_DMA);
	assert_true(PFN_PHYS(page_to_pfn(p)) < (16UL << 20));
	__free_pages(p, 2);
	p = alloc_pages(GFP_KERNEL | GFP_DMA32, 2);
	assert_non_null(p);
	assert_true(page_zonenum(p) <= ZONE_DMA32);
	assert_true(PFN_PHYS(page_to_pfn(p)) < (4UL << 30));
	__free_pages(p, 2);
	drain_all_pages(NULL);
	assert_true(unit_validate_ok());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_split_and_merge, unit_teardown),
		cmocka_unit_test_teardown(test_fallback_steal, unit_teardown),
		cmocka_unit_test_teardown(test_fallback_steal_smallest, unit_teardown),
		cmocka_unit_test_teardown(test_fallback_claim_largest, unit_teardown),
		cmocka_unit_test_teardown(test_boost_until_kswapd, unit_teardown),
		cmocka_unit_test_teardown(test_nr_free_pages_blocks, unit_teardown),
		cmocka_unit_test_teardown(test_nofragment, unit_teardown),
		cmocka_unit_test_teardown(test_highatomic_reserve, unit_teardown),
		cmocka_unit_test_teardown(test_highatomic_default_machine, unit_teardown),
		cmocka_unit_test_teardown(test_highatomic_not_for_nowait, unit_teardown),
		cmocka_unit_test_teardown(test_formulas_sizes, unit_teardown),
		cmocka_unit_test_teardown(test_worked_example, unit_teardown),
		cmocka_unit_test_teardown(test_pcp_refill_and_drain, unit_teardown),
		cmocka_unit_test_teardown(test_pcp_high_decay, unit_teardown),
		cmocka_unit_test_teardown(test_pcp_free_high_threshold, unit_teardown),
		cmocka_unit_test_teardown(test_pcp_thp_lists, unit_teardown),
		cmocka_unit_test_teardown(test_guard_pages, unit_teardown),
		cmocka_unit_test_teardown(test_bad_input_changes_nothing, unit_teardown),
		cmocka_unit_test_teardown(test_init_on_alloc, unit_teardown),
		cmocka_unit_test_teardown(test_init_on_free, unit_teardown),
		cmocka_unit_test_teardown(test_free_bad_page_order0, unit_teardown),
		cmocka_unit_test_teardown(test_order0_busy_pcp_and_cpu_fold, unit_teardown),
		cmocka_unit_test_teardown(test_drain_then_succeed, unit_teardown),
		cmocka_unit_test_teardown(test_compound_and_refcounts, unit_teardown),
		cmocka_unit_test_teardown(test_fail_page_alloc, unit_teardown),
		cmocka_unit_test_teardown(test_warn_alloc, unit_teardown),
		cmocka_unit_test(test_page_owner_time),
		cmocka_unit_test(test_page_owner_fork),
		cmocka_unit_test_teardown(test_tracepoints, unit_teardown),
		cmocka_unit_test_teardown(test_lookup_and_validate, unit_teardown),
		cmocka_unit_test_teardown(test_sysctls, unit_teardown),
		cmocka_unit_test_teardown(test_nodes, unit_teardown),
		cmocka_unit_test_teardown(test_movable_and_highmem, unit_teardown),
	};

	/* one host CPU: "this CPU's pcp" stays the same through a test */
	pin_cpu(0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
