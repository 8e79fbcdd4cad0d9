"""User text is shown as text: a name such as ``<img src="/dev/zero">`` must never be rendered as
HTML (Qt would read that path until the app aborts) and ``<b>x</b>`` must show its tags."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.gui.conftest import wait_idle
from tests.gui.hostile import hostile_project

ROOT = Path(__file__).resolve().parents[2]
IMG = '<img src="/nonexistent/chokepoint-probe.png">'
BOLD = "<b>x</b>"


def _markup_shown(fmt, text: str) -> bool:
    """Would Qt draw ``text`` as HTML in a widget with text format ``fmt``?"""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import Qt as G

    return fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText
                                             and G.mightBeRichText(text))


def _raw(text: str) -> bool:
    return IMG in text or BOLD in text


def _tooltip_is_markup(text: str) -> bool:
    from PySide6.QtGui import Qt as G

    return bool(text) and G.mightBeRichText(text) and _raw(text)


def _offenders(root) -> list[str]:
    """Labels, message boxes and tooltips under ``root`` that would render user markup."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox, QLabel, QListWidget, QTableWidget, QWidget

    bad = []
    for label in [root, *root.findChildren(QLabel)]:
        if isinstance(label, QLabel) and _raw(label.text()) \
                and _markup_shown(label.textFormat(), label.text()):
            bad.append(f"label {label.objectName() or type(label.parent()).__name__}: "
                       f"{label.text()!r}")
    for w in [root, *root.findChildren(QWidget)]:
        if _tooltip_is_markup(w.toolTip()):
            bad.append(f"tooltip of {type(w).__name__}: {w.toolTip()!r}")
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                t = w.itemData(i, Qt.ItemDataRole.ToolTipRole) or ""
                if _tooltip_is_markup(t):
                    bad.append(f"combo item tooltip: {t!r}")
        if isinstance(w, QTableWidget):
            for r in range(w.rowCount()):
                for c in range(w.columnCount()):
                    item = w.item(r, c)
                    if item is not None and _tooltip_is_markup(item.toolTip()):
                        bad.append(f"table item tooltip: {item.toolTip()!r}")
        if isinstance(w, QListWidget):
            for r in range(w.count()):
                if _tooltip_is_markup(w.item(r).toolTip()):
                    bad.append(f"list item tooltip: {w.item(r).toolTip()!r}")
    return bad


def _no_images(scene) -> list[str]:
    """Texts of a pyqtgraph scene that hold an image (HTML that was not escaped)."""
    from PySide6.QtWidgets import QGraphicsTextItem

    found = []
    for item in scene.items():
        if not isinstance(item, QGraphicsTextItem):
            continue
        block = item.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                if it.fragment().charFormat().isImageFormat():
                    found.append(item.toPlainText())
                it += 1
            block = block.next()
    return found


def _scene_texts(scene) -> list[str]:
    from PySide6.QtWidgets import QGraphicsTextItem

    return [i.toPlainText() for i in scene.items() if isinstance(i, QGraphicsTextItem)]


