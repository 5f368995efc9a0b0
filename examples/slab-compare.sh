#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# slab-compare.sh - fragmentation of SLUB, SLAB and SLOB on one workload.
#
# Runs examples/slab_compare.c: the same seeded random kmalloc/kfree
# workload on a fresh machine per allocator (slab=slub, slab=slab,
# slab=slob), printing the slab pages each one holds and the slab bytes per
# live requested byte, after the churn and after shrinking every cache.
#
# Usage: examples/slab-compare.sh [OPS [SEED]]
#   BUILD=dir   the meson build directory (default: build); the program is
#               build/examples/slab_compare if the build made it, else it is
#               compiled here against build/mm/libmm.a.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
bin=$build/examples/slab_compare

if [ ! -x "$bin" ]; then
	if [ ! -f "$build/mm/libmm.a" ]; then
		echo "slab-compare.sh: $build/mm/libmm.a not found (build first, or set BUILD=)" >&2
		exit 1
	fi
	bin=$(mktemp "${TMPDIR:-/tmp}/slab_compare.XXXXXX")
	trap 'rm -f "$bin"' EXIT
	${CC:-cc} -O2 -std=gnu11 -D_GNU_SOURCE -I"$top/mm" "$top/examples/slab_compare.c" \
		"$build/mm/libmm.a" -lpthread -lm -o "$bin"
fi
"$bin" "$@"
