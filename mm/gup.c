/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gup.c - get_user_pages and pin_user_pages, slow and fast (mm/gup.c, 6.1
 * FOLL_PIN accounting).
 *
 * FOLL_GET takes a plain reference.  FOLL_PIN (pin_user_pages*) marks the
 * page as DMA-pinned: an order-0 / non-compound head gets refcount +=
 * GUP_PIN_COUNTING_BIAS (1024); a compound page gets refcount +1 and
 * compound_pincount +1 (first tail), as 6.1 does.  page_maybe_dma_pinned()
 * reads it back.  NR_FOLL_PIN_ACQUIRED / NR_FOLL_PIN_RELEASED count pins.
 *
 * Slow path: __get_user_pages walks VMAs with the mmap_lock held, looks
 * each page up with follow_page_mask() and faults missing ones in
 * (handle_mm_fault).  Fast path: a lockless walk gup_pgd_range ->
 * gup_p4d_range -> gup_pud_range -> gup_pmd_range -> gup_pte_range (with
 * gup_huge_pmd / gup_huge_pud), re-checking each entry after the grab;
 * whatever it cannot take falls back to the slow path.
 *
 * FOLL_LONGTERM: a page in ZONE_MOVABLE is not longterm-pinnable; the
 * slow path unpins, migrates it out (anonymous pages only, to GFP_USER
 * memory) and retries, as __gup_longterm_locked /
 * check_and_migrate_movable_pages do.  A page that cannot be isolated
 * (not anonymous: a driver page inserted with vm_insert_page) fails with
 * -EBUSY, a failed migration (no memory) with -ENOMEM — the kernel's codes.
 *
 * MMFS: VM_IO / VM_PFNMAP VMAs are refused (-EFAULT) exactly as the kernel
 * does.  Frame files are such VMAs; the frame "driver" (mm/mmap.c,
 * mmfs_frame_map) pins the struct page of the block it maps itself
 * (mmfs_pin_mapped_block: FOLL_PIN accounting, add-unless-free), as a
 * driver pins its own pages around remapping them, after finding the pfn
 * through the page-table walk of the new mapping.
 *
 * MMFS: every pin is also counted in a per-pfn ledger (mmfs_pin_ledger), so
 * validate can check pins against refcounts and pincount is exact for
 * non-compound blocks too.
 *
 * Lock order: mmap_lock (read) -> mmfs_ptl (memory.c); the fast path takes
 * no lock and announces itself in mm->gup_fast_active.
 */
#include "pgtable_types.h"
#include "internal.h"
#include <stdlib.h>
#include <string.h>

atomic_long_t mmfs_gup_fast_pages, mmfs_gup_slow_pages;

static atomic_int *mmfs_pin_ledger;		/* [mmfs_ledger_pfns] pins per head pfn */
static unsigned long mmfs_ledger_pfns;

/**
 * mmfs_gup_boot - the pin ledger for max_pfn pfns (from mmfs_mmap_boot).
 * Return: 0 or -ENOMEM.
 */
int mmfs_gup_boot(void)
{
	mmfs_ledger_pfns = max_pfn;
	mmfs_pin_ledger = calloc(mmfs_ledger_pfns ? mmfs_ledger_pfns : 1, sizeof(*mmfs_pin_ledger));
	atomic_long_set(&mmfs_gup_fast_pages, 0);
	atomic_long_set(&mmfs_gup_slow_pages, 0);
	return mmfs_pin_ledger ? 0 : -ENOMEM;
}

/**
 * mmfs_gup_shutdown - free the pin ledger (from mmfs_mmap_shutdown).
 */
void mmfs_gup_shutdown(void)
{
	free(mmfs_pin_ledger);
	mmfs_pin_ledger = NULL;
	mmfs_ledger_pfns = 0;
}

static inline void ledger_add(const struct page *head, int refs)
{
	unsigned long pfn = page_to_pfn(head);

	if (likely(pfn < mmfs_ledger_pfns))
		atomic_fetch_add_explicit(&mmfs_pin_ledger[pfn], refs, memory_order_relaxed);
}

/**
 * mmfs_page_pincount - FOLL_PIN pins held on the block headed by @page.
 * @page: any page; its compound head is asked
 *
 * Return: the exact number of pins (0 if none).
 */
int mmfs_page_pincount(const struct page *page)
{
	unsigned long pfn = page_to_pfn(compound_head(page));

	if (!mmfs_pin_ledger || pfn >= mmfs_ledger_pfns)
		return 0;
	return atomic_load_explicit(&mmfs_pin_ledger[pfn], memory_order_relaxed);
}

