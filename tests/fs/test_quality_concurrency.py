# SPDX-License-Identifier: GPL-2.0-or-later
"""Concurrency (issue 7): one mount driven at once by 16 threads of this
process and 4 worker processes (4 threads each), mixing page alloc/free
through control, pwrite/pread and mmap of frame files, kmalloc/kfree and
kmem_cache alloc/free with object-file I/O, get/put and lookup.  Each
worker checks its own data; afterwards drain_all_pages + validate must be
clean, every page of every zone must be accounted for (free + pcp +
allocated = managed) and no user block or object may be left."""
import os
import subprocess
import sys
import threading
import time

import pytest

from test_quality_helpers import (HERE, accounting_errors, settle, umount_checked, user_blocks,
                                  user_objects, worker)

SECONDS = 8


@pytest.mark.parametrize("loop", ["threads=single", "threads=multi"])
def test_sixteen_threads_four_processes(mount_mmfs, loop):
    m = mount_mmfs("cpus=2,mem=256M," + loop)
    m.ok("kmem_cache_create name=qcache size=200 align=64")

    procs = [subprocess.Popen([sys.executable, os.path.join(HERE, "test_quality_helpers.py"),
                               m.mnt, str(100 + i), str(SECONDS), str(i)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(4)]
    results = [None] * 16

    def run(i):
        results[i] = worker(m.mnt, i, SECONDS, 1000 + i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(16)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(SECONDS + 60)
    assert not any(t.is_alive() for t in threads), "a worker thread hung"
    proc_ops, proc_errors = 0, []
    for p in procs:
        out, err = p.communicate(timeout=SECONDS + 60)
        assert p.returncode == 0, err
        for line in out.splitlines():
            if line.startswith("ops "):
                proc_ops += int(line.split()[1])
            elif line.startswith("error "):
                proc_errors.append(line)
    elapsed = time.monotonic() - t0

    thread_ops = sum(r["ops"] for r in results)
    errors = [e for r in results for e in r["errors"]] + proc_errors
    print("concurrency %s: %d ops from threads, %d from processes in %.1fs" %
          (loop, thread_ops, proc_ops, elapsed))
    assert not errors, errors[:10]
    assert thread_ops >= 16 and proc_ops >= 16, (thread_ops, proc_ops)

    # every FUSE release has come (they are asynchronous), then the books
    assert settle(m), "pids/ still lists %s" % os.listdir(m.p("pids"))
    m.ok("kmem_cache_destroy name=qcache")
    m.ok("drain_all_pages")
    m.validate()
    assert user_blocks(m) == [], user_blocks(m)[:10]
    assert user_objects(m) == [], user_objects(m)[:10]
    errs = accounting_errors(m)
    assert not errs, errs
    umount_checked(m)          # clean exit (LeakSanitizer under ASan)


def test_one_control_fd_shared_by_threads(mm):
    """Writes from many threads on one control handle: each write's reply
    lines are whole, in order per write, and nothing is lost."""
    fd = mm.ctl_open()
    n_threads, per = 8, 40
    errors = []
    lock = threading.Lock()
    pfns = []

    def run():
        for _ in range(per):
            try:
                os.write(fd, b"alloc_pages order=0\n")
            except OSError as e:
                with lock:
                    errors.append(e)

    ts = [threading.Thread(target=run) for _ in range(n_threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    data = b""
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    os.close(fd)
    lines = data.decode().splitlines()
    assert not errors
    assert len(lines) == n_threads * per, (len(lines), lines[:5])
    for line in lines:
        assert line.startswith("ok pfn=0x") and line.endswith(" order=0"), line
        pfns.append(int(line.split()[1].split("=")[1], 16))
    assert len(set(pfns)) == len(pfns), "a pfn handed out twice"
    for p in pfns:
        mm.free(p)
    mm.ok("drain_all_pages")
    mm.validate()
    assert not accounting_errors(mm)
