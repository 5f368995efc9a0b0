/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_alloc.c - the buddy page allocator (mm/page_alloc.c of Linux 6.18,
 * on 6.1 order numbering: MAX_ORDER = 11 orders 0..10).
 *
 * Free memory lives in zone->free_area[order].free_list[migratetype]; the
 * head page of a free block is PageBuddy with its order in page->private,
 * and it sits on the list of its pageblock's migratetype (6.10+).  An
 * allocation takes the smallest block of the wanted migratetype
 * (__rmqueue_smallest) and splits it (expand); when the type has nothing,
 * __rmqueue falls back (6.15+): __rmqueue_claim tries the other types'
 * blocks from the largest order down and claims a whole pageblock when the
 * request is big or unmovable enough and half of the block is free or
 * alike; failing that, __rmqueue_steal takes the smallest fitting block and
 * leaves its pageblock, and the halves split off it, to the other type.  A
 * free merges with its buddy (pfn ^ (1 << order)) while the buddy is free
 * at the same order (__free_one_page), the buddy's pageblock taking the
 * freed block's type when two mergeable types meet.
 *
 * Orders 0..3 and pageblock_order go through per-cpu lists (struct
 * per_cpu_pages, one per zone per simulated CPU) refilled and drained in
 * batches under zone->lock (rmqueue_bulk, free_pcppages_bulk); a page on a
 * pcp list carries no migratetype of its own, the drain asks its pageblock.
 *
 * Invariants (mm_validate in debug.c checks them, but not yet the list's
 * migratetype, the unreserve exception and the two 6.10+ counters):
 *   - a page is PageBuddy iff it heads a block on exactly one free list, of
 *     order page->private, and that list's free_area counts it in nr_free;
 *   - that list is the one of the block's pageblock migratetype;
 *   - two buddies are never both free at the same order (they would merge),
 *     unless pageblock_order+ merging is refused between HIGHATOMIC/ISOLATE
 *     and other types, or one of two free pageblocks changed type since
 *     (unreserve_highatomic_pageblock moves free pages and merges nothing;
 *     they merge when freed again);
 *   - NR_FREE_PAGES of a zone == pages on its free lists outside isolated
 *     pageblocks (pcp pages are "allocated" from the zone's point of view,
 *     as in the kernel); nr_free_highatomic == pages on its HighAtomic
 *     lists; NR_FREE_PAGES_BLOCKS == pages of its free blocks of
 *     pageblock_order and up outside isolated pageblocks;
 *   - a guard block (debug_guardpage_minorder, expand) is PageGuard on its
 *     head with its order in page->private, on no list and not counted
 *     free; its buddy's free merges it back;
 *   - pcp->count == pages on the pcp's lists;
 *   - free pages have refcount 0 and _mapcount -1 (page_type buddy on heads).
 *
 * Lock order: pcp->lock (per zone per CPU, trylock on the fast paths;
 *             when it is busy the request goes to the buddy lists)
 *             -> zone->lock (free lists, pageblock flags changes)
 * Nothing here sleeps.  Logging (warn_alloc) happens with no lock held.
 * Checked entry points (mmfs_*) serialise on checked_lock, a leaf above
 * both.
 *
 * Kernel version: 6.18 for the free lists and their accounting, the
 * fallback, the highatomic reserve and the slow path (gfp_to_alloc_flags,
 * the direct-reclaim drain, should_reclaim_retry); the pcp high/batch
 * tuning (high_min/high_max, free_count, alloc_factor, pcp->high from 0,
 * the free_high threshold, decay_pcp_high from the vmstat refresh) and
 * the two THP pcp lists are 6.18's; all on 6.1 order numbering
 * (MAX_ORDER = 11).
 *
 * MMFS: departures are marked "MMFS:" where they happen: no reclaim,
 * compaction or OOM killer (there is nothing to reclaim), so the slow path
 * drains the pcp lists without the progress that the kernel's drain waits
 * for; no CMA; kswapd (vmscan.c) only ends watermark boosts; the pcp
 * fast paths count
 * their vm events in the pcp, where vmstat's readers sum them (pcp_count);
 * pageblock bits are found from the pfn (SPARSEMEM's shape) whatever the
 * memory model; order-0 requests without a nodemask try the preferred zone
 * first with the alloc_context in registers (alloc_pages_first_zone), then
 * take the full pass.
 */
#include "internal.h"
#include "page_owner.h"
#include "trace.h"
#include "highmem.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <limits.h>
#include <unistd.h>

/* ------------------------------------------------------------ tunables */
int min_free_kbytes = 1024;
int user_min_free_kbytes = -1;
int watermark_scale_factor = 10;
int watermark_boost_factor = 15000;
int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = {
	[ZONE_DMA] = 256, [ZONE_DMA32] = 256, [ZONE_NORMAL] = 32,
	[ZONE_HIGHMEM] = 0, [ZONE_MOVABLE] = 0,
};
int percpu_pagelist_high_fraction;
unsigned long totalreserve_pages;
#define MIN_PERCPU_PAGELIST_HIGH_FRACTION	8
#define SWAP_CLUSTER_MAX			32UL
#define CONFIG_PCP_BATCH_SCALE_MAX		5
#define PCPF_PREV_FREE_HIGH_ORDER		(1 << 0)	/* pcp->flags */
#define PCPF_FREE_HIGH_BATCH			(1 << 1)
/* MMFS: the host runs THP in "madvise" mode, so khugepaged exists and its
 * set_recommended_min_free_kbytes raises min_free_kbytes (kernel-formats §7.1). */
bool mmfs_thp_enabled = true;

struct mmfs_fault_attr fail_page_alloc = {
	.interval = 1, .times = 1,
};

const char * const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
};

static const int fallbacks[MIGRATE_TYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE]   = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE   },
	[MIGRATE_MOVABLE]     = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE,   MIGRATE_MOVABLE   },
};

/* zone flags bits (enum zone_flags) */
#define ZONE_BOOSTED_WATERMARK	0
#define ZONE_BELOW_HIGH		1

/* fpi_t: free page internal flags */
typedef int fpi_t;
#define FPI_NONE		0
#define FPI_TO_TAIL		(1 << 1)
#define FPI_MMFS_BOOT		(1 << 8)	/* MMFS: boot memory, arena is zero */

struct alloc_context {
	struct zonelist *zonelist;
	const unsigned long *nodemask;
	struct zoneref *preferred_zoneref;
	int migratetype;
	enum zone_type highest_zoneidx;
	bool spread_dirty_pages;
};

/* ============================================================ gfp flags */

struct gfp_name { gfp_t mask; const char *name; };

