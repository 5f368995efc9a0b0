# SPDX-License-Identifier: GPL-2.0-or-later
"""The control file (SPEC §4, §6): grammar, replies, the buddy algorithm as
seen through buddyinfo, every error row with nothing changed."""
import errno
import os
import re
import subprocess

import pytest

from conftest import PAGE


def pagetype(mm, zone, mtype, node=0):
    for line in mm.read("pagetypeinfo").splitlines():
        m = re.match(r"Node\s+(\d+), zone\s+(\S+), type\s+(\S+)\s+(.*)$", line)
        if m and int(m.group(1)) == node and m.group(2) == zone and m.group(3) == mtype:
            return [int(x.lstrip(">")) for x in m.group(4).split()]
    raise AssertionError("no %s/%s in pagetypeinfo" % (zone, mtype))


def test_alloc_free_reply_and_frames(mm):
    fd = mm.ctl_open()
    try:
        os.write(fd, b"alloc_pages order=2\n")
        reply = os.read(fd, 4096).decode()
        m = re.fullmatch(r"ok pfn=0x([0-9a-f]+) order=2\n", reply)
        assert m, reply
        pfn = int(m.group(1), 16)
        assert pfn % 4 == 0
        assert "0x%x" % pfn in os.listdir(mm.p("frames"))
        # nothing more to read until the next command
        assert os.read(fd, 4096) == b""
        os.write(fd, ("free_pages pfn=0x%x\n" % pfn).encode())
        assert os.read(fd, 4096) == b"ok\n"
        assert "0x%x" % pfn not in os.listdir(mm.p("frames"))
        with pytest.raises(FileNotFoundError):
            os.stat(mm.p("frames/0x%x" % pfn))
    finally:
        os.close(fd)
    mm.validate()


@pytest.mark.parametrize("order", [4, 6])
def test_buddy_split_and_merge(mm, order):
    """After drain_all_pages, an order-N movable allocation takes the smallest
    free block of order >= N on the Movable list and splits the rest one block
    per lower order; freeing it merges everything back."""
    mm.ok("drain_all_pages")
    before = pagetype(mm, "Normal", "Movable")
    buddy_before = mm.buddyinfo()[(0, "Normal")]
    k = next(o for o in range(order, 11) if before[o] > 0)
    pfn = mm.alloc(order, gfp="GFP_HIGHUSER_MOVABLE")
    after = pagetype(mm, "Normal", "Movable")
    expect = list(before)
    expect[k] -= 1
    for o in range(order, k):
        expect[o] += 1
    assert after == expect, (before, after, k)
    assert pfn % (1 << order) == 0
    assert os.getxattr(mm.p("frames/0x%x" % pfn), "user.mm.zone") == b"Normal"
    assert os.getxattr(mm.p("frames/0x%x" % pfn), "user.mm.migratetype") == b"Movable"
    mm.free(pfn)
    mm.ok("drain_all_pages")
    assert pagetype(mm, "Normal", "Movable") == before
    assert mm.buddyinfo()[(0, "Normal")] == buddy_before
    mm.validate()


def test_several_commands_one_write(mm):
    n0 = len(mm.frames())
    fd = mm.ctl_open()
    try:
        os.write(fd, b"alloc_pages order=0\nalloc_pages order=1\n\ndrain_all_pages\n")
        lines = os.read(fd, 4096).decode().splitlines()
        assert len(lines) == 3 and lines[0].startswith("ok pfn=") and lines[2] == "ok"
        assert len(mm.frames()) == n0 + 2
        # stops at the first failure, the write fails with its errno
        with pytest.raises(OSError) as ei:
            os.write(fd, b"alloc_pages order=0\nbogus_command x=1\nalloc_pages order=0\n")
        assert ei.value.errno == errno.EINVAL
        lines = os.read(fd, 4096).decode().splitlines()
        assert len(lines) == 2
        assert lines[0].startswith("ok pfn=")
        assert lines[1].startswith("error EINVAL: ")
        assert len(mm.frames()) == n0 + 3
    finally:
        os.close(fd)


