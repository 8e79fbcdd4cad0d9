"""``chokepoint [FILE.json] [--smoke-test OUT.json]``: start the desktop window.

With no file the bundled example project opens (a new project when it is not shipped); a file
that cannot be read gives one clear message and an empty project, never a traceback. The smoke
test starts the full window, evaluates every scenario, writes a JSON report and exits; it writes
only to its file because a windowed Windows build has no ``sys.stdout``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.document import ProjectDocument

_T0 = time.perf_counter()
_T0_WALL = time.time()


def _startup_origin() -> float:
    """Wall-clock time the process was started (the benchmark passes it; else our import)."""
    try:
        return float(os.environ["CHOKEPOINT_T0"])
    except (KeyError, ValueError):
        return _T0_WALL


def _say(text: str) -> None:
    stream = sys.stderr
    if stream is not None:
        print(text, file=stream)


def gui_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="chokepoint", description="Chokepoint desktop window")
    p.add_argument("file", nargs="?", metavar="FILE.json", help="project file (.json) to open")
    p.add_argument("--smoke-test", metavar="OUT.json",
                   help="start the window, evaluate every scenario, write a report, exit")
    return p


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    return gui_parser().parse_args(list(argv))


def initial_document(path: str | None):
    """(document, error message or None) for the command-line file or the bundled example."""
    from app import sources
    from app.document import ProjectDocument
    from core.errors import InputError

    if path:
        try:
            return ProjectDocument.open(path), None
        except InputError as e:
            return ProjectDocument(sources.new_project()), f"Cannot open {e}"  # names the file
    try:
        example = sources.example_project()
    except InputError as e:
        return ProjectDocument(sources.new_project()), f"The bundled example is unreadable: {e}"
    if example is not None:
        return ProjectDocument(example), None
    return ProjectDocument(sources.new_project()), None


def app_icon():
    from PySide6.QtGui import QIcon

    from core.resources import resource

    icon = QIcon()
    folder = resource("icons")
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = folder / f"chokepoint-{size}.png"
        if png.exists():
            icon.addFile(str(png))
    if icon.isNull() and (folder / "chokepoint.svg").exists():
        icon = QIcon(str(folder / "chokepoint.svg"))
    return icon


def make_application(argv: Sequence[str] = ()):
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(
        [sys.argv[0] if sys.argv else "chokepoint", *argv])
    app.setApplicationName("chokepoint")
    app.setApplicationDisplayName("Chokepoint")
    app.setDesktopFileName("chokepoint")
    app.setWindowIcon(app_icon())
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=True)
    return app


def start_session():
    """This run's ``state.Session``, or None after a one-line warning when the app's own folders
    cannot be made (read-only or broken home): the window then runs without autosave."""
    from app import state

    problem = state.unavailable()
    if problem:
        _say(f"chokepoint: {problem}")
    try:
        return state.Session()
    except OSError:
        return None


def offer_recovery(ask) -> ProjectDocument | None:
    """A ProjectDocument from a crashed session's autosave if ``ask(recoverable)`` says yes."""
    from app import state
    from app.document import ProjectDocument
    from core.errors import InputError

    for rec in state.find_recoverable():
        if ask(rec):
            try:  # marked modified: it is not on disk
                original = rec.original if rec.original and Path(rec.original).exists() else None
                doc = ProjectDocument(rec.load(), original)
                doc.undo_stack.resetClean()
            except InputError as e:
                _say(f"chokepoint: the autosave of {rec.describe()} could not be read: {e}")
                rec.discard()
                continue
            rec.discard()
            return doc
        rec.discard()
    return None


