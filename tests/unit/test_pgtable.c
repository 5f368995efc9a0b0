/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_pgtable.c - address spaces, page tables and remap_pfn_range
 * (mm/mmap.c, mm/memory.c) and the frame-file entry points of pgtable.h:
 * table pages allocated and freed with exact NR_PAGETABLE counts, every
 * level of the walk, huge pmd/pud leaves, aligned and unaligned remaps,
 * the COW vm_pgoff rule, maps/smaps/status/pagemap text, free while pinned,
 * pid reuse, release_all, the VMA tree and the top-down search,
 * free_pgtables between neighbours (floor/ceiling), and threads mapping and
 * unmapping frames of one address space at once (the threads=multi hang).
 */
#include "unit_common.h"
#include "pgtable_types.h"
#include "highmem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <time.h>

#define BOOT_OPTS	"mem=64M"
#define SHARED_RW	(VM_READ | VM_WRITE | VM_SHARED | VM_MAYREAD | VM_MAYWRITE | VM_MAYSHARE)
#define PRIVATE_RW	(VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define PM_PRESENT	(1ULL << 63)
#define PM_FILE		(1ULL << 61)
#define PM_PFN(x)	((x) & ((1ULL << 55) - 1))
#if CONFIG_PGTABLE_LEVELS == 5
#define P4D_TABLES	1
#else
#define P4D_TABLES	0
#endif

static int setup(void **state)
{
	(void)state;
	return unit_boot(BOOT_OPTS);
}

static long nr_pagetable(void)
{
	return (long)global_node_page_state(NR_PAGETABLE);
}

/* an address space for pid with one VMA [addr, addr+len) */
static struct mm_struct *mm_with_vma(int pid, unsigned long addr, unsigned long len,
				     unsigned long flags, struct vm_area_struct **vma)
{
	struct mm_struct *mm = mmfs_mm_get(pid, true);

	assert_non_null(mm);
	mmap_write_lock(mm);
	assert_int_equal(mmfs_vma_create(mm, addr, len, flags, "/test", vma), 0);
	mmap_write_unlock(mm);
	return mm;
}

static void drop_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	mmap_write_lock(mm);
	mmfs_vma_destroy(vma);
	mmap_write_unlock(mm);
}

static void check_table_page(void *table, int level, int pid)
{
	struct page *page = virt_to_page(table);
	struct page_owner *po = get_page_owner(page);

	assert_true(PageTable(page));
	assert_int_equal(page->pt_level, level);
	assert_int_equal(page->pt_owner_pid, pid);
	assert_non_null(po);
	assert_int_equal(po->kind, MMFS_OWNER_PGTABLE);
	assert_int_equal(po->owner_id, pid);
}

/* ---------------------------------------------------------------- tests */

static void test_table_pages_counted(void **state)
{
	unsigned long addr = 0x7f0000000000UL;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	long base = nr_pagetable();
	pte_t *pte;
	pmd_t *pmd;
	pud_t *pud;

	(void)state;
	mm = mm_with_vma(4001, addr, 4 * PAGE_SIZE, SHARED_RW, &vma);
	assert_int_equal(nr_pagetable(), base + 1);		/* the pgd */
	check_table_page(mm->pgd, PT_LEVEL_PGD, 4001);
	mmap_write_lock(mm);
	assert_int_equal(remap_pfn_range(vma, addr, 0x100, 4 * PAGE_SIZE, vma->vm_page_prot), 0);
	mmap_write_unlock(mm);
	/* pud + pmd + pte (+ p4d) */
	assert_int_equal(nr_pagetable(), base + 4 + P4D_TABLES);
	assert_int_equal(atomic_long_read(&mm->pgtables_bytes), (3 + P4D_TABLES) * PAGE_SIZE);
	pud = pud_offset(p4d_offset(pgd_offset(mm, addr), addr), addr);
	check_table_page((void *)ALIGN_DOWN((unsigned long)pud, PAGE_SIZE), PT_LEVEL_PUD, 4001);
	pmd = pmd_offset(pud, addr);
	check_table_page((void *)ALIGN_DOWN((unsigned long)pmd, PAGE_SIZE), PT_LEVEL_PMD, 4001);
	pte = pte_offset_map(pmd, addr);
	check_table_page((void *)ALIGN_DOWN((unsigned long)pte, PAGE_SIZE), PT_LEVEL_PTE, 4001);
	assert_int_equal(virt_to_page(pte)->pt_nr_used, 4);
	assert_true(unit_validate_ok());

	drop_vma(mm, vma);
	assert_int_equal(nr_pagetable(), base + 1);		/* emptied tables freed */
	assert_int_equal(atomic_long_read(&mm->pgtables_bytes), 0);
	assert_true(mmfs_pid_exists(4001));
	mmfs_mm_put(mm);
	assert_false(mmfs_pid_exists(4001));
	assert_int_equal(nr_pagetable(), base);
	assert_true(unit_validate_ok());
}

