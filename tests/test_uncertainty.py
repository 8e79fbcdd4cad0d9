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


# ---- uncertain active parameters (an undisclosed model) --------------------------------------


def _estimate_args(*extra: str) -> list[str]:
    return ["estimate", "--model", "deepseek-v3", "--tokens", "14.8T", "--accelerator",
            "H800-SXM", "--count", "2048", "--precision", "fp8", "--json", "--samples", "4000",
            "--seed", "11", *extra]


def test_deterministic_input_collapses_and_active_params_range_widens_it(est):
    from core.uncertainty import Range

    base = dict(step_s=est.step_time.total, steps=est.steps, chips_used=est.plan.chips_used,
                physics=PhysicsOptions(), sigma=0.0, samples=20000, seed=4)
    point = simulate(**base)
    assert point.wall_clock_days.p10 == pytest.approx(point.wall_clock_days.p90, rel=1e-12)
    assert point.wall_clock_days.p50 == pytest.approx(est.wall_clock_days, rel=1e-9)
    assert "training tokens and active parameters (not marked uncertain)" in point.fixed
    # active parameters ÷/× 1.5 on the 6N share (here 90 % of the FLOPs)
    wide = simulate(**base, active_range=Range(1 / 1.5, 1.5, "test"), active_flops_share=0.9)
    d = wide.wall_clock_days
    assert d.p90 / d.p10 > 1.4  # log-uniform over ×0.67..×1.5 on 90 %: P10 ≈ ×0.74, P90 ≈ ×1.36
    assert d.p50 == pytest.approx(est.wall_clock_days, rel=0.03)
    assert d.p90 <= est.wall_clock_days * (0.9 * 1.5 + 0.1) * (1 + 1e-9)  # never past the high end
    assert d.p10 >= est.wall_clock_days * (0.9 / 1.5 + 0.1) * (1 - 1e-9)
    assert any(i["input"].startswith("active parameters") for i in wide.inputs)
    assert "training tokens (not marked uncertain)" in wide.fixed


def test_active_params_range_schema_is_optional_both_or_neither_and_brackets():
    from core.model import ModelSpec

    spec = get_preset("deepseek-v3").spec
    data = spec.model_dump()
    for key in ("active_params_low", "active_params_high"):  # an old file has neither key
        data.pop(key)
    assert ModelSpec.model_validate(data).active_params_range is None
    n = spec.active_params()
    marked = ModelSpec.model_validate({**data, "active_params_low": n / 2, "active_params_high": n * 2})
    assert marked.active_params_range == (n / 2, n * 2)
    assert marked.active_params() == n  # the point estimate keeps the architecture's count
    with pytest.raises(ValueError, match="both"):
        ModelSpec.model_validate({**data, "active_params_low": n / 2})
    with pytest.raises(ValueError, match="must lie between"):
        ModelSpec.model_validate({**data, "active_params_low": n * 2, "active_params_high": n * 3})


def test_scenario_active_params_range_widens_the_band_around_the_same_p50():
    project = load_project(EXAMPLE)
    base = project.scenarios[2]
    n = base.model.active_params()
    marked = base.model_copy(update={"model": base.model.model_copy(
        update={"active_params_low": n / 1.6, "active_params_high": n * 1.6})})
    plain = option_uncertainty(base, evaluate_scenario(base, project), samples=20000, seed=3)
    wide = option_uncertainty(marked, evaluate_scenario(marked, project), samples=20000, seed=3)
    assert evaluate_scenario(marked, project).best.wall_clock_days == pytest.approx(
        evaluate_scenario(base, project).best.wall_clock_days)  # point estimate unchanged
    ratio = lambda b: b.wall_clock_days.p90 / b.wall_clock_days.p10  # noqa: E731
    assert ratio(wide) > ratio(plain) * 1.1  # on top of the efficiency spread (σ ≈ 0.41)
    assert wide.wall_clock_days.p50 == pytest.approx(plain.wall_clock_days.p50, rel=0.05)
    assert wide.cost_usd.p90 / wide.cost_usd.p10 > plain.cost_usd.p90 / plain.cost_usd.p10
    src = next(i for i in wide.inputs if i["input"].startswith("active parameters"))
    assert 0.5 < src["flops_share"] < 1.0 and "active_params_low" in src["source"]


