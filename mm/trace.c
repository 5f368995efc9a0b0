/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace.c - the kmem tracepoints (include/trace/events/kmem.h) into one
 * ring of text lines, read by tracing/trace_pipe (kernel/trace/trace.c's
 * consuming reader, in overwrite mode: when full the oldest lines go).
 *
 * A tracepoint costs one relaxed load and a predicted branch while its
 * event is off (trace.h); the formatting below runs only when on.
 * Lines: trace_print_context's prefix ("%16s-%-7d [%03d] ..... %5lu.%06lu: ")
 * then "event: text" with the 6.x TP_printk formats (kernel-formats §5).
 * Pointers print hashed as %p does: 16 hex digits of a keyed 32-bit hash.
 *
 * Lock: trace_lock (a mutex, a leaf) around the ring; readers wait on
 * trace_cond.
 */
#include "internal.h"
#include "trace.h"
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char * const kmem_event_names[NR_KMEM_EVENTS] = {
	"kmalloc", "kmem_cache_alloc", "kfree", "kmem_cache_free",
	"mm_page_alloc", "mm_page_free", "mm_page_free_batched",
	"mm_page_alloc_zone_locked", "mm_page_pcpu_drain", "mm_page_alloc_extfrag",
};

atomic_uint kmem_trace_mask;
atomic_int tracing_on = 1;

#define TRACE_RING_SIZE	(1u << 20)	/* 1 MiB, about a kernel per-cpu buffer */

static pthread_mutex_t trace_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t trace_cond = PTHREAD_COND_INITIALIZER;
static char *ring;
static size_t ring_head, ring_len;	/* start of the oldest byte, bytes held */
static unsigned long wake_gen;		/* mmfs_trace_wake() generations */
static uint64_t hash_key;

/* %p: a keyed hash of the address, as ptr_to_id (32 bits shown in 16 digits) */
static unsigned long hash_ptr(unsigned long v)
{
	uint64_t x;

	if (!v)
		return 0;
	if (!hash_key)
		hash_key = (mmfs_ktime_ns() ^ (uintptr_t)&hash_key) | 1;
	x = v ^ hash_key;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	x ^= x >> 31;
	return (unsigned long)(x & 0xffffffffu);
}

/* mmfs_hash_ptr: %p of a kernel address, for dump_page */
unsigned long mmfs_hash_ptr(unsigned long kaddr)
{
	return hash_ptr(kaddr);
}

void mmfs_trace_set_enabled(enum kmem_event ev, bool on)
{
	if ((unsigned int)ev >= NR_KMEM_EVENTS)
		return;
	if (on)
		atomic_fetch_or(&kmem_trace_mask, 1u << ev);
	else
		atomic_fetch_and(&kmem_trace_mask, ~(1u << ev));
}

bool mmfs_trace_is_enabled(enum kmem_event ev)
{
	if ((unsigned int)ev >= NR_KMEM_EVENTS)
		return false;
	return atomic_load(&kmem_trace_mask) & (1u << ev);
}

/* Append whole lines, dropping the oldest lines to make room. */
static void ring_write(const char *s, size_t n)
{
	if (!ring) {
		ring = malloc(TRACE_RING_SIZE);
		if (!ring)
			return;
	}
	if (n > TRACE_RING_SIZE)
		return;
	while (ring_len + n > TRACE_RING_SIZE) {
		/* drop one line from the front */
		size_t i = 0;

		while (i < ring_len && ring[(ring_head + i) % TRACE_RING_SIZE] != '\n')
			i++;
		i = min(i + 1, ring_len);
		ring_head = (ring_head + i) % TRACE_RING_SIZE;
		ring_len -= i;
	}
	for (size_t i = 0; i < n; i++)
		ring[(ring_head + ring_len + i) % TRACE_RING_SIZE] = s[i];
	ring_len += n;
}

void mmfs_trace_emit(enum kmem_event ev, const char *fmt, ...)
{
	char line[1024];
	uint64_t ns = mmfs_ktime_ns();
	const char *comm = current->comm[0] ? current->comm : "<...>";
	va_list ap;
	int n;

	if (!atomic_load_explicit(&tracing_on, memory_order_relaxed))
		return;
	n = snprintf(line, sizeof(line), "%16s-%-7d [%03d] ..... %5llu.%06llu: %s: ",
		     comm, current->pid, smp_processor_id(),
		     (unsigned long long)(ns / 1000000000ull),
		     (unsigned long long)(ns % 1000000000ull / 1000), kmem_event_names[ev]);
	if (n < 0 || n >= (int)sizeof(line) - 2)
		return;
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	pthread_mutex_lock(&trace_lock);
	ring_write(line, (size_t)n);
	pthread_cond_broadcast(&trace_cond);
	pthread_mutex_unlock(&trace_lock);
}

