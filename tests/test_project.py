import json
import os
import sys
from pathlib import Path

import pytest

from core.errors import InputError
from core.project import (
    MAX_BYTES,
    SCHEMA_VERSION,
    Project,
    load_project,
    loc_path,
    project_json_schema,
    save_project,
)
from core.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def scenario_dict(**extra):
    d = {
        "name": "base",
        "date": "2026-03-01",
        "model": {"n_layers": 2, "d_model": 64, "n_heads": 4, "ffn_dim": 256, "vocab_size": 1000},
        "training": {"tokens": 1e9},
        "fleet": [{"accelerator": "H100-SXM", "count": 8}],
    }
    d.update(extra)
    return d


def project_dict(**extra):
    d = {"schema_version": 1, "name": "test", "scenarios": [scenario_dict()]}
    d.update(extra)
    return d


def write(tmp_path, content, name="p.json"):
    p = tmp_path / name
    p.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return p


def load_error(tmp_path, content) -> InputError:
    p = write(tmp_path, content)
    before = p.read_bytes()
    with pytest.raises(InputError) as e:
        load_project(p)
    assert p.read_bytes() == before  # a failed load never modifies the file
    return e.value


def full_project() -> Project:
    return Project(
        name="Round trip",
        marking="OFFICIAL-SENSITIVE",
        notes="two scenarios, a regime",
        scenarios=[
            Scenario.model_validate(scenario_dict()),
            Scenario.model_validate(
                scenario_dict(
                    name="lease",
                    hq="US",
                    fleet=[
                        {
                            "accelerator": "H20",
                            "count": 1024,
                            "site": "MY-Johor",
                            "access": "lease",
                            "price_per_hour_usd": 1.85,
                            "acquired": "2025-08-01",
                        }
                    ],
                    constraints={"site_power_mw": 20.5},
                    cost={"electricity_usd_per_kwh": 0.09, "revenue_share_pct": 15},
                )
            ),
        ],
        regimes=[{"id": "tight-2027", "rules": [{"tpp_min": 1600.5}]}],
    )


def test_round_trip(tmp_path):
    project = full_project()
    p = tmp_path / "plan.json"
    save_project(project, p)
    assert load_project(p) == project
    assert json.loads(p.read_text())["schema_version"] == SCHEMA_VERSION


def test_migration_from_v0():
    project = load_project(FIXTURES / "project_v0.json")
    assert project.schema_version == 1
    sc = project.scenarios[0]
    assert sc.hq == "CN"
    assert [(p.accelerator, p.count) for p in sc.fleet] == [("H100-SXM", 4096), ("H800", 2048)]
    assert sc.fleet[0].price_per_hour_usd == 2.2


