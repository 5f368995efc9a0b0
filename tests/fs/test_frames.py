# SPDX-License-Identifier: GPL-2.0-or-later
"""Frame files (SPEC §3): I/O, limits, xattrs, mmap shared and private,
coherence between opens and processes, rm, open = remap + pin."""
import errno
import mmap
import os
import re
import subprocess
import sys
import threading
import time

import pytest

from conftest import PAGE, wait_for


def frame(mm, pfn):
    return mm.p("frames/0x%x" % pfn)


def test_frame_stat(mm):
    t0 = time.time()
    pfn = mm.alloc(3)
    st = os.stat(frame(mm, pfn))
    assert st.st_size == PAGE << 3
    assert st.st_mode & 0o7777 == 0o600
    assert st.st_uid == os.getuid()
    assert abs(st.st_mtime - t0) < 5
    # frames/ is in pfn order, lowercase hex, kernel blocks included
    names = os.listdir(mm.p("frames"))
    pfns = [int(n, 16) for n in names]
    assert pfns == sorted(pfns)
    assert all(n == "0x%x" % p for n, p in zip(names, pfns))
    kernel = [p for p in pfns if os.stat(frame(mm, p)).st_uid == 0 and
              os.getxattr(frame(mm, p), "user.mm.owner") != b"user:0"]
    assert kernel, "the kernel's own blocks (slab pages) are listed too"
    assert os.stat(frame(mm, kernel[0])).st_mode & 0o777 == 0o400


def test_frame_io(mm):
    pfn = mm.alloc(1)
    size = PAGE * 2
    fd = os.open(frame(mm, pfn), os.O_RDWR)
    try:
        assert os.pread(fd, size, 0) == b"\0" * size        # zeroed for the user
        assert os.pwrite(fd, b"hello", 4090) == 5
        assert os.pread(fd, 10, 4088) == b"\0\0hello\0\0\0"
        assert os.pread(fd, 100, size) == b""                # nothing past the end
        assert os.pread(fd, 100, size - 3) == b"\0\0\0"
        with pytest.raises(OSError) as ei:
            os.pwrite(fd, b"x", size)
        assert ei.value.errno == errno.EFBIG
        assert os.pwrite(fd, b"abcdef", size - 2) == 2      # short write at the end
        with pytest.raises(OSError) as ei:
            os.ftruncate(fd, 0)
        assert ei.value.errno == errno.EPERM
    finally:
        os.close(fd)
    with pytest.raises(OSError) as ei:
        os.truncate(frame(mm, pfn), 100)
    assert ei.value.errno == errno.EPERM
    # another open sees the bytes
    with open(frame(mm, pfn), "rb") as f:
        data = f.read()
    assert data[4090:4095] == b"hello" and data[-2:] == b"ab" and len(data) == size
    mm.validate()


def test_xattrs(mm):
    pfn = mm.alloc(2, gfp="GFP_KERNEL")
    path = frame(mm, pfn)
    names = set(os.listxattr(path))
    want = {"user.mm." + n for n in ("order", "flags", "refcount", "mapcount", "pincount", "node",
                                     "zone", "migratetype", "gfp", "owner", "vaddr", "page")}
    assert want <= names
    g = lambda n: os.getxattr(path, "user.mm." + n).decode()
    assert g("order") == "2"
    assert g("node") == "0"
    assert g("zone") == "Normal"
    assert g("migratetype") == "Unmovable"
    assert "GFP_KERNEL" in g("gfp") and "__GFP_ZERO" in g("gfp")
    assert g("owner") == "user:0"
    assert int(g("vaddr"), 16) == 0xffff888000000000 + pfn * PAGE
    assert int(g("page"), 16) == 0xffffea0000000000 + pfn * 64
    assert int(g("refcount")) == 1
    assert int(g("mapcount")) == 0
    with pytest.raises(OSError) as ei:
        os.setxattr(path, "user.mm.order", b"3")
    assert ei.value.errno in (errno.EPERM, errno.EACCES)
    with pytest.raises(OSError) as ei:
        os.getxattr(path, "user.mm.nonsense")
    assert ei.value.errno == errno.ENODATA


