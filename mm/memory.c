/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memory.c - page tables of the simulated user address spaces
 * (mm/memory.c, mm/pgtable-generic.c, arch/x86/mm/pgtable.c).
 *
 * Every table is one page from the buddy allocator (GFP_PGTABLE_USER),
 * marked PageTable, owned "pgtable:PID" in page_owner and counted in
 * NR_PAGETABLE.  page->pt_nr_used counts the table's non-none entries;
 * free_pgtables after a zap frees the tables that lie wholly between the
 * neighbouring VMAs (the kernel's floor/ceiling rule) and are empty.
 *
 * Walkers have the kernel's shape: one function per level, a
 * `next = pmd_addr_end(addr, end)` loop, -ENOMEM when a table page cannot
 * be had.  remap_pfn_range() builds special (pfn-only) entries and, where
 * an aligned 2 MiB / 1 GiB piece of the range allows, one huge pmd / pud
 * leaf (as ioremap_page_range's vmap_try_huge_pmd/pud and 6.12's huge
 * pfnmap do).  Anonymous VMAs fault in zeroed pages (do_anonymous_page),
 * so get_user_pages() has something normal to fault and pin.
 *
 * Lock order: mmap_lock (rwsem; write to change tables, read to walk)
 *   -> mm->page_table_lock is not needed: every table change happens with
 *   mmap_lock held for write, except the longterm-pin migration which
 *   swaps one pte under mmap_lock read + mmfs_ptl (below).
 *   Lockless walkers (gup fast) are fenced by mm->gup_fast_active: a table
 *   page is unlinked first and freed only when no walker is in flight
 *   (tlb_remove_table_sync_one).  mmap_lock is writer-fair like the
 *   kernel's rwsem (pgtable_types.h: mmap_init_lock).
 */
#include "pgtable_types.h"
#include "highmem.h"
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char * const pt_level_names[6] = { "", "pte", "pmd", "pud", "p4d", "pgd" };
atomic_long_t mmfs_nr_pgtable_pages;

/* MMFS: one lock serialises single-pte swaps done under mmap_lock read
 * (longterm-pin migration) against follow_page_pte's read+grab. */
static spinlock_t mmfs_ptl = __SPIN_LOCK_UNLOCKED;

/* ------------------------------------------------------- table pages */

static inline struct page *pt_page(const void *entry)
{
	return virt_to_page((const void *)ALIGN_DOWN((unsigned long)entry, PAGE_SIZE));
}

/* a table entry went none -> used / used -> none */
static inline void pt_inc_used(const void *entry)
{
	struct page *page = pt_page(entry);

	VM_BUG_ON_PAGE(page->pt_nr_used >= PTRS_PER_PTE, page);
	page->pt_nr_used++;
}

static inline void pt_dec_used(const void *entry)
{
	struct page *page = pt_page(entry);

	VM_BUG_ON_PAGE(page->pt_nr_used == 0, page);
	page->pt_nr_used--;
}

/**
 * mmfs_pgtable_alloc - one zeroed table page for @mm (pagetable_alloc).
 * @mm: the address space
 * @level: PT_LEVEL_PTE .. PT_LEVEL_PGD
 * @addr: an address the table covers (kept in page->pt_index)
 *
 * Return: the host pointer of the table, NULL when the allocator fails.
 */
void *mmfs_pgtable_alloc(struct mm_struct *mm, int level, unsigned long addr)
{
	static const unsigned int shift[6] = { 0, PMD_SHIFT, PUD_SHIFT, P4D_SHIFT, PGDIR_SHIFT, 64 };
	struct page *page = alloc_pages(GFP_PGTABLE_USER, 0);
	void *table;

	if (!page)
		return NULL;
	table = page_address(page);
	if (unlikely(!table)) {			/* never highmem: no __GFP_HIGHMEM */
		__free_pages(page, 0);
		return NULL;
	}
	/* zeroed by the allocator: GFP_PGTABLE_USER has __GFP_ZERO */
	__SetPageTable(page);
	page->pt_owner_pid = (unsigned long)mm->pid;
	page->pt_level = (unsigned long)level;
	page->pt_index = shift[level] >= 64 ? 0 : addr & ~((1UL << shift[level]) - 1);
	page->pt_nr_used = 0;
	mmfs_set_owner(page, MMFS_OWNER_PGTABLE, mm->pid);
	mod_node_page_state(NODE_DATA(page_to_nid(page)), NR_PAGETABLE, 1);
	if (level != PT_LEVEL_PGD)
		atomic_long_add(PAGE_SIZE, &mm->pgtables_bytes);
	atomic_long_add(1, &mm->nr_tables);
	atomic_long_add(1, &mmfs_nr_pgtable_pages);
	return table;
}

/* Wait until no lockless walker can still be reading an unlinked table. */
static void tlb_remove_table_sync_one(struct mm_struct *mm)
{
	unsigned int spins = 0;

	/* a full barrier after the unlink (the IPI's role), then wait; a
	 * walker can be preempted mid-walk (more threads than cores), so
	 * give it the CPU instead of spinning against it */
	while (atomic_fetch_add_explicit(&mm->gup_fast_active.counter, 0, memory_order_seq_cst)) {
		if (++spins < 64)
			__builtin_ia32_pause();
		else
			sched_yield();
	}
}

/**
 * mmfs_pgtable_free - give an (unlinked, empty) table page back.
 * @mm: the address space it belonged to
 * @table: host pointer from mmfs_pgtable_alloc()
 */
void mmfs_pgtable_free(struct mm_struct *mm, void *table)
{
	struct page *page = virt_to_page(table);
	int level = (int)page->pt_level;

	tlb_remove_table_sync_one(mm);
	mod_node_page_state(NODE_DATA(page_to_nid(page)), NR_PAGETABLE, -1);
	if (level != PT_LEVEL_PGD)
		atomic_long_sub(PAGE_SIZE, &mm->pgtables_bytes);
	atomic_long_sub(1, &mm->nr_tables);
	atomic_long_sub(1, &mmfs_nr_pgtable_pages);
	/* the pt_* words overlay lru/mapping/index/private: clean them */
	page->pt_owner_pid = 0;
	page->pt_level = 0;
	page->pt_index = 0;
	page->pt_nr_used = 0;
	page->lru.next = NULL;
	page->lru.prev = NULL;
	__ClearPageTable(page);
	__free_pages(page, 0);
}

static inline uint64_t pt_entry_of(void *table)
{
	return ((uint64_t)mmfs_virt_to_pfn(table) << PAGE_SHIFT) | _PAGE_TABLE;
}

/* ---------------------------------------------------- the *_alloc steps */

#if CONFIG_PGTABLE_LEVELS == 5
static p4d_t *p4d_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long addr)
{
	if (pgd_none(pgdp_get(pgd))) {
		void *new = mmfs_pgtable_alloc(mm, PT_LEVEL_P4D, addr);

		if (!new)
			return NULL;
		pt_store(&pgd->pgd, pt_entry_of(new));
		pt_inc_used(pgd);
	}
	return p4d_offset(pgd, addr);
}
#else
static inline p4d_t *p4d_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long addr)
{
	(void)mm;
	return p4d_offset(pgd, addr);
}
#endif

