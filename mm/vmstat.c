/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmstat.c - zone, node, NUMA and event counters (mm/vmstat.c).
 *
 * Zone counters: each CPU keeps a signed diff per item in
 * zone->per_cpu_zonestats[cpu].vm_stat_diff; once |diff| passes the zone's
 * stat_threshold (calculate_normal_threshold) it is folded into the zone's
 * atomic and the global vm_zone_stat.  Node counters work the same way
 * with per-cpu diffs kept here (per_cpu_nodestats, threshold = the largest
 * of the node's zones).  NUMA hits/misses and vm events are plain per-cpu
 * counters, summed when read.
 *
 * MMFS: several host threads may run on one simulated CPU, so every per-cpu
 * update is one relaxed atomic on the CPU's own cache line (uncontended,
 * never a shared line on the hot path), and a fold takes the diff with an
 * exchange so nothing is lost.  zone_page_state() returns folded + diffs
 * (exact, as vmstat.h promises); zone_page_state_folded() is the kernel's
 * cheap, slightly stale read for watermark fast paths.
 *
 * The vmstat worker (vmstat_update, one thread for every simulated CPU)
 * folds each CPU's diffs and decays its pcp high marks once a second
 * (refresh_cpu_vm_stats -> decay_pcp_high).
 *
 * Locks: the counters take none; everything is atomic.  The worker holds
 * vmstat_work_lock over a pass, which takes pcp->lock and zone->lock
 * (decay_pcp_high).  Boot and shutdown run alone.
 */
#include "internal.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct vm_event_state {
	unsigned long event[NR_VM_EVENT_ITEMS];
} ____cacheline_aligned;

struct per_cpu_nodestat {
	long vm_node_stat_diff[NR_VM_NODE_STAT_ITEMS];
	int stat_threshold;
} ____cacheline_aligned;

/* per-cpu NUMA events of every zone of every node, cpu-major; a line each,
 * so that two CPUs counting never share one */
struct per_cpu_numa {
	unsigned long ev[NR_VM_NUMA_EVENT_ITEMS];
} ____cacheline_aligned;

static atomic_long_t vm_zone_stat[NR_VM_ZONE_STAT_ITEMS];
static atomic_long_t vm_node_stat[NR_VM_NODE_STAT_ITEMS];

static struct vm_event_state boot_events;	/* before boot: CPU 0 only */
static struct vm_event_state *vm_event_states = &boot_events;
static unsigned int nr_stat_cpus = 1;
static struct per_cpu_nodestat *node_stats;	/* [nid * nr_stat_cpus + cpu] */
static struct per_cpu_numa *numa_stats;		/* [cpu * zones + nid * MAX_NR_ZONES + zid] */
static int nr_stat_nodes;

const char * const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
	"nr_free_pages",
	"nr_free_pages_blocks",
	"nr_zone_inactive_anon",
	"nr_zone_active_anon",
	"nr_zone_inactive_file",
	"nr_zone_active_file",
	"nr_zone_unevictable",
	"nr_zone_write_pending",
	"nr_mlock",
	"nr_bounce",
	"nr_free_cma",
};

const char * const numa_stat_names[NR_VM_NUMA_EVENT_ITEMS] = {
	"numa_hit",
	"numa_miss",
	"numa_foreign",
	"numa_interleave",
	"numa_local",
	"numa_other",
};

const char * const node_stat_names[NR_VM_NODE_STAT_ITEMS] = {
	"nr_inactive_anon",
	"nr_active_anon",
	"nr_inactive_file",
	"nr_active_file",
	"nr_unevictable",
	"nr_slab_reclaimable",
	"nr_slab_unreclaimable",
	"nr_isolated_anon",
	"nr_isolated_file",
	"nr_anon_pages",
	"nr_mapped",
	"nr_file_pages",
	"nr_dirty",
	"nr_writeback",
	"nr_shmem",
	"nr_anon_transparent_hugepages",
	"nr_kernel_misc_reclaimable",
	"nr_foll_pin_acquired",
	"nr_foll_pin_released",
	"nr_kernel_stack",
	"nr_page_table_pages",
	"nr_sec_page_table_pages",
};

