/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arena.c - the simulated machine's physical memory (MMFS only: the host
 * side of what a real machine gets from its DIMMs).
 *
 * One virtual range is reserved (PROT_NONE, MAP_NORESERVE) from physical 0
 * to the end of the highest RAM range, 2 MiB aligned, so __va(phys) is
 * base + phys.  Each RAM range is then backed in place (MAP_FIXED):
 *
 *   hugetlb  MAP_HUGETLB 2 MiB pages for the 2 MiB-aligned middle of the
 *            range, as many as the host has free (partial backing is fine
 *            under hugepages=auto; hugepages=on wants all of it);
 *   THP      anonymous memory madvise(MADV_HUGEPAGE)d, when the host's
 *            transparent_hugepage/enabled is not "never";
 *   4 KiB    plain anonymous memory (MADV_NOHUGEPAGE under hugepages=off).
 *
 * Unaligned edges of a range are always 4 KiB pages.  Holes stay PROT_NONE
 * and cost nothing.  Memory is faulted in lazily as the allocator hands it
 * out.
 *
 * No locks: mm_boot()/mm_shutdown() only.
 */
#include "internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB	(21 << MAP_HUGE_SHIFT)
#endif
#define HPAGE_SIZE	(2UL << 20)

const char * const mmfs_backing_names[3] = { "hugetlb", "thp", "4k" };
struct mmfs_arena_info mmfs_arena;

static char *arena_map;		/* the reservation, 2 MiB aligned */
static size_t arena_len;

/* Is THP usable with madvise (enabled is "always" or "madvise")? */
static bool thp_available(void)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] && !strstr(buf, "[never]");
}

/**
 * mmfs_hugetlb_free_pages - free (unreserved) 2 MiB hugetlb pages of the host
 */
long mmfs_hugetlb_free_pages(void)
{
	static const char *dir = "/sys/kernel/mm/hugepages/hugepages-2048kB/";
	long v[2] = { 0, 0 };
	const char *names[2] = { "free_hugepages", "resv_hugepages" };
	char path[128];

	for (int i = 0; i < 2; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s%s", dir, names[i]);
		f = fopen(path, "r");
		if (!f)
			return 0;
		if (fscanf(f, "%ld", &v[i]) != 1)
			v[i] = 0;
		fclose(f);
	}
	return v[0] > v[1] ? v[0] - v[1] : 0;
}

