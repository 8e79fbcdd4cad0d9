"""Evaluation: the usability of one pool of chips on one date under a regime."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from core.catalog import Accelerator, suggest
from core.errors import InputError
from core.policy.conditions import (
    _METRIC_NAME,
    Cond,
    Outcome,
    PoolStatus,
    _norm_id,
    _num,
    evaluate_condition,
    metric_value,
)
from core.policy.countries import group_is_partial, load_country_groups, matches_place, site_country
from core.policy.rules import LicenceTerms, PolicyRegime, Rule, get_regime, load_rules
from core.scenario import END_USER_TYPES, PolicySettings, Pool, Scenario

# Severity decides which rule is decisive when several apply (higher wins).
SEVERITY: dict[str, int] = {
    "allowed": 0,
    "notify": 1,
    "discouraged": 2,
    "license": 3,
    # a rule whose status is not sourced outranks a licence (either reading is at least as strict
    # as a licence or does not apply) but not a denial (then both readings block)
    "unknown": 4,
    "presumption_of_denial": 5,
    "prohibited": 6,
}
STATUS_OF: dict[str, PoolStatus] = {
    "allowed": "usable",
    "notify": "usable",
    "discouraged": "usable",
    "license": "needs_license",
    "unknown": "unknown",
    "presumption_of_denial": "blocked",
    "prohibited": "blocked",
}
JURISDICTION_NAME = {"US": "the US", "CN": "China", "MY": "Malaysia"}
STATUS_TEXT = {"usable": "usable", "needs_license": "needs a licence", "blocked": "blocked", "unknown": "status unknown"}
OUTCOME_TEXT = {
    "allowed": "allowed",
    "notify": "allowed after notification",
    "discouraged": "discouraged (soft law)",
    "license": "licence required",
    "unknown": "status not sourced",
    "presumption_of_denial": "presumption of denial",
    "prohibited": "prohibited",
}



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
    approval_likelihood: float = Field(ge=0, le=1, description="1 usable, licence likelihood, 0 blocked or unknown")
    revenue_share_pct: float = 0.0
    tariff_pct: float = 0.0
    usable_count: float = Field(ge=0)
    seizure_likelihood: float | None = Field(
        default=None, ge=0, le=1,
        description="'smuggled' pools the rules block: share of the chips lost to seizure or detection if they "
        "are smuggled anyway (policy.smuggling_seizure_likelihood, an assumption); None otherwise")
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


def _authority(rule: Rule) -> str:
    """Who issued a rule, as reasons name it ("China's customs"); empty for US rules."""
    if rule.jurisdiction == "US":
        return ""
    return rule.issuer or f"the government of {JURISDICTION_NAME[rule.jurisdiction]}"


def _verdict(
    status: str, decisive: str | None, outcome: str, grandfathered: list[str], granted_rule: str | None = None,
    authority: str = "",
) -> str:
    """The one wording of a pool's verdict, used by the reasons and by every summary."""
    verdict = STATUS_TEXT[status]
    if granted_rule:
        return f"{verdict} (exported under a granted licence, {granted_rule})"
    if decisive and (status != "usable" or not grandfathered or outcome != "allowed"):
        by = f" by {authority}" if authority and outcome != "allowed" else ""
        return f"{verdict} ({decisive}: {OUTCOME_TEXT[outcome]}{by})"
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


@dataclass
class _Ctx:
    """What every rule of one evaluation looks at: the pool, where and when, and the reasons so far."""

    pool: Pool
    chip: Accelerator
    hq: str
    country: str
    date: dt.date
    regime: PolicyRegime
    settings: PolicySettings
    access: str
    acquired: dt.date | None
    hypo_from: dt.date
    disabled: set[str]
    training_flops: float | None
    chip_tests: dict[tuple[int, int], tuple[bool | None, str]] | None
    cap_totals: dict[str, CapTotals] | None = None
    reasons: list[str] = field(default_factory=list)
    hits: list[_Hit] = field(default_factory=list)
    grandfathered: list[str] = field(default_factory=list)
    unevaluated: list[str] = field(default_factory=list)
    # rule id -> (the rule as it reached the pool, the figures it lacks: "TPP", "interconnect", ...)
    unsourced: dict[str, tuple[Rule, str]] = field(default_factory=dict)

    @property
    def held(self) -> bool:
        # Export rules (those that grandfather prior holdings) decide at the export: chips acquired
        # before the evaluation date are judged by the export rules in force when they were acquired,
        # and are grandfathered under export rules that took effect after that.
        return self.acquired is not None and self.acquired < self.date

    def test_chip(self, cond: Cond) -> tuple[bool | None, str]:
        if self.chip_tests is None:
            return evaluate_condition(cond, self.chip)
        key = (id(cond), id(self.chip))
        if key not in self.chip_tests:
            self.chip_tests[key] = evaluate_condition(cond, self.chip)
        return self.chip_tests[key]