static void test_walk_every_level(void **state)
{
	/* two pages either side of a 512 GiB (pgd entry, 4-level) boundary */
	unsigned long addr = (1UL << 39) - 2 * PAGE_SIZE, a;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	long base = nr_pagetable();
	int i;

	(void)state;
	mm = mm_with_vma(4002, addr, 4 * PAGE_SIZE, SHARED_RW, &vma);
	mmap_write_lock(mm);
	assert_int_equal(remap_pfn_range(vma, addr, 0x300, 4 * PAGE_SIZE, vma->vm_page_prot), 0);
	mmap_write_unlock(mm);
	/* two of each: pud, pmd, pte; 5-level: one p4d (same pgd entry) */
	assert_int_equal(nr_pagetable(), base + 1 + 6 + P4D_TABLES);
	assert_int_equal(pgd_index(addr) + (CONFIG_PGTABLE_LEVELS == 4),
			 pgd_index(addr + 2 * PAGE_SIZE));
	for (i = 0, a = addr; i < 4; i++, a += PAGE_SIZE) {
		pgd_t *pgd = pgd_offset(mm, a);
		p4d_t *p4d;
		pud_t *pud;
		pmd_t *pmd;
		pte_t pte;

		assert_true(pgd_present(*pgd));
		p4d = p4d_offset(pgd, a);
		assert_true(p4d_present(*p4d));
		pud = pud_offset(p4d, a);
		assert_true(pud_present(*pud));
		assert_false(pud_leaf(*pud));
		pmd = pmd_offset(pud, a);
		assert_true(pmd_present(*pmd));
		assert_false(pmd_leaf(*pmd));
		pte = *pte_offset_map(pmd, a);
		assert_true(pte_present(pte));
		assert_true(pte_special(pte));
		assert_true(pte_write(pte));
		assert_true(pte_val(pte) & _PAGE_USER);
		assert_int_equal(pte_pfn(pte), 0x300 + i);
		assert_int_equal(pte_val(pte) & PTE_PFN_MASK, (uint64_t)(0x300 + i) << PAGE_SHIFT);
	}
	assert_true(unit_validate_ok());
	drop_vma(mm, vma);
	assert_int_equal(nr_pagetable(), base + 1);
	mmfs_mm_put(mm);
	assert_int_equal(nr_pagetable(), base);
}

static void test_huge_pmd_leaf(void **state)
{
	unsigned long addr = 0x7f0000000000UL, pfn;
	struct vm_area_struct *vma, *vma2;
	struct mm_struct *mm;
	long base = nr_pagetable();
	int level;
	bool w;

	(void)state;
	mm = mm_with_vma(4003, addr, PMD_SIZE, SHARED_RW, &vma);
	mmap_write_lock(mm);
	assert_int_equal(mmfs_vma_create(mm, addr + PUD_SIZE, PMD_SIZE, SHARED_RW, NULL, &vma2), 0);
	/* aligned range, aligned pfn: one pmd leaf, no pte table */
	assert_int_equal(remap_pfn_range(vma, addr, 0x200, PMD_SIZE, vma->vm_page_prot), 0);
	assert_int_equal(nr_pagetable(), base + 1 + 2 + P4D_TABLES);
	assert_int_equal(follow_pfn_walk(mm, addr + 5 * PAGE_SIZE, &pfn, &w, &level), 0);
	assert_int_equal(level, PT_LEVEL_PMD);
	assert_int_equal(pfn, 0x205);
	assert_true(w);
	/* unaligned pfn in an aligned range: 512 ptes */
	assert_int_equal(remap_pfn_range(vma2, addr + PUD_SIZE, 0x201, PMD_SIZE, vma2->vm_page_prot), 0);
	assert_int_equal(nr_pagetable(), base + 1 + 2 + P4D_TABLES + 2);	/* + pmd + pte */
	assert_int_equal(follow_pfn_walk(mm, addr + PUD_SIZE + 5 * PAGE_SIZE, &pfn, NULL, &level), 0);
	assert_int_equal(level, PT_LEVEL_PTE);
	assert_int_equal(pfn, 0x206);
	mmap_write_unlock(mm);
	assert_true(unit_validate_ok());
	drop_vma(mm, vma);
	drop_vma(mm, vma2);
	assert_int_equal(nr_pagetable(), base + 1);
	mmfs_mm_put(mm);
	assert_int_equal(nr_pagetable(), base);
}

static void test_huge_pud_leaf(void **state)
{
	unsigned long addr = 0x7f0040000000UL, pfn;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	long base = nr_pagetable();
	uint64_t pm[2];
	int level;

	(void)state;
	assert_true(IS_ALIGNED(addr, PUD_SIZE));
	mm = mm_with_vma(4004, addr, PUD_SIZE, SHARED_RW, &vma);
	mmap_write_lock(mm);
	/* I/O memory past RAM: remap_pfn_range does not need struct pages */
	assert_int_equal(remap_pfn_range(vma, addr, 0x400000, PUD_SIZE, vma->vm_page_prot), 0);
	mmap_write_unlock(mm);
	assert_int_equal(nr_pagetable(), base + 1 + 1 + P4D_TABLES);	/* just the pud table */
	mmap_read_lock(mm);
	assert_int_equal(follow_pfn_walk(mm, addr + PMD_SIZE + PAGE_SIZE, &pfn, NULL, &level), 0);
	mmap_read_unlock(mm);
	assert_int_equal(level, PT_LEVEL_PUD);
	assert_int_equal(pfn, 0x400000 + 513);
	assert_int_equal(mmfs_pid_pagemap_read(4004, (addr >> PAGE_SHIFT) * 8 + 8, pm, sizeof(pm)), 16);
	assert_int_equal(pm[0], PM_PRESENT | 0x400001);
	assert_int_equal(pm[1], PM_PRESENT | 0x400002);
	assert_true(unit_validate_ok());
	drop_vma(mm, vma);
	mmfs_mm_put(mm);
	assert_int_equal(nr_pagetable(), base);
}

