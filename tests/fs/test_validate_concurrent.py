# SPDX-License-Identifier: GPL-2.0-or-later
"""validate beside busy clients (issue 12, item 7): under -o threads=multi
every `validate` must answer `ok` while other clients allocate and free
(SPEC §4: a consistent view, never a false report).  Blocks in flight
between the free lists or pcp lists and page_owner (taken off a list, not
yet recorded as allocated; or the other way round on the free side) once
showed as "allocated + free + pcp = N pages, managed is M".

Busy clients are worker processes (two threads each) that allocate and free
blocks of mixed orders (pcp orders, the pageblock order, buddy-only orders)
in batches, open, write and unlink frames, and kmalloc/kfree; this process
runs validate from two threads of its own, 3000 times under SLUB, then
2000 times with SLAB (its cache_reap thread frees pages too), two nodes
and a highmem zone.  Real corruption is still reported: the unit tests
(tests/unit/test_validate.c, test_page_alloc.c) break invariants by hand.  Run as a script, this file is
one worker process: MNT SEED SECONDS STOPFILE."""
import os
import random
import subprocess
import sys
import threading
import time

import pytest

from test_quality_helpers import ctl, kv, settle, umount_checked, user_blocks

TIME_CAP = 45.0			# seconds of validating at most, per mount
ORDERS = [0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 9]
SIZES = [8, 16, 64, 192, 256, 1000, 2048, 4096]


def _lines(fd, text):
    """Write a batch of command lines; the reply lines (a failed line ends
    the batch and fails the write, as SPEC §4 says)."""
    try:
        os.write(fd, text.encode())
    except OSError:
        pass
    out = b""
    while True:
        chunk = os.read(fd, 1 << 20)
        out += chunk
        if len(chunk) < (1 << 20):
            break
    return out.decode().splitlines()


def client(mnt, seed, seconds, stopfile):
    """Busy work until the deadline or until stopfile exists; returns
    (operations, [error text])."""
    rnd = random.Random(seed)
    fd = os.open(os.path.join(mnt, "control"), os.O_RDWR)
    deadline = time.monotonic() + seconds
    ops, errors = 0, []
    try:
        while time.monotonic() < deadline and len(errors) < 5 and not os.path.exists(stopfile):
            if rnd.random() < 0.7:
                orders = [rnd.choice(ORDERS) for _ in range(rnd.randrange(1, 9))]
                replies = _lines(fd, "".join("alloc_pages order=%d\n" % o for o in orders))
                pfns = [int(kv(r)["pfn"], 16) for r in replies if r.startswith("ok")]
                bad = [r for r in replies if not r.startswith("ok") and "ENOMEM" not in r]
                if bad:
                    errors.append("alloc: %s" % bad[0])
                rnd.shuffle(pfns)
                keep = []
                for pfn in pfns:
                    path = os.path.join(mnt, "frames", "0x%x" % pfn)
                    if rnd.random() < 0.3:
                        f = os.open(path, os.O_RDWR)
                        try:
                            os.pwrite(f, b"busy %d" % pfn, 0)
                            if os.pread(f, 16, 0)[:5] != b"busy ":
                                errors.append("frame 0x%x: lost its data" % pfn)
                        finally:
                            os.close(f)
                    if rnd.random() < 0.2:
                        os.unlink(path)
                    else:
                        keep.append(pfn)
                if keep:
                    replies = _lines(fd, "".join("free_pages pfn=0x%x\n" % p for p in keep))
                    bad = [r for r in replies if not r.startswith("ok")]
                    if bad or len(replies) != len(keep):
                        errors.append("free: %r" % replies[:3])
                ops += len(pfns)
            else:
                sizes = [rnd.choice(SIZES) for _ in range(rnd.randrange(1, 9))]
                replies = _lines(fd, "".join("kmalloc size=%d\n" % s for s in sizes))
                objs = [kv(r)["obj"] for r in replies if r.startswith("ok")]
                if len(objs) != len(sizes):
                    errors.append("kmalloc: %r" % replies[:3])
                if objs:
                    replies = _lines(fd, "".join("kfree obj=%s\n" % o for o in objs))
                    if [r for r in replies if r != "ok"]:
                        errors.append("kfree: %r" % replies[:3])
                ops += len(objs)
    except OSError as e:
        errors.append("client %d: %s" % (seed, e))
    finally:
        os.close(fd)
    return ops, errors


# (mount options, validate runs aimed at, runs insisted on when the shared
# machine or a sanitizer build is slow): SLUB on one node, then SLAB's
# reaper and arrays, two nodes and a highmem zone
CONFIGS = [("threads=multi,cpus=2,mem=64M", 3000, 1500),
           ("threads=multi,cpus=2,mem=64M,slab=slab,nodes=2,highmem=16M", 2000, 500)]


@pytest.mark.parametrize("opts,aim,least", CONFIGS, ids=["slub", "slab-numa-highmem"])
def test_validate_beside_busy_clients(mount_mmfs, tmp_path, opts, aim, least):
    m = mount_mmfs(opts)
    m.validate()
    stopfile = os.path.join(str(tmp_path), "stop")
    procs = [subprocess.Popen([sys.executable, os.path.abspath(__file__), m.mnt, str(i),
                               str(TIME_CAP + 10), stopfile],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(2)]
    lock = threading.Lock()
    runs, bad = [0], []
    deadline = time.monotonic() + TIME_CAP

    def validator():
        fd = m.ctl_open()
        try:
            while time.monotonic() < deadline:
                with lock:
                    if runs[0] >= aim:
                        return
                    runs[0] += 1
                err, reply = ctl(m.mnt, "validate", fd)
                if err or reply != "ok":
                    with lock:
                        bad.append(reply)
        finally:
            os.close(fd)

    try:
        time.sleep(0.5)		# the clients are busy before the first validate
        t0 = time.monotonic()
        vs = [threading.Thread(target=validator) for _ in range(2)]
        for t in vs:
            t.start()
        for t in vs:
            t.join(TIME_CAP + 30)
        elapsed = time.monotonic() - t0
    finally:
        open(stopfile, "w").close()
        for p in procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
    ops, errors = 0, []
    for p in procs:
        out, err = p.communicate(timeout=30)
        assert p.returncode == 0, err
        for line in out.splitlines():
            if line.startswith("ops "):
                ops += int(line.split()[1])
            elif line.startswith("error "):
                errors.append(line)
    print("validate: %d runs in %.1fs beside busy clients (%d client operations), %d false reports" %
          (runs[0], elapsed, ops, len(bad)))
    assert not bad, "%d of %d validate runs reported errors, e.g.:\n%s" % (len(bad), runs[0], bad[0])
    assert not errors, errors[:5]
    assert runs[0] >= least, "only %d validate runs in %.0fs" % (runs[0], elapsed)
    assert ops >= 200, "the clients were not busy: %d operations" % ops
    # the clients gave back everything: the machine is whole
    assert settle(m)
    assert not user_blocks(m), user_blocks(m)[:5]
    m.ok("drain_all_pages")
    m.validate()
    umount_checked(m)


if __name__ == "__main__":
    # one busy client process: two threads until SECONDS have passed or
    # STOPFILE exists
    mnt, seed, secs, stopfile = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    res = [None, None]

    def one(i):
        res[i] = client(mnt, seed * 10 + i, secs, stopfile)

    ths = [threading.Thread(target=one, args=(i,)) for i in range(2)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    print("ops", sum(r[0] for r in res), flush=True)
    for r in res:
        for e in r[1]:
            print("error", e, flush=True)
