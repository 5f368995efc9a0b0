/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_gfp.c - gfp flags: the composite values of gfp_types.h, %pGg
 * printing (kernel-formats §6.3), parsing and round trips, invalid
 * combinations, gfp -> zone / migratetype, and %pGp page flag names.
 */
#include "unit_common.h"
#include "internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void expect_format(gfp_t g, const char *want)
{
	char buf[512];
	int n = gfp_format(g, buf, sizeof(buf));

	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
}

static void test_composite_values(void **state)
{
	(void)state;
	/* kernel-formats §6.2 (no KASAN) */
	assert_int_equal(GFP_ATOMIC, 0x820);
	assert_int_equal(GFP_KERNEL, 0xcc0);
	assert_int_equal(GFP_KERNEL_ACCOUNT, 0x400cc0);
	assert_int_equal(GFP_NOWAIT, 0x2800);
	assert_int_equal(GFP_NOIO, 0xc00);
	assert_int_equal(GFP_NOFS, 0xc40);
	assert_int_equal(GFP_USER, 0x100cc0);
	assert_int_equal(GFP_DMA, 0x1);
	assert_int_equal(GFP_DMA32, 0x4);
	assert_int_equal(GFP_HIGHUSER, 0x100cc2);
	assert_int_equal(GFP_HIGHUSER_MOVABLE, 0x100cca);
	assert_int_equal(GFP_TRANSHUGE_LIGHT, 0x1c20ca);
	assert_int_equal(GFP_TRANSHUGE, 0x1c24ca);
}

