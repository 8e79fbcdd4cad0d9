"""Each preset rule on the chips it was written for (rules.md), plus the engine's edges."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import InputError
from core.policy import (
    REGIME_IDS,
    Cond,
    evaluate_condition,
    evaluate_fleet,
    evaluate_pool,
    get_regime,
    in_group,
    load_regimes,
    load_rules,
    policy_timeline,
    site_country,
)
from core.scenario import PolicySettings, Pool
from tests.policy_chips import CHIPS

D = dt.date


def ev(chip_id, date, *, site="CN", hq="CN", access="own", acquired=None, regime="in-force",
       count=1000, settings=None):
    pool = Pool(accelerator=chip_id, count=count, site=site, access=access, acquired=acquired)
    return evaluate_pool(pool, CHIPS[chip_id], hq, date, regime, settings)


# --- data -------------------------------------------------------------------------------------


def test_regime_ids_are_the_public_contract():
    assert set(REGIME_IDS) <= set(load_regimes())


def test_every_rule_cites_a_source_and_licences_have_terms():
    for rule in load_rules().values():
        assert rule.source and rule.title
        if rule.outcome == "license":
            assert rule.licence is not None


def test_metrics_of_fixture_chips():
    assert CHIPS["H100-SXM"].tpp == pytest.approx(15832)
    assert CHIPS["A800-SXM-80GB"].tpp == pytest.approx(4992)
    assert CHIPS["H20"].tpp == pytest.approx(2368)
    assert CHIPS["RTX-4090"].tpp == pytest.approx(5284.8)
    assert CHIPS["RTX-4090D"].tpp == pytest.approx(4706.8)


def test_country_groups_and_sites():
    assert in_group("US", "Tier1") and in_group("TW", "Tier1")
    assert in_group("CN", "Tier3") and in_group("MO", "Tier3")
    assert in_group("MY", "Tier2") and in_group("TH", "Tier2") and not in_group("JP", "Tier2")
    assert in_group("HK", "PRC") and not in_group("MO", "PRC")
    assert site_country("MY-Johor") == "MY" and site_country("CN-West") == "CN"
    assert site_country("th") == "TH"
    with pytest.raises(InputError):
        site_country("Johor")


def test_condition_explains_itself():
    rule = load_rules()["R3"]
    ok, text = evaluate_condition(rule.chips, CHIPS["H800-SXM"])
    assert ok is True and "3A090.a" in text and "TPP 15,832 ≥ 4,800" in text
    ok, _ = evaluate_condition(Cond(metric="pd", ge=5.92), CHIPS["B200"])
    assert ok is None  # no die area: unknown, not False


# --- Oct 2022 / Oct 2023 ------------------------------------------------------------------------


@pytest.mark.parametrize("chip", ["A800-SXM-80GB", "H800-SXM"])
def test_cut_interconnect_chips_pass_oct_2022(chip):
    r = ev(chip, D(2023, 1, 1))
    assert r.status == "usable" and r.rules_applied == []


def test_a100_fails_oct_2022():
    r = ev("A100-SXM-80GB", D(2023, 1, 1))
    assert r.status == "blocked" and r.decisive_rule == "R1"


def test_macau_added_jan_2023():
    assert ev("A100-SXM-80GB", D(2023, 1, 10), site="MO", hq="SG").status == "usable"
    assert ev("A100-SXM-80GB", D(2023, 2, 1), site="MO", hq="SG").decisive_rule == "R2"


@pytest.mark.parametrize("chip", ["A800-SXM-80GB", "H800-SXM"])
def test_cut_interconnect_chips_fail_oct_2023(chip):
    r = ev(chip, D(2024, 1, 1), acquired=D(2024, 1, 1))
    assert r.status == "blocked" and r.decisive_rule == "R3"
    assert r.outcome == "presumption_of_denial" and r.usable_count == 0


@pytest.mark.parametrize("access", ["own", "stockpile"])
def test_grandfathered_when_acquired_before_oct_2023(access):
    r = ev("H800-SXM", D(2024, 1, 1), access=access, acquired=D(2023, 6, 1))
    assert r.status == "usable" and "R3" in r.grandfathered and r.usable_count == 1000
    assert any("grandfathered" in x and "2023-06-01" in x and "2023-11-17" in x for x in r.reasons)


def test_acquired_on_effective_date_is_not_grandfathered():
    r = ev("H800-SXM", D(2024, 1, 1), access="stockpile", acquired=D(2023, 11, 17))
    assert r.status == "blocked" and r.grandfathered == []
    # the H800 is one of the five chips the USG told Nvidia on 2023-10-23 were controlled at once
    # (P-2b): its grandfathering cut-off is that day, not 2023-11-17
    assert ev("H800-SXM", D(2024, 1, 1), access="stockpile", acquired=D(2023, 10, 22)).status == "usable"
    informed = ev("H800-SXM", D(2024, 1, 1), access="stockpile", acquired=D(2023, 10, 23))
    assert informed.status == "blocked" and informed.decisive_rule == "R3-informed-2023"
    # a chip not named in the letter keeps the rule's own date
    assert ev("RTX-4090", D(2024, 1, 1), access="stockpile", acquired=D(2023, 11, 16)).status == "usable"


def test_stockpile_without_date_is_not_grandfathered():
    r = ev("H800-SXM", D(2024, 1, 1), access="stockpile")
    assert r.status == "blocked"
    assert any("without an acquisition date" in x for x in r.reasons)


def test_hq_rule_applies_abroad():
    r = ev("H100-SXM", D(2024, 6, 1), site="MY-Johor", hq="CN")
    assert r.status == "blocked" and r.decisive_rule == "R3"
    assert ev("H100-SXM", D(2024, 6, 1), site="MY-Johor", hq="SG").status == "usable"


def test_h20_passes_oct_2023():
    r = ev("H20", D(2024, 6, 1))
    assert r.status == "usable" and r.rules_applied == []


def test_rtx_4090d_stays_below_4800():
    for date in (D(2024, 6, 1), D(2025, 6, 1)):
        assert ev("RTX-4090D", date).status == "usable"


def test_rtx_4090_licence_or_notification_from_nov_2023():
    assert ev("RTX-4090", D(2023, 11, 16)).status == "usable"
    r = ev("RTX-4090", D(2023, 11, 17))
    assert r.status == "needs_license" and r.decisive_rule == "R3-nac-consumer"
    assert 0 < r.approval_likelihood < 1
    assert any("CONTESTED" in x or "notification" in x for x in r.reasons)


def test_rtx_4090_oct_2022_undecidable_without_interconnect():
    r = ev("RTX-4090", D(2023, 1, 1))
    assert r.status == "usable" and "R1" in r.unevaluated


def test_b200_blocked_in_china():
    r = ev("B200", D(2026, 2, 1))
    assert r.status == "blocked" and r.decisive_rule == "R3"


# --- 2025-26 ------------------------------------------------------------------------------------


def test_h20_needs_licence_from_april_2025():
    r = ev("H20", D(2025, 5, 1))
    assert r.status == "needs_license" and r.decisive_rule == "R7"
    assert r.approval_likelihood < 0.2 and r.usable_count == 0


def test_h20_licence_with_15pct_share_from_aug_2025():
    r = ev("H20", D(2025, 9, 1))
    assert r.status == "needs_license" and r.decisive_rule == "R9"
    assert r.revenue_share_pct == 15 and "R7" not in r.rules_applied
    assert "R12-h20" in r.rules_applied and any("soft law" in x for x in r.reasons)


def test_count_pending_licences_weights_by_likelihood():
    s = PolicySettings(count_pending_licences=True)
    r = ev("H20", D(2025, 9, 1), settings=s)
    assert r.usable_count == pytest.approx(1000 * r.approval_likelihood)


def test_h200_case_by_case_with_tariff_and_china_customs_block():
    r = ev("H200-SXM", D(2026, 2, 1))
    assert r.status == "needs_license" and r.decisive_rule == "R15"
    assert r.tariff_pct == 25
    # China's customs block (2026-01-14) ended with the first approvals (2026-01-28)
    assert "R12-h200" not in r.rules_applied
    assert "CN-H200-approval-2026-01-named" in r.warnings
    assert any("ByteDance" in x and "China's government" in x for x in r.reasons)
    # in the window China's customs block it, whatever the US licence says
    w = ev("H200-SXM", D(2026, 1, 20))
    assert w.status == "blocked" and w.decisive_rule == "R12-h200" and w.tariff_pct == 25
    assert "prohibited by China's customs" in w.summary()
    line = next(x for x in w.reasons if x.startswith("R12-h200"))
    assert "a measure of China, whatever US export law allows" in line
    # before R15 it was a presumption of denial
    assert ev("H200-SXM", D(2025, 12, 1)).status == "blocked"


@pytest.mark.parametrize(("kind", "status"), [
    ("private", "needs_license"), ("state_owned", "blocked"), ("government", "blocked"),
    ("critical_infrastructure", "blocked"), ("state_funded_dc", "needs_license"),
])
def test_china_h200_approval_conditions_key_on_the_buyer_type(kind, status):
    r = ev("H200-SXM", D(2026, 2, 15), settings=PolicySettings(end_user_type=kind))
    assert r.status == status, r.explanation()
    if status == "blocked":
        assert r.decisive_rule == "CN-H200-approval-2026-01"
        assert "policy.end_user_type" in r.explanation()
    # the conditions reach H200 bought after the approvals only; none before 2026-01-28 (customs block)
    assert ev("H200-SXM", D(2026, 1, 27), settings=PolicySettings(end_user_type=kind)).decisive_rule == "R12-h200"


def test_china_customs_checks_block_the_rtx_pro_6000d_and_flag_the_h20():
    r = ev("RTX-Pro-6000D", D(2025, 10, 15))
    assert r.status == "blocked" and r.decisive_rule == "CN-customs-2025-10"
    assert "China's customs" in r.summary()
    assert ev("RTX-Pro-6000D", D(2025, 10, 1)).status == "usable"  # the CAC order alone: discouraged
    # chips imported before the checks are not reached
    held = ev("RTX-Pro-6000D", D(2025, 12, 1), access="stockpile", acquired=D(2025, 9, 1))
    assert held.status == "usable" and "CN-customs-2025-10" in held.grandfathered
    h20 = ev("H20", D(2025, 10, 15))
    assert h20.decisive_rule == "R9" and "CN-customs-2025-10-h20" in h20.warnings


def test_state_funded_data_centre_mandate_is_a_warning():
    sf = PolicySettings(end_user_type="state_funded_dc")
    r = ev("H20", D(2025, 12, 1), settings=sf)
    assert r.status == "needs_license" and "CN-dc-domestic-2025-11" in r.warnings
    assert "CN-dc-domestic-2025-11" not in ev("H20", D(2025, 12, 1)).warnings
    dom = ev("Ascend-910B", D(2025, 12, 1), access="domestic", settings=sf)
    assert "CN-dc-domestic-2025-11" not in dom.warnings  # domestic chips are what it asks for


def test_r15_only_for_exports_from_the_us():
    r = ev("H200-SXM", D(2026, 2, 1), access="stockpile", acquired=D(2025, 1, 1))
    assert r.status == "blocked" and r.decisive_rule == "R3"


def test_mi300x_falls_under_r15_envelope():
    r = ev("MI300X", D(2026, 2, 1))
    assert r.decisive_rule == "R15"


# --- leasing ------------------------------------------------------------------------------------


def test_lease_in_johor_usable_in_force_with_red_flag():
    r = ev("H100-SXM", D(2025, 7, 1), site="MY-Johor", access="lease")
    assert r.status == "usable"
    assert "R8-iaas" in r.rules_applied and any("red flag" in x for x in r.reasons)
    assert any("not an export" in x for x in r.reasons)


def test_lease_in_johor_after_malaysian_permit_only_gets_reason():
    r = ev("H100-SXM", D(2025, 8, 1), site="MY-Johor", access="lease")
    assert r.status == "usable" and "R11" in r.rules_applied
    assert any("NOT renting" in x for x in r.reasons)


@pytest.mark.parametrize("regime", ["hypo-my-th-licence", "hypo-remote-access-act"])
def test_lease_in_johor_blocked_by_hypotheticals(regime):
    r = ev("H100-SXM", D(2025, 7, 1), site="MY-Johor", access="lease", regime=regime)
    assert r.status == "blocked"


def test_hypothetical_from_setting_delays_the_hypothetical():
    s = PolicySettings(hypothetical_from=D(2026, 1, 1))
    r = ev("H100-SXM", D(2025, 7, 1), site="MY-Johor", access="lease",
           regime="hypo-my-th-licence", settings=s)
    assert r.status == "usable"


def test_remote_access_act_covers_leases_anywhere():
    r = ev("H100-SXM", D(2026, 3, 1), site="AE", access="lease", regime="hypo-remote-access-act")
    assert r.status == "blocked" and r.decisive_rule == "hypo-remote-access"
    assert ev("H100-SXM", D(2026, 3, 1), site="AE", access="lease", hq="SG",
              regime="hypo-remote-access-act").status == "usable"


def test_my_th_hypothetical_export_licence_exempts_tier1_hq():
    r = ev("H100-SXM", D(2025, 8, 1), site="TH", hq="SG", regime="hypo-my-th-licence")
    assert r.status == "needs_license"
    assert ev("H100-SXM", D(2025, 8, 1), site="TH", hq="US",
              regime="hypo-my-th-licence").status == "usable"


# --- domestic chips -----------------------------------------------------------------------------


def test_ascend_domestic_in_china_usable_with_hbm_caveat():
    r = ev("Ascend-910C", D(2025, 6, 1), access="domestic")
    assert r.status == "usable" and "R5" in r.rules_applied
    assert any("HBM" in x for x in r.reasons)
    early = ev("Ascend-910C", D(2025, 6, 1), access="domestic", acquired=D(2024, 6, 1))
    assert "R5" in early.grandfathered
    # a chip made in China is acquired there, not exported (review: 'exported 2025-06-01')
    made = ev("Ascend-910C", D(2025, 6, 1), access="domestic", acquired=D(2025, 3, 1))
    r5 = next(x for x in made.reasons if x.startswith("R5"))
    assert "acquired 2025-03-01, while this rule was in force" in r5 and "exported" not in r5


def test_ascend_used_abroad_risks_gp10():
    r = ev("Ascend-910C", D(2025, 6, 1), site="MY-Johor", access="domestic")
    assert r.status == "needs_license" and r.decisive_rule == "R8-gp10"
    assert ev("Ascend-910C", D(2025, 4, 1), site="MY-Johor", access="domestic").status == "usable"


def test_domestic_with_foreign_chip_is_treated_as_own():
    r = ev("H100-SXM", D(2024, 6, 1), access="domestic")
    assert r.status == "blocked" and any("evaluated as 'own'" in x for x in r.reasons)


# --- regimes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("chip", sorted(CHIPS))
def test_none_regime_everything_usable(chip):
    for access in ("own", "stockpile", "lease", "domestic"):
        r = ev(chip, D(2026, 2, 1), access=access, regime="none")
        assert r.status == "usable" and r.rules_applied == []


def test_diffusion_only_in_its_hypothetical():
    assert ev("H100-SXM", D(2025, 3, 1), site="MY", hq="SG", count=5000).status == "usable"
    r = ev("H100-SXM", D(2025, 9, 1), site="MY", hq="SG", count=5000,
           regime="hypo-diffusion-reinstated")
    assert r.status == "needs_license" and r.decisive_rule == "R6-tier2"
    assert any("Tier-2 country cap" in x for x in r.reasons)


def test_diffusion_lpp_and_cap_edges():
    small = ev("H100-SXM", D(2025, 9, 1), site="MY", hq="SG", count=1000,
               regime="hypo-diffusion-reinstated")
    assert small.status == "usable" and any("LPP" in x for x in small.reasons)
    big = ev("H100-SXM", D(2025, 9, 1), site="MY", hq="SG", count=60000,
             regime="hypo-diffusion-reinstated")
    assert big.status == "blocked"
    tier1 = ev("H100-SXM", D(2025, 9, 1), site="MY", hq="US", count=60000,
               regime="hypo-diffusion-reinstated")
    assert tier1.status == "usable"


def test_disabled_rules():
    s = PolicySettings(disabled_rules=["R3"])
    r = ev("H800-SXM", D(2024, 1, 1), settings=s)
    assert r.status == "usable" and any("disabled" in x for x in r.reasons)
    with pytest.raises(InputError, match="did you mean"):
        ev("H800-SXM", D(2024, 1, 1), settings=PolicySettings(disabled_rules=["R33"]))


def test_unknown_regime_suggests():
    with pytest.raises(InputError, match=r"unknown policy 'in-forc'; did you mean in-force"):
        get_regime("in-forc")


def test_regime_copy_can_be_edited_without_touching_the_preset():
    reg = get_regime("in-force").model_copy(deep=True)
    rule = reg.rule("CN-H200-approval-2026-01-named")
    reg.rules[reg.rules.index(rule)] = rule.model_copy(update={"outcome": "prohibited"})
    reg.id = "my-hard-china"
    assert ev("H200-SXM", D(2026, 2, 1), regime=reg).status == "blocked"
    assert ev("H200-SXM", D(2026, 2, 1)).status == "needs_license"


def test_evaluate_fleet_and_unknown_chip():
    from core.scenario import Scenario

    base = {
        "name": "t", "date": "2024-01-01", "hq": "CN",
        "model": {"n_layers": 2, "d_model": 64, "n_heads": 4, "ffn_dim": 256, "vocab_size": 1000},
        "training": {"tokens": 1e9},
        "fleet": [
            {"accelerator": "h800-sxm", "count": 100, "site": "CN-West", "access": "stockpile",
             "acquired": "2023-06-01"},
            {"accelerator": "H100-SXM", "count": 100, "site": "MY-Johor", "access": "lease"},
        ],
    }
    sc = Scenario.model_validate(base)
    res = evaluate_fleet(sc, CHIPS)
    assert [r.status for r in res] == ["usable", "usable"]
    assert res[0].accelerator == "H800-SXM" and res[1].country == "MY"
    bad = sc.model_copy(update={"fleet": [*sc.fleet, Pool(accelerator="H801", count=1)]})
    with pytest.raises(InputError, match=r"fleet\[2\].accelerator.*did you mean .*H800-SXM"):
        evaluate_fleet(bad, CHIPS)
    # a hypothetical takes effect on the scenario date by default
    assert evaluate_fleet(sc, CHIPS, get_regime("hypo-my-th-licence"))[1].status == "blocked"
    sc2 = sc.model_copy(update={"date": D(2025, 7, 1), "policy": PolicySettings(regime="hypo-my-th-licence")})
    assert [r.status for r in evaluate_fleet(sc2, CHIPS)] == ["usable", "blocked"]


def test_timeline_h20():
    tl = policy_timeline(CHIPS["H20"], "CN", "CN", "own", "in-force", D(2024, 1, 1), D(2026, 6, 1))
    assert tl[0] == (D(2024, 1, 1), "usable", None)
    assert (D(2025, 4, 9), "needs_license", "R7") in tl
    assert (D(2025, 8, 9), "needs_license", "R9") in tl
    assert tl[-1].rule_id == "R15"


def test_timeline_a800():
    tl = policy_timeline(CHIPS["A800-SXM-80GB"], "CN", "CN", "own", "in-force",
                         D(2022, 1, 1), D(2024, 1, 1))
    assert [(p.status, p.rule_id) for p in tl] == [
        ("usable", None), ("blocked", "R3-informed-2023"), ("blocked", "R3")]
    assert tl[1].date == D(2023, 10, 23) and tl[2].date == D(2023, 11, 17)


# --- country groups through 2026 (issue 11 item 3) -------------------------------------------


def test_dated_group_lists_follow_from_the_current_lists_and_their_changes():
    from core.policy import load_country_groups

    groups = load_country_groups().groups
    for gid, g in groups.items():
        if "@" not in gid:
            continue
        base, day = gid.split("@")
        assert groups[base].members_on(D.fromisoformat(day)) == set(g.members), gid
    assert in_group("KH", "D:5", D(2024, 6, 1)) and not in_group("KH", "D:5", D(2026, 3, 1))
    assert in_group("KH", "D:1", D(2026, 3, 1))
    assert not in_group("NI", "D:5", D(2023, 11, 17)) and in_group("NI", "D:5", D(2024, 3, 15))
    assert not in_group("KH", "D:5")  # no date: the current list


def test_d_groups_are_complete_and_the_allies_are_not():
    from core.policy import group_is_partial

    for gid in ("D:1", "D:4", "D:5"):
        assert not group_is_partial(gid), gid
    for gid in ("A:5", "A:6"):
        assert group_is_partial(gid), gid
    assert in_group("AE", "D:4") and in_group("SA", "D:4") and in_group("VN", "D:1")
    assert in_group("IL", "D:4") and in_group("IL", "A:6")
    assert not any(in_group("MY", g) for g in ("D:1", "D:4", "D:5"))


def test_oct_2023_rule_reaches_d1_d4_but_not_a6():
    for country in ("AE", "SA", "VN", "KZ"):
        r = ev("H100-SXM", D(2024, 6, 1), site=country, hq=country)
        assert (r.status, r.decisive_rule) == ("needs_license", "R3-d14"), country
    israel = ev("H100-SXM", D(2024, 6, 1), site="IL", hq="IL")
    assert israel.status == "usable"
    assert any("A:6" in x and "excludes" in x for x in israel.reasons)


# --- end user and readings (issue 11, Missing) ------------------------------------------------


def test_entity_list_flag_applies_from_the_listing_date():
    listed = PolicySettings(end_user_listed_since=D(2024, 1, 1))
    now = ev("H100-SXM", D(2024, 6, 1), site="MY", hq="MY", settings=listed)
    assert (now.status, now.decisive_rule) == ("blocked", "EL-end-user")
    assert any("Entity List since 2024-01-01" in x for x in now.reasons)
    before = ev("H100-SXM", D(2024, 6, 1), site="MY", hq="MY", access="stockpile", acquired=D(2023, 6, 1),
                settings=listed)
    assert before.status == "usable" and "EL-end-user" in before.grandfathered
    assert ev("H100-SXM", D(2024, 6, 1), site="MY", hq="MY").status == "usable"
    # a domestic chip is not subject to the US list in this model (US origin only)
    assert ev("Ascend-910B", D(2024, 6, 1), hq="CN", access="domestic", settings=listed).status == "usable"


def test_hq_rule_both_readings():
    # A800: caught by R3 (TPP 4,992) but not by R7's bandwidth reading, so only the HQ leg decides
    a = dict(site="SG", hq="CN")
    assert ev("A800-SXM-80GB", D(2025, 8, 1), **a).decisive_rule == "R3"
    gap = ev("A800-SXM-80GB", D(2025, 8, 1), regime="hq-enforcement-gap", **a)
    assert (gap.status, gap.decisive_rule) == ("usable", "HQ-gap-2025")
    kept = ev("A800-SXM-80GB", D(2026, 7, 1), regime="hq-enforcement-gap", access="stockpile",
              acquired=D(2025, 8, 1), **a)
    assert kept.status == "usable" and "HQ-guidance-2026" in kept.grandfathered
    for regime in ("in-force", "hq-enforcement-gap"):
        after = ev("A800-SXM-80GB", D(2026, 6, 15), regime=regime, **a)
        assert (after.status, after.decisive_rule) == ("blocked", "HQ-guidance-2026"), regime
    # in China itself the gap reading changes nothing
    assert ev("A800-SXM-80GB", D(2025, 8, 1), regime="hq-enforcement-gap").decisive_rule == "R3"


def test_affiliates_rule_suspension_and_unknown_status():
    owned = PolicySettings(end_user_listed_owner_pct=50)
    a = dict(site="MY", hq="MY", settings=owned)
    assert ev("H100-SXM", D(2025, 10, 15), **a).decisive_rule == "R-affiliates"
    assert ev("H100-SXM", D(2026, 3, 1), **a).status == "usable"
    late = ev("H100-SXM", D(2026, 11, 20), **a)
    assert late.status == "unknown" and late.decisive_rule == "R-affiliates-unknown"
    assert late.usable_count == 0 and late.approval_likelihood == 0
    assert "both readings exist" in late.explanation() and "affiliates-reimposed" in late.explanation()
    assert late.summary() == "status unknown (R-affiliates-unknown: status not sourced)"
    # a denial outranks the unknown (both readings block); chips exported before 2026-11-10 are not reached
    assert ev("B200", D(2026, 11, 20), site="CN", hq="CN", settings=owned).status == "blocked"
    held = ev("H100-SXM", D(2026, 11, 20), access="stockpile", acquired=D(2026, 3, 1), **a)
    assert held.status == "usable" and "R-affiliates-unknown" in held.grandfathered
    off = ev("H100-SXM", D(2026, 11, 20), site="MY", hq="MY",
             settings=owned.model_copy(update={"disabled_rules": ["R-affiliates-unknown"]}))
    assert off.status == "usable"  # the other reading: still suspended
    assert ev("H100-SXM", D(2026, 11, 20), regime="affiliates-reimposed", **a).decisive_rule == "R-affiliates-reimposed"
    assert ev("H100-SXM", D(2025, 10, 15), site="MY", hq="MY",
              settings=PolicySettings(end_user_listed_owner_pct=49)).status == "usable"


def test_training_compute_threshold_keys_on_the_run():
    pool = Pool(accelerator="H100-SXM", count=8, site="MY", access="lease")
    chip = CHIPS["H100-SXM"]
    day = D(2026, 3, 1)
    big = evaluate_pool(pool, chip, "IN", day, "hypo-diffusion-reinstated", training_flops=3e26)
    assert "R6-4E091" in big.rules_applied and big.status == "needs_license"
    assert any("3e+26 training operations > 1e+26" in x for x in big.reasons)
    small = evaluate_pool(pool, chip, "IN", day, "hypo-diffusion-reinstated", training_flops=5e25)
    assert "R6-4E091" not in small.rules_applied and small.status == "usable"
    unknown = evaluate_pool(pool, chip, "IN", day, "hypo-diffusion-reinstated")
    assert "R6-4E091" in unknown.unevaluated
    assert any("missing the run's training FLOPs" in x for x in unknown.reasons)
    # Tier-1 headquarters are outside it, and it is not in force (rescinded before compliance)
    assert "R6-4E091" not in evaluate_pool(pool, chip, "JP", day, "hypo-diffusion-reinstated",
                                           training_flops=3e26).rules_applied
    assert "R6-4E091" not in evaluate_pool(pool, chip, "IN", day, training_flops=3e26).rules_applied


def test_timeline_turns_at_the_end_users_listing_date():
    tl = policy_timeline(CHIPS["H100-SXM"], "MY", "MY", "own", "in-force", D(2024, 1, 1), D(2024, 12, 31),
                         settings=PolicySettings(end_user_listed_since=D(2024, 7, 4)))
    assert [(p.date, p.status, p.rule_id) for p in tl] == [
        (D(2024, 1, 1), "usable", None), (D(2024, 7, 4), "blocked", "EL-end-user")]


def test_country_groups_are_read_once_per_process():
    """Every rule match asks for the groups: re-validating the file each time made a 200 × 50
    project take 56 s instead of 7 (benchmarks/bench_large.py)."""
    from core.policy import load_country_groups

    assert load_country_groups() is load_country_groups()