class CapTotals(NamedTuple):
    """H100-equivalents a capped rule counts across the scenario's pools: every pool it applies
    to (the customer's total, for the per-customer LPP limit) and those in this pool's country
    (for the country cap)."""

    customer_h100e: float
    country_h100e: float
    pools: int


class _Timing(NamedTuple):
    when: dt.date  # the date group membership is read on (the export's, for exports judged at export)
    effective: dt.date
    at_export: bool  # judged by the rule in force when the chips were acquired
    only_grandfather: bool  # took effect after the acquisition: can only grandfather


def evaluate_pool(
    pool: Pool,
    chip: Accelerator,
    hq: str,
    date: dt.date,
    regime: PolicyRegime | str = "in-force",
    settings: PolicySettings | None = None,
    training_flops: float | None = None,
    chip_tests: dict[tuple[int, int], tuple[bool | None, str]] | None = None,
    cap_totals: dict[str, CapTotals] | None = None,
) -> PoolPolicy:
    """Apply a regime's rules to one pool on one date.

    ``cap_totals`` (rule id -> :class:`CapTotals`, from :func:`fleet_cap_totals`) makes capped
    rules (R6) count the scenario's other pools too; without it each pool is checked alone.

    ``training_flops`` is the run's total training operations, for rules keyed on it (4E091);
    without it such rules are reported as not evaluated. ``chip_tests``, if given, remembers
    each rule's chip condition per (condition, chip) object across calls: pass one dict per
    (regime, chips) that stay alive and unchanged meanwhile (the scenario evaluator does, for
    the pools of one scenario).

    Access semantics (rules.md section 2): ``own`` = bought and imported now (``acquired``
    defaults to ``date``); ``stockpile`` = already held, grandfathered by ``acquired`` against
    each rule's effective date (no date = not grandfathered); ``lease`` = a third party's chips
    at the pool's site (China or elsewhere) used remotely, covered only by rules that list ``lease``; ``domestic`` = chips
    designed in the user's own country (origin == hq), else treated as ``own``.
    """
    ctx = _start(pool, chip, hq, date, regime, settings or PolicySettings(), training_flops, chip_tests)
    ctx.cap_totals = cap_totals
    for rule in _ordered(ctx.regime.rules):
        _apply_rule(ctx, rule)
    return _result(ctx)


def _start(
    pool: Pool,
    chip: Accelerator,
    hq: str,
    date: dt.date,
    regime: PolicyRegime | str,
    settings: PolicySettings,
    training_flops: float | None,
    chip_tests: dict[tuple[int, int], tuple[bool | None, str]] | None,
) -> _Ctx:
    """Check the inputs and settle the access mode and acquisition date."""
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
    reasons: list[str] = [f"{chip.id}, {pool.access}, {hq}-headquartered, in {country} on {_fmt_date(date)} ({regime.id})"]
    access = pool.access
    if access == "domestic" and chip.origin.upper() != hq:
        reasons.append(f"access 'domestic' but {chip.id} is from {chip.origin}, not {hq}: evaluated as 'own'")
        access = "own"
    if access == "smuggled":
        reasons.append(
            f"smuggled: judged as chips brought into {country} without any licence, by the rules that cover a "
            "purchase ('own')"
        )
        access = "own"
    acquired = pool.acquired
    if acquired is None and access in ("own", "domestic"):
        acquired = date
    if acquired is None and access == "stockpile":
        reasons.append("stockpile without an acquisition date: not grandfathered under any rule")
    return _Ctx(
        pool=pool, chip=chip, hq=hq, country=country, date=date, regime=regime, settings=settings, access=access,
        acquired=acquired, hypo_from=_hypothetical_date(regime, settings, date),
        disabled=set(settings.disabled_rules), training_flops=training_flops, chip_tests=chip_tests, reasons=reasons,
    )


