# SPDX-License-Identifier: GPL-2.0-or-later
"""Fixtures for the mmfs filesystem tests: mount a fresh mmfs (foreground
daemon) in a temporary directory, drive it as users do, unmount it and check
that the daemon exited 0.

MMFS_BIN names the daemon (default build/fs/mmfs from the repository root).
"""
import errno
import os
import re
import signal
import subprocess
import tempfile
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MMFS_BIN = os.environ.get("MMFS_BIN", os.path.join(ROOT, "build", "fs", "mmfs"))
# extra mount options for every mount (e.g. MMFS_TEST_OPTS=threads=multi)
EXTRA_OPTS = os.environ.get("MMFS_TEST_OPTS", "")
PAGE = 4096


def wait_for(cond, timeout=10.0, step=0.02):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(step)
    return cond()


class Mount:
    """One running mmfs: its mountpoint, daemon and helpers."""

    def __init__(self, opts="", extra=(), env=None):
        self.dir = tempfile.mkdtemp(prefix="mmfs-test-")
        os.chmod(self.dir, 0o755)
        self.mnt = self.dir
        self.errpath = self.dir + ".stderr"
        self.err = open(self.errpath, "w+")
        args = [MMFS_BIN, "-f"] + list(extra)
        opts = ",".join(o for o in (opts, EXTRA_OPTS) if o)
        if opts:
            args += ["-o", opts]
        args.append(self.mnt)
        self.args = args
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.err, env=env)
        ok = wait_for(lambda: os.path.ismount(self.mnt) or self.proc.poll() is not None, 20)
        if not os.path.ismount(self.mnt):
            self.proc.wait(5)
            raise RuntimeError("mmfs did not mount (rc=%s): %s" % (self.proc.returncode, self.stderr()))
        self.rc = None

    # -- paths and files
    def p(self, *parts):
        return os.path.join(self.mnt, *parts)

    def read(self, *parts):
        with open(self.p(*parts), "r") as f:
            return f.read()

    def readb(self, *parts):
        with open(self.p(*parts), "rb") as f:
            return f.read()

    def write(self, rel, data):
        fd = os.open(self.p(rel), os.O_WRONLY)
        try:
            return os.write(fd, data.encode() if isinstance(data, str) else data)
        finally:
            os.close(fd)

    def stderr(self):
        self.err.flush()
        with open(self.errpath) as f:
            return f.read()

    # -- control
    def ctl_open(self):
        return os.open(self.p("control"), os.O_RDWR)

    def cmd(self, line, fd=None):
        """Run one or more command lines; return the reply text.  Raises
        OSError with the errno of a failed command (the reply is in .reply)."""
        own = fd is None
        if own:
            fd = self.ctl_open()
        try:
            try:
                os.write(fd, (line + "\n").encode())
            except OSError as e:
                e.reply = os.read(fd, 65536).decode()
                raise
            return os.read(fd, 65536).decode()
        finally:
            if own:
                os.close(fd)

    def ok(self, line, fd=None):
        r = self.cmd(line, fd).strip()
        assert r.startswith("ok"), r
        return dict(kv.split("=", 1) for kv in r.split()[1:] if "=" in kv)

    def alloc(self, order=0, gfp=None, nid=None):
        line = "alloc_pages order=%d" % order
        if gfp:
            line += " gfp=" + gfp
        if nid is not None:
            line += " nid=%d" % nid
        return int(self.ok(line)["pfn"], 16)

    def free(self, pfn):
        self.ok("free_pages pfn=0x%x" % pfn)

    def validate(self):
        r = self.cmd("validate").strip()
        assert r == "ok", r

    # -- formats
    def buddyinfo(self):
        """{(node, zone): [nr_free per order]}"""
        out = {}
        for line in self.read("buddyinfo").splitlines():
            m = re.match(r"Node (\d+), zone\s+(\S+)\s+(.*)$", line)
            assert m, line
            out[(int(m.group(1)), m.group(2))] = [int(x) for x in m.group(3).split()]
        return out

    def zoneinfo(self):
        """{(node, zone): {key: value}} with protection as a list"""
        zones = {}
        cur = None
        for line in self.read("zoneinfo").splitlines():
            m = re.match(r"Node (\d+), zone\s+(\S+)$", line)
            if m:
                cur = zones.setdefault((int(m.group(1)), m.group(2)), {})
                continue
            if cur is None:
                continue
            s = line.strip()
            m = re.match(r"protection: \((.*)\)", s)
            if m:
                cur["protection"] = [int(x) for x in m.group(1).split(",")]
                continue
            m = re.match(r"pages free\s+(\d+)", s)
            if m:
                cur["free"] = int(m.group(1))
                continue
            parts = s.split()
            if len(parts) == 2 and parts[1].isdigit() and parts[0] not in cur:
                cur[parts[0]] = int(parts[1])
        return zones

    def meminfo(self):
        out = {}
        for line in self.read("meminfo").splitlines():
            k, v = line.split(":", 1)
            out[k] = int(v.split()[0])
        return out

    def frames(self):
        return sorted(int(n, 16) for n in os.listdir(self.p("frames")))

    # -- teardown
    def umount(self, expect_rc=0):
        if self.rc is not None:
            return self.rc
        subprocess.run(["fusermount3", "-u", self.mnt], stderr=subprocess.DEVNULL)
        try:
            self.rc = self.proc.wait(15)
        except subprocess.TimeoutExpired:
            subprocess.run(["fusermount3", "-uz", self.mnt], stderr=subprocess.DEVNULL)
            try:
                self.rc = self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.rc = self.proc.wait()
                self.rc = "hung"
        return self.rc

    def cleanup(self):
        self.umount()
        if os.path.ismount(self.mnt):
            subprocess.run(["fusermount3", "-uz", self.mnt], stderr=subprocess.DEVNULL)
        try:
            os.rmdir(self.mnt)
        except OSError:
            pass
        self.err.close()
        try:
            os.unlink(self.errpath)
        except OSError:
            pass


@pytest.fixture
def mount_mmfs():
    """Factory: mount_mmfs(opts="", extra=()) -> Mount; all unmounted at the
    end, each daemon must exit 0."""
    mounts = []

    def make(opts="", extra=(), env=None):
        m = Mount(opts, extra, env)
        mounts.append(m)
        return m

    yield make
    bad = []
    for m in mounts:
        rc = m.umount()
        if rc != 0:
            bad.append((m.args, rc, m.stderr()[-2000:]))
        m.cleanup()
    assert not bad, "daemon exit status: %r" % (bad,)


@pytest.fixture
def mm(mount_mmfs):
    """A default mmfs (mem=256M)."""
    return mount_mmfs("cpus=2")


def run_mmfs(opts, timeout=20):
    """Start mmfs expecting it to fail before mounting: (rc, stderr)."""
    d = tempfile.mkdtemp(prefix="mmfs-bad-")
    try:
        p = subprocess.run([MMFS_BIN, "-f", "-o", opts, d], capture_output=True, text=True,
                           timeout=timeout)
        mounted = os.path.ismount(d)
        if mounted:
            subprocess.run(["fusermount3", "-u", d])
        return p.returncode, p.stderr, mounted
    finally:
        if os.path.ismount(d):
            subprocess.run(["fusermount3", "-uz", d])
        os.rmdir(d)
