// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tree.c - the inode table and the FUSE operations (fs/kernfs/dir.c,
 * fs/sysfs/file.c in spirit).  A static table of named rows like kernfs
 * nodes, plus generated directories (frames/, caches/, caches/NAME/objects/,
 * pids/, nodes/nodeN/, nodes/nodeN/zones/ZONE/, sys/vm/,
 * tracing/events/kmem/EVENT/) computed from mm/ at every lookup.  See
 * tree.h for the inode-number scheme.
 *
 * Every handler computes through an errno-returning helper and replies
 * exactly once (libfuse's passthrough_ll shape).  Text files are rendered
 * once per open into the file handle and served with direct_io; frame files
 * use the page cache (frames.c).
 *
 * Lock order: notify_lock is a leaf; the file handle's lock before mm/.
 */
#include <dirent.h>
#include <poll.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <time.h>
#include "tree.h"
#include "control.h"
#include "frames.h"

/* ------------------------------------------------------------ the rows */
enum stype {
	S_DIR,		/* static directory */
	S_GEN,		/* generated directory */
	S_TEXT,		/* rendered by name (mmfs_top_render) */
	S_CONTROL,
	S_KPAGE,
	S_TRACE_PIPE,
	S_ATTR,		/* an attr_row */
};

enum gen_dir { G_NONE, G_NODES, G_FRAMES, G_CACHES, G_PIDS, G_SYSVM, G_EVENTS };

struct snode {
	const char *name;
	int parent;			/* row index of the directory */
	mode_t mode;
	enum stype type;
	enum gen_dir gen;
	const struct attr_row *row;
};

static const struct attr_row tracing_on_row = { "tracing_on", 0644, tracing_on_show, tracing_on_store };

enum {
	SN_ROOT, SN_CONTROL, SN_LOG, SN_MEMINFO, SN_BUDDYINFO, SN_PAGETYPEINFO,
	SN_ZONEINFO, SN_VMSTAT, SN_SLABINFO, SN_IOMEM, SN_KPAGEFLAGS, SN_KPAGECOUNT,
	SN_PAGE_OWNER, SN_EXTFRAG, SN_EXTFRAG_INDEX, SN_UNUSABLE_INDEX, SN_NODES,
	SN_FRAMES, SN_CACHES, SN_PIDS, SN_SYS, SN_VM, SN_KERNEL, SN_FAIL,
	SN_FAIL_PROB, SN_FAIL_INTERVAL, SN_FAIL_TIMES, SN_FAIL_SPACE, SN_TRACING,
	SN_TRACE_PIPE, SN_TRACING_ON, SN_EVENTS, SN_KMEM, SN_HIGHMEM, SN_PKMAP,
	NR_SNODES
};

static const struct snode snodes[NR_SNODES] = {
	[SN_ROOT]	= { "",			-1,		0555, S_DIR },
	[SN_CONTROL]	= { "control",		SN_ROOT,	0666, S_CONTROL },
	[SN_LOG]	= { "log",		SN_ROOT,	0444, S_TEXT },
	[SN_MEMINFO]	= { "meminfo",		SN_ROOT,	0444, S_TEXT },
	[SN_BUDDYINFO]	= { "buddyinfo",	SN_ROOT,	0444, S_TEXT },
	[SN_PAGETYPEINFO] = { "pagetypeinfo",	SN_ROOT,	0400, S_TEXT },
	[SN_ZONEINFO]	= { "zoneinfo",		SN_ROOT,	0444, S_TEXT },
	[SN_VMSTAT]	= { "vmstat",		SN_ROOT,	0444, S_TEXT },
	[SN_SLABINFO]	= { "slabinfo",		SN_ROOT,	0400, S_TEXT },
	[SN_IOMEM]	= { "iomem",		SN_ROOT,	0444, S_TEXT },
	[SN_KPAGEFLAGS]	= { "kpageflags",	SN_ROOT,	0400, S_KPAGE },
	[SN_KPAGECOUNT]	= { "kpagecount",	SN_ROOT,	0400, S_KPAGE },
	[SN_PAGE_OWNER]	= { "page_owner",	SN_ROOT,	0400, S_TEXT },
	[SN_EXTFRAG]	= { "extfrag",		SN_ROOT,	0555, S_DIR },
	[SN_EXTFRAG_INDEX] = { "extfrag_index",	SN_EXTFRAG,	0444, S_TEXT },
	[SN_UNUSABLE_INDEX] = { "unusable_index", SN_EXTFRAG,	0444, S_TEXT },
	[SN_NODES]	= { "nodes",		SN_ROOT,	0555, S_GEN, G_NODES },
	[SN_FRAMES]	= { "frames",		SN_ROOT,	01777, S_GEN, G_FRAMES },
	[SN_CACHES]	= { "caches",		SN_ROOT,	0555, S_GEN, G_CACHES },
	[SN_PIDS]	= { "pids",		SN_ROOT,	0555, S_GEN, G_PIDS },
	[SN_SYS]	= { "sys",		SN_ROOT,	0555, S_DIR },
	[SN_VM]		= { "vm",		SN_SYS,		0555, S_GEN, G_SYSVM },
	[SN_KERNEL]	= { "kernel",		SN_SYS,		0555, S_DIR },
	[SN_FAIL]	= { "fail_page_alloc",	SN_KERNEL,	0555, S_DIR },
	[SN_FAIL_PROB]	= { "probability",	SN_FAIL,	0600, S_ATTR, G_NONE, &fail_attrs[0] },
	[SN_FAIL_INTERVAL] = { "interval",	SN_FAIL,	0600, S_ATTR, G_NONE, &fail_attrs[1] },
	[SN_FAIL_TIMES]	= { "times",		SN_FAIL,	0600, S_ATTR, G_NONE, &fail_attrs[2] },
	[SN_FAIL_SPACE]	= { "space",		SN_FAIL,	0600, S_ATTR, G_NONE, &fail_attrs[3] },
	[SN_TRACING]	= { "tracing",		SN_ROOT,	0555, S_DIR },
	[SN_TRACE_PIPE]	= { "trace_pipe",	SN_TRACING,	0400, S_TRACE_PIPE },
	[SN_TRACING_ON]	= { "tracing_on",	SN_TRACING,	0644, S_ATTR, G_NONE, &tracing_on_row },
	[SN_EVENTS]	= { "events",		SN_TRACING,	0555, S_DIR },
	[SN_KMEM]	= { "kmem",		SN_EVENTS,	0555, S_GEN, G_EVENTS },
	[SN_HIGHMEM]	= { "highmem",		SN_ROOT,	0555, S_DIR },
	[SN_PKMAP]	= { "pkmap",		SN_HIGHMEM,	0444, S_TEXT },
};

static struct timespec boot_time;

static bool slab_is(const char *name)
{
	return !strcmp(mmfs_slab_allocator_name(), name);
}

/* Rows that do not exist in this configuration. */
static bool snode_hidden(int i)
{
	if (i == SN_SLABINFO)
		return slab_is("SLOB");
	return false;
}

static mode_t snode_mode(int i)
{
	if (i == SN_SLABINFO && slab_is("SLAB"))
		return 0600;		/* SLAB takes the tunables write */
	return snodes[i].mode;
}

static fuse_ino_t snode_ino(int i)
{
	return i == SN_ROOT ? FUSE_ROOT_ID : mkino(K_STATIC, i);
}

fuse_ino_t mmfs_frames_dir_ino(void)
{
	return snode_ino(SN_FRAMES);
}

/* --------------------------------------------------------- resolution */
struct ninfo {
	enum node_kind kind;
	mode_t mode;			/* S_IFxxx | perms */
	unsigned int uid;
	off_t size;
	uint64_t gen;
	struct timespec mtime;
	int sidx;			/* K_STATIC / K_ROOT: row */
	int nid, zone, file, cache_id, pid, ev;
	unsigned long pfn, kaddr;
	unsigned int objsize;
	char link[96];			/* K_CACHELINK target */
	char cache[96];			/* cache name */
	const struct mmfs_slab_attr *cattr;
	const char *sysvm;
};

struct cache_walk {
	struct dirent_snap *ents;
	size_t n, cap;
	const char *want;		/* find one name */
	char target[96];		/* its alias target, "" if none */
	bool found;
};

static int cache_walk_fn(const char *name, const char *alias_of, void *arg)
{
	struct cache_walk *w = arg;

	if (w->want) {
		if (!strcmp(name, w->want)) {
			w->found = true;
			snprintf(w->target, sizeof(w->target), "%s", alias_of ? alias_of : "");
			return 1;
		}
		return 0;
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct dirent_snap *e = realloc(w->ents, cap * sizeof(*e));

		if (!e)
			return 1;
		w->ents = e;
		w->cap = cap;
	}
	w->ents[w->n].name = strdup(name);
	w->ents[w->n].type = alias_of ? DT_LNK : DT_DIR;
	w->ents[w->n].ino = alias_of ? 0 : 1;	/* filled after the walk */
	w->n++;
	return 0;
}

/* Does cache NAME exist?  alias target into target (may be ""). */
static bool cache_lookup(const char *name, char *target, size_t len)
{
	struct cache_walk w = { .want = name };

	mmfs_cache_for_each(cache_walk_fn, &w);
	if (w.found && target)
		snprintf(target, len, "%s", w.target);
	return w.found;
}

static int nr_cache_attrs(void)
{
	const struct mmfs_slab_attr *a;
	int n = 0;

	if (!(a = mmfs_cache_attrs()))
		return 0;
	while (a[n].name)
		n++;
	return n;
}

static bool zone_exists(int nid, int z)
{
	struct zone *zone;

	if (nid < 0 || nid >= nr_online_nodes || z < 0 || z >= MAX_NR_ZONES)
		return false;
	zone = &NODE_DATA(nid)->node_zones[z];
	return zone->spanned_pages != 0;
}

static void set_dir(struct ninfo *ni, mode_t perm)
{
	ni->mode = S_IFDIR | perm;
}

/* Fill *ni for ino: 0 or -ENOENT when the node is gone. */
static int resolve(fuse_ino_t ino, struct ninfo *ni)
{
	uint64_t p = INO_PAYLOAD(ino);
	struct frame_info fi;
	const char *cn;

	memset(ni, 0, sizeof(*ni));
	ni->kind = ino_kind(ino);
	ni->mtime = boot_time;
	ni->mode = S_IFREG | 0444;
	switch (ni->kind) {
	case K_ROOT:
		ni->sidx = SN_ROOT;
		set_dir(ni, 0555);
		return 0;
	case K_STATIC:
		if (p >= NR_SNODES || p == SN_ROOT || snode_hidden((int)p))
			return -ENOENT;
		ni->sidx = (int)p;
		if (snodes[p].type == S_DIR || snodes[p].type == S_GEN)
			set_dir(ni, snodes[p].mode);
		else
			ni->mode = S_IFREG | snode_mode((int)p);
		if (snodes[p].type == S_KPAGE)
			ni->size = (off_t)proc_kpage_size();
		return 0;
	case K_FRAME:
		if (!frame_get((unsigned long)p, &fi))
			return -ENOENT;
		{
			struct stat st;

			frame_stat(&fi, &st);
			ni->mode = st.st_mode;
			ni->uid = fi.uid;
			ni->size = st.st_size;
			ni->gen = fi.ts;
			ni->mtime = st.st_mtim;
			ni->pfn = fi.pfn;
		}
		return 0;
	case K_NODEDIR:
	case K_ZONESDIR:
		ni->nid = (int)p;
		if (ni->nid >= nr_online_nodes)
			return -ENOENT;
		set_dir(ni, 0555);
		return 0;
	case K_NODEFILE:
		ni->nid = (int)(p >> 8);
		ni->file = (int)(p & 0xff);
		if (ni->nid >= nr_online_nodes || ni->file >= nr_node_attrs)
			return -ENOENT;
		ni->mode = S_IFREG | node_attrs[ni->file].mode;
		return 0;
	case K_ZONEDIR:
		ni->nid = (int)(p >> 8);
		ni->zone = (int)(p & 0xff);
		if (!zone_exists(ni->nid, ni->zone))
			return -ENOENT;
		set_dir(ni, 0555);
		return 0;
	case K_ZONEFILE:
		ni->nid = (int)(p >> 16);
		ni->zone = (int)((p >> 8) & 0xff);
		ni->file = (int)(p & 0xff);
		if (!zone_exists(ni->nid, ni->zone) || ni->file >= nr_zone_attrs)
			return -ENOENT;
		ni->mode = S_IFREG | zone_attrs[ni->file].mode;
		return 0;
	case K_CACHEDIR:
	case K_OBJDIR:
	case K_CACHELINK:
		ni->cache_id = (int)p;
		cn = cache_name_of(ni->cache_id);
		if (!cn || !cache_lookup(cn, ni->link, sizeof(ni->link)))
			return -ENOENT;
		snprintf(ni->cache, sizeof(ni->cache), "%s", cn);
		if (ni->kind == K_CACHELINK) {
			if (!*ni->link)
				return -ENOENT;
			ni->mode = S_IFLNK | 0777;
			ni->size = strlen(ni->link);
		} else {
			if (*ni->link)
				return -ENOENT;
			set_dir(ni, ni->kind == K_OBJDIR ? 01777 : 0555);
		}
		return 0;
	case K_CACHEATTR:
		ni->cache_id = (int)(p >> 8);
		ni->file = (int)(p & 0xff);
		cn = cache_name_of(ni->cache_id);
		if (!cn || ni->file >= nr_cache_attrs() || !cache_lookup(cn, ni->link, sizeof(ni->link)) ||
		    *ni->link)
			return -ENOENT;
		snprintf(ni->cache, sizeof(ni->cache), "%s", cn);
		ni->cattr = &mmfs_cache_attrs()[ni->file];
		ni->mode = S_IFREG | ni->cattr->mode;
		return 0;
	case K_OBJ: {
		struct uobj o;

		if (!uobj_find_gen(p, &o))
			return -ENOENT;
		ni->kaddr = o.kaddr;
		ni->mode = S_IFREG | 0600;
		ni->uid = o.uid;
		ni->size = o.size;
		ni->cache_id = o.cache_id;
		return 0;
	}
	case K_PIDDIR:
		ni->pid = (int)p;
		if (!pid_exists(ni->pid))
			return -ENOENT;
		set_dir(ni, 0555);
		/* a reused pid's new address space is a new inode */
		ni->gen = mmfs_pid_generation(ni->pid);
		return 0;
	case K_PIDFILE:
		ni->pid = (int)(p >> 8);
		ni->file = (int)(p & 0xff);
		if (ni->file >= nr_pid_files || !pid_exists(ni->pid))
			return -ENOENT;
		ni->mode = S_IFREG | (ni->file == 2 ? 0400 : 0444);
		ni->gen = mmfs_pid_generation(ni->pid);
		return 0;
	case K_SYSVM:
		if (p >= (uint64_t)mmfs_nr_sysvm())
			return -ENOENT;
		ni->sysvm = mmfs_sysvm_names()[p];
		ni->mode = S_IFREG | (strcmp(ni->sysvm, "drop_caches") &&
				      strcmp(ni->sysvm, "compact_memory") ? 0644 : 0200);
		return 0;
	case K_EVDIR:
	case K_EVENABLE:
		ni->ev = (int)p;
		if (ni->ev >= NR_KMEM_EVENTS)
			return -ENOENT;
		if (ni->kind == K_EVDIR)
			set_dir(ni, 0555);
		else
			ni->mode = S_IFREG | 0644;
		return 0;
	default:
		return -ENOENT;
	}
}

static void ni_stat(fuse_ino_t ino, const struct ninfo *ni, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = ni->mode;
	st->st_nlink = S_ISDIR(ni->mode) ? 2 : 1;
	st->st_uid = ni->uid;
	st->st_gid = ni->uid;
	st->st_size = ni->size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = (ni->size + 511) / 512;
	st->st_mtim = st->st_ctim = st->st_atim = ni->mtime;
}

static double ni_timeout(const struct ninfo *ni)
{
	switch (ni->kind) {
	case K_ROOT: case K_STATIC: case K_NODEDIR: case K_NODEFILE: case K_ZONESDIR:
	case K_ZONEDIR: case K_ZONEFILE: case K_SYSVM: case K_EVDIR: case K_EVENABLE:
		return 3600.0;
	case K_FRAME:
		return 1.0;		/* attrs are fixed per generation */
	default:
		return 0.0;
	}
}

/* --------------------------------------------------------- directories */
struct ents {
	struct dirent_snap *v;
	size_t n, cap;
};

static void ents_add(struct ents *e, const char *name, fuse_ino_t ino, unsigned int type)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 32;
		struct dirent_snap *v = realloc(e->v, cap * sizeof(*v));

		if (!v)
			return;
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n].name = strdup(name);
	if (!e->v[e->n].name)
		return;
	e->v[e->n].ino = ino;
	e->v[e->n].type = type;
	e->n++;
}

