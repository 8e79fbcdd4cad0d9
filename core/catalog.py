"""Accelerator catalog: specs with a source and date on every figure.

Data lives in ``resources/catalog/accelerators.json``. Blank stays blank (``null``): the core
then says what is missing instead of guessing. TPP and performance density are computed from
the specs (EAR 3A090 technical note: TPP = 2 x MacTOPS x bit length = dense TFLOPS x bits,
highest over formats; PD = TPP / die area), never typed in.
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.errors import InputError
from core.resources import resource


class Figure(BaseModel):
    """One sourced number. ``estimate`` marks assumptions and derived estimates."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: float = Field(allow_inf_nan=False)
    source: str = Field(min_length=1)
    date: str = Field(min_length=4, description="when the source was published or read")
    estimate: bool = False
    note: str = ""


FIGURE_FIELDS = (
    "bf16_tflops",  # dense, no sparsity
    "fp8_tflops",  # dense, no sparsity; null = no FP8 support
    "int8_tops",  # dense; only where it sets TPP (chips without FP8)
    "hbm_gb",
    "hbm_tbs",
    "scaleup_gbs",  # aggregate bidirectional chip-to-chip (NVLink/HCCS/xGMI/PCIe)
    "scaleup_domain",  # chips in one scale-up domain (8 for HGX boards, 72 for NVL72)
    "scaleout_gbs",  # per-chip scale-out network, GB/s per direction (IB/RoCE NIC)
    "tdp_w",
    "die_area_mm2",
    "unit_price_usd",
    "rental_low_usd_h",
    "rental_high_usd_h",
    "kernel_efficiency",  # achieved / peak on large bf16 matmuls in real training
)


class Accelerator(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    vendor: str
    origin: str = Field(description="ISO country of the designer (US, CN, ...)")
    datacenter: bool
    form_factor: str = ""
    release: str = ""
    notes: str = ""
    bf16_tflops: Figure | None = None
    fp8_tflops: Figure | None = None
    int8_tops: Figure | None = None
    hbm_gb: Figure | None = None
    hbm_tbs: Figure | None = None
    scaleup_gbs: Figure | None = None
    scaleup_domain: Figure | None = None
    scaleout_gbs: Figure | None = None
    tdp_w: Figure | None = None
    die_area_mm2: Figure | None = None
    unit_price_usd: Figure | None = None
    rental_low_usd_h: Figure | None = None
    rental_high_usd_h: Figure | None = None
    kernel_efficiency: Figure | None = None
    # the sourced spread of unit_price_usd (street quotes, channel prices): the P10-P90 ranges
    # sample an owned chip's price between them (core.uncertainty); not required figures
    unit_price_low_usd: Figure | None = None
    unit_price_high_usd: Figure | None = None

    def v(self, name: str) -> float | None:
        """The value of a figure, or None when the catalog has no sourced figure."""
        fig = getattr(self, name)
        return None if fig is None else fig.value

    def need(self, name: str, purpose: str) -> float:
        """The value of a figure, or an InputError saying it is missing and why it is needed."""
        value = self.v(name)
        if value is None:
            raise InputError(
                f"accelerator {self.id}",
                f"the catalog has no sourced {name} (needed for {purpose}); "
                "enter it as an override",
            )
        return value

    @property
    def tpp(self) -> float | None:
        """Total Processing Performance: max over formats of dense TFLOPS x bit length."""
        candidates = []
        if self.bf16_tflops is not None:
            candidates.append(self.bf16_tflops.value * 16)
        if self.fp8_tflops is not None:
            candidates.append(self.fp8_tflops.value * 8)
        if self.int8_tops is not None:
            candidates.append(self.int8_tops.value * 8)
        return max(candidates) if candidates else None

    @property
    def performance_density(self) -> float | None:
        tpp = self.tpp
        area = self.v("die_area_mm2")
        if tpp is None or not area:
            return None
        return tpp / area

    @property
    def supports_fp8(self) -> bool:
        return self.fp8_tflops is not None

    def peak_tflops(self, precision: Literal["bf16", "fp8"]) -> float:
        if precision == "fp8":
            return self.need("fp8_tflops", "FP8 training")
        return self.need("bf16_tflops", "compute time")

    def with_figures(self, source: str, **values: float) -> Accelerator:
        """A copy with some figures replaced by user inputs (marked as such in their source)."""
        import datetime as dt

        figs = {k: Figure(value=v, source=source, date=dt.date.today().isoformat(), estimate=True,
                          note="entered in the scenario") for k, v in values.items()}
        return self.model_copy(update=figs)

    def missing(self) -> list[str]:
        return [f for f in FIGURE_FIELDS if getattr(self, f) is None]


class AcceleratorCatalog(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_version: int = 1
    sources: dict[str, str] = Field(default_factory=dict, description="source key -> citation")
    accelerators: list[Accelerator]


@lru_cache(maxsize=1)
def load_catalog() -> AcceleratorCatalog:
    path = resource("catalog", "accelerators.json")
    return AcceleratorCatalog.model_validate(json.loads(path.read_text(encoding="utf-8")))


def accelerators() -> dict[str, Accelerator]:
    return {a.id: a for a in load_catalog().accelerators}


def suggest(name: str, options: list[str]) -> str:
    """' did you mean X, Y?' or '' (case-insensitive close matches)."""
    lowered = {o.lower(): o for o in options}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.5)
    if not close:
        close = [o for o in lowered if name.lower() in o or o in name.lower()][:3]
    return f"; did you mean {', '.join(lowered[c] for c in close)}?" if close else ""


def get_accelerator(accel_id: str, field: str = "accelerator") -> Accelerator:
    """Case-insensitive lookup; unknown ids get "unknown accelerator 'X'; did you mean ...?"."""
    table = accelerators()
    by_lower = {k.lower(): v for k, v in table.items()}
    hit = by_lower.get(str(accel_id).strip().lower())
    if hit is None:
        raise InputError(field, f"unknown accelerator {accel_id!r}{suggest(str(accel_id), list(table))}")
    return hit
