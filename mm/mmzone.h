/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mmzone.h - nodes, zones, free areas, per-cpu page lists
 * (include/linux/mmzone.h).  Orders follow 6.1: MAX_ORDER = 11 orders
 * (0..10), pageblock_order = 9.
 */
#ifndef MMFS_MMZONE_H
#define MMFS_MMZONE_H
#include "glue.h"
#include "list.h"
#include "mm_types.h"
#include "vmstat.h"

#define MAX_ORDER		11		/* orders 0..MAX_ORDER-1 (6.1) */
#define NR_PAGE_ORDERS		MAX_ORDER
#define MAX_PAGE_ORDER		(MAX_ORDER - 1)
#define pageblock_order		9
#define pageblock_nr_pages	(1UL << pageblock_order)
#define PAGE_ALLOC_COSTLY_ORDER	3
#define MAX_NUMNODES		64
#define NUMA_NO_NODE		(-1)
#define SECTION_SIZE_BITS	27		/* 128 MiB sections (x86-64) */
#define PFN_SECTION_SHIFT	(SECTION_SIZE_BITS - PAGE_SHIFT)
#define PAGES_PER_SECTION	(1UL << PFN_SECTION_SHIFT)

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,			/* the number of types on the pcp lists */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_ISOLATE,			/* CONFIG_MEMORY_ISOLATION; no CMA */
	MIGRATE_TYPES
};
extern const char * const migratetype_names[MIGRATE_TYPES];

enum zone_type {
	ZONE_DMA,		/* < 16 MiB */
	ZONE_DMA32,		/* < 4 GiB */
	ZONE_NORMAL,
	ZONE_HIGHMEM,		/* highmem= : no permanent kernel mapping */
	ZONE_MOVABLE,		/* movablecore= */
	MAX_NR_ZONES
};
extern const char * const zone_names[MAX_NR_ZONES];

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, WMARK_PROMO, NR_WMARK };

/* pcp lists: one per migratetype per order 0..PAGE_ALLOC_COSTLY_ORDER, plus
 * two for pageblock_order (THP): non-movable and movable, as 6.18 does */
#define NR_LOWORDER_PCP_LISTS	(MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))
#define NR_PCP_THP		2
#define NR_PCP_LISTS		(NR_LOWORDER_PCP_LISTS + NR_PCP_THP)

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];	/* free blocks of this order */
	unsigned long nr_free;				/* blocks on all lists */
};

struct per_cpu_pages {
	spinlock_t lock;		/* the CPU's own lock (uncontended but for drains) */
	int count;			/* pages on the lists */
	int high;			/* free back to buddy above this */
	int high_min, high_max;		/* 6.7+ auto-tuning bounds */
	int batch;			/* refill/free chunk */
	short free_count;		/* consecutive frees (batch scaling) */
	unsigned char flags;		/* PCPF_* (page_alloc.c), 6.7 */
	unsigned char alloc_factor;	/* batch scale of consecutive allocations, 6.7 */
	/* MMFS: this CPU's vm events of the pcp fast paths (pgalloc_<zone>,
	 * pgfree, numa_hit and numa_local of local hits), counted under the
	 * lock, never reset: like the kernel's per-cpu vm_event_states, summed
	 * when read (all_vm_events, zone_numa_event_state) */
	unsigned long ev_pgalloc, ev_pgfree, ev_numa_local;
	struct list_head lists[NR_PCP_LISTS];
} ____cacheline_aligned;

struct per_cpu_zonestat {
	long vm_stat_diff[NR_VM_ZONE_STAT_ITEMS];	/* folded past stat_threshold */
	int stat_threshold;
} ____cacheline_aligned;

struct pglist_data;

