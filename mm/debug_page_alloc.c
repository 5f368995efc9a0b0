/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * debug_page_alloc.c - guard pages (mm/debug_page_alloc.c of Linux 6.18).
 *
 * With debug_guardpage_minorder=N, expand() does not give back the halves
 * it splits off below order N: each becomes a guard block, its head
 * PageGuard with the order in page->private, on no free list and outside
 * NR_FREE_PAGES, so that an access past the allocation would fall into
 * memory nobody owns.  __free_one_page merges a guard buddy back like a
 * free one (clear_page_guard).  The callers hold zone->lock.
 *
 * MMFS: no debug_pagealloc (unmapping of free pages), so guard pages are
 * enabled by the option alone, and they are not unmapped from the arena.
 */
#include "internal.h"

unsigned int _debug_guardpage_minorder;
bool _debug_guardpage_enabled;

/**
 * __set_page_guard - make the block of @order at @page a guard block, if
 * @order is below debug_guardpage_minorder
 * @zone: its zone (zone->lock held)
 * @page: the head of the block
 * @order: its order
 *
 * Return: true if it is a guard block now.
 */
bool __set_page_guard(struct zone *zone, struct page *page, unsigned int order)
{
	(void)zone;
	if (order >= debug_guardpage_minorder())
		return false;
	__SetPageGuard(page);
	INIT_LIST_HEAD(&page->lru);		/* the kernel's buddy_list */
	page->private = order;
	return true;
}

/**
 * __clear_page_guard - end the guard block of @order at @page (it merges)
 * @zone: its zone (zone->lock held)
 * @page: the head of the block
 * @order: its order
 */
void __clear_page_guard(struct zone *zone, struct page *page, unsigned int order)
{
	(void)zone;
	(void)order;
	__ClearPageGuard(page);
	page->private = 0;
}
