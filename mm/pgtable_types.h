/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pgtable_types.h - x86-64 page-table entries and the address-space
 * internals shared by mm/mmap.c, mm/memory.c and mm/gup.c
 * (arch/x86/include/asm/pgtable_types.h, pgtable_64_types.h,
 * include/linux/mm_types.h struct mm_struct, include/linux/mm.h FOLL_*).
 *
 * Page tables are real: every table is one 4 KiB page from the buddy
 * allocator (GFP_PGTABLE_USER, PageTable, owner pgtable:PID, NR_PAGETABLE)
 * holding 512 u64 entries.  A table entry holds the physical address of
 * the next table plus _PAGE_TABLE; a leaf holds pfn << PAGE_SHIFT plus the
 * protection bits, as x86 encodes them.
 *
 *   CONFIG_PGTABLE_LEVELS=4: pgd(39) -> p4d folded into pgd -> pud(30)
 *                            -> pmd(21) -> pte(12)
 *   CONFIG_PGTABLE_LEVELS=5: pgd(48) -> p4d(39) -> pud -> pmd -> pte
 *
 * Invariants (checked by the validator registered in mm/mmap.c):
 *   page->pt_nr_used == number of non-none entries of that table;
 *   NR_PAGETABLE == sum over address spaces of their table pages (pgd too);
 *   a pinned small page has refcount >= 1024 * pins, a pinned compound
 *   page compound_pincount == pins (mmfs_pin_ledger).
 */
#ifndef MMFS_PGTABLE_TYPES_H
#define MMFS_PGTABLE_TYPES_H
#include "pgtable.h"

#ifndef CONFIG_PGTABLE_LEVELS
#define CONFIG_PGTABLE_LEVELS	4
#endif

/* ---- geometry ---- */
#define PTRS_PER_PTE	512
#define PTRS_PER_PMD	512
#define PTRS_PER_PUD	512
#define PMD_SHIFT	21
#define PUD_SHIFT	30
#if CONFIG_PGTABLE_LEVELS == 5
#define P4D_SHIFT	39
#define PTRS_PER_P4D	512
#define PGDIR_SHIFT	48
#else
#define P4D_SHIFT	39		/* folded: p4d == pgd */
#define PTRS_PER_P4D	1
#define PGDIR_SHIFT	39
#endif
#define PTRS_PER_PGD	512
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PMD_MASK	(~(PMD_SIZE - 1))
#define PUD_SIZE	(1UL << PUD_SHIFT)
#define PUD_MASK	(~(PUD_SIZE - 1))
#define P4D_SIZE	(1UL << P4D_SHIFT)
#define P4D_MASK	(~(P4D_SIZE - 1))
#define PGDIR_SIZE	(1UL << PGDIR_SHIFT)
#define PGDIR_MASK	(~(PGDIR_SIZE - 1))
#define HPAGE_PMD_ORDER	(PMD_SHIFT - PAGE_SHIFT)
#define HPAGE_PUD_ORDER	(PUD_SHIFT - PAGE_SHIFT)

#ifndef PAGE_ALIGN
#define PAGE_ALIGN(x)	ALIGN((x), PAGE_SIZE)
#endif

/* the user half (arch/x86/include/asm/page_64_types.h) */
#define TASK_SIZE_MAX	((1UL << 47) - PAGE_SIZE)	/* 0x7ffffffff000 */
#define TASK_SIZE	TASK_SIZE_MAX
#define FIRST_USER_ADDRESS	0UL
#define USER_PGTABLES_CEILING	0UL			/* free_pgtables: the top */
#define mmap_min_addr	65536UL				/* vm.mmap_min_addr default */

