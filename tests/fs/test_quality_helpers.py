# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers shared by the test_quality_* files (issue 7): page accounting,
leftover user blocks and objects, unprivileged users, a worker that drives
one mount with mixed page/slab/frame work (used from threads and from
separate processes).  No tests here; this module imports nothing from
pytest so worker processes can load it cheaply."""
import errno
import mmap
import os
import pwd
import random
import re
import subprocess
import sys
import time

PAGE = 4096
HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- control
def ctl(mnt, line, fd=None):
    """Run one command: (errno or 0, reply line)."""
    own = fd is None
    if own:
        fd = os.open(os.path.join(mnt, "control"), os.O_RDWR)
    try:
        try:
            os.write(fd, (line + "\n").encode())
            err = 0
        except OSError as e:
            err = e.errno
        return err, os.read(fd, 65536).decode().strip()
    finally:
        if own:
            os.close(fd)


def kv(reply):
    return dict(x.split("=", 1) for x in reply.split()[1:] if "=" in x)


# ------------------------------------------------------------- accounting
def zone_pcp(m):
    """{(node, zone): pages on pcp lists}"""
    out = {}
    for nd in os.listdir(m.p("nodes")):
        nid = int(nd[4:])
        for z in os.listdir(m.p("nodes", nd, "zones")):
            total = 0
            for line in m.read("nodes", nd, "zones", z, "pcp").splitlines():
                parts = line.split()
                if len(parts) >= 2 and parts[0].startswith("cpu"):
                    total += int(parts[1])
            out[(nid, z)] = total
    return out


def frame_blocks(m):
    """[(pfn, pages, node, zone, owner)] for every block frames/ lists."""
    out = []
    for n in os.listdir(m.p("frames")):
        p = m.p("frames", n)
        try:
            st = os.stat(p)
            node = int(os.getxattr(p, "user.mm.node"))
            zone = os.getxattr(p, "user.mm.zone").decode()
            owner = os.getxattr(p, "user.mm.owner").decode()
        except FileNotFoundError:
            continue
        out.append((int(n, 16), st.st_size // PAGE, node, zone, owner))
    return out


def accounting_errors(m):
    """Every page of every zone must be free, on a pcp list or in an
    allocated block frames/ shows: free + pcp + allocated = managed."""
    zi = m.zoneinfo()
    pcp = zone_pcp(m)
    alloc = {}
    for _, pages, node, zone, _ in frame_blocks(m):
        alloc[(node, zone)] = alloc.get((node, zone), 0) + pages
    errs = []
    for key, z in zi.items():
        managed = z.get("managed", 0)
        total = z.get("free", 0) + pcp.get(key, 0) + alloc.get(key, 0)
        if total != managed:
            errs.append("%s: free %d + pcp %d + allocated %d = %d != managed %d" % (
                key, z.get("free", 0), pcp.get(key, 0), alloc.get(key, 0), total, managed))
    return errs


def user_blocks(m):
    return [b for b in frame_blocks(m) if b[4].startswith("user:")]


def user_objects(m):
    out = []
    for c in os.listdir(m.p("caches")):
        d = m.p("caches", c, "allocations")
        if os.path.islink(m.p("caches", c)) or not os.path.isdir(d):
            continue
        out += ["%s/%s" % (c, o) for o in os.listdir(d)]
    return out


def settle(m, timeout=10.0):
    """Wait for asynchronous FUSE releases: no pids/ left."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not os.listdir(m.p("pids")):
            return True
        time.sleep(0.05)
    return not os.listdir(m.p("pids"))


# ------------------------------------------------------------------ users
def ensure_user(name):
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                       check=True, capture_output=True)
        return pwd.getpwnam(name).pw_uid


def as_user(name, args, timeout=60):
    """Run args (argv) as user name via setpriv: CompletedProcess."""
    pw = pwd.getpwnam(name)
    return subprocess.run(["setpriv", "--reuid=%d" % pw.pw_uid, "--regid=%d" % pw.pw_gid,
                           "--clear-groups"] + list(args),
                          capture_output=True, text=True, timeout=timeout)


