# SPDX-License-Identifier: GPL-2.0-or-later
"""tracing/: kmem events into trace_pipe; a blocking read never blocks the
daemon (it is answered later from another thread)."""
import os
import select
import threading
import time

from conftest import wait_for


def test_trace_pipe_blocking_read(mm):
    assert mm.read("tracing/events/kmem/mm_page_alloc/enable").strip() == "0"
    mm.write("tracing/events/kmem/mm_page_alloc/enable", "1\n")
    mm.write("tracing/tracing_on", "1\n")
    assert mm.read("tracing/events/kmem/mm_page_alloc/enable").strip() == "1"
    got = []
    fd = os.open(mm.p("tracing/trace_pipe"), os.O_RDONLY)

    def reader():
        got.append(os.read(fd, 65536).decode())
    t = threading.Thread(target=reader)
    t.start()
    time.sleep(0.3)
    assert t.is_alive()                       # blocked: nothing traced yet
    # the daemon still answers everything else meanwhile
    assert "Normal" in mm.read("buddyinfo")
    pfn = mm.alloc(2)
    t.join(10)
    assert not t.is_alive()
    text = got[0]
    assert "mm_page_alloc:" in text and "pfn=0x%x" % pfn in text and "order=2" in text, text
    os.close(fd)


def test_trace_pipe_poll_and_nonblock(mm):
    mm.write("tracing/events/kmem/mm_page_free/enable", "1\n")
    mm.write("tracing/tracing_on", "1\n")
    fd = os.open(mm.p("tracing/trace_pipe"), os.O_RDONLY | os.O_NONBLOCK)
    try:
        try:
            while os.read(fd, 65536):
                pass
        except BlockingIOError:
            pass
        p = select.poll()
        p.register(fd, select.POLLIN)
        assert p.poll(200) == []
        pfn = mm.alloc(1)
        mm.free(pfn)
        assert wait_for(lambda: p.poll(100), 5)
        assert "mm_page_free:" in os.read(fd, 65536).decode()
    finally:
        os.close(fd)


def test_interrupted_read(mm):
    """A blocked reader killed by a signal goes away; the daemon goes on."""
    import signal
    import subprocess
    import sys
    child = subprocess.Popen([sys.executable, "-c",
                              "import os,sys;print('go',flush=True);"
                              "os.read(os.open(sys.argv[1],os.O_RDONLY),100)",
                              mm.p("tracing/trace_pipe")], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "go"
    time.sleep(0.3)
    assert child.poll() is None
    child.send_signal(signal.SIGINT)
    assert child.wait(10) != 0
    assert "Normal" in mm.read("buddyinfo")
    mm.validate()


def test_blocked_reader_at_stop(mount_mmfs):
    """A reader still blocked when the daemon stops is answered with an error
    and the daemon exits 0."""
    mm = mount_mmfs("mem=64M")
    fd = os.open(mm.p("tracing/trace_pipe"), os.O_RDONLY)
    result = []

    def reader():
        try:
            result.append(os.read(fd, 100))
        except OSError as e:
            result.append(e.errno)
    t = threading.Thread(target=reader, daemon=True)
    t.start()
    time.sleep(0.2)
    mm.proc.terminate()
    assert mm.proc.wait(15) == 0
    mm.rc = 0
    t.join(5)
    assert result and isinstance(result[0], int), result
    try:
        os.close(fd)
    except OSError:
        pass
