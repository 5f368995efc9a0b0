# SPDX-License-Identifier: GPL-2.0-or-later
"""Faults (issue 7): a client killed while it holds frames mapped (so
pinned) gives everything back; a daemon killed with SIGKILL leaves a mount
that fusermount3 -u clears, and a fresh daemon starts there; with
sys/kernel/fail_page_alloc on, alloc_pages, kmalloc and kmem_cache_alloc
through control fail with ENOMEM, leak nothing and leave validate clean."""
import errno
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import MMFS_BIN, Mount, wait_for
from test_quality_helpers import accounting_errors, ctl, settle, user_blocks

HOLDER = r"""
import mmap, os, sys
mnt = sys.argv[1]
fd = os.open(mnt + "/control", os.O_RDWR)
maps = []
for i, order in enumerate((0, 2, 4)):
    os.write(fd, b"alloc_pages order=%d\n" % order)
    pfn = os.read(fd, 4096).decode().split()[1].split("=")[1]
    f = os.open(mnt + "/frames/" + pfn, os.O_RDWR)
    mp = mmap.mmap(f, 4096 << order, mmap.MAP_SHARED)
    mp[:5] = b"held%d" % i
    os.close(f)                       # the mapping keeps the pin
    maps.append(mp)
    if i == 1:                        # freed while mapped: only the pin holds it
        os.write(fd, ("free_pages pfn=%s\n" % pfn).encode())
        os.read(fd, 4096)
    print(pfn, flush=True)
print("ready", flush=True)
sys.stdin.read()                      # until killed
"""


