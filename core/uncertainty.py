"""Ranges instead of single figures: Monte Carlo over the documented input distributions.

One deterministic estimate (a plan, its step time, its cost parts) is re-scaled by sampled
factors instead of being re-planned per sample, so 10,000 samples cost a few milliseconds:

- **software efficiency**: step time × ``F``, ``ln F ~ Normal(0, σ)``. ``σ`` is the spread of
  predicted/reported GPU-hours of published runs under cross-validation (the error the point
  estimate makes on a run it has not seen), per chip family and software maturity, from
  ``resources/catalog/maturity.json`` when present;
- **training tokens / active parameters** where the scenario marks them uncertain: a factor
  drawn log-uniformly between the given low and high (work, and so time, scales with both);
- **interruptions**: goodput recomputed from the sampled run length with the scenario's
  failure rate (Young/Daly, as ``core.planner.goodput``);
- **prices**: the lease rent uniformly between the catalog's low and high quotes when the
  pool uses the catalog price (a price typed by the user is taken as known);
- **licence approval**: a pool that needs a licence is granted with its likelihood; the
  probabilities of meeting the deadline and the budget count a refusal as a miss.

Inputs without a sourced range (unit prices, electricity, PUE) stay fixed and are listed as
such in the result, so a reader knows what the band does not cover.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from core.planner import goodput

DEFAULT_SAMPLES = 2000
Z90 = 1.2815515655446004  # standard normal quantile of 0.9: P10/P90 = exp(∓Z90·σ)
# Fallback when resources/catalog/maturity.json has no fitted spread for a chip family: the
# spread of MFU across labs on the same chip measured on 26 published runs (issue 10: "±20-30 %
# geometric SD"); the midpoint, ln 1.25.
FALLBACK_SIGMA = math.log(1.25)
FALLBACK_SIGMA_SOURCE = ("cross-lab MFU spread on the same chip, geometric SD 1.20-1.30 measured "
                         "on 26 published runs (issue 10); midpoint 1.25")


class Band(BaseModel):
    p10: float
    p50: float
    p90: float


class Uncertainty(BaseModel):
    """The JSON contract ``uncertainty`` of ``estimate --json`` and ``evaluate --json``."""

    samples: int
    seed: int
    gpu_hours: Band
    wall_clock_days: Band
    cost_usd: Band | None = None
    p_deadline: float | None = Field(default=None, description="P(finished by the deadline)")
    p_budget: float | None = Field(default=None, description="P(cost within the budget)")
    p_licence: float | None = Field(default=None, description="P(every needed licence granted)")
    inputs: list[dict[str, Any]] = Field(default_factory=list,
                                         description="the distributions sampled, with sources")
    fixed: list[str] = Field(default_factory=list, description="inputs with no sourced range")


def _band(x: np.ndarray) -> Band:
    p10, p50, p90 = np.percentile(x, [10, 50, 90])
    return Band(p10=float(p10), p50=float(p50), p90=float(p90))


def efficiency_sigma(chip_id: str | None, maturity: str | None = None) -> tuple[float, str]:
    """(σ of ln F, its source) for a chip and software-maturity setting: the log of the geometric
    SD of predicted/reported GPU-hours under leave-one-lab-out cross-validation
    (``resources/catalog/maturity.json``, core.maturity)."""
    from core.errors import InputError
    from core.maturity import DEFAULT_MATURITY, family_of, spread_gsd

    name = maturity or DEFAULT_MATURITY
    try:
        gsd = spread_gsd(name, chip_id or "")
    except (InputError, OSError, KeyError, ValueError):
        return FALLBACK_SIGMA, FALLBACK_SIGMA_SOURCE
    family = family_of(chip_id or "")
    return math.log(gsd), (f"cross-validated spread ×{gsd:.2f} (geometric SD) for {family} chips, "
                           f"'{name}' stack, resources/catalog/maturity.json")


def simulate(
    *,
    step_s: float,
    steps: float,
    chips_used: int,
    physics: Any,
    cost_parts: dict[str, float] | None = None,
    rent_range: tuple[float, float] | None = None,
    work_range: tuple[float, float] | None = None,
    approval: float | None = None,
    deadline_days: float | None = None,
    budget_usd: float | None = None,
    sigma: float = FALLBACK_SIGMA,
    sigma_source: str = FALLBACK_SIGMA_SOURCE,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
) -> Uncertainty:
    """Sample the run. ``rent_range`` is (low, high) as factors of the point rent; ``work_range``
    (low, high) factors of the point's tokens × active parameters; ``approval`` the likelihood of
    the licence the option needs (None: none needed)."""
    if samples < 1:
        raise ValueError("samples must be >= 1")
    rng = np.random.Generator(np.random.PCG64(seed))
    inputs: list[dict[str, Any]] = []
    fixed: list[str] = []
    eff = np.exp(rng.normal(0.0, sigma, samples)) if sigma > 0 else np.ones(samples)
    inputs.append({"input": "software efficiency (step-time factor)", "distribution": "lognormal",
                   "sigma": sigma, "source": sigma_source})
    work = np.ones(samples)
    if work_range is not None and work_range[1] > work_range[0] > 0:
        lo, hi = math.log(work_range[0]), math.log(work_range[1])
        work = np.exp(rng.uniform(lo, hi, samples))
        inputs.append({"input": "training tokens (marked uncertain)",
                       "distribution": "log-uniform", "low": work_range[0], "high": work_range[1],
                       "source": "scenario input: training.tokens_low / tokens_high"})
    ideal_s = steps * step_s * eff * work
    # goodput (Young/Daly, core.planner.goodput) depends on the chip count and failure rate,
    # not on the run's length: one value for every sample
    gp, _, _ = goodput(chips_used, physics)
    inputs.append({"input": "interruptions", "distribution": "fixed rate",
                   "failures_per_gpu_day": physics.failures_per_gpu_day,
                   "source": "scenario physics (Llama 3 default)"})
    fixed.append("interruption rate (one published rate; no sourced spread)")
    wall_s = ideal_s / gp
    days = wall_s / 86400.0
    gpu_hours = chips_used * wall_s / 3600.0
    point_wall_s = steps * step_s / gp
    cost = None
    if cost_parts is not None:
        ratio = wall_s / point_wall_s
        rent = cost_parts.get("compute_rent", 0.0) + cost_parts.get("egress_storage", 0.0)
        rest = sum(cost_parts.values()) - rent
        rent_factor = np.ones(samples)
        if rent and rent_range is not None and rent_range[1] > rent_range[0] > 0:
            rent_factor = rng.uniform(rent_range[0], rent_range[1], samples)
            inputs.append({"input": "lease price", "distribution": "uniform",
                           "low": rent_range[0], "high": rent_range[1],
                           "source": "catalog rental quotes (low and high), as factors of the "
                                     "midpoint used by the point estimate"})
        elif rent:
            fixed.append("lease price (typed by the user or a single quote)")
        cost = ratio * (rent * rent_factor + rest)
        if rest:
            fixed.append("unit prices, electricity and PUE (no sourced ranges)")
    granted = np.ones(samples, dtype=bool)
    if approval is not None:
        granted = rng.random(samples) < approval
        inputs.append({"input": "licence approval", "distribution": "Bernoulli",
                       "p": approval, "source": "policy rule's approval likelihood"})
    p_deadline = p_budget = None
    if deadline_days is not None:
        p_deadline = float(np.mean(granted & (days <= deadline_days)))
    if budget_usd is not None and cost is not None:
        p_budget = float(np.mean(granted & (cost <= budget_usd)))
    return Uncertainty(
        samples=samples, seed=seed, gpu_hours=_band(gpu_hours), wall_clock_days=_band(days),
        cost_usd=None if cost is None else _band(cost), p_deadline=p_deadline, p_budget=p_budget,
        p_licence=approval, inputs=inputs, fixed=fixed)


def estimate_uncertainty(est: Any, physics: Any, samples: int = DEFAULT_SAMPLES,
                         seed: int = 0) -> Uncertainty | None:
    """Bands for a bare ``core.estimate.EstimateResult`` (no cost, no policy); None when it has
    no plan."""
    if est.plan is None or est.step_time is None or est.steps is None:
        return None
    sigma, source = efficiency_sigma(est.accelerator, getattr(physics, "maturity", None))
    return simulate(step_s=est.step_time.total, steps=est.steps, chips_used=est.plan.chips_used,
                    physics=physics, sigma=sigma, sigma_source=source, samples=samples, seed=seed)


def option_uncertainty(scenario: Any, result: Any, index: int | None = None,
                       samples: int = DEFAULT_SAMPLES, seed: int = 0) -> Uncertainty | None:
    """Bands for one option of a ``core.scenario_eval.ScenarioResult`` (default: the chosen one),
    with the scenario's deadline, budget, lease quotes and licence likelihoods."""
    from core.catalog import get_accelerator

    index = result.chosen if index is None else index
    if index is None:
        return None
    option = result.options[index]
    est = option.estimate
    if est is None or est.plan is None or est.step_time is None or est.steps is None:
        return None
    chip = get_accelerator(option.accelerator)
    rent_range = None
    low, high = chip.rental_low_usd_h, chip.rental_high_usd_h
    catalog_lease = [i for i in option.pools if scenario.fleet[i].access == "lease"
                     and scenario.fleet[i].price_per_hour_usd is None]
    if catalog_lease and low is not None and high is not None and high.value > low.value:
        mid = (low.value + high.value) / 2
        rent_range = (low.value / mid, high.value / mid)
    approval = None
    if option.policy_status == "needs_license":
        likelihoods = [result.policy[i].get("approval_likelihood") for i in option.pools
                       if result.policy[i].get("status") == "needs_license"]
        approval = math.prod(float(p) for p in likelihoods if p is not None)
    sigma, source = efficiency_sigma(option.accelerator, getattr(scenario.physics, "maturity", None))
    t = scenario.training
    work_range = None if t.tokens_low is None or t.tokens_high is None else \
        (t.tokens_low / t.tokens, t.tokens_high / t.tokens)
    limits = scenario.constraints
    return simulate(
        step_s=est.step_time.total, steps=est.steps, chips_used=est.plan.chips_used,
        physics=scenario.physics,
        cost_parts=option.cost_breakdown if option.cost_usd is not None else None,
        rent_range=rent_range, work_range=work_range, approval=approval,
        deadline_days=limits.deadline_days or None, budget_usd=limits.budget_usd or None,
        sigma=sigma, sigma_source=source, samples=samples, seed=seed)
