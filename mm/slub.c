/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * slub.c - the SLUB allocator (mm/slub.c of a 6.x kernel, 6.8+ structure:
 * cpu partial slabs stay unfrozen, debug caches bypass the cpu slabs).
 *
 * A slab is one (compound) page block cut into s->size slots.  Free objects
 * are chained through a free pointer at s->offset inside (or, with poison,
 * ctor or RCU, behind) the object, XOR-obfuscated with s->random and the
 * byte-swapped storage address (CONFIG_SLAB_FREELIST_HARDENED), and laid
 * out in random order in a new slab (CONFIG_SLAB_FREELIST_RANDOM).
 *
 * Each CPU owns one frozen slab (c->slab) whose free objects sit on
 * c->freelist; allocation and freeing to that slab is the fast path.  Frees
 * to other slabs go to slab->freelist (__slab_free): a full slab becomes a
 * cpu partial slab, an empty one is discarded once the node keeps
 * min_partial slabs.  Per node, partially used slabs wait on n->partial.
 *
 * Slab states and lists:
 *   frozen=1           the cpu slab of one CPU (on no list)
 *   frozen=0, on c->partial      a cpu partial slab (slab->next linked)
 *   frozen=0, PG_workingset       on n->partial (slab_test_node_partial)
 *   frozen=0, full, no list       (debug caches: on n->full)
 *
 * Lock order:
 *   slab_mutex
 *     kmem_cache_node->list_lock
 *       kmem_cache_cpu->lock       (fast path: spin_trylock)
 *         slab_lock()             (PG_locked bit of slab->flags)
 *           zone->lock            (page allocator, via new_slab/discard_slab)
 *
 * MMFS: slab_update_freelist() is the kernel's slab_lock() fallback of
 * cmpxchg_double_slab (no 128-bit cmpxchg); the per-cpu (freelist, tid)
 * pair is guarded by the cpu's own lock (see struct kmem_cache_cpu).
 */
#include "slab_internal.h"
#include "internal.h"
#include "trace.h"
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OO_SHIFT	16
#define OO_MASK		((1U << OO_SHIFT) - 1)
#define TID_STEP	1UL

static struct kmem_cache *kmem_cache_node;
static unsigned int slub_min_order;
static unsigned int slub_max_order = PAGE_ALLOC_COSTLY_ORDER;
static unsigned int slub_min_objects;

enum { DEACTIVATE_TO_HEAD, DEACTIVATE_TO_TAIL };

/* -------------------------------------------------------- small helpers */
static inline struct kmem_cache_order_objects oo_make(unsigned int order, unsigned int size)
{
	struct kmem_cache_order_objects x = {
		(order << OO_SHIFT) + (unsigned int)((PAGE_SIZE << order) / size)
	};
	return x;
}

/** oo_order - the page order of a slab of this layout */
unsigned int oo_order(struct kmem_cache_order_objects x) { return x.x >> OO_SHIFT; }
/** oo_objects - the objects in a slab of this layout */
unsigned int oo_objects(struct kmem_cache_order_objects x) { return x.x & OO_MASK; }

static inline unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((PAGE_SIZE << order) / size);
}

static inline bool kmem_cache_debug(const struct kmem_cache *s)
{
	return s->flags & SLAB_DEBUG_FLAGS;
}

static inline bool kmem_cache_has_cpu_partial(const struct kmem_cache *s)
{
	return !kmem_cache_debug(s);
}

static inline struct kmem_cache_node *get_node(const struct kmem_cache *s, int node)
{
	return s->node[node];
}

#define for_each_kmem_cache_node(s, nid, n) \
	for ((nid) = 0; (nid) < nr_node_ids; (nid)++) \
		if (((n) = get_node(s, nid)) == NULL) ; else

static __always_inline struct kmem_cache_cpu *raw_cpu_ptr(struct kmem_cache *s)
{
	return &s->cpu_slab[smp_processor_id()];
}

static inline void *fixup_red_left(const struct kmem_cache *s, void *p)
{
	if (s->flags & SLAB_RED_ZONE)
		p = (char *)p + s->red_left_pad;
	return p;
}

static inline void *restore_red_left(const struct kmem_cache *s, void *p)
{
	if (s->flags & SLAB_RED_ZONE)
		p = (char *)p - s->red_left_pad;
	return p;
}

static inline bool freeptr_outside_object(const struct kmem_cache *s)
{
	return s->offset >= s->inuse;
}

/* Offset of the first byte after the free pointer (or of the object info). */
static inline unsigned int get_info_end(const struct kmem_cache *s)
{
	if (freeptr_outside_object(s))
		return s->inuse + (unsigned int)sizeof(void *);
	return s->inuse;
}

static inline bool slub_debug_orig_size(const struct kmem_cache *s)
{
	return (s->flags & SLAB_STORE_USER) && (s->flags & SLAB_KMALLOC);
}

static inline unsigned int obj_to_index(const struct kmem_cache *s, const struct slab *slab,
					 const void *obj)
{
	return (unsigned int)(((const char *)obj - (const char *)slab_address(slab)) / s->size);
}

/* ---- free pointers (CONFIG_SLAB_FREELIST_HARDENED) ---- */
static __always_inline unsigned long freelist_ptr_encode(const struct kmem_cache *s, void *ptr,
							 unsigned long ptr_addr)
{
#ifdef CONFIG_SLAB_FREELIST_HARDENED
	return (unsigned long)ptr ^ s->random ^ __builtin_bswap64(ptr_addr);
#else
	(void)s; (void)ptr_addr;
	return (unsigned long)ptr;
#endif
}

static __always_inline void *freelist_ptr_decode(const struct kmem_cache *s, unsigned long enc,
						 unsigned long ptr_addr)
{
#ifdef CONFIG_SLAB_FREELIST_HARDENED
	return (void *)(enc ^ s->random ^ __builtin_bswap64(ptr_addr));
#else
	(void)s; (void)ptr_addr;
	return (void *)enc;
#endif
}

static __always_inline void *get_freepointer(const struct kmem_cache *s, void *object)
{
	unsigned long ptr_addr = (unsigned long)object + s->offset;

	return freelist_ptr_decode(s, *(unsigned long *)ptr_addr, ptr_addr);
}

static __always_inline void set_freepointer(const struct kmem_cache *s, void *object, void *fp)
{
	unsigned long ptr_addr = (unsigned long)object + s->offset;

	*(unsigned long *)ptr_addr = freelist_ptr_encode(s, fp, ptr_addr);
}

/*
 * slab->objects never changes, but it shares a word with inuse/frozen, which
 * other CPUs update locklessly: read it from one snapshot of the word.
 */
static inline unsigned int slab_objects_once(const struct slab *slab)
{
	struct slab snap;

	snap.counters = READ_ONCE(slab->counters);
	return snap.objects;
}

/* Is object NULL or the start of an object slot of slab? */
static inline bool check_valid_pointer(const struct kmem_cache *s, const struct slab *slab,
				       void *object)
{
	char *base;

	if (!object)
		return true;
	base = slab_address(slab);
	object = restore_red_left(s, object);
	if ((char *)object < base || (char *)object >= base + slab_objects_once(slab) * s->size ||
	    ((char *)object - base) % s->size)
		return false;
	return true;
}

/* ---- slab_lock: the PG_locked bit of the slab page ---- */
static __always_inline void slab_lock(struct slab *slab)
{
	unsigned long *f = &slab->__page_flags;

	while (__atomic_fetch_or(f, 1UL << PG_locked, __ATOMIC_ACQUIRE) & (1UL << PG_locked)) {
		while (__atomic_load_n(f, __ATOMIC_RELAXED) & (1UL << PG_locked))
			__builtin_ia32_pause();
	}
}

static __always_inline void slab_unlock(struct slab *slab)
{
	__atomic_fetch_and(&slab->__page_flags, ~(1UL << PG_locked), __ATOMIC_RELEASE);
}

/*
 * slab_update_freelist - set (freelist, counters) if they still hold the
 * old values: the kernel's cmpxchg_double_slab, here under slab_lock.
 */
static inline bool slab_update_freelist(struct kmem_cache *s, struct slab *slab,
					void *freelist_old, unsigned long counters_old,
					void *freelist_new, unsigned long counters_new)
{
	bool ret = false;

	slab_lock(slab);
	if (READ_ONCE(slab->freelist) == freelist_old &&
	    READ_ONCE(slab->counters) == counters_old) {
		WRITE_ONCE(slab->freelist, freelist_new);
		WRITE_ONCE(slab->counters, counters_new);
		ret = true;
	}
	slab_unlock(slab);
	return ret;
}

/* ---- node partial marker: PG_workingset as the kernel's slab_test_node_partial ---- */
static inline bool slab_test_node_partial(const struct slab *slab)
{
	return PageWorkingset(slab_page(slab));
}

static inline void slab_set_node_partial(struct slab *slab)
{
	SetPageWorkingset(slab_page(slab));
}

static inline void slab_clear_node_partial(struct slab *slab)
{
	ClearPageWorkingset(slab_page(slab));
}

static inline void __add_partial(struct kmem_cache_node *n, struct slab *slab, int tail)
{
	WRITE_ONCE(n->nr_partial, n->nr_partial + 1);
	if (tail == DEACTIVATE_TO_TAIL)
		list_add_tail(&slab->slab_list, &n->partial);
	else
		list_add(&slab->slab_list, &n->partial);
	slab_set_node_partial(slab);
}

static inline void add_partial(struct kmem_cache_node *n, struct slab *slab, int tail)
{
	lockdep_assert_held(&n->list_lock);
	__add_partial(n, slab, tail);
}

static inline void remove_partial(struct kmem_cache_node *n, struct slab *slab)
{
	lockdep_assert_held(&n->list_lock);
	list_del(&slab->slab_list);
	slab_clear_node_partial(slab);
	WRITE_ONCE(n->nr_partial, n->nr_partial - 1);
}

/* Full slabs are tracked for debug caches only (MMFS: any debug flag, so
 * validate sees every slab; the kernel needs SLAB_STORE_USER). */
static void add_full(struct kmem_cache *s, struct kmem_cache_node *n, struct slab *slab)
{
	if (!kmem_cache_debug(s))
		return;
	lockdep_assert_held(&n->list_lock);
	list_add(&slab->slab_list, &n->full);
	n->nr_full++;
}

static void remove_full(struct kmem_cache *s, struct kmem_cache_node *n, struct slab *slab)
{
	if (!kmem_cache_debug(s))
		return;
	lockdep_assert_held(&n->list_lock);
	list_del(&slab->slab_list);
	n->nr_full--;
}

static inline void inc_slabs_node(struct kmem_cache *s, int node, int objects)
{
	struct kmem_cache_node *n = get_node(s, node);

	if (likely(n)) {
		atomic_long_add(1, &n->nr_slabs);
		atomic_long_add(objects, &n->total_objects);
	}
}

static inline void dec_slabs_node(struct kmem_cache *s, int node, int objects)
{
	struct kmem_cache_node *n = get_node(s, node);

	atomic_long_sub(1, &n->nr_slabs);
	atomic_long_sub(objects, &n->total_objects);
}

static inline unsigned long node_nr_slabs(struct kmem_cache_node *n)
{
	return (unsigned long)atomic_long_read(&n->nr_slabs);
}

static inline unsigned long node_nr_objs(struct kmem_cache_node *n)
{
	return (unsigned long)atomic_long_read(&n->total_objects);
}

/* ================================================================ debug */
struct validate_sink {
	char **buf;
	size_t *len, *cap;
	int count;
};
static __thread struct validate_sink *cur_sink;

static unsigned long kaddr_of(const void *p)
{
	return p ? mmfs_kaddr(p) : 0;
}