def test_cli_active_params_range_is_reproducible_and_wider():
    a = _cli(*_estimate_args("--active-params-low", "25B", "--active-params-high", "56B"))
    b = _cli(*_estimate_args("--active-params-low", "25B", "--active-params-high", "56B"))
    plain = _cli(*_estimate_args())
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout  # same seed: byte-identical
    ua, up = json.loads(a.stdout)["uncertainty"], json.loads(plain.stdout)["uncertainty"]
    point = json.loads(a.stdout)["wall_clock_days"]
    assert point == json.loads(plain.stdout)["wall_clock_days"]
    width = lambda u: u["wall_clock_days"]["p90"] / u["wall_clock_days"]["p10"]  # noqa: E731
    assert width(ua) > width(up)
    assert ua["wall_clock_days"]["p50"] == pytest.approx(point, rel=0.06)
    bad = _cli(*_estimate_args("--active-params-low", "40B", "--active-params-high", "60B"))
    assert bad.returncode == 2 and "--active-params-low" in bad.stderr
    assert bad.stderr.count("\n") == 1


# ---- price and electricity ranges for owned chips -------------------------------------------


def _owned(project, chip: str, site: str, **pool):
    base = project.scenarios[2]
    fleet = [base.fleet[0].model_copy(update={"accelerator": chip, "site": site, "access": "own",
                                              "unit_price_usd": None, **pool})]
    return base.model_copy(update={"fleet": fleet, "hq": "US"})


def test_owned_chip_samples_sourced_price_and_electricity_ranges():
    from core.uncertainty import Range, describe_method

    project = load_project(EXAMPLE)
    s = _owned(project, "H100-SXM", "US")
    result = evaluate_scenario(s, project)
    band = option_uncertainty(s, result, samples=20000, seed=1)
    names = {i["input"] for i in band.inputs}
    assert {"chip price", "electricity price"} <= names
    chip = next(i for i in band.inputs if i["input"] == "chip price")
    assert chip["low"] == pytest.approx(25000 / 30000) and chip["high"] == pytest.approx(40000 / 30000)
    assert "S18" in chip["source"]
    kwh = next(i for i in band.inputs if i["input"] == "electricity price")
    assert kwh["high"] == pytest.approx(0.091 / 0.0806)
    assert not any(f.startswith(("chip price", "electricity")) for f in band.fixed)
    # with efficiency collapsed, only the prices move the cost: inside the sourced envelope
    opt = result.best
    priced = simulate(step_s=opt.estimate.step_time.total, steps=opt.estimate.steps,
                      chips_used=opt.estimate.plan.chips_used, physics=s.physics, sigma=0.0,
                      cost_parts=opt.cost_breakdown,
                      unit_price_range=Range(25000 / 30000, 40000 / 30000, "S18"),
                      samples=20000, seed=2)
    assert priced.wall_clock_days.p10 == pytest.approx(priced.wall_clock_days.p90)
    assert opt.cost_usd * 25 / 30 < priced.cost_usd.p10 < opt.cost_usd < priced.cost_usd.p90 \
        < opt.cost_usd * 40 / 30
    text = describe_method([band])
    assert "chip price" in text and "electricity price" in text.split("treated as certain")[0]


def test_typed_or_unsourced_prices_are_said_to_be_certain():
    from core.uncertainty import describe_method

    project = load_project(EXAMPLE)
    typed = _owned(project, "H100-SXM", "SG", unit_price_usd=31000.0)
    band = option_uncertainty(typed, evaluate_scenario(typed, project), samples=1000)
    assert "chip price (typed by the user)" in band.fixed
    assert "electricity price (no sourced range for SG)" in band.fixed  # one SG tariff figure
    assert not any(i["input"] in ("chip price", "electricity price") for i in band.inputs)
    single = _owned(project, "Ascend-910B", "US")
    band = option_uncertainty(single, evaluate_scenario(single, project), samples=1000)
    assert band is not None and any("no range" in f for f in band.fixed)
    text = describe_method([band])
    assert "treated as certain" in text and "chip price" in text.split("treated as certain")[1]


def test_tornado_uses_the_sourced_price_ranges_where_they_exist():
    from core.sensitivity import tornado

    project = load_project(EXAMPLE)
    bars = {b.input: b for b in tornado(_owned(project, "H100-SXM", "US"), project).bars}
    chip = bars["chip price"]
    assert "sourced price range" in chip.basis and chip.low_label == "$25,000"
    assert chip.cost_high > chip.cost_low
    assert "sourced range" in bars["electricity"].basis
    assert bars["electricity"].high_label == "$0.091/kWh"
    bars = {b.input: b for b in tornado(_owned(project, "Ascend-910B", "US"), project).bars}
    assert bars["chip price"].basis.startswith("what-if")  # one broker quote: no range


