// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * frames.c - frames/0xPFN: one file per allocated block, as a driver's mmap
 * of physical memory (drivers/char/mem.c's /dev/mem, with remap_pfn_range
 * as mmap_mem does).  SPEC §3.
 *
 * Open = remap + pin: every open makes a VMA in the opener's simulated
 * address space with remap_pfn_range over the block and pins it
 * (mmfs_frame_map, mm/pgtable.h); every byte of that open's I/O goes
 * through the page-table walk of that mapping (mmfs_mapping_access); the
 * release unpins and zaps.  Frame files use the kernel page cache (no
 * direct_io) so mmap works; when a block changes through another path the
 * daemon invalidates the inode (frame_changed), and a pfn freed and
 * reallocated is a new generation, i.e. a new inode with a fresh cache.
 *
 * Lock order: open_frames_lock and ublocks_lock are leaves; mm/ locks inside.
 */
#include <sys/xattr.h>
#include "frames.h"

static pthread_mutex_t open_frames_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(open_frames);

/*
 * ---- blocks allocated by users through control ----
 *
 * (pfn, ts) names one allocation (page_owner's time is strictly increasing
 * per pfn).  A record lives while page_owner still has that allocation at
 * its pfn: also after its owner's free_pages, for as long as a pin, a
 * get_page or a kmap keeps the block (SPEC §6: it is still the owner's
 * memory, counted for user_limit).
 */
struct ublock {
	unsigned long pfn;
	unsigned int order;
	uint64_t ts;
	unsigned int uid;
};
static pthread_mutex_t ublocks_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ublock *ublocks;
static size_t nr_ublocks, cap_ublocks;

/* Is this record still the block that lives at its pfn?  (caller: lock) */
static bool ublock_live(const struct ublock *b)
{
	struct page_owner *po;

	if (!pfn_valid(b->pfn))
		return false;
	po = get_page_owner(pfn_to_page(b->pfn));
	return po && po->order >= 0 && po->wall_ns == b->ts;
}

static void ublocks_prune(void)
{
	size_t i = 0;

	while (i < nr_ublocks) {
		if (!ublock_live(&ublocks[i]))
			ublocks[i] = ublocks[--nr_ublocks];
		else
			i++;
	}
}

void ublock_add(unsigned long pfn, unsigned int order, uint64_t ts, unsigned int uid)
{
	pthread_mutex_lock(&ublocks_lock);
	ublocks_prune();
	if (nr_ublocks == cap_ublocks) {
		size_t cap = cap_ublocks ? cap_ublocks * 2 : 256;
		struct ublock *n = realloc(ublocks, cap * sizeof(*n));

		if (!n)
			goto out;
		ublocks = n;
		cap_ublocks = cap;
	}
	ublocks[nr_ublocks++] = (struct ublock){ pfn, order, ts, uid };
out:
	pthread_mutex_unlock(&ublocks_lock);
}

/* Every block uid holds memory through: its own, and those it freed that
 * pins, references or kmaps still hold; plus its objects. */
uint64_t user_bytes(unsigned int uid)
{
	uint64_t sum = 0;
	size_t i;

	pthread_mutex_lock(&ublocks_lock);
	ublocks_prune();
	for (i = 0; i < nr_ublocks; i++)
		if (ublocks[i].uid == uid)
			sum += (uint64_t)PAGE_SIZE << ublocks[i].order;
	pthread_mutex_unlock(&ublocks_lock);
	return sum + uobj_bytes(uid);
}

/* ---- which blocks frames/ shows ---- */
bool frame_get_held(unsigned long pfn, struct frame_info *fi)
{
	struct page_owner *po;
	struct page *page;

	if (!pfn_valid(pfn))
		return false;
	page = pfn_to_page(pfn);
	po = get_page_owner(page);
	if (!po || po->order < 0)
		return false;		/* free */
	fi->pfn = pfn;
	fi->order = po->order;
	fi->ts = po->wall_ns;
	fi->wall_ns = po->wall_ns;
	fi->kind = po->kind;
	fi->owner_id = po->owner_id;
	fi->uid = po->kind == MMFS_OWNER_USER ? (unsigned int)po->owner_id : 0;
	fi->dropped = po->owner_dropped;
	return true;
}