static void slab_bug(struct kmem_cache *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void slab_bug(struct kmem_cache *s, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* MMFS: no taint tracking, every report says "Not tainted" */
	printk("=============================================================================");
	printk("BUG %s (Not tainted): %s", s->name, text);
	printk("-----------------------------------------------------------------------------");
	if (cur_sink) {
		slab_report_append(cur_sink->buf, cur_sink->len, cur_sink->cap,
				   "BUG %s (Not tainted): %s\n", s->name, text);
		cur_sink->count++;
	}
}

static void slab_fix(struct kmem_cache *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void slab_fix(struct kmem_cache *s, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	printk("FIX %s: %s", s->name, text);
}

static inline struct track *get_track(struct kmem_cache *s, void *object, enum track_item alloc)
{
	return (struct track *)((char *)object + get_info_end(s)) + alloc;
}

static void set_track(struct kmem_cache *s, void *object, enum track_item alloc, unsigned long addr)
{
	struct track *p = get_track(s, object, alloc);

	p->addr = addr;
	p->cpu = smp_processor_id();
	p->pid = current->pid;
	p->when = atomic_load_explicit(&jiffies, memory_order_relaxed);
	memcpy(p->comm, current->comm, sizeof(p->comm));
}

static void init_tracking(struct kmem_cache *s, void *object)
{
	if (!(s->flags & SLAB_STORE_USER))
		return;
	memset(get_track(s, object, TRACK_ALLOC), 0, 2 * sizeof(struct track));
}

static unsigned int get_orig_size(struct kmem_cache *s, void *object)
{
	if (!slub_debug_orig_size(s))
		return s->object_size;
	return *(unsigned int *)((char *)object + get_info_end(s) + 2 * sizeof(struct track));
}

static void set_orig_size(struct kmem_cache *s, void *object, unsigned int orig_size)
{
	if (!slub_debug_orig_size(s))
		return;
	if (!orig_size || orig_size > s->object_size)
		orig_size = s->object_size;
	*(unsigned int *)((char *)object + get_info_end(s) + 2 * sizeof(struct track)) = orig_size;
}

/* %pS: symbol+0xoff/0xsize when the symbol is exported, else the address */
static void format_symbol(unsigned long addr, char *buf, size_t len)
{
	Dl_info info;

	if (addr && dladdr((void *)addr, &info) && info.dli_sname) {
		snprintf(buf, len, "%s+0x%lx", info.dli_sname,
			 addr - (unsigned long)info.dli_saddr);
		return;
	}
	snprintf(buf, len, "0x%lx", addr);
}

static void print_track(const char *s, struct track *t, unsigned long pr_time)
{
	char sym[128];

	if (!t->addr)
		return;
	format_symbol(t->addr, sym, sizeof(sym));
	printk("%s in %s age=%lu cpu=%u pid=%d comm=%.16s", s, sym, pr_time - t->when,
	       t->cpu, t->pid, t->comm);
}

static void print_tracking(struct kmem_cache *s, void *object)
{
	unsigned long pr_time = atomic_load_explicit(&jiffies, memory_order_relaxed);

	if (!(s->flags & SLAB_STORE_USER))
		return;
	print_track("Allocated", get_track(s, object, TRACK_ALLOC), pr_time);
	print_track("Freed", get_track(s, object, TRACK_FREE), pr_time);
}

static void print_slab_info(const struct slab *slab)
{
	char flags[160];

	page_flags_format(slab_page(slab), flags, sizeof(flags));
	printk("Slab 0x%lx objects=%u used=%u fp=0x%lx flags=%s", mmfs_page_kaddr(slab_page(slab)),
	       slab->objects, slab->inuse, kaddr_of(slab->freelist), flags);
}

static void print_section(const char *text, const uint8_t *addr, unsigned int length)
{
	char line[128];

	for (unsigned int i = 0; i < length && i < 64; i += 16) {
		int n = snprintf(line, sizeof(line), "%s%016lx:", text, mmfs_kaddr(addr + i));

		for (unsigned int j = i; j < i + 16 && j < length; j++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, " %02x", addr[j]);
		printk("%s", line);
	}
}

static void print_trailer(struct kmem_cache *s, struct slab *slab, uint8_t *p)
{
	uint8_t *addr = slab_address(slab);

	print_tracking(s, p);
	print_slab_info(slab);
	printk("Object 0x%lx @offset=%tu fp=0x%lx", mmfs_kaddr(p), p - addr,
	       kaddr_of(get_freepointer(s, p)));
	if (s->flags & SLAB_RED_ZONE)
		print_section("Redzone  ", p - s->red_left_pad, s->red_left_pad);
	print_section("Object   ", p, min_t(unsigned int, s->object_size, PAGE_SIZE));
	if (s->flags & SLAB_RED_ZONE)
		print_section("Redzone  ", p + s->object_size, s->inuse - s->object_size);
}

static void object_err(struct kmem_cache *s, struct slab *slab, uint8_t *object, const char *reason)
{
	slab_bug(s, "%s", reason);
	print_trailer(s, slab, object);
}

static void slab_err(struct kmem_cache *s, struct slab *slab, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void slab_err(struct kmem_cache *s, struct slab *slab, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	slab_bug(s, "%s", text);
	print_slab_info(slab);
}

static void init_object(struct kmem_cache *s, void *object, uint8_t val)
{
	uint8_t *p = object;
	unsigned int poison_size = s->object_size;

	if (s->flags & SLAB_RED_ZONE) {
		memset(p - s->red_left_pad, val, s->red_left_pad);
		if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE)
			poison_size = get_orig_size(s, object);
	}
	if (s->flags & __OBJECT_POISON) {
		memset(p, POISON_FREE, poison_size - 1);
		p[poison_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE)
		memset(p + poison_size, val, s->inuse - poison_size);
}

static void restore_bytes(struct kmem_cache *s, const char *message, uint8_t data,
			  uint8_t *from, uint8_t *to)
{
	slab_fix(s, "Restoring %s 0x%lx-0x%lx=0x%x", message, mmfs_kaddr(from),
		 mmfs_kaddr(to - 1), data);
	memset(from, data, (size_t)(to - from));
}

static uint8_t *memchr_inv(uint8_t *start, uint8_t c, size_t bytes)
{
	for (size_t i = 0; i < bytes; i++)
		if (start[i] != c)
			return start + i;
	return NULL;
}

static int check_bytes_and_report(struct kmem_cache *s, struct slab *slab, uint8_t *object,
				  const char *what, uint8_t *start, unsigned int value,
				  unsigned int bytes)
{
	uint8_t *fault, *end;
	uint8_t *addr = slab_address(slab);

	fault = memchr_inv(start, (uint8_t)value, bytes);
	if (!fault)
		return 1;
	end = start + bytes;
	while (end > fault && end[-1] == value)
		end--;
	slab_bug(s, "%s overwritten", what);
	printk("0x%lx-0x%lx @offset=%tu. First byte 0x%x instead of 0x%x", mmfs_kaddr(fault),
	       mmfs_kaddr(end - 1), fault - addr, fault[0], value);
	print_trailer(s, slab, object);
	restore_bytes(s, what, (uint8_t)value, fault, end);
	return 0;
}

/* The padding after the object's metadata must still be POISON_INUSE. */
static int check_pad_bytes(struct kmem_cache *s, struct slab *slab, uint8_t *p)
{
	unsigned long off = get_info_end(s);
	unsigned int size_from_object = s->size - ((s->flags & SLAB_RED_ZONE) ? s->red_left_pad : 0);

	if (s->flags & SLAB_STORE_USER) {
		off += 2 * sizeof(struct track);
		if (s->flags & SLAB_KMALLOC)
			off += sizeof(unsigned int);
	}
	if (size_from_object == off)
		return 1;
	return check_bytes_and_report(s, slab, p, "Object padding", p + off, POISON_INUSE,
				      size_from_object - (unsigned int)off);
}

/* The space at the end of the slab that no object uses. */
static void slab_pad_check(struct kmem_cache *s, struct slab *slab)
{
	uint8_t *start, *fault, *end, *pad;
	size_t length, remainder;

	if (!(s->flags & SLAB_POISON))
		return;
	start = slab_address(slab);
	length = slab_size(slab);
	end = start + length;
	remainder = length % s->size;
	if (!remainder)
		return;
	pad = end - remainder;
	fault = memchr_inv(pad, POISON_INUSE, remainder);
	if (!fault)
		return;
	while (end > fault && end[-1] == POISON_INUSE)
		end--;
	slab_err(s, slab, "Padding overwritten. 0x%lx-0x%lx @offset=%tu", mmfs_kaddr(fault),
		 mmfs_kaddr(end - 1), fault - start);
	restore_bytes(s, "slab padding", POISON_INUSE, fault, end);
}

static int check_object(struct kmem_cache *s, struct slab *slab, void *object, uint8_t val)
{
	uint8_t *p = object;
	uint8_t *endobject = p + s->object_size;
	int ret = 1;

	if (s->flags & SLAB_RED_ZONE) {
		if (!check_bytes_and_report(s, slab, object, "Left Redzone", p - s->red_left_pad,
					    val, s->red_left_pad))
			ret = 0;
		if (!check_bytes_and_report(s, slab, object, "Right Redzone", endobject, val,
					    s->inuse - s->object_size))
			ret = 0;
		if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE) {
			unsigned int orig_size = get_orig_size(s, object);

			if (s->object_size > orig_size &&
			    !check_bytes_and_report(s, slab, object, "kmalloc Redzone", p + orig_size,
						    val, s->object_size - orig_size))
				ret = 0;
		}
	} else {
		if ((s->flags & SLAB_POISON) && s->object_size < s->inuse) {
			if (!check_bytes_and_report(s, slab, p, "Alignment padding", endobject,
						    POISON_INUSE, s->inuse - s->object_size))
				ret = 0;
		}
	}
	if (s->flags & SLAB_POISON) {
		if (val != SLUB_RED_ACTIVE && (s->flags & __OBJECT_POISON)) {
			if (!check_bytes_and_report(s, slab, p, "Poison", p, POISON_FREE,
						    s->object_size - 1))
				ret = 0;
			if (!check_bytes_and_report(s, slab, p, "End Poison", p + s->object_size - 1,
						    POISON_END, 1))
				ret = 0;
		}
		if (!check_pad_bytes(s, slab, p))
			ret = 0;
	}
	/* the free pointer overlaps an allocated object unless it lives outside */
	if ((freeptr_outside_object(s) || val != SLUB_RED_ACTIVE) &&
	    !check_valid_pointer(s, slab, get_freepointer(s, p))) {
		object_err(s, slab, p, "Freepointer corrupt");
		/* no choice but to zap it: the rest of this freelist is lost */
		set_freepointer(s, p, NULL);
		ret = 0;
	}
	return ret;
}

static int check_slab(struct kmem_cache *s, struct slab *slab)
{
	int maxobj;

	if (!PageSlab(slab_page(slab))) {
		slab_err(s, slab, "Not a valid slab page");
		return 0;
	}
	maxobj = (int)order_objects(slab_order(slab), s->size);
	if ((int)slab->objects > maxobj) {
		slab_err(s, slab, "objects %u > max %u", slab->objects, maxobj);
		return 0;
	}
	if (slab->inuse > slab->objects) {
		slab_err(s, slab, "inuse %u > max %u", slab->inuse, slab->objects);
		return 0;
	}
	slab_pad_check(s, slab);
	return 1;
}

/* Is search on slab's freelist?  Repairs a broken chain as the kernel does. */
static int on_freelist(struct kmem_cache *s, struct slab *slab, void *search)
{
	int nr = 0;
	void *fp, *object = NULL;
	int max_objects;

	fp = slab->freelist;
	while (fp && nr <= (int)slab->objects) {
		if (fp == search)
			return 1;
		if (!check_valid_pointer(s, slab, fp)) {
			if (object) {
				object_err(s, slab, object, "Freechain corrupt");
				set_freepointer(s, object, NULL);
			} else {
				slab_err(s, slab, "Freepointer corrupt");
				slab->freelist = NULL;
				slab->inuse = slab->objects;
				slab_fix(s, "Freelist cleared");
				return 0;
			}
			break;
		}
		object = fp;
		fp = get_freepointer(s, object);
		nr++;
	}
	max_objects = (int)order_objects(slab_order(slab), s->size);
	if (max_objects > MAX_OBJS_PER_PAGE)
		max_objects = MAX_OBJS_PER_PAGE;
	if ((int)slab->objects != max_objects) {
		slab_err(s, slab, "Wrong number of objects. Found %d but should be %d",
			 slab->objects, max_objects);
		slab->objects = (unsigned int)max_objects;
		slab_fix(s, "Number of objects adjusted");
	}
	if ((int)slab->inuse != (int)slab->objects - nr) {
		slab_err(s, slab, "Wrong object count. Counter is %d but counted were %d",
			 slab->inuse, slab->objects - nr);
		slab->inuse = (unsigned int)(slab->objects - nr);
		slab_fix(s, "Object count adjusted");
	}
	return search == NULL;
}

static void trace(struct kmem_cache *s, struct slab *slab, void *object, int alloc)
{
	if (s->flags & SLAB_TRACE) {
		printk("TRACE %s %s 0x%lx inuse=%d fp=0x%lx", s->name, alloc ? "alloc" : "free",
		       mmfs_kaddr(object), slab->inuse, kaddr_of(slab->freelist));
		if (!alloc)
			print_section("Object ", object, s->object_size);
	}
}

static void setup_object_debug(struct kmem_cache *s, void *object)
{
	if (!(s->flags & (SLAB_STORE_USER | SLAB_RED_ZONE | __OBJECT_POISON)))
		return;
	init_object(s, object, SLUB_RED_INACTIVE);
	init_tracking(s, object);
}

static void setup_slab_debug(struct kmem_cache *s, struct slab *slab, void *addr)
{
	if (!(s->flags & SLAB_POISON))
		return;
	memset(addr, POISON_INUSE, slab_size(slab));
}

static int alloc_consistency_checks(struct kmem_cache *s, struct slab *slab, void *object)
{
	if (!check_slab(s, slab))
		return 0;
	if (!check_valid_pointer(s, slab, object)) {
		object_err(s, slab, object, "Freelist Pointer check fails");
		return 0;
	}
	if (!check_object(s, slab, object, SLUB_RED_INACTIVE))
		return 0;
	return 1;
}

static bool alloc_debug_processing(struct kmem_cache *s, struct slab *slab, void *object,
				   unsigned int orig_size)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!alloc_consistency_checks(s, slab, object))
			goto bad;
	}
	trace(s, slab, object, 1);
	set_orig_size(s, object, orig_size);
	init_object(s, object, SLUB_RED_ACTIVE);
	return true;
