# SPDX-License-Identifier: GPL-2.0-or-later
"""The daemon's exit (issue 12, item 11): after `fusermount3 -u` it must be
gone within 0.5 s with status 0, whatever its helper threads were doing.
Those threads (the page_owner tick, SLAB's cache_reap, the trace worker,
the notifier) are stopped by waking them, never by waiting for their next
period.  Each mount first does a bit of everything: pages and objects,
a frame opened, written, mapped and freed while frames/ is watched (the
notifier has work), trace_pipe read (a blocking read answered by the trace
worker, one interrupted by a signal, a poll left registered so the worker
is waiting on the ring at exit); one mount then idles past the SLAB reap
period and the tick's idle point first."""
import mmap
import os
import select
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import MMFS_BIN, wait_for

EXIT_BOUND = 0.5		# seconds from the unmount's return to the exit

# (mount options, seconds to idle before unmounting)
CONFIGS = [
    ("threads=single", 0),
    ("threads=multi,cpus=2", 0),
    ("slab=slab,threads=single", 0),
    ("slab=slab,threads=multi,cpus=2", 0),
    ("slab=slab,threads=multi,cpus=2,mem=64M", 2.3),	# past REAPTIMEOUT_AC (2 s)
]


def busy(m):
    """A bit of every kind of work, every file closed afterwards."""
    pfns = [m.alloc(o) for o in (0, 1, 3, 9)]
    objs = [m.ok("kmalloc size=%d" % s)["obj"] for s in (64, 1000, 4096)]
    os.listdir(m.p("frames"))			# the frames are known: notices follow
    fd = os.open(m.p("frames", "0x%x" % pfns[0]), os.O_RDWR)
    try:
        os.pwrite(fd, b"bye", 0)
        mp = mmap.mmap(fd, 4096, mmap.MAP_SHARED)
        mp[3:6] = b"now"
        mp.close()
        assert os.pread(fd, 6, 0) == b"byenow"
    finally:
        os.close(fd)
    for o in objs:
        m.ok("kfree obj=%s" % o)

    # trace_pipe: a blocking read the worker answers
    m.write("tracing/events/kmem/mm_page_alloc/enable", "1")
    tp = os.open(m.p("tracing", "trace_pipe"), os.O_RDONLY)
    got = []
    reader = threading.Thread(target=lambda: got.append(os.read(tp, 4096)), daemon=True)
    reader.start()
    time.sleep(0.05)
    pfns.append(m.alloc(0))
    reader.join(10)
    os.close(tp)
    assert not reader.is_alive() and got and b"mm_page_alloc" in got[0], got
    m.write("tracing/events/kmem/mm_page_alloc/enable", "0")
    # one read interrupted by a signal, one poll left waiting
    child = subprocess.Popen([sys.executable, "-c",
                              "import os,sys; fd = os.open(sys.argv[1], os.O_RDONLY);"
                              "print('ready', flush=True); os.read(fd, 4096)",
                              m.p("tracing", "trace_pipe")], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "ready"
    time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    child.stdout.close()
    tp = os.open(m.p("tracing", "trace_pipe"), os.O_RDONLY | os.O_NONBLOCK)
    try:
        while True:
            try:
                if not os.read(tp, 65536):
                    break
            except BlockingIOError:
                break
        p = select.poll()
        p.register(tp, select.POLLIN)
        p.poll(50)
    finally:
        os.close(tp)

    # the blocks go, some while frames/ is watched
    for pfn in pfns:
        m.free(pfn)
    os.listdir(m.p("frames"))
    m.validate()


def unmount_and_time(m):
    """fusermount3 -u; (seconds from its return to the daemon's exit,
    exit status).  The daemon is always reaped (the fixture kills it if
    it never goes)."""
    r = subprocess.run(["fusermount3", "-u", m.mnt], capture_output=True, text=True)
    t0 = time.monotonic()
    assert r.returncode == 0, r.stderr
    try:
        rc = m.proc.wait(EXIT_BOUND)
    except subprocess.TimeoutExpired:
        try:
            rc = m.proc.wait(15)
        except subprocess.TimeoutExpired:
            return time.monotonic() - t0, "still running"
    took = time.monotonic() - t0
    m.rc = rc
    return took, rc


@pytest.mark.parametrize("opts,idle", CONFIGS, ids=[c[0] + (",idle" if c[1] else "") for c in CONFIGS])
def test_exit_after_unmount(mount_mmfs, opts, idle):
    m = mount_mmfs(opts)
    busy(m)
    if idle:
        time.sleep(idle)
    took, rc = unmount_and_time(m)
    print("exit after fusermount3 -u (%s): %.3fs, status %r" % (opts, took, rc))
    assert rc == 0, (rc, m.stderr()[-2000:])
    assert took < EXIT_BOUND, "the daemon took %.3fs to exit after the unmount" % took
    assert not os.path.ismount(m.mnt)


def test_background_daemon_exit(tmp_path):
    """Without -f: the detached daemon is gone (or a zombie its new parent
    has not reaped yet: it has exited) within the bound too."""
    mnt = tmp_path / "m"
    mnt.mkdir()
    r = subprocess.run([MMFS_BIN, "-o", "mem=64M,threads=multi,cpus=2", str(mnt)],
                       capture_output=True, text=True, timeout=30)
    pid, took = None, None
    try:
        assert r.returncode == 0, r.stderr
        assert os.path.ismount(str(mnt))
        pid = _daemon_pid(str(mnt))
        assert pid, "no mmfs process for %s" % mnt
        fd = os.open(str(mnt / "control"), os.O_RDWR)
        try:
            os.write(fd, b"alloc_pages order=2\n")
            assert os.read(fd, 256).startswith(b"ok")
        finally:
            os.close(fd)
        u = subprocess.run(["fusermount3", "-u", str(mnt)], capture_output=True, text=True)
        t0 = time.monotonic()
        assert u.returncode == 0, u.stderr
        wait_for(lambda: _exited(pid), EXIT_BOUND + 15, 0.002)
        took = time.monotonic() - t0
    finally:
        if os.path.ismount(str(mnt)):
            subprocess.run(["fusermount3", "-uz", str(mnt)], stderr=subprocess.DEVNULL)
        if pid and not _exited(pid):
            os.kill(pid, signal.SIGKILL)
    print("background daemon exit after fusermount3 -u: %.3fs" % took)
    assert took < EXIT_BOUND, "the daemon took %.3fs to exit after the unmount" % took


def _daemon_pid(mnt):
    """The mmfs process serving mnt (its command line names the mountpoint)."""
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if argv and os.path.basename(argv[0]) == os.path.basename(MMFS_BIN).encode() and \
                mnt.encode() in argv:
            return int(d)
    return None


def _exited(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")
