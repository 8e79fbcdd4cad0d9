"""Rules and preset regimes as data: the models and the loaders of rules.json and regimes.json."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator

from core.catalog import suggest
from core.errors import InputError
from core.policy.conditions import Cond, Outcome, RuleStatus, _resolve, _Strict
from core.policy.countries import CountryGroup, _read_catalog, load_country_groups
from core.resources import resource
from core.scenario import AccessMode, EndUserType
from core.units import IsoDate

ACCESS_MODES: tuple[str, ...] = ("own", "stockpile", "lease", "domestic", "smuggled")
REGIME_IDS = ("in-force", "none", "hypo-my-th-licence", "hypo-remote-access-act", "hypo-diffusion-reinstated")


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
    jurisdiction: Literal["US", "MY", "CN"] = Field(description="the country whose authorities issued the rule")
    issuer: str = Field(
        default="", description="the body that issued it, for reasons (\"China's customs\"); empty = the government "
        "of the jurisdiction")
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
    end_user_types: list[EndUserType] | None = Field(
        default=None,
        description="applies only to these kinds of end user (PolicySettings.end_user_type); None = every kind")
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