static pud_t *pud_alloc(struct mm_struct *mm, p4d_t *p4d, unsigned long addr)
{
	if (p4d_none(p4dp_get(p4d))) {
		void *new = mmfs_pgtable_alloc(mm, PT_LEVEL_PUD, addr);

		if (!new)
			return NULL;
		pt_store(&p4d->p4d, pt_entry_of(new));
		pt_inc_used(p4d);
	}
	return pud_offset(p4d, addr);
}

static pmd_t *pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long addr)
{
	if (pud_none(pudp_get(pud))) {
		void *new = mmfs_pgtable_alloc(mm, PT_LEVEL_PMD, addr);

		if (!new)
			return NULL;
		pt_store(&pud->pud, pt_entry_of(new));
		pt_inc_used(pud);
	}
	return pmd_offset(pud, addr);
}

static pte_t *pte_alloc_map(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	if (pmd_none(pmdp_get(pmd))) {
		void *new = mmfs_pgtable_alloc(mm, PT_LEVEL_PTE, addr);

		if (!new)
			return NULL;
		pt_store(&pmd->pmd, pt_entry_of(new));
		pt_inc_used(pmd);
	}
	return pte_offset_map(pmd, addr);
}

static inline void set_pte_at(pte_t *ptep, pte_t pte)
{
	if (pte_none(ptep_get(ptep)) && !pte_none(pte))
		pt_inc_used(ptep);
	pt_store(&ptep->pte, pte_val(pte));
}

static inline pte_t ptep_get_and_clear(pte_t *ptep)
{
	pte_t old = ptep_get(ptep);

	if (!pte_none(old)) {
		pt_store(&ptep->pte, 0);
		pt_dec_used(ptep);
	}
	return old;
}

/* ---------------------------------------------------- remap_pfn_range */

static int remap_pte_range(struct mm_struct *mm, pmd_t *pmd, unsigned long addr,
			   unsigned long end, unsigned long pfn, pgprot_t prot)
{
	pte_t *pte = pte_alloc_map(mm, pmd, addr);

	if (!pte)
		return -ENOMEM;
	do {
		/* MMFS: the kernel BUG()s on a populated pte; we refuse */
		if (!pte_none(ptep_get(pte)))
			return -EBUSY;
		set_pte_at(pte, pte_mkspecial(pfn_pte(pfn, prot)));
		pfn++;
	} while (pte++, addr += PAGE_SIZE, addr != end);
	return 0;
}

/*
 * MMFS: a whole aligned 2 MiB piece whose pfn is 2 MiB aligned becomes one
 * special huge pmd (vmap_try_huge_pmd / 6.12 huge pfnmap); the kernel's
 * remap_pmd_range always goes down to ptes.
 */
static bool remap_try_huge_pmd(pmd_t *pmd, unsigned long addr, unsigned long end,
			       unsigned long pfn, pgprot_t prot)
{
	if (end - addr != PMD_SIZE || !IS_ALIGNED(addr, PMD_SIZE) ||
	    !IS_ALIGNED(pfn, 1UL << HPAGE_PMD_ORDER) || !pmd_none(pmdp_get(pmd)))
		return false;
	pt_store(&pmd->pmd, pmd_val(pfn_pmd(pfn, prot)) | _PAGE_SPECIAL);
	pt_inc_used(pmd);
	return true;
}

static int remap_pmd_range(struct mm_struct *mm, pud_t *pud, unsigned long addr,
			   unsigned long end, unsigned long pfn, pgprot_t prot)
{
	unsigned long next;
	pmd_t *pmd;
	int err;

	pfn -= addr >> PAGE_SHIFT;
	pmd = pmd_alloc(mm, pud, addr);
	if (!pmd)
		return -ENOMEM;
	do {
		next = pmd_addr_end(addr, end);
		if (remap_try_huge_pmd(pmd, addr, next, pfn + (addr >> PAGE_SHIFT), prot))
			continue;
		if (pmd_leaf(pmdp_get(pmd)))
			return -EBUSY;
		err = remap_pte_range(mm, pmd, addr, next, pfn + (addr >> PAGE_SHIFT), prot);
		if (err)
			return err;
	} while (pmd++, addr = next, addr != end);
	return 0;
}

/* MMFS: the 1 GiB analogue (vmap_try_huge_pud) */
static bool remap_try_huge_pud(pud_t *pud, unsigned long addr, unsigned long end,
			       unsigned long pfn, pgprot_t prot)
{
	if (end - addr != PUD_SIZE || !IS_ALIGNED(addr, PUD_SIZE) ||
	    !IS_ALIGNED(pfn, 1UL << HPAGE_PUD_ORDER) || !pud_none(pudp_get(pud)))
		return false;
	pt_store(&pud->pud, pud_val(pfn_pud(pfn, prot)) | _PAGE_SPECIAL);
	pt_inc_used(pud);
	return true;
}

