// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tracing.c - tracing/trace_pipe, tracing_on, events/kmem/EVENT/enable
 * (kernel/trace/trace.c: tracing_read_pipe, tracing_poll_pipe).
 *
 * trace_pipe blocks while the ring is empty.  A blocking read must never
 * block the session loop (single-threaded by default), so such a read is
 * queued and answered later by the trace worker thread, which waits on the
 * ring (mmfs_trace_read_since) and feeds queued readers and pollers from a
 * small local buffer.  An interrupted read (signal) answers EINTR.  A stop
 * or an interrupt sets its flag under trace_lock, then wakes the ring; the
 * worker takes the ring's wake generation under trace_lock before it
 * waits, so neither is missed (the stop never waits for a trace event).
 *
 * Lock order: trace_lock, then the ring's lock inside mm/trace.c.
 */
#include <poll.h>
#include "tree.h"

struct pending_read {
	fuse_req_t req;
	size_t size;
	bool interrupted;
	struct pending_read *next;
};

static pthread_mutex_t trace_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t trace_cond = PTHREAD_COND_INITIALIZER;
static struct pending_read *readers, **readers_tail = &readers;
static struct fuse_pollhandle *poller;
static char *tbuf;			/* lines read from the ring, not yet served */
static size_t tlen, tcap;
static bool trace_stop, trace_running;
static pthread_t trace_thread;

/* Take up to size bytes of whole lines from tbuf (caller: trace_lock). */
static size_t tbuf_take(char *out, size_t size)
{
	size_t n = min(size, tlen);

	if (n < tlen) {
		size_t k = n;

		while (k && tbuf[k - 1] != '\n')
			k--;
		if (k)
			n = k;
	}
	memcpy(out, tbuf, n);
	memmove(tbuf, tbuf + n, tlen - n);
	tlen -= n;
	return n;
}

static void tbuf_add(const char *s, size_t n)
{
	if (tlen + n > tcap) {
		size_t cap = max(tcap * 2, tlen + n + 65536);
		char *b = realloc(tbuf, cap);

		if (!b)
			return;
		tbuf = b;
		tcap = cap;
	}
	memcpy(tbuf + tlen, s, n);
	tlen += n;
}

/* Serve queued readers from tbuf (caller: trace_lock). */
static void serve_readers(void)
{
	while (readers && (tlen || readers->interrupted || trace_stop)) {
		struct pending_read *r = readers;
		char *out;

		readers = r->next;
		if (!readers)
			readers_tail = &readers;
		if (r->interrupted || (trace_stop && !tlen)) {
			fuse_reply_err(r->req, EINTR);
		} else {
			out = malloc(r->size ? r->size : 1);
			if (!out) {
				fuse_reply_err(r->req, ENOMEM);
			} else {
				size_t n = tbuf_take(out, r->size);

				fuse_reply_buf(r->req, out, n);
				free(out);
			}
		}
		free(r);
	}
	if (poller && tlen) {
		fuse_lowlevel_notify_poll(poller);
		fuse_pollhandle_destroy(poller);
		poller = NULL;
	}
}

static void *trace_worker(void *arg)
{
	static char chunk[65536];

	pthread_mutex_lock(&trace_lock);
	while (!trace_stop) {
		unsigned long gen;
		long n;

		if (!readers && !poller) {
			pthread_cond_wait(&trace_cond, &trace_lock);
			continue;
		}
		serve_readers();
		if (!readers && !poller)
			continue;
		/* taken under trace_lock: a stop or an interrupt that comes
		 * after this look sets its flag here first, then wakes the
		 * ring, and the wait below cannot miss that */
		gen = mmfs_trace_wake_gen();
		pthread_mutex_unlock(&trace_lock);
		n = mmfs_trace_read_since(chunk, sizeof(chunk), gen);
		pthread_mutex_lock(&trace_lock);
		if (n > 0)
			tbuf_add(chunk, (size_t)n);
		serve_readers();
	}
	serve_readers();
	pthread_mutex_unlock(&trace_lock);
	return NULL;
}

static void read_interrupted(fuse_req_t req, void *data)
{
	struct pending_read *r = data;

	pthread_mutex_lock(&trace_lock);
	r->interrupted = true;
	pthread_mutex_unlock(&trace_lock);
	mmfs_trace_wake();
}

