/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * highmem.h - kmap/kunmap through the pkmap window, kmap_local_page per CPU
 * (mm/highmem.c).  Lowmem pages map to their direct-map address.
 */
#ifndef MMFS_HIGHMEM_H
#define MMFS_HIGHMEM_H
#include "mm.h"

#define LAST_PKMAP	512
void *kmap(struct page *page);		/* host pointer; may wait for a slot */
void kunmap(struct page *page);
void *kmap_local_page(struct page *page);
void kunmap_local(const void *addr);
/* Checked, for control: 0 and the kernel vaddr (pkmap or direct map),
 * -EAGAIN when every pkmap slot is taken, -EINVAL for a bad pfn. */
int mmfs_kmap(unsigned long pfn, unsigned long *vaddr);
int mmfs_kunmap(unsigned long pfn);	/* -EINVAL if not kmapped */
/* highmem/pkmap: one line per slot in use ("slot vaddr pfn count"). */
char *mmfs_pkmap_render(size_t *len);
/* The kernel vaddr of a kmapped highmem page, or 0 if not kmapped. */
unsigned long mmfs_kmap_vaddr(const struct page *page);

/* ---- added by the page-table/GUP work (issue 5) ---- */
#define KM_MAX_IDX	16		/* kmap_local_page nesting per task */
#define PKMAP_BASE	MMFS_PKMAP_BASE
#define PKMAP_NR(virt)	(((virt) - PKMAP_BASE) >> PAGE_SHIFT)
#define PKMAP_ADDR(nr)	(PKMAP_BASE + ((unsigned long)(nr) << PAGE_SHIFT))
/* kmap_local_page entries held by the calling thread */
int mmfs_kmap_local_depth(void);
/* flush_all_zero_pkmaps() runs so far (one per wrap of the pkmap window) */
unsigned long mmfs_pkmap_flush_count(void);

#endif /* MMFS_HIGHMEM_H */
