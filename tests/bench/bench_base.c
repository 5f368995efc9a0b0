/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_base.c - the baseline allocators' side of the benchmarks: built
 * once per malloc (BENCH_BASE = glibc, mimalloc, jemalloc, tcmalloc; each
 * linked library replaces malloc for the process) as bench_base_<name>.
 * Usage: bench_base_<name> WORKLOAD ARG; prints "ns=<median ns per op>"
 * (threads2 adds one=, scaling= and scaling_slower= on the same line).
 * Workloads are described in bench_common.h.
 */
#include "bench_common.h"
#include <stdint.h>
#ifdef BENCH_MIMALLOC
#include <mimalloc.h>
#endif

#define RUNS	7

static void *volatile sink;

static inline void *aligned(size_t sz)
{
#ifdef BENCH_MIMALLOC
	return mi_malloc_aligned(sz, sz);
#else
	return aligned_alloc(sz, sz);
#endif
}

static inline void release(void *p)
{
#ifdef BENCH_MIMALLOC
	mi_free(p);
#else
	free(p);
#endif
}

static double run_aligned(size_t sz, long n)
{
	double t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		void *p = aligned(sz);

		*(volatile char *)p = 1;
		release(p);
	}
	return (bench_now_ns() - t0) / (double)n;
}

static double run_malloc(size_t sz, long n)
{
	double t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		void *p = malloc(sz);

		sink = p;
		free(p);
	}
	return (bench_now_ns() - t0) / (double)n;
}

static double run_batch(long batch, long rounds)
{
	void **v = malloc(sizeof(void *) * (size_t)batch);
	double t0 = bench_now_ns();

	for (long r = 0; r < rounds; r++) {
		for (long i = 0; i < batch; i++)
			v[i] = aligned(4096);
		for (long i = 0; i < batch; i++)
			release(v[i]);
	}
	t0 = (bench_now_ns() - t0) / (double)(batch * rounds);
	free(v);
	return t0;
}

static double run_mixed(long rounds)
{
	void *v[1000];
	uint64_t x = 88172645463325252ull;
	double t0 = bench_now_ns();

	for (long r = 0; r < rounds; r++) {
		for (int i = 0; i < 1000; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			v[i] = malloc(16u << (x % 13));
		}
		for (int i = 0; i < 1000; i++)
			free(v[i]);
	}
	return (bench_now_ns() - t0) / (double)(rounds * 1000);
}

static double aligned_loop(void *arg, long n)
{
	return run_aligned(*(size_t *)arg, n);
}

int main(int argc, char **argv)
{
	double v[RUNS];
	const char *w = argc > 1 ? argv[1] : "aligned";
	long arg = argc > 2 ? atol(argv[2]) : 4096;

	for (int r = 0; r < RUNS; r++) {
		if (!strcmp(w, "aligned"))
			v[r] = run_aligned((size_t)arg, arg >= (1 << 20) ? 200000 : 2000000);
		else if (!strcmp(w, "malloc"))
			v[r] = run_malloc((size_t)arg, 2000000);
		else if (!strcmp(w, "batch"))
			v[r] = run_batch(arg, 2000);
		else if (!strcmp(w, "mixed"))
			v[r] = run_mixed(200);
		else if (!strcmp(w, "threads2")) {
			size_t sz = (size_t)arg;
			struct bench_scaling_result sr = bench_scaling(aligned_loop, &sz, &sz, 1000000, RUNS);

			printf("ns=%.3f one=%.3f scaling=%.3f scaling_slower=%.3f\n", sr.two_ns, sr.one_ns,
			       sr.scaling, sr.scaling_slower);
			return 0;
		} else
			return 2;
	}
	printf("ns=%.3f\n", bench_median(v, RUNS));
	return 0;
}
