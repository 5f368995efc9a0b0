/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace.h - kmem tracepoints (include/trace/events/kmem.h) into one ring
 * buffer read by tracing/trace_pipe.  Cheap when nobody listens: each
 * trace_*() is an inline test of one enabled bit; formatting is out of line.
 * Formats are the 6.x TP_printk strings (kernel-formats.md §5).
 */
#ifndef MMFS_TRACE_H
#define MMFS_TRACE_H
#include "glue.h"
#include "gfp.h"

enum kmem_event {
	EV_KMALLOC, EV_KMEM_CACHE_ALLOC, EV_KFREE, EV_KMEM_CACHE_FREE,
	EV_MM_PAGE_ALLOC, EV_MM_PAGE_FREE, EV_MM_PAGE_FREE_BATCHED,
	EV_MM_PAGE_ALLOC_ZONE_LOCKED, EV_MM_PAGE_PCPU_DRAIN, EV_MM_PAGE_ALLOC_EXTFRAG,
	NR_KMEM_EVENTS
};
extern const char * const kmem_event_names[NR_KMEM_EVENTS];
extern atomic_uint kmem_trace_mask;	/* bit per enabled event, and tracing_on */
extern atomic_int tracing_on;

static __always_inline bool kmem_event_enabled(enum kmem_event ev)
{
	return unlikely(atomic_load_explicit(&kmem_trace_mask, memory_order_relaxed) & (1u << ev));
}
/* Append one line: prefix as trace_print_context, then "EVENT: text". */
void mmfs_trace_emit(enum kmem_event ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Read up to len bytes of whole lines; blocks while empty if 'block'.
 * Returns bytes, 0 at none (non-blocking), -EINTR if woken by mmfs_trace_wake. */
long mmfs_trace_read(char *buf, size_t len, bool block);
void mmfs_trace_wake(void);
/* For a waiter that must see every wake-up asked for once it has decided
 * to wait: take the generation under its own lock, then wait for lines or
 * a mmfs_trace_wake() after that generation (-EINTR). */
unsigned long mmfs_trace_wake_gen(void);
long mmfs_trace_read_since(char *buf, size_t len, unsigned long gen);
void mmfs_trace_set_enabled(enum kmem_event ev, bool on);
bool mmfs_trace_is_enabled(enum kmem_event ev);

struct page;

void __trace_mm_page_alloc(struct page *page, unsigned int order, gfp_t gfp, int migratetype);
void __trace_mm_page_free(struct page *page, unsigned int order);
void __trace_mm_page_free_batched(struct page *page);
void __trace_mm_page_alloc_zone_locked(struct page *page, unsigned int order, int migratetype, int percpu_refill);
void __trace_mm_page_pcpu_drain(struct page *page, unsigned int order, int migratetype);
void __trace_mm_page_alloc_extfrag(struct page *page, int alloc_order, int fallback_order,
				   int alloc_migratetype, int fallback_migratetype);
void __trace_kmalloc(unsigned long call_site, const void *ptr, size_t bytes_req,
		     size_t bytes_alloc, gfp_t gfp, int node);
void __trace_kmem_cache_alloc(unsigned long call_site, const void *ptr, const char *name,
			      size_t bytes_req, size_t bytes_alloc, gfp_t gfp, int node);
void __trace_kfree(unsigned long call_site, const void *ptr);
void __trace_kmem_cache_free(unsigned long call_site, const void *ptr, const char *name);

#define trace_mm_page_alloc(...) do { if (kmem_event_enabled(EV_MM_PAGE_ALLOC)) __trace_mm_page_alloc(__VA_ARGS__); } while (0)
#define trace_mm_page_free(...) do { if (kmem_event_enabled(EV_MM_PAGE_FREE)) __trace_mm_page_free(__VA_ARGS__); } while (0)
#define trace_mm_page_free_batched(...) do { if (kmem_event_enabled(EV_MM_PAGE_FREE_BATCHED)) __trace_mm_page_free_batched(__VA_ARGS__); } while (0)
#define trace_mm_page_alloc_zone_locked(...) do { if (kmem_event_enabled(EV_MM_PAGE_ALLOC_ZONE_LOCKED)) __trace_mm_page_alloc_zone_locked(__VA_ARGS__); } while (0)
#define trace_mm_page_pcpu_drain(...) do { if (kmem_event_enabled(EV_MM_PAGE_PCPU_DRAIN)) __trace_mm_page_pcpu_drain(__VA_ARGS__); } while (0)
#define trace_mm_page_alloc_extfrag(...) do { if (kmem_event_enabled(EV_MM_PAGE_ALLOC_EXTFRAG)) __trace_mm_page_alloc_extfrag(__VA_ARGS__); } while (0)
#define trace_kmalloc(...) do { if (kmem_event_enabled(EV_KMALLOC)) __trace_kmalloc(__VA_ARGS__); } while (0)
#define trace_kmem_cache_alloc(...) do { if (kmem_event_enabled(EV_KMEM_CACHE_ALLOC)) __trace_kmem_cache_alloc(__VA_ARGS__); } while (0)
#define trace_kfree(...) do { if (kmem_event_enabled(EV_KFREE)) __trace_kfree(__VA_ARGS__); } while (0)
#define trace_kmem_cache_free(...) do { if (kmem_event_enabled(EV_KMEM_CACHE_FREE)) __trace_kmem_cache_free(__VA_ARGS__); } while (0)
#define _RET_IP_ ((unsigned long)__builtin_return_address(0))

#endif /* MMFS_TRACE_H */
