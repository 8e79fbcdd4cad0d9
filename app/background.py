"""One core call at a time off the GUI thread, for the dialogs (solver, comparison), the Sweep tab
and the deck of every scenario: the window stays responsive, and only the latest call's answer is
reported (a superseded one is dropped).

The calls run on the application's shared thread pool, not on a pool owned by the caller: a
dialog closed while its call runs is deleted at once, and the call finishes on its own (a pool
owned by the dialog made its deletion wait for the call: the window froze until the solve or
comparison ended, and deadlocked when the deletion happened with the interpreter lock held, as in
a test's ``QTest.qWait``)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app.evaluator import _run_and_report


class _Signals(QObject):
    done = Signal(int, object, object)  # generation, value | None, error | None


class _Call(QRunnable):
    def __init__(self, generation: int, fn: Callable[[], Any], what: str) -> None:
        super().__init__()
        self.generation, self.fn, self.what = generation, fn, what
        self.signals = _Signals()
        self.ended = threading.Event()  # set in the worker thread when run() returns

    def run(self) -> None:
        try:
            _run_and_report(self.fn, lambda v, e: self.signals.done.emit(self.generation, v, e),
                            self.what)
        finally:
            self.ended.set()


class BackgroundCall(QObject):
    """``start(fn)``: run ``fn()`` in a worker; emits ``ready(value)`` or ``failed(text)`` (an
    InputError's one line, or for a bug "<what> failed: …") for the latest start only. One call
    runs at a time: a start while one runs waits for it, and replaces any start still waiting."""

    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, what: str, parent: QObject | None = None):
        super().__init__(parent)
        self.what = what
        self._generation = 0
        self._running: _Call | None = None
        self._next: _Call | None = None

    @property
    def busy(self) -> bool:
        """A call runs or waits, or its answer is still on its way to this thread (the worker
        is free before its queued answer is handled: a wait on the thread alone read the
        previous answer as the new one)."""
        return self._running is not None or self._next is not None

    def start(self, fn: Callable[[], Any]) -> None:
        self._generation += 1
        job = _Call(self._generation, fn, self.what)
        job.signals.done.connect(self._finished)
        if self._running is None:
            self._run(job)
        else:
            self._next = job  # a call that was waiting is superseded: never run

    def _run(self, job: _Call) -> None:
        self._running = job
        QThreadPool.globalInstance().start(job)

    def cancel(self) -> None:
        """Drop the answer of whatever is running (it still runs to its end)."""
        self._generation += 1
        self._next = None

    @Slot(int, object, object)
    def _finished(self, generation: int, value, error) -> None:
        self._running = None
        if self._next is not None:
            job, self._next = self._next, None
            self._run(job)
        if generation != self._generation:
            return
        if error is None:
            self.ready.emit(value)
        else:
            self.failed.emit(error)

    def wait(self, timeout_ms: int = 30000) -> None:
        """Until the running call's worker has returned (its answer may still be queued)."""
        job = self._running
        if job is not None:
            job.ended.wait(timeout_ms / 1000)
