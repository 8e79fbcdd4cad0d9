"""Country groups (15 CFR 740 Supp. 1, the diffusion tiers) with dated membership, and sites."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Literal

from pydantic import Field

from core.catalog import suggest
from core.errors import InputError
from core.jsonread import parse_json
from core.policy.conditions import _Strict
from core.resources import resource


class GroupChange(_Strict):
    """A dated, sourced change of a group's membership (``added`` or ``removed`` that day)."""

    date: dt.date
    country: str = Field(pattern=r"^[A-Z]{2}$")
    change: Literal["added", "removed"]
    source: str = Field(min_length=1)


class CountryGroup(_Strict):
    title: str
    as_of: dt.date | None = Field(default=None, description="the date the member list describes")
    members: list[str] = Field(default_factory=list)
    includes: list[str] = Field(default_factory=list, description="other group ids")
    complement_of: list[str] | None = Field(default=None, description="everything not in these groups")
    changes: list[GroupChange] = Field(
        default_factory=list, description="dated additions/removals; the members are the list after all of them"
    )
    complete: bool = True
    source: str = Field(min_length=1)

    def members_on(self, on: dt.date | None) -> set[str]:
        """The direct members on a date: the listed members with later changes undone."""
        members = set(self.members)
        if on is None:
            return members
        for ch in sorted(self.changes, key=lambda c: c.date, reverse=True):
            if ch.date > on:
                if ch.change == "added":
                    members.discard(ch.country)
                else:
                    members.add(ch.country)
        return members


class CountryGroups(_Strict):
    schema_version: int = 1
    notes: str = ""
    groups: dict[str, CountryGroup]


@lru_cache(maxsize=1)
def _read_catalog(path: Any) -> Any:
    """A bundled policy file, read as strictly as a user's file (duplicate keys, NaN refused)."""
    try:
        return parse_json(path.read_text(encoding="utf-8"))
    except InputError as e:
        raise e.in_file(path.name) from None


@lru_cache(maxsize=1)
def load_country_groups() -> CountryGroups:
    """The bundled groups, read and validated once per process (every rule match asks)."""
    path = resource("catalog", "country_groups.json")
    return CountryGroups.model_validate(_read_catalog(path))


def in_group(country: str, group_id: str, on: dt.date | None = None) -> bool:
    """Whether an ISO country is in a group on a date (None = the current list).

    Tier2 is the complement of Tier1 and Tier3. Dated changes (e.g. Cambodia leaving D:5 on
    2026-02-03) are undone for earlier dates."""
    groups = load_country_groups().groups
    if group_id not in groups:
        raise InputError("country group", f"unknown group {group_id!r}{suggest(group_id, list(groups))}")
    g = groups[group_id]
    c = country.strip().upper()
    if g.complement_of is not None:
        return not any(in_group(c, other, on) for other in g.complement_of)
    return c in g.members_on(on) or any(in_group(c, sub, on) for sub in g.includes)


def group_is_partial(group_id: str) -> bool:
    groups = load_country_groups().groups
    g = groups[group_id]
    subs = g.includes + (g.complement_of or [])
    return (not g.complete) or any(group_is_partial(s) for s in subs)


def matches_place(country: str, tokens: list[str], on: dt.date | None = None) -> bool:
    """True if the country is one of the tokens (ISO codes or group ids) on a date."""
    groups = load_country_groups().groups
    c = country.strip().upper()
    return any(in_group(c, t, on) if t in groups else t.upper() == c for t in tokens)


def site_country(site: str) -> str:
    """ISO country of a site id: ``MY-Johor`` -> ``MY``; a plain ISO code is itself."""
    country = site.strip().split("-", 1)[0].upper()
    if len(country) != 2 or not country.isalpha():
        raise InputError("site", f"cannot tell the country of site {site!r}; use an id like 'MY-Johor' or 'CN'")
    return country
