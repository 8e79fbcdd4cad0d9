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
    return Route(regime=regime, label=label, verdict=result.verdict,
                 option=None if best is None else best.label,
                 accelerator=None if best is None else best.accelerator,
                 wall_clock_days=None if best is None else best.wall_clock_days,
                 cost_usd=None if best is None else best.cost_usd, reasons=result.reasons[:3])


def impact(scenario: Any, project: Any = None, after_regime: str | None = None,
           disable: list[str] | None = None, enable: list[str] | None = None,
           before_regime: str | None = None) -> Impact:
    """Compare the scenario under ``before_regime`` (default: its own) with ``after_regime``
    (default: the same regime) with the rules in ``disable`` switched off and those in
    ``enable`` switched back on."""
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
    before = _route(scenario, project, before_id, base_disabled, before_id)
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
