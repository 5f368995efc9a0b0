/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * debug.c - dump_page (mm/debug.c) and the validate walk: every invariant
 * of the page allocator checked at once (the DEBUG_VM checks of
 * mm/page_alloc.c gathered into one walker, as mimalloc's *_is_valid()),
 * then every subsystem's registered validator; and lookup of a pfn.
 *
 * Lock order while validating: every populated zone's locks at once, zone
 * after zone in for_each_populated_zone order (node by node, zone index
 * upward), and within a zone every pcp->lock (mmfs_pcp_lock_all, in CPU
 * order) then zone->lock, the allocator's order.  The allocator holds one
 * zone's locks at a time, so it nests with this.  Registered validators
 * run with no lock of ours held.  Blocks in flight between the lists and
 * page_owner are looked at again with the locks dropped, until they settle
 * (see "blocks in flight" below): a report names only what stays broken.
 */
#include "internal.h"
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_VALIDATORS	32
#define MAX_REPORTED	200	/* lines per validate report from this file */

static const struct mmfs_validator *validators[MAX_VALIDATORS];
static int nr_validators;
static pthread_mutex_t validators_lock = PTHREAD_MUTEX_INITIALIZER;

void mmfs_register_validator(const struct mmfs_validator *v)
{
	if (!v)
		return;
	pthread_mutex_lock(&validators_lock);
	for (int i = 0; i < nr_validators; i++)
		if (validators[i] == v || (v->name && validators[i]->name &&
					   !strcmp(validators[i]->name, v->name))) {
			validators[i] = v;	/* re-registration after a reboot */
			pthread_mutex_unlock(&validators_lock);
			return;
		}
	if (nr_validators < MAX_VALIDATORS)
		validators[nr_validators++] = v;
	pthread_mutex_unlock(&validators_lock);
}

/* --------------------------------------------------------- dump_page */

/**
 * dump_page - print a struct page in the kernel's words
 * @page: the page
 * @reason: why (printed last), or NULL
 */
void dump_page(const struct page *page, const char *reason)
{
	const struct page *head = compound_head(page);
	char flags[512];
	const unsigned long *raw = (const unsigned long *)page;
	unsigned long pfn = page_to_pfn(page);

	printk("page:%016lx refcount:%d mapcount:%d mapping:%016lx index:%#lx pfn:%#lx",
	       mmfs_hash_ptr(mmfs_page_kaddr(page)), page_ref_count(head),
	       PageBuddy(page) || PageTable(page) ? 0 : page_mapcount(page),
	       PageTail(page) ? 0UL : mmfs_hash_ptr((unsigned long)page->mapping),
	       PageTail(page) ? 0UL : page->index, pfn);
	if (PageCompound(page))
		printk("head:%016lx order:%u compound_mapcount:%d compound_pincount:%d",
		       mmfs_hash_ptr(mmfs_page_kaddr(head)), compound_order(head),
		       atomic_read(&head[1].compound_mapcount) + 1, compound_pincount(head));
	page_flags_format(head, flags, sizeof(flags));
	printk("flags: %#lx(%s)", head->flags, flags);
	if ((page->page_type & PAGE_TYPE_BASE) == PAGE_TYPE_BASE && page->page_type != 0xffffffffu)
		printk("page_type: %#x(%s)", page->page_type,
		       PageBuddy(page) ? "buddy" : PageTable(page) ? "table" :
		       PageOffline(page) ? "offline" : PageGuard(page) ? "guard" : "");
	printk("raw: %016lx %016lx %016lx %016lx", raw[0], raw[1], raw[2], raw[3]);
	printk("raw: %016lx %016lx %016lx %016lx", raw[4], raw[5], raw[6], raw[7]);
	if (reason)
		printk("page dumped because: %s", reason);
}

/* ---------------------------------------------------------- the report */

struct report {
	char *buf;
	size_t len, cap;
	int count;		/* violations found */
};

/* One line of the report; with no report (@r NULL) nothing happens, so
 * that a check can also run just to tell whether it passes. */
static void __attribute__((format(printf, 2, 3))) violation(struct report *r, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	if (!r)
		return;
	r->count++;
	if (r->count > MAX_REPORTED) {
		if (r->count == MAX_REPORTED + 1)
			snprintf(line, sizeof(line), "... more violations not listed\n");
		else
			return;
		n = (int)strlen(line);
	} else {
		va_start(ap, fmt);
		n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (n > (int)sizeof(line) - 2)
			n = (int)sizeof(line) - 2;
		line[n++] = '\n';
		line[n] = '\0';
	}
	if (r->len + (size_t)n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 4096;
		char *nb;

		while (cap < r->len + (size_t)n + 1)
			cap *= 2;
		nb = realloc(r->buf, cap);
		if (!nb)
			return;
		r->buf = nb;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, line, (size_t)n + 1);
	r->len += (size_t)n;
}

/* ------------------------------------------------------ zone validation */

/*
 * MMFS: blocks in flight.  The allocator takes a block off a free or pcp
 * list under the zone's locks but records it in page_owner
 * (post_alloc_hook, prep_compound_page) only after dropping them, and a
 * free resets page_owner (free_pages_prepare) before it takes the locks to
 * put the block back.  Meanwhile the block is on no list and has no owner,
 * or has an owner but is half made or half undone (refcount 0, PG_head
 * before its order, tails before their head); and a reader folding the
 * vmstat diffs (fold_vm_stats) holds NR_FREE_PAGES in its hands for a
 * moment.  Telling those apart in the fast paths would cost them an atomic
 * or a lock, so the walk does it instead: under every lock it notes what
 * only work in flight could explain as a suspect, then drops the locks so
 * that the work can finish and looks at the suspects alone again, until
 * each has once been found sound or VALIDATE_SETTLE_MS have passed; only
 * what stays broken is reported.  Whatever keeps pages off the lists for
 * longer (compaction's isolated free pages, one day) must account for
 * them where validate can see it.
 */
#define VALIDATE_SETTLE_MS	1000	/* how long a suspect may take to settle */
#define VALIDATE_WAIT_MIN_US	100	/* the first sleep between two looks */
#define VALIDATE_WAIT_MAX_US	50000	/* the longest */

enum suspect_kind {
	SUSPECT_LOST,		/* pages on no list and in no allocated block */
	SUSPECT_BLOCK,		/* an allocated block that failed check_allocated() */
	SUSPECT_NR_FREE,	/* NR_FREE_PAGES against the free lists */
};

struct suspect {
	enum suspect_kind kind;
	unsigned long pfn;	/* LOST: first pfn still lost; BLOCK: the head */
	unsigned long nr;	/* LOST: pages from @pfn to the last one lost */
	unsigned long left;	/* LOST: pages of that range still lost */
};

struct zone_walk {
	struct zone *zone;
	unsigned long start, span;
	unsigned char *seen;		/* per pfn: 0, 1 buddy, 2 pcp, 3 allocated, 4 guard;
					 * |0x80 on heads */
	unsigned long free_pages, pcp_pages, alloc_pages;	/* the first look's sums */
	unsigned long guard_pages;	/* pages of guard blocks (neither free nor allocated) */
	struct suspect *suspects;	/* what only work in flight could explain */
	unsigned int nr_suspects, max_suspects;
};

static bool add_suspect(struct report *r, struct zone_walk *w, enum suspect_kind kind,
			unsigned long pfn, unsigned long nr)
{
	if (w->nr_suspects == w->max_suspects) {
		unsigned int max = w->max_suspects ? w->max_suspects * 2 : 16;
		struct suspect *s = realloc(w->suspects, max * sizeof(*s));

		if (!s) {
			violation(r, "%s: validate: out of memory", w->zone->name);
			return false;
		}
		w->suspects = s;
		w->max_suspects = max;
	}
	w->suspects[w->nr_suspects++] = (struct suspect){ kind, pfn, nr, nr };
	return true;
}

/* a lost pfn: grows the run the walk noted last, if it ends just before */
static void add_lost(struct report *r, struct zone_walk *w, unsigned long pfn)
{
	struct suspect *s = w->nr_suspects ? &w->suspects[w->nr_suspects - 1] : NULL;

	if (s && s->kind == SUSPECT_LOST && s->pfn + s->nr == pfn) {
		s->nr++;
		s->left++;
		return;
	}
	add_suspect(r, w, SUSPECT_LOST, pfn, 1);
}

static void drop_suspects(struct zone_walk *w, enum suspect_kind kind)
{
	unsigned int i, n = 0;

	for (i = 0; i < w->nr_suspects; i++)
		if (w->suspects[i].kind != kind)
			w->suspects[n++] = w->suspects[i];
	w->nr_suspects = n;
}

static bool mark_block(struct report *r, struct zone_walk *w, unsigned long pfn,
		       unsigned int order, unsigned char what, const char *where)
{
	static const char * const names[] = { "?", "a free list", "a pcp list", "an allocated block",
					      "a guard block" };
	unsigned long i, n = 1UL << order;

	if (pfn < w->start || pfn + n > w->start + w->span) {
		violation(r, "%s %s: block pfn 0x%lx order %u outside the zone", w->zone->name, where, pfn, order);
		return false;
	}
	for (i = 0; i < n; i++) {
		unsigned char *s = &w->seen[pfn + i - w->start];

		if (*s) {
			violation(r, "%s: pfn 0x%lx is on %s and on %s (%s)", w->zone->name, pfn + i,
				  names[*s & 0x7f], names[what], where);
			return false;
		}
		*s = what;
	}
	w->seen[pfn - w->start] |= 0x80;	/* the block's head */
	return true;
}

/*
 * check_allocated - the head of an allocated block: its order, its
 * reference count, its compound pages.  Also for blocks in flight, so
 * every field is read once, racily.  Reports to @r (NULL: only counts).
 * Return: the number of problems.
 */
static int check_allocated(struct report *r, struct zone *zone, unsigned long pfn,
			   struct page *page, int order)
{
	int bad = 0, ref;

	if (order < 0 || order >= MAX_ORDER) {
		violation(r, "%s: allocated pfn 0x%lx has order %d", zone->name, pfn, order);
		return 1;
	}
	ref = page_ref_count(page);
	if (ref <= 0) {
		violation(r, "%s: allocated block 0x%lx has refcount %d", zone->name, pfn, ref);
		bad++;
	}
	if (PageHead(page)) {
		unsigned int corder = READ_ONCE(page[1].compound_order);

		if (corder != (unsigned int)order) {
			violation(r, "%s: compound 0x%lx has order %u, allocated as %d",
				  zone->name, pfn, corder, order);
			bad++;
		}
		for (unsigned long i = 1; i < (1UL << order); i++)
			if (compound_head(page + i) != page) {
				violation(r, "%s: tail 0x%lx of compound 0x%lx has a wrong head",
					  zone->name, pfn + i, pfn);
				bad++;
				break;
			}
	}
	return bad;
}

/* the pages of the zone's free lists, from their counts (zone->lock held) */
static unsigned long free_area_pages(struct zone *zone)
{
	unsigned long pages = 0;

	for (unsigned int order = 0; order < MAX_ORDER; order++)
		pages += zone->free_area[order].nr_free << order;
	return pages;
}

/*
 * A guard block's head at @pfn (set_page_guard): an order below
 * debug_guardpage_minorder, aligned, every page unreferenced.  Marks it.
 * Return: true if it is one and is now counted.
 */
static bool guard_block_ok(struct report *r, struct zone_walk *w, unsigned long pfn, struct page *page)
{
	unsigned long order = page->private;

	if (!debug_guardpage_enabled() || order >= debug_guardpage_minorder()) {
		violation(r, "%s: pfn 0x%lx is a guard block of order %lu, debug_guardpage_minorder is %u",
			  w->zone->name, pfn, order, debug_guardpage_minorder());
		return false;
	}
	if (pfn & ((1UL << order) - 1)) {
		violation(r, "%s: guard block 0x%lx is not aligned to its order %lu", w->zone->name, pfn,
			  order);
		return false;
	}
	for (unsigned long i = 0; i < (1UL << order); i++)
		if (page_ref_count(page + i) != 0) {
			violation(r, "%s: guard pfn 0x%lx has refcount %d", w->zone->name, pfn + i,
				  page_ref_count(page + i));
			return false;
		}
	return mark_block(r, w, pfn, (unsigned int)order, 4, "guard block");
}

/* The first look at a zone, every lock held. */
static void validate_zone(struct report *r, struct zone_walk *w)
{
	struct zone *zone = w->zone;
	unsigned long nr_free[MAX_ORDER], lost = 0;
	unsigned long pfn, limit = zone->spanned_pages + 16;
	int cpu;

	/* 1. the free lists */
	for (unsigned int order = 0; order < MAX_ORDER; order++) {
		nr_free[order] = 0;
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *head = &zone->free_area[order].free_list[mt], *pos;
			unsigned long steps = 0;

			for (pos = head->next; pos != head; pos = pos->next) {
				struct page *page = list_entry(pos, struct page, lru);

				if (++steps > limit) {
					violation(r, "%s: free_list[%u][%s] does not end", zone->name, order,
						  migratetype_names[mt]);
					break;
				}
				if (pos->next->prev != pos) {
					violation(r, "%s: free_list[%u][%s] is corrupted", zone->name, order,
						  migratetype_names[mt]);
					break;
				}
				pfn = page_to_pfn(page);
				nr_free[order]++;
				if (!PageBuddy(page))
					violation(r, "%s: pfn 0x%lx on free_list[%u][%s] is not PageBuddy",
						  zone->name, pfn, order, migratetype_names[mt]);
				else if (page->private != order)
					violation(r, "%s: pfn 0x%lx on free_list[%u][%s] has order %lu",
						  zone->name, pfn, order, migratetype_names[mt], page->private);
				if (pfn & ((1UL << order) - 1))
					violation(r, "%s: pfn 0x%lx on free_list[%u] is not aligned to its order",
						  zone->name, pfn, order);
				if (page_zone(page) != zone)
					violation(r, "%s: pfn 0x%lx on its free list belongs to another zone",
						  zone->name, pfn);
				for (unsigned long i = 0; i < (1UL << order); i++) {
					if (page_ref_count(page + i) != 0) {
						violation(r, "%s: free pfn 0x%lx has refcount %d", zone->name,
							  pfn + i, page_ref_count(page + i));
						break;
					}
				}
				if (mark_block(r, w, pfn, order, 1, "free list"))
					w->free_pages += 1UL << order;
			}
		}
		if (nr_free[order] != zone->free_area[order].nr_free)
			violation(r, "%s: free_area[%u].nr_free is %lu but its lists hold %lu",
				  zone->name, order, zone->free_area[order].nr_free, nr_free[order]);
	}

	/*
	 * 2. buddies inside a pageblock are never both free at the same order
	 * (a free always merges them).  Whole pageblocks may lie free and
	 * unmerged beside each other: 6.18 changes a free pageblock's type
	 * by moving its pages (move_freepages_block: claim, unreserve) and
	 * merges nothing; they merge at the next free.
	 */
	for (unsigned int order = 0; order < pageblock_order; order++) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *head = &zone->free_area[order].free_list[mt];
			struct page *page;
			unsigned long steps = 0;

			list_for_each_entry(page, head, lru) {
				unsigned long bpfn;
				struct page *buddy;

				if (++steps > limit)
					break;
				pfn = page_to_pfn(page);
				buddy = find_buddy_page_pfn(page, pfn, order, &bpfn);
				if (!buddy || bpfn < pfn)
					continue;
				violation(r, "%s: buddies 0x%lx and 0x%lx are both free at order %u",
					  zone->name, pfn, bpfn, order);
			}
		}
	}

	/* 3. the pcp lists */
	for_each_possible_cpu(cpu) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		long count = 0;

		for (int i = 0; i < NR_PCP_LISTS; i++) {
			unsigned int order = mmfs_pcp_pindex_to_order((unsigned int)i);
			struct list_head *head = &pcp->lists[i], *pos;
			unsigned long steps = 0;

			for (pos = head->next; pos != head; pos = pos->next) {
				struct page *page = list_entry(pos, struct page, lru);

				if (++steps > limit || pos->next->prev != pos) {
					violation(r, "%s: cpu %d pcp list %d is corrupted", zone->name, cpu, i);
					break;
				}
				pfn = page_to_pfn(page);
				count += 1L << order;
				if (PageBuddy(page))
					violation(r, "%s: pfn 0x%lx on cpu %d's pcp list is PageBuddy",
						  zone->name, pfn, cpu);
				if (page_ref_count(page) != 0)
					violation(r, "%s: pcp pfn 0x%lx has refcount %d", zone->name, pfn,
						  page_ref_count(page));
				if (page_zone(page) != zone)
					violation(r, "%s: pcp pfn 0x%lx belongs to another zone", zone->name, pfn);
				if (mark_block(r, w, pfn, order, 2, "pcp list"))
					w->pcp_pages += 1UL << order;
			}
		}
		if (count != pcp->count)
			violation(r, "%s: cpu %d pcp count is %d but its lists hold %ld",
				  zone->name, cpu, pcp->count, count);
		if (pcp->count < 0)
			violation(r, "%s: cpu %d pcp count is negative", zone->name, cpu);
	}

	/* 4. every page of the zone: PageBuddy only on list heads, allocated
	 * blocks sound, pageblock types sane; pages found nowhere are lost */
	for (pfn = w->start; pfn < w->start + w->span; pfn++) {
		unsigned char s = w->seen[pfn - w->start];
		struct page *page;
		struct page_owner *po;

		if (!pfn_valid(pfn))
			continue;
		page = pfn_to_page(pfn);
		if (page_zone(page) != zone)
			continue;
		if ((pfn & (pageblock_nr_pages - 1)) == 0 || pfn == w->start) {
			int mt = get_pageblock_migratetype(page);

			if (mt < 0 || mt >= MIGRATE_TYPES)
				violation(r, "%s: pageblock at 0x%lx has migratetype %d", zone->name, pfn, mt);
		}
		if (PageBuddy(page) && s != (1 | 0x80))
			violation(r, "%s: pfn 0x%lx is PageBuddy but on no free list", zone->name, pfn);
		if (s)
			continue;
		if (PageGuard(page) && guard_block_ok(r, w, pfn, page)) {
			w->guard_pages += 1UL << page->private;
			continue;
		}
		po = get_page_owner(page);
		if (po) {
			int order = READ_ONCE(po->order);

			if (check_allocated(NULL, zone, pfn, page, order))
				add_suspect(r, w, SUSPECT_BLOCK, pfn, 1);
			if (order >= 0 && order < MAX_ORDER &&
			    mark_block(r, w, pfn, (unsigned int)order, 3, "allocated")) {
				w->alloc_pages += 1UL << order;
				continue;
			}
		}
		if (w->seen[pfn - w->start] || PageReserved(page))
			continue;
		lost++;
		add_lost(r, w, pfn);
	}

	/* 5. counters */
	{
		unsigned long nrfp = zone_page_state_snapshot(zone, NR_FREE_PAGES);
		unsigned long managed = zone_managed_pages(zone);
		unsigned long sum = w->alloc_pages + w->free_pages + w->pcp_pages + w->guard_pages;

		if (nrfp != w->free_pages)
			add_suspect(r, w, SUSPECT_NR_FREE, 0, 0);
		/* every managed page is free, on a pcp list, allocated, a guard
		 * page, or lost (in flight, to be looked at again); anything
		 * else is broken now */
		if (sum + lost != managed) {
			violation(r, "%s: allocated %lu + free %lu + pcp %lu + guard %lu = %lu pages, managed is %lu",
				  zone->name, w->alloc_pages, w->free_pages, w->pcp_pages, w->guard_pages,
				  sum, managed);
			drop_suspects(w, SUSPECT_LOST);
		}
	}
}

