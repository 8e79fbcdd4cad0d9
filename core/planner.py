"""Parallelism search: every (tensor, pipeline, data, expert) split, micro-batch, ZeRO stage,
recomputation and interleaving, evaluated at once with numpy; the fastest plan that fits wins.

All formulas are per accelerator and per optimizer step; they are written once here, on arrays,
and documented in docs/physics.md. Sources:

* model states 16 B/param under mixed-precision Adam, ZeRO stages (Rajbhandari et al. 2020);
* activations per layer (Korthikanti et al. 2022, "Reducing Activation Recomputation"):
  ``s·b·d·(34/t + 5·a·s/(d·t))`` bytes with tensor+sequence parallelism, the ``5as/d`` score
  term dropped by selective recompute / flash attention, ``2·s·b·d/t`` kept under full recompute;
* pipeline bubble ``(p−1)/v / (m + (p−1)/v)`` for 1F1B with v interleaved stages
  (Narayanan et al. 2021);
* ring collectives move ``2·(n−1)/n`` × the buffer per rank (all-reduce) and ``(n−1)/n`` per
  all-to-all;
* checkpoint interval at the Young/Daly optimum ``sqrt(2·δ·MTBF)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.catalog import Accelerator
from core.model import ModelSpec
from core.training import PhysicsOptions, TrainingSpec

GB = 1e9
RECOMPUTE = ("none", "selective", "full")
# Micro-batch sizes and interleaving depths tried. Larger micro-batches only cost memory here.
MICRO_BATCHES = (1, 2, 4)
INTERLEAVE = (1, 2, 4)


def default_global_batch_tokens(model: ModelSpec, training: TrainingSpec) -> int:
    """Batch size from the DeepSeek LLM scaling law ``B_opt = 0.292·C^0.3271`` tokens
    (DeepSeek-AI 2024, arXiv:2401.02954, eq. 1), C = training FLOPs, clamped to 1M–64M tokens
    and rounded down to whole sequences. Llama 3 405B used 16M, DeepSeek-V3 63M."""
    flops = model.training_flops_per_token(training.seq_len) * training.tokens
    tokens = 0.292 * flops**0.3271
    tokens = min(max(tokens, 2**20), 2**26)
    return max(training.seq_len, int(tokens // training.seq_len) * training.seq_len)


def _pow2_upto(n: int) -> list[int]:
    out, k = [], 1
    while k <= n:
        out.append(k)
        k *= 2
    return out


def _dp_choices(dp_max: int) -> list[int]:
    """Data-parallel widths tried: the widest the fleet allows, and the powers of two and 3·2^k
    down to an eighth of it (narrower ones only leave chips idle: they help only when the batch
    or a scale-up domain boundary caps the width, which these already cover)."""
    vals = {dp_max}
    k = 1
    while k <= dp_max:
        if 8 * k >= dp_max:
            vals.add(k)
        if dp_max >= 3 * k >= dp_max / 8:
            vals.add(3 * k)
        k *= 2
    return sorted(vals)


@dataclass
class Candidates:
    """One row per candidate plan; every field a numpy array of the same length."""

    tp: np.ndarray
    pp: np.ndarray
    dp: np.ndarray
    ep: np.ndarray
    v: np.ndarray
    b: np.ndarray
    zero: np.ndarray
    rc: np.ndarray  # index into RECOMPUTE
    pruned_layouts: int = 0  # (tp, pp, dp, ep) layouts rejected by the model-state bound

    def __len__(self) -> int:
        return int(self.tp.size)


def _state_lower_bound(model: ModelSpec, base: np.ndarray) -> np.ndarray:
    """Least model-state bytes per chip a (tp, pp, dp, ep) layout can reach: the deepest ZeRO
    stage it allows (3 without a pipeline, 1 with one), nothing else counted."""
    tp, pp, dp, ep = (base[:, i].astype(np.float64) for i in range(4))
    share = np.ceil(model.n_layers / pp) / model.n_layers
    ne = model.non_expert_params() * share / tp
    e = model.routed_expert_params_total() * share / (tp * ep)
    dp_e = np.maximum(1.0, dp / ep)
    no_pipe = pp == 1
    w = np.where(no_pipe, 2 * (ne / dp + e / dp_e), 2 * (ne + e))
    g = np.where(no_pipe, 2 * (ne / dp + e / dp_e), 2 * (ne + e))
    o = 12 * (ne / dp + e / dp_e)
    return w + g + o


def enumerate_candidates(
    model: ModelSpec, chip: Accelerator, count: int, hbm_bytes: float = float("inf")
) -> Candidates:
    """All plans for ``count`` chips. Layouts whose model states alone exceed ``hbm_bytes`` even
    fully sharded are dropped before the micro-batch/ZeRO/recompute grid is crossed in."""
    domain = int(chip.v("scaleup_domain") or 1)
    tps = [t for t in _pow2_upto(min(domain, 64)) if model.n_heads % t == 0]
    pps = [p for p in _pow2_upto(min(model.n_layers, 128))]
    rows: list[tuple[int, int, int, int]] = []
    for tp in tps:
        for pp in pps:
            dp_max = count // (tp * pp)
            if dp_max < 1:
                continue
            for dp in _dp_choices(dp_max):
                if model.is_moe:
                    eps = [e for e in _pow2_upto(min(dp, model.n_experts)) if model.n_experts % e == 0 and dp % e == 0]
                else:
                    eps = [1]
                for ep in eps:
                    rows.append((tp, pp, dp, ep))
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(empty, empty, empty, empty, empty, empty, empty, empty)
    base = np.array(rows, dtype=np.int64)  # (R, 4)
    n_layouts = len(base)
    base = base[_state_lower_bound(model, base) <= hbm_bytes]
    pruned = n_layouts - len(base)
    parts = []
    for piped in (False, True):
        rows_k = base[(base[:, 1] > 1) == piped]
        if not len(rows_k):
            continue
        # Interleaving needs a pipeline; ZeRO-2/3 do not combine with pipelining (DeepSpeed,
        # Megatron's distributed optimizer is ZeRO-1).
        grid = np.array(
            [(v, b, z, r) for v in (INTERLEAVE if piped else (1,)) for b in MICRO_BATCHES
             for z in (range(2) if piped else range(4)) for r in range(3)],
            dtype=np.int64,
        )
        full = np.concatenate([np.repeat(rows_k, len(grid), axis=0), np.tile(grid, (len(rows_k), 1))], axis=1)
        # at least one layer per virtual stage
        full = full[np.ceil(model.n_layers / full[:, 1]) >= full[:, 4]]
        parts.append(full)
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(empty, empty, empty, empty, empty, empty, empty, empty, pruned)
    full = np.concatenate(parts)
    return Candidates(*[np.ascontiguousarray(c) for c in full.T], pruned_layouts=pruned)


@dataclass
class Evaluated:
    """Per-candidate arrays: memory parts (bytes), time parts (s), and validity."""

    cand: Candidates
    global_seqs: np.ndarray
    micro_batches: np.ndarray
    mem_weights: np.ndarray
    mem_grads: np.ndarray
    mem_optimizer: np.ndarray
    mem_activations: np.ndarray
    mem_buffers: np.ndarray
    mem_total: np.ndarray
    t_compute: np.ndarray
    t_tp: np.ndarray
    t_ep: np.ndarray
    t_pp: np.ndarray
    t_bubble: np.ndarray
    t_dp: np.ndarray
    t_optimizer: np.ndarray
    t_step: np.ndarray
    batch_ok: np.ndarray
    fits: np.ndarray
    usable_hbm: float


def evaluate_candidates(
    model: ModelSpec,
    training: TrainingSpec,
    chip: Accelerator,
    cand: Candidates,
    global_batch_tokens: int,
    precision: str,
    opts: PhysicsOptions,
) -> Evaluated:
    # float32 is ample for ranking plans (7 significant digits) and halves memory traffic.
    f64 = np.float32
    tp, pp, dp, ep = (cand.tp.astype(f64), cand.pp.astype(f64), cand.dp.astype(f64), cand.ep.astype(f64))
    v, b, zero, rc = cand.v.astype(f64), cand.b.astype(f64), cand.zero, cand.rc
    s, d, L, a = float(training.seq_len), float(model.d_model), float(model.n_layers), float(model.n_heads)
    V = float(model.vocab_size)

    # ---- batch: global sequences split into dp ranks × m micro-batches of b ----------------
    global_seqs_req = max(1, global_batch_tokens // training.seq_len)
    per_rank = dp * b
    batch_ok = per_rank <= global_seqs_req
    m = np.maximum(1.0, np.ceil(global_seqs_req / per_rank))
    global_seqs = m * per_rank  # actual batch (>= requested; rounding up to whole micro-batches)

    # ---- memory (bytes per accelerator) ------------------------------------------------------
    P_ne = float(model.non_expert_params())
    P_e = float(model.routed_expert_params_total())
    layers_per_stage = np.ceil(L / pp)
    stage_share = layers_per_stage / L  # the heaviest stage holds ceil(L/p) layers
    ne_local = P_ne * stage_share / tp
    e_local = P_e * stage_share / (tp * ep)
    dp_e = np.maximum(1.0, dp / ep)  # data-parallel width seen by expert parameters
    shard_opt = np.where(zero >= 1, 1.0, 0.0)
    shard_grad = np.where(zero >= 2, 1.0, 0.0)
    shard_w = np.where(zero >= 3, 1.0, 0.0)

    def sharded(bytes_per_param: float, flag: np.ndarray) -> np.ndarray:
        ne = ne_local * bytes_per_param / np.where(flag > 0, dp, 1.0)
        e = e_local * bytes_per_param / np.where(flag > 0, dp_e, 1.0)
        return ne + e

    mem_w = sharded(2.0, shard_w)
    mem_g = sharded(2.0, shard_grad)
    mem_o = sharded(12.0, shard_opt)

    # Activations per layer per micro-batch in units of s·b·d bytes (Korthikanti 2022),
    # generalised: attention 11 + norms 4 + MLP (2 + f/d·(8 gated | 4 plain)); MoE layers use
    # the routed width k·f_e plus shared experts, and a dispatch buffer of 2·k.
    act_unit = 8.0 if model.gated_mlp else 4.0
    dense_mlp = 2.0 + model.ffn_dim / d * act_unit
    if model.is_moe:
        f_moe = model.n_active_experts * (model.expert_ffn_dim or 0)
        if model.n_shared_experts:
            f_moe += model.shared_expert_ffn_dim or model.n_shared_experts * (model.expert_ffn_dim or 0)
        moe_mlp = 2.0 + f_moe / d * act_unit + 2.0 * model.n_active_experts
        mlp_avg = (model.n_dense_layers * dense_mlp + model.n_moe_layers * moe_mlp) / L
    else:
        mlp_avg = dense_mlp
    linear_units = 15.0 + mlp_avg
    score_units = 5.0 * a * s / d
    sbd = s * b * d
    per_layer = np.where(
        rc == 0,
        sbd * (linear_units + score_units) / tp,
        np.where(rc == 1, sbd * linear_units / tp, sbd * 2.0 / tp),
    )
    # 1F1B keeps min(p, m) micro-batches in flight on the first stage; interleaving adds
    # (p-1)/(p·v) more (Korthikanti 2022 §4.2.3). Full recompute also needs one layer's
    # working set while it recomputes.
    in_flight = np.minimum(pp, m) * np.where(v > 1, 1.0 + (pp - 1) / (pp * v), 1.0)
    working = np.where(rc == 2, sbd * (linear_units + score_units) / tp, 0.0)
    logits = 4.0 * s * b * V / tp  # fp32 logits of the last stage
    mem_act = per_layer * layers_per_stage * in_flight + working + logits
    # ZeRO-3 gathers one layer's weights at a time (prefetching two).
    per_layer_w = 2.0 * (ne_local + e_local) / np.maximum(layers_per_stage, 1)
    mem_buf = opts.framework_allowance_gb * GB + np.where(zero >= 3, 2 * per_layer_w, 0.0)
    mem_total = mem_w + mem_g + mem_o + mem_act + mem_buf
    hbm = chip.need("hbm_gb", "the memory fit") * GB * opts.usable_hbm_fraction
    fits = mem_total <= hbm

    # ---- time ---------------------------------------------------------------------------------
    peak = chip.peak_tflops("bf16") * 1e12
    eff = chip.v("kernel_efficiency") or 0.5
    if precision == "fp8":
        ratio = chip.need("fp8_tflops", "FP8 training") / chip.peak_tflops("bf16")
        peak *= min(ratio, opts.fp8_speedup_cap)
    # Small per-rank matrices run less efficiently (tile/wave quantisation): assumption
    # g = x/(x+128) with x = d/t, the hidden width one tensor-parallel rank multiplies.
    x = d / tp
    gemm = x / (x + 128.0)
    flops_token = model.training_flops_per_token(training.seq_len)
    # Recompute adds forward FLOPs: full = one more forward of the layers (8/6),
    # selective = the attention-score forward again (1/3 of the score FLOPs).
    attn_f = model.attention_flops_per_token(training.seq_len)
    layer_f = 6.0 * model.active_params_no_embedding()
    hw_token = np.where(
        rc == 2, flops_token + (layer_f + attn_f) / 3.0, np.where(rc == 1, flops_token + attn_f / 3.0, flops_token)
    )
    chips = tp * pp * dp
    tokens_step = global_seqs * s
    # Per micro-batch on one stage: its share of the step's FLOPs; uneven stages wait for the
    # heaviest one (stage_share·p ≥ 1).
    stage_penalty = stage_share * pp
    t_compute = hw_token * tokens_step / (chips * peak * eff * gemm) * stage_penalty

    link = opts.link_efficiency
    up_bw = chip.need("scaleup_gbs", "tensor-parallel traffic") / 2.0 * GB * link  # per direction
    out_bw_fig = chip.v("scaleout_gbs")
    out_bw = (out_bw_fig if out_bw_fig is not None else chip.need("scaleup_gbs", "") / 2.0) * GB * link
    domain = float(chip.v("scaleup_domain") or 1)

    act_msg = s * b * d * 2.0  # one bf16 activation tensor of a micro-batch
    tp_colls = np.where(rc == 2, 6.0, 4.0)  # 2 fwd + 2 bwd all-reduces (+2 on recompute)
    t_tp_mb = tp_colls * layers_per_stage * 2.0 * (tp - 1) / tp * act_msg / up_bw
    t_tp = t_tp_mb * m

    if model.is_moe:
        moe_layers_stage = np.ceil(model.n_moe_layers / pp)
        k = float(model.n_active_experts)
        a2a_bytes = (s * b / tp) * k * d * 2.0 * (ep - 1) / ep  # per rank, one direction
        span = tp * ep
        inter = np.clip(1.0 - domain / span, 0.0, 1.0)
        per_byte = (1.0 - inter) / up_bw + inter / out_bw
        t_a2a = 4.0 * moe_layers_stage * a2a_bytes * per_byte * m  # dispatch+combine, fwd+bwd
        t_ep = t_a2a * (1.0 - opts.comm_overlap_ep)
    else:
        t_ep = np.zeros_like(tp)

    # Pipeline point-to-point: stages sit outside the tensor×data block, so across nodes when
    # that block exceeds the scale-up domain.
    pp_bw = np.where(tp * dp >= domain, out_bw, up_bw)
    t_pp = np.where(pp > 1, 2.0 * v * act_msg / tp / pp_bw * m, 0.0)

    work = t_compute + t_tp + t_ep + t_pp
    bub = (pp - 1) / v
    bubble_frac = bub / (m + bub)
    t_bubble = work * bubble_frac / (1.0 - bubble_frac)

    # Data-parallel gradient reduction (bf16), ring; ZeRO-3 also all-gathers weights fwd+bwd.
    grad_bytes_ne = 2.0 * ne_local
    grad_bytes_e = 2.0 * e_local
    ring_ne = 2.0 * (dp - 1) / dp
    ring_e = 2.0 * (dp_e - 1) / dp_e
    dp_bw = np.where(tp * dp <= domain, up_bw, out_bw)
    dp_e_bw = np.where(tp * ep * dp_e <= domain, up_bw, out_bw)
    vol_factor = np.where(zero >= 3, 1.5, 1.0)
    t_dp_raw = vol_factor * (grad_bytes_ne * ring_ne / dp_bw + grad_bytes_e * ring_e / dp_e_bw)
    # Only the last micro-batch's backward (2/3 of its compute) can hide the reduction.
    window = (2.0 / 3.0) * t_compute / m
    t_dp = t_dp_raw - np.minimum(opts.comm_overlap_dp * t_dp_raw, window)

    hbm_bw = (chip.v("hbm_tbs") or 1.0) * 1e12
    t_opt = (mem_w + mem_g + mem_o) * 2.0 / hbm_bw  # read+write model states once

    t_step = work + t_bubble + t_dp + t_opt
    return Evaluated(
        cand=cand,
        global_seqs=global_seqs,
        micro_batches=m,
        mem_weights=mem_w,
        mem_grads=mem_g,
        mem_optimizer=mem_o,
        mem_activations=mem_act,
        mem_buffers=mem_buf,
        mem_total=mem_total,
        t_compute=t_compute,
        t_tp=t_tp,
        t_ep=t_ep,
        t_pp=t_pp,
        t_bubble=t_bubble,
        t_dp=t_dp,
        t_optimizer=t_opt,
        t_step=t_step,
        batch_ok=batch_ok,
        fits=fits,
        usable_hbm=hbm,
    )


def goodput(chips: int, run_days_ideal: float, checkpoint_bytes_per_chip: float, opts: PhysicsOptions,
            write_gbs: float | None = None) -> tuple[float, float, float]:
    """Effective-time fraction under failures: (goodput, mtbf_hours, checkpoint_interval_s).

    Failures arrive at ``rate × chips`` per day; each costs the restart time plus on average half
    a checkpoint interval of lost work; checkpoints cost δ each, every τ = sqrt(2·δ·MTBF)
    (Young 1974 / Daly 2006).
    """
    rate = opts.failures_per_gpu_day * chips  # per day
    if rate <= 0:
        return 1.0, math.inf, math.inf
    mtbf_s = 86400.0 / rate
    delta = max(opts.checkpoint_write_s, 1e-3)
    tau = math.sqrt(2.0 * delta * mtbf_s)
    lost = delta / tau + tau / (2.0 * mtbf_s) + opts.restart_minutes * 60.0 / mtbf_s
    return max(0.02, 1.0 - lost), mtbf_s / 3600.0, tau
