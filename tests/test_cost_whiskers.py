"""P10–P90 whiskers on the cost and comparison bars: the data carries the band of each bar's
total, and the drawn chart (the one the window shows and the exporters render) has one whisker
per banded bar, spanning exactly that band."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("PySide6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core.chart_data import chart_set
from core.project import load_project
from core.resources import resource

EXAMPLE = resource("examples") / "southeast-asia-route.json"


@pytest.fixture(scope="module")
def charts():
    return chart_set(load_project(EXAMPLE), index=0, answers=False)


def _whiskers(chart):
    import pyqtgraph as pg

    found = []
    for plot in chart.plots:
        for item in plot.items:
            if isinstance(item, pg.ErrorBarItem):
                o = item.opts
                found.append((float(o["y"][0]), float(o["x"][0] - o["width"][0] / 2),
                              float(o["x"][0] + o["width"][0] / 2), plot))
    return found


def test_cost_bars_carry_the_band_of_their_total(charts):
    banded = [b for b in charts.cost if b.cost_p10 is not None]
    assert banded, "the example has costed scenarios with a band"
    for b in charts.cost:
        if b.total_usd is None or b.hypothetical:
            assert b.cost_p10 is None and b.cost_p90 is None, b.scenario
            continue
        assert b.cost_p10 is not None and b.cost_p90 is not None
        assert b.cost_p10 < b.total_usd < b.cost_p90, b.scenario
    # the same band as the comparison row of the scenario
    for b, row in zip(charts.cost, charts.comparison, strict=True):
        assert (b.cost_p10, b.cost_p90) == (row.cost_p10, row.cost_p90)


def test_cost_chart_draws_one_whisker_per_banded_bar(charts):
    from app.export.render import build_chart

    chart = build_chart("cost", charts, (1920, 1080))
    whiskers = _whiskers(chart)
    n = len(charts.cost)
    expected = {n - 1 - i: (b.cost_p10 / 1e6, b.cost_p90 / 1e6)
                for i, b in enumerate(charts.cost) if b.cost_p10 is not None}
    assert len(whiskers) == len(expected)
    for y, lo, hi, _plot in whiskers:
        assert (lo, hi) == pytest.approx(expected[round(y)], rel=1e-9)
    # the axis reaches past the longest whisker, so no whisker is clipped
    right = chart.plots[0].viewRange()[0][1]
    assert right > max(hi for _y, _lo, hi, _p in whiskers)
    assert "P10–P90" in chart.hover_text(0, 0.0, float(next(iter(expected))))


def test_comparison_chart_whiskers_days_and_cost(charts):
    from app.export.render import build_chart

    chart = build_chart("comparison", charts, (1920, 1080))
    whiskers = _whiskers(chart)
    days = [w for w in whiskers if w[3] is chart.plots[0]]
    cost = [w for w in whiskers if w[3] is not chart.plots[0]]
    assert len(days) == sum(r.days_p10 is not None for r in charts.comparison)
    assert len(cost) == sum(r.cost_p10 is not None for r in charts.comparison)
    assert cost, "cost whiskers on the comparison chart too"
