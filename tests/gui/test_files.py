"""Save/open, autosave and crash recovery, start-up arguments, the smoke test, and offline use."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.gui.conftest import type_into, wait_idle

ROOT = Path(__file__).resolve().parents[2]


def test_save_and_reopen_identical(qtbot, window, tmp_path):
    from core.project import load_project

    w = window
    type_into(qtbot, w.fleet_editor.field_at(("fleet", 0, "count")), "3000")
    path = tmp_path / "p.json"
    assert w.save_to(str(path))
    assert load_project(path) == w.project
    saved = w.project
    w.new_project()
    assert w.project != saved
    assert w.open_path(str(path))
    assert w.project == saved
    assert not w.isWindowModified()
    from app import state

    assert state.recent_files()[0] == str(path.resolve())
    wait_idle(qtbot, w)


def test_open_bad_file_keeps_window(qtbot, window, tmp_path):
    w = window
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    before = w.project
    assert not w.open_path(str(bad))
    assert w.project == before
    message = w.statusBar().currentMessage()
    assert message.count("bad.json") == 1 and "\n" not in message  # one line, the file named once


def test_initial_document_bad_file_gives_message_and_empty_project(tmp_path):
    from app.gui import initial_document

    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "scenarios": []}', encoding="utf-8")
    doc, error = initial_document(str(bad))
    assert error and "bad.json" in error
    assert len(doc.project.scenarios) == 1 and doc.path is None


def test_autosave_on_structural_change_goes_to_state_folder(qtbot, window, chokepoint_home,
                                                            tmp_path):
    w = window
    w.add_scenario()
    autosave = w.session.autosave_path
    qtbot.waitUntil(autosave.exists, timeout=2000)
    assert autosave.is_relative_to(chokepoint_home / "state")
    assert not list(tmp_path.glob("*.json")), "nothing written next to documents"
    wait_idle(qtbot, w)


CRASH = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {root!r})
    from app.gui import make_application, initial_document
    from app import state
    from app.main_window import MainWindow
    app = make_application()
    doc, _ = initial_document(None)
    w = MainWindow(doc, state.Session(), interactive=False)
    w.rename_scenario(0, "Edited before the crash")
    w.autosave()
    os._exit(3)  # no clean shutdown
""")


def test_recovery_after_crash(qtbot, chokepoint_home):
    env = dict(os.environ, CHOKEPOINT_HOME=str(chokepoint_home), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", CRASH.format(root=str(ROOT))], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    from app.gui import offer_recovery

    offered = []
    doc = offer_recovery(lambda rec: offered.append(rec) or True)
    assert len(offered) == 1
    assert doc is not None
    assert doc.project.scenarios[0].name == "Edited before the crash"
    assert doc.modified, "recovered work is not on disk yet"
    assert offer_recovery(lambda rec: True) is None, "offered once"


def test_clean_exit_leaves_nothing_to_recover(qtbot, window):
    from app.gui import offer_recovery

    window.add_scenario()
    window.close()
    assert offer_recovery(lambda rec: True) is None


def test_whole_session_offline(qtbot, example, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from app import state
    from app.document import ProjectDocument
    from app.main_window import MainWindow
    from core.project import save_project

    src = tmp_path / "in.json"
    save_project(example, src)
    w = MainWindow(ProjectDocument(example), state.Session(), interactive=False)
    qtbot.addWidget(w)
    w.show()
    assert w.open_path(str(src))
    wait_idle(qtbot, w)
    type_into(qtbot, w.fleet_editor.field_at(("fleet", 0, "count")), "512")
    wait_idle(qtbot, w)
    assert w.save_to(str(tmp_path / "out.json"))
    w.close()


def test_no_qtnetwork_in_app():
    hits = [p for p in (ROOT / "app").rglob("*.py") if "QtNetwork" in p.read_text(encoding="utf-8")]
    assert not hits


@pytest.mark.parametrize("extra", [[], ["{example}"]])
def test_smoke_test_subprocess(tmp_path, chokepoint_home, extra):
    from core.resources import resource

    out = tmp_path / "smoke.json"
    example = resource("examples", "southeast-asia-route.json")
    if extra and not example.exists():
        pytest.skip("example project not shipped")
    args = [a.format(example=example) for a in extra]
    env = dict(os.environ, CHOKEPOINT_HOME=str(chokepoint_home), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "app", *args, "--smoke-test", str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["ok"] is True
    assert report["scenarios"] and {"name", "verdict", "days", "cost_usd"} <= set(report["scenarios"][0])
    assert report["startup_s"] > 0
    assert "Traceback" not in proc.stderr


def test_smoke_test_reports_failure(tmp_path, chokepoint_home):
    out = tmp_path / "smoke.json"
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    env = dict(os.environ, CHOKEPOINT_HOME=str(chokepoint_home), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "app", str(bad), "--smoke-test", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["ok"] is False and "bad.json" in report["error"]


def test_macos_file_open_event_opens_the_project(qtbot, tmp_path):
    """Finder passes a double-clicked file as a QFileOpenEvent; the app opens it."""
    from PySide6.QtGui import QFileOpenEvent
    from PySide6.QtWidgets import QApplication

    from app.gui import FileOpenHandler

    opened = []
    handler = FileOpenHandler(lambda path: opened.append(path) or True)
    path = str(tmp_path / "p.chokepoint.json")
    assert handler.eventFilter(QApplication.instance(), QFileOpenEvent(path)) is True
    assert opened == [path]