bad:
	/* mark every object used so nothing touches this slab again */
	slab_fix(s, "Marking all objects used");
	slab->inuse = slab->objects;
	slab->freelist = NULL;
	slab->frozen = 1;	/* consistency-failed slab: never on a list again */
	return false;
}

static int free_consistency_checks(struct kmem_cache *s, struct slab *slab, void *object,
				   unsigned long addr)
{
	if (!check_valid_pointer(s, slab, object)) {
		slab_err(s, slab, "Invalid object pointer 0x%lx", kaddr_of(object));
		return 0;
	}
	if (on_freelist(s, slab, object)) {
		object_err(s, slab, object, "Object already free");
		return 0;
	}
	if (!check_object(s, slab, object, SLUB_RED_ACTIVE))
		return 0;
	if (unlikely(s != slab->slab_cache)) {
		if (!PageSlab(slab_page(slab)))
			slab_err(s, slab, "Attempt to free object(0x%lx) outside of slab",
				 kaddr_of(object));
		else if (!slab->slab_cache)
			printk("SLUB <none>: no slab for object 0x%lx.", kaddr_of(object));
		else
			object_err(s, slab, object, "page slab pointer corrupt.");
		return 0;
	}
	return 1;
}

/* Checks and bookkeeping for one object being freed (list_lock held). */
static bool free_debug_processing(struct kmem_cache *s, struct slab *slab, void *object,
				  unsigned long addr)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!check_slab(s, slab))
			goto fail;
		if (slab->inuse < 1) {
			slab_err(s, slab, "Slab has %d allocated objects but %d are to be freed",
				 slab->inuse, 1);
			goto fail;
		}
		if (!free_consistency_checks(s, slab, object, addr))
			goto fail;
	}
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_FREE, addr);
	trace(s, slab, object, 0);
	init_object(s, object, SLUB_RED_INACTIVE);
	return true;
fail:
	slab_fix(s, "Object at 0x%lx not freed", kaddr_of(object));
	return false;
}

/* ================================================= slab page management */
static inline void *setup_object(struct kmem_cache *s, void *object)
{
	setup_object_debug(s, object);
	if (unlikely(s->ctor))
		s->ctor(object);
	return object;
}

static struct slab *alloc_slab_page(gfp_t flags, int node, struct kmem_cache_order_objects oo)
{
	unsigned int order = oo_order(oo);
	struct page *page;

	flags |= __GFP_COMP;
	if (node == NUMA_NO_NODE)
		page = alloc_pages(flags, order);
	else
		page = alloc_pages_node(node, flags, order);
	if (!page)
		return NULL;
	if (!page_address(page)) {	/* highmem cannot hold slabs */
		__free_pages(page, order);
		return NULL;
	}
	__SetPageSlab(page);
	return page_slab(page);
}

#ifdef CONFIG_SLAB_FREELIST_RANDOM
/* The random object order as byte offsets (init_cache_random_seq). */
static int init_cache_random_seq(struct kmem_cache *s)
{
	unsigned int count = oo_objects(s->oo);
	int err;

	/* Bailout if already initialised */
	if (s->random_seq)
		return 0;
	err = cache_random_seq_create(s, count, GFP_KERNEL);
	if (err) {
		printk("SLUB: Unable to initialize free list for %s", s->name);
		return err;
	}
	/* Transform to an offset on the set of pages */
	if (s->random_seq) {
		for (unsigned int i = 0; i < count; i++)
			s->random_seq[i] *= s->size;
	}
	return 0;
}

static void *next_freelist_entry(struct kmem_cache *s, unsigned long *pos, void *start,
				 unsigned long page_limit, unsigned long freelist_count)
{
	unsigned int idx;

	do {
		idx = s->random_seq[*pos];
		*pos += 1;
		if (*pos >= freelist_count)
			*pos = 0;
	} while (unlikely(idx >= page_limit));
	return (char *)start + idx;
}

static bool shuffle_freelist(struct kmem_cache *s, struct slab *slab)
{
	void *start, *cur, *next;
	unsigned long idx, pos, page_limit, freelist_count;

	if (slab->objects < 2 || !s->random_seq)
		return false;
	freelist_count = oo_objects(s->oo);
	pos = slab_get_random_u32_below((unsigned int)freelist_count);
	page_limit = slab->objects * s->size;
	start = fixup_red_left(s, slab_address(slab));
	cur = next_freelist_entry(s, &pos, start, page_limit, freelist_count);
	cur = setup_object(s, cur);
	slab->freelist = cur;
	for (idx = 1; idx < slab->objects; idx++) {
		next = next_freelist_entry(s, &pos, start, page_limit, freelist_count);
		next = setup_object(s, next);
		set_freepointer(s, cur, next);
		cur = next;
	}
	set_freepointer(s, cur, NULL);
	return true;
}
#else
static inline int init_cache_random_seq(struct kmem_cache *s) { return 0; }
static inline bool shuffle_freelist(struct kmem_cache *s, struct slab *slab) { return false; }
#endif

static struct slab *allocate_slab(struct kmem_cache *s, gfp_t flags, int node)
{
	struct slab *slab;
	struct kmem_cache_order_objects oo = s->oo;
	gfp_t alloc_gfp;
	void *start, *p, *next;
	unsigned int idx;

	flags |= s->allocflags;
	flags &= ~__GFP_ZERO;
	/* let a higher-order attempt fail quietly, then fall back to s->min */
	alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	if ((alloc_gfp & __GFP_DIRECT_RECLAIM) && oo_order(oo) > oo_order(s->min))
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;
	slab = alloc_slab_page(alloc_gfp, node, oo);
	if (unlikely(!slab)) {
		oo = s->min;
		alloc_gfp = flags;
		slab = alloc_slab_page(alloc_gfp, node, oo);
		if (unlikely(!slab))
			return NULL;
	}
	slab->objects = oo_objects(oo);
	slab->inuse = 0;
	slab->frozen = 0;
	slab->slab_cache = s;
	account_slab(slab, (int)oo_order(oo), s);
	mmfs_set_owner(slab_page(slab), MMFS_OWNER_SLAB, 0);
	start = slab_address(slab);
	setup_slab_debug(s, slab, start);
	if (!shuffle_freelist(s, slab)) {
		start = fixup_red_left(s, start);
		start = setup_object(s, start);
		slab->freelist = start;
		for (idx = 0, p = start; idx < slab->objects - 1; idx++) {
			next = (char *)p + s->size;
			next = setup_object(s, next);
			set_freepointer(s, p, next);
			p = next;
		}
		set_freepointer(s, p, NULL);
	}
	return slab;
}

static struct slab *new_slab(struct kmem_cache *s, gfp_t flags, int node)
{
	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(flags);
	return allocate_slab(s, flags, node);
}

static void __free_slab(struct kmem_cache *s, struct slab *slab)
{
	struct page *page = slab_page(slab);
	int order = (int)slab_order(slab);

	slab->slab_cache = NULL;
	slab->freelist = NULL;
	slab->counters = 0;
	INIT_LIST_HEAD(&slab->slab_list);
	ClearPageWorkingset(page);
	__ClearPageSlab(page);
	unaccount_slab(slab, order, s);
	__free_pages(page, (unsigned int)order);
}

static void free_slab(struct kmem_cache *s, struct slab *slab)
{
	if (kmem_cache_debug(s)) {
		void *p;

		slab_pad_check(s, slab);
		for (p = fixup_red_left(s, slab_address(slab)); (char *)p < (char *)slab_address(slab) +
		     slab->objects * s->size; p = (char *)p + s->size)
			check_object(s, slab, p, SLUB_RED_INACTIVE);
	}
	/* MMFS: SLAB_TYPESAFE_BY_RCU slabs are freed at once (no RCU grace period) */
	__free_slab(s, slab);
}

static void discard_slab(struct kmem_cache *s, struct slab *slab)
{
	dec_slabs_node(s, slab_nid(slab), (int)slab->objects);
	free_slab(s, slab);
}

/* ================================================================ partial */
struct partial_context {
	gfp_t flags;
	unsigned int orig_size;
	void *object;
};

/* Take one object from a partial slab of a debug cache (list_lock held). */
static void *alloc_single_from_partial(struct kmem_cache *s, struct kmem_cache_node *n,
				       struct slab *slab, unsigned int orig_size)
{
	void *object = slab->freelist;
	void *next;

	lockdep_assert_held(&n->list_lock);
	next = get_freepointer(s, object);
	if (unlikely(!check_valid_pointer(s, slab, next))) {
		object_err(s, slab, object, "Freechain corrupt");
		set_freepointer(s, object, NULL);
		slab_fix(s, "Isolate corrupted freechain");
		next = NULL;
		/* the lost objects stay counted as used */
		slab->inuse = slab->objects - 1;
	}
	slab->freelist = next;
	slab->inuse++;
	if (!alloc_debug_processing(s, slab, object, orig_size)) {
		remove_partial(n, slab);
		return NULL;
	}
	if (slab->inuse == slab->objects || !slab->freelist) {
		remove_partial(n, slab);
		add_full(s, n, slab);
	}
	return object;
}

/* A debug cache's allocation from a brand new slab. */
static void *alloc_single_from_new_slab(struct kmem_cache *s, struct slab *slab,
					unsigned int orig_size)
{
	int nid = slab_nid(slab);
	struct kmem_cache_node *n = get_node(s, nid);
	void *object = slab->freelist;

	slab->freelist = get_freepointer(s, object);
	slab->inuse = 1;
	if (!alloc_debug_processing(s, slab, object, orig_size)) {
		/* not expected on a fresh slab: it stays out of every list */
		inc_slabs_node(s, nid, (int)slab->objects);
		return NULL;
	}
	spin_lock(&n->list_lock);
	if (slab->inuse == slab->objects)
		add_full(s, n, slab);
	else
		add_partial(n, slab, DEACTIVATE_TO_HEAD);
	inc_slabs_node(s, nid, (int)slab->objects);
	spin_unlock(&n->list_lock);
	return object;
}

