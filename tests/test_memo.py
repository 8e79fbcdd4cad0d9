"""The memo of the plan search and of pool verdicts (core/memo.py) never shows a stale number:
a project with repeated pools evaluates exactly as each scenario does on its own with nothing
remembered, and every input of a pool, of its regime and of the physics still counts."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.bench_large import build_project
from core import memo
from core.catalog import get_accelerator
from core.estimate import estimate
from core.project import load_project, project_from_dict
from core.regimes import edit_rule
from core.resources import resource
from core.scenario import Scenario
from core.scenario_eval import _POOL_VERDICTS, evaluate_scenario, result_dict

ROOT = Path(__file__).resolve().parent.parent


def _json(scenario: Scenario, project=None) -> str:
    return json.dumps(result_dict(scenario, evaluate_scenario(scenario, project)), default=str, sort_keys=True)


def _fresh(scenario: Scenario, project=None) -> str:
    memo.clear_all()
    return _json(scenario, project)


@pytest.fixture(scope="module")
def sweep():
    """One fleet of 8 pools in the 10 variants of benchmarks/bench_large.py (dates, regimes,
    prices, pending licences, HQ, deadline, a resized pool, a replaced pool)."""
    return project_from_dict(build_project(n_scenarios=10, n_pools=8))


def test_repeated_pools_give_what_each_scenario_gives_alone(sweep):
    memo.clear_all()
    together = [_json(s, sweep) for s in sweep.scenarios]
    assert estimate.memo.hits > 0 and _POOL_VERDICTS.hits > 0  # the memo was used...
    alone = [_fresh(s, sweep) for s in sweep.scenarios]
    assert together == alone  # ...and changed nothing


def test_a_fresh_process_agrees(sweep, tmp_path):
    memo.clear_all()
    warm = [json.loads(_json(s, sweep)) for s in sweep.scenarios]
    path = tmp_path / "sweep.json"
    path.write_text(sweep.model_dump_json(), encoding="utf-8")
    last = sweep.scenarios[-1].name  # evaluated last above, with the most remembered
    proc = subprocess.run([sys.executable, "-m", "core.cli", "evaluate", str(path), "--json", "--scenario", last],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout)["scenarios"][0] == warm[-1]


@pytest.fixture(scope="module")
def example():
    return load_project(resource("examples", "southeast-asia-route.json"))


def _changed(scenario: Scenario, **pool_changes) -> Scenario:
    pool = scenario.fleet[0].model_copy(update=pool_changes)
    return scenario.model_copy(update={"fleet": [pool]})


def test_every_input_of_a_pool_counts(example):
    lease = example.scenarios[0]  # 4,096 H100 leased in Johor, in force
    memo.clear_all()
    base = json.loads(_json(lease, example))
    variants = {
        "price": _changed(lease, price_per_hour_usd=3.5),
        "count": _changed(lease, count=2048),
        "network": _changed(lease, network_gbs=12.5),
        "date": lease.model_copy(update={"date": dt.date(2026, 6, 1)}),
        "regime": lease.model_copy(update={"policy": lease.policy.model_copy(
            update={"regime": "hypo-my-th-licence"})}),
        "physics": lease.model_copy(update={"physics": lease.physics.model_copy(
            update={"kernel_efficiency": 0.3})}),
    }
    for what, scenario in variants.items():
        warm = json.loads(_json(scenario, example))  # evaluated with the base remembered
        assert warm == json.loads(_fresh(scenario, example)), what
        _json(lease, example)  # remember the base again for the next variant
        assert warm != base, what
    assert json.loads(_json(variants["price"], example))["cost_usd"] != base["cost_usd"]
    assert json.loads(_json(variants["count"], example))["plan"] != base["plan"]
    assert json.loads(_json(variants["network"], example))["wall_clock_days"] != base["wall_clock_days"]
    assert json.loads(_json(variants["regime"], example))["verdict"] != base["verdict"]


def test_a_pool_changes_status_with_its_date(example):
    h20 = example.scenarios[3]  # H20 in China: a licence from Aug 2025, none needed in mid-2024
    memo.clear_all()
    assert json.loads(_json(h20, example))["verdict"] == "needs_license"
    earlier = h20.model_copy(update={"date": dt.date(2024, 6, 1)})
    assert json.loads(_json(earlier, example))["verdict"] == "feasible"


def test_editing_a_project_regime_is_seen_by_every_scenario_using_it(example):
    """The stale-verdict case of issue 9: a second scenario on the same project regime, then an
    edit of that regime's decisive rule."""
    closed = example.scenarios[1]
    twin = closed.model_copy(update={"name": "twin"})
    project = example.model_copy(update={"scenarios": [*example.scenarios, twin]})
    memo.clear_all()
    before = evaluate_scenario(twin, project)
    assert before.verdict == "infeasible"
    edited = project
    for _ in range(2):  # two hypothetical rules block this lease: allow one, then the other
        rule = evaluate_scenario(twin, edited).policy[0]["decisive_rule"]
        edited = edit_rule(edited, closed.policy.regime, rule, outcome="allowed")
        after = json.loads(_json(twin, edited))
        assert after["policy"][0]["decisive_rule"] != rule
        assert after == json.loads(_fresh(twin, edited))
    assert after["verdict"] == "feasible"


