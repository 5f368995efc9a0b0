/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc.c - the /proc, /sys and debugfs files of the memory manager, as pure
 * renderers from mm state to text.  Mirrors, file by file:
 *
 *   buddyinfo, pagetypeinfo, zoneinfo, vmstat      mm/vmstat.c
 *   extfrag_index, unusable_index                  mm/vmstat.c (debugfs)
 *   meminfo                                        fs/proc/meminfo.c
 *   nodes/nodeN/{meminfo,cpulist,distance}         drivers/base/node.c
 *   kpageflags, kpagecount                         fs/proc/page.c
 *   page_owner                                     mm/page_owner.c
 *   iomem                                          kernel/resource.c
 *   sys/vm/                                        kernel/sysctl.c, mm/page_alloc.c,
 *                                                  fs/drop_caches.c, mm/compaction.c
 *   sys/kernel/fail_page_alloc/                    lib/fault-inject.c
 *
 * Every text file is built in one pass into a growing buffer (the seq_file
 * of the kernel): "walk under the lock, copy into a snapshot, unlock, then
 * format" so no allocation happens under a zone lock.
 *
 * Lock order: slab_mutex (page_owner holds it, through
 * mmfs_cache_for_each(), so that slab cache names stay valid) -> zone->lock,
 * one zone at a time, never nested.  fold_vm_stats(), drain_all_pages()
 * and the other slab entry points are called with no lock held.
 */
#include "proc.h"
#include "mm.h"
#include "slab.h"
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define K(pages)	((unsigned long)(pages) << (PAGE_SHIFT - 10))

/* ------------------------------------------------------------ the buffer */

/* struct pbuf - a seq_file: grows as text is printed, remembers ENOMEM. */
struct pbuf {
	char *buf;		/* NUL-terminated text */
	size_t len;		/* bytes of text */
	size_t cap;		/* bytes allocated */
	bool oom;		/* an allocation failed: the result is NULL */
};

static bool pb_reserve(struct pbuf *b, size_t more)
{
	size_t cap;
	char *nb;

	if (b->oom)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more + 1)
		cap *= 2;
	nb = realloc(b->buf, cap);
	if (!nb) {
		b->oom = true;
		return false;
	}
	b->buf = nb;
	b->cap = cap;
	return true;
}

static void __attribute__((format(printf, 2, 3))) pb_printf(struct pbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!pb_reserve(b, 128))
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		if (!pb_reserve(b, (size_t)n))
			return;
		va_start(ap, fmt);
		vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

static void pb_puts(struct pbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (!pb_reserve(b, n))
		return;
	memcpy(b->buf + b->len, s, n + 1);
	b->len += n;
}

/* Hand the text over (caller frees), or NULL with errno = ENOMEM. */
static char *pb_finish(struct pbuf *b, size_t *len)
{
	if (!pb_reserve(b, 0) || b->oom) {
		free(b->buf);
		errno = ENOMEM;
		return NULL;
	}
	b->buf[b->len] = '\0';
	if (len)
		*len = b->len;
	return b->buf;
}

static char *pb_enoent(struct pbuf *b)
{
	free(b->buf);
	errno = ENOENT;
	return NULL;
}

/* ---------------------------------------------------------- zone helpers */

/* Does this zone type exist in the configuration (as CONFIG_HIGHMEM etc.)? */
static bool proc_zone_configured(int t)
{
	if (t < 0 || t >= MAX_NR_ZONES)
		return false;
	return zone_type_configured((enum zone_type)t);
}

static int proc_nr_nodes(void)
{
	return nr_online_nodes < 0 ? 0 : min(nr_online_nodes, MAX_NUMNODES);
}

static pg_data_t *proc_pgdat(int nid)
{
	if (nid < 0 || nid >= proc_nr_nodes())
		return NULL;
	return NODE_DATA(nid);
}

static const char *proc_zone_name(const struct zone *zone, int idx)
{
	if (zone->name)
		return zone->name;
	return zone_names[idx] ? zone_names[idx] : "?";
}

static bool node_has_memory(const pg_data_t *pgdat)
{
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		if (proc_zone_configured(i) && populated_zone(&pgdat->node_zones[i]))
			return true;
	return false;
}

/* is_zone_first_populated() of mm/vmstat.c */
static bool is_zone_first_populated(const pg_data_t *pgdat, const struct zone *zone)
{
	int zid;

	for (zid = 0; zid < MAX_NR_ZONES; zid++) {
		const struct zone *compare = &pgdat->node_zones[zid];

		if (proc_zone_configured(zid) && populated_zone(compare))
			return zone == compare;
	}
	return false;
}

static unsigned long promo_wmark(const struct zone *z)
{
	return z->_watermark[WMARK_PROMO] + z->watermark_boost;
}

/* Counts of one zone's free lists, copied under zone->lock. */
struct free_snapshot {
	unsigned long nr_free[MAX_ORDER];
	unsigned long per_type[MIGRATE_TYPES][MAX_ORDER];
	bool overflow[MIGRATE_TYPES][MAX_ORDER];
};

/*
 * Copy the free-list counts of @zone; with @walk_lists also count every
 * migratetype list (capped at 100000 entries as pagetypeinfo does, and
 * like it taking zone->lock once per order, not across the whole walk).
 */
static void snapshot_free_area(struct zone *zone, struct free_snapshot *s, bool walk_lists)
{
	unsigned long flags = 0;
	int order, mt;

	memset(s, 0, sizeof(*s));
	if (!walk_lists) {
		spin_lock_irqsave(&zone->lock, flags);
		for (order = 0; order < MAX_ORDER; order++)
			s->nr_free[order] = READ_ONCE(zone->free_area[order].nr_free);
		spin_unlock_irqrestore(&zone->lock, flags);
		return;
	}
	for (order = 0; order < MAX_ORDER; order++) {
		struct free_area *area = &zone->free_area[order];

		spin_lock_irqsave(&zone->lock, flags);
		s->nr_free[order] = READ_ONCE(area->nr_free);
		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *curr;
			unsigned long freecount = 0;

			if (!area->free_list[mt].next)	/* never initialised */
				continue;
			list_for_each(curr, &area->free_list[mt]) {
				if (++freecount >= 100000) {
					s->overflow[mt][order] = true;
					break;
				}
			}
			s->per_type[mt][order] = freecount;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
}

/* --------------------------------------------------------------- buddyinfo */

static void buddyinfo_show(struct pbuf *b)
{
	int nid, zid, order;

	for (nid = 0; nid < proc_nr_nodes(); nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (!pgdat)
			continue;
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &pgdat->node_zones[zid];
			struct free_snapshot s;

			if (!proc_zone_configured(zid) || !populated_zone(zone))
				continue;
			snapshot_free_area(zone, &s, false);
			pb_printf(b, "Node %d, zone %8s ", pgdat->node_id, proc_zone_name(zone, zid));
			for (order = 0; order < MAX_ORDER; order++)
				pb_printf(b, "%6lu ", s.nr_free[order]);
			pb_puts(b, "\n");
		}
	}
}

/* ------------------------------------------------------------ pagetypeinfo */

static void pagetypeinfo_showblockcount_print(struct pbuf *b, pg_data_t *pgdat,
					      struct zone *zone, int zid)
{
	unsigned long count[MIGRATE_TYPES] = { 0 };
	unsigned long pfn, end_pfn = zone_end_pfn(zone);
	int mt;

	for (pfn = zone->zone_start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages) {
		struct page *page;

		if (!pfn_valid(pfn))
			continue;
		page = pfn_to_page(pfn);
		if (!page || page_zone(page) != zone)
			continue;
		mt = get_pageblock_migratetype(page);
		if (mt >= 0 && mt < MIGRATE_TYPES)
			count[mt]++;
	}
	pb_printf(b, "Node %d, zone %8s ", pgdat->node_id, proc_zone_name(zone, zid));
	for (mt = 0; mt < MIGRATE_TYPES; mt++)
		pb_printf(b, "%12lu ", count[mt]);
	pb_puts(b, "\n");
}

static void pagetypeinfo_show(struct pbuf *b)
{
	int nid, zid, order, mt;

	for (nid = 0; nid < proc_nr_nodes(); nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (!pgdat || !node_has_memory(pgdat))
			continue;
		pb_printf(b, "Page block order: %d\n", pageblock_order);
		pb_printf(b, "Pages per block:  %lu\n", pageblock_nr_pages);
		pb_puts(b, "\n");

		/* pagetypeinfo_showfree */
		pb_printf(b, "%-43s ", "Free pages count per migrate type at order");
		for (order = 0; order < MAX_ORDER; order++)
			pb_printf(b, "%6d ", order);
		pb_puts(b, "\n");
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &pgdat->node_zones[zid];
			struct free_snapshot s;

			if (!proc_zone_configured(zid) || !populated_zone(zone))
				continue;
			snapshot_free_area(zone, &s, true);
			for (mt = 0; mt < MIGRATE_TYPES; mt++) {
				pb_printf(b, "Node %4d, zone %8s, type %12s ", pgdat->node_id,
					  proc_zone_name(zone, zid), migratetype_names[mt]);
				for (order = 0; order < MAX_ORDER; order++)
					pb_printf(b, "%s%6lu ", s.overflow[mt][order] ? ">" : "",
						  s.per_type[mt][order]);
				pb_puts(b, "\n");
			}
		}

		/* pagetypeinfo_showblockcount */
		pb_printf(b, "\n%-23s", "Number of blocks type ");
		for (mt = 0; mt < MIGRATE_TYPES; mt++)
			pb_printf(b, "%12s ", migratetype_names[mt]);
		pb_puts(b, "\n");
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &pgdat->node_zones[zid];

			if (!proc_zone_configured(zid) || !populated_zone(zone))
				continue;
			pagetypeinfo_showblockcount_print(b, pgdat, zone, zid);
		}
		/* MMFS: no "Number of mixed blocks" section (needs page_owner's
		 * per-pfn walk of every block; the kernel prints it only with
		 * CONFIG_PAGE_OWNER enabled at boot). */
	}
}

