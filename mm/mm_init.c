/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mm_init.c - booting the simulated machine (mm/mm_init.c and the parts of
 * mm/page_alloc.c, mm/memblock.c, arch/x86/kernel/e820.c, arch/x86/mm/numa.c
 * and numa_emulation.c that run before the buddy allocator is up).
 *
 * mm_boot() follows start_kernel's order:
 *   e820 map (mem=/memmap=)  ->  fake NUMA nodes (nodes=: RAM cut into N
 *   equal parts, as numa=fake)  ->  zone ranges (x86-64: DMA below 16 MiB,
 *   DMA32 below 4 GiB, Normal above; HighMem from highmem= at the top of
 *   memory; Movable from movablecore= by find_zone_movable_pfns_for_nodes)
 *   ->  the arena (arena.c) and the memmap (memory_model.c)  ->
 *   free_area_init: per node spanned/present per zone, zone structures,
 *   pageblock bitmaps (setup_usemap)  ->  memblock reservations (the low
 *   64 KiB, the memmap top-down in each node below the lowmem limit)  ->
 *   memmap_init (every struct page reserved, refcount 1, mapcount reset,
 *   links set; pageblocks MIGRATE_MOVABLE; holes inside backed sections
 *   through init_unavailable_range) fused with memblock_free_all (free
 *   ranges into the buddy lists in naturally aligned blocks of at most
 *   MAX_ORDER-1, __free_pages_memory -> __free_pages_core)  ->
 *   build_all_zonelists  ->  init_per_zone_wmark_min (page_alloc.c)  ->
 *   min_free_kbytes=  ->  the subsystems (slab, highmem, mmap).
 *
 * So managed = present - reserved in every zone, and nothing else.
 *
 * memblock here is a small pfn-granular table (memory regions tagged with
 * their node, sorted reserved regions) used only during boot.
 *
 * Locking: none.  mm_boot() and mm_shutdown() run with nothing else using
 * the memory manager (the caller guarantees it); everything they publish is
 * read-only afterwards except through the owners' locks.
 */
#include "internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ORDER_NR_PAGES	(1UL << (MAX_ORDER - 1))
#define MAX_DMA_PFN		((16UL << 20) >> PAGE_SHIFT)
#define MAX_DMA32_PFN		((4UL << 30) >> PAGE_SHIFT)
#define X86_RESERVE_LOW		(64UL << 10)	/* CONFIG_X86_RESERVE_LOW */
#define MMFS_MIN_MEM		(4UL << 20)	/* smallest machine (and node) */
#define MMFS_MAX_CPUS		1024
#define K(pages)		((pages) << (PAGE_SHIFT - 10))

struct mm_config mm_cfg;
int mmfs_booted;
struct pglist_data *node_data[MAX_NUMNODES];
int nr_online_nodes;
unsigned long max_pfn, min_low_pfn, totalram_pages_count;
int page_group_by_mobility_disabled;
unsigned long vm_total_pages;
const char * const zone_names[MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "HighMem", "Movable",
};

/* ------------------------------------------------------------ memblock */
struct memblock_region {
	unsigned long base;	/* first pfn */
	unsigned long end;	/* one past the last pfn */
	int nid;		/* node (memory regions only) */
};
#define MB_MAX	(MMFS_MAX_RANGES + MAX_NUMNODES + 8)
static struct memblock_region mb_memory[MB_MAX];	/* RAM, ascending, per node */
static int mb_nr_memory;
static struct memblock_region mb_reserved[MB_MAX * 4 + 16]; /* ascending, merged */
static int mb_nr_reserved;

/* e820 usable ranges (bytes), merged and sorted */
static uint64_t e820_start[MMFS_MAX_RANGES], e820_end[MMFS_MAX_RANGES];
static int e820_nr;

static unsigned long arch_zone_lowest_possible_pfn[MAX_NR_ZONES];
static unsigned long arch_zone_highest_possible_pfn[MAX_NR_ZONES];
static unsigned long zone_movable_pfn[MAX_NUMNODES];
static int movable_zone;
static unsigned long max_low_pfn;
static bool highmem_configured;
static int hooks_booted;		/* subsystem hooks that came up */
static unsigned long memmap_reserved_pages;
static unsigned long memblock_current_limit;	/* allocations stay below (lowmem) */

/* ---------------------------------------------------------- parsing */

/**
 * mm_parse_size - parse a size with an optional K/M/G/T suffix (memparse)
 * @s: "256M", "4G", "4096K", "0x1000", "12345"
 * @bytes: result
 *
 * Return: 0, or -EINVAL for an empty, negative, malformed or overflowing size.
 */
int mm_parse_size(const char *s, uint64_t *bytes)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: break;
	}
	if (*end)
		return -EINVAL;
	if (shift && v > (~0ULL >> shift))
		return -EINVAL;
	*bytes = (uint64_t)v << shift;
	return 0;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

/**
 * mm_config_default - the SPEC §1 defaults
 * @cfg: filled in
 */
void mm_config_default(struct mm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mem = 256ULL << 20;
	cfg->nodes = 1;
	cfg->slab = MMFS_SLUB;
	cfg->min_free_kbytes = -1;
	cfg->init_on_alloc = 1;
	cfg->init_on_free = 0;
	cfg->hugepages = MMFS_HUGEPAGES_AUTO;
	cfg->memmodel = MMFS_MEMMODEL_SPARSE;
}

static int parse_memmap(struct mm_config *cfg, const char *value, char *err, size_t errlen)
{
	struct mmfs_range r[MMFS_MAX_RANGES];
	char buf[1024], *save = NULL, *tok;
	uint64_t total = 0;
	int n = 0;

	if (!*value || strlen(value) >= sizeof(buf) || value[0] == '+' ||
	    value[strlen(value) - 1] == '+' || strstr(value, "++")) {
		snprintf(err, errlen, "memmap=%s: expected SIZE@START[+SIZE@START...]", value);
		return -EINVAL;
	}
	strcpy(buf, value);
	for (tok = strtok_r(buf, "+", &save); tok; tok = strtok_r(NULL, "+", &save)) {
		char *at = strchr(tok, '@');

		if (n == MMFS_MAX_RANGES) {
			snprintf(err, errlen, "memmap=: too many ranges (at most %d)", MMFS_MAX_RANGES);
			return -EINVAL;
		}
		if (!at) {
			snprintf(err, errlen, "memmap=: '%s' is not SIZE@START", tok);
			return -EINVAL;
		}
		*at = '\0';
		if (mm_parse_size(tok, &r[n].size) || mm_parse_size(at + 1, &r[n].start)) {
			snprintf(err, errlen, "memmap=: bad size in '%s@%s'", tok, at + 1);
			return -EINVAL;
		}
		if (!r[n].size || (r[n].size | r[n].start) & (PAGE_SIZE - 1)) {
			snprintf(err, errlen, "memmap=: range %s@%s must be non-empty and 4K aligned", tok, at + 1);
			return -EINVAL;
		}
		if (r[n].start >= (1ULL << MAX_PHYSMEM_BITS) ||
		    r[n].size > (1ULL << MAX_PHYSMEM_BITS) - r[n].start) {
			snprintf(err, errlen, "memmap=: range %s@%s ends beyond the %d-bit physical address space",
				 tok, at + 1, MAX_PHYSMEM_BITS);
			return -EINVAL;
		}
		if (n && r[n].start < r[n - 1].start + r[n - 1].size) {
			snprintf(err, errlen, "memmap=: range %s@%s overlaps or is below the one before (ranges must be sorted and disjoint)",
				 tok, at + 1);
			return -EINVAL;
		}
		total += r[n].size;
		n++;
	}
	if (!n) {
		snprintf(err, errlen, "memmap=%s: no ranges", value);
		return -EINVAL;
	}
	if (total < MMFS_MIN_MEM) {
		snprintf(err, errlen, "memmap=: %llu KiB of RAM is too little (at least 4M)",
			 (unsigned long long)(total >> 10));
		return -EINVAL;
	}
	memcpy(cfg->ranges, r, sizeof(r[0]) * (size_t)n);
	cfg->nr_ranges = n;
	cfg->mem = total;
	return 0;
}

