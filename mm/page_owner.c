/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_owner.c - who allocated each block (mm/page_owner.c over a
 * page_ext-like side array, mm/page_ext.c).
 *
 * One struct page_owner per pfn, in one array indexed by pfn like the
 * vmemmap (address space only: holes and never-allocated RAM cost nothing).  The record of a block's head
 * is "live" from post_alloc_hook (set_page_owner) to free_pages_prepare
 * (reset_page_owner); the allocator also keeps the block's order here so
 * put_page() can free a non-compound block whole (MMFS, see mm.h).
 *
 * Locking: none for the records.  A record is written by the allocating
 * thread before the block is handed out and by the freeing thread after the
 * last reference is gone; readers (frames/ listing, lookup) may see a record
 * change under them, as /sys/kernel/debug/page_owner readers do.  The tick
 * (mmfs_po_tick) is read and marked used with relaxed atomics; po_tick_lock
 * is a leaf taken only by the tick thread, boot/shutdown and fork.
 *
 * MMFS: times come from the coarse real-time clock (~4 ms resolution, the
 * kernel's tick), read by a tick thread that keeps the current value in
 * mmfs_po_tick (the allocation fast path reads one word: see po_tick_fn);
 * a record keeps that time on the wall clock (the frame's mtime), made
 * strictly increasing per pfn so that (pfn, time) identifies one
 * allocation (fs/ uses it as a generation); page_owner_ts_nsec() gives it
 * on the log's clock.  Records are 64 bytes, one cache line each.
 */
#include "page_owner.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>

struct page_owner *mmfs_page_owners;
static size_t po_bytes;
static uint64_t wall_at_boot;		/* CLOCK_REALTIME_COARSE at ktime 0 */

BUILD_BUG_ON(sizeof(struct page_owner) != 64);
/* __set_page_owner_at copies the task's identity as one block */
BUILD_BUG_ON(offsetof(struct page_owner, pid) - offsetof(struct page_owner, uid) !=
	     offsetof(struct mmfs_task, pid) - offsetof(struct mmfs_task, uid));
BUILD_BUG_ON(offsetof(struct page_owner, comm) - offsetof(struct page_owner, uid) !=
	     offsetof(struct mmfs_task, comm) - offsetof(struct mmfs_task, uid));
BUILD_BUG_ON(offsetof(struct mmfs_task, uid) != 0 || sizeof(struct mmfs_task) != 24);

struct po_tick mmfs_po_tick ____cacheline_aligned;

/*
 * The tick.  Like the kernel's timer tick with NO_HZ_IDLE: every tick
 * period (the coarse clock's resolution) the thread stores the coarse time;
 * when a whole period passed without an allocation reading it, it stops
 * (wall_ns 0: readers read the clock themselves and set ->used) and only
 * looks again every PO_IDLE_MS until someone does.  A forked child has no
 * tick thread: the atfork handlers make its readers read the clock, and
 * leave its lock usable for the child's next boot.
 */
#define PO_IDLE_MS	100
static pthread_t po_tick_thread;
static bool po_tick_running;
static bool po_tick_stop;
static pthread_mutex_t po_tick_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t po_tick_cond;
static long po_tick_ns;

static uint64_t po_clock_coarse(void)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME_COARSE, &now);
	return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

/* po_wall_now() without a tick: read the clock, and tell the tick thread */
uint64_t mmfs_po_clock_slow(void)
{
	po_tick_mark_used();
	return po_clock_coarse();
}

static void *po_tick_fn(void *arg)
{
	bool ticking = true;

	pthread_mutex_lock(&po_tick_lock);
	while (!po_tick_stop) {
		struct timespec until;
		long wait = ticking ? po_tick_ns : PO_IDLE_MS * 1000000L;

		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += wait;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&po_tick_cond, &po_tick_lock, &until);
		if (po_tick_stop)
			break;
		if (!atomic_exchange_explicit(&mmfs_po_tick.used, 0, memory_order_relaxed)) {
			/* nobody allocated for a whole period: stop the tick */
			ticking = false;
			atomic_store_explicit(&mmfs_po_tick.wall_ns, 0, memory_order_relaxed);
			continue;
		}
		ticking = true;
		atomic_store_explicit(&mmfs_po_tick.wall_ns, po_clock_coarse(), memory_order_relaxed);
	}
	pthread_mutex_unlock(&po_tick_lock);
	return arg;
}

static void po_tick_cond_init(void)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&po_tick_cond, &ca);
	pthread_condattr_destroy(&ca);
}

/* fork: the tick thread's lock is held across it, so the child gets it
 * unlocked (and a fresh condvar nobody waits on) whatever the thread was
 * doing; the child has no tick thread, so its readers read the clock */
static void po_tick_prefork(void)
{
	pthread_mutex_lock(&po_tick_lock);
}

static void po_tick_postfork_parent(void)
{
	pthread_mutex_unlock(&po_tick_lock);
}

static void po_tick_postfork_child(void)
{
	po_tick_running = false;
	atomic_store_explicit(&mmfs_po_tick.wall_ns, 0, memory_order_relaxed);
	po_tick_cond_init();
	pthread_mutex_unlock(&po_tick_lock);
}