def _ordered(rules: list[Rule]) -> list[Rule]:
    """Modifying rules (R9, R15) run after the rules they modify, oldest first; rules that only
    accompany others (the 2026 tariff) run last."""
    return sorted(
        rules,
        key=lambda r: (2 if r.requires else 1 if r.modifies else 0, r.effective if (r.modifies or r.requires) else dt.date.min),
    )


def _for_end_user(rule: Rule, settings: PolicySettings) -> Rule | None:
    """The rule as it reaches this end user (None: it does not). An Entity List rule starts on the
    end user's own listing date: exports before it are not caught."""
    if rule.end_user == "entity_listed":
        since = settings.end_user_listed_since
        if since is None:
            return None
        if since > rule.effective:
            rule = rule.model_copy(update={"effective": since})
            if rule.ends is not None and rule.ends <= since:
                return None
    elif rule.end_user == "listed_owner_50" and settings.end_user_listed_owner_pct < 50:
        return None
    if rule.end_user_types is not None and settings.end_user_type not in rule.end_user_types:
        return None
    return rule


def _timing(ctx: _Ctx, rule: Rule) -> _Timing | None:
    """When the rule is read for this pool, or None when it plays no part on the date."""
    live, effective = _in_effect(rule, ctx.regime, ctx.date, ctx.hypo_from)
    if rule.grandfathers_prior_holdings and ctx.held:
        acquired = ctx.acquired
        assert acquired is not None
        if _in_effect(rule, ctx.regime, acquired, ctx.hypo_from)[0]:
            return _Timing(acquired, effective, True, False)
        if acquired < effective <= ctx.date:
            return _Timing(effective, effective, False, True)
        return None
    if not live:
        return None
    return _Timing(ctx.date, effective, False, False)


def _covers_origin(rule: Rule, origin: str) -> bool:
    if rule.origins is not None and origin not in {o.upper() for o in rule.origins}:
        return False
    return origin not in {o.upper() for o in rule.exclude_origins}


def _note_parties_miss(ctx: _Ctx, rule: Rule, tag: str, when: dt.date) -> None:
    """Say why a rule that would catch the chip does not reach these parties (an exclusion group,
    or a destination group whose full list is not retrieved)."""
    country, access = ctx.country, ctx.access
    excluded_by = _excluded_by(rule, country, when)
    if excluded_by:
        if access in rule.access and rule.chips is not None and ctx.test_chip(rule.chips)[0]:
            partial = [t for t in excluded_by if group_is_partial(t)]
            ctx.reasons.append(
                f"{tag}: {country} is in {'/'.join(t for t in rule.destinations or [] if matches_place(country, [t], when))} "
                f"but also in {'/'.join(excluded_by)}, which the rule excludes: not applying"
                + (f" ({'/'.join(partial)} marked incomplete in country_groups.json)" if partial else "")
            )
        return
    partial = _only_partial_groups(rule.destinations)
    excluded = matches_place(country, rule.destinations_exclude, when) or matches_place(ctx.hq, rule.hq_exclude, when)
    if partial and not excluded and access in rule.access and rule.chips is not None \
            and ctx.test_chip(rule.chips)[0]:
        ctx.reasons.append(
            f"{tag}: {country} is not in the partial {'/'.join(partial)} list "
            "(full list not retrieved): treated as not applying"
        )


def _chip_and_run(ctx: _Ctx, rule: Rule) -> tuple[bool | None, str] | None:
    """The chip condition and the training-FLOPs threshold; None: the run is below the threshold."""
    ok: bool | None
    if rule.chips is None:
        ok, why = True, "all chips"
    else:
        ok, why = ctx.test_chip(rule.chips)
    if ok and rule.training_flops_gt is not None:
        limit = f"{rule.training_flops_gt:.3g} operations"
        if ctx.training_flops is None:
            return None, "the run's training FLOPs"
        if ctx.training_flops <= rule.training_flops_gt:
            return None
        why += f"; run of {ctx.training_flops:.3g} training operations > {limit}"
    return ok, why


def _place(ctx: _Ctx, rule: Rule) -> str:
    place = f"chips in {ctx.country}" + (f", buyer headquartered in {ctx.hq}" if rule.hq is not None else "")
    if rule.end_user == "entity_listed":
        place += f", end user on the Entity List since {_fmt_date(rule.effective)}"
    elif rule.end_user == "listed_owner_50":
        place += f", end user {_num(ctx.settings.end_user_listed_owner_pct)}% owned by Entity List parties"
    if rule.end_user_types is not None:
        place += f", end user {END_USER_TYPES[ctx.settings.end_user_type]} (policy.end_user_type)"
    return place