static void test_remap_ranges_and_cow(void **state)
{
	unsigned long addr = 0x7f0000000000UL, pfn;
	struct vm_area_struct *vma, *cow;
	struct mm_struct *mm;
	long base = nr_pagetable();

	(void)state;
	mm = mm_with_vma(4005, addr, 8 * PAGE_SIZE, SHARED_RW, &vma);
	mmap_write_lock(mm);
	/* unaligned address refused, nothing built */
	assert_int_equal(remap_pfn_range(vma, addr + 100, 0x10, PAGE_SIZE, vma->vm_page_prot), -EINVAL);
	assert_int_equal(remap_pfn_range(vma, addr + 7 * PAGE_SIZE, 0x10, 2 * PAGE_SIZE,
					 vma->vm_page_prot), -EINVAL);	/* past vm_end */
	assert_int_equal(nr_pagetable(), base + 1);
	/* a partial, size-unaligned remap of a shared VMA: size rounds up */
	assert_int_equal(remap_pfn_range(vma, addr + 2 * PAGE_SIZE, 0x10, PAGE_SIZE + 1,
					 vma->vm_page_prot), 0);
	assert_int_equal(vma->vm_pgoff, 0);			/* not a COW mapping */
	assert_int_equal(vma->vm_flags & (VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP),
			 VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	assert_int_equal(follow_pfn_walk(mm, addr + 3 * PAGE_SIZE, &pfn, NULL, NULL), 0);
	assert_int_equal(pfn, 0x11);
	assert_int_equal(follow_pfn_walk(mm, addr + 4 * PAGE_SIZE, &pfn, NULL, NULL), -EINVAL);
	assert_int_equal(follow_pfn_walk(mm, addr + 1 * PAGE_SIZE, &pfn, NULL, NULL), -EINVAL);
	/* a second remap over a populated pte fails */
	assert_int_not_equal(remap_pfn_range(vma, addr + 3 * PAGE_SIZE, 0x20, PAGE_SIZE,
					     vma->vm_page_prot), 0);

	/* COW mapping: only the whole VMA, and vm_pgoff = pfn */
	assert_int_equal(mmfs_vma_create(mm, addr + PMD_SIZE, 4 * PAGE_SIZE, PRIVATE_RW, NULL, &cow), 0);
	assert_true(is_cow_mapping(cow->vm_flags));
	assert_int_equal(remap_pfn_range(cow, addr + PMD_SIZE, 0x40, 2 * PAGE_SIZE, cow->vm_page_prot),
			 -EINVAL);
	assert_int_equal(cow->vm_pgoff, 0);
	assert_int_equal(remap_pfn_range(cow, addr + PMD_SIZE, 0x40, 4 * PAGE_SIZE, cow->vm_page_prot), 0);
	assert_int_equal(cow->vm_pgoff, 0x40);
	/* private writable: PAGE_COPY, the pte is read-only */
	{
		bool w = true;

		assert_int_equal(follow_pfn_walk(mm, addr + PMD_SIZE, &pfn, &w, NULL), 0);
		assert_false(w);
		assert_int_equal(pfn, 0x40);
	}
	mmap_write_unlock(mm);
	assert_true(unit_validate_ok());
	drop_vma(mm, vma);
	drop_vma(mm, cow);
	mmfs_mm_put(mm);
	assert_int_equal(nr_pagetable(), base);
}

/* the expected maps line for a named VMA (show_vma_header_prefix + pad) */
static void expect_maps_line(char *out, size_t len, unsigned long start, unsigned long end,
			     const char *perms, unsigned long long off, const char *name)
{
	int n = snprintf(out, len, "%08lx-%08lx %s %08llx 00:00 0 ", start, end, perms, off);

	while (n < 72)
		out[n++] = ' ';
	snprintf(out + n, len - (size_t)n, " %s\n", name);
}

static void test_frame_map_files(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	unsigned long pfn, start;
	struct mmfs_mapping *m;
	char path[32], line[256], *s;
	uint64_t pm[3];
	long base = nr_pagetable();
	size_t len;
	int pid = 4006;

	(void)state;
	assert_non_null(page);
	pfn = page_to_pfn(page);
	snprintf(path, sizeof(path), "/frames/0x%lx", pfn);
	assert_int_equal(mmfs_frame_map(pid, pfn, 0, true, true, path, &m), 0);
	start = mmfs_mapping_start(m);
	/* top-down below mmap_base = TASK_SIZE - 128 MiB */
	assert_int_equal(start, 0x7ffff7fff000UL - PAGE_SIZE);
	assert_int_equal(page_ref_count(page), 1 + GUP_PIN_COUNTING_BIAS);
	assert_int_equal(mmfs_page_pincount(page), 1);
	assert_true(page_maybe_dma_pinned(page));
	assert_int_equal(nr_pagetable(), base + 4 + P4D_TABLES);

	s = mmfs_pid_maps(pid, &len);
	assert_non_null(s);
	expect_maps_line(line, sizeof(line), start, start + PAGE_SIZE, "rw-s", 0, path);
	assert_string_equal(s, line);
	assert_int_equal(strlen(s), len);
	assert_int_equal(strstr(s, path) - s, 73);
	free(s);

	s = mmfs_pid_smaps(pid, &len);
	assert_non_null(s);
	assert_non_null(strstr(s, "\nSize:                  4 kB\n"));
	assert_non_null(strstr(s, "\nKernelPageSize:        4 kB\n"));
	assert_non_null(strstr(s, "\nRss:                   0 kB\n"));	/* pfnmap: no pages */
	assert_non_null(strstr(s, "\nVmFlags: rd wr sh mr mw me ms pf io de dd \n"));
	free(s);

	s = mmfs_pid_status(pid, &len);
	assert_non_null(s);
	snprintf(line, sizeof(line), "VmPTE:\t%8d kB\n", 4 * (3 + P4D_TABLES));
	assert_non_null(strstr(s, line));
	assert_non_null(strstr(s, "VmPin:\t       4 kB\n"));
	assert_non_null(strstr(s, "PinnedPages:\t1\n"));
	assert_non_null(strstr(s, "Pid:\t4006\n"));
	free(s);

	/* pagemap: the page before, the page, the page after */
	assert_int_equal(mmfs_pid_pagemap_read(pid, ((start >> PAGE_SHIFT) - 1) * 8, pm, sizeof(pm)), 24);
	assert_int_equal(pm[0], 0);
	assert_int_equal(pm[1], PM_PRESENT | pfn);
	assert_false(pm[1] & PM_FILE);
	assert_int_equal(pm[2], 0);
	assert_int_equal(mmfs_pid_pagemap_read(pid, 4, pm, 8), -EINVAL);
	assert_int_equal(mmfs_pid_pagemap_read(pid, (TASK_SIZE_MAX >> PAGE_SHIFT) * 8, pm, 8), 0);
	assert_int_equal(mmfs_pid_pagemap_read(9999, 0, pm, 8), -ENOENT);

	/* I/O through the walk */
	assert_int_equal(mmfs_mapping_access(m, 100, "hello", 5, true), 5);
	assert_memory_equal((char *)page_address(page) + 100, "hello", 5);
	memcpy((char *)page_address(page) + 4090, "abcdef", 6);
	assert_int_equal(mmfs_mapping_access(m, 4090, line, 100, false), 6);	/* clipped */
	assert_memory_equal(line, "abcdef", 6);
	assert_int_equal(mmfs_mapping_access(m, PAGE_SIZE, line, 1, false), 0);
	{
		int *pids, n;

		pids = mmfs_pids_list(&n);
		assert_int_equal(n, 1);
		assert_int_equal(pids[0], pid);
		free(pids);
	}
	assert_true(unit_validate_ok());

	mmfs_frame_unmap(m);
	assert_int_equal(page_ref_count(page), 1);
	assert_int_equal(mmfs_page_pincount(page), 0);
	assert_false(mmfs_pid_exists(pid));
	assert_null(mmfs_pid_maps(pid, &len));
	assert_int_equal(nr_pagetable(), base);
	__free_pages(page, 0);
	assert_true(unit_validate_ok());
}

static void test_frame_map_order9_cow(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 9);
	unsigned long pfn, start, p;
	struct mmfs_mapping *m;
	char path[32], line[256], *s;
	uint64_t *pm = calloc(512, 8);
	long base = nr_pagetable();
	int level, i;

	(void)state;
	assert_non_null(page);
	pfn = page_to_pfn(page);
	snprintf(path, sizeof(path), "/frames/0x%lx", pfn);
	assert_int_equal(mmfs_frame_map(4007, pfn, 9, true, false, path, &m), 0);
	start = mmfs_mapping_start(m);
	assert_true(IS_ALIGNED(start, PMD_SIZE));
	assert_int_equal(nr_pagetable(), base + 3 + P4D_TABLES);	/* pgd, pud, pmd: one leaf */
	assert_int_equal(page_ref_count(page), 1 + GUP_PIN_COUNTING_BIAS);
	{
		struct mm_struct *mm = mmfs_mm_get(4007, false);

		mmap_read_lock(mm);
		assert_int_equal(follow_pfn_walk(mm, start + 7 * PAGE_SIZE, &p, NULL, &level), 0);
		assert_int_equal(find_vma(mm, start)->vm_pgoff, pfn);	/* COW: vm_pgoff = pfn */
		mmap_read_unlock(mm);
		mmfs_mm_put(mm);
	}
	assert_int_equal(level, PT_LEVEL_PMD);
	assert_int_equal(p, pfn + 7);
	assert_int_equal(mmfs_pid_pagemap_read(4007, (start >> PAGE_SHIFT) * 8, pm, 512 * 8), 512 * 8);
	for (i = 0; i < 512; i++)
		assert_int_equal(pm[i], PM_PRESENT | (pfn + i));
	s = mmfs_pid_maps(4007, NULL);
	expect_maps_line(line, sizeof(line), start, start + PMD_SIZE, "rw-p",
			 (unsigned long long)pfn << PAGE_SHIFT, path);
	assert_string_equal(s, line);
	free(s);
	s = mmfs_pid_smaps(4007, NULL);
	assert_non_null(strstr(s, "\nVmFlags: rd wr mr mw me pf io de dd \n"));
	free(s);
	/* COW mapping: the pte is read-only, stores through it fault */
	assert_int_equal(mmfs_mapping_access(m, 0, "x", 1, true), -EFAULT);
	assert_int_equal(mmfs_mapping_access(m, PMD_SIZE - 8, line, 8, false), 8);
	assert_true(unit_validate_ok());
	mmfs_frame_unmap(m);
	assert_int_equal(nr_pagetable(), base);
	assert_int_equal(page_ref_count(page), 1);
	__free_pages(page, 9);
	free(pm);
}