static void put_cpu_partial(struct kmem_cache *s, struct slab *slab, int drain);

static struct slab *get_partial_node(struct kmem_cache *s, struct kmem_cache_node *n,
				     struct partial_context *pc)
{
	struct slab *slab, *slab2, *partial = NULL;
	unsigned int partial_slabs = 0;

	if (!n || !READ_ONCE(n->nr_partial))
		return NULL;
	spin_lock(&n->list_lock);
	list_for_each_entry_safe(slab, slab2, &n->partial, slab_list) {
		if (kmem_cache_debug(s)) {
			void *object = alloc_single_from_partial(s, n, slab, pc->orig_size);

			if (object) {
				partial = slab;
				pc->object = object;
				break;
			}
			continue;
		}
		remove_partial(n, slab);
		if (!partial) {
			partial = slab;
			if (s->cpu_partial_slabs == 0)
				break;
		} else {
			put_cpu_partial(s, slab, 0);
			if (++partial_slabs > s->cpu_partial_slabs / 2)
				break;
		}
	}
	spin_unlock(&n->list_lock);
	return partial;
}

static struct slab *get_any_partial(struct kmem_cache *s, struct partial_context *pc, int skip)
{
	int nid;
	struct kmem_cache_node *n;

	/* MMFS: remote_node_defrag_ratio only shown, every node is searched */
	for_each_kmem_cache_node(s, nid, n) {
		struct slab *slab;

		if (nid == skip)
			continue;
		slab = get_partial_node(s, n, pc);
		if (slab)
			return slab;
	}
	return NULL;
}

static struct slab *get_partial(struct kmem_cache *s, int node, struct partial_context *pc)
{
	struct slab *slab;
	int searchnode = node == NUMA_NO_NODE ? 0 : node;

	slab = get_partial_node(s, get_node(s, searchnode), pc);
	if (slab || (node != NUMA_NO_NODE && (pc->flags & __GFP_THISNODE)))
		return slab;
	if (node != NUMA_NO_NODE)
		return NULL;
	return get_any_partial(s, pc, searchnode);
}

/* Move a chain of cpu partial slabs to their node lists (or free them). */
static void __put_partials(struct kmem_cache *s, struct slab *partial_slab)
{
	struct kmem_cache_node *n = NULL, *n2;
	struct slab *slab, *slab_to_discard = NULL;

	while (partial_slab) {
		slab = partial_slab;
		partial_slab = slab->next;
		n2 = get_node(s, slab_nid(slab));
		if (n != n2) {
			if (n)
				spin_unlock(&n->list_lock);
			n = n2;
			spin_lock(&n->list_lock);
		}
		struct slab snap;

		snap.counters = READ_ONCE(slab->counters);
		if (unlikely(!snap.inuse && n->nr_partial >= s->min_partial)) {
			slab->next = slab_to_discard;
			slab_to_discard = slab;
		} else {
			add_partial(n, slab, DEACTIVATE_TO_TAIL);
		}
	}
	if (n)
		spin_unlock(&n->list_lock);
	while (slab_to_discard) {
		slab = slab_to_discard;
		slab_to_discard = slab_to_discard->next;
		discard_slab(s, slab);
	}
}

/*
 * put_cpu_partial - put a slab that just got a free object onto this cpu's
 * partial list; with drain, a full list first goes to the node lists.
 */
static void put_cpu_partial(struct kmem_cache *s, struct slab *slab, int drain)
{
	struct kmem_cache_cpu *c = raw_cpu_ptr(s);
	struct slab *oldslab, *slab_to_unfreeze = NULL;
	int slabs = 0;

	spin_lock(&c->lock);
	oldslab = c->partial;
	if (oldslab) {
		if (drain && oldslab->slabs >= (int)s->cpu_partial_slabs) {
			slab_to_unfreeze = oldslab;
			oldslab = NULL;
		} else {
			slabs = oldslab->slabs;
		}
	}
	slabs++;
	WRITE_ONCE(slab->slabs, slabs);
	WRITE_ONCE(slab->next, oldslab);	/* the compound_head word: read locklessly */
	c->partial = slab;
	spin_unlock(&c->lock);
	if (slab_to_unfreeze)
		__put_partials(s, slab_to_unfreeze);
}

/* ============================================================ the cpu slab */
static inline unsigned long next_tid(unsigned long tid)
{
	return tid + TID_STEP;
}

static inline bool node_match(struct slab *slab, int node)
{
	return node == NUMA_NO_NODE || slab_nid(slab) == node;
}

/* Take a slab's whole freelist for the cpu (the slab stays frozen if any). */
static inline void *get_freelist(struct kmem_cache *s, struct slab *slab)
{
	struct slab new;
	unsigned long counters;
	void *freelist;

	do {
		freelist = READ_ONCE(slab->freelist);
		counters = READ_ONCE(slab->counters);
		new.counters = counters;
		new.inuse = new.objects;	/* objects never changes: read from the snapshot */
		new.frozen = freelist != NULL;
	} while (!slab_update_freelist(s, slab, freelist, counters, NULL, new.counters));
	return freelist;
}

/* Freeze an (unfrozen, off-list) slab for the cpu and take its freelist. */
static inline void *freeze_slab(struct kmem_cache *s, struct slab *slab)
{
	struct slab new;
	unsigned long counters;
	void *freelist;

	do {
		freelist = READ_ONCE(slab->freelist);
		counters = READ_ONCE(slab->counters);
		new.counters = counters;
		new.inuse = new.objects;	/* objects never changes: read from the snapshot */
		new.frozen = 1;
	} while (!slab_update_freelist(s, slab, freelist, counters, NULL, new.counters));
	return freelist;
}

/*
 * deactivate_slab - give a cpu slab back: splice the cpu freelist into the
 * slab's, unfreeze it, and put it on the node partial list, or free it when
 * empty and the node has min_partial slabs, or on no list when full.
 */
static void deactivate_slab(struct kmem_cache *s, struct slab *slab, void *freelist)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	int free_delta = 0;
	void *nextfree, *freelist_iter, *freelist_tail;
	int tail = DEACTIVATE_TO_HEAD;
	struct slab new, old;

	if (READ_ONCE(slab->freelist))
		tail = DEACTIVATE_TO_TAIL;
	/* stage one: count the cpu freelist and find its tail */
	freelist_tail = NULL;
	freelist_iter = freelist;
	while (freelist_iter) {
		nextfree = get_freepointer(s, freelist_iter);
		if (unlikely(!check_valid_pointer(s, slab, nextfree) || free_delta > (int)slab_objects_once(slab))) {
			object_err(s, slab, freelist_iter, "Freechain corrupt");
			set_freepointer(s, freelist_iter, NULL);
			slab_fix(s, "Isolate corrupted freechain");
			nextfree = NULL;
		}
		freelist_tail = freelist_iter;
		free_delta++;
		freelist_iter = nextfree;
	}
	/* stage two: unfreeze while splicing */
	do {
		old.freelist = READ_ONCE(slab->freelist);
		old.counters = READ_ONCE(slab->counters);
		new.counters = old.counters;
		new.frozen = 0;
		if (freelist_tail) {
			new.inuse -= free_delta;
			set_freepointer(s, freelist_tail, old.freelist);
			new.freelist = freelist;
		} else {
			new.freelist = old.freelist;
		}
	} while (!slab_update_freelist(s, slab, old.freelist, old.counters, new.freelist,
				       new.counters));
	/* stage three: the list the slab now belongs on */
	if (!new.inuse && n->nr_partial >= s->min_partial) {
		discard_slab(s, slab);
	} else if (new.freelist) {
		spin_lock(&n->list_lock);
		add_partial(n, slab, tail);
		spin_unlock(&n->list_lock);
	}
}

static inline void install_cpu_slab(struct kmem_cache_cpu *c, struct slab *slab)
{
	c->slab = slab;
	if (slab) {
		c->slab_start = (unsigned long)slab_address(slab);
		c->slab_end = c->slab_start + slab_size(slab);
	} else {
		c->slab_start = c->slab_end = 0;
	}
}

/* Flush one cpu's slab and partial list (the kernel's __flush_cpu_slab). */
static void flush_cpu_slab(struct kmem_cache *s, int cpu)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
	struct slab *slab, *partial;
	void *freelist;

	spin_lock(&c->lock);
	slab = c->slab;
	freelist = c->freelist;
	install_cpu_slab(c, NULL);
	c->freelist = NULL;
	c->tid = next_tid(c->tid);
	partial = c->partial;
	c->partial = NULL;
	spin_unlock(&c->lock);
	if (slab)
		deactivate_slab(s, slab, freelist);
	if (partial)
		__put_partials(s, partial);
}

/* flush_all(): every cpu's slabs back to the node lists. */
static void flush_all(struct kmem_cache *s)
{
	int cpu;

	for_each_online_cpu(cpu)
		flush_cpu_slab(s, cpu);
}

/* A corrupted link on the cpu freelist: report, drop the rest. */
static noinline void cpu_freelist_corrupt(struct kmem_cache *s, struct kmem_cache_cpu *c,
					  void *object)
{
	if (c->slab)
		object_err(s, c->slab, object, "Freechain corrupt");
	set_freepointer(s, object, NULL);
	slab_fix(s, "Isolate corrupted freechain");
	c->freelist = NULL;
}

/* Pop the cpu freelist under c->lock; NULL if empty. */
static __always_inline void *cpu_freelist_pop(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	void *object = c->freelist;
	void *next;

	if (unlikely(!object))
		return NULL;
	next = get_freepointer(s, object);
	c->freelist = next;
	c->tid = next_tid(c->tid);
	if (unlikely(next && ((unsigned long)next - c->slab_start >= c->slab_end - c->slab_start)))
		cpu_freelist_corrupt(s, c, object);
	return object;
}

/*
 * ___slab_alloc - the slow path: refill the cpu freelist from the cpu slab,
 * a cpu partial slab, a node partial slab or a new slab.  Debug caches take
 * one object straight from a node slab.  Called without c->lock.
 */
