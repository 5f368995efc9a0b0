// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * control.c - the control file (SPEC §4): one command per line, the first
 * word the kernel function, the rest key=value.  Tokenise, look the command
 * up in a table, parse its arguments against the command's key list, call
 * the checked mmfs_* entry point of mm/ as the writing client (uid, pid,
 * comm), reply "ok ..." or "error ERRNAME: text".  A failed command fails
 * the write() with its errno, is reported in log, and changes nothing (the
 * checked entry points validate before they change anything).
 *
 * Replies are bounded: each command declares the longest "ok" line it can
 * give, and a write whose lines could take one open file's unread replies
 * past CONTROL_MAX_PENDING fails with ENOBUFS before anything runs (SPEC
 * §6).  Every byte of a reply that is not printable is escaped (\x1b), as
 * printk does for log.  A long batch gives up the CPU every
 * CONTROL_SLICE_NS so that other clients' requests, served by the other
 * session threads, are not starved by one writer.
 *
 * Lock order: fh->lock (reply buffer), then mm/ locks.
 */
#include <sched.h>
#include <stdarg.h>
#include <time.h>
#include "control.h"
#include "frames.h"

struct cmd_args {
	const char *key[8];
	const char *val[8];
	int n;
};

#define CMD_REPLY_LEN	1024
#define LOOKUP_LEN	512	/* lookup's text */
/* the longest reply line of free text (reply[] escaped, "ok"/"error", \n) */
#define REPLY_TEXT_MAX	(4 * CMD_REPLY_LEN + 32)
/* validate's report in its reply line; the log keeps its head too */
#define REPLY_REPORT_MAX	(64 << 10)
/* the one error line a write can end with */
#define REPLY_ERROR_MAX	(REPLY_TEXT_MAX + REPLY_REPORT_MAX)
#define CONTROL_SLICE_NS	(2 * 1000 * 1000)

struct cmd_ctx {
	fuse_req_t req;
	unsigned int uid;
	struct cmd_args a;
	char reply[CMD_REPLY_LEN];	/* "ok ..." (without "ok") or the error text */
	char *longreply;		/* validate's report (malloc'd) */
};

struct control_cmd {
	const char *name;
	const char *keys;		/* accepted keys, space separated */
	const char *required;		/* required keys, space separated */
	int (*fn)(struct cmd_ctx *c);
	unsigned int reply_max;		/* the longest "ok ...\n" line it gives */
};

/* ---- errno names ---- */
static const struct { int err; const char *name; } errnames[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" }, { EIO, "EIO" },
	{ E2BIG, "E2BIG" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
	{ ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" },
	{ ENAMETOOLONG, "ENAMETOOLONG" }, { EUCLEAN, "EUCLEAN" },
	{ EOVERFLOW, "EOVERFLOW" }, { EDQUOT, "EDQUOT" }, { ESTALE, "ESTALE" },
};

const char *errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errnames); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	return "EIO";
}

/* ---- argument parsing ---- */
static const char *arg(struct cmd_ctx *c, const char *key)
{
	int i;

	for (i = 0; i < c->a.n; i++)
		if (!strcmp(c->a.key[i], key))
			return c->a.val[i];
	return NULL;
}

static int fail(struct cmd_ctx *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct cmd_ctx *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->reply, sizeof(c->reply), fmt, ap);
	va_end(ap);
	return -err;
}

static int parse_ulong(const char *s, unsigned long *v)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

static int arg_ulong(struct cmd_ctx *c, const char *key, unsigned long *v, unsigned long def)
{
	const char *s = arg(c, key);

	if (!s) {
		*v = def;
		return 0;
	}
	if (parse_ulong(s, v))
		return fail(c, EINVAL, "bad number %s=%s", key, s);
	return 0;
}