/* Whole lines into @buf, waiting while the ring is empty if @block until a
 * mmfs_trace_wake() after generation @gen.  Caller holds trace_lock. */
static long trace_read_locked(char *buf, size_t len, bool block, unsigned long gen)
{
	size_t n, last_nl = 0;

	while (!ring_len) {
		if (!block)
			return 0;
		if (wake_gen != gen)
			return -EINTR;
		pthread_cond_wait(&trace_cond, &trace_lock);
	}
	/* whole lines only (a line longer than len is cut at len) */
	for (size_t i = 0; i < ring_len && i < len; i++)
		if (ring[(ring_head + i) % TRACE_RING_SIZE] == '\n')
			last_nl = i + 1;
	n = last_nl ? last_nl : min(len, ring_len);
	for (size_t i = 0; i < n; i++)
		buf[i] = ring[(ring_head + i) % TRACE_RING_SIZE];
	ring_head = (ring_head + n) % TRACE_RING_SIZE;
	ring_len -= n;
	return (long)n;
}

/**
 * mmfs_trace_read - consume whole lines from the ring (trace_pipe)
 * @buf: destination
 * @len: its size
 * @block: wait while the ring is empty
 *
 * Return: bytes copied, 0 if none (non-blocking), -EINTR if woken by
 * mmfs_trace_wake(), -EINVAL for a bad buffer.
 */
long mmfs_trace_read(char *buf, size_t len, bool block)
{
	long n;

	if (!buf || !len)
		return -EINVAL;
	pthread_mutex_lock(&trace_lock);
	n = trace_read_locked(buf, len, block, wake_gen);
	pthread_mutex_unlock(&trace_lock);
	return n;
}

/**
 * mmfs_trace_wake_gen - the generation of mmfs_trace_wake() calls so far
 *
 * A waiter that must not miss a wake-up asked for after it decided to wait
 * takes this while it still holds what the waker changes first (the
 * waker's flag and lock), then waits with mmfs_trace_read_since().
 */
unsigned long mmfs_trace_wake_gen(void)
{
	unsigned long gen;

	pthread_mutex_lock(&trace_lock);
	gen = wake_gen;
	pthread_mutex_unlock(&trace_lock);
	return gen;
}

/**
 * mmfs_trace_read_since - mmfs_trace_read(block) that a mmfs_trace_wake()
 * after generation @gen interrupts, even one that came before this call
 * @buf: destination
 * @len: its size
 * @gen: from mmfs_trace_wake_gen()
 *
 * Return: bytes copied, -EINTR if woken, -EINVAL for a bad buffer.
 */
long mmfs_trace_read_since(char *buf, size_t len, unsigned long gen)
{
	long n;

	if (!buf || !len)
		return -EINVAL;
	pthread_mutex_lock(&trace_lock);
	n = trace_read_locked(buf, len, true, gen);
	pthread_mutex_unlock(&trace_lock);
	return n;
}

void mmfs_trace_wake(void)
{
	pthread_mutex_lock(&trace_lock);
	wake_gen++;
	pthread_cond_broadcast(&trace_cond);
	pthread_mutex_unlock(&trace_lock);
}

/* MMFS: drop what is buffered (mm_shutdown / tests) */
void mmfs_trace_reset(void)
{
	pthread_mutex_lock(&trace_lock);
	ring_head = ring_len = 0;
	pthread_mutex_unlock(&trace_lock);
}

/* ---------------------------------------------------------- the events */

static unsigned long page_ptr_hash(struct page *page)
{
	return page ? hash_ptr(mmfs_page_kaddr(page)) : 0;
}

void __trace_mm_page_alloc(struct page *page, unsigned int order, gfp_t gfp, int migratetype)
{
	char g[256];

	gfp_format(gfp, g, sizeof(g));
	mmfs_trace_emit(EV_MM_PAGE_ALLOC, "page=%016lx pfn=0x%lx order=%d migratetype=%d gfp_flags=%s",
			page_ptr_hash(page), page ? page_to_pfn(page) : 0UL, (int)order,
			migratetype, g);
}

void __trace_mm_page_free(struct page *page, unsigned int order)
{
	mmfs_trace_emit(EV_MM_PAGE_FREE, "page=%016lx pfn=0x%lx order=%d",
			page_ptr_hash(page), page_to_pfn(page), (int)order);
}

