/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mm.h - the public face of libmm: boot, the memory model, page flags and
 * reference counts, the page allocator, page_owner, validation and the log.
 * One memory manager per process: mm_boot() sets it up, mm_shutdown() tears
 * it down.  Functions return negative errno where the kernel's would WARN.
 *
 * Subsystems with their own headers: slab.h (kmem_cache, kmalloc),
 * pgtable.h (mm_struct, page tables, remap_pfn_range, GUP), highmem.h.
 */
#ifndef MMFS_MM_H
#define MMFS_MM_H
#include "glue.h"
#include "list.h"
#include "mm_types.h"
#include "gfp.h"
#include "vmstat.h"
#include "mmzone.h"

/* ------------------------------------------------------------------ boot */
#define MMFS_MAX_RANGES	32

enum mmfs_slab_allocator { MMFS_SLUB, MMFS_SLAB, MMFS_SLOB };
enum mmfs_hugepages { MMFS_HUGEPAGES_AUTO, MMFS_HUGEPAGES_ON, MMFS_HUGEPAGES_OFF };
enum mmfs_memmodel { MMFS_MEMMODEL_SPARSE, MMFS_MEMMODEL_CLASSIC, MMFS_MEMMODEL_FLAT };
enum mmfs_backing { MMFS_BACKING_HUGETLB, MMFS_BACKING_THP, MMFS_BACKING_4K };
extern const char * const mmfs_backing_names[3];	/* "hugetlb", "thp", "4k" */

struct mmfs_range { uint64_t start, size; };		/* physical bytes */

struct mm_config {
	uint64_t mem;				/* bytes of RAM (mem=) */
	int nr_ranges;				/* memmap= ranges; 0 = default layout */
	struct mmfs_range ranges[MMFS_MAX_RANGES];
	int nodes;				/* nodes= (1..MAX_NUMNODES) */
	int cpus;				/* cpus= (0 = host's configured CPUs) */
	uint64_t movablecore;			/* bytes */
	uint64_t highmem;			/* bytes */
	enum mmfs_slab_allocator slab;
	char slub_debug[128];			/* as given, "" = off */
	long min_free_kbytes;			/* -1 = computed */
	int init_on_alloc, init_on_free;	/* 1, 0 by default */
	enum mmfs_hugepages hugepages;
	enum mmfs_memmodel memmodel;
	uint64_t user_limit;			/* 0 = none (enforced by fs/) */
	bool log_to_stderr;			/* also print the log on stderr */
	unsigned int debug_guardpage_minorder;	/* 0..MAX_PAGE_ORDER / 2, 0 = off */
};

/* Fill *cfg with the SPEC §1 defaults. */
void mm_config_default(struct mm_config *cfg);
/* Parse one "key=value" option into cfg: 0, -EINVAL (message in *err), or
 * -ENOENT if key is not an mm option.  Used by fs/main.c and the tests. */
int mm_config_parse(struct mm_config *cfg, const char *key, const char *value,
		    char *err, size_t errlen);
/* "256M", "4G", "4096K", "0x1000": bytes.  0 or -EINVAL. */
int mm_parse_size(const char *s, uint64_t *bytes);
/* Boot the machine.  0, or -errno with a one-line reason in *err. */
int mm_boot(const struct mm_config *cfg, char *err, size_t errlen);
void mm_shutdown(void);
extern struct mm_config mm_cfg;			/* what we booted with */
/*
 * Subsystem boot hooks.  mm_boot() calls them in this order once the page
 * allocator is up (each returns 0 or -errno), mm_shutdown() in reverse:
 * slab (slab_common.c: kmem_cache_init + kmalloc caches for mm_cfg.slab),
 * highmem (highmem.c: pkmap), mmap (mmap.c: address spaces).
 */
int mmfs_slab_boot(void);
void mmfs_slab_shutdown(void);
int mmfs_highmem_boot(void);
void mmfs_highmem_shutdown(void);
int mmfs_mmap_boot(void);
void mmfs_mmap_shutdown(void);

struct mmfs_arena_info {
	enum mmfs_backing backing;		/* what backed RAM */
	uint64_t backed_bytes;			/* bytes of RAM backed */
	uint64_t span_bytes;			/* reserved address range */
	uint64_t memmap_bytes;			/* bytes of struct page actually backed */
	void *base;				/* host address of physical 0 */
	uint64_t hugetlb_bytes;			/* of backed_bytes: hugetlb 2 MiB pages */
	uint64_t thp_bytes;			/* of backed_bytes: THP (madvise) */
	uint64_t base_bytes;			/* of backed_bytes: 4 KiB pages */
};
extern struct mmfs_arena_info mmfs_arena;
/* NUMA topology (mm_init.c): CPUs are spread round-robin over the nodes as
 * numa_init_array does. */
