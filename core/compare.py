"""Scenarios side by side: which inputs differ, and what that did to days, cost and verdict.

``input_differences`` walks the scenarios' inputs (their JSON form, so dates read as ISO text)
and returns every leaf whose value is not the same in all of them, with each scenario's value
(``None`` where a scenario has no such input, e.g. a second pool). The name and the notes are
not inputs of the evaluation and are left out. ``compare`` adds each scenario's outcome and its
difference from the first scenario's: each delta is the difference of two evaluations.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from core.errors import InputError

NOT_INPUTS = ("name", "notes")


class InputDifference(BaseModel):
    path: list[str | int] = Field(description="where the input is, e.g. ['fleet', 0, 'count']")
    label: str = Field(description="the path as text, e.g. 'fleet[0].count'")
    values: list[Any] = Field(description="one per scenario; None where it has no such input")


class Outcome(BaseModel):
    scenario: str
    verdict: str
    option: str | None = Field(default=None, description="the chosen option, if any")
    days: float | None = None
    cost_usd: float | None = None
    days_delta: float | None = Field(default=None, description="days minus the first scenario's")
    cost_delta_usd: float | None = Field(default=None,
                                         description="cost minus the first scenario's")
    verdict_changed: bool = Field(default=False, description="verdict differs from the first's")
    days_p10: float | None = Field(default=None, description="P10 of the days (core.uncertainty)")
    days_p90: float | None = Field(default=None, description="P90 of the days")
    cost_p10: float | None = Field(default=None, description="P10 of the cost")
    cost_p90: float | None = Field(default=None, description="P90 of the cost")


class Comparison(BaseModel):
    scenarios: list[str]
    differences: list[InputDifference]
    outcomes: list[Outcome]


def label(path: list[str | int] | tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _leaves(value: Any, path: tuple[str | int, ...], into: dict[tuple[str | int, ...], Any]) -> None:
    if isinstance(value, dict) and value:
        for k, v in value.items():
            _leaves(v, (*path, k), into)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            _leaves(v, (*path, i), into)
    else:  # scalars, and lists of scalars (disabled rules) compared whole
        into[path] = value


def input_differences(scenarios: list[Any]) -> list[InputDifference]:
    """Every input whose value is not the same in all ``scenarios``, in the inputs' order."""
    flat: list[dict[tuple[str | int, ...], Any]] = []
    for s in scenarios:
        data = s.model_dump(mode="json")
        for key in NOT_INPUTS:
            data.pop(key, None)
        leaves: dict[tuple[str | int, ...], Any] = {}
        _leaves(data, (), leaves)
        flat.append(leaves)
    order: dict[tuple[str | int, ...], None] = {}
    for leaves in flat:
        order.update(dict.fromkeys(leaves))
    out = []
    for path in order:
        values = [leaves.get(path) for leaves in flat]  # absent reads as unset (None)
        if any(v != values[0] for v in values[1:]):
            out.append(InputDifference(path=list(path), label=label(path), values=values))
    return out


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def compare(scenarios: list[Any], project: Any = None, results: list[Any] | None = None
            ) -> Comparison:
    """``scenarios`` (two or more) side by side. ``results``: their ``ScenarioResult`` when known
    (otherwise each is evaluated)."""
    from core.scenario_eval import evaluate_scenario

    if len(scenarios) < 2:
        raise InputError("scenarios", f"pick two or more scenarios to compare, got {len(scenarios)}")
    if results is None or len(results) != len(scenarios):
        results = [evaluate_scenario(s, project) for s in scenarios]
    outcomes: list[Outcome] = []
    for s, r in zip(scenarios, results, strict=True):
        best = r.best
        band = r.uncertainty if best is not None else None  # no range for a ruled-out route
        outcomes.append(Outcome(
            scenario=s.name, verdict=r.verdict, option=None if best is None else best.label,
            days=None if best is None else best.wall_clock_days,
            cost_usd=None if best is None else best.cost_usd,
            days_p10=None if band is None else band.wall_clock_days.p10,
            days_p90=None if band is None else band.wall_clock_days.p90,
            cost_p10=None if band is None or band.cost_usd is None else band.cost_usd.p10,
            cost_p90=None if band is None or band.cost_usd is None else band.cost_usd.p90))
    first = outcomes[0]
    for o in outcomes[1:]:
        o.days_delta = _minus(o.days, first.days)
        o.cost_delta_usd = _minus(o.cost_usd, first.cost_usd)
        o.verdict_changed = o.verdict != first.verdict
    return Comparison(scenarios=[s.name for s in scenarios],
                      differences=input_differences(scenarios), outcomes=outcomes)


# ---- text for the views (window table, slide) ---------------------------------------------

VERDICTS = {"feasible": "Feasible", "needs_license": "Needs a licence", "unknown": "Status unknown",
            "infeasible": "Infeasible"}


def value_text(value: Any) -> str:
    """An input's value as shown in a cell (None: not set)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:.4g}"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value) or "(none)"
    return str(value)


def _money(usd: float) -> str:
    return f"${usd / 1e6:,.1f}M"


def _signed(delta: float, text: str) -> str:
    return ("+" if delta > 0 else "−" if delta < 0 else "±") + text


def outcome_rows(comparison: Comparison) -> list[tuple[str, list[str], list[bool]]]:
    """(row title, one text per scenario, whether each differs from the first) for the outcome."""
    o = comparison.outcomes
    days, cost = [], []
    for i, x in enumerate(o):
        d = "—" if x.days is None else f"{x.days:,.1f} days"
        if i and x.days_delta is not None:
            d += f" ({_signed(x.days_delta, f'{abs(x.days_delta):,.1f}')})"
        days.append(d)
        c = "—" if x.cost_usd is None else _money(x.cost_usd)
        if i and x.cost_delta_usd is not None:
            c += f" ({_signed(x.cost_delta_usd, _money(abs(x.cost_delta_usd)))})"
        cost.append(c)
    first = o[0]
    rows = [
        ("Verdict", [VERDICTS.get(x.verdict, x.verdict) for x in o],
         [x.verdict_changed for x in o]),
        ("Route", [x.option or "none" for x in o], [x.option != first.option for x in o]),
        ("Days", days, [x.days != first.days for x in o]),
    ]
    # the P10-P90 ranges (core.uncertainty) in rows of their own, so each cell stays short
    def band_row(label: str, bands: list, fmt) -> None:
        if any(bands):
            rows.append((label, ["—" if b is None else f"{fmt(b[0])}–{fmt(b[1])}" for b in bands],
                         [b != bands[0] for b in bands]))

    band_row("Days, P10–P90", [None if x.days is None or x.days_p10 is None or x.days_p90 is None
                               else (x.days_p10, x.days_p90) for x in o], lambda v: f"{v:,.0f}")
    rows.append(("Cost", cost, [x.cost_usd != first.cost_usd for x in o]))
    band_row("Cost, P10–P90", [None if x.cost_usd is None or x.cost_p10 is None or x.cost_p90 is None
                               else (x.cost_p10, x.cost_p90) for x in o], _money)
    return rows
