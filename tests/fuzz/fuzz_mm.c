// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_mm.c - libFuzzer target: the input is a sequence of calls into the
 * checked entry points of libmm (mm.h, slab.h, highmem.h, pgtable.h), the
 * ones fs/control.c hands untrusted requests to.
 *
 * One small machine is booted per process (mem=32M, 2 nodes, 8M highmem,
 * 2 cpus; MMFS_FUZZ_BOOT overrides, e.g. "mem=32M,slab=slob").  Each input
 * is one sequence: every call's result is checked against a model of what
 * the caller holds (a block freed twice must be refused, a live block's get
 * must work, ...), the bytes of every live block and object carry a tag that
 * must survive until it is freed (two live allocations overlapping show up
 * as a broken tag), fresh memory must be zero (init_on_alloc=1), and after
 * the sequence everything is given back, mm_validate() must find nothing and
 * no page block may be left allocated.  Any violation aborts (a crash for
 * libFuzzer).
 *
 * Input format: a stream of ops, one opcode byte followed by argument bytes
 * read on demand (missing bytes read as 0).  At most MAX_OPS ops per input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sanitizer/lsan_interface.h>

#include "mm.h"
#include "slab.h"
#include "highmem.h"
#include "pgtable.h"

#define MAX_OPS		200
#define MAX_BLOCKS	48
#define MAX_OBJS	96
#define MAX_CACHES	4
#define MAX_MAPS	8
#define TAG_BYTES	32		/* tagged bytes per page of a block */

struct fz_block {
	unsigned long pfn;
	unsigned int order;
	int refs;			/* owner's + get_page */
	bool owner_dropped;		/* free_block done */
	bool owner_put;			/* put_page took refs to 0 before free_block */
	int pins;			/* live frame mappings */
	int kmaps;			/* kmap without kunmap */
	unsigned char tag;
};

struct fz_obj {
	unsigned long kaddr;
	size_t size;			/* bytes we may touch */
	int cache;			/* -1: kmalloc */
	unsigned char tag;
};

struct fz_cache {
	bool live;
	unsigned int size;
	int nobjs;
	bool nozero;			/* SLAB_POISON/TYPESAFE_BY_RCU: only __GFP_ZERO zeroes */
};

struct fz_map {
	struct mmfs_mapping *m;
	int block;			/* index into blocks[] at map time, by pfn below */
	unsigned long pfn;
	unsigned int order;
};

static struct fz_block blocks[MAX_BLOCKS];
static int nblocks;
static struct fz_obj objs[MAX_OBJS];
static int nobjs;
static struct fz_cache caches[MAX_CACHES];
static struct fz_map maps[MAX_MAPS];
static int nmaps;
static unsigned long baseline_blocks;
static unsigned char next_tag = 1;

static bool avoid_pin_underflow;	/* MMFS_FUZZ_AVOID=pin-underflow (README) */
static bool trace;		/* MMFS_FUZZ_TRACE: print each op on stderr */
#define TRACE(...) do { if (trace) fprintf(stderr, __VA_ARGS__); } while (0)

static const uint8_t *in;
static size_t in_len, in_pos;

static unsigned int byte(void)
{
	return in_pos < in_len ? in[in_pos++] : 0;
}

static unsigned int u16(void)
{
	return byte() | byte() << 8;
}

#define FUZZ_NAME "fuzz_mm"
#include "fuzz_common.h"

static const gfp_t gfp_table[] = {
	GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_HIGHUSER_MOVABLE, GFP_USER,
	GFP_KERNEL | __GFP_ZERO, GFP_KERNEL | __GFP_COMP, GFP_DMA, GFP_DMA32 | GFP_KERNEL,
	GFP_KERNEL | __GFP_RECLAIMABLE, GFP_TRANSHUGE, GFP_TRANSHUGE_LIGHT,
	GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, GFP_KERNEL | __GFP_RETRY_MAYFAIL,
	GFP_KERNEL | __GFP_NOFAIL, GFP_KERNEL | __GFP_THISNODE, GFP_HIGHUSER | __GFP_COMP,
	GFP_ATOMIC | __GFP_HIGH | __GFP_MEMALLOC, GFP_NOIO,
	__GFP_DMA | __GFP_HIGHMEM,				/* invalid: two zones */
	__GFP_MOVABLE | __GFP_RECLAIMABLE | GFP_KERNEL,		/* invalid */
	0,
};

static gfp_t pick_gfp(void)
{
	unsigned int b = byte();

	if (b == 0xff)			/* raw bits, valid or not */
		return (gfp_t)(u16() | byte() << 16 | (byte() & 0x3) << 24);
	return gfp_table[b % ARRAY_SIZE(gfp_table)];
}

