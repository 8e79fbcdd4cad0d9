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

from core.paths import path_key, with_value
from core.uncertainty import Z90, active_params_factors
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


def effective_efficiency(scenario: Any, chip: Any) -> float:
    """The kernel efficiency the planner uses for ``chip`` (core.planner): the scenario's
    override, else the catalog's scaled by the stack's maturity."""
    from core.maturity import efficiency_factor

    opts = scenario.physics
    return float(opts.kernel_efficiency or min(
        0.98, (chip.v("kernel_efficiency") or 0.5) * efficiency_factor(opts.maturity, chip.id)))


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
        eff = effective_efficiency(scenario, chip)
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
        active, share = active_params_factors(scenario.model, tr.seq_len)
        if active is not None and active.real:  # an undisclosed model's active parameters
            # as core.uncertainty: they scale the 6·N share of the FLOPs per token (attention
            # does not depend on N), so the run's work scales by share·a + (1 − share); the
            # architecture is not re-drawn, the same work is run as that many more tokens
            work_lo, work_hi = (share * a + 1.0 - share for a in (active.low, active.high))
            low_n, high_n = scenario.model.active_params_range
            bar("active parameters", human(low_n), human(high_n), tokens_at(t * work_lo),
                tokens_at(t * work_hi),
                f"the scenario's active-parameter range, on the 6·N share ({share:.0%}) of the "
                "FLOPs per token")
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
    option: str | None = Field(default=None, description="the route the figures are of")


def _is_tokens(path: Sequence[str | int]) -> bool:
    return tuple(path) == ("training", "tokens")


def _set_input(scenario: Any, path: Sequence[str | int], value: Any) -> Any:
    """``set_path``, except that a swept token count is a plain (certain) count: a scenario's
    own token range would refuse every value outside it."""
    if _is_tokens(path):
        tr = scenario.training.model_copy(update={"tokens_low": None, "tokens_high": None})
        scenario = scenario.model_copy(update={"training": tr})
    return set_path(scenario, path, value)


def sweep(scenario: Any, project: Any, path: Sequence[str | int],
          values: Sequence[float]) -> list[SweepPoint]:
    """Days and cost of the scenario as the input at ``path`` takes each of ``values``."""
    out = []
    for v in values:
        changed = _set_input(scenario, tuple(path), v)
        days, cost, result = _figures(changed, project)
        subject = _subject(result)
        out.append(SweepPoint(value=float(v), days=days, cost_usd=cost, verdict=result.verdict,
                              option=None if subject is None else subject.label))
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


# ---- one-way sweep over a range: the window's Sweep chart -----------------------------------

MAX_POINTS = 41


class SweepInput(BaseModel):
    """A numeric input of a scenario the Sweep chart can vary, with a suggested range."""

    path: list[str | int]
    key: str = Field(description="the path as text, e.g. fleet[0].count (as `chokepoint sweep`)")
    label: str = Field(description="what it is, for people")
    current: float = Field(description="the value the evaluation uses now (a catalog or site "
                                        "figure when the scenario does not set it)")
    low: float
    high: float
    integer: bool = False
    note: str = Field(default="", description="e.g. 'catalog value' when the scenario sets none")


class Sweep(BaseModel):
    """Days and cost of a scenario as one input goes from ``low`` to ``high``."""

    scenario: str
    input: SweepInput
    low: float
    high: float
    base_days: float | None
    base_cost: float | None
    base_verdict: str
    deadline_days: float | None = None
    budget_usd: float | None = None
    points: list[SweepPoint]