static inline int cpu_to_node(int cpu)	/* cpu % nr_online_nodes */
{
	return nr_online_nodes > 1 ? cpu % nr_online_nodes : 0;
}
int numa_node_id(void);			/* node of the calling thread's CPU */
int node_distance(int a, int b);	/* 10 local, 20 remote (SLIT-like) */
/* The zones that exist in this configuration (DMA, DMA32, Normal always;
 * HighMem only with highmem=; Movable always as on x86-64). */
bool zone_type_configured(enum zone_type t);

/* ----------------------------------------------------------- memory model */
extern unsigned long max_pfn;			/* one past the highest RAM pfn */
extern unsigned long min_low_pfn;		/* lowest RAM pfn */
extern unsigned long totalram_pages_count;	/* sum of managed pages */
/*
 * struct page *pfn_to_page(unsigned long pfn);
 * unsigned long page_to_pfn(const struct page *page);
 * bool pfn_valid(unsigned long pfn);		has a struct page (not a hole)
 * void *page_address(const struct page *page);	NULL for highmem
 * struct page *virt_to_page(const void *addr);	host pointer in the direct map
 * unsigned long mmfs_virt_to_pfn(const void *addr);
 * void *mmfs_pfn_to_ptr(unsigned long pfn);	host pointer to the frame, any zone
 * are static inline in memory_model.h (included below).
 */
#define __pa(p)		((unsigned long)((const char *)(p) - (const char *)mmfs_arena.base))
#define __va(x)		((void *)((char *)mmfs_arena.base + (x)))
#ifndef PAGE_ALIGN
#define PAGE_ALIGN(addr)	ALIGN(addr, PAGE_SIZE)	/* include/linux/mm.h */
#endif
#define PFN_PHYS(pfn)	((uint64_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))
/* Addresses as the kernel shows them (translate only here). */
#define MMFS_PAGE_OFFSET	0xffff888000000000UL	/* direct map */
#define MMFS_VMEMMAP_START	0xffffea0000000000UL
#define MMFS_PKMAP_BASE		0xffffe00000000000UL	/* MMFS: pkmap window */
/* unsigned long mmfs_kaddr(const void *ptr);	host ptr -> 0xffff888...
 * void *mmfs_kaddr_to_ptr(unsigned long kaddr);	NULL if not direct-mapped RAM
 * unsigned long mmfs_page_kaddr(const struct page *page);	0xffffea... + pfn*64 */
#include "memory_model.h"

/* ------------------------------------------------------------- page flags */
enum pageflags {
	PG_locked, PG_referenced, PG_uptodate, PG_dirty, PG_lru, PG_active,
	PG_workingset, PG_waiters, PG_error, PG_slab, PG_owner_priv_1, PG_arch_1,
	PG_reserved, PG_private, PG_private_2, PG_writeback, PG_head,
	PG_mappedtodisk, PG_reclaim, PG_swapbacked, PG_unevictable, PG_mlocked,
	__NR_PAGEFLAGS
};
/* page_type values (stored inverted in _mapcount as the kernel does) */
#define PAGE_TYPE_BASE	0xf0000000u
#define PG_buddy	0x00000080u
#define PG_offline	0x00000100u
#define PG_table	0x00000200u
#define PG_guard	0x00000400u
#define NODES_SHIFT	6
#define ZONES_SHIFT	3
#define ZONES_PGSHIFT	(64 - ZONES_SHIFT)
#define NODES_PGSHIFT	(ZONES_PGSHIFT - NODES_SHIFT)