static void ents_free(struct dirent_snap *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* ------------------------------------------------------ open handles */
static pthread_mutex_t fh_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(all_fhs);

static struct mmfs_fh *fh_new(fuse_ino_t ino, enum fh_type type)
{
	struct mmfs_fh *fh = calloc(1, sizeof(*fh));

	if (!fh)
		return NULL;
	pthread_mutex_init(&fh->lock, NULL);
	fh->ino = ino;
	fh->type = type;
	pthread_mutex_lock(&fh_lock);
	list_add(&fh->all, &all_fhs);
	pthread_mutex_unlock(&fh_lock);
	return fh;
}

static void fh_free(struct mmfs_fh *fh)
{
	pthread_mutex_lock(&fh_lock);
	list_del(&fh->all);
	pthread_mutex_unlock(&fh_lock);
	if (fh->type == FH_FRAME)
		frames_release(fh);
	free(fh->buf);
	ents_free(fh->ents, fh->nents);
	pthread_mutex_destroy(&fh->lock);
	free(fh);
}

void mmfs_fh_release_all(void)
{
	for (;;) {
		struct mmfs_fh *fh = NULL;

		pthread_mutex_lock(&fh_lock);
		if (!list_empty(&all_fhs))
			fh = list_first_entry(&all_fhs, struct mmfs_fh, all);
		pthread_mutex_unlock(&fh_lock);
		if (!fh)
			return;
		fh_free(fh);
	}
}

static unsigned int dtype_of_snode(int i)
{
	return snodes[i].type == S_DIR || snodes[i].type == S_GEN ? DT_DIR : DT_REG;
}

/* Every child of a directory: 0 or -errno. */
static int list_dir(fuse_ino_t ino, struct ents *e)
{
	struct ninfo ni;
	char name[64];
	int ret, i, n;

	ret = resolve(ino, &ni);
	if (ret)
		return ret;
	if (!S_ISDIR(ni.mode))
		return -ENOTDIR;
	switch (ni.kind) {
	case K_ROOT:
	case K_STATIC:
		switch (snodes[ni.sidx].gen) {
		case G_NONE:
			for (i = 1; i < NR_SNODES; i++)
				if (snodes[i].parent == ni.sidx && !snode_hidden(i))
					ents_add(e, snodes[i].name, snode_ino(i), dtype_of_snode(i));
			return 0;
		case G_NODES:
			for (i = 0; i < nr_online_nodes; i++) {
				snprintf(name, sizeof(name), "node%d", i);
				ents_add(e, name, mkino(K_NODEDIR, i), DT_DIR);
			}
			return 0;
		case G_FRAMES: {
			struct frame_info fi;
			unsigned long pfn;

			for (pfn = frame_next(0, &fi); pfn != -1UL; pfn = frame_next(pfn + 1, &fi)) {
				snprintf(name, sizeof(name), "0x%lx", pfn);
				ents_add(e, name, mkino(K_FRAME, pfn), DT_REG);
			}
			return 0;
		}
		case G_CACHES: {
			struct cache_walk w = { 0 };
			size_t k;

			mmfs_cache_for_each(cache_walk_fn, &w);
			for (k = 0; k < w.n; k++) {
				int id = w.ents[k].name ? cache_id_of(w.ents[k].name) : -1;

				if (id >= 0)
					ents_add(e, w.ents[k].name,
						 mkino(w.ents[k].type == DT_LNK ? K_CACHELINK : K_CACHEDIR, id),
						 w.ents[k].type);
			}
			ents_free(w.ents, w.n);
			return 0;
		}
		case G_PIDS: {
			int *pids = pids_list(&n);

			for (i = 0; pids && i < n; i++) {
				snprintf(name, sizeof(name), "%d", pids[i]);
				ents_add(e, name, mkino(K_PIDDIR, pids[i]), DT_DIR);
			}
			free(pids);
			return 0;
		}
		case G_SYSVM:
			n = mmfs_nr_sysvm();
			for (i = 0; i < n; i++)
				ents_add(e, mmfs_sysvm_names()[i], mkino(K_SYSVM, i), DT_REG);
			return 0;
		case G_EVENTS:
			for (i = 0; i < NR_KMEM_EVENTS; i++)
				ents_add(e, kmem_event_names[i], mkino(K_EVDIR, i), DT_DIR);
			return 0;
		}
		return 0;
	case K_NODEDIR:
		for (i = 0; i < nr_node_attrs; i++)
			ents_add(e, node_attrs[i].name, mkino(K_NODEFILE, ni.nid << 8 | i), DT_REG);
		ents_add(e, "zones", mkino(K_ZONESDIR, ni.nid), DT_DIR);
		return 0;
	case K_ZONESDIR:
		for (i = 0; i < MAX_NR_ZONES; i++)
			if (zone_exists(ni.nid, i))
				ents_add(e, zone_names[i], mkino(K_ZONEDIR, ni.nid << 8 | i), DT_DIR);
		return 0;
	case K_ZONEDIR:
		for (i = 0; i < nr_zone_attrs; i++)
			ents_add(e, zone_attrs[i].name,
				 mkino(K_ZONEFILE, (uint64_t)ni.nid << 16 | ni.zone << 8 | i), DT_REG);
		return 0;
	case K_CACHEDIR:
		n = nr_cache_attrs();
		for (i = 0; i < n; i++)
			ents_add(e, mmfs_cache_attrs()[i].name,
				 mkino(K_CACHEATTR, (uint64_t)ni.cache_id << 8 | i), DT_REG);
		/* MMFS: not in /sys/kernel/slab: the objects users hold (SPEC §5) */
		ents_add(e, "allocations", mkino(K_OBJDIR, ni.cache_id), DT_DIR);
		return 0;
	case K_OBJDIR: {
		size_t k, no;
		struct uobj *o = uobj_list(ni.cache_id, &no);

		for (k = 0; o && k < no; k++) {
			snprintf(name, sizeof(name), "0x%lx", o[k].kaddr);
			ents_add(e, name, mkino(K_OBJ, o[k].gen), DT_REG);
		}
		free(o);
		return 0;
	}
	case K_PIDDIR:
		for (i = 0; i < nr_pid_files; i++)
			ents_add(e, pid_file_names[i], mkino(K_PIDFILE, (uint64_t)ni.pid << 8 | i), DT_REG);
		return 0;
	case K_EVDIR:
		ents_add(e, "enable", mkino(K_EVENABLE, ni.ev), DT_REG);
		return 0;
	default:
		return -ENOTDIR;
	}
}

/* Find one child without listing big directories. */
static int lookup_child(fuse_ino_t parent, const char *name, fuse_ino_t *out)
{
	struct ninfo ni;
	struct ents e = { 0 };
	size_t k;
	int ret;

	ret = resolve(parent, &ni);
	if (ret)
		return ret;
	if (!S_ISDIR(ni.mode))
		return -ENOTDIR;
	if ((ni.kind == K_STATIC) && snodes[ni.sidx].gen == G_FRAMES) {
		unsigned long pfn;

		if (frame_parse_name(name, &pfn))
			return -ENOENT;
		*out = mkino(K_FRAME, pfn);
		return 0;
	}
	if (ni.kind == K_STATIC && snodes[ni.sidx].gen == G_PIDS) {
		char *end;
		long pid = strtol(name, &end, 10);

		if (*end || pid <= 0 || pid > INT32_MAX || !pid_exists((int)pid))
			return -ENOENT;
		*out = mkino(K_PIDDIR, pid);
		return 0;
	}
	if (ni.kind == K_STATIC && snodes[ni.sidx].gen == G_CACHES) {
		char target[96];
		int id;

		if (!cache_lookup(name, target, sizeof(target)))
			return -ENOENT;
		id = cache_id_of(name);
		if (id < 0)
			return -ENOMEM;
		*out = mkino(*target ? K_CACHELINK : K_CACHEDIR, id);
		return 0;
	}
	if (ni.kind == K_OBJDIR) {
		unsigned long kaddr;
		struct uobj o;
		char *end;

		if (strncmp(name, "0x", 2))
			return -ENOENT;
		kaddr = strtoul(name + 2, &end, 16);
		if (*end || kaddr < MMFS_PAGE_OFFSET || !uobj_find(kaddr, &o) ||
		    o.cache_id != ni.cache_id)
			return -ENOENT;
		*out = mkino(K_OBJ, o.gen);
		return 0;
	}
	ret = list_dir(parent, &e);
	if (ret)
		return ret;
	ret = -ENOENT;
	for (k = 0; k < e.n; k++)
		if (!strcmp(e.v[k].name, name)) {
			*out = e.v[k].ino;
			ret = 0;
			break;
		}
	ents_free(e.v, e.n);
	return ret;
}

/* ------------------------------------------------- kernel-known frames */
/*
 * Which frame inodes the kernel holds (lookup count, as FORGET tells us), so
 * an invalidation is sent only for an inode the kernel has: a control cycle
 * on a block nobody looked at costs no notification.
 */
struct kfent { unsigned long pfn; uint64_t nlookup; };
static pthread_mutex_t known_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kfent *known;
static size_t known_cap, known_n;

static struct kfent *known_slot(unsigned long pfn, bool insert)
{
	size_t i, mask;

	if (!known_cap) {
		if (!insert)
			return NULL;
		known = calloc(1024, sizeof(*known));
		if (!known)
			return NULL;
		known_cap = 1024;
	}
	if (insert && (known_n + 1) * 2 > known_cap) {
		struct kfent *old = known;
		size_t oc = known_cap, k;

		known = calloc(oc * 2, sizeof(*known));
		if (!known) {
			known = old;
			return NULL;
		}
		known_cap = oc * 2;
		known_n = 0;
		for (k = 0; k < oc; k++)
			if (old[k].nlookup) {
				struct kfent *e = known_slot(old[k].pfn, true);

				e->nlookup = old[k].nlookup;
			}
		free(old);
	}
	mask = known_cap - 1;
	for (i = (pfn * 0x9e3779b97f4a7c15ULL) >> 20 & mask;; i = (i + 1) & mask) {
		if (known[i].nlookup && known[i].pfn == pfn)
			return &known[i];
		if (!known[i].nlookup && !known[i].pfn) {
			if (!insert)
				return NULL;
			known[i].pfn = pfn;
			known_n++;
			return &known[i];
		}
	}
}

static void known_get(unsigned long pfn)
{
	struct kfent *e;

	pthread_mutex_lock(&known_lock);
	e = known_slot(pfn, true);
	if (e)
		e->nlookup++;
	pthread_mutex_unlock(&known_lock);
}

static void known_put(unsigned long pfn, uint64_t n)
{
	struct kfent *e;

	pthread_mutex_lock(&known_lock);
	e = known_slot(pfn, false);
	if (e)
		e->nlookup = e->nlookup > n ? e->nlookup - n : 0;
	/* a tombstone (pfn kept, count 0) keeps probe chains intact */
	pthread_mutex_unlock(&known_lock);
}

static bool frame_known(unsigned long pfn)
{
	bool k;

	pthread_mutex_lock(&known_lock);
	k = known_slot(pfn, false) != NULL;
	pthread_mutex_unlock(&known_lock);
	return k;
}

/* ------------------------------------------------------------ notifier */
struct notice {
	fuse_ino_t ino, parent;
	char *name;
	struct notice *next;
};
static pthread_mutex_t notify_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t notify_cond = PTHREAD_COND_INITIALIZER;
static struct notice *notices, **notices_tail = &notices;
static bool notify_stop, notify_running;
static pthread_t notify_thread;

static void notice_queue(fuse_ino_t ino, fuse_ino_t parent, const char *name)
{
	struct notice *n;

	if (!notify_running)
		return;
	n = calloc(1, sizeof(*n));
	if (!n)
		return;
	n->ino = ino;
	n->parent = parent;
	n->name = name ? strdup(name) : NULL;
	pthread_mutex_lock(&notify_lock);
	*notices_tail = n;
	notices_tail = &n->next;
	pthread_cond_signal(&notify_cond);
	pthread_mutex_unlock(&notify_lock);
}

void mmfs_notify_inval_inode(fuse_ino_t ino)
{
	if (ino_kind(ino) == K_FRAME && !frame_known((unsigned long)INO_PAYLOAD(ino)))
		return;
	notice_queue(ino, 0, NULL);
}

void mmfs_notify_inval_entry(fuse_ino_t parent, const char *name)
{
	unsigned long pfn;

	if (parent == mmfs_frames_dir_ino() && !frame_parse_name(name, &pfn) && !frame_known(pfn))
		return;
	notice_queue(0, parent, name);
}

static void *notify_worker(void *arg)
{
	pthread_mutex_lock(&notify_lock);
	for (;;) {
		struct notice *n;

		while (!notices && !notify_stop)
			pthread_cond_wait(&notify_cond, &notify_lock);
		if (!notices)
			break;
		n = notices;
		notices = n->next;
		if (!notices)
			notices_tail = &notices;
		pthread_mutex_unlock(&notify_lock);
		if (n->name)
			fuse_lowlevel_notify_inval_entry(mmfs_se, n->parent, n->name, strlen(n->name));
		else
			fuse_lowlevel_notify_inval_inode(mmfs_se, n->ino, 0, 0);
		free(n->name);
		free(n);
		pthread_mutex_lock(&notify_lock);
	}
	pthread_mutex_unlock(&notify_lock);
	return NULL;
}

int mmfs_notify_start(void)
{
	if (pthread_create(&notify_thread, NULL, notify_worker, NULL))
		return -errno;
	notify_running = true;
	return 0;
}

void mmfs_notify_stop(void)
{
	if (!notify_running)
		return;
	pthread_mutex_lock(&notify_lock);
	notify_stop = true;
	/* the kernel side is gone: drop what is queued */
	while (notices) {
		struct notice *n = notices;

		notices = n->next;
		free(n->name);
		free(n);
	}
	notices_tail = &notices;
	pthread_cond_signal(&notify_cond);
	pthread_mutex_unlock(&notify_lock);
	{
		/* an invalidation the kernel never answers must not hang the exit */
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 2;
		if (pthread_timedjoin_np(notify_thread, NULL, &ts))
			pthread_detach(notify_thread);
	}
	notify_running = false;
}

/* ------------------------------------------------------------ handlers */
static void reply_entry(fuse_req_t req, fuse_ino_t ino)
{
	struct fuse_entry_param e;
	struct ninfo ni;
	int ret = resolve(ino, &ni);

	if (ret) {
		fuse_reply_err(req, -ret);
		return;
	}
	memset(&e, 0, sizeof(e));
	e.ino = ino;
	e.generation = ni.gen;
	ni_stat(ino, &ni, &e.attr);
	e.attr_timeout = ni_timeout(&ni);
	/* a frame's name goes with its block: always ask again */
	e.entry_timeout = ni.kind == K_FRAME ? 0.0 : ni_timeout(&ni);
	if (ni.kind == K_FRAME)
		known_get(ni.pfn);
	if (fuse_reply_entry(req, &e) && ni.kind == K_FRAME)
		known_put(ni.pfn, 1);
}

static void mmfs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	fuse_ino_t ino;
	int ret = lookup_child(parent, name, &ino);

	if (ret) {
		fuse_reply_err(req, -ret);
		return;
	}
	reply_entry(req, ino);
}