struct zone {
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost;
	unsigned long nr_reserved_highatomic;	/* pages in HighAtomic pageblocks */
	unsigned long nr_free_highatomic;	/* free pages on HighAtomic lists (6.10+) */
	long lowmem_reserve[MAX_NR_ZONES];	/* protection */
	int node;
	struct pglist_data *zone_pgdat;
	struct per_cpu_pages *per_cpu_pageset;	/* [nr_cpu_ids] */
	struct per_cpu_zonestat *per_cpu_zonestats;	/* [nr_cpu_ids] */
	unsigned long zone_start_pfn;
	atomic_long_t managed_pages;
	unsigned long spanned_pages;
	unsigned long present_pages;
	const char *name;
	int initialized;
	/* MMFS: no CACHELINE_PADDING between the read-mostly fields, the free
	 * lists and the counters (the kernel pads them): with the pcp fast
	 * paths writing none of these lines, the padding measured 0.4 ns
	 * slower per order-0 pair (more lines touched) and no better with
	 * two threads */
	spinlock_t lock;			/* protects free_area */
	struct free_area free_area[MAX_ORDER];
	unsigned long flags;
	atomic_long_t vm_stat[NR_VM_ZONE_STAT_ITEMS];
	atomic_long_t vm_numa_event[NR_VM_NUMA_EVENT_ITEMS];
} ____cacheline_aligned;

static inline unsigned long zone_managed_pages(const struct zone *z)
{ return (unsigned long)atomic_long_read(&((struct zone *)z)->managed_pages); }
static inline unsigned long zone_end_pfn(const struct zone *z)
{ return z->zone_start_pfn + z->spanned_pages; }
static inline bool zone_spans_pfn(const struct zone *z, unsigned long pfn)
{ return z->zone_start_pfn <= pfn && pfn < zone_end_pfn(z); }
static inline bool populated_zone(const struct zone *z) { return z->present_pages != 0; }
static inline bool managed_zone(const struct zone *z) { return zone_managed_pages(z) != 0; }
#define min_wmark_pages(z)  ((z)->_watermark[WMARK_MIN] + (z)->watermark_boost)
#define low_wmark_pages(z)  ((z)->_watermark[WMARK_LOW] + (z)->watermark_boost)
#define high_wmark_pages(z) ((z)->_watermark[WMARK_HIGH] + (z)->watermark_boost)
#define wmark_pages(z, i)   ((z)->_watermark[i] + (z)->watermark_boost)

/* zonelists: every zone of every node in fallback order (ZONELIST_FALLBACK),
 * and the local node's zones only (ZONELIST_NOFALLBACK, __GFP_THISNODE) */
enum { ZONELIST_FALLBACK, ZONELIST_NOFALLBACK, MAX_ZONELISTS };
struct zoneref { struct zone *zone; int zone_idx; };
struct zonelist { struct zoneref _zonerefs[MAX_NUMNODES * MAX_NR_ZONES + 1]; };

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[MAX_ZONELISTS];
	int nr_zones;				/* highest populated zone + 1 */
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int node_id;
	unsigned long totalreserve_pages;
	/* kswapd (mm/vmscan.c): its wait queue, thread, and the request
	 * wakeup_kswapd leaves it (order, highest zone; MAX_NR_ZONES = none) */
	wait_queue_head_t kswapd_wait;
	pthread_t kswapd;
	bool kswapd_running;		/* @kswapd exists (kswapd_run) */
	bool kswapd_should_stop;	/* kthread_should_stop(), under kswapd_wait.lock */
	int kswapd_order;
	enum zone_type kswapd_highest_zoneidx;
	atomic_long_t vm_stat[NR_VM_NODE_STAT_ITEMS];
} pg_data_t;

extern struct pglist_data *node_data[MAX_NUMNODES];
extern int nr_online_nodes;
#define NODE_DATA(nid)	(node_data[nid])
#define for_each_online_node(nid) for ((nid) = 0; (nid) < nr_online_nodes; (nid)++)
static inline int zone_idx(const struct zone *z) { return (int)(z - z->zone_pgdat->node_zones); }
static inline bool is_highmem_idx(enum zone_type i) { return i == ZONE_HIGHMEM; }
static inline bool is_highmem(const struct zone *z) { return zone_idx(z) == ZONE_HIGHMEM; }
struct zone *first_online_zone(void);		/* mm/mm_init.c */
struct zone *next_zone(struct zone *z);
#define for_each_zone(z) for (z = first_online_zone(); z; z = next_zone(z))
#define for_each_populated_zone(z) for_each_zone(z) if (!populated_zone(z)) ; else

#endif /* MMFS_MMZONE_H */
