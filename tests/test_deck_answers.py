"""The deck's answer slides, read back from the .pptx `chokepoint export --chart all` writes: the
best route under every regime after the policy-impact chart (its figures are core.impact's) and,
for a project of two or more scenarios, the scenarios compared input by input."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pptx")

from tests.test_charts_export import EXAMPLE, cli

SCENARIO = 6  # "6 Every route, then Malaysia/Thailand close": its regime closes the lease


def _slides(path) -> list[dict]:
    from pptx import Presentation

    return [{s.name: s for s in slide.shapes} for slide in Presentation(str(path)).slides]


def _title(sh) -> str:
    return sh["Title"].text_frame.text


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    out = tmp_path_factory.mktemp("deck") / "all.pptx"
    r = cli(str(EXAMPLE), "--chart", "all", "--format", "pptx", "--out", str(out),
            "--scenario", str(SCENARIO))
    assert r.returncode == 0, r.stderr
    return _slides(out)


def test_impact_table_follows_the_policy_impact_chart_with_core_figures(deck):
    from core.impact import impact, impact_regimes
    from core.project import load_project

    project = load_project(EXAMPLE)
    scenario = project.scenarios[SCENARIO - 1]
    titles = [_title(sh) for sh in deck]
    k = titles.index("Best route under each regime")
    assert "Chart policy-impact" in deck[k - 1]
    sh = deck[k]
    assert sh["Subtitle"].text_frame.text.startswith(f"Scenario: {scenario.name}")
    table = sh["Impact table"].table
    rows = [[table.cell(r, c).text for c in range(len(table.columns))]
            for r in range(1, len(table.rows))]
    regimes = impact_regimes(scenario, project)
    assert [r[0] for r in rows] == regimes[: len(rows)]
    assert rows[0][0] == scenario.policy.regime and rows[0][7] == "(its own)"
    fallbacks = 0
    for row in rows:
        i = impact(scenario, project, before_regime=scenario.policy.regime, after_regime=row[0])
        assert row[2] == (i.after.option or "no compliant route")
        # the figure with its P10-P90 (the route's Monte Carlo band) in brackets
        a = i.after
        assert row[3] == (f"{a.wall_clock_days:,.0f} ({a.wall_clock_days_p10:,.0f}–"
                          f"{a.wall_clock_days_p90:,.0f})")
        assert row[5] == (f"${a.cost_usd / 1e6:,.1f}M ({a.cost_usd_p10 / 1e6:,.1f}–"
                          f"{a.cost_usd_p90 / 1e6:,.1f})")
        assert a.wall_clock_days_p10 < a.wall_clock_days < a.wall_clock_days_p90
        if row[0] != scenario.policy.regime:
            assert row[7] == i.feasibility
            d = i.delta_days
            assert row[4] == ("±0" if abs(d) < 0.5 else f"{'+' if d > 0 else '−'}{abs(d):,.0f}")
            fallbacks += i.fallback_changed
    # under the rules in force the Johor lease is open again: weeks faster (25 days at the
    # calibration of 2026-12-02; the exact figure moves with the calibration), millions dearer
    in_force = next(r for r in rows if r[0] == "in-force")
    assert in_force[4].startswith("−") and 7 <= int(in_force[4][1:]) <= 60, in_force
    assert in_force[6].startswith("+$") and in_force[6].endswith("M") and "H100-SXM" in in_force[2]
    assert fallbacks >= 1
    # the fallback (a route other than the scenario's own) is named in bold
    cell = table.cell(1 + [r[0] for r in rows].index("in-force"), 2)
    assert cell.text_frame.paragraphs[0].runs[0].font.bold


def test_comparison_slide_in_the_full_deck(deck):
    from core.compare import compare, outcome_rows
    from core.project import load_project

    project = load_project(EXAMPLE)
    titles = [_title(sh) for sh in deck]
    assert titles.count("What differs, and what it did") == 1
    k = titles.index("What differs, and what it did")
    assert "Chart comparison" in deck[k - 1]
    table = deck[k]["Comparison of scenarios"].table
    names = [s.name for s in project.scenarios]
    assert [table.cell(0, c).text for c in range(1, len(names) + 1)] == names
    expected = compare(project.scenarios, project)
    outcome = outcome_rows(expected)
    for r, (title, texts, _changed) in enumerate(outcome, start=1):  # verdict, route, days, cost
        assert table.cell(r, 0).text == title
        assert [table.cell(r, c).text for c in range(1, len(names) + 1)] == texts
    # the inputs that differ follow, each value that differs from the first highlighted (bold)
    first = expected.differences[0]
    row = len(outcome) + 2
    assert table.cell(row, 0).text == first.label
    for c, v in enumerate(first.values[1:], start=2):
        runs = table.cell(row, c).text_frame.paragraphs[0].runs
        assert bool(runs and runs[0].font.bold) == (v != first.values[0])
    # the table stops above the footnote; what did not fit is counted there
    shown = len(table.rows) - len(outcome) - 2
    left = len(expected.differences) - shown
    assert shown >= 5 and f"{left} more not shown" in deck[k]["Footnote"].text_frame.text


def test_one_scenario_project_has_no_comparison_slide(tmp_path):
    from core.project import load_project, save_project

    project = load_project(EXAMPLE)
    one = project.model_copy(update={"scenarios": project.scenarios[:1]})
    path = tmp_path / "one.json"
    save_project(one, path)
    out = tmp_path / "one.pptx"
    r = cli(str(path), "--chart", "all", "--format", "pptx", "--out", str(out))
    assert r.returncode == 0, r.stderr
    titles = [_title(sh) for sh in _slides(out)]
    assert "What differs, and what it did" not in titles
    assert titles.count("Best route under each regime") == 1


def test_all_scenarios_deck_has_every_impact_table_and_one_comparison(tmp_path):
    from core.project import load_project

    names = [s.name for s in load_project(EXAMPLE).scenarios]
    out = tmp_path / "deck.pptx"
    r = cli(str(EXAMPLE), "--chart", "policy-impact", "--format", "pptx", "--out", str(out),
            "--all-scenarios")
    assert r.returncode == 0, r.stderr
    slides = _slides(out)
    tables = [sh for sh in slides if "Impact table" in sh]
    assert [sh["Subtitle"].text_frame.text for sh in tables] == [
        f"Scenario: {n} — differences to its own regime" for n in names]
    # the comparison slide goes with the comparison chart, which this deck does not hold
    assert not any("Comparison of scenarios" in sh for sh in slides)


def test_titles_take_one_line_and_footnotes_stay_in_their_box(deck):
    """Reported in review (LibreOffice render of the full deck): the policy-impact title wrapped
    onto the subtitle, and the project-wide footnote ran a fifth line over the source line. Each
    is sized down until it fits (the deck's own estimate of line breaks, which is generous)."""
    from app.export.pptx import FOOT_H, MARGIN, SLIDE_W, _lines

    width_in = (SLIDE_W - 2 * MARGIN) / 914400 + 0.2  # text boxes have no side margins
    shrunk = set()
    for sh in deck:
        run = sh["Title"].text_frame.paragraphs[0].runs[0]
        size = run.font.size.pt
        assert _lines(run.text, width_in, size, bold=True) == 1, (run.text, size)
        if size < 28:
            shrunk.add(run.text)
        foot = sh["Footnote"].text_frame
        fsize = foot.paragraphs[0].runs[0].font.size.pt
        assert _lines(foot.text, width_in, fsize) * fsize * 1.2 <= FOOT_H * 72, (foot.text, fsize)
        assert fsize >= 8
    assert "What the policy costs the lab: best route before and after" in shrunk


def test_solver_slide_follows_the_impact_table_with_core_figures(deck):
    """The scenario has a deadline: the deck carries 'What would it take' with solve_scenario's
    figures, row by row, and the cheapest option under the table."""
    from app.export.pptx import solver_cells
    from core.project import load_project
    from core.solve import solve_scenario

    project = load_project(EXAMPLE)
    scenario = project.scenarios[SCENARIO - 1]
    titles = [_title(sh) for sh in deck]
    k = titles.index("What would it take")
    assert titles[k - 1] == "Best route under each regime"
    expected = solve_scenario(scenario, project)
    table = deck[k]["Solver table"].table
    rows = [[table.cell(r, c).text for c in range(len(table.columns))]
            for r in range(1, len(table.rows))]
    assert rows == [solver_cells(r)[:len(table.columns)] for r in expected["options"]]
    usable = [r for r in expected["options"] if r["policy_status"] == "usable"]
    assert all(f"{r['min_count']:,}" in [row[4] for row in rows] for r in usable)
    summary = deck[k]["Solver summary"].text_frame.text
    assert expected["cheapest_meeting"] in summary
    assert f"{expected['cheapest_meeting_count']:,} chips" in summary
