/* SPDX-License-Identifier: GPL-2.0-or-later */
/* highmem.c - owned by the page-table/GUP work (issue 5); boot hooks stubbed until then. */
#include "mm.h"
int mmfs_highmem_boot(void) { return 0; }
void mmfs_highmem_shutdown(void) { }