/* ---- entry bits (asm/pgtable_types.h) ---- */
#define _PAGE_BIT_PRESENT	0
#define _PAGE_BIT_RW		1
#define _PAGE_BIT_USER		2
#define _PAGE_BIT_PWT		3
#define _PAGE_BIT_PCD		4
#define _PAGE_BIT_ACCESSED	5
#define _PAGE_BIT_DIRTY		6
#define _PAGE_BIT_PSE		7
#define _PAGE_BIT_GLOBAL	8
#define _PAGE_BIT_SOFTW1	9
#define _PAGE_BIT_SPECIAL	_PAGE_BIT_SOFTW1
#define _PAGE_BIT_NX		63
#define _PAGE_PRESENT	(1ULL << _PAGE_BIT_PRESENT)
#define _PAGE_RW	(1ULL << _PAGE_BIT_RW)
#define _PAGE_USER	(1ULL << _PAGE_BIT_USER)
#define _PAGE_PWT	(1ULL << _PAGE_BIT_PWT)
#define _PAGE_PCD	(1ULL << _PAGE_BIT_PCD)
#define _PAGE_ACCESSED	(1ULL << _PAGE_BIT_ACCESSED)
#define _PAGE_DIRTY	(1ULL << _PAGE_BIT_DIRTY)
#define _PAGE_PSE	(1ULL << _PAGE_BIT_PSE)
#define _PAGE_GLOBAL	(1ULL << _PAGE_BIT_GLOBAL)
#define _PAGE_SPECIAL	(1ULL << _PAGE_BIT_SPECIAL)
#define _PAGE_NX	(1ULL << _PAGE_BIT_NX)
#define __PHYSICAL_MASK_SHIFT	52
#define PHYSICAL_PAGE_MASK	(((1ULL << __PHYSICAL_MASK_SHIFT) - 1) & ~(uint64_t)(PAGE_SIZE - 1))
#define PTE_PFN_MASK	PHYSICAL_PAGE_MASK			/* bits 12..51 */
#define PMD_PFN_MASK	(PHYSICAL_PAGE_MASK & ~(uint64_t)(PMD_SIZE - 1))
#define PUD_PFN_MASK	(PHYSICAL_PAGE_MASK & ~(uint64_t)(PUD_SIZE - 1))
#define _PAGE_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)

#define __pgprot(x)	((pgprot_t){ (x) })
#define pgprot_val(p)	((p).pgprot)
#define PAGE_NONE	__pgprot(_PAGE_ACCESSED)
#define PAGE_SHARED	__pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_SHARED_EXEC __pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_COPY	__pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_COPY_EXEC	__pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_READONLY	__pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_READONLY_EXEC __pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_KERNEL	__pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | _PAGE_NX)

/* ---- entry accessors ---- */
#define pte_val(x)	((x).pte)
#define pmd_val(x)	((x).pmd)
#define pud_val(x)	((x).pud)
#define p4d_val(x)	((x).p4d)
#define pgd_val(x)	((x).pgd)
#define __pte(x)	((pte_t){ (x) })
#define __pmd(x)	((pmd_t){ (x) })
#define __pud(x)	((pud_t){ (x) })
#define __p4d(x)	((p4d_t){ (x) })
#define __pgd(x)	((pgd_t){ (x) })

/* Entries are read locklessly (gup fast, faults under mmap_lock read).
 * A new table is published with a release store and followed with an
 * acquire load (the kernel's smp_wmb() in pmd_install and the address
 * dependency of the walk); both are plain 64-bit moves on x86. */
#define pt_load(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define pt_store(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
static inline pte_t ptep_get(const pte_t *p) { return __pte(pt_load(&p->pte)); }
static inline pmd_t pmdp_get(const pmd_t *p) { return __pmd(pt_load(&p->pmd)); }
static inline pud_t pudp_get(const pud_t *p) { return __pud(pt_load(&p->pud)); }
static inline p4d_t p4dp_get(const p4d_t *p) { return __p4d(pt_load(&p->p4d)); }
static inline pgd_t pgdp_get(const pgd_t *p) { return __pgd(pt_load(&p->pgd)); }

