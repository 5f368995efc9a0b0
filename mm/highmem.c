/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * highmem.c - permanent kmaps through the pkmap window and kmap_local
 * (mm/highmem.c, include/linux/highmem-internal.h).
 *
 * HighMem pages (ZONE_HIGHMEM, highmem=) have no direct-map address:
 * page_address() is NULL until kmap() gives them one of LAST_PKMAP slots in
 * the pkmap window at PKMAP_BASE.  pkmap_count[slot]: 0 free, 1 mapped but
 * unused (flushed lazily), n > 1: n - 1 users.  Slots are handed out
 * round-robin from last_pkmap_nr; when the search wraps to slot 0,
 * flush_all_zero_pkmaps() frees every slot whose count is 1.  When every
 * slot is in use, kmap() sleeps on pkmap_map_wait until a kunmap() drops a
 * slot to count 1; the checked mmfs_kmap() returns -EAGAIN instead.
 * The page -> vaddr association is the kernel's page_address_htable.
 *
 * kmap_local_page(): a per-task stack of KM_MAX_IDX fixmap slots (as
 * current->kmap_ctrl since 5.11); kunmap_local() pops in LIFO order.
 * MMFS: the stack is per thread (our tasks are threads), and the host
 * pointer returned is mmfs_pfn_to_ptr() underneath — the arena maps every
 * frame; the pkmap pte and the slot's kernel vaddr are bookkeeping that
 * the files show.
 *
 * Lock order: kmap_lock (mutex, with the pkmap_map_wait condition) only.
 */
#include "pgtable_types.h"
#include "highmem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LAST_PKMAP_MASK	(LAST_PKMAP - 1)
#define PA_HASH_ORDER	7

static pthread_mutex_t kmap_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pkmap_map_wait = PTHREAD_COND_INITIALIZER;
static int pkmap_count[LAST_PKMAP];
static pte_t pkmap_page_table[LAST_PKMAP];	/* MMFS: static, the kernel's comes from memblock */
static unsigned int last_pkmap_nr;
static int pkmap_waiters;
static unsigned long pkmap_flushes;

/* page_address_htable: the vaddr of each kmapped highmem page */
struct page_address_map {
	struct page *page;		/* the highmem page */
	unsigned long virtual;		/* its pkmap vaddr */
	struct list_head list;		/* in its hash bucket */
};
static struct page_address_map page_address_maps[LAST_PKMAP];	/* one per slot */
static struct list_head page_address_htable[1 << PA_HASH_ORDER];

static inline struct list_head *page_slot(const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	return &page_address_htable[(pfn * 0x9E3779B97F4A7C15ULL) >> (64 - PA_HASH_ORDER)];
}

/* kmap_lock held */
static unsigned long page_kmap_vaddr(const struct page *page)
{
	struct page_address_map *pam;
	struct list_head *head = page_slot(page);

	if (!head->next)
		return 0;
	list_for_each_entry(pam, head, list)
		if (pam->page == page)
			return pam->virtual;
	return 0;
}

/* set_page_address: associate (virtual != 0) or forget */
static void set_page_address(struct page *page, unsigned long virtual)
{
	if (virtual) {
		struct page_address_map *pam = &page_address_maps[PKMAP_NR(virtual)];

		pam->page = page;
		pam->virtual = virtual;
		list_add_tail(&pam->list, page_slot(page));
	} else {
		struct page_address_map *pam;

		list_for_each_entry(pam, page_slot(page), list) {
			if (pam->page == page) {
				list_del(&pam->list);
				pam->page = NULL;
				pam->virtual = 0;
				return;
			}
		}
	}
}

static void flush_all_zero_pkmaps(void)
{
	int i;

	pkmap_flushes++;
	for (i = 0; i < LAST_PKMAP; i++) {
		struct page *page;

		/* zero means free, > 1 means still in use; 1: mapped, unused */
		if (pkmap_count[i] != 1)
			continue;
		pkmap_count[i] = 0;
		BUG_ON(pte_none(pkmap_page_table[i]));
		page = pfn_to_page(pte_pfn(pkmap_page_table[i]));
		pkmap_page_table[i] = __pte(0);		/* pte_clear */
		set_page_address(page, 0);
	}
	/* flush_tlb_kernel_range(PKMAP_ADDR(0), PKMAP_ADDR(LAST_PKMAP)): nothing */
}