static noinline void *___slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node,
				    unsigned long addr, unsigned int orig_size)
{
	struct kmem_cache_cpu *c;
	void *freelist;
	struct slab *slab;
	struct partial_context pc;

reread_slab:
	c = raw_cpu_ptr(s);
	spin_lock(&c->lock);
	slab = c->slab;
	if (!slab)
		goto new_slab_locked;
	if (unlikely(!node_match(slab, node))) {
		freelist = c->freelist;
		install_cpu_slab(c, NULL);
		c->freelist = NULL;
		c->tid = next_tid(c->tid);
		spin_unlock(&c->lock);
		deactivate_slab(s, slab, freelist);
		goto new_slab;
	}
	freelist = cpu_freelist_pop(s, c);
	if (freelist) {
		spin_unlock(&c->lock);
		return freelist;
	}
	/* the cpu freelist is empty: take what was freed to the slab meanwhile */
	freelist = get_freelist(s, slab);
	if (!freelist) {
		install_cpu_slab(c, NULL);
		c->tid = next_tid(c->tid);
		goto new_slab_locked;
	}
	goto load_freelist;

new_slab:
	c = raw_cpu_ptr(s);
	spin_lock(&c->lock);
new_slab_locked:
	while (c->partial) {
		slab = c->partial;
		c->partial = slab->next;
		if (unlikely(!node_match(slab, node))) {
			spin_unlock(&c->lock);
			slab->next = NULL;
			__put_partials(s, slab);
			spin_lock(&c->lock);
			continue;
		}
		spin_unlock(&c->lock);
		freelist = freeze_slab(s, slab);
		goto retry_load_slab;
	}
	spin_unlock(&c->lock);

	pc.flags = gfpflags;
	pc.orig_size = orig_size;
	pc.object = NULL;
	slab = get_partial(s, node, &pc);
	if (slab) {
		if (kmem_cache_debug(s)) {
			freelist = pc.object;
			if (s->flags & SLAB_STORE_USER)
				set_track(s, freelist, TRACK_ALLOC, addr);
			return freelist;
		}
		freelist = freeze_slab(s, slab);
		goto retry_load_slab;
	}

	slab = new_slab(s, gfpflags, node);
	if (unlikely(!slab))
		return NULL;
	if (kmem_cache_debug(s)) {
		freelist = alloc_single_from_new_slab(s, slab, orig_size);
		if (unlikely(!freelist))
			goto new_slab;
		if (s->flags & SLAB_STORE_USER)
			set_track(s, freelist, TRACK_ALLOC, addr);
		return freelist;
	}
	/* a new slab: the cpu takes every object */
	freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = 1;
	inc_slabs_node(s, slab_nid(slab), (int)slab->objects);

retry_load_slab:
	c = raw_cpu_ptr(s);
	spin_lock(&c->lock);
	if (unlikely(c->slab)) {
		void *flush_freelist = c->freelist;
		struct slab *flush_slab = c->slab;

		install_cpu_slab(c, NULL);
		c->freelist = NULL;
		c->tid = next_tid(c->tid);
		spin_unlock(&c->lock);
		deactivate_slab(s, flush_slab, flush_freelist);
		goto retry_load_slab;
	}
	install_cpu_slab(c, slab);

load_freelist:
	/* c->lock held; freelist is the first object and the rest goes to the cpu */
	c->freelist = freelist;
	freelist = cpu_freelist_pop(s, c);
	spin_unlock(&c->lock);
	if (unlikely(!freelist))
		goto reread_slab;
	return freelist;
}

static void *__slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr,
			  unsigned int orig_size)
{
	return ___slab_alloc(s, gfpflags, node, addr, orig_size);
}

static __always_inline void maybe_wipe_obj_freeptr(struct kmem_cache *s, void *obj)
{
	if (unlikely(slab_want_init_on_free(s)) && obj && !freeptr_outside_object(s))
		memset((char *)obj + s->offset, 0, sizeof(void *));
}

static __always_inline void slab_post_alloc_hook(struct kmem_cache *s, gfp_t flags, void *object,
						 unsigned int orig_size)
{
	if (unlikely(!object))
		return;
	if (slab_want_init_on_alloc(flags, s)) {
		unsigned int zero_size = s->object_size;

		/* with the kmalloc redzone, only what was asked for is zeroed */
		if (slub_debug_orig_size(s) && (s->flags & SLAB_RED_ZONE) && orig_size)
			zero_size = min(orig_size, s->object_size);
		memset(object, 0, zero_size);
	}
}

/*
 * slab_alloc_node - the fast path: pop the cpu freelist under the cpu's
 * own lock (spin_trylock; a busy lock means another thread of this
 * simulated CPU, and we wait in the slow path).
 */
static __always_inline void *slab_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node,
					     unsigned long addr, size_t orig_size)
{
	struct kmem_cache_cpu *c = raw_cpu_ptr(s);
	void *object = NULL;

	if (likely(spin_trylock(&c->lock))) {
		struct slab *slab = c->slab;

		if (likely(slab && node_match(slab, node)))
			object = cpu_freelist_pop(s, c);
		spin_unlock(&c->lock);
	}
	if (unlikely(!object))
		object = __slab_alloc(s, gfpflags, node, addr, (unsigned int)orig_size);
	maybe_wipe_obj_freeptr(s, object);
	slab_post_alloc_hook(s, gfpflags, object, (unsigned int)orig_size);
	return object;
}

/* ================================================================= free */
/* Debug caches: free under list_lock with all the checks. */
static noinline void free_to_partial_list(struct kmem_cache *s, struct slab *slab, void *object,
					  unsigned long addr)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	struct slab *slab_free = NULL;
	void *prior;

	spin_lock(&n->list_lock);
	if (!free_debug_processing(s, slab, object, addr))
		goto out;
	if (slab->frozen) {
		/* a slab that failed a consistency check: never reused */
		goto out;
	}
	prior = slab->freelist;
	set_freepointer(s, object, prior);
	slab->freelist = object;
	slab->inuse--;
	if (slab->inuse == 0 && n->nr_partial >= s->min_partial)
		slab_free = slab;
	if (!prior) {
		/* was full */
		remove_full(s, n, slab);
		if (!slab_free)
			add_partial(n, slab, DEACTIVATE_TO_TAIL);
	} else if (slab_free) {
		remove_partial(n, slab);
	}
	if (slab_free)
		dec_slabs_node(s, slab_nid(slab_free), (int)slab_free->objects);
out:
	spin_unlock(&n->list_lock);
	if (slab_free)
		free_slab(s, slab_free);
}

/*
 * __slab_free - the slow path of a free: the object goes on slab->freelist.
 * A full slab becomes a cpu partial slab; an empty one is discarded if the
 * node has min_partial slabs already.
 */
static noinline void __slab_free(struct kmem_cache *s, struct slab *slab, void *head, void *tail,
				 int cnt, unsigned long addr)
{
	void *prior;
	bool was_frozen, on_node_partial = false;
	struct slab new;
	unsigned long counters;
	struct kmem_cache_node *n = NULL;

	if (kmem_cache_debug(s)) {
		free_to_partial_list(s, slab, head, addr);
		return;
	}
	do {
		if (unlikely(n)) {
			spin_unlock(&n->list_lock);
			n = NULL;
		}
		prior = READ_ONCE(slab->freelist);
		counters = READ_ONCE(slab->counters);
		set_freepointer(s, tail, prior);
		new.counters = counters;
		was_frozen = new.frozen;
		new.inuse -= cnt;
		if ((!new.inuse || !prior) && !was_frozen) {
			if (!kmem_cache_has_cpu_partial(s) || prior) {
				n = get_node(s, slab_nid(slab));
				spin_lock(&n->list_lock);
				on_node_partial = slab_test_node_partial(slab);
			}
		}
	} while (!slab_update_freelist(s, slab, prior, counters, head, new.counters));

	if (likely(!n)) {
		if (likely(was_frozen)) {
			/* a cpu slab: no list to change */
		} else if (kmem_cache_has_cpu_partial(s) && !prior) {
			/* was full: now on this cpu's partial list */
			put_cpu_partial(s, slab, 1);
		}
		return;
	}
	/* partially empty but on a cpu partial list: leave it there */
	if (prior && !on_node_partial) {
		spin_unlock(&n->list_lock);
		return;
	}
	if (unlikely(!new.inuse && n->nr_partial >= s->min_partial))
		goto slab_empty;
	if (!kmem_cache_has_cpu_partial(s) && unlikely(!prior))
		add_partial(n, slab, DEACTIVATE_TO_TAIL);
	spin_unlock(&n->list_lock);
	return;

slab_empty:
	if (prior)
		remove_partial(n, slab);
	spin_unlock(&n->list_lock);
	discard_slab(s, slab);
}

/* The fast path of a free: straight onto the cpu freelist if slab is ours. */
static __always_inline void do_slab_free(struct kmem_cache *s, struct slab *slab, void *head,
					 void *tail, int cnt, unsigned long addr)
{
	struct kmem_cache_cpu *c = raw_cpu_ptr(s);

	if (likely(spin_trylock(&c->lock))) {
		if (likely(slab == c->slab)) {
			void *freelist = c->freelist;

			if (unlikely(freelist == head)) {
				spin_unlock(&c->lock);
				/* CONFIG_SLAB_FREELIST_HARDENED's naive double-free check */
				printk("SLUB %s: double free of 0x%lx detected", s->name, mmfs_kaddr(head));
				return;
			}
			set_freepointer(s, tail, freelist);
			c->freelist = head;
			c->tid = next_tid(c->tid);
			spin_unlock(&c->lock);
			return;
		}
		spin_unlock(&c->lock);
	}
	__slab_free(s, slab, head, tail, cnt, addr);
}

static __always_inline void slab_free(struct kmem_cache *s, struct slab *slab, void *object,
				      unsigned long addr)
{
	if (unlikely(slab_want_init_on_free(s)))
		memset(object, 0, s->object_size);
	do_slab_free(s, slab, object, object, 1, addr);
}

/* ============================================================= geometry */
static inline unsigned int calc_slab_order(unsigned int size, unsigned int min_order,
					   unsigned int max_order, unsigned int fract_leftover)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned int slab_size = (unsigned int)PAGE_SIZE << order;
		unsigned int rem = slab_size % size;

		if (rem <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/* calculate_order(): -ENOSYS (as unsigned) when no order can hold one object */
static int calculate_order(unsigned int size)
{
	unsigned int order, min_objects, max_objects, min_order;

	min_objects = slub_min_objects;
	if (!min_objects) {
		unsigned int nr_cpus = nr_cpu_ids;	/* num_present_cpus() */

		min_objects = 4 * ((unsigned int)fls(nr_cpus) + 1);
	}
	max_objects = max(order_objects(slub_max_order, size), 1U);
	min_objects = min(min_objects, max_objects);
	min_order = max_t(unsigned int, slub_min_order,
			  (unsigned int)get_order((unsigned long)min_objects * size));
	if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE)
		return get_order((unsigned long)size * MAX_OBJS_PER_PAGE) - 1;
	for (unsigned int fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order, slub_max_order, fraction);
		if (order <= slub_max_order)
			return (int)order;
	}
	order = (unsigned int)get_order(size);
	if (order <= MAX_PAGE_ORDER)
		return (int)order;
	return -ENOSYS;
}

/**
 * slub_calculate_order - calculate_order() for the current nr_cpu_ids
 * (for the geometry tests)
 * @size: slot size (s->size)
 *
 * Return: the slab order.
 */
unsigned int slub_calculate_order(unsigned int size)
{
	return (unsigned int)calculate_order(size);
}

/*
 * calculate_sizes - the object layout: [left red zone] object [right red
 * zone] [free pointer] [alloc/free tracks] [orig_size] [padding], then the
 * order and objects of a slab.  Return: 1, or 0 if no order fits.
 */
static int calculate_sizes(struct kmem_cache *s)
{
	slab_flags_t flags = s->flags;
	unsigned int size = s->object_size;
	int order;

	size = ALIGN(size, (unsigned int)sizeof(void *));
	if ((flags & SLAB_POISON) && !(flags & SLAB_TYPESAFE_BY_RCU) && !s->ctor)
		s->flags |= __OBJECT_POISON;
	else
		s->flags &= ~__OBJECT_POISON;
	/* a red zone needs at least one word after the object */
	if ((flags & SLAB_RED_ZONE) && size == s->object_size)
		size += sizeof(void *);
	s->inuse = size;
	if ((flags & SLAB_TYPESAFE_BY_RCU) || (flags & SLAB_POISON) || s->ctor ||
	    ((flags & SLAB_RED_ZONE) &&
	     (s->object_size < sizeof(void *) || slub_debug_orig_size(s)))) {
		/* the free pointer may not overwrite the object: put it behind */
		s->offset = size;
		size += sizeof(void *);
	} else {
		/* in the middle of the object, away from small over/underflows */
		s->offset = ALIGN_DOWN(s->object_size / 2, (unsigned int)sizeof(void *));
	}
	if (flags & SLAB_STORE_USER) {
		size += 2 * sizeof(struct track);
		if (flags & SLAB_KMALLOC)
			size += sizeof(unsigned int);
	}
	if (flags & SLAB_RED_ZONE) {
		/* padding to catch writes before the start of the next object */
		size += sizeof(void *);
		s->red_left_pad = sizeof(void *);
		s->red_left_pad = ALIGN(s->red_left_pad, s->align);
		size += s->red_left_pad;
	} else {
		s->red_left_pad = 0;
	}
	size = ALIGN(size, s->align);
	s->size = size;
	order = calculate_order(size);
	if (order < 0)
		return 0;
	s->allocflags = __GFP_COMP;
	if (s->flags & SLAB_CACHE_DMA)
		s->allocflags |= GFP_DMA;
	if (s->flags & SLAB_CACHE_DMA32)
		s->allocflags |= GFP_DMA32;
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	s->oo = oo_make((unsigned int)order, size);
	s->min = oo_make((unsigned int)get_order(size), size);
	return !!oo_objects(s->oo);
}