/* An allocated block covering @pfn. */
static bool pfn_in_allocated_block(unsigned long pfn)
{
	for (unsigned int order = 0; order < MAX_ORDER; order++) {
		unsigned long head = pfn & ~((1UL << order) - 1);
		struct page_owner *po;

		if (!pfn_valid(head))
			continue;
		po = get_page_owner(pfn_to_page(head));
		if (po && READ_ONCE(po->order) >= (int)order)
			return true;
	}
	return false;
}

/* seen[] for a second look: the pcp pages only (the pcp locks held) */
static void mark_pcp_pages(struct zone_walk *w)
{
	unsigned long limit = w->span + 16;
	int cpu;

	memset(w->seen, 0, w->span);
	for_each_possible_cpu(cpu) {
		struct per_cpu_pages *pcp = &w->zone->per_cpu_pageset[cpu];

		for (int i = 0; i < NR_PCP_LISTS; i++) {
			unsigned int order = mmfs_pcp_pindex_to_order((unsigned int)i);
			struct list_head *head = &pcp->lists[i], *pos;
			unsigned long steps = 0;

			for (pos = head->next; pos != head && ++steps <= limit; pos = pos->next) {
				unsigned long pfn = page_to_pfn(list_entry(pos, struct page, lru));

				for (unsigned long j = 0; j < (1UL << order); j++)
					if (pfn + j >= w->start && pfn + j < w->start + w->span)
						w->seen[pfn + j - w->start] = 2;
			}
		}
	}
}

