"""Answers instead of estimates: "how many chips to finish by the deadline", "when must they
start", "how much compute by that date", "which compliant route is cheapest".

Every answer is checked by evaluating it: the returned count meets the target and one fewer
does not; the latest start plus the run's days lands on the deadline. The count search relies
on days never rising when chips are added (the planner runs the best plan of any smaller fleet
with the rest idle); the check below catches it if that were ever violated.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal

from pydantic import BaseModel, Field

from core.catalog import Accelerator
from core.errors import InputError
from core.estimate import EstimateResult, Plan, estimate
from core.model import ModelSpec
from core.training import PhysicsOptions, TrainingSpec
from core.uncertainty import Z90

MAX_COUNT = 1_000_000  # the largest fleet searched


class CountAnswer(BaseModel):
    """``chokepoint solve --json`` (stable keys)."""

    accelerator: str
    deadline_days: float
    confidence: Literal["p50", "p90"]
    target_days: float = Field(description="point-estimate days the count must reach: the "
                               "deadline, or for p90 the deadline shrunk by the efficiency spread")
    min_count: int | None
    wall_clock_days: float | None = None
    gpu_hours: float | None = None
    plan: Plan | None = None
    days_with_one_fewer: float | None = Field(
        default=None, description="the check: days with min_count - 1 chips (above the target)")
    largest_count_searched: int
    days_at_largest: float | None = None
    reason: str | None = None
    evaluations: int = 0


def _days(est: EstimateResult) -> float:
    return est.wall_clock_days if est.wall_clock_days is not None else math.inf


def min_count_for_deadline(
    model: ModelSpec,
    training: TrainingSpec,
    chip: Accelerator,
    deadline_days: float,
    physics: PhysicsOptions | None = None,
    confidence: Literal["p50", "p90"] = "p50",
    sigma: float = 0.0,
    max_count: int = MAX_COUNT,
) -> CountAnswer:
    """The smallest number of ``chip`` whose estimate finishes within ``deadline_days`` (at the
    P50, or at the P90 of the efficiency spread ``sigma``)."""
    if not deadline_days > 0 or not math.isfinite(deadline_days):
        raise InputError("deadline_days", f"must be a positive number of days, got {deadline_days}")
    physics = physics or PhysicsOptions()
    target = deadline_days / math.exp(Z90 * sigma) if confidence == "p90" else deadline_days
    cache: dict[int, EstimateResult] = {}

    def at(n: int) -> EstimateResult:
        if n not in cache:
            cache[n] = estimate(model, training, chip, n, physics, keep=0)
        return cache[n]

    def meets(n: int) -> bool:
        return _days(at(n)) <= target

    # No plan beats the chips' peak: below this many chips the target cannot be met at all, so
    # the search starts there (the answer is still checked below: N meets, N - 1 does not).
    floor = compute_floor(model, training, chip, target)
    # exponential search for a count that meets the target, then bisection below it
    hi = max(1, min(floor, max_count))
    while not meets(hi):
        if hi >= max_count:
            largest = at(max_count)
            days = _days(largest)
            shown = "no feasible plan" if math.isinf(days) else f"{days:,.0f} days"
            return CountAnswer(
                accelerator=chip.id, deadline_days=deadline_days, confidence=confidence,
                target_days=target, min_count=None, largest_count_searched=max_count,
                days_at_largest=None if math.isinf(days) else days, evaluations=len(cache),
                reason=(f"even {max_count:,} × {chip.id} take {shown}; the deadline needs "
                        f"{target:,.0f} days" + (" at the P90" if confidence == "p90" else "")
                        + (f" ({largest.reasons[0]})" if largest.reasons else "")))
        hi = min(hi * 2, max_count)
    lo = max(hi // 2, floor - 1) if hi > floor else max(0, floor - 1)  # known or bound to fail
    lo = min(lo, hi - 1)
    while hi - lo > 1:  # bisection: lo fails (or is below the floor), hi meets
        mid = (lo + hi) // 2
        if meets(mid):
            hi = mid
        else:
            lo = mid
    # the check: one fewer must miss; should days ever rise with chips, walk down
    while hi > 1 and meets(hi - 1):
        hi -= 1
    best = at(hi)
    fewer = at(hi - 1) if hi > 1 else None
    return CountAnswer(
        accelerator=chip.id, deadline_days=deadline_days, confidence=confidence, target_days=target,
        min_count=hi, wall_clock_days=best.wall_clock_days, gpu_hours=best.gpu_hours,
        plan=best.plan, days_with_one_fewer=None if fewer is None else
        (None if math.isinf(_days(fewer)) else _days(fewer)),
        largest_count_searched=max_count, evaluations=len(cache))


def compute_floor(model: ModelSpec, training: TrainingSpec, chip: Accelerator,
                  target_days: float) -> int:
    """Chips below which ``target_days`` is out of reach even at the chips' peak throughput
    (FP8 peak for an FP8 run where the chip has it): a lower bound, never the answer."""
    precision = training.precision if training.precision == "bf16" or chip.supports_fp8 else "bf16"
    flops = model.training_flops_per_token(training.seq_len) * training.tokens
    per_chip = chip.peak_tflops(precision) * 1e12 * target_days * 86400.0
    return max(1, math.floor(flops / per_chip))


def latest_start(deadline: dt.date, days: float) -> dt.date:
    """The last start date that still finishes by ``deadline`` (whole days, rounded up)."""
    return deadline - dt.timedelta(days=math.ceil(days - 1e-9))


def reachable_compute(est: EstimateResult, deadline_days: float) -> dict[str, float] | None:
    """Training tokens and FLOPs the fleet of ``est`` gets through in ``deadline_days``, at the
    estimate's plan and global batch (the run is linear in tokens at a fixed plan)."""
    if est.wall_clock_days is None or est.wall_clock_days <= 0:
        return None
    share = deadline_days / est.wall_clock_days
    return {"tokens": est.tokens * share, "training_flops": est.training_flops * share}


