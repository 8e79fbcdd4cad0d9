"""Session-wide guard: the suite refuses to run on a Qt binding known to crash the window
(app.binding), so a bad environment fails loudly instead of aborting somewhere in the middle."""

from __future__ import annotations

import os

import pytest


def pytest_sessionstart(session: pytest.Session) -> None:
    try:
        import PySide6  # noqa: F401
    except ImportError:
        return  # core tests run without Qt; GUI tests skip themselves
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.binding import binding_problem

    problem = binding_problem()
    if problem:
        pytest.exit(problem, returncode=3)
