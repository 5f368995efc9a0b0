// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_fs.c - the daemon's costs, measured through a real mount.
 *
 *   fuse_control_cycle   write alloc_pages + read reply + write free_pages +
 *                        read reply on one fd; baseline 4 x pread of a small
 *                        sys/vm file (four bare FUSE round trips)
 *   frame_fault_4m       first touch of every page of a mapped order-10
 *                        frame; baseline the same on a /dev/shm file
 *   frame_read_4m        pread of a whole order-10 frame (page cache dropped
 *                        first, so the bytes come from the daemon); baseline
 *                        the same read of a tmpfs file
 *   frame_open_mmap_close open + mmap + touch + munmap + close of a frame;
 *                        baseline the same on /dev/shm
 *
 * Prints "BENCH name=<id> ns_per_op=<median> baseline=<what>
 * baseline_ns=<median> ratio=<ours/baseline>".  Never asserts times.
 * MMFS_BIN names the daemon (default ../../fs/mmfs from this directory),
 * MMFS_OPTS adds mount options (e.g. threads=multi).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096UL
#define ROUNDS		15

static char mnt[256];
static pid_t daemon_pid;
static int ctl = -1;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double median(uint64_t *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n % 2 ? (double)v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static void report(const char *name, double ours, const char *base, double base_ns)
{
	printf("BENCH name=%s ns_per_op=%.0f baseline=%s baseline_ns=%.0f ratio=%.2f\n",
	       name, ours, base, base_ns, base_ns > 0 ? ours / base_ns : 0.0);
	fflush(stdout);
}

static void die(const char *what)
{
	perror(what);
	if (daemon_pid > 0) {
		kill(daemon_pid, SIGTERM);
		waitpid(daemon_pid, NULL, 0);
	}
	exit(1);
}

static void mount_mmfs(void)
{
	const char *bin = getenv("MMFS_BIN") ? getenv("MMFS_BIN") : "../../fs/mmfs";
	const char *extra = getenv("MMFS_OPTS");
	char opts[512];
	struct stat st0, st;
	int i;

	snprintf(mnt, sizeof(mnt), "/tmp/mmfs-bench-XXXXXX");
	if (!mkdtemp(mnt))
		die("mkdtemp");
	stat(mnt, &st0);
	snprintf(opts, sizeof(opts), "mem=256M%s%s", extra ? "," : "", extra ? extra : "");
	daemon_pid = fork();
	if (daemon_pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 2);
		execl(bin, "mmfs", "-f", "-o", opts, mnt, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 500; i++) {
		if (!stat(mnt, &st) && st.st_dev != st0.st_dev)
			break;
		usleep(10000);
	}
	if (st.st_dev == st0.st_dev) {
		fprintf(stderr, "bench_fs: %s did not mount\n", bin);
		exit(1);
	}
}

static void umount_mmfs(void)
{
	char cmd[300];
	int status;

	if (ctl >= 0)
		close(ctl);
	snprintf(cmd, sizeof(cmd), "fusermount3 -u %s", mnt);
	if (system(cmd))
		kill(daemon_pid, SIGTERM);
	waitpid(daemon_pid, &status, 0);
	rmdir(mnt);
}

static char *path_of(const char *rel)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", mnt, rel);
	return p;
}

static unsigned long ctl_alloc(int order)
{
	char buf[256], *s;
	ssize_t n;

	n = snprintf(buf, sizeof(buf), "alloc_pages order=%d\n", order);
	if (write(ctl, buf, n) != n)
		die("alloc_pages");
	n = read(ctl, buf, sizeof(buf) - 1);
	if (n <= 0)
		die("read reply");
	buf[n] = 0;
	s = strstr(buf, "pfn=");
	if (!s)
		die("reply");
	return strtoul(s + 4, NULL, 16);
}

static void ctl_free(unsigned long pfn)
{
	char buf[256];
	ssize_t n = snprintf(buf, sizeof(buf), "free_pages pfn=0x%lx\n", pfn);

	if (write(ctl, buf, n) != n)
		die("free_pages");
	if (read(ctl, buf, sizeof(buf)) <= 0)
		die("read reply");
}

static void bench_control_cycle(void)
{
	uint64_t ours[ROUNDS], base[ROUNDS];
	const int iters = 300;
	char buf[64];
	int r, i, fd;

	fd = open(path_of("sys/vm/watermark_scale_factor"), O_RDONLY);
	if (fd < 0)
		die("open sys/vm");
	for (r = 0; r < ROUNDS; r++) {
		uint64_t t0 = now_ns();

		for (i = 0; i < iters; i++)
			ctl_free(ctl_alloc(0));
		ours[r] = (now_ns() - t0) / iters;
		t0 = now_ns();
		for (i = 0; i < iters * 4; i++)
			if (pread(fd, buf, sizeof(buf), 0) <= 0)
				die("pread");
		base[r] = (now_ns() - t0) / iters;
	}
	close(fd);
	report("fuse_control_cycle", median(ours, ROUNDS), "4x_pread_sysvm", median(base, ROUNDS));
}

