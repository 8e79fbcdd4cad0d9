"""Scenario schema: who trains what, on which fleet, under which rules and constraints."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.model import ModelSpec
from core.training import PhysicsOptions, TrainingSpec
from core.units import IsoDate

NAME_CHARS = 200  # names, ids, markings: one line on a slide
NOTES_CHARS = 20_000  # free text notes
MAX_POOLS = 1_000

# Diversion / smuggling (docs/policy.md, resources/sources/policy-2022-2026.md M6). The premium is
# sourced (secondary): B200 racks sold in China at ~50% over US prices (FT, 2025-07-24, via CNBC and
# others) and a DGX B300 asked at ~2x its US list price (stockwirex, 2026-06). The seizure /
# detection likelihood is NOT sourced: the default and the range are assumptions to explore.
SMUGGLED_PREMIUM_PCT = 50.0
SMUGGLED_PREMIUM_RANGE_PCT = (50.0, 100.0)
SMUGGLING_SEIZURE_LIKELIHOOD = 0.1
SMUGGLING_SEIZURE_RANGE = (0.0, 0.5)

AccessMode = Literal["own", "stockpile", "lease", "domestic", "smuggled"]
# The end user's type, for rules of the destination country that key on it (China's H200 approval
# conditions, the state-funded data-centre mandate): docs/policy.md, "The end user".
EndUserType = Literal["private", "state_owned", "state_funded_dc", "government", "critical_infrastructure"]
END_USER_TYPES: dict[str, str] = {
    "private": "a privately owned firm (default)",
    "state_owned": "a state-owned enterprise",
    "state_funded_dc": "a state-funded data-centre project",
    "government": "the military or a sensitive government body",
    "critical_infrastructure": "a critical-infrastructure operator",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Pool(_Strict):
    """A group of identical accelerators at one site, held one way."""

    name: str = Field(default="", max_length=NAME_CHARS)
    accelerator: str = Field(min_length=1, max_length=NAME_CHARS, description="catalog id, e.g. H100-SXM")
    count: int = Field(gt=0, le=10_000_000)
    site: str = Field(default="US", min_length=1, max_length=NAME_CHARS,
                      description="site id or ISO country code")
    access: AccessMode = "own"
    acquired: IsoDate | None = Field(default=None, description="when the chips were obtained")
    licence_granted: bool = Field(
        default=False,
        description="the chips were exported under a granted licence (export rules then count as satisfied)")
    price_per_hour_usd: float | None = Field(
        default=None, gt=0, le=1_000, description="lease price override, USD per accelerator-hour")
    unit_price_usd: float | None = Field(
        default=None, gt=0, le=10_000_000, description="purchase price override, USD per accelerator")
    network_gbs: float | None = Field(
        default=None, gt=0, le=10_000,
        description="scale-out network per accelerator, GB/s per direction, where the site's "
        "cluster differs from the catalog's reference system (e.g. a cloud with thinner NICs)")


class Constraints(_Strict):
    deadline_days: float | None = Field(default=None, gt=0, le=36_500, description="at most 100 years")
    budget_usd: float | None = Field(default=None, gt=0, le=1e13, description="at most 10 trillion USD")
    site_power_mw: float | None = Field(
        default=None, gt=0, le=100_000, description="overrides the site's budget; at most 100 GW")


class CostSettings(_Strict):
    useful_life_years: float = Field(default=4.0, ge=0.25, le=20, description="years the hardware is written off over (assumption; 3-5 is typical, docs/physics.md)")
    system_multiplier: float = Field(
        default=1.6, ge=1, le=5, description="server+network+facility share per chip price (assumption; 1.4-2x is typical, docs/physics.md)"
    )
    server_overhead: float = Field(
        default=1.3, ge=1, le=3, description="server power (CPU, NIC, fans) over accelerator TDP; assumption"
    )
    grey_market_premium_pct: float | None = Field(
        default=None, ge=0, le=1000,
        description="premium over the list price for chips bought on the grey market; None = "
        f"{SMUGGLED_PREMIUM_PCT:g}% for 'smuggled' pools (FT 2025-07, secondary; reported range "
        f"{SMUGGLED_PREMIUM_RANGE_PCT[0]:g}-{SMUGGLED_PREMIUM_RANGE_PCT[1]:g}%) and 0 for every other pool")
    revenue_share_pct: float | None = Field(
        default=None, ge=0, le=100, description="None = what the licence rule says"
    )
    tariff_pct: float | None = Field(default=None, ge=0, le=1000, description="None = what the rule says")
    egress_storage_pct: float = Field(
        default=3.0, ge=0, le=100, description="lease: storage/egress allowance on the rent; assumption"
    )
    electricity_usd_per_kwh: float | None = Field(
        default=None, gt=0, le=10, description="overrides the site's electricity price"
    )
    pue: float | None = Field(default=None, ge=1, le=3, description="overrides the site's PUE")


class PolicySettings(_Strict):
    regime: str = Field(default="in-force", max_length=NAME_CHARS,
                        description="policy regime id (preset or project regime)")
    hypothetical_from: IsoDate | None = Field(
        default=None, description="when a hypothetical rule takes effect; None = the scenario date"
    )
    disabled_rules: list[str] = Field(default_factory=list, max_length=1_000)
    compare_regime: str | None = Field(
        default=None, max_length=200,
        description="regime the policy-impact chart compares this one with; None = no controls "
        "for the rules in force, the rules in force for any other regime")
    count_pending_licences: bool = Field(
        default=False, description="count chips that need a licence as usable (weighted by likelihood)"
    )
    end_user_listed_since: IsoDate | None = Field(
        default=None, description="the end user is on the Entity List since this date (None = not listed)"
    )
    end_user_listed_owner_pct: float = Field(
        default=0.0, ge=0, le=100,
        description="share of the end user owned, directly or indirectly, by Entity List parties (Affiliates rule)")
    end_user_type: EndUserType = Field(
        default="private",
        description="what kind of buyer the end user is, for rules of the destination country that key on it: "
        + "; ".join(f"{k} = {v}" for k, v in END_USER_TYPES.items()))
    smuggling_seizure_likelihood: float = Field(
        default=SMUGGLING_SEIZURE_LIKELIHOOD, ge=0, le=1,
        description="share of 'smuggled' chips lost to seizure or detection before use; ASSUMPTION, not sourced "
        f"(default {SMUGGLING_SEIZURE_LIKELIHOOD:g}, range {SMUGGLING_SEIZURE_RANGE[0]:g}-{SMUGGLING_SEIZURE_RANGE[1]:g} "
        "to explore; docs/policy.md)")


class Scenario(_Strict):
    name: str = Field(min_length=1, max_length=NAME_CHARS)
    date: IsoDate = Field(description="the date the rules are evaluated at and the run starts")
    hq: str = Field(default="CN", min_length=2, max_length=2, description="end user's headquarters, ISO")
    notes: str = Field(default="", max_length=NOTES_CHARS)
    preset: str | None = Field(default=None, max_length=NAME_CHARS,
                               description="model preset the architecture came from")
    model: ModelSpec
    training: TrainingSpec
    fleet: list[Pool] = Field(min_length=1, max_length=MAX_POOLS)
    policy: PolicySettings = Field(default_factory=PolicySettings)
    constraints: Constraints = Field(default_factory=Constraints)
    cost: CostSettings = Field(default_factory=CostSettings)
    physics: PhysicsOptions = Field(default_factory=PhysicsOptions)
