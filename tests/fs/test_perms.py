# SPDX-License-Identifier: GPL-2.0-or-later
"""Permissions with a second (and third) user under -o allow_other (SPEC §6):
anyone may allocate, only the owner or root may read, write, map or free a
frame or object, and a block is zeroed before it reaches a user."""
import errno
import os
import pwd
import subprocess
import sys

import pytest

USERS = ["mmfs_test_a", "mmfs_test_b"]


def ensure_user(name):
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                       check=True, capture_output=True)
        return pwd.getpwnam(name).pw_uid


def as_user(name, code, *args):
    """Run python code as user name; returns (rc, stdout, stderr)."""
    uid = pwd.getpwnam(name).pw_uid
    gid = pwd.getpwnam(name).pw_gid
    r = subprocess.run(["setpriv", "--reuid=%d" % uid, "--regid=%d" % gid, "--clear-groups",
                        sys.executable, "-c", code] + list(args),
                       capture_output=True, text=True, timeout=30)
    return r.returncode, r.stdout, r.stderr


CMD = r"""
import os, sys
fd = os.open(sys.argv[1] + "/control", os.O_RDWR)
try:
    os.write(fd, (sys.argv[2] + "\n").encode())
    print(os.read(fd, 4096).decode().strip())
except OSError as e:
    print("errno", e.errno, os.read(fd, 4096).decode().strip())
"""

TRY = r"""
import os, sys
path, mode = sys.argv[1], sys.argv[2]
try:
    if mode == "read":
        open(path, "rb").read(16)
    elif mode == "write":
        fd = os.open(path, os.O_WRONLY); os.write(fd, b"x"); os.close(fd)
    elif mode == "rm":
        os.unlink(path)
    elif mode == "zeros":
        d = open(path, "rb").read()
        print("zeros" if d == bytes(len(d)) else "dirty"); sys.exit(0)
    print("ok")
except OSError as e:
    print("errno", e.errno)
"""


@pytest.fixture
def shared(mount_mmfs):
    for u in USERS:
        ensure_user(u)
    return mount_mmfs("allow_other,cpus=2")


def test_owner_only(shared):
    mm = shared
    a, b = USERS
    uid_a = pwd.getpwnam(a).pw_uid
    rc, out, err = as_user(a, CMD, mm.mnt, "alloc_pages order=1")
    assert rc == 0 and out.startswith("ok pfn="), (out, err)
    pfn = int(out.split()[1].split("=")[1], 16)
    path = mm.p("frames/0x%x" % pfn)
    st = os.stat(path)
    assert st.st_uid == uid_a and st.st_mode & 0o777 == 0o600
    assert os.getxattr(path, "user.mm.owner") == ("user:%d" % uid_a).encode()
    # the owner reads and writes, another user may not
    assert as_user(a, TRY, path, "zeros")[1].strip() == "zeros"
    assert as_user(a, TRY, path, "write")[1].strip() == "ok"
    assert as_user(b, TRY, path, "read")[1].strip() == "errno %d" % errno.EACCES
    assert as_user(b, TRY, path, "write")[1].strip() == "errno %d" % errno.EACCES
    assert as_user(b, TRY, path, "rm")[1].strip() in ("errno %d" % errno.EACCES,
                                                        "errno %d" % errno.EPERM)
    out = as_user(b, CMD, mm.mnt, "free_pages pfn=0x%x" % pfn)[1]
    assert out.startswith("errno %d error EACCES" % errno.EACCES), out
    out = as_user(b, CMD, mm.mnt, "get_page pfn=0x%x" % pfn)[1]
    assert out.startswith("errno %d" % errno.EACCES), out
    assert os.path.exists(path)
    # root may read it; the owner frees it
    with open(path, "rb") as f:
        assert f.read(1) == b"x"
    assert as_user(a, TRY, path, "rm")[1].strip() == "ok"
    assert not os.path.exists(path)
    # read-only kernel files stay read-only for users
    assert as_user(b, TRY, mm.p("meminfo"), "write")[1].strip() == "errno %d" % errno.EACCES
    assert as_user(b, TRY, mm.p("meminfo"), "read")[1].strip() == "ok"
    assert as_user(b, TRY, mm.p("sys/vm/min_free_kbytes"), "write")[1].strip() == \
        "errno %d" % errno.EACCES
    mm.validate()


def test_block_zeroed_before_reaching_user(shared):
    mm = shared
    a = USERS[0]
    mm.ok("drain_all_pages")
    pfn = mm.alloc(5)
    with open(mm.p("frames/0x%x" % pfn), "r+b") as f:
        f.write(b"\xaa" * (4096 << 5))
    mm.free(pfn)
    rc, out, err = as_user(a, CMD, mm.mnt, "alloc_pages order=5")
    pfn2 = int(out.split()[1].split("=")[1], 16)
    assert pfn2 == pfn                     # the same block, handed to another user
    assert as_user(a, TRY, mm.p("frames/0x%x" % pfn2), "zeros")[1].strip() == "zeros"


def test_user_objects(shared):
    mm = shared
    a, b = USERS
    rc, out, err = as_user(a, CMD, mm.mnt, "kmalloc size=40")
    assert out.startswith("ok obj=0x") and "cache=kmalloc-64" in out, out
    obj = out.split()[1].split("=")[1]
    path = mm.p("caches/kmalloc-64/allocations", obj)
    assert os.stat(path).st_uid == pwd.getpwnam(a).pw_uid
    assert as_user(b, TRY, path, "read")[1].strip() == "errno %d" % errno.EACCES
    out = as_user(b, CMD, mm.mnt, "kfree obj=%s" % obj)[1]
    assert out.startswith("errno %d" % errno.EACCES), out
    assert as_user(a, TRY, path, "write")[1].strip() == "ok"
    assert as_user(a, CMD, mm.mnt, "kfree obj=%s" % obj)[1].strip() == "ok"
    assert not os.path.exists(path)
    mm.validate()