def test_shell_echo(mm):
    ctl = mm.p("control")
    r = subprocess.run(["sh", "-c", "echo 'alloc_pages order=3' > %s" % ctl],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(["bash", "-c", "echo 'alloc_pages order=99' > %s" % ctl],
                       capture_output=True, text=True)
    assert r.returncode != 0
    assert "Invalid argument" in r.stderr
    r = subprocess.run(["sh", "-c", "echo 'free_pages pfn=0x1' > %s" % ctl],
                       capture_output=True, text=True)
    assert r.returncode != 0 and r.stderr      # dash says "I/O error" for any errno
    assert "error EINVAL" in mm.read("log")
    r = subprocess.run(["sh", "-c", "printf 'drain_all_pages' > %s" % ctl])
    assert r.returncode == 0


def state(mm):
    mm.ok("drain_all_pages")
    return (mm.read("buddyinfo"), mm.frames())


ERROR_ROWS = [
    ("frobnicate", errno.EINVAL),
    ("alloc_pages", errno.EINVAL),                    # missing order=
    ("alloc_pages order=11", errno.EINVAL),
    ("alloc_pages order=-1", errno.EINVAL),
    ("alloc_pages order=x", errno.EINVAL),
    ("alloc_pages order=0 gfp=GFP_BOGUS", errno.EINVAL),
    ("alloc_pages order=0 gfp=__GFP_DMA|__GFP_HIGHMEM", errno.EINVAL),
    ("alloc_pages order=0 nid=7", errno.EINVAL),
    ("alloc_pages order=0 color=red", errno.EINVAL),
    ("alloc_pages order=0 order=1", errno.EINVAL),
    ("alloc_pages order", errno.EINVAL),
    ("free_pages pfn=0x1", errno.EINVAL),              # the kernel's or free
    ("free_pages pfn=0xffffffffffff", errno.EINVAL),
    ("get_page pfn=0x7fffffff", errno.EINVAL),
    ("lookup", errno.EINVAL),
    ("kmem_cache_destroy name=no_such_cache", errno.ENOENT),
]


@pytest.mark.parametrize("line,err", ERROR_ROWS)
def test_error_rows(mm, line, err):
    before = state(mm)
    with pytest.raises(OSError) as ei:
        mm.cmd(line)
    assert ei.value.errno == err, (line, ei.value)
    assert ei.value.reply.startswith("error %s: " % {errno.EINVAL: "EINVAL", errno.ENOENT: "ENOENT"}[err])
    assert state(mm) == before
    mm.validate()


def test_free_errors_change_nothing(mm):
    pfn = mm.alloc(2)
    before = state(mm)
    for line in ("free_pages pfn=0x%x" % (pfn + 1), "put_page pfn=0x%x" % (pfn + 2)):
        with pytest.raises(OSError) as ei:
            mm.cmd(line)
        assert ei.value.errno == errno.EINVAL
        assert state(mm) == before
    mm.free(pfn)
    with pytest.raises(OSError) as ei:                  # double free
        mm.cmd("free_pages pfn=0x%x" % pfn)
    assert ei.value.errno == errno.EINVAL
    mm.validate()


def test_get_put_page(mm):
    pfn = mm.alloc(0)
    assert mm.ok("get_page pfn=0x%x" % pfn)["refcount"] == "2"
    assert os.getxattr(mm.p("frames/0x%x" % pfn), "user.mm.refcount") == b"2"
    assert mm.ok("put_page pfn=0x%x" % pfn)["refcount"] == "1"
    assert mm.ok("put_page pfn=%d" % pfn)["refcount"] == "0"     # decimal works too
    assert "0x%x" % pfn not in os.listdir(mm.p("frames"))
    mm.validate()


def test_enomem_and_warn_alloc(mount_mmfs):
    mm = mount_mmfs("mem=32M,cpus=2")
    pfns = []
    while True:
        before = mm.read("buddyinfo")
        try:
            pfns.append(mm.alloc(9))
        except OSError as e:
            assert e.errno == errno.ENOMEM
            assert e.reply.startswith("error ENOMEM: ")
            break
        assert len(pfns) < 100
    mm.ok("drain_all_pages")
    log = mm.read("log")
    assert "page allocation failure: order:9" in log
    for p in pfns:
        mm.free(p)
    mm.validate()


def test_user_limit(mount_mmfs):
    mm = mount_mmfs("user_limit=64K,cpus=2")
    a = mm.alloc(3)                                     # 32K
    b = mm.alloc(2)                                     # 16K -> 48K
    before = state(mm)
    with pytest.raises(OSError) as ei:
        mm.alloc(3)                                     # would be 80K
    assert ei.value.errno == errno.ENOMEM
    assert state(mm) == before
    mm.alloc(2)                                         # exactly 64K
    mm.free(a)
    mm.alloc(3)
    mm.validate()


def test_lines_of_any_bytes(mm):
    for data in (b"alloc_pages order=0\x00\n", b"\xff\xfe\x80 order=1\n", b"x" * 70000 + b"\n",
                 b"alloc_pages order=" + b"9" * 5000 + b"\n", b"=\n", b"alloc_pages =3\n"):
        before = state(mm)
        fd = mm.ctl_open()
        try:
            with pytest.raises(OSError) as ei:
                os.write(fd, data)
            assert ei.value.errno == errno.EINVAL
            assert os.read(fd, 65536).decode(errors="replace").startswith("error EINVAL")
        finally:
            os.close(fd)
        assert state(mm) == before
    mm.validate()


def test_lookup(mm):
    pfn = mm.alloc(1)
    r = mm.ok("lookup pfn=0x%x" % pfn)
    assert int(r["pfn"], 16) == pfn and r["node"] == "0" and r["zone"] == "Normal"
    r = mm.ok("lookup addr=0x%x" % (0xffff888000000000 + pfn * PAGE + 100))
    assert int(r["pfn"], 16) == pfn
    # a free page says where it sits
    mm.free(pfn)
    mm.ok("drain_all_pages")
    reply = mm.cmd("lookup pfn=0x%x" % pfn)
    assert "state=" in reply and "buddy" in reply, reply
