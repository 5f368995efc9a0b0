# SPDX-License-Identifier: GPL-2.0-or-later
"""The daemon (SPEC §1): options and their effect, bad options, clean stops."""
import errno
import mmap
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import MMFS_BIN, PAGE, run_mmfs, wait_for


@pytest.mark.parametrize("opts", ["mem=abc", "nodes=0", "slab=foo", "memmodel=weird",
                                  "hugepages=maybe", "mem=256M,cpus=-3", "init_on_alloc=2",
                                  "no_such_option=1", "threads=lots"])
def test_bad_option(opts):
    rc, err, mounted = run_mmfs(opts)
    assert rc == 1
    assert not mounted
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("mmfs: ") or lines[0].startswith("fuse: unknown option")


def test_hugepages_on(mount_mmfs):
    with open("/proc/meminfo") as f:
        total = int(re.search(r"HugePages_Free:\s+(\d+)", f.read()).group(1))
    if total * 2 * 1024 * 1024 >= 32 << 20:
        mm = mount_mmfs("hugepages=on,mem=32M")
        assert "hugetlb" in mm.read("log")
    else:
        rc, err, mounted = run_mmfs("hugepages=on,mem=32M")
        assert rc == 1 and not mounted
        assert len(err.strip().splitlines()) == 1 and "huge" in err


def test_hugepages_off_and_auto(mount_mmfs):
    off = mount_mmfs("hugepages=off,mem=64M")
    assert "4k" in off.read("log") or "4 KiB" in off.read("log")
    pfn = off.alloc(0)
    off.free(pfn)
    auto = mount_mmfs("mem=64M")
    assert re.search(r"hugetlb|thp|4k", auto.read("log"))


def test_nodes(mount_mmfs):
    mm = mount_mmfs("nodes=2,mem=256M,cpus=2")
    assert sorted(os.listdir(mm.p("nodes"))) == ["node0", "node1"]
    nodes = {n for n, _ in mm.buddyinfo()}
    assert nodes == {0, 1}
    pfn = mm.alloc(0, nid=1)
    assert os.getxattr(mm.p("frames/0x%x" % pfn), "user.mm.node") == b"1"
    dist = mm.read("nodes/node0/distance").split()
    assert dist == ["10", "20"]
    assert "Built 2 zonelists" in mm.read("log")
    mm.validate()


def test_movablecore(mount_mmfs):
    mm = mount_mmfs("movablecore=64M,cpus=2")
    z = mm.zoneinfo()
    assert z[(0, "Movable")]["present"] == (64 << 20) // PAGE
    pfn = mm.alloc(0, gfp="GFP_HIGHUSER_MOVABLE")
    assert os.getxattr(mm.p("frames/0x%x" % pfn), "user.mm.zone") == b"Movable"
    mm.validate()


def test_highmem_kmap(mount_mmfs):
    mm = mount_mmfs("highmem=64M,cpus=2")
    z = mm.zoneinfo()
    assert z[(0, "HighMem")]["present"] == (64 << 20) // PAGE
    pfn = mm.alloc(0, gfp="GFP_HIGHUSER")
    path = mm.p("frames/0x%x" % pfn)
    assert os.getxattr(path, "user.mm.zone") == b"HighMem"
    assert os.getxattr(path, "user.mm.vaddr") == b"none"
    vaddr = int(mm.ok("kmap pfn=0x%x" % pfn)["vaddr"], 16)
    assert 0xffffe00000000000 <= vaddr < 0xffffe00000000000 + 512 * PAGE     # pkmap window
    assert int(os.getxattr(path, "user.mm.vaddr"), 16) == vaddr
    assert "0x%x" % pfn in mm.read("highmem/pkmap")
    mm.ok("kunmap pfn=0x%x" % pfn)
    # like the kernel, the slot stays mapped (count 1) until the next flush
    with pytest.raises(OSError) as ei:
        mm.cmd("kunmap pfn=0x%x" % pfn)
    assert ei.value.errno == errno.EINVAL
    # the daemon's own access to a highmem frame works
    with open(path, "r+b") as f:
        f.write(b"high")
    with open(path, "rb") as f:
        assert f.read(4) == b"high"
    mm.validate()


