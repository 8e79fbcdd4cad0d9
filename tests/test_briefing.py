"""The words and numbers around exported charts, without Qt."""

from __future__ import annotations

import datetime as dt

import pytest

from core.briefing import CHARTS, assumptions_line, chart_title, footnote, source_line
from core.chart_data import COST_GROUPS, chart_set
from core.project import load_project
from core.resources import resource


@pytest.fixture(scope="module")
def example():
    return load_project(resource("examples") / "southeast-asia-route.json")


@pytest.fixture(scope="module")
def charts(example):
    return chart_set(example, 1)


def test_chart_set_covers_every_scenario(example, charts):
    assert [r.scenario for r in charts.comparison] == [s.name for s in example.scenarios]
    assert [b.scenario for b in charts.cost] == [s.name for s in example.scenarios]
    assert charts.marking == example.marking
    assert charts.scenario.name == example.scenarios[1].name
    for bar in charts.cost:
        assert set(bar.parts) == set(COST_GROUPS)
        if bar.total_usd is not None:  # the groups add up to the total the core reports
            assert sum(bar.parts.values()) == pytest.approx(bar.total_usd, rel=1e-9)


def test_blocked_scenario_is_hypothetical_everywhere(charts):
    assert charts.result.verdict == "infeasible"
    assert charts.plan.hypothetical and charts.comparison[1].hypothetical and charts.cost[1].hypothetical
    assert charts.time_vs_count.series[0].status == "blocked"
    assert charts.time_vs_count.deadline_days == 180


def test_hypothetical_rules_start_at_the_scenario_date_on_the_timeline(charts):
    tl = charts.timeline
    assert tl.hypothetical_from == charts.scenario.date
    spans = tl.rows[0].spans
    assert spans[0].status == "usable"  # not blocked back to the chart start
    blocked = [s for s in spans if s.status == "blocked"]
    assert blocked and blocked[0].start == charts.scenario.date
    assert all(rid in tl.rule_names for _d, rid in tl.changes)


def test_sweep_is_monotone(charts):
    days = [p.days for p in charts.time_vs_count.series[0].points if p.days is not None]
    assert len(days) >= 5 and days == sorted(days, reverse=True)


def test_assumptions_line_names_model_tokens_fleet_policy_date_price(example, charts):
    s, r = charts.scenario, charts.result
    line = assumptions_line(s, r)
    for needle in (s.model.name, "36T tokens", "4,096 × H100-SXM @ MY-Johor (lease)",
                   s.policy.regime, s.date.isoformat(), "Price basis:", "$3.35/GPU-h", "180 days"):
        assert needle in line, needle
    assert footnote("memory", charts.scenarios, charts.results, 1) == line
    cross = footnote("cost", charts.scenarios, charts.results, 1)
    assert f"{len(charts.scenarios)} scenarios" in cross and "in-force" in cross


def test_titles_and_source(example):
    assert chart_title("cost", "x") == CHARTS["cost"]
    assert chart_title("memory", "My scenario").endswith("My scenario")
    line = source_line(example, "route.json", dt.date(2026, 1, 2))
    assert "2026-01-02" in line and "route.json" in line and example.name in line


def test_cost_bars_say_why_energy_is_zero():
    from core.chart_data import chart_set
    from core.project import load_project
    from core.resources import resource

    project = load_project(resource("examples", "southeast-asia-route.json"))
    charts = chart_set(project, 0, answers=False)
    notes = {b.scenario[0]: b.energy_note for b in charts.cost}
    assert notes["1"] == "energy is inside the rent"
    assert notes["3"] == ""  # owned H800s: energy costed
    assert notes["5"] == ""  # Ascend 910C: power from the CloudMatrix 384 system figure (estimate)
    # a chip with no sourced power at all (TPU v5p, priced by the user) says so
    s5 = project.scenarios[4]
    mi = s5.model_copy(update={"fleet": [s5.fleet[0].model_copy(
        update={"accelerator": "TPU-v5p", "unit_price_usd": 10000.0})]})
    bare = chart_set(project.model_copy(update={"scenarios": [mi]}), 0, answers=False)
    assert "no sourced TDP for TPU-v5p" in bare.cost[0].energy_note


def test_project_footnote_says_what_the_ranges_vary_and_take_as_certain():
    from core.briefing import project_assumptions_line
    from core.project import load_project
    from core.resources import resource
    from core.scenario_eval import evaluate_scenario

    project = load_project(resource("examples", "southeast-asia-route.json"))
    results = [evaluate_scenario(s, project) for s in project.scenarios]
    line = project_assumptions_line(project.scenarios, results)
    varied, certain = line.split("Ranges (P10–P90): Monte Carlo over ", 1)[1].split(
        "; treated as certain: ", 1)
    assert "software efficiency" in varied and "lease price" in varied  # scenario 1 leases
    assert "chip price" in varied  # scenario 4: owned H20, sourced RMB channel range
    assert "licence approval" in varied
    assert "electricity price" in certain and "PUE" in certain  # no sourced CN range
    assert "training tokens and active parameters" in certain


def test_deck_footnotes_say_how_the_ranges_were_made_and_how_well_they_held(example, charts):
    """issue 10: the deck's footnote on the method names the validation and its coverage (from
    the fit that made the spread), on the slides that show ranges (that a long note fits its box:
    tests/test_charts_export.py or the deck-fit test of app/export/pptx.py)."""
    from core.maturity import load_maturity

    cv = load_maturity()["cross_validation"]
    held = f"held {cv['coverage_p10_p90']:.0%} of {cv['runs']} published runs"
    for name in ("comparison", "cost", "time-vs-count"):
        text = footnote(name, charts.scenarios, charts.results, 1)
        assert held in text and "docs/validation.md" in text, name
    band = footnote("time-vs-count", charts.scenarios, charts.results, 1)
    assert band.startswith(assumptions_line(charts.scenario, charts.result))
    assert "Shaded: P10–P90" in band
    assert held not in footnote("memory", charts.scenarios, charts.results, 1)  # no range shown