static void mmfs_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct ninfo ni;
	struct stat st;
	int ret;

	/* an open frame keeps its attributes after rm, until its last release */
	if (fi && fi->fh && ino_kind(ino) == K_FRAME) {
		struct mmfs_fh *fh = (struct mmfs_fh *)(uintptr_t)fi->fh;

		if (fh->type == FH_FRAME && fh->frame) {
			frame_stat(&fh->frame->info, &st);
			fuse_reply_attr(req, &st, 1.0);
			return;
		}
	}
	ret = resolve(ino, &ni);

	if (ret) {
		fuse_reply_err(req, -ret);
		return;
	}
	ni_stat(ino, &ni, &st);
	fuse_reply_attr(req, &st, ni_timeout(&ni));
}

static void mmfs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
			 struct fuse_file_info *fi)
{
	struct ninfo ni;
	struct stat st;
	int ret = resolve(ino, &ni);

	if (ret) {
		fuse_reply_err(req, -ret);
		return;
	}
	/* Only the O_TRUNC of `echo > attribute` is accepted (a no-op, as sysfs). */
	if (to_set & ~(FUSE_SET_ATTR_SIZE | FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME |
		       FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_MTIME_NOW | FUSE_SET_ATTR_CTIME)) {
		fuse_reply_err(req, EPERM);
		return;
	}
	if ((to_set & FUSE_SET_ATTR_SIZE) &&
	    (ni.kind == K_FRAME || ni.kind == K_OBJ || attr->st_size != 0 || !(ni.mode & 0222) ||
	     S_ISDIR(ni.mode))) {
		fuse_reply_err(req, EPERM);
		return;
	}
	ni_stat(ino, &ni, &st);
	fuse_reply_attr(req, &st, ni_timeout(&ni));
}

