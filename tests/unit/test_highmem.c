/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_highmem.c - kmap/kunmap through the pkmap window and kmap_local
 * (mm/highmem.c): highmem pages have no direct-map address, kmap gives a
 * slot in the window, the window runs out (-EAGAIN from the checked
 * entry, a sleeping wait in kmap) and wraps (flush_all_zero_pkmaps),
 * kmap_local nests as a stack, and a highmem frame mapping is read and
 * written through the page-table walk and kmap_local.
 */
#include "unit_common.h"
#include "highmem.h"
#include "pgtable_types.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BOOT_OPTS	"mem=64M,highmem=16M"

static int setup(void **state)
{
	(void)state;
	return unit_boot(BOOT_OPTS);
}

static struct page *highpage(void)
{
	struct page *page = alloc_pages(GFP_HIGHUSER, 0);

	assert_non_null(page);
	assert_true(PageHighMem(page));
	return page;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_kmap_highmem_page(void **state)
{
	struct page *page = highpage(), *low = alloc_pages(GFP_KERNEL, 0);
	unsigned long vaddr, v2;
	char *p, *s;
	size_t len;

	(void)state;
	assert_null(page_address(page));
	assert_int_equal(mmfs_kmap_vaddr(page), 0);
	p = kmap(page);
	assert_non_null(p);
	assert_ptr_equal(p, mmfs_pfn_to_ptr(page_to_pfn(page)));
	vaddr = mmfs_kmap_vaddr(page);
	assert_true(vaddr >= PKMAP_BASE && vaddr < PKMAP_ADDR(LAST_PKMAP));
	assert_true(IS_ALIGNED(vaddr, PAGE_SIZE));
	strcpy(p, "high");
	/* a second kmap shares the slot */
	assert_ptr_equal(kmap(page), p);
	assert_int_equal(mmfs_kmap(page_to_pfn(page), &v2), 0);
	assert_int_equal(v2, vaddr);
	s = mmfs_pkmap_render(&len);
	assert_non_null(s);
	{
		char line[96];

		snprintf(line, sizeof(line), "%lu 0x%lx 0x%lx 4\n", PKMAP_NR(vaddr), vaddr, page_to_pfn(page));
		assert_string_equal(s, line);		/* 3 users: count 4 */
	}
	free(s);
	kunmap(page);
	kunmap(page);
	assert_int_equal(mmfs_kunmap(page_to_pfn(page)), 0);
	assert_int_equal(mmfs_kunmap(page_to_pfn(page)), -EINVAL);	/* no kmap left */
	/* the slot stays mapped (count 1) until the window wraps */
	assert_int_equal(mmfs_kmap_vaddr(page), vaddr);
	assert_true(unit_validate_ok());

	/* lowmem: the direct map, no slot */
	assert_ptr_equal(kmap(low), page_address(low));
	assert_int_equal(mmfs_kmap(page_to_pfn(low), &v2), 0);
	assert_int_equal(v2, mmfs_kaddr(page_address(low)));
	assert_int_equal(mmfs_kunmap(page_to_pfn(low)), 0);
	kunmap(low);
	assert_int_equal(mmfs_kmap(max_pfn + 10, &v2), -EINVAL);
	assert_int_equal(mmfs_kunmap(max_pfn + 10), -EINVAL);
	__free_pages(low, 0);
	__free_pages(page, 0);
}

static void test_pkmap_exhaustion_and_wrap(void **state)
{
	struct page **pages = calloc(LAST_PKMAP + 1, sizeof(*pages));
	unsigned long vaddr, flushes = mmfs_pkmap_flush_count(), used;
	char *s;
	int i;

	(void)state;
	for (i = 0; i <= LAST_PKMAP; i++)
		pages[i] = highpage();
	/* slots 1..511, then the wrap flushes and slot 0 is taken */
	for (i = 0; i < LAST_PKMAP; i++) {
		assert_int_equal(mmfs_kmap(page_to_pfn(pages[i]), &vaddr), 0);
		assert_int_equal(vaddr, PKMAP_ADDR((i + 1) & (LAST_PKMAP - 1)));
	}
	assert_int_equal(mmfs_pkmap_flush_count() - flushes, 1);
	s = mmfs_pkmap_render(NULL);
	assert_int_equal(count_lines(s), LAST_PKMAP);
	free(s);
	/* every slot has a user: the checked kmap does not wait */
	assert_int_equal(mmfs_kmap(page_to_pfn(pages[LAST_PKMAP]), &vaddr), -EAGAIN);
	assert_int_equal(mmfs_kmap_vaddr(pages[LAST_PKMAP]), 0);
	/* a mapped page can still take another user */
	assert_int_equal(mmfs_kmap(page_to_pfn(pages[7]), &vaddr), 0);
	assert_int_equal(mmfs_kunmap(page_to_pfn(pages[7])), 0);
	assert_true(unit_validate_ok());

	/* free one slot's last user: the next kmap wraps, flushes it, takes it */
	used = mmfs_kmap_vaddr(pages[100]);
	assert_int_equal(mmfs_kunmap(page_to_pfn(pages[100])), 0);
	flushes = mmfs_pkmap_flush_count();
	assert_int_equal(mmfs_kmap(page_to_pfn(pages[LAST_PKMAP]), &vaddr), 0);
	assert_int_equal(vaddr, used);
	assert_true(mmfs_pkmap_flush_count() > flushes);
	assert_int_equal(mmfs_kmap_vaddr(pages[100]), 0);	/* flushed away */
	assert_true(unit_validate_ok());

	for (i = 0; i <= LAST_PKMAP; i++) {
		if (i != 100)
			assert_int_equal(mmfs_kunmap(page_to_pfn(pages[i])), 0);
		__free_pages(pages[i], 0);
	}
	free(pages);
	assert_true(unit_validate_ok());
}

struct waiter {
	struct page *page;
	volatile int done;
	void *ptr;
};

static void *kmap_thread(void *arg)
{
	struct waiter *w = arg;

	w->ptr = kmap(w->page);		/* sleeps: the window is full */
	w->done = 1;
	return NULL;
}

static void test_kmap_sleeps_when_full(void **state)
{
	struct page **pages = calloc(LAST_PKMAP + 1, sizeof(*pages));
	struct waiter w = { 0 };
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	pthread_t th;
	int i;

	(void)state;
	for (i = 0; i <= LAST_PKMAP; i++)
		pages[i] = highpage();
	for (i = 0; i < LAST_PKMAP; i++)
		assert_non_null(kmap(pages[i]));
	w.page = pages[LAST_PKMAP];
	assert_int_equal(pthread_create(&th, NULL, kmap_thread, &w), 0);
	nanosleep(&ts, NULL);
	assert_int_equal(w.done, 0);			/* still waiting for a slot */
	kunmap(pages[3]);				/* wakes it */
	pthread_join(th, NULL);
	assert_int_equal(w.done, 1);
	assert_ptr_equal(w.ptr, mmfs_pfn_to_ptr(page_to_pfn(pages[LAST_PKMAP])));
	assert_int_not_equal(mmfs_kmap_vaddr(pages[LAST_PKMAP]), 0);
	for (i = 0; i <= LAST_PKMAP; i++) {
		if (i != 3)
			kunmap(pages[i]);
		__free_pages(pages[i], 0);
	}
	free(pages);
	assert_true(unit_validate_ok());
}

static void test_kmap_local_stack(void **state)
{
	struct page *a = highpage(), *b = highpage(), *c = highpage();
	struct page *low = alloc_pages(GFP_KERNEL, 0);
	char *pa, *pb, *pc, *pl;

	(void)state;
	assert_int_equal(mmfs_kmap_local_depth(), 0);
	pa = kmap_local_page(a);
	pb = kmap_local_page(b);
	pl = kmap_local_page(low);			/* lowmem: no slot */
	assert_ptr_equal(pl, page_address(low));
	pc = kmap_local_page(c);
	assert_int_equal(mmfs_kmap_local_depth(), 3);
	memset(pa, 1, PAGE_SIZE);
	memset(pb, 2, PAGE_SIZE);
	memset(pc, 3, PAGE_SIZE);
	assert_int_equal(((char *)mmfs_pfn_to_ptr(page_to_pfn(b)))[17], 2);
	kunmap_local(pc + 100);				/* any address in the page */
	kunmap_local(pl);
	assert_int_equal(mmfs_kmap_local_depth(), 2);
	kunmap_local(pb);
	kunmap_local(pa);
	assert_int_equal(mmfs_kmap_local_depth(), 0);
	/* kmap_local takes no pkmap slot */
	assert_int_equal(mmfs_kmap_vaddr(a), 0);
	__free_pages(a, 0);
	__free_pages(b, 0);
	__free_pages(c, 0);
	__free_pages(low, 0);
}

static void test_highmem_frame_mapping(void **state)
{
	struct page *page = alloc_pages(GFP_HIGHUSER, 1);
	struct mmfs_mapping *m;
	char buf[16];
	char *p;

	(void)state;
	assert_non_null(page);
	assert_true(PageHighMem(page));
	assert_int_equal(mmfs_frame_map(6001, page_to_pfn(page), 1, true, true, "/frames/h", &m), 0);
	assert_int_equal(mmfs_mapping_access(m, PAGE_SIZE - 3, "abcdef", 6, true), 6);
	assert_int_equal(mmfs_kmap_local_depth(), 0);
	p = kmap(page + 1);
	assert_memory_equal(p, "def", 3);
	kunmap(page + 1);
	p = kmap(page);
	assert_memory_equal(p + PAGE_SIZE - 3, "abc", 3);
	kunmap(page);
	assert_int_equal(mmfs_mapping_access(m, PAGE_SIZE - 3, buf, 6, false), 6);
	assert_memory_equal(buf, "abcdef", 6);
	assert_true(unit_validate_ok());
	mmfs_frame_unmap(m);
	assert_int_equal(page_ref_count(page), 1);
	__free_pages(page, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kmap_highmem_page, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_pkmap_exhaustion_and_wrap, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_kmap_sleeps_when_full, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_kmap_local_stack, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_highmem_frame_mapping, setup, unit_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
