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