/**
 * page_maybe_dma_pinned - is this page (probably) pinned for DMA?
 * @page: any page
 *
 * Compound: compound_pincount > 0.  Otherwise refcount >= 1024 (false
 * positives are possible with many plain references, as in the kernel).
 */
__attribute__((weak)) bool page_maybe_dma_pinned(struct page *page)
{
	struct page *head = compound_head(page);

	if (PageHead(head))
		return compound_pincount(head) > 0;
	return page_ref_count(head) >= GUP_PIN_COUNTING_BIAS;
}

static inline bool is_zone_movable_page(const struct page *page)
{
	return page_zonenum(page) == ZONE_MOVABLE;
}

/* folio_is_longterm_pinnable (no CMA here) */
static inline bool page_is_longterm_pinnable(const struct page *page)
{
	return !is_zone_movable_page(page) &&
	       get_pageblock_migratetype(page) != MIGRATE_ISOLATE;
}

/* folio_ref_try_add_rcu: add unless the page is free (refcount 0) */
static inline bool page_ref_add_unless_zero(struct page *page, int refs)
{
	int old = atomic_read(&page->_refcount);

	do {
		if (old <= 0)
			return false;
	} while (!atomic_compare_exchange_weak(&page->_refcount.counter, &old, old + refs));
	return true;
}

/*
 * NR_FOLL_PIN_* updates batched per node over one call (the kernel updates
 * per folio; the sums are the same, the per-cpu counter traffic is not).
 */
struct pin_stat {
	int nid;		/* node of the pending count, -1 none */
	long nr;		/* pending pins */
	enum node_stat_item item;
};

static inline void pin_stat_flush(struct pin_stat *ps)
{
	if (ps->nr)
		mod_node_page_state(NODE_DATA(ps->nid), ps->item, ps->nr);
	ps->nr = 0;
}

static inline void pin_stat_add(struct pin_stat *ps, const struct page *head, int refs)
{
	int nid = page_to_nid(head);

	if (!ps) {
		mod_node_page_state(NODE_DATA(nid), NR_FOLL_PIN_ACQUIRED, refs);
		return;
	}
	if (unlikely(nid != ps->nid)) {
		pin_stat_flush(ps);
		ps->nid = nid;
	}
	ps->nr += refs;
}

/*
 * try_grab_folio - the fast path's grab: @refs references on the head of
 * @page, taken only if it is not free.  NULL if it could not be had.
 * MMFS: a small page's pin is one add of refs * 1024 (the kernel adds refs,
 * then refs * 1023); the result is the same.
 */
static struct page *try_grab_folio(struct page *page, int refs, unsigned int flags,
				   struct pin_stat *ps)
{
	struct page *head = compound_head(page);
	int total;

	if (flags & FOLL_GET)
		return page_ref_add_unless_zero(head, refs) ? head : NULL;
	if (!(flags & FOLL_PIN))
		return NULL;
	/* longterm pins of movable pages go the slow way (migration) */
	if (unlikely((flags & FOLL_LONGTERM) && !page_is_longterm_pinnable(head)))
		return NULL;
	total = PageHead(head) ? refs : refs * GUP_PIN_COUNTING_BIAS;
	if (!page_ref_add_unless_zero(head, total))
		return NULL;
	if (unlikely(compound_head(page) != head)) {	/* split under us */
		page_ref_sub(head, total - 1);
		put_page(head);
		return NULL;
	}
	if (PageHead(head))
		atomic_add(refs, &head[1].compound_pincount);
	ledger_add(head, refs);
	pin_stat_add(ps, head, refs);
	return head;
}

/* gup_put_folio: drop @refs references of kind @flags from @head */
static void __gup_put_folio(struct page *head, int refs, unsigned int flags, struct pin_stat *ps)
{
	if (flags & FOLL_PIN) {
		if (ps) {
			if (unlikely(page_to_nid(head) != ps->nid)) {
				pin_stat_flush(ps);
				ps->nid = page_to_nid(head);
			}
			ps->nr += refs;
		} else {
			mod_node_page_state(NODE_DATA(page_to_nid(head)), NR_FOLL_PIN_RELEASED, refs);
		}
		ledger_add(head, -refs);
		if (PageHead(head))
			atomic_sub(refs, &head[1].compound_pincount);
		else
			refs *= GUP_PIN_COUNTING_BIAS;
	}
	/* folio_put_refs: the last reference frees the block (put_page
	 * frees at zero: hand it the final reference) */
	if (unlikely(page_ref_sub_and_test(head, refs))) {
		set_page_count(head, 1);
		put_page(head);
	}
}

