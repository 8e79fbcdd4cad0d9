"""Screenshots of each editor and the results view at 1366×768 for docs/gui.md.

Run under a real X server for native fonts: ``xvfb-run -s '-screen 0 1366x768x24'
python docs/make_screenshots.py [OUT_DIR]``. Uses the bundled example project when shipped.

The whole window at 1366×768 and 1920×1080 (each editor tab and the charts, window-WxH*.png) is
taken by the layout test, which also checks nothing is cut off: ``CHOKEPOINT_SCREENSHOTS=1
QT_QPA_PLATFORM=offscreen python -m pytest tests/gui/test_screen_fit.py`` writes them here.

Each needs its own process (the palette and the scale are set before the window exists):
``--extra`` model-editor-ranges.png, policy-copy.png, window-sensitivity.png and
window-cost-vs-time.png; ``--dark`` dark.png (Fusion style, a
dark palette, 1366×768); ``--4k`` 4k.png (3840×2160: 1920×1080 at a scale of 2).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CHOKEPOINT_HOME", tempfile.mkdtemp(prefix="chokepoint-shots-"))


def dark_palette(app) -> None:
    """Fusion with a dark scheme, as a dark desktop gives it."""
    from PySide6.QtGui import QColor, QPalette

    app.setStyle("Fusion")
    p = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, "#2b2b2b"), (roles.WindowText, "#e6e6e6"),
                         (roles.Base, "#1e1e1e"), (roles.AlternateBase, "#333333"),
                         (roles.Text, "#e6e6e6"), (roles.Button, "#353535"),
                         (roles.ButtonText, "#e6e6e6"), (roles.Highlight, "#2f65ca"),
                         (roles.HighlightedText, "#ffffff"), (roles.ToolTipBase, "#353535"),
                         (roles.ToolTipText, "#e6e6e6"), (roles.PlaceholderText, "#8a8a8a"),
                         (roles.Mid, "#4a4a4a"), (roles.Light, "#505050"), (roles.Dark, "#1a1a1a")):
        p.setColor(role, QColor(colour))
    p.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#8a8a8a"))
    p.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#8a8a8a"))
    app.setPalette(p)


def extra_views(window, out: Path, settle) -> None:
    """The model editor with a frontier stack and a 15B-30B active-parameter range ->
    model-editor-ranges.png; a copied regime with the Aug 2025 H20 licences (R9) turned into a
    prohibition, scenario 4 (the H20 route) selected -> policy-copy.png."""
    from PySide6.QtCore import Qt

    window.select_scenario(0)
    window.tabs.setCurrentIndex(0)
    settle()
    ed = window.model_editor
    combo = ed.maturity
    i = combo.findData("frontier")
    combo.setCurrentIndex(i)
    combo.activated.emit(i)
    for key, text in (("active_params_low", "15B"), ("active_params_high", "30B")):
        field = ed.field_at(("model", key))
        field.setText(text)
        field.textEdited.emit(text)
        settle(200)
    settle(800)
    window.grab().save(str(out / "model-editor-ranges.png"))
    window.document.undo_stack.setIndex(0)
    h20 = next(i for i, s in enumerate(window.project.scenarios) if "H20" in s.name)
    window.select_scenario(h20)
    window.tabs.setCurrentIndex(2)
    settle(800)
    editor = window.policy_editor
    editor.copy_regime("No H20 licences")
    settle(800)
    ids = [editor.rules.item(r, 0).data(Qt.ItemDataRole.UserRole)
           for r in range(editor.rules.rowCount())]
    editor.rules.selectRow(ids.index("R9"))
    editor.rule_outcome.setCurrentIndex(editor.rule_outcome.findData("prohibited"))
    editor.rule_outcome.activated.emit(editor.rule_outcome.currentIndex())
    settle(1200)
    editor.rules.scrollTo(editor.rules.model().index(ids.index("R9"), 0))
    settle()
    window.grab().save(str(out / "policy-copy.png"))
    window.document.undo_stack.setIndex(0)
    answer_tabs(window, out, settle)


def answer_tabs(window, out: Path, settle) -> None:
    """The Sensitivity and Cost vs time chart tabs of scenario 6 (three routes), 1600×1000 ->
    window-sensitivity.png, window-cost-vs-time.png."""
    size = window.size()
    window.resize(1600, 1000)
    window.select_scenario(min(5, len(window.project.scenarios) - 1))
    settle(800)
    bar = window.results.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    window.request_charts(force=True)
    settle(1500)
    window.chart_worker.wait()
    settle()
    panel = window.results.charts
    for name, file in (("tornado", "window-sensitivity.png"), ("pareto", "window-cost-vs-time.png")):
        panel.tabs.setCurrentIndex(list(panel.widgets).index(name))
        settle()
        bar.setValue(bar.maximum())
        settle()
        window.grab().save(str(out / file))
    window.resize(size)


def main(only_answers: bool = False) -> int:
    from PySide6.QtCore import QEventLoop, QTimer

    from app import sources
    from app.document import ProjectDocument
    from app.gui import make_application
    from app.main_window import MainWindow

    flags = {"--answers", "--extra", "--dark", "--4k"}
    args = [a for a in sys.argv[1:] if a not in flags]  # --answers: only the answer views
    out = Path(args[0] if args else ROOT / "docs" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    if "--4k" in sys.argv:
        os.environ["QT_SCALE_FACTOR"] = "2"
    app = make_application()
    if "--dark" in sys.argv:
        dark_palette(app)
    project = sources.example_project()
    if project is None:
        sys.path.insert(0, str(ROOT / "tests" / "gui"))
        from example import example_project

        project = example_project()
    window = MainWindow(ProjectDocument(project), interactive=False)
    window.resize(1366, 768)
    window.show()

    def settle(ms: int = 400) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        window.evaluator.wait()
        app.processEvents()

    settle(800)
    if "--dark" in sys.argv or "--4k" in sys.argv:
        if "--4k" in sys.argv:
            window.resize(1920, 1080)
        settle(1200)
        window.request_charts(force=True)  # the 4K window shows the charts: let them draw
        settle(1500)
        window.chart_worker.wait()
        settle(800)
        name = "4k.png" if "--4k" in sys.argv else "dark.png"
        window.grab().save(str(out / name))
        window.close()
        return 0
    if "--extra" in sys.argv:
        extra_views(window, out, settle)
        window.close()
        return 0
    if only_answers:
        answer_views(window, out, settle)
        window.close()
        return 0
    for i, name in enumerate(["model", "fleet", "policy"]):
        window.tabs.setCurrentIndex(i)
        settle()
        window.grab().save(str(out / f"{name}-editor.png"))
    window.results.grab().save(str(out / "results.png"))
    bar = window.results.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())  # the chart tabs: computed once they are on screen
    settle(1500)
    window.chart_worker.wait()
    settle()
    window.grab().save(str(out / "charts.png"))
    bar.setValue(0)
    n = len(window.project.scenarios)
    for index, name in ((1, "infeasible"), (3, "needs-licence")):
        if index < n:
            window.select_scenario(index)
            settle(800)
            window.grab().save(str(out / f"{name}.png"))
    window.select_scenario(0)
    window.tabs.setCurrentIndex(1)
    settle(800)
    field = window.fleet_editor.field_at(("fleet", 0, "count"))
    field.setText("0")
    field.textEdited.emit("0")
    settle()
    window.grab().save(str(out / "invalid-input.png"))
    answer_views(window, out, settle)
    window.close()
    print(f"screenshots in {out}")
    return 0


def answer_views(window, out: Path, settle) -> None:
    """The solver dialog (scenario 6 of the example) -> solver.png; scenarios 5 and 6 compared
    -> compare.png; the Sweep tab -> window-sweep.png."""
    n = len(window.project.scenarios)
    window.select_scenario(min(5, n - 1))
    settle(800)
    dialog = window.solver_dialog()
    dialog.wait()
    settle()
    dialog.budget.setValue(11.0)  # with a budget and a compute target: every kind of answer
    dialog.target.setText("1e25")
    dialog.solve()
    dialog.wait(120000)
    settle()
    dialog.grab().save(str(out / "solver.png"))
    dialog.close()
    compare = window.compare_dialog([min(4, n - 2), min(5, n - 1)])
    settle()
    compare.wait()
    settle()
    compare.grab().save(str(out / "compare.png"))
    compare.close()
    sweep_view(window, out, settle)
    impact_view(window, out, settle)


def impact_view(window, out: Path, settle) -> None:
    """The Policy impact tab (scenario 6): a rule of its regime switched off as the comparison,
    the table of every regime below -> window-policy-impact.png (1600×1000)."""
    size = window.size()
    window.resize(1600, 1000)
    bar = window.results.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    settle(1500)
    window.chart_worker.wait()
    settle()
    panel = window.results.charts
    panel.tabs.setCurrentIndex(list(panel.widgets).index("policy-impact"))
    settle()
    view = panel.impact_view
    labels = [c.label for c in view.choices]
    pick = next((i for i, t in enumerate(labels) if t == "switch off rule hypo-my-th-lease"),
                min(1, len(labels) - 1))
    view.pick(pick)
    view.wait()
    settle(500)
    bar.setValue(bar.maximum())
    settle()
    window.grab().save(str(out / "window-policy-impact.png"))
    window.resize(size)


def sweep_view(window, out: Path, settle) -> None:
    """The Sweep tab (scenario 6): the Ascend-910C pool's chips from 256 to 8,192, at 1600×1000
    like the other answer tabs -> window-sweep.png."""
    size = window.size()
    window.resize(1600, 1000)
    bar = window.results.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    settle(1500)
    window.chart_worker.wait()
    settle()
    panel = window.results.charts
    panel.tabs.setCurrentIndex(list(panel.widgets).index("sweep"))
    settle()
    view = panel.sweep_view
    keys = [i.key for i in view.inputs]
    view.select("fleet[2].count" if "fleet[2].count" in keys else "fleet[0].count")
    view.low.setText("256")
    view.run()
    settle(300)
    view.wait()
    settle(500)
    bar.setValue(bar.maximum())
    settle()
    window.grab().save(str(out / "window-sweep.png"))
    window.resize(size)


if __name__ == "__main__":
    sys.exit(main(only_answers="--answers" in sys.argv))