static void mmfs_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct ninfo ni;
	int ret = resolve(ino, &ni);

	if (!ret && ni.kind != K_CACHELINK)
		ret = -EINVAL;
	if (ret)
		fuse_reply_err(req, -ret);
	else
		fuse_reply_readlink(req, ni.link);
}

static void mmfs_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct mmfs_fh *fh;
	struct ents e = { 0 };
	struct ninfo ni;
	int ret;

	ret = resolve(ino, &ni);
	if (!ret)
		ret = list_dir(ino, &e);
	if (ret) {
		ents_free(e.v, e.n);
		fuse_reply_err(req, -ret);
		return;
	}
	fh = fh_new(ino, FH_DIR);
	if (!fh) {
		ents_free(e.v, e.n);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	fh->ents = e.v;
	fh->nents = e.n;
	fi->fh = (uintptr_t)fh;
	fi->cache_readdir = 0;
	if (fuse_reply_open(req, fi) == -ENOENT)
		fh_free(fh);
}

static void mmfs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			 struct fuse_file_info *fi)
{
	struct mmfs_fh *fh = (struct mmfs_fh *)(uintptr_t)fi->fh;
	char *buf = malloc(size);
	size_t pos = 0;
	off_t i;

	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	/* offsets: 0 ".", 1 "..", 2.. the snapshot */
	for (i = off; i < (off_t)fh->nents + 2; i++) {
		struct stat st = { 0 };
		const char *name;
		size_t need;

		if (i == 0) {
			name = ".";
			st.st_ino = ino;
			st.st_mode = S_IFDIR;
		} else if (i == 1) {
			name = "..";
			st.st_ino = FUSE_ROOT_ID;
			st.st_mode = S_IFDIR;
		} else {
			name = fh->ents[i - 2].name;
			st.st_ino = fh->ents[i - 2].ino;
			st.st_mode = DTTOIF(fh->ents[i - 2].type);
		}
		need = fuse_add_direntry(req, buf + pos, size - pos, name, &st, i + 1);
		if (need > size - pos)
			break;
		pos += need;
	}
	fuse_reply_buf(req, buf, pos);
	free(buf);
}

