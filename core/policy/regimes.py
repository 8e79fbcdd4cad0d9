"""Project-level policy regimes: copy a preset (or another project regime) into the project and
edit its rules. The presets themselves are never changed.

A project stores its regimes as plain JSON objects (``Project.regimes``); these functions take a
project and return a new one, so the GUI can put every change on its undo stack.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import ValidationError

from core.errors import InputError, validation_error
from core.policy.rules import PolicyRegime, Rule, get_regime
from core.project import Project

EDITABLE = ("outcome", "effective", "ends", "grandfathers_prior_holdings", "approval_likelihood",
            "revenue_share_pct", "tariff_pct")
_LICENCE_FIELDS = ("approval_likelihood", "revenue_share_pct", "tariff_pct")


def project_regimes(project: Project) -> dict[str, PolicyRegime]:
    """The project's own regimes, validated. A broken one raises InputError with its path."""
    out: dict[str, PolicyRegime] = {}
    for i, raw in enumerate(project.regimes):
        try:
            reg = PolicyRegime.model_validate(raw, strict=True)
        except ValidationError as exc:
            raise validation_error(exc, prefix=f"regimes[{i}]") from None
        out[reg.id] = reg
    return out


def regime_for(project: Project | None, regime_id: str) -> PolicyRegime:
    """A project regime or a preset, by id: a copy the caller may edit."""
    extra = project_regimes(project) if project is not None else {}
    own = extra.get(str(regime_id).strip())
    if own is not None:  # just validated from the project's JSON: already the caller's own copy
        return own
    return get_regime(regime_id, extra=extra)


def is_project_regime(project: Project | None, regime_id: str) -> bool:
    return project is not None and any(r.get("id") == regime_id for r in project.regimes)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "regime"


def copy_regime(project: Project, regime_id: str, title: str) -> tuple[Project, str]:
    """Copy regime ``regime_id`` into the project under a new id derived from ``title``.

    Returns the new project and the new regime's id. The copy keeps every rule, with its
    sources, so the copy can be edited and still cites what it was built from."""
    title = title.strip()
    if not title:
        raise InputError("title", "a copied regime needs a name")
    source = regime_for(project, regime_id)
    taken = {r.get("id") for r in project.regimes} | set(get_regime_ids())
    base = f"custom-{_slug(title)}"
    new_id, n = base, 2
    while new_id in taken:
        new_id, n = f"{base}-{n}", n + 1
    copy = source.model_copy(deep=True, update={
        "id": new_id, "title": title,
        "description": f"Copy of '{source.title or source.id}', edited in this project. {source.description}".strip(),
    })
    regimes = [*project.regimes, copy.model_dump(mode="json")]
    return project.model_copy(update={"regimes": regimes}), new_id


def get_regime_ids() -> list[str]:
    from core.policy import load_regimes

    return list(load_regimes())


def edit_rule(project: Project, regime_id: str, rule_id: str, **changes: Any) -> Project:
    """Change fields of one rule of a project regime (see ``EDITABLE``); validated like a file.

    Licence terms are created when a rule becomes ``license`` and dropped when it stops being
    one. Raises InputError naming the field when a value is refused."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InputError(", ".join(sorted(unknown)), f"not editable here (editable: {', '.join(EDITABLE)})")
    if not is_project_regime(project, regime_id):
        raise InputError("policy.regime", f"{regime_id!r} is a preset: copy it into the project to edit it")
    index = next(i for i, r in enumerate(project.regimes) if r.get("id") == regime_id)
    regime = project_regimes(project)[regime_id]
    rule = regime.rule(rule_id)
    data = rule.model_dump()
    for key in ("effective", "ends"):
        if isinstance(changes.get(key), str):
            try:
                changes[key] = dt.date.fromisoformat(changes[key])
            except ValueError:
                raise InputError(key, f"expected a date YYYY-MM-DD, got {changes[key]!r}") from None
    licence = dict(data.get("licence") or {})
    licence.update({k: changes.pop(k) for k in _LICENCE_FIELDS if k in changes})
    data.update(changes)
    if data["outcome"] == "license" and "approval_likelihood" not in licence:
        # a rule turned into a licence requirement: a neutral likelihood, said to be the user's
        licence.update(approval_likelihood=0.5, assumption="set by the user in this project")
    data["licence"] = licence or None
    try:
        new_rule = Rule.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, prefix=f"rule {rule_id}") from None
    rules = [new_rule if r.id == rule_id else r for r in regime.rules]
    new_regime = regime.model_copy(update={"rules": rules})
    regimes = list(project.regimes)
    regimes[index] = new_regime.model_dump(mode="json")
    return project.model_copy(update={"regimes": regimes})


def delete_regime(project: Project, regime_id: str) -> Project:
    """Remove a project regime; scenarios that used it fall back to ``in-force``."""
    if not is_project_regime(project, regime_id):
        raise InputError("policy.regime", f"{regime_id!r} is not a project regime")
    regimes = [r for r in project.regimes if r.get("id") != regime_id]
    scenarios = [
        s.model_copy(update={"policy": s.policy.model_copy(update={"regime": "in-force"})})
        if s.policy.regime == regime_id else s
        for s in project.scenarios
    ]
    return project.model_copy(update={"regimes": regimes, "scenarios": scenarios})
