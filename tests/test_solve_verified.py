"""Every solver answer is checked by evaluating the scenario (issue 12): the count per option
meets the deadline and one fewer does not; the latest start, evaluated at that date with the
policy of that date, finishes by the deadline and a day later does not; the reachable tokens
finish and 1 % more do not; a budget-only answer stays within the budget and one more chip
exceeds it; a FLOP target says yes/no, the date as held and the fleet that reaches it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.project import load_project
from core.resources import resource
from core.scenario_eval import evaluate_scenario
from core.solve import largest_within, smallest_meeting, solve_scenario

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = resource("examples") / "southeast-asia-route.json"


@pytest.fixture(scope="module")
def project():
    return load_project(EXAMPLE)


def _option(scenario, project, row, count=None, date=None, tokens=None):
    """The scenario evaluated afresh with the option's pool at ``count`` / started ``date`` /
    with ``tokens``: the option of the same chip, site and status (None: not that status)."""
    fleet = list(scenario.fleet)
    upd: dict = {}
    if count is not None:
        [i] = [k for k, p in enumerate(fleet) if p.accelerator == row["accelerator"]]
        fleet[i] = fleet[i].model_copy(update={"count": count})
        upd["fleet"] = fleet
    if date is not None:
        upd["date"] = date
    if tokens is not None:
        upd["training"] = scenario.training.model_copy(
            update={"tokens": tokens, "tokens_low": None, "tokens_high": None})
    s = scenario.model_copy(update=upd)
    for o in evaluate_scenario(s, project).options:
        if (o.accelerator, o.site, o.policy_status) == (row["accelerator"], row["site"],
                                                         row["policy_status"]):
            return o
    return None


def _days(o) -> float:
    return float("inf") if o is None or o.wall_clock_days is None else o.wall_clock_days


@pytest.mark.parametrize("deadline", [120.0, 200.0])
def test_every_deadline_answer_is_checked_by_evaluation(project, deadline):
    scenario = project.scenarios[5]  # three routes, one blocked
    out = solve_scenario(scenario, project, deadline_days=deadline)
    end = scenario.date + dt.timedelta(days=deadline)
    rows = [r for r in out["options"] if r["policy_status"] == "usable"]
    assert len(rows) == 2
    for r in rows:
        n = r["min_count"]
        # N meets, N - 1 does not, each a fresh evaluation of the scenario
        assert _days(_option(scenario, project, r, count=n)) <= deadline
        assert _days(_option(scenario, project, r, count=n - 1)) > deadline
        assert _option(scenario, project, r, count=n).cost_usd == pytest.approx(
            r["min_count_cost_usd"])
        # latest start: started then it finishes by the deadline, a day later it does not
        start = dt.date.fromisoformat(r["latest_start"])
        offset = (start - scenario.date).days  # days from the scenario's start
        d = _days(_option(scenario, project, r, date=start))
        assert offset + d <= deadline and deadline - (offset + d) <= 1  # lands within a day
        later = start + dt.timedelta(days=1)
        assert offset + 1 + _days(_option(scenario, project, r, date=later)) > deadline
        assert (end - start).days == deadline - offset
        # reachable compute: those tokens finish by the deadline, 1 % more do not
        reach = r["reachable_by_deadline"]
        assert _days(_option(scenario, project, r, tokens=reach["tokens"])) <= deadline
        assert _days(_option(scenario, project, r, tokens=reach["tokens"] * 1.01)) > deadline
    # the cheapest answer is the cheapest of the usable options at their smallest counts
    cheapest = min(rows, key=lambda r: r["min_count_cost_usd"])
    assert out["cheapest_meeting"] == cheapest["option"]
    assert out["cheapest_meeting_count"] == cheapest["min_count"]
    assert out["cheapest_meeting_cost_usd"] == cheapest["min_count_cost_usd"]


def test_cheapest_says_when_the_fleet_holds_too_few(project):
    scenario = project.scenarios[5]
    out = solve_scenario(scenario, project, deadline_days=100.0)
    assert out["cheapest_meeting_count"] > out["cheapest_meeting_held"]
    assert "it needs" in out["cheapest_note"]
    row = next(r for r in out["options"] if r["option"] == out["cheapest_meeting"])
    assert row["holds_enough"] is False and row["shortfall"] == row["min_count"] - row["held"]


def test_latest_start_moves_back_when_a_rule_comes_in_later(project):
    """Scenario 1 leases H100 in Johor; under the hypothetical MY/TH licence taking effect on
    2025-09-01 the lease is blocked from that day. Started on the arithmetic date (deadline minus
    ~70 days, in 2026) the option is not allowed, so the latest start is the last allowed day."""
    scenario = project.scenarios[0]
    rule_day = dt.date(2025, 9, 1)
    s = scenario.model_copy(update={
        "date": dt.date(2025, 7, 1),
        "policy": scenario.policy.model_copy(update={"regime": "hypo-my-th-licence",
                                                     "hypothetical_from": rule_day})})
    out = solve_scenario(s, project, deadline_days=300.0)
    [r] = [r for r in out["options"] if r["policy_status"] == "usable"]
    start = dt.date.fromisoformat(r["latest_start"])
    assert start == rule_day - dt.timedelta(days=1)  # not the arithmetic date in 2026
    assert "policy" in r["latest_start_note"] and r["one_day_later_meets"] is False
    assert _option(s, project, r, date=start) is not None  # allowed the day before the rule
    assert _option(s, project, r, date=start + dt.timedelta(days=1)) is None  # blocked from it
    assert (start - s.date).days + _days(_option(s, project, r, date=start)) <= 300


def test_budget_alone_answers_the_largest_count_within_it(project):
    base = project.scenarios[5]
    s = base.model_copy(update={"constraints": base.constraints.model_copy(
        update={"deadline_days": None})})
    out = solve_scenario(s, project, budget_usd=15e6)
    assert "reason" not in out or out.get("fastest_within_budget")
    rows = [r for r in out["options"] if r["policy_status"] == "usable"]
    for r in rows:
        n = r["budget_max_count"]
        assert r["budget_binding"] is True
        assert _option(s, project, r, count=n).cost_usd <= 15e6
        assert _option(s, project, r, count=n + 1).cost_usd > 15e6
        assert r["budget_max_count_days"] == _days(_option(s, project, r, count=n))
    fastest = min(rows, key=lambda r: r["budget_max_count_days"])
    assert out["fastest_within_budget"] == fastest["option"]
    assert out["fastest_within_budget_count"] == fastest["budget_max_count"]


def test_deadline_and_budget_together(project):
    scenario = project.scenarios[5]
    out = solve_scenario(scenario, project, deadline_days=180.0, budget_usd=10.5e6)
    rows = [r for r in out["options"] if r["policy_status"] == "usable"]
    ok = [r for r in rows if r["min_count_cost_usd"] <= 10.5e6]
    assert ok and out["cheapest_meeting"] == min(ok, key=lambda r: r["min_count_cost_usd"])["option"]
    tight = solve_scenario(scenario, project, deadline_days=180.0, budget_usd=5e6)
    assert tight["cheapest_meeting"] is None and "budget" in tight["reason"]


def test_a_flop_target(project):
    scenario = project.scenarios[5]
    per_token = scenario.model.training_flops_per_token(scenario.training.seq_len)
    out = solve_scenario(scenario, project, target_flops=1e25)
    t = out["target"]
    assert t["training_flops"] == pytest.approx(1e25)
    rows = [r for r in out["options"] if r["policy_status"] == "usable"]
    for r in rows:
        days = _days(_option(scenario, project, r, tokens=1e25 / per_token))
        assert r["target"]["days_as_held"] == pytest.approx(days)
        n = r["target"]["min_count"]
        assert _days(_option(scenario, project, r, count=n, tokens=1e25 / per_token)) <= 180
        assert _days(_option(scenario, project, r, count=n - 1, tokens=1e25 / per_token)) > 180
    assert t["reached_by_deadline"] == any(r["target"]["days_as_held"] <= 180 for r in rows)
    big = solve_scenario(scenario, project, target_flops=1e26)
    assert big["target"]["reached_by_deadline"] is False
    assert big["target"]["fleet_needed"]["count"] > max(r["held"] for r in rows)


def test_search_helpers_on_a_hand_made_function():
    calls = []

    def meets(n):
        calls.append(n)
        return n >= 37

    assert smallest_meeting(meets, 5, 1000) == (37, 37)
    assert smallest_meeting(meets, 500, 1000) == (37, 37)
    assert smallest_meeting(lambda n: False, 5, 64) == (None, 64)
    # non-monotonic cost: the answer still has ok(n) and not ok(n + 1)
    cost = {**{n: n for n in range(1, 200)}, 50: 10_000}
    n = largest_within(lambda k: cost.get(k, 10**9) <= 120, 10, 10**6)
    assert n == 120


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "app.main", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_cli_target_and_budget_flags():
    bare = _cli("solve", "--model", "llama-3.1-8b", "--tokens", "2T", "--accelerator", "H100-SXM",
                "--deadline-days", "30", "--target-flops", "1e24", "--json")
    assert bare.returncode == 0, bare.stderr
    out = json.loads(bare.stdout)
    assert out["min_count"] >= 1 and out["target"]["fleet_needed"] >= 1
    reach = out["reachable_by_deadline"]
    assert reach["days"] <= 30 < reach["days_with_1pct_more"]
    proj = _cli("solve", str(EXAMPLE), "--scenario", "6", "--budget", "15e6", "--target-tokens",
                "50T", "--json")
    assert proj.returncode == 0, proj.stderr
    o = json.loads(proj.stdout)
    assert o["budget_usd"] == 15e6 and o["target"]["tokens"] == 50e12
    bad = _cli("solve", str(EXAMPLE), "--scenario", "6", "--target-flops", "1e25",
               "--target-tokens", "5T")
    assert bad.returncode == 2 and "--target-flops" in bad.stderr