static int arg_nid(struct cmd_ctx *c, int *nid)
{
	const char *s = arg(c, "nid");
	unsigned long v;

	*nid = NUMA_NO_NODE;
	if (!s)
		return 0;
	if (parse_ulong(s, &v) || v >= (unsigned long)nr_online_nodes)
		return fail(c, EINVAL, "bad node nid=%s", s);
	*nid = (int)v;
	return 0;
}

static int arg_gfp(struct cmd_ctx *c, gfp_t *gfp)
{
	const char *s = arg(c, "gfp");

	*gfp = GFP_KERNEL;
	if (!s)
		return 0;
	if (gfp_parse(s, gfp))
		return fail(c, EINVAL, "bad gfp %s", s);
	return 0;
}

static int arg_pfn(struct cmd_ctx *c, unsigned long *pfn)
{
	return arg_ulong(c, "pfn", pfn, 0);
}

static int arg_obj(struct cmd_ctx *c, unsigned long *obj)
{
	return arg_ulong(c, "obj", obj, 0);
}

/* user_limit: would uid hold more than the limit with 'more' bytes? */
static int check_limit(struct cmd_ctx *c, uint64_t more)
{
	if (!mmfs_user_limit)
		return 0;
	if (user_bytes(c->uid) + more > mmfs_user_limit)
		return fail(c, ENOMEM, "user_limit reached for uid %u (%llu bytes held)",
			    c->uid, (unsigned long long)user_bytes(c->uid));
	return 0;
}

static int check_owner(struct cmd_ctx *c, unsigned long pfn, struct frame_info *fi)
{
	if (fi->kind != MMFS_OWNER_USER)
		return fail(c, EPERM, "pfn 0x%lx belongs to the kernel", pfn);
	if (c->uid && fi->uid != c->uid)
		return fail(c, EACCES, "pfn 0x%lx belongs to uid %u", pfn, fi->uid);
	return 0;
}

/* A user block: only its owner (or root) may free, get or kmap it. */
static int check_block(struct cmd_ctx *c, unsigned long pfn, struct frame_info *fi)
{
	if (!frame_get(pfn, fi)) {
		if (frame_get_held(pfn, fi) && fi->dropped)
			return fail(c, EINVAL, "pfn 0x%lx was freed; references keep it until the last put_page, kunmap or unpin",
				    pfn);
		return fail(c, EINVAL, "pfn 0x%lx is not the head of an allocated block", pfn);
	}
	return check_owner(c, pfn, fi);
}

/* put_page and kunmap also reach a block its owner freed while references
 * keep it (SPEC §6): the owner or root lets the last of them go. */
static int check_held_block(struct cmd_ctx *c, unsigned long pfn, struct frame_info *fi)
{
	if (!frame_get_held(pfn, fi))
		return fail(c, EINVAL, "pfn 0x%lx is not the head of an allocated block", pfn);
	return check_owner(c, pfn, fi);
}

/* ---- the commands ---- */
static int cmd_alloc_pages(struct cmd_ctx *c)
{
	unsigned long order;
	struct page *page;
	struct page_owner *po;
	gfp_t gfp;
	int nid, ret;

	if ((ret = arg_ulong(c, "order", &order, 0)) || (ret = arg_gfp(c, &gfp)) ||
	    (ret = arg_nid(c, &nid)))
		return ret;
	if (order > MAX_PAGE_ORDER)
		return fail(c, EINVAL, "order %lu > %d", order, MAX_PAGE_ORDER);
	if ((ret = check_limit(c, (uint64_t)PAGE_SIZE << order)))
		return ret;
	/* a block reaching a user is zeroed */
	ret = mmfs_alloc_pages_checked(gfp | __GFP_ZERO, (int)order, nid, &page);
	if (ret)
		return fail(c, -ret, ret == -ENOMEM ? "page allocation failure: order:%lu" :
			    "alloc_pages order=%lu refused", order);
	mmfs_set_owner(page, MMFS_OWNER_USER, c->uid);
	po = get_page_owner(page);
	ublock_add(page_to_pfn(page), (unsigned int)order, po ? po->wall_ns : 0, c->uid);
	snprintf(c->reply, sizeof(c->reply), " pfn=0x%lx order=%lu", page_to_pfn(page), order);
	return 0;
}

