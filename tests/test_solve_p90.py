"""The solver at a confidence (review of issue 12): one definition of "P90 days" — the point
days × the upper factor of core.uncertainty.days_band_factors, which includes the token and
active-parameter ranges — for the count, the cheapest option, the latest start, the reachable
compute and the budget, checked against the Monte Carlo band of the returned plan; the output
says which figure it prints."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from core.catalog import get_accelerator
from core.estimate import estimate
from core.presets import get_preset
from core.project import load_project
from core.resources import resource
from core.scenario_eval import evaluate_scenario
from core.solve import min_count_for_deadline, solve_scenario
from core.training import PhysicsOptions, TrainingSpec
from core.uncertainty import (
    Z90,
    days_band_factors,
    efficiency_sigma,
    estimate_uncertainty,
    option_uncertainty,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = resource("examples") / "southeast-asia-route.json"


@pytest.fixture(scope="module")
def project():
    return load_project(EXAMPLE)


@pytest.fixture(scope="module")
def uncertain(project):
    """Scenario 6 with its tokens and active parameters marked uncertain (wide ranges, so a
    P90 that ignored them would land far past the deadline)."""
    s = project.scenarios[5]
    t, m = s.training, s.model
    n = m.active_params()
    return s.model_copy(update={
        "training": t.model_copy(update={"tokens_low": t.tokens * 0.8, "tokens_high": t.tokens * 1.6}),
        "model": m.model_copy(update={"active_params_low": n * 0.8, "active_params_high": n * 1.5}),
    })


def _at(scenario, project, row, count):
    fleet = list(scenario.fleet)
    [i] = [k for k, p in enumerate(fleet) if p.accelerator == row["accelerator"]]
    fleet[i] = fleet[i].model_copy(update={"count": count})
    s = scenario.model_copy(update={"fleet": fleet})
    result = evaluate_scenario(s, project)
    for k, o in enumerate(result.options):
        if (o.accelerator, o.site, o.policy_status) == (row["accelerator"], row["site"],
                                                         row["policy_status"]):
            return s, result, k
    raise AssertionError("option gone")


def test_p90_days_include_the_token_and_parameter_ranges(project, uncertain):
    chip = uncertain.fleet[1].accelerator
    sigma, _ = efficiency_sigma(chip, uncertain.physics.maturity)
    factor = days_band_factors(uncertain, chip)[1]
    assert factor > math.exp(Z90 * sigma) * 1.1  # the ranges widen it well past efficiency alone
    out = solve_scenario(uncertain, project, deadline_days=200.0, confidence="p90")
    assert out["confidence"] == "p90"
    checked = 0
    for r in out["options"]:
        if r["policy_status"] != "usable" or r.get("min_count") is None:
            continue
        n, f = r["min_count"], r["p90_days_factor"]
        assert f == pytest.approx(days_band_factors(uncertain, r["accelerator"])[1])
        # N meets at the P90, N - 1 does not
        assert r["min_count_days_p90"] == pytest.approx(r["min_count_days"] * f)
        assert r["min_count_days_p90"] <= 200.0 < r["days_with_one_fewer_p90"]
        # ... and that P90 is the Monte Carlo band's of the returned plan, within its noise
        s, result, k = _at(uncertain, project, r, n)
        band = option_uncertainty(s, result, k, samples=20000, seed=3)
        assert band is not None
        assert band.wall_clock_days.p90 == pytest.approx(r["min_count_days_p90"], rel=0.03)
        s1, result1, k1 = _at(uncertain, project, r, n - 1)
        assert option_uncertainty(s1, result1, k1, samples=20000, seed=3).wall_clock_days.p90 \
            == pytest.approx(r["days_with_one_fewer_p90"], rel=0.03)
        # the latest start on the P90 days: started then it ends by the deadline, a day later not
        start = dt.date.fromisoformat(r["latest_start"])
        end = dt.date.fromisoformat(out["deadline"])
        assert r["latest_start_days_p90"] == pytest.approx(r["latest_start_days"] * f)
        assert (end - start).days >= r["latest_start_days_p90"] - 1e-9
        assert (end - start).days - 1 < r["latest_start_days_p90"]
        # the compute reachable by the deadline: its P90 days within the deadline
        reach = r["reachable_by_deadline"]
        assert reach["days"] * f <= 200.0 < reach["days_with_1pct_more"] * f
        checked += 1
    assert checked == 2


def test_p90_budget_and_cheapest_use_the_cost_of_the_p90_days(project, uncertain):
    out = solve_scenario(uncertain, project, deadline_days=200.0, budget_usd=3e7,
                         confidence="p90")
    for r in out["options"]:
        if r["policy_status"] != "usable" or r.get("budget_max_count") is None:
            continue
        f = r["p90_days_factor"]
        assert r["budget_max_count_cost_usd_p90"] == pytest.approx(r["budget_max_count_cost_usd"] * f)
        assert r["budget_max_count_cost_usd_p90"] <= 3e7
        if r.get("budget_cost_one_more_p90") is not None:
            assert r["budget_cost_one_more_p90"] > 3e7
    best = out["cheapest_meeting"]
    assert best is not None
    assert out["cheapest_meeting_cost_usd_p90"] <= 3e7
    rows = [r for r in out["options"] if r.get("min_count_cost_usd_p90") is not None
            and r["policy_status"] == "usable" and r["min_count_cost_usd_p90"] <= 3e7]
    assert out["cheapest_meeting_cost_usd_p90"] == min(r["min_count_cost_usd_p90"] for r in rows)


def test_bare_solver_p90_matches_the_monte_carlo_band():
    preset = get_preset("deepseek-v3")
    training = TrainingSpec(tokens=15e12, seq_len=4096)
    m = preset.spec
    n = m.active_params()
    model = m.model_copy(update={"active_params_low": n * 0.7, "active_params_high": n * 1.4})
    chip = get_accelerator("H20")
    physics = PhysicsOptions()
    ans = min_count_for_deadline(model, training, chip, 120.0, physics, "p90")
    assert ans.min_count is not None
    assert ans.wall_clock_days_p90 <= 120.0 < ans.days_with_one_fewer_p90
    est = estimate(model, training, chip, ans.min_count, physics)
    band = estimate_uncertainty(est, physics, samples=20000, seed=5, model=model,
                                training=training)
    assert band.wall_clock_days.p90 == pytest.approx(ans.wall_clock_days_p90, rel=0.03)
    # without the ranges the factor is the efficiency spread's alone (no more chips needed)
    plain = min_count_for_deadline(m, training, chip, 120.0, physics, "p90")
    assert plain.p90_days_factor < ans.p90_days_factor
    assert plain.min_count <= ans.min_count


def _cli(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True,
                          text=True, check=True, cwd=ROOT).stdout


def test_cli_says_which_figure_it_prints():
    base = ("solve", "--model", "deepseek-v3", "--tokens", "15T", "--accelerator", "H20",
            "--deadline-days", "120", "--confidence", "p90", "--date", "2026-01-01")
    o = json.loads(_cli(*base, "--json"))
    assert o["confidence"] == "p90"
    assert o["wall_clock_days_p90"] <= 120.0 < o["days_with_one_fewer_p90"]
    assert o["wall_clock_days_p90"] == pytest.approx(o["wall_clock_days"] * o["p90_days_factor"])
    # the latest start is on the P90 days
    start = dt.date.fromisoformat(o["latest_start"])
    assert (dt.date.fromisoformat(o["deadline"]) - start).days >= o["latest_start_days_p90"]
    assert o["latest_start_check"]["finishes_day"] <= 120.0 \
        < o["latest_start_check"]["one_day_later_finishes_day"]
    text = _cli(*base)
    head = text.splitlines()[0]
    assert f"{o['wall_clock_days_p90']:,.1f} days at the P90" in head
    assert f"({o['wall_clock_days']:,.1f} middle estimate" in head
    assert "(on the P90 days)" in text


def test_compute_target_at_the_p90():
    o = json.loads(_cli("solve", "--model", "deepseek-v3", "--tokens", "15T", "--accelerator",
                        "H20", "--deadline-days", "120", "--confidence", "p90", "--date",
                        "2026-01-01", "--target-flops", "1e25", "--json"))
    t, f = o["target"], o["p90_days_factor"]
    assert t["days_as_given_p90"] == pytest.approx(t["days_as_given"] * f)
    assert t["date_as_given_p90"] == (dt.date(2026, 1, 1) + dt.timedelta(
        days=math.ceil(t["days_as_given_p90"] - 1e-9))).isoformat()
    # the fleet that reaches it by the deadline: N at the P90 meets, N - 1 does not
    assert t["fleet_needed_days_p90"] <= 120.0 < t["fleet_needed_days_with_one_fewer_p90"]
    assert t["reached_by_deadline"] is (t["days_as_given_p90"] <= 120.0)


def test_blocked_option_is_said_once():
    text = _cli("solve", str(EXAMPLE), "--scenario", "6")
    line = next(x for x in text.splitlines() if "MY-Johor" in x)
    assert line.count("blocked") == 1
    assert "[usable]" in text  # the other options keep their status
