/* SPDX-License-Identifier: GPL-2.0-or-later */
/* page_owner.c - owned by the mm-core work (issue 2); to be written. */
#include "mm.h"
