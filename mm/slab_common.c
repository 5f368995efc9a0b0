/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slab_common.c - owned by the slab work (issue 4); boot hooks stubbed until then. */
#include "mm.h"
int mmfs_slab_boot(void) { return 0; }
void mmfs_slab_shutdown(void) { }
