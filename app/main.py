"""Entry point of the ``chokepoint`` command: ``estimate``/``evaluate``/``catalog`` go to the
headless CLI, ``export`` to the chart exporter (Qt, offscreen), anything else opens the desktop
window (Qt is imported only then). ``chokepoint --help`` lists all of them and the window's
options."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

CLI_COMMANDS = {"estimate", "evaluate", "catalog", "solve", "impact", "sweep"}
HELP = {"-h", "--help"}


def _commands(parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    """(name, one-line help) of a parser's subcommands."""
    out = []
    for action in parser._actions:  # argparse keeps subcommand help only here
        if isinstance(action, argparse._SubParsersAction):
            out += [(a.dest, a.help or "") for a in action._choices_actions]
    return out


def help_text() -> str:
    """Every way to run ``chokepoint``: the headless commands, ``export`` and the window."""
    from app.gui import gui_parser
    from core.cli import build_parser as cli_parser

    commands = [*_commands(cli_parser()),
                ("export", "charts of a project as PNG, SVG, PDF or a PowerPoint deck (headless)")]
    gui = gui_parser()
    width = max(len(n) for n, _ in commands) + 2
    lines = [
        "usage: chokepoint [FILE.json] [--smoke-test OUT.json]",
        "       chokepoint {" + ",".join(n for n, _ in commands) + "} ...",
        "",
        "Plan AI training runs under chip export controls. With no command, the desktop window",
        "opens (on FILE.json, or on the bundled example).",
        "",
        "commands:",
        *(f"  {n:<{width}}{h}" for n, h in commands),
        "",
        "window options:",
    ]
    opts = [a for a in gui._actions if not isinstance(a, argparse._HelpAction)]
    for a in opts:
        if a.option_strings:
            name = ", ".join(a.option_strings) + (f" {a.metavar}" if a.metavar else "")
        else:
            name = str(a.metavar or a.dest.upper())
        lines.append(f"  {name:<24}{a.help or ''}")
    lines += ["  -h, --help              show this help and exit", "",
              "Run `chokepoint COMMAND --help` for the options of a command."]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in HELP:
        sys.stdout.write(help_text())
        return 0
    if args and args[0] == "export":  # charts need Qt: the app-level CLI, run headless
        from app.export.cli import main as export_main

        return export_main(args[1:])
    if args and args[0] in CLI_COMMANDS:
        from core.cli import main as cli_main

        return cli_main(args)
    from app.gui import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
