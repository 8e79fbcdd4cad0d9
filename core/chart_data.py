"""The numbers behind every chart, computed headless so the GUI, the exporters and the tests
draw the same thing. Each function returns plain pydantic objects; no Qt here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from core.answer_charts import AnswerCharts, answer_charts
from core.catalog import get_accelerator
from core.estimate import MemoryBreakdown, StepTime, estimate
from core.scenario import Scenario
from core.scenario_eval import ScenarioResult, _regime
from core.sensitivity import Sweep
from core.uncertainty import days_band_factors

Status = Literal["usable", "needs_license", "blocked", "unknown"]

# Cost breakdown keys grouped the way briefings show them.
COST_GROUPS: dict[str, tuple[str, ...]] = {
    "Rent or amortisation": ("compute_rent", "amortisation"),
    "Energy": ("energy",),
    "Storage and egress": ("egress_storage",),
    "Premiums, revenue shares and tariffs": ("grey_market_premium", "revenue_share", "tariff"),
}


class SweepPoint(BaseModel):
    count: int
    days: float | None
    gpu_hours: float | None
    feasible: bool


class SweepSeries(BaseModel):
    accelerator: str
    site: str
    status: Status
    held: int = Field(description="chips of this type the fleet holds at this site")
    points: list[SweepPoint]
    p10_factor: float = Field(default=1.0, description="days × this = P10 (core.uncertainty)")
    p90_factor: float = Field(default=1.0, description="days × this = P90")


class TimeVsCount(BaseModel):
    scenario: str
    deadline_days: float | None
    series: list[SweepSeries]


def count_grid(held: int, lo: int = 64) -> list[int]:
    """Powers of two from ``lo`` up to 4 × the largest pool, plus the pool's own size."""
    top = max(held * 4, lo * 2)
    grid, k = [], lo
    while k <= top:
        grid.append(k)
        k *= 2
    return sorted(set(grid) | {held})


def time_vs_count(scenario: Scenario, project: Any = None, result: ScenarioResult | None = None,
                  counts: list[int] | None = None) -> TimeVsCount:
    """Chart 1: wall-clock days against chip count for each accelerator type the scenario holds,
    with its policy status (blocked types are still drawn, marked as blocked)."""
    from core.scenario_eval import evaluate_scenario

    result = result or evaluate_scenario(scenario, project)
    seen: dict[tuple[str, str], SweepSeries] = {}
    rank = {"usable": 0, "needs_license": 1, "unknown": 2, "blocked": 3}
    for opt in result.options:
        key = (opt.accelerator, opt.site)
        status: Status = opt.policy_status
        if key in seen and rank[seen[key].status] <= rank[status]:
            continue
        chip = get_accelerator(opt.accelerator)
        points = []
        for n in counts or count_grid(opt.count):
            r = estimate(scenario.model, scenario.training, chip, n, scenario.physics)
            ok = r.verdict == "feasible"
            points.append(SweepPoint(count=n, days=r.wall_clock_days if ok else None,
                                     gpu_hours=r.gpu_hours if ok else None, feasible=ok))
        p10, p90 = days_band_factors(scenario, chip.id)  # efficiency, token/active ranges
        seen[key] = SweepSeries(accelerator=opt.accelerator, site=opt.site, status=status, held=opt.count,
                                points=points, p10_factor=p10, p90_factor=p90)
    return TimeVsCount(scenario=scenario.name, deadline_days=scenario.constraints.deadline_days,
                       series=list(seen.values()))


class CostBar(BaseModel):
    scenario: str
    verdict: str
    option: str
    parts: dict[str, float] = Field(description="USD by COST_GROUPS label")
    total_usd: float | None
    hypothetical: bool = Field(description="figures of a route the verdict rules out")
    energy_note: str = Field(default="", description="why the energy part is zero, if it is")
    cost_p10: float | None = Field(default=None, description="P10 of the total (core.uncertainty)")
    cost_p90: float | None = Field(default=None, description="P90 of the total")


def _energy_note(scenario: Scenario, opt) -> str:
    """Say why a bar has no energy part: a lease prices energy into the rent; an owned chip
    without a sourced TDP cannot be costed."""
    if opt is None or opt.cost_usd is None or opt.cost_breakdown.get("energy", 0.0) > 0:
        return ""
    access = {scenario.fleet[i].access for i in opt.pools}
    if access == {"lease"}:
        return "energy is inside the rent"
    return f"energy not costed: no sourced TDP for {opt.accelerator}"


