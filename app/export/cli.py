"""``chokepoint export PROJECT.json --chart NAME|all --format png|svg|pdf|pptx --out PATH``.

Needs Qt (charts are drawn by pyqtgraph), so it lives in ``app`` and runs headless
(``QT_QPA_PLATFORM=offscreen`` unless a platform is set). Bad input exits 2 with one line naming
the field; never a traceback. ``--out`` may never be the project itself (however it is spelled,
or through a link), and every file is written atomically: a failed export keeps the old file.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from core.cli import run_guarded
from core.errors import InputError

CHART_CHOICES = ("time-vs-count", "cost", "comparison", "memory", "step-time", "policy-timeline",
                 "policy-impact", "tornado", "pareto")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        self.exit(2, f"chokepoint export: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="chokepoint export",
                description="Export charts of a project as slide-ready PNG, SVG, PDF or a "
                            "PowerPoint deck.")
    p.add_argument("project", metavar="PROJECT.json")
    p.add_argument("--chart", required=True, metavar="NAME",
                   help=f"one of {', '.join(CHART_CHOICES)}, or all")
    p.add_argument("--format", required=True, choices=("png", "svg", "pdf", "pptx"))
    p.add_argument("--out", required=True, metavar="PATH",
                   help="a file; a folder for --chart all with png/svg/pdf")
    p.add_argument("--size", default="1920x1080", metavar="WxH",
                   help="picture size in pixels: 1920x1080 (default) or 3840x2160")
    p.add_argument("--scenario", metavar="NAME",
                   help="scenario of the per-scenario charts (name or 1-based number; default: "
                        "the first)")
    p.add_argument("--all-scenarios", action="store_true",
                   help="with --format pptx: the per-scenario charts of every scenario in one "
                        "deck (instead of --scenario)")
    p.add_argument("--marking", metavar="TEXT",
                   help="marking printed top and bottom (default: the project's own)")
    return p


def _is_same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): not the same file
        return False


def _refuse_input(project: Path, targets: list[Path]) -> None:
    for target in targets:
        if _is_same_file(project, target):
            raise InputError("--out", f"{target} is the project being exported; choose another "
                             "file name (the project is left as it is)")


def run(args: argparse.Namespace) -> list[Path]:
    from app.export.render import parse_size
    from core.project import load_project, scenario_index

    if args.chart != "all" and args.chart not in CHART_CHOICES:
        raise InputError("--chart", f"unknown chart {args.chart!r}; one of "
                         f"{', '.join(CHART_CHOICES)}, all")
    size = parse_size(args.size)
    if args.all_scenarios and args.format != "pptx":
        raise InputError("--all-scenarios", "only with --format pptx (one deck holds every "
                         "scenario's charts)")
    if args.all_scenarios and args.scenario is not None:
        raise InputError("--all-scenarios", "give either --scenario or --all-scenarios")
    project = load_project(args.project)
    index = scenario_index(project, args.scenario)
    if args.marking is not None:
        project = project.model_copy(update={"marking": args.marking.strip()})
    names = list(CHART_CHOICES) if args.chart == "all" else [args.chart]
    out = Path(args.out)
    many = len(names) > 1 and args.format != "pptx"
    if many:
        if out.exists() and not out.is_dir():
            raise InputError("--out", f"{out} is a file; --chart all writes one file per chart "
                             "into a folder")
        out.mkdir(parents=True, exist_ok=True)
    elif out.is_dir():
        raise InputError("--out", f"{out} is a folder; give a file name")
    elif not out.parent.exists():
        raise InputError("--out", f"folder {out.parent} does not exist")
    targets = [out / f"{name}.{args.format}" for name in names] if many else [out]
    _refuse_input(Path(args.project), targets)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from core.chart_data import chart_set

    charts = chart_set(project, index)
    file_name = Path(args.project).name
    if args.format == "pptx":
        from app.export.pptx import every_scenario, export_deck

        scenarios = every_scenario(project, charts) if args.all_scenarios else None
        return [export_deck(charts, out, names, width_px=size[0], file_name=file_name,
                            scenarios=scenarios)]
    from app.export.render import export_chart

    written = []
    for name, target in zip(names, targets, strict=True):
        written.append(export_chart(name, charts, args.format, target, size, file_name=file_name))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))

    def export() -> int:
        from app.binding import binding_problem, refuse

        problem = binding_problem()
        if problem:
            return refuse(problem)
        for path in run(args):
            print(path)
        return 0

    return run_guarded("chokepoint export", export)


if __name__ == "__main__":
    sys.exit(main())
