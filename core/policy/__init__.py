"""Export-control policy: rules as data, regimes, and the usability of a pool of chips.

Rules live in ``resources/catalog/policies/rules.json`` (each citing ``resources/sources/rules.md``), regimes
in ``resources/catalog/policies/regimes.json`` and country groups in
``resources/catalog/country_groups.json``. See ``docs/policy.md`` for the encoding and every
modelling choice. Nothing here imports Qt.

A rule is a predicate over (chip metrics, destination country, headquarters country, access mode,
date) with an outcome. :func:`evaluate_pool` applies every rule of a regime to one pool and
returns a :class:`PoolPolicy` with a status (usable, needs_license, blocked), the decisive rule,
licence terms and a readable chain of reasons.

The package: ``conditions`` (the chip-condition language), ``countries`` (country groups, sites),
``rules`` (rule and regime models, loaders), ``evaluation`` (one pool on one date), ``timeline``
(status changes over dates) and ``regimes`` (project regimes: copy and edit presets; re-exported
as ``core.regimes``). Every name below was exported by the former single module.
"""

from __future__ import annotations

from core.policy.conditions import (
    _METRIC_NAME,
    _METRIC_UNIT,
    Cond,
    Metric,
    Outcome,
    PoolStatus,
    RuleStatus,
    _evaluate,
    _leaf,
    _norm_id,
    _num,
    _resolve,
    _Strict,
    evaluate_condition,
    metric_value,
)
from core.policy.countries import (
    CountryGroup,
    CountryGroups,
    GroupChange,
    _read_catalog,
    group_is_partial,
    in_group,
    load_country_groups,
    matches_place,
    site_country,
)
from core.policy.evaluation import (
    OUTCOME_TEXT,
    SEVERITY,
    STATUS_OF,
    CapTotals,
    PoolPolicy,
    _apply_caps,
    _excluded_by,
    _fmt_date,
    _Hit,
    _hypothetical_date,
    _in_effect,
    _missing_metrics,
    _only_partial_groups,
    _parties_match,
    _verdict,
    evaluate_fleet,
    evaluate_pool,
    fleet_cap_totals,
    run_training_flops,
)
from core.policy.rules import (
    ACCESS_MODES,
    REGIME_IDS,
    Caps,
    LicenceTerms,
    PolicyRegime,
    Rule,
    RulesFile,
    _check_tokens,
    _load_regimes_cached,
    _RegimesFile,
    _RegimeSpec,
    get_regime,
    load_regimes,
    load_rules,
)
from core.policy.timeline import TimelinePoint, policy_timeline

__all__ = [
    "ACCESS_MODES",
    "OUTCOME_TEXT",
    "REGIME_IDS",
    "SEVERITY",
    "STATUS_OF",
    # private helpers kept importable from here as before the split
    "_METRIC_NAME",
    "_METRIC_UNIT",
    "CapTotals",
    "Caps",
    "Cond",
    "CountryGroup",
    "CountryGroups",
    "GroupChange",
    "LicenceTerms",
    "Metric",
    "Outcome",
    "PolicyRegime",
    "PoolPolicy",
    "PoolStatus",
    "Rule",
    "RuleStatus",
    "RulesFile",
    "TimelinePoint",
    "_Hit",
    "_RegimeSpec",
    "_RegimesFile",
    "_Strict",
    "_apply_caps",
    "_check_tokens",
    "_evaluate",
    "_excluded_by",
    "_fmt_date",
    "_hypothetical_date",
    "_in_effect",
    "_leaf",
    "_load_regimes_cached",
    "_missing_metrics",
    "_norm_id",
    "_num",
    "_only_partial_groups",
    "_parties_match",
    "_read_catalog",
    "_resolve",
    "_verdict",
    "evaluate_condition",
    "evaluate_fleet",
    "evaluate_pool",
    "fleet_cap_totals",
    "get_regime",
    "group_is_partial",
    "in_group",
    "load_country_groups",
    "load_regimes",
    "load_rules",
    "matches_place",
    "metric_value",
    "policy_timeline",
    "run_training_flops",
    "site_country",
]
