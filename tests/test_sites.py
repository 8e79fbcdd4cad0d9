import pytest

from core.errors import InputError
from core.sites import (
    electricity_for,
    get_site,
    grid_intensity_for,
    load_sites,
    pue_for,
    rental_premium_for,
    sites,
)

PUBLIC_IDS = ["US", "SG", "MY-Johor", "TH", "ID", "AE", "CN", "CN-West"]


def test_public_site_ids_exist():
    assert set(PUBLIC_IDS) <= set(sites())


def test_every_figure_names_a_known_source():
    cat = load_sites()
    for site in cat.sites:
        for name in type(site).model_fields:
            fig = getattr(site, name)
            if hasattr(fig, "source"):
                assert fig.source in cat.sources, (site.id, name, fig.source)
    for fig in cat.references.values():
        assert fig.source in cat.sources


def test_lookup_is_case_insensitive():
    assert get_site("my-johor").id == "MY-Johor"
    assert get_site(" cn-west ").id == "CN-West"


def test_plain_iso_code_gives_generic_site():
    jp = get_site("jp")
    assert jp.generic and jp.country == "JP" and jp.electricity_usd_per_kwh is None
    price, why = electricity_for(jp)
    assert price == 0.115 and "APAC average" in why
    pue, why = pue_for(jp)
    assert pue == 1.56 and "global average" in why


def test_non_asian_country_without_price_says_so():
    price, why = electricity_for(get_site("DE"))
    assert price is None and "cost.electricity_usd_per_kwh" in why


def test_unknown_site_suggests():
    with pytest.raises(InputError) as e:
        get_site("Johor")
    assert e.value.field == "site" and "did you mean MY-Johor" in e.value.problem
    with pytest.raises(InputError, match="unknown site 'XX'"):
        get_site("XX")  # two letters but not an ISO code


def test_us_is_the_rental_baseline_and_missing_premium_is_explained():
    assert rental_premium_for(get_site("US")) == (1.0, None)
    premium, why = rental_premium_for(get_site("SG"))
    assert premium == 1.0 and "US price used" in why


def test_cn_west_subsidy_only_for_domestic_chips():
    west = get_site("CN-West")
    assert electricity_for(west, "CN") == (0.056, None)
    price, why = electricity_for(west, "US")
    assert price == pytest.approx(0.112) and "only to CN-designed" in why


def test_grid_intensity_only_where_sourced():
    assert grid_intensity_for(get_site("US")) == pytest.approx(0.366)
    assert grid_intensity_for(get_site("TH")) is None