static void po_tick_once(void)
{
	po_tick_cond_init();
	pthread_atfork(po_tick_prefork, po_tick_postfork_parent, po_tick_postfork_child);
}

static void po_tick_start(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct timespec res;

	pthread_once(&once, po_tick_once);
	po_tick_ns = 4000000L;
	if (!clock_getres(CLOCK_REALTIME_COARSE, &res) && !res.tv_sec &&
	    res.tv_nsec >= 1000000L && res.tv_nsec <= 10000000L)
		po_tick_ns = res.tv_nsec;
	po_tick_stop = false;
	atomic_store_explicit(&mmfs_po_tick.used, 1, memory_order_relaxed);
	atomic_store_explicit(&mmfs_po_tick.wall_ns, 0, memory_order_relaxed);
	/* without a thread, readers read the clock: still correct */
	po_tick_running = !pthread_create(&po_tick_thread, NULL, po_tick_fn, NULL);
}

static void po_tick_end(void)
{
	if (po_tick_running) {
		pthread_mutex_lock(&po_tick_lock);
		po_tick_stop = true;
		pthread_cond_signal(&po_tick_cond);
		pthread_mutex_unlock(&po_tick_lock);
		pthread_join(po_tick_thread, NULL);
		po_tick_running = false;
	}
	atomic_store_explicit(&mmfs_po_tick.wall_ns, 0, memory_order_relaxed);
}

uint64_t page_owner_ts_nsec(const struct page_owner *po)
{
	uint64_t wall = READ_ONCE(po->wall_ns);

	return wall > wall_at_boot ? wall - wall_at_boot : 0;
}

/**
 * page_ext_init - map the side array (one record per pfn below max_pfn)
 *
 * Return: 0 or -ENOMEM.
 */
int page_ext_init(void)
{
	void *p;

	page_ext_shutdown();
	/* address space for every pfn up to max_pfn, as the vmemmap has: zeroed,
	 * and only backed where records are written (holes never are) */
	po_bytes = PAGE_ALIGN((max_pfn ? max_pfn : 1) * sizeof(struct page_owner));
	p = mmap(NULL, po_bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		po_bytes = 0;
		return -ENOMEM;
	}
	mmfs_page_owners = p;
	wall_at_boot = po_clock_coarse() - mmfs_ktime_ns();
	po_tick_start();
	return 0;
}

void page_ext_shutdown(void)
{
	po_tick_end();
	if (mmfs_page_owners)
		munmap(mmfs_page_owners, po_bytes);
	mmfs_page_owners = NULL;
	po_bytes = 0;
}

/**
 * set_page_owner - record the allocation of a block (post_alloc_hook)
 * @page: head
 * @order: its order
 * @gfp: the request's gfp
 */
void set_page_owner(struct page *page, unsigned int order, gfp_t gfp)
{
	__set_page_owner(page, order, gfp);
}

/**
 * reset_page_owner - the block at @page is being freed (free_pages_prepare)
 */
void reset_page_owner(struct page *page, unsigned int order)
{
	__reset_page_owner(page, order);
}

/**
 * get_page_owner - the record of an allocated block's head, else NULL
 */
struct page_owner *get_page_owner(const struct page *head)
{
	struct page_owner *po;

	if (!head || !mmfs_page_owners || page_to_pfn(head) >= max_pfn)
		return NULL;
	po = __pfn_owner(page_to_pfn(head));
	if (!po || !__atomic_load_n(&po->live, __ATOMIC_ACQUIRE))
		return NULL;
	return po;
}

/**
 * mmfs_set_owner - say what an allocated block is for
 * @head: the block's head
 * @kind: MMFS_OWNER_*
 * @id: uid for user blocks, pid for page tables
 */
void mmfs_set_owner(struct page *head, enum mmfs_owner_kind kind, long id)
{
	struct page_owner *po = get_page_owner(head);

	if (!po)
		return;
	po->kind = kind;
	po->owner_id = id;
}

/**
 * mmfs_next_allocated_block - the first allocated block head at or after
 * @pfn (also a block whose owner already freed it while pins, get_page or
 * kmap references keep it: it is allocated until the last of them goes)
 *
 * Skips free buddy blocks and allocated blocks by their order and missing
 * sections whole.  Return: the head pfn, or -1UL.
 */
unsigned long mmfs_next_allocated_block(unsigned long pfn)
{
	while (pfn < max_pfn) {
		unsigned long sec = pfn >> PFN_SECTION_SHIFT;
		struct page_owner *po;
		struct page *page;

		if (!mmfs_page_owners)
			break;
		if (sec >= mmfs_nr_sections || mmfs_section_state[sec] == MMFS_SECTION_NONE) {
			pfn = (sec + 1) << PFN_SECTION_SHIFT;
			continue;
		}
		po = __pfn_owner(pfn);
		if (__atomic_load_n(&po->live, __ATOMIC_ACQUIRE))
			return pfn;
		if (!pfn_valid(pfn)) {
			pfn++;
			continue;
		}
		page = pfn_to_page(pfn);
		if (PageBuddy(page)) {
			unsigned long order = READ_ONCE(page->private);

			if (order >= MAX_ORDER)
				order = 0;
			pfn = ALIGN_DOWN(pfn, 1UL << order) + (1UL << order);
			continue;
		}
		pfn++;
	}
	return -1UL;
}