/*
 * map_new_virtual - a free slot for @page (kmap_lock held).  @wait: sleep
 * when every slot is in use (kmap), else return 0 (mmfs_kmap: -EAGAIN).
 */
static unsigned long map_new_virtual(struct page *page, bool wait)
{
	unsigned long vaddr;
	int count;

start:
	count = LAST_PKMAP;
	for (;;) {
		last_pkmap_nr = (last_pkmap_nr + 1) & LAST_PKMAP_MASK;
		if (!last_pkmap_nr) {		/* no_more_pkmaps: wrapped */
			flush_all_zero_pkmaps();
			count = LAST_PKMAP;
		}
		if (!pkmap_count[last_pkmap_nr])
			break;			/* found a usable entry */
		if (--count)
			continue;
		if (!wait)
			return 0;
		/* sleep for somebody else to unmap their entries */
		pkmap_waiters++;
		pthread_cond_wait(&pkmap_map_wait, &kmap_lock);
		pkmap_waiters--;
		/* somebody else might have mapped it while we slept */
		vaddr = page_kmap_vaddr(page);
		if (vaddr)
			return vaddr;
		goto start;
	}
	vaddr = PKMAP_ADDR(last_pkmap_nr);
	pkmap_page_table[last_pkmap_nr] = pfn_pte(page_to_pfn(page), PAGE_KERNEL);
	pkmap_count[last_pkmap_nr] = 1;
	set_page_address(page, vaddr);
	return vaddr;
}

/* kmap_high: a pkmap slot for a highmem page, one more user.  0 if full
 * and !wait. */
static unsigned long kmap_high(struct page *page, bool wait)
{
	unsigned long vaddr;

	pthread_mutex_lock(&kmap_lock);
	vaddr = page_kmap_vaddr(page);
	if (!vaddr)
		vaddr = map_new_virtual(page, wait);
	if (vaddr) {
		pkmap_count[PKMAP_NR(vaddr)]++;
		BUG_ON(pkmap_count[PKMAP_NR(vaddr)] < 2);
	}
	pthread_mutex_unlock(&kmap_lock);
	return vaddr;
}

/* kunmap_high: -EINVAL when @page holds no kmap */
static int kunmap_high(struct page *page)
{
	bool need_wakeup = false;
	unsigned long vaddr;
	int nr;

	pthread_mutex_lock(&kmap_lock);
	vaddr = page_kmap_vaddr(page);
	if (!vaddr || pkmap_count[PKMAP_NR(vaddr)] < 2) {
		pthread_mutex_unlock(&kmap_lock);
		return -EINVAL;
	}
	nr = (int)PKMAP_NR(vaddr);
	/* a count must never go down to zero without a TLB flush */
	if (--pkmap_count[nr] == 1)
		need_wakeup = pkmap_waiters > 0;
	if (need_wakeup)
		pthread_cond_broadcast(&pkmap_map_wait);
	pthread_mutex_unlock(&kmap_lock);
	return 0;
}

/**
 * kmap - a usable address for @page (may sleep for a pkmap slot)
 * @page: any page
 *
 * Return: the host pointer of the page's bytes: the direct map for
 * lowmem, the same frame through a pkmap slot for highmem.
 */
void *kmap(struct page *page)
{
	if (!PageHighMem(page))
		return page_address(page);
	kmap_high(page, true);
	return mmfs_pfn_to_ptr(page_to_pfn(page));
}

/**
 * kunmap - drop a kmap() of @page
 * @page: the page given to kmap()
 */
void kunmap(struct page *page)
{
	if (!PageHighMem(page))
		return;
	WARN_ON(kunmap_high(page));
}

/**
 * mmfs_kmap - checked kmap for control ("kmap pfn=")
 * @pfn: the frame
 * @vaddr: out: kernel vaddr (pkmap window, or the direct map for lowmem)
 *
 * Return: 0, -EINVAL for a pfn without a struct page, -EAGAIN when every
 * pkmap slot is in use (kmap() would sleep).
 */
