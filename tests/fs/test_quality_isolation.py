# SPDX-License-Identifier: GPL-2.0-or-later
"""Isolation between users (issue 7, SPEC §3, §5, §6) with -o allow_other:
two unprivileged users (created with useradd when absent, run with
setpriv) cannot read, write, map, free, get/put, kmap or kfree each other's
frames and objects nor read their xattrs, never receive another user's old
data in a new block or object (also with init_on_alloc=0,init_on_free=0),
are held to user_limit, and cannot change sys/vm, fail_page_alloc, cache
attributes, slabinfo, tracing or the kernel's own blocks."""
import errno
import json
import os
import pwd
import sys

import pytest

from test_quality_helpers import as_user, ensure_user, user_blocks

A, B = "mmfs_qa", "mmfs_qb"

# Runs as an unprivileged user: a list of [op, args...]; prints one JSON
# result per op: 0 / errno / extra data.
AGENT = r"""
import errno, json, mmap, os, sys
mnt = sys.argv[1]
ops = json.loads(sys.argv[2])
out = []
fd = os.open(mnt + "/control", os.O_RDWR)
def p(rel): return os.path.join(mnt, rel)
for op in ops:
    try:
        kind = op[0]
        if kind == "ctl":
            try:
                os.write(fd, (op[1] + "\n").encode())
                out.append([0, os.read(fd, 65536).decode().strip()])
            except OSError as e:
                out.append([e.errno, os.read(fd, 65536).decode().strip()])
            continue
        if kind == "read":
            with open(p(op[1]), "rb") as f:
                out.append([0, f.read(op[2] if len(op) > 2 else 64).hex()])
        elif kind == "write":
            f = os.open(p(op[1]), os.O_WRONLY)
            try:
                os.write(f, op[2].encode() if len(op) > 2 else b"x")
            finally:
                os.close(f)
            out.append([0, ""])
        elif kind == "mmap":
            f = os.open(p(op[1]), os.O_RDWR)
            try:
                m = mmap.mmap(f, 4096, mmap.MAP_SHARED)
                m.close()
            finally:
                os.close(f)
            out.append([0, ""])
        elif kind == "rm":
            os.unlink(p(op[1]))
            out.append([0, ""])
        elif kind == "getxattr":
            out.append([0, os.getxattr(p(op[1]), op[2]).decode()])
        elif kind == "allzero":        # read whole files: are they all zero?
            bad = []
            for rel in op[1]:
                with open(p(rel), "rb") as f:
                    d = f.read()
                if d.count(0) != len(d):
                    bad.append(rel)
            out.append([0, bad])
        elif kind == "fill":           # write a byte over whole files
            for rel in op[1]:
                f = os.open(p(rel), os.O_WRONLY)
                try:
                    size = os.fstat(f).st_size
                    os.pwrite(f, bytes([op[2]]) * size, 0)
                finally:
                    os.close(f)
            out.append([0, ""])
        else:
            out.append([-1, "unknown op"])
    except OSError as e:
        out.append([e.errno, str(e)])
print(json.dumps(out))
"""


def agent(user, mnt, ops):
    r = as_user(user, [sys.executable, "-c", AGENT, mnt, json.dumps(ops)])
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert len(res) == len(ops)
    return res


def kvs(reply):
    return dict(x.split("=", 1) for x in reply.split()[1:] if "=" in x)


@pytest.fixture
def users():
    return {u: ensure_user(u) for u in (A, B)}


DENIED = (errno.EACCES, errno.EPERM)