static inline bool pte_none(pte_t p) { return pte_val(p) == 0; }
static inline bool pte_present(pte_t p) { return pte_val(p) & _PAGE_PRESENT; }
static inline bool pte_write(pte_t p) { return pte_val(p) & _PAGE_RW; }
static inline bool pte_special(pte_t p) { return pte_val(p) & _PAGE_SPECIAL; }
static inline bool pte_dirty(pte_t p) { return pte_val(p) & _PAGE_DIRTY; }
static inline bool pte_young(pte_t p) { return pte_val(p) & _PAGE_ACCESSED; }
static inline unsigned long pte_pfn(pte_t p) { return (pte_val(p) & PTE_PFN_MASK) >> PAGE_SHIFT; }
static inline pte_t pfn_pte(unsigned long pfn, pgprot_t prot)
{ return __pte(((uint64_t)pfn << PAGE_SHIFT & PTE_PFN_MASK) | pgprot_val(prot)); }
static inline pte_t pte_mkspecial(pte_t p) { return __pte(pte_val(p) | _PAGE_SPECIAL); }
static inline pte_t pte_mkwrite(pte_t p) { return __pte(pte_val(p) | _PAGE_RW); }
static inline pte_t pte_mkdirty(pte_t p) { return __pte(pte_val(p) | _PAGE_DIRTY); }
static inline pte_t pte_mkyoung(pte_t p) { return __pte(pte_val(p) | _PAGE_ACCESSED); }

static inline bool pmd_none(pmd_t p) { return pmd_val(p) == 0; }
static inline bool pmd_present(pmd_t p) { return pmd_val(p) & _PAGE_PRESENT; }
static inline bool pmd_leaf(pmd_t p) { return (pmd_val(p) & (_PAGE_PRESENT | _PAGE_PSE)) == (_PAGE_PRESENT | _PAGE_PSE); }
#define pmd_huge	pmd_leaf
static inline bool pmd_write(pmd_t p) { return pmd_val(p) & _PAGE_RW; }
static inline bool pmd_special(pmd_t p) { return pmd_val(p) & _PAGE_SPECIAL; }
static inline unsigned long pmd_pfn(pmd_t p)
{ return (pmd_val(p) & (pmd_leaf(p) ? PMD_PFN_MASK : PTE_PFN_MASK)) >> PAGE_SHIFT; }
static inline pmd_t pfn_pmd(unsigned long pfn, pgprot_t prot)
{ return __pmd(((uint64_t)pfn << PAGE_SHIFT & PMD_PFN_MASK) | pgprot_val(prot) | _PAGE_PSE); }

static inline bool pud_none(pud_t p) { return pud_val(p) == 0; }
static inline bool pud_present(pud_t p) { return pud_val(p) & _PAGE_PRESENT; }
static inline bool pud_leaf(pud_t p) { return (pud_val(p) & (_PAGE_PRESENT | _PAGE_PSE)) == (_PAGE_PRESENT | _PAGE_PSE); }
#define pud_huge	pud_leaf
static inline bool pud_write(pud_t p) { return pud_val(p) & _PAGE_RW; }
static inline bool pud_special(pud_t p) { return pud_val(p) & _PAGE_SPECIAL; }
static inline unsigned long pud_pfn(pud_t p)
{ return (pud_val(p) & (pud_leaf(p) ? PUD_PFN_MASK : PTE_PFN_MASK)) >> PAGE_SHIFT; }
static inline pud_t pfn_pud(unsigned long pfn, pgprot_t prot)
{ return __pud(((uint64_t)pfn << PAGE_SHIFT & PUD_PFN_MASK) | pgprot_val(prot) | _PAGE_PSE); }

static inline bool p4d_none(p4d_t p) { return p4d_val(p) == 0; }
static inline bool p4d_present(p4d_t p) { return p4d_val(p) & _PAGE_PRESENT; }
static inline bool pgd_none(pgd_t p) { return pgd_val(p) == 0; }
static inline bool pgd_present(pgd_t p) { return pgd_val(p) & _PAGE_PRESENT; }

/* indexes */
static inline unsigned long pgd_index(unsigned long a) { return (a >> PGDIR_SHIFT) & (PTRS_PER_PGD - 1); }
static inline unsigned long p4d_index(unsigned long a) { return (a >> P4D_SHIFT) & (PTRS_PER_P4D - 1); }
static inline unsigned long pud_index(unsigned long a) { return (a >> PUD_SHIFT) & (PTRS_PER_PUD - 1); }
static inline unsigned long pmd_index(unsigned long a) { return (a >> PMD_SHIFT) & (PTRS_PER_PMD - 1); }
static inline unsigned long pte_index(unsigned long a) { return (a >> PAGE_SHIFT) & (PTRS_PER_PTE - 1); }

