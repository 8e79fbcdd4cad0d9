"""Software-maturity settings (resources/catalog/maturity.json) and their use in the estimate."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from core.catalog import get_accelerator
from core.errors import InputError
from core.estimate import estimate
from core.maturity import (
    DEFAULT_MATURITY,
    MATURITY_NAMES,
    efficiency_factor,
    family_of,
    load_maturity,
    spread_gsd,
)
from core.presets import preset_spec
from core.training import PhysicsOptions, TrainingSpec

TRAIN = TrainingSpec(tokens=1e12, seq_len=4096, global_batch_tokens=4096 * 512)


def test_every_setting_and_family_has_a_factor_a_spread_a_source_and_a_date():
    data = load_maturity()
    assert set(data["settings"]) == set(MATURITY_NAMES)
    assert data["default"] == DEFAULT_MATURITY == "typical"
    for name, setting in data["settings"].items():
        assert setting["label"], name
        for fam in ("ampere", "hopper", "other"):
            e = setting["families"][fam]
            assert 0.2 < e["factor"] < 2.0, (name, fam)
            assert 1.0 < e["gsd"] < 3.0, (name, fam)
            assert len(e["source"]) > 20 and len(e["date"]) >= 4 and e["estimate"] is True
    assert all(f["factor"] == 1.0 for f in data["settings"]["typical"]["families"].values())
    assert "leave-one-lab-out" in data["cross_validation"]["method"]


def test_families():
    assert family_of("A800-SXM-80GB") == "ampere"
    assert family_of("H800-SXM") == "hopper"
    assert family_of("Ascend-910C") == "other"


def test_maturity_orders_the_estimate_and_the_override_wins():
    model, chip = preset_spec("llama-3.1-70b"), get_accelerator("H100-SXM")
    days = {m: estimate(model, TRAIN, chip, 512, PhysicsOptions(maturity=m)).wall_clock_days
            for m in MATURITY_NAMES}
    assert days["frontier"] < days["typical"] < days["legacy"]
    assert days["typical"] == estimate(model, TRAIN, chip, 512).wall_clock_days  # the default
    fixed = {m: estimate(model, TRAIN, chip, 512, PhysicsOptions(maturity=m, kernel_efficiency=0.5)).wall_clock_days
             for m in ("frontier", "legacy")}
    assert fixed["frontier"] == fixed["legacy"]


def test_factor_scales_the_catalog_figure():
    assert efficiency_factor("typical", "H100-SXM") == 1.0
    assert efficiency_factor("frontier", "H100-SXM") > 1.0
    assert spread_gsd("typical", "A100-SXM-80GB") > 1.0


def test_unknown_setting_is_refused_naming_the_field():
    with pytest.raises(InputError) as exc:
        efficiency_factor("heroic", "H100-SXM")
    assert exc.value.field == "maturity"
    with pytest.raises(ValidationError):
        PhysicsOptions(maturity="heroic")


def test_cli_maturity_flag(capsys):
    from core.cli import main

    args = ["estimate", "--model", "llama-3.1-8b", "--tokens", "1e12", "--accelerator", "H100-SXM",
            "--count", "256", "--json"]
    days = {}
    for m in ("frontier", "typical"):
        assert main([*args, "--maturity", m]) == 0
        days[m] = json.loads(capsys.readouterr().out)["wall_clock_days"]
    assert main(args) == 0  # the default is typical
    assert json.loads(capsys.readouterr().out)["wall_clock_days"] == days["typical"]
    assert days["frontier"] < days["typical"]
    with pytest.raises(SystemExit) as exc:
        main([*args, "--maturity", "heroic"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--maturity" in err and len(err.strip().splitlines()) == 1
