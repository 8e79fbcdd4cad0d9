"""core.compare: the inputs that differ between scenarios and what they did to the outcome."""

from __future__ import annotations

import datetime as dt

import pytest

from core.compare import compare, input_differences, label
from core.errors import InputError
from core.presets import load_presets
from core.scenario import Constraints, Pool, Scenario
from core.scenario_eval import evaluate_scenario
from core.training import TrainingSpec


def _scenario(name: str, count: int = 2048, chip: str = "Ascend-910C", **kw) -> Scenario:
    preset = load_presets()["qwen3-30b-a3b"]
    return Scenario(name=name, date=dt.date(2025, 9, 1), hq="CN", preset=preset.id,
                    model=preset.spec, training=TrainingSpec(tokens=20e12),
                    fleet=[Pool(accelerator=chip, count=count, site="CN", access="own")], **kw)


def test_only_the_changed_input_is_listed_with_both_values():
    a = _scenario("a", notes="first")
    b = _scenario("b", count=4096, notes="second")  # the name and the notes are not inputs
    diffs = input_differences([a, b])
    assert [(d.path, d.label, d.values) for d in diffs] == [
        (["fleet", 0, "count"], "fleet[0].count", [2048, 4096])]
    assert input_differences([a, a.model_copy(update={"name": "c"})]) == []


def test_a_pool_only_one_scenario_has_and_a_date():
    a = _scenario("a")
    b = a.model_copy(update={"name": "b", "date": dt.date(2026, 1, 1),
                             "fleet": [*a.fleet, Pool(accelerator="H800-SXM", count=512, site="CN")]})
    by_label = {d.label: d.values for d in input_differences([a, b])}
    assert by_label["date"] == ["2025-09-01", "2026-01-01"]
    assert by_label["fleet[1].accelerator"] == [None, "H800-SXM"]
    assert by_label["fleet[1].count"] == [None, 512]
    assert "fleet[0].count" not in by_label
    # an unset field of the extra pool (None) is not a difference from "no pool"
    assert all(any(v is not None for v in values) for values in by_label.values())


def test_deltas_are_differences_of_two_evaluations():
    a, b = _scenario("a"), _scenario("b", count=8192)
    c = compare([a, b])
    ra, rb = evaluate_scenario(a), evaluate_scenario(b)
    assert c.scenarios == ["a", "b"]
    assert c.outcomes[0].days == ra.best.wall_clock_days
    assert c.outcomes[1].days_delta == pytest.approx(rb.best.wall_clock_days - ra.best.wall_clock_days)
    assert c.outcomes[1].days_delta < 0  # four times the chips finish sooner
    assert c.outcomes[1].cost_delta_usd == pytest.approx(rb.best.cost_usd - ra.best.cost_usd)
    assert c.outcomes[0].days_delta is None and not c.outcomes[1].verdict_changed


def test_a_verdict_that_changes_is_flagged():
    a = _scenario("a", constraints=Constraints(deadline_days=10_000))
    b = _scenario("b", constraints=Constraints(deadline_days=1))
    c = compare([a, b])
    assert c.outcomes[0].verdict == "feasible" and c.outcomes[1].verdict != "feasible"
    assert c.outcomes[1].verdict_changed
    assert [d.label for d in c.differences] == ["constraints.deadline_days"]


def test_three_scenarios_and_known_results_are_used():
    s = [_scenario("a"), _scenario("b", count=1024), _scenario("c", count=4096)]
    results = [evaluate_scenario(x) for x in s]
    c = compare(s, results=results)
    assert [o.days for o in c.outcomes] == [r.best.wall_clock_days for r in results]
    assert c.differences[0].values == [2048, 1024, 4096]


def test_one_scenario_is_refused_with_the_field_named():
    with pytest.raises(InputError, match="scenarios"):
        compare([_scenario("a")])


def test_label():
    assert label(["fleet", 2, "site"]) == "fleet[2].site"
    assert label(("policy", "regime")) == "policy.regime"


def test_outcome_carries_each_scenarios_p10_p90_in_rows_of_their_own():
    """Issue 10: ranges wherever the number appears; in the comparison table (window and deck)
    each range is its own row under its figure, so a cell stays short."""
    from core.compare import outcome_rows

    a, b = _scenario("a"), _scenario("b", count=8192)
    ra, rb = evaluate_scenario(a), evaluate_scenario(b)
    c = compare([a, b], results=[ra, rb])
    for o, r in zip(c.outcomes, (ra, rb), strict=True):
        assert (o.days_p10, o.days_p90) == (r.uncertainty.wall_clock_days.p10,
                                            r.uncertainty.wall_clock_days.p90)
        assert (o.cost_p10, o.cost_p90) == (r.uncertainty.cost_usd.p10, r.uncertainty.cost_usd.p90)
        assert o.days_p10 < o.days < o.days_p90
    rows = {title: (texts, changed) for title, texts, changed in outcome_rows(c)}
    titles = [title for title, _t, _c in outcome_rows(c)]
    assert titles == ["Verdict", "Route", "Days", "Days, P10–P90", "Cost", "Cost, P10–P90"]
    u = rb.uncertainty
    assert rows["Days, P10–P90"][0][1] == f"{u.wall_clock_days.p10:,.0f}–{u.wall_clock_days.p90:,.0f}"
    assert rows["Cost, P10–P90"][0][1] == \
        f"${u.cost_usd.p10 / 1e6:,.1f}M–${u.cost_usd.p90 / 1e6:,.1f}M"
    assert rows["Days, P10–P90"][1] == [False, True]
    # a ruled-out route has no range (as in the summary table): a dash, and no row when none has
    blocked = c.model_copy(update={"outcomes": [o.model_copy(update={
        "days_p10": None, "days_p90": None, "cost_p10": None, "cost_p90": None})
        for o in c.outcomes]})
    assert [t for t, _x, _c in outcome_rows(blocked)] == ["Verdict", "Route", "Days", "Cost"]
