/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_slob.c - SLOB (mm/slob.c of 6.1) on its own: first-fit placement in
 * a page, merging of neighbouring free blocks on free, the three free lists
 * by request size, the kmalloc header, whole pages for large kmalloc, the
 * page flags (PG_slab, PG_private = PageSlobFree while on a free list), and
 * validate catching a broken free list; no kmalloc caches (caches/ holds
 * kmem_cache and the users' caches, as on a 6.1 SLOB kernel), ksize of a
 * page-sized kmalloc without warnings, and -EINVAL for an allocation from a
 * cache without a fixed object size.
 *
 * Each cache has its own pages (see slob.c), so a new cache starts on a
 * fresh page and placement is deterministic.
 */
#include "unit_common.h"
#include "slab_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define SLOB_UNIT	2

static int setup(void **state)
{
	(void)state;
	return unit_boot("mem=64M,cpus=2,slab=slob") ? -1 : 0;
}

static void *page_of(const void *p)
{
	return (void *)((uintptr_t)p & ~(uintptr_t)(PAGE_SIZE - 1));
}

static struct slab_object_info info_of(const void *p)
{
	struct slab_object_info info;

	memset(&info, 0, sizeof(info));
	assert_int_equal(slab_alloc_ops->object_info(p, &info), 0);
	return info;
}

static int collect_name(const char *name, const char *alias_of, void *arg)
{
	char *buf = arg;

	(void)alias_of;
	strcat(buf, name);
	strcat(buf, " ");
	return 0;
}

static void test_booted_slob(void **state)
{
	char names[4096] = "", cache[64];
	unsigned long kaddr;
	unsigned int objsize;
	char err[128];

	(void)state;
	assert_string_equal(mmfs_slab_allocator_name(), "SLOB");
	/* SLAB's reaper: harmless no-ops under SLOB */
	assert_int_equal(mmfs_slab_cache_reap_now(), 0);
	assert_int_equal(mmfs_slab_reap_start(10), 0);
	mmfs_slab_reap_stop();
	/* no kmalloc caches at all: caches/ is kmem_cache alone after boot */
	for (int t = 0; t < NR_KMALLOC_TYPES; t++)
		for (int i = 0; i < KMALLOC_CACHES; i++)
			assert_null(kmalloc_caches[t][i]);
	assert_null(kmalloc_slab(8, GFP_KERNEL));
	mmfs_cache_for_each(collect_name, names);
	assert_string_equal(names, "kmem_cache ");
	assert_false(mmfs_cache_exists("kmalloc"));
	assert_false(mmfs_cache_exists("kmalloc-64"));
	assert_int_equal(mmfs_kmem_cache_alloc("kmalloc", GFP_KERNEL, NUMA_NO_NODE, &kaddr, &objsize),
			 -ENOENT);
	/* a small kmalloc block is in the kmalloc heap's pages */
	assert_int_equal(mmfs_kmalloc(100, GFP_KERNEL, NUMA_NO_NODE, &kaddr, cache, sizeof(cache)), 0);
	assert_string_equal(cache, "kmalloc");
	assert_int_equal(mmfs_slab_object_at(kaddr + 10, cache, sizeof(cache), NULL, &objsize), 0);
	assert_string_equal(cache, "kmalloc");
	assert_int_equal(mmfs_kfree(kaddr, err, sizeof(err)), 0);
	/* a page-sized one is plain pages */
	assert_int_equal(mmfs_kmalloc(PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE, &kaddr, cache, sizeof(cache)), 0);
	assert_string_equal(cache, "");
	assert_false(PageSlab(virt_to_page(mmfs_kaddr_to_ptr(kaddr))));
	assert_int_equal(mmfs_kfree(kaddr, err, sizeof(err)), 0);
	assert_true(unit_validate_ok());
}

/* A cache without a fixed object size (object_size 0, as SLOB's kmalloc
 * heap) refuses mmfs_kmem_cache_alloc with -EINVAL, not -ENOMEM. */
static void test_alloc_objsize_zero(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_zero", 32, 0, 0, NULL);
	unsigned long kaddr = 0;
	unsigned int objsize = 0;

	(void)state;
	assert_non_null(s);
	s->object_size = 0;
	assert_int_equal(mmfs_kmem_cache_alloc("t_zero", GFP_KERNEL, NUMA_NO_NODE, &kaddr, &objsize),
			 -EINVAL);
	assert_int_equal(kaddr, 0);
	s->object_size = 32;
	assert_int_equal(mmfs_kmem_cache_alloc("t_zero", GFP_KERNEL, NUMA_NO_NODE, &kaddr, &objsize), 0);
	assert_int_equal(objsize, 32);
	kmem_cache_free(s, mmfs_kaddr_to_ptr(kaddr));
	kmem_cache_destroy(s);
	assert_false(mmfs_cache_exists("t_zero"));
}

/* First fit: a new cache's objects follow each other from the page start;
 * a hole is refilled before the space after the last object. */
static void test_first_fit(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_ff", 64, 0, 0, NULL);
	char *o[6];

	(void)state;
	assert_non_null(s);
	for (int i = 0; i < 6; i++)
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(o[0], page_of(o[0]));
	for (int i = 1; i < 6; i++)
		assert_ptr_equal(o[i], o[0] + 64 * i);
	kmem_cache_free(s, o[3]);
	kmem_cache_free(s, o[1]);
	/* the lowest hole first, then the next one, then after the last object */
	assert_ptr_equal(kmem_cache_alloc(s, GFP_KERNEL), o[1]);
	assert_ptr_equal(kmem_cache_alloc(s, GFP_KERNEL), o[3]);
	assert_ptr_equal(kmem_cache_alloc(s, GFP_KERNEL), o[0] + 64 * 6);
	assert_true(unit_validate_ok());
	kmem_cache_free(s, o[0] + 64 * 6);
	for (int i = 0; i < 6; i++)
		kmem_cache_free(s, o[i]);
	kmem_cache_destroy(s);
	assert_false(mmfs_cache_exists("t_ff"));
}

/* Alignment fragments the head of a free block: the skipped units stay free. */
static void test_aligned_fit(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_align", 40, 128, 0, NULL);
	char *a, *b;

	(void)state;
	assert_non_null(s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(a, page_of(a));
	assert_ptr_equal(b, a + 128);		/* 40 bytes used, 88 left as a free fragment */
	assert_true(info_of(a + 40).is_free);
	assert_ptr_equal(info_of(a + 100).object, a + 40);
	assert_true(unit_validate_ok());
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_destroy(s);
}

/* slob_free merges a freed block with the free blocks on both sides. */
static void test_merge_neighbours(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_merge", 64, 0, 0, NULL);
	char *o[5];

	(void)state;
	assert_non_null(s);
	for (int i = 0; i < 5; i++)
		o[i] = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, o[1]);
	kmem_cache_free(s, o[3]);
	/* two separate holes */
	assert_ptr_equal(info_of(o[1] + 10).object, o[1]);
	assert_ptr_equal(info_of(o[3] + 10).object, o[3]);
	assert_false(info_of(o[2]).is_free);
	/* freeing the object between them makes one block of 192 bytes */
	kmem_cache_free(s, o[2]);
	assert_true(info_of(o[3] + 60).is_free);
	assert_ptr_equal(info_of(o[3] + 60).object, o[1]);
	assert_ptr_equal(info_of(o[2]).object, o[1]);
	/* merging with the following free space: free the last object */
	kmem_cache_free(s, o[4]);
	assert_ptr_equal(info_of(o[4] + 200).object, o[1]);
	assert_true(unit_validate_ok());	/* also checks no two free blocks touch */
	/* freeing the first object empties the page: it goes back at once */
	assert_true(PageSlab(virt_to_page(o[0])));
	kmem_cache_free(s, o[0]);
	assert_false(PageSlab(virt_to_page(o[0])));
	kmem_cache_destroy(s);
}

/* Requests < 256 bytes, < 1024 and bigger live on pages of different lists. */
static void test_three_lists(void **state)
{
	char *small = kmalloc(100, GFP_KERNEL);		/* 108 with the header */
	char *medium = kmalloc(500, GFP_KERNEL);	/* 508 */
	char *large = kmalloc(2000, GFP_KERNEL);	/* 2008 */
	char *medium2 = kmalloc(600, GFP_KERNEL);
	char *large2 = kmalloc(1500, GFP_KERNEL);

	(void)state;
	assert_ptr_not_equal(page_of(small), page_of(medium));
	assert_ptr_not_equal(page_of(medium), page_of(large));
	assert_ptr_not_equal(page_of(small), page_of(large));
	/* the next request of a list goes to a page of that list with room */
	assert_ptr_equal(page_of(medium2), page_of(medium));
	assert_ptr_equal(page_of(large2), page_of(large));
	/* the kmalloc header: the size, ARCH_KMALLOC_MINALIGN bytes before */
	assert_int_equal(*(unsigned int *)(small - 8), 100);
	assert_int_equal(ksize(small), 100);
	assert_int_equal(ksize(medium), 500);
	assert_int_equal(*(unsigned int *)(large - 8), 2000);
	/* partially free pages are on a list: PageSlobFree (PG_private) */
	assert_true(PageSlab(virt_to_page(large)));
	assert_true(PagePrivate(virt_to_page(large)));
	kfree(small);
	kfree(medium);
	kfree(large);
	kfree(medium2);
	kfree(large2);
	assert_true(unit_validate_ok());
}

/* A full page leaves its list (PG_private clear) and comes back on a free. */
static void test_full_page(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_full", 2048, 0, 0, NULL);
	char *a, *b;
	struct page *pg;

	(void)state;
	assert_non_null(s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	pg = virt_to_page(a);
	assert_true(PageSlab(pg));
	assert_true(PagePrivate(pg));
	b = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(b, a + 2048);
	assert_false(PagePrivate(pg));		/* full: on no list */
	assert_true(unit_validate_ok());
	kmem_cache_free(s, a);
	assert_true(PagePrivate(pg));
	assert_ptr_equal(kmem_cache_alloc(s, GFP_KERNEL), a);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	assert_false(PageSlab(pg));
	kmem_cache_destroy(s);
}

static unsigned long slab_pages(void)
{
	return global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) +
	       global_node_page_state(NR_SLAB_RECLAIMABLE_B);
}

/* kmalloc of PAGE_SIZE - 8 and more: whole pages, no header. */
static void test_large_kmalloc(void **state)
{
	unsigned long before = slab_pages(), mid;
	char *almost = kmalloc(PAGE_SIZE - 9, GFP_KERNEL);	/* still a slob block */
	char *one = kmalloc(PAGE_SIZE - 8, GFP_KERNEL);
	char *two = kmalloc(5000, GFP_KERNEL);
	char *big;

	(void)state;
	/* slob's pages: a fresh page for the block, one page, an order-1 block */
	mid = slab_pages();
	assert_int_equal(mid - before, 1 + 1 + 2);
	big = kmalloc(20000, GFP_KERNEL);	/* slab_common's kmalloc_large_node */
	assert_int_equal(slab_pages() - mid, 8);	/* counted as slab too, as the kernel did */
	assert_non_null(almost);
	assert_ptr_equal(almost, (char *)page_of(almost) + 8);
	assert_int_equal(ksize(almost), PAGE_SIZE - 8);
	assert_ptr_equal(one, page_of(one));
	assert_int_equal(ksize(one), PAGE_SIZE);
	assert_ptr_equal(two, page_of(two));
	assert_int_equal(ksize(two), 2 * PAGE_SIZE);
	assert_ptr_equal(big, page_of(big));
	assert_int_equal(ksize(big), 8 * PAGE_SIZE);
	assert_false(PageSlab(virt_to_page(big)));
	/* 6.1: page blocks of any order are plain pages, and ksize says their size */
	assert_false(PageSlab(virt_to_page(one)));
	assert_false(PageSlab(virt_to_page(two)));
	{
		size_t len, before_len;
		char *log = mm_log_snapshot(&before_len);
		size_t ks;

		assert_non_null(log);
		free(log);
		assert_int_equal(mmfs_ksize(mmfs_kaddr(one), &ks), 0);
		assert_int_equal(ks, PAGE_SIZE);
		assert_int_equal(mmfs_ksize(mmfs_kaddr(two), &ks), 0);
		assert_int_equal(ks, 2 * PAGE_SIZE);
		assert_int_equal(ksize(one), PAGE_SIZE);
		log = mm_log_snapshot(&len);
		assert_non_null(log);
		assert_true(len >= before_len);
		if (strstr(log + before_len, "WARNING"))
			fail_msg("ksize of a SLOB page block warned:\n%s", strstr(log + before_len, "WARNING"));
		free(log);
	}
	memset(one, 1, PAGE_SIZE);
	memset(two, 2, 2 * PAGE_SIZE);
	memset(big, 3, 20000);
	assert_true(unit_validate_ok());
	kfree(big);
	kfree(almost);
	kfree(one);
	kfree(two);
	assert_int_equal(slab_pages(), before);
}

static void test_objects_attr(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_cnt", 300, 0, 0, NULL);
	void *p[20];
	char buf[64];

	(void)state;
	assert_non_null(s);
	for (int i = 0; i < 20; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_true(mmfs_cache_attr_show("t_cnt", "objects", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "20\n");
	assert_true(mmfs_cache_attr_show("t_cnt", "slabs", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "2\n");	/* 13 objects of 300 bytes per page */
	assert_int_equal(mmfs_kmem_cache_destroy("t_cnt", NULL, 0), -EBUSY);
	for (int i = 0; i < 20; i++)
		kmem_cache_free(s, p[i]);
	assert_true(mmfs_cache_attr_show("t_cnt", "objects", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "0\n");
	assert_int_equal(mmfs_kmem_cache_destroy("t_cnt", NULL, 0), 0);
}

/* validate walks every page: a free block claiming too many units is caught. */
static void test_validate_catches(void **state)
{
	struct kmem_cache *s = kmem_cache_create("t_bad", 64, 0, 0, NULL);
	char *a, *b, *c;
	char *report = NULL;
	int16_t saved;
	int n;

	(void)state;
	assert_non_null(s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);		/* a: a free block of 32 units */
	saved = *(int16_t *)a;
	assert_int_equal(saved, 64 / SLOB_UNIT);
	*(int16_t *)a = 40;		/* runs into b */
	n = mm_validate(&report);
	assert_int_equal(n, 1);
	assert_non_null(strstr(report, "BUG t_bad: slob page"));
	free(report);
	*(int16_t *)a = saved;
	assert_true(unit_validate_ok());
	kmem_cache_free(s, b);
	kmem_cache_free(s, c);
	kmem_cache_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_booted_slob),
		cmocka_unit_test(test_alloc_objsize_zero),
		cmocka_unit_test(test_first_fit),
		cmocka_unit_test(test_aligned_fit),
		cmocka_unit_test(test_merge_neighbours),
		cmocka_unit_test(test_three_lists),
		cmocka_unit_test(test_full_page),
		cmocka_unit_test(test_large_kmalloc),
		cmocka_unit_test(test_objects_attr),
		cmocka_unit_test(test_validate_catches),
	};

	return cmocka_run_group_tests_name("slob", tests, setup, unit_teardown);
}
