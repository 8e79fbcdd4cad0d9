"""What a run costs and how much power it draws, with every assumption written out.

Method (docs/physics.md, "Cost and power"):

* **lease**: GPU-hours x price per GPU-hour, plus a storage/egress allowance as a % of the rent.
  The price is the pool's override, else the catalog's rental midpoint x the site's premium over
  US prices. Energy is inside the rent; it is still reported (MWh, CO2).
* **own / stockpile / domestic**: amortised capital (Epoch AI's "amortised hardware" method):
  chips x unit price x system multiplier x run hours / (useful life x 8760), plus energy:
  chips x TDP x server overhead x PUE x wall-clock hours x $/kWh.

Uplifts are charged on the **chip** share of the amortised capital (the system multiplier covers
servers, network and facility, which a chip levy does not touch); for a lease they are charged on
the rent, as a pass-through upper bound:

* grey-market premium: ``settings.grey_market_premium_pct`` (the caller flags ``grey_market``
  when a restricted chip is held against the rules);
* licence revenue share (e.g. 15% on H20/MI308, 2025): the seller remits it on revenue and passes
  it through in the price, so it is a price uplift on chips bought under that licence;
* tariff: duty on the import value of the chips.

``settings.revenue_share_pct`` / ``settings.tariff_pct`` override the rule's numbers (the
arguments) when not None. Power: facility MW = chips x TDP x server overhead x PUE / 1e6.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field

from core.catalog import Accelerator, Figure
from core.errors import InputError
from core.scenario import (
    SMUGGLED_PREMIUM_PCT,
    SMUGGLED_PREMIUM_RANGE_PCT,
    Constraints,
    CostSettings,
    Pool,
)
from core.sites import Site, electricity_for, grid_intensity_for, pue_for, rental_premium_for

HOURS_PER_YEAR = 8760.0

BREAKDOWN_KEYS = (
    "compute_rent",
    "amortisation",
    "energy",
    "egress_storage",
    "grey_market_premium",
    "revenue_share",
    "tariff",
)


def energy_text(facility_mwh: float | None, chip_mwh: float | None, pue: float | None,
                server_overhead: float | None) -> str:
    """The one way energy is written (CLI, window, deck): facility energy first, the figure the
    cost uses (chips x TDP x server overhead x PUE x hours), with the chips-at-TDP figure and the
    two factors beside it, e.g. "9,552 MWh at the facility (4,710 MWh at the chips, PUE 1.56,
    server overhead 1.3×)". Without a facility figure: "4,710 MWh at the chips (at TDP; ...)";
    without either: ""."""
    if facility_mwh is None:
        return "" if chip_mwh is None else f"{chip_mwh:,.0f} MWh at the chips (at TDP; no facility figure)"
    detail = [f"{chip_mwh:,.0f} MWh at the chips"] if chip_mwh is not None else []
    if pue is not None:
        detail.append(f"PUE {pue:.3g}")
    if server_overhead is not None:
        detail.append(f"server overhead {server_overhead:g}×")
    return f"{facility_mwh:,.0f} MWh at the facility" + (f" ({', '.join(detail)})" if detail else "")


class CostResult(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    total_usd: float
    breakdown: dict[str, float] = Field(description="USD by item; always all BREAKDOWN_KEYS")
    energy_mwh: float | None = Field(description="facility energy incl. PUE; None without a TDP")
    it_energy_mwh: float | None = Field(description="chips x TDP x server overhead x hours")
    pue: float | None = Field(default=None, description="the PUE the facility energy uses")
    co2_t: float | None = Field(description="None when the site has no grid intensity")
    facility_mw: float | None
    price_basis: str
    assumptions: list[str] = Field(default_factory=list)


def _usd(x: float) -> str:
    return f"${x:,.2f}" if x < 100 else f"${x:,.0f}"


def _cite(fig: Figure) -> str:
    return f"{fig.source} {fig.date}"


def _finite_nonneg(name: str, value: float) -> float:
    if not math.isfinite(value) or value < 0:
        raise InputError(name, f"must be a finite number >= 0, got {value!r}")
    return float(value)


def _site_pue(site: Site, settings: CostSettings, notes: list[str]) -> float:
    if settings.pue is not None:
        return settings.pue
    pue, why = pue_for(site)
    if why:
        notes.append(why)
    elif site.pue is not None and site.pue.estimate:
        notes.append(f"{site.id} PUE {pue:g} is an estimate: {site.pue.note}")
    return pue


def facility_mw(chips: int, chip: Accelerator, site: Site, settings: CostSettings) -> float:
    """Facility power in MW: chips x TDP x server overhead x PUE / 1e6."""
    tdp = chip.need("tdp_w", "facility power")
    pue = settings.pue if settings.pue is not None else pue_for(site)[0]
    return chips * tdp * settings.server_overhead * pue / 1e6


def power_check(mw_needed: float, site: Site, constraints: Constraints) -> tuple[bool, str]:
    """Is the site's power budget (the scenario's constraint, else the site's figure) enough?"""
    if constraints.site_power_mw is not None:
        budget, whose = constraints.site_power_mw, "site budget"
    elif site.power_budget_mw is not None:
        budget, whose = (
            site.power_budget_mw.value,
            f"{site.id} budget ({_cite(site.power_budget_mw)})",
        )
    else:
        return True, f"needs {mw_needed:.1f} MW; no power budget set for {site.id}"
    if mw_needed > budget:
        return False, f"needs {mw_needed:.1f} MW; {whose} {budget:g} MW"
    return True, f"needs {mw_needed:.1f} MW of {budget:g} MW {whose}"


