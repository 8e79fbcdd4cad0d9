"""Speed of one full in-process evaluation (including the parallelism search; the memo of
``estimate`` is emptied before each timed call).

    python benchmarks/bench_core.py [--json] [--repeat N]

Prints the median over repeated runs for deepseek-v3 on 2048 H800-SXM and llama-3.1-405b on
16384 H100-SXM, and the number of candidate plans evaluated. Target: <= 20 ms each.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.catalog import get_accelerator  # noqa: E402
from core.estimate import estimate  # noqa: E402
from core.presets import get_preset  # noqa: E402
from core.training import TrainingSpec  # noqa: E402

CASES = [
    ("deepseek-v3 on 2048 H800-SXM", "deepseek-v3", "H800-SXM", 2048, 14.8e12, 4096, "fp8"),
    ("llama-3.1-405b on 16384 H100-SXM", "llama-3.1-405b", "H100-SXM", 16384, 15.6e12, 8192, "bf16"),
]


def run(repeat: int) -> list[dict]:
    out = []
    for name, model_id, chip_id, count, tokens, seq, prec in CASES:
        model = get_preset(model_id).spec
        chip = get_accelerator(chip_id)
        training = TrainingSpec(tokens=tokens, seq_len=seq, precision=prec)
        estimate(model, training, chip, count)  # warm caches (catalog, numpy)
        times = []
        for _ in range(repeat):
            estimate.memo.clear()  # time the search, not a memo hit
            t0 = time.perf_counter()
            result = estimate(model, training, chip, count)
            times.append(time.perf_counter() - t0)
        out.append({
            "name": name,
            "median_ms": round(statistics.median(times) * 1000, 2),
            "min_ms": round(min(times) * 1000, 2),
            "candidates": result.candidates_evaluated,
            "candidates_fitting": result.candidates_fitting,
            "repeat": repeat,
        })
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    cases = run(args.repeat)
    if args.json:
        print(json.dumps({"cases": cases}))
    else:
        for c in cases:
            print(f"{c['name']:<36} median {c['median_ms']:7.2f} ms  (min {c['min_ms']:.2f})  "
                  f"{c['candidates']:,} candidates, {c['candidates_fitting']:,} fit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
