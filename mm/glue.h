/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * glue.h - the one place that binds kernel idioms to user space
 * (as musl mallocng's glue.h does): compiler hints, READ_ONCE, BUILD_BUG_ON,
 * spinlocks, per-cpu access, MM_BUG_ON tiers.  Everything in mm/ includes it
 * first; nothing else in mm/ talks to pthreads or the C library for these.
 */
#ifndef MMFS_GLUE_H
#define MMFS_GLUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdatomic.h>
#include <pthread.h>
#include <sys/rseq.h>

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#define noinline	__attribute__((noinline))
#define __cold		__attribute__((cold))
#define __maybe_unused	__attribute__((unused))
#define fallthrough	__attribute__((__fallthrough__))	/* a switch case goes on into the next */
#define ____cacheline_aligned __attribute__((aligned(64)))
#define L1_CACHE_BYTES	64

/* ThreadSanitizer builds: gcc defines __SANITIZE_THREAD__, clang has the feature */
#if defined(__SANITIZE_THREAD__)
#define MMFS_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define MMFS_TSAN 1
#endif
#endif
#ifndef MMFS_TSAN
#define MMFS_TSAN 0
#endif

/*
 * READ_ONCE/WRITE_ONCE mark the kernel's deliberate lockless accesses: here
 * relaxed atomics (the same single mov on x86), so ThreadSanitizer sees them
 * as the intended races they are.  Scalars and pointers only.
 */
#define READ_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define BUILD_BUG_ON(c)	_Static_assert(!(c), #c)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define ALIGN(x, a)	(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define BIT(n)		(1UL << (n))

static inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static inline int fls64(uint64_t x) { return x ? 64 - __builtin_clzll(x) : 0; }
static inline int __ffs(unsigned long x) { return __builtin_ctzl(x); }
static inline int ilog2(unsigned long x) { return fls64(x) - 1; }
static inline unsigned long rounddown_pow_of_two(unsigned long n)
{ return n ? 1UL << ilog2(n) : 0; }
static inline unsigned long roundup_pow_of_two(unsigned long n)
{ return n <= 1 ? 1 : 1UL << fls64(n - 1); }
static inline int get_order(unsigned long size)
{ return size <= 4096 ? 0 : fls64((size - 1) >> 12); }
unsigned long int_sqrt(unsigned long x);	/* mm/util.c */

/* ---- spinlocks: test-and-test-and-set, irq-save variants are no-ops ---- */
typedef struct { atomic_int locked; } spinlock_t;
#define __SPIN_LOCK_UNLOCKED { 0 }
static inline void spin_lock_init(spinlock_t *l) { atomic_init(&l->locked, 0); }
void __spin_lock_slow(spinlock_t *l);		/* mm/util.c: spins, then yields */
static __always_inline void spin_lock(spinlock_t *l)
{
	if (likely(!atomic_exchange_explicit(&l->locked, 1, memory_order_acquire)))
		return;
	__spin_lock_slow(l);
}
static __always_inline bool spin_trylock(spinlock_t *l)
{
	return !atomic_load_explicit(&l->locked, memory_order_relaxed) &&
	       !atomic_exchange_explicit(&l->locked, 1, memory_order_acquire);
}
static __always_inline void spin_unlock(spinlock_t *l)
{
	atomic_store_explicit(&l->locked, 0, memory_order_release);
}
#define spin_lock_irqsave(l, f)		do { (void)(f); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, f)	do { (void)(f); spin_unlock(l); } while (0)
#define spin_lock_irq(l)		spin_lock(l)
#define spin_unlock_irq(l)		spin_unlock(l)
#define local_irq_save(f)		do { (void)(f); } while (0)
#define local_irq_restore(f)		do { (void)(f); } while (0)
static inline bool spin_is_locked(spinlock_t *l)
{ return atomic_load_explicit(&l->locked, memory_order_relaxed); }
#define lockdep_assert_held(l)	MM_BUG_ON(!spin_is_locked(l))

/* A sleeping lock (the kernel's mutex): slab_mutex, mmap_lock, ... */
struct mutex { pthread_mutex_t m; };
#define mutex_init(x)	pthread_mutex_init(&(x)->m, NULL)
#define mutex_lock(x)	pthread_mutex_lock(&(x)->m)
#define mutex_unlock(x)	pthread_mutex_unlock(&(x)->m)
#define mutex_destroy(x) pthread_mutex_destroy(&(x)->m)

/* A wait queue with one sleeper (wait_queue_head_t for kswapd_wait): the
 * sleeper sets @active under @lock before it waits, so a waker that tests
 * waitqueue_active() under the same lock never loses a wakeup. */
typedef struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool active;			/* a thread sleeps on @cond */
} wait_queue_head_t;
#define init_waitqueue_head(w) \
	do { pthread_mutex_init(&(w)->lock, NULL); pthread_cond_init(&(w)->cond, NULL); \
	     (w)->active = false; } while (0)
#define destroy_waitqueue_head(w) \
	do { pthread_cond_destroy(&(w)->cond); pthread_mutex_destroy(&(w)->lock); } while (0)