/* Sizes must leave RAM for the kernel; checked again at boot. */
static int check_carveout(const char *key, uint64_t v, uint64_t mem, char *err, size_t errlen)
{
	if (v && v >= mem) {
		snprintf(err, errlen, "%s=%llu: must be smaller than RAM (%llu MiB)", key,
			 (unsigned long long)v, (unsigned long long)(mem >> 20));
		return -EINVAL;
	}
	return 0;
}

/**
 * mm_config_parse - parse one SPEC §1 option into @cfg
 * @cfg: configuration being built (starts from mm_config_default)
 * @key: option name ("mem", "memmap", ...)
 * @value: its value
 * @err: one-line reason on failure
 * @errlen: size of @err
 *
 * Return: 0; -EINVAL with a message (cfg unchanged); -ENOENT for a key
 * that is not an mm option.
 */
int mm_config_parse(struct mm_config *cfg, const char *key, const char *value,
		    char *err, size_t errlen)
{
	uint64_t sz;
	long v;

	if (!key || !value) {
		snprintf(err, errlen, "missing option");
		return -EINVAL;
	}
	if (!strcmp(key, "mem")) {
		if (mm_parse_size(value, &sz)) {
			snprintf(err, errlen, "mem=%s: bad size (use e.g. 256M, 4G)", value);
			return -EINVAL;
		}
		if (sz < MMFS_MIN_MEM || sz >= (1ULL << MAX_PHYSMEM_BITS) / 2) {
			snprintf(err, errlen, "mem=%s: out of range (4M .. 32T)", value);
			return -EINVAL;
		}
		if (sz & (2 * PAGE_SIZE - 1)) {
			snprintf(err, errlen, "mem=%s: must be a multiple of 8K", value);
			return -EINVAL;
		}
		if (cfg->nr_ranges && sz != cfg->mem) {
			snprintf(err, errlen, "mem=%s conflicts with memmap= (%llu MiB of RAM)", value,
				 (unsigned long long)(cfg->mem >> 20));
			return -EINVAL;
		}
		cfg->mem = sz;
		return 0;
	}
	if (!strcmp(key, "memmap"))
		return parse_memmap(cfg, value, err, errlen);
	if (!strcmp(key, "nodes")) {
		if (parse_long(value, 1, MAX_NUMNODES, &v)) {
			snprintf(err, errlen, "nodes=%s: must be 1..%d", value, MAX_NUMNODES);
			return -EINVAL;
		}
		cfg->nodes = (int)v;
		return 0;
	}
	if (!strcmp(key, "cpus")) {
		if (parse_long(value, 1, MMFS_MAX_CPUS, &v)) {
			snprintf(err, errlen, "cpus=%s: must be 1..%d", value, MMFS_MAX_CPUS);
			return -EINVAL;
		}
		cfg->cpus = (int)v;
		return 0;
	}
	if (!strcmp(key, "movablecore") || !strcmp(key, "highmem") || !strcmp(key, "user_limit")) {
		if (mm_parse_size(value, &sz)) {
			snprintf(err, errlen, "%s=%s: bad size (use e.g. 64M)", key, value);
			return -EINVAL;
		}
		if (key[0] == 'u') {
			cfg->user_limit = sz;
			return 0;
		}
		if (sz & (PAGE_SIZE - 1)) {
			snprintf(err, errlen, "%s=%s: must be a multiple of 4K", key, value);
			return -EINVAL;
		}
		if (check_carveout(key, sz, cfg->mem, err, errlen))
			return -EINVAL;
		if (key[0] == 'm')
			cfg->movablecore = sz;
		else
			cfg->highmem = sz;
		return 0;
	}
	if (!strcmp(key, "slab")) {
		if (!strcmp(value, "slub"))
			cfg->slab = MMFS_SLUB;
		else if (!strcmp(value, "slab"))
			cfg->slab = MMFS_SLAB;
		else if (!strcmp(value, "slob"))
			cfg->slab = MMFS_SLOB;
		else {
			snprintf(err, errlen, "slab=%s: must be slub, slab or slob", value);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "slub_debug")) {
		size_t i, n = strlen(value);

		if (n >= sizeof(cfg->slub_debug)) {
			snprintf(err, errlen, "slub_debug: value too long (at most %zu characters)",
				 sizeof(cfg->slub_debug) - 1);
			return -EINVAL;
		}
		for (i = 0; i < n && value[i] != ':'; i++) {
			if (!strchr("FZPUTOAfzputoa-", value[i])) {
				snprintf(err, errlen, "slub_debug=%s: unknown flag '%c' (F Z P U T O A -)",
					 value, value[i]);
				return -EINVAL;
			}
		}
		if (i < n && (value[i + 1] == '\0' || strstr(value + i, "++") ||
			      value[n - 1] == '+')) {
			snprintf(err, errlen, "slub_debug=%s: empty cache name", value);
			return -EINVAL;
		}
		strcpy(cfg->slub_debug, value);
		return 0;
	}
	if (!strcmp(key, "debug_guardpage_minorder")) {
		/* debug_guardpage_minorder_setup: at most MAX_PAGE_ORDER / 2
		 * (MMFS: a bad value is an error, the kernel ignores it) */
		if (parse_long(value, 0, MAX_PAGE_ORDER / 2, &v)) {
			snprintf(err, errlen, "debug_guardpage_minorder=%s: must be 0..%d", value,
				 MAX_PAGE_ORDER / 2);
			return -EINVAL;
		}
		cfg->debug_guardpage_minorder = (unsigned int)v;
		return 0;
	}
	if (!strcmp(key, "min_free_kbytes")) {
		if (parse_long(value, 0, 0x7fffffffL, &v)) {
			snprintf(err, errlen, "min_free_kbytes=%s: must be a number >= 0", value);
			return -EINVAL;
		}
		cfg->min_free_kbytes = v;
		return 0;
	}
	if (!strcmp(key, "init_on_alloc") || !strcmp(key, "init_on_free")) {
		if (parse_long(value, 0, 1, &v)) {
			snprintf(err, errlen, "%s=%s: must be 0 or 1", key, value);
			return -EINVAL;
		}
		if (!strcmp(key, "init_on_alloc"))
			cfg->init_on_alloc = (int)v;
		else
			cfg->init_on_free = (int)v;
		return 0;
	}
	if (!strcmp(key, "hugepages")) {
		if (!strcmp(value, "auto"))
			cfg->hugepages = MMFS_HUGEPAGES_AUTO;
		else if (!strcmp(value, "on"))
			cfg->hugepages = MMFS_HUGEPAGES_ON;
		else if (!strcmp(value, "off"))
			cfg->hugepages = MMFS_HUGEPAGES_OFF;
		else {
			snprintf(err, errlen, "hugepages=%s: must be auto, on or off", value);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "memmodel")) {
		if (!strcmp(value, "sparse"))
			cfg->memmodel = MMFS_MEMMODEL_SPARSE;
		else if (!strcmp(value, "classic"))
			cfg->memmodel = MMFS_MEMMODEL_CLASSIC;
		else if (!strcmp(value, "flat"))
			cfg->memmodel = MMFS_MEMMODEL_FLAT;
		else {
			snprintf(err, errlen, "memmodel=%s: must be sparse, classic or flat", value);
			return -EINVAL;
		}
		return 0;
	}
	snprintf(err, errlen, "%s: not a memory-manager option", key);
	return -ENOENT;
}

/* ------------------------------------------------------ NUMA topology */

int numa_node_id(void)
{
	return cpu_to_node(smp_processor_id());
}

unsigned int nr_cpus_node(int nid)
{
	unsigned int n = nr_online_nodes > 0 ? (unsigned int)nr_online_nodes : 1;

	return nr_cpu_ids / n + ((unsigned int)nid < nr_cpu_ids % n);
}

/**
 * node_distance - SLIT-style distance between two nodes
 * Return: 10 for the local node, 20 for any other (numa=fake).
 */
int node_distance(int a, int b)
{
	return a == b ? 10 : 20;
}

bool zone_type_configured(enum zone_type t)
{
	return t != ZONE_HIGHMEM || highmem_configured;
}