/* Look at a lost run again: narrow it to what is still lost. */
static bool lost_settled(struct zone_walk *w, struct suspect *s)
{
	unsigned long pfn, first = 0, last = 0, left = 0;

	for (pfn = s->pfn; pfn < s->pfn + s->nr; pfn++) {
		if (w->seen[pfn - w->start] || is_free_buddy_page(pfn_to_page(pfn)) ||
		    pfn_in_allocated_block(pfn))
			continue;
		if (!left++)
			first = pfn;
		last = pfn;
	}
	if (!left)
		return true;
	s->pfn = first;
	s->nr = last - first + 1;
	s->left = left;
	return false;
}

/*
 * Look at a zone's suspects again, every lock held; forget those that
 * settled.  With @r, this is the last look: report those that did not.
 */
static void recheck_zone(struct report *r, struct zone_walk *w)
{
	struct zone *zone = w->zone;
	bool lost_reported = false;
	unsigned int i, n = 0;

	if (!w->nr_suspects)
		return;
	mark_pcp_pages(w);
	for (i = 0; i < w->nr_suspects; i++) {
		struct suspect *s = &w->suspects[i];
		struct page_owner *po;
		unsigned long nrfp;
		bool settled;

		switch (s->kind) {
		case SUSPECT_LOST:
			settled = lost_settled(w, s);
			if (settled)
				break;
			if (!lost_reported)	/* the first look's sums, once */
				violation(r, "%s: allocated %lu + free %lu + pcp %lu = %lu pages, managed is %lu",
					  zone->name, w->alloc_pages, w->free_pages, w->pcp_pages,
					  w->alloc_pages + w->free_pages + w->pcp_pages,
					  zone_managed_pages(zone));
			lost_reported = true;
			violation(r, "%s: %lu pages in 0x%lx-0x%lx are neither free, on a pcp list nor allocated",
				  zone->name, s->left, s->pfn, s->pfn + s->nr - 1);
			break;
		case SUSPECT_BLOCK:
			po = get_page_owner(pfn_to_page(s->pfn));
			settled = !po || !check_allocated(r, zone, s->pfn, pfn_to_page(s->pfn),
							  READ_ONCE(po->order));
			break;
		case SUSPECT_NR_FREE:
		default:
			nrfp = zone_page_state_snapshot(zone, NR_FREE_PAGES);
			settled = nrfp == free_area_pages(zone);
			if (!settled)
				violation(r, "%s: NR_FREE_PAGES is %lu but the free lists hold %lu pages",
					  zone->name, nrfp, free_area_pages(zone));
			break;
		}
		if (!settled)
			w->suspects[n++] = *s;
	}
	w->nr_suspects = n;
}