def recovery_question(rec) -> str:
    """What the start-up dialog asks about one crashed session's autosave (names the project)."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(rec.saved_at)) if rec.saved_at else "at an unknown time"
    return (f"Chokepoint did not exit cleanly last time.\n\nRecover the autosaved copy of "
            f"{rec.describe()}, saved {when}?")


def _ask_recover(rec) -> bool:
    from PySide6.QtWidgets import QMessageBox

    from app.plain import message_box

    answer = message_box(None, QMessageBox.Icon.Question, "Recover unsaved work?",
                         recovery_question(rec),
                         QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                         QMessageBox.StandardButton.Yes)
    return answer == QMessageBox.StandardButton.Yes


def run_gui(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    if not environment_ok(args.smoke_test):
        return 1
    if args.smoke_test:
        return smoke_test(args.smoke_test, args.file)
    from PySide6.QtWidgets import QMessageBox

    from app import state
    from app.main_window import MainWindow
    from app.plain import message_box

    app = make_application()
    session = start_session()
    document = offer_recovery(_ask_recover)
    error = None
    if document is None:
        document, error = initial_document(args.file)
    window = MainWindow(document, session)
    opener = FileOpenHandler(window.open_path)
    app.installEventFilter(opener)
    window.show()
    if error:
        _say(f"chokepoint: {error}")
        message_box(window, QMessageBox.Icon.Warning, "Cannot open project", error)
    if args.file and error is None:
        state.add_recent(args.file)
    return app.exec()


def FileOpenHandler(open_path):  # noqa: N802 (a Qt object factory, named like a class)
    """macOS hands a double-clicked project to the running app as a QFileOpenEvent, not argv:
    open it in the window like File → Open."""
    from PySide6.QtCore import QEvent, QObject

    class _Handler(QObject):
        def eventFilter(self, _obj, event):  # noqa: N802 (Qt API)
            if event.type() == QEvent.Type.FileOpen and event.file():
                open_path(event.file())
                return True
            return False

    return _Handler()


def environment_ok(report: str | None = None) -> bool:
    """False, after naming what to install, when Qt could not start here (app.platform_check)."""
    from app.platform_check import problems

    lines = problems()
    if not lines:  # the libraries load: now the binding itself (app.binding)
        from app.binding import binding_problem, refuse

        problem = binding_problem()
        if problem:
            if report:
                Path(report).write_text(json.dumps({"ok": False, "error": problem}, indent=2),
                                        encoding="utf-8")
            refuse(problem)
            return False
    for line in lines:
        _say(line)
    if lines and report:
        Path(report).write_text(json.dumps({"ok": False, "error": "\n".join(lines)}, indent=2),
                                encoding="utf-8")
    return not lines


def smoke_test(out: str, path: str | None = None) -> int:
    """Start the full window on the example, evaluate it, write the report. Exit 0 / 1."""
    report: dict = {"ok": False}
    code = 1
    try:
        from PySide6.QtCore import QEventLoop, QTimer

        from app.main_window import MainWindow
        from core.scenario_eval import evaluate_scenario

        app = make_application()
        document, error = initial_document(path)
        if error:
            raise RuntimeError(error)
        session = start_session()
        window = MainWindow(document, session, interactive=False)
        loop = QEventLoop()
        shown: list = []
        def on_shown(r) -> None:
            shown.append(r)
            loop.quit()

        window.result_shown.connect(on_shown)
        window.show()
        QTimer.singleShot(60_000, loop.quit)
        if not shown:
            loop.exec()
        if not shown:
            raise RuntimeError("no result was shown within 60 s")
        startup = time.time() - _startup_origin()
        scenarios = []
        for s in window.project.scenarios:
            r = evaluate_scenario(s, window.project)
            best = r.best
            scenarios.append({
                "name": s.name, "verdict": r.verdict,
                "days": None if best is None else best.wall_clock_days,
                "gpu_hours": None if best is None else best.gpu_hours,
                "cost_usd": None if best is None else best.cost_usd,
                "option": None if best is None else best.label,
            })
        report = {"ok": True, "project": window.project.name, "scenarios": scenarios,
                  "startup_s": round(startup, 3),
                  "banner": window.results.banner.text(), "qt_platform": app.platformName()}
        window.close()
        if session is not None:
            session.close()
        app.processEvents()
        code = 0
    except Exception as e:  # the report must say what went wrong, never a bare traceback
        report = {"ok": False, "error": f"{type(e).__name__}: {e}",
                  "traceback": traceback.format_exc()}
    Path(out).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return code
