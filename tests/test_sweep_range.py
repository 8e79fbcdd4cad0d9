"""The window's Sweep chart and the deck's impact table, headless: ``sweep_range`` is evaluations
of the scenario (the value in use gives the scenario's own figures), a refused range names its
field before anything runs, and ``impact_table`` rows are ``core.impact.impact`` figures."""

from __future__ import annotations

import pytest

from core.errors import InputError
from core.impact import impact, impact_regimes, impact_table
from core.project import load_project
from core.resources import resource
from core.scenario_eval import evaluate_scenario
from core.sensitivity import set_path, sweep, sweep_inputs, sweep_range, sweep_values


@pytest.fixture(scope="module")
def project():
    return load_project(resource("examples") / "southeast-asia-route.json")


def _inputs(scenario, project):
    return {i.key: i for i in sweep_inputs(scenario, project)}


def test_inputs_offer_the_usual_suspects_with_the_value_in_use(project):
    s = project.scenarios[5]  # three pools: lease, stockpile, domestic; a deadline
    ins = _inputs(s, project)
    for key in ("training.tokens", "fleet[0].count", "fleet[1].count", "fleet[2].count",
                "physics.kernel_efficiency", "physics.failures_per_gpu_day",
                "fleet[0].price_per_hour_usd", "fleet[2].unit_price_usd",
                "cost.electricity_usd_per_kwh", "constraints.deadline_days"):
        assert key in ins, key
    assert ins["fleet[2].count"].current == s.fleet[2].count and ins["fleet[2].count"].integer
    assert ins["training.tokens"].low < s.training.tokens < ins["training.tokens"].high
    # unset in the scenario: the figure the evaluation uses, said where it comes from
    eff = ins["physics.kernel_efficiency"]
    assert s.physics.kernel_efficiency is None and 0 < eff.current < 1 and "catalog" in eff.note
    assert ins["constraints.deadline_days"].current == s.constraints.deadline_days


@pytest.mark.parametrize("key", ["fleet[2].count", "physics.kernel_efficiency",
                                 "fleet[0].price_per_hour_usd", "cost.electricity_usd_per_kwh"])
def test_value_in_use_gives_the_scenarios_own_figures(project, key):
    s = project.scenarios[5]
    item = _inputs(s, project)[key]
    result = sweep_range(s, project, item, item.low, item.high, points=5)
    best = evaluate_scenario(s, project).best
    assert result.base_days == best.wall_clock_days and result.base_cost == best.cost_usd
    at = [p for p in result.points if p.value == item.current]
    assert len(at) == 1 and at[0].days == pytest.approx(best.wall_clock_days, rel=1e-9)
    assert at[0].cost_usd == pytest.approx(best.cost_usd, rel=1e-9)
    # five evenly spaced, plus the value in use unless it is one of them
    even = sweep_values(item.low, item.high, 5, item.integer)
    assert len(even) == 5 and {p.value for p in result.points} == {*even, item.current}


def test_sweep_range_is_the_sweep_of_its_values(project):
    s = project.scenarios[0]
    item = _inputs(s, project)["fleet[0].count"]
    result = sweep_range(s, project, item, 1024, 8192, points=8)
    values = [int(p.value) for p in result.points]
    assert values == sorted(values) and values[0] == 1024 and values[-1] == 8192
    assert result.points == sweep(s, project, ("fleet", 0, "count"), values)
    days = [p.days for p in result.points]
    assert days == sorted(days, reverse=True) and days[0] > 2 * days[-1]  # more chips, sooner


def test_tokens_sweep_past_the_scenarios_own_token_range(project):
    s = project.scenarios[0]
    t = s.training.tokens
    ranged = s.model_copy(update={"training": s.training.model_copy(
        update={"tokens_low": t * 0.9, "tokens_high": t * 1.1})})
    with pytest.raises(InputError):  # the path edit alone is refused outside the range
        set_path(ranged, ("training", "tokens"), t * 2)
    item = _inputs(ranged, project)["training.tokens"]
    assert (item.low, item.high) == (t * 0.9, t * 1.1)  # the range offered is the scenario's
    result = sweep_range(ranged, project, item, t / 2, t * 2, points=3)  # outside it: fine
    days = [p.days for p in result.points]
    assert days == sorted(days) and days[-1] > 3 * days[0]


@pytest.mark.parametrize("low, high, points, field", [
    (10.0, 10.0, 5, "high"), (20.0, 10.0, 5, "high"), (1.0, 5.0, 1, "points"),
    (1.0, 5.0, 500, "points"), (float("nan"), 5.0, 5, "low"), (1.0, float("inf"), 5, "high")])
def test_bad_ranges_name_their_field(low, high, points, field):
    with pytest.raises(InputError) as e:
        sweep_values(low, high, points)
    assert e.value.field == field


@pytest.mark.parametrize("key, low, high, field, words", [
    ("physics.kernel_efficiency", 0.2, 1.5, "high", "physics.kernel_efficiency"),
    ("fleet[0].count", -5, 100, "low", "fleet[0].count"),
    ("fleet[0].count", 10, 10.5, "high", "count")])
def test_values_the_input_refuses_name_the_end(project, key, low, high, field, words):
    s = project.scenarios[0]
    item = _inputs(s, project)[key]
    with pytest.raises(InputError) as e:
        sweep_range(s, project, item, low, high)
    assert e.value.field == field and words in e.value.problem


def test_impact_table_rows_are_impact_figures(project):
    s = project.scenarios[5]
    table = impact_table(s, project)
    regimes = impact_regimes(s, project)
    assert [r.regime for r in table.rows] == regimes
    assert regimes[0] == s.policy.regime and table.rows[0].base
    assert "hypo-my-th-and-remote-access" in regimes and "none" in regimes  # project + presets
    for row in table.rows:
        i = impact(s, project, before_regime=s.policy.regime, after_regime=row.regime)
        assert (row.verdict, row.route, row.wall_clock_days, row.cost_usd) == (
            i.after.verdict, i.after.option, i.after.wall_clock_days, i.after.cost_usd)
        assert (row.delta_days, row.delta_cost_usd, row.feasibility, row.fallback) == (
            i.delta_days, i.delta_cost_usd, i.feasibility, i.fallback_changed)
        if row.wall_clock_days is not None and table.rows[0].wall_clock_days is not None:
            assert row.delta_days == pytest.approx(
                row.wall_clock_days - table.rows[0].wall_clock_days)
    # the base regime closes the Johor lease: the rules in force reopen it
    in_force = next(r for r in table.rows if r.regime == "in-force")
    assert in_force.fallback and "H100-SXM" in in_force.route and in_force.delta_days < 0


def test_impact_table_of_a_scenario_that_loses_its_route(project):
    s = project.scenarios[0]  # the Johor lease under the rules in force
    table = impact_table(s, project, ["hypo-my-th-and-remote-access"])
    row = table.rows[1]
    assert [r.regime for r in table.rows] == [s.policy.regime, "hypo-my-th-and-remote-access"]
    i = impact(s, project, after_regime="hypo-my-th-and-remote-access")
    assert row.feasibility == i.feasibility and row.route == i.after.option