/* ---------------------------------------------------------------- zoneinfo */

/* One zone's numbers, copied under zone->lock. */
struct zone_snapshot {
	unsigned long free, boost, min, low, high, promo;
	unsigned long spanned, present, managed, start_pfn;
	long protection[MAX_NR_ZONES];
	unsigned long stat[NR_VM_ZONE_STAT_ITEMS];
	unsigned long numa[NR_VM_NUMA_EVENT_ITEMS];
	bool populated;
};

static void snapshot_zone(struct zone *zone, struct zone_snapshot *s)
{
	unsigned long flags = 0;
	int i;

	spin_lock_irqsave(&zone->lock, flags);
	s->free = zone_page_state(zone, NR_FREE_PAGES);
	s->boost = zone->watermark_boost;
	s->min = min_wmark_pages(zone);
	s->low = low_wmark_pages(zone);
	s->high = high_wmark_pages(zone);
	s->promo = promo_wmark(zone);
	s->spanned = zone->spanned_pages;
	s->present = zone->present_pages;
	s->managed = zone_managed_pages(zone);
	s->start_pfn = zone->zone_start_pfn;
	for (i = 0; i < MAX_NR_ZONES; i++)
		s->protection[i] = zone->lowmem_reserve[i];
	s->populated = populated_zone(zone);
	for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		s->stat[i] = zone_page_state(zone, (enum zone_stat_item)i);
	for (i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		s->numa[i] = zone_numa_event_state(zone, (enum numa_stat_item)i);
	spin_unlock_irqrestore(&zone->lock, flags);
}

/* "(a, b, c)" or "a b c" over the configured zone types. */
static void print_protection(struct pbuf *b, const long *prot, const char *sep)
{
	bool first = true;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++) {
		if (!proc_zone_configured(i))
			continue;
		pb_printf(b, "%s%ld", first ? "" : sep, prot[i]);
		first = false;
	}
}

static void zoneinfo_show_print(struct pbuf *b, pg_data_t *pgdat, struct zone *zone, int zid)
{
	struct zone_snapshot s;
	int i, cpu;

	snapshot_zone(zone, &s);
	pb_printf(b, "Node %d, zone %8s", pgdat->node_id, proc_zone_name(zone, zid));
	if (is_zone_first_populated(pgdat, zone)) {
		pb_puts(b, "\n  per-node stats");
		for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
			if (node_stat_names[i])
				pb_printf(b, "\n      %-12s %lu", node_stat_names[i],
					  node_page_state(pgdat, (enum node_stat_item)i));
	}
	pb_printf(b,
		  "\n  pages free     %lu"
		  "\n        boost    %lu"
		  "\n        min      %lu"
		  "\n        low      %lu"
		  "\n        high     %lu"
		  "\n        promo    %lu"
		  "\n        spanned  %lu"
		  "\n        present  %lu"
		  "\n        managed  %lu"
		  "\n        cma      %lu",
		  s.free, s.boost, s.min, s.low, s.high, s.promo,
		  s.spanned, s.present, s.managed, 0UL);
	pb_puts(b, "\n        protection: (");
	print_protection(b, s.protection, ", ");
	pb_puts(b, ")");

	/* If unpopulated, no other information is useful */
	if (!s.populated) {
		pb_puts(b, "\n");
		return;
	}

	for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		if (zone_stat_names[i])
			pb_printf(b, "\n      %-12s %lu", zone_stat_names[i], s.stat[i]);
	for (i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		if (numa_stat_names[i])
			pb_printf(b, "\n      %-12s %lu", numa_stat_names[i], s.numa[i]);

	pb_puts(b, "\n  pagesets");
	for_each_online_cpu(cpu) {
		struct per_cpu_pages *pcp = zone->per_cpu_pageset ? &zone->per_cpu_pageset[cpu] : NULL;
		struct per_cpu_zonestat *pzstats =
			zone->per_cpu_zonestats ? &zone->per_cpu_zonestats[cpu] : NULL;

		pb_printf(b,
			  "\n    cpu: %i"
			  "\n              count:    %i"
			  "\n              high:     %i"
			  "\n              batch:    %i"
			  "\n              high_min: %i"
			  "\n              high_max: %i",
			  cpu,
			  pcp ? READ_ONCE(pcp->count) : 0,
			  pcp ? READ_ONCE(pcp->high) : 0,
			  pcp ? READ_ONCE(pcp->batch) : 0,
			  pcp ? READ_ONCE(pcp->high_min) : 0,
			  pcp ? READ_ONCE(pcp->high_max) : 0);
		pb_printf(b, "\n  vm stats threshold: %d",
			  pzstats ? READ_ONCE(pzstats->stat_threshold) : 0);
	}
	/* MMFS: kswapd keeps no kswapd_failures (mm/vmscan.c), so a node never
	 * becomes unreclaimable */
	pb_printf(b,
		  "\n  node_unreclaimable:  %u"
		  "\n  start_pfn:           %lu",
		  0u, s.start_pfn);
	pb_puts(b, "\n");
}

static void zoneinfo_show(struct pbuf *b)
{
	int nid, zid;

	for (nid = 0; nid < proc_nr_nodes(); nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (!pgdat)
			continue;
		/* every zone, populated or not: protection shows lowmem_reserve_ratio */
		for (zid = 0; zid < MAX_NR_ZONES; zid++)
			if (proc_zone_configured(zid))
				zoneinfo_show_print(b, pgdat, &pgdat->node_zones[zid], zid);
	}
}

/* ------------------------------------------------------------------ vmstat */

/* sum of NR_FREE_PAGES etc. over the zones of one node */
static unsigned long sum_zone_node_page_state(int nid, enum zone_stat_item item)
{
	pg_data_t *pgdat = proc_pgdat(nid);
	unsigned long count = 0;
	int i;

	if (!pgdat)
		return 0;
	for (i = 0; i < MAX_NR_ZONES; i++)
		if (proc_zone_configured(i))
			count += zone_page_state(&pgdat->node_zones[i], item);
	return count;
}

/*
 * global_dirty_limits() with the default vm.dirty_ratio 20 and
 * vm.dirty_background_ratio 10 over global_dirtyable_memory().
 */
static void global_dirty_limits(unsigned long *pbackground, unsigned long *pdirty)
{
	unsigned long x = global_zone_page_state(NR_FREE_PAGES);
	unsigned long thresh, bg;

	x -= min(x, totalreserve_pages);
	x += global_node_page_state(NR_INACTIVE_FILE);
	x += global_node_page_state(NR_ACTIVE_FILE);
	x += 1;		/* ensure non-zero */
	thresh = x * 20 / 100;
	bg = x * 10 / 100;
	if (bg >= thresh)
		bg = thresh / 2;
	*pbackground = bg;
	*pdirty = thresh;
}

/* Vm events of zones this configuration does not have (pgalloc_high ...) */
static bool vm_event_hidden(int i)
{
	if (i >= PGALLOC_DMA && i <= PGALLOC_MOVABLE)
		return !proc_zone_configured(i - PGALLOC_DMA);
	if (i >= ALLOCSTALL_DMA && i <= ALLOCSTALL_MOVABLE)
		return !proc_zone_configured(i - ALLOCSTALL_DMA);
	return false;
}

static void vmstat_show(struct pbuf *b)
{
	unsigned long events[NR_VM_EVENT_ITEMS];
	unsigned long bg, dirty;
	int i;

	for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		if (zone_stat_names[i])
			pb_printf(b, "%s %lu\n", zone_stat_names[i],
				  global_zone_page_state((enum zone_stat_item)i));
	for (i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		if (numa_stat_names[i])
			pb_printf(b, "%s %lu\n", numa_stat_names[i],
				  global_numa_event_state((enum numa_stat_item)i));
	for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		if (node_stat_names[i])
			pb_printf(b, "%s %lu\n", node_stat_names[i],
				  global_node_page_state((enum node_stat_item)i));

	/* enum vm_stat_item: the system-wide ones */
	global_dirty_limits(&bg, &dirty);
	pb_printf(b, "nr_dirty_threshold %lu\n", dirty);
	pb_printf(b, "nr_dirty_background_threshold %lu\n", bg);
	/* MMFS: the whole memmap is allocated at boot (memblock), none later */
	pb_printf(b, "nr_memmap_pages %lu\n", 0UL);
	pb_printf(b, "nr_memmap_boot_pages %lu\n",
		  (unsigned long)DIV_ROUND_UP(mmfs_arena.memmap_bytes, PAGE_SIZE));

	memset(events, 0, sizeof(events));
	all_vm_events(events);
	for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
		if (vm_event_names[i] && !vm_event_hidden(i))
			pb_printf(b, "%s %lu\n", vm_event_names[i], events[i]);

	/* deprecated counters kept for userspace */
	pb_puts(b, "nr_unstable 0\n");
}

/* ----------------------------------------------------------------- meminfo */

/* si_mem_available() of mm/show_mem.c, in pages */
static long si_mem_available(void)
{
	unsigned long pagecache, wmark_low = 0, reclaimable;
	long available;
	int nid, zid;

	for (nid = 0; nid < proc_nr_nodes(); nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (!pgdat)
			continue;
		for (zid = 0; zid < MAX_NR_ZONES; zid++)
			if (proc_zone_configured(zid))
				wmark_low += low_wmark_pages(&pgdat->node_zones[zid]);
	}

	/* free pages minus the reserves the kernel will not hand out */
	available = (long)global_zone_page_state(NR_FREE_PAGES) - (long)totalreserve_pages;

	/* half the page cache, or the low watermark, must stay */
	pagecache = global_node_page_state(NR_ACTIVE_FILE) +
		    global_node_page_state(NR_INACTIVE_FILE);
	pagecache -= min(pagecache / 2, wmark_low);
	available += (long)pagecache;

	/* likewise for reclaimable kernel memory */
	reclaimable = global_node_page_state(NR_SLAB_RECLAIMABLE_B) +
		      global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE);
	available += (long)(reclaimable - min(reclaimable / 2, wmark_low));

	if (available < 0)
		available = 0;
	return available;
}

/* Physical RAM ranges [start, end) in pfns, as e820 would list them. */
struct ram_range { unsigned long start, end; };

static int ram_ranges(struct ram_range *r, int max)
{
	unsigned long pfn = 0;
	int n = 0;

	while (pfn < max_pfn && n < max) {
		unsigned long start;

		while (pfn < max_pfn && !pfn_valid(pfn))
			pfn++;
		if (pfn >= max_pfn)
			break;
		start = pfn;
		while (pfn < max_pfn && pfn_valid(pfn))
			pfn++;
		r[n].start = start;
		r[n].end = pfn;
		n++;
	}
	return n;
}

/* First pfn of HighMem (not in the direct map), or max_pfn without it. */
static unsigned long highmem_start_pfn(void)
{
	unsigned long start = max_pfn;
	int nid;

	for (nid = 0; nid < proc_nr_nodes(); nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);
		struct zone *zone;

		if (!pgdat || !proc_zone_configured(ZONE_HIGHMEM))
			continue;
		zone = &pgdat->node_zones[ZONE_HIGHMEM];
		if (populated_zone(zone))
			start = min(start, zone->zone_start_pfn);
	}
	return start;
}

