/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_stress.c - seeded multi-threaded random stress of the page
 * allocator: millions of mixed-order, mixed-gfp allocations and frees
 * (plus get/put, drains, compound blocks) across more threads than
 * simulated CPUs, so pcp trylocks fail and the buddy fallback paths run.
 * Every block carries a stamp (owner thread, sequence) at both ends that
 * is checked before it is freed: a block handed out twice is caught.
 * mm_validate runs after each phase; at the end everything is freed and
 * the free page count must equal the managed pages again.
 *
 * MMFS_STRESS_SEED=N picks the seed (default fixed); it is printed.
 */
#include "unit_common.h"
#include "internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NR_THREADS	4
#define NR_PHASES	4
#define OPS_PER_PHASE	300000		/* per thread: 4.8M operations per run */
#define MAX_HELD	768

struct held {
	struct page *page;
	unsigned int order;
	uint64_t stamp;
};

struct worker {
	pthread_t thread;
	int id;
	uint64_t rng;
	struct held held[MAX_HELD];
	int nr_held;
	long allocs, frees, failures, errors;
};

static uint64_t next_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static void stamp_block(struct held *h)
{
	char *a = mmfs_pfn_to_ptr(page_to_pfn(h->page));
	size_t sz = PAGE_SIZE << h->order;

	memcpy(a, &h->stamp, sizeof(h->stamp));
	memcpy(a + sz - sizeof(h->stamp), &h->stamp, sizeof(h->stamp));
}

static bool stamp_ok(const struct held *h)
{
	const char *a = mmfs_pfn_to_ptr(page_to_pfn(h->page));
	size_t sz = PAGE_SIZE << h->order;
	uint64_t x, y;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, a + sz - sizeof(y), sizeof(y));
	return x == h->stamp && y == h->stamp;
}

static unsigned int pick_order(uint64_t r)
{
	unsigned int p = (unsigned int)(r % 1000);

	if (p < 700)
		return 0;
	if (p < 880)
		return 1 + (unsigned int)((r >> 10) % 3);		/* 1..3 via pcp */
	if (p < 990)
		return 4 + (unsigned int)((r >> 10) % 5);		/* 4..8 buddy */
	return pageblock_order + (unsigned int)((r >> 10) % 2);	/* 9 (THP pcp), 10 */
}

static gfp_t pick_gfp(uint64_t r)
{
	static const gfp_t gfps[] = {
		GFP_KERNEL, GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_HIGHUSER_MOVABLE,
		GFP_KERNEL | __GFP_RECLAIMABLE, GFP_ATOMIC, GFP_NOWAIT, GFP_DMA32 | GFP_KERNEL,
		GFP_KERNEL | __GFP_COMP, GFP_USER,
	};
	return gfps[r % ARRAY_SIZE(gfps)] | __GFP_NOWARN;
}

static void free_held(struct worker *w, int i)
{
	struct held *h = &w->held[i];

	if (!stamp_ok(h))
		w->errors++;
	if (page_ref_count(h->page) != 1)
		w->errors++;
	__free_pages(h->page, h->order);
	w->held[i] = w->held[--w->nr_held];
	w->frees++;
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	char comm[16];

	snprintf(comm, sizeof(comm), "stress%d", w->id);
	mmfs_set_current(1000 + (unsigned int)w->id, 100 + w->id, comm);
	for (long op = 0; op < OPS_PER_PHASE; op++) {
		uint64_t r = next_rand(&w->rng);
		unsigned int what = (unsigned int)(r % 100);

		if (what < 52 && w->nr_held < MAX_HELD) {
			unsigned int order = pick_order(r >> 8);
			gfp_t gfp = pick_gfp(r >> 24);
			struct page *page = alloc_pages(gfp, order);
			struct held *h;

			if (!page) {
				w->failures++;
				continue;
			}
			if (page_ref_count(page) != 1 || PageBuddy(page))
				w->errors++;
			if ((gfp & __GFP_COMP) && order && !PageHead(page))
				w->errors++;
			h = &w->held[w->nr_held++];
			h->page = page;
			h->order = order;
			h->stamp = ((uint64_t)w->id << 56) ^ (uint64_t)op ^ (r << 8);
			stamp_block(h);
			w->allocs++;
		} else if (what < 97 && w->nr_held) {
			free_held(w, (int)((r >> 8) % (uint64_t)w->nr_held));
		} else if (what < 99 && w->nr_held) {
			/* a transient extra reference */
			struct held *h = &w->held[(r >> 8) % (uint64_t)w->nr_held];

			get_page(h->page);
			if (page_ref_count(compound_head(h->page)) < 2)
				w->errors++;
			put_page(h->page);
		} else {
			drain_local_pages(NULL);
		}
	}
	return NULL;
}