static int remap_pud_range(struct mm_struct *mm, p4d_t *p4d, unsigned long addr,
			   unsigned long end, unsigned long pfn, pgprot_t prot)
{
	unsigned long next;
	pud_t *pud;
	int err;

	pfn -= addr >> PAGE_SHIFT;
	pud = pud_alloc(mm, p4d, addr);
	if (!pud)
		return -ENOMEM;
	do {
		next = pud_addr_end(addr, end);
		if (remap_try_huge_pud(pud, addr, next, pfn + (addr >> PAGE_SHIFT), prot))
			continue;
		if (pud_leaf(pudp_get(pud)))
			return -EBUSY;
		err = remap_pmd_range(mm, pud, addr, next, pfn + (addr >> PAGE_SHIFT), prot);
		if (err)
			return err;
	} while (pud++, addr = next, addr != end);
	return 0;
}

static int remap_p4d_range(struct mm_struct *mm, pgd_t *pgd, unsigned long addr,
			   unsigned long end, unsigned long pfn, pgprot_t prot)
{
	unsigned long next;
	p4d_t *p4d;
	int err;

	pfn -= addr >> PAGE_SHIFT;
	p4d = p4d_alloc(mm, pgd, addr);
	if (!p4d)
		return -ENOMEM;
	do {
		next = p4d_addr_end(addr, end);
		err = remap_pud_range(mm, p4d, addr, next, pfn + (addr >> PAGE_SHIFT), prot);
		if (err)
			return err;
	} while (p4d++, addr = next, addr != end);
	return 0;
}

/*
 * remap_pfn_range_notrack - the body of remap_pfn_range, as the seed traces
 * it: COW mappings remember the first pfn in vm_pgoff (so vm_normal_page can
 * tell the original pfns from COWed pages), the VMA becomes
 * VM_IO|VM_PFNMAP|VM_DONTEXPAND|VM_DONTDUMP, then the pgd loop.
 */
static int remap_pfn_range_notrack(struct vm_area_struct *vma, unsigned long addr,
				   unsigned long pfn, unsigned long size, pgprot_t prot)
{
	unsigned long next, end = addr + PAGE_ALIGN(size);
	struct mm_struct *mm = vma->vm_mm;
	pgd_t *pgd;
	int err;

	if (WARN_ON_ONCE(!IS_ALIGNED(addr, PAGE_SIZE)))
		return -EINVAL;
	if (addr >= end || addr < vma->vm_start || end > vma->vm_end)
		return -EINVAL;
	if (pfn + (size >> PAGE_SHIFT) > (1UL << (__PHYSICAL_MASK_SHIFT - PAGE_SHIFT)))
		return -EINVAL;
	if (is_cow_mapping(vma->vm_flags)) {
		if (addr != vma->vm_start || end != vma->vm_end)
			return -EINVAL;
		vma->vm_pgoff = pfn;
	}
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;

	pfn -= addr >> PAGE_SHIFT;
	pgd = pgd_offset(mm, addr);
	/* flush_cache_range(vma, addr, end): nothing to flush on x86 */
	do {
		next = pgd_addr_end(addr, end);
		err = remap_p4d_range(mm, pgd, addr, next, pfn + (addr >> PAGE_SHIFT), prot);
		if (err)
			return err;
	} while (pgd++, addr = next, addr != end);
	return 0;
}

/**
 * remap_pfn_range - remap kernel memory to userspace
 * @vma: user vma to map to
 * @addr: target page aligned user address to start at
 * @pfn: page frame number of kernel physical memory address
 * @size: size of mapping area
 * @prot: page protection flags for this mapping
 *
 * Context: mmap_lock held for write.
 * Return: 0 on success, -EINVAL on a bad range, -ENOMEM when a table page
 * cannot be allocated (what was built is zapped again).
 */
int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn,
		    unsigned long size, pgprot_t prot)
{
	int err = remap_pfn_range_notrack(vma, addr, pfn, size, prot);

	if (err && err != -EINVAL) {
		zap_page_range(vma, addr, PAGE_ALIGN(size));
		free_pgd_range(vma->vm_mm, addr, addr + PAGE_ALIGN(size), 0, 0);
	}
	return err;
}

/* ---------------------------------------------------------- normal pages */

#define PAGE_MAPPING_ANON	0x1UL
static inline bool PageAnon(const struct page *page)
{ return ((unsigned long)page->mapping & PAGE_MAPPING_ANON) != 0; }
static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{ return !vma->vm_file && !(vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP | VM_IO)); }

/**
 * vm_normal_page - the struct page behind a pte, or NULL for a special one.
 * @vma: the VMA the pte belongs to
 * @addr: its address
 * @pte: the entry
 *
 * With ARCH_HAS_PTE_SPECIAL (x86): special ptes (remap_pfn_range's) have no
 * struct page to refcount, so VM_PFNMAP/VM_MIXEDMAP special entries give NULL.
 */
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	unsigned long pfn = pte_pfn(pte);

	if (likely(!pte_special(pte)))
		goto check_pfn;
	if (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))
		return NULL;
	printk("BUG: Bad page map in process %s  pte:%08llx", current->comm,
	       (unsigned long long)pte_val(pte));
	return NULL;
check_pfn:
	if (unlikely(!pfn_valid(pfn))) {
		printk("BUG: Bad page map in process %s  pte:%08llx", current->comm,
		       (unsigned long long)pte_val(pte));
		return NULL;
	}
	(void)addr;
	return pfn_to_page(pfn);
}

static pte_t *get_locked_pte(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d = p4d_alloc(mm, pgd, addr);
	pud_t *pud;
	pmd_t *pmd;

	if (!p4d)
		return NULL;
	pud = pud_alloc(mm, p4d, addr);
	if (!pud || pud_leaf(pudp_get(pud)))
		return NULL;
	pmd = pmd_alloc(mm, pud, addr);
	if (!pmd || pmd_leaf(pmdp_get(pmd)))
		return NULL;
	return pte_alloc_map(mm, pmd, addr);
}

