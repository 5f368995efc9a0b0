# SPDX-License-Identifier: GPL-2.0-or-later
"""The examples users copy from work: alloc_mmap.c and tour.sh."""
import os
import shutil
import subprocess
import tempfile

from conftest import MMFS_BIN, ROOT, wait_for


def test_alloc_mmap_example(mm, tmp_path):
    exe = tmp_path / "alloc_mmap"
    subprocess.run(["cc", "-O2", "-Wall", "-Werror", "-o", str(exe),
                    os.path.join(ROOT, "examples", "alloc_mmap.c")], check=True)
    n0 = mm.frames()
    r = subprocess.run([str(exe), mm.mnt, "2"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert "read back: hello from pid" in r.stdout
    assert "refcount while mapped: 1025" in r.stdout
    assert r.stdout.strip().endswith("freed: ok")
    assert wait_for(lambda: mm.frames() == n0)
    mm.validate()


def test_tour(tmp_path):
    mnt = tmp_path / "tour"
    r = subprocess.run(["sh", os.path.join(ROOT, "examples", "tour.sh"), MMFS_BIN, str(mnt)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "user.mm.owner=\"user:%d\"" % os.getuid() in r.stdout
    assert "\nhello\n" in r.stdout
    assert r.stdout.rstrip().endswith("ok")
    assert wait_for(lambda: not os.path.ismount(mnt), 10)
