"""Physics: hand-computed small cases for each formula, and invariants of the plan search."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import core.estimate as estimate_module
from core.catalog import Accelerator, Figure, get_accelerator
from core.errors import InputError
from core.estimate import estimate
from core.model import ModelSpec
from core.planner import Candidates, default_global_batch_tokens, evaluate_candidates, goodput
from core.presets import preset_spec
from core.training import PhysicsOptions, TrainingSpec

GB = 1e9


def fig(v: float) -> Figure:
    return Figure(value=v, source="test", date="2026")


def chip(**over) -> Accelerator:
    base = dict(id="T-1", name="Test", vendor="T", origin="US", datacenter=True,
                bf16_tflops=fig(100), hbm_gb=fig(80), hbm_tbs=fig(2.0), scaleup_gbs=fig(400),
                scaleup_domain=fig(8), scaleout_gbs=fig(50), tdp_w=fig(500), kernel_efficiency=fig(0.5))
    base.update(over)
    return Accelerator(**base)


TINY = ModelSpec(name="tiny", n_layers=4, d_model=1024, n_heads=8, n_kv_heads=8, ffn_dim=4096,
                 gated_mlp=False, vocab_size=1000, tied_embeddings=True)


def one(tp=1, pp=1, dp=1, ep=1, v=1, b=1, zero=0, rc=0) -> Candidates:
    a = lambda x: np.array([x], dtype=np.int64)  # noqa: E731
    return Candidates(a(tp), a(pp), a(dp), a(ep), a(v), a(b), a(zero), a(rc))


def test_tiny_param_count_by_hand():
    # attention 4·d² = 4,194,304 ; MLP 2·d·4d = 8,388,608 ; per layer 12,582,912 ; ×4 = 50,331,648
    # embedding (tied) 1000·1024 = 1,024,000  → 51,355,648
    assert TINY.total_params() == 51_355_648
    assert TINY.active_params() == TINY.total_params()


def test_memory_single_chip_by_hand():
    training = TrainingSpec(tokens=1e9, seq_len=512, global_batch_tokens=512 * 4)
    ev = evaluate_candidates(TINY, training, chip(), one(), 512 * 4, "bf16", PhysicsOptions())
    P = 51_355_648
    assert ev.mem_weights[0] == pytest.approx(2 * P, rel=1e-6)
    assert ev.mem_grads[0] == pytest.approx(2 * P, rel=1e-6)
    assert ev.mem_optimizer[0] == pytest.approx(12 * P, rel=1e-6)
    # Korthikanti without dropout masks, no recompute, t = 1, per layer s·b·d × (norms 4
    #   + attention 2 + Q 2 + K 2 + V 2 + out-proj input 2 + MLP 2 + 4·f/d + scores 5·a·s/d)
    #   = 512·1·1024 × (4 + 10 + 18 + 20) = 524,288 × 52 = 27,262,976 bytes; ×4 layers, 1 in flight
    # plus fp32 logits 4·512·1000 = 2,048,000  → 111,099,904
    assert ev.mem_activations[0] == pytest.approx(111_099_904, rel=1e-6)
    assert ev.mem_buffers[0] == pytest.approx(4 * GB)
    assert ev.micro_batches[0] == 4


def test_zero_stages_shard_states_by_hand():
    training = TrainingSpec(tokens=1e9, seq_len=512)
    c = chip(hbm_gb=fig(1000))
    P = 51_355_648
    for zero, (w, g, o) in {0: (2, 2, 12), 1: (2, 2, 12 / 4), 2: (2, 2 / 4, 12 / 4), 3: (2 / 4, 2 / 4, 12 / 4)}.items():
        ev = evaluate_candidates(TINY, training, c, one(dp=4, zero=zero), 512 * 8, "bf16", PhysicsOptions())
        assert ev.mem_weights[0] == pytest.approx(w * P, rel=1e-6)
        assert ev.mem_grads[0] == pytest.approx(g * P, rel=1e-6)
        assert ev.mem_optimizer[0] == pytest.approx(o * P, rel=1e-6)


def test_compute_time_by_hand():
    training = TrainingSpec(tokens=1e9, seq_len=512)
    ev = evaluate_candidates(TINY, training, chip(), one(), 512 * 4, "bf16", PhysicsOptions())
    matmul = 6 * 51_355_648  # 6N
    attention = 6 * 4 * 512 * 8 * (128 + 128)  # 6·L·s·h·(dqk+dv)
    # one roofline, ridge R = peak·2 B/(2·HBM) = 100e12/2e12 = 50, in both small GEMM sides:
    g_w = 1024 / (1024 + 50)  # narrow side d/t = 1024
    g_m = 512 / (512 + 50)  # 512 tokens per weight read
    expected = (matmul / (g_w * g_m) + attention / g_w) * 2048 / (100e12 * 0.5)
    # element-wise traffic per layer and token: 10·d + rotary 2·(8·128 + 8·128) + plain MLP 2·f
    #   = 10,240 + 4,096 + 8,192 = 22,528 elements; ×4 layers × (fwd + 2·bwd) × 2 bytes = 540,672 B
    expected += 540_672 * 2048 / 2e12
    assert ev.t_compute[0] == pytest.approx(expected, rel=1e-5)
    assert ev.t_tp[0] == 0 and ev.t_bubble[0] == 0 and ev.t_ep[0] == 0


def test_pipeline_bubble_by_hand():
    training = TrainingSpec(tokens=1e9, seq_len=512)
    # p = 4, m = 8: bubble is (p-1)/(m+p-1) = 3/11 of the step, i.e. 3/8 of the work
    ev = evaluate_candidates(TINY, training, chip(), one(pp=4), 512 * 8, "bf16", PhysicsOptions())
    work = ev.t_compute[0] + ev.t_tp[0] + ev.t_ep[0] + ev.t_pp[0]
    assert ev.micro_batches[0] == 8
    assert ev.t_bubble[0] == pytest.approx(work * 3 / 8, rel=1e-5)
    # interleaving with v = 2 halves the bubble's (p-1): (1.5)/(8+1.5) of the step → 1.5/8 of work
    ev2 = evaluate_candidates(TINY, training, chip(), one(pp=4, v=2), 512 * 8, "bf16", PhysicsOptions())
    work2 = ev2.t_compute[0] + ev2.t_tp[0] + ev2.t_ep[0] + ev2.t_pp[0]
    assert ev2.t_bubble[0] == pytest.approx(work2 * 1.5 / 8, rel=1e-5)


def test_tensor_parallel_allreduce_by_hand():
    training = TrainingSpec(tokens=1e9, seq_len=512)
    opts = PhysicsOptions(link_efficiency=1.0)
    ev = evaluate_candidates(TINY, training, chip(), one(tp=4), 512, "bf16", opts)
    # 4 all-reduces × 4 layers × 2·(t-1)/t × (s·b·d·2 bytes) / (400/2 GB/s)
    expected = 4 * 4 * 2 * 3 / 4 * (512 * 1024 * 2) / 200e9
    assert ev.t_tp[0] == pytest.approx(expected, rel=1e-5)


def test_cut_nvlink_costs_time():
    """H800's 400 GB/s NVLink must show against H100's 900 GB/s on tensor-parallel traffic."""
    model = preset_spec("llama-3.1-70b")
    training = TrainingSpec(tokens=1e12, seq_len=8192, global_batch_tokens=8 * 2**20)
    cand = one(tp=8, pp=4, dp=8, zero=1, rc=1)
    h100 = evaluate_candidates(model, training, get_accelerator("H100-SXM"), cand, 8 * 2**20, "bf16", PhysicsOptions())
    h800 = evaluate_candidates(model, training, get_accelerator("H800-SXM"), cand, 8 * 2**20, "bf16", PhysicsOptions())
    assert h800.t_tp[0] == pytest.approx(h100.t_tp[0] * 900 / 400, rel=1e-4)
    assert h800.t_step[0] > h100.t_step[0]
    r100 = estimate(model, training, get_accelerator("H100-SXM"), 256)
    r800 = estimate(model, training, get_accelerator("H800-SXM"), 256)
    assert r800.wall_clock_days > r100.wall_clock_days


def test_goodput_llama3_case_by_hand():
    # 419 interruptions / (16384 GPUs × 54 days) × 16384 = 7.759/day → MTBF 11,135 s
    # τ = sqrt(2·20·11135) = 667.4 s; lost = 20/τ + τ/(2·MTBF) + 600/MTBF = 0.1138
    gp, mtbf_h, tau = goodput(16384, PhysicsOptions())
    assert mtbf_h == pytest.approx(11135.5 / 3600, rel=1e-3)
    assert tau == pytest.approx(667.4, rel=1e-3)
    assert gp == pytest.approx(0.8862, abs=5e-4)
    assert goodput(1, PhysicsOptions(failures_per_gpu_day=0))[0] == 1.0


def test_default_batch_follows_deepseek_scaling_law():
    model = preset_spec("deepseek-v3")
    training = TrainingSpec(tokens=14.8e12, seq_len=4096)
    flops = model.training_flops_per_token(4096) * 14.8e12
    expected = 0.292 * flops**0.3271
    got = default_global_batch_tokens(model, training)
    assert got % 4096 == 0
    assert expected - 4096 <= got <= expected


def test_estimate_deepseek_v3_is_plausible():
    r = estimate(preset_spec("deepseek-v3"), TrainingSpec(tokens=14.8e12, seq_len=4096, precision="fp8"),
                 get_accelerator("H800-SXM"), 2048, PhysicsOptions(maturity="frontier"))
    assert r.verdict == "feasible"
    assert r.plan.ep > 1  # experts must be spread out
    assert r.memory.total_gb <= r.memory.usable_hbm_gb
    # the paper reports 2.664M H800 GPU-hours of pre-training. With the efficiency fitted across
    # labs (docs/validation.md) a well-tuned (frontier) stack comes out ~30 % slow on this run:
    # DeepSeek-V3 hides nearly all of its all-to-all (DualPipe), which the planner does not.
    assert 2.0e6 < r.gpu_hours < 3.6e6
    assert r.candidates_evaluated > 1000
    assert sum(r.step_time.model_dump().values()) == pytest.approx(2 * r.step_time.total, rel=1e-6)


def test_nothing_fits_says_why_in_numbers():
    r = estimate(preset_spec("llama-3.1-405b"), TrainingSpec(tokens=1e12), get_accelerator("RTX-4090"), 8)
    assert r.verdict == "infeasible"
    assert r.plan is None
    msg = " ".join(r.reasons)
    assert "model state" in msg and "8 × RTX-4090" in msg and "TB" in msg


def test_fp8_on_a_chip_without_fp8_falls_back_with_a_reason():
    r = estimate(preset_spec("llama-3.1-8b"), TrainingSpec(tokens=1e11, precision="fp8"),
                 get_accelerator("A100-SXM-80GB"), 64)
    assert r.plan.precision == "bf16"
    assert any("no FP8" in x for x in r.reasons)


def test_fp8_is_faster_where_supported():
    t = dict(tokens=1e12, seq_len=4096, global_batch_tokens=4 * 2**20)
    bf = estimate(preset_spec("llama-3.1-70b"), TrainingSpec(**t), get_accelerator("H100-SXM"), 512)
    f8 = estimate(preset_spec("llama-3.1-70b"), TrainingSpec(**t, precision="fp8"), get_accelerator("H100-SXM"), 512)
    assert f8.wall_clock_days < bf.wall_clock_days


def test_missing_figure_is_named():
    c = chip(hbm_gb=None)
    with pytest.raises(InputError, match="hbm_gb"):
        estimate(TINY, TrainingSpec(tokens=1e9), c, 8)


def test_zero_count_rejected():
    with pytest.raises(InputError, match="count"):
        estimate(TINY, TrainingSpec(tokens=1e9), chip(), 0)


# ---- invariants (hypothesis) -----------------------------------------------------------------
MODELS = ["llama-3.1-8b", "qwen3-30b-a3b", "mixtral-8x7b", "olmo-2-13b"]
CHIPS = ["H100-SXM", "H800-SXM", "A100-SXM-80GB", "H20", "Ascend-910B"]
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# (model, accelerator, tokens): dense and MoE, with and without FP8, small and huge scale-up domains
PAIRS = [("deepseek-v3", "Ascend-910C", 15e12), ("deepseek-v3", "H800-SXM", 14.8e12),
         ("llama-3.1-8b", "H100-SXM", 1e12), ("qwen3-30b-a3b", "H20", 1e12),
         ("mixtral-8x7b", "A100-SXM-80GB", 1e12), ("olmo-2-13b", "Ascend-910B", 1e12),
         ("llama-3.1-70b", "GB200", 2e12)]
DSV3_ASCEND = PAIRS[0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PAIRS), st.integers(1, 20_000), st.integers(1, 30_000),
       st.sampled_from([None, 8 * 2**20]), st.sampled_from(["bf16", "fp8"]))
# issue 10: 3,000 chips took 99 days, 3,050-3,071 took 108, 3,072 took 87
@example(DSV3_ASCEND, 3000, 50, None, "bf16")
@example(DSV3_ASCEND, 3050, 21, None, "bf16")
@example(DSV3_ASCEND, 3071, 1, None, "bf16")
@example(DSV3_ASCEND, 3000, 72, None, "bf16")
@example(DSV3_ASCEND, 3072, 228, None, "bf16")
def test_more_chips_never_slower(pair, count, extra, batch, precision):
    """Any fleet can run the best plan of any smaller fleet (leaving the rest idle), so adding
    chips never lengthens the run; counts are arbitrary, not powers of two."""
    model_id, chip_id, tokens = pair
    training = TrainingSpec(tokens=tokens, seq_len=4096, global_batch_tokens=batch, precision=precision)
    model, c = preset_spec(model_id), get_accelerator(chip_id)
    small = estimate(model, training, c, count)
    big = estimate(model, training, c, count + extra)
    if small.verdict == "feasible":
        assert big.verdict == "feasible"
        assert big.wall_clock_days <= small.wall_clock_days * (1 + 1e-9)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PAIRS), st.integers(1, 20_000), st.sampled_from([None, 4 * 2**20]))
def test_pruned_search_equals_costing_every_layout(pair, count, batch):
    """The floor that skips layouts never skips the best plan or one of the alternatives shown:
    with the floor at zero (nothing skipped) the answer is the same."""
    model_id, chip_id, tokens = pair
    args = (preset_spec(model_id), TrainingSpec(tokens=tokens, seq_len=4096, global_batch_tokens=batch),
            get_accelerator(chip_id), count)
    pruned = estimate.uncached(*args)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(estimate_module, "time_floor", lambda *a: np.zeros((len(a[3]), 3)))
        full = estimate.uncached(*args)
    assert full.candidates_evaluated >= pruned.candidates_evaluated
    assert pruned.model_dump(exclude={"candidates_evaluated", "candidates_fitting"}) == \
        full.model_dump(exclude={"candidates_evaluated", "candidates_fitting"})


def test_idle_chips_are_reported_apart_from_the_ones_used():
    model_id, chip_id, tokens = DSV3_ASCEND
    training = TrainingSpec(tokens=tokens, seq_len=4096)
    c = get_accelerator(chip_id)
    r = estimate(preset_spec(model_id), training, c, 3050)
    hours = r.wall_clock_days * 24
    assert r.chips_used == r.plan.chips_used and r.chips_used + r.chips_idle == 3050 and r.chips_idle > 0
    assert r.gpu_hours == pytest.approx(r.chips_used * hours)
    assert r.gpu_hours_idle == pytest.approx(r.chips_idle * hours)
    assert any(f"{r.chips_idle:,} of 3,050 chips idle" in x and "GPU-hours count the" in x for x in r.reasons)
    full = estimate(preset_spec(model_id), training, c, r.chips_used)  # the same plan, nothing idle
    assert full.chips_idle == 0 and full.gpu_hours_idle == 0
    assert full.wall_clock_days == pytest.approx(r.wall_clock_days)


@FAST
@given(st.sampled_from(MODELS), st.sampled_from(CHIPS), st.integers(8, 2048),
       st.floats(1e10, 1e13), st.floats(1.01, 10))
def test_more_tokens_never_cheaper(model_id, chip_id, count, tokens, factor):
    model, c = preset_spec(model_id), get_accelerator(chip_id)
    a = estimate(model, TrainingSpec(tokens=tokens, global_batch_tokens=4 * 2**20), c, count)
    b = estimate(model, TrainingSpec(tokens=tokens * factor, global_batch_tokens=4 * 2**20), c, count)
    if a.verdict == "feasible":
        assert b.gpu_hours >= a.gpu_hours
        assert b.training_flops > a.training_flops


@FAST
@given(st.sampled_from([*MODELS, "deepseek-v3", "llama-3.1-405b"]), st.sampled_from(CHIPS),
       st.integers(1, 4096), st.sampled_from([2048, 4096, 8192]))
def test_memory_never_negative_and_every_plan_fits(model_id, chip_id, count, seq):
    r = estimate(preset_spec(model_id), TrainingSpec(tokens=1e12, seq_len=seq), get_accelerator(chip_id), count)
    if r.verdict == "feasible":
        parts = r.memory.model_dump()
        assert all(v >= 0 for v in parts.values())
        assert r.memory.total_gb <= r.memory.usable_hbm_gb + 1e-6
        for alt in r.alternatives:
            assert 0 <= alt.memory_gb <= r.memory.usable_hbm_gb + 1e-6
        assert all(v >= 0 and math.isfinite(v) for v in r.step_time.model_dump().values())
        assert r.plan.chips_used <= count
        assert 0 < r.mfu < 1
    else:
        assert r.reasons


def test_zero_communication_per_stage_by_hand():
    """ZeRO-0/1 all-reduce once per step; ZeRO-2 reduce-scatters every micro-batch and gathers
    the weights once; ZeRO-3 gathers twice and reduce-scatters once per micro-batch."""
    training = TrainingSpec(tokens=1e9, seq_len=512)
    opts = PhysicsOptions(link_efficiency=1.0, comm_overlap_dp=0.0)  # nothing hidden: pure volume
    c = chip(hbm_gb=fig(1000), scaleup_domain=fig(8))
    P = 51_355_648
    unit = 2 * P * (4 - 1) / 4 / 200e9  # one ring pass of bf16 params, dp = 4 inside the domain
    expect = {0: 2 * unit, 1: 2 * unit, 2: 2 * unit + unit, 3: 2 * 3 * unit}  # m = 2 micro-batches
    for zero, t in expect.items():
        ev = evaluate_candidates(TINY, training, c, one(dp=4, zero=zero), 512 * 8, "bf16", opts)
        assert ev.micro_batches[0] == 2
        assert ev.t_dp[0] == pytest.approx(t, rel=1e-5), zero


def test_partial_recompute_fills_memory_exactly():
    """Meta's Llama 3.1 405B layout (TP8 PP16×v8 DP128, 16M-token batch) does not fit 80 GB with
    selective recomputation; full recomputation of just enough layers brings it to the limit."""
    model = preset_spec("llama-3.1-405b")
    gbt = 16 * 2**20
    training = TrainingSpec(tokens=15.6e12, seq_len=8192, global_batch_tokens=gbt)
    h100 = get_accelerator("H100-SXM")
    sel = evaluate_candidates(model, training, h100, one(tp=8, pp=16, v=8, dp=128, zero=1, rc=1), gbt,
                              "bf16", PhysicsOptions())
    part = evaluate_candidates(model, training, h100, one(tp=8, pp=16, v=8, dp=128, zero=1, rc=2), gbt,
                               "bf16", PhysicsOptions())
    assert not sel.fits[0]
    frac = float(part.recompute_fraction[0])
    assert 0.0 < frac < 1.0 and part.fits[0]
    assert part.mem_total[0] == pytest.approx(part.usable_hbm, rel=1e-4)
    # the compute it pays is a third of the layers' FLOPs for that share of layers only
    assert sel.t_compute[0] < part.t_compute[0] < sel.t_compute[0] * (1 + frac / 3 + 0.01)
    # with Meta's well-tuned stack (at the typical efficiency ZeRO-3 over DP 2048 edges ahead)
    r = estimate(model, training, h100, 16384, PhysicsOptions(maturity="frontier"))
    assert (r.plan.tp, r.plan.pp, r.plan.dp) == (8, 16, 128)  # Meta's own layout (Table 4)
    assert r.plan.recompute == "partial" and "of layers" in r.plan.label()


def test_a_fleet_far_larger_than_the_batch_uses_what_it_can_and_says_so():
    r = estimate(preset_spec("llama-3.1-8b"), TrainingSpec(tokens=1e12, seq_len=4096, global_batch_tokens=2**22),
                 get_accelerator("H100-SXM"), 10_000_000)
    assert r.verdict == "feasible"
    assert r.plan.chips_used < 10_000_000
    assert any("chips idle" in x for x in r.reasons) and r.chips_idle == 10_000_000 - r.chips_used
    assert r.plan.dp * r.plan.micro_batch <= 2**22 // 4096


def test_small_routed_experts_pay_the_narrow_gemm_penalty_by_hand():
    # One MoE layer, d = 1024, 4 experts of f_e = 128, top-1, one chip, no recompute, b = 1,
    # s = 512. Roofline ridge R = peak·2/(2·HBM) = 100e12/2e12 = 50. Expert GEMMs use
    # g_w = x_e/(x_e+R) with x_e = min(d, f_e)/t = 128 -> 128/178, the rest of the layer
    # g_w = 1024/1074; dense M = 512 -> 1/g_m = 1 + 50/512; experts M = b·s·k·e/E = 128 -> 1 + 50/128.
    moe = ModelSpec(name="tiny-moe", n_layers=1, d_model=1024, n_heads=8, ffn_dim=4096, gated_mlp=False,
                    vocab_size=1000, tied_embeddings=True, n_experts=4, n_active_experts=1, expert_ffn_dim=128)
    training = TrainingSpec(tokens=1e9, seq_len=512, global_batch_tokens=512)
    ev = evaluate_candidates(moe, training, chip(), one(), 512, "bf16", PhysicsOptions())
    exp_f = 6.0 * 2 * 1024 * 128            # one routed expert per token: 2·d·f_e params, ×6
    emb_f = 6.0 * 1000 * 1024
    dense_f = 6.0 * moe.active_params() - exp_f - emb_f
    attn_f = moe.attention_flops_per_token(512)
    gw, ge = 1024 / 1074, 128 / 178
    peak_eff = 100e12 * 0.5
    mm = ((dense_f + emb_f) * (1 + 50 / 512) / gw + exp_f * (1 + 50 / 128) / ge + attn_f / gw) / peak_eff
    # element-wise bytes: fwd + 2×bwd, 2 B each, per token: 10·d + rotary 2·(8·128 + 8·128)
    # + activation 2·f_e + permutation 4·k·d
    ew = 3 * 2 * (10 * 1024 + 2 * (8 * 128 + 8 * 128) + 2 * 128 + 4 * 1024) / 2e12
    assert ev.t_compute[0] == pytest.approx(512 * (mm + ew), rel=1e-4)


def test_moe_dispatch_all_to_all_by_hand():
    # One MoE layer, d = 1024, top-1, EP 2 inside an 8-chip scale-up domain, b = 1, s = 512.
    # Dispatch + combine, forward + backward: 4 all-to-alls of k·s·d bf16 values, of which
    # (e-1)/e leave the chip: 4 · 512 · 1024 · 2 B · 1/2 = 2,097,152 B per micro-batch, over
    # 400/2 GB/s per direction × 0.7 link efficiency = 140 GB/s, half hidden under compute.
    moe = ModelSpec(name="tiny-moe", n_layers=1, d_model=1024, n_heads=8, ffn_dim=4096, gated_mlp=False,
                    vocab_size=1000, tied_embeddings=True, n_experts=4, n_active_experts=1, expert_ffn_dim=128)
    training = TrainingSpec(tokens=1e9, seq_len=512, global_batch_tokens=1024)
    ev = evaluate_candidates(moe, training, chip(), one(dp=2, ep=2), 1024, "bf16", PhysicsOptions())
    assert ev.micro_batches[0] == 1
    assert ev.t_ep[0] == pytest.approx(2_097_152 / 140e9 * 0.5, rel=1e-5)
    # EP across two 1-chip domains: the same bytes ride the 50 GB/s × 0.7 scale-out link instead
    ev2 = evaluate_candidates(moe, training, chip(scaleup_domain=fig(1)), one(dp=2, ep=2), 1024, "bf16",
                              PhysicsOptions())
    assert ev2.t_ep[0] == pytest.approx(2_097_152 / 35e9 * 0.5, rel=1e-5)
