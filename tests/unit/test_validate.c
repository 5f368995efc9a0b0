/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_validate.c - mm_validate beside work in flight (mm/debug.c): a
 * block between the lists and page_owner, a compound block half made,
 * NR_FREE_PAGES in a fold's hands.  Each is staged by hand: the state is
 * broken, and a helper thread mends it a little later, as the allocator
 * would once it got there.  Mended in time, validate must say nothing;
 * never mended, it must report it, with the pages it lost.  Then real
 * allocators run beside a validating thread.
 */
#include "unit_common.h"
#include "internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct mender {
	pthread_t thread;
	unsigned int delay_ms;
	void (*mend)(void *arg);
	void *arg;
};

static void *mender_fn(void *p)
{
	struct mender *m = p;

	usleep(m->delay_ms * 1000);
	m->mend(m->arg);
	return NULL;
}

static void mend_later(struct mender *m, unsigned int delay_ms, void (*mend)(void *), void *arg)
{
	m->delay_ms = delay_ms;
	m->mend = mend;
	m->arg = arg;
	assert_int_equal(pthread_create(&m->thread, NULL, mender_fn, m), 0);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* a block of order 3 just taken off its list: no owner recorded yet */
static struct page *inflight;

static void record_owner(void *arg)
{
	(void)arg;
	set_page_owner(inflight, 3, GFP_KERNEL);
}

static int setup(void **state)
{
	(void)state;
	return unit_boot("mem=64M,cpus=2");
}

static void test_block_in_flight_settles(void **state)
{
	struct mender m;
	uint64_t t0;

	(void)state;
	inflight = alloc_pages(GFP_KERNEL, 3);
	assert_non_null(inflight);
	assert_true(unit_validate_ok());
	reset_page_owner(inflight, 3);		/* on no list, owned by nobody */
	mend_later(&m, 30, record_owner, NULL);
	t0 = now_ms();
	assert_true(unit_validate_ok());
	pthread_join(m.thread, NULL);
	assert_true(now_ms() - t0 >= 25);	/* it waited for the block */
	__free_pages(inflight, 3);
	assert_true(unit_validate_ok());
}

static void test_lost_block_is_reported(void **state)
{
	char *report = NULL, want[128];
	unsigned long pfn;
	uint64_t t0;
	int n;

	(void)state;
	inflight = alloc_pages(GFP_KERNEL, 3);
	assert_non_null(inflight);
	pfn = page_to_pfn(inflight);
	reset_page_owner(inflight, 3);		/* and nobody ever records it */
	t0 = now_ms();
	n = mm_validate(&report);
	assert_true(now_ms() - t0 < 5000);
	assert_int_equal(n, 2);
	assert_non_null(strstr(report, " pages, managed is "));
	snprintf(want, sizeof(want), ": 8 pages in 0x%lx-0x%lx are neither free, on a pcp list nor allocated",
		 pfn, pfn + 7);
	assert_non_null(strstr(report, want));
	free(report);
	record_owner(NULL);
	__free_pages(inflight, 3);
	assert_true(unit_validate_ok());
}

/* a compound block between post_alloc_hook and prep_compound_page's tails */
static struct page *comp;
static unsigned long comp_tail_head;

static void mend_tail(void *arg)
{
	(void)arg;
	WRITE_ONCE(comp[3].compound_head, comp_tail_head);
}

static void test_half_made_compound(void **state)
{
	char *report = NULL;
	struct mender m;

	(void)state;
	comp = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	assert_non_null(comp);
	assert_true(PageHead(comp));
	comp_tail_head = comp[3].compound_head;
	WRITE_ONCE(comp[3].compound_head, 0);	/* the last tail not made yet */
	mend_later(&m, 30, mend_tail, NULL);
	assert_true(unit_validate_ok());
	pthread_join(m.thread, NULL);
	/* left half made, it is broken */
	WRITE_ONCE(comp[3].compound_head, 0);
	assert_int_equal(mm_validate(&report), 1);
	assert_non_null(strstr(report, "has a wrong head"));
	free(report);
	mend_tail(NULL);
	__free_pages(comp, 2);
	assert_true(unit_validate_ok());
}

/* NR_FREE_PAGES while fold_vm_stats holds a diff it has not added yet */
static struct zone *fold_zone;

static void mend_fold(void *arg)
{
	(void)arg;
	__mod_zone_page_state(fold_zone, NR_FREE_PAGES, 5);
}

static void test_counter_in_a_fold(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	char *report = NULL;
	struct mender m;

	(void)state;
	assert_non_null(page);
	fold_zone = page_zone(page);
	__free_pages(page, 0);
	__mod_zone_page_state(fold_zone, NR_FREE_PAGES, -5);
	mend_later(&m, 30, mend_fold, NULL);
	assert_true(unit_validate_ok());
	pthread_join(m.thread, NULL);
	__mod_zone_page_state(fold_zone, NR_FREE_PAGES, -5);
	assert_int_equal(mm_validate(&report), 1);
	assert_non_null(strstr(report, "NR_FREE_PAGES is "));
	free(report);
	mend_fold(NULL);
	assert_true(unit_validate_ok());
}

/* ---------------------------------------------- beside real allocators */

#define NR_ALLOCATORS	3
#define MAX_HELD	64

static atomic_int stop_allocators;

static void *allocator_fn(void *arg)
{
	uint64_t r = (uintptr_t)arg * 0x9e3779b97f4a7c15ull | 1;
	struct { struct page *page; unsigned int order; } held[MAX_HELD];
	int nr = 0;

	mmfs_set_current(2000, 200, "allocator");
	while (!atomic_load(&stop_allocators)) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		if (nr < MAX_HELD && (r & 1)) {
			/* pcp orders, the pageblock order, buddy-only ones;
			 * with and without compound pages (not under
			 * ThreadSanitizer: prep_compound_page and the free
			 * path write the tail fields with plain stores, which
			 * validate reads racily by design) */
			static const unsigned int orders[] = { 0, 0, 0, 0, 1, 2, 3, 4, 6, 9 };
			unsigned int order = orders[(r >> 8) % ARRAY_SIZE(orders)];
			bool comp = !MMFS_TSAN && ((r >> 16) & 1);
			gfp_t gfp = GFP_KERNEL | __GFP_NOWARN | (comp ? __GFP_COMP : 0);
			struct page *page = alloc_pages(gfp, order);

			if (page) {
				held[nr].page = page;
				held[nr++].order = order;
			}
		} else if (nr) {
			int i = (int)((r >> 8) % (uint64_t)nr);

			__free_pages(held[i].page, held[i].order);
			held[i] = held[--nr];
		}
	}
	while (nr--)
		__free_pages(held[nr].page, held[nr].order);
	return NULL;
}

