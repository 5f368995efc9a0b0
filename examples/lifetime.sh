#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Lifetimes on a shared mount: a block freed while a reference holds it,
# an object handle that outlives its object, the bound on unread replies.
#   sh examples/lifetime.sh [MMFS_BINARY] [MOUNTPOINT]
set -e
MMFS=${1:-build/fs/mmfs}
MNT=${2:-/tmp/mmfs-lifetime}
mkdir -p "$MNT"
"$MMFS" -o mem=128M,cpus=2 "$MNT"         # detaches once mounted
trap 'exec 3>&- 4>&-; cd /; fusermount3 -u "$MNT"' EXIT
cd "$MNT"
exec 3<>control
ctl() { printf '%s\n' "$1" >&3 2>/dev/null || true; head -c 65536 <&3; }
step() { printf '\n$ %s\n' "$*"; eval "$*"; }

# free_pages drops the owner's reference only: get_page's keeps the block
P=$(ctl "alloc_pages order=0" | sed 's/.*pfn=\([^ ]*\).*/\1/')
step "ctl 'get_page pfn=$P'"
step "ctl 'free_pages pfn=$P'"
step "ls frames | grep -c $P || true"
step "grep -c 'PFN $P ' page_owner"
step "ctl 'lookup pfn=$P'"
step "ctl 'put_page pfn=$P'"
step "grep -c 'PFN $P ' page_owner || true"

# a handle reaches its own allocation only
X=$(ctl "kmalloc size=64" | sed 's/.*obj=\([^ ]*\).*/\1/')
step "exec 4<>caches/kmalloc-64/allocations/$X; ctl 'kfree obj=$X'"
step "ctl 'kmalloc size=64'"
step "head -c 8 <&4 || true"
step 'head -1 caches/kmalloc-64/objects'

# unread replies are bounded (1 MiB): the write that could pass it runs nothing
step "i=0; while printf 'lookup pfn=$P\n%.0s' \$(seq 100) >&3 2>/dev/null; do i=\$((i+1)); done; echo \"\$i writes ran\"; tail -1 log"
step "cat <&3 | wc -c"
step 'ctl validate'
