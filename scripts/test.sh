#!/bin/bash
# Run the whole test suite: unit tests (cmocka, through meson) and the
# filesystem tests (pytest, real mounts).  Installs and builds as needed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh || exit 1
bash scripts/build.sh >/dev/null || { bash scripts/build.sh; exit 1; }
rc=0
meson test -C build --no-rebuild --print-errorlogs --suite unit || rc=1
MMFS_BIN="$PWD/build/fs/mmfs" /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/fs || rc=1
exit $rc
