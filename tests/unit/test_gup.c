/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_gup.c - get_user_pages / pin_user_pages, slow and fast (mm/gup.c):
 * faulting absent pages in, present pages, huge pmd leaves, VM_PFNMAP
 * refusal, FOLL_GET vs FOLL_PIN accounting (+1024 for small pages,
 * +1 refcount and compound_pincount for compound ones), the
 * NR_FOLL_PIN_* counters, the fast path falling back to the slow one,
 * FOLL_LONGTERM migrating out of ZONE_MOVABLE, and validate noticing a
 * pin that the refcount does not back.
 */
#include "unit_common.h"
#include "pgtable_types.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOOT_OPTS	"mem=64M,movablecore=16M"
#define ANON_RW		(VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define MIXED_RW	(VM_READ | VM_WRITE | VM_SHARED | VM_MAYREAD | VM_MAYWRITE | VM_MAYSHARE)
#define BASE		0x7f0000000000UL

static int setup(void **state)
{
	(void)state;
	return unit_boot(BOOT_OPTS);
}

static struct mm_struct *new_mm(int pid)
{
	struct mm_struct *mm = mmfs_mm_get(pid, true);

	assert_non_null(mm);
	return mm;
}

static struct vm_area_struct *new_vma(struct mm_struct *mm, unsigned long addr,
				      unsigned long len, unsigned long flags)
{
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	assert_int_equal(mmfs_vma_create(mm, addr, len, flags, NULL, &vma), 0);
	mmap_write_unlock(mm);
	return vma;
}

static long pins_acquired(void) { return (long)global_node_page_state(NR_FOLL_PIN_ACQUIRED); }
static long pins_released(void) { return (long)global_node_page_state(NR_FOLL_PIN_RELEASED); }

/* ---------------------------------------------------------------- tests */

static void test_gup_faults_absent_pages(void **state)
{
	struct mm_struct *mm = new_mm(5001);
	struct page *pages[4], *again[4];
	long n;
	int i;

	(void)state;
	new_vma(mm, BASE, 4 * PAGE_SIZE, ANON_RW);
	mmap_read_lock(mm);
	/* FOLL_NOFAULT: nothing there yet */
	assert_int_equal(get_user_pages(mm, BASE, 4, FOLL_NOFAULT, pages), -EFAULT);
	n = get_user_pages(mm, BASE, 4, FOLL_WRITE, pages);		/* faults them in */
	assert_int_equal(n, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(page_ref_count(pages[i]), 2);	/* mapping + FOLL_GET */
		assert_int_equal(page_mapcount(pages[i]), 1);
		assert_false(page_maybe_dma_pinned(pages[i]));
		assert_int_equal(mmfs_page_pincount(pages[i]), 0);
	}
	/* present now: the same pages */
	assert_int_equal(get_user_pages(mm, BASE + PAGE_SIZE, 2, 0, again), 2);
	assert_ptr_equal(again[0], pages[1]);
	assert_ptr_equal(again[1], pages[2]);
	assert_int_equal(page_ref_count(pages[1]), 3);
	put_page(again[0]);
	put_page(again[1]);
	/* outside any VMA */
	assert_int_equal(get_user_pages(mm, BASE + 4 * PAGE_SIZE, 1, 0, again), -EFAULT);
	/* partly outside: the pages up to the hole */
	assert_int_equal(get_user_pages_remote(mm, BASE + 3 * PAGE_SIZE, 2, 0, again, NULL), 1);
	put_page(again[0]);
	mmap_read_unlock(mm);
	for (i = 0; i < 4; i++) {
		put_page(pages[i]);
		assert_int_equal(page_ref_count(pages[i]), 1);
	}
	{
		char *st = mmfs_pid_status(5001, NULL);

		assert_non_null(st);
		assert_non_null(strstr(st, "\nVmSize:\t      16 kB\n"));
		assert_non_null(strstr(st, "\nVmRSS:\t      16 kB\nRssAnon:\t      16 kB\nRssFile:\t       0 kB\n"));
		assert_non_null(strstr(st, "\nVmData:\t      16 kB\n"));
		free(st);
		st = mmfs_pid_smaps(5001, NULL);
		assert_non_null(strstr(st, "\nRss:                  16 kB\nPss:                  16 kB\n"));
		assert_non_null(strstr(st, "\nAnonymous:            16 kB\n"));
		assert_non_null(strstr(st, "\nVmFlags: rd wr mr mw \n"));
		free(st);
	}
	assert_true(unit_validate_ok());
	mmfs_mm_put(mm);				/* zap frees the anonymous pages */
	for (i = 0; i < 4; i++)
		assert_int_equal(page_ref_count(pages[i]), 0);
	assert_true(unit_validate_ok());
}