/* The %pGg table (include/trace/events/mmflags.h, 6.18 order). */
static const struct gfp_name gfpflag_names[] = {
	{ GFP_TRANSHUGE, "GFP_TRANSHUGE" },
	{ GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT" },
	{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ GFP_USER, "GFP_USER" },
	{ GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT" },
	{ GFP_KERNEL, "GFP_KERNEL" },
	{ GFP_NOFS, "GFP_NOFS" },
	{ GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOIO, "GFP_NOIO" },
	{ GFP_NOWAIT, "GFP_NOWAIT" },
	{ GFP_DMA, "GFP_DMA" },
	{ GFP_DMA32, "GFP_DMA32" },
	{ __GFP_RECLAIM, "__GFP_RECLAIM" },
	{ __GFP_DMA, "__GFP_DMA" },
	{ __GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ __GFP_DMA32, "__GFP_DMA32" },
	{ __GFP_MOVABLE, "__GFP_MOVABLE" },
	{ __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ __GFP_HIGH, "__GFP_HIGH" },
	{ __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" },
	{ __GFP_ZERO, "__GFP_ZERO" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
	{ __GFP_WRITE, "__GFP_WRITE" },
	{ __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
	{ __GFP_NOFAIL, "__GFP_NOFAIL" },
	{ __GFP_NORETRY, "__GFP_NORETRY" },
	{ __GFP_MEMALLOC, "__GFP_MEMALLOC" },
	{ __GFP_COMP, "__GFP_COMP" },
	{ __GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
	{ __GFP_HARDWALL, "__GFP_HARDWALL" },
	{ __GFP_THISNODE, "__GFP_THISNODE" },
	{ __GFP_ACCOUNT, "__GFP_ACCOUNT" },
	{ __GFP_ZEROTAGS, "__GFP_ZEROTAGS" },
};

/* Bits the kernel defines (0x200 is unused since 6.4). */
#define GFP_VALID_BITS	(__GFP_BITS_MASK & ~0x200u)

/**
 * gfp_check - is this gfp mask one the kernel accepts?
 * @gfp: the mask
 *
 * Rejects unknown bits, two conflicting zone modifiers (GFP_ZONE_BAD in the
 * kernel's GFP_ZONE_TABLE) and __GFP_MOVABLE|__GFP_RECLAIMABLE together.
 * Return: 0 or -EINVAL.
 */
int gfp_check(gfp_t gfp)
{
	gfp_t z = gfp & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);

	if (gfp & ~GFP_VALID_BITS)
		return -EINVAL;
	if (z & (z - 1))			/* more than one of DMA/DMA32/HIGHMEM */
		return -EINVAL;
	if ((gfp & GFP_MOVABLE_MASK) == GFP_MOVABLE_MASK)
		return -EINVAL;
	return 0;
}

/**
 * gfp_format - print @gfp as %pGg does
 * @gfp: mask
 * @buf: output
 * @len: size of @buf
 *
 * Return: the length of the full text (as snprintf).
 */
int gfp_format(gfp_t gfp, char *buf, size_t len)
{
	size_t n = 0;
	bool first = true;

#define APPEND(...) do { int __r = snprintf(buf + min(n, len), n < len ? len - n : 0, __VA_ARGS__); \
			 if (__r > 0) n += (size_t)__r; } while (0)
	if (len)
		buf[0] = '\0';
	if (!gfp) {
		APPEND("none");
		return (int)n;
	}
	for (size_t i = 0; i < ARRAY_SIZE(gfpflag_names) && gfp; i++) {
		gfp_t m = gfpflag_names[i].mask;

		if ((gfp & m) != m)
			continue;
		APPEND("%s%s", first ? "" : "|", gfpflag_names[i].name);
		first = false;
		gfp &= ~m;
	}
	if (gfp)
		APPEND("%s%#x", first ? "" : "|", gfp);
#undef APPEND
	return (int)n;
}

/**
 * gfp_parse - parse "GFP_KERNEL|__GFP_ZERO" (or numbers) into a mask
 * @s: text: names of the %pGg table, "none", or 0x-hex / decimal numbers,
 *     joined by '|'
 * @gfp: result
 *
 * Return: 0, or -EINVAL for an unknown name, empty text or an invalid
 * combination (see gfp_check()).  *gfp is untouched on error.
 */
int gfp_parse(const char *s, gfp_t *gfp)
{
	gfp_t v = 0;
	const char *p = s;

	if (!s || !gfp)
		return -EINVAL;
	for (;;) {
		const char *end;
		size_t l;
		bool found = false;

		while (*p == ' ' || *p == '\t')
			p++;
		end = p;
		while (*end && *end != '|')
			end++;
		l = (size_t)(end - p);
		while (l && (p[l - 1] == ' ' || p[l - 1] == '\t' || p[l - 1] == '\n'))
			l--;
		if (!l)
			return -EINVAL;
		if (l == 4 && !strncmp(p, "none", 4)) {
			found = true;
		} else if (p[0] >= '0' && p[0] <= '9') {
			char tmp[32], *e;
			unsigned long x;

			if (l >= sizeof(tmp))
				return -EINVAL;
			memcpy(tmp, p, l);
			tmp[l] = '\0';
			errno = 0;
			x = strtoul(tmp, &e, 0);
			if (*e || errno || x > UINT_MAX)
				return -EINVAL;
			v |= (gfp_t)x;
			found = true;
		} else {
			for (size_t i = 0; i < ARRAY_SIZE(gfpflag_names); i++) {
				if (strlen(gfpflag_names[i].name) == l &&
				    !strncmp(gfpflag_names[i].name, p, l)) {
					v |= gfpflag_names[i].mask;
					found = true;
					break;
				}
			}
		}
		if (!found)
			return -EINVAL;
		if (!*end)
			break;
		p = end + 1;
	}
	if (gfp_check(v))
		return -EINVAL;
	*gfp = v;
	return 0;
}

/* GFP_ZONE_TABLE as a lookup on the four zone bits; bad combos -> Normal. */
static unsigned char gfp_zone_table[16];
static bool gfp_zone_table_ready;

static void init_gfp_zone_table(void)
{
	bool highmem = zone_type_configured(ZONE_HIGHMEM);

	for (unsigned int b = 0; b < 16; b++) {
		gfp_t f = b;
		enum zone_type z = ZONE_NORMAL;
		gfp_t zb = f & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);

		if (zb & (zb - 1))
			z = ZONE_NORMAL;		/* GFP_ZONE_BAD */
		else if (f & __GFP_DMA)
			z = ZONE_DMA;
		else if (f & __GFP_DMA32)
			z = ZONE_DMA32;
		else if ((f & __GFP_HIGHMEM) && (f & __GFP_MOVABLE))
			z = ZONE_MOVABLE;
		else if (f & __GFP_HIGHMEM)
			z = highmem ? ZONE_HIGHMEM : ZONE_NORMAL;
		gfp_zone_table[b] = (unsigned char)z;
	}
	gfp_zone_table_ready = true;
}

/* the allocator's own lookup: boot has built the table before mmfs_booted */
static __always_inline enum zone_type gfp_zone_booted(gfp_t flags)
{
	return (enum zone_type)gfp_zone_table[flags & GFP_ZONEMASK];
}

static __always_inline enum zone_type __gfp_zone(gfp_t flags)
{
	if (unlikely(!gfp_zone_table_ready))
		init_gfp_zone_table();
	return gfp_zone_booted(flags);
}

/**
 * gfp_zone - the highest zone an allocation with @flags may use
 */
enum zone_type gfp_zone(gfp_t flags)
{
	return __gfp_zone(flags);
}

/*
 * The kernel only VM_WARN_ONs __GFP_MOVABLE|__GFP_RECLAIMABLE together and
 * yields MIGRATE_HIGHATOMIC, whose order-0 pcp index is another order's
 * list.  MMFS: internal callers (slab: a SLAB_RECLAIM_ACCOUNT cache asked
 * for __GFP_MOVABLE) must not corrupt the pcp lists, so the combination is
 * served as MIGRATE_RECLAIMABLE; the checked entry points still refuse it
 * (gfp_check).
 */
static __always_inline int __gfp_migratetype(gfp_t gfp)
{
	int mt;

	if (unlikely(page_group_by_mobility_disabled))
		return MIGRATE_UNMOVABLE;
	mt = (int)((gfp & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT);
	if (unlikely(mt >= MIGRATE_PCPTYPES))
		mt = MIGRATE_RECLAIMABLE;
	return mt;
}

/** gfp_migratetype - the migratetype an allocation with @gfp wants */
int gfp_migratetype(gfp_t gfp)
{
	return __gfp_migratetype(gfp);
}

/* ====================================================== pageblock flags */

static __always_inline unsigned long pageblock_end_pfn(unsigned long pfn)
{ return pageblock_start_pfn(pfn) + pageblock_nr_pages; }

/* SPARSEMEM's shape: the bits are found from the pfn (mm_init.c setup_usemap) */
static __always_inline unsigned long *get_pageblock_bitmap(const struct page *page,
							   unsigned long pfn)
{ return mmfs_pageblock_flags; }

static __always_inline unsigned long pfn_to_bitidx(const struct page *page, unsigned long pfn)
{
	return (pfn >> pageblock_order) * NR_PAGEBLOCK_BITS;
}

/**
 * get_pfnblock_flags_mask - the pageblock bits of the block holding @pfn
 * @page: a page of the block
 * @pfn: its pfn
 * @mask: which bits
 */
static __always_inline unsigned long __get_pfnblock_flags_mask(const struct page *page,
								unsigned long pfn, unsigned long mask)
{
	unsigned long *bitmap = get_pageblock_bitmap(page, pfn);
	unsigned long bitidx, word;

	if (unlikely(!bitmap))
		return MIGRATE_MOVABLE & mask;
	bitidx = pfn_to_bitidx(page, pfn);
	word = __atomic_load_n(&bitmap[bitidx / 64], __ATOMIC_RELAXED);
	return (word >> (bitidx & 63)) & mask;
}

unsigned long get_pfnblock_flags_mask(const struct page *page, unsigned long pfn,
				      unsigned long mask)
{
	return __get_pfnblock_flags_mask(page, pfn, mask);
}

/**
 * set_pfnblock_flags_mask - set pageblock bits of the block holding @pfn
 */
void set_pfnblock_flags_mask(struct page *page, unsigned long flags,
			     unsigned long pfn, unsigned long mask)
{
	unsigned long *bitmap = get_pageblock_bitmap(page, pfn);
	unsigned long bitidx, *w, old, new;

	if (unlikely(!bitmap))
		return;
	bitidx = pfn_to_bitidx(page, pfn);
	w = &bitmap[bitidx / 64];
	bitidx &= 63;
	mask <<= bitidx;
	flags <<= bitidx;
	old = __atomic_load_n(w, __ATOMIC_RELAXED);
	do {
		new = (old & ~mask) | flags;
	} while (!__atomic_compare_exchange_n(w, &old, new, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
}

static __always_inline int get_pfnblock_migratetype(const struct page *page, unsigned long pfn)
{ return (int)__get_pfnblock_flags_mask(page, pfn, MIGRATETYPE_MASK); }

int get_pageblock_migratetype(const struct page *page)
{ return get_pfnblock_migratetype(page, page_to_pfn(page)); }

void set_pageblock_migratetype(struct page *page, int migratetype)
{
	if (unlikely(page_group_by_mobility_disabled && migratetype < MIGRATE_PCPTYPES))
		migratetype = MIGRATE_UNMOVABLE;
	set_pfnblock_flags_mask(page, (unsigned long)migratetype, page_to_pfn(page),
				MIGRATETYPE_MASK);
}

/* ================================================= buddy helpers */

/*
 * Words the kernel reads without the lock that protects their writers
 * (READ_ONCE/WRITE_ONCE there): relaxed atomics here, the same single mov
 * on x86, so that ThreadSanitizer sees the deliberate race as one.
 */
#define load_relaxed(p)		__atomic_load_n((p), __ATOMIC_RELAXED)
#define store_relaxed(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELAXED)

static __always_inline unsigned int buddy_order(const struct page *page)
{ return (unsigned int)page->private; }
static __always_inline void set_buddy_order(struct page *page, unsigned int order)
{
	page->private = order;
	__SetPageBuddy(page);
}
static __always_inline bool is_migrate_highatomic(int mt) { return mt == MIGRATE_HIGHATOMIC; }
static __always_inline bool is_migrate_isolate(int mt) { return mt == MIGRATE_ISOLATE; }
static __always_inline bool migratetype_is_mergeable(int mt) { return mt < MIGRATE_PCPTYPES; }
static __always_inline bool free_area_empty(const struct free_area *area, int mt)
{ return list_empty(&area->free_list[mt]); }

/* node and zone bits: page_zone_id() */
static __always_inline unsigned long page_zone_id(const struct page *page)
{ return page_flags_links(page) >> NODES_PGSHIFT; }

/* Is @buddy free (or a guard block) at @order, in @page's zone? */
static __always_inline bool page_is_buddy(const struct page *page, const struct page *buddy,
					  unsigned int order)
{
	if (!page_is_guard(buddy) && !PageBuddy(buddy))
		return false;
	if (buddy_order(buddy) != order)
		return false;
	return page_zone_id(page) == page_zone_id(buddy);
}

/**
 * is_free_buddy_page - is @page inside a free buddy block (of any order)?
 *
 * The kernel's lockless test (mm/page_alloc.c): the answer is stable only
 * while the caller holds the zone's lock.
 */
bool is_free_buddy_page(const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned int order;

	for (order = 0; order < MAX_ORDER; order++) {
		const struct page *head = page - (pfn & ((1UL << order) - 1));

		if (PageBuddy(head) && READ_ONCE(head->private) >= order)
			break;
	}
	return order < MAX_ORDER;
}

/**
 * find_buddy_page_pfn - the free buddy of @page at @order, or NULL
 * @buddy_pfn: if not NULL, set to the buddy's pfn (whether free or not)
 */
struct page *find_buddy_page_pfn(struct page *page, unsigned long pfn,
				 unsigned int order, unsigned long *buddy_pfn)
{
	unsigned long __buddy_pfn = pfn ^ (1UL << order);
	struct page *buddy;

	if (buddy_pfn)
		*buddy_pfn = __buddy_pfn;
	/* MMFS: FLATMEM's mem_map ends at the last RAM pfn; a buddy past it
	 * has no struct page (the sparse models back whole sections, and a
	 * buddy never leaves its section). */
	if (unlikely(__buddy_pfn < mmfs_memmap_start_pfn || __buddy_pfn >= mmfs_memmap_end_pfn))
		return NULL;
	buddy = page + ((long)__buddy_pfn - (long)pfn);
	if (page_is_buddy(page, buddy, order))
		return buddy;
	return NULL;
}

/*
 * account_freepages - the zone's counts of free pages outside the lists:
 * NR_FREE_PAGES (isolated blocks are not counted, they are not for
 * allocation) and nr_free_highatomic, the pages on HighAtomic lists that
 * the watermark checks hold back from ordinary requests.  Every free list
 * change below goes through here with the migratetype of the list, which is
 * the pageblock's (6.10+).  Caller holds zone->lock.
 * MMFS: no CMA, so no NR_FREE_CMA_PAGES.
 */
static __always_inline void account_freepages(struct zone *zone, int nr_pages, int migratetype)
{
	lockdep_assert_held(&zone->lock);

	if (is_migrate_isolate(migratetype))
		return;
	__mod_zone_page_state(zone, NR_FREE_PAGES, nr_pages);
	if (is_migrate_highatomic(migratetype))
		store_relaxed(&zone->nr_free_highatomic, zone->nr_free_highatomic + (long)nr_pages);
}

/* Used for pages not on another list; NR_FREE_PAGES_BLOCKS counts the
 * pages of free blocks of pageblock_order and more. */
static __always_inline void __add_to_free_list(struct page *page, struct zone *zone,
					       unsigned int order, int migratetype, bool tail)
{
	struct free_area *area = &zone->free_area[order];
	int nr_pages = 1 << order;

	MM_WARN_ON(get_pageblock_migratetype(page) != migratetype);
	if (tail)
		list_add_tail(&page->lru, &area->free_list[migratetype]);
	else
		list_add(&page->lru, &area->free_list[migratetype]);
	store_relaxed(&area->nr_free, area->nr_free + 1);
	if (order >= pageblock_order && !is_migrate_isolate(migratetype))
		__mod_zone_page_state(zone, NR_FREE_PAGES_BLOCKS, nr_pages);
}

/*
 * Used for pages which are on another list: move them to the tail of the
 * list, so the moved pages are not the next to be allocated.  The caller
 * changes the pageblock's type after the move (which can fail).
 */
static __always_inline void move_to_free_list(struct page *page, struct zone *zone,
					      unsigned int order, int old_mt, int new_mt)
{
	struct free_area *area = &zone->free_area[order];
	int nr_pages = 1 << order;

	MM_WARN_ON(get_pageblock_migratetype(page) != old_mt);
	list_move_tail(&page->lru, &area->free_list[new_mt]);
	account_freepages(zone, -nr_pages, old_mt);
	account_freepages(zone, nr_pages, new_mt);
	if (order >= pageblock_order && is_migrate_isolate(old_mt) != is_migrate_isolate(new_mt)) {
		if (!is_migrate_isolate(old_mt))
			nr_pages = -nr_pages;
		__mod_zone_page_state(zone, NR_FREE_PAGES_BLOCKS, nr_pages);
	}
}

static __always_inline void __del_page_from_free_list(struct page *page, struct zone *zone,
						      unsigned int order, int migratetype)
{
	int nr_pages = 1 << order;

	MM_WARN_ON(get_pageblock_migratetype(page) != migratetype);
	list_del(&page->lru);
	__ClearPageBuddy(page);
	page->private = 0;
	store_relaxed(&zone->free_area[order].nr_free, zone->free_area[order].nr_free - 1);
	if (order >= pageblock_order && !is_migrate_isolate(migratetype))
		__mod_zone_page_state(zone, NR_FREE_PAGES_BLOCKS, -nr_pages);
}

static __always_inline void del_page_from_free_list(struct page *page, struct zone *zone,
						    unsigned int order, int migratetype)
{
	__del_page_from_free_list(page, zone, order, migratetype);
	account_freepages(zone, -(1 << order), migratetype);
}

static __always_inline struct page *get_page_from_free_area(struct free_area *area, int migratetype)
{
	return list_first_entry_or_null(&area->free_list[migratetype], struct page, lru);
}

/*
 * If this is not the largest possible page, check if the buddy of the next
 * order is free: then this block is likely to merge soon, so put it at the
 * tail where it is less likely to be allocated.
 */
static inline bool buddy_merge_likely(unsigned long pfn, unsigned long buddy_pfn,
				      struct page *page, unsigned int order)
{
	unsigned long higher_page_pfn;
	struct page *higher_page;

	if (order >= MAX_ORDER - 2)
		return false;
	higher_page_pfn = buddy_pfn & pfn;
	higher_page = page + ((long)higher_page_pfn - (long)pfn);
	return find_buddy_page_pfn(higher_page, higher_page_pfn, order + 1, NULL) != NULL;
}

static void change_pageblock_range(struct page *pageblock_page, int start_order, int migratetype)
{
	int nr_pageblocks = 1 << (start_order - pageblock_order);

	while (nr_pageblocks--) {
		set_pageblock_migratetype(pageblock_page, migratetype);
		pageblock_page += pageblock_nr_pages;
	}
}

/*
 * __free_one_page - merge a freed block with its free buddies and put it on
 * the free list of @migratetype, its pageblock's type.  Caller holds
 * zone->lock.
 */
static inline void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone,
				   unsigned int order, int migratetype, fpi_t fpi_flags)
{
	unsigned long buddy_pfn = 0;
	unsigned long combined_pfn;
	struct page *buddy;
	bool to_tail;

	MM_BUG_ON(!zone_spans_pfn(zone, pfn));
	MM_BUG_ON(migratetype == -1);
	MM_BUG_ON_PAGE(pfn & ((1UL << order) - 1), page);

	account_freepages(zone, 1 << order, migratetype);

	while (order < MAX_ORDER - 1) {
		int buddy_mt = migratetype;

		buddy = find_buddy_page_pfn(page, pfn, order, &buddy_pfn);
		if (!buddy)
			goto done_merging;
		if (unlikely(order >= pageblock_order)) {
			/* never merge a pageblock without fallbacks with a
			 * normal one: the isolate and highatomic counts would
			 * go wrong */
			buddy_mt = get_pfnblock_migratetype(buddy, buddy_pfn);
			if (migratetype != buddy_mt &&
			    (!migratetype_is_mergeable(migratetype) ||
			     !migratetype_is_mergeable(buddy_mt)))
				goto done_merging;
		}
		/*
		 * Our buddy is free or it is a guard block, merge with it and
		 * move up one order.
		 * MMFS: a guard's pages count as free again (6.18 counts
		 * only the freed block, so NR_FREE_PAGES would fall short of
		 * the lists by every guard merged)
		 */
		if (page_is_guard(buddy)) {
			clear_page_guard(zone, buddy, order);
			account_freepages(zone, 1 << order, migratetype);
		} else {
			__del_page_from_free_list(buddy, zone, order, buddy_mt);
		}
		/* Match the buddy's type, so that expand() later puts the
		 * halves on the right lists. */
		if (unlikely(buddy_mt != migratetype))
			change_pageblock_range(buddy, (int)order, migratetype);
		combined_pfn = buddy_pfn & pfn;
		page = page + ((long)combined_pfn - (long)pfn);
		pfn = combined_pfn;
		order++;
	}

done_merging:
	set_buddy_order(page, order);
	if (fpi_flags & FPI_TO_TAIL)
		to_tail = true;
	else
		to_tail = buddy_merge_likely(pfn, buddy_pfn, page, order);
	__add_to_free_list(page, zone, order, migratetype, to_tail);
}

/*
 * expand - split a block of order @high down to order @low, giving the
 * upper halves back to the @migratetype lists.  Returns the pages put back.
 */
static inline unsigned int expand(struct zone *zone, struct page *page, int low, int high,
				  int migratetype)
{
	unsigned int size = 1u << high;
	unsigned int nr_added = 0;

	while (high > low) {
		high--;
		size >>= 1;
		/* below debug_guardpage_minorder the half becomes a guard
		 * block: on no list, not free, merged back when its buddy is
		 * freed */
		if (set_page_guard(zone, &page[size], (unsigned int)high))
			continue;
		__add_to_free_list(&page[size], zone, (unsigned int)high, migratetype, false);
		set_buddy_order(&page[size], (unsigned int)high);
		nr_added += size;
	}
	return nr_added;
}

/* Take @page (of order @high) off its list and split off what @low leaves. */
static __always_inline void page_del_and_expand(struct zone *zone, struct page *page, int low,
						int high, int migratetype)
{
	int nr_pages = 1 << high;

	__del_page_from_free_list(page, zone, (unsigned int)high, migratetype);
	nr_pages -= (int)expand(zone, page, low, high, migratetype);
	account_freepages(zone, -nr_pages, migratetype);
}

static __always_inline bool pcp_allowed_order(unsigned int order)
{
	if (order <= PAGE_ALLOC_COSTLY_ORDER)
		return true;
	return order == pageblock_order;	/* THP */
}

/* The smallest free block of @migratetype that fits; caller holds zone->lock. */
static __always_inline struct page *__rmqueue_smallest(struct zone *zone, unsigned int order,
						       int migratetype)
{
	unsigned int current_order;
	struct free_area *area;
	struct page *page;

	for (current_order = order; current_order < MAX_ORDER; ++current_order) {
		area = &zone->free_area[current_order];
		page = get_page_from_free_area(area, migratetype);
		if (!page)
			continue;
		page_del_and_expand(zone, page, (int)order, (int)current_order, migratetype);
		trace_mm_page_alloc_zone_locked(page, order, migratetype,
				pcp_allowed_order(order) && migratetype < MIGRATE_PCPTYPES);
		return page;
	}
	return NULL;
}

/* ============================================== fallback and stealing */

/*
 * Move all free pages of a pageblock to @new_mt's lists.  The caller
 * changes the block's type.
 */
static int __move_freepages_block(struct zone *zone, unsigned long start_pfn, int old_mt,
				  int new_mt)
{
	unsigned long pfn, end_pfn;
	struct page *page;
	unsigned int order;
	int pages_moved = 0;

	MM_WARN_ON(start_pfn & (pageblock_nr_pages - 1));
	end_pfn = pageblock_end_pfn(start_pfn);
	for (pfn = start_pfn; pfn < end_pfn;) {
		/* MMFS: the memmap has holes (no struct page) where the
		 * kernel's has reserved pages; neither is ever PageBuddy */
		if (!pfn_valid(pfn)) {
			pfn++;
			continue;
		}
		page = pfn_to_page(pfn);
		if (!PageBuddy(page)) {
			pfn++;
			continue;
		}
		MM_BUG_ON_PAGE(page_zone(page) != zone, page);
		order = buddy_order(page);
		move_to_free_list(page, zone, order, old_mt, new_mt);
		pfn += 1UL << order;
		pages_moved += 1 << order;
	}
	return pages_moved;
}

/*
 * prep_move_freepages_block - may the pageblock of @page change type, and
 * how many of its pages are free (*@num_free) and movable (*@num_movable)?
 * Refuses a block that straddles the zone's ends: the caller holds only
 * this zone's lock.
 *
 * MMFS: there is no LRU; an allocated block counts as movable when it was
 * allocated with __GFP_MOVABLE (page_owner's gfp), which is what PageLRU
 * would say for user memory, and all its pages count (the kernel counts
 * each LRU page).
 */
static bool prep_move_freepages_block(struct zone *zone, struct page *page,
				      unsigned long *start_pfn, int *num_free, int *num_movable)
{
	unsigned long pfn, start, end;

	pfn = page_to_pfn(page);
	start = pageblock_start_pfn(pfn);
	end = pageblock_end_pfn(pfn);
	if (!zone_spans_pfn(zone, start))
		return false;
	if (!zone_spans_pfn(zone, end - 1))
		return false;
	*start_pfn = start;
	if (!num_free)
		return true;
	*num_free = 0;
	*num_movable = 0;
	for (pfn = start; pfn < end;) {
		struct page_owner *po;
		short o;

		if (!pfn_valid(pfn)) {
			pfn++;
			continue;
		}
		page = pfn_to_page(pfn);
		if (PageBuddy(page)) {
			int nr = 1 << buddy_order(page);

			*num_free += nr;
			pfn += (unsigned long)nr;
			continue;
		}
		/* racy, as PageLRU is: the block may be freed under us */
		po = get_page_owner(page);
		o = po ? load_relaxed(&po->order) : -1;
		if (o >= 0 && o < MAX_ORDER && (load_relaxed(&po->gfp_mask) & __GFP_MOVABLE)) {
			unsigned long last = min(end - 1, pfn + (1UL << o) - 1);

			*num_movable += (int)(last - pfn + 1);
			pfn = last + 1;
			continue;
		}
		pfn++;
	}
	return true;
}

/* Move the free pages of @page's pageblock to @new_mt and set the block's
 * type; -1 if the block straddles the zone's ends, else the pages moved. */
static int move_freepages_block(struct zone *zone, struct page *page, int old_mt, int new_mt)
{
	unsigned long start_pfn;
	int res;

	if (!prep_move_freepages_block(zone, page, &start_pfn, NULL, NULL))
		return -1;
	res = __move_freepages_block(zone, start_pfn, old_mt, new_mt);
	set_pageblock_migratetype(pfn_to_page(start_pfn), new_mt);
	return res;
}

static bool boost_watermark(struct zone *zone)
{
	unsigned long max_boost;

	/* MMFS: a ThreadSanitizer build does not boost: the watermark macros
	 * of mmzone.h read the boost without the zone lock, as the kernel's */
	if (!watermark_boost_factor || MMFS_TSAN)
		return false;
	if ((pageblock_nr_pages * 4) > zone_managed_pages(zone))
		return false;
	max_boost = zone->_watermark[WMARK_HIGH] * (unsigned long)watermark_boost_factor / 10000;
	if (!max_boost)
		return false;
	max_boost = max(pageblock_nr_pages, max_boost);
	store_relaxed(&zone->watermark_boost, min(zone->watermark_boost + pageblock_nr_pages, max_boost));
	return true;
}

/*
 * should_try_claim_block - falling back to another migratetype, should the
 * allocation try to claim the whole pageblock (rather than pollute several)?
 */
static bool should_try_claim_block(unsigned int order, int start_mt)
{
	/* a whole pageblock or more: the claim is certain */
	if (order >= pageblock_order)
		return true;
	/* above this, the block likely has more free pages */
	if (order >= pageblock_order / 2)
		return true;
	/* unmovable and reclaimable allocations would pollute a movable
	 * block for good: claim it whatever the size */
	if (start_mt == MIGRATE_RECLAIMABLE || start_mt == MIGRATE_UNMOVABLE)
		return true;
	if (page_group_by_mobility_disabled)
		return true;
	/* small movable allocations only borrow the pages closest in size
	 * (compaction can move them later) */
	return false;
}

/**
 * find_suitable_fallback - the migratetype to fall back to for an @order
 * block from @area
 * @area: free_area of that order
 * @order: its order
 * @migratetype: the type the allocation wants
 * @claimable: only if the allocation would try to claim the whole block
 *
 * Return: the fallback type with a free block, -1 if none has one, or -2
 * when @claimable and this order is too small to claim a block with.
 */
int find_suitable_fallback(struct free_area *area, unsigned int order, int migratetype,
			   bool claimable)
{
	int i;

	if (claimable && !should_try_claim_block(order, migratetype))
		return -2;
	if (area->nr_free == 0)
		return -1;
	for (i = 0; i < MIGRATE_PCPTYPES - 1; i++) {
		int fallback_mt = fallbacks[migratetype][i];

		if (!free_area_empty(area, fallback_mt))
			return fallback_mt;
	}
	return -1;
}

/*
 * try_to_claim_block - claim the pageblock of @page (an order @current_order
 * block on @block_type's list) for @start_type, and allocate @order from
 * it: always for orders >= pageblock_order, else when at least half of the
 * block is free or alike.  NULL if the block stays as it is.
 */
static struct page *try_to_claim_block(struct zone *zone, struct page *page, int current_order,
				       int order, int start_type, int block_type,
				       unsigned int alloc_flags)
{
	int free_pages, movable_pages, alike_pages;
	unsigned long start_pfn;

	/* Take ownership for orders >= pageblock_order */
	if (current_order >= pageblock_order) {
		unsigned int nr_added;

		del_page_from_free_list(page, zone, (unsigned int)current_order, block_type);
		change_pageblock_range(page, current_order, start_type);
		nr_added = expand(zone, page, order, current_order, start_type);
		account_freepages(zone, (int)nr_added, start_type);
		return page;
	}

	/* Boost watermarks so that kswapd reclaims harder, against more
	 * fallbacks; see rmqueue(). */
	if (boost_watermark(zone) && (alloc_flags & ALLOC_KSWAPD))
		__atomic_fetch_or(&zone->flags, 1UL << ZONE_BOOSTED_WATERMARK, __ATOMIC_RELAXED);

	/* moving the whole block can fail at the zone's ends */
	if (!prep_move_freepages_block(zone, page, &start_pfn, &free_pages, &movable_pages))
		return NULL;

	/*
	 * The pages alike the allocation: for a movable one, the movable
	 * pages; for the others, falling back to a movable block, every
	 * page that is not movable; between unmovable and reclaimable blocks
	 * none, their pages cannot be told apart.
	 */
	if (start_type == MIGRATE_MOVABLE) {
		alike_pages = movable_pages;
	} else if (block_type == MIGRATE_MOVABLE) {
		alike_pages = (int)pageblock_nr_pages - (free_pages + movable_pages);
	} else {
		alike_pages = 0;
	}
	if (free_pages + alike_pages >= (1 << (pageblock_order - 1)) ||
	    page_group_by_mobility_disabled) {
		__move_freepages_block(zone, start_pfn, block_type, start_type);
		set_pageblock_migratetype(pfn_to_page(start_pfn), start_type);
		return __rmqueue_smallest(zone, (unsigned int)order, start_type);
	}
	return NULL;
}

/*
 * __rmqueue_claim - allocate from another migratetype by claiming a whole
 * pageblock for @start_migratetype, trying the largest free block first (it
 * roughly stands for the block with the most free pages).
 *
 * MMFS: PGALLOC_EXTFRAG, an event of ours, counts each fallback.
 */
static noinline struct page *__rmqueue_claim(struct zone *zone, int order, int start_migratetype,
					     unsigned int alloc_flags)
{
	struct free_area *area;
	int current_order;
	int min_order = order;
	struct page *page;
	int fallback_mt;

	/* With ALLOC_NOFRAGMENT, take no fragment of another pageblock: the
	 * zonelist is walked again without it if no zone has a block. */
	if (order < pageblock_order && (alloc_flags & ALLOC_NOFRAGMENT))
		min_order = pageblock_order;

	for (current_order = MAX_ORDER - 1; current_order >= min_order; --current_order) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(area, (unsigned int)current_order,
						     start_migratetype, true);
		/* no block in that order */
		if (fallback_mt == -1)
			continue;
		/* into orders too small to claim a block with */
		if (fallback_mt == -2)
			break;
		page = get_page_from_free_area(area, fallback_mt);
		page = try_to_claim_block(zone, page, current_order, order, start_migratetype,
					  fallback_mt, alloc_flags);
		if (page) {
			count_vm_event(PGALLOC_EXTFRAG);
			trace_mm_page_alloc_extfrag(page, order, current_order, start_migratetype,
						    fallback_mt);
			return page;
		}
	}
	return NULL;
}

/*
 * __rmqueue_steal - take the smallest fitting block of another migratetype,
 * leaving its pageblock (and the halves split off it) to that type.
 */
static noinline struct page *__rmqueue_steal(struct zone *zone, int order, int start_migratetype)
{
	struct free_area *area;
	int current_order;
	struct page *page;
	int fallback_mt;

	for (current_order = order; current_order < MAX_ORDER; current_order++) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(area, (unsigned int)current_order,
						     start_migratetype, false);
		if (fallback_mt == -1)
			continue;
		page = get_page_from_free_area(area, fallback_mt);
		page_del_and_expand(zone, page, order, current_order, fallback_mt);
		count_vm_event(PGALLOC_EXTFRAG);
		trace_mm_page_alloc_extfrag(page, order, current_order, start_migratetype,
					    fallback_mt);
		return page;
	}
	return NULL;
}

/* How far __rmqueue got: rmqueue_bulk starts the next call there. */
enum rmqueue_mode {
	RMQUEUE_NORMAL,
	RMQUEUE_CMA,		/* MMFS: no CMA; never set */
	RMQUEUE_CLAIM,
	RMQUEUE_STEAL,
};

/*
 * __rmqueue - take one block from the buddy lists: the wanted type's own,
 * then the fallbacks, claiming a block before stealing from one.  Under
 * zone->lock nothing else changes the lists, so *@mode remembers where the
 * last call found pages and the next starts there.
 */
static __always_inline struct page *__rmqueue(struct zone *zone, unsigned int order,
					      int migratetype, unsigned int alloc_flags,
					      enum rmqueue_mode *mode)
{
	struct page *page;

	switch (*mode) {
	case RMQUEUE_NORMAL:
		page = __rmqueue_smallest(zone, order, migratetype);
		if (page)
			return page;
		fallthrough;
	case RMQUEUE_CMA:
		fallthrough;
	case RMQUEUE_CLAIM:
		page = __rmqueue_claim(zone, (int)order, migratetype, alloc_flags);
		if (page) {
			/* the wanted lists are filled again: back to normal */
			*mode = RMQUEUE_NORMAL;
			return page;
		}
		fallthrough;
	case RMQUEUE_STEAL:
		if (!(alloc_flags & ALLOC_NOFRAGMENT)) {
			page = __rmqueue_steal(zone, (int)order, migratetype);
			if (page) {
				*mode = RMQUEUE_STEAL;
				return page;
			}
		}
	}
	return NULL;
}

/* Take @count blocks of @order for a pcp list, in one hold of zone->lock;
 * returns how many. */
static int rmqueue_bulk(struct zone *zone, unsigned int order, unsigned long count,
			struct list_head *list, int migratetype, unsigned int alloc_flags)
{
	enum rmqueue_mode rmqm = RMQUEUE_NORMAL;
	unsigned long i;

	spin_lock(&zone->lock);
	for (i = 0; i < count; ++i) {
		struct page *page = __rmqueue(zone, order, migratetype, alloc_flags, &rmqm);

		if (unlikely(page == NULL))
			break;
		/* split-off halves come back in pfn order; the tail keeps
		 * the list in that order */
		list_add_tail(&page->lru, list);
	}
	spin_unlock(&zone->lock);
	return (int)i;
}

/* =================================================== per-cpu lists */

static __always_inline unsigned int order_to_pindex(int migratetype, unsigned int order)
{
	if (order > PAGE_ALLOC_COSTLY_ORDER) {
		bool movable = migratetype == MIGRATE_MOVABLE;

		MM_BUG_ON(order != pageblock_order);
		return NR_LOWORDER_PCP_LISTS + movable;
	}
	return (MIGRATE_PCPTYPES * order) + (unsigned int)migratetype;
}

static __always_inline unsigned int pindex_to_order(unsigned int pindex)
{
	unsigned int order = pindex / MIGRATE_PCPTYPES;

	if (pindex >= NR_LOWORDER_PCP_LISTS)
		order = pageblock_order;
	return order;
}

static __always_inline int local_nid(void)
{
	if (likely(nr_online_nodes == 1))
		return 0;
	return numa_node_id();
}

/*
 * The pcp lock: a test-and-set trylock on the fast paths (the kernel's
 * pcp_spin_trylock; a busy lock means another thread of this simulated CPU,
 * and the caller goes to the buddy lists instead), spin_lock elsewhere.
 *
 * MMFS: a restartable-sequence lock (take it with a plain store inside an
 * rseq critical section on the owning CPU, as tcmalloc's per-CPU caches
 * do) was built and measured: no faster here, since an uncontended xchg on
 * a line this CPU owns costs about 1 ns of a ~20 ns pair, and it needs
 * every remote locker to move to the owning CPU first.  The xchg stays.
 */
static __always_inline struct per_cpu_pages *pcp_spin_trylock(struct zone *zone, unsigned int cpu)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

	if (likely(spin_trylock(&pcp->lock)))
		return pcp;
	return NULL;
}

static __always_inline void pcp_spin_unlock(struct per_cpu_pages *pcp)
{
	spin_unlock(&pcp->lock);
}

/* for debug.c: every pcp lock of @zone, in CPU order, and back */
void mmfs_pcp_lock_all(struct zone *zone)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		spin_lock(&zone->per_cpu_pageset[cpu].lock);
}

void mmfs_pcp_unlock_all(struct zone *zone)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		spin_unlock(&zone->per_cpu_pageset[cpu].lock);
}

