// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_control.c - libFuzzer target: any bytes written to the control file.
 *
 * The input goes straight into fs/control.c's control_write() (the parser
 * and dispatcher behind a write() on control), without FUSE: this harness
 * links fs/ without main.c, provides main.c's globals, and stands in for
 * the two libfuse calls the control path makes (fuse_req_ctx for the
 * writer's uid/pid, fuse_reply_buf for control_read's reply).
 *
 * Input: the bytes are cut at 0x1e (record separator) into separate
 * write() calls on one control handle; after each, the pending replies are
 * read back with a read size taken from the input.  Unread replies never
 * pass CONTROL_MAX_PENDING, and a write refused with ENOBUFS adds none.  A leading '!' runs the
 * input as uid 1000 (an unprivileged user) instead of root.
 *
 * After each input everything the commands allocated is released (blocks,
 * kmaps, objects, caches), then: mm_validate() must report nothing, no
 * page block may be left allocated, and the daemon's per-uid accounting
 * (user_bytes, behind user_limit) must be back to zero.  Any violation
 * aborts.  Machine: mem=32M, 2 nodes, 8M highmem, 2 cpus, user_limit=16M.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sanitizer/lsan_interface.h>

#include "tree.h"
#include "control.h"
#include "frames.h"

/* ---- what fs/main.c provides to the rest of fs/ ---- */
struct fuse_session *mmfs_se;
bool mmfs_allow_other;
uint64_t mmfs_user_limit;

static struct fuse_ctx fake_ctx;
static size_t replied;		/* bytes handed to the last fake read */

void mmfs_enter(fuse_req_t req)
{
	mmfs_set_current(fake_ctx.uid, fake_ctx.pid, "fuzz_control");
}

/* The libfuse calls on the control path, answered without a session.
 * Defined here, they take precedence over libfuse's for this program. */
const struct fuse_ctx *fuse_req_ctx(fuse_req_t req)
{
	return &fake_ctx;
}

int fuse_reply_buf(fuse_req_t req, const char *buf, size_t size)
{
	if (size && (!buf || memchr(buf, 0, size)))	/* replies are text */
		abort();
	replied = size;
	return 0;
}

#define FUZZ_NAME "fuzz_control"
#include "fuzz_common.h"

static char *boot_caches[256];
static int nr_boot_caches;
static unsigned long baseline_blocks;

static int note_cache(const char *name, const char *alias_of, void *arg)
{
	if (nr_boot_caches < (int)ARRAY_SIZE(boot_caches))
		boot_caches[nr_boot_caches++] = strdup(name);
	return 0;
}

static bool boot_cache(const char *name)
{
	for (int i = 0; i < nr_boot_caches; i++)
		if (!strcmp(boot_caches[i], name))
			return true;
	return false;
}

struct name_list { char *names[64]; int n; };

static int note_new_cache(const char *name, const char *alias_of, void *arg)
{
	struct name_list *l = arg;

	if (!alias_of && !boot_cache(name) && l->n < (int)ARRAY_SIZE(l->names))
		l->names[l->n++] = strdup(name);
	return 0;
}