void tracing_read(fuse_req_t req, struct mmfs_fh *fh, size_t size, int flags)
{
	struct pending_read *r;
	char *out;
	long n;

	pthread_mutex_lock(&trace_lock);
	if (!tlen && !readers) {
		char chunk[8192];

		n = mmfs_trace_read(chunk, sizeof(chunk), false);
		if (n > 0)
			tbuf_add(chunk, (size_t)n);
	}
	if (tlen && !readers) {
		out = malloc(size ? size : 1);
		n = out ? (long)tbuf_take(out, size) : -ENOMEM;
		pthread_mutex_unlock(&trace_lock);
		if (n < 0)
			fuse_reply_err(req, ENOMEM);
		else
			fuse_reply_buf(req, out, n);
		free(out);
		return;
	}
	if (flags & O_NONBLOCK) {
		pthread_mutex_unlock(&trace_lock);
		fuse_reply_err(req, EAGAIN);
		return;
	}
	r = calloc(1, sizeof(*r));
	if (!r || !trace_running) {
		pthread_mutex_unlock(&trace_lock);
		free(r);
		fuse_reply_err(req, r ? EIO : ENOMEM);
		return;
	}
	r->req = req;
	r->size = size;
	pthread_mutex_unlock(&trace_lock);
	/* registered before the worker can see (and answer and free) r */
	fuse_req_interrupt_func(req, read_interrupted, r);
	pthread_mutex_lock(&trace_lock);
	*readers_tail = r;
	readers_tail = &r->next;
	pthread_cond_signal(&trace_cond);
	pthread_mutex_unlock(&trace_lock);
}

void tracing_poll(fuse_req_t req, struct mmfs_fh *fh, struct fuse_pollhandle *ph)
{
	unsigned int revents = 0;

	pthread_mutex_lock(&trace_lock);
	if (!tlen) {
		char chunk[8192];
		long n = mmfs_trace_read(chunk, sizeof(chunk), false);

		if (n > 0)
			tbuf_add(chunk, (size_t)n);
	}
	if (tlen) {
		revents = POLLIN | POLLRDNORM;
		if (ph)
			fuse_pollhandle_destroy(ph);
	} else if (ph) {
		if (poller)
			fuse_pollhandle_destroy(poller);
		poller = ph;
		pthread_cond_signal(&trace_cond);
	}
	pthread_mutex_unlock(&trace_lock);
	fuse_reply_poll(req, revents);
}

int tracing_start(void)
{
	trace_stop = false;
	if (pthread_create(&trace_thread, NULL, trace_worker, NULL))
		return -errno;
	trace_running = true;
	return 0;
}

void tracing_stop(void)
{
	if (!trace_running)
		return;
	pthread_mutex_lock(&trace_lock);
	trace_stop = true;
	pthread_cond_signal(&trace_cond);
	pthread_mutex_unlock(&trace_lock);
	mmfs_trace_wake();
	pthread_join(trace_thread, NULL);
	trace_running = false;
	if (poller)
		fuse_pollhandle_destroy(poller);
	poller = NULL;
	free(tbuf);
	tbuf = NULL;
	tlen = tcap = 0;
}

char *tracing_on_show(const void *ctx, const char *name, size_t *len)
{
	char tmp[16];

	snprintf(tmp, sizeof(tmp), "%d\n", atomic_load(&tracing_on));
	return mmfs_strdup_len(tmp, len);
}

int tracing_on_store(const void *ctx, const char *name, const char *buf, size_t len)
{
	long v;

	if (parse_long_str(buf, len, &v) || v < 0)
		return -EINVAL;
	atomic_store(&tracing_on, v ? 1 : 0);
	return 0;
}

char *event_enable_show(int ev, size_t *len)
{
	char tmp[8];

	snprintf(tmp, sizeof(tmp), "%d\n",
		 mmfs_trace_is_enabled((enum kmem_event)ev));
	return mmfs_strdup_len(tmp, len);
}

int event_enable_store(int ev, const char *buf, size_t len)
{
	long v;

	if (parse_long_str(buf, len, &v) || (v != 0 && v != 1))
		return -EINVAL;
	mmfs_trace_set_enabled((enum kmem_event)ev, v);
	return 0;
}