/*
 * free_pcppages_bulk - give @count pages from @pcp back to the buddy lists,
 * round-robin over the lists starting at @pindex.  Caller holds pcp->lock.
 */
static void free_pcppages_bulk(struct zone *zone, int count, struct per_cpu_pages *pcp,
			       int pindex)
{
	unsigned int order;
	struct page *page;

	count = min(pcp->count, count);
	pindex = pindex - 1;
	spin_lock(&zone->lock);
	while (count > 0) {
		struct list_head *list;
		int nr_pages;

		do {
			if (++pindex > NR_PCP_LISTS - 1)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (list_empty(list));

		order = pindex_to_order((unsigned int)pindex);
		nr_pages = 1 << order;
		do {
			unsigned long pfn;
			int mt;

			page = list_last_entry(list, struct page, lru);
			pfn = page_to_pfn(page);
			/* the block's type now, whatever list it sat on */
			mt = get_pfnblock_migratetype(page, pfn);
			list_del(&page->lru);
			count -= nr_pages;
			pcp->count -= nr_pages;
			__free_one_page(page, pfn, zone, order, mt, FPI_NONE);
			trace_mm_page_pcpu_drain(page, order, mt);
		} while (count > 0 && !list_empty(list));
	}
	spin_unlock(&zone->lock);
}

/* How many pages to take from the buddy for an empty pcp list. */
static int nr_pcp_alloc(struct per_cpu_pages *pcp, struct zone *zone, unsigned int order)
{
	int high, base_batch, batch, max_nr_alloc;
	int high_max, high_min;

	base_batch = READ_ONCE(pcp->batch);
	high_min = READ_ONCE(pcp->high_min);
	high_max = READ_ONCE(pcp->high_max);
	high = pcp->high = clamp(pcp->high, high_min, high_max);

	/* PCP disabled or boot pageset */
	if (unlikely(high < base_batch))
		return 1;
	if (order)
		batch = base_batch;
	else
		batch = base_batch << pcp->alloc_factor;
	/* A larger pcp->high could have avoided going to the zone. */
	if (high_min != high_max &&
	    !(__atomic_load_n(&zone->flags, __ATOMIC_RELAXED) & (1UL << ZONE_BELOW_HIGH)))
		high = pcp->high = min(high + batch, high_max);
	if (!order) {
		max_nr_alloc = max(high - pcp->count - base_batch, base_batch);
		/* Double the pages taken each time allocations follow one
		 * another without a free in between. */
		if (batch <= max_nr_alloc && pcp->alloc_factor < CONFIG_PCP_BATCH_SCALE_MAX)
			pcp->alloc_factor++;
		batch = min(batch, max_nr_alloc);
	}
	/* Scale the batch by order when the pcp may store pages. */
	if (batch > 1)
		batch = max(batch >> order, 2);
	return batch;
}

/* the first block of a non-empty pcp list */
static __always_inline struct page *pcp_take_first(struct per_cpu_pages *pcp, struct list_head *list,
						   unsigned int order)
{
	struct page *page = list_first_entry(list, struct page, lru);

	list_del(&page->lru);
	pcp->count -= 1 << order;
	return page;
}

static __always_inline struct page *__rmqueue_pcplist(struct zone *zone, unsigned int order,
						      int migratetype, unsigned int alloc_flags,
						      struct per_cpu_pages *pcp,
						      struct list_head *list)
{
	if (unlikely(list_empty(list))) {
		int batch = nr_pcp_alloc(pcp, zone, order);
		int alloced;

		alloced = rmqueue_bulk(zone, order, (unsigned long)batch, list, migratetype,
				       alloc_flags);
		pcp->count += alloced << order;
		if (unlikely(list_empty(list)))
			return NULL;
	}
	return pcp_take_first(pcp, list, order);
}

/*
 * MMFS: the pcp fast paths count their events (PGALLOC_<zone>, PGFREE, and
 * NUMA_HIT + NUMA_LOCAL of a local hit) in the pcp itself, under its lock:
 * per-cpu counters summed when read, as the kernel's vm_event_states and
 * per-cpu NUMA events are (vmstat.c adds them in).  vmstat's own per-cpu
 * counters are atomics here (several host threads share a simulated CPU);
 * these need none, and the increments are relaxed stores only so that the
 * readers' racy loads are well defined.
 */
static __always_inline void pcp_count(unsigned long *ev, unsigned long n)
{
	__atomic_store_n(ev, *ev + n, __ATOMIC_RELAXED);
}

static __always_inline void zone_statistics(struct zone *preferred_zone, struct zone *z)
{
	enum numa_stat_item local_stat = z->node == local_nid() ? NUMA_LOCAL : NUMA_OTHER;

	if (z->node == preferred_zone->node) {
		__inc_numa_state(z, NUMA_HIT);
	} else {
		__inc_numa_state(z, NUMA_MISS);
		__inc_numa_state(preferred_zone, NUMA_FOREIGN);
	}
	__inc_numa_state(z, local_stat);
}

/* Lock and remove a page from this CPU's pcp list; NULL if the lock is busy. */
static __always_inline struct page *rmqueue_pcplist(struct zone *preferred_zone, struct zone *zone,
						    unsigned int order, int migratetype,
						    unsigned int alloc_flags)
{
	struct per_cpu_pages *pcp;
	struct list_head *list;
	struct page *page;

	unsigned int cpu = (unsigned int)smp_processor_id();

	pcp = pcp_spin_trylock(zone, cpu);
	if (unlikely(!pcp))
		return NULL;
	/* On allocation, reduce the number of pages batch-freed next. */
	pcp->free_count >>= 1;
	list = &pcp->lists[order_to_pindex(migratetype, order)];
	page = __rmqueue_pcplist(zone, order, migratetype, alloc_flags, pcp, list);
	if (likely(page)) {
		pcp_count(&pcp->ev_pgalloc, 1UL << order);
		if (likely(zone->node == preferred_zone->node && zone->node == local_nid()))
			pcp_count(&pcp->ev_numa_local, 1);
		else
			zone_statistics(preferred_zone, zone);
	}
	pcp_spin_unlock(pcp);
	return page;
}

static noinline struct page *rmqueue_buddy(struct zone *preferred_zone, struct zone *zone,
					   unsigned int order, unsigned int alloc_flags,
					   int migratetype)
{
	struct page *page = NULL;

	spin_lock(&zone->lock);
	if (alloc_flags & ALLOC_HIGHATOMIC)
		page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
	if (!page) {
		enum rmqueue_mode rmqm = RMQUEUE_NORMAL;

		page = __rmqueue(zone, order, migratetype, alloc_flags, &rmqm);
		/* Failing now is worse than failing a future high-order atomic
		 * allocation: let OOM handling and order-0 atomic requests use
		 * the reserve. */
		if (!page && (alloc_flags & (ALLOC_OOM | ALLOC_NON_BLOCK)))
			page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
		if (!page) {
			spin_unlock(&zone->lock);
			return NULL;
		}
	}
	spin_unlock(&zone->lock);
	__count_vm_events((enum vm_event_item)(PGALLOC_DMA + page_zonenum(page)), 1L << order);
	zone_statistics(preferred_zone, zone);
	return page;
}

/* rmqueue's end: a boosted watermark wakes kswapd (test, then clear: an
 * atomic only when it is set) */
static __always_inline void rmqueue_boost_wakeup(struct zone *zone, unsigned int alloc_flags)
{
	if ((alloc_flags & ALLOC_KSWAPD) &&
	    unlikely(__atomic_load_n(&zone->flags, __ATOMIC_RELAXED) & (1UL << ZONE_BOOSTED_WATERMARK))) {
		__atomic_fetch_and(&zone->flags, ~(1UL << ZONE_BOOSTED_WATERMARK), __ATOMIC_RELAXED);
		wakeup_kswapd(zone, 0, 0, (enum zone_type)zone_idx(zone));
	}
}

static __always_inline struct page *rmqueue(struct zone *preferred_zone, struct zone *zone,
					    unsigned int order, gfp_t gfp_flags,
					    unsigned int alloc_flags, int migratetype)
{
	struct page *page;

	if (likely(pcp_allowed_order(order))) {
		page = rmqueue_pcplist(preferred_zone, zone, order, migratetype, alloc_flags);
		if (likely(page))
			goto out;
	}
	page = rmqueue_buddy(preferred_zone, zone, order, alloc_flags, migratetype);
out:
	rmqueue_boost_wakeup(zone, alloc_flags);
	return page;
}

/* ============================================================ highatomic */

/*
 * reserve_highatomic_pageblock - keep the pageblock(s) of a successful
 * high-order atomic allocation for such allocations: at least one
 * pageblock, at most about 1% of the zone; nothing where 1% of the zone is
 * less than a pageblock (6.18).
 */
static void reserve_highatomic_pageblock(struct page *page, int order, struct zone *zone)
{
	unsigned long max_managed;
	int mt;

	/* racy, but harmless: the limit is checked again under the lock */
	if ((zone_managed_pages(zone) / 100) < pageblock_nr_pages)
		return;
	max_managed = ALIGN((zone_managed_pages(zone) / 100), pageblock_nr_pages);
	if (load_relaxed(&zone->nr_reserved_highatomic) >= max_managed)
		return;
	spin_lock(&zone->lock);
	if (zone->nr_reserved_highatomic >= max_managed)
		goto out_unlock;
	mt = get_pageblock_migratetype(page);
	/* Only reserve normal pageblocks (those that merge with others) */
	if (!migratetype_is_mergeable(mt))
		goto out_unlock;
	if (order < pageblock_order) {
		if (move_freepages_block(zone, page, mt, MIGRATE_HIGHATOMIC) == -1)
			goto out_unlock;
		store_relaxed(&zone->nr_reserved_highatomic,
			      zone->nr_reserved_highatomic + pageblock_nr_pages);
	} else {
		change_pageblock_range(page, order, MIGRATE_HIGHATOMIC);
		store_relaxed(&zone->nr_reserved_highatomic,
			      zone->nr_reserved_highatomic + (1UL << order));
	}
out_unlock:
	spin_unlock(&zone->lock);
}

/*
 * unreserve_highatomic_pageblock - give a highatomic pageblock back to
 * @ac->migratetype when an allocation is about to fail.  Without @force the
 * last reserved pageblock of each zone stays.  Returns true if free pages
 * were moved.
 */
static bool unreserve_highatomic_pageblock(const struct alloc_context *ac, bool force)
{
	struct zoneref *z;
	struct zone *zone;
	struct page *page;
	int order;
	int ret;

	for (z = ac->zonelist->_zonerefs; (zone = z->zone) != NULL; z++) {
		if (z->zone_idx > (int)ac->highest_zoneidx)
			continue;
		if (ac->nodemask && !(*ac->nodemask & (1UL << zone->node)))
			continue;
		/* keep one pageblock unless the pressure is really high */
		if (!force && load_relaxed(&zone->nr_reserved_highatomic) <= pageblock_nr_pages)
			continue;
		spin_lock(&zone->lock);
		for (order = 0; order < MAX_ORDER; order++) {
			struct free_area *area = &zone->free_area[order];
			unsigned long size;

			page = get_page_from_free_area(area, MIGRATE_HIGHATOMIC);
			if (!page)
				continue;
			size = max(pageblock_nr_pages, 1UL << order);
			/* never expected; the kernel warns once and clamps */
			if (WARN_ON_ONCE(size > zone->nr_reserved_highatomic))
				size = zone->nr_reserved_highatomic;
			store_relaxed(&zone->nr_reserved_highatomic, zone->nr_reserved_highatomic - size);
			/* To ac->migratetype, not by the claiming rules: the
			 * caller needs the pages now, and a block always given
			 * to one type would leave more that never free whole. */
			if (order < pageblock_order) {
				ret = move_freepages_block(zone, page, MIGRATE_HIGHATOMIC,
							   ac->migratetype);
			} else {
				move_to_free_list(page, zone, (unsigned int)order, MIGRATE_HIGHATOMIC,
						  ac->migratetype);
				change_pageblock_range(page, order, ac->migratetype);
				ret = 1;
			}
			/* the reserve succeeded, so the zone's ends are no
			 * obstacle now */
			WARN_ON_ONCE(ret == -1);
			if (ret > 0) {
				spin_unlock(&zone->lock);
				return true;
			}
		}
		spin_unlock(&zone->lock);
	}
	return false;
}

/* ============================================================ watermarks */

static __always_inline long __zone_watermark_unusable_free(const struct zone *z, unsigned int order,
							   unsigned int alloc_flags)
{
	long unusable_free = (1L << order) - 1;

	/* Without rights to the reserves, the free highatomic pages are not
	 * ours (6.10+: the free ones, not the whole reserve). */
	if (likely(!(alloc_flags & ALLOC_RESERVES)))
		unusable_free += (long)load_relaxed(&z->nr_free_highatomic);
	return unusable_free;
}

/**
 * __zone_watermark_ok - may an allocation of @order take pages from @z?
 * @z: zone
 * @order: order
 * @mark: watermark in pages
 * @highest_zoneidx: highest zone the allocation may use (lowmem_reserve index)
 * @alloc_flags: ALLOC_*
 * @free_pages: NR_FREE_PAGES of @z
 */
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			 int highest_zoneidx, unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;
	unsigned int o;

	free_pages -= __zone_watermark_unusable_free(z, order, alloc_flags);

	if (unlikely(alloc_flags & ALLOC_RESERVES)) {
		/* __GFP_HIGH may use half of the min reserve */
		if (alloc_flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			/* non-blocking (GFP_ATOMIC) a quarter more */
			if (alloc_flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (alloc_flags & ALLOC_OOM)
			min -= min / 2;
	}

	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	/* For a high-order request, one suitable block must be free.
	 * MMFS: a ThreadSanitizer build looks under zone->lock (the kernel
	 * reads the list heads racily; so do we otherwise). */
	if (MMFS_TSAN)
		spin_lock(&z->lock);
	for (o = order; o < MAX_ORDER; o++) {
		struct free_area *area = &z->free_area[o];
		int mt;

		if (!load_relaxed(&area->nr_free))
			continue;
		for (mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
			if (!free_area_empty(area, mt))
				goto found;
		}
		if ((alloc_flags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) &&
		    !free_area_empty(area, MIGRATE_HIGHATOMIC))
			goto found;
	}
	if (MMFS_TSAN)
		spin_unlock(&z->lock);
	return false;
found:
	if (MMFS_TSAN)
		spin_unlock(&z->lock);
	return true;
}

bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   (long)zone_page_state_folded(z, NR_FREE_PAGES));
}

