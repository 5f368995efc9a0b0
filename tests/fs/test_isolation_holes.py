# SPDX-License-Identifier: GPL-2.0-or-later
"""Isolation and lifetime holes a hostile second user found (issue 12, SPEC
§3-§6), each reproduced as that user would: two real uids (useradd +
setpriv), -o allow_other, each user a long-lived process of its own that
keeps its file descriptors open between steps.

  1. a freed object's handle never reaches the next owner's object (ESTALE);
     caches/NAME/objects is the sysfs count, allocations/ the user objects
  2. get_page then free_pages: the block stays allocated and listed in
     page_owner, and the owner's put_page releases it
  3. user_limit counts blocks freed while pinned (open + rm)
  4. kmap then free_pages: the kmap keeps the block; kunmap releases both
  5. unread replies are capped at 1 MiB (ENOBUFS, nothing run)
  6. one client's 8000-line write never stalls another's read past 100 ms
  8. no raw terminal escapes in replies or log
  9. cache names must be valid sysfs names
 10. open(O_TRUNC) of a frame or object is EPERM
"""
import errno
import json
import os
import subprocess
import sys
import threading
import time

import pytest

from test_quality_helpers import ensure_user

A, B = "mmfs_qa", "mmfs_qb"
PAGE = 4096

# A user's process: one JSON request per line on stdin, one JSON answer per
# line on stdout ([errno or 0, value]).  It keeps its control fd and every
# fd it opens (by name) until told to close them.
AGENT = r"""
import json, mmap, os, sys, time
mnt = sys.argv[1]
ctl = os.open(os.path.join(mnt, "control"), os.O_RDWR)
fds, maps = {}, {}
def p(rel): return os.path.join(mnt, rel)
def ctl_run(data):
    try:
        os.write(ctl, data)
        err = 0
    except OSError as e:
        err = e.errno
    return [err, os.read(ctl, 1 << 21).decode("latin-1")]
for line in sys.stdin:
    op = json.loads(line)
    k = op[0]
    try:
        if k == "ctl":
            out = ctl_run((op[1] + "\n").encode("latin-1"))
        elif k == "open":
            fds[op[1]] = os.open(p(op[2]), op[3])
            out = [0, ""]
        elif k == "pread":
            out = [0, os.pread(fds[op[1]], op[2], op[3]).decode("latin-1")]
        elif k == "pwrite":
            out = [0, os.pwrite(fds[op[1]], op[2].encode("latin-1"), op[3])]
        elif k == "close":
            os.close(fds.pop(op[1]))
            out = [0, ""]
        elif k == "rm":
            os.unlink(p(op[1]))
            out = [0, ""]
        elif k == "read":
            with open(p(op[1]), "rb") as f:
                out = [0, f.read().decode("latin-1")]
        elif k == "timed_reads":        # read a file again and again: latencies
            lat, end = [], time.monotonic() + op[2]
            while time.monotonic() < end:
                t = time.monotonic()
                with open(p(op[1]), "rb") as f:
                    f.read()
                lat.append(time.monotonic() - t)
                time.sleep(0.01)
            out = [0, lat]
        else:
            out = [-1, "unknown op"]
    except OSError as e:
        out = [e.errno, str(e)]
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
"""