/*
 * DirectMap4k/2M/1G: the kernel maps RAM with the largest pages that fit
 * (split_mem_range): 1G where aligned, 2M where aligned, 4k elsewhere.
 */
static void direct_map_sizes(unsigned long *k4, unsigned long *m2, unsigned long *g1)
{
	struct ram_range r[MMFS_MAX_RANGES * 4];
	const unsigned long p2m = 512, p1g = 512 * 512;
	unsigned long high = highmem_start_pfn();	/* highmem is not direct-mapped */
	int n, i;

	*k4 = *m2 = *g1 = 0;
	n = ram_ranges(r, (int)ARRAY_SIZE(r));
	for (i = 0; i < n; i++) {
		unsigned long s = r[i].start, e = min(r[i].end, high), bnd;

		while (s < e) {
			if (!(s & (p1g - 1)) && s + p1g <= e) {
				*g1 += p1g;
				s += p1g;
			} else if (!(s & (p2m - 1)) && s + p2m <= e) {
				*m2 += p2m;
				s += p2m;
			} else {
				bnd = min(e, ALIGN(s + 1, p2m));
				*k4 += bnd - s;
				s = bnd;
			}
		}
	}
}

/* Percpu: what the per-cpu pagesets and zone counters take */
static unsigned long percpu_pages(void)
{
	unsigned long bytes = 0;
	int nid, zid;

	for (nid = 0; nid < proc_nr_nodes(); nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (!pgdat)
			continue;
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &pgdat->node_zones[zid];

			if (zone->per_cpu_pageset)
				bytes += sizeof(struct per_cpu_pages) * nr_cpu_ids;
			if (zone->per_cpu_zonestats)
				bytes += sizeof(struct per_cpu_zonestat) * nr_cpu_ids;
		}
	}
	return DIV_ROUND_UP(bytes, PAGE_SIZE);
}

/* show_val_kb(): label padded to 16, value in 8 columns */
static void show_val_kb(struct pbuf *b, const char *label, unsigned long pages)
{
	pb_printf(b, "%-16s%8lu kB\n", label, K(pages));
}

struct sysinfo_mm {
	unsigned long totalram, freeram, totalhigh, freehigh;
};

/* si_meminfo() / si_meminfo_node(): managed and free pages, high part */
static void si_meminfo_node(int nid, struct sysinfo_mm *i)
{
	int n, zid;

	memset(i, 0, sizeof(*i));
	for (n = 0; n < proc_nr_nodes(); n++) {
		pg_data_t *pgdat = NODE_DATA(n);

		if (!pgdat || (nid >= 0 && n != nid))
			continue;
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &pgdat->node_zones[zid];
			unsigned long managed, free;

			if (!proc_zone_configured(zid))
				continue;
			managed = zone_managed_pages(zone);
			free = zone_page_state(zone, NR_FREE_PAGES);
			i->totalram += managed;
			i->freeram += free;
			if (is_highmem_idx((enum zone_type)zid)) {
				i->totalhigh += managed;
				i->freehigh += free;
			}
		}
	}
}

static void meminfo_show(struct pbuf *b)
{
	struct sysinfo_mm i;
	unsigned long pages[NR_LRU_BASE + 5];
	unsigned long sreclaimable, sunreclaim, committed = 0, k4, m2, g1;
	long available;
	int lru;

	si_meminfo_node(-1, &i);
	available = si_mem_available();
	for (lru = NR_LRU_BASE; lru < NR_LRU_BASE + 5; lru++)
		pages[lru] = global_node_page_state((enum node_stat_item)lru);
	sreclaimable = global_node_page_state(NR_SLAB_RECLAIMABLE_B);
	sunreclaim = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);

	show_val_kb(b, "MemTotal:", i.totalram);
	show_val_kb(b, "MemFree:", i.freeram);
	show_val_kb(b, "MemAvailable:", (unsigned long)available);
	/* MMFS: no block devices and no page cache */
	show_val_kb(b, "Buffers:", 0);
	show_val_kb(b, "Cached:", 0);
	show_val_kb(b, "SwapCached:", 0);
	show_val_kb(b, "Active:", pages[NR_ACTIVE_ANON] + pages[NR_ACTIVE_FILE]);
	show_val_kb(b, "Inactive:", pages[NR_INACTIVE_ANON] + pages[NR_INACTIVE_FILE]);
	show_val_kb(b, "Active(anon):", pages[NR_ACTIVE_ANON]);
	show_val_kb(b, "Inactive(anon):", pages[NR_INACTIVE_ANON]);
	show_val_kb(b, "Active(file):", pages[NR_ACTIVE_FILE]);
	show_val_kb(b, "Inactive(file):", pages[NR_INACTIVE_FILE]);
	show_val_kb(b, "Unevictable:", pages[NR_UNEVICTABLE]);
	show_val_kb(b, "Mlocked:", global_zone_page_state(NR_MLOCK));
	if (proc_zone_configured(ZONE_HIGHMEM)) {	/* CONFIG_HIGHMEM */
		show_val_kb(b, "HighTotal:", i.totalhigh);
		show_val_kb(b, "HighFree:", i.freehigh);
		show_val_kb(b, "LowTotal:", i.totalram - i.totalhigh);
		show_val_kb(b, "LowFree:", i.freeram - i.freehigh);
	}
	show_val_kb(b, "SwapTotal:", 0);
	show_val_kb(b, "SwapFree:", 0);
	show_val_kb(b, "Zswap:", 0);
	show_val_kb(b, "Zswapped:", 0);
	show_val_kb(b, "Dirty:", global_node_page_state(NR_FILE_DIRTY));
	show_val_kb(b, "Writeback:", global_node_page_state(NR_WRITEBACK));
	show_val_kb(b, "AnonPages:", global_node_page_state(NR_ANON_MAPPED));
	show_val_kb(b, "Mapped:", global_node_page_state(NR_FILE_MAPPED));
	show_val_kb(b, "Shmem:", global_node_page_state(NR_SHMEM));
	show_val_kb(b, "KReclaimable:", sreclaimable +
		    global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE));
	show_val_kb(b, "Slab:", sreclaimable + sunreclaim);
	show_val_kb(b, "SReclaimable:", sreclaimable);
	show_val_kb(b, "SUnreclaim:", sunreclaim);
	pb_printf(b, "%-16s%8lu kB\n", "KernelStack:", global_node_page_state(NR_KERNEL_STACK_KB));
	show_val_kb(b, "PageTables:", global_node_page_state(NR_PAGETABLE));
	show_val_kb(b, "SecPageTables:", global_node_page_state(NR_SEC_PAGETABLE));
	show_val_kb(b, "NFS_Unstable:", 0);
	show_val_kb(b, "Bounce:", global_zone_page_state(NR_BOUNCE));
	show_val_kb(b, "WritebackTmp:", 0);
	/* vm_commit_limit(): overcommit_ratio 50, no swap, no hugetlb pool */
	show_val_kb(b, "CommitLimit:", i.totalram * 50 / 100);
	/* MMFS: no overcommit accounting (no anonymous mappings) */
	show_val_kb(b, "Committed_AS:", committed);