def _reaches_access(ctx: _Ctx, rule: Rule, tag: str, why: str) -> bool:
    """Whether the rule covers this access mode and route (R15: new exports from the US only)."""
    access = ctx.access
    if access not in rule.access:
        if access == "lease" and rule.jurisdiction == "US" and SEVERITY[rule.outcome] >= SEVERITY["license"]:
            ctx.reasons.append(
                f"{tag}: {why}, but renting a third party's chips in {ctx.country} is not an export under this rule"
            )
        return False
    if rule.from_us_only and not (
        ctx.chip.origin.upper() == "US" and (access == "own" or (access == "stockpile" and ctx.acquired))
    ):
        if any(h.rule.id in rule.modifies for h in ctx.hits):
            ctx.reasons.append(f"{tag} covers only new exports from the US; not this pool")
        return False
    return True


def _replace_modified(ctx: _Ctx, rule: Rule, licence: LicenceTerms | None) -> str | None:
    """Drop the hits a modifying rule replaces; the text to add, or None if it replaces nothing."""
    replaced = [h for h in ctx.hits if h.rule.id in rule.modifies]
    if not replaced:
        return None
    ctx.hits = [h for h in ctx.hits if h.rule.id not in rule.modifies]
    extra = f" (replaces {', '.join(h.rule.id for h in replaced)})"
    new_share = licence.revenue_share_pct if licence is not None else 0.0
    for h in replaced:
        old = h.licence
        if old is not None and old.revenue_share_pct and not new_share:
            extra += (
                f"; whether {h.rule.id}'s {_num(old.revenue_share_pct)}% revenue share continues under "
                f"{rule.id} is unsourced: not applied"
            )
    return extra


def _apply_rule(ctx: _Ctx, rule_in: Rule) -> None:
    """One rule against the pool: adds a hit, a grandfathering, an unevaluated mark or a reason."""
    rule = _for_end_user(rule_in, ctx.settings)
    if rule is None:
        return
    timing = _timing(ctx, rule)
    if timing is None:
        return
    tag = f"{rule.id} ({rule.short})"
    if rule.id in ctx.disabled:
        if not timing.only_grandfather:
            ctx.reasons.append(f"{tag} disabled in the scenario's policy settings")
        return
    if not _covers_origin(rule, ctx.chip.origin.upper()):
        return
    if rule.requires and not any(h.rule.id in rule.requires for h in ctx.hits):
        return
    if not _parties_match(rule, ctx.country, ctx.hq, timing.when):
        _note_parties_miss(ctx, rule, tag, timing.when)
        return
    tested = _chip_and_run(ctx, rule)
    if tested is None:
        return
    ok, why = tested
    if ok is None:
        if ctx.access in rule.access:
            ctx.unevaluated.append(rule.id)
            missing = ", ".join(_missing_metrics(rule.chips, ctx.chip)) if rule.chips is not None else ""
            chip_known = rule.chips is None or ctx.test_chip(rule.chips)[0] is not None
            if chip_known:  # the chip is decided; the run's training operations were not given
                ctx.reasons.append(f"{tag} not evaluated: missing {why} for {ctx.chip.id}; treated as not applying")
            else:
                ctx.unsourced[rule.id] = (rule, missing or why)
                ctx.reasons.append(
                    f"{tag} not evaluated: {missing or why} unsourced for {ctx.chip.id} (empty in the catalog); "
                    f"treated as not applying (if it applied: {OUTCOME_TEXT[rule.outcome]})")
        return
    if not ok or not _reaches_access(ctx, rule, tag, why):
        return
    place = _place(ctx, rule)
    acquired = ctx.acquired
    if timing.only_grandfather or (rule.grandfathers_prior_holdings and acquired is not None and acquired < timing.effective):
        ctx.grandfathered.append(rule.id)
        ctx.reasons.append(
            f"{tag}: {why}; {place} → {OUTCOME_TEXT[rule.outcome]} from {_fmt_date(timing.effective)}; "
            f"acquired {_fmt_date(acquired or ctx.date)} before that → grandfathered"
        )
        return
    outcome: Outcome
    outcome, licence, extra = rule.outcome, rule.licence, ""
    if rule.caps is not None:
        totals = (ctx.cap_totals or {}).get(rule.id)
        outcome, licence, extra = _apply_caps(rule, ctx.chip, ctx.pool.count, totals, ctx.country)
    if rule.modifies:
        more = _replace_modified(ctx, rule, licence)
        if more is None:
            return
        extra += more
    # a domestic chip is made where it is used: its date is an acquisition, not an export
    verb = "acquired" if ctx.access == "domestic" else "exported"
    when_txt = f"; {verb} {_fmt_date(acquired)}, while this rule was in force" if timing.at_export and acquired else ""
    authority = _authority(rule)
    by = ""
    if authority and outcome in ("allowed", "notify"):
        by = f" (a rule of {authority}, not US law)"
    elif authority:
        by = f" by {authority} (a measure of {JURISDICTION_NAME[rule.jurisdiction]}, whatever US export law allows)"
    text = f"{tag}: {why}; {place}{when_txt} → {OUTCOME_TEXT[outcome]}{by}{extra}"
    if rule.tariff_pct:
        text += f" [{_num(rule.tariff_pct)}% duty]"
    is_granted = (
        ctx.pool.licence_granted and rule.grandfathers_prior_holdings and outcome in ("license", "presumption_of_denial")
    )
    if licence is not None and outcome == "license" and not is_granted:
        text += f" [{_licence_terms(licence)}]"
    if is_granted:
        text += "; the pool says the licence was granted → usable"
        outcome = "allowed"
    note = rule.access_notes.get(ctx.access, rule.note)
    if note:
        text += f" — {note}"
    ctx.reasons.append(text)
    ctx.hits.append(_Hit(rule, outcome, licence, text, is_granted))


