"""What a policy costs the lab: the scenario's best route under two regimes (or with a rule
switched off or on), and the difference in days, cost and feasibility.

"Closing the leasing route delays this run by 4.2 months and costs $X more, via stockpiled
H800" is ``impact(...)`` rendered by ``headline``. Every delta is the difference of two
``core.scenario_eval.evaluate_scenario`` calls, nothing else.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from core.errors import InputError

DAYS_PER_MONTH = 365.25 / 12


class Route(BaseModel):
    """The lab's best route under one regime."""

    regime: str
    label: str = Field(description="regime id, plus the rules switched off/on")
    verdict: str
    option: str | None = Field(description="the option chosen (accelerator, site, pools)")
    accelerator: str | None = None
    wall_clock_days: float | None = None
    cost_usd: float | None = None
    reasons: list[str] = Field(default_factory=list)
    wall_clock_days_p10: float | None = Field(
        default=None, description="P10 of the route's days (core.uncertainty, as evaluate's)")
    wall_clock_days_p90: float | None = None
    cost_usd_p10: float | None = Field(default=None, description="P10 of the route's cost")
    cost_usd_p90: float | None = None


class Impact(BaseModel):
    scenario: str
    before: Route
    after: Route
    delta_days: float | None = Field(description="after - before; None when either has no route")
    delta_cost_usd: float | None = None
    feasibility: str = Field(description="kept | lost | gained | none | unknown (either route rests on a rule "
                             "whose status is not sourced)")
    fallback_changed: bool
    headline: str


def _route(scenario: Any, project: Any, regime: str, disabled: list[str], label: str) -> Route:
    from core.scenario_eval import evaluate_scenario

    policy = scenario.policy.model_copy(update={"regime": regime,
                                                "disabled_rules": sorted(set(disabled))})
    variant = scenario.model_copy(update={"policy": policy})
    result = evaluate_scenario(variant, project)
    best = result.best
    # the chosen option's band, computed by the evaluation (default samples, seed 0: the same
    # figures as `chokepoint evaluate --json` and the window's results panel)
    band = result.uncertainty if best is not None else None
    days = None if band is None else band.wall_clock_days
    cost = None if band is None or best is None or best.cost_usd is None else band.cost_usd
    return Route(regime=regime, label=label, verdict=result.verdict,
                 option=None if best is None else best.label,
                 accelerator=None if best is None else best.accelerator,
                 wall_clock_days=None if best is None else best.wall_clock_days,
                 cost_usd=None if best is None else best.cost_usd, reasons=result.reasons[:3],
                 wall_clock_days_p10=None if days is None else days.p10,
                 wall_clock_days_p90=None if days is None else days.p90,
                 cost_usd_p10=None if cost is None else cost.p10,
                 cost_usd_p90=None if cost is None else cost.p90)


def impact(scenario: Any, project: Any = None, after_regime: str | None = None,
           disable: list[str] | None = None, enable: list[str] | None = None,
           before_regime: str | None = None, before_route: Route | None = None) -> Impact:
    """Compare the scenario under ``before_regime`` (default: its own) with ``after_regime``
    (default: the same regime) with the rules in ``disable`` switched off and those in
    ``enable`` switched back on. ``before_route``: that route, already evaluated (a table of
    regimes evaluates it once)."""
    from core.regimes import regime_for

    before_id = before_regime or scenario.policy.regime
    after_id = after_regime or before_id
    disable, enable = list(disable or []), list(enable or [])
    for rid in (before_id, after_id):
        regime_for(project, rid)  # an unknown id is an InputError naming it
    known = {r.id for r in regime_for(project, after_id).rules}
    for rule in disable + enable:
        if rule not in known:
            raise InputError("rule", f"no rule {rule!r} in regime {after_id!r}; it has: "
                             + ", ".join(sorted(known)))
    base_disabled = list(scenario.policy.disabled_rules) if before_id == scenario.policy.regime \
        else []
    before = before_route if before_route is not None and before_route.regime == before_id \
        else _route(scenario, project, before_id, base_disabled, before_id)
    after_disabled = [r for r in (base_disabled if after_id == before_id else []) + disable
                      if r not in enable]
    label = after_id + "".join(f" −{r}" for r in disable) + "".join(f" +{r}" for r in enable)
    after = _route(scenario, project, after_id, after_disabled, label)
    ok_b, ok_a = before.verdict != "infeasible", after.verdict != "infeasible"
    feasibility = {(True, True): "kept", (True, False): "lost", (False, True): "gained",
                   (False, False): "none"}[(ok_b, ok_a)]
    if "unknown" in (before.verdict, after.verdict):
        # neither counted as a route nor as none: the status that decides is not sourced
        feasibility = "unknown"
    dd = dc = None
    if before.wall_clock_days is not None and after.wall_clock_days is not None:
        dd = after.wall_clock_days - before.wall_clock_days
    if before.cost_usd is not None and after.cost_usd is not None:
        dc = after.cost_usd - before.cost_usd
    out = Impact(scenario=scenario.name, before=before, after=after, delta_days=dd,
                 delta_cost_usd=dc, feasibility=feasibility,
                 fallback_changed=before.option != after.option, headline="")
    out.headline = headline(out)
    return out


