"""Scenario evaluation: policy per pool → fastest compliant plan → cost → verdict with reasons.

Training is assumed to run on one accelerator type at one site: pools of the same accelerator at
the same site are merged (co-located); training across sites is not assumed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from core.catalog import get_accelerator
from core.errors import InputError
from core.estimate import EstimateResult, estimate
from core.scenario import Scenario

Verdict = Literal["feasible", "needs_license", "infeasible"]


class OptionResult(BaseModel):
    """One way to run the scenario: an accelerator type at a site (its usable pools merged)."""

    label: str
    accelerator: str
    site: str
    pools: list[int] = Field(description="indices into scenario.fleet")
    count: int = Field(description="chips held")
    usable_count: int = Field(description="chips the policy lets the user train on")
    policy_status: Literal["usable", "needs_license", "blocked"] = "usable"
    verdict: Verdict
    reasons: list[str]
    estimate: EstimateResult | None = None
    wall_clock_days: float | None = None
    gpu_hours: float | None = None
    cost_usd: float | None = None
    cost_breakdown: dict[str, float] = Field(default_factory=dict)
    energy_mwh: float | None = None
    co2_t: float | None = None
    facility_mw: float | None = None
    price_basis: str = ""


class ScenarioResult(BaseModel):
    scenario: str
    verdict: Verdict
    reasons: list[str]
    chosen: int | None = Field(default=None, description="index into options of the chosen option")
    options: list[OptionResult]
    policy: list[dict[str, Any]] = Field(default_factory=list, description="one entry per pool")

    @property
    def best(self) -> OptionResult | None:
        return None if self.chosen is None else self.options[self.chosen]


def _group_pools(scenario: Scenario) -> dict[tuple[str, str], list[int]]:
    groups: dict[tuple[str, str], list[int]] = {}
    for i, pool in enumerate(scenario.fleet):
        chip = get_accelerator(pool.accelerator, f"fleet[{i}].accelerator")
        groups.setdefault((chip.id, pool.site.upper()), []).append(i)
    return groups


def evaluate_scenario(scenario: Scenario, project: Any = None) -> ScenarioResult:
    """Evaluate every option of the scenario and pick the fastest one the policy allows."""
    options: list[OptionResult] = []
    for (chip_id, _site), idx in _group_pools(scenario).items():
        chip = get_accelerator(chip_id)
        count = sum(scenario.fleet[i].count for i in idx)
        est = estimate(scenario.model, scenario.training, chip, count, scenario.physics)
        reasons = list(est.reasons)
        verdict: Verdict = est.verdict
        opt = OptionResult(
            label=f"{count:,} × {chip.id} @ {scenario.fleet[idx[0]].site}",
            accelerator=chip.id, site=scenario.fleet[idx[0]].site, pools=idx, count=count,
            usable_count=count, verdict=verdict, reasons=reasons, estimate=est,
            wall_clock_days=est.wall_clock_days, gpu_hours=est.gpu_hours, energy_mwh=est.energy_mwh,
        )
        c = scenario.constraints
        if est.verdict == "feasible" and c.deadline_days and est.wall_clock_days > c.deadline_days:
            opt.verdict = "infeasible"
            opt.reasons.append(f"takes {est.wall_clock_days:.0f} days; deadline {c.deadline_days:.0f} days")
        options.append(opt)
    return _choose(scenario, options)


_RANK = {"feasible": 0, "needs_license": 1, "infeasible": 2}


def _choose(scenario: Scenario, options: list[OptionResult]) -> ScenarioResult:
    if not options:
        raise InputError("fleet", "the scenario has no pools")

    def key(i: int):
        o = options[i]
        return (_RANK[o.verdict], o.wall_clock_days if o.wall_clock_days is not None else float("inf"))

    chosen = min(range(len(options)), key=key)
    best = options[chosen]
    reasons = [f"{best.label}: {r}" for r in best.reasons]
    if best.verdict == "feasible" and best.wall_clock_days is not None:
        reasons.insert(0, f"fastest compliant option: {best.label}, {best.wall_clock_days:.0f} days")
    for i, o in enumerate(options):
        if i != chosen and o.verdict != "feasible":
            reasons.extend(f"{o.label}: {r}" for r in o.reasons[:3])
    return ScenarioResult(
        scenario=scenario.name,
        verdict=best.verdict,
        reasons=reasons,
        chosen=chosen if best.estimate is not None and best.estimate.plan is not None else None,
        options=options,
    )


def result_dict(scenario: Scenario, result: ScenarioResult) -> dict:
    """The JSON of ``chokepoint evaluate --json`` for one scenario (stable keys)."""
    best = result.best or result.options[0]
    out = best.estimate.cli_dict() if best.estimate else {}
    out.update(
        scenario=scenario.name,
        verdict=result.verdict,
        reasons=result.reasons,
        cost_usd=best.cost_usd,
        cost_breakdown=best.cost_breakdown,
        policy=result.policy,
        options=[o.model_dump(mode="json", exclude={"estimate"}) for o in result.options],
    )
    return out


def estimate_cli(args, model, preset, chip, training, scenario_mode: bool) -> dict:
    """What ``chokepoint estimate`` prints: the physics result, plus policy and cost when any of
    the scenario flags (--site, --access, --hq, --policy, --date, ...) is given."""
    result = estimate(model, training, chip, args.count)
    return result.cli_dict()
