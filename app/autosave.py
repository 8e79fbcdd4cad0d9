"""Autosave off the UI thread: serialising and fsyncing a large project takes most of a second
(a 3.6 MB project of 200 scenarios x 50 pools: ~0.7-0.85 s here; the bundled example ~30 ms), which
the window must not freeze for after every edit.

One write at a time, in order; while one runs only the newest request waits (the project is an
immutable value, so the worker can read it while the user edits the next one). ``clear`` goes
through the same queue, so a write still in flight can never bring back an autosave that a save
just removed.
"""

from __future__ import annotations

import contextlib
import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from core.errors import InputError


class _Signals(QObject):
    done = Signal(str)  # "" or why the write failed


class _Drain(QRunnable):
    def __init__(self, take: Callable[[], Callable[[], None] | None], signals: _Signals) -> None:
        super().__init__()
        self.take, self.signals = take, signals

    def run(self) -> None:
        while (action := self.take()) is not None:
            try:
                action()
                error = ""
            except (InputError, OSError) as e:
                error = str(e)
            except Exception as e:  # a bug must not take the window down
                traceback.print_exc()
                error = f"{type(e).__name__}: {e}"
            with contextlib.suppress(RuntimeError):  # the window is gone
                self.signals.done.emit(error)


class Autosaver(QObject):
    """``save(project, original)`` / ``clear()`` through ``session`` (no-ops without one);
    ``failed(message)``."""

    failed = Signal(str)

    def __init__(self, session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._lock = threading.Lock()
        self._pending: Callable[[], None] | None = None
        self._draining = False
        self._last: tuple | None = None  # the last action queued: what the autosave will hold
        self._signals = _Signals(self)
        self._signals.done.connect(self._done)

    def save(self, project, original: str | None) -> None:
        if self.session is None:
            return
        last = self._last
        if last is not None and last[0] == "save" and last[1] is project and last[2] == original:
            return  # nothing new since the last write
        self._last = ("save", project, original)
        self._queue(lambda: self.session.autosave(project, original))

    def clear(self) -> None:
        if self.session is not None and self._last != ("clear",):
            self._last = ("clear",)
            self._queue(self.session.clear_autosave)

    def _queue(self, action: Callable[[], None]) -> None:
        with self._lock:
            self._pending = action
            if self._draining:
                return  # the running drain picks it up
            self._draining = True
        self._pool.start(_Drain(self._take, self._signals))

    def _take(self) -> Callable[[], None] | None:
        with self._lock:
            action, self._pending = self._pending, None
            if action is None:
                self._draining = False
            return action

    @Slot(str)
    def _done(self, error: str) -> None:
        if error:
            self._last = None  # try again on the next change
            self.failed.emit(f"Autosave failed: {error}")

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Until every queued write is on disk (tests, closing)."""
        return self._pool.waitForDone(timeout_ms)