def headline(i: Impact) -> str:
    """One sentence for a slide."""
    if i.feasibility == "unknown":
        side = i.after if i.after.verdict == "unknown" else i.before
        return (f"Under {side.label} the best route, {side.option}, rests on a rule whose status is not "
                f"sourced ({side.wall_clock_days or 0:,.0f} days if it does not apply): status unknown.")
    if i.feasibility == "lost":
        return (f"Under {i.after.label} the lab has no compliant route "
                f"(was {i.before.option}, {i.before.wall_clock_days or 0:,.0f} days).")
    if i.feasibility == "none":
        return f"Neither {i.before.label} nor {i.after.label} leaves a compliant route."
    if i.feasibility == "gained":
        return (f"Under {i.after.label} a route opens: {i.after.option}, "
                f"{i.after.wall_clock_days or 0:,.0f} days.")
    parts = []
    if i.delta_days is not None:
        if abs(i.delta_days) < 0.5:
            parts.append("no change in time")
        else:
            months = abs(i.delta_days) / DAYS_PER_MONTH
            when = f"{months:.1f} months" if months >= 1 else f"{abs(i.delta_days):.0f} days"
            parts.append(("delays the run by " if i.delta_days > 0 else "speeds the run up by ")
                         + when)
    if i.delta_cost_usd is not None and abs(i.delta_cost_usd) >= 1:
        parts.append(f"costs ${abs(i.delta_cost_usd) / 1e6:,.1f}M "
                     + ("more" if i.delta_cost_usd > 0 else "less"))
    via = f", via {i.after.option}" if i.fallback_changed else f" ({i.after.option})"
    return f"{i.after.label} vs {i.before.label}: " + " and ".join(parts or ["no change"]) + via + "."


class ImpactRow(BaseModel):
    """The lab's best route under one regime, and its difference to the scenario's own."""

    regime: str
    title: str = Field(default="", description="the regime's title")
    base: bool = Field(description="the scenario's own regime (the row the others are against)")
    verdict: str
    route: str | None = Field(description="the best route allowed (None: none)")
    wall_clock_days: float | None = None
    cost_usd: float | None = None
    wall_clock_days_p10: float | None = Field(default=None, description="P10 of the days")
    wall_clock_days_p90: float | None = Field(default=None, description="P90 of the days")
    cost_usd_p10: float | None = Field(default=None, description="P10 of the cost")
    cost_usd_p90: float | None = Field(default=None, description="P90 of the cost")
    delta_days: float | None = Field(default=None, description="days minus the base row's")
    delta_cost_usd: float | None = None
    feasibility: str = Field(description="kept | lost | gained | none, against the base row")
    fallback: bool = Field(description="the route differs from the base row's (the lab falls "
                                       "back to it)")
    headline: str


def days_range(row: Any) -> str:
    """'68 (42–111)': the days and their P10–P90 ('—' without a route), as the impact table
    shows them in the window, the deck and ``chokepoint impact``."""
    if row.wall_clock_days is None:
        return "—"
    text = f"{row.wall_clock_days:,.0f}"
    if row.wall_clock_days_p10 is not None and row.wall_clock_days_p90 is not None:
        text += f" ({row.wall_clock_days_p10:,.0f}–{row.wall_clock_days_p90:,.0f})"
    return text


