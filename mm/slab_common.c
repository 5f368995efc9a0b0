/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slab_common.c - the allocator-independent part of the slab layer
 * (mm/slab_common.c of a 6.x kernel): the slab_caches list, cache creation
 * and destruction, the kmalloc caches and their size classes (kmalloc_info,
 * size_index), large kmalloc straight from the page allocator, krealloc and
 * friends, /proc/slabinfo, slub_debug= parsing, and the checked name/kaddr
 * based entry points fs/ uses.  Everything allocator specific goes through
 * slab_alloc_ops, the table of the allocator chosen by slab= (SLUB here;
 * SLAB and SLOB plug in through slab_ops / slob_ops).
 *
 * Lock order: slab_mutex -> (allocator locks, see slab_internal.h).
 * The checked entry points (mmfs_*) run under slab_mutex, so a check and
 * the change it guards cannot be separated by another checked caller.
 */
#include "slab_internal.h"
#include "internal.h"
#include "trace.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum slab_state slab_state;
struct mutex slab_mutex = { PTHREAD_MUTEX_INITIALIZER };
struct list_head slab_caches = LIST_HEAD_INIT(slab_caches);
struct kmem_cache *kmem_cache;
struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_CACHES];
const struct slab_allocator_ops *slab_alloc_ops;
slab_flags_t slub_debug;
char slub_debug_string[128];
/* the booted allocator's kmalloc geometry (slab.h); SLUB's until boot */
unsigned int kmalloc_shift_low = KMALLOC_SHIFT_LOW;
unsigned int kmalloc_shift_high = KMALLOC_SHIFT_HIGH;

/* kmalloc_info[] (6.x): names of every type for each index */
#define INIT_KMALLOC_INFO(__size, __short_size) \
	{ .name = { "kmalloc-" #__short_size, "kmalloc-rcl-" #__short_size, \
		    "dma-kmalloc-" #__short_size }, .size = __size }
const struct kmalloc_info_struct kmalloc_info[KMALLOC_CACHES] = {
	{ .name = { NULL, NULL, NULL }, .size = 0 },
	INIT_KMALLOC_INFO(96, 96),
	INIT_KMALLOC_INFO(192, 192),
	INIT_KMALLOC_INFO(8, 8),
	INIT_KMALLOC_INFO(16, 16),
	INIT_KMALLOC_INFO(32, 32),
	INIT_KMALLOC_INFO(64, 64),
	INIT_KMALLOC_INFO(128, 128),
	INIT_KMALLOC_INFO(256, 256),
	INIT_KMALLOC_INFO(512, 512),
	INIT_KMALLOC_INFO(1024, 1k),
	INIT_KMALLOC_INFO(2048, 2k),
	INIT_KMALLOC_INFO(4096, 4k),
	INIT_KMALLOC_INFO(8192, 8k),
	INIT_KMALLOC_INFO(16384, 16k),
	INIT_KMALLOC_INFO(32768, 32k),
	INIT_KMALLOC_INFO(65536, 64k),
	INIT_KMALLOC_INFO(131072, 128k),
	INIT_KMALLOC_INFO(262144, 256k),
	INIT_KMALLOC_INFO(524288, 512k),
	INIT_KMALLOC_INFO(1048576, 1M),
	INIT_KMALLOC_INFO(2097152, 2M),
	INIT_KMALLOC_INFO(4194304, 4M),	/* MMFS: the table stops at KMALLOC_SHIFT_MAX (6.1 goes on to 32M) */
};
_Static_assert(ARRAY_SIZE(kmalloc_info) == KMALLOC_CACHES, "a kmalloc_info entry per index");

/*
 * Conversion table for small kmalloc sizes to the kmalloc_caches index,
 * as the kernel initialises it; setup_kmalloc_cache_index_table() adapts
 * the live copy (size_index) to KMALLOC_MIN_SIZE at every boot.
 */
static const uint8_t size_index_default[24] = {
	3,	/* 8 */
	4,	/* 16 */
	5,	/* 24 */
	5,	/* 32 */
	6,	/* 40 */
	6,	/* 48 */
	6,	/* 56 */
	6,	/* 64 */
	1,	/* 72 */
	1,	/* 80 */
	1,	/* 88 */
	1,	/* 96 */
	7,	/* 104 */
	7,	/* 112 */
	7,	/* 120 */
	7,	/* 128 */
	2,	/* 136 */
	2,	/* 144 */
	2,	/* 152 */
	2,	/* 160 */
	2,	/* 168 */
	2,	/* 176 */
	2,	/* 184 */
	2	/* 192 */
};
static uint8_t size_index[24];

static inline unsigned int size_index_elem(unsigned int bytes)
{
	return (bytes - 1) / 8;
}

/* ---------------------------------------------------------- randomness */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static spinlock_t rng_lock;

unsigned long slab_get_random_long(void)
{
	uint64_t x;

	spin_lock(&rng_lock);
	x = rng_state += 0x9e3779b97f4a7c15ull;	/* splitmix64 */
	spin_unlock(&rng_lock);
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return (unsigned long)(x ^ (x >> 31));
}

unsigned int slab_get_random_u32_below(unsigned int ceil)
{
	return ceil ? (unsigned int)(((uint64_t)(uint32_t)slab_get_random_long() * ceil) >> 32) : 0;
}

#ifdef CONFIG_SLAB_FREELIST_RANDOM
/* Randomize a generic freelist: Fisher-Yates over 0..count-1. */
static void freelist_randomize(unsigned int *list, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		list[i] = i;
	for (i = count - 1; i > 0; i--) {
		unsigned int rand = slab_get_random_u32_below(i + 1);
		unsigned int t = list[i];

		list[i] = list[rand];
		list[rand] = t;
	}
}

/**
 * cache_random_seq_create - create the random object order of a cache
 * @cachep: the cache (random_seq must be NULL, or nothing is done)
 * @count: objects per slab
 * @gfp: gfp of the kernel's kcalloc (unused: MMFS host memory)
 *
 * Return: 0 (also for count < 2: no sequence) or -ENOMEM.
 */
int cache_random_seq_create(struct kmem_cache *cachep, unsigned int count, gfp_t gfp)
{
	(void)gfp;
	if (count < 2 || cachep->random_seq)
		return 0;
	/* MMFS: host memory (the kernel kcallocs it) */
	cachep->random_seq = calloc(count, sizeof(unsigned int));
	if (!cachep->random_seq)
		return -ENOMEM;
	freelist_randomize(cachep->random_seq, count);
	return 0;
}

/** cache_random_seq_destroy - free a cache's random object order */
void cache_random_seq_destroy(struct kmem_cache *cachep)
{
	free(cachep->random_seq);
	cachep->random_seq = NULL;
}
#else
int cache_random_seq_create(struct kmem_cache *cachep, unsigned int count, gfp_t gfp)
{
	return 0;
}

void cache_random_seq_destroy(struct kmem_cache *cachep)
{
	free(cachep->random_seq);
	cachep->random_seq = NULL;
}
#endif /* CONFIG_SLAB_FREELIST_RANDOM */

/**
 * slab_attr_trigger_value - parse what was written to shrink or validate
 * @buf: the value
 * @len: its length
 *
 * MMFS: the kernel's shrink_store/validate_store look at buf[0] == '1'
 * only; here the whole value must be "1" or "1\n".
 * Return: 0 for "1", -EINVAL for anything else.
 */
int slab_attr_trigger_value(const char *buf, size_t len)
{
	if (!buf || !len || len > 2)
		return -EINVAL;
	if (buf[0] != '1' || (len == 2 && buf[1] != '\n'))
		return -EINVAL;
	return 0;
}

/* ------------------------------------------------------------ reports */
void slab_report_append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!buf)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (*len + (size_t)n + 2 > *cap) {
		size_t ncap = *cap ? *cap : 256;
		char *nb;

		while (ncap < *len + (size_t)n + 2)
			ncap *= 2;
		nb = realloc(*buf, ncap);
		if (!nb)
			return;
		*buf = nb;
		*cap = ncap;
	}
	va_start(ap, fmt);
	vsnprintf(*buf + *len, *cap - *len, fmt, ap);
	va_end(ap);
	*len += (size_t)n;
}