/**
 * slub_calculate_sizes - calculate_sizes() on a cache with object_size,
 * align, flags and ctor set (for the geometry tests)
 * @s: the cache
 *
 * Return: 1, or 0 if no slab order can hold an object.
 */
int slub_calculate_sizes(struct kmem_cache *s)
{
	return calculate_sizes(s);
}

static void set_min_partial(struct kmem_cache *s, unsigned long min)
{
	s->min_partial = clamp(min, 5UL, 10UL);
}

static void slub_set_cpu_partial(struct kmem_cache *s, unsigned int nr_objects)
{
	s->cpu_partial = nr_objects;
	/* counted in slabs assuming they are half full */
	s->cpu_partial_slabs = DIV_ROUND_UP(nr_objects * 2, oo_objects(s->oo));
}

static void set_cpu_partial(struct kmem_cache *s)
{
	unsigned int nr_objects;

	if (!kmem_cache_has_cpu_partial(s))
		nr_objects = 0;
	else if (s->size >= PAGE_SIZE)
		nr_objects = 6;
	else if (s->size >= 1024)
		nr_objects = 24;
	else if (s->size >= 256)
		nr_objects = 52;
	else
		nr_objects = 120;
	slub_set_cpu_partial(s, nr_objects);
}

/* ======================================================= cache lifecycle */
static void init_kmem_cache_node(struct kmem_cache_node *n)
{
	spin_lock_init(&n->list_lock);
	n->nr_partial = 0;
	INIT_LIST_HEAD(&n->partial);
	atomic_long_set(&n->nr_slabs, 0);
	atomic_long_set(&n->total_objects, 0);
	INIT_LIST_HEAD(&n->full);
	n->nr_full = 0;
}

static int alloc_kmem_cache_cpus(struct kmem_cache *s)
{
	size_t bytes = nr_cpu_ids * sizeof(struct kmem_cache_cpu);

	/* MMFS: alloc_percpu is host memory here */
	s->cpu_slab = aligned_alloc(64, ALIGN(bytes, (size_t)64));
	if (!s->cpu_slab)
		return 0;
	memset(s->cpu_slab, 0, bytes);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		spin_lock_init(&s->cpu_slab[cpu].lock);
		s->cpu_slab[cpu].tid = cpu;	/* init_tid() */
	}
	return 1;
}

/* The first kmem_cache_node object comes from a slab it describes itself. */
static void early_kmem_cache_node_alloc(int node)
{
	struct slab *slab;
	struct kmem_cache_node *n;

	slab = new_slab(kmem_cache_node, GFP_NOWAIT, node);
	BUG_ON(!slab);
	if (slab_nid(slab) != node) {
		printk("SLUB: Unable to allocate memory from node %d", node);
		printk("SLUB: Allocating a useless per node structure in order to be able to continue");
	}
	n = slab->freelist;
	BUG_ON(!n);
	init_object(kmem_cache_node, n, SLUB_RED_ACTIVE);
	slab->freelist = get_freepointer(kmem_cache_node, n);
	slab->inuse = 1;
	kmem_cache_node->node[node] = n;
	init_kmem_cache_node(n);
	inc_slabs_node(kmem_cache_node, node, (int)slab->objects);
	__add_partial(n, slab, DEACTIVATE_TO_HEAD);
}

static void free_kmem_cache_nodes(struct kmem_cache *s)
{
	int node;
	struct kmem_cache_node *n;

	for_each_kmem_cache_node(s, node, n) {
		s->node[node] = NULL;
		kmem_cache_free(kmem_cache_node, n);
	}
}

static int init_kmem_cache_nodes(struct kmem_cache *s)
{
	for (int node = 0; node < nr_node_ids; node++) {
		struct kmem_cache_node *n;

		if (slab_state == DOWN) {
			early_kmem_cache_node_alloc(node);
			continue;
		}
		n = slab_alloc_node(kmem_cache_node, GFP_KERNEL, node, _RET_IP_,
				    kmem_cache_node->object_size);
		if (!n) {
			free_kmem_cache_nodes(s);
			return 0;
		}
		init_kmem_cache_node(n);
		s->node[node] = n;
	}
	return 1;
}

static void __kmem_cache_release(struct kmem_cache *s)
{
	cache_random_seq_destroy(s);
	free(s->cpu_slab);
	s->cpu_slab = NULL;
	free_kmem_cache_nodes(s);
}

/* kmem_cache_open() */
static int __kmem_cache_create(struct kmem_cache *s, slab_flags_t flags)
{
	s->flags = kmem_cache_flags(s->size, flags, s->name);
#ifdef CONFIG_SLAB_FREELIST_HARDENED
	s->random = slab_get_random_long();
#endif
	if (!calculate_sizes(s))
		goto error;
	set_min_partial(s, (unsigned long)ilog2(s->size) / 2);
	set_cpu_partial(s);
	s->remote_node_defrag_ratio = 1000;
	if (init_cache_random_seq(s))
		goto error;
	if (!init_kmem_cache_nodes(s))
		goto error;
	if (alloc_kmem_cache_cpus(s))
		return 0;
error:
	__kmem_cache_release(s);
	return -EINVAL;
}

/* Free the empty partial slabs of a node; report the others. */
static void free_partial(struct kmem_cache *s, struct kmem_cache_node *n)
{
	LIST_HEAD(discard);
	struct slab *slab, *h;

	spin_lock(&n->list_lock);
	list_for_each_entry_safe(slab, h, &n->partial, slab_list) {
		if (!slab->inuse) {
			remove_partial(n, slab);
			list_add(&slab->slab_list, &discard);
		}
	}
	spin_unlock(&n->list_lock);
	list_for_each_entry_safe(slab, h, &discard, slab_list)
		discard_slab(s, slab);
}

static bool kmem_cache_empty(struct kmem_cache *s)
{
	int node;
	struct kmem_cache_node *n;

	for_each_kmem_cache_node(s, node, n)
		if (n->nr_partial || node_nr_slabs(n))
			return false;
	return true;
}

static int __kmem_cache_shutdown(struct kmem_cache *s)
{
	int node;
	struct kmem_cache_node *n;

	flush_all(s);
	for_each_kmem_cache_node(s, node, n)
		free_partial(s, n);
	return kmem_cache_empty(s) ? 0 : -EBUSY;
}

/* __kmem_cache_shrink(): 0 if every slab is now in use, 1 otherwise */
static int __kmem_cache_shrink(struct kmem_cache *s)
{
	int node, ret = 0;
	struct kmem_cache_node *n;

	flush_all(s);
	for_each_kmem_cache_node(s, node, n) {
		free_partial(s, n);
		if (node_nr_slabs(n))
			ret = 1;
	}
	return ret;
}

/* ================================================================ bootstrap */
static struct kmem_cache boot_kmem_cache, boot_kmem_cache_node;

/* Point every slab page of static_cache at its new home s (MMFS: by a walk
 * of all slab pages, since full slabs are on no list). */
static void fixup_slab_cache_pointers(struct kmem_cache *from, struct kmem_cache *to)
{
	unsigned long pfn = 0;

	while ((pfn = mmfs_next_allocated_block(pfn)) != -1UL) {
		struct page *page = pfn_to_page(pfn);

		if (PageSlab(page) && page_slab(page)->slab_cache == from)
			page_slab(page)->slab_cache = to;
		pfn += 1UL << compound_order(page);
	}
}

static struct kmem_cache *bootstrap(struct kmem_cache *static_cache)
{
	struct kmem_cache *s = slab_alloc_node(kmem_cache, GFP_NOWAIT, NUMA_NO_NODE, _RET_IP_,
					       kmem_cache->object_size);

	BUG_ON(!s);
	memcpy(s, static_cache, kmem_cache->object_size);
	flush_all(s);
	fixup_slab_cache_pointers(static_cache, s);
	list_add(&s->list, &slab_caches);
	return s;
}

/*
 * MMFS: 6.18's struct kmem_cache on x86-64, as the host is configured
 * (SLUB_DEBUG, SYSFS, SLUB_CPU_PARTIAL, SLAB_FREELIST_HARDENED/RANDOM,
 * NUMA), has its node[] array at offset 224; mmfs's own is smaller.  The
 * kmem_cache cache is sized as the kernel's, so its object_size, slab_size
 * and objs_per_slab read as the host's (232, 256, 16 with one node).
 */
#define KMEM_CACHE_NODE_OFFSET	224

static int slub_kmem_cache_init(void)
{
	memset(&boot_kmem_cache, 0, sizeof(boot_kmem_cache));
	memset(&boot_kmem_cache_node, 0, sizeof(boot_kmem_cache_node));
	kmem_cache_node = &boot_kmem_cache_node;
	kmem_cache = &boot_kmem_cache;
	create_boot_cache(kmem_cache_node, "kmem_cache_node", sizeof(struct kmem_cache_node),
			  SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE, 0, 0);
	slab_state = PARTIAL;
	create_boot_cache(kmem_cache, "kmem_cache",
			  (unsigned int)(max(offsetof(struct kmem_cache, node), KMEM_CACHE_NODE_OFFSET) +
					 nr_node_ids * sizeof(struct kmem_cache_node *)),
			  SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE, 0, 0);
	kmem_cache = bootstrap(&boot_kmem_cache);
	kmem_cache_node = bootstrap(&boot_kmem_cache_node);
	printk("SLUB: HWalign=%d, Order=%u-%u, MinObjects=%u, CPUs=%u, Nodes=%d",
	       L1_CACHE_BYTES, slub_min_order, slub_max_order, slub_min_objects, nr_cpu_ids,
	       nr_node_ids);
	return 0;
}

/* Give every slab page back and forget the per-cpu arrays. */
static void slub_kmem_cache_teardown(void)
{
	struct kmem_cache *s;
	void **host = NULL;
	size_t nr = 0, cap = 0;
	unsigned long pfn = 0;

	list_for_each_entry(s, &slab_caches, list) {
		if (nr + 2 > cap) {
			cap = cap ? cap * 2 : 64;
			host = realloc(host, cap * sizeof(void *));
			if (!host)
				return;
		}
		host[nr++] = s->cpu_slab;
		host[nr++] = s->random_seq;
	}
	while ((pfn = mmfs_next_allocated_block(pfn)) != -1UL) {
		struct page *page = pfn_to_page(pfn);
		unsigned int order = compound_order(page);

		if (PageSlab(page)) {
			struct slab *slab = page_slab(page);
			struct kmem_cache *sc = slab->slab_cache;

			slab->slab_cache = NULL;
			slab->freelist = NULL;
			slab->counters = 0;
			INIT_LIST_HEAD(&slab->slab_list);
			__ClearPageWorkingset(page);
			__ClearPageSlab(page);
			mod_node_page_state(NODE_DATA(page_to_nid(page)),
					    sc ? cache_vmstat_idx(sc) : NR_SLAB_UNRECLAIMABLE_B,
					    -(long)(PAGE_SIZE << order));
			__free_pages(page, order);
		}
		pfn += 1UL << order;
	}
	for (size_t i = 0; i < nr; i++)
		free(host[i]);
	free(host);
	kmem_cache_node = NULL;
}

/* ============================================================ the API */
static void *slub_alloc(struct kmem_cache *s, gfp_t gfp, int node, unsigned long caller,
			size_t orig_size)
{
	if (node != NUMA_NO_NODE && (node < 0 || node >= nr_node_ids))
		node = NUMA_NO_NODE;
	return slab_alloc_node(s, gfp, node, caller, orig_size ? orig_size : s->object_size);
}