#define __PAGEFLAG(Name, bit) \
static inline bool Page##Name(const struct page *p) { return (READ_ONCE(p->flags) >> (bit)) & 1; } \
static inline void __SetPage##Name(struct page *p) { WRITE_ONCE(p->flags, READ_ONCE(p->flags) | 1UL << (bit)); } \
static inline void __ClearPage##Name(struct page *p) { WRITE_ONCE(p->flags, READ_ONCE(p->flags) & ~(1UL << (bit))); } \
static inline void SetPage##Name(struct page *p) { __atomic_fetch_or(&p->flags, 1UL << (bit), __ATOMIC_RELAXED); } \
static inline void ClearPage##Name(struct page *p) { __atomic_fetch_and(&p->flags, ~(1UL << (bit)), __ATOMIC_RELAXED); }
__PAGEFLAG(Locked, PG_locked)
__PAGEFLAG(Slab, PG_slab)
__PAGEFLAG(Reserved, PG_reserved)
__PAGEFLAG(Head, PG_head)
__PAGEFLAG(Private, PG_private)
__PAGEFLAG(Active, PG_active)
__PAGEFLAG(Workingset, PG_workingset)
__PAGEFLAG(Dirty, PG_dirty)
__PAGEFLAG(Uptodate, PG_uptodate)
__PAGEFLAG(Referenced, PG_referenced)
__PAGEFLAG(OwnerPriv1, PG_owner_priv_1)
#undef __PAGEFLAG

#define PAGE_TYPE_OPS(Name, flag) \
static inline bool Page##Name(const struct page *p) \
{ return (READ_ONCE(p->page_type) & (PAGE_TYPE_BASE | (flag))) == PAGE_TYPE_BASE; } \
static inline void __SetPage##Name(struct page *p) { p->page_type &= ~(flag); } \
static inline void __ClearPage##Name(struct page *p) { p->page_type |= (flag); }
PAGE_TYPE_OPS(Buddy, PG_buddy)
PAGE_TYPE_OPS(Offline, PG_offline)
PAGE_TYPE_OPS(Table, PG_table)
PAGE_TYPE_OPS(Guard, PG_guard)
#undef PAGE_TYPE_OPS

/*
 * Guard pages (include/linux/mm.h, CONFIG_DEBUG_PAGEALLOC): expand() turns
 * the split-off halves below debug_guardpage_minorder into PageGuard blocks
 * (order in page->private), on no free list and not counted free; they
 * merge back when their buddy is freed (mm/debug_page_alloc.c).
 */
struct zone;
extern unsigned int _debug_guardpage_minorder;
extern bool _debug_guardpage_enabled;	/* the kernel's static key */
static inline unsigned int debug_guardpage_minorder(void) { return _debug_guardpage_minorder; }
static inline bool debug_guardpage_enabled(void) { return unlikely(_debug_guardpage_enabled); }
static inline bool page_is_guard(const struct page *page)
{
	if (!debug_guardpage_enabled())
		return false;
	return PageGuard(page);
}
bool __set_page_guard(struct zone *zone, struct page *page, unsigned int order);
static inline bool set_page_guard(struct zone *zone, struct page *page, unsigned int order)
{
	if (!debug_guardpage_enabled())
		return false;
	return __set_page_guard(zone, page, order);
}
void __clear_page_guard(struct zone *zone, struct page *page, unsigned int order);
static inline void clear_page_guard(struct zone *zone, struct page *page, unsigned int order)
{
	if (!debug_guardpage_enabled())
		return;
	__clear_page_guard(zone, page, order);
}

static inline bool PageTail(const struct page *p) { return READ_ONCE(p->compound_head) & 1; }
static inline bool PageCompound(const struct page *p) { return PageHead(p) || PageTail(p); }
static inline struct page *compound_head(const struct page *p)
{
	unsigned long h = READ_ONCE(p->compound_head);
	return (struct page *)((h & 1) ? h - 1 : (unsigned long)p);
}
static inline unsigned int compound_order(const struct page *p)
{ return PageHead(p) ? p[1].compound_order : 0; }
static inline enum zone_type page_zonenum(const struct page *p)
{ return (enum zone_type)((page_flags_links(p) >> ZONES_PGSHIFT) & ((1UL << ZONES_SHIFT) - 1)); }
static inline int page_to_nid(const struct page *p)
{ return (int)((page_flags_links(p) >> NODES_PGSHIFT) & ((1UL << NODES_SHIFT) - 1)); }
static inline struct zone *page_zone(const struct page *p)
{ return &NODE_DATA(page_to_nid(p))->node_zones[page_zonenum(p)]; }
static inline void set_page_links(struct page *p, enum zone_type zone, int nid)
{
	p->flags &= ~(((1UL << ZONES_SHIFT) - 1) << ZONES_PGSHIFT | ((1UL << NODES_SHIFT) - 1) << NODES_PGSHIFT);
	p->flags |= (unsigned long)zone << ZONES_PGSHIFT | (unsigned long)nid << NODES_PGSHIFT;
}
static inline bool PageHighMem(const struct page *p) { return page_zonenum(p) == ZONE_HIGHMEM; }