def test_truncated_json(tmp_path):
    text = json.dumps(project_dict(), indent=2)
    err = load_error(tmp_path, text[: len(text) // 2])
    assert err.field == "" and err.source is not None and err.source.endswith("p.json")
    assert "not valid JSON at line" in err.problem and "column" in err.problem


def test_wrong_type(tmp_path):
    d = project_dict()
    d["scenarios"][0]["fleet"][0]["count"] = "many"
    err = load_error(tmp_path, d)
    assert err.field == "scenarios[0].fleet[0].count"
    assert err.problem == "must be a whole number, got 'many'"


def test_unknown_key(tmp_path):
    d = project_dict()
    d["scenarios"][0]["fleet"][0]["gpus"] = 8
    err = load_error(tmp_path, d)
    assert err.field == "scenarios[0].fleet[0].gpus"
    assert "unknown field" in err.problem


def test_unknown_top_level_key(tmp_path):
    err = load_error(tmp_path, project_dict(colour="red"))
    assert err.field == "colour"


def test_nan_literal_names_its_path(tmp_path):
    text = json.dumps(project_dict()).replace('"tokens": 1000000000.0', '"tokens": NaN')
    assert "NaN" in text
    err = load_error(tmp_path, text)
    assert err.field == "scenarios[0].training.tokens"
    assert "NaN is not allowed" in err.problem


def test_infinity_and_overflow_literals(tmp_path):
    text = json.dumps(project_dict()).replace('"tokens": 1000000000.0', '"tokens": 1e999')
    err = load_error(tmp_path, text)
    assert err.field == "scenarios[0].training.tokens"
    text = json.dumps(project_dict(regimes=[{"x": 1}])).replace('"x": 1', '"x": -Infinity')
    err = load_error(tmp_path, text)
    assert err.field == "regimes[0].x"


def test_nan_string(tmp_path):
    d = project_dict()
    d["scenarios"][0]["training"]["tokens"] = "NaN"
    err = load_error(tmp_path, d)
    assert err.field == "scenarios[0].training.tokens"
    assert err.problem == "must be a number, got 'NaN'"  # strict: no text where a number belongs


def test_negative_count(tmp_path):
    d = project_dict()
    d["scenarios"][0]["fleet"][0]["count"] = -5
    err = load_error(tmp_path, d)
    assert err.field == "scenarios[0].fleet[0].count"
    assert str(err) == f"{err.source}: scenarios[0].fleet[0].count: must be > 0, got -5"
    assert err.source is not None and err.source.endswith("p.json")


def test_several_errors_report_the_first_and_a_count(tmp_path):
    d = project_dict()
    d["scenarios"][0]["fleet"][0]["count"] = 0
    d["scenarios"][0]["training"]["tokens"] = -1
    err = load_error(tmp_path, d)
    assert err.problem.endswith("(and 1 more)")


def test_model_validator_message(tmp_path):
    d = project_dict()
    d["scenarios"][0]["model"]["n_kv_heads"] = 3
    err = load_error(tmp_path, d)
    assert err.field == "scenarios[0].model"
    assert err.problem.startswith("n_heads (4) must be a multiple")


def test_empty_scenarios(tmp_path):
    err = load_error(tmp_path, project_dict(scenarios=[]))
    assert err.field == "scenarios" and "at least 1" in err.problem


def test_newer_version_refused(tmp_path):
    err = load_error(tmp_path, project_dict(schema_version=7))
    assert err.field == "schema_version"
    assert err.problem == (
        "this file was written by a newer Chokepoint (format 7); "
        "this program reads up to 1 - update Chokepoint"
    )


def test_missing_version(tmp_path):
    d = project_dict()
    del d["schema_version"]
    assert load_error(tmp_path, d).field == "schema_version"


def test_json_list_is_not_a_project(tmp_path):
    err = load_error(tmp_path, [project_dict()])
    assert "JSON object" in err.problem and "list" in err.problem


def test_file_over_50_mb_refused_before_reading(tmp_path, monkeypatch):
    p = tmp_path / "huge.json"
    with open(p, "wb") as f:  # sparse: no 50 MB actually written
        f.truncate(MAX_BYTES + 1)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a huge file"))
    with pytest.raises(InputError) as e:
        load_project(p)
    assert e.value.source is not None and e.value.source.endswith("huge.json")
    assert "50.0 MB" in e.value.problem and "limited to 50.0 MB" in e.value.problem


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot open"):
        load_project(tmp_path / "nope.json")


def test_not_utf8(tmp_path):
    p = tmp_path / "p.json"
    p.write_bytes(b'{"name": "\xff"}')
    with pytest.raises(InputError, match="not UTF-8"):
        load_project(p)


def test_loc_path():
    assert loc_path(("scenarios", 2, "fleet", 0, "count")) == "scenarios[2].fleet[0].count"
    assert loc_path(()) == ""


def test_save_keeps_one_backup(tmp_path):
    p = tmp_path / "plan.json"
    first, second = full_project(), full_project().model_copy(update={"name": "second"})
    save_project(first, p)
    assert not (tmp_path / "plan.json.bak").exists()
    save_project(second, p)
    assert load_project(tmp_path / "plan.json.bak") == first
    assert load_project(p) == second
    save_project(first, p)
    assert load_project(tmp_path / "plan.json.bak") == second
    assert sorted(x.name for x in tmp_path.iterdir()) == ["plan.json", "plan.json.bak"]


def test_save_is_atomic_on_crash(tmp_path, monkeypatch):
    p = tmp_path / "plan.json"
    save_project(full_project(), p)
    before = p.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk on fire"):
        save_project(full_project().model_copy(update={"name": "new"}), p)
    assert p.read_bytes() == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["plan.json"]


def test_save_refuses_nan_in_free_form_regime(tmp_path):
    p = tmp_path / "plan.json"
    bad = full_project().model_copy(update={"regimes": [{"x": float("nan")}]})
    with pytest.raises(InputError, match="regimes"):
        save_project(bad, p)
    assert list(tmp_path.iterdir()) == []


def test_committed_schema_is_current():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from gen_schema import SCHEMA_PATH, schema_text
    finally:
        sys.path.pop(0)
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "docs/project.schema.json is stale; run python scripts/gen_schema.py"
    )
    assert project_json_schema()["additionalProperties"] is False


def test_documented_example_loads(tmp_path):
    doc = (ROOT / "docs" / "project-format.md").read_text(encoding="utf-8")
    example = doc.split("```json\n", 1)[1].split("```", 1)[0]
    project = load_project(write(tmp_path, example))
    assert project.scenarios[0].fleet[1].access == "stockpile"
