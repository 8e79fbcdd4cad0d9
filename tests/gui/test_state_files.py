"""The app's own files (app/state.py): written by the same atomic writer as projects, private to
the user, and a home folder that cannot hold them does not stop the app."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys

import pytest

from core.atomic import WriteError
from tests.test_project import ROOT, full_project

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


@posix_only
def test_own_folders_are_0700_and_metadata_0600(chokepoint_home, tmp_path):
    from app import state

    old = os.umask(0o022)  # a usual umask would give 0755 folders and 0644 files
    try:
        session = state.Session()
        session.autosave(full_project(), str(tmp_path / "secret-briefing.json"))
        session.autosave(full_project(), str(tmp_path / "secret-briefing.json"))  # makes a .bak
        state.add_recent(tmp_path / "secret-briefing.json")
        state.save_settings({"theme": "light"})
        state.save_ui_state({"geometry": "AAAA"})
    finally:
        os.umask(old)
    for folder in ("state", "config", "state/autosave"):
        assert mode(chokepoint_home / folder) == 0o700, folder
    files = [session.lock_path, session.autosave_path, session.meta_path,
             session.autosave_path.with_name(session.autosave_path.name + ".bak"),
             chokepoint_home / "state" / "recent.json", chokepoint_home / "state" / "window.json",
             chokepoint_home / "config" / "settings.json"]
    for f in files:
        assert mode(f) == 0o600, f.name
    meta = json.loads(session.meta_path.read_text(encoding="utf-8"))
    assert meta["original"].endswith("secret-briefing.json")
    session.close()


@posix_only
def test_an_open_state_folder_from_an_older_version_is_tightened(chokepoint_home):
    from app import state

    (chokepoint_home / "state").mkdir(parents=True)
    os.chmod(chokepoint_home / "state", 0o755)
    state.add_recent("/some/plan.json")
    assert mode(chokepoint_home / "state") == 0o700


def test_state_files_use_the_atomic_writer(chokepoint_home, monkeypatch):
    from app import state

    state.save_settings({"a": 1})
    settings = chokepoint_home / "config" / "settings.json"
    before = settings.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)  # the old writer never called fsync
    with pytest.raises(WriteError, match="No space left on device; the file on disk was left"):
        state.save_settings({"a": 2})
    assert settings.read_bytes() == before
    state.add_recent("/x/plan.json")  # a convenience list: a full disk does not raise
    assert state.recent_files() == []
    monkeypatch.undo()
    assert state.add_recent("/x/plan.json") == ["/x/plan.json"]
    assert state.recent_files() == ["/x/plan.json"]
    assert [p.name for p in (chokepoint_home / "config").iterdir()] == ["settings.json"]


@pytest.fixture
def broken_home(tmp_path, monkeypatch):
    """A home under a regular file: mkdir fails (NotADirectoryError) even for root, which
    ignores permission bits."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    home = blocker / "home"
    monkeypatch.setenv("CHOKEPOINT_HOME", str(home))
    return home


def test_broken_home_means_no_autosave_and_no_recent_files(broken_home, qtbot):
    from app import state
    from app.gui import offer_recovery, start_session

    warning = state.unavailable()
    assert warning is not None and "\n" not in warning
    assert "cannot use the state folder" in warning and str(broken_home) in warning
    assert "starting without autosave" in warning
    assert state.recent_files() == []
    assert state.add_recent("/x/plan.json") == ["/x/plan.json"]  # no exception
    state.clear_recent()
    assert state.load_settings() == {} and state.load_ui_state() == {}
    assert state.find_recoverable() == []
    assert offer_recovery(lambda rec: True) is None
    assert start_session() is None
    with pytest.raises(state.StateUnavailable):
        state.save_settings({"a": 1})


def test_window_works_without_a_session(broken_home, qtbot, example, tmp_path):
    from app.document import ProjectDocument
    from app.gui import start_session
    from app.main_window import MainWindow

    w = MainWindow(ProjectDocument(example), start_session(), interactive=False)
    qtbot.addWidget(w)
    w.show()
    w.autosave()
    assert w.save_to(str(tmp_path / "plan.json"))  # recent files cannot be kept: still saved
    assert (tmp_path / "plan.json").exists()
    w.close()


def test_app_starts_with_a_broken_home(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    out = tmp_path / "smoke.json"
    env = dict(os.environ, CHOKEPOINT_HOME=str(blocker / "home"), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "app", "--smoke-test", str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["ok"] is True
    assert "Traceback" not in proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "warning:" in line]
    assert len(warnings) == 1 and "without autosave" in warnings[0], proc.stderr


# ---- names suggested by the Save As and Export deck dialogs ----------------------------------


def test_suggested_file_name_is_one_plain_name():
    from app.filenames import suggested_file_name as name

    assert name("../../etc/passwd", ".json") == "etc-passwd.json"
    assert name("Plan A: 2027/28", ".json") == "Plan A- 2027-28.json"
    assert name("..", ".json") == "project.json"
    assert name(" .hidden", ".pptx") == "hidden.pptx"
    assert name("CON", ".json") == "CON_.json"
    assert name("a\x00b\x1b\u202ec", ".json") == "a b c.json"
    assert name("Ünïcødé plan", ".json") == "Ünïcødé plan.json"
    assert len(name("x" * 300, ".json")) == 105


def test_save_as_and_export_deck_suggest_a_safe_name(window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    asked = []

    def dialog(parent, caption, start, *args, **kwargs):
        asked.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    window.set_project_properties("../../Briefing/2027: Q3", "")
    assert window.document.path is None
    assert window.save_as() is False
    window.export_deck_dialog()
    assert asked == ["Briefing-2027- Q3.json", "Briefing-2027- Q3.pptx"]


def test_export_deck_refuses_the_projects_own_file(window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    project = tmp_path / "plan.json"
    assert window.save_to(str(project))
    before = project.read_bytes()
    warned = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(project), ""))
    monkeypatch.setattr(window, "_warn", lambda title, text: warned.append(text))
    window.export_deck_dialog()
    assert project.read_bytes() == before
    assert len(warned) == 1 and "own file" in warned[0]


def test_failed_save_in_the_window_keeps_file_and_edits(window, monkeypatch, tmp_path):
    project = tmp_path / "plan.json"
    assert window.save_to(str(project))
    before = project.read_bytes()
    window.rename_scenario(0, "Edited, not yet saved")
    edited = window.project
    warned = []
    monkeypatch.setattr(window, "_warn", lambda title, text: warned.append((title, text)))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    assert window.save_to(str(project)) is False
    monkeypatch.undo()
    assert project.read_bytes() == before
    assert window.project == edited and window.document.modified
    assert len(warned) == 1
    _title, text = warned[0]
    assert "\n" not in text and "No space left on device" in text and "left unchanged" in text