STATUS_RANK = {"usable": 0, "needs_license": 1, "unknown": 2, "blocked": 3}


def _unsourced_stricter(ctx: _Ctx, status: str) -> list[tuple[str, str]]:
    """(rule id, missing figures) of the rules not evaluated for lack of a catalog figure that
    would have made the pool's status stricter than ``status``. They are treated as not applying
    (the status stands), but the verdict names them so it never reads as settled."""
    hit_ids = {h.rule.id for h in ctx.hits}
    granted = ctx.pool.licence_granted
    out: list[tuple[str, str]] = []
    for rid, (rule, missing) in ctx.unsourced.items():
        if rule.modifies and not (set(rule.modifies) & (hit_ids | set(ctx.unsourced))):
            continue  # a modifier of rules that do not apply here
        if rule.requires and not (set(rule.requires) & (hit_ids | set(ctx.unsourced))):
            continue
        if granted and rule.grandfathers_prior_holdings and rule.outcome in ("license", "presumption_of_denial"):
            continue  # exported under a granted licence: satisfied whichever way the figure goes
        if STATUS_RANK[STATUS_OF[rule.outcome]] > STATUS_RANK[status]:
            out.append((rid, missing))
    return out


def _licence_terms(licence: LicenceTerms) -> str:
    terms = [f"approval likelihood {licence.approval_likelihood:.0%} (assumption)"]
    if licence.revenue_share_pct:
        terms.append(f"{_num(licence.revenue_share_pct)}% revenue share")
    if licence.tariff_pct:
        terms.append(f"{_num(licence.tariff_pct)}% tariff")
    return ", ".join(terms)


