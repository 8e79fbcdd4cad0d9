"""Validate the estimate against published training runs, out of sample.

Reads ``resources/validation/runs.csv`` and ``runs_extra.csv`` (the sourced tables, unchanged)
and ``resources/validation/runs_inputs.json`` (the inputs taken from them, each with its
source), predicts every run with ``core.estimate`` and writes ``docs/validation.md``.

Every run is reduced to one number, predicted / reported GPU-hours (the ratio):

* GPU-hours runs (stated, or chips × days × 24): predicted GPU-hours / reported;
* throughput runs (tokens/s per chip, TFLOP/s per chip, MFU; benchmarks and stated rates),
  predicted at the published layout: reported rate / predicted rate, i.e. the GPU-hours ratio
  for any fixed token count at steady state (no interruptions).

Runs without a published chip count are predicted at each count of a stated range; the
median over the range is the prediction and the min-max is reported as its spread.

Three predictors are compared on the same runs:

* the model: the planner's physics with the kernel efficiency of the run's chip family and
  software-maturity class (``typical``: a 2023+ stack, runs published 2023 or later; ``legacy``:
  before), times one benchmark factor for throughput benchmarks. These few constants are
  medians over labs of the efficiency that reproduces each run, and the headline figure is
  **leave-one-lab-out**: every constant is refitted without the held-out lab's runs, then that
  lab is predicted;
* the naive rule ``6·N·D / (peak_bf16 × 40%)``, N = active parameters of the model;
* the plain model: the same physics with one efficiency (half of peak on the matrix work) at
  a standard layout (TP 8, the smallest PP that fits, the rest DP).

Usage::

    PYTHONPATH=. python benchmarks/validate.py          # writes docs/validation.md
    PYTHONPATH=. python benchmarks/validate.py --json   # prints the result as JSON too
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.catalog import Accelerator, get_accelerator  # noqa: E402
from core.errors import InputError  # noqa: E402
from core.estimate import EstimateResult, estimate  # noqa: E402
from core.maturity import family_of  # noqa: E402
from core.model import ModelSpec  # noqa: E402
from core.planner import FixedLayout, default_global_batch_tokens  # noqa: E402
from core.presets import preset_spec  # noqa: E402
from core.training import PhysicsOptions, TrainingSpec  # noqa: E402

RUNS_CSV = ROOT / "resources" / "validation" / "runs.csv"
EXTRA_CSV = ROOT / "resources" / "validation" / "runs_extra.csv"
INPUTS_JSON = ROOT / "resources" / "validation" / "runs_inputs.json"
DOC = ROOT / "docs" / "validation.md"

BASELINE_MFU = 0.40
PLAIN_EFFICIENCY = 0.5
OUTLIER_THRESHOLD = 0.25
TARGET = 0.15
# Kinds of reported figures that count in the medians: stated by the authors, derived from stated
# figures (chips × days × 24, an iteration time), or the midpoint of a rounded published band.
# Upper and lower bounds are shown but are not measurements.
MEDIAN_KINDS = ("reported", "derived", "band")
# Kernel efficiencies each run is predicted at; any other value is interpolated (log-log).
EFF_GRID = (0.18, 0.24, 0.31, 0.4, 0.5, 0.62, 0.76, 0.92)
FINE_MOE_EXPERTS = 16  # more routed experts than this: fine-grained MoE
MIN_RUNS = 2  # a class/family constant needs at least this many training runs, else pooled
# One typical efficiency for every chip family (the median lab over Ampere and Hopper runs
# together): the chip's roofline (peak, HBM bandwidth, links) carries the difference between
# chips, not a constant per family. Per-family constants gave 19.4 % under leave-one-lab-out
# against 15.9 % pooled (docs/validation.md, model selection).
POOL_FAMILIES = True
BY_LAB = True  # medians over labs (each lab's median first), not over runs: an unseen run is an unseen lab
FAMILY_LABEL = {"ampere": "Ampere (A100/A800)", "hopper": "Hopper (H100/H800)", "other": "others"}
ARCHS = ("dense", "coarse-moe", "fine-moe")
Z90 = 1.2816  # standard-normal quantile of P90: a P10-P90 band is ±Z90 log-SD

# Facts behind runs whose |error| exceeds 25 % (kept from the in-sample validation; nothing here
# changes a prediction).
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
        "Meta's layout is TP8 × PP16 × DP128 (Table 4) with the published 16M-token batch: 16 "
        "micro-batches of 8K per pipeline do not fit 80 GB with selective recomputation alone "
        "(Korthikanti 2022), so a third of the layers are recomputed in full. The planner's own "
        "search picks the same layout (typical and frontier settings alike). The reported 41% MFU is "
        "far above the 2023+ median, and the card's 30.84M GPU-hours also include the long-context "
        "stages."
    ),
    "megascale-175b-12288gpu": (
        "MegaScale is a tuned benchmark (55.2% MFU at 12,288 GPUs, 59-65% at smaller scale: fused "
        "operators and overlapped TP/PP/DP communication), and its 1.75 days is a projection from "
        "6.34 s/iteration with no failures, so it is compared as a throughput benchmark."
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
        "FP8 (capped at 1.5× over BF16), the published batch, the published layout (TP1 × PP16 × "
        "EP64, ZeRO-1) and the published overlap (DualPipe hides the all-to-all: "
        "runs_inputs.json 'physics'). Without those two facts the planner's own plan came out "
        "+26 %; with the layout alone and the default half-hidden all-to-all, +61 %."
    ),
    "llama-3.2-1b": (
        "Pruned from Llama 3.1 8B and trained with Llama 3.1 8B/70B logits as token-level targets "
        "(model card). The card lists the teacher 'Logit Generation Time' (86k GPU-h for 1B and 3B "
        "together) in a separate column, so the 370k compared here excludes the teacher forward "
        "passes; it does cover pruning, distillation and post-training, and the tokens are 'up to 9T'."
    ),
    "llama-3.2-3b": (
        "As Llama 3.2 1B: teacher logit generation (86k GPU-h for both) is reported separately and "
        "not in the 460k compared; 'Training time' covers pruning, distillation and post-training."
    ),
    "mt-nlg-530b": (
        "No GPU-hours reported; only MFU is compared: 29.7% reported (PaLM Table 3)."
    ),
}


@dataclass
class Run:
    run_id: str
    csv: str
    lab: str
    kind: str  # production / benchmark
    arch: str
    maturity: str
    model: ModelSpec
    training: TrainingSpec
    chip: Accelerator
    counts: list[int]
    count_range: bool
    layout: dict | None
    metric: str  # gpu_hours / tokens_per_s_per_gpu / tflops_per_gpu / mfu
    reported: float
    reported_kind: str
    spec: dict
    notes: list[str] = field(default_factory=list)

    @property
    def family(self) -> str:
        return family_of(self.chip.id)

    @property
    def in_median(self) -> bool:
        return self.reported_kind in MEDIAN_KINDS


def lab_of_org(org: str) -> str:
    """runs.csv has no lab column: the first organisation named, normalised."""
    org = org.split("/")[0].split("(")[0].strip()
    return {"Meta AI": "Meta", "DeepSeek-AI": "DeepSeek", "Microsoft": "Microsoft", "Tsinghua": "Zhipu",
            "Alibaba Qwen": "Alibaba", "ByteDance Seed": "ByteDance"}.get(org, org)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
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


def _arch(model: ModelSpec) -> str:
    if not model.is_moe:
        return "dense"
    return "fine-moe" if model.n_experts > FINE_MOE_EXPERTS else "coarse-moe"


def load_runs() -> tuple[list[Run], list[dict]]:
    """Every run of both csv files: the predictable ones, and the others with their reason."""
    inputs = _load_inputs()
    rows = [(r, "runs.csv", lab_of_org(r["org"]), "production") for r in _rows(RUNS_CSV)]
    rows += [(r, "runs_extra.csv", r["lab"], r["kind"]) for r in _rows(EXTRA_CSV)]
    runs: list[Run] = []
    skipped: list[dict] = []
    for row, src, lab, kind in rows:
        rid = row["run_id"]
        spec = inputs.get(rid)
        if spec is None:
            skipped.append({"run_id": rid, "csv": src, "lab": lab, "reason": "no entry in runs_inputs.json"})
            continue
        if not spec.get("predict"):
            skipped.append({"run_id": rid, "csv": src, "lab": lab, "reason": spec["skip_reason"]})
            continue
        model = _model(spec["model"])
        training = TrainingSpec(tokens=spec["tokens"]["value"], seq_len=spec["seq_len"]["value"],
                                global_batch_tokens=spec["global_batch_tokens"]["value"],
                                precision=spec["precision"]["value"])
        chip = get_accelerator(spec["accelerator"]["value"])
        chips = spec["num_chips"]
        counts = list(chips["range"]) if chips.get("range") else [int(chips["value"])]
        if "reported" in spec:
            rep = spec["reported"]
            metric, reported, rkind = rep["metric"], rep["value"], rep["kind"]
        elif spec["gpu_hours_reported"].get("kind") == "none" and spec.get("mfu_reported", {}).get("value"):
            metric, reported, rkind = "mfu", spec["mfu_reported"]["value"], "reported"
        else:
            rep = spec["gpu_hours_reported"]
            metric, reported, rkind = "gpu_hours", rep["value"], rep.get("kind", "reported")
        runs.append(Run(
            run_id=rid, csv=src, lab=lab, kind=spec.get("kind", kind), arch=_arch(model),
            maturity=spec["maturity"]["value"], model=model, training=training, chip=chip, counts=counts,
            count_range=bool(chips.get("range")), layout=(spec.get("layout") or {}).get("value"),
            metric=metric, reported=float(reported), reported_kind=rkind, spec=spec))
    return runs, skipped


def _fixed(layout: dict | None, count: int) -> FixedLayout | None:
    if not layout:
        return None
    lay = dict(layout)
    dp = lay["dp"]
    if isinstance(dp, str):  # "count" or "count/N": follows the chip count of a range
        lay["dp"] = count // int(dp.split("/")[1]) if "/" in dp else count
    return FixedLayout(**lay)


def megatron_bridge_flops_per_token(model: ModelSpec, seq_len: int) -> float:
    """FLOPs per token as Megatron-Bridge counts them when it reports TFLOP/s per GPU
    (``megatron.bridge.training.utils.flop_utils.num_floating_point_operations``, 2025):
    6 × the active weights of the layers (no input embedding, no router), the output logits
    6·d·V, and the attention scores with **causal** accounting (half of this tool's full,
    non-causal count, PaLM appendix B). No multi-token-prediction layers (an assumption: the
    recipes behind the rounded bands are not published with their MTP setting)."""
    layers = model.active_params_no_embedding() - model.n_moe_layers * model.router_params()
    logits = model.vocab_size * model.d_model
    return 6.0 * (layers + logits) + 0.5 * model.attention_flops_per_token(seq_len)


def _rate_reported(run: Run, res: EstimateResult) -> float:
    """The reported figure as model tokens/s per chip: a TFLOP/s figure is divided by the
    FLOPs per token of the convention it was counted in (runs_inputs.json ``flop_convention``;
    this tool's count when none is named)."""
    if run.metric == "tokens_per_s_per_gpu":
        return run.reported
    if run.metric == "tflops_per_gpu":
        conv = (run.spec.get("flop_convention") or {}).get("value")
        per_token = (megatron_bridge_flops_per_token(run.model, run.training.seq_len)
                     if conv == "megatron-bridge" else res.flops_per_token)
        return run.reported * 1e12 / per_token
    if run.metric == "mfu":
        return run.reported * run.chip.peak_tflops("bf16") * 1e12 / res.flops_per_token
    raise ValueError(run.metric)


def ratio_of(run: Run, res: EstimateResult) -> float:
    """Predicted / reported GPU-hours."""
    if run.metric == "gpu_hours":
        return res.gpu_hours / run.reported
    rate = res.tokens_per_s / res.plan.chips_used
    return _rate_reported(run, res) / rate


def predict(run: Run, count: int, eff: float | None, layout: FixedLayout | None = None,
            use_published: bool = True) -> EstimateResult | None:
    """One estimate; the published layout when there is one (falling back to the search, noted,
    when it does not fit the memory model)."""
    # published facts of the run's stack that the physics has an option for (runs_inputs.json
    # "physics", each with its source), e.g. DeepSeek-V3's fully overlapped all-to-all
    stated = {k: v["value"] for k, v in (run.spec.get("physics") or {}).items()}
    opts = PhysicsOptions(**stated, **({"kernel_efficiency": eff} if eff else {}))
    lay = layout or (_fixed(run.layout, count) if use_published else None)
    try:
        res = estimate(run.model, run.training, run.chip, count, opts, keep=0, layout=lay)
    except InputError as exc:
        if lay is None or layout is not None:
            raise
        run.notes.append(f"published layout refused ({exc}): planner's own plan used")
        return predict(run, count, eff, use_published=False)
    if res.verdict != "feasible":
        if lay is not None and layout is None:
            note = "published layout does not fit the memory model: planner's own plan used"
            if note not in run.notes:
                run.notes.append(note)
            return predict(run, count, eff, use_published=False)
        return None
    return res


_CURVES: dict[str, dict] = {}


def curve(run: Run) -> dict | None:
    """Ratio at every grid efficiency and count (the expensive part; cached per process)."""
    if run.run_id in _CURVES:
        return _CURVES[run.run_id]
    per_count: list[list[float]] = []
    mfus: list[list[float]] = []
    plans: list[str] = []
    for n in run.counts:
        row, mrow = [], []
        for eff in EFF_GRID:
            res = predict(run, n, eff)
            if res is None:
                return None
            row.append(ratio_of(run, res))
            mrow.append(res.mfu)
        per_count.append(row)
        mfus.append(mrow)
        plans.append(res.plan.label() if res.plan else "")
    med = [statistics.median(c[i] for c in per_count) for i in range(len(EFF_GRID))]
    out = {"ratios": med, "per_count": per_count, "mfu": mfus, "plans": plans}
    _CURVES[run.run_id] = out
    return out


def _interp(xs: list[float], ys: list[float], x: float) -> float:
    """Log-log interpolation, linear extrapolation of the end segments."""
    lx = [math.log(v) for v in xs]
    ly = [math.log(v) for v in ys]
    t = math.log(x)
    i = 0 if t <= lx[0] else len(lx) - 2 if t >= lx[-1] else max(j for j in range(len(lx) - 1) if lx[j] <= t)
    w = (t - lx[i]) / (lx[i + 1] - lx[i])
    return math.exp(ly[i] + w * (ly[i + 1] - ly[i]))


def ratio_at(c: dict, eff: float, which: list[float] | None = None) -> float:
    return _interp(list(EFF_GRID), which or c["ratios"], eff)


def implied_efficiency(c: dict) -> float:
    """The kernel efficiency at which the prediction equals the reported figure."""
    lx = [math.log(v) for v in EFF_GRID]
    ly = [math.log(v) for v in c["ratios"]]
    # ratio falls with efficiency: find the segment crossing log ratio = 0, else extrapolate
    for i in range(len(lx) - 1):
        if ly[i] >= 0 >= ly[i + 1]:
            w = ly[i] / (ly[i] - ly[i + 1]) if ly[i] != ly[i + 1] else 0.0
            return math.exp(lx[i] + w * (lx[i + 1] - lx[i]))
    i = 0 if ly[0] < 0 else len(lx) - 2
    slope = (ly[i + 1] - ly[i]) / (lx[i + 1] - lx[i])
    slope = slope if slope < -0.05 else -0.05
    return math.exp(lx[i] - ly[i] / slope)


def _gmedian(xs: list[float]) -> float:
    return math.exp(statistics.median(math.log(x) for x in xs))


def _quantile(vals: list[float], q: float) -> float:
    xs = sorted(vals)
    pos = q * (len(xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (pos - lo) * (xs[hi] - xs[lo])


def fit(train: list[Run], implied: dict[str, float]) -> dict:
    """The few constants, each a median over labs (BY_LAB) of the efficiency that reproduces each run:

    * the ``typical`` kernel efficiency per chip family: production runs of a 2023+ stack;
    * the factor of the ``legacy`` class (pre-2023 stacks) on it, per family;
    * one factor for throughput benchmarks over production runs (steady-state speed vs a whole
      run: data pipeline, evaluation, stragglers, restarts beyond the goodput model), pooled
      over families. It predicts the benchmarks only; a scenario is a production run.

    A family with fewer than MIN_RUNS runs of a class uses the class's figure pooled over
    families. ``frontier`` (reported, not used to predict a run) is the upper quartile of the
    typical production runs' efficiency over the family's median: a well-tuned stack."""
    def gmed(vals: list[float], runs: list[Run] | None = None) -> float | None:
        """Median over runs, or with BY_LAB over labs (each lab's own median first)."""
        if len(vals) < MIN_RUNS:
            return None
        if BY_LAB and runs is not None:
            labs: dict[str, list[float]] = {}
            for v, r in zip(vals, runs, strict=True):
                labs.setdefault(r.lab, []).append(v)
            return _gmedian([_gmedian(x) for x in labs.values()])
        return _gmedian(vals)

    prod = [r for r in train if r.kind != "benchmark" and r.family != "other"]
    typ = [r for r in prod if r.maturity == "typical"]
    typical: dict[str, float] = {"pooled": gmed([implied[r.run_id] for r in typ], typ) or 0.4}
    for fam in ("ampere", "hopper"):
        sub = [r for r in typ if r.family == fam]
        typical[fam] = (typical["pooled"] if POOL_FAMILIES else
                        gmed([implied[r.run_id] for r in sub], sub) or typical["pooled"])
    factors: dict[str, dict[str, float]] = {"typical": {"ampere": 1.0, "hopper": 1.0, "pooled": 1.0}}
    for cls in ("legacy",):
        rel = [r for r in prod if r.maturity == cls]
        pooled = gmed([implied[r.run_id] / typical[r.family] for r in rel], rel) or 1.0
        factors[cls] = {"pooled": pooled}
        for fam in ("ampere", "hopper"):
            sub = [r for r in rel if r.family == fam]
            factors[cls][fam] = gmed([implied[r.run_id] / typical[fam] for r in sub], sub) or pooled
    def upper_quartile(runs: list[Run]) -> float | None:
        """P75 over labs (each lab's median) of implied / typical; None below 4 labs."""
        labs: dict[str, list[float]] = {}
        for r in runs:
            labs.setdefault(r.lab if BY_LAB else r.run_id, []).append(implied[r.run_id] / typical[r.family])
        vals = [_gmedian(v) for v in labs.values()]
        return _quantile(vals, 0.75) if len(vals) >= 4 else None

    factors["frontier"] = {"pooled": upper_quartile(typ) or 1.0}
    for fam in ("ampere", "hopper"):
        factors["frontier"][fam] = (upper_quartile([r for r in typ if r.family == fam])
                                    or factors["frontier"]["pooled"])
    params = {"typical": typical, "factors": factors, "benchmark": 1.0}
    bench = [r for r in train if r.kind == "benchmark"]
    params["benchmark"] = gmed([implied[r.run_id] / efficiency_for(r, params) for r in bench], bench) or 1.0
    params["runs"] = {"typical": sorted(r.run_id for r in typ),
                      "legacy": sorted(r.run_id for r in prod if r.maturity == "legacy"),
                      "benchmark": sorted(r.run_id for r in bench)}
    return params


def efficiency_for(run: Run, params: dict, maturity: str | None = None) -> float:
    fam = run.family
    factor = params["factors"][maturity or run.maturity]
    bench = params["benchmark"] if run.kind == "benchmark" else 1.0
    if fam == "other":
        base = run.chip.v("kernel_efficiency") or 0.5
        return min(0.98, base * factor["pooled"] * bench)
    return min(0.98, params["typical"][fam] * factor[fam] * bench)


def naive_ratio(run: Run) -> float:
    n = run.model.active_params()
    peak = run.chip.peak_tflops("bf16") * 1e12
    if run.metric == "gpu_hours":
        return 6.0 * n * run.training.tokens / (peak * BASELINE_MFU) / 3600.0 / run.reported
    # rate ratio: reported rate / naive rate; needs the tool's FLOP count only for TFLOP/s and MFU
    flops_token = run.model.training_flops_per_token(run.training.seq_len)
    if run.metric == "tokens_per_s_per_gpu":
        rep = run.reported
    elif run.metric == "tflops_per_gpu":
        rep = run.reported * 1e12 / flops_token
    else:
        rep = run.reported * peak / flops_token
    return rep / (peak * BASELINE_MFU / (6.0 * n))


def plain_layout(run: Run, count: int, pp: int) -> FixedLayout:
    tp = next(t for t in (8, 4, 2, 1) if run.model.n_heads % t == 0 and t <= count)
    gbt = run.training.global_batch_tokens or default_global_batch_tokens(run.model, run.training)
    dp = max(1, min(count // (tp * pp), gbt // run.training.seq_len))
    # MoE: experts spread over the data-parallel ranks of a node (EP up to 8)
    ep = next((e for e in (8, 4, 2) if run.model.is_moe and dp % e == 0 and run.model.n_experts % e == 0), 1)
    # ZeRO-1 at most (Megatron's distributed optimizer): "the smallest PP that fits" means the
    # pipeline, not ZeRO-3, brings the model states under the memory
    return FixedLayout(tp=tp, pp=pp, dp=dp, ep=ep, max_zero=1)


def plain_ratio(run: Run) -> float | None:
    """Half of peak on the matrix work, TP 8, the smallest PP that fits, the rest DP."""
    ratios = []
    for n in run.counts:
        got = None
        for pp in (1, 2, 4, 8, 16, 32, 64, 128):
            lay = plain_layout(run, n, pp)
            if pp > run.model.n_layers or lay.tp * pp > n:
                break
            try:
                res = predict(run, n, PLAIN_EFFICIENCY, layout=lay)
            except InputError:
                continue
            if res is not None:
                got = ratio_of(run, res)
                break
        if got is None:
            return None
        ratios.append(got)
    return statistics.median(ratios)


def _err(ratio: float | None) -> float | None:
    return None if ratio is None else ratio - 1.0


def _med_abs(xs: list[float | None]) -> float | None:
    vals = [abs(x) for x in xs if x is not None]
    return statistics.median(vals) if vals else None


def _gsd(ratios: list[float]) -> float | None:
    if len(ratios) < 2:
        return None
    return math.exp(statistics.stdev(math.log(r) for r in ratios))


def run_validation() -> dict:
    runs, skipped = load_runs()
    ok: list[Run] = []
    for run in runs:
        try:
            c = curve(run)
        except InputError as exc:
            skipped.append({"run_id": run.run_id, "csv": run.csv, "lab": run.lab,
                            "reason": f"estimate refused the inputs: {exc}"})
            continue
        if c is None:
            skipped.append({"run_id": run.run_id, "csv": run.csv, "lab": run.lab,
                            "reason": "estimate infeasible at every plan"})
            continue
        ok.append(run)
    implied = {r.run_id: implied_efficiency(_CURVES[r.run_id]) for r in ok}
    counted = [r for r in ok if r.in_median]
    full = fit(counted, implied)
    # leave-one-lab-out: refit without the lab, predict the lab (runs outside the median too)
    cv_eff: dict[str, float] = {}
    cv_params: dict[str, dict] = {}
    for lab in sorted({r.lab for r in ok}):
        params = fit([r for r in counted if r.lab != lab], implied)
        cv_params[lab] = params
        for r in ok:
            if r.lab == lab:
                cv_eff[r.run_id] = efficiency_for(r, params)
    rows = []
    for r in ok:
        c = _CURVES[r.run_id]
        e_cv, e_in = cv_eff[r.run_id], efficiency_for(r, full)
        cv = ratio_at(c, e_cv)
        spread = ([ratio_at(c, e_cv, pc) for pc in c["per_count"]] if r.count_range else None)
        mid = len(r.counts) // 2
        rows.append({
            "run_id": r.run_id, "csv": r.csv, "lab": r.lab, "kind": r.kind, "arch": r.arch,
            "family": r.family, "maturity": r.maturity, "accelerator": r.chip.id,
            "chips": r.counts if r.count_range else r.counts[0], "metric": r.metric,
            "reported": r.reported, "reported_kind": r.reported_kind, "in_median": r.in_median,
            "efficiency_cv": e_cv, "efficiency_in_sample": e_in, "efficiency_implied": implied[r.run_id],
            "ratio_cv": cv, "error_cv": cv - 1.0,
            "error_in_sample": ratio_at(c, e_in) - 1.0,
            "spread_cv": None if spread is None else [min(spread) - 1.0, max(spread) - 1.0],
            "baseline_error": _err(naive_ratio(r)), "plain_error": _err(plain_ratio(r)),
            "mfu_predicted_cv": _interp(list(EFF_GRID), c["mfu"][mid], e_cv),
            "plan": c["plans"][mid], "notes": list(dict.fromkeys(r.notes)),
        })

    # P10-P90 band from the spread: the held-out lab's band uses the geometric SD of the other
    # labs' cross-validated ratios (same family; all families pooled below 3 runs), ±1.2816 SD.
    med_all = [x for x in rows if x["in_median"]]
    for x in rows:
        others = [y["ratio_cv"] for y in med_all if y["lab"] != x["lab"]]
        fam = [y["ratio_cv"] for y in med_all if y["lab"] != x["lab"] and y["family"] == x["family"]]
        gsd = _gsd(fam if len(fam) >= 3 else others) or 1.0
        x["band_gsd"] = gsd
        x["in_p10_p90"] = abs(math.log(x["ratio_cv"])) <= Z90 * math.log(gsd)

    def summary(sel: list[dict]) -> dict:
        return {
            "runs": len(sel),
            "labs": len({x["lab"] for x in sel}),
            "median_abs_error_cv": _med_abs([x["error_cv"] for x in sel]),
            "median_abs_error_in_sample": _med_abs([x["error_in_sample"] for x in sel]),
            "baseline_median_abs_error": _med_abs([x["baseline_error"] for x in sel]),
            "plain_median_abs_error": _med_abs([x["plain_error"] for x in sel]),
            "gsd_cv": _gsd([x["ratio_cv"] for x in sel]),
            "median_ratio_cv": statistics.median(x["ratio_cv"] for x in sel) if sel else None,
            "coverage_p10_p90": (sum(x["in_p10_p90"] for x in sel) / len(sel)) if sel else None,
        }

    med_rows = [x for x in rows if x["in_median"]]
    by_family = {f: summary([x for x in med_rows if x["family"] == f]) for f in ("ampere", "hopper", "other")}
    by_arch = {a: summary([x for x in med_rows if x["arch"] == a]) for a in ARCHS}
    by_maturity = {m: summary([x for x in med_rows if x["maturity"] == m]) for m in ("typical", "legacy")}
    by_kind = {k: summary([x for x in med_rows if x["kind"] == k]) for k in ("production", "benchmark")}
    overall = summary(med_rows)
    outliers = [x["run_id"] for x in rows if abs(x["error_cv"]) > OUTLIER_THRESHOLD]
    return {
        "runs": rows, "not_predicted": skipped, "overall": overall, "by_family": by_family,
        "by_arch": by_arch, "by_maturity": by_maturity, "by_kind": by_kind, "fit": full,
        "cv_fits": cv_params, "outliers": outliers, "target": TARGET,
        # the figures older callers read
        "median_abs_error": overall["median_abs_error_cv"],
        "baseline_median_abs_error": overall["baseline_median_abs_error"],
        "runs_in_median": [x["run_id"] for x in med_rows],
    }


def _fmt_pct(x: float | None, signed: bool = True) -> str:
    if x is None:
        return "—"
    return f"{x:+.0%}" if signed else f"{x:.1%}"


def _fmt_num(x: float) -> str:
    if x >= 1e6:
        return f"{x / 1e6:,.2f}M"
    if x >= 1e4:
        return f"{x / 1e3:,.0f}K"
    if x < 1:
        return f"{x:.1%}"
    return f"{x:,.1f}"


METRIC_LABEL = {"gpu_hours": "GPU-h", "tokens_per_s_per_gpu": "tok/s/chip", "tflops_per_gpu": "TFLOP/s/chip",
                "mfu": "MFU"}


def _summary_table(w, title: str, groups: dict[str, dict], labels: dict[str, str]) -> None:
    w(f"| {title} | Runs | Labs | **Model, leave-one-lab-out** | Naive 6ND/(peak×40%) | Plain model | "
      "Model, in-sample | Spread (GSD), CV | P10–P90 coverage, CV |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, s in groups.items():
        if not s["runs"]:
            continue
        gsd = "—" if s["gsd_cv"] is None else f"×{s['gsd_cv']:.2f}"
        w(f"| {labels.get(key, key)} | {s['runs']} | {s['labs']} | **{_fmt_pct(s['median_abs_error_cv'], False)}** | "
          f"{_fmt_pct(s['baseline_median_abs_error'], False)} | {_fmt_pct(s['plain_median_abs_error'], False)} | "
          f"{_fmt_pct(s['median_abs_error_in_sample'], False)} | {gsd} | "
          f"{_fmt_pct(s['coverage_p10_p90'], False)} |")
    w("")


def render_markdown(result: dict) -> str:
    inputs = _load_inputs()
    out: list[str] = []
    w = out.append
    o = result["overall"]
    fit = result["fit"]
    plain = [1.0 + x["plain_error"] for x in result["runs"] if x["in_median"] and x["plain_error"] is not None]
    plain_bias = _gmedian(plain)
    plain_unbiased = statistics.median(abs(x / plain_bias - 1.0) for x in plain)
    w("# Validation against published training runs\n")
    w("Generated by `benchmarks/validate.py` (do not edit by hand). Inputs: `resources/validation/runs.csv` "
      "and `runs_extra.csv` (the sourced tables, unchanged) and `resources/validation/runs_inputs.json` "
      "(what is fed to the estimate, with the source of each value). Every prediction is "
      "`core.estimate.estimate()`; runs with a published layout are predicted at that layout "
      "(`core.planner.FixedLayout`), the others at the planner's fastest plan.\n")
    w("Each run is compared as **predicted / reported GPU-hours**: for a run with GPU-hours (stated, or "
      "chips × days × 24) directly; for a throughput figure (tokens/s, TFLOP/s or MFU per chip, at the "
      "published layout) as reported rate / predicted rate, the GPU-hours ratio for any token count at "
      "steady state. Error = ratio − 1. A run without a published chip count is predicted at each count "
      "of a stated range (in runs_inputs.json); the median is its prediction and the spread over the "
      "range is shown.\n")
    w("## Headline: leave-one-lab-out cross-validation\n")
    w(f"- **Median |error| on GPU-hours, leave-one-lab-out: {_fmt_pct(o['median_abs_error_cv'], False)}** "
      f"over {o['runs']} runs from {o['labs']} labs. Every fitted constant (below) is refitted without the "
      "held-out lab's runs, then that lab's runs are predicted. This is the figure to expect for a run the "
      "tool has not seen.")
    w(f"- Same runs, naive rule 6·N·D / (peak × 40 %): **{_fmt_pct(o['baseline_median_abs_error'], False)}**; "
      f"plain model (the same physics with one efficiency, half of peak on the matrix work, at TP 8, the "
      f"smallest PP that fits with ZeRO-1 at most, EP up to 8 for MoE): "
      f"**{_fmt_pct(o['plain_median_abs_error'], False)}**, most of it a bias (median predicted / reported "
      f"×{plain_bias:.2f}: half of peak before the narrow-GEMM and token rooflines, TP 8 even for small "
      "models, is a low efficiency); divided by that bias, which a plain model fitted on these runs would "
      f"find, {_fmt_pct(plain_unbiased, False)} in-sample.")
    w(f"- Spread: geometric SD of predicted / reported under cross-validation ×{o['gsd_cv']:.2f} "
      "(per family below; `resources/catalog/maturity.json` carries it for Monte Carlo ranges).")
    w(f"- Calibration of that spread: a P10–P90 band of ±{Z90} geometric SDs, the SD taken from the "
      f"*other* labs' cross-validated ratios, holds the reported figure for "
      f"**{_fmt_pct(o['coverage_p10_p90'], False)}** of the runs (target 80 % ± 10 %).")
    w("- With the model selection included (the variant of the efficiency model chosen in each fold "
      "without the held-out lab, `benchmarks/model_selection.py`, below): 13.9 % (18.2 % before the third round's rows and layouts). The headline figure is "
      "the chosen model's; this one says how much of it the choosing may have bought.")
    w(f"- In-sample (constants fitted on all runs, the same runs predicted): "
      f"{_fmt_pct(o['median_abs_error_in_sample'], False)}. Secondary: it flatters the model.")
    hit = o["median_abs_error_cv"] <= TARGET
    fams_below = [f for f in ("ampere", "hopper") if result["by_family"][f]["runs"]
                  and result["by_family"][f]["median_abs_error_cv"] < result["by_family"][f]["baseline_median_abs_error"]]
    w(f"- Target (issue 10): ≤ {TARGET:.0%} and below the naive rule on each hardware family. "
      + ("**Met overall.** " if hit else "**Not met overall.** ")
      + ("Below the naive rule on: " + (", ".join(FAMILY_LABEL[f] for f in fams_below) or "no family") + ".")
      + " The stretch goal (below the 12 % a plain model reached on the issue's unseen runs) is not "
        "reached.\n")
    w("### By hardware family\n")
    _summary_table(w, "Family", result["by_family"], FAMILY_LABEL)
    w("### By architecture\n")
    _summary_table(w, "Architecture", result["by_arch"],
                   {"dense": "dense", "coarse-moe": "coarse MoE (≤ 16 experts)", "fine-moe": "fine-grained MoE (> 16)"})
    w("### By software-maturity class and by kind\n")
    _summary_table(w, "Class / kind", {**result["by_maturity"], **result["by_kind"]},
                   {"typical": "typical (published 2023+)", "legacy": "legacy (published before 2023)",
                    "production": "production runs", "benchmark": "throughput benchmarks"})
    w("## The efficiency model and its fitted constants\n")
    w("The physics (memory, parallel layout, communication, pipeline bubble, goodput) is the planner's, "
      "unchanged per run. What is fitted is the kernel efficiency (the share of peak the matrix work "
      "reaches), with few constants, each a median of the efficiency that reproduces each run, taken "
      "over labs (each lab's own median first: a run the tool has not seen comes from a lab it has "
      "not seen, so the central value is the median lab, not the median run). No constant is tuned "
      "to one run:\n")
    if POOL_FAMILIES:
        w(f"- `typical` (a 2023+ stack; every run published in 2023 or later): **{fit['typical']['ampere']:.3f}**, "
          "one value for Ampere and Hopper (production runs only; the median over labs of both families' "
          "runs). The difference between chips is the physics': each chip's roofline ridge (peak over HBM "
          "bandwidth) sets how wide a GEMM must be to reach that efficiency, and its links set the "
          "communication. This is the catalog's `kernel_efficiency` for these chips and the default for a "
          "scenario.")
    else:
        w(f"- `typical` (a 2023+ stack; every run published in 2023 or later): Ampere "
          f"**{fit['typical']['ampere']:.3f}**, Hopper **{fit['typical']['hopper']:.3f}** (production runs only). "
          "This is the catalog's `kernel_efficiency` for these chips and the default for a scenario.")
    w(f"- `legacy` (runs published before 2023): ×{fit['factors']['legacy']['ampere']:.3f} on Ampere "
      f"(×{fit['factors']['legacy']['pooled']:.3f} pooled, used where a family has fewer than {MIN_RUNS} runs).")
    w(f"- Throughput benchmarks over production runs: ×{fit['benchmark']:.3f}, one factor pooled over "
      "families (steady-state speed vs the whole run: data loading, evaluation, stragglers, restarts beyond "
      "the goodput model). Used to predict the benchmarks only; a scenario is a production run.")
    w(f"- `frontier` (not used to predict a run): the upper quartile over labs of the 2023+ production "
      f"runs' efficiency over the typical value, ×{fit['factors']['frontier']['ampere']:.3f} Ampere, "
      f"×{fit['factors']['frontier']['hopper']:.3f} Hopper. `first-port`: an estimate (see maturity.json).")
    w("- The class of a run follows one rule, its publication year (runs_inputs.json `maturity`); chips "
      "outside both families (V100, TPU v4, TPU v5p) keep their catalog assumption times the pooled class factor.\n")
    w("Model selection, stated openly: the choices were made after trying others under the same "
      "leave-one-lab-out test. Medians over runs instead of labs gave 22.5 % (Ampere 24.1 %, above the "
      "naive rule). With medians over runs, one class for every run gave 26.8 %; classes by the reputation of each "
      "lab's stack (frontier: NVIDIA, Meta, DeepSeek, MosaicML, ByteDance; typical: the others) 26.5 % "
      "(measured before the expert-width term below); counting the five Pythia runs (GPT-NeoX trained in "
      "2022, published 2023) as pre-2023 22.6 %. The publication-year rule is the issue's own diagnosis "
      "(the old Ampere figure was fitted on 2020–22 runs) and needs no per-run judgement, so it was kept. "
      "The differences between rules are within the lab-to-lab scatter.\n")
    w("Issue 10, second round (one constant fewer). The narrow-GEMM penalty `x/(x+K)` had a constant "
      "knee K = 128 for every chip, and each chip family had its own typical efficiency (Ampere 0.588, "
      "Hopper 0.486): 19.8 % (Ampere 18.9 %, Hopper 23.5 %, coverage 87.3 %). Small dense models on "
      "H100 (Llama 3 8B, Phi-3) came out too fast and the largest (Llama 3.1 405B, Nemotron-4 340B) too "
      "slow within the same labs, which a per-family constant cannot express. The knee is now the chip's "
      "roofline ridge R = peak / HBM bandwidth in FLOPs per 2-byte element (A100 153, H100 295; the "
      "same R the token-count roofline already used), and one typical efficiency serves both families. "
      "`benchmarks/model_selection.py` measures the variants on the current inputs under the same "
      "leave-one-lab-out test: K = 128 per family 19.1 %, K = 128 pooled 19.6 %, K = R per family "
      "18.9 %, **K = R pooled 15.6 % (kept)**; sensitivity, not used: K = R/2 17.5 % pooled, 19.6 % per "
      "family; K = 2R 17.9 % pooled, 20.1 % per family; medians over runs instead of labs (K = R pooled) "
      "18.2 %. The ridge is a chip figure, not a fitted value, and pooling removes a constant; but the "
      "median |error| moves by 2-4 points between neighbouring variants, so part of the gain is the "
      "luck of the choice. Measured: if the variant is chosen inside each fold by the other labs' "
      "leave-one-lab-out error, the held-out median is **18.2 %** over the four variants compared first "
      "(K = 128 or R, per family or pooled) and 21.0 % over all eight; that, not 15.6 %, is the figure "
      "with the model selection included.\n")
    w("MoE costs: the planner costs routed experts with a roofline on their tokens per expert, the "
      "tile penalty on their narrow width f_e (new: `x_e = min(d, f_e)/t`, docs/physics.md), permutation as "
      "memory-bound traffic (4·k·d per token and MoE layer) and the all-to-all (half hidden by default; "
      "fully for DeepSeek-V3, whose report states it, runs_inputs.json `physics`). Megatron-Bridge's "
      "TFLOP/s bands are converted to tokens/s with Megatron-Bridge's own FLOP count (causal attention, "
      "logits, no input embedding; runs_inputs.json `flop_convention`), 13-23 % fewer FLOPs per token "
      "than this tool's count: fine-grained MoE 28.6 % → 27.7 %, the headline unchanged. DeepSeek-V3 "
      "at its published layout and overlap: fine-grained MoE 27.7 % → 19.5 %, headline 15.9 % → 15.6 %. "
      "No further fine-grained-MoE penalty was fitted. Where the error sits: the three production runs "
      "(DeepSeek-V3, DeepSeek-V2, Llama 4 Maverick) land within ±10 %; what is left is NVIDIA's three "
      "rounded Megatron-Bridge bands, and they disagree in sign (Qwen3-30B-A3B and DeepSeek-V3 on H100 "
      "come out fast, Qwen3-235B-A22B slow) in a way neither the expert width (768, 2048 vs 1536) nor "
      "the tokens per expert per micro-batch orders, so a width- or token-dependent penalty fitted on "
      "them would fit the weakest rows. It is not a benchmark-vs-production split either: Mixtral and "
      "Grok-1 benchmarks (coarse MoE, same lab) land within 16 %.\n")
    w("Issue 10, third round (sourced rows and run facts, no new constant). Before: 15.6 % over 63 runs "
      "from 15 labs (Ampere 15.5 %, Hopper 16.0 %), coverage 82.5 %, naive rule 22.0 %, nested model "
      "selection 18.2 %. Added, each with its source, and what each did to the leave-one-lab-out median: "
      "(1) TPU v4's ICI, 540 GB/s per chip, derived from the per-link rate (4.5e10 bytes/s one-way, Google "
      "DeepMind's scaling book, 2025-02-04) and the six links of the 3D torus (Jouppi et al., ISCA 2023; "
      "Google's v4 docs), and its DCN, 6.25 GB/s per chip, an estimate (the scaling book's typical 25 GB/s "
      "per 4-chip host); catalog sources V01, V02. This unskipped PaLM 540B (+18 %) and made OpenLLaMA 7B "
      "predictable (-28 %, a lower bound, not in the median): 15.6 % -> 15.8 % over 64 runs. PaLM is "
      "predicted at the planner's own plan: its published layout (12-way model parallel x 256-way FSDP "
      "inside each pod, weights replicated across the two pods) is hybrid sharding, which the planner "
      "cannot represent; the nearest layout it has (ZeRO-3 across both pods, all-gathers over DCN) came out "
      "+154 % (runs_inputs.json `layout_published`). TPU v4's kernel efficiency (0.60) is the catalog's "
      "assumption, whose note already cites PaLM's MFU, so PaLM is not an unseen run for it. (2) Three TPU "
      "v5p throughput benchmarks from MaxText's v5p README at their launch scripts' layouts (runs_extra.md), "
      "+0 to +5 % with TPU v5p's assumed 0.60 times the benchmark factor; they also enter the pooled "
      "benchmark factor: 15.8 % -> 14.9 % over 67 runs, and on the 63 earlier runs 15.5 %: the drop is "
      "mostly rows that land close, not better predictions. (3) Published layouts of production runs the "
      "table had predicted at the planner's own plan: the five Pythia runs at their GPT-NeoX configs "
      "(EleutherAI/pythia models/*.yml: TP, micro-batch x accumulation, ZeRO-1 and activation checkpointing "
      "of every layer, which needed a new `recompute` field on the fixed layout: full recomputation of every "
      "layer, not only of as many as the memory needs), and StarCoderBase at TP4 x PP4 x DP32 with "
      "micro-batch 1 (the paper's multi-node setup). Pythia 12B -31 % -> -10 %, StarCoderBase -26 % -> "
      "-19 %; Pythia 2.8B's config does not fit the memory model (the full-recompute working set counts "
      "the attention scores, which its flash attention does not keep) and falls back to the planner's plan. "
      "The typical efficiency moved 0.555 -> 0.564 (EleutherAI's median run moved): 14.9 % -> **13.8 %** "
      "(Ampere 12.4 %, Hopper 16.1 %), coverage 88.1 %. (4) MegaScale (ByteDance): the 175B benchmark "
      "at its Table 1 layout (TP 8 x PP 8; it had been predicted at the planner's plan), +23 % -> +18 %, "
      "and the 530B weak-scaling benchmark, skipped for having no token count, compared as what it "
      "reports, an MFU (54.3 % at 2,240 GPUs, TP 8 x PP 35, batch = #GPUs): -7 %. After all steps: "
      "**13.5 %** over 68 runs from 16 labs (Ampere 11.0 %, Hopper 15.7 %, others 6.6 %), 14.0 % on the "
      "63 runs of before, coverage 88.2 % (inside 80 % ± 10 %, near its upper edge: the band is now a "
      "little wide), naive rule 26.9 %. (5) Llama 3.2 1B/3B: the model card lists 'Logit "
      "Generation Time' (86k GPU-h for both) in its own column, separate from the 370k / 460k training "
      "hours, so the teacher forward passes are not in the compared figure and no teacher-forward term was "
      "added; the card's 'Training time' covers pruning, distillation and post-training, which the "
      "prediction does not model. No stated fact was found for Llama 3 8B, Phi-3 or BloombergGPT beyond "
      "what runs_inputs.json carries. No other skipped row became predictable: the rest lack a chip count, "
      "a token count, a comparable figure or a catalog chip (TPU v3, Ascend 910, MI250X have no sourced "
      "catalog entry). Model selection re-measured on these inputs (`benchmarks/model_selection.py`): "
      "K = R pooled (kept) 13.5 %, K = R per family 14.7 %, K = 128 per family 13.7 %, K = 128 pooled "
      "13.0 %; a constant knee now measures a little lower than the kept ridge knee. The variant was not "
      "switched (that would be another choice made on the same runs); chosen inside each fold the "
      "held-out median is **13.9 %**, the figure with the model selection included.\n")
    w("## Every run\n")
    w("Error columns: the model under leave-one-lab-out (CV), the naive rule, the plain model. "
      "Efficiency: what the model used under CV / what reproduces the run. † not in the medians (a bound).\n")
    w("| Run | Lab | Chip × count | Arch | Class | Kind | Reported | CV error | Spread over counts | "
      "Naive | Plain | Efficiency CV / implied | Plan (middle count) |")
    w("|---|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---|")
    for r in result["runs"]:
        chips = (f"{r['accelerator']} × {r['chips'][0]:,}–{r['chips'][-1]:,}" if isinstance(r["chips"], list)
                 else f"{r['accelerator']} × {r['chips']:,}")
        spread = "" if r["spread_cv"] is None else f"{r['spread_cv'][0]:+.0%} … {r['spread_cv'][1]:+.0%}"
        mark = "" if r["in_median"] else " †"
        w(f"| {r['run_id']} | {r['lab']} | {chips} | {r['arch']} | {r['maturity']} | {r['kind']} | "
          f"{_fmt_num(r['reported'])} {METRIC_LABEL[r['metric']]}{mark} | **{_fmt_pct(r['error_cv'])}** | {spread} | "
          f"{_fmt_pct(r['baseline_error'])} | {_fmt_pct(r['plain_error'])} | "
          f"{r['efficiency_cv']:.2f} / {r['efficiency_implied']:.2f} | {r['plan']} |")
    w("")
    w("### Sources of the compared figures\n")
    for r in result["runs"]:
        spec = inputs[r["run_id"]]
        rep = spec.get("reported") or spec["gpu_hours_reported"]
        notes = ("; " + "; ".join(r["notes"])) if r["notes"] else ""
        w(f"- **{r['run_id']}** ({r['csv']}): {rep['source']}. Chips: {spec['num_chips']['source']}. "
          f"Class: {spec['maturity']['source']}.{notes}")
    w("")
    w("## Runs off by more than 25 % under cross-validation\n")
    for rid in result["outliers"]:
        r = next(x for x in result["runs"] if x["run_id"] == rid)
        note = OUTLIER_NOTES.get(rid, "")
        w(f"- **{rid}** ({_fmt_pct(r['error_cv'])}; efficiency used {r['efficiency_cv']:.2f}, would need "
          f"{r['efficiency_implied']:.2f}).{' ' + note if note else ''}")
    w("")
    meta = result["cv_fits"].get("Meta", fit)["typical"]["ampere"]
    w("Patterns: with Meta held out, the other labs' 2023+ A100 runs give a typical Ampere efficiency "
      f"of {meta:.2f}, while Meta's LLaMA 1 and 2 runs needed 0.55-0.75 (the issue's first finding: tuned "
      "2023 stacks on A100). Small dense models trained on many H100 (Llama 3 8B, Llama 3.2 1B/3B, "
      "Phi-3) reached far less than predicted; the Llama 3.2 hours also cover pruning and distillation "
      "from larger models. BloombergGPT and StarCoder ran slower than the 2023+ A100 median (Pythia "
      "did too until its published configs, with every layer recomputed, were used), "
      "DeepSeek and Nemotron-4 340B faster than the H100 one. These lab-to-lab differences are what "
      "the spread carries; no constant was set from a single run.\n")
    w("## Not predicted\n")
    for n in result["not_predicted"]:
        w(f"- **{n['run_id']}** ({n['csv']}): {n['reason']}")
    w("")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--no-write", action="store_true", help="do not rewrite docs/validation.md")
    args = ap.parse_args(argv)
    result = run_validation()
    if not args.no_write:
        DOC.write_text(render_markdown(result), encoding="utf-8")
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        o = result["overall"]
        print(f"median |error| leave-one-lab-out {_fmt_pct(o['median_abs_error_cv'], False)}, naive "
              f"{_fmt_pct(o['baseline_median_abs_error'], False)}, plain {_fmt_pct(o['plain_median_abs_error'], False)}, "
              f"in-sample {_fmt_pct(o['median_abs_error_in_sample'], False)}; {o['runs']} runs in the median, "
              f"{len(result['runs'])} predicted, {len(result['not_predicted'])} not predicted"
              + ("" if args.no_write else f"; wrote {DOC}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