static void test_write_to_readonly(void **state)
{
	struct mm_struct *mm = new_mm(5010);
	struct page *page;

	(void)state;
	new_vma(mm, BASE, PAGE_SIZE, VM_READ | VM_MAYREAD | VM_MAYWRITE);
	mmap_read_lock(mm);
	assert_int_equal(get_user_pages(mm, BASE, 1, FOLL_WRITE, &page), -EFAULT);
	assert_int_equal(get_user_pages(mm, BASE, 1, 0, &page), 1);	/* read fault */
	put_page(page);
	/* FOLL_FORCE may write a COW mapping, but we have no COW: -EFAULT */
	assert_int_equal(get_user_pages(mm, BASE, 1, FOLL_WRITE | FOLL_FORCE, &page), -EFAULT);
	mmap_read_unlock(mm);
	assert_int_equal(pin_user_pages_fast(mm, BASE, 1, FOLL_WRITE, &page), -EFAULT);
	assert_int_equal(pin_user_pages_fast(mm, BASE, 1, 0, &page), 1);
	unpin_user_page(page);
	mmfs_mm_put(mm);
	assert_true(unit_validate_ok());
}

static void test_pin_accounting_small(void **state)
{
	struct mm_struct *mm = new_mm(5002);
	long acq = pins_acquired(), rel = pins_released();
	struct page *pages[8];
	int i;

	(void)state;
	new_vma(mm, BASE, 8 * PAGE_SIZE, ANON_RW);
	mmap_read_lock(mm);
	assert_int_equal(pin_user_pages(mm, BASE, 8, FOLL_WRITE, pages), 8);
	assert_int_equal(pin_user_pages(mm, BASE, 8, FOLL_GET, pages), -EINVAL);	/* GET+PIN */
	assert_int_equal(pin_user_pages(mm, BASE, 8, 0, NULL), -EINVAL);
	mmap_read_unlock(mm);
	assert_int_equal(pins_acquired() - acq, 8);
	for (i = 0; i < 8; i++) {
		assert_int_equal(page_ref_count(pages[i]), 1 + GUP_PIN_COUNTING_BIAS);
		assert_true(page_maybe_dma_pinned(pages[i]));
		assert_int_equal(mmfs_page_pincount(pages[i]), 1);
	}
	assert_true(unit_validate_ok());
	unpin_user_pages(pages, 8);
	assert_int_equal(pins_released() - rel, 8);
	for (i = 0; i < 8; i++) {
		assert_int_equal(page_ref_count(pages[i]), 1);
		assert_false(page_maybe_dma_pinned(pages[i]));
	}
	/* a pinned page outlives its mapping and goes at the last unpin */
	mmap_read_lock(mm);
	assert_int_equal(pin_user_pages(mm, BASE, 1, 0, pages), 1);
	mmap_read_unlock(mm);
	mmfs_mm_put(mm);
	assert_int_equal(page_ref_count(pages[0]), GUP_PIN_COUNTING_BIAS);
	assert_true(unit_validate_ok());
	unpin_user_page(pages[0]);
	assert_int_equal(page_ref_count(pages[0]), 0);
	assert_true(unit_validate_ok());
}

