"""Where the chips run: electricity price, PUE, grid carbon, power budget and lease premium.

Data lives in ``resources/catalog/sites.json``; every figure names its source (``sources``) and
blank stays blank. The ``*_for`` helpers turn a site into the numbers the cost model needs and say,
in one readable sentence, whenever they fall back to a reference value instead of a site figure,
so every assumption reaches the user.

A plain ISO country code that is not a listed site (``JP``, ``de``) works as a site of that
country with no site-specific figures.
"""

from __future__ import annotations

import json
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from core.catalog import Figure, suggest
from core.errors import InputError
from core.resources import resource

# ISO 3166-1 alpha-2, officially assigned codes.
ISO_COUNTRIES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
    BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
    GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
    KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
    MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
    TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
    ZW
    """.split()
)

# Asia-Pacific markets: where the APAC average tariff (Cushman & Wakefield 2025) is a fair stand-in
# for a missing site price. Elsewhere no sourced global price exists, so none is guessed.
APAC_COUNTRIES = frozenset(
    "AU BD BN BT CN FJ HK ID IN JP KH KP KR LA LK MM MN MO MV MY NP NZ PG PH PK SG TH TL TW VN".split()
)


class Site(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    name: str
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    electricity_usd_per_kwh: Figure | None = None
    electricity_subsidy_origin: str | None = Field(
        default=None, description="the price is subsidised only for chips designed in this country"
    )
    electricity_unsubsidised_usd_per_kwh: Figure | None = Field(
        default=None, description="price for chips that do not qualify for the subsidy"
    )
    electricity_low_usd_per_kwh: Figure | None = Field(
        default=None, description="low end of the sourced range of electricity_usd_per_kwh")
    electricity_high_usd_per_kwh: Figure | None = Field(
        default=None, description="high end of the sourced range of electricity_usd_per_kwh")
    pue: Figure | None = None
    grid_intensity_kg_per_kwh: Figure | None = None
    power_budget_mw: Figure | None = None
    rental_premium_vs_us: Figure | None = Field(
        default=None, description="multiplier on US lease prices; 1.0 = US"
    )
    colocation_usd_per_kw_month: Figure | None = None
    notes: str = ""
    generic: bool = Field(default=False, description="a plain country code: no site figures")


class SiteCatalog(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_version: int = 1
    sources: dict[str, str] = Field(default_factory=dict)
    references: dict[str, Figure] = Field(default_factory=dict)
    sites: list[Site]


@lru_cache(maxsize=1)
def load_sites() -> SiteCatalog:
    path = resource("catalog", "sites.json")
    return SiteCatalog.model_validate(json.loads(path.read_text(encoding="utf-8")))


def sites() -> dict[str, Site]:
    return {s.id: s for s in load_sites().sites}


def reference(name: str) -> Figure:
    """A global/regional reference figure (``global_pue``, ``apac_electricity_usd_per_kwh``, ...)."""
    return load_sites().references[name]


def get_site(site_id: str, field: str = "site") -> Site:
    """Case-insensitive lookup; an unlisted ISO code gives a generic site of that country."""
    key = str(site_id).strip()
    table = sites()
    hit = {k.lower(): v for k, v in table.items()}.get(key.lower())
    if hit is not None:
        return hit
    code = key.upper()
    if len(code) == 2 and code in ISO_COUNTRIES:
        return Site(id=code, name=f"{code} (country; no site figures)", country=code, generic=True)
    raise InputError(field, f"unknown site {site_id!r}{suggest(key, list(table))}")


def _cite(fig: Figure) -> str:
    return f"{fig.source} {fig.date}"


def pue_for(site: Site) -> tuple[float, str | None]:
    """The site's PUE, or the global average with a sentence saying so."""
    if site.pue is not None:
        return site.pue.value, None
    ref = reference("global_pue")
    return ref.value, (
        f"no PUE for {site.id}; using the global average {ref.value:g} ({_cite(ref)}) - an assumption"
    )


def electricity_for(site: Site, chip_origin: str | None = None) -> tuple[float | None, str | None]:
    """$/kWh at the site for a chip of ``chip_origin``, and a sentence when it is not a site figure.

    Returns ``(None, reason)`` when no sourced price applies (outside Asia-Pacific with no site
    figure): the cost model then asks the user for a price rather than guessing one.
    """
    fig = site.electricity_usd_per_kwh
    if fig is not None:
        origin = site.electricity_subsidy_origin
        if origin and chip_origin and chip_origin.upper() != origin.upper():
            plain = site.electricity_unsubsidised_usd_per_kwh
            if plain is not None:
                return plain.value, (
                    f"{site.id} electricity subsidy applies only to {origin}-designed chips; "
                    f"using the unsubsidised ${plain.value:g}/kWh ({plain.note})"
                )
        return fig.value, None
    if site.country.upper() in APAC_COUNTRIES:
        ref = reference("apac_electricity_usd_per_kwh")
        return ref.value, (
            f"no electricity price for {site.id}; using the APAC average ${ref.value:g}/kWh "
            f"({_cite(ref)}) - an assumption"
        )
    return None, (
        f"no electricity price for {site.id} and no sourced global reference; "
        "set cost.electricity_usd_per_kwh"
    )


def electricity_range_for(site: Site, chip_origin: str | None = None
                          ) -> tuple[float, float, float, str] | None:
    """(low, high, the price ``electricity_for`` uses, source) where the site's electricity
    price has a sourced range and that price is the one used; None otherwise (a fallback, the
    unsubsidised price, or a single figure: the ranges then take the price as certain)."""
    fig, low, high = site.electricity_usd_per_kwh, site.electricity_low_usd_per_kwh, \
        site.electricity_high_usd_per_kwh
    if fig is None or low is None or high is None:
        return None
    price, why = electricity_for(site, chip_origin)
    if why is not None or price != fig.value:
        return None
    return low.value, high.value, fig.value, (
        f"{site.id} electricity ${low.value:g}-${high.value:g}/kWh ({_cite(low)}; {_cite(high)})")


def rental_premium_for(site: Site) -> tuple[float, str | None]:
    """Lease price multiplier vs the US, and a sentence when no regional figure exists."""
    if site.rental_premium_vs_us is not None:
        return site.rental_premium_vs_us.value, None
    return 1.0, f"no regional rental figure for {site.id}; US price used"


def grid_intensity_for(site: Site) -> float | None:
    """kg CO2 per kWh, or None (then no CO2 is shown: no global stand-in is used)."""
    fig = site.grid_intensity_kg_per_kwh
    return None if fig is None else fig.value