struct zone *first_online_zone(void)
{
	return nr_online_nodes && NODE_DATA(0) ? &NODE_DATA(0)->node_zones[0] : NULL;
}

/* next_zone: the next zone of the node, then the first of the next node */
struct zone *next_zone(struct zone *zone)
{
	pg_data_t *pgdat = zone->zone_pgdat;

	if (zone < pgdat->node_zones + MAX_NR_ZONES - 1)
		return zone + 1;
	if (pgdat->node_id + 1 < nr_online_nodes && NODE_DATA(pgdat->node_id + 1))
		return NODE_DATA(pgdat->node_id + 1)->node_zones;
	return NULL;
}

/* ---------------------------------------------------------- memblock */

static void memblock_add_node(unsigned long base, unsigned long end, int nid)
{
	if (end > base && mb_nr_memory < MB_MAX)
		mb_memory[mb_nr_memory++] = (struct memblock_region){ base, end, nid };
}

/* memblock_reserve: insert [base, end) and merge neighbours */
static int memblock_reserve(unsigned long base, unsigned long end)
{
	int i, j;

	if (end <= base)
		return 0;
	if (mb_nr_reserved == (int)ARRAY_SIZE(mb_reserved))
		return -ENOMEM;
	for (i = 0; i < mb_nr_reserved && mb_reserved[i].base < base; i++)
		;
	memmove(&mb_reserved[i + 1], &mb_reserved[i],
		sizeof(mb_reserved[0]) * (size_t)(mb_nr_reserved - i));
	mb_reserved[i] = (struct memblock_region){ base, end, NUMA_NO_NODE };
	mb_nr_reserved++;
	/* merge overlapping or touching regions */
	for (i = 0, j = 1; j < mb_nr_reserved; j++) {
		if (mb_reserved[j].base <= mb_reserved[i].end) {
			mb_reserved[i].end = max(mb_reserved[i].end, mb_reserved[j].end);
		} else {
			mb_reserved[++i] = mb_reserved[j];
		}
	}
	mb_nr_reserved = i + 1;
	return 0;
}

/*
 * memblock_alloc_range_nid, top-down: the highest @align-aligned block of
 * @size pfns inside node @nid's memory, at or above @min_pfn, that is not
 * reserved.  Reserves it.  Returns the first pfn or -1UL.
 */
static unsigned long memblock_alloc_top_down(unsigned long size, unsigned long align,
					     unsigned long min_pfn, int nid)
{
	int i, r;

	for (i = mb_nr_memory - 1; i >= 0; i--) {
		struct memblock_region *m = &mb_memory[i];
		unsigned long hi = m->end;

		if (nid != NUMA_NO_NODE && m->nid != nid)
			continue;
		/* walk the free gaps of this region from the top */
		for (r = mb_nr_reserved; r >= 0; r--) {
			unsigned long gap_lo = r ? mb_reserved[r - 1].end : 0;
			unsigned long gap_hi = r < mb_nr_reserved ? mb_reserved[r].base : ~0UL;
			unsigned long lo, top, cand;

			lo = max(max(gap_lo, m->base), min_pfn);
			top = min(min(gap_hi, hi), memblock_current_limit);
			if (top <= lo || top - lo < size)
				continue;
			cand = ALIGN_DOWN(top - size, align);
			if (cand < lo)
				continue;
			if (memblock_reserve(cand, cand + size))
				return -1UL;
			return cand;
		}
	}
	return -1UL;
}

/* ------------------------------------------------------------- layout */

/* e820 from mem=/memmap=: sorted, touching ranges merged */
static void e820_build(const struct mm_config *cfg)
{
	int i;

	e820_nr = 0;
	if (!cfg->nr_ranges) {
		uint64_t low = ALIGN_DOWN(cfg->mem / 2, PAGE_SIZE);

		/* MMFS: keep at least a 1 GiB PCI hole below 4 GiB */
		low = min(low, 3ULL << 30);
		e820_start[0] = 0;
		e820_end[0] = low;
		e820_start[1] = 4ULL << 30;
		e820_end[1] = (4ULL << 30) + (cfg->mem - low);
		e820_nr = 2;
		return;
	}
	for (i = 0; i < cfg->nr_ranges; i++) {
		uint64_t s = cfg->ranges[i].start, e = s + cfg->ranges[i].size;

		if (e820_nr && e820_end[e820_nr - 1] == s) {
			e820_end[e820_nr - 1] = e;
			continue;
		}
		e820_start[e820_nr] = s;
		e820_end[e820_nr++] = e;
	}
}

static void e820_print(void)
{
	int i;

	pr_info("BIOS-provided physical RAM map:");
	for (i = 0; i < e820_nr; i++)
		pr_info("BIOS-e820: [mem 0x%016llx-0x%016llx] usable",
			(unsigned long long)e820_start[i], (unsigned long long)e820_end[i] - 1);
}

static unsigned long ram_pages(void)
{
	unsigned long n = 0;
	int i;

	for (i = 0; i < e820_nr; i++)
		n += (unsigned long)((e820_end[i] - e820_start[i]) >> PAGE_SHIFT);
	return n;
}

/*
 * numa=fake=N: cut RAM into @nodes parts of equal size (MAX_ORDER-aligned,
 * the last takes the remainder) and tag the memblock memory with them.
 */
static int numa_emulation(int nodes, char *err, size_t errlen)
{
	unsigned long total = ram_pages(), per, done = 0;
	int i, nid = 0;

	per = ALIGN_DOWN(total / (unsigned long)nodes, MAX_ORDER_NR_PAGES);
	if (per < (MMFS_MIN_MEM >> PAGE_SHIFT)) {
		snprintf(err, errlen, "nodes=%d: too many nodes for %lu MiB of RAM (each needs at least 4 MiB)",
			 nodes, total >> (20 - PAGE_SHIFT));
		return -EINVAL;
	}
	mb_nr_memory = 0;
	for (i = 0; i < e820_nr; i++) {
		unsigned long s = (unsigned long)(e820_start[i] >> PAGE_SHIFT);
		unsigned long e = (unsigned long)(e820_end[i] >> PAGE_SHIFT);

		while (s < e) {
			unsigned long left = nid == nodes - 1 ? ~0UL : (nid + 1) * per - done;
			unsigned long take = min(left, e - s);

			memblock_add_node(s, s + take, nid);
			s += take;
			done += take;
			if (take == left)
				nid++;
		}
	}
	nr_online_nodes = nodes;
	if (nodes > 1) {
		for (nid = 0; nid < nodes; nid++) {
			unsigned long lo = ~0UL, hi = 0, n = 0;

			for (i = 0; i < mb_nr_memory; i++) {
				if (mb_memory[i].nid != nid)
					continue;
				lo = min(lo, mb_memory[i].base);
				hi = max(hi, mb_memory[i].end);
				n += mb_memory[i].end - mb_memory[i].base;
			}
			pr_info("Faking node %d at [mem 0x%016llx-0x%016llx] (%luMB)", nid,
				(unsigned long long)PFN_PHYS(lo), (unsigned long long)PFN_PHYS(hi) - 1,
				n >> (20 - PAGE_SHIFT));
		}
	}
	return 0;
}

static void get_pfn_range_for_nid(int nid, unsigned long *start, unsigned long *end)
{
	int i;

	*start = ~0UL;
	*end = 0;
	for (i = 0; i < mb_nr_memory; i++) {
		if (mb_memory[i].nid != nid)
			continue;
		*start = min(*start, mb_memory[i].base);
		*end = max(*end, mb_memory[i].end);
	}
	if (*start == ~0UL)
		*start = 0;
}

/* pages of node @nid's memory inside [start, end) */
static unsigned long present_pages_in_range(int nid, unsigned long start, unsigned long end)
{
	unsigned long n = 0;
	int i;

	for (i = 0; i < mb_nr_memory; i++) {
		unsigned long s, e;

		if (nid != NUMA_NO_NODE && mb_memory[i].nid != nid)
			continue;
		s = max(mb_memory[i].base, start);
		e = min(mb_memory[i].end, end);
		if (e > s)
			n += e - s;
	}
	return n;
}

