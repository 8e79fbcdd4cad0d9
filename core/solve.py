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
from core.uncertainty import days_factors

MAX_COUNT = 1_000_000  # the largest fleet searched


class CountAnswer(BaseModel):
    """``chokepoint solve --json`` (stable keys)."""

    accelerator: str
    deadline_days: float
    confidence: Literal["p50", "p90"]
    target_days: float = Field(description="point-estimate days the count must reach: the "
                               "deadline, or for p90 the deadline divided by p90_days_factor")
    p90_days_factor: float | None = Field(
        default=None, description="for p90: P90 days / point days (core.uncertainty."
        "days_band_factors: efficiency spread, token and active-parameter ranges)")
    min_count: int | None
    wall_clock_days: float | None = None
    gpu_hours: float | None = None
    plan: Plan | None = None
    days_with_one_fewer: float | None = Field(
        default=None, description="the check: days with min_count - 1 chips (above the target)")
    wall_clock_days_p90: float | None = Field(
        default=None, description="for p90: the P90 days of min_count (within the deadline)")
    days_with_one_fewer_p90: float | None = Field(
        default=None, description="for p90: the P90 days of min_count - 1 (past the deadline)")
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
    sigma: float | None = None,
    max_count: int = MAX_COUNT,
    p90_factor: float | None = None,
) -> CountAnswer:
    """The smallest number of ``chip`` whose estimate finishes within ``deadline_days`` (at the
    P50, or at the P90: its days × ``p90_factor``, by default ``p90_days_factor`` of the
    efficiency spread (``sigma`` overrides the chip family's) and the training's token and the
    model's active-parameter ranges)."""
    if not deadline_days > 0 or not math.isfinite(deadline_days):
        raise InputError("deadline_days", f"must be a positive number of days, got {deadline_days}")
    physics = physics or PhysicsOptions()
    factor = None
    if confidence == "p90":
        factor = p90_factor or p90_days_factor(model, training, physics, chip.id, sigma)
    target = deadline_days / factor if factor else deadline_days
    cache: dict[int, EstimateResult] = {}

    def at(n: int) -> EstimateResult:
        if n not in cache:
            # the default ``keep``, as core.scenario_eval asks: the memo serves both
            cache[n] = estimate(model, training, chip, n, physics)
        return cache[n]

    def meets(n: int) -> bool:
        return _days(at(n)) <= target

    # No plan beats the chips' peak: below this many chips the target cannot be met at all, so
    # the search starts there (the answer is still checked below: N meets, N - 1 does not).
    floor = compute_floor(model, training, chip, target)
    # From the floor: a first guess in proportion to the days there (days fall about as 1/chips;
    # 2 % over), then doubling; then a bisection below the count that meets. Counts below a
    # plan's chips_used run the same plan (the planner can idle chips, and days never rise with
    # chips), so a count that meets lets the bisection jump to the chips its plan uses.
    lo = max(0, floor - 1)  # below the floor: bound to fail
    hi = max(1, min(floor, max_count))
    proportional = True
    while not meets(hi):
        if hi >= max_count:
            largest = at(max_count)
            days = _days(largest)
            shown = "no feasible plan" if math.isinf(days) else f"{days:,.0f} days"
            return CountAnswer(
                accelerator=chip.id, deadline_days=deadline_days, confidence=confidence,
                target_days=target, p90_days_factor=factor, min_count=None, largest_count_searched=max_count,
                days_at_largest=None if math.isinf(days) else days, evaluations=len(cache),
                reason=(f"even {max_count:,} × {chip.id} take {shown}; the deadline needs "
                        f"{target:,.0f} days" + (_p90_words(factor) if factor else "")
                        + (f" ({largest.reasons[0]})" if largest.reasons else "")))
        lo = hi
        days = _days(at(hi))
        step = hi * 2
        if proportional and math.isfinite(days):
            step = max(hi + 1, math.ceil(hi * days / target * 1.02))
            proportional = False  # once: a guess that fails again means doubling from here
        hi = min(step, max_count)

    def used(n: int) -> int:
        plan = at(n).plan
        return n if plan is None else max(1, min(n, plan.chips_used))

    hi = used(hi)
    probe = math.floor(hi / 1.03)  # usually the answer is within 3 % below the first hit
    if lo < probe < hi:
        if meets(probe):
            hi = used(probe)
        else:
            lo = probe
    # lo fails (or is below the floor), hi meets. Throughput (1 / days) is close to linear in
    # chips, so the next count is interpolated on it between lo and hi; a plain bisection step
    # follows any interpolation that did not halve the bracket (plans change in steps).
    interpolate = True
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if interpolate and lo in cache:
            d_lo, d_hi = _days(cache[lo]), _days(at(hi))
            if math.isfinite(d_lo) and math.isfinite(d_hi) and d_lo > d_hi:
                share = (1 / target - 1 / d_lo) / (1 / d_hi - 1 / d_lo)
                mid = min(hi - 1, max(lo + 1, math.ceil(lo + share * (hi - lo))))
        width = hi - lo
        if meets(mid):
            hi = used(mid)
        else:
            lo = mid
        interpolate = not interpolate or (hi - lo) * 2 <= width
    # the check: one fewer must miss; should days ever rise with chips, walk down
    while hi > 1 and meets(hi - 1):
        hi -= 1
    best = at(hi)
    fewer = at(hi - 1) if hi > 1 else None
    fewer_days = None if fewer is None or math.isinf(_days(fewer)) else _days(fewer)
    return CountAnswer(
        accelerator=chip.id, deadline_days=deadline_days, confidence=confidence, target_days=target,
        p90_days_factor=factor, min_count=hi, wall_clock_days=best.wall_clock_days,
        gpu_hours=best.gpu_hours, plan=best.plan, days_with_one_fewer=fewer_days,
        wall_clock_days_p90=None if factor is None or best.wall_clock_days is None
        else best.wall_clock_days * factor,
        days_with_one_fewer_p90=None if factor is None or fewer_days is None
        else fewer_days * factor,
        largest_count_searched=max_count, evaluations=len(cache))


