# SPDX-License-Identifier: GPL-2.0-or-later
"""Bad input (issue 7): one test per SPEC §6 row and per §1 option, and for
each kind of file: writes to read-only files, reads at odd offsets, huge
writes, partial writes, NUL bytes, concurrent writes on one control handle.
Each must give a clear errno and change nothing: buddyinfo (after
drain_all_pages) is the same before and after, and validate stays ok."""
import errno
import os
import threading

import pytest

from conftest import PAGE, run_mmfs
from test_quality_helpers import accounting_errors, ctl, user_blocks


class Unchanged:
    """with Unchanged(m): ... -> buddyinfo equal after drain, validate ok."""

    def __init__(self, m):
        self.m = m

    def __enter__(self):
        self.m.ok("drain_all_pages")
        self.before = self.m.buddyinfo()
        self.blocks = user_blocks(self.m)
        return self

    def __exit__(self, *exc):
        if exc[0]:
            return False
        self.m.ok("drain_all_pages")
        assert self.m.buddyinfo() == self.before
        assert user_blocks(self.m) == self.blocks
        self.m.validate()
        return False


def fails(m, line, err):
    e, reply = ctl(m.mnt, line)
    assert e == err, (line, e, reply)
    assert reply.startswith("error %s: " % errno.errorcode[err]), (line, reply)
    assert "\n" not in reply, reply
    return reply


# ------------------------------------------------------------- SPEC §6 rows
BAD_COMMANDS = [
    "frobnicate", "alloc_page order=0", "ALLOC_PAGES order=0", "alloc_pages",
    "alloc_pages order=", "alloc_pages order=abc", "alloc_pages order=-1", "alloc_pages order=11",
    "alloc_pages order=99999999999999999999999", "alloc_pages order=0 order=1",
    "alloc_pages order=0 colour=red", "alloc_pages order=0 nid=1", "alloc_pages order=0 nid=-1",
    "alloc_pages order=0 gfp=GFP_BOGUS", "alloc_pages order=0 gfp=GFP_KERNEL|",
    "alloc_pages order=0 gfp=__GFP_DMA|__GFP_HIGHMEM",
    "alloc_pages order=0 gfp=__GFP_MOVABLE|__GFP_RECLAIMABLE", "alloc_pages order",
    "alloc_pages =0", "kmalloc", "kmalloc size=0", "kmalloc size=-5", "kmalloc size=1Q",
    "kmalloc size=64 gfp=nonsense", "kmem_cache_create name=x", "kmem_cache_create size=10",
    "kmem_cache_create name=badsize size=0", "kmem_cache_create name=badalign size=64 align=3",
    "kmem_cache_create name=badflags size=64 flags=SLAB_NOPE", "free_pages", "free_pages pfn=zz",
    "kfree obj=", "kfree obj=banana", "lookup", "lookup pfn=1 addr=2", "lookup addr=0x1",
    "ksize obj=0x10", "validate now=1", "drain_all_pages please=1",
]


@pytest.mark.parametrize("line", BAD_COMMANDS)
def test_unknown_command_or_bad_argument_is_einval(mm, line):
    with Unchanged(mm):
        fails(mm, line, errno.EINVAL)


def test_allocation_impossible_is_enomem_with_warn_alloc(mount_mmfs):
    m = mount_mmfs("cpus=2,mem=32M")
    with Unchanged(m):
        held = []
        for _ in range(64):
            e, r = ctl(m.mnt, "alloc_pages order=10")
            if e:
                break
            held.append(int(r.split()[1].split("=")[1], 16))
        assert e == errno.ENOMEM and r.startswith("error ENOMEM"), (e, r)
        # DMA only exists below 16M: order 10 DMA blocks run out too
        log = m.read("log")
        assert "page allocation failure: order:10" in log
        assert "mode:" in log
        assert any(z in log.split("page allocation failure: order:10", 1)[1]
                   for z in ("DMA32", "Normal", "DMA"))       # per-zone free counts
        for p in held:
            m.free(p)


def test_free_or_put_of_no_allocated_head_is_einval(mm):
    pfn = mm.alloc(2)
    with Unchanged(mm):
        for line in ("free_pages pfn=0x%x" % (pfn + 1), "put_page pfn=0x%x" % (pfn + 3),
                     "get_page pfn=0x%x" % (pfn + 2), "free_pages pfn=0x0",
                     "free_pages pfn=0xffffffffffff", "get_page pfn=0x%x" % (1 << 52)):
            fails(mm, line, errno.EINVAL)
    mm.free(pfn)
    with Unchanged(mm):
        fails(mm, "free_pages pfn=0x%x" % pfn, errno.EINVAL)       # double free
        fails(mm, "put_page pfn=0x%x" % pfn, errno.EINVAL)
        fails(mm, "get_page pfn=0x%x" % pfn, errno.EINVAL)
    obj = mm.ok("kmalloc size=64")["obj"]
    mm.ok("kfree obj=" + obj)
    with Unchanged(mm):
        fails(mm, "kfree obj=" + obj, errno.EINVAL)                # double kfree
        fails(mm, "kfree obj=0x%x" % (int(obj, 16) + 8), errno.EINVAL)