/* Every walked zone's pcp locks (in CPU order) then its zone->lock, zone
 * after zone in for_each_populated_zone order; and back. */
static void lock_zones(struct zone_walk *w, int nr)
{
	for (int i = 0; i < nr; i++) {
		mmfs_pcp_lock_all(w[i].zone);
		spin_lock(&w[i].zone->lock);
	}
}

static void unlock_zones(struct zone_walk *w, int nr)
{
	for (int i = nr - 1; i >= 0; i--) {
		spin_unlock(&w[i].zone->lock);
		mmfs_pcp_unlock_all(w[i].zone);
	}
}

static uint64_t validate_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/**
 * mmfs_settle_wait - wait before looking again at a suspect
 * @st: the looks so far (zeroed before the first)
 *
 * A yield first, then sleeps from VALIDATE_WAIT_MIN_US doubling up to
 * VALIDATE_WAIT_MAX_US.  Context: no lock held that work in flight needs.
 * Return: true to look again, false when VALIDATE_SETTLE_MS have passed
 * since the first call: the coming look is the last one.
 */
bool mmfs_settle_wait(struct mmfs_settle *st)
{
	if (!st->round++) {
		st->deadline = validate_clock_ns() + VALIDATE_SETTLE_MS * 1000000ull;
		sched_yield();
	} else {
		unsigned long us = (unsigned long)VALIDATE_WAIT_MIN_US << min(st->round - 2, 16u);
		struct timespec ts;

		us = min(us, (unsigned long)VALIDATE_WAIT_MAX_US);
		ts.tv_sec = 0;
		ts.tv_nsec = (long)us * 1000;
		nanosleep(&ts, NULL);
	}
	return validate_clock_ns() < st->deadline;
}

