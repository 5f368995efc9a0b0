# SPDX-License-Identifier: GPL-2.0-or-later
"""The tree of SPEC §2: every path exists, stat works everywhere, readdir
reports d_type, nothing outside frames/, allocations/ and writable attributes
can be changed, and the /proc-style files parse in the kernel's formats with
numbers that agree with each other."""
import errno
import os
import re
import stat

import pytest

from conftest import PAGE

TOP_FILES = ["control", "log", "meminfo", "buddyinfo", "pagetypeinfo", "zoneinfo", "vmstat",
             "slabinfo", "iomem", "kpageflags", "kpagecount", "page_owner"]
TOP_DIRS = ["extfrag", "nodes", "frames", "caches", "pids", "sys", "tracing", "highmem"]
ZONE_FILES = ["free_area", "watermarks", "spanned", "present", "managed", "start_pfn",
              "protection", "pcp", "stats"]
SYSVM = ["min_free_kbytes", "watermark_scale_factor", "watermark_boost_factor",
         "lowmem_reserve_ratio", "percpu_pagelist_high_fraction", "drop_caches", "compact_memory"]


def test_spec_paths_exist(mm):
    for name in TOP_FILES:
        assert stat.S_ISREG(os.stat(mm.p(name)).st_mode), name
    for name in TOP_DIRS:
        assert stat.S_ISDIR(os.stat(mm.p(name)).st_mode), name
    for name in ["extfrag/extfrag_index", "extfrag/unusable_index", "tracing/trace_pipe",
                 "tracing/tracing_on", "highmem/pkmap"] + \
            ["sys/vm/" + n for n in SYSVM] + \
            ["sys/kernel/fail_page_alloc/" + n for n in ("probability", "interval", "times", "space")]:
        assert stat.S_ISREG(os.stat(mm.p(name)).st_mode), name
    assert os.listdir(mm.p("nodes")) == ["node0"]
    assert sorted(os.listdir(mm.p("nodes/node0"))) == ["cpulist", "distance", "meminfo", "zones"]
    zones = os.listdir(mm.p("nodes/node0/zones"))
    assert {"DMA", "DMA32", "Normal"} <= set(zones)
    for z in zones:
        assert sorted(os.listdir(mm.p("nodes/node0/zones", z))) == sorted(ZONE_FILES)
        for f in ZONE_FILES:
            assert mm.read("nodes/node0/zones", z, f).strip() != "", (z, f)
    events = os.listdir(mm.p("tracing/events/kmem"))
    assert "mm_page_alloc" in events and "kmalloc" in events
    for ev in events:
        assert os.listdir(mm.p("tracing/events/kmem", ev)) == ["enable"]


def walk(mm, rel=""):
    """Every path of the tree, with the d_type readdir gave."""
    out = []
    with os.scandir(mm.p(rel) if rel else mm.mnt) as it:
        for e in it:
            path = os.path.join(rel, e.name) if rel else e.name
            out.append((path, e))
            if e.is_dir(follow_symlinks=False) and rel.count("/") < 6:
                out += walk(mm, path)
    return out


def test_stat_everywhere_and_dtype(mm):
    entries = walk(mm)
    assert len(entries) > 50
    for path, e in entries:
        st = os.lstat(mm.p(path))
        # readdir's d_type agrees with stat
        assert e.is_dir(follow_symlinks=False) == stat.S_ISDIR(st.st_mode), path
        assert e.is_symlink() == stat.S_ISLNK(st.st_mode), path
        assert e.inode() == st.st_ino, path


def test_text_files_render(mm):
    mm.alloc(0)                                     # so page_owner has a record
    for name in ["meminfo", "buddyinfo", "pagetypeinfo", "zoneinfo", "vmstat", "iomem",
                 "page_owner", "log", "extfrag/extfrag_index", "extfrag/unusable_index"]:
        text = mm.read(name)
        assert text and text.endswith("\n"), name
    # a snapshot per open: reading at any offset works (less, seek)
    with open(mm.p("zoneinfo"), "rb") as f:
        whole = f.read()
        f.seek(100)
        assert f.read(50) == whole[100:150]


def test_log_has_boot_messages(mm):
    log = mm.read("log")
    assert re.search(r"^\[\s*\d+\.\d{6}\] ", log, re.M)
    assert "Built 1 zonelists, mobility grouping on.  Total pages:" in log
    assert "Built 1 zonelists" in mm.stderr()


def test_nothing_else_changes(mm):
    with pytest.raises(PermissionError):
        open(mm.p("meminfo"), "w")
    for op in (lambda: os.mkdir(mm.p("newdir")),
               lambda: os.unlink(mm.p("meminfo")),
               lambda: os.rename(mm.p("meminfo"), mm.p("x")),
               lambda: os.symlink("meminfo", mm.p("lnk")),
               lambda: os.chmod(mm.p("meminfo"), 0o777),
               lambda: os.rmdir(mm.p("nodes")),
               lambda: open(mm.p("newfile"), "w"),
               lambda: open(mm.p("frames/newfile"), "w"),
               lambda: os.truncate(mm.p("meminfo"), 0),
               lambda: os.setxattr(mm.p("meminfo"), "user.x", b"1")):
        with pytest.raises(OSError) as ei:
            op()
        assert ei.value.errno in (errno.EPERM, errno.EACCES), ei.value