/* ---------------------------------------------------------- slub_debug */
#define MAX_DEBUG_BLOCKS 8
static struct {
	slab_flags_t flags;
	char list[128];		/* "kmalloc-64+foo*", "" = global */
} debug_blocks[MAX_DEBUG_BLOCKS];
static int nr_debug_blocks;

static slab_flags_t parse_slub_debug_flags(const char *s, const char **end)
{
	slab_flags_t flags = 0;

	/* no letters at all means the defaults (F, Z, P, U) */
	if (!*s || *s == ':' || *s == ',' || *s == ';') {
		*end = s;
		return SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;
	}
	for (; *s && *s != ':' && *s != ',' && *s != ';'; s++) {
		switch (*s | 0x20) {
		case '-': flags = 0; break;
		case 'f': flags |= SLAB_CONSISTENCY_CHECKS; break;
		case 'z': flags |= SLAB_RED_ZONE; break;
		case 'p': flags |= SLAB_POISON; break;
		case 'u': flags |= SLAB_STORE_USER; break;
		case 't': flags |= SLAB_TRACE; break;
		case 'a': flags |= SLAB_FAILSLAB; break;
		case 'o': break;	/* disable higher order debug: no effect here */
		default:
			printk("slub_debug option '%c' unknown. skipped", *s);
		}
	}
	*end = s;
	return flags;
}

/* setup_slub_debug(): "FZPU", "FZ:kmalloc-64+foo", blocks joined by ';' */
static void setup_slub_debug(const char *str)
{
	const char *p = str;

	slub_debug = 0;
	nr_debug_blocks = 0;
	slub_debug_string[0] = '\0';
	if (!str || !*str)
		return;
	while (*p && nr_debug_blocks < MAX_DEBUG_BLOCKS) {
		const char *end;
		slab_flags_t flags = parse_slub_debug_flags(p, &end);
		size_t n = 0;

		p = end;
		debug_blocks[nr_debug_blocks].flags = flags;
		if (*p == ':' || *p == ',') {
			p++;
			while (*p && *p != ';' && n < sizeof(debug_blocks[0].list) - 1)
				debug_blocks[nr_debug_blocks].list[n++] = (*p == ',') ? '+' : *p, p++;
		}
		debug_blocks[nr_debug_blocks].list[n] = '\0';
		if (!n)
			slub_debug = flags;
		else
			snprintf(slub_debug_string, sizeof(slub_debug_string), "%s",
				 debug_blocks[nr_debug_blocks].list);
		nr_debug_blocks++;
		while (*p == ';')
			p++;
	}
}

/* Does name appear in a "a+b*+c" list (trailing '*' is a prefix glob)? */
static bool debug_list_match(const char *list, const char *name)
{
	const char *p = list;

	while (*p) {
		const char *e = strchr(p, '+');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n && p[n - 1] == '*') {
			if (!strncmp(p, name, n - 1))
				return true;
		} else if (n == strlen(name) && !strncmp(p, name, n)) {
			return true;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

/**
 * kmem_cache_flags - the flags a new cache gets from slub_debug=
 * @object_size: object size
 * @flags: flags the creator asked for
 * @name: cache name
 *
 * Return: @flags with the debug flags slub_debug= selects for @name.
 */
slab_flags_t kmem_cache_flags(unsigned int object_size, slab_flags_t flags, const char *name)
{
	slab_flags_t dbg = 0;
	bool listed = false;

	for (int i = 0; i < nr_debug_blocks; i++) {
		if (!debug_blocks[i].list[0])
			continue;
		if (name && debug_list_match(debug_blocks[i].list, name)) {
			dbg |= debug_blocks[i].flags;
			listed = true;
		}
	}
	if (!listed)
		dbg = slub_debug;
	if (flags & SLAB_NOLEAKTRACE)
		dbg &= ~SLAB_STORE_USER;
	return flags | dbg;
}

/* ------------------------------------------------------ cache creation */
/**
 * calculate_alignment - the alignment of a cache's objects
 * @flags: SLAB_HWCACHE_ALIGN asks for cache-line alignment (halved while
 *         the object fits twice)
 * @align: what the creator asked for
 * @size: object size
 *
 * Return: the alignment, a multiple of sizeof(void *).
 */
unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = L1_CACHE_BYTES;

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	align = max(align, (unsigned int)ARCH_SLAB_MINALIGN);
	return ALIGN(align, (unsigned int)sizeof(void *));
}

/* The cache called name (under slab_mutex), or NULL. */
static struct kmem_cache *find_cache_locked(const char *name)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, list)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

/**
 * create_boot_cache - set up a cache whose struct kmem_cache is static
 * (kmem_cache, kmem_cache_node) or already allocated (kmalloc caches)
 * @s: the cache
 * @name: its name
 * @size: object size
 * @flags: SLAB_* flags
 * @useroffset: usercopy offset
 * @usersize: usercopy size
 *
 * Context: boot, slab_mutex not needed.  Failure is fatal (BUG), as in the kernel.
 */
void create_boot_cache(struct kmem_cache *s, const char *name, unsigned int size,
		       slab_flags_t flags, unsigned int useroffset, unsigned int usersize)
{
	unsigned int align = ARCH_KMALLOC_MINALIGN;
	int err;

	s->name = name;
	s->size = s->object_size = size;
	/* kmalloc caches guarantee the largest power-of-two divisor of size */
	if (flags & SLAB_KMALLOC)
		align = max(align, 1U << (__builtin_ffs((int)size) - 1));
	s->align = calculate_alignment(flags, align, size);
	s->useroffset = useroffset;
	s->usersize = usersize;
	s->refcount = -1;	/* exempt from merging */
	err = slab_alloc_ops->cache_create(s, flags);
	if (err) {
		printk("Creation of kmalloc slab %s size=%u failed. Reason %d", name, size, err);
		BUG();
	}
}

static struct kmem_cache *create_kmalloc_cache(const char *name, unsigned int size,
					       slab_flags_t flags)
{
	struct kmem_cache *s = slab_alloc_ops->alloc(kmem_cache, GFP_KERNEL | __GFP_ZERO,
						     NUMA_NO_NODE, _RET_IP_, 0);

	if (!s) {
		printk("Out of memory when creating slab %s", name);
		BUG();
	}
	create_boot_cache(s, name, size, flags | SLAB_KMALLOC, 0, size);
	list_add(&s->list, &slab_caches);
	s->refcount = 1;
	s->refcount = -1;	/* MMFS: no merging at all (see mmfs_cache_for_each) */
	return s;
}

static void new_kmalloc_cache(int idx, enum kmalloc_cache_type type)
{
	slab_flags_t flags = 0;

	if (type == KMALLOC_RECLAIM)
		flags |= SLAB_RECLAIM_ACCOUNT;
	else if (type == KMALLOC_DMA)
		flags |= SLAB_CACHE_DMA;
	flags |= SLAB_NO_MERGE;
	kmalloc_caches[type][idx] = create_kmalloc_cache(kmalloc_info[idx].name[type],
							 kmalloc_info[idx].size, flags);
}

/**
 * create_kmalloc_node_cache - SLAB's kmem_cache_init() makes the kmalloc
 * cache of its node structure (kmalloc_caches[KMALLOC_NORMAL][INDEX_NODE])
 * before the others, so it sits below them in slab_caches and slabinfo
 * @size: sizeof the node structure
 *
 * Context: boot, slab_state PARTIAL; create_kmalloc_caches() skips it later.
 */
void create_kmalloc_node_cache(unsigned int size)
{
	unsigned int index = size <= 192 ? size_index[size_index_elem(size)] :
			     (unsigned int)fls(size - 1);

	if (index < kmalloc_shift_low || index > kmalloc_shift_high || kmalloc_caches[KMALLOC_NORMAL][index])
		return;
	new_kmalloc_cache((int)index, KMALLOC_NORMAL);
}

/**
 * setup_kmalloc_cache_index_table - point the size_index entries below
 * KMALLOC_MIN_SIZE at the smallest kmalloc cache (SLAB: sizes 1..32 all go
 * to kmalloc-32), and fold -96 / -192 into their neighbours when the
 * minimum size rules them out.
 * Context: boot, before create_kmalloc_caches().
 */