static uint64_t touch_all(volatile const char *p, size_t len)
{
	uint64_t sum = 0, t0 = now_ns();
	size_t off;

	for (off = 0; off < len; off += PAGE)
		sum += p[off];
	(void)sum;
	return now_ns() - t0;
}

static int shm_file(size_t len)
{
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "/dev/shm/mmfs-bench-%d", getpid());
	fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, len))
		die("shm");
	unlink(name);
	return fd;
}

static void bench_fault_4m(void)
{
	uint64_t ours[ROUNDS], base[ROUNDS];
	size_t len = PAGE << 10;
	char rel[64];
	int r;

	for (r = 0; r < ROUNDS; r++) {
		unsigned long pfn = ctl_alloc(10);
		char *p;
		int fd;

		snprintf(rel, sizeof(rel), "frames/0x%lx", pfn);
		fd = open(path_of(rel), O_RDWR);
		if (fd < 0)
			die("open frame");
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap frame");
		ours[r] = touch_all(p, len);
		munmap(p, len);
		close(fd);
		ctl_free(pfn);

		fd = shm_file(len);
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap shm");
		base[r] = touch_all(p, len);
		munmap(p, len);
		close(fd);
	}
	report("frame_fault_4m", median(ours, ROUNDS), "dev_shm", median(base, ROUNDS));
}

static void bench_read_4m(void)
{
	uint64_t ours[ROUNDS], base[ROUNDS];
	size_t len = PAGE << 10;
	char *buf = malloc(len), rel[64];
	unsigned long pfn = ctl_alloc(10);
	int r, fd, sfd;

	snprintf(rel, sizeof(rel), "frames/0x%lx", pfn);
	fd = open(path_of(rel), O_RDONLY);
	sfd = shm_file(len);
	if (fd < 0 || !buf)
		die("open frame");
	memset(buf, 1, len);
	if (pwrite(sfd, buf, len, 0) != (ssize_t)len)
		die("pwrite shm");
	for (r = 0; r < ROUNDS; r++) {
		uint64_t t0;

		posix_fadvise(fd, 0, len, POSIX_FADV_DONTNEED);	/* from the daemon, not the cache */
		t0 = now_ns();
		if (pread(fd, buf, len, 0) != (ssize_t)len)
			die("pread frame");
		ours[r] = now_ns() - t0;
		t0 = now_ns();
		if (pread(sfd, buf, len, 0) != (ssize_t)len)
			die("pread shm");
		base[r] = now_ns() - t0;
	}
	close(fd);
	close(sfd);
	ctl_free(pfn);
	free(buf);
	report("frame_read_4m", median(ours, ROUNDS), "tmpfs", median(base, ROUNDS));
}

static void bench_open_mmap_close(void)
{
	uint64_t ours[ROUNDS], base[ROUNDS];
	const int iters = 100;
	unsigned long pfn = ctl_alloc(0);
	char rel[64], shm[64];
	int r, i, fd;

	snprintf(rel, sizeof(rel), "frames/0x%lx", pfn);
	snprintf(shm, sizeof(shm), "/dev/shm/mmfs-bench-omc-%d", getpid());
	fd = open(shm, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, PAGE))
		die("shm");
	close(fd);
	for (r = 0; r < ROUNDS; r++) {
		const char *paths[2] = { path_of(rel), shm };
		uint64_t *out[2] = { &ours[r], &base[r] };
		int k;

		for (k = 0; k < 2; k++) {
			uint64_t t0 = now_ns();

			for (i = 0; i < iters; i++) {
				volatile char *p;

				fd = open(paths[k], O_RDWR);
				if (fd < 0)
					die("open");
				p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
				if (p == MAP_FAILED)
					die("mmap");
				(void)p[0];
				munmap((void *)p, PAGE);
				close(fd);
			}
			*out[k] = (now_ns() - t0) / iters;
		}
	}
	unlink(shm);
	ctl_free(pfn);
	report("frame_open_mmap_close", median(ours, ROUNDS), "dev_shm", median(base, ROUNDS));
}

int main(void)
{
	mount_mmfs();
	ctl = open(path_of("control"), O_RDWR);
	if (ctl < 0)
		die("open control");
	bench_control_cycle();
	bench_fault_4m();
	bench_read_4m();
	bench_open_mmap_close();
	umount_mmfs();
	return 0;
}
