/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_slab_slob.c - SLAB and SLOB speed, against the same baselines as
 * the SLUB benchmark (bench_slab.c) and against SLUB itself in the same run.
 * Prints
 *   BENCH name=<id> ns_per_op=<median> baseline=<what> baseline_ns=<median> ratio=<ours/baseline>
 * Never asserts times.
 *
 * Workloads (the same as bench_slab.c, same seeds):
 *   alloc_free_64  kmem_cache_alloc + kmem_cache_free of a 64-byte object
 *                  (baseline: malloc(64) + free, bench_common's bench_base_mimalloc,
 *                  else glibc in this process)
 *   kmalloc_mixed  random sizes 8..4096, batches of 1000 kmalloc then 1000
 *                  kfree (baseline: the same workload on malloc, this program
 *                  re-run under LD_PRELOAD=libmimalloc, else glibc here)
 * Each allocator boots its own machine (mem=512M, cpus=2, init_on_alloc=0,
 * as bench_slab.c) in this process, one after the other: slub, slab, slob.
 * The *_vs_slub lines give the SLAB/SLUB and SLOB/SLUB ratios directly.
 */
#include "bench_common.h"
#include <stdint.h>
#include <unistd.h>

#define RUNS		5
#define PAIR_ITERS	1000000L
#define MIXED_BATCH	1000
#define MIXED_ROUNDS	200
#include "bench_slab_common.h"

static const struct ops libc_ops = { libc_alloc, libc_free };
static struct kmem_cache *cache64;
static void *cache_alloc64(size_t size) { (void)size; return kmem_cache_alloc(cache64, GFP_KERNEL); }
static void cache_free64(void *p) { kmem_cache_free(cache64, p); }
static const struct ops cache_ops64 = { cache_alloc64, cache_free64 };
static const struct ops kmalloc_ops = { kmalloc_alloc, kmalloc_free };

/* The mixed workload on malloc under LD_PRELOAD=mimalloc (re-running this
 * program), or on glibc here: ns per op and the name of what ran. */
static double mixed_baseline(const char **what)
{
	char self[4096], cmd[8192], line[128];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	double ns = -1;

	for (int i = 0; n > 0 && mimalloc_paths[i]; i++) {
		FILE *f;

		if (access(mimalloc_paths[i], R_OK))
			continue;
		self[n] = '\0';
		snprintf(cmd, sizeof(cmd), "LD_PRELOAD=%s '%s' --baseline-mixed", mimalloc_paths[i], self);
		f = popen(cmd, "r");
		if (!f)
			break;
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "ns=", 3))
				ns = atof(line + 3);
		if (pclose(f) == 0 && ns > 0) {
			*what = "mimalloc";
			return ns;
		}
		break;
	}
	*what = "glibc";
	return median_of(run_mixed, &libc_ops, 0);
}

static int boot(const char *slab)
{
	struct mm_config cfg;
	char err[256] = "";

	mm_config_default(&cfg);
	mm_config_parse(&cfg, "mem", "512M", err, sizeof(err));
	mm_config_parse(&cfg, "cpus", "2", err, sizeof(err));
	mm_config_parse(&cfg, "slab", slab, err, sizeof(err));
	cfg.init_on_alloc = 0;	/* both sides hand out unzeroed memory */
	if (mm_boot(&cfg, err, sizeof(err))) {
		fprintf(stderr, "bench_slab_slob: boot slab=%s failed: %s\n", slab, err);
		return -1;
	}
	cache64 = kmem_cache_create("bench-64", 64, 0, 0, NULL);
	return cache64 ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const char * const names[3] = { "slub", "slab", "slob" };
	double pair[3], mixed[3], b_pair, b_mixed;
	const char *pair_base = "mimalloc", *mixed_base;
	char name[96];

	if (argc == 2 && !strcmp(argv[1], "--baseline-mixed")) {
		printf("ns=%.3f\n", median_of(run_mixed, &libc_ops, 0));
		return 0;
	}
	if (argc > 1)	/* only reached by a mistaken call; keeps the linker reference */
		return mmfs_slab_reap_start(0) == 0;
	for (int a = 0; a < 3; a++) {
		if (boot(names[a]))
			return 1;
		pair[a] = median_of(run_pairs, &cache_ops64, PAIR_ITERS);
		mixed[a] = median_of(run_mixed, &kmalloc_ops, 0);
		kmem_cache_destroy(cache64);
		mm_shutdown();
	}
	b_pair = bench_baseline("mimalloc", "malloc", 64);
	if (b_pair < 0) {
		pair_base = "glibc";
		b_pair = median_of(run_pairs, &libc_ops, PAIR_ITERS);
	}
	b_mixed = mixed_baseline(&mixed_base);

	for (int a = 0; a < 3; a++) {
		snprintf(name, sizeof(name), "slab_alloc_free_64_%s", names[a]);
		bench_report(name, pair[a], pair_base, b_pair);
	}
	for (int a = 0; a < 3; a++) {
		snprintf(name, sizeof(name), "kmalloc_mixed_%s", names[a]);
		bench_report(name, mixed[a], mixed_base, b_mixed);
	}
	for (int a = 1; a < 3; a++) {
		snprintf(name, sizeof(name), "slab_alloc_free_64_%s_vs_slub", names[a]);
		bench_report(name, pair[a], "slub", pair[0]);
		snprintf(name, sizeof(name), "kmalloc_mixed_%s_vs_slub", names[a]);
		bench_report(name, mixed[a], "slub", mixed[0]);
	}
	printf("# SLAB/SLUB on the 64-byte pair: %.2fx (target <= 1.5x); SLOB/SLUB: %.2fx, "
	       "kmalloc_mixed SLOB/SLUB: %.2fx\n", pair[1] / pair[0], pair[2] / pair[0],
	       mixed[2] / mixed[0]);
	return 0;
}