static void setup_kmalloc_cache_index_table(void)
{
	unsigned int i;

	memcpy(size_index, size_index_default, sizeof(size_index));
	for (i = 8; i < KMALLOC_MIN_SIZE; i += 8) {
		unsigned int elem = size_index_elem(i);

		if (elem >= ARRAY_SIZE(size_index))
			break;
		size_index[elem] = (uint8_t)kmalloc_shift_low;
	}
	if (KMALLOC_MIN_SIZE >= 64) {
		/* the 96 byte sized cache is not used if the alignment is 64 bytes */
		for (i = 64 + 8; i <= 96; i += 8)
			size_index[size_index_elem(i)] = 7;
	}
	if (KMALLOC_MIN_SIZE >= 128) {
		/* the 192 byte sized cache is not used if the alignment is 128 bytes */
		for (i = 128 + 8; i <= 192; i += 8)
			size_index[size_index_elem(i)] = 8;
	}
}

/**
 * create_kmalloc_caches - kmalloc-<KMALLOC_MIN_SIZE> ... kmalloc-<KMALLOC_MAX_CACHE_SIZE>
 * with -96 and -192, then the kmalloc-rcl-* and dma-kmalloc-* sets, in the
 * kernel's order (SLUB: kmalloc-8 .. kmalloc-8k; SLAB: kmalloc-32 .. kmalloc-4M).
 * SLUB is 6.18's: per type, the two caches that are not a power of two
 * first, then the powers of two; SLAB and SLOB are 6.1's, where -96 and
 * -192 come right after -64 and -128.  slabinfo lists newest first, so
 * under SLUB it ends "kmalloc-8 kmalloc-192 kmalloc-96" as the host's does.
 * Context: boot, after the allocator's kmem_cache_init().
 */
static void create_kmalloc_caches(void)
{
	if (mm_cfg.slab == MMFS_SLUB) {
		for (int type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++) {
			if (KMALLOC_MIN_SIZE <= 32)
				new_kmalloc_cache(1, (enum kmalloc_cache_type)type);
			if (KMALLOC_MIN_SIZE <= 64)
				new_kmalloc_cache(2, (enum kmalloc_cache_type)type);
			for (int i = (int)kmalloc_shift_low; i <= (int)kmalloc_shift_high; i++)
				if (!kmalloc_caches[type][i])
					new_kmalloc_cache(i, (enum kmalloc_cache_type)type);
		}
		slab_state = UP;
		return;
	}
	for (int type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++) {
		for (int i = (int)kmalloc_shift_low; i <= (int)kmalloc_shift_high; i++) {
			if (!kmalloc_caches[type][i])
				new_kmalloc_cache(i, (enum kmalloc_cache_type)type);
			/* the non-power-of-two caches right after their neighbours */
			if (KMALLOC_MIN_SIZE <= 32 && i == 6 && !kmalloc_caches[type][1])
				new_kmalloc_cache(1, (enum kmalloc_cache_type)type);
			if (KMALLOC_MIN_SIZE <= 64 && i == 7 && !kmalloc_caches[type][2])
				new_kmalloc_cache(2, (enum kmalloc_cache_type)type);
		}
	}
	slab_state = UP;
}

static inline enum kmalloc_cache_type kmalloc_type(gfp_t flags)
{
	if (likely((flags & (__GFP_DMA | __GFP_RECLAIMABLE)) == 0))
		return KMALLOC_NORMAL;
	if (flags & __GFP_DMA)
		return KMALLOC_DMA;
	return KMALLOC_RECLAIM;
}

/**
 * kmalloc_slab - the kmalloc cache serving size with flags
 * @size: 1 .. KMALLOC_MAX_CACHE_SIZE
 * @flags: gfp (__GFP_DMA and __GFP_RECLAIMABLE choose the type)
 *
 * Return: the cache, ZERO_SIZE_PTR for 0, NULL above the largest cache.
 */
struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags)
{
	unsigned int index;

	if (size <= 192) {
		if (!size)
			return (struct kmem_cache *)ZERO_SIZE_PTR;
		index = size_index[size_index_elem((unsigned int)size)];
	} else {
		if (size > KMALLOC_MAX_CACHE_SIZE)
			return NULL;
		index = (unsigned int)fls((unsigned int)size - 1);
	}
	return kmalloc_caches[kmalloc_type(flags)][index];
}

/*
 * MMFS: the kernel takes any name and sysfs refuses what it cannot be a
 * directory of (/sys/kernel/slab/NAME); mmfs refuses it at create, as a
 * valid sysfs name of 1..64 bytes: no "." or "..", no '/', no control or
 * other bytes outside [A-Za-z0-9_.:-].
 */
static bool cache_name_valid(const char *name)
{
	size_t n = strnlen(name, 65);

	if (!n || n > 64 || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == ':' || c == '-'))
			return false;
	}
	return true;
}

static char *kstrdup(const char *s, gfp_t gfp)
{
	size_t n = strlen(s) + 1;
	char *p = kmalloc(n, gfp);

	if (p)
		memcpy(p, s, n);
	return p;
}

/* create_cache() with slab_mutex held: 0 and *out, or -errno. */
static int create_cache_locked(const char *name, unsigned int object_size, unsigned int align,
			       slab_flags_t flags, void (*ctor)(void *), struct kmem_cache **out)
{
	struct kmem_cache *s;
	int err;

	if (slab_state < UP)
		return -EINVAL;
	if (!name || !cache_name_valid(name))
		return -EINVAL;
	if (object_size < 1 || object_size > KMALLOC_MAX_SIZE)
		return -EINVAL;
	if (align & (align - 1) || align > PAGE_SIZE)
		return -EINVAL;
	if (flags & ~SLAB_FLAGS_PERMITTED)
		return -EINVAL;
	if (find_cache_locked(name))
		return -EEXIST;
	flags &= SLAB_FLAGS_PERMITTED & ~(SLAB_KMALLOC);
	s = slab_alloc_ops->alloc(kmem_cache, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE, _RET_IP_, 0);
	if (!s)
		return -ENOMEM;
	s->name = kstrdup(name, GFP_KERNEL);
	if (!s->name) {
		kmem_cache_free(kmem_cache, s);
		return -ENOMEM;
	}
	s->name_allocated = true;
	s->object_size = s->size = object_size;
	s->align = calculate_alignment(flags, align, object_size);
	s->ctor = ctor;
	s->useroffset = 0;
	s->usersize = 0;
	s->refcount = 1;
	err = slab_alloc_ops->cache_create(s, flags);
	if (err) {
		kfree(s->name);
		kmem_cache_free(kmem_cache, s);
		return err;
	}
	list_add(&s->list, &slab_caches);
	*out = s;
	return 0;
}

/**
 * kmem_cache_create - create a cache
 * @name: unique, [A-Za-z0-9_.:-], at most 64 bytes (copied)
 * @size: object size, 1 .. KMALLOC_MAX_SIZE (4 MiB)
 * @align: 0 or a power of two up to PAGE_SIZE
 * @flags: SLAB_* flags (slub_debug= may add debug flags)
 * @ctor: constructor run on every object of a new slab, or NULL
 *
 * Context: may sleep; takes slab_mutex.
 * Return: the cache, or NULL (the reason is logged).
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	int err;

	mutex_lock(&slab_mutex);
	err = create_cache_locked(name, size, align, flags, ctor, &s);
	mutex_unlock(&slab_mutex);
	if (err) {
		printk("kmem_cache_create(%s) failed with error %d", name ? name : "(null)", err);
		if (flags & SLAB_PANIC)
			printk("kmem_cache_create: Failed to create slab '%s'. Error %d",
			       name ? name : "(null)", err);
		return NULL;
	}
	return s;
}

static int cache_destroy_locked(struct kmem_cache *s)
{
	int err;

	if (s->refcount < 0 || s == kmem_cache)
		return -EPERM;		/* boot and kmalloc caches are forever */
	err = slab_alloc_ops->cache_shutdown(s);
	if (err)
		return err;
	list_del(&s->list);
	slab_alloc_ops->cache_release(s);
	if (s->name_allocated)
		kfree(s->name);
	kmem_cache_free(kmem_cache, s);
	return 0;
}

