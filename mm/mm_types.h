/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mm_types.h - struct page (include/linux/mm_types.h), at most 64 bytes.
 *
 * Layout (offsets in bytes), the same words the kernel overlays:
 *   0  flags            PG_* bits; node and zone ids in the top bits
 *   8  union (40 bytes): buddy/pcp  { lru, mapping, index, private }
 *                         compound tail { compound_head|1, order, pincount }
 *                         slab        (struct slab overlay in mm/slab.h)
 *                         page table  { pt_list, pt_mm, pt_index, ptl count }
 *  48  _mapcount / page_type
 *  52  _refcount
 *  56  mmfs_ext           index into page_ext side data (owner, time, ...)
 *
 * The buddy allocator stores the order of a free block in page->private and
 * marks its head PageBuddy (page_type); pcp pages keep their migratetype in
 * page->index (as the kernel's set_pcppage_migratetype does).
 */
#ifndef MMFS_MM_TYPES_H
#define MMFS_MM_TYPES_H
#include "glue.h"
#include "list.h"

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

struct page {
	unsigned long flags;		/* PG_* bits, node/zone in the top bits */
	union {
		struct {			/* buddy, pcp, user and kernel blocks */
			struct list_head lru;	/* buddy free_list / pcp list link */
			void *mapping;		/* unused (no page cache) */
			unsigned long index;	/* pcp: migratetype; vm_pgoff */
			unsigned long private;	/* buddy: order of the free block */
		};
		struct {			/* tail pages of a compound page */
			unsigned long compound_head;	/* head | 1 */
			unsigned char compound_dtor;	/* first tail only */
			unsigned char compound_order;	/* first tail only */
			atomic_t compound_mapcount;	/* first tail only */
			atomic_t compound_pincount;	/* first tail only (6.1) */
			unsigned int compound_nr;	/* first tail only */
		};
		struct {			/* page-table pages */
			unsigned long _pt_pad_1;	/* compound_head */
			unsigned long pt_owner_pid;	/* pid whose tables these are */
			unsigned long pt_level;		/* 1 pte .. 5 pgd */
			unsigned long pt_index;		/* address this table covers */
			unsigned long pt_nr_used;	/* present entries */
		};
	};
	union {
		atomic_t _mapcount;	/* page-table mappings - 1 */
		unsigned int page_type;	/* PG_buddy, PG_table, ... when mapcount < -128 */
	};
	atomic_t _refcount;		/* 0 when free */
	unsigned long mmfs_ext;		/* MMFS: reserved for per-page side data */
};

/*
 * The node, zone and section bits of page->flags are set once when the
 * memmap is initialised and never change: like the kernel, read them with
 * a plain load the compiler may share between page_to_nid, page_zonenum
 * and the rest.  Under ThreadSanitizer, a relaxed atomic load, since other
 * bits of the word are updated concurrently (PG_head, the page flags).
 */
#if MMFS_TSAN
#define page_flags_links(p)	READ_ONCE((p)->flags)
#else
#define page_flags_links(p)	((p)->flags)
#endif

BUILD_BUG_ON(sizeof(struct page) > 64);

/* ---- address spaces (mm/mmap.c, mm/memory.c) ---- */
typedef struct { uint64_t pte; } pte_t;
typedef struct { uint64_t pmd; } pmd_t;
typedef struct { uint64_t pud; } pud_t;
typedef struct { uint64_t p4d; } p4d_t;
typedef struct { uint64_t pgd; } pgd_t;
typedef struct { uint64_t pgprot; } pgprot_t;

struct mm_struct;
struct vm_area_struct {
	unsigned long vm_start;		/* first address */
	unsigned long vm_end;		/* first address after */
	struct mm_struct *vm_mm;	/* address space we belong to */
	pgprot_t vm_page_prot;		/* access permissions of this VMA */
	unsigned long vm_flags;		/* VM_* */
	unsigned long vm_pgoff;		/* offset in PAGE_SIZE units (pfn for COW remap) */
	void *vm_file;			/* MMFS: frame file handle this VMA maps */
	char vm_name[48];		/* MMFS: path column of maps ("/frames/0x1a2b") */
	void *vm_rb[4];			/* ordered-tree linkage (owned by mm/mmap.c) */
	void *vm_private_data;		/* driver data */
};

#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL
#define VM_PFNMAP	0x00000400UL
#define VM_LOCKED	0x00002000UL
#define VM_IO		0x00004000UL
#define VM_DONTCOPY	0x00020000UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_ACCOUNT	0x00100000UL
#define VM_NORESERVE	0x00200000UL
#define VM_HUGETLB	0x00400000UL
#define VM_DONTDUMP	0x04000000UL
#define VM_MIXEDMAP	0x10000000UL

#endif /* MMFS_MM_TYPES_H */
