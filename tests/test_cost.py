import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.catalog import Accelerator, Figure
from core.cost import BREAKDOWN_KEYS, estimate_cost, facility_mw, power_check
from core.errors import InputError
from core.scenario import Constraints, CostSettings, Pool
from core.sites import Site, get_site


def fig(v, source="T", date="2026-05"):
    return Figure(value=v, source=source, date=date)


def chip(**figs) -> Accelerator:
    base = dict(
        tdp_w=fig(700),
        unit_price_usd=fig(30_000),
        rental_low_usd_h=fig(1.70),
        rental_high_usd_h=fig(3.30, "G13", "May 2026"),
    )
    base.update(figs)
    return Accelerator(
        id="H100-SXM",
        name="H100 SXM",
        vendor="NVIDIA",
        origin="US",
        datacenter=True,
        **{k: v for k, v in base.items() if v is not None},
    )


# A site with round numbers: PUE 1.2, $0.10/kWh, 0.5 kg CO2/kWh.
TEST_SITE = Site(
    id="TEST",
    name="test",
    country="US",
    pue=fig(1.2),
    electricity_usd_per_kwh=fig(0.1),
    grid_intensity_kg_per_kwh=fig(0.5),
)


def test_lease_with_allowance():
    # 1,000 GPU-h x $2/h = $2,000 rent; 3% allowance = $60; total $2,060.
    pool = Pool(accelerator="H100-SXM", count=8, access="lease", price_per_hour_usd=2.0)
    r = estimate_cost(
        pool, chip(), TEST_SITE, CostSettings(), gpu_hours=1000, wall_clock_hours=125, chips_used=8
    )
    assert r.total_usd == pytest.approx(2060)
    assert r.breakdown["compute_rent"] == pytest.approx(2000)
    assert r.breakdown["egress_storage"] == pytest.approx(60)
    assert r.breakdown["energy"] == 0  # inside the rent
    assert set(r.breakdown) == set(BREAKDOWN_KEYS)
    # energy still reported: 8 x 700 W x 1.3 x 125 h = 910 kWh IT; x 1.2 = 1,092 kWh
    assert r.it_energy_mwh == pytest.approx(0.910)
    assert r.energy_mwh == pytest.approx(1.092)
    assert r.co2_t == pytest.approx(0.546)  # 1.092 MWh x 0.5 t/MWh


def test_lease_catalog_midpoint_and_premium_basis():
    # midpoint of 1.70 and 3.30 = $2.50/h; MY-Johor has no regional figure -> premium 1.00
    pool = Pool(accelerator="H100-SXM", count=8, access="lease", site="MY-Johor")
    r = estimate_cost(
        pool,
        chip(),
        get_site("MY-Johor"),
        CostSettings(egress_storage_pct=0),
        gpu_hours=100,
        wall_clock_hours=12.5,
        chips_used=8,
    )
    assert r.total_usd == pytest.approx(250)
    assert r.price_basis == (
        "H100-SXM lease $2.50/GPU-h (midpoint of $1.70–$3.30, G13 May 2026)"
        " × MY-Johor premium 1.00 (no regional figure)"
    )
    assert any("US price used" in a for a in r.assumptions)
    assert r.co2_t is None and any("CO2 not shown" in a for a in r.assumptions)


def test_lease_regional_premium_applies():
    # CN premium 0.6: $2.50 x 0.6 = $1.50/h x 100 h = $150
    pool = Pool(accelerator="H100-SXM", count=1, access="lease", site="CN")
    r = estimate_cost(
        pool,
        chip(),
        get_site("CN"),
        CostSettings(egress_storage_pct=0),
        gpu_hours=100,
        wall_clock_hours=100,
        chips_used=1,
    )
    assert r.breakdown["compute_rent"] == pytest.approx(150)