const char * const vm_event_names[NR_VM_EVENT_ITEMS] = {
	"pgpgin", "pgpgout",
	"pgalloc_dma", "pgalloc_dma32", "pgalloc_normal", "pgalloc_high", "pgalloc_movable",
	"allocstall_dma", "allocstall_dma32", "allocstall_normal", "allocstall_high",
	"allocstall_movable",
	"pgfree", "pgactivate", "pgdeactivate", "pgfault", "pgmajfault",
	"pgreuse", "pgsteal_direct", "pgscan_direct", "slabs_scanned", "drop_pagecache",
	"drop_slab",
	"oom_kill", "pgmigrate_success", "pgmigrate_fail",
	"compact_migrate_scanned", "compact_free_scanned", "compact_isolated",
	"compact_stall", "compact_fail", "compact_success",
	"htlb_buddy_alloc_success", "htlb_buddy_alloc_fail",
	"pgalloc_extfrag",
};

static __always_inline unsigned int stat_cpu(void)
{
	unsigned int cpu = (unsigned int)smp_processor_id();

	return likely(cpu < nr_stat_cpus) ? cpu : 0;
}

static __always_inline long clamp0(long x)
{
	return x < 0 ? 0 : x;
}

static bool vmstat_item_in_bytes(int item)
{
	return item == NR_SLAB_RECLAIMABLE_B || item == NR_SLAB_UNRECLAIMABLE_B;
}

/* ------------------------------------------------------------- zones */

static __always_inline void zone_page_state_add(long x, struct zone *zone,
						enum zone_stat_item item)
{
	atomic_long_add(x, &zone->vm_stat[item]);
	atomic_long_add(x, &vm_zone_stat[item]);
}

/**
 * __mod_zone_page_state - add @delta to a zone counter
 * @zone: the zone
 * @item: which counter
 * @delta: pages (may be negative)
 *
 * The CPU's diff absorbs the change until it passes the zone's
 * stat_threshold, then the whole diff is folded into the zone and global
 * counters.  Context: any (no locks taken).
 */
void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	struct per_cpu_zonestat *pcp = zone->per_cpu_zonestats;
	long x, t;

	if (unlikely(!pcp)) {
		zone_page_state_add(delta, zone, item);
		return;
	}
	pcp += stat_cpu();
	t = READ_ONCE(pcp->stat_threshold);
	x = __atomic_add_fetch(&pcp->vm_stat_diff[item], delta, __ATOMIC_RELAXED);
	if (unlikely(x > t || x < -t)) {
		x = __atomic_exchange_n(&pcp->vm_stat_diff[item], 0, __ATOMIC_RELAXED);
		zone_page_state_add(x, zone, item);
	}
}

void mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	__mod_zone_page_state(zone, item, delta);
}

/* the per-cpu diffs of a zone counter, summed */
static long zone_diffs(struct zone *zone, enum zone_stat_item item)
{
	long x = 0;
	unsigned int cpu;

	if (!zone->per_cpu_zonestats)
		return 0;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		x += __atomic_load_n(&zone->per_cpu_zonestats[cpu].vm_stat_diff[item],
				     __ATOMIC_RELAXED);
	return x;
}

/**
 * zone_page_state_folded - the kernel's zone_page_state(): folded value only
 *
 * Cheap (one load) and stale by up to nr_cpu_ids * stat_threshold pages;
 * for watermark fast paths.  Never negative.
 */
unsigned long zone_page_state_folded(struct zone *zone, enum zone_stat_item item)
{
	return (unsigned long)clamp0(atomic_long_read(&zone->vm_stat[item]));
}

/**
 * zone_page_state - a zone counter, folded value plus every CPU's diff
 * Return: the exact value, never negative.
 */
unsigned long zone_page_state(struct zone *zone, enum zone_stat_item item)
{
	return (unsigned long)clamp0(atomic_long_read(&zone->vm_stat[item]) +
				     zone_diffs(zone, item));
}

unsigned long zone_page_state_snapshot(struct zone *zone, enum zone_stat_item item)
{
	return zone_page_state(zone, item);
}