def test_rm_frees(mm):
    mm.ok("drain_all_pages")
    before = mm.read("buddyinfo")
    pfn = mm.alloc(5)
    assert mm.read("buddyinfo") != before
    os.unlink(frame(mm, pfn))
    assert not os.path.exists(frame(mm, pfn))
    mm.ok("drain_all_pages")
    assert mm.read("buddyinfo") == before
    # the kernel's own blocks cannot be removed
    kernel = next(p for p in mm.frames() if os.getxattr(frame(mm, p), "user.mm.owner").startswith(b"slab"))
    with pytest.raises(OSError) as ei:
        os.unlink(frame(mm, kernel))
    assert ei.value.errno in (errno.EPERM, errno.EACCES)
    mm.validate()


def test_mmap_shared_write_then_read_elsewhere(mm):
    pfn = mm.alloc(2)
    size = PAGE * 4
    fd = os.open(frame(mm, pfn), os.O_RDWR)
    m = mmap.mmap(fd, size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
    m[0:5] = b"first"
    m[size - 4:size] = b"last"
    m.flush()
    # through another open of this process
    fd2 = os.open(frame(mm, pfn), os.O_RDONLY)
    assert os.pread(fd2, 5, 0) == b"first"
    # through another process
    out = subprocess.run([sys.executable, "-c",
                          "import sys;f=open(sys.argv[1],'rb');d=f.read();"
                          "sys.stdout.write(d[:5].decode()+d[-4:].decode())", frame(mm, pfn)],
                         capture_output=True, text=True, check=True).stdout
    assert out == "firstlast"
    # a write through a file descriptor is seen by the mapping
    os.pwrite(fd, b"WRITE", 100)
    assert m[100:105] == b"WRITE"
    m.close()
    os.close(fd)
    os.close(fd2)
    # the other process maps it and writes; we read it with pread
    subprocess.run([sys.executable, "-c",
                    "import mmap,os,sys;fd=os.open(sys.argv[1],os.O_RDWR);"
                    "m=mmap.mmap(fd,%d);m[200:205]=b'child';m.flush();m.close();os.close(fd)" % size,
                    frame(mm, pfn)], check=True)
    with open(frame(mm, pfn), "rb") as f:
        assert f.read()[200:205] == b"child"
    mm.validate()


def test_mmap_private(mm):
    pfn = mm.alloc(0)
    fd = os.open(frame(mm, pfn), os.O_RDWR)
    os.pwrite(fd, b"orig", 0)
    m = mmap.mmap(fd, PAGE, mmap.MAP_PRIVATE, mmap.PROT_READ | mmap.PROT_WRITE)
    assert m[0:4] == b"orig"
    m[0:4] = b"priv"
    m.close()
    assert os.pread(fd, 4, 0) == b"orig"            # COW: the arena is untouched
    os.close(fd)


def test_reuse_of_pfn_is_a_new_file(mm):
    mm.ok("drain_all_pages")
    pfn = mm.alloc(5)
    with open(frame(mm, pfn), "r+b") as f:
        f.write(b"old contents")
    mm.free(pfn)
    pfn2 = mm.alloc(5)
    assert pfn2 == pfn                                 # LIFO free lists hand it back
    with open(frame(mm, pfn2), "rb") as f:
        assert f.read(12) == b"\0" * 12                # zeroed, no stale page cache


def test_open_remaps_and_pins(mm):
    pfn = mm.alloc(0)
    path = frame(mm, pfn)
    assert os.getxattr(path, "user.mm.refcount") == b"1"
    fd = os.open(path, os.O_RDWR)
    try:
        assert int(os.getxattr(path, "user.mm.refcount")) == 1 + 1024
        assert int(os.getxattr(path, "user.mm.pincount")) >= 1
        pid = os.getpid()
        maps = mm.read("pids/%d/maps" % pid)
        line = next(l for l in maps.splitlines() if l.endswith("/frames/0x%x" % pfn))
        start = int(line.split("-")[0], 16)
        smaps = mm.read("pids/%d/smaps" % pid)
        assert re.search(r"VmFlags:.* io .*pf|VmFlags:.*pf.* io ", smaps) or \
            ("pf" in smaps and "io" in smaps)
        with open(mm.p("pids/%d/pagemap" % pid), "rb") as f:
            f.seek((start // PAGE) * 8)
            ent = int.from_bytes(f.read(8), "little")
        assert ent >> 63 == 1 and ent & ((1 << 55) - 1) == pfn
    finally:
        os.close(fd)
    # the release is asynchronous
    assert wait_for(lambda: os.getxattr(path, "user.mm.refcount") == b"1")
    assert wait_for(lambda: not os.path.exists(mm.p("pids/%d" % os.getpid())))


def test_free_while_pinned(mm):
    mm.ok("drain_all_pages")
    before = mm.read("buddyinfo")
    pfn = mm.alloc(4)
    fd = os.open(frame(mm, pfn), os.O_RDWR)
    os.pwrite(fd, b"still here", 0)
    mm.free(pfn)
    assert "0x%x" % pfn not in os.listdir(mm.p("frames"))
    assert os.pread(fd, 10, 0) == b"still here"          # the opener keeps working
    mm.ok("drain_all_pages")
    assert mm.read("buddyinfo") != before                # not back on the free lists yet
    os.close(fd)

    def back():
        mm.ok("drain_all_pages")
        return mm.read("buddyinfo") == before
    assert wait_for(back)
    mm.validate()


def test_killed_client_releases_everything(mm):
    pfn = mm.alloc(1)
    path = frame(mm, pfn)
    child = subprocess.Popen([sys.executable, "-c",
                              "import mmap,os,sys,time;fd=os.open(sys.argv[1],os.O_RDWR);"
                              "m=mmap.mmap(fd,8192);m[0:4]=b'kill';fd2=os.open(sys.argv[1],os.O_RDONLY);"
                              "print('ready',flush=True);time.sleep(60)", path],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "ready"
    assert int(os.getxattr(path, "user.mm.refcount")) == 1 + 2 * 1024
    assert os.path.isdir(mm.p("pids/%d" % child.pid))
    child.kill()
    child.wait()
    assert wait_for(lambda: os.getxattr(path, "user.mm.refcount") == b"1")
    assert wait_for(lambda: not os.path.exists(mm.p("pids/%d" % child.pid)))
    with open(path, "rb") as f:
        assert f.read(4) == b"kill"                      # the store reached the arena
    mm.validate()


def test_change_through_object_file_reaches_frame_readers(mm):
    """A slab page is a frame too: a write through an object file (another
    path) is seen by readers of the frame, whose page cache is invalidated."""
    r = mm.ok("kmalloc size=64")
    obj = int(r["obj"], 16)
    phys = obj - 0xffff888000000000
    pfn = phys // PAGE
    # the block holding the object: its head is at or below pfn
    head = max(p for p in mm.frames() if p <= pfn)
    off = phys - head * PAGE
    with open(frame(mm, head), "rb") as f:
        assert f.read()[off:off + 8] == b"\0" * 8          # kmalloc'd for a user: zeroed
    with open(mm.p("caches/kmalloc-64/allocations", r["obj"]), "r+b") as f:
        f.write(b"coherent")

    def seen():
        with open(frame(mm, head), "rb") as f:
            return f.read()[off:off + 8] == b"coherent"
    assert wait_for(seen, 5)
    mm.ok("kfree obj=%s" % r["obj"])
    mm.validate()


def test_threads_of_one_process_share_its_address_space(mm):
    """Every thread of a process opens frames in the one address space of
    the process (its tgid), as current->mm is shared by threads: one pids/
    entry, named by the tgid, holding both mappings; pincount is exact."""
    pfns = [mm.alloc(0), mm.alloc(1)]
    fds, tids, errors = [None, None], [None, None], []
    opened = threading.Barrier(3, timeout=20)
    done = threading.Event()

    def opener(i):
        try:
            tids[i] = threading.get_native_id()
            fds[i] = os.open(frame(mm, pfns[i]), os.O_RDWR)
        except OSError as e:
            errors.append(e)
        opened.wait()
        done.wait(20)            # keep this thread alive while the main one looks

    ts = [threading.Thread(target=opener, args=(i,)) for i in range(2)]
    for t in ts:
        t.start()
    try:
        opened.wait()
        assert not errors, errors
        assert len(set(tids) | {os.getpid()}) == 3, "distinct thread ids"
        assert os.listdir(mm.p("pids")) == [str(os.getpid())]
        maps = mm.read("pids/%d/maps" % os.getpid())
        for p in pfns:
            assert maps.count("/frames/0x%x\n" % p) == 1, maps
        status = mm.read("pids/%d/status" % os.getpid())
        assert "\nTgid:\t%d\n" % os.getpid() in status
        assert "\nPinnedPages:\t3\n" in status           # 1 + 2 pages
        # exact pins, not refcount / 1024: take plain references on top
        path = frame(mm, pfns[0])
        for _ in range(3):
            mm.ok("get_page pfn=0x%x" % pfns[0])
        assert os.getxattr(path, "user.mm.pincount") == b"1"
        assert int(os.getxattr(path, "user.mm.refcount")) == 1 + 1024 + 3
        for _ in range(3):
            mm.ok("put_page pfn=0x%x" % pfns[0])
    finally:
        done.set()
        for t in ts:
            t.join(20)
        for fd in fds:
            if fd is not None:
                os.close(fd)
    assert wait_for(lambda: not os.listdir(mm.p("pids")))
    for p in pfns:
        assert os.getxattr(frame(mm, p), "user.mm.pincount") == b"0"
        assert os.getxattr(frame(mm, p), "user.mm.refcount") == b"1"
    mm.validate()


@pytest.mark.parametrize("loop", ["threads=multi", "threads=single"])
def test_many_threads_open_close_mmap_frames(mount_mmfs, loop):
    """Regression (threads=multi hang): 12 threads of one process open,
    read, write, mmap and close frames of a shared set at once, so the
    release of one frame keeps racing the open of another in the same
    address space.  Bounded: a fixed deadline, and joins with a timeout so
    a hang fails the test instead of blocking it."""
    m = mount_mmfs("cpus=2," + loop)
    pfns = [m.alloc(o) for o in (0, 0, 1, 2, 0, 3)]
    sizes = {p: PAGE << o for p, o in zip(pfns, (0, 0, 1, 2, 0, 3))}
    seconds, nthreads = 3.0, 12
    deadline = time.monotonic() + seconds
    ops, errors = [0] * nthreads, []

    def run(i):
        j = i
        try:
            while time.monotonic() < deadline:
                p = pfns[j % len(pfns)]
                j += 5
                off = 64 + i * 16                  # this thread's bytes in every block
                tag = b"t%02d-%012d" % (i, ops[i])      # 16 bytes
                fd = os.open(frame(m, p), os.O_RDWR)
                try:
                    if ops[i] % 3 == 0:
                        mp = mmap.mmap(fd, sizes[p], mmap.MAP_SHARED)
                        try:
                            mp[off:off + 16] = tag
                            got = mp[off:off + 16]
                        finally:
                            mp.close()
                    else:
                        os.pwrite(fd, tag, off)
                        got = os.pread(fd, 16, off)
                finally:
                    os.close(fd)
                if got != tag:
                    errors.append("thread %d: 0x%x read %r, wrote %r" % (i, p, got, tag))
                    return
                ops[i] += 1
        except Exception as e:                     # noqa: BLE001 - report, do not hang
            errors.append("thread %d: %r" % (i, e))

    ts = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(nthreads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(seconds + 60)
    hung = [i for i, t in enumerate(ts) if t.is_alive()]
    assert not hung, "threads %s hung (ops %s)" % (hung, ops)
    assert not errors, errors[:5]
    assert all(n > 0 for n in ops), ops
    # every release has come: no address space, no pin left
    assert wait_for(lambda: not os.listdir(m.p("pids")), 20), os.listdir(m.p("pids"))
    for p in pfns:
        assert os.getxattr(frame(m, p), "user.mm.pincount") == b"0"
        assert os.getxattr(frame(m, p), "user.mm.refcount") == b"1"
    m.validate()
    for p in pfns:
        m.free(p)
    m.validate()
    assert m.umount() == 0