def lease_price(pool: Pool, chip: Accelerator, site: Site) -> tuple[float, str, list[str]]:
    """Price per GPU-hour, the readable basis, and assumptions made on the way."""
    if pool.price_per_hour_usd is not None:
        p = pool.price_per_hour_usd
        return p, f"{chip.id} lease {_usd(p)}/GPU-h (pool override)", []
    low, high = chip.rental_low_usd_h, chip.rental_high_usd_h
    if low is None and high is None:
        raise InputError(
            "price_per_hour_usd",
            f"no rental price for {chip.id} in the catalog (needed for a lease); "
            "enter the pool's price per GPU-hour",
        )
    notes: list[str] = []
    if low is not None and high is not None:
        base = (low.value + high.value) / 2
        src = f"midpoint of {_usd(low.value)}–{_usd(high.value)}, {_cite(high)}"
    else:
        only = low if low is not None else high
        assert only is not None
        base = only.value
        src = f"{'low' if only is low else 'high'} quote only, {_cite(only)}"
        notes.append(f"{chip.id} has a single rental quote; no range to take a midpoint of")
    premium, why = rental_premium_for(site)
    if why:
        notes.append(why)
    fig = site.rental_premium_vs_us
    prem_src = "no regional figure" if fig is None else _cite(fig)
    price = base * premium
    basis = f"{chip.id} lease {_usd(price)}/GPU-h ({src}) × {site.id} premium {premium:.2f} ({prem_src})"
    return price, basis, notes


