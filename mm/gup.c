/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gup.c - to be written (issue 5). */
#include "mm.h"
