"""Build a ``ModelSpec`` from a Hugging Face ``config.json``.

How the import decides (also in docs/models.md):

* **Family** from ``model_type`` (else ``architectures[0]``): GPT-2, OPT, BLOOM, Falcon,
  GPT-NeoX/GPT-J and similar use a plain 2-matrix GELU/ReLU MLP of width ``4·d`` unless the
  config gives one, as do the squared-ReLU families (Nemotron, Persimmon; ``hidden_act`` relu2
  is never gated); Llama/Mistral/Qwen/DeepSeek/Gemma/OLMo-2/SmolLM3 and other gate_proj
  families use a gated 3-matrix MLP. An unknown family is gated when ``hidden_act`` is
  silu/swish/*glu, plain when it is gelu/relu, and gated when nothing says.
* **Keys** are read under their family names (``n_embd``/``n_embed``/``hidden_size``, ...).
  Everything missing is reported at once: ``missing keys: hidden_size, num_hidden_layers``.
* **MoE**: DeepSeek ``n_routed_experts`` (+ ``n_shared_experts``, ``first_k_dense_replace``,
  ``moe_layer_freq``); Qwen-MoE ``num_experts`` (+ ``shared_expert_intermediate_size`` = one
  shared expert of that width, ``decoder_sparse_step``, ``mlp_only_layers``); Mixtral
  ``num_local_experts`` (experts use ``intermediate_size`` unless ``moe_intermediate_size``).
  The exact count of MoE layers is kept; an irregular layout becomes ``first_dense_layers``.
* **MLA** when ``kv_lora_rank`` is set; ``q_lora_rank`` null means full-rank Q.
* **Tied embeddings** from ``tie_word_embeddings``, else the family's Hugging Face default
  (tied: GPT-2, OPT, BLOOM, Falcon, Gemma, SmolLM3; untied otherwise).
* **Learned positions** counted for GPT-2 (``n_positions``) and OPT (``max_position_embeddings``
  + 2, OPT's offset).
* Not counted: multi-token-prediction modules (DeepSeek-V3 ``num_nextn_predict_layers``),
  OPT's ``word_embed_proj_dim`` projections, vision towers, norms and biases.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from core.errors import InputError, shown, validation_error
from core.jsonread import read_json_file
from core.model import ModelSpec

FIELD = "model-config"
MAX_CONFIG_BYTES = 10 * 1024 * 1024
MAX_LAYERS = 10_000  # ModelSpec's bound on n_layers

PLAIN_FAMILIES = {
    "gpt2", "opt", "bloom", "falcon", "rw", "refinedweb", "refinedwebmodel", "gpt_neox",
    "gptj", "gpt_neo", "gpt_bigcode", "mpt", "codegen", "phi", "starcoder2", "xglm",
    "nemotron", "persimmon",  # squared-ReLU MLPs: up_proj -> relu2 -> down_proj, no gate
}  # fmt: skip
GATED_FAMILIES = {
    "llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "qwen",
    "deepseek_v2", "deepseek_v3", "gemma", "gemma2", "gemma3", "gemma3_text", "olmo2",
    "olmo", "olmoe", "smollm3", "phi3", "internlm2", "yi", "baichuan", "granite",
    "granitemoe", "cohere", "stablelm", "glm4", "glm4_moe",
}  # fmt: skip
TIED_BY_DEFAULT = {
    "gpt2", "opt", "bloom", "falcon", "rw", "gemma", "gemma2", "gemma3", "gemma3_text",
    "smollm3", "gpt_bigcode",
}  # fmt: skip
GATED_ACTS = ("silu", "swish", "swiglu", "geglu", "reglu")
PLAIN_ACTS = ("gelu", "relu", "quick_gelu", "gelu_new", "gelu_fast", "gelu_pytorch_tanh")
SQUARED_RELU_ACTS = ("relu2", "relu_squared", "squared_relu", "squared-relu")  # never gated

# canonical key -> aliases in the order they are looked up (first one is named when missing)
ALIASES = {
    "hidden_size": ("hidden_size", "n_embd", "n_embed", "d_model"),
    "num_hidden_layers": ("num_hidden_layers", "n_layer", "num_layers", "n_layers"),
    "num_attention_heads": ("num_attention_heads", "n_head", "num_heads", "n_heads"),
    "vocab_size": ("vocab_size", "padded_vocab_size"),
}
FAMILY_NAMES = {  # how a family's own config spells the required keys
    "gpt2": {"hidden_size": "n_embd", "num_hidden_layers": "n_layer",
             "num_attention_heads": "n_head"},
    "bloom": {"hidden_size": "n_embed", "num_hidden_layers": "n_layer",
              "num_attention_heads": "n_head"},
}  # fmt: skip


def _family(cfg: dict) -> str:
    mt = cfg.get("model_type")
    if isinstance(mt, str) and mt:
        return mt.lower()
    arch = cfg.get("architectures")
    if isinstance(arch, list) and arch and isinstance(arch[0], str):
        a = arch[0].lower()
        for fam in sorted(PLAIN_FAMILIES | GATED_FAMILIES, key=len, reverse=True):
            if a.startswith(fam.replace("_", "")):
                return fam
        if a.startswith("gpt2"):
            return "gpt2"
        return a
    return ""


def _bad(key: str, value: Any, want: str) -> InputError:
    return InputError(f"{FIELD}.{key}", f"{key} must be {want}, got {shown(value)}")


def _int(cfg: dict, key: str, *, minimum: int = 1) -> int | None:
    """An integer key, or None when absent/null. Strings, bools, NaN and fractions are errors."""
    if key not in cfg or cfg[key] is None:
        return None
    v = cfg[key]
    want = "a positive integer" if minimum >= 1 else "a non-negative integer"
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise _bad(key, v, want)
    if isinstance(v, float):
        if not math.isfinite(v) or not v.is_integer():
            raise _bad(key, v, want)
        v = int(v)
    if v < minimum:
        raise _bad(key, v, want)
    return v


def _first(cfg: dict, keys: tuple[str, ...], *, minimum: int = 1) -> tuple[str, int | None]:
    for k in keys:
        if k in cfg and cfg[k] is not None:
            return k, _int(cfg, k, minimum=minimum)
    return keys[0], None


def _bool(cfg: dict, key: str, default: bool) -> bool:
    if key not in cfg or cfg[key] is None:
        return default
    v = cfg[key]
    if not isinstance(v, bool):
        raise _bad(key, v, "true or false")
    return v


def _gated(cfg: dict, family: str) -> bool:
    act = cfg.get("hidden_act", cfg.get("activation_function", cfg.get("hidden_activation")))
    act = act.lower() if isinstance(act, str) else ""
    if act in SQUARED_RELU_ACTS:
        return False
    if family in PLAIN_FAMILIES:
        return "glu" in act  # e.g. a GLU variant declared explicitly
    if family in GATED_FAMILIES:
        return True
    if act.startswith(GATED_ACTS) or "glu" in act:
        return True
    return not act.startswith(PLAIN_ACTS)


def _moe_layer_count(n_layers: int, is_moe_layer) -> int:
    return sum(1 for i in range(n_layers) if is_moe_layer(i))


def _layout(n_layers: int, n_moe: int, first_dense: int, freq: int) -> tuple[int, int]:
    """(first_dense_layers, moe_layer_freq) for ModelSpec giving exactly ``n_moe`` MoE layers."""
    if first_dense < n_layers and (n_layers - first_dense) // freq == n_moe:
        return first_dense, freq
    return n_layers - n_moe, 1


def spec_from_hf_config(cfg: dict, name: str = "imported") -> ModelSpec:
    """Translate a Hugging Face config dict; bad or missing keys raise ``InputError``."""
    if not isinstance(cfg, dict):
        raise InputError(FIELD, f"a config.json holds a JSON object, not {type(cfg).__name__}")
    if "hidden_size" not in cfg and isinstance(cfg.get("text_config"), dict):
        outer_tie = cfg.get("tie_word_embeddings")
        cfg = {
            **cfg["text_config"],
            **({} if outer_tie is None else {"tie_word_embeddings": outer_tie}),
        }
    family = _family(cfg)
    plain_family = family in PLAIN_FAMILIES

    found: dict[str, int | None] = {}
    keys_used: dict[str, str] = {}
    missing: list[str] = []
    for canon, keys in ALIASES.items():
        own = FAMILY_NAMES.get(family, {}).get(canon)
        order = (own, *[k for k in keys if k != own]) if own else keys
        keys_used[canon], found[canon] = _first(cfg, order)
        if found[canon] is None:
            missing.append(order[0])

    d = found["hidden_size"]
    ffn_keys = ("intermediate_size", "ffn_dim", "n_inner", "ffn_hidden_size")
    ffn_key, ffn = _first(cfg, ffn_keys)
    if ffn is None and d is not None and plain_family:
        ffn = 4 * d
    # experts of any flavour
    experts_key, n_routed = _first(cfg, ("n_routed_experts", "num_experts", "num_local_experts"), minimum=0)
    n_routed = n_routed or 0
    moe_ffn = _int(cfg, "moe_intermediate_size")
    if ffn is None and n_routed and moe_ffn is not None:
        ffn = moe_ffn  # every layer is MoE; the dense width is never used
    if ffn is None:
        missing.append("intermediate_size")
    top_k = _int(cfg, "num_experts_per_tok")
    if n_routed and top_k is None:
        missing.append("num_experts_per_tok")
    mla = cfg.get("kv_lora_rank") is not None
    if mla:
        missing += [
            k for k in ("qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim")
            if cfg.get(k) is None
        ]  # fmt: skip
    if missing:
        raise InputError(FIELD, f"missing keys: {', '.join(missing)}")

    n_layers = found["num_hidden_layers"]
    n_heads = found["num_attention_heads"]
    assert d is not None and n_layers is not None and n_heads is not None and ffn is not None
    if n_layers > MAX_LAYERS:  # before any per-layer work below (it would run for ever)
        raise _bad(keys_used["num_hidden_layers"], n_layers, f"at most {MAX_LAYERS:,}")
    used = {"n_layers": keys_used["num_hidden_layers"], "d_model": keys_used["hidden_size"],
            "n_heads": keys_used["num_attention_heads"], "vocab_size": keys_used["vocab_size"],
            "ffn_dim": ffn_key, "n_experts": experts_key, "n_active_experts": "num_experts_per_tok",
            "expert_ffn_dim": "moe_intermediate_size" if moe_ffn else ffn_key,
            "shared_expert_ffn_dim": "shared_expert_intermediate_size"}

    # attention heads
    kv_key, kv = _first(cfg, ("num_key_value_heads", "num_kv_heads", "n_head_kv"))
    used["n_kv_heads"] = kv_key
    if family in ("falcon", "rw") and not _bool(cfg, "new_decoder_architecture", False):
        kv = 1 if _bool(cfg, "multi_query", True) else None
    elif _bool(cfg, "multi_query", False):
        kv = 1
    head_dim = _int(cfg, "head_dim")
    if head_dim is None and not mla and d % n_heads:
        raise InputError(
            f"{FIELD}.num_attention_heads",
            f"hidden_size {d} is not a multiple of num_attention_heads {n_heads}; give head_dim",
        )

    spec: dict[str, Any] = dict(
        name=name,
        source=f"Hugging Face config.json (model_type {family or 'unknown'})",
        n_layers=n_layers,
        d_model=d,
        n_heads=n_heads,
        n_kv_heads=kv,
        head_dim=None if mla else head_dim,
        ffn_dim=ffn,
        gated_mlp=_gated(cfg, family),
        vocab_size=found["vocab_size"],
        tied_embeddings=_bool(cfg, "tie_word_embeddings", family in TIED_BY_DEFAULT),
    )
    if family == "gpt2":
        spec["learned_pos_embeddings"] = _first(cfg, ("n_positions", "n_ctx"))[1] or 0
    elif family == "opt":
        spec["learned_pos_embeddings"] = (_int(cfg, "max_position_embeddings") or 0) + 2

    if mla:
        spec.update(
            attention="mla",
            q_lora_rank=_int(cfg, "q_lora_rank", minimum=0) or None,
            kv_lora_rank=_int(cfg, "kv_lora_rank"),
            qk_nope_head_dim=_int(cfg, "qk_nope_head_dim", minimum=0),
            qk_rope_head_dim=_int(cfg, "qk_rope_head_dim", minimum=0),
            v_head_dim=_int(cfg, "v_head_dim"),
        )

    if n_routed:
        if "n_routed_experts" in cfg:  # DeepSeek: layer i is MoE if i >= k and i % freq == 0
            first_k = _int(cfg, "first_k_dense_replace", minimum=0) or 0
            freq = _int(cfg, "moe_layer_freq") or 1
            n_moe = _moe_layer_count(n_layers, lambda i: i >= first_k and i % freq == 0)
            shared = _int(cfg, "n_shared_experts", minimum=0) or 0
            shared_width = None
        else:  # Qwen-MoE / Mixtral: (i+1) % step == 0 and i not in mlp_only_layers
            first_k = 0
            freq = _int(cfg, "decoder_sparse_step") or 1
            only = cfg.get("mlp_only_layers") or []
            if not isinstance(only, list) or not all(
                isinstance(i, int) and not isinstance(i, bool) for i in only
            ):
                raise _bad("mlp_only_layers", only, "a list of layer indices")
            dense_set = set(only)
            n_moe = _moe_layer_count(n_layers, lambda i: i not in dense_set and (i + 1) % freq == 0)
            shared_width = _int(cfg, "shared_expert_intermediate_size", minimum=0) or None
            # Qwen2-MoE: one shared expert of that width; others: S experts of the routed width
            shared = 1 if shared_width else (_int(cfg, "num_shared_experts", minimum=0) or 0)
        if n_moe:  # MoE keys but no MoE layer at all: stays a dense model
            first_dense, freq = _layout(n_layers, n_moe, first_k, freq)
            spec.update(
                n_experts=n_routed,
                n_active_experts=top_k,
                n_shared_experts=shared,
                expert_ffn_dim=moe_ffn or ffn,
                shared_expert_ffn_dim=shared_width,
                first_dense_layers=first_dense,
                moe_layer_freq=freq,
            )

    try:
        return ModelSpec(**spec)
    except ValidationError as e:
        err = validation_error(e)
        key = used.get(err.field, err.field)  # name the config's own key, not ModelSpec's
        raise InputError(f"{FIELD}.{key}" if key else FIELD, err.problem) from None


def load_hf_config(path: str | Path, name: str | None = None) -> ModelSpec:
    """Read a local config.json (at most 10 MB, strict JSON) and translate it.

    Errors name the file and the key (``config.json: model-config.num_hidden_layers: ...``)."""
    cfg = read_json_file(path, MAX_CONFIG_BYTES, "config.json")
    if not isinstance(cfg, dict):
        raise InputError(FIELD, f"holds a JSON {type(cfg).__name__}, not an object", str(path))
    p = Path(path)
    default_name = cfg.get("_name_or_path") if isinstance(cfg.get("_name_or_path"), str) else None
    try:
        # a long cache path in _name_or_path names the model, it does not make the config bad
        return spec_from_hf_config(cfg, (name or default_name or p.parent.name or p.stem)[-200:])
    except InputError as e:
        raise e.in_file(str(path)) from None
