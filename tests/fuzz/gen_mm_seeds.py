#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the hand-made seeds of corpus/fuzz_mm (the op encoding of fuzz_mm.c:
an opcode byte, value % 20, then the op's argument bytes)."""
import os
import struct

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_mm")

ALLOC, FREE, GET, PUT, KMALLOC, KFREE = 0, 3, 5, 6, 7, 9
CCREATE, CDESTROY, CALLOC, CFREEWRONG, KMAP, MAP, ACCESS, UNMAP, MISC = 11, 12, 13, 14, 15, 16, 17, 18, 19


def alloc(order, gfp=0, nid=0):
    return bytes([ALLOC, order, gfp, nid])


def free(i):
    return bytes([FREE, i, 0])


def seeds():
    s = {}
    s["pages_all_orders"] = b"".join(alloc(o, o % 20, o % 8) for o in range(13)) + \
        b"".join(free(0) for _ in range(12)) + bytes([MISC, 0, MISC, 3])
    s["get_put"] = alloc(2) + bytes([GET, 0, 1, GET, 0, 1, PUT, 0, 1, PUT, 0, 1]) + free(0) + \
        free(0) + bytes([GET, 0, 0, 0, 0])
    s["kmalloc_sizes"] = b"".join(bytes([KMALLOC, i, 0, 0]) for i in range(24)) + \
        b"".join(bytes([KFREE, 1, 0, 1, 1]) for _ in range(24))
    s["cache_cycle"] = bytes([CCREATE, 0]) + struct.pack("<H", 100) + bytes([3, 2, 0]) + \
        b"".join(bytes([CALLOC, 0, 0, 0]) for _ in range(10)) + bytes([CDESTROY, 0]) + \
        bytes([CFREEWRONG, 1, 0]) + b"".join(bytes([KFREE, 1, 0, 0, 0]) for _ in range(10)) + \
        bytes([CDESTROY, 0, MISC, 1, 0])
    s["cache_debug"] = bytes([CCREATE, 1]) + struct.pack("<H", 200) + bytes([5, 4, 0]) + \
        b"".join(bytes([CALLOC, 1, 0, 5]) for _ in range(5)) + bytes([MISC, 3])
    s["map_access"] = alloc(0) + alloc(3, 6) + bytes([MAP, 0, 12, MAP, 1, 4]) + \
        bytes([ACCESS, 0, 1, 0, 1, ACCESS, 1, 0xff, 0xff, 1, UNMAP, 0]) + free(0) + bytes([UNMAP, 0])
    s["highmem_kmap"] = alloc(0, 3) + alloc(1, 3) + bytes([KMAP, 0, 0, KMAP, 1, 0, KMAP, 0, 1]) + \
        bytes([MISC, 2, 0]) + free(1)
    s["bad_args"] = alloc(11) + alloc(12) + alloc(0, 19) + alloc(0, 20) + alloc(0, 0, 7) + \
        bytes([FREE, 0, 1, 1, 0, 0]) + bytes([KFREE, 0, 0, 0, 0])
    return s


if __name__ == "__main__":
    os.makedirs(D, exist_ok=True)
    for name, data in seeds().items():
        with open(os.path.join(D, name), "wb") as f:
            f.write(data)