static inline void gup_put_folio(struct page *head, int refs, unsigned int flags)
{
	__gup_put_folio(head, refs, flags, NULL);
}

/**
 * try_grab_page - elevate a page's refcount by a flag-dependent amount
 * @page: pointer to page to be grabbed
 * @flags: FOLL_GET or FOLL_PIN (neither: nothing to do)
 *
 * Return: 0, or -ENOMEM if the page is free (refcount 0).
 */
int try_grab_page(struct page *page, unsigned int flags)
{
	struct page *head = compound_head(page);

	if (!(flags & (FOLL_GET | FOLL_PIN)))
		return 0;
	if (WARN_ON_ONCE(page_ref_count(head) <= 0))
		return -ENOMEM;
	if (flags & FOLL_GET) {
		page_ref_inc(head);
		return 0;
	}
	if (PageHead(head)) {
		page_ref_inc(head);
		atomic_inc(&head[1].compound_pincount);
	} else {
		page_ref_add(head, GUP_PIN_COUNTING_BIAS);
	}
	ledger_add(head, 1);
	mod_node_page_state(NODE_DATA(page_to_nid(head)), NR_FOLL_PIN_ACQUIRED, 1);
	return 0;
}

/**
 * mmfs_pin_mapped_block - the frame driver's pin of the block it mapped:
 * FOLL_PIN accounting, taken only while the block is still allocated
 * (refcount > 0), so a racing free cannot be resurrected.
 * @head: head page of the block
 *
 * Return: 0, or -EINVAL if the block is free.
 */
int mmfs_pin_mapped_block(struct page *head)
{
	return try_grab_folio(head, 1, FOLL_PIN, NULL) ? 0 : -EINVAL;
}

/**
 * unpin_user_page - release a FOLL_PIN page
 * @page: pointer to page to be released
 */
void unpin_user_page(struct page *page)
{
	gup_put_folio(compound_head(page), 1, FOLL_PIN);
}

/**
 * unpin_user_pages - release an array of FOLL_PIN pages
 * @pages: array of pages to be released (NULL entries are skipped)
 * @npages: number of pages in the array
 */
void unpin_user_pages(struct page **pages, unsigned long npages)
{
	struct pin_stat ps = { .nid = -1, .item = NR_FOLL_PIN_RELEASED };
	unsigned long i;

	for (i = 0; i < npages; i++)
		if (pages[i])
			__gup_put_folio(compound_head(pages[i]), 1, FOLL_PIN, &ps);
	pin_stat_flush(&ps);
}

static void put_or_unpin(struct page **pages, long n, unsigned int flags)
{
	long i;

	for (i = 0; i < n; i++)
		gup_put_folio(compound_head(pages[i]), 1, flags);
}

/* ------------------------------------------------------------ slow path */

static int check_vma_flags(struct vm_area_struct *vma, unsigned int gup_flags)
{
	unsigned long vm_flags = vma->vm_flags;

	if (vm_flags & (VM_IO | VM_PFNMAP))
		return -EFAULT;
	if ((gup_flags & FOLL_ANON) && (vma->vm_file || (vm_flags & VM_MIXEDMAP)))
		return -EFAULT;
	if (gup_flags & FOLL_WRITE) {
		if (!(vm_flags & VM_WRITE)) {
			if (!(gup_flags & FOLL_FORCE))
				return -EFAULT;
			if (!is_cow_mapping(vm_flags))
				return -EFAULT;
		}
	} else if (!(vm_flags & VM_READ)) {
		if (!(gup_flags & FOLL_FORCE))
			return -EFAULT;
		if (!(vm_flags & VM_MAYREAD))
			return -EFAULT;
	}
	return 0;
}

static int faultin_page(struct vm_area_struct *vma, unsigned long address, unsigned int flags)
{
	unsigned int ret;

	if (flags & FOLL_NOFAULT)
		return -EFAULT;
	ret = handle_mm_fault(vma, address, (flags & FOLL_WRITE) ? 1 : 0);
	if (ret & VM_FAULT_OOM)
		return -ENOMEM;
	if (ret & (VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV))
		return -EFAULT;
	return 0;
}

/**
 * __get_user_pages - pin user pages in memory
 * @mm: mm_struct of target mm
 * @start: starting user address
 * @nr_pages: number of pages from start to pin
 * @gup_flags: flags modifying pin behaviour (FOLL_*)
 * @pages: array that receives pointers to the pages pinned (may be NULL)
 * @locked: unused (the mmap_lock is never dropped here)
 *
 * Context: mmap_lock held for read.
 * Return: number of pages pinned (maybe fewer than asked), or -errno if
 * none: -EFAULT (no VMA, VM_PFNMAP, access, SIGBUS), -ENOMEM, -EEXIST.
 */
