// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * alloc_mmap.c - allocate a block through an mmfs control file, mmap its
 * frame file, write to it, read it back through pread, and free it.
 *
 *   cc -O2 -o alloc_mmap examples/alloc_mmap.c
 *   ./alloc_mmap /mnt/mm [order]
 *
 * While the frame is open, /mnt/mm/pids/<pid>/maps shows the VMA that
 * remap_pfn_range built for it, and user.mm.refcount carries the pin (+1024).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Write one command, read its reply line ("ok ..." or "error ...").
 * Returns 0, or -errno of a failed command (reply still filled in). */
static int command(int ctl, const char *cmd, char *reply, size_t len)
{
	ssize_t n;
	int err = 0;

	if (write(ctl, cmd, strlen(cmd)) < 0)
		err = -errno;
	n = read(ctl, reply, len - 1);
	reply[n > 0 ? n : 0] = 0;
	reply[strcspn(reply, "\n")] = 0;
	return err;
}

int main(int argc, char **argv)
{
	const char *mnt = argc > 1 ? argv[1] : "/mnt/mm";
	int order = argc > 2 ? atoi(argv[2]) : 0;
	char path[4096], cmd[128], reply[512], val[64], buf[32];
	unsigned long pfn;
	size_t size = 4096UL << order;
	char *map;
	int ctl, fd;

	snprintf(path, sizeof(path), "%s/control", mnt);
	ctl = open(path, O_RDWR);
	if (ctl < 0) {
		perror(path);
		return 1;
	}
	snprintf(cmd, sizeof(cmd), "alloc_pages order=%d gfp=GFP_HIGHUSER_MOVABLE\n", order);
	if (command(ctl, cmd, reply, sizeof(reply))) {
		fprintf(stderr, "alloc_pages: %s\n", reply);
		return 1;
	}
	if (sscanf(reply, "ok pfn=%lx", &pfn) != 1) {
		fprintf(stderr, "unexpected reply: %s\n", reply);
		return 1;
	}
	printf("allocated: %s\n", reply);

	snprintf(path, sizeof(path), "%s/frames/0x%lx", mnt, pfn);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	snprintf(map, size, "hello from pid %d", (int)getpid());
	msync(map, size, MS_SYNC);		/* stores reach the arena */

	if (pread(fd, buf, sizeof(buf) - 1, 0) < 0) {
		perror("pread");
		return 1;
	}
	buf[sizeof(buf) - 1] = 0;
	printf("read back: %s\n", buf);
	if (getxattr(path, "user.mm.refcount", val, sizeof(val) - 1) > 0) {
		val[strcspn(val, "\n")] = 0;
		printf("refcount while mapped: %s\n", val);
	}
	munmap(map, size);
	close(fd);

	snprintf(cmd, sizeof(cmd), "free_pages pfn=0x%lx\n", pfn);
	if (command(ctl, cmd, reply, sizeof(reply))) {
		fprintf(stderr, "free_pages: %s\n", reply);
		return 1;
	}
	printf("freed: %s\n", reply);
	close(ctl);
	return strncmp(buf, "hello from pid", 14) != 0;
}
