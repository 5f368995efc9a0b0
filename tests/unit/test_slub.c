/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_slub.c - SLUB and the common slab layer: cache geometry against the
 * kernel's formulas (and the host kernel's numbers), kmalloc size classes,
 * the fast path, partial-list transitions, cpu partial, shrink, destroy,
 * the bulk API, krealloc/ksize/kcalloc, large kmalloc, slub_debug checks
 * catching planted corruption, the checked entry points, sysfs attributes
 * and slabinfo.
 */
#include "unit_common.h"
#include "slab.h"
#include "slab_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */
static char attr_buf[8192];

static const char *attr(const char *cache, const char *name)
{
	long n = mmfs_cache_attr_show(cache, name, attr_buf, sizeof(attr_buf));

	assert_true(n >= 0);
	return attr_buf;
}

static unsigned long attr_ul(const char *cache, const char *name)
{
	return strtoul(attr(cache, name), NULL, 10);
}

static int validate_count(char **report)
{
	char *rep = NULL;
	int n = mm_validate(&rep);

	if (report)
		*report = rep;
	else
		free(rep);
	return n;
}

/* ------------------------------------- the kernel's formulas, restated */
struct geo { unsigned int size, objects, order, align, offset, inuse, red_left_pad; };

static unsigned int t_order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((4096UL << order) / size);
}

