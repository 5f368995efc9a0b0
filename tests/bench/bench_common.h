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
 *   per allocation), threads2 <size> (bench_scaling of aligned pairs: the
 *   whole's ns per op, and "one=" and "scaling=" on the same line, which
 *   bench_baseline_key() reads).
 * - bench_scaling(): two threads against one, measured the same way for
 *   every figure (see there).
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
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

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
/* the number after @key ("ns=", "scaling=", ...) on a line a baseline
 * program printed, or -1 if the baseline is missing */
static inline double bench_baseline_key(const char *allocator, const char *workload, long arg,
					const char *key)
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
	while (fgets(line, sizeof(line), f)) {
		char *at = strstr(line, key);

		if (at && (at == line || at[-1] == ' '))
			ns = atof(at + strlen(key));
	}
	if (pclose(f) != 0)
		return -1;
	return ns;
}

static inline double bench_baseline(const char *allocator, const char *workload, long arg)
{
	return bench_baseline_key(allocator, workload, arg, "ns=");
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

/* ------------------------------------------------------------ scaling */

/* a timed loop: n operations on @arg, returns ns per operation */
typedef double (*bench_loop_fn)(void *arg, long n);

static inline void bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

struct bench_thread {
	bench_loop_fn run;
	void *arg;
	long n;
	int cpu;
	pthread_barrier_t *start;
	double ns;
};

static void *bench_thread_main(void *p)
{
	struct bench_thread *t = p;

	bench_pin(t->cpu);
	pthread_barrier_wait(t->start);
	t->ns = t->run(t->arg, t->n);
	return NULL;
}

/* @nr threads (1 or 2) at once, thread i on cpus[i], started together;
 * their ns per op into ns[] */
static inline void bench_threads(bench_loop_fn run, void *const *args, long n, const int *cpus,
				 int nr, double *ns)
{
	struct bench_thread t[2];
	pthread_t th[2];
	pthread_barrier_t start;

	pthread_barrier_init(&start, NULL, (unsigned int)nr);
	for (int i = 0; i < nr; i++) {
		t[i] = (struct bench_thread){ run, args[i], n, cpus[i], &start, 0 };
		pthread_create(&th[i], NULL, bench_thread_main, &t[i]);
	}
	for (int i = 0; i < nr; i++) {
		pthread_join(th[i], NULL);
		ns[i] = t[i].ns;
	}
	pthread_barrier_destroy(&start);
}

struct bench_scaling_result {
	double one_ns;		/* one thread alone: ns per op } of the round whose */
	double two_ns;		/* two threads at once: ns per op of the whole } scaling */
	double scaling;		/* one_ns / two_ns                 } is the median */
	double scaling_slower;	/* median, the whole timed by the slower thread */
};

/*
 * bench_scaling - the throughput of two threads against one
 *
 * The machine is shared and its speed drifts from second to second, so
 * each round measures both sides back to back: one thread alone on CPU 0,
 * then alone on CPU 1 (one thread's rate is the mean of the two), then two
 * threads at once on CPUs 0 and 1, each pinned, released together by a
 * barrier and timing its own n operations.  The whole's throughput is the
 * sum of the two threads' rates; a round's scaling is that over one
 * thread's rate.  The result is the round of median scaling (its one- and
 * two-thread figures with it, so that they agree).
 * scaling_slower counts instead the slower thread's time for all 2n
 * operations (2 x its rate): what a host that stalls one CPU for a while
 * does to a wall-clock measure.
 */
static inline struct bench_scaling_result bench_scaling(bench_loop_fn run, void *arg0, void *arg1,
							 long n, int rounds)
{
	void *args[2] = { arg0, arg1 };
	int cpus[2] = { 0, sysconf(_SC_NPROCESSORS_ONLN) > 1 };
	double one[16], two[16], sc[16], slow[16];
	struct bench_scaling_result r;

	if (rounds > 16)
		rounds = 16;
	bench_threads(run, args, n / 10, cpus, 2, one);	/* warm up */
	for (int k = 0; k < rounds; k++) {
		double a[2], b[2];

		bench_threads(run, args, n, &cpus[0], 1, &a[0]);
		bench_threads(run, args, n, &cpus[1], 1, &a[1]);
		bench_threads(run, args, n, cpus, 2, b);
		one[k] = 2.0 / (1.0 / a[0] + 1.0 / a[1]);
		two[k] = 1.0 / (1.0 / b[0] + 1.0 / b[1]);
		sc[k] = one[k] / two[k];
		slow[k] = one[k] / ((b[0] > b[1] ? b[0] : b[1]) / 2.0);
	}
	/* the round of median scaling gives all three, so that they agree */
	{
		int mid = 0;

		for (int k = 0; k < rounds; k++) {
			int below = 0, same = 0;

			for (int j = 0; j < rounds; j++) {
				below += sc[j] < sc[k];
				same += sc[j] == sc[k];
			}
			if (below <= rounds / 2 && below + same > rounds / 2)
				mid = k;
		}
		r.one_ns = one[mid];
		r.two_ns = two[mid];
		r.scaling = sc[mid];
	}
	r.scaling_slower = bench_median(slow, rounds);
	return r;
}

#endif /* MMFS_BENCH_COMMON_H */
