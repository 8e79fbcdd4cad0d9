"""Accelerators for the policy tests, built directly from resources/sources/chips.csv figures.

The real catalog (resources/catalog/accelerators.json) is written elsewhere; these fixtures keep
the policy tests independent of it. Only the figures the rules look at are filled in.
"""

from __future__ import annotations

from core.catalog import Accelerator, Figure

SRC = "chips.csv"
DATE = "2026"


def _f(value: float | None) -> Figure | None:
    return None if value is None else Figure(value=value, source=SRC, date=DATE)


def chip(
    id: str,
    *,
    vendor: str = "NVIDIA",
    origin: str = "US",
    datacenter: bool = True,
    bf16: float | None = None,
    fp8: float | None = None,
    die: float | None = None,
    scaleup: float | None = None,
    hbm: float | None = None,
) -> Accelerator:
    return Accelerator(
        id=id,
        name=id,
        vendor=vendor,
        origin=origin,
        datacenter=datacenter,
        bf16_tflops=_f(bf16),
        fp8_tflops=_f(fp8),
        die_area_mm2=_f(die),
        scaleup_gbs=_f(scaleup),
        hbm_tbs=_f(hbm),
    )


CHIPS: dict[str, Accelerator] = {
    c.id: c
    for c in [
        chip("H100-SXM", bf16=989, fp8=1979, die=814, scaleup=900, hbm=3.35),
        chip("H800-SXM", bf16=989, fp8=1979, die=814, scaleup=400, hbm=3.35),
        # TPP 4992 from bf16 312 x 16 (int8 624 x 8 gives the same)
        chip("A800-SXM-80GB", bf16=312, die=826, scaleup=400, hbm=2.039),
        chip("A100-SXM-80GB", bf16=312, die=826, scaleup=600, hbm=2.039),
        chip("H20", bf16=148, fp8=296, die=814, scaleup=900, hbm=4.0),
        chip("H200-SXM", bf16=989, fp8=1979, die=814, scaleup=900, hbm=4.8),
        chip("B200", bf16=2250, fp8=4500, scaleup=1800, hbm=8.0),
        chip("RTX-4090", datacenter=False, fp8=660.6, die=608.4, hbm=1.008),
        chip("RTX-4090D", datacenter=False, fp8=588.35, die=608, hbm=1.008),
        chip("L20", fp8=239, scaleup=64, hbm=0.864),
        chip("RTX-Pro-6000D", hbm=1.6),  # no dense compute sourced: TPP unknown, as in the catalog
        chip("MI300X", vendor="AMD", bf16=1307, fp8=2615, scaleup=896, hbm=5.3),
        chip("Ascend-910B", vendor="Huawei", origin="CN", bf16=320, scaleup=392),
        chip("Ascend-910C", vendor="Huawei", origin="CN", bf16=800, scaleup=784, hbm=3.2),
    ]
}
