/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_slab_alloc.c - the slab API under every allocator, then SLAB itself.
 *
 * Part 1 runs one table of tests in one cmocka group per allocator
 * (slab=slub, slab=slab, slab=slob, and slab=slab with slub_debug=FZPU),
 * each group booting its own machine: cache lifecycle, constructors, kmalloc size classes, ksize,
 * krealloc, bulk, destroy with live objects (EBUSY), the checked mmfs_*
 * entry points, node placement, caches/ attributes, two threads at once,
 * and validate.
 *
 * Part 2 is SLAB only (mm/slab.c of 6.1): the kmalloc cache geometry and
 * tunables enable_cpucache() gives, array_cache hits and refills
 * (BATCHREFILL_LIMIT on the first refill), the shared array, the tunables
 * write to slabinfo, slab colouring, alien frees between two nodes, and
 * cache_reap draining the per-cpu arrays (by hand and by its thread).
 * The thread is pinned to one host CPU there, since the per-cpu arrays are
 * per simulated CPU.
 */
#include "unit_common.h"
#include "slab_internal.h"
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#define SLOB_UNIT	2
#define SLOB_UNITS(s)	DIV_ROUND_UP(s, SLOB_UNIT)

static enum mmfs_slab_allocator cur;	/* the booted allocator */

static int boot(const char *opts, enum mmfs_slab_allocator a)
{
	cur = a;
	return unit_boot(opts) ? -1 : 0;
}

