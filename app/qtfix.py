"""Work-arounds for bugs in the Qt binding, applied once at start-up.

PySide6 6.12 on Python 3.11: ``SignalInstance.emit()`` returns ``True`` without taking a new
reference, so every emitted signal drains the reference count of ``True``. pyqtgraph emits on
every redraw, resize and mouse move; after a few thousand emits the count reaches zero and the
interpreter aborts with "Fatal Python error: bool_dealloc" (during a session or at exit).
``guard_bool_refcount`` measures the leak and, when present, makes ``True``/``False``
effectively immortal, as Python 3.12+ does itself.
"""

from __future__ import annotations

import ctypes
import sys

_IMMORTAL = 1 << 40
_done = False


def emit_leaks_true() -> bool:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(16):
        probe.ping.emit()
    return sys.getrefcount(True) < before - 8


def guard_bool_refcount() -> bool:
    """True when the leak was found and neutralised (idempotent, no-op where not needed)."""
    global _done
    if _done or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return _done
    if not emit_leaks_true():
        return False
    for obj in (True, False):  # ob_refcnt is the first field of every CPython object
        ctypes.c_ssize_t.from_address(id(obj)).value += _IMMORTAL
    _done = True
    return True
