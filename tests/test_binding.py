"""The start-up guard against a Qt binding that corrupts reference counts (issue 9)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app import binding

ROOT = Path(__file__).resolve().parent.parent


def test_installed_binding_is_sound():
    assert binding.binding_version() not in binding.KNOWN_BAD
    assert binding.refcount_drain() < 8
    assert binding.binding_problem() is None


def test_known_bad_release_is_refused_in_one_line(monkeypatch):
    monkeypatch.setattr(binding, "binding_version", lambda: "6.12.0")
    message = binding.binding_problem()
    assert message is not None and "\n" not in message
    assert "6.12.0" in message and "make" in message


def test_a_draining_binding_is_refused_whatever_its_version(monkeypatch):
    monkeypatch.setattr(binding, "binding_version", lambda: "6.99.0")
    monkeypatch.setattr(binding, "refcount_drain", lambda emits=64: emits)
    monkeypatch.setattr(binding, "_drained", False)  # restored after the test: no real drain
    message = binding.binding_problem()
    assert message is not None and "leaks references" in message
    assert binding._drained, "a real drain would make refuse() skip the aborting shutdown"


def test_gui_and_export_refuse_to_start_on_a_bad_binding(monkeypatch, tmp_path, capsys):
    from app import gui, platform_check
    from app.export import cli

    monkeypatch.setattr(binding, "binding_version", lambda: "6.12.0")
    monkeypatch.setattr(platform_check, "problems", lambda: [])
    report = tmp_path / "smoke.json"
    assert gui.run_gui(["--smoke-test", str(report)]) == 1
    assert "6.12.0" in report.read_text()
    assert cli.main([str(tmp_path / "p.json"), "--chart", "cost", "--format", "png",
                     "--out", str(tmp_path / "x.png")]) == 1
    assert "6.12.0" in capsys.readouterr().err


def test_pins_exclude_every_known_bad_release():
    """pyproject's requirement and the lock files admit none of the known-bad releases."""
    from packaging.specifiers import SpecifierSet

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    spec = next(d for d in deps if d.startswith("PySide6-Essentials"))
    specifier = SpecifierSet(spec.removeprefix("PySide6-Essentials"))
    assert not any(specifier.contains(v) for v in binding.KNOWN_BAD)
    for lock in sorted((ROOT / "requirements").glob("*.lock")):
        for line in lock.read_text().splitlines():
            for name in ("pyside6-essentials==", "shiboken6=="):
                if line.lower().startswith(name):
                    assert line.split("==")[1].split()[0] not in binding.KNOWN_BAD, lock.name