static void test_free_while_pinned(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	unsigned long pfn, free_before;
	struct mmfs_mapping *m1, *m2;
	char buf[8];

	(void)state;
	assert_non_null(page);
	pfn = page_to_pfn(page);
	assert_int_equal(mmfs_frame_map(4008, pfn, 2, true, true, "/frames/x", &m1), 0);
	assert_int_equal(mmfs_frame_map(4009, pfn, 2, false, true, "/frames/x", &m2), 0);
	assert_int_equal(page_ref_count(page), 1 + 2 * GUP_PIN_COUNTING_BIAS);
	assert_int_equal(mmfs_page_pincount(page), 2);
	free_before = global_zone_page_state(NR_FREE_PAGES);
	assert_int_equal(mmfs_free_block(pfn), 0);		/* the owner's reference */
	assert_int_equal(page_ref_count(page), 2 * GUP_PIN_COUNTING_BIAS);
	assert_int_equal(global_zone_page_state(NR_FREE_PAGES), free_before);
	assert_int_equal(mmfs_mapping_access(m1, 3 * PAGE_SIZE, "zz", 2, true), 2);
	assert_int_equal(mmfs_mapping_access(m2, 3 * PAGE_SIZE, buf, 2, false), 2);
	assert_memory_equal(buf, "zz", 2);
	assert_int_equal(mmfs_mapping_access(m2, 0, "no", 2, true), -EFAULT);	/* read-only open */
	assert_true(unit_validate_ok());
	mmfs_frame_unmap(m1);
	assert_int_equal(page_ref_count(page), GUP_PIN_COUNTING_BIAS);
	assert_true(unit_validate_ok());
	mmfs_frame_unmap(m2);				/* the last unpin frees it */
	assert_int_equal(page_ref_count(page), 0);
	assert_int_equal(mmfs_page_pincount(page), 0);
	assert_true(unit_validate_ok());
}

