"""The window fits the screen: a first window sized to the screen it opens on, a saved geometry
clamped into it, and at 1366×768 and 1920×1080 nothing cut off (buttons, table columns, axis
labels); what does not fit scrolls.

Screenshots of each editor tab and the charts at both sizes are taken every run; with
``CHOKEPOINT_SCREENSHOTS=1`` they are saved to docs/screenshots/window-WxH*.png (or to the folder
the variable names) for a person to look at.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize

from tests.gui.conftest import wait_idle

ROOT = Path(__file__).resolve().parents[2]
SIZES = [(1366, 768), (1920, 1080)]


def _shots_dir(tmp_path: Path) -> Path:
    wanted = os.environ.get("CHOKEPOINT_SCREENSHOTS", "")
    if not wanted:
        return tmp_path
    out = ROOT / "docs" / "screenshots" if wanted == "1" else Path(wanted)
    out.mkdir(parents=True, exist_ok=True)
    return out


def cut_off(widget, window) -> str | None:
    """Why part of ``widget`` is not drawn inside ``window``, or None. A widget inside a scroll
    area counts as reachable; the scroll area itself must then be whole."""
    from PySide6.QtWidgets import QAbstractScrollArea

    current, rect = widget, widget.rect()
    while current is not window:
        parent = current.parentWidget()
        if parent is None:
            return "not in the window"
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
            current, rect = area, area.rect()  # scrolls: check the scroll area from here on
            continue
        rect = rect.translated(current.pos())
        if not parent.rect().contains(rect):
            return (f"{type(widget).__name__} {widget.objectName()!r} cut by "
                    f"{type(parent).__name__} ({rect} not in {parent.rect()})")
        current = parent
    return None


def _visible_in_viewport(widget, scroll) -> bool:
    viewport = scroll.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(QRect(top_left, widget.size()))


def _key_widgets(w, tab: int) -> list:
    from PySide6.QtWidgets import QAbstractButton, QLineEdit

    widgets = [w.tabs.tabBar(), w.scenarios.list, *w.scenarios.buttons.values(), w.results.banner,
               w.results.options, w.results.charts.export_button, w.statusBar()]
    editor = [w.model_editor, w.fleet_editor, w.policy_editor][tab]
    widgets += [c for kind in (QAbstractButton, QLineEdit) for c in editor.findChildren(kind)
                if c.isVisible()]
    if tab == 1:
        widgets.append(w.fleet_editor.table)
    if tab == 2:
        pe = w.policy_editor
        widgets += [pe.rules, pe.regime, pe.copy_button, pe.hypothetical, pe.pending, pe.rule_box]
    return [x for x in widgets if x.isVisible()]


def _axis_labels_outside(chart) -> list[str]:
    view = chart.mapToScene(chart.viewport().rect()).boundingRect()
    bad = []
    for plot in chart.plots:
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            if axis.isVisible() and axis.label.isVisible() and axis.label.toPlainText().strip():
                rect = axis.label.sceneBoundingRect()
                if not view.contains(rect):
                    bad.append(f"{chart.name} {side}: {axis.label.toPlainText()!r} {rect} "
                               f"outside {view}")
    return bad


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_nothing_cut_off_and_screenshots(qtbot, example, tmp_path, size):
    from app import state
    from app.document import ProjectDocument
    from app.fit_table import columns_fit
    from app.main_window import MainWindow

    width, height = size
    out = _shots_dir(tmp_path)
    w = MainWindow(ProjectDocument(example), state.Session(), interactive=False)
    qtbot.addWidget(w)
    w.resize(width, height)
    w.show()
    wait_idle(qtbot, w)
    if w.results.charts_on_screen() >= 150:  # a tall window shows the charts: let them draw
        w.request_charts(force=True)
        qtbot.waitUntil(lambda: w.results.charts.charts is not None, timeout=30000)
    try:
        assert w.minimumSizeHint().width() <= 1366 and w.minimumSizeHint().height() <= 768
        for tab, name in enumerate(["model", "fleet", "policy"]):
            w.tabs.setCurrentIndex(tab)
            qtbot.wait(50)
            suffix = "" if tab == 0 else f"-{name}"
            shot = w.grab()
            assert shot.size() == QSize(width, height)
            assert shot.save(str(out / f"window-{width}x{height}{suffix}.png"))
            problems = [p for x in _key_widgets(w, tab) if (p := cut_off(x, w))]
            assert problems == [], name
            # tables show every column without scrolling sideways
            assert columns_fit(w.results.options)
            if tab == 1:
                assert columns_fit(w.fleet_editor.table)
                # the two-line key specs have room above and below (they filled the row)
                fleet = w.fleet_editor.table
                spec = fleet.cellWidget(0, 1)
                assert "\n" in spec.text()
                assert fleet.rowHeight(0) >= 2 * spec.fontMetrics().lineSpacing() + 8
            if tab == 2:
                rules = w.policy_editor.rules
                assert rules.rowCount() > 5 and columns_fit(rules)
                header = rules.horizontalHeader()
                for c in range(rules.columnCount()):  # every header readable
                    assert rules.columnWidth(c) >= header.sectionSizeHint(c) - 1, c
                # every cell whole: outcomes and dates on one line, ids and names wrapped onto
                # lines the row is tall enough for ("presumpt…", "88 FR …" were cut)
                import re

                fm = rules.fontMetrics()
                for r in range(rules.rowCount()):
                    for c in range(1, rules.columnCount()):
                        text, width = rules.item(r, c).text(), rules.columnWidth(c) - 2
                        if c >= 3:  # dates and outcome: one line, whole
                            assert fm.horizontalAdvance(text) <= width, (r, c, text)
                            continue
                        pieces = [p for p in re.split(r"(?<=[ -])", text) if p.strip()]
                        assert all(fm.horizontalAdvance(p.strip()) <= width for p in pieces), (r, c, text)
                        lines = 1 if fm.horizontalAdvance(text) <= width else 2
                        assert rules.rowHeight(r) >= lines * fm.height(), (r, c, text)
        # the model editor does not scroll sideways: the whole form is in view
        from PySide6.QtWidgets import QScrollArea

        scroll = w.model_editor.findChild(QScrollArea)
        assert scroll.horizontalScrollBar().maximum() == 0
        # the charts, scrolled into view: export button on screen, axis labels inside
        bar = w.results.scroll.verticalScrollBar()
        bar.setValue(bar.maximum())
        w.request_charts(force=True)
        qtbot.waitUntil(lambda: w.results.charts.charts is not None, timeout=30000)
        qtbot.wait(100)
        bar.setValue(bar.maximum())  # the drawn charts may have changed the height
        qtbot.wait(50)
        panel = w.results.charts
        assert _visible_in_viewport(panel.export_button, w.results.scroll)
        assert panel.export_button.isEnabled()
        for tab in range(panel.tabs.count()):
            panel.tabs.setCurrentIndex(tab)
            qtbot.wait(30)
            chart = panel.widgets[panel.current_name]
            assert _axis_labels_outside(chart) == []
            assert _visible_in_viewport(chart, w.results.scroll) or chart.height() > \
                w.results.scroll.viewport().height()
        panel.tabs.setCurrentIndex(0)
        qtbot.wait(50)
        assert w.grab().save(str(out / f"window-{width}x{height}-charts.png"))
    finally:
        w.evaluator.shutdown()
        w.chart_worker.shutdown()
        w.session.close()


def test_first_window_geometry_fits_the_screen():
    from PySide6.QtCore import QMargins

    from app.screen_fit import DEFAULT, clamped, initial_geometry

    frame = QMargins(4, 30, 4, 4)
    for avail in (QRect(0, 0, 1366, 728), QRect(0, 0, 1024, 600), QRect(1920, 24, 2560, 1416)):
        g = initial_geometry(avail, frame)
        assert avail.contains(g.marginsAdded(frame)), avail
        assert g.width() <= DEFAULT.width() and g.height() <= DEFAULT.height()
    big = initial_geometry(QRect(0, 0, 3840, 2160), frame)
    assert big.size() == DEFAULT  # a large screen: the comfortable size, centred
    assert abs(big.center().x() - 1920) <= 4
    # a saved window from a bigger screen, partly off this one
    c = clamped(QRect(1500, 900, 2400, 1300), QRect(0, 0, 1366, 768))
    assert c == QRect(0, 0, 1366, 768)
    c = clamped(QRect(-200, 100, 800, 600), QRect(0, 0, 1366, 768))
    assert c == QRect(0, 100, 800, 600)


SCREEN = {"synchronousWindowSystemEvents": False, "windowFrameMargins": False,
          "screens": [{"name": "s1", "x": 0, "y": 0, "logicalDpi": 96, "logicalBaseDpi": 96,
                       "dpr": 1}]}
START = textwrap.dedent("""
    import json, sys
    from PySide6.QtCore import QEventLoop, QTimer
    from app import sources, state
    from app.document import ProjectDocument
    from app.gui import make_application
    from app.main_window import MainWindow

    app = make_application()
    w = MainWindow(ProjectDocument(sources.example_project()), state.Session(), interactive=False)
    if len(sys.argv) > 1:  # a user who made the window huge on a big screen
        w.setGeometry(100, 100, 2400, 1300)
    w.show()
    loop = QEventLoop()
    QTimer.singleShot(300, loop.quit)
    loop.exec()
    f, a = w.frameGeometry(), w.screen().availableGeometry()
    print(json.dumps({"frame": [f.x(), f.y(), f.width(), f.height()],
                      "avail": [a.x(), a.y(), a.width(), a.height()]}))
    w.close()
    w.session.close()
""")


def _start(tmp_path: Path, screen: tuple[int, int], *args: str) -> dict:
    config = tmp_path / f"screen-{screen[0]}.json"
    spec = json.loads(json.dumps(SCREEN))
    spec["screens"][0].update(width=screen[0], height=screen[1])
    config.write_text(json.dumps(spec), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "CHOKEPOINT_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-c", START, *args], cwd=ROOT, env=env, text=True,
                       capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def _inside(report: dict) -> bool:
    return QRect(*report["avail"]).contains(QRect(*report["frame"]))


def test_the_real_window_fits_its_screen_and_a_saved_geometry_is_clamped(tmp_path):
    small = _start(tmp_path, (1366, 768))  # no saved geometry yet
    assert _inside(small), small
    assert small["frame"][2] >= 1300 and small["frame"][3] >= 700  # uses the screen, not 900×600
    large = _start(tmp_path, (2560, 1440), "huge")  # saves a 2400×1300 window on close
    assert large["frame"][2] == 2400
    again = _start(tmp_path, (1366, 768))  # restored on the laptop: clamped into it
    assert _inside(again), again