/* @ncpus simulated CPUs for NR_THREADS threads */
static void run_stress(long ncpus)
{
	struct worker *w = calloc(NR_THREADS, sizeof(*w));
	uint64_t seed = 0x5eed5eed1234ull;
	const char *env = getenv("MMFS_STRESS_SEED");
	long allocs = 0, frees = 0, failures = 0;

	if (env)
		seed = strtoull(env, NULL, 0);
	unsigned long free0[MAX_NUMNODES * MAX_NR_ZONES] = { 0 };
	struct zone *z;
	int zi = 0;
	char opts[128];

	snprintf(opts, sizeof(opts), "mem=256M,nodes=2,cpus=%ld,init_on_alloc=0", ncpus);
	assert_int_equal(unit_boot(opts), 0);
	printf("stress seed %#llx, %ld simulated CPUs for %d threads\n", (unsigned long long)seed,
	       ncpus, NR_THREADS);
	drain_all_pages(NULL);
	for_each_populated_zone(z)
		free0[zi++] = zone_page_state(z, NR_FREE_PAGES);
	for (int i = 0; i < NR_THREADS; i++) {
		w[i].id = i;
		w[i].rng = seed * (2 * (uint64_t)i + 1) | 1;
	}
	for (int phase = 0; phase < NR_PHASES; phase++) {
		for (int i = 0; i < NR_THREADS; i++)
			assert_int_equal(pthread_create(&w[i].thread, NULL, worker_fn, &w[i]), 0);
		for (int i = 0; i < NR_THREADS; i++)
			pthread_join(w[i].thread, NULL);
		for (int i = 0; i < NR_THREADS; i++)
			assert_int_equal(w[i].errors, 0);
		if (!unit_validate_ok())
			fail_msg("validate failed after phase %d", phase);
		if (phase == 1)
			drain_all_pages(NULL);
	}
	for (int i = 0; i < NR_THREADS; i++) {
		while (w[i].nr_held)
			free_held(&w[i], w[i].nr_held - 1);
		assert_int_equal(w[i].errors, 0);
		allocs += w[i].allocs;
		frees += w[i].frees;
		failures += w[i].failures;
	}
	printf("stress: %ld allocations, %ld frees, %ld failed allocations\n", allocs, frees, failures);
	assert_int_equal(allocs, frees);
	assert_true(allocs > 1000000);
	drain_all_pages(NULL);
	assert_true(unit_validate_ok());
	/* every page is back where it was after boot */
	zi = 0;
	for_each_populated_zone(z)
		assert_int_equal(zone_page_state(z, NR_FREE_PAGES), free0[zi++]);
	free(w);
	mm_shutdown();
}

/* a simulated CPU per host CPU: threads share a pcp only when they share
 * a host CPU */
static void test_random_stress(void **state)
{
	(void)state;
	run_stress(sysconf(_SC_NPROCESSORS_CONF));
}

/* one simulated CPU: every thread on the same pcp lists, so trylocks fail
 * often and the buddy fallbacks run */
static void test_random_stress_one_cpu(void **state)
{
	(void)state;
	run_stress(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_stress),
		cmocka_unit_test(test_random_stress_one_cpu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
