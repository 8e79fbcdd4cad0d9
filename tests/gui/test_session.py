"""A short analyst session in the normal suite (tests/gui/analyst.py says what is driven and
checked after every step); ``benchmarks/soak_window.py --steps 600`` runs the long one."""

from __future__ import annotations

import os

import pytest

from tests.gui.analyst import CHART_TABS_SEEN, AnalystSession, watch_exceptions
from tests.gui.conftest import wait_idle

STEPS = int(os.environ.get("CHOKEPOINT_SESSION_STEPS", "40"))
SEED = int(os.environ.get("CHOKEPOINT_SESSION_SEED", "20261202"))


@pytest.fixture
def session_window(qtbot, example):
    from app import state
    from app.document import ProjectDocument
    from app.main_window import MainWindow

    w = MainWindow(ProjectDocument(example), state.Session(), interactive=False)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    yield w
    w.close()  # waits for the workers, clears the autosave


def test_an_analysts_session_keeps_every_promise(qtbot, session_window, tmp_path):
    with watch_exceptions() as seen:
        s = AnalystSession(session_window, qtbot, SEED, tmp_path / "out", seen)
        s.settle()
        counts = s.run(STEPS)
    assert seen == []
    # the seed drives a session that does what an analyst does, not only switches
    for kind in ("switch", "maturity", "end_user", "sweep", "solver", "compare", "undo_redo",
                 "tab", "export", "invalid", "autosave"):
        assert counts[kind] >= 1, (kind, dict(counts))
    assert set(CHART_TABS_SEEN) & s.tabs_seen, s.tabs_seen


def test_compare_menu_item_opens_the_comparison(qtbot, window):
    """Scenario → Compare Scenarios… (and Ctrl+Shift+C): the action's ``checked`` argument
    reached ``compare_dialog(picked=False)`` and raised TypeError, so the menu item did nothing."""
    from app.compare_dialog import CompareDialog

    w = window
    w.select_scenario(1)
    action = next(a for m in w.menuBar().actions() for a in m.menu().actions()
                  if a.text() == "&Compare Scenarios…")
    assert action.shortcut().toString() == "Ctrl+Shift+C"
    action.trigger()
    dialogs = [d for d in w.findChildren(CompareDialog) if d.isVisible()]
    assert len(dialogs) == 1
    assert dialogs[0].picked() == [1, 2]
    qtbot.waitUntil(lambda: dialogs[0].comparison is not None and not dialogs[0].busy,
                    timeout=30000)
    dialogs[0].close()


def test_export_deck_menu_item_writes_the_current_scenarios_deck(qtbot, window, tmp_path,
                                                                  monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    pytest.importorskip("pptx")
    from pptx import Presentation

    target = tmp_path / "menu.pptx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    action = next(a for m in window.menuBar().actions() for a in m.menu().actions()
                  if a.text() == "&Export Deck…")
    action.trigger()
    assert target.exists()  # written at once: the current scenario's deck, not every scenario's
    assert len(Presentation(str(target)).slides) > 1
    wait_idle(qtbot, window)


def test_background_call_is_busy_until_its_answer_is_handled(qtbot):
    """The pool's thread is free before its queued answer reaches the GUI thread: ``busy`` must
    stay True until then, or a wait for idle reads the previous answer as the new one (the
    session test saw the Sweep tab's old sweep that way)."""
    from app.background import BackgroundCall

    call = BackgroundCall("test")
    got: list = []
    call.ready.connect(got.append)
    call.start(lambda: 42)
    call.wait()  # the worker thread is done; its answer is still queued
    assert got == [] and call.busy
    qtbot.waitUntil(lambda: got == [42], timeout=5000)
    assert not call.busy
    call.start(lambda: 1)
    call.cancel()  # a dropped answer still ends the call
    call.wait()
    qtbot.waitUntil(lambda: not call.busy, timeout=5000)
    assert got == [42]


def test_deleting_the_owner_of_a_running_call_does_not_wait_for_it(qtbot):
    """A dialog closed while it solves is deleted at once: its call runs on the shared pool. (A
    pool owned by the dialog made the deletion wait for the call: the window froze, and with
    the interpreter lock held, as in ``QTest.qWait``, it deadlocked: the session test hung.)"""
    import threading

    import shiboken6
    from PySide6.QtCore import QObject

    from app.background import BackgroundCall

    release, outcome = threading.Event(), []
    owner = QObject()
    call = BackgroundCall("test", owner)
    call.start(lambda: outcome.append(release.wait(8)))
    qtbot.waitUntil(lambda: call.busy)
    shiboken6.delete(owner)  # what WA_DeleteOnClose does to a closed dialog
    release.set()  # reached only once the deletion returned
    qtbot.waitUntil(lambda: bool(outcome), timeout=30000)
    assert outcome == [True], "the deletion waited for the call to end"