static void mmfs_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	fh_free((struct mmfs_fh *)(uintptr_t)fi->fh);
	fuse_reply_err(req, 0);
}

/* Render the text of a readable text node at open. */
static char *render(const struct ninfo *ni, size_t *len)
{
	char *t = NULL;

	errno = 0;
	switch (ni->kind) {
	case K_STATIC: {
		const struct snode *s = &snodes[ni->sidx];

		if (s->type == S_TEXT)
			t = mmfs_top_render(s->name, len);
		else if (s->type == S_ATTR)
			t = s->row->show(NULL, s->name, len);
		break;
	}
	case K_NODEFILE:
		t = node_attrs[ni->file].show((const void *)(intptr_t)(ni->nid << 8),
					      node_attrs[ni->file].name, len);
		break;
	case K_ZONEFILE:
		t = zone_attrs[ni->file].show((const void *)(intptr_t)(ni->nid << 8 | ni->zone),
					      zone_attrs[ni->file].name, len);
		break;
	case K_CACHEATTR: {
		size_t cap = 16384;

		for (;;) {
			long n;

			t = malloc(cap);
			if (!t)
				break;
			n = mmfs_cache_attr_show(ni->cache, ni->cattr->name, t, cap);
			if (n < 0) {
				free(t);
				t = NULL;
				errno = (int)-n;
				break;
			}
			if ((size_t)n < cap - 1) {
				*len = (size_t)n;
				break;
			}
			free(t);
			cap *= 4;
			if (cap > (64u << 20)) {
				t = NULL;
				errno = EFBIG;
				break;
			}
		}
		break;
	}
	case K_PIDFILE:
		t = pid_file_render(ni->pid, ni->file, len);
		break;
	case K_SYSVM:
		t = mmfs_sysvm_show(ni->sysvm, len);
		break;
	case K_EVENABLE:
		t = event_enable_show(ni->ev, len);
		break;
	default:
		errno = EINVAL;
		break;
	}
	if (!t && !errno)
		errno = EIO;
	return t;
}

