/* SPDX-License-Identifier: GPL-2.0-or-later */
/* control.h - the control file's command grammar (SPEC §4). */
#ifndef MMFS_FS_CONTROL_H
#define MMFS_FS_CONTROL_H
#include "tree.h"

#define CONTROL_MAX_LINE	4096	/* longer lines: EINVAL */
#define CONTROL_MAX_PENDING	(1u << 20)	/* unread replies of one open file */

/* Run every line of one write() in order, stop at the first failure.
 * Replies are appended to fh->buf.  0 or -errno of the failed command. */
int control_write(fuse_req_t req, struct mmfs_fh *fh, const char *buf, size_t len);
/* Hand the pending replies to a read and empty the buffer. */
void control_read(fuse_req_t req, struct mmfs_fh *fh, size_t size);
const char *errno_name(int err);

#endif /* MMFS_FS_CONTROL_H */
