"""Refuse to start on a Qt binding release known to corrupt the interpreter.

PySide6-Essentials / shiboken6 6.12.0 on Python 3.11 hands back borrowed references as new
ones: every ``Signal.emit()`` (and other calls returning ``None``, ``True`` or ``False``)
decrements those objects' reference counts without having incremented them. pyqtgraph emits on
every redraw, so after a few scenario switches the count reaches zero and the interpreter aborts
with ``Fatal Python error: none_dealloc`` / ``bool_dealloc`` (issue 9). Python 3.12+ makes those
objects immortal, which hides the fault but not the binding's bug.

The cure is the pin in ``pyproject.toml`` and the lock files in ``requirements/``; this module
is the guard that catches an environment built some other way. It never writes into interpreter
objects.
"""

from __future__ import annotations

import sys

# Releases seen to drain reference counts here (benchmarks/soak_window.py aborts within a few
# dozen scenario switches). Add a release here, and exclude it in pyproject.toml, when seen.
KNOWN_BAD = frozenset({"6.12.0"})

_PROBE_EMITS = 64
_drained = False  # the probe found a drain: this interpreter will abort when it finalises


def binding_version() -> str:
    """The shiboken6 / PySide6 version actually imported (the two always ship together)."""
    import PySide6

    return str(PySide6.__version__)


def refcount_drain(emits: int = _PROBE_EMITS) -> int:
    """How many references ``None``, ``True`` and ``False`` lost over ``emits`` signal emits
    (0 on a sound binding; about ``emits`` per object on the broken one). Python 3.12+ keeps
    those objects immortal, so the probe reads 0 there whatever the binding."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal(object)

    sink: list[object] = []
    probe = _Probe()
    probe.ping.connect(sink.append)
    before = [sys.getrefcount(o) for o in (None, True, False)]
    for i in range(emits):
        probe.ping.emit(None if i % 3 == 0 else bool(i % 3 == 1))
    sink.clear()
    after = [sys.getrefcount(o) for o in (None, True, False)]
    probe.deleteLater()
    return max(0, max(b - a for b, a in zip(before, after, strict=True)))


def binding_problem() -> str | None:
    """One line naming why this binding must not run the app, or None when it is sound."""
    try:
        version = binding_version()
    except ImportError as e:  # platform_check names missing system libraries before this
        return f"chokepoint: the Qt binding PySide6 cannot be imported ({e}); reinstall with `make`"
    fix = ("reinstall from the lock file with `make` (or pip install -r requirements/app.lock "
           "--require-hashes)")
    if version in KNOWN_BAD:
        return (f"chokepoint: PySide6 {version} is known to corrupt Python's reference counts "
                f"and crash the window; {fix}")
    drained = refcount_drain()
    if drained >= _PROBE_EMITS // 4:
        global _drained
        _drained = True
        return (f"chokepoint: PySide6 {version} leaks references to None/True/False ({drained} "
                f"in {_PROBE_EMITS} signals) and would crash the window; {fix}")
    return None


def refuse(message: str, code: int = 1) -> int:
    """Print the refusal and end with ``code``. When the probe has already drained reference
    counts, normal interpreter shutdown would abort with a core dump over the message, so the
    process ends at once (streams flushed) instead."""
    import os

    stream = sys.stderr
    if stream is not None:
        print(message, file=stream)
        stream.flush()
    if _drained:
        if sys.stdout is not None:
            sys.stdout.flush()
        os._exit(code)
    return code