static void test_pfnmap_refused(void **state)
{
	struct mm_struct *mm = new_mm(5003);
	struct vm_area_struct *vma = new_vma(mm, BASE, 4 * PAGE_SIZE, MIXED_RW);
	struct page *page = alloc_pages(GFP_KERNEL, 2), *pages[4];
	unsigned long fast = atomic_long_read(&mmfs_gup_fast_pages);

	(void)state;
	mmap_write_lock(mm);
	assert_int_equal(remap_pfn_range(vma, BASE, page_to_pfn(page), 4 * PAGE_SIZE,
					 vma->vm_page_prot), 0);
	mmap_write_unlock(mm);
	mmap_read_lock(mm);
	assert_int_equal(get_user_pages(mm, BASE, 4, 0, pages), -EFAULT);
	assert_int_equal(pin_user_pages(mm, BASE, 4, 0, pages), -EFAULT);
	/* follow_page_mask itself: a present entry without a struct page */
	{
		unsigned int mask;

		assert_int_equal(PTR_ERR(follow_page_mask(vma, BASE, 0, &mask)), -EEXIST);
		assert_int_equal(PTR_ERR(follow_page_mask(vma, BASE, FOLL_GET, &mask)), -EFAULT);
	}
	mmap_read_unlock(mm);
	/* fast path: special ptes are skipped, the slow path refuses */
	assert_int_equal(pin_user_pages_fast(mm, BASE, 4, 0, pages), -EFAULT);
	assert_int_equal(atomic_long_read(&mmfs_gup_fast_pages), fast);
	assert_int_equal(page_ref_count(page), 1);
	mmfs_mm_put(mm);
	__free_pages(page, 2);
	assert_true(unit_validate_ok());
}

static void test_huge_pmd_pins(void **state)
{
	struct mm_struct *mm = new_mm(5004);
	struct vm_area_struct *vma = new_vma(mm, BASE, PMD_SIZE, MIXED_RW);
	struct page *head = alloc_pages(GFP_KERNEL | __GFP_COMP, 9);
	struct page **pages = calloc(512, sizeof(*pages));
	long fast = atomic_long_read(&mmfs_gup_fast_pages), acq = pins_acquired();
	unsigned int mask;
	int i;

	(void)state;
	assert_non_null(head);
	assert_true(PageHead(head));
	mmap_write_lock(mm);
	assert_int_equal(mmfs_insert_huge_pmd(vma, BASE, head), 0);
	assert_int_equal(mmfs_insert_huge_pmd(vma, BASE, head), -EBUSY);
	mmap_write_unlock(mm);
	assert_int_equal(page_ref_count(head), 2);
	mmap_read_lock(mm);
	/* follow_page_mask reports the leaf size */
	assert_ptr_equal(follow_page_mask(vma, BASE + 3 * PAGE_SIZE, 0, &mask), head + 3);
	assert_int_equal(mask, 511);
	/* slow path: 10 subpages from index 5 */
	assert_int_equal(pin_user_pages(mm, BASE + 5 * PAGE_SIZE, 10, 0, pages), 10);
	mmap_read_unlock(mm);
	for (i = 0; i < 10; i++)
		assert_ptr_equal(pages[i], head + 5 + i);
	assert_int_equal(compound_pincount(head), 10);
	assert_int_equal(page_ref_count(head), 2 + 10);		/* +1 per pin, 6.1 */
	assert_int_equal(mmfs_page_pincount(head), 10);
	assert_true(page_maybe_dma_pinned(head + 100));
	assert_true(unit_validate_ok());
	unpin_user_pages(pages, 10);
	assert_int_equal(compound_pincount(head), 0);
	assert_int_equal(page_ref_count(head), 2);

	/* fast path: gup_huge_pmd over the whole leaf */
	assert_int_equal(pin_user_pages_fast(mm, BASE, 512, FOLL_WRITE, pages), 512);
	assert_int_equal(atomic_long_read(&mmfs_gup_fast_pages) - fast, 512);
	assert_int_equal(compound_pincount(head), 512);
	assert_int_equal(page_ref_count(head), 2 + 512);
	assert_int_equal(pins_acquired() - acq, 522);
	for (i = 0; i < 512; i++)
		assert_ptr_equal(pages[i], head + i);
	assert_true(unit_validate_ok());
	unpin_user_pages(pages, 512);
	assert_int_equal(page_ref_count(head), 2);
	/* FOLL_GET through the fast path */
	assert_int_equal(get_user_pages_fast(mm, BASE + PMD_SIZE - PAGE_SIZE, 1, 0, pages), 1);
	assert_ptr_equal(pages[0], head + 511);
	assert_int_equal(page_ref_count(head), 3);
	put_page(pages[0]);
	mmfs_mm_put(mm);
	assert_int_equal(page_ref_count(head), 1);
	__free_pages(head, 9);
	free(pages);
	assert_true(unit_validate_ok());
}