static bool any_suspects(const struct zone_walk *w, int nr)
{
	for (int i = 0; i < nr; i++)
		if (w[i].nr_suspects)
			return true;
	return false;
}

/* Every zone at once: one consistent look, then the suspects until they
 * settle or VALIDATE_SETTLE_MS pass. */
static void validate_zones(struct report *r)
{
	struct zone_walk *w = calloc(MAX_NUMNODES * MAX_NR_ZONES, sizeof(*w));
	struct mmfs_settle st = { 0, 0 };
	struct zone *zone;
	int nr = 0;

	if (!w) {
		violation(r, "validate: out of memory");
		return;
	}
	for_each_populated_zone(zone) {
		if (!zone->per_cpu_pageset || !zone->spanned_pages)
			continue;
		w[nr] = (struct zone_walk){ .zone = zone, .start = zone->zone_start_pfn,
					    .span = zone->spanned_pages };
		w[nr].seen = calloc(w[nr].span, 1);
		if (!w[nr].seen) {
			violation(r, "%s: validate: out of memory", zone->name);
			continue;
		}
		nr++;
	}
	lock_zones(w, nr);
	for (int i = 0; i < nr; i++)
		validate_zone(r, &w[i]);
	unlock_zones(w, nr);

	while (any_suspects(w, nr)) {
		bool last = !mmfs_settle_wait(&st);

		lock_zones(w, nr);
		for (int i = 0; i < nr; i++)
			recheck_zone(last ? r : NULL, &w[i]);
		unlock_zones(w, nr);
		if (last)
			break;
	}
	for (int i = 0; i < nr; i++) {
		free(w[i].suspects);
		free(w[i].seen);
	}
	free(w);
}

