"""``chokepoint solve``: the smallest fleet for a deadline, or every answer for a project
scenario.

    chokepoint solve --model M --tokens T --accelerator A --deadline-days D [estimate flags] --json
    chokepoint solve --model M ... --deadline YYYY-MM-DD [--date YYYY-MM-DD] --json
    chokepoint solve PROJECT.json [--scenario N] [--deadline-days D | --deadline DATE] --json
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from core.errors import InputError
from core.units import parse_date


def add_parser(sub: Any, positive: Any, count: Any) -> None:
    s = sub.add_parser("solve", help="smallest fleet, latest start and reachable compute for a "
                                     "deadline; every answer for a project scenario")
    s.add_argument("project", nargs="?", metavar="PROJECT.json",
                   help="a project file (then --scenario picks the scenario)")
    s.add_argument("--scenario", default=None,
                   help="scenario name or 1-based number (default 1), or 'all' for every one")
    s.add_argument("--model", help="model preset id (see: chokepoint catalog models)")
    s.add_argument("--model-config", metavar="CONFIG.json", help="a Hugging Face config.json")
    s.add_argument("--tokens", type=count("--tokens"), help="15.6T, 300B or 15.6e12")
    s.add_argument("--accelerator", help="catalog id, e.g. H100-SXM")
    s.add_argument("--seq-len", type=positive(int), default=None)
    s.add_argument("--global-batch-tokens", type=count("--global-batch-tokens"), default=None)
    s.add_argument("--precision", choices=("bf16", "fp8"), default="bf16")
    s.add_argument("--deadline-days", type=positive(float, 36_500), default=None,
                   help="days from the start the run must finish within")
    s.add_argument("--deadline", default=None, help="finish date YYYY-MM-DD (start: --date)")
    s.add_argument("--date", default=None, help="start date YYYY-MM-DD (default today, or the "
                                                "scenario's date)")
    s.add_argument("--budget", type=positive(float), default=None, help="budget, USD")
    s.add_argument("--confidence", choices=("p50", "p90"), default="p50",
                   help="meet the deadline at the median estimate or at its P90")
    s.add_argument("--max-count", type=positive(int, 10_000_000), default=None,
                   help="largest fleet searched (default 1,000,000)")
    s.add_argument("--maturity", default=None,
                   help="software maturity of the stack (see chokepoint estimate --help)")
    s.add_argument("--target-flops", type=positive(float), default=None, metavar="FLOP",
                   help="a training-compute target, e.g. 1e25: is it reached by the deadline, "
                        "on what date with the fleet as given, and what fleet reaches it in time")
    s.add_argument("--target-tokens", type=count("--target-tokens"), default=None,
                   help="the same target as training tokens of the model (15T, 3e13)")
    s.add_argument("--count", type=positive(int, 10_000_000), default=None,
                   help="without a PROJECT.json: the fleet as given for the latest start, "
                        "reachable compute and target date (default: the smallest count found)")
    s.add_argument("--json", action="store_true", help="print one JSON object")


def _deadline_days(args: Any, start: dt.date) -> float | None:
    if args.deadline_days is not None and args.deadline is not None:
        raise InputError("--deadline", "give --deadline-days or --deadline, not both")
    if args.deadline is None:
        return args.deadline_days
    end = parse_date(args.deadline, "--deadline")
    assert end is not None
    days = (end - start).days
    if days <= 0:
        raise InputError("--deadline", f"{end} is not after the start {start} (set --date)")
    return float(days)


def cmd_solve(args: Any) -> int:
    from core.solve import MAX_COUNT

    max_count = args.max_count or MAX_COUNT
    out = _solve_project(args, max_count) if args.project else _solve_bare(args, max_count)
    if args.json:
        from core.cli import json_text

        print(json_text(out))
    else:
        print(_text(out))
    return 0


def _solve_bare(args: Any, max_count: int) -> dict[str, Any]:
    from core.catalog import get_accelerator
    from core.estimate import estimate
    from core.solve import goal_tokens, latest_start, min_count_for_deadline, p90_days_factor
    from core.training import PhysicsOptions, TrainingSpec

    for flag in ("tokens", "accelerator"):
        if getattr(args, flag) is None:
            raise InputError(f"--{flag}", "required without a PROJECT.json")
    if not (args.model or args.model_config):
        raise InputError("--model", "give --model or --model-config (or a PROJECT.json)")
    if args.model and args.model_config:
        raise InputError("--model", "give --model or --model-config, not both")
    start = parse_date(args.date, "--date") or dt.date.today()
    deadline = _deadline_days(args, start)
    if deadline is None:
        raise InputError("--deadline-days", "give --deadline-days or --deadline")
    if args.model_config:
        from core.hf_import import load_hf_config

        model, preset = load_hf_config(args.model_config), None
    else:
        from core.presets import get_preset

        preset = get_preset(args.model)
        model = preset.spec
    chip = get_accelerator(args.accelerator, "--accelerator")
    seq_len = args.seq_len or (preset.default_seq_len if preset and preset.default_seq_len else 4096)
    try:
        training = TrainingSpec(tokens=args.tokens, seq_len=seq_len, precision=args.precision,
                                global_batch_tokens=int(args.global_batch_tokens)
                                if args.global_batch_tokens else None)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise InputError("--global-batch-tokens", str(exc).splitlines()[-1]) from None
    try:
        physics = PhysicsOptions(maturity=args.maturity or "typical")
    except ValueError:
        from core.maturity import MATURITY_NAMES

        raise InputError("--maturity", f"unknown setting {args.maturity!r}; one of "
                         + ", ".join(MATURITY_NAMES)) from None
    goal = goal_tokens(model, training, args.target_flops, args.target_tokens)
    # at the P90 every figure below uses days × this factor (the window's band's upper edge)
    factor = p90_days_factor(model, training, physics, chip.id) \
        if args.confidence == "p90" else 1.0
    answer = min_count_for_deadline(model, training, chip, deadline, physics, args.confidence,
                                    None, max_count, p90_factor=factor)
    out: dict[str, Any] = answer.model_dump(mode="json")
    out["start"] = start.isoformat()
    end = start + dt.timedelta(days=deadline)
    out["deadline"] = end.isoformat()
    fleet = args.count or answer.min_count
    if fleet is not None:
        out["fleet_as_given"] = fleet
        est = estimate(model, training, chip, fleet, physics)
        if est.wall_clock_days is not None:
            days = est.wall_clock_days * factor  # P90 days at the P90
            start_by = latest_start(end, days)
            out["latest_start"] = start_by.isoformat()
            # the check, by evaluation: started then it ends by the deadline, a day later not
            # (no policy in the bare form: the run's days do not depend on its start)
            offset = (start_by - start).days  # in days from the start, as the deadline is
            out["latest_start_check"] = {"finishes_day": offset + days,
                                         "one_day_later_finishes_day": offset + 1 + days,
                                         "deadline_day": deadline}
            if args.confidence == "p90":
                out["latest_start_days_p90"] = days
            out["reachable_by_deadline"] = _bare_reachable(model, training, chip, fleet, physics,
                                                           answer.target_days,
                                                           est.wall_clock_days)
    if goal is not None:
        out["target"] = _bare_target(model, training, chip, fleet, physics, goal, answer,
                                     start, args.confidence, factor, max_count)
    return out


def _training_with(training: Any, tokens: float) -> Any:
    return training.model_copy(update={"tokens": tokens, "tokens_low": None, "tokens_high": None})


def _bare_reachable(model: Any, training: Any, chip: Any, fleet: int, physics: Any,
                    target: float, days0: float) -> dict[str, float] | None:
    """Tokens and FLOPs the fleet gets through by the deadline, each run evaluated (plan and
    goodput worked out again): the run with these tokens finishes, one with 1 % more does not."""
    from core.estimate import estimate
    from core.solve import largest_tokens

    def days(t: float) -> float:
        est = estimate(model, _training_with(training, t), chip, fleet, physics)
        return float("inf") if est.wall_clock_days is None else est.wall_clock_days

    tokens, more = largest_tokens(days, target, training.tokens * target / days0)
    if tokens is None or more is None:
        return None
    per_token = model.training_flops_per_token(training.seq_len)
    return {"tokens": tokens, "training_flops": tokens * per_token, "days": days(tokens),
            "days_with_1pct_more": days(more)}


def _bare_target(model: Any, training: Any, chip: Any, fleet: int | None, physics: Any,
                 goal: float, answer: Any, start: dt.date, confidence: Any, factor: float,
                 max_count: int) -> dict[str, Any]:
    """A compute target: reached by the deadline?, the date with the fleet as given, and the
    smallest fleet that reaches it in time."""
    from core.estimate import estimate
    from core.solve import min_count_for_deadline

    per_token = model.training_flops_per_token(training.seq_len)
    tr = _training_with(training, goal)
    out: dict[str, Any] = {"tokens": goal, "training_flops": goal * per_token}
    if fleet is not None:
        est = estimate(model, tr, chip, fleet, physics)
        days = est.wall_clock_days
        out["days_as_given"] = days
        out["date_as_given"] = None if days is None else \
            (start + dt.timedelta(days=math.ceil(days - 1e-9))).isoformat()
        if confidence == "p90":  # the date on the P90 days
            out["days_as_given_p90"] = None if days is None else days * factor
            out["date_as_given_p90"] = None if days is None else \
                (start + dt.timedelta(days=math.ceil(days * factor - 1e-9))).isoformat()
        out["reached_by_deadline"] = days is not None and days <= answer.target_days
    need = min_count_for_deadline(model, tr, chip, answer.deadline_days, physics, confidence,
                                  None, max_count,
                                  p90_factor=factor if confidence == "p90" else None)
    out["fleet_needed"] = need.min_count
    out["fleet_needed_days"] = need.wall_clock_days
    out["fleet_needed_days_with_one_fewer"] = need.days_with_one_fewer
    if confidence == "p90":
        out["fleet_needed_days_p90"] = need.wall_clock_days_p90
        out["fleet_needed_days_with_one_fewer_p90"] = need.days_with_one_fewer_p90
    if need.min_count is None:
        out["reason"] = need.reason
    return out


def _solve_project(args: Any, max_count: int) -> dict[str, Any]:
    from core.project import load_project, scenario_index

    project = load_project(args.project)
    if args.scenario == "all" and "all" not in [s.name for s in project.scenarios]:
        return {"project": project.name,
                "scenarios": [_solve_one(args, project, s, max_count) for s in project.scenarios]}
    return _solve_one(args, project, project.scenarios[scenario_index(project, args.scenario)],
                      max_count)


def _solve_one(args: Any, project: Any, scenario: Any, max_count: int) -> dict[str, Any]:
    from core.solve import solve_scenario

    start = parse_date(args.date, "--date") or scenario.date
    deadline = _deadline_days(args, start)
    if deadline is not None and start != scenario.date:
        deadline += (start - scenario.date).days  # days from the scenario's own start
    return solve_scenario(scenario, project, deadline, args.budget, args.confidence, max_count,
                          target_flops=args.target_flops, target_tokens=args.target_tokens)


def _text(o: dict[str, Any]) -> str:
    if "scenarios" in o:  # every scenario of a project
        return "\n\n".join(_text(one) for one in o["scenarios"])
    if "options" in o:  # a project scenario
        budget = "none" if o["budget_usd"] is None else f"${o['budget_usd']:,.0f}"
        p90 = o.get("confidence") == "p90"
        lines = [f"{o['scenario']}: verdict {o['verdict']}, deadline "
                 f"{o['deadline_days'] if o['deadline_days'] is not None else 'none'} days, "
                 f"budget {budget}" + (", at the P90 (days: P90, middle estimate in brackets)"
                                       if p90 else "")]
        for r in o["options"]:
            line = f"  {r['option']}" + _status_tag(r)
            if r.get("wall_clock_days") is not None:
                line += f": {_d(r, 'wall_clock_days', p90)} as held"
            if r.get("min_count") is not None:
                line += f"; needs {r['min_count']:,} for the deadline"
                if r.get("min_count_cost_usd") is not None:
                    line += f" (${_cost(r, 'min_count_cost_usd', p90)})"
            elif r.get("reason"):
                line += f"; {r['reason']}"
            if r.get("budget_max_count") is not None:
                line += (f"; at most {r['budget_max_count']:,} within the budget "
                         f"({_d(r, 'budget_max_count_days', p90)})")
            elif r.get("budget_reason"):
                line += f"; {r['budget_reason']}"
            on = " (on the P90 days)" if p90 else ""
            if r.get("latest_start"):
                line += f"; latest start {r['latest_start']}{on}"
            reach = r.get("reachable_by_deadline")
            if reach:
                line += f"; {reach['training_flops']:.3g} FLOP by the deadline as held{on}"
            lines.append(line)
        if "cheapest_meeting" in o:
            best = o["cheapest_meeting"]
            lines.append("Cheapest compliant option meeting the deadline"
                         + (" and budget" if o["budget_usd"] is not None else "") + ": "
                         + (f"{best}, at {o['cheapest_meeting_count']:,} chips"
                            + (f" (${_cost(o, 'cheapest_meeting_cost_usd', p90)})"
                               if o.get("cheapest_meeting_cost_usd") is not None else "")
                            if best else "none"))
            if o.get("cheapest_note"):
                lines.append(f"  {o['cheapest_note']}")
        if o.get("fastest_within_budget"):
            lines.append(f"Fastest compliant option within the budget: "
                         f"{o['fastest_within_budget']}, {o['fastest_within_budget_count']:,} "
                         f"chips, {_d(o, 'fastest_within_budget_days', p90)}")
        if o.get("target"):
            lines.append(_target_text(o["target"]))
        if o.get("reason"):
            lines.append(o["reason"])
        return "\n".join(lines)
    if o["min_count"] is None:
        return f"No fleet of {o['accelerator']} meets it: {o['reason']}"
    plan = o["plan"]
    reach = o.get("reachable_by_deadline") or {}
    target = [_target_text(o["target"])] if o.get("target") else []
    if o["confidence"] == "p90":  # the count is set on the P90: say so, the middle in brackets
        fewer = o.get("days_with_one_fewer_p90")
        head = (f"{o['min_count']:,} × {o['accelerator']} finish in "
                f"{o['wall_clock_days_p90']:,.1f} days at the P90 ({o['wall_clock_days']:,.1f} "
                f"middle estimate; deadline {o['deadline_days']:,.0f} days); "
                f"{o['min_count'] - 1:,} take {fewer or float('inf'):,.1f} at the P90 "
                f"({o['days_with_one_fewer'] or float('inf'):,.1f})")
        on = " (on the P90 days)"
    else:
        head = (f"{o['min_count']:,} × {o['accelerator']} finish in {o['wall_clock_days']:,.1f} "
                f"days (deadline {o['deadline_days']:,.0f} days, P50); "
                f"{o['min_count'] - 1:,} take {o['days_with_one_fewer'] or float('inf'):,.1f}")
        on = ""
    return "\n".join([
        head,
        f"Plan: TP{plan['tp']} PP{plan['pp']} DP{plan['dp']} EP{plan['ep']}, "
        f"{plan['chips_used']:,} chips used",
        f"Latest start for {o['deadline']}: {o.get('latest_start')}{on}",
        f"With {o['fleet_as_given']:,} chips by the deadline{on}: "
        f"{reach.get('training_flops', 0):.3g} FLOP",
        *target])


def _status_tag(r: dict[str, Any]) -> str:
    """' [status]' unless the option's label already says it ('… (blocked)')."""
    status = r["policy_status"]
    return "" if f"({status.replace('_', ' ')})" in r["option"] else f" [{status}]"


