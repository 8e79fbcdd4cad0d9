"""GUI tests run offscreen with their own CHOKEPOINT_HOME; skipped where Qt is not installed."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytestmark = pytest.mark.gui

from tests.gui.driving import type_into, wait_idle  # noqa: E402,F401 (tests import them from here)


@pytest.fixture(autouse=True)
def chokepoint_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("CHOKEPOINT_HOME", str(home))
    return home


@pytest.fixture
def example():
    from app import sources

    project = sources.example_project()
    if project is None:
        from tests.gui.example import example_project

        project = example_project()
    return project


@pytest.fixture
def window(qtbot, example):
    from app import state
    from app.document import ProjectDocument
    from app.main_window import MainWindow

    w = MainWindow(ProjectDocument(example), state.Session(), interactive=False)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    wait_idle(qtbot, w)
    yield w
    w.evaluator.shutdown()
    if w.session is not None:
        w.session.close()
