"""Command line: ``chokepoint estimate``, ``evaluate`` and ``catalog`` (a public contract).

Bad input exits 2 with one line on stderr naming the field; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from pydantic import ValidationError

from core.errors import InputError, validation_error
from core.units import human, parse_count


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        self.exit(2, f"chokepoint: error: {message}\n")


class _Fail(Exception):
    pass


def _positive(kind: type, maximum: float | None = None):
    """An argparse type: a finite number > 0 (whole when ``kind`` is int), at most ``maximum``."""
    def parse(text: str):
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"cannot read {text!r} as a number") from None
        if not math.isfinite(value) or value <= 0 or (kind is int and value != int(value)):
            what = "a whole number" if kind is int else "a finite number"
            raise argparse.ArgumentTypeError(f"must be {what} > 0, got {text!r}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum:,}, got {text!r}")
        return kind(value)

    return parse


def _count(field: str):
    def parse(text: str) -> float:
        try:
            return parse_count(text, field)
        except InputError as exc:
            raise argparse.ArgumentTypeError(exc.problem) from None

    return parse


def _uncertainty_flags(p: argparse.ArgumentParser) -> None:
    from core.uncertainty import DEFAULT_SAMPLES

    p.add_argument("--samples", type=_positive(int, 1_000_000), default=DEFAULT_SAMPLES,
                   help=f"Monte Carlo samples of the P10/P50/P90 ranges (default {DEFAULT_SAMPLES:,})")
    p.add_argument("--seed", type=_nonnegative_int, default=0,
                   help="random seed of the ranges: the same seed gives the same output (default 0)")


def _nonnegative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="chokepoint", description="Plan AI training runs under chip export controls.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    est = sub.add_parser("estimate", help="time, GPU-hours, memory and plan for one fleet")
    src = est.add_mutually_exclusive_group(required=True)
    src.add_argument("--model", help="model preset id (see: chokepoint catalog models)")
    src.add_argument("--model-config", metavar="CONFIG.json", help="a Hugging Face config.json")
    est.add_argument("--tokens", required=True, type=_count("--tokens"), help="15.6T, 300B or 15.6e12")
    est.add_argument("--accelerator", required=True, help="catalog id, e.g. H100-SXM")
    est.add_argument("--count", required=True, type=_positive(int, 10_000_000))
    est.add_argument("--seq-len", type=_positive(int), default=None)
    est.add_argument("--global-batch-tokens", type=_count("--global-batch-tokens"), default=None)
    est.add_argument("--precision", choices=("bf16", "fp8"), default="bf16")
    from core.maturity import DEFAULT_MATURITY, MATURITY_NAMES

    est.add_argument(
        "--maturity", choices=MATURITY_NAMES, default=DEFAULT_MATURITY,
        help="software maturity of the training stack (default %(default)s): frontier = a well-tuned 2023+ "
        "stack; typical = a 2023+ stack as the median lab runs it; legacy = a pre-2023 stack; first-port = "
        "a first port to a new chip. Factors and spreads per chip family in resources/catalog/maturity.json, "
        "fitted on docs/validation.md's runs")
    est.add_argument("--site", default=None, help="site id (MY-Johor, CN-West, ...) or ISO country")
    est.add_argument("--access", choices=("own", "stockpile", "lease", "domestic", "smuggled"), default=None)
    est.add_argument("--hq", default=None, help="end user's headquarters, ISO country code")
    est.add_argument("--policy", default=None, help="policy regime id (default in-force)")
    est.add_argument("--date", default=None, help="scenario date YYYY-MM-DD (default today)")
    est.add_argument("--acquired", default=None, help="when the chips were obtained, YYYY-MM-DD")
    est.add_argument("--end-user", default=None,
                     choices=("private", "state_owned", "state_funded_dc", "government", "critical_infrastructure"),
                     help="what kind of buyer the end user is, for China's rules that key on it (default private)")
    est.add_argument("--price-per-hour", type=_positive(float), default=None,
                     help="lease price per accelerator-hour, USD")
    est.add_argument("--json", action="store_true", help="print one JSON object")
    est.add_argument("--active-params-low", type=_count("--active-params-low"), default=None,
                     help="mark the model's active parameter count uncertain (an undisclosed "
                     "model): the low end, e.g. 20B; the P10/P50/P90 ranges sample between it and "
                     "--active-params-high, the point estimate keeps the architecture's count")
    est.add_argument("--active-params-high", type=_count("--active-params-high"), default=None,
                     help="the high end of an uncertain active parameter count, e.g. 60B")
    _uncertainty_flags(est)

    ev = sub.add_parser("evaluate", help="evaluate the scenarios of a project file")
    ev.add_argument("project", metavar="PROJECT.json")
    ev.add_argument("--scenario", default=None, help="only this scenario (by name)")
    ev.add_argument("--json", action="store_true")
    _uncertainty_flags(ev)

    from core.solve_cli import add_parser as add_solve

    add_solve(sub, _positive, _count)
    from core.answers_cli import add_parsers as add_answers

    add_answers(sub)

    cat = sub.add_parser("catalog", help="list accelerators, models, policies or sites")
    cat.add_argument("what", choices=("accelerators", "models", "policies", "sites"))
    cat.add_argument("--json", action="store_true")
    return p


# ---- estimate --------------------------------------------------------------------------------
def _load_model(args):
    if args.model_config:
        from core.hf_import import load_hf_config

        return load_hf_config(args.model_config), None
    from core.presets import get_preset

    preset = get_preset(args.model)
    return preset.spec, preset


def _uses_scenario(args) -> bool:
    return any(getattr(args, k) is not None for k in
               ("site", "access", "hq", "policy", "date", "acquired", "price_per_hour", "end_user"))


def cmd_estimate(args) -> int:
    from core.catalog import get_accelerator
    from core.training import TrainingSpec

    model, preset = _load_model(args)
    low, high = getattr(args, "active_params_low", None), getattr(args, "active_params_high", None)
    if low is not None or high is not None:
        try:
            model = type(model).model_validate(
                {**model.model_dump(), "active_params_low": low, "active_params_high": high})
        except ValidationError as exc:
            field = "--active-params-high" if high is None or (
                low is not None and low <= model.active_params()) else "--active-params-low"
            raise InputError(field, validation_error(exc).problem) from None
    chip = get_accelerator(args.accelerator, "--accelerator")
    seq_len = args.seq_len or (preset.default_seq_len if preset and preset.default_seq_len else 4096)
    try:
        training = TrainingSpec(
            tokens=args.tokens,
            seq_len=seq_len,
            global_batch_tokens=int(args.global_batch_tokens) if args.global_batch_tokens else None,
            precision=args.precision,
        )
    except ValidationError as exc:
        err = validation_error(exc)
        name = err.field.split(".")[0] or "global_batch_tokens"  # the one cross-field rule
        raise InputError("--" + name.replace("_", "-"), err.problem) from None
    from core.scenario_eval import estimate_cli

    out = estimate_cli(args, model, chip, training, scenario_mode=_uses_scenario(args))
    if args.json:
        print(json_text(out))
    else:
        print(_summary(out))
    return 0


def _range(o: dict, key: str, fmt: str | None) -> str:
    """ " (P10–P90 38–71)" from the output's uncertainty bands; empty without them."""
    band = (o.get("uncertainty") or {}).get(key)
    if not band:
        return ""
    show = (lambda x: fmt.format(x)) if fmt else human
    return f" (P10–P90 {show(band['p10'])}–{show(band['p90'])})"