static void test_frame_compound_pin(void **state)
{
	struct page *head = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	long acq = (long)global_node_page_state(NR_FOLL_PIN_ACQUIRED);
	long rel = (long)global_node_page_state(NR_FOLL_PIN_RELEASED);
	struct mmfs_mapping *m;

	(void)state;
	assert_non_null(head);
	assert_true(PageHead(head));
	assert_int_equal(mmfs_frame_map(4013, page_to_pfn(head), 2, true, true, "/f", &m), 0);
	/* 6.1: a compound page gets refcount +1 and compound_pincount +1 */
	assert_int_equal(page_ref_count(head), 2);
	assert_int_equal(compound_pincount(head), 1);
	assert_int_equal(mmfs_page_pincount(head), 1);
	assert_true(page_maybe_dma_pinned(head));
	assert_int_equal((long)global_node_page_state(NR_FOLL_PIN_ACQUIRED) - acq, 1);
	assert_true(unit_validate_ok());
	mmfs_frame_unmap(m);
	assert_int_equal(page_ref_count(head), 1);
	assert_int_equal(compound_pincount(head), 0);
	assert_int_equal((long)global_node_page_state(NR_FOLL_PIN_RELEASED) - rel, 1);
	__free_pages(head, 2);
	assert_true(unit_validate_ok());
}

static void test_pid_reuse_and_release_all(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	int pid = getpid(), n;
	struct mmfs_mapping *old, *new1, *new2;
	struct mm_struct *mm;
	unsigned long pfn;
	char c;

	(void)state;
	assert_non_null(page);
	pfn = page_to_pfn(page);
	assert_int_equal(mmfs_frame_map(pid, pfn, 0, true, true, "/frames/a", &old), 0);
	mm = mmfs_mm_get(pid, false);
	assert_non_null(mm);
	assert_int_not_equal(mm->start_time, 0);		/* read from /proc/PID/stat */
	mm->start_time += 1;		/* as if this pid had belonged to an older process */
	mmfs_mm_put(mm);
	assert_int_equal(mmfs_frame_map(pid, pfn, 0, true, true, "/frames/b", &new1), 0);
	assert_int_equal(mmfs_frame_map(pid, pfn, 0, true, true, "/frames/c", &new2), 0);
	/* the new incarnation has its own address space: same top address */
	assert_int_equal(mmfs_mapping_start(old), mmfs_mapping_start(new1));
	assert_int_equal(mmfs_mapping_start(new2), mmfs_mapping_start(new1) - PAGE_SIZE);
	free(mmfs_pids_list(&n));
	assert_int_equal(n, 1);
	assert_int_equal(mmfs_page_pincount(page), 3);
	assert_true(unit_validate_ok());
	mmfs_frame_unmap(old);				/* the old one goes quietly */
	assert_true(mmfs_pid_exists(pid));
	assert_int_equal(mmfs_page_pincount(page), 2);

	mmfs_pid_release_all(pid);			/* the client went away */
	assert_int_equal(mmfs_page_pincount(page), 0);
	assert_int_equal(page_ref_count(page), 1);
	assert_int_equal(mmfs_mapping_access(new1, 0, &c, 1, false), -EFAULT);
	assert_int_equal(mmfs_mapping_start(new1), 0);
	assert_true(unit_validate_ok());
	mmfs_frame_unmap(new1);				/* only frees the handles now */
	mmfs_frame_unmap(new2);
	assert_false(mmfs_pid_exists(pid));
	assert_int_equal(nr_pagetable(), 0);
	__free_pages(page, 0);
}

static void test_bad_input(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	struct mmfs_mapping *m = NULL;
	unsigned long pfn;
	size_t len;

	(void)state;
	assert_non_null(page);
	pfn = page_to_pfn(page);
	assert_int_equal(mmfs_frame_map(4010, pfn, 11, true, true, "x", &m), -EINVAL);
	assert_int_equal(mmfs_frame_map(4010, pfn + 1, 1, true, true, "x", &m), -EINVAL);	/* unaligned */
	assert_int_equal(mmfs_frame_map(4010, pfn + 1, 0, true, true, "x", &m), -EINVAL);	/* refcount 0 */
	assert_int_equal(mmfs_frame_map(4010, max_pfn + 5, 0, true, true, "x", &m), -EINVAL);
	assert_int_equal(mmfs_frame_map(4010, pfn, 1, true, true, "x", NULL), -EINVAL);
	assert_null(m);
	assert_false(mmfs_pid_exists(4010));
	assert_null(mmfs_pid_smaps(4010, &len));
	assert_null(mmfs_pid_status(4010, &len));
	assert_int_equal(mmfs_mapping_access(NULL, 0, &len, 1, false), -EFAULT);
	mmfs_frame_unmap(NULL);
	mmfs_pid_release_all(4010);
	assert_int_equal(page_ref_count(page), 1);
	__free_pages(page, 1);
	assert_true(unit_validate_ok());
}