/* highmem=: the pfn above which @highmem bytes of RAM lie (max_low_pfn) */
static unsigned long highmem_start_pfn(uint64_t highmem)
{
	unsigned long want = (unsigned long)(highmem >> PAGE_SHIFT);
	int i;

	for (i = mb_nr_memory - 1; i >= 0 && want; i--) {
		unsigned long n = mb_memory[i].end - mb_memory[i].base;

		if (n >= want)
			return mb_memory[i].end - want;
		want -= n;
	}
	return mb_memory[0].base;
}

/* The highest zone type (not Movable) that has a range: Movable's source. */
static void find_usable_zone_for_movable(void)
{
	int zone_index;

	for (zone_index = MAX_NR_ZONES - 1; zone_index >= 0; zone_index--) {
		if (zone_index == ZONE_MOVABLE)
			continue;
		if (arch_zone_highest_possible_pfn[zone_index] >
		    arch_zone_lowest_possible_pfn[zone_index])
			break;
	}
	movable_zone = zone_index < 0 ? ZONE_NORMAL : zone_index;
}

/*
 * find_zone_movable_pfns_for_nodes: movablecore= becomes kernelcore = RAM -
 * movablecore, spread evenly over the nodes from their bottom; what is left
 * at the top of each node is ZONE_MOVABLE (zone_movable_pfn[nid]).
 */
static void find_zone_movable_pfns_for_nodes(uint64_t movablecore)
{
	unsigned long required_kernelcore = 0, required_movablecore;
	unsigned long totalpages = present_pages_in_range(NUMA_NO_NODE, 0, ~0UL);
	unsigned long usable_startpfn;
	int usable_nodes = nr_online_nodes, nid, i;

	memset(zone_movable_pfn, 0, sizeof(zone_movable_pfn));
	find_usable_zone_for_movable();
	if (!movablecore)
		return;
	required_movablecore = (unsigned long)(movablecore >> PAGE_SHIFT);
	required_movablecore = ALIGN(required_movablecore, MAX_ORDER_NR_PAGES);
	required_movablecore = min(totalpages, required_movablecore);
	required_kernelcore = totalpages - required_movablecore;
	if (!required_kernelcore || required_kernelcore >= totalpages)
		return;

	usable_startpfn = arch_zone_lowest_possible_pfn[movable_zone];
restart:
	{
		unsigned long kernelcore_node = required_kernelcore / (unsigned long)usable_nodes;

		for (nid = 0; nid < nr_online_nodes; nid++) {
			unsigned long kernelcore_remaining;

			if (required_kernelcore < kernelcore_node)
				kernelcore_node = required_kernelcore / (unsigned long)usable_nodes;
			kernelcore_remaining = kernelcore_node;
			for (i = 0; i < mb_nr_memory; i++) {
				unsigned long start_pfn, end_pfn, size_pages;

				if (mb_memory[i].nid != nid)
					continue;
				start_pfn = max(mb_memory[i].base, zone_movable_pfn[nid]);
				end_pfn = mb_memory[i].end;
				if (start_pfn >= end_pfn)
					continue;
				/* memory below the movable source zone is kernelcore */
				if (start_pfn < usable_startpfn) {
					unsigned long kernel_pages = min(end_pfn, usable_startpfn) - start_pfn;

					kernelcore_remaining -= min(kernel_pages, kernelcore_remaining);
					required_kernelcore -= min(kernel_pages, required_kernelcore);
					if (end_pfn <= usable_startpfn) {
						zone_movable_pfn[nid] = end_pfn;
						continue;
					}
					start_pfn = usable_startpfn;
				}
				size_pages = end_pfn - start_pfn;
				if (size_pages > kernelcore_remaining)
					size_pages = kernelcore_remaining;
				zone_movable_pfn[nid] = start_pfn + size_pages;
				required_kernelcore -= min(required_kernelcore, size_pages);
				kernelcore_remaining -= size_pages;
				if (!kernelcore_remaining)
					break;
			}
		}
		usable_nodes--;
		if (usable_nodes && required_kernelcore > (unsigned long)usable_nodes)
			goto restart;
	}
	for (nid = 0; nid < nr_online_nodes; nid++) {
		unsigned long start_pfn, end_pfn;

		zone_movable_pfn[nid] = ALIGN(zone_movable_pfn[nid], MAX_ORDER_NR_PAGES);
		get_pfn_range_for_nid(nid, &start_pfn, &end_pfn);
		if (zone_movable_pfn[nid] >= end_pfn)
			zone_movable_pfn[nid] = 0;
	}
}

/* zone_sizes_init + the first half of free_area_init: arch zone ranges */
static void zone_ranges_init(const struct mm_config *cfg)
{
	unsigned long max_zone_pfn[MAX_NR_ZONES] = { 0 };
	unsigned long start_pfn, end_pfn;
	int i;

	min_low_pfn = mb_memory[0].base;
	max_pfn = mb_memory[mb_nr_memory - 1].end;
	highmem_configured = cfg->highmem != 0;
	max_low_pfn = highmem_configured ? highmem_start_pfn(cfg->highmem) : max_pfn;
	max_zone_pfn[ZONE_DMA] = min(MAX_DMA_PFN, max_low_pfn);
	max_zone_pfn[ZONE_DMA32] = min(MAX_DMA32_PFN, max_low_pfn);
	max_zone_pfn[ZONE_NORMAL] = max_low_pfn;
	max_zone_pfn[ZONE_HIGHMEM] = highmem_configured ? max_pfn : 0;

	start_pfn = min_low_pfn;
	for (i = 0; i < MAX_NR_ZONES; i++) {
		if (i == ZONE_MOVABLE)
			continue;
		end_pfn = max(max_zone_pfn[i], start_pfn);
		arch_zone_lowest_possible_pfn[i] = start_pfn;
		arch_zone_highest_possible_pfn[i] = end_pfn;
		start_pfn = end_pfn;
	}
	arch_zone_lowest_possible_pfn[ZONE_MOVABLE] = 0;
	arch_zone_highest_possible_pfn[ZONE_MOVABLE] = 0;
	find_zone_movable_pfns_for_nodes(cfg->movablecore);

	pr_info("Zone ranges:");
	for (i = 0; i < MAX_NR_ZONES; i++) {
		if (i == ZONE_MOVABLE || !zone_type_configured(i))
			continue;
		if (arch_zone_lowest_possible_pfn[i] == arch_zone_highest_possible_pfn[i])
			pr_info("  %-8s empty", zone_names[i]);
		else
			pr_info("  %-8s [mem 0x%016llx-0x%016llx]", zone_names[i],
				(unsigned long long)PFN_PHYS(arch_zone_lowest_possible_pfn[i]),
				(unsigned long long)PFN_PHYS(arch_zone_highest_possible_pfn[i]) - 1);
	}
	pr_info("Movable zone start for each node");
	for (i = 0; i < nr_online_nodes; i++)
		if (zone_movable_pfn[i])
			pr_info("  Node %d: 0x%016llx", i, (unsigned long long)PFN_PHYS(zone_movable_pfn[i]));
	pr_info("Early memory node ranges");
	for (i = 0; i < mb_nr_memory; i++)
		pr_info("  node %3d: [mem 0x%016llx-0x%016llx]", mb_memory[i].nid,
			(unsigned long long)PFN_PHYS(mb_memory[i].base),
			(unsigned long long)PFN_PHYS(mb_memory[i].end) - 1);
}

/* adjust_zone_range_for_zone_movable */
static void adjust_zone_range_for_zone_movable(int nid, int zone_type,
		unsigned long node_end_pfn, unsigned long *zone_start_pfn,
		unsigned long *zone_end_pfn)
{
	if (!zone_movable_pfn[nid])
		return;
	if (zone_type == ZONE_MOVABLE) {
		*zone_start_pfn = zone_movable_pfn[nid];
		*zone_end_pfn = min(node_end_pfn, arch_zone_highest_possible_pfn[movable_zone]);
	} else if (*zone_start_pfn < zone_movable_pfn[nid] &&
		   *zone_end_pfn > zone_movable_pfn[nid]) {
		*zone_end_pfn = zone_movable_pfn[nid];
	} else if (*zone_start_pfn >= zone_movable_pfn[nid]) {
		*zone_start_pfn = *zone_end_pfn;
	}
}