def _d(r: dict[str, Any], key: str, p90: bool) -> str:
    """Days: at the P90 the P90 figure with the middle estimate in brackets."""
    if p90 and r.get(f"{key}_p90") is not None:
        return f"{r[key + '_p90']:,.0f} days at the P90 ({r[key]:,.0f} middle estimate)"
    return f"{r[key]:,.0f} days"


def _cost(r: dict[str, Any], key: str, p90: bool) -> str:
    if p90 and r.get(f"{key}_p90") is not None:
        return f"{r[key + '_p90']:,.0f} over the P90 days ({r[key]:,.0f} middle estimate)"
    return f"{r[key]:,.0f}"


def _target_text(t: dict[str, Any]) -> str:
    reached = t.get("reached_by_deadline")
    head = f"Target {t['training_flops']:.3g} FLOP ({t['tokens']:.3g} tokens): "
    head += {True: "reached by the deadline", False: "not reached by the deadline",
             None: "no deadline"}[reached]
    date = t.get("date_as_given") or t.get("earliest_date_as_held")
    p90 = t.get("date_as_given_p90") or t.get("earliest_date_as_held_p90")
    if p90:
        head += f"; with the fleet as given on {p90} at the P90 ({date} middle estimate)"
    elif date:
        head += f"; with the fleet as given on {date}"
    need = t.get("fleet_needed")
    if isinstance(need, dict):
        head += f"; by the deadline it takes {need['count']:,} × {need['accelerator']}"
    elif need is not None:
        head += f"; by the deadline it takes {need:,} chips"
    elif t.get("reason"):
        head += f"; {t['reason']}"
    if t.get("note"):
        head += f" ({t['note']})"
    return head
