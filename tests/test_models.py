"""Parameter counting (core/model.py) and the model presets (core/presets.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.errors import InputError
from core.model import ModelSpec
from core.presets import get_preset, load_presets, preset_spec

PRESET_IDS = list(load_presets())
REQUIRED = [
    "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "deepseek-v3", "deepseek-v2",
    "qwen3-235b-a22b", "qwen3-32b", "qwen2.5-72b", "mixtral-8x7b", "gpt-3-175b",
    "opt-175b", "olmo-2-32b",
]  # fmt: skip


# ---- presets ------------------------------------------------------------------------
def test_required_presets_present():
    assert set(REQUIRED) <= set(PRESET_IDS)


@pytest.mark.parametrize("pid", PRESET_IDS)
def test_preset_counts_match_published(pid):
    p = get_preset(pid)
    assert p.spec.total_params() == pytest.approx(p.published_total_params, rel=0.02)
    assert p.spec.active_params() == pytest.approx(p.published_active_params, rel=0.02)


@pytest.mark.parametrize("pid", PRESET_IDS)
def test_preset_is_sourced(pid):
    p = get_preset(pid)
    assert p.spec.source and p.published_source and p.tokens_source
    assert p.spec.name == p.name
    assert p.default_seq_len >= 1024
    if p.spec.is_moe:
        assert p.published_active_params < p.published_total_params
    else:
        assert p.published_active_params == p.published_total_params


def test_special_cases_encoded():
    q235 = preset_spec("qwen3-235b-a22b")
    assert q235.d_head == 128 and q235.d_model // q235.n_heads == 64
    assert q235.n_shared_experts == 0
    assert not preset_spec("qwen2.5-72b").tied_embeddings
    for pid, vocab in (("opt-175b", 50272), ("gpt-3-175b", 50257)):
        s = preset_spec(pid)
        assert (s.gated_mlp, s.ffn_dim, s.vocab_size, s.tied_embeddings) == (
            False, 4 * s.d_model, vocab, True
        )  # fmt: skip
    v2 = preset_spec("deepseek-v2")
    assert (v2.n_layers, v2.d_model, v2.n_experts, v2.n_active_experts) == (60, 5120, 160, 6)
    assert (v2.n_shared_experts, v2.expert_ffn_dim, v2.first_dense_layers) == (2, 1536, 1)
    assert (v2.q_lora_rank, v2.kv_lora_rank, v2.vocab_size) == (1536, 512, 102400)


def test_lookup_is_case_insensitive_and_returns_a_copy():
    assert get_preset("  DeepSeek-V3 ").id == "deepseek-v3"
    s = preset_spec("llama-3.1-8b")
    s.n_layers = 1
    assert get_preset("llama-3.1-8b").spec.n_layers == 32


def test_unknown_preset_suggests():
    with pytest.raises(InputError) as e:
        get_preset("llama-3.1-7b")
    assert e.value.field == "model"
    assert "unknown model 'llama-3.1-7b'" in e.value.problem
    assert "did you mean" in e.value.problem and "llama-3.1-8b" in e.value.problem


# ---- hand-computed counts -----------------------------------------------------------
def test_tiny_dense_gqa():
    s = ModelSpec(n_layers=2, d_model=64, n_heads=4, n_kv_heads=2, ffn_dim=128, vocab_size=100)
    # d_head = 64/4 = 16
    # attention = d*d_h*(2h+2k) = 64*16*(8+4) = 12288
    # gated MLP = 3*64*128 = 24576; per layer 36864; x2 layers = 73728
    # embeddings untied = 2*100*64 = 12800; total = 86528
    assert s.attention_params() == 12288
    assert s.dense_mlp_params() == 24576
    assert s.total_params() == 86528
    assert s.active_params() == 86528
    assert s.active_params_no_embedding() == 73728


def test_tiny_moe_shared_and_first_dense():
    s = ModelSpec(
        n_layers=4, d_model=32, n_heads=4, ffn_dim=64, vocab_size=50, tied_embeddings=True,
        n_experts=4, n_active_experts=2, n_shared_experts=1, expert_ffn_dim=16,
        first_dense_layers=1,
    )  # fmt: skip
    # attention (MHA, d_h 8) = 32*8*(8+8) = 4096 per layer; x4 = 16384
    # 1 dense layer: 3*32*64 = 6144
    # 3 MoE layers: one expert 3*32*16 = 1536; routed 4*1536 = 6144; shared 1536;
    #   router 32*4 = 128 -> 7808 per layer; x3 = 23424
    # tied embedding 50*32 = 1600
    # total = 16384 + 6144 + 23424 + 1600 = 47552
    # active MoE layer = 2*1536 + 1536 + 128 = 4736; x3 = 14208
    # active = 16384 + 6144 + 14208 + 1600 = 38336
    assert (s.n_moe_layers, s.n_dense_layers) == (3, 1)
    assert s.total_params() == 47552
    assert s.active_params() == 38336
    assert s.routed_expert_params_total() == 3 * 6144


def test_moe_shared_width_and_layer_freq():
    s = ModelSpec(
        n_layers=4, d_model=32, n_heads=4, ffn_dim=64, vocab_size=50, tied_embeddings=True,
        n_experts=4, n_active_experts=1, n_shared_experts=1, expert_ffn_dim=16,
        shared_expert_ffn_dim=40, moe_layer_freq=2,
    )  # fmt: skip
    # MoE every 2nd layer: 2 MoE, 2 dense
    # attention 4096*4 = 16384; dense 6144*2 = 12288
    # MoE layer: routed 4*1536 = 6144, shared 3*32*40 = 3840, router 128 -> 10112; x2 = 20224
    # total = 16384 + 12288 + 20224 + 1600 = 50496
    # active MoE layer = 1536 + 3840 + 128 = 5504; x2 = 11008 -> 16384+12288+11008+1600 = 41280
    assert s.n_moe_layers == 2
    assert s.total_params() == 50496
    assert s.active_params() == 41280


def test_tiny_mla():
    kw = dict(
        n_layers=1, d_model=64, n_heads=2, ffn_dim=32, vocab_size=10, attention="mla",
        kv_lora_rank=8, qk_nope_head_dim=8, qk_rope_head_dim=4, v_head_dim=8,
    )  # fmt: skip
    s = ModelSpec(q_lora_rank=16, **kw)
    # qk head = 8+4 = 12
    # Q: d*q_lora + q_lora*h*qk = 64*16 + 16*2*12 = 1024 + 384 = 1408
    # KV down (latent + shared rope key): d*(kv_lora + rope) = 64*12 = 768
    # KV up: kv_lora*h*(nope + v) = 8*2*16 = 256
    # O: h*v*d = 2*8*64 = 1024
    # attention = 3456; MLP 3*64*32 = 6144; embeddings 2*10*64 = 1280; total 10880
    assert s.attention_params() == 3456
    assert s.total_params() == 10880
    # full-rank Q (q_lora_rank 0/None): d*h*qk = 64*2*12 = 1536 -> attention 3584, total 11008
    assert ModelSpec(q_lora_rank=0, **kw).total_params() == 11008
    assert ModelSpec(**kw).total_params() == 11008


def test_plain_mlp_with_learned_positions():
    s = ModelSpec(
        n_layers=1, d_model=8, n_heads=2, ffn_dim=32, gated_mlp=False, vocab_size=10,
        tied_embeddings=True, learned_pos_embeddings=4,
    )  # fmt: skip
    # attention 4*8*8 = 256; plain MLP 2*8*32 = 512; embeddings (10 tied + 4 positions)*8 = 112
    assert s.total_params() == 880


# ---- validation ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "bad",
    [
        dict(n_heads=6, n_kv_heads=4),  # kv heads must divide heads
        dict(n_kv_heads=16),  # more kv heads than heads
        dict(n_experts=4, n_active_experts=2),  # MoE without expert_ffn_dim
        dict(n_experts=4, n_active_experts=5, expert_ffn_dim=8),
        dict(n_active_experts=2),  # routing without experts
        dict(n_layers=-1),
        dict(n_layers=0),
        dict(d_model=float("nan")),
        dict(attention="mla"),  # MLA without its ranks
        dict(unknown_field=1),  # extra=forbid
    ],
)
def test_validation_errors(bad):
    base = dict(n_layers=2, d_model=64, n_heads=8, ffn_dim=128, vocab_size=100)
    with pytest.raises(ValidationError):
        ModelSpec(**{**base, **bad})
