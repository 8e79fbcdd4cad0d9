"""Drive the real main window the way an analyst does for minutes: click through the scenarios,
flip chart tabs, type into fields, undo and redo, export a deck, and watch that the process
survives and its memory stays bounded.

    python benchmarks/soak_window.py --cycles 300 [--project FILE] [--out REPORT.json]
    python benchmarks/soak_window.py --steps 600 [--seed N] [--warmup 100] [--out REPORT.json]

One cycle = click the next scenario in the list, show the next chart tab, and every few cycles
one of: type a new fleet count, type a new token count, undo, redo, export the deck. The report
(JSON on stdout, or --out) gives the cycles done, the resident memory after warm-up and at the
end, the reference counts of ``None``/``True``/``False`` (a binding that returns borrowed
references drains them: PySide6 6.12.0 on Python 3.11), and the wall time. The test
``tests/gui/test_soak.py`` runs it in a subprocess so that an interpreter abort is seen as a
failed exit status instead of killing the test runner.

With ``--steps N`` it drives an analyst's session instead (tests/gui/analyst.py: maturity and
end-user changes, typed counts and ranges, sweeps, a scenario switch while a sweep computes, the
solver and comparison dialogs, undo/redo, chart tabs, exports, invalid edits, autosave ticks,
from a seeded random sequence), checking after every step that no exception escaped, the verdict
shown is the core's for the current scenario, undo restores exact inputs and no dialog is left
open. The report adds the resident memory at the start and every 50 steps, the steps of each
kind, and the exceptions (a failed check ends the run with exit status 1 and says which step of
which seed).
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
    p.add_argument("--steps", type=int, default=0,
                   help="drive an analyst's session of this many steps instead of the cycles")
    p.add_argument("--seed", type=int, default=20261202, help="the session's random sequence")
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.mkdtemp(prefix="chokepoint-soak-")
    os.environ.setdefault("CHOKEPOINT_HOME", home)

    from PySide6.QtCore import Qt
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
    if args.steps:
        return _session(window, app, args, Path(home))
    from tests.gui.driving import QTestBot, click_scenario

    bot = QTestBot()

    def settle(ms: int = 10) -> None:
        """Let queued signals, workers and timers run, as they do between a person's clicks."""
        deadline = time.perf_counter() + 30
        bot.wait(ms)  # not QTest.qWait: it holds the interpreter lock (tests/gui/driving.py)
        while (window.evaluator.busy or window.chart_worker.busy) \
                and time.perf_counter() < deadline:
            bot.wait(5)

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
        click_scenario(bot, window, row)
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


def _session(window, app, args, home: Path) -> int:
    """The analyst's session (tests/gui/analyst.py) with its memory measured."""
    import gc
    import traceback

    from tests.gui.analyst import STEPS, AnalystSession, watch_exceptions
    from tests.gui.driving import QTestBot

    rss: dict[str, float] = {}
    trend: list[tuple[int, float]] = []
    slowest = [0.0, 0, ""]
    t0 = time.perf_counter()
    last = [t0]

    def on_step(s) -> None:
        now = time.perf_counter()
        if now - last[0] > slowest[0]:
            slowest[:] = [now - last[0], s.step_no, s.kind]
        last[0] = now
        if s.step_no == args.warmup:
            # the warm-up includes every kind of step: the deck of every scenario raises the
            # allocator's high-water mark once by ~300 MB (draws every chart of every scenario;
            # flat over repeated exports), which is not growth of the session
            for kind in sorted(set(STEPS) - set(s.counts)):
                s.kind = kind
                getattr(s, f"do_{kind}")()
                s.counts[kind] += 1
                s.check()
            s.bot.wait(1500)  # the window returns the deck's freed images to the OS after 1 s
            gc.collect()
            rss["after_warmup"] = rss_mb()
        if s.step_no % 50 == 0:
            trend.append((s.step_no, round(rss_mb(), 1)))
            print(f"soak: step {s.step_no}, rss {trend[-1][1]:.0f} MB", file=sys.stderr,
                  flush=True)

    error = None
    with watch_exceptions() as seen:
        session = AnalystSession(window, QTestBot(), args.seed, home / "exports", seen)
        session.settle()
        gc.collect()
        rss["start"] = rss_mb()
        try:
            session.run(args.steps, on_step)
        except Exception as e:  # noqa: BLE001 (a failed check, a timeout, a bug: all reported)
            error = f"{e}\n{traceback.format_exc()}"
            print(error, file=sys.stderr, flush=True)
        window.close()
        app.processEvents()
    gc.collect()
    rss["end"] = rss_mb()
    base = rss.get("after_warmup", rss["start"])
    report = {
        "ok": error is None and not seen,
        "seed": args.seed,
        "steps": session.step_no,
        "steps_asked": args.steps,
        "kinds": dict(sorted(session.counts.items())),
        "chart_tabs_seen": sorted(session.tabs_seen),
        "exceptions": len(seen),
        "exception_texts": seen[:3],
        "error": error,
        "python": sys.version.split()[0],
        "binding": _binding(),
        "rss_mb_start": round(rss["start"], 1),
        "warmup_steps": args.warmup,
        "rss_mb_after_warmup": round(base, 1),
        "rss_mb_end": round(rss["end"], 1),
        "rss_growth_mb": round(rss["end"] - base, 1),
        "rss_trend": trend,
        "slowest_step": {"seconds": round(slowest[0], 2), "step": slowest[1],
                         "kind": slowest[2]},
        "seconds": round(time.perf_counter() - t0, 1),
    }
    text = json.dumps(report, indent=2)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0 if report["ok"] else 1


def _binding() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"PySide6-Essentials {version('PySide6-Essentials')}"
    except PackageNotFoundError:
        import PySide6

        return f"PySide6 {PySide6.__version__}"


if __name__ == "__main__":
    sys.exit(main())
