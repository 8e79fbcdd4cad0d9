"""Fit the software-maturity settings on the published runs and write them into the catalog.

    PYTHONPATH=. python benchmarks/calibrate.py          # print the fitted values
    PYTHONPATH=. python benchmarks/calibrate.py --apply  # write accelerators.json + maturity.json
    PYTHONPATH=. python benchmarks/calibrate.py --loo    # leave-one-lab-out errors per run

The fit is ``benchmarks/validate.py``'s (see its docstring): per chip family, the ``typical``
kernel efficiency is the median over labs (each lab's median first) of the efficiency that
reproduces each production run of a 2023+ stack; ``legacy`` (pre-2023 stacks) is a factor on
it, the median over those labs; ``frontier`` is the upper quartile over labs of the 2023+ runs
over the typical value (a well-tuned stack); ``first-port`` is an estimate from the only first-port runs with a figure (ORNL's
MI250X port, whose chip is not in the catalog, so it is compared by MFU, not predicted). The
spread of each family is the geometric SD of predicted / reported GPU-hours under
leave-one-lab-out cross-validation, the input of a Monte Carlo range.

``--apply`` writes the typical value into the Ampere and Hopper chips of
``resources/catalog/accelerators.json`` (chips set relative to a family keep their ratio) and
the factors and spreads into ``resources/catalog/maturity.json``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import validate  # noqa: E402

CATALOG = ROOT / "resources" / "catalog" / "accelerators.json"
MATURITY = ROOT / "resources" / "catalog" / "maturity.json"
FAMILIES = {
    "ampere": {"label": "Ampere (GA100)", "calibrate": ("A100-SXM-80GB", "A100-SXM-40GB", "A800-SXM-80GB"),
               "rescale": ("A100-PCIe",)},
    "hopper": {"label": "Hopper (GH100)", "calibrate": ("H100-SXM", "H800-SXM", "H200-SXM"),
               "rescale": ("H20", "H100-PCIe", "B200", "GB200", "L20", "L40S", "RTX-4090", "RTX-4090D", "MI300X")},
}
# First-port runs: ORNL's port of Megatron-DeepSpeed to Frontier's MI250X (runs_extra.csv).
FIRST_PORT_RUNS = ("frontier-175b-1024-mi250x", "frontier-1t-3072-mi250x")
LABELS = {
    "typical": "a 2023+ training stack as the median lab ran it (the default; median over labs of the 2023+ production runs)",
    "frontier": "a well-tuned 2023+ stack (upper quartile over labs of the 2023+ production runs)",
    "legacy": "a pre-2023 stack (fitted on runs published before 2023)",
    "first-port": "a first port of a stack to a new chip (estimate from ORNL's MI250X port)",
}


def _mfu_at_implied(row: dict) -> float:
    """The MFU at which the prediction reproduces the reported figure: MFU goes as 1 / GPU-hours,
    so reported MFU = predicted MFU × predicted / reported GPU-hours (the ratio). (Until issue 10
    this divided by the ratio, which put the typical MFU behind the first-port factor too high.)"""
    return row["mfu_predicted_cv"] * row["ratio_cv"]


def calibrate() -> dict:
    res = validate.run_validation()
    fit = res["fit"]
    rows = [r for r in res["runs"] if r["in_median"]]
    # first port: MFU of ORNL's MI250X port over the median MFU of the typical production runs
    extra = {r["run_id"]: r for r in csv.DictReader(validate.EXTRA_CSV.open(encoding="utf-8"))}
    port_mfu = statistics.median(float(extra[rid]["mfu_reported_pct"].split()[0]) / 100 for rid in FIRST_PORT_RUNS)
    typ_mfu = statistics.median(_mfu_at_implied(r) for r in rows
                                if r["maturity"] == "typical" and r["kind"] == "production")
    all_ratios = [r["ratio_cv"] for r in rows]
    gsd_all = math.exp(statistics.stdev(math.log(x) for x in all_ratios))
    gsd = {fam: (res["by_family"][fam]["gsd_cv"] or gsd_all) for fam in ("ampere", "hopper")}
    gsd["other"] = gsd_all
    prod = [r for r in rows if r["kind"] == "production"]
    gsd_prod = {fam: validate._gsd([r["ratio_cv"] for r in prod if r["family"] == fam]) or gsd[fam]
                for fam in ("ampere", "hopper")}
    gsd_prod["other"] = validate._gsd([r["ratio_cv"] for r in prod]) or gsd_all
    return {"gsd_production": gsd_prod,"fit": fit, "result": res, "first_port_factor": port_mfu / typ_mfu, "port_mfu": port_mfu,
            "typical_mfu": typ_mfu, "gsd": gsd, "gsd_all": gsd_all}


def maturity_json(cal: dict, today: str) -> dict:
    fit, res = cal["fit"], cal["result"]
    fac = fit["factors"]
    cv = res["overall"]

    def fam_entry(setting: str, fam: str) -> dict:
        key = fam if fam != "other" else "pooled"
        if setting == "first-port":
            factor = cal["first_port_factor"]
            source = (f"estimate: median MFU of ORNL's MI250X port ({cal['port_mfu']:.1%}, runs_extra.csv "
                      f"{', '.join(FIRST_PORT_RUNS)}) over the median MFU of the typical production runs "
                      f"({cal['typical_mfu']:.1%}); two benchmark runs of one lab, not cross-validated")
        else:
            factor = fac[setting][key]
            runs = fit["runs"]["typical"] if setting in ("typical", "frontier") else fit["runs"]["legacy"]
            fams = {x["run_id"]: x["family"] for x in res["runs"]}
            runs = [r for r in runs if fam == "other" or fams[r] == fam]
            how = {"typical": "1 by definition: the catalog's kernel efficiency is the typical value",
                   "frontier": "upper quartile over labs of the 2023+ production runs' implied efficiency over the typical value",
                   "legacy": "median over labs of the pre-2023 production runs' implied efficiency over the typical value"
                   }[setting]
            source = f"benchmarks/calibrate.py fit on resources/validation ({how}); runs: {', '.join(runs)}"
        entry = {"factor": round(factor, 3), "gsd": round(cal["gsd"][fam], 3),
                 "gsd_production_runs": round(cal["gsd_production"][fam], 3), "source": source, "date": today,
                 "estimate": True}
        if fam != "other":
            entry["kernel_efficiency"] = round(fit["typical"][fam] * factor, 3)
        entry["gsd_source"] = (f"geometric SD of predicted / reported GPU-hours under leave-one-lab-out "
                               f"cross-validation, {FAMILIES[fam]['label'] if fam in FAMILIES else 'all runs pooled'}"
                               f" ({res['by_family'][fam]['runs'] if fam in FAMILIES else cv['runs']} runs); "
                               "the same for every setting (only the typical class has enough runs to measure it)")
        return entry

    return {
        "about": ("Software-maturity settings: a factor on the chip's catalog kernel efficiency (the typical "
                  "value) and the spread of the estimate, per chip family. Written by benchmarks/calibrate.py "
                  "--apply from the validation runs (docs/validation.md); do not edit by hand."),
        "date": today,
        "default": "typical",
        "cross_validation": {
            "method": "leave-one-lab-out: every constant refitted without the held-out lab's runs",
            "runs": cv["runs"], "labs": cv["labs"],
            "median_abs_error": round(cv["median_abs_error_cv"], 4),
            "coverage_p10_p90": round(cv["coverage_p10_p90"], 4),
            "naive_median_abs_error": round(cv["baseline_median_abs_error"], 4),
            "by_family": {f: round(res["by_family"][f]["median_abs_error_cv"], 4)
                          for f in ("ampere", "hopper") if res["by_family"][f]["runs"]},
        },
        "benchmark_factor": {
            "value": round(fit["benchmark"], 3),
            "source": "median over the throughput benchmarks of implied / predicted production efficiency; "
                      "used by the validation only (a scenario is a production run)", "date": today},
        "settings": {
            name: {"label": LABELS[name], "families": {f: fam_entry(name, f) for f in ("ampere", "hopper", "other")}}
            for name in ("frontier", "typical", "legacy", "first-port")
        },
    }


def apply(cal: dict) -> None:
    """Write the typical values into the catalog (rescaled chips keep their ratio; idempotent)
    and the maturity settings into maturity.json."""
    data = json.loads(CATALOG.read_text(encoding="utf-8"))
    by_id = {a["id"]: a for a in data["accelerators"]}
    today = dt.date.today().isoformat()
    marker = "keeping the assumed gap: "
    fit = cal["fit"]
    for fam, spec in FAMILIES.items():
        value = round(fit["typical"][fam], 3)
        label = spec["label"]
        before = by_id[spec["calibrate"][0]]["kernel_efficiency"]["value"]
        for cid in spec["rescale"]:
            fig = by_id[cid]["kernel_efficiency"]
            head = fig["note"].split(" × the calibrated", 1)[0]
            # the ratio already written (rounded values would drift a little on every --apply)
            ratio = float(head) if head.replace(".", "", 1).isdigit() else fig["value"] / before
            basis = fig["note"].split(marker)[-1]
            fig.update(value=round(value * ratio, 3), source="X01: scaled from calibration", date=today,
                       note=f"{ratio:.3f} × the calibrated {label} figure, {marker}{basis}")
        pooled = validate.POOL_FAMILIES
        runs = [r for r in fit["runs"]["typical"]
                if pooled or next(x for x in cal["result"]["runs"] if x["run_id"] == r)["family"] == fam]
        for cid in spec["calibrate"]:
            by_id[cid]["kernel_efficiency"] = {
                "value": value, "source": "X01: calibrated, docs/validation.md", "date": today, "estimate": True,
                "note": ("Calibrated with benchmarks/calibrate.py"
                         + (" (one value for the Ampere and Hopper families, pooled: the chip's roofline "
                            "carries the difference)" if pooled else f" for the {label} family")
                         + ": the median over labs "
                         f"of the efficiency that reproduces each 2023+ production run ({', '.join(runs)}). "
                         "It is the 'typical' software-maturity setting; resources/catalog/maturity.json scales "
                         "it for a frontier, legacy or first-port stack."),
            }
    CATALOG.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    MATURITY.write_text(json.dumps(maturity_json(cal, today), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--apply", action="store_true", help="write the values into the catalog")
    ap.add_argument("--loo", action="store_true", help="leave-one-lab-out error of every run")
    args = ap.parse_args()
    cal = calibrate()
    if args.loo:
        for r in cal["result"]["runs"]:
            print(f"{r['run_id']:<34} {r['lab']:<18} {r['error_cv']:+.1%}")
        print(f"leave-one-lab-out median |error|: {cal['result']['overall']['median_abs_error_cv']:.1%}")
        return 0
    fit = cal["fit"]
    for fam in ("ampere", "hopper"):
        print(f"{fam}: typical kernel_efficiency {fit['typical'][fam]:.3f}; factors frontier "
              f"{fit['factors']['frontier'][fam]:.3f} legacy {fit['factors']['legacy'][fam]:.3f}; "
              f"GSD {cal['gsd'][fam]:.3f}")
    print(f"first-port factor {cal['first_port_factor']:.3f}; benchmark factor {fit['benchmark']:.3f}")
    if args.apply:
        apply(cal)
        print(f"wrote {CATALOG} and {MATURITY}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