# ----------------------------------------------------------------- worker
def _tag(wid, n, size):
    head = ("w%d-%d;" % (wid, n)).encode()
    return (head * (size // len(head) + 1))[:size]


def worker(mnt, wid, seconds, seed, cache="qcache"):
    """Mixed work on one mount until the deadline.  Every block or object
    this worker gets is written with its own tag and read back (through
    pwrite/pread, mmap, or the object file) before it is freed.  Returns
    {"ops": n, "errors": [text]}."""
    rnd = random.Random(seed)
    fd = os.open(os.path.join(mnt, "control"), os.O_RDWR)
    ops, errors = 0, []
    deadline = time.monotonic() + seconds

    def run(line):
        err, r = ctl(mnt, line, fd)
        if err:
            raise OSError(err, "%s -> %s" % (line, r))
        return kv(r)

    try:
        while time.monotonic() < deadline and len(errors) < 5:
            kind = rnd.randrange(5)
            n = ops
            try:
                if kind in (0, 1):          # a block: pwrite/pread or mmap
                    order = rnd.randrange(4)
                    pfn = int(run("alloc_pages order=%d" % order)["pfn"], 16)
                    path = os.path.join(mnt, "frames", "0x%x" % pfn)
                    size = PAGE << order
                    data = _tag(wid, n, min(size, 512))
                    off = rnd.randrange(0, size - len(data) + 1)
                    f = os.open(path, os.O_RDWR)
                    try:
                        if kind == 0:
                            os.pwrite(f, data, off)
                        else:
                            mp = mmap.mmap(f, size, mmap.MAP_SHARED)
                            mp[off:off + len(data)] = data
                            mp.flush()
                            mp.close()
                        got = os.pread(f, len(data), off)
                    finally:
                        os.close(f)
                    if got != data:
                        errors.append("block 0x%x: read back %r, wrote %r" % (pfn, got[:24], data[:24]))
                    if rnd.random() < 0.5:
                        os.unlink(path)
                    else:
                        run("free_pages pfn=0x%x" % pfn)
                elif kind in (2, 3):        # an object: kmalloc or our cache
                    if kind == 2:
                        r = run("kmalloc size=%d" % rnd.choice([8, 24, 64, 100, 256, 1000, 2048]))
                        obj, c = r["obj"], r["cache"]
                    else:
                        obj, c = run("kmem_cache_alloc name=%s" % cache)["obj"], cache
                    path = os.path.join(mnt, "caches", c, "allocations", obj)
                    f = os.open(path, os.O_RDWR)
                    try:
                        data = _tag(wid, n, min(os.fstat(f).st_size, 64))
                        os.pwrite(f, data, 0)
                        got = os.pread(f, len(data), 0)
                    finally:
                        os.close(f)
                    if got != data:
                        errors.append("object %s: read back %r, wrote %r" % (obj, got, data))
                    if kind == 2:
                        run("kfree obj=%s" % obj)
                    else:
                        run("kmem_cache_free name=%s obj=%s" % (cache, obj))
                else:                       # get/put and a lookup on our own block
                    pfn = int(run("alloc_pages order=0")["pfn"], 16)
                    run("get_page pfn=0x%x" % pfn)
                    run("lookup pfn=0x%x" % pfn)
                    run("put_page pfn=0x%x" % pfn)
                    run("free_pages pfn=0x%x" % pfn)
                ops += 1
            except OSError as e:
                errors.append("worker %d op %d kind %d: %s" % (wid, n, kind, e))
    finally:
        os.close(fd)
    return {"ops": ops, "errors": errors}


if __name__ == "__main__":
    # python3 test_quality_helpers.py MNT WID SECONDS SEED: one worker
    # process running 4 threads, printing "ops N" and any errors.
    import threading
    mnt, wid, secs, seed = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    res = [None] * 4

    def one(i):
        res[i] = worker(mnt, wid * 100 + i, secs, seed * 100 + i)

    ts = [threading.Thread(target=one, args=(i,)) for i in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print("ops", sum(r["ops"] for r in res))
    for r in res:
        for e in r["errors"]:
            print("error", e)


def umount_checked(m):
    """Unmount now and require exit status 0; on failure show the
    sanitizer report itself (the fixture shows only the last lines)."""
    rc = m.umount()
    if rc != 0:
        err = m.stderr()
        i = max(err.find("ERROR: AddressSanitizer"), err.find("ERROR: LeakSanitizer"),
                err.find("runtime error:"), err.find("WARNING: ThreadSanitizer"))
        raise AssertionError("daemon exit status %r:\n%s" % (rc, err[max(i - 200, 0):][:12000]))