/* zone_spanned_pages_in_node */
static unsigned long zone_spanned_pages_in_node(int nid, int zone_type,
		unsigned long node_start_pfn, unsigned long node_end_pfn,
		unsigned long *zone_start_pfn, unsigned long *zone_end_pfn)
{
	*zone_start_pfn = arch_zone_lowest_possible_pfn[zone_type];
	*zone_end_pfn = arch_zone_highest_possible_pfn[zone_type];
	adjust_zone_range_for_zone_movable(nid, zone_type, node_end_pfn,
					   zone_start_pfn, zone_end_pfn);
	if (*zone_end_pfn < node_start_pfn || *zone_start_pfn > node_end_pfn)
		return 0;
	*zone_end_pfn = min(*zone_end_pfn, node_end_pfn);
	*zone_start_pfn = max(*zone_start_pfn, node_start_pfn);
	return *zone_end_pfn > *zone_start_pfn ? *zone_end_pfn - *zone_start_pfn : 0;
}

/* calculate_node_totalpages: spanned/present per zone and for the node */
static void calculate_node_totalpages(pg_data_t *pgdat, unsigned long node_start_pfn,
				      unsigned long node_end_pfn)
{
	unsigned long totalpages = 0, realtotalpages = 0;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = pgdat->node_zones + i;
		unsigned long zs, ze, size, real;

		size = zone_spanned_pages_in_node(pgdat->node_id, i, node_start_pfn,
						  node_end_pfn, &zs, &ze);
		real = size ? present_pages_in_range(pgdat->node_id, zs, ze) : 0;
		zone->zone_start_pfn = size ? zs : 0;
		zone->spanned_pages = size;
		zone->present_pages = real;
		totalpages += size;
		realtotalpages += real;
	}
	pgdat->node_spanned_pages = totalpages;
	pgdat->node_present_pages = realtotalpages;
}

/*
 * usemap_size / setup_usemap: NR_PAGEBLOCK_BITS per pageblock.  As under
 * SPARSEMEM, where each section's mem_section_usage holds the bits of its
 * pageblocks, the bits are found from the pfn alone: here every section's
 * bits in one array indexed by pfn >> pageblock_order (so the free path
 * reads a block's migratetype without going through its zone first).
 */
unsigned long *mmfs_pageblock_flags;

static int setup_usemap(void)
{
	unsigned long bits = (ALIGN(max_pfn, pageblock_nr_pages) >> pageblock_order) *
			     NR_PAGEBLOCK_BITS;

	free(mmfs_pageblock_flags);
	mmfs_pageblock_flags = calloc(ALIGN(bits, 64) / 64 + 1, sizeof(unsigned long));
	return mmfs_pageblock_flags ? 0 : -ENOMEM;
}

/* free_area_init_core for one node: the zone structures */
static int free_area_init_node(int nid)
{
	pg_data_t *pgdat;
	unsigned long start_pfn, end_pfn;
	int j;

	pgdat = aligned_alloc(64, ALIGN(sizeof(*pgdat), 64));
	if (!pgdat)
		return -ENOMEM;
	memset(pgdat, 0, sizeof(*pgdat));
	node_data[nid] = pgdat;
	pgdat->node_id = nid;
	get_pfn_range_for_nid(nid, &start_pfn, &end_pfn);
	pgdat->node_start_pfn = start_pfn;
	calculate_node_totalpages(pgdat, start_pfn, end_pfn);
	pr_info("Initmem setup node %d [mem 0x%016llx-0x%016llx]", nid,
		(unsigned long long)PFN_PHYS(start_pfn),
		end_pfn ? (unsigned long long)PFN_PHYS(end_pfn) - 1 : 0);

	for (j = 0; j < MAX_NR_ZONES; j++) {
		struct zone *zone = pgdat->node_zones + j;
		int ret;

		zone->name = zone_names[j];
		zone->node = nid;
		zone->zone_pgdat = pgdat;
		spin_lock_init(&zone->lock);
		atomic_long_set(&zone->managed_pages, 0);
		zone_init_free_lists(zone);
		ret = zone_pcp_init(zone);
		if (ret)
			return ret;
		zone->initialized = 1;
		if (zone->present_pages)
			pgdat->nr_zones = j + 1;
	}
	return 0;
}

/* ------------------------------------------------------------ memmap */

/*
 * __init_single_page for @n pages from @page (contiguous struct pages):
 * links, refcount 1, mapcount reset, PageReserved, lru self-linked.  The
 * memmap is fresh zeroed memory, so only the non-zero words are written.
 */
static void init_pages(struct page *page, unsigned long n, unsigned long flags)
{
	struct page *end = page + n;

	for (; page < end; page++) {
		page->flags = flags;
		page->lru.next = &page->lru;
		page->lru.prev = &page->lru;
		atomic_set(&page->_mapcount, -1);
		atomic_set(&page->_refcount, 1);
	}
}

static unsigned long page_init_flags(int zone, int nid, unsigned long pfn)
{
	unsigned long flags = (unsigned long)zone << ZONES_PGSHIFT |
			      (unsigned long)nid << NODES_PGSHIFT | 1UL << PG_reserved;

	if (mmfs_memmodel == MMFS_MEMMODEL_CLASSIC)
		flags |= (pfn_to_section_nr(pfn) & SECTIONS_MASK) << SECTIONS_PGSHIFT;
	return flags;
}

/* Init [start, end) section by section (struct pages contiguous within one). */
static void init_page_range(unsigned long start, unsigned long end, int zone, int nid)
{
	while (start < end) {
		unsigned long next = min(ALIGN(start + 1, PAGES_PER_SECTION), end);

		init_pages(pfn_to_page(start), next - start, page_init_flags(zone, nid, start));
		start = next;
	}
}

static void __free_pages_memory(unsigned long start, unsigned long end);

/* Release the pfns of [start, end) that no boot reservation holds. */
static void free_unreserved(unsigned long start, unsigned long end)
{
	int r;

	for (r = 0; r < mb_nr_reserved && start < end; r++) {
		if (mb_reserved[r].end <= start)
			continue;
		if (mb_reserved[r].base >= end)
			break;
		if (mb_reserved[r].base > start)
			__free_pages_memory(start, mb_reserved[r].base);
		start = max(start, mb_reserved[r].end);
	}
	if (start < end)
		__free_pages_memory(start, end);
}

/*
 * memmap_init_range (MEMINIT_EARLY) fused with memblock_free_all: in chunks
 * of one MAX_ORDER block (64 KiB of struct page, still in cache), init the
 * pages, mark their pageblocks MIGRATE_MOVABLE, then hand the unreserved
 * ones to the buddy allocator.  MMFS: the kernel frees in a second pass
 * over all of memory; the blocks and their order are the same (no
 * naturally aligned block of order < MAX_ORDER crosses a chunk), we just
 * touch each struct page while it is hot.
 */
static void memmap_init_range(unsigned long start_pfn, unsigned long end_pfn,
			      int zone, int nid)
{
	unsigned long chunk, next, pfn;

	for (chunk = start_pfn; chunk < end_pfn; chunk = next) {
		next = min(ALIGN(chunk + 1, MAX_ORDER_NR_PAGES), end_pfn);
		init_pages(pfn_to_page(chunk), next - chunk, page_init_flags(zone, nid, chunk));
		for (pfn = ALIGN(chunk, pageblock_nr_pages); pfn < next; pfn += pageblock_nr_pages)
			set_pageblock_migratetype(pfn_to_page(pfn), MIGRATE_MOVABLE);
		free_unreserved(chunk, next);
	}
}

/*
 * init_unavailable_range: struct pages of holes that have a memmap (inside
 * a backed section, or anywhere under FLATMEM) become reserved pages of the
 * zone whose range follows the hole.
 */