def json_text(data: dict) -> str:
    """``--json`` output: never NaN or Infinity (not JSON). A figure that is not finite is written
    as null and its path listed under ``not_finite`` with the reason."""
    bad: list[str] = []

    def clean(node, path: str):
        if isinstance(node, float) and not math.isfinite(node):
            bad.append(f"{path or '.'}: {node!r}")
            return None
        if isinstance(node, dict):
            return {k: clean(v, f"{path}.{k}" if path else str(k)) for k, v in node.items()}
        if isinstance(node, list | tuple):
            return [clean(v, f"{path}[{i}]") for i, v in enumerate(node)]
        return node

    out = clean(data, "")
    if bad:
        out["not_finite"] = [f"{b} (written as null: not a finite number)" for b in bad]
    return json.dumps(out, indent=2, allow_nan=False, default=str)


def _summary(o: dict) -> str:
    lines = [
        f"{o['model_name']}: {human(o['total_params'])} parameters ({human(o['active_params'])} active), "
        f"{human(o['tokens'])} tokens, {o['training_flops']:.3g} training FLOPs",
        f"Fleet: {o['count']:,} × {o['accelerator']}",
        f"Verdict: {o['verdict'].upper().replace('_', ' ')}",
    ]
    for r in o["reasons"]:
        lines.append(f"      {r.strip()}" if r.startswith("  ") else f"  - {r}")
    if o.get("plan") and o.get("figures_hypothetical"):
        lines.append(f"Figures below are for {o.get('figures_for')}, which the verdict rules out:")
    if o.get("plan"):
        p = o["plan"]
        st = o["step_time"]
        lines += [
            f"Plan: TP{p['tp']} PP{p['pp']}" + (f"×v{p['interleave']}" if p["interleave"] > 1 else "")
            + f" DP{p['dp']}" + (f" EP{p['ep']}" if p["ep"] > 1 else "")
            + f", micro-batch {p['micro_batch']}×{p['micro_batches']}, ZeRO-{p['zero_stage']}, "
            f"recompute {p['recompute']}, {p['precision'].upper()} "
            f"({p['chips_used']:,} chips, global batch {human(p['global_batch_tokens'])} tokens)",
            f"Wall-clock: {o['wall_clock_days']:.1f} days{_range(o, 'wall_clock_days', '{:.0f}')}   "
            f"GPU-hours: {human(o['gpu_hours'])}{_range(o, 'gpu_hours', None)} "
            f"(of the {p['chips_used']:,} chips used"
            + (f"; {o['chips_idle']:,} idle: {human(o['gpu_hours_idle'])} more)   " if o.get("chips_idle") else ")   ")
            + f"MFU: {o['mfu'] * 100:.1f}%   goodput: {o['goodput'] * 100:.1f}%",
            f"Memory per accelerator: {o['memory_per_gpu_gb']:.1f} GB of {o['memory']['usable_hbm_gb']:.1f} GB usable "
            f"(weights {o['memory']['weights_gb']:.1f}, grads {o['memory']['gradients_gb']:.1f}, "
            f"optimizer {o['memory']['optimizer_gb']:.1f}, activations {o['memory']['activations_gb']:.1f}, "
            f"buffers {o['memory']['buffers_gb']:.1f})",
            "Step time: {:.2f} s = compute {:.2f} + TP {:.2f} + EP all-to-all {:.2f} + PP p2p {:.2f} "
            "+ bubble {:.2f} + DP {:.2f} + optimizer {:.2f}".format(
                st["total"], st["compute"], st["tensor_parallel"], st["expert_all_to_all"],
                st["pipeline_p2p"], st["pipeline_bubble"], st["data_parallel"], st["optimizer"]),
        ]
        if o.get("energy_text"):  # facility energy (the cost's), chips at TDP beside it
            lines.append(f"Energy: {o['energy_text']}")
        elif o.get("energy_mwh") is not None:
            lines.append(f"Energy (accelerators at TDP): {o['energy_mwh']:,.0f} MWh")
    if o.get("cost_usd") is not None:
        lines.append(f"Cost: ${o['cost_usd']:,.0f}{_range(o, 'cost_usd', '${:,.0f}')}  " + ", ".join(
            f"{k} ${v:,.0f}" for k, v in (o.get("cost_breakdown") or {}).items() if v))
    chances = [f"{o[key]:.0%} {words}" for key, words in
               (("p_deadline", "to meet the deadline"), ("p_budget", "to stay within the budget"))
               if o.get(key) is not None]
    if chances:  # over the same Monte Carlo samples as the P10-P90 ranges (licence refusals miss)
        lines.append("Chance: " + "; ".join(chances))
    for pol in o.get("policy") or []:
        # the same words as the last reason of the explanation (one explanation per pool)
        verdict = pol.get("summary") or f"{pol.get('status')} ({pol.get('decisive_rule') or 'no rule applies'})"
        lines.append(f"Policy, pool {pol.get('pool', 0) + 1} ({pol.get('accelerator')}, {pol.get('access')} "
                     f"@ {pol.get('site')}): {verdict}")
    lines.append(f"Candidates evaluated: {o['candidates_evaluated']:,} ({o['candidates_fitting']:,} fit)")
    return "\n".join(lines)