def test_own_amortisation_and_energy():
    # capital: 8 x $30,000 x 1.6 = $384,000 over 4 y x 8,760 h = 35,040 h;
    #   1,000 h share -> 384,000 x 1,000 / 35,040 = $10,958.90
    # energy: 8 x 700 W x 1.3 x 1.2 = 8,736 W; x 1,000 h = 8,736 kWh; x $0.10 = $873.60
    pool = Pool(accelerator="H100-SXM", count=8, access="own")
    r = estimate_cost(
        pool, chip(), TEST_SITE, CostSettings(), gpu_hours=8000, wall_clock_hours=1000, chips_used=8
    )
    assert r.breakdown["amortisation"] == pytest.approx(384_000 * 1000 / 35_040)
    assert r.breakdown["amortisation"] == pytest.approx(10_958.90, abs=0.01)
    assert r.breakdown["energy"] == pytest.approx(873.60)
    assert r.total_usd == pytest.approx(10_958.90 + 873.60, abs=0.01)
    assert r.energy_mwh == pytest.approx(8.736)
    assert r.facility_mw == pytest.approx(8.736e-3)


def test_uplifts_on_chip_price_and_settings_override_rule():
    # chip share: 8 x 30,000 x 1,000 / 35,040 = $6,849.32 (no system multiplier)
    chip_share = 8 * 30_000 * 1000 / 35_040
    pool = Pool(accelerator="H100-SXM", count=8, access="own")
    s = CostSettings(grey_market_premium_pct=50, tariff_pct=10)  # tariff overrides the rule's 25
    r = estimate_cost(
        pool,
        chip(),
        TEST_SITE,
        s,
        gpu_hours=8000,
        wall_clock_hours=1000,
        chips_used=8,
        revenue_share_pct=15,
        tariff_pct=25,
        grey_market=True,
    )
    assert r.breakdown["grey_market_premium"] == pytest.approx(chip_share * 0.50)
    assert r.breakdown["revenue_share"] == pytest.approx(chip_share * 0.15)
    assert r.breakdown["tariff"] == pytest.approx(chip_share * 0.10)
    assert r.total_usd == pytest.approx(sum(r.breakdown.values()))


def test_grey_market_flag_without_premium_is_noted():
    pool = Pool(accelerator="H100-SXM", count=8, access="stockpile")
    r = estimate_cost(
        pool,
        chip(),
        TEST_SITE,
        CostSettings(grey_market_premium_pct=0),
        gpu_hours=1,
        wall_clock_hours=1,
        chips_used=8,
        grey_market=True,
    )
    assert r.breakdown["grey_market_premium"] == 0
    assert any("grey-market premium is 0%" in a for a in r.assumptions)


def test_grey_market_flag_with_unset_premium_uses_the_sourced_default():
    pool = Pool(accelerator="H100-SXM", count=8, access="smuggled")
    kw = dict(gpu_hours=1, wall_clock_hours=1, chips_used=8)
    flagged = estimate_cost(pool, chip(), TEST_SITE, CostSettings(), grey_market=True, **kw)
    fifty = estimate_cost(pool, chip(), TEST_SITE, CostSettings(grey_market_premium_pct=50), **kw)
    assert fifty.breakdown["grey_market_premium"] > 0
    assert flagged.breakdown["grey_market_premium"] == pytest.approx(fifty.breakdown["grey_market_premium"])
    assert any("FT 2025-07" in a for a in flagged.assumptions)
    unflagged = estimate_cost(pool, chip(), TEST_SITE, CostSettings(), **kw)
    assert unflagged.breakdown["grey_market_premium"] == 0


def test_power_check():
    # 27,800 chips x 700 W x 1.3 overhead x PUE 1.0 = 25,298,000 W = 25.3 MW
    s = CostSettings(pue=1.0)
    mw = facility_mw(27_800, chip(), TEST_SITE, s)
    assert mw == pytest.approx(27_800 * 700 * 1.3 / 1e6)  # 25.298
    ok, why = power_check(mw, TEST_SITE, Constraints(site_power_mw=20))
    assert not ok and why == "needs 25.3 MW; site budget 20 MW"
    ok, _ = power_check(mw, TEST_SITE, Constraints(site_power_mw=30))
    assert ok
    ok, why = power_check(mw, TEST_SITE, Constraints())
    assert ok and "no power budget" in why
    budgeted = TEST_SITE.model_copy(update={"power_budget_mw": fig(10)})
    assert not power_check(mw, budgeted, Constraints())[0]
    assert power_check(mw, budgeted, Constraints(site_power_mw=40))[0]  # constraint overrides