long __get_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		      unsigned int gup_flags, struct page **pages, int *locked)
{
	struct vm_area_struct *vma = NULL;
	unsigned int page_mask;
	long ret = 0, i = 0;

	(void)locked;
	if (!nr_pages)
		return 0;
	start &= PAGE_MASK;
	if (!(gup_flags & FOLL_PIN) && pages)
		gup_flags |= FOLL_GET;		/* as get_user_pages' callers ask */
	do {
		struct page *page;
		unsigned long page_increm;
		int faults = 0;

		if (!vma || start >= vma->vm_end) {
			vma = find_vma(mm, start);
			if (!vma || start < vma->vm_start) {
				ret = -EFAULT;
				goto out;
			}
			ret = check_vma_flags(vma, gup_flags);
			if (ret)
				goto out;
		}
retry:
		page = follow_page_mask(vma, start, pages ? gup_flags : gup_flags & ~(FOLL_GET | FOLL_PIN),
					&page_mask);
		if (!page) {
			/* MMFS: a fault that resolves nothing twice is an error,
			 * not a livelock */
			if (++faults > 2) {
				ret = -EFAULT;
				goto out;
			}
			ret = faultin_page(vma, start, gup_flags);
			if (ret)
				goto out;
			goto retry;
		} else if (PTR_ERR(page) == -EEXIST) {
			/* a proper entry, no struct page: bail out if asked for pages */
			if (pages) {
				ret = -EEXIST;
				goto out;
			}
		} else if (IS_ERR(page)) {
			ret = PTR_ERR(page);
			goto out;
		}
		page_increm = 1 + (~(start >> PAGE_SHIFT) & page_mask);
		if (page_increm > nr_pages)
			page_increm = nr_pages;
		if (pages && !IS_ERR(page)) {
			unsigned long j;

			for (j = 0; j < page_increm; j++)
				pages[i + j] = page + j;
			/* the follow took one reference; one per subpage */
			if (page_increm > 1) {
				struct page *head = compound_head(page);

				if (!try_grab_folio(head, (int)page_increm - 1,
						    gup_flags & ~FOLL_LONGTERM, NULL)) {
					gup_put_folio(head, 1, gup_flags);
					ret = -EFAULT;
					goto out;
				}
			}
		}
		i += page_increm;
		start += page_increm * PAGE_SIZE;
		nr_pages -= page_increm;
	} while (nr_pages);
out:
	if (i)
		atomic_long_add(i, &mmfs_gup_slow_pages);
	return i ? i : ret;
}

/*
 * check_and_migrate_movable_pages - after a longterm pin: any page that is
 * not longterm-pinnable is unpinned with all the others, migrated out and
 * the caller retries (-EAGAIN).  nr_pages if every page may stay.
 */
static long check_and_migrate_movable_pages(struct mm_struct *mm, unsigned long start,
					    long nr_pages, struct page **pages,
					    unsigned int gup_flags)
{
	long i, failed = 0, busy = 0, moved = 0;
	struct page **movable;

	for (i = 0; i < nr_pages; i++)
		if (!page_is_longterm_pinnable(compound_head(pages[i])))
			break;
	if (i == nr_pages)
		return nr_pages;

	movable = calloc((size_t)nr_pages, sizeof(*movable));
	if (!movable) {
		put_or_unpin(pages, nr_pages, gup_flags);
		return -ENOMEM;
	}
	for (i = 0; i < nr_pages; i++) {
		struct page *page = pages[i];

		if (page_is_longterm_pinnable(compound_head(page)))
			continue;
		/* folio_isolate_lru: only our anonymous pages can move */
		if (PageCompound(page) || !((unsigned long)page->mapping & 1))
			busy++;
		else
			movable[i] = page;
	}
	put_or_unpin(pages, nr_pages, gup_flags);
	if (busy) {
		free(movable);
		return -EBUSY;
	}
	for (i = 0; i < nr_pages; i++) {
		struct vm_area_struct *vma;
		unsigned long addr = start + ((unsigned long)i << PAGE_SHIFT);
		struct page *newpage;

		if (!movable[i])
			continue;
		vma = find_vma(mm, addr);
		if (!vma || addr < vma->vm_start) {
			failed++;
			continue;
		}
		/* alloc_migration_target: GFP_USER | __GFP_NOWARN */
		newpage = alloc_pages_node(page_to_nid(movable[i]), GFP_USER | __GFP_NOWARN, 0);
		if (!newpage) {
			failed++;
			continue;
		}
		if (mmfs_migrate_anon_page(vma, addr, movable[i], newpage)) {
			__free_pages(newpage, 0);
			failed++;
			continue;
		}
		moved++;
	}
	free(movable);
	if (failed)
		return -ENOMEM;
	return -EAGAIN;
}

