"""The Policy impact tab: the comparison picked (a rule of the scenario's regime switched off, or
another regime) is core.impact's, drawn on the chart; the impact table below shows
core.impact.impact_table's rows; the solver dialog's FLOP target is core.solve's."""

from __future__ import annotations

import pytest

from tests.gui.conftest import wait_idle

SIX = 5


@pytest.fixture
def panel(window, qtbot):
    if len(window.project.scenarios) <= SIX:
        pytest.skip("the bundled example project is not shipped")
    window.select_scenario(SIX)
    wait_idle(qtbot, window)
    bar = window.results.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: window.results.charts.charts is not None
                    and window.results.charts.charts.index == SIX, timeout=60000)
    return window.results.charts


def test_rule_switch_and_regime_comparisons_are_core_figures(window, panel, qtbot):
    from core.impact import compare_with, impact_comparisons

    view = panel.impact_view
    scenario = window.project.scenarios[SIX]
    choices = impact_comparisons(scenario, window.project)
    assert [view.choice.itemText(i) for i in range(view.choice.count())] == [c.label for c in choices]
    off = next(i for i, c in enumerate(choices) if c.label == "switch off rule hypo-my-th-lease")
    view.pick(off)
    qtbot.waitUntil(lambda: view.shown is not view.charts and not view.busy, timeout=30000)
    expected = compare_with(scenario, window.project, choices[off])
    assert view.shown.answers.impact == expected
    assert "−hypo-my-th-lease" in expected.after.label
    assert view.status.text() == expected.headline
    # another regime: the lease reopens under the rules in force
    other = next(i for i, c in enumerate(choices) if c.label.endswith("→ regime in-force")
                 or c.after_regime == "none")
    view.pick(other)
    qtbot.waitUntil(lambda: view.shown.answers.impact.after.regime == choices[other].after_regime
                    and not view.busy, timeout=30000)
    assert view.shown.answers.impact == compare_with(scenario, window.project, choices[other])
    # what Export… writes from this tab is the comparison shown
    panel.tabs.setCurrentIndex(list(panel.widgets).index("policy-impact"))
    assert panel._charts_for("policy-impact") is view.shown
    view.pick(0)
    assert view.shown is view.charts


def test_impact_table_shows_core_rows(panel):
    from app.impact_view import table_cells

    view = panel.impact_view
    rows = view.charts.answers.impact_table.rows
    t = view.table
    assert t.rowCount() == len(rows) >= 3
    shown = [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
    assert shown == [table_cells(row) for row in rows]
    # days and cost with their P10-P90 (core.impact's rows carry them)
    first = rows[0]
    assert first.wall_clock_days_p10 is not None and first.cost_usd_p90 is not None
    assert shown[0][3] == (f"{first.wall_clock_days:,.0f} ({first.wall_clock_days_p10:,.0f}–"
                           f"{first.wall_clock_days_p90:,.0f})")
    assert shown[0][5] == (f"{first.cost_usd / 1e6:,.1f} ({first.cost_usd_p10 / 1e6:,.1f}–"
                           f"{first.cost_usd_p90 / 1e6:,.1f})")
    in_force = next(r for r in rows if r.regime == "in-force")
    assert in_force.fallback and "H100-SXM" in in_force.route
    view.table_box.setChecked(False)
    assert view.table.isHidden()


def test_solver_dialog_flop_target(window, qtbot):
    from core.solve import solve_scenario

    if len(window.project.scenarios) <= SIX:
        pytest.skip("the bundled example project is not shipped")
    window.select_scenario(SIX)
    wait_idle(qtbot, window)
    dialog = window.solver_dialog()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.answer is not None and not dialog.busy, timeout=30000)
    dialog.target.setText("1e25")
    dialog.answer = None
    dialog.solve()
    qtbot.waitUntil(lambda: dialog.answer is not None and not dialog.busy, timeout=60000)
    expected = solve_scenario(window.project.scenarios[SIX], window.project, deadline_days=180.0,
                              target_flops=1e25)
    assert dialog.answer["target"] == expected["target"]
    assert "Target 1e+25 FLOP" in dialog.result_label.text()
    dialog.target.setText("lots")
    dialog.solve()
    assert "compute target" in dialog.status.text()


def test_solver_dialog_budget_only(window, qtbot):
    """No deadline, a budget: the fastest run the budget buys per option, core's figures."""
    from app.solver_dialog import cells
    from core.solve import solve_scenario

    if len(window.project.scenarios) <= SIX:
        pytest.skip("the bundled example project is not shipped")
    window.select_scenario(SIX)
    wait_idle(qtbot, window)
    dialog = window.solver_dialog()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.answer is not None and not dialog.busy, timeout=30000)
    dialog.no_deadline.setChecked(True)
    assert not dialog.days.isEnabled()
    dialog.answer = None
    dialog.solve()  # no budget either: refused, naming the field
    assert "budget" in dialog.status.text() and dialog.answer is None
    dialog.budget.setValue(15.0)
    dialog.solve()
    qtbot.waitUntil(lambda: dialog.answer is not None and not dialog.busy, timeout=60000)
    s = window.project.scenarios[SIX]
    s = s.model_copy(update={"constraints": s.constraints.model_copy(update={"deadline_days": None})})
    expected = solve_scenario(s, window.project, budget_usd=15e6)
    assert dialog.answer == expected and expected["deadline_days"] is None
    t = dialog.table
    shown = [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
    assert shown == [cells(row) for row in expected["options"]]
    assert expected["fastest_within_budget"] in dialog.result_label.text()
    assert dialog.status.text().startswith("No deadline")
