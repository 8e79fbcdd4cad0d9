"""Hugging Face config.json import (core/hf_import.py) against real configs in tests/fixtures/hf."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from core.errors import InputError
from core.hf_import import MAX_CONFIG_BYTES, load_hf_config, spec_from_hf_config

FIXTURES = Path(__file__).parent / "fixtures" / "hf"

# fixture -> (published/known total, active), source of the figure
KNOWN = {
    "llama-3.1-8b": (8.03e9, 8.03e9),  # HF model card (8.03B)
    "qwen3-32b": (32.8e9, 32.8e9),  # Qwen3-32B model card
    "qwen3-30b-a3b": (30.5e9, 3.3e9),  # Qwen3-30B-A3B model card
    "qwen1.5-moe-a2.7b": (14.3e9, 2.7e9),  # Qwen1.5-MoE-A2.7B model card (14.3B / 2.7B)
    "mixtral-8x7b": (46.7e9, 12.9e9),  # Mistral AI announcement
    "deepseek-v3": (671e9, 37e9),  # DeepSeek-V3 report (MTP module excluded)
    "gpt2": (124.44e6, 124.44e6),  # HF parameter count of openai-community/gpt2
    "opt-1.3b": (1.3158e9, 1.3158e9),  # HF parameter count of facebook/opt-1.3b
    "bloom-560m": (559.2e6, 559.2e6),  # HF parameter count of bigscience/bloom-560m
    "falcon-7b": (6.92e9, 6.92e9),  # HF parameter count of tiiuae/falcon-7b
    "pythia-12b": (11_846_072_320, 11_846_072_320),  # Pythia paper Table 1
    # Nemotron-4 15B report (arXiv:2402.16819): 12.5B non-embedding + 3.2B embedding parameters
    "nemotron-4-15b": (15.7e9, 15.7e9),
}


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def test_every_fixture_is_sourced():
    for p in FIXTURES.glob("*.json"):
        assert json.loads(p.read_text())["_source"].startswith("huggingface.co/"), p


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_family_counts_match_published(name):
    spec = load_hf_config(FIXTURES / f"{name}.json")
    total, active = KNOWN[name]
    assert spec.total_params() == pytest.approx(total, rel=0.02)
    assert spec.active_params() == pytest.approx(active, rel=0.02)


def test_gated_vs_plain_and_tying_decisions():
    expect = {  # fixture: (gated, tied, kv heads)
        "llama-3.1-8b": (True, False, 8),
        "mixtral-8x7b": (True, False, 8),
        "gpt2": (False, True, 12),
        "opt-1.3b": (False, True, 32),
        "bloom-560m": (False, True, 16),
        "falcon-7b": (False, True, 1),  # multi_query -> MQA
        "pythia-12b": (False, False, 40),
    }
    for name, (gated, tied, kv) in expect.items():
        s = load_hf_config(FIXTURES / f"{name}.json")
        assert (s.gated_mlp, s.tied_embeddings, s.kv_heads) == (gated, tied, kv), name
    gpt2 = load_hf_config(FIXTURES / "gpt2.json")
    assert gpt2.ffn_dim == 4 * 768 and gpt2.learned_pos_embeddings == 1024
    assert load_hf_config(FIXTURES / "opt-1.3b.json").learned_pos_embeddings == 2050


def test_qwen3_head_dim_and_moe_layout():
    s = spec_from_hf_config(fixture("qwen3-30b-a3b"))
    assert s.d_head == 128 and s.n_moe_layers == 48 and s.n_shared_experts == 0
    cfg = fixture("qwen3-30b-a3b") | {"decoder_sparse_step": 2, "mlp_only_layers": [1, 2]}
    # MoE when (i+1) % 2 == 0 and i not in [1, 2]: i = 3, 5, ..., 47 -> 23 layers
    assert spec_from_hf_config(cfg).n_moe_layers == 23


def test_qwen2_moe_shared_expert_width():
    s = spec_from_hf_config(fixture("qwen1.5-moe-a2.7b"))
    assert (s.n_shared_experts, s.shared_expert_ffn_dim, s.expert_ffn_dim) == (1, 5632, 1408)


def test_deepseek_mla_and_null_q_lora():
    v3 = spec_from_hf_config(fixture("deepseek-v3"))
    assert (v3.attention, v3.q_lora_rank, v3.first_dense_layers, v3.n_moe_layers) == (
        "mla", 1536, 3, 58
    )  # fmt: skip
    lite = spec_from_hf_config(fixture("deepseek-v2-lite"))
    assert lite.q_lora_rank is None  # full-rank Q
    # DeepSeek-V2 report: V2-Lite 15.7B total
    assert lite.total_params() == pytest.approx(15.7e9, rel=0.02)
    # moe_layer_freq 2 after one dense layer: layers 2, 4, ..., 26 -> 13 MoE layers
    assert (
        spec_from_hf_config(fixture("deepseek-v2-lite") | {"moe_layer_freq": 2}).n_moe_layers == 13
    )


def test_nested_text_config():
    inner = fixture("qwen3-32b")
    s = spec_from_hf_config({"architectures": ["X"], "text_config": inner})
    assert s.total_params() == spec_from_hf_config(inner).total_params()


# ---- errors ---------------------------------------------------------------------------
def test_missing_keys_all_named():
    with pytest.raises(InputError) as e:
        spec_from_hf_config({"model_type": "llama", "num_attention_heads": 8, "vocab_size": 10})
    assert e.value.field == "model-config"
    assert e.value.problem == "missing keys: hidden_size, num_hidden_layers, intermediate_size"


def test_missing_keys_use_family_names():
    with pytest.raises(InputError, match="missing keys: n_embd, n_layer"):
        spec_from_hf_config({"model_type": "gpt2", "n_head": 12, "vocab_size": 50257})


@pytest.mark.parametrize(
    "key, value",
    [
        ("hidden_size", -4096),
        ("hidden_size", "4096"),
        ("hidden_size", float("nan")),
        ("num_hidden_layers", 2.5),
        ("num_key_value_heads", True),
        ("vocab_size", math.inf),
        ("tie_word_embeddings", "yes"),
        ("num_experts_per_tok", 0),
    ],
)
def test_bad_values_name_the_key(key, value):
    cfg = fixture("mixtral-8x7b") | {key: value}
    with pytest.raises(InputError) as e:
        spec_from_hf_config(cfg)
    assert key in str(e.value)


def test_inconsistent_heads_become_input_error():
    with pytest.raises(InputError, match="multiple of n_kv_heads"):
        spec_from_hf_config(fixture("llama-3.1-8b") | {"num_key_value_heads": 5})


def test_nan_in_file(tmp_path):
    p = tmp_path / "config.json"
    p.write_text(json.dumps(fixture("llama-3.1-8b")).replace("4096", "NaN", 1))
    with pytest.raises(InputError, match="hidden_size"):
        load_hf_config(p)


def test_malformed_json_names_file_and_position(tmp_path):
    p = tmp_path / "config.json"
    p.write_text('{\n  "hidden_size": 4096,\n  "num_hidden_layers": 32\n  "vocab_size": 10\n}')
    with pytest.raises(InputError) as e:
        load_hf_config(p)
    assert e.value.source == str(p) and str(p) in str(e.value)
    assert "line 4, column 3" in e.value.problem


def test_oversize_file_refused(tmp_path):
    p = tmp_path / "model.safetensors"
    with p.open("wb") as fh:
        fh.truncate(MAX_CONFIG_BYTES + 1)
    with pytest.raises(InputError) as e:
        load_hf_config(p)
    assert str(p) in str(e.value) and "10.0 MB" in e.value.problem


@pytest.mark.parametrize(
    "content, match",
    [(b"[1, 2]", "not an object"), (b"\xff\xfe\x00binary", "not UTF-8"), (b"", "not valid JSON")],
)
def test_other_bad_files(tmp_path, content, match):
    p = tmp_path / "config.json"
    p.write_bytes(content)
    with pytest.raises(InputError, match=match):
        load_hf_config(p)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot open"):
        load_hf_config(tmp_path / "nope.json")


def test_name_defaults():
    assert spec_from_hf_config(fixture("gpt2")).name == "imported"
    assert spec_from_hf_config(fixture("gpt2"), name="g").name == "g"
    assert load_hf_config(FIXTURES / "gpt2.json").name == "hf"


@pytest.mark.parametrize(("name", "gated"), [("llama-3.1-8b", True), ("qwen3-32b", True), ("nemotron-4-15b", False),
                                             ("pythia-12b", False), ("falcon-7b", False)])
def test_gated_and_plain_families_within_one_percent(name, gated):
    spec = load_hf_config(FIXTURES / f"{name}.json")
    assert spec.gated_mlp is gated
    assert spec.total_params() == pytest.approx(KNOWN[name][0], rel=0.01)


def test_squared_relu_is_never_gated_whatever_the_family():
    cfg = fixture("nemotron-4-15b")
    # an unknown family name with the squared-ReLU activation: still a plain MLP
    spec = spec_from_hf_config({**cfg, "model_type": "some_new_family", "architectures": ["X"]})
    assert spec.gated_mlp is False
    # as a gated MLP the count would be ~31 % too high (the bug this guards against)
    gated = spec.model_copy(update={"gated_mlp": True})
    assert gated.total_params() > 1.3 * KNOWN["nemotron-4-15b"][0]
