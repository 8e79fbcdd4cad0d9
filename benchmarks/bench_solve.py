"""Wall time of `chokepoint solve`, process start included (issue 12's targets: one accelerator
type <= 1 s; every answer for the bundled example project <= 3 s).

    python benchmarks/bench_solve.py [--repeat N] [--json]

Each case runs the real command in a fresh process; the median over N runs is reported.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "resources" / "examples" / "southeast-asia-route.json"
CASES = {
    "one type: deepseek-v3 15T on Ascend-910C, 90 days": [
        "solve", "--model", "deepseek-v3", "--tokens", "15T", "--accelerator", "Ascend-910C",
        "--deadline-days", "90", "--json"],
    "one type: qwen3-235b 36T on H800, 120 days, P90": [
        "solve", "--model", "qwen3-235b-a22b", "--tokens", "36T", "--accelerator", "H800-SXM",
        "--deadline-days", "120", "--confidence", "p90", "--json"],
    "one type with a FLOP target: deepseek-v3 on Ascend-910C, 1e25 by 90 days": [
        "solve", "--model", "deepseek-v3", "--tokens", "15T", "--accelerator", "Ascend-910C",
        "--deadline-days", "90", "--target-flops", "1e25", "--json"],
}


def run(args: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "app.main", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return time.perf_counter() - t0


def all_example_answers() -> float:
    """Every answer for every scenario of the example, in one process."""
    return run(["solve", str(EXAMPLE), "--scenario", "all", "--json"])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    out = {name: round(statistics.median(run(a) for _ in range(args.repeat)), 3)
           for name, a in CASES.items()}
    out["every answer of the example project (--scenario all)"] = round(
        statistics.median(all_example_answers() for _ in range(max(1, args.repeat // 2))), 3)
    if args.json:
        print(json.dumps({"median_s": out}))
    else:
        for name, s in out.items():
            print(f"{name:<66} {s:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
