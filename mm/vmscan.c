/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmscan.c - kswapd (mm/vmscan.c of Linux 6.18), reduced to what applies
 * while mmfs has nothing to reclaim.
 *
 * One kswapd thread per node, started by mm_boot (kswapd_run) and stopped
 * by mm_shutdown (kswapd_stop: set the stop flag and wake it).  The
 * allocator wakes it (wakeup_kswapd) when a fallback boosted a zone's
 * watermarks (rmqueue) and from the slow path (wake_all_kswapds); a node
 * that is balanced and not boosted is not woken.  Woken, kswapd runs
 * balance_pgdat: it snapshots each eligible zone's watermark_boost, would
 * reclaim (boosted reclaim first, then normal reclaim if the node is not
 * balanced), and at the end takes the snapshot off the boost under the
 * zone lock.  The boost therefore raises min/low/high from the fallback
 * that set it until kswapd has run for it, as in the kernel.
 *
 * Invariant: a zone's watermark_boost only grows under zone->lock
 * (boost_watermark) and only shrinks here, under zone->lock.
 *
 * Lock order: pgdat->kswapd_wait.lock -> zone->lock (balance_pgdat runs
 * under the wait lock, see kswapd()).  wakeup_kswapd is called with no
 * allocator lock held (checked_lock may be held: a leaf above, kswapd
 * never takes it).
 *
 * MMFS: there is no reclaim, so balance_pgdat reclaims nothing: it only
 * ends the boost.  Without reclaim kswapd_failures (the "hopeless node"
 * count) could never be reset on a one-node machine, so there is none:
 * kswapd sleeps after every pass unless a zone was boosted meanwhile
 * (prepare_kswapd_sleep), and a node is never unreclaimable.  No HZ/10
 * "short sleep" before the full sleep, no kcompactd to wake, no
 * pageoutrun and kswapd_*_wmark_hit_quickly events (mmfs's vmstat lacks
 * them), no freezer, no per-cpu threshold switching.
 */
#include "internal.h"
#include <stdio.h>

/* "kswapd%d" as the kernel names the thread */
#define KSWAPD_COMM_LEN	16

#define for_each_managed_zone_pgdat(zone, pgdat, idx, highest_zoneidx)		\
	for ((idx) = 0, (zone) = (pgdat)->node_zones;				\
	     (idx) <= (highest_zoneidx); (idx)++, (zone)++)			\
		if (!managed_zone(zone)) ; else

/*
 * Check for watermark boosts top-down as the higher zones are more likely
 * to be boosted.
 */
static bool pgdat_watermark_boosted(pg_data_t *pgdat, int highest_zoneidx)
{
	struct zone *zone;
	int i;

	for (i = highest_zoneidx; i >= 0; i--) {
		zone = pgdat->node_zones + i;
		if (!managed_zone(zone))
			continue;
		if (READ_ONCE(zone->watermark_boost))
			return true;
	}
	return false;
}

/*
 * pgdat_balanced - is an eligible zone of @pgdat balanced for @order and
 * @highest_zoneidx (free pages above the high watermark, boost included)?
 * A node with no managed zone there needs no balancing.
 */
static bool pgdat_balanced(pg_data_t *pgdat, int order, int highest_zoneidx)
{
	unsigned long mark = (unsigned long)-1;
	struct zone *zone;
	int i;

	/* bottom-up: lower zones are more likely to meet their watermarks */
	for_each_managed_zone_pgdat(zone, pgdat, i, highest_zoneidx) {
		unsigned long free_pages;

		/* MMFS: no NUMA memory tiering, no defrag_mode; and
		 * zone_page_state is exact here, so no percpu_drift_mark */
		mark = high_wmark_pages(zone);
		free_pages = zone_page_state(zone, NR_FREE_PAGES);
		if (__zone_watermark_ok(zone, (unsigned int)order, mark, highest_zoneidx, 0,
					(long)free_pages))
			return true;
	}
	return mark == (unsigned long)-1;
}

/*
 * prepare_kswapd_sleep - may kswapd sleep?  Called under kswapd_wait.lock.
 *
 * MMFS: the kernel sleeps when the node is balanced or hopeless (16 passes
 * that reclaimed nothing); with nothing to reclaim every pass is hopeless,
 * so kswapd sleeps unless a boost came while it ran (the kernel would find
 * that node unbalanced and run again).
 */
static bool prepare_kswapd_sleep(pg_data_t *pgdat, int order, int highest_zoneidx)
{
	(void)order;
	return !pgdat_watermark_boosted(pgdat, highest_zoneidx);
}

