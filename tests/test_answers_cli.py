"""`chokepoint impact` (one row per regime) and `chokepoint sweep` (one input varied) are views
of core.impact and core.sensitivity: their figures equal evaluations of changed scenarios."""

from __future__ import annotations

import json

import pytest

from core.answers_cli import parse_path
from core.cli import main
from core.errors import InputError
from core.project import load_project
from core.resources import resource
from core.scenario_eval import evaluate_scenario
from core.sensitivity import set_path

EXAMPLE = resource("examples") / "southeast-asia-route.json"


def _json(capsys, *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_impact_has_one_row_per_regime_and_deltas_to_the_first(capsys):
    out = _json(capsys, "impact", str(EXAMPLE), "--scenario", "6", "--regime", "in-force",
                "--regime", "hypo-my-th-and-remote-access", "--regime", "none", "--json")
    assert [r["regime"] for r in out["rows"]] == ["in-force", "hypo-my-th-and-remote-access",
                                                  "none"]
    project = load_project(EXAMPLE)
    scenario = project.scenarios[5]
    for row in out["rows"]:
        policy = scenario.policy.model_copy(update={"regime": row["regime"]})
        best = evaluate_scenario(scenario.model_copy(update={"policy": policy}), project).best
        assert row["wall_clock_days"] == pytest.approx(best.wall_clock_days)
        assert row["route"] == best.label
    first, closed = out["rows"][0], out["rows"][1]
    assert closed["delta_days"] == pytest.approx(closed["wall_clock_days"] - first["wall_clock_days"])
    assert "H100" not in closed["route"]  # the lease is blocked: a fallback route


def test_sweep_points_are_evaluations(capsys):
    out = _json(capsys, "sweep", str(EXAMPLE), "--scenario", "3", "--input", "fleet[0].count",
                "--values", "1024,2048", "--json")
    project = load_project(EXAMPLE)
    scenario = project.scenarios[2]
    for point in out["points"]:
        changed = set_path(scenario, ("fleet", 0, "count"), int(point["value"]))
        assert point["days"] == pytest.approx(evaluate_scenario(changed, project).best.wall_clock_days)


def test_paths_and_bad_input():
    assert parse_path("fleet[0].count") == ("fleet", 0, "count")
    assert parse_path("physics.kernel_efficiency") == ("physics", "kernel_efficiency")
    for bad in ("fleet[0]..count", "fleet[x].count", "", "1abc"):
        with pytest.raises(InputError):
            parse_path(bad)


def test_sweep_errors_are_one_line_exit_2(capsys):
    assert main(["sweep", str(EXAMPLE), "--input", "fleet[0].cnt", "--values", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "fleet[0].cnt" in err
    assert main(["sweep", str(EXAMPLE), "--input", "fleet[0].count", "--values", "a,b"]) == 2
    assert "--values" in capsys.readouterr().err


def test_impact_with_a_rule_switched_off(capsys):
    from core.impact import impact

    out = _json(capsys, "impact", str(EXAMPLE), "--scenario", "6", "--disable",
                "hypo-my-th-lease", "--disable", "hypo-remote-access", "--json")
    own = "hypo-my-th-and-remote-access"
    assert [r["regime"] for r in out["rows"]] == [
        own, f"{own} −hypo-my-th-lease −hypo-remote-access"]
    project = load_project(EXAMPLE)
    expected = impact(project.scenarios[5], project,
                      disable=["hypo-my-th-lease", "hypo-remote-access"])
    opened = out["rows"][1]
    assert opened["delta_days"] == pytest.approx(expected.delta_days) and opened["delta_days"] < 0
    assert opened["delta_cost_usd"] == pytest.approx(expected.delta_cost_usd)
    assert "H100-SXM @ MY-Johor" in opened["route"]  # the lease reopens
    assert out["rows"][0]["delta_days"] == 0


def test_impact_unknown_rule_is_one_line_exit_2(capsys):
    assert main(["impact", str(EXAMPLE), "--disable", "no-such-rule"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no-such-rule" in err[0] and "Traceback" not in err[0]


def test_impact_text_states_cost_changes_in_dollars_and_keeps_columns(capsys):
    """Review: the text table gave '$12.7M  (+25 days, -10.5M USD)' (two ways of writing money
    on one line) and a --disable row's long label pushed its columns out of line."""
    assert main(["impact", str(EXAMPLE), "--scenario", "6", "--regime", "in-force",
                 "--regime", "hypo-my-th-and-remote-access", "--disable", "hypo-my-th-lease"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert len(lines) == 3
    assert "(+25 days, -$10.5M)" in lines[1] and "USD" not in "".join(lines)
    assert len({line.index("feasible") for line in lines}) == 1, lines
