/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mmap.c - simulated user address spaces (mm/mmap.c, kernel/fork.c mm_alloc
 * / mmdrop, fs/proc/task_mmu.c for the pids/ files) and the frame-file
 * "driver" (open = remap + pin, SPEC §3).
 *
 * One mm_struct per client pid, made on first use and torn down when its
 * last user (a frame mapping) goes.  A pid that is reused while the old
 * address space still has mappings (its FUSE releases are asynchronous)
 * gets a new mm_struct: the start time of /proc/PID/stat tells the two
 * incarnations apart, and the old one lives on, unlisted, until its last
 * mapping is released.
 *
 * VMAs sit in an AVL tree keyed by vm_start (linkage in vma->vm_rb: left,
 * right, height | largest gap in the subtree, own gap); find_vma is
 * O(log n).  MMFS: the kernel uses a maple tree (before 6.1: an rbtree
 * augmented with rb_subtree_gap, which is what this is).  The top-down
 * unmapped-area search finds the highest gap that fits below
 * mm->mmap_base in O(log n), mmap_base placed as the kernel's mmap_base()
 * does without randomisation: TASK_SIZE - 128 MiB gap.
 *
 * Frame mappings (mmfs_frame_map): a VMA named "/frames/0x..." built by
 * remap_pfn_range (VM_IO|VM_PFNMAP|VM_DONTEXPAND|VM_DONTDUMP), then the
 * driver pins the block's head page with FOLL_PIN accounting
 * (mmfs_pin_mapped_block) after finding its pfn through the page-table
 * walk of the new mapping.
 * MMFS: the kernel refuses GUP on VM_PFNMAP VMAs (and so do we); a driver
 * that remaps its own pages pins their struct pages itself, which is what
 * the frame "driver" does: one pin per open (refcount +1024 for a
 * non-compound block, +1 and compound_pincount +1 for a compound one),
 * VmPin of the opener += the block's pages.  It is not a FOLL_LONGTERM GUP
 * pin: a frame in ZONE_MOVABLE is not migrated (its pfn is its name).
 * Release zaps, frees the empty tables, then unpins (so a block freed
 * while pinned is never mapped once it returns to the free lists).
 *
 * Lock order: mmfs_mm_lock (registry mutex) -> mm->mmap_lock (rwlock) ->
 * mmfs_ptl (memory.c) -> zone locks (page allocator).  Only mmap_validate
 * holds several mmap_locks (every listed mm's, for read, in list order,
 * under mmfs_mm_lock); the last mmfs_mm_put frees the mm under
 * mmfs_mm_lock, so no table page is ever counted but unlisted.
 */
#include "pgtable_types.h"
#include "highmem.h"
#include "internal.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* one open of a frame file by one process */
struct mmfs_mapping {
	struct mm_struct *mm;		/* referenced address space */
	struct vm_area_struct *vma;	/* NULL once released (release_all) */
	struct page *pinned;		/* head the driver pinned (FOLL_PIN) */
	unsigned long pfn;		/* block head pfn */
	unsigned int order;		/* block order */
	struct list_head list;		/* mm->mappings */
};

static pthread_mutex_t mmfs_mm_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(mmfs_mm_live);		/* listed in pids/, one per pid */
static LIST_HEAD(mmfs_mm_dead);		/* superseded by a reused pid */
static unsigned long mmfs_mm_generation;
static bool mmfs_mmap_up;

/* ---------------------------------------------------------- validate text */

/**
 * mmfs_vappend - append one line to a validate report (grows the buffer).
 * @buf: @len: @cap: the report, its length and its capacity
 * @fmt: printf format of the line (without the newline)
 */
void mmfs_vappend(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = *cap - *len;

		va_start(ap, fmt);
		n = *buf ? vsnprintf(*buf + *len, room, fmt, ap) : -1;
		va_end(ap);
		if (n >= 0 && (size_t)n + 1 < room) {
			*len += (size_t)n;
			(*buf)[(*len)++] = '\n';
			(*buf)[*len] = '\0';
			return;
		}
		{
			size_t ncap = *cap ? *cap * 2 : 1024;
			char *nb;

			while (ncap < *len + (n > 0 ? (size_t)n : 0) + 2)
				ncap *= 2;
			nb = realloc(*buf, ncap);
			if (!nb)
				return;
			*buf = nb;
			*cap = ncap;
		}
	}
}

/* a growing text buffer for the renderers */
struct tbuf { char *s; size_t len, cap; bool oom; };

static void __attribute__((format(printf, 2, 3))) tprintf(struct tbuf *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = t->s ? vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap) : -1;
		va_end(ap);
		if (n >= 0 && (size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		{
			size_t ncap = t->cap ? t->cap * 2 : 4096;
			char *ns;

			while (n >= 0 && ncap < t->len + (size_t)n + 1)
				ncap *= 2;
			ns = realloc(t->s, ncap);
			if (!ns) {
				t->oom = true;
				return;
			}
			t->s = ns;
			t->cap = ncap;
		}
	}
}

static char *tdone(struct tbuf *t, size_t *len)
{
	if (t->oom || !t->s) {
		if (!t->oom && !t->s && (t->s = malloc(1)))
			goto ok;
		free(t->s);
		return NULL;
	}
ok:
	t->s[t->len] = '\0';
	if (len)
		*len = t->len;
	return t->s;
}

/* ------------------------------------------------------------- VMA tree */

#define VL(v)	((struct vm_area_struct *)(v)->vm_rb[0])
#define VR(v)	((struct vm_area_struct *)(v)->vm_rb[1])

/*
 * Augmented AVL (the pre-maple-tree kernel kept rb_subtree_gap the same
 * way): vm_rb[2] = subtree_gap | height (gaps are page multiples, the
 * height fits below PAGE_SHIFT), vm_rb[3] = this VMA's own gap, the free
 * space between the previous VMA's vm_end (or 0) and its vm_start.
 */
#define VH_MASK		(PAGE_SIZE - 1)
static inline int vh(const struct vm_area_struct *v)
{ return v ? (int)((uintptr_t)v->vm_rb[2] & VH_MASK) : 0; }
static inline unsigned long vsg(const struct vm_area_struct *v)
{ return v ? (uintptr_t)v->vm_rb[2] & ~VH_MASK : 0; }
static inline unsigned long vgap(const struct vm_area_struct *v)
{ return (uintptr_t)v->vm_rb[3]; }
static inline void vfix(struct vm_area_struct *v)
{
	unsigned long sg = max(vgap(v), max(vsg(VL(v)), vsg(VR(v))));

	v->vm_rb[2] = (void *)(uintptr_t)((sg & ~VH_MASK) | (uintptr_t)(1 + max(vh(VL(v)), vh(VR(v)))));
}