/* __gup_longterm_locked: the slow path proper (mmap_lock held for read) */
static long __gup_longterm_locked(struct mm_struct *mm, unsigned long start,
				  unsigned long nr_pages, struct page **pages,
				  unsigned int gup_flags)
{
	long rc;
	int tries = 0;

	if (!(gup_flags & FOLL_LONGTERM))
		return __get_user_pages(mm, start, nr_pages, gup_flags, pages, NULL);
	if (!pages)
		return -EINVAL;
	do {
		rc = __get_user_pages(mm, start, nr_pages, gup_flags, pages, NULL);
		if (rc <= 0)
			break;
		rc = check_and_migrate_movable_pages(mm, start, rc, pages, gup_flags);
	} while (rc == -EAGAIN && ++tries < 8);
	return rc == -EAGAIN ? -ENOMEM : rc;
}

static bool is_valid_gup_args(struct page **pages, unsigned int *gup_flags, unsigned int to_set)
{
	if (WARN_ON_ONCE(*gup_flags & (FOLL_PIN | FOLL_GET) & ~to_set))
		return false;
	if ((*gup_flags & FOLL_LONGTERM) && !pages)
		return false;
	*gup_flags |= to_set;
	return true;
}

/**
 * get_user_pages - pin user pages in memory (FOLL_GET references)
 * @mm: the address space
 * @start: starting user address
 * @nr_pages: number of pages from start to pin
 * @gup_flags: FOLL_WRITE, FOLL_LONGTERM, FOLL_FORCE, FOLL_NOFAULT...
 * @pages: array that receives the pages, or NULL
 *
 * Context: mmap_lock held for read.
 * Return: pages taken or -errno (see __get_user_pages); release them with
 * put_page().
 */
long get_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages)
{
	if (!is_valid_gup_args(pages, &gup_flags, pages ? FOLL_GET : 0))
		return -EINVAL;
	return __gup_longterm_locked(mm, start, nr_pages, pages, gup_flags | FOLL_TOUCH);
}

/**
 * get_user_pages_remote - pin user pages in memory of another process
 * @mm: the target address space
 * @start: starting user address
 * @nr_pages: number of pages
 * @gup_flags: FOLL_* flags
 * @pages: array that receives the pages, or NULL
 * @locked: NULL (the caller holds mmap_lock for read) or a flag set to 1
 *
 * Return: pages taken or -errno.
 */
long get_user_pages_remote(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
			   unsigned int gup_flags, struct page **pages, int *locked)
{
	if (!is_valid_gup_args(pages, &gup_flags, pages ? FOLL_GET : 0))
		return -EINVAL;
	if (locked)
		*locked = 1;
	return __gup_longterm_locked(mm, start, nr_pages, pages,
				     gup_flags | FOLL_TOUCH | FOLL_REMOTE);
}

/**
 * pin_user_pages - pin user pages in memory for use by other devices
 * @mm: the address space
 * @start: starting user address
 * @nr_pages: number of pages from start to pin
 * @gup_flags: flags modifying lookup behaviour (FOLL_PIN is added)
 * @pages: array that receives the pinned pages (required)
 *
 * Context: mmap_lock held for read.
 * Return: pages pinned or -errno; release with unpin_user_pages().
 */
long pin_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages)
{
	if (!pages || !is_valid_gup_args(pages, &gup_flags, FOLL_PIN))
		return -EINVAL;
	return __gup_longterm_locked(mm, start, nr_pages, pages, gup_flags);
}

/* ------------------------------------------------------------ fast path */

static int record_subpages(struct page *page, unsigned long addr, unsigned long end,
			   struct page **pages)
{
	int nr;

	for (nr = 0; addr != end; nr++, addr += PAGE_SIZE)
		pages[nr] = page + nr;
	return nr;
}

