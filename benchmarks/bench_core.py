"""Speed of one full in-process evaluation (including the parallelism search; the memo of
``estimate`` is emptied before each timed call).

    python benchmarks/bench_core.py [--json] [--repeat N]

Prints the median over repeated runs for deepseek-v3 on 2048 H800-SXM and llama-3.1-405b on
16384 H100-SXM, and the number of candidate plans evaluated. Target: <= 20 ms each.
``monte_carlo``: the same deepseek-v3 estimate (search included) plus its P10/P50/P90 bands from
10,000 samples (core.uncertainty). Target: <= 1,000 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.catalog import get_accelerator
from core.estimate import estimate
from core.presets import get_preset
from core.training import PhysicsOptions, TrainingSpec
from core.uncertainty import estimate_uncertainty

MC_SAMPLES = 10_000

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


def run_monte_carlo(repeat: int) -> dict:
    _, model_id, chip_id, count, tokens, seq, prec = CASES[0]
    model, chip = get_preset(model_id).spec, get_accelerator(chip_id)
    training = TrainingSpec(tokens=tokens, seq_len=seq, precision=prec)
    physics = PhysicsOptions()
    times = []
    for _ in range(max(1, repeat // 5)):
        estimate.memo.clear()  # search included, as a first request would run it
        t0 = time.perf_counter()
        band = estimate_uncertainty(estimate(model, training, chip, count), physics,
                                    samples=MC_SAMPLES, seed=0)
        times.append(time.perf_counter() - t0)
    assert band is not None
    return {"name": f"{CASES[0][0]}, {MC_SAMPLES:,} samples", "samples": MC_SAMPLES,
            "median_ms": round(statistics.median(times) * 1000, 2),
            "days_p10_p50_p90": [round(band.wall_clock_days.p10, 1),
                                 round(band.wall_clock_days.p50, 1),
                                 round(band.wall_clock_days.p90, 1)]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    cases = run(args.repeat)
    mc = run_monte_carlo(args.repeat)
    if args.json:
        print(json.dumps({"cases": cases, "monte_carlo": mc}))
    else:
        for c in cases:
            print(f"{c['name']:<36} median {c['median_ms']:7.2f} ms  (min {c['min_ms']:.2f})  "
                  f"{c['candidates']:,} candidates, {c['candidates_fitting']:,} fit")
        print(f"{mc['name']:<36} median {mc['median_ms']:7.2f} ms  days P10/P50/P90 "
              f"{mc['days_p10_p50_p90']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
