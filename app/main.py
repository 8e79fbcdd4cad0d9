"""Entry point of the ``chokepoint`` command: ``estimate``/``evaluate``/``catalog`` go to the
headless CLI, ``export`` to the chart exporter (Qt, offscreen), anything else opens the desktop
window (Qt is imported only then)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

CLI_COMMANDS = {"estimate", "evaluate", "catalog", "solve", "-h", "--help"}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
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
