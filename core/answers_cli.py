"""``chokepoint impact`` and ``chokepoint sweep``: what a policy costs the lab, and one input
swept, for a project scenario (the CLI views of core.impact and core.sensitivity).

    chokepoint impact PROJECT.json [--scenario N] [--regime R ...] [--disable RULE ...]
                      [--enable RULE ...] [--json]
    chokepoint sweep PROJECT.json [--scenario N] --input fleet[0].count --values 512,1024,2048 [--json]
"""

from __future__ import annotations

import re
from typing import Any

from core.errors import InputError

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
_PATH = re.compile(r"[A-Za-z_]\w*(\[\d+\])*(\.[A-Za-z_]\w*(\[\d+\])*)*")


def add_parsers(sub: Any) -> None:
    imp = sub.add_parser("impact", help="the lab's best route under each regime (one row per "
                                        "regime) and the difference to the first")
    imp.add_argument("project", metavar="PROJECT.json")
    imp.add_argument("--scenario", default=None, help="scenario name or 1-based number (default 1)")
    imp.add_argument("--regime", action="append", default=None, metavar="ID",
                     help="a regime to compare (repeat; default: the comparison regime of the "
                          "policy-impact chart, then the scenario's own)")
    imp.add_argument("--disable", action="append", default=None, metavar="RULE",
                     help="a rule of the scenario's regime switched off (repeat): adds a row of "
                          "the scenario's regime without it (default regimes: the scenario's own)")
    imp.add_argument("--enable", action="append", default=None, metavar="RULE",
                     help="a rule the scenario switches off, switched back on (repeat)")
    imp.add_argument("--json", action="store_true")
    sw = sub.add_parser("sweep", help="days and cost of a scenario as one numeric input varies")
    sw.add_argument("project", metavar="PROJECT.json")
    sw.add_argument("--scenario", default=None, help="scenario name or 1-based number (default 1)")
    sw.add_argument("--input", required=True, metavar="PATH",
                    help="the input, e.g. fleet[0].count, training.tokens, physics.kernel_efficiency")
    sw.add_argument("--values", required=True, metavar="V1,V2,...", help="values to evaluate at")
    sw.add_argument("--json", action="store_true")


def _scenario(project: Any, wanted: str | None) -> Any:
    from core.project import scenario_index

    return project.scenarios[scenario_index(project, wanted)]


def parse_path(text: str) -> tuple[str | int, ...]:
    """'fleet[0].count' -> ('fleet', 0, 'count'); InputError naming --input otherwise."""
    if not _PATH.fullmatch(text.strip()):
        raise InputError("--input", f"expected a path like fleet[0].count, got {text!r}")
    return tuple(m.group(1) if m.group(1) else int(m.group(2))
                 for m in _STEP.finditer(text.strip()))


def cmd_impact(args: Any) -> int:
    from core.answer_charts import comparison_regime
    from core.cli import json_text
    from core.impact import impact
    from core.project import load_project

    project = load_project(args.project)
    scenario = _scenario(project, args.scenario)
    disable, enable = list(getattr(args, "disable", None) or []), \
        list(getattr(args, "enable", None) or [])
    own = scenario.policy.regime
    regimes = args.regime or ([own] if disable or enable else [comparison_regime(scenario), own])
    base = regimes[0]
    rows = []

    def row(i: Any, name: str) -> dict[str, Any]:
        return {"regime": name, "verdict": i.after.verdict, "route": i.after.option,
                "wall_clock_days": i.after.wall_clock_days, "cost_usd": i.after.cost_usd,
                "wall_clock_days_p10": i.after.wall_clock_days_p10,
                "wall_clock_days_p90": i.after.wall_clock_days_p90,
                "cost_usd_p10": i.after.cost_usd_p10, "cost_usd_p90": i.after.cost_usd_p90,
                "delta_days": i.delta_days, "delta_cost_usd": i.delta_cost_usd,
                "feasibility": i.feasibility, "headline": i.headline}

    before = None
    for rid in regimes:
        i = impact(scenario, project, before_regime=base, after_regime=rid, before_route=before)
        before = i.before
        rows.append(row(i, rid))
    if disable or enable:  # the scenario's regime with the rules switched: one more row
        i = impact(scenario, project, before_regime=base, after_regime=own, disable=disable,
                   enable=enable, before_route=before)
        rows.append(row(i, i.after.label))
    out = {"scenario": scenario.name, "base_regime": base, "rows": rows}
    if args.json:
        print(json_text(out))
        return 0
    print(f"{scenario.name}: best route under each regime (differences to {base}; "
          "P10–P90 in brackets)")
    width = max(32, *(len(r["regime"]) for r in rows))  # a --disable row's label is longer
    for r in rows:
        days = "—" if r["wall_clock_days"] is None else f"{r['wall_clock_days']:,.0f} days"
        if r["wall_clock_days"] is not None and r["wall_clock_days_p10"] is not None:
            days += f" ({r['wall_clock_days_p10']:,.0f}–{r['wall_clock_days_p90']:,.0f})"
        cost = "—" if r["cost_usd"] is None else f"${r['cost_usd'] / 1e6:,.1f}M"
        if r["cost_usd"] is not None and r["cost_usd_p10"] is not None:
            cost += f" (${r['cost_usd_p10'] / 1e6:,.1f}–{r['cost_usd_p90'] / 1e6:,.1f}M)"
        dc = r["delta_cost_usd"]
        delta = "" if r["delta_days"] is None or r["regime"] == base else \
            f"  ({r['delta_days']:+,.0f} days" + ("" if dc is None else
                                                  f", {'+' if dc >= 0 else '-'}${abs(dc) / 1e6:,.1f}M") + ")"
        print(f"  {r['regime']:<{width}} {r['verdict']:<14} {r['route'] or 'no compliant route'}: "
              f"{days}, {cost}{delta}")
    return 0


def cmd_sweep(args: Any) -> int:
    from core.cli import json_text
    from core.project import load_project
    from core.sensitivity import sweep

    project = load_project(args.project)
    scenario = _scenario(project, args.scenario)
    path = parse_path(args.input)
    values: list[float] = []
    for text in args.values.split(","):
        try:
            values.append(float(text.strip().replace("_", "")))
        except ValueError:
            raise InputError("--values", f"expected numbers separated by commas, got {text!r}") \
                from None
    if not values or len(values) > 200:
        raise InputError("--values", "give between 1 and 200 values")
    points = sweep(scenario, project, path,
                   [int(v) if v.is_integer() and isinstance(_current(scenario, path), int) else v
                    for v in values])
    out = {"scenario": scenario.name, "input": args.input,
           "points": [p.model_dump(mode="json") for p in points]}
    if args.json:
        print(json_text(out))
        return 0
    print(f"{scenario.name}: {args.input}")
    for p in points:
        days = "—" if p.days is None else f"{p.days:,.1f} days"
        cost = "—" if p.cost_usd is None else f"${p.cost_usd / 1e6:,.2f}M"
        print(f"  {p.value:>14,.6g}  {days:>14}  {cost:>12}  {p.verdict}")
    return 0


def _current(scenario: Any, path: tuple[str | int, ...]) -> Any:
    from core.paths import get_value

    try:
        return get_value(scenario, path)
    except InputError as e:
        raise InputError("--input", f"the scenario has no input {e.field}") from None