# ---- project scenarios ---------------------------------------------------------------------


def solve_scenario(scenario: Any, project: Any = None, deadline_days: float | None = None,
                   budget_usd: float | None = None, confidence: Literal["p50", "p90"] = "p50",
                   max_count: int = MAX_COUNT) -> dict[str, Any]:
    """Every answer for a project scenario, as the JSON of ``chokepoint solve PROJECT.json``."""
    from core.catalog import get_accelerator
    from core.scenario_eval import evaluate_scenario
    from core.uncertainty import efficiency_sigma

    deadline = deadline_days or scenario.constraints.deadline_days
    budget = budget_usd or scenario.constraints.budget_usd
    result = evaluate_scenario(scenario, project)
    out: dict[str, Any] = {"scenario": scenario.name, "start": scenario.date.isoformat(),
                           "deadline_days": deadline, "budget_usd": budget,
                           "verdict": result.verdict, "options": []}
    if deadline is None:
        out["reason"] = "the scenario has no deadline: set constraints.deadline_days or --deadline"
    meeting: list[dict[str, Any]] = []
    for i, option in enumerate(result.options):
        row: dict[str, Any] = {"option": option.label, "accelerator": option.accelerator,
                               "site": option.site, "policy_status": option.policy_status,
                               "held": option.usable_count, "wall_clock_days": option.wall_clock_days,
                               "cost_usd": option.cost_usd}
        if deadline is not None and option.policy_status != "blocked":
            chip = get_accelerator(option.accelerator)
            sigma, _ = efficiency_sigma(chip.id, getattr(scenario.physics, "maturity", None))
            answer = min_count_for_deadline(scenario.model, scenario.training, chip, deadline,
                                            scenario.physics, confidence, sigma, max_count)
            row["min_count"] = answer.min_count
            row["min_count_days"] = answer.wall_clock_days
            row["reason"] = answer.reason
            row["holds_enough"] = answer.min_count is not None and \
                answer.min_count <= option.usable_count
            if option.wall_clock_days is not None:
                row["meets_deadline_as_held"] = option.wall_clock_days <= deadline
                row["latest_start"] = latest_start(scenario.date + dt.timedelta(days=deadline),
                                                   option.wall_clock_days).isoformat()
                if option.estimate is not None:
                    row["reachable_by_deadline"] = reachable_compute(option.estimate, deadline)
                ok_budget = budget is None or (option.cost_usd is not None
                                               and option.cost_usd <= budget)
                if option.wall_clock_days <= deadline and ok_budget \
                        and option.policy_status == "usable":
                    meeting.append({"index": i, **row})
        out["options"].append(row)
    if deadline is not None:
        priced = [m for m in meeting if m["cost_usd"] is not None]
        if priced:
            cheapest = min(priced, key=lambda m: m["cost_usd"])
            out["cheapest_meeting"] = cheapest["option"]
        elif meeting:
            out["cheapest_meeting"] = meeting[0]["option"]
            out["cheapest_note"] = "no option that meets the deadline has a price"
        else:
            out["cheapest_meeting"] = None
            out["reason"] = _why_none(out["options"], deadline)
    return out


def _why_none(rows: list[dict[str, Any]], deadline: float) -> str:
    usable = [r for r in rows if r["policy_status"] == "usable"]
    unknown = [r for r in rows if r["policy_status"] == "unknown"]
    if not usable:
        if unknown:  # not counted as usable: the rule that decides has no sourced status
            return (f"no option is usable under the policy; {unknown[0]['option']} rests on a rule whose "
                    "status is not sourced (status unknown)")
        return "no option is usable under the policy"
    fastest = min((r for r in usable if r.get("wall_clock_days") is not None),
                  key=lambda r: r["wall_clock_days"], default=None)
    if fastest is None:
        return "no usable option has a feasible plan"
    need = fastest.get("min_count")
    more = (f"; {need:,} × {fastest['accelerator']} would" if need else "")
    return (f"the fastest compliant option, {fastest['option']}, takes "
            f"{fastest['wall_clock_days']:,.0f} days; the deadline is {deadline:,.0f} days{more}")
