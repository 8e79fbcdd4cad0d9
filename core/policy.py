"""Export-control policy: rules as data, regimes, and the usability of a pool of chips.

Rules live in ``resources/catalog/policies/rules.json`` (each citing ``resources/sources/rules.md``), regimes
in ``resources/catalog/policies/regimes.json`` and country groups in
``resources/catalog/country_groups.json``. See ``docs/policy.md`` for the encoding and every
modelling choice. Nothing here imports Qt.

A rule is a predicate over (chip metrics, destination country, headquarters country, access mode,
date) with an outcome. :func:`evaluate_pool` applies every rule of a regime to one pool and
returns a :class:`PoolPolicy` with a status (usable, needs_license, blocked), the decisive rule,
licence terms and a readable chain of reasons.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.catalog import Accelerator, suggest
from core.errors import InputError
from core.jsonread import parse_json
from core.resources import resource
from core.scenario import AccessMode, PolicySettings, Pool, Scenario
from core.units import IsoDate

RuleStatus = Literal["in_force", "rescinded", "draft", "hypothetical", "foreign_measure", "reading"]
Outcome = Literal["allowed", "notify", "discouraged", "license", "presumption_of_denial", "prohibited"]
PoolStatus = Literal["usable", "needs_license", "blocked"]
Metric = Literal["tpp", "pd", "scaleup_gbs", "hbm_tbs", "dram_gbs", "datacenter", "origin", "vendor", "chip"]

ACCESS_MODES: tuple[str, ...] = ("own", "stockpile", "lease", "domestic")
REGIME_IDS = ("in-force", "none", "hypo-my-th-licence", "hypo-remote-access-act", "hypo-diffusion-reinstated")

# Severity decides which rule is decisive when several apply (higher wins).
SEVERITY: dict[str, int] = {
    "allowed": 0,
    "notify": 1,
    "discouraged": 2,
    "license": 3,
    "presumption_of_denial": 4,
    "prohibited": 5,
}
STATUS_OF: dict[str, PoolStatus] = {
    "allowed": "usable",
    "notify": "usable",
    "discouraged": "usable",
    "license": "needs_license",
    "presumption_of_denial": "blocked",
    "prohibited": "blocked",
}
OUTCOME_TEXT = {
    "allowed": "allowed",
    "notify": "allowed after notification",
    "discouraged": "discouraged (soft law)",
    "license": "licence required",
    "presumption_of_denial": "presumption of denial",
    "prohibited": "prohibited",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, populate_by_name=True)


# ---------------------------------------------------------------------------------------------
# Chip conditions


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
    "origin": "origin",
    "vendor": "vendor",
    "chip": "chip",
}
_METRIC_UNIT = {"scaleup_gbs": " GB/s", "hbm_tbs": " TB/s", "dram_gbs": " GB/s"}


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


# ---------------------------------------------------------------------------------------------
# Country groups


class GroupChange(_Strict):
    """A dated, sourced change of a group's membership (``added`` or ``removed`` that day)."""

    date: dt.date
    country: str = Field(pattern=r"^[A-Z]{2}$")
    change: Literal["added", "removed"]
    source: str = Field(min_length=1)


class CountryGroup(_Strict):
    title: str
    as_of: dt.date | None = Field(default=None, description="the date the member list describes")
    members: list[str] = Field(default_factory=list)
    includes: list[str] = Field(default_factory=list, description="other group ids")
    complement_of: list[str] | None = Field(default=None, description="everything not in these groups")
    changes: list[GroupChange] = Field(
        default_factory=list, description="dated additions/removals; the members are the list after all of them"
    )
    complete: bool = True
    source: str = Field(min_length=1)

    def members_on(self, on: dt.date | None) -> set[str]:
        """The direct members on a date: the listed members with later changes undone."""
        members = set(self.members)
        if on is None:
            return members
        for ch in sorted(self.changes, key=lambda c: c.date, reverse=True):
            if ch.date > on:
                if ch.change == "added":
                    members.discard(ch.country)
                else:
                    members.add(ch.country)
        return members


class CountryGroups(_Strict):
    schema_version: int = 1
    notes: str = ""
    groups: dict[str, CountryGroup]


@lru_cache(maxsize=1)
def _read_catalog(path: Any) -> Any:
    """A bundled policy file, read as strictly as a user's file (duplicate keys, NaN refused)."""
    try:
        return parse_json(path.read_text(encoding="utf-8"))
    except InputError as e:
        raise e.in_file(path.name) from None


def load_country_groups() -> CountryGroups:
    path = resource("catalog", "country_groups.json")
    return CountryGroups.model_validate(_read_catalog(path))


