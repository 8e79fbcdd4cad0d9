"""Validate the estimate against published training runs.

Reads ``resources/validation/runs.csv`` (the sourced table, unchanged) and
``resources/validation/runs_inputs.json`` (the inputs taken from it, each with its source),
predicts every run that has an architecture, tokens, a chip and a count with ``core.estimate``
and the default ``PhysicsOptions`` (no per-run options), and writes ``docs/validation.md``.

Naive baseline: ``6·N·D / (peak_bf16 × 40%)`` GPU-seconds, N = total parameters for dense
models and active parameters for MoE (the csv's published counts).

Usage::

    PYTHONPATH=. python benchmarks/validate.py          # writes docs/validation.md
    PYTHONPATH=. python benchmarks/validate.py --json   # prints the result as JSON too
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
from pathlib import Path

from core.catalog import get_accelerator
from core.errors import InputError
from core.estimate import estimate
from core.model import ModelSpec
from core.presets import preset_spec
from core.training import TrainingSpec

ROOT = Path(__file__).resolve().parents[1]
RUNS_CSV = ROOT / "resources" / "validation" / "runs.csv"
INPUTS_JSON = ROOT / "resources" / "validation" / "runs_inputs.json"
DOC = ROOT / "docs" / "validation.md"

BASELINE_MFU = 0.40
OUTLIER_THRESHOLD = 0.25
TARGET = 0.15
# Kinds of reported GPU-hours that count in the median: stated by the authors, or chips × days
# from stated figures. An upper bound is shown but is not a measurement.
MEDIAN_KINDS = ("reported", "derived")

# Facts behind each run whose |error| exceeds 25 %, from the csv notes and the cited papers.
# Written before looking for a better fit; nothing here changes a prediction.
OUTLIER_NOTES: dict[str, str] = {
    "gpt-3-175b": (
        "The compared figure is not OpenAI's: the chip count (10,000 V100) and duration (14.8 days) "
        "are Patterson et al.'s (2021) assumption, flagged there as NVIDIA's suggestion, so the "
        "'reported' GPU-hours are themselves an estimate. Taken at face value they mean 21.3% MFU "
        "(PaLM Table 3): 2020 software on V100 (FP16 with loss scaling, no FlashAttention, early "
        "model-parallel stacks). Only one run uses V100, so its kernel efficiency stays an "
        "assumption: calibrating it on this run alone would be fitting, not calibrating."
    ),
    "opt-175b": (
        "OPT ran Megatron tensor parallelism with FSDP (paper §2.4); its 147 TFLOP/s per GPU goes "
        "with the chronicles' 4.3e23 FLOPs, so about 108 TFLOP/s (~35% MFU) is model FLOPs. The "
        "compared figure (1,024 GPUs × ~33 days) is the chronicles' continuous compute-equivalent; "
        "the run took ~2 months elapsed with ~90 restarts in all, which that figure leaves out."
    ),
    "glm-130b": (
        "The compared figure is an upper bound (the 60-day access window × 768 GPUs), not a "
        "measured duration, so it is shown but left out of the median."
    ),
    "llama-3.1-405b": (
        "The planner finds Meta's own layout, TP8 × PP16 × DP128 (Table 4), with the published "
        "16M-token batch: 16 micro-batches of 8K per pipeline do not fit 80 GB with selective "
        "recomputation alone (Korthikanti 2022), so a third of the layers are recomputed in full. "
        "Predicted MFU is within a few points of the reported 41%. The card's 30.84M GPU-hours also "
        "includes the long-context stages."
    ),
    "megascale-175b-12288gpu": (
        "MegaScale is a tuned benchmark (55.2% MFU at 12,288 GPUs, 59-65% at smaller scale: fused "
        "operators and overlapped TP/PP/DP communication), and its 1.75 days is a projection from "
        "6.34 s/iteration with no failures. The Ampere kernel efficiency is calibrated on the "
        "median A100 run of 2021-23, which reached 25-36% MFU: this benchmark shows what a tuned "
        "stack does on the same chips, about twice as fast."
    ),
    "bloomberggpt-50b": (
        "BloombergGPT's own throughput, 102 TFLOP/s per GPU counting recomputation (~24% MFU), "
        "on AWS p4d A100-40GB (400 Gb/s EFA per 8-GPU node, a quarter of the per-GPU network the "
        "catalog's DGX reference assumes) with ZeRO-3. seq_len 2048 is an assumption (see "
        "runs_inputs.json)."
    ),
    "starcoderbase-15.5b": (
        "The reported hours imply ~81 TFLOP/s per GPU (~26% MFU). StarCoder ran TP4 × PP4 × DP32 "
        "on 512 A100-80GB with 8K sequences, and the paper notes BF16 cost ~10% throughput versus "
        "FP16 in their stack because the gradient reduction was done in FP32."
    ),
    "mpt-7b": (
        "The 9.5 days includes restarts (MosaicML blog, csv note); the hours imply ~111 TFLOP/s "
        "per GPU (~36% MFU)."
    ),
    "pythia-12b": (
        "The GPU-hours were computed by the authors from logged iteration times of the 2022 "
        "GPT-NeoX stack on A100-40GB: ~82 TFLOP/s per GPU (~26% MFU). The suite used one set of "
        "settings for all sizes rather than the fastest plan per size."
    ),
    "smollm3-3b": (
        "24 days on 384 H100 (third-party compilation, S*) imply ~26% MFU. With the published "
        "2.36M-token batch a 3B model does little matrix work per GPU per step (about 0.2 s), so "
        "the gradient all-reduce and per-step costs the estimate does not model (data loading, "
        "evaluation, logging) weigh more; the 24 days may also include the long-context stages."
    ),
    "deepseek-v3": (
        "FP8 (capped at 1.5× over BF16) and the published batch. DeepSeek-V3 overlaps nearly all "
        "expert-parallel communication with DualPipe and limits routing to 4 nodes per token; "
        "the planner hides half of the all-to-all and routes freely."
    ),
    "mt-nlg-530b": (
        "No GPU-hours reported; only MFU is compared: 29.7% reported (PaLM Table 3)."
    ),
}


def _load_csv() -> list[dict[str, str]]:
    with RUNS_CSV.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _load_inputs() -> dict:
    return json.loads(INPUTS_JSON.read_text(encoding="utf-8"))["runs"]


def _model(spec_in: dict) -> ModelSpec:
    value = spec_in["value"]
    if value != "inline":
        return preset_spec(value)
    if "base_preset" in spec_in:
        return preset_spec(spec_in["base_preset"]).model_copy(update=spec_in.get("overrides", {}))
    return ModelSpec(**spec_in["spec"])


def baseline_gpu_hours(row: dict[str, str], tokens: float, peak_bf16_tflops: float) -> float:
    """``6·N·D / (peak × 40%)`` in GPU-hours; N = total params (dense) or active params (MoE)."""
    moe = row["dense_or_moe"].strip().lower().startswith("moe")
    n = float(row["active_params"] if moe else row["total_params"])
    return 6.0 * n * tokens / (peak_bf16_tflops * 1e12 * BASELINE_MFU) / 3600.0


def _rel(pred: float | None, ref: float | None) -> float | None:
    if pred is None or ref is None or ref == 0:
        return None
    return (pred - ref) / ref


def _with_kernel_efficiency(chip, kernel_efficiency: dict[str, float] | None):
    """The chip with its kernel efficiency replaced (calibration trials; the catalog is untouched)."""
    if not kernel_efficiency or chip.id not in kernel_efficiency or chip.kernel_efficiency is None:
        return chip
    fig = chip.kernel_efficiency.model_copy(update={"value": kernel_efficiency[chip.id]})
    return chip.model_copy(update={"kernel_efficiency": fig})


def run_validation(kernel_efficiency: dict[str, float] | None = None) -> dict:
    """Predict every run. ``kernel_efficiency`` (chip id -> value) is for calibration trials
    (benchmarks/calibrate.py); the validation itself uses the catalog as shipped."""
    rows = _load_csv()
    inputs = _load_inputs()
    runs: list[dict] = []
    not_predicted: list[dict] = []
    for row in rows:
        rid = row["run_id"]
        spec = inputs.get(rid)
        if spec is None:
            not_predicted.append({"run_id": rid, "reason": "no entry in runs_inputs.json"})
            continue
        if not spec.get("predict"):
            not_predicted.append({"run_id": rid, "reason": spec["skip_reason"]})
            continue
        model = _model(spec["model"])
        training = TrainingSpec(
            tokens=spec["tokens"]["value"],
            seq_len=spec["seq_len"]["value"],
            global_batch_tokens=spec["global_batch_tokens"]["value"],
            precision=spec["precision"]["value"],
        )
        chip = _with_kernel_efficiency(get_accelerator(spec["accelerator"]["value"]), kernel_efficiency)
        count = int(spec["num_chips"]["value"])
        try:
            res = estimate(model, training, chip, count)
        except InputError as exc:
            not_predicted.append({"run_id": rid, "reason": f"estimate refused the inputs: {exc}"})
            continue
        if res.verdict != "feasible":
            not_predicted.append({"run_id": rid, "reason": "estimate infeasible: " + "; ".join(res.reasons)})
            continue
        rep = spec["gpu_hours_reported"]
        reported = rep["value"]
        kind = rep.get("kind", "reported")
        base = baseline_gpu_hours(row, training.tokens, chip.peak_tflops("bf16"))
        mfu_rep = spec["mfu_reported"]["value"]
        runs.append({
            "run_id": rid,
            "model": row["model"],
            "accelerator": chip.id,
            "chips": count,
            "chips_used": res.plan.chips_used,
            "reported_gpu_hours": reported,
            "reported_kind": kind,
            "predicted_gpu_hours": res.gpu_hours,
            "error": _rel(res.gpu_hours, reported),
            "baseline_gpu_hours": base,
            "baseline_error": _rel(base, reported),
            "mfu_reported": mfu_rep,
            "mfu_predicted": res.mfu,
            "goodput": res.goodput,
            "wall_clock_days": res.wall_clock_days,
            "plan": res.plan.label(),
            "in_median": kind in MEDIAN_KINDS and reported is not None,
            "notes": res.reasons,
        })
    counted = [r for r in runs if r["in_median"]]
    med = statistics.median(abs(r["error"]) for r in counted) if counted else None
    base_med = statistics.median(abs(r["baseline_error"]) for r in counted) if counted else None
    with_mfu = [r for r in runs if r["mfu_reported"] is not None]
    mfu_med = (statistics.median(abs(r["mfu_predicted"] - r["mfu_reported"]) for r in with_mfu)
               if with_mfu else None)
    outliers = [
        {"run_id": r["run_id"], "error": r["error"],
         "explanation": OUTLIER_NOTES.get(r["run_id"], "NO EXPLANATION RECORDED")}
        for r in runs if r["error"] is not None and abs(r["error"]) > OUTLIER_THRESHOLD
    ]
    return {
        "runs": runs,
        "not_predicted": not_predicted,
        "median_abs_error": med,
        "baseline_median_abs_error": base_med,
        "median_abs_mfu_error_pp": None if mfu_med is None else mfu_med * 100,
        "runs_in_median": [r["run_id"] for r in counted],
        "outliers": outliers,
        "target": TARGET,
    }


def _fmt_h(x: float | None) -> str:
    return "—" if x is None else f"{x / 1e3:,.0f}K"


def _fmt_pct(x: float | None, signed: bool = True) -> str:
    if x is None:
        return "—"
    return f"{x:+.1%}" if signed else f"{x:.1%}"


def render_markdown(result: dict, loo: dict | None = None) -> str:
    inputs = _load_inputs()
    out: list[str] = []
    w = out.append
    w("# Validation against published training runs\n")
    w("Generated by `benchmarks/validate.py` (do not edit by hand). Inputs: "
      "`resources/validation/runs.csv` (the sourced table, unchanged) and "
      "`resources/validation/runs_inputs.json` (what is fed to the estimate, with the source of "
      "each value). Every prediction uses `core.estimate.estimate()` with the default "
      "`PhysicsOptions` and the catalog's figures: no per-run options or tuning. The planner "
      "picks its own best plan; historical runs did not all use the best plan, so outliers are "
      "explained below rather than fitted away.\n")
    w("Error = (predicted − reported) / reported. Baseline = 6·N·D / (dense BF16 peak × 40%), "
      "N = total parameters (dense) or active parameters (MoE), from the csv. MFU is model FLOPs "
      "(6·N·D plus attention, PaLM appendix B) over dense BF16 peak.\n")
    med, bmed = result["median_abs_error"], result["baseline_median_abs_error"]
    w("## Summary\n")
    w(f"- Median absolute error on GPU-hours, model: **{_fmt_pct(med, False)}** "
      f"(target ≤ {result['target']:.0%}), over {len(result['runs_in_median'])} runs with a reported "
      f"or derived figure.")
    w(f"- Same runs, naive baseline: **{_fmt_pct(bmed, False)}**.")
    if loo is not None:
        w(f"- Out of sample (each calibrated run predicted with the efficiency fitted on the others): "
          f"**{_fmt_pct(loo['median_abs_error'], False)}**; see the end.")
    if med is not None and med > result["target"]:
        w(f"- **The {result['target']:.0%} target is not met.** No per-run tuning was done; the one "
          "permitted lever, a kernel efficiency per chip family calibrated on that family's runs, "
          "is applied (see the end). The misses are explained under Outliers: the runs scatter by "
          "about a factor of two around any single efficiency per chip (A100 runs from 24% to 55% "
          "MFU). The issue expected the naive baseline near 20%; on these inputs it is higher, "
          "because most of these runs reached well under 40% MFU.")
    if result["median_abs_mfu_error_pp"] is not None:
        w(f"- Median absolute MFU error where MFU is reported: "
          f"{result['median_abs_mfu_error_pp']:.1f} percentage points.")
    w(f"- Predicted: {len(result['runs'])} runs; not predicted: {len(result['not_predicted'])} "
      "(reasons below). Every run of runs.csv is in one of the two lists.\n")
    w("## Reported vs predicted\n")
    w("| Run | Chip × count | Reported GPU-h | Predicted GPU-h | Error | Baseline GPU-h | "
      "Baseline error | MFU reported | MFU predicted | Plan chosen |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    kind_mark = {"reported": "", "derived": " (d)", "upper_bound": " (≤)", "none": ""}
    for r in result["runs"]:
        rep = _fmt_h(r["reported_gpu_hours"]) + kind_mark.get(r["reported_kind"], "")
        err = _fmt_pct(r["error"]) + ("" if r["in_median"] or r["error"] is None else " †")
        berr = _fmt_pct(r["baseline_error"]) + ("" if r["in_median"] or r["baseline_error"] is None else " †")
        w(f"| {r['run_id']} | {r['accelerator']} × {r['chips']:,} | {rep} | "
          f"{_fmt_h(r['predicted_gpu_hours'])} | {err} | {_fmt_h(r['baseline_gpu_hours'])} | {berr} | "
          f"{_fmt_pct(r['mfu_reported'], False)} | {_fmt_pct(r['mfu_predicted'], False)} | {r['plan']} |")
    w("\n(d) derived = chips × days × 24 from stated figures; (≤) an upper bound, not a "
      "measurement; † not counted in the median (no measured figure). Details of each "
      "figure's source are in runs_inputs.json.\n")
    w("### What each compared figure is\n")
    for r in result["runs"]:
        rep = inputs[r["run_id"]]["gpu_hours_reported"]
        extra = f" {rep['note']}" if rep.get("note") else ""
        w(f"- **{r['run_id']}**: {rep['source']}.{extra} Chips: {inputs[r['run_id']]['num_chips']['source']}.")
    w("")
    w("## Outliers (|error| > 25%)\n")
    if not result["outliers"]:
        w("None.\n")
    for o in result["outliers"]:
        w(f"- **{o['run_id']}** ({_fmt_pct(o['error'])}): {o['explanation']}")
    w("")
    others = [r for r in result["runs"] if r["run_id"] not in {o["run_id"] for o in result["outliers"]}
              and r["run_id"] in OUTLIER_NOTES]
    if others:
        w("### Context for the other runs\n")
        for r in others:
            w(f"- **{r['run_id']}** ({_fmt_pct(r['error'])}): {OUTLIER_NOTES[r['run_id']]}")
        w("")
    w("## Not predicted\n")
    for n in result["not_predicted"]:
        w(f"- **{n['run_id']}**: {n['reason']}")
    w("")
    w(_calibration_section())
    if loo is not None:
        w("## Out-of-sample check: leave one run out\n")
        w("The median above is in-sample: each family's efficiency was calibrated on the runs it "
          "is then compared with. `benchmarks/calibrate.py --loo` predicts each run of a calibrated "
          "family (one with at least three runs) with the efficiency fitted on the family's *other* "
          f"runs only. Median absolute error: **{_fmt_pct(loo['median_abs_error'], False)}** "
          f"(in-sample {_fmt_pct(result['median_abs_error'], False)}, naive baseline "
          f"{_fmt_pct(result['baseline_median_abs_error'], False)}). Expect errors of this size for "
          "a run the tool has not seen.\n")
        w("| Run | Error, leave-one-out |")
        w("|---|---:|")
        for rid, e in loo["errors"].items():
            w(f"| {rid} | {_fmt_pct(e)} |")
        w("")
    return "\n".join(out) + "\n"


def _calibration_section() -> str:
    """What the catalog's kernel efficiencies are, read from the catalog itself."""
    from core.catalog import accelerators

    lines = [
        "## Kernel efficiency: calibrated per chip family\n",
        "`benchmarks/calibrate.py` sets one number per chip family that has at least two runs "
        "here, so that the median predicted/reported GPU-hours over that family's runs is 1. "
        "Chips of the same silicon share it; chips whose assumption was set relative to a family "
        "keep their ratio. Every other chip keeps a stated assumption. All are `estimate: true` "
        "in `resources/catalog/accelerators.json`.\n",
        "| Chip | Kernel efficiency | Basis |",
        "|---|---:|---|",
    ]
    for chip in accelerators().values():
        fig = chip.kernel_efficiency
        if fig is None:
            continue
        lines.append(f"| {chip.id} | {fig.value:.3f} | {fig.note.split('. ')[0]} |")
    lines += [
        "",
        "Read the table with that in mind: the calibration puts the median run of each family on "
        "the line by construction (DeepSeek-V3 for Hopper, hence its 0%; between StarCoderBase "
        "and OPT for Ampere), so those errors are not independent evidence; the spread of the "
        "others around them is. "
        "The Ampere figure describes what the A100 runs of 2021-23 achieved with their software "
        "(25-36% MFU); MegaScale's tuned stack ran about twice as fast on the same chips. The "
        "Hopper figure is anchored by DeepSeek-V3, Llama 3.1 405B and SmolLM3. Change a chip's "
        "figure in the catalog to model a better or worse stack.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--no-write", action="store_true", help="do not rewrite docs/validation.md")
    args = ap.parse_args(argv)
    result = run_validation()
    if not args.no_write:
        import calibrate  # benchmarks/ is on sys.path when run as a script

        DOC.write_text(render_markdown(result, calibrate.leave_one_out()), encoding="utf-8")
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"median |error| model {_fmt_pct(result['median_abs_error'], False)}, "
              f"baseline {_fmt_pct(result['baseline_median_abs_error'], False)}; "
              f"{len(result['runs'])} predicted, {len(result['not_predicted'])} not predicted; wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