def test_memmap_layout(mount_mmfs):
    mm = mount_mmfs("memmap=64M@0+64M@1G,cpus=2")
    z = mm.zoneinfo()
    present = sum(v["present"] for v in z.values())
    assert present <= (128 << 20) // PAGE
    assert present > (100 << 20) // PAGE
    iomem = mm.read("iomem")
    assert "System RAM" in iomem
    assert re.search(r"40000000-43ffffff : System RAM", iomem), iomem
    mm.validate()


@pytest.mark.parametrize("model", ["sparse", "classic", "flat"])
def test_memmodel(mount_mmfs, model):
    # FLATMEM needs a memmap for the whole span: no 4 GiB hole for it
    layout = "memmap=64M@0" if model == "flat" else "mem=64M"
    mm = mount_mmfs("memmodel=%s,%s,cpus=2" % (model, layout))
    pfn = mm.alloc(3)
    assert int(os.getxattr(mm.p("frames/0x%x" % pfn), "user.mm.page"), 16) == \
        0xffffea0000000000 + pfn * 64
    mm.free(pfn)
    mm.validate()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_stops_cleanly(mount_mmfs, sig):
    mm = mount_mmfs("mem=64M")
    mm.alloc(0)
    mm.proc.send_signal(sig)
    assert mm.proc.wait(15) == 0
    mm.rc = 0
    wait_for(lambda: not os.path.ismount(mm.mnt), 5)
    assert not os.path.ismount(mm.mnt)


def test_stop_with_frames_open(mount_mmfs):
    mm = mount_mmfs("mem=64M")
    pfn = mm.alloc(0)
    child = subprocess.Popen([sys.executable, "-c",
                              "import mmap,os,sys,time;fd=os.open(sys.argv[1],os.O_RDWR);"
                              "m=mmap.mmap(fd,4096);m[0:2]=b'hi';print('ready',flush=True);"
                              "time.sleep(60)", mm.p("frames/0x%x" % pfn)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "ready"
    fd = os.open(mm.p("frames/0x%x" % pfn), os.O_RDONLY)
    mm.proc.send_signal(signal.SIGTERM)
    assert mm.proc.wait(15) == 0
    mm.rc = 0
    try:
        os.close(fd)
    except OSError:
        pass                    # the connection is gone with the daemon
    child.kill()
    child.wait()
    subprocess.run(["fusermount3", "-uz", mm.mnt], stderr=subprocess.DEVNULL)


def test_lazy_unmount_with_frame_open(mount_mmfs):
    mm = mount_mmfs("mem=64M")
    pfn = mm.alloc(0)
    fd = os.open(mm.p("frames/0x%x" % pfn), os.O_RDWR)
    subprocess.run(["fusermount3", "-uz", mm.mnt], check=True)
    os.pwrite(fd, b"still", 0)
    assert os.pread(fd, 5, 0) == b"still"
    os.close(fd)
    assert mm.proc.wait(15) == 0
    mm.rc = 0


def test_background_daemon(tmp_path):
    """Without -f the daemon detaches; the parent exits 0 once mounted."""
    mnt = tmp_path / "m"
    mnt.mkdir()
    r = subprocess.run([MMFS_BIN, "-o", "mem=64M", str(mnt)], capture_output=True, text=True,
                       timeout=30)
    try:
        assert r.returncode == 0, r.stderr
        assert os.path.ismount(mnt)
        assert "Normal" in (mnt / "buddyinfo").read_text()
    finally:
        subprocess.run(["fusermount3", "-u", str(mnt)])
    assert wait_for(lambda: not os.path.ismount(mnt), 10)
