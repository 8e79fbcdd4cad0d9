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
from functools import lru_cache
from typing import Literal

import numpy as np

from core.catalog import Accelerator
from core.maturity import efficiency_factor
from core.model import ModelSpec
from core.training import PhysicsOptions, TrainingSpec

GB = 1e9
RecomputeMode = Literal["none", "selective", "full", "partial"]
RECOMPUTE: tuple[RecomputeMode, ...] = ("none", "selective", "full")
# Micro-batch sizes and interleaving depths tried. Larger micro-batches only cost memory here.
MICRO_BATCHES = (1, 2, 4)
INTERLEAVE = (1, 2, 4, 8)
# (v, b, zero, recompute) crossed into every layout. Interleaving needs a pipeline; ZeRO-2/3 do
# not combine with pipelining (DeepSpeed; Megatron's distributed optimizer is ZeRO-1).
_GRIDS = {
    piped: np.array(
        [(v, b, z, r) for v in (INTERLEAVE if piped else (1,)) for b in MICRO_BATCHES
         for z in (range(2) if piped else range(4)) for r in range(3)],
        dtype=np.int64,
    )
    for piped in (False, True)
}


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


# Data-parallel widths are "round": at most this many significant binary digits (1-31, then 16 per
# octave: 32, 34, ..., 62, 64, 68, ...), so a width is never more than 1/16 below the widest usable.
SIGNIFICANT_BITS = 5