#if CONFIG_PGTABLE_LEVELS == 5
	pb_printf(b, "%-16s%8lu kB\n", "VmallocTotal:", 13743895347199UL);
#else
	pb_printf(b, "%-16s%8lu kB\n", "VmallocTotal:", 34359738367UL);
#endif
	show_val_kb(b, "VmallocUsed:", 0);
	show_val_kb(b, "VmallocChunk:", 0);
	show_val_kb(b, "Percpu:", percpu_pages());
	show_val_kb(b, "AnonHugePages:", global_node_page_state(NR_ANON_THPS));
	show_val_kb(b, "ShmemHugePages:", 0);
	show_val_kb(b, "ShmemPmdMapped:", 0);
	show_val_kb(b, "FileHugePages:", 0);
	show_val_kb(b, "FilePmdMapped:", 0);
	show_val_kb(b, "Balloon:", 0);
	/* hugetlb_report_meminfo(): no hugetlbfs pool in the simulated machine */
	pb_printf(b, "HugePages_Total:   %5lu\n", 0UL);
	pb_printf(b, "HugePages_Free:    %5lu\n", 0UL);
	pb_printf(b, "HugePages_Rsvd:    %5lu\n", 0UL);
	pb_printf(b, "HugePages_Surp:    %5lu\n", 0UL);
	pb_printf(b, "Hugepagesize:   %8lu kB\n", 2048UL);
	pb_printf(b, "Hugetlb:        %8lu kB\n", 0UL);
	direct_map_sizes(&k4, &m2, &g1);
	show_val_kb(b, "DirectMap4k:", k4);
	show_val_kb(b, "DirectMap2M:", m2);
	show_val_kb(b, "DirectMap1G:", g1);
}

/* ------------------------------------------------------------------- iomem */

/*
 * /proc/iomem as kernel/resource.c prints the top level: "%0*llx-%0*llx :
 * %s" with width 8.  RAM ranges are "System RAM"; the gaps between them
 * (the PCI hole of the default layout) are "Reserved".
 */
static void iomem_show(struct pbuf *b)
{
	struct ram_range r[MMFS_MAX_RANGES * 4];
	unsigned long prev = 0;
	int n, i;

	n = ram_ranges(r, (int)ARRAY_SIZE(r));
	for (i = 0; i < n; i++) {
		if (r[i].start > prev)
			pb_printf(b, "%08llx-%08llx : Reserved\n",
				  (unsigned long long)PFN_PHYS(prev),
				  (unsigned long long)PFN_PHYS(r[i].start) - 1);
		pb_printf(b, "%08llx-%08llx : System RAM\n",
			  (unsigned long long)PFN_PHYS(r[i].start),
			  (unsigned long long)PFN_PHYS(r[i].end) - 1);
		prev = r[i].end;
	}
}

/* -------------------------------------------------------------- page_owner */

static const char *owner_kind_name(enum mmfs_owner_kind kind)
{
	switch (kind) {
	case MMFS_OWNER_KERNEL:		return "kernel";
	case MMFS_OWNER_USER:		return "user";
	case MMFS_OWNER_SLAB:		return "slab";
	case MMFS_OWNER_PGTABLE:	return "pgtable";
	default:			return "none";
	}
}

/* "%pGp": "0x<flags>(<names>)" whatever page_flags_format() spells */
static void print_page_flags(struct pbuf *b, const struct page *page)
{
	char names[256];
	int n;

	names[0] = '\0';
	n = page_flags_format(page, names, sizeof(names));
	if (n < 0)
		names[0] = '\0';
	if (!strncmp(names, "0x", 2))
		pb_puts(b, names);
	else
		pb_printf(b, "%#lx(%s)", page->flags, names);
}

/*
 * The cache of a slab page: slab->slab_cache, which overlays page->mapping
 * (mm/slab_internal.h) under SLUB and SLAB; SLOB pages have no owning
 * cache.  @names_ok: the caller holds slab_mutex, so no cache can be
 * destroyed under us.
 */
static void print_slab_owner(struct pbuf *b, const struct page *page, bool names_ok)
{
	const char *cache = NULL;
	unsigned long s;

	if (names_ok && PageSlab(page)) {
		/*
		 * The page may be freed and reused under us (we hold no slab
		 * lock): the other users of this word leave it NULL or small
		 * (pt_level), so accept only an aligned pointer.
		 */
		s = (unsigned long)READ_ONCE(page->mapping);
		if (s >= 65536 && IS_ALIGNED(s, sizeof(void *)) && PageSlab(page))
			cache = kmem_cache_name((const struct kmem_cache *)s);
	}
	if (cache)
		pb_printf(b, " owner slab:%s\n", cache);
	else
		pb_puts(b, " owner slab\n");
}

/*
 * print_page_owner(): one record per allocated block, then a blank line.
 * MMFS: there is no stack depot; the line where the kernel prints the
 * allocation stack names the block's owner (user:UID, slab:CACHE,
 * pgtable:PID or kernel) in the frames/ xattr spelling.
 */
static void page_owner_walk(struct pbuf *b, bool names_ok)
{
	unsigned long pfn = 0;

	for (;;) {
		struct page_owner po, *ppo;
		struct page *page;
		char gfpbuf[256];
		int page_mt, block_mt;

		pfn = mmfs_next_allocated_block(pfn);
		if (pfn == -1UL || pfn >= max_pfn)
			break;
		page = pfn_to_page(pfn);
		ppo = page ? get_page_owner(page) : NULL;
		if (!ppo) {
			pfn++;
			continue;
		}
		memcpy(&po, ppo, sizeof(po));	/* the record may change under us */
		po.comm[sizeof(po.comm) - 1] = '\0';
		if (po.order < 0 || po.order >= MAX_ORDER) {
			pfn++;
			continue;
		}
		gfpbuf[0] = '\0';
		gfp_format(po.gfp_mask, gfpbuf, sizeof(gfpbuf));
		pb_printf(b, "Page allocated via order %u, mask %#x(%s), pid %d, tgid %d (%s), ts %llu ns\n",
			  (unsigned int)po.order, po.gfp_mask, gfpbuf, po.pid, po.pid,
			  po.comm, (unsigned long long)page_owner_ts_nsec(&po));

		page_mt = (int)((po.gfp_mask & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT);
		if (page_mt >= MIGRATE_PCPTYPES)
			page_mt = MIGRATE_UNMOVABLE;
		block_mt = get_pageblock_migratetype(page);
		if (block_mt < 0 || block_mt >= MIGRATE_TYPES)
			block_mt = MIGRATE_UNMOVABLE;
		pb_printf(b, "PFN 0x%lx type %s Block %lu type %s Flags ", pfn,
			  migratetype_names[page_mt], pfn >> pageblock_order,
			  migratetype_names[block_mt]);
		print_page_flags(b, page);
		pb_puts(b, "\n");

		switch (po.kind) {
		case MMFS_OWNER_USER:
			pb_printf(b, " owner user:%ld\n", po.owner_id);
			break;
		case MMFS_OWNER_PGTABLE:
			pb_printf(b, " owner pgtable:%ld\n", po.owner_id);
			break;
		case MMFS_OWNER_SLAB:
			print_slab_owner(b, page, names_ok);
			break;
		default:
			pb_printf(b, " owner %s\n", owner_kind_name(po.kind));
			break;
		}
		/* MMFS: no "Page has been migrated" line: nothing migrates */
		pb_puts(b, "\n");
		pfn += 1UL << po.order;
	}
}

struct owner_walk {
	struct pbuf *b;		/* where the records go */
	bool done;		/* the walk ran (under slab_mutex) */
};

/* mmfs_cache_for_each() callback: walk once while slab_mutex is held */
static int page_owner_walk_locked(const char *name, const char *alias_of, void *arg)
{
	struct owner_walk *w = arg;

	if (!w->done) {
		page_owner_walk(w->b, true);
		w->done = true;
	}
	return 1;
}

static void page_owner_show(struct pbuf *b)
{
	struct owner_walk w = { b, false };

	if (mm_cfg.slab != MMFS_SLOB)
		mmfs_cache_for_each(page_owner_walk_locked, &w);
	if (!w.done)
		page_owner_walk(b, false);
}

/* ------------------------------------------------ extfrag and unusable index */

/* struct contig_page_info - what fill_contig_page_info() gathers */
struct contig_page_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};

