"""Speed of ``chokepoint evaluate`` on a large project: 200 scenarios × 50 pools.

    python benchmarks/bench_large.py [--json] [--repeat N] [--scenarios S] [--pools P] [--keep FILE]

The project is built deterministically (a fixed seed) from the bundled example: its five
scenarios (model, training, HQ, dates, regimes) and its chips with their access modes, spread
over more sites. It is shaped like an analyst's sweep: 20 fleets of 50 pools drawn from a shared
list of standard pools, each fleet evaluated in 10 variants (later dates, other regimes, other
lease prices, pending licences counted, another HQ, a deadline, one pool resized, one pool
added), so many pools and options repeat across scenarios and some are one-offs.

Each run is a fresh process (``python -m core.cli evaluate FILE --json``), so nothing is carried
over between runs; the median wall-clock time is printed. Target: <= 15 s on the 2-core
reference machine (it took ~73 s before identical options were evaluated once).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "resources" / "examples" / "southeast-asia-route.json"
SEED = 20251202

# (accelerator, access, sites): the example's chips held the way the example holds them
POOL_KINDS = [
    ("H100-SXM", "lease", ["MY-Johor", "SG", "TH", "ID", "AE"]),
    ("H800-SXM", "stockpile", ["CN", "CN-West"]),
    ("H20", "own", ["CN", "CN-West"]),
    ("Ascend-910C", "domestic", ["CN", "CN-West"]),
]
COUNTS = [128, 256, 512, 512, 1024, 1024, 2048, 4096]
LEASE_PRICES = [None, None, 2.1, 2.4, 2.9]
REGIMES = ["in-force", "hypo-my-th-licence", "hypo-remote-access-act", "hypo-diffusion-reinstated"]


def _standard_pools(rng: random.Random, n: int) -> list[dict]:
    pools = []
    for k in range(n):
        chip, access, sites = rng.choice(POOL_KINDS)
        site = rng.choice(sites)
        price = rng.choice(LEASE_PRICES) if access == "lease" else None
        acquired = "2023-06-01" if access == "stockpile" else None
        pools.append({"name": f"{chip} {site} #{k + 1}", "accelerator": chip, "count": rng.choice(COUNTS),
                      "site": site, "access": access, "acquired": acquired, "price_per_hour_usd": price})
    return pools


def build_project(n_scenarios: int = 200, n_pools: int = 50, seed: int = SEED) -> dict:
    """The benchmark project as a JSON-ready dict (same arguments, same project)."""
    rng = random.Random(seed)
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    bases = example["scenarios"]
    library = _standard_pools(rng, 4 * n_pools)
    scenarios = []
    n_fleets = max(1, n_scenarios // 10)
    fleets = [copy.deepcopy(rng.sample(library, min(n_pools, len(library)))) for _ in range(n_fleets)]
    for k in range(n_scenarios):
        family, variant = divmod(k, 10)
        base = copy.deepcopy(bases[family % len(bases)])
        fleet = copy.deepcopy(fleets[family % n_fleets])
        date = dt.date.fromisoformat(base["date"])
        policy = base["policy"]
        what = "base"
        if variant in (1, 2):
            date += dt.timedelta(days=180 * variant)
            what = f"+{180 * variant} days"
        elif variant == 3:
            policy["regime"] = REGIMES[1 + family % 3]
            what = policy["regime"]
        elif variant == 4:
            for p in fleet:
                if p["access"] == "lease":
                    p["price_per_hour_usd"] = round(1.5 + rng.random() * 2, 2)
            what = "other lease prices"
        elif variant == 5:
            policy["count_pending_licences"] = True
            what = "pending licences counted"
        elif variant == 6:
            base["hq"] = "SG"
            what = "HQ in Singapore"
        elif variant == 7:
            base["constraints"]["deadline_days"] = 90.0
            what = "90-day deadline"
        elif variant == 8:
            p = fleet[rng.randrange(len(fleet))]
            p["count"] = rng.randrange(100, 6000)
            what = f"{p['name']} resized to {p['count']}"
        elif variant == 9:
            fleet[-1] = _standard_pools(rng, 1)[0] | {"name": f"one-off pool of scenario {k + 1}"}
            what = "one pool replaced"
        base.update(name=f"{k + 1:03d} {base['name'][2:]} / fleet {family + 1} / {what}",
                    date=date.isoformat(), fleet=fleet, notes="benchmark scenario")
        scenarios.append(base)
    return {"schema_version": example["schema_version"], "name": f"benchmark {n_scenarios}×{n_pools}",
            "marking": "", "notes": "built by benchmarks/bench_large.py", "scenarios": scenarios,
            "regimes": example.get("regimes", [])}


def _child_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def time_evaluate(path: Path, repeat: int) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU seconds (user + system) of each run. On a shared machine the CPU time
    is the steadier figure; the wall clock is what the user waits."""
    times, cpu, size = [], [], 0
    for _ in range(repeat):
        c0, t0 = _child_cpu(), time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "core.cli", "evaluate", str(path), "--json"],
                              cwd=ROOT, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - t0)
        cpu.append(_child_cpu() - c0)
        if proc.returncode != 0:
            raise SystemExit(f"evaluate failed ({proc.returncode}): {proc.stderr.strip()[:500]}")
        size = len(json.loads(proc.stdout)["scenarios"])
    return times, cpu, size


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scenarios", type=int, default=200)
    ap.add_argument("--pools", type=int, default=50)
    ap.add_argument("--keep", type=Path, default=None, help="also write the project to this file")
    args = ap.parse_args()
    project = build_project(args.scenarios, args.pools)
    text = json.dumps(project, indent=1)
    if args.keep:
        args.keep.write_text(text, encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.json"
        path.write_text(text, encoding="utf-8")
        times, cpu, n = time_evaluate(path, args.repeat)
    out = {"scenarios": n, "pools_per_scenario": args.pools, "repeat": args.repeat,
           "median_s": round(statistics.median(times), 2), "min_s": round(min(times), 2),
           "runs_s": [round(t, 2) for t in times], "median_cpu_s": round(statistics.median(cpu), 2),
           "load_average": round(os.getloadavg()[0], 1)}
    if args.json:
        print(json.dumps(out))
    else:
        print(f"evaluate {n} scenarios × {args.pools} pools: median {out['median_s']:.2f} s wall, "
              f"{out['median_cpu_s']:.2f} s CPU (min {out['min_s']:.2f} s wall; {args.repeat} runs, each a "
              f"fresh process; load average {out['load_average']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