void __trace_mm_page_free_batched(struct page *page)
{
	mmfs_trace_emit(EV_MM_PAGE_FREE_BATCHED, "page=%016lx pfn=0x%lx order=0",
			page_ptr_hash(page), page_to_pfn(page));
}

void __trace_mm_page_alloc_zone_locked(struct page *page, unsigned int order, int migratetype,
				       int percpu_refill)
{
	mmfs_trace_emit(EV_MM_PAGE_ALLOC_ZONE_LOCKED,
			"page=%016lx pfn=0x%lx order=%u migratetype=%d percpu_refill=%d",
			page_ptr_hash(page), page_to_pfn(page), order, migratetype, percpu_refill);
}

void __trace_mm_page_pcpu_drain(struct page *page, unsigned int order, int migratetype)
{
	mmfs_trace_emit(EV_MM_PAGE_PCPU_DRAIN, "page=%016lx pfn=0x%lx order=%d migratetype=%d",
			page_ptr_hash(page), page_to_pfn(page), (int)order, migratetype);
}

void __trace_mm_page_alloc_extfrag(struct page *page, int alloc_order, int fallback_order,
				   int alloc_migratetype, int fallback_migratetype)
{
	int change_ownership = get_pageblock_migratetype(page) == alloc_migratetype;

	mmfs_trace_emit(EV_MM_PAGE_ALLOC_EXTFRAG,
			"page=%016lx pfn=0x%lx alloc_order=%d fallback_order=%d pageblock_order=%d"
			" alloc_migratetype=%d fallback_migratetype=%d fragmenting=%d change_ownership=%d",
			page_ptr_hash(page), page_to_pfn(page), alloc_order, fallback_order,
			pageblock_order, alloc_migratetype, fallback_migratetype,
			fallback_order < pageblock_order, change_ownership);
}

/* %pS: "symbol+0xoff/0xsize"; MMFS: the size is unknown to dladdr, so we
 * print "symbol+0xoff" (or the bare address when there is no symbol). */
static void format_call_site(unsigned long ip, char *buf, size_t len)
{
	Dl_info info;

	if (ip && dladdr((void *)ip, &info) && info.dli_sname && info.dli_saddr) {
		snprintf(buf, len, "%s+0x%lx", info.dli_sname, ip - (unsigned long)info.dli_saddr);
		return;
	}
	snprintf(buf, len, "0x%lx", ip);
}

static unsigned long obj_hash(const void *ptr)
{
	return ptr ? hash_ptr(mmfs_kaddr(ptr)) : 0;
}

void __trace_kmalloc(unsigned long call_site, const void *ptr, size_t bytes_req,
		     size_t bytes_alloc, gfp_t gfp, int node)
{
	char g[256], cs[128];

	gfp_format(gfp, g, sizeof(g));
	format_call_site(call_site, cs, sizeof(cs));
	mmfs_trace_emit(EV_KMALLOC, "call_site=%s ptr=%016lx bytes_req=%zu bytes_alloc=%zu gfp_flags=%s node=%d accounted=%s",
			cs, obj_hash(ptr), bytes_req, bytes_alloc, g, node,
			(gfp & __GFP_ACCOUNT) ? "true" : "false");
}

void __trace_kmem_cache_alloc(unsigned long call_site, const void *ptr, const char *name,
			      size_t bytes_req, size_t bytes_alloc, gfp_t gfp, int node)
{
	char g[256], cs[128];

	gfp_format(gfp, g, sizeof(g));
	format_call_site(call_site, cs, sizeof(cs));
	mmfs_trace_emit(EV_KMEM_CACHE_ALLOC, "call_site=%s ptr=%016lx name=%s bytes_req=%zu bytes_alloc=%zu gfp_flags=%s node=%d accounted=%s",
			cs, obj_hash(ptr), name ? name : "", bytes_req, bytes_alloc, g, node,
			(gfp & __GFP_ACCOUNT) ? "true" : "false");
}

void __trace_kfree(unsigned long call_site, const void *ptr)
{
	char cs[128];

	format_call_site(call_site, cs, sizeof(cs));
	mmfs_trace_emit(EV_KFREE, "call_site=%s ptr=%016lx", cs, obj_hash(ptr));
}

void __trace_kmem_cache_free(unsigned long call_site, const void *ptr, const char *name)
{
	char cs[128];

	format_call_site(call_site, cs, sizeof(cs));
	mmfs_trace_emit(EV_KMEM_CACHE_FREE, "call_site=%s ptr=%016lx name=%s", cs, obj_hash(ptr),
			name ? name : "");
}
