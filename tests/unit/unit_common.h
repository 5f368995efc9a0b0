/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MMFS_UNIT_COMMON_H
#define MMFS_UNIT_COMMON_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <setjmp.h>
#include <cmocka.h>
#include "mm.h"

/* Boot a fresh machine from "key=value,key=value" mm options (0 or -errno). */
int unit_boot(const char *opts);
/* cmocka teardown: mm_shutdown(). */
int unit_teardown(void **state);
/* mm_validate() == 0; prints the report otherwise. */
int unit_validate_ok(void);
/* The log has @needle in it (unit_log_expect also prints the log when not). */
bool unit_log_has(const char *needle);
bool unit_log_expect(const char *needle);
#endif