static void test_lookup_pgtable_page(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	struct mmfs_mapping *m;
	struct mm_struct *mm;
	unsigned long start;
	pmd_t *pmd;
	char buf[512];

	(void)state;
	assert_int_equal(mmfs_frame_map(4011, page_to_pfn(page), 0, true, true, "/f", &m), 0);
	start = mmfs_mapping_start(m);
	mm = mmfs_mm_get(4011, false);
	mmap_read_lock(mm);
	pmd = pmd_offset(pud_offset(p4d_offset(pgd_offset(mm, start), start), start), start);
	{
		void *pte_table = pt_table_ptr(pmd_val(*pmd));

		assert_true(mmfs_lookup_addr(mmfs_kaddr(pte_table) + 8 * pte_index(start), buf, sizeof(buf)) > 0);
	}
	mmap_read_unlock(mm);
	mmfs_mm_put(mm);
	assert_non_null(strstr(buf, "pgtable level=pte pid=4011"));
	mmfs_frame_unmap(m);
	__free_pages(page, 0);
}

/* the highest gap of want bytes below top, by brute force */
static unsigned long brute_topdown(struct vm_area_struct **v, int n, unsigned long top,
				   unsigned long want)
{
	unsigned long end = top;

	for (;;) {
		unsigned long cand = end - want;
		int k, clash = -1;

		for (k = 0; k < n; k++)
			if (v[k] && v[k]->vm_start < cand + want && v[k]->vm_end > cand &&
			    (clash < 0 || v[k]->vm_start < v[clash]->vm_start))
				clash = k;
		if (clash < 0)
			return cand;
		end = v[clash]->vm_start;
	}
}

static void test_vma_tree_and_topdown(void **state)
{
	struct mm_struct *mm = mmfs_mm_get(4012, true);
	struct vm_area_struct *vmas[300], *v;
	unsigned long addr;
	int i, j;

	(void)state;
	mmap_write_lock(mm);
	/* 300 VMAs of 1..3 pages, every other gap one page, from the top down */
	for (i = 0; i < 300; i++) {
		unsigned long len = (unsigned long)(1 + i % 3) * PAGE_SIZE;

		unsigned long want = len + (i & 1 ? PAGE_SIZE : 0);

		addr = unmapped_area_topdown(mm, want, PAGE_SIZE);
		assert_false(IS_ERR_VALUE(addr));
		assert_int_equal(addr, brute_topdown(vmas, i, mm->mmap_base, want));
		assert_int_equal(mmfs_vma_create(mm, addr, len, SHARED_RW, NULL, &vmas[i]), 0);
	}
	assert_int_equal(mm->map_count, 300);
	/* find_vma against a linear scan at every VMA edge */
	for (i = 0; i < 300; i++) {
		for (j = -1; j <= 1; j++) {
			unsigned long a = vmas[i]->vm_start + (unsigned long)(long)j * PAGE_SIZE;
			struct vm_area_struct *best = NULL;
			int k;

			for (k = 0; k < 300; k++)
				if (vmas[k]->vm_end > a && (!best || vmas[k]->vm_start < best->vm_start))
					best = vmas[k];
			assert_ptr_equal(find_vma(mm, a), best);
		}
	}
	/* remove every third; a hole of one page is found again, top-down */
	for (i = 0; i < 300; i += 3) {
		mmfs_vma_destroy(vmas[i]);
		vmas[i] = NULL;
	}
	assert_int_equal(mm->map_count, 200);
	addr = unmapped_area_topdown(mm, PAGE_SIZE, PAGE_SIZE);
	assert_int_equal(addr, mm->mmap_base - PAGE_SIZE);		/* vmas[0]'s place */
	/* a 2 MiB aligned request lands below everything */
	addr = unmapped_area_topdown(mm, PMD_SIZE, PMD_SIZE);
	assert_true(IS_ALIGNED(addr, PMD_SIZE));
	for (v = find_vma(mm, 0); v; v = vma_next(mm, v))
		assert_true(v->vm_end <= addr || v->vm_start >= addr + PMD_SIZE);
	assert_int_equal(mmfs_vma_create(mm, vmas[1]->vm_start, PAGE_SIZE, SHARED_RW, NULL, &v), -EINVAL);
	assert_int_equal(unmapped_area_topdown(mm, 1UL << 50, PAGE_SIZE), (unsigned long)-ENOMEM);
	mmap_write_unlock(mm);
	assert_true(unit_validate_ok());
	mmfs_mm_put(mm);				/* frees the remaining VMAs */
	assert_false(mmfs_pid_exists(4012));
	assert_int_equal(nr_pagetable(), 0);
}

static int cmp_vma_start(const void *a, const void *b)
{
	const struct vm_area_struct *x = *(struct vm_area_struct * const *)a;
	const struct vm_area_struct *y = *(struct vm_area_struct * const *)b;

	return x->vm_start < y->vm_start ? -1 : x->vm_start > y->vm_start;
}