def _result(ctx: _Ctx) -> PoolPolicy:
    """The decisive hit (highest severity), the licence terms, the usable count and the verdict."""
    hits, pool, settings = ctx.hits, ctx.pool, ctx.settings
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
        authority = ""
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
        authority = _authority(top.rule)
        outcome_final = top.outcome
        granted_rule = top.rule.id if top.granted else None
        status = STATUS_OF[top.outcome]
        likelihood, share = {"usable": 1.0, "needs_license": 0.0, "blocked": 0.0, "unknown": 0.0}[status], 0.0
        if status == "needs_license" or (top.granted and status == "usable"):
            assert top.licence is not None or top.granted
            if top.licence is not None:
                if status == "needs_license":
                    likelihood = top.licence.approval_likelihood
                share = top.licence.revenue_share_pct
                tariff += top.licence.tariff_pct

    seizure: float | None = None
    if pool.access == "smuggled":
        status, likelihood, share, tariff, seizure = _smuggled(ctx, status, likelihood, share, tariff)
    if status == "usable":
        usable = float(pool.count)
    elif status == "needs_license" and settings.count_pending_licences:
        usable = pool.count * likelihood
    else:
        usable = 0.0
    reasons = ctx.reasons
    verdict = _verdict(status, decisive, outcome_final, ctx.grandfathered, granted_rule=granted_rule, authority=authority)
    stricter = _unsourced_stricter(ctx, status)
    if stricter:  # "usable (no rule applies)" must not read as settled when a figure is missing
        missing = sorted({m.strip() for _, ms in stricter for m in ms.split(",")})
        verdict = (f"{verdict[:-1]}; {', '.join(r for r, _ in stricter)} not evaluated: "
                   f"{', '.join(missing)} unsourced for {ctx.chip.id})")
    reasons.append(f"result: {verdict}")
    if seizure is not None:
        reasons[-1] = reasons[-1][:-1] + "; smuggled)" if reasons[-1].endswith(")") else reasons[-1]
    if status == "unknown":
        reasons[-1] += ("; counted as neither usable nor blocked: the scenario estimates the run on these chips "
                        "and its verdict says the status is unknown")
    if status == "needs_license":
        reasons[-1] += (
            f"; counted as {_num(usable)} chips (count × likelihood)"
            if settings.count_pending_licences
            else "; not counted (count_pending_licences is off)"
        )
    return PoolPolicy(
        pool_name=pool.name,
        accelerator=ctx.chip.id,
        count=pool.count,
        site=pool.site,
        country=ctx.country,
        hq=ctx.hq,
        access=pool.access,
        date=ctx.date,
        regime=ctx.regime.id,
        status=status,
        outcome=outcome_final,  # type: ignore[arg-type]
        decisive_rule=decisive,
        rules_applied=[h.rule.id for h in hits],
        grandfathered=ctx.grandfathered,
        unevaluated=ctx.unevaluated,
        warnings=warn_ids,
        approval_likelihood=likelihood,
        revenue_share_pct=share,
        tariff_pct=tariff,
        usable_count=usable,
        seizure_likelihood=seizure,
        reasons=reasons,
    )


def _smuggled(
    ctx: _Ctx, status: PoolStatus, likelihood: float, share: float, tariff: float
) -> tuple[PoolStatus, float, float, float, float | None]:
    """A smuggled pool: no licence was or could be obtained, so anything short of 'usable' is
    blocked under the law, with no licence terms; the seizure likelihood says how many would arrive
    if the chips were smuggled anyway (scenario_eval prices that as the blocked option)."""
    if status == "usable":
        ctx.reasons.append("smuggled: no rule restricts these chips here; they could be bought without smuggling")
        return status, likelihood, share, tariff, None
    if status == "unknown":  # not silently blocked: the rule that decides may not apply at all
        ctx.reasons.append("smuggled: the rule that decides has no sourced status; if it does not apply, the chips "
                           "could be bought without smuggling, and if it does they are blocked")
        return status, likelihood, share, tariff, None
    risk = ctx.settings.smuggling_seizure_likelihood
    ctx.reasons.append(
        "smuggled: no licence was or could be obtained, so the chips are blocked under the law "
        "(an unlicensed export is a violation whatever the licence policy); if smuggled anyway, "
        f"{1 - risk:.0%} arrive (seizure/detection likelihood {risk:.0%}, an assumption: "
        "policy.smuggling_seizure_likelihood)"
    )
    return "blocked", 0.0, 0.0, 0.0, risk


def _missing_metrics(cond: Cond, chip: Accelerator) -> list[str]:
    """Names of the catalog figures a condition needs and the chip lacks (TPP, PD, ...)."""
    out: list[str] = []
    if cond.metric is not None and metric_value(chip, cond.metric) is None:
        if cond.metric == "pd":
            out.append("PD (die area)" if chip.tpp is not None else "TPP")
        else:
            out += {"dram_gbs": ["memory bandwidth"], "dram_io_gbs": [
                n for n, k in (("memory bandwidth", "hbm_tbs"), ("interconnect", "scaleup_gbs")) if chip.v(k) is None
            ]}.get(cond.metric, [_METRIC_NAME.get(cond.metric, cond.metric)])
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


