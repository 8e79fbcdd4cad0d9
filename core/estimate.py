"""From a model, training settings and a homogeneous fleet to one result object.

``estimate()`` is the function the CLI, the GUI, the scenario evaluator and the benchmarks call.
FLOP convention: model FLOPs = ``6·N_active·D`` plus attention scores ``6·L·s·h·(d_qk+d_v)`` per
token (PaLM appendix B, full non-causal accounting); recomputation is not counted in MFU.
MFU is relative to the accelerator's dense BF16 peak, whatever precision the run uses.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from core.catalog import Accelerator
from core.errors import InputError
from core.memo import memoised
from core.model import ModelSpec
from core.planner import (
    GB,
    RECOMPUTE,
    Evaluated,
    FixedLayout,
    RecomputeMode,
    cross_grid,
    default_global_batch_tokens,
    enumerate_layouts,
    evaluate_candidates,
    fixed_candidates,
    goodput,
    time_floor,
)
from core.training import PhysicsOptions, TrainingSpec
from core.units import human, human_bytes

FLOP_CONVENTION = (
    "model FLOPs = 6·N_active·D + attention 6·L·s·h·(d_qk+d_v) per token "
    "(PaLM appendix B, full non-causal); recomputation excluded; MFU vs dense BF16 peak"
)


class Plan(BaseModel):
    model_config = ConfigDict(frozen=True)
    tp: int
    pp: int
    dp: int
    ep: int
    micro_batch: int
    micro_batches: int = Field(description="micro-batches per step per data-parallel rank")
    interleave: int = Field(description="virtual pipeline stages per rank (1 = plain 1F1B)")
    zero_stage: int
    recompute: Literal["none", "selective", "full", "partial"]
    recompute_fraction: float = Field(
        default=0.0, description="share of layers fully recomputed; the others use selective recompute")
    precision: Literal["bf16", "fp8"]
    chips_used: int
    global_batch_tokens: int

    def label(self) -> str:
        parts = [f"TP{self.tp}", f"PP{self.pp}" + (f"×v{self.interleave}" if self.interleave > 1 else ""),
                 f"DP{self.dp}"]
        if self.ep > 1:
            parts.append(f"EP{self.ep}")
        recompute = (f"full recompute of {self.recompute_fraction:.0%} of layers"
                     if self.recompute == "partial" else f"recompute {self.recompute}")
        return (f"{' '.join(parts)}, micro-batch {self.micro_batch}×{self.micro_batches}, "
                f"ZeRO-{self.zero_stage}, {recompute}, {self.precision.upper()}")


class MemoryBreakdown(BaseModel):
    """Bytes per accelerator, in GB (1e9)."""

    weights_gb: float
    gradients_gb: float
    optimizer_gb: float
    activations_gb: float
    buffers_gb: float
    total_gb: float
    usable_hbm_gb: float
    hbm_gb: float


class StepTime(BaseModel):
    """Seconds per optimizer step, by part. ``total`` is their sum."""

    compute: float
    tensor_parallel: float
    expert_all_to_all: float
    pipeline_p2p: float
    pipeline_bubble: float
    data_parallel: float
    optimizer: float
    total: float


class PlanSummary(BaseModel):
    plan: Plan
    step_time_s: float
    wall_clock_days: float
    memory_gb: float
    mfu: float


class EstimateResult(BaseModel):
    accelerator: str
    count: int
    model_name: str
    total_params: int
    active_params: int
    tokens: float
    seq_len: int
    flops_per_token: float
    training_flops: float
    flop_convention: str = FLOP_CONVENTION
    verdict: Literal["feasible", "infeasible"]
    reasons: list[str]
    plan: Plan | None = None
    alternatives: list[PlanSummary] = Field(default_factory=list)
    memory: MemoryBreakdown | None = None
    step_time: StepTime | None = None
    steps: float | None = None
    tokens_per_s: float | None = None
    mfu: float | None = None
    goodput: float | None = None
    mtbf_hours: float | None = None
    checkpoint_interval_min: float | None = None
    wall_clock_days: float | None = None
    gpu_hours: float | None = Field(
        default=None, description="GPU-hours of the chips the plan uses (chips_used × wall-clock); idle "
        "chips are not counted here but in gpu_hours_idle")
    chips_used: int | None = Field(default=None, description="chips the plan trains on")
    chips_idle: int | None = Field(default=None, description="chips of the fleet the plan leaves idle")
    gpu_hours_idle: float | None = Field(
        default=None, description="GPU-hours the idle chips are held for during the run")
    it_power_mw: float | None = None
    energy_mwh: float | None = Field(default=None, description="accelerator energy at TDP (IT, no PUE)")
    candidates_evaluated: int = 0
    candidates_fitting: int = 0

    @property
    def memory_per_gpu_gb(self) -> float | None:
        return None if self.memory is None else self.memory.total_gb

    def cli_dict(self) -> dict:
        """The JSON contract of ``chokepoint estimate --json`` (keys are stable)."""
        out = self.model_dump(mode="json")
        out["memory_per_gpu_gb"] = self.memory_per_gpu_gb
        out["step_time"] = None if self.step_time is None else self.step_time.model_dump()
        return out


def _explain_no_fit(model: ModelSpec, chip: Accelerator, count: int, usable: float,
                    leanest: float | None, n_plans: int) -> str:
    state_bytes = 16.0 * model.total_params()
    fleet_hbm = count * usable
    if state_bytes > fleet_hbm:
        return (f"needs at least {human_bytes(state_bytes)} of model state (16 B/param × "
                f"{human(model.total_params())} params); {count:,} × {chip.id} hold "
                f"{human_bytes(fleet_hbm)} usable")
    if leanest is None:
        return (f"no parallel layout of {count:,} × {chip.id} brings the model states under "
                f"{usable / GB:.0f} GB usable per chip")
    return (f"no parallel plan fits in {usable / GB:.0f} GB usable HBM per {chip.id}: "
            f"the leanest of {n_plans:,} plans needs {leanest / GB:.1f} GB per chip")


def _rank(model: ModelSpec, training: TrainingSpec, chip: Accelerator, cand: Any, gbt: int,
          precision: str, opts: PhysicsOptions) -> tuple[Evaluated, np.ndarray, np.ndarray]:
    """Cost ``cand`` in full: the evaluation, which plans are valid, and each one's wall-clock
    seconds per sequence (step time / sequences / goodput)."""
    ev = evaluate_candidates(model, training, chip, cand, gbt, precision, opts)
    chips = ev.cand.tp * ev.cand.pp * ev.cand.dp
    used, inverse = np.unique(chips, return_inverse=True)
    gp = np.array([goodput(int(c), opts)[0] for c in used])[inverse]
    rank = ev.t_step.astype(np.float64) / ev.global_seqs.astype(np.float64) / gp
    return ev, ev.fits & ev.batch_ok, rank


def _search(
    model: ModelSpec, training: TrainingSpec, chip: Accelerator, layouts: np.ndarray, pruned: int,
    gbt: int, precision: str, opts: PhysicsOptions, keep: int,
) -> tuple[Evaluated, np.ndarray, np.ndarray]:
    """Evaluate the plans that can be the best of ``layouts``; return them, which are valid, and
    each one's wall-clock seconds per sequence (step time / sequences / goodput: the run's days
    are that × the sequences to train on).

    A few promising layouts (lowest floor, ``time_floor``) are costed first, until ``keep`` + 1 of
    them have a valid plan; then every layout and micro-batch size whose floor does not exceed the
    plan of the (keep + 1)-th is costed in full. The best plan and the ``keep`` next layouts are
    therefore those of a search over every layout, whatever the fleet size."""

    def run(lay: np.ndarray, n_pruned: int, micro_batches: np.ndarray | None = None,
            ) -> tuple[Evaluated, np.ndarray, np.ndarray]:
        return _rank(model, training, chip, cross_grid(model, lay, n_pruned, micro_batches), gbt,
                     precision, opts)

    floors = time_floor(model, training, chip, layouts, gbt, precision, opts)  # (layout, micro-batch)
    floor = floors.min(axis=1)
    order = np.argsort(floor, kind="stable")
    # the most promising layout of every (tp, pp) (the floor misses memory and data-parallel
    # traffic, so the overall lowest can all be poor), then more by floor until one is valid
    _, group = np.unique(layouts[:, 0] * 100_000 + layouts[:, 1], return_inverse=True)
    first = np.zeros(len(layouts), dtype=bool)
    first[order[np.unique(group[order], return_index=True)[1]]] = True
    first[order[:32]] = True
    # Bound: the best plan of the (keep + 1)-th best layout found so far; a layout whose floor is
    # above it can be neither the best nor one of the ``keep`` alternatives shown.
    best_of = np.full(len(layouts), np.inf)
    tried = first
    start, size = 0, 32
    while tried.any():
        ev, ok, rank = run(layouts[tried], 0)
        assert ev.cand.row is not None
        np.minimum.at(best_of, np.flatnonzero(tried)[ev.cand.row[ok]], rank[ok])
        found = np.sort(best_of[np.isfinite(best_of)])
        if len(found) > keep:
            hopeful = floors <= float(found[keep]) * (1.0 + 1e-3)  # float32 margin
            keep_rows = hopeful.any(axis=1)
            if keep_rows.any():  # always, the floors being floors
                return run(layouts[keep_rows], pruned, hopeful[keep_rows])
            break
        start, size = start + size, size * 4
        tried = np.zeros(len(layouts), dtype=bool)
        tried[order[start:start + size]] = True
        tried &= ~first
    return run(layouts, pruned)  # few layouts have a valid plan: cost them all (and explain none)


def _recompute(mode: int, fraction: float) -> RecomputeMode:
    """'full' when every layer is recomputed, 'partial' when only some had to be."""
    if mode == 2 and fraction < 0.999:
        return "partial"
    return RECOMPUTE[mode]


@memoised(maxsize=1024)
def estimate(
    model: ModelSpec,
    training: TrainingSpec,
    chip: Accelerator,
    count: int,
    options: PhysicsOptions | None = None,
    keep: int = 5,
    layout: FixedLayout | None = None,
) -> EstimateResult:
    """Search the parallel plans for ``count`` × ``chip`` and return the fastest that fits.
    With ``layout`` the TP/PP/DP/EP split (and micro-batch / interleaving if it names them) is
    taken as given and only ZeRO and recomputation are searched: a published run is then
    predicted at its own layout.

    Memoised on all of its arguments (core/memo.py): a project asks for the same fleet many times.
    ``estimate.uncached(...)`` runs the search regardless; ``estimate.memo.clear()`` forgets."""
    opts = options or PhysicsOptions()
    if count <= 0:
        raise InputError("count", f"must be > 0, got {count}")
    if layout is not None and (bad := layout.problem(model, count)) is not None:
        raise InputError(*bad)
    reasons: list[str] = []
    precision = training.precision
    if precision == "fp8" and not chip.supports_fp8:
        reasons.append(f"{chip.id} has no FP8 support: BF16 used")
        precision = "bf16"
    for need in ("bf16_tflops", "hbm_gb", "scaleup_gbs"):
        chip.need(need, "the estimate")
    gbt = training.global_batch_tokens or default_global_batch_tokens(model, training)
    flops_token = model.training_flops_per_token(training.seq_len)
    base: dict[str, Any] = dict(
        accelerator=chip.id,
        count=count,
        model_name=model.name,
        total_params=model.total_params(),
        active_params=model.active_params(),
        tokens=training.tokens,
        seq_len=training.seq_len,
        flops_per_token=flops_token,
        training_flops=flops_token * training.tokens,
    )
    hbm_bytes = chip.need("hbm_gb", "the memory fit") * GB * opts.usable_hbm_fraction
    if layout is not None:
        fixed = fixed_candidates(model, layout)
        if len(fixed) == 0:
            reasons.append(f"{count} × {chip.id} cannot host the layout given for {model.name}")
            return EstimateResult(verdict="infeasible", reasons=reasons, **base)
        ev, ok, rank = _rank(model, training, chip, fixed, gbt, precision, opts)
    else:
        max_dp = max(1, gbt // training.seq_len)
        layouts, pruned = enumerate_layouts(model, chip, count, hbm_bytes, max_dp)
        if len(layouts) == 0:
            if pruned:
                reasons.append(_explain_no_fit(model, chip, count, hbm_bytes, None, 0))
            else:
                reasons.append(f"{count} × {chip.id} cannot host any parallel layout of {model.name}")
            return EstimateResult(verdict="infeasible", reasons=reasons, **base)
        ev, ok, rank = _search(model, training, chip, layouts, pruned, gbt, precision, opts, keep)
    n_ok = int(ok.sum())
    if n_ok == 0:
        if not ev.fits.any():
            reasons.append(_explain_no_fit(model, chip, count, hbm_bytes, float(np.min(ev.mem_total)),
                                           len(ev.cand)))
        else:
            reasons.append(
                f"the global batch of {gbt:,} tokens ({gbt // training.seq_len:,} sequences) is too "
                f"small to give every data-parallel rank a sequence on {count:,} chips"
            )
        return EstimateResult(verdict="infeasible", reasons=reasons,
                              candidates_evaluated=len(ev.cand), **base)

    idx = np.flatnonzero(ok)
    # Fastest wall-clock per token (goodput included) first; among ties prefer fewer chips, then
    # less memory.
    order = idx[np.lexsort((ev.mem_total[idx], ev.cand.tp[idx] * ev.cand.pp[idx] * ev.cand.dp[idx],
                            np.round(rank[idx], 12)))]
    best = int(order[0])

    def plan_at(i: int) -> Plan:
        c = ev.cand
        return Plan(
            tp=int(c.tp[i]), pp=int(c.pp[i]), dp=int(c.dp[i]), ep=int(c.ep[i]), micro_batch=int(c.b[i]),
            micro_batches=int(ev.micro_batches[i]), interleave=int(c.v[i]), zero_stage=int(c.zero[i]),
            recompute=_recompute(int(c.rc[i]), float(ev.recompute_fraction[i])),
            recompute_fraction=float(ev.recompute_fraction[i]) if int(c.rc[i]) == 2 else 0.0,
            precision=precision,
            chips_used=int(c.tp[i] * c.pp[i] * c.dp[i]),
            global_batch_tokens=int(ev.global_seqs[i] * training.seq_len),
        )

    def run_figures(i: int) -> tuple[float, float, float, float, float, float]:
        tokens_step = float(ev.global_seqs[i]) * training.seq_len
        steps = training.tokens / tokens_step
        chips = int(ev.cand.tp[i] * ev.cand.pp[i] * ev.cand.dp[i])
        ideal_s = steps * float(ev.t_step[i])
        gp, mtbf_h, tau = goodput(chips, opts)
        wall_s = ideal_s / gp
        mfu = flops_token * tokens_step / float(ev.t_step[i]) / (chips * chip.peak_tflops("bf16") * 1e12)
        return steps, wall_s, gp, mtbf_h, tau, mfu

    steps, wall_s, gp, mtbf_h, tau, mfu = run_figures(best)
    plan = plan_at(best)
    seen: set[tuple] = set()
    alternatives: list[PlanSummary] = []
    for i in order[1:]:
        p = plan_at(int(i))
        key = (p.tp, p.pp, p.dp, p.ep)
        if key in seen or key == (plan.tp, plan.pp, plan.dp, plan.ep):
            continue
        seen.add(key)
        _, w, _, _, _, f = run_figures(int(i))
        alternatives.append(PlanSummary(plan=p, step_time_s=float(ev.t_step[i]), wall_clock_days=w / 86400,
                                        memory_gb=float(ev.mem_total[i]) / GB, mfu=f))
        if len(alternatives) >= keep:
            break

    memory = MemoryBreakdown(
        weights_gb=float(ev.mem_weights[best]) / GB,
        gradients_gb=float(ev.mem_grads[best]) / GB,
        optimizer_gb=float(ev.mem_optimizer[best]) / GB,
        activations_gb=float(ev.mem_activations[best]) / GB,
        buffers_gb=float(ev.mem_buffers[best]) / GB,
        total_gb=float(ev.mem_total[best]) / GB,
        usable_hbm_gb=ev.usable_hbm / GB,
        hbm_gb=chip.need("hbm_gb", "memory"),
    )
    step = StepTime(
        compute=float(ev.t_compute[best]),
        tensor_parallel=float(ev.t_tp[best]),
        expert_all_to_all=float(ev.t_ep[best]),
        pipeline_p2p=float(ev.t_pp[best]),
        pipeline_bubble=float(ev.t_bubble[best]),
        data_parallel=float(ev.t_dp[best]),
        optimizer=float(ev.t_optimizer[best]),
        total=float(ev.t_step[best]),
    )
    chips_used = plan.chips_used
    idle = count - chips_used
    hours = wall_s / 3600.0
    if idle:
        reasons.append(
            f"{idle:,} of {count:,} chips idle: the fastest plan found uses {chips_used:,} "
            f"(TP{plan.tp}×PP{plan.pp}×DP{plan.dp}; data-parallel widths are tried at round numbers and at "
            f"divisors of the batch's {gbt // training.seq_len:,} sequences, and no wider plan tried was "
            f"faster). GPU-hours count the {chips_used:,} chips used; the idle ones are held "
            f"{human(idle * hours)} GPU-hours more")
    if plan.global_batch_tokens > gbt * 1.001:
        reasons.append(f"global batch rounded up from {gbt:,} to {plan.global_batch_tokens:,} tokens "
                       "(whole micro-batches on every rank)")
    tdp = chip.v("tdp_w")
    it_mw = chips_used * tdp / 1e6 if tdp else None
    if tdp is None:
        reasons.append(f"{chip.id} has no sourced TDP: energy not computed")
    return EstimateResult(
        verdict="feasible",
        reasons=reasons,
        plan=plan,
        alternatives=alternatives,
        memory=memory,
        step_time=step,
        steps=steps,
        tokens_per_s=plan.global_batch_tokens / step.total,
        mfu=mfu,
        goodput=gp,
        # no failures expected (failures_per_gpu_day 0): no MTBF and no checkpoint interval
        mtbf_hours=mtbf_h if math.isfinite(mtbf_h) else None,
        checkpoint_interval_min=tau / 60.0 if math.isfinite(tau) else None,
        wall_clock_days=wall_s / 86400.0,
        gpu_hours=chips_used * hours,
        chips_used=chips_used,
        chips_idle=idle,
        gpu_hours_idle=idle * hours,
        it_power_mw=it_mw,
        energy_mwh=None if it_mw is None else it_mw * hours,
        candidates_evaluated=len(ev.cand),
        candidates_fitting=n_ok,
        **base,
    )