static int pick_nid(void)
{
	unsigned int b = byte() % 8;

	if (b < 5)
		return NUMA_NO_NODE;
	return (int)b - 5;		/* 0, 1, 2 (2 is no node: EINVAL) */
}

static void *block_ptr(unsigned long pfn, unsigned int i)
{
	return mmfs_pfn_to_ptr(pfn + i);
}

/* Tag the first TAG_BYTES of each page (up to 16 pages) and the last byte. */
static void tag_block(struct fz_block *b, bool check_zero)
{
	unsigned int n = 1u << b->order, i;

	for (i = 0; i < n && i < 16; i++) {
		unsigned char *p = block_ptr(b->pfn, i);

		if (check_zero)
			for (int k = 0; k < TAG_BYTES; k++)
				if (p[k])
					FZ_BUG("new block pfn 0x%lx order %u not zeroed (page %u byte %d = %#x)",
					       b->pfn, b->order, i, k, p[k]);
		memset(p, b->tag, TAG_BYTES);
	}
	((unsigned char *)block_ptr(b->pfn, n - 1))[PAGE_SIZE - 1] = b->tag;
}

static void check_block_tag(const struct fz_block *b, const char *when)
{
	unsigned int n = 1u << b->order, i;

	for (i = 0; i < n && i < 16; i++) {
		unsigned char *p = block_ptr(b->pfn, i);

		for (int k = 0; k < TAG_BYTES; k++)
			if (p[k] != b->tag)
				FZ_BUG("%s: block pfn 0x%lx order %u page %u byte %d is %#x, tag %#x",
				       when, b->pfn, b->order, i, k, p[k], b->tag);
	}
	if (((unsigned char *)block_ptr(b->pfn, n - 1))[PAGE_SIZE - 1] != b->tag)
		FZ_BUG("%s: block pfn 0x%lx last byte overwritten", when, b->pfn);
}

static void check_obj_tag(const struct fz_obj *o, const char *when)
{
	const unsigned char *p = mmfs_kaddr_to_ptr(o->kaddr);

	if (!p)
		FZ_BUG("%s: object 0x%lx has no host address", when, o->kaddr);
	for (size_t k = 0; k < o->size; k++)
		if (p[k] != o->tag)
			FZ_BUG("%s: object 0x%lx (size %zu, cache %d) byte %zu is %#x, tag %#x",
			       when, o->kaddr, o->size, o->cache, k, p[k], o->tag);
}

static bool errno_ok(int ret)
{
	return ret == 0 || ret == -EINVAL || ret == -ENOMEM;
}

/* Is pfn the head of any allocated block (ours or the kernel's)? */
static bool pfn_allocated(unsigned long pfn)
{
	struct page_owner *po;

	if (!pfn_valid(pfn))
		return false;
	po = get_page_owner(pfn_to_page(pfn));
	return po && po->live;
}

static void block_forget(int i)
{
	blocks[i] = blocks[--nblocks];
}

/* A reference went: is the block gone now (model)? */
static void block_maybe_gone(int i)
{
	if (blocks[i].refs == 0 && blocks[i].pins == 0)
		block_forget(i);
}

/* ------------------------------------------------------------ page ops */
static void op_alloc(void)
{
	unsigned int order = byte() % 13;	/* 11, 12: invalid */
	gfp_t gfp = pick_gfp();
	int nid = pick_nid(), ret;
	struct page *page = NULL;
	struct fz_block *b;

	ret = mmfs_alloc_pages_checked(gfp, (int)order, nid, &page);
	if (!errno_ok(ret))
		FZ_BUG("alloc_pages order %u gfp %#x nid %d: %d", order, gfp, nid, ret);
	if (ret) {
		if (order < MAX_ORDER && !gfp_check(gfp) && nid < 2 && ret == -EINVAL)
			FZ_BUG("alloc_pages order %u gfp %#x nid %d: EINVAL for a valid request",
			       order, gfp, nid);
		return;
	}
	if (order >= MAX_ORDER || gfp_check(gfp) || nid >= 2)
		FZ_BUG("alloc_pages order %u gfp %#x nid %d accepted", order, gfp, nid);
	if (!page)
		FZ_BUG("alloc_pages returned 0 without a page");
	if (nblocks == MAX_BLOCKS) {		/* table full: give it back at once */
		if (mmfs_free_block(page_to_pfn(page)))
			FZ_BUG("free of a fresh block refused");
		return;
	}
	TRACE("alloc order %u gfp %#x nid %d -> pfn 0x%lx refcount %d\n", order, gfp, nid,
	      page_to_pfn(page), page_ref_count(page));
	b = &blocks[nblocks++];
	*b = (struct fz_block){ .pfn = page_to_pfn(page), .order = order, .refs = 1,
				.tag = next_tag++ };
	if (!next_tag)
		next_tag = 1;
	if (page_ref_count(page) != 1)
		FZ_BUG("fresh block pfn 0x%lx refcount %d", b->pfn, page_ref_count(page));
	tag_block(b, true);		/* init_on_alloc=1: zeroed */
}