static int gup_pte_range(pmd_t pmd, unsigned long addr, unsigned long end,
			 unsigned int flags, struct page **pages, int *nr, struct pin_stat *ps)
{
	pte_t *ptep = (pte_t *)pt_table_ptr(pmd_val(pmd)) + pte_index(addr);

	do {
		pte_t pte = ptep_get(ptep);
		struct page *page, *head;
		unsigned long pfn;

		if (!pte_present(pte) || !(pte_val(pte) & _PAGE_USER))
			return 0;
		if ((flags & FOLL_WRITE) && !pte_write(pte))
			return 0;		/* pte_access_permitted */
		if (pte_special(pte))
			return 0;
		pfn = pte_pfn(pte);
		if (unlikely(!pfn_valid(pfn)))
			return 0;
		page = pfn_to_page(pfn);
		head = try_grab_folio(page, 1, flags, ps);
		if (!head)
			return 0;
		if (unlikely(pte_val(pte) != pte_val(ptep_get(ptep)))) {
			gup_put_folio(head, 1, flags);
			return 0;
		}
		pages[*nr] = page;
		(*nr)++;
	} while (ptep++, addr += PAGE_SIZE, addr != end);
	return 1;
}

static int gup_huge_pmd(pmd_t orig, pmd_t *pmdp, unsigned long addr, unsigned long end,
			unsigned int flags, struct page **pages, int *nr, struct pin_stat *ps)
{
	struct page *page, *head;
	int refs;

	if ((flags & FOLL_WRITE) && !pmd_write(orig))
		return 0;
	if (pmd_special(orig) || !pfn_valid(pmd_pfn(orig)))
		return 0;		/* huge pfnmap: no struct page */
	page = pfn_to_page(pmd_pfn(orig)) + ((addr & ~PMD_MASK) >> PAGE_SHIFT);
	refs = record_subpages(page, addr, end, pages + *nr);
	head = try_grab_folio(page, refs, flags, ps);
	if (!head)
		return 0;
	if (unlikely(pmd_val(orig) != pmd_val(pmdp_get(pmdp)))) {
		gup_put_folio(head, refs, flags);
		return 0;
	}
	*nr += refs;
	SetPageReferenced(head);
	return 1;
}

static int gup_huge_pud(pud_t orig, pud_t *pudp, unsigned long addr, unsigned long end,
			unsigned int flags, struct page **pages, int *nr, struct pin_stat *ps)
{
	struct page *page, *head;
	int refs;

	if ((flags & FOLL_WRITE) && !pud_write(orig))
		return 0;
	if (pud_special(orig) || !pfn_valid(pud_pfn(orig)))
		return 0;
	page = pfn_to_page(pud_pfn(orig)) + ((addr & ~PUD_MASK) >> PAGE_SHIFT);
	refs = record_subpages(page, addr, end, pages + *nr);
	head = try_grab_folio(page, refs, flags, ps);
	if (!head)
		return 0;
	if (unlikely(pud_val(orig) != pud_val(pudp_get(pudp)))) {
		gup_put_folio(head, refs, flags);
		return 0;
	}
	*nr += refs;
	return 1;
}

static int gup_pmd_range(pud_t pud, unsigned long addr, unsigned long end,
			 unsigned int flags, struct page **pages, int *nr, struct pin_stat *ps)
{
	pmd_t *pmdp = (pmd_t *)pt_table_ptr(pud_val(pud)) + pmd_index(addr);
	unsigned long next;

	do {
		pmd_t pmd = pmdp_get(pmdp);

		next = pmd_addr_end(addr, end);
		if (!pmd_present(pmd))
			return 0;
		if (unlikely(pmd_leaf(pmd))) {
			if (!gup_huge_pmd(pmd, pmdp, addr, next, flags, pages, nr, ps))
				return 0;
		} else if (!gup_pte_range(pmd, addr, next, flags, pages, nr, ps)) {
			return 0;
		}
	} while (pmdp++, addr = next, addr != end);
	return 1;
}

static int gup_pud_range(p4d_t p4d, unsigned long addr, unsigned long end,
			 unsigned int flags, struct page **pages, int *nr, struct pin_stat *ps)
{
	pud_t *pudp = (pud_t *)pt_table_ptr(p4d_val(p4d)) + pud_index(addr);
	unsigned long next;

	do {
		pud_t pud = pudp_get(pudp);

		next = pud_addr_end(addr, end);
		if (unlikely(!pud_present(pud)))
			return 0;
		if (unlikely(pud_leaf(pud))) {
			if (!gup_huge_pud(pud, pudp, addr, next, flags, pages, nr, ps))
				return 0;
		} else if (!gup_pmd_range(pud, addr, next, flags, pages, nr, ps)) {
			return 0;
		}
	} while (pudp++, addr = next, addr != end);
	return 1;
}