/** global_zone_page_state - a zone counter summed over every zone (exact) */
unsigned long global_zone_page_state(enum zone_stat_item item)
{
	long x = atomic_long_read(&vm_zone_stat[item]);
	struct zone *zone;

	for_each_zone(zone)
		x += zone_diffs(zone, item);
	return (unsigned long)clamp0(x);
}

/* ------------------------------------------------------------- nodes */

static __always_inline struct per_cpu_nodestat *node_pcp(int nid, unsigned int cpu)
{
	return &node_stats[(unsigned int)nid * nr_stat_cpus + cpu];
}

/**
 * mod_node_page_state - add @delta to a node counter
 * @pgdat: the node
 * @item: which counter; the *_B slab items take bytes (a multiple of
 *        PAGE_SIZE) and count pages, as the kernel's do
 * @delta: pages (bytes for *_B items; KiB for NR_KERNEL_STACK_KB)
 */
void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta)
{
	struct per_cpu_nodestat *pcp;
	long x, t;

	if (vmstat_item_in_bytes(item)) {
		VM_WARN_ON(delta & (long)(PAGE_SIZE - 1));
		delta >>= PAGE_SHIFT;
	}
	if (unlikely(!node_stats || pgdat->node_id >= nr_stat_nodes)) {
		atomic_long_add(delta, &pgdat->vm_stat[item]);
		atomic_long_add(delta, &vm_node_stat[item]);
		return;
	}
	pcp = node_pcp(pgdat->node_id, stat_cpu());
	t = READ_ONCE(pcp->stat_threshold);
	x = __atomic_add_fetch(&pcp->vm_node_stat_diff[item], delta, __ATOMIC_RELAXED);
	if (unlikely(x > t || x < -t)) {
		x = __atomic_exchange_n(&pcp->vm_node_stat_diff[item], 0, __ATOMIC_RELAXED);
		atomic_long_add(x, &pgdat->vm_stat[item]);
		atomic_long_add(x, &vm_node_stat[item]);
	}
}

static long node_diffs(int nid, enum node_stat_item item)
{
	long x = 0;
	unsigned int cpu;

	if (!node_stats || nid >= nr_stat_nodes)
		return 0;
	for (cpu = 0; cpu < nr_stat_cpus; cpu++)
		x += __atomic_load_n(&node_pcp(nid, cpu)->vm_node_stat_diff[item], __ATOMIC_RELAXED);
	return x;
}

/** node_page_state - a node counter in pages (KiB for nr_kernel_stack), exact */
unsigned long node_page_state(struct pglist_data *pgdat, enum node_stat_item item)
{
	return (unsigned long)clamp0(atomic_long_read(&pgdat->vm_stat[item]) +
				     node_diffs(pgdat->node_id, item));
}

unsigned long global_node_page_state(enum node_stat_item item)
{
	long x = atomic_long_read(&vm_node_stat[item]);
	int nid;

	for (nid = 0; nid < nr_stat_nodes; nid++)
		x += node_diffs(nid, item);
	return (unsigned long)clamp0(x);
}

/* -------------------------------------------------------------- NUMA */

static __always_inline unsigned int numa_zone_index(const struct zone *zone)
{
	return (unsigned int)(zone->node * MAX_NR_ZONES + zone_idx(zone));
}

/**
 * __inc_numa_state - count one NUMA event (numa_hit, numa_local, ...) on
 * @zone, in this CPU's counters (the zone's own are only for boot)
 */
void __inc_numa_state(struct zone *zone, enum numa_stat_item item)
{
	if (unlikely(!numa_stats || zone->node >= nr_stat_nodes)) {
		atomic_long_add(1, &zone->vm_numa_event[item]);
		return;
	}
	__atomic_fetch_add(&numa_stats[stat_cpu() * (unsigned int)(nr_stat_nodes * MAX_NR_ZONES) +
				       numa_zone_index(zone)].ev[item], 1, __ATOMIC_RELAXED);
}

/* The events the pcp fast paths count in the pcp itself (page_alloc.c's
 * pcp_count), summed over the CPUs: a local hit is NUMA_HIT and NUMA_LOCAL. */
struct pcp_events {
	unsigned long pgalloc, pgfree, numa_local;
};

static struct pcp_events pcp_events(const struct zone *zone)
{
	struct pcp_events ev = { 0, 0, 0 };