static int pick_block(void)
{
	return nblocks ? (int)(byte() % nblocks) : -1;
}

/* A pfn that is no allocated head: a tail, a free page, a hole, beyond RAM. */
static unsigned long bad_pfn(void)
{
	unsigned int how = byte() % 4;
	unsigned long pfn;

	if (how == 0 && nblocks) {
		struct fz_block *b = &blocks[byte() % nblocks];

		if (b->order)
			return b->pfn + 1 + byte() % ((1u << b->order) - 1);
	}
	if (how == 1)
		return max_pfn + u16();
	if (how == 2)
		return ~0UL - byte();
	pfn = (unsigned long)u16() % (max_pfn + 16);
	return pfn;
}

static void op_free(void)
{
	int i = pick_block(), ret;

	if (byte() & 1 || i < 0) {
		unsigned long pfn = bad_pfn();

		if (pfn_allocated(pfn))
			return;
		ret = mmfs_free_block(pfn);
		if (ret != -EINVAL)
			FZ_BUG("free_block of non-head pfn 0x%lx: %d", pfn, ret);
		return;
	}
	if (blocks[i].kmaps)		/* never free a kmapped page */
		return;
	if (avoid_pin_underflow && blocks[i].refs == 0)
		return;
	ret = mmfs_free_block(blocks[i].pfn);
	TRACE("free_block 0x%lx -> %d\n", blocks[i].pfn, ret);
	if (blocks[i].refs == 0) {
		/* only FOLL_PIN pins hold the block: dropping a reference
		 * now would eat into GUP_PIN_COUNTING_BIAS */
		if (ret != -EINVAL)
			FZ_BUG("free_block of pfn 0x%lx held only by %d pin(s): %d (refcount now %d)",
			       blocks[i].pfn, blocks[i].pins, ret, page_ref_count(pfn_to_page(blocks[i].pfn)));
		return;
	}
	if (blocks[i].owner_put) {
		/* put_page already dropped the owner's reference: either answer */
		if (ret == -EINVAL)
			return;
		blocks[i].owner_put = false;
	} else if (blocks[i].owner_dropped) {
		if (ret != -EINVAL)
			FZ_BUG("double free_block of pfn 0x%lx: %d", blocks[i].pfn, ret);
		return;
	}
	if (ret)
		FZ_BUG("free_block of live pfn 0x%lx: %d", blocks[i].pfn, ret);
	blocks[i].owner_dropped = true;
	blocks[i].refs--;
	if (!blocks[i].refs && !blocks[i].pins)
		check_block_tag(&blocks[i], "free");	/* nothing else wrote our block */
	block_maybe_gone(i);
}

/* FOLL_PIN: +1 on a compound head (pincount counts), else +GUP_PIN_COUNTING_BIAS */
static int pin_bias(unsigned long pfn)
{
	return PageHead(pfn_to_page(pfn)) ? 1 : GUP_PIN_COUNTING_BIAS;
}