def test_sigkill_client_with_mapped_frames(mm):
    mm.ok("drain_all_pages")
    before = mm.buddyinfo()
    p = subprocess.Popen([sys.executable, "-c", HOLDER, mm.mnt], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    pfns = []
    for line in p.stdout:
        if line.strip() == "ready":
            break
        pfns.append(int(line, 16))
    assert len(pfns) == 3
    # pinned and mapped: the client's address space shows them
    assert wait_for(lambda: str(p.pid) in os.listdir(mm.p("pids")))
    maps = mm.read("pids", str(p.pid), "maps")
    for pfn in (pfns[0], pfns[2]):
        assert "/frames/0x%x" % pfn in maps
        assert int(os.getxattr(mm.p("frames/0x%x" % pfn), "user.mm.pincount")) >= 1
    assert not os.path.exists(mm.p("frames/0x%x" % pfns[1]))    # freed, still pinned
    p.kill()
    p.wait()
    # FUSE release is asynchronous: poll for the unpin
    assert settle(mm), "pids/%d still there after SIGKILL" % p.pid
    for pfn in (pfns[0], pfns[2]):
        assert wait_for(lambda: os.getxattr(mm.p("frames/0x%x" % pfn), "user.mm.pincount") == b"0")
        assert os.getxattr(mm.p("frames/0x%x" % pfn), "user.mm.refcount") == b"1"
        mm.free(pfn)
    # the block freed while pinned went back with the last unpin
    r = mm.cmd("lookup pfn=0x%x" % pfns[1]).strip()
    assert re.search(r" state=(buddy|pcp) ", r), r
    mm.ok("drain_all_pages")
    mm.validate()
    assert mm.buddyinfo() == before
    assert not accounting_errors(mm)


def test_sigkill_daemon_then_fusermount_and_restart():
    m = Mount("cpus=2,mem=64M")
    try:
        pfn = m.alloc(0)
        m.proc.send_signal(signal.SIGKILL)
        m.proc.wait(10)
        # the mount is still there, but dead: ENOTCONN
        with pytest.raises(OSError) as e:
            os.listdir(m.mnt)
        assert e.value.errno == errno.ENOTCONN
        r = subprocess.run(["fusermount3", "-u", m.mnt], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert not os.path.ismount(m.mnt)
        # a fresh daemon on the same mountpoint: a fresh machine
        p = subprocess.Popen([MMFS_BIN, "-f", "-o", "cpus=2,mem=64M", m.mnt],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            assert wait_for(lambda: os.path.ismount(m.mnt) or p.poll() is not None, 20)
            assert os.path.ismount(m.mnt)
            assert not os.path.exists(os.path.join(m.mnt, "frames/0x%x" % pfn))
            err, r = ctl(m.mnt, "validate")
            assert (err, r) == (0, "ok")
        finally:
            subprocess.run(["fusermount3", "-u", m.mnt])
            assert p.wait(15) == 0, p.stderr.read()
    finally:
        m.rc = 0                 # killed on purpose above
        m.cleanup()


FAIL = "sys/kernel/fail_page_alloc"


def set_fail(m, probability, interval=1, times=-1, space=0):
    for k, v in (("interval", interval), ("times", times), ("space", space),
                 ("probability", probability)):
        m.write("%s/%s" % (FAIL, k), "%d\n" % v)


@pytest.mark.parametrize("slab", ["slub", "slab", "slob"])
def test_fail_page_alloc_enomem_nothing_leaks(mount_mmfs, slab):
    m = mount_mmfs("cpus=2,mem=128M,slab=" + slab)
    m.ok("kmem_cache_create name=fcache size=512")
    m.ok("drain_all_pages")
    before = m.buddyinfo()
    assert m.read(FAIL + "/probability").strip() == "0"
    set_fail(m, 100)
    assert m.read(FAIL + "/probability").strip() == "100"
    for line in ("alloc_pages order=0", "alloc_pages order=5 gfp=GFP_KERNEL|__GFP_COMP",
                 "kmalloc size=65536",            # past the kmalloc caches: pages
                 "kmem_cache_alloc name=fcache"):  # an empty cache needs a slab page
        err, r = ctl(m.mnt, line)
        assert err == errno.ENOMEM and r.startswith("error ENOMEM"), (line, err, r)
    assert "page allocation failure" in m.read("log")
    assert user_blocks(m) == []
    assert os.listdir(m.p("caches/fcache/allocations")) == []
    set_fail(m, 0)
    m.ok("drain_all_pages")
    m.validate()
    assert m.buddyinfo() == before
    assert not accounting_errors(m)
    # and everything works again
    pfn = m.alloc(0)
    obj = m.ok("kmem_cache_alloc name=fcache")["obj"]
    m.ok("kmem_cache_free name=fcache obj=" + obj)
    m.free(pfn)
    m.ok("kmem_cache_destroy name=fcache")
    m.validate()


def test_fail_page_alloc_times_and_interval(mm):
    """times=N fails exactly N allocations; interval=N only every Nth;
    space=N lets N bytes through first (lib/fault-inject.c should_fail)."""
    mm.ok("drain_all_pages")
    set_fail(mm, 100, interval=1, times=2)
    res = [ctl(mm.mnt, "alloc_pages order=3")[0] for _ in range(4)]
    assert res == [errno.ENOMEM, errno.ENOMEM, 0, 0], res
    assert mm.read(FAIL + "/times").strip() == "0"
    for pfn in (b[0] for b in user_blocks(mm)):
        mm.free(pfn)
    set_fail(mm, 100, interval=3, times=-1)
    res = [ctl(mm.mnt, "alloc_pages order=3")[0] for _ in range(6)]
    assert res.count(errno.ENOMEM) == 2 and res.count(0) == 4, res
    # space=N: the first N bytes of requests pass, then failures begin
    set_fail(mm, 100, interval=1, times=-1, space=3 * 4096)
    res = [ctl(mm.mnt, "alloc_pages order=0")[0] for _ in range(4)]
    assert res == [0, 0, errno.ENOMEM, errno.ENOMEM], res
    set_fail(mm, 0)
    for pfn in (b[0] for b in user_blocks(mm)):
        mm.free(pfn)
    mm.ok("drain_all_pages")
    mm.validate()
    assert not accounting_errors(mm)


def test_fail_page_alloc_random_stress(mm):
    """probability=30: a burst of mixed allocations, each either works or
    fails with ENOMEM; freeing what worked leaves the books balanced."""
    mm.ok("kmem_cache_create name=rcache size=1000")
    mm.ok("drain_all_pages")
    before = mm.buddyinfo()
    set_fail(mm, 30)
    fd = mm.ctl_open()
    held = []
    try:
        for i in range(300):
            line = ("alloc_pages order=%d" % (i % 4), "kmalloc size=%d" % (8 << (i % 12)),
                    "kmem_cache_alloc name=rcache")[i % 3]
            err, r = ctl(mm.mnt, line, fd)
            assert err in (0, errno.ENOMEM), (line, err, r)
            if not err:
                held.append(r)
    finally:
        os.close(fd)
        set_fail(mm, 0)
    for r in held:
        kv = dict(x.split("=", 1) for x in r.split()[1:])
        if "pfn" in kv and "obj" not in kv:
            mm.free(int(kv["pfn"], 16))
        elif "cache" in kv or "pfn" in kv:
            mm.ok("kfree obj=" + kv["obj"])
        else:
            mm.ok("kmem_cache_free name=rcache obj=" + kv["obj"])
    mm.ok("kmem_cache_destroy name=rcache")
    mm.ok("drain_all_pages")
    mm.validate()
    assert user_blocks(mm) == []
    assert not accounting_errors(mm)