/**
 * mm_validate - check every invariant of the memory manager
 * @report: set to a malloc'd list of violations, one per line (caller
 *          frees); may be NULL
 *
 * Context: takes every zone's locks (see the top of this file), and may
 * sleep up to VALIDATE_SETTLE_MS with none held while work in flight
 * settles.
 * Return: the number of violations found.
 */
int mm_validate(char **report)
{
	struct report r = { NULL, 0, 0, 0 };
	const struct mmfs_validator *vs[MAX_VALIDATORS];
	int nv;

	if (mmfs_booted)
		validate_zones(&r);
	pthread_mutex_lock(&validators_lock);
	nv = nr_validators;
	memcpy(vs, validators, sizeof(vs[0]) * (size_t)nv);
	pthread_mutex_unlock(&validators_lock);
	for (int i = 0; i < nv && mmfs_booted; i++) {
		if (!vs[i]->validate)
			continue;
		r.count += vs[i]->validate(&r.buf, &r.len, &r.cap);
	}
	if (report) {
		if (!r.buf)
			r.buf = calloc(1, 1);
		*report = r.buf;
	} else {
		free(r.buf);
	}
	return r.count;
}

/* ------------------------------------------------------------ lookup */

static const char *owner_kind_name(enum mmfs_owner_kind k)
{
	switch (k) {
	case MMFS_OWNER_USER: return "user";
	case MMFS_OWNER_SLAB: return "slab";
	case MMFS_OWNER_PGTABLE: return "pgtable";
	case MMFS_OWNER_KERNEL: return "kernel";
	default: return "none";
	}
}

