/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench_gup.c - the cost of mapping and pinning (mm/memory.c, mm/gup.c).
 *
 *   remap_pin_unpin_order0 / _order9: one op = create a VMA, remap_pfn_range
 *     the block, pin it through the walk (the frame driver's route), unpin,
 *     zap and free the emptied tables.  Baseline: as many buddy
 *     alloc/free pairs (GFP_PGTABLE_USER, order 0) as the op allocates
 *     table pages.
 *   gup_fast_512: pin_user_pages_fast + unpin_user_pages over 512 present
 *     anonymous pages, per page.  Baseline: get_page + put_page per page
 *     (the refcount traffic alone).
 *
 * Prints "BENCH name=<id> ns_per_op=<median> baseline=<what>
 * baseline_ns=<median> ratio=<ours/baseline>".  Never asserts times.
 */
#include "mm.h"
#include "pgtable_types.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROUNDS	15
#define BASE	0x7f0000000000UL

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void report(const char *name, double ours, const char *base, double base_ns)
{
	printf("BENCH name=%s ns_per_op=%.1f baseline=%s baseline_ns=%.1f ratio=%.2f\n",
	       name, ours, base, base_ns, base_ns > 0 ? ours / base_ns : 0.0);
	fflush(stdout);
}

/* one op: vma + remap + pin via the walk + unpin + zap/free tables */
static void remap_pin_unpin(struct mm_struct *mm, unsigned long pfn, unsigned int order)
{
	unsigned long len = PAGE_SIZE << order, wpfn;
	struct vm_area_struct *vma;
	struct page *page;

	mmap_write_lock(mm);
	if (mmfs_vma_create(mm, BASE, len, VM_READ | VM_WRITE | VM_SHARED | VM_MAYREAD |
			    VM_MAYWRITE | VM_MAYSHARE, "/frames/bench", &vma))
		abort();
	if (remap_pfn_range(vma, BASE, pfn, len, vma->vm_page_prot) ||
	    follow_pfn_walk(mm, BASE, &wpfn, NULL, NULL))
		abort();
	page = pfn_to_page(wpfn);
	if (try_grab_page(page, FOLL_PIN))
		abort();
	unpin_user_page(page);
	mmfs_vma_destroy(vma);
	mmap_write_unlock(mm);
}

static void bench_remap(const char *name, unsigned int order, int iters)
{
	struct mm_struct *mm = mmfs_mm_get(7001, true);
	struct page *block = alloc_pages(GFP_KERNEL, order);
	double ours[ROUNDS], base[ROUNDS];
	long tables;
	int r, i, t;

	if (!mm || !block)
		abort();
	/* how many table pages one op allocates (and frees) */
	{
		struct vm_area_struct *vma;
		long before = (long)global_node_page_state(NR_PAGETABLE);

		mmap_write_lock(mm);
		if (mmfs_vma_create(mm, BASE, PAGE_SIZE << order, VM_READ | VM_SHARED | VM_MAYREAD |
				    VM_MAYSHARE, NULL, &vma) ||
		    remap_pfn_range(vma, BASE, page_to_pfn(block), PAGE_SIZE << order, vma->vm_page_prot))
			abort();
		tables = (long)global_node_page_state(NR_PAGETABLE) - before;
		mmfs_vma_destroy(vma);
		mmap_write_unlock(mm);
	}
	for (r = 0; r < ROUNDS; r++) {
		double t0 = now_ns();

		for (i = 0; i < iters; i++)
			remap_pin_unpin(mm, page_to_pfn(block), order);
		ours[r] = (now_ns() - t0) / iters;
		t0 = now_ns();
		for (i = 0; i < iters; i++) {
			struct page *p[8];

			for (t = 0; t < tables; t++)
				p[t] = alloc_pages(GFP_PGTABLE_USER, 0);
			for (t = 0; t < tables; t++)
				__free_pages(p[t], 0);
		}
		base[r] = (now_ns() - t0) / iters;
	}
	{
		char what[64];

		snprintf(what, sizeof(what), "buddy_alloc_free_x%ld", tables);
		report(name, median(ours, ROUNDS), what, median(base, ROUNDS));
	}
	__free_pages(block, order);
	mmfs_mm_put(mm);
}

static void bench_gup_fast(int iters)
{
	struct mm_struct *mm = mmfs_mm_get(7002, true);
	struct page **pages = calloc(512, sizeof(*pages));
	double ours[ROUNDS], base[ROUNDS];
	struct vm_area_struct *vma;
	int r, i, j;

	if (!mm || !pages)
		abort();
	mmap_write_lock(mm);
	if (mmfs_vma_create(mm, BASE, 512 * PAGE_SIZE, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE,
			    NULL, &vma))
		abort();
	mmap_write_unlock(mm);
	mmap_read_lock(mm);
	if (get_user_pages(mm, BASE, 512, FOLL_WRITE, pages) != 512)	/* fault them in */
		abort();
	mmap_read_unlock(mm);
	for (j = 0; j < 512; j++)
		put_page(pages[j]);
	for (r = 0; r < ROUNDS; r++) {
		double t0 = now_ns();

		for (i = 0; i < iters; i++) {
			if (pin_user_pages_fast(mm, BASE, 512, FOLL_WRITE, pages) != 512)
				abort();
			unpin_user_pages(pages, 512);
		}
		ours[r] = (now_ns() - t0) / ((double)iters * 512);
		t0 = now_ns();
		for (i = 0; i < iters; i++) {
			for (j = 0; j < 512; j++)
				get_page(pages[j]);
			for (j = 0; j < 512; j++)
				put_page(pages[j]);
		}
		base[r] = (now_ns() - t0) / ((double)iters * 512);
	}
	report("gup_fast_512", median(ours, ROUNDS), "get_put_page", median(base, ROUNDS));
	mmfs_mm_put(mm);
	free(pages);
}

int main(void)
{
	struct mm_config cfg;
	char err[256];

	mm_config_default(&cfg);
	if (mm_boot(&cfg, err, sizeof(err))) {
		fprintf(stderr, "bench_gup: mm_boot: %s\n", err);
		return 1;
	}
	bench_remap("remap_pin_unpin_order0", 0, 2000);
	bench_remap("remap_pin_unpin_order9", 9, 2000);
	bench_gup_fast(200);
	mm_shutdown();
	return 0;
}
