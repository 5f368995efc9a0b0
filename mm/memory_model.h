/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memory_model.h - pfn <-> struct page for the three memory models the
 * kernel has (include/asm-generic/memory_model.h, include/linux/mmzone.h
 * sparse section helpers, mm/sparse.c's sparse_encode_mem_map):
 *
 *   sparse  (SPARSEMEM_VMEMMAP)  page = vmemmap + pfn; vmemmap is one virtual
 *           array over all of physical memory with only the 128 MiB sections
 *           that hold RAM backed (2 MiB of struct page each).
 *   classic (SPARSEMEM)          page = mem_section[pfn >> PFN_SECTION_SHIFT]
 *           .section_mem_map (mem_map - section start pfn, low bits flags)
 *           + pfn; page -> pfn through the section number kept in
 *           page->flags (SECTIONS_PGSHIFT) as the kernel does.
 *   flat    (FLATMEM)            page = mem_map + pfn - ARCH_PFN_OFFSET; one
 *           mem_map from the first to the last RAM pfn, holes included.
 *
 * Hot: everything here is static inline; the model is chosen at boot
 * (memmodel=), a well-predicted switch.  The state is owned by
 * memory_model.c (set up by sparse_init()/flat_init(), torn down at
 * shutdown).
 *
 * Invariants: for every pfn with pfn_valid(pfn), page_to_pfn(pfn_to_page(pfn))
 * == pfn; pfn_valid(pfn) <=> pfn lies in a RAM range (MMFS: the kernel's
 * pfn_valid is also true for hole pfns that happen to have a struct page, we
 * say false for every hole under every model).
 */
#ifndef MMFS_MEMORY_MODEL_H
#define MMFS_MEMORY_MODEL_H
#include "glue.h"
#include "mm_types.h"
#include "mmzone.h"

struct page;

#define MAX_PHYSMEM_BITS	46		/* x86-64, 4-level paging */
#define SECTIONS_SHIFT		(MAX_PHYSMEM_BITS - SECTION_SIZE_BITS)
#define NR_MEM_SECTIONS		(1UL << SECTIONS_SHIFT)
#define PAGE_SECTION_MASK	(~(PAGES_PER_SECTION - 1))
/* classic SPARSEMEM keeps the section number in page->flags, just below the
 * node bits (SECTIONS_PGSHIFT), as SECTION_IN_PAGE_FLAGS kernels do */
#define SECTIONS_WIDTH		SECTIONS_SHIFT
#define SECTIONS_PGSHIFT	(64 - 3 /* ZONES_SHIFT */ - 6 /* NODES_SHIFT */ - SECTIONS_WIDTH)
#define SECTIONS_MASK		((1UL << SECTIONS_WIDTH) - 1)

/* mem_section (classic): the encoded mem_map and its flag bits */
struct mem_section {
	unsigned long section_mem_map;	/* mem_map - start pfn, | SECTION_* flags */
	unsigned long *usage;		/* MMFS: unused (pageblock bits are per zone) */
};
#define SECTION_MARKED_PRESENT	(1UL << 0)
#define SECTION_HAS_MEM_MAP	(1UL << 1)
#define SECTION_IS_ONLINE	(1UL << 2)
#define SECTION_MAP_LAST_BIT	3
#define SECTION_MAP_MASK	(~((1UL << SECTION_MAP_LAST_BIT) - 1))

/* per-section RAM state, for pfn_valid (MMFS) */
enum { MMFS_SECTION_NONE, MMFS_SECTION_FULL, MMFS_SECTION_PARTIAL };

extern int mmfs_memmodel;			/* enum mmfs_memmodel */
extern struct page *vmemmap;			/* sparse: page of pfn 0 */
extern struct mem_section *mem_section;		/* classic: [mmfs_nr_sections] */
extern struct page *mem_map;			/* flat: page of ARCH_PFN_OFFSET */
extern unsigned long mmfs_arch_pfn_offset;	/* flat: first RAM pfn */
#define ARCH_PFN_OFFSET		mmfs_arch_pfn_offset
extern unsigned long mmfs_nr_sections;		/* sections below the end of RAM */
extern unsigned char *mmfs_section_state;	/* [mmfs_nr_sections], MMFS_SECTION_* */
extern unsigned long mmfs_memmap_start_pfn, mmfs_memmap_end_pfn; /* pfns with a struct page (bounds) */
extern char *mmfs_arena_base;			/* == mmfs_arena.base, for speed */
bool mmfs_pfn_in_ram_slow(unsigned long pfn);	/* partial section: walk the ranges */

static __always_inline unsigned long pfn_to_section_nr(unsigned long pfn)
{ return pfn >> PFN_SECTION_SHIFT; }
static __always_inline unsigned long section_nr_to_pfn(unsigned long sec)
{ return sec << PFN_SECTION_SHIFT; }
static __always_inline struct mem_section *__nr_to_section(unsigned long nr)
{ return &mem_section[nr]; }
static __always_inline struct mem_section *__pfn_to_section(unsigned long pfn)
{ return __nr_to_section(pfn_to_section_nr(pfn)); }
/* sparse_encode_mem_map / sparse_decode_mem_map (mm/sparse.c) */
static __always_inline unsigned long sparse_encode_mem_map(struct page *map, unsigned long pnum)
{ return (unsigned long)map - section_nr_to_pfn(pnum) * sizeof(struct page); }
static __always_inline struct page *__section_mem_map_addr(const struct mem_section *s)
{ return (struct page *)(s->section_mem_map & SECTION_MAP_MASK); }
static __always_inline unsigned long page_to_section(const struct page *p)
{ return (page_flags_links(p) >> SECTIONS_PGSHIFT) & SECTIONS_MASK; }
static __always_inline void set_page_section(struct page *p, unsigned long sec)
{
	p->flags &= ~(SECTIONS_MASK << SECTIONS_PGSHIFT);
	p->flags |= (sec & SECTIONS_MASK) << SECTIONS_PGSHIFT;
}

/**
 * pfn_to_page - the struct page of a page frame number
 * @pfn: a pfn with pfn_valid(pfn) (holes inside a section also work)
 */
static __always_inline struct page *pfn_to_page(unsigned long pfn)
{
	if (likely(mmfs_memmodel == 0 /* MMFS_MEMMODEL_SPARSE */))
		return vmemmap + pfn;
	if (mmfs_memmodel == 1 /* MMFS_MEMMODEL_CLASSIC */)
		return __section_mem_map_addr(__pfn_to_section(pfn)) + pfn;
	return mem_map + (pfn - ARCH_PFN_OFFSET);
}

/** page_to_pfn - the page frame number of a struct page */
static __always_inline unsigned long page_to_pfn(const struct page *page)
{
	if (likely(mmfs_memmodel == 0))
		return (unsigned long)(page - vmemmap);
	if (mmfs_memmodel == 1)
		return (unsigned long)(page - __section_mem_map_addr(__nr_to_section(page_to_section(page))));
	return (unsigned long)(page - mem_map) + ARCH_PFN_OFFSET;
}

/**
 * pfn_valid - does @pfn name RAM with a struct page?
 *
 * MMFS: false for every hole, whatever the model (see the file header).
 */
static __always_inline bool pfn_valid(unsigned long pfn)
{
	unsigned long sec = pfn_to_section_nr(pfn);
	unsigned char st;

	if (unlikely(sec >= mmfs_nr_sections))
		return false;
	st = mmfs_section_state[sec];
	if (likely(st == MMFS_SECTION_FULL))
		return true;
	return st == MMFS_SECTION_PARTIAL && mmfs_pfn_in_ram_slow(pfn);
}

/** page_address - host address of a lowmem page, NULL for ZONE_HIGHMEM */
static __always_inline void *page_address(const struct page *page)
{
	if (unlikely(((READ_ONCE(page->flags) >> (64 - 3)) & 7) == ZONE_HIGHMEM))
		return NULL;
	return mmfs_arena_base + ((uint64_t)page_to_pfn(page) << PAGE_SHIFT);
}

/** mmfs_pfn_to_ptr - host pointer to a frame, any zone (no check) */
static __always_inline void *mmfs_pfn_to_ptr(unsigned long pfn)
{ return mmfs_arena_base + ((uint64_t)pfn << PAGE_SHIFT); }

/** mmfs_virt_to_pfn - pfn of a host pointer into the arena */
static __always_inline unsigned long mmfs_virt_to_pfn(const void *addr)
{ return (unsigned long)(((const char *)addr - mmfs_arena_base) >> PAGE_SHIFT); }

/** virt_to_page - struct page of a host pointer into the direct map */
static __always_inline struct page *virt_to_page(const void *addr)
{ return pfn_to_page(mmfs_virt_to_pfn(addr)); }

/** mmfs_kaddr - the kernel-style direct-map address of a host pointer */
static __always_inline unsigned long mmfs_kaddr(const void *ptr)
{ return MMFS_PAGE_OFFSET + (unsigned long)((const char *)ptr - mmfs_arena_base); }

/** mmfs_page_kaddr - the kernel-style vmemmap address of a struct page */
static __always_inline unsigned long mmfs_page_kaddr(const struct page *page)
{ return MMFS_VMEMMAP_START + page_to_pfn(page) * 64UL; }

/* mmfs_kaddr_to_ptr: host pointer, or NULL unless direct-mapped RAM */
void *mmfs_kaddr_to_ptr(unsigned long kaddr);

/* ---- set up by mm_init.c through these (memory_model.c) ---- */
/* struct page bytes of one section's memmap (2 MiB) */
#define MMFS_SECTION_MEMMAP_BYTES	(PAGES_PER_SECTION * sizeof(struct page))
/*
 * Build the model over the RAM ranges [start_pfn[i], end_pfn[i]) (sorted,
 * disjoint): the memmap's host memory (zero-filled) and the section tables.
 * @thp: madvise the memmap MADV_HUGEPAGE.  0 or -ENOMEM.
 */
int mmfs_memory_model_init(int model, const unsigned long *start_pfn,
			   const unsigned long *end_pfn, int nr, bool thp);
void mmfs_memory_model_shutdown(void);
/* Does @pfn have a struct page (RAM or a hole inside a backed section)? */
bool mmfs_memmap_present(unsigned long pfn);
/* Bytes of struct page backed (mmfs_arena.memmap_bytes). */
uint64_t mmfs_memmap_backed_bytes(void);

#endif /* MMFS_MEMORY_MODEL_H */