/* vma_gap_update: recompute the subtree gaps on the path down to @v */
static void avl_touch(struct vm_area_struct *n, struct vm_area_struct *v)
{
	if (!n)
		return;
	if (v->vm_start < n->vm_start)
		avl_touch(VL(n), v);
	else if (v->vm_start > n->vm_start)
		avl_touch(VR(n), v);
	vfix(n);
}

/* the VMA ending at or below addr with the highest vm_end, NULL if none */
static struct vm_area_struct *find_vma_prev_end(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *n = mm->mm_rb, *found = NULL;

	while (n) {
		if (n->vm_end <= addr) {
			found = n;
			n = VR(n);
		} else {
			n = VL(n);
		}
	}
	return found;
}

static struct vm_area_struct *rot_right(struct vm_area_struct *y)
{
	struct vm_area_struct *x = VL(y);

	y->vm_rb[0] = x->vm_rb[1];
	x->vm_rb[1] = y;
	vfix(y);
	vfix(x);
	return x;
}

static struct vm_area_struct *rot_left(struct vm_area_struct *x)
{
	struct vm_area_struct *y = VR(x);

	x->vm_rb[1] = y->vm_rb[0];
	y->vm_rb[0] = x;
	vfix(x);
	vfix(y);
	return y;
}

static struct vm_area_struct *avl_balance(struct vm_area_struct *n)
{
	int bf;

	vfix(n);
	bf = vh(VL(n)) - vh(VR(n));
	if (bf > 1) {
		if (vh(VL(VL(n))) < vh(VR(VL(n))))
			n->vm_rb[0] = rot_left(VL(n));
		return rot_right(n);
	}
	if (bf < -1) {
		if (vh(VR(VR(n))) < vh(VL(VR(n))))
			n->vm_rb[1] = rot_right(VR(n));
		return rot_left(n);
	}
	return n;
}

static struct vm_area_struct *avl_insert(struct vm_area_struct *n, struct vm_area_struct *v)
{
	if (!n) {
		v->vm_rb[0] = v->vm_rb[1] = NULL;
		vfix(v);
		return v;
	}
	if (v->vm_start < n->vm_start)
		n->vm_rb[0] = avl_insert(VL(n), v);
	else
		n->vm_rb[1] = avl_insert(VR(n), v);
	return avl_balance(n);
}

static struct vm_area_struct *avl_remove_min(struct vm_area_struct *n, struct vm_area_struct **min)
{
	if (!VL(n)) {
		*min = n;
		return VR(n);
	}
	n->vm_rb[0] = avl_remove_min(VL(n), min);
	return avl_balance(n);
}

static struct vm_area_struct *avl_erase(struct vm_area_struct *n, struct vm_area_struct *v)
{
	struct vm_area_struct *l, *r, *m;

	if (!n)
		return NULL;
	if (v->vm_start < n->vm_start) {
		n->vm_rb[0] = avl_erase(VL(n), v);
	} else if (v->vm_start > n->vm_start) {
		n->vm_rb[1] = avl_erase(VR(n), v);
	} else {
		l = VL(n);
		r = VR(n);
		if (!r)
			return l;
		r = avl_remove_min(r, &m);
		m->vm_rb[0] = l;
		m->vm_rb[1] = r;
		return avl_balance(m);
	}
	return avl_balance(n);
}

/**
 * find_vma - the first VMA which satisfies addr < vm_end, NULL if none.
 * @mm: the address space (mmap_lock held)
 * @addr: the address
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *n = mm->mm_rb, *found = NULL;

	while (n) {
		if (n->vm_end > addr) {
			found = n;
			if (n->vm_start <= addr)
				break;
			n = VL(n);
		} else {
			n = VR(n);
		}
	}
	return found;
}

/**
 * find_vma_intersection - the first VMA intersecting [start, end), or NULL.
 * @mm: the address space
 * @start: first address
 * @end: first address after
 */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return (vma && vma->vm_start < end) ? vma : NULL;
}

/**
 * vma_next - the VMA after @vma in address order, NULL at the end.
 * @mm: the address space (mmap_lock held)
 * @vma: a VMA of @mm
 */
struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *vma)
{
	return find_vma(mm, vma->vm_end);
}

/**
 * vm_get_page_prot - the pte protection for @vm_flags (x86's
 * protection_map[], arch/x86/mm/pgprot.c): private writable mappings get
 * PAGE_COPY (read-only ptes, written after a COW fault).
 * @vm_flags: VM_READ/WRITE/EXEC/SHARED
 */
pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	static const pgprot_t protection_map[16] = {
		[VM_NONE]				= PAGE_NONE,
		[VM_READ]				= PAGE_READONLY,
		[VM_WRITE]				= PAGE_COPY,
		[VM_WRITE | VM_READ]			= PAGE_COPY,
		[VM_EXEC]				= PAGE_READONLY_EXEC,
		[VM_EXEC | VM_READ]			= PAGE_READONLY_EXEC,
		[VM_EXEC | VM_WRITE]			= PAGE_COPY_EXEC,
		[VM_EXEC | VM_WRITE | VM_READ]		= PAGE_COPY_EXEC,
		[VM_SHARED]				= PAGE_NONE,
		[VM_SHARED | VM_READ]			= PAGE_READONLY,
		[VM_SHARED | VM_WRITE]			= PAGE_SHARED,
		[VM_SHARED | VM_WRITE | VM_READ]	= PAGE_SHARED,
		[VM_SHARED | VM_EXEC]			= PAGE_READONLY_EXEC,
		[VM_SHARED | VM_EXEC | VM_READ]		= PAGE_READONLY_EXEC,
		[VM_SHARED | VM_EXEC | VM_WRITE]	= PAGE_SHARED_EXEC,
		[VM_SHARED | VM_EXEC | VM_WRITE | VM_READ] = PAGE_SHARED_EXEC,
	};

	return protection_map[vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED)];
}

/* ------------------------------------------------------ unmapped areas */

struct topdown {
	unsigned long len, align, low, high;
	unsigned long length;		/* len + align - PAGE_SIZE: fits at any alignment */
	unsigned long found;
};

/* the gap [gap_start, gap_end) clipped to [low, high]: an address, or 0 */
static unsigned long topdown_try(struct topdown *t, unsigned long gap_start, unsigned long gap_end)
{
	unsigned long addr;

	gap_start = max(gap_start, t->low);
	gap_end = min(gap_end, t->high);
	if (gap_end < gap_start || gap_end - gap_start < t->length)
		return 0;
	addr = ALIGN_DOWN(gap_end - t->len, t->align);
	return addr >= gap_start ? addr : 0;
}

/* highest first: right subtree, this VMA's own gap, left subtree; a
 * subtree whose largest gap is too small is skipped (O(log n)) */
