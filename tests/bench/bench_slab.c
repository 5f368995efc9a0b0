/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_slab.c - speed and memory of the slab layer against malloc
 * implementations.  Prints
 *   BENCH name=<id> ns_per_op=<median> baseline=<what> baseline_ns=<median> ratio=<ours/baseline>
 * lines (and, for memory, bytes_per_live_byte in place of ns).  Never
 * asserts times.
 *
 * Baselines run in their own processes (each malloc replacement takes over
 * a whole process): malloc(64)+free pairs through the shared bench_base_*
 * programs (bench_common.h: bench_baseline(ALLOC, "malloc", 64)); the two
 * workloads bench_base.c does not have (mixed sizes 8..4096, memory) by
 * re-executing this program with LD_PRELOAD=<libmimalloc|libjemalloc> and
 * "--baseline WORKLOAD", reading back the one number it prints.
 *
 * Workloads (the same on both sides, same seeds):
 *   alloc_free_64   kmem_cache_alloc + kmem_cache_free of a 64-byte object / malloc(64) + free
 *   mixed           random sizes 8..4096, batches of 1000 allocations then 1000 frees
 *   2threads        alloc_free_64 on two threads at once against one thread
 *                   (bench_common.h's bench_scaling); the baseline process
 *                   prints mimalloc's scaling
 *   memory          100000 random sizes 8..4096, every other one freed:
 *                   footprint / live bytes (slab pages vs jemalloc stats.resident)
 */
#include "bench_common.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RUNS		7
#define PAIR_ITERS	2000000L
#define MIXED_BATCH	1000
#define MIXED_ROUNDS	400
#define MEM_OBJS	100000
#include "bench_slab_common.h"


/* one thread's loop of alloc_free_64 pairs, for bench_scaling */
static double pairs_loop(void *ops, long iters)
{
	return run_pairs(ops, iters);
}

/* live bytes after the memory workload; the pointers stay allocated */
static double run_memory(const struct ops *o, void **ptrs)
{
	uint64_t rng = 7;
	double live = 0;

	for (int i = 0; i < MEM_OBJS; i++) {
		size_t size = 8 + (size_t)(xorshift(&rng) % (4096 - 8 + 1));

		ptrs[i] = o->alloc(size);
		memset(ptrs[i], 1, size);
		if (i % 2 == 0)
			live += (double)size;
	}
	for (int i = 1; i < MEM_OBJS; i += 2)
		o->free(ptrs[i]);
	return live;
}

/* ------------------------------------------------------ baseline process */
static const struct ops libc_ops = { libc_alloc, libc_free };

/* resident bytes of the preloaded allocator (jemalloc's stats.resident) */
static double allocator_resident(void)
{
	int (*mallctl)(const char *, void *, size_t *, void *, size_t) =
		(int (*)(const char *, void *, size_t *, void *, size_t))dlsym(RTLD_DEFAULT, "mallctl");
	uint64_t epoch = 1;
	size_t resident = 0, sz = sizeof(epoch);

	if (!mallctl)
		return -1;
	mallctl("epoch", &epoch, &sz, &epoch, sz);
	sz = sizeof(resident);
	if (mallctl("stats.resident", &resident, &sz, NULL, 0))
		return -1;
	return (double)resident;
}

static int baseline_main(const char *what)
{
	double r = -1;

	if (!strcmp(what, "alloc_free_64"))
		r = median_of(run_pairs, &libc_ops, PAIR_ITERS);
	else if (!strcmp(what, "mixed"))
		r = median_of(run_mixed, &libc_ops, 0);
	else if (!strcmp(what, "2threads"))
		r = bench_scaling(pairs_loop, (void *)&libc_ops, (void *)&libc_ops, PAIR_ITERS / 2, RUNS).scaling;
	else if (!strcmp(what, "memory")) {
		void **ptrs = calloc(MEM_OBJS, sizeof(void *));
		double before = allocator_resident();
		double live = run_memory(&libc_ops, ptrs);
		double after = allocator_resident();

		r = (before < 0 || after < 0) ? -1 : (after - before) / live;
	}
	printf("%.4f\n", r);
	return 0;
}

/* Run this program under LD_PRELOAD=lib with --baseline what: the number, or -1. */
static double baseline(const char *self, const char * const *paths, const char *what)
{
	const char *lib = NULL;
	char cmd[1024];
	double v = -1;
	FILE *f;

	if (paths) {
		for (int i = 0; paths[i]; i++)
			if (!access(paths[i], R_OK)) {
				lib = paths[i];
				break;
			}
		if (!lib)
			return -1;
		snprintf(cmd, sizeof(cmd), "LD_PRELOAD=%s '%s' --baseline %s", lib, self, what);
	} else {
		snprintf(cmd, sizeof(cmd), "'%s' --baseline %s", self, what);
	}
	f = popen(cmd, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lf", &v) != 1)
		v = -1;
	pclose(f);
	return v;
}

#define report(name, ours, base, base_ns)	bench_report(name, ours, base, base_ns)

/* ------------------------------------------------------------------ ours */
static struct kmem_cache *cache64;

static void *slab_alloc64(size_t size) { (void)size; return kmem_cache_alloc(cache64, GFP_KERNEL); }
static void slab_free64(void *p) { kmem_cache_free(cache64, p); }
static const struct ops slab_ops64 = { slab_alloc64, slab_free64 };

/*
 * alloc_free_64 against the malloc baselines: our loop in the shape of
 * bench_base.c's run_malloc (direct calls, the pointer stored to a volatile
 * sink), so both sides pay the same loop.  The SLAB/SLOB and two-thread
 * comparisons go through run_pairs and struct ops on both sides instead.
 */
static void *volatile sink64;

static double run_pairs_direct(const struct ops *o, long iters)
{
	double t0 = bench_now_ns();

	(void)o;
	for (long i = 0; i < iters; i++) {
		void *p = kmem_cache_alloc(cache64, GFP_KERNEL);

		sink64 = p;
		kmem_cache_free(cache64, p);
	}
	return (bench_now_ns() - t0) / (double)iters;
}
static const struct ops kmalloc_ops = { kmalloc_alloc, kmalloc_free };

static int boot(const char *cpus, int init_on_alloc)
{
	struct mm_config cfg;
	char err[256] = "";

	mm_config_default(&cfg);
	mm_config_parse(&cfg, "mem", "512M", err, sizeof(err));
	mm_config_parse(&cfg, "cpus", cpus, err, sizeof(err));
	cfg.init_on_alloc = init_on_alloc;
	if (mm_boot(&cfg, err, sizeof(err))) {
		fprintf(stderr, "bench_slab: boot failed: %s\n", err);
		return -1;
	}
	cache64 = kmem_cache_create("bench-64", 64, 0, 0, NULL);
	return cache64 ? 0 : -1;
}

int main(int argc, char **argv)
{
	char self[4096];
	ssize_t n;
	double ours, b_mi, b_glibc, b_je;

	if (argc == 3 && !strcmp(argv[1], "--baseline"))
		return baseline_main(argv[2]);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 1;
	self[n] = '\0';

	/* init_on_alloc=0 so both sides hand out unzeroed memory */
	if (boot("2", 0))
		return 1;
	ours = median_of(run_pairs_direct, &slab_ops64, PAIR_ITERS);
	b_mi = bench_baseline("mimalloc", "malloc", 64);
	if (b_mi < 0)
		b_mi = baseline(self, mimalloc_paths, "alloc_free_64");
	b_glibc = bench_baseline("glibc", "malloc", 64);
	if (b_glibc < 0)
		b_glibc = baseline(self, NULL, "alloc_free_64");
	b_je = bench_baseline("jemalloc", "malloc", 64);
	report("slab_alloc_free_64", ours, "mimalloc", b_mi);
	report("slab_alloc_free_64_glibc", ours, "glibc", b_glibc);
	report("slab_alloc_free_64_jemalloc", ours, "jemalloc", b_je);

	ours = median_of(run_mixed, &kmalloc_ops, 0);
	report("kmalloc_mixed", ours, "mimalloc", baseline(self, mimalloc_paths, "mixed"));
	report("kmalloc_mixed_jemalloc", ours, "jemalloc", baseline(self, jemalloc_paths, "mixed"));

	{
		struct bench_scaling_result sr = bench_scaling(pairs_loop, (void *)&slab_ops64,
							       (void *)&slab_ops64, PAIR_ITERS / 2, RUNS);

		/* ratio < 1 is scaling: ns per pair of 2 threads' whole against 1 */
		report("slab_2threads", sr.two_ns, "slab_1thread", sr.one_ns);
		printf("# slab_2threads scaling=%.2fx (throughput 2 threads / 1 thread, median of %d "
		       "rounds, target >= 1.8x; timed by the slower thread: %.2fx)\n", sr.scaling, RUNS,
		       sr.scaling_slower);
		/* what the machine gives two threads now: mimalloc's own scaling,
		 * measured the same way */
		b_mi = baseline(self, mimalloc_paths, "2threads");
		printf("# slab_2threads: mimalloc in the same run scales %.2fx\n", b_mi);
	}

	/* memory: slab pages (NR_SLAB_*, in pages) per live byte */
	{
		void **ptrs = calloc(MEM_OBJS, sizeof(void *));
		double before, after, live, base;

		fold_vm_stats();
		before = (double)(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) +
				  global_node_page_state(NR_SLAB_RECLAIMABLE_B)) * PAGE_SIZE;
		live = run_memory(&kmalloc_ops, ptrs);
		fold_vm_stats();
		after = (double)(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) +
				 global_node_page_state(NR_SLAB_RECLAIMABLE_B)) * PAGE_SIZE;
		base = baseline(self, jemalloc_paths, "memory");
		if (base > 0)
			printf("BENCH name=slab_mem_overhead bytes_per_live_byte=%.3f baseline=jemalloc_resident "
			       "baseline_bytes_per_live_byte=%.3f ratio=%.2f\n", (after - before) / live,
			       base, (after - before) / live / base);
		else
			printf("BENCH name=slab_mem_overhead bytes_per_live_byte=%.3f baseline=jemalloc_resident "
			       "baseline_bytes_per_live_byte=NA ratio=NA\n", (after - before) / live);
		for (int i = 0; i < MEM_OBJS; i += 2)
			kfree(ptrs[i]);
		free(ptrs);
	}
	mm_shutdown();

	/* the default init_on_alloc=1 (every object zeroed) for reference */
	if (boot("2", 1))
		return 1;
	ours = median_of(run_pairs_direct, &slab_ops64, PAIR_ITERS);
	report("slab_alloc_free_64_init_on_alloc", ours, "glibc", b_glibc);
	mm_shutdown();
	return 0;
}