def cost_breakdown(scenarios: list[Scenario], results: list[ScenarioResult]) -> list[CostBar]:
    """Chart 2: stacked cost per scenario."""
    bars = []
    for s, r in zip(scenarios, results, strict=True):
        opt = r.best or (r.options[0] if r.options else None)
        parts = {label: 0.0 for label in COST_GROUPS}
        total = None
        if opt is not None and opt.cost_usd is not None:
            for label, keys in COST_GROUPS.items():
                parts[label] = sum(opt.cost_breakdown.get(k, 0.0) for k in keys)
            total = opt.cost_usd
        band = _band_fields(r) if total is not None else {}
        bars.append(CostBar(scenario=s.name, verdict=r.verdict, option=opt.label if opt else "",
                            parts=parts, total_usd=total, hypothetical=r.best is None,
                            energy_note=_energy_note(s, opt), cost_p10=band.get("cost_p10"),
                            cost_p90=band.get("cost_p90")))
    return bars


class ComparisonRow(BaseModel):
    scenario: str
    verdict: str
    option: str
    days: float | None
    cost_usd: float | None
    gpu_hours: float | None
    energy_mwh: float | None
    hypothetical: bool
    energy_basis: str = Field(default="", description="'facility' (the cost's) or 'chips at TDP'")
    days_p10: float | None = None
    days_p90: float | None = None
    cost_p10: float | None = None
    cost_p90: float | None = None


def _band_fields(r: ScenarioResult) -> dict[str, float | None]:
    """P10/P90 of the chosen option's days and cost (none for a hypothetical route)."""
    u = r.uncertainty if r.best is not None else None
    if u is None:
        return {}
    return {"days_p10": u.wall_clock_days.p10, "days_p90": u.wall_clock_days.p90,
            "cost_p10": None if u.cost_usd is None else u.cost_usd.p10,
            "cost_p90": None if u.cost_usd is None else u.cost_usd.p90}


def comparison(scenarios: list[Scenario], results: list[ScenarioResult]) -> list[ComparisonRow]:
    """Chart 3 and the summary slide: days and cost of every scenario, with its verdict."""
    rows = []
    for s, r in zip(scenarios, results, strict=True):
        opt = r.best or (r.options[0] if r.options else None)
        rows.append(ComparisonRow(
            scenario=s.name, verdict=r.verdict, option=opt.label if opt else "",
            days=opt.wall_clock_days if opt else None, cost_usd=opt.cost_usd if opt else None,
            gpu_hours=opt.gpu_hours if opt else None, energy_mwh=opt.energy_mwh if opt else None,
            energy_basis=opt.energy_basis if opt else "", hypothetical=r.best is None, **_band_fields(r)))
    return rows


class TimelineSpan(BaseModel):
    start: dt.date
    end: dt.date
    status: Status
    rule_id: str | None


class TimelineRow(BaseModel):
    accelerator: str
    site: str
    access: str
    spans: list[TimelineSpan]


class PolicyTimeline(BaseModel):
    scenario: str
    start: dt.date
    end: dt.date
    scenario_date: dt.date
    rows: list[TimelineRow]
    changes: list[tuple[dt.date, str]] = Field(description="(date, rule id) where any row changes")
    rule_names: dict[str, str] = Field(default_factory=dict, description="rule id -> short name")
    hypothetical_from: dt.date | None = Field(
        default=None, description="when the regime's hypothetical rules start (None: it has none)")


