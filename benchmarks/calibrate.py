"""Calibrate the kernel efficiency of chip families from the published runs that used them.

    PYTHONPATH=. python benchmarks/calibrate.py          # print the calibrated values
    PYTHONPATH=. python benchmarks/calibrate.py --apply  # write them into the catalog

One number per chip family (the same silicon), chosen so that the median of predicted /
reported GPU-hours over that family's runs is 1 (bisection; the prediction falls as the
efficiency rises). Only families with at least two runs in the median are calibrated; a single
run would be fitted, not calibrated. Chips whose assumed efficiency was set relative to a
calibrated family (H20, H100-PCIe, Blackwell, Ada, MI300X relative to Hopper; A100-PCIe relative
to Ampere) keep their ratio to it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import validate  # noqa: E402

CATALOG = ROOT / "resources" / "catalog" / "accelerators.json"
FAMILIES = {
    "Ampere (GA100)": {"calibrate": ("A100-SXM-80GB", "A100-SXM-40GB", "A800-SXM-80GB"),
                       "rescale": ("A100-PCIe",)},
    "Hopper (GH100)": {"calibrate": ("H100-SXM", "H800-SXM", "H200-SXM"), "rescale": ("H20", "H100-PCIe", "B200", "GB200", "L20", "RTX-4090", "RTX-4090D", "MI300X")},
}


def _median_ratio(effs: dict[str, float], ids: tuple[str, ...]) -> tuple[float, list[str]]:
    res = validate.run_validation(effs)
    runs = [r for r in res["runs"] if r["accelerator"] in ids and r["in_median"]]
    return statistics.median(1 + r["error"] for r in runs), [r["run_id"] for r in runs]


def calibrate() -> dict[str, dict]:
    effs: dict[str, float] = {}
    out = {}
    for family, spec in FAMILIES.items():
        ids = spec["calibrate"]
        _, runs = _median_ratio(effs, ids)
        if len(runs) < 2:
            continue
        lo, hi = 0.15, 0.98
        for _ in range(20):
            mid = (lo + hi) / 2
            ratio, _ = _median_ratio({**effs, **dict.fromkeys(ids, mid)}, ids)
            lo, hi = (mid, hi) if ratio > 1 else (lo, mid)
        value = round((lo + hi) / 2, 3)
        effs.update(dict.fromkeys(ids, value))
        out[family] = {"value": value, "chips": ids, "rescale": spec["rescale"], "runs": runs}
    return out


def _fit(effs: dict[str, float], ids: tuple[str, ...], keep: set[str], iters: int = 14) -> float:
    """Bisect the family's efficiency so the median predicted/reported ratio over ``keep`` is 1."""
    lo, hi = 0.15, 0.98
    for _ in range(iters):
        mid = (lo + hi) / 2
        res = validate.run_validation({**effs, **dict.fromkeys(ids, mid)})
        ratios = [1 + r["error"] for r in res["runs"] if r["run_id"] in keep]
        lo, hi = (mid, hi) if statistics.median(ratios) > 1 else (lo, mid)
    return (lo + hi) / 2


def leave_one_out() -> dict:
    """Honesty check of the calibration: predict each run of a calibrated family with the
    family's efficiency fitted on the *other* runs only. Returns the per-run errors and their
    median over the runs the validation counts."""
    base = validate.run_validation()
    errors = {r["run_id"]: r["error"] for r in base["runs"] if r["in_median"]}
    effs: dict[str, float] = {}
    for spec in FAMILIES.values():
        ids = spec["calibrate"]
        runs = [r["run_id"] for r in base["runs"] if r["accelerator"] in ids and r["in_median"]]
        if len(runs) < 3:  # leaving one out must still leave a median of two
            continue
        for rid in runs:
            value = _fit(effs, ids, set(runs) - {rid})
            res = validate.run_validation({**effs, **dict.fromkeys(ids, value)})
            errors[rid] = next(r["error"] for r in res["runs"] if r["run_id"] == rid)
    return {"errors": errors, "median_abs_error": statistics.median(abs(e) for e in errors.values())}


def apply(result: dict[str, dict]) -> None:
    """Write the calibrated values; rescaled chips keep their ratio to the family (idempotent)."""
    data = json.loads(CATALOG.read_text(encoding="utf-8"))
    by_id = {a["id"]: a for a in data["accelerators"]}
    today = dt.date.today().isoformat()
    marker = "keeping the assumed gap: "
    for family, r in result.items():
        before = by_id[r["chips"][0]]["kernel_efficiency"]["value"]
        for cid in r["rescale"]:
            fig = by_id[cid]["kernel_efficiency"]
            ratio = fig["value"] / before
            basis = fig["note"].split(marker)[-1]
            fig.update(value=round(r["value"] * ratio, 3), source="X01: scaled from calibration", date=today,
                       note=f"{ratio:.3f} × the calibrated {family} figure, {marker}{basis}")
        for cid in r["chips"]:
            by_id[cid]["kernel_efficiency"] = {
                "value": r["value"], "source": "X01: calibrated, docs/validation.md", "date": today,
                "estimate": True,
                "note": (f"Calibrated for the {family} family with benchmarks/calibrate.py: the median "
                         f"predicted/reported GPU-hours of {', '.join(r['runs'])} is 1 at this value. "
                         "It is the large-matmul efficiency the planner needs to reproduce what these "
                         "runs achieved with their own software; a tuned stack can beat it."),
            }
    CATALOG.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--apply", action="store_true", help="write the values into the catalog")
    ap.add_argument("--loo", action="store_true", help="leave-one-out check of the calibration")
    args = ap.parse_args()
    if args.loo:
        loo = leave_one_out()
        for rid, e in loo["errors"].items():
            print(f"{rid:<28} {e:+.1%}")
        print(f"leave-one-out median |error|: {loo['median_abs_error']:.1%}")
        return 0
    result = calibrate()
    for family, r in result.items():
        print(f"{family}: kernel_efficiency {r['value']} from {', '.join(r['runs'])}")
    if args.apply:
        apply(result)
        print(f"wrote {CATALOG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
