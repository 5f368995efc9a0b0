/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_arena.c - the arena that stands in for physical memory: every
 * backing path (hugetlb with reserved pages, partial hugetlb, THP fallback,
 * 4 KiB with hugepages=off, hugepages=on refusing to boot without hugetlb
 * pages), holes left unbacked, the arena unmapped at shutdown.
 *
 * The hugetlb tests reserve pages through /proc/sys/vm/nr_hugepages and
 * put the old value back afterwards (group teardown too, so a failed
 * assertion cannot leave pages reserved).
 */
#include "unit_common.h"
#include "internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"
#define HPAGE		(2ULL << 20)

static long saved_nr_hugepages = -1;

static long read_long(const char *path)
{
	long v = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int set_nr_hugepages(long n)
{
	FILE *f = fopen(NR_HUGEPAGES, "w");
	bool bad = !f;

	if (f) {
		bad = fprintf(f, "%ld\n", n) < 0;
		bad |= fclose(f) != 0;
	}
	if (bad) {
		fprintf(stderr, "cannot write %ld to %s (the hugetlb tests need root and a writable /proc/sys)\n",
			n, NR_HUGEPAGES);
		return -1;
	}
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	saved_nr_hugepages = read_long(NR_HUGEPAGES);
	return saved_nr_hugepages < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	mm_shutdown();
	if (saved_nr_hugepages >= 0)
		set_nr_hugepages(saved_nr_hugepages);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mm_shutdown();
	if (saved_nr_hugepages >= 0)
		set_nr_hugepages(saved_nr_hugepages);
	return 0;
}

static bool thp_enabled(void)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] && !strstr(buf, "[never]");
}