def test_time_vs_count_band_follows_the_scenario_ranges():
    import math

    from core.chart_data import time_vs_count
    from core.uncertainty import Z90, days_band_factors, efficiency_sigma

    project = load_project(EXAMPLE)
    base = project.scenarios[2]
    chip = base.fleet[0].accelerator
    sigma, _ = efficiency_sigma(chip, base.physics.maturity)
    assert days_band_factors(base, chip) == (math.exp(-Z90 * sigma), math.exp(Z90 * sigma))
    n = base.model.active_params()
    marked = base.model_copy(update={"model": base.model.model_copy(
        update={"active_params_low": n / 2, "active_params_high": n * 2})})
    lo, hi = days_band_factors(marked, chip)
    assert hi / lo > math.exp(2 * Z90 * sigma) * 1.1  # wider than the efficiency spread alone
    assert days_band_factors(marked, chip) == (lo, hi)  # seeded
    series = time_vs_count(marked, project).series[0]
    assert (series.p10_factor, series.p90_factor) == (lo, hi)


def test_tornado_has_an_active_params_bar_only_when_the_scenario_marks_them_uncertain():
    """The tornado's bar for an undisclosed model's active parameters scales the 6·N share of the
    work as core.uncertainty does: days × (share·a + 1 − share) at each end of the range."""
    from core.sensitivity import tornado
    from core.uncertainty import active_params_factors

    project = load_project(EXAMPLE)
    base = project.scenarios[2]
    assert all(b.input != "active parameters" for b in tornado(base, project).bars)
    n = base.model.active_params()
    marked = base.model_copy(update={"model": base.model.model_copy(
        update={"active_params_low": n / 1.6, "active_params_high": n * 1.6})})
    t = tornado(marked, project)
    bar = next(b for b in t.bars if b.input == "active parameters")
    _, share = active_params_factors(marked.model, marked.training.seq_len)
    assert 0.5 < share < 1.0  # attention FLOPs do not scale with N
    assert bar.days_low == pytest.approx(t.base_days * (share / 1.6 + 1 - share), rel=0.01)
    assert bar.days_high == pytest.approx(t.base_days * (share * 1.6 + 1 - share), rel=0.01)
    assert bar.days_high < t.base_days * 1.6  # not the whole step: only the 6·N share
    assert bar.cost_low < t.base_cost < bar.cost_high
    assert "active-parameter range" in bar.basis and f"{share:.0%}" in bar.basis


def test_evaluate_json_sets_p_budget_and_p_deadline_where_the_scenario_has_them(tmp_path):
    """The contract: per scenario, ``p_budget`` only with a budget and ``p_deadline`` only with a
    deadline, each the probability over the same samples as the ``uncertainty`` bands."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    proc = _cli("evaluate", str(EXAMPLE), "--json", "--samples", "2000", "--seed", "1")
    first = json.loads(proc.stdout)["scenarios"]
    chosen = [i for i, s in enumerate(first) if s["uncertainty"] and s["uncertainty"]["cost_usd"]]
    assert chosen
    i = chosen[0]
    cost = first[i]["uncertainty"]["cost_usd"]
    assert "p_budget" not in first[i]  # no budget set: no key
    data["scenarios"][i]["constraints"]["budget_usd"] = cost["p50"]  # about half the samples
    data["scenarios"][i]["constraints"]["deadline_days"] = None
    path = tmp_path / "budget.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    proc = _cli("evaluate", str(path), "--json", "--samples", "2000", "--seed", "1")
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)["scenarios"][i]
    assert "p_deadline" not in s
    assert s["p_budget"] == s["uncertainty"]["p_budget"]
    p_licence = s["uncertainty"]["p_licence"] or 1.0
    assert s["p_budget"] == pytest.approx(0.5 * p_licence, abs=0.05)
    text = _cli("evaluate", str(path), "--scenario", s["scenario"], "--samples", "2000",
                "--seed", "1")
    assert text.returncode == 0, text.stderr
    assert f"Chance: {s['p_budget']:.0%} to stay within the budget" in text.stdout
    assert "to meet the deadline" not in text.stdout  # no deadline set