/*
 * balance_pgdat - reclaim for @order until a zone of @pgdat up to
 * @highest_zoneidx is balanced, then end the watermark boosts this pass
 * saw.  Return: the order reclaimed for.
 *
 * MMFS: the priority loop reclaims nothing, so of it only the outcome
 * stays: boosted reclaim stops at once (no progress), normal reclaim runs
 * out of priorities; either way the pass ends at "out".
 */
static int balance_pgdat(pg_data_t *pgdat, int order, int highest_zoneidx)
{
	unsigned long zone_boosts[MAX_NR_ZONES] = { 0, };
	unsigned long nr_boost_reclaim = 0;
	struct zone *zone;
	bool boosted;
	int i;

	/*
	 * Account for the reclaim boost.  The zone boost is left in place so
	 * that parallel allocations near the watermark see it until kswapd is
	 * finished.
	 */
	for_each_managed_zone_pgdat(zone, pgdat, i, highest_zoneidx) {
		zone_boosts[i] = READ_ONCE(zone->watermark_boost);
		nr_boost_reclaim += zone_boosts[i];
	}
	boosted = nr_boost_reclaim;

	/* If reclaim was boosted, account for the reclaim done in this pass */
	if (boosted) {
		unsigned long flags = 0;

		for (i = 0; i <= highest_zoneidx; i++) {
			if (!zone_boosts[i])
				continue;
			/* increments are under the zone lock */
			zone = pgdat->node_zones + i;
			spin_lock_irqsave(&zone->lock, flags);
			WRITE_ONCE(zone->watermark_boost,
				   zone->watermark_boost - min(zone->watermark_boost, zone_boosts[i]));
			spin_unlock_irqrestore(&zone->lock, flags);
		}
	}
	return order;
}

static enum zone_type kswapd_highest_zoneidx(pg_data_t *pgdat, enum zone_type prev_highest_zoneidx)
{
	enum zone_type curr_idx = READ_ONCE(pgdat->kswapd_highest_zoneidx);

	return curr_idx == MAX_NR_ZONES ? prev_highest_zoneidx : curr_idx;
}

/* Sleep until woken (or stopped), unless a boost waits for a pass. */
static void kswapd_try_to_sleep(pg_data_t *pgdat, int alloc_order, int reclaim_order,
				unsigned int highest_zoneidx)
{
	wait_queue_head_t *wq = &pgdat->kswapd_wait;

	(void)alloc_order;
	pthread_mutex_lock(&wq->lock);
	if (!pgdat->kswapd_should_stop &&
	    prepare_kswapd_sleep(pgdat, reclaim_order, (int)highest_zoneidx)) {
		wq->active = true;
		/* MMFS: the kernel's wake_up_interruptible may find kswapd
		 * awake already and wake nothing; the flag says it came */
		while (wq->active && !pgdat->kswapd_should_stop)
			pthread_cond_wait(&wq->cond, &wq->lock);
		wq->active = false;
	}
	pthread_mutex_unlock(&wq->lock);
}

/*
 * kswapd - the background balancer of one node: sleep, and when woken
 * balance the node for the order and zones asked (balance_pgdat).
 */
static void *kswapd(void *p)
{
	pg_data_t *pgdat = p;
	enum zone_type highest_zoneidx = MAX_NR_ZONES - 1;
	int alloc_order, reclaim_order;
	char comm[KSWAPD_COMM_LEN];

	snprintf(comm, sizeof(comm), "kswapd%d", pgdat->node_id);
	pthread_setname_np(pthread_self(), comm);
	for (;;) {
		alloc_order = reclaim_order = READ_ONCE(pgdat->kswapd_order);
		highest_zoneidx = kswapd_highest_zoneidx(pgdat, highest_zoneidx);
kswapd_try_sleep:
		kswapd_try_to_sleep(pgdat, alloc_order, reclaim_order, highest_zoneidx);

		/* read the new order and highest_zoneidx */
		alloc_order = READ_ONCE(pgdat->kswapd_order);
		highest_zoneidx = kswapd_highest_zoneidx(pgdat, highest_zoneidx);
		WRITE_ONCE(pgdat->kswapd_order, 0);
		WRITE_ONCE(pgdat->kswapd_highest_zoneidx, MAX_NR_ZONES);

		/* MMFS: the pass runs under kswapd_wait.lock, so that fork
		 * (kswapd_prefork) never finds kswapd holding a zone lock */
		pthread_mutex_lock(&pgdat->kswapd_wait.lock);
		if (pgdat->kswapd_should_stop) {
			pthread_mutex_unlock(&pgdat->kswapd_wait.lock);
			break;
		}
		reclaim_order = balance_pgdat(pgdat, alloc_order, (int)highest_zoneidx);
		pthread_mutex_unlock(&pgdat->kswapd_wait.lock);
		if (reclaim_order < alloc_order)
			goto kswapd_try_sleep;
	}
	return NULL;
}

