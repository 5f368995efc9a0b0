#!/bin/bash
# Bring mmfs up at /mnt/mm with default options: install packages, build,
# mount.  Extra arguments are passed to mmfs (e.g. -o mem=1G,nodes=2).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh >/dev/null
MNT=${MMFS_MNT:-/mnt/mm}
mkdir -p "$MNT"
if mountpoint -q "$MNT"; then
	fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -uz "$MNT"
fi
./build/fs/mmfs -o allow_other "$@" "$MNT"
for _ in $(seq 100); do mountpoint -q "$MNT" && break; sleep 0.1; done
mountpoint -q "$MNT"
echo "mmfs is up at $MNT  (stop it with: fusermount3 -u $MNT)"
