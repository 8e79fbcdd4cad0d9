"""P10/P50/P90 bands (core.uncertainty): they collapse onto the point estimate when nothing is
uncertain, widen with the spread, reproduce with a seed, and price licences and deadlines."""

from __future__ import annotations

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
from core.scenario_eval import evaluate_scenario, result_dict
from core.training import PhysicsOptions, TrainingSpec
from core.uncertainty import estimate_uncertainty, option_uncertainty, simulate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = resource("examples") / "southeast-asia-route.json"


@pytest.fixture(scope="module")
def est():
    model = get_preset("llama-3.1-70b").spec if "llama-3.1-70b" in _presets() else \
        get_preset("deepseek-v3").spec
    return estimate(model, TrainingSpec(tokens=2e12, seq_len=4096), get_accelerator("H100-SXM"),
                    1024)


def _presets():
    from core.presets import load_presets

    return load_presets()


def test_band_collapses_to_the_point_estimate_without_spread(est):
    band = simulate(step_s=est.step_time.total, steps=est.steps, chips_used=est.plan.chips_used,
                    physics=PhysicsOptions(), sigma=0.0, samples=500, seed=3)
    for q in (band.wall_clock_days.p10, band.wall_clock_days.p50, band.wall_clock_days.p90):
        assert q == pytest.approx(est.wall_clock_days, rel=1e-9)
    assert band.gpu_hours.p50 == pytest.approx(est.gpu_hours, rel=1e-9)


def test_median_is_the_point_estimate_and_the_band_widens_with_sigma(est):
    narrow = simulate(step_s=est.step_time.total, steps=est.steps, chips_used=est.plan.chips_used,
                      physics=PhysicsOptions(), sigma=0.1, samples=20000, seed=1)
    wide = simulate(step_s=est.step_time.total, steps=est.steps, chips_used=est.plan.chips_used,
                    physics=PhysicsOptions(), sigma=0.3, samples=20000, seed=1)
    assert narrow.wall_clock_days.p50 == pytest.approx(est.wall_clock_days, rel=0.02)
    ratio = wide.wall_clock_days.p90 / wide.wall_clock_days.p10
    assert ratio > narrow.wall_clock_days.p90 / narrow.wall_clock_days.p10 > 1.2
    # lognormal: P90/P50 = exp(1.2816 σ)
    assert wide.wall_clock_days.p90 / wide.wall_clock_days.p50 == pytest.approx(
        2.718281828 ** (1.2816 * 0.3), rel=0.03)


def test_same_seed_same_numbers_other_seed_other_numbers(est):
    a = estimate_uncertainty(est, PhysicsOptions(), samples=1000, seed=7)
    b = estimate_uncertainty(est, PhysicsOptions(), samples=1000, seed=7)
    c = estimate_uncertainty(est, PhysicsOptions(), samples=1000, seed=8)
    assert a == b
    assert a.wall_clock_days != c.wall_clock_days


def test_deadline_and_licence_probabilities(est):
    base = dict(step_s=est.step_time.total, steps=est.steps, chips_used=est.plan.chips_used,
                physics=PhysicsOptions(), sigma=0.2, samples=20000, seed=2)
    days = est.wall_clock_days
    assert simulate(**base, deadline_days=days * 100).p_deadline == 1.0
    assert simulate(**base, deadline_days=days / 100).p_deadline == 0.0
    assert simulate(**base, deadline_days=days).p_deadline == pytest.approx(0.5, abs=0.02)
    licensed = simulate(**base, deadline_days=days * 100, approval=0.3)
    assert licensed.p_deadline == pytest.approx(0.3, abs=0.02)
    assert licensed.p_licence == 0.3