/* zone_page_state(): the folded value, stale by at most the per-cpu
 * thresholds, as the kernel's fast path reads it */
static __always_inline long zone_free_pages_fast(const struct zone *z)
{
	long free_pages = atomic_long_read(&z->vm_stat[NR_FREE_PAGES]);

	return unlikely(free_pages < 0) ? 0 : free_pages;
}

/* zone_watermark_fast's quick order-0 test: true is above @mark; false
 * means "ask __zone_watermark_ok" */
static __always_inline bool zone_watermark_order0_quick(const struct zone *z, long free_pages,
							unsigned long mark, int highest_zoneidx,
							unsigned int alloc_flags)
{
	long usable_free = free_pages;
	long reserved = __zone_watermark_unusable_free(z, 0, alloc_flags);

	usable_free -= min(usable_free, reserved);
	return usable_free > (long)mark + z->lowmem_reserve[highest_zoneidx];
}

static __always_inline bool zone_watermark_fast(struct zone *z, unsigned int order,
						unsigned long mark, int highest_zoneidx,
						unsigned int alloc_flags, gfp_t gfp_mask)
{
	long free_pages = zone_free_pages_fast(z);

	/* Fast check for order-0 only */
	if (!order && zone_watermark_order0_quick(z, free_pages, mark, highest_zoneidx, alloc_flags))
		return true;
	if (__zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages))
		return true;
	/* __GFP_HIGH order-0 ignores the boost at the min watermark */
	if (unlikely(!order && (alloc_flags & ALLOC_MIN_RESERVE) && z->watermark_boost &&
		     ((alloc_flags & ALLOC_WMARK_MASK) == WMARK_MIN))) {
		mark = z->_watermark[WMARK_MIN];
		return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages);
	}
	return false;
}

/* ===================================================== alloc/free hooks */

/*
 * init_on_alloc/init_on_free are boot options, static keys in the kernel;
 * here post_alloc_hook's whole "clear on allocation?" test is one mask set
 * at boot, tested against gfp | INIT_ALWAYS (a bit no gfp has): every
 * allocation with init_on_alloc, __GFP_ZERO ones without it, none with
 * init_on_free (the page was cleared when it was freed).
 */
#define INIT_ALWAYS	(1u << 31)
BUILD_BUG_ON(__GFP_BITS_MASK & INIT_ALWAYS);
static gfp_t init_on_alloc_gfp_mask;

static void init_mem_debugging(void)
{
	if (mm_cfg.init_on_free)
		init_on_alloc_gfp_mask = 0;
	else if (mm_cfg.init_on_alloc)
		init_on_alloc_gfp_mask = INIT_ALWAYS;
	else
		init_on_alloc_gfp_mask = __GFP_ZERO;
}

static __always_inline bool want_init_on_free(void) { return mm_cfg.init_on_free != 0; }

static void kernel_init_pages(struct page *page, unsigned long pfn, int numpages)
{
	/* MMFS: highmem frames are reached through the arena directly (the
	 * kernel's clear_highpage kmaps them). */
	memset(mmfs_pfn_to_ptr(pfn), 0, (size_t)numpages << PAGE_SHIFT);
}

static void prep_compound_page(struct page *page, unsigned int order)
{
	unsigned long i, nr_pages = 1UL << order;

	/* __SetPageHead; relaxed: a neighbour's free may read these flags
	 * when it looks at this block as a possible buddy */
	store_relaxed(&page->flags, page->flags | (1UL << PG_head));
	for (i = 1; i < nr_pages; i++) {
		struct page *p = page + i;

		p->mapping = NULL;
		p->private = 0;
		WRITE_ONCE(p->compound_head, (unsigned long)page + 1);
	}
	page[1].compound_dtor = 0;
	page[1].compound_order = (unsigned char)order;
	atomic_set(&page[1].compound_mapcount, -1);
	atomic_set(&page[1].compound_pincount, 0);
	page[1].compound_nr = (unsigned int)nr_pages;
}

static __always_inline void post_alloc_hook(struct page *page, unsigned int order, gfp_t gfp_flags)
{
	bool init = (gfp_flags | INIT_ALWAYS) & init_on_alloc_gfp_mask;
	unsigned long pfn = page_to_pfn(page);

	page->private = 0;
	init_page_count(page);
	if (init)
		kernel_init_pages(page, pfn, 1 << order);
	__set_page_owner_pfn(pfn, order, gfp_flags);
}

static __always_inline void prep_new_page(struct page *page, unsigned int order, gfp_t gfp_flags,
					  unsigned int alloc_flags)
{
	post_alloc_hook(page, order, gfp_flags);
	if (order && (gfp_flags & __GFP_COMP))
		prep_compound_page(page, order);
}

#define PAGE_FLAGS_CHECK_AT_FREE \
	(1UL << PG_lru | 1UL << PG_locked | 1UL << PG_private | 1UL << PG_private_2 | \
	 1UL << PG_writeback | 1UL << PG_reserved | 1UL << PG_slab | 1UL << PG_active | \
	 1UL << PG_unevictable | 1UL << PG_mlocked)
#define PAGEFLAGS_MASK		((1UL << __NR_PAGEFLAGS) - 1)
#define PAGE_FLAGS_CHECK_AT_PREP	PAGEFLAGS_MASK

static noinline __cold void bad_page(struct page *page, const char *reason)
{
	printk("BUG: Bad page state in process %s  pfn:%05lx", current->comm, page_to_pfn(page));
	dump_page(page, reason);
	/* Leave bad fields for debug, except PageBuddy could make others
	 * believe this page is free */
	page_mapcount_reset(page);
}

static __always_inline const char *page_bad_reason(const struct page *page, unsigned long flags)
{
	if (unlikely(atomic_read(&page->_mapcount) != -1))
		return "nonzero mapcount";
	if (unlikely(page->mapping != NULL))
		return "non-NULL mapping";
	if (unlikely(page_ref_count(page) != 0))
		return "nonzero _refcount";
	if (unlikely(page->flags & flags))
		return "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	return NULL;
}

/*
 * free_pages_prepare - check and clean a block on its way back.  Returns
 * false (and leaks the block, as the kernel does) when a page is bad.
 */
static __always_inline bool free_pages_prepare_pfn(struct page *page, unsigned long pfn,
						   unsigned int order, fpi_t fpi_flags, bool hooks)
{
	int bad = 0;
	bool compound = PageHead(page);
	const char *why;

	if (unlikely(fpi_flags & FPI_MMFS_BOOT)) {
		store_relaxed(&page->flags, page->flags & ~PAGE_FLAGS_CHECK_AT_PREP);
		return true;
	}
	if (hooks)
		trace_mm_page_free(page, order);
	if (unlikely(order)) {
		unsigned long i;

		if (compound)	/* __ClearPageHead, relaxed as in prep_compound_page */
			store_relaxed(&page->flags, page->flags & ~(1UL << PG_head));
		for (i = 1; i < (1UL << order); i++) {
			struct page *p = page + i;

			if (compound) {
				/* free_tail_pages_check: undo the tail fields */
				if (unlikely(compound_head(p) != page) && i >= 1) {
					bad_page(p, "corrupted mapping in tail page");
					bad++;
				}
				p->compound_head = 0;
				p->mapping = NULL;
				if (i == 1) {
					/* compound_dtor/order/mapcount/pincount overlay lru.prev.. */
					p->index = 0;
					p->private = 0;
					p->lru.prev = NULL;
				}
			}
			why = page_bad_reason(p, PAGE_FLAGS_CHECK_AT_FREE);
			if (unlikely(why)) {
				bad_page(p, why);
				bad++;
			}
			store_relaxed(&p->flags, p->flags & ~PAGE_FLAGS_CHECK_AT_PREP);
		}
	}
	why = page_bad_reason(page, PAGE_FLAGS_CHECK_AT_FREE);
	if (unlikely(why)) {
		bad_page(page, why);
		bad++;
	}
	if (unlikely(bad))
		return false;
	store_relaxed(&page->flags, page->flags & ~PAGE_FLAGS_CHECK_AT_PREP);
	__reset_page_owner_pfn(pfn, order);
	if (hooks && want_init_on_free())
		kernel_init_pages(page, pfn, 1 << order);
	return true;
}

static __always_inline bool free_pages_prepare(struct page *page, unsigned int order, fpi_t fpi_flags)
{
	return free_pages_prepare_pfn(page, page_to_pfn(page), order, fpi_flags, true);
}

/* Free a block of more than one pageblock one pageblock at a time, each
 * with its own type (the caller took it off the lists, if it was on them). */
static void split_large_buddy(struct zone *zone, struct page *page, unsigned long pfn, int order,
			      fpi_t fpi)
{
	unsigned long end = pfn + (1UL << order);

	MM_WARN_ON(pfn & ((1UL << order) - 1));
	MM_WARN_ON(PageBuddy(page));
	if (order > pageblock_order)
		order = pageblock_order;
	do {
		int mt = get_pfnblock_migratetype(page, pfn);

		__free_one_page(page, pfn, zone, (unsigned int)order, mt, fpi);
		pfn += 1UL << order;
		if (pfn == end)
			break;
		page = pfn_to_page(pfn);
	} while (1);
}