/* the *_addr_end helpers of include/linux/pgtable.h */
#define __pt_addr_end(addr, end, size) ({ \
	unsigned long __b = ((addr) + (size)) & ~((size) - 1); \
	(__b - 1 < (end) - 1) ? __b : (end); })
#define pgd_addr_end(addr, end)	__pt_addr_end(addr, end, PGDIR_SIZE)
#if CONFIG_PGTABLE_LEVELS == 5
#define p4d_addr_end(addr, end)	__pt_addr_end(addr, end, P4D_SIZE)
#else
#define p4d_addr_end(addr, end)	(end)
#endif
#define pud_addr_end(addr, end)	__pt_addr_end(addr, end, PUD_SIZE)
#define pmd_addr_end(addr, end)	__pt_addr_end(addr, end, PMD_SIZE)

/* a table entry -> the host pointer of the table it names */
static inline void *pt_table_ptr(uint64_t entry)
{ return mmfs_pfn_to_ptr((unsigned long)((entry & PTE_PFN_MASK) >> PAGE_SHIFT)); }

/* ---- FOLL_* (include/linux/mm_types.h, 6.1 values) ---- */
#define FOLL_WRITE	0x01
#define FOLL_TOUCH	0x02
#define FOLL_GET	0x04
#define FOLL_DUMP	0x08
#define FOLL_FORCE	0x10
#define FOLL_NOWAIT	0x20
#define FOLL_NOFAULT	0x80
#define FOLL_HWPOISON	0x100
#define FOLL_REMOTE	0x2000
#define FOLL_ANON	0x8000
#define FOLL_LONGTERM	0x10000
#define FOLL_SPLIT_PMD	0x20000
#define FOLL_PIN	0x40000
#define FOLL_FAST_ONLY	0x80000

/* ---- the address space (include/linux/mm_types.h) ---- */
struct mm_struct {
	struct vm_area_struct *mm_rb;	/* root of the VMA tree (AVL, vm_rb linkage) */
	int map_count;			/* number of VMAs */
	pgd_t *pgd;			/* host pointer of the top table page */
	int pid;			/* client pid (the owner of the table pages) */
	uint64_t start_time;		/* MMFS: /proc/PID/stat starttime, 0 unknown (pid reuse) */
	unsigned long generation;	/* MMFS: registry generation, never reused */
	unsigned long mmap_base;	/* top of the top-down mmap area */
	unsigned long task_size;	/* user address space limit */
	unsigned long highest_vm_end;	/* highest vm_end of any VMA */
	pthread_rwlock_t mmap_lock;	/* VMAs and page tables: read to walk, write to change */
	atomic_long_t pgtables_bytes;	/* VmPTE: pte/pmd/pud(/p4d) table bytes (not pgd) */
	atomic_long_t nr_tables;	/* MMFS: every table page incl. pgd (NR_PAGETABLE share) */
	atomic_long_t pinned_vm;	/* VmPin: pages the frame driver pinned */
	atomic_long_t rss;		/* mapped pages with a struct page (anon + mixed) */
	atomic_long_t rss_anon;		/* of rss: anonymous pages (RssAnon) */
	atomic_long_t hiwater_rss;	/* VmHWM: highest rss */
	unsigned long total_vm;		/* pages in VMAs (VmSize) */
	unsigned long hiwater_vm;	/* VmPeak: highest total_vm */
	unsigned long data_vm;		/* private writable pages (VmData) */
	atomic_t gup_fast_active;	/* lockless walkers in flight (tlb_remove_table_sync_one) */
	atomic_t mm_count;		/* references to this struct (registry + mappings) */
	bool dead;			/* unlinked from the registry (pid reused / torn down) */
	char comm[16];			/* status Name: */
	struct list_head mm_list;	/* registry link (live or dead list) */
	struct list_head mappings;	/* struct mmfs_mapping of this mm */
};

/*
 * mmap_lock is an rwsem in the kernel: once a writer waits, new readers
 * queue behind it.  glibc's default rwlock prefers readers, so a steady
 * stream of readers (frame reads of many threads of one process) could keep
 * a writer (open/release of a frame) out forever; ask for the rwsem's
 * fairness.  Not recursive: a thread never takes mmap_lock twice.
 */