int mmfs_kmap(unsigned long pfn, unsigned long *vaddr)
{
	struct page *page;
	unsigned long v;

	if (!vaddr || !pfn_valid(pfn))
		return -EINVAL;
	page = pfn_to_page(pfn);
	if (!PageHighMem(page)) {
		*vaddr = mmfs_kaddr(page_address(page));
		return 0;
	}
	v = kmap_high(page, false);
	if (!v)
		return -EAGAIN;
	*vaddr = v;
	return 0;
}

/**
 * mmfs_kunmap - checked kunmap for control ("kunmap pfn=")
 * @pfn: the frame
 *
 * Return: 0 (lowmem: nothing to undo), -EINVAL for a bad pfn or a highmem
 * page without a kmap.
 */
int mmfs_kunmap(unsigned long pfn)
{
	struct page *page;

	if (!pfn_valid(pfn))
		return -EINVAL;
	page = pfn_to_page(pfn);
	if (!PageHighMem(page))
		return 0;
	return kunmap_high(page);
}

/**
 * mmfs_kmap_vaddr - the pkmap vaddr of a kmapped highmem page, else 0.
 * @page: the page
 */
unsigned long mmfs_kmap_vaddr(const struct page *page)
{
	unsigned long v;

	if (!page || !PageHighMem(page))
		return 0;
	pthread_mutex_lock(&kmap_lock);
	v = page_kmap_vaddr(page);
	pthread_mutex_unlock(&kmap_lock);
	return v;
}

/**
 * mmfs_pkmap_render - highmem/pkmap: "slot vaddr pfn count" per slot in
 * use, count being the kernel's pkmap_count (1: mapped, no user, freed at
 * the next wrap; n > 1: n - 1 users).
 * @len: out: length
 *
 * Return: malloc'd text (caller frees), NULL on -ENOMEM.
 */
char *mmfs_pkmap_render(size_t *len)
{
	size_t cap = 64 * LAST_PKMAP + 1, n = 0;
	char *buf = malloc(cap);
	int i;

	if (!buf)
		return NULL;
	buf[0] = '\0';
	pthread_mutex_lock(&kmap_lock);
	for (i = 0; i < LAST_PKMAP; i++) {
		if (!pkmap_count[i])
			continue;
		n += (size_t)snprintf(buf + n, cap - n, "%d 0x%lx 0x%lx %d\n", i, PKMAP_ADDR(i),
				      pte_pfn(pkmap_page_table[i]), pkmap_count[i]);
	}
	pthread_mutex_unlock(&kmap_lock);
	if (len)
		*len = n;
	return buf;
}

/**
 * mmfs_pkmap_flush_count - flush_all_zero_pkmaps() runs since boot.
 */
unsigned long mmfs_pkmap_flush_count(void)
{
	return pkmap_flushes;
}

/* ------------------------------------------------------------ kmap_local */

static __thread struct {
	int idx;				/* entries in use */
	struct page *pages[KM_MAX_IDX];		/* the fixmap "ptes" */
	void *addrs[KM_MAX_IDX];		/* what we handed out */
} kmap_ctrl;

/**
 * kmap_local_page - map a page for temporary, thread-local use
 * @page: the page
 *
 * Lowmem pages return their direct-map address and take no slot.
 * Return: the host pointer of the page's bytes.
 */
void *kmap_local_page(struct page *page)
{
	int idx;
	void *p;

	if (!PageHighMem(page))
		return page_address(page);
	idx = kmap_ctrl.idx++;			/* kmap_local_idx_push */
	BUG_ON(idx >= KM_MAX_IDX);
	p = mmfs_pfn_to_ptr(page_to_pfn(page));
	kmap_ctrl.pages[idx] = page;
	kmap_ctrl.addrs[idx] = p;
	return p;
}

/**
 * kunmap_local - unmap a page mapped via kmap_local_page (LIFO)
 * @addr: an address within the page returned
 */
