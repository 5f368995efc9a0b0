/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tree.h - the inode table of mmfs (like fs/kernfs: a static tree of named
 * nodes plus generated directories) and what the parts of fs/ share:
 * inode numbers, the per-open file handle, the notifier, reply helpers.
 *
 * Inode numbers: ino = kind << 56 | payload.  The payload identifies the
 * node inside its kind (static row index, pfn, nid/zone/file, cache id,
 * object address, pid).  Generated nodes need no state in the daemon: every
 * lookup recomputes them from mm/, so FORGET is a no-op.  Frames carry a
 * generation (the block's allocation time) so a pfn freed and reallocated
 * is a new inode to the kernel, with a fresh page cache.
 */
#ifndef MMFS_FS_TREE_H
#define MMFS_FS_TREE_H

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm.h"

enum node_kind {
	K_ROOT,		/* FUSE_ROOT_ID only */
	K_STATIC,	/* row of static_nodes[] */
	K_FRAME,	/* frames/0xPFN: payload pfn */
	K_NODEDIR,	/* nodes/nodeN */
	K_NODEFILE,	/* nodes/nodeN/FILE */
	K_ZONESDIR,	/* nodes/nodeN/zones */
	K_ZONEDIR,	/* nodes/nodeN/zones/ZONE */
	K_ZONEFILE,	/* nodes/nodeN/zones/ZONE/FILE */
	K_CACHEDIR,	/* caches/NAME: payload cache id */
	K_CACHEATTR,	/* caches/NAME/ATTR: id << 8 | attr */
	K_CACHELINK,	/* caches/ALIAS -> target */
	K_OBJDIR,	/* caches/NAME/allocations */
	K_OBJ,		/* caches/NAME/allocations/0xADDR: the allocation's generation */
	K_PIDDIR,	/* pids/PID */
	K_PIDFILE,	/* pids/PID/FILE: pid << 8 | file */
	K_SYSVM,	/* sys/vm/NAME: index in proc_sysvm_names() */
	K_EVDIR,	/* tracing/events/kmem/EVENT */
	K_EVENABLE,	/* tracing/events/kmem/EVENT/enable */
	NR_KINDS
};

#define INO_KIND_SHIFT	56
#define INO_PAYLOAD(ino)	((ino) & ((1ULL << INO_KIND_SHIFT) - 1))
static inline enum node_kind ino_kind(fuse_ino_t ino)
{
	return ino == FUSE_ROOT_ID ? K_ROOT : (enum node_kind)(ino >> INO_KIND_SHIFT);
}
static inline fuse_ino_t mkino(enum node_kind k, uint64_t payload)
{
	return ((uint64_t)k << INO_KIND_SHIFT) | payload;
}

/* What an open file is, and its per-open state. */
enum fh_type {
	FH_TEXT,	/* rendered once at open, served from buf */
	FH_CONTROL,	/* control: reply buffer */
	FH_KPAGE,	/* kpageflags, kpagecount: binary, read through proc.c */
	FH_PAGEMAP,	/* pids/PID/pagemap */
	FH_FRAME,	/* frames/0xPFN: page cache, mapping */
	FH_OBJ,		/* caches/NAME/allocations/0xADDR */
	FH_TRACE_PIPE,	/* tracing/trace_pipe */
	FH_DIR,		/* a directory listing snapshot */
};

struct dirent_snap {
	char *name;
	fuse_ino_t ino;
	unsigned int type;	/* DT_DIR, DT_REG, DT_LNK */
};

struct mmfs_mapping;
struct frame_fh;

struct mmfs_fh {
	enum fh_type type;
	fuse_ino_t ino;
	pthread_mutex_t lock;		/* control replies; text store */
	char *buf;			/* FH_TEXT rendering, FH_CONTROL replies */
	size_t len, cap;
	int pid;			/* FH_PAGEMAP */
	char name[64];			/* FH_KPAGE: which file */
	struct frame_fh *frame;		/* FH_FRAME */
	unsigned long kaddr;		/* FH_OBJ */
	unsigned int objsize;		/* FH_OBJ */
	uint64_t gen;			/* FH_OBJ: the allocation's generation */
	struct dirent_snap *ents;	/* FH_DIR */
	size_t nents;
	struct list_head all;		/* every open handle (freed at unmount) */
};

/* ---- main.c ---- */
extern struct fuse_session *mmfs_se;
extern bool mmfs_allow_other;
extern uint64_t mmfs_user_limit;
/* Make the calling client "current" for mm/ (uid, pid, comm). */
void mmfs_enter(fuse_req_t req);

/* ---- tree.c ---- */
extern const struct fuse_lowlevel_ops mmfs_ops;
/* Queue an invalidation, done by the notifier thread (never from a handler:
 * the kernel may hold the inode lock of the very request we are serving). */
void mmfs_notify_inval_inode(fuse_ino_t ino);
void mmfs_notify_inval_entry(fuse_ino_t parent, const char *name);
int mmfs_notify_start(void);
void mmfs_notify_stop(void);
fuse_ino_t mmfs_frames_dir_ino(void);
/* The daemon stops: free every handle the kernel never released. */
void mmfs_fh_release_all(void);

/* ---- seq.c: a growable text buffer (seq_file-like) ---- */
struct seq_buf {
	char *buf;
	size_t len, cap;
	bool overflow;			/* allocation failed */
};
void seq_printf(struct seq_buf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void seq_write(struct seq_buf *s, const void *data, size_t len);
char *seq_take(struct seq_buf *s, size_t *len);	/* hand the buffer over */
void seq_release(struct seq_buf *s);
/* Serve [off, off+size) of a rendered buffer. */
void seq_reply(fuse_req_t req, const char *buf, size_t len, off_t off, size_t size);

/* ---- attrs.c: sysfs-style rows ---- */
struct attr_row {
	const char *name;
	mode_t mode;
	char *(*show)(const void *ctx, const char *name, size_t *len);
	int (*store)(const void *ctx, const char *name, const char *buf, size_t len);
};
extern const struct attr_row node_attrs[];	/* nodes/nodeN/ files */
extern const int nr_node_attrs;
extern const struct attr_row zone_attrs[];	/* nodes/nodeN/zones/ZONE/ files */
extern const int nr_zone_attrs;
extern const struct attr_row fail_attrs[];	/* sys/kernel/fail_page_alloc/ */
extern const int nr_fail_attrs;
const char * const *mmfs_sysvm_names(void);
int mmfs_nr_sysvm(void);
char *mmfs_sysvm_show(const char *name, size_t *len);
int mmfs_sysvm_store(const char *name, const char *buf, size_t len);
char *mmfs_top_render(const char *name, size_t *len);	/* proc_render or fallback */
/* Cache ids: the daemon interns every cache name it has seen. */
int cache_id_of(const char *name);		/* -1 on allocation failure */
const char *cache_name_of(int id);		/* NULL if unknown */

/* ---- pids.c ---- */
extern const char * const pid_file_names[];
extern const int nr_pid_files;
char *pid_file_render(int pid, int file, size_t *len);
bool pid_exists(int pid);
int *pids_list(int *n);

/* ---- tracing.c ---- */
void tracing_read(fuse_req_t req, struct mmfs_fh *fh, size_t size, int flags);
void tracing_poll(fuse_req_t req, struct mmfs_fh *fh, struct fuse_pollhandle *ph);
char *tracing_on_show(const void *ctx, const char *name, size_t *len);
int tracing_on_store(const void *ctx, const char *name, const char *buf, size_t len);
char *event_enable_show(int ev, size_t *len);
int event_enable_store(int ev, const char *buf, size_t len);
int tracing_start(void);
void tracing_stop(void);

/* ---- helpers ---- */
/* Parse a sysfs-style integer (trailing newline allowed). */
int parse_long_str(const char *buf, size_t len, long *out);
char *mmfs_strdup_len(const char *s, size_t *len);


/* ---- the memory manager and the /proc renderers this daemon shows ---- */
#include "proc.h"
#include "slab.h"
#include "pgtable.h"
#include "highmem.h"
#include "trace.h"

#endif /* MMFS_FS_TREE_H */