/*
 * free_one_page - give a block straight to the buddy lists.  Out of line:
 * free_unref_page's order-0 instance only tail-calls it (an isolated
 * block, a busy pcp).
 * MMFS: no FPI_TRYLOCK, so no list of frees deferred past a busy lock.
 */
static noinline void free_one_page(struct zone *zone, struct page *page, unsigned long pfn,
				   unsigned int order, fpi_t fpi_flags)
{
	spin_lock(&zone->lock);
	split_large_buddy(zone, page, pfn, (int)order, fpi_flags);
	spin_unlock(&zone->lock);
	__count_vm_events(PGFREE, 1L << order);
}

static noinline void __free_pages_ok(struct page *page, unsigned int order, fpi_t fpi_flags)
{
	unsigned long pfn = page_to_pfn(page);
	struct zone *zone = page_zone(page);

	if (free_pages_prepare(page, order, fpi_flags))
		free_one_page(zone, page, pfn, order, fpi_flags);
}

/* How many pages to give back past high (grows with consecutive frees). */
static int nr_pcp_free(struct per_cpu_pages *pcp, int batch, int high, bool free_high)
{
	int min_nr_free, max_nr_free;

	if (unlikely(free_high))
		return min(pcp->count, batch << CONFIG_PCP_BATCH_SCALE_MAX);
	if (unlikely(high < batch))
		return 1;
	min_nr_free = batch;
	max_nr_free = high - batch;
	batch = clamp((int)pcp->free_count, min_nr_free, max_nr_free);
	return batch;
}

static __always_inline int nr_pcp_high(struct per_cpu_pages *pcp, struct zone *zone, int batch, bool free_high)
{
	int high, high_min, high_max;

	high_min = READ_ONCE(pcp->high_min);
	high_max = READ_ONCE(pcp->high_max);
	high = pcp->high = clamp(pcp->high, high_min, high_max);
	if (unlikely(!high))
		return 0;
	if (unlikely(free_high)) {
		pcp->high = max(high - (batch << CONFIG_PCP_BATCH_SCALE_MAX), high_min);
		return 0;
	}
	/* MMFS: no ZONE_RECLAIM_ACTIVE test (kswapd reclaims nothing, so
	 * no zone is ever under reclaim; the kernel caps high there) */
	if (high_min == high_max)
		return high;
	if (__atomic_load_n(&zone->flags, __ATOMIC_RELAXED) & (1UL << ZONE_BELOW_HIGH)) {
		int free_count = max((int)pcp->free_count, batch);

		pcp->high = max(high - free_count, high_min);
		high = max(pcp->count, high_min);
	} else if (pcp->count >= high) {
		int need_high = pcp->free_count + batch;

		/* pcp->high should be large enough to hold batch freed pages */
		if (pcp->high < need_high)
			pcp->high = clamp(need_high, high_min, high_max);
	}
	return high;
}

/* The pcp past its high mark: give @count pages back, then unlock it. */
static noinline void free_pcp_past_high(struct zone *zone, struct per_cpu_pages *pcp, int count,
					unsigned int pindex)
{
	free_pcppages_bulk(zone, count, pcp, (int)pindex);
	if ((__atomic_load_n(&zone->flags, __ATOMIC_RELAXED) & (1UL << ZONE_BELOW_HIGH)) &&
	    zone_watermark_ok(zone, 0, high_wmark_pages(zone), ZONE_MOVABLE, 0))
		__atomic_fetch_and(&zone->flags, ~(1UL << ZONE_BELOW_HIGH), __ATOMIC_RELAXED);
	pcp_spin_unlock(pcp);
}

/* MMFS: unlocks the pcp (the kernel's caller does), so that the way past
 * high is a tail call */
static __always_inline void free_unref_page_commit(struct zone *zone, struct per_cpu_pages *pcp,
						   struct page *page, int migratetype,
						   unsigned int order)
{
	int high, batch;
	unsigned int pindex;
	bool free_high = false;

	pcp_count(&pcp->ev_pgfree, 1UL << order);
	/* On freeing, reduce the number of pages batch-allocated next. */
	pcp->alloc_factor >>= 1;
	pindex = order_to_pindex(migratetype, order);
	list_add(&page->lru, &pcp->lists[pindex]);
	pcp->count += 1 << order;

	batch = READ_ONCE(pcp->batch);
	/* High-order pages other than THP's fragment memory while they sit
	 * on the pcp: a long run of such frees (6.18: a batch plus half of
	 * high_min) is given back at once; what stays past high after the
	 * run is drained by the vmstat refresh (decay_pcp_high).
	 * MMFS: PCPF_FREE_HIGH_BATCH (set from the LLC size) is never set. */
	if (order && order <= PAGE_ALLOC_COSTLY_ORDER) {
		free_high = (pcp->free_count >= (batch + pcp->high_min / 2) &&
			     (pcp->flags & PCPF_PREV_FREE_HIGH_ORDER) &&
			     (!(pcp->flags & PCPF_FREE_HIGH_BATCH) || pcp->count >= batch));
		pcp->flags |= PCPF_PREV_FREE_HIGH_ORDER;
	} else if (pcp->flags & PCPF_PREV_FREE_HIGH_ORDER) {
		pcp->flags &= ~PCPF_PREV_FREE_HIGH_ORDER;
	}
	if (pcp->free_count < (batch << CONFIG_PCP_BATCH_SCALE_MAX))
		pcp->free_count += (short)(1 << order);
	high = nr_pcp_high(pcp, zone, batch, free_high);
	if (unlikely(pcp->count >= high)) {
		free_pcp_past_high(zone, pcp, nr_pcp_free(pcp, batch, high, free_high), pindex);
		return;
	}
	pcp_spin_unlock(pcp);
}

/*
 * MMFS: free_unref_page is laid out so that its order-0 instance, which
 * __free_pages inlines, calls nothing but in tail position: whatever calls
 * out and carries on (the mm_page_free tracepoint and init_on_free, a CPU
 * rseq does not give) runs the whole free out of line instead, and the
 * ways that end in a call (a bad page, an isolated block, a busy pcp, a pcp
 * past high) end there.  The common case then needs no stack frame and
 * saves only the registers its own work needs (none live across a call).
 * The steps and their order are the kernel's.
 */

/* free_unref_page after free_pages_prepare, on @cpu */
static __always_inline void free_unref_page_on(struct page *page, unsigned long pfn,
					       unsigned int order, int migratetype, unsigned int cpu)
{
	struct zone *zone = page_zone(page);
	struct per_cpu_pages *pcp;
	int pcpmigratetype = migratetype;

	if (unlikely(migratetype >= MIGRATE_PCPTYPES)) {
		if (unlikely(is_migrate_isolate(migratetype))) {
			free_one_page(zone, page, pfn, order, FPI_NONE);
			return;
		}
		pcpmigratetype = MIGRATE_MOVABLE;
	}
	pcp = pcp_spin_trylock(zone, cpu);
	if (likely(pcp))
		free_unref_page_commit(zone, pcp, page, pcpmigratetype, order);
	else
		free_one_page(zone, page, pfn, order, FPI_NONE);
}

/* the same, on a CPU rseq does not give (sched_getcpu's, folded) */
static noinline void free_unref_page_anycpu(struct page *page, unsigned long pfn, unsigned int order,
					    int migratetype)
{
	free_unref_page_on(page, pfn, order, migratetype, (unsigned int)smp_processor_id());
}

static __always_inline void __free_unref_page(struct page *page, unsigned int order, bool hooks)
{
	unsigned long pfn = page_to_pfn(page);
	int migratetype;
	unsigned int cpu;

	if (!free_pages_prepare_pfn(page, pfn, order, FPI_NONE, hooks))
		return;
	migratetype = get_pfnblock_migratetype(page, pfn);
	cpu = rseq_cpu_id();
	if (unlikely(cpu >= nr_cpu_ids)) {
		free_unref_page_anycpu(page, pfn, order, migratetype);
		return;
	}
	free_unref_page_on(page, pfn, order, migratetype, cpu);
}

/* free_unref_page with the mm_page_free tracepoint and init_on_free */
static noinline void free_unref_page_hooked(struct page *page, unsigned int order)
{
	__free_unref_page(page, order, true);
}

/* Free a pcp-able block: to this CPU's list, or to the buddy if it is busy. */
static __always_inline void free_unref_page(struct page *page, unsigned int order)
{
	if (unlikely(kmem_event_enabled(EV_MM_PAGE_FREE) || want_init_on_free())) {
		free_unref_page_hooked(page, order);
		return;
	}
	__free_unref_page(page, order, false);
}

static noinline void free_the_page(struct page *page, unsigned int order)
{
	if (pcp_allowed_order(order))
		free_unref_page(page, order);
	else
		__free_pages_ok(page, order, FPI_NONE);
}

/* ================================================= fault injection */

static __thread uint64_t fault_rng;

static uint32_t fault_random_below(uint32_t n)
{
	uint64_t x = fault_rng;

	if (!x)
		x = (uint64_t)mmfs_ktime_ns() * 0x9e3779b97f4a7c15ull + (uintptr_t)&fault_rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	fault_rng = x;
	return (uint32_t)((x >> 32) % n);
}

/*
 * should_fail_alloc_page - lib/fault-inject.c should_fail() over the
 * fail_page_alloc attributes.  MMFS: no min_order/ignore_gfp_* filters
 * (every order and gfp is subject), __GFP_NOFAIL is never failed.
 */
static noinline bool __should_fail_alloc_page(gfp_t gfp_mask, unsigned int order)
{
	struct mmfs_fault_attr *attr = &fail_page_alloc;
	long size = (long)(PAGE_SIZE << order);
	int times, space, interval, prob;

	if (gfp_mask & __GFP_NOFAIL)
		return false;
	prob = atomic_load(&attr->probability);
	if (prob <= 0)
		return false;
	times = atomic_load(&attr->times);
	if (times == 0)
		return false;
	space = atomic_load(&attr->space);
	if (space > size) {
		atomic_fetch_sub(&attr->space, (int)size);
		return false;
	}
	interval = atomic_load(&attr->interval);
	if (interval > 1) {
		long c = atomic_fetch_add(&attr->count, 1) + 1;

		if (c % interval)
			return false;
	}
	if (prob < 100 && (uint32_t)prob <= fault_random_below(100))
		return false;
	printk("FAULT_INJECTION: forcing a failure.\n"
	       "name fail_page_alloc, interval %d, probability %d, space %d, times %d",
	       interval, prob, space, times);
	if (times != -1) {
		int t = atomic_load(&attr->times);

		while (t > 0 && !atomic_compare_exchange_weak(&attr->times, &t, t - 1))
			;
	}
	return true;
}

static __always_inline bool should_fail_alloc_page(gfp_t gfp_mask, unsigned int order)
{
	if (likely(atomic_load_explicit(&fail_page_alloc.probability, memory_order_relaxed) == 0))
		return false;
	return __should_fail_alloc_page(gfp_mask, order);
}

/* ============================================================ allocation */


static __always_inline struct zonelist *node_zonelist(int nid, gfp_t flags)
{
	return &NODE_DATA(nid)->node_zonelists[(flags & __GFP_THISNODE) ? ZONELIST_NOFALLBACK
								       : ZONELIST_FALLBACK];
}

static __always_inline bool zref_allowed(const struct zoneref *z, enum zone_type highest,
					 const unsigned long *nodemask)
{
	if (z->zone_idx > (int)highest)
		return false;
	if (nodemask && !(*nodemask & (1UL << z->zone->node)))
		return false;
	return true;
}

static __always_inline struct zoneref *first_zones_zonelist(struct zonelist *zonelist,
							    enum zone_type highest,
							    const unsigned long *nodemask)
{
	struct zoneref *z = zonelist->_zonerefs;

	while (z->zone && !zref_allowed(z, highest, nodemask))
		z++;
	return z;
}

static __always_inline unsigned int gfp_to_alloc_flags_fast(gfp_t gfp_mask)
{
	return (unsigned int)(gfp_mask & __GFP_KSWAPD_RECLAIM);	/* ALLOC_KSWAPD */
}

/* Forbid the first pass from falling back to types that fragment memory
 * while another local zone could serve the request. */
static __always_inline unsigned int alloc_flags_nofragment(const struct zoneref *zref, gfp_t gfp_mask)
{
	unsigned int alloc_flags = gfp_to_alloc_flags_fast(gfp_mask);
	struct zone *zone = zref->zone;

	if (!zone)
		return alloc_flags;
	if (zref->zone_idx != ZONE_NORMAL)	/* zone_idx(), without the division */
		return alloc_flags;
	if (nr_online_nodes > 1 && !populated_zone(zone - 1))
		return alloc_flags;
	return alloc_flags | ALLOC_NOFRAGMENT;
}

/*
 * The watermark test of get_page_from_freelist for one zone: above the high
 * watermark, or else (ZONE_BELOW_HIGH now set: the free path then shrinks
 * pcp high) above the watermark alloc_flags asks for.
 */
static __always_inline bool zone_allows_alloc(struct zone *zone, unsigned int order,
					      int highest_zoneidx, unsigned int alloc_flags,
					      gfp_t gfp_mask)
{
	if (!(__atomic_load_n(&zone->flags, __ATOMIC_RELAXED) & (1UL << ZONE_BELOW_HIGH))) {
		if (zone_watermark_fast(zone, order, high_wmark_pages(zone), highest_zoneidx,
					alloc_flags, gfp_mask))
			return true;
		__atomic_fetch_or(&zone->flags, 1UL << ZONE_BELOW_HIGH, __ATOMIC_RELAXED);
	}
	return zone_watermark_fast(zone, order, wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK),
				   highest_zoneidx, alloc_flags, gfp_mask);
}

static struct page *get_page_from_freelist(gfp_t gfp_mask, unsigned int order, int alloc_flags,
					   const struct alloc_context *ac)
{
	struct zoneref *z;
	struct zone *zone;
	bool no_fallback;

retry:
	no_fallback = alloc_flags & ALLOC_NOFRAGMENT;
	for (z = ac->preferred_zoneref; (zone = z->zone) != NULL; z++) {
		struct page *page;

		if (!zref_allowed(z, ac->highest_zoneidx, ac->nodemask))
			continue;
		if (unlikely(!zone->per_cpu_pageset))
			continue;
		/* With NOFRAGMENT, try the local node's zones first; a remote
		 * node is only worth fragmenting the local one for. */
		if (no_fallback && nr_online_nodes > 1 && zone != ac->preferred_zoneref->zone) {
			if (zone->node != ac->preferred_zoneref->zone->node) {
				alloc_flags &= ~ALLOC_NOFRAGMENT;
				goto retry;
			}
		}
		if (!zone_allows_alloc(zone, order, (int)ac->highest_zoneidx,
				       (unsigned int)alloc_flags, gfp_mask) &&
		    !(alloc_flags & ALLOC_NO_WATERMARKS))
			continue;	/* MMFS: no node_reclaim */
		page = rmqueue(ac->preferred_zoneref->zone, zone, order, gfp_mask,
			       (unsigned int)alloc_flags, ac->migratetype);
		if (page) {
			prep_new_page(page, order, gfp_mask, (unsigned int)alloc_flags);
			/* a high-order atomic allocation: should its pageblock
			 * be kept for more of them? */
			if (unlikely(alloc_flags & ALLOC_HIGHATOMIC))
				reserve_highatomic_pageblock(page, (int)order, zone);
			return page;
		}
	}
	/* It's possible on a UMA machine to get through all zones that are
	 * fragmented. If avoiding fragmentation, reset and try again. */
	if (no_fallback) {
		alloc_flags &= ~ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}

/* prep_new_page of an order-0 page with its hooks (init_on_alloc or
 * __GFP_ZERO, a stopped page_owner tick, the mm_page_alloc tracepoint) */
static noinline struct page *prep_new_page_hooked(struct page *page, gfp_t gfp, unsigned int alloc_flags)
{
	prep_new_page(page, 0, gfp, alloc_flags);
	trace_mm_page_alloc(page, 0, gfp, __gfp_migratetype(gfp));
	return page;
}

static noinline struct page *__alloc_pages_full(gfp_t gfp, unsigned int order, int preferred_nid,
						const unsigned long *nodemask);

/*
 * MMFS: the first pass of get_page_from_freelist for an order-0 request
 * without a nodemask, stopped at the preferred zone's pcp list: the same
 * checks in the same order (the zone's watermark and ZONE_BELOW_HIGH,
 * rmqueue_pcplist on this CPU, prep_new_page) with the alloc_context in
 * registers.  It calls nothing but in tail position, so it needs no stack
 * frame and saves only the registers its own work needs: whatever would
 * need a call first (the watermark's full test,
 * a CPU rseq does not give, another node's memory, a busy pcp, an empty
 * list to refill) goes to __alloc_pages_full, which starts the kernel's
 * path from the beginning, before anything has changed; the hooks after
 * the allocation finish in prep_new_page_hooked.
 */
static __always_inline struct page *alloc_pages_first_zone(gfp_t gfp, int preferred_nid)
{
	enum zone_type highest = gfp_zone_booted(gfp);
	struct zoneref *zref = first_zones_zonelist(node_zonelist(preferred_nid, gfp), highest, NULL);
	struct zone *zone = zref->zone;
	int migratetype = __gfp_migratetype(gfp);
	unsigned int alloc_flags, cpu;
	struct per_cpu_pages *pcp;
	struct list_head *list;
	struct page_owner *po;
	unsigned long mark;
	struct page *page;
	uint64_t wall;

	if (unlikely(!zone || !zone->per_cpu_pageset))
		goto full;
	alloc_flags = ALLOC_WMARK_LOW | alloc_flags_nofragment(zref, gfp);
	/* zone_allows_alloc */
	if (__atomic_load_n(&zone->flags, __ATOMIC_RELAXED) & (1UL << ZONE_BELOW_HIGH))
		mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);
	else
		mark = high_wmark_pages(zone);
	if (!zone_watermark_order0_quick(zone, zone_free_pages_fast(zone), mark, (int)highest, alloc_flags))
		goto full;
	/* rmqueue_pcplist, a local hit */
	cpu = rseq_cpu_id();
	if (unlikely(cpu >= nr_cpu_ids || zone->node != cpu_to_node((int)cpu)))
		goto full;
	pcp = pcp_spin_trylock(zone, cpu);
	if (unlikely(!pcp))
		goto full;
	list = &pcp->lists[order_to_pindex(migratetype, 0)];
	if (unlikely(list_empty(list))) {
		pcp_spin_unlock(pcp);
		goto full;
	}
	/* On allocation, reduce the number of pages batch-freed next. */
	pcp->free_count >>= 1;
	page = pcp_take_first(pcp, list, 0);
	pcp_count(&pcp->ev_pgalloc, 1);
	pcp_count(&pcp->ev_numa_local, 1);
	pcp_spin_unlock(pcp);
	rmqueue_boost_wakeup(zone, alloc_flags);
	/* prep_new_page: post_alloc_hook without a hook */
	po = __pfn_owner(page_to_pfn(page));
	wall = atomic_load_explicit(&mmfs_po_tick.wall_ns, memory_order_relaxed);
	if (unlikely(((gfp | INIT_ALWAYS) & init_on_alloc_gfp_mask) || !po || !wall ||
		     kmem_event_enabled(EV_MM_PAGE_ALLOC)))
		return prep_new_page_hooked(page, gfp, alloc_flags);
	page->private = 0;
	init_page_count(page);
	po_tick_mark_used();
	__set_page_owner_at(po, 0, gfp, wall);
	return page;
full:
	return __alloc_pages_full(gfp, 0, preferred_nid, NULL);
}

