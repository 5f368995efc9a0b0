#!/bin/bash
# Install what mmfs needs to build, run, test and benchmark (Debian 12, root).
set -euo pipefail
PKGS="libfuse3-dev fuse3 meson ninja-build pkg-config gcc python3-pytest \
libcmocka-dev libmimalloc-dev libjemalloc-dev libgoogle-perftools-dev procps \
attr fio clang libclang-rt-14-dev util-linux"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq $missing
fi