static void slub_free(struct kmem_cache *s, struct slab *slab, void *obj, unsigned long caller)
{
	slab_free(s, slab, obj, caller);
}

static int slub_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	struct kmem_cache_cpu *c;
	size_t i;

	c = raw_cpu_ptr(s);
	spin_lock(&c->lock);
	for (i = 0; i < size; i++) {
		void *object = c->slab ? cpu_freelist_pop(s, c) : NULL;

		if (unlikely(!object)) {
			spin_unlock(&c->lock);
			p[i] = ___slab_alloc(s, flags, NUMA_NO_NODE, _RET_IP_, s->object_size);
			if (unlikely(!p[i]))
				goto error;
			c = raw_cpu_ptr(s);
			spin_lock(&c->lock);
			continue;
		}
		p[i] = object;
	}
	spin_unlock(&c->lock);
	for (size_t j = 0; j < size; j++) {
		maybe_wipe_obj_freeptr(s, p[j]);
		slab_post_alloc_hook(s, flags, p[j], s->object_size);
	}
	return (int)i;
error:
	for (size_t j = 0; j < i; j++)
		kmem_cache_free(s, p[j]);
	return 0;
}

static size_t slub_ksize(struct kmem_cache *s, const void *obj)
{
	if (s->flags & (SLAB_RED_ZONE | SLAB_POISON))
		return s->object_size;
	if (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_STORE_USER))
		return s->inuse;
	return s->size;
}

/* count_partial(): sum of get_count over the node's partial slabs */
static unsigned long count_partial(struct kmem_cache_node *n, int (*get_count)(struct slab *))
{
	unsigned long x = 0;
	struct slab *slab;

	spin_lock(&n->list_lock);
	list_for_each_entry(slab, &n->partial, slab_list)
		x += (unsigned long)get_count(slab);
	spin_unlock(&n->list_lock);
	return x;
}

static int count_free(struct slab *slab) { return (int)slab->objects - (int)slab->inuse; }
static int count_inuse(struct slab *slab) { return (int)slab->inuse; }
static int count_total(struct slab *slab) { return (int)slab->objects; }

static void slub_get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo)
{
	unsigned long nr_slabs = 0, nr_objs = 0, nr_free = 0;
	int node;
	struct kmem_cache_node *n;

	for_each_kmem_cache_node(s, node, n) {
		nr_slabs += node_nr_slabs(n);
		nr_objs += node_nr_objs(n);
		nr_free += count_partial(n, count_free);
	}
	sinfo->active_objs = nr_objs - nr_free;
	sinfo->num_objs = nr_objs;
	sinfo->active_slabs = nr_slabs;
	sinfo->num_slabs = nr_slabs;
	sinfo->objects_per_slab = oo_objects(s->oo);
	sinfo->cache_order = oo_order(s->oo);
}

/* ============================================================ validate */
/* Mark the free objects of slab in map (bit per index). */
static void __fill_map(unsigned long *map, struct kmem_cache *s, struct slab *slab)
{
	void *p;
	unsigned int nr = 0;

	for (p = slab->freelist; p && nr <= slab->objects; p = get_freepointer(s, p), nr++) {
		if (!check_valid_pointer(s, slab, p))
			break;
		unsigned int idx = obj_to_index(s, slab, p);

		map[idx / 64] |= 1UL << (idx % 64);
	}
}

static void validate_slab(struct kmem_cache *s, struct slab *slab, unsigned long *obj_map)
{
	char *addr;

	if (!check_slab(s, slab) || !on_freelist(s, slab, NULL))
		return;
	memset(obj_map, 0, DIV_ROUND_UP(MAX_OBJS_PER_PAGE + 1, 64) * sizeof(unsigned long));
	__fill_map(obj_map, s, slab);
	addr = slab_address(slab);
	for (unsigned int i = 0; i < slab->objects; i++) {
		void *p = fixup_red_left(s, addr + i * s->size);
		uint8_t val = (obj_map[i / 64] >> (i % 64)) & 1 ? SLUB_RED_INACTIVE : SLUB_RED_ACTIVE;

		if (kmem_cache_debug(s))
			check_object(s, slab, p, val);
		else if (val == SLUB_RED_INACTIVE && !check_valid_pointer(s, slab, get_freepointer(s, p)))
			check_object(s, slab, p, val);
	}
}

static unsigned long validate_slab_node(struct kmem_cache *s, struct kmem_cache_node *n,
					unsigned long *obj_map)
{
	unsigned long count = 0;
	struct slab *slab;

	spin_lock(&n->list_lock);
	list_for_each_entry(slab, &n->partial, slab_list) {
		if (!kmem_cache_debug(s))
			slab_lock(slab);
		validate_slab(s, slab, obj_map);
		if (!kmem_cache_debug(s))
			slab_unlock(slab);
		count++;
	}
	if (count != n->nr_partial) {
		printk("SLUB %s: %lu partial slabs counted but counter=%lu", s->name, count,
		       n->nr_partial);
		if (cur_sink) {
			slab_report_append(cur_sink->buf, cur_sink->len, cur_sink->cap,
					   "SLUB %s: %lu partial slabs counted but counter=%lu\n",
					   s->name, count, n->nr_partial);
			cur_sink->count++;
		}
	}
	if (kmem_cache_debug(s)) {
		unsigned long full = 0;

		list_for_each_entry(slab, &n->full, slab_list) {
			validate_slab(s, slab, obj_map);
			full++;
		}
		count += full;
		if (full != n->nr_full) {
			printk("SLUB %s: %lu full slabs counted but counter=%lu", s->name, full,
			       n->nr_full);
			if (cur_sink) {
				slab_report_append(cur_sink->buf, cur_sink->len, cur_sink->cap,
						   "SLUB %s: %lu full slabs counted but counter=%lu\n",
						   s->name, full, n->nr_full);
				cur_sink->count++;
			}
		}
	}
	spin_unlock(&n->list_lock);
	return count;
}

static int validate_slab_cache(struct kmem_cache *s, char **buf, size_t *len, size_t *cap)
{
	int node;
	struct kmem_cache_node *n;
	struct validate_sink sink = { buf, len, cap, 0 };
	unsigned long *obj_map = malloc(DIV_ROUND_UP(MAX_OBJS_PER_PAGE + 1, 64) * sizeof(unsigned long));

	if (!obj_map)
		return 0;
	cur_sink = &sink;
	flush_all(s);
	for_each_kmem_cache_node(s, node, n)
		validate_slab_node(s, n, obj_map);
	cur_sink = NULL;
	free(obj_map);
	return sink.count;
}

/* ========================================================== object info */
static bool freelist_contains(struct kmem_cache *s, struct slab *slab, void *fp, void *object)
{
	unsigned int nr = 0;

	while (fp && nr <= slab->objects) {
		if (fp == object)
			return true;
		if (!check_valid_pointer(s, slab, fp))
			return false;
		fp = get_freepointer(s, fp);
		nr++;
	}
	return false;
}

static int slub_object_info(const void *ptr, struct slab_object_info *info)
{
	struct slab *slab = virt_to_slab(ptr);
	struct kmem_cache *s;
	char *base, *object;
	unsigned long off;
	unsigned int idx;
	bool is_free = false;

	if (!slab || !(s = slab->slab_cache))
		return -ENOENT;
	base = slab_address(slab);
	off = (unsigned long)((const char *)ptr - base);
	if (off >= (unsigned long)slab->objects * s->size)
		return -ENOENT;
	idx = (unsigned int)(off / s->size);
	object = fixup_red_left(s, base + (unsigned long)idx * s->size);
	if (kmem_cache_debug(s)) {
		struct kmem_cache_node *n = get_node(s, slab_nid(slab));

		spin_lock(&n->list_lock);
		is_free = freelist_contains(s, slab, slab->freelist, object);
		spin_unlock(&n->list_lock);
	} else {
		int cpu;

		for_each_online_cpu(cpu)
			spin_lock(&s->cpu_slab[cpu].lock);
		slab_lock(slab);
		is_free = freelist_contains(s, slab, slab->freelist, object);
		for_each_online_cpu(cpu) {
			struct kmem_cache_cpu *c = &s->cpu_slab[cpu];

			if (!is_free && c->slab == slab)
				is_free = freelist_contains(s, slab, c->freelist, object);
		}
		slab_unlock(slab);
		for_each_online_cpu(cpu)
			spin_unlock(&s->cpu_slab[cpu].lock);
	}
	info->s = s;
	info->slab = slab;
	info->object = object;
	info->index = idx;
	info->is_free = is_free;
	info->in_object = (const char *)ptr >= object && (const char *)ptr < object + s->object_size;
	return 0;
}

/* ============================================================ sysfs attrs */
enum slab_stat_type {
	SL_ALL, SL_PARTIAL, SL_CPU, SL_OBJECTS, SL_TOTAL
};
#define SO_ALL		(1 << SL_ALL)
#define SO_PARTIAL	(1 << SL_PARTIAL)
#define SO_CPU		(1 << SL_CPU)
#define SO_OBJECTS	(1 << SL_OBJECTS)
#define SO_TOTAL	(1 << SL_TOTAL)

struct emit {
	char *buf;
	size_t len, pos;
};