static void init_unavailable_range(unsigned long spfn, unsigned long epfn, int zone, int nid)
{
	unsigned long pfn, pgcnt = 0;

	for (pfn = spfn; pfn < epfn; ) {
		unsigned long next;

		if (!mmfs_memmap_present(pageblock_start_pfn(pfn))) {
			pfn = pageblock_start_pfn(pfn) + pageblock_nr_pages;
			continue;
		}
		next = min(pageblock_start_pfn(pfn) + pageblock_nr_pages, epfn);
		init_page_range(pfn, next, zone, nid);
		pgcnt += next - pfn;
		pfn = next;
	}
	if (pgcnt)
		pr_info("On node %d, zone %s: %lu pages in unavailable ranges", nid,
			zone_names[zone], pgcnt);
}

/* memmap_init: every memory region, clipped to each populated zone */
static void memmap_init(void)
{
	unsigned long hole_pfn = 0, end_pfn = 0;
	int i, j, zone_id = 0, nid = 0;

	for (i = 0; i < mb_nr_memory; i++) {
		pg_data_t *node = NODE_DATA(mb_memory[i].nid);

		nid = mb_memory[i].nid;
		end_pfn = mb_memory[i].end;
		for (j = 0; j < MAX_NR_ZONES; j++) {
			struct zone *zone = node->node_zones + j;
			unsigned long s, e;

			if (!populated_zone(zone))
				continue;
			s = clamp(mb_memory[i].base, zone->zone_start_pfn, zone_end_pfn(zone));
			e = clamp(mb_memory[i].end, zone->zone_start_pfn, zone_end_pfn(zone));
			zone_id = j;
			if (s >= e)
				continue;
			memmap_init_range(s, e, j, nid);
			if (hole_pfn < s)
				init_unavailable_range(hole_pfn, s, j, nid);
			hole_pfn = e;
		}
	}
	if (mmfs_memmodel != MMFS_MEMMODEL_FLAT)
		end_pfn = ALIGN(end_pfn, PAGES_PER_SECTION);
	if (hole_pfn < end_pfn)
		init_unavailable_range(hole_pfn, end_pfn, zone_id, nid);
}

/* -------------------------------------------------------- reservations */

/*
 * Reserve @n pages for the memmap: one block top-down in @nid (aligned to
 * @align, at or above @min_pfn) as sparse_buffer_init/alloc_node_mem_map
 * ask memblock for; if the node has no such block, in 2 MiB pieces, then
 * page by page, then on any node.  MMFS: the kernel would fail the boot
 * where we fall back; the reservation is only bookkeeping here.
 */
static int reserve_memmap_pages(unsigned long n, unsigned long align,
				unsigned long min_pfn, int nid)
{
	unsigned long piece = MMFS_SECTION_MEMMAP_BYTES >> PAGE_SHIFT;

	if (memblock_alloc_top_down(n, align, min_pfn, nid) != -1UL)
		return 0;
	while (n) {
		unsigned long want = min(n, piece);

		if (memblock_alloc_top_down(want, 1, 0, nid) == -1UL &&
		    memblock_alloc_top_down(want, 1, 0, NUMA_NO_NODE) == -1UL) {
			if (want == 1)
				return -ENOMEM;
			piece = 1;
			continue;
		}
		n -= want;
	}
	return 0;
}

/*
 * The boot reservations: the low 64 KiB (trim_low_memory_range) and the
 * memmap, top-down in each node below the lowmem limit.  Their pages never
 * reach the buddy allocator, so managed = present - reserved.
 */
static int reserve_boot_memory(char *err, size_t errlen)
{
	unsigned long sec_pages = MMFS_SECTION_MEMMAP_BYTES >> PAGE_SHIFT;
	int nid, i;

	mb_nr_reserved = 0;
	memmap_reserved_pages = 0;
	memblock_current_limit = max_low_pfn;	/* memblock_set_current_limit */
	if (min_low_pfn == 0)
		memblock_reserve(0, X86_RESERVE_LOW >> PAGE_SHIFT);

	if (mmfs_memmodel == MMFS_MEMMODEL_FLAT) {
		unsigned long n = (unsigned long)(mmfs_memmap_backed_bytes() >> PAGE_SHIFT);

		if (reserve_memmap_pages(n, 1, 0, 0))
			goto nomem;
		memmap_reserved_pages = n;
		return 0;
	}
	for (nid = 0; nid < nr_online_nodes; nid++) {
		unsigned long sec, nsec = 0;

		/* a section's memmap belongs to the last node with memory in it */
		for (sec = 0; sec < mmfs_nr_sections; sec++) {
			int owner = -1;

			if (mmfs_section_state[sec] == MMFS_SECTION_NONE)
				continue;
			for (i = 0; i < mb_nr_memory; i++)
				if (mb_memory[i].base < section_nr_to_pfn(sec + 1) &&
				    mb_memory[i].end > section_nr_to_pfn(sec))
					owner = mb_memory[i].nid;
			nsec += owner == nid;
		}
		if (!nsec)
			continue;
		memmap_reserved_pages += nsec * sec_pages;
		if (reserve_memmap_pages(nsec * sec_pages, sec_pages, MAX_DMA_PFN, nid))
			goto nomem;
	}
	return 0;
nomem:
	snprintf(err, errlen, "not enough RAM for the memmap (%llu KiB of struct page)",
		 (unsigned long long)(mmfs_memmap_backed_bytes() >> 10));
	return -ENOMEM;
}

/* __free_pages_memory: naturally aligned blocks of at most MAX_ORDER-1 */
static void __free_pages_memory(unsigned long start, unsigned long end)
{
	while (start < end) {
		int order = start ? min(MAX_ORDER - 1, __ffs(start)) : MAX_ORDER - 1;

		while (start + (1UL << order) > end)
			order--;
		__free_pages_core(pfn_to_page(start), (unsigned int)order);
		start += 1UL << order;
	}
}

/* ---------------------------------------------------------- zonelists */

static int node_load[MAX_NUMNODES];

/* find_next_best_node: nearest unused node, spreading equal choices */
static int find_next_best_node(int node, uint64_t *used)
{
	int n, best_node = NUMA_NO_NODE, min_val = 0x7fffffff;

	if (!(*used & (1ULL << node))) {
		*used |= 1ULL << node;
		return node;
	}
	for (n = 0; n < nr_online_nodes; n++) {
		int val;

		if (*used & (1ULL << n))
			continue;
		val = node_distance(node, n);
		val += (n < node);			/* prefer the next node up */
		if (nr_cpus_node(n))
			val += 1;			/* PENALTY_FOR_NODE_WITH_CPUS */
		val *= MAX_NUMNODES;
		val += node_load[n];
		if (val < min_val) {
			min_val = val;
			best_node = n;
		}
	}
	if (best_node >= 0)
		*used |= 1ULL << best_node;
	return best_node;
}

/* build_zonerefs_node: managed zones, highest type first */
static int build_zonerefs_node(pg_data_t *pgdat, struct zoneref *zonerefs)
{
	int zone_type = MAX_NR_ZONES, nr = 0;

	do {
		struct zone *zone;

		zone_type--;
		zone = pgdat->node_zones + zone_type;
		if (managed_zone(zone)) {
			zonerefs[nr].zone = zone;
			zonerefs[nr].zone_idx = zone_type;
			nr++;
		}
	} while (zone_type);
	return nr;
}

static void build_zonelists(pg_data_t *pgdat)
{
	int node_order[MAX_NUMNODES], nr_nodes = 0, local = pgdat->node_id;
	int node, prev_node = local, nr = 0, i;
	uint64_t used = 0;
	struct zoneref *zr = pgdat->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	char line[MAX_NUMNODES * 4 + 64];
	int len;

	while ((node = find_next_best_node(local, &used)) >= 0) {
		if (node_distance(local, node) != node_distance(local, prev_node))
			node_load[node] += 1;
		node_order[nr_nodes++] = node;
		prev_node = node;
	}
	for (i = 0; i < nr_nodes; i++)
		nr += build_zonerefs_node(NODE_DATA(node_order[i]), zr + nr);
	zr[nr].zone = NULL;
	zr[nr].zone_idx = 0;

	zr = pgdat->node_zonelists[ZONELIST_NOFALLBACK]._zonerefs;
	nr = build_zonerefs_node(pgdat, zr);
	zr[nr].zone = NULL;
	zr[nr].zone_idx = 0;

	len = snprintf(line, sizeof(line), "Fallback order for Node %d: ", local);
	for (i = 0; i < nr_nodes && len < (int)sizeof(line) - 4; i++)
		len += snprintf(line + len, sizeof(line) - (size_t)len, "%d ", node_order[i]);
	pr_info("%s", line);
}

