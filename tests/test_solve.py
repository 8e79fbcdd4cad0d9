"""Solver answers are checked by evaluating them (issue 12): the count meets the deadline and
one fewer does not; the latest start plus the run lands on the deadline; reachable compute is
the run scaled to the deadline; no answer comes with a reason."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.catalog import get_accelerator
from core.estimate import estimate
from core.presets import get_preset
from core.project import load_project
from core.resources import resource
from core.solve import latest_start, min_count_for_deadline, reachable_compute, solve_scenario
from core.training import TrainingSpec

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = resource("examples") / "southeast-asia-route.json"
MODEL = get_preset("llama-3.1-8b").spec
TRAINING = TrainingSpec(tokens=2e12, seq_len=4096)


@pytest.mark.parametrize(("chip_id", "deadline"), [("H100-SXM", 30.0), ("A100-SXM-80GB", 45.0),
                                                     ("H20", 20.0)])
def test_min_count_meets_and_one_fewer_does_not(chip_id, deadline):
    chip = get_accelerator(chip_id)
    answer = min_count_for_deadline(MODEL, TRAINING, chip, deadline)
    assert answer.min_count is not None
    n = answer.min_count
    assert estimate(MODEL, TRAINING, chip, n).wall_clock_days <= deadline
    fewer = estimate(MODEL, TRAINING, chip, n - 1)
    assert fewer.wall_clock_days is None or fewer.wall_clock_days > deadline
    assert answer.days_with_one_fewer is None or answer.days_with_one_fewer > deadline


def test_p90_needs_at_least_as_many_chips_as_p50():
    chip = get_accelerator("H100-SXM")
    p50 = min_count_for_deadline(MODEL, TRAINING, chip, 30.0)
    p90 = min_count_for_deadline(MODEL, TRAINING, chip, 30.0, confidence="p90", sigma=0.25)
    assert p90.min_count > p50.min_count
    assert p90.wall_clock_days <= 30.0 / 1.37  # exp(1.2816 × 0.25) = 1.378


def test_impossible_deadline_says_why_in_one_line():
    chip = get_accelerator("H100-SXM")
    answer = min_count_for_deadline(MODEL, TRAINING, chip, 0.01, max_count=4096)
    assert answer.min_count is None
    assert answer.reason and "\n" not in answer.reason and "4,096" in answer.reason


def test_latest_start_plus_days_is_the_deadline():
    deadline = dt.date(2026, 6, 30)
    for days in (1.0, 30.2, 89.99, 90.0):
        start = latest_start(deadline, days)
        assert abs((start + dt.timedelta(days=days)) - deadline) <= dt.timedelta(days=1)
        assert start + dt.timedelta(days=days) <= deadline + dt.timedelta(seconds=1)


def test_reachable_compute_scales_the_run_to_the_deadline():
    est = estimate(MODEL, TRAINING, get_accelerator("H100-SXM"), 512)
    reach = reachable_compute(est, est.wall_clock_days / 2)
    assert reach["tokens"] == pytest.approx(TRAINING.tokens / 2)
    # at the same plan: the global batch held (the default batch grows with the tokens)
    half = TrainingSpec(tokens=reach["tokens"], seq_len=4096,
                        global_batch_tokens=est.plan.global_batch_tokens)
    again = estimate(MODEL, half, get_accelerator("H100-SXM"), 512)
    assert again.wall_clock_days == pytest.approx(est.wall_clock_days / 2, rel=1e-6)


def test_project_scenario_answers_are_consistent_with_evaluation():
    project = load_project(EXAMPLE)
    scenario = project.scenarios[0]
    out = solve_scenario(scenario, project, deadline_days=200.0, max_count=65536)
    usable = [r for r in out["options"] if r["policy_status"] == "usable"]
    assert usable and out["cheapest_meeting"] is not None
    for r in usable:
        assert r["min_count"] is not None
        assert r["holds_enough"] == (r["min_count"] <= r["held"])
        start = dt.date.fromisoformat(r["latest_start"])
        end = scenario.date + dt.timedelta(days=200)
        assert abs((start - end).days + r["wall_clock_days"]) <= 1
    tight = solve_scenario(scenario, project, deadline_days=1.0, max_count=4096)
    assert tight["cheapest_meeting"] is None and "deadline is 1 days" in tight["reason"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.main", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_cli_contract():
    proc = _cli("solve", "--model", "llama-3.1-8b", "--tokens", "2T", "--accelerator", "H100-SXM",
                "--deadline-days", "30", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["min_count"] >= 1 and out["wall_clock_days"] <= 30 and out["plan"]["tp"] >= 1
    dated = _cli("solve", "--model", "llama-3.1-8b", "--tokens", "2T", "--accelerator", "H100-SXM",
                 "--date", "2026-01-01", "--deadline", "2026-01-31", "--json")
    assert json.loads(dated.stdout)["min_count"] == out["min_count"]
    none = _cli("solve", "--model", "llama-3.1-8b", "--tokens", "2T", "--accelerator", "H100-SXM",
                "--deadline-days", "0.01", "--max-count", "1024", "--json")
    assert none.returncode == 0
    assert json.loads(none.stdout)["min_count"] is None and json.loads(none.stdout)["reason"]
    project = _cli("solve", str(EXAMPLE), "--scenario", "1", "--deadline-days", "120", "--json")
    assert project.returncode == 0, project.stderr
    assert "options" in json.loads(project.stdout)
    every = _cli("solve", str(EXAMPLE), "--scenario", "all", "--deadline-days", "150", "--json")
    assert every.returncode == 0, every.stderr
    scenarios = json.loads(every.stdout)["scenarios"]
    assert len(scenarios) == len(load_project(EXAMPLE).scenarios)
    assert all(s["deadline_days"] == 150 for s in scenarios)
    bad = _cli("solve", "--model", "llama-3.1-8b", "--tokens", "2T", "--accelerator", "H100-SXM")
    assert bad.returncode == 2 and "--deadline" in bad.stderr and bad.stderr.count("\n") == 1