def test_other_users_frames_and_objects_are_off_limits(mount_mmfs, users):
    m = mount_mmfs("allow_other,cpus=2,mem=128M")
    m.ok("kmem_cache_create name=isocache size=128")
    res = agent(A, m.mnt, [["ctl", "alloc_pages order=1"], ["ctl", "kmalloc size=100"],
                           ["ctl", "kmem_cache_alloc name=isocache"]])
    assert all(e == 0 for e, _ in res), res
    pfn = kvs(res[0][1])["pfn"]
    kobj, kcache = kvs(res[1][1])["obj"], kvs(res[1][1])["cache"]
    cobj = kvs(res[2][1])["obj"]
    frame = "frames/" + pfn
    kpath = "caches/%s/allocations/%s" % (kcache, kobj)
    cpath = "caches/isocache/allocations/%s" % cobj
    res = agent(A, m.mnt, [["write", frame, "secret-of-a"], ["write", kpath, "secret-k"],
                           ["write", cpath, "secret-c"]])
    assert all(e == 0 for e, _ in res), res

    ops = [
        ["read", frame], ["write", frame], ["mmap", frame], ["getxattr", frame, "user.mm.order"],
        ["ctl", "free_pages pfn=" + pfn], ["ctl", "get_page pfn=" + pfn],
        ["ctl", "put_page pfn=" + pfn], ["ctl", "kmap pfn=" + pfn], ["ctl", "kunmap pfn=" + pfn],
        ["read", kpath], ["write", kpath], ["read", cpath], ["write", cpath],
        ["ctl", "kfree obj=" + kobj], ["ctl", "kmem_cache_free name=isocache obj=" + cobj],
        ["ctl", "kfree obj=" + cobj],
        ["rm", kpath], ["rm", cpath], ["rm", frame],
    ]
    res = agent(B, m.mnt, ops)
    bad = [(op, r) for op, r in zip(ops, res) if r[0] not in DENIED]
    assert not bad, bad
    # SPEC §6 names EACCES/EPERM; control replies name the errno too
    for op, (e, reply) in zip(ops, res):
        if op[0] == "ctl":
            assert reply.startswith("error " + errno.errorcode[e]), (op, reply)
    # lookup answers metadata only: never the block's or object's bytes
    res = agent(B, m.mnt, [["ctl", "lookup pfn=" + pfn], ["ctl", "lookup addr=" + kobj]])
    for e, reply in res:
        assert "secret" not in reply and "736563726574" not in reply, reply
    # nothing changed: A still has everything, with its data
    res = agent(A, m.mnt, [["read", frame, 11], ["read", kpath, 8], ["read", cpath, 8],
                           ["getxattr", frame, "user.mm.refcount"]])
    assert [r[1] for r in res] == [b"secret-of-a".hex(), b"secret-k".hex(),
                                   b"secret-c".hex(), "1"], res
    res = agent(A, m.mnt, [["ctl", "free_pages pfn=" + pfn], ["ctl", "kfree obj=" + kobj],
                           ["ctl", "kmem_cache_free name=isocache obj=" + cobj]])
    assert all(e == 0 for e, _ in res), res
    m.ok("kmem_cache_destroy name=isocache")
    m.validate()


@pytest.mark.parametrize("opts", ["", "init_on_alloc=0,init_on_free=0"])
def test_no_old_data_reaches_another_user(mount_mmfs, users, opts):
    """A fills blocks of every small order and objects of several sizes with
    0xa5 and frees them; B then allocates the same shapes (getting the same
    memory back, as LIFO free lists do) and must read only zeros."""
    m = mount_mmfs("allow_other,cpus=1,mem=64M" + ("," + opts if opts else ""))
    shapes = ["alloc_pages order=%d" % o for o in (0, 0, 0, 0, 1, 1, 2, 3)] + \
             ["kmalloc size=%d" % s for s in (8, 64, 64, 192, 512, 4096, 16384)]
    shapes = shapes * 4

    def files(res):
        out, frees = [], []
        for e, reply in res:
            assert e == 0, reply
            kv = kvs(reply)
            if "cache" in kv:
                out.append("caches/%s/allocations/%s" % (kv["cache"], kv["obj"]))
                frees.append("kfree obj=" + kv["obj"])
            elif "obj" in kv:
                out.append(None)            # large kmalloc: pages, freed by kfree
                frees.append("kfree obj=" + kv["obj"])
            else:
                out.append("frames/" + kv["pfn"])
                frees.append("free_pages pfn=" + kv["pfn"])
        return out, frees

    res = agent(A, m.mnt, [["ctl", s] for s in shapes])
    a_files, a_frees = files(res)
    a_addrs = {r[1].split()[1] for r in res}
    res = agent(A, m.mnt, [["fill", [f for f in a_files if f], 0xa5]] +
                [["ctl", f] for f in reversed(a_frees)])
    assert all(e == 0 for e, _ in res), res
    res = agent(B, m.mnt, [["ctl", s] for s in shapes])
    b_files, b_frees = files(res)
    reused = a_addrs & {r[1].split()[1] for r in res}
    assert reused, "B got none of A's memory back: the test proves nothing"
    res = agent(B, m.mnt, [["allzero", [f for f in b_files if f]]])
    assert res[0] == [0, []], res
    # large kmalloc objects (pages): root reads them through the direct map
    for e, reply in agent(B, m.mnt, [["ctl", f] for f in b_frees]):
        assert e == 0, reply
    m.validate()


