/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_proc.c - the /proc-style renderers of fs/proc.c against the state
 * of a booted machine: counts that must agree between files, the kernel's
 * formulas recomputed from what the files print, field widths from the
 * kernel's format strings, kpageflags bits, sys/vm writes, and the layout
 * of the host's own /proc files (counters differ, the shape must not).
 */
#include "unit_common.h"
#include "slab.h"
#include "pgtable.h"
#include "internal.h"		/* cpu_to_node() */
#include "../../fs/proc.h"
#include <ctype.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BOOT_OPTS	"mem=64M,nodes=2,cpus=4"

/* ------------------------------------------------------------ helpers */

static char *render(const char *name)
{
	size_t len = 0;
	char *s = proc_render(name, &len);

	assert_non_null(s);
	assert_int_equal(strlen(s), len);
	return s;
}

static char *read_host(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t cap = 1 << 16, len = 0, n;
	char *buf;

	assert_non_null(f);
	buf = malloc(cap);
	assert_non_null(buf);
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 >= cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* Split text into lines (in place); returns the count, *out malloc'd. */
static int split_lines(char *text, char ***out)
{
	int n = 0, cap = 64;
	char **v = malloc(sizeof(*v) * cap), *p = text;

	assert_non_null(v);
	while (*p) {
		char *nl = strchr(p, '\n');

		if (n == cap) {
			cap *= 2;
			v = realloc(v, sizeof(*v) * cap);
			assert_non_null(v);
		}
		v[n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	*out = v;
	return n;
}

static bool matches(const char *re, const char *s)
{
	regex_t r;
	int ok;

	assert_int_equal(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
	ok = regexec(&r, s, 0, NULL, 0) == 0;
	regfree(&r);
	if (!ok)
		fprintf(stderr, "line does not match /%s/: \"%s\"\n", re, s);
	return ok;
}

static int boot(void **state)
{
	(void)state;
	return unit_boot(BOOT_OPTS);
}

static int boot_host_cpus(void **state)
{
	char opts[64];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	(void)state;
	snprintf(opts, sizeof(opts), "mem=256M,cpus=%ld", cpus > 0 ? cpus : 1);
	return unit_boot(opts);
}

static int boot_highmem(void **state)
{
	(void)state;
	return unit_boot("mem=64M,highmem=16M");
}

static int shutdown(void **state)
{
	(void)state;
	mm_shutdown();
	return 0;
}

/* ------------------------------------------------ parsed buddyinfo etc. */

#define MAXZ	(MAX_NUMNODES * MAX_NR_ZONES)

struct zrow {
	int nid;
	char zone[16];
	unsigned long v[MAX_ORDER];
};

/* "Node 0, zone      DMA      1 ..." rows of buddyinfo / index files */
static int parse_buddyinfo(const char *text, struct zrow *rows)
{
	char *dup = strdup(text), **lines;
	int n = split_lines(dup, &lines), i, nr = 0;

	for (i = 0; i < n; i++) {
		char *p;
		int o;

		if (!*lines[i])
			continue;
		assert_true(nr < MAXZ);
		assert_int_equal(sscanf(lines[i], "Node %d, zone %15s", &rows[nr].nid,
					rows[nr].zone), 2);
		p = strstr(lines[i], rows[nr].zone) + strlen(rows[nr].zone);
		for (o = 0; o < MAX_ORDER; o++)
			rows[nr].v[o] = strtoul(p, &p, 10);
		nr++;
	}
	free(lines);
	free(dup);
	return nr;
}

struct zinfo {
	int nid;
	char zone[16];
	unsigned long free, boost, min, low, high, promo, spanned, present, managed;
	unsigned long start_pfn;
	int nprot;
	long prot[MAX_NR_ZONES];
	int ncpus;
	bool populated;
};

static int parse_zoneinfo(const char *text, struct zinfo *z)
{
	char *dup = strdup(text), **lines;
	int n = split_lines(dup, &lines), i, nr = -1;

	for (i = 0; i < n; i++) {
		const char *l = lines[i];
		unsigned long v;

		if (!strncmp(l, "Node ", 5)) {
			nr++;
			assert_true(nr < MAXZ);
			memset(&z[nr], 0, sizeof(z[nr]));
			assert_int_equal(sscanf(l, "Node %d, zone %15s", &z[nr].nid, z[nr].zone), 2);
			continue;
		}
		assert_true(nr >= 0);
		if (sscanf(l, "  pages free %lu", &v) == 1) z[nr].free = v;
		else if (sscanf(l, "        boost %lu", &v) == 1) z[nr].boost = v;
		else if (sscanf(l, "        min %lu", &v) == 1) z[nr].min = v;
		else if (sscanf(l, "        low %lu", &v) == 1) z[nr].low = v;
		else if (sscanf(l, "        high %lu", &v) == 1) z[nr].high = v;
		else if (sscanf(l, "        promo %lu", &v) == 1) z[nr].promo = v;
		else if (sscanf(l, "        spanned %lu", &v) == 1) z[nr].spanned = v;
		else if (sscanf(l, "        present %lu", &v) == 1) z[nr].present = v;
		else if (sscanf(l, "        managed %lu", &v) == 1) z[nr].managed = v;
		else if (sscanf(l, "  start_pfn: %lu", &v) == 1) { z[nr].start_pfn = v; z[nr].populated = true; }
		else if (!strncmp(l, "    cpu: ", 9)) z[nr].ncpus++;
		else if (!strncmp(l, "        protection: (", 21)) {
			const char *p = l + 21;
			char *e;

			while (*p && *p != ')') {
				z[nr].prot[z[nr].nprot++] = strtol(p, &e, 10);
				p = e;
				if (*p == ',')
					p += 2;
			}
		}
	}
	free(lines);
	free(dup);
	return nr + 1;
}

static unsigned long meminfo_kb(const char *text, const char *label)
{
	const char *p = strstr(text, label);

	assert_non_null(p);
	return strtoul(p + strlen(label), NULL, 10);
}

/* --------------------------------------------------------------- tests */

static void test_unknown_names(void **state)
{
	size_t len;
	char buf[8];

	(void)state;
	errno = 0;
	assert_null(proc_render("nosuchfile", &len));
	assert_int_equal(errno, ENOENT);
	assert_null(proc_render(NULL, &len));
	assert_null(proc_node_render(MAX_NUMNODES + 1, "meminfo", &len));
	assert_int_equal(errno, ENOENT);
	assert_null(proc_node_render(0, "nosuch", &len));
	assert_null(proc_zone_render(0, ZONE_HIGHMEM, "managed", &len));	/* not configured */
	assert_int_equal(errno, ENOENT);
	assert_null(proc_zone_render(0, MAX_NR_ZONES, "managed", &len));
	assert_null(proc_zone_render(0, -1, "managed", &len));
	assert_null(proc_zone_render(0, ZONE_NORMAL, "nosuch", &len));
	assert_int_equal(proc_kpage_read("nosuch", 0, buf, 8), -ENOENT);
	assert_null(proc_sysvm_show("nosuch", &len));
	assert_int_equal(proc_sysvm_store("nosuch", "1", 1), -ENOENT);
	assert_null(proc_failattr_show("nosuch", &len));
	assert_int_equal(proc_failattr_store("nosuch", "1", 1), -ENOENT);
}

/* buddyinfo: "Node %d, zone %8s " + 11 x "%6lu " + "\n" */
static void test_buddyinfo_format(void **state)
{
	char *s = render("buddyinfo"), **lines;
	int n = split_lines(s, &lines), i;

	(void)state;
	assert_true(n >= 2);	/* two nodes with memory */
	for (i = 0; i < n; i++) {
		assert_true(matches("^Node [0-9]+, zone [ A-Za-z0-9]{8} ([ 0-9]{5}[0-9] ){11}$", lines[i]));
		assert_int_equal(strlen(lines[i]), 13 + 8 + 1 + 11 * 7);
	}
	free(lines);
	free(s);
}

/* every free block counted by migratetype adds up to nr_free per order */
static void test_buddyinfo_matches_pagetypeinfo(void **state)
{
	struct zrow b[MAXZ];
	char *bi, *pti, **lines;
	struct page *pages[8];
	int nb, n, i, z, o, k;

	(void)state;
	for (k = 0; k < 8; k++)	/* make the free lists uneven */
		pages[k] = alloc_pages(GFP_KERNEL, (unsigned int)(k % 4));
	bi = render("buddyinfo");
	pti = render("pagetypeinfo");
	nb = parse_buddyinfo(bi, b);
	n = split_lines(pti, &lines);
	for (z = 0; z < nb; z++) {
		unsigned long sum[MAX_ORDER] = { 0 };
		int rows = 0;

		for (i = 0; i < n; i++) {
			int nid;
			char zone[16], type[16];
			const char *p;
			char *e;

			if (sscanf(lines[i], "Node %d, zone %15[^,], type %15s", &nid, zone, type) != 3)
				continue;
			if (nid != b[z].nid || strcmp(zone + strspn(zone, " "), b[z].zone))
				continue;
			rows++;
			p = strstr(lines[i], type) + strlen(type);
			for (o = 0; o < MAX_ORDER; o++) {
				while (*p == ' ' || *p == '>')
					p++;
				sum[o] += strtoul(p, &e, 10);
				p = e;
			}
		}
		assert_int_equal(rows, MIGRATE_TYPES);
		for (o = 0; o < MAX_ORDER; o++)
			assert_int_equal(sum[o], b[z].v[o]);
	}
	for (k = 0; k < 8; k++)
		if (pages[k])
			__free_pages(pages[k], (unsigned int)(k % 4));
	free(lines);
	free(bi);
	free(pti);
}

/* pagetypeinfo: the fixed lines are the kernel's exactly */
static void test_pagetypeinfo_format(void **state)
{
	char *s = render("pagetypeinfo"), **lines;
	int n = split_lines(s, &lines), i, blocks_hdr = -1;

	(void)state;
	assert_true(n > 8);
	assert_string_equal(lines[0], "Page block order: 9");
	assert_string_equal(lines[1], "Pages per block:  512");
	assert_string_equal(lines[2], "");
	assert_string_equal(lines[3], "Free pages count per migrate type at order  "
			    "     0      1      2      3      4      5      6      7      8      9     10 ");
	for (i = 4; i < n; i++) {
		if (!strcmp(lines[i], "Number of blocks type     Unmovable      Movable  "
			    "Reclaimable   HighAtomic      Isolate ")) {
			blocks_hdr = i;
			break;
		}
		if (!*lines[i])
			continue;
		assert_true(matches("^Node +[0-9]+, zone [ A-Za-z0-9]{8}, type [ A-Za-z]{12} "
				    "(>?[ 0-9]{5}[0-9] ){11}$", lines[i]));
	}
	assert_true(blocks_hdr > 4);
	assert_string_equal(lines[blocks_hdr - 1], "");
	assert_true(matches("^Node [0-9]+, zone [ A-Za-z0-9]{8} ([ 0-9]{11}[0-9] ){5}$",
			    lines[blocks_hdr + 1]));
	free(lines);
	free(s);
}

/* pageblock counts cover the zone: sum == spanned pageblocks with memory */
static void test_pagetypeinfo_blocks(void **state)
{
	char *s = render("pagetypeinfo"), **lines;
	int n = split_lines(s, &lines), i, nid, zid;
	bool in_blocks = false;

	(void)state;
	for (i = 0; i < n; i++) {
		char zone[16];
		unsigned long c[MIGRATE_TYPES], sum = 0, expect = 0, pfn;
		int k;

		if (!strncmp(lines[i], "Number of blocks type", 21)) {
			in_blocks = true;
			continue;
		}
		if (!in_blocks || !*lines[i])
			continue;
		if (!strncmp(lines[i], "Page block order", 16)) {
			in_blocks = false;
			continue;
		}
		assert_int_equal(sscanf(lines[i], "Node %d, zone %15s %lu %lu %lu %lu %lu", &nid, zone,
					&c[0], &c[1], &c[2], &c[3], &c[4]), 7);
		for (k = 0; k < MIGRATE_TYPES; k++)
			sum += c[k];
		for (zid = 0; zid < MAX_NR_ZONES; zid++)
			if (!strcmp(zone_names[zid], zone))
				break;
		assert_true(zid < MAX_NR_ZONES);
		{
			struct zone *z = &NODE_DATA(nid)->node_zones[zid];

			for (pfn = z->zone_start_pfn; pfn < zone_end_pfn(z); pfn += pageblock_nr_pages)
				if (pfn_valid(pfn) && page_zone(pfn_to_page(pfn)) == z)
					expect++;
		}
		assert_int_equal(sum, expect);
		assert_true(sum > 0);
	}
	free(lines);
	free(s);
}

static unsigned long mult_frac(unsigned long x, unsigned long n, unsigned long d)
{
	return (x / d) * n + ((x % d) * n) / d;
}

/* zoneinfo watermarks: __setup_per_zone_wmarks() from what zoneinfo prints */
static void check_watermarks(void)
{
	struct zinfo z[MAXZ];
	char *zi = render("zoneinfo"), *mfk = proc_sysvm_show("min_free_kbytes", NULL);
	char *wsf = proc_sysvm_show("watermark_scale_factor", NULL);
	unsigned long pages_min, lowmem = 0, scale;
	int nz = parse_zoneinfo(zi, z), i;

	assert_non_null(mfk);
	assert_non_null(wsf);
	assert_true(nz > 0);
	pages_min = strtoul(mfk, NULL, 10) >> (PAGE_SHIFT - 10);
	scale = strtoul(wsf, NULL, 10);
	for (i = 0; i < nz; i++)
		if (strcmp(z[i].zone, "HighMem") && strcmp(z[i].zone, "Movable"))
			lowmem += z[i].managed;
	assert_true(lowmem > 0);
	for (i = 0; i < nz; i++) {
		unsigned long tmp = (unsigned long)((uint64_t)pages_min * z[i].managed / lowmem);
		unsigned long min, gap;

		if (!strcmp(z[i].zone, "HighMem") || !strcmp(z[i].zone, "Movable"))
			min = clamp(z[i].managed / 1024, 32UL, 128UL);
		else
			min = tmp;
		gap = max(tmp >> 2, mult_frac(z[i].managed, scale, 10000));
		assert_int_equal(z[i].boost, 0);
		assert_int_equal(z[i].min, min);
		assert_int_equal(z[i].low, min + gap);
		assert_int_equal(z[i].high, min + 2 * gap);
		assert_int_equal(z[i].promo, min + 3 * gap);
	}
	free(zi);
	free(mfk);
	free(wsf);
}

static void test_zoneinfo_watermarks(void **state)
{
	(void)state;
	check_watermarks();
}

/* protection: setup_per_zone_lowmem_reserve() from managed and the ratios */
static void test_zoneinfo_protection(void **state)
{
	struct zinfo z[MAXZ];
	char *zi = render("zoneinfo"), *lrr = proc_sysvm_show("lowmem_reserve_ratio", NULL);
	long ratio[MAX_NR_ZONES];
	int nz = parse_zoneinfo(zi, z), i, j, nr = 0, per_node;
	char *p = lrr, *e;

	(void)state;
	while (*p && *p != '\n') {
		ratio[nr++] = strtol(p, &e, 10);
		p = e;
	}
	per_node = nr;	/* zoneinfo prints the same configured zones per node */
	assert_int_equal(nz % per_node, 0);
	for (i = 0; i < nz; i++) {
		int base = i - i % per_node, zi_ = i % per_node;
		unsigned long sum = 0;

		assert_int_equal(z[i].nprot, per_node);
		for (j = 0; j < per_node; j++) {
			long expect = 0;

			if (j > zi_) {
				sum += z[base + j].managed;
				expect = (ratio[zi_] < 1 || !z[i].managed) ? 0 : (long)(sum / ratio[zi_]);
			}
			assert_int_equal(z[i].prot[j], expect);
		}
	}
	free(zi);
	free(lrr);
}

/* zoneinfo layout: line kinds and the widths of "%-12s %lu" */
static void test_zoneinfo_format(void **state)
{
	char *s = render("zoneinfo"), **lines;
	int n = split_lines(s, &lines), i, cpus = 0;

	(void)state;
	for (i = 0; i < n; i++) {
		const char *l = lines[i];

		if (!strncmp(l, "      ", 6) && l[6] != ' ') {
			/* "      %-12s %lu": the name padded to 12, one space, value */
			size_t name = strcspn(l + 6, " ");

			assert_true(matches("^      [a-z_0-9]+ +[0-9]+$", l));
			if (name < 12) {
				assert_int_equal(strspn(l + 6 + name, " "), 12 - name + 1);
			} else {
				assert_int_equal(strspn(l + 6 + name, " "), 1);
			}
		} else if (!strncmp(l, "    cpu: ", 9)) {
			cpus++;
		}
	}
	assert_true(cpus > 0);
	assert_int_equal(cpus % nr_cpu_ids, 0);
	free(lines);
	free(s);
}

/* MemFree == free blocks of buddyinfo once the pcp lists are drained */
static void test_meminfo_memfree(void **state)
{
	struct zrow b[MAXZ];
	struct page *pages[16];
	char *mi, *bi;
	unsigned long kb = 0;
	int nb, z, o, k;

	(void)state;
	for (k = 0; k < 16; k++)
		pages[k] = alloc_pages(GFP_KERNEL, (unsigned int)(k % 3));
	for (k = 0; k < 16; k += 2)
		if (pages[k]) {
			__free_pages(pages[k], (unsigned int)(k % 3));
			pages[k] = NULL;
		}
	drain_all_pages(NULL);
	mi = render("meminfo");
	bi = render("buddyinfo");
	nb = parse_buddyinfo(bi, b);
	for (z = 0; z < nb; z++)
		for (o = 0; o < MAX_ORDER; o++)
			kb += b[z].v[o] << o << (PAGE_SHIFT - 10);
	assert_int_equal(meminfo_kb(mi, "MemFree:"), kb);
	for (k = 0; k < 16; k++)
		if (pages[k])
			__free_pages(pages[k], (unsigned int)(k % 3));
	free(mi);
	free(bi);
}

/* meminfo: show_val_kb widths, the kernel's 6.18 order, MemAvailable */
static void test_meminfo_format(void **state)
{
	char *s = render("meminfo"), **lines;
	int n = split_lines(s, &lines), i;
	static const char * const order[] = {
		"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached",
		"Active", "Inactive", "Active(anon)", "Inactive(anon)", "Active(file)",
		"Inactive(file)", "Unevictable", "Mlocked", "SwapTotal", "SwapFree", "Zswap",
		"Zswapped", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem", "KReclaimable",
		"Slab", "SReclaimable", "SUnreclaim", "KernelStack", "PageTables", "SecPageTables",
		"NFS_Unstable", "Bounce", "WritebackTmp", "CommitLimit", "Committed_AS",
		"VmallocTotal", "VmallocUsed", "VmallocChunk", "Percpu", "AnonHugePages",
		"ShmemHugePages", "ShmemPmdMapped", "FileHugePages", "FilePmdMapped", "Balloon",
		"HugePages_Total", "HugePages_Free", "HugePages_Rsvd", "HugePages_Surp",
		"Hugepagesize", "Hugetlb", "DirectMap4k", "DirectMap2M", "DirectMap1G",
	};
	unsigned long total, managed = 0, dm;
	struct zone *zone;

	(void)state;
	assert_int_equal(n, (int)ARRAY_SIZE(order));
	for (i = 0; i < n; i++) {
		size_t l = strlen(order[i]);

		assert_memory_equal(lines[i], order[i], l);
		assert_int_equal(lines[i][l], ':');
		if (!strncmp(order[i], "HugePages_", 10)) {
			assert_true(matches("^HugePages_[A-Za-z]+: +[0-9]+$", lines[i]));
			assert_int_equal(strlen(lines[i]), 16 + 3 + 5);
		} else {
			/* "%-16s%8lu kB" while the value fits in 8 columns */
			assert_true(matches("^[A-Za-z0-9_()]+: +[0-9]+ kB$", lines[i]));
			if (strlen(lines[i]) > 16 + 8 + 3)
				assert_true(strtoul(lines[i] + 16, NULL, 10) >= 100000000UL);
			else
				assert_int_equal(strlen(lines[i]), 16 + 8 + 3);
		}
	}
	free(lines);
	free(s);
	s = render("meminfo");
	for_each_populated_zone(zone)
		managed += zone_managed_pages(zone);
	total = meminfo_kb(s, "MemTotal:");
	assert_int_equal(total, managed * 4);
	assert_true(meminfo_kb(s, "MemAvailable:") <= meminfo_kb(s, "MemFree:"));
	assert_null(strstr(s, "HighTotal:"));
	dm = meminfo_kb(s, "DirectMap4k:") + meminfo_kb(s, "DirectMap2M:") +
	     meminfo_kb(s, "DirectMap1G:");
	{
		unsigned long present = 0;

		for_each_populated_zone(zone)
			present += zone->present_pages;
		assert_true(dm >= present * 4);	/* every RAM page is direct-mapped */
	}
	free(s);
}

/* MemAvailable: si_mem_available() recomputed from zoneinfo and meminfo */
static void test_meminfo_available(void **state)
{
	struct zinfo z[MAXZ];
	char *mi = render("meminfo"), *zi = render("zoneinfo");
	int nz = parse_zoneinfo(zi, z), i;
	unsigned long wmark_low = 0, reclaimable, pagecache;
	long avail;

	(void)state;
	for (i = 0; i < nz; i++)
		wmark_low += z[i].low;
	avail = (long)(meminfo_kb(mi, "MemFree:") / 4) - (long)totalreserve_pages;
	pagecache = (meminfo_kb(mi, "Active(file):") + meminfo_kb(mi, "Inactive(file):")) / 4;
	avail += (long)(pagecache - min(pagecache / 2, wmark_low));
	reclaimable = meminfo_kb(mi, "KReclaimable:") / 4;
	avail += (long)(reclaimable - min(reclaimable / 2, wmark_low));
	if (avail < 0)
		avail = 0;
	assert_int_equal(meminfo_kb(mi, "MemAvailable:"), (unsigned long)avail * 4);
	free(mi);
	free(zi);
}

static void test_meminfo_highmem(void **state)
{
	char *s = render("meminfo"), *lrr;
	unsigned long high = 0;
	int nid;

	(void)state;
	for (nid = 0; nid < nr_online_nodes; nid++)
		high += zone_managed_pages(&NODE_DATA(nid)->node_zones[ZONE_HIGHMEM]);
	assert_true(high > 0);
	assert_int_equal(meminfo_kb(s, "HighTotal:"), high * 4);
	assert_int_equal(meminfo_kb(s, "LowTotal:"), meminfo_kb(s, "MemTotal:") - high * 4);
	assert_non_null(strstr(s, "Mlocked:               0 kB\nHighTotal:"));
	assert_non_null(strstr(s, "LowFree:"));
	free(s);
	lrr = proc_sysvm_show("lowmem_reserve_ratio", NULL);
	assert_non_null(lrr);
	assert_true(matches("^[0-9]+\t[0-9]+\t[0-9]+\t[0-9]+\t[0-9]+\n$", lrr));	/* 5 zones */
	free(lrr);
	check_watermarks();
}

/* vmstat: "name value" lines, the global items before pgpgin, nr_unstable last */
static void test_vmstat_format(void **state)
{
	char *s = render("vmstat"), *mi = render("meminfo"), **lines;
	int n = split_lines(s, &lines), i, thr = -1;

	(void)state;
	assert_true(n > 20);
	for (i = 0; i < n; i++) {
		assert_true(matches("^[a-z0-9_]+ [0-9]+$", lines[i]));
		if (!strncmp(lines[i], "nr_dirty_threshold ", 19))
			thr = i;
	}
	assert_true(thr > 0);
	assert_memory_equal(lines[thr + 1], "nr_dirty_background_threshold ", 30);
	assert_memory_equal(lines[thr + 2], "nr_memmap_pages ", 16);
	assert_memory_equal(lines[thr + 3], "nr_memmap_boot_pages ", 21);
	assert_memory_equal(lines[0], "nr_free_pages ", 14);
	assert_int_equal(strtoul(lines[0] + 14, NULL, 10) * 4, meminfo_kb(mi, "MemFree:"));
	assert_string_equal(lines[n - 1], "nr_unstable 0");
	assert_null(strstr(s, "pgalloc_high "));	/* no HighMem configured */
	free(lines);
	free(s);
	free(mi);
}

/* index files: layout and the mm/vmstat.c formulas from buddyinfo */
static void test_frag_indexes(void **state)
{
	struct zrow b[MAXZ], u[MAXZ], x[MAXZ];
	char *bi = render("buddyinfo"), *ui = render("unusable_index"), *ei = render("extfrag_index");
	char *dup, **lines;
	int nb = parse_buddyinfo(bi, b), z, o, n, i;

	(void)state;
	dup = strdup(ui);
	n = split_lines(dup, &lines);
	assert_int_equal(n, nb);
	for (i = 0; i < n; i++)
		assert_true(matches("^Node [0-9]+, zone [ A-Za-z0-9]{8} ([01]\\.[0-9]{3} ){11}$", lines[i]));
	free(lines);
	free(dup);
	dup = strdup(ei);
	n = split_lines(dup, &lines);
	assert_int_equal(n, nb);
	for (i = 0; i < n; i++)
		assert_true(matches("^Node [0-9]+, zone [ A-Za-z0-9]{8} ((-1| 0| 1)\\.[0-9]{3} ){11}$",
				    lines[i]));
	free(lines);
	free(dup);

	/* recompute: values are printed as int / 1000 with 3 decimals */
	{
		char *p;
		int nu, nx;

		/* parse the "a.bcd" values as thousandths */
		nu = nx = 0;
		for (p = ui; (p = strstr(p, "Node ")); nu++) {
			char *e;

			assert_int_equal(sscanf(p, "Node %d, zone %15s", &u[nu].nid, u[nu].zone), 2);
			e = strstr(p, u[nu].zone) + strlen(u[nu].zone);
			for (o = 0; o < MAX_ORDER; o++) {
				long ip = strtol(e, &e, 10);
				long fp = strtol(e + 1, &e, 10);

				u[nu].v[o] = (unsigned long)(ip * 1000 + fp);
			}
			p = e;
		}
		for (p = ei; (p = strstr(p, "Node ")); nx++) {
			char *e;

			assert_int_equal(sscanf(p, "Node %d, zone %15s", &x[nx].nid, x[nx].zone), 2);
			e = strstr(p, x[nx].zone) + strlen(x[nx].zone);
			for (o = 0; o < MAX_ORDER; o++) {
				long ip = strtol(e, &e, 10);
				long fp = strtol(e + 1, &e, 10);

				x[nx].v[o] = (unsigned long)(ip < 0 ? ip * 1000 - fp : ip * 1000 + fp);
			}
			p = e;
		}
		assert_int_equal(nu, nb);
		assert_int_equal(nx, nb);
	}
	for (z = 0; z < nb; z++) {
		for (o = 0; o < MAX_ORDER; o++) {
			unsigned long free_pages = 0, total = 0, suitable = 0;
			long ue, xe;
			int j;

			for (j = 0; j < MAX_ORDER; j++) {
				total += b[z].v[j];
				free_pages += b[z].v[j] << j;
				if (j >= o)
					suitable += b[z].v[j] << (j - o);
			}
			ue = free_pages ? (long)((free_pages - (suitable << o)) * 1000 / free_pages) : 1000;
			if (!total)
				xe = 0;
			else if (suitable)
				xe = -1000;
			else
				xe = 1000 - (long)((1000 + free_pages * 1000 / (1UL << o)) / total);
			assert_int_equal((long)u[z].v[o], ue);
			assert_int_equal((long)x[z].v[o], xe);
		}
	}
	free(bi);
	free(ui);
	free(ei);
}

/* iomem: RAM ranges cover exactly the present pages; holes are Reserved */
static void test_iomem(void **state)
{
	char *s = render("iomem"), **lines;
	int n = split_lines(s, &lines), i;
	unsigned long long ram = 0, prev_end = 0;
	unsigned long present = 0;
	struct zone *zone;

	(void)state;
	assert_true(n >= 2);
	for (i = 0; i < n; i++) {
		unsigned long long a, b;
		char what[32];

		assert_true(matches("^[0-9a-f]{8,}-[0-9a-f]{8,} : (System RAM|Reserved)$", lines[i]));
		assert_int_equal(sscanf(lines[i], "%llx-%llx : %31[^\n]", &a, &b, what), 3);
		assert_int_equal(a, i ? prev_end + 1 : 0);
		prev_end = b;
		if (!strcmp(what, "System RAM"))
			ram += b - a + 1;
	}
	assert_int_equal(prev_end + 1, (unsigned long long)max_pfn << PAGE_SHIFT);
	for_each_populated_zone(zone)
		present += zone->present_pages;
	assert_int_equal(ram, (unsigned long long)present << PAGE_SHIFT);
	free(lines);
	free(s);
}

/* kpageflags bits for free, allocated, compound, slab pages and holes */
#define KPF(b)	(1ULL << (b))
static uint64_t kpf(unsigned long pfn)
{
	uint64_t v = 0;

	assert_int_equal(proc_kpage_read("kpageflags", (uint64_t)pfn * 8, &v, 8), 8);
	return v;
}

static void test_kpageflags(void **state)
{
	struct page *p0, *p2;
	unsigned long pfn, hole = -1UL, buddy = -1UL;
	void *obj;
	uint64_t v;
	int i;

	(void)state;
	/* a plain order-0 allocation: nothing of buddy, slab or compound */
	p0 = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(p0);
	v = kpf(page_to_pfn(p0));
	assert_int_equal(v & (KPF(10) | KPF(7) | KPF(15) | KPF(16) | KPF(20)), 0);

	/* a compound order-2 block: head and three tails */
	p2 = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	assert_non_null(p2);
	pfn = page_to_pfn(p2);
	assert_true(kpf(pfn) & KPF(15));
	assert_false(kpf(pfn) & KPF(16));
	for (i = 1; i < 4; i++) {
		assert_true(kpf(pfn + i) & KPF(16));
		assert_false(kpf(pfn + i) & (KPF(15) | KPF(10)));
	}

	/* a slab page */
	obj = kmalloc(64, GFP_KERNEL);
	assert_non_null(obj);
	assert_true(kpf(mmfs_virt_to_pfn(obj)) & KPF(7));

	/* a free block: KPF_BUDDY on its head (and, as the kernel's
	 * is_free_buddy_page() check does, on every page inside it) */
	drain_all_pages(NULL);
	for (pfn = 0; pfn < max_pfn; pfn++) {
		struct page *page;

		if (!pfn_valid(pfn)) {
			if (hole == -1UL)
				hole = pfn;
			continue;
		}
		page = pfn_to_page(pfn);
		if (buddy == -1UL && PageBuddy(page) && page->private >= 1)
			buddy = pfn;
	}
	assert_true(buddy != -1UL);
	v = kpf(buddy);
	assert_true(v & KPF(10));
	assert_int_equal(v & (KPF(7) | KPF(15) | KPF(16) | KPF(20) | KPF(11)), 0);
	assert_true(kpf(buddy + 1) & KPF(10));
	assert_false(kpf(page_to_pfn(p0)) & KPF(10));

	/* a hole: KPF_NOPAGE alone */
	assert_true(hole != -1UL);
	assert_int_equal(kpf(hole), KPF(20));

	/* PG_reserved is bit 32 (a kernel "hacker" bit) */
	for (pfn = 0; pfn < max_pfn; pfn++)
		if (pfn_valid(pfn) && PageReserved(pfn_to_page(pfn))) {
			assert_true(kpf(pfn) & KPF(32));
			break;
		}

	/* only bits page-types knows: 0-26, 32-38 */
	for (pfn = 0; pfn < max_pfn; pfn += 97)
		assert_int_equal(kpf(pfn) & ~((KPF(27) - 1) | (KPF(39) - KPF(32))), 0);

	kfree(obj);
	__free_pages(p2, 2);
	__free_pages(p0, 0);
}

/* page-table pages of a mapped frame: KPF_PGTABLE, count 0; and every
 * page's bits agree with its struct page */
static void test_kpageflags_pgtable_and_all(void **state)
{
	struct mmfs_mapping *map = NULL;
	struct page *p;
	unsigned long pfn, nr_pt = 0, nr_buddy = 0, nr_free = 0;
	uint64_t *v, *c;
	int ret;

	(void)state;
	p = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(p);
	ret = mmfs_frame_map(4321, page_to_pfn(p), 0, true, true, "/frames/test", &map);
	assert_int_equal(ret, 0);
	drain_all_pages(NULL);
	v = calloc(max_pfn, 8);
	c = calloc(max_pfn, 8);
	assert_non_null(v);
	assert_non_null(c);
	assert_int_equal(proc_kpage_read("kpageflags", 0, v, max_pfn * 8), (long)(max_pfn * 8));
	assert_int_equal(proc_kpage_read("kpagecount", 0, c, max_pfn * 8), (long)(max_pfn * 8));
	for (pfn = 0; pfn < max_pfn; pfn++) {
		struct page *page;

		if (!pfn_valid(pfn)) {
			assert_int_equal(v[pfn], KPF(20));
			assert_int_equal(c[pfn], 0);
			continue;
		}
		page = pfn_to_page(pfn);
		assert_int_equal(!!(v[pfn] & KPF(26)), PageTable(page));
		assert_int_equal(!!(v[pfn] & KPF(15)), PageHead(page));
		assert_int_equal(!!(v[pfn] & KPF(16)), PageTail(page));
		assert_int_equal(!!(v[pfn] & KPF(32)), PageReserved(page));
		if (PageSlab(page))
			assert_true(v[pfn] & KPF(7));
		if (PageBuddy(page)) {
			assert_true(v[pfn] & KPF(10));
			nr_free += 1UL << page->private;
		}
		nr_buddy += !!(v[pfn] & KPF(10));
		if (PageTable(page)) {
			nr_pt++;
			assert_int_equal(c[pfn], 0);
		}
	}
	assert_true(nr_pt >= 4);		/* pgd, pud, pmd, pte */
	assert_int_equal(nr_buddy, nr_free);	/* every page of every free block */
	assert_int_equal(nr_free, global_zone_page_state(NR_FREE_PAGES));
	free(v);
	free(c);
	mmfs_frame_unmap(map);
	__free_pages(p, 0);
}

static void test_kpagecount(void **state)
{
	uint64_t v[4];
	struct page *p;
	void *obj;

	(void)state;
	p = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(p);
	assert_int_equal(proc_kpage_read("kpagecount", page_to_pfn(p) * 8ULL, v, 8), 8);
	assert_int_equal(v[0], (uint64_t)page_mapcount(p));
	obj = kmalloc(128, GFP_KERNEL);
	assert_non_null(obj);
	assert_int_equal(proc_kpage_read("kpagecount", mmfs_virt_to_pfn(obj) * 8ULL, v, 8), 8);
	assert_int_equal(v[0], 0);
	kfree(obj);
	__free_pages(p, 0);
}

static void test_kpage_bounds(void **state)
{
	uint64_t v[4];

	(void)state;
	assert_int_equal(proc_kpage_size(), (uint64_t)max_pfn * 8);
	assert_int_equal(proc_kpage_read("kpageflags", 4, v, 8), -EINVAL);
	assert_int_equal(proc_kpage_read("kpageflags", 0, v, 12), -EINVAL);
	assert_int_equal(proc_kpage_read("kpagecount", 3, v, 8), -EINVAL);
	assert_int_equal(proc_kpage_read("kpageflags", proc_kpage_size(), v, 8), 0);
	assert_int_equal(proc_kpage_read("kpageflags", proc_kpage_size() + 800, v, 8), 0);
	/* a read crossing the end is cut at max_pfn */
	assert_int_equal(proc_kpage_read("kpageflags", proc_kpage_size() - 8, v, 32), 8);
	assert_int_equal(proc_kpage_read("kpagecount", 0, v, 0), 0);
}

/* page_owner: the record of an allocation we made */
static void test_page_owner(void **state)
{
	struct page *p;
	char *s, want[128], *rec;
	unsigned long pfn;

	(void)state;
	mmfs_set_current(1000, 4242, "proctest");
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	assert_non_null(p);
	pfn = page_to_pfn(p);
	s = render("page_owner");
	snprintf(want, sizeof(want), "PFN 0x%lx type Unmovable Block %lu type ", pfn, pfn >> 9);
	rec = strstr(s, want);
	assert_non_null(rec);
	/* the line before names order, gfp, pid and comm */
	while (rec > s && rec[-1] != '\n')
		rec--;
	assert_true(rec > s);
	rec--;
	while (rec > s && rec[-1] != '\n')
		rec--;
	assert_true(matches("^Page allocated via order 2, mask 0x[0-9a-f]+\\(GFP_KERNEL\\|__GFP_ZERO[^)]*\\), "
			    "pid 4242, tgid 4242 \\(proctest\\), ts [0-9]+ ns\n", rec));
	assert_true(matches("Flags 0x[0-9a-f]+\\(", strstr(rec, "Flags ")));
	free(s);
	__free_pages(p, 2);
	mmfs_set_current(0, 0, "mmfs");
}

/* nodes/nodeN: meminfo sums to the global one, distance, cpulist */
static void test_node_files(void **state)
{
	char *mi = render("meminfo"), *d, *c, *nm;
	unsigned long total = 0, free_kb = 0;
	size_t len;
	int nid;

	(void)state;
	assert_int_equal(nr_online_nodes, 2);
	for (nid = 0; nid < nr_online_nodes; nid++) {
		char label[64], **lines;
		int n, i;

		nm = proc_node_render(nid, "meminfo", &len);
		assert_non_null(nm);
		assert_int_equal(strlen(nm), len);
		snprintf(label, sizeof(label), "Node %d MemTotal:", nid);
		total += meminfo_kb(nm, label);
		snprintf(label, sizeof(label), "Node %d MemFree:", nid);
		free_kb += meminfo_kb(nm, label);
		n = split_lines(nm, &lines);
		for (i = 0; i < n; i++) {
			if (strstr(lines[i], "HugePages_"))
				assert_true(matches("^Node [0-9]+ HugePages_[A-Za-z]+: +[0-9]+$", lines[i]));
			else	/* "Node %d %-16s%8lu kB" */
				assert_int_equal(strlen(lines[i]), 7 + 16 + 8 + 3);
		}
		free(lines);
		free(nm);
	}
	assert_int_equal(total, meminfo_kb(mi, "MemTotal:"));
	assert_int_equal(free_kb, meminfo_kb(mi, "MemFree:"));
	d = proc_node_render(0, "distance", &len);
	assert_non_null(d);
	assert_string_equal(d, "10 20\n");
	free(d);
	d = proc_node_render(1, "distance", &len);
	assert_string_equal(d, "20 10\n");
	free(d);
	/* cpulist: the node's CPUs as cpu_to_node() places them, "%*pbl" */
	for (nid = 0; nid < nr_online_nodes; nid++) {
		char want[256] = "";
		int cpu;

		for (cpu = 0; cpu < (int)nr_cpu_ids; cpu++) {
			int end = cpu;

			if (cpu_to_node(cpu) != nid)
				continue;
			while (end + 1 < (int)nr_cpu_ids && cpu_to_node(end + 1) == nid)
				end++;
			snprintf(want + strlen(want), sizeof(want) - strlen(want),
				 end > cpu ? "%s%d-%d" : "%s%d", *want ? "," : "", cpu, end);
			cpu = end;
		}
		strcat(want, "\n");
		c = proc_node_render(nid, "cpulist", &len);
		assert_non_null(c);
		assert_string_equal(c, want);
		assert_true(matches("^([0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*)?\n$", c));
		free(c);
	}
	free(mi);
}

/* zone files agree with zoneinfo and buddyinfo */
static void test_zone_files(void **state)
{
	struct zinfo z[MAXZ];
	struct zrow b[MAXZ];
	char *zi = render("zoneinfo"), *bi = render("buddyinfo"), *s, **lines;
	int nz = parse_zoneinfo(zi, z), nb = parse_buddyinfo(bi, b), i, zid, n, o;
	size_t len;

	(void)state;
	for (i = 0; i < nz; i++) {
		unsigned long a, bb, c;

		for (zid = 0; zid < MAX_NR_ZONES; zid++)
			if (!strcmp(zone_names[zid], z[i].zone))
				break;
		assert_true(zid < MAX_NR_ZONES);
		s = proc_zone_render(z[i].nid, zid, "watermarks", &len);
		assert_non_null(s);
		assert_int_equal(sscanf(s, "%lu %lu %lu", &a, &bb, &c), 3);
		assert_int_equal(a, z[i].min);
		assert_int_equal(bb, z[i].low);
		assert_int_equal(c, z[i].high);
		free(s);
		s = proc_zone_render(z[i].nid, zid, "managed", &len);
		assert_int_equal(strtoul(s, NULL, 10), z[i].managed);
		free(s);
		s = proc_zone_render(z[i].nid, zid, "spanned", &len);
		assert_int_equal(strtoul(s, NULL, 10), z[i].spanned);
		free(s);
		s = proc_zone_render(z[i].nid, zid, "present", &len);
		assert_int_equal(strtoul(s, NULL, 10), z[i].present);
		free(s);
		s = proc_zone_render(z[i].nid, zid, "protection", &len);
		{
			char *p = s, *e;
			int k;

			for (k = 0; k < z[i].nprot; k++) {
				assert_int_equal(strtol(p, &e, 10), z[i].prot[k]);
				p = e;
			}
			assert_string_equal(p, "\n");
		}
		free(s);
		if (!z[i].populated)
			continue;
		s = proc_zone_render(z[i].nid, zid, "start_pfn", &len);
		assert_int_equal(strtoul(s, NULL, 10), z[i].start_pfn);
		free(s);
		s = proc_zone_render(z[i].nid, zid, "pcp", &len);
		n = split_lines(s, &lines);
		assert_int_equal(n, (int)nr_cpu_ids);
		for (o = 0; o < n; o++) {
			char pre[16];

			snprintf(pre, sizeof(pre), "cpu%d ", o);
			assert_memory_equal(lines[o], pre, strlen(pre));
			assert_true(matches("^cpu[0-9]+ [0-9]+ [0-9]+ [0-9]+$", lines[o]));
		}
		free(lines);
		free(s);
		s = proc_zone_render(z[i].nid, zid, "stats", &len);
		{
			char want[64];

			snprintf(want, sizeof(want), "nr_free_pages %lu\n", z[i].free);
			assert_memory_equal(s, want, strlen(want));
		}
		free(s);
		/* free_area rows: order, nr_free (== buddyinfo), per migratetype */
		s = proc_zone_render(z[i].nid, zid, "free_area", &len);
		n = split_lines(s, &lines);
		assert_int_equal(n, 1 + MAX_ORDER);
		for (int k = 0; k < nb; k++) {
			if (b[k].nid != z[i].nid || strcmp(b[k].zone, z[i].zone))
				continue;
			for (o = 0; o < MAX_ORDER; o++) {
				unsigned long ord, nf, sum = 0, v;
				char *p = lines[1 + o];
				int mt;

				ord = strtoul(p, &p, 10);
				nf = strtoul(p, &p, 10);
				assert_int_equal(ord, o);
				assert_int_equal(nf, b[k].v[o]);
				for (mt = 0; mt < MIGRATE_TYPES; mt++) {
					v = strtoul(p, &p, 10);
					sum += v;
				}
				assert_int_equal(sum, nf);
			}
		}
		free(lines);
		free(s);
	}
	free(zi);
	free(bi);
}

/* sys/vm: reads as /proc/sys/vm, writes recompute, bad values change nothing */
static void test_sysvm(void **state)
{
	const char * const *names = proc_sysvm_names();
	char *s, *before;
	size_t len;
	int i;

	(void)state;
	for (i = 0; names[i]; i++) {
		s = proc_sysvm_show(names[i], &len);
		assert_non_null(s);
		assert_int_equal(s[len - 1], '\n');
		free(s);
	}
	assert_int_equal(i, 7);
	s = proc_sysvm_show("lowmem_reserve_ratio", &len);
	assert_string_equal(s, "256\t256\t32\t0\n");	/* DMA DMA32 Normal Movable */
	free(s);

	/* watermark_scale_factor: recomputes the watermarks */
	assert_int_equal(proc_sysvm_store("watermark_scale_factor", "200\n", 4), 0);
	s = proc_sysvm_show("watermark_scale_factor", &len);
	assert_string_equal(s, "200\n");
	free(s);
	check_watermarks();
	before = render("zoneinfo");
	assert_int_equal(proc_sysvm_store("watermark_scale_factor", "0", 1), -EINVAL);
	assert_int_equal(proc_sysvm_store("watermark_scale_factor", "3001", 4), -EINVAL);
	assert_int_equal(proc_sysvm_store("watermark_scale_factor", "abc", 3), -EINVAL);
	assert_int_equal(proc_sysvm_store("watermark_scale_factor", "12 13", 5), -EINVAL);
	assert_int_equal(proc_sysvm_store("watermark_scale_factor", "", 0), -EINVAL);
	assert_int_equal(proc_sysvm_store("watermark_scale_factor", "99999999999", 11), -EINVAL);
	s = proc_sysvm_show("watermark_scale_factor", &len);
	assert_string_equal(s, "200\n");
	free(s);
	s = render("zoneinfo");
	{
		/* only the pcp counts may move between two reads */
		struct zinfo a[MAXZ], b[MAXZ];
		int na = parse_zoneinfo(before, a), nb = parse_zoneinfo(s, b), k;

		assert_int_equal(na, nb);
		for (k = 0; k < na; k++) {
			assert_int_equal(a[k].min, b[k].min);
			assert_int_equal(a[k].low, b[k].low);
			assert_int_equal(a[k].high, b[k].high);
		}
	}
	free(s);
	free(before);
	assert_int_equal(proc_sysvm_store("watermark_scale_factor", "10", 2), 0);

	/* min_free_kbytes */
	assert_int_equal(proc_sysvm_store("min_free_kbytes", "2048", 4), 0);
	s = proc_sysvm_show("min_free_kbytes", &len);
	assert_string_equal(s, "2048\n");
	free(s);
	check_watermarks();
	assert_int_equal(proc_sysvm_store("min_free_kbytes", "-1", 2), -EINVAL);
	s = proc_sysvm_show("min_free_kbytes", &len);
	assert_string_equal(s, "2048\n");
	free(s);

	/* lowmem_reserve_ratio: one value per configured zone */
	assert_int_equal(proc_sysvm_store("lowmem_reserve_ratio", "128\t128\t16\t0\n", 13), 0);
	s = proc_sysvm_show("lowmem_reserve_ratio", &len);
	assert_string_equal(s, "128\t128\t16\t0\n");
	free(s);
	test_zoneinfo_protection(state);
	assert_int_equal(proc_sysvm_store("lowmem_reserve_ratio", "1 2 3 4 5 6", 11), -EINVAL);
	assert_int_equal(proc_sysvm_store("lowmem_reserve_ratio", "1 x", 3), -EINVAL);
	s = proc_sysvm_show("lowmem_reserve_ratio", &len);
	assert_string_equal(s, "128\t128\t16\t0\n");
	free(s);
	assert_int_equal(proc_sysvm_store("lowmem_reserve_ratio", "256 256 32 0", 12), 0);

	/* the others */
	assert_int_equal(proc_sysvm_store("watermark_boost_factor", "0", 1), 0);
	assert_int_equal(proc_sysvm_store("watermark_boost_factor", "-5", 2), -EINVAL);
	assert_int_equal(proc_sysvm_store("percpu_pagelist_high_fraction", "4", 1), -EINVAL);
	assert_int_equal(proc_sysvm_store("percpu_pagelist_high_fraction", "8", 1), 0);
	s = proc_sysvm_show("percpu_pagelist_high_fraction", &len);
	assert_string_equal(s, "8\n");
	free(s);
	assert_int_equal(proc_sysvm_store("percpu_pagelist_high_fraction", "0", 1), 0);
}

/* drop_caches and compact_memory: valid values drain the pcp lists */
static void test_drop_caches_compact(void **state)
{
	struct page *p[32];
	char *zi, **lines;
	int k, n, i;

	(void)state;
	for (k = 0; k < 32; k++)
		p[k] = alloc_pages(GFP_KERNEL, 0);
	for (k = 0; k < 32; k++)
		if (p[k])
			__free_pages(p[k], 0);
	assert_int_equal(proc_sysvm_store("drop_caches", "0", 1), -EINVAL);
	assert_int_equal(proc_sysvm_store("drop_caches", "5", 1), -EINVAL);
	assert_int_equal(proc_sysvm_store("drop_caches", "3", 1), 0);
	zi = render("zoneinfo");
	n = split_lines(zi, &lines);
	for (i = 0; i < n; i++)
		if (!strncmp(lines[i], "              count:", 20))
			assert_int_equal(strtol(lines[i] + 20, NULL, 10), 0);
	free(lines);
	free(zi);
	assert_int_equal(proc_sysvm_store("drop_caches", "4", 1), 0);
	assert_int_equal(proc_sysvm_store("compact_memory", "2", 1), -EINVAL);
	assert_int_equal(proc_sysvm_store("compact_memory", "1\n", 2), 0);
	assert_true(unit_validate_ok());
}

static void test_failattr(void **state)
{
	const char * const *names = proc_failattr_names();
	char *s;
	size_t len;
	int i;

	(void)state;
	for (i = 0; names[i]; i++) {
		s = proc_failattr_show(names[i], &len);
		assert_non_null(s);
		assert_true(matches("^-?[0-9]+\n$", s));
		free(s);
	}
	assert_int_equal(i, 4);
	assert_int_equal(proc_failattr_store("probability", "101", 3), -EINVAL);
	assert_int_equal(proc_failattr_store("probability", "x", 1), -EINVAL);
	assert_int_equal(proc_failattr_store("times", "-2", 2), -EINVAL);
	assert_int_equal(proc_failattr_store("interval", "3\n", 2), 0);
	s = proc_failattr_show("interval", &len);
	assert_string_equal(s, "3\n");
	free(s);
	assert_int_equal(proc_failattr_store("times", "-1", 2), 0);
	s = proc_failattr_show("times", &len);
	assert_string_equal(s, "-1\n");
	free(s);
	assert_int_equal(proc_failattr_store("interval", "1", 1), 0);
	assert_int_equal(proc_failattr_store("times", "0", 1), 0);
	assert_int_equal(proc_failattr_store("probability", "0", 1), 0);
}

/* rendering while other threads allocate and free: no crash, no deadlock,
 * every snapshot well formed */
static atomic_int churn_stop;

static void *churn(void *arg)
{
	struct page *held[64] = { 0 };
	unsigned int orders[64] = { 0 };
	unsigned int seed = (unsigned int)(uintptr_t)arg, i = 0;

	while (!atomic_load(&churn_stop)) {
		unsigned int k = (seed = seed * 1103515245u + 12345u) >> 16;
		unsigned int slot = k % 64, order = (k >> 6) % 4;

		if (held[slot]) {
			__free_pages(held[slot], orders[slot]);
			held[slot] = NULL;
		} else {
			held[slot] = alloc_pages(GFP_KERNEL | ((k & 1) ? __GFP_MOVABLE : 0), order);
			orders[slot] = order;
		}
		if (++i % 512 == 0)
			drain_all_pages(NULL);
	}
	for (i = 0; i < 64; i++)
		if (held[i])
			__free_pages(held[i], orders[i]);
	return NULL;
}

static void test_concurrent_render(void **state)
{
	static const char * const files[] = {
		"meminfo", "buddyinfo", "pagetypeinfo", "zoneinfo", "vmstat", "iomem",
		"page_owner", "extfrag_index", "unusable_index",
	};
	pthread_t t[2];
	uint64_t *v = calloc(max_pfn, 8);
	int round, i;

	(void)state;
	assert_non_null(v);
	atomic_store(&churn_stop, 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, churn, (void *)(uintptr_t)(i + 1)), 0);
	for (round = 0; round < 40; round++) {
		for (i = 0; i < (int)ARRAY_SIZE(files); i++) {
			char *s = render(files[i]);

			assert_true(strlen(s) > 0 || !strcmp(files[i], "page_owner"));
			free(s);
		}
		assert_int_equal(proc_kpage_read("kpageflags", 0, v, max_pfn * 8), (long)(max_pfn * 8));
	}
	atomic_store(&churn_stop, 1);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	free(v);
	drain_all_pages(NULL);
	assert_true(unit_validate_ok());
}

/* ------------------------------------------- the host's files, same shape */

/* classify a zoneinfo line by its fixed text */
static char zoneinfo_kind(const char *l)
{
	static const struct { const char *re; char kind; } k[] = {
		{ "^Node [0-9]+, zone [ A-Za-z0-9]{8}$", 'Z' },
		{ "^  per-node stats$", 'N' },
		{ "^      [a-z_0-9]+ +[0-9]+$", 's' },
		{ "^  pages free     [0-9]+$", 'f' },
		{ "^        boost    [0-9]+$", 'b' },
		{ "^        min      [0-9]+$", '1' },
		{ "^        low      [0-9]+$", '2' },
		{ "^        high     [0-9]+$", '3' },
		{ "^        promo    [0-9]+$", '4' },
		{ "^        spanned  [0-9]+$", 'S' },
		{ "^        present  [0-9]+$", 'P' },
		{ "^        managed  [0-9]+$", 'M' },
		{ "^        cma      [0-9]+$", 'C' },
		{ "^        protection: \\([0-9]+(, [0-9]+)*\\)$", 'R' },
		{ "^  pagesets$", 'p' },
		{ "^    cpu: [0-9]+$", 'c' },
		{ "^              count:    [0-9]+$", 'n' },
		{ "^              high:     [0-9]+$", 'h' },
		{ "^              batch:    [0-9]+$", 'B' },
		{ "^              high_min: [0-9]+$", 'i' },
		{ "^              high_max: [0-9]+$", 'x' },
		{ "^  vm stats threshold: [0-9]+$", 't' },
		{ "^  node_unreclaimable:  [0-9]+$", 'u' },
		{ "^  start_pfn:           [0-9]+$", 'e' },
	};
	regex_t r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(k); i++) {
		bool ok;

		assert_int_equal(regcomp(&r, k[i].re, REG_EXTENDED | REG_NOSUB), 0);
		ok = regexec(&r, l, 0, NULL, 0) == 0;
		regfree(&r);
		if (ok)
			return k[i].kind;
	}
	return '?';
}

/* The kinds of one zone's block (runs of stat lines collapsed to one 's'). */
static void zoneinfo_shape(const char *text, const char *zone, char *out, size_t n)
{
	char *dup = strdup(text), **lines, header[32];
	int nl = split_lines(dup, &lines), i;
	size_t o = 0;
	bool in = false;

	snprintf(header, sizeof(header), "Node 0, zone %8s", zone);
	for (i = 0; i < nl && o + 1 < n; i++) {
		char k;

		if (!strncmp(lines[i], "Node ", 5)) {
			if (in)
				break;
			in = !strcmp(lines[i], header);
			if (!in)
				continue;
		}
		if (!in)
			continue;
		k = zoneinfo_kind(lines[i]);
		if (k == 's' && o && out[o - 1] == 's')
			continue;
		out[o++] = k;
	}
	out[o] = '\0';
	free(lines);
	free(dup);
}

/* drop from @shape the line kinds that never occur in @host_text's zoneinfo
 * (lines a kernel older than 6.18 does not print: promo, high_min, ...) */
static void filter_kinds(char *shape, const char *host_text)
{
	char *dup = strdup(host_text), **lines, seen[128] = { 0 }, *w = shape, *r;
	int n = split_lines(dup, &lines), i;

	for (i = 0; i < n; i++)
		seen[(unsigned char)zoneinfo_kind(lines[i]) & 127] = 1;
	for (r = shape; *r; r++)
		if (seen[(unsigned char)*r & 127])
			*w++ = *r;
	*w = '\0';
	free(lines);
	free(dup);
}

static void test_host_zoneinfo_shape(void **state)
{
	char *host = read_host("/proc/zoneinfo"), *ours = render("zoneinfo");
	char hs[512], os[512], want[512], rest[512];
	static const char * const zones[] = { "DMA", "DMA32", "Normal", "Movable" };
	unsigned int cpu;
	size_t z;

	(void)state;
	/* our layout is the 6.18 one of kernel-formats.md 1.3, line by line:
	 * the first populated zone carries the per-node stats, an empty zone
	 * stops after protection */
	strcpy(rest, "fb1234SPMCRsp");
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		strcat(rest, "cnhBixt");
	strcat(rest, "ue");
	snprintf(want, sizeof(want), "ZNs%s", rest);
	zoneinfo_shape(ours, "DMA", os, sizeof(os));
	assert_string_equal(os, want);
	snprintf(want, sizeof(want), "Z%s", rest);
	zoneinfo_shape(ours, "DMA32", os, sizeof(os));
	assert_string_equal(os, want);
	zoneinfo_shape(ours, "Movable", os, sizeof(os));
	assert_string_equal(os, "Zfb1234SPMCR");

	/* and the host's zones have that same layout (the kinds an older
	 * host kernel lacks are left out of the comparison) */
	for (z = 0; z < ARRAY_SIZE(zones); z++) {
		zoneinfo_shape(host, zones[z], hs, sizeof(hs));
		zoneinfo_shape(ours, zones[z], os, sizeof(os));
		filter_kinds(os, host);
		fprintf(stderr, "host %-8s %s\nmmfs %-8s %s\n", zones[z], hs, zones[z], os);
		assert_null(strchr(hs, '?'));
		assert_string_equal(hs, os);
	}
	free(host);
	free(ours);
}

static void test_host_buddyinfo_pagetypeinfo_shape(void **state)
{
	char *host = read_host("/proc/buddyinfo"), *ours = render("buddyinfo");
	char **hl, **ol;
	int hn = split_lines(host, &hl), on = split_lines(ours, &ol), i, j;

	(void)state;
	for (i = 0; i < hn; i++)
		assert_true(matches("^Node [0-9]+, zone [ A-Za-z0-9]{8} ([ 0-9]{5}[0-9] ){11}$", hl[i]));
	for (j = 0; j < on; j++)
		assert_true(matches("^Node [0-9]+, zone [ A-Za-z0-9]{8} ([ 0-9]{5}[0-9] ){11}$", ol[j]));
	free(hl);
	free(ol);
	free(host);
	free(ours);

	host = read_host("/proc/pagetypeinfo");
	ours = render("pagetypeinfo");
	hn = split_lines(host, &hl);
	on = split_lines(ours, &ol);
	/* mmfs has no CMA (kernel-formats.md 1.2): drop the host's CMA rows
	 * and its "         CMA " column before comparing */
	for (i = j = 0; i < hn; i++)
		if (!strstr(hl[i], ", type          CMA "))
			hl[j++] = hl[i];
	hn = j;
	for (i = 0; i < hn; i++) {
		char *cma = strstr(hl[i], "          CMA ");

		if (!strncmp(hl[i], "Number of blocks", 16) && cma)
			memmove(cma, cma + 13, strlen(cma + 13) + 1);
	}
	/* the fixed lines are identical; rows have the same shape */
	for (i = 0; i < 4; i++)
		assert_string_equal(hl[i], ol[i]);
	for (i = 0; i < hn && strncmp(hl[i], "Number of blocks", 16); i++)
		;
	for (j = 0; j < on && strncmp(ol[j], "Number of blocks", 16); j++)
		;
	assert_true(i < hn && j < on);
	assert_string_equal(hl[i], ol[j]);
	assert_string_equal(hl[i - 1], ol[j - 1]);
	for (i = 4; i < hn && *hl[i]; i++) {
		char hz[16], oz[16];

		assert_true(matches("^Node +[0-9]+, zone [ A-Za-z0-9]{8}, type [ A-Za-z]{12} "
				    "(>?[ 0-9]*[0-9] ){11}$", hl[i]));
		/* the rows of a zone come in migratetype order, as ours */
		memcpy(hz, strstr(hl[i], "type ") + 5, 12);
		hz[12] = '\0';
		memcpy(oz, strstr(ol[4 + (i - 4) % MIGRATE_TYPES], "type ") + 5, 12);
		oz[12] = '\0';
		assert_string_equal(hz, oz);
	}
	free(hl);
	free(ol);
	free(host);
	free(ours);
}

static void test_host_vmstat_meminfo_shape(void **state)
{
	char *host = read_host("/proc/vmstat"), *ours = render("vmstat");
	char **hl, **ol;
	int hn = split_lines(host, &hl), on = split_lines(ours, &ol), i, j, k;
	int common = 0;

	(void)state;
	for (i = 0; i < hn; i++)
		assert_true(matches("^[a-z0-9_]+ [0-9]+$", hl[i]));
	assert_string_equal(hl[hn - 1], ol[on - 1]);	/* nr_unstable 0 */
	assert_memory_equal(hl[0], ol[0], 14);		/* nr_free_pages */
	/* names both have appear in the same order */
	k = 0;
	for (j = 0; j < on; j++) {
		size_t l = strcspn(ol[j], " ");

		for (i = 0; i < hn; i++)
			if (strlen(hl[i]) > l && hl[i][l] == ' ' && !strncmp(hl[i], ol[j], l))
				break;
		if (i == hn)
			continue;
		common++;
		if (i < k)
			fprintf(stderr, "vmstat order differs from the host at %.*s\n", (int)l, ol[j]);
		assert_true(i >= k);
		k = i;
	}
	assert_true(common > 30);
	free(hl);
	free(ol);
	free(host);
	free(ours);

	/* meminfo: our lines are the host's labels in the host's order */
	host = read_host("/proc/meminfo");
	ours = render("meminfo");
	hn = split_lines(host, &hl);
	on = split_lines(ours, &ol);
	k = 0;
	common = 0;
	for (j = 0; j < on; j++) {
		size_t l = strcspn(ol[j], ":") + 1;

		for (i = 0; i < hn; i++)
			if (!strncmp(hl[i], ol[j], l))
				break;
		if (i == hn)
			continue;	/* a line the host's kernel does not have */
		common++;
		assert_true(i >= k);	/* same order */
		/* the same label padding: value column at 16 for both */
		if (strlen(hl[i]) <= 16 + 8 + 3 && strlen(ol[j]) <= 16 + 8 + 3)
			assert_int_equal(strlen(hl[i]), strlen(ol[j]));
		k = i + 1;
	}
	assert_true(common > 40);
	free(hl);
	free(ol);
	free(host);
	free(ours);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unknown_names, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_buddyinfo_format, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_buddyinfo_matches_pagetypeinfo, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_pagetypeinfo_format, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_pagetypeinfo_blocks, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_zoneinfo_watermarks, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_zoneinfo_protection, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_zoneinfo_format, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_meminfo_memfree, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_meminfo_format, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_meminfo_available, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_meminfo_highmem, boot_highmem, shutdown),
		cmocka_unit_test_setup_teardown(test_vmstat_format, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_frag_indexes, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_iomem, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_kpageflags, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_kpageflags_pgtable_and_all, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_kpagecount, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_kpage_bounds, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_page_owner, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_node_files, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_zone_files, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_sysvm, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_drop_caches_compact, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_failattr, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_concurrent_render, boot, shutdown),
		cmocka_unit_test_setup_teardown(test_host_zoneinfo_shape, boot_host_cpus, shutdown),
		cmocka_unit_test_setup_teardown(test_host_buddyinfo_pagetypeinfo_shape, boot_host_cpus, shutdown),
		cmocka_unit_test_setup_teardown(test_host_vmstat_meminfo_shape, boot_host_cpus, shutdown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
