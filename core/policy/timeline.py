"""Policy timeline: the dates a pool's status changes between two dates."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from core.catalog import Accelerator
from core.errors import InputError
from core.policy.conditions import PoolStatus
from core.policy.evaluation import evaluate_pool
from core.policy.rules import PolicyRegime, get_regime
from core.scenario import AccessMode, PolicySettings, Pool


class TimelinePoint(NamedTuple):
    date: dt.date
    status: PoolStatus
    rule_id: str | None


def policy_timeline(
    chip: Accelerator,
    site: str,
    hq: str,
    access: AccessMode,
    regime: PolicyRegime | str,
    start: dt.date,
    end: dt.date,
    settings: PolicySettings | None = None,
    acquired: dt.date | None = None,
    count: int = 1,
) -> list[TimelinePoint]:
    """Status changes from ``start`` to ``end``: the first point is ``start``, then one point per
    change of (status, decisive rule). For ``own`` the chips are taken as bought on each date;
    hypothetical rules start at ``settings.hypothetical_from`` or else ``start``."""
    if end < start:
        raise InputError("end", f"end {end} is before start {start}")
    settings = settings or PolicySettings()
    if isinstance(regime, str):
        regime = get_regime(regime)
    hypo_from = settings.hypothetical_from or regime.hypothetical_from or start
    settings = settings.model_copy(update={"hypothetical_from": hypo_from})
    pool = Pool(accelerator=chip.id, count=count, site=site, access=access, acquired=acquired)
    dates = {start, hypo_from}
    if settings.end_user_listed_since is not None:
        dates.add(settings.end_user_listed_since)  # EL-end-user starts on the end user's own date
    for r in regime.rules:
        dates.add(r.effective)
        if r.ends is not None:
            dates.add(r.ends)
    points: list[TimelinePoint] = []
    for d in sorted(x for x in dates if start <= x <= end):
        res = evaluate_pool(pool, chip, hq, d, regime, settings)
        if not points or (points[-1].status, points[-1].rule_id) != (res.status, res.decisive_rule):
            points.append(TimelinePoint(d, res.status, res.decisive_rule))
    return points