static void op_get_put(bool get)
{
	int i = pick_block(), ret, ref = -1;

	if (byte() % 4 == 0 || i < 0) {
		unsigned long pfn = bad_pfn();

		if (pfn_allocated(pfn))
			return;
		ret = get ? mmfs_get_page(pfn, &ref) : mmfs_put_page(pfn, &ref);
		if (ret != -EINVAL)
			FZ_BUG("%s of non-head pfn 0x%lx: %d", get ? "get" : "put", pfn, ret);
		return;
	}
	if (!get && blocks[i].refs == 1 && blocks[i].kmaps)
		return;		/* never free a kmapped page */
	if (!get && avoid_pin_underflow && blocks[i].refs == 0)
		return;
	ret = get ? mmfs_get_page(blocks[i].pfn, &ref) : mmfs_put_page(blocks[i].pfn, &ref);
	TRACE("%s 0x%lx -> %d refcount %d\n", get ? "get_page" : "put_page", blocks[i].pfn, ret, ref);
	if (!get && blocks[i].refs == 0) {
		/* only pins hold it: a put would underflow the pin bias */
		if (ret != -EINVAL)
			FZ_BUG("put_page of pfn 0x%lx held only by %d pin(s): %d (refcount now %d)",
			       blocks[i].pfn, blocks[i].pins, ret, page_ref_count(pfn_to_page(blocks[i].pfn)));
		return;
	}
	if (ret)
		FZ_BUG("%s of live pfn 0x%lx: %d", get ? "get" : "put", blocks[i].pfn, ret);
	if (!get && blocks[i].refs == 1 && !blocks[i].owner_dropped) {
		blocks[i].owner_dropped = true;
		blocks[i].owner_put = true;
	}
	blocks[i].refs += get ? 1 : -1;
	if (ref != blocks[i].refs + blocks[i].pins * pin_bias(blocks[i].pfn))
		FZ_BUG("%s pfn 0x%lx: refcount %d, expected %d", get ? "get" : "put",
		       blocks[i].pfn, ref, blocks[i].refs + blocks[i].pins * pin_bias(blocks[i].pfn));
	if (!get && blocks[i].refs == 0 && blocks[i].pins == 0)
		check_block_tag(&blocks[i], "last put");
	block_maybe_gone(i);
}

/* ---------------------------------------------------------- slab ops */
static void obj_add(unsigned long kaddr, size_t size, int cache, bool check_zero)
{
	struct fz_obj *o;
	unsigned char *p = mmfs_kaddr_to_ptr(kaddr);

	if (!p)
		FZ_BUG("object 0x%lx is no direct-map address", kaddr);
	for (size_t k = 0; check_zero && k < size; k++)
		if (p[k])
			FZ_BUG("new object 0x%lx (size %zu cache %d) byte %zu is %#x (init_on_alloc=1)",
			       kaddr, size, cache, k, p[k]);
	o = &objs[nobjs++];
	*o = (struct fz_obj){ kaddr, size, cache, next_tag++ };
	if (!next_tag)
		next_tag = 1;
	memset(p, o->tag, size);
	for (int i = 0; i < nobjs - 1; i++)
		if (objs[i].kaddr < kaddr + size && kaddr < objs[i].kaddr + objs[i].size)
			FZ_BUG("object 0x%lx+%zu overlaps live object 0x%lx+%zu", kaddr, size,
			       objs[i].kaddr, objs[i].size);
}

static void op_kmalloc(void)
{
	static const size_t sizes[] = { 1, 7, 8, 16, 24, 32, 64, 96, 100, 128, 192, 256, 500,
					512, 1024, 2048, 4000, 4096, 8192, 8193, 16384, 65536,
					1 << 20, 0 };
	unsigned int b = byte();
	size_t size = b == 0xff ? (size_t)u16() * byte() : sizes[b % ARRAY_SIZE(sizes)];
	gfp_t gfp = pick_gfp();
	int nid = pick_nid(), ret;
	unsigned long kaddr = 0;
	char cache[64] = "";
	size_t ks = 0;

	if (nobjs == MAX_OBJS)
		return;
	ret = mmfs_kmalloc(size, gfp, nid, &kaddr, cache, sizeof(cache));
	if (!errno_ok(ret))
		FZ_BUG("kmalloc %zu gfp %#x nid %d: %d", size, gfp, nid, ret);
	if (ret)
		return;
	if (!size)
		FZ_BUG("kmalloc(0) gave an object 0x%lx", kaddr);
	if (mmfs_ksize(kaddr, &ks) || ks < size)
		FZ_BUG("ksize of kmalloc(%zu) object 0x%lx: %zu", size, kaddr, ks);
	obj_add(kaddr, size, -1, true);
}

static bool obj_is_free(unsigned long kaddr)
{
	char cache[64];
	unsigned long start;
	unsigned int sz;

	return mmfs_slab_object_at(kaddr, cache, sizeof(cache), &start, &sz) == -ENOENT &&
	       !pfn_allocated(mmfs_kaddr_to_ptr(kaddr) ? mmfs_virt_to_pfn(mmfs_kaddr_to_ptr(kaddr)) : 0);
}

static void obj_forget(int i)
{
	if (objs[i].cache >= 0)
		caches[objs[i].cache].nobjs--;
	objs[i] = objs[--nobjs];
}