/* Undo every kmap: the pkmap table lists "slot vaddr pfn count". */
static void kunmap_all(void)
{
	size_t len = 0;
	char *t, *line, *save = NULL;

	t = mmfs_pkmap_render(&len);
	if (!t)
		return;
	for (line = strtok_r(t, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long slot, vaddr, pfn;
		int count;

		if (sscanf(line, "%lu %lx %lx %d", &slot, &vaddr, &pfn, &count) != 4)
			continue;
		while (count-- > 0 && !mmfs_kunmap(pfn))
			;
	}
	free(t);
}

static struct mmfs_fh root_fh;

static void release_all(void)
{
	unsigned long pfn;
	char err[256];
	int id;

	fake_ctx.uid = fake_ctx.gid = 0;
	/* objects users hold, cache by cache (id -1: large kmalloc) */
	for (id = -1; id < 4096; id++) {
		struct uobj *l;
		size_t n = 0;

		if (id >= 0 && !cache_name_of(id))
			break;
		l = uobj_list(id, &n);
		for (size_t i = 0; l && i < n; i++)
			if (uobj_free(&l[i], err, sizeof(err)))
				FZ_BUG("release: free of object 0x%lx: %s", l[i].kaddr, err);
		free(l);
	}
	/* caches the input created */
	{
		struct name_list nl = { .n = 0 };

		mmfs_cache_for_each(note_new_cache, &nl);
		for (int i = 0; i < nl.n; i++) {
			int ret = mmfs_kmem_cache_destroy(nl.names[i], err, sizeof(err));

			if (ret)
				FZ_BUG("release: destroy of cache %s: %d %s", nl.names[i], ret, err);
			free(nl.names[i]);
		}
	}
	/* user blocks: the owner's reference, then any kmap and get_page
	 * references; then any slot a kmap of another block left */
	for (pfn = 0; (pfn = mmfs_next_allocated_block(pfn)) != -1UL; pfn++) {
		struct page_owner *po = get_page_owner(pfn_to_page(pfn));
		int ref;

		if (!po || po->kind != MMFS_OWNER_USER)
			continue;
		if (!po->owner_dropped) {
			/* through control, as root: the daemon's own bookkeeping */
			char line[64];
			int n = snprintf(line, sizeof(line), "free_pages pfn=0x%lx\n", pfn);

			if (control_write((fuse_req_t)&fake_ctx, &root_fh, line, (size_t)n))
				FZ_BUG("release: %.*s refused: %.*s", n - 1, line, (int)root_fh.len,
				       root_fh.buf);
			root_fh.len = 0;
		}
		/* the kmaps taken through control hold references of their own */
		while (get_page_owner(pfn_to_page(pfn)) && po->kmap_refs > 0 &&
		       !mmfs_kunmap_block(pfn, &ref) && ref > 0)
			;
		while (get_page_owner(pfn_to_page(pfn)) && !mmfs_put_page(pfn, &ref) && ref > 0)
			;
	}
	kunmap_all();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct mm_config cfg;
	char err[256] = "";
	const char *opts[][2] = { { "mem", "32M" }, { "memmap", "32M@0" }, { "nodes", "2" }, { "cpus", "2" },
				  { "highmem", "8M" } };

	mm_config_default(&cfg);
	cfg.log_to_stderr = getenv("MMFS_FUZZ_LOG") != NULL;
	for (size_t i = 0; i < ARRAY_SIZE(opts); i++)
		if (mm_config_parse(&cfg, opts[i][0], opts[i][1], err, sizeof(err)))
			FZ_BUG("option %s: %s", opts[i][0], err);
	if (mm_boot(&cfg, err, sizeof(err)))
		FZ_BUG("boot failed: %s", err);
	mmfs_user_limit = 16 << 20;
	root_fh.type = FH_CONTROL;
	pthread_mutex_init(&root_fh.lock, NULL);
	INIT_LIST_HEAD(&root_fh.all);
	fake_ctx.pid = getpid();
	mmfs_cache_for_each(note_cache, NULL);
	drain_all_pages(NULL);
	validate_or_die("after boot");
	baseline_blocks = count_page_blocks();
	/* Kernel structures live in the arena (slab objects) and point to
	 * malloc'd memory: let LeakSanitizer scan it, and tear the machine
	 * down at exit so only real leaks remain. */
	__lsan_register_root_region(mmfs_arena.base, mmfs_arena.span_bytes);
	atexit(mm_shutdown);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mmfs_fh fh;
	const char *p = (const char *)data, *end = p + size;
	unsigned long left;

	memset(&fh, 0, sizeof(fh));
	fh.type = FH_CONTROL;
	pthread_mutex_init(&fh.lock, NULL);
	INIT_LIST_HEAD(&fh.all);
	fake_ctx.uid = fake_ctx.gid = 0;
	if (size && *p == '!') {
		fake_ctx.uid = fake_ctx.gid = 1000;
		p++;
	}
	while (p < end) {
		const char *rs = memchr(p, 0x1e, (size_t)(end - p));
		size_t n = rs ? (size_t)(rs - p) : (size_t)(end - p);
		size_t rd = rs && rs + 1 < end ? (unsigned char)rs[1] * 16u + 1 : 65536;
		size_t before = fh.len;
		int ret = control_write((fuse_req_t)&fake_ctx, &fh, p, n);

		if (ret > 0)
			FZ_BUG("control_write returned %d", ret);
		/* ENOBUFS runs nothing and adds nothing (the replies are full) */
		if (ret == -ENOBUFS && fh.len != before)
			FZ_BUG("a write refused with ENOBUFS added %zu bytes", fh.len - before);
		if (ret < 0 && ret != -ENOBUFS && fh.len == before && n)
			FZ_BUG("failed write (%d) without an error reply", ret);
		if (fh.len > CONTROL_MAX_PENDING)
			FZ_BUG("%zu bytes of replies pending, past the %u cap", fh.len,
			       CONTROL_MAX_PENDING);
		if (fh.len > before && fh.buf[fh.len - 1] != '\n')
			FZ_BUG("reply does not end in a newline");
		control_read((fuse_req_t)&fake_ctx, &fh, rd);
		if (replied > rd)
			FZ_BUG("read of %zu returned %zu bytes", rd, replied);
		p += n + (rs ? 1 : 0);
	}
	free(fh.buf);
	pthread_mutex_destroy(&fh.lock);

	validate_or_die("after the commands");
	release_all();
	drain_all_pages(NULL);
	validate_or_die("after release");
	left = count_page_blocks();
	if (left != baseline_blocks)
		FZ_BUG("page blocks allocated after release: %lu, at boot %lu", left, baseline_blocks);
	if (user_bytes(0) || user_bytes(1000))
		FZ_BUG("user_bytes after release: uid 0 %llu, uid 1000 %llu",
		       (unsigned long long)user_bytes(0), (unsigned long long)user_bytes(1000));
	return 0;
}
