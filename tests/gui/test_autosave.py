"""Nothing lost: an edit reaches the autosave within about a second, so killing the app (SIGKILL)
two seconds after it still offers the edit back at the next start, naming the project."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tests.gui.conftest import type_into, wait_idle

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "southeast-asia-route.json"

# The real start-up (app.gui.run_gui with a project file); the driver only types into the window
# once it is shown, like a person would, and says when.
DRIVER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from app import gui
    from app.main_window import MainWindow

    path, mode = sys.argv[1], sys.argv[2]

    def type_into(field, text):
        field.selectAll()
        QTest.keyClicks(field, text)

    def first_edit(w):
        type_into(w.fleet_editor.field_at(("fleet", 0, "count")), "1234")
        assert w.project.scenarios[0].fleet[0].count == 1234, "the edit did not land"
        print("EDITED", flush=True)
        if mode == "keep-typing":  # later edits must not postpone the first one's autosave
            more(w, 40)

    def more(w, n):
        type_into(w.model_editor.field_at(("training", "tokens")), f"{{n}}T")
        QTimer.singleShot(150, lambda: more(w, n + 1))

    show = MainWindow.show
    def show_then_edit(self):
        show(self)
        QTimer.singleShot(0, lambda: first_edit(self))
    MainWindow.show = show_then_edit
    sys.exit(gui.run_gui([path]))
""")


def run_and_kill(home: Path, project: Path, mode: str, after_s: float = 2.0) -> str:
    env = dict(os.environ, CHOKEPOINT_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    log = home.parent / f"stderr-{mode}.txt"  # a file, not a pipe: a full pipe would stall the app
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-c", DRIVER.format(root=str(ROOT)),
                                 str(project), mode], env=env, stdout=subprocess.PIPE,
                                stderr=err, text=True)
        watchdog = threading.Timer(120, proc.kill)
        watchdog.start()
        try:
            line = proc.stdout.readline()
            assert line.strip() == "EDITED", (line, log.read_text())
            time.sleep(after_s)
            assert proc.poll() is None, f"the app exited by itself: {log.read_text()}"
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        finally:
            watchdog.cancel()
            proc.kill()
            proc.wait()
            proc.stdout.close()
    return log.read_text()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
@pytest.mark.parametrize("mode", ["one-edit", "keep-typing"])
def test_sigkill_two_seconds_after_an_edit_offers_it_back(chokepoint_home, tmp_path, mode):
    from app import state
    from app.gui import offer_recovery, recovery_question
    from core.project import load_project

    project = tmp_path / "briefing.json"
    shutil.copy(EXAMPLE, project)
    name = load_project(project).name
    run_and_kill(chokepoint_home, project, mode)
    assert load_project(project).scenarios[0].fleet[0].count != 1234, "the file was not saved"

    found = state.find_recoverable()
    assert len(found) == 1
    rec = found[0]
    assert rec.name == name
    assert rec.original == str(project.resolve())
    question = recovery_question(rec)
    assert name in question and str(project.resolve()) in question
    offered = []
    doc = offer_recovery(lambda r: offered.append(r) or True)
    assert [r.name for r in offered] == [name]
    assert doc is not None and doc.project.scenarios[0].fleet[0].count == 1234
    assert doc.path == str(project.resolve()) and doc.modified


def test_unsaved_project_of_a_crashed_session_is_named(chokepoint_home):
    """Autosaves of other sessions are named from the file (or its meta), never 'an unsaved
    project'; a dead session is simulated by releasing its lock."""
    from app import sources, state
    from app.gui import recovery_question

    session = state.Session()
    session.autosave(sources.new_project("Draft for the minister"), None)
    session._lock.unlock()
    [rec] = state.find_recoverable()
    assert rec.name == "Draft for the minister" and rec.original is None
    assert "“Draft for the minister” (never saved to a file)" in recovery_question(rec)
    assert "unsaved project" not in recovery_question(rec)
    rec.project_path.write_text("{damaged", encoding="utf-8")  # name from the meta then
    [rec] = state.find_recoverable()
    assert rec.name == "Draft for the minister"


def test_edit_is_autosaved_without_a_save_and_undo_to_clean_clears_it(qtbot, window):
    from core.project import load_project

    w = window
    autosave = w.session.autosave_path
    assert not autosave.exists(), "an unmodified project has nothing to recover"
    type_into(qtbot, w.fleet_editor.field_at(("fleet", 0, "count")), "1234")
    qtbot.waitUntil(lambda: autosave.exists()
                    and load_project(autosave).scenarios[0].fleet[0].count == 1234,
                    timeout=5000)
    while w.document.undo_stack.canUndo():
        w.document.undo_stack.undo()
    assert not w.document.modified
    qtbot.waitUntil(lambda: not autosave.exists(), timeout=5000)
    wait_idle(qtbot, w)


def test_window_without_a_session_edits_and_saves_nothing(qtbot, example, chokepoint_home):
    """The smoke test and the benchmarks run the window without a session: no autosave."""
    from app.document import ProjectDocument
    from app.main_window import MainWindow

    w = MainWindow(ProjectDocument(example), None, interactive=False)
    qtbot.addWidget(w)
    w.show()
    wait_idle(qtbot, w)
    type_into(qtbot, w.fleet_editor.field_at(("fleet", 0, "count")), "1234")
    w.autosave()
    w.document.undo_stack.undo()
    w.autosave()
    assert w.project.scenarios[0].fleet[0].count != 1234
    assert not (chokepoint_home / "state" / "autosave").exists() or not any(
        (chokepoint_home / "state" / "autosave").iterdir())
    wait_idle(qtbot, w)
    w.evaluator.shutdown()
