/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * debug.c - dump_page (mm/debug.c) and the validate walk: every invariant
 * of the page allocator checked at once (the DEBUG_VM checks of
 * mm/page_alloc.c gathered into one walker, as mimalloc's *_is_valid()),
 * then every subsystem's registered validator; and lookup of a pfn.
 *
 * Lock order while validating a zone: every pcp->lock of the zone
 * (mmfs_pcp_lock_all, in CPU order), then
 * zone->lock (the allocator's order).  Registered validators run with no
 * lock of ours held.  The walk is exact when nothing allocates or frees
 * concurrently; blocks in flight between the free lists and page_owner
 * can otherwise show as an accounting difference.
 */
#include "internal.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void __attribute__((format(printf, 2, 3))) violation(struct report *r, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

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

struct zone_walk {
	struct zone *zone;
	unsigned long start, span;
	unsigned char *seen;		/* per pfn: 0, 1 buddy, 2 pcp, 3 allocated */
};

static bool mark_block(struct report *r, struct zone_walk *w, unsigned long pfn,
		       unsigned int order, unsigned char what, const char *where)
{
	static const char * const names[] = { "?", "a free list", "a pcp list", "an allocated block" };
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

static void validate_zone(struct report *r, struct zone *zone)
{
	struct zone_walk w = { zone, zone->zone_start_pfn, zone->spanned_pages, NULL };
	unsigned long free_pages = 0, pcp_pages = 0, alloc_pages = 0, nr_free[MAX_ORDER];
	unsigned long pfn, limit = zone->spanned_pages + 16;
	int cpu;

	if (!zone->per_cpu_pageset || !zone->spanned_pages)
		return;
	w.seen = calloc(w.span, 1);
	if (!w.seen) {
		violation(r, "%s: validate: out of memory", zone->name);
		return;
	}
	mmfs_pcp_lock_all(zone);
	spin_lock(&zone->lock);

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
				if (mark_block(r, &w, pfn, order, 1, "free list"))
					free_pages += 1UL << order;
			}
		}
		if (nr_free[order] != zone->free_area[order].nr_free)
			violation(r, "%s: free_area[%u].nr_free is %lu but its lists hold %lu",
				  zone->name, order, zone->free_area[order].nr_free, nr_free[order]);
	}

	/* 2. buddies are never both free at the same order */
	for (unsigned int order = 0; order < MAX_ORDER - 1; order++) {
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
				if (order >= pageblock_order) {
					int a = get_pageblock_migratetype(page);
					int b = get_pageblock_migratetype(buddy);

					if (a != b && (a >= MIGRATE_PCPTYPES || b >= MIGRATE_PCPTYPES))
						continue;	/* merging refused by design */
				}
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
				if (mark_block(r, &w, pfn, order, 2, "pcp list"))
					pcp_pages += 1UL << order;
			}
		}
		if (count != pcp->count)
			violation(r, "%s: cpu %d pcp count is %d but its lists hold %ld",
				  zone->name, cpu, pcp->count, count);
		if (pcp->count < 0)
			violation(r, "%s: cpu %d pcp count is negative", zone->name, cpu);
	}

	/* 4. every page of the zone: PageBuddy only on list heads, allocated
	 * blocks accounted, pageblock types sane */
	for (pfn = w.start; pfn < w.start + w.span; pfn++) {
		unsigned char s = w.seen[pfn - w.start];
		struct page *page;
		struct page_owner *po;

		if (!pfn_valid(pfn))
			continue;
		page = pfn_to_page(pfn);
		if (page_zone(page) != zone)
			continue;
		if ((pfn & (pageblock_nr_pages - 1)) == 0 || pfn == w.start) {
			int mt = get_pageblock_migratetype(page);

			if (mt < 0 || mt >= MIGRATE_TYPES)
				violation(r, "%s: pageblock at 0x%lx has migratetype %d", zone->name, pfn, mt);
		}
		if (PageBuddy(page) && s != (1 | 0x80))
			violation(r, "%s: pfn 0x%lx is PageBuddy but on no free list", zone->name, pfn);
		if (s)
			continue;
		po = get_page_owner(page);
		if (po) {
			unsigned int order = (unsigned int)po->order;

			if (po->order < 0 || po->order >= MAX_ORDER) {
				violation(r, "%s: allocated pfn 0x%lx has order %d", zone->name, pfn, po->order);
				continue;
			}
			if (page_ref_count(page) <= 0)
				violation(r, "%s: allocated block 0x%lx has refcount %d", zone->name, pfn,
					  page_ref_count(page));
			if (PageHead(page)) {
				if (compound_order(page) != order)
					violation(r, "%s: compound 0x%lx has order %u, allocated as %u",
						  zone->name, pfn, compound_order(page), order);
				for (unsigned long i = 1; i < (1UL << order); i++)
					if (compound_head(page + i) != page) {
						violation(r, "%s: tail 0x%lx of compound 0x%lx has a wrong head",
							  zone->name, pfn + i, pfn);
						break;
					}
			}
			if (mark_block(r, &w, pfn, order, 3, "allocated"))
				alloc_pages += 1UL << order;
		}
	}

	/* 5. counters */
	{
		unsigned long nrfp = zone_page_state_snapshot(zone, NR_FREE_PAGES);
		unsigned long managed = zone_managed_pages(zone);

		if (nrfp != free_pages)
			violation(r, "%s: NR_FREE_PAGES is %lu but the free lists hold %lu pages",
				  zone->name, nrfp, free_pages);
		if (alloc_pages + free_pages + pcp_pages != managed)
			violation(r, "%s: allocated %lu + free %lu + pcp %lu = %lu pages, managed is %lu",
				  zone->name, alloc_pages, free_pages, pcp_pages,
				  alloc_pages + free_pages + pcp_pages, managed);
	}

	spin_unlock(&zone->lock);
	mmfs_pcp_unlock_all(zone);
	free(w.seen);
}

/**
 * mm_validate - check every invariant of the memory manager
 * @report: set to a malloc'd list of violations, one per line (caller
 *          frees); may be NULL
 *
 * Return: the number of violations found.
 */
int mm_validate(char **report)
{
	struct report r = { NULL, 0, 0, 0 };
	struct zone *zone;
	const struct mmfs_validator *vs[MAX_VALIDATORS];
	int nv;

	if (mmfs_booted) {
		for_each_populated_zone(zone)
			validate_zone(&r, zone);
	}
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
 * buddy (order, head), pcp (cpu, order), allocated (order, head, owner,
 * refcount, mapcount, pincount, pid, comm), reserved, unaccounted.
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
	/* a free block covering pfn */
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
