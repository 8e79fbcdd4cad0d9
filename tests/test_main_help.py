"""``chokepoint --help`` lists every way to run the program: the headless commands, ``export``
and the window's own options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.main", *args], cwd=ROOT, text=True,
                          capture_output=True, timeout=120)


def test_help_lists_every_subcommand_and_the_window_options():
    from app.gui import gui_parser
    from app.main import _commands
    from core.cli import build_parser

    for flag in ("--help", "-h"):
        r = _run(flag)
        assert r.returncode == 0, r.stderr
        text = r.stdout
        names = [n for n, _ in _commands(build_parser())]
        assert {"estimate", "evaluate", "catalog"} <= set(names)
        for name in [*names, "export"]:
            assert f"\n  {name} " in text, name  # a line of its own, with its help
        for action in gui_parser()._actions:
            for option in action.option_strings:
                assert option in text, option
        assert "FILE.json" in text and "--smoke-test OUT.json" in text
    assert "PySide6" not in r.stderr


def test_help_does_not_start_qt():
    code = "import sys, app.main; app.main.help_text(); print('PySide6' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, text=True, capture_output=True,
                       timeout=60)
    assert r.stdout.strip() == "False", r.stderr


def test_each_command_has_its_own_help():
    for command in ("estimate", "evaluate", "catalog", "export"):
        r = _run(command, "--help")
        assert r.returncode == 0, (command, r.stderr)
        assert r.stdout.startswith("usage: chokepoint " + command), command
