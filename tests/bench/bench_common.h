/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_common.h - shared by the benchmark programs (header-only).
 *
 * - bench_now_ns(), bench_median(): timing.
 * - bench_baseline(allocator, workload, arg): runs the baseline program
 *   ./bench_base_<allocator> (built from bench_base.c, one executable per
 *   malloc: glibc, mimalloc, jemalloc, tcmalloc, because each of those
 *   replaces malloc for the whole process) and returns the median ns per
 *   operation it printed, or -1 if that baseline is not built here.
 *   Workloads (bench_base.c): aligned <size> (aligned_alloc(size, size) +
 *   free pairs; mimalloc uses mi_malloc_aligned), batch <n> (n aligned 4 KiB
 *   allocations then n frees, per allocation), malloc <size> (malloc+free
 *   pairs), mixed (a batch of 1000 mixed sizes 16 B..64 KiB then frees,
 *   per allocation), threads2 <size> (two threads of aligned pairs; ns per
 *   operation of the whole, i.e. inverse throughput).
 * - bench_report(): the one line format every figure uses:
 *   BENCH name=<id> ns_per_op=<median> baseline=<what> baseline_ns=<median> ratio=<ours/baseline>
 *
 * Benchmarks run from their build directory (meson benchmark workdir), so
 * the baselines are found there; BENCH_BASE_DIR overrides.
 */
#ifndef MMFS_BENCH_COMMON_H
#define MMFS_BENCH_COMMON_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* median of v[0..n) (sorts v) */
static inline double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ns per op of a baseline workload, or -1 if the baseline is missing */
static inline double bench_baseline(const char *allocator, const char *workload, long arg)
{
	const char *dir = getenv("BENCH_BASE_DIR");
	char cmd[512], line[256];
	double ns = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%s/bench_base_%s %s %ld 2>/dev/null", dir ? dir : ".",
		 allocator, workload, arg);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "ns=", 3))
			ns = atof(line + 3);
	if (pclose(f) != 0)
		return -1;
	return ns;
}

static inline void bench_report(const char *name, double ns, const char *baseline, double base_ns)
{
	if (base_ns > 0)
		printf("BENCH name=%s ns_per_op=%.2f baseline=%s baseline_ns=%.2f ratio=%.3f\n", name, ns,
		       baseline, base_ns, ns / base_ns);
	else
		printf("BENCH name=%s ns_per_op=%.2f baseline=%s baseline_ns=nan ratio=nan\n", name, ns,
		       baseline);
	fflush(stdout);
}

#endif /* MMFS_BENCH_COMMON_H */
