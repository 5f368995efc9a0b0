#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A tour of mmfs: mount, browse, allocate, watch buddyinfo change, free.
#   sh examples/tour.sh [MMFS_BINARY] [MOUNTPOINT]
set -e
MMFS=${1:-build/fs/mmfs}
MNT=${2:-/tmp/mmfs-tour}
mkdir -p "$MNT"
"$MMFS" -o mem=256M,cpus=2 "$MNT"         # detaches once mounted
trap 'cd /; fusermount3 -u "$MNT"' EXIT
cd "$MNT"

# one command, its reply: the reply is read back on the same open file
ctl() { exec 3<>control; printf '%s\n' "$1" >&3 2>/dev/null || true; head -c 65536 <&3; exec 3>&-; }
step() { printf '\n$ %s\n' "$*"; eval "$*"; }

step 'ls'
step 'head -3 meminfo'
step 'echo drain_all_pages > control; cat buddyinfo'
step 'echo "alloc_pages order=4 gfp=GFP_HIGHUSER_MOVABLE" > control; cat buddyinfo'
PFN=$(for f in frames/*; do [ "$(getfattr --only-values -n user.mm.owner "$f" 2>/dev/null)" = "user:$(id -u)" ] && basename "$f"; done | tail -1)
step "ls -l frames/$PFN"
step "getfattr -d -m - frames/$PFN"
step "printf hello | dd of=frames/$PFN conv=notrunc status=none; head -c 5 frames/$PFN; echo"
step "ctl 'lookup pfn=$PFN'"
step "rm frames/$PFN; echo drain_all_pages > control; cat buddyinfo"
step 'ctl "kmalloc size=100"'
step 'grep -E "^(# name|kmalloc-128 )" slabinfo'
step 'ctl "alloc_pages order=11"; tail -1 log'
step 'ctl validate'
