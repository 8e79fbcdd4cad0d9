"""The chart tabs, hover read-outs, per-chart export, the deck and the project marking."""

from __future__ import annotations

import pytest

from tests.gui.conftest import wait_idle


@pytest.fixture
def charted(window, qtbot):
    window.request_charts(force=True)
    qtbot.waitUntil(lambda: window.results.charts.charts is not None, timeout=20000)
    return window


def test_chart_tabs_fill_from_the_worker(charted):
    panel = charted.results.charts
    assert panel.tabs.count() == 10
    assert [panel.tabs.tabText(i) for i in range(10)] == [
        "Time vs count", "Cost", "Comparison", "Memory", "Step time", "Policy timeline",
        "Policy impact", "Sensitivity", "Cost vs time", "Sweep"]
    assert panel.charts.answers is not None and panel.charts.answers.tornado.bars
    assert panel.charts.scenario.name == charted.scenario.name
    assert len(panel.charts.comparison) == len(charted.project.scenarios)
    assert panel.export_button.isEnabled()
    for name, chart in panel.widgets.items():
        if name == "sweep":  # drawn once an input and a range are picked (test_answers_views)
            assert not chart.plots and panel.sweep_view.inputs
            continue
        assert chart.plots, chart.name  # every chart drew at least one plot
    # the charts evaluated every scenario, so every scenario's dot says its verdict
    words = {"feasible": "Feasible", "needs_license": "Needs", "infeasible": "Infeasible"}
    for i, r in enumerate(panel.charts.results):
        tip = charted.scenarios.list.item(i).toolTip()
        assert words[r.verdict].lower() in tip.lower(), (i, tip)


def test_hover_gives_exact_values(charted):
    import math

    w = charted.results.charts.widgets
    series = charted.results.charts.charts.time_vs_count.series[0]
    p = next(p for p in series.points if p.days)
    text = w["time-vs-count"].hover_text(0, math.log10(p.count), math.log10(p.days))
    assert f"{p.count:,} chips" in text and f"{p.days:,.1f} days" in text
    row = charted.results.charts.charts.comparison[0]
    n = len(charted.results.charts.charts.comparison)
    assert row.scenario in w["comparison"].hover_text(0, 1.0, n - 1)
    mem = charted.results.charts.charts.plan.memory
    assert f"{mem.weights_gb:,.1f} GB" in w["memory"].hover_text(0, mem.weights_gb / 2, 0)


def test_accelerator_keeps_its_colour():
    from app.theme import accelerator_style
    from core.catalog import accelerators

    styles = [accelerator_style(a) for a in accelerators()]
    assert len(set(styles)) == len(styles)  # colour + marker unique per catalog entry
    assert accelerator_style("h100-sxm") == accelerator_style("H100-SXM")


def test_export_from_panel_and_clipboard(charted, tmp_path):
    from PySide6.QtGui import QGuiApplication, QImage

    panel = charted.results.charts
    panel.tabs.setCurrentIndex(3)  # memory
    out = panel.export_to("png", str(tmp_path / "m.png"))
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1920, 1080)
    assert panel.export_to("svg", str(tmp_path / "m.svg")).read_text().lstrip().startswith("<?xml")
    panel.copy()
    clip = QGuiApplication.clipboard().image()
    assert clip.width() == 1920 and not clip.hasAlphaChannel()


def test_marking_is_undoable_and_reaches_the_deck(charted, qtbot, tmp_path):
    from pptx import Presentation

    w = charted
    assert w.set_project_properties(w.project.name, "OFFICIAL-SENSITIVE")
    assert w.project.marking == "OFFICIAL-SENSITIVE" and "OFFICIAL-SENSITIVE" in w.windowTitle()
    wait_idle(qtbot, w)
    deck = w.export_deck(str(tmp_path / "d.pptx"))
    slides = list(Presentation(str(deck)).slides)
    # the summary, one slide per chart, the comparison and impact-table slides, and the solver
    # slide when the scenario drawn has a deadline or a budget
    limits = w.project.scenarios[w.current].constraints
    solver = limits.deadline_days is not None or limits.budget_usd is not None
    assert len(slides) == 12 + solver
    assert all({s.name: s for s in slide.shapes}["Marking top"].text_frame.text
               == "OFFICIAL-SENSITIVE" for slide in slides)
    w.document.undo_stack.undo()
    assert w.project.marking != "OFFICIAL-SENSITIVE"
    assert not w.set_project_properties("  ", "x")  # a project needs a name