static int cmd_free_pages(struct cmd_ctx *c)
{
	struct frame_info fi;
	unsigned long pfn;
	int ret;

	if ((ret = arg_pfn(c, &pfn)) || (ret = check_block(c, pfn, &fi)))
		return ret;
	ret = mmfs_free_block(pfn);
	if (ret)
		return fail(c, -ret, "free_pages pfn=0x%lx refused", pfn);
	frame_changed(pfn);
	{
		char name[24];

		snprintf(name, sizeof(name), "0x%lx", pfn);
		mmfs_notify_inval_entry(mmfs_frames_dir_ino(), name);
	}
	return 0;
}

static int cmd_get_put(struct cmd_ctx *c, bool get)
{
	struct frame_info fi;
	unsigned long pfn;
	int ret, ref = 0;

	if ((ret = arg_pfn(c, &pfn)) ||
	    (ret = get ? check_block(c, pfn, &fi) : check_held_block(c, pfn, &fi)))
		return ret;
	ret = get ? mmfs_get_page(pfn, &ref) : mmfs_put_page(pfn, &ref);
	if (ret)
		return fail(c, -ret, "%s pfn=0x%lx refused", get ? "get_page" : "put_page", pfn);
	if (!get && ref == 0)
		frame_changed(pfn);
	snprintf(c->reply, sizeof(c->reply), " refcount=%d", ref);
	return 0;
}

static int cmd_get_page(struct cmd_ctx *c) { return cmd_get_put(c, true); }
static int cmd_put_page(struct cmd_ctx *c) { return cmd_get_put(c, false); }

static int cmd_kmem_cache_create(struct cmd_ctx *c)
{
	unsigned long size, align;
	char err[256] = "";
	int ret;

	if ((ret = arg_ulong(c, "size", &size, 0)) || (ret = arg_ulong(c, "align", &align, 0)))
		return ret;
	if (size > UINT32_MAX || align > UINT32_MAX)
		return fail(c, EINVAL, "size or align too large");
	ret = mmfs_kmem_cache_create(arg(c, "name"), (unsigned int)size, (unsigned int)align,
				     arg(c, "flags") ? arg(c, "flags") : "", err, sizeof(err));
	if (ret)
		return fail(c, -ret, "%s", *err ? err : "kmem_cache_create refused");
	return 0;
}

static int cmd_kmem_cache_destroy(struct cmd_ctx *c)
{
	char err[256] = "";
	int ret;

	ret = mmfs_kmem_cache_destroy(arg(c, "name"), err, sizeof(err));
	if (ret)
		return fail(c, -ret, "%s", *err ? err : "kmem_cache_destroy refused");
	return 0;
}

static int cmd_kmem_cache_shrink(struct cmd_ctx *c)
{
	int ret;

	ret = mmfs_kmem_cache_shrink(arg(c, "name"));
	if (ret < 0)
		return fail(c, -ret, "kmem_cache_shrink %s refused", arg(c, "name"));
	return 0;
}