def cost_range(row: Any) -> str:
    """'$23.2M (11.6–40.9)': the cost and its P10–P90 in $M ('—' without a price)."""
    if row.cost_usd is None:
        return "—"
    text = f"${row.cost_usd / 1e6:,.1f}M"
    if row.cost_usd_p10 is not None and row.cost_usd_p90 is not None:
        text += f" ({row.cost_usd_p10 / 1e6:,.1f}–{row.cost_usd_p90 / 1e6:,.1f})"
    return text


class ImpactTable(BaseModel):
    """One row per regime: what each would leave the lab (the impact slide's table)."""

    scenario: str
    base_regime: str
    rows: list[ImpactRow]


def impact_regimes(scenario: Any, project: Any = None) -> list[str]:
    """Every regime a scenario can be put under: its own first, then the one the policy-impact
    chart compares it with, then the project's regimes and the presets."""
    from core.answer_charts import comparison_regime
    from core.regimes import get_regime_ids, project_regimes

    own = [] if project is None else list(project_regimes(project))
    ids = [scenario.policy.regime, comparison_regime(scenario), *own, *get_regime_ids()]
    return list(dict.fromkeys(ids))


def impact_table(scenario: Any, project: Any = None, regimes: list[str] | None = None
                 ) -> ImpactTable:
    """``impact(scenario, before=its own regime, after=R)`` for every regime R (default:
    ``impact_regimes``): each row's figures are that call's, nothing recomputed here."""
    from core.regimes import regime_for

    base = scenario.policy.regime
    rows = []
    before: Route | None = None
    for rid in dict.fromkeys([base, *(regimes or impact_regimes(scenario, project))]):
        i = impact(scenario, project, before_regime=base, after_regime=rid, before_route=before)
        before = i.before
        rows.append(ImpactRow(
            regime=rid, title=regime_for(project, rid).title, base=rid == base,
            verdict=i.after.verdict, route=i.after.option,
            wall_clock_days=i.after.wall_clock_days, cost_usd=i.after.cost_usd,
            wall_clock_days_p10=i.after.wall_clock_days_p10,
            wall_clock_days_p90=i.after.wall_clock_days_p90,
            cost_usd_p10=i.after.cost_usd_p10, cost_usd_p90=i.after.cost_usd_p90,
            delta_days=i.delta_days, delta_cost_usd=i.delta_cost_usd,
            feasibility=i.feasibility, fallback=i.fallback_changed, headline=i.headline))
    return ImpactTable(scenario=scenario.name, base_regime=base, rows=rows)


class Comparison(BaseModel):
    """One comparison the policy-impact view offers: ``impact(**kwargs)`` of these fields."""

    label: str
    before_regime: str
    after_regime: str
    disable: list[str] = Field(default_factory=list)
    enable: list[str] = Field(default_factory=list)


def impact_comparisons(scenario: Any, project: Any = None) -> list[Comparison]:
    """What the scenario can be compared with, as the window's policy-impact view lists it: the
    chart's own comparison first (``policy.compare_regime``, or its default), then its own regime
    against every other regime (``impact_regimes``), then each rule of its own regime switched
    off (or, for a rule the scenario already switches off, back on) — ``chokepoint impact
    --regime / --disable / --enable``."""
    from core.answer_charts import comparison_regime
    from core.regimes import regime_for

    own = scenario.policy.regime
    first = comparison_regime(scenario)
    out = [Comparison(label=f"{first} → {own} (the chart's comparison)", before_regime=first,
                      after_regime=own)]
    for rid in impact_regimes(scenario, project):
        if rid not in (own, first):
            out.append(Comparison(label=f"{own} → regime {rid}", before_regime=own,
                                  after_regime=rid))
    disabled = set(scenario.policy.disabled_rules)
    for rule in regime_for(project, own).rules:
        if rule.id in disabled:
            out.append(Comparison(label=f"switch on rule {rule.id}", before_regime=own,
                                  after_regime=own, enable=[rule.id]))
        else:
            out.append(Comparison(label=f"switch off rule {rule.id}", before_regime=own,
                                  after_regime=own, disable=[rule.id]))
    return out


def compare_with(scenario: Any, project: Any, choice: Comparison) -> Impact:
    """``impact`` for one of ``impact_comparisons``."""
    return impact(scenario, project, after_regime=choice.after_regime, disable=choice.disable,
                  enable=choice.enable, before_regime=choice.before_regime)
