"""Copying a preset regime into a project and editing its rules (headless)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import InputError
from core.policy import get_regime
from core.project import load_project
from core.regimes import copy_regime, delete_regime, edit_rule, is_project_regime, project_regimes
from core.resources import resource
from core.scenario_eval import evaluate_scenario


@pytest.fixture()
def project():
    return load_project(resource("examples", "southeast-asia-route.json"))


def test_copy_keeps_rules_and_sources_and_leaves_the_preset(project):
    new, rid = copy_regime(project, "in-force", "Stricter 2026")
    assert rid == "custom-stricter-2026" and is_project_regime(new, rid)
    copy = project_regimes(new)[rid]
    preset = get_regime("in-force")
    assert copy.rule_ids() == preset.rule_ids()
    assert all(r.source for r in copy.rules)
    assert "Copy of" in copy.description
    again, rid2 = copy_regime(new, "in-force", "Stricter 2026")
    assert rid2 == "custom-stricter-2026-2"
    assert len(again.regimes) == len(project.regimes) + 2


def test_edit_rule_changes_the_verdict_and_is_validated(project):
    new, rid = copy_regime(project, "in-force", "No H20 licences")
    h20 = 3  # "4 H20 under the Aug 2025 licences": needs a licence under the real rules
    assert evaluate_scenario(new.scenarios[h20], new).verdict == "needs_license"
    scenarios = list(new.scenarios)
    s = scenarios[h20]
    scenarios[h20] = s.model_copy(update={"policy": s.policy.model_copy(update={"regime": rid})})
    new = new.model_copy(update={"scenarios": scenarios})
    edited = edit_rule(new, rid, "R9", outcome="prohibited")
    result = evaluate_scenario(edited.scenarios[h20], edited)
    assert result.verdict == "infeasible"
    # the preset itself is untouched
    assert get_regime("in-force").rule("R9").outcome == "license"
    # licence terms are edited through the same call
    share = edit_rule(new, rid, "R9", revenue_share_pct=30)
    assert project_regimes(share)[rid].rule("R9").licence.revenue_share_pct == 30
    moved = edit_rule(new, rid, "R9", effective="2025-12-01")
    assert project_regimes(moved)[rid].rule("R9").effective == dt.date(2025, 12, 1)


@pytest.mark.parametrize("changes,needle", [
    ({"approval_likelihood": 1.5}, "approval_likelihood"),
    ({"effective": "yesterday"}, "effective"),
    ({"ends": dt.date(2020, 1, 1)}, "ends"),
    ({"outcome": "maybe"}, "outcome"),
    ({"title": "x"}, "not editable"),
])
def test_bad_rule_edits_name_the_field(project, changes, needle):
    new, rid = copy_regime(project, "in-force", "Edits")
    with pytest.raises(InputError, match=needle):
        edit_rule(new, rid, "R9", **changes)


def test_presets_are_not_editable_and_delete_falls_back(project):
    with pytest.raises(InputError, match="copy it into the project"):
        edit_rule(project, "in-force", "R9", outcome="allowed")
    rid = project.regimes[0]["id"]
    gone = delete_regime(project, rid)
    assert not is_project_regime(gone, rid)
    assert all(s.policy.regime != rid for s in gone.scenarios)
