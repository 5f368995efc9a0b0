/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_mm_init.c - booting the machine: option parsing, zone layout for
 * mem=/memmap=/nodes=/movablecore=/highmem=, the memmap and the three memory
 * models, reservations (managed = present - reserved), zonelists, the boot
 * log, vm counters, and repeated boot/shutdown in one process.
 *
 * Expected numbers are derived in the comments from the rules in SPEC §1
 * and the kernel's algorithms (x86-64 zone limits, memblock top-down,
 * find_zone_movable_pfns_for_nodes).
 */
#include "unit_common.h"
#include "internal.h"
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MB(x)		((unsigned long)(x) << (20 - PAGE_SHIFT))	/* pages */
#define GB(x)		((unsigned long)(x) << (30 - PAGE_SHIFT))
#define SECTION_MEMMAP_PAGES	((PAGES_PER_SECTION * 64) >> PAGE_SHIFT)	/* 512 */
#define LOW_RESERVE	16UL		/* the first 64 KiB */

static struct zone *Z(int nid, enum zone_type t)
{
	return &NODE_DATA(nid)->node_zones[t];
}

static void boot_ok(const char *opts)
{
	int ret = unit_boot(opts);

	if (ret)
		fail_msg("boot(%s) = %d", opts, ret);
	assert_int_equal(mmfs_booted, 1);
}

static void expect_zone(int nid, enum zone_type t, unsigned long start, unsigned long spanned,
			unsigned long present, unsigned long managed)
{
	struct zone *z = Z(nid, t);

	if (z->zone_start_pfn != start || z->spanned_pages != spanned ||
	    z->present_pages != present || zone_managed_pages(z) != managed)
		fail_msg("node %d zone %s: start %#lx spanned %lu present %lu managed %lu; "
			 "expected %#lx %lu %lu %lu", nid, zone_names[t], z->zone_start_pfn,
			 z->spanned_pages, z->present_pages, zone_managed_pages(z),
			 start, spanned, present, managed);
}

/*
 * The invariants every boot must satisfy: zones partition each node's RAM,
 * every RAM pfn's page knows its node and zone, reserved RAM pages are
 * exactly present - managed, managed sums to totalram.
 */
static void check_invariants(void)
{
	unsigned long total_managed = 0, total_present = 0, pfn;
	struct zone *zone;
	int nid;

	for_each_zone(zone) {
		unsigned long reserved = 0;

		assert_true(zone->present_pages <= zone->spanned_pages);
		assert_true(zone_managed_pages(zone) <= zone->present_pages);
		total_managed += zone_managed_pages(zone);
		total_present += zone->present_pages;
		for (pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++) {
			struct page *page;

			if (!pfn_valid(pfn))
				continue;
			page = pfn_to_page(pfn);
			if (page_zone(page) != zone)
				fail_msg("pfn %#lx in %s of node %d says zone %d node %d", pfn,
					 zone->name, zone->node, page_zonenum(page), page_to_nid(page));
			assert_int_equal(page_to_pfn(page), pfn);
			if (PageReserved(page)) {
				reserved++;
				assert_int_equal(page_ref_count(page), 1);
				assert_int_equal(page_mapcount(page), 0);
			}
		}
		if (reserved != zone->present_pages - zone_managed_pages(zone))
			fail_msg("zone %s node %d: %lu reserved pages, present - managed = %lu",
				 zone->name, zone->node, reserved,
				 zone->present_pages - zone_managed_pages(zone));
	}
	assert_int_equal(total_managed, totalram_pages_count);
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		unsigned long present = 0;
		int j, nr_zones = 0;

		for (j = 0; j < MAX_NR_ZONES; j++) {
			present += pgdat->node_zones[j].present_pages;
			if (pgdat->node_zones[j].present_pages)
				nr_zones = j + 1;
		}
		assert_int_equal(present, pgdat->node_present_pages);
		assert_int_equal(nr_zones, pgdat->nr_zones);
	}
	(void)total_present;
}

/* ------------------------------------------------------------ layouts */

/*
 * mem=256M: 128M at 0 and 128M at 4G.  DMA [0,16M) 4096 pages minus the
 * low 64 KiB; DMA32 spans 16M..4G with 112M present; Normal 4G..4G+128M
 * minus the memmap (2 sections x 2 MiB = 1024 pages, top-down in node 0).
 */
static void test_default_layout(void **state)
{
	(void)state;
	boot_ok("");
	assert_int_equal(nr_online_nodes, 1);
	assert_int_equal(min_low_pfn, 0);
	assert_int_equal(max_pfn, GB(4) + MB(128));
	expect_zone(0, ZONE_DMA, 0, MB(16), MB(16), MB(16) - LOW_RESERVE);
	expect_zone(0, ZONE_DMA32, MB(16), GB(4) - MB(16), MB(112), MB(112));
	expect_zone(0, ZONE_NORMAL, GB(4), MB(128), MB(128), MB(128) - 2 * SECTION_MEMMAP_PAGES);
	expect_zone(0, ZONE_HIGHMEM, 0, 0, 0, 0);
	expect_zone(0, ZONE_MOVABLE, 0, 0, 0, 0);
	assert_int_equal(NODE_DATA(0)->node_start_pfn, 0);
	assert_int_equal(NODE_DATA(0)->node_spanned_pages, GB(4) + MB(128));
	assert_int_equal(NODE_DATA(0)->node_present_pages, MB(256));
	assert_false(zone_type_configured(ZONE_HIGHMEM));
	assert_true(zone_type_configured(ZONE_MOVABLE));
	assert_int_equal(mmfs_arena.memmap_bytes, 2 * (PAGES_PER_SECTION * 64));
	check_invariants();
}