def test_missing_lease_price_is_clear():
    pool = Pool(accelerator="H100-SXM", count=1, access="lease")
    c = chip(rental_low_usd_h=None, rental_high_usd_h=None)
    with pytest.raises(InputError) as e:
        estimate_cost(pool, c, TEST_SITE, CostSettings(), 10, 10, 1)
    assert e.value.field == "price_per_hour_usd"
    assert "no rental price for H100-SXM" in e.value.problem


def test_missing_unit_price_is_clear():
    pool = Pool(accelerator="H100-SXM", count=1, access="own")
    with pytest.raises(InputError, match="no unit price for H100-SXM"):
        estimate_cost(pool, chip(unit_price_usd=None), TEST_SITE, CostSettings(), 10, 10, 1)


def test_missing_electricity_asks_for_override():
    pool = Pool(accelerator="H100-SXM", count=1, access="own", site="AE")
    with pytest.raises(InputError) as e:
        estimate_cost(pool, chip(), get_site("AE"), CostSettings(), 10, 10, 1)
    assert e.value.field == "cost.electricity_usd_per_kwh"
    r = estimate_cost(
        pool, chip(), get_site("AE"), CostSettings(electricity_usd_per_kwh=0.05), 10, 10, 1
    )
    assert r.breakdown["energy"] > 0


def test_foreign_chip_pays_unsubsidised_power_in_cn_west():
    pool = Pool(accelerator="H100-SXM", count=1, access="own", site="CN-West")
    r = estimate_cost(pool, chip(), get_site("CN-West"), CostSettings(), 1000, 1000, 1)
    # 700 W x 1.3 x 1.3 PUE x 1,000 h = 1,183 kWh x $0.112
    assert r.breakdown["energy"] == pytest.approx(1183 * 0.112)
    assert any("subsidy applies only" in a for a in r.assumptions)


def test_negative_hours_rejected():
    pool = Pool(accelerator="H100-SXM", count=1, access="own")
    with pytest.raises(InputError, match="gpu_hours"):
        estimate_cost(pool, chip(), TEST_SITE, CostSettings(), -1, 10, 1)


price = st.floats(min_value=0.01, max_value=1e3, allow_nan=False)


@given(p=price, q=price, access=st.sampled_from(["lease", "own", "stockpile", "domestic"]))
def test_higher_price_never_cheaper(p, q, access):
    lo, hi = sorted((p, q))

    def total(x):
        if access == "lease":
            pool = Pool(accelerator="H100-SXM", count=8, access="lease", price_per_hour_usd=x)
        else:
            pool = Pool(accelerator="H100-SXM", count=8, access=access, unit_price_usd=x * 1000)
        return estimate_cost(
            pool,
            chip(),
            TEST_SITE,
            CostSettings(grey_market_premium_pct=10),
            800,
            100,
            8,
            revenue_share_pct=15,
            tariff_pct=25,
        ).total_usd

    assert total(hi) >= total(lo)


def test_energy_text_leads_with_the_facility_figure_and_labels_the_chips_figure():
    """Review: two energy figures (chips at TDP in the CLI, facility in the window). One
    sentence, facility first (the figure the cost prices), the chips' figure labelled beside it."""
    from core.cost import energy_text

    assert energy_text(9552.4, 4710.2, 1.56, 1.3) == (
        "9,552 MWh at the facility (4,710 MWh at the chips, PUE 1.56, server overhead 1.3×)")
    assert energy_text(None, 4710.2, None, None) == "4,710 MWh at the chips (at TDP; no facility figure)"
    assert energy_text(None, None, 1.56, 1.3) == ""
