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

#endif /* MMFS_HIGHMEM_H */