static void emit(struct emit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct emit *e, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (e->pos >= e->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(e->buf + e->pos, e->len - e->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		e->pos = min(e->pos + (size_t)n, e->len ? e->len - 1 : 0);
}

static void show_slab_objects(struct kmem_cache *s, struct emit *e, unsigned long flags)
{
	unsigned long total = 0;
	unsigned long nodes[MAX_NUMNODES];
	int node;
	struct kmem_cache_node *n;

	memset(nodes, 0, sizeof(nodes));
	if (flags & SO_CPU) {
		int cpu;

		for_each_possible_cpu(cpu) {
			struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
			struct slab *slab;
			unsigned long x;

			spin_lock(&c->lock);
			slab = c->slab;
			if (slab) {
				node = slab_nid(slab);
				if (flags & SO_TOTAL)
					x = slab->objects;
				else if (flags & SO_OBJECTS)
					x = slab->inuse;
				else
					x = 1;
				total += x;
				nodes[node] += x;
			}
			slab = c->partial;
			if (slab) {
				node = slab_nid(slab);
				x = (flags & (SO_TOTAL | SO_OBJECTS)) ? 0 : (unsigned long)slab->slabs;
				total += x;
				nodes[node] += x;
			}
			spin_unlock(&c->lock);
		}
	}
	if (flags & SO_ALL) {
		for_each_kmem_cache_node(s, node, n) {
			unsigned long x;

			if (flags & SO_TOTAL)
				x = node_nr_objs(n);
			else if (flags & SO_OBJECTS)
				x = node_nr_objs(n) - count_partial(n, count_free);
			else
				x = node_nr_slabs(n);
			total += x;
			nodes[node] += x;
		}
	} else if (flags & SO_PARTIAL) {
		for_each_kmem_cache_node(s, node, n) {
			unsigned long x;

			if (flags & SO_TOTAL)
				x = count_partial(n, count_total);
			else if (flags & SO_OBJECTS)
				x = count_partial(n, count_inuse);
			else
				x = n->nr_partial;
			total += x;
			nodes[node] += x;
		}
	}
	emit(e, "%lu", total);
	for (node = 0; node < nr_node_ids; node++)
		if (nodes[node])
			emit(e, " N%d=%lu", node, nodes[node]);
	emit(e, "\n");
}

/* bitmap_print_to_pagebuf(list=true) for up to 64 bits */
static void emit_bitmap_list(struct emit *e, uint64_t map)
{
	bool first = true;

	for (int i = 0; i < 64; i++) {
		int j;

		if (!(map & (1ULL << i)))
			continue;
		for (j = i; j + 1 < 64 && (map & (1ULL << (j + 1))); j++)
			;
		if (j > i)
			emit(e, "%s%d-%d", first ? "" : ",", i, j);
		else
			emit(e, "%s%d", first ? "" : ",", i);
		first = false;
		i = j;
	}
}

struct location {
	unsigned long count, addr;
	long long sum_time;
	long min_time, max_time, min_pid, max_pid;
	uint64_t cpus, nodes;
};

static void add_location(struct location *loc, int *nr, int max, struct track *t, int node)
{
	long age = (long)(atomic_load_explicit(&jiffies, memory_order_relaxed) - t->when);
	int i;

	for (i = 0; i < *nr; i++)
		if (loc[i].addr == t->addr)
			break;
	if (i == *nr) {
		if (*nr >= max)
			return;
		/* keep sorted by address, as the kernel's binary insertion does */
		for (i = *nr; i > 0 && loc[i - 1].addr > t->addr; i--)
			loc[i] = loc[i - 1];
		memset(&loc[i], 0, sizeof(loc[i]));
		loc[i].addr = t->addr;
		loc[i].min_time = loc[i].max_time = age;
		loc[i].min_pid = loc[i].max_pid = t->pid;
		(*nr)++;
	}
	loc[i].count++;
	loc[i].sum_time += age;
	loc[i].min_time = min(loc[i].min_time, age);
	loc[i].max_time = max(loc[i].max_time, age);
	loc[i].min_pid = min(loc[i].min_pid, (long)t->pid);
	loc[i].max_pid = max(loc[i].max_pid, (long)t->pid);
	loc[i].cpus |= 1ULL << (t->cpu & 63);
	loc[i].nodes |= 1ULL << (node & 63);
}

/* alloc_calls / free_calls (list_locations) */
static void list_locations(struct kmem_cache *s, struct emit *e, enum track_item alloc)
{
	enum { MAX_LOC = 128 };
	struct location *loc = calloc(MAX_LOC, sizeof(*loc));
	unsigned long *map = malloc(DIV_ROUND_UP(MAX_OBJS_PER_PAGE + 1, 64) * sizeof(unsigned long));
	int nr = 0, node;
	struct kmem_cache_node *n;

	if (!loc || !map || !(s->flags & SLAB_STORE_USER)) {
		emit(e, "No data\n");
		free(loc);
		free(map);
		return;
	}
	for_each_kmem_cache_node(s, node, n) {
		struct list_head *lists[2] = { &n->partial, &n->full };
		struct slab *slab;

		spin_lock(&n->list_lock);
		for (int l = 0; l < 2; l++) {
			list_for_each_entry(slab, lists[l], slab_list) {
				char *addr = slab_address(slab);

				memset(map, 0, DIV_ROUND_UP(MAX_OBJS_PER_PAGE + 1, 64) * sizeof(unsigned long));
				__fill_map(map, s, slab);
				for (unsigned int i = 0; i < slab->objects; i++) {
					void *p = fixup_red_left(s, addr + i * s->size);

					if (!((map[i / 64] >> (i % 64)) & 1))
						add_location(loc, &nr, MAX_LOC, get_track(s, p, alloc), node);
				}
			}
		}
		spin_unlock(&n->list_lock);
	}
	for (int i = 0; i < nr; i++) {
		struct location *l = &loc[i];
		char sym[128];

		emit(e, "%7ld ", (long)l->count);
		if (l->addr) {
			format_symbol(l->addr, sym, sizeof(sym));
			emit(e, "%s", sym);
		} else {
			emit(e, "<not-available>");
		}
		if (l->sum_time != l->min_time)
			emit(e, " age=%ld/%llu/%ld", l->min_time,
			     (unsigned long long)(l->sum_time / (long long)l->count), l->max_time);
		else
			emit(e, " age=%ld", l->min_time);
		if (l->min_pid != l->max_pid)
			emit(e, " pid=%ld-%ld", l->min_pid, l->max_pid);
		else
			emit(e, " pid=%ld", l->min_pid);
		if (num_online_cpus() > 1 && l->cpus) {
			emit(e, " cpus=");
			emit_bitmap_list(e, l->cpus);
		}
		if (nr_online_nodes > 1 && l->nodes) {
			emit(e, " nodes=");
			emit_bitmap_list(e, l->nodes);
		}
		emit(e, "\n");
	}
	if (!nr)
		emit(e, "No data\n");
	free(loc);
	free(map);
}

static const struct mmfs_slab_attr slub_attrs[] = {
	{ "aliases", 0400 },
	{ "align", 0400 },
	{ "alloc_calls", 0400 },
	{ "cache_dma", 0400 },
	{ "cpu_partial", 0600 },
	{ "cpu_slabs", 0400 },
	{ "ctor", 0400 },
	{ "destroy_by_rcu", 0400 },
	{ "free_calls", 0400 },
	{ "hwcache_align", 0400 },
	{ "min_partial", 0600 },
	{ "object_size", 0400 },
	{ "objects", 0400 },
	{ "objects_partial", 0400 },
	{ "objs_per_slab", 0400 },
	{ "order", 0400 },
	{ "partial", 0400 },
	{ "poison", 0400 },
	{ "reclaim_account", 0400 },
	{ "red_zone", 0400 },
	{ "remote_node_defrag_ratio", 0600 },
	{ "sanity_checks", 0400 },
	{ "shrink", 0600 },
	{ "slab_size", 0400 },
	{ "slabs", 0400 },
	{ "slabs_cpu_partial", 0400 },
	{ "store_user", 0400 },
	{ "total_objects", 0400 },
	{ "trace", 0400 },
	{ "usersize", 0400 },
	{ "validate", 0600 },
	{ NULL, 0 }
};

static long slub_attr_show(struct kmem_cache *s, const char *attr, char *buf, size_t len)
{
	struct emit e = { buf, len, 0 };

	if (!len)
		return -EINVAL;
	buf[0] = '\0';
	/* the SLAB_* flag files (FLAG_ATTR) are slab_common.c's slab_flag_attr_show */
	if (!strcmp(attr, "aliases"))
		emit(&e, "%d\n", s->refcount < 0 ? 0 : s->refcount - 1);
	else if (!strcmp(attr, "align"))
		emit(&e, "%u\n", s->align);
	else if (!strcmp(attr, "alloc_calls"))
		list_locations(s, &e, TRACK_ALLOC);
	else if (!strcmp(attr, "free_calls"))
		list_locations(s, &e, TRACK_FREE);
	else if (!strcmp(attr, "cpu_partial"))
		emit(&e, "%u\n", s->cpu_partial);
	else if (!strcmp(attr, "cpu_slabs"))
		show_slab_objects(s, &e, SO_CPU);
	else if (!strcmp(attr, "ctor")) {
		if (s->ctor) {
			char sym[128];

			format_symbol((unsigned long)s->ctor, sym, sizeof(sym));
			emit(&e, "%s\n", sym);
		}
	} else if (!strcmp(attr, "min_partial"))
		emit(&e, "%lu\n", s->min_partial);
	else if (!strcmp(attr, "object_size"))
		emit(&e, "%u\n", s->object_size);
	else if (!strcmp(attr, "objects"))
		show_slab_objects(s, &e, SO_ALL | SO_OBJECTS);
	else if (!strcmp(attr, "objects_partial"))
		show_slab_objects(s, &e, SO_PARTIAL | SO_OBJECTS);
	else if (!strcmp(attr, "objs_per_slab"))
		emit(&e, "%u\n", oo_objects(s->oo));
	else if (!strcmp(attr, "order"))
		emit(&e, "%u\n", oo_order(s->oo));
	else if (!strcmp(attr, "partial"))
		show_slab_objects(s, &e, SO_PARTIAL);
	else if (!strcmp(attr, "remote_node_defrag_ratio"))
		emit(&e, "%u\n", s->remote_node_defrag_ratio / 10);
	else if (!strcmp(attr, "shrink") || !strcmp(attr, "validate"))
		;	/* write-only in effect: reads empty */
	else if (!strcmp(attr, "slab_size"))
		emit(&e, "%u\n", s->size);
	else if (!strcmp(attr, "slabs"))
		show_slab_objects(s, &e, SO_ALL);
	else if (!strcmp(attr, "slabs_cpu_partial")) {
		int objects = 0, slabs = 0, cpu;

		for_each_online_cpu(cpu) {
			struct slab *slab = READ_ONCE(s->cpu_slab[cpu].partial);

			if (slab)
				slabs += READ_ONCE(slab->slabs);
		}
		objects = (slabs * (int)oo_objects(s->oo)) / 2;
		emit(&e, "%d(%d)", objects, slabs);
		for_each_online_cpu(cpu) {
			struct slab *slab = READ_ONCE(s->cpu_slab[cpu].partial);

			if (slab) {
				slabs = READ_ONCE(slab->slabs);
				objects = (slabs * (int)oo_objects(s->oo)) / 2;
				emit(&e, " C%d=%d(%d)", cpu, objects, slabs);
			}
		}
		emit(&e, "\n");
	} else if (!strcmp(attr, "total_objects"))
		show_slab_objects(s, &e, SO_ALL | SO_TOTAL);
	else if (!strcmp(attr, "usersize"))
		emit(&e, "%u\n", s->usersize);
	else
		return -ENOENT;
	return (long)e.pos;
}

/* kstrtoul-like: decimal (or 0x) with an optional trailing newline */
static int parse_ulong(const char *buf, size_t len, unsigned long *out)
{
	char tmp[32], *end;

	if (!len || len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	if (tmp[len - 1] == '\n')
		tmp[len - 1] = '\0';
	if (!tmp[0] || tmp[0] == '-')
		return -EINVAL;
	*out = strtoul(tmp, &end, 0);
	if (*end)
		return -EINVAL;
	return 0;
}

static int slub_attr_store(struct kmem_cache *s, const char *attr, const char *buf, size_t len)
{
	unsigned long v;

	/* slab_common.c found attr writable and ran shrink/validate itself */
	if (parse_ulong(buf, len, &v))
		return -EINVAL;
	if (!strcmp(attr, "cpu_partial")) {
		if (v > 100000)
			return -EINVAL;
		if (v && !kmem_cache_has_cpu_partial(s))
			return -EINVAL;
		slub_set_cpu_partial(s, (unsigned int)v);
		flush_all(s);
	} else if (!strcmp(attr, "min_partial")) {
		s->min_partial = v;
	} else if (!strcmp(attr, "remote_node_defrag_ratio")) {
		if (v > 100)
			return -ERANGE;
		s->remote_node_defrag_ratio = (unsigned int)v * 10;
	}
	return 0;
}

/* __do_krealloc() keeping the object: move the kmalloc redzone to new_size */
static void slub_krealloc_resize(struct kmem_cache *s, void *obj, size_t new_size)
{
	unsigned int orig_size;

	if (!slub_debug_orig_size(s) || new_size > s->object_size)
		return;
	orig_size = get_orig_size(s, obj);
	if (mm_cfg.init_on_alloc && orig_size < new_size)
		memset((char *)obj + orig_size, 0, new_size - orig_size);
	set_orig_size(s, obj, (unsigned int)new_size);
	if ((s->flags & SLAB_RED_ZONE) && new_size < s->object_size)
		memset((char *)obj + new_size, SLUB_RED_ACTIVE, s->object_size - new_size);
}

static int slub_validate(struct kmem_cache *s, char **buf, size_t *len, size_t *cap)
{
	return validate_slab_cache(s, buf, len, cap);
}

const struct slab_allocator_ops slub_ops = {
	.name = "SLUB",
	.kmem_cache_init = slub_kmem_cache_init,
	.kmem_cache_teardown = slub_kmem_cache_teardown,
	.cache_create = __kmem_cache_create,
	.cache_shutdown = __kmem_cache_shutdown,
	.cache_release = __kmem_cache_release,
	.cache_shrink = __kmem_cache_shrink,
	.alloc = slub_alloc,
	.free = slub_free,
	.alloc_bulk = slub_alloc_bulk,
	.ksize = slub_ksize,
	.get_slabinfo = slub_get_slabinfo,
	.has_slabinfo = true,
	.attrs = slub_attrs,
	.attr_show = slub_attr_show,
	.attr_store = slub_attr_store,
	.validate = slub_validate,
	.object_info = slub_object_info,
	.slabinfo_write = NULL,
	.krealloc_resize = slub_krealloc_resize,
};