/* memmap= with a hole inside DMA32 and nothing above 4 GiB: Normal empty. */
static void test_memmap_layout(void **state)
{
	(void)state;
	boot_ok("memmap=128M@0+128M@1G");
	expect_zone(0, ZONE_DMA, 0, MB(16), MB(16), MB(16) - LOW_RESERVE);
	/* DMA32 spans 16M .. 1G+128M; the memmap (2 sections) at its top */
	expect_zone(0, ZONE_DMA32, MB(16), GB(1) + MB(128) - MB(16), MB(240),
		    MB(240) - 2 * SECTION_MEMMAP_PAGES);
	expect_zone(0, ZONE_NORMAL, 0, 0, 0, 0);
	assert_int_equal(max_pfn, GB(1) + MB(128));
	assert_true(unit_log_expect("BIOS-e820: [mem 0x0000000040000000-0x0000000047ffffff] usable"));
	assert_true(unit_log_expect("  Normal   empty"));
	check_invariants();
	mm_shutdown();

	/* a range not starting at 0: no low reservation, DMA partly present */
	boot_ok("memmap=8M@8M+24M@16M");
	expect_zone(0, ZONE_DMA, MB(8), MB(8), MB(8), MB(8));
	expect_zone(0, ZONE_DMA32, MB(16), MB(24), MB(24), MB(24) - SECTION_MEMMAP_PAGES);
	assert_int_equal(min_low_pfn, MB(8));
	check_invariants();
}

/* nodes=N cuts RAM into N equal parts. */
static void test_nodes_layout(void **state)
{
	(void)state;
	boot_ok("nodes=2");
	assert_int_equal(nr_online_nodes, 2);
	/* node 0 = the low 128M, node 1 = the 128M at 4G */
	expect_zone(0, ZONE_DMA, 0, MB(16), MB(16), MB(16) - LOW_RESERVE);
	expect_zone(0, ZONE_DMA32, MB(16), MB(112), MB(112), MB(112) - SECTION_MEMMAP_PAGES);
	expect_zone(0, ZONE_NORMAL, 0, 0, 0, 0);
	expect_zone(1, ZONE_DMA, 0, 0, 0, 0);
	expect_zone(1, ZONE_NORMAL, GB(4), MB(128), MB(128), MB(128) - SECTION_MEMMAP_PAGES);
	assert_int_equal(NODE_DATA(1)->node_start_pfn, GB(4));
	assert_true(unit_log_expect("Faking node 1 at [mem 0x0000000100000000-0x0000000107ffffff] (128MB)"));
	check_invariants();
	mm_shutdown();

	/* four nodes of 64M: two below 4G, two above */
	boot_ok("nodes=4");
	assert_int_equal(nr_online_nodes, 4);
	assert_int_equal(NODE_DATA(1)->node_start_pfn, MB(64));
	assert_int_equal(NODE_DATA(2)->node_start_pfn, GB(4));
	assert_int_equal(NODE_DATA(3)->node_start_pfn, GB(4) + MB(64));
	/* section 0 (0..128M) is node 1's (the last node in it): its memmap
	 * comes from node 1's top; node 0 keeps all of its DMA32 */
	expect_zone(1, ZONE_DMA32, MB(64), MB(64), MB(64), MB(64) - SECTION_MEMMAP_PAGES);
	expect_zone(0, ZONE_DMA32, MB(16), MB(48), MB(48), MB(48));
	expect_zone(2, ZONE_NORMAL, GB(4), MB(64), MB(64), MB(64));
	expect_zone(3, ZONE_NORMAL, GB(4) + MB(64), MB(64), MB(64), MB(64) - SECTION_MEMMAP_PAGES);
	check_invariants();
}

/*
 * movablecore=64M on 256M, one node: kernelcore = 192M; all 128M below 4G
 * is kernelcore (below the Normal zone the movable pages come from), so
 * 64M of the 128M at 4G stays Normal and the top 64M is Movable.  The
 * memmap is allocated top-down, so it lands in Movable.
 */
static void test_movablecore(void **state)
{
	(void)state;
	boot_ok("movablecore=64M");
	expect_zone(0, ZONE_NORMAL, GB(4), MB(64), MB(64), MB(64));
	expect_zone(0, ZONE_MOVABLE, GB(4) + MB(64), MB(64), MB(64), MB(64) - 2 * SECTION_MEMMAP_PAGES);
	assert_true(unit_log_expect("Movable zone start for each node"));
	assert_true(unit_log_expect("  Node 0: 0x0000000104000000"));
	check_invariants();
	mm_shutdown();

	/*
	 * Two nodes entirely above 4 GiB but for 16M at 0: 512M at 4G, node
	 * cut at 264M of RAM.  kernelcore 400M spread 200M per node: node 0
	 * keeps 16M + 184M, node 1 200M; each node's remaining top 64M is
	 * Movable (in proportion).
	 */
	boot_ok("memmap=16M@0+512M@4G,nodes=2,movablecore=128M");
	assert_int_equal(Z(0, ZONE_MOVABLE)->spanned_pages, MB(64));
	assert_int_equal(Z(1, ZONE_MOVABLE)->spanned_pages, MB(64));
	assert_int_equal(Z(0, ZONE_MOVABLE)->zone_start_pfn, GB(4) + MB(184));
	assert_int_equal(Z(1, ZONE_MOVABLE)->zone_start_pfn, GB(4) + MB(248) + MB(200));
	assert_int_equal(Z(0, ZONE_NORMAL)->spanned_pages, MB(184));
	assert_int_equal(Z(1, ZONE_NORMAL)->spanned_pages, MB(200));
	check_invariants();
}