def p90_days_factor(model: ModelSpec, training: TrainingSpec, physics: PhysicsOptions | None,
                    chip_id: str, sigma: float | None = None) -> float:
    """P90 days / point days: the one definition of "P90 days" the solver uses (the upper edge
    of the window's time-vs-count band, core.uncertainty.days_band_factors): the efficiency
    spread of the chip family and stack, and the token and active-parameter ranges where the
    scenario marks them uncertain. The factor does not depend on the chip count."""
    return days_factors(model, training, physics or PhysicsOptions(), chip_id, sigma)[1]


def _p90_words(factor: float) -> str:
    return f" as a point estimate (its P90 is ×{factor:.2f})"


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


# ---- searches verified by evaluation ---------------------------------------------------------


def smallest_meeting(meets: Any, guess: int, max_count: int) -> tuple[int | None, int]:
    """The smallest count ``n`` (1..max_count) with ``meets(n)`` whose ``n - 1`` does not meet,
    starting from ``guess``; both sides are evaluated (``meets(0)`` is taken as false). Returns
    ``(n or None, the largest count tried)``."""
    guess = max(1, min(guess, max_count))
    if meets(guess):
        hi, step = guess, 1
        lo = hi - 1
        while lo > 0 and meets(lo):  # walk down, doubling the step, to a count that fails
            hi, step = lo, step * 2
            lo = max(0, hi - step)
    else:
        lo, hi = guess, min(guess * 2, max_count)
        while not meets(hi):
            if hi >= max_count:
                return None, max_count
            lo, hi = hi, min(hi * 2, max_count)
    while hi - lo > 1:  # lo fails (or is 0), hi meets
        mid = (lo + hi) // 2
        if meets(mid):
            hi = mid
        else:
            lo = mid
    return hi, hi


def largest_within(ok: Any, start: int, max_count: int) -> int | None:
    """The largest count ``n`` with ``ok(n)`` and not ``ok(n + 1)`` (or ``n == max_count``),
    searching up from ``start`` (or down from it when ``start`` fails); None if ``ok(1)`` fails.
    Where ``ok`` is not monotonic the answer is a boundary the search met, still checked on both
    sides."""
    start = max(1, min(start, max_count))
    if ok(start):
        lo, hi = start, min(start * 2, max_count + 1)
        while hi <= max_count and ok(hi):
            lo, hi = hi, min(hi * 2, max_count + 1)
    else:  # halve down to a count within it (a count too small for any plan is not)
        hi, lo = start, start // 2
        while lo >= 1 and not ok(lo):
            hi, lo = lo, lo // 2
        if lo < 1:
            return None
    while True:
        while hi - lo > 1:  # lo ok, hi not (or beyond the search)
            mid = (lo + hi) // 2
            if ok(mid):
                lo = mid
            else:
                hi = mid
        if lo >= max_count or not ok(lo + 1):
            return lo
        lo += 1  # not monotonic: one more chip is still within it, carry on above


