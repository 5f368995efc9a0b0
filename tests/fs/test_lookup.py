"""lookup addr= asks the subsystem that owns the address (SPEC §4):
slab objects report cache, slab, index and free/in use; pkmap addresses
of kmapped highmem pages name the slot and the page behind it."""
import errno

import pytest

from conftest import run_mmfs


def test_lookup_slab_object_reports_index_and_state(mount_mmfs):
    m = mount_mmfs()
    fd = m.ctl_open()
    try:
        obj = m.ok("kmalloc size=64", fd)["obj"]
        r = m.ok("lookup addr=%s" % obj, fd)
        assert r["cache"] == "kmalloc-64"
        assert r["object"] == obj
        assert r["index"].isdigit()
        assert "in_use" in m.cmd("lookup addr=%s" % obj, fd)
        m.ok("kfree obj=%s" % obj, fd)
        assert " free" in m.cmd("lookup addr=%s" % obj, fd)
    finally:
        import os
        os.close(fd)
    m.validate()


def test_lookup_pkmap_address_names_slot_and_page(mount_mmfs):
    m = mount_mmfs("mem=256M,highmem=64M")
    pfn = m.alloc(0, gfp="GFP_HIGHUSER")
    vaddr = m.ok("kmap pfn=0x%x" % pfn)["vaddr"]
    assert int(vaddr, 16) >= 0xffffe00000000000
    line = m.cmd("lookup addr=%s" % vaddr).strip()
    assert line.startswith("ok pfn=0x%x " % pfn), line
    assert "zone=HighMem" in line and "pkmap slot=" in line, line
    m.ok("kunmap pfn=0x%x" % pfn)
    m.free(pfn)
    m.validate()


def test_lookup_unknown_address_is_einval(mount_mmfs):
    m = mount_mmfs()
    before = m.buddyinfo()
    with pytest.raises(OSError) as e:
        m.cmd("lookup addr=0x1234")
    assert e.value.errno == errno.EINVAL
    assert "error EINVAL" in e.value.reply
    assert m.buddyinfo() == before


def test_lookup_guard_pages(mount_mmfs):
    """debug_guardpage_minorder=5: an order-4 block split from a larger one
    leaves its order-4 buddy a guard block: not in buddyinfo, not in
    MemFree, lookup state=guard; the free merges it back (6.18 expand,
    __free_one_page)."""
    mm = mount_mmfs("debug_guardpage_minorder=5,cpus=1")
    mm.validate()
    bi0 = mm.buddyinfo()[(0, "Normal")]
    mf0 = mm.meminfo()["MemFree"]
    pfn = mm.alloc(4, gfp="GFP_HIGHUSER_MOVABLE")
    bi1 = mm.buddyinfo()[(0, "Normal")]
    mf1 = mm.meminfo()["MemFree"]
    assert mf0 - mf1 == 32 * 4, (mf0, mf1)      # 16 pages allocated, 16 guard
    o = next(i for i in range(5, 11) if bi1[i] == bi0[i] - 1)
    assert bi1[:5] == bi0[:5]
    assert bi1[5:o] == [n + 1 for n in bi0[5:o]]
    assert bi1[o + 1:] == bi0[o + 1:]
    for p in (pfn + 16, pfn + 31):
        r = mm.ok("lookup pfn=0x%x" % p)
        assert (r["state"], r["order"], r["head"]) == ("guard", "4", "0x%x" % (pfn + 16)), r
    assert mm.ok("lookup pfn=0x%x" % pfn)["state"] == "allocated"
    mm.validate()
    mm.free(pfn)
    assert mm.buddyinfo()[(0, "Normal")] == bi0
    assert mm.meminfo()["MemFree"] == mf0
    assert mm.ok("lookup pfn=0x%x" % (pfn + 16))["state"] == "buddy"
    mm.validate()


def test_guardpage_minorder_bad():
    for bad in ("6", "-1", "x"):
        rc, err, mounted = run_mmfs("debug_guardpage_minorder=" + bad)
        assert (rc, mounted) == (1, False)
        assert "debug_guardpage_minorder" in err