# ---- catalog ---------------------------------------------------------------------------------
def cmd_catalog(args) -> int:
    rows: list[dict]
    if args.what == "accelerators":
        from core.catalog import accelerators

        rows = []
        for a in accelerators().values():
            rows.append({
                "id": a.id, "name": a.name, "vendor": a.vendor, "origin": a.origin,
                "bf16_tflops": a.v("bf16_tflops"), "fp8_tflops": a.v("fp8_tflops"),
                "hbm_gb": a.v("hbm_gb"), "hbm_tbs": a.v("hbm_tbs"), "scaleup_gbs": a.v("scaleup_gbs"),
                "scaleup_domain": a.v("scaleup_domain"), "scaleout_gbs": a.v("scaleout_gbs"),
                "tdp_w": a.v("tdp_w"), "tpp": a.tpp, "performance_density": a.performance_density,
                "unit_price_usd": a.v("unit_price_usd"), "kernel_efficiency": a.v("kernel_efficiency"),
                "missing": a.missing(),
            })
        cols = ["id", "vendor", "bf16_tflops", "fp8_tflops", "hbm_gb", "scaleup_gbs", "scaleup_domain", "tpp",
                "performance_density"]
    elif args.what == "models":
        from core.presets import load_presets

        rows = []
        for pid, p in load_presets().items():
            rows.append({"id": pid, "name": p.name, "total_params": p.spec.total_params(),
                         "active_params": p.spec.active_params(), "layers": p.spec.n_layers,
                         "d_model": p.spec.d_model, "experts": p.spec.n_experts, "source": p.published_source})
        cols = ["id", "total_params", "active_params", "layers", "d_model", "experts"]
    elif args.what == "policies":
        from core.policy import load_regimes

        rows = [{"id": rid, "name": r.title, "rules": len(r.rules), "description": r.description}
                for rid, r in load_regimes().items()]
        cols = ["id", "rules", "name"]
    else:
        from core.sites import sites

        rows = [s.model_dump(mode="json") for s in sites().values()]
        cols = ["id", "name", "country"]
    if args.json:
        print(json.dumps(rows, indent=2, default=str))
        return 0
    print(_table(rows, cols))
    return 0


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 1e5 else human(v)
    if isinstance(v, int) and v >= 1e6:
        return human(v)
    return str(v)


