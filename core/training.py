"""Training settings and physics knobs: what is trained, and the defaults the estimate assumes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.maturity import DEFAULT_MATURITY, Maturity

Precision = Literal["bf16", "fp8"]


class TrainingSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    tokens: float = Field(gt=0, le=1e16, description="training tokens")
    seq_len: int = Field(default=4096, gt=0, le=10_000_000)
    global_batch_tokens: int | None = Field(
        default=None, gt=0, le=1_000_000_000_000, description="tokens per optimizer step; None = chosen by the planner"
    )
    precision: Precision = "bf16"
    tokens_low: float | None = Field(
        default=None, gt=0, le=1e16,
        description="marks the token count uncertain (an undisclosed model): the low end of its "
        "range; the P10-P90 ranges sample between tokens_low and tokens_high")
    tokens_high: float | None = Field(default=None, gt=0, le=1e16,
                                      description="the high end of an uncertain token count")

    @model_validator(mode="after")
    def _token_range_brackets_tokens(self) -> TrainingSpec:
        low, high = self.tokens_low, self.tokens_high
        if (low is None) != (high is None):
            raise ValueError("give both tokens_low and tokens_high, or neither")
        if low is not None and high is not None and not low <= self.tokens <= high:
            raise ValueError(f"tokens ({self.tokens:.3g}) must lie between tokens_low ({low:.3g}) "
                             f"and tokens_high ({high:.3g})")
        return self

    @model_validator(mode="after")
    def _batch_holds_a_sequence(self) -> TrainingSpec:
        if self.global_batch_tokens is not None and self.global_batch_tokens < self.seq_len:
            raise ValueError(f"global_batch_tokens ({self.global_batch_tokens:,}) must hold at least one "
                             f"sequence of seq_len ({self.seq_len:,}) tokens")
        return self


class PhysicsOptions(BaseModel):
    """Assumptions of the estimate. Defaults carry their source in the description."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    failures_per_gpu_day: float = Field(
        default=419 / (16384 * 54),
        ge=0,
        le=1,
        description="unexpected interruptions per GPU-day: Llama 3 (Dubey 2024, table 5) "
        "419 interruptions in 54 days on 16,384 H100s = 4.7e-4",
    )
    restart_minutes: float = Field(
        default=10.0, ge=0, le=10_080, description="lost time per interruption (detect, restart, reload); assumption "
        "chosen so the Llama 3 16K-H100 case gives ~89% goodput vs the paper's >90% effective time"
    )
    checkpoint_write_s: float = Field(
        default=20.0, ge=0, le=86_400, description="blocking time of one (asynchronous) checkpoint write; assumption"
    )
    framework_allowance_gb: float = Field(
        default=4.0, ge=0, le=1_000, description="framework buffers, fragmentation, NCCL buffers (assumption: a few GB, docs/physics.md)"
    )
    usable_hbm_fraction: float = Field(
        default=0.95, ge=0.1, le=1, description="share of nominal HBM the allocator can hand out"
    )
    comm_overlap_dp: float = Field(
        default=0.8, ge=0, le=1, description="share of the data-parallel all-reduce hidden under backward"
    )
    comm_overlap_ep: float = Field(
        default=0.5, ge=0, le=1, description="share of MoE all-to-all hidden under compute"
    )
    link_efficiency: float = Field(
        default=0.7, ge=0.01, le=1, description="achieved / nominal bandwidth of collectives (NCCL bus bandwidth)"
    )
    kernel_efficiency: float | None = Field(
        default=None, ge=0.01, le=1,
        description="overrides the catalog's kernel efficiency (software maturity of the stack)")
    maturity: Maturity = Field(
        default=DEFAULT_MATURITY,
        description="software maturity of the training stack: frontier, typical (a 2023+ stack, the "
        "default), legacy (pre-2023) or first-port; scales the catalog's kernel efficiency by the factor "
        "fitted on the validation runs (resources/catalog/maturity.json). Ignored when kernel_efficiency "
        "is set.")
    fp8_speedup_cap: float = Field(
        default=1.5, ge=1, le=4, description="end-to-end gain of FP8 over BF16 is capped here (DeepSeek-V3, "
        "NVIDIA Transformer Engine reports ~1.3-1.5x in practice, not the 2x peak ratio)"
    )