/**
 * vm_insert_page - insert a single page into a user vma
 * @vma: user vma to map to (becomes VM_MIXEDMAP)
 * @addr: target user address of this page
 * @page: source kernel page (refcount > 0: order-0 or part of a compound page)
 *
 * Context: mmap_lock held for write.
 * Return: 0, -EFAULT outside the VMA, -EINVAL for a page that cannot be
 * inserted, -EBUSY if something is mapped there, -ENOMEM.
 */
int vm_insert_page(struct vm_area_struct *vma, unsigned long addr, struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *pte;

	if (addr < vma->vm_start || addr >= vma->vm_end || !IS_ALIGNED(addr, PAGE_SIZE))
		return -EFAULT;
	if (!page_ref_count(compound_head(page)))
		return -EINVAL;
	if (vma->vm_flags & VM_PFNMAP)
		return -EINVAL;
	/* validate_page_before_insert */
	if (PageAnon(page) || PageSlab(page) || PageTable(page) || PageBuddy(page))
		return -EINVAL;
	vma->vm_flags |= VM_MIXEDMAP;
	pte = get_locked_pte(mm, addr);
	if (!pte)
		return -ENOMEM;
	if (!pte_none(ptep_get(pte)))
		return -EBUSY;
	get_page(page);
	atomic_inc(&page->_mapcount);		/* page_add_file_rmap */
	atomic_long_add(1, &mm->rss);
	update_hiwater_rss(mm);
	set_pte_at(pte, pfn_pte(page_to_pfn(page), vma->vm_page_prot));
	return 0;
}

/**
 * mmfs_insert_huge_pmd - map a compound order-9 page with one pmd leaf
 * (vmf_insert_pfn_pmd / do_set_pmd for a page we can refcount).
 * @vma: VM_MIXEDMAP-able vma
 * @addr: 2 MiB aligned address inside it
 * @page: head of a compound page of order HPAGE_PMD_ORDER
 *
 * Return: 0, -EINVAL, -EBUSY or -ENOMEM.
 */
int mmfs_insert_huge_pmd(struct vm_area_struct *vma, unsigned long addr, struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;

	if (!IS_ALIGNED(addr, PMD_SIZE) || addr < vma->vm_start || addr + PMD_SIZE > vma->vm_end)
		return -EINVAL;
	if (!PageHead(page) || compound_order(page) != HPAGE_PMD_ORDER || !page_ref_count(page))
		return -EINVAL;
	if (vma->vm_flags & VM_PFNMAP)
		return -EINVAL;
	vma->vm_flags |= VM_MIXEDMAP;
	pgd = pgd_offset(mm, addr);
	p4d = p4d_alloc(mm, pgd, addr);
	if (!p4d)
		return -ENOMEM;
	pud = pud_alloc(mm, p4d, addr);
	if (!pud)
		return -ENOMEM;
	if (pud_leaf(pudp_get(pud)))
		return -EBUSY;
	pmd = pmd_alloc(mm, pud, addr);
	if (!pmd)
		return -ENOMEM;
	if (!pmd_none(pmdp_get(pmd)))
		return -EBUSY;
	get_page(page);
	atomic_inc(&page[1].compound_mapcount);
	atomic_long_add(1L << HPAGE_PMD_ORDER, &mm->rss);
	update_hiwater_rss(mm);
	pt_store(&pmd->pmd, pmd_val(pfn_pmd(page_to_pfn(page), vma->vm_page_prot)));
	pt_inc_used(pmd);
	return 0;
}

/* ------------------------------------------------------------- faults */

/*
 * do_anonymous_page - a zeroed page for an anonymous VMA.  page->mapping
 * carries the VMA with PAGE_MAPPING_ANON (our anon_vma) and page->index
 * the linear page index, so longterm-pin migration can find the pte.
 */
static unsigned int do_anonymous_page(struct vm_area_struct *vma, unsigned long address,
				      pte_t *pte)
{
	struct page *page;
	pte_t entry;

	page = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0);
	if (!page)
		return VM_FAULT_OOM;
	mmfs_set_owner(page, MMFS_OWNER_USER, current->uid);
	page->mapping = (void *)((unsigned long)vma | PAGE_MAPPING_ANON);
	page->index = address >> PAGE_SHIFT;
	atomic_set(&page->_mapcount, 0);		/* page_add_new_anon_rmap */
	atomic_long_add(1, &vma->vm_mm->rss);
	atomic_long_add(1, &vma->vm_mm->rss_anon);
	update_hiwater_rss(vma->vm_mm);
	entry = pfn_pte(page_to_pfn(page), vma->vm_page_prot);
	if (vma->vm_flags & VM_WRITE)
		entry = pte_mkwrite(pte_mkdirty(entry));
	set_pte_at(pte, entry);
	return 0;
}

/**
 * handle_mm_fault - resolve a missing translation at @address.
 * @vma: the VMA holding @address
 * @address: the faulting address
 * @flags: FAULT_FLAG_WRITE (1) or 0
 *
 * Context: mmap_lock held for write or read (MMFS: table changes by faults
 * are serialised by mmfs_ptl).
 * Return: 0 or VM_FAULT_* bits.  Only anonymous VMAs can fault pages in;
 * VM_PFNMAP and VM_MIXEDMAP VMAs have no ->fault (SIGBUS).
 */
unsigned int handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned int ret = 0;
	pte_t *pte;

	(void)flags;
	if (!vma_is_anonymous(vma))
		return VM_FAULT_SIGBUS;
	address &= PAGE_MASK;
	spin_lock(&mmfs_ptl);
	pte = get_locked_pte(mm, address);
	if (!pte)
		ret = VM_FAULT_OOM;
	else if (pte_none(ptep_get(pte)))
		ret = do_anonymous_page(vma, address, pte);
	else if ((flags & 1) && !pte_write(ptep_get(pte)))
		ret = VM_FAULT_SIGSEGV;	/* MMFS: no do_wp_page (COW) here */
	spin_unlock(&mmfs_ptl);
	return ret;
}