static int cmd_kmem_cache_alloc(struct cmd_ctx *c)
{
	const char *name = arg(c, "name");
	unsigned long kaddr;
	unsigned int objsize = 0;
	struct uobj o;
	gfp_t gfp;
	int nid, ret, id;

	if ((ret = arg_gfp(c, &gfp)) || (ret = arg_nid(c, &nid)))
		return ret;
	if (!mmfs_cache_exists(name))
		return fail(c, ENOENT, "no cache %s", name);
	if (mmfs_user_limit) {
		char sz[32] = "";
		long n = mmfs_cache_attr_show(name, "object_size", sz, sizeof(sz));

		if ((ret = check_limit(c, n > 0 ? strtoull(sz, NULL, 10) : 0)))
			return ret;
	}
	id = cache_id_of(name);
	if (id < 0)
		return fail(c, ENOMEM, "out of memory");
	ret = mmfs_kmem_cache_alloc(name, gfp | __GFP_ZERO, nid, &kaddr, &objsize);
	if (ret)
		return fail(c, -ret, "kmem_cache_alloc %s failed", name);
	o = (struct uobj){ .kaddr = kaddr, .uid = c->uid, .cache_id = id, .size = objsize };
	if (uobj_add(&o)) {
		mmfs_kmem_cache_free(name, kaddr, NULL, 0);
		return fail(c, ENOMEM, "out of memory");
	}
	frame_changed_kaddr(kaddr);
	snprintf(c->reply, sizeof(c->reply), " obj=0x%lx", kaddr);
	return 0;
}

static int check_obj(struct cmd_ctx *c, unsigned long kaddr, struct uobj *o)
{
	if (!uobj_find(kaddr, o)) {
		char cache[64];
		unsigned long start;
		unsigned int sz;

		if (!mmfs_slab_object_at(kaddr, cache, sizeof(cache), &start, &sz) && start == kaddr)
			return fail(c, EPERM, "object 0x%lx belongs to the kernel", kaddr);
		return fail(c, EINVAL, "0x%lx is not an allocated object", kaddr);
	}
	if (c->uid && o->uid != c->uid)
		return fail(c, EACCES, "object 0x%lx belongs to uid %u", kaddr, o->uid);
	return 0;
}

static int cmd_kmem_cache_free(struct cmd_ctx *c)
{
	const char *name = arg(c, "name");
	unsigned long kaddr;
	char err[256] = "";
	struct uobj o;
	int ret;

	if ((ret = arg_obj(c, &kaddr)))
		return ret;
	if (!mmfs_cache_exists(name))
		return fail(c, ENOENT, "no cache %s", name);
	if ((ret = check_obj(c, kaddr, &o)))
		return ret;
	if (o.kmalloc || o.cache_id != cache_id_of(name))
		return fail(c, EINVAL, "object 0x%lx is not from cache %s", kaddr, name);
	ret = uobj_free(&o, err, sizeof(err));
	if (ret)
		return fail(c, -ret, "%s", *err ? err : "kmem_cache_free refused");
	return 0;
}

static int cmd_kmalloc(struct cmd_ctx *c)
{
	const char *s = arg(c, "size");
	char cache[64] = "";
	uint64_t size;
	unsigned long kaddr;
	struct uobj o;
	gfp_t gfp;
	int nid, ret;

	if (mm_parse_size(s, &size) || size > (1ULL << 31))
		return fail(c, EINVAL, "bad size=%s", s);
	if ((ret = arg_gfp(c, &gfp)) || (ret = arg_nid(c, &nid)))
		return ret;
	if ((ret = check_limit(c, size)))
		return ret;
	ret = mmfs_kmalloc(size, gfp | __GFP_ZERO, nid, &kaddr, cache, sizeof(cache));
	if (ret)
		return fail(c, -ret, "kmalloc size=%llu failed", (unsigned long long)size);
	o = (struct uobj){ .kaddr = kaddr, .uid = c->uid, .cache_id = *cache ? cache_id_of(cache) : -1,
			   .size = (unsigned int)size, .kmalloc = true };
	if (*cache) {
		size_t ks;

		if (!mmfs_ksize(kaddr, &ks))
			o.size = (unsigned int)ks;
	}
	if (uobj_add(&o)) {
		mmfs_kfree(kaddr, NULL, 0);
		return fail(c, ENOMEM, "out of memory");
	}
	frame_changed_kaddr(kaddr);
	if (*cache)
		snprintf(c->reply, sizeof(c->reply), " obj=0x%lx cache=%s", kaddr, cache);
	else
		snprintf(c->reply, sizeof(c->reply), " obj=0x%lx pfn=0x%lx order=%d", kaddr,
			 mmfs_virt_to_pfn(mmfs_kaddr_to_ptr(kaddr)), get_order(size));
	return 0;
}