static inline void mmap_init_lock(struct mm_struct *mm)
{
	pthread_rwlockattr_t attr;

	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&mm->mmap_lock, &attr);
	pthread_rwlockattr_destroy(&attr);
}
static inline void mmap_read_lock(struct mm_struct *mm) { pthread_rwlock_rdlock(&mm->mmap_lock); }
static inline void mmap_read_unlock(struct mm_struct *mm) { pthread_rwlock_unlock(&mm->mmap_lock); }
static inline void mmap_write_lock(struct mm_struct *mm) { pthread_rwlock_wrlock(&mm->mmap_lock); }
static inline void mmap_write_unlock(struct mm_struct *mm) { pthread_rwlock_unlock(&mm->mmap_lock); }

static inline pgd_t *pgd_offset(struct mm_struct *mm, unsigned long addr)
{ return mm->pgd + pgd_index(addr); }
static inline p4d_t *p4d_offset(pgd_t *pgd, unsigned long addr)
{
#if CONFIG_PGTABLE_LEVELS == 5
	return (p4d_t *)pt_table_ptr(pgd_val(pgdp_get(pgd))) + p4d_index(addr);
#else
	(void)addr;
	return (p4d_t *)pgd;		/* folded */
#endif
}
static inline pud_t *pud_offset(p4d_t *p4d, unsigned long addr)
{ return (pud_t *)pt_table_ptr(p4d_val(p4dp_get(p4d))) + pud_index(addr); }
static inline pmd_t *pmd_offset(pud_t *pud, unsigned long addr)
{ return (pmd_t *)pt_table_ptr(pud_val(pudp_get(pud))) + pmd_index(addr); }
static inline pte_t *pte_offset_map(pmd_t *pmd, unsigned long addr)
{ return (pte_t *)pt_table_ptr(pmd_val(pmdp_get(pmd))) + pte_index(addr); }

static inline void update_hiwater_rss(struct mm_struct *mm)
{
	long rss = atomic_long_read(&mm->rss), hi = atomic_long_read(&mm->hiwater_rss);

	while (rss > hi && !atomic_compare_exchange_weak(&mm->hiwater_rss.counter, &hi, rss))
		;
}

static inline bool is_cow_mapping(unsigned long flags)
{ return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE; }
static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{ return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT; }

/* table levels as page->pt_level stores them */
enum { PT_LEVEL_PTE = 1, PT_LEVEL_PMD, PT_LEVEL_PUD, PT_LEVEL_P4D, PT_LEVEL_PGD };
extern const char * const pt_level_names[6];	/* "", "pte", "pmd", "pud", "p4d", "pgd" */

/* ---- mm/mmap.c ---- */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start, unsigned long end);
/* the VMA after vma in address order, NULL at the end */
struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *vma);
pgprot_t vm_get_page_prot(unsigned long vm_flags);
/* top-down search for len bytes aligned to align (a power of two >= PAGE_SIZE);
 * the address, or -ENOMEM cast to unsigned long (IS_ERR_VALUE style). */
unsigned long unmapped_area_topdown(struct mm_struct *mm, unsigned long len, unsigned long align);
/* A fresh address space for pid (not registered).  NULL on -ENOMEM. */
struct mm_struct *mm_alloc(int pid);
/* Free the tables and the struct (no VMAs may be left). */
void mmdrop(struct mm_struct *mm);
/* Find (and reference) or create pid's address space in the registry. */
struct mm_struct *mmfs_mm_get(int pid, bool create);
/* Drop a reference from mmfs_mm_get; unregisters an mm without VMAs. */
void mmfs_mm_put(struct mm_struct *mm);
/* Make a VMA [addr, addr+len) in mm (mmap_lock held for write); 0/-errno. */
int mmfs_vma_create(struct mm_struct *mm, unsigned long addr, unsigned long len,
		    unsigned long vm_flags, const char *name, struct vm_area_struct **out);
/* Zap, free empty tables and remove the VMA (mmap_lock held for write). */
void mmfs_vma_destroy(struct vm_area_struct *vma);

