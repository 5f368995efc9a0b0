/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * printk.c - the log: "[    1.234567] text" lines (kernel/printk) kept in
 * one growing buffer (trimmed from the front past MMFS_LOG_MAX), optionally
 * echoed to stderr.  Every byte of a record that is not printable is
 * stored escaped (\x1b), as the kernel's %pE does it: what users send (a
 * command, a cache name) never reaches a reader's terminal raw.
 * Lock: log_lock, a leaf.
 */
#include "mm.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MMFS_LOG_MAX	(4u << 20)	/* keep the newest 4 MiB */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char *log_buf;
static size_t log_len, log_cap;
bool mmfs_log_stderr;

static void log_append(const char *s, size_t n)
{
	if (log_len + n > log_cap) {
		size_t cap = log_cap ? log_cap : 65536;
		while (cap < log_len + n)
			cap *= 2;
		char *nb = realloc(log_buf, cap);
		if (!nb)
			return;
		log_buf = nb;
		log_cap = cap;
	}
	memcpy(log_buf + log_len, s, n);
	log_len += n;
	if (log_len > MMFS_LOG_MAX) {
		/* drop whole lines from the front */
		size_t cut = log_len - MMFS_LOG_MAX / 2;
		char *nl = memchr(log_buf + cut, '\n', log_len - cut);
		cut = nl ? (size_t)(nl - log_buf) + 1 : log_len;
		memmove(log_buf, log_buf + cut, log_len - cut);
		log_len -= cut;
	}
}

size_t string_escape_np(const char *src, size_t isz, char *dst, size_t osz)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	if (!osz)
		return 0;
	for (i = 0; i < isz; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c >= 0x20 && c < 0x7f) {
			if (o + 1 >= osz)
				break;
			dst[o++] = (char)c;
			continue;
		}
		if (o + 4 >= osz)
			break;
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hex[c >> 4];
		dst[o++] = hex[c & 15];
	}
	dst[o] = '\0';
	return o;
}

void printk(const char *fmt, ...)
{
	char text[1024], esc[4 * sizeof(text)], line[sizeof(esc) + 32];
	va_list ap;
	uint64_t ns = mmfs_ktime_ns();
	int n;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* one record per line of text, each with the timestamp */
	char *p = text;
	pthread_mutex_lock(&log_lock);
	for (;;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if (*p || !nl) {
			string_escape_np(p, strlen(p), esc, sizeof(esc));
			n = snprintf(line, sizeof(line), "[%5llu.%06llu] %s\n",
				     (unsigned long long)(ns / 1000000000ull),
				     (unsigned long long)(ns % 1000000000ull / 1000), esc);
			if (n > (int)sizeof(line) - 1)
				n = sizeof(line) - 1;
			log_append(line, (size_t)n);
			if (mmfs_log_stderr || mm_cfg.log_to_stderr)
				fwrite(line, 1, (size_t)n, stderr);
		}
		if (!nl || !nl[1])
			break;
		p = nl + 1;
	}
	pthread_mutex_unlock(&log_lock);
}

char *mm_log_snapshot(size_t *len)
{
	char *copy;

	pthread_mutex_lock(&log_lock);
	copy = malloc(log_len + 1);
	if (copy) {
		memcpy(copy, log_buf ? log_buf : "", log_len);
		copy[log_len] = '\0';
		*len = log_len;
	} else {
		*len = 0;
	}
	pthread_mutex_unlock(&log_lock);
	return copy;
}

/* mm_shutdown() empties the log so the next boot starts clean. */
void mmfs_log_reset(void)
{
	pthread_mutex_lock(&log_lock);
	free(log_buf);
	log_buf = NULL;
	log_len = log_cap = 0;
	pthread_mutex_unlock(&log_lock);
}
