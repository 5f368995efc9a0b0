// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * seq.c - a seq_file-like text buffer (fs/seq_file.c).  A text file is
 * rendered once per open into a seq_buf that the file handle keeps, so every
 * read of that open sees one consistent snapshot at any offset (cat, less,
 * grep and procps' fseek(0) re-reads all work).  MMFS: the kernel renders
 * page by page on read; we render whole at open since our files are small.
 */
#include <stdarg.h>
#include "tree.h"

static bool seq_grow(struct seq_buf *s, size_t need)
{
	size_t cap;
	char *nb;

	if (s->overflow)
		return false;
	if (s->len + need + 1 <= s->cap)
		return true;
	cap = s->cap ? s->cap : 4096;
	while (cap < s->len + need + 1)
		cap *= 2;
	nb = realloc(s->buf, cap);
	if (!nb) {
		s->overflow = true;
		return false;
	}
	s->buf = nb;
	s->cap = cap;
	return true;
}

void seq_printf(struct seq_buf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = s->cap > s->len ? s->cap - s->len : 0;

		va_start(ap, fmt);
		n = vsnprintf(room ? s->buf + s->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < room) {
			s->len += n;
			return;
		}
		if (!seq_grow(s, n))
			return;
	}
}

void seq_write(struct seq_buf *s, const void *data, size_t len)
{
	if (!seq_grow(s, len))
		return;
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	s->buf[s->len] = 0;
}

char *seq_take(struct seq_buf *s, size_t *len)
{
	char *b;

	if (s->overflow) {
		seq_release(s);
		errno = ENOMEM;
		return NULL;
	}
	if (!s->buf && !seq_grow(s, 0)) {
		errno = ENOMEM;
		return NULL;
	}
	s->buf[s->len] = 0;
	b = s->buf;
	*len = s->len;
	s->buf = NULL;
	s->len = s->cap = 0;
	return b;
}

void seq_release(struct seq_buf *s)
{
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

void seq_reply(fuse_req_t req, const char *buf, size_t len, off_t off, size_t size)
{
	if (off < 0 || (size_t)off >= len) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	fuse_reply_buf(req, buf + off, min(size, len - (size_t)off));
}

char *mmfs_strdup_len(const char *s, size_t *len)
{
	char *d = strdup(s);

	if (d)
		*len = strlen(d);
	return d;
}

int parse_long_str(const char *buf, size_t len, long *out)
{
	char tmp[64], *end;
	long v;

	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	if (!len || len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, len);
	tmp[len] = 0;
	errno = 0;
	v = strtol(tmp, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}
