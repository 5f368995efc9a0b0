/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmstat.h - counter items (include/linux/mmzone.h, vm_event_item.h) and the
 * update helpers of mm/vmstat.c.  Names in vmstat_text[] follow 6.x.
 */
#ifndef MMFS_VMSTAT_H
#define MMFS_VMSTAT_H
#include "glue.h"

enum zone_stat_item {
	NR_FREE_PAGES,
	NR_FREE_PAGES_BLOCKS,		/* free pages in blocks of pageblock_order and up */
	NR_ZONE_LRU_BASE,
	NR_ZONE_INACTIVE_ANON = NR_ZONE_LRU_BASE,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,
	NR_MLOCK,
	NR_BOUNCE,
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS
};

enum numa_stat_item {
	NUMA_HIT, NUMA_MISS, NUMA_FOREIGN, NUMA_INTERLEAVE_HIT, NUMA_LOCAL, NUMA_OTHER,
	NR_VM_NUMA_EVENT_ITEMS
};

enum node_stat_item {
	NR_LRU_BASE,
	NR_INACTIVE_ANON = NR_LRU_BASE,
	NR_ACTIVE_ANON,
	NR_INACTIVE_FILE,
	NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
	NR_SLAB_RECLAIMABLE_B,
	NR_SLAB_UNRECLAIMABLE_B,
	NR_ISOLATED_ANON,
	NR_ISOLATED_FILE,
	NR_ANON_MAPPED,
	NR_FILE_MAPPED,
	NR_FILE_PAGES,
	NR_FILE_DIRTY,
	NR_WRITEBACK,
	NR_SHMEM,
	NR_ANON_THPS,
	NR_KERNEL_MISC_RECLAIMABLE,
	NR_FOLL_PIN_ACQUIRED,
	NR_FOLL_PIN_RELEASED,
	NR_KERNEL_STACK_KB,
	NR_PAGETABLE,
	NR_SEC_PAGETABLE,
	NR_VM_NODE_STAT_ITEMS
};

enum vm_event_item {
	PGPGIN, PGPGOUT,
	PGALLOC_DMA, PGALLOC_DMA32, PGALLOC_NORMAL, PGALLOC_HIGH, PGALLOC_MOVABLE,
	ALLOCSTALL_DMA, ALLOCSTALL_DMA32, ALLOCSTALL_NORMAL, ALLOCSTALL_HIGH, ALLOCSTALL_MOVABLE,
	PGFREE, PGACTIVATE, PGDEACTIVATE, PGFAULT, PGMAJFAULT,
	PGREUSE, PGSTEAL_DIRECT, PGSCAN_DIRECT, SLABS_SCANNED, DROP_PAGECACHE, DROP_SLAB,
	OOM_KILL, PGMIGRATE_SUCCESS, PGMIGRATE_FAIL,
	COMPACTMIGRATE_SCANNED, COMPACTFREE_SCANNED, COMPACTISOLATED,
	COMPACTSTALL, COMPACTFAIL, COMPACTSUCCESS,
	HTLB_BUDDY_PGALLOC, HTLB_BUDDY_PGALLOC_FAIL,
	/* MMFS: events of our own, for the fallback path */
	PGALLOC_EXTFRAG,
	NR_VM_EVENT_ITEMS
};

struct zone;
struct pglist_data;
/* Cheap updates: per-cpu deltas folded at the zone's stat_threshold. */
void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta);
void mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta);
void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta);
void __count_vm_events(enum vm_event_item item, long delta);
#define count_vm_event(i)	__count_vm_events(i, 1)
#define count_vm_events(i, n)	__count_vm_events(i, n)
void __inc_numa_state(struct zone *zone, enum numa_stat_item item);
unsigned long zone_page_state(struct zone *zone, enum zone_stat_item item);	/* folded + diffs, >= 0 */
unsigned long zone_page_state_snapshot(struct zone *zone, enum zone_stat_item item);
unsigned long node_page_state(struct pglist_data *pgdat, enum node_stat_item item);
unsigned long global_zone_page_state(enum zone_stat_item item);
unsigned long global_node_page_state(enum node_stat_item item);
unsigned long global_numa_event_state(enum numa_stat_item item);
unsigned long zone_numa_event_state(struct zone *zone, enum numa_stat_item item);
void all_vm_events(unsigned long *ret);		/* [NR_VM_EVENT_ITEMS] */
void refresh_zone_stat_thresholds(void);
int calculate_normal_threshold(struct zone *zone);
void fold_vm_stats(void);			/* fold every per-cpu diff now */
extern const char * const zone_stat_names[NR_VM_ZONE_STAT_ITEMS];
extern const char * const numa_stat_names[NR_VM_NUMA_EVENT_ITEMS];
extern const char * const node_stat_names[NR_VM_NODE_STAT_ITEMS];
extern const char * const vm_event_names[NR_VM_EVENT_ITEMS];

#endif /* MMFS_VMSTAT_H */
