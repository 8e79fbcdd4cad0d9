"""Docstrings, docs, catalog sources and the published schema point to files in this repository:
no ``REFERENCE.md``, ``data/rules.md`` or ``shared/`` (notes that never ship)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT = (".py", ".md", ".json", ".toml")
DEAD = re.compile(r"REFERENCE\.md|REFERENCE:|(?<![\w/])data/rules\.md|(?<![\w/])shared/|\.\./shared")
PATHS = re.compile(r"(?<![\w/.])((?:resources|docs|core|app|scripts|benchmarks)/[\w./-]+\.(?:md|csv|json|py))")


def _files() -> list[Path]:
    skip = {".git", ".venv", "build", "dist", ".mypy_cache", ".ruff_cache", ".pytest_cache",
            ".hypothesis", "node_modules"}
    return [p for p in ROOT.rglob("*") if p.suffix in TEXT and p.is_file()
            and not skip & set(p.relative_to(ROOT).parts) and p.name != "test_references.py"]


def test_no_reference_to_notes_outside_the_repo():
    bad = [f"{p.relative_to(ROOT)}:{i}: {m.group(0)}" for p in _files()
           for i, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
           for m in DEAD.finditer(line)]
    assert bad == []


def test_named_repo_paths_exist():
    missing = set()
    for p in _files():
        for m in PATHS.finditer(p.read_text(encoding="utf-8", errors="replace")):
            target = m.group(1).rstrip(".")
            if "*" not in target and not (ROOT / target).exists():
                missing.add(f"{p.relative_to(ROOT)}: {target}")
    assert sorted(missing) == []
