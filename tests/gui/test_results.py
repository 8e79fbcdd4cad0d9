"""No stale verdicts: after a project regime is edited (and undone, and redone), the scenario list,
the comparison chart and the exported deck equal a fresh evaluation of every scenario."""

from __future__ import annotations

import pytest

from tests.gui.conftest import wait_idle

pytest.importorskip("pptx")


def settle(qtbot, w) -> None:
    """Until the shown scenario and every other one have their outcome for the project now."""
    wait_idle(qtbot, w)
    qtbot.waitUntil(lambda: w.store.next_missing(w.project) is None and not w.background.busy
                    and not w.evaluator.busy, timeout=60000)
    qtbot.wait(20)


def deck_table(path) -> list[list[str]]:
    from pptx import Presentation

    summary = next(iter(Presentation(str(path)).slides))
    table = next(s for s in summary.shapes if s.name == "Comparison table").table
    return [[c.text for c in row.cells] for row in table.rows]


def check_fresh(qtbot, w, tmp_path=None) -> list:
    from app.export.pptx import export_deck
    from app.theme import VERDICT_STYLE
    from core.chart_data import chart_set, comparison
    from core.scenario_eval import evaluate_scenario

    settle(qtbot, w)
    fresh = [evaluate_scenario(s, w.project) for s in w.project.scenarios]
    for i, r in enumerate(fresh):
        tip = w.scenarios.list.item(i).toolTip()
        assert tip.split("\n")[1] == VERDICT_STYLE[r.verdict][2], (i, tip, r.verdict)
    assert w.results.result == fresh[w.current]
    w.request_charts(force=True)
    qtbot.waitUntil(lambda: w._charts_shown == w._charts_key(), timeout=60000)
    assert w.results.charts.charts.comparison == comparison(w.project.scenarios, fresh)
    assert w.results.charts.charts.results == fresh
    if tmp_path is not None:
        deck = w.export_deck(str(tmp_path / "window.pptx"))
        reference = export_deck(chart_set(w.project, w.current), tmp_path / "fresh.pptx",
                                names=["comparison"])
        assert deck_table(deck) == deck_table(reference)
    return [r.verdict for r in fresh]


def test_regime_edit_reaches_every_scenario_using_it(qtbot, window, tmp_path):
    """Duplicate a scenario that uses a project regime, edit that regime on one of the twins: the
    other twin must not keep its old verdict (list, comparison chart, deck); undo/redo too."""
    from PySide6.QtCore import Qt

    w = window
    h20 = next(i for i, s in enumerate(w.project.scenarios) if s.fleet[0].accelerator == "H20")
    w.select_scenario(h20)
    wait_idle(qtbot, w)
    assert w.policy_editor.copy_regime("No H20 licences")
    wait_idle(qtbot, w)
    w.duplicate_scenario(h20)
    w.select_scenario(h20)
    twin = h20 + 1
    assert w.project.scenarios[twin].policy.regime == w.scenario.policy.regime
    before = check_fresh(qtbot, w)
    assert before[h20] == before[twin] == "needs_license"

    editor = w.policy_editor
    ids = [editor.rules.item(r, 0).data(Qt.ItemDataRole.UserRole)
           for r in range(editor.rules.rowCount())]
    editor.rules.selectRow(ids.index("R9"))
    editor.rule_outcome.setCurrentIndex(editor.rule_outcome.findData("prohibited"))
    editor.rule_outcome.activated.emit(editor.rule_outcome.currentIndex())
    after = check_fresh(qtbot, w, tmp_path)
    assert after[h20] == after[twin] == "infeasible"
    assert "Infeasible" in w.scenarios.list.item(twin).toolTip()

    w.document.undo_stack.undo()
    assert check_fresh(qtbot, w, tmp_path) == before
    w.document.undo_stack.redo()
    assert check_fresh(qtbot, w) == after


def test_results_panel_and_list_show_the_p10_p90_range(qtbot, window):
    """Issue 10: the range appears wherever the number does (panel, banner, list tooltip)."""
    w = window
    band = w.results.result.uncertainty
    assert band is not None
    days = w.results.figures["days"].text()
    assert f"P10–P90 {band.wall_clock_days.p10:,.0f}–{band.wall_clock_days.p90:,.0f}" in days
    assert "P10–P90" in w.results.figures["cost"].text()
    assert "P10–P90" in w.results.banner.text()
    assert "P10–P90" in w.scenarios.list.item(w.current).toolTip()