/* highmem=64M: the top 64M of RAM is ZONE_HIGHMEM, without a direct map. */
static void test_highmem(void **state)
{
	struct page *page;

	(void)state;
	boot_ok("highmem=64M");
	assert_true(zone_type_configured(ZONE_HIGHMEM));
	expect_zone(0, ZONE_NORMAL, GB(4), MB(64), MB(64), MB(64) - 2 * SECTION_MEMMAP_PAGES);
	expect_zone(0, ZONE_HIGHMEM, GB(4) + MB(64), MB(64), MB(64), MB(64));
	page = pfn_to_page(GB(4) + MB(64));
	assert_true(PageHighMem(page));
	assert_null(page_address(page));
	assert_null(mmfs_kaddr_to_ptr(MMFS_PAGE_OFFSET + PFN_PHYS(GB(4) + MB(64))));
	assert_non_null(mmfs_pfn_to_ptr(GB(4) + MB(64)));
	page = pfn_to_page(GB(4) + MB(64) - 1);
	assert_false(PageHighMem(page));
	assert_non_null(page_address(page));
	assert_true(unit_log_expect("  HighMem  [mem 0x0000000104000000-0x0000000107ffffff]"));
	check_invariants();
	mm_shutdown();

	/* highmem bigger than the RAM above 4 GiB cuts DMA32 too */
	boot_ok("highmem=192M");
	expect_zone(0, ZONE_DMA32, MB(16), MB(48), MB(48), MB(48) - 2 * SECTION_MEMMAP_PAGES);
	expect_zone(0, ZONE_NORMAL, 0, 0, 0, 0);
	assert_int_equal(Z(0, ZONE_HIGHMEM)->present_pages, MB(192));
	check_invariants();
}

/* ----------------------------------------------------- memory models */

static void check_model(const char *opts, uint64_t *memmap_bytes)
{
	unsigned long pfn;
	struct zone *zone;

	boot_ok(opts);
	for_each_populated_zone(zone) {
		for (pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++) {
			struct page *page;

			if (!pfn_valid(pfn))
				continue;
			page = pfn_to_page(pfn);
			assert_int_equal(page_to_pfn(page), pfn);
			assert_ptr_equal(page_address(page), mmfs_pfn_to_ptr(pfn));
			assert_ptr_equal(virt_to_page(page_address(page)), page);
			assert_int_equal(mmfs_virt_to_pfn(page_address(page)), pfn);
			assert_int_equal(mmfs_kaddr(page_address(page)), MMFS_PAGE_OFFSET + PFN_PHYS(pfn));
			assert_ptr_equal(mmfs_kaddr_to_ptr(MMFS_PAGE_OFFSET + PFN_PHYS(pfn)),
					 page_address(page));
			assert_int_equal(mmfs_page_kaddr(page), MMFS_VMEMMAP_START + pfn * 64);
		}
	}
	/* RAM is 0..64M and 1G..1G+64M: the rest is a hole */
	assert_true(pfn_valid(0));
	assert_true(pfn_valid(MB(64) - 1));
	assert_false(pfn_valid(MB(64)));
	assert_false(pfn_valid(MB(100)));
	assert_false(pfn_valid(GB(1) - 1));
	assert_true(pfn_valid(GB(1)));
	assert_true(pfn_valid(GB(1) + MB(64) - 1));
	assert_false(pfn_valid(GB(1) + MB(64)));
	assert_false(pfn_valid(GB(64)));
	assert_false(pfn_valid(~0UL));
	assert_null(mmfs_kaddr_to_ptr(MMFS_PAGE_OFFSET + PFN_PHYS(MB(100))));
	assert_null(mmfs_kaddr_to_ptr(0x1234));
	check_invariants();
	/* the page allocator works through the model: blocks come back at
	 * the pfns their struct pages say, writable, and the books balance */
	{
		struct page *blocks[64];
		int i;

		for (i = 0; i < 64; i++) {
			unsigned long p0;

			blocks[i] = alloc_pages(GFP_KERNEL, (unsigned int)(i % 4));
			assert_non_null(blocks[i]);
			p0 = page_to_pfn(blocks[i]);
			assert_true(pfn_valid(p0) && pfn_valid(p0 + (1UL << (i % 4)) - 1));
			assert_ptr_equal(pfn_to_page(p0), blocks[i]);
			memset(page_address(blocks[i]), 0x5a, PAGE_SIZE << (i % 4));
		}
		for (i = 0; i < 64; i++)
			__free_pages(blocks[i], (unsigned int)(i % 4));
		assert_true(unit_validate_ok());
	}
	*memmap_bytes = mmfs_arena.memmap_bytes;
	mm_shutdown();
}

static void test_memory_models(void **state)
{
	uint64_t sparse, classic, flat;

	(void)state;
	check_model("memmap=64M@0+64M@1G,memmodel=sparse", &sparse);
	check_model("memmap=64M@0+64M@1G,memmodel=classic", &classic);
	check_model("memmap=64M@0+64M@1G,memmodel=flat", &flat);
	/* sparse/classic back the two sections only; flat covers 0..1G+64M */
	assert_int_equal(sparse, 2 * PAGES_PER_SECTION * 64);
	assert_int_equal(classic, 2 * PAGES_PER_SECTION * 64);
	assert_int_equal(flat, (GB(1) + MB(64)) * 64);
	assert_true(sparse < flat);
}

/* classic: each section's mem_map is stored encoded minus its start pfn */
static void test_classic_encoding(void **state)
{
	struct mem_section *ms;
	struct page *map;

	(void)state;
	boot_ok("memmodel=classic");
	ms = __pfn_to_section(GB(4));
	assert_true(ms->section_mem_map & SECTION_HAS_MEM_MAP);
	map = __section_mem_map_addr(ms);
	/* the encoded pointer plus the section's first pfn is its mem_map */
	assert_ptr_equal(map + GB(4), pfn_to_page(GB(4)));
	assert_int_equal(page_to_section(pfn_to_page(GB(4) + 5)), GB(4) >> PFN_SECTION_SHIFT);
	/* the two sections' mem_maps are separate allocations */
	assert_ptr_not_equal(pfn_to_page(MB(128) - 1) + 1, pfn_to_page(GB(4)));
	assert_int_equal(__pfn_to_section(MB(200))->section_mem_map, 0);
	check_invariants();
}