def in_group(country: str, group_id: str, on: dt.date | None = None) -> bool:
    """Whether an ISO country is in a group on a date (None = the current list).

    Tier2 is the complement of Tier1 and Tier3. Dated changes (e.g. Cambodia leaving D:5 on
    2026-02-03) are undone for earlier dates."""
    groups = load_country_groups().groups
    if group_id not in groups:
        raise InputError("country group", f"unknown group {group_id!r}{suggest(group_id, list(groups))}")
    g = groups[group_id]
    c = country.strip().upper()
    if g.complement_of is not None:
        return not any(in_group(c, other, on) for other in g.complement_of)
    return c in g.members_on(on) or any(in_group(c, sub, on) for sub in g.includes)


def group_is_partial(group_id: str) -> bool:
    groups = load_country_groups().groups
    g = groups[group_id]
    subs = g.includes + (g.complement_of or [])
    return (not g.complete) or any(group_is_partial(s) for s in subs)


def matches_place(country: str, tokens: list[str], on: dt.date | None = None) -> bool:
    """True if the country is one of the tokens (ISO codes or group ids) on a date."""
    groups = load_country_groups().groups
    c = country.strip().upper()
    return any(in_group(c, t, on) if t in groups else t.upper() == c for t in tokens)


def site_country(site: str) -> str:
    """ISO country of a site id: ``MY-Johor`` -> ``MY``; a plain ISO code is itself."""
    country = site.strip().split("-", 1)[0].upper()
    if len(country) != 2 or not country.isalpha():
        raise InputError("site", f"cannot tell the country of site {site!r}; use an id like 'MY-Johor' or 'CN'")
    return country


# ---------------------------------------------------------------------------------------------
# Rules and regimes


class LicenceTerms(_Strict):
    approval_likelihood: float = Field(ge=0, le=1)
    revenue_share_pct: float = Field(default=0.0, ge=0, le=100)
    tariff_pct: float = Field(default=0.0, ge=0, le=1000)
    assumption: str = Field(default="", description="why the likelihood is what it is")


class Caps(_Strict):
    """AI Diffusion (R6) Tier-2 caps, counted in H100-equivalents of TPP."""

    h100_tpp: float = Field(default=15832, gt=0, le=1e9)
    lpp_h100e_per_customer: float = Field(gt=0, le=1e12)
    country_h100e: float = Field(gt=0, le=1e12)
    country_tpp: float = Field(gt=0, le=1e18)