static int setup_slub(void **state) { (void)state; return boot("mem=64M,cpus=2,nodes=2,slab=slub", MMFS_SLUB); }
static int setup_slab(void **state) { (void)state; return boot("mem=64M,cpus=2,nodes=2,slab=slab", MMFS_SLAB); }
static int setup_slob(void **state) { (void)state; return boot("mem=64M,cpus=2,nodes=2,slab=slob", MMFS_SLOB); }
/* SLAB with red zones, poison and store-user on every cache that allows them */
static int setup_slab_debug(void **state) { (void)state; return boot("mem=64M,cpus=2,nodes=2,slab=slab,slub_debug=FZPU", MMFS_SLAB); }
/* ================================================================ part 1 */
static void test_boot_names_allocator(void **state)
{
	static const char * const names[] = { "SLUB", "SLAB", "SLOB" };
	char needle[16];
	size_t len;
	char *log = mm_log_snapshot(&len);

	(void)state;
	assert_string_equal(mmfs_slab_allocator_name(), names[cur]);
	snprintf(needle, sizeof(needle), "%s: ", names[cur]);
	assert_non_null(log);
	if (!strstr(log, needle))
		fail_msg("boot log does not name %s", names[cur]);
	free(log);
	/* slabinfo: SLUB and SLAB have it, SLOB has none */
	{
		int err = 0;
		char *si = mmfs_slabinfo_render(&len, &err);

		if (cur == MMFS_SLOB) {
			assert_null(si);
			assert_int_equal(err, -ENOENT);
		} else {
			assert_non_null(si);
			assert_true(!strncmp(si, "slabinfo - version: 2.1\n", 24));
			free(si);
		}
	}
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

static void test_cache_lifecycle(void **state)
{
	enum { N = 600, SZ = 100 };
	void **p = calloc(N, sizeof(void *));
	struct kmem_cache *s;
	char cache[64];
	unsigned long start;
	unsigned int objsize;

	(void)state;
	s = kmem_cache_create("t_life", SZ, 0, 0, NULL);
	assert_non_null(s);
	assert_true(mmfs_cache_exists("t_life"));
	assert_int_equal(kmem_cache_size(s), SZ);
	assert_string_equal(kmem_cache_name(s), "t_life");
	assert_null(kmem_cache_create("t_life", SZ, 0, 0, NULL));	/* name taken */
	for (int i = 0; i < N; i++) {
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_non_null(p[i]);
		assert_true(((uintptr_t)p[i] & 7) == 0);
		memset(p[i], i & 0xff, SZ);
	}
	for (int i = 0; i < N; i++) {
		for (int j = 0; j < SZ; j++)
			if (((unsigned char *)p[i])[j] != (i & 0xff))
				fail_msg("object %d byte %d overwritten", i, j);
		assert_int_equal(mmfs_slab_object_at(mmfs_kaddr((char *)p[i] + 50), cache,
						     sizeof(cache), &start, &objsize), 0);
		assert_string_equal(cache, "t_life");
		assert_int_equal(start, mmfs_kaddr(p[i]));
		assert_int_equal(objsize, SZ);
	}
	/* lookup names the cache and the state of the object */
	{
		char buf[512];

		assert_true(mmfs_lookup_addr(mmfs_kaddr(p[1]), buf, sizeof(buf)) > 0);
		if (!strstr(buf, "cache=t_life ") || !strstr(buf, "in_use"))
			fail_msg("lookup of a live object: %s", buf);
		kmem_cache_free(s, p[1]);
		assert_true(mmfs_lookup_addr(mmfs_kaddr(p[1]), buf, sizeof(buf)) > 0);
		if (!strstr(buf, "cache=t_life ") || !strstr(buf, "free"))
			fail_msg("lookup of a freed object: %s", buf);
		p[1] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_non_null(p[1]);
		memset(p[1], 1, SZ);
	}
	/* no two objects overlap */
	qsort(p, N, sizeof(void *), cmp_ptr);
	for (int i = 1; i < N; i++)
		assert_true((uintptr_t)p[i] - (uintptr_t)p[i - 1] >= SZ);
	assert_true(unit_validate_ok());
	for (int i = 0; i < N; i++)
		kmem_cache_free(s, p[i]);
	assert_int_equal(mmfs_slab_object_at(mmfs_kaddr(p[0]), cache, sizeof(cache), NULL, NULL),
			 -ENOENT);
	assert_int_equal(mmfs_kmem_cache_destroy("t_life", NULL, 0), 0);
	assert_false(mmfs_cache_exists("t_life"));
	assert_true(unit_validate_ok());
	free(p);
}

#define CTOR_MAGIC 0x5eed5eedu
static void ctor_fn(void *obj) { *(unsigned int *)obj = CTOR_MAGIC; }

static void test_ctor(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_ctor", 48, 0, 0, ctor_fn);
	void *p[64];

	(void)state;
	assert_non_null(s);
	for (int i = 0; i < 64; i++) {
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_non_null(p[i]);
		assert_int_equal(*(unsigned int *)p[i], CTOR_MAGIC);
	}
	for (int i = 0; i < 64; i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_destroy(s);
	assert_false(mmfs_cache_exists("t_ctor"));
}

/* What ksize() must say for kmalloc(size) under each allocator. */
static size_t expected_ksize(size_t size)
{
	if (cur == MMFS_SLOB) {
		if (size < PAGE_SIZE - 8)
			return SLOB_UNITS(size) * SLOB_UNIT;
		return PAGE_SIZE << get_order(size);
	}
	/* 6.1: SLUB kmalloc-8 .. kmalloc-8k, then pages; SLAB kmalloc-32 .. kmalloc-4M */
	if (cur == MMFS_SLUB && size > 8192)
		return PAGE_SIZE << get_order(size);
	if (cur == MMFS_SLUB && size <= 8)
		return 8;
	if (cur == MMFS_SLUB && size <= 16)
		return 16;
	if (size <= 32)
		return 32;
	if (size <= 64)
		return 64;
	if (size <= 96)
		return 96;
	if (size <= 128)
		return 128;
	if (size <= 192)
		return 192;
	return roundup_pow_of_two(size);
}

static void test_kmalloc_sizes(void **state)
{
	static const size_t sizes[] = { 1, 7, 8, 9, 16, 24, 31, 32, 33, 63, 64, 65, 90, 96, 97,
					128, 150, 192, 200, 255, 256, 257, 500, 512, 700, 1000,
					1024, 1500, 2048, 3000, 4000, 4088, 4095, 4096, 5000,
					8000, 8192, 8193, 12000, 65536, 100000, 1 << 20 };
	void *p[ARRAY_SIZE(sizes)];

	(void)state;
	assert_true(ZERO_OR_NULL_PTR(kmalloc(0, GFP_KERNEL)));
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t sz = sizes[i];

		p[i] = kmalloc(sz, GFP_KERNEL);
		assert_non_null(p[i]);
		memset(p[i], (int)(i + 1), sz);
		if (ksize(p[i]) != expected_ksize(sz))
			fail_msg("ksize(kmalloc(%zu)) = %zu, expected %zu", sz, ksize(p[i]),
				 expected_ksize(sz));
		/* power-of-two sizes are naturally aligned (up to a page) */
		if (!(sz & (sz - 1)) && sz >= 8)
			assert_true(((uintptr_t)p[i] & (min(sz, PAGE_SIZE) - 1)) == 0);
		else
			assert_true(((uintptr_t)p[i] & 7) == 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (size_t j = 0; j < sizes[i]; j++)
			if (((unsigned char *)p[i])[j] != (unsigned char)(i + 1))
				fail_msg("kmalloc(%zu) byte %zu overwritten", sizes[i], j);
	}
	assert_true(unit_validate_ok());
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		kfree(p[i]);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	assert_true(unit_validate_ok());
}

static int collect_kmalloc(const char *name, const char *alias_of, void *arg)
{
	char *buf = arg;

	(void)alias_of;
	if (!strncmp(name, "kmalloc-", 8) && strncmp(name, "kmalloc-rcl-", 12)) {
		strcat(buf, name);
		strcat(buf, " ");
	}
	return 0;
}

/* The kmalloc caches each allocator has (include/linux/slab.h): SLUB
 * kmalloc-8 .. kmalloc-8k (then pages), -96 and -192 created first as in
 * 6.18; SLAB kmalloc-32 .. kmalloc-4M (sizes 1..32 all in kmalloc-32, no
 * page path) in 6.1's order; SLOB none; newest first. */
static void test_kmalloc_cache_range(void **state)
{
	static const char slub_names[] = "kmalloc-8k kmalloc-4k kmalloc-2k kmalloc-1k kmalloc-512 "
		"kmalloc-256 kmalloc-128 kmalloc-64 kmalloc-32 kmalloc-16 kmalloc-8 kmalloc-192 kmalloc-96 ";
	static const char slab_names[] = "kmalloc-4M kmalloc-2M kmalloc-1M kmalloc-512k kmalloc-256k "
		"kmalloc-128k kmalloc-64k kmalloc-32k kmalloc-16k kmalloc-8k kmalloc-4k kmalloc-2k "
		"kmalloc-1k kmalloc-512 kmalloc-256 kmalloc-192 kmalloc-96 kmalloc-64 kmalloc-32 "
		"kmalloc-128 ";	/* INDEX_NODE's cache first (kmem_cache_init), so last here */
	char names[2048] = "", cache[64];
	unsigned long kaddr;
	char err[128];
	void *p;

	(void)state;
	mmfs_cache_for_each(collect_kmalloc, names);
	switch (cur) {
	case MMFS_SLUB:
		assert_string_equal(names, slub_names);
		assert_int_equal(KMALLOC_MAX_CACHE_SIZE, 8192);
		assert_int_equal(KMALLOC_MIN_SIZE, 8);
		break;
	case MMFS_SLAB:
		assert_string_equal(names, slab_names);
		assert_int_equal(KMALLOC_MAX_CACHE_SIZE, KMALLOC_MAX_SIZE);
		assert_int_equal(KMALLOC_MIN_SIZE, 32);
		assert_true(mmfs_cache_exists("kmalloc-rcl-4M"));
		assert_true(mmfs_cache_exists("dma-kmalloc-32"));
		assert_false(mmfs_cache_exists("dma-kmalloc-16"));
		break;
	default:
		assert_string_equal(names, "");
		break;
	}
	/* the smallest sizes */
	for (size_t sz = 1; sz <= 32; sz++) {
		assert_int_equal(mmfs_kmalloc(sz, GFP_KERNEL, NUMA_NO_NODE, &kaddr, cache, sizeof(cache)), 0);
		if (cur == MMFS_SLAB)
			assert_string_equal(cache, "kmalloc-32");
		else if (cur == MMFS_SLUB)
			assert_string_equal(cache, sz <= 8 ? "kmalloc-8" : sz <= 16 ? "kmalloc-16" : "kmalloc-32");
		else
			assert_string_equal(cache, "kmalloc");
		assert_int_equal(mmfs_kfree(kaddr, err, sizeof(err)), 0);
	}
	/* the largest: KMALLOC_MAX_SIZE is a slab object under SLAB only */
	p = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(ksize(p), KMALLOC_MAX_SIZE);
	assert_int_equal(PageSlab(virt_to_page(p)) ? 1 : 0, cur == MMFS_SLAB);
	if (cur == MMFS_SLAB)
		assert_string_equal(virt_to_slab(p)->slab_cache->name, "kmalloc-4M");
	kfree(p);
	assert_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL));
	assert_int_equal(mmfs_kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL, NUMA_NO_NODE, &kaddr, cache,
				      sizeof(cache)), 0);
	assert_string_equal(cache, cur == MMFS_SLAB ? "kmalloc-4M" : "");
	assert_int_equal(mmfs_kfree(kaddr, err, sizeof(err)), 0);
	assert_true(unit_validate_ok());
}

