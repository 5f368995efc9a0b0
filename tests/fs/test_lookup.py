"""lookup addr= asks the subsystem that owns the address (SPEC §4):
slab objects report cache, slab, index and free/in use; pkmap addresses
of kmapped highmem pages name the slot and the page behind it."""
import errno

import pytest


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
