"""Give the C heap's free pages back to the operating system after a large, short-lived job.

Drawing the deck of every scenario paints dozens of full-size chart images; once it is written
they are all freed, but glibc's allocator keeps the freed pages (its mmap threshold rises after
the first large frees, so later images come from the heap), and the process's resident memory
stays ~280 MB higher than what is live (measured: 575 MB resident, 296 MB after a trim; see
docs/reliability.md, "An analyst's session"). ``malloc_trim(0)`` returns them. Elsewhere
(macOS, Windows, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys


def release_freed_memory() -> bool:
    """Return the heap's free pages to the OS; True if the allocator gave any back.
    A no-op (False) where the C library has no ``malloc_trim``."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return bool(trim(0))
