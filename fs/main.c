// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - mmfs: the FUSE daemon hosting the memory manager (SPEC §1).
 *
 *   mmfs [FUSE options] [-o MMFS_OPTIONS] MOUNTPOINT
 *
 * Every SPEC §1 option (mem=, memmap=, nodes=, ...) goes through
 * mm_config_parse(); the rest is libfuse's (-f -d -s, -o allow_other, ...).
 * A bad option is one line on stderr and exit status 1, before anything is
 * booted or mounted.  The boot log goes to stderr and to log.  The session
 * loop stops on fusermount3 -u, SIGINT or SIGTERM; then every frame still
 * open is unpinned, the mount goes and mm_shutdown() tears the machine down.
 *
 * Threads: the session loop (multi-threaded by default, so that one
 * client's long command never stalls another's read (SPEC §6); -o
 * threads=single or -s runs every request on one thread, the cheaper round
 * trip on a 2-core machine), the notifier (cache invalidations, tree.c) and
 * the trace worker (blocking trace_pipe reads, tracing.c).  Nothing in a
 * handler ever blocks waiting for an event.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tree.h"
#include "frames.h"

struct fuse_session *mmfs_se;
bool mmfs_allow_other;
uint64_t mmfs_user_limit;

struct mmfs_opts {
	struct mm_config cfg;
	bool bad;			/* an option was refused (message printed) */
	int threads;			/* 0 default (multi), 1 single, 2 multi */
};

/* ---- current: who asked ---- */
static __thread struct { int pid; char comm[16]; } comm_cache;

void mmfs_enter(fuse_req_t req)
{
	const struct fuse_ctx *ctx = fuse_req_ctx(req);

	if (comm_cache.pid != ctx->pid) {
		char path[64];
		ssize_t n = -1;
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/comm", (int)ctx->pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			n = read(fd, comm_cache.comm, sizeof(comm_cache.comm) - 1);
			close(fd);
		}
		if (n <= 0)
			n = snprintf(comm_cache.comm, sizeof(comm_cache.comm), "pid%d", (int)ctx->pid);
		comm_cache.comm[min((size_t)n, sizeof(comm_cache.comm) - 1)] = 0;
		comm_cache.comm[strcspn(comm_cache.comm, "\n")] = 0;
		comm_cache.pid = ctx->pid;
	}
	mmfs_set_current(ctx->uid, ctx->pid, comm_cache.comm);
}

/* ---- options ---- */
static int opt_proc(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	struct mmfs_opts *o = data;
	char k[64], err[256] = "";
	const char *eq;
	int ret;

	if (key != FUSE_OPT_KEY_OPT)
		return 1;
	if (!strcmp(arg, "allow_other")) {
		mmfs_allow_other = true;
		return 1;
	}
	eq = strchr(arg, '=');
	if (!eq || (size_t)(eq - arg) >= sizeof(k))
		return 1;
	snprintf(k, sizeof(k), "%.*s", (int)(eq - arg), arg);
	if (!strcmp(k, "threads")) {
		if (!strcmp(eq + 1, "single"))
			o->threads = 1;
		else if (!strcmp(eq + 1, "multi"))
			o->threads = 2;
		else {
			fprintf(stderr, "mmfs: threads=%s: expected single or multi\n", eq + 1);
			o->bad = true;
		}
		return 0;
	}
	ret = mm_config_parse(&o->cfg, k, eq + 1, err, sizeof(err));
	if (ret == -ENOENT)
		return 1;		/* libfuse's */
	if (ret) {
		if (!o->bad)
			fprintf(stderr, "mmfs: %s\n", *err ? err : "bad option");
		o->bad = true;
	}
	return 0;
}

static void usage(const char *prog)
{
	printf("usage: %s [FUSE options] [-o MMFS_OPTIONS] MOUNTPOINT\n\n"
	       "mmfs options (see mmfs(8)):\n"
	       "    -o mem=SIZE              RAM of the simulated machine (256M)\n"
	       "    -o memmap=SIZE@START[+...] physical RAM ranges\n"
	       "    -o nodes=N               NUMA nodes (1)\n"
	       "    -o cpus=N                CPUs (host's)\n"
	       "    -o movablecore=SIZE      ZONE_MOVABLE size (0)\n"
	       "    -o highmem=SIZE          ZONE_HIGHMEM size (0)\n"
	       "    -o slab=slub|slab|slob   slab allocator (slub)\n"
	       "    -o slub_debug=FLAGS[:CACHE+CACHE]\n"
	       "    -o min_free_kbytes=N\n"
	       "    -o init_on_alloc=0|1, init_on_free=0|1\n"
	       "    -o hugepages=auto|on|off arena backing (auto)\n"
	       "    -o memmodel=sparse|classic|flat (sparse)\n"
	       "    -o user_limit=SIZE       most memory one uid may hold\n"
	       "    -o threads=multi|single  session loop (multi)\n\n", prog);
	fuse_cmdline_help();
	fuse_lowlevel_help();
}

/* Detach from the terminal before booting (threads do not survive fork),
 * but let the parent exit with the child's verdict: 0 once mounted, 1 if the
 * boot or the mount failed. */
static int status_fd = -1;