/**
 * mmfs_lookup_pfn - describe the page at @pfn
 *
 * "pfn=0x.. node=N zone=Z migratetype=M state=..." with state one of
 * buddy (order, head), guard (order, head), pcp (cpu, order), allocated
 * (order, head, owner, refcount, mapcount, pincount, pid, comm), reserved,
 * unaccounted.
 * Return: bytes written (>0), or -EINVAL for a pfn with no RAM.
 */
int mmfs_lookup_pfn(unsigned long pfn, char *buf, size_t len)
{
	struct page *page;
	struct zone *zone;
	int n, mt, o, cpu;

	if (!buf || !len || !mmfs_booted || !pfn_valid(pfn))
		return -EINVAL;
	page = pfn_to_page(pfn);
	zone = page_zone(page);
	mt = get_pageblock_migratetype(page);
	n = snprintf(buf, len, "pfn=%#lx node=%d zone=%s migratetype=%s ", pfn, page_to_nid(page),
		     zone->name ? zone->name : zone_names[page_zonenum(page)],
		     mt >= 0 && mt < MIGRATE_TYPES ? migratetype_names[mt] : "?");
	if (n < 0 || (size_t)n >= len)
		return n < 0 ? -EINVAL : (int)len - 1;

	if (PageReserved(page)) {
		n += snprintf(buf + n, len - (size_t)n, "state=reserved");
		return n;
	}
	/* a free block covering pfn, or a guard block (neither free nor
	 * allocated) */
	spin_lock(&zone->lock);
	for (o = 0; o < MAX_ORDER; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		struct page *hp;

		if (!pfn_valid(head))
			continue;
		hp = pfn_to_page(head);
		if (PageBuddy(hp) && hp->private >= (unsigned long)o && hp->private < MAX_ORDER &&
		    (head & ((1UL << hp->private) - 1)) == 0 && pfn < head + (1UL << hp->private)) {
			unsigned long order = hp->private;

			spin_unlock(&zone->lock);
			n += snprintf(buf + n, len - (size_t)n, "state=buddy order=%lu head=%#lx", order, head);
			return min(n, (int)len - 1);
		}
		if (page_is_guard(hp) && hp->private >= (unsigned long)o && hp->private < MAX_ORDER &&
		    (head & ((1UL << hp->private) - 1)) == 0 && pfn < head + (1UL << hp->private)) {
			unsigned long order = hp->private;

			spin_unlock(&zone->lock);
			n += snprintf(buf + n, len - (size_t)n, "state=guard order=%lu head=%#lx", order, head);
			return min(n, (int)len - 1);
		}
	}
	spin_unlock(&zone->lock);
	/* a pcp block */
	for (o = 0; o < MAX_ORDER; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		int order;

		if (o > PAGE_ALLOC_COSTLY_ORDER && o != pageblock_order)
			continue;
		if (!pfn_valid(head))
			continue;
		order = mmfs_pcp_find_page(pfn_to_page(head), &cpu);
		if (order == o) {
			n += snprintf(buf + n, len - (size_t)n, "state=pcp cpu=%d order=%d head=%#lx", cpu, order, head);
			return min(n, (int)len - 1);
		}
	}
	/* an allocated block covering pfn */
	for (o = 0; o < MAX_ORDER; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		struct page_owner *po;
		struct page *hp;

		if (!pfn_valid(head))
			continue;
		hp = pfn_to_page(head);
		po = get_page_owner(hp);
		if (!po || po->order < o)
			continue;
		n += snprintf(buf + n, len - (size_t)n,
			      "state=allocated order=%d head=%#lx owner=%s", po->order, head,
			      owner_kind_name(po->kind));
		if (n < (int)len && (po->kind == MMFS_OWNER_USER || po->kind == MMFS_OWNER_PGTABLE))
			n += snprintf(buf + n, len - (size_t)n, ":%ld", po->owner_id);
		if (n < (int)len)
			n += snprintf(buf + n, len - (size_t)n,
				      " refcount=%d mapcount=%d pincount=%d pid=%d comm=%s%s",
				      page_ref_count(hp), PageTable(hp) ? 0 : page_mapcount(hp),
				      PageHead(hp) ? compound_pincount(hp) :
				      page_ref_count(hp) / GUP_PIN_COUNTING_BIAS,
				      po->pid, po->comm[0] ? po->comm : "-",
				      po->owner_dropped ? " freed=pending" : "");
		return min(n, (int)len - 1);
	}
	n += snprintf(buf + n, len - (size_t)n, "state=unaccounted refcount=%d", page_ref_count(page));
	return min(n, (int)len - 1);
}