def test_put_past_the_owner_reference_of_a_pinned_frame_is_einval(mm):
    """SPEC §3/§6: an open frame is pinned (FOLL_PIN); the owner's put_page
    drops the owner's reference, after which free_pages (or another
    put_page) is a double free: EINVAL, nothing changes.  Accepting it eats
    into the pin's GUP_PIN_COUNTING_BIAS and the last unpin drives the
    refcount negative (validate: 'allocated block ... has refcount -1')."""
    pfn = mm.alloc(0)
    f = os.open(mm.p("frames/0x%x" % pfn), os.O_RDWR)
    try:
        assert mm.ok("put_page pfn=0x%x" % pfn)["refcount"] == "1024"
        fails(mm, "free_pages pfn=0x%x" % pfn, errno.EINVAL)
        fails(mm, "put_page pfn=0x%x" % pfn, errno.EINVAL)
    finally:
        os.close(f)
    mm.ok("drain_all_pages")
    mm.validate()
    assert not accounting_errors(mm)


def test_kernel_blocks_are_eperm_through_control(mm):
    """Kernel blocks (slab pages) are not a user's to free: EPERM."""
    kernel = [int(n, 16) for n in os.listdir(mm.p("frames"))
              if not os.getxattr(mm.p("frames", n), "user.mm.owner").startswith(b"user:")]
    assert kernel
    with Unchanged(mm):
        for line in ("free_pages pfn=0x%x", "put_page pfn=0x%x", "get_page pfn=0x%x"):
            fails(mm, line % kernel[0], errno.EPERM)


def test_destroy_cache_with_live_objects_is_ebusy(mm):
    mm.ok("kmem_cache_create name=busy size=64")
    obj = mm.ok("kmem_cache_alloc name=busy")["obj"]
    with Unchanged(mm):
        fails(mm, "kmem_cache_destroy name=busy", errno.EBUSY)
    assert os.path.isdir(mm.p("caches/busy"))
    mm.ok("kmem_cache_free name=busy obj=" + obj)
    mm.ok("kmem_cache_destroy name=busy")
    with Unchanged(mm):
        e, r = ctl(mm.mnt, "kmem_cache_destroy name=busy")
        assert e in (errno.ENOENT, errno.EINVAL), (e, r)


def test_user_limit_is_enomem(mount_mmfs):
    m = mount_mmfs("cpus=2,mem=64M,user_limit=256K")
    pfn = m.alloc(6)                                  # 256 KiB: the whole limit
    with Unchanged(m):
        fails(m, "alloc_pages order=0", errno.ENOMEM)
        fails(m, "kmalloc size=8", errno.ENOMEM)
    m.free(pfn)
    m.free(m.alloc(6))


# ------------------------------------------------------------- SPEC §1 options
BAD_OPTIONS = [
    "mem=abc", "mem=0", "mem=12345", "memmap=garbage", "memmap=128M@", "memmap=@0",
    "nodes=0", "nodes=abc", "nodes=100000", "cpus=0", "cpus=-1", "cpus=many",
    "movablecore=abc", "movablecore=1G,mem=64M", "highmem=xyz", "highmem=1G,mem=64M",
    "slab=slib", "slub_debug=Q", "slub_debug=FZ:", "min_free_kbytes=-5",
    "min_free_kbytes=lots", "init_on_alloc=2", "init_on_alloc=yes", "init_on_free=-1",
    "hugepages=maybe", "memmodel=weird", "user_limit=much", "threads=several",
]


@pytest.mark.parametrize("opts", BAD_OPTIONS)
def test_bad_option_is_one_line_and_exit_1(opts):
    rc, err, mounted = run_mmfs(opts)
    assert rc == 1, (rc, err)
    assert not mounted
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("mmfs: "), lines


# ----------------------------------------------------------- file kinds
READ_ONLY = ["log", "meminfo", "buddyinfo", "zoneinfo", "vmstat", "iomem", "pagetypeinfo",
             "kpageflags", "kpagecount", "page_owner", "extfrag/extfrag_index",
             "extfrag/unusable_index", "nodes/node0/meminfo", "nodes/node0/distance",
             "nodes/node0/zones/Normal/free_area", "nodes/node0/zones/Normal/watermarks",
             "nodes/node0/zones/Normal/managed", "caches/kmalloc-64/object_size",
             "caches/kmalloc-64/objects_partial", "highmem/pkmap"]


