"""What an autosave costs, and what finding the result keys after an edit costs.

    python benchmarks/bench_autosave.py [--repeat N] [--folder DIR]

Writes the bundled example and a large project (200 scenarios x 50 pools, with a project regime)
with ``core.project.save_project`` (the autosave's writer, fsync included) into DIR (default: a
temporary folder; use a folder on the disk the state folder lives on), and times
``core.scenario_eval.result_keys`` from scratch and after a one-field edit (with the memo the
window's ResultsStore keeps). Prints medians. The window writes autosaves in a worker thread
because the large project's write takes most of a second.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.project import load_project, project_to_text, save_project
from core.regimes import copy_regime
from core.resources import resource
from core.scenario_eval import result_keys


def projects():
    example = load_project(resource("examples", "southeast-asia-route.json"))
    base = example.scenarios[0]
    first = base.fleet[0]
    pools = [first.model_copy(update={"name": f"pool {j}", "count": 1000 + j}) for j in range(50)]
    large, _ = copy_regime(example, "in-force", "Own rules")
    large = large.model_copy(update={"scenarios": [
        base.model_copy(update={"name": f"Scenario {i}", "fleet": pools}) for i in range(200)]})
    return [("example", example), ("200 scenarios x 50 pools", large)]


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=15)
    p.add_argument("--folder", help="where to write (default: a temporary folder)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="chokepoint-bench-") as tmp:
        folder = Path(args.folder or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for label, project in projects():
            size = len(project_to_text(project).encode()) / 1e6
            save = median_ms(lambda p=project: save_project(p, folder / "autosave.json"), args.repeat)
            scratch = median_ms(lambda p=project: result_keys(p), args.repeat)
            memo: dict = {}
            result_keys(project, memo)
            edited = []
            for k in range(args.repeat):
                scenarios = list(project.scenarios)
                scenarios[0] = scenarios[0].model_copy(update={"name": f"edited {k}"})
                edited.append(project.model_copy(update={"scenarios": scenarios}))
            it = iter(edited)
            after_edit = median_ms(lambda it=it, memo=memo: result_keys(next(it), memo), args.repeat)
            print(f"{label}: {size:.2f} MB; save_project {save:.1f} ms; result_keys "
                  f"{scratch:.1f} ms from scratch, {after_edit:.2f} ms after an edit")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