/* ------------------------------------------------------- pageblocks */

/*
 * Every pageblock starts MIGRATE_MOVABLE.  Blocks the boot reservations
 * cover entirely were never touched by the allocator and must still be
 * movable; of the rest, the subsystems' boot allocations (slab) may have
 * stolen a few for unmovable use, no more.
 */
static void test_pageblocks_movable(void **state)
{
	struct zone *zone;
	unsigned long pfn, n = 0, movable = 0, reserved_blocks = 0;

	(void)state;
	boot_ok("mem=64M");
	for_each_populated_zone(zone) {
		for (pfn = ALIGN(zone->zone_start_pfn, pageblock_nr_pages);
		     pfn + pageblock_nr_pages <= zone_end_pfn(zone); pfn += pageblock_nr_pages) {
			int mt;
			unsigned long i;
			bool all_reserved = true;

			if (!pfn_valid(pfn))
				continue;
			mt = get_pageblock_migratetype(pfn_to_page(pfn));
			for (i = 0; i < pageblock_nr_pages && all_reserved; i++)
				all_reserved = PageReserved(pfn_to_page(pfn + i));
			if (all_reserved) {
				assert_int_equal(mt, MIGRATE_MOVABLE);
				reserved_blocks++;
			}
			assert_true(mt == MIGRATE_MOVABLE || mt == MIGRATE_UNMOVABLE ||
				    mt == MIGRATE_RECLAIMABLE);
			movable += mt == MIGRATE_MOVABLE;
			n++;
		}
	}
	assert_int_equal(n, MB(64) / pageblock_nr_pages);
	assert_int_equal(reserved_blocks, 2 * SECTION_MEMMAP_PAGES / pageblock_nr_pages);
	assert_true(movable >= n - 8);
}

/* ------------------------------------------------------- zonelists */

static void test_zonelists(void **state)
{
	struct zoneref *z;

	(void)state;
	boot_ok("nodes=2");
	/* node 0: its own zones high to low, then node 1's */
	z = NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	assert_ptr_equal(z[0].zone, Z(0, ZONE_DMA32));
	assert_ptr_equal(z[1].zone, Z(0, ZONE_DMA));
	assert_ptr_equal(z[2].zone, Z(1, ZONE_NORMAL));
	assert_int_equal(z[2].zone_idx, ZONE_NORMAL);
	assert_null(z[3].zone);
	z = NODE_DATA(1)->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	assert_ptr_equal(z[0].zone, Z(1, ZONE_NORMAL));
	assert_ptr_equal(z[1].zone, Z(0, ZONE_DMA32));
	assert_ptr_equal(z[2].zone, Z(0, ZONE_DMA));
	assert_null(z[3].zone);
	/* __GFP_THISNODE: the local node only */
	z = NODE_DATA(1)->node_zonelists[ZONELIST_NOFALLBACK]._zonerefs;
	assert_ptr_equal(z[0].zone, Z(1, ZONE_NORMAL));
	assert_null(z[1].zone);
	assert_int_equal(node_distance(0, 0), 10);
	assert_int_equal(node_distance(0, 1), 20);
	mm_shutdown();

	/* three nodes: node 1 prefers node 2 (the next one up) over node 0 */
	boot_ok("mem=192M,memmap=192M@0,nodes=3");
	z = NODE_DATA(1)->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	assert_int_equal(z[0].zone->node, 1);
	assert_int_equal(z[1].zone->node, 2);
	for (; z->zone; z++)
		;
	assert_int_equal(z[-1].zone->node, 0);
	assert_true(unit_log_expect("Fallback order for Node 1: 1 2 0"));
}

/* ------------------------------------------------------------ log */

static void test_boot_log(void **state)
{
	char line[128];

	(void)state;
	boot_ok("");
	assert_true(unit_log_expect("BIOS-provided physical RAM map:"));
	assert_true(unit_log_expect("BIOS-e820: [mem 0x0000000000000000-0x0000000007ffffff] usable"));
	assert_true(unit_log_expect("BIOS-e820: [mem 0x0000000100000000-0x0000000107ffffff] usable"));
	assert_true(unit_log_expect("Zone ranges:"));
	assert_true(unit_log_expect("  DMA      [mem 0x0000000000000000-0x0000000000ffffff]"));
	assert_true(unit_log_expect("  DMA32    [mem 0x0000000001000000-0x00000000ffffffff]"));
	assert_true(unit_log_expect("  Normal   [mem 0x0000000100000000-0x0000000107ffffff]"));
	assert_true(unit_log_expect("Early memory node ranges"));
	assert_true(unit_log_expect("  node   0: [mem 0x0000000000000000-0x0000000007ffffff]"));
	assert_true(unit_log_expect("Initmem setup node 0 [mem 0x0000000000000000-0x0000000107ffffff]"));
	snprintf(line, sizeof(line), "Built 1 zonelists, mobility grouping on.  Total pages: %lu",
		 vm_total_pages);
	assert_true(unit_log_expect(line));
	assert_true(unit_log_expect("Memory: "));
	snprintf(line, sizeof(line), "K/%luK available", MB(256) * 4);
	assert_true(unit_log_expect(line));
	assert_true(unit_log_expect("mmfs: arena 256 MiB"));
	assert_true(unit_log_expect("mmfs: memmap 4 MiB (SPARSEMEM_VMEMMAP"));
	/* a hole inside a backed section is reported as unavailable */
	mm_shutdown();
	boot_ok("mem=64M");
	assert_true(unit_log_expect("On node 0, zone Normal: 24576 pages in unavailable ranges"));
}

