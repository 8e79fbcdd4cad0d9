"""One core call at a time off the GUI thread, for the dialogs (solver, comparison): the window
stays responsive, and only the latest call's answer is reported (a superseded one is dropped)."""

from __future__ import annotations

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

    def run(self) -> None:
        _run_and_report(self.fn, lambda v, e: self.signals.done.emit(self.generation, v, e),
                        self.what)


class BackgroundCall(QObject):
    """``start(fn)``: run ``fn()`` in a worker; emits ``ready(value)`` or ``failed(text)`` (an
    InputError's one line, or for a bug "<what> failed: …") for the latest start only."""

    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, what: str, parent: QObject | None = None):
        super().__init__(parent)
        self.what = what
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._generation = 0

    @property
    def busy(self) -> bool:
        return self._pool.activeThreadCount() > 0

    def start(self, fn: Callable[[], Any]) -> None:
        self._generation += 1
        job = _Call(self._generation, fn, self.what)
        job.signals.done.connect(self._finished)
        self._pool.start(job)

    def cancel(self) -> None:
        """Drop the answer of whatever is running (it still runs to its end)."""
        self._generation += 1

    @Slot(int, object, object)
    def _finished(self, generation: int, value, error) -> None:
        if generation != self._generation:
            return
        if error is None:
            self.ready.emit(value)
        else:
            self.failed.emit(error)

    def wait(self, timeout_ms: int = 30000) -> None:
        self._pool.waitForDone(timeout_ms)
