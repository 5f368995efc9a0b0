/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memory_model.c - the memmap and the pfn <-> struct page translation
 * (mm/sparse.c, mm/sparse-vmemmap.c, FLATMEM's alloc_node_mem_map in
 * mm/mm_init.c).  The translation itself is static inline in
 * memory_model.h; this file sets up what it reads:
 *
 *   sparse  - vmemmap: one PROT_NONE reservation of 64 bytes per pfn up to
 *             the end of the last section with RAM; each present 128 MiB
 *             section gets its 2 MiB of struct pages mapped read-write
 *             (vmemmap_populate).  Holes of whole sections cost nothing.
 *   classic - mem_section[]: one entry per section; each present section
 *             owns a separately placed 2 MiB mem_map, stored encoded as
 *             sparse_encode_mem_map does (mem_map - section start pfn) with
 *             SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP in the low bits.
 *             MMFS: a flat array of mem_section rather than the two-level
 *             SPARSEMEM_EXTREME root.
 *   flat    - mem_map: one array from the first to the last RAM pfn, holes
 *             included (they cost memmap, as FLATMEM does).
 *
 * The memmap is host memory outside the arena; mm_init.c reserves the same
 * amount of RAM top-down in each node, as memblock would, so managed pages
 * come out as in the kernel.
 *
 * No locks: set up and torn down single-threaded by mm_boot/mm_shutdown.
 */
#include "mm.h"
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int mmfs_memmodel;
struct page *vmemmap;
struct mem_section *mem_section;
struct page *mem_map;
unsigned long mmfs_arch_pfn_offset;
unsigned long mmfs_nr_sections;
unsigned char *mmfs_section_state;
unsigned long mmfs_memmap_start_pfn, mmfs_memmap_end_pfn;
char *mmfs_arena_base;

/* the RAM ranges, for pfn_valid in partially filled sections */
static unsigned long ram_start[MMFS_MAX_RANGES * 2], ram_end[MMFS_MAX_RANGES * 2];
static int nr_ram;
/* host mappings to undo at shutdown */
static void *memmap_map;
static size_t memmap_map_len;
static uint64_t memmap_backed;