def buddy_and_pagetype(mm):
    buddy = mm.buddyinfo()
    pt = {}
    text = mm.read("pagetypeinfo")
    assert text.startswith("Page block order: 9\nPages per block:  512\n\n")
    for line in text.splitlines():
        m = re.match(r"Node\s+(\d+), zone\s+(\S+), type\s+(\S+)\s+(.*)$", line)
        if m:
            counts = [int(x.lstrip(">")) for x in m.group(4).split()]
            assert len(counts) == 11
            key = (int(m.group(1)), m.group(2))
            pt[key] = [a + b for a, b in zip(pt.get(key, [0] * 11), counts)]
    return buddy, pt


def test_buddyinfo_equals_pagetypeinfo(mm):
    mm.ok("drain_all_pages")
    buddy, pt = buddy_and_pagetype(mm)
    assert set(buddy) == set(pt)
    for key in buddy:
        assert len(buddy[key]) == 11
        assert buddy[key] == pt[key], key
    line = mm.read("buddyinfo").splitlines()[0]
    assert re.match(r"Node 0, zone {6}DMA( +\d+){11} $", line), repr(line)


def test_zoneinfo_watermarks_formula(mm):
    z = mm.zoneinfo()
    mfk = int(mm.read("sys/vm/min_free_kbytes"))
    wsf = int(mm.read("sys/vm/watermark_scale_factor"))
    pages_min = mfk >> 2
    lowmem = sum(v["managed"] for (n, name), v in z.items() if name not in ("HighMem", "Movable"))
    for (n, name), v in z.items():
        managed = v["managed"]
        tmp = pages_min * managed // lowmem
        if name in ("HighMem", "Movable"):
            wmin = min(max(managed // 1024, 32), 128)
        else:
            wmin = tmp
        gap = max(tmp >> 2, managed * wsf // 10000)
        assert v["boost"] == 0
        assert (v["min"], v["low"], v["high"]) == (wmin, wmin + gap, wmin + 2 * gap), name
        wm = mm.read("nodes/node%d/zones/%s/watermarks" % (n, name)).split() \
            if os.path.exists(mm.p("nodes/node%d/zones/%s" % (n, name))) else None
        if wm:
            assert [int(x) for x in wm] == [wmin, wmin + gap, wmin + 2 * gap]


def test_meminfo_agrees_with_buddyinfo(mm):
    mm.ok("drain_all_pages")
    z = mm.zoneinfo()
    mi = mm.meminfo()
    total = sum(v["managed"] for v in z.values())
    assert mi["MemTotal"] == total * 4
    buddy = mm.buddyinfo()
    free = sum(c << o for counts in buddy.values() for o, c in enumerate(counts))
    # NR_FREE_PAGES is folded from per-cpu diffs up to the stat threshold
    slack = sum(int(t) for t in re.findall(r"vm stats threshold: (\d+)", mm.read("zoneinfo")))
    assert abs(mi["MemFree"] - free * 4) <= slack * 4, (mi["MemFree"], free * 4, slack)
    zfree = sum(v["free"] for v in z.values())
    assert abs(zfree - free) <= slack


def test_kpageflags_binary(mm):
    size = os.stat(mm.p("kpageflags")).st_size
    assert size > 0 and size % 8 == 0
    fd = os.open(mm.p("kpageflags"), os.O_RDONLY)
    try:
        data = os.pread(fd, 8 * 64, 0)
        assert len(data) == 8 * 64
        with pytest.raises(OSError) as ei:
            os.pread(fd, 8, 3)
        assert ei.value.errno == errno.EINVAL
    finally:
        os.close(fd)


def test_sysvm_and_fail_attrs(mm):
    assert int(mm.read("sys/vm/watermark_scale_factor")) == 10
    mm.write("sys/vm/watermark_scale_factor", "20\n")
    assert int(mm.read("sys/vm/watermark_scale_factor")) == 20
    for bad in ("0\n", "abc\n", "3001\n"):
        with pytest.raises(OSError) as ei:
            mm.write("sys/vm/watermark_scale_factor", bad)
        assert ei.value.errno == errno.EINVAL
    assert int(mm.read("sys/vm/watermark_scale_factor")) == 20
    # the new factor is in the watermarks at once
    test_zoneinfo_watermarks_formula(mm)
    old = int(mm.read("sys/vm/min_free_kbytes"))
    mm.write("sys/vm/min_free_kbytes", "%d\n" % (old * 2))
    assert int(mm.read("sys/vm/min_free_kbytes")) == old * 2
    test_zoneinfo_watermarks_formula(mm)
    with pytest.raises(OSError) as ei:
        mm.write("sys/vm/min_free_kbytes", "-5\n")
    assert ei.value.errno == errno.EINVAL
    assert int(mm.read("sys/kernel/fail_page_alloc/probability")) == 0
    # shell redirection (O_TRUNC) works on attribute files
    import subprocess
    subprocess.run(["sh", "-c", "echo 15 > %s" % mm.p("sys/vm/watermark_scale_factor")], check=True)
    assert int(mm.read("sys/vm/watermark_scale_factor")) == 15


def test_statfs(mm):
    sv = os.statvfs(mm.mnt)
    assert sv.f_bsize == PAGE
    assert sv.f_blocks == mm.meminfo()["MemTotal"] // 4
