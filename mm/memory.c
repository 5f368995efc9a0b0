/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memory.c - to be written (issue 5). */
#include "mm.h"
