"""Software maturity: how well the training stack uses the chip, as a setting per scenario.

The catalog's ``kernel_efficiency`` of each chip is the ``typical`` stack (a typical open-source
or older stack, fitted on the validation runs of that class). ``resources/catalog/maturity.json``
holds, per setting and chip family, the factor on that figure and the spread (geometric SD of
predicted / reported GPU-hours under leave-one-lab-out cross-validation), each with its source:
the fit by ``benchmarks/calibrate.py`` and the runs it used.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Literal

from core.errors import InputError
from core.resources import resource

Maturity = Literal["frontier", "typical", "legacy", "first-port"]
MATURITY_NAMES: tuple[str, ...] = ("frontier", "typical", "legacy", "first-port")
DEFAULT_MATURITY: Maturity = "typical"

# Chip families the validation runs can fit; every other chip uses the pooled figures.
FAMILIES: dict[str, tuple[str, ...]] = {
    "ampere": ("A100-SXM-80GB", "A100-SXM-40GB", "A100-PCIe", "A800-SXM-80GB"),
    "hopper": ("H100-SXM", "H100-PCIe", "H800-SXM", "H200-SXM", "H20"),
}


def family_of(chip_id: str) -> str:
    """'ampere', 'hopper' or 'other'."""
    for fam, ids in FAMILIES.items():
        if chip_id in ids:
            return fam
    return "other"


@lru_cache(maxsize=1)
def load_maturity() -> dict:
    return json.loads(resource("catalog", "maturity.json").read_text(encoding="utf-8"))


def _setting(name: str) -> dict:
    settings = load_maturity()["settings"]
    if name not in settings:
        raise InputError("maturity", f"unknown setting {name!r}; one of {', '.join(settings)}")
    return settings[name]


def _entry(name: str, chip_id: str) -> dict:
    fams = _setting(name)["families"]
    return fams.get(family_of(chip_id)) or fams["other"]


def efficiency_factor(name: str, chip_id: str) -> float:
    """Factor on the chip's catalog (``typical``) kernel efficiency for this maturity."""
    return float(_entry(name, chip_id)["factor"])


def spread_gsd(name: str, chip_id: str) -> float:
    """Geometric SD of predicted / reported GPU-hours for this maturity and chip family
    (leave-one-lab-out residuals): the input of a Monte Carlo range."""
    return float(_entry(name, chip_id)["gsd"])


def describe() -> str:
    """One line per setting, for --help."""
    return "; ".join(f"{k}: {v['label']}" for k, v in load_maturity()["settings"].items())
