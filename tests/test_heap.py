"""app.heap.release_freed_memory: freed heap pages go back to the OS (glibc), a no-op elsewhere."""

from __future__ import annotations

import ctypes.util
import os
import sys

import pytest

from app.heap import release_freed_memory


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


@pytest.mark.skipif(not sys.platform.startswith("linux") or not os.path.exists("/proc/self/statm")
                    or "musl" in (ctypes.util.find_library("c") or ""), reason="glibc only")
def test_freed_heap_pages_are_returned():
    # 80 MB in 10 kB blocks (malloc'd from the heap, under the mmap threshold), pinned at the top
    # by one block allocated after them, then freed: glibc keeps those pages until trimmed
    blocks = [bytes(10_000) + bytes([i % 256]) for i in range(8000)]
    pin = bytes(10_000) + b"pin"
    held = _rss_mb()
    del blocks
    freed = _rss_mb()
    assert release_freed_memory() is True
    trimmed = _rss_mb()
    assert pin.endswith(b"pin")
    assert held - trimmed > 50, (held, freed, trimmed)


def test_elsewhere_it_does_nothing(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert release_freed_memory() is False