/**
 * wakeup_kswapd - a zone is low on free memory or boosted: wake the
 * kswapd of its node, unless that node is balanced and not boosted
 * @zone: the zone
 * @gfp_flags: the allocation's gfp (MMFS: no cpusets, unused)
 * @order: the order the allocation wants
 * @highest_zoneidx: the highest zone it may use
 *
 * Context: no allocator lock held.
 */
void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order, enum zone_type highest_zoneidx)
{
	pg_data_t *pgdat;
	enum zone_type curr_idx;

	(void)gfp_flags;
	if (!managed_zone(zone))
		return;
	pgdat = zone->zone_pgdat;
	if (!READ_ONCE(pgdat->kswapd_running))
		return;
	curr_idx = READ_ONCE(pgdat->kswapd_highest_zoneidx);
	if (curr_idx == MAX_NR_ZONES || curr_idx < highest_zoneidx)
		WRITE_ONCE(pgdat->kswapd_highest_zoneidx, highest_zoneidx);
	if (READ_ONCE(pgdat->kswapd_order) < order)
		WRITE_ONCE(pgdat->kswapd_order, order);

	/* MMFS: no kswapd_failures (see the file header); no kcompactd */
	if (pgdat_balanced(pgdat, order, (int)highest_zoneidx) &&
	    !pgdat_watermark_boosted(pgdat, (int)highest_zoneidx))
		return;

	pthread_mutex_lock(&pgdat->kswapd_wait.lock);
	if (pgdat->kswapd_wait.active) {	/* waitqueue_active */
		pgdat->kswapd_wait.active = false;
		pthread_cond_signal(&pgdat->kswapd_wait.cond);
	}
	pthread_mutex_unlock(&pgdat->kswapd_wait.lock);
}

/*
 * MMFS: a forked child (the unit tests fork) has no kswapd threads: the
 * parent's are held still across fork, and the child forgets them, so
 * its mm_shutdown joins nothing and its next boot starts new ones.
 */
static void kswapd_prefork(void)
{
	int nid;

	for_each_online_node(nid)
		if (NODE_DATA(nid) && NODE_DATA(nid)->kswapd_running)
			pthread_mutex_lock(&NODE_DATA(nid)->kswapd_wait.lock);
}

static void kswapd_postfork_parent(void)
{
	int nid;

	for_each_online_node(nid)
		if (NODE_DATA(nid) && NODE_DATA(nid)->kswapd_running)
			pthread_mutex_unlock(&NODE_DATA(nid)->kswapd_wait.lock);
}

static void kswapd_postfork_child(void)
{
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (pgdat && pgdat->kswapd_running) {
			init_waitqueue_head(&pgdat->kswapd_wait);
			pgdat->kswapd_running = false;
		}
	}
}

static void kswapd_atfork_once(void)
{
	pthread_atfork(kswapd_prefork, kswapd_postfork_parent, kswapd_postfork_child);
}

/**
 * kswapd_run - start node @nid's kswapd (mm_boot)
 * @nid: the node
 *
 * Return: 0, or -errno from pthread_create (boot fails, as the kernel's
 * BUG_ON at boot).
 */
int kswapd_run(int nid)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	int ret;

	pthread_once(&once, kswapd_atfork_once);
	if (pgdat->kswapd_running)
		return 0;
	init_waitqueue_head(&pgdat->kswapd_wait);
	pgdat->kswapd_should_stop = false;
	pgdat->kswapd_order = 0;
	pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES;
	ret = pthread_create(&pgdat->kswapd, NULL, kswapd, pgdat);
	if (ret) {
		pr_err("Failed to start kswapd on node %d, ret=%d\n", nid, -ret);
		destroy_waitqueue_head(&pgdat->kswapd_wait);
		return -ret;
	}
	WRITE_ONCE(pgdat->kswapd_running, true);
	return 0;
}

/**
 * kswapd_stop - stop node @nid's kswapd and wait for it (mm_shutdown)
 * @nid: the node
 */
void kswapd_stop(int nid)
{
	pg_data_t *pgdat = NODE_DATA(nid);

	if (!pgdat || !pgdat->kswapd_running)
		return;
	pthread_mutex_lock(&pgdat->kswapd_wait.lock);
	pgdat->kswapd_should_stop = true;		/* kthread_stop */
	pthread_cond_signal(&pgdat->kswapd_wait.cond);
	pthread_mutex_unlock(&pgdat->kswapd_wait.lock);
	pthread_join(pgdat->kswapd, NULL);
	WRITE_ONCE(pgdat->kswapd_running, false);
	destroy_waitqueue_head(&pgdat->kswapd_wait);
}