def _table(rows: list[dict], cols: list[str]) -> str:
    cells = [[_fmt(r.get(c)) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) if cells else len(c) for i, c in enumerate(cols)]
    out = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(x.ljust(w) for x, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(out)


# ---- evaluate --------------------------------------------------------------------------------
def cmd_evaluate(args) -> int:
    from core.project import load_project
    from core.scenario_eval import evaluate_scenario, result_dict

    project = load_project(args.project)
    scenarios = project.scenarios
    if args.scenario is not None:
        scenarios = [s for s in scenarios if s.name == args.scenario]
        if not scenarios:
            names = ", ".join(repr(s.name) for s in project.scenarios)
            raise InputError("--scenario", f"no scenario named {args.scenario!r} (have: {names})")
    index = {id(s): i for i, s in enumerate(project.scenarios)}
    results = []
    for s in scenarios:
        try:
            results.append(result_dict(s, evaluate_scenario(s, project), samples=args.samples,
                                       seed=args.seed))
        except InputError as exc:  # say which scenario of which file the problem is in
            where = exc.with_prefix(f"scenarios[{index[id(s)]}]") if not exc.field.startswith(
                ("regimes[", "--")) else exc
            raise where.in_file(args.project) from None
    if args.json:
        print(json_text({"project": project.name, "scenarios": results}))
    else:
        for r in results:
            print(f"== {r['scenario']} ==")
            print(_summary(r))
            print()
    return 0


def run_guarded(prog: str, command: Callable[[], int]) -> int:
    """Run a command the way every chokepoint command ends: bad input exits 2 with one line
    naming the field; a bug prints one line too (CHOKEPOINT_DEBUG=1 shows the traceback)."""
    try:
        return command()
    except InputError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: still one line, and a way to see more
        if os.environ.get("CHOKEPOINT_DEBUG"):
            raise
        print(f"{prog}: internal error: {type(exc).__name__}: {exc} "
              "(set CHOKEPOINT_DEBUG=1 for details)", file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from core.answers_cli import cmd_impact, cmd_sweep
    from core.solve_cli import cmd_solve

    commands = {"estimate": cmd_estimate, "catalog": cmd_catalog, "evaluate": cmd_evaluate,
                "solve": cmd_solve, "impact": cmd_impact, "sweep": cmd_sweep}
    return run_guarded("chokepoint", lambda: commands[args.command](args))


if __name__ == "__main__":
    sys.exit(main())