class Agent:
    """A long-lived process of one user on one mount."""

    def __init__(self, user, mnt):
        import pwd
        pw = pwd.getpwnam(user)
        self.proc = subprocess.Popen(
            ["setpriv", "--reuid=%d" % pw.pw_uid, "--regid=%d" % pw.pw_gid, "--clear-groups",
             sys.executable, "-c", AGENT, mnt],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def __call__(self, *op):
        self.proc.stdin.write(json.dumps(list(op)) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, "agent died: " + self.proc.stderr.read()
        return json.loads(line)

    def ok(self, line):
        err, reply = self("ctl", line)
        assert err == 0 and reply.startswith("ok"), (line, err, reply)
        return dict(x.split("=", 1) for x in reply.split()[1:] if "=" in x)

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def agents():
    made = []

    def make(user, mnt):
        ensure_user(user)
        a = Agent(user, mnt)
        made.append(a)
        return a

    yield make
    for a in made:
        a.close()


def page_owner_pfns(m):
    return [int(line.split()[1], 16) for line in m.read("page_owner").splitlines()
            if line.startswith("PFN ")]


def lookup_state(m, pfn):
    return m.ok("lookup pfn=0x%x" % pfn)["state"]


# ------------------------------------------------------------------ 1
def test_freed_object_handle_is_stale_even_when_the_address_is_reused(mount_mmfs, agents):
    # one simulated CPU: one cpu slab, whose LIFO freelist hands X to the
    # next kmalloc-64 whichever session thread serves it
    m = mount_mmfs("allow_other,cpus=1,mem=128M")
    a, b = agents(A, m.mnt), agents(B, m.mnt)
    x = a.ok("kmalloc size=64")["obj"]
    path = "caches/kmalloc-64/allocations/" + x
    assert a("open", "h", path, os.O_RDWR) == [0, ""]
    assert a("pwrite", "h", "secret-of-a", 0) == [0, 11]
    a.ok("kfree obj=" + x)
    # B allocates until it is handed X again
    got = []
    for _ in range(2000):
        o = b.ok("kmalloc size=64")["obj"]
        got.append(o)
        if o == x:
            break
    assert got[-1] == x, "X was never handed out again"
    assert b("open", "h", path, os.O_RDWR) == [0, ""]
    assert b("pwrite", "h", "bbbbbbbb", 0) == [0, 8]
    # A's old handle reaches nothing: ESTALE both ways, B's bytes unchanged
    assert a("pread", "h", 8, 0)[0] == errno.ESTALE
    assert a("pwrite", "h", "AAAAAAAA", 0)[0] == errno.ESTALE
    assert b("pread", "h", 8, 0) == [0, "bbbbbbbb"]
    # A's own new allocation at another address: the old handle stays stale
    a.ok("kmalloc size=64")
    assert a("pread", "h", 8, 0)[0] == errno.ESTALE
    for o in got:
        b.ok("kfree obj=" + o)
    assert b("pread", "h", 8, 0)[0] == errno.ESTALE
    m.validate()


def test_caches_objects_is_the_sysfs_count_and_allocations_the_files(mount_mmfs, agents):
    m = mount_mmfs("allow_other,cpus=2,mem=128M")
    a = agents(A, m.mnt)
    d = m.p("caches", "kmalloc-96")
    assert os.path.isfile(os.path.join(d, "objects"))
    assert os.path.isdir(os.path.join(d, "allocations"))
    before = int(m.read("caches/kmalloc-96/objects").split()[0])   # "N N0=N"
    objs = [a.ok("kmalloc size=96")["obj"] for _ in range(50)]
    after = int(m.read("caches/kmalloc-96/objects").split()[0])
    # SLUB's objects_show: objects in the cache's slabs less the free ones
    # on node partial lists; the cpu slab counts whole
    assert after >= before + 50, (before, after)
    listed = sorted(os.listdir(os.path.join(d, "allocations")))
    assert listed == sorted(objs)
    for o in objs:
        a.ok("kfree obj=" + o)
    assert os.listdir(os.path.join(d, "allocations")) == []
    m.validate()


def test_frame_handle_keeps_its_pinned_block_and_nothing_after(mount_mmfs, agents):
    """SPEC §3: an open pins; the opener keeps working after rm, until its
    close frees the block; then the pfn is someone else's and the old name
    does not reach it."""
    m = mount_mmfs("allow_other,cpus=2,mem=128M")
    a, b = agents(A, m.mnt), agents(B, m.mnt)
    pfn = a.ok("alloc_pages order=0")["pfn"]
    assert a("open", "f", "frames/" + pfn, os.O_RDWR) == [0, ""]
    assert a("pwrite", "f", "mine", 0) == [0, 4]
    assert a("rm", "frames/" + pfn) == [0, ""]
    assert a("pread", "f", 4, 0) == [0, "mine"]       # pinned: still A's
    assert not os.path.exists(m.p("frames", pfn))
    assert a("close", "f") == [0, ""]
    m.ok("drain_all_pages")
    pfns = [b.ok("alloc_pages order=0")["pfn"] for _ in range(64)]
    if pfn in pfns:
        assert a("open", "g", "frames/" + pfn, os.O_RDWR)[0] == errno.EACCES
        assert b("read", "frames/" + pfn)[1] == "\0" * PAGE   # zeroed for B
    m.validate()


# ------------------------------------------------------------------ 2
def test_get_page_then_free_pages_keeps_the_block_until_put(mount_mmfs, agents):
    m = mount_mmfs("allow_other,cpus=2,mem=128M,user_limit=8K")
    a, b = agents(A, m.mnt), agents(B, m.mnt)
    pfn = int(a.ok("alloc_pages order=0")["pfn"], 16)
    assert a.ok("get_page pfn=0x%x" % pfn)["refcount"] == "2"
    a.ok("free_pages pfn=0x%x" % pfn)
    # the owner's reference went; the block stays allocated, listed in
    # page_owner, counted for A (one more page fits under 8K, not two)
    assert "0x%x" % pfn not in os.listdir(m.p("frames"))
    assert pfn in page_owner_pfns(m)
    assert lookup_state(m, pfn) == "allocated"
    second = a.ok("alloc_pages order=0")["pfn"]
    err, reply = a("ctl", "alloc_pages order=0")
    assert err == errno.ENOMEM, reply
    a.ok("free_pages pfn=" + second)
    # the reference is A's: B may not drop it, a second free_pages is refused
    err, reply = b("ctl", "put_page pfn=0x%x" % pfn)
    assert err == errno.EACCES, reply
    err, reply = a("ctl", "free_pages pfn=0x%x" % pfn)
    assert err == errno.EINVAL, reply
    m.validate()
    # A's last put frees it: no longer listed, back on the free lists
    assert a.ok("put_page pfn=0x%x" % pfn)["refcount"] == "0"
    assert pfn not in page_owner_pfns(m)
    assert lookup_state(m, pfn) in ("buddy", "pcp")
    err, reply = a("ctl", "put_page pfn=0x%x" % pfn)
    assert err == errno.EINVAL, reply
    m.validate()


def test_root_can_release_a_freed_block_a_user_still_references(mount_mmfs, agents):
    m = mount_mmfs("allow_other,cpus=2,mem=128M")
    a = agents(A, m.mnt)
    pfn = a.ok("alloc_pages order=2")["pfn"]
    a.ok("get_page pfn=" + pfn)
    a.ok("get_page pfn=" + pfn)
    a.ok("free_pages pfn=" + pfn)
    assert m.ok("put_page pfn=" + pfn)["refcount"] == "1"
    assert m.ok("put_page pfn=" + pfn)["refcount"] == "0"
    assert int(pfn, 16) not in page_owner_pfns(m)
    m.validate()


# ------------------------------------------------------------------ 3
def test_user_limit_counts_blocks_freed_while_pinned(mount_mmfs, agents):
    m = mount_mmfs("allow_other,cpus=2,mem=128M,user_limit=64K")
    a = agents(A, m.mnt)
    held = []
    for i in range(8):
        err, reply = a("ctl", "alloc_pages order=4")
        if err:
            assert err == errno.ENOMEM, reply
            continue
        pfn = reply.split("pfn=")[1].split()[0]
        assert a("open", "f%d" % i, "frames/" + pfn, os.O_RDWR) == [0, ""]
        assert a("rm", "frames/" + pfn) == [0, ""]
        held.append("f%d" % i)
    # the first 64 KiB block is still A's memory while A's open pins it
    assert len(held) == 1, "%d x 64 KiB held under a 64K user_limit" % len(held)
    assert "user_limit reached" in m.read("log")
    for name in held:
        assert a("close", name) == [0, ""]
    # the last unpin frees it (the release reaches the daemon asynchronously)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        err, reply = a("ctl", "alloc_pages order=4")
        if err == 0:
            break
        time.sleep(0.05)
    assert err == 0, reply
    m.validate()


# ------------------------------------------------------------------ 4
def test_kmap_then_free_pages_keeps_block_and_slot_until_kunmap(mount_mmfs, agents):
    m = mount_mmfs("allow_other,cpus=2,mem=256M,highmem=64M")
    a, b = agents(A, m.mnt), agents(B, m.mnt)
    free_before = m.meminfo()["HighFree"]
    pfns = []
    # more kmaps than the 512 pkmap slots, each block freed while kmapped
    for _ in range(600):
        pfn = a.ok("alloc_pages order=0 gfp=GFP_HIGHUSER")["pfn"]
        err, reply = a("ctl", "kmap pfn=" + pfn)
        if err:
            assert err == errno.EAGAIN, reply
            a.ok("free_pages pfn=" + pfn)
            break
        a.ok("free_pages pfn=" + pfn)
        pfns.append(pfn)
    assert len(pfns) >= 500
    # each kmap keeps its block: allocated, in page_owner, not in frames/
    owned = set(page_owner_pfns(m))
    assert all(int(p, 16) in owned for p in pfns)
    assert not set(pfns) & set(os.listdir(m.p("frames")))
    assert len(m.read("highmem/pkmap").splitlines()) >= len(pfns)
    # B may neither kunmap nor put A's blocks
    err, reply = b("ctl", "kunmap pfn=" + pfns[0])
    assert err == errno.EACCES, reply
    # A's kunmaps release slots and blocks: everyone can kmap again
    for pfn in pfns:
        a.ok("kunmap pfn=" + pfn)
    err, reply = a("ctl", "kunmap pfn=" + pfns[0])
    assert err == errno.EINVAL, reply
    owned = set(page_owner_pfns(m))
    assert not any(int(p, 16) in owned for p in pfns)
    bp = b.ok("alloc_pages order=0 gfp=GFP_HIGHUSER")["pfn"]
    b.ok("kmap pfn=" + bp)
    b.ok("kunmap pfn=" + bp)
    b.ok("free_pages pfn=" + bp)
    m.ok("drain_all_pages")
    assert m.meminfo()["HighFree"] == free_before
    m.validate()


# ------------------------------------------------------------------ 5
def daemon_rss_kb(m):
    with open("/proc/%d/status" % m.proc.pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_unread_replies_are_capped_at_1mib(mount_mmfs):
    m = mount_mmfs("cpus=2,mem=128M")
    pfn = m.alloc(0)
    fd = m.ctl_open()
    try:
        batch = ("lookup pfn=0x%x\n" % pfn).encode() * 100
        rss0 = daemon_rss_kb(m)
        refused = None
        for i in range(2000):                  # up to 200000 lines, never read
            try:
                os.write(fd, batch)
            except OSError as e:
                refused = (i, e.errno)
                break
        assert refused and refused[1] == errno.ENOBUFS, refused
        # a refused write runs nothing, and more are refused the same way
        nframes = len(os.listdir(m.p("frames")))
        for _ in range(200):
            with pytest.raises(OSError) as ei:
                os.write(fd, b"alloc_pages order=0\n" + batch)
            assert ei.value.errno == errno.ENOBUFS
        assert len(os.listdir(m.p("frames"))) == nframes
        assert daemon_rss_kb(m) - rss0 < 32 * 1024       # not 890 MB
        assert "ENOBUFS" in m.read("log")
        pending = b""
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            pending += chunk
        assert 0 < len(pending) <= 1 << 20, len(pending)
        lines = pending.decode().splitlines()
        assert len(lines) == refused[0] * 100
        assert all(line.startswith("ok pfn=0x%x " % pfn) for line in lines)
        # once read, the file takes commands again
        os.write(fd, b"validate\n")
        assert os.read(fd, 100) == b"ok\n"
    finally:
        os.close(fd)
    m.validate()


# ------------------------------------------------------------------ 6
def test_a_long_batch_never_stalls_another_users_reads(mount_mmfs, agents):
    m = mount_mmfs("allow_other,cpus=2,mem=64M")     # the default session loop
    b = agents(B, m.mnt)
    ensure_user(A)
    import pwd
    pw = pwd.getpwnam(A)
    writer = subprocess.Popen(
        ["setpriv", "--reuid=%d" % pw.pw_uid, "--regid=%d" % pw.pw_gid, "--clear-groups",
         sys.executable, "-c",
         "import os,sys,time; fd=os.open(sys.argv[1]+'/control', os.O_RDWR);"
         "print('go', flush=True); t=time.monotonic();"
         "os.write(fd, b'validate\\n' * 8000); print(time.monotonic()-t);"
         "r=os.read(fd, 1<<20); print(r.count(b'ok\\n'))", m.mnt],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "go\n", writer.stderr.read()
        time.sleep(0.1)                       # the batch is running
        err, lat = b("timed_reads", "meminfo", 2.0)
        assert err == 0
        still_running = writer.poll() is None
        out, errout = writer.communicate(timeout=300)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    took, oks = out.split()
    assert int(oks) == 8000, (out, errout)
    assert still_running, "the batch (%s s) ended before the reads did" % took
    assert len(lat) >= 50, "%d reads in 2 s: %r" % (len(lat), lat)
    assert max(lat) < 0.100, "slowest meminfo read %.3f s (median %.4f)" % (
        max(lat), sorted(lat)[len(lat) // 2])
    m.validate()


def test_threads_single_still_works(mount_mmfs):
    m = mount_mmfs("cpus=2,mem=128M,threads=single")
    pfn = m.alloc(1)
    with open(m.p("frames", "0x%x" % pfn), "r+b") as f:
        f.write(b"one thread")
        f.seek(0)
        assert f.read(10) == b"one thread"
    m.free(pfn)
    assert m.cmd("validate\n" * 100).count("ok\n") == 100
    m.validate()


# ------------------------------------------------------------------ 8
ESCAPES = [
    "kmem_cache_create name=\x1b[31mred size=64",
    "\x1b]0;owned\x07",
    "alloc_pages order=\x1b[2J",
    "kmalloc size=64 gfp=GFP_KERNEL|\x1b[5m",
    "kmem_cache_alloc name=\x9b31m",
    "lookup addr=\x1bc",
]


def test_no_raw_escape_reaches_replies_or_log(mount_mmfs, agents):
    m = mount_mmfs("allow_other,cpus=2,mem=128M")
    b = agents(B, m.mnt)
    echoed = 0
    for line in ESCAPES:
        err, reply = b("ctl", line)
        assert err in (errno.EINVAL, errno.ENOENT), (line, err, reply)
        assert reply.startswith("error ") and reply.endswith("\n"), reply
        body = reply[:-1]
        assert all(0x20 <= ord(ch) < 0x7f for ch in body), repr(reply)
        echoed += "\\x1b" in body or "\\x9b" in body     # the error names the bad text
    assert echoed >= 3
    log = m.readb("log")
    assert all(c == 0x0a or 0x20 <= c < 0x7f for c in log), \
        [line for line in log.split(b"\n") if any(c < 0x20 or c >= 0x7f for c in line)][:3]
    # every command is quoted in log, escaped
    for line in ESCAPES:
        shown = "".join(ch if 0x20 <= ord(ch) < 0x7f else "\\x%02x" % ord(ch) for ch in line)
        assert ("'%s'" % shown).encode() in log, shown
    m.validate()


# ------------------------------------------------------------------ 9
def test_cache_names_must_be_valid_sysfs_names(mount_mmfs, agents):
    m = mount_mmfs("allow_other,cpus=2,mem=128M")
    b = agents(B, m.mnt)
    for name in (".", "..", "", "x" * 65, "a/b", "t\x01ab", "del\x7f"):
        err, reply = b("ctl", "kmem_cache_create name=%s size=64" % name)
        assert err == errno.EINVAL, (name, err, reply)
    b.ok("kmem_cache_create name=%s size=64" % ("y" * 64))
    b.ok("kmem_cache_create name=..dots.. size=32")
    out = subprocess.run(["ls", "-a", m.p("caches")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    names = out.stdout.split()
    assert names.count(".") == 1 and names.count("..") == 1
    assert "y" * 64 in names and "..dots.." in names
    for n in names:
        os.lstat(m.p("caches", n))
    m.validate()


# ------------------------------------------------------------------ 10
def test_open_o_trunc_of_frames_and_objects_is_eperm(mount_mmfs, agents):
    m = mount_mmfs("allow_other,cpus=2,mem=128M")
    a = agents(A, m.mnt)
    pfn = a.ok("alloc_pages order=0")["pfn"]
    obj = a.ok("kmalloc size=32")["obj"]
    frame, objp = "frames/" + pfn, "caches/kmalloc-32/allocations/" + obj
    for path in (frame, objp):
        assert a("open", "w", path, os.O_WRONLY) == [0, ""]
        assert a("pwrite", "w", "kept", 0) == [0, 4]
        a("close", "w")
        for flags in (os.O_WRONLY | os.O_TRUNC, os.O_RDWR | os.O_TRUNC):
            err, _ = a("open", "t", path, flags)
            assert err == errno.EPERM, (path, flags, err)
        assert a("read", path)[1][:4] == "kept"
    # the shell's `>` is O_TRUNC too
    pw = __import__("pwd").getpwnam(A)
    r = subprocess.run(["setpriv", "--reuid=%d" % pw.pw_uid, "--regid=%d" % pw.pw_gid,
                        "--clear-groups", "sh", "-c", "echo x > " + m.p(frame)],
                       capture_output=True, text=True)
    assert r.returncode != 0 and "not permitted" in r.stderr, r
    assert a("read", frame)[1][:4] == "kept"
    m.validate()
