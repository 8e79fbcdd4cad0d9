"""Transformer architecture: dense or Mixture-of-Experts, GQA/MQA or MLA, and its parameter count.

Formulas (see docs/physics.md):
* attention per layer ``d·d_h·(2h + 2k)`` for MHA/GQA/MQA (Q and O are h heads wide, K and V
  k heads wide); DeepSeek MLA uses its low-rank projections (DeepSeek-V2, arXiv:2405.04434 §2.1);
* dense FFN ``3·d·f`` gated (SwiGLU/GeGLU), ``2·d·f`` plain (GELU/ReLU);
* MoE layer: router ``d·E`` + routed experts ``E·3·d·f_e`` + shared experts; active per token
  ``(e + S)·3·d·f_e`` + router;
* embedding ``V·d`` plus an output head ``V·d`` unless tied, plus ``P·d`` for a learned
  absolute position table (GPT-2/GPT-3/OPT; 0 for RoPE/ALiBi). Norms and biases are left out
  (they are < 0.1 % of any model here).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ModelSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    name: str = Field(default="custom", max_length=200)
    source: str = Field(default="", max_length=2_000, description="config/paper the architecture is taken from")
    n_layers: int = Field(gt=0, le=10_000)
    d_model: int = Field(gt=0, le=1_000_000)
    n_heads: int = Field(gt=0, le=10_000)
    n_kv_heads: int | None = Field(default=None, gt=0, le=10_000, description="None = n_heads")
    head_dim: int | None = Field(default=None, gt=0, le=100_000, description="None = d_model / n_heads")
    ffn_dim: int = Field(gt=0, le=10_000_000, description="dense FFN width (dense layers of an MoE too)")
    gated_mlp: bool = True
    vocab_size: int = Field(gt=0, le=10_000_000)
    tied_embeddings: bool = False
    learned_pos_embeddings: int = Field(
        default=0, ge=0, le=10_000_000,
        description="rows of a learned absolute position table (GPT-2/GPT-3/OPT); 0 = RoPE/ALiBi",
    )

    # Mixture of Experts (n_experts = 0: dense)
    n_experts: int = Field(default=0, ge=0, le=100_000)
    n_active_experts: int = Field(default=0, ge=0, le=100_000)
    n_shared_experts: int = Field(default=0, ge=0, le=100_000)
    expert_ffn_dim: int | None = Field(default=None, gt=0, le=10_000_000)
    shared_expert_ffn_dim: int | None = Field(
        default=None, gt=0, le=100_000_000, description="total width of the shared expert(s); None = S x f_e"
    )
    first_dense_layers: int = Field(default=0, ge=0, le=10_000, description="first_k_dense_replace")
    moe_layer_freq: int = Field(default=1, ge=1, le=10_000, description="every k-th layer is MoE")

    # Attention variant
    attention: Literal["gqa", "mla"] = "gqa"
    q_lora_rank: int | None = Field(default=None, ge=0, le=1_000_000, description="MLA; 0/None = full-rank Q")
    kv_lora_rank: int | None = Field(default=None, gt=0, le=1_000_000)
    qk_nope_head_dim: int | None = Field(default=None, ge=0, le=100_000)
    qk_rope_head_dim: int | None = Field(default=None, ge=0, le=100_000)
    v_head_dim: int | None = Field(default=None, gt=0, le=100_000)

    # An undisclosed model (e.g. Doubao-class): its active parameter count is a guess. Marking it
    # uncertain makes the P10-P90 ranges sample it; the point estimate keeps the architecture's.
    active_params_low: float | None = Field(
        default=None, gt=0, le=1e15,
        description="marks the active parameter count uncertain (an undisclosed model): the low "
        "end of its range, in parameters; the P10-P90 ranges sample between active_params_low "
        "and active_params_high (log-uniform), the point estimate uses the architecture's count")
    active_params_high: float | None = Field(
        default=None, gt=0, le=1e15, description="the high end of an uncertain active parameter count")

    @model_validator(mode="after")
    def _check(self) -> ModelSpec:
        kv = self.kv_heads
        if kv > self.n_heads:
            raise ValueError(f"n_kv_heads ({kv}) cannot exceed n_heads ({self.n_heads})")
        if self.n_heads % kv:
            raise ValueError(f"n_heads ({self.n_heads}) must be a multiple of n_kv_heads ({kv})")
        if self.n_experts:
            if not 0 < self.n_active_experts <= self.n_experts:
                raise ValueError(
                    f"n_active_experts must be between 1 and n_experts ({self.n_experts}), "
                    f"got {self.n_active_experts}"
                )
            if self.expert_ffn_dim is None:
                raise ValueError("expert_ffn_dim is required for a Mixture-of-Experts model")
            if self.first_dense_layers >= self.n_layers:
                raise ValueError("first_dense_layers must be below n_layers")
        elif self.n_active_experts or self.n_shared_experts:
            raise ValueError("n_active_experts/n_shared_experts need n_experts > 0")
        if self.attention == "mla":
            missing = [
                f
                for f in ("kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim")
                if getattr(self, f) is None
            ]
            if missing:
                raise ValueError(f"MLA attention needs {', '.join(missing)}")
        low, high = self.active_params_low, self.active_params_high
        if (low is None) != (high is None):
            raise ValueError("give both active_params_low and active_params_high, or neither")
        if low is not None and high is not None:
            active = self.active_params()
            if not low <= active <= high:
                raise ValueError(
                    f"the architecture's active parameters ({active / 1e9:.4g}B) must lie between "
                    f"active_params_low ({low / 1e9:.4g}B) and active_params_high ({high / 1e9:.4g}B)")
        return self

    @property
    def active_params_range(self) -> tuple[float, float] | None:
        """(low, high) active parameters where the scenario marks them uncertain, else None."""
        if self.active_params_low is None or self.active_params_high is None:
            return None
        return self.active_params_low, self.active_params_high

    # ---- shape helpers -------------------------------------------------------------
    @property
    def kv_heads(self) -> int:
        return self.n_kv_heads or self.n_heads

    @property
    def d_head(self) -> int:
        return self.head_dim or self.d_model // self.n_heads

    @property
    def is_moe(self) -> bool:
        return self.n_experts > 0

    @property
    def n_moe_layers(self) -> int:
        if not self.is_moe:
            return 0
        rest = self.n_layers - self.first_dense_layers
        # layer i (0-based, counted after the dense prefix) is MoE when (i+1) % freq == 0
        return rest // self.moe_layer_freq

    @property
    def n_dense_layers(self) -> int:
        return self.n_layers - self.n_moe_layers

    @property
    def qk_head_dim(self) -> int:
        """Width of one query/key head in the attention score product."""
        if self.attention == "mla":
            return (self.qk_nope_head_dim or 0) + (self.qk_rope_head_dim or 0)
        return self.d_head

    @property
    def v_dim(self) -> int:
        return (self.v_head_dim or 0) if self.attention == "mla" else self.d_head

    # ---- parameter counts ----------------------------------------------------------
    def attention_params(self) -> int:
        """Per layer."""
        d, h = self.d_model, self.n_heads
        if self.attention == "mla":
            # the validator guarantees these are set for MLA
            qk = self.qk_head_dim
            q_rank, kv_rank = self.q_lora_rank or 0, self.kv_lora_rank or 0
            rope, nope, v = self.qk_rope_head_dim or 0, self.qk_nope_head_dim or 0, self.v_head_dim or 0
            q = d * q_rank + q_rank * h * qk if q_rank else d * h * qk
            kv_a = d * (kv_rank + rope)
            kv_b = kv_rank * h * (nope + v)
            o = h * v * d
            return q + kv_a + kv_b + o
        return d * self.d_head * (2 * h + 2 * self.kv_heads)

    def _mlp(self, width: int) -> int:
        return (3 if self.gated_mlp else 2) * self.d_model * width

    def dense_mlp_params(self) -> int:
        return self._mlp(self.ffn_dim)

    def expert_params(self) -> int:
        """One routed expert."""
        return self._mlp(self.expert_ffn_dim or 0)

    def shared_expert_params(self) -> int:
        if not self.n_shared_experts:
            return 0
        width = self.shared_expert_ffn_dim or self.n_shared_experts * (self.expert_ffn_dim or 0)
        return self._mlp(width)

    def router_params(self) -> int:
        return self.d_model * self.n_experts

    def embedding_params(self) -> int:
        tables = self.vocab_size * (1 if self.tied_embeddings else 2) + self.learned_pos_embeddings
        return tables * self.d_model

    def routed_expert_params_total(self) -> int:
        """All routed experts of all MoE layers: the part expert parallelism shards."""
        return self.n_moe_layers * self.n_experts * self.expert_params()

    def non_expert_params(self) -> int:
        """Everything but the routed experts (replicated across expert-parallel ranks)."""
        moe_layer_rest = self.shared_expert_params() + self.router_params()
        return (
            self.n_layers * self.attention_params()
            + self.n_dense_layers * self.dense_mlp_params()
            + self.n_moe_layers * moe_layer_rest
            + self.embedding_params()
        )

    def total_params(self) -> int:
        return self.non_expert_params() + self.routed_expert_params_total()

    def active_params(self) -> int:
        """Parameters touched per token (all but the unrouted experts)."""
        return self.non_expert_params() + self.n_moe_layers * self.n_active_experts * self.expert_params()

    def active_params_no_embedding(self) -> int:
        return self.active_params() - self.embedding_params()

    # ---- FLOPs ---------------------------------------------------------------------
    def attention_flops_per_token(self, seq_len: int) -> float:
        """Attention score + value FLOPs per token, forward+backward, full (non-causal) accounting.

        PaLM (Chowdhury et al. 2022, appendix B): ``6·L·s·h·(d_qk + d_v)``, which is
        ``12·L·s·h·d_h`` when query/key and value heads are the same width.
        """
        return 6.0 * self.n_layers * seq_len * self.n_heads * (self.qk_head_dim + self.v_dim)

    def training_flops_per_token(self, seq_len: int) -> float:
        """``6·N_active`` + attention: the model FLOPs of one trained token (no recompute)."""
        return 6.0 * self.active_params() + self.attention_flops_per_token(seq_len)
