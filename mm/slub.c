/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slub.c - to be written (issues 4 and 6). */
#include "mm.h"