def test_user_limit(mount_mmfs, users):
    m = mount_mmfs("allow_other,cpus=2,mem=128M,user_limit=1M")
    res = agent(A, m.mnt, [["ctl", "alloc_pages order=8"], ["ctl", "alloc_pages order=0"],
                           ["ctl", "kmalloc size=64"], ["ctl", "kmalloc size=8192"]])
    assert res[0][0] == 0, res
    assert [r[0] for r in res[1:]] == [errno.ENOMEM] * 3, res
    for e, reply in res[1:]:
        assert reply.startswith("error ENOMEM"), reply
    # the limit is per uid: B is not held by A's use
    res_b = agent(B, m.mnt, [["ctl", "alloc_pages order=7"], ["ctl", "alloc_pages order=7"],
                             ["ctl", "alloc_pages order=0"]])
    assert [r[0] for r in res_b] == [0, 0, errno.ENOMEM], res_b
    # freeing gives the room back
    pfn = kvs(res[0][1])["pfn"]
    res = agent(A, m.mnt, [["ctl", "free_pages pfn=" + pfn], ["ctl", "alloc_pages order=8"]])
    assert [r[0] for r in res] == [0, 0], res
    # a single request larger than the whole limit fails too
    res = agent(A, m.mnt, [["ctl", "alloc_pages order=9"]])
    assert res[0][0] == errno.ENOMEM
    for b in user_blocks(m):
        m.free(b[0])
    m.validate()


def test_unprivileged_cannot_change_the_kernel(mount_mmfs, users):
    m = mount_mmfs("allow_other,cpus=2,mem=128M")
    kernel = [b for b in __import__("test_quality_helpers").frame_blocks(m)
              if not b[4].startswith("user:")]
    assert kernel, "no kernel block in frames/"
    kframe = "frames/0x%x" % kernel[0][0]
    sysvm = sorted(os.listdir(m.p("sys/vm")))
    targets = ["sys/vm/" + n for n in sysvm] + \
              ["sys/kernel/fail_page_alloc/" + n for n in ("probability", "interval", "times", "space")] + \
              ["caches/kmalloc-64/" + n for n in ("shrink", "validate", "red_zone", "poison",
                                                 "sanity_checks", "store_user", "trace")
               if os.path.exists(m.p("caches/kmalloc-64", n))] + \
              ["slabinfo", "tracing/tracing_on", kframe, "meminfo", "log"]
    # settings whose value must not change (attribute files that read back)
    before = {t: m.readb(t) for t in targets
              if os.stat(m.p(t)).st_mode & 0o444 and
              (t.startswith(("sys/", "tracing/")) or
               t.endswith(("red_zone", "poison", "sanity_checks", "store_user", "trace")))}
    res = agent(B, m.mnt, [["write", t, "1\n"] for t in targets])
    bad = [(t, r) for t, r in zip(targets, res) if r[0] not in DENIED]
    assert not bad, bad
    # kernel blocks through control: EPERM (SPEC §6: not the user's)
    slab_pfn = "0x%x" % kernel[0][0]
    res = agent(B, m.mnt, [["ctl", "free_pages pfn=" + slab_pfn], ["ctl", "get_page pfn=" + slab_pfn],
                           ["ctl", "put_page pfn=" + slab_pfn], ["ctl", "kmap pfn=" + slab_pfn]])
    bad = [r for r in res if r[0] not in DENIED]
    assert not bad, res
    for t, old in before.items():
        assert m.readb(t) == old, t
    m.validate()
