"""Ranges instead of single figures: Monte Carlo over the documented input distributions.

One deterministic estimate (a plan, its step time, its cost parts) is re-scaled by sampled
factors instead of being re-planned per sample, so 10,000 samples cost a few milliseconds:

- **software efficiency**: step time × ``F``, ``ln F ~ Normal(0, σ)``. ``σ`` is the spread of
  predicted/reported GPU-hours of published runs under cross-validation (the error the point
  estimate makes on a run it has not seen), per chip family and software maturity, from
  ``resources/catalog/maturity.json`` when present;
- **training tokens** where the scenario marks them uncertain (``training.tokens_low`` /
  ``tokens_high``): a factor drawn log-uniformly between the given low and high (time scales with
  the tokens);
- **active parameters** where the scenario marks them uncertain (``model.active_params_low`` /
  ``active_params_high``, an undisclosed model): drawn log-uniformly between low and high; it
  scales the ``6·N`` part of the training FLOPs per token (attention FLOPs do not depend on
  ``N``), and the step time with them;
- **interruptions**: not sampled. Goodput (Young/Daly, ``core.planner.goodput``) depends on
  the chip count and the failure rate, not on the run's length; the rate has one published
  source (Llama 3) and no sourced spread, and the reported GPU-hours of the validation's
  production runs include their restarts, so the run-to-run part of it is already inside the
  efficiency spread (sampling it again would count it twice). The rate is listed in ``fixed``;
  the tornado shows a stated ½×-2× what-if of it;
- **prices**: the lease rent uniformly between the catalog's low and high quotes when the
  pool uses the catalog price; an owned chip's unit price (the amortisation and the levies on
  the chip price) triangular between the catalog's sourced low and high with its mode at the
  catalog figure; the site's electricity the same way from the site's sourced low and high. A
  price typed by the user is taken as known;
- **licence approval**: a pool that needs a licence is granted with its likelihood; the
  probabilities of meeting the deadline and the budget count a refusal as a miss.

Inputs without a sourced range (a unit price or electricity price with one source, PUE, the
system multiplier) stay fixed and are listed as such in ``fixed``, so a reader knows what the
band does not cover (``describe_method`` words it for the deck and the window).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Range:
    """A sourced range of an input as factors of the value the point estimate used."""

    low: float
    high: float
    source: str

    @property
    def real(self) -> bool:
        return self.high > self.low > 0


def _band(x: np.ndarray) -> Band:
    p10, p50, p90 = np.percentile(x, [10, 50, 90])
    return Band(p10=float(p10), p50=float(p50), p90=float(p90))


LEVY_KEYS = ("grey_market_premium", "revenue_share", "tariff")


def _triangular(rng: np.random.Generator, r: Range, samples: int) -> np.ndarray:
    """Factors between ``r.low`` and ``r.high`` with the mode at 1 (the point estimate's value);
    a range that does not bracket 1 keeps its mode at the nearer end."""
    mode = min(max(1.0, r.low), r.high)
    return rng.triangular(r.low, mode, r.high, samples)


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
    active_range: Range | None = None,
    active_flops_share: float = 1.0,
    unit_price_range: Range | None = None,
    electricity_range: Range | None = None,
    uplift_rent_share: float | None = None,
    fixed_inputs: list[str] | None = None,
    approval: float | None = None,
    deadline_days: float | None = None,
    budget_usd: float | None = None,
    sigma: float = FALLBACK_SIGMA,
    sigma_source: str = FALLBACK_SIGMA_SOURCE,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
) -> Uncertainty:
    """Sample the run. ``rent_range`` is (low, high) as factors of the point rent; ``work_range``
    (low, high) factors of the point's tokens; ``active_range`` factors of the point's active
    parameters, which scale ``active_flops_share`` of the step (the ``6·N`` share of the FLOPs);
    ``unit_price_range`` / ``electricity_range`` factors of the owned chips' unit price (the
    amortisation and, with ``1 - uplift_rent_share`` of them, the levies) and of the electricity
    price (the energy); ``fixed_inputs`` names inputs the caller knows are taken as certain;
    ``approval`` the likelihood of the licence the option needs (None: none needed)."""
    if samples < 1:
        raise ValueError("samples must be >= 1")
    rng = np.random.Generator(np.random.PCG64(seed))
    inputs: list[dict[str, Any]] = []
    fixed: list[str] = list(fixed_inputs or [])
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
    if active_range is not None and active_range.real:
        lo, hi = math.log(active_range.low), math.log(active_range.high)
        share = min(max(active_flops_share, 0.0), 1.0)
        work = work * (share * np.exp(rng.uniform(lo, hi, samples)) + (1.0 - share))
        inputs.append({"input": "active parameters (marked uncertain)",
                       "distribution": "log-uniform", "low": active_range.low,
                       "high": active_range.high, "flops_share": share,
                       "source": active_range.source})
    active_varied = active_range is not None and active_range.real
    if work_range is None:
        fixed.append("training tokens (not marked uncertain)" if active_varied else
                     "training tokens and active parameters (not marked uncertain)")
    elif not active_varied:
        fixed.append("active parameters (not marked uncertain)")
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
        capital = cost_parts.get("amortisation", 0.0)
        energy = cost_parts.get("energy", 0.0)
        levies = sum(cost_parts.get(k, 0.0) for k in LEVY_KEYS)
        rest = sum(cost_parts.values()) - rent - capital - energy - levies
        if uplift_rent_share is None:  # levies are charged on the rent or on the chip price
            uplift_rent_share = 1.0 if rent and not capital else 0.0 if capital and not rent \
                else rent / (rent + capital) if rent + capital else 0.0
        rent_factor = np.ones(samples)
        if rent and rent_range is not None and rent_range[1] > rent_range[0] > 0:
            rent_factor = rng.uniform(rent_range[0], rent_range[1], samples)
            inputs.append({"input": "lease price", "distribution": "uniform",
                           "low": rent_range[0], "high": rent_range[1],
                           "source": "catalog rental quotes (low and high), as factors of the "
                                     "midpoint used by the point estimate"})
        elif rent:
            fixed.append("lease price (typed by the user or a single quote)")
        def price_factor(used: bool, band: Any, name: str, prefix: str) -> np.ndarray:
            """A triangular factor on a sourced price range, or ones (and the price listed as
            held fixed) without one."""
            if used and band is not None and band.real:
                inputs.append({"input": name, "distribution": "triangular", "low": band.low,
                               "mode": 1.0, "high": band.high, "source": band.source})
                return _triangular(rng, band, samples)
            if used and not any(f.startswith(prefix) for f in fixed):
                fixed.append(f"{name} (no sourced range)")
            return np.ones(samples)

        unit_factor = price_factor(bool(capital), unit_price_range, "chip price", "chip price")
        kwh_factor = price_factor(bool(energy), electricity_range, "electricity price", "electricity")
        levy_factor = uplift_rent_share * rent_factor + (1.0 - uplift_rent_share) * unit_factor
        cost = ratio * (rent * rent_factor + capital * unit_factor + energy * kwh_factor
                        + levies * levy_factor + rest)
        if energy or capital:
            fixed.append("PUE, server overhead, system multiplier and useful life "
                         "(no sourced ranges)")
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


def active_params_factors(model: Any, seq_len: int) -> tuple[Range | None, float]:
    """The model's uncertain active parameters as factors of the architecture's count, and the
    share of the training FLOPs per token they scale (``6·N`` of ``6·N`` + attention)."""
    bounds = getattr(model, "active_params_range", None)
    if model is None or bounds is None:
        return None, 1.0
    n = model.active_params()
    share = 6.0 * n / model.training_flops_per_token(seq_len)
    return Range(bounds[0] / n, bounds[1] / n,
                 "scenario input: model.active_params_low / active_params_high"), share


def estimate_uncertainty(est: Any, physics: Any, samples: int = DEFAULT_SAMPLES,
                         seed: int = 0, model: Any = None,
                         training: Any = None) -> Uncertainty | None:
    """Bands for a bare ``core.estimate.EstimateResult`` (no cost, no policy); None when it has
    no plan. With ``model`` / ``training``, their uncertain active parameters and tokens too."""
    if est.plan is None or est.step_time is None or est.steps is None:
        return None
    sigma, source = efficiency_sigma(est.accelerator, getattr(physics, "maturity", None))
    work_range = None
    if training is not None and training.tokens_low is not None \
            and training.tokens_high is not None:
        work_range = (training.tokens_low / training.tokens, training.tokens_high / training.tokens)
    active, share = active_params_factors(model, training.seq_len if training is not None else 4096)
    return simulate(step_s=est.step_time.total, steps=est.steps, chips_used=est.plan.chips_used,
                    physics=physics, work_range=work_range, active_range=active,
                    active_flops_share=share, sigma=sigma, sigma_source=source, samples=samples,
                    seed=seed)


def days_band_factors(scenario: Any, chip_id: str, samples: int = 4000,
                      seed: int = 0) -> tuple[float, float]:
    """(P10, P90) of a scenario's days as factors of the point estimate, for any chip count
    (the time-vs-count band, and the solver's "P90 days"): the software-efficiency spread, and
    the token and active-parameter ranges where the scenario marks them uncertain (Monte Carlo;
    exact lognormal quantiles without them)."""
    return days_factors(scenario.model, scenario.training, scenario.physics, chip_id,
                        samples=samples, seed=seed)


def days_factors(model: Any, training: Any, physics: Any, chip_id: str,
                 sigma: float | None = None, samples: int = 4000,
                 seed: int = 0) -> tuple[float, float]:
    """``days_band_factors`` for a model, training and physics (no scenario needed); ``sigma``
    overrides the efficiency spread of the chip family and stack."""
    if sigma is None:
        sigma, _ = efficiency_sigma(chip_id, getattr(physics, "maturity", None))
    t = training
    active, share = active_params_factors(model, t.seq_len)
    tokens = t.tokens_low is not None and t.tokens_high is not None
    if not tokens and (active is None or not active.real):
        return math.exp(-Z90 * sigma), math.exp(Z90 * sigma)
    rng = np.random.Generator(np.random.PCG64(seed))
    f = np.exp(rng.normal(0.0, sigma, samples)) if sigma > 0 else np.ones(samples)
    if tokens:
        f = f * np.exp(rng.uniform(math.log(t.tokens_low / t.tokens),
                                   math.log(t.tokens_high / t.tokens), samples))
    if active is not None and active.real:
        f = f * (share * np.exp(rng.uniform(math.log(active.low), math.log(active.high), samples))
                 + (1.0 - share))
    p10, p90 = np.percentile(f, [10, 90])
    return float(p10), float(p90)


def _price_ranges(scenario: Any, option: Any, chip: Any) -> tuple[Range | None, Range | None,
                                                                  list[str]]:
    """The sourced ranges of the owned chips' unit price and the site's electricity price for
    one option, as factors of the values its cost used, and the inputs taken as certain."""
    from core.sites import electricity_range_for, get_site

    owned = [scenario.fleet[i] for i in option.pools if scenario.fleet[i].access != "lease"]
    if not owned:
        return None, None, []
    fixed: list[str] = []
    unit = None
    low, high, point = chip.unit_price_low_usd, chip.unit_price_high_usd, chip.v("unit_price_usd")
    if any(p.unit_price_usd is not None for p in owned):
        fixed.append("chip price (typed by the user)")
    elif low is not None and high is not None and point:
        unit = Range(low.value / point, high.value / point,
                     f"catalog {chip.id} unit price range ${low.value:,.0f}-${high.value:,.0f} "
                     f"({low.source}; {high.source})")
    else:
        fixed.append(f"chip price (one sourced figure for {chip.id}, no range)")
    kwh = None
    if scenario.cost.electricity_usd_per_kwh is not None:
        fixed.append("electricity price (typed by the user)")
    else:
        try:
            site = get_site(option.site)
        except Exception:  # noqa: BLE001 - the option was costed, so the site resolved; be safe
            site = None
        found = None if site is None else electricity_range_for(site, chip.origin)
        if found is not None:
            lo_kwh, hi_kwh, at, source = found
            kwh = Range(lo_kwh / at, hi_kwh / at, source)
        else:
            fixed.append(f"electricity price (no sourced range for {option.site})")
    return unit, kwh, fixed


def describe_method(bands: list[Uncertainty | None]) -> str:
    """One sentence for a footnote or a tooltip: what the P10-P90 ranges vary and what they
    take as certain, over the given bands (e.g. every scenario of a deck)."""
    varied: dict[str, None] = {}
    fixed: dict[str, None] = {}
    for band in bands:
        if band is None:
            continue
        for i in band.inputs:
            if i.get("distribution") != "fixed rate":
                varied[str(i["input"]).split(" (", 1)[0]] = None
        for f in band.fixed:
            fixed[f.split(" (", 1)[0]] = None
    for name in varied:
        fixed.pop(name, None)
    if not varied:
        return ""
    names = [("software efficiency (cross-validated spread)" if n == "software efficiency"
              else n) for n in varied]
    text = "Ranges (P10–P90): Monte Carlo over " + ", ".join(names)
    if any(n.endswith("price") for n in varied):
        text += " (prices between sourced low and high)"
    if fixed:
        text += "; treated as certain: " + ", ".join(fixed)
    return text + "."


def option_uncertainty(scenario: Any, result: Any, index: int | None = None,
                       samples: int = DEFAULT_SAMPLES, seed: int = 0) -> Uncertainty | None:
    """Bands for one option of a ``core.scenario_eval.ScenarioResult`` (default: the chosen one),
    with the scenario's deadline, budget, lease quotes, chip and electricity price ranges,
    uncertain tokens / active parameters and licence likelihoods."""
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
    active, share = active_params_factors(scenario.model, t.seq_len)
    costed = option.cost_usd is not None
    unit, kwh, fixed = _price_ranges(scenario, option, chip) if costed else (None, None, [])
    uplift_rent_share = None
    if costed:  # levies are charged on the rent (lease) or the chip capital (amortisation / m)
        rent = option.cost_breakdown.get("compute_rent", 0.0)
        chip_capital = option.cost_breakdown.get("amortisation", 0.0) / scenario.cost.system_multiplier
        uplift_rent_share = rent / (rent + chip_capital) if rent + chip_capital else 0.0
    limits = scenario.constraints
    return simulate(
        step_s=est.step_time.total, steps=est.steps, chips_used=est.plan.chips_used,
        physics=scenario.physics,
        cost_parts=option.cost_breakdown if costed else None,
        rent_range=rent_range, work_range=work_range, active_range=active,
        active_flops_share=share, unit_price_range=unit, electricity_range=kwh,
        uplift_rent_share=uplift_rent_share, fixed_inputs=fixed, approval=approval,
        deadline_days=limits.deadline_days or None, budget_usd=limits.budget_usd or None,
        sigma=sigma, sigma_source=source, samples=samples, seed=seed)