class Rule(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    short: str = Field(min_length=1, description="short name for reasons, e.g. 'Oct 2023 rule'")
    title: str = Field(min_length=1)
    source: str = Field(min_length=1, description="citation (rules.md key and sources)")
    effective: IsoDate
    ends: IsoDate | None = None
    status: RuleStatus
    jurisdiction: Literal["US", "MY", "CN"]
    chips: Cond | None = Field(default=None, description="None = every chip")
    origins: list[str] | None = Field(default=None, description="chip origins covered; None = all")
    exclude_origins: list[str] = Field(default_factory=list)
    destinations: list[str] | None = Field(default=None, description="ISO codes or groups; None = anywhere")
    destinations_exclude: list[str] = Field(default_factory=list)
    hq: list[str] | None = Field(default=None, description="ISO codes or groups; None = any")
    hq_exclude: list[str] = Field(default_factory=list)
    parties: Literal["all", "any"] = Field(
        default="all", description="all: destination AND hq must match; any: either (the HQ rule)"
    )
    access: list[AccessMode] = Field(min_length=1)
    from_us_only: bool = Field(default=False, description="only exports from the US (R15)")
    modifies: list[str] = Field(
        default_factory=list,
        description="applies only where one of these rules applies, and replaces them (R9, R15)",
    )
    requires: list[str] = Field(
        default_factory=list,
        description="applies only where one of these rules applies, alongside them (the 2026 tariff on the R15 route)",
    )
    tariff_pct: float = Field(
        default=0.0, ge=0, le=1000, description="duty charged on the route when this rule applies (Section 232)"
    )
    training_flops_gt: float | None = Field(
        default=None, gt=0, description="applies only to a run of more training operations than this (4E091)"
    )
    end_user: Literal["entity_listed", "listed_owner_50"] | None = Field(
        default=None,
        description="applies only to an end user on the Entity List (from its listing date) or one at least "
        "50% owned by listed parties (PolicySettings.end_user_*)",
    )
    outcome: Outcome
    licence: LicenceTerms | None = None
    caps: Caps | None = None
    grandfathers_prior_holdings: bool = False
    note: str = ""
    access_notes: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Rule:
        if self.outcome == "license" and self.licence is None:
            raise ValueError(f"rule {self.id}: outcome 'license' needs licence terms")
        if self.ends is not None and self.ends <= self.effective:
            raise ValueError(f"rule {self.id}: ends {self.ends} is not after effective {self.effective}")
        for k in self.access_notes:
            if k not in ACCESS_MODES:
                raise ValueError(f"rule {self.id}: access_notes key {k!r} is not an access mode")
        return self


class RulesFile(_Strict):
    schema_version: int = 1
    notes: str = ""
    predicates: dict[str, Cond] = Field(default_factory=dict)
    rules: list[Rule]


class PolicyRegime(_Strict):
    """A named set of rules. ``hypothetical`` rules (and every rule with status hypothetical)
    take effect on ``settings.hypothetical_from``, else ``hypothetical_from`` here, else the
    evaluation date, and have no end date."""

    id: str = Field(min_length=1)
    title: str = ""
    description: str = ""
    rules: list[Rule] = Field(default_factory=list)
    hypothetical: list[str] = Field(default_factory=list)
    hypothetical_from: IsoDate | None = None

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise InputError("policy", f"regime {self.id!r} has no rule {rule_id!r}{suggest(rule_id, self.rule_ids())}")

    def rule_ids(self) -> list[str]:
        return [r.id for r in self.rules]

    def is_hypothetical(self, rule: Rule) -> bool:
        return rule.status == "hypothetical" or rule.id in self.hypothetical


class _RegimeSpec(_Strict):
    id: str
    title: str = ""
    description: str = ""
    base: str | None = None
    rules: list[str] | None = None
    include_status: list[RuleStatus] | None = None
    exclude: list[str] = Field(default_factory=list)
    add: list[str] = Field(default_factory=list)
    hypothetical: list[str] = Field(default_factory=list)


class _RegimesFile(_Strict):
    schema_version: int = 1
    regimes: list[_RegimeSpec]


def _check_tokens(rule: Rule, groups: dict[str, CountryGroup]) -> None:
    for field in ("destinations", "destinations_exclude", "hq", "hq_exclude"):
        for t in getattr(rule, field) or []:
            if t not in groups and not (len(t) == 2 and t.isalpha() and t.isupper()):
                raise InputError(f"rule {rule.id}.{field}", f"{t!r} is neither an ISO code nor a group{suggest(t, list(groups))}")


@lru_cache(maxsize=1)
def load_rules() -> dict[str, Rule]:
    """Every rule in the rules file, predicates inlined, by id."""
    path = resource("catalog", "policies", "rules.json")
    data = RulesFile.model_validate(_read_catalog(path))
    groups = load_country_groups().groups
    out: dict[str, Rule] = {}
    for r in data.rules:
        if r.id in out:
            raise InputError("rules", f"duplicate rule id {r.id!r}")
        if r.chips is not None:
            r = r.model_copy(update={"chips": _resolve(r.chips, data.predicates)})
        _check_tokens(r, groups)
        out[r.id] = r
    for r in out.values():
        for key in ("modifies", "requires"):
            for m in getattr(r, key):
                if m not in out:
                    raise InputError(f"rule {r.id}.{key}", f"unknown rule {m!r}{suggest(m, list(out))}")
    return out


@lru_cache(maxsize=1)
def _load_regimes_cached() -> dict[str, PolicyRegime]:
    path = resource("catalog", "policies", "regimes.json")
    specs = _RegimesFile.model_validate(_read_catalog(path)).regimes
    library = load_rules()
    by_id = {s.id: s for s in specs}

    def ids_of(spec: _RegimeSpec, depth: int = 0) -> tuple[list[str], list[str]]:
        if depth > 5:
            raise InputError("regimes", f"regime {spec.id!r}: base chain too deep")
        ids: list[str] = []
        hypo: list[str] = []
        if spec.base is not None:
            if spec.base not in by_id:
                raise InputError(f"regime {spec.id}.base", f"unknown regime {spec.base!r}")
            ids, hypo = ids_of(by_id[spec.base], depth + 1)
        if spec.rules is not None:
            ids += spec.rules
        if spec.include_status is not None:
            ids += [r.id for r in library.values() if r.status in spec.include_status]
        ids += spec.add
        ids = [i for i in dict.fromkeys(ids) if i not in spec.exclude]
        for i in ids + spec.hypothetical:
            if i not in library:
                raise InputError(f"regime {spec.id}", f"unknown rule {i!r}{suggest(i, list(library))}")
        return ids, [*hypo, *spec.hypothetical]

    out: dict[str, PolicyRegime] = {}
    for s in specs:
        ids, hypo = ids_of(s)
        out[s.id] = PolicyRegime(
            id=s.id,
            title=s.title,
            description=s.description,
            rules=[library[i] for i in ids],
            hypothetical=hypo,
        )
    return out


def load_regimes() -> dict[str, PolicyRegime]:
    """The preset regimes by id (deep copies: edit them freely)."""
    return {k: v.model_copy(deep=True) for k, v in _load_regimes_cached().items()}


def get_regime(regime_id: str, extra: dict[str, PolicyRegime] | None = None, field: str = "policy.regime") -> PolicyRegime:
    """A preset (or ``extra``, e.g. project) regime; unknown ids get a "did you mean" InputError."""
    table = {**_load_regimes_cached(), **(extra or {})}
    hit = table.get(str(regime_id).strip())
    if hit is None:
        raise InputError(field, f"unknown policy {regime_id!r}{suggest(str(regime_id), list(table))}")
    return hit.model_copy(deep=True)


# ---------------------------------------------------------------------------------------------
# Evaluation


class PoolPolicy(BaseModel):
    """What the rules say about one pool on one date."""

    model_config = ConfigDict(extra="forbid")

    pool_name: str = ""
    accelerator: str
    count: int
    site: str
    country: str
    hq: str
    access: str
    date: dt.date
    regime: str
    status: PoolStatus
    outcome: Outcome = Field(description="outcome of the decisive rule ('allowed' when none applies)")
    decisive_rule: str | None = None
    rules_applied: list[str] = Field(default_factory=list, description="rules whose outcome counted")
    grandfathered: list[str] = Field(default_factory=list, description="rules the chips are grandfathered under")
    unevaluated: list[str] = Field(default_factory=list, description="rules not decidable for lack of chip data")
    warnings: list[str] = Field(default_factory=list, description="rule ids that add a caveat or red flag")
    approval_likelihood: float = Field(ge=0, le=1, description="1 usable, licence likelihood, 0 blocked")
    revenue_share_pct: float = 0.0
    tariff_pct: float = 0.0
    usable_count: float = Field(ge=0)
    reasons: list[str] = Field(default_factory=list)

    def explanation(self) -> str:
        return "; ".join(r.rstrip(". ") for r in self.reasons)

    def summary(self) -> str:
        """The verdict as the last reason words it (``usable (grandfathered under R3)``)."""
        last = self.reasons[-1] if self.reasons else ""
        return last.removeprefix("result: ").split("; counted as")[0].split("; not counted")[0]


class _Hit(NamedTuple):
    rule: Rule
    outcome: str
    licence: LicenceTerms | None
    text: str
    granted: bool = False


def _verdict(
    status: str, decisive: str | None, outcome: str, grandfathered: list[str], granted_rule: str | None = None
) -> str:
    """The one wording of a pool's verdict, used by the reasons and by every summary."""
    verdict = {"usable": "usable", "needs_license": "needs a licence", "blocked": "blocked"}[status]
    if granted_rule:
        return f"{verdict} (exported under a granted licence, {granted_rule})"
    if decisive and (status != "usable" or not grandfathered or outcome != "allowed"):
        return f"{verdict} ({decisive}: {OUTCOME_TEXT[outcome]})"
    if grandfathered:
        return f"{verdict} (grandfathered under {', '.join(grandfathered)})"
    return f"{verdict} (no rule applies)"


def _hypothetical_date(regime: PolicyRegime, settings: PolicySettings, date: dt.date) -> dt.date:
    return settings.hypothetical_from or regime.hypothetical_from or date


def _in_effect(rule: Rule, regime: PolicyRegime, date: dt.date, hypo_from: dt.date) -> tuple[bool, dt.date]:
    if regime.is_hypothetical(rule):
        return date >= hypo_from, hypo_from
    effective = rule.effective
    return effective <= date and (rule.ends is None or date < rule.ends), effective


def _fmt_date(d: dt.date) -> str:
    return d.isoformat()


def evaluate_pool(
    pool: Pool,
    chip: Accelerator,
    hq: str,
    date: dt.date,
    regime: PolicyRegime | str = "in-force",
    settings: PolicySettings | None = None,
    training_flops: float | None = None,
    chip_tests: dict[tuple[int, int], tuple[bool | None, str]] | None = None,
) -> PoolPolicy:
    """Apply a regime's rules to one pool on one date.

    ``training_flops`` is the run's total training operations, for rules keyed on it (4E091);
    without it such rules are reported as not evaluated. ``chip_tests``, if given, remembers
    each rule's chip condition per (condition, chip) object across calls: pass one dict per
    (regime, chips) that stay alive and unchanged meanwhile (the scenario evaluator does, for
    the pools of one scenario).

    Access semantics (rules.md section 2): ``own`` = bought and imported now (``acquired``
    defaults to ``date``); ``stockpile`` = already held, grandfathered by ``acquired`` against
    each rule's effective date (no date = not grandfathered); ``lease`` = a third party's chips
    abroad used remotely, covered only by rules that list ``lease``; ``domestic`` = chips
    designed in the user's own country (origin == hq), else treated as ``own``.
    """
    settings = settings or PolicySettings()
    if isinstance(regime, str):
        regime = get_regime(regime)
    if _norm_id(pool.accelerator) != _norm_id(chip.id):
        raise InputError("accelerator", f"pool is {pool.accelerator!r} but the chip given is {chip.id!r}")
    hq = hq.strip().upper()
    if len(hq) != 2 or not hq.isalpha():
        raise InputError("hq", f"{hq!r} is not a two-letter ISO country code")
    country = site_country(pool.site)
    known = set(regime.rule_ids()) | set(load_rules())
    for rid in settings.disabled_rules:
        if rid not in known:
            raise InputError("policy.disabled_rules", f"unknown rule {rid!r}{suggest(rid, sorted(known))}")
    disabled = set(settings.disabled_rules)
    hypo_from = _hypothetical_date(regime, settings, date)

    reasons: list[str] = [f"{chip.id}, {pool.access}, {hq}-headquartered, in {country} on {_fmt_date(date)} ({regime.id})"]
    access = pool.access
    if access == "domestic" and chip.origin.upper() != hq:
        reasons.append(f"access 'domestic' but {chip.id} is from {chip.origin}, not {hq}: evaluated as 'own'")
        access = "own"
    acquired = pool.acquired
    if acquired is None and access in ("own", "domestic"):
        acquired = date
    if acquired is None and access == "stockpile":
        reasons.append("stockpile without an acquisition date: not grandfathered under any rule")

    def test_chip(cond: Cond) -> tuple[bool | None, str]:
        if chip_tests is None:
            return evaluate_condition(cond, chip)
        key = (id(cond), id(chip))
        if key not in chip_tests:
            chip_tests[key] = evaluate_condition(cond, chip)
        return chip_tests[key]

    hits: list[_Hit] = []
    grandfathered: list[str] = []
    unevaluated: list[str] = []
    granted = pool.licence_granted
    # Export rules (those that grandfather prior holdings) decide at the export: chips acquired
    # before the evaluation date are judged by the export rules in force when they were acquired,
    # and are grandfathered under export rules that took effect after that.
    held = acquired is not None and acquired < date
    # Modifying rules (R9, R15) run after the rules they modify, oldest first; rules that only
    # accompany others (the 2026 tariff) run last.
    ordered = sorted(
        regime.rules,
        key=lambda r: (2 if r.requires else 1 if r.modifies else 0, r.effective if (r.modifies or r.requires) else dt.date.min),
    )
    for rule in ordered:
        if rule.end_user == "entity_listed":
            since = settings.end_user_listed_since
            if since is None:
                continue
            if since > rule.effective:
                # the listing is the end user's own date: exports before it are not caught
                rule = rule.model_copy(update={"effective": since})
                if rule.ends is not None and rule.ends <= since:
                    continue
        elif rule.end_user == "listed_owner_50" and settings.end_user_listed_owner_pct < 50:
            continue
        live, effective = _in_effect(rule, regime, date, hypo_from)
        when, at_export, only_grandfather = date, False, False
        if rule.grandfathers_prior_holdings and held:
            assert acquired is not None
            if _in_effect(rule, regime, acquired, hypo_from)[0]:
                when, at_export = acquired, True
            elif acquired < effective <= date:
                when, only_grandfather = effective, True
            else:
                continue
        elif not live:
            continue
        tag = f"{rule.id} ({rule.short})"
        if rule.id in disabled:
            if not only_grandfather:
                reasons.append(f"{tag} disabled in the scenario's policy settings")
            continue
        origin = chip.origin.upper()
        if rule.origins is not None and origin not in {o.upper() for o in rule.origins}:
            continue
        if origin in {o.upper() for o in rule.exclude_origins}:
            continue
        if rule.requires and not any(h.rule.id in rule.requires for h in hits):
            continue
        if not _parties_match(rule, country, hq, when):
            excluded_by = _excluded_by(rule, country, when)
            if excluded_by and access in rule.access and rule.chips is not None:
                if test_chip(rule.chips)[0]:
                    partial = [t for t in excluded_by if group_is_partial(t)]
                    reasons.append(
                        f"{tag}: {country} is in {'/'.join(t for t in rule.destinations or [] if matches_place(country, [t], when))} "
                        f"but also in {'/'.join(excluded_by)}, which the rule excludes: not applying"
                        + (f" ({'/'.join(partial)} marked incomplete in country_groups.json)" if partial else "")
                    )
                continue
            partial = _only_partial_groups(rule.destinations)
            excluded = matches_place(country, rule.destinations_exclude, when) or matches_place(hq, rule.hq_exclude, when)
            if partial and not excluded and access in rule.access and rule.chips is not None \
                    and test_chip(rule.chips)[0]:
                reasons.append(
                    f"{tag}: {country} is not in the partial {'/'.join(partial)} list "
                    "(full list not retrieved): treated as not applying"
                )
            continue
        ok: bool | None
        if rule.chips is None:
            ok, why = True, "all chips"
        else:
            ok, why = test_chip(rule.chips)
        if ok and rule.training_flops_gt is not None:
            limit = f"{rule.training_flops_gt:.3g} operations"
            if training_flops is None:
                ok, why = None, "the run's training FLOPs"
            elif training_flops > rule.training_flops_gt:
                why += f"; run of {training_flops:.3g} training operations > {limit}"
            else:
                continue
        if ok is None:
            if access not in rule.access:
                continue
            unevaluated.append(rule.id)
            missing = ", ".join(_missing_metrics(rule.chips, chip)) if rule.chips is not None else ""
            reasons.append(f"{tag} not evaluated: missing {missing or why} for {chip.id}; treated as not applying")
            continue
        if not ok:
            continue
        place = f"chips in {country}" + (f", buyer headquartered in {hq}" if rule.hq is not None else "")
        if rule.end_user == "entity_listed":
            place += f", end user on the Entity List since {_fmt_date(rule.effective)}"
        elif rule.end_user == "listed_owner_50":
            place += f", end user {_num(settings.end_user_listed_owner_pct)}% owned by Entity List parties"
        if access not in rule.access:
            if access == "lease" and rule.jurisdiction == "US" and SEVERITY[rule.outcome] >= SEVERITY["license"]:
                reasons.append(
                    f"{tag}: {why}, but renting a third party's chips in {country} is not an export under this rule"
                )
            continue
        if rule.from_us_only and not (origin == "US" and (access == "own" or (access == "stockpile" and acquired))):
            if any(h.rule.id in rule.modifies for h in hits):
                reasons.append(f"{tag} covers only new exports from the US; not this pool")
            continue
        if only_grandfather or (rule.grandfathers_prior_holdings and acquired is not None and acquired < effective):
            grandfathered.append(rule.id)
            reasons.append(
                f"{tag}: {why}; {place} → {OUTCOME_TEXT[rule.outcome]} from {_fmt_date(effective)}; "
                f"acquired {_fmt_date(acquired or date)} before that → grandfathered"
            )
            continue
        outcome: Outcome
        outcome, licence, extra = rule.outcome, rule.licence, ""
        if rule.caps is not None:
            outcome, licence, extra = _apply_caps(rule, chip, pool.count)
        if rule.modifies:
            replaced = [h for h in hits if h.rule.id in rule.modifies]
            if not replaced:
                continue
            hits = [h for h in hits if h.rule.id not in rule.modifies]
            extra += f" (replaces {', '.join(h.rule.id for h in replaced)})"
            new_share = licence.revenue_share_pct if licence is not None else 0.0
            for h in replaced:
                old = h.licence
                if old is not None and old.revenue_share_pct and not new_share:
                    extra += (
                        f"; whether {h.rule.id}'s {_num(old.revenue_share_pct)}% revenue share continues under "
                        f"{rule.id} is unsourced: not applied"
                    )
        when_txt = f"; exported {_fmt_date(acquired)}, while this rule was in force" if at_export and acquired else ""
        text = f"{tag}: {why}; {place}{when_txt} → {OUTCOME_TEXT[outcome]}{extra}"
        if rule.tariff_pct:
            text += f" [{_num(rule.tariff_pct)}% duty]"
        is_granted = (
            granted and rule.grandfathers_prior_holdings and outcome in ("license", "presumption_of_denial")
        )
        if licence is not None and outcome == "license":
            terms = [f"approval likelihood {licence.approval_likelihood:.0%} (assumption)"]
            if licence.revenue_share_pct:
                terms.append(f"{_num(licence.revenue_share_pct)}% revenue share")
            if licence.tariff_pct:
                terms.append(f"{_num(licence.tariff_pct)}% tariff")
            if not is_granted:
                text += f" [{', '.join(terms)}]"
        if is_granted:
            text += "; the pool says the licence was granted → usable"
            outcome = "allowed"
        note = rule.access_notes.get(access, rule.note)
        if note:
            text += f" — {note}"
        reasons.append(text)
        hits.append(_Hit(rule, outcome, licence, text, is_granted))

    warn_ids = [
        h.rule.id for h in hits
        if h.outcome in ("allowed", "notify", "discouraged") and not h.granted and (h.rule.note or h.outcome != "allowed")
    ]
    tariff = sum(h.rule.tariff_pct for h in hits)
    granted_rule: str | None = None
    if not hits:
        status: PoolStatus = "usable"
        outcome_final: str = "allowed"
        decisive = None
        likelihood, share = 1.0, 0.0
    else:
        top = max(
            hits,
            key=lambda h: (
                SEVERITY[h.outcome],
                h.granted,
                -(h.licence.approval_likelihood if h.licence and h.outcome == "license" else 0.0),
            ),
        )
        decisive = top.rule.id
        outcome_final = top.outcome
        granted_rule = top.rule.id if top.granted else None
        status = STATUS_OF[top.outcome]
        likelihood, share = {"usable": 1.0, "needs_license": 0.0, "blocked": 0.0}[status], 0.0
        if status == "needs_license" or (top.granted and status == "usable"):
            assert top.licence is not None or top.granted
            if top.licence is not None:
                if status == "needs_license":
                    likelihood = top.licence.approval_likelihood
                share = top.licence.revenue_share_pct
                tariff += top.licence.tariff_pct

    if status == "usable":
        usable = float(pool.count)
    elif status == "needs_license" and settings.count_pending_licences:
        usable = pool.count * likelihood
    else:
        usable = 0.0
    reasons.append(f"result: {_verdict(status, decisive, outcome_final, grandfathered, granted_rule=granted_rule)}")
    if status == "needs_license":
        reasons[-1] += (
            f"; counted as {_num(usable)} chips (count × likelihood)"
            if settings.count_pending_licences
            else "; not counted (count_pending_licences is off)"
        )
    return PoolPolicy(
        pool_name=pool.name,
        accelerator=chip.id,
        count=pool.count,
        site=pool.site,
        country=country,
        hq=hq,
        access=pool.access,
        date=date,
        regime=regime.id,
        status=status,
        outcome=outcome_final,  # type: ignore[arg-type]
        decisive_rule=decisive,
        rules_applied=[h.rule.id for h in hits],
        grandfathered=grandfathered,
        unevaluated=unevaluated,
        warnings=warn_ids,
        approval_likelihood=likelihood,
        revenue_share_pct=share,
        tariff_pct=tariff,
        usable_count=usable,
        reasons=reasons,
    )


def _missing_metrics(cond: Cond, chip: Accelerator) -> list[str]:
    """Names of the catalog figures a condition needs and the chip lacks (TPP, PD, ...)."""
    out: list[str] = []
    if cond.metric is not None and metric_value(chip, cond.metric) is None:
        if cond.metric == "pd":
            out.append("PD (die area)" if chip.tpp is not None else "TPP")
        else:
            out.append({"dram_gbs": "memory bandwidth"}.get(cond.metric, _METRIC_NAME.get(cond.metric, cond.metric)))
    for sub in [*(cond.all_of or []), *(cond.any_of or []), *([cond.not_] if cond.not_ is not None else [])]:
        out += _missing_metrics(sub, chip)
    return list(dict.fromkeys(out))


def _excluded_by(rule: Rule, country: str, on: dt.date | None) -> list[str]:
    """Exclusion groups (other than those another rule covers, i.e. the rule's hq_exclude) that
    take a destination named by the rule out of it: e.g. Israel, in D:4 and in A:6, for R3-d14."""
    if not rule.destinations or not matches_place(country, rule.destinations, on):
        return []
    return [t for t in rule.destinations_exclude if t not in rule.hq_exclude and matches_place(country, [t], on)]


def _only_partial_groups(tokens: list[str] | None) -> list[str]:
    """The tokens if every one is a partial (non-complement) group, else []."""
    groups = load_country_groups().groups
    if not tokens or any(t not in groups or groups[t].complement_of or groups[t].complete for t in tokens):
        return []
    return list(tokens)


def _parties_match(rule: Rule, country: str, hq: str, on: dt.date | None = None) -> bool:
    """Destination and HQ tests, with group membership as of ``on`` (the export's date)."""
    if matches_place(country, rule.destinations_exclude, on) or matches_place(hq, rule.hq_exclude, on):
        return False
    dest_ok = rule.destinations is None or matches_place(country, rule.destinations, on)
    hq_ok = rule.hq is None or matches_place(hq, rule.hq, on)
    if rule.parties == "all":
        return dest_ok and hq_ok
    specified = []
    if rule.destinations is not None:
        specified.append(dest_ok)
    if rule.hq is not None:
        specified.append(hq_ok)
    return any(specified) if specified else True


def _apply_caps(rule: Rule, chip: Accelerator, count: int) -> tuple[Outcome, LicenceTerms | None, str]:
    caps = rule.caps
    assert caps is not None
    tpp = chip.tpp
    if tpp is None:
        return rule.outcome, rule.licence, " (TPP unknown: caps not checked)"
    h100e = count * tpp / caps.h100_tpp
    pool_txt = f"{_num(h100e)} H100-equivalents"
    if h100e <= caps.lpp_h100e_per_customer:
        return "allowed", None, (
            f" — LPP exception: {pool_txt} ≤ {_num(caps.lpp_h100e_per_customer)} per customer per year, not counted against caps"
        )
    cap_txt = f"Tier-2 country cap {_num(caps.country_h100e)} H100-equivalents ({_num(caps.country_tpp / 1e6)}M TPP) through 2027"
    if h100e <= caps.country_h100e:
        return rule.outcome, rule.licence, (
            f" — {pool_txt} within the {cap_txt}; the cap is shared by every buyer in the country, this checks this pool alone"
        )
    return "presumption_of_denial", None, f" — {pool_txt} exceed the {cap_txt}"


def evaluate_fleet(
    scenario: Scenario,
    chips: dict[str, Accelerator],
    regime: PolicyRegime | None = None,
) -> list[PoolPolicy]:
    """Evaluate every pool of a scenario on its date under its (or the given) regime."""
    if regime is None:
        regime = get_regime(scenario.policy.regime)
    by_norm = {_norm_id(k): v for k, v in chips.items()}
    out = []
    for i, pool in enumerate(scenario.fleet):
        chip = by_norm.get(_norm_id(pool.accelerator))
        if chip is None:
            raise InputError(
                f"fleet[{i}].accelerator",
                f"unknown accelerator {pool.accelerator!r}{suggest(pool.accelerator, list(chips))}",
            )
        out.append(evaluate_pool(pool, chip, scenario.hq, scenario.date, regime, scenario.policy,
                                 run_training_flops(scenario)))
    return out


def run_training_flops(scenario: Scenario) -> float:
    """The scenario run's total training operations (6ND-style count of the model code)."""
    return scenario.model.training_flops_per_token(scenario.training.seq_len) * scenario.training.tokens


class TimelinePoint(NamedTuple):
    date: dt.date
    status: PoolStatus
    rule_id: str | None


def policy_timeline(
    chip: Accelerator,
    site: str,
    hq: str,
    access: AccessMode,
    regime: PolicyRegime | str,
    start: dt.date,
    end: dt.date,
    settings: PolicySettings | None = None,
    acquired: dt.date | None = None,
    count: int = 1,
) -> list[TimelinePoint]:
    """Status changes from ``start`` to ``end``: the first point is ``start``, then one point per
    change of (status, decisive rule). For ``own`` the chips are taken as bought on each date;
    hypothetical rules start at ``settings.hypothetical_from`` or else ``start``."""
    if end < start:
        raise InputError("end", f"end {end} is before start {start}")
    settings = settings or PolicySettings()
    if isinstance(regime, str):
        regime = get_regime(regime)
    hypo_from = settings.hypothetical_from or regime.hypothetical_from or start
    settings = settings.model_copy(update={"hypothetical_from": hypo_from})
    pool = Pool(accelerator=chip.id, count=count, site=site, access=access, acquired=acquired)
    dates = {start, hypo_from}
    if settings.end_user_listed_since is not None:
        dates.add(settings.end_user_listed_since)  # EL-end-user starts on the end user's own date
    for r in regime.rules:
        dates.add(r.effective)
        if r.ends is not None:
            dates.add(r.ends)
    points: list[TimelinePoint] = []
    for d in sorted(x for x in dates if start <= x <= end):
        res = evaluate_pool(pool, chip, hq, d, regime, settings)
        if not points or (points[-1].status, points[-1].rule_id) != (res.status, res.decisive_rule):
            points.append(TimelinePoint(d, res.status, res.decisive_rule))
    return points