static int cmd_kfree(struct cmd_ctx *c)
{
	unsigned long kaddr;
	char err[256] = "";
	struct uobj o;
	int ret;

	if ((ret = arg_obj(c, &kaddr)) || (ret = check_obj(c, kaddr, &o)))
		return ret;
	if (!o.kmalloc)
		return fail(c, EINVAL, "object 0x%lx came from kmem_cache_alloc", kaddr);
	ret = uobj_free(&o, err, sizeof(err));
	if (ret)
		return fail(c, -ret, "%s", *err ? err : "kfree refused");
	return 0;
}

static int cmd_ksize(struct cmd_ctx *c)
{
	unsigned long kaddr;
	size_t size;
	int ret;

	if ((ret = arg_obj(c, &kaddr)))
		return ret;
	ret = mmfs_ksize(kaddr, &size);
	if (ret)
		return fail(c, -ret, "0x%lx is not an allocated object", kaddr);
	snprintf(c->reply, sizeof(c->reply), " size=%zu", size);
	return 0;
}

static int cmd_kmap(struct cmd_ctx *c)
{
	struct frame_info fi;
	unsigned long pfn, vaddr;
	int ret;

	if ((ret = arg_pfn(c, &pfn)) || (ret = check_block(c, pfn, &fi)))
		return ret;
	ret = mmfs_kmap_block(pfn, &vaddr);
	if (ret)
		return fail(c, -ret, ret == -EAGAIN ? "every pkmap slot is in use" :
			    "kmap pfn=0x%lx refused", pfn);
	snprintf(c->reply, sizeof(c->reply), " vaddr=0x%lx", vaddr);
	return 0;
}

static int cmd_kunmap(struct cmd_ctx *c)
{
	struct frame_info fi;
	unsigned long pfn;
	int ret, ref = 0;

	if ((ret = arg_pfn(c, &pfn)) || (ret = check_held_block(c, pfn, &fi)))
		return ret;
	ret = mmfs_kunmap_block(pfn, &ref);
	if (ret)
		return fail(c, -ret, "pfn 0x%lx is not kmapped through control", pfn);
	if (ref == 0)
		frame_changed(pfn);
	return 0;
}

static int cmd_drain_all_pages(struct cmd_ctx *c)
{
	drain_all_pages(NULL);
	return 0;
}

static int cmd_lookup(struct cmd_ctx *c)
{
	const char *sa = arg(c, "addr"), *sp = arg(c, "pfn");
	unsigned long v, pfn;
	char buf[LOOKUP_LEN] = "";
	size_t n;
	void *p;
	int ret;

	if (!!sa == !!sp)
		return fail(c, EINVAL, "lookup takes addr= or pfn=");
	if (parse_ulong(sa ? sa : sp, &v))
		return fail(c, EINVAL, "bad number %s", sa ? sa : sp);
	if (sa) {
		/* the direct map, or a range a subsystem owns (the pkmap window) */
		ret = mmfs_lookup_addr(v, buf, sizeof(buf));
		if (ret < 0) {
			p = mmfs_kaddr_to_ptr(v);
			if (!p)
				return fail(c, EINVAL, "0x%lx is not a kernel address mmfs knows", v);
			pfn = mmfs_virt_to_pfn(p);
			return fail(c, -ret, "pfn 0x%lx has no struct page", pfn);
		}
	} else {
		pfn = v;
		ret = mmfs_lookup_pfn(pfn, buf, sizeof(buf));
		if (ret < 0)
			return fail(c, -ret, "pfn 0x%lx has no struct page", pfn);
	}
	n = strnlen(buf, sizeof(buf));
	while (n && buf[n - 1] == '\n')
		buf[--n] = 0;
	if (sa) {
		char cache[64];
		unsigned long start;
		unsigned int objsize;

		if (!mmfs_slab_object_at(v, cache, sizeof(cache), &start, &objsize) &&
		    !strstr(buf, " cache="))
			snprintf(buf + n, sizeof(buf) - n, " cache=%s obj=0x%lx objsize=%u",
				 cache, start, objsize);
	}
	snprintf(c->reply, sizeof(c->reply), " %s", buf);
	return 0;
}