static unsigned int gfp_to_alloc_flags(gfp_t gfp_mask, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	/* __GFP_HIGH is ALLOC_MIN_RESERVE, __GFP_KSWAPD_RECLAIM is ALLOC_KSWAPD */
	alloc_flags |= (unsigned int)(gfp_mask & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM));
	if (!(gfp_mask & __GFP_DIRECT_RECLAIM)) {
		if (!(gfp_mask & __GFP_NOMEMALLOC)) {
			alloc_flags |= ALLOC_NON_BLOCK;
			/* the highatomic reserve is for __GFP_HIGH requests
			 * (GFP_ATOMIC), not every non-blocking one (6.18) */
			if (order > 0 && (alloc_flags & ALLOC_MIN_RESERVE))
				alloc_flags |= ALLOC_HIGHATOMIC;
		}
		if (alloc_flags & ALLOC_MIN_RESERVE)
			alloc_flags &= ~ALLOC_CPUSET;
	}
	/* MMFS: no realtime tasks (the kernel gives them ALLOC_MIN_RESERVE),
	 * no CMA (gfp_to_alloc_flags_cma) and no vm.defrag_mode (which would
	 * add ALLOC_NOFRAGMENT) */
	return alloc_flags;
}

static __always_inline unsigned int __gfp_pfmemalloc_flags(gfp_t gfp_mask)
{
	if (unlikely(gfp_mask & __GFP_NOMEMALLOC))
		return 0;
	if (gfp_mask & __GFP_MEMALLOC)
		return ALLOC_NO_WATERMARKS;
	return 0;
}

static void show_migration_types(unsigned char type, char *buf, size_t len, size_t *n)
{
	static const char types[MIGRATE_TYPES] = {
		[MIGRATE_UNMOVABLE] = 'U', [MIGRATE_MOVABLE] = 'M',
		[MIGRATE_RECLAIMABLE] = 'E', [MIGRATE_HIGHATOMIC] = 'H',
		[MIGRATE_ISOLATE] = 'I',
	};
	char tmp[MIGRATE_TYPES + 1];
	char *p = tmp;

	for (int i = 0; i < MIGRATE_TYPES; i++)
		if (type & (1 << i))
			*p++ = types[i];
	*p = '\0';
	*n += (size_t)snprintf(buf + *n, *n < len ? len - *n : 0, "(%s) ", tmp);
}

#define K(x) ((x) << (PAGE_SHIFT - 10))

/* show_free_areas: the per-zone part of the kernel's Mem-Info report. */
/* pcp->count of another CPU, for reports (racy read; locked under TSan) */
static int pcp_count_report(struct zone *zone, unsigned int cpu)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
	int count;

	if (!MMFS_TSAN)
		return load_relaxed(&pcp->count);
	spin_lock(&pcp->lock);
	count = pcp->count;
	spin_unlock(&pcp->lock);
	return count;
}

static void show_free_areas(void)
{
	struct zone *zone;
	int cpu = smp_processor_id();

	printk("Mem-Info:");
	for_each_populated_zone(zone) {
		unsigned long free_pcp = 0;
		int c;

		for_each_online_cpu(c)
			free_pcp += (unsigned long)pcp_count_report(zone, (unsigned int)c);
		printk("Node %d %s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB"
		       " reserved_highatomic:%luKB free_highatomic:%luKB active_anon:0kB"
		       " inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB"
		       " writepending:0kB zspages:0kB present:%lukB managed:%lukB mlocked:0kB"
		       " bounce:0kB free_pcp:%lukB local_pcp:%ukB free_cma:0kB",
		       zone->node, zone->name, K(zone_page_state(zone, NR_FREE_PAGES)),
		       K(zone->watermark_boost), K(min_wmark_pages(zone)),
		       K(low_wmark_pages(zone)), K(high_wmark_pages(zone)),
		       K(load_relaxed(&zone->nr_reserved_highatomic)),
		       K(load_relaxed(&zone->nr_free_highatomic)), K(zone->present_pages),
		       K(zone_managed_pages(zone)), K(free_pcp),
		       (unsigned int)K(pcp_count_report(zone, (unsigned int)cpu)));
		{
			char line[256];
			size_t n = 0;

			n += (size_t)snprintf(line, sizeof(line), "lowmem_reserve[]:");
			for (int i = 0; i < MAX_NR_ZONES; i++) {
				if (!zone_type_configured((enum zone_type)i))
					continue;
				n += (size_t)snprintf(line + n, n < sizeof(line) ? sizeof(line) - n : 0,
						      " %ld", zone->lowmem_reserve[i]);
			}
			printk("%s", line);
		}
	}
	for_each_populated_zone(zone) {
		unsigned long nr[MAX_ORDER], total = 0;
		unsigned char types[MAX_ORDER];
		char line[1024];
		size_t n = 0;

		spin_lock(&zone->lock);
		for (int order = 0; order < MAX_ORDER; order++) {
			struct free_area *area = &zone->free_area[order];

			nr[order] = area->nr_free;
			total += nr[order] << order;
			types[order] = 0;
			for (int type = 0; type < MIGRATE_TYPES; type++)
				if (!free_area_empty(area, type))
					types[order] |= (unsigned char)(1 << type);
		}
		spin_unlock(&zone->lock);
		n += (size_t)snprintf(line, sizeof(line), "Node %d %s: ", zone->node, zone->name);
		for (int order = 0; order < MAX_ORDER; order++) {
			n += (size_t)snprintf(line + n, n < sizeof(line) ? sizeof(line) - n : 0,
					      "%lu*%lukB ", nr[order], K(1UL) << order);
			if (nr[order])
				show_migration_types(types[order], line, sizeof(line), &n);
		}
		snprintf(line + min(n, sizeof(line)), n < sizeof(line) ? sizeof(line) - n : 0,
			 "= %lukB", K(total));
		printk("%s", line);
	}
}

/* __ratelimit(&nopage_rs): 10 reports per 5 s, then a count of the rest */
static bool warn_alloc_ratelimit(void)
{
	static pthread_mutex_t rs_lock = PTHREAD_MUTEX_INITIALIZER;
	static uint64_t begin;
	static int printed, missed;
	uint64_t now = mmfs_ktime_ns();
	bool ok;

	pthread_mutex_lock(&rs_lock);
	if (!begin || now - begin > 5000000000ull || now < begin) {
		if (missed)
			printk("warn_alloc: %d callbacks suppressed", missed);
		begin = now;
		printed = missed = 0;
	}
	ok = printed < 10;
	if (ok)
		printed++;
	else
		missed++;
	pthread_mutex_unlock(&rs_lock);
	return ok;
}

/**
 * warn_alloc - report a failed allocation in the kernel's words
 * @gfp_mask: the request's gfp
 * @nodemask: its nodemask (NULL = all)
 * @fmt: what failed
 */
void warn_alloc(gfp_t gfp_mask, const unsigned long *nodemask, const char *fmt, ...)
{
	char what[128], gfpbuf[256], nm[80];
	va_list ap;

	if (gfp_mask & __GFP_NOWARN)
		return;
	if (!warn_alloc_ratelimit())
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	gfp_format(gfp_mask, gfpbuf, sizeof(gfpbuf));
	if (nodemask) {
		/* %*pbl: ranges of set bits */
		size_t n = 0;
		int i = 0;

		nm[0] = '\0';
		while (i < MAX_NUMNODES) {
			if (!(*nodemask & (1UL << i))) {
				i++;
				continue;
			}
			int j = i;
			while (j + 1 < MAX_NUMNODES && (*nodemask & (1UL << (j + 1))))
				j++;
			if (j > i)
				n += (size_t)snprintf(nm + n, n < sizeof(nm) ? sizeof(nm) - n : 0, "%s%d-%d", n ? "," : "", i, j);
			else
				n += (size_t)snprintf(nm + n, n < sizeof(nm) ? sizeof(nm) - n : 0, "%s%d", n ? "," : "", i);
			i = j + 1;
		}
	} else {
		snprintf(nm, sizeof(nm), "(null)");
	}
	printk("%s: %s, mode:%#x(%s), nodemask=%s", current->comm, what, gfp_mask, gfpbuf, nm);
	show_free_areas();
}

/*
 * __alloc_pages_direct_reclaim - reclaim, then try again; an attempt that
 * still fails may be short of pages pinned on the per-cpu lists or held in
 * the highatomic reserve, so those go back first and it tries once more.
 *
 * MMFS: there is no reclaim (__perform_reclaim would find nothing to
 * free), so *@did_some_progress is 0.  Where the kernel stops without
 * progress, mmfs goes on to the drain: the pages on pcp lists are free
 * memory that the kernel's reclaim would have made room beside.  With no
 * reclaim in between, an attempt before the drain would repeat the
 * caller's failed one, so the drain comes first.  No PSI memstall.
 */
static struct page *__alloc_pages_direct_reclaim(gfp_t gfp_mask, unsigned int order,
						 unsigned int alloc_flags,
						 const struct alloc_context *ac,
						 unsigned long *did_some_progress)
{
	*did_some_progress = 0;
	unreserve_highatomic_pageblock(ac, false);
	drain_all_pages(NULL);
	return get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
}

/* Wake the kswapd of each node of the zonelist once, at its first
 * eligible zone.  MMFS: no defrag_mode (reclaim_order is order). */
static void wake_all_kswapds(unsigned int order, gfp_t gfp_mask, const struct alloc_context *ac)
{
	pg_data_t *last_pgdat = NULL;
	struct zoneref *z;

	for (z = ac->zonelist->_zonerefs; z->zone; z++) {
		if (!zref_allowed(z, ac->highest_zoneidx, ac->nodemask) || !managed_zone(z->zone))
			continue;
		if (last_pgdat == z->zone->zone_pgdat)
			continue;
		wakeup_kswapd(z->zone, gfp_mask, (int)order, ac->highest_zoneidx);
		last_pgdat = z->zone->zone_pgdat;
	}
}

/* include/linux/gfp.h: compaction needs __GFP_IO (the host has
 * CONFIG_COMPACTION) */
static inline bool gfp_compaction_allowed(gfp_t gfp_mask)
{
	return gfp_mask & __GFP_IO;
}

#define MAX_RECLAIM_RETRIES 16

/*
 * should_reclaim_retry - is another round of reclaim worth it?  Not after
 * MAX_RECLAIM_RETRIES rounds without progress, nor when no zone would meet
 * its min watermark even with every reclaimable page reclaimed; then the
 * highatomic reserve is given back before the allocation goes to the OOM
 * killer, and a block given back is a reason to retry.
 *
 * MMFS: nothing is reclaimable (zone_reclaimable_pages is 0), no cpuset
 * check, no reclaim_retry_zone tracepoint, nothing to sleep for.
 */
static bool should_reclaim_retry(gfp_t gfp_mask, unsigned int order, struct alloc_context *ac,
				 unsigned int alloc_flags, bool did_some_progress,
				 int *no_progress_loops)
{
	struct zoneref *z;
	struct zone *zone;
	bool ret = false;

	/* Costly allocations might have made progress without their order
	 * becoming available: they always count as making none. */
	if (did_some_progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops > MAX_RECLAIM_RETRIES)
		goto out;

	for (z = ac->zonelist->_zonerefs; (zone = z->zone) != NULL; z++) {
		unsigned long available;

		if (!zref_allowed(z, ac->highest_zoneidx, ac->nodemask))
			continue;
		/* would it succeed with everything reclaimable reclaimed? */
		available = zone_page_state_snapshot(zone, NR_FREE_PAGES);
		if (__zone_watermark_ok(zone, order, min_wmark_pages(zone), (int)ac->highest_zoneidx,
					alloc_flags, (long)available)) {
			ret = true;
			break;
		}
	}
out:
	/* Before OOM, exhaust the highatomic reserve */
	if (!ret)
		return unreserve_highatomic_pageblock(ac, true);
	return ret;
}

static noinline struct page *__alloc_pages_slowpath(gfp_t gfp_mask, unsigned int order,
						    struct alloc_context *ac)
{
	bool can_direct_reclaim = gfp_mask & __GFP_DIRECT_RECLAIM;
	bool can_compact = gfp_compaction_allowed(gfp_mask);
	const bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
	struct page *page = NULL;
	unsigned int alloc_flags;
	unsigned long did_some_progress;
	int no_progress_loops = 0;
	unsigned int reserve_flags;

	/* MMFS: no cpusets and no zonelist updates to race with, so no
	 * restart label (check_retry_cpuset, check_retry_zonelist). */

	/* The fast path's alloc_flags are conservative (kswapd is not woken
	 * before the low watermark): set them precisely now. */
	alloc_flags = gfp_to_alloc_flags(gfp_mask, order);
	ac->preferred_zoneref = first_zones_zonelist(ac->zonelist, ac->highest_zoneidx, ac->nodemask);
	if (!ac->preferred_zoneref->zone)
		goto nopage;
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp_mask, ac);

	/* The adjusted alloc_flags might result in immediate success. */
	page = get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	if (page)
		goto got_pg;
	/* MMFS: no direct compaction (the kernel tries it here first for
	 * costly and non-movable high-order requests, and a costly
	 * __GFP_NORETRY one it skips fails here). */

retry:
	/* kswapd must not go to sleep while we loop */
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp_mask, ac);
	reserve_flags = __gfp_pfmemalloc_flags(gfp_mask);
	if (reserve_flags)
		alloc_flags = reserve_flags | (alloc_flags & ALLOC_KSWAPD);
	/* High-priority requests may ignore the nodemask. */
	if (!(alloc_flags & ALLOC_CPUSET) || reserve_flags) {
		ac->nodemask = NULL;
		ac->preferred_zoneref = first_zones_zonelist(ac->zonelist, ac->highest_zoneidx,
							     ac->nodemask);
	}
	/* Attempt with potentially adjusted zonelist and alloc_flags */
	page = get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	if (page)
		goto got_pg;

	/* Caller is not willing to reclaim, we can't balance anything */
	if (!can_direct_reclaim)
		goto nopage;
	/* Try direct reclaim and then allocating (MMFS: no PF_MEMALLOC
	 * tasks, so no reclaim recursion to avoid) */
	page = __alloc_pages_direct_reclaim(gfp_mask, order, alloc_flags, ac, &did_some_progress);
	if (page)
		goto got_pg;
	/* MMFS: no direct compaction */

	/* Do not loop if specifically requested */
	if (gfp_mask & __GFP_NORETRY)
		goto nopage;
	/* Costly orders retry only with __GFP_RETRY_MAYFAIL, and if they can
	 * compact */
	if (costly_order && (!can_compact || !(gfp_mask & __GFP_RETRY_MAYFAIL)))
		goto nopage;
	if (should_reclaim_retry(gfp_mask, order, ac, alloc_flags, did_some_progress > 0,
				 &no_progress_loops))
		goto retry;
	/* MMFS: no compaction retry and no OOM killer: nothing else can
	 * make progress */