bool frame_get(unsigned long pfn, struct frame_info *fi)
{
	/* freed by its owner, kept by pins or references: no file */
	return frame_get_held(pfn, fi) && !fi->dropped;
}

unsigned long frame_next(unsigned long pfn, struct frame_info *fi)
{
	for (;;) {
		pfn = mmfs_next_allocated_block(pfn);
		if (pfn == -1UL)
			return pfn;
		if (!frame_get_held(pfn, fi))
			pfn++;
		else if (fi->dropped)
			pfn += 1UL << fi->order;
		else
			return pfn;
	}
}

/* Is this open still on the allocation it was opened on?  The block cannot
 * be freed while the open pins it; this is the generation check that makes
 * sure of it (SPEC §6: ESTALE). */
static bool frame_fh_current(const struct frame_fh *ff)
{
	struct frame_info now;

	return frame_get_held(ff->info.pfn, &now) && now.ts == ff->info.ts &&
	       now.order == ff->info.order;
}

void frame_stat(const struct frame_info *fi, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = mkino(K_FRAME, fi->pfn);
	st->st_mode = S_IFREG | (fi->kind == MMFS_OWNER_USER ? 0600 : 0400);
	st->st_nlink = 1;
	st->st_uid = fi->uid;
	st->st_gid = fi->kind == MMFS_OWNER_USER ? fi->uid : 0;
	st->st_size = (off_t)PAGE_SIZE << fi->order;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = st->st_size / 512;
	st->st_mtim.tv_sec = fi->wall_ns / 1000000000ULL;
	st->st_mtim.tv_nsec = fi->wall_ns % 1000000000ULL;
	st->st_ctim = st->st_mtim;
	st->st_atim = st->st_mtim;
}

int frame_parse_name(const char *name, unsigned long *pfn)
{
	char *end;

	if (strncmp(name, "0x", 2) || !name[2] || strlen(name) > 18)
		return -ENOENT;
	errno = 0;
	*pfn = strtoul(name + 2, &end, 16);
	if (errno || *end)
		return -ENOENT;
	/* only the canonical spelling names the file */
	{
		char canon[24];

		snprintf(canon, sizeof(canon), "0x%lx", *pfn);
		if (strcmp(canon, name))
			return -ENOENT;
	}
	return 0;
}

static bool may_access(unsigned int uid, const struct frame_info *fi)
{
	return uid == 0 || (fi->kind == MMFS_OWNER_USER && fi->uid == uid);
}

/* ---- open, I/O, release ---- */

/*
 * The process a request comes from.  fuse_req_ctx()->pid is the caller's
 * thread id; an address space belongs to the thread group, as current->mm
 * is shared by every thread of a process.  /proc/TID/status names it
 * ("Tgid:"); a caller already gone keeps its thread id.
 */
static int frame_client_tgid(int tid)
{
	char path[64], line[128];
	int tgid = tid;
	FILE *f;

	if (tid <= 0)
		return tid;
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "re");
	if (!f)
		return tid;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Tgid:", 5)) {
			int v = atoi(line + 5);

			if (v > 0)
				tgid = v;
			break;
		}
	}
	fclose(f);
	return tgid;
}

