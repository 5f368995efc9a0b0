/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_page_alloc.c - the page allocator's figures (issue 2):
 *   page_alloc_order0[_glibc|_jemalloc|_tcmalloc]  alloc+free pairs of one
 *       page through the pcp lists, against aligned 4 KiB allocations of
 *       each malloc (mimalloc: mi_malloc_aligned(4096, 4096) + free)
 *   page_alloc_order3, page_alloc_order9  pairs of 32 KiB / 2 MiB blocks
 *       (order 3 and THP order 9 use the pcp lists too)
 *   page_alloc_batch1000  1000 allocations then 1000 frees, per page
 *   page_alloc_2threads   two threads of order-0 pairs on two CPUs: ns per
 *       operation of the whole against one thread's (ratio < 1 is scaling;
 *       the scaling factor is printed on a comment line), as
 *       bench_common.h's bench_scaling measures it
 *   boot_4g               mm_boot of mem=4G against memset of a fresh
 *       buffer of its memmap's size (64 bytes per page)
 * Median of several runs each.  The machine boots with init_on_alloc=0:
 * the baselines do not clear memory either.
 */
#include "bench_common.h"
#include "mm.h"
#include "internal.h"

#define RUNS	7

static void *volatile sink;

static void boot(const char *opts)
{
	struct mm_config cfg;
	char err[256];
	char *dup = strdup(opts), *save = NULL;

	mm_config_default(&cfg);
	for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		*eq = '\0';
		if (mm_config_parse(&cfg, tok, eq + 1, err, sizeof(err))) {
			fprintf(stderr, "bad option %s: %s\n", tok, err);
			exit(1);
		}
	}
	free(dup);
	if (mm_boot(&cfg, err, sizeof(err))) {
		fprintf(stderr, "boot %s: %s\n", opts, err);
		exit(1);
	}
}

static double pairs(unsigned int order, long n)
{
	double t0 = bench_now_ns();

	for (long i = 0; i < n; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, order);

		__free_pages(p, order);
	}
	return (bench_now_ns() - t0) / (double)n;
}

static double median_pairs(unsigned int order, long n)
{
	double v[RUNS];

	pairs(order, n / 10);		/* warm the pcp lists */
	for (int r = 0; r < RUNS; r++)
		v[r] = pairs(order, n);
	return bench_median(v, RUNS);
}

static double batch(int nb, long rounds)
{
	struct page **v = malloc(sizeof(*v) * (size_t)nb);
	double t0 = bench_now_ns();

	for (long r = 0; r < rounds; r++) {
		for (int i = 0; i < nb; i++)
			v[i] = alloc_pages(GFP_KERNEL, 0);
		for (int i = 0; i < nb; i++)
			__free_pages(v[i], 0);
	}
	t0 = (bench_now_ns() - t0) / (double)(nb * rounds);
	free(v);
	return t0;
}

static double pairs_loop(void *arg, long n)
{
	(void)arg;
	return pairs(0, n);
}

int main(void)
{
	double v[RUNS], ours, mi_one, mi_two;

	char opts[128];
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);

	/* cpus= the host's count: every host CPU a simulated CPU of its own */
	snprintf(opts, sizeof(opts), "mem=1G,cpus=%ld,init_on_alloc=0", ncpu);
	boot(opts);
	bench_pin(0);
	{
		/* medians are only as good as the machine is quiet */
		double la[3];

		if (getloadavg(la, 3) == 3)
			printf("# load average at start: %.2f %.2f %.2f on %ld CPUs\n", la[0], la[1], la[2], ncpu);
	}

	ours = median_pairs(0, 2000000);
	mi_one = bench_baseline("mimalloc", "aligned", 4096);
	bench_report("page_alloc_order0", ours, "mimalloc", mi_one);
	bench_report("page_alloc_order0_glibc", ours, "glibc", bench_baseline("glibc", "aligned", 4096));
	bench_report("page_alloc_order0_jemalloc", ours, "jemalloc", bench_baseline("jemalloc", "aligned", 4096));
	bench_report("page_alloc_order0_tcmalloc", ours, "tcmalloc", bench_baseline("tcmalloc", "aligned", 4096));

	ours = median_pairs(3, 1000000);
	bench_report("page_alloc_order3", ours, "mimalloc", bench_baseline("mimalloc", "aligned", 32768));
	ours = median_pairs(9, 200000);
	bench_report("page_alloc_order9", ours, "mimalloc", bench_baseline("mimalloc", "aligned", 2 << 20));

	batch(1000, 100);
	for (int r = 0; r < RUNS; r++)
		v[r] = batch(1000, 1000);
	bench_report("page_alloc_batch1000", bench_median(v, RUNS), "mimalloc",
		     bench_baseline("mimalloc", "batch", 1000));

	{
		struct bench_scaling_result sr = bench_scaling(pairs_loop, NULL, NULL, 1000000, RUNS);

		bench_report("page_alloc_2threads", sr.two_ns, "page_alloc_1thread", sr.one_ns);
		printf("# page_alloc_2threads: scaling %.2fx of one thread (median of %d rounds; timed by "
		       "the slower thread: %.2fx)\n", sr.scaling, RUNS, sr.scaling_slower);
	}
	/* what the machine gives two threads now: mimalloc's own scaling,
	 * measured the same way */
	mi_two = bench_baseline_key("mimalloc", "threads2", 4096, "scaling=");
	printf("# page_alloc_2threads: mimalloc in the same run scales %.2fx (timed by the slower "
	       "thread: %.2fx)\n", mi_two,
	       bench_baseline_key("mimalloc", "threads2", 4096, "scaling_slower="));
	mm_shutdown();

	/* boot_4g: boot time against writing the memmap's bytes once */
	for (int r = 0; r < 5; r++) {
		double t0 = bench_now_ns();

		boot("mem=4G");
		v[r] = bench_now_ns() - t0;
		mm_shutdown();
	}
	ours = bench_median(v, 5);
	{
		size_t sz = (4UL << 30) / 4096 * 64;
		double b[5];

		for (int r = 0; r < 5; r++) {
			char *buf = malloc(sz);
			double t0 = bench_now_ns();

			memset(buf, r, sz);
			sink = buf;
			b[r] = bench_now_ns() - t0;
			if (((volatile char *)buf)[sz / 2] != (char)r)
				abort();
			free(buf);
		}
		bench_report("boot_4g", ours, "memset_memmap", bench_median(b, 5));
	}
	return 0;
}