def test_cost_band_follows_time_and_lease_quotes(est):
    parts = {"compute_rent": 1e6, "egress_storage": 3e4, "amortisation": 0.0, "energy": 0.0}
    fixed = simulate(step_s=est.step_time.total, steps=est.steps, chips_used=est.plan.chips_used,
                     physics=PhysicsOptions(), sigma=0.0, cost_parts=parts, samples=1000, seed=0)
    assert fixed.cost_usd.p10 == pytest.approx(1.03e6) and fixed.cost_usd.p90 == pytest.approx(1.03e6)
    quoted = simulate(step_s=est.step_time.total, steps=est.steps, chips_used=est.plan.chips_used,
                      physics=PhysicsOptions(), sigma=0.0, cost_parts=parts,
                      rent_range=(0.5, 1.5), samples=20000, seed=0)
    assert quoted.cost_usd.p10 == pytest.approx(1.03e6 * 0.6, rel=0.02)
    assert quoted.cost_usd.p90 == pytest.approx(1.03e6 * 1.4, rel=0.02)


def test_scenario_options_get_bands_and_probabilities():
    project = load_project(EXAMPLE)
    for scenario in project.scenarios:
        result = evaluate_scenario(scenario, project)
        out = result_dict(scenario, result, samples=500, seed=0)
        band = option_uncertainty(scenario, result, samples=500, seed=0)
        if result.chosen is None:
            assert out["uncertainty"] is None
            continue
        u = out["uncertainty"]
        assert u["wall_clock_days"]["p10"] < result.best.wall_clock_days < u["wall_clock_days"]["p90"]
        assert band is not None and band.p_licence == (
            None if result.best.policy_status != "needs_license" else band.p_licence)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_cli_json_is_byte_identical_for_a_seed_and_has_the_contract_keys():
    args = ["estimate", "--model", "deepseek-v3", "--tokens", "14.8T", "--accelerator", "H800-SXM",
            "--count", "2048", "--precision", "fp8", "--json", "--samples", "1000", "--seed", "5"]
    a, b = _cli(*args), _cli(*args)
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    u = json.loads(a.stdout)["uncertainty"]
    assert set(u["gpu_hours"]) == {"p10", "p50", "p90"}
    assert set(u["wall_clock_days"]) == {"p10", "p50", "p90"}
    assert "cost_usd" in u and u["samples"] == 1000 and u["seed"] == 5
    other = _cli(*args[:-1], "6")
    assert json.loads(other.stdout)["uncertainty"] != u


def test_evaluate_json_carries_uncertainty_per_scenario():
    proc = _cli("evaluate", str(EXAMPLE), "--json", "--samples", "1000")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert all("uncertainty" in s for s in data["scenarios"])
    assert any(s["uncertainty"] and s["uncertainty"]["cost_usd"] for s in data["scenarios"])


def test_bad_samples_flag_is_one_line_exit_2():
    proc = _cli("estimate", "--model", "deepseek-v3", "--tokens", "1T", "--accelerator",
                "H800-SXM", "--count", "64", "--samples", "0")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "--samples" in proc.stderr


def test_an_uncertain_token_count_widens_the_band_and_drives_the_tornado():
    from core.sensitivity import tornado
    from core.training import TrainingSpec

    project = load_project(EXAMPLE)
    base = project.scenarios[2]
    t = base.training.tokens
    wide = base.model_copy(update={"training": base.training.model_copy(
        update={"tokens_low": t / 2, "tokens_high": t * 2})})
    narrow_band = option_uncertainty(base, evaluate_scenario(base, project), samples=4000)
    wide_band = option_uncertainty(wide, evaluate_scenario(wide, project), samples=4000)
    ratio = wide_band.wall_clock_days.p90 / wide_band.wall_clock_days.p10
    assert ratio > narrow_band.wall_clock_days.p90 / narrow_band.wall_clock_days.p10 * 1.3
    assert any("tokens" in i["input"] for i in wide_band.inputs)
    bar = next(b for b in tornado(wide, project).bars if b.input == "training tokens")
    assert bar.basis == "the scenario's token range" and bar.days_high > 1.8 * bar.days_low
    with pytest.raises(ValueError, match="tokens_low"):
        TrainingSpec(tokens=1e12, tokens_low=2e12, tokens_high=3e12)
    with pytest.raises(ValueError, match="both"):
        TrainingSpec(tokens=1e12, tokens_low=5e11)
