/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * util.c - the host side of glue.h: spinlock slow path, the simulated CPU
 * id, int_sqrt (lib/math/int_sqrt.c), BUG/WARN, the clock and "current".
 */
#include "mm.h"
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

unsigned int nr_cpu_ids = 1;
__thread struct mmfs_task current_task = { 0, 0, "mmfs" };
_Atomic unsigned long jiffies;
static struct timespec boot_ts;
static int boot_ts_set;

void __spin_lock_slow(spinlock_t *l)
{
	unsigned int spins = 0;

	for (;;) {
		while (atomic_load_explicit(&l->locked, memory_order_relaxed)) {
			if (++spins > 128) {
				sched_yield();
				spins = 0;
			} else {
				__builtin_ia32_pause();
			}
		}
		if (!atomic_exchange_explicit(&l->locked, 1, memory_order_acquire))
			return;
	}
}

/*
 * The simulated CPU this thread runs on, when smp_processor_id() could not
 * take it from the rseq area as it is (see glue.h).
 */
int mmfs_raw_cpu(void)
{
	int cpu = sched_getcpu();

	if (unlikely(cpu < 0))
		cpu = 0;
	return nr_cpu_ids == 1 ? 0 : (int)((unsigned int)cpu % nr_cpu_ids);
}

/* Integer square root by the bit-by-bit method (lib/math/int_sqrt.c). */
unsigned long int_sqrt(unsigned long x)
{
	unsigned long b, m, y = 0;

	if (x <= 1)
		return x;
	m = 1UL << (ilog2(x) & ~1UL);
	while (m != 0) {
		b = y + m;
		y >>= 1;
		if (x >= b) {
			x -= b;
			y += m;
		}
		m >>= 2;
	}
	return y;
}

void mmfs_bug(const char *file, int line, const char *cond)
{
	fprintf(stderr, "kernel BUG at %s:%d! (%s)\n", file, line, cond);
	printk("kernel BUG at %s:%d! (%s)", file, line, cond);
	abort();
}

void mmfs_warn(const char *file, int line, const char *cond)
{
	printk("WARNING: CPU: %d PID: %d at %s:%d %s", smp_processor_id(),
	       current->pid, file, line, cond);
}

void mmfs_set_current(unsigned int uid, int pid, const char *comm)
{
	current_task.uid = uid;
	current_task.pid = pid;
	snprintf(current_task.comm, sizeof(current_task.comm), "%s", comm ? comm : "");
}

void mmfs_clock_reset(void)
{
	clock_gettime(CLOCK_MONOTONIC, &boot_ts);
	boot_ts_set = 1;
	atomic_store(&jiffies, 0);
}

uint64_t mmfs_ktime_ns(void)
{
	struct timespec ts;
	uint64_t ns;

	if (!boot_ts_set)
		mmfs_clock_reset();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns = (uint64_t)(ts.tv_sec - boot_ts.tv_sec) * 1000000000ull +
	     (uint64_t)(ts.tv_nsec - boot_ts.tv_nsec);
	atomic_store_explicit(&jiffies, ns / (1000000000ull / HZ), memory_order_relaxed);
	return ns;
}