/* ------------------------------------------------------------------ zap */

static void zap_put_page(struct mm_struct *mm, struct page *page, long nr)
{
	atomic_long_sub(nr, &mm->rss);
	if (PageAnon(page))
		atomic_long_sub(nr, &mm->rss_anon);
	if (atomic_add_return(-1, &page->_mapcount) < 0 && PageAnon(page))
		page->mapping = NULL;		/* MMFS: the last unmap forgets the anon_vma */
	put_page(page);
}

static void zap_pte_range(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr,
			  unsigned long end)
{
	pte_t *pte = pte_offset_map(pmd, addr);

	do {
		pte_t ptent = ptep_get(pte);
		struct page *page;

		if (pte_none(ptent))
			continue;
		ptent = ptep_get_and_clear(pte);
		if (!pte_present(ptent))
			continue;
		page = vm_normal_page(vma, addr, ptent);
		if (page)
			zap_put_page(vma->vm_mm, page, 1);
	} while (pte++, addr += PAGE_SIZE, addr != end);
}

static void zap_huge_pmd(struct vm_area_struct *vma, pmd_t *pmd)
{
	pmd_t orig = pmdp_get(pmd);

	pt_store(&pmd->pmd, 0);
	pt_dec_used(pmd);
	if (!pmd_special(orig) && pfn_valid(pmd_pfn(orig))) {
		struct page *page = pfn_to_page(pmd_pfn(orig));

		atomic_long_sub(1L << HPAGE_PMD_ORDER, &vma->vm_mm->rss);
		atomic_dec(&page[1].compound_mapcount);
		put_page(page);
	}
}

static void zap_pmd_range(struct vm_area_struct *vma, pud_t *pud, unsigned long addr,
			  unsigned long end)
{
	pmd_t *pmd = pmd_offset(pud, addr);
	unsigned long next;

	do {
		pmd_t pmdval = pmdp_get(pmd);

		next = pmd_addr_end(addr, end);
		if (pmd_none(pmdval))
			continue;
		if (pmd_leaf(pmdval)) {
			/* MMFS: a partial zap of a huge leaf drops the whole leaf
			 * (the kernel would split it first) */
			zap_huge_pmd(vma, pmd);
			continue;
		}
		zap_pte_range(vma, pmd, addr, next);
	} while (pmd++, addr = next, addr != end);
}

static void zap_pud_range(struct vm_area_struct *vma, p4d_t *p4d, unsigned long addr,
			  unsigned long end)
{
	pud_t *pud = pud_offset(p4d, addr);
	unsigned long next;

	do {
		pud_t pudval = pudp_get(pud);

		next = pud_addr_end(addr, end);
		if (pud_none(pudval))
			continue;
		if (pud_leaf(pudval)) {
			pt_store(&pud->pud, 0);	/* special only (remap) */
			pt_dec_used(pud);
			continue;
		}
		zap_pmd_range(vma, pud, addr, next);
	} while (pud++, addr = next, addr != end);
}

static void zap_p4d_range(struct vm_area_struct *vma, pgd_t *pgd, unsigned long addr,
			  unsigned long end)
{
	p4d_t *p4d = p4d_offset(pgd, addr);
	unsigned long next;

	do {
		next = p4d_addr_end(addr, end);
		if (p4d_none(p4dp_get(p4d)))
			continue;
		zap_pud_range(vma, p4d, addr, next);
	} while (p4d++, addr = next, addr != end);
}

static void unmap_page_range(struct vm_area_struct *vma, unsigned long addr, unsigned long end)
{
	pgd_t *pgd = pgd_offset(vma->vm_mm, addr);
	unsigned long next;

	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none(pgdp_get(pgd)))
			continue;
		zap_p4d_range(vma, pgd, addr, next);
	} while (pgd++, addr = next, addr != end);
}

/**
 * zap_page_range - remove user pages in a given range
 * @vma: vm_area_struct holding the applicable pages
 * @address: starting address of pages to zap
 * @size: number of bytes to zap
 *
 * Context: mmap_lock held for write.  Table pages stay (free_pgtables).
 */
void zap_page_range(struct vm_area_struct *vma, unsigned long address, unsigned long size)
{
	unsigned long end = address + size;

	address = max(address, vma->vm_start);
	end = min(end, vma->vm_end);
	if (address >= end || !vma->vm_mm->pgd)
		return;
	unmap_page_range(vma, address, end);
}

/**
 * unmap_vmas - unmap a range of memory covered by a VMA
 * @vma: the VMA
 * @start: first address
 * @end: first address after
 */
void unmap_vmas(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	zap_page_range(vma, start, end - start);
}

/* ------------------------------------------------------- free_pgtables */

/*
 * The kernel's free_pgd_range: a table is freed when the whole span it
 * covers lies inside [floor, ceiling) -- the gap between the neighbouring
 * VMAs, so no other VMA can have entries in it (ceiling 0 means the top of
 * the address space).  MMFS: each table also knows its live entries
 * (pt_nr_used) and is freed only when it is empty as well; for a zapped VMA
 * between its real neighbours the two rules agree, and callers that pass
 * floor = ceiling = 0 (remap_pfn_range's error path) are safe too.
 */
static inline bool pt_span_free(unsigned long start, unsigned long end, unsigned long mask,
				unsigned long floor, unsigned long ceiling)
{
	start &= mask;
	if (start < floor)
		return false;
	if (ceiling) {
		ceiling &= mask;
		if (!ceiling)
			return false;
	}
	return !(end - 1 > ceiling - 1);
}

static void free_pte_range(struct mm_struct *mm, pmd_t *pmd)
{
	pte_t *table = pt_table_ptr(pmd_val(pmdp_get(pmd)));

	if (pt_page(table)->pt_nr_used)
		return;
	pt_store(&pmd->pmd, 0);
	pt_dec_used(pmd);
	mmfs_pgtable_free(mm, table);
}