static int cmd_validate(struct cmd_ctx *c)
{
	char *report = NULL;
	int n = mm_validate(&report);

	if (n > 0) {
		size_t i, len = report ? strlen(report) : 0;

		while (len && report[len - 1] == '\n')
			report[--len] = 0;
		for (i = 0; i < len; i++)	/* one reply line */
			if (report[i] == '\n')
				report[i] = ';';
		c->longreply = report;
		snprintf(c->reply, sizeof(c->reply), "%d violation%s", n, n == 1 ? "" : "s");
		return -EUCLEAN;
	}
	free(report);
	return 0;
}

/* reply_max: "ok" + what the command prints + "\n"; numbers at their widest
 * (a 64-bit 0x... is 18 bytes, a decimal int 11), names at 64 bytes */
#define RPL_OK		3
#define RPL_NUM		20
#define RPL_CACHE		(7 + 64)
/* lookup's line is at most LOOKUP_LEN bytes of text, with room for a comm
 * of 16 bytes shown escaped (a longer escaped line is cut) */
#define RPL_LOOKUP		(RPL_OK + LOOKUP_LEN + 3 * 16)
static const struct control_cmd control_cmds[] = {
	{ "alloc_pages",	"order gfp nid",	"order",	cmd_alloc_pages,
	  RPL_OK + 5 + RPL_NUM + 7 + RPL_NUM },
	{ "free_pages",		"pfn",			"pfn",		cmd_free_pages,	RPL_OK },
	{ "get_page",		"pfn",			"pfn",		cmd_get_page,	RPL_OK + 10 + RPL_NUM },
	{ "put_page",		"pfn",			"pfn",		cmd_put_page,	RPL_OK + 10 + RPL_NUM },
	{ "kmem_cache_create",	"name size align flags", "name size",	cmd_kmem_cache_create, RPL_OK },
	{ "kmem_cache_destroy",	"name",			"name",		cmd_kmem_cache_destroy, RPL_OK },
	{ "kmem_cache_shrink",	"name",			"name",		cmd_kmem_cache_shrink, RPL_OK },
	{ "kmem_cache_alloc",	"name gfp nid",		"name",		cmd_kmem_cache_alloc,
	  RPL_OK + 5 + RPL_NUM },
	{ "kmem_cache_free",	"name obj",		"name obj",	cmd_kmem_cache_free, RPL_OK },
	{ "kmalloc",		"size gfp nid",		"size",		cmd_kmalloc,
	  RPL_OK + 5 + RPL_NUM + RPL_CACHE + 5 + RPL_NUM + 7 + RPL_NUM },
	{ "kfree",		"obj",			"obj",		cmd_kfree,	RPL_OK },
	{ "ksize",		"obj",			"obj",		cmd_ksize,	RPL_OK + 6 + RPL_NUM },
	{ "kmap",		"pfn",			"pfn",		cmd_kmap,	RPL_OK + 7 + RPL_NUM },
	{ "kunmap",		"pfn",			"pfn",		cmd_kunmap,	RPL_OK },
	{ "drain_all_pages",	"",			"",		cmd_drain_all_pages, RPL_OK },
	{ "lookup",		"addr pfn",		"",		cmd_lookup,	RPL_LOOKUP },
	{ "validate",		"",			"",		cmd_validate,	RPL_OK },
};

static const struct control_cmd *find_cmd(const char *word, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(control_cmds); i++)
		if (strlen(control_cmds[i].name) == n && !memcmp(control_cmds[i].name, word, n))
			return &control_cmds[i];
	return NULL;
}