static void test_fast_falls_back(void **state)
{
	struct mm_struct *mm = new_mm(5005);
	struct page *pages[8];
	long fast = atomic_long_read(&mmfs_gup_fast_pages);
	long slow = atomic_long_read(&mmfs_gup_slow_pages);
	int i;

	(void)state;
	new_vma(mm, BASE, 8 * PAGE_SIZE, ANON_RW);
	/* the first two present, the rest must be faulted by the slow path */
	mmap_read_lock(mm);
	assert_int_equal(get_user_pages(mm, BASE, 2, 0, pages), 2);
	mmap_read_unlock(mm);
	put_page(pages[0]);
	put_page(pages[1]);
	slow = atomic_long_read(&mmfs_gup_slow_pages);
	assert_int_equal(pin_user_pages_fast(mm, BASE, 8, FOLL_WRITE, pages), 8);
	assert_int_equal(atomic_long_read(&mmfs_gup_fast_pages) - fast, 2);
	assert_int_equal(atomic_long_read(&mmfs_gup_slow_pages) - slow, 6);
	for (i = 0; i < 8; i++)
		assert_int_equal(page_ref_count(pages[i]), 1 + GUP_PIN_COUNTING_BIAS);
	unpin_user_pages(pages, 8);
	/* everything present now: all fast */
	fast = atomic_long_read(&mmfs_gup_fast_pages);
	slow = atomic_long_read(&mmfs_gup_slow_pages);
	assert_int_equal(pin_user_pages_fast(mm, BASE, 8, 0, pages), 8);
	assert_int_equal(atomic_long_read(&mmfs_gup_fast_pages) - fast, 8);
	assert_int_equal(atomic_long_read(&mmfs_gup_slow_pages), slow);
	unpin_user_pages(pages, 8);
	/* FOLL_FAST_ONLY past the VMA: what the walk got, no fallback */
	assert_int_equal(pin_user_pages_fast(mm, BASE + 6 * PAGE_SIZE, 4, FOLL_FAST_ONLY, pages), 2);
	unpin_user_pages(pages, 2);
	/* beyond TASK_SIZE */
	assert_int_equal(pin_user_pages_fast(mm, TASK_SIZE_MAX, 1, 0, pages), -EFAULT);
	assert_true(unit_validate_ok());
	mmfs_mm_put(mm);
	assert_true(unit_validate_ok());
}

