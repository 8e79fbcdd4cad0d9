"""The 'unknown' pool status (issue 11: the Affiliates rule after 2026-11-10) followed through every
consumer: the scenario verdict, the solver, the impact comparison, the CLI and the JSON contract.

An unknown pool counts neither as usable nor as blocked: it forms its own option, estimated as if
the chips were usable, and the verdict says ``unknown`` (docs/policy.md, "Unknown status")."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.cli import main
from core.impact import impact
from core.presets import get_preset
from core.scenario import PolicySettings, Pool, Scenario
from core.scenario_eval import evaluate_scenario
from core.solve import solve_scenario
from core.training import TrainingSpec

LATE = dt.date(2026, 11, 20)  # after the Affiliates rule's suspension ended (2026-11-10)
OWNED = PolicySettings(end_user_listed_owner_pct=50)


def _scenario(fleet, date=LATE, policy=OWNED, **over) -> Scenario:
    preset = get_preset("llama-3.1-8b")
    return Scenario(name="affiliate", date=date, hq="MY", model=preset.spec,
                    training=TrainingSpec(tokens=1e12, seq_len=4096), fleet=fleet, policy=policy, **over)


def _h100(count=256, **over) -> Pool:
    return Pool(**{"accelerator": "H100-SXM", "count": count, "site": "MY-Johor", "access": "own", **over})


def test_unknown_pool_gives_an_unknown_verdict_with_an_estimate():
    r = evaluate_scenario(_scenario([_h100()]))
    assert r.verdict == "unknown"
    [opt] = r.options
    assert opt.policy_status == "unknown" and opt.verdict == "unknown"
    assert opt.wall_clock_days is not None and opt.usable_count == 256  # the estimate ran
    assert r.best is opt  # chosen, but the verdict says the status is unknown
    assert r.reasons[0].startswith("status unknown: fastest option, if the rule whose status is not sourced")
    assert any(x.startswith("unknown: R-affiliates-unknown decides") for x in r.reasons)
    pol = r.policy[0]
    assert pol["status"] == "unknown" and pol["decisive_rule"] == "R-affiliates-unknown"
    assert pol["approval_likelihood"] == 0 and pol["usable_count"] == 0  # the JSON keys stay
    # the other readings: suspended (rule disabled) and reimposed (regime)
    off = OWNED.model_copy(update={"disabled_rules": ["R-affiliates-unknown"]})
    assert evaluate_scenario(_scenario([_h100()], policy=off)).verdict == "feasible"
    back = OWNED.model_copy(update={"regime": "affiliates-reimposed"})
    assert evaluate_scenario(_scenario([_h100()], policy=back)).verdict == "infeasible"


def test_a_usable_route_outranks_an_unknown_one_and_is_not_merged_with_it():
    # an H100 stockpile exported during the suspension is not reached by either reading
    held = _h100(count=128, acquired=dt.date(2026, 3, 1), access="stockpile", name="held")
    new = _h100(count=1024, name="new")
    r = evaluate_scenario(_scenario([held, new]))
    statuses = sorted(o.policy_status for o in r.options)
    assert statuses == ["unknown", "usable"]
    usable = next(o for o in r.options if o.policy_status == "usable")
    unknown = next(o for o in r.options if o.policy_status == "unknown")
    assert usable.count == 128 and unknown.count == 1152  # the unknown option adds the usable pool
    assert r.verdict == "feasible" and r.best is usable  # fewer chips, but a known status wins
    assert unknown.wall_clock_days < usable.wall_clock_days


def test_solver_does_not_count_an_unknown_route_as_meeting_the_deadline():
    s = _scenario([_h100()])
    out = solve_scenario(s, deadline_days=3650)
    [row] = out["options"]
    assert out["verdict"] == "unknown" and row["policy_status"] == "unknown"
    assert row["meets_deadline_as_held"] is True  # it would, as held, if the rule does not apply
    assert out["cheapest_meeting"] is None
    assert "status is not sourced" in out["reason"]


def test_impact_reports_unknown_feasibility():
    s = _scenario([_h100()])
    out = impact(s, after_regime="affiliates-reimposed")
    assert out.before.verdict == "unknown" and out.after.verdict == "infeasible"
    assert out.feasibility == "unknown"
    assert "status is not sourced" in out.headline and "status unknown" in out.headline
    known = impact(_scenario([_h100()], date=dt.date(2026, 3, 1)), after_regime="affiliates-reimposed")
    assert known.feasibility == "kept"  # during the suspension both readings agree


def test_cli_estimate_prints_unknown_and_takes_the_end_user_type(capsys):
    args = ["estimate", "--model", "llama-3.1-8b", "--tokens", "1T", "--accelerator", "H200-SXM",
            "--count", "256", "--site", "CN", "--hq", "CN", "--date", "2026-02-15"]
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["policy"][0]["status"] == "needs_license"
    assert main([*args, "--end-user", "state_owned", "--json"]) == 0
    pol = json.loads(capsys.readouterr().out)["policy"][0]
    assert pol["status"] == "blocked" and pol["decisive_rule"] == "CN-H200-approval-2026-01"
    assert "China's government" in pol["summary"]
    assert main([*args, "--end-user", "state_owned"]) == 0
    text = capsys.readouterr().out
    assert "Verdict: INFEASIBLE" in text and "prohibited by China's government" in text
    with pytest.raises(SystemExit) as exc:
        main([*args, "--end-user", "ministry"])
    assert exc.value.code == 2
    assert "--end-user" in capsys.readouterr().err


def test_cli_choices_are_the_schema_vocabulary():
    from core.cli import build_parser
    from core.scenario import END_USER_TYPES

    est = next(a for a in build_parser()._subparsers._group_actions[0].choices["estimate"]._actions  # type: ignore[union-attr]
               if a.dest == "end_user")
    assert tuple(est.choices) == tuple(END_USER_TYPES)


def test_a_smuggled_pool_under_an_unknown_rule_stays_unknown():
    r = evaluate_scenario(_scenario([_h100(access="smuggled")]))
    assert r.policy[0]["status"] == "unknown"
    assert "no sourced status" in r.policy[0]["explanation"]