/* nr_free_zone_pages(gfp_zone(GFP_HIGHUSER_MOVABLE)) over the local zonelist */
static unsigned long nr_free_pagecache_pages(void)
{
	struct zoneref *z = NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	unsigned long sum = 0;

	for (; z->zone; z++) {
		unsigned long size = zone_managed_pages(z->zone);
		unsigned long high = high_wmark_pages(z->zone);

		if (size > high)
			sum += size - high;
	}
	return sum;
}

static void build_all_zonelists(void)
{
	int nid;

	memset(node_load, 0, sizeof(node_load));
	for_each_online_node(nid)
		build_zonelists(NODE_DATA(nid));
	vm_total_pages = nr_free_pagecache_pages();
	page_group_by_mobility_disabled =
		vm_total_pages < pageblock_nr_pages * MIGRATE_TYPES;
	pr_info("Built %d zonelists, mobility grouping %s.  Total pages: %lu",
		nr_online_nodes, page_group_by_mobility_disabled ? "off" : "on",
		vm_total_pages);
}

/* ------------------------------------------------------- boot, shutdown */

static const char * const memmodel_names[] = {
	"SPARSEMEM_VMEMMAP", "SPARSEMEM (classic)", "FLATMEM",
};

static void mem_init_print_info(void)
{
	unsigned long physpages = 0, free = 0, high = 0;
	struct zone *zone;
	char hm[48] = "";

	for_each_zone(zone) {
		physpages += zone->present_pages;
		free += zone_page_state_snapshot(zone, NR_FREE_PAGES);
		if (is_highmem(zone))
			high += zone_managed_pages(zone);
	}
	if (highmem_configured)
		snprintf(hm, sizeof(hm), ", %luK highmem", K(high));
	pr_info("Memory: %luK/%luK available (0K kernel code, 0K rwdata, 0K rodata, 0K init, 0K bss, %luK reserved, 0K cma-reserved%s)",
		K(free), K(physpages), K(physpages - totalram_pages_count), hm);
}

static void memmap_print_info(void)
{
	char sz[32];
	uint64_t b = mmfs_arena.memmap_bytes;

	if (b >= (1ULL << 20))
		snprintf(sz, sizeof(sz), "%llu MiB", (unsigned long long)(b >> 20));
	else
		snprintf(sz, sizeof(sz), "%llu KiB", (unsigned long long)(b >> 10));
	if (mmfs_memmodel == MMFS_MEMMODEL_FLAT) {
		pr_info("mmfs: memmap %s (%s: mem_map for pfns %#lx-%#lx, ARCH_PFN_OFFSET %#lx)",
			sz, memmodel_names[mmfs_memmodel], mmfs_memmap_start_pfn,
			mmfs_memmap_end_pfn - 1, mmfs_arch_pfn_offset);
	} else {
		unsigned long sec, present = 0;

		for (sec = 0; sec < mmfs_nr_sections; sec++)
			present += mmfs_section_state[sec] != MMFS_SECTION_NONE;
		pr_info("mmfs: memmap %s (%s: %lu of %lu sections of 128 MiB backed, %lu pages reserved for it)",
			sz, memmodel_names[mmfs_memmodel], present, mmfs_nr_sections,
			memmap_reserved_pages);
	}
}

/*
 * A config filled in by hand (not through mm_config_parse) gets the same
 * checks, so nothing out of range reaches the tables indexed by it.
 */
static int check_config(const struct mm_config *cfg, char *err, size_t errlen)
{
	int i;

	if ((unsigned int)cfg->hugepages > MMFS_HUGEPAGES_OFF ||
	    (unsigned int)cfg->memmodel > MMFS_MEMMODEL_FLAT ||
	    (unsigned int)cfg->slab > MMFS_SLOB) {
		snprintf(err, errlen, "bad hugepages=, memmodel= or slab= value");
		return -EINVAL;
	}
	if (cfg->nr_ranges < 0 || cfg->nr_ranges > MMFS_MAX_RANGES) {
		snprintf(err, errlen, "memmap=: %d ranges (at most %d)", cfg->nr_ranges, MMFS_MAX_RANGES);
		return -EINVAL;
	}
	if (!cfg->nr_ranges && (cfg->mem & (2 * PAGE_SIZE - 1) ||
				cfg->mem >= (1ULL << MAX_PHYSMEM_BITS) / 2)) {
		snprintf(err, errlen, "mem=%llu: must be a multiple of 8K below 32T",
			 (unsigned long long)cfg->mem);
		return -EINVAL;
	}
	for (i = 0; i < cfg->nr_ranges; i++) {
		const struct mmfs_range *r = &cfg->ranges[i];

		if (!r->size || (r->start | r->size) & (PAGE_SIZE - 1) ||
		    r->start >= (1ULL << MAX_PHYSMEM_BITS) ||
		    r->size > (1ULL << MAX_PHYSMEM_BITS) - r->start ||
		    (i && r->start < r[-1].start + r[-1].size)) {
			snprintf(err, errlen, "memmap=: range %d (%#llx@%#llx) is empty, unaligned, out of range or out of order",
				 i, (unsigned long long)r->size, (unsigned long long)r->start);
			return -EINVAL;
		}
	}
	return 0;
}

/* Bytes of struct page the memory model will back for the e820 map. */
static uint64_t memmap_bytes_needed(int model)
{
	uint64_t sections = 0, last = ~0ULL;
	int i;

	if (model == MMFS_MEMMODEL_FLAT)
		return ((e820_end[e820_nr - 1] - e820_start[0]) >> PAGE_SHIFT) * sizeof(struct page);
	for (i = 0; i < e820_nr; i++) {
		uint64_t s = e820_start[i] >> SECTION_SIZE_BITS, e = (e820_end[i] - 1) >> SECTION_SIZE_BITS;

		sections += e - s + 1 - (s == last);
		last = e;
	}
	return sections * MMFS_SECTION_MEMMAP_BYTES;
}

/* Check the layout against the carve-outs before touching anything. */
static int check_layout(const struct mm_config *cfg, char *err, size_t errlen)
{
	uint64_t ram = (uint64_t)ram_pages() << PAGE_SHIFT;

	if (cfg->nodes < 1 || cfg->nodes > MAX_NUMNODES) {
		snprintf(err, errlen, "nodes=%d: must be 1..%d", cfg->nodes, MAX_NUMNODES);
		return -EINVAL;
	}
	if (ram < MMFS_MIN_MEM) {
		snprintf(err, errlen, "mem: at least 4M of RAM needed");
		return -EINVAL;
	}
	if (e820_end[e820_nr - 1] > (1ULL << MAX_PHYSMEM_BITS)) {
		snprintf(err, errlen, "memory ends beyond the %d-bit physical address space",
			 MAX_PHYSMEM_BITS);
		return -EINVAL;
	}
	if (cfg->movablecore >= ram) {
		snprintf(err, errlen, "movablecore=%lluM: must be smaller than RAM (%lluM)",
			 (unsigned long long)(cfg->movablecore >> 20), (unsigned long long)(ram >> 20));
		return -EINVAL;
	}
	if (cfg->highmem >= ram) {
		snprintf(err, errlen, "highmem=%lluM: must be smaller than RAM (%lluM)",
			 (unsigned long long)(cfg->highmem >> 20), (unsigned long long)(ram >> 20));
		return -EINVAL;
	}
	if (cfg->highmem && ram - cfg->highmem < MMFS_MIN_MEM) {
		snprintf(err, errlen, "highmem=%lluM leaves less than 4M of low memory",
			 (unsigned long long)(cfg->highmem >> 20));
		return -EINVAL;
	}
	{
		/* MMFS: the memmap is real host memory, touched at boot */
		uint64_t need = memmap_bytes_needed(cfg->memmodel);
		uint64_t host = (uint64_t)sysconf(_SC_PHYS_PAGES) * (uint64_t)sysconf(_SC_PAGESIZE);

		if (host && need > host / 2) {
			snprintf(err, errlen, "this layout needs %llu MiB of struct page (memmodel=%s), more than half of the host's %llu MiB",
				 (unsigned long long)(need >> 20),
				 cfg->memmodel == MMFS_MEMMODEL_FLAT ? "flat" :
				 cfg->memmodel == MMFS_MEMMODEL_CLASSIC ? "classic" : "sparse",
				 (unsigned long long)(host >> 20));
			return -ENOMEM;
		}
	}
	if (cfg->cpus < 0 || cfg->cpus > MMFS_MAX_CPUS) {
		snprintf(err, errlen, "cpus=%d: must be 1..%d", cfg->cpus, MMFS_MAX_CPUS);
		return -EINVAL;
	}
	return 0;
}