	for (unsigned int cpu = 0; zone->per_cpu_pageset && cpu < nr_cpu_ids; cpu++) {
		const struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		ev.pgalloc += __atomic_load_n(&pcp->ev_pgalloc, __ATOMIC_RELAXED);
		ev.pgfree += __atomic_load_n(&pcp->ev_pgfree, __ATOMIC_RELAXED);
		ev.numa_local += __atomic_load_n(&pcp->ev_numa_local, __ATOMIC_RELAXED);
	}
	return ev;
}

unsigned long zone_numa_event_state(struct zone *zone, enum numa_stat_item item)
{
	unsigned long x = (unsigned long)atomic_long_read(&zone->vm_numa_event[item]);
	unsigned int cpu;

	if (item == NUMA_HIT || item == NUMA_LOCAL)
		x += pcp_events(zone).numa_local;
	if (!numa_stats || zone->node >= nr_stat_nodes)
		return x;
	for (cpu = 0; cpu < nr_stat_cpus; cpu++)
		x += __atomic_load_n(&numa_stats[cpu * (unsigned int)(nr_stat_nodes * MAX_NR_ZONES) +
						 numa_zone_index(zone)].ev[item], __ATOMIC_RELAXED);
	return x;
}

unsigned long global_numa_event_state(enum numa_stat_item item)
{
	unsigned long x = 0;
	struct zone *zone;

	for_each_zone(zone)
		x += zone_numa_event_state(zone, item);
	return x;
}

/* ------------------------------------------------------------ events */

/** __count_vm_events - add @delta to a vm event on this CPU */
void __count_vm_events(enum vm_event_item item, long delta)
{
	__atomic_fetch_add(&vm_event_states[stat_cpu()].event[item], (unsigned long)delta,
			   __ATOMIC_RELAXED);
}

/**
 * all_vm_events - every event summed over the CPUs into @ret[NR_VM_EVENT_ITEMS],
 * the pcp fast paths' pgalloc_<zone> and pgfree included
 */
void all_vm_events(unsigned long *ret)
{
	struct zone *zone;
	unsigned int cpu;
	int i;

	memset(ret, 0, sizeof(unsigned long) * NR_VM_EVENT_ITEMS);
	for (cpu = 0; cpu < nr_stat_cpus; cpu++)
		for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
			ret[i] += __atomic_load_n(&vm_event_states[cpu].event[i], __ATOMIC_RELAXED);
	for_each_zone(zone) {
		struct pcp_events pe = pcp_events(zone);

		ret[PGALLOC_DMA + zone_idx(zone)] += pe.pgalloc;
		ret[PGFREE] += pe.pgfree;
	}
}

/* ------------------------------------------------------- thresholds */

/**
 * calculate_normal_threshold - the per-cpu diff a zone tolerates
 *
 * 2 * fls(online cpus) * (1 + fls(managed in 128 MiB units)), at most 125.
 */
int calculate_normal_threshold(struct zone *zone)
{
	int threshold;
	unsigned long mem = zone_managed_pages(zone) >> (27 - PAGE_SHIFT);

	threshold = 2 * fls(num_online_cpus()) * (1 + fls((unsigned int)min(mem, 0xffffffffUL)));
	return min(125, threshold);
}

/**
 * refresh_zone_stat_thresholds - set every populated zone's stat_threshold
 * on every CPU, and each node's to the largest of its zones
 */
void refresh_zone_stat_thresholds(void)
{
	struct zone *zone;
	unsigned int cpu;
	int nid;

	for (nid = 0; node_stats && nid < nr_stat_nodes; nid++)
		for (cpu = 0; cpu < nr_stat_cpus; cpu++)
			node_pcp(nid, cpu)->stat_threshold = 0;
	for_each_populated_zone(zone) {
		int threshold = calculate_normal_threshold(zone);

		if (!zone->per_cpu_zonestats)
			continue;
		for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
			WRITE_ONCE(zone->per_cpu_zonestats[cpu].stat_threshold, threshold);
			if (node_stats && zone->node < nr_stat_nodes && cpu < nr_stat_cpus) {
				struct per_cpu_nodestat *p = node_pcp(zone->node, cpu);

				p->stat_threshold = max(p->stat_threshold, threshold);
			}
		}
	}
}