/* the kernel's rule by brute force: the highest gap (clipped to
 * [low, high]) of at least len + align - PAGE_SIZE bytes */
static unsigned long brute_gap_rule(struct vm_area_struct **v, int n, unsigned long low,
				    unsigned long high, unsigned long len, unsigned long align)
{
	struct vm_area_struct *s[512];
	unsigned long length = len + align - PAGE_SIZE;
	int k, m = 0;

	for (k = 0; k < n; k++)
		if (v[k])
			s[m++] = v[k];
	qsort(s, (size_t)m, sizeof(*s), cmp_vma_start);
	for (k = m; k >= 0; k--) {
		unsigned long gs = k ? s[k - 1]->vm_end : 0, ge = k < m ? s[k]->vm_start : high;

		gs = max(gs, low);
		ge = min(ge, high);
		if (ge >= gs && ge - gs >= length && ALIGN_DOWN(ge - len, align) >= gs)
			return ALIGN_DOWN(ge - len, align);
	}
	return (unsigned long)-ENOMEM;
}

/* random VMAs in and out; the O(log n) gap search against the brute force */
static void test_topdown_random(void **state)
{
	struct mm_struct *mm = mmfs_mm_get(4014, true);
	struct vm_area_struct *v[512] = { 0 };
	unsigned int seed = 12345;
	int step, live = 0;

	(void)state;
	mmap_write_lock(mm);
	for (step = 0; step < 3000; step++) {
		unsigned long len = (unsigned long)(1 + rand_r(&seed) % 8) * PAGE_SIZE;
		unsigned long align = rand_r(&seed) % 4 ? PAGE_SIZE : PMD_SIZE;
		unsigned long addr, want;
		int k = rand_r(&seed) % 512;

		if (v[k]) {			/* take one out */
			mmfs_vma_destroy(v[k]);
			v[k] = NULL;
			live--;
			continue;
		}
		want = brute_gap_rule(v, 512, max(PAGE_SIZE, mmap_min_addr), mm->mmap_base, len, align);
		addr = unmapped_area_topdown(mm, len, align);
		assert_int_equal(addr, want);
		/* place it somewhere inside the gap so gaps stay irregular */
		addr -= (unsigned long)(rand_r(&seed) % 3) * PAGE_SIZE * (align == PAGE_SIZE);
		if (find_vma_intersection(mm, addr, addr + len) || addr < mmap_min_addr)
			addr = want;
		assert_int_equal(mmfs_vma_create(mm, addr, len, SHARED_RW, NULL, &v[k]), 0);
		live++;
	}
	assert_int_equal(mm->map_count, live);
	mmap_write_unlock(mm);
	assert_true(unit_validate_ok());
	mmfs_mm_put(mm);
}

/*
 * free_pgtables between neighbours (unmap_region's floor/ceiling): a table
 * that also covers a neighbouring VMA stays even when the zapped VMA leaves
 * it empty; it goes with the last VMA that covers it.
 */
static void test_free_pgtables_floor_ceiling(void **state)
{
	const unsigned long base = 0x40000000UL;	/* 1 GiB aligned: own pud entry */
	struct vm_area_struct *a, *b;
	struct mm_struct *mm;
	long before = nr_pagetable(), with_tables;

	(void)state;
	mm = mm_with_vma(4020, base, PAGE_SIZE, PRIVATE_RW, &a);
	mmap_write_lock(mm);
	assert_int_equal(mmfs_vma_create(mm, base + 2 * PAGE_SIZE, PAGE_SIZE, PRIVATE_RW, "/b", &b), 0);
	/* fault in A only: B shares A's pte, pmd and pud tables but has no entry */
	assert_int_equal(handle_mm_fault(a, base, 1), 0);
	mmap_write_unlock(mm);
	with_tables = nr_pagetable();
	assert_int_equal(with_tables, before + 1 + P4D_TABLES + 3);	/* pgd (+p4d) pud pmd pte */
	assert_true(unit_validate_ok());

	drop_vma(mm, a);			/* ceiling = b->vm_start: the shared tables stay */
	assert_int_equal(nr_pagetable(), with_tables);
	assert_true(unit_validate_ok());
	drop_vma(mm, b);			/* nothing around any more: all but the pgd go */
	assert_int_equal(nr_pagetable(), before + 1);
	assert_true(unit_validate_ok());
	mmfs_mm_put(mm);
	assert_int_equal(nr_pagetable(), before);
	assert_true(unit_validate_ok());
}

/*
 * Regression (threads=multi hang): many threads of one client mapping and
 * unmapping frames of the same address space at once -- open and release
 * racing on one mm -- while a lockless GUP walker keeps running on another
 * VMA of it and readers render maps/status and copy through the walk.
 * Bounded: every thread stops after a fixed number of rounds, and a
 * watchdog turns a hang into a failure.
 */
#define RACE_PID	4030
#define RACE_THREADS	4
#define RACE_ROUNDS	1500
#define RACE_ANON	0x20000000UL

struct frame_race {
	struct page *blocks[6];
	unsigned int orders[6];
	struct mm_struct *mm;		/* the client's address space (held) */
	atomic_int stop;
	atomic_long rounds, pins, errors;
};

struct frame_race_arg {
	struct frame_race *r;
	int idx;
};

