/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_owner.c - who allocated each block (mm/page_owner.c over a
 * page_ext-like side array, mm/page_ext.c).
 *
 * One struct page_owner per pfn, kept per present 128 MiB section (a
 * section without RAM costs a NULL pointer).  The record of a block's head
 * is "live" from post_alloc_hook (set_page_owner) to free_pages_prepare
 * (reset_page_owner); the allocator also keeps the block's order here so
 * put_page() can free a non-compound block whole (MMFS, see mm.h).
 *
 * Locking: none of its own.  A record is written by the allocating thread
 * before the block is handed out and by the freeing thread after the last
 * reference is gone; readers (frames/ listing, lookup) may see a record
 * change under them, as /sys/kernel/debug/page_owner readers do.
 *
 * MMFS: times come from the coarse real-time clock (one vDSO read, ~4 ms
 * resolution, called directly: po_clock_init) so the allocation fast path stays cheap; ts_nsec is that time
 * on the log's clock, made strictly increasing per pfn so that (pfn,
 * ts_nsec) identifies one allocation (fs/ uses it as a generation).
 */
#include "page_owner.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <elf.h>
#include <link.h>
#include <sys/auxv.h>

struct page_owner **mmfs_po_section;
unsigned long mmfs_po_nr_sections;
uint64_t mmfs_po_wall_at_boot;
#define po_section	mmfs_po_section
#define po_nr_sections	mmfs_po_nr_sections
#define wall_at_boot	mmfs_po_wall_at_boot

int (*mmfs_po_vdso_gettime)(clockid_t, struct timespec *);

/*
 * MMFS: find __vdso_clock_gettime in the vDSO the kernel mapped (its ELF
 * image at AT_SYSINFO_EHDR): glibc's clock_gettime wrapper costs as much
 * again as the coarse read itself on the allocation fast path.  Only
 * kept when it agrees with glibc's clock; any doubt leaves NULL.
 */
static void *vdso_sym(const char *name)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)getauxval(AT_SYSINFO_EHDR);
	const ElfW(Phdr) *ph;
	const ElfW(Dyn) *dyn = NULL;
	const ElfW(Sym) *sym = NULL;
	const char *str = NULL;
	const Elf32_Word *hash = NULL;
	uintptr_t base = 0;
	bool have_base = false;

	if (!eh || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return NULL;
	ph = (const ElfW(Phdr) *)((const char *)eh + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !have_base) {
			base = (uintptr_t)eh + ph[i].p_offset - ph[i].p_vaddr;
			have_base = true;
		} else if (ph[i].p_type == PT_DYNAMIC) {
			dyn = (const ElfW(Dyn) *)((const char *)eh + ph[i].p_offset);
		}
	}
	if (!dyn || !have_base)
		return NULL;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_SYMTAB)
			sym = (const ElfW(Sym) *)(base + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_STRTAB)
			str = (const char *)(base + dyn->d_un.d_ptr);
		else if (dyn->d_tag == DT_HASH)
			hash = (const Elf32_Word *)(base + dyn->d_un.d_ptr);
	}
	if (!sym || !str || !hash)
		return NULL;
	for (Elf32_Word i = 0; i < hash[1]; i++) {
		if (sym[i].st_name && sym[i].st_value && !strcmp(str + sym[i].st_name, name) &&
		    ELF64_ST_TYPE(sym[i].st_info) == STT_FUNC)
			return (void *)(base + sym[i].st_value);
	}
	return NULL;
}

static void po_clock_init(void)
{
	int (*fn)(clockid_t, struct timespec *);
	struct timespec a, b, c;

	mmfs_po_vdso_gettime = NULL;
#if MMFS_TSAN
	return;		/* keep the call where ThreadSanitizer's interceptor sees it */
#endif
	fn = (int (*)(clockid_t, struct timespec *))vdso_sym("__vdso_clock_gettime");
	if (!fn)
		return;
	clock_gettime(CLOCK_REALTIME_COARSE, &a);
	if (fn(CLOCK_REALTIME_COARSE, &b))
		return;
	clock_gettime(CLOCK_REALTIME_COARSE, &c);
	if (b.tv_sec < a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec < a.tv_nsec) ||
	    c.tv_sec < b.tv_sec || (c.tv_sec == b.tv_sec && c.tv_nsec < b.tv_nsec))
		return;
	mmfs_po_vdso_gettime = fn;
}

/**
 * page_ext_init - allocate the side array for every present section
 *
 * Return: 0 or -ENOMEM.
 */
int page_ext_init(void)
{
	unsigned long sec, nr = (max_pfn + PAGES_PER_SECTION - 1) >> PFN_SECTION_SHIFT;
	struct timespec ts;

	page_ext_shutdown();
	po_section = calloc(nr ? nr : 1, sizeof(*po_section));
	if (!po_section)
		return -ENOMEM;
	po_nr_sections = nr;
	for (sec = 0; sec < nr; sec++) {
		bool present = sec < mmfs_nr_sections &&
			       mmfs_section_state[sec] != MMFS_SECTION_NONE;

		if (!present)
			continue;
		/* calloc of a large block is lazily backed: pages of records
		 * are only touched when their pfns are allocated */
		po_section[sec] = calloc(PAGES_PER_SECTION, sizeof(struct page_owner));
		if (!po_section[sec]) {
			page_ext_shutdown();
			return -ENOMEM;
		}
	}
	po_clock_init();
	clock_gettime(CLOCK_REALTIME_COARSE, &ts);
	wall_at_boot = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec - mmfs_ktime_ns();
	return 0;
}

void page_ext_shutdown(void)
{
	if (po_section) {
		for (unsigned long s = 0; s < po_nr_sections; s++)
			free(po_section[s]);
		free(po_section);
	}
	po_section = NULL;
	po_nr_sections = 0;
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

	if (!head)
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
 * @pfn (blocks whose owner already freed them, pinned only, are skipped)
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

		if (sec >= po_nr_sections)
			break;
		if (!po_section[sec]) {
			pfn = (sec + 1) << PFN_SECTION_SHIFT;
			continue;
		}
		po = &po_section[sec][pfn & (PAGES_PER_SECTION - 1)];
		if (__atomic_load_n(&po->live, __ATOMIC_ACQUIRE)) {
			short order = READ_ONCE(po->order);

			if (!READ_ONCE(po->owner_dropped))
				return pfn;
			if (order < 0 || order >= MAX_ORDER)
				order = 0;
			pfn = ALIGN_DOWN(pfn, 1UL << order) + (1UL << order);
			continue;
		}
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