/** fold_vm_stats - fold every per-cpu zone and node diff into the counters now */
void fold_vm_stats(void)
{
	struct zone *zone;
	unsigned int cpu;
	int nid, i;

	for_each_zone(zone) {
		if (!zone->per_cpu_zonestats)
			continue;
		for (cpu = 0; cpu < nr_cpu_ids; cpu++)
			for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
				long x = __atomic_exchange_n(&zone->per_cpu_zonestats[cpu].vm_stat_diff[i],
							     0, __ATOMIC_RELAXED);
				if (x)
					zone_page_state_add(x, zone, i);
			}
	}
	for (nid = 0; node_stats && nid < nr_stat_nodes; nid++)
		for (cpu = 0; cpu < nr_stat_cpus; cpu++)
			for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
				long x = __atomic_exchange_n(&node_pcp(nid, cpu)->vm_node_stat_diff[i],
							     0, __ATOMIC_RELAXED);
				if (x) {
					atomic_long_add(x, &NODE_DATA(nid)->vm_stat[i]);
					atomic_long_add(x, &vm_node_stat[i]);
				}
			}
}

/* ------------------------------------------------------ the vmstat worker */

/**
 * refresh_cpu_vm_stats - fold @cpu's zone and node diffs into the counters,
 * and with @do_pagesets decay its pcp high marks (vmstat_update's work)
 * @cpu: the simulated CPU
 * @do_pagesets: also decay_pcp_high every populated zone's pageset of @cpu
 *
 * Context: no allocator lock held.
 * Return: the number of changes (folded items, pagesets still decaying).
 */
int refresh_cpu_vm_stats(unsigned int cpu, bool do_pagesets)
{
	struct zone *zone;
	int changes = 0;
	int nid, i;

	for_each_populated_zone(zone) {
		if (!zone->per_cpu_zonestats || cpu >= nr_cpu_ids)
			continue;
		for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
			long v = __atomic_exchange_n(&zone->per_cpu_zonestats[cpu].vm_stat_diff[i],
						     0, __ATOMIC_RELAXED);
			if (v) {
				zone_page_state_add(v, zone, i);
				changes++;
			}
		}
		/* MMFS: no NUMA pcp->expire drain of remote nodes' pagesets
		 * (drain_zone_pages): a free here goes to the freeing CPU's
		 * pageset of the page's own zone, whatever the node */
		if (do_pagesets && decay_pcp_high(zone, &zone->per_cpu_pageset[cpu]))
			changes++;
	}
	for (nid = 0; node_stats && nid < nr_stat_nodes && cpu < nr_stat_cpus; nid++)
		for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
			long v = __atomic_exchange_n(&node_pcp(nid, cpu)->vm_node_stat_diff[i],
						     0, __ATOMIC_RELAXED);
			if (v) {
				atomic_long_add(v, &NODE_DATA(nid)->vm_stat[i]);
				atomic_long_add(v, &vm_node_stat[i]);
				changes++;
			}
		}
	return changes;
}

/*
 * MMFS: one thread does every simulated CPU's vmstat_update, each
 * sysctl_stat_interval (HZ: a second) whatever changed; the kernel runs a
 * deferrable work item per CPU, re-armed while it finds changes and
 * restarted by vmstat_shepherd when counters move.  The pass runs under
 * vmstat_work_lock, so that fork (vmstat_prefork) never finds it inside
 * an allocator lock; a forked child has no worker.
 */
#define STAT_INTERVAL_NS	1000000000L	/* sysctl_stat_interval = HZ */
static pthread_mutex_t vmstat_work_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t vmstat_work_cond;
static pthread_t vmstat_work_thread;
static bool vmstat_work_running;		/* the thread exists */
static bool vmstat_work_should_stop;		/* under vmstat_work_lock */

