"""Policy impact is the difference of two evaluations; the tornado orders inputs by their swing
and puts an obviously dominant input first; sweeps and the frontier are evaluations too."""

from __future__ import annotations

import pytest

from core.impact import impact
from core.project import load_project
from core.resources import resource
from core.scenario_eval import evaluate_scenario
from core.sensitivity import pareto, set_path, sweep, tornado

EXAMPLE = resource("examples") / "southeast-asia-route.json"


@pytest.fixture(scope="module")
def project():
    return load_project(EXAMPLE)


def _two_route_scenario(project):
    """Leased H100s in Johor plus stockpiled H800s at home: closing the lease leaves a fallback."""
    lease = project.scenarios[0]
    stock = next(s for s in project.scenarios if s.fleet[0].access == "stockpile")
    return lease.model_copy(update={"name": "two routes", "fleet": [*lease.fleet, *stock.fleet]})


def test_impact_deltas_are_the_difference_of_two_evaluations(project):
    scenario = _two_route_scenario(project)
    out = impact(scenario, project, after_regime="hypo-my-th-licence")
    before = evaluate_scenario(scenario, project).best
    after_s = scenario.model_copy(update={"policy": scenario.policy.model_copy(
        update={"regime": "hypo-my-th-licence"})})
    after = evaluate_scenario(after_s, project).best
    assert out.before.wall_clock_days == before.wall_clock_days
    assert out.after.wall_clock_days == after.wall_clock_days
    assert out.delta_days == pytest.approx(after.wall_clock_days - before.wall_clock_days)
    assert out.delta_cost_usd == pytest.approx(after.cost_usd - before.cost_usd)
    assert out.fallback_changed and "H800" in out.after.option
    assert "delays the run by" in out.headline and "via" in out.headline


def test_impact_rows_carry_the_routes_p10_p90(project):
    """Each regime's best route has the P10-P90 of its days and cost: the Monte Carlo band of
    that evaluation (core.uncertainty.option_uncertainty, as `evaluate --json` gives it)."""
    from core.impact import cost_range, days_range, impact_table
    from core.uncertainty import option_uncertainty

    scenario = project.scenarios[5]
    table = impact_table(scenario, project, regimes=["in-force", "hypo-my-th-licence"])
    assert len(table.rows) == 3
    for row in table.rows:
        s = scenario.model_copy(update={"policy": scenario.policy.model_copy(
            update={"regime": row.regime, "disabled_rules": []})})
        result = evaluate_scenario(s, project)
        band = option_uncertainty(s, result)
        assert row.wall_clock_days_p10 == pytest.approx(band.wall_clock_days.p10)
        assert row.wall_clock_days_p90 == pytest.approx(band.wall_clock_days.p90)
        assert row.cost_usd_p10 == pytest.approx(band.cost_usd.p10)
        assert row.cost_usd_p90 == pytest.approx(band.cost_usd.p90)
        assert row.wall_clock_days_p10 < row.wall_clock_days < row.wall_clock_days_p90
        assert row.cost_usd_p10 < row.cost_usd < row.cost_usd_p90
        assert days_range(row) == (f"{row.wall_clock_days:,.0f} ({row.wall_clock_days_p10:,.0f}–"
                                   f"{row.wall_clock_days_p90:,.0f})")
        assert cost_range(row).startswith(f"${row.cost_usd / 1e6:,.1f}M (")


def test_impact_cli_prints_and_keys_the_ranges():
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    args = [sys.executable, "-m", "core.cli", "impact", str(EXAMPLE), "--scenario", "6",
            "--regime", "in-force", "--regime", "hypo-my-th-and-remote-access"]
    out = json.loads(subprocess.run([*args, "--json"], capture_output=True, text=True,
                                    check=True, cwd=root).stdout)
    text = subprocess.run(args, capture_output=True, text=True, check=True, cwd=root).stdout
    for r in out["rows"]:
        assert r["wall_clock_days_p10"] < r["wall_clock_days"] < r["wall_clock_days_p90"]
        assert r["cost_usd_p10"] < r["cost_usd"] < r["cost_usd_p90"]
        assert (f"{r['wall_clock_days']:,.0f} days ({r['wall_clock_days_p10']:,.0f}–"
                f"{r['wall_clock_days_p90']:,.0f})") in text
        assert (f"${r['cost_usd'] / 1e6:,.1f}M (${r['cost_usd_p10'] / 1e6:,.1f}–"
                f"{r['cost_usd_p90'] / 1e6:,.1f}M)") in text


def test_switching_a_rule_off_and_unknown_rules(project):
    from core.errors import InputError
    from core.regimes import regime_for

    scenario = project.scenarios[2]
    rules = [r.id for r in regime_for(project, scenario.policy.regime).rules]
    out = impact(scenario, project, disable=rules)
    assert out.after.label.endswith(" −" + rules[-1])
    with pytest.raises(InputError, match="no rule"):
        impact(scenario, project, disable=["no-such-rule"])


def test_tornado_puts_the_dominant_input_first(project):
    scenario = project.scenarios[2]
    # interruptions made the dominant uncertainty: halving or doubling a very high failure rate
    stormy = set_path(scenario, ("physics", "failures_per_gpu_day"), 0.02)
    t = tornado(stormy, project)
    assert t.bars[0].input == "interruptions", [b.input for b in t.bars]
    swings = [b.days_swing for b in t.bars]
    assert swings == sorted(swings, reverse=True)
    tokens = next(b for b in t.bars if b.input == "training tokens")
    lo = evaluate_scenario(set_path(stormy, ("training", "tokens"),
                                    stormy.training.tokens * 0.8), project).best
    assert tokens.days_low == pytest.approx(lo.wall_clock_days)


def test_sweep_and_frontier_are_evaluations(project):
    scenario = project.scenarios[2]
    points = sweep(scenario, project, ("fleet", 0, "count"), [512, 1024, 2048])
    assert [p.days for p in points] == sorted((p.days for p in points), reverse=True)
    frontier = pareto(scenario, project)
    assert any(p.on_frontier for p in frontier)
    for p in frontier:
        dominated = any(q.days < p.days and q.cost_usd < p.cost_usd for q in frontier)
        assert p.on_frontier == (not dominated)
