"""Live evaluation off the GUI thread: coalesce rapid edits, run the core in a worker, drop
results that no longer match the latest request.

The first request after a quiet spell starts at once (so a single edit shows its result in
well under 100 ms); requests arriving while a run is in flight or within the debounce window
are merged into one trailing run.
"""

from __future__ import annotations

import contextlib
import time
import traceback

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from core.errors import InputError
from core.scenario import Scenario
from core.scenario_eval import ScenarioResult, evaluate_scenario

DEBOUNCE_MS = 150


def _run_and_report(compute, emit, what: str) -> None:
    """Run ``compute()`` in a worker and hand ``emit(value, error)`` the outcome: an InputError's
    text, or for a bug a one-line message (the window must survive any core failure). A window
    that went away while this ran cannot be told; that is not an error."""
    try:
        value, error = compute(), None
    except InputError as e:
        value, error = None, str(e)
    except Exception as e:
        traceback.print_exc()
        value, error = None, f"{what} failed: {e}"
    with contextlib.suppress(RuntimeError):  # the signal's QObject is gone with the window
        emit(value, error)


class _Signals(QObject):
    done = Signal(int, object, object)  # generation, result | None, error text | None


class _Job(QRunnable):
    def __init__(self, generation: int, scenario: Scenario, project) -> None:
        super().__init__()
        self.generation = generation
        self.scenario = scenario
        self.project = project
        self.signals = _Signals()

    def run(self) -> None:
        _run_and_report(lambda: evaluate_scenario(self.scenario, self.project),
                        lambda value, error: self.signals.done.emit(self.generation, value, error),
                        "evaluation")


class LiveEvaluator(QObject):
    """``request(scenario, project)``; emits ``result_ready(scenario, result, project)`` or
    ``failed(scenario, message, project)`` for the latest request only (``project`` is the one
    the request gave: the result depends on it, and it may have changed since)."""

    result_ready = Signal(object, object, object)
    failed = Signal(object, str, object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, debounce_ms: int = DEBOUNCE_MS):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._timer = QTimer(self, singleShot=True, interval=debounce_ms)
        self._timer.timeout.connect(self._start)
        self._generation = 0
        self._pending: tuple[Scenario, object] | None = None
        self._running: _Job | None = None
        self._last_start = 0.0
        self._debounce_s = debounce_ms / 1000
        self._closed = False

    @property
    def busy(self) -> bool:
        return self._running is not None or self._pending is not None

    def request(self, scenario: Scenario, project=None) -> None:
        if self._closed:  # after shutdown (window closing): start nothing new
            return
        self._generation += 1
        self._pending = (scenario, project)
        self.busy_changed.emit(True)
        if self._running is not None or self._timer.isActive():
            return  # picked up when the current run ends / the timer fires
        if time.perf_counter() - self._last_start >= self._debounce_s:
            self._start()
        else:
            self._timer.start()

    def _start(self) -> None:
        if self._pending is None or self._running is not None:
            return
        scenario, project = self._pending
        self._pending = None
        job = _Job(self._generation, scenario, project)
        job.signals.done.connect(self._finished)
        self._running = job
        self._last_start = time.perf_counter()
        self._pool.start(job)

    @Slot(int, object, object)
    def _finished(self, generation: int, result: ScenarioResult | None, error: str | None) -> None:
        job = self._running
        self._running = None
        if generation == self._generation and job is not None:
            if result is not None:
                self.result_ready.emit(job.scenario, result, job.project)
            else:
                self.failed.emit(job.scenario, error or "evaluation failed", job.project)
        if self._pending is not None and not self._timer.isActive():
            self._timer.start()
        if not self.busy:
            self.busy_changed.emit(False)

    def wait(self, timeout_ms: int = 30000) -> None:
        self._pool.waitForDone(timeout_ms)

    def shutdown(self) -> None:
        self._closed = True
        self._timer.stop()
        self._pending = None
        self._pool.waitForDone(30000)


class _ChartSignals(QObject):
    done = Signal(object, object, object)  # key, ChartSet | None, error text | None


class _ChartJob(QRunnable):
    def __init__(self, key, project, index: int, results: dict) -> None:
        super().__init__()
        self.key, self.project, self.index, self.results = key, project, index, results
        self.signals = _ChartSignals()

    def run(self) -> None:
        from core.chart_data import chart_set

        _run_and_report(lambda: chart_set(self.project, self.index, self.results),
                        lambda value, error: self.signals.done.emit(self.key, value, error),
                        "charts")


class ChartWorker(QObject):
    """Builds a ``core.chart_data.ChartSet`` (every scenario evaluated, the time-vs-count sweep)
    off the GUI thread. One run at a time; only the latest request is kept waiting."""

    ready = Signal(object, object)  # key, ChartSet
    failed = Signal(object, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending: tuple | None = None
        self._running = False

    @property
    def busy(self) -> bool:
        return self._running or self._pending is not None

    def request(self, key, project, index: int, results: dict) -> None:
        """``results``: known results by ``core.scenario_eval.result_key`` (see chart_set)."""
        self._pending = (key, project, index, results)
        if not self._running:
            self._start()

    def _start(self) -> None:
        if self._pending is None:
            return
        job = _ChartJob(*self._pending)
        self._pending = None
        job.signals.done.connect(self._finished)
        self._running = True
        self._pool.start(job)

    @Slot(object, object, object)
    def _finished(self, key, charts, error) -> None:
        self._running = False
        if self._pending is None:  # superseded results are not worth drawing
            if charts is not None:
                self.ready.emit(key, charts)
            else:
                self.failed.emit(key, error or "charts failed")
        self._start()

    def wait(self, timeout_ms: int = 30000) -> None:
        self._pool.waitForDone(timeout_ms)

    def shutdown(self) -> None:
        self._pending = None
        self._pool.waitForDone(30000)
