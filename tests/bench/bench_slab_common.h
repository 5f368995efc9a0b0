/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_slab_common.h - the slab workloads bench_slab.c (SLUB) and
 * bench_slab_slob.c (SLAB, SLOB) share, so their figures stay comparable:
 * the same code, sizes and seeds on our side and on the malloc baselines.
 * Include after bench_common.h, with RUNS, MIXED_BATCH and MIXED_ROUNDS
 * defined.
 */
#ifndef MMFS_BENCH_SLAB_COMMON_H
#define MMFS_BENCH_SLAB_COMMON_H
#include "bench_common.h"
#include "slab.h"
#include <stdint.h>
#include <stdlib.h>

static const char * const mimalloc_paths[] __attribute__((unused)) = {
	"/usr/lib/x86_64-linux-gnu/libmimalloc.so.2", "/usr/lib/x86_64-linux-gnu/libmimalloc.so",
	"/usr/local/lib/libmimalloc.so", NULL };
static const char * const jemalloc_paths[] __attribute__((unused)) = {
	"/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "/usr/lib/x86_64-linux-gnu/libjemalloc.so",
	"/usr/local/lib/libjemalloc.so", NULL };

static inline uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* One allocator as the workloads see it (size is used by mixed / memory). */
struct ops {
	void *(*alloc)(size_t size);
	void (*free)(void *p);
};

/* alloc_free_64: iters pairs of a 64-byte alloc and its free; ns per pair. */
static inline double run_pairs(const struct ops *o, long iters)
{
	double t0 = bench_now_ns();

	for (long i = 0; i < iters; i++) {
		void *p = o->alloc(64);

		__asm__ volatile("" : : "r"(p) : "memory");
		o->free(p);
	}
	return (bench_now_ns() - t0) / (double)iters;
}

/* mixed: random sizes 8..4096 (seed 42), MIXED_BATCH allocations then as
 * many frees, MIXED_ROUNDS times; ns per allocation.  iters is unused. */
static inline double run_mixed(const struct ops *o, long iters)
{
	static void *ptrs[MIXED_BATCH];
	uint64_t rng = 42;
	double t0 = bench_now_ns();

	(void)iters;
	for (int r = 0; r < MIXED_ROUNDS; r++) {
		for (int i = 0; i < MIXED_BATCH; i++) {
			size_t size = 8 + (size_t)(xorshift(&rng) % (4096 - 8 + 1));

			ptrs[i] = o->alloc(size);
			*(volatile char *)ptrs[i] = 1;
		}
		for (int i = 0; i < MIXED_BATCH; i++)
			o->free(ptrs[i]);
	}
	return (bench_now_ns() - t0) / ((double)MIXED_ROUNDS * MIXED_BATCH);
}

/* The median of RUNS runs of fn. */
static inline double median_of(double (*fn)(const struct ops *, long), const struct ops *o,
			       long iters)
{
	double v[RUNS];

	for (int i = 0; i < RUNS; i++)
		v[i] = fn(o, iters);
	return bench_median(v, RUNS);
}

static inline void *libc_alloc(size_t size) { return malloc(size); }
static inline void libc_free(void *p) { free(p); }
static inline void *kmalloc_alloc(size_t size) { return kmalloc(size, GFP_KERNEL); }
static inline void kmalloc_free(void *p) { kfree(p); }

#endif /* MMFS_BENCH_SLAB_COMMON_H */