static int store(const struct ninfo *ni, const char *buf, size_t len)
{
	switch (ni->kind) {
	case K_STATIC: {
		const struct snode *s = &snodes[ni->sidx];

		if (s->type == S_ATTR && s->row->store)
			return s->row->store(NULL, s->name, buf, len);
		if (ni->sidx == SN_SLABINFO)
			return mmfs_slabinfo_write(buf, len);
		return -EACCES;
	}
	case K_CACHEATTR:
		return mmfs_cache_attr_store(ni->cache, ni->cattr->name, buf, len);
	case K_SYSVM:
		return mmfs_sysvm_store(ni->sysvm, buf, len);
	case K_EVENABLE:
		return event_enable_store(ni->ev, buf, len);
	default:
		return -EACCES;
	}
}

static int do_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi, struct mmfs_fh *fh)
{
	int acc = fi->flags & O_ACCMODE;
	bool wr = acc != O_RDONLY, rd = acc != O_WRONLY;
	struct ninfo ni;
	int ret;

	ret = resolve(ino, &ni);
	if (ret)
		return ret;
	if (S_ISDIR(ni.mode))
		return -EISDIR;
	fi->noflush = 1;	/* nothing to do at close(): save the round trip */
	/* a block's or an object's size is its allocation's: no O_TRUNC, as
	 * no truncate (with atomic_o_trunc the kernel leaves it to open) */
	if ((fi->flags & O_TRUNC) && (ni.kind == K_FRAME || ni.kind == K_OBJ))
		return -EPERM;
	if (ni.kind == K_FRAME) {
		fi->keep_cache = 1;	/* coherence by invalidation (frame_changed) */
		return frames_open(req, fh, ni.pfn, fi->flags);
	}
	fi->direct_io = 1;
	if (ni.kind == K_OBJ)
		return objects_open(req, fh, INO_PAYLOAD(ino), fi->flags);	/* the generation */
	if ((wr && !(ni.mode & 0222)) || (rd && !(ni.mode & 0444)))
		return -EACCES;
	if (ni.kind == K_STATIC) {
		switch (snodes[ni.sidx].type) {
		case S_CONTROL:
			fh->type = FH_CONTROL;
			fi->nonseekable = 1;
			return 0;
		case S_KPAGE:
			fh->type = FH_KPAGE;
			snprintf(fh->name, sizeof(fh->name), "%s", snodes[ni.sidx].name);
			return 0;
		case S_TRACE_PIPE:
			fh->type = FH_TRACE_PIPE;
			fi->nonseekable = 1;
			return 0;
		default:
			break;
		}
	}
	if (ni.kind == K_PIDFILE && ni.file == 2) {
		fh->type = FH_PAGEMAP;
		fh->pid = ni.pid;
		return 0;
	}
	fh->type = FH_TEXT;
	if (rd) {
		fh->buf = render(&ni, &fh->len);
		if (!fh->buf)
			return -(errno ? errno : EIO);
	}
	return 0;
}

