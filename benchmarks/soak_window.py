"""Drive the real main window the way an analyst does for minutes: click through the scenarios,
flip chart tabs, type into fields, undo and redo, export a deck, and watch that the process
survives and its memory stays bounded.

    python benchmarks/soak_window.py --cycles 300 [--project FILE] [--out REPORT.json]

One cycle = click the next scenario in the list, show the next chart tab, and every few cycles
one of: type a new fleet count, type a new token count, undo, redo, export the deck. The report
(JSON on stdout, or --out) gives the cycles done, the resident memory after warm-up and at the
end, the reference counts of ``None``/``True``/``False`` (a binding that returns borrowed
references drains them: PySide6 6.12.0 on Python 3.11), and the wall time. The test
``tests/gui/test_soak.py`` runs it in a subprocess so that an interpreter abort is seen as a
failed exit status instead of killing the test runner.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    """Resident set size of this process in MB (Linux /proc; elsewhere the peak from resource)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cycles", type=int, default=300)
    p.add_argument("--warmup", type=int, default=30, help="cycles before the memory baseline")
    p.add_argument("--project", help="project file (default: the bundled example)")
    p.add_argument("--out", help="write the JSON report here instead of stdout")
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.mkdtemp(prefix="chokepoint-soak-")
    os.environ.setdefault("CHOKEPOINT_HOME", home)

    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from app import state
    from app.document import ProjectDocument
    from app.gui import initial_document, make_application
    from app.main_window import MainWindow

    app = make_application()
    if args.project:
        document = ProjectDocument.open(args.project)
    else:
        document, error = initial_document(None)
        if error:
            raise SystemExit(error)
    window = MainWindow(document, state.Session(), interactive=False)
    window.resize(1366, 768)
    window.show()

    def settle(ms: int = 10) -> None:
        """Let queued signals, workers and timers run, as they do between a person's clicks."""
        deadline = time.perf_counter() + 30
        QTest.qWait(ms)
        while (window.evaluator.busy or window.chart_worker.busy) \
                and time.perf_counter() < deadline:
            QTest.qWait(5)

    def click_scenario(row: int) -> None:
        lst = window.scenarios.list
        rect = lst.visualItemRect(lst.item(row))
        QTest.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, rect.center() + QPoint(0, 0))

    def type_into(field, text: str) -> None:
        field.setFocus()
        field.selectAll()
        QTest.keyClicks(field, text)
        QTest.keyClick(field, Qt.Key.Key_Return)

    settle(200)
    tabs = window.results.charts.tabs
    n = len(window.project.scenarios)
    counts = {"switches": 0, "tab_switches": 0, "edits": 0, "undo": 0, "redo": 0, "exports": 0}
    export_dir = Path(home) / "exports"
    export_dir.mkdir(parents=True, exist_ok=True)
    baseline = None
    refs0 = None
    t0 = time.perf_counter()
    for i in range(args.cycles):
        row = (window.current + 1) % n
        click_scenario(row)
        counts["switches"] += 1
        tabs.setCurrentIndex((tabs.currentIndex() + 1) % tabs.count())
        counts["tab_switches"] += 1
        step = i % 10
        if step == 3:
            field = window.fleet_editor.field_at(("fleet", 0, "count"))
            if field is not None:
                type_into(field, str(window.scenario.fleet[0].count + 8 * (1 + i % 3)))
                counts["edits"] += 1
        elif step == 5:
            field = window.model_editor.field_at(("training", "tokens"))
            if field is not None:
                type_into(field, f"{20 + i % 7}T")
                counts["edits"] += 1
        elif step == 7 and window.undo_action.isEnabled():
            window.undo_action.trigger()
            counts["undo"] += 1
        elif step == 8 and window.redo_action.isEnabled():
            window.redo_action.trigger()
            counts["redo"] += 1
        if i % 100 == 50:
            window.export_deck(str(export_dir / f"deck-{i}.pptx"))
            counts["exports"] += 1
        settle()
        if (i + 1) % 25 == 0:  # progress on stderr: where an abort happened, and the memory trend
            print(f"soak: cycle {i + 1}, rss {rss_mb():.0f} MB", file=sys.stderr, flush=True)
        if i + 1 == args.warmup:
            import gc

            gc.collect()
            baseline = rss_mb()
            refs0 = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    import gc

    gc.collect()
    end = rss_mb()
    refs1 = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    report = {
        "ok": True,
        "cycles": args.cycles,
        **counts,
        "python": sys.version.split()[0],
        "binding": _binding(),
        "rss_mb_after_warmup": round(baseline or end, 1),
        "rss_mb_end": round(end, 1),
        "rss_growth_mb": round(end - (baseline or end), 1),
        "refcount_drift": {"None": refs1[0] - refs0[0], "True": refs1[1] - refs0[1],
                           "False": refs1[2] - refs0[2]} if refs0 else None,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    window.close()
    app.processEvents()
    text = json.dumps(report, indent=2)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


def _binding() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"PySide6-Essentials {version('PySide6-Essentials')}"
    except PackageNotFoundError:
        import PySide6

        return f"PySide6 {PySide6.__version__}"


if __name__ == "__main__":
    sys.exit(main())