static void mm_teardown(void)
{
	int nid;

	if (hooks_booted >= 3)
		mmfs_mmap_shutdown();
	if (hooks_booted >= 2)
		mmfs_highmem_shutdown();
	if (hooks_booted >= 1)
		mmfs_slab_shutdown();
	hooks_booted = 0;
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		kswapd_stop(nid);
	vmstat_work_stop();
	page_ext_shutdown();
	page_alloc_shutdown();
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!node_data[nid])
			continue;
		free(node_data[nid]);
		node_data[nid] = NULL;
	}
	free(mmfs_pageblock_flags);
	mmfs_pageblock_flags = NULL;
	vmstat_shutdown();
	mmfs_memory_model_shutdown();
	mmfs_arena_shutdown();
	nr_online_nodes = 0;
	max_pfn = min_low_pfn = max_low_pfn = totalram_pages_count = 0;
	vm_total_pages = 0;
	page_group_by_mobility_disabled = 0;
	mb_nr_memory = mb_nr_reserved = e820_nr = 0;
	memset(zone_movable_pfn, 0, sizeof(zone_movable_pfn));
	memset(arch_zone_lowest_possible_pfn, 0, sizeof(arch_zone_lowest_possible_pfn));
	memset(arch_zone_highest_possible_pfn, 0, sizeof(arch_zone_highest_possible_pfn));
	highmem_configured = false;
	_debug_guardpage_enabled = false;
	_debug_guardpage_minorder = 0;
	memmap_reserved_pages = 0;
	nr_cpu_ids = 1;
	mmfs_booted = 0;
}

/**
 * mm_boot - boot the simulated machine
 * @cfg: options (mm_config_default + mm_config_parse)
 * @err: one-line reason on failure
 * @errlen: size of @err
 *
 * Context: no memory manager running in this process.
 * Return: 0; -EBUSY if already booted; -EINVAL for a layout the options
 * cannot make; -ENOMEM when the host refuses memory (or hugepages=on finds
 * too few hugetlb pages).  On failure nothing stays allocated.
 */
int mm_boot(const struct mm_config *cfg, char *err, size_t errlen)
{
	unsigned long start_pfn[MB_MAX], end_pfn[MB_MAX];
	struct zone *zone;
	long ncpu;
	int ret, i, nid;

	if (errlen)
		err[0] = '\0';
	if (mmfs_booted) {
		snprintf(err, errlen, "the memory manager is already booted");
		return -EBUSY;
	}
	ret = check_config(cfg, err, errlen);
	if (ret)
		return ret;
	e820_build(cfg);
	ret = check_layout(cfg, err, errlen);
	if (ret) {
		e820_nr = 0;
		return ret;
	}
	mmfs_clock_reset();
	mm_cfg = *cfg;
	/* MMFS: guard pages need no debug_pagealloc=on (the kernel enables
	 * them only with it, mem_debugging_and_hardening_init) */
	_debug_guardpage_minorder = cfg->debug_guardpage_minorder;
	_debug_guardpage_enabled = cfg->debug_guardpage_minorder > 0;
	if (_debug_guardpage_enabled)
		pr_info("Setting debug_guardpage_minorder to %u", _debug_guardpage_minorder);
	ncpu = cfg->cpus ? cfg->cpus : sysconf(_SC_NPROCESSORS_CONF);
	nr_cpu_ids = (unsigned int)clamp(ncpu, 1L, (long)MMFS_MAX_CPUS);

	e820_print();
	ret = numa_emulation(cfg->nodes, err, errlen);
	if (ret)
		goto fail;
	zone_ranges_init(cfg);
	ret = mmfs_arena_init(e820_start, e820_end, e820_nr, cfg->hugepages, err, errlen);
	if (ret)
		goto fail;

	for (i = 0; i < e820_nr; i++) {
		start_pfn[i] = (unsigned long)(e820_start[i] >> PAGE_SHIFT);
		end_pfn[i] = (unsigned long)(e820_end[i] >> PAGE_SHIFT);
	}
	ret = mmfs_memory_model_init(cfg->memmodel, start_pfn, end_pfn, e820_nr,
				     cfg->hugepages != MMFS_HUGEPAGES_OFF);
	if (ret) {
		snprintf(err, errlen, "cannot allocate the memmap (%s)", memmodel_names[cfg->memmodel]);
		goto fail;
	}
	mmfs_arena.memmap_bytes = mmfs_memmap_backed_bytes();
	ret = vmstat_boot();
	if (!ret)
		ret = setup_usemap();
	if (ret)
		goto nomem;
	for (nid = 0; nid < nr_online_nodes; nid++) {
		ret = free_area_init_node(nid);
		if (ret)
			goto nomem;
	}
	ret = reserve_boot_memory(err, errlen);
	if (ret)
		goto fail;
	ret = page_ext_init();
	if (ret)
		goto nomem;
	memmap_init();		/* and memblock_free_all, fused */
	totalram_pages_count = 0;
	for_each_zone(zone)
		totalram_pages_count += zone_managed_pages(zone);
	memmap_print_info();
	build_all_zonelists();
	mem_init_print_info();
	init_per_zone_wmark_min();
	for (nid = 0; nid < nr_online_nodes; nid++) {
		ret = kswapd_run(nid);
		if (ret) {
			snprintf(err, errlen, "kswapd%d failed to start (%d)", nid, ret);
			goto fail;
		}
	}
	ret = vmstat_work_start();
	if (ret) {
		snprintf(err, errlen, "the vmstat worker failed to start (%d)", ret);
		goto fail;
	}
	mmfs_booted = 1;	/* the sysctl setters recompute only when booted */
	if (cfg->min_free_kbytes >= 0) {
		ret = mmfs_set_min_free_kbytes(cfg->min_free_kbytes);
		if (ret) {
			snprintf(err, errlen, "min_free_kbytes=%ld: out of range for this machine",
				 cfg->min_free_kbytes);
			goto fail;
		}
	}

	ret = mmfs_slab_boot();
	if (ret) {
		snprintf(err, errlen, "slab allocator failed to start (%d)", ret);
		goto fail;
	}
	hooks_booted = 1;
	ret = mmfs_highmem_boot();
	if (ret) {
		snprintf(err, errlen, "highmem (pkmap) failed to start (%d)", ret);
		goto fail;
	}
	hooks_booted = 2;
	ret = mmfs_mmap_boot();
	if (ret) {
		snprintf(err, errlen, "address spaces failed to start (%d)", ret);
		goto fail;
	}
	hooks_booted = 3;
	return 0;
nomem:
	snprintf(err, errlen, "out of host memory while booting");
	ret = -ENOMEM;
fail:
	mm_teardown();
	mmfs_log_reset();
	memset(&mm_cfg, 0, sizeof(mm_cfg));
	return ret;
}

/**
 * mm_shutdown - tear the machine down; everything mm_boot() built is freed
 *
 * Context: nothing else using the memory manager.  Safe to call when not
 * booted.  The log is emptied last, so the next boot starts clean.
 */
void mm_shutdown(void)
{
	mm_teardown();
	memset(&mm_cfg, 0, sizeof(mm_cfg));
	mmfs_log_reset();
}