void kunmap_local(const void *addr)
{
	unsigned long a = ALIGN_DOWN((unsigned long)addr, PAGE_SIZE);
	int idx = kmap_ctrl.idx - 1;

	if (idx >= 0 && ALIGN_DOWN((unsigned long)kmap_ctrl.addrs[idx], PAGE_SIZE) == a) {
		kmap_ctrl.pages[idx] = NULL;
		kmap_ctrl.addrs[idx] = NULL;
		kmap_ctrl.idx--;		/* kmap_local_idx_pop */
		return;
	}
	/* not the top of the stack: a lowmem page (nothing to do) or misuse */
	for (int i = 0; i < idx; i++)
		WARN_ON(ALIGN_DOWN((unsigned long)kmap_ctrl.addrs[i], PAGE_SIZE) == a);
}

/**
 * mmfs_kmap_local_depth - kmap_local_page() entries the calling thread holds.
 */
int mmfs_kmap_local_depth(void)
{
	return kmap_ctrl.idx;
}

/* ------------------------------------------------------------------ boot */

static void pkmap_reset(void)
{
	int i;

	pthread_mutex_lock(&kmap_lock);
	memset(pkmap_count, 0, sizeof(pkmap_count));
	memset(pkmap_page_table, 0, sizeof(pkmap_page_table));
	memset(page_address_maps, 0, sizeof(page_address_maps));
	for (i = 0; i < (1 << PA_HASH_ORDER); i++)
		INIT_LIST_HEAD(&page_address_htable[i]);
	last_pkmap_nr = 0;
	pkmap_flushes = 0;
	pthread_mutex_unlock(&kmap_lock);
	memset(&kmap_ctrl, 0, sizeof(kmap_ctrl));
}

/* "highmem" validator/lookup: pkmap slots against the hash */
static int highmem_validate(char **buf, size_t *len, size_t *cap)
{
	int i, bad = 0;

	pthread_mutex_lock(&kmap_lock);
	for (i = 0; i < LAST_PKMAP; i++) {
		struct page *page;

		if (!pkmap_count[i]) {
			if (!pte_none(pkmap_page_table[i])) {
				mmfs_vappend(buf, len, cap, "pkmap slot %d: free but its pte is set", i);
				bad++;
			}
			continue;
		}
		if (!pfn_valid(pte_pfn(pkmap_page_table[i]))) {
			mmfs_vappend(buf, len, cap, "pkmap slot %d: count %d, bad pte", i, pkmap_count[i]);
			bad++;
			continue;
		}
		page = pfn_to_page(pte_pfn(pkmap_page_table[i]));
		if (!PageHighMem(page) || page_kmap_vaddr(page) != PKMAP_ADDR(i)) {
			mmfs_vappend(buf, len, cap, "pkmap slot %d: pfn 0x%lx not kmapped here", i,
				     pte_pfn(pkmap_page_table[i]));
			bad++;
		}
	}
	pthread_mutex_unlock(&kmap_lock);
	return bad;
}

static int highmem_lookup(unsigned long kaddr, char *out, size_t len)
{
	int nr, count;
	pte_t pte;

	if (kaddr < PKMAP_BASE || kaddr >= PKMAP_ADDR(LAST_PKMAP))
		return 0;
	nr = (int)PKMAP_NR(kaddr);
	pthread_mutex_lock(&kmap_lock);
	count = pkmap_count[nr];
	pte = pkmap_page_table[nr];
	pthread_mutex_unlock(&kmap_lock);
	if (!count)
		return snprintf(out, len, "pkmap slot=%d free", nr);
	return snprintf(out, len, "pkmap slot=%d pfn=0x%lx count=%d", nr, pte_pfn(pte), count);
}

static const struct mmfs_validator highmem_validator = {
	.name = "highmem",
	.validate = highmem_validate,
	.lookup = highmem_lookup,
};

/**
 * mmfs_highmem_boot - an empty pkmap window (mm_boot calls it).
 * Return: 0.
 */
int mmfs_highmem_boot(void)
{

	pkmap_reset();
	mmfs_register_validator(&highmem_validator);	/* idempotent across reboots */
	return 0;
}

/**
 * mmfs_highmem_shutdown - forget every pkmap slot (mm_shutdown calls it).
 */
void mmfs_highmem_shutdown(void)
{
	pkmap_reset();
}