static int t_get_order(unsigned long size)
{
	int order = 0;

	size = (size - 1) >> 12;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

static int t_fls(unsigned int x)
{
	int r = 0;

	while (x) {
		r++;
		x >>= 1;
	}
	return r;
}

/* calculate_order() of mm/slub.c (6.8+), slub_max_order = 3 */
static unsigned int t_calculate_order(unsigned int size, unsigned int cpus)
{
	unsigned int min_objects = 4 * ((unsigned int)t_fls(cpus) + 1);
	unsigned int max_objects = t_order_objects(3, size);
	unsigned int min_order, order, fraction;

	if (max_objects < 1)
		max_objects = 1;
	if (min_objects > max_objects)
		min_objects = max_objects;
	min_order = (unsigned int)t_get_order((unsigned long)min_objects * size);
	if (t_order_objects(min_order, size) > 32767)
		return (unsigned int)t_get_order((unsigned long)size * 32767) - 1;
	for (fraction = 16; fraction > 1; fraction /= 2) {
		for (order = min_order; order <= 3; order++) {
			unsigned int slab = 4096u << order;

			if (slab % size <= slab / fraction)
				return order;
		}
	}
	return (unsigned int)t_get_order(size);
}

/* calculate_alignment() + calculate_sizes() */
static struct geo t_layout(unsigned int object_size, unsigned int align, slab_flags_t flags,
			   bool ctor, bool kmalloc, unsigned int cpus)
{
	struct geo g = { 0 };
	unsigned int size;

	if (kmalloc) {
		align = 8;
		if ((1u << (__builtin_ffs((int)object_size) - 1)) > align)
			align = 1u << (__builtin_ffs((int)object_size) - 1);
	}
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = 64;

		while (object_size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < 8)
		align = 8;
	align = (align + 7) & ~7u;
	g.align = align;
	size = (object_size + 7) & ~7u;
	if ((flags & SLAB_RED_ZONE) && size == object_size)
		size += 8;
	g.inuse = size;
	if ((flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) || ctor ||
	    ((flags & SLAB_RED_ZONE) && (object_size < 8 ||
					 ((flags & SLAB_STORE_USER) && kmalloc)))) {
		g.offset = size;
		size += 8;
	} else {
		g.offset = (object_size / 2) & ~7u;
	}
	if (flags & SLAB_STORE_USER) {
		size += 2 * (unsigned int)sizeof(struct track);
		if (kmalloc)
			size += 4;
	}
	if (flags & SLAB_RED_ZONE) {
		size += 8;
		g.red_left_pad = (8 + align - 1) & ~(align - 1);
		size += g.red_left_pad;
	}
	size = (size + align - 1) & ~(align - 1);
	g.size = size;
	g.order = t_calculate_order(size, cpus);
	g.objects = t_order_objects(g.order, size);
	return g;
}

/* cpu_partial default (set_cpu_partial) and min_partial (set_min_partial) */
static unsigned int t_cpu_partial(unsigned int size, bool debug)
{
	if (debug)
		return 0;
	if (size >= 4096)
		return 6;
	if (size >= 1024)
		return 24;
	if (size >= 256)
		return 52;
	return 120;
}

static unsigned long t_min_partial(unsigned int size)
{
	unsigned long m = (unsigned long)(63 - __builtin_clzl(size)) / 2;

	return m < 5 ? 5 : m > 10 ? 10 : m;
}

static const char * const kmalloc_names[] = {
	"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96", "kmalloc-128",
	"kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k", "kmalloc-2k", "kmalloc-4k",
	"kmalloc-8k",
};
static const unsigned int kmalloc_sizes[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

/*
 * The host (Linux 6.18.44, 2 CPUs) read on 2026-11-25 from
 * /sys/kernel/slab/kmalloc-*: slab_size objs_per_slab order align
 * cpu_partial min_partial.  The same for kmalloc-rcl-* and dma-kmalloc-*.
 */
static const unsigned int host_cpus2[13][6] = {
	{ 8, 512, 0, 8, 120, 5 },
	{ 16, 256, 0, 16, 120, 5 },
	{ 32, 128, 0, 32, 120, 5 },
	{ 64, 64, 0, 64, 120, 5 },
	{ 96, 42, 0, 32, 120, 5 },
	{ 128, 32, 0, 128, 120, 5 },
	{ 192, 21, 0, 64, 120, 5 },
	{ 256, 16, 0, 256, 52, 5 },
	{ 512, 16, 1, 512, 52, 5 },
	{ 1024, 16, 2, 1024, 24, 5 },
	{ 2048, 16, 3, 2048, 24, 5 },
	{ 4096, 8, 3, 4096, 6, 6 },
	{ 8192, 4, 3, 8192, 6, 6 },
};

/* ------------------------------------------------------------ geometry */
static void check_kmalloc_geometry(unsigned int cpus)
{
	static const char * const prefix[] = { "kmalloc-", "kmalloc-rcl-", "dma-kmalloc-" };
	char opts[64], name[64];

	snprintf(opts, sizeof(opts), "cpus=%u", cpus);
	assert_int_equal(unit_boot(opts), 0);
	for (int t = 0; t < 3; t++) {
		for (size_t i = 0; i < ARRAY_SIZE(kmalloc_sizes); i++) {
			struct geo g = t_layout(kmalloc_sizes[i], 0, 0, false, true, cpus);

			snprintf(name, sizeof(name), "%s%s", prefix[t], kmalloc_names[i] + 8);
			assert_true(mmfs_cache_exists(name));
			assert_int_equal(attr_ul(name, "object_size"), kmalloc_sizes[i]);
			assert_int_equal(attr_ul(name, "slab_size"), g.size);
			assert_int_equal(attr_ul(name, "objs_per_slab"), g.objects);
			assert_int_equal(attr_ul(name, "order"), g.order);
			assert_int_equal(attr_ul(name, "align"), g.align);
			assert_int_equal(attr_ul(name, "cpu_partial"), t_cpu_partial(g.size, false));
			assert_int_equal(attr_ul(name, "min_partial"), t_min_partial(g.size));
			assert_int_equal(attr_ul(name, "reclaim_account"), t == 1);
			assert_int_equal(attr_ul(name, "cache_dma"), t == 2);
			if (cpus == 2) {
				assert_int_equal(g.size, host_cpus2[i][0]);
				assert_int_equal(attr_ul(name, "slab_size"), host_cpus2[i][0]);
				assert_int_equal(attr_ul(name, "objs_per_slab"), host_cpus2[i][1]);
				assert_int_equal(attr_ul(name, "order"), host_cpus2[i][2]);
				assert_int_equal(attr_ul(name, "align"), host_cpus2[i][3]);
				assert_int_equal(attr_ul(name, "cpu_partial"), host_cpus2[i][4]);
				assert_int_equal(attr_ul(name, "min_partial"), host_cpus2[i][5]);
			}
		}
	}
	assert_true(unit_validate_ok());
	mm_shutdown();
}

static void test_kmalloc_geometry_cpus1(void **state) { (void)state; check_kmalloc_geometry(1); }
static void test_kmalloc_geometry_cpus2_host(void **state) { (void)state; check_kmalloc_geometry(2); }
static void test_kmalloc_geometry_cpus4(void **state) { (void)state; check_kmalloc_geometry(4); }
static void test_kmalloc_geometry_cpus64(void **state) { (void)state; check_kmalloc_geometry(64); }

/* Odd sizes, alignments and debug flags: calculate_sizes() against the formulas. */
static void test_odd_geometry_pure(void **state)
{
	static const unsigned int sizes[] = { 1, 7, 8, 9, 24, 40, 100, 200, 333, 700, 1000, 1500,
					      3000, 4095, 5000, 10000, 70000, 200000, 1u << 20 };
	static const unsigned int aligns[] = { 0, 8, 32, 64, 256 };
	static const slab_flags_t flagsets[] = {
		0, SLAB_HWCACHE_ALIGN, SLAB_RED_ZONE, SLAB_POISON, SLAB_STORE_USER,
		SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER, SLAB_TYPESAFE_BY_RCU,
		SLAB_HWCACHE_ALIGN | SLAB_RED_ZONE,
	};
	static const unsigned int cpus[] = { 1, 2, 4, 64 };
	unsigned int saved = nr_cpu_ids;
	static struct kmem_cache s;
	int checked = 0;

	(void)state;
	for (size_t c = 0; c < ARRAY_SIZE(cpus); c++) {
		nr_cpu_ids = cpus[c];
		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
			for (size_t a = 0; a < ARRAY_SIZE(aligns); a++)
				for (size_t f = 0; f < ARRAY_SIZE(flagsets); f++) {
					struct geo g = t_layout(sizes[i], aligns[a], flagsets[f], false,
								false, cpus[c]);

					memset(&s, 0, sizeof(s));
					s.object_size = sizes[i];
					s.flags = flagsets[f];
					s.align = calculate_alignment(flagsets[f], aligns[a], sizes[i]);
					assert_int_equal(s.align, g.align);
					assert_int_equal(slub_calculate_sizes(&s), 1);
					assert_int_equal(s.size, g.size);
					assert_int_equal(s.inuse, g.inuse);
					assert_int_equal(s.offset, g.offset);
					assert_int_equal(s.red_left_pad, g.red_left_pad);
					assert_int_equal(oo_order(s.oo), g.order);
					assert_int_equal(oo_objects(s.oo), g.objects);
					checked++;
				}
	}
	/* a few order values written out by hand from the formula */
	nr_cpu_ids = 2;
	assert_int_equal(slub_calculate_order(64), 0);	/* min_objects 12 */
	assert_int_equal(slub_calculate_order(512), 1);	/* 12*512 = 6144 */
	assert_int_equal(slub_calculate_order(700), 2);	/* 8400 -> order 2, 5 objects, rem 692 <= 1024 */
	nr_cpu_ids = 64;
	assert_int_equal(slub_calculate_order(256), 1);	/* min_objects 32: 8192 */
	nr_cpu_ids = saved;
	assert_true(checked > 3000);
}

/* The same layouts through real caches (booted), with a ctor. */
static void ctor_fill(void *p) { memset(p, 0x11, 24); }

static void test_odd_geometry_caches(void **state)
{
	struct kmem_cache *s;
	struct geo g;

	(void)state;
	assert_int_equal(unit_boot("cpus=4"), 0);
	s = kmem_cache_create("odd_333", 333, 0, SLAB_HWCACHE_ALIGN, NULL);
	assert_non_null(s);
	g = t_layout(333, 0, SLAB_HWCACHE_ALIGN, false, false, 4);
	assert_int_equal(attr_ul("odd_333", "slab_size"), g.size);
	assert_int_equal(attr_ul("odd_333", "objs_per_slab"), g.objects);
	assert_int_equal(attr_ul("odd_333", "order"), g.order);
	assert_int_equal(attr_ul("odd_333", "align"), g.align);
	assert_int_equal(attr_ul("odd_333", "hwcache_align"), 1);

	s = kmem_cache_create("ctor_24", 24, 0, 0, ctor_fill);
	assert_non_null(s);
	g = t_layout(24, 0, 0, true, false, 4);
	assert_int_equal(attr_ul("ctor_24", "slab_size"), g.size);	/* free pointer behind: 32 */
	assert_int_equal(g.size, 32);
	{
		unsigned char *p = kmem_cache_alloc(s, GFP_KERNEL);

		assert_non_null(p);
		for (int i = 0; i < 24; i++)
			assert_int_equal(p[i], 0x11);	/* ctor ran, no zeroing */
		kmem_cache_free(s, p);
	}
	assert_int_equal(mmfs_kmem_cache_create("dbg_70000", 70000, 0,
						"SLAB_RED_ZONE|SLAB_POISON|SLAB_STORE_USER", NULL, 0), 0);
	g = t_layout(70000, 0, SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER, false, false, 4);
	assert_int_equal(attr_ul("dbg_70000", "slab_size"), g.size);
	assert_int_equal(attr_ul("dbg_70000", "order"), g.order);
	assert_int_equal(attr_ul("dbg_70000", "cpu_partial"), 0);
	assert_true(unit_validate_ok());
	mm_shutdown();
}

/* ------------------------------------------------------- kmalloc family */
static void test_kmalloc_size_classes(void **state)
{
	char cache[64];
	unsigned long kaddr;

	(void)state;
	assert_int_equal(unit_boot("cpus=2"), 0);
	for (size_t n = 1; n <= 8192; n++) {
		void *p = kmalloc(n, GFP_KERNEL);
		size_t expect;

		assert_non_null(p);
		if (n <= 8)
			expect = 8;
		else if (n <= 16)
			expect = 16;
		else if (n <= 32)
			expect = 32;
		else if (n <= 64)
			expect = 64;
		else if (n <= 96)
			expect = 96;
		else if (n <= 128)
			expect = 128;
		else if (n <= 192)
			expect = 192;
		else
			expect = 1UL << t_fls((unsigned int)n - 1);
		assert_int_equal(ksize(p), expect);
		/* kmalloc alignment: the largest power of two dividing the class size */
		assert_int_equal((unsigned long)p % (expect & -expect), 0);
		kfree(p);
	}
	assert_int_equal(mmfs_kmalloc(100, GFP_KERNEL, NUMA_NO_NODE, &kaddr, cache, sizeof(cache)), 0);
	assert_string_equal(cache, "kmalloc-128");
	assert_int_equal(mmfs_kfree(kaddr, NULL, 0), 0);
	assert_int_equal(mmfs_kmalloc(72, GFP_KERNEL | __GFP_RECLAIMABLE, NUMA_NO_NODE, &kaddr,
				      cache, sizeof(cache)), 0);
	assert_string_equal(cache, "kmalloc-rcl-96");
	assert_int_equal(mmfs_kfree(kaddr, NULL, 0), 0);
	assert_int_equal(mmfs_kmalloc(150, GFP_KERNEL | __GFP_DMA, NUMA_NO_NODE, &kaddr,
				      cache, sizeof(cache)), 0);
	assert_string_equal(cache, "dma-kmalloc-192");
	{
		void *p = mmfs_kaddr_to_ptr(kaddr);
		struct page *pg = virt_to_page(p);

		assert_int_equal(page_zonenum(pg), ZONE_DMA);
	}
	assert_int_equal(mmfs_kfree(kaddr, NULL, 0), 0);
	assert_ptr_equal(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	assert_true(unit_validate_ok());
	mm_shutdown();
}

static void test_krealloc_ksize_kcalloc(void **state)
{
	unsigned char *p, *q;
	uint32_t *z;

	(void)state;
	assert_int_equal(unit_boot("cpus=2"), 0);
	p = kmalloc(20, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(ksize(p), 32);
	memset(p, 0x5c, 20);
	q = krealloc(p, 30, GFP_KERNEL);	/* fits in ksize: same object */
	assert_ptr_equal(q, p);
	q = krealloc(p, 100, GFP_KERNEL);
	assert_non_null(q);
	assert_ptr_not_equal(q, p);
	assert_int_equal(ksize(q), 128);
	for (int i = 0; i < 20; i++)
		assert_int_equal(q[i], 0x5c);
	p = krealloc(q, 20000, GFP_KERNEL);	/* to a large kmalloc */
	assert_non_null(p);
	assert_int_equal(ksize(p), 32768);
	assert_int_equal(p[19], 0x5c);
	assert_ptr_equal(krealloc(p, 0, GFP_KERNEL), ZERO_SIZE_PTR);

	z = kcalloc(100, sizeof(uint32_t), GFP_KERNEL);
	assert_non_null(z);
	for (int i = 0; i < 100; i++)
		assert_int_equal(z[i], 0);
	kfree(z);
	assert_null(kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL));
	z = kzalloc(4096, GFP_KERNEL);
	assert_non_null(z);
	for (int i = 0; i < 1024; i++)
		assert_int_equal(z[i], 0);
	kfree(z);
	assert_true(unit_validate_ok());
	mm_shutdown();
}

static void test_large_kmalloc(void **state)
{
	unsigned long before, during, kaddr;
	size_t size;
	char cache[64] = "x";
	void *p;
	struct page *pg;

	(void)state;
	assert_int_equal(unit_boot("cpus=2"), 0);
	before = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	p = kmalloc(8193, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal((unsigned long)p % PAGE_SIZE, 0);
	pg = virt_to_page(p);
	assert_false(PageSlab(pg));
	assert_true(PageHead(pg));
	assert_int_equal(compound_order(pg), 2);
	assert_int_equal(ksize(p), 16384);
	during = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	assert_int_equal(during, before + 4);
	kfree(p);
	assert_int_equal(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B), before);
	/* through the checked entry points */
	assert_int_equal(mmfs_kmalloc(100000, GFP_KERNEL, NUMA_NO_NODE, &kaddr, cache, sizeof(cache)), 0);
	assert_string_equal(cache, "");
	assert_int_equal(mmfs_ksize(kaddr, &size), 0);
	assert_int_equal(size, 131072);
	assert_int_equal(mmfs_kfree(kaddr + 4096, NULL, 0), -EINVAL);	/* not the start */
	assert_int_equal(mmfs_kfree(kaddr, NULL, 0), 0);
	assert_int_equal(mmfs_kfree(kaddr, NULL, 0), -EINVAL);		/* double free */
	assert_int_equal(mmfs_kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL, NUMA_NO_NODE, &kaddr, NULL, 0),
			 -EINVAL);
	assert_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL));
	/* a user page block is not a large kmalloc */
	{
		struct page *blk = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);

		assert_non_null(blk);
		assert_int_equal(mmfs_kfree(mmfs_kaddr(page_address(blk)), NULL, 0), -EINVAL);
		__free_pages(blk, 2);
	}
	assert_true(unit_validate_ok());
	mm_shutdown();
}