int frames_open(fuse_req_t req, struct mmfs_fh *fh, unsigned long pfn, int flags)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct frame_info fi, now;
	struct frame_fh *ff;
	char path[40];
	int ret;

	if (!frame_get(pfn, &fi))
		return -ENOENT;
	if (!may_access(ctx->uid, &fi))
		return -EACCES;
	ff = calloc(1, sizeof(*ff));
	if (!ff)
		return -ENOMEM;
	ff->info = fi;
	ff->writable = (flags & O_ACCMODE) != O_RDONLY;
	snprintf(path, sizeof(path), "/frames/0x%lx", pfn);
	mmfs_enter(req);
	ret = mmfs_frame_map(frame_client_tgid(ctx->pid), pfn, fi.order, ff->writable, true,
			     path, &ff->m);
	/*
	 * Another session thread may have freed the block since frame_get(),
	 * and its pfn may already be someone else's (a page table, a slab).
	 * Now that the pin holds whatever is there, keep the mapping only if
	 * it is still the same allocation.
	 */
	if (!ret && (!frame_get(pfn, &now) || now.ts != fi.ts || now.order != fi.order)) {
		mmfs_frame_unmap(ff->m);
		ret = -ENOENT;
	} else if (ret == -EINVAL && !frame_get(pfn, &now)) {
		ret = -ENOENT;			/* freed under us */
	}
	if (ret) {
		free(ff);
		return ret;
	}
	fh->type = FH_FRAME;
	fh->frame = ff;
	pthread_mutex_lock(&open_frames_lock);
	list_add(&ff->link, &open_frames);
	pthread_mutex_unlock(&open_frames_lock);
	return 0;
}

/* Every byte goes through the page-table walk of this open's mapping. */
static long frame_access(struct frame_fh *ff, uint64_t off, void *buf, size_t len, bool write)
{
	if (!ff->m)
		return -EFAULT;
	if (!frame_fh_current(ff))
		return -ESTALE;
	return mmfs_mapping_access(ff->m, off, buf, len, write);
}

void frames_read(fuse_req_t req, struct mmfs_fh *fh, size_t size, off_t off)
{
	struct frame_fh *ff = fh->frame;
	uint64_t bsize = (uint64_t)PAGE_SIZE << ff->info.order;
	char *buf;
	long n;

	if (off < 0) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	if ((uint64_t)off >= bsize) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	size = min((uint64_t)size, bsize - off);
	buf = malloc(size);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	n = frame_access(ff, off, buf, size, false);
	if (n < 0)
		fuse_reply_err(req, (int)-n);
	else
		fuse_reply_buf(req, buf, n);
	free(buf);
}

void frames_write(fuse_req_t req, struct mmfs_fh *fh, const char *buf, size_t size, off_t off)
{
	struct frame_fh *ff = fh->frame;
	uint64_t bsize = (uint64_t)PAGE_SIZE << ff->info.order;
	long n;

	if (off < 0) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	if ((uint64_t)off >= bsize) {
		if (size)
			fuse_reply_err(req, EFBIG);	/* nothing past the end */
		else
			fuse_reply_write(req, 0);
		return;
	}
	size = min((uint64_t)size, bsize - off);
	n = frame_access(ff, off, (void *)buf, size, true);
	if (n < 0)
		fuse_reply_err(req, (int)-n);
	else
		fuse_reply_write(req, n);
}

static void frame_fh_free(struct frame_fh *ff)
{
	if (ff->m)
		mmfs_frame_unmap(ff->m);
	ff->m = NULL;
}

void frames_release(struct mmfs_fh *fh)
{
	struct frame_fh *ff = fh->frame;

	if (!ff)
		return;
	pthread_mutex_lock(&open_frames_lock);
	list_del(&ff->link);
	pthread_mutex_unlock(&open_frames_lock);
	frame_fh_free(ff);
	free(ff);
	fh->frame = NULL;
}

int frames_unlink(fuse_req_t req, const char *name)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct frame_info fi;
	unsigned long pfn;
	int ret;

	ret = frame_parse_name(name, &pfn);
	if (ret)
		return ret;
	if (!frame_get(pfn, &fi))
		return -ENOENT;
	if (fi.kind != MMFS_OWNER_USER)
		return -EPERM;		/* the kernel's own blocks are freed by the kernel */
	if (!may_access(ctx->uid, &fi))
		return -EACCES;
	mmfs_enter(req);
	ret = mmfs_free_block(pfn);
	if (ret)
		return ret;
	frame_changed(pfn);
	return 0;
}

