/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slab_compare.c - the same random kmalloc workload under SLUB, SLAB and
 * SLOB, each on a fresh machine in this process (linked with libmm), and the
 * pages each allocator needs for it.
 *
 * Workload (seeded, identical for the three): OPS steps; each step either
 * kmallocs a random size (70% 8..256 bytes, 25% 257..2048, 5% 2049..8192)
 * or, with probability 40% once objects exist, kfrees a random live one.
 * Reported after the churn, and again after kmem_cache_shrink of every
 * cache (SLAB keeps free objects in its per-cpu and shared arrays, SLUB in
 * cpu and partial slabs):
 *   slab pages    page frames held by the slab layer for the workload
 *                 (PG_slab blocks plus large kmalloc blocks, counted by
 *                 walking the allocated blocks; minus those held before)
 *   per live byte slab bytes / requested bytes still allocated
 *
 * Usage: slab_compare [OPS [SEED]]   (defaults 200000, 1)
 */
#include "slab_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mmfs_slab_reap_start(unsigned int interval_ms);	/* links slab.o and slob.o */

static uint64_t rng;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t random_size(void)
{
	unsigned int r = (unsigned int)(next_rand() % 100);

	if (r < 70)
		return 8 + next_rand() % 249;
	if (r < 95)
		return 257 + next_rand() % 1792;
	return 2049 + next_rand() % 6144;
}

/* Page frames in PG_slab blocks and large kmalloc blocks. */
static unsigned long slab_layer_pages(void)
{
	unsigned long pfn = 0, pages = 0;

	while ((pfn = mmfs_next_allocated_block(pfn)) != -1UL) {
		struct page *page = pfn_to_page(pfn);
		unsigned int order = compound_order(page);
		struct page_owner *po = get_page_owner(page);

		if (PageSlab(page) ||
		    (po && po->kind == MMFS_OWNER_KERNEL && po->owner_id == MMFS_OWNER_ID_KMALLOC_LARGE))
			pages += 1UL << order;
		pfn += 1UL << order;
	}
	return pages;
}

struct names { char (*v)[80]; size_t n, cap; };

static int collect(const char *name, const char *alias_of, void *arg)
{
	struct names *nm = arg;

	(void)alias_of;
	if (nm->n == nm->cap) {
		void *t = realloc(nm->v, (nm->cap = nm->cap ? nm->cap * 2 : 64) * sizeof(*nm->v));

		if (!t)
			return 1;
		nm->v = t;
	}
	snprintf(nm->v[nm->n++], sizeof(nm->v[0]), "%s", name);
	return 0;
}

static void shrink_all(void)
{
	struct names nm = { NULL, 0, 0 };

	mmfs_cache_for_each(collect, &nm);
	for (size_t i = 0; i < nm.n; i++)
		mmfs_kmem_cache_shrink(nm.v[i]);
	free(nm.v);
}

static int run(const char *slab, long ops, uint64_t seed)
{
	struct mm_config cfg;
	char err[256] = "";
	void **obj;
	size_t *size, live = 0, nr = 0;
	double live_bytes = 0;
	unsigned long base, churn, shrunk;

	mm_config_default(&cfg);
	mm_config_parse(&cfg, "mem", "512M", err, sizeof(err));
	mm_config_parse(&cfg, "cpus", "2", err, sizeof(err));
	mm_config_parse(&cfg, "slab", slab, err, sizeof(err));
	if (mm_boot(&cfg, err, sizeof(err))) {
		fprintf(stderr, "slab_compare: boot slab=%s: %s\n", slab, err);
		return -1;
	}
	obj = calloc((size_t)ops, sizeof(void *));
	size = calloc((size_t)ops, sizeof(size_t));
	if (!obj || !size)
		return -1;
	base = slab_layer_pages();
	rng = seed * 0x9e3779b97f4a7c15ull + 1;
	for (long i = 0; i < ops; i++) {
		if (live && next_rand() % 100 < 40) {
			size_t k = next_rand() % live;

			kfree(obj[k]);
			live_bytes -= (double)size[k];
			obj[k] = obj[live - 1];
			size[k] = size[live - 1];
			live--;
		} else {
			size_t sz = random_size();

			obj[live] = kmalloc(sz, GFP_KERNEL);
			if (!obj[live]) {
				fprintf(stderr, "slab_compare: kmalloc(%zu) failed under %s\n", sz, slab);
				break;
			}
			memset(obj[live], 0x5a, sz);
			size[live] = sz;
			live_bytes += (double)sz;
			live++;
			nr++;
		}
	}
	churn = slab_layer_pages() - base;
	shrink_all();
	shrunk = slab_layer_pages() - base;
	printf("%-5s %9zu %12.0f %10lu %8.3f %10lu %8.3f\n", mmfs_slab_allocator_name(), live,
	       live_bytes, churn, (double)churn * PAGE_SIZE / live_bytes, shrunk,
	       (double)shrunk * PAGE_SIZE / live_bytes);
	for (size_t i = 0; i < live; i++)
		kfree(obj[i]);
	free(obj);
	free(size);
	mm_shutdown();
	return 0;
}

int main(int argc, char **argv)
{
	static const char * const slabs[] = { "slub", "slab", "slob" };
	long ops = argc > 1 ? atol(argv[1]) : 200000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;

	if (ops <= 0)
		return mmfs_slab_reap_start(0) == 0 ? 0 : 2;	/* usage; keeps slab.o linked */
	printf("# %ld random kmalloc/kfree steps (seed %llu): sizes 70%% 8-256, 25%% 257-2048, "
	       "5%% 2049-8192; 40%% frees\n", ops, (unsigned long long)seed);
	printf("#                                   after churn          after shrink\n");
	printf("%-5s %9s %12s %10s %8s %10s %8s\n", "alloc", "live_objs", "live_bytes",
	       "slab_pages", "per_byte", "slab_pages", "per_byte");
	for (size_t i = 0; i < ARRAY_SIZE(slabs); i++)
		if (run(slabs[i], ops, seed))
			return 1;
	return 0;
}