/* -------------------------------------------------------- reference counts */
#define GUP_PIN_COUNTING_BIAS	1024
static inline int page_ref_count(const struct page *p) { return atomic_read(&p->_refcount); }
static inline void set_page_count(struct page *p, int v) { atomic_set(&p->_refcount, v); }
static inline void init_page_count(struct page *p) { set_page_count(p, 1); }
static inline void page_ref_add(struct page *p, int n) { atomic_add(n, &p->_refcount); }
static inline void page_ref_sub(struct page *p, int n) { atomic_sub(n, &p->_refcount); }
static inline void page_ref_inc(struct page *p) { atomic_inc(&p->_refcount); }
static inline bool page_ref_sub_and_test(struct page *p, int n) { return atomic_sub_return(n, &p->_refcount) == 0; }
static inline bool put_page_testzero(struct page *p) { return atomic_dec_and_test(&p->_refcount); }
static inline int page_mapcount(const struct page *p) { return atomic_read(&p->_mapcount) + 1; }
static inline void page_mapcount_reset(struct page *p) { atomic_set(&p->_mapcount, -1); }
/* compound pincount (first tail, 6.1) */
static inline int compound_pincount(const struct page *p) { return atomic_read(&p[1].compound_pincount); }
void get_page(struct page *page);	/* on the head (compound_head) */
void put_page(struct page *page);	/* frees the block at zero */
/* FOLL_PIN accounting (mm/gup.c) uses these: */
bool page_maybe_dma_pinned(struct page *page);

/* -------------------------------------------------------- page allocator */
/*
 * MMFS: the block's order is remembered in page_owner for every allocation,
 * compound or not, so put_page() reaching zero on the head of a non-compound
 * block frees the whole block (the kernel's __free_pages frees the tail
 * part at once; we wait for the last reference so a pinned block stays
 * allocated until its last unpin).
 */
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid, const unsigned long *nodemask);
struct page *alloc_pages(gfp_t gfp, unsigned int order);	/* local node */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);	/* mmfs_kaddr form is NOT used: host ptr as unsigned long */
unsigned long get_zeroed_page(gfp_t gfp);
void __free_pages(struct page *page, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);	/* host ptr */
#define __free_page(p)	__free_pages((p), 0)
#define free_page(a)	free_pages((a), 0)
void drain_all_pages(struct zone *zone);	/* NULL = every zone */
void drain_local_pages(struct zone *zone);
/* Checked entry points for untrusted callers (control, fuzzers): validate
 * first, change nothing on error.  0 / -EINVAL / -ENOMEM. */
int mmfs_alloc_pages_checked(gfp_t gfp, int order, int nid, struct page **out);
int mmfs_free_block(unsigned long pfn);		/* the owner's reference (free_pages) */
int mmfs_get_page(unsigned long pfn, int *refcount);
int mmfs_put_page(unsigned long pfn, int *refcount);
/* kmap/kunmap of a block through control: each kmap holds a reference
 * of its own, so the block outlives its owner's free_pages until kunmap */
int mmfs_kmap_block(unsigned long pfn, unsigned long *vaddr);
int mmfs_kunmap_block(unsigned long pfn, int *refcount);
/* Fault injection (fail_page_alloc): probability in percent, interval, times */
struct mmfs_fault_attr { atomic_int probability, interval, times, space; atomic_long count; };
extern struct mmfs_fault_attr fail_page_alloc;

/* tunables behind sys/vm (mm/page_alloc.c); the setters recompute */
extern int min_free_kbytes, user_min_free_kbytes;
extern int watermark_scale_factor, watermark_boost_factor;
extern int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES];
extern int percpu_pagelist_high_fraction;
extern unsigned long totalreserve_pages;
int mmfs_set_min_free_kbytes(long v);		/* -EINVAL if out of range */
int mmfs_set_watermark_scale_factor(long v);	/* 1..3000 */
int mmfs_set_watermark_boost_factor(long v);	/* >= 0 */
int mmfs_set_lowmem_reserve_ratio(const long *v, int n);
int mmfs_set_percpu_pagelist_high_fraction(long v);	/* 0 or >= 8 */
void setup_per_zone_wmarks(void);
int get_pageblock_migratetype(const struct page *page);
void set_pageblock_migratetype(struct page *page, int migratetype);
/* %pGp spelling of page->flags (and page_type).  Returns length. */
int page_flags_format(const struct page *page, char *buf, size_t len);

