"""The hypothetical presets of issue 11 (Chip Security Act, GAIN AI Act, worldwide licence draft):
each is one pick away, cites its bill or draft with a date, and changes what it should."""

from __future__ import annotations

import datetime as dt

import pytest

from core.catalog import accelerators
from core.policy import evaluate_pool, get_regime, load_regimes, load_rules
from core.scenario import PolicySettings, Pool

NEW = {
    "hypo-chip-security-act": "hypo-chip-security-act",
    "hypo-gain-ai-act": "hypo-gain-ai-act",
    "hypo-worldwide-licence": "hypo-worldwide-licence",
}
D = dt.date(2026, 6, 1)


def ev(regime, chip_id, site, hq, date=D, settings=None):
    chip = accelerators()[chip_id]
    return evaluate_pool(Pool(accelerator=chip_id, count=100, site=site, access="own"), chip, hq, date, regime, settings)


@pytest.mark.parametrize("regime_id", sorted(NEW))
def test_preset_is_in_force_plus_one_hypothetical_rule(regime_id):
    regime = get_regime(regime_id)
    base = set(get_regime("in-force").rule_ids())
    assert set(regime.rule_ids()) - base == {NEW[regime_id]}
    rule = load_rules()[NEW[regime_id]]
    assert rule.status == "hypothetical"
    assert "not law" in rule.source or "draft" in rule.source
    assert regime.is_hypothetical(rule)
    assert regime_id in load_regimes()


def test_chip_security_act_leaves_legal_exports_usable_with_a_caveat():
    res = ev("hypo-chip-security-act", "H100-SXM", "DE", "DE")
    assert res.status == "usable"
    assert res.decisive_rule == "hypo-chip-security-act" and res.outcome == "notify"
    assert "hypo-chip-security-act" in res.warnings
    assert ev("in-force", "H100-SXM", "DE", "DE").decisive_rule is None


def test_gain_ai_act_reaches_china_headquartered_buyers_abroad():
    # RTX 4090D in Singapore for a CN-headquartered buyer: below R3's bars, caught by the bill's
    # wider ones (TPP >= 2,400 with PD >= 1.6)
    before = ev("in-force", "RTX-4090D", "SG", "CN")
    after = ev("hypo-gain-ai-act", "RTX-4090D", "SG", "CN")
    assert before.status == "usable"
    assert after.status == "needs_license" and after.decisive_rule == "hypo-gain-ai-act"
    assert after.approval_likelihood == 0.5
    # a German buyer in Germany is not a country-of-concern entity
    assert ev("hypo-gain-ai-act", "H100-SXM", "DE", "DE").status == "usable"


def test_worldwide_licence_reaches_allies_and_starts_on_the_hypothetical_date():
    res = ev("hypo-worldwide-licence", "H100-SXM", "DE", "DE")
    assert res.status == "needs_license" and res.decisive_rule == "hypo-worldwide-licence"
    assert ev("hypo-worldwide-licence", "H100-SXM", "US", "US").status == "usable"
    later = PolicySettings(hypothetical_from=dt.date(2027, 1, 1))
    assert ev("hypo-worldwide-licence", "H100-SXM", "DE", "DE", settings=later).status == "usable"
