"""Damaged and crafted files: every loader ends with exit code 2 and ONE line naming the file and
the place, never an internal error (corpus: tests/data/bad/, written by make_corpus.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.cli import main
from core.errors import InputError
from core.project import MAX_BYTES, load_project

BAD = Path(__file__).resolve().parent / "data" / "bad"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
CORPUS = sorted(EXPECTED)
HF_ARGS = ["--tokens", "1T", "--accelerator", "H100-SXM", "--count", "8"]


def one_line_error(capsys, path: Path) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith("chokepoint: error: "), err
    assert "internal error" not in err
    assert str(path) in err, "the message names the file"
    return err


def test_corpus_is_current():
    assert len(CORPUS) >= 60
    assert sorted(p.name for p in BAD.glob("*.json") if p.name != "expected.json") == CORPUS


@pytest.mark.parametrize("name", CORPUS)
def test_project_loader(name, capsys):
    path = BAD / name
    assert main(["evaluate", str(path)]) == 2
    err = one_line_error(capsys, path)
    assert EXPECTED[name]["project"] in err


@pytest.mark.parametrize("name", CORPUS)
def test_hf_loader(name, capsys):
    path = BAD / name
    assert main(["estimate", "--model-config", str(path), *HF_ARGS]) == 2
    err = one_line_error(capsys, path)
    assert EXPECTED[name]["hf"] in err


@pytest.mark.parametrize("name", CORPUS)
def test_settings_reader_falls_back(name, tmp_path, capsys):
    state = pytest.importorskip("app.state")
    target = tmp_path / "settings.json"
    target.write_bytes((BAD / name).read_bytes())
    data = state._read_json(target, {})
    assert isinstance(data, dict)
    err = capsys.readouterr().err
    assert err.count("\n") <= 1
    if err:
        assert str(target) in err


def test_settings_of_the_wrong_kind_fall_back(tmp_path, capsys):
    state = pytest.importorskip("app.state")
    p = tmp_path / "recent.json"
    p.write_text('{"not": "a list"}', encoding="utf-8")
    assert state._read_json(p, []) == []
    meta = tmp_path / "x.meta.json"
    meta.write_text('{"saved_at": "yesterday", "original": 5}', encoding="utf-8")
    m = state._read_json(meta, {})
    assert state._saved_at(m) == 0.0 and state._original(m) is None
    assert "recent.json" in capsys.readouterr().err


# ---- big files: made at test time, never committed ------------------------------------------


@pytest.mark.parametrize("size", [MAX_BYTES + 1, 1024**3])
def test_huge_files_are_refused_before_reading(tmp_path, capsys, size):
    path = tmp_path / "big.json"
    with open(path, "wb") as f:  # sparse: nothing written
        f.truncate(size)
    assert main(["evaluate", str(path)]) == 2
    assert "limited to 50.0 MB" in one_line_error(capsys, path)
    assert main(["estimate", "--model-config", str(path), *HF_ARGS]) == 2
    assert "limited to 10.0 MB" in one_line_error(capsys, path)


def test_a_million_levels_of_nesting(tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_text("[" * 1_000_000, encoding="utf-8")
    assert main(["evaluate", str(path)]) == 2
    assert "nested more than 64 levels deep (line 1, column 65)" in one_line_error(capsys, path)


def test_multi_megabyte_strings(tmp_path, capsys):
    data = json.loads((BAD / "count-zero.json").read_text(encoding="utf-8"))
    data["scenarios"][1]["fleet"][0]["count"] = 8
    data["scenarios"][0]["name"] = "x" * 5_000_000
    path = tmp_path / "long.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["evaluate", str(path)]) == 2
    err = one_line_error(capsys, path)
    assert "scenarios[0].name: must have at most 200 character(s)" in err
    assert len(err) < 1000, "the message does not echo the string"


def test_integer_with_100k_digits(tmp_path, capsys):
    path = tmp_path / "digits.json"
    path.write_text('{"schema_version": 1, "name": "x", "scenarios": [' + "7" * 100_000 + "]}", encoding="utf-8")
    assert main(["evaluate", str(path)]) == 2
    assert "scenarios[0]: an integer with 100,000 digits is too large" in one_line_error(capsys, path)


# ---- what opens must save -------------------------------------------------------------------


def test_project_that_would_save_over_the_limit_is_refused_at_open(tmp_path, monkeypatch):
    import core.project as project

    data = json.loads((BAD / "count-zero.json").read_text(encoding="utf-8"))
    data["scenarios"][1]["fleet"][0]["count"] = 8
    compact = json.dumps(data, separators=(",", ":"))
    for sc in data["scenarios"]:  # written without defaults: smaller on disk than when saved
        for key in ("cost", "physics", "constraints", "policy"):
            sc.pop(key, None)
    small = json.dumps(data, separators=(",", ":"))
    path = tmp_path / "p.json"
    path.write_text(small, encoding="utf-8")
    monkeypatch.setattr(project, "MAX_BYTES", len(small) + 10)
    assert len(compact) > project.MAX_BYTES
    with pytest.raises(InputError) as e:
        load_project(path)
    assert "when saved, over the" in e.value.problem and e.value.source == str(path)


def test_saving_goes_compact_rather_than_over_the_open_limit(tmp_path, monkeypatch):
    import core.project as project

    data = json.loads((BAD / "count-zero.json").read_text(encoding="utf-8"))
    data["scenarios"][1]["fleet"][0]["count"] = 8
    proj = project.project_from_dict(data)
    indented = project.project_to_text(proj)
    monkeypatch.setattr(project, "MAX_BYTES", len(indented) - 1)
    text = project.project_to_text(proj)
    assert len(text) <= project.MAX_BYTES and "\n  " not in text
    path = tmp_path / "p.json"
    path.write_text(text, encoding="utf-8")
    assert load_project(path) == proj


def test_regimes_built_in_code_that_nest_too_deep_are_refused():
    from core.project import Project

    data = json.loads((BAD / "count-zero.json").read_text(encoding="utf-8"))
    data["scenarios"][1]["fleet"][0]["count"] = 8
    deep: object = 1
    for _ in range(600):
        deep = {"all_of": [deep]}
    data["regimes"] = [{"id": "x", "rules": [deep]}]
    with pytest.raises(ValueError, match="nested more than 64 levels deep"):
        Project.model_validate(data)


# ---- found while evaluating: the scenario's place is kept; JSON output stays JSON --------------


def test_zero_failures_give_null_not_infinity(tmp_path, capsys):
    data = json.loads((BAD / "count-zero.json").read_text(encoding="utf-8"))
    data["scenarios"] = [data["scenarios"][0]]
    data["scenarios"][0]["physics"] = {"failures_per_gpu_day": 0}
    path = tmp_path / "f0.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["evaluate", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert "Infinity" not in out and "NaN" not in out
    best = json.loads(out)["scenarios"][0]
    text = json.dumps(best)
    assert '"mtbf_hours": null' in text and '"checkpoint_interval_min": null' in text


def test_json_output_writes_non_finite_as_null_with_the_reason():
    from core.cli import json_text

    out = json.loads(json_text({"a": {"b": [1.0, float("inf")]}, "c": float("nan")}))
    assert out["a"]["b"] == [1.0, None] and out["c"] is None
    assert out["not_finite"][0].startswith("a.b[1]: inf (written as null")


def test_lax_values_the_gui_produces_still_validate():
    """Strictness is for files; valid files (the example, every fixture) still load."""
    root = Path(__file__).resolve().parent.parent
    for path in [root / "resources/examples/southeast-asia-route.json", *sorted(
            (root / "tests/fixtures").glob("*.json"))]:
        assert load_project(path).scenarios
