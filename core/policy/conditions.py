"""The chip-condition language of the rules: metrics, comparisons, all_of/any_of/not, named
predicates. Also the literal types shared by the rest of the package."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.catalog import Accelerator, suggest
from core.errors import InputError

RuleStatus = Literal["in_force", "rescinded", "draft", "hypothetical", "foreign_measure", "reading"]
Outcome = Literal["allowed", "notify", "discouraged", "license", "unknown", "presumption_of_denial", "prohibited"]
# "unknown": the deciding fact is not sourced (e.g. the Affiliates rule after 2026-11-10); the pool
# is neither counted as usable nor as blocked (docs/policy.md, "Unknown status").
PoolStatus = Literal["usable", "needs_license", "blocked", "unknown"]
POOL_STATUSES: tuple[str, ...] = ("usable", "needs_license", "blocked", "unknown")
Metric = Literal[
    "tpp", "pd", "scaleup_gbs", "hbm_tbs", "dram_gbs", "dram_io_gbs", "datacenter", "origin", "vendor", "chip"
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, populate_by_name=True)



class Cond(_Strict):
    """A chip condition: a leaf comparison on one metric, or all_of / any_of / not, or a ref.

    Leaves may carry a range (``ge`` and ``lt`` together). ``ref`` names a predicate of the rules
    file; it is inlined when the rules are loaded. ``label`` names the clause in reasons.
    """

    label: str = ""
    ref: str | None = None
    metric: Metric | None = None
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    eq: bool | str | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    not_in: list[str] | None = None
    all_of: list[Cond] | None = None
    any_of: list[Cond] | None = None
    not_: Cond | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_kind(self) -> Cond:
        kinds = [
            self.metric is not None,
            self.all_of is not None,
            self.any_of is not None,
            self.not_ is not None,
            self.ref is not None,
        ]
        if sum(kinds) != 1:
            raise ValueError("a condition needs exactly one of metric, all_of, any_of, not, ref")
        if self.metric is not None:
            ops = [self.ge, self.gt, self.le, self.lt, self.eq, self.in_, self.not_in]
            if all(o is None for o in ops):
                raise ValueError(f"condition on {self.metric} has no comparison")
        return self


def _num(x: float) -> str:
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.2f}".rstrip("0").rstrip(".")


_METRIC_NAME = {
    "tpp": "TPP",
    "pd": "PD",
    "scaleup_gbs": "interconnect",
    "hbm_tbs": "memory bandwidth",
    "dram_gbs": "memory bandwidth",
    "dram_io_gbs": "memory + interconnect bandwidth",
    "origin": "origin",
    "vendor": "vendor",
    "chip": "chip",
}
_METRIC_UNIT = {"scaleup_gbs": " GB/s", "hbm_tbs": " TB/s", "dram_gbs": " GB/s", "dram_io_gbs": " GB/s"}


def metric_value(chip: Accelerator, metric: str) -> float | bool | str | None:
    """The value of a policy metric for a chip (None = the catalog lacks it)."""
    if metric == "tpp":
        return chip.tpp
    if metric == "pd":
        return chip.performance_density
    if metric == "scaleup_gbs":
        return chip.v("scaleup_gbs")
    if metric == "hbm_tbs":
        return chip.v("hbm_tbs")
    if metric == "dram_gbs":
        tbs = chip.v("hbm_tbs")
        return None if tbs is None else tbs * 1000.0
    if metric == "dram_io_gbs":
        # the "combination" bar of the Apr-2025 vendor notice and the GAIN AI Act: DRAM + I/O
        tbs, io = chip.v("hbm_tbs"), chip.v("scaleup_gbs")
        return None if tbs is None or io is None else tbs * 1000.0 + io
    if metric == "datacenter":
        return chip.datacenter
    if metric == "origin":
        return chip.origin.upper()
    if metric == "vendor":
        return chip.vendor
    if metric == "chip":
        return chip.id
    raise ValueError(f"unknown metric {metric!r}")


def _norm_id(s: str) -> str:
    return "".join(ch for ch in s.lower() if ch.isalnum())


def _leaf(cond: Cond, chip: Accelerator) -> tuple[bool | None, str]:
    m = cond.metric
    assert m is not None
    val = metric_value(chip, m)
    name = _METRIC_NAME.get(m, m)
    if val is None:
        missing = {"pd": "PD (no die area)", "dram_gbs": "memory bandwidth"}.get(m, name)
        return None, f"{missing} unknown"
    if m == "datacenter":
        want = bool(cond.eq)
        text = "datacenter chip" if val else "non-datacenter chip"
        return (bool(val) == want), text
    if m in ("origin", "vendor", "chip"):
        sval = str(val)
        key = _norm_id if m in ("chip", "vendor") else str.upper
        ok = True
        if cond.eq is not None:
            ok = ok and key(sval) == key(str(cond.eq))
        if cond.in_ is not None:
            ok = ok and key(sval) in {key(x) for x in cond.in_}
        if cond.not_in is not None:
            ok = ok and key(sval) not in {key(x) for x in cond.not_in}
        if m == "chip":
            return ok, f"chip {sval} {'listed' if ok else 'not listed'}"
        return ok, f"{m} {sval}"
    x = float(val)  # type: ignore[arg-type]
    unit = _METRIC_UNIT.get(m, "")
    shown = f"{name} {_num(x)}{unit}"
    parts_ok: list[str] = []
    parts_bad: list[str] = []
    for op, bound, sym_ok, sym_bad in (
        ("ge", cond.ge, "≥", "<"),
        ("gt", cond.gt, ">", "≤"),
        ("le", cond.le, "≤", ">"),
        ("lt", cond.lt, "<", "≥"),
    ):
        if bound is None:
            continue
        ok = {"ge": x >= bound, "gt": x > bound, "le": x <= bound, "lt": x < bound}[op]
        (parts_ok if ok else parts_bad).append(
            f"{sym_ok if ok else sym_bad} {_num(bound)}{unit}"
        )
    if parts_bad:
        return False, f"{shown} {parts_bad[0]}"
    return True, f"{shown} {' and '.join(parts_ok)}"


def evaluate_condition(cond: Cond, chip: Accelerator) -> tuple[bool | None, str]:
    """Three-valued test (True, False, None = unknown data) plus a readable explanation.

    A labelled clause that holds reads as its label with the leaf comparisons that made it hold,
    e.g. ``3A090.a/.b (TPP 15,832 ≥ 4,800)``, however deeply the named predicates nest."""
    result, text, _ = _evaluate(cond, chip)
    return result, text


def _evaluate(cond: Cond, chip: Accelerator) -> tuple[bool | None, str, list[str]]:
    """(result, text, leaves): ``leaves`` are the leaf comparisons behind a True result."""
    if cond.ref is not None:
        raise ValueError(f"unresolved predicate ref {cond.ref!r}")
    leaves: list[str] = []
    if cond.metric is not None:
        result, text = _leaf(cond, chip)
        leaves = [text]
    elif cond.not_ is not None:
        inner, text, _ = _evaluate(cond.not_, chip)
        result = None if inner is None else not inner
        if inner is False and not cond.not_.label:
            text = f"not ({text})"
        leaves = [text]
    elif cond.all_of is not None:
        subs = [_evaluate(c, chip) for c in cond.all_of]
        if any(r is False for r, _, _ in subs):
            result, text = False, next(t for r, t, _ in subs if r is False)
        elif any(r is None for r, _, _ in subs):
            result, text = None, next(t for r, t, _ in subs if r is None)
        else:
            result, text = True, " and ".join(t for _, t, _ in subs)
            leaves = [leaf for _, _, lv in subs for leaf in lv]
    else:
        assert cond.any_of is not None
        subs = [_evaluate(c, chip) for c in cond.any_of]
        if any(r is True for r, _, _ in subs):
            result, text, leaves = next((r, t, lv) for r, t, lv in subs if r is True)
        elif any(r is None for r, _, _ in subs):
            result, text = None, next(t for r, t, _ in subs if r is None)
        else:
            result, text = False, "; ".join(t for _, t, _ in subs)
    if cond.label:
        if result is True:
            unique = list(dict.fromkeys(leaves))
            text = f"{cond.label} ({'; '.join(unique)})"
        elif result is False:
            text = f"not {cond.label} ({text})"
        else:
            text = f"{cond.label} undecidable ({text})"
    return result, text, leaves


def _resolve(cond: Cond, predicates: dict[str, Cond], stack: tuple[str, ...] = ()) -> Cond:
    """Inline named predicates (``ref``) so every rule is self-contained and editable."""
    if cond.ref is not None:
        if cond.ref not in predicates:
            raise InputError("rules.predicates", f"unknown predicate {cond.ref!r}{suggest(cond.ref, list(predicates))}")
        if cond.ref in stack:
            raise InputError("rules.predicates", f"predicate {cond.ref!r} refers to itself")
        target = _resolve(predicates[cond.ref], predicates, (*stack, cond.ref))
        return target.model_copy(update={"label": cond.label or target.label or cond.ref})
    update: dict[str, Any] = {}
    if cond.all_of is not None:
        update["all_of"] = [_resolve(c, predicates, stack) for c in cond.all_of]
    if cond.any_of is not None:
        update["any_of"] = [_resolve(c, predicates, stack) for c in cond.any_of]
    if cond.not_ is not None:
        update["not_"] = _resolve(cond.not_, predicates, stack)
    return cond.model_copy(update=update) if update else cond