@pytest.mark.parametrize("text", [IMG, BOLD])
def test_every_name_shows_as_literal_text(qtbot, example, text):
    from PySide6.QtCore import Qt

    from app import state
    from app.document import ProjectDocument
    from app.export.render import build_chart, dispose
    from app.main_window import MainWindow

    project = hostile_project(example, text)
    w = MainWindow(ProjectDocument(project), state.Session(), interactive=False)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    wait_idle(qtbot, w)
    try:
        for index in range(len(project.scenarios)):
            w.select_scenario(index)
            wait_idle(qtbot, w)
            for tab in range(w.tabs.count()):
                w.tabs.setCurrentIndex(tab)
                qtbot.wait(10)
            w.policy_editor.rules.selectRow(0)
            assert _offenders(w) == [], index
        w.select_scenario(0)
        wait_idle(qtbot, w)
        # the literal text is what the user sees
        names = [w.scenarios.list.item(i).text() for i in range(w.scenarios.list.count())]
        assert names == [f"{text} {i + 1}" for i in range(len(project.scenarios))]
        source = w.model_editor.source_label
        assert source.text().startswith(text)
        assert source.textFormat() == Qt.TextFormat.PlainText
        pe = w.policy_editor
        assert pe.description.text() == text and pe.description.textFormat() == Qt.TextFormat.PlainText
        pe.rules.selectRow(0)
        assert pe.rule_hint.text().startswith(f"{text}. ")
        # an invalid entry quotes what was typed: the error line shows it as typed
        field = w.model_editor.field_at(("model", "n_layers"))
        field.setText(text)
        field.textEdited.emit(text)
        line = w.model_editor.error_line
        assert text in line.text() and line.textFormat() == Qt.TextFormat.PlainText
        assert text in w.results.status.text()
        assert _offenders(w) == []
        field.setText("94")
        field.textEdited.emit("94")
        # the charts (on screen and exported) escape names; their hover tips too
        w.request_charts(force=True)
        qtbot.waitUntil(lambda: w.results.charts.charts is not None, timeout=30000)
        panel = w.results.charts
        assert panel.status.text().startswith(f"Charts for “{text} 1”")
        assert panel.status.textFormat() == Qt.TextFormat.PlainText
        for chart in panel.widgets.values():
            assert _no_images(chart.scene()) == [], chart.name
        tip = panel.widgets["comparison"].hover_text(0, 1.0, len(project.scenarios) - 1)
        assert text in tip
        from app.plain import tip as plain_tip

        assert not _tooltip_is_markup(plain_tip(tip))
        for name in panel.widgets:
            chart = build_chart(name, panel.charts, file_name="p.json")
            try:
                assert _no_images(chart.scene()) == [], name
                texts = "\n".join(_scene_texts(chart.scene()))
                assert text in texts, name  # subtitle/marking/footnote show it literally
            finally:
                dispose(chart)
    finally:
        w.evaluator.shutdown()
        w.session.close()


def test_message_boxes_show_file_and_project_names_literally(qtbot, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from app import plain

    seen = []

    def fake_exec(box):
        seen.append((box.textFormat(), box.text()))
        return int(QMessageBox.StandardButton.Cancel)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    answer = plain.message_box(None, QMessageBox.Icon.Question, "Unsaved changes",
                               f"Save the changes to “{IMG}” before closing?",
                               QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                               QMessageBox.StandardButton.Save)
    assert answer == QMessageBox.StandardButton.Cancel
    assert seen == [(Qt.TextFormat.PlainText, f"Save the changes to “{IMG}” before closing?")]


PROBE = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QEventLoop, QTimer
    from app import sources, state
    from app.document import ProjectDocument
    from app.gui import make_application
    from app.main_window import MainWindow
    from app.export.render import build_chart, dispose
    from tests.gui.hostile import hostile_project

    text = sys.argv[1]
    app = make_application()
    project = hostile_project(sources.example_project(), text)

    def settle(ms):
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    w = MainWindow(ProjectDocument(project), state.Session(), interactive=False)
    w.resize(1366, 768)
    w.show()
    settle(300)
    for i in range(len(project.scenarios)):
        w.select_scenario(i)
        w.evaluator.wait()
        for tab in range(3):
            w.tabs.setCurrentIndex(tab)
            settle(30)
        w.policy_editor.rules.selectRow(0)
        settle(30)
    bar = w.results.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    w.request_charts(force=True)
    w.chart_worker.wait()
    settle(300)
    for tab in range(w.results.charts.tabs.count()):
        w.results.charts.tabs.setCurrentIndex(tab)
        settle(30)
    for name in w.results.charts.widgets:
        dispose(build_chart(name, w.results.charts.charts))
    field = w.model_editor.field_at(("model", "n_layers"))
    field.setText(text)
    field.textEdited.emit(text)
    settle(100)
    w.close()
    w.session.close()
    print("closed", flush=True)
""")


def test_window_never_opens_a_path_named_in_the_project(tmp_path):
    """A FIFO named in every text field: a label that rendered the name as HTML would open it
    for reading, which the probe sees (a writer can open a FIFO only while a reader has it)."""
    fifo = tmp_path / "probe"
    os.mkfifo(fifo)
    text = f'<img src="{fifo}">'
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CHOKEPOINT_HOME": str(tmp_path / "h"),
           "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", PROBE, text], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    opened = 0
    deadline = time.monotonic() + 120
    while child.poll() is None and time.monotonic() < deadline:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # ENXIO: nobody has it open for reading
            time.sleep(0.005)
            continue
        opened += 1  # a reader: let it read EOF so it does not hang
        os.close(fd)
    if child.poll() is None:
        child.kill()
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err[-2000:]
    assert "closed" in out
    assert opened == 0, "the window opened the path named in a project text field"
