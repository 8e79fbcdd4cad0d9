"""Architecture contract (what import-linter would check, without the extra dependency): the
headless ``core`` never imports Qt, pyqtgraph or the ``app`` package, not even inside a
function, so the CLI and the physics run where no GUI libraries are installed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "pyqtgraph", "app")


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import statement in ``path``, at any depth."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__" \
                and node.args and isinstance(node.args[0], ast.Constant):
            out.append((node.lineno, str(node.args[0].value)))
    return out


def _forbidden(module: str) -> bool:
    return module.split(".")[0] in FORBIDDEN


def test_core_never_imports_qt_pyqtgraph_or_app():
    files = sorted((ROOT / "core").rglob("*.py"))
    assert len(files) >= 15  # the walk found the package
    bad = [f"{f.relative_to(ROOT)}:{line}: {module}" for f in files
           for line, module in _imports(f) if _forbidden(module)]
    assert bad == []


def test_the_check_sees_a_nested_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("def f():\n    from PySide6.QtCore import Qt\n    import app.gui\n",
                      encoding="utf-8")
    assert [m for _l, m in _imports(sample) if _forbidden(m)] == ["PySide6.QtCore", "app.gui"]


def test_importing_every_core_module_loads_no_gui_library():
    modules = sorted(f"core.{p.stem}" for p in (ROOT / "core").glob("*.py") if p.stem != "__init__")
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"