static bool word_in(const char *word, const char *list)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

/* Tokenise one line in place and run it.  0 or -errno (reply in c). */
static int run_line(struct cmd_ctx *c, char *line, const struct control_cmd **cmdp)
{
	const struct control_cmd *cmd = NULL;
	char *save, *tok, *word;
	const char *p;

	*cmdp = NULL;
	word = strtok_r(line, " \t\r", &save);
	if (!word)
		return 1;		/* empty line */
	cmd = find_cmd(word, strlen(word));
	if (!cmd)
		return fail(c, EINVAL, "unknown command '%.64s'", word);
	*cmdp = cmd;
	c->a.n = 0;
	while ((tok = strtok_r(NULL, " \t\r", &save))) {
		char *eq = strchr(tok, '=');

		if (!eq || eq == tok)
			return fail(c, EINVAL, "%s: argument '%.64s' is not key=value", cmd->name, tok);
		*eq = 0;
		if (!word_in(tok, cmd->keys))
			return fail(c, EINVAL, "%s: unknown key '%.64s'", cmd->name, tok);
		if (arg(c, tok))
			return fail(c, EINVAL, "%s: key '%.64s' given twice", cmd->name, tok);
		if (c->a.n == (int)ARRAY_SIZE(c->a.key))
			return fail(c, EINVAL, "%s: too many arguments", cmd->name);
		c->a.key[c->a.n] = tok;
		c->a.val[c->a.n++] = eq + 1;
	}
	for (p = cmd->required; *p; ) {
		char key[32];
		size_t n = strcspn(p, " ");

		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		if (!arg(c, key))
			return fail(c, EINVAL, "%s: missing %s=", cmd->name, key);
		p += n;
		while (*p == ' ')
			p++;
	}
	return cmd->fn(c);
}

static void reply_append(struct mmfs_fh *fh, const char *s, size_t n)
{
	if (fh->len + n + 1 > fh->cap) {
		size_t cap = max(fh->cap * 2, fh->len + n + 1 + 256);
		char *b = realloc(fh->buf, cap);

		if (!b)
			return;
		fh->buf = b;
		fh->cap = cap;
	}
	memcpy(fh->buf + fh->len, s, n);
	fh->len += n;
}