static void daemonize_early(void)
{
	int pfd[2];
	pid_t pid;
	char c = 1;

	if (pipe(pfd)) {
		perror("mmfs: pipe");
		exit(1);
	}
	pid = fork();
	if (pid < 0) {
		perror("mmfs: fork");
		exit(1);
	}
	if (pid > 0) {
		close(pfd[1]);
		if (read(pfd[0], &c, 1) != 1)
			c = 1;
		_exit(c);
	}
	close(pfd[0]);
	status_fd = pfd[1];
	setsid();
}

static void report_status(int ok)
{
	char c = ok ? 0 : 1;
	int fd;

	if (status_fd < 0)
		return;
	if (write(status_fd, &c, 1) != 1) { /* parent gone: nothing to tell */ }
	close(status_fd);
	status_fd = -1;
	if (!ok)
		return;
	if (chdir("/")) { /* keep going */ }
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts;
	struct mmfs_opts o;
	struct fuse_loop_config *lc = NULL;
	char err[256] = "";
	int ret = 1;

	memset(&o, 0, sizeof(o));
	memset(&opts, 0, sizeof(opts));
	mm_config_default(&o.cfg);
	if (fuse_parse_cmdline(&args, &opts) != 0)
		goto out_args;
	if (opts.show_help) {
		usage(argv[0]);
		ret = 0;
		goto out_args;
	}
	if (opts.show_version) {
		printf("mmfs version 0.1.0\n");
		fuse_lowlevel_version();
		ret = 0;
		goto out_args;
	}
	if (fuse_opt_parse(&args, &o, NULL, opt_proc) == -1 || o.bad)
		goto out_args;
	if (!opts.mountpoint) {
		fprintf(stderr, "mmfs: no mountpoint (usage: %s [options] MOUNTPOINT)\n", argv[0]);
		goto out_args;
	}
	if (access(opts.mountpoint, F_OK)) {
		fprintf(stderr, "mmfs: bad mount point '%s': %s\n", opts.mountpoint, strerror(errno));
		goto out_args;
	}
	if (mmfs_allow_other)	/* permissions are always checked then */
		fuse_opt_add_arg(&args, "-odefault_permissions");
	mmfs_user_limit = o.cfg.user_limit;
	/* the boot log reaches stderr once the boot worked, so a failed boot
	 * is the one line that says why */
	o.cfg.log_to_stderr = false;

	/* libfuse's own options are checked before anything boots */
	mmfs_se = fuse_session_new(&args, &mmfs_ops, sizeof(mmfs_ops), NULL);
	if (!mmfs_se)
		goto out_args;
	if (!opts.foreground)
		daemonize_early();
	ret = mm_boot(&o.cfg, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "mmfs: boot failed: %s\n", *err ? err : strerror(-ret));
		report_status(0);
		ret = 1;
		fuse_session_destroy(mmfs_se);
		goto out_args;
	}
	/* SLAB's periodic cache_reap (REAPTIMEOUT_AC, 2 s); a no-op under
	 * SLUB and SLOB.  mm_shutdown() stops it (slab teardown). */
	{
		int r = mmfs_slab_reap_start(0);

		if (r && r != -EBUSY)
			fprintf(stderr, "mmfs: cache_reap thread: %s\n", strerror(-r));
	}
	{
		size_t len = 0;
		char *log = mm_log_snapshot(&len);

		if (log)
			fwrite(log, 1, len, stderr);
		free(log);
		mm_cfg.log_to_stderr = opts.foreground || opts.debug;
	}
	ret = 1;
	if (fuse_set_signal_handlers(mmfs_se))
		goto out_session;
	if (fuse_session_mount(mmfs_se, opts.mountpoint))
		goto out_signals;
	if (mmfs_notify_start() || tracing_start())
		goto out_unmount;
	report_status(1);

	if (opts.singlethread || o.threads == 1) {
		ret = fuse_session_loop(mmfs_se);
	} else {
		lc = fuse_loop_cfg_create();
		fuse_loop_cfg_set_clone_fd(lc, opts.clone_fd);
		/* UINT_MAX is libfuse's "unset": passing it on only logs a warning */
		if (opts.max_idle_threads != UINT_MAX)
			fuse_loop_cfg_set_idle_threads(lc, opts.max_idle_threads);
		fuse_loop_cfg_set_max_threads(lc, opts.max_threads);
		ret = fuse_session_loop_mt(mmfs_se, lc);
		fuse_loop_cfg_destroy(lc);
	}
	/* a signal or an unmount ends the loop: both are a clean stop */
	if (ret < 0 && ret != -EINTR)
		fprintf(stderr, "mmfs: session loop: %s\n", strerror(-ret));
	ret = ret < 0 && ret != -EINTR ? 1 : 0;

	tracing_stop();
	mmfs_notify_stop();
	mmfs_fh_release_all();		/* unpins what is still open, as exit_mmap */
out_unmount:
	fuse_session_unmount(mmfs_se);
out_signals:
	fuse_remove_signal_handlers(mmfs_se);
out_session:
	fuse_session_destroy(mmfs_se);
	report_status(0);
	mm_shutdown();
out_args:
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	return ret;
}
