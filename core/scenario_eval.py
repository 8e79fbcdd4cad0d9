"""Scenario evaluation: policy per pool → fastest compliant plan → cost → verdict with reasons.

Training is assumed to run on one accelerator type at one site: pools of the same accelerator at
the same site are merged (co-located); training across sites is not assumed.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from core.catalog import Accelerator, get_accelerator
from core.cost import CostResult, energy_text, estimate_cost, power_check
from core.errors import InputError
from core.estimate import EstimateResult, estimate
from core.memo import Memo, key_part
from core.scenario import Pool, Scenario
from core.sites import Site, get_site
from core.uncertainty import (
    DEFAULT_SAMPLES,
    Uncertainty,
    estimate_uncertainty,
    option_uncertainty,
)

if TYPE_CHECKING:
    from core.policy import PoolPolicy

# "unknown": the best option rests on a pool whose policy status is not sourced (PoolStatus
# "unknown"); its estimate is computed as if the chips were usable, and the verdict says so.
Verdict = Literal["feasible", "needs_license", "unknown", "infeasible"]
# One pool's policy verdict by a digest of (regime, HQ, date, policy settings, pool, chip): all
# it reads besides the bundled rule and country catalogs.
_POOL_VERDICTS: Memo[PoolPolicy] = Memo("pool policy verdicts", maxsize=8192)


class OptionResult(BaseModel):
    """One way to run the scenario: an accelerator type at a site (its usable pools merged)."""

    label: str
    accelerator: str
    site: str
    pools: list[int] = Field(description="indices into scenario.fleet")
    count: int = Field(description="chips held")
    usable_count: int = Field(description="chips the policy lets the user train on")
    policy_status: Literal["usable", "needs_license", "blocked", "unknown"] = "usable"
    verdict: Verdict
    reasons: list[str]
    estimate: EstimateResult | None = None
    wall_clock_days: float | None = None
    gpu_hours: float | None = None
    cost_usd: float | None = None
    cost_breakdown: dict[str, float] = Field(default_factory=dict)
    energy_mwh: float | None = None
    energy_basis: str = Field(default="", description="facility (with server overhead and PUE) or chips at TDP")
    chip_energy_mwh: float | None = Field(default=None, description="chips x TDP x hours (no server overhead, no PUE)")
    pue: float | None = Field(default=None, description="PUE in energy_mwh when it is the facility's")
    server_overhead: float | None = Field(default=None, description="server overhead in energy_mwh (facility)")
    energy_text: str = Field(default="", description="energy as the CLI, window and deck write it")
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
    uncertainty: Uncertainty | None = Field(
        default=None, description="P10/P50/P90 of the chosen option (core.uncertainty, default "
        "samples and seed 0); None without one")

    @property
    def best(self) -> OptionResult | None:
        return None if self.chosen is None else self.options[self.chosen]


def _regime(scenario: Scenario, project: Any):
    from core.regimes import regime_for

    return regime_for(project, scenario.policy.regime)


def _regimes_digest(project: Any) -> str:
    regimes = getattr(project, "regimes", None) or []
    try:
        text = json.dumps(regimes, sort_keys=True, default=str)
    except (ValueError, TypeError, RecursionError):  # cannot be serialised: never share a result
        text = f"unserialisable {uuid.uuid4().hex}"
    return _digest(text)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def _key(scenario_digest: str, regimes_digest: str) -> str:
    return _digest(f"{regimes_digest} {scenario_digest}")


def result_key(scenario: Scenario, project: Any = None) -> str:
    """A digest of everything ``evaluate_scenario(scenario, project)`` reads: the scenario (its name
    too, which the result carries) and the project's regimes, all of them (``regime_for``
    validates every project regime, so a broken one changes every scenario's outcome). The
    catalog, rule and site files are fixed for the life of the process. Keep this next to
    ``evaluate_scenario``: whatever it starts reading from the project must be added here."""
    return _key(_digest(scenario.model_dump_json()), _regimes_digest(project))


def result_keys(project: Any, memo: dict[int, tuple[Any, str]] | None = None) -> list[str]:
    """``result_key`` of every scenario of ``project``, serialising the regimes once.

    ``memo`` (kept by a caller that asks after every edit; this refills it) skips re-serialising
    the scenarios and the regimes list that did not change (200 scenarios of 50 pools: ~0.1 s
    without, ~1 ms after a one-field edit). It relies on an edit replacing a scenario or the
    regimes list rather than mutating it in place, which is how every project change is made
    (``ProjectDocument``, core.regimes)."""
    old, new = (memo if memo is not None else {}), {}

    def digest(obj: Any, compute: Any) -> str:
        hit = old.get(id(obj))
        value = hit[1] if hit is not None and hit[0] is obj else compute()
        new[id(obj)] = (obj, value)
        return value

    regimes = digest(getattr(project, "regimes", None) or [], lambda: _regimes_digest(project))
    keys = [_key(digest(s, lambda s=s: _digest(s.model_dump_json())), regimes)
            for s in project.scenarios]
    if memo is not None:
        memo.clear()
        memo.update(new)
    return keys


def _pool_label(pools: list[int], scenario: Scenario) -> str:
    names = [scenario.fleet[i].name or f"pool {i + 1}" for i in pools]
    return ", ".join(names)


def evaluate_scenario(scenario: Scenario, project: Any = None) -> ScenarioResult:
    """Evaluate every option of the scenario and pick the fastest one the policy allows.

    Per pool the policy gives a status. Per (accelerator, site) the usable pools form one option;
    pools that need a licence form a second option (verdict ``needs_license``) unless the
    scenario counts pending licences, in which case they join the first at count × likelihood.
    Pools whose status is ``unknown`` (a rule whose status is not sourced decides) form an option
    of their own with the usable pools (verdict ``unknown``, estimated as if usable): counted
    neither as usable nor as blocked. Blocked pools form an option too, so the user sees what the
    rules cost them.
    """
    from core.policy import evaluate_pool, fleet_cap_totals, run_training_flops

    regime = _regime(scenario, project)
    chips = [get_accelerator(p.accelerator, f"fleet[{i}].accelerator") for i, p in enumerate(scenario.fleet)]
    flops = run_training_flops(scenario)
    # ``regime`` is this call's own copy and the catalog chips are frozen, so their keys are
    # computed once here rather than once per pool.
    context = key_part((regime, scenario.hq, scenario.date, scenario.policy, flops))
    chip_keys = {id(c): key_part(c) for c in chips}

    def digest(*parts: Any) -> str:
        # the memo keeps a digest of the full key: the regime alone is ~55 kB of JSON, and each
        # call builds its own copy, so 8,192 full keys held ~250-500 MB (docs/reliability.md)
        return _digest(repr(parts))

    chip_tests: dict[tuple[int, int], tuple[bool | None, str]] = {}  # rule conditions on these chips

    def verdict(pool: Pool, chip: Accelerator) -> PoolPolicy:
        return _POOL_VERDICTS.get(digest(context, chip_keys[id(chip)], key_part(pool)),
                                  lambda: evaluate_pool(pool, chip, scenario.hq, scenario.date, regime,
                                                        scenario.policy, flops, chip_tests))

    verdicts = [verdict(pool, chip) for pool, chip in zip(scenario.fleet, chips, strict=True)]
    # capped rules (R6) count every pool they reach: pools sharing one are evaluated again with
    # the sums, keyed on them too
    for i, totals in enumerate(fleet_cap_totals(list(scenario.fleet), chips, verdicts, regime)):
        if totals is not None:
            pool, chip = scenario.fleet[i], chips[i]
            verdicts[i] = _POOL_VERDICTS.get(
                digest(context, chip_keys[id(chip)], key_part(pool), key_part(totals)),
                partial(evaluate_pool, pool, chip, scenario.hq, scenario.date, regime, scenario.policy, flops,
                        chip_tests, cap_totals=totals))
    groups: dict[tuple[str, str], list[int]] = {}
    for i, (pool, chip) in enumerate(zip(scenario.fleet, chips, strict=True)):
        groups.setdefault((chip.id, pool.site.upper()), []).append(i)

    options: list[OptionResult] = []
    count_pending = scenario.policy.count_pending_licences
    for idx in groups.values():
        usable = [i for i in idx if verdicts[i].status == "usable"]
        licence = [i for i in idx if verdicts[i].status == "needs_license"]
        blocked = [i for i in idx if verdicts[i].status == "blocked"]
        unknown = [i for i in idx if verdicts[i].status == "unknown"]
        if count_pending and licence:
            options.append(_option(scenario, chips, verdicts, usable + licence, "usable", pending=licence))
        else:
            if usable:
                options.append(_option(scenario, chips, verdicts, usable, "usable"))
            if licence:
                options.append(_option(scenario, chips, verdicts, usable + licence, "needs_license"))
        if unknown:
            options.append(_option(scenario, chips, verdicts, usable + unknown, "unknown"))
        if blocked:
            options.append(_option(scenario, chips, verdicts, blocked, "blocked"))
    result = _choose(scenario, options)
    result.policy = [
        {"pool": i, "accelerator": v.accelerator, "site": v.site, "access": v.access, "status": v.status,
         "outcome": v.outcome, "rule_ids": v.rules_applied, "decisive_rule": v.decisive_rule,
         "approval_likelihood": v.approval_likelihood, "revenue_share_pct": v.revenue_share_pct,
         "tariff_pct": v.tariff_pct, "usable_count": v.usable_count, "summary": v.summary(),
         "explanation": v.explanation()}
        for i, v in enumerate(verdicts)
    ]
    result.uncertainty = option_uncertainty(scenario, result)
    return result


def _option(scenario: Scenario, chips: list[Accelerator], verdicts: list[Any], idx: list[int], status: str,
            pending: list[int] | None = None) -> OptionResult:
    pending = pending or []
    chip = chips[idx[0]]
    first = scenario.fleet[idx[0]]
    held = sum(scenario.fleet[i].count for i in idx)
    # chips that may train: all of a usable/licensed option; likelihood-weighted pending licences;
    # for a blocked option, those that would arrive (smuggled pools lose their seizure share)
    counts = {i: _option_count(scenario.fleet[i], verdicts[i], i in pending) for i in idx}
    usable_count = sum(counts.values())
    smuggled = [i for i in idx if verdicts[i].seizure_likelihood is not None]
    reasons: list[str] = []
    blocked_tag = " (if smuggled)" if smuggled and len(smuggled) == len(idx) else " (blocked)"
    tag = {"usable": "", "needs_license": " (if licensed)", "unknown": " (status unknown)", "blocked": blocked_tag}[status]
    label = f"{held:,} × {chip.id} @ {first.site}{tag}"
    for i in idx:
        v = verdicts[i]
        if status == "usable" and v.status == "usable" and not v.warnings and not v.grandfathered:
            continue
        # one line per rule: the header names the pool, the rest are the rule-by-rule chain
        head, *chain = [r.rstrip(". ") for r in v.reasons] or [""]
        reasons.append(f"Policy for {_pool_label([i], scenario)} ({head})")
        reasons.extend(f"  {r}" for r in chain)
    for i in pending:
        reasons.append(f"{_pool_label([i], scenario)}: pending licence counted at likelihood "
                       f"{verdicts[i].approval_likelihood:.0%} → {int(verdicts[i].usable_count):,} chips")
    for i in smuggled:
        risk = verdicts[i].seizure_likelihood
        reasons.append(f"{_pool_label([i], scenario)}: if smuggled, {counts[i]:,} of {scenario.fleet[i].count:,} chips "
                       f"arrive (seizure/detection likelihood {risk:.0%}, an assumption)")
    opt = OptionResult(label=label, accelerator=chip.id, site=first.site, pools=idx, count=held,
                       usable_count=usable_count,
                       policy_status="usable" if status == "usable" else status,  # type: ignore[arg-type]
                       verdict="infeasible", reasons=reasons)
    if usable_count <= 0:
        opt.reasons.append("no chips usable under the policy")
        return opt
    networks = [n for n in (scenario.fleet[i].network_gbs for i in idx) if n is not None]
    if networks:  # co-located pools train together: the thinnest network sets the pace
        chip = chip.with_figures(f"scenario input: {_pool_label(idx, scenario)}", scaleout_gbs=min(networks))
        opt.reasons.append(f"scale-out network {min(networks):g} GB/s per chip (scenario input, not the "
                           "catalog's reference system)")
    if scenario.physics.kernel_efficiency:
        opt.reasons.append(f"kernel efficiency {scenario.physics.kernel_efficiency:.0%} (scenario input; "
                           f"catalog {chip.v('kernel_efficiency') or 0:.0%})")
    elif scenario.physics.maturity != "typical":
        from core.maturity import efficiency_factor

        opt.reasons.append(f"software maturity {scenario.physics.maturity}: kernel efficiency × "
                           f"{efficiency_factor(scenario.physics.maturity, chip.id):.2f} of the catalog's "
                           "typical value (resources/catalog/maturity.json)")
    est = estimate(scenario.model, scenario.training, chip, usable_count, scenario.physics)
    opt.estimate = est
    opt.reasons.extend(est.reasons)
    if est.verdict != "feasible" or est.plan is None:
        return opt
    days, gpu_hours = est.wall_clock_days, est.gpu_hours
    assert days is not None and gpu_hours is not None
    opt.wall_clock_days, opt.gpu_hours = days, gpu_hours
    site = get_site(first.site, f"fleet[{idx[0]}].site")
    shares = {i: counts[i] / usable_count for i in idx}
    cost = _merged_cost(scenario, chip, site, verdicts, shares, gpu_hours, days * 24.0, est.plan.chips_used,
                        opt.reasons)
    if cost is not None:
        opt.cost_usd, opt.cost_breakdown = cost.total_usd, cost.breakdown
        opt.price_basis = cost.price_basis
        opt.co2_t = cost.co2_t
        opt.facility_mw = cost.facility_mw
        opt.reasons.extend(n for n in cost.assumptions if not n.startswith("no sourced TDP"))
    opt.chip_energy_mwh = est.energy_mwh
    if cost is not None and cost.energy_mwh is not None:
        opt.energy_mwh, opt.energy_basis = cost.energy_mwh, "facility"
        opt.pue, opt.server_overhead = cost.pue, scenario.cost.server_overhead
    elif est.energy_mwh is not None:
        opt.energy_mwh, opt.energy_basis = est.energy_mwh, "chips at TDP"
    opt.energy_text = energy_text(opt.energy_mwh if opt.energy_basis == "facility" else None,
                                  opt.chip_energy_mwh, opt.pue, opt.server_overhead)
    opt.verdict = {"needs_license": "needs_license", "unknown": "unknown",  # type: ignore[assignment]
                   "blocked": "infeasible"}.get(status, "feasible")
    if status == "unknown":
        rules = sorted({verdicts[i].decisive_rule or "" for i in idx if verdicts[i].status == "unknown"})
        opt.reasons.insert(0, f"unknown: {', '.join(rules)} decides and its status is not sourced; "
                           f"{days:,.0f} days if it does not apply")
    if status == "blocked":
        opt.reasons.insert(0, f"{'if smuggled' if smuggled else 'if it were allowed'}: {days:,.0f} days"
                           + (f", ${cost.total_usd:,.0f}" if cost is not None else ""))
    limits = scenario.constraints
    if cost is not None and cost.facility_mw:
        ok, why = power_check(cost.facility_mw, site, limits)
        if not ok:
            opt.verdict = "infeasible"
            opt.reasons.append(why)
    if limits.deadline_days and days > limits.deadline_days:
        opt.verdict = "infeasible"
        opt.reasons.append(f"takes {days:,.0f} days; the deadline is {limits.deadline_days:,.0f} days")
    if limits.budget_usd and cost is not None and cost.total_usd > limits.budget_usd:
        opt.verdict = "infeasible"
        opt.reasons.append(f"costs ${cost.total_usd:,.0f}; the budget is ${limits.budget_usd:,.0f}")
    return opt


def _option_count(pool: Pool, verdict: Any, pending: bool) -> int:
    """Chips a pool brings to its option: likelihood-weighted for a pending licence, the share
    that arrives for a blocked smuggled pool, else all of them."""
    if pending:
        return int(verdict.usable_count)
    if verdict.status == "blocked" and verdict.seizure_likelihood is not None:
        return int(pool.count * (1 - verdict.seizure_likelihood))
    return pool.count


def _merged_cost(scenario: Scenario, chip: Accelerator, site: Site, verdicts: list[Any], shares: dict[int, float],
                 gpu_hours: float, hours: float, chips_used: int, reasons: list[str]) -> CostResult | None:
    """The option's cost: each pool pays its share of the run (its own access mode and prices).
    None, with the reason added, when a pool cannot be priced."""
    parts: list[CostResult] = []
    for i, share in shares.items():
        try:
            parts.append(estimate_cost(scenario.fleet[i], chip, site, scenario.cost, gpu_hours * share, hours,
                                       max(1, round(chips_used * share)),
                                       revenue_share_pct=verdicts[i].revenue_share_pct,
                                       tariff_pct=verdicts[i].tariff_pct,
                                       grey_market=scenario.fleet[i].access == "smuggled"))
        except InputError as exc:
            reasons.append(f"cost not computed for {_pool_label([i], scenario)}: {exc.problem}")
            return None
    breakdown: dict[str, float] = {}
    notes: list[str] = []
    for c in parts:
        for k, val in c.breakdown.items():
            breakdown[k] = breakdown.get(k, 0.0) + val
        notes.extend(n for n in c.assumptions if n not in notes)

    def total(values: list[float | None]) -> float | None:
        return None if any(v is None for v in values) else sum(v for v in values if v is not None)

    return CostResult(
        total_usd=sum(c.total_usd for c in parts), breakdown=breakdown,
        energy_mwh=total([c.energy_mwh for c in parts]), it_energy_mwh=total([c.it_energy_mwh for c in parts]),
        pue=pues[0] if len(pues := sorted({c.pue for c in parts if c.pue is not None})) == 1 else None,
        co2_t=total([c.co2_t for c in parts]), facility_mw=total([c.facility_mw for c in parts]),
        price_basis="; ".join(dict.fromkeys(c.price_basis for c in parts)), assumptions=notes,
    )


_RANK = {"feasible": 0, "needs_license": 1, "unknown": 2, "infeasible": 3}


def _choose(scenario: Scenario, options: list[OptionResult]) -> ScenarioResult:
    if not options:
        raise InputError("fleet", "the scenario has no pools")

    def key(i: int):
        o = options[i]
        days = o.wall_clock_days if o.wall_clock_days is not None else float("inf")
        return (_RANK[o.verdict], o.policy_status == "blocked", days)

    chosen = min(range(len(options)), key=key)
    best = options[chosen]
    reasons: list[str] = []
    if best.verdict != "infeasible":
        head = {"feasible": "fastest compliant option", "needs_license": "fastest option, if the licence is granted",
                "unknown": "status unknown: fastest option, if the rule whose status is not sourced does not apply"
                }[best.verdict]
        reasons.append(f"{head}: {best.label}, {best.wall_clock_days:,.0f} days"
                       + (f", ${best.cost_usd:,.0f}" if best.cost_usd is not None else ""))
    reasons.extend(best.reasons)
    for i, o in enumerate(options):
        if i != chosen and o.verdict != "feasible":
            reasons.extend(f"{o.label}: {r}" for r in o.reasons[:2])
    has_plan = best.estimate is not None and best.estimate.plan is not None
    return ScenarioResult(
        scenario=scenario.name,
        verdict=best.verdict,
        reasons=reasons,
        chosen=chosen if has_plan and best.policy_status != "blocked" else None,
        options=options,
    )


def result_dict(scenario: Scenario, result: ScenarioResult, samples: int = DEFAULT_SAMPLES,
                seed: int = 0) -> dict:
    """The JSON of ``chokepoint evaluate --json`` for one scenario (stable keys). ``uncertainty``
    holds P10/P50/P90 of the chosen option (core.uncertainty; null without one), and
    ``p_deadline`` / ``p_budget`` are set where the scenario has a deadline / budget."""
    best = result.best or result.options[0]
    out = best.estimate.cli_dict() if best.estimate else {}
    out.update(
        scenario=scenario.name,
        figures_for=best.label if best.estimate else None,
        figures_hypothetical=result.best is None,
        verdict=result.verdict,
        reasons=result.reasons,
        cost_usd=best.cost_usd,
        cost_breakdown=best.cost_breakdown,
        policy=result.policy,
        options=[o.model_dump(mode="json", exclude={"estimate"}) for o in result.options],
    )
    # energy_mwh (from the estimate) stays chips at TDP; the facility figure the cost uses is
    # added beside it, with the sentence every surface prints
    out.update(chip_energy_mwh=best.chip_energy_mwh,
               facility_energy_mwh=best.energy_mwh if best.energy_basis == "facility" else None,
               energy_pue=best.pue, energy_server_overhead=best.server_overhead,
               energy_text=best.energy_text)
    band = result.uncertainty if (samples, seed) == (DEFAULT_SAMPLES, 0) and \
        result.uncertainty is not None else option_uncertainty(scenario, result, samples=samples,
                                                                seed=seed)
    out["uncertainty"] = None if band is None else band.model_dump(mode="json")
    if scenario.constraints.deadline_days:
        out["p_deadline"] = 0.0 if band is None else band.p_deadline
    if scenario.constraints.budget_usd:
        out["p_budget"] = 0.0 if band is None else band.p_budget
    return out


def _site_free_energy(chip_mwh: float | None) -> dict:
    """Facility energy for ``chokepoint estimate`` without --site: the default server overhead
    and the global average PUE (the figure a site without its own PUE uses), said so."""
    from core.scenario import CostSettings
    from core.sites import reference

    overhead, pue = CostSettings().server_overhead, reference("global_pue").value
    fac = None if chip_mwh is None else chip_mwh * overhead * pue
    text = energy_text(fac, chip_mwh, pue, overhead)
    if fac is not None:
        text += "; global average PUE, give --site for the site's"
    return {"chip_energy_mwh": chip_mwh, "facility_energy_mwh": fac, "energy_pue": pue,
            "energy_server_overhead": overhead, "energy_text": text}


def estimate_cli(args, model, chip, training, scenario_mode: bool) -> dict:
    """What ``chokepoint estimate`` prints: the physics result, plus policy and cost when any of
    the scenario flags (--site, --access, --hq, --policy, --date, ...) is given."""
    from core.training import PhysicsOptions

    samples, seed = getattr(args, "samples", DEFAULT_SAMPLES), getattr(args, "seed", 0)
    physics = PhysicsOptions(maturity=getattr(args, "maturity", None) or "typical")
    if not scenario_mode:
        est = estimate(model, training, chip, args.count, physics)
        out = est.cli_dict()
        band = estimate_uncertainty(est, physics, samples=samples, seed=seed, model=model,
                                    training=training)
        out["uncertainty"] = None if band is None else band.model_dump(mode="json")
        out.update(_site_free_energy(est.energy_mwh))
        return out
    import datetime as dt

    from core.scenario import PolicySettings, Pool
    from core.units import parse_date as day

    hq = (args.hq or "CN").upper()
    if len(hq) != 2 or not hq.isalpha():
        raise InputError("--hq", f"expected a two-letter ISO country code, got {args.hq!r}")
    from core.sites import get_site

    site = get_site(args.site or "US", "--site")
    pool = Pool(name="pool", accelerator=chip.id, count=args.count, site=site.id,
                access=args.access or "own", acquired=day(args.acquired, "--acquired"),
                price_per_hour_usd=args.price_per_hour)
    scenario = Scenario(name="estimate", date=day(args.date, "--date") or dt.date.today(), hq=hq,
                        model=model, training=training, fleet=[pool], physics=physics,
                        policy=PolicySettings(regime=args.policy or "in-force",
                                              end_user_type=getattr(args, "end_user", None) or "private"))
    result = evaluate_scenario(scenario)
    out = result_dict(scenario, result, samples=samples, seed=seed)
    if args.hq is None:
        out["reasons"].append("end user headquartered in CN (the default; set --hq)")
    return out