/* Ask each registered subsystem to describe kaddr: its text, or 0 if none claims it. */
static int lookup_by_validators(unsigned long kaddr, char *out, size_t len)
{
	const struct mmfs_validator *vs[MAX_VALIDATORS];
	int nv;

	pthread_mutex_lock(&validators_lock);
	nv = nr_validators;
	memcpy(vs, validators, sizeof(vs[0]) * (size_t)nv);
	pthread_mutex_unlock(&validators_lock);
	for (int i = 0; i < nv; i++) {
		int m;

		if (!vs[i]->lookup)
			continue;
		m = vs[i]->lookup(kaddr, out, len);
		if (m > 0)
			return min(m, (int)len - 1);
	}
	return 0;
}

int mmfs_lookup_addr(unsigned long kaddr, char *buf, size_t len)
{
	char more[512];
	unsigned long pfn;
	const char *p;
	int n, m;

	if (!buf || !len || !mmfs_booted)
		return -EINVAL;
	if (kaddr >= MMFS_PAGE_OFFSET && kaddr < MMFS_PAGE_OFFSET + (1UL << 46)) {
		pfn = (kaddr - MMFS_PAGE_OFFSET) >> PAGE_SHIFT;
		n = mmfs_lookup_pfn(pfn, buf, len);
		if (n < 0)
			return n;
		m = lookup_by_validators(kaddr, more, sizeof(more));
		if (m > 0)
			n += snprintf(buf + n, len - (size_t)n, " %s", more);
		return min(n, (int)len - 1);
	}
	/*
	 * MMFS: outside the direct map (the pkmap window) only the subsystem
	 * that owns the range can say what the address is; when it names the
	 * page behind it ("pfn=0x..."), describe that page first.
	 */
	m = lookup_by_validators(kaddr, more, sizeof(more));
	if (m <= 0)
		return -EINVAL;
	p = strstr(more, "pfn=0x");
	if (p) {
		pfn = strtoul(p + 6, NULL, 16);
		n = mmfs_lookup_pfn(pfn, buf, len);
		if (n >= 0) {
			n += snprintf(buf + n, len - (size_t)n, " %s", more);
			return min(n, (int)len - 1);
		}
	}
	return snprintf(buf, len, "%s", more) >= (int)len ? (int)len - 1 : m;
}