static void op_kfree(void)
{
	char err[256];
	int ret;

	if (!nobjs || byte() % 4 == 0) {
		/* interior pointer of a live object, or a bogus address */
		unsigned long kaddr;

		if (nobjs && byte() & 1) {
			struct fz_obj *o = &objs[byte() % nobjs];

			if (o->size < 2)
				return;
			kaddr = o->kaddr + 1 + byte() % (o->size - 1);
		} else {
			kaddr = MMFS_PAGE_OFFSET + ((unsigned long)u16() << 12) + byte();
			if (!obj_is_free(kaddr))
				return;
		}
		ret = mmfs_kfree(kaddr, err, sizeof(err));
		if (ret != -EINVAL)
			FZ_BUG("kfree of bad address 0x%lx: %d", kaddr, ret);
		return;
	}
	int i = (int)(byte() % nobjs);
	struct fz_obj o = objs[i];

	check_obj_tag(&o, "kfree");
	if (o.cache >= 0) {
		/* kfree works on any slab object (the kernel allows it) */
		if (byte() & 1) {
			ret = mmfs_kfree(o.kaddr, err, sizeof(err));
		} else {
			char name[16];

			snprintf(name, sizeof(name), "fuzz%d", o.cache);
			ret = mmfs_kmem_cache_free(name, o.kaddr, err, sizeof(err));
		}
	} else {
		ret = mmfs_kfree(o.kaddr, err, sizeof(err));
	}
	if (ret)
		FZ_BUG("free of live object 0x%lx (cache %d): %d %s", o.kaddr, o.cache, ret, err);
	obj_forget(i);
	/* a second free of the same address must be refused (unless reused) */
	if (byte() % 4 == 0 && obj_is_free(o.kaddr)) {
		ret = mmfs_kfree(o.kaddr, err, sizeof(err));
		if (ret != -EINVAL)
			FZ_BUG("double kfree of 0x%lx: %d", o.kaddr, ret);
	}
}

static const char * const flag_table[] = {
	"", "SLAB_HWCACHE_ALIGN", "SLAB_POISON|SLAB_RED_ZONE", "SLAB_STORE_USER",
	"SLAB_CONSISTENCY_CHECKS|SLAB_RED_ZONE|SLAB_POISON|SLAB_STORE_USER",
	"SLAB_CACHE_DMA", "SLAB_RECLAIM_ACCOUNT", "SLAB_BOGUS", "|", "SLAB_POISON|",
	"SLAB_TYPESAFE_BY_RCU", "SLAB_ACCOUNT|SLAB_HWCACHE_ALIGN",
};

static void op_cache_create(void)
{
	static const unsigned int aligns[] = { 0, 8, 16, 32, 64, 128, 4096, 3, 24, 8192 };
	int c = (int)(byte() % MAX_CACHES);
	unsigned int size = u16() % 5000;
	unsigned int align = aligns[byte() % ARRAY_SIZE(aligns)];
	const char *flags = flag_table[byte() % ARRAY_SIZE(flag_table)];
	char name[16], err[256] = "";
	int ret;

	if (byte() == 0xff)
		size = u16() << 8;		/* very large, maybe too large */
	snprintf(name, sizeof(name), "fuzz%d", c);
	ret = mmfs_kmem_cache_create(name, size, align, flags, err, sizeof(err));
	if (caches[c].live) {
		if (ret != -EEXIST && ret != -EINVAL)	/* EINVAL: bad size/align/flags first */
			FZ_BUG("create of existing cache %s: %d", name, ret);
		return;
	}
	if (ret && ret != -EINVAL && ret != -ENOMEM)
		FZ_BUG("create %s size %u align %u flags '%s': %d", name, size, align, flags, ret);
	if (!ret && (size == 0))
		FZ_BUG("create %s with size 0 accepted", name);
	if (ret == -EINVAL && size >= 1 && size <= 4096 && (align & (align - 1)) == 0 &&
	    align <= 4096 && strcmp(flags, "SLAB_BOGUS") && strcmp(flags, "|") &&
	    strcmp(flags, "SLAB_POISON|"))
		FZ_BUG("create %s size %u align %u flags '%s' refused: %s", name, size, align,
		       flags, err);
	if (!ret) {
		caches[c].live = true;
		caches[c].size = size;
		caches[c].nobjs = 0;
		caches[c].nozero = strstr(flags, "POISON") || strstr(flags, "RCU");
	}
}

static void op_cache_destroy(void)
{
	int c = (int)(byte() % MAX_CACHES), ret;
	char name[16], err[256];

	snprintf(name, sizeof(name), "fuzz%d", c);
	ret = mmfs_kmem_cache_destroy(name, err, sizeof(err));
	if (!caches[c].live) {
		if (ret != -ENOENT && ret != -EINVAL)
			FZ_BUG("destroy of missing cache %s: %d", name, ret);
		return;
	}
	if (caches[c].nobjs) {
		if (ret != -EBUSY)
			FZ_BUG("destroy of %s with %d live objects: %d", name, caches[c].nobjs, ret);
		return;
	}
	if (ret)
		FZ_BUG("destroy of empty %s: %d %s", name, ret, err);
	caches[c].live = false;
}