static bool topdown_search(struct vm_area_struct *n, struct topdown *t)
{
	unsigned long addr;

	if (!n || vsg(n) < t->length)
		return false;
	if (n->vm_end < t->high && topdown_search(VR(n), t))
		return true;
	if (vgap(n) >= t->length) {
		addr = topdown_try(t, n->vm_start - vgap(n), n->vm_start);
		if (addr) {
			t->found = addr;
			return true;
		}
	}
	if (n->vm_start - vgap(n) <= t->low)
		return false;
	return topdown_search(VL(n), t);
}

/**
 * unmapped_area_topdown - the highest free range of @len bytes below
 * mm->mmap_base, aligned to @align (unmapped_area_topdown with
 * info.high_limit = mmap_base, low_limit = max(PAGE_SIZE, mmap_min_addr)).
 * @mm: the address space (mmap_lock held)
 * @len: bytes wanted (page aligned)
 * @align: power of two >= PAGE_SIZE
 *
 * The gap above the highest VMA first, then the gap tree from the top.
 * Return: the address, or (unsigned long)-ENOMEM.
 */
unsigned long unmapped_area_topdown(struct mm_struct *mm, unsigned long len, unsigned long align)
{
	struct topdown t = {
		.len = len, .align = align ? align : PAGE_SIZE,
		.low = max(PAGE_SIZE, mmap_min_addr), .high = mm->mmap_base,
	};
	struct vm_area_struct *last;
	unsigned long addr;

	t.length = len + t.align - PAGE_SIZE;
	if (!len || t.length < len || t.length > t.high - t.low)
		return (unsigned long)-ENOMEM;
	/* above the highest VMA */
	last = mm->mm_rb;
	while (last && VR(last))
		last = VR(last);
	addr = topdown_try(&t, last ? last->vm_end : 0, t.high);
	if (addr)
		return addr;
	if (topdown_search(mm->mm_rb, &t))
		return t.found;
	return (unsigned long)-ENOMEM;
}

/* --------------------------------------------------------- mm lifetime */

/* starttime (field 22) of /proc/PID/stat, 0 when unknown */
static uint64_t mmfs_pid_start_time(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long long st = 0;
	size_t n;
	FILE *f;
	int i;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	/* after ")": field 3 (state) ... field 22 (starttime) */
	for (i = 3; i <= 22 && p; i++)
		p = strchr(p + 1, ' ');
	if (p)
		st = strtoull(p + 1, NULL, 10);
	return st;
}

/**
 * mm_alloc - a fresh, unregistered address space with an empty pgd.
 * @pid: the client it belongs to (owner of its table pages)
 *
 * Return: the mm with one reference, NULL on -ENOMEM.
 */
struct mm_struct *mm_alloc(int pid)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));

	if (!mm)
		return NULL;
	mm->pid = pid;
	mmap_init_lock(mm);
	INIT_LIST_HEAD(&mm->mm_list);
	INIT_LIST_HEAD(&mm->mappings);
	mm->task_size = TASK_SIZE;
	/* mmap_base(): TASK_SIZE - max(stack rlimit + guard, 128 MiB), no random */
	mm->mmap_base = PAGE_ALIGN(TASK_SIZE - (128UL << 20));
	snprintf(mm->comm, sizeof(mm->comm), "%s", current->comm);
	atomic_set(&mm->mm_count, 1);
	mm->pgd = mmfs_pgtable_alloc(mm, PT_LEVEL_PGD, 0);	/* pgd_alloc */
	if (!mm->pgd) {
		pthread_rwlock_destroy(&mm->mmap_lock);
		free(mm);
		return NULL;
	}
	return mm;
}

static void vma_free_all(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	while ((vma = mm->mm_rb))
		mmfs_vma_destroy(vma);
}

/**
 * mmdrop - free an address space nobody references any more: its VMAs,
 * their tables and the pgd.
 * @mm: the address space (unregistered)
 */
void mmdrop(struct mm_struct *mm)
{
	struct mmfs_mapping *m, *n;

	mmap_write_lock(mm);
	list_for_each_entry_safe(m, n, &mm->mappings, list)
		list_del_init(&m->list);
	vma_free_all(mm);
	if (mm->pgd) {
		mmfs_pgtable_free(mm, mm->pgd);		/* pgd_free */
		mm->pgd = NULL;
	}
	mmap_write_unlock(mm);
	pthread_rwlock_destroy(&mm->mmap_lock);
	free(mm);
}

/**
 * mmfs_mm_get - pid's address space, referenced (find or create).
 * @pid: client pid
 * @create: make one if there is none (or the pid was reused)
 *
 * Return: the mm (drop with mmfs_mm_put), NULL if none / -ENOMEM.
 */
struct mm_struct *mmfs_mm_get(int pid, bool create)
{
	uint64_t st = create ? mmfs_pid_start_time(pid) : 0;
	struct mm_struct *mm, *found = NULL;

	pthread_mutex_lock(&mmfs_mm_lock);
	list_for_each_entry(mm, &mmfs_mm_live, mm_list) {
		if (mm->pid == pid) {
			found = mm;
			break;
		}
	}
	if (found && create && st && found->start_time && found->start_time != st) {
		/* the pid was reused: the old address space goes unlisted */
		list_move(&found->mm_list, &mmfs_mm_dead);
		found->dead = true;
		found = NULL;
	}
	if (found) {
		atomic_inc(&found->mm_count);
	} else if (create && mmfs_mmap_up) {
		found = mm_alloc(pid);
		if (found) {
			struct list_head *pos = &mmfs_mm_live;

			found->start_time = st;
			found->generation = ++mmfs_mm_generation;
			/* keep the live list sorted by pid */
			list_for_each_entry(mm, &mmfs_mm_live, mm_list) {
				if (mm->pid > pid) {
					pos = &mm->mm_list;
					break;
				}
			}
			list_add_tail(&found->mm_list, pos);
		}
	}
	pthread_mutex_unlock(&mmfs_mm_lock);
	return found;
}

/**
 * mmfs_mm_put - drop a reference; the last one unregisters and frees.
 * @mm: from mmfs_mm_get
 */
void mmfs_mm_put(struct mm_struct *mm)
{
	bool last;

	if (!mm)
		return;
	pthread_mutex_lock(&mmfs_mm_lock);
	last = atomic_dec_and_test(&mm->mm_count);
	if (last) {
		list_del_init(&mm->mm_list);
		/* its tables go before the registry lets go: validate never
		 * sees table pages counted that no listed mm can reach */
		mmdrop(mm);
	}
	pthread_mutex_unlock(&mmfs_mm_lock);
}