/* ------------------------------------------------------------ cpus */

static void test_cpus(void **state)
{
	(void)state;
	boot_ok("cpus=3");
	assert_int_equal(nr_cpu_ids, 3);
	mm_shutdown();
	assert_int_equal(nr_cpu_ids, 1);
	boot_ok("");
	assert_int_equal(nr_cpu_ids, (unsigned int)sysconf(_SC_NPROCESSORS_CONF));
	mm_shutdown();
	boot_ok("nodes=2,cpus=3");
	assert_int_equal(cpu_to_node(0), 0);
	assert_int_equal(cpu_to_node(1), 1);
	assert_int_equal(cpu_to_node(2), 0);
	assert_int_equal(nr_cpus_node(0), 2);
	assert_int_equal(nr_cpus_node(1), 1);
}

/* min_free_kbytes= overrides the computed value (and its watermarks). */
static void test_min_free_kbytes(void **state)
{
	unsigned long sum = 0, n = 0;
	struct zone *zone;

	(void)state;
	boot_ok("min_free_kbytes=2048");
	assert_int_equal(min_free_kbytes, 2048);
	assert_int_equal(user_min_free_kbytes, 2048);
	/* pages_min = 2048K / 4K = 512, shared by the lowmem zones in
	 * proportion to their managed pages (each share rounded down) */
	for_each_populated_zone(zone) {
		if (is_highmem(zone) || zone_idx(zone) == ZONE_MOVABLE)
			continue;
		sum += zone->_watermark[WMARK_MIN];
		n++;
	}
	assert_true(sum <= 512 && sum + n >= 512);
	mm_shutdown();
	boot_ok("");
	assert_int_equal(user_min_free_kbytes, -1);
	assert_int_not_equal(min_free_kbytes, 2048);
}

/* ------------------------------------------------------------ options */

static void expect_bad(const char *key, const char *value, const char *msg_part)
{
	struct mm_config cfg, before;
	char err[256] = "";
	int ret;

	mm_config_default(&cfg);
	before = cfg;
	ret = mm_config_parse(&cfg, key, value, err, sizeof(err));
	if (ret != -EINVAL)
		fail_msg("%s=%s: returned %d, expected -EINVAL", key, value, ret);
	if (!err[0] || (msg_part && !strstr(err, msg_part)))
		fail_msg("%s=%s: message \"%s\" lacks \"%s\"", key, value, err, msg_part);
	assert_memory_equal(&cfg, &before, sizeof(cfg));
}

static void test_parse_good(void **state)
{
	struct mm_config cfg;
	char err[256];
	uint64_t b;

	(void)state;
	assert_int_equal(mm_parse_size("256M", &b), 0);
	assert_int_equal(b, 256ULL << 20);
	assert_int_equal(mm_parse_size("4G", &b), 0);
	assert_int_equal(b, 4ULL << 30);
	assert_int_equal(mm_parse_size("4096K", &b), 0);
	assert_int_equal(b, 4ULL << 20);
	assert_int_equal(mm_parse_size("0x1000", &b), 0);
	assert_int_equal(b, 4096);
	assert_int_equal(mm_parse_size("12345", &b), 0);
	assert_int_equal(b, 12345);
	assert_int_equal(mm_parse_size("", &b), -EINVAL);
	assert_int_equal(mm_parse_size("12Q", &b), -EINVAL);
	assert_int_equal(mm_parse_size("-1M", &b), -EINVAL);
	assert_int_equal(mm_parse_size("99999999999999999999", &b), -EINVAL);
	assert_int_equal(mm_parse_size("20000000T", &b), -EINVAL);

	mm_config_default(&cfg);
	assert_int_equal(cfg.mem, 256ULL << 20);
	assert_int_equal(cfg.nodes, 1);
	assert_int_equal(cfg.min_free_kbytes, -1);
	assert_int_equal(cfg.init_on_alloc, 1);
	assert_int_equal(cfg.init_on_free, 0);
	assert_int_equal(cfg.hugepages, MMFS_HUGEPAGES_AUTO);
	assert_int_equal(cfg.memmodel, MMFS_MEMMODEL_SPARSE);
	assert_int_equal(cfg.slab, MMFS_SLUB);
	assert_int_equal(mm_config_parse(&cfg, "mem", "1G", err, sizeof(err)), 0);
	assert_int_equal(cfg.mem, 1ULL << 30);
	assert_int_equal(mm_config_parse(&cfg, "memmap", "128M@0+128M@4G", err, sizeof(err)), 0);
	assert_int_equal(cfg.nr_ranges, 2);
	assert_int_equal(cfg.ranges[1].start, 4ULL << 30);
	assert_int_equal(cfg.mem, 256ULL << 20);
	assert_int_equal(mm_config_parse(&cfg, "nodes", "64", err, sizeof(err)), 0);
	assert_int_equal(mm_config_parse(&cfg, "cpus", "8", err, sizeof(err)), 0);
	assert_int_equal(cfg.cpus, 8);
	assert_int_equal(mm_config_parse(&cfg, "movablecore", "64M", err, sizeof(err)), 0);
	assert_int_equal(mm_config_parse(&cfg, "highmem", "32M", err, sizeof(err)), 0);
	assert_int_equal(mm_config_parse(&cfg, "slab", "slob", err, sizeof(err)), 0);
	assert_int_equal(cfg.slab, MMFS_SLOB);
	assert_int_equal(mm_config_parse(&cfg, "slub_debug", "FZ:kmalloc-64+dentry", err, sizeof(err)), 0);
	assert_string_equal(cfg.slub_debug, "FZ:kmalloc-64+dentry");
	assert_int_equal(mm_config_parse(&cfg, "min_free_kbytes", "2048", err, sizeof(err)), 0);
	assert_int_equal(cfg.min_free_kbytes, 2048);
	assert_int_equal(mm_config_parse(&cfg, "init_on_free", "1", err, sizeof(err)), 0);
	assert_int_equal(cfg.init_on_free, 1);
	assert_int_equal(mm_config_parse(&cfg, "hugepages", "off", err, sizeof(err)), 0);
	assert_int_equal(cfg.hugepages, MMFS_HUGEPAGES_OFF);
	assert_int_equal(mm_config_parse(&cfg, "memmodel", "flat", err, sizeof(err)), 0);
	assert_int_equal(cfg.memmodel, MMFS_MEMMODEL_FLAT);
	assert_int_equal(mm_config_parse(&cfg, "user_limit", "16M", err, sizeof(err)), 0);
	assert_int_equal(cfg.user_limit, 16ULL << 20);
	assert_int_equal(mm_config_parse(&cfg, "allow_other", "1", err, sizeof(err)), -ENOENT);
}