/* --------------------------------------------------------- SLUB paths */
static void test_fast_path_lifo(void **state)
{
	struct kmem_cache *s;
	void *a, *b, *c;

	(void)state;
	assert_int_equal(unit_boot("cpus=1"), 0);
	s = kmem_cache_create("fast", 64, 0, 0, NULL);
	assert_non_null(s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_ptr_equal(virt_to_page(a), virt_to_page(b));	/* same cpu slab */
	kmem_cache_free(s, a);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(c, a);					/* LIFO cpu freelist */
	kmem_cache_free(s, b);
	kmem_cache_free(s, c);
	/* the slab page is a slab page owned by this cache */
	{
		struct page *pg = virt_to_page(a);
		struct page_owner *po = get_page_owner(pg);

		assert_true(PageSlab(pg));
		assert_ptr_equal(page_slab(pg)->slab_cache, s);
		assert_non_null(po);
		assert_int_equal(po->kind, MMFS_OWNER_SLAB);
	}
	kmem_cache_destroy(s);
	assert_false(mmfs_cache_exists("fast"));
	assert_true(unit_validate_ok());
	mm_shutdown();
}

/* Full -> cpu partial -> node partial -> empty, with cpus=1 for determinism. */
static void test_partial_transitions(void **state)
{
	struct kmem_cache *s;
	void *obj[64];
	struct page *first;

	(void)state;
	assert_int_equal(unit_boot("cpus=1"), 0);
	s = kmem_cache_create("part256", 256, 0, 0, NULL);
	assert_non_null(s);
	assert_int_equal(attr_ul("part256", "objs_per_slab"), 16);
	for (int i = 0; i < 64; i++) {
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_non_null(obj[i]);
	}
	assert_string_equal(attr("part256", "slabs"), "4 N0=4\n");
	assert_string_equal(attr("part256", "objects"), "64 N0=64\n");
	assert_string_equal(attr("part256", "total_objects"), "64 N0=64\n");
	assert_string_equal(attr("part256", "cpu_slabs"), "1 N0=1\n");
	assert_string_equal(attr("part256", "partial"), "0\n");

	/* freeing into a full slab that is not the cpu slab: it goes to cpu partial */
	first = virt_to_page(obj[0]);
	assert_ptr_not_equal(first, virt_to_page(obj[63]));
	{
		int freed = 0;

		for (int i = 0; i < 64; i++)
			if (obj[i] && virt_to_page(obj[i]) == first && freed < 3) {
				kmem_cache_free(s, obj[i]);
				obj[i] = NULL;
				freed++;
			}
		assert_int_equal(freed, 3);
	}
	assert_string_equal(attr("part256", "slabs_cpu_partial"), "8(1) C0=8(1)\n");
	assert_string_equal(attr("part256", "cpu_slabs"), "2 N0=2\n");
	assert_false(page_slab(first)->frozen);
	assert_int_equal(page_slab(first)->inuse, 13);

	/* shrink flushes the cpu: the partial slab goes to the node list */
	assert_int_equal(kmem_cache_shrink(s), 1);
	assert_string_equal(attr("part256", "cpu_slabs"), "0\n");
	assert_string_equal(attr("part256", "partial"), "1 N0=1\n");
	assert_string_equal(attr("part256", "objects_partial"), "13 N0=13\n");
	assert_string_equal(attr("part256", "objects"), "61 N0=61\n");

	/* the next allocation takes the node partial slab (get_partial_node) */
	{
		void *p = kmem_cache_alloc(s, GFP_KERNEL);

		assert_ptr_equal(virt_to_page(p), first);
		assert_true(page_slab(first)->frozen);
		assert_string_equal(attr("part256", "partial"), "0\n");
		kmem_cache_free(s, p);
	}
	/* free everything: empty slabs beyond min_partial are discarded */
	for (int i = 0; i < 64; i++)
		if (obj[i])
			kmem_cache_free(s, obj[i]);
	kmem_cache_shrink(s);
	assert_string_equal(attr("part256", "slabs"), "0\n");
	assert_string_equal(attr("part256", "objects"), "0\n");
	assert_true(unit_validate_ok());
	kmem_cache_destroy(s);
	mm_shutdown();
}

/* min_partial: empty slabs stay while the node has fewer than min_partial. */
static void test_min_partial_and_discard(void **state)
{
	struct kmem_cache *s;
	void *obj[16 * 12];

	(void)state;
	assert_int_equal(unit_boot("cpus=1"), 0);
	s = kmem_cache_create("minp", 256, 0, 0, NULL);
	assert_non_null(s);
	assert_int_equal(mmfs_cache_attr_store("minp", "cpu_partial", "0\n", 2), 0);
	assert_int_equal(attr_ul("minp", "cpu_partial"), 0);
	assert_int_equal(attr_ul("minp", "min_partial"), 5);
	for (int i = 0; i < 16 * 12; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(attr_ul("minp", "slabs"), 12);
	/* free the first 11 slabs' objects: each becomes partial then empty */
	for (int i = 0; i < 16 * 11; i++)
		kmem_cache_free(s, obj[i]);
	/*
	 * cpu_partial 0 still parks the last slab that was full on the cpu
	 * partial list (put_cpu_partial drains the previous one at once), so:
	 * min_partial (5) empty slabs on the node, slab 10 on the cpu partial
	 * list, slab 11 the cpu slab; slabs 5..9 were discarded.
	 */
	assert_int_equal(attr_ul("minp", "partial"), 5);
	assert_int_equal(attr_ul("minp", "objects_partial"), 0);
	assert_string_equal(attr("minp", "cpu_slabs"), "2 N0=2\n");
	assert_int_equal(attr_ul("minp", "slabs"), 7);
	assert_int_equal(mmfs_cache_attr_store("minp", "min_partial", "0", 1), 0);
	assert_int_equal(mmfs_cache_attr_store("minp", "shrink", "1\n", 2), 0);
	assert_int_equal(attr_ul("minp", "slabs"), 1);
	assert_int_equal(mmfs_cache_attr_store("minp", "shrink", "2", 1), -EINVAL);
	assert_int_equal(mmfs_cache_attr_store("minp", "order", "1", 1), -EPERM);
	assert_int_equal(mmfs_cache_attr_store("minp", "nonesuch", "1", 1), -ENOENT);
	for (int i = 16 * 11; i < 16 * 12; i++)
		kmem_cache_free(s, obj[i]);
	assert_true(unit_validate_ok());
	kmem_cache_destroy(s);
	mm_shutdown();
}

static void test_destroy_busy(void **state)
{
	unsigned long kaddr;
	unsigned int objsize;
	char err[128];

	(void)state;
	assert_int_equal(unit_boot("cpus=2"), 0);
	assert_int_equal(mmfs_kmem_cache_create("busy", 100, 0, "SLAB_HWCACHE_ALIGN", err, sizeof(err)), 0);
	assert_int_equal(mmfs_kmem_cache_alloc("busy", GFP_KERNEL, NUMA_NO_NODE, &kaddr, &objsize), 0);
	assert_int_equal(objsize, 100);
	assert_int_equal(mmfs_kmem_cache_destroy("busy", err, sizeof(err)), -EBUSY);
	assert_true(mmfs_cache_exists("busy"));
	assert_int_equal(attr_ul("busy", "objects"), 1);	/* nothing changed */
	assert_int_equal(mmfs_kmem_cache_free("busy", kaddr, err, sizeof(err)), 0);
	assert_int_equal(mmfs_kmem_cache_destroy("busy", err, sizeof(err)), 0);
	assert_false(mmfs_cache_exists("busy"));
	assert_int_equal(mmfs_kmem_cache_destroy("busy", err, sizeof(err)), -ENOENT);
	assert_int_equal(mmfs_kmem_cache_destroy("kmalloc-64", err, sizeof(err)), -EPERM);
	assert_true(unit_validate_ok());
	mm_shutdown();
}

static void test_bulk(void **state)
{
	struct kmem_cache *s;
	void *p[300];

	(void)state;
	assert_int_equal(unit_boot("cpus=2"), 0);
	s = kmem_cache_create("bulk", 48, 0, 0, NULL);
	assert_non_null(s);
	assert_int_equal(kmem_cache_alloc_bulk(s, GFP_KERNEL, 300, p), 300);
	for (int i = 0; i < 300; i++) {
		assert_non_null(p[i]);
		assert_ptr_equal(page_slab(compound_head(virt_to_page(p[i])))->slab_cache, s);
		for (int j = 0; j < i; j += 37)
			assert_ptr_not_equal(p[i], p[j]);
		memset(p[i], 0x77, 48);
	}
	assert_int_equal(attr_ul("bulk", "objects") >= 300, 1);
	kmem_cache_free_bulk(s, 300, p);
	assert_int_equal(kmem_cache_alloc_bulk(s, GFP_KERNEL, 0, p), 0);
	assert_true(unit_validate_ok());
	kmem_cache_destroy(s);
	assert_false(mmfs_cache_exists("bulk"));
	mm_shutdown();
}


/* CONFIG_SLAB_FREELIST_HARDENED / _RANDOM, and the bootstrap caches */
static void test_hardening_random_bootstrap(void **state)
{
	struct kmem_cache *s;
	unsigned char *obj[64];
	bool sequential = true;

	(void)state;
	assert_int_equal(unit_boot("cpus=1"), 0);
	s = kmem_cache_create("hard64", 64, 0, 0, NULL);
	assert_non_null(s);
	assert_int_equal(attr_ul("hard64", "objs_per_slab"), 64);
	for (int i = 0; i < 64; i++) {
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_ptr_equal(virt_to_page(obj[i]), virt_to_page(obj[0]));	/* one slab */
		if (i && obj[i] != obj[i - 1] + 64)
			sequential = false;
	}
#ifdef CONFIG_SLAB_FREELIST_RANDOM
	assert_false(sequential);	/* a shuffled freelist */
#else
	assert_true(sequential);
#endif
	kmem_cache_free(s, obj[5]);
	kmem_cache_free(s, obj[9]);	/* obj[9]'s free pointer -> obj[5] */
	{
		unsigned long addr = (unsigned long)(obj[9] + s->offset);
		unsigned long stored = *(unsigned long *)addr;

		assert_int_equal(s->offset, 32);
#ifdef CONFIG_SLAB_FREELIST_HARDENED
		assert_int_not_equal(stored, (unsigned long)obj[5]);
		assert_int_equal(stored ^ s->random ^ __builtin_bswap64(addr), (unsigned long)obj[5]);
#else
		assert_int_equal(stored, (unsigned long)obj[5]);
#endif
	}
	for (int i = 0; i < 64; i++)
		if (i != 5 && i != 9)
			kmem_cache_free(s, obj[i]);
	/* kmem_cache and kmem_cache_node live in real slab pages of their own */
	{
		struct slab *slab = virt_to_slab(s);
		struct slab *self = virt_to_slab(kmem_cache);
		struct page_owner *po = get_page_owner(slab_page(slab));

		assert_non_null(slab);
		assert_ptr_equal(slab->slab_cache, kmem_cache);
		assert_ptr_equal(self->slab_cache, kmem_cache);
		assert_true(PageSlab(slab_page(slab)));
		assert_non_null(po);
		assert_int_equal(po->kind, MMFS_OWNER_SLAB);
		assert_non_null(virt_to_slab(s->node[0]));
		assert_string_equal(virt_to_slab(s->node[0])->slab_cache->name, "kmem_cache_node");
		assert_true(attr_ul("kmem_cache", "slabs") >= 1);
	}
	kmem_cache_destroy(s);
	assert_true(unit_validate_ok());
	mm_shutdown();
}

/* ----------------------------------------------------------- slub_debug */
static void test_debug_redzone_overflow(void **state)
{
	unsigned char *p;
	struct kmem_cache *s;
	char *rep = NULL;

	(void)state;
	assert_int_equal(unit_boot("cpus=2"), 0);
	assert_int_equal(mmfs_kmem_cache_create("dbgz", 64, 0,
		"SLAB_RED_ZONE|SLAB_POISON|SLAB_STORE_USER|SLAB_CONSISTENCY_CHECKS", NULL, 0), 0);
	assert_int_equal(attr_ul("dbgz", "red_zone"), 1);
	assert_int_equal(attr_ul("dbgz", "poison"), 1);
	assert_int_equal(attr_ul("dbgz", "sanity_checks"), 1);
	assert_int_equal(attr_ul("dbgz", "store_user"), 1);
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list)
		if (!strcmp(s->name, "dbgz"))
			break;
	mutex_unlock(&slab_mutex);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(p[-1], SLUB_RED_ACTIVE);
	assert_int_equal(p[64], SLUB_RED_ACTIVE);
	assert_int_equal(validate_count(NULL), 0);
	p[64] = 0x00;		/* one byte past the object */
	assert_true(validate_count(&rep) > 0);
	assert_non_null(strstr(rep, "BUG dbgz (Not tainted): Right Redzone overwritten"));
	free(rep);
	assert_true(unit_log_has("FIX dbgz: Restoring Right Redzone"));
	assert_int_equal(validate_count(NULL), 0);	/* restored */
	p[-3] = 0x11;		/* before the object */
	assert_true(validate_count(&rep) > 0);
	assert_non_null(strstr(rep, "Left Redzone overwritten"));
	free(rep);
	assert_string_not_equal(attr("dbgz", "alloc_calls"), "No data\n");
	assert_non_null(strstr(attr("dbgz", "alloc_calls"), "age="));
	kmem_cache_free(s, p);
	assert_true(unit_validate_ok());
	mm_shutdown();
}

static void test_debug_use_after_free_poison(void **state)
{
	unsigned char *p, *q;
	struct kmem_cache *s;
	char *rep = NULL;

	(void)state;
	assert_int_equal(unit_boot("cpus=1"), 0);
	s = kmem_cache_create("dbgp", 100, 0, SLAB_POISON | SLAB_RED_ZONE, NULL);
	assert_non_null(s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(s, GFP_KERNEL);	/* keeps the slab alive */
	assert_non_null(p);
	kmem_cache_free(s, p);
	assert_int_equal(p[0], POISON_FREE);
	assert_int_equal(p[99], POISON_END);
	p[10] = 0x42;		/* use after free */
	assert_true(validate_count(&rep) > 0);
	assert_non_null(strstr(rep, "BUG dbgp (Not tainted): Poison overwritten"));
	free(rep);
	assert_int_equal(validate_count(NULL), 0);
	/* the same write caught by the allocation checks (F): the slab is isolated */
	kmem_cache_free(s, q);
	assert_int_equal(validate_count(NULL), 0);
	mm_shutdown();

	/* with F, an allocation of a corrupted free object reports and survives */
	assert_int_equal(unit_boot("cpus=1,slub_debug=FZP:dbgf"), 0);
	s = kmem_cache_create("dbgf", 128, 0, 0, NULL);
	assert_non_null(s);
	assert_int_equal(attr_ul("dbgf", "sanity_checks"), 1);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, q);
	q[5] = 0x99;
	for (int i = 0; i < 40; i++) {
		void *r = kmem_cache_alloc(s, GFP_KERNEL);	/* must not crash */

		assert_non_null(r);
	}
	assert_true(unit_log_has("BUG dbgf (Not tainted): Poison overwritten"));
	assert_true(unit_log_has("Marking all objects used"));
	(void)p;
	mm_shutdown();
}

static void test_debug_double_free_and_wrong_cache(void **state)
{
	struct kmem_cache *a, *b;
	void *x, *y;
	char err[128];

	(void)state;
	assert_int_equal(unit_boot("cpus=2,slub_debug=FZPU"), 0);
	assert_int_equal(attr_ul("kmalloc-64", "red_zone"), 1);
	a = kmem_cache_create("cache_a", 40, 0, 0, NULL);
	b = kmem_cache_create("cache_b", 40, 0, 0, NULL);
	assert_non_null(a);
	assert_non_null(b);
	x = kmem_cache_alloc(a, GFP_KERNEL);
	y = kmem_cache_alloc(a, GFP_KERNEL);
	kmem_cache_free(a, x);
	kmem_cache_free(a, x);		/* double free */
	assert_true(unit_log_has("BUG cache_a (Not tainted): Object already free"));
	assert_int_equal(attr_ul("cache_a", "objects"), 1);
	assert_int_equal(validate_count(NULL), 0);

	/* free to the wrong cache: reported, goes back to the right one */
	kmem_cache_free(b, y);
	assert_true(unit_log_has("Wrong slab cache. cache_b but object is from cache_a"));
	assert_int_equal(attr_ul("cache_a", "objects"), 0);

	/* the checked entry points refuse both, changing nothing */
	x = kmem_cache_alloc(a, GFP_KERNEL);
	assert_int_equal(mmfs_kmem_cache_free("cache_b", mmfs_kaddr(x), err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_free("cache_a", mmfs_kaddr(x) + 8, err, sizeof(err)), -EINVAL);
	assert_int_equal(attr_ul("cache_a", "objects"), 1);
	assert_int_equal(mmfs_kmem_cache_free("cache_a", mmfs_kaddr(x), err, sizeof(err)), 0);
	assert_int_equal(mmfs_kmem_cache_free("cache_a", mmfs_kaddr(x), err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_free("nonesuch", mmfs_kaddr(x), err, sizeof(err)), -ENOENT);
	assert_true(unit_validate_ok());
	mm_shutdown();
}


/* A broken free pointer and overwritten slab padding in a debug cache */
static void test_debug_freepointer_and_padding(void **state)
{
	struct kmem_cache *s;
	unsigned char *a, *b, *c, *end;
	char *rep = NULL;
	struct slab *slab;

	(void)state;
	assert_int_equal(unit_boot("cpus=1"), 0);
	s = kmem_cache_create("dbgfp", 1000, 0, SLAB_POISON | SLAB_RED_ZONE | SLAB_CONSISTENCY_CHECKS, NULL);
	assert_non_null(s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	assert_non_null(c);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	assert_true(s->offset >= s->inuse);		/* poison: free pointer behind the object */
	memset(b + s->offset, 0x77, sizeof(void *));
	assert_true(validate_count(&rep) > 0);
	/* on_freelist() finds it first while walking the freelist */
	assert_non_null(strstr(rep, "BUG dbgfp (Not tainted): Freechain corrupt"));
	free(rep);
	/* the slab's padding after the last object */
	slab = virt_to_slab(c);
	end = (unsigned char *)slab_address(slab) + (PAGE_SIZE << slab_order(slab));
	assert_true((PAGE_SIZE << slab_order(slab)) % s->size != 0);
	end[-1] = 0;
	assert_true(validate_count(&rep) > 0);
	assert_non_null(strstr(rep, "Padding overwritten"));
	free(rep);
	for (int i = 0; i < 50; i++)
		assert_non_null(kmem_cache_alloc(s, GFP_KERNEL));	/* keeps working */
	assert_int_equal(validate_count(NULL), 0);
	mm_shutdown();
}

/* kmalloc redzone (U+Z on a kmalloc cache): writing past the requested size */
static void test_debug_kmalloc_redzone(void **state)
{
	unsigned char *p;
	char *rep = NULL;

	(void)state;
	assert_int_equal(unit_boot("cpus=1,slub_debug=FZPU:kmalloc-64"), 0);
	assert_int_equal(attr_ul("kmalloc-64", "red_zone"), 1);
	assert_int_equal(attr_ul("kmalloc-128", "red_zone"), 0);
	{
		struct geo g = t_layout(64, 0, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON |
					SLAB_STORE_USER, false, true, 1);

		assert_int_equal(attr_ul("kmalloc-64", "slab_size"), g.size);
	}
	p = kmalloc(50, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(p[50], SLUB_RED_ACTIVE);
	p[55] = 1;
	assert_true(validate_count(&rep) > 0);
	assert_non_null(strstr(rep, "kmalloc Redzone overwritten"));
	free(rep);
	assert_int_equal(validate_count(NULL), 0);
	/* krealloc within the object moves the kmalloc redzone */
	assert_ptr_equal(krealloc(p, 60, GFP_KERNEL), p);
	memset(p, 3, 60);
	assert_int_equal(p[60], SLUB_RED_ACTIVE);
	assert_int_equal(validate_count(NULL), 0);
	assert_ptr_equal(krealloc(p, 40, GFP_KERNEL), p);
	assert_int_equal(p[45], SLUB_RED_ACTIVE);
	assert_int_equal(validate_count(NULL), 0);
	kfree(p);
	assert_true(unit_validate_ok());
	mm_shutdown();
}

/* A corrupted free pointer in a non-debug cache is caught, not followed. */
static void test_corrupt_freelist_no_crash(void **state)
{
	struct kmem_cache *s;
	unsigned char *a, *b;

	(void)state;
	assert_int_equal(unit_boot("cpus=1"), 0);
	s = kmem_cache_create("corrupt", 64, 0, 0, NULL);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);		/* cpu freelist: b -> a -> ... */
	memset(b + 32, 0xee, 8);	/* the free pointer sits at object_size / 2 */
	assert_ptr_equal(kmem_cache_alloc(s, GFP_KERNEL), b);
	assert_true(unit_log_has("Freechain corrupt"));
	for (int i = 0; i < 200; i++)
		assert_non_null(kmem_cache_alloc(s, GFP_KERNEL));
	mm_shutdown();
}

static void test_debug_trace_and_owner(void **state)
{
	struct kmem_cache *s;
	void *p;

	(void)state;
	assert_int_equal(unit_boot("cpus=1,slub_debug=T:traced"), 0);
	s = kmem_cache_create("traced", 32, 0, 0, NULL);
	assert_int_equal(attr_ul("traced", "trace"), 1);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_true(unit_log_has("TRACE traced alloc 0x"));
	kmem_cache_free(s, p);
	assert_true(unit_log_has("TRACE traced free 0x"));
	mm_shutdown();
}

/* -------------------------------------------- checked entry points, files */
static void test_checked_create_errors(void **state)
{
	char err[128], longname[80];

	(void)state;
	assert_int_equal(unit_boot("cpus=2"), 0);
	memset(longname, 'a', 65);
	longname[65] = '\0';
	assert_int_equal(mmfs_kmem_cache_create(longname, 8, 0, "", err, sizeof(err)), -EINVAL);
	longname[64] = '\0';
	assert_int_equal(mmfs_kmem_cache_create(longname, 8, 0, "", err, sizeof(err)), 0);
	assert_int_equal(mmfs_kmem_cache_create("bad name", 8, 0, "", err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_create("bad/name", 8, 0, "", err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_create("", 8, 0, "", err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_create("ok", 0, 0, "", err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_create("ok", KMALLOC_MAX_SIZE + 1, 0, "", err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_create("ok", 8, 3, "", err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_create("ok", 8, 8192, "", err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_create("ok", 8, 0, "SLAB_BOGUS", err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_kmem_cache_create("ok", 8, 0, "SLAB_POISON|", err, sizeof(err)), -EINVAL);
	assert_false(mmfs_cache_exists("ok"));
	assert_int_equal(mmfs_kmem_cache_create("ok.1:x-y_z", 8, 64, "SLAB_POISON|SLAB_ACCOUNT", err, sizeof(err)), 0);
	assert_int_equal(mmfs_kmem_cache_create("ok.1:x-y_z", 8, 0, "", err, sizeof(err)), -EEXIST);
	assert_int_equal(mmfs_kmem_cache_create("kmalloc-64", 8, 0, "", err, sizeof(err)), -EEXIST);
	assert_int_equal(attr_ul("ok.1:x-y_z", "align"), 64);
	assert_int_equal(mmfs_kmem_cache_create("max", KMALLOC_MAX_SIZE, 0, "", err, sizeof(err)), 0);
	assert_int_equal(attr_ul("max", "order"), 10);
	{
		unsigned long kaddr;

		assert_int_equal(mmfs_kmem_cache_alloc("nonesuch", GFP_KERNEL, NUMA_NO_NODE, &kaddr, NULL), -ENOENT);
		assert_int_equal(mmfs_kmem_cache_alloc("max", GFP_KERNEL, 5, &kaddr, NULL), -EINVAL);
		assert_int_equal(mmfs_kfree(0x1234, err, sizeof(err)), -EINVAL);
		assert_int_equal(mmfs_kfree(MMFS_PAGE_OFFSET + 0x10, err, sizeof(err)), -EINVAL);
	}
	assert_true(unit_validate_ok());
	mm_shutdown();
}

static int count_cache(const char *name, const char *alias_of, void *arg)
{
	(void)name;
	assert_null(alias_of);
	(*(int *)arg)++;
	return 0;
}

static void test_slabinfo_and_attrs(void **state)
{
	size_t len;
	int err, n = 0, rows = 0;
	char *text, *line, *save = NULL;
	struct kmem_cache *s;
	void *objs[100];
	unsigned long kaddr;
	char cache[64], buf[256];
	unsigned long start;
	unsigned int objsize;

	(void)state;
	assert_int_equal(unit_boot("cpus=2,nodes=2"), 0);
	s = kmem_cache_create("newest", 200, 0, 0, NULL);
	for (int i = 0; i < 100; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	text = mmfs_slabinfo_render(&len, &err);
	assert_non_null(text);
	assert_int_equal(err, 0);
	assert_int_equal(strlen(text), len);
	assert_int_equal(strncmp(text, "slabinfo - version: 2.1\n# name ", 31), 0);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[129];
		unsigned int a, b, c, d, e, f, g;

		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		/* what procps parses */
		assert_int_equal(sscanf(line, "%128s %u %u %u %u %u : tunables %*u %*u %*u : slabdata %u %u %*u",
					name, &a, &b, &c, &d, &e, &f, &g), 8);
		if (rows == 0) {
			assert_string_equal(name, "newest");	/* newest first */
			/* objects free on cpu slabs count as active (SLUB) */
			assert_true(a >= 100 && a <= b);
			assert_int_equal(b % 20, 0);		/* 20 objects per slab */
			assert_int_equal(f, g);			/* active_slabs == num_slabs */
			assert_int_equal(f * 20, b);
			assert_int_equal(c, 200);
		}
		rows++;
	}
	free(text);
	mmfs_cache_for_each(count_cache, &n);
	assert_int_equal(n, rows);
	assert_int_equal(n, 3 * 13 + 2 + 1);
	assert_string_equal(mmfs_slab_allocator_name(), "SLUB");
	/* every attribute renders; modes as the kernel's */
	for (const struct mmfs_slab_attr *a = mmfs_cache_attrs(); a->name; a++) {
		assert_true(mmfs_cache_attr_show("newest", a->name, attr_buf, sizeof(attr_buf)) >= 0);
		if (!strcmp(a->name, "shrink") || !strcmp(a->name, "validate") ||
		    !strcmp(a->name, "cpu_partial") || !strcmp(a->name, "min_partial"))
			assert_int_equal(a->mode, 0600);
	}
	assert_int_equal(mmfs_cache_attr_show("newest", "bogus", attr_buf, sizeof(attr_buf)), -ENOENT);
	assert_int_equal(mmfs_cache_attr_show("nonesuch", "order", attr_buf, sizeof(attr_buf)), -ENOENT);
	assert_string_equal(attr("newest", "ctor"), "");
	assert_string_equal(attr("newest", "aliases"), "0\n");
	assert_string_equal(attr("newest", "validate"), "");
	assert_int_equal(mmfs_cache_attr_store("newest", "validate", "1", 1), 0);
	/* objects spread over both nodes: the N list */
	assert_non_null(strstr(attr("kmem_cache_node", "total_objects"), " N0="));
	/* lookup of an object address */
	assert_int_equal(mmfs_slab_object_at(mmfs_kaddr(objs[7]) + 5, cache, sizeof(cache), &start, &objsize), 0);
	assert_string_equal(cache, "newest");
	assert_int_equal(start, mmfs_kaddr(objs[7]));
	assert_int_equal(objsize, 200);
	assert_true(mmfs_lookup_addr(mmfs_kaddr(objs[7]), buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "cache=newest"));
	assert_non_null(strstr(buf, "in_use"));
	kmem_cache_free(s, objs[7]);
	assert_int_equal(mmfs_slab_object_at(mmfs_kaddr(objs[7]), cache, sizeof(cache), &start, &objsize), -ENOENT);
	assert_true(mmfs_lookup_addr(mmfs_kaddr(objs[7]), buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, " free"));
	/* node-specific allocation */
	assert_int_equal(mmfs_kmem_cache_alloc("newest", GFP_KERNEL, 1, &kaddr, &objsize), 0);
	assert_int_equal(page_to_nid(virt_to_page(mmfs_kaddr_to_ptr(kaddr))), 1);
	assert_int_equal(mmfs_kmem_cache_free("newest", kaddr, NULL, 0), 0);
	for (int i = 0; i < 100; i++)
		if (i != 7)
			kmem_cache_free(s, objs[i]);
	assert_true(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) > 0);
	assert_true(global_node_page_state(NR_SLAB_RECLAIMABLE_B) == 0);
	assert_true(unit_validate_ok());
	mm_shutdown();
}

/* boot/shutdown repeatedly: every slab page goes back */
static void test_reboot(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(unit_boot("cpus=2"), 0);
		for (int j = 0; j < 1000; j++)
			assert_non_null(kmalloc((size_t)(j * 7) % 9000 + 1, GFP_KERNEL));	/* leaked on purpose */
		assert_true(unit_validate_ok());
		mm_shutdown();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_odd_geometry_pure),
		cmocka_unit_test_teardown(test_kmalloc_geometry_cpus1, unit_teardown),
		cmocka_unit_test_teardown(test_kmalloc_geometry_cpus2_host, unit_teardown),
		cmocka_unit_test_teardown(test_kmalloc_geometry_cpus4, unit_teardown),
		cmocka_unit_test_teardown(test_kmalloc_geometry_cpus64, unit_teardown),
		cmocka_unit_test_teardown(test_odd_geometry_caches, unit_teardown),
		cmocka_unit_test_teardown(test_kmalloc_size_classes, unit_teardown),
		cmocka_unit_test_teardown(test_krealloc_ksize_kcalloc, unit_teardown),
		cmocka_unit_test_teardown(test_large_kmalloc, unit_teardown),
		cmocka_unit_test_teardown(test_fast_path_lifo, unit_teardown),
		cmocka_unit_test_teardown(test_partial_transitions, unit_teardown),
		cmocka_unit_test_teardown(test_min_partial_and_discard, unit_teardown),
		cmocka_unit_test_teardown(test_destroy_busy, unit_teardown),
		cmocka_unit_test_teardown(test_bulk, unit_teardown),
		cmocka_unit_test_teardown(test_hardening_random_bootstrap, unit_teardown),
		cmocka_unit_test_teardown(test_debug_redzone_overflow, unit_teardown),
		cmocka_unit_test_teardown(test_debug_use_after_free_poison, unit_teardown),
		cmocka_unit_test_teardown(test_debug_double_free_and_wrong_cache, unit_teardown),
		cmocka_unit_test_teardown(test_debug_kmalloc_redzone, unit_teardown),
		cmocka_unit_test_teardown(test_debug_freepointer_and_padding, unit_teardown),
		cmocka_unit_test_teardown(test_corrupt_freelist_no_crash, unit_teardown),
		cmocka_unit_test_teardown(test_debug_trace_and_owner, unit_teardown),
		cmocka_unit_test_teardown(test_checked_create_errors, unit_teardown),
		cmocka_unit_test_teardown(test_slabinfo_and_attrs, unit_teardown),
		cmocka_unit_test_teardown(test_reboot, unit_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