def test_banner_gives_the_chance_of_the_deadline_and_of_the_budget_when_set(qtbot, window):
    """Issue 10: P(meets the deadline) and P(within budget) where the scenario has them."""
    from core.scenario_eval import evaluate_scenario

    w = window
    s = w.project.scenarios[w.current]
    budget = w.results.result.uncertainty.cost_usd.p90  # above the point: still feasible
    marked = s.model_copy(update={"constraints": s.constraints.model_copy(
        update={"budget_usd": budget})})
    result = evaluate_scenario(marked, w.project)
    w.results.show_result(result)
    banner = w.results.banner.text()
    from app.results_view import chance

    assert f"{chance(result.uncertainty.p_deadline)} chance to meet the deadline" in banner
    assert f"{chance(result.uncertainty.p_budget)} to stay within the budget" in banner
    assert result.verdict != "infeasible"
    assert 0.8 < result.uncertainty.p_budget < 1.0  # the budget is the cost's P90
    w.results.show_result(evaluate_scenario(s, w.project))
    assert "budget" not in w.results.banner.text()


def test_unknown_status_reaches_the_banner_list_and_options(qtbot, window):
    """Issue 11: an Affiliates-rule pool after 2026-11-10 is 'status unknown' in the banner, the
    scenario list and the options table, never 'Feasible' nor 'Infeasible'."""
    import datetime as dt

    w = window
    w.select_scenario(0)  # the leased H100s in Johor
    wait_idle(qtbot, w)
    ed = w.policy_editor
    ed.apply(("date",), dt.date(2026, 11, 20), text="date")
    ed.apply(("hq",), "MY", text="hq")
    ed.apply(("policy", "end_user_listed_owner_pct"), 50.0, text="owned")
    ed.apply(("fleet", 0, "access"), "own", text="own")
    wait_idle(qtbot, w)
    assert w.results.result.verdict == "unknown"
    assert w.results.banner.text().startswith("Status unknown")
    assert "Status unknown" in w.scenarios.list.item(w.current).toolTip()
    assert "rule of unknown status" in w.results.figures_box.title()


def test_banner_never_states_a_sampled_chance_as_certain(qtbot, window):
    """Review: scenario 1 of the example said '100% chance to meet the deadline' (every Monte
    Carlo sample finished in time); a band of estimates gives 'over 99%', never certainty."""
    from app.results_view import chance

    assert [chance(p) for p in (1.0, 0.996, 0.994, 0.48, 0.006, 0.0)] == [
        "over 99%", "over 99%", "99%", "48%", "1%", "under 1%"]
    w = window
    wait_idle(qtbot, w)
    text = w.results.banner.text()
    assert "over 99% chance to meet the deadline" in text and "100%" not in text, text


def test_options_table_names_the_chip_first(qtbot, window):
    """Review: at 1366 px the Option cell '4,096 × H100-SXM @ MY-Johor ★' was elided in the
    middle to '4,096 ×...ohor ★', losing the chip. The cell is chip @ site (the count is in
    'Chips usable'), elided on the right, the full label in its tooltip."""
    from PySide6.QtCore import Qt

    w = window
    w.select_scenario(5)
    wait_idle(qtbot, w)
    t, result = w.results.options, w.results.result
    assert t.textElideMode() == Qt.TextElideMode.ElideRight
    for row, o in enumerate(result.options):
        item = t.item(row, 0)
        assert item.text().startswith(f"{o.accelerator} @ {o.site}")
        assert o.label in item.toolTip()
        assert item.font().bold() == (row == result.chosen)


def test_energy_key_figure_is_the_facility_figure_with_the_chips_figure_labelled(qtbot, window):
    """Review: the window and the CLI gave two energy figures. The key figure is the facility
    energy (the cost's), with chips at TDP, PUE and server overhead beside it."""
    best = window.results.result.best
    text = window.results.figures["energy"].text()
    assert best.energy_basis == "facility"
    assert text.replace("\n", " ").startswith(f"{best.energy_mwh:,.0f} MWh at the facility (")
    assert f"{best.chip_energy_mwh:,.0f} MWh at the chips" in text and "PUE" in text