def estimate_cost(
    pool: Pool,
    chip: Accelerator,
    site: Site,
    settings: CostSettings,
    gpu_hours: float,
    wall_clock_hours: float,
    chips_used: int,
    revenue_share_pct: float = 0,
    tariff_pct: float = 0,
    grey_market: bool = False,
) -> CostResult:
    """Cost of one pool's part of a run. ``gpu_hours`` drive the rent; ``chips_used`` x
    ``wall_clock_hours`` drive amortisation and energy (chips draw power for the whole run)."""
    gpu_hours = _finite_nonneg("gpu_hours", gpu_hours)
    wall_clock_hours = _finite_nonneg("wall_clock_hours", wall_clock_hours)
    if chips_used < 0:
        raise InputError("chips_used", f"must be >= 0, got {chips_used}")
    rev_pct = (
        settings.revenue_share_pct if settings.revenue_share_pct is not None else revenue_share_pct
    )
    tar_pct = settings.tariff_pct if settings.tariff_pct is not None else tariff_pct
    _finite_nonneg("revenue_share_pct", rev_pct)
    _finite_nonneg("tariff_pct", tar_pct)
    grey_pct = settings.grey_market_premium_pct
    if grey_pct is None:
        grey_pct = SMUGGLED_PREMIUM_PCT if grey_market else 0.0

    notes: list[str] = []
    b = dict.fromkeys(BREAKDOWN_KEYS, 0.0)
    pue = _site_pue(site, settings, notes)

    # Energy and power: needs a TDP. A lease can still be priced without one.
    tdp = chip.v("tdp_w")
    it_mwh = fac_mwh = mw = None
    if tdp is not None:
        it_kw = chips_used * tdp * settings.server_overhead / 1000
        it_mwh = it_kw * wall_clock_hours / 1000
        fac_mwh = it_mwh * pue
        mw = it_kw * pue / 1000
    else:
        notes.append(f"no sourced TDP for {chip.id} in the catalog: energy, its cost and the power check "
                     "are left out of this option")

    if pool.access == "lease":
        price, basis, more = lease_price(pool, chip, site)
        notes += more
        b["compute_rent"] = gpu_hours * price
        b["egress_storage"] = b["compute_rent"] * settings.egress_storage_pct / 100
        uplift_base = b["compute_rent"]
        notes.append(
            f"storage/egress allowance {settings.egress_storage_pct:g}% of the rent; "
            "energy is inside the rent"
        )
        if rev_pct or tar_pct or grey_pct:
            notes.append(
                "revenue share, tariff and grey-market premium charged on the rent as a "
                "pass-through (upper bound)"
            )
    else:
        if pool.unit_price_usd is not None:
            unit, src = pool.unit_price_usd, "pool override"
        else:
            catalog_unit = chip.v("unit_price_usd")
            if catalog_unit is None:
                raise InputError(
                    "unit_price_usd",
                    f"no unit price for {chip.id} in the catalog (needed for owned chips); "
                    "enter the pool's purchase price",
                )
            assert chip.unit_price_usd is not None
            unit, src = catalog_unit, _cite(chip.unit_price_usd)
        share = wall_clock_hours / (settings.useful_life_years * HOURS_PER_YEAR)
        chip_capital = chips_used * unit * share
        b["amortisation"] = chip_capital * settings.system_multiplier
        uplift_base = chip_capital
        basis = (
            f"{chip.id} {pool.access} {_usd(unit)}/chip ({src}) × system {settings.system_multiplier:g}"
            f" over {settings.useful_life_years:g} years"
        )
        price_kwh, why = (
            (settings.electricity_usd_per_kwh, None)
            if settings.electricity_usd_per_kwh is not None
            else electricity_for(site, chip.origin)
        )
        if price_kwh is None:
            raise InputError("cost.electricity_usd_per_kwh", why or "no electricity price")
        if why:
            notes.append(why)
        elif settings.electricity_usd_per_kwh is None:
            fig = site.electricity_usd_per_kwh
            if fig is not None and fig.estimate:
                notes.append(f"{site.id} electricity ${price_kwh:g}/kWh is an estimate: {fig.note}")
        b["energy"] = 0.0 if fac_mwh is None else fac_mwh * 1000 * price_kwh
        basis += f"; electricity ${price_kwh:g}/kWh × PUE {pue:g}"
        notes.append(
            f"server overhead {settings.server_overhead:g}× TDP (CPU, NIC, fans); "
            "uplifts charged on the chip price only"
        )

    if grey_market and settings.grey_market_premium_pct is None:
        notes.append(
            f"smuggled chips: grey-market premium {grey_pct:g}% on the chip price (FT 2025-07, B200 racks ~50% over "
            f"US prices, secondary; reported range {SMUGGLED_PREMIUM_RANGE_PCT[0]:g}-{SMUGGLED_PREMIUM_RANGE_PCT[1]:g}%); "
            "set cost.grey_market_premium_pct to change it"
        )
    elif grey_market and not grey_pct:
        notes.append(
            "restricted chip held against the rules but the grey-market premium is 0%; "
            "set cost.grey_market_premium_pct"
        )
    b["grey_market_premium"] = uplift_base * grey_pct / 100
    b["revenue_share"] = uplift_base * rev_pct / 100
    b["tariff"] = uplift_base * tar_pct / 100

    intensity = grid_intensity_for(site)
    co2 = None if intensity is None or fac_mwh is None else fac_mwh * intensity  # kg/kWh = t/MWh
    if intensity is None:
        notes.append(f"no grid carbon intensity for {site.id}; CO2 not shown")
    return CostResult(
        total_usd=sum(b.values()),
        breakdown=b,
        energy_mwh=fac_mwh,
        it_energy_mwh=it_mwh,
        pue=pue,
        co2_t=co2,
        facility_mw=mw,
        price_basis=basis,
        assumptions=notes,
    )