/**
 * kmem_cache_destroy - destroy an empty cache
 * @s: the cache (NULL is ignored)
 *
 * MMFS: with live objects the kernel warns and leaks the cache; here the
 * cache stays as it was (mmfs_kmem_cache_destroy returns -EBUSY).
 */
void kmem_cache_destroy(struct kmem_cache *s)
{
	int err;

	if (!s)
		return;
	mutex_lock(&slab_mutex);
	err = cache_destroy_locked(s);
	mutex_unlock(&slab_mutex);
	if (err == -EBUSY)
		printk("kmem_cache_destroy %s: Slab cache still has objects", s->name);
}

/**
 * kmem_cache_shrink - release empty slabs and the cpu slabs of a cache
 * @s: the cache
 *
 * Return: 0 if every slab of the cache is now in use, 1 otherwise.
 */
int kmem_cache_shrink(struct kmem_cache *s)
{
	return slab_alloc_ops->cache_shrink(s);
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

unsigned int kmem_cache_size(const struct kmem_cache *s)
{
	return s->object_size;
}

/* ------------------------------------------------------- object API */
/**
 * kmem_cache_alloc_node - allocate an object from a cache
 * @s: the cache
 * @gfp: GFP_* (__GFP_ZERO zeroes the object)
 * @node: preferred node or NUMA_NO_NODE
 *
 * Return: the object (host pointer in the direct map), or NULL.
 */
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int node)
{
	void *ret = slab_alloc_ops->alloc(s, gfp, node, _RET_IP_, s->object_size);

	trace_kmem_cache_alloc(_RET_IP_, ret, s->name, s->object_size, s->size, gfp, node);
	return ret;
}

/** kmem_cache_alloc - kmem_cache_alloc_node() on any node (NUMA_NO_NODE) */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	void *ret = slab_alloc_ops->alloc(s, gfp, NUMA_NO_NODE, _RET_IP_, s->object_size);

	trace_kmem_cache_alloc(_RET_IP_, ret, s->name, s->object_size, s->size, gfp, NUMA_NO_NODE);
	return ret;
}

/**
 * kmem_cache_free - free an object back to its cache
 * @s: the cache the object came from (a wrong cache is reported and the
 *     object goes back to its real cache, as CONFIG_SLAB_FREELIST_HARDENED does)
 * @x: the object
 */
void kmem_cache_free(struct kmem_cache *s, void *x)
{
	struct slab *slab;

	if (unlikely(!x))
		return;
	slab = virt_to_slab(x);
	if (unlikely(!slab)) {
		printk("kmem_cache_free: object %p is not from a slab (cache %s)",
		       x, s ? s->name : "(null)");
		return;
	}
	if (unlikely(slab->slab_cache != s && slab->slab_cache)) {
		printk("WARNING: kmem_cache_free: Wrong slab cache. %s but object is from %s",
		       s ? s->name : "(null)", slab->slab_cache ? slab->slab_cache->name : "(none)");
		s = slab->slab_cache;
		if (!s)
			return;
	}
	trace_kmem_cache_free(_RET_IP_, x, s->name);
	slab_alloc_ops->free(s, slab, x, _RET_IP_);
}

/**
 * kmem_cache_alloc_bulk - allocate nr objects into p[]
 * @s: the cache
 * @gfp: gfp flags
 * @nr: how many
 * @p: where the objects go
 *
 * Return: nr, or 0 (and nothing allocated) on failure.
 */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t nr, void **p)
{
	if (!nr)
		return 0;
	return slab_alloc_ops->alloc_bulk(s, gfp, nr, p);
}

/**
 * kmem_cache_free_bulk - free nr objects of s (s NULL: kfree each)
 * @s: the cache or NULL
 * @nr: how many
 * @p: the objects
 */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t nr, void **p)
{
	/* MMFS: object by object (the kernel builds detached freelists per slab) */
	for (size_t i = 0; i < nr; i++) {
		if (s)
			kmem_cache_free(s, p[i]);
		else
			kfree(p[i]);
	}
}

/* ---------------------------------------------------------- kmalloc */
/**
 * kmalloc_fix_flags - strip the gfp bits a slab or kmalloc cannot honour
 * (__GFP_HIGHMEM, __GFP_DMA32, unknown bits), with the kernel's warning
 * @flags: gfp as given
 *
 * Return: the usable flags.
 */
gfp_t kmalloc_fix_flags(gfp_t flags)
{
	gfp_t invalid_mask = flags & GFP_SLAB_BUG_MASK;
	char a[160], b[160];

	flags &= ~GFP_SLAB_BUG_MASK;
	gfp_format(invalid_mask | flags, a, sizeof(a));
	gfp_format(flags, b, sizeof(b));
	printk("Unexpected gfp: %#x (%s). Fixing up to gfp: %#x (%s). Fix your code!",
	       invalid_mask | flags, a, flags, b);
	return flags;
}

/**
 * kmalloc_large_node - a kmalloc above KMALLOC_MAX_CACHE_SIZE: a compound
 * page block, counted in NR_SLAB_UNRECLAIMABLE_B as the kernel does
 * @size: bytes
 * @flags: gfp
 * @node: node or NUMA_NO_NODE
 *
 * Return: the block's address or NULL.
 */
void *kmalloc_large_node(size_t size, gfp_t flags, int node)
{
	struct page *page;
	unsigned int order;
	void *ptr;

	if (size > KMALLOC_MAX_SIZE)
		return NULL;
	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(flags);
	order = (unsigned int)get_order(size);
	flags |= __GFP_COMP;
	if (node == NUMA_NO_NODE)
		page = alloc_pages(flags, order);
	else
		page = alloc_pages_node(node, flags, order);
	if (!page)
		return NULL;
	ptr = page_address(page);
	if (!ptr) {
		__free_pages(page, order);
		return NULL;
	}
	mmfs_set_owner(page, MMFS_OWNER_KERNEL, MMFS_OWNER_ID_KMALLOC_LARGE);
	mod_node_page_state(NODE_DATA(page_to_nid(page)), NR_SLAB_UNRECLAIMABLE_B, (long)(PAGE_SIZE << order));
	return ptr;
}

void free_large_kmalloc(struct page *head, void *object)
{
	unsigned int order = compound_order(head);

	if (order == 0)
		printk("object pointer: 0x%lx", mmfs_kaddr(object));
	mod_node_page_state(NODE_DATA(page_to_nid(head)), NR_SLAB_UNRECLAIMABLE_B, -(long)(PAGE_SIZE << order));
	__free_pages(head, order);
}

static __always_inline void *__do_kmalloc_node(size_t size, gfp_t flags, int node,
					       unsigned long caller)
{
	struct kmem_cache *s;
	void *ret;

	if (unlikely(slab_alloc_ops->kmalloc)) {
		ret = slab_alloc_ops->kmalloc(size, flags, node, caller);
		trace_kmalloc(caller, ret, size, ret ? ksize(ret) : 0, flags, node);
		return ret;
	}
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE)) {
		ret = kmalloc_large_node(size, flags, node);
		trace_kmalloc(caller, ret, size, PAGE_SIZE << get_order(size), flags, node);
		return ret;
	}
	s = kmalloc_slab(size, flags);
	if (unlikely(ZERO_OR_NULL_PTR(s)))
		return s;
	ret = slab_alloc_ops->alloc(s, flags, node, caller, size);
	trace_kmalloc(caller, ret, size, s->size, flags, node);
	return ret;
}

/**
 * kmalloc - allocate size bytes from the kmalloc cache of that class, or
 * whole pages above KMALLOC_MAX_CACHE_SIZE (SLUB: 8 KiB; SLAB has caches up
 * to KMALLOC_MAX_SIZE; SLOB: its own kmalloc)
 * @size: bytes (0 gives ZERO_SIZE_PTR; above KMALLOC_MAX_SIZE NULL)
 * @gfp: __GFP_DMA picks dma-kmalloc-*, __GFP_RECLAIMABLE kmalloc-rcl-*
 *
 * Return: the object or NULL.
 */
void *kmalloc(size_t size, gfp_t gfp)
{
	return __do_kmalloc_node(size, gfp, NUMA_NO_NODE, _RET_IP_);
}

/** kmalloc_node - kmalloc() preferring node */
void *kmalloc_node(size_t size, gfp_t gfp, int node)
{
	return __do_kmalloc_node(size, gfp, node, _RET_IP_);
}