static void *frame_race_mapper(void *arg)
{
	struct frame_race *r = ((struct frame_race_arg *)arg)->r;
	int idx = ((struct frame_race_arg *)arg)->idx, round;
	unsigned int seed = (unsigned int)idx * 7919u + 1;
	uint64_t off = 64 + (uint64_t)idx * 16;		/* this thread's bytes in every block */

	for (round = 0; round < RACE_ROUNDS; round++) {
		struct mmfs_mapping *m[3];
		int n = 1 + (int)(rand_r(&seed) % 3), i;

		for (i = 0; i < n; i++) {
			int b = (int)(rand_r(&seed) % 6);
			unsigned long pfn = page_to_pfn(r->blocks[b]);
			char tag[8], back[8];

			if (mmfs_frame_map(RACE_PID, pfn, r->orders[b], true, true, "/frames/race", &m[i])) {
				atomic_fetch_add(&r->errors, 1);
				n = i;
				break;
			}
			snprintf(tag, sizeof(tag), "%d%06d", idx, round % 1000000);
			if (mmfs_mapping_access(m[i], off, tag, 8, true) != 8 ||
			    mmfs_mapping_access(m[i], off, back, 8, false) != 8 ||
			    memcmp(tag, back, 8))
				atomic_fetch_add(&r->errors, 1);
		}
		if (round % 16 == 0) {
			size_t len;
			char *t = mmfs_pid_maps(RACE_PID, &len);

			free(t);
			t = mmfs_pid_status(RACE_PID, &len);
			free(t);
		}
		for (i = n - 1; i >= 0; i--)
			mmfs_frame_unmap(m[i]);
		atomic_fetch_add(&r->rounds, 1);
	}
	return NULL;
}

static void *frame_race_walker(void *arg)
{
	struct frame_race *r = arg;
	struct page *pages[8];

	while (!atomic_load(&r->stop)) {
		int n = pin_user_pages_fast(r->mm, RACE_ANON, 8, FOLL_WRITE, pages);

		if (n > 0) {
			atomic_fetch_add(&r->pins, n);
			unpin_user_pages(pages, (unsigned long)n);
		}
	}
	return NULL;
}

static void test_frame_map_threads_same_pid(void **state)
{
	static const unsigned int orders[6] = { 0, 0, 1, 2, 0, 3 };
	struct frame_race r = { 0 };
	struct frame_race_arg args[RACE_THREADS];
	struct vm_area_struct *anon;
	struct page *pages[8];
	pthread_t mappers[RACE_THREADS], walker;
	struct timespec deadline;
	long base = nr_pagetable();
	int i;

	(void)state;
	for (i = 0; i < 6; i++) {
		r.orders[i] = orders[i];
		r.blocks[i] = alloc_pages(GFP_KERNEL, orders[i]);
		assert_non_null(r.blocks[i]);
	}
	/* the client's mm, with an anonymous VMA for the lockless walker */
	r.mm = mm_with_vma(RACE_PID, RACE_ANON, 8 * PAGE_SIZE, PRIVATE_RW, &anon);
	mmap_read_lock(r.mm);		/* fault them in: the walker's fast path then pins */
	assert_int_equal(get_user_pages(r.mm, RACE_ANON, 8, FOLL_WRITE, pages), 8);
	mmap_read_unlock(r.mm);
	for (i = 0; i < 8; i++)
		put_page(pages[i]);
	assert_int_equal(pthread_create(&walker, NULL, frame_race_walker, &r), 0);
	for (i = 0; i < RACE_THREADS; i++) {
		args[i] = (struct frame_race_arg){ &r, i };
		assert_int_equal(pthread_create(&mappers[i], NULL, frame_race_mapper, &args[i]), 0);
	}

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 60;
	for (i = 0; i < RACE_THREADS; i++) {
		if (pthread_timedjoin_np(mappers[i], NULL, &deadline)) {
			/* a hang: fail loudly instead of blocking the suite */
			fprintf(stderr, "test_frame_map_threads_same_pid: mapper %d hung after %ld rounds\n",
				i, atomic_load(&r.rounds));
			abort();
		}
	}
	atomic_store(&r.stop, 1);
	assert_int_equal(pthread_timedjoin_np(walker, NULL, &deadline), 0);

	assert_int_equal(atomic_load(&r.errors), 0);
	assert_int_equal(atomic_load(&r.rounds), RACE_THREADS * RACE_ROUNDS);
	assert_true(atomic_load(&r.pins) > 0);
	/* every frame mapping is gone: the anon VMA alone is left */
	{
		size_t len;
		char *maps = mmfs_pid_maps(RACE_PID, &len);

		assert_non_null(maps);
		assert_null(strstr(maps, "/frames/race"));
		free(maps);
	}
	for (i = 0; i < 6; i++) {
		assert_int_equal(mmfs_page_pincount(r.blocks[i]), 0);
		assert_int_equal(page_ref_count(r.blocks[i]), 1);
	}
	assert_true(unit_validate_ok());
	drop_vma(r.mm, anon);
	mmfs_mm_put(r.mm);
	assert_false(mmfs_pid_exists(RACE_PID));
	assert_int_equal(nr_pagetable(), base);
	for (i = 0; i < 6; i++)
		__free_pages(r.blocks[i], orders[i]);
	assert_true(unit_validate_ok());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_table_pages_counted, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_walk_every_level, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_huge_pmd_leaf, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_huge_pud_leaf, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_remap_ranges_and_cow, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_frame_map_files, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_frame_map_order9_cow, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_free_while_pinned, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_frame_compound_pin, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_pid_reuse_and_release_all, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_lookup_pgtable_page, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_vma_tree_and_topdown, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_topdown_random, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_free_pgtables_floor_ceiling, setup, unit_teardown),
		cmocka_unit_test_setup_teardown(test_frame_map_threads_same_pid, setup, unit_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