static void op_cache_alloc(void)
{
	int c = (int)(byte() % MAX_CACHES), ret, nid = pick_nid();
	gfp_t gfp = pick_gfp();
	char name[16];
	unsigned long kaddr = 0;
	unsigned int objsize = 0;

	if (nobjs == MAX_OBJS)
		return;
	snprintf(name, sizeof(name), "fuzz%d", c);
	ret = mmfs_kmem_cache_alloc(name, gfp, nid, &kaddr, &objsize);
	if (!caches[c].live) {
		if (ret != -ENOENT && ret != -EINVAL)
			FZ_BUG("alloc from missing cache %s: %d", name, ret);
		return;
	}
	if (!errno_ok(ret))
		FZ_BUG("alloc from %s gfp %#x nid %d: %d", name, gfp, nid, ret);
	if (ret)
		return;
	if (objsize != caches[c].size)
		FZ_BUG("alloc from %s: objsize %u, created with %u", name, objsize, caches[c].size);
	caches[c].nobjs++;
	/* init_on_alloc skips poisoned and RCU caches (slab_want_init_on_alloc) */
	obj_add(kaddr, objsize, c, !caches[c].nozero || (gfp & __GFP_ZERO));
}

static void op_cache_free_wrong(void)
{
	/* free an object through a cache it does not belong to: EINVAL */
	int c = (int)(byte() % MAX_CACHES), i, ret;
	char name[16], err[256];

	if (!nobjs)
		return;
	i = (int)(byte() % nobjs);
	if (objs[i].cache == c)
		return;
	snprintf(name, sizeof(name), "fuzz%d", c);
	ret = mmfs_kmem_cache_free(name, objs[i].kaddr, err, sizeof(err));
	if (caches[c].live ? ret != -EINVAL : (ret != -ENOENT && ret != -EINVAL))
		FZ_BUG("free of 0x%lx (cache %d) through %s: %d", objs[i].kaddr, objs[i].cache,
		       name, ret);
	check_obj_tag(&objs[i], "wrong-cache free");
}

static void op_cache_shrink(void)
{
	int c = (int)(byte() % (MAX_CACHES + 1)), ret;
	char name[24];

	if (c == MAX_CACHES)
		snprintf(name, sizeof(name), "kmalloc-%d", 8 << (byte() % 11));
	else
		snprintf(name, sizeof(name), "fuzz%d", c);
	ret = mmfs_kmem_cache_shrink(name);
	if (c < MAX_CACHES && !caches[c].live ? ret >= 0 : ret < 0) {
		if (!(c == MAX_CACHES && ret == -ENOENT))
			FZ_BUG("shrink %s: %d", name, ret);
	}
	for (int i = 0; i < nobjs; i++)
		check_obj_tag(&objs[i], "shrink");
}

/* ------------------------------------------------- kmap, frame mapping */
static void op_kmap(void)
{
	int i = pick_block(), ret;
	unsigned long vaddr = 0;

	if (i < 0 || blocks[i].refs == 0)
		return;
	if (byte() & 1 && blocks[i].kmaps) {
		ret = mmfs_kunmap(blocks[i].pfn);
		if (ret)
			FZ_BUG("kunmap of kmapped pfn 0x%lx: %d", blocks[i].pfn, ret);
		blocks[i].kmaps--;
		return;
	}
	if (blocks[i].owner_dropped)
		return;
	ret = mmfs_kmap(blocks[i].pfn, &vaddr);
	if (ret == -EAGAIN)
		return;
	if (ret)
		FZ_BUG("kmap of live pfn 0x%lx: %d", blocks[i].pfn, ret);
	if (!vaddr)
		FZ_BUG("kmap of pfn 0x%lx: no vaddr", blocks[i].pfn);
	blocks[i].kmaps++;
}

static void op_kunmap_bad(void)
{
	unsigned long pfn = bad_pfn();
	int ret;

	for (int i = 0; i < nblocks; i++)
		if (blocks[i].pfn == pfn && blocks[i].kmaps)
			return;
	if (pfn_allocated(pfn))
		return;		/* may be kmapped by someone else */
	ret = mmfs_kunmap(pfn);
	if (pfn_valid(pfn) && !PageHighMem(pfn_to_page(pfn))) {
		if (ret)	/* lowmem: nothing to undo (highmem.h) */
			FZ_BUG("kunmap of lowmem pfn 0x%lx: %d", pfn, ret);
	} else if (ret != -EINVAL) {
		FZ_BUG("kunmap of pfn 0x%lx that is not kmapped: %d", pfn, ret);
	}
}

