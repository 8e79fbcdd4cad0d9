"""A project whose every free-text field holds markup (``<img src=...>``, ``<b>x</b>``): what a
user, a colleague's file or a fuzzer can put in a name. Used to prove the window shows it as text."""

from __future__ import annotations

from core.project import Project
from core.regimes import copy_regime


def hostile_project(base: Project, text: str) -> Project:
    """``base`` with the project, scenario, model, pool and regime texts replaced by ``text``.

    The first scenario is judged under a project copy of its regime whose title, description and
    rule names are ``text`` too; scenario names stay unique (``text`` plus a number)."""
    project = base.model_copy(update={"name": text, "marking": text, "notes": text})
    project, rid = copy_regime(project, project.scenarios[0].policy.regime, text)
    regime = dict(project.regimes[-1])
    regime["description"] = text
    regime["rules"] = [{**r, "short": f"{text} {i}", "title": text, "note": text}
                       for i, r in enumerate(regime["rules"])]
    scenarios = []
    for i, s in enumerate(project.scenarios):
        model = s.model.model_copy(update={"name": text, "source": text})
        fleet = [p.model_copy(update={"name": text}) for p in s.fleet]
        update = {"name": f"{text} {i + 1}", "notes": text, "model": model, "fleet": fleet,
                  "preset": None}
        if i == 0:
            update["policy"] = s.policy.model_copy(update={"regime": rid})
        scenarios.append(s.model_copy(update=update))
    return Project.model_validate({**project.model_dump(mode="json"),
                                   "regimes": [*project.regimes[:-1], regime],
                                   "scenarios": [s.model_dump(mode="json") for s in scenarios]})
