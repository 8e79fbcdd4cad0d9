"""How much of the leave-one-lab-out figure is model selection (issue 10, docs/validation.md).

    PYTHONPATH=. python benchmarks/model_selection.py            # the 4 variants compared
    PYTHONPATH=. python benchmarks/model_selection.py 0.5 1 2 const

Variants: the narrow-GEMM knee (``x/(x+K)``) at ``K = scale × the chip's roofline ridge`` or the
old constant ``K = 128`` ("const"), each with one typical efficiency per chip family or one
pooled over families. For each variant it prints the plain leave-one-lab-out median |error|
(the model fixed in advance), then the **nested** figure: for every held-out lab, the variant
is chosen by the leave-one-lab-out error on the *other* labs only, fitted on them, and used to
predict the held-out lab. The nested figure is what choosing among the variants costs in
honesty; the gap to the fixed-model figure is the optimism of the choice.

The knee is varied by re-executing ``core/planner.py`` with the one line changed (asserted to
apply), in this process only; nothing is written.
"""

from __future__ import annotations

import itertools
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import validate as V  # noqa: E402

import core.estimate as E  # noqa: E402
import core.planner as P  # noqa: E402
from core.errors import InputError  # noqa: E402

SRC = (ROOT / "core" / "planner.py").read_text(encoding="utf-8")
LINES = ("L_gw = L_x / (L_x + ridge)", "L_width_e = L_gw / (L_xe / (L_xe + ridge))")


def use_knee(knee: str) -> None:
    """Re-define the planner's functions with the knee ``scale × ridge`` or the constant 128."""
    term = "128.0" if knee == "const" else f"ridge * {float(knee)}"
    code = SRC
    for line in LINES:
        assert line in code, f"core/planner.py no longer has {line!r}"
        code = code.replace(line, line.replace("ridge)", f"{term})"))
    exec(compile(code, str(ROOT / "core" / "planner.py"), "exec"), P.__dict__)
    E.evaluate_candidates = P.evaluate_candidates  # core.estimate holds its own reference
    E.estimate.memo.clear()
    V._CURVES.clear()


def main(argv: list[str]) -> int:
    knees = argv or ["1", "const"]
    data = {}
    for knee in knees:
        use_knee(knee)
        runs, _ = V.load_runs()
        ok = []
        for r in runs:
            try:
                if V.curve(r) is not None:
                    ok.append(r)
            except InputError:
                pass
        curves = dict(V._CURVES)
        data[knee] = (ok, curves, {r.run_id: V.implied_efficiency(curves[r.run_id]) for r in ok})
    configs = list(itertools.product(knees, (False, True)))

    def errors(cfg: tuple[str, bool], labs: list[str], held: list[str] | None = None) -> dict[str, float]:
        knee, pooled = cfg
        V.POOL_FAMILIES = pooled
        ok, curves, implied = data[knee]
        counted = [r for r in ok if r.in_median and r.lab in labs]
        out = {}
        for lab in held or labs:
            params = V.fit([r for r in counted if r.lab != lab], implied)
            for r in ok:
                if r.lab == lab and r.in_median:
                    out[r.run_id] = V.ratio_at(curves[r.run_id], V.efficiency_for(r, params)) - 1.0
        return out

    def med(e: dict[str, float]) -> float:
        return statistics.median(abs(x) for x in e.values())

    labs = sorted({r.lab for r in data[knees[0]][0] if r.in_median})
    for cfg in configs:
        name = ("K = 128" if cfg[0] == "const" else f"K = {cfg[0]} × ridge") + (", pooled" if cfg[1] else ", per family")
        print(f"{name:<28} leave-one-lab-out {med(errors(cfg, labs)):.1%}")
    nested: dict[str, float] = {}
    picks: dict[tuple[str, bool], int] = {}
    for lab in labs:
        inner = [x for x in labs if x != lab]
        best = min(configs, key=lambda c: med(errors(c, inner)))
        picks[best] = picks.get(best, 0) + 1
        nested.update(errors(best, labs, held=[lab]))
    print(f"nested (variant chosen without the held-out lab): {med(nested):.1%} over {len(nested)} runs; "
          f"choices {picks}")
    V.POOL_FAMILIES = True
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
