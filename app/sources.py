"""What the editors offer to pick from (presets, accelerators, sites, policy regimes) and the
project the app starts with. Each catalog is read through the core; a missing or broken one
gives an empty choice and a message rather than a window that will not start."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.errors import InputError

EXAMPLE = ("examples", "southeast-asia-route.json")


def _safe(fn, default):
    """``fn()``, or ``default`` when a catalog file is missing or broken: the window still starts
    (evaluating a scenario that needs the file then says what is wrong)."""
    try:
        return fn()
    except (InputError, OSError, ValueError, TypeError, LookupError, RecursionError):
        return default


def accelerators() -> dict[str, Any]:
    from core.catalog import accelerators as load

    return _safe(load, {})


def presets() -> dict[str, Any]:
    from core.presets import load_presets

    return _safe(load_presets, {})


def sites() -> dict[str, Any]:
    from core.sites import sites as load

    return _safe(load, {})


def regimes(project=None) -> dict[str, Any]:
    """Policy regimes by id (core ``PolicyRegime`` objects): the presets plus the project's own.
    A broken project regime is left out here; evaluating a scenario that uses it says why."""
    from core.policy import load_regimes
    from core.regimes import project_regimes

    table = dict(_safe(load_regimes, {}))
    if project is not None:
        table.update(_safe(lambda: project_regimes(project), {}))
    return table


def example_project():
    """The bundled example project, or ``None`` when it is not shipped."""
    from core.project import load_project
    from core.resources import resource

    path = resource(*EXAMPLE)
    if not path.exists():
        return None
    return load_project(path)


def new_project(name: str = "Untitled"):
    """A one-scenario project: the first MoE preset on the first catalog accelerator."""
    from core.project import Project

    return Project(name=name, scenarios=[new_scenario("Scenario 1")])


def new_scenario(name: str, like=None):
    """A fresh scenario; ``like`` (the scenario the user is on) gives its date, headquarters and
    first pool's site, so a scenario added to a project is set where and when the project is
    (not today and the US)."""
    from core.model import ModelSpec
    from core.scenario import Pool, Scenario
    from core.training import TrainingSpec

    table = presets()
    preset_id = next((k for k in ("qwen3-235b-a22b", "qwen3-30b-a3b", "llama-3.1-70b") if k in table),
                     next(iter(table), None))
    if preset_id:
        p = table[preset_id]
        spec = p.spec
        training = TrainingSpec(tokens=p.default_tokens or 1e12, seq_len=p.default_seq_len)
    else:
        spec = ModelSpec(name="custom", n_layers=32, d_model=4096, n_heads=32, ffn_dim=14336,
                         vocab_size=128000)
        training = TrainingSpec(tokens=1e12)
    chips = accelerators()
    chip = next((k for k in ("H100-SXM", "H100") if k in chips), next(iter(chips), "H100-SXM"))
    if like is not None:
        where = {"date": like.date, "hq": like.hq}
        site = like.fleet[0].site if like.fleet else "US"
    else:
        where, site = {"date": dt.date.today()}, "US"
    return Scenario(name=name, preset=preset_id, model=spec, training=training,
                    fleet=[Pool(accelerator=chip, count=1024, site=site)], **where)


def describe_error(exc: BaseException) -> str:
    """One line for a user: the core translator's text (the same as the loader's and the CLI's)."""
    from core.errors import message

    return message(exc)