static void fill_contig_page_info(const unsigned long *nr_free, unsigned int suitable_order,
				  struct contig_page_info *info)
{
	unsigned int order;

	info->free_pages = 0;
	info->free_blocks_total = 0;
	info->free_blocks_suitable = 0;
	for (order = 0; order < MAX_ORDER; order++) {
		unsigned long blocks = nr_free[order];

		info->free_blocks_total += blocks;
		info->free_pages += blocks << order;
		if (order >= suitable_order)
			info->free_blocks_suitable += blocks << (order - suitable_order);
	}
}

/* __fragmentation_index(): 0 = lack of memory, 1000 = fragmentation, -1000 = would succeed */
static int __fragmentation_index(unsigned int order, const struct contig_page_info *info)
{
	unsigned long requested = 1UL << order;

	if (order >= MAX_ORDER)
		return 0;
	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	return (int)(1000 - (1000 + info->free_pages * 1000ULL / requested) /
			    info->free_blocks_total);
}

/* unusable_free_index(): share of free memory unusable at this order, x1000 */
static int unusable_free_index(unsigned int order, const struct contig_page_info *info)
{
	if (info->free_pages == 0)
		return 1000;
	return (int)((info->free_pages - (info->free_blocks_suitable << order)) * 1000ULL /
		     info->free_pages);
}

static void frag_index_show(struct pbuf *b, bool extfrag)
{
	int nid, zid;
	unsigned int order;

	for (nid = 0; nid < proc_nr_nodes(); nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (!pgdat || !node_has_memory(pgdat))
			continue;
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &pgdat->node_zones[zid];
			struct free_snapshot s;

			if (!proc_zone_configured(zid) || !populated_zone(zone))
				continue;
			snapshot_free_area(zone, &s, false);
			pb_printf(b, "Node %d, zone %8s ", pgdat->node_id, proc_zone_name(zone, zid));
			for (order = 0; order < MAX_ORDER; order++) {
				struct contig_page_info info;
				int index;

				fill_contig_page_info(s.nr_free, order, &info);
				if (extfrag) {
					index = __fragmentation_index(order, &info);
					pb_printf(b, "%2d.%03d ", index / 1000, abs(index % 1000));
				} else {
					index = unusable_free_index(order, &info);
					pb_printf(b, "%d.%03d ", index / 1000, index % 1000);
				}
			}
			pb_puts(b, "\n");
		}
	}
}

/* --------------------------------------------------------------- proc_render */

/**
 * proc_render - render one top-level text file
 * @name: "meminfo", "buddyinfo", "pagetypeinfo", "zoneinfo", "vmstat",
 *        "iomem", "page_owner", "extfrag_index" or "unusable_index"
 * @len: out: length of the text
 *
 * Context: takes each zone->lock in turn; call with no mm lock held.
 * Return: malloc'd NUL-terminated text, or NULL with errno ENOENT (unknown
 * name) or ENOMEM.
 */
char *proc_render(const char *name, size_t *len)
{
	struct pbuf b = { 0 };

	if (!name)
		return pb_enoent(&b);
	if (!strcmp(name, "buddyinfo")) {
		buddyinfo_show(&b);
	} else if (!strcmp(name, "pagetypeinfo")) {
		pagetypeinfo_show(&b);
	} else if (!strcmp(name, "zoneinfo")) {
		fold_vm_stats();
		zoneinfo_show(&b);
	} else if (!strcmp(name, "vmstat")) {
		fold_vm_stats();
		vmstat_show(&b);
	} else if (!strcmp(name, "meminfo")) {
		fold_vm_stats();
		meminfo_show(&b);
	} else if (!strcmp(name, "iomem")) {
		iomem_show(&b);
	} else if (!strcmp(name, "page_owner")) {
		page_owner_show(&b);
	} else if (!strcmp(name, "extfrag_index")) {
		frag_index_show(&b, true);
	} else if (!strcmp(name, "unusable_index")) {
		frag_index_show(&b, false);
	} else {
		return pb_enoent(&b);
	}
	return pb_finish(&b, len);
}

/* --------------------------------------------------------------- nodes/nodeN */

static void node_meminfo_line(struct pbuf *b, int nid, const char *label, unsigned long kb)
{
	pb_printf(b, "Node %d %-16s%8lu kB\n", nid, label, kb);
}

/* node_read_meminfo() of drivers/base/node.c */
static void node_meminfo_show(struct pbuf *b, int nid)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	struct sysinfo_mm i;
	unsigned long sreclaimable, sunreclaim;

	si_meminfo_node(nid, &i);
	sreclaimable = node_page_state(pgdat, NR_SLAB_RECLAIMABLE_B);
	sunreclaim = node_page_state(pgdat, NR_SLAB_UNRECLAIMABLE_B);

	node_meminfo_line(b, nid, "MemTotal:", K(i.totalram));
	node_meminfo_line(b, nid, "MemFree:", K(i.freeram));
	node_meminfo_line(b, nid, "MemUsed:", K(i.totalram - i.freeram));
	node_meminfo_line(b, nid, "SwapCached:", 0);
	node_meminfo_line(b, nid, "Active:", K(node_page_state(pgdat, NR_ACTIVE_ANON) +
					       node_page_state(pgdat, NR_ACTIVE_FILE)));
	node_meminfo_line(b, nid, "Inactive:", K(node_page_state(pgdat, NR_INACTIVE_ANON) +
						 node_page_state(pgdat, NR_INACTIVE_FILE)));
	node_meminfo_line(b, nid, "Active(anon):", K(node_page_state(pgdat, NR_ACTIVE_ANON)));
	node_meminfo_line(b, nid, "Inactive(anon):", K(node_page_state(pgdat, NR_INACTIVE_ANON)));
	node_meminfo_line(b, nid, "Active(file):", K(node_page_state(pgdat, NR_ACTIVE_FILE)));
	node_meminfo_line(b, nid, "Inactive(file):", K(node_page_state(pgdat, NR_INACTIVE_FILE)));
	node_meminfo_line(b, nid, "Unevictable:", K(node_page_state(pgdat, NR_UNEVICTABLE)));
	node_meminfo_line(b, nid, "Mlocked:", K(sum_zone_node_page_state(nid, NR_MLOCK)));
	if (proc_zone_configured(ZONE_HIGHMEM)) {
		node_meminfo_line(b, nid, "HighTotal:", K(i.totalhigh));
		node_meminfo_line(b, nid, "HighFree:", K(i.freehigh));
		node_meminfo_line(b, nid, "LowTotal:", K(i.totalram - i.totalhigh));
		node_meminfo_line(b, nid, "LowFree:", K(i.freeram - i.freehigh));
	}
	node_meminfo_line(b, nid, "Dirty:", K(node_page_state(pgdat, NR_FILE_DIRTY)));
	node_meminfo_line(b, nid, "Writeback:", K(node_page_state(pgdat, NR_WRITEBACK)));
	node_meminfo_line(b, nid, "FilePages:", K(node_page_state(pgdat, NR_FILE_PAGES)));
	node_meminfo_line(b, nid, "Mapped:", K(node_page_state(pgdat, NR_FILE_MAPPED)));
	node_meminfo_line(b, nid, "AnonPages:", K(node_page_state(pgdat, NR_ANON_MAPPED)));
	node_meminfo_line(b, nid, "Shmem:", K(node_page_state(pgdat, NR_SHMEM)));
	node_meminfo_line(b, nid, "KernelStack:", node_page_state(pgdat, NR_KERNEL_STACK_KB));
	node_meminfo_line(b, nid, "PageTables:", K(node_page_state(pgdat, NR_PAGETABLE)));
	node_meminfo_line(b, nid, "SecPageTables:", K(node_page_state(pgdat, NR_SEC_PAGETABLE)));
	node_meminfo_line(b, nid, "NFS_Unstable:", 0);
	node_meminfo_line(b, nid, "Bounce:", K(sum_zone_node_page_state(nid, NR_BOUNCE)));
	node_meminfo_line(b, nid, "WritebackTmp:", 0);
	node_meminfo_line(b, nid, "KReclaimable:", K(sreclaimable +
				 node_page_state(pgdat, NR_KERNEL_MISC_RECLAIMABLE)));
	node_meminfo_line(b, nid, "Slab:", K(sreclaimable + sunreclaim));
	node_meminfo_line(b, nid, "SReclaimable:", K(sreclaimable));
	node_meminfo_line(b, nid, "SUnreclaim:", K(sunreclaim));
	node_meminfo_line(b, nid, "AnonHugePages:", K(node_page_state(pgdat, NR_ANON_THPS)));
	node_meminfo_line(b, nid, "ShmemHugePages:", 0);
	node_meminfo_line(b, nid, "ShmemPmdMapped:", 0);
	node_meminfo_line(b, nid, "FileHugePages:", 0);
	node_meminfo_line(b, nid, "FilePmdMapped:", 0);
	/* hugetlb_report_node_meminfo() */
	pb_printf(b, "Node %d HugePages_Total: %5u\n", nid, 0u);
	pb_printf(b, "Node %d HugePages_Free:  %5u\n", nid, 0u);
	pb_printf(b, "Node %d HugePages_Surp:  %5u\n", nid, 0u);
}

