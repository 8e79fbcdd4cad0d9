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


def test_policy_timeline_fits_its_panel_at_1366_for_every_scenario(charted, qtbot):
    """Reported: at 1366x768 the policy timeline was cut off on the right. A long scenario name
    on the panel's one-line status label widened the whole results column past the window, and
    labels of rule changes past 62% of the axis ran out of the plot on the left."""
    import pyqtgraph as pg

    panel = charted.results.charts
    scroll = charted.results.scroll
    panel.tabs.setCurrentIndex(list(panel.widgets).index("policy-timeline"))
    for i in range(len(charted.project.scenarios)):
        charted.select_scenario(i)
        wait_idle(qtbot, charted)
        charted.request_charts(force=True)
        qtbot.waitUntil(lambda i=i: panel.charts is not None
                        and panel.charts.scenario.name == charted.project.scenarios[i].name, timeout=20000)
        chart = panel.widgets["policy-timeline"]
        assert panel.width() <= scroll.viewport().width(), (i, panel.width(), scroll.viewport().width())
        assert chart.width() <= scroll.viewport().width(), i

        def labels_inside(i=i, chart=chart):
            chart.grab()  # lay the scene out as it is painted (a resize redraws on a timer)
            view = chart.plots[0].vb.sceneBoundingRect().adjusted(-2, -2, 2, 2)
            labels = [it for it in chart.plots[0].items if isinstance(it, pg.TextItem)]
            assert labels, i
            for item in labels:
                rect = item.sceneBoundingRect()
                assert view.left() <= rect.left() and rect.right() <= view.right(), \
                    (i, item.toPlainText(), rect, view)

        qtbot.waitUntil(labels_inside, timeout=5000)


def test_rule_change_label_goes_where_it_fits():
    from PySide6.QtGui import QFont, QFontMetricsF

    from app.charts.policy_timeline import fit_beside

    fm = QFontMetricsF(QFont("DejaVu Sans", 10))
    label = "May 2025 IaaS guidance (13 May 2025)"
    assert fit_beside(label, 0.2, 1000, fm) == (label, True)  # room on the right
    assert fit_beside(label, 0.9, 1000, fm) == (label, False)  # near the end: to the left
    text, _right = fit_beside(label, 0.6, 300, fm)  # neither side: the date on a second line
    assert text == "May 2025 IaaS guidance\n(13 May 2025)"
    short, _ = fit_beside(label, 0.5, 90, fm)  # nothing fits: shortened, never wider than the room
    assert "…" in short and all(fm.horizontalAdvance(s) <= 45 for s in short.split("\n"))


def test_held_labels_at_one_count_do_not_overlap(charted, qtbot):
    """Reported in review: in scenario 6 of the example the Johor lease (68 days) and the Ascend
    cluster (93 days) are both held at 4,096 chips; each label was stacked under its own point,
    and the two labels were painted over each other. Now one label says both."""
    import pyqtgraph as pg

    panel = charted.results.charts
    panel.tabs.setCurrentIndex(list(panel.widgets).index("time-vs-count"))
    charted.select_scenario(5)
    wait_idle(qtbot, charted)
    charted.request_charts(force=True)
    qtbot.waitUntil(lambda: panel.charts is not None
                    and panel.charts.scenario.name == charted.project.scenarios[5].name, timeout=20000)
    chart = panel.widgets["time-vs-count"]

    def apart():
        chart.grab()
        labels = [it for it in chart.plots[0].items if isinstance(it, pg.TextItem)]
        held = [it for it in labels if "held" in it.toPlainText()]
        # one label for 4,096 chips with both runs, longest first; 2,048 chips (the H800s) apart
        texts = sorted(it.toPlainText().strip() for it in held)
        assert texts == ["2,048 held: 137 days", "4,096 held: 93 / 68 days"], texts
        a, b = (it.sceneBoundingRect() for it in held)
        assert not a.intersects(b), (a, b)
        view = chart.plots[0].vb.sceneBoundingRect().adjusted(-2, -2, 2, 2)
        assert all(view.contains(it.sceneBoundingRect()) for it in held)

    qtbot.waitUntil(apart, timeout=5000)


@pytest.mark.parametrize("width", [1920, 1280, 960])
def test_deck_labels_are_whole_and_off_the_deadline_line(width):
    """Review of the deck: '137 days' sat on the comparison chart's deadline line and the
    policy-impact chart cut the regime ('After: hypo-my-th-and-remote-…'). Bar labels start past
    a reference line they would cross, and the impact chart names both regimes whole."""
    import pyqtgraph as pg

    from app.export.pptx import MARGIN, PICTURE_H, SLIDE_W
    from app.export.render import build_chart, dispose, render_image
    from core.chart_data import chart_set
    from core.project import load_project
    from core.resources import resource

    project = load_project(resource("examples/southeast-asia-route.json"))
    charts = chart_set(project, 1)  # scenario 2: blocked under hypo-my-th-and-remote-access
    size = (width, round(width * PICTURE_H / ((SLIDE_W - 2 * MARGIN) / 914400)))
    chart = build_chart("comparison", charts, size, frame_title=False, with_footnote=False, marking="")
    try:
        render_image(chart, *size)
        days = chart.plots[0]
        line = next(it for it in days.items if isinstance(it, pg.InfiniteLine))
        line_x = days.vb.mapViewToScene(pg.Point(line.value(), 0)).x()
        labels = [it for it in days.items if isinstance(it, pg.TextItem) and "days" in it.toPlainText()]
        assert len(labels) == len(charts.comparison)
        for it in labels:
            rect = it.sceneBoundingRect()
            assert not rect.left() - 2 < line_x < rect.right() + 2, (it.toPlainText(), rect, line_x)
            assert days.vb.sceneBoundingRect().contains(rect), it.toPlainText()  # and in the plot
    finally:
        dispose(chart)
    chart = build_chart("policy-impact", charts, size, frame_title=False, with_footnote=False, marking="")
    try:
        render_image(chart, *size)
        impact = charts.answers.impact
        for plot in chart.plots:
            names = [s for _, s in plot.getAxis("left")._tickLevels[0]]
            assert f"After: {impact.after.label}" in names and "…" not in "".join(names), names
    finally:
        dispose(chart)