static void test_parse_bad(void **state)
{
	char many[1024] = "";
	int i;

	(void)state;
	expect_bad("mem", "abc", "bad size");
	expect_bad("mem", "", "bad size");
	expect_bad("mem", "0", "out of range");
	expect_bad("mem", "1M", "out of range");
	expect_bad("mem", "100000T", NULL);
	expect_bad("mem", "12345678", "multiple");
	expect_bad("memmap", "128M", "SIZE@START");
	expect_bad("memmap", "128M@0+64M@64M", "overlaps");
	expect_bad("memmap", "128M@4G+128M@0", "overlaps or is below");
	expect_bad("memmap", "128M@0x1001", "aligned");
	expect_bad("memmap", "x@0", "bad size");
	expect_bad("memmap", "1M@0", "too little");
	expect_bad("memmap", "128M@0+", NULL);
	for (i = 0; i < 33; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "%s1M@%dM", i ? "+" : "", i * 2);
	expect_bad("memmap", many, "too many");
	expect_bad("memmap", "1M@70T", "physical address");
	expect_bad("nodes", "0", "1..64");
	expect_bad("nodes", "65", "1..64");
	expect_bad("nodes", "two", "1..64");
	expect_bad("cpus", "0", NULL);
	expect_bad("cpus", "-3", NULL);
	expect_bad("movablecore", "256M", "smaller than RAM");
	expect_bad("movablecore", "1G", "smaller than RAM");
	expect_bad("movablecore", "lots", "bad size");
	expect_bad("highmem", "256M", "smaller than RAM");
	expect_bad("highmem", "1000", "multiple of 4K");
	expect_bad("slab", "slabby", "slub, slab or slob");
	expect_bad("slub_debug", "FQ", "unknown flag");
	expect_bad("slub_debug", "F:", "empty cache name");
	expect_bad("min_free_kbytes", "-1", ">= 0");
	expect_bad("min_free_kbytes", "lots", ">= 0");
	expect_bad("init_on_alloc", "2", "0 or 1");
	expect_bad("init_on_free", "yes", "0 or 1");
	expect_bad("hugepages", "maybe", "auto, on or off");
	expect_bad("memmodel", "discontig", "sparse, classic or flat");
	expect_bad("user_limit", "many", "bad size");
}

/* Layouts the options allow one by one but not together fail at boot. */
static void test_boot_rejects(void **state)
{
	struct mm_config cfg;
	char err[256];
	uint64_t far;

	(void)state;
	mm_config_default(&cfg);
	cfg.mem = 64ULL << 20;
	cfg.nodes = 64;			/* 1 MiB per node */
	assert_int_equal(mm_boot(&cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "too many nodes"));
	assert_int_equal(mmfs_booted, 0);

	mm_config_default(&cfg);
	cfg.movablecore = 512ULL << 20;	/* parsed before mem=64M */
	cfg.mem = 64ULL << 20;
	assert_int_equal(mm_boot(&cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "movablecore"));

	mm_config_default(&cfg);
	cfg.highmem = 62ULL << 20;
	cfg.mem = 64ULL << 20;
	assert_int_equal(mm_boot(&cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "low memory"));
	assert_int_equal(mmfs_booted, 0);

	/* a memmap bigger than half the host's RAM is refused, not faulted in */
	{
		/* a hole so wide that FLATMEM's memmap (64 bytes per pfn of it)
		 * is more than the host's RAM: 40 x host RAM of address space */
		uint64_t host = (uint64_t)sysconf(_SC_PHYS_PAGES) * (uint64_t)sysconf(_SC_PAGESIZE);

		far = min(ALIGN(host * 40, 1ULL << 30), 60ULL << 40);
	}
	mm_config_default(&cfg);
	cfg.nr_ranges = 2;
	cfg.ranges[0] = (struct mmfs_range){ 0, 64ULL << 20 };
	cfg.ranges[1] = (struct mmfs_range){ far, 64ULL << 20 };
	cfg.mem = 128ULL << 20;
	cfg.memmodel = MMFS_MEMMODEL_FLAT;
	assert_int_equal(mm_boot(&cfg, err, sizeof(err)), -ENOMEM);
	assert_non_null(strstr(err, "struct page"));
	assert_int_equal(mmfs_booted, 0);
	/* the same layout costs two sections under sparse */
	cfg.memmodel = MMFS_MEMMODEL_SPARSE;
	assert_int_equal(mm_boot(&cfg, err, sizeof(err)), 0);
	assert_int_equal(mmfs_arena.memmap_bytes, 2 * PAGES_PER_SECTION * 64);
	assert_true(pfn_valid(far >> PAGE_SHIFT));
	assert_false(pfn_valid((far >> PAGE_SHIFT) - 1));
	mm_shutdown();

	/* a hand-made config gets the parser's checks */
	mm_config_default(&cfg);
	cfg.memmodel = (enum mmfs_memmodel)7;
	assert_int_equal(mm_boot(&cfg, err, sizeof(err)), -EINVAL);
	mm_config_default(&cfg);
	cfg.mem = (64ULL << 20) + 4096;
	assert_int_equal(mm_boot(&cfg, err, sizeof(err)), -EINVAL);
	mm_config_default(&cfg);
	cfg.nr_ranges = 2;
	cfg.ranges[0] = (struct mmfs_range){ 4ULL << 30, 64ULL << 20 };
	cfg.ranges[1] = (struct mmfs_range){ 0, 64ULL << 20 };
	assert_int_equal(mm_boot(&cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "out of order"));
	cfg.nr_ranges = MMFS_MAX_RANGES + 1;
	assert_int_equal(mm_boot(&cfg, err, sizeof(err)), -EINVAL);
	assert_int_equal(mmfs_booted, 0);

	/* already booted */
	boot_ok("");
	mm_config_default(&cfg);
	assert_int_equal(mm_boot(&cfg, err, sizeof(err)), -EBUSY);
	assert_int_equal(mmfs_booted, 1);
}