def largest_tokens(meets_days: Any, target: float, guess: float, cap: float = 1e16,
                   step: float = 1.01) -> tuple[float | None, float | None]:
    """The largest token count whose run (``meets_days(tokens)`` → days) finishes within
    ``target`` days such that ``step`` × it does not: returns ``(tokens, tokens × step)``, both
    evaluated; ``(None, None)`` when none is found. Days are close to linear in tokens (not
    exactly: plans and goodput change with the run), so a secant step from each evaluation
    usually lands within two or three; a bisection finishes it otherwise."""
    def meets(t: float) -> bool:
        return meets_days(t) <= target

    t = min(max(guess, 1.0), cap)
    lo: float | None = None
    hi: float | None = None
    for _ in range(6):  # secant steps, aiming just below the target
        d = meets_days(t)
        if not math.isfinite(d) or d <= 0:
            break
        if d <= target:
            lo = t if lo is None else max(lo, t)
            more = t * step
            if more > cap:
                return t, more
            d_more = meets_days(more)
            if d_more > target:
                return t, more
            lo = more
            t = min(cap, more * target / d_more * 0.999)
            if t <= more:
                t = more * step
        else:
            hi = t if hi is None else min(hi, t)
            t = t * target / d * 0.999
        if lo is not None and hi is not None:
            break
    if lo is None:  # bisection needs a run that meets: shrink until one does
        lo = t
        while not meets(lo):
            lo /= 2
            if lo < guess * 1e-6:
                return None, None
    if hi is None:
        hi = lo * 2
        while hi <= cap and meets(hi):
            lo, hi = hi, hi * 2
        if hi > cap:
            hi = cap * step
    while True:
        while hi / lo > step:
            mid = math.sqrt(lo * hi)
            if meets(mid):
                lo = mid
            else:
                hi = mid
        more = lo * step
        if more > cap or not meets(more):
            return lo, more
        lo = more


# ---- project scenarios ---------------------------------------------------------------------


class _OptionProbe:
    """One option of a scenario, evaluated (``evaluate_scenario``, the whole fleet so fleet-wide
    policy caps still see every pool) with its pools at another count, start date or token
    count. The figures come from the option of the result with the same chip, site and policy
    status; None when the policy no longer gives it that status (e.g. a rule in force by then)."""

    def __init__(self, scenario: Any, project: Any, option: Any, alone: bool = False):
        constraints = scenario.constraints.model_copy(update={"deadline_days": None,
                                                              "budget_usd": None})
        update: dict[str, Any] = {"constraints": constraints}
        self.pools = list(option.pools)
        if alone:  # no fleet-wide cap reaches these pools: the other pools cannot change them
            update["fleet"] = [scenario.fleet[i] for i in option.pools]
            self.pools = list(range(len(option.pools)))
        self.base = scenario.model_copy(update=update)
        self.project, self.option = project, option
        self.held = sum(scenario.fleet[i].count for i in option.pools)
        self._cache: dict[tuple[Any, ...], Any] = {(None, None, None): option}

    def at(self, count: int | None = None, date: dt.date | None = None,
           tokens: float | None = None) -> Any:
        key = (count, date, tokens)
        if key not in self._cache:
            self._cache[key] = self._evaluate(count, date, tokens)
        return self._cache[key]

    def _evaluate(self, count: int | None, date: dt.date | None, tokens: float | None) -> Any:
        from core.scenario_eval import evaluate_scenario

        s = self.base
        update: dict[str, Any] = {}
        if count is not None and count != self.held:
            fleet = list(s.fleet)
            pools = self.pools
            left = count
            for k, i in enumerate(pools):  # the count shared in proportion to what each pool holds
                n = left if k == len(pools) - 1 else min(left, round(count * fleet[i].count / self.held))
                left -= n
                fleet[i] = fleet[i].model_copy(update={"count": n})
            keep = [p for p in fleet if p.count > 0]
            if len(keep) != len(fleet):
                return None  # fewer chips than pools: not this option any more
            update["fleet"] = fleet
        if date is not None:
            update["date"] = date
        if tokens is not None:
            update["training"] = s.training.model_copy(
                update={"tokens": tokens, "tokens_low": None, "tokens_high": None})
        if update:
            s = s.model_copy(update=update)
        result = evaluate_scenario(s, self.project)
        o = self.option
        for opt in result.options:
            if (opt.accelerator, opt.site, opt.policy_status) == (o.accelerator, o.site,
                                                                   o.policy_status):
                return opt
        return None

    def days(self, **kw: Any) -> float:
        opt = self.at(**kw)
        return math.inf if opt is None or opt.wall_clock_days is None else opt.wall_clock_days

    def cost(self, **kw: Any) -> float:
        opt = self.at(**kw)
        return math.inf if opt is None or opt.cost_usd is None else opt.cost_usd