/**
 * mmfs_vma_create - insert a new VMA [addr, addr + len) into @mm.
 * @mm: the address space (mmap_lock held for write)
 * @addr: page-aligned start
 * @len: page-aligned length
 * @vm_flags: VM_*
 * @name: the maps path column, or NULL
 * @out: the new VMA
 *
 * Return: 0, -EINVAL (bad range / overlap) or -ENOMEM.
 */
int mmfs_vma_create(struct mm_struct *mm, unsigned long addr, unsigned long len,
		    unsigned long vm_flags, const char *name, struct vm_area_struct **out)
{
	struct vm_area_struct *vma, *prev, *next;

	if (!len || !IS_ALIGNED(addr | len, PAGE_SIZE) || addr + len > mm->task_size ||
	    addr + len < addr || addr < mmap_min_addr)
		return -EINVAL;
	if (find_vma_intersection(mm, addr, addr + len))
		return -EINVAL;
	vma = calloc(1, sizeof(*vma));
	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_mm = mm;
	vma->vm_flags = vm_flags;
	vma->vm_page_prot = vm_get_page_prot(vm_flags);
	if (name)
		snprintf(vma->vm_name, sizeof(vma->vm_name), "%s", name);
	prev = find_vma_prev_end(mm, addr);
	next = find_vma(mm, addr + len);
	vma->vm_rb[3] = (void *)(uintptr_t)(addr - (prev ? prev->vm_end : 0));
	mm->mm_rb = avl_insert(mm->mm_rb, vma);
	if (next) {
		next->vm_rb[3] = (void *)(uintptr_t)(next->vm_start - vma->vm_end);
		avl_touch(mm->mm_rb, next);
	}
	mm->map_count++;
	/* vm_stat_account */
	mm->total_vm += len >> PAGE_SHIFT;
	if (mm->total_vm > mm->hiwater_vm)
		mm->hiwater_vm = mm->total_vm;
	if ((vm_flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE)
		mm->data_vm += len >> PAGE_SHIFT;
	if (vma->vm_end > mm->highest_vm_end)
		mm->highest_vm_end = vma->vm_end;
	*out = vma;
	return 0;
}

/**
 * mmfs_vma_destroy - unmap_region + remove_vma: zap, free empty tables,
 * unlink and free the VMA.
 * @vma: the VMA (mmap_lock of its mm held for write)
 */
void mmfs_vma_destroy(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev = find_vma_prev_end(mm, vma->vm_start);
	struct vm_area_struct *next = vma_next(mm, vma);

	unmap_vmas(vma, vma->vm_start, vma->vm_end);
	/* unmap_region: only the tables between the neighbours may go */
	free_pgtables(vma, prev ? prev->vm_end : FIRST_USER_ADDRESS,
		      next ? next->vm_start : USER_PGTABLES_CEILING);
	mm->mm_rb = avl_erase(mm->mm_rb, vma);
	if (next) {
		next->vm_rb[3] = (void *)(uintptr_t)(vgap(next) + vgap(vma) +
						     (vma->vm_end - vma->vm_start));
		avl_touch(mm->mm_rb, next);
	}
	mm->map_count--;
	mm->total_vm -= vma_pages(vma);
	if ((vma->vm_flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) == VM_WRITE)
		mm->data_vm -= vma_pages(vma);
	free(vma);
}

/* ---------------------------------------------------------- frame files */

static void __mapping_release(struct mmfs_mapping *m)
{
	struct mm_struct *mm = m->mm;

	if (!m->vma)
		return;
	mmfs_vma_destroy(m->vma);	/* zap + free tables first ... */
	m->vma = NULL;
	if (m->pinned) {		/* ... then the driver's unpin */
		unpin_user_page(m->pinned);
		atomic_long_sub(1L << m->order, &mm->pinned_vm);
		m->pinned = NULL;
	}
}

/**
 * mmfs_frame_map - map and pin a frame block into pid's address space
 * (SPEC §3: open = remap + pin).
 * @pid: the opener
 * @pfn: head pfn of an allocated block
 * @order: its order
 * @writable: opened for writing (VM_WRITE)
 * @shared: VM_SHARED|VM_MAYSHARE (else a COW mapping, vm_pgoff = pfn)
 * @path: "/frames/0x1a2b", the maps path column
 * @out: the mapping (release with mmfs_frame_unmap)
 *
 * Return: 0, -EINVAL (bad pfn/order, block not allocated), -ENOMEM.
 */
int mmfs_frame_map(int pid, unsigned long pfn, unsigned int order, bool writable,
		   bool shared, const char *path, struct mmfs_mapping **out)
{
	unsigned long len, addr, vm_flags, wpfn;
	struct vm_area_struct *vma = NULL;
	struct mmfs_mapping *m;
	struct mm_struct *mm;
	struct page *head;
	int ret;

	if (!out || order >= MAX_ORDER || !IS_ALIGNED(pfn, 1UL << order) || !pfn_valid(pfn) ||
	    !pfn_valid(pfn + (1UL << order) - 1) || !mmfs_mmap_up)
		return -EINVAL;
	head = pfn_to_page(pfn);
	if (page_ref_count(head) <= 0 || PageTail(head))
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	mm = mmfs_mm_get(pid, true);
	if (!mm) {
		free(m);
		return -ENOMEM;
	}
	len = PAGE_SIZE << order;
	vm_flags = VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if (writable)
		vm_flags |= VM_WRITE;
	if (shared) {
		vm_flags |= VM_SHARED | VM_MAYSHARE;
		if (!writable)
			vm_flags &= ~VM_MAYWRITE;	/* a file opened read-only */
	}

	mmap_write_lock(mm);
	/* MMFS: blocks of 2 MiB and more get 2 MiB alignment so the huge
	 * pmd leaf can be used (thp_get_unmapped_area does the same) */
	addr = unmapped_area_topdown(mm, len, order >= HPAGE_PMD_ORDER ? PMD_SIZE : PAGE_SIZE);
	ret = IS_ERR_VALUE(addr) ? (int)(long)addr : 0;
	if (!ret)
		ret = mmfs_vma_create(mm, addr, len, vm_flags, path, &vma);
	if (ret)
		goto out_unlock;
	ret = remap_pfn_range(vma, addr, pfn, len, vma->vm_page_prot);
	if (ret)
		goto out_vma;
	/* the driver pins what it mapped: pfn from the walk, not from @pfn */
	ret = follow_pfn_walk(mm, addr, &wpfn, NULL, NULL);
	if (ret || wpfn != pfn) {
		ret = -EINVAL;
		goto out_vma;
	}
	ret = mmfs_pin_mapped_block(pfn_to_page(wpfn));
	if (ret)
		goto out_vma;
	m->mm = mm;
	m->vma = vma;
	m->pinned = pfn_to_page(wpfn);
	m->pfn = pfn;
	m->order = order;
	vma->vm_private_data = m;
	atomic_long_add(1L << order, &mm->pinned_vm);
	list_add_tail(&m->list, &mm->mappings);
	mmap_write_unlock(mm);
	*out = m;
	return 0;

out_vma:
	mmfs_vma_destroy(vma);
out_unlock:
	mmap_write_unlock(mm);
	mmfs_mm_put(mm);
	free(m);
	return ret == -EBUSY ? -EINVAL : ret;
}

/**
 * mmfs_frame_unmap - the last release of an open: zap, unpin, free @m.
 * @m: from mmfs_frame_map (NULL is ignored)
 */
void mmfs_frame_unmap(struct mmfs_mapping *m)
{
	struct mm_struct *mm;

	if (!m)
		return;
	mm = m->mm;
	mmap_write_lock(mm);
	__mapping_release(m);
	if (m->list.next && m->list.next != &m->list)
		list_del_init(&m->list);
	mmap_write_unlock(mm);
	free(m);
	mmfs_mm_put(mm);
}

/**
 * mmfs_mapping_start - the user vaddr of a mapping, 0 once released.
 * @m: the mapping
 */
unsigned long mmfs_mapping_start(const struct mmfs_mapping *m)
{
	return m && m->vma ? m->vma->vm_start : 0;
}

/**
 * mmfs_mapping_access - copy to/from the mapped block through the tables.
 * @m: the mapping
 * @off: byte offset in the block
 * @buf: source or destination
 * @len: bytes
 * @write: store into the block
 *
 * Every page is found by walking the page tables of the mapping; highmem
 * frames are reached through kmap_local_page.
 * Return: bytes copied (0 at or past the end), or -EFAULT.
 */
long mmfs_mapping_access(struct mmfs_mapping *m, uint64_t off, void *buf, size_t len, bool write)
{
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	unsigned long size;
	size_t done = 0;
	long ret = 0;

	if (!m || (!buf && len))
		return -EFAULT;
	mm = m->mm;
	mmap_read_lock(mm);
	vma = m->vma;
	if (!vma) {
		ret = -EFAULT;
		goto out;
	}
	size = vma->vm_end - vma->vm_start;
	if (off >= size)
		goto out;
	if (len > size - off)
		len = size - off;
	while (done < len) {
		unsigned long addr = vma->vm_start + off + done, pfn;
		size_t in = addr & ~PAGE_MASK, n = min(PAGE_SIZE - in, len - done);
		struct page *page;
		bool writable;
		char *p;

		if (follow_pfn_walk(mm, addr, &pfn, &writable, NULL) || !pfn_valid(pfn) ||
		    (write && !writable)) {
			ret = -EFAULT;
			break;
		}
		page = pfn_to_page(pfn);
		if (PageHighMem(page)) {
			p = kmap_local_page(page);
			if (write)
				memcpy(p + in, (char *)buf + done, n);
			else
				memcpy((char *)buf + done, p + in, n);
			kunmap_local(p);
		} else {
			p = mmfs_pfn_to_ptr(pfn);
			if (write)
				memcpy(p + in, (char *)buf + done, n);
			else
				memcpy((char *)buf + done, p + in, n);
		}
		done += n;
	}
out:
	mmap_read_unlock(mm);
	return done ? (long)done : ret;
}

/* ------------------------------------------------------------------ pids/ */

/**
 * mmfs_pids_list - pids with a live address space, ascending.
 * @n: out: how many
 *
 * Return: malloc'd array (caller frees); NULL with *n = 0 when none.
 */
int *mmfs_pids_list(int *n)
{
	struct mm_struct *mm;
	int *pids = NULL, cnt = 0, cap = 0;

	pthread_mutex_lock(&mmfs_mm_lock);
	list_for_each_entry(mm, &mmfs_mm_live, mm_list) {
		if (cnt == cap) {
			int *np = realloc(pids, sizeof(int) * (size_t)(cap = cap ? cap * 2 : 16));

			if (!np)
				break;
			pids = np;
		}
		pids[cnt++] = mm->pid;
	}
	pthread_mutex_unlock(&mmfs_mm_lock);
	if (n)
		*n = cnt;
	if (!cnt) {
		free(pids);
		return NULL;
	}
	return pids;
}

/**
 * mmfs_pid_exists - has pid a live (listed) address space?
 * @pid: the client
 */
bool mmfs_pid_exists(int pid)
{
	struct mm_struct *mm;
	bool found = false;

	pthread_mutex_lock(&mmfs_mm_lock);
	list_for_each_entry(mm, &mmfs_mm_live, mm_list)
		if (mm->pid == pid) {
			found = true;
			break;
		}
	pthread_mutex_unlock(&mmfs_mm_lock);
	return found;
}

/**
 * mmfs_pid_generation - the registry generation of pid's address space
 * (changes when a reused pid gets a new one), 0 if none.  For inode
 * generation numbers of pids/PID.
 */
unsigned long mmfs_pid_generation(int pid)
{
	struct mm_struct *mm;
	unsigned long gen = 0;

	pthread_mutex_lock(&mmfs_mm_lock);
	list_for_each_entry(mm, &mmfs_mm_live, mm_list)
		if (mm->pid == pid) {
			gen = mm->generation;
			break;
		}
	pthread_mutex_unlock(&mmfs_mm_lock);
	return gen;
}

/* show_vma_header_prefix + the padded name (fs/proc/task_mmu.c) */
static void show_map_vma(struct tbuf *t, struct vm_area_struct *vma)
{
	unsigned long flags = vma->vm_flags;
	size_t start = t->len;

	tprintf(t, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ",
		vma->vm_start, vma->vm_end,
		flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-',
		flags & VM_EXEC ? 'x' : '-', flags & VM_MAYSHARE ? 's' : 'p',
		(unsigned long long)vma->vm_pgoff << PAGE_SHIFT, 0u, 0u, 0UL);
	if (vma->vm_name[0]) {
		/* seq_setwidth(25 + 6 * sizeof(void *) - 1), seq_pad(' ') */
		size_t width = 25 + sizeof(void *) * 6 - 1;

		if (!t->oom && t->len - start < width)
			tprintf(t, "%*s", (int)(width - (t->len - start)), "");
		tprintf(t, " %s", vma->vm_name);
	}
	tprintf(t, "\n");
}

static struct mm_struct *pid_mm_lock(int pid)
{
	struct mm_struct *mm = mmfs_mm_get(pid, false);

	if (mm)
		mmap_read_lock(mm);
	return mm;
}

static void pid_mm_unlock(struct mm_struct *mm)
{
	mmap_read_unlock(mm);
	mmfs_mm_put(mm);
}

/**
 * mmfs_pid_maps - /proc/PID/maps of pid's simulated address space.
 * @pid: the client
 * @len: out: length
 *
 * Return: malloc'd text, NULL if no such pid (or -ENOMEM).
 */
char *mmfs_pid_maps(int pid, size_t *len)
{
	struct mm_struct *mm = pid_mm_lock(pid);
	struct vm_area_struct *vma;
	struct tbuf t = { 0 };

	if (!mm)
		return NULL;
	for (vma = find_vma(mm, 0); vma; vma = vma_next(mm, vma))
		show_map_vma(&t, vma);
	pid_mm_unlock(mm);
	return tdone(&t, len);
}

/* the two-letter VmFlags codes by bit (show_smap_vma_flags) */
static const char mnemonics[64][2] = {
	[0] = "rd", [1] = "wr", [2] = "ex", [3] = "sh", [4] = "mr", [5] = "mw",
	[6] = "me", [7] = "ms", [8] = "gd", [10] = "pf", [13] = "lo", [14] = "io",
	[15] = "sr", [16] = "rr", [17] = "dc", [18] = "de", [20] = "ac", [21] = "nr",
	[22] = "ht", [23] = "sf", [25] = "wf", [26] = "dd", [27] = "sd", [28] = "mm",
	[29] = "hg", [30] = "nh", [31] = "mg",
};

struct mem_size_stats {
	unsigned long resident, shared_clean, shared_dirty, private_clean, private_dirty;
	unsigned long referenced, anonymous, anonymous_thp, locked;
	uint64_t pss, pss_dirty;
};

/* smap_gather_stats: normal pages only (walk_page_range skips VM_PFNMAP) */
static void smap_gather_stats(struct vm_area_struct *vma, struct mem_size_stats *mss)
{
	unsigned long addr;

	if (vma->vm_flags & VM_PFNMAP)
		return;
	for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		unsigned long pfn, size = PAGE_SIZE;
		struct page *page, *head;
		bool w;
		int level, mapcount;

		if (follow_pfn_walk(vma->vm_mm, addr, &pfn, &w, &level) || !pfn_valid(pfn))
			continue;
		page = pfn_to_page(pfn);
		head = compound_head(page);
		mapcount = level == PT_LEVEL_PTE ? page_mapcount(page)
						 : atomic_read(&head[1].compound_mapcount);
		if (mapcount < 1)
			mapcount = 1;
		mss->resident += size;
		mss->pss += ((uint64_t)size << 12) / (unsigned long)mapcount;
		if ((unsigned long)head->mapping & 1) {
			mss->anonymous += size;
			if (level == PT_LEVEL_PMD)
				mss->anonymous_thp += size;
		}
		if (PageReferenced(head))
			mss->referenced += size;
		if (mapcount >= 2) {
			if (PageDirty(head) || w)
				mss->shared_dirty += size;
			else
				mss->shared_clean += size;
		} else {
			if (PageDirty(head) || w) {
				mss->private_dirty += size;
				mss->pss_dirty += (uint64_t)size << 12;
			} else {
				mss->private_clean += size;
			}
		}
		if (vma->vm_flags & VM_LOCKED)
			mss->locked += size;
	}
}