static void mmfs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct mmfs_fh *fh = fh_new(ino, FH_TEXT);
	int ret;

	if (!fh) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	ret = do_open(req, ino, fi, fh);
	if (ret) {
		fh_free(fh);
		fuse_reply_err(req, -ret);
		return;
	}
	fi->fh = (uintptr_t)fh;
	if (fuse_reply_open(req, fi) == -ENOENT)	/* interrupted open */
		fh_free(fh);
}

static void mmfs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	struct mmfs_fh *fh = (struct mmfs_fh *)(uintptr_t)fi->fh;

	switch (fh->type) {
	case FH_TEXT: {
		/* reply from a copy: once the reply is out, a release may free fh */
		size_t n = off >= 0 && (size_t)off < fh->len ? min(size, fh->len - (size_t)off) : 0;
		char *copy = malloc(n ? n : 1);

		if (!copy) {
			fuse_reply_err(req, ENOMEM);
			return;
		}
		memcpy(copy, fh->buf + (n ? off : 0), n);
		fuse_reply_buf(req, copy, n);
		free(copy);
		return;
	}
	case FH_CONTROL:
		control_read(req, fh, size);
		return;
	case FH_FRAME:
		frames_read(req, fh, size, off);
		return;
	case FH_OBJ:
		objects_read(req, fh, size, off);
		return;
	case FH_TRACE_PIPE:
		tracing_read(req, fh, size, fi->flags);
		return;
	case FH_KPAGE:
	case FH_PAGEMAP: {
		char *buf = malloc(size ? size : 1);
		long n;

		if (!buf) {
			fuse_reply_err(req, ENOMEM);
			return;
		}
		if (fh->type == FH_KPAGE)
			n = proc_kpage_read(fh->name, off, buf, size);
		else
			n = mmfs_pid_pagemap_read(fh->pid, off, buf, size);
		if (n < 0)
			fuse_reply_err(req, (int)-n);
		else
			fuse_reply_buf(req, buf, n);
		free(buf);
		return;
	}
	default:
		fuse_reply_err(req, EISDIR);
	}
}

static void mmfs_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size,
		       off_t off, struct fuse_file_info *fi)
{
	struct mmfs_fh *fh = (struct mmfs_fh *)(uintptr_t)fi->fh;
	struct ninfo ni;
	int ret;

	switch (fh->type) {
	case FH_CONTROL:
		ret = control_write(req, fh, buf, size);
		break;
	case FH_FRAME:
		frames_write(req, fh, buf, size, off);
		return;
	case FH_OBJ:
		objects_write(req, fh, buf, size, off);
		return;
	case FH_TEXT:
		ret = resolve(ino, &ni);
		if (!ret) {
			mmfs_enter(req);
			ret = store(&ni, buf, size);
		}
		break;
	default:
		ret = -EACCES;
	}
	if (ret)
		fuse_reply_err(req, -ret);
	else
		fuse_reply_write(req, size);
}

static void mmfs_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	fh_free((struct mmfs_fh *)(uintptr_t)fi->fh);
	fuse_reply_err(req, 0);
}

static void mmfs_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	fuse_reply_err(req, 0);
}

static void mmfs_fsync(fuse_req_t req, fuse_ino_t ino, int datasync, struct fuse_file_info *fi)
{
	fuse_reply_err(req, 0);
}