static int map_plain(char *addr, size_t len, int advice)
{
	void *p;

	if (!len)
		return 0;
	p = mmap(addr, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	if (advice >= 0 && madvise(addr, len, advice))
		return advice == MADV_HUGEPAGE ? 1 : 0;	/* 1: THP refused */
	return 0;
}

static bool map_hugetlb(char *addr, size_t len)
{
	void *p = mmap(addr, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_HUGETLB | MAP_HUGE_2MB,
		       -1, 0);

	return p != MAP_FAILED;
}

/*
 * Back [addr, addr+len) (2 MiB aligned) with as many hugetlb pages as the
 * host gives: first as many as it has free, then in halving chunks.  Returns bytes backed;
 * the rest of the range is left for the fallback (re-mapped by the caller).
 */
static size_t back_hugetlb(char *addr, size_t len, char **rest)
{
	size_t done = 0, chunk = min(len, (size_t)mmfs_hugetlb_free_pages() * HPAGE_SIZE);

	while (done < len && chunk >= HPAGE_SIZE) {
		chunk = min(chunk, len - done);
		if (map_hugetlb(addr + done, chunk)) {
			done += chunk;
			continue;
		}
		chunk = ALIGN_DOWN(chunk / 2, HPAGE_SIZE);
	}
	*rest = addr + done;
	return done;
}

static void arena_reset(void)
{
	if (arena_map)
		munmap(arena_map, arena_len);
	arena_map = NULL;
	arena_len = 0;
	memset(&mmfs_arena, 0, sizeof(mmfs_arena));
	mmfs_arena_base = NULL;
}

static void fmt_size(char *buf, size_t len, uint64_t bytes)
{
	if (bytes && !(bytes & ((1ULL << 30) - 1)))
		snprintf(buf, len, "%llu GiB", (unsigned long long)(bytes >> 30));
	else if (bytes && !(bytes & ((1ULL << 20) - 1)))
		snprintf(buf, len, "%llu MiB", (unsigned long long)(bytes >> 20));
	else
		snprintf(buf, len, "%llu KiB", (unsigned long long)(bytes >> 10));
}

/* The "mmfs: arena ..." boot log line. */
static void arena_report(enum mmfs_hugepages mode, bool thp_ok)
{
	char total[32], hps[32], thps[32], smalls[32], edge[64] = "";
	uint64_t hp = mmfs_arena.hugetlb_bytes, thp = mmfs_arena.thp_bytes,
		 small = mmfs_arena.base_bytes;

	fmt_size(total, sizeof(total), mmfs_arena.backed_bytes);
	fmt_size(hps, sizeof(hps), hp);
	fmt_size(thps, sizeof(thps), thp);
	fmt_size(smalls, sizeof(smalls), small);
	if (small && (hp || thp))
		snprintf(edge, sizeof(edge), ", %s in 4 KiB pages", smalls);
	if (hp && !thp && !small)
		pr_info("mmfs: arena %s backed by hugetlb 2 MiB pages (%llu pages)", total,
			(unsigned long long)(hp / HPAGE_SIZE));
	else if (hp && thp)
		pr_info("mmfs: arena %s backed by hugetlb 2 MiB pages (%llu pages, %s), the rest fell back to THP (%s)%s",
			total, (unsigned long long)(hp / HPAGE_SIZE), hps, thps, edge);
	else if (hp)
		pr_info("mmfs: arena %s backed by hugetlb 2 MiB pages (%llu pages, %s)%s",
			total, (unsigned long long)(hp / HPAGE_SIZE), hps, edge);
	else if (thp)
		pr_info("mmfs: arena %s: no hugetlb pages free, fell back to THP (madvise MADV_HUGEPAGE, %s)%s",
			total, thps, edge);
	else if (mode == MMFS_HUGEPAGES_OFF)
		pr_info("mmfs: arena %s backed by 4 KiB pages (hugepages=off)", total);
	else
		pr_info("mmfs: arena %s backed by 4 KiB pages (no hugetlb pages free, THP %s)",
			total, thp_ok ? "refused" : "disabled");
}

/**
 * mmfs_arena_init - reserve the physical address space and back its RAM
 * @start: first byte of each RAM range (page aligned, ascending)
 * @end: one past the last byte of each range
 * @nr: number of ranges
 * @mode: hugepages= (auto, on, off)
 * @err: one-line reason on failure
 * @errlen: size of @err
 *
 * Fills mmfs_arena and logs what backs RAM.
 * Return: 0, -ENOMEM (host refused memory; for hugepages=on also when the
 * host has too few free hugetlb pages).
 */
int mmfs_arena_init(const uint64_t *start, const uint64_t *end, int nr,
		    enum mmfs_hugepages mode, char *err, size_t errlen)
{
	bool thp_ok = mode != MMFS_HUGEPAGES_OFF && thp_available();
	uint64_t span = ALIGN(end[nr - 1], HPAGE_SIZE), need = 0;
	char *p;
	int i;

	arena_reset();
	if (mode == MMFS_HUGEPAGES_ON) {
		long avail = mmfs_hugetlb_free_pages();

		for (i = 0; i < nr; i++) {
			uint64_t hs = ALIGN(start[i], HPAGE_SIZE), he = ALIGN_DOWN(end[i], HPAGE_SIZE);

			if (he > hs)
				need += (he - hs) / HPAGE_SIZE;
		}
		if ((uint64_t)avail < need) {
			snprintf(err, errlen,
				 "hugepages=on: need %llu hugetlb 2 MiB pages, the host has %ld free (reserve them with: echo %llu > /proc/sys/vm/nr_hugepages)",
				 (unsigned long long)need, avail, (unsigned long long)need);
			return -ENOMEM;
		}
	}
	p = mmap(NULL, span + HPAGE_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "mmfs: cannot reserve %llu MiB of address space for the arena",
			 (unsigned long long)(span >> 20));
		return -ENOMEM;
	}
	arena_map = (char *)ALIGN((uintptr_t)p, HPAGE_SIZE);
	arena_len = span;
	if (arena_map > p)
		munmap(p, (size_t)(arena_map - p));
	if (arena_map + span < p + span + HPAGE_SIZE)
		munmap(arena_map + span, (size_t)(p + span + HPAGE_SIZE - (arena_map + span)));
	mmfs_arena.base = arena_map;
	mmfs_arena_base = arena_map;
	mmfs_arena.span_bytes = span;

	for (i = 0; i < nr; i++) {
		uint64_t hs = ALIGN(start[i], HPAGE_SIZE), he = ALIGN_DOWN(end[i], HPAGE_SIZE);
		char *mid = arena_map + hs, *rest = mid;
		size_t midlen = he > hs ? he - hs : 0;
		int r;

		if (!midlen) {		/* no aligned middle: all 4 KiB */
			hs = he = end[i];
			mid = rest = arena_map + end[i];
		}
		mmfs_arena.backed_bytes += end[i] - start[i];
		/* unaligned edges: 4 KiB pages */
		if (map_plain(arena_map + start[i], hs - start[i], -1) ||
		    map_plain(arena_map + he, end[i] - he, -1))
			goto nomem;
		mmfs_arena.base_bytes += (hs - start[i]) + (end[i] - he);
		if (!midlen)
			continue;
		if (mode != MMFS_HUGEPAGES_OFF)
			mmfs_arena.hugetlb_bytes += back_hugetlb(mid, midlen, &rest);
		midlen -= (size_t)(rest - mid);
		if (!midlen)
			continue;
		if (mode == MMFS_HUGEPAGES_ON) {
			snprintf(err, errlen, "hugepages=on: the host refused hugetlb pages for [mem 0x%016llx-0x%016llx]",
				 (unsigned long long)(rest - arena_map),
				 (unsigned long long)(rest - arena_map + midlen - 1));
			arena_reset();
			return -ENOMEM;
		}
		r = map_plain(rest, midlen, thp_ok ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
		if (r < 0)
			goto nomem;
		if (thp_ok && r == 0)
			mmfs_arena.thp_bytes += midlen;
		else
			mmfs_arena.base_bytes += midlen;
	}
	mmfs_arena.backing = mmfs_arena.hugetlb_bytes ? MMFS_BACKING_HUGETLB :
			     mmfs_arena.thp_bytes ? MMFS_BACKING_THP : MMFS_BACKING_4K;
	arena_report(mode, thp_ok);
	return 0;
nomem:
	snprintf(err, errlen, "mmfs: the host refused memory for the arena");
	arena_reset();
	return -ENOMEM;
}

/* Unmap the whole arena (mm_shutdown). */
void mmfs_arena_shutdown(void)
{
	arena_reset();
}