static int find_block(unsigned long pfn)
{
	for (int i = 0; i < nblocks; i++)
		if (blocks[i].pfn == pfn)
			return i;
	return -1;
}

static void op_map(void)
{
	int i = pick_block(), ret;
	struct mmfs_mapping *m = NULL;
	char path[32];
	unsigned int how = byte();

	if (i < 0 || nmaps == MAX_MAPS || blocks[i].owner_dropped || blocks[i].refs == 0)
		return;
	snprintf(path, sizeof(path), "/frames/0x%lx", blocks[i].pfn);
	ret = mmfs_frame_map(1000 + (int)(how % 3), blocks[i].pfn, blocks[i].order, how & 4,
			     how & 8, path, &m);
	TRACE("frame_map pid %d pfn 0x%lx order %u -> %d refcount %d pincount %d\n",
	      1000 + (int)(how % 3), blocks[i].pfn, blocks[i].order, ret,
	      page_ref_count(pfn_to_page(blocks[i].pfn)), mmfs_page_pincount(pfn_to_page(blocks[i].pfn)));
	if (ret == -ENOMEM)
		return;
	if (ret || !m)
		FZ_BUG("frame_map of pfn 0x%lx order %u: %d", blocks[i].pfn, blocks[i].order, ret);
	blocks[i].pins++;
	maps[nmaps++] = (struct fz_map){ m, i, blocks[i].pfn, blocks[i].order };
	if (mmfs_page_pincount(pfn_to_page(blocks[i].pfn)) != blocks[i].pins)
		FZ_BUG("pincount of pfn 0x%lx: %d, expected %d", blocks[i].pfn,
		       mmfs_page_pincount(pfn_to_page(blocks[i].pfn)), blocks[i].pins);
}

static void op_map_access(void)
{
	struct fz_map *mp;
	unsigned char buf[64];
	uint64_t size, off;
	long n;
	int i;

	if (!nmaps)
		return;
	mp = &maps[byte() % nmaps];
	size = (uint64_t)PAGE_SIZE << mp->order;
	off = ((uint64_t)u16() * 61) % (size + 128);	/* sometimes past the end */
	i = find_block(mp->pfn);
	n = mmfs_mapping_access(mp->m, off, buf, sizeof(buf), false);
	if (off >= size) {
		if (n > 0)
			FZ_BUG("mapping read past the end (off %llu size %llu): %ld",
			       (unsigned long long)off, (unsigned long long)size, n);
		return;
	}
	if (n < 0)
		FZ_BUG("mapping read at %llu of pfn 0x%lx: %ld", (unsigned long long)off, mp->pfn, n);
	if ((uint64_t)n > size - off)
		FZ_BUG("mapping read %ld bytes past the end", n);
	if (n > 0 && memcmp(buf, (char *)block_ptr(mp->pfn, 0) + off, (size_t)n))
		FZ_BUG("mapping read of pfn 0x%lx at %llu differs from the arena", mp->pfn,
		       (unsigned long long)off);
	if (i >= 0 && byte() & 1) {
		/* write back what is there: the tag stays, the path is exercised */
		long w = mmfs_mapping_access(mp->m, off, buf, (size_t)n, true);

		if (w != n && w != -EFAULT)	/* read-only mapping: EFAULT */
			FZ_BUG("mapping write of %ld bytes: %ld", n, w);
	}
}

static void unmap_one(int k)
{
	struct fz_map mp = maps[k];
	int i;

	maps[k] = maps[--nmaps];
	mmfs_frame_unmap(mp.m);
	TRACE("frame_unmap pfn 0x%lx -> refcount %d\n", mp.pfn, page_ref_count(pfn_to_page(mp.pfn)));
	i = find_block(mp.pfn);
	if (i < 0)
		FZ_BUG("mapped block 0x%lx lost from the model", mp.pfn);
	blocks[i].pins--;
	if (!blocks[i].refs && !blocks[i].pins)
		check_block_tag(&blocks[i], "last unpin");
	block_maybe_gone(i);
}

static void op_unmap(void)
{
	if (nmaps)
		unmap_one((int)(byte() % nmaps));
}