/* ------------------------------------------------------------ page_owner */
enum mmfs_owner_kind { MMFS_OWNER_NONE, MMFS_OWNER_KERNEL, MMFS_OWNER_USER,
		       MMFS_OWNER_SLAB, MMFS_OWNER_PGTABLE };
/*
 * One record per pfn, 64 bytes (one cache line: the allocation fast path
 * writes a whole record).  The kernel's page_owner keeps ts_nsec; here the
 * allocation time is kept once, on the wall clock, and page_owner_ts_nsec()
 * gives it on the log's clock.
 */
struct page_owner {
	uint64_t wall_ns;		/* allocation time, CLOCK_REALTIME (mtime); strictly
					 * increasing per pfn, so (pfn, time) names one allocation */
	long owner_id;			/* uid, pgtable pid; slab: unused (page->slab_cache) */
	/* the allocating client: struct mmfs_task's layout, copied in one go */
	unsigned int uid;		/* allocating uid */
	int pid;			/* allocating client */
	char comm[16];
	gfp_t gfp_mask;
	int user_refs;			/* MMFS: references taken by mmfs_get_page */
	int kmap_refs;			/* MMFS: references of kmaps taken by mmfs_kmap_block */
	short order;			/* -1 when not the head of an allocated block */
	signed char last_migrate_reason;
	unsigned char kind;		/* enum mmfs_owner_kind: what the block is for */
	unsigned char live;		/* MMFS: heads an allocated block (page_owner.c) */
	unsigned char owner_dropped;	/* MMFS: free_pages done; pins keep it until put */
} __attribute__((aligned(64)));
/* the allocation time on the log's clock (ns since boot), as page_owner's ts_nsec */
uint64_t page_owner_ts_nsec(const struct page_owner *po);
/* The record of an allocated block's head, NULL for anything else. */
struct page_owner *get_page_owner(const struct page *head);
void mmfs_set_owner(struct page *head, enum mmfs_owner_kind kind, long id);
/* Allocated block heads in pfn order: the first at or after pfn, or -1UL. */
unsigned long mmfs_next_allocated_block(unsigned long pfn);

/* --------------------------------------------------- lookup and validate */
/* "pfn=0x.. node=N zone=Z migratetype=M state=..." for lookup pfn=/addr=. */
int mmfs_lookup_pfn(unsigned long pfn, char *buf, size_t len);
/* lookup addr=: the pfn's line (direct-map 0xffff888... or a host pointer
 * into the arena) plus what the first registered lookup says of the
 * address.  >0 bytes written, -EINVAL if the address is no RAM. */
int mmfs_lookup_addr(unsigned long kaddr, char *buf, size_t len);
/* Callbacks other subsystems register to extend validate/lookup. */
struct mmfs_validator {
	const char *name;
	/* append violations ("text\n") to buf; return how many */
	int (*validate)(char **buf, size_t *len, size_t *cap);
	/* describe addr if it belongs to this subsystem: >0 written, 0 not mine */
	int (*lookup)(unsigned long kaddr, char *out, size_t len);
};
void mmfs_register_validator(const struct mmfs_validator *v);
/* Walk every invariant.  Returns the number of violations; *report (malloc'd,
 * caller frees) lists each on its own line. */
int mm_validate(char **report);
void dump_page(const struct page *page, const char *reason);

/* ------------------------------------------------------------------ log */
/* printk: "[    1.234567] text" lines into the log ring (and stderr if asked). */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define pr_info(...)	printk(__VA_ARGS__)
#define pr_warn(...)	printk(__VA_ARGS__)
#define pr_err(...)	printk(__VA_ARGS__)
/* A malloc'd copy of the whole log (caller frees), length in *len. */
char *mm_log_snapshot(size_t *len);
/* lib/string_helpers.c's string_escape_mem(..., ESCAPE_NP | ESCAPE_HEX):
 * every byte outside 0x20..0x7e as \xNN.  Writes at most @osz - 1 bytes
 * and a NUL (whole escapes only); returns the bytes written. */
size_t string_escape_np(const char *src, size_t isz, char *dst, size_t osz);
void mmfs_log_reset(void);		/* mm_shutdown: empty the log */
void mmfs_clock_reset(void);		/* mm_boot: the log's clock starts at 0 */

#endif /* MMFS_MM_H */
