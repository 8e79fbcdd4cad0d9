"""Diversion / smuggling as an access route (issue 11): blocked under the law, and priced as
"if smuggled" with the sourced grey-market premium and the assumed seizure likelihood."""

from __future__ import annotations

import datetime as dt

import pytest

from core.presets import get_preset
from core.scenario import SMUGGLED_PREMIUM_PCT, CostSettings, PolicySettings, Pool, Scenario
from core.scenario_eval import evaluate_scenario
from core.training import TrainingSpec


def scenario(pools, policy=None, cost=None, date=dt.date(2025, 6, 1), hq="CN"):
    return Scenario(
        name="s", date=date, hq=hq, model=get_preset("llama-3.1-8b").spec,
        training=TrainingSpec(tokens=1e12, seq_len=4096), fleet=pools,
        policy=policy or PolicySettings(), cost=cost or CostSettings(),
    )


def smuggled_option(res):
    [opt] = [o for o in res.options if o.policy_status == "blocked"]
    return opt


def test_smuggled_h100_is_blocked_but_priced_if_smuggled():
    res = evaluate_scenario(scenario([Pool(accelerator="H100-SXM", count=1000, site="CN", access="smuggled")]))
    [pol] = res.policy
    assert pol["status"] == "blocked" and pol["decisive_rule"] == "R3"
    assert pol["approval_likelihood"] == 0 and pol["tariff_pct"] == 0 and pol["revenue_share_pct"] == 0
    assert res.best is None  # the law wins: a blocked route is never the chosen one
    opt = smuggled_option(res)
    assert opt.label.endswith("(if smuggled)")
    assert opt.usable_count == 900  # 10% seizure likelihood (assumption)
    assert opt.reasons[0].startswith("if smuggled:")
    b = opt.cost_breakdown
    assert b["grey_market_premium"] > 0
    assert any("grey-market premium 50%" in r for r in opt.reasons)


def test_seizure_likelihood_and_premium_are_scenario_inputs():
    pools = [Pool(accelerator="H100-SXM", count=1000, site="CN", access="smuggled")]
    base = smuggled_option(evaluate_scenario(scenario(pools)))
    risky = smuggled_option(evaluate_scenario(scenario(pools, policy=PolicySettings(smuggling_seizure_likelihood=0.5))))
    assert risky.usable_count == 500
    assert risky.wall_clock_days > base.wall_clock_days
    dear = smuggled_option(evaluate_scenario(scenario(pools, cost=CostSettings(grey_market_premium_pct=100))))
    assert dear.cost_breakdown["grey_market_premium"] == pytest.approx(
        base.cost_breakdown["grey_market_premium"] * 100 / SMUGGLED_PREMIUM_PCT, rel=1e-9)


def test_uncontrolled_chip_needs_no_smuggling():
    res = evaluate_scenario(scenario([Pool(accelerator="RTX-4090D", count=1000, site="CN", access="smuggled")]))
    [pol] = res.policy
    assert pol["status"] == "usable"
    assert "could be bought without smuggling" in pol["explanation"]


def test_legal_pools_pay_no_premium_by_default():
    res = evaluate_scenario(scenario([Pool(accelerator="H100-SXM", count=1000, site="US", access="own")], hq="US"))
    assert res.best is not None and res.best.cost_breakdown["grey_market_premium"] == 0