/* --------------------------------------------------------- the driver */
static void release_all(void)
{
	char err[256];

	while (nmaps)
		unmap_one(nmaps - 1);
	for (int i = 0; i < nblocks; i++)
		while (blocks[i].kmaps) {
			if (mmfs_kunmap(blocks[i].pfn))
				FZ_BUG("kunmap pfn 0x%lx at the end", blocks[i].pfn);
			blocks[i].kmaps--;
		}
	while (nobjs) {
		struct fz_obj *o = &objs[nobjs - 1];

		check_obj_tag(o, "end");
		if (mmfs_kfree(o->kaddr, err, sizeof(err)))
			FZ_BUG("kfree 0x%lx at the end: %s", o->kaddr, err);
		obj_forget(nobjs - 1);
	}
	for (int c = 0; c < MAX_CACHES; c++) {
		char name[16];

		if (!caches[c].live)
			continue;
		snprintf(name, sizeof(name), "fuzz%d", c);
		if (mmfs_kmem_cache_destroy(name, err, sizeof(err)))
			FZ_BUG("destroy %s at the end: %s", name, err);
		caches[c].live = false;
	}
	while (nblocks) {
		struct fz_block *b = &blocks[nblocks - 1];
		int ref;

		check_block_tag(b, "end");
		if (!b->owner_dropped) {
			if (mmfs_free_block(b->pfn))
				FZ_BUG("free_block 0x%lx at the end", b->pfn);
			b->refs--;
			b->owner_dropped = true;
		}
		while (b->refs) {
			if (mmfs_put_page(b->pfn, &ref))
				FZ_BUG("put_page 0x%lx at the end", b->pfn);
			b->refs--;
		}
		nblocks--;
	}
}

static int boot_once(void)
{
	const char *opts = getenv("MMFS_FUZZ_BOOT");
	struct mm_config cfg;
	char err[256] = "", *dup, *save = NULL;

	if (!opts)
		opts = "mem=32M,memmap=32M@0,nodes=2,cpus=2,highmem=8M";
	mm_config_default(&cfg);
	cfg.log_to_stderr = getenv("MMFS_FUZZ_LOG") != NULL;
	dup = strdup(opts);
	for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq || (*eq = 0, mm_config_parse(&cfg, tok, eq + 1, err, sizeof(err)))) {
			fprintf(stderr, "fuzz_mm: bad MMFS_FUZZ_BOOT option %s: %s\n", tok, err);
			abort();
		}
	}
	free(dup);
	if (mm_boot(&cfg, err, sizeof(err))) {
		fprintf(stderr, "fuzz_mm: boot failed: %s\n", err);
		abort();
	}
	mmfs_set_current(0, getpid(), "fuzz_mm");
	trace = getenv("MMFS_FUZZ_TRACE") != NULL;
	avoid_pin_underflow = getenv("MMFS_FUZZ_AVOID") &&
			      strstr(getenv("MMFS_FUZZ_AVOID"), "pin-underflow");
	drain_all_pages(NULL);
	validate_or_die("after boot");
	baseline_blocks = count_page_blocks();
	/* Kernel structures live in the arena (slab objects) and point to
	 * malloc'd memory: let LeakSanitizer scan it, and tear the machine
	 * down at exit so only real leaks remain. */
	__lsan_register_root_region(mmfs_arena.base, mmfs_arena.span_bytes);
	atexit(mm_shutdown);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return boot_once();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long left;

	in = data;
	in_len = size;
	in_pos = 0;
	for (int ops = 0; ops < MAX_OPS && in_pos < in_len; ops++) {
		switch (byte() % 20) {
		case 0: case 1: case 2: op_alloc(); break;
		case 3: case 4: op_free(); break;
		case 5: op_get_put(true); break;
		case 6: op_get_put(false); break;
		case 7: case 8: op_kmalloc(); break;
		case 9: case 10: op_kfree(); break;
		case 11: op_cache_create(); break;
		case 12: op_cache_destroy(); break;
		case 13: op_cache_alloc(); break;
		case 14: op_cache_free_wrong(); break;
		case 15: op_kmap(); break;
		case 16: op_map(); break;
		case 17: op_map_access(); break;
		case 18: op_unmap(); break;
		case 19:
			switch (byte() % 4) {
			case 0: drain_all_pages(NULL); break;
			case 1: op_cache_shrink(); break;
			case 2: op_kunmap_bad(); break;
			case 3: validate_or_die("mid-sequence"); break;
			}
			break;
		}
	}
	validate_or_die("before release");
	release_all();
	drain_all_pages(NULL);
	validate_or_die("after release");
	left = count_page_blocks();
	if (left != baseline_blocks)
		FZ_BUG("page blocks allocated after release: %lu, at boot %lu", left, baseline_blocks);
	return 0;
}
