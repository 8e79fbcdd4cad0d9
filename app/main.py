"""Entry point of the ``chokepoint`` command: subcommands go to the headless CLI, anything else
opens the desktop window (Qt is imported only then)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

CLI_COMMANDS = {"estimate", "evaluate", "catalog", "export", "-h", "--help"}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in CLI_COMMANDS:
        from core.cli import main as cli_main

        return cli_main(args)
    from app.gui import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