def _apply_caps(
    rule: Rule, chip: Accelerator, count: int, totals: CapTotals | None = None, country: str = ""
) -> tuple[Outcome, LicenceTerms | None, str]:
    """R6's Tier-2 limits: the LPP exception per customer, the cap per country. With ``totals``
    the limits are checked on the sums over the scenario's pools the rule applies to."""
    caps = rule.caps
    assert caps is not None
    tpp = chip.tpp
    if tpp is None:
        return rule.outcome, rule.licence, " (TPP unknown: caps not checked)"
    h100e = count * tpp / caps.h100_tpp
    pool_txt = f"{_num(h100e)} H100-equivalents"
    customer, in_country, scope = h100e, h100e, ""
    if totals is not None and totals.pools > 1:
        customer, in_country = totals.customer_h100e, totals.country_h100e
        pool_txt += (f" in this pool, {_num(customer)} across the scenario's {totals.pools} pools under {rule.id}"
                     f" ({_num(in_country)} in {country})")
        scope = "summed over the scenario's pools"
    if customer <= caps.lpp_h100e_per_customer:
        return "allowed", None, (
            f" — LPP exception: {pool_txt} ≤ {_num(caps.lpp_h100e_per_customer)} per customer per year, not counted against caps"
        )
    cap_txt = f"Tier-2 country cap {_num(caps.country_h100e)} H100-equivalents ({_num(caps.country_tpp / 1e6)}M TPP) through 2027"
    if in_country <= caps.country_h100e:
        check = scope or "this checks this pool alone"
        return rule.outcome, rule.licence, (
            f" — {pool_txt} within the {cap_txt}; the cap is shared by every buyer in the country, {check}"
        )
    return "presumption_of_denial", None, f" — {pool_txt} exceed the {cap_txt}"


def fleet_cap_totals(
    pools: list[Pool], chips: list[Accelerator], verdicts: list[PoolPolicy], regime: PolicyRegime
) -> list[dict[str, CapTotals] | None]:
    """Per pool, the totals its capped rules count (None where no capped rule applies or the
    pool is the rule's only pool): a first pass's verdicts say which pools each rule reaches."""
    capped = {r.id: r for r in regime.rules if r.caps is not None}
    members: dict[str, list[tuple[int, float]]] = {}
    for i, (pool, chip, v) in enumerate(zip(pools, chips, verdicts, strict=True)):
        for rid in v.rules_applied:
            rule = capped.get(rid)
            if rule is not None and rule.caps is not None and chip.tpp is not None:
                members.setdefault(rid, []).append((i, pool.count * chip.tpp / rule.caps.h100_tpp))
    out: list[dict[str, CapTotals] | None] = [None] * len(pools)
    for rid, hits in members.items():
        if len(hits) < 2:
            continue
        customer = sum(h for _, h in hits)
        for i, _h in hits:
            country = verdicts[i].country
            in_country = sum(h for j, h in hits if verdicts[j].country == country)
            table: dict[str, CapTotals] = out[i] or {}
            table[rid] = CapTotals(customer, in_country, len(hits))
            out[i] = table
    return out


def evaluate_fleet(
    scenario: Scenario,
    chips: dict[str, Accelerator],
    regime: PolicyRegime | None = None,
) -> list[PoolPolicy]:
    """Evaluate every pool of a scenario on its date under its (or the given) regime."""
    if regime is None:
        regime = get_regime(scenario.policy.regime)
    by_norm = {_norm_id(k): v for k, v in chips.items()}
    flops = run_training_flops(scenario)
    out: list[PoolPolicy] = []
    used: list[Accelerator] = []
    for i, pool in enumerate(scenario.fleet):
        chip = by_norm.get(_norm_id(pool.accelerator))
        if chip is None:
            raise InputError(
                f"fleet[{i}].accelerator",
                f"unknown accelerator {pool.accelerator!r}{suggest(pool.accelerator, list(chips))}",
            )
        out.append(evaluate_pool(pool, chip, scenario.hq, scenario.date, regime, scenario.policy, flops))
        used.append(chip)
    totals = fleet_cap_totals(list(scenario.fleet), used, out, regime)
    return [
        v if t is None else evaluate_pool(pool, chip, scenario.hq, scenario.date, regime, scenario.policy, flops,
                                          cap_totals=t)
        for pool, chip, v, t in zip(scenario.fleet, used, out, totals, strict=True)
    ]


def run_training_flops(scenario: Scenario) -> float:
    """The scenario run's total training operations (6ND-style count of the model code)."""
    return scenario.model.training_flops_per_token(scenario.training.seq_len) * scenario.training.tokens
