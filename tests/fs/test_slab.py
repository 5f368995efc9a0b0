# SPDX-License-Identifier: GPL-2.0-or-later
"""The slab layer through the tree (SPEC §4, §5): kmem_cache lifecycle
through control and caches/, kmalloc size classes, allocations/ files, and
slabinfo read by procps (slabtop, vmstat -m)."""
import errno
import os
import re
import shutil
import subprocess

import pytest


def slabinfo_rows(mm):
    rows = {}
    for line in mm.read("slabinfo").splitlines()[2:]:
        m = re.match(r"(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+) : tunables\s+(\d+)\s+(\d+)\s+(\d+)"
                     r" : slabdata\s+(\d+)\s+(\d+)\s+(\d+)$", line)
        assert m, line
        rows[m.group(1)] = [int(x) for x in m.groups()[1:]]
    return rows


def test_cache_lifecycle(mm):
    mm.ok("kmem_cache_create name=mmfs_test size=100 align=8 flags=SLAB_HWCACHE_ALIGN")
    d = mm.p("caches/mmfs_test")
    assert os.path.isdir(d)
    assert int(open(os.path.join(d, "object_size")).read()) == 100
    assert int(open(os.path.join(d, "align")).read()) == 64
    with pytest.raises(OSError) as ei:
        mm.cmd("kmem_cache_create name=mmfs_test size=100")
    assert ei.value.errno == errno.EEXIST
    objs = [mm.ok("kmem_cache_alloc name=mmfs_test")["obj"] for _ in range(3)]
    listed = sorted(os.listdir(os.path.join(d, "allocations")))
    assert listed == sorted(objs)
    path = os.path.join(d, "allocations", objs[0])
    assert os.stat(path).st_size == 100
    with open(path, "r+b") as f:
        assert f.read() == b"\0" * 100
        f.seek(0)
        f.write(b"object data")
    with open(path, "rb") as f:
        assert f.read(11) == b"object data"
    assert slabinfo_rows(mm)["mmfs_test"][0] >= 3          # active_objs
    # destroy with live objects: EBUSY, nothing changes
    with pytest.raises(OSError) as ei:
        mm.cmd("kmem_cache_destroy name=mmfs_test")
    assert ei.value.errno == errno.EBUSY
    assert os.path.isdir(d)
    mm.ok("kmem_cache_free name=mmfs_test obj=%s" % objs[0])
    os.unlink(os.path.join(d, "allocations", objs[1]))                 # rm frees
    with pytest.raises(OSError) as ei:                             # wrong cache
        mm.cmd("kmem_cache_free name=kmalloc-128 obj=%s" % objs[2])
    assert ei.value.errno == errno.EINVAL
    mm.ok("kmem_cache_free name=mmfs_test obj=%s" % objs[2])
    with pytest.raises(OSError) as ei:                             # double free
        mm.cmd("kmem_cache_free name=mmfs_test obj=%s" % objs[2])
    assert ei.value.errno == errno.EINVAL
    assert os.listdir(os.path.join(d, "allocations")) == []
    mm.ok("kmem_cache_shrink name=mmfs_test")
    open(os.path.join(d, "shrink"), "w").write("1")
    mm.ok("kmem_cache_destroy name=mmfs_test")
    assert not os.path.exists(d)
    mm.validate()


@pytest.mark.parametrize("size,cache", [(1, "kmalloc-8"), (8, "kmalloc-8"), (9, "kmalloc-16"),
                                        (33, "kmalloc-64"), (65, "kmalloc-96"), (97, "kmalloc-128"),
                                        (129, "kmalloc-192"), (193, "kmalloc-256"),
                                        (1000, "kmalloc-1k"), (4096, "kmalloc-4k"),
                                        (8192, "kmalloc-8k")])
def test_kmalloc_size_classes(mm, size, cache):
    r = mm.ok("kmalloc size=%d" % size)
    assert r["cache"] == cache
    n = cache.split("-")[1]
    want = int(n[:-1]) * 1024 if n.endswith("k") else int(n)
    assert int(mm.ok("ksize obj=%s" % r["obj"])["size"]) == want
    assert os.path.exists(mm.p("caches", cache, "allocations", r["obj"]))
    mm.ok("kfree obj=%s" % r["obj"])
    assert not os.path.exists(mm.p("caches", cache, "allocations", r["obj"]))


def test_large_kmalloc_goes_to_pages(mm):
    r = mm.ok("kmalloc size=20000")
    assert "cache" not in r and int(r["order"]) == 3
    assert os.path.exists(mm.p("frames", r["pfn"]))
    mm.ok("kfree obj=%s" % r["obj"])
    assert not os.path.exists(mm.p("frames", r["pfn"]))
    mm.validate()


def test_slabinfo_format(mm):
    text = mm.read("slabinfo")
    assert text.startswith("slabinfo - version: 2.1\n# name ")
    rows = slabinfo_rows(mm)
    assert "kmalloc-64" in rows and "kmem_cache" in rows
    r = rows["kmalloc-64"]
    assert r[2] == 64 and r[3] == 64 and r[4] == 1        # objsize objperslab pagesperslab
    mm.ok("kmem_cache_create name=mmfs_rows size=200")
    assert "mmfs_rows" in slabinfo_rows(mm)
    mm.ok("kmem_cache_destroy name=mmfs_rows")


