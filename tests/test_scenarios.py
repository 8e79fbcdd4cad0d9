"""Scenario evaluation end to end: the bundled example, the evaluate/estimate CLI, bad files."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.catalog import get_accelerator
from core.cli import main
from core.presets import get_preset
from core.project import load_project
from core.resources import resource
from core.scenario import Constraints, Pool, Scenario
from core.scenario_eval import evaluate_scenario
from core.training import TrainingSpec

EXAMPLE = resource("examples", "southeast-asia-route.json")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def example_results():
    project = load_project(EXAMPLE)
    return project, [evaluate_scenario(s, project) for s in project.scenarios]


def test_example_is_generated_from_the_script():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_example.py"), "--check"])
    assert proc.returncode == 0, "resources/examples/southeast-asia-route.json is stale: run scripts/make_example.py"


def test_example_tells_the_story(example_results):
    _project, results = example_results
    verdicts = [r.verdict for r in results]
    # 1 lease in Johor mid-2025: allowed (red flag only); 2 after MY/TH licence + remote access act:
    # blocked; 3 grandfathered H800 stockpile: usable; 4 H20: needs the Aug 2025 licence;
    # 5 domestic Ascend: usable; 6 every route under the closed regime: falls back on the Ascend.
    assert verdicts == ["feasible", "infeasible", "feasible", "needs_license", "feasible",
                        "feasible"]
    lease, closed, stock, h20, ascend, every = results
    assert every.best.accelerator != "H100-SXM"  # the lease is blocked: a fallback route
    assert any(o.accelerator == "H100-SXM" and o.policy_status == "blocked" for o in every.options)
    assert closed.best is None and closed.options[0].policy_status == "blocked"
    assert any("if it were allowed" in r for r in closed.reasons)
    assert stock.best.accelerator == "H800-SXM"
    assert "grandfathered" in " ".join(p["explanation"] for p in stock.policy)
    assert h20.best.cost_breakdown["revenue_share"] > 0  # the 15% share of the Aug 2025 licences
    for r in (lease, stock, ascend):
        best = r.best
        assert 10 < best.wall_clock_days < 180  # the deadline of the example
        assert best.cost_usd > 1e6
        assert best.estimate.memory.total_gb <= best.estimate.memory.usable_hbm_gb
    # the cut NVLink and half the chips make the H800 route slower than the leased H100s
    assert stock.best.wall_clock_days > lease.best.wall_clock_days


def _scenario(**over) -> Scenario:
    preset = get_preset("llama-3.1-8b")
    base = dict(name="s", date=dt.date(2025, 7, 1), hq="CN", model=preset.spec,
                training=TrainingSpec(tokens=1e12, seq_len=4096),
                fleet=[Pool(accelerator="H100-SXM", count=256, site="US", access="lease")])
    base.update(over)
    return Scenario(**base)


def test_deadline_and_budget_make_it_infeasible_with_numbers():
    r = evaluate_scenario(_scenario(constraints=Constraints(deadline_days=1)))
    assert r.verdict == "infeasible"
    assert any("deadline is 1 days" in x for x in r.reasons)
    r = evaluate_scenario(_scenario(constraints=Constraints(budget_usd=1000)))
    assert r.verdict == "infeasible"
    assert any("the budget is $1,000" in x for x in r.reasons)


def test_site_power_budget():
    r = evaluate_scenario(_scenario(
        fleet=[Pool(accelerator="H100-SXM", count=1024, site="US", access="own")],
        constraints=Constraints(site_power_mw=0.5)))
    assert r.verdict == "infeasible"
    assert any("MW" in x and "budget" in x for x in r.reasons)


def test_fastest_compliant_pool_is_chosen():
    r = evaluate_scenario(_scenario(fleet=[
        Pool(name="slow", accelerator="A100-SXM-80GB", count=256, site="US", access="lease"),
        Pool(name="fast", accelerator="H100-SXM", count=256, site="US", access="lease"),
    ]))
    assert r.best.accelerator == "H100-SXM"
    assert len(r.options) == 2


def test_more_expensive_lease_never_cheaper():
    cheap = evaluate_scenario(_scenario(fleet=[Pool(accelerator="H100-SXM", count=256, access="lease",
                                                    price_per_hour_usd=2.0)]))
    dear = evaluate_scenario(_scenario(fleet=[Pool(accelerator="H100-SXM", count=256, access="lease",
                                                   price_per_hour_usd=3.0)]))
    assert dear.best.cost_usd == pytest.approx(cheap.best.cost_usd * 1.5, rel=1e-9)


def test_evaluate_cli_json(capsys):
    assert main(["evaluate", str(EXAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["scenarios"]) == 6
    first = data["scenarios"][0]
    for key in ("verdict", "reasons", "cost_usd", "cost_breakdown", "policy", "plan", "wall_clock_days"):
        assert key in first
    assert {"status", "rule_ids", "explanation"} <= set(first["policy"][0])


def test_evaluate_cli_one_scenario(capsys):
    assert main(["evaluate", str(EXAMPLE), "--scenario", "3 Stockpiled H800 bought before Nov 2023"]) == 0
    assert "H800" in capsys.readouterr().out
    assert main(["evaluate", str(EXAMPLE), "--scenario", "nope"]) == 2
    assert "no scenario named 'nope'" in capsys.readouterr().err


def test_estimate_with_scenario_flags(capsys):
    code = main(["estimate", "--model", "qwen3-235b-a22b", "--tokens", "36T", "--accelerator", "H100-SXM",
                 "--count", "4096", "--site", "MY-Johor", "--access", "lease", "--hq", "CN",
                 "--date", "2025-07-01", "--policy", "hypo-remote-access-act", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "infeasible"
    assert data["policy"][0]["status"] == "blocked"
    code = main(["estimate", "--model", "qwen3-235b-a22b", "--tokens", "36T", "--accelerator", "H100-SXM",
                 "--count", "4096", "--site", "MY-Johor", "--access", "lease", "--hq", "CN",
                 "--date", "2025-07-01", "--price-per-hour", "2.5", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "feasible"
    assert data["cost_breakdown"]["compute_rent"] == pytest.approx(data["gpu_hours"] * 2.5, rel=1e-9)


@pytest.mark.parametrize("flag,value,needle", [("--date", "2025-13-01", "--date"), ("--hq", "China", "--hq"),
                                               ("--site", "Mars-1", "unknown site"),
                                               ("--policy", "in-farce", "did you mean")])
def test_estimate_scenario_flag_errors(capsys, flag, value, needle):
    code = main(["estimate", "--model", "llama-3.1-8b", "--tokens", "1T", "--accelerator", "H100-SXM",
                 "--count", "8", flag, value])
    assert code == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1


def test_bad_project_file_exit_2_and_untouched(capsys, tmp_path):
    data = json.loads(EXAMPLE.read_text())
    data["scenarios"][2]["fleet"][0]["count"] = -5
    bad = tmp_path / "bad.json"
    text = json.dumps(data)
    bad.write_text(text)
    assert main(["evaluate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "scenarios[2].fleet[0].count" in err and len(err.strip().splitlines()) == 1
    assert bad.read_text() == text


def test_project_regime_is_validated_with_a_path(tmp_path, capsys):
    data = json.loads(EXAMPLE.read_text())
    data["regimes"][0]["rules"][0]["effective"] = "not a date"
    bad = tmp_path / "regime.json"
    bad.write_text(json.dumps(data))
    assert main(["evaluate", str(bad), "--scenario", "2 Same lease after MY/TH licence + Remote Access Act"]) == 2
    err = capsys.readouterr().err
    assert "regimes[0].rules[0].effective" in err and len(err.strip().splitlines()) == 1


def test_pool_network_and_kernel_efficiency_are_scenario_inputs():
    """A leased cloud with thinner NICs than the DGX reference, and a less mature software stack,
    are inputs the analyst can set; both slow the run and both are said in the reasons."""
    from core.training import PhysicsOptions

    base = _scenario(fleet=[Pool(accelerator="H100-SXM", count=1024, site="US", access="lease")],
                     training=TrainingSpec(tokens=1e12, seq_len=4096, global_batch_tokens=2**21))
    ref = evaluate_scenario(base).best
    thin = evaluate_scenario(base.model_copy(update={"fleet": [
        Pool(accelerator="H100-SXM", count=1024, site="US", access="lease", network_gbs=3.125)]})).best
    assert thin.wall_clock_days > ref.wall_clock_days
    assert any("3.125 GB/s per chip (scenario input" in r for r in thin.reasons)
    half = round(get_accelerator("H100-SXM").v("kernel_efficiency") / 2, 2)
    slow = evaluate_scenario(base.model_copy(update={"physics": PhysicsOptions(kernel_efficiency=half)})).best
    assert slow.wall_clock_days > ref.wall_clock_days * 1.5  # half the catalog's typical value
    assert any(f"kernel efficiency {half:.0%} (scenario input" in r for r in slow.reasons)
    old = evaluate_scenario(base.model_copy(update={"physics": PhysicsOptions(maturity="legacy")})).best
    assert old.wall_clock_days > ref.wall_clock_days
    assert any("software maturity legacy" in r for r in old.reasons)