/** kzalloc - kmalloc() of zeroed memory */
void *kzalloc(size_t size, gfp_t gfp)
{
	return __do_kmalloc_node(size, gfp | __GFP_ZERO, NUMA_NO_NODE, _RET_IP_);
}

/** kcalloc - zeroed array of n elements of size bytes; NULL on overflow */
void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return __do_kmalloc_node(bytes, gfp | __GFP_ZERO, NUMA_NO_NODE, _RET_IP_);
}

/**
 * kfree - free a kmalloc'ed (or any slab) object or a large kmalloc block
 * @x: the object; NULL and ZERO_SIZE_PTR are ignored
 */
void kfree(const void *x)
{
	struct page *page;
	struct slab *slab;
	void *object = (void *)x;

	trace_kfree(_RET_IP_, x);
	if (unlikely(ZERO_OR_NULL_PTR(x)))
		return;
	page = compound_head(virt_to_page(x));
	if (unlikely(!PageSlab(page))) {
		free_large_kmalloc(page, object);
		return;
	}
	slab = page_slab(page);
	slab_alloc_ops->free(slab->slab_cache, slab, object, _RET_IP_);
}

/**
 * ksize - how many bytes of an allocation may be used
 * @objp: a kmalloc'ed object or large kmalloc block
 *
 * Return: the usable size, 0 for NULL/ZERO_SIZE_PTR or a non-kmalloc pointer.
 */
size_t ksize(const void *objp)
{
	struct page *page;
	struct slab *slab;

	if (unlikely(ZERO_OR_NULL_PTR(objp)))
		return 0;
	page = compound_head(virt_to_page(objp));
	if (unlikely(!PageSlab(page))) {
		/*
		 * SLOB (__ksize): a kmalloc of PAGE_SIZE - header and up is a
		 * plain page block, order 0 included; its size is the block's.
		 */
		if (slab_alloc_ops->kmalloc) {
			if (WARN_ON(objp != page_address(page)))
				return 0;
			return PAGE_SIZE << compound_order(page);
		}
		if (WARN_ON(!PageHead(page) || (PAGE_SIZE << compound_order(page)) <= KMALLOC_MAX_CACHE_SIZE))
			return 0;
		if (WARN_ON(objp != page_address(page)))
			return 0;
		return PAGE_SIZE << compound_order(page);
	}
	slab = page_slab(page);
	return slab_alloc_ops->ksize(slab->slab_cache, objp);
}

/**
 * krealloc - resize a kmalloc'ed object
 * @p: the object or NULL
 * @new_size: 0 frees @p and returns ZERO_SIZE_PTR
 * @gfp: gfp for a new allocation
 *
 * Return: @p if it is already big enough, else a new object holding the
 * old contents (@p freed), or NULL (@p untouched).
 */
void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	size_t ks = 0;
	void *ret;

	if (unlikely(!new_size)) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (!ZERO_OR_NULL_PTR(p))
		ks = ksize(p);
	if (ks >= new_size) {
		struct slab *slab = virt_to_slab(p);

		if ((gfp & __GFP_ZERO) && ks > new_size)
			memset((char *)p + new_size, 0, ks - new_size);
		/* the kmalloc redzone follows the new size */
		if (slab && slab_alloc_ops->krealloc_resize)
			slab_alloc_ops->krealloc_resize(slab->slab_cache, (void *)p, new_size);
		return (void *)p;
	}
	ret = __do_kmalloc_node(new_size, gfp, NUMA_NO_NODE, _RET_IP_);
	if (ret && ks)
		memcpy(ret, p, ks);
	if (ret)
		kfree(p);
	return ret;
}

/** virt_to_slab - the slab holding addr, NULL if its page is not a slab page */
struct slab *virt_to_slab(const void *addr)
{
	struct page *page = virt_to_page(addr);

	if (!page)
		return NULL;
	page = compound_head(page);
	if (!PageSlab(page))
		return NULL;
	return page_slab(page);
}

/* ---------------------------------------------- checked entry points */
static const struct { const char *name; slab_flags_t flag; } slab_flag_names[] = {
	{ "SLAB_CONSISTENCY_CHECKS", SLAB_CONSISTENCY_CHECKS },
	{ "SLAB_RED_ZONE", SLAB_RED_ZONE },
	{ "SLAB_POISON", SLAB_POISON },
	{ "SLAB_HWCACHE_ALIGN", SLAB_HWCACHE_ALIGN },
	{ "SLAB_CACHE_DMA", SLAB_CACHE_DMA },
	{ "SLAB_CACHE_DMA32", SLAB_CACHE_DMA32 },
	{ "SLAB_STORE_USER", SLAB_STORE_USER },
	{ "SLAB_PANIC", SLAB_PANIC },
	{ "SLAB_TYPESAFE_BY_RCU", SLAB_TYPESAFE_BY_RCU },
	{ "SLAB_MEM_SPREAD", SLAB_MEM_SPREAD },
	{ "SLAB_TRACE", SLAB_TRACE },
	{ "SLAB_NOLEAKTRACE", SLAB_NOLEAKTRACE },
	{ "SLAB_FAILSLAB", SLAB_FAILSLAB },
	{ "SLAB_ACCOUNT", SLAB_ACCOUNT },
	{ "SLAB_RECLAIM_ACCOUNT", SLAB_RECLAIM_ACCOUNT },
	{ "SLAB_NO_USER_FLAGS", SLAB_NO_USER_FLAGS },
};

/* "SLAB_HWCACHE_ALIGN|SLAB_POISON", "0", "0x2000" or "": 0 or -EINVAL. */
static int slab_flags_parse(const char *str, slab_flags_t *out, char *err, size_t errlen)
{
	slab_flags_t flags = 0;
	const char *p = str;

	if (!str || !*str) {
		*out = 0;
		return 0;
	}
	for (;;) {
		const char *e = strchr(p, '|');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		bool found = false;

		if (!n)
			goto bad;	/* "A||B", "A|" */
		if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
			char tmp[24], *end;
			unsigned long v;

			if (n >= sizeof(tmp))
				goto bad;
			memcpy(tmp, p, n);
			tmp[n] = '\0';
			v = strtoul(tmp, &end, 16);
			if (*end || v > 0xffffffffUL)
				goto bad;
			flags |= (slab_flags_t)v;
			found = true;
		} else if (n == 1 && p[0] == '0') {
			found = true;
		} else {
			for (size_t i = 0; i < ARRAY_SIZE(slab_flag_names); i++) {
				if (strlen(slab_flag_names[i].name) == n &&
				    !strncmp(slab_flag_names[i].name, p, n)) {
					flags |= slab_flag_names[i].flag;
					found = true;
					break;
				}
			}
		}
		if (!found)
			goto bad;
		if (!e)
			break;
		p = e + 1;
	}
	if (flags & ~SLAB_FLAGS_PERMITTED || flags & SLAB_KMALLOC) {
		snprintf(err, errlen, "flags 0x%x not permitted", flags);
		return -EINVAL;
	}
	*out = flags;
	return 0;
bad:
	snprintf(err, errlen, "unknown slab flag in '%s'", str);
	return -EINVAL;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/**
 * mmfs_kmem_cache_create - kmem_cache_create for untrusted callers
 * @name: new cache name ([A-Za-z0-9_.:-], 1..64 bytes, unique)
 * @size: object size, 1 .. KMALLOC_MAX_SIZE (4 MiB)
 * @align: 0 or a power of two <= PAGE_SIZE
 * @flags: "SLAB_HWCACHE_ALIGN|SLAB_POISON|..." or "" / NULL
 * @err: reason on failure
 * @errlen: size of @err
 *
 * Return: 0, -EINVAL, -EEXIST or -ENOMEM; nothing changes on error.
 */
