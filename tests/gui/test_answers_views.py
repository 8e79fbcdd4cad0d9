"""The window's views of the core's answers: the solver dialog (Scenario → What would it take…)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.gui.conftest import wait_idle

SIX = 5  # "6 Every route, then Malaysia/Thailand close": every route, a deadline of 180 days


@pytest.fixture
def six(window, qtbot):
    if len(window.project.scenarios) <= SIX:
        pytest.skip("the bundled example project is not shipped")
    window.select_scenario(SIX)
    wait_idle(qtbot, window)
    return window


def _solved(qtbot, dialog) -> dict:
    qtbot.waitUntil(lambda: dialog.answer is not None and not dialog.busy, timeout=30000)
    return dialog.answer


def test_solver_dialog_shows_solve_scenario_figures(six, qtbot):
    from app.solver_dialog import cells
    from core.solve import solve_scenario

    dialog = six.solver_dialog()
    qtbot.addWidget(dialog)
    answer = _solved(qtbot, dialog)
    expected = solve_scenario(six.scenario, six.project)
    assert answer == expected
    # what is on screen is the core's figures, row by row
    t = dialog.table
    assert t.rowCount() == len(expected["options"])
    shown = [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
    assert shown == [cells(row) for row in expected["options"]]
    usable = [row for row in expected["options"] if "min_count" in row]
    assert usable and all(f"{row['min_count']:,}" in [r[5] for r in shown] for row in usable)
    assert expected["cheapest_meeting"] in dialog.result_label.text()
    # the deadline defaults to the scenario's, shown as a date from its start
    start = six.scenario.date
    assert dialog.deadline.date().toPython() == start + dt.timedelta(
        days=six.scenario.constraints.deadline_days)


def test_solver_dialog_deadline_date_and_p90(six, qtbot):
    from core.solve import solve_scenario

    dialog = six.solver_dialog()
    qtbot.addWidget(dialog)
    _solved(qtbot, dialog)
    start = six.scenario.date
    dialog.deadline.setDate(start + dt.timedelta(days=120))
    assert dialog.days.value() == 120  # the date moves the days
    dialog.days.setValue(100)
    assert dialog.deadline.date().toPython() == start + dt.timedelta(days=100)
    dialog.confidence.setCurrentIndex(1)
    dialog.budget.setValue(11.0)
    dialog.answer = None
    dialog.solve()
    answer = _solved(qtbot, dialog)
    expected = solve_scenario(six.scenario, six.project, deadline_days=100.0, budget_usd=11e6,
                              confidence="p90")
    assert answer == expected
    assert answer["deadline_days"] == 100.0 and answer["budget_usd"] == 11e6
    # at 100 days and P90 the H800 stockpile (145 days as held) no longer meets it
    counts = {row["accelerator"]: row.get("min_count") for row in answer["options"]}
    base = solve_scenario(six.scenario, six.project)
    before = {row["accelerator"]: row.get("min_count") for row in base["options"]}
    assert all(counts[a] is None or counts[a] > before[a] for a in counts if before[a])
    # at the P90 the table shows the P90 days, the middle estimate in brackets
    from app.solver_dialog import cells

    row = next(r for r in answer["options"] if r.get("wall_clock_days_p90") is not None)
    shown = cells(row)[3]
    assert shown == f"{row['wall_clock_days_p90']:,.1f} ({row['wall_clock_days']:,.1f})"
    assert row["wall_clock_days_p90"] > row["wall_clock_days"]


def test_solver_dialog_keeps_the_window_responsive(six, qtbot):
    dialog = six.solver_dialog()
    qtbot.addWidget(dialog)
    # the dialog is not modal and the solve runs in a worker: the window accepts an edit now
    assert not dialog.isModal()
    six.select_scenario(0)
    assert six.current == 0
    _solved(qtbot, dialog)
    assert dialog.answer["scenario"] == six.project.scenarios[SIX].name


def test_deadline_as_a_date_both_ways(window, qtbot):
    from tests.gui.conftest import type_into

    w = window
    editor = w.policy_editor
    w.tabs.setCurrentWidget(editor)
    start = w.scenario.date
    # days typed -> the date follows
    type_into(qtbot, editor.field_at(("constraints", "deadline_days")), "45")
    qtbot.waitUntil(lambda: w.scenario.constraints.deadline_days == 45)
    assert editor.deadline_date.date().toPython() == start + dt.timedelta(days=45)
    # a date picked -> the days stored, the days field shows them, one undo step
    editor.deadline_date.setDate(start + dt.timedelta(days=200))
    assert w.scenario.constraints.deadline_days == 200
    assert editor.field_at(("constraints", "deadline_days")).text() == "200"
    # the start date itself reads "none" and clears the deadline
    editor.deadline_date.setDate(start)
    assert w.scenario.constraints.deadline_days is None
    assert editor.deadline_date.text() == "none"
    w.document.undo_stack.undo()
    assert w.scenario.constraints.deadline_days == 200
    assert editor.deadline_date.date().toPython() == start + dt.timedelta(days=200)
    # a later scenario date keeps the days and moves the deadline date with it
    editor.date.setDate(start + dt.timedelta(days=10))
    assert w.scenario.constraints.deadline_days == 200
    assert editor.deadline_date.date().toPython() == start + dt.timedelta(days=210)
    wait_idle(qtbot, w)


def test_new_scenario_inherits_date_site_and_headquarters(window, qtbot):
    w = window
    here = w.scenario
    assert (here.date, here.hq) != (dt.date.today(), "US")
    w.add_scenario()
    new = w.project.scenarios[-1]
    assert w.current == len(w.project.scenarios) - 1
    assert new.date == here.date and new.hq == here.hq
    assert new.fleet[0].site == here.fleet[0].site != "US"
    wait_idle(qtbot, w)


def test_new_project_scenario_without_a_model_scenario():
    from app import sources

    s = sources.new_scenario("x")
    assert s.date == dt.date.today() and s.fleet[0].site == "US"


def test_compare_dialog_shows_core_differences_highlighted(window, qtbot):
    from PySide6.QtCore import Qt

    from app.compare_dialog import outcome_rows, value_text
    from core.compare import compare

    w = window
    if len(w.project.scenarios) <= SIX:
        pytest.skip("the bundled example project is not shipped")
    dialog = w.compare_dialog([4, SIX])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.comparison is not None and not dialog.busy, timeout=30000)
    a, b = w.project.scenarios[4], w.project.scenarios[SIX]
    expected = compare([a, b], w.project)
    assert dialog.comparison == expected
    t = dialog.table
    assert t.columnCount() == 3
    assert [t.horizontalHeaderItem(c).text() for c in (1, 2)] == [a.name, b.name]
    outcome = outcome_rows(expected)
    # the outcome on top, then one row per differing input with both values
    days_row = next(r for r in range(len(outcome)) if t.item(r, 0).text() == "Days")
    delta = expected.outcomes[1].days_delta
    assert f"{abs(delta):,.1f}" in t.item(days_row, 2).text()
    assert t.item(days_row, 2).text().count("+" if delta > 0 else "−") == 1
    rows = {t.item(r, 0).text(): r for r in range(len(outcome) + 1, t.rowCount())}
    assert list(rows) == [d.label for d in expected.differences]
    assert "fleet[0].accelerator" in rows and "date" in rows
    for d in expected.differences:
        r = rows[d.label]
        assert [t.item(r, c).text() for c in (1, 2)] == [value_text(v) for v in d.values]
        # the value that differs from the base is highlighted, the base is not
        assert t.item(r, 2).background().style() != Qt.BrushStyle.NoBrush
        assert t.item(r, 1).background().style() == Qt.BrushStyle.NoBrush
    # unticking leaves one scenario: nothing to compare, said in words
    dialog.picker.item(4).setCheckState(Qt.CheckState.Unchecked)
    assert "two or more" in dialog.status.text()
    # three scenarios: three columns
    dialog.picker.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.picker.item(4).setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: dialog.comparison is not None
                    and len(dialog.comparison.scenarios) == 3 and not dialog.busy, timeout=30000)
    qtbot.waitUntil(lambda: t.columnCount() == 4)


def test_deck_of_every_scenario_from_the_window(window, qtbot, tmp_path, monkeypatch):
    from pptx import Presentation

    import app.heap
    from core.briefing import CHARTS, PER_SCENARIO

    w = window
    path = tmp_path / "all.pptx"
    trims: list[bool] = []
    real = app.heap.release_freed_memory
    monkeypatch.setattr(app.heap, "release_freed_memory", lambda: trims.append(real()) or True)
    with qtbot.waitSignal(w.deck_written, timeout=120000) as written:
        w.export_deck_all(str(path))
        assert w.current == 0  # the window is not blocked while the chart data is gathered
    assert written.args == [str(path)]
    # the freed chart images go back to the OS once the deck is written (~260 MB otherwise)
    qtbot.waitUntil(lambda: len(trims) == 1, timeout=5000)
    slides = list(Presentation(str(path)).slides)
    n = len(w.project.scenarios)
    # + the comparison slide once (two or more scenarios), + each scenario's impact table, + the
    # solver slide of each scenario with a deadline or a budget
    solved = sum(1 for s in w.project.scenarios
                 if s.constraints.deadline_days is not None or s.constraints.budget_usd is not None)
    assert len(slides) == (1 + (len(CHARTS) - len(PER_SCENARIO)) + 1
                           + n * (len(PER_SCENARIO) + 1) + solved)
    shapes = [{s.name: s for s in slide.shapes} for slide in slides]
    assert sum(1 for sh in shapes if "Solver table" in sh) == solved
    subtitles = [sh["Subtitle"].text_frame.text for sh in shapes]
    for scenario in w.project.scenarios:
        assert subtitles.count(f"Scenario: {scenario.name}") == len(PER_SCENARIO)
        assert subtitles.count(f"Scenario: {scenario.name} — differences to its own regime") == 1
    compared = [sh for sh in shapes if "Comparison of scenarios" in sh]
    assert len(compared) == 1
    table = compared[0]["Comparison of scenarios"].table
    assert [table.cell(0, c).text for c in range(1, n + 1)] == [s.name for s in w.project.scenarios]


def test_comparison_slide(window, qtbot, tmp_path):
    from pptx import Presentation

    from core.compare import outcome_rows, value_text

    w = window
    if len(w.project.scenarios) <= SIX:
        pytest.skip("the bundled example project is not shipped")
    assert w.set_project_properties(w.project.name, "OFFICIAL")
    dialog = w.compare_dialog([4, SIX])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.comparison is not None and not dialog.busy, timeout=30000)
    assert dialog.export_button.isEnabled()
    written = dialog.export_slide(str(tmp_path / "c.pptx"))
    slides = list(Presentation(str(written)).slides)
    assert len(slides) == 1
    shapes = {s.name: s for s in slides[0].shapes}
    assert shapes["Marking top"].text_frame.text == "OFFICIAL"
    table = shapes["Comparison of scenarios"].table
    c = dialog.comparison
    assert [table.cell(0, i).text for i in (1, 2)] == c.scenarios
    outcome = outcome_rows(c)
    days = next(r for r, row in enumerate(outcome, start=1) if row[0] == "Days")
    assert table.cell(days, 2).text == outcome[days - 1][1][1]
    first = c.differences[0]
    row = len(outcome) + 2
    assert table.cell(row, 0).text == first.label
    assert [table.cell(row, i).text for i in (1, 2)] == [value_text(v) for v in first.values]
    # more differences than fit: the footnote says how many are left out
    left_out = len(c.differences) - (len(table.rows) - len(outcome) - 2)
    assert left_out > 0 and f"{left_out} more not shown" in shapes["Footnote"].text_frame.text


@pytest.mark.parametrize("text", ['<img src="/nonexistent/chokepoint-probe.png">', "<b>x</b>"])
def test_dialogs_show_names_as_text(qtbot, example, text):
    from app import state
    from app.document import ProjectDocument
    from app.main_window import MainWindow
    from tests.gui.hostile import hostile_project
    from tests.gui.test_plain_text import _offenders

    w = MainWindow(ProjectDocument(hostile_project(example, text)), state.Session(),
                   interactive=False)
    qtbot.addWidget(w)
    w.show()
    wait_idle(qtbot, w)
    solver = w.solver_dialog()
    qtbot.addWidget(solver)
    compare = w.compare_dialog([0, 1])
    qtbot.addWidget(compare)
    qtbot.waitUntil(lambda: solver.answer is not None and compare.comparison is not None,
                    timeout=60000)
    assert any(text in lab.text() for lab in solver.findChildren(type(solver.status)))
    assert compare.table.horizontalHeaderItem(1).text() == f"{text} 1"
    assert _offenders(solver) == [] and _offenders(compare) == []
    solver.wait()
    compare.wait()
    w.evaluator.shutdown()
    w.session.close()


@pytest.fixture
def sweep_tab(six, qtbot):
    six.request_charts(force=True)
    qtbot.waitUntil(lambda: six.results.charts.charts is not None, timeout=30000)
    panel = six.results.charts
    panel.tabs.setCurrentIndex(list(panel.widgets).index("sweep"))
    return panel


def _swept(qtbot, view):
    qtbot.waitUntil(lambda: view.sweep is not None and not view.busy, timeout=30000)
    return view.sweep


def test_sweep_tab_draws_the_core_sweep(sweep_tab, qtbot, tmp_path):
    from core.sensitivity import sweep_range

    panel = sweep_tab
    view = panel.sweep_view
    w = panel.window()
    assert panel.current_name == "sweep"
    keys = [i.key for i in view.inputs]
    assert {"training.tokens", "fleet[2].count", "physics.kernel_efficiency",
            "constraints.deadline_days"} <= set(keys)
    # nothing drawn yet: the export says what to do, it does not write an empty chart
    with pytest.raises(Exception, match="sweep"):
        panel.export_to("png", str(tmp_path / "none.png"))
    view.select("fleet[2].count")
    item = view.current_input()
    assert float(view.low.text()) == item.low and float(view.high.text()) == item.high
    view.low.setText("1,024")
    view.high.setText("8192")
    view.points.setValue(8)
    view.run()
    shown = _swept(qtbot, view)
    expected = sweep_range(w.scenario, w.project, item, 1024, 8192, 8)
    assert shown == expected
    # the chart plots exactly these figures: days above, cost below, the value in use marked
    chart = view.chart
    days_curve = chart.plots[0].listDataItems()[0]
    cost_curve = chart.plots[1].listDataItems()[0]
    assert list(days_curve.xData) == [p.value for p in expected.points]
    assert list(days_curve.yData) == [p.days for p in expected.points]
    assert list(cost_curve.yData) == [p.cost_usd / 1e6 for p in expected.points]
    lines = [i for i in chart.plots[0].items if type(i).__name__ == "InfiniteLine"]
    assert any(line.value() == w.scenario.fleet[2].count for line in lines)
    p = expected.points[2]
    assert f"{p.days:,.1f} days" in chart.hover_text(0, p.value, 0)
    # exported like the other charts, and in the window's deck after the Pareto slide
    png = panel.export_to("png", str(tmp_path / "sweep.png"))
    svg = panel.export_to("svg", str(tmp_path / "sweep.svg"))
    assert png.stat().st_size > 10000 and "fleet[2].count" in svg.read_text(encoding="utf-8")
    from pptx import Presentation

    deck = w.export_deck(str(tmp_path / "deck.pptx"))
    shapes = [{s.name: s for s in slide.shapes} for slide in Presentation(str(deck)).slides]
    titles = [sh["Title"].text_frame.text for sh in shapes]
    k = titles.index("Cost against time of every option")
    assert titles[k + 1] == "One input swept: days and cost"
    assert "fleet[2].count from 1,024 to 8,192" in shapes[k + 1]["Subtitle"].text_frame.text
    assert "Chart sweep" in shapes[k + 1]


@pytest.mark.parametrize("key, low, high, field", [
    ("fleet[2].count", "abc", "8192", "low"),
    ("fleet[2].count", "5000", "100", "high"),
    ("physics.kernel_efficiency", "0.2", "1.5", "high"),
    ("training.tokens", "", "1e14", "low")])
def test_sweep_tab_refuses_a_bad_range_in_words(sweep_tab, qtbot, key, low, high, field):
    view = sweep_tab.sweep_view
    view.select(key)
    view.low.setText(low)
    view.high.setText(high)
    with qtbot.waitSignal(view.failed, timeout=10000) as failed:
        view.run()
    qtbot.wait(50)
    message = failed.args[0]
    assert message.startswith(f"{field}:") and "Traceback" not in message
    assert view.status.text() == f"Cannot sweep: {message}"
    assert view.sweep is None and not view.chart.plots  # nothing drawn from a refused range


def test_sweep_follows_an_edit_of_the_scenario(sweep_tab, qtbot):
    view = sweep_tab.sweep_view
    w = sweep_tab.window()
    view.select("training.tokens")
    view.run()
    before = _swept(qtbot, view)
    # an edit elsewhere: the charts are recomputed and the same sweep is drawn again for it
    field = w.model_editor.field_at(("training", "tokens"))
    field.setText("40T")
    field.textEdited.emit("40T")
    qtbot.waitUntil(lambda: w.scenario.training.tokens == 40e12, timeout=10000)
    w.request_charts(force=True)
    qtbot.waitUntil(lambda: view.sweep is not None and view.sweep.input.current == 40e12
                    and not view.busy, timeout=60000)
    assert view.current_input().key == "training.tokens"
    after = view.sweep
    assert (after.low, after.high) == (before.low, before.high)  # the range typed is kept
    # the value in use moved from 36T to 40T: it is among the points now
    assert 40e12 in [p.value for p in after.points]
    assert 40e12 not in [p.value for p in before.points]
    assert after.base_days > before.base_days
    # every other value sets the token count itself: the same figures as before the edit
    old = {p.value: p for p in before.points}
    common = [p for p in after.points if p.value in old]
    assert len(common) >= 12 and all(p == old[p.value] for p in common)