@pytest.mark.parametrize("width", [1920, 1280])
def test_policy_timeline_labels_are_not_crossed_by_rule_lines(width):
    """Deck review: in scenario 6 the three rule-change labels ran over each other's dashed
    lines, and the scenario-date label over two of them. Each line now stops at its own label,
    labels take the side and row where no other line crosses them, and lines start at the bars."""
    import pyqtgraph as pg

    from app.export.render import build_chart, dispose, render_image
    from core.chart_data import chart_set
    from core.project import load_project
    from core.resources import resource

    project = load_project(resource("examples/southeast-asia-route.json"))
    charts = chart_set(project, 5)
    assert len(charts.timeline.changes) >= 3
    size = (width, round(width * 0.37))
    chart = build_chart("policy-timeline", charts, size, frame_title=False, with_footnote=False,
                        marking="")
    try:
        render_image(chart, *size)
        plot = chart.plots[0]
        lines = []
        for it in plot.items:
            if isinstance(it, pg.PlotDataItem):
                xs, ys = it.getData()
                a = plot.vb.mapViewToScene(pg.Point(xs[0], ys[0]))
                b = plot.vb.mapViewToScene(pg.Point(xs[1], ys[1]))
                lines.append((a.x(), min(a.y(), b.y()), max(a.y(), b.y())))
        assert len(lines) == len(charts.timeline.changes)
        labels = [it for it in plot.items if isinstance(it, pg.TextItem)
                  and ("(" in it.toPlainText() or "scenario date" in it.toPlainText())]
        for it in labels:
            r = it.sceneBoundingRect().adjusted(2, 2, -2, -2)
            for x, top, bottom in lines:
                crossed = r.left() < x < r.right() and top < r.bottom() and r.top() < bottom
                assert not crossed, (it.toPlainText(), r, x)
    finally:
        dispose(chart)


def test_label_levels_put_a_label_above_the_lines_it_spans():
    from app.charts.policy_timeline import LEVELS, choose_sides, label_levels

    # a at 100 reaching right over b's line at 200: a goes above b
    assert label_levels([(100, True, 150), (200, True, 50)]) == [2, 1]
    # each spans the other's line: no order of rows works, both drawn opaque ...
    assert label_levels([(100, True, 150), (200, False, 150)]) == [LEVELS + 1] * 2
    # ... unless one moves to its other side where it fits
    sides = choose_sides([(100, True, 150), (200, False, 150)], 1000)
    levels = label_levels([(x, r, w) for (x, _p, w), r in zip([(100, 0, 150), (200, 0, 150)], sides, strict=True)])
    assert max(levels) <= LEVELS


def test_cost_vs_time_counts_are_not_on_another_options_line():
    """Deck review: on the cost-vs-time slide of scenario 6 the H800's '2,048' sat on the Ascend
    line. A count goes below its point when another line runs above it."""
    import pyqtgraph as pg

    from app.export.render import build_chart, dispose, render_image
    from core.chart_data import chart_set
    from core.project import load_project
    from core.resources import resource

    charts = chart_set(load_project(resource("examples/southeast-asia-route.json")), 5)
    size = (1920, 708)
    chart = build_chart("pareto", charts, size, frame_title=False, with_footnote=False, marking="")
    try:
        render_image(chart, *size)
        plot = chart.plots[0]
        curves = [it for it in plot.items if isinstance(it, pg.PlotDataItem)]
        assert len(curves) >= 3
        samples = []
        for c in curves:
            xs, ys = c.getData()
            for (x0, y0), (x1, y1) in zip(zip(xs, ys, strict=True), zip(xs[1:], ys[1:], strict=True),
                                          strict=False):
                for k in range(41):
                    f = k / 40
                    samples.append(plot.vb.mapViewToScene(pg.Point(x0 + (x1 - x0) * f, y0 + (y1 - y0) * f)))
        labels = [it for it in plot.items if isinstance(it, pg.TextItem)]
        assert any(it.toPlainText().strip() == "2,048" for it in labels)
        for it in labels:
            r = it.sceneBoundingRect().adjusted(3, 3, -3, -3)
            assert not any(r.contains(pt) for pt in samples), it.toPlainText()
    finally:
        dispose(chart)