void frame_changed(unsigned long pfn)
{
	mmfs_notify_inval_inode(mkino(K_FRAME, pfn));
}

void frame_changed_kaddr(unsigned long kaddr)
{
	void *p = mmfs_kaddr_to_ptr(kaddr);
	unsigned long pfn, head;

	if (!p)
		return;
	pfn = page_to_pfn(compound_head(virt_to_page(p)));
	/* the head of the block holding pfn (non-compound blocks too) */
	for (head = pfn; head + (1UL << MAX_PAGE_ORDER) > pfn && pfn_valid(head); head--) {
		struct page_owner *po = get_page_owner(pfn_to_page(head));

		if (po && po->order >= 0) {
			if (head + (1UL << po->order) > pfn)
				frame_changed(head);
			return;
		}
		if (!head)
			return;
	}
}

/* ---- xattrs ---- */
const char * const frame_xattr_names[] = {
	"order", "flags", "refcount", "mapcount", "pincount", "node", "zone",
	"migratetype", "gfp", "owner", "vaddr", "page", NULL
};

static void slab_owner_name(struct page *page, char *out, size_t len)
{
	char cache[64];

	if (!mmfs_slab_page_cache(page, cache, sizeof(cache)))
		snprintf(out, len, "slab:%s", cache);
	else
		snprintf(out, len, "slab");
}

int frames_getxattr(unsigned long pfn, const char *name, char *buf, size_t len)
{
	struct frame_info fi;
	struct page_owner *po;
	struct page *page;
	unsigned long v;
	int pins;

	if (!frame_get(pfn, &fi))
		return -ENOENT;
	if (strncmp(name, "user.mm.", 8))
		return -ENODATA;
	name += 8;
	page = pfn_to_page(pfn);
	po = get_page_owner(page);
	if (!po)
		return -ENOENT;
	if (!strcmp(name, "order"))
		return snprintf(buf, len, "%u", fi.order);
	if (!strcmp(name, "flags"))
		return page_flags_format(page, buf, len);
	if (!strcmp(name, "refcount"))
		return snprintf(buf, len, "%d", page_ref_count(page));
	if (!strcmp(name, "mapcount"))
		return snprintf(buf, len, "%d", page_mapcount(page));
	if (!strcmp(name, "pincount")) {
		/* exact: the pin ledger, not refcount / GUP_PIN_COUNTING_BIAS */
		pins = mmfs_page_pincount(page);
		return snprintf(buf, len, "%d", pins);
	}
	if (!strcmp(name, "node"))
		return snprintf(buf, len, "%d", page_to_nid(page));
	if (!strcmp(name, "zone"))
		return snprintf(buf, len, "%s", zone_names[page_zonenum(page)]);
	if (!strcmp(name, "migratetype"))
		return snprintf(buf, len, "%s", migratetype_names[get_pageblock_migratetype(page)]);
	if (!strcmp(name, "gfp"))
		return gfp_format(po->gfp_mask, buf, len);
	if (!strcmp(name, "owner")) {
		switch (fi.kind) {
		case MMFS_OWNER_USER:
			return snprintf(buf, len, "user:%u", fi.uid);
		case MMFS_OWNER_SLAB:
			slab_owner_name(page, buf, len);
			return strlen(buf);
		case MMFS_OWNER_PGTABLE:
			return snprintf(buf, len, "pgtable:%ld", fi.owner_id);
		default:
			return snprintf(buf, len, "kernel");
		}
	}
	if (!strcmp(name, "vaddr")) {
		void *p = page_address(page);

		if (p)
			return snprintf(buf, len, "0x%lx", mmfs_kaddr(p));
		v = mmfs_kmap_vaddr(page);
		if (v)
			return snprintf(buf, len, "0x%lx", v);
		return snprintf(buf, len, "none");
	}
	if (!strcmp(name, "page"))
		return snprintf(buf, len, "0x%lx", mmfs_page_kaddr(page));
	return -ENODATA;
}