static void free_pmd_range(struct mm_struct *mm, pud_t *pud, unsigned long addr, unsigned long end,
			   unsigned long floor, unsigned long ceiling)
{
	unsigned long next, start = addr;
	pmd_t *pmd = pmd_offset(pud, addr), *table;

	do {
		pmd_t v = pmdp_get(pmd);

		next = pmd_addr_end(addr, end);
		if (pmd_none(v) || pmd_leaf(v))
			continue;
		free_pte_range(mm, pmd);
	} while (pmd++, addr = next, addr != end);

	if (!pt_span_free(start, end, PUD_MASK, floor, ceiling))
		return;
	table = pt_table_ptr(pud_val(pudp_get(pud)));
	if (pt_page(table)->pt_nr_used)
		return;
	pt_store(&pud->pud, 0);
	pt_dec_used(pud);
	mmfs_pgtable_free(mm, table);
}

static void free_pud_range(struct mm_struct *mm, p4d_t *p4d, unsigned long addr, unsigned long end,
			   unsigned long floor, unsigned long ceiling)
{
	unsigned long next, start = addr;
	pud_t *pud = pud_offset(p4d, addr), *table;

	do {
		pud_t v = pudp_get(pud);

		next = pud_addr_end(addr, end);
		if (pud_none(v) || pud_leaf(v))
			continue;
		free_pmd_range(mm, pud, addr, next, floor, ceiling);
	} while (pud++, addr = next, addr != end);

	if (!pt_span_free(start, end, P4D_MASK, floor, ceiling))
		return;
	table = pt_table_ptr(p4d_val(p4dp_get(p4d)));
	if (pt_page(table)->pt_nr_used)
		return;
	pt_store(&p4d->p4d, 0);
	pt_dec_used(p4d);
	mmfs_pgtable_free(mm, table);
}

static void free_p4d_range(struct mm_struct *mm, pgd_t *pgd, unsigned long addr, unsigned long end,
			   unsigned long floor, unsigned long ceiling)
{
	unsigned long next, start = addr;
	p4d_t *p4d = p4d_offset(pgd, addr);

	do {
		next = p4d_addr_end(addr, end);
		if (p4d_none(p4dp_get(p4d)))
			continue;
		free_pud_range(mm, p4d, addr, next, floor, ceiling);
	} while (p4d++, addr = next, addr != end);
#if CONFIG_PGTABLE_LEVELS == 5
	if (pt_span_free(start, end, PGDIR_MASK, floor, ceiling)) {
		p4d_t *table = pt_table_ptr(pgd_val(pgdp_get(pgd)));

		if (pt_page(table)->pt_nr_used)
			return;
		pt_store(&pgd->pgd, 0);
		pt_dec_used(pgd);
		mmfs_pgtable_free(mm, table);
	}
#else
	(void)start;
#endif
}

/**
 * free_pgd_range - free the page tables of [addr, end) that no VMA needs
 * @mm: the address space
 * @addr: first address
 * @end: first address after
 * @floor: the end of the VMA below (FIRST_USER_ADDRESS if none): tables
 *	reaching below it are kept
 * @ceiling: the start of the VMA above (0 = top of the address space):
 *	tables reaching above it are kept
 *
 * Context: mmap_lock held for write, after the range was zapped.
 */
void free_pgd_range(struct mm_struct *mm, unsigned long addr, unsigned long end,
		    unsigned long floor, unsigned long ceiling)
{
	unsigned long next;
	pgd_t *pgd;

	if (!mm->pgd || addr >= end)
		return;
	/* the kernel's trimming: only pte tables wholly in [floor, ceiling) */
	addr &= PMD_MASK;
	if (addr < floor) {
		addr += PMD_SIZE;
		if (!addr)
			return;
	}
	if (ceiling) {
		ceiling &= PMD_MASK;
		if (!ceiling)
			return;
	}
	if (end - 1 > ceiling - 1)
		end -= PMD_SIZE;
	if (addr > end - 1)
		return;
	pgd = pgd_offset(mm, addr);
	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none(pgdp_get(pgd)))
			continue;
		free_p4d_range(mm, pgd, addr, next, floor, ceiling);
	} while (pgd++, addr = next, addr != end);
}

/**
 * free_pgtables - free the page tables a zapped VMA leaves unused
 * @vma: the VMA (already zapped)
 * @floor: prev ? prev->vm_end : FIRST_USER_ADDRESS
 * @ceiling: next ? next->vm_start : USER_PGTABLES_CEILING (0)
 *
 * Context: mmap_lock held for write.
 */
void free_pgtables(struct vm_area_struct *vma, unsigned long floor, unsigned long ceiling)
{
	free_pgd_range(vma->vm_mm, vma->vm_start, vma->vm_end, floor, ceiling);
}

/* ---------------------------------------------------------------- follow */

/**
 * follow_pfn_walk - the pfn mapped at @address (follow_pte /
 * follow_pfnmap_start, huge pmd and pud leaves included).
 * @mm: the address space (mmap_lock held)
 * @address: user address
 * @pfn: out: the pfn of the 4 KiB page at @address
 * @writable: out (may be NULL): the leaf allows writes
 * @level: out (may be NULL): PT_LEVEL_* of the leaf
 *
 * Return: 0, or -EINVAL when nothing is mapped there.
 */