/* One reply line, its bytes escaped (at most @max of them), then '\n'. */
static void reply_line(struct mmfs_fh *fh, size_t max, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void reply_line(struct mmfs_fh *fh, size_t max, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL, *e;
	size_t n;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	n = min((size_t)len * 4 + 1, max);
	e = malloc(n + 1);
	if (e) {
		n = string_escape_np(s, (size_t)len, e, n);
		e[n++] = '\n';
		reply_append(fh, e, n);
	}
	free(e);
	free(s);
}

/*
 * The most the replies of the lines in buf can add to fh->buf: each
 * command's longest "ok" line, and one error line (a write stops at its
 * first failure).  An unknown command fails, so it adds only that line.
 */
static size_t replies_bound(const char *buf, size_t len)
{
	size_t bound = REPLY_ERROR_MAX, i = 0;

	while (i < len) {
		const char *line = buf + i, *nl = memchr(line, '\n', len - i);
		size_t n = nl ? (size_t)(nl - line) : len - i, w = 0, k;
		const struct control_cmd *cmd;

		i += n + 1;
		while (w < n && (line[w] == ' ' || line[w] == '\t' || line[w] == '\r'))
			w++;
		for (k = w; k < n && line[k] != ' ' && line[k] != '\t' && line[k] != '\r'; k++)
			;
		if (k == w)
			continue;	/* empty line: no reply */
		cmd = find_cmd(line + w, k - w);
		if (!cmd)
			break;		/* fails: its error line is counted */
		bound += cmd->reply_max;
	}
	return bound;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int control_write(fuse_req_t req, struct mmfs_fh *fh, const char *buf, size_t len)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	const struct control_cmd *cmd;
	char *copy, *line, *next;
	uint64_t slice;
	size_t pending, bound;
	int ret = 0;

	pthread_mutex_lock(&fh->lock);
	pending = fh->len;
	bound = replies_bound(buf, len);
	if (pending + bound > CONTROL_MAX_PENDING) {
		pthread_mutex_unlock(&fh->lock);
		printk("mmfs: control: error ENOBUFS: %zu bytes of replies unread on this file and up to %zu more from this write would pass %u: read the replies or write fewer lines; nothing was run\n",
		       pending, bound, CONTROL_MAX_PENDING);
		return -ENOBUFS;
	}
	if (memchr(buf, 0, len)) {
		reply_line(fh, REPLY_TEXT_MAX, "error EINVAL: NUL byte in command");
		pthread_mutex_unlock(&fh->lock);
		printk("mmfs: control: error EINVAL: NUL byte in command\n");
		return -EINVAL;
	}
	copy = malloc(len + 1);
	if (!copy) {
		pthread_mutex_unlock(&fh->lock);
		return -ENOMEM;
	}
	memcpy(copy, buf, len);
	copy[len] = 0;
	mmfs_enter(req);
	slice = now_ns();
	for (line = copy; line && *line; line = next) {
		struct cmd_ctx c = { .req = req, .uid = ctx->uid };
		char shown[4 * 80 + 4];
		size_t n;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		/* one writer's long batch leaves the CPU to the others now and then */
		if (now_ns() - slice > CONTROL_SLICE_NS) {
			sched_yield();
			slice = now_ns();
		}
		n = strlen(line);
		string_escape_np(line, min(n, (size_t)80), shown, sizeof(shown) - 3);
		if (n > 80)
			strcat(shown, "...");
		if (n > CONTROL_MAX_LINE) {
			cmd = NULL;
			ret = fail(&c, EINVAL, "line longer than %d bytes", CONTROL_MAX_LINE);
		} else {
			ret = run_line(&c, line, &cmd);
		}
		if (ret == 1) {		/* empty line */
			ret = 0;
			continue;
		}
		if (ret == 0) {
			reply_line(fh, cmd->reply_max, "ok%s", c.reply);
			continue;
		}
		if (c.longreply) {
			reply_line(fh, REPLY_ERROR_MAX, "error %s: %s: %s", errno_name(-ret), c.reply,
				   c.longreply);
			printk("mmfs: control: validate: error %s: %s: %s\n", errno_name(-ret),
			       c.reply, c.longreply);
			free(c.longreply);
		} else {
			reply_line(fh, REPLY_TEXT_MAX, "error %s: %s", errno_name(-ret), c.reply);
			printk("mmfs: control: '%s': error %s: %s\n", shown, errno_name(-ret), c.reply);
		}
		break;
	}
	pthread_mutex_unlock(&fh->lock);
	free(copy);
	return ret;
}

void control_read(fuse_req_t req, struct mmfs_fh *fh, size_t size)
{
	char *out;
	size_t n;

	pthread_mutex_lock(&fh->lock);
	n = min(size, fh->len);
	/* whole lines only, unless one line is larger than the read */
	if (n < fh->len) {
		size_t k = n;

		while (k && fh->buf[k - 1] != '\n')
			k--;
		if (k)
			n = k;
	}
	out = malloc(n ? n : 1);
	if (out && n) {		/* nothing pending: buf may still be NULL */
		memcpy(out, fh->buf, n);
		memmove(fh->buf, fh->buf + n, fh->len - n);
		fh->len -= n;
	}
	pthread_mutex_unlock(&fh->lock);
	/* the reply comes last: once it is sent, a release may free fh */
	if (!out)
		fuse_reply_err(req, ENOMEM);
	else
		fuse_reply_buf(req, out, n);
	free(out);
}
