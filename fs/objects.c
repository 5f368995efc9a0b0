// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * objects.c - caches/NAME/allocations/0xADDR: the slab objects users
 * allocated through control (kmem_cache_alloc, kmalloc), owner-only files
 * of object_size bytes; rm frees the object as it was allocated.  SPEC §5.
 *
 * The daemon remembers who allocated what (kaddr -> uid, cache, and a
 * generation that no other allocation shares).  The generation is the
 * file's inode number, so an address allocated again is another inode, and
 * an open handle keeps the generation it was opened on: every read and
 * write checks it, and once the object is freed the handle fails with
 * ESTALE, even when the same address has been allocated again.
 *
 * Lock order: uobjs_lock is a leaf (mm/ is called outside it).
 */
#include "frames.h"

static pthread_mutex_t uobjs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct uobj *uobjs;
static size_t nr_uobjs, cap_uobjs;
static uint64_t uobj_next_gen = 1;	/* under uobjs_lock */

int uobj_add(struct uobj *o)
{
	int ret = 0;

	pthread_mutex_lock(&uobjs_lock);
	if (nr_uobjs == cap_uobjs) {
		size_t cap = cap_uobjs ? cap_uobjs * 2 : 256;
		struct uobj *n = realloc(uobjs, cap * sizeof(*n));

		if (!n) {
			ret = -ENOMEM;
			goto out;
		}
		uobjs = n;
		cap_uobjs = cap;
	}
	o->gen = uobj_next_gen++;
	uobjs[nr_uobjs++] = *o;
out:
	pthread_mutex_unlock(&uobjs_lock);
	return ret;
}

/* The record whose address (by_gen false) or generation is @key. */
static bool uobj_lookup(uint64_t key, bool by_gen, struct uobj *o)
{
	bool found = false;
	size_t i;

	pthread_mutex_lock(&uobjs_lock);
	for (i = 0; i < nr_uobjs; i++)
		if ((by_gen ? uobjs[i].gen : uobjs[i].kaddr) == key) {
			*o = uobjs[i];
			found = true;
			break;
		}
	pthread_mutex_unlock(&uobjs_lock);
	return found;
}

bool uobj_find(unsigned long kaddr, struct uobj *o)
{
	return uobj_lookup(kaddr, false, o);
}

bool uobj_find_gen(uint64_t gen, struct uobj *o)
{
	return uobj_lookup(gen, true, o);
}

void uobj_del(unsigned long kaddr)
{
	size_t i;

	pthread_mutex_lock(&uobjs_lock);
	for (i = 0; i < nr_uobjs; i++)
		if (uobjs[i].kaddr == kaddr) {
			uobjs[i] = uobjs[--nr_uobjs];
			break;
		}
	pthread_mutex_unlock(&uobjs_lock);
}

static int cmp_uobj(const void *a, const void *b)
{
	const struct uobj *x = a, *y = b;

	return x->kaddr < y->kaddr ? -1 : x->kaddr > y->kaddr;
}

struct uobj *uobj_list(int cache_id, size_t *n)
{
	struct uobj *out;
	size_t i, k = 0;

	pthread_mutex_lock(&uobjs_lock);
	out = malloc((nr_uobjs + 1) * sizeof(*out));
	if (out)
		for (i = 0; i < nr_uobjs; i++)
			if (uobjs[i].cache_id == cache_id)
				out[k++] = uobjs[i];
	pthread_mutex_unlock(&uobjs_lock);
	if (out)
		qsort(out, k, sizeof(*out), cmp_uobj);
	*n = k;
	return out;
}

uint64_t uobj_bytes(unsigned int uid)
{
	uint64_t sum = 0;
	size_t i;

	pthread_mutex_lock(&uobjs_lock);
	for (i = 0; i < nr_uobjs; i++)
		if (uobjs[i].uid == uid)
			sum += uobjs[i].size;
	pthread_mutex_unlock(&uobjs_lock);
	return sum;
}

int uobj_free(const struct uobj *o, char *err, size_t errlen)
{
	const char *cache = o->cache_id >= 0 ? cache_name_of(o->cache_id) : NULL;
	int ret;

	if (o->kmalloc) {
		ret = mmfs_kfree(o->kaddr, err, errlen);
	} else {
		if (!cache)
			return -ENOSYS;
		ret = mmfs_kmem_cache_free(cache, o->kaddr, err, errlen);
	}
	if (!ret) {
		uobj_del(o->kaddr);
		frame_changed_kaddr(o->kaddr);	/* poisoning, freelist pointer */
	}
	return ret;
}

/* ---- the files ---- */
int objects_open(fuse_req_t req, struct mmfs_fh *fh, uint64_t gen, int flags)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct uobj o;

	if (!uobj_find_gen(gen, &o))
		return -ENOENT;
	if (ctx->uid && ctx->uid != o.uid)
		return -EACCES;
	fh->type = FH_OBJ;
	fh->kaddr = o.kaddr;
	fh->objsize = o.size;
	fh->gen = o.gen;
	return 0;
}

/* The object, if it is still the allocation this handle was opened on. */
static char *obj_ptr(struct mmfs_fh *fh)
{
	struct uobj o;

	if (!uobj_find(fh->kaddr, &o) || o.gen != fh->gen)
		return NULL;
	return mmfs_kaddr_to_ptr(fh->kaddr);
}

void objects_read(fuse_req_t req, struct mmfs_fh *fh, size_t size, off_t off)
{
	char *p = obj_ptr(fh);

	if (!p) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	seq_reply(req, p, fh->objsize, off, size);
}

void objects_write(fuse_req_t req, struct mmfs_fh *fh, const char *buf, size_t size, off_t off)
{
	char *p = obj_ptr(fh);

	if (!p) {
		fuse_reply_err(req, ESTALE);
		return;
	}
	if (off < 0) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	if ((uint64_t)off >= fh->objsize) {
		fuse_reply_err(req, EFBIG);
		return;
	}
	size = min((uint64_t)size, fh->objsize - (uint64_t)off);
	memcpy(p + off, buf, size);
	frame_changed_kaddr(fh->kaddr);
	fuse_reply_write(req, size);
}

int objects_unlink(fuse_req_t req, int cache_id, const char *name)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	unsigned long kaddr;
	char err[128];
	struct uobj o;
	char *end;

	if (strncmp(name, "0x", 2))
		return -ENOENT;
	errno = 0;
	kaddr = strtoul(name + 2, &end, 16);
	if (errno || *end)
		return -ENOENT;
	if (!uobj_find(kaddr, &o) || o.cache_id != cache_id)
		return -ENOENT;
	if (ctx->uid && ctx->uid != o.uid)
		return -EACCES;
	mmfs_enter(req);
	return uobj_free(&o, err, sizeof(err));
}