@lru_cache(maxsize=4096)
def dp_widths(top: int, batch_seqs: int | None = None) -> tuple[int, ...]:
    """Data-parallel widths tried when at most ``top`` ranks fit: the round numbers up to it and
    the divisors of the sequences in a global batch (they split it exactly). The same set for
    every fleet, cut at ``top``: a larger fleet tries every plan a smaller one does (leaving the
    extra chips idle), so adding chips can never make the best plan slower."""
    if batch_seqs:
        top = min(top, batch_seqs)
    out = {n for n in range(1, min(top, 2**SIGNIFICANT_BITS - 1) + 1)}
    k = 1
    while k << SIGNIFICANT_BITS <= 2 * top:
        out.update(m * k for m in range(2 ** (SIGNIFICANT_BITS - 1), 2**SIGNIFICANT_BITS) if m * k <= top)
        k *= 2
    if batch_seqs:
        d = 1
        while d * d <= batch_seqs:
            if batch_seqs % d == 0:
                out.update(x for x in (d, batch_seqs // d) if x <= top)
            d += 1
    return tuple(sorted(out))


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
    row: np.ndarray | None = None  # index of each candidate's layout in ``layouts``
    layouts: np.ndarray | None = None  # (R, 4) tp, pp, dp, ep of the layouts kept
    full_all: bool = False  # "full" candidates recompute every layer (a published layout says so)

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


def enumerate_layouts(
    model: ModelSpec, chip: Accelerator, count: int, hbm_bytes: float = float("inf"),
    max_dp: int | None = None,
) -> tuple[np.ndarray, int]:
    """The (tp, pp, dp, ep) layouts of at most ``count`` chips, as an (R, 4) array, and how many
    were dropped because their model states alone exceed ``hbm_bytes`` even fully sharded."""
    domain = int(chip.v("scaleup_domain") or 1)
    tps = [t for t in _pow2_upto(min(domain, 64)) if model.n_heads % t == 0]
    pps = [p for p in _pow2_upto(min(model.n_layers, 128))]
    tpd = [(tp, pp, dp) for tp in tps for pp in pps if count // (tp * pp) >= 1
           for dp in dp_widths(count // (tp * pp), max_dp)]
    if not tpd:
        return np.zeros((0, 4), dtype=np.int64), 0
    layouts = np.array(tpd, dtype=np.int64)
    if model.is_moe:
        # expert parallelism: a power of two dividing both the data-parallel width and the experts
        eps = np.array(_pow2_upto(model.n_experts), dtype=np.int64)
        lay = np.repeat(layouts, len(eps), axis=0)
        ep = np.tile(eps, len(layouts))
        keep = (ep <= lay[:, 2]) & (lay[:, 2] % ep == 0) & (model.n_experts % ep == 0)
        base = np.concatenate([lay[keep], ep[keep, None]], axis=1)
    else:
        base = np.concatenate([layouts, np.ones((len(layouts), 1), dtype=np.int64)], axis=1)  # (R, 4)
    n_layouts = len(base)
    base = base[_state_lower_bound(model, base) <= hbm_bytes]
    return base, n_layouts - len(base)


def cross_grid(model: ModelSpec, base: np.ndarray, pruned: int = 0,
               micro_batches: np.ndarray | None = None) -> Candidates:
    """Every layout of ``base`` crossed with the micro-batch / ZeRO / recompute / interleave grid
    (only the micro-batch sizes ``micro_batches[layout, i]`` allows for ``MICRO_BATCHES[i]``)."""
    rows_idx, grid_cols = [], []
    for piped in (False, True):
        sel = np.flatnonzero((base[:, 1] > 1) == piped)
        if not len(sel):
            continue
        grid = _GRIDS[piped]
        r = np.repeat(sel, len(grid))
        g = np.tile(np.arange(len(grid)), len(sel))
        # at least one layer per virtual stage
        keep = np.ceil(model.n_layers / base[r, 1]) >= grid[g, 0]
        if micro_batches is not None:
            keep &= micro_batches[r, np.searchsorted(MICRO_BATCHES, grid[g, 1])]
        rows_idx.append(r[keep])
        grid_cols.append(grid[g[keep]])
    if not rows_idx:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(empty, empty, empty, empty, empty, empty, empty, empty, pruned)
    row = np.concatenate(rows_idx)
    gridv = np.concatenate(grid_cols)
    lay = base[row]
    return Candidates(lay[:, 0], lay[:, 1], lay[:, 2], lay[:, 3], gridv[:, 0], gridv[:, 1], gridv[:, 2],
                      gridv[:, 3], pruned_layouts=pruned, row=row, layouts=base)


@dataclass(frozen=True)
class FixedLayout:
    """A parallel layout given by the user instead of searched: TP × PP × DP (× EP inside DP),
    optionally the micro-batch and interleaving depth. Used to predict a run at its published
    layout (throughput benchmarks); context parallelism is folded into DP by the caller. ZeRO
    stage and recomputation are still chosen by the planner (the fastest that fits)."""

    tp: int
    pp: int
    dp: int
    ep: int = 1
    micro_batch: int | None = None
    interleave: int | None = None
    max_zero: int | None = None  # deepest ZeRO stage tried (1 = Megatron's distributed optimizer)
    # activation recomputation when published: "none", "selective" or "full" (every layer, e.g.
    # GPT-NeoX checkpoint-activations with checkpoint-num-layers 1); None = the fastest that fits
    recompute: str | None = None

    @property
    def chips(self) -> int:
        return self.tp * self.pp * self.dp

    def problem(self, model: ModelSpec, count: int) -> tuple[str, str] | None:
        """(field, message) when the layout cannot be used for this model and fleet."""
        for name in ("tp", "pp", "dp", "ep"):
            if getattr(self, name) < 1:
                return f"layout.{name}", f"must be >= 1, got {getattr(self, name)}"
        if self.chips > count:
            return "layout", f"TP×PP×DP = {self.chips:,} chips, more than the {count:,} given"
        if self.pp > model.n_layers:
            return "layout.pp", f"{self.pp} stages for {model.n_layers} layers"
        if self.ep > 1 and (not model.is_moe or self.dp % self.ep or model.n_experts % self.ep):
            return "layout.ep", f"EP {self.ep} must divide DP {self.dp} and the expert count"
        if self.max_zero is not None and not 0 <= self.max_zero <= 3:
            return "layout.max_zero", f"must be 0-3, got {self.max_zero}"
        if self.recompute is not None and self.recompute not in RECOMPUTE:
            return "layout.recompute", f"must be one of {', '.join(RECOMPUTE)}, got {self.recompute!r}"
        if self.interleave and self.interleave > 1 and (
                self.pp == 1 or math.ceil(model.n_layers / self.pp) < self.interleave):
            return "layout.interleave", f"{self.interleave} virtual stages need a pipeline with as many layers"
        return None


def fixed_candidates(model: ModelSpec, layout: FixedLayout) -> Candidates:
    """The plan grid (micro-batch, ZeRO, recompute, interleaving) crossed into one given layout;
    a micro-batch or interleaving depth the layout names is used alone."""
    piped = layout.pp > 1
    per_stage = math.ceil(model.n_layers / layout.pp)
    vs = ([layout.interleave] if layout.interleave else
          [v for v in (INTERLEAVE if piped else (1,)) if v <= per_stage])
    bs = [layout.micro_batch] if layout.micro_batch else list(MICRO_BATCHES)
    zeros = range(min(2 if piped else 4, 4 if layout.max_zero is None else layout.max_zero + 1))
    rcs = [RECOMPUTE.index(layout.recompute)] if layout.recompute in RECOMPUTE else range(3)  # type: ignore[arg-type]
    grid = np.array([(v, b, z, r) for v in vs for b in bs for z in zeros for r in rcs], dtype=np.int64)
    n = len(grid)
    full = np.repeat(np.array([[layout.tp, layout.pp, layout.dp, layout.ep]], dtype=np.int64), n, axis=0)
    return Candidates(full[:, 0], full[:, 1], full[:, 2], full[:, 3], grid[:, 0], grid[:, 1], grid[:, 2],
                      grid[:, 3], row=np.zeros(n, dtype=np.int64), layouts=full[:1].copy(),
                      full_all=layout.recompute == "full")


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
    recompute_fraction: np.ndarray  # share of layers fully recomputed (the rest selective)
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
    # Quantities that depend only on the (tp, pp, dp, ep) layout are computed once per layout
    # (prefix ``L_``) and gathered into the candidates with ``row``.
    f32 = np.float32
    row = cand.row if cand.row is not None else np.arange(len(cand))
    lay = (cand.layouts if cand.layouts is not None
           else np.stack([cand.tp, cand.pp, cand.dp, cand.ep], axis=1)).astype(f32)
    L_tp, L_pp, L_dp, L_ep = lay[:, 0], lay[:, 1], lay[:, 2], lay[:, 3]
    tp, pp, dp = cand.tp.astype(f32), cand.pp.astype(f32), cand.dp.astype(f32)
    v, b, zero, rc = cand.v.astype(f32), cand.b.astype(f32), cand.zero, cand.rc
    s, d, L, a = float(training.seq_len), float(model.d_model), float(model.n_layers), float(model.n_heads)
    V = float(model.vocab_size)

    # ---- batch: global sequences split into dp ranks × m micro-batches of b ----------------
    global_seqs_req = max(1, global_batch_tokens // training.seq_len)
    per_rank = dp * b
    m = np.maximum(1.0, np.ceil(global_seqs_req / per_rank))
    global_seqs = m * per_rank  # actual batch (>= requested; rounding up to whole micro-batches)
    # A plan may round the batch up to whole micro-batches on every rank, but not change the
    # recipe: at most 5 % over a batch the user set, 25 % over the planner's own default.
    slack = 1.05 if training.global_batch_tokens else 1.25
    batch_ok = (per_rank <= global_seqs_req) & (global_seqs <= global_seqs_req * slack + 1e-9)

    # ---- memory (bytes per accelerator) ------------------------------------------------------
    P_ne = float(model.non_expert_params())
    P_e = float(model.routed_expert_params_total())
    L_layers = np.ceil(L / L_pp)  # the heaviest stage holds ceil(L/p) layers
    L_share = L_layers / L
    L_ne = P_ne * L_share / L_tp
    L_e = P_e * L_share / (L_tp * L_ep)
    L_dp_e = np.maximum(1.0, L_dp / L_ep)  # data-parallel width seen by expert parameters
    layers_per_stage = L_layers[row]
    # model-state bytes per parameter byte, unsharded and sharded over the data-parallel group
    L_full = L_ne + L_e
    L_shard = L_ne / L_dp + L_e / L_dp_e
    full, shard = L_full[row], L_shard[row]
    mem_w = 2.0 * np.where(zero >= 3, shard, full)
    mem_g = 2.0 * np.where(zero >= 2, shard, full)
    mem_o = 12.0 * np.where(zero >= 1, shard, full)

    # Activations per layer per micro-batch in units of s·b·d bytes, after Korthikanti et al.
    # 2022 §4.1 without dropout masks (modern LLMs train without dropout) and with grouped KV:
    # two norm inputs 4; attention: its input 2, Q 2·h·d_qk/d, K 2·k·d_qk/d, V 2·k·d_v/d and
    # the out-projection input 2·h·d_v/d; MLP: its input 2 and the hidden tensors, 3 × 2f/d
    # gated (gate, up, product) or 2 × 2f/d plain (pre- and post-activation). GPT-3's shape gives
    # 32, the paper's 34 less its two dropout masks. MoE layers hold k routed copies of each token
    # (dispatch 2k) and the routed plus shared hidden widths.
    kv = float(model.n_heads if model.attention == "mla" else model.kv_heads)
    if model.attention == "mla":
        # MLA implementations keep the low-rank latents and recompute the up-projections in
        # backward (DeepSeek-V3 §3.2.3): input 2, the Q latent (or full Q), the KV latent with
        # its rotary part, and the attention output.
        q_store = model.q_lora_rank or a * model.qk_head_dim
        attn_units = 2.0 + 2.0 * (q_store + (model.kv_lora_rank or 0) + (model.qk_rope_head_dim or 0)
                                  + a * model.v_dim) / d
    else:
        attn_units = 2.0 + 2.0 * (a * model.qk_head_dim + kv * model.qk_head_dim + kv * model.v_dim
                                  + a * model.v_dim) / d
    hidden = 6.0 if model.gated_mlp else 4.0
    dense_mlp = 2.0 + model.ffn_dim / d * hidden
    if model.is_moe:
        f_moe = model.n_active_experts * (model.expert_ffn_dim or 0)
        if model.n_shared_experts:
            f_moe += model.shared_expert_ffn_dim or model.n_shared_experts * (model.expert_ffn_dim or 0)
        moe_mlp = 2.0 + 2.0 * model.n_active_experts + f_moe / d * hidden
        mlp_avg = (model.n_dense_layers * dense_mlp + model.n_moe_layers * moe_mlp) / L
    else:
        mlp_avg = dense_mlp
    linear_units = 4.0 + attn_units + mlp_avg
    score_units = 5.0 * a * s / d
    # bytes per layer per micro-batch, per unit of b/t, by recompute mode (none, selective, full)
    units = np.array([linear_units + score_units, linear_units, 2.0], dtype=f32) * (s * d)
    sbd_t = b / tp
    per_layer = units[rc] * sbd_t
    # 1F1B keeps min(p, m) micro-batches in flight on the first stage; interleaving adds
    # (p-1)/(p·v) more (Korthikanti 2022 §4.2.3). Full recompute also needs one layer's
    # working set while it recomputes.
    in_flight = np.minimum(pp, m) * np.where(v > 1, 1.0 + (pp - 1) / (pp * v), 1.0)
    working = np.where(rc == 2, units[0] * sbd_t, 0.0)
    logits = 4.0 * s * V * sbd_t  # fp32 logits of the last stage
    # ZeRO-3 gathers one layer's weights at a time (prefetching two).
    L_zero3_buf = 4.0 * L_full / np.maximum(L_layers, 1)
    mem_buf = opts.framework_allowance_gb * GB + np.where(zero >= 3, L_zero3_buf[row], 0.0)
    hbm = chip.need("hbm_gb", "the memory fit") * GB * opts.usable_hbm_fraction
    # Full recompute is applied to as few layers as make the plan fit (Megatron's
    # --recompute-num-layers): the rest keep their selective-recompute activations. ``frac`` is
    # that share of layers (1 = every layer; only the "full" candidates have one).
    stash = layers_per_stage * in_flight * sbd_t
    fixed = mem_w + mem_g + mem_o + mem_buf + logits + working
    act_sel, act_full = units[1] * stash, units[2] * stash
    # aim a hair under the limit so float32 rounding never reports a fitting plan as over it
    need = (fixed + act_sel - hbm * (1.0 - 1e-5)) / np.maximum(act_sel - act_full, 1.0)
    frac = np.where(rc == 2, np.clip(need, 0.0, 1.0), 0.0)
    if cand.full_all:  # published: every layer recomputed, not only as many as the memory needs
        frac = np.where(rc == 2, np.ones_like(frac), frac)
    mem_act = np.where(rc == 2, frac * act_full + (1.0 - frac) * act_sel,
                       per_layer * layers_per_stage * in_flight) + working + logits
    mem_total = mem_w + mem_g + mem_o + mem_act + mem_buf
    fits = mem_total <= hbm

    # ---- time ---------------------------------------------------------------------------------
    peak = chip.peak_tflops("bf16") * 1e12
    eff = opts.kernel_efficiency or min(
        0.98, (chip.v("kernel_efficiency") or 0.5) * efficiency_factor(opts.maturity, chip.id))
    if precision == "fp8":
        ratio = chip.need("fp8_tflops", "FP8 training") / chip.peak_tflops("bf16")
        peak *= min(ratio, opts.fp8_speedup_cap)
    # Matmul efficiency below the chip's large-GEMM figure, one roofline in both small GEMM
    # dimensions (docs/physics.md). R = peak × bytes/element / (2 × HBM bandwidth) is the chip's
    # ridge: a GEMM doing 2·R FLOPs per element it streams from HBM computes as long as it streams.
    # * few tokens per weight read: a GEMM over M tokens does 2·M FLOPs per weight read;
    #   g_m = M/(M+R). Dense layers see M = b·s tokens per micro-batch; each routed expert sees
    #   M = b·s·k·e/E (its share of the tokens of the e expert-parallel ranks it serves): this
    #   is what makes expert parallelism pay for its all-to-all.
    # * narrow GEMMs (tensor-parallel shards, small experts): a GEMM whose narrow side is x
    #   does ~2·x FLOPs per activation element it streams, so g_w = x/(x+R), x = d/t. The knee
    #   is the same ridge R, so a chip with more compute per byte of HBM (H100: R ≈ 295; A100:
    #   153) needs wider GEMMs to reach its peak. (Until issue 10 the knee was a constant 128,
    #   an A100-era figure that left the H100's larger penalty to a per-family efficiency.)
    # Routed experts are GEMMs of width f_e (sharded f_e/t under tensor parallelism): g_w uses
    # x_e = min(d, f_e)/t, which is what makes dozens of small experts (f_e of 512-2048) slower
    # per FLOP than one wide MLP (issue 10).
    hbm_bw = (chip.v("hbm_tbs") or 1.0) * 1e12
    weight_bytes = 1.0 if precision == "fp8" else 2.0
    ridge = peak * weight_bytes / (2.0 * hbm_bw)  # the GEMM dimension at the roofline's ridge
    L_x = d / L_tp
    L_gw = L_x / (L_x + ridge)
    attn_f = model.attention_flops_per_token(training.seq_len)
    emb_f = 6.0 * model.embedding_params()
    exp_f = 6.0 * model.n_moe_layers * model.n_active_experts * model.expert_params() if model.is_moe else 0.0
    dense_f = 6.0 * model.active_params() - exp_f - emb_f
    # Recompute adds forward FLOPs: full = one more forward of the layers (+1/3 of their
    # training FLOPs), selective = the attention-score forward again (+1/3 of the score FLOPs).
    re_layers = 1.0 + frac / 3.0
    re_attn = np.where(rc >= 1, f32(4.0 / 3.0), f32(1.0))
    m_dense = b * s
    inv_gm_dense = 1.0 + ridge / m_dense
    if model.is_moe:
        # 1/g_m for experts: 1 + R / (b·s·k·e/E)
        L_inv_e = ridge * model.n_experts / (s * model.n_active_experts * L_ep)
        L_xe = min(d, float(model.expert_ffn_dim or d)) / L_tp
        L_width_e = L_gw / (L_xe / (L_xe + ridge))  # expert g_w relative to the layer's d/t one
        inv_gm_exp = (1.0 + L_inv_e[row] / b) * L_width_e[row]
    else:
        inv_gm_exp = inv_gm_dense
    matmul_token = ((dense_f * re_layers + emb_f) * inv_gm_dense + exp_f * re_layers * inv_gm_exp
                    + attn_f * re_attn)
    # Memory-bound element-wise work (norms, residual adds, rotary embedding, activation
    # functions, MoE token permutation) streams activations through HBM rather than the tensor
    # cores (Ivanov et al. 2021, "Data Movement Is All You Need"). Per token and layer, forward:
    # two norms 2d each, two residual adds 3d each, rotary 2(h·d_qk + k·d_qk), the activation
    # 3f gated or 2f plain, MoE permutation 4·k·d; backward about twice that; bf16, split over
    # tensor-parallel ranks. It matters for narrow models (~10 % at d = 2048) and little for wide.
    rot = 2.0 * (a * model.qk_head_dim + kv * model.qk_head_dim)
    act = 3.0 if model.gated_mlp else 2.0
    ew_dense = 10.0 * d + rot + act * model.ffn_dim
    if model.is_moe:
        f_moe_all = model.n_active_experts * (model.expert_ffn_dim or 0) + (
            (model.shared_expert_ffn_dim or model.n_shared_experts * (model.expert_ffn_dim or 0))
            if model.n_shared_experts else 0)
        ew_moe = 10.0 * d + rot + act * f_moe_all + 4.0 * model.n_active_experts * d
        ew_elems = model.n_dense_layers * ew_dense + model.n_moe_layers * ew_moe
    else:
        ew_elems = L * ew_dense
    ew_bytes_token = 3.0 * 2.0 * ew_elems  # fwd + 2× bwd, 2 bytes each
    # Per token of the step, per chip: uneven stages wait for the heaviest one (share·p ≥ 1).
    L_chips = L_tp * L_pp * L_dp
    L_per_chip = L_share * L_pp / L_chips
    L_mm = L_per_chip / (peak * eff * L_gw)
    L_ew = L_per_chip * ew_bytes_token / hbm_bw
    tokens_step = global_seqs * s
    t_compute = tokens_step * (matmul_token * L_mm[row] + re_layers * L_ew[row])

    link = opts.link_efficiency
    up_bw = chip.need("scaleup_gbs", "tensor-parallel traffic") / 2.0 * GB * link  # per direction
    out_bw_fig = chip.v("scaleout_gbs")
    out_bw = (out_bw_fig if out_bw_fig is not None else chip.need("scaleup_gbs", "") / 2.0) * GB * link
    domain = float(chip.v("scaleup_domain") or 1)

    # Tensor parallel: 2 fwd + 2 bwd all-reduces (+2 on full recompute) of one bf16 activation
    # tensor s·b·d·2 per layer and micro-batch, ring 2(t-1)/t, on the scale-up link.
    L_tp_unit = L_layers * 2.0 * (L_tp - 1) / L_tp * (s * d * 2.0) / up_bw
    tp_colls = 4.0 + 2.0 * frac
    bm = b * m
    t_tp = tp_colls * L_tp_unit[row] * bm

    if model.is_moe:
        # all-to-all dispatch + combine, fwd + bwd, of k copies of each token's d-vector; the
        # share of remote peers outside the scale-up domain rides the scale-out network.
        L_moe_layers = np.ceil(model.n_moe_layers / L_pp)
        # of the e-1 peers a rank sends to, those outside its domain (domain/t EP ranks share one)
        L_inter = np.clip((L_ep - domain / L_tp) / np.maximum(L_ep - 1.0, 1.0), 0.0, 1.0)
        L_per_byte = (1.0 - L_inter) / up_bw + L_inter / out_bw
        L_a2a = (4.0 * L_moe_layers * (s / L_tp) * model.n_active_experts * d * 2.0 * (L_ep - 1) / L_ep
                 * L_per_byte * (1.0 - opts.comm_overlap_ep))
        t_ep = L_a2a[row] * bm
    else:
        t_ep = np.zeros_like(b)

    # Pipeline point-to-point: stages sit outside the tensor×data block, so across nodes when
    # that block exceeds the scale-up domain.
    # (np.where on two Python floats would give float64 and drag every later array with it)
    L_pp_bw = np.where(L_tp * L_dp >= domain, f32(out_bw), f32(up_bw))
    L_p2p = np.where(L_pp > 1, 2.0 * (s * d * 2.0) / L_tp / L_pp_bw, 0.0)
    t_pp = L_p2p[row] * v * bm

    work = t_compute + t_tp + t_ep + t_pp
    bub = (pp - 1) / v
    t_bubble = work * bub / m  # bubble fraction f = bub/(m+bub): work·f/(1−f)

    # Data-parallel traffic, ring, in units U = one pass of the rank's bf16 parameters
    # ((n-1)/n of its bytes per rank: one reduce-scatter or one all-gather).
    # ZeRO-0/1: one all-reduce (2U) per step; only the last micro-batch's backward hides it.
    # ZeRO-2: gradients are reduce-scattered during every micro-batch's backward (U each), and
    #   the updated weights all-gathered once per step (U).
    # ZeRO-3: every micro-batch all-gathers the weights for forward and again for backward and
    #   reduce-scatters its gradients (3U each), prefetched under that micro-batch's compute
    #   (Rajbhandari et al. 2020, §5; DeepSpeed gradient accumulation).
    L_dp_bw = np.where(L_tp * L_dp <= domain, f32(up_bw), f32(out_bw))
    L_dp_e_bw = np.where(L_tp * L_ep * L_dp_e <= domain, f32(up_bw), f32(out_bw))
    L_unit = (2.0 * L_ne * (L_dp - 1) / L_dp / L_dp_bw + 2.0 * L_e * (L_dp_e - 1) / L_dp_e / L_dp_e_bw)
    unit = L_unit[row]
    ov = opts.comm_overlap_dp
    mb_compute = t_compute / m
    per_step = 2.0 * unit - np.minimum(ov * 2.0 * unit, (2.0 / 3.0) * mb_compute)
    per_mb_z2 = unit - np.minimum(ov * unit, (2.0 / 3.0) * mb_compute)
    per_mb_z3 = 3.0 * unit - np.minimum(ov * 3.0 * unit, mb_compute)
    t_dp = np.where(zero <= 1, per_step,
                    np.where(zero == 2, m * per_mb_z2 + (1.0 - ov) * unit, m * per_mb_z3))

    t_opt = (mem_w + mem_g + mem_o) * (2.0 / hbm_bw)  # read+write model states once

    t_step = work + t_bubble + t_dp + t_opt
    return Evaluated(
        cand=cand,
        global_seqs=global_seqs,
        micro_batches=m,
        mem_weights=mem_w,
        mem_grads=mem_g,
        mem_optimizer=mem_o,
        mem_activations=mem_act,
        recompute_fraction=frac,
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


def time_floor(
    model: ModelSpec, training: TrainingSpec, chip: Accelerator, layouts: np.ndarray, global_batch_tokens: int,
    precision: str, opts: PhysicsOptions,
) -> np.ndarray:
    """Per (tp, pp, dp, ep) layout and micro-batch size (columns in ``MICRO_BATCHES`` order), a
    floor on the step time per sequence of any of its plans: compute, tensor-parallel, expert
    all-to-all and pipeline transfers where each is least (no recomputation, no interleaving; per
    sequence the transfers do not depend on the number of micro-batches), and the pipeline bubble
    at the deepest interleaving the layers allow. Data-parallel and optimizer time are >= 0 and
    goodput <= 1, so no such plan is faster. Used to skip what cannot beat a plan already found."""
    n = len(layouts)
    pp = layouts[:, 1].astype(np.float64)
    per_stage = np.ceil(model.n_layers / pp)
    v_max = np.ones(n)
    for v in INTERLEAVE:
        v_max = np.where((pp > 1) & (per_stage >= v), float(v), v_max)
    k = len(MICRO_BATCHES)
    row = np.tile(np.arange(n), k)  # every layout once per micro-batch size, in one evaluation
    b = np.repeat(np.array(MICRO_BATCHES, dtype=np.int64), n)
    zeros = np.zeros(n * k, dtype=np.int64)
    probe = Candidates(layouts[row, 0], layouts[row, 1], layouts[row, 2], layouts[row, 3], zeros + 1, b, zeros,
                       zeros, row=row, layouts=layouts)
    ev = evaluate_candidates(model, training, chip, probe, global_batch_tokens, precision, opts)
    work = ev.t_compute.astype(np.float64) + ev.t_tp + ev.t_ep + ev.t_pp
    bubble = (np.tile(pp, k) - 1.0) / (np.tile(v_max, k) * ev.micro_batches.astype(np.float64))
    return (work * (1.0 + bubble) / ev.global_seqs.astype(np.float64)).reshape(k, n).T


def goodput(chips: int, opts: PhysicsOptions) -> tuple[float, float, float]:
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
