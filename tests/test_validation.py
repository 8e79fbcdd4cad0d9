"""The validation against published runs (benchmarks/validate.py), run in-process."""

from __future__ import annotations

import csv
import json
import math
import statistics

import pytest

from benchmarks import validate
from core.catalog import get_accelerator

# Leave-one-lab-out median |error| on GPU-hours: 19.8 % when this test was written, 13.5 % since
# the third round (docs/validation.md). The bound is issue 10's target, 15 %.
MEASURED_BOUND = 0.15


@pytest.fixture(scope="module")
def result() -> dict:
    return validate.run_validation()


def _ids(path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [r["run_id"] for r in csv.DictReader(fh)]


def test_every_run_of_both_tables_predicted_or_listed_with_reason(result):
    ids = _ids(validate.RUNS_CSV) + _ids(validate.EXTRA_CSV)
    assert len(ids) == len(set(ids)) == 89
    predicted = {r["run_id"] for r in result["runs"]}
    skipped = {n["run_id"]: n["reason"] for n in result["not_predicted"]}
    assert not predicted & set(skipped)
    assert predicted | set(skipped) == set(ids)
    assert all(len(reason.strip()) > 20 for reason in skipped.values())
    assert len(result["runs_in_median"]) >= 40


def test_tpu_rows_predicted_with_sourced_links(result):
    # TPU v4's ICI is a derived, sourced figure (catalog V01/V02) and its DCN an estimate: PaLM and
    # the TPU v5p MaxText benchmarks are predicted, at the published layout for the MaxText rows
    from core.catalog import get_accelerator
    v4 = get_accelerator("TPU-v4")
    assert v4.scaleup_gbs is not None and v4.scaleup_gbs.source.startswith("V01")
    assert v4.scaleup_gbs.value == 6 * 45 * 2
    assert v4.scaleout_gbs is not None and v4.scaleout_gbs.estimate
    runs = {r["run_id"]: r for r in result["runs"]}
    assert "palm-540b" in runs and runs["palm-540b"]["in_median"]
    for rid in ("maxtext-v5p-32b-64", "maxtext-v5p-128b-128", "maxtext-v5p-128b-256"):
        assert runs[rid]["accelerator"] == "TPU-v5p" and runs[rid]["kind"] == "benchmark"
        assert runs[rid]["plan"].startswith(("TP4 PP1", "TP8 PP1"))


def test_inputs_carry_sources():
    inputs = json.loads(validate.INPUTS_JSON.read_text(encoding="utf-8"))["runs"]
    assert set(inputs) == set(_ids(validate.RUNS_CSV) + _ids(validate.EXTRA_CSV))
    for rid, spec in inputs.items():
        if not spec["predict"]:
            assert spec["skip_reason"], rid
            continue
        for key in ("model", "tokens", "accelerator", "num_chips", "seq_len", "global_batch_tokens",
                    "precision", "maturity"):
            assert spec[key]["source"], (rid, key)
        rep = spec.get("reported") or spec["gpu_hours_reported"]
        assert rep["source"], rid
        if spec["num_chips"]["value"] is None:  # predicted over a stated range of counts
            assert len(spec["num_chips"]["range"]) >= 2, rid


def test_leave_one_lab_out_refits_without_the_lab(result):
    # the held-out lab's runs never feed its own constants
    for lab, params in result["cv_fits"].items():
        own = {r["run_id"] for r in result["runs"] if r["lab"] == lab}
        for cls_runs in params["runs"].values():
            assert not own & set(cls_runs), lab
    errs = [abs(r["error_cv"]) for r in result["runs"] if r["in_median"]]
    assert result["overall"]["median_abs_error_cv"] == pytest.approx(statistics.median(errs))
    assert result["overall"]["median_abs_error_cv"] <= MEASURED_BOUND


def test_p10_p90_band_uses_other_labs_spread(result):
    rows = [r for r in result["runs"] if r["in_median"]]
    for r in rows:
        inside = abs(math.log(r["ratio_cv"])) <= validate.Z90 * math.log(r["band_gsd"])
        assert r["in_p10_p90"] == inside
    cov = result["overall"]["coverage_p10_p90"]
    assert cov == pytest.approx(sum(r["in_p10_p90"] for r in rows) / len(rows))
    assert 0.7 <= cov <= 0.9  # measured 82.5 %; the issue's calibration target is 80 % ± 10 %


def test_count_ranges_report_a_spread(result):
    ranged = [r for r in result["runs"] if isinstance(r["chips"], list)]
    assert len(ranged) >= 10
    for r in ranged:
        lo, hi = r["spread_cv"]
        assert lo <= r["error_cv"] + 1e-9 and r["error_cv"] <= hi + 1e-9, r["run_id"]


def test_naive_rule_is_six_n_d_over_forty_percent_of_peak(result):
    run = next(r for r in result["runs"] if r["run_id"] == "deepseek-v3")
    runs, _ = validate.load_runs()
    model = next(x for x in runs if x.run_id == "deepseek-v3").model
    expected = 6 * model.active_params() * 14.8e12 / (989e12 * 0.4) / 3600
    assert run["baseline_error"] == pytest.approx(expected / run["reported"] - 1)


def test_throughput_runs_compare_rates():
    runs, _ = validate.load_runs()
    run = next(x for x in runs if x.run_id == "dgxc-llama3.1-70b-bf16-512")
    res = validate.predict(run, 512, 0.5)
    assert (res.plan.tp, res.plan.pp, res.plan.dp, res.plan.interleave) == (4, 4, 32, 5)  # published
    rate = res.tokens_per_s / res.plan.chips_used
    assert validate.ratio_of(run, res) == pytest.approx(1100.3 / rate)
    assert get_accelerator(run.chip.id).id == "H100-SXM"


def test_markdown_leads_with_cross_validation_and_lists_every_run(result):
    text = validate.render_markdown(result)
    head = text.split("## The efficiency model")[0]
    assert "leave-one-lab-out" in head and "Naive" in head and "Plain" in head
    for rid in _ids(validate.RUNS_CSV) + _ids(validate.EXTRA_CSV):
        assert f"**{rid}**" in text or f"| {rid} |" in text


def test_cli_json_exits_zero(capsys):
    assert validate.main(["--json", "--no-write"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"runs", "overall", "by_family", "by_arch", "median_abs_error"} <= set(out)


def test_issue_10_targets_and_every_place_that_quotes_the_headline(result):
    """The targets (≤ 15 %, below the naive rule on each hardware family, coverage 80 % ± 10 %,
    ≥ 40 runs) hold, and the committed docs/validation.md, maturity.json's cross-validation
    record and README's headline are the figures this run measures (none is stale)."""
    from pathlib import Path

    from core.maturity import load_maturity

    root = Path(validate.__file__).resolve().parent.parent
    o = result["overall"]
    assert o["runs"] >= 40 and o["median_abs_error_cv"] <= 0.15
    assert 0.7 <= o["coverage_p10_p90"] <= 0.9
    for fam in ("ampere", "hopper"):
        f = result["by_family"][fam]
        assert f["median_abs_error_cv"] < f["baseline_median_abs_error"], fam
    doc = (root / "docs" / "validation.md").read_text(encoding="utf-8")
    assert doc == validate.render_markdown(result)  # regenerate: benchmarks/validate.py
    cv = load_maturity()["cross_validation"]
    assert (cv["runs"], cv["labs"]) == (o["runs"], o["labs"])
    assert cv["median_abs_error"] == pytest.approx(o["median_abs_error_cv"], abs=1e-4)
    assert cv["coverage_p10_p90"] == pytest.approx(o["coverage_p10_p90"], abs=1e-4)
    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    pct = lambda x: f"{100 * x:.1f} %"  # noqa: E731
    fams = result["by_family"]
    for needle in (f"over {o['runs']} published", f"from {o['labs']} labs",
                   f"is **{pct(o['median_abs_error_cv'])}** "
                   f"(Ampere {pct(fams['ampere']['median_abs_error_cv'])}, "
                   f"Hopper {pct(fams['hopper']['median_abs_error_cv'])})",
                   f"against {pct(o['baseline_median_abs_error'])}",
                   f"held the reported figure for {100 * o['coverage_p10_p90']:.0f} %",
                   f"in-sample figure ({pct(o['median_abs_error_in_sample'])})"):
        assert needle in readme, needle
