"""GUI speed: process start → main window shown with results (median of 5 subprocess runs;
target ≤ 2 s), and an edit in the fleet table → results view updated (median of 20; target
≤ 100 ms). Offscreen. ``--json`` prints ``{"startup_s": ..., "edit_to_result_ms": ...}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def startup_runs(n: int) -> list[float]:
    """Each run: a fresh process; the app reports when the first result was on screen,
    measured from the moment this script launched it (CHOKEPOINT_T0)."""
    out = []
    for _ in range(n):
        with tempfile.TemporaryDirectory() as home:
            report = Path(home) / "smoke.json"
            env = dict(os.environ, CHOKEPOINT_HOME=home, CHOKEPOINT_T0=repr(time.time()))
            subprocess.run([sys.executable, "-m", "app", "--smoke-test", str(report)], cwd=ROOT,
                           env=env, check=True, capture_output=True, timeout=120)
            data = json.loads(report.read_text(encoding="utf-8"))
            if not data.get("ok"):
                raise RuntimeError(data.get("error"))
            out.append(data["startup_s"])
    return out


def edit_runs(n: int) -> list[float]:
    """Type a new count into the first fleet row; time until the results view shows it."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtTest import QTest

    os.environ.setdefault("CHOKEPOINT_HOME", tempfile.mkdtemp(prefix="chokepoint-bench-"))
    from app import sources
    from app.document import ProjectDocument
    from app.gui import initial_document, make_application
    from app.main_window import MainWindow

    app = make_application()
    doc, _ = initial_document(None)
    if sources.example_project() is None:
        doc = ProjectDocument(doc.project)
    w = MainWindow(doc, interactive=False)
    w.resize(1366, 768)
    w.show()

    def wait_for_result(timeout_s: float = 30) -> None:
        loop = QEventLoop()
        w.result_shown.connect(loop.quit)
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        loop.exec()
        w.result_shown.disconnect(loop.quit)

    wait_for_result()
    field = w.fleet_editor.field_at(("fleet", 0, "count"))
    base = w.scenario.fleet[0].count
    times = []
    for i in range(n):
        QTest.qWait(200)  # a pause between edits, as a user makes them
        target = base + (i % 2 + 1) * 512
        field.setText(f"{target}")
        shown = []
        w.result_shown.connect(lambda _r, s=shown: s.append(time.perf_counter()))
        t0 = time.perf_counter()
        field.textEdited.emit(field.text())
        deadline = t0 + 30
        while not shown and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.0005)
        w.result_shown.disconnect()
        if not shown:
            raise RuntimeError("no result after an edit")
        times.append((shown[0] - t0) * 1000)
    w.close()
    return times


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--json", action="store_true")
    p.add_argument("--startup-runs", type=int, default=5)
    p.add_argument("--edit-runs", type=int, default=20)
    args = p.parse_args(argv)
    starts = startup_runs(args.startup_runs)
    edits = edit_runs(args.edit_runs)
    result = {"startup_s": round(statistics.median(starts), 3),
              "edit_to_result_ms": round(statistics.median(edits), 1)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"start-up to window with results: median {result['startup_s']:.2f} s "
              f"(runs: {', '.join(f'{s:.2f}' for s in starts)}; target ≤ 2 s)")
        print(f"fleet edit to results updated: median {result['edit_to_result_ms']:.0f} ms "
              f"(min {min(edits):.0f}, max {max(edits):.0f}; target ≤ 100 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