static void show_val_kb(struct tbuf *t, const char *name, unsigned long bytes)
{
	tprintf(t, "%s%8lu kB\n", name, bytes >> 10);
}

/**
 * mmfs_pid_smaps - /proc/PID/smaps.
 * @pid: the client
 * @len: out: length
 *
 * Return: malloc'd text, NULL if no such pid.
 */
char *mmfs_pid_smaps(int pid, size_t *len)
{
	struct mm_struct *mm = pid_mm_lock(pid);
	struct vm_area_struct *vma;
	struct tbuf t = { 0 };
	int bit;

	if (!mm)
		return NULL;
	for (vma = find_vma(mm, 0); vma; vma = vma_next(mm, vma)) {
		struct mem_size_stats mss = { 0 };

		smap_gather_stats(vma, &mss);
		show_map_vma(&t, vma);
		show_val_kb(&t, "Size:           ", vma->vm_end - vma->vm_start);
		show_val_kb(&t, "KernelPageSize: ", PAGE_SIZE);
		show_val_kb(&t, "MMUPageSize:    ", PAGE_SIZE);
		show_val_kb(&t, "Rss:            ", mss.resident);
		show_val_kb(&t, "Pss:            ", (unsigned long)(mss.pss >> 12));
		show_val_kb(&t, "Pss_Dirty:      ", (unsigned long)(mss.pss_dirty >> 12));
		show_val_kb(&t, "Shared_Clean:   ", mss.shared_clean);
		show_val_kb(&t, "Shared_Dirty:   ", mss.shared_dirty);
		show_val_kb(&t, "Private_Clean:  ", mss.private_clean);
		show_val_kb(&t, "Private_Dirty:  ", mss.private_dirty);
		show_val_kb(&t, "Referenced:     ", mss.referenced);
		show_val_kb(&t, "Anonymous:      ", mss.anonymous);
		show_val_kb(&t, "KSM:            ", 0);
		show_val_kb(&t, "LazyFree:       ", 0);
		show_val_kb(&t, "AnonHugePages:  ", mss.anonymous_thp);
		show_val_kb(&t, "ShmemPmdMapped: ", 0);
		show_val_kb(&t, "FilePmdMapped:  ", 0);
		show_val_kb(&t, "Shared_Hugetlb: ", 0);
		tprintf(&t, "Private_Hugetlb: %7lu kB\n", 0UL);	/* the kernel's spacing */
		show_val_kb(&t, "Swap:           ", 0);
		show_val_kb(&t, "SwapPss:        ", 0);
		show_val_kb(&t, "Locked:         ", mss.locked);
		tprintf(&t, "THPeligible:    %8u\n", 0u);
		tprintf(&t, "VmFlags: ");
		for (bit = 0; bit < 64; bit++)
			if ((vma->vm_flags & (1UL << bit)) && mnemonics[bit][0])
				tprintf(&t, "%c%c ", mnemonics[bit][0], mnemonics[bit][1]);
		tprintf(&t, "\n");
	}
	pid_mm_unlock(mm);
	return tdone(&t, len);
}

