"""Caps summed across pools (issue 11): the AI Diffusion rule's LPP limit is per customer and its
Tier-2 cap per country, so two pools that each pass alone can fail together."""

from __future__ import annotations

import datetime as dt

from core.catalog import accelerators
from core.policy import evaluate_fleet, evaluate_pool, get_regime
from core.presets import get_preset
from core.scenario import PolicySettings, Pool, Scenario
from core.scenario_eval import evaluate_scenario
from core.training import TrainingSpec

DATE = dt.date(2025, 9, 1)
REGIME = "hypo-diffusion-reinstated"


def scenario(pools):
    return Scenario(name="s", date=DATE, hq="SG", model=get_preset("llama-3.1-8b").spec,
                    training=TrainingSpec(tokens=1e11, seq_len=4096), fleet=pools,
                    policy=PolicySettings(regime=REGIME))


def alone(pool):
    return evaluate_pool(pool, accelerators()["H100-SXM"], "SG", DATE, REGIME)


def test_two_lpp_sized_pools_exceed_the_per_customer_limit_together():
    a = Pool(name="a", accelerator="H100-SXM", count=1000, site="MY")
    b = Pool(name="b", accelerator="H100-SXM", count=1000, site="TH")
    assert alone(a).status == "usable" and alone(b).status == "usable"  # 1,000 ≤ 1,700 each
    both = evaluate_fleet(scenario([a, b]), accelerators(), get_regime(REGIME))
    assert [v.status for v in both] == ["needs_license", "needs_license"]
    assert all(v.decisive_rule == "R6-tier2" for v in both)
    assert any("2,000 across the scenario's 2 pools" in r for r in both[0].reasons)


def test_country_cap_counts_pools_in_the_same_country_only():
    a = Pool(name="a", accelerator="H100-SXM", count=30000, site="MY")
    b = Pool(name="b", accelerator="H100-SXM", count=30000, site="MY-Johor")
    c = Pool(name="c", accelerator="H100-SXM", count=30000, site="TH")
    assert alone(a).status == "needs_license"  # 30,000 ≤ 50,000 alone
    same = evaluate_fleet(scenario([a, b]), accelerators(), get_regime(REGIME))
    assert [v.status for v in same] == ["blocked", "blocked"]  # 60,000 in MY
    split = evaluate_fleet(scenario([a, c]), accelerators(), get_regime(REGIME))
    assert [v.status for v in split] == ["needs_license", "needs_license"]


def test_scenario_evaluation_uses_the_sums():
    pools = [Pool(name="a", accelerator="H100-SXM", count=1000, site="MY"),
             Pool(name="b", accelerator="H100-SXM", count=1000, site="TH")]
    res = evaluate_scenario(scenario(pools))
    assert [p["status"] for p in res.policy] == ["needs_license", "needs_license"]
    one = evaluate_scenario(scenario(pools[:1]))
    assert [p["status"] for p in one.policy] == ["usable"]