int mmfs_kmem_cache_create(const char *name, unsigned int size, unsigned int align,
			   const char *flags, char *err, size_t errlen)
{
	slab_flags_t f;
	struct kmem_cache *s;
	int ret;

	if (!name || !cache_name_valid(name)) {
		set_err(err, errlen, "invalid cache name");
		return -EINVAL;
	}
	if (size < 1 || size > KMALLOC_MAX_SIZE) {
		set_err(err, errlen, "size must be 1..%lu", KMALLOC_MAX_SIZE);
		return -EINVAL;
	}
	if ((align & (align - 1)) || align > PAGE_SIZE) {
		set_err(err, errlen, "align must be 0 or a power of two <= %lu", PAGE_SIZE);
		return -EINVAL;
	}
	ret = slab_flags_parse(flags, &f, err, errlen);
	if (ret)
		return ret;
	mutex_lock(&slab_mutex);
	ret = create_cache_locked(name, size, align, f, NULL, &s);
	mutex_unlock(&slab_mutex);
	if (ret == -EEXIST)
		set_err(err, errlen, "cache %s exists", name);
	else if (ret == -ENOMEM)
		set_err(err, errlen, "out of memory");
	else if (ret)
		set_err(err, errlen, "cannot create cache %s (size %u)", name, size);
	return ret;
}

/**
 * mmfs_kmem_cache_destroy - destroy the cache called name
 * @name: cache name
 * @err: reason on failure
 * @errlen: size of @err
 *
 * Return: 0, -ENOENT, -EBUSY (live objects; nothing changes) or -EPERM
 * (kmalloc and boot caches).
 */
int mmfs_kmem_cache_destroy(const char *name, char *err, size_t errlen)
{
	struct kmem_cache *s;
	int ret;

	if (!name) {
		set_err(err, errlen, "no name");
		return -EINVAL;
	}
	mutex_lock(&slab_mutex);
	s = find_cache_locked(name);
	ret = s ? cache_destroy_locked(s) : -ENOENT;
	mutex_unlock(&slab_mutex);
	if (ret == -ENOENT)
		set_err(err, errlen, "no cache %s", name);
	else if (ret == -EBUSY)
		set_err(err, errlen, "cache %s has objects", name);
	else if (ret == -EPERM)
		set_err(err, errlen, "cache %s cannot be destroyed", name);
	return ret;
}

/** mmfs_kmem_cache_shrink - kmem_cache_shrink() by name: 0 or -ENOENT */
int mmfs_kmem_cache_shrink(const char *name)
{
	struct kmem_cache *s;

	if (!name)
		return -EINVAL;
	mutex_lock(&slab_mutex);
	s = find_cache_locked(name);
	if (s)
		slab_alloc_ops->cache_shrink(s);
	mutex_unlock(&slab_mutex);
	return s ? 0 : -ENOENT;
}

/**
 * mmfs_kmem_cache_alloc - allocate one object of the cache called name
 * @name: cache name
 * @gfp: gfp flags (checked with gfp_check)
 * @nid: node or NUMA_NO_NODE
 * @kaddr: the object's direct-map address
 * @objsize: object_size (may be NULL)
 *
 * Return: 0, -EINVAL (also for a cache without a fixed object size),
 * -ENOENT or -ENOMEM.
 */
int mmfs_kmem_cache_alloc(const char *name, gfp_t gfp, int nid, unsigned long *kaddr,
			  unsigned int *objsize)
{
	struct kmem_cache *s;
	void *obj = NULL;

	if (!name || gfp_check(gfp) || nid < NUMA_NO_NODE || nid >= nr_online_nodes)
		return -EINVAL;
	mutex_lock(&slab_mutex);
	s = find_cache_locked(name);
	if (s && !s->object_size) {
		/* not a cache of fixed-size objects (SLOB's kmalloc heap) */
		mutex_unlock(&slab_mutex);
		return -EINVAL;
	}
	if (s) {
		obj = slab_alloc_ops->alloc(s, gfp, nid, _RET_IP_, s->object_size);
		trace_kmem_cache_alloc(_RET_IP_, obj, s->name, s->object_size, s->size, gfp, nid);
		if (obj) {
			*kaddr = mmfs_kaddr(obj);
			if (objsize)
				*objsize = s->object_size;
		}
	}
	mutex_unlock(&slab_mutex);
	if (!s)
		return -ENOENT;
	return obj ? 0 : -ENOMEM;
}

/* Is ptr the start of an allocated object?  0 and *info, or -EINVAL. */
static int checked_object(void *ptr, struct slab_object_info *info, char *err, size_t errlen)
{
	if (!ptr || slab_alloc_ops->object_info(ptr, info)) {
		set_err(err, errlen, "not a slab object");
		return -EINVAL;
	}
	if (info->object != ptr) {
		set_err(err, errlen, "not the start of an object (object at 0x%lx)",
			mmfs_kaddr(info->object));
		return -EINVAL;
	}
	if (info->is_free) {
		set_err(err, errlen, "object already free");
		return -EINVAL;
	}
	return 0;
}

/**
 * mmfs_kmem_cache_free - free an object after checking it is the start of
 * an allocated object of that cache
 * @name: cache name
 * @kaddr: direct-map address of the object
 * @err: reason on failure
 * @errlen: size of @err
 *
 * Return: 0, -ENOENT (no cache) or -EINVAL (not an object, free already,
 * other cache); nothing changes on error.
 */
int mmfs_kmem_cache_free(const char *name, unsigned long kaddr, char *err, size_t errlen)
{
	struct slab_object_info info;
	struct kmem_cache *s;
	void *ptr = mmfs_kaddr_to_ptr(kaddr);
	int ret;

	if (!name) {
		set_err(err, errlen, "no name");
		return -EINVAL;
	}
	mutex_lock(&slab_mutex);
	s = find_cache_locked(name);
	if (!s) {
		set_err(err, errlen, "no cache %s", name);
		ret = -ENOENT;
		goto out;
	}
	ret = checked_object(ptr, &info, err, errlen);
	if (ret)
		goto out;
	if (info.s != s) {
		set_err(err, errlen, "object belongs to %s", info.s->name);
		ret = -EINVAL;
		goto out;
	}
	trace_kmem_cache_free(_RET_IP_, ptr, s->name);
	slab_alloc_ops->free(s, info.slab, ptr, _RET_IP_);
out:
	mutex_unlock(&slab_mutex);
	return ret;
}

/**
 * mmfs_kmalloc - kmalloc for untrusted callers
 * @size: 1 .. KMALLOC_MAX_SIZE (4 MiB)
 * @gfp: gfp flags
 * @nid: node or NUMA_NO_NODE
 * @kaddr: the object's direct-map address
 * @cache: the name of the cache owning the object's slab ("kmalloc-64";
 *         under SLOB "kmalloc", its kmalloc heap), "" for whole pages
 * @cachelen: size of @cache
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int mmfs_kmalloc(size_t size, gfp_t gfp, int nid, unsigned long *kaddr, char *cache, size_t cachelen)
{
	struct slab *slab;
	void *obj;

	if (size < 1 || size > KMALLOC_MAX_SIZE || gfp_check(gfp) ||
	    nid < NUMA_NO_NODE || nid >= nr_online_nodes)
		return -EINVAL;
	mutex_lock(&slab_mutex);
	obj = __do_kmalloc_node(size, gfp, nid, _RET_IP_);
	slab = obj ? virt_to_slab(obj) : NULL;
	if (cache && cachelen)
		snprintf(cache, cachelen, "%s",
			 slab && slab->slab_cache ? slab->slab_cache->name : "");
	mutex_unlock(&slab_mutex);
	if (!obj)
		return -ENOMEM;
	*kaddr = mmfs_kaddr(obj);
	return 0;
}

/* A large kmalloc block starting exactly at ptr? */
static struct page *large_kmalloc_head(void *ptr)
{
	struct page *page = virt_to_page(ptr);
	struct page_owner *po;

	if (!page || PageTail(page) || PageSlab(page) || page_address(page) != ptr)
		return NULL;
	po = get_page_owner(page);
	if (!po || po->kind != MMFS_OWNER_KERNEL || po->owner_id != MMFS_OWNER_ID_KMALLOC_LARGE)
		return NULL;
	return page;
}

/**
 * mmfs_kfree - kfree of a checked address: the start of an allocated slab
 * object or of a large kmalloc block
 * @kaddr: direct-map address
 * @err: reason on failure
 * @errlen: size of @err
 *
 * Return: 0 or -EINVAL (nothing changes).
 */
