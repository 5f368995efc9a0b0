// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * attrs.c - sysfs-style attribute rows (fs/sysfs/file.c, drivers/base/node.c):
 * each file is {name, mode, show, store}; adding a file is adding a row.
 * The show functions only format: fs/proc.c renders the /proc formats,
 * mm/ takes its own locks.  Also the cache-name interning that gives
 * caches/NAME a stable inode number.
 *
 * Lock order: cache_ids_lock is a leaf.
 */
#include "tree.h"

#define CTX_NID(ctx)	((int)((intptr_t)(ctx) >> 8))
#define CTX_ZONE(ctx)	((int)((intptr_t)(ctx) & 0xff))

static char *node_show(const void *ctx, const char *name, size_t *len)
{
	return proc_node_render(CTX_NID(ctx), name, len);
}

const struct attr_row node_attrs[] = {
	{ "meminfo",	0444, node_show, NULL },
	{ "cpulist",	0444, node_show, NULL },
	{ "distance",	0444, node_show, NULL },
};
const int nr_node_attrs = ARRAY_SIZE(node_attrs);

static char *zone_show(const void *ctx, const char *name, size_t *len)
{
	return proc_zone_render(CTX_NID(ctx), CTX_ZONE(ctx), name, len);
}

const struct attr_row zone_attrs[] = {
	{ "free_area",	0444, zone_show, NULL },
	{ "watermarks",	0444, zone_show, NULL },
	{ "spanned",	0444, zone_show, NULL },
	{ "present",	0444, zone_show, NULL },
	{ "managed",	0444, zone_show, NULL },
	{ "start_pfn",	0444, zone_show, NULL },
	{ "protection",	0444, zone_show, NULL },
	{ "pcp",	0444, zone_show, NULL },
	{ "stats",	0444, zone_show, NULL },
};
const int nr_zone_attrs = ARRAY_SIZE(zone_attrs);

/* ---- sys/kernel/fail_page_alloc (lib/fault-inject.c debugfs files) ---- */
static char *fail_show(const void *ctx, const char *name, size_t *len)
{
	return proc_failattr_show(name, len);
}

static int fail_store(const void *ctx, const char *name, const char *buf, size_t len)
{
	return proc_failattr_store(name, buf, len);
}

const struct attr_row fail_attrs[] = {
	{ "probability", 0600, fail_show, fail_store },
	{ "interval",	 0600, fail_show, fail_store },
	{ "times",	 0600, fail_show, fail_store },
	{ "space",	 0600, fail_show, fail_store },
};
const int nr_fail_attrs = ARRAY_SIZE(fail_attrs);

/* ---- sys/vm: the names and formats are fs/proc.c's sysctl table ---- */
const char * const *mmfs_sysvm_names(void)
{
	return proc_sysvm_names();
}

int mmfs_nr_sysvm(void)
{
	const char * const *n = mmfs_sysvm_names();
	int i = 0;

	while (n[i])
		i++;
	return i;
}

char *mmfs_sysvm_show(const char *name, size_t *len)
{
	return proc_sysvm_show(name, len);
}

int mmfs_sysvm_store(const char *name, const char *buf, size_t len)
{
	return proc_sysvm_store(name, buf, len);
}

/* ---- top-level text files ---- */
char *mmfs_top_render(const char *name, size_t *len)
{
	if (!strcmp(name, "log"))
		return mm_log_snapshot(len);
	if (!strcmp(name, "slabinfo")) {
		int err = 0;
		char *t = mmfs_slabinfo_render(len, &err);

		if (!t)
			errno = -err;
		return t;
	}
	if (!strcmp(name, "pkmap")) {
		char *t = mmfs_pkmap_render(len);

		if (!t && !errno)
			errno = ENOMEM;
		return t;
	}
	return proc_render(name, len);
}

/* ---- cache ids ---- */
static pthread_mutex_t cache_ids_lock = PTHREAD_MUTEX_INITIALIZER;
static char **cache_names;
static int nr_cache_names, cap_cache_names;

int cache_id_of(const char *name)
{
	int i, id = -1;

	pthread_mutex_lock(&cache_ids_lock);
	for (i = 0; i < nr_cache_names; i++)
		if (!strcmp(cache_names[i], name)) {
			id = i;
			goto out;
		}
	if (nr_cache_names == cap_cache_names) {
		int cap = cap_cache_names ? cap_cache_names * 2 : 64;
		char **n = realloc(cache_names, cap * sizeof(*n));

		if (!n)
			goto out;
		cache_names = n;
		cap_cache_names = cap;
	}
	cache_names[nr_cache_names] = strdup(name);
	if (cache_names[nr_cache_names])
		id = nr_cache_names++;
out:
	pthread_mutex_unlock(&cache_ids_lock);
	return id;
}

const char *cache_name_of(int id)
{
	const char *n = NULL;

	pthread_mutex_lock(&cache_ids_lock);
	if (id >= 0 && id < nr_cache_names)
		n = cache_names[id];
	pthread_mutex_unlock(&cache_ids_lock);
	return n;	/* interned: never freed while the daemon runs */
}
