/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_common.h - what both libFuzzer targets check after each input:
 * validate() must be clean and no page block a test allocated may be left.
 * Define FUZZ_NAME (the target's name, for messages) before including.
 */
#ifndef MMFS_FUZZ_COMMON_H
#define MMFS_FUZZ_COMMON_H
#include "mm.h"
#include <stdio.h>
#include <stdlib.h>

#define FZ_BUG(...) do { \
	fprintf(stderr, FUZZ_NAME ": %s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); \
	abort(); \
} while (0)

/* Allocated blocks that are neither slab nor page-table pages. */
static inline unsigned long count_page_blocks(void)
{
	unsigned long pfn = 0, n = 0;

	while ((pfn = mmfs_next_allocated_block(pfn)) != -1UL) {
		struct page *page = pfn_to_page(pfn);
		struct page_owner *po = get_page_owner(page);

		if (!PageSlab(page) && !PageTable(page) &&
		    !(po && (po->kind == MMFS_OWNER_SLAB || po->kind == MMFS_OWNER_PGTABLE)))
			n++;
		pfn++;
	}
	return n;
}

static inline void validate_or_die(const char *when)
{
	char *report = NULL;
	int n = mm_validate(&report);

	if (n)
		FZ_BUG("%s: validate: %d violations:\n%s", when, n, report ? report : "");
	free(report);
}
#endif /* MMFS_FUZZ_COMMON_H */