/* slab_common.c's shared pieces: the random object order (SLAB and SLUB),
 * the trigger attribute parser (all three), the reaper entry points (no-ops
 * outside SLAB). */
static void test_common_helpers(void **state)
{
	struct kmem_cache k;
	bool seen[200];
	bool moved = false;

	(void)state;
	memset(&k, 0, sizeof(k));
	assert_int_equal(cache_random_seq_create(&k, 1, GFP_KERNEL), 0);
	assert_null(k.random_seq);		/* nothing to shuffle */
	assert_int_equal(cache_random_seq_create(&k, 200, GFP_KERNEL), 0);
#ifdef CONFIG_SLAB_FREELIST_RANDOM
	assert_non_null(k.random_seq);
	memset(seen, 0, sizeof(seen));
	for (unsigned int i = 0; i < 200; i++) {
		assert_true(k.random_seq[i] < 200);
		assert_false(seen[k.random_seq[i]]);
		seen[k.random_seq[i]] = true;
		if (k.random_seq[i] != i)
			moved = true;
	}
	assert_true(moved);	/* 1 in 200! to stay in order */
	{
		unsigned int *first = k.random_seq;

		assert_int_equal(cache_random_seq_create(&k, 200, GFP_KERNEL), 0);
		assert_ptr_equal(k.random_seq, first);	/* made once */
	}
#else
	(void)seen;
	(void)moved;
#endif
	cache_random_seq_destroy(&k);
	assert_null(k.random_seq);

	assert_int_equal(slab_attr_trigger_value("1", 1), 0);
	assert_int_equal(slab_attr_trigger_value("1\n", 2), 0);
	assert_int_equal(slab_attr_trigger_value("1\n", 0), -EINVAL);
	assert_int_equal(slab_attr_trigger_value("2\n", 2), -EINVAL);
	assert_int_equal(slab_attr_trigger_value("11", 2), -EINVAL);
	assert_int_equal(slab_attr_trigger_value("1 ", 2), -EINVAL);
	assert_int_equal(slab_attr_trigger_value("1\n\n", 3), -EINVAL);
	assert_int_equal(slab_attr_trigger_value("yes\n", 4), -EINVAL);
	assert_int_equal(mmfs_cache_attr_store("kmem_cache", "shrink", "1\n", 2), 0);
	assert_int_equal(mmfs_cache_attr_store("kmem_cache", "validate", "1", 1), 0);
	assert_int_equal(mmfs_cache_attr_store("kmem_cache", "shrink", "2\n", 2), -EINVAL);
	assert_int_equal(mmfs_cache_attr_store("kmem_cache", "validate", "0\n", 2), -EINVAL);

	/* the flag files, rendered by slab_common.c for every allocator */
	{
		struct kmem_cache *c = kmem_cache_create("t_flags", 40, 0,
							 SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT, NULL);
		char buf[16];

		assert_non_null(c);
		assert_int_equal(mmfs_cache_attr_show("t_flags", "hwcache_align", buf, sizeof(buf)), 2);
		assert_string_equal(buf, "1\n");
		assert_int_equal(mmfs_cache_attr_show("t_flags", "reclaim_account", buf, sizeof(buf)), 2);
		assert_string_equal(buf, "1\n");
		assert_int_equal(mmfs_cache_attr_show("t_flags", "destroy_by_rcu", buf, sizeof(buf)), 2);
		assert_string_equal(buf, "0\n");
		/* only the allocator's own files: SLUB's trace is no SLAB/SLOB file */
		if (cur == MMFS_SLUB) {
			assert_int_equal(mmfs_cache_attr_show("t_flags", "trace", buf, sizeof(buf)), 2);
			assert_string_equal(buf, "0\n");
		} else {
			assert_int_equal(mmfs_cache_attr_show("t_flags", "trace", buf, sizeof(buf)), -ENOENT);
		}
		assert_int_equal(mmfs_cache_attr_show("t_flags", "hwcache_align", buf, 0), -EINVAL);
		assert_int_equal(mmfs_cache_attr_store("t_flags", "hwcache_align", "1", 1), -EPERM);
		assert_int_equal(mmfs_cache_attr_store("t_flags", "no_such_attr", "1", 1), -ENOENT);
		kmem_cache_destroy(c);
	}

	assert_int_equal(mmfs_slab_cache_reap_now(), 0);
	if (cur != MMFS_SLAB) {
		assert_int_equal(mmfs_slab_reap_start(5), 0);	/* no thread: a no-op */
		mmfs_slab_reap_stop();
	}
	assert_true(unit_validate_ok());
}

static void test_kzalloc_kcalloc(void **state)
{
	unsigned char *p = kzalloc(300, GFP_KERNEL), *q;

	(void)state;
	assert_non_null(p);
	for (int i = 0; i < 300; i++)
		assert_int_equal(p[i], 0);
	memset(p, 0xff, 300);
	kfree(p);
	q = kcalloc(10, 30, GFP_KERNEL);
	assert_non_null(q);
	for (int i = 0; i < 300; i++)
		assert_int_equal(q[i], 0);
	kfree(q);
	assert_null(kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL));
}

static void test_kmalloc_names(void **state)
{
	char cache[64];
	unsigned long kaddr;
	size_t ks;
	char err[128];

	(void)state;
	assert_int_equal(mmfs_kmalloc(100, GFP_KERNEL, NUMA_NO_NODE, &kaddr, cache, sizeof(cache)), 0);
	if (cur == MMFS_SLOB) {
		/* SLOB's kmalloc heap: no cache of that name in caches/ */
		assert_string_equal(cache, "kmalloc");
		assert_false(mmfs_cache_exists(cache));
	} else {
		assert_string_equal(cache, "kmalloc-128");
		assert_true(mmfs_cache_exists(cache));
	}
	/* a name that is no cache, or SLOB's heap: -ENOENT */
	{
		unsigned long k2;
		unsigned int objsize;

		assert_int_equal(mmfs_kmem_cache_alloc("kmalloc", GFP_KERNEL, NUMA_NO_NODE, &k2,
						       &objsize), -ENOENT);
	}
	assert_int_equal(mmfs_ksize(kaddr, &ks), 0);
	assert_int_equal(ks, expected_ksize(100));
	assert_int_equal(mmfs_kfree(kaddr + 8, err, sizeof(err)), -EINVAL);	/* not the start */
	assert_int_equal(mmfs_kfree(kaddr, err, sizeof(err)), 0);
	assert_int_equal(mmfs_kfree(kaddr, err, sizeof(err)), -EINVAL);	/* double free */
	/* a large one: whole pages (SLAB: kmalloc-32k) */
	assert_int_equal(mmfs_kmalloc(20000, GFP_KERNEL, NUMA_NO_NODE, &kaddr, cache, sizeof(cache)), 0);
	assert_string_equal(cache, cur == MMFS_SLAB ? "kmalloc-32k" : "");
	assert_int_equal(mmfs_ksize(kaddr, &ks), 0);
	assert_int_equal(ks, expected_ksize(20000));
	assert_int_equal(mmfs_kfree(kaddr, err, sizeof(err)), 0);
	assert_true(unit_validate_ok());
}