/**
 * mmfs_pid_status - /proc/PID/status (the lines an mm has).
 * @pid: the client
 * @len: out: length
 *
 * VmPin is mm->pinned_vm: the pages the frame driver holds pinned for
 * this process (the kernel's VmPin, which pinning drivers account).
 * Return: malloc'd text, NULL if no such pid.
 */
char *mmfs_pid_status(int pid, size_t *len)
{
	struct mm_struct *mm = pid_mm_lock(pid);
	struct vm_area_struct *vma;
	unsigned long locked = 0, rss, anon;
	struct tbuf t = { 0 };

	if (!mm)
		return NULL;
	for (vma = find_vma(mm, 0); vma; vma = vma_next(mm, vma))
		if (vma->vm_flags & VM_LOCKED)
			locked += vma_pages(vma);
	rss = (unsigned long)atomic_long_read(&mm->rss);
	anon = (unsigned long)atomic_long_read(&mm->rss_anon);
	tprintf(&t, "Name:\t%s\n", mm->comm);
	tprintf(&t, "Tgid:\t%d\n", mm->pid);
	tprintf(&t, "Pid:\t%d\n", mm->pid);
	/* task_mem(): the mm's lines, in the kernel's order and widths */
#define K(pages)	((unsigned long)(pages) << (PAGE_SHIFT - 10))
	tprintf(&t, "VmPeak:\t%8lu kB\n", K(mm->hiwater_vm));
	tprintf(&t, "VmSize:\t%8lu kB\n", K(mm->total_vm));
	tprintf(&t, "VmLck:\t%8lu kB\n", K(locked));
	tprintf(&t, "VmPin:\t%8lu kB\n", K(atomic_long_read(&mm->pinned_vm)));
	tprintf(&t, "VmHWM:\t%8lu kB\n", K(max((unsigned long)atomic_long_read(&mm->hiwater_rss), rss)));
	tprintf(&t, "VmRSS:\t%8lu kB\n", K(rss));
	tprintf(&t, "RssAnon:\t%8lu kB\n", K(anon));
	tprintf(&t, "RssFile:\t%8lu kB\n", K(rss - anon));
	tprintf(&t, "RssShmem:\t%8lu kB\n", 0UL);
	tprintf(&t, "VmData:\t%8lu kB\n", K(mm->data_vm));
	tprintf(&t, "VmStk:\t%8lu kB\n", 0UL);
	tprintf(&t, "VmExe:\t%8lu kB\n", 0UL);
	tprintf(&t, "VmLib:\t%8lu kB\n", 0UL);
	tprintf(&t, "VmPTE:\t%8lu kB\n", (unsigned long)atomic_long_read(&mm->pgtables_bytes) >> 10);
	tprintf(&t, "VmSwap:\t%8lu kB\n", 0UL);
#undef K
	/* MMFS: pages the frame driver holds pinned (VmPin in pages) */
	tprintf(&t, "PinnedPages:\t%lu\n", (unsigned long)atomic_long_read(&mm->pinned_vm));
	pid_mm_unlock(mm);
	return tdone(&t, len);
}