static void test_longterm_movable(void **state)
{
	struct mm_struct *mm = new_mm(5006);
	struct page *pages[4], *before[4];
	unsigned long ev0[NR_VM_EVENT_ITEMS], ev1[NR_VM_EVENT_ITEMS];
	struct vm_area_struct *mixed;
	struct page *drv;
	int i;

	(void)state;
	new_vma(mm, BASE, 4 * PAGE_SIZE, ANON_RW);
	mmap_read_lock(mm);
	assert_int_equal(get_user_pages(mm, BASE, 4, FOLL_WRITE, before), 4);
	mmap_read_unlock(mm);
	for (i = 0; i < 4; i++) {
		/* GFP_HIGHUSER_MOVABLE anon pages land in ZONE_MOVABLE here */
		assert_int_equal(page_zonenum(before[i]), ZONE_MOVABLE);
		memset(mmfs_pfn_to_ptr(page_to_pfn(before[i])), 'a' + i, PAGE_SIZE);
		put_page(before[i]);
	}
	/* a plain pin may stay in ZONE_MOVABLE */
	assert_int_equal(pin_user_pages_fast(mm, BASE, 4, 0, pages), 4);
	for (i = 0; i < 4; i++)
		assert_ptr_equal(pages[i], before[i]);
	unpin_user_pages(pages, 4);

	all_vm_events(ev0);
	assert_int_equal(pin_user_pages_fast(mm, BASE, 4, FOLL_LONGTERM | FOLL_WRITE, pages), 4);
	all_vm_events(ev1);
	assert_int_equal(ev1[PGMIGRATE_SUCCESS] - ev0[PGMIGRATE_SUCCESS], 4);
	for (i = 0; i < 4; i++) {
		char *p = mmfs_pfn_to_ptr(page_to_pfn(pages[i]));

		assert_ptr_not_equal(pages[i], before[i]);
		assert_int_not_equal(page_zonenum(pages[i]), ZONE_MOVABLE);
		assert_int_equal(page_ref_count(pages[i]), 1 + GUP_PIN_COUNTING_BIAS);
		assert_int_equal(page_ref_count(before[i]), 0);		/* old page freed */
		assert_int_equal(p[0], 'a' + i);
		assert_int_equal(p[PAGE_SIZE - 1], 'a' + i);
		assert_int_equal(get_page_owner(pages[i])->last_migrate_reason, 7);
	}
	assert_true(unit_validate_ok());
	unpin_user_pages(pages, 4);

	/* a driver page in ZONE_MOVABLE cannot be isolated: -EBUSY */
	drv = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	assert_non_null(drv);
	assert_int_equal(page_zonenum(drv), ZONE_MOVABLE);
	mixed = new_vma(mm, BASE + PMD_SIZE, PAGE_SIZE, MIXED_RW);
	mmap_write_lock(mm);
	assert_int_equal(vm_insert_page(mixed, BASE + PMD_SIZE, drv), 0);
	mmap_write_unlock(mm);
	assert_int_equal(page_ref_count(drv), 2);
	mmap_read_lock(mm);
	assert_int_equal(pin_user_pages(mm, BASE + PMD_SIZE, 1, FOLL_LONGTERM, pages), -EBUSY);
	assert_int_equal(page_ref_count(drv), 2);			/* nothing kept */
	assert_int_equal(pin_user_pages(mm, BASE + PMD_SIZE, 1, 0, pages), 1);	/* short-term: fine */
	mmap_read_unlock(mm);
	unpin_user_page(pages[0]);
	/* FOLL_LONGTERM without a pages array is refused */
	assert_int_equal(get_user_pages_fast(mm, BASE, 1, FOLL_LONGTERM, NULL), -EINVAL);
	mmfs_mm_put(mm);
	assert_int_equal(page_ref_count(drv), 1);
	__free_pages(drv, 0);
	assert_true(unit_validate_ok());
}