static void test_krealloc(void **state)
{
	static const size_t steps[] = { 16, 100, 1000, 4000, 5000, 9000, 20000, 3000, 40 };
	unsigned char *p = kmalloc(8, GFP_KERNEL);
	size_t have = 8;

	(void)state;
	assert_non_null(p);
	for (size_t i = 0; i < 8; i++)
		p[i] = (unsigned char)i;
	for (size_t s = 0; s < ARRAY_SIZE(steps); s++) {
		size_t keep = min(have, steps[s]);

		p = krealloc(p, steps[s], GFP_KERNEL);
		assert_non_null(p);
		assert_true(ksize(p) >= steps[s]);
		for (size_t i = 0; i < keep; i++)
			if (p[i] != (unsigned char)i)
				fail_msg("krealloc to %zu lost byte %zu", steps[s], i);
		for (size_t i = 0; i < steps[s]; i++)
			p[i] = (unsigned char)i;
		have = steps[s];
	}
	assert_ptr_equal(krealloc(p, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_true(unit_validate_ok());
}

static void test_bulk(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_bulk", 72, 8, 0, NULL);
	void *p[300];

	(void)state;
	assert_non_null(s);
	assert_int_equal(kmem_cache_alloc_bulk(s, GFP_KERNEL, 300, p), 300);
	for (int i = 0; i < 300; i++) {
		assert_non_null(p[i]);
		memset(p[i], 0x3c, 72);
	}
	qsort(p, 300, sizeof(void *), cmp_ptr);
	for (int i = 1; i < 300; i++)
		assert_true((uintptr_t)p[i] - (uintptr_t)p[i - 1] >= 72);
	assert_true(unit_validate_ok());
	kmem_cache_free_bulk(s, 300, p);
	assert_int_equal(mmfs_kmem_cache_destroy("t_bulk", NULL, 0), 0);
}

static void test_destroy_busy(void **state)
{
	char err[128] = "";
	unsigned long a, b;
	unsigned int objsize;

	(void)state;
	assert_int_equal(mmfs_kmem_cache_create("t_busy", 200, 0, "SLAB_HWCACHE_ALIGN", err,
						sizeof(err)), 0);
	assert_int_equal(mmfs_kmem_cache_create("t_busy", 200, 0, "", err, sizeof(err)), -EEXIST);
	assert_int_equal(mmfs_kmem_cache_alloc("t_busy", GFP_KERNEL, NUMA_NO_NODE, &a, &objsize), 0);
	assert_int_equal(objsize, 200);
	assert_int_equal(mmfs_kmem_cache_destroy("t_busy", err, sizeof(err)), -EBUSY);
	assert_true(mmfs_cache_exists("t_busy"));
	/* still usable */
	assert_int_equal(mmfs_kmem_cache_alloc("t_busy", GFP_KERNEL, NUMA_NO_NODE, &b, NULL), 0);
	assert_int_not_equal(a, b);
	assert_true(unit_validate_ok());
	assert_int_equal(mmfs_kmem_cache_free("t_busy", a, err, sizeof(err)), 0);
	assert_int_equal(mmfs_kmem_cache_free("t_busy", a, err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_destroy("t_busy", err, sizeof(err)), -EBUSY);
	assert_int_equal(mmfs_kmem_cache_free("t_busy", b, err, sizeof(err)), 0);
	assert_int_equal(mmfs_kmem_cache_destroy("t_busy", err, sizeof(err)), 0);
	assert_false(mmfs_cache_exists("t_busy"));
	assert_int_equal(mmfs_kmem_cache_destroy("t_busy", err, sizeof(err)), -ENOENT);
}

static void test_checked_entry_points(void **state)
{
	char err[128] = "";
	unsigned long a, k;
	char cache[64];

	(void)state;
	assert_int_equal(mmfs_kmem_cache_create("bad name", 10, 0, "", err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_create("t_x", 0, 0, "", err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_create("t_x", 10, 3, "", err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_create("t_x", 10, 0, "SLAB_BOGUS", err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_create("t_x", 40, 0, "", err, sizeof(err)), 0);
	assert_int_equal(mmfs_kmem_cache_create("t_y", 40, 0, "", err, sizeof(err)), 0);
	assert_int_equal(mmfs_kmem_cache_alloc("t_x", GFP_KERNEL, NUMA_NO_NODE, &a, NULL), 0);
	assert_int_equal(mmfs_kmem_cache_alloc("nosuch", GFP_KERNEL, NUMA_NO_NODE, &k, NULL), -ENOENT);
	assert_int_equal(mmfs_kmem_cache_free("t_y", a, err, sizeof(err)), -EINVAL);	/* wrong cache */
	assert_int_equal(mmfs_kmem_cache_free("t_x", a + 1, err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_free("t_x", 0xffff888000000000UL + 17, err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmalloc(0, GFP_KERNEL, NUMA_NO_NODE, &k, cache, sizeof(cache)), -EINVAL);
	assert_int_equal(mmfs_kmalloc(64, GFP_KERNEL, 7, &k, cache, sizeof(cache)), -EINVAL);
	assert_int_equal(mmfs_kfree(0x1234, err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_free("t_x", a, err, sizeof(err)), 0);
	assert_int_equal(mmfs_kmem_cache_destroy("t_x", err, sizeof(err)), 0);
	assert_int_equal(mmfs_kmem_cache_destroy("t_y", err, sizeof(err)), 0);
	assert_int_equal(mmfs_kmem_cache_destroy("kmem_cache", err, sizeof(err)), -EPERM);
	assert_true(unit_validate_ok());
}

static void test_alloc_node(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_node", 128, 0, 0, NULL);
	void *p[2][40], *k[2];

	(void)state;
	assert_non_null(s);
	for (int nid = 0; nid < 2; nid++) {
		for (int i = 0; i < 40; i++) {
			p[nid][i] = kmem_cache_alloc_node(s, GFP_KERNEL, nid);
			assert_non_null(p[nid][i]);
			assert_int_equal(page_to_nid(virt_to_page(p[nid][i])), nid);
		}
		k[nid] = kmalloc_node(300, GFP_KERNEL, nid);
		assert_non_null(k[nid]);
		assert_int_equal(page_to_nid(virt_to_page(k[nid])), nid);
	}
	/* free from whatever CPU we are on: remote frees included */
	for (int nid = 0; nid < 2; nid++) {
		for (int i = 0; i < 40; i++)
			kmem_cache_free(s, p[nid][i]);
		kfree(k[nid]);
	}
	assert_true(unit_validate_ok());
	assert_int_equal(mmfs_kmem_cache_destroy("t_node", NULL, 0), 0);
}

static void test_attrs(void **state)
{
	const struct mmfs_slab_attr *a = mmfs_cache_attrs();
	struct kmem_cache *s = kmem_cache_create("t_attr", 40, 0, 0, NULL);
	bool has_size = false, has_objects = false;
	void *p[10];
	char buf[256];

	(void)state;
	assert_non_null(a);
	assert_non_null(s);
	for (; a->name; a++) {
		has_size |= !strcmp(a->name, "object_size");
		has_objects |= !strcmp(a->name, "objects");
		if (a->mode & 0400)
			assert_true(mmfs_cache_attr_show("t_attr", a->name, buf, sizeof(buf)) >= 0);
	}
	assert_true(has_size && has_objects);
	for (int i = 0; i < 10; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_true(mmfs_cache_attr_show("t_attr", "object_size", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "40\n");
	assert_true(mmfs_cache_attr_show("t_attr", "objects", buf, sizeof(buf)) > 0);
	assert_true(strtoul(buf, NULL, 10) >= 10);
	assert_int_equal(mmfs_cache_attr_show("t_attr", "no_such_attr", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(mmfs_cache_attr_show("no_such_cache", "objects", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(mmfs_cache_attr_store("t_attr", "object_size", "1", 1), -EPERM);
	assert_int_equal(mmfs_cache_attr_store("t_attr", "shrink", "2", 1), -EINVAL);
	assert_int_equal(mmfs_cache_attr_store("t_attr", "shrink", "1\n", 2), 0);
	assert_int_equal(mmfs_cache_attr_store("t_attr", "validate", "1", 1), 0);
	for (int i = 0; i < 10; i++)
		kmem_cache_free(s, p[i]);
	assert_int_equal(kmem_cache_shrink(s) >= 0, 1);
	kmem_cache_destroy(s);
	assert_false(mmfs_cache_exists("t_attr"));
}

struct worker { struct kmem_cache *s; unsigned int seed; int bad; };

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	void *held[64] = { 0 };
	bool from_cache[64] = { 0 };

	for (int i = 0; i < 20000; i++) {
		unsigned int r = rand_r(&w->seed);
		int slot = (int)(r % 64);

		if (held[slot]) {
			if (*(unsigned int *)held[slot] != (unsigned int)(uintptr_t)held[slot])
				w->bad++;
			if (from_cache[slot])
				kmem_cache_free(w->s, held[slot]);
			else
				kfree(held[slot]);
			held[slot] = NULL;
		} else {
			from_cache[slot] = r & 64;
			held[slot] = from_cache[slot] ? kmem_cache_alloc(w->s, GFP_KERNEL) :
						       kmalloc(16 + r % 2000, GFP_KERNEL);
			if (!held[slot])
				w->bad++;
			else
				*(unsigned int *)held[slot] = (unsigned int)(uintptr_t)held[slot];
		}
	}
	for (int i = 0; i < 64; i++) {
		if (!held[i])
			continue;
		if (from_cache[i])
			kmem_cache_free(w->s, held[i]);
		else
			kfree(held[i]);
	}
	return NULL;
}

static void test_two_threads(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_threads", 100, 0, 0, NULL);
	struct worker w[2] = { { s, 1, 0 }, { s, 2, 0 } };
	pthread_t t[2];

	(void)state;
	assert_non_null(s);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker_fn, &w[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(w[0].bad + w[1].bad, 0);
	assert_true(unit_validate_ok());
	assert_int_equal(mmfs_kmem_cache_destroy("t_threads", NULL, 0), 0);
}

static void test_cache_walk(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_walk", 24, 0, 0, NULL);
	size_t len;
	int err;
	char *si;

	(void)state;
	assert_non_null(s);
	assert_true(mmfs_cache_exists("kmem_cache"));
	if (cur != MMFS_SLOB) {
		assert_true(mmfs_cache_exists("kmalloc-64"));
		si = mmfs_slabinfo_render(&len, &err);
		assert_non_null(si);
		assert_non_null(strstr(si, "\nt_walk "));
		free(si);
	}
	kmem_cache_destroy(s);
	assert_true(unit_validate_ok());
}

#define COMMON_TESTS \
	cmocka_unit_test(test_boot_names_allocator), \
	cmocka_unit_test(test_cache_lifecycle), \
	cmocka_unit_test(test_ctor), \
	cmocka_unit_test(test_kmalloc_sizes), \
	cmocka_unit_test(test_kmalloc_cache_range), \
	cmocka_unit_test(test_common_helpers), \
	cmocka_unit_test(test_kzalloc_kcalloc), \
	cmocka_unit_test(test_kmalloc_names), \
	cmocka_unit_test(test_krealloc), \
	cmocka_unit_test(test_bulk), \
	cmocka_unit_test(test_destroy_busy), \
	cmocka_unit_test(test_checked_entry_points), \
	cmocka_unit_test(test_alloc_node), \
	cmocka_unit_test(test_attrs), \
	cmocka_unit_test(test_two_threads), \
	cmocka_unit_test(test_cache_walk)

/* ================================================================ part 2 */
struct row {
	unsigned long active_objs, num_objs;
	unsigned int objsize, objperslab, pagesperslab, limit, batchcount, shared;
	unsigned long active_slabs, num_slabs, sharedavail;
};

/* The slabinfo row of cache name. */
static struct row slabinfo_row(const char *name)
{
	struct row r;
	size_t len, n = strlen(name);
	int err;
	char *si = mmfs_slabinfo_render(&len, &err), *line;

	memset(&r, 0, sizeof(r));
	if (!si)
		fail_msg("no slabinfo (%d)", err);
	for (line = si; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (!strncmp(line, name, n) && line[n] == ' ') {
			if (sscanf(line + n, "%lu %lu %u %u %u : tunables %u %u %u : slabdata %lu %lu %lu",
				   &r.active_objs, &r.num_objs, &r.objsize, &r.objperslab,
				   &r.pagesperslab, &r.limit, &r.batchcount, &r.shared,
				   &r.active_slabs, &r.num_slabs, &r.sharedavail) != 11)
				fail_msg("bad slabinfo row for %s", name);
			free(si);
			return r;
		}
	}
	free(si);
	fail_msg("no slabinfo row for %s", name);
	return r;
}

static int pin_cpu = -1;

/* Run on one host CPU from here on, so the simulated CPU stays put. */
static int pin_self(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (CPU_ISSET(c, &set)) {
			CPU_ZERO(&set);
			CPU_SET(c, &set);
			if (sched_setaffinity(0, sizeof(set), &set))
				return -1;
			pin_cpu = c;
			return 0;
		}
	}
	return -1;
}

static cpu_set_t saved_set;

static int setup_slab_pinned(void **state)
{
	sched_getaffinity(0, sizeof(saved_set), &saved_set);
	if (pin_self())
		return -1;
	return setup_slab(state);
}

static int teardown_slab_pinned(void **state)
{
	unit_teardown(state);
	sched_setaffinity(0, sizeof(saved_set), &saved_set);
	return 0;
}

/* Geometry and tunables of the kmalloc caches, as 6.1's SLAB computes them:
 * calculate_slab_order (OBJFREELIST first, then off-slab, then on-slab) and
 * enable_cpucache (limit by size, batchcount (limit+1)/2, shared 8). */
static void test_kmalloc_geometry(void **state)
{
	static const struct { const char *name; unsigned int size, objs, pages, limit, batch, shared; } k[] = {
		{ "kmalloc-32",   32, 124, 1, 120, 60, 8 },	/* on-slab: 4096 / 33 */
		{ "kmalloc-64",   64,  64, 1, 120, 60, 8 },	/* OBJFREELIST: 64 idx bytes fit */
		{ "kmalloc-96",   96,  42, 1, 120, 60, 8 },
		{ "kmalloc-128", 128,  32, 1, 120, 60, 8 },
		{ "kmalloc-192", 192,  21, 1, 120, 60, 8 },
		{ "kmalloc-256", 256,  16, 1, 120, 60, 8 },
		{ "kmalloc-512", 512,   8, 1,  54, 27, 8 },
		{ "kmalloc-1k", 1024,   4, 1,  54, 27, 8 },
		{ "kmalloc-2k", 2048,   2, 1,  24, 12, 8 },
		{ "kmalloc-4k", 4096,   1, 1,  24, 12, 8 },
		{ "kmalloc-8k", 8192,   1, 2,   8,  4, 0 },	/* order 1, > PAGE_SIZE: no shared */
		/* KMALLOC_SHIFT_HIGH = 22 under SLAB: one object per slab of the
		 * smallest order holding it; limit 8 up to 128 KiB, 1 above */
		{ "kmalloc-16k",   16384, 1,    4, 8, 4, 0 },
		{ "kmalloc-32k",   32768, 1,    8, 8, 4, 0 },
		{ "kmalloc-64k",   65536, 1,   16, 8, 4, 0 },
		{ "kmalloc-128k", 131072, 1,   32, 8, 4, 0 },
		{ "kmalloc-256k", 262144, 1,   64, 1, 1, 0 },
		{ "kmalloc-512k", 524288, 1,  128, 1, 1, 0 },
		{ "kmalloc-1M",  1048576, 1,  256, 1, 1, 0 },
		{ "kmalloc-2M",  2097152, 1,  512, 1, 1, 0 },
		{ "kmalloc-4M",  4194304, 1, 1024, 1, 1, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(k); i++) {
		struct row r = slabinfo_row(k[i].name);

		if (r.objsize != k[i].size || r.objperslab != k[i].objs ||
		    r.pagesperslab != k[i].pages || r.limit != k[i].limit ||
		    r.batchcount != k[i].batch || r.shared != k[i].shared)
			fail_msg("%s: %u %u %u : tunables %u %u %u, expected %u %u %u : %u %u %u",
				 k[i].name, r.objsize, r.objperslab, r.pagesperslab, r.limit,
				 r.batchcount, r.shared, k[i].size, k[i].objs, k[i].pages,
				 k[i].limit, k[i].batch, k[i].shared);
	}
	/* a big object: limit 8 above PAGE_SIZE, 1 above 128 KiB */
	{
		struct kmem_cache *s = kmem_cache_create("t_big", 200000, 0, 0, NULL);
		struct row r;

		assert_non_null(s);
		r = slabinfo_row("t_big");
		assert_int_equal(r.limit, 1);
		assert_int_equal(r.batchcount, 1);
		assert_int_equal(r.shared, 0);
		assert_int_equal(r.pagesperslab, 64);	/* order 6: 256 KiB holds one */
		kmem_cache_destroy(s);
	}
}

static void nop_ctor(void *obj) { memset(obj, 0x42, 8); }

/* Where the freelist index array lives (one byte per object here):
 * OBJFREELIST_SLAB inside a free object (no ctor: 4096 / 64 = 64 objects),
 * on-slab at the end of the slab (a ctor forbids OBJFREELIST: 4096 / 65 = 63),
 * off-slab in a kmalloc block when that saves an object (1024 + ctor: 4, not 3). */
static void test_freelist_layouts(void **state)
{
	static const struct { const char *name; unsigned int size; bool ctor; unsigned int objs; } c[] = {
		{ "t_objfl", 64, false, 64 },
		{ "t_onslab", 64, true, 63 },
		{ "t_offslab", 1024, true, 4 },
	};
	struct kmem_cache *s[3];
	void *p[3][20];

	(void)state;
	for (int i = 0; i < 3; i++) {
		s[i] = kmem_cache_create(c[i].name, c[i].size, 0, 0, c[i].ctor ? nop_ctor : NULL);
		assert_non_null(s[i]);
		assert_int_equal(slabinfo_row(c[i].name).objperslab, c[i].objs);
		for (int j = 0; j < 20; j++) {
			p[i][j] = kmem_cache_alloc(s[i], GFP_KERNEL);
			assert_non_null(p[i][j]);
			if (c[i].ctor)
				assert_int_equal(((unsigned char *)p[i][j])[7], 0x42);
		}
	}
	assert_true(unit_validate_ok());
	for (int i = 0; i < 3; i++) {
		for (int j = 0; j < 20; j++)
			kmem_cache_free(s[i], p[i][j]);
		assert_int_equal(kmem_cache_shrink(s[i]), 0);
		assert_int_equal(slabinfo_row(c[i].name).num_slabs, 0);
		kmem_cache_destroy(s[i]);
	}
	assert_true(unit_validate_ok());
}

static void test_array_cache_refill(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_ac", 64, 0, 0, NULL);
	void *p[200];
	struct row r;

	(void)state;
	assert_non_null(s);
	r = slabinfo_row("t_ac");
	assert_int_equal(r.objperslab, 64);
	assert_int_equal(r.batchcount, 60);
	assert_int_equal(r.active_objs, 0);
	/* first allocation: the array was never touched, so the refill is only
	 * BATCHREFILL_LIMIT (16) objects from a new slab */
	p[0] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_non_null(p[0]);
	r = slabinfo_row("t_ac");
	assert_int_equal(r.num_slabs, 1);
	assert_int_equal(r.active_objs, 16);
	/* 15 more come out of the array: no change in the slabs */
	for (int i = 1; i < 16; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(slabinfo_row("t_ac").active_objs, 16);
	/* LIFO: a freed object is the next one handed out */
	kmem_cache_free(s, p[15]);
	assert_ptr_equal(kmem_cache_alloc(s, GFP_KERNEL), p[15]);
	/* the 17th: a touched array refills batchcount (60) but the slab has 48 left */
	p[16] = kmem_cache_alloc(s, GFP_KERNEL);
	r = slabinfo_row("t_ac");
	assert_int_equal(r.active_objs, 64);
	assert_int_equal(r.num_slabs, 1);
	for (int i = 17; i < 64; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(slabinfo_row("t_ac").active_objs, 64);
	/* the 65th: a new slab, a full batch of 60 */
	p[64] = kmem_cache_alloc(s, GFP_KERNEL);
	r = slabinfo_row("t_ac");
	assert_int_equal(r.num_slabs, 2);
	assert_int_equal(r.active_objs, 124);
	for (int i = 0; i < 65; i++)
		kmem_cache_free(s, p[i]);
	/* everything is back in the cpu array: still "active" for slabinfo */
	assert_int_equal(slabinfo_row("t_ac").active_objs, 124);
	assert_true(unit_validate_ok());
	assert_int_equal(kmem_cache_shrink(s), 0);
	r = slabinfo_row("t_ac");
	assert_int_equal(r.active_objs, 0);
	assert_int_equal(r.num_slabs, 0);
	kmem_cache_destroy(s);
}

static void test_shared_array(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_shared", 64, 0, 0, NULL);
	void *p[400];
	struct row r, r2;
	int i;

	(void)state;
	assert_non_null(s);
	r = slabinfo_row("t_shared");
	assert_int_equal(r.shared, 8);	/* SMP: shared 8, an array of 8 * 60 */
	for (i = 0; i < 400; i++)
		assert_non_null(p[i] = kmem_cache_alloc(s, GFP_KERNEL));
	assert_int_equal(slabinfo_row("t_shared").sharedavail, 0);
	/* freeing overflows the cpu array (limit 120): batches of 60 go to the shared array */
	for (i = 0; i < 400; i++)
		kmem_cache_free(s, p[i]);
	r = slabinfo_row("t_shared");
	assert_true(r.sharedavail > 0);
	assert_int_equal(r.sharedavail % 60, 0);
	assert_true(r.sharedavail <= 480);
	/* empty the cpu array again; the next refill takes one batch from the shared array */
	for (i = 0; i < 400; i++) {
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		r2 = slabinfo_row("t_shared");
		if (r2.sharedavail != r.sharedavail)
			break;
	}
	assert_true(i < 400);
	assert_int_equal(r2.sharedavail, r.sharedavail - 60);
	assert_int_equal(r2.active_objs, r.active_objs);	/* no slab was touched */
	for (int j = 0; j <= i; j++)
		kmem_cache_free(s, p[j]);
	assert_true(unit_validate_ok());
	kmem_cache_destroy(s);
}

static void test_tunables_write(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_tune", 100, 0, 0, NULL);
	static const char * const bad[] = {
		"t_tune 0 1 1", "t_tune 10 11 1", "t_tune 10 0 1", "t_tune 10 5 -1",
		"t_tune 10 5", "t_tune ten 5 1", "t_tune 10 5 1 junk", "no_such 10 5 1",
		"t_tune 100000 5 1", "",
	};
	void *p[50];
	struct row r;

	(void)state;
	assert_non_null(s);
	for (int i = 0; i < 50; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 25; i++)
		kmem_cache_free(s, p[i]);
	assert_int_equal(mmfs_slabinfo_write("t_tune 32 16 4\n", 15), 0);
	r = slabinfo_row("t_tune");
	assert_int_equal(r.limit, 32);
	assert_int_equal(r.batchcount, 16);
	assert_int_equal(r.shared, 4);
	/* the old arrays were flushed to the slabs: only the 25 live objects are active */
	assert_int_equal(r.active_objs, 25);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (mmfs_slabinfo_write(bad[i], strlen(bad[i])) != -EINVAL)
			fail_msg("slabinfo write '%s' accepted", bad[i]);
		r = slabinfo_row("t_tune");
		assert_int_equal(r.limit, 32);
		assert_int_equal(r.batchcount, 16);
		assert_int_equal(r.shared, 4);
	}
	/* the new limit holds: 25 frees overflow a 32-array once */
	for (int i = 25; i < 50; i++)
		kmem_cache_free(s, p[i]);
	assert_true(unit_validate_ok());
	assert_int_equal(mmfs_slabinfo_write("t_tune 1 1 0", 12), 0);
	r = slabinfo_row("t_tune");
	assert_int_equal(r.limit, 1);
	assert_int_equal(r.shared, 0);
	assert_int_equal(r.sharedavail, 0);
	kmem_cache_destroy(s);
}

/* Colouring: each new slab starts its objects colour_off (64) bytes further,
 * wrapping at colour = left_over / colour_off.  Size 296: 13 objects and 248
 * bytes left in a page, so 3 colours: 64, 128, 0, 64, ... (colour_next is
 * advanced before use). */
static void test_colouring(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_colour", 296, 0, 0, NULL);
	void *p[5][13];
	unsigned int expect[5] = { 64, 128, 0, 64, 128 };

	(void)state;
	assert_non_null(s);
	assert_int_equal(slabinfo_row("t_colour").objperslab, 13);
	assert_int_equal(mmfs_slabinfo_write("t_colour 1 1 0", 14), 0);	/* one object per refill */
	for (int sl = 0; sl < 5; sl++) {
		for (int i = 0; i < 13; i++) {
			p[sl][i] = kmem_cache_alloc(s, GFP_KERNEL);
			assert_non_null(p[sl][i]);
		}
		assert_int_equal(slabinfo_row("t_colour").num_slabs, (unsigned long)sl + 1);
		for (int i = 0; i < 13; i++) {
			unsigned int off = (unsigned int)((uintptr_t)p[sl][i] & (PAGE_SIZE - 1));

			assert_true(virt_to_page(p[sl][i]) == virt_to_page(p[sl][0]));
			if (off % 296 != expect[sl])
				fail_msg("slab %d object %d at page offset %u: colour %u, expected %u",
					 sl, i, off, off % 296, expect[sl]);
		}
	}
	for (int sl = 0; sl < 5; sl++)
		for (int i = 0; i < 13; i++)
			kmem_cache_free(s, p[sl][i]);
	assert_true(unit_validate_ok());
	kmem_cache_destroy(s);
}

/* nodes=2: an object of the other node freed here waits in this node's alien
 * cache for that node, not in our cpu array, until a drain. */
static void test_alien_free(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_alien", 128, 0, 0, NULL);
	int here = cpu_to_node(smp_processor_id()), there = 1 - here;
	char cache[64];
	void *p, *q;
	struct row r;

	(void)state;
	assert_non_null(s);
	assert_int_equal(nr_online_nodes, 2);
	p = kmem_cache_alloc_node(s, GFP_KERNEL, there);
	assert_non_null(p);
	assert_int_equal(page_to_nid(virt_to_page(p)), there);
	/* straight from a slab of the remote node: one active object */
	r = slabinfo_row("t_alien");
	assert_int_equal(r.active_objs, 1);
	kmem_cache_free(s, p);
	/* parked in the alien cache: still active in the slab, free for lookup */
	assert_int_equal(slabinfo_row("t_alien").active_objs, 1);
	assert_int_equal(mmfs_slab_object_at(mmfs_kaddr(p), cache, sizeof(cache), NULL, NULL), -ENOENT);
	/* a local allocation does not get it back */
	q = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_not_equal(q, p);
	assert_int_equal(page_to_nid(virt_to_page(q)), here);
	kmem_cache_free(s, q);
	assert_true(unit_validate_ok());
	/* reap drains alien caches; then the remote slab is free again */
	assert_int_equal(mmfs_slab_cache_reap_now(), 0);
	assert_int_equal(mmfs_kmem_cache_shrink("t_alien"), 0);
	r = slabinfo_row("t_alien");
	assert_int_equal(r.active_objs, 0);
	assert_int_equal(r.num_slabs, 0);
	kmem_cache_destroy(s);
}

static void test_cache_reap(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_reap", 64, 0, 0, NULL);
	void *p[100];
	unsigned long before, after;

	(void)state;
	assert_non_null(s);
	/* no shared array: what leaves the cpu array goes to the slabs */
	assert_int_equal(mmfs_slabinfo_write("t_reap 120 60 0", 15), 0);
	for (int i = 0; i < 100; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 100; i++)
		kmem_cache_free(s, p[i]);
	/* 100 free objects in the cpu array: all counted active */
	before = slabinfo_row("t_reap").active_objs;
	/* a touched array is only marked untouched by the first pass */
	assert_int_equal(mmfs_slab_cache_reap_now(), 0);
	assert_int_equal(slabinfo_row("t_reap").active_objs, before);
	/* the second pass gives (limit + 4) / 5 = 24 back to the slabs */
	assert_int_equal(mmfs_slab_cache_reap_now(), 0);
	after = slabinfo_row("t_reap").active_objs;
	assert_int_equal(before - after, 24);
	/* the thread: started on request, it keeps draining */
	assert_int_equal(mmfs_slab_reap_start(20), 0);
	assert_int_equal(mmfs_slab_reap_start(20), -EBUSY);
	for (int i = 0; i < 100 && slabinfo_row("t_reap").active_objs > 0; i++)
		usleep(20000);
	mmfs_slab_reap_stop();
	assert_int_equal(slabinfo_row("t_reap").active_objs, 0);
	assert_true(unit_validate_ok());
	kmem_cache_destroy(s);
}

/* Red zones and poison as SLAB kept them, reported by validate. */
static void test_debug_validate(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_dbg", 40, 0,
						 SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER, NULL);
	unsigned char *p, *q;
	char *report = NULL;
	int n;

	(void)state;
	assert_non_null(s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	assert_non_null(p);
	assert_non_null(q);
	memset(p, 1, 40);
	assert_true(unit_validate_ok());
	p[40] = 0xee;		/* one byte past the object: the second red zone */
	kmem_cache_free(s, q);
	q[3] = 0x11;		/* write after free: poison */
	n = mm_validate(&report);
	if (n != 2)
		fail_msg("validate found %d, expected 2:\n%s", n, report);
	assert_non_null(strstr(report, "BUG t_dbg: Redzone overwritten"));
	assert_non_null(strstr(report, "BUG t_dbg: Poison overwritten"));
	free(report);
	/* repair, so the rest of the group starts clean */
	q[3] = POISON_FREE;
	p[40] = ((unsigned char *)&(unsigned long long){ 0xD84156C5635688C0ULL })[0];
	kmem_cache_free(s, p);
	assert_true(unit_validate_ok());
	kmem_cache_destroy(s);
}

int main(void)
{
	const struct CMUnitTest common[] = { COMMON_TESTS };
	const struct CMUnitTest slab_only[] = {
		cmocka_unit_test(test_kmalloc_geometry),
		cmocka_unit_test(test_freelist_layouts),
		cmocka_unit_test(test_array_cache_refill),
		cmocka_unit_test(test_shared_array),
		cmocka_unit_test(test_tunables_write),
		cmocka_unit_test(test_colouring),
		cmocka_unit_test(test_alien_free),
		cmocka_unit_test(test_cache_reap),
		cmocka_unit_test(test_debug_validate),
	};
	int fails = 0;

	fails += cmocka_run_group_tests_name("common_slub", common, setup_slub, unit_teardown);
	fails += cmocka_run_group_tests_name("common_slab", common, setup_slab, unit_teardown);
	fails += cmocka_run_group_tests_name("common_slob", common, setup_slob, unit_teardown);
	fails += cmocka_run_group_tests_name("common_slab_debug", common, setup_slab_debug, unit_teardown);
	fails += cmocka_run_group_tests_name("slab_only", slab_only, setup_slab_pinned,
					     teardown_slab_pinned);
	return fails;
}