nopage:
	if (gfp_mask & __GFP_NOFAIL) {
		/* MMFS: the kernel would loop forever; we take one last
		 * attempt dipping into the min reserve, then fail loudly. */
		page = get_page_from_freelist(gfp_mask, order,
					      ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_WMARK_MIN, ac);
		if (page)
			goto got_pg;
	}
	warn_alloc(gfp_mask, ac->nodemask, "page allocation failure: order:%u", order);
got_pg:
	return page;
}

static __always_inline bool prepare_alloc_pages(gfp_t gfp_mask, unsigned int order,
						int preferred_nid, const unsigned long *nodemask,
						struct alloc_context *ac)
{
	ac->highest_zoneidx = gfp_zone_booted(gfp_mask);
	ac->zonelist = node_zonelist(preferred_nid, gfp_mask);
	ac->nodemask = nodemask;
	ac->migratetype = __gfp_migratetype(gfp_mask);
	if (should_fail_alloc_page(gfp_mask, order))
		return false;
	ac->spread_dirty_pages = false;
	ac->preferred_zoneref = first_zones_zonelist(ac->zonelist, ac->highest_zoneidx, ac->nodemask);
	return true;
}

/**
 * __alloc_pages - the page allocator's entry point
 * @gfp: GFP flags
 * @order: log2 of the block size in pages (< MAX_ORDER)
 * @preferred_nid: the node to allocate from first
 * @nodemask: allowed nodes (bit per node) or NULL
 *
 * Context: any; does not sleep.  Return: the head page of the block, or
 * NULL (after a warn_alloc report unless __GFP_NOWARN).
 */
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid,
			   const unsigned long *nodemask)
{
	/* the common case first: order 0, no nodemask, no fault injection */
	if (likely(order == 0 && !nodemask &&
		   (unsigned int)preferred_nid < (unsigned int)nr_online_nodes && mmfs_booted &&
		   !atomic_load_explicit(&fail_page_alloc.probability, memory_order_relaxed)))
		return alloc_pages_first_zone(gfp, preferred_nid);
	return __alloc_pages_full(gfp, order, preferred_nid, nodemask);
}

/* __alloc_pages, the kernel's whole path */
static noinline struct page *__alloc_pages_full(gfp_t gfp, unsigned int order, int preferred_nid,
						const unsigned long *nodemask)
{
	struct page *page;
	unsigned int alloc_flags = ALLOC_WMARK_LOW;
	struct alloc_context ac;

	if (unlikely(order >= MAX_ORDER)) {
		if (!(gfp & __GFP_NOWARN))
			mmfs_warn(__FILE__, __LINE__, "order >= MAX_ORDER");
		return NULL;
	}
	if (unlikely((unsigned int)preferred_nid >= (unsigned int)nr_online_nodes || !mmfs_booted))
		return NULL;
	if (unlikely(!prepare_alloc_pages(gfp, order, preferred_nid, nodemask, &ac))) {
		page = NULL;
		goto out;
	}
	alloc_flags |= alloc_flags_nofragment(ac.preferred_zoneref, gfp);

	/* First allocation attempt */
	page = get_page_from_freelist(gfp, order, (int)alloc_flags, &ac);
	if (likely(page))
		goto out;
	ac.spread_dirty_pages = false;
	ac.nodemask = nodemask;
	page = __alloc_pages_slowpath(gfp, order, &ac);
out:
	trace_mm_page_alloc(page, order, gfp, ac.migratetype);
	return page;
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	if (nid == NUMA_NO_NODE)
		nid = local_nid();
	return __alloc_pages(gfp, order, nid, NULL);
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return __alloc_pages(gfp, order, local_nid(), NULL);
}

/* Common helper functions.  Never use with __GFP_HIGHMEM because the
 * returned address cannot represent highmem pages. */
unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order)
{
	struct page *page;

	page = alloc_pages(gfp_mask & ~__GFP_HIGHMEM, order);
	if (!page)
		return 0;
	return (unsigned long)page_address(page);
}

unsigned long get_zeroed_page(gfp_t gfp_mask)
{
	return __get_free_pages(gfp_mask | __GFP_ZERO, 0);
}

/**
 * __free_pages - drop a reference to a block; free it when it was the last
 * @page: the block's head
 * @order: the block's order
 *
 * MMFS: a non-compound block whose reference is not the last stays whole
 * until its last put_page() (see mm.h), instead of freeing its tail pages.
 */
void __free_pages(struct page *page, unsigned int order)
{
	if (put_page_testzero(page)) {
		/* MMFS: order 0 as a constant: free_unref_page's inlined fast instance */
		if (likely(order == 0))
			free_unref_page(page, 0);
		else
			free_the_page(page, order);
	}
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr != 0)
		__free_pages(virt_to_page((void *)addr), order);
}

/* ========================================================= refcounts */

void get_page(struct page *page)
{
	page_ref_inc(compound_head(page));
}

static unsigned int block_order(struct page *head)
{
	struct page_owner *po;

	if (PageHead(head))
		return compound_order(head);
	po = get_page_owner(head);
	return po ? (unsigned int)po->order : 0;
}

void put_page(struct page *page)
{
	struct page *head = compound_head(page);

	if (put_page_testzero(head))
		free_the_page(head, block_order(head));
}

bool page_maybe_dma_pinned(struct page *page)
{
	struct page *head = compound_head(page);

	if (PageHead(head))
		return compound_pincount(head) > 0;
	return page_ref_count(head) >= GUP_PIN_COUNTING_BIAS;
}

/* ==================================================== drain */

/**
 * decay_pcp_high - lower @pcp's high toward high_min and give back what
 * then lies past it (refresh_cpu_vm_stats calls it once a second)
 * @zone: the zone of @pcp
 * @pcp: one CPU's pageset of @zone
 *
 * Context: no allocator lock held; takes pcp->lock, then zone->lock.
 * Return: true while there is more to decay or drain next time.
 */
bool decay_pcp_high(struct zone *zone, struct per_cpu_pages *pcp)
{
	int high_min, to_drain, to_drain_batched, batch;
	bool todo = false;

	/* MMFS: under pcp->lock throughout: the kernel runs this on the
	 * pcp's own CPU, between its pcp_spin_lock sections; here other host
	 * threads of that simulated CPU may be inside one */
	spin_lock(&pcp->lock);
	high_min = READ_ONCE(pcp->high_min);
	batch = READ_ONCE(pcp->batch);
	/*
	 * Decrease pcp->high periodically to try to free possible idle PCP
	 * pages.  And, avoid to free too many pages to control latency.
	 * This caps pcp->high decrement too.
	 */
	if (pcp->high > high_min) {
		pcp->high = max(max(pcp->count - (batch << CONFIG_PCP_BATCH_SCALE_MAX),
				    pcp->high - (pcp->high >> 3)), high_min);
		if (pcp->high > high_min)
			todo = true;
	}
	to_drain = pcp->count - pcp->high;
	while (to_drain > 0) {
		to_drain_batched = min(to_drain, batch);
		free_pcppages_bulk(zone, to_drain_batched, pcp, 0);
		todo = true;
		to_drain -= to_drain_batched;
	}
	spin_unlock(&pcp->lock);
	return todo;
}

static void drain_pages_zone(unsigned int cpu, struct zone *zone)
{
	struct per_cpu_pages *pcp;

	if (!zone->per_cpu_pageset)
		return;
	pcp = &zone->per_cpu_pageset[cpu];
	if (MMFS_TSAN || load_relaxed(&pcp->count)) {
		spin_lock(&pcp->lock);
		if (pcp->count)
			free_pcppages_bulk(zone, pcp->count, pcp, 0);
		spin_unlock(&pcp->lock);
	}
}

static void drain_pages(unsigned int cpu, struct zone *zone)
{
	struct zone *z;

	if (zone) {
		drain_pages_zone(cpu, zone);
		return;
	}
	for_each_populated_zone(z)
		drain_pages_zone(cpu, z);
}

/**
 * drain_local_pages - give this CPU's pcp pages back to the buddy lists
 * @zone: only this zone, or NULL for all
 */
void drain_local_pages(struct zone *zone)
{
	drain_pages((unsigned int)smp_processor_id(), zone);
}

/**
 * drain_all_pages - give every CPU's pcp pages back to the buddy lists
 * @zone: only this zone, or NULL for all
 */
void drain_all_pages(struct zone *zone)
{
	int cpu;

	if (!mmfs_booted)
		return;
	for_each_online_cpu(cpu)
		drain_pages((unsigned int)cpu, zone);
}

/* ============================================== checked entry points */

static pthread_mutex_t checked_lock = PTHREAD_MUTEX_INITIALIZER;

/**
 * mmfs_alloc_pages_checked - allocate for an untrusted caller
 * @gfp: gfp mask (validated)
 * @order: 0..MAX_ORDER-1
 * @nid: node, or NUMA_NO_NODE for the local one
 * @out: the head page
 *
 * Return: 0, -EINVAL (nothing changed) or -ENOMEM.
 */
int mmfs_alloc_pages_checked(gfp_t gfp, int order, int nid, struct page **out)
{
	struct page *page;

	if (!out || !mmfs_booted)
		return -EINVAL;
	if (order < 0 || order >= MAX_ORDER)
		return -EINVAL;
	if (gfp_check(gfp))
		return -EINVAL;
	if (nid != NUMA_NO_NODE && (nid < 0 || nid >= nr_online_nodes))
		return -EINVAL;
	if (nid == NUMA_NO_NODE)
		nid = local_nid();
	page = __alloc_pages(gfp, (unsigned int)order, nid, NULL);
	if (!page)
		return -ENOMEM;
	*out = page;
	return 0;
}

/* The head of an allocated block at @pfn that an outside caller may take
 * references on, or NULL. */
static struct page *checked_head(unsigned long pfn, struct page_owner **pop)
{
	struct page *page;
	struct page_owner *po;

	if (!mmfs_booted || !pfn_valid(pfn))
		return NULL;
	page = pfn_to_page(pfn);
	if (PageBuddy(page) || PageTail(page))
		return NULL;
	po = get_page_owner(page);
	if (!po)
		return NULL;
	if (page_ref_count(page) <= 0)
		return NULL;
	/* the slab's and the page tables' own pages are theirs to free:
	 * dropping a reference from outside would corrupt them */
	if (PageSlab(page) || PageTable(page) || po->kind == MMFS_OWNER_SLAB ||
	    po->kind == MMFS_OWNER_PGTABLE)
		return NULL;
	*pop = po;
	return page;
}

/**
 * mmfs_free_block - drop the owner's reference to the block at @pfn
 *
 * Return: 0, or -EINVAL if @pfn is not the head of an allocated block or
 * its owner already let go of it.
 */
int mmfs_free_block(unsigned long pfn)
{
	struct page_owner *po;
	struct page *page;
	int ret = -EINVAL;

	pthread_mutex_lock(&checked_lock);
	page = checked_head(pfn, &po);
	if (page && !po->owner_dropped) {
		po->owner_dropped = 1;
		__free_pages(page, (unsigned int)po->order);
		ret = 0;
	}
	pthread_mutex_unlock(&checked_lock);
	return ret;
}

/**
 * mmfs_get_page - take a reference on the allocated block at @pfn
 *
 * Return: 0 with the new count in *@refcount, or -EINVAL.
 */
int mmfs_get_page(unsigned long pfn, int *refcount)
{
	struct page_owner *po;
	struct page *page;
	int ret = -EINVAL;

	pthread_mutex_lock(&checked_lock);
	page = checked_head(pfn, &po);
	if (page && page_ref_count(page) < INT_MAX / 2) {
		get_page(page);
		po->user_refs++;
		if (refcount)
			*refcount = page_ref_count(page);
		ret = 0;
	}
	pthread_mutex_unlock(&checked_lock);
	return ret;
}

/**
 * mmfs_put_page - drop a reference taken by mmfs_get_page(), or else the
 * owner's own reference (as free_pages would); the block is freed at zero
 *
 * Return: 0, or -EINVAL if @pfn is not an allocated head or no such
 * reference is left (the rest belong to pins and the kernel).
 */
int mmfs_put_page(unsigned long pfn, int *refcount)
{
	struct page_owner *po;
	struct page *page;
	int ret = -EINVAL;

	pthread_mutex_lock(&checked_lock);
	page = checked_head(pfn, &po);
	/* a reference taken by mmfs_get_page, else the owner's own (once):
	 * never one of a pin, a kmap or the kernel */
	if (page && (po->user_refs > 0 || !po->owner_dropped)) {
		int after = page_ref_count(page) - 1;

		if (po->user_refs > 0)
			po->user_refs--;
		else
			po->owner_dropped = 1;
		put_page(page);
		if (refcount)
			*refcount = after;
		ret = 0;
	}
	pthread_mutex_unlock(&checked_lock);
	return ret;
}

/**
 * mmfs_kmap_block - kmap the allocated block at @pfn for an outside caller
 * @pfn: the head of a block mmfs_get_page() could take a reference on
 * @vaddr: out: the kernel address (the direct map, or a pkmap slot)
 *
 * MMFS: the kernel's kmap() takes no page reference (its caller holds one
 * for as long as the mapping lives).  Control's caller is a user who may
 * free_pages the block while it is kmapped, so each kmap taken here holds
 * a reference of its own, dropped by mmfs_kunmap_block(): the block (and
 * its pkmap slot) cannot outlive the means of letting them go.
 *
 * Return: 0, -EINVAL for a pfn with no such block, -EAGAIN when every pkmap
 * slot is in use.
 */
int mmfs_kmap_block(unsigned long pfn, unsigned long *vaddr)
{
	struct page_owner *po;
	struct page *page;
	int ret = -EINVAL;

	pthread_mutex_lock(&checked_lock);
	page = checked_head(pfn, &po);
	if (page && page_ref_count(page) < INT_MAX / 2) {
		ret = mmfs_kmap(pfn, vaddr);
		if (!ret) {
			get_page(page);
			po->kmap_refs++;
		}
	}
	pthread_mutex_unlock(&checked_lock);
	return ret;
}

/**
 * mmfs_kunmap_block - undo one mmfs_kmap_block() of @pfn
 * @refcount: out (may be NULL): the block's refcount after the put
 *
 * The block is freed here if that kmap held its last reference.
 * Return: 0, or -EINVAL if no kmap taken by mmfs_kmap_block() is left.
 */
int mmfs_kunmap_block(unsigned long pfn, int *refcount)
{
	struct page_owner *po;
	struct page *page;
	int ret = -EINVAL;

	pthread_mutex_lock(&checked_lock);
	page = checked_head(pfn, &po);
	if (page && po->kmap_refs > 0) {
		int after = page_ref_count(page) - 1;

		ret = mmfs_kunmap(pfn);
		if (!ret) {
			po->kmap_refs--;
			put_page(page);
			if (refcount)
				*refcount = after;
		}
	}
	pthread_mutex_unlock(&checked_lock);
	return ret;
}

/* ======================================================= boot and setup */

void zone_init_free_lists(struct zone *zone)
{
	unsigned int order, t;

	for (order = 0; order < MAX_ORDER; order++) {
		for (t = 0; t < MIGRATE_TYPES; t++)
			INIT_LIST_HEAD(&zone->free_area[order].free_list[t]);
		zone->free_area[order].nr_free = 0;
	}
	spin_lock_init(&zone->lock);
	zone->nr_reserved_highatomic = 0;
	zone->nr_free_highatomic = 0;
	zone->watermark_boost = 0;
	zone->flags = 0;
	gfp_zone_table_ready = false;
}

int zone_pcp_init(struct zone *zone)
{
	size_t sz = sizeof(struct per_cpu_pages) * nr_cpu_ids;
	struct per_cpu_pages *pcp;
	struct per_cpu_zonestat *zs;

	pcp = aligned_alloc(64, ALIGN(sz, 64));
	zs = aligned_alloc(64, ALIGN(sizeof(*zs) * nr_cpu_ids, 64));
	if (!pcp || !zs) {
		free(pcp);
		free(zs);
		return -ENOMEM;
	}
	memset(pcp, 0, sz);
	memset(zs, 0, sizeof(*zs) * nr_cpu_ids);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		spin_lock_init(&pcp[cpu].lock);
		for (int i = 0; i < NR_PCP_LISTS; i++)
			INIT_LIST_HEAD(&pcp[cpu].lists[i]);
		/* boot pageset: high 0, batch 1 (pcp disabled until setup) */
		pcp[cpu].high = pcp[cpu].high_min = pcp[cpu].high_max = 0;
		pcp[cpu].batch = 1;
	}
	zone->per_cpu_pageset = pcp;
	zone->per_cpu_zonestats = zs;
	return 0;
}

void __free_pages_core(struct page *page, unsigned int order)
{
	unsigned int nr_pages = 1u << order;
	struct page *p = page;
	unsigned int loop;

	for (loop = 0; loop < nr_pages; loop++, p++) {
		__ClearPageReserved(p);
		set_page_count(p, 0);
	}
	atomic_long_add((long)nr_pages, &page_zone(page)->managed_pages);
	/* Bypass the pcp and put fresh pages at the tail. */
	__free_pages_ok(page, order, FPI_TO_TAIL | FPI_MMFS_BOOT);
}