@pytest.mark.parametrize("rel", READ_ONLY)
def test_write_to_read_only_file_is_refused(mm, rel):
    if not os.path.exists(mm.p(rel)):
        pytest.fail("%s is missing (SPEC §2)" % rel)
    with Unchanged(mm):
        with pytest.raises(OSError) as e:
            mm.write(rel, "1\n")
        assert e.value.errno in (errno.EACCES, errno.EPERM)
        with pytest.raises(OSError) as e:
            os.truncate(mm.p(rel), 0)
        assert e.value.errno in (errno.EACCES, errno.EPERM)


def test_odd_offsets(mm):
    with Unchanged(mm):
        whole = mm.readb("meminfo")
        fd = os.open(mm.p("meminfo"), os.O_RDONLY)
        try:
            assert os.pread(fd, 13, 7) == whole[7:20]
            assert os.pread(fd, 100, len(whole) + 12345) == b""
        finally:
            os.close(fd)
        fd = os.open(mm.p("kpageflags"), os.O_RDONLY)
        try:
            # as /proc/kpageflags: offset and count must be multiples of 8
            for off, n in ((3, 8), (0, 5), (8, 12)):
                with pytest.raises(OSError) as e:
                    os.pread(fd, n, off)
                assert e.value.errno == errno.EINVAL
            assert len(os.pread(fd, 16, 8)) == 16
            assert os.pread(fd, 8, os.fstat(fd).st_size) == b""
        finally:
            os.close(fd)
    pfn = mm.alloc(0)
    fd = os.open(mm.p("frames/0x%x" % pfn), os.O_RDWR)
    try:
        assert os.pwrite(fd, b"edge", PAGE - 4) == 4
        assert os.pread(fd, 100, PAGE - 4) == b"edge"
        assert os.pread(fd, 10, PAGE) == b""
        n = os.pwrite(fd, b"0123456789", PAGE - 6)       # straddles the end: short
        assert n == 6
        assert os.pread(fd, 6, PAGE - 6) == b"012345"
        with pytest.raises(OSError) as e:
            os.pwrite(fd, b"x", PAGE)
        assert e.value.errno == errno.EFBIG
        with pytest.raises(OSError) as e:
            os.ftruncate(fd, 0)
        assert e.value.errno == errno.EPERM
        assert os.fstat(fd).st_size == PAGE
    finally:
        os.close(fd)
    mm.free(pfn)


def test_huge_writes_to_control(mm):
    with Unchanged(mm):
        fd = mm.ctl_open()
        try:
            with pytest.raises(OSError) as e:
                os.write(fd, b"alloc_pages order=0 " + b"x" * (1 << 20) + b"\n")
            assert e.value.errno == errno.EINVAL
            reply = os.read(fd, 65536).decode()
            assert reply.startswith("error EINVAL") and reply.count("\n") == 1, reply[:200]
            # a 1 MiB line of a known command with a huge argument
            with pytest.raises(OSError) as e:
                os.write(fd, b"lookup pfn=" + b"9" * (1 << 20) + b"\n")
            assert e.value.errno == errno.EINVAL
            os.read(fd, 65536)
            # many commands in one large write (more than one FUSE request)
            n = 20000
            assert os.write(fd, b"drain_all_pages\n" * n) == 16 * n
            out = b""
            while True:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                out += chunk
            assert out == b"ok\n" * n
        finally:
            os.close(fd)


def test_partial_writes_are_separate_commands(mm):
    """A write is a complete set of lines: a command split over two writes
    is two bad commands, each refused, nothing allocated."""
    with Unchanged(mm):
        fd = mm.ctl_open()
        try:
            for part in (b"alloc_pa", b"ges order=0\n"):
                with pytest.raises(OSError) as e:
                    os.write(fd, part)
                assert e.value.errno == errno.EINVAL
            out = os.read(fd, 4096).decode().splitlines()
            assert len(out) == 2 and all(l.startswith("error EINVAL") for l in out), out
            # the first failing line stops the rest of the write
            with pytest.raises(OSError) as e:
                os.write(fd, b"drain_all_pages\nbogus\nalloc_pages order=0\n")
            assert e.value.errno == errno.EINVAL
            out = os.read(fd, 4096).decode().splitlines()
            assert out[0] == "ok" and out[1].startswith("error EINVAL") and len(out) == 2, out
        finally:
            os.close(fd)


@pytest.mark.parametrize("data", [b"alloc_pages\x00 order=0\n", b"\x00", b"alloc_pages order=0\x00\n",
                                  b"kmalloc size=64\n\x00kmalloc size=64\n"])
def test_nul_bytes_in_control(mm, data):
    with Unchanged(mm):
        fd = mm.ctl_open()
        try:
            with pytest.raises(OSError) as e:
                os.write(fd, data)
            assert e.value.errno == errno.EINVAL
            assert os.read(fd, 4096).decode().startswith("error EINVAL")
        finally:
            os.close(fd)