#define PM_ENTRY_BYTES		8
#define PM_PFRAME_MASK		((1ULL << 55) - 1)
#define PM_MMAP_EXCLUSIVE	(1ULL << 56)
#define PM_FILE			(1ULL << 61)
#define PM_PRESENT		(1ULL << 63)

/**
 * mmfs_pid_pagemap_read - /proc/PID/pagemap: one u64 per virtual page.
 * @pid: the client
 * @off: byte offset (multiple of 8)
 * @buf: destination
 * @len: bytes (multiple of 8)
 *
 * Present pages: bit 63 and the pfn in bits 0-54; bit 61 (file/shared)
 * and 56 (exclusive) only for pages with a struct page behind them, so
 * never for VM_PFNMAP.
 * Return: bytes written, 0 past the end of the user address space,
 * -EINVAL for unaligned off/len, -ENOENT for no such pid.
 */
long mmfs_pid_pagemap_read(int pid, uint64_t off, void *buf, size_t len)
{
	uint64_t end_vpfn = TASK_SIZE_MAX >> PAGE_SHIFT, vpfn;
	struct vm_area_struct *vma = NULL;
	struct mm_struct *mm;
	uint64_t *out = buf;
	size_t i, n;

	if ((off % PM_ENTRY_BYTES) || (len % PM_ENTRY_BYTES) || (!buf && len))
		return -EINVAL;
	mm = pid_mm_lock(pid);
	if (!mm)
		return -ENOENT;
	vpfn = off / PM_ENTRY_BYTES;
	n = vpfn >= end_vpfn ? 0 : (size_t)min((uint64_t)(len / PM_ENTRY_BYTES), end_vpfn - vpfn);
	for (i = 0; i < n; i++) {
		unsigned long addr = (unsigned long)(vpfn + i) << PAGE_SHIFT, pfn;
		uint64_t pme = 0;
		int level;

		if (!vma || addr >= vma->vm_end)
			vma = find_vma(mm, addr);
		if (!vma) {
			memset(out + i, 0, (n - i) * PM_ENTRY_BYTES);
			break;
		}
		if (addr >= vma->vm_start &&
		    !follow_pfn_walk(mm, addr, &pfn, NULL, &level)) {
			pme = PM_PRESENT | (pfn & PM_PFRAME_MASK);
			if (!(vma->vm_flags & VM_PFNMAP) && pfn_valid(pfn)) {
				struct page *page = pfn_to_page(pfn);

				if (!((unsigned long)compound_head(page)->mapping & 1))
					pme |= PM_FILE;
				if (level == PT_LEVEL_PTE && page_mapcount(page) == 1)
					pme |= PM_MMAP_EXCLUSIVE;
			}
		}
		out[i] = pme;
	}
	pid_mm_unlock(mm);
	return (long)(n * PM_ENTRY_BYTES);
}

/**
 * mmfs_pid_release_all - the client went away: release every mapping of
 * pid (every incarnation).  The mmfs_mapping structs stay valid until
 * their mmfs_frame_unmap(), which then only frees them.
 * @pid: the client
 */
void mmfs_pid_release_all(int pid)
{
	struct mm_struct *mm, **mms = NULL;
	int cnt = 0, cap = 0, i;

	pthread_mutex_lock(&mmfs_mm_lock);
	for (int pass = 0; pass < 2; pass++) {
		struct list_head *head = pass ? &mmfs_mm_dead : &mmfs_mm_live;

		list_for_each_entry(mm, head, mm_list) {
			if (mm->pid != pid)
				continue;
			if (cnt == cap) {
				struct mm_struct **n = realloc(mms, sizeof(*mms) * (size_t)(cap = cap ? cap * 2 : 4));

				if (!n)
					break;
				mms = n;
			}
			atomic_inc(&mm->mm_count);
			mms[cnt++] = mm;
		}
	}
	pthread_mutex_unlock(&mmfs_mm_lock);
	for (i = 0; i < cnt; i++) {
		struct mmfs_mapping *m;

		mm = mms[i];
		mmap_write_lock(mm);
		list_for_each_entry(m, &mm->mappings, list)
			__mapping_release(m);
		mmap_write_unlock(mm);
		mmfs_mm_put(mm);
	}
	free(mms);
}

/* ------------------------------------------------------ validate, lookup */