def policy_timeline_chart(scenario: Scenario, project: Any = None, start: dt.date | None = None,
                          end: dt.date | None = None) -> PolicyTimeline:
    """Chart 6: which accelerator types the scenario's entity may use at each site over time."""
    from core.policy import policy_timeline

    start = start or dt.date(2022, 1, 1)
    end = end or max(scenario.date + dt.timedelta(days=365), dt.date(2026, 12, 31))
    regime = _regime(scenario, project)
    # hypothetical rules start when the scenario says (default: its date), not at the chart start
    hypo = [r for r in regime.rules if r.status == "hypothetical" or r.id in regime.hypothetical]
    hypo_from = scenario.policy.hypothetical_from or regime.hypothetical_from or scenario.date
    settings = scenario.policy.model_copy(update={"hypothetical_from": hypo_from})
    rows: list[TimelineRow] = []
    changes: dict[tuple[dt.date, str], None] = {}
    seen = set()
    for pool in scenario.fleet:
        chip = get_accelerator(pool.accelerator)
        key = (chip.id, pool.site.upper(), pool.access)
        if key in seen:
            continue
        seen.add(key)
        pts = policy_timeline(chip, pool.site, scenario.hq, pool.access, regime, start, end,
                              settings, acquired=pool.acquired, count=pool.count)
        spans = []
        for i, p in enumerate(pts):
            stop = pts[i + 1].date if i + 1 < len(pts) else end
            spans.append(TimelineSpan(start=p.date, end=stop, status=p.status, rule_id=p.rule_id))
            if i > 0:
                changes[(p.date, p.rule_id or "no rule")] = None
        rows.append(TimelineRow(accelerator=chip.id, site=pool.site, access=pool.access, spans=spans))
    names = {r.id: r.short for r in regime.rules}
    return PolicyTimeline(scenario=scenario.name, start=start, end=end, scenario_date=scenario.date,
                          rows=rows, changes=sorted(changes),
                          rule_names={rid: names.get(rid, rid) for _d, rid in changes},
                          hypothetical_from=hypo_from if hypo else None)


class PlanBreakdown(BaseModel):
    """Charts 4 and 5: memory per accelerator and step time of the chosen plan."""

    scenario: str
    option: str
    accelerator: str | None
    plan: str
    hypothetical: bool = Field(description="the option is not allowed or not chosen")
    memory: MemoryBreakdown | None
    step_time: StepTime | None


def plan_breakdown(result: ScenarioResult) -> PlanBreakdown:
    opt = result.best or (result.options[0] if result.options else None)
    est = opt.estimate if opt is not None else None
    return PlanBreakdown(
        scenario=result.scenario, option=opt.label if opt else "",
        accelerator=opt.accelerator if opt else None,
        plan=est.plan.label() if est is not None and est.plan is not None else "",
        hypothetical=result.best is None,
        memory=est.memory if est is not None else None,
        step_time=est.step_time if est is not None else None)


class ChartSet(BaseModel):
    """Everything the six charts of one scenario need, computed once (the sweep runs estimates,
    so the GUI builds this in a worker thread and the exporters reuse it)."""

    project: str
    marking: str
    index: int = Field(description="the scenario the per-scenario charts are about")
    scenarios: list[Scenario]
    results: list[ScenarioResult]
    time_vs_count: TimeVsCount
    cost: list[CostBar]
    comparison: list[ComparisonRow]
    plan: PlanBreakdown
    timeline: PolicyTimeline
    answers: AnswerCharts | None = Field(
        default=None, description="policy impact, tornado and frontier (core.answer_charts)")
    sweep: Sweep | None = Field(
        default=None, description="a one-way sweep the user asked for (core.sensitivity."
                                  "sweep_range): the window's Sweep chart, not computed here")

    @property
    def scenario(self) -> Scenario:
        return self.scenarios[self.index]

    @property
    def result(self) -> ScenarioResult:
        return self.results[self.index]


def chart_set(project: Any, index: int = 0, known: Mapping[str, ScenarioResult] | None = None,
              answers: bool = True) -> ChartSet:
    """Evaluate every scenario of ``project`` and gather the data of every chart for scenario
    ``index`` (the answer charts only with ``answers``: they re-evaluate the scenario a few
    dozen times). ``known`` results are reused only under their ``result_key`` for this
    project, so a result computed before a regime edit can never stand in for a fresh one."""
    from core.scenario_eval import evaluate_scenario, result_keys

    scenarios = list(project.scenarios)
    hits = [known.get(k) for k in result_keys(project)] if known else [None] * len(scenarios)
    done = [hit if hit is not None else evaluate_scenario(s, project)
            for s, hit in zip(scenarios, hits, strict=True)]
    scenario, result = scenarios[index], done[index]
    return ChartSet(project=project.name, marking=getattr(project, "marking", "") or "",
                    index=index, scenarios=scenarios, results=done,
                    time_vs_count=time_vs_count(scenario, project, result),
                    cost=cost_breakdown(scenarios, done), comparison=comparison(scenarios, done),
                    plan=plan_breakdown(result), timeline=policy_timeline_chart(scenario, project),
                    answers=answer_charts(scenario, project) if answers else None)