int mmfs_kfree(unsigned long kaddr, char *err, size_t errlen)
{
	struct slab_object_info info;
	struct page *head;
	void *ptr = mmfs_kaddr_to_ptr(kaddr);
	int ret = 0;

	if (!ptr) {
		set_err(err, errlen, "not a direct-map address");
		return -EINVAL;
	}
	mutex_lock(&slab_mutex);
	head = large_kmalloc_head(ptr);
	if (head) {
		trace_kfree(_RET_IP_, ptr);
		free_large_kmalloc(head, ptr);
		goto out;
	}
	ret = checked_object(ptr, &info, err, errlen);
	if (ret)
		goto out;
	trace_kfree(_RET_IP_, ptr);
	slab_alloc_ops->free(info.s, info.slab, ptr, _RET_IP_);
out:
	mutex_unlock(&slab_mutex);
	return ret;
}

/** mmfs_ksize - ksize() of a checked object address: 0 or -EINVAL */
int mmfs_ksize(unsigned long kaddr, size_t *size)
{
	struct slab_object_info info;
	struct page *head;
	void *ptr = mmfs_kaddr_to_ptr(kaddr);
	int ret = 0;

	if (!ptr)
		return -EINVAL;
	mutex_lock(&slab_mutex);
	head = large_kmalloc_head(ptr);
	if (head) {
		*size = PAGE_SIZE << compound_order(head);
	} else if (!(ret = checked_object(ptr, &info, NULL, 0))) {
		*size = slab_alloc_ops->ksize(info.s, ptr);
	}
	mutex_unlock(&slab_mutex);
	return ret;
}

/**
 * mmfs_slab_object_at - the allocated object covering kaddr
 * @kaddr: any address inside the object
 * @cache: its cache name
 * @cachelen: size of @cache
 * @start: the object's start address
 * @objsize: object_size
 *
 * Return: 0, or -ENOENT if kaddr is not inside an allocated slab object.
 */
int mmfs_slab_object_at(unsigned long kaddr, char *cache, size_t cachelen,
			unsigned long *start, unsigned int *objsize)
{
	struct slab_object_info info;
	void *ptr = mmfs_kaddr_to_ptr(kaddr);
	int ret = -ENOENT;

	if (!ptr)
		return -ENOENT;
	mutex_lock(&slab_mutex);
	if (!slab_alloc_ops->object_info(ptr, &info) && info.in_object && !info.is_free) {
		if (cache && cachelen)
			snprintf(cache, cachelen, "%s", info.s->name);
		if (start)
			*start = mmfs_kaddr(info.object);
		if (objsize)
			*objsize = info.s->object_size;
		ret = 0;
	}
	mutex_unlock(&slab_mutex);
	return ret;
}

/* ------------------------------------------------------ what fs/ shows */
/*
 * MMFS: caches are never merged (the kernel's find_mergeable/__kmem_cache_alias
 * are left out), so there are no ":[flags-]size" ids and no aliases:
 * every cache has its own directory and "aliases" reads 0.
 */
int mmfs_cache_for_each(int (*fn)(const char *name, const char *alias_of, void *arg), void *arg)
{
	struct kmem_cache *s;
	int ret = 0;

	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		ret = fn(s->name, NULL, arg);
		if (ret)
			break;
	}
	mutex_unlock(&slab_mutex);
	return ret;
}

/** mmfs_cache_exists - is there a cache called name? */
bool mmfs_cache_exists(const char *name)
{
	bool ret;

	if (!name)
		return false;
	mutex_lock(&slab_mutex);
	ret = find_cache_locked(name) != NULL;
	mutex_unlock(&slab_mutex);
	return ret;
}

/** mmfs_cache_attrs - the booted allocator's attribute table (NULL-name terminated) */
const struct mmfs_slab_attr *mmfs_cache_attrs(void)
{
	return slab_alloc_ops ? slab_alloc_ops->attrs : NULL;
}

/* The allocator's entry for attr, or NULL. */
static const struct mmfs_slab_attr *find_cache_attr(const char *attr)
{
	const struct mmfs_slab_attr *a;

	if (!slab_alloc_ops || !slab_alloc_ops->attrs)
		return NULL;
	for (a = slab_alloc_ops->attrs; a->name; a++)
		if (!strcmp(a->name, attr))
			return a;
	return NULL;
}

/* The SLAB_* flag files (SLUB's FLAG_ATTR sysfs attributes), shown alike
 * by every allocator that lists them. */
static const struct { const char *name; slab_flags_t flag; } slab_flag_attrs[] = {
	{ "cache_dma", SLAB_CACHE_DMA },
	{ "destroy_by_rcu", SLAB_TYPESAFE_BY_RCU },
	{ "hwcache_align", SLAB_HWCACHE_ALIGN },
	{ "poison", SLAB_POISON },
	{ "reclaim_account", SLAB_RECLAIM_ACCOUNT },
	{ "red_zone", SLAB_RED_ZONE },
	{ "sanity_checks", SLAB_CONSISTENCY_CHECKS },
	{ "store_user", SLAB_STORE_USER },
	{ "trace", SLAB_TRACE },
};

/* "0\n" / "1\n" for a flag attribute: its length, or -ENOENT if attr is none. */
static long slab_flag_attr_show(struct kmem_cache *s, const char *attr, char *buf, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(slab_flag_attrs); i++) {
		if (!strcmp(attr, slab_flag_attrs[i].name)) {
			int n = snprintf(buf, len, "%d\n", !!(s->flags & slab_flag_attrs[i].flag));

			return n < 0 ? 0 : (long)min((size_t)n, len - 1);
		}
	}
	return -ENOENT;
}

/**
 * mmfs_cache_attr_show - render /sys/kernel/slab/CACHE/ATTR into buf
 * @cache: cache name
 * @attr: attribute name (one of the allocator's table)
 * @buf: output
 * @len: size of @buf
 *
 * The flag attributes are rendered here, the rest by the allocator.
 * Return: bytes written, or -ENOENT (no such cache or attribute), -EINVAL
 * for a zero-sized buffer.
 */
long mmfs_cache_attr_show(const char *cache, const char *attr, char *buf, size_t len)
{
	struct kmem_cache *s;
	long ret;

	if (!cache || !attr || !find_cache_attr(attr))
		return -ENOENT;
	if (!buf || !len)
		return -EINVAL;
	buf[0] = '\0';
	mutex_lock(&slab_mutex);
	s = find_cache_locked(cache);
	ret = s ? slab_flag_attr_show(s, attr, buf, len) : -ENOENT;
	if (s && ret == -ENOENT)
		ret = slab_alloc_ops->attr_show(s, attr, buf, len);
	mutex_unlock(&slab_mutex);
	return ret;
}

/**
 * mmfs_cache_attr_store - write an attribute (shrink, validate, cpu_partial,
 * min_partial, remote_node_defrag_ratio)
 * @cache: cache name
 * @attr: attribute name
 * @buf: the value ("1\n")
 * @len: its length
 *
 * The attribute is looked up in the allocator's table here; the triggers
 * every allocator has (shrink, validate) run here too, through the
 * allocator's cache_shrink and validate; the allocator's attr_store gets
 * the rest (SLUB's tunables).
 *
 * Return: 0, -EINVAL, -EPERM (read-only) or -ENOENT.
 */
int mmfs_cache_attr_store(const char *cache, const char *attr, const char *buf, size_t len)
{
	const struct mmfs_slab_attr *a;
	struct kmem_cache *s;
	int ret;

	if (!cache || !attr || !buf || !(a = find_cache_attr(attr)))
		return -ENOENT;
	mutex_lock(&slab_mutex);
	s = find_cache_locked(cache);
	if (!s) {
		ret = -ENOENT;
	} else if (!(a->mode & 0200)) {
		ret = -EPERM;
	} else if (!strcmp(attr, "shrink") || !strcmp(attr, "validate")) {
		ret = slab_attr_trigger_value(buf, len);
		if (!ret && !strcmp(attr, "shrink"))
			slab_alloc_ops->cache_shrink(s);
		else if (!ret)
			slab_alloc_ops->validate(s, NULL, NULL, NULL);
	} else {
		ret = slab_alloc_ops->attr_store ? slab_alloc_ops->attr_store(s, attr, buf, len) : -EPERM;
	}
	mutex_unlock(&slab_mutex);
	return ret;
}