static void *vmstat_update(void *arg)
{
	struct timespec deadline;

	(void)arg;
	pthread_setname_np(pthread_self(), "vmstat");
	pthread_mutex_lock(&vmstat_work_lock);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	while (!vmstat_work_should_stop) {
		deadline.tv_nsec += STAT_INTERVAL_NS;
		while (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_nsec -= 1000000000L;
			deadline.tv_sec++;
		}
		while (!vmstat_work_should_stop &&
		       pthread_cond_timedwait(&vmstat_work_cond, &vmstat_work_lock, &deadline) != ETIMEDOUT)
			;
		if (vmstat_work_should_stop)
			break;
		for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
			refresh_cpu_vm_stats(cpu, true);
	}
	pthread_mutex_unlock(&vmstat_work_lock);
	return NULL;
}

static void vmstat_prefork(void)
{
	pthread_mutex_lock(&vmstat_work_lock);
}

static void vmstat_postfork_parent(void)
{
	pthread_mutex_unlock(&vmstat_work_lock);
}

static void vmstat_postfork_child(void)
{
	pthread_condattr_t attr;

	vmstat_work_running = false;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&vmstat_work_cond, &attr);
	pthread_condattr_destroy(&attr);
	pthread_mutex_unlock(&vmstat_work_lock);
}

static void vmstat_work_once(void)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&vmstat_work_cond, &attr);
	pthread_condattr_destroy(&attr);
	pthread_atfork(vmstat_prefork, vmstat_postfork_parent, vmstat_postfork_child);
}

/**
 * vmstat_work_start - start the vmstat worker (mm_boot; start_shepherd_timer)
 *
 * Return: 0, or -errno from pthread_create.
 */
int vmstat_work_start(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	int ret;

	pthread_once(&once, vmstat_work_once);
	if (vmstat_work_running)
		return 0;
	vmstat_work_should_stop = false;
	ret = pthread_create(&vmstat_work_thread, NULL, vmstat_update, NULL);
	if (ret)
		return -ret;
	vmstat_work_running = true;
	return 0;
}

/** vmstat_work_stop - stop the vmstat worker and wait for it (mm_shutdown) */
void vmstat_work_stop(void)
{
	if (!vmstat_work_running)
		return;
	pthread_mutex_lock(&vmstat_work_lock);
	vmstat_work_should_stop = true;
	pthread_cond_signal(&vmstat_work_cond);
	pthread_mutex_unlock(&vmstat_work_lock);
	pthread_join(vmstat_work_thread, NULL);
	vmstat_work_running = false;
}

/* ------------------------------------------------------ boot, shutdown */

static void reset_globals(void)
{
	int i;

	for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		atomic_long_set(&vm_zone_stat[i], 0);
	for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		atomic_long_set(&vm_node_stat[i], 0);
	memset(&boot_events, 0, sizeof(boot_events));
}

/**
 * vmstat_boot - per-cpu counters for nr_cpu_ids CPUs and nr_online_nodes nodes
 * Return: 0 or -ENOMEM.
 */
int vmstat_boot(void)
{
	size_t nodes = (size_t)(nr_online_nodes > 0 ? nr_online_nodes : 1);
	size_t ncpu = nr_cpu_ids;
	struct vm_event_state *ev;

	vmstat_shutdown();
	ev = aligned_alloc(64, sizeof(*ev) * ncpu);
	node_stats = aligned_alloc(64, sizeof(*node_stats) * ncpu * nodes);
	numa_stats = aligned_alloc(64, ncpu * nodes * MAX_NR_ZONES * sizeof(*numa_stats));
	if (numa_stats)
		memset(numa_stats, 0, ncpu * nodes * MAX_NR_ZONES * sizeof(*numa_stats));
	if (!ev || !node_stats || !numa_stats) {
		free(ev);
		vmstat_shutdown();
		return -ENOMEM;
	}
	memset(ev, 0, sizeof(*ev) * ncpu);
	memset(node_stats, 0, sizeof(*node_stats) * ncpu * nodes);
	vm_event_states = ev;
	nr_stat_cpus = (unsigned int)ncpu;
	nr_stat_nodes = (int)nodes;
	return 0;
}

/** vmstat_shutdown - free the per-cpu counters and zero every global one */
void vmstat_shutdown(void)
{
	if (vm_event_states != &boot_events)
		free(vm_event_states);
	vm_event_states = &boot_events;
	nr_stat_cpus = 1;
	free(node_stats);
	node_stats = NULL;
	free(numa_stats);
	numa_stats = NULL;
	nr_stat_nodes = 0;
	reset_globals();
}