def sweep_inputs(scenario: Any, project: Any = None, result: Any = None) -> list[SweepInput]:
    """The inputs worth sweeping, with the value in use and a range around it: training tokens,
    the chips of each pool, software efficiency, interruptions and restart time (goodput),
    prices, electricity, hardware life, and the deadline and budget when set. ``result``: the
    scenario's ``ScenarioResult`` when known (its chosen chip sets the efficiency in use)."""
    from core.catalog import get_accelerator
    from core.cost import lease_price
    from core.errors import InputError
    from core.scenario_eval import evaluate_scenario
    from core.sites import electricity_for, get_site

    result = result if result is not None else evaluate_scenario(scenario, project)
    best = _subject(result)
    out: list[SweepInput] = []

    def add(path: tuple[str | int, ...], label: str, current: float, low: float, high: float,
            integer: bool = False, note: str = "") -> None:
        out.append(SweepInput(path=list(path), key=path_key(path), label=label,
                              current=current, low=low, high=high, integer=integer, note=note))

    t = scenario.training
    lo_t, hi_t = (t.tokens_low, t.tokens_high) if t.tokens_low and t.tokens_high else \
        (t.tokens / 2, t.tokens * 2)
    add(("training", "tokens"), "training tokens", t.tokens, lo_t, hi_t)
    for i, pool in enumerate(scenario.fleet):
        add(("fleet", i, "count"), f"chips in pool {i + 1}: {pool.accelerator} @ {pool.site} "
            f"({pool.access})", pool.count, max(1, pool.count // 2), pool.count * 2, integer=True)
    first = best if best is not None else (result.options[0] if result.options else None)
    chip_id = first.accelerator if first is not None else scenario.fleet[0].accelerator
    chip = get_accelerator(chip_id)
    eff = effective_efficiency(scenario, chip)
    add(("physics", "kernel_efficiency"), "software (kernel) efficiency, every chip", eff,
        max(0.01, eff / 2), min(1.0, eff * 1.5),
        note="" if scenario.physics.kernel_efficiency else
        f"{chip.id}'s catalog figure × the '{scenario.physics.maturity}' maturity")
    ph = scenario.physics
    rate = ph.failures_per_gpu_day
    add(("physics", "failures_per_gpu_day"), "interruptions per GPU-day (goodput)", rate,
        0.0, min(1.0, max(rate * 4, 1e-6)))
    add(("physics", "restart_minutes"), "minutes lost per interruption (goodput)",
        ph.restart_minutes, 0.0, max(ph.restart_minutes * 4, 1.0))
    add(("physics", "link_efficiency"), "network link efficiency", ph.link_efficiency,
        max(0.01, ph.link_efficiency / 2), min(1.0, ph.link_efficiency * 1.4))
    for i, pool in enumerate(scenario.fleet):
        pchip = get_accelerator(pool.accelerator)
        where = f"pool {i + 1} ({pool.accelerator} @ {pool.site})"
        if pool.access == "lease":
            try:
                price = lease_price(pool, pchip, get_site(pool.site))[0]
            except InputError:
                continue  # no price to start from: the user sets one in the fleet editor
            add(("fleet", i, "price_per_hour_usd"), f"lease price, USD per chip-hour, {where}",
                price, price / 2, min(1000.0, price * 2),
                note="" if pool.price_per_hour_usd else "catalog quote")
        else:
            unit = pool.unit_price_usd or pchip.v("unit_price_usd")
            if unit:
                add(("fleet", i, "unit_price_usd"), f"chip price, USD, {where}", unit, unit / 2,
                    min(1e7, unit * 2), note="" if pool.unit_price_usd else "catalog price")
    owned = [p for p in scenario.fleet if p.access != "lease"]
    if owned:
        site = get_site(first.site if first is not None else owned[0].site)
        kwh = scenario.cost.electricity_usd_per_kwh or electricity_for(site, chip.origin)[0]
        if kwh:
            add(("cost", "electricity_usd_per_kwh"), "electricity, USD per kWh", kwh, kwh / 2,
                min(10.0, kwh * 2),
                note="" if scenario.cost.electricity_usd_per_kwh else f"{site.id} figure")
        life = scenario.cost.useful_life_years
        add(("cost", "useful_life_years"), "hardware written off over, years", life,
            max(0.25, life / 2), min(20.0, life * 2))
    c = scenario.constraints
    if c.deadline_days:
        add(("constraints", "deadline_days"), "deadline, days from the start", c.deadline_days,
            max(1.0, c.deadline_days / 2), min(36500.0, c.deadline_days * 2))
    if c.budget_usd:
        add(("constraints", "budget_usd"), "budget, USD", c.budget_usd, c.budget_usd / 2,
            min(1e13, c.budget_usd * 2))
    return out


def sweep_values(low: float, high: float, points: int, integer: bool = False,
                 current: float | None = None) -> list[float]:
    """``points`` evenly spaced values from ``low`` to ``high`` (whole numbers for a count),
    plus ``current`` when it lies inside. InputError naming low, high or points otherwise."""
    from core.errors import InputError

    for name, v in (("low", low), ("high", high)):
        if not isinstance(v, (int, float)) or not math.isfinite(v):
            raise InputError(name, f"expected a number, got {v!r}")
    if not isinstance(points, int) or not 2 <= points <= MAX_POINTS:
        raise InputError("points", f"expected 2 to {MAX_POINTS} points, got {points!r}")
    if not low < high:
        raise InputError("high", f"must be above low ({low:,.6g}), got {high:,.6g}")
    values = [low + (high - low) * k / (points - 1) for k in range(points)]
    if integer:
        if high - low < 1:
            raise InputError("high", f"a count: high must be at least low + 1, got {low:g} to "
                             f"{high:g}")
        values = [float(round(v)) for v in values]
    if current is not None and low <= current <= high:
        values.append(float(current))
    return sorted(set(values))


def sweep_range(scenario: Any, project: Any, item: SweepInput, low: float, high: float,
                points: int = 13) -> Sweep:
    """The Sweep chart's data: ``sweep`` of ``item`` at ``points`` values from ``low`` to
    ``high`` and at the value in use. A refused range is an InputError naming low, high or
    points, before anything is evaluated."""
    from core.errors import InputError

    values = sweep_values(low, high, points, item.integer, item.current)
    for name, v in (("low", low), ("high", high)):
        try:
            _set_input(scenario, tuple(item.path), round(v) if item.integer else v)
        except InputError as e:
            raise InputError(name, f"{v:,.6g} is refused for {item.key}: {e.problem}") from None
    days, cost, result = _figures(scenario, project)
    pts = sweep(scenario, project, tuple(item.path),
                [int(v) if item.integer else v for v in values])
    c = scenario.constraints
    return Sweep(scenario=scenario.name, input=item, low=low, high=high, base_days=days,
                 base_cost=cost, base_verdict=result.verdict, deadline_days=c.deadline_days,
                 budget_usd=c.budget_usd, points=pts)
