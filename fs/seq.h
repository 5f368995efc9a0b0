/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seq.h - the seq_file-like buffer lives in tree.h (struct seq_buf). */
#ifndef MMFS_FS_SEQ_H
#define MMFS_FS_SEQ_H
#include "tree.h"
#endif
