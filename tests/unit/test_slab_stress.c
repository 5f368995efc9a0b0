/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_slab_stress.c - seeded multi-threaded stress of the slab layer:
 * several threads allocate and free across kmalloc sizes, own caches
 * (plain, ctor, debug) and large kmalloc, hand objects to each other so
 * frees happen on other CPUs (remote frees, cpu partial lists), fill every
 * object with a pattern and check it at free time (two live objects never
 * overlap), and stop between rounds for mm_validate().  MMFS_STRESS_SEED
 * picks the seed (printed on failure); MMFS_STRESS_ROUNDS the length.
 */
#include "unit_common.h"
#include "slab.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NR_THREADS	4
#define NR_SLOTS	2048		/* live objects per thread */
#define NR_CACHES	4
#define HANDOFF		256

struct obj {
	unsigned char *p;
	size_t size;			/* bytes the pattern covers */
	int cache;			/* -1 kmalloc, else caches[] index */
	uint32_t tag;
};

static struct kmem_cache *caches[NR_CACHES];
static const unsigned int cache_sizes[NR_CACHES] = { 24, 200, 1000, 3000 };

/* objects passed between threads: freed by whoever takes them */
static pthread_mutex_t handoff_lock = PTHREAD_MUTEX_INITIALIZER;
static struct obj handoff[HANDOFF];
static int nr_handoff;
static atomic_int failures;

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static void fill(struct obj *o)
{
	for (size_t i = 0; i < o->size; i++)
		o->p[i] = (unsigned char)(o->tag + i * 31);
}

static bool check(const struct obj *o)
{
	for (size_t i = 0; i < o->size; i++)
		if (o->p[i] != (unsigned char)(o->tag + i * 31))
			return false;
	return true;
}

static void release(struct obj *o)
{
	if (!check(o)) {
		fprintf(stderr, "stress: object %p (size %zu cache %d) corrupted\n", (void *)o->p,
			o->size, o->cache);
		atomic_fetch_add(&failures, 1);
	}
	if (o->cache < 0)
		kfree(o->p);
	else
		kmem_cache_free(caches[o->cache], o->p);
	o->p = NULL;
}

static bool get(struct obj *o, uint64_t *rng, uint32_t tag)
{
	uint64_t r = xorshift(rng);

	o->tag = tag;
	switch (r % 8) {
	case 0: case 1: case 2: case 3:		/* small kmalloc */
		o->size = 1 + (size_t)((r >> 8) % 512);
		o->cache = -1;
		o->p = kmalloc(o->size, GFP_KERNEL);
		break;
	case 4:					/* medium/large kmalloc */
		o->size = 1 + (size_t)((r >> 8) % ((r & 0x100) ? 9000 : 40000));
		o->cache = -1;
		o->p = kmalloc(o->size, (r & 0x200) ? GFP_KERNEL | __GFP_RECLAIMABLE : GFP_KERNEL);
		break;
	default:
		o->cache = (int)((r >> 8) % NR_CACHES);
		o->size = cache_sizes[o->cache];
		o->p = kmem_cache_alloc(caches[o->cache], GFP_KERNEL);
		break;
	}
	if (!o->p)
		return false;
	if (o->cache < 0 && ksize(o->p) < o->size) {
		atomic_fetch_add(&failures, 1);
		return false;
	}
	fill(o);
	return true;
}

struct worker {
	pthread_t t;
	int id;
	uint64_t rng;
	long ops;
	struct obj slots[NR_SLOTS];
};

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	uint32_t tag = (uint32_t)w->id * 0x1000193u;

	for (long i = 0; i < w->ops; i++) {
		uint64_t r = xorshift(&w->rng);
		struct obj *o = &w->slots[r % NR_SLOTS];

		if (o->p) {
			if ((r >> 20) % 8 == 0) {
				/* hand it to another thread */
				pthread_mutex_lock(&handoff_lock);
				if (nr_handoff < HANDOFF) {
					handoff[nr_handoff++] = *o;
					o->p = NULL;
				}
				pthread_mutex_unlock(&handoff_lock);
			}
			if (o->p)
				release(o);
		} else {
			if (!get(o, &w->rng, ++tag))
				atomic_fetch_add(&failures, 1);
		}
		if ((r >> 24) % 16 == 0) {
			struct obj taken = { 0 };

			pthread_mutex_lock(&handoff_lock);
			if (nr_handoff)
				taken = handoff[--nr_handoff];
			pthread_mutex_unlock(&handoff_lock);
			if (taken.p)
				release(&taken);
		}
	}
	return NULL;
}