/*
 * NR_PAGETABLE against the table pages held.  A table's allocation moves
 * one and then the other, and fold_vm_stats holds a per-cpu diff for a
 * moment before adding it: a difference is looked at again until it goes
 * or the time is up (no lock is needed, or held, for that).
 */
static int nr_pagetable_check(char **buf, size_t *len, size_t *cap)
{
	struct mmfs_settle st = { 0, 0 };
	unsigned long stat;
	long held;
	bool last = false;

	for (;;) {
		stat = global_node_page_state(NR_PAGETABLE);
		held = atomic_long_read(&mmfs_nr_pgtable_pages);
		if ((long)stat == held)
			return 0;
		if (last)
			break;
		last = !mmfs_settle_wait(&st);
	}
	mmfs_vappend(buf, len, cap, "pgtable: NR_PAGETABLE %lu, %ld table pages held", stat, held);
	return 1;
}

static int mmap_validate(char **buf, size_t *len, size_t *cap)
{
	long tables = 0, nr_pt;
	struct mm_struct *mm;
	int bad = 0;

	/* every address space at once: each mmap_lock is held until the
	 * count of all table pages has been read (the registry lock keeps the
	 * lists as they are, so the same mms are unlocked after) */
	pthread_mutex_lock(&mmfs_mm_lock);
	for (int pass = 0; pass < 2; pass++) {
		struct list_head *head = pass ? &mmfs_mm_dead : &mmfs_mm_live;

		list_for_each_entry(mm, head, mm_list) {
			struct mmfs_mapping *m;
			struct vm_area_struct *vma;
			unsigned long prev_end = 0;
			int count = 0;

			mmap_read_lock(mm);
			bad += mmfs_pgtable_check(mm, &tables, buf, len, cap);
			for (vma = find_vma(mm, 0); vma; vma = vma_next(mm, vma)) {
				if (vma->vm_start >= vma->vm_end || vma->vm_end > mm->task_size) {
					mmfs_vappend(buf, len, cap, "mm pid=%d: bad vma %lx-%lx",
						     mm->pid, vma->vm_start, vma->vm_end);
					bad++;
				}
				if (vgap(vma) != vma->vm_start - prev_end) {
					mmfs_vappend(buf, len, cap, "mm pid=%d: vma %lx-%lx gap %lu, expected %lu",
						     mm->pid, vma->vm_start, vma->vm_end, vgap(vma),
						     vma->vm_start - prev_end);
					bad++;
				}
				prev_end = vma->vm_end;
				count++;
			}
			if (count != mm->map_count) {
				mmfs_vappend(buf, len, cap, "mm pid=%d: %d VMAs in the tree, map_count %d",
					     mm->pid, count, mm->map_count);
				bad++;
			}
			list_for_each_entry(m, &mm->mappings, list) {
				unsigned long pfn;

				if (!m->vma)
					continue;
				if (follow_pfn_walk(mm, m->vma->vm_start, &pfn, NULL, NULL) || pfn != m->pfn) {
					mmfs_vappend(buf, len, cap, "mm pid=%d: mapping of pfn 0x%lx at %lx not in the tables",
						     mm->pid, m->pfn, m->vma->vm_start);
					bad++;
				}
				if (!m->pinned || mmfs_page_pincount(m->pinned) < 1) {
					mmfs_vappend(buf, len, cap, "mm pid=%d: mapping of pfn 0x%lx is not pinned",
						     mm->pid, m->pfn);
					bad++;
				}
			}
		}
	}
	nr_pt = atomic_long_read(&mmfs_nr_pgtable_pages);
	if (tables != nr_pt) {
		mmfs_vappend(buf, len, cap, "pgtable: %ld table pages reachable, %ld allocated", tables, nr_pt);
		bad++;
	}
	for (int pass = 0; pass < 2; pass++)
		list_for_each_entry(mm, pass ? &mmfs_mm_dead : &mmfs_mm_live, mm_list)
			mmap_read_unlock(mm);
	pthread_mutex_unlock(&mmfs_mm_lock);
	bad += nr_pagetable_check(buf, len, cap);
	bad += mmfs_gup_check(buf, len, cap);
	return bad;
}

/* "pgtable level=pte pid=N ..." for a kernel address inside a table page */
static int mmap_lookup(unsigned long kaddr, char *out, size_t len)
{
	void *p = mmfs_kaddr_to_ptr(kaddr);
	struct page *page;

	if (!p)
		return 0;
	page = virt_to_page(p);
	if (!page || !PageTable(page) || page->pt_level < PT_LEVEL_PTE || page->pt_level > PT_LEVEL_PGD)
		return 0;
	return snprintf(out, len, "pgtable level=%s pid=%lu covers=0x%lx entries=%lu index=%lu",
			pt_level_names[page->pt_level], page->pt_owner_pid, page->pt_index,
			page->pt_nr_used, (unsigned long)((kaddr & ~PAGE_MASK) / sizeof(uint64_t)));
}

static const struct mmfs_validator mmap_validator = {
	.name = "pgtable",
	.validate = mmap_validate,
	.lookup = mmap_lookup,
};

/**
 * mmfs_mmap_boot - the registry of address spaces (mm_boot calls it).
 * Return: 0 or -ENOMEM.
 */
int mmfs_mmap_boot(void)
{
	int ret = mmfs_gup_boot();

	if (ret)
		return ret;
	atomic_long_set(&mmfs_nr_pgtable_pages, 0);
	mmfs_register_validator(&mmap_validator);	/* idempotent across reboots */
	mmfs_mmap_up = true;
	return 0;
}

/**
 * mmfs_mmap_shutdown - release every mapping (unpin, zap) and free every
 * address space, before the page allocator goes.  mmfs_mapping structs
 * are freed too: nobody may use them after mm_shutdown().
 */
void mmfs_mmap_shutdown(void)
{
	struct mm_struct *mm;

	pthread_mutex_lock(&mmfs_mm_lock);
	mmfs_mmap_up = false;
	for (;;) {
		struct mmfs_mapping *m, *n;

		if (!list_empty(&mmfs_mm_live))
			mm = list_first_entry(&mmfs_mm_live, struct mm_struct, mm_list);
		else if (!list_empty(&mmfs_mm_dead))
			mm = list_first_entry(&mmfs_mm_dead, struct mm_struct, mm_list);
		else
			break;
		list_del_init(&mm->mm_list);
		mmap_write_lock(mm);
		list_for_each_entry_safe(m, n, &mm->mappings, list) {
			__mapping_release(m);
			list_del_init(&m->list);
			free(m);
		}
		mmap_write_unlock(mm);
		mmdrop(mm);
	}
	pthread_mutex_unlock(&mmfs_mm_lock);
	mmfs_gup_shutdown();
}
