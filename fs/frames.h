/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * frames.h - frames/0xPFN files (frames.c), the blocks and objects users
 * hold through control (accounting for user_limit, objects/ listings).
 */
#ifndef MMFS_FS_FRAMES_H
#define MMFS_FS_FRAMES_H
#include "tree.h"

struct frame_info {
	unsigned long pfn;		/* head pfn */
	unsigned int order;
	uint64_t ts;			/* allocation time (page_owner wall_ns): the inode generation */
	uint64_t wall_ns;		/* mtime */
	unsigned int uid;		/* owner uid (0 for the kernel's blocks) */
	enum mmfs_owner_kind kind;
	long owner_id;
	bool dropped;			/* the owner freed it; pins or references keep it */
};

struct frame_fh {
	struct frame_info info;
	struct mmfs_mapping *m;		/* the VMA of this open (remap + pin) */
	bool writable;
	struct list_head link;		/* open_frames */
};

/* Is pfn the head of a block frames/ shows?  Fills *fi. */
bool frame_get(unsigned long pfn, struct frame_info *fi);
/* Is pfn the head of an allocated block, also one its owner freed that
 * pins, get_page or kmap references still hold?  Fills *fi. */
bool frame_get_held(unsigned long pfn, struct frame_info *fi);
/* The first visible block at or after pfn, or -1UL. */
unsigned long frame_next(unsigned long pfn, struct frame_info *fi);
void frame_stat(const struct frame_info *fi, struct stat *st);
int frame_parse_name(const char *name, unsigned long *pfn);

int frames_open(fuse_req_t req, struct mmfs_fh *fh, unsigned long pfn, int flags);
void frames_read(fuse_req_t req, struct mmfs_fh *fh, size_t size, off_t off);
void frames_write(fuse_req_t req, struct mmfs_fh *fh, const char *buf, size_t size, off_t off);
void frames_release(struct mmfs_fh *fh);
int frames_unlink(fuse_req_t req, const char *name);
/* xattrs: value of user.mm.NAME into buf (length) or -ENODATA */
int frames_getxattr(unsigned long pfn, const char *name, char *buf, size_t len);
extern const char * const frame_xattr_names[];
/* A change made through another path: drop the kernel's cached pages. */
void frame_changed(unsigned long pfn);
void frame_changed_kaddr(unsigned long kaddr);

/* ---- blocks users allocated through control ---- */
void ublock_add(unsigned long pfn, unsigned int order, uint64_t ts, unsigned int uid);
uint64_t user_bytes(unsigned int uid);		/* held now (frames + objects) */

/* ---- objects users allocated through control (objects.c):
 *      caches/NAME/allocations/ ---- */
struct uobj {
	unsigned long kaddr;
	unsigned int uid;
	int cache_id;			/* -1: large kmalloc (pages) */
	unsigned int size;		/* object_size (or bytes of a large kmalloc) */
	bool kmalloc;			/* freed by kfree, else kmem_cache_free */
	uint64_t gen;			/* allocation generation (set by uobj_add): a
					 * handle reaches this allocation only */
};
/* Record an allocation; sets o->gen.  0 or -ENOMEM. */
int uobj_add(struct uobj *o);
bool uobj_find(unsigned long kaddr, struct uobj *o);
bool uobj_find_gen(uint64_t gen, struct uobj *o);
void uobj_del(unsigned long kaddr);
/* Live objects of one cache: malloc'd array. */
struct uobj *uobj_list(int cache_id, size_t *n);
uint64_t uobj_bytes(unsigned int uid);
/* Open the allocation of generation gen: a handle on it and nothing else. */
int objects_open(fuse_req_t req, struct mmfs_fh *fh, uint64_t gen, int flags);
void objects_read(fuse_req_t req, struct mmfs_fh *fh, size_t size, off_t off);
void objects_write(fuse_req_t req, struct mmfs_fh *fh, const char *buf, size_t size, off_t off);
int objects_unlink(fuse_req_t req, int cache_id, const char *name);
/* Free one object the way it was allocated: 0 or -errno. */
int uobj_free(const struct uobj *o, char *err, size_t errlen);


#endif /* MMFS_FS_FRAMES_H */
