"""A small in-memory project like the bundled example (used until that file ships)."""

from __future__ import annotations

import datetime as dt

from core.catalog import accelerators
from core.presets import load_presets
from core.project import Project
from core.scenario import Pool, Scenario
from core.training import TrainingSpec


def chip(*preferred: str) -> str:
    table = accelerators()
    return next((c for c in preferred if c in table), next(iter(table)))


def example_project() -> Project:
    preset = load_presets()["qwen3-235b-a22b"]
    training = TrainingSpec(tokens=preset.default_tokens or 36e12, seq_len=preset.default_seq_len)

    def scenario(name: str, fleet: list[Pool]) -> Scenario:
        return Scenario(name=name, date=dt.date(2025, 9, 1), hq="CN", preset=preset.id,
                        model=preset.spec, training=training, fleet=fleet)

    h100, h800 = chip("H100-SXM", "H100"), chip("H800", "H100-SXM")
    h20, ascend = chip("H20", "H800"), chip("Ascend-910C", "H20")
    return Project(
        name="Southeast Asia route",
        marking="OFFICIAL",
        scenarios=[
            scenario("Leased H100s in Johor", [
                Pool(name="Johor lease", accelerator=h100, count=4096, site="MY-Johor",
                     access="lease", price_per_hour_usd=2.2),
                Pool(name="Stockpile", accelerator=h800, count=2048, site="CN", access="stockpile",
                     acquired=dt.date(2023, 9, 1)),
            ]),
            scenario("Stockpiled H800s only", [
                Pool(accelerator=h800, count=2048, site="CN", access="stockpile",
                     acquired=dt.date(2023, 9, 1)),
            ]),
            scenario("H20 fleet", [Pool(accelerator=h20, count=8192, site="CN", access="own")]),
            scenario("Domestic Ascend 910C", [
                Pool(accelerator=ascend, count=8192, site="CN", access="domestic"),
            ]),
        ],
    )
