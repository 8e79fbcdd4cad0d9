"""Which assumption decides the answer: a tornado of days and cost over each uncertain input,
one-way sweeps of any numeric input, and the cost-vs-time frontier of the usable options.

Each figure is a ``core.scenario_eval.evaluate_scenario`` of a changed copy of the scenario;
nothing is extrapolated. An input's low/high come from a sourced range where one exists (the
efficiency spread of the validation, the catalog's lease quotes, a licence's two outcomes)
and otherwise from a stated what-if of ±20 %, labelled as such on the chart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, Field

from core.paths import with_value
from core.uncertainty import Z90
from core.units import human

WHAT_IF = 0.20  # the stated what-if range of inputs without a sourced range


class Bar(BaseModel):
    """One input of the tornado: the scenario's days and cost at the input's low and high."""

    input: str
    low_label: str
    high_label: str
    days_low: float | None
    days_high: float | None
    cost_low: float | None
    cost_high: float | None
    basis: str = Field(description="where the range comes from")

    @property
    def days_swing(self) -> float:
        if self.days_low is None or self.days_high is None:
            return math.inf if (self.days_low is None) != (self.days_high is None) else 0.0
        return abs(self.days_high - self.days_low)


class Tornado(BaseModel):
    scenario: str
    option: str | None
    base_days: float | None
    base_cost: float | None
    bars: list[Bar] = Field(description="largest swing in days first")
    hypothetical: bool = Field(default=False, description="about a route the policy rules out")


def set_path(scenario: Any, path: Sequence[str | int], value: Any) -> Any:
    """A validated copy of ``scenario`` with the value at ``path`` (("fleet", 0, "count"))
    replaced; InputError naming the path when the value is refused (core.paths)."""
    return with_value(scenario, path, value)


def _subject(result: Any) -> Any:
    """The option the figures are about: the chosen one, or when the policy allows none, the
    one the scenario would use (its figures marked hypothetical by the caller)."""
    if result.best is not None:
        return result.best
    return next((o for o in result.options if o.wall_clock_days is not None), None)


def _figures(scenario: Any, project: Any) -> tuple[float | None, float | None, Any]:
    from core.scenario_eval import evaluate_scenario

    result = evaluate_scenario(scenario, project)
    best = _subject(result)
    if best is None:
        return None, None, result
    return best.wall_clock_days, best.cost_usd, result


def tornado(scenario: Any, project: Any = None) -> Tornado:
    from core.catalog import get_accelerator
    from core.cost import lease_price
    from core.sites import electricity_for, electricity_range_for, get_site
    from core.uncertainty import efficiency_sigma

    days0, cost0, result = _figures(scenario, project)
    best = _subject(result)
    bars: list[Bar] = []

    def bar(name: str, lo_label: str, hi_label: str, lo: Any, hi: Any, basis: str) -> None:
        dl, cl, _ = _figures(lo, project)
        dh, ch, _ = _figures(hi, project)
        bars.append(Bar(input=name, low_label=lo_label, high_label=hi_label, days_low=dl,
                        days_high=dh, cost_low=cl, cost_high=ch, basis=basis))

    if best is not None:
        chip = get_accelerator(best.accelerator)
        eff = scenario.physics.kernel_efficiency or chip.v("kernel_efficiency")
        if eff:
            sigma, source = efficiency_sigma(chip.id, getattr(scenario.physics, "maturity", None))
            f = math.exp(Z90 * sigma)
            lo_eff, hi_eff = eff / f, min(1.0, eff * f)
            bar("software efficiency", f"×{1 / f:.2f}", f"×{hi_eff / eff:.2f}",
                set_path(scenario, ("physics", "kernel_efficiency"), lo_eff),
                set_path(scenario, ("physics", "kernel_efficiency"), hi_eff),
                f"P10-P90 of the cross-validated error ({source})")
        tr = scenario.training
        t = tr.tokens
        if tr.tokens_low is not None and tr.tokens_high is not None:  # the scenario's own range
            t_lo, t_hi, basis = tr.tokens_low, tr.tokens_high, "the scenario's token range"
        else:
            t_lo, t_hi, basis = t * (1 - WHAT_IF), t * (1 + WHAT_IF), \
                "what-if ±20 % (no sourced range)"

        def tokens_at(n: float) -> Any:  # a plain (certain) token count of n
            return scenario.model_copy(update={"training": tr.model_copy(
                update={"tokens": n, "tokens_low": None, "tokens_high": None})})

        bar("training tokens", human(t_lo), human(t_hi), tokens_at(t_lo), tokens_at(t_hi), basis)
        rate = scenario.physics.failures_per_gpu_day
        if rate > 0:
            bar("interruptions", "½× rate", "2× rate",
                set_path(scenario, ("physics", "failures_per_gpu_day"), rate / 2),
                set_path(scenario, ("physics", "failures_per_gpu_day"), rate * 2),
                f"what-if ½× to 2× the rate of {rate:.2g} per GPU-day (no sourced spread)")
        site = get_site(best.site)
        lease = [i for i in best.pools if scenario.fleet[i].access == "lease"]
        owned = [i for i in best.pools if scenario.fleet[i].access != "lease"]
        if lease:
            low, high = chip.rental_low_usd_h, chip.rental_high_usd_h
            catalog = all(scenario.fleet[i].price_per_hour_usd is None for i in lease)
            if catalog and low is not None and high is not None and high.value > low.value:
                mid = (low.value + high.value) / 2
                lo_f, hi_f, basis = low.value / mid, high.value / mid, "catalog low/high quotes"
            else:
                lo_f, hi_f, basis = 1 - WHAT_IF, 1 + WHAT_IF, "what-if ±20 % (no sourced range)"
            lo_s, hi_s = scenario, scenario
            for i in lease:
                price = lease_price(scenario.fleet[i], chip, site)[0]
                lo_s = set_path(lo_s, ("fleet", i, "price_per_hour_usd"), price * lo_f)
                hi_s = set_path(hi_s, ("fleet", i, "price_per_hour_usd"), price * hi_f)
            bar("lease price", f"×{lo_f:.2f}", f"×{hi_f:.2f}", lo_s, hi_s, basis)
        priced = [(i, scenario.fleet[i].unit_price_usd or chip.v("unit_price_usd")) for i in owned]
        if priced and all(unit for _, unit in priced):
            low_fig, high_fig, catalog_unit = (chip.unit_price_low_usd, chip.unit_price_high_usd,
                                               chip.v("unit_price_usd"))
            if low_fig is not None and high_fig is not None and catalog_unit and \
                    all(scenario.fleet[i].unit_price_usd is None for i in owned):
                lo_f, hi_f = low_fig.value / catalog_unit, high_fig.value / catalog_unit
                words = (f"${low_fig.value:,.0f}", f"${high_fig.value:,.0f}")
                basis = f"the catalog's sourced price range ({low_fig.source}; {high_fig.source})"
            else:
                lo_f, hi_f, words = 1 - WHAT_IF, 1 + WHAT_IF, ("−20 %", "+20 %")
                basis = "what-if ±20 % (no sourced range)"
            lo_s, hi_s = scenario, scenario
            for i, unit in priced:
                assert unit is not None
                lo_s = set_path(lo_s, ("fleet", i, "unit_price_usd"), unit * lo_f)
                hi_s = set_path(hi_s, ("fleet", i, "unit_price_usd"), unit * hi_f)
            bar("chip price", words[0], words[1], lo_s, hi_s, basis)
        if owned:
            kwh = scenario.cost.electricity_usd_per_kwh or electricity_for(site, chip.origin)[0]
            found = None if scenario.cost.electricity_usd_per_kwh else \
                electricity_range_for(site, chip.origin)
            if kwh:
                if found is not None:
                    lo_k, hi_k, basis = found[0], found[1], f"the site's sourced range ({found[3]})"
                else:
                    lo_k, hi_k = kwh * (1 - WHAT_IF), kwh * (1 + WHAT_IF)
                    basis = "what-if ±20 % (no sourced range)"
                bar("electricity", f"${lo_k:.3f}/kWh", f"${hi_k:.3f}/kWh",
                    set_path(scenario, ("cost", "electricity_usd_per_kwh"), lo_k),
                    set_path(scenario, ("cost", "electricity_usd_per_kwh"), hi_k), basis)
    licensed = [o for o in result.options if o.policy_status == "needs_license"]
    if licensed:
        granted = min((o for o in licensed if o.wall_clock_days is not None),
                      key=lambda o: o.wall_clock_days or math.inf, default=None)
        refused = [o for o in result.options if o.policy_status == "usable"
                   and o.verdict != "infeasible" and o.wall_clock_days is not None]
        alt = min(refused, key=lambda o: o.wall_clock_days or math.inf, default=None)
        if granted is not None:
            bars.append(Bar(
                input="licence approval", low_label="refused", high_label="granted",
                days_low=None if alt is None else alt.wall_clock_days,
                days_high=granted.wall_clock_days, cost_low=None if alt is None else alt.cost_usd,
                cost_high=granted.cost_usd, basis="the two outcomes of the licence"))
    bars.sort(key=lambda b: b.days_swing, reverse=True)
    return Tornado(scenario=scenario.name, option=None if best is None else best.label,
                   base_days=days0, base_cost=cost0, bars=bars,
                   hypothetical=result.best is None and best is not None)


class SweepPoint(BaseModel):
    value: float
    days: float | None
    cost_usd: float | None
    verdict: str


def sweep(scenario: Any, project: Any, path: Sequence[str | int],
          values: Sequence[float]) -> list[SweepPoint]:
    """Days and cost of the scenario as the input at ``path`` takes each of ``values``."""
    out = []
    for v in values:
        changed = set_path(scenario, path, v)
        days, cost, result = _figures(changed, project)
        out.append(SweepPoint(value=float(v), days=days, cost_usd=cost, verdict=result.verdict))
    return out


class FrontierPoint(BaseModel):
    option: str
    status: str = Field(default="usable", description="the option's policy status")
    accelerator: str
    count: int
    days: float
    cost_usd: float
    on_frontier: bool


def pareto(scenario: Any, project: Any = None, fractions: Sequence[float] = (0.25, 0.5, 0.75, 1.0),
           progress: Callable[[int, int], None] | None = None) -> list[FrontierPoint]:
    """Cost against time of every option at fractions of the chips it holds; a usable point is
    on the frontier when no other usable point is both faster and cheaper. Options the policy
    rules out are kept, with their status, so the chart can show what the rules take away."""
    from core.scenario_eval import evaluate_scenario

    result = evaluate_scenario(scenario, project)
    points: list[FrontierPoint] = []
    options = [o for o in result.options if o.estimate is not None]
    for k, option in enumerate(options):
        held = option.usable_count
        for f in fractions:
            n = max(1, int(held * f))
            variant = scenario
            first, *rest = option.pools
            variant = set_path(variant, ("fleet", first, "count"), n)
            if rest:  # the option's other pools fold into the first at this count
                fleet = [p for i, p in enumerate(variant.fleet) if i not in rest]
                variant = variant.model_copy(update={"fleet": fleet})
            r = evaluate_scenario(variant, project)
            match = next((o for o in r.options if o.accelerator == option.accelerator
                          and o.site == option.site
                          and o.policy_status == option.policy_status), None)
            if match is None or match.wall_clock_days is None or match.cost_usd is None:
                continue
            points.append(FrontierPoint(option=option.label, status=option.policy_status,
                                        accelerator=option.accelerator,
                                        count=n, days=match.wall_clock_days,
                                        cost_usd=match.cost_usd, on_frontier=False))
        if progress is not None:
            progress(k + 1, len(options))
    usable = [p for p in points if p.status == "usable"]
    for p in usable:
        p.on_frontier = not any(q.days <= p.days and q.cost_usd <= p.cost_usd
                                and (q.days < p.days or q.cost_usd < p.cost_usd) for q in usable)
    return points
