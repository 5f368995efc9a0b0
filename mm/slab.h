/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slab.h - the slab API (include/linux/slab.h) and the checked, name-based
 * entry points fs/ uses (mmfs_*).  Implemented by slab_common.c, which
 * dispatches to slub.c, slab.c or slob.c (mm_cfg.slab).  The internal
 * structures (struct kmem_cache, struct slab) live in slab_internal.h.
 */
#ifndef MMFS_SLAB_H
#define MMFS_SLAB_H
#include "mm.h"

typedef unsigned int slab_flags_t;
#define SLAB_CONSISTENCY_CHECKS	((slab_flags_t)0x00000100U)
#define SLAB_RED_ZONE		((slab_flags_t)0x00000400U)
#define SLAB_POISON		((slab_flags_t)0x00000800U)
#define SLAB_HWCACHE_ALIGN	((slab_flags_t)0x00002000U)
#define SLAB_CACHE_DMA		((slab_flags_t)0x00004000U)
#define SLAB_CACHE_DMA32	((slab_flags_t)0x00008000U)
#define SLAB_STORE_USER		((slab_flags_t)0x00010000U)
#define SLAB_PANIC		((slab_flags_t)0x00040000U)
#define SLAB_TYPESAFE_BY_RCU	((slab_flags_t)0x00080000U)
#define SLAB_MEM_SPREAD		((slab_flags_t)0x00100000U)
#define SLAB_TRACE		((slab_flags_t)0x00200000U)
#define SLAB_NOLEAKTRACE	((slab_flags_t)0x00800000U)
#define SLAB_FAILSLAB		((slab_flags_t)0x02000000U)
#define SLAB_ACCOUNT		((slab_flags_t)0x04000000U)
#define SLAB_RECLAIM_ACCOUNT	((slab_flags_t)0x00020000U)
#define SLAB_NO_USER_FLAGS	((slab_flags_t)0x10000000U)

/*
 * kmalloc geometry (include/linux/slab.h of 6.1).  The kernel fixes it at
 * build time per allocator; mmfs picks the allocator at boot (slab=), so the
 * values that differ are variables set by mmfs_slab_boot():
 *                 KMALLOC_SHIFT_LOW  KMALLOC_SHIFT_HIGH          caches
 *   SLUB          3                  PAGE_SHIFT + 1 (13)         kmalloc-8 .. kmalloc-8k
 *   SLAB          5                  min(MAX_ORDER+PAGE_SHIFT-1, 25) = 22
 *                                                                kmalloc-32 .. kmalloc-4M
 *   SLOB          3                  PAGE_SHIFT (12)             none (SLOB's own kmalloc)
 * The macros are the SLUB values; kmalloc_shift_low/high the booted ones.
 */
#define KMALLOC_SHIFT_HIGH	(PAGE_SHIFT + 1)	/* SLUB: largest kmalloc cache 8 KiB */
#define KMALLOC_SHIFT_LOW	3			/* SLUB: smallest kmalloc cache 8 bytes */
#define KMALLOC_SHIFT_LOW_SLAB	5			/* SLAB: kmalloc-32 */
#define KMALLOC_SHIFT_HIGH_SLAB	((MAX_ORDER + PAGE_SHIFT - 1) <= 25 ? \
				 (MAX_ORDER + PAGE_SHIFT - 1) : 25)	/* SLAB: kmalloc-4M */
#define KMALLOC_SHIFT_HIGH_SLOB	PAGE_SHIFT
extern unsigned int kmalloc_shift_low;		/* booted allocator's KMALLOC_SHIFT_LOW */
extern unsigned int kmalloc_shift_high;		/* booted allocator's KMALLOC_SHIFT_HIGH */
#define KMALLOC_MAX_CACHE_SIZE	(1UL << kmalloc_shift_high)	/* largest kmalloc cache */
#define KMALLOC_MIN_SIZE	(1U << kmalloc_shift_low)	/* smallest kmalloc cache */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

struct kmem_cache;

/* ---- the kernel API ---- */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *s);
int kmem_cache_shrink(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int node);
void kmem_cache_free(struct kmem_cache *s, void *obj);
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t nr, void **p);
void kmem_cache_free_bulk(struct kmem_cache *s, size_t nr, void **p);
void *kmalloc(size_t size, gfp_t gfp);
void *kmalloc_node(size_t size, gfp_t gfp, int node);
void *kzalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
void kfree(const void *obj);
size_t ksize(const void *obj);
const char *kmem_cache_name(const struct kmem_cache *s);
unsigned int kmem_cache_size(const struct kmem_cache *s);	/* object_size */

