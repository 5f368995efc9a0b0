// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pids.c - pids/PID/{maps,smaps,pagemap,status}: the simulated address
 * space of every client that holds a frame open (fs/proc/task_mmu.c,
 * fs/proc/array.c).  The renderers are mm/'s (pgtable.h); this file only
 * names the files.
 */
#include "tree.h"

const char * const pid_file_names[] = { "maps", "smaps", "pagemap", "status" };
const int nr_pid_files = ARRAY_SIZE(pid_file_names);

char *pid_file_render(int pid, int file, size_t *len)
{
	char *t = NULL;

	switch (file) {
	case 0:
		t = mmfs_pid_maps(pid, len);
		break;
	case 1:
		t = mmfs_pid_smaps(pid, len);
		break;
	case 3:
		t = mmfs_pid_status(pid, len);
		break;
	}
	if (!t)
		errno = ENOENT;
	return t;
}

bool pid_exists(int pid)
{
	return mmfs_pid_exists(pid);
}

int *pids_list(int *n)
{
	*n = 0;
	return mmfs_pids_list(n);
}