static void ctor_zero(void *p)
{
	memset(p, 0, 200);
}

static void run_stress(const char *boot, uint64_t seed, int rounds, long ops)
{
	static struct worker w[NR_THREADS];

	assert_int_equal(unit_boot(boot), 0);
	caches[0] = kmem_cache_create("stress-24", cache_sizes[0], 0, 0, NULL);
	caches[1] = kmem_cache_create("stress-200-ctor", cache_sizes[1], 0, SLAB_HWCACHE_ALIGN, ctor_zero);
	caches[2] = kmem_cache_create("stress-1000-debug", cache_sizes[2], 0,
				      SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_CONSISTENCY_CHECKS, NULL);
	caches[3] = kmem_cache_create("stress-3000", cache_sizes[3], 0, SLAB_RECLAIM_ACCOUNT, NULL);
	for (int i = 0; i < NR_CACHES; i++)
		assert_non_null(caches[i]);
	memset(w, 0, sizeof(w));
	nr_handoff = 0;
	atomic_store(&failures, 0);
	for (int i = 0; i < NR_THREADS; i++) {
		w[i].id = i;
		w[i].rng = seed * 0x9e3779b97f4a7c15ull + (uint64_t)i * 0xbf58476d1ce4e5b9ull + 1;
		w[i].ops = ops;
	}
	for (int round = 0; round < rounds; round++) {
		for (int i = 0; i < NR_THREADS; i++)
			assert_int_equal(pthread_create(&w[i].t, NULL, worker_fn, &w[i]), 0);
		for (int i = 0; i < NR_THREADS; i++)
			pthread_join(w[i].t, NULL);
		if (atomic_load(&failures) || !unit_validate_ok()) {
			fprintf(stderr, "stress: seed %llu round %d failed (%d failures)\n",
				(unsigned long long)seed, round, atomic_load(&failures));
			fail();
		}
		/* every so often shrink everything, as drop_caches would */
		if (round % 2)
			for (int i = 0; i < NR_CACHES; i++)
				kmem_cache_shrink(caches[i]);
	}
	/* free everything; every own cache must then be destroyable */
	for (int i = 0; i < NR_THREADS; i++)
		for (int j = 0; j < NR_SLOTS; j++)
			if (w[i].slots[j].p)
				release(&w[i].slots[j]);
	while (nr_handoff)
		release(&handoff[--nr_handoff]);
	assert_int_equal(atomic_load(&failures), 0);
	for (int i = 0; i < NR_CACHES; i++) {
		char err[128];

		assert_int_equal(mmfs_kmem_cache_destroy(kmem_cache_name(caches[i]), err, sizeof(err)), 0);
	}
	assert_true(unit_validate_ok());
	mm_shutdown();
}

static uint64_t stress_seed(void)
{
	const char *s = getenv("MMFS_STRESS_SEED");

	return s ? strtoull(s, NULL, 0) : 20261125;
}

static int stress_rounds(int dflt)
{
	const char *s = getenv("MMFS_STRESS_ROUNDS");

	return s ? atoi(s) : dflt;
}

static void test_stress_cpus2(void **state)
{
	(void)state;
	run_stress("cpus=2,mem=256M", stress_seed(), stress_rounds(6), 70000);
}

static void test_stress_cpus4_nodes2(void **state)
{
	(void)state;
	run_stress("cpus=4,nodes=2,mem=256M", stress_seed() + 1, stress_rounds(4), 70000);
}

static void test_stress_cpus1_debug_all(void **state)
{
	(void)state;
	run_stress("cpus=1,mem=256M,slub_debug=FZPU", stress_seed() + 2, stress_rounds(3), 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_stress_cpus2, unit_teardown),
		cmocka_unit_test_teardown(test_stress_cpus4_nodes2, unit_teardown),
		cmocka_unit_test_teardown(test_stress_cpus1_debug_all, unit_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