/* ---- checked entry points for untrusted callers (control, fuzzers) ----
 * Everything is addressed by name and by kernel address (0xffff888...):
 * validate first, change nothing on error.  Return 0 or -errno:
 * -EINVAL bad argument / not an object / double free / wrong cache,
 * -EEXIST name taken, -ENOENT no such cache, -EBUSY live objects, -ENOMEM. */
int mmfs_kmem_cache_create(const char *name, unsigned int size, unsigned int align,
			   const char *flags, char *err, size_t errlen);
int mmfs_kmem_cache_destroy(const char *name, char *err, size_t errlen);
int mmfs_kmem_cache_shrink(const char *name);
int mmfs_kmem_cache_alloc(const char *name, gfp_t gfp, int nid, unsigned long *kaddr,
			  unsigned int *objsize);
int mmfs_kmem_cache_free(const char *name, unsigned long kaddr, char *err, size_t errlen);
int mmfs_kmalloc(size_t size, gfp_t gfp, int nid, unsigned long *kaddr,
		 char *cache, size_t cachelen);		/* cache "kmalloc-64" (SLOB: its heap
							 * "kmalloc", not in caches/), "" if pages */
int mmfs_kfree(unsigned long kaddr, char *err, size_t errlen);
int mmfs_ksize(unsigned long kaddr, size_t *size);
/* Which live object is at kaddr: 0 and its cache name, start address and
 * object size; -ENOENT if kaddr is not inside an allocated object. */
int mmfs_slab_object_at(unsigned long kaddr, char *cache, size_t cachelen,
			unsigned long *start, unsigned int *objsize);

/* The cache a slab page belongs to (page->slab_cache), copied into name:
 * 0, or -ENOENT if page is not (or no longer) a slab page. */
int mmfs_slab_page_cache(const struct page *page, char *name, size_t len);

/* ---- what fs/ shows (caches/, slabinfo) ---- */
struct mmfs_slab_attr {
	const char *name;	/* "object_size", "shrink", ... */
	unsigned int mode;	/* 0400 read-only, 0600 writable, 0200 write-only */
};
/* Every cache and alias in slab_caches order: fn(name, alias_target or NULL, arg);
 * a non-zero return stops the walk.  Holds slab_mutex: fn must not call back. */
int mmfs_cache_for_each(int (*fn)(const char *name, const char *alias_of, void *arg), void *arg);
bool mmfs_cache_exists(const char *name);
/* The attribute table for this allocator (NULL-name terminated). */
const struct mmfs_slab_attr *mmfs_cache_attrs(void);
/* Render one attribute into buf: length, or -ENOENT (no cache/attr). */
long mmfs_cache_attr_show(const char *cache, const char *attr, char *buf, size_t len);
/* Store: 0, -EINVAL (bad value), -EPERM (read-only), -ENOENT. */
int mmfs_cache_attr_store(const char *cache, const char *attr, const char *buf, size_t len);
/* /proc/slabinfo as the allocator prints it: malloc'd text, or NULL with
 * *err = -ENOENT under SLOB (no slabinfo there). */
char *mmfs_slabinfo_render(size_t *len, int *err);
/* SLAB's "NAME LIMIT BATCHCOUNT SHARED" write: 0 or -EINVAL / -EIO. */
int mmfs_slabinfo_write(const char *buf, size_t len);
/* The allocator's name: "SLUB", "SLAB", "SLOB". */
const char *mmfs_slab_allocator_name(void);

/* ---- SLAB's cache_reap (slab.c); harmless no-ops returning 0 under SLUB
 * and SLOB, so the daemon can call them whatever slab= says ---- */
/* Start the reap thread every interval_ms (0: REAPTIMEOUT_AC, 2 s):
 * 0, -EBUSY (runs already) or -errno. */
int mmfs_slab_reap_start(unsigned int interval_ms);
void mmfs_slab_reap_stop(void);
/* One cache_reap() pass over every CPU now: 0 or -EBUSY (slab_mutex taken). */
int mmfs_slab_cache_reap_now(void);

#endif /* MMFS_SLAB_H */