static void mmfs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct ninfo ni;
	int ret = resolve(parent, &ni);

	if (!ret) {
		if (ni.kind == K_STATIC && snodes[ni.sidx].gen == G_FRAMES)
			ret = frames_unlink(req, name);
		else if (ni.kind == K_OBJDIR)
			ret = objects_unlink(req, ni.cache_id, name);
		else
			ret = -EPERM;
	}
	fuse_reply_err(req, -ret);
}

static void mmfs_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	if (ino_kind(ino) == K_FRAME)
		known_put((unsigned long)INO_PAYLOAD(ino), nlookup);
	fuse_reply_none(req);
}

static void mmfs_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (ino_kind(forgets[i].ino) == K_FRAME)
			known_put((unsigned long)INO_PAYLOAD(forgets[i].ino), forgets[i].nlookup);
	fuse_reply_none(req);
}

static void mmfs_refuse(fuse_req_t req)
{
	fuse_reply_err(req, EPERM);
}

static void mmfs_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{ mmfs_refuse(req); }
static void mmfs_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{ mmfs_refuse(req); }
static void mmfs_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev)
{ mmfs_refuse(req); }
static void mmfs_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name)
{ mmfs_refuse(req); }
static void mmfs_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
			const char *newname, unsigned int flags)
{ mmfs_refuse(req); }
static void mmfs_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname)
{ mmfs_refuse(req); }
static void mmfs_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
			struct fuse_file_info *fi)
{
	fuse_ino_t ino;

	/* O_CREAT on an existing file reaches here only if the dentry was not
	 * cached: open it as usual. */
	if (!lookup_child(parent, name, &ino)) {
		struct fuse_entry_param e;
		struct mmfs_fh *fh = fh_new(ino, FH_TEXT);
		struct ninfo ni;
		int ret;

		if (!fh) {
			fuse_reply_err(req, ENOMEM);
			return;
		}
		ret = resolve(ino, &ni);
		if (!ret)
			ret = do_open(req, ino, fi, fh);
		if (ret) {
			fh_free(fh);
			fuse_reply_err(req, -ret);
			return;
		}
		memset(&e, 0, sizeof(e));
		e.ino = ino;
		e.generation = ni.gen;
		ni_stat(ino, &ni, &e.attr);
		e.attr_timeout = ni_timeout(&ni);
		e.entry_timeout = ni.kind == K_FRAME ? 0.0 : ni_timeout(&ni);
		fi->fh = (uintptr_t)fh;
		if (ni.kind == K_FRAME)
			known_get(ni.pfn);
		if (fuse_reply_create(req, &e, fi) == -ENOENT)
			fh_free(fh);
		return;
	}
	mmfs_refuse(req);
}

static void mmfs_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs sv;

	memset(&sv, 0, sizeof(sv));
	sv.f_bsize = sv.f_frsize = PAGE_SIZE;
	sv.f_blocks = totalram_pages_count;
	sv.f_bfree = sv.f_bavail = global_zone_page_state(NR_FREE_PAGES);
	sv.f_namemax = 255;
	fuse_reply_statfs(req, &sv);
}

static void mmfs_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name, const char *value,
			  size_t size, int flags)
{
	fuse_reply_err(req, EPERM);
}

static void mmfs_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	fuse_reply_err(req, EPERM);
}

static void mmfs_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	char buf[512];
	int n;

	if (ino_kind(ino) != K_FRAME) {
		fuse_reply_err(req, ENODATA);
		return;
	}
	n = frames_getxattr((unsigned long)INO_PAYLOAD(ino), name, buf, sizeof(buf));
	if (n < 0) {
		fuse_reply_err(req, -n);
		return;
	}
	n = min(n, (int)sizeof(buf) - 1);
	if (!size)
		fuse_reply_xattr(req, n);
	else if ((size_t)n > size)
		fuse_reply_err(req, ERANGE);
	else
		fuse_reply_buf(req, buf, n);
}

static void mmfs_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	char buf[512];
	size_t pos = 0;
	int i;

	if (ino_kind(ino) == K_FRAME) {
		struct frame_info fi;

		if (!frame_get((unsigned long)INO_PAYLOAD(ino), &fi)) {
			fuse_reply_err(req, ENOENT);
			return;
		}
		for (i = 0; frame_xattr_names[i]; i++)
			pos += snprintf(buf + pos, sizeof(buf) - pos, "user.mm.%s", frame_xattr_names[i]) + 1;
	}
	if (!size)
		fuse_reply_xattr(req, pos);
	else if (pos > size)
		fuse_reply_err(req, ERANGE);
	else
		fuse_reply_buf(req, buf, pos);
}

static void mmfs_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		      struct fuse_pollhandle *ph)
{
	struct mmfs_fh *fh = (struct mmfs_fh *)(uintptr_t)fi->fh;

	if (fh->type == FH_TRACE_PIPE) {
		tracing_poll(req, fh, ph);
		return;
	}
	if (ph)
		fuse_pollhandle_destroy(ph);
	fuse_reply_poll(req, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
}

static void mmfs_init(void *userdata, struct fuse_conn_info *conn)
{
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;	/* writes reach the arena at once */
	clock_gettime(CLOCK_REALTIME, &boot_time);
}

const struct fuse_lowlevel_ops mmfs_ops = {
	.init		= mmfs_init,
	.lookup		= mmfs_lookup,
	.forget		= mmfs_forget,
	.forget_multi	= mmfs_forget_multi,
	.getattr	= mmfs_getattr,
	.setattr	= mmfs_setattr,
	.readlink	= mmfs_readlink,
	.mknod		= mmfs_mknod,
	.mkdir		= mmfs_mkdir,
	.unlink		= mmfs_unlink,
	.rmdir		= mmfs_rmdir,
	.symlink	= mmfs_symlink,
	.rename		= mmfs_rename,
	.link		= mmfs_link,
	.open		= mmfs_open,
	.read		= mmfs_read,
	.write		= mmfs_write,
	.flush		= mmfs_flush,
	.release	= mmfs_release,
	.fsync		= mmfs_fsync,
	.opendir	= mmfs_opendir,
	.readdir	= mmfs_readdir,
	.releasedir	= mmfs_releasedir,
	.statfs		= mmfs_statfs,
	.setxattr	= mmfs_setxattr,
	.getxattr	= mmfs_getxattr,
	.listxattr	= mmfs_listxattr,
	.removexattr	= mmfs_removexattr,
	.create		= mmfs_create,
	.poll		= mmfs_poll,
};
