"""The words around an exported chart: chart names and titles, the key-assumptions footnote and
the source line. Headless, so the slide text is testable without Qt and the same in every
export (PNG, SVG, PDF, PPTX)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core import __version__
from core.catalog import accelerators
from core.scenario import Scenario
from core.scenario_eval import OptionResult, ScenarioResult
from core.units import human

RANGES_NOTE = ("Ranges (P10–P90): Monte Carlo over the software-efficiency spread measured by "
               "leave-one-lab-out cross-validation on published runs, the catalog's lease quotes "
               "and licence approval; other inputs fixed (docs/validation.md).")

# CLI name -> title, in deck order.
CHARTS: dict[str, str] = {
    "time-vs-count": "Time to train vs. number of accelerators",
    "cost": "Cost breakdown per scenario",
    "comparison": "Scenario comparison: days and cost",
    "memory": "Memory per accelerator (chosen plan)",
    "step-time": "Step-time breakdown (chosen plan)",
    "policy-timeline": "Policy timeline: usable accelerators over time",
    "policy-impact": "What the policy costs the lab: best route before and after",
    "tornado": "Sensitivity: which assumption decides it",
    "pareto": "Cost against time of every option",
}
# Charts about one scenario (the others compare every scenario of the project).
PER_SCENARIO = frozenset({"time-vs-count", "memory", "step-time", "policy-timeline",
                          "policy-impact", "tornado", "pareto"})
# The window's Sweep chart: about one scenario, in a deck only when the user drew one (it needs
# an input and a range picked, so `chokepoint export` has no such chart).
SWEEP_TITLE = "One input swept: days and cost"
TITLES: dict[str, str] = {**CHARTS, "sweep": SWEEP_TITLE}
ABOUT_ONE_SCENARIO = PER_SCENARIO | {"sweep"}


def chart_title(name: str, scenario: str) -> str:
    """The slide/picture title: per-scenario charts name their scenario."""
    title = TITLES[name]
    return f"{title} — {scenario}" if name in ABOUT_ONE_SCENARIO else title


def _fleet(scenario: Scenario) -> str:
    return "; ".join(f"{p.count:,} × {p.accelerator} @ {p.site} ({p.access})" for p in scenario.fleet)


def _chosen(result: ScenarioResult | None) -> OptionResult | None:
    """The option a scenario's figures come from: the chosen one, else the first (hypothetical)."""
    if result is None:
        return None
    return result.best or (result.options[0] if result.options else None)


def precision_used(scenario: Scenario, result: ScenarioResult | None = None) -> str:
    """The precision the scenario's own figures are computed in, e.g. 'BF16'. A chip without FP8
    trains in BF16 whatever the scenario asks: 'BF16 (FP8 requested; Ascend-910C has no FP8)'."""
    requested = scenario.training.precision
    opt = _chosen(result)
    used = requested
    if opt is not None:
        plan = opt.estimate.plan if opt.estimate is not None else None
        if plan is not None:
            used = plan.precision
        elif requested == "fp8":  # no plan fits: say what the estimate would have used
            chip = accelerators().get(opt.accelerator)
            if chip is not None and not chip.supports_fp8:
                used = "bf16"
    if used != requested and opt is not None:
        return (f"{used.upper()} ({requested.upper()} requested; {opt.accelerator} has no "
                f"{requested.upper()})")
    return used.upper()


def _model_size(scenario: Scenario, result: ScenarioResult | None) -> str:
    est = next((o.estimate for o in (result.options if result else []) if o.estimate), None)
    size = ""
    if est is not None:
        size = f" ({human(est.total_params)} params"
        size += f", {human(est.active_params)} active)" if est.active_params != est.total_params \
            else ")"
    t = scenario.training
    return f"{scenario.model.name}{size}, {human(t.tokens)} tokens, sequence {t.seq_len:,}"


def _model(scenario: Scenario, result: ScenarioResult | None) -> str:
    return f"{_model_size(scenario, result)}, {precision_used(scenario, result)}"


def _price_basis(result: ScenarioResult | None) -> str:
    opt = _chosen(result)
    return (opt.price_basis if opt is not None and opt.price_basis else "not computed")


def _policy(scenario: Scenario) -> str:
    p = scenario.policy
    text = f"regime '{p.regime}' as of {scenario.date.isoformat()}, end user HQ {scenario.hq}"
    if p.hypothetical_from:
        text += f", hypothetical rules from {p.hypothetical_from.isoformat()}"
    if p.disabled_rules:
        text += f", rules switched off: {', '.join(p.disabled_rules)}"
    if p.count_pending_licences:
        text += ", pending licences counted by likelihood"
    return text