/* ------------------------------------------------------------ vmstat */

static void test_vmstat(void **state)
{
	struct zone *zone, *normal;
	unsigned long ev[NR_VM_EVENT_ITEMS], ev2[NR_VM_EVENT_ITEMS];
	long t;

	(void)state;
	boot_ok("mem=4G,cpus=2");
	/* calculate_normal_threshold: 2 * fls(2) * (1 + fls(managed >> 15)) */
	for_each_populated_zone(zone) {
		unsigned long mem = zone_managed_pages(zone) >> (27 - PAGE_SHIFT);
		int expect = min(125, 2 * 2 * (1 + fls((unsigned int)mem)));

		assert_int_equal(calculate_normal_threshold(zone), expect);
		assert_int_equal(zone->per_cpu_zonestats[0].stat_threshold, expect);
		assert_int_equal(zone->per_cpu_zonestats[1].stat_threshold, expect);
	}
	/* the kernel's worked example: DMA32 of ~2G -> fls(15) = 4 -> 20 */
	assert_int_equal(calculate_normal_threshold(Z(0, ZONE_DMA32)), 20);

	normal = Z(0, ZONE_NORMAL);
	t = normal->per_cpu_zonestats[0].stat_threshold;
	fold_vm_stats();
	assert_int_equal(zone_page_state_folded(normal, NR_ZONE_WRITE_PENDING), 0);
	__mod_zone_page_state(normal, NR_ZONE_WRITE_PENDING, 3);
	/* exact at once, folded only past the threshold */
	assert_int_equal(zone_page_state(normal, NR_ZONE_WRITE_PENDING), 3);
	assert_int_equal(zone_page_state_snapshot(normal, NR_ZONE_WRITE_PENDING), 3);
	assert_int_equal(global_zone_page_state(NR_ZONE_WRITE_PENDING), 3);
	/* past the threshold on whatever CPU we are on now: folded */
	mod_zone_page_state(normal, NR_ZONE_WRITE_PENDING, t + 1);
	assert_int_equal(zone_page_state(normal, NR_ZONE_WRITE_PENDING), 3 + t + 1);
	assert_true(zone_page_state_folded(normal, NR_ZONE_WRITE_PENDING) >= (unsigned long)t + 1);
	mod_zone_page_state(normal, NR_ZONE_WRITE_PENDING, -(3 + t + 1));
	fold_vm_stats();
	assert_int_equal(zone_page_state_folded(normal, NR_ZONE_WRITE_PENDING), 0);
	assert_int_equal(global_zone_page_state(NR_ZONE_WRITE_PENDING), 0);

	/* node items: the *_B slab items take bytes and count pages */
	mod_node_page_state(NODE_DATA(0), NR_SHMEM, 7);
	assert_int_equal(node_page_state(NODE_DATA(0), NR_SHMEM), 7);
	assert_int_equal(global_node_page_state(NR_SHMEM), 7);
	{
		unsigned long before = node_page_state(NODE_DATA(0), NR_SLAB_RECLAIMABLE_B);

		mod_node_page_state(NODE_DATA(0), NR_SLAB_RECLAIMABLE_B, 2 * PAGE_SIZE);
		assert_int_equal(node_page_state(NODE_DATA(0), NR_SLAB_RECLAIMABLE_B), before + 2);
		mod_node_page_state(NODE_DATA(0), NR_SLAB_RECLAIMABLE_B, -2 * (long)PAGE_SIZE);
	}

	all_vm_events(ev);
	count_vm_events(PGPGIN, 5);
	count_vm_event(PGMAJFAULT);
	all_vm_events(ev2);
	assert_int_equal(ev2[PGPGIN] - ev[PGPGIN], 5);
	assert_int_equal(ev2[PGMAJFAULT] - ev[PGMAJFAULT], 1);

	{
		unsigned long before = zone_numa_event_state(normal, NUMA_OTHER);

		__inc_numa_state(normal, NUMA_OTHER);
		assert_int_equal(zone_numa_event_state(normal, NUMA_OTHER), before + 1);
		assert_true(global_numa_event_state(NUMA_OTHER) >= before + 1);
	}

	/* /proc/vmstat spelling */
	assert_string_equal(zone_stat_names[NR_FREE_PAGES], "nr_free_pages");
	assert_string_equal(zone_stat_names[NR_ZONE_INACTIVE_ANON], "nr_zone_inactive_anon");
	assert_string_equal(zone_stat_names[NR_FREE_CMA_PAGES], "nr_free_cma");
	assert_string_equal(numa_stat_names[NUMA_INTERLEAVE_HIT], "numa_interleave");
	assert_string_equal(node_stat_names[NR_SLAB_RECLAIMABLE_B], "nr_slab_reclaimable");
	assert_string_equal(node_stat_names[NR_ANON_MAPPED], "nr_anon_pages");
	assert_string_equal(node_stat_names[NR_FILE_MAPPED], "nr_mapped");
	assert_string_equal(node_stat_names[NR_FOLL_PIN_RELEASED], "nr_foll_pin_released");
	assert_string_equal(node_stat_names[NR_KERNEL_STACK_KB], "nr_kernel_stack");
	assert_string_equal(node_stat_names[NR_SEC_PAGETABLE], "nr_sec_page_table_pages");
	assert_string_equal(vm_event_names[PGALLOC_DMA32], "pgalloc_dma32");
	assert_string_equal(vm_event_names[PGALLOC_HIGH], "pgalloc_high");
	assert_string_equal(vm_event_names[ALLOCSTALL_MOVABLE], "allocstall_movable");
	assert_string_equal(vm_event_names[PGFREE], "pgfree");
	assert_string_equal(vm_event_names[COMPACTSTALL], "compact_stall");
	assert_string_equal(vm_event_names[HTLB_BUDDY_PGALLOC], "htlb_buddy_alloc_success");
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		assert_non_null(vm_event_names[i]);
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		assert_non_null(node_stat_names[i]);

	/* counters start from zero after a reboot */
	mm_shutdown();
	boot_ok("");
	assert_int_equal(global_node_page_state(NR_SHMEM), 0);
	all_vm_events(ev);
	assert_int_equal(ev[PGPGIN], 0);
	assert_int_equal(ev[PGMAJFAULT], 0);
}