def _option_chip(scenario: Any, option: Any) -> Accelerator:
    from core.catalog import get_accelerator

    chip = get_accelerator(option.accelerator)
    networks = [n for n in (scenario.fleet[i].network_gbs for i in option.pools) if n is not None]
    if networks:  # as core.scenario_eval does for co-located pools (same text: same memo key)
        from core.scenario_eval import _pool_label

        chip = chip.with_figures(f"scenario input: {_pool_label(option.pools, scenario)}",
                                 scaleout_gbs=min(networks))
    return chip


def _latest_start(probe: _OptionProbe, start: dt.date, end: dt.date, factor: float = 1.0
                  ) -> dict[str, Any]:
    """The latest start date whose evaluation (the policy at that date too) still finishes by
    ``end``: the arithmetic date checked, then a bisection over days if a rule in force by then
    takes the option away. The run's days are its point days × ``factor`` (P90 days / point
    days at the P90, 1 at the P50)."""
    def meets(d: dt.date) -> bool:
        days = probe.days(date=d) * factor
        return math.isfinite(days) and (end - d).days >= days - 1e-9

    days0 = probe.days()
    if not math.isfinite(days0):
        return {"latest_start": None, "latest_start_note": "no feasible plan as held"}
    guess = end - dt.timedelta(days=math.ceil(days0 * factor - 1e-9))
    out: dict[str, Any] = {}
    if meets(guess):
        d = guess
        while meets(d + dt.timedelta(days=1)):  # should the run be shorter later on
            d += dt.timedelta(days=1)
    elif guess > start and meets(start):  # the policy changes in between: bisect over days
        lo, hi = start, guess
        while (hi - lo).days > 1:
            mid = lo + dt.timedelta(days=(hi - lo).days // 2)
            if meets(mid):
                lo = mid
            else:
                hi = mid
        d = lo
        out["latest_start_note"] = (f"the policy at {guess.isoformat()} does not allow it: the "
                                    f"latest start is the last usable date before then")
    else:
        opt = probe.at(date=guess)
        why = "not allowed by the policy then" if opt is None else "does not finish in time"
        return {"latest_start": None,
                "latest_start_note": f"starting {guess.isoformat()}: {why}"}
    out["latest_start"] = d.isoformat()
    out["latest_start_days"] = probe.days(date=d)
    out["one_day_later_meets"] = meets(d + dt.timedelta(days=1))
    return out


def _reachable(probe: _OptionProbe, target: float, model: Any, training: Any,
               chip: Accelerator | None = None, physics: Any = None) -> dict[str, Any] | None:
    """Tokens (and FLOPs) the option as held gets through in ``target`` days, found by
    evaluating runs of other token counts (plan and goodput re-worked each time): the run with
    these tokens finishes in time and one with 1 % more does not."""
    days0 = probe.days()
    if not math.isfinite(days0) or days0 <= 0:
        return None
    guess = training.tokens * target / days0
    if chip is not None and probe.option.estimate is not None:
        # a first pass on the option's estimate alone (no policy or cost), memoised so the
        # evaluations below find its plan searches done
        from core.estimate import estimate

        def physics_days(t: float) -> float:
            tr = training.model_copy(update={"tokens": t, "tokens_low": None, "tokens_high": None})
            est = estimate(model, tr, chip, probe.option.usable_count, physics)
            return math.inf if est.wall_clock_days is None else est.wall_clock_days

        first, _ = largest_tokens(physics_days, target, guess)
        guess = first or guess
    tokens, more = largest_tokens(lambda t: probe.days(tokens=t), target, guess)
    if tokens is None or more is None:
        return None
    per_token = model.training_flops_per_token(training.seq_len)
    return {"tokens": tokens, "training_flops": tokens * per_token,
            "days": probe.days(tokens=tokens), "days_with_1pct_more": probe.days(tokens=more)}


def goal_tokens(model: Any, training: Any, target_flops: float | None,
                target_tokens: float | None) -> float | None:
    """The token count of a FLOP target (or the token target itself)."""
    if target_flops is not None and target_tokens is not None:
        raise InputError("--target-flops", "give --target-flops or --target-tokens, not both")
    if target_flops is not None:
        if not target_flops > 0 or not math.isfinite(target_flops):
            raise InputError("--target-flops", f"must be a positive number, got {target_flops}")
        tokens = target_flops / model.training_flops_per_token(training.seq_len)
        if tokens > 1e16:
            raise InputError("--target-flops", f"{target_flops:.3g} FLOP is {tokens:.3g} tokens of "
                             "this model, above the 1e16 tokens a run may have")
        return tokens
    if target_tokens is not None and not (0 < target_tokens <= 1e16):
        raise InputError("--target-tokens", "must be between 0 and 1e16 tokens")
    return target_tokens


def solve_scenario(scenario: Any, project: Any = None, deadline_days: float | None = None,
                   budget_usd: float | None = None, confidence: Literal["p50", "p90"] = "p50",
                   max_count: int = MAX_COUNT, target_flops: float | None = None,
                   target_tokens: float | None = None) -> dict[str, Any]:
    """Every answer for a project scenario, as the JSON of ``chokepoint solve PROJECT.json``.

    Per option the policy allows (not blocked): with a deadline, the smallest count that meets it
    (N meets, N − 1 does not, both evaluated), its days, cost and plan; the latest start (checked
    by evaluating the scenario started then, and the day after); the compute reachable by the
    deadline as held (the run with those tokens finishes, 1 % more does not). With a budget, the
    largest count that stays within it (one more chip exceeds it) and the days it gives. The
    cheapest usable option meeting the deadline (and budget) at its smallest sufficient count."""
    from core.scenario_eval import evaluate_scenario
    from core.uncertainty import days_band_factors

    deadline = deadline_days or scenario.constraints.deadline_days
    budget = budget_usd or scenario.constraints.budget_usd
    result = evaluate_scenario(scenario, project)
    goal = goal_tokens(scenario.model, scenario.training, target_flops, target_tokens)
    out: dict[str, Any] = {"scenario": scenario.name, "start": scenario.date.isoformat(),
                           "deadline_days": deadline, "budget_usd": budget,
                           "confidence": confidence, "verdict": result.verdict, "options": []}
    if deadline is None and budget is None:
        out["reason"] = ("the scenario has no deadline or budget: set constraints.deadline_days "
                         "or budget_usd, or --deadline / --budget")
    end = scenario.date + dt.timedelta(days=deadline) if deadline is not None else None
    if end is not None:
        out["deadline"] = end.isoformat()
    meeting: list[dict[str, Any]] = []
    capped = _capped_pools(scenario, project, result)
    for i, option in enumerate(result.options):
        row: dict[str, Any] = {"option": option.label, "accelerator": option.accelerator,
                               "site": option.site, "policy_status": option.policy_status,
                               "held": option.usable_count, "wall_clock_days": option.wall_clock_days,
                               "cost_usd": option.cost_usd}
        out["options"].append(row)
        if option.policy_status == "blocked" or (deadline is None and budget is None):
            continue
        probe = _OptionProbe(scenario, project, option, alone=not capped)
        held = probe.held
        chip = _option_chip(scenario, option)
        # P90 days = point days × factor, the factor of the window's band (one definition)
        factor = days_band_factors(scenario, chip.id)[1] if confidence == "p90" else 1.0
        if confidence == "p90":
            row["p90_days_factor"] = factor
            row["wall_clock_days_p90"] = None if option.wall_clock_days is None else \
                option.wall_clock_days * factor
        target = None
        if deadline is not None:
            target = deadline / factor
            _deadline_answers(row, probe, scenario, chip, deadline, target, end, confidence,
                              factor, max_count)
        if budget is not None:
            _budget_answers(row, probe, budget, held, max_count, factor)
        if goal is not None:
            row["target"] = _target_answers(probe, scenario, goal, target, max_count, held,
                                            factor)
        if option.policy_status != "usable" or deadline is None:
            if deadline is None and budget is not None and option.policy_status == "usable" \
                    and row.get("budget_max_count") is not None:
                meeting.append({"index": i, **row})
            continue
        n = row.get("min_count")
        cost_key = "min_count_cost_usd_p90" if confidence == "p90" else "min_count_cost_usd"
        if n is not None and (budget is None or (row.get(cost_key) is not None
                                                 and row[cost_key] <= budget)):
            meeting.append({"index": i, **row})
    if goal is not None:
        out["target"] = _target_summary(goal, scenario, out["options"], end)
    if deadline is None:
        if budget is not None:
            fastest = min(meeting, key=lambda m: m["budget_max_count_days"], default=None)
            out["fastest_within_budget"] = None if fastest is None else fastest["option"]
            if fastest is not None:
                out["fastest_within_budget_count"] = fastest["budget_max_count"]
                out["fastest_within_budget_days"] = fastest["budget_max_count_days"]
                out["fastest_within_budget_cost_usd"] = fastest["budget_max_count_cost_usd"]
                if confidence == "p90":
                    out["fastest_within_budget_days_p90"] = fastest["budget_max_count_days_p90"]
                    out["fastest_within_budget_cost_usd_p90"] = \
                        fastest["budget_max_count_cost_usd_p90"]
            else:
                out["reason"] = _why_none_budget(out["options"], budget)
        return out
    priced = [m for m in meeting if m.get("min_count_cost_usd") is not None]
    if priced:
        cheapest = min(priced, key=lambda m: m.get("min_count_cost_usd_p90")
                       or m["min_count_cost_usd"])
        out["cheapest_meeting"] = cheapest["option"]
        out["cheapest_meeting_count"] = cheapest["min_count"]
        out["cheapest_meeting_days"] = cheapest["min_count_days"]
        out["cheapest_meeting_cost_usd"] = cheapest["min_count_cost_usd"]
        if confidence == "p90":
            out["cheapest_meeting_days_p90"] = cheapest["min_count_days_p90"]
            out["cheapest_meeting_cost_usd_p90"] = cheapest["min_count_cost_usd_p90"]
        out["cheapest_meeting_plan"] = cheapest.get("min_count_plan")
        out["cheapest_meeting_held"] = cheapest["held"]
        if cheapest["min_count"] > cheapest["held"]:
            out["cheapest_note"] = (f"the fleet holds {cheapest['held']:,}; it needs "
                                    f"{cheapest['min_count']:,} for the deadline")
    elif meeting:
        out["cheapest_meeting"] = meeting[0]["option"]
        out["cheapest_meeting_count"] = meeting[0]["min_count"]
        out["cheapest_note"] = "no option that meets the deadline has a price"
    else:
        out["cheapest_meeting"] = None
        out["reason"] = _why_none(out["options"], deadline, budget)
    return out


def _capped_pools(scenario: Any, project: Any, result: Any) -> bool:
    """Whether a rule with a fleet-wide cap (counting every pool it reaches) applies to any pool:
    then each option is evaluated with the whole fleet, else with its own pools (faster)."""
    from core.regimes import regime_for

    if len(scenario.fleet) < 2:
        return False
    capped = {r.id for r in regime_for(project, scenario.policy.regime).rules if r.caps is not None}
    return any(capped & set(p.get("rule_ids") or []) for p in result.policy)


def _deadline_answers(row: dict[str, Any], probe: _OptionProbe, scenario: Any, chip: Accelerator,
                      deadline: float, target: float, end: dt.date | None,
                      confidence: Literal["p50", "p90"], factor: float, max_count: int) -> None:
    """``factor``: P90 days / point days at p90 (1 at p50); ``target`` = deadline / factor."""
    # the physics-only search gives the first guess; the answer is searched and checked by
    # evaluating the scenario with the option's pools at that count (its policy and cost too)
    p90 = confidence == "p90"
    guess = min_count_for_deadline(scenario.model, scenario.training, chip, deadline,
                                   scenario.physics, confidence, None, max_count,
                                   p90_factor=factor if p90 else None)
    start = guess.min_count or max_count
    n, largest = smallest_meeting(lambda k: probe.days(count=k) <= target, start, max_count)
    row["min_count"] = n
    if n is None:
        days = probe.days(count=largest)
        shown = "no usable plan" if math.isinf(days) else f"{days:,.0f} days"
        row["min_count_days"] = None
        if p90 and math.isfinite(days):
            shown = f"{days * factor:,.0f} days at the P90 ({days:,.0f} middle estimate)"
        row["reason"] = (f"even {largest:,} × {chip.id} take {shown}; the deadline is "
                         f"{deadline:,.0f} days")
        row["holds_enough"] = False
    else:
        best = probe.at(count=n)
        row["min_count_days"] = best.wall_clock_days
        row["min_count_cost_usd"] = best.cost_usd
        row["min_count_plan"] = (None if best.estimate is None or best.estimate.plan is None
                                 else best.estimate.plan.model_dump(mode="json"))
        fewer = probe.days(count=n - 1) if n > 1 else math.inf
        row["days_with_one_fewer"] = None if math.isinf(fewer) else fewer
        if p90:
            row["min_count_days_p90"] = None if best.wall_clock_days is None else \
                best.wall_clock_days * factor
            row["min_count_cost_usd_p90"] = None if best.cost_usd is None else \
                best.cost_usd * factor
            row["days_with_one_fewer_p90"] = None if math.isinf(fewer) else fewer * factor
        row["reason"] = None
        row["holds_enough"] = n <= probe.held
        if n > probe.held:
            row["shortfall"] = n - probe.held
    if row["wall_clock_days"] is not None:
        row["meets_deadline_as_held"] = row["wall_clock_days"] <= target
        assert end is not None
        row.update(_latest_start(probe, scenario.date, end, factor))
        if p90 and row.get("latest_start_days") is not None:
            row["latest_start_days_p90"] = row["latest_start_days"] * factor
        reach = _reachable(probe, target, scenario.model, scenario.training, chip,
                           scenario.physics)
        if reach is not None:
            row["reachable_by_deadline"] = reach


def _budget_answers(row: dict[str, Any], probe: _OptionProbe, budget: float, held: int,
                    max_count: int, factor: float = 1.0) -> None:
    """The largest count (the fastest, days never rising with chips) whose evaluated cost stays
    within the budget; one more chip exceeds it. At P90 (``factor`` > 1: P90 days / point days)
    the cost is that of the run's P90 days (cost × factor: the rent, energy and amortisation
    run for as long as the run does), prices at their point values."""
    def ok(k: int) -> bool:
        return probe.cost(count=k) * factor <= budget

    # where more chips no longer shorten the run (the plan cannot use them), the budget does not
    # bind: the search stops at the count past which doubling gains nothing (within 0.1 %)
    ceiling, n0 = max_count, max(1, min(held, max_count))
    if ok(n0):
        while n0 * 2 <= max_count and ok(n0 * 2):
            if probe.days(count=n0 * 2) >= probe.days(count=n0) * 0.999:
                ceiling = n0
                break
            n0 *= 2
    n = largest_within(ok, n0, ceiling)
    row["budget_max_count"] = n
    row["budget_binding"] = ceiling == max_count
    if ceiling != max_count:
        row["budget_note"] = (f"twice {ceiling:,} chips is no faster: the budget is not what "
                              "limits the run")
    if n is None:
        cost = probe.cost(count=n0)
        row["budget_reason"] = ("no price for this option" if probe.at(count=n0) is not None
                                and probe.at(count=n0).cost_usd is None else
                                f"no count up to {n0:,} stays within ${budget:,.0f}"
                                + ("" if math.isinf(cost) else
                                   f" ({n0:,} chips: ${cost:,.0f})"))
        return
    at = probe.at(count=n)
    row["budget_max_count_days"] = at.wall_clock_days
    row["budget_max_count_cost_usd"] = at.cost_usd
    more = probe.cost(count=n + 1) if n < ceiling else None
    row["budget_cost_one_more"] = None if more is None or math.isinf(more) else more
    row["within_budget_as_held"] = row["cost_usd"] is not None and \
        row["cost_usd"] * factor <= budget
    if factor != 1.0:
        row["budget_max_count_days_p90"] = None if at.wall_clock_days is None else \
            at.wall_clock_days * factor
        row["budget_max_count_cost_usd_p90"] = None if at.cost_usd is None else \
            at.cost_usd * factor
        row["budget_cost_one_more_p90"] = None if row["budget_cost_one_more"] is None else \
            row["budget_cost_one_more"] * factor


def _target_answers(probe: _OptionProbe, scenario: Any, goal: float, target: float | None,
                    max_count: int, held: int, factor: float = 1.0) -> dict[str, Any]:
    """A compute target (as tokens of the scenario's model): the day the option as held gets
    there, and the smallest count that gets there by the deadline (at the P90, ``factor`` > 1:
    the P90 days too, and the date on them)."""
    days = probe.days(tokens=goal)
    out: dict[str, Any] = {"days_as_held": None if math.isinf(days) else days,
                           "date_as_held": None if math.isinf(days) else
                           (scenario.date + dt.timedelta(days=math.ceil(days - 1e-9))).isoformat()}
    if factor != 1.0:
        out["days_as_held_p90"] = None if math.isinf(days) else days * factor
        out["date_as_held_p90"] = None if math.isinf(days) else (scenario.date + dt.timedelta(
            days=math.ceil(days * factor - 1e-9))).isoformat()
    if target is not None:
        out["by_deadline_as_held"] = days <= target
        guess = max(1, math.ceil(held * days / target)) if math.isfinite(days) else held
        n, _ = smallest_meeting(lambda k: probe.days(count=k, tokens=goal) <= target, guess,
                                max_count)
        out["min_count"] = n
        out["min_count_days"] = None if n is None else probe.days(count=n, tokens=goal)
        if factor != 1.0:
            out["min_count_days_p90"] = None if n is None else out["min_count_days"] * factor
    return out


def _target_summary(goal: float, scenario: Any, rows: list[dict[str, Any]],
                    end: dt.date | None) -> dict[str, Any]:
    per_token = scenario.model.training_flops_per_token(scenario.training.seq_len)
    usable = [r for r in rows if r["policy_status"] == "usable" and "target" in r]
    dated = [r for r in usable if r["target"]["date_as_held"] is not None]
    first = min(dated, key=lambda r: r["target"].get("days_as_held_p90")
                or r["target"]["days_as_held"], default=None)
    p90 = first is not None and "date_as_held_p90" in first["target"]
    needs = [r for r in usable if r["target"].get("min_count") is not None]
    out: dict[str, Any] = {"tokens": goal, "training_flops": goal * per_token,
                           "reached_by_deadline": None if end is None else
                           any(r["target"].get("by_deadline_as_held") for r in usable),
                           "earliest_date_as_held": None if first is None else
                           first["target"]["date_as_held"],
                           "earliest_option": None if first is None else first["option"]}
    if p90:
        assert first is not None
        out["earliest_date_as_held_p90"] = first["target"]["date_as_held_p90"]
    others = [r for r in rows if r["policy_status"] in ("needs_license", "unknown")
              and r.get("target", {}).get("by_deadline_as_held")]
    if end is not None and not out["reached_by_deadline"] and others:
        out["note"] = (f"{others[0]['option']} would reach it by the deadline "
                       + ("if the licence is granted" if others[0]["policy_status"] ==
                          "needs_license" else "if the rule whose status is not sourced does "
                          "not apply"))
    if end is not None:
        fewest = min(needs, key=lambda r: r["target"]["min_count"], default=None)
        out["fleet_needed"] = None if fewest is None else {
            "option": fewest["option"], "accelerator": fewest["accelerator"],
            "count": fewest["target"]["min_count"],
            "days": fewest["target"]["min_count_days"]}
    return out


def _why_none_budget(rows: list[dict[str, Any]], budget: float) -> str:
    usable = [r for r in rows if r["policy_status"] == "usable"]
    if not usable:
        return "no option is usable under the policy"
    reasons = [str(r["budget_reason"]) for r in usable if r.get("budget_reason")]
    return reasons[0] if reasons else f"no usable option stays within ${budget:,.0f}"


def _why_none(rows: list[dict[str, Any]], deadline: float, budget: float | None = None) -> str:
    usable = [r for r in rows if r["policy_status"] == "usable"]
    unknown = [r for r in rows if r["policy_status"] == "unknown"]
    if not usable:
        if unknown:  # not counted as usable: the rule that decides has no sourced status
            return (f"no option is usable under the policy; {unknown[0]['option']} rests on a rule whose "
                    "status is not sourced (status unknown)")
        return "no option is usable under the policy"
    if budget is not None:
        def cost(r: dict[str, Any]) -> float | None:
            return r.get("min_count_cost_usd_p90", r.get("min_count_cost_usd"))

        over = [r for r in usable if r.get("min_count") is not None
                and cost(r) is not None and cost(r) > budget]  # type: ignore[operator]
        if over and len(over) == len([r for r in usable if r.get("min_count") is not None]):
            cheapest = min(over, key=lambda r: cost(r))  # type: ignore[arg-type,return-value]
            at_p90 = " over its P90 days" if "min_count_cost_usd_p90" in cheapest else ""
            return (f"the cheapest option that meets the deadline, {cheapest['min_count']:,} × "
                    f"{cheapest['accelerator']}, costs ${cost(cheapest):,.0f}{at_p90}; "
                    f"the budget is ${budget:,.0f}")
    fastest = min((r for r in usable if r.get("wall_clock_days") is not None),
                  key=lambda r: r["wall_clock_days"], default=None)
    if fastest is None:
        return "no usable option has a feasible plan"
    need = fastest.get("min_count")
    more = (f"; {need:,} × {fastest['accelerator']} would" if need else
            (f"; {fastest['reason']}" if fastest.get("reason") else ""))
    return (f"the fastest compliant option, {fastest['option']}, takes "
            f"{fastest['wall_clock_days']:,.0f} days; the deadline is {deadline:,.0f} days{more}")