/* A pfn in a section that is only partly RAM: is it RAM? */
bool mmfs_pfn_in_ram_slow(unsigned long pfn)
{
	int lo = 0, hi = nr_ram - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (pfn < ram_start[mid])
			hi = mid - 1;
		else if (pfn >= ram_end[mid])
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

bool mmfs_memmap_present(unsigned long pfn)
{
	if (mmfs_memmodel == MMFS_MEMMODEL_FLAT)
		return pfn >= mmfs_memmap_start_pfn && pfn < mmfs_memmap_end_pfn;
	return pfn_to_section_nr(pfn) < mmfs_nr_sections &&
	       mmfs_section_state[pfn_to_section_nr(pfn)] != MMFS_SECTION_NONE;
}

uint64_t mmfs_memmap_backed_bytes(void)
{
	return memmap_backed;
}

/* Reserve @len bytes of address space aligned to 2 MiB, inaccessible. */
static void *reserve_aligned(size_t len, size_t *maplen)
{
	size_t align = 2UL << 20, full = len + align;
	char *p = mmap(NULL, full, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (char *)ALIGN((uintptr_t)p, align);
	if (a > p)
		munmap(p, (size_t)(a - p));
	if (a + len < p + full)
		munmap(a + len, (size_t)(p + full - (a + len)));
	*maplen = len;
	return a;
}

static int populate(void *addr, size_t len, bool thp)
{
	if (mprotect(addr, len, PROT_READ | PROT_WRITE))
		return -ENOMEM;
	if (thp)
		madvise(addr, len, MADV_HUGEPAGE);
	return 0;
}

/* Count how much of each section is RAM: FULL, PARTIAL or NONE. */
static int mark_sections(void)
{
	unsigned long end = ram_end[nr_ram - 1], sec;
	unsigned int *covered;
	int i;

	mmfs_nr_sections = DIV_ROUND_UP(end, PAGES_PER_SECTION);
	covered = calloc(mmfs_nr_sections, sizeof(*covered));
	mmfs_section_state = calloc(mmfs_nr_sections, 1);
	if (!covered || !mmfs_section_state) {
		free(covered);
		return -ENOMEM;
	}
	for (i = 0; i < nr_ram; i++) {
		unsigned long pfn = ram_start[i];

		while (pfn < ram_end[i]) {
			unsigned long next = min(ALIGN(pfn + 1, PAGES_PER_SECTION), ram_end[i]);

			covered[pfn_to_section_nr(pfn)] += (unsigned int)(next - pfn);
			pfn = next;
		}
	}
	for (sec = 0; sec < mmfs_nr_sections; sec++)
		mmfs_section_state[sec] = covered[sec] == PAGES_PER_SECTION ? MMFS_SECTION_FULL :
					  covered[sec] ? MMFS_SECTION_PARTIAL : MMFS_SECTION_NONE;
	free(covered);
	return 0;
}

static unsigned long nr_present_sections(void)
{
	unsigned long sec, n = 0;

	for (sec = 0; sec < mmfs_nr_sections; sec++)
		n += mmfs_section_state[sec] != MMFS_SECTION_NONE;
	return n;
}

/* SPARSEMEM_VMEMMAP: sparse_init + vmemmap_populate per present section */
static int sparse_vmemmap_init(bool thp)
{
	size_t len = mmfs_nr_sections * MMFS_SECTION_MEMMAP_BYTES;
	unsigned long sec;
	char *base = reserve_aligned(len, &memmap_map_len);

	if (!base)
		return -ENOMEM;
	memmap_map = base;
	for (sec = 0; sec < mmfs_nr_sections; sec++) {
		if (mmfs_section_state[sec] == MMFS_SECTION_NONE)
			continue;
		if (populate(base + sec * MMFS_SECTION_MEMMAP_BYTES, MMFS_SECTION_MEMMAP_BYTES, thp))
			return -ENOMEM;
		memmap_backed += MMFS_SECTION_MEMMAP_BYTES;
	}
	vmemmap = (struct page *)base;
	mmfs_memmap_start_pfn = 0;
	mmfs_memmap_end_pfn = section_nr_to_pfn(mmfs_nr_sections);
	return 0;
}

/*
 * classic SPARSEMEM: a mem_map per present section, encoded in mem_section.
 * Each section's mem_map gets its own 2 MiB with an inaccessible 2 MiB gap
 * after it, so the maps are truly separate (walking off one faults).
 */
static int sparse_classic_init(bool thp)
{
	unsigned long sec, n = nr_present_sections(), k = 0;
	size_t len = 2 * n * MMFS_SECTION_MEMMAP_BYTES;
	char *base;

	mem_section = calloc(mmfs_nr_sections, sizeof(*mem_section));
	if (!mem_section)
		return -ENOMEM;
	base = reserve_aligned(len, &memmap_map_len);
	if (!base)
		return -ENOMEM;
	memmap_map = base;
	for (sec = 0; sec < mmfs_nr_sections; sec++) {
		char *map;

		if (mmfs_section_state[sec] == MMFS_SECTION_NONE)
			continue;
		map = base + 2 * k++ * MMFS_SECTION_MEMMAP_BYTES;
		if (populate(map, MMFS_SECTION_MEMMAP_BYTES, thp))
			return -ENOMEM;
		memmap_backed += MMFS_SECTION_MEMMAP_BYTES;
		mem_section[sec].section_mem_map = sparse_encode_mem_map((struct page *)map, sec) |
			SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP | SECTION_IS_ONLINE;
	}
	mmfs_memmap_start_pfn = 0;
	mmfs_memmap_end_pfn = section_nr_to_pfn(mmfs_nr_sections);
	return 0;
}

/* FLATMEM: alloc_node_mem_map over [first RAM pfn, last RAM pfn] */
static int flat_init(bool thp)
{
	unsigned long start = ram_start[0], end = ram_end[nr_ram - 1];
	size_t len = ALIGN((end - start) * sizeof(struct page), PAGE_SIZE);
	char *base = reserve_aligned(ALIGN(len, 2UL << 20), &memmap_map_len);

	if (!base)
		return -ENOMEM;
	memmap_map = base;
	if (populate(base, len, thp))
		return -ENOMEM;
	memmap_backed = len;
	mem_map = (struct page *)base;
	mmfs_arch_pfn_offset = start;
	mmfs_memmap_start_pfn = start;
	mmfs_memmap_end_pfn = end;
	return 0;
}

/**
 * mmfs_memory_model_init - build the memmap for the RAM ranges
 * @model: enum mmfs_memmodel
 * @start_pfn: first pfn of each range, ascending
 * @end_pfn: one past the last pfn of each range
 * @nr: number of ranges (1..2*MMFS_MAX_RANGES)
 * @thp: ask for transparent huge pages under the memmap
 *
 * Context: mm_boot(), nothing else running.
 * Return: 0, or -ENOMEM (everything undone by mmfs_memory_model_shutdown).
 */
int mmfs_memory_model_init(int model, const unsigned long *start_pfn,
			   const unsigned long *end_pfn, int nr, bool thp)
{
	int i, ret;

	if (nr < 1 || nr > (int)ARRAY_SIZE(ram_start))
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		ram_start[i] = start_pfn[i];
		ram_end[i] = end_pfn[i];
	}
	nr_ram = nr;
	mmfs_memmodel = model;
	ret = mark_sections();
	if (ret)
		return ret;
	switch (model) {
	case MMFS_MEMMODEL_SPARSE:
		return sparse_vmemmap_init(thp);
	case MMFS_MEMMODEL_CLASSIC:
		return sparse_classic_init(thp);
	default:
		return flat_init(thp);
	}
}

void mmfs_memory_model_shutdown(void)
{
	if (memmap_map)
		munmap(memmap_map, memmap_map_len);
	memmap_map = NULL;
	memmap_map_len = 0;
	memmap_backed = 0;
	free(mem_section);
	mem_section = NULL;
	free(mmfs_section_state);
	mmfs_section_state = NULL;
	mmfs_nr_sections = 0;
	vmemmap = NULL;
	mem_map = NULL;
	mmfs_arch_pfn_offset = 0;
	mmfs_memmap_start_pfn = mmfs_memmap_end_pfn = 0;
	nr_ram = 0;
	mmfs_memmodel = MMFS_MEMMODEL_SPARSE;
}

/**
 * mmfs_kaddr_to_ptr - host pointer for a kernel-style direct-map address
 * @kaddr: 0xffff888000000000 + physical address
 *
 * Return: the host pointer, or NULL when @kaddr is not direct-mapped RAM
 * (a hole, beyond the end of memory, or a ZONE_HIGHMEM page).
 */
void *mmfs_kaddr_to_ptr(unsigned long kaddr)
{
	unsigned long phys, pfn;

	if (kaddr < MMFS_PAGE_OFFSET)
		return NULL;
	phys = kaddr - MMFS_PAGE_OFFSET;
	if (phys >= (1UL << MAX_PHYSMEM_BITS))
		return NULL;
	pfn = phys >> PAGE_SHIFT;
	if (!pfn_valid(pfn) || PageHighMem(pfn_to_page(pfn)))
		return NULL;
	return mmfs_arena_base + phys;
}