int follow_pfn_walk(struct mm_struct *mm, unsigned long address, unsigned long *pfn,
		    bool *writable, int *level)
{
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud, pudv;
	pmd_t *pmd, pmdv;
	pte_t pte;

	if (!mm->pgd || address >= TASK_SIZE_MAX)
		return -EINVAL;
	pgd = pgd_offset(mm, address);
	if (pgd_none(pgdp_get(pgd)))
		return -EINVAL;
	p4d = p4d_offset(pgd, address);
	if (p4d_none(p4dp_get(p4d)))
		return -EINVAL;
	pud = pud_offset(p4d, address);
	pudv = pudp_get(pud);
	if (pud_none(pudv))
		return -EINVAL;
	if (pud_leaf(pudv)) {
		*pfn = pud_pfn(pudv) + ((address & ~PUD_MASK) >> PAGE_SHIFT);
		if (writable)
			*writable = pud_write(pudv);
		if (level)
			*level = PT_LEVEL_PUD;
		return 0;
	}
	pmd = pmd_offset(pud, address);
	pmdv = pmdp_get(pmd);
	if (pmd_none(pmdv))
		return -EINVAL;
	if (pmd_leaf(pmdv)) {
		*pfn = pmd_pfn(pmdv) + ((address & ~PMD_MASK) >> PAGE_SHIFT);
		if (writable)
			*writable = pmd_write(pmdv);
		if (level)
			*level = PT_LEVEL_PMD;
		return 0;
	}
	pte = ptep_get(pte_offset_map(pmd, address));
	if (!pte_present(pte))
		return -EINVAL;
	*pfn = pte_pfn(pte);
	if (writable)
		*writable = pte_write(pte);
	if (level)
		*level = PT_LEVEL_PTE;
	return 0;
}

static struct page *no_page_table(struct vm_area_struct *vma, unsigned int flags)
{
	if ((flags & FOLL_DUMP) && vma_is_anonymous(vma))
		return ERR_PTR(-EFAULT);
	return NULL;
}

static struct page *follow_page_pte(struct vm_area_struct *vma, unsigned long address,
				    pmd_t *pmd, unsigned int flags)
{
	struct page *page;
	pte_t *ptep, pte;
	int ret;

	spin_lock(&mmfs_ptl);
	ptep = pte_offset_map(pmd, address);
	pte = ptep_get(ptep);
	if (!pte_present(pte))
		goto no_page;
	page = vm_normal_page(vma, address, pte);
	if ((flags & FOLL_WRITE) && !pte_write(pte)) {
		page = NULL;		/* can_follow_write_pte: fault (COW) first */
		goto out;
	}
	if (unlikely(!page)) {
		if (flags & FOLL_DUMP) {
			page = ERR_PTR(-EFAULT);
			goto out;
		}
		/* follow_pfn_pte: a proper entry without a struct page */
		page = ERR_PTR((flags & FOLL_GET) ? -EFAULT : -EEXIST);
		goto out;
	}
	ret = try_grab_page(page, flags);
	if (unlikely(ret)) {
		page = ERR_PTR(ret);
		goto out;
	}
	if (flags & FOLL_TOUCH) {
		if ((flags & FOLL_WRITE) && !pte_dirty(pte))
			SetPageDirty(compound_head(page));
		SetPageReferenced(compound_head(page));
	}
out:
	spin_unlock(&mmfs_ptl);
	return page;
no_page:
	spin_unlock(&mmfs_ptl);
	if (!pte_none(pte))
		return NULL;
	return no_page_table(vma, flags);
}

static struct page *follow_huge_leaf(unsigned long pfn, bool special, bool write,
				     unsigned int flags, unsigned long index,
				     unsigned int *page_mask, unsigned int order)
{
	struct page *page;
	int ret;

	if ((flags & FOLL_WRITE) && !write)
		return NULL;
	if (special || !pfn_valid(pfn))
		return ERR_PTR((flags & (FOLL_DUMP | FOLL_GET)) ? -EFAULT : -EEXIST);
	page = pfn_to_page(pfn);
	ret = try_grab_page(page, flags);
	if (ret)
		return ERR_PTR(ret);
	*page_mask = (1U << order) - 1;
	return page + index;
}

/**
 * follow_page_mask - look up a page descriptor from a user-virtual address
 * @vma: vm_area_struct mapping @address
 * @address: virtual address to look up
 * @flags: FOLL_* flags
 * @page_mask: out: the leaf's page count - 1 (0 for a pte, 511 for a pmd)
 *
 * Context: mmap_lock held.
 * Return: the page (referenced as FOLL_GET/FOLL_PIN ask), NULL if nothing
 * is mapped (fault it in), ERR_PTR(-EEXIST) for an entry without a struct
 * page (VM_PFNMAP), or another error pointer.
 */
struct page *follow_page_mask(struct vm_area_struct *vma, unsigned long address,
			      unsigned int flags, unsigned int *page_mask)
{
	struct mm_struct *mm = vma->vm_mm;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud, pudv;
	pmd_t *pmd, pmdv;

	*page_mask = 0;
	if (!mm->pgd)
		return no_page_table(vma, flags);
	pgd = pgd_offset(mm, address);
	if (pgd_none(pgdp_get(pgd)))
		return no_page_table(vma, flags);
	p4d = p4d_offset(pgd, address);			/* follow_p4d_mask */
	if (p4d_none(p4dp_get(p4d)))
		return no_page_table(vma, flags);
	pud = pud_offset(p4d, address);			/* follow_pud_mask */
	pudv = pudp_get(pud);
	if (pud_none(pudv))
		return no_page_table(vma, flags);
	if (pud_leaf(pudv))
		return follow_huge_leaf(pud_pfn(pudv), pud_special(pudv), pud_write(pudv), flags,
					(address & ~PUD_MASK) >> PAGE_SHIFT, page_mask, HPAGE_PUD_ORDER);
	pmd = pmd_offset(pud, address);			/* follow_pmd_mask */
	pmdv = pmdp_get(pmd);
	if (pmd_none(pmdv))
		return no_page_table(vma, flags);
	if (likely(!pmd_leaf(pmdv)))
		return follow_page_pte(vma, address, pmd, flags);
	return follow_huge_leaf(pmd_pfn(pmdv), pmd_special(pmdv), pmd_write(pmdv), flags,
				(address & ~PMD_MASK) >> PAGE_SHIFT, page_mask, HPAGE_PMD_ORDER);
}

/* ------------------------------------------------------------ migration */

