/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc.h - the /proc, /sys and debugfs style renderers of mmfs
 * (mm/vmstat.c, fs/proc/meminfo.c, fs/proc/page.c, mm/page_owner.c,
 * kernel/sysctl.c + mm/page_alloc.c sysctl handlers, lib/fault-inject.c).
 *
 * Pure functions from memory-manager state to text: no FUSE here.  The
 * daemon (fs/main.c, fs/tree.c) maps files to these calls.
 *
 * Text renderers return a malloc'd, NUL-terminated buffer (the caller
 * frees) and its length (without the NUL) in *len; NULL with errno set
 * (ENOENT: unknown name / node / zone, ENOMEM) on failure.
 */
#ifndef MMFS_FS_PROC_H
#define MMFS_FS_PROC_H
#include <stddef.h>
#include <stdint.h>

/* Top-level files: "meminfo", "buddyinfo", "pagetypeinfo", "zoneinfo",
 * "vmstat", "iomem", "page_owner", "extfrag_index", "unusable_index". */
char *proc_render(const char *name, size_t *len);

/* nodes/nodeN/: "meminfo", "cpulist", "distance"
 * (as /sys/devices/system/node/nodeN/...). */
char *proc_node_render(int nid, const char *name, size_t *len);

/* nodes/nodeN/zones/ZONE/ (zone_idx = enum zone_type): "free_area",
 * "watermarks", "spanned", "present", "managed", "start_pfn",
 * "protection", "pcp", "stats". */
char *proc_zone_render(int nid, int zone_idx, const char *name, size_t *len);

/* "kpageflags", "kpagecount": one u64 per pfn.  off and len multiples of
 * 8 (else -EINVAL); returns bytes copied, 0 at or past the end, -ENOENT
 * for an unknown name. */
long proc_kpage_read(const char *name, uint64_t off, void *buf, size_t len);
uint64_t proc_kpage_size(void);			/* max_pfn * 8 */

/* sys/vm/: NULL-terminated list of names. */
const char * const *proc_sysvm_names(void);
char *proc_sysvm_show(const char *name, size_t *len);
/* 0, -EINVAL (bad value, nothing changed), -ENOENT (no such file). */
int proc_sysvm_store(const char *name, const char *buf, size_t len);

/* sys/kernel/fail_page_alloc/: "probability", "interval", "times", "space". */
const char * const *proc_failattr_names(void);
char *proc_failattr_show(const char *name, size_t *len);
int proc_failattr_store(const char *name, const char *buf, size_t len);

#endif /* MMFS_FS_PROC_H */