def assumptions_line(scenario: Scenario, result: ScenarioResult | None = None) -> str:
    """Key assumptions of one scenario: model, tokens, fleet, policy regime and date, price
    basis (and the deadline/budget when set)."""
    parts = [f"Model: {_model(scenario, result)}", f"Fleet: {_fleet(scenario)}",
             f"Policy: {_policy(scenario)}", f"Price basis: {_price_basis(result)}"]
    c = scenario.constraints
    if c.deadline_days:
        parts.append(f"Deadline: {c.deadline_days:,.0f} days")
    if c.budget_usd:
        parts.append(f"Budget: ${human(c.budget_usd)}")
    return "Assumptions — " + ". ".join(parts) + "."


def project_assumptions_line(scenarios: list[Scenario], results: list[ScenarioResult]) -> str:
    """Footnote of the charts that compare scenarios: what they share, and what each bar is."""
    pairs = list(zip(scenarios, results, strict=True))
    models = sorted({_model_size(s, r) for s, r in pairs})
    precisions = [(s.name, precision_used(s, r)) for s, r in pairs]
    if len({p for _n, p in precisions}) == 1:
        precision = f"{precisions[0][1]} in every scenario"
    else:  # each scenario's own: an FP8 plan and a BF16 fallback must not read alike
        precision = "; ".join(f"{name}: {p}" for name, p in precisions)
    regimes = sorted({s.policy.regime for s in scenarios})
    dates = sorted({s.date for s in scenarios})
    when = dates[0].isoformat() if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
    return ("Assumptions — " + f"{len(scenarios)} scenarios; each scenario's figures are its chosen "
            "option (or, when none is allowed, the option it would use, marked 'if it were allowed'). "
            f"Model: {'; '.join(models)}. Precision: {precision}. Policy regimes: {', '.join(regimes)}; dates {when}. "
            "Price basis per scenario as in its own slide or `chokepoint evaluate`. "
            + ranges_note(results))


def ranges_note(results: list[ScenarioResult]) -> str:
    """How the P10-P90 ranges of these results were made: the inputs varied and those taken as
    certain (core.uncertainty.describe_method), with where the method is written down."""
    from core.uncertainty import describe_method

    text = describe_method([r.uncertainty for r in results if r.best is not None])
    if not text:
        return RANGES_NOTE
    # the clause on how well the band held says where the efficiency spread comes from
    return (text[:-1].replace("software efficiency (cross-validated spread)",
                              "software efficiency") + validation_note() + ".")


def validation_note() -> str:
    """How well the efficiency band held on published runs (the fit that made it,
    resources/catalog/maturity.json, written with docs/validation.md), and where to read more."""
    from core.maturity import load_maturity

    try:
        cv = load_maturity()["cross_validation"]
        return (f"; the efficiency band held {cv['coverage_p10_p90']:.0%} of {cv['runs']} "
                "published runs, each lab's from the other labs (docs/validation.md)")
    except (KeyError, TypeError, ValueError, OSError):
        return " (docs/validation.md)"


def band_note() -> str:
    """The shaded band of the time-vs-count chart, in one sentence."""
    return ("Shaded: P10–P90 of the days from the software-efficiency spread (and the token or "
            "active-parameter range where marked)" + validation_note() + ".")


def footnote(name: str, scenarios: list[Scenario], results: list[ScenarioResult],
             index: int) -> str:
    if name == "time-vs-count":  # its shaded band is a P10-P90 range: say how it was made
        return assumptions_line(scenarios[index], results[index]) + " " + band_note()
    if name in ABOUT_ONE_SCENARIO:
        return assumptions_line(scenarios[index], results[index])
    return project_assumptions_line(scenarios, results)


def source_line(project: Any, file_name: str | None = None, today: dt.date | None = None) -> str:
    """Where the figures come from, so a reader can reproduce them. ``project``: a Project or
    its name."""
    name = (project if isinstance(project, str) else getattr(project, "name", "")) or "untitled"
    where = f" ({file_name})" if file_name else ""
    day = (today or dt.date.today()).isoformat()
    return (f"Source: Chokepoint {__version__} model estimates for project “{name}”{where}, "
            f"{day}; catalog, prices and rules as cited in the app's catalog. "
            "Estimates, not measurements.")