/* print_slabinfo_header() + cache_show() for every cache, newest first */
/**
 * mmfs_slabinfo_render - /proc/slabinfo 2.1, caches newest first
 * @len: length of the text
 * @err: 0, -ENOENT (no slabinfo: SLOB) or -ENOMEM
 *
 * Return: malloc'd text (caller frees) or NULL.
 */
char *mmfs_slabinfo_render(size_t *len, int *err)
{
	char *buf = NULL;
	size_t l = 0, cap = 0;
	struct kmem_cache *s;

	*len = 0;
	if (!slab_alloc_ops || !slab_alloc_ops->has_slabinfo) {
		if (err)
			*err = -ENOENT;
		return NULL;
	}
	slab_report_append(&buf, &l, &cap, "slabinfo - version: 2.1\n");
	slab_report_append(&buf, &l, &cap, "# name            <active_objs> <num_objs> <objsize> "
			   "<objperslab> <pagesperslab> : tunables <limit> <batchcount> "
			   "<sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		struct slabinfo si;

		memset(&si, 0, sizeof(si));
		slab_alloc_ops->get_slabinfo(s, &si);
		slab_report_append(&buf, &l, &cap, "%-17s %6lu %6lu %6u %4u %4d", s->name,
				   si.active_objs, si.num_objs, s->size, si.objects_per_slab,
				   1 << si.cache_order);
		slab_report_append(&buf, &l, &cap, " : tunables %4u %4u %4u", si.limit,
				   si.batchcount, si.shared);
		slab_report_append(&buf, &l, &cap, " : slabdata %6lu %6lu %6lu\n", si.active_slabs,
				   si.num_slabs, si.shared_avail);
	}
	mutex_unlock(&slab_mutex);
	if (!buf) {
		if (err)
			*err = -ENOMEM;
		return NULL;
	}
	*len = l;
	if (err)
		*err = 0;
	return buf;
}

/* "NAME LIMIT BATCHCOUNT SHARED" (SLAB only) */
/** mmfs_slabinfo_write - "NAME LIMIT BATCHCOUNT SHARED" (SLAB only; -EIO otherwise) */
int mmfs_slabinfo_write(const char *buf, size_t len)
{
	char tmp[256], name[80];
	struct kmem_cache *s;
	int ret;

	if (!buf || !len || len >= sizeof(tmp))
		return -EINVAL;
	if (!slab_alloc_ops || !slab_alloc_ops->slabinfo_write)
		return -EIO;
	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	if (sscanf(tmp, "%79s", name) != 1)
		return -EINVAL;
	mutex_lock(&slab_mutex);
	s = find_cache_locked(name);
	ret = s ? slab_alloc_ops->slabinfo_write(s, tmp + strlen(name)) : -EINVAL;
	mutex_unlock(&slab_mutex);
	return ret;
}

/** mmfs_slab_allocator_name - "SLUB", "SLAB" or "SLOB" */
const char *mmfs_slab_allocator_name(void)
{
	if (slab_alloc_ops)
		return slab_alloc_ops->name;
	switch (mm_cfg.slab) {
	case MMFS_SLAB: return "SLAB";
	case MMFS_SLOB: return "SLOB";
	default: return "SLUB";
	}
}

/* ------------------------------------------------ validate and lookup */
static int slab_validate_all(char **buf, size_t *len, size_t *cap)
{
	struct kmem_cache *s;
	int count = 0;

	if (!slab_alloc_ops || slab_state < UP)
		return 0;
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list)
		count += slab_alloc_ops->validate(s, buf, len, cap);
	mutex_unlock(&slab_mutex);
	return count;
}

static int slab_lookup(unsigned long kaddr, char *out, size_t len)
{
	struct slab_object_info info;
	struct page *head;
	void *ptr = mmfs_kaddr_to_ptr(kaddr);
	int n = 0;

	if (!ptr || !slab_alloc_ops || slab_state < UP)
		return 0;
	if (!slab_alloc_ops->object_info(ptr, &info)) {
		n = snprintf(out, len, "cache=%s slab=0x%lx object=0x%lx index=%u %s",
			     info.s->name, mmfs_page_kaddr(slab_page(info.slab)),
			     mmfs_kaddr(info.object), info.index,
			     !info.in_object ? "metadata" : info.is_free ? "free" : "in_use");
	} else if ((head = large_kmalloc_head(ptr)) != NULL) {
		n = snprintf(out, len, "kmalloc_large size=%lu", PAGE_SIZE << compound_order(head));
	}
	if (n < 0)
		n = 0;
	if (len && (size_t)n >= len)
		n = (int)len - 1;
	return n;
}

static const struct mmfs_validator slab_validator = {
	.name = "slab",
	.validate = slab_validate_all,
	.lookup = slab_lookup,
};

/* ------------------------------------------------------ boot/shutdown */
/**
 * mmfs_slab_boot - kmem_cache_init() and the kmalloc caches for mm_cfg.slab
 *
 * Context: called by mm_boot() once the page allocator works.
 * Return: 0, or -EINVAL when the chosen allocator is not built.
 */
int mmfs_slab_boot(void)
{
	const struct slab_allocator_ops *ops;
	int err;

	switch (mm_cfg.slab) {
	case MMFS_SLAB: ops = &slab_ops; break;
	case MMFS_SLOB: ops = &slob_ops; break;
	default: ops = &slub_ops; break;
	}
	if (!ops || !ops->kmem_cache_init) {
		printk("slab=%s not built", mm_cfg.slab == MMFS_SLAB ? "slab" : "slob");
		return -EINVAL;
	}
	spin_lock_init(&rng_lock);
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		rng_state ^= (uint64_t)ts.tv_nsec * 0x2545f4914f6cdd1dull ^ (uint64_t)ts.tv_sec;
	}
	setup_slub_debug(mm_cfg.slub_debug);
	/* the kmalloc geometry of the chosen allocator (slab.h) */
	switch (mm_cfg.slab) {
	case MMFS_SLAB:
		kmalloc_shift_low = KMALLOC_SHIFT_LOW_SLAB;
		kmalloc_shift_high = KMALLOC_SHIFT_HIGH_SLAB;
		break;
	case MMFS_SLOB:
		kmalloc_shift_low = KMALLOC_SHIFT_LOW;
		kmalloc_shift_high = KMALLOC_SHIFT_HIGH_SLOB;
		break;
	default:
		kmalloc_shift_low = KMALLOC_SHIFT_LOW;
		kmalloc_shift_high = KMALLOC_SHIFT_HIGH;
		break;
	}
	INIT_LIST_HEAD(&slab_caches);
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
	slab_state = DOWN;
	slab_alloc_ops = ops;
	setup_kmalloc_cache_index_table();
	err = ops->kmem_cache_init();
	if (err) {
		slab_alloc_ops = NULL;
		return err;
	}
	if (ops->kmalloc)
		goto done;	/* SLOB has no kmalloc caches: its own kmalloc */
	create_kmalloc_caches();
done:
	slab_state = FULL;
	mmfs_register_validator(&slab_validator);
	return 0;
}

/**
 * mmfs_slab_shutdown - forget every cache and give every slab page back
 * Context: mm_shutdown(), no other thread in the slab layer.
 */
void mmfs_slab_shutdown(void)
{
	if (slab_alloc_ops && slab_alloc_ops->kmem_cache_teardown)
		slab_alloc_ops->kmem_cache_teardown();
	INIT_LIST_HEAD(&slab_caches);
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
	kmem_cache = NULL;
	slab_alloc_ops = NULL;
	slab_state = DOWN;
}

/**
 * mmfs_slab_page_cache - name of the cache that owns a slab page
 * @page: any page of the slab
 * @name: where to copy the cache name
 * @len: size of @name
 *
 * Context: takes slab_mutex, so the cache cannot be destroyed meanwhile.
 * Return: 0, or -ENOENT if the page is not a slab page.
 */
int mmfs_slab_page_cache(const struct page *page, char *name, size_t len)
{
	const struct slab *slab = (const struct slab *)compound_head(page);
	int ret = -ENOENT;

	mutex_lock(&slab_mutex);
	if (PageSlab((const struct page *)slab) && slab->slab_cache) {
		snprintf(name, len, "%s", slab->slab_cache->name);
		ret = 0;
	}
	mutex_unlock(&slab_mutex);
	return ret;
}