ATTR_BAD = [
    ("sys/vm/min_free_kbytes", ["abc\n", "-1\n", "99999999999999999999\n", "\n", "12 13\n"]),
    ("sys/vm/watermark_scale_factor", ["0\n", "3001\n", "x\n"]),
    ("sys/vm/watermark_boost_factor", ["-1\n", "ten\n"]),
    ("sys/vm/percpu_pagelist_high_fraction", ["3\n", "-8\n", "q\n"]),
    ("sys/vm/drop_caches", ["9\n", "abc\n"]),
    ("sys/kernel/fail_page_alloc/probability", ["101\n", "-3\n", "p\n"]),
    ("sys/kernel/fail_page_alloc/interval", ["x\n"]),
    ("caches/kmalloc-64/shrink", ["2\n", "yes\n"]),
    ("caches/kmalloc-64/validate", ["2\n", "yes\n"]),
    ("tracing/tracing_on", ["on\n", "-\n"]),
]


@pytest.mark.parametrize("rel,values", ATTR_BAD, ids=[a[0] for a in ATTR_BAD])
def test_bad_values_to_writable_attributes(mm, rel, values):
    with Unchanged(mm):
        before = mm.readb(rel) if os.stat(mm.p(rel)).st_mode & 0o444 else None
        for v in values:
            with pytest.raises(OSError) as e:
                mm.write(rel, v)
            assert e.value.errno == errno.EINVAL, (rel, v)
            if before is not None:
                assert mm.readb(rel) == before, (rel, v)


def test_concurrent_writes_to_one_control_fd(mm):
    """8 threads share one control handle, mixing good and bad commands:
    every write gets its own verdict, the replies are whole lines, one per
    command, and the good ones are all there."""
    fd = mm.ctl_open()
    verdicts = []
    lock = threading.Lock()

    def run(i):
        for k in range(30):
            line = b"validate\n" if (i + k) % 3 else b"nonsense %d\n" % i
            try:
                os.write(fd, line)
                v = 0
            except OSError as e:
                v = e.errno
            with lock:
                verdicts.append((line.startswith(b"validate"), v))

    with Unchanged(mm):
        ts = [threading.Thread(target=run, args=(i,)) for i in range(8)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        out = b""
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            out += chunk
        os.close(fd)
        lines = out.decode().splitlines()
        assert all((good and v == 0) or (not good and v == errno.EINVAL) for good, v in verdicts)
        assert len(lines) == len(verdicts)
        assert lines.count("ok") == sum(1 for g, _ in verdicts if g)
        assert all(l == "ok" or l.startswith("error EINVAL: unknown command") for l in lines), \
            [l for l in lines if l != "ok"][:3]


def test_read_control_before_any_write(mount_mmfs):
    """A read with no reply pending returns nothing (and the daemon must
    survive it: under UBSan a memcpy from the NULL buffer aborts it)."""
    from test_quality_helpers import umount_checked
    m = mount_mmfs("cpus=2,mem=64M")
    fd = m.ctl_open()
    try:
        assert os.read(fd, 4096) == b""
        assert os.read(fd, 1) == b""
        os.write(fd, b"validate\n")
        assert os.read(fd, 4096) == b"ok\n"
        assert os.read(fd, 4096) == b""
    finally:
        os.close(fd)
    umount_checked(m)


@pytest.mark.parametrize("slab", ["slub", "slab", "slob"])
def test_cache_alloc_gfp_against_cache_flags(mount_mmfs, slab):
    """A valid gfp (GFP_KERNEL|__GFP_MOVABLE) on a SLAB_RECLAIM_ACCOUNT cache:
    the slab's page request would carry MOVABLE|RECLAIMABLE, a combination
    the page allocator refuses (SPEC §4: bad gfp is EINVAL).  Whether the
    object is refused or allocated, the page allocator must stay sound."""
    m = mount_mmfs("cpus=2,mem=64M,slab=" + slab)
    m.ok("kmem_cache_create name=rcl size=100 flags=SLAB_RECLAIM_ACCOUNT")
    for gfp in ("GFP_KERNEL|__GFP_MOVABLE", "GFP_HIGHUSER_MOVABLE"):
        e, r = ctl(m.mnt, "kmem_cache_alloc name=rcl gfp=" + gfp)
        assert e in (0, errno.EINVAL), (gfp, e, r)
        if e == 0:
            m.ok("kmem_cache_free name=rcl obj=" + r.split()[1].split("=")[1])
        m.validate()
    m.ok("kmem_cache_destroy name=rcl")
    m.ok("drain_all_pages")
    m.validate()
    assert not accounting_errors(m)