static int gup_p4d_range(pgd_t *pgdp, pgd_t pgd, unsigned long addr, unsigned long end,
			 unsigned int flags, struct page **pages, int *nr, struct pin_stat *ps)
{
#if CONFIG_PGTABLE_LEVELS == 5
	p4d_t *p4dp = (p4d_t *)pt_table_ptr(pgd_val(pgd)) + p4d_index(addr);
#else
	p4d_t *p4dp = (p4d_t *)pgdp;
#endif
	unsigned long next;

	(void)pgd;
	do {
		p4d_t p4d = p4dp_get(p4dp);

		next = p4d_addr_end(addr, end);
		if (!p4d_present(p4d))
			return 0;
		if (!gup_pud_range(p4d, addr, next, flags, pages, nr, ps))
			return 0;
	} while (p4dp++, addr = next, addr != end);
	return 1;
}

static void gup_pgd_range(struct mm_struct *mm, unsigned long addr, unsigned long end,
			  unsigned int flags, struct page **pages, int *nr, struct pin_stat *ps)
{
	pgd_t *pgdp = pgd_offset(mm, addr);
	unsigned long next;

	do {
		pgd_t pgd = pgdp_get(pgdp);

		next = pgd_addr_end(addr, end);
		if (!pgd_present(pgd))
			return;
		if (!gup_p4d_range(pgdp, pgd, addr, next, flags, pages, nr, ps))
			return;
	} while (pgdp++, addr = next, addr != end);
}

/* lockless_pages_from_mm: the walk, fenced against table freeing */
static int lockless_pages_from_mm(struct mm_struct *mm, unsigned long start, unsigned long end,
				  unsigned int gup_flags, struct page **pages)
{
	struct pin_stat ps = { .nid = -1, .item = NR_FOLL_PIN_ACQUIRED };
	int nr_pinned = 0;

	atomic_fetch_add_explicit(&mm->gup_fast_active.counter, 1, memory_order_seq_cst);
	if (READ_ONCE(mm->pgd))
		gup_pgd_range(mm, start, end, gup_flags, pages, &nr_pinned, &ps);
	atomic_fetch_sub_explicit(&mm->gup_fast_active.counter, 1, memory_order_release);
	pin_stat_flush(&ps);
	return nr_pinned;
}

static noinline long __gup_longterm_unlocked(struct mm_struct *mm, unsigned long start,
					     unsigned long nr_pages, unsigned int gup_flags,
					     struct page **pages)
{
	long ret;

	mmap_read_lock(mm);
	ret = __gup_longterm_locked(mm, start, nr_pages, pages, gup_flags);
	mmap_read_unlock(mm);
	return ret;
}

static int internal_get_user_pages_fast(struct mm_struct *mm, unsigned long start,
					unsigned long nr_pages, unsigned int gup_flags,
					struct page **pages)
{
	unsigned long len, end;
	int nr_pinned;
	long ret;

	if (WARN_ON_ONCE(gup_flags & ~(FOLL_WRITE | FOLL_LONGTERM | FOLL_FORCE | FOLL_PIN |
				       FOLL_GET | FOLL_FAST_ONLY | FOLL_NOFAULT)))
		return -EINVAL;
	if (!mm || !pages)
		return -EINVAL;
	start &= PAGE_MASK;
	len = nr_pages << PAGE_SHIFT;
	if (__builtin_add_overflow(start, len, &end))
		return 0;
	if (end > TASK_SIZE_MAX)
		return -EFAULT;
	if (!nr_pages)
		return 0;
	nr_pinned = lockless_pages_from_mm(mm, start, end, gup_flags, pages);
	atomic_long_add(nr_pinned, &mmfs_gup_fast_pages);
	if ((unsigned long)nr_pinned == nr_pages || (gup_flags & FOLL_FAST_ONLY))
		return nr_pinned;

	/* Slow path: try to get the remaining pages with get_user_pages */
	start += (unsigned long)nr_pinned << PAGE_SHIFT;
	pages += nr_pinned;
	ret = __gup_longterm_unlocked(mm, start, nr_pages - nr_pinned, gup_flags, pages);
	if (ret < 0) {
		/* the caller must release the pages already taken */
		if (nr_pinned)
			return nr_pinned;
		return (int)ret;
	}
	return (int)ret + nr_pinned;
}