static void test_format_kernel_examples(void **state)
{
	(void)state;
	expect_format(0, "none");
	expect_format(GFP_KERNEL, "GFP_KERNEL");
	expect_format(GFP_ATOMIC, "GFP_ATOMIC");
	expect_format(GFP_NOWAIT, "GFP_NOWAIT");
	/* lines of a live 6.18 trace */
	expect_format(GFP_KERNEL | __GFP_ZERO | __GFP_COMP, "GFP_KERNEL|__GFP_ZERO|__GFP_COMP");
	expect_format(GFP_NOFS | __GFP_ZERO, "GFP_NOFS|__GFP_ZERO");
	expect_format(GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_COMP,
		      "GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP");
	expect_format(__GFP_RECLAIMABLE | __GFP_IO | __GFP_FS | __GFP_NOWARN | __GFP_NORETRY |
		      __GFP_COMP | __GFP_NOMEMALLOC,
		      "__GFP_RECLAIMABLE|__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_NOMEMALLOC");
	/* table order: composites first, the largest first */
	expect_format(GFP_TRANSHUGE, "GFP_TRANSHUGE");
	expect_format(GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT");
	expect_format(GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE");
	expect_format(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO");
	expect_format(GFP_USER | __GFP_THISNODE, "GFP_USER|__GFP_THISNODE");
	expect_format(GFP_KERNEL | __GFP_DMA, "GFP_KERNEL|GFP_DMA");
	expect_format(__GFP_RECLAIM, "GFP_NOIO");	/* same bits, earlier in the table */
	expect_format(__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM");
	expect_format(__GFP_HIGHMEM | __GFP_MOVABLE, "__GFP_HIGHMEM|__GFP_MOVABLE");
	/* bits with no name are printed in hex at the end */
	expect_format(0x200, "0x200");
	expect_format(GFP_KERNEL | 0x200, "GFP_KERNEL|0x200");
	expect_format(GFP_ATOMIC | 0x1000000, "GFP_ATOMIC|0x1000000");
}

static void test_format_truncates_safely(void **state)
{
	char small[8];
	int n;

	(void)state;
	memset(small, 'x', sizeof(small));
	n = gfp_format(GFP_KERNEL | __GFP_ZERO, small, sizeof(small));
	assert_int_equal(n, (int)strlen("GFP_KERNEL|__GFP_ZERO"));
	assert_int_equal(small[7], '\0');
	assert_memory_equal(small, "GFP_KER", 7);
}

static void test_parse_valid(void **state)
{
	gfp_t g = 0;

	(void)state;
	assert_int_equal(gfp_parse("GFP_KERNEL", &g), 0);
	assert_int_equal(g, GFP_KERNEL);
	assert_int_equal(gfp_parse("GFP_KERNEL|__GFP_ZERO|__GFP_COMP", &g), 0);
	assert_int_equal(g, GFP_KERNEL | __GFP_ZERO | __GFP_COMP);
	assert_int_equal(gfp_parse(" GFP_ATOMIC | __GFP_NOWARN ", &g), 0);
	assert_int_equal(g, GFP_ATOMIC | __GFP_NOWARN);
	assert_int_equal(gfp_parse("0xcc0", &g), 0);
	assert_int_equal(g, GFP_KERNEL);
	assert_int_equal(gfp_parse("GFP_KERNEL|0x100", &g), 0);
	assert_int_equal(g, GFP_KERNEL | __GFP_ZERO);
	assert_int_equal(gfp_parse("none", &g), 0);
	assert_int_equal(g, 0);
	assert_int_equal(gfp_parse("GFP_HIGHUSER_MOVABLE", &g), 0);
	assert_int_equal(g, 0x100cca);
	assert_int_equal(gfp_parse("GFP_DMA|__GFP_MOVABLE", &g), 0);
	assert_int_equal(g, __GFP_DMA | __GFP_MOVABLE);
	assert_int_equal(gfp_parse("__GFP_RECLAIM", &g), 0);
	assert_int_equal(g, 0xc00);
}

static void test_parse_invalid(void **state)
{
	static const char * const bad[] = {
		"", "|", "GFP_KERNEL|", "|GFP_KERNEL", "GFP_KERNEL||__GFP_ZERO",
		"GFP_BOGUS", "gfp_kernel", "GFP_KERNELX", "__GFP_ATOMIC",
		"__GFP_DMA|__GFP_DMA32", "GFP_DMA|__GFP_HIGHMEM", "__GFP_DMA32|__GFP_HIGHMEM",
		"GFP_DMA32|GFP_HIGHUSER", "__GFP_MOVABLE|__GFP_RECLAIMABLE",
		"GFP_HIGHUSER_MOVABLE|__GFP_RECLAIMABLE", "0x200", "0x1000000", "0xzz",
		"99999999999999999999", "-1", "GFP_KERNEL 0x1",
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		gfp_t g = 0x5a5a;

		if (gfp_parse(bad[i], &g) != -EINVAL)
			fail_msg("gfp_parse(\"%s\") accepted", bad[i]);
		assert_int_equal(g, 0x5a5a);	/* untouched */
	}
	assert_int_equal(gfp_parse(NULL, NULL), -EINVAL);
}

static void test_check(void **state)
{
	(void)state;
	assert_int_equal(gfp_check(GFP_KERNEL), 0);
	assert_int_equal(gfp_check(GFP_HIGHUSER_MOVABLE), 0);
	assert_int_equal(gfp_check(GFP_TRANSHUGE), 0);
	assert_int_equal(gfp_check(__GFP_DMA | __GFP_MOVABLE), 0);
	assert_int_equal(gfp_check(__GFP_DMA32 | __GFP_MOVABLE), 0);
	assert_int_equal(gfp_check(__GFP_DMA | __GFP_DMA32), -EINVAL);
	assert_int_equal(gfp_check(__GFP_DMA | __GFP_HIGHMEM | __GFP_MOVABLE), -EINVAL);
	assert_int_equal(gfp_check(__GFP_DMA32 | __GFP_HIGHMEM), -EINVAL);
	assert_int_equal(gfp_check(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM), -EINVAL);
	assert_int_equal(gfp_check(__GFP_MOVABLE | __GFP_RECLAIMABLE), -EINVAL);
	assert_int_equal(gfp_check(0x200), -EINVAL);
	assert_int_equal(gfp_check(1u << 24), -EINVAL);
}

/* every valid mask prints to text that parses back to it */
static void test_round_trip(void **state)
{
	uint64_t x = 0x243f6a8885a308d3ull;
	int tried = 0;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		char buf[512];
		gfp_t g, back = 0;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		g = (gfp_t)x & __GFP_BITS_MASK & ~0x200u;
		if (gfp_check(g))
			continue;
		tried++;
		gfp_format(g, buf, sizeof(buf));
		if (gfp_parse(buf, &back) || back != g)
			fail_msg("round trip of %#x: \"%s\" -> %#x", g, buf, back);
	}
	assert_true(tried > 1000);
	/* each single named bit */
	for (int b = 0; b < ___GFP_LAST_BIT; b++) {
		char buf[128];
		gfp_t back = 0;

		if (b == 9)
			continue;
		gfp_format(1u << b, buf, sizeof(buf));
		assert_null(strstr(buf, "0x"));
		assert_int_equal(gfp_parse(buf, &back), 0);
		assert_int_equal(back, 1u << b);
	}
}

static void test_migratetype(void **state)
{
	(void)state;
	assert_int_equal(gfp_migratetype(GFP_KERNEL), MIGRATE_UNMOVABLE);
	assert_int_equal(gfp_migratetype(GFP_HIGHUSER_MOVABLE), MIGRATE_MOVABLE);
	assert_int_equal(gfp_migratetype(GFP_KERNEL | __GFP_RECLAIMABLE), MIGRATE_RECLAIMABLE);
	assert_int_equal(gfp_migratetype(GFP_ATOMIC), MIGRATE_UNMOVABLE);
	assert_string_equal(migratetype_names[MIGRATE_UNMOVABLE], "Unmovable");
	assert_string_equal(migratetype_names[MIGRATE_MOVABLE], "Movable");
	assert_string_equal(migratetype_names[MIGRATE_RECLAIMABLE], "Reclaimable");
	assert_string_equal(migratetype_names[MIGRATE_HIGHATOMIC], "HighAtomic");
	assert_string_equal(migratetype_names[MIGRATE_ISOLATE], "Isolate");
}

static void test_zone_no_highmem(void **state)
{
	(void)state;
	assert_int_equal(unit_boot("mem=64M"), 0);
	assert_int_equal(gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	assert_int_equal(gfp_zone(GFP_DMA), ZONE_DMA);
	assert_int_equal(gfp_zone(GFP_DMA32), ZONE_DMA32);
	assert_int_equal(gfp_zone(GFP_HIGHUSER), ZONE_NORMAL);	/* OPT_ZONE_HIGHMEM */
	assert_int_equal(gfp_zone(GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	assert_int_equal(gfp_zone(__GFP_MOVABLE), ZONE_NORMAL);
	assert_int_equal(gfp_zone(__GFP_DMA | __GFP_MOVABLE), ZONE_DMA);
	assert_int_equal(gfp_zone(__GFP_DMA32 | __GFP_MOVABLE), ZONE_DMA32);
	mm_shutdown();
}

static void test_zone_highmem(void **state)
{
	(void)state;
	assert_int_equal(unit_boot("mem=64M,highmem=16M"), 0);
	assert_int_equal(gfp_zone(GFP_HIGHUSER), ZONE_HIGHMEM);
	assert_int_equal(gfp_zone(GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	assert_int_equal(gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	mm_shutdown();
}

static void test_page_flags_names(void **state)
{
	struct page *page;
	char buf[512];
	int n;

	(void)state;
	assert_int_equal(unit_boot("mem=64M"), 0);
	page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	assert_non_null(page);
	n = page_flags_format(page, buf, sizeof(buf));
	assert_int_equal(n, (int)strlen(buf));
	{
		char want[64];

		snprintf(want, sizeof(want), "head|node=%d|zone=%d", page_to_nid(page), (int)page_zonenum(page));
		assert_string_equal(buf, want);
	}
	__SetPageReserved(page);
	__SetPageSlab(page);
	__SetPageLocked(page);
	page_flags_format(page, buf, sizeof(buf));
	assert_non_null(strstr(buf, "locked|slab|reserved|head|node="));
	__ClearPageReserved(page);
	__ClearPageSlab(page);
	__ClearPageLocked(page);
	__free_pages(page, 2);
	drain_all_pages(NULL);
	/* a free block head shows its page type */
	{
		struct zone *z = page_zone(page);
		struct page *head = NULL;

		for (int o = MAX_ORDER - 1; o >= 0 && !head; o--)
			for (int mt = 0; mt < MIGRATE_TYPES && !head; mt++)
				head = list_first_entry_or_null(&z->free_area[o].free_list[mt],
								struct page, lru);
		assert_non_null(head);
		page_flags_format(head, buf, sizeof(buf));
		assert_true(PageBuddy(head));
		assert_non_null(strstr(buf, "|buddy"));
	}
	assert_true(unit_validate_ok());
	mm_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_composite_values),
		cmocka_unit_test(test_format_kernel_examples),
		cmocka_unit_test(test_format_truncates_safely),
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_migratetype),
		cmocka_unit_test(test_zone_no_highmem),
		cmocka_unit_test(test_zone_highmem),
		cmocka_unit_test(test_page_flags_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