unsigned long nr_free_buffer_pages(void)
{
	struct zone *zone;
	unsigned long sum = 0;

	for_each_zone(zone) {
		unsigned long size, high;

		if (zone_idx(zone) > gfp_zone(GFP_USER))
			continue;
		size = zone_managed_pages(zone);
		high = high_wmark_pages(zone);
		if (size > high)
			sum += size - high;
	}
	return sum;
}

static bool zone_exists(const struct zone *zone)
{
	return zone_type_configured((enum zone_type)zone_idx(zone));
}

static void calculate_totalreserve_pages(void)
{
	unsigned long reserve_pages = 0;
	int nid;

	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		pgdat->totalreserve_pages = 0;
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = pgdat->node_zones + i;
			long max = 0;
			unsigned long managed_pages = zone_managed_pages(zone);

			for (int j = i; j < MAX_NR_ZONES; j++)
				if (zone->lowmem_reserve[j] > max)
					max = zone->lowmem_reserve[j];
			/* we treat the high watermark as reserved pages. */
			max += (long)high_wmark_pages(zone);
			if (max > (long)managed_pages)
				max = (long)managed_pages;
			pgdat->totalreserve_pages += (unsigned long)max;
			reserve_pages += (unsigned long)max;
		}
	}
	totalreserve_pages = reserve_pages;
}

static void setup_per_zone_lowmem_reserve(void)
{
	int nid;

	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		for (int i = 0; i < MAX_NR_ZONES - 1; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			int ratio = sysctl_lowmem_reserve_ratio[i];
			bool clear = !ratio || !zone_managed_pages(zone);
			unsigned long managed_pages = 0;

			for (int j = i + 1; j < MAX_NR_ZONES; j++) {
				managed_pages += zone_managed_pages(&pgdat->node_zones[j]);
				zone->lowmem_reserve[j] = clear ? 0 : (long)(managed_pages / (unsigned long)ratio);
			}
		}
	}
	calculate_totalreserve_pages();
}

static void __setup_per_zone_wmarks(void)
{
	unsigned long pages_min = (unsigned long)min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;
	struct zone *zone;

	for_each_zone(zone) {
		if (!zone_exists(zone))
			continue;
		if (!is_highmem(zone) && zone_idx(zone) != ZONE_MOVABLE)
			lowmem_pages += zone_managed_pages(zone);
	}
	for_each_zone(zone) {
		uint64_t tmp;
		unsigned long managed = zone_managed_pages(zone);

		if (!zone_exists(zone))
			continue;
		spin_lock(&zone->lock);
		tmp = (uint64_t)pages_min * managed;
		tmp = lowmem_pages ? tmp / lowmem_pages : 0;
		if (is_highmem(zone) || zone_idx(zone) == ZONE_MOVABLE) {
			/* __GFP_HIGH and PF_MEMALLOC rarely need these zones:
			 * a small fixed min */
			unsigned long min_pages = managed / 1024;

			min_pages = clamp(min_pages, SWAP_CLUSTER_MAX, 128UL);
			zone->_watermark[WMARK_MIN] = min_pages;
		} else {
			zone->_watermark[WMARK_MIN] = (unsigned long)tmp;
		}
		/* the kswapd distance: a scale factor of the zone, at least
		 * a quarter of min */
		tmp = max((uint64_t)(tmp >> 2),
			  (uint64_t)managed * (uint64_t)watermark_scale_factor / 10000);
		store_relaxed(&zone->watermark_boost, 0UL);	/* kswapd reads it unlocked */
		zone->_watermark[WMARK_LOW] = min_wmark_pages(zone) + (unsigned long)tmp;
		zone->_watermark[WMARK_HIGH] = low_wmark_pages(zone) + (unsigned long)tmp;
		zone->_watermark[WMARK_PROMO] = high_wmark_pages(zone) + (unsigned long)tmp;
		spin_unlock(&zone->lock);
	}
	calculate_totalreserve_pages();
}

/**
 * zone_batchsize - pcp batch of @zone: about 1/4 of a 1/1024 share, at most
 * 64 pages, rounded to 2^n - 1 (kernel-formats §7.4)
 */
int zone_batchsize(struct zone *zone)
{
	int batch;

	batch = (int)min(zone_managed_pages(zone) >> 10, (1UL << 20) / PAGE_SIZE);
	batch /= 4;
	if (batch < 1)
		batch = 1;
	batch = (int)rounddown_pow_of_two((unsigned long)(batch + batch / 2)) - 1;
	return batch;
}

/**
 * zone_highsize - pcp high of @zone for @high_fraction (0: low watermark
 * based), split across the CPUs of its node, at least 4 batches
 */
int zone_highsize(struct zone *zone, int batch, int cpu_online, int high_fraction)
{
	int high, nr_split_cpus;
	unsigned long total_pages;

	if (!high_fraction)
		total_pages = low_wmark_pages(zone);
	else
		total_pages = zone_managed_pages(zone) / (unsigned long)high_fraction;
	nr_split_cpus = (int)nr_cpus_node(zone->node) + cpu_online;
	if (!nr_split_cpus)
		nr_split_cpus = (int)num_online_cpus();
	high = (int)(total_pages / (unsigned long)nr_split_cpus);
	high = max(high, batch << 2);
	return high;
}

static void zone_set_pageset_high_and_batch(struct zone *zone, int cpu_online)
{
	int new_high_min, new_high_max, new_batch;
	int cpu;

	if (!zone->per_cpu_pageset)
		return;
	new_batch = max(1, zone_batchsize(zone));
	if (percpu_pagelist_high_fraction) {
		new_high_min = zone_highsize(zone, new_batch, cpu_online, percpu_pagelist_high_fraction);
		/* tuned by hand: no auto-tuning */
		new_high_max = new_high_min;
	} else {
		new_high_min = zone_highsize(zone, new_batch, cpu_online, 0);
		new_high_max = zone_highsize(zone, new_batch, cpu_online,
					     MIN_PERCPU_PAGELIST_HIGH_FRACTION);
	}
	for_each_possible_cpu(cpu) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		spin_lock(&pcp->lock);
		WRITE_ONCE(pcp->batch, new_batch);
		WRITE_ONCE(pcp->high_min, new_high_min);
		WRITE_ONCE(pcp->high_max, new_high_max);
		/* pcp->high stays: 0 until the CPU's first use clamps it
		 * (nr_pcp_alloc, nr_pcp_high), as the kernel's */
		spin_unlock(&pcp->lock);
	}
}

/**
 * setup_per_zone_wmarks - recompute min/low/high/promo of every zone from
 * min_free_kbytes and watermark_scale_factor, then totalreserve_pages and
 * the pcp high/batch that depend on them
 */
void setup_per_zone_wmarks(void)
{
	struct zone *zone;

	__setup_per_zone_wmarks();
	for_each_zone(zone)
		if (zone_exists(zone))
			zone_set_pageset_high_and_batch(zone, 0);
}

static void calculate_min_free_kbytes(void)
{
	unsigned long lowmem_kbytes;
	int new_min_free_kbytes;

	lowmem_kbytes = nr_free_buffer_pages() * (PAGE_SIZE >> 10);
	new_min_free_kbytes = (int)int_sqrt(lowmem_kbytes * 16);
	if (new_min_free_kbytes > user_min_free_kbytes)
		min_free_kbytes = clamp(new_min_free_kbytes, 128, 262144);
	else
		printk("min_free_kbytes is not updated to %d because user defined value %d is preferred",
		       new_min_free_kbytes, user_min_free_kbytes);
}

/* khugepaged's set_recommended_min_free_kbytes (mm/khugepaged.c) */
static void set_recommended_min_free_kbytes(void)
{
	struct zone *zone;
	int nr_zones = 0;
	unsigned long recommended_min;

	for_each_populated_zone(zone) {
		/* ZONE_MOVABLE has only movable pages: no fragmentation worry */
		if (zone_idx(zone) > gfp_zone(GFP_USER))
			continue;
		nr_zones++;
	}
	/* Ensure 2 pageblocks are free to assist fragmentation avoidance */
	recommended_min = pageblock_nr_pages * (unsigned long)nr_zones * 2;
	/* and on average two pageblocks per migratetype pair */
	recommended_min += pageblock_nr_pages * (unsigned long)nr_zones *
			   MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
	/* don't ever allow to reserve more than 5% of the lowmem */
	recommended_min = min(recommended_min, nr_free_buffer_pages() / 20);
	recommended_min <<= (PAGE_SHIFT - 10);
	if (recommended_min > (unsigned long)min_free_kbytes) {
		if (user_min_free_kbytes >= 0)
			printk("raising min_free_kbytes from %d to %lu to help transparent hugepage allocations",
			       min_free_kbytes, recommended_min);
		min_free_kbytes = (int)recommended_min;
	}
	setup_per_zone_wmarks();
}

void init_per_zone_wmark_min(void)
{
	init_gfp_zone_table();
	init_mem_debugging();

	if (mm_cfg.min_free_kbytes >= 0) {
		/* MMFS: min_free_kbytes= overrides the computed value entirely
		 * (khugepaged included), as SPEC §1 says */
		user_min_free_kbytes = min_free_kbytes = (int)min(mm_cfg.min_free_kbytes, (long)INT_MAX);
		setup_per_zone_wmarks();
		refresh_zone_stat_thresholds();
		setup_per_zone_lowmem_reserve();
		return;
	}
	calculate_min_free_kbytes();
	setup_per_zone_wmarks();
	refresh_zone_stat_thresholds();
	setup_per_zone_lowmem_reserve();
	if (mmfs_thp_enabled)
		set_recommended_min_free_kbytes();
}

void page_alloc_shutdown(void)
{
	struct zone *zone;

	for_each_zone(zone) {
		free(zone->per_cpu_pageset);
		free(zone->per_cpu_zonestats);
		zone->per_cpu_pageset = NULL;
		zone->per_cpu_zonestats = NULL;
	}
	/* the sysctls go back to their defaults for the next boot */
	min_free_kbytes = 1024;
	user_min_free_kbytes = -1;
	watermark_scale_factor = 10;
	watermark_boost_factor = 15000;
	sysctl_lowmem_reserve_ratio[ZONE_DMA] = 256;
	sysctl_lowmem_reserve_ratio[ZONE_DMA32] = 256;
	sysctl_lowmem_reserve_ratio[ZONE_NORMAL] = 32;
	sysctl_lowmem_reserve_ratio[ZONE_HIGHMEM] = 0;
	sysctl_lowmem_reserve_ratio[ZONE_MOVABLE] = 0;
	percpu_pagelist_high_fraction = 0;
	totalreserve_pages = 0;
	atomic_store(&fail_page_alloc.probability, 0);
	atomic_store(&fail_page_alloc.interval, 1);
	atomic_store(&fail_page_alloc.times, 1);
	atomic_store(&fail_page_alloc.space, 0);
	atomic_store(&fail_page_alloc.count, 0);
	gfp_zone_table_ready = false;
}

/* ============================================================ sysctls */

static pthread_mutex_t sysctl_lock = PTHREAD_MUTEX_INITIALIZER;

int mmfs_set_min_free_kbytes(long v)
{
	if (v < 0 || v > INT_MAX)
		return -EINVAL;
	pthread_mutex_lock(&sysctl_lock);
	min_free_kbytes = (int)v;
	user_min_free_kbytes = (int)v;
	if (mmfs_booted)
		setup_per_zone_wmarks();
	pthread_mutex_unlock(&sysctl_lock);
	return 0;
}

int mmfs_set_watermark_scale_factor(long v)
{
	if (v < 1 || v > 3000)
		return -EINVAL;
	pthread_mutex_lock(&sysctl_lock);
	watermark_scale_factor = (int)v;
	if (mmfs_booted)
		setup_per_zone_wmarks();
	pthread_mutex_unlock(&sysctl_lock);
	return 0;
}

int mmfs_set_watermark_boost_factor(long v)
{
	if (v < 0 || v > INT_MAX)
		return -EINVAL;
	WRITE_ONCE(watermark_boost_factor, (int)v);
	return 0;
}

/*
 * The sysctl lists one value per zone type that exists (DMA DMA32 Normal
 * [HighMem] Movable); @v holds up to that many, in that order.
 */
int mmfs_set_lowmem_reserve_ratio(const long *v, int n)
{
	int types[MAX_NR_ZONES], nt = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (zone_type_configured((enum zone_type)i))
			types[nt++] = i;
	if (!v || n < 1 || n > nt)
		return -EINVAL;
	for (int k = 0; k < n; k++)
		if (v[k] > INT_MAX || v[k] < INT_MIN)
			return -EINVAL;
	pthread_mutex_lock(&sysctl_lock);
	for (int k = 0; k < n; k++)
		sysctl_lowmem_reserve_ratio[types[k]] = v[k] < 1 ? 0 : (int)v[k];
	if (mmfs_booted)
		setup_per_zone_lowmem_reserve();
	pthread_mutex_unlock(&sysctl_lock);
	return 0;
}

int mmfs_set_percpu_pagelist_high_fraction(long v)
{
	struct zone *zone;

	if (v < 0 || v > INT_MAX || (v && v < MIN_PERCPU_PAGELIST_HIGH_FRACTION))
		return -EINVAL;
	pthread_mutex_lock(&sysctl_lock);
	percpu_pagelist_high_fraction = (int)v;
	if (mmfs_booted) {
		for_each_populated_zone(zone)
			zone_set_pageset_high_and_batch(zone, 0);
	}
	pthread_mutex_unlock(&sysctl_lock);
	return 0;
}

/* ===================================================== page flags names */

static const struct { unsigned long mask; const char *name; } pageflag_names[] = {
	{ 1UL << PG_locked, "locked" },
	{ 1UL << PG_waiters, "waiters" },
	{ 1UL << PG_error, "error" },
	{ 1UL << PG_referenced, "referenced" },
	{ 1UL << PG_uptodate, "uptodate" },
	{ 1UL << PG_dirty, "dirty" },
	{ 1UL << PG_lru, "lru" },
	{ 1UL << PG_active, "active" },
	{ 1UL << PG_workingset, "workingset" },
	{ 1UL << PG_slab, "slab" },
	{ 1UL << PG_owner_priv_1, "owner_priv_1" },
	{ 1UL << PG_arch_1, "arch_1" },
	{ 1UL << PG_reserved, "reserved" },
	{ 1UL << PG_private, "private" },
	{ 1UL << PG_private_2, "private_2" },
	{ 1UL << PG_writeback, "writeback" },
	{ 1UL << PG_head, "head" },
	{ 1UL << PG_mappedtodisk, "mappedtodisk" },
	{ 1UL << PG_reclaim, "reclaim" },
	{ 1UL << PG_swapbacked, "swapbacked" },
	{ 1UL << PG_unevictable, "unevictable" },
	{ 1UL << PG_mlocked, "mlocked" },
};

/**
 * page_flags_format - %pGp of @page: the flag names of page->flags, then
 * node= and zone= fields, then the page type (buddy, table, ...) if any
 *
 * Return: the length of the full text.
 */
int page_flags_format(const struct page *page, char *buf, size_t len)
{
	unsigned long flags = page->flags & PAGEFLAGS_MASK;
	size_t n = 0;
	bool first = true;

#define APPEND(...) do { int __r = snprintf(buf + min(n, len), n < len ? len - n : 0, __VA_ARGS__); \
			 if (__r > 0) n += (size_t)__r; } while (0)
	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(pageflag_names); i++) {
		if (!(flags & pageflag_names[i].mask))
			continue;
		APPEND("%s%s", first ? "" : "|", pageflag_names[i].name);
		first = false;
		flags &= ~pageflag_names[i].mask;
	}
	if (flags) {
		APPEND("%s%#lx", first ? "" : "|", flags);
		first = false;
	}
	APPEND("%snode=%d|zone=%d", first ? "" : "|", page_to_nid(page), (int)page_zonenum(page));
	if ((page->page_type & PAGE_TYPE_BASE) == PAGE_TYPE_BASE && page->page_type != 0xffffffffu) {
		if (PageBuddy(page))
			APPEND("|buddy");
		if (PageOffline(page))
			APPEND("|offline");
		if (PageTable(page))
			APPEND("|table");
		if (PageGuard(page))
			APPEND("|guard");
	}
#undef APPEND
	return (int)n;
}

/* ===================================================== debug helpers */

/* For debug.c's lookup and validate: where is a pcp page?  -1 if none.
 * Caller should have drained or accept a racy answer. */
int mmfs_pcp_find_page(const struct page *page, int *cpu_out)
{
	struct zone *zone = page_zone(page);

	if (!zone->per_cpu_pageset)
		return -1;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		struct page *p;
		int found = -1;

		spin_lock(&pcp->lock);
		for (int i = 0; i < NR_PCP_LISTS && found < 0; i++)
			list_for_each_entry(p, &pcp->lists[i], lru)
				if (p == page) {
					found = (int)pindex_to_order((unsigned int)i);
					break;
				}
		spin_unlock(&pcp->lock);
		if (found >= 0) {
			if (cpu_out)
				*cpu_out = (int)cpu;
			return found;
		}
	}
	return -1;
}

unsigned int mmfs_pcp_pindex_to_order(unsigned int pindex)
{
	return pindex_to_order(pindex);
}