static bool cpu_on_node(int cpu, int nid)
{
	/*
	 * MMFS: without the core's cpu_to_node(), do as numa_emulation's
	 * numa_add_cpu(): every CPU in the mask of each emulated node.
	 */
	return cpu_to_node(cpu) == nid;
}

/* "%*pbl" of the node's cpumask: "0-3", "0,2,4", or "" with no CPU */
static void cpulist_show(struct pbuf *b, int nid)
{
	bool first = true;
	int cpu = 0, end;

	while (cpu < (int)nr_cpu_ids) {
		if (!cpu_on_node(cpu, nid)) {
			cpu++;
			continue;
		}
		for (end = cpu; end + 1 < (int)nr_cpu_ids && cpu_on_node(end + 1, nid); end++)
			;
		if (end > cpu)
			pb_printf(b, "%s%d-%d", first ? "" : ",", cpu, end);
		else
			pb_printf(b, "%s%d", first ? "" : ",", cpu);
		first = false;
		cpu = end + 1;
	}
	pb_puts(b, "\n");
}

/**
 * proc_node_render - render nodes/nodeN/FILE
 * @nid: node id
 * @name: "meminfo", "cpulist" or "distance"
 * @len: out: length of the text
 *
 * Return: malloc'd text, or NULL with errno ENOENT (no such node or file)
 * or ENOMEM.
 */
char *proc_node_render(int nid, const char *name, size_t *len)
{
	struct pbuf b = { 0 };
	int i;

	if (!name || !proc_pgdat(nid))
		return pb_enoent(&b);
	if (!strcmp(name, "meminfo")) {
		fold_vm_stats();
		node_meminfo_show(&b, nid);
	} else if (!strcmp(name, "cpulist")) {
		cpulist_show(&b, nid);
	} else if (!strcmp(name, "distance")) {
		for (i = 0; i < proc_nr_nodes(); i++) {
			int d = node_distance(nid, i);

			pb_printf(&b, "%s%d", i ? " " : "", d);
		}
		pb_puts(&b, "\n");
	} else {
		return pb_enoent(&b);
	}
	return pb_finish(&b, len);
}

/* ------------------------------------------------ nodes/nodeN/zones/ZONE */

/**
 * proc_zone_render - render nodes/nodeN/zones/ZONE/FILE
 * @nid: node id
 * @zone_idx: enum zone_type
 * @name: "free_area", "watermarks", "spanned", "present", "managed",
 *        "start_pfn", "protection", "pcp" or "stats"
 * @len: out: length of the text
 *
 * free_area: a header line of migratetype names, then one row per order:
 * the order, nr_free, and the blocks on each migratetype's list.
 * watermarks: "min low high" (boost included, as min_wmark_pages()).
 * protection: lowmem_reserve[] of the configured zones, space separated.
 * pcp: "cpuN count high batch" per CPU.  stats: "name value" for each zone
 * counter and NUMA event.
 *
 * Context: takes zone->lock.
 * Return: malloc'd text, or NULL with errno ENOENT or ENOMEM.
 */