/* atomic_t as the kernel has it */
typedef struct { atomic_int counter; } atomic_t;
typedef struct { atomic_long counter; } atomic_long_t;
#define atomic_read(v)		atomic_load_explicit(&(v)->counter, memory_order_relaxed)
#define atomic_set(v, i)	atomic_store_explicit(&(v)->counter, (i), memory_order_relaxed)
#define atomic_add(i, v)	((void)atomic_fetch_add(&(v)->counter, (i)))
#define atomic_sub(i, v)	((void)atomic_fetch_sub(&(v)->counter, (i)))
#define atomic_inc(v)		atomic_add(1, v)
#define atomic_dec(v)		atomic_sub(1, v)
#define atomic_add_return(i, v)	(atomic_fetch_add(&(v)->counter, (i)) + (i))
#define atomic_sub_return(i, v)	(atomic_fetch_sub(&(v)->counter, (i)) - (i))
#define atomic_inc_return(v)	atomic_add_return(1, v)
#define atomic_dec_return(v)	atomic_sub_return(1, v)
#define atomic_dec_and_test(v)	(atomic_dec_return(v) == 0)
#define atomic_long_read(v)	atomic_load_explicit(&(v)->counter, memory_order_relaxed)
#define atomic_long_set(v, i)	atomic_store_explicit(&(v)->counter, (i), memory_order_relaxed)
#define atomic_long_add(i, v)	((void)atomic_fetch_add_explicit(&(v)->counter, (i), memory_order_relaxed))
#define atomic_long_sub(i, v)	((void)atomic_fetch_sub_explicit(&(v)->counter, (i), memory_order_relaxed))

/* ---- per-cpu ----
 * The simulated machine has nr_cpu_ids CPUs (cpus= option).  A thread runs
 * on simulated CPU host-cpu % nr_cpu_ids.  The host CPU is read straight
 * from the rseq area glibc registered for the thread (__rseq_offset from
 * the thread pointer: one load, where sched_getcpu() is a call of ~2.5 ns);
 * mmfs_raw_cpu() (util.c) is the slow path: no rseq registration (the area
 * then says a negative cpu_id), or more host CPUs than simulated ones.
 * Per-cpu data is protected by a per-cpu lock or trylock in the owner file,
 * because two host threads may map to one simulated CPU.
 */
extern unsigned int nr_cpu_ids;			/* set by mm_boot() */
int mmfs_raw_cpu(void);				/* mm/util.c */
/* the host CPU rseq says this thread runs on (>= nr_cpu_ids when rseq is
 * not registered: RSEQ_CPU_ID_UNINITIALIZED is -1) */
static __always_inline unsigned int rseq_cpu_id(void)
{
	const struct rseq *rs = (const struct rseq *)((char *)__builtin_thread_pointer() +
						      __rseq_offset);

	return __atomic_load_n(&rs->cpu_id, __ATOMIC_RELAXED);
}
static __always_inline int smp_processor_id(void)
{
	unsigned int cpu = rseq_cpu_id();

	if (unlikely(cpu >= nr_cpu_ids))
		return mmfs_raw_cpu();
	return (int)cpu;
}
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < (int)nr_cpu_ids; (cpu)++)
#define for_each_online_cpu(cpu)   for_each_possible_cpu(cpu)
#define num_online_cpus()	   (nr_cpu_ids)

/* ---- checks, tiered (STYLE habit 3) ---- */
void mmfs_bug(const char *file, int line, const char *cond) __attribute__((noreturn)) __cold;
#define BUG()		mmfs_bug(__FILE__, __LINE__, "BUG")
#define BUG_ON(c)	do { if (unlikely(c)) mmfs_bug(__FILE__, __LINE__, #c); } while (0)
#define WARN_ON(c)	({ bool __w = !!(c); if (unlikely(__w)) mmfs_warn(__FILE__, __LINE__, #c); unlikely(__w); })
#define WARN_ON_ONCE(c)	WARN_ON(c)
void mmfs_warn(const char *file, int line, const char *cond) __cold;
#ifdef CONFIG_DEBUG_VM
#define MM_BUG_ON(c)		BUG_ON(c)
#define MM_BUG_ON_PAGE(c, page)	do { if (unlikely(c)) { dump_page(page, #c); BUG(); } } while (0)
#define MM_WARN_ON(c)		WARN_ON(c)
#else
#define MM_BUG_ON(c)		do { (void)sizeof(c); } while (0)
#define MM_BUG_ON_PAGE(c, page)	do { (void)sizeof(c); (void)(page); } while (0)
#define MM_WARN_ON(c)		({ (void)sizeof(c); false; })
#endif
#define VM_BUG_ON		MM_BUG_ON
#define VM_BUG_ON_PAGE		MM_BUG_ON_PAGE
#define VM_WARN_ON		MM_WARN_ON

/* ---- the "current" task: who asked (set by fs/ from fuse_req_ctx) ---- */
struct mmfs_task {
	unsigned int uid;	/* owner of what this request allocates */
	int pid;		/* client pid (0 = the daemon itself) */
	char comm[16];		/* client command name, for page_owner / store_user */
};
extern __thread struct mmfs_task current_task;
#define current (&current_task)
void mmfs_set_current(unsigned int uid, int pid, const char *comm);

/* ---- time ---- */
uint64_t mmfs_ktime_ns(void);	/* ns since mm_boot (the log's clock) */
extern _Atomic unsigned long jiffies;	/* HZ=250 ticks since boot, updated lazily */
#define HZ 250

#endif /* MMFS_GLUE_H */