def bind_run(mm, cmd):
    script = "mount --bind %s /proc/slabinfo && %s" % (mm.p("slabinfo"), cmd)
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True,
                          timeout=60)


def test_procps_reads_slabinfo(mm):
    mm.ok("kmem_cache_create name=mmfs_procps size=300")
    for _ in range(5):
        mm.ok("kmem_cache_alloc name=mmfs_procps")
    r = bind_run(mm, "slabtop --once -s c")
    assert r.returncode == 0, r.stderr
    assert "Active / Total Objects" in r.stdout and "mmfs_procps" in r.stdout
    r = bind_run(mm, "vmstat -m")
    assert r.returncode == 0, r.stderr
    line = next(l for l in r.stdout.splitlines() if l.startswith("mmfs_procps"))
    name, active, total, size, perslab = line.split()
    assert int(active) >= 5 and int(size) >= 300
    rows = slabinfo_rows(mm)
    assert int(perslab) == rows["mmfs_procps"][3]


def test_cache_attrs_and_dtype(mm):
    d = mm.p("caches/kmalloc-64")
    names = os.listdir(d)
    for a in ("object_size", "slab_size", "objs_per_slab", "order", "slabs", "align",
              "shrink", "validate"):
        assert a in names, a
    assert int(open(os.path.join(d, "object_size")).read()) == 64
    with pytest.raises(OSError) as ei:
        open(os.path.join(d, "object_size"), "w").write("1")
    assert ei.value.errno in (errno.EACCES, errno.EPERM, errno.EIO)
    assert os.path.isdir(os.path.join(d, "allocations"))
    for e in os.scandir(mm.p("caches")):
        assert e.is_dir(follow_symlinks=False) or e.is_symlink()


def test_slab_allocator_tunables(mount_mmfs):
    """slab=slab: slabinfo rows carry SLAB's tunables; writing
    "NAME LIMIT BATCHCOUNT SHARED" sets them, as on the kernel."""
    mm = mount_mmfs("slab=slab,cpus=2")
    assert os.stat(mm.p("slabinfo")).st_mode & 0o777 == 0o600
    assert "SLAB: " in mm.read("log")
    rows = slabinfo_rows(mm)
    assert rows["kmalloc-64"][5] > 0                 # limit
    mm.write("slabinfo", "kmalloc-64 120 60 8\n")
    limit, batch, shared = slabinfo_rows(mm)["kmalloc-64"][5:8]
    assert (limit, batch, shared) == (120, 60, 8)
    with pytest.raises(OSError) as ei:
        mm.write("slabinfo", "kmalloc-64 banana\n")
    assert ei.value.errno == errno.EINVAL
    assert slabinfo_rows(mm)["kmalloc-64"][5:8] == [120, 60, 8]
    r = mm.ok("kmalloc size=50")
    assert r["cache"] == "kmalloc-64"
    mm.ok("kfree obj=%s" % r["obj"])
    mm.validate()


def test_slob_has_no_slabinfo(mount_mmfs):
    mm = mount_mmfs("slab=slob,cpus=2")
    assert "slabinfo" not in os.listdir(mm.mnt)
    with pytest.raises(FileNotFoundError):
        os.stat(mm.p("slabinfo"))
    assert os.listdir(mm.p("caches"))                # caches/ still lists every cache
    mm.ok("kmem_cache_create name=slob_test size=40")
    obj = mm.ok("kmem_cache_alloc name=slob_test")["obj"]
    assert os.listdir(mm.p("caches/slob_test/allocations")) == [obj]
    mm.ok("kmem_cache_free name=slob_test obj=%s" % obj)
    mm.ok("kmem_cache_destroy name=slob_test")
    mm.validate()


def _geometry(root, cache):
    return [open(os.path.join(root, cache, a)).read().split()[0]
            for a in ("object_size", "slab_size", "objs_per_slab", "order", "align")]


@pytest.mark.parametrize("nodes", [1, 2])
def test_boot_caches_geometry_is_the_hosts(mount_mmfs, nodes):
    """kmem_cache and kmem_cache_node as the host's 6.18 SLUB has them
    (/sys/kernel/slab): kmem_cache's object is struct kmem_cache up to its
    node[] array plus one pointer per node."""
    host = "/sys/kernel/slab"
    host_nodes = len([d for d in os.listdir("/sys/devices/system/node")
                      if d.startswith("node") and d[4:].isdigit()])
    m = mount_mmfs("cpus=2,nodes=%d" % nodes)
    assert _geometry(m.p("caches"), "kmem_cache_node") == _geometry(host, "kmem_cache_node")
    want = int(open(os.path.join(host, "kmem_cache", "object_size")).read()) - 8 * host_nodes
    got = _geometry(m.p("caches"), "kmem_cache")
    assert int(got[0]) == want + 8 * nodes, got
    if nodes == host_nodes:
        assert got == _geometry(host, "kmem_cache")