/**
 * mmfs_migrate_anon_page - move an anonymous page to @newpage (the
 * longterm-pin path of migrate_pages: MR_LONGTERM_PIN).
 * @vma: the VMA mapping @oldpage at @addr
 * @addr: user address
 * @oldpage: mapped once, referenced only by that mapping
 * @newpage: freshly allocated, refcount 1
 *
 * Context: mmap_lock held (read is enough).
 * Return: 0, or -EAGAIN when the page is mapped elsewhere or referenced
 * (the caller frees @newpage).
 */
int mmfs_migrate_anon_page(struct vm_area_struct *vma, unsigned long addr,
			   struct page *oldpage, struct page *newpage)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page_owner *oo, *no;
	int expected = 1, ret = 0;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *ptep, pte;

	spin_lock(&mmfs_ptl);
	pgd = pgd_offset(mm, addr);
	if (pgd_none(pgdp_get(pgd)))
		goto busy;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(p4dp_get(p4d)))
		goto busy;
	pud = pud_offset(p4d, addr);
	if (pud_none(pudp_get(pud)) || pud_leaf(pudp_get(pud)))
		goto busy;
	pmd = pmd_offset(pud, addr);
	if (pmd_none(pmdp_get(pmd)) || pmd_leaf(pmdp_get(pmd)))
		goto busy;
	ptep = pte_offset_map(pmd, addr);
	pte = ptep_get(ptep);
	if (!pte_present(pte) || pte_pfn(pte) != page_to_pfn(oldpage) || page_mapcount(oldpage) != 1)
		goto busy;
	/* folio_ref_freeze: only the mapping may hold it */
	if (!atomic_compare_exchange_strong(&oldpage->_refcount.counter, &expected, 0))
		goto busy;
	memcpy(mmfs_pfn_to_ptr(page_to_pfn(newpage)), mmfs_pfn_to_ptr(page_to_pfn(oldpage)), PAGE_SIZE);
	newpage->mapping = oldpage->mapping;
	newpage->index = oldpage->index;
	atomic_set(&newpage->_mapcount, 0);
	pt_store(&ptep->pte, (pte_val(pte) & ~PTE_PFN_MASK) |
		   ((uint64_t)page_to_pfn(newpage) << PAGE_SHIFT));
	oo = get_page_owner(oldpage);
	no = get_page_owner(newpage);
	if (oo && no) {
		mmfs_set_owner(newpage, oo->kind, oo->owner_id);
		no->pid = oo->pid;
		no->uid = oo->uid;
		memcpy(no->comm, oo->comm, sizeof(no->comm));
		no->last_migrate_reason = 7;	/* MR_LONGTERM_PIN */
	}
	oldpage->mapping = NULL;
	page_mapcount_reset(oldpage);
	set_page_count(oldpage, 1);
	spin_unlock(&mmfs_ptl);
	put_page(oldpage);
	count_vm_event(PGMIGRATE_SUCCESS);
	return ret;
busy:
	spin_unlock(&mmfs_ptl);
	count_vm_event(PGMIGRATE_FAIL);
	return -EAGAIN;
}

/* ------------------------------------------------------------- validate */

static int check_table(struct mm_struct *mm, void *table, int level, long *tables,
		       char **buf, size_t *len, size_t *cap)
{
	struct page *page = virt_to_page(table);
	uint64_t *e = table;
	unsigned long used = 0;
	int bad = 0, i, n = PTRS_PER_PTE;

	(*tables)++;
	if (!PageTable(page)) {
		mmfs_vappend(buf, len, cap, "pgtable pid=%d pfn=0x%lx level=%s: not PageTable",
			     mm->pid, page_to_pfn(page), pt_level_names[level]);
		bad++;
	}
	if ((int)page->pt_level != level || (int)page->pt_owner_pid != mm->pid) {
		mmfs_vappend(buf, len, cap, "pgtable pid=%d pfn=0x%lx: level %lu/owner %lu, expected %s/%d",
			     mm->pid, page_to_pfn(page), page->pt_level, page->pt_owner_pid,
			     pt_level_names[level], mm->pid);
		bad++;
	}
#if CONFIG_PGTABLE_LEVELS == 4
	if (level == PT_LEVEL_PGD)
		level = PT_LEVEL_P4D;		/* folded: pgd entries point to puds */
#endif
	for (i = 0; i < n; i++) {
		uint64_t ent = pt_load(&e[i]);

		if (!ent)
			continue;
		used++;
		if (level > PT_LEVEL_PTE && (ent & _PAGE_PRESENT) &&
		    !((level == PT_LEVEL_PMD || level == PT_LEVEL_PUD) && (ent & _PAGE_PSE)))
			bad += check_table(mm, pt_table_ptr(ent),
					   level == PT_LEVEL_PGD ? PT_LEVEL_P4D : level - 1,
					   tables, buf, len, cap);
	}
	if (used != page->pt_nr_used) {
		mmfs_vappend(buf, len, cap, "pgtable pid=%d pfn=0x%lx level=%s: %lu entries used, pt_nr_used %lu",
			     mm->pid, page_to_pfn(page), pt_level_names[page->pt_level], used,
			     page->pt_nr_used);
		bad++;
	}
	return bad;
}

/**
 * mmfs_pgtable_check - validate mm's tables (mmap_lock held).
 * @mm: the address space
 * @tables: out: table pages found (pgd included), added to *tables
 * @buf: @len: @cap: the validate report
 *
 * Return: violations found.
 */
int mmfs_pgtable_check(struct mm_struct *mm, long *tables, char **buf, size_t *len, size_t *cap)
{
	long found = 0;
	int bad;

	if (!mm->pgd)
		return 0;
	bad = check_table(mm, mm->pgd, PT_LEVEL_PGD, &found, buf, len, cap);
	if (found != atomic_long_read(&mm->nr_tables)) {
		mmfs_vappend(buf, len, cap, "pgtable pid=%d: %ld table pages reachable, %ld accounted",
			     mm->pid, found, atomic_long_read(&mm->nr_tables));
		bad++;
	}
	*tables += found;
	return bad;
}