static void test_vm_insert_page_rules(void **state)
{
	struct mm_struct *mm = new_mm(5007);
	struct vm_area_struct *vma = new_vma(mm, BASE, 4 * PAGE_SIZE, MIXED_RW);
	struct page *blk = alloc_pages(GFP_KERNEL, 1), *pages[2];

	(void)state;
	mmap_write_lock(mm);
	assert_int_equal(vm_insert_page(vma, BASE, blk + 1), -EINVAL);	/* refcount 0 tail */
	assert_int_equal(vm_insert_page(vma, BASE + 4 * PAGE_SIZE, blk), -EFAULT);
	assert_int_equal(vm_insert_page(vma, BASE, blk), 0);
	assert_int_equal(vm_insert_page(vma, BASE, blk), -EBUSY);
	mmap_write_unlock(mm);
	assert_true(vma->vm_flags & VM_MIXEDMAP);
	mmap_read_lock(mm);
	assert_int_equal(get_user_pages(mm, BASE, 1, 0, pages), 1);
	assert_ptr_equal(pages[0], blk);
	/* a hole in a VM_MIXEDMAP VMA: no ->fault, SIGBUS -> -EFAULT */
	assert_int_equal(get_user_pages(mm, BASE + PAGE_SIZE, 1, 0, pages + 1), -EFAULT);
	mmap_read_unlock(mm);
	put_page(pages[0]);
	assert_int_equal(page_ref_count(blk), 2);
	assert_true(unit_validate_ok());
	mmfs_mm_put(mm);
	assert_int_equal(page_ref_count(blk), 1);
	__free_pages(blk, 1);
}

static void test_validate_sees_bad_pin(void **state)
{
	struct mm_struct *mm = new_mm(5008);
	struct page *page;
	char *report = NULL;

	(void)state;
	new_vma(mm, BASE, PAGE_SIZE, ANON_RW);
	assert_int_equal(pin_user_pages_fast(mm, BASE, 1, 0, &page), 1);
	assert_true(unit_validate_ok());
	page_ref_sub(page, 1000);			/* a pin the refcount no longer backs */
	assert_true(mm_validate(&report) > 0);
	assert_non_null(report);
	assert_non_null(strstr(report, "pins but refcount"));
	free(report);
	page_ref_add(page, 1000);
	assert_true(unit_validate_ok());
	unpin_user_page(page);
	mmfs_mm_put(mm);
	assert_true(unit_validate_ok());
}

struct race {
	struct mm_struct *mm;
	atomic_int stop;
	atomic_long pinned;
};

static void *pin_loop(void *arg)
{
	struct race *r = arg;
	struct page *pages[16];

	while (!atomic_load(&r->stop)) {
		int n = pin_user_pages_fast(r->mm, BASE, 16, FOLL_WRITE, pages);

		if (n > 0) {
			atomic_fetch_add(&r->pinned, n);
			unpin_user_pages(pages, (unsigned long)n);
		}
	}
	return NULL;
}

/* the lockless walk against zap + free_pgtables + refault */
static void test_fast_races_zap(void **state)
{
	struct mm_struct *mm = new_mm(5009);
	struct vm_area_struct *vma = new_vma(mm, BASE, 16 * PAGE_SIZE, ANON_RW);
	struct race r = { .mm = mm };
	struct page *pages[16];
	pthread_t th[2];
	int i, j;

	(void)state;
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, pin_loop, &r), 0);
	/* at least 300 rounds, and until the pinners got pages a few times */
	for (i = 0; i < 300 || (atomic_load(&r.pinned) < 64 && i < 100000); i++) {
		mmap_read_lock(mm);
		assert_int_equal(get_user_pages(mm, BASE, 16, FOLL_WRITE, pages), 16);
		mmap_read_unlock(mm);
		for (j = 0; j < 16; j++)
			put_page(pages[j]);
		mmap_write_lock(mm);
		zap_page_range(vma, BASE, 16 * PAGE_SIZE);
		free_pgd_range(mm, BASE, BASE + 16 * PAGE_SIZE, 0, 0);
		mmap_write_unlock(mm);
	}
	atomic_store(&r.stop, 1);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	assert_true(atomic_load(&r.pinned) > 0);
	assert_true(unit_validate_ok());
	mmfs_mm_put(mm);
	assert_int_equal(global_node_page_state(NR_PAGETABLE), 0);
	assert_true(unit_validate_ok());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gup_faults_absent_pages, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_write_to_readonly, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_pin_accounting_small, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_pfnmap_refused, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_huge_pmd_pins, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_fast_falls_back, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_longterm_movable, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_vm_insert_page_rules, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_validate_sees_bad_pin, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_fast_races_zap, setup, unit_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