/* The permissions /proc/self/maps shows for the mapping holding @addr. */
static bool maps_perms(const void *addr, char perms[5])
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	bool found = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char p[5];

		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) != 3)
			continue;
		if ((unsigned long)addr >= lo && (unsigned long)addr < hi) {
			memcpy(perms, p, 5);
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

/* /proc/self/smaps: is the mapping holding @addr a hugetlb one (KernelPageSize 2048 kB)? */
static long kernel_page_kb(const void *addr)
{
	char line[512];
	FILE *f = fopen("/proc/self/smaps", "r");
	bool in = false;
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in = (unsigned long)addr >= lo && (unsigned long)addr < hi;
			continue;
		}
		if (in && sscanf(line, "KernelPageSize: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

static void check_common(uint64_t ram)
{
	struct zone *zone;
	char perms[5];

	assert_int_equal(mmfs_arena.backed_bytes, ram);
	assert_int_equal(mmfs_arena.hugetlb_bytes + mmfs_arena.thp_bytes + mmfs_arena.base_bytes, ram);
	assert_true(((uintptr_t)mmfs_arena.base & (HPAGE - 1)) == 0);
	assert_string_equal(mmfs_backing_names[MMFS_BACKING_HUGETLB], "hugetlb");
	assert_string_equal(mmfs_backing_names[MMFS_BACKING_THP], "thp");
	assert_string_equal(mmfs_backing_names[MMFS_BACKING_4K], "4k");
	/* RAM is read-write: the first and last page of every zone's RAM */
	for_each_populated_zone(zone) {
		unsigned long pfn;

		for (pfn = zone->zone_start_pfn; !pfn_valid(pfn); pfn++)
			;
		assert_true(maps_perms(mmfs_pfn_to_ptr(pfn), perms));
		assert_memory_equal(perms, "rw", 2);
	}
}

/* hugepages=off: 4 KiB pages only, no THP advice. */
static void test_off(void **state)
{
	(void)state;
	assert_int_equal(unit_boot("hugepages=off"), 0);
	check_common(256ULL << 20);
	assert_int_equal(mmfs_arena.backing, MMFS_BACKING_4K);
	assert_int_equal(mmfs_arena.base_bytes, 256ULL << 20);
	assert_int_equal(mmfs_arena.hugetlb_bytes, 0);
	assert_int_equal(mmfs_arena.thp_bytes, 0);
	assert_int_equal(kernel_page_kb(mmfs_arena.base), 4);
	assert_true(unit_log_expect("mmfs: arena 256 MiB backed by 4 KiB pages (hugepages=off)"));
}

/* auto with no hugetlb pages free: THP when the host allows it, else 4 KiB. */
static void test_auto_no_hugetlb(void **state)
{
	(void)state;
	assert_int_equal(set_nr_hugepages(0), 0);
	assert_int_equal(mmfs_hugetlb_free_pages(), 0);
	assert_int_equal(unit_boot(""), 0);
	check_common(256ULL << 20);
	assert_int_equal(mmfs_arena.hugetlb_bytes, 0);
	if (thp_enabled()) {
		assert_int_equal(mmfs_arena.backing, MMFS_BACKING_THP);
		assert_int_equal(mmfs_arena.thp_bytes, 256ULL << 20);
		assert_true(unit_log_expect("no hugetlb pages free, fell back to THP"));
	} else {
		assert_int_equal(mmfs_arena.backing, MMFS_BACKING_4K);
		assert_true(unit_log_expect("backed by 4 KiB pages (no hugetlb pages free"));
	}
}

/* on with none free: a clear error, nothing booted, nothing mapped. */
static void test_on_without_hugetlb(void **state)
{
	struct mm_config cfg;
	char err[256] = "";

	(void)state;
	assert_int_equal(set_nr_hugepages(0), 0);
	mm_config_default(&cfg);
	cfg.hugepages = MMFS_HUGEPAGES_ON;
	assert_int_equal(mm_boot(&cfg, err, sizeof(err)), -ENOMEM);
	assert_non_null(strstr(err, "hugepages=on"));
	assert_non_null(strstr(err, "need 128 hugetlb 2 MiB pages"));
	assert_non_null(strstr(err, "nr_hugepages"));
	assert_int_equal(mmfs_booted, 0);
	assert_null(mmfs_arena.base);
}

/* Reserve enough hugetlb pages: auto and on both back all RAM with them. */
static void test_hugetlb_full(void **state)
{
	long got;

	(void)state;
	/* 128 for us, slack for anyone else booting at the same time */
	assert_int_equal(set_nr_hugepages(saved_nr_hugepages + 192), 0);
	got = read_long(NR_HUGEPAGES);
	if (got < 128)
		fail_msg("the host could only reserve %ld hugetlb pages", got);
	assert_int_equal(unit_boot("hugepages=on"), 0);
	check_common(256ULL << 20);
	assert_int_equal(mmfs_arena.backing, MMFS_BACKING_HUGETLB);
	assert_int_equal(mmfs_arena.hugetlb_bytes, 256ULL << 20);
	assert_int_equal(kernel_page_kb(mmfs_arena.base), 2048);
	assert_int_equal(kernel_page_kb((char *)mmfs_arena.base + (4ULL << 30)), 2048);
	assert_true(unit_log_expect("mmfs: arena 256 MiB backed by hugetlb 2 MiB pages (128 pages)"));
	/* the pages are really ours: write the first and last byte of RAM */
	((volatile char *)mmfs_arena.base)[0] = 1;
	((volatile char *)mmfs_arena.base)[(4ULL << 30) + (128ULL << 20) - 1] = 1;
	mm_shutdown();

	assert_int_equal(unit_boot(""), 0);
	assert_int_equal(mmfs_arena.backing, MMFS_BACKING_HUGETLB);
	assert_int_equal(mmfs_arena.hugetlb_bytes, 256ULL << 20);
}

/* Fewer hugetlb pages than RAM: auto uses them and falls back for the rest. */
static void test_hugetlb_partial(void **state)
{
	long before, got;

	(void)state;
	assert_int_equal(set_nr_hugepages(saved_nr_hugepages + 32), 0);
	got = read_long(NR_HUGEPAGES) - saved_nr_hugepages;
	if (got < 1)
		fail_msg("the host could not reserve hugetlb pages");
	before = mmfs_hugetlb_free_pages();
	assert_int_equal(unit_boot(""), 0);
	check_common(256ULL << 20);
	assert_int_equal(mmfs_arena.backing, MMFS_BACKING_HUGETLB);
	assert_true(mmfs_arena.hugetlb_bytes > 0);
	assert_true(mmfs_arena.hugetlb_bytes <= (uint64_t)before * HPAGE);
	assert_true(mmfs_arena.hugetlb_bytes < 256ULL << 20);
	if (thp_enabled()) {
		assert_int_equal(mmfs_arena.thp_bytes, (256ULL << 20) - mmfs_arena.hugetlb_bytes);
		assert_true(unit_log_expect("the rest fell back to THP"));
	}
	assert_true(unit_log_expect("backed by hugetlb 2 MiB pages ("));
	mm_shutdown();

	/* on refuses when there are not enough for all of RAM */
	{
		struct mm_config cfg;
		char err[256];

		mm_config_default(&cfg);
		cfg.hugepages = MMFS_HUGEPAGES_ON;
		assert_int_equal(mm_boot(&cfg, err, sizeof(err)), -ENOMEM);
		assert_non_null(strstr(err, "hugepages=on"));
		assert_int_equal(mmfs_booted, 0);
	}
}

/* Unaligned range edges are 4 KiB pages even when hugetlb backs the middle. */
static void test_unaligned_ranges(void **state)
{
	(void)state;
	assert_int_equal(set_nr_hugepages(saved_nr_hugepages + 64), 0);
	/* 1M@1M+... : [1M, 5M) has the aligned middle [2M, 4M) */
	assert_int_equal(unit_boot("memmap=4M@1M+64M@4G"), 0);
	check_common(68ULL << 20);
	assert_int_equal(mmfs_arena.base_bytes % PAGE_SIZE, 0);
	assert_true(mmfs_arena.base_bytes >= 2ULL << 20);	/* [1M,2M) and [4M,5M) */
	assert_int_equal(kernel_page_kb((char *)mmfs_arena.base + (1ULL << 20)), 4);
}

/* Holes are left inaccessible and the span is what the RAM ranges need. */
static void test_holes_unbacked(void **state)
{
	char perms[5];

	(void)state;
	assert_int_equal(unit_boot("hugepages=off"), 0);
	assert_int_equal(mmfs_arena.span_bytes, (4ULL << 30) + (128ULL << 20));
	assert_true(maps_perms((char *)mmfs_arena.base + (1ULL << 30), perms));
	assert_string_equal(perms, "---p");
	assert_true(maps_perms((char *)mmfs_arena.base + (128ULL << 20), perms));
	assert_string_equal(perms, "---p");
	assert_true(maps_perms((char *)mmfs_arena.base + (128ULL << 20) - 1, perms));
	assert_memory_equal(perms, "rw", 2);
}

/* Shutdown unmaps the whole arena. */
static void test_unmapped_at_shutdown(void **state)
{
	char perms[5];
	void *base;

	(void)state;
	assert_int_equal(unit_boot("mem=64M"), 0);
	base = mmfs_arena.base;
	assert_true(maps_perms(base, perms));
	mm_shutdown();
	assert_null(mmfs_arena.base);
	assert_int_equal(mmfs_arena.backed_bytes, 0);
	assert_false(maps_perms(base, perms));
	assert_false(maps_perms((char *)base + (4ULL << 30), perms));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_off, teardown),
		cmocka_unit_test_teardown(test_auto_no_hugetlb, teardown),
		cmocka_unit_test_teardown(test_on_without_hugetlb, teardown),
		cmocka_unit_test_teardown(test_hugetlb_full, teardown),
		cmocka_unit_test_teardown(test_hugetlb_partial, teardown),
		cmocka_unit_test_teardown(test_unaligned_ranges, teardown),
		cmocka_unit_test_teardown(test_holes_unbacked, teardown),
		cmocka_unit_test_teardown(test_unmapped_at_shutdown, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
