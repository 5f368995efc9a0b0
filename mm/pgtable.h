/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pgtable.h - simulated user address spaces: mm_struct, VMAs, page tables,
 * remap_pfn_range, GUP (mm/mmap.c, mm/memory.c, mm/gup.c), and the
 * frame-mapping entry points fs/frames.c and fs/pids.c call.
 */
#ifndef MMFS_PGTABLE_H
#define MMFS_PGTABLE_H
#include "mm.h"

struct mm_struct;
struct mmfs_mapping;	/* one open of a frame file by one process */

/* ---- frame files (SPEC §3: open = remap + pin) ----
 * mmfs_frame_map: in pid's address space (made on first use), find an
 * unmapped area, make a VMA named 'path' ("/frames/0x1a2b"), build it with
 * remap_pfn_range() over the block [pfn, pfn + (1 << order)), and pin the
 * block as FOLL_PIN does (pincount +1, refcount +GUP_PIN_COUNTING_BIAS).
 * 'shared' chooses VM_SHARED|VM_MAYSHARE (else a COW mapping: vm_pgoff = pfn).
 * Returns 0 or -errno (-ENOMEM if table pages cannot be had).
 */
int mmfs_frame_map(int pid, unsigned long pfn, unsigned int order, bool writable,
		   bool shared, const char *path, struct mmfs_mapping **out);
/* Unpin and zap; the address space goes with its last VMA. */
void mmfs_frame_unmap(struct mmfs_mapping *m);
/* Copy to/from the block at byte offset 'off', translating every page through
 * the page-table walk of the mapping (follow_page_mask).  Returns bytes
 * copied or -EFAULT. */
long mmfs_mapping_access(struct mmfs_mapping *m, uint64_t off, void *buf, size_t len, bool write);
unsigned long mmfs_mapping_start(const struct mmfs_mapping *m);	/* user vaddr */

/* ---- pids/ ---- */
/* Pids with a live address space, ascending: malloc'd array, count in *n. */
int *mmfs_pids_list(int *n);
bool mmfs_pid_exists(int pid);
/* /proc/PID/{maps,smaps,status}: malloc'd text, NULL if no such pid. */
char *mmfs_pid_maps(int pid, size_t *len);
char *mmfs_pid_smaps(int pid, size_t *len);
char *mmfs_pid_status(int pid, size_t *len);
/* /proc/PID/pagemap: u64 per virtual page at off/8; bytes or -errno. */
long mmfs_pid_pagemap_read(int pid, uint64_t off, void *buf, size_t len);
/* Drop every mapping of pid (its client went away). */
void mmfs_pid_release_all(int pid);

/* ---- added by the page-table/GUP work (issue 5) ---- */
/* Exact FOLL_PIN pins held on the block headed by page (also for
 * non-compound blocks, where refcount / 1024 is only an estimate). */
int mmfs_page_pincount(const struct page *page);
/* Registry generation of pid's address space (changes when a reused pid
 * gets a new one), 0 if none: for inode generations of pids/PID. */
unsigned long mmfs_pid_generation(int pid);

#endif /* MMFS_PGTABLE_H */
