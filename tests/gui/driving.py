"""Helpers that drive the main window the way a person does, shared by the pytest GUI tests
(``qtbot``) and the soak benchmark (``QTestBot``, no pytest). Each takes a *bot*: pytest-qt's
``qtbot`` or a ``QTestBot``, which offer the same ``wait``/``waitUntil``/``keyClicks``/
``keyClick``/``mouseClick``."""

from __future__ import annotations

import time

from PySide6.QtCore import QEventLoop, QPoint, Qt, QTimer
from PySide6.QtTest import QTest


class QTestBot:
    """The part of pytest-qt's ``qtbot`` these helpers use, on plain ``QTest`` (for scripts).

    Waits run a ``QEventLoop`` as pytest-qt does, never ``QTest.qWait``: PySide6 keeps the
    interpreter lock through ``qWait``, so the workers (evaluation, charts, sweeps) barely ran
    while a script waited for them, and a dialog deleted inside it deadlocked on its worker."""

    def wait(self, ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def waitUntil(self, callback, timeout: int = 5000) -> None:  # noqa: N802 (qtbot's name)
        deadline = time.perf_counter() + timeout / 1000
        while True:
            try:
                result = callback()  # None (asserted) or a truth value, as qtbot takes
                if result is None or result:
                    return
                error: Exception | None = None
            except AssertionError as e:
                error = e
            if time.perf_counter() > deadline:
                raise TimeoutError(f"waited {timeout} ms: {error or 'condition not met'}")
            self.wait(5)

    def keyClicks(self, widget, text: str) -> None:  # noqa: N802
        QTest.keyClicks(widget, text)

    def keyClick(self, widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # noqa: N802
        QTest.keyClick(widget, key, modifier)

    def mouseClick(self, widget, button, modifier=Qt.KeyboardModifier.NoModifier,  # noqa: N802
                   pos=None) -> None:
        if pos is None:
            QTest.mouseClick(widget, button, modifier)
        else:
            QTest.mouseClick(widget, button, modifier, pos)


def wait_idle(qtbot, w, timeout: int = 20000) -> None:
    """Until the evaluator has nothing pending and the shown result matches the scenario."""

    def done():
        assert not w.evaluator.busy
        assert w.results.result is not None
        assert w.results.result.scenario == w.scenario.name

    qtbot.waitUntil(done, timeout=timeout)
    qtbot.wait(20)


def type_into(qtbot, field, text: str) -> None:
    field.selectAll()
    qtbot.keyClicks(field, text)


def click_scenario(qtbot, w, row: int) -> None:
    """Click row ``row`` of the scenario list, as the mouse does."""
    lst = w.scenarios.list
    rect = lst.visualItemRect(lst.item(row))
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     rect.center() + QPoint(0, 0))
