"""The CLI contract: names, JSON keys, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from core.cli import main

REQUIRED = {"total_params", "active_params", "training_flops", "gpu_hours", "wall_clock_days", "mfu",
            "memory_per_gpu_gb", "energy_mwh", "verdict", "reasons", "plan", "step_time"}
PLAN = {"tp", "pp", "dp", "ep", "micro_batch", "zero_stage", "recompute", "precision"}


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_estimate_json_keys(capsys):
    code, out, err = run(capsys, "estimate", "--model", "llama-3.1-8b", "--tokens", "15.6T",
                         "--accelerator", "h100-sxm", "--count", "1024", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) >= REQUIRED
    assert set(data["plan"]) >= PLAN
    assert data["verdict"] == "feasible"
    assert set(data["step_time"]) >= {"compute", "tensor_parallel", "pipeline_bubble", "data_parallel",
                                      "expert_all_to_all", "total"}
    assert data["tokens"] == 15.6e12
    assert data["energy_mwh"] > 0


@pytest.mark.parametrize("tokens,expected", [("15.6e12", 15.6e12), ("300B", 3e11), ("2T", 2e12)])
def test_tokens_forms(capsys, tokens, expected):
    code, out, _ = run(capsys, "estimate", "--model", "llama-3.1-8b", "--tokens", tokens,
                       "--accelerator", "H100-SXM", "--count", "64", "--json")
    assert code == 0
    assert json.loads(out)["tokens"] == pytest.approx(expected)


def test_readable_summary(capsys):
    code, out, _ = run(capsys, "estimate", "--model", "deepseek-v3", "--tokens", "14.8T",
                       "--accelerator", "H800-SXM", "--count", "2048", "--precision", "fp8")
    assert code == 0
    assert "Verdict: FEASIBLE" in out and "Wall-clock" in out and "EP" in out


def test_idle_chips_are_named_in_the_summary_and_the_json(capsys):
    """Issue 10: 3,050 Ascend-910C are never slower than 3,000; the chips the plan leaves idle
    and their GPU-hours are reported apart from the ones used."""
    args = ("estimate", "--model", "deepseek-v3", "--tokens", "15e12", "--accelerator", "Ascend-910C")
    days = {}
    for n in (3000, 3050):
        code, out, err = run(capsys, *args, "--count", str(n), "--json")
        assert code == 0, err
        data = json.loads(out)
        days[n] = data["wall_clock_days"]
        assert data["chips_used"] + data["chips_idle"] == n
    assert days[3050] <= days[3000]
    code, out, _ = run(capsys, *args, "--count", "3050")
    assert code == 0
    used = json.loads(run(capsys, *args, "--count", "3050", "--json")[1])
    assert f"(of the {used['chips_used']:,} chips used; {used['chips_idle']:,} idle:" in out


def test_model_config_import(capsys, tmp_path):
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"model_type": "llama", "architectures": ["LlamaForCausalLM"],
                               "hidden_size": 2048, "num_hidden_layers": 16, "num_attention_heads": 16,
                               "num_key_value_heads": 8, "intermediate_size": 8192, "hidden_act": "silu",
                               "vocab_size": 32000, "tie_word_embeddings": False}))
    code, out, err = run(capsys, "estimate", "--model-config", str(cfg), "--tokens", "100B",
                         "--accelerator", "A100-SXM-80GB", "--count", "16", "--json")
    assert code == 0, err
    assert json.loads(out)["total_params"] > 1e9


@pytest.mark.parametrize("argv,needle", [
    (["--count", "-4"], "--count"),
    (["--count", "0"], "--count"),
    (["--count", "nan"], "--count"),
    (["--tokens", "0"], "--tokens"),
    (["--tokens", "lots"], "--tokens"),
    (["--accelerator", "H100"], "did you mean"),
    (["--model", "llama-9"], "unknown model"),
    (["--precision", "fp4"], "--precision"),
])
def test_bad_input_exit_2_one_line(capsys, argv, needle):
    base = {"--model": "llama-3.1-8b", "--tokens": "1T", "--accelerator": "H100-SXM", "--count": "8"}
    for k, v in zip(argv[::2], argv[1::2], strict=True):
        base[k] = v
    args = ["estimate"] + [x for kv in base.items() for x in kv]
    with pytest.raises(SystemExit) as exc:
        raise SystemExit(main(args))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_malformed_config_is_one_line(capsys, tmp_path):
    bad = tmp_path / "config.json"
    bad.write_text('{"hidden_size": 12')
    code, _, err = run(capsys, "estimate", "--model-config", str(bad), "--tokens", "1T",
                       "--accelerator", "H100-SXM", "--count", "8")
    assert code == 2
    assert "config.json" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("what", ["accelerators", "models"])
def test_catalog(capsys, what):
    code, out, _ = run(capsys, "catalog", what, "--json")
    assert code == 0
    ids = {r["id"] for r in json.loads(out)}
    assert {"H100-SXM", "Ascend-910C"} <= ids or {"deepseek-v3", "qwen3-235b-a22b"} <= ids


def test_console_entry_point_runs_without_traceback():
    proc = subprocess.run([sys.executable, "-m", "app", "estimate", "--model", "nope", "--tokens", "1T",
                           "--accelerator", "H100-SXM", "--count", "8"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "unknown model 'nope'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_core_never_imports_qt():
    code = ("import sys, core.cli, core.estimate, core.scenario_eval, core.project, core.cost, core.sites, "
            "core.presets, core.hf_import; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'app')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_qt_import_statement_in_core():
    import re
    from pathlib import Path

    pattern = re.compile(r"^\s*(from|import)\s+(PySide6|pyqtgraph|app)\b", re.M)
    core = Path(__file__).resolve().parent.parent / "core"
    offenders = [p.name for p in core.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.parametrize("argv,needle", [
    (["--global-batch-tokens", "1"], "--global-batch-tokens: global_batch_tokens (1) must hold at least one sequence"),
    (["--count", "99999999999"], "--count: must be at most 10,000,000"),
])
def test_more_bad_estimates(capsys, argv, needle):
    try:  # argparse refuses some flags itself (SystemExit), the rest come back as exit 2
        code = main(["estimate", "--model", "llama-3.1-8b", "--tokens", "1T", "--accelerator", "H100-SXM",
                     "--count", "64", *argv])
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("target", ["/dev/zero", "dir"])
def test_non_regular_files_are_refused_not_read(capsys, tmp_path, target):
    path = str(tmp_path) if target == "dir" else target
    assert main(["evaluate", path]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert main(["estimate", "--model-config", path, "--tokens", "1T", "--accelerator", "H100-SXM",
                 "--count", "8"]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_policy_summary_and_reasons_use_one_wording(capsys):
    """Issue 11 item 6: a grandfathered stockpile reads the same in the summary and the reasons."""
    argv = ["estimate", "--model", "llama-3.1-8b", "--tokens", "300B", "--accelerator", "H800-SXM",
            "--count", "512", "--site", "CN", "--hq", "CN", "--access", "stockpile",
            "--acquired", "2023-06-01", "--date", "2024-06-01"]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("Policy, pool 1"))
    assert line.endswith("usable (grandfathered under R3-informed-2023, R3)"), line
    assert "no rule applies" not in out
    code, out, _ = run(capsys, *argv, "--json")
    pol = json.loads(out)["policy"][0]
    assert pol["summary"] == "usable (grandfathered under R3-informed-2023, R3)"
    assert "result: " + pol["summary"] in pol["explanation"]
    assert {"status", "decisive_rule", "tariff_pct", "revenue_share_pct", "approval_likelihood"} <= set(pol)


def test_energy_is_the_facility_figure_with_the_chips_figure_beside_it(capsys):
    """Review: the CLI printed chips-at-TDP energy (4,710 MWh) while the window showed the
    facility's (9,552 MWh). The facility figure (the one the cost prices) comes first in the
    text and is added to --json; energy_mwh keeps its meaning (chips at TDP)."""
    code, out, err = run(capsys, "evaluate", "resources/examples/southeast-asia-route.json", "--json")
    assert code == 0, err
    first = json.loads(out)["scenarios"][0]
    chosen = next(o for o in first["options"] if o["label"] == first["figures_for"])
    assert first["facility_energy_mwh"] == pytest.approx(chosen["energy_mwh"])
    assert first["chip_energy_mwh"] == pytest.approx(first["energy_mwh"])
    assert first["facility_energy_mwh"] == pytest.approx(
        first["energy_mwh"] * first["energy_pue"] * first["energy_server_overhead"], rel=1e-3)
    fac, chips = f"{first['facility_energy_mwh']:,.0f}", f"{first['energy_mwh']:,.0f}"
    assert first["energy_text"].startswith(f"{fac} MWh at the facility ({chips} MWh at the chips, PUE ")
    code, out, err = run(capsys, "evaluate", "resources/examples/southeast-asia-route.json")
    assert code == 0, err
    assert f"Energy: {fac} MWh at the facility ({chips} MWh at the chips" in out
    assert "Energy (accelerators at TDP)" not in out
    # estimate without a site: the global average PUE, said so
    code, out, err = run(capsys, "estimate", "--model", "llama-3.1-8b", "--tokens", "1T",
                         "--accelerator", "H100-SXM", "--count", "64")
    assert code == 0, err
    line = next(x for x in out.splitlines() if x.startswith("Energy:"))
    assert "at the facility" in line and "at the chips" in line and "give --site" in line