static void test_validate_beside_allocators(void **state)
{
	pthread_t t[NR_ALLOCATORS];
	uint64_t end = now_ms() + 3000;
	int runs = 0, bad = 0;

	(void)state;
	atomic_store(&stop_allocators, 0);
	for (int i = 0; i < NR_ALLOCATORS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, allocator_fn, (void *)(uintptr_t)(i + 1)), 0);
	while (now_ms() < end || runs < 50) {
		char *report = NULL;

		if (mm_validate(&report)) {
			if (!bad++)
				fprintf(stderr, "false report:\n%s", report);
		}
		free(report);
		runs++;
	}
	atomic_store(&stop_allocators, 1);
	for (int i = 0; i < NR_ALLOCATORS; i++)
		pthread_join(t[i], NULL);
	printf("validate beside %d allocators: %d runs, %d false reports\n", NR_ALLOCATORS, runs, bad);
	assert_int_equal(bad, 0);
	drain_all_pages(NULL);
	assert_true(unit_validate_ok());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_in_flight_settles),
		cmocka_unit_test(test_lost_block_is_reported),
		cmocka_unit_test(test_half_made_compound),
		cmocka_unit_test(test_counter_in_a_fold),
		cmocka_unit_test(test_validate_beside_allocators),
	};
	return cmocka_run_group_tests(tests, setup, unit_teardown);
}
