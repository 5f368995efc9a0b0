/* SPDX-License-Identifier: GPL-2.0-or-later */
/* unit_common.c - helpers shared by the unit tests (see unit_common.h). */
#include "unit_common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int unit_boot(const char *opts)
{
	struct mm_config cfg;
	char err[256] = "";
	mm_config_default(&cfg);
	cfg.log_to_stderr = getenv("MMFS_TEST_LOG") != NULL;
	if (opts && *opts) {
		char *dup = strdup(opts), *save = NULL;
		for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			char *eq = strchr(tok, '=');
			if (!eq) { free(dup); return -EINVAL; }
			*eq = '\0';
			if (mm_config_parse(&cfg, tok, eq + 1, err, sizeof(err))) {
				fprintf(stderr, "unit_boot: %s\n", err);
				free(dup);
				return -EINVAL;
			}
		}
		free(dup);
	}
	int ret = mm_boot(&cfg, err, sizeof(err));
	if (ret)
		fprintf(stderr, "unit_boot(%s): %s\n", opts ? opts : "", err);
	return ret;
}

int unit_teardown(void **state)
{
	(void)state;
	mm_shutdown();
	return 0;
}

int unit_validate_ok(void)
{
	char *report = NULL;
	int n = mm_validate(&report);
	if (n)
		fprintf(stderr, "validate: %d violations:\n%s", n, report ? report : "");
	free(report);
	return n == 0;
}

bool unit_log_has(const char *needle)
{
	size_t len;
	char *log = mm_log_snapshot(&len);
	bool found = log && strstr(log, needle);

	free(log);
	return found;
}

bool unit_log_expect(const char *needle)
{
	size_t len;
	char *log = mm_log_snapshot(&len);
	bool found = log && strstr(log, needle);

	if (!found)
		fprintf(stderr, "log lacks \"%s\":\n%s", needle, log ? log : "");
	free(log);
	return found;
}