/* Many counter updates from several threads add up exactly. */
static void *stat_worker(void *arg)
{
	struct zone *zone = arg;

	for (int i = 0; i < 100000; i++) {
		__mod_zone_page_state(zone, NR_BOUNCE, (i & 1) ? -1 : 2);
		count_vm_event(PGREUSE);
	}
	return NULL;
}

static void test_vmstat_threads(void **state)
{
	pthread_t th[4];
	unsigned long ev[NR_VM_EVENT_ITEMS];

	(void)state;
	boot_ok("cpus=2");
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, stat_worker, Z(0, ZONE_DMA32));
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(zone_page_state(Z(0, ZONE_DMA32), NR_BOUNCE), 4 * 50000);
	fold_vm_stats();
	assert_int_equal(zone_page_state_folded(Z(0, ZONE_DMA32), NR_BOUNCE), 4 * 50000);
	all_vm_events(ev);
	assert_int_equal(ev[PGREUSE], 400000);
}

/* ------------------------------------------------------- reboots */

static long vm_size_kb(void)
{
	long size = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &size, &rss) != 2)
			size = 0;
		fclose(f);
	}
	return size * (sysconf(_SC_PAGESIZE) / 1024);
}

static void test_reboot_no_leaks(void **state)
{
	static const char * const configs[] = {
		"", "nodes=2", "memmodel=classic", "memmodel=flat,memmap=64M@0",
		"movablecore=32M,highmem=32M", "hugepages=off,cpus=4", "nodes=3,mem=96M",
	};
	size_t heap1, heap2;
	long vm1, vm2;
	size_t len;
	char *log;

	(void)state;
	/* warm up once so lazily grown libc state is in place */
	for (size_t i = 0; i < ARRAY_SIZE(configs); i++) {
		boot_ok(configs[i]);
		mm_shutdown();
	}
	heap1 = mallinfo2().uordblks;
	vm1 = vm_size_kb();
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < ARRAY_SIZE(configs); i++) {
			boot_ok(configs[i]);
			check_invariants();
			mm_shutdown();
			assert_int_equal(mmfs_booted, 0);
			assert_int_equal(nr_online_nodes, 0);
			assert_int_equal(totalram_pages_count, 0);
			assert_null(mmfs_arena.base);
		}
	}
	heap2 = mallinfo2().uordblks;
	vm2 = vm_size_kb();
	if (heap2 > heap1 + 65536)	/* glibc tcache keeps freed chunks "in use" */
		fail_msg("heap grew by %zu bytes over 21 boots", heap2 - heap1);
#ifdef __SANITIZE_ADDRESS__
	/* ASan keeps freed blocks mapped in its quarantine; LSan checks leaks at exit */
	if (vm2 > vm1 + 256 * 1024)
#else
	if (vm2 > vm1 + 1024)
#endif
		fail_msg("address space grew by %ld KiB over 21 boots", vm2 - vm1);
	/* the log is emptied by shutdown */
	log = mm_log_snapshot(&len);
	assert_int_equal(len, 0);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test_teardown(test_boot_rejects, unit_teardown),
		cmocka_unit_test_teardown(test_default_layout, unit_teardown),
		cmocka_unit_test_teardown(test_memmap_layout, unit_teardown),
		cmocka_unit_test_teardown(test_nodes_layout, unit_teardown),
		cmocka_unit_test_teardown(test_movablecore, unit_teardown),
		cmocka_unit_test_teardown(test_highmem, unit_teardown),
		cmocka_unit_test_teardown(test_memory_models, unit_teardown),
		cmocka_unit_test_teardown(test_classic_encoding, unit_teardown),
		cmocka_unit_test_teardown(test_pageblocks_movable, unit_teardown),
		cmocka_unit_test_teardown(test_zonelists, unit_teardown),
		cmocka_unit_test_teardown(test_boot_log, unit_teardown),
		cmocka_unit_test_teardown(test_cpus, unit_teardown),
		cmocka_unit_test_teardown(test_min_free_kbytes, unit_teardown),
		cmocka_unit_test_teardown(test_vmstat, unit_teardown),
		cmocka_unit_test_teardown(test_vmstat_threads, unit_teardown),
		cmocka_unit_test_teardown(test_reboot_no_leaks, unit_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