char *proc_zone_render(int nid, int zone_idx, const char *name, size_t *len)
{
	struct pbuf b = { 0 };
	pg_data_t *pgdat = proc_pgdat(nid);
	struct zone *zone;
	int i, order, mt;

	if (!name || !pgdat || !proc_zone_configured(zone_idx))
		return pb_enoent(&b);
	zone = &pgdat->node_zones[zone_idx];

	if (!strcmp(name, "free_area")) {
		struct free_snapshot s;

		snapshot_free_area(zone, &s, true);
		pb_printf(&b, "%5s %8s", "order", "nr_free");
		for (mt = 0; mt < MIGRATE_TYPES; mt++)
			pb_printf(&b, " %12s", migratetype_names[mt]);
		pb_puts(&b, "\n");
		for (order = 0; order < MAX_ORDER; order++) {
			pb_printf(&b, "%5d %8lu", order, s.nr_free[order]);
			for (mt = 0; mt < MIGRATE_TYPES; mt++)
				pb_printf(&b, " %s%*lu", s.overflow[mt][order] ? ">" : "",
					  s.overflow[mt][order] ? 11 : 12, s.per_type[mt][order]);
			pb_puts(&b, "\n");
		}
	} else if (!strcmp(name, "watermarks")) {
		struct zone_snapshot s;

		snapshot_zone(zone, &s);
		pb_printf(&b, "%lu %lu %lu\n", s.min, s.low, s.high);
	} else if (!strcmp(name, "spanned")) {
		pb_printf(&b, "%lu\n", zone->spanned_pages);
	} else if (!strcmp(name, "present")) {
		pb_printf(&b, "%lu\n", zone->present_pages);
	} else if (!strcmp(name, "managed")) {
		pb_printf(&b, "%lu\n", zone_managed_pages(zone));
	} else if (!strcmp(name, "start_pfn")) {
		pb_printf(&b, "%lu\n", zone->zone_start_pfn);
	} else if (!strcmp(name, "protection")) {
		struct zone_snapshot s;

		snapshot_zone(zone, &s);
		print_protection(&b, s.protection, " ");
		pb_puts(&b, "\n");
	} else if (!strcmp(name, "pcp")) {
		for_each_online_cpu(i) {
			struct per_cpu_pages *pcp = zone->per_cpu_pageset ?
						    &zone->per_cpu_pageset[i] : NULL;

			pb_printf(&b, "cpu%d %d %d %d\n", i,
				  pcp ? READ_ONCE(pcp->count) : 0,
				  pcp ? READ_ONCE(pcp->high) : 0,
				  pcp ? READ_ONCE(pcp->batch) : 0);
		}
	} else if (!strcmp(name, "stats")) {
		struct zone_snapshot s;

		fold_vm_stats();
		snapshot_zone(zone, &s);
		for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
			if (zone_stat_names[i])
				pb_printf(&b, "%s %lu\n", zone_stat_names[i], s.stat[i]);
		for (i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
			if (numa_stat_names[i])
				pb_printf(&b, "%s %lu\n", numa_stat_names[i], s.numa[i]);
	} else {
		return pb_enoent(&b);
	}
	return pb_finish(&b, len);
}

/* ---------------------------------------------------- kpageflags, kpagecount */

/* include/uapi/linux/kernel-page-flags.h and include/linux/kernel-page-flags.h */
#define KPF_LOCKED		0
#define KPF_ERROR		1
#define KPF_REFERENCED		2
#define KPF_UPTODATE		3
#define KPF_DIRTY		4
#define KPF_LRU			5
#define KPF_ACTIVE		6
#define KPF_SLAB		7
#define KPF_WRITEBACK		8
#define KPF_RECLAIM		9
#define KPF_BUDDY		10
#define KPF_MMAP		11
#define KPF_ANON		12
#define KPF_SWAPCACHE		13
#define KPF_SWAPBACKED		14
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_HUGE		17
#define KPF_UNEVICTABLE		18
#define KPF_HWPOISON		19
#define KPF_NOPAGE		20
#define KPF_KSM			21
#define KPF_THP			22
#define KPF_OFFLINE		23
#define KPF_ZERO_PAGE		24
#define KPF_IDLE		25
#define KPF_PGTABLE		26
#define KPF_RESERVED		32
#define KPF_MLOCKED		33
#define KPF_MAPPEDTODISK	34
#define KPF_PRIVATE		35
#define KPF_PRIVATE_2		36
#define KPF_OWNER_PRIVATE	37
#define KPF_ARCH		38

static inline uint64_t kpf_copy_bit(unsigned long kflags, int ubit, int kbit)
{
	return ((uint64_t)(kflags >> kbit) & 1) << ubit;
}

/* page_has_type(): _mapcount holds a page_type, not a mapcount */
static inline bool page_has_type(const struct page *page)
{
	return (int)READ_ONCE(page->page_type) < -128;
}

/* the mapcount of a page that is not typed (page_mapcount() of 6.x) */
static int proc_page_mapcount(const struct page *page)
{
	if (page_has_type(page))
		return 0;
	return max(page_mapcount(page), 0);
}

/*
 * is_free_buddy_page() of mm/page_alloc.c: is @page inside a free block
 * whose head is PageBuddy?  Under zone->lock, as the kernel does.
 */
static bool is_free_buddy_page(struct page *page)
{
	unsigned long pfn = page_to_pfn(page), flags = 0;
	struct zone *zone = page_zone(page);
	unsigned int order;
	bool ret = false;

	spin_lock_irqsave(&zone->lock, flags);
	for (order = 0; order < MAX_ORDER; order++) {
		unsigned long head_pfn = pfn & ~((1UL << order) - 1);
		struct page *head;

		if (!pfn_valid(head_pfn))
			break;
		head = pfn_to_page(head_pfn);
		if (PageBuddy(head) && head->private >= order) {
			ret = true;
			break;
		}
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	return ret;
}

/*
 * stable_page_flags() of fs/proc/page.c.  Free blocks report KPF_BUDDY on
 * every page, as the kernel does: the head through PageBuddy, the rest
 * through the slower is_free_buddy_page() check for pages whose count is 0.
 */
static uint64_t stable_page_flags(unsigned long pfn)
{
	struct page *page;
	unsigned long k;
	uint64_t u = 0;

	if (!pfn_valid(pfn))
		return 1ULL << KPF_NOPAGE;
	page = pfn_to_page(pfn);
	if (!page)
		return 1ULL << KPF_NOPAGE;
	k = READ_ONCE(page->flags);

	if (proc_page_mapcount(page) > 0)
		u |= 1ULL << KPF_MMAP;
	/* MMFS: no anonymous memory, KSM, hugetlbfs or THP folios */
	if (PageHead(page))
		u |= 1ULL << KPF_COMPOUND_HEAD;
	else if (PageTail(page))
		u |= 1ULL << KPF_COMPOUND_TAIL;

	/* PG_buddy is set only on the head page of a free block */
	if (PageBuddy(page))
		u |= 1ULL << KPF_BUDDY;
	else if (page_ref_count(page) == 0 && !page_has_type(page) && is_free_buddy_page(page))
		u |= 1ULL << KPF_BUDDY;
	if (PageOffline(page))
		u |= 1ULL << KPF_OFFLINE;
	if (PageTable(page))
		u |= 1ULL << KPF_PGTABLE;

	u |= kpf_copy_bit(k, KPF_LOCKED, PG_locked);
	u |= kpf_copy_bit(k, KPF_SLAB, PG_slab);
	if (PageTail(page) && PageSlab(compound_head(page)))
		u |= 1ULL << KPF_SLAB;
	u |= kpf_copy_bit(k, KPF_ERROR, PG_error);
	u |= kpf_copy_bit(k, KPF_DIRTY, PG_dirty);
	u |= kpf_copy_bit(k, KPF_UPTODATE, PG_uptodate);
	u |= kpf_copy_bit(k, KPF_WRITEBACK, PG_writeback);
	u |= kpf_copy_bit(k, KPF_LRU, PG_lru);
	u |= kpf_copy_bit(k, KPF_REFERENCED, PG_referenced);
	u |= kpf_copy_bit(k, KPF_ACTIVE, PG_active);
	u |= kpf_copy_bit(k, KPF_RECLAIM, PG_reclaim);
	u |= kpf_copy_bit(k, KPF_SWAPBACKED, PG_swapbacked);
	u |= kpf_copy_bit(k, KPF_UNEVICTABLE, PG_unevictable);
	u |= kpf_copy_bit(k, KPF_MLOCKED, PG_mlocked);
	u |= kpf_copy_bit(k, KPF_RESERVED, PG_reserved);
	u |= kpf_copy_bit(k, KPF_MAPPEDTODISK, PG_mappedtodisk);
	u |= kpf_copy_bit(k, KPF_PRIVATE, PG_private);
	u |= kpf_copy_bit(k, KPF_PRIVATE_2, PG_private_2);
	u |= kpf_copy_bit(k, KPF_OWNER_PRIVATE, PG_owner_priv_1);
	u |= kpf_copy_bit(k, KPF_ARCH, PG_arch_1);
	return u;
}

/* kpagecount_read(): mapcount of mapped pages, 0 for slab, typed pages, holes */
static uint64_t page_count_entry(unsigned long pfn)
{
	struct page *page;

	if (!pfn_valid(pfn))
		return 0;
	page = pfn_to_page(pfn);
	if (!page || PageSlab(page) || page_has_type(page))
		return 0;
	return (uint64_t)proc_page_mapcount(page);
}

/**
 * proc_kpage_read - read kpageflags or kpagecount
 * @name: "kpageflags" or "kpagecount"
 * @off: byte offset, a multiple of 8 (pfn * 8)
 * @buf: destination
 * @len: bytes wanted, a multiple of 8
 *
 * Return: bytes copied (0 at or past max_pfn * 8), -EINVAL for an
 * unaligned offset or length, -ENOENT for an unknown name.
 */
long proc_kpage_read(const char *name, uint64_t off, void *buf, size_t len)
{
	bool flags;
	unsigned long pfn, n, i;

	if (!name)
		return -ENOENT;
	if (!strcmp(name, "kpageflags"))
		flags = true;
	else if (!strcmp(name, "kpagecount"))
		flags = false;
	else
		return -ENOENT;
	if ((off & 7) || (len & 7))
		return -EINVAL;
	if (len && !buf)
		return -EINVAL;
	if (off / 8 >= max_pfn)
		return 0;
	pfn = (unsigned long)(off / 8);
	n = min((unsigned long)(len / 8), max_pfn - pfn);
	if (n > LONG_MAX / 8)
		n = LONG_MAX / 8;
	for (i = 0; i < n; i++) {
		uint64_t v = flags ? stable_page_flags(pfn + i) : page_count_entry(pfn + i);

		memcpy((char *)buf + i * 8, &v, 8);
	}
	return (long)(n * 8);
}

/**
 * proc_kpage_size - size of kpageflags and kpagecount
 * Return: max_pfn * 8.
 */
uint64_t proc_kpage_size(void)
{
	return (uint64_t)max_pfn * 8;
}

/* ------------------------------------------------------------- integers */

/*
 * proc_get_long() of kernel/sysctl.c: skip blanks, an optional '-', a
 * number in base 0 (0x hex, 0 octal), and it must end at a blank or the
 * end.  Returns 0 with *p past the number, 1 if only blanks remain, or
 * -EINVAL.
 */
static int proc_get_long(const char **p, const char *end, long long *val)
{
	const char *s = *p;
	char tmp[32], *ep;
	size_t n = 0;
	bool neg = false;
	unsigned long long v;

	while (s < end && isspace((unsigned char)*s))
		s++;
	if (s >= end || *s == '\0') {
		*p = s;
		return 1;
	}
	if (*s == '-') {
		neg = true;
		s++;
	}
	while (s + n < end && n < sizeof(tmp) - 1 && !isspace((unsigned char)s[n]) && s[n])
		n++;
	if (n == 0 || n >= sizeof(tmp) - 1 || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	errno = 0;
	v = strtoull(tmp, &ep, 0);
	if (errno || *ep != '\0')
		return -EINVAL;
	if (v > (unsigned long long)LLONG_MAX)
		return -EINVAL;
	*val = neg ? -(long long)v : (long long)v;
	*p = s + n;
	return 0;
}

/*
 * Parse up to @max integers of the int range (proc_dointvec).  Returns how
 * many were read (>= 1) or -EINVAL (none, too many, junk, out of range).
 */
static int parse_int_vector(const char *buf, size_t len, long *out, int max)
{
	const char *p = buf, *end = buf + len;
	int n = 0;

	if (!buf)
		return -EINVAL;
	for (;;) {
		long long v;
		int r = proc_get_long(&p, end, &v);

		if (r < 0)
			return -EINVAL;
		if (r == 1)
			break;
		if (n >= max || v > INT_MAX || v < INT_MIN)
			return -EINVAL;
		out[n++] = (long)v;
	}
	return n ? n : -EINVAL;
}

static int parse_int(const char *buf, size_t len, long *v)
{
	return parse_int_vector(buf, len, v, 1) == 1 ? 0 : -EINVAL;
}

/* ----------------------------------------------------------------- sys/vm */

static const char * const sysvm_names[] = {
	"min_free_kbytes", "watermark_scale_factor", "watermark_boost_factor",
	"lowmem_reserve_ratio", "percpu_pagelist_high_fraction", "drop_caches",
	"compact_memory", NULL
};

static int sysctl_drop_caches;		/* the last value written */
static int sysctl_compact_memory;
static int drop_caches_stfu;		/* bit 2 of drop_caches: stop logging */

/**
 * proc_sysvm_names - the files of sys/vm
 * Return: NULL-terminated array of names (static).  drop_caches and
 * compact_memory are write-only (0200) in the kernel, the others 0644.
 */
const char * const *proc_sysvm_names(void)
{
	return sysvm_names;
}

/**
 * proc_sysvm_show - read a sys/vm file as /proc/sys/vm prints it
 * @name: one of proc_sysvm_names()
 * @len: out: length of the text
 *
 * Vectors (lowmem_reserve_ratio: one value per configured zone) are
 * tab-separated as proc_dointvec prints them.
 * Return: malloc'd text, or NULL with errno ENOENT or ENOMEM.
 */
char *proc_sysvm_show(const char *name, size_t *len)
{
	struct pbuf b = { 0 };
	bool first = true;
	int i;

	if (!name)
		return pb_enoent(&b);
	if (!strcmp(name, "min_free_kbytes"))
		pb_printf(&b, "%d\n", READ_ONCE(min_free_kbytes));
	else if (!strcmp(name, "watermark_scale_factor"))
		pb_printf(&b, "%d\n", READ_ONCE(watermark_scale_factor));
	else if (!strcmp(name, "watermark_boost_factor"))
		pb_printf(&b, "%d\n", READ_ONCE(watermark_boost_factor));
	else if (!strcmp(name, "percpu_pagelist_high_fraction"))
		pb_printf(&b, "%d\n", READ_ONCE(percpu_pagelist_high_fraction));
	else if (!strcmp(name, "drop_caches"))
		pb_printf(&b, "%d\n", READ_ONCE(sysctl_drop_caches));
	else if (!strcmp(name, "compact_memory"))
		pb_printf(&b, "%d\n", READ_ONCE(sysctl_compact_memory));
	else if (!strcmp(name, "lowmem_reserve_ratio")) {
		for (i = 0; i < MAX_NR_ZONES; i++) {
			if (!proc_zone_configured(i))
				continue;
			pb_printf(&b, "%s%d", first ? "" : "\t",
				  READ_ONCE(sysctl_lowmem_reserve_ratio[i]));
			first = false;
		}
		pb_puts(&b, "\n");
	} else {
		return pb_enoent(&b);
	}
	return pb_finish(&b, len);
}

/* shrink every slab cache (not aliases): collect names, then shrink */
struct cache_names { char (*name)[64]; int nr, cap; bool oom; };

static int collect_cache_name(const char *name, const char *alias_of, void *arg)
{
	struct cache_names *cn = arg;

	if (alias_of || !name)
		return 0;
	if (cn->nr == cn->cap) {
		int cap = cn->cap ? cn->cap * 2 : 64;
		char (*nn)[64] = realloc(cn->name, sizeof(*nn) * (size_t)cap);

		if (!nn) {
			cn->oom = true;
			return 1;
		}
		cn->name = nn;
		cn->cap = cap;
	}
	snprintf(cn->name[cn->nr++], 64, "%s", name);
	return 0;
}

/*
 * drop_slab(): MMFS: the kernel runs the registered shrinkers (dentries,
 * inodes); mmfs has none, so it does what they end in for every cache:
 * kmem_cache_shrink() gives empty slabs back to the page allocator.
 */
static void drop_slab(void)
{
	struct cache_names cn = { 0 };
	int i;

	mmfs_cache_for_each(collect_cache_name, &cn);	/* holds slab_mutex */
	for (i = 0; i < cn.nr; i++)
		mmfs_kmem_cache_shrink(cn.name[i]);
	free(cn.name);
}

/* drop_caches_sysctl_handler() of fs/drop_caches.c */
static int drop_caches_store(long v)
{
	if (v < 1 || v > 4)
		return -EINVAL;
	sysctl_drop_caches = (int)v;
	/*
	 * MMFS: no page cache; what the simulated machine caches is the
	 * per-cpu free lists, drained back to the buddy lists.  The slabs go
	 * first so that the pages they give back are drained too.
	 */
	if (v & 2)
		drop_slab();
	if (v & 1) {
		drain_all_pages(NULL);
		count_vm_event(DROP_PAGECACHE);
	}
	if (v & 2)
		count_vm_event(DROP_SLAB);
	if (!drop_caches_stfu)
		pr_info("%s (%d): drop_caches: %d", current->comm, current->pid, (int)v);
	drop_caches_stfu |= (int)(v & 4);
	return 0;
}

/*
 * compaction sysctl: MMFS: there is no page migration (no movable page
 * can be moved: frames are pinned by their openers and kernel blocks are
 * unmovable), so compact_nodes() finds nothing to migrate; it still
 * drains the per-cpu lists so their pages can merge in the buddy lists.
 */
static int compact_memory_store(long v)
{
	if (v != 1)
		return -EINVAL;
	sysctl_compact_memory = 1;
	drain_all_pages(NULL);
	return 0;
}

/*
 * lowmem_reserve_ratio: the i-th value written is the i-th configured
 * zone's (as printed); fewer values leave the rest alone, as proc_dointvec
 * does.  mmfs_set_lowmem_reserve_ratio() takes them in that order.
 */
static int lowmem_reserve_ratio_store(const char *buf, size_t len)
{
	long vals[MAX_NR_ZONES];
	int n, i, nr_configured = 0;

	for (i = 0; i < MAX_NR_ZONES; i++)
		nr_configured += proc_zone_configured(i);
	n = parse_int_vector(buf, len, vals, nr_configured);
	if (n < 0)
		return n;
	return mmfs_set_lowmem_reserve_ratio(vals, n);
}

/**
 * proc_sysvm_store - write a sys/vm file as /proc/sys/vm takes it
 * @name: one of proc_sysvm_names()
 * @buf: the text written (integers as proc_dointvec reads them)
 * @len: its length
 *
 * The mm setters recompute watermarks, lowmem_reserve and pcp sizes.
 * Return: 0, -EINVAL (bad value: nothing changed) or -ENOENT.
 */
int proc_sysvm_store(const char *name, const char *buf, size_t len)
{
	long v;
	int ret;

	if (!name)
		return -ENOENT;
	if (!strcmp(name, "lowmem_reserve_ratio"))
		return lowmem_reserve_ratio_store(buf, len);
	if (strcmp(name, "min_free_kbytes") && strcmp(name, "watermark_scale_factor") &&
	    strcmp(name, "watermark_boost_factor") &&
	    strcmp(name, "percpu_pagelist_high_fraction") &&
	    strcmp(name, "drop_caches") && strcmp(name, "compact_memory"))
		return -ENOENT;
	ret = parse_int(buf, len, &v);
	if (ret)
		return ret;
	if (!strcmp(name, "min_free_kbytes"))
		return v < 0 ? -EINVAL : mmfs_set_min_free_kbytes(v);
	if (!strcmp(name, "watermark_scale_factor"))
		return (v < 1 || v > 3000) ? -EINVAL : mmfs_set_watermark_scale_factor(v);
	if (!strcmp(name, "watermark_boost_factor"))
		return v < 0 ? -EINVAL : mmfs_set_watermark_boost_factor(v);
	if (!strcmp(name, "percpu_pagelist_high_fraction"))
		return (v != 0 && v < 8) ? -EINVAL : mmfs_set_percpu_pagelist_high_fraction(v);
	if (!strcmp(name, "drop_caches"))
		return drop_caches_store(v);
	return compact_memory_store(v);
}

/* ------------------------------------------ sys/kernel/fail_page_alloc */

static const char * const failattr_names[] = {
	"probability", "interval", "times", "space", NULL
};

/**
 * proc_failattr_names - the fault-injection attributes of fail_page_alloc
 * Return: NULL-terminated array of names (static).
 */
const char * const *proc_failattr_names(void)
{
	return failattr_names;
}

static atomic_int *failattr(const char *name)
{
	if (!name)
		return NULL;
	if (!strcmp(name, "probability"))
		return &fail_page_alloc.probability;
	if (!strcmp(name, "interval"))
		return &fail_page_alloc.interval;
	if (!strcmp(name, "times"))
		return &fail_page_alloc.times;
	if (!strcmp(name, "space"))
		return &fail_page_alloc.space;
	return NULL;
}

/**
 * proc_failattr_show - read a fail_page_alloc attribute ("%d\n")
 * @name: one of proc_failattr_names()
 * @len: out: length of the text
 * Return: malloc'd text, or NULL with errno ENOENT or ENOMEM.
 */
char *proc_failattr_show(const char *name, size_t *len)
{
	struct pbuf b = { 0 };
	atomic_int *a = failattr(name);

	if (!a)
		return pb_enoent(&b);
	pb_printf(&b, "%d\n", atomic_load(a));
	return pb_finish(&b, len);
}

/**
 * proc_failattr_store - write a fail_page_alloc attribute
 * @name: one of proc_failattr_names()
 * @buf: a decimal or 0x number
 * @len: its length
 *
 * probability is a percentage (0..100); interval and space are >= 0;
 * times is a count of failures left, -1 for no limit (lib/fault-inject.c).
 * Return: 0, -EINVAL (nothing changed) or -ENOENT.
 */
int proc_failattr_store(const char *name, const char *buf, size_t len)
{
	atomic_int *a = failattr(name);
	long v;

	if (!a)
		return -ENOENT;
	if (parse_int(buf, len, &v))
		return -EINVAL;
	if (!strcmp(name, "probability") && (v < 0 || v > 100))
		return -EINVAL;
	if ((!strcmp(name, "interval") || !strcmp(name, "space")) && v < 0)
		return -EINVAL;
	if (!strcmp(name, "times") && v < -1)
		return -EINVAL;
	atomic_store(a, (int)v);
	return 0;
}