/**
 * get_user_pages_fast - pin user pages in memory (FOLL_GET), lockless first
 * @mm: the address space (MMFS: the kernel uses current->mm)
 * @start: starting user address
 * @nr_pages: number of pages from start to pin
 * @gup_flags: FOLL_WRITE, FOLL_LONGTERM...
 * @pages: array that receives pointers to the pages pinned
 *
 * Context: takes mmap_lock for read only on the slow fallback.
 * Return: number of pages pinned, or -errno if none.
 */
int get_user_pages_fast(struct mm_struct *mm, unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages)
{
	if (nr_pages < 0 || !is_valid_gup_args(pages, &gup_flags, FOLL_GET))
		return -EINVAL;
	return internal_get_user_pages_fast(mm, start, (unsigned long)nr_pages, gup_flags, pages);
}

/**
 * pin_user_pages_fast - pin user pages in memory without taking locks
 * @mm: the address space
 * @start: starting user address
 * @nr_pages: number of pages from start to pin
 * @gup_flags: flags modifying pin behaviour (FOLL_PIN is added)
 * @pages: array that receives pointers to the pages pinned
 *
 * Return: number of pages pinned, or -errno if none; unpin_user_pages().
 */
int pin_user_pages_fast(struct mm_struct *mm, unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages)
{
	if (nr_pages < 0 || !is_valid_gup_args(pages, &gup_flags, FOLL_PIN))
		return -EINVAL;
	return internal_get_user_pages_fast(mm, start, (unsigned long)nr_pages, gup_flags, pages);
}

/* ------------------------------------------------------------- validate */

/* The counts of @pfn's page against its pins in the ledger; a mismatch is
 * appended to the validate buffer (@buf NULL: only tested). */
static bool pin_counts_ok(unsigned long pfn, char **buf, size_t *len, size_t *cap)
{
	int pins = atomic_load_explicit(&mmfs_pin_ledger[pfn], memory_order_relaxed);
	struct page *page;

	if (!pins)
		return true;
	if (pins < 0 || !pfn_valid(pfn)) {
		if (buf)
			mmfs_vappend(buf, len, cap, "gup pfn=0x%lx: %d pins on a bad pfn", pfn, pins);
		return false;
	}
	page = pfn_to_page(pfn);
	if (PageHead(page)) {
		int pincount = compound_pincount(page), ref = page_ref_count(page);

		if (pincount == pins && ref >= pins)
			return true;
		if (buf)
			mmfs_vappend(buf, len, cap,
				     "gup pfn=0x%lx: %d pins but compound_pincount %d refcount %d",
				     pfn, pins, pincount, ref);
		return false;
	}
	if (!PageTail(page) && page_ref_count(page) >= pins * GUP_PIN_COUNTING_BIAS)
		return true;
	if (buf)
		mmfs_vappend(buf, len, cap, "gup pfn=0x%lx: %d pins but refcount %d%s",
			     pfn, pins, page_ref_count(page), PageTail(page) ? " (tail page)" : "");
	return false;
}

/**
 * mmfs_gup_check - every pin in the ledger against its page's counts.
 * @buf: @len: @cap: the validate report
 *
 * Context: may sleep (mmfs_settle_wait) while a mismatch settles.
 * Return: violations.
 */
int mmfs_gup_check(char **buf, size_t *len, size_t *cap)
{
	struct mmfs_settle st = { 0, 0 };
	unsigned long *suspects = NULL, pfn;
	size_t nr = 0, max = 0, i, n;
	int bad = 0;

	if (!mmfs_pin_ledger)
		return 0;
	/* a pin raises the page's counts and then the ledger, an unpin lowers
	 * them the other way round: a pfn whose counts disagree may be one in
	 * flight, looked at again until they agree or the time is up */
	for (pfn = 0; pfn < mmfs_ledger_pfns; pfn++) {
		if (!atomic_load_explicit(&mmfs_pin_ledger[pfn], memory_order_relaxed) ||
		    pin_counts_ok(pfn, NULL, NULL, NULL))
			continue;
		if (nr == max) {
			size_t m = max ? max * 2 : 16;
			unsigned long *p = realloc(suspects, m * sizeof(*p));

			if (!p) {
				bad += !pin_counts_ok(pfn, buf, len, cap);
				continue;
			}
			suspects = p;
			max = m;
		}
		suspects[nr++] = pfn;
	}
	while (nr) {
		bool last = !mmfs_settle_wait(&st);

		for (i = n = 0; i < nr; i++) {
			if (pin_counts_ok(suspects[i], last ? buf : NULL, len, cap))
				continue;
			bad += last;
			suspects[n++] = suspects[i];
		}
		nr = last ? 0 : n;
	}
	free(suspects);
	return bad;
}