def test_a_caller_editing_its_result_cannot_change_the_next(example):
    s = example.scenarios[0]
    chip = get_accelerator("H100-SXM")
    memo.clear_all()
    first = estimate(s.model, s.training, chip, 1024, s.physics)
    first.reasons.append("scribbled")
    assert first.plan is not None and first.memory is not None
    first.memory.total_gb = -1.0
    again = estimate(s.model, s.training, chip, 1024, s.physics)
    assert estimate.memo.hits == 1
    assert again == estimate.uncached(s.model, s.training, chip, 1024, s.physics)
    assert "scribbled" not in again.reasons and again.memory is not None and again.memory.total_gb > 0


def test_the_memo_is_bounded_least_recently_used_first():
    m: memo.Memo[int] = memo.Memo("test", maxsize=3)
    for k in range(3):
        m.get(k, lambda k=k: k * 10)
    assert m.get(0, lambda: -1) == 0  # a hit: 0 is now the most recent
    m.get(3, lambda: 30)  # evicts 1, the least recently used
    assert len(m) == 3
    assert m.get(1, lambda: -1) == -1  # recomputed
    assert m.get(0, lambda: -1) == 0


def test_a_failed_computation_is_not_remembered():
    m: memo.Memo[int] = memo.Memo("test", maxsize=3)

    def boom() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError):
        m.get("k", boom)
    assert len(m) == 0 and m.get("k", lambda: 1) == 1


def test_keys_tell_types_and_fields_apart():
    assert memo.key_part(1) != memo.key_part(1.0) != memo.key_part(True)
    assert memo.key_part(dt.date(2025, 1, 1)) != memo.key_part("2025-01-01")
    chip = get_accelerator("H100-SXM")
    assert memo.key_part(chip) != memo.key_part(chip.with_figures("test", scaleout_gbs=10.0))
    with pytest.raises(TypeError):
        memo.key_part(object())


def test_pool_verdict_keys_stay_small(sweep):
    """Each key is a digest of the full key, not the full key: the regime alone is ~55 kB of JSON
    and every call built its own copy, so 8,192 full keys held hundreds of MB (an analyst's
    session grew ~0.24 MB a step; docs/reliability.md)."""
    memo.clear_all()
    for s in sweep.scenarios:
        evaluate_scenario(s, sweep)
    keys = list(_POOL_VERDICTS._data)
    assert len(keys) >= 8
    assert all(isinstance(k, str) and len(k) <= 64 for k in keys), [len(repr(k)) for k in keys[:3]]
    # and the bound times what a value holds stays well under 100 MB
    per_value = sum(len(repr(v)) for v in _POOL_VERDICTS._data.values()) / len(keys)
    assert per_value * _POOL_VERDICTS.maxsize < 100e6, per_value