/* ---- mm/memory.c ---- */
int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn,
		    unsigned long size, pgprot_t prot);
/* vm_insert_page for VM_MIXEDMAP (and anonymous) VMAs: a normal pte with a
 * reference and a mapcount on the page. */
int vm_insert_page(struct vm_area_struct *vma, unsigned long addr, struct page *page);
/* A compound order-9 page as one huge pmd (vmf_insert_pfn_pmd with a page). */
int mmfs_insert_huge_pmd(struct vm_area_struct *vma, unsigned long addr, struct page *page);
void zap_page_range(struct vm_area_struct *vma, unsigned long address, unsigned long size);
void unmap_vmas(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* Free the table pages no longer covering any VMA in [floor, ceiling). */
void free_pgd_range(struct mm_struct *mm, unsigned long addr, unsigned long end,
		    unsigned long floor, unsigned long ceiling);
void free_pgtables(struct vm_area_struct *vma, unsigned long floor, unsigned long ceiling);
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte);
/* follow_page_mask: the page at address (referenced per FOLL_GET/FOLL_PIN),
 * NULL if nothing is mapped, or an error pointer (ERR_PTR style, see IS_ERR). */
struct page *follow_page_mask(struct vm_area_struct *vma, unsigned long address,
			      unsigned int flags, unsigned int *page_mask);
/* follow_pte for VM_IO/VM_PFNMAP: the leaf's pfn and whether it is writable;
 * 0 or -EINVAL when nothing is mapped there.  The mmap_lock is held. */
int follow_pfn_walk(struct mm_struct *mm, unsigned long address, unsigned long *pfn,
		    bool *writable, int *level);
/* handle_mm_fault: anonymous VMAs get a zeroed page (do_anonymous_page). */
#define VM_FAULT_OOM	0x0001
#define VM_FAULT_SIGBUS	0x0002
#define VM_FAULT_SIGSEGV 0x0040
unsigned int handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags);
/* Allocate / free one table page for mm at level (PT_LEVEL_*). */
void *mmfs_pgtable_alloc(struct mm_struct *mm, int level, unsigned long addr);
void mmfs_pgtable_free(struct mm_struct *mm, void *table);
/* Count the table pages reachable from mm->pgd and check pt_nr_used;
 * appends violations to the validate buffer.  Returns violations. */
int mmfs_pgtable_check(struct mm_struct *mm, long *tables, char **buf, size_t *len, size_t *cap);
/* Replace the page mapped at addr by newpage (longterm-pin migration). */
int mmfs_migrate_anon_page(struct vm_area_struct *vma, unsigned long addr,
			   struct page *oldpage, struct page *newpage);
extern atomic_long_t mmfs_nr_pgtable_pages;	/* every table page we hold */

/* ---- mm/gup.c ---- */
long get_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages);
long get_user_pages_remote(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
			   unsigned int gup_flags, struct page **pages, int *locked);
long pin_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages);
long __get_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		      unsigned int gup_flags, struct page **pages, int *locked);
int get_user_pages_fast(struct mm_struct *mm, unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages);
int pin_user_pages_fast(struct mm_struct *mm, unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages);
/* MMFS: pages pinned by the lockless walk alone (no fallback), for tests */
extern atomic_long_t mmfs_gup_fast_pages, mmfs_gup_slow_pages;
void unpin_user_page(struct page *page);
void unpin_user_pages(struct page **pages, unsigned long npages);
/* try_grab_page: take a FOLL_GET or FOLL_PIN reference; 0 or -ENOMEM. */
int try_grab_page(struct page *page, unsigned int flags);
/* The frame driver's pin of a block it mapped (0 / -EINVAL if free). */
int mmfs_pin_mapped_block(struct page *head);
/* Pins held on this head (exact, from the ledger). */
int mmfs_page_pincount(const struct page *page);
int mmfs_gup_boot(void);
void mmfs_gup_shutdown(void);
int mmfs_gup_check(char **buf, size_t *len, size_t *cap);

/* error pointers as the kernel has them */
#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR(ptr); }

/* validate helper (mm/mmap.c): append one formatted line */
void mmfs_vappend(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* MMFS_PGTABLE_TYPES_H */
