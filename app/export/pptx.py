"""A PowerPoint deck: a summary slide comparing the scenarios, then one slide per chart with its
title, the key assumptions as a footnote and the source line; the project's marking at the top
and bottom of every slide. Two charts bring a table slide with them: the policy-impact chart the
best route under every regime, the comparison chart (two or more scenarios) the inputs that
differ and what they did. Charts go in as PNGs at slide resolution (python-pptx cannot embed
SVG); everything else is real, editable slide text. The deck is built in memory and written
atomically (``write_export``): a failed export leaves an existing deck of that name as it was."""

from __future__ import annotations

import io
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from app.export.render import build_chart, dispose, png_bytes, write_export, xml_safe
from core.briefing import (
    CHARTS,
    PER_SCENARIO,
    TITLES,
    footnote,
    project_assumptions_line,
    source_line,
)
from core.chart_data import ChartSet
from core.errors import InputError

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x55, 0x55, 0x55)
VERDICT_WORDS = {"feasible": "Feasible", "needs_license": "Needs a licence", "unknown": "Status unknown",
                 "infeasible": "Infeasible"}

# vertical layout (inches from the top)
MARK_TOP, TITLE_TOP, PICTURE_TOP = 0.12, 0.45, 1.5
PICTURE_H = 4.55


def _box(slide, name: str, left, top, width, height, text: str, size: float, bold=False,
         colour=INK, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP):
    shape = slide.shapes.add_textbox(left, top, width, height)
    shape.name = name
    tf = shape.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    for attr in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(tf, attr, Emu(0))
    lines = text.split("\n")
    for i, line in enumerate(lines):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        para.alignment = align
        run = para.add_run()
        run.text = xml_safe(line)  # a deck is XML: control characters in user text cannot go in
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour
    return shape


FOOT_H = 0.75  # inches: the footnote box (the source line starts 0.05 in below it)


def _fit_size(text: str, width_in: float, size: float, height_in: float, bold: bool = False,
              smallest: float = 8.0) -> float:
    """The largest size, at most ``size`` and down to ``smallest`` in half points, at which
    ``text``'s lines (as ``_lines`` estimates them, at 1.2 × the size apart) fit ``height_in``;
    the box has no side margins, so its full width counts."""
    while size > smallest and _lines(text, width_in + 0.2, size, bold) * size * 1.2 > height_in * 72:
        size -= 0.5
    return size


def _frame(prs, title: str, subtitle: str, note: str, source: str, marking: str):
    """A blank slide with marking, title, subtitle, footnote and source line."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    width = SLIDE_W - 2 * MARGIN
    if marking:
        _box(slide, "Marking top", MARGIN, Inches(MARK_TOP), width, Inches(0.3), marking, 14,
             bold=True, align=PP_ALIGN.CENTER)
        _box(slide, "Marking bottom", MARGIN, SLIDE_H - Inches(0.42), width, Inches(0.3), marking,
             14, bold=True, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.BOTTOM)
    # one line each: a title that wraps runs into the subtitle, a footnote past its box into
    # the source line (LibreOffice and PowerPoint do not shrink text to fit a plain text box)
    _box(slide, "Title", MARGIN, Inches(TITLE_TOP), width, Inches(0.55), title,
         _fit_size(title, width / 914400, 28, 0.55, bold=True), bold=True)
    if subtitle:
        _box(slide, "Subtitle", MARGIN, Inches(TITLE_TOP + 0.56), width, Inches(0.4), subtitle, 16,
             colour=MUTED)
    foot_top = PICTURE_TOP + PICTURE_H + 0.08
    _box(slide, "Footnote", MARGIN, Inches(foot_top), width, Inches(FOOT_H), note,
         _fit_size(note, width / 914400, 10.5, FOOT_H))
    _box(slide, "Source", MARGIN, Inches(foot_top + 0.8), width, Inches(0.3), source, 9.5,
         colour=MUTED)
    return slide


def _subtitle(name: str, charts: ChartSet) -> str:
    if name == "sweep" and charts.sweep is not None:
        # the input (its path: the picture's axis names it in full) and the range, on one line
        from app.charts.base import elide
        from app.charts.sweep import value_text

        sw, i = charts.sweep, charts.sweep.input
        return (f"Scenario: {elide(charts.scenario.name, 40)} — {i.key} from "
                f"{value_text(sw.low, i.integer)} to {value_text(sw.high, i.integer)} "
                f"(in use: {value_text(i.current, i.integer)})")
    if name in PER_SCENARIO or name == "sweep":
        return f"Scenario: {charts.scenario.name}"
    return f"Project: {charts.project} — {len(charts.scenarios)} scenarios"


def _summary_slide(prs, charts: ChartSet, source: str) -> None:
    slide = _frame(prs, "Summary: scenario comparison", _subtitle("comparison", charts),
                   project_assumptions_line(charts.scenarios, charts.results), source,
                   charts.marking)
    rows = charts.comparison
    cols = ["Scenario", "Verdict", "Option (chosen, or if allowed)", "Days (P10–P90)",
            "Cost (P10–P90)", "GPU-hours", "Facility MWh"]
    width = SLIDE_W - 2 * MARGIN
    shape = slide.shapes.add_table(len(rows) + 1, len(cols), MARGIN, Inches(PICTURE_TOP), width,
                                   Inches(0.45 * (len(rows) + 1)))
    shape.name = "Comparison table"
    table = shape.table
    for i, w in enumerate((2.85, 1.45, 2.7, 1.5, 1.75, 1.0, 1.08)):
        table.columns[i].width = Inches(w)
    for c, text in enumerate(cols):
        _cell(table.cell(0, c), text, bold=True)
    for r, row in enumerate(rows, start=1):
        verdict = VERDICT_WORDS.get(row.verdict, row.verdict)
        # the mark goes on the option and its figures, not on the verdict: 'Infeasible
        # (hypothetical)' read as if the verdict itself were in doubt
        cells = [row.scenario, verdict,
                 row.option + (": figures if it were allowed" if row.hypothetical else ""), "—" if row.days is None else f"{row.days:,.0f}" + (
                     "" if row.days_p10 is None or row.days_p90 is None
                     else f" ({row.days_p10:,.0f}–{row.days_p90:,.0f})"),
                 "—" if row.cost_usd is None else f"${row.cost_usd / 1e6:,.1f}M" + (
                     "" if row.cost_p10 is None or row.cost_p90 is None
                     else f" ({row.cost_p10 / 1e6:,.0f}–{row.cost_p90 / 1e6:,.0f})"),
                 "—" if row.gpu_hours is None else f"{row.gpu_hours / 1e6:,.2f}M",
                 # the figure the cost prices (server overhead and PUE in); a chip without a cost
                 # says its figure is the chips' own
                 "—" if row.energy_mwh is None else f"{row.energy_mwh:,.0f}"
                 + ("" if row.energy_basis == "facility" else f" ({row.energy_basis})")]
        for c, text in enumerate(cells):
            _cell(table.cell(r, c), text, align=PP_ALIGN.RIGHT if c >= 3 else PP_ALIGN.LEFT)


def _cell(cell, text: str, bold=False, align=PP_ALIGN.LEFT, size: float = 14) -> None:
    cell.text = ""
    para = cell.text_frame.paragraphs[0]
    para.alignment = align
    # the end-of-paragraph size too: an empty cell would otherwise take the 18-pt default and
    # make its row taller than its neighbours (LibreOffice, PowerPoint)
    para._p.get_or_add_endParaRPr().set("sz", str(int(size * 100)))
    if not text:
        return  # no empty run: LibreOffice sizes one at the default
    run = para.add_run()
    run.text = xml_safe(text)
    run.font.size = Pt(size)
    run.font.bold = bold


def _chart_slide(prs, name: str, charts: ChartSet, source: str, width_px: int) -> None:
    slide = _frame(prs, TITLES[name], _subtitle(name, charts),
                   footnote(name, charts.scenarios, charts.results, charts.index), source,
                   charts.marking)
    box_w = SLIDE_W - 2 * MARGIN
    height_px = round(width_px * PICTURE_H / (box_w / 914400))
    # title, marking and footnote are slide text; the picture holds the chart itself
    chart = build_chart(name, charts, (width_px, height_px), frame_title=False,
                        with_footnote=False, marking="")
    try:
        png = png_bytes(chart, width_px, height_px)
    finally:
        dispose(chart)
    pic = slide.shapes.add_picture(io.BytesIO(png), MARGIN, Inches(PICTURE_TOP), width=box_w)
    pic.name = f"Chart {name}"


COMPARE_ROWS = 14  # table rows that fit the slide at 12 pt (outcome + differing inputs)
TABLE_BOTTOM = PICTURE_TOP + PICTURE_H  # inches: the footnote starts just below


def _lines(text: str, width_in: float, size: float, bold: bool = False) -> int:
    """Lines ``text`` takes in a cell ``width_in`` wide at ``size`` pt (a generous estimate:
    average glyph ~0.55 em, 0.6 em bold; the cell's 0.1-in side margins left out)."""
    per_line = max(1, int((width_in - 0.2) * 72 / (size * (0.6 if bold else 0.55))))
    lines = 0
    for part in text.split("\n"):  # wrapped at spaces, as the cell wraps it
        lines += 1
        used = 0
        for word in part.split(" "):
            n = len(word)
            if used and used + 1 + n > per_line:  # the word goes to the next line
                lines += 1
                used = 0
            if n > per_line:  # a word longer than a line breaks inside it
                lines += (used + n - 1) // per_line
                n = (used + n - 1) % per_line + 1
                used = 0
            used = used + 1 + n if used else n
    return max(1, lines)


def _row_in(texts: list[str], widths: list[float], size: float, bold: bool) -> float:
    """A table row's height in inches: its tallest cell, plus the cell margins."""
    lines = max(_lines(t, w, size, bold) for t, w in zip(texts, widths, strict=True))
    return lines * size * 1.2 / 72 + 0.1


def comparison_slide(prs, comparison, project: str, marking: str, source: str) -> None:
    """Two or more scenarios side by side (``core.compare.Comparison``): the outcome with the
    change from the first, then the inputs that differ (as many as fit above the footnote,
    their rows measured; the rest counted). Six scenarios (a project's full deck) take 10 pt."""
    from core.compare import outcome_rows, value_text

    names = comparison.scenarios
    outcome = outcome_rows(comparison)
    diffs = comparison.differences
    size = 12.0 if len(names) <= 3 else 10.0
    width = SLIDE_W - 2 * MARGIN
    first_in = 2.6 if len(names) <= 3 else 2.2
    col_in = ((width / 914400) - first_in) / len(names)
    widths = [first_in] + [col_in] * len(names)
    used = _row_in(["", *names], widths, size, True)
    for title, texts, _changed in outcome:
        used += _row_in([title, *texts], widths, size, True)
    used += _row_in(["Inputs that differ (999)", *[""] * len(names)], widths, size, True)
    shown = []
    for d in diffs[:COMPARE_ROWS]:
        h = _row_in([d.label, *[value_text(v) for v in d.values]], widths, size, True)
        if PICTURE_TOP - 0.1 + used + h > TABLE_BOTTOM:
            break
        used += h
        shown.append(d)
    left_out = len(diffs) - len(shown)
    note = (f"Changes in days and cost are against “{names[0]}”; bold values differ from it. "
            f"{len(diffs)} inputs differ"
            + (f"; {left_out} more not shown (the window's Compare Scenarios view lists them all)"
               if left_out else "") + ". Name and notes are not inputs.")
    slide = _frame(prs, "What differs, and what it did", f"Project: {project} — "
                   f"{len(names)} scenarios compared", note, source, marking)
    rows = len(outcome) + 1 + len(shown)
    shape = slide.shapes.add_table(rows + 1, len(names) + 1, MARGIN, Inches(PICTURE_TOP - 0.1),
                                   width, Inches(0.3 * (rows + 1)))
    shape.name = "Comparison of scenarios"
    table = shape.table
    table.columns[0].width = Inches(first_in)
    for c in range(1, len(names) + 1):
        table.columns[c].width = Inches(col_in)
    for r in range(rows + 1):
        table.rows[r].height = Inches(size * 1.2 / 72 + 0.1)  # one line; a cell grows to fit

    def put(r: int, title: str, texts: list[str], changed: list[bool], strong: bool) -> None:
        _cell(table.cell(r, 0), title, bold=strong, size=size)
        for c, (text, hot) in enumerate(zip(texts, changed, strict=True), start=1):
            _cell(table.cell(r, c), text, bold=strong or (hot and c > 1), size=size)

    put(0, "", names, [False] * len(names), True)
    for r, (title, texts, changed) in enumerate(outcome, start=1):
        put(r, title, texts, changed, True)
    sep = len(outcome) + 1
    put(sep, f"Inputs that differ ({len(diffs)})", [""] * len(names), [False] * len(names), True)
    for r, d in enumerate(shown, start=sep + 1):
        put(r, d.label, [value_text(v) for v in d.values], [v != d.values[0] for v in d.values],
            False)


def comparison_deck(comparison, path: str | Path, project: str, marking: str = "",
                    file_name: str | None = None) -> Path:
    """A one-slide deck of ``comparison_slide`` (the window's Compare Scenarios → Export)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = xml_safe(f"{project} — scenarios compared")
    prs.core_properties.author = "Chokepoint"
    comparison_slide(prs, comparison, project, marking, source_line(project, file_name))
    data = io.BytesIO()
    prs.save(data)
    return write_export(Path(path), data.getvalue())


def every_scenario(project, first: ChartSet | None = None) -> list[ChartSet]:
    """The ChartSet of every scenario of ``project``, in order; each scenario is evaluated once
    (``first``, any one ChartSet of this project, lends its results)."""
    from core.chart_data import chart_set
    from core.scenario_eval import result_keys

    known = None
    if first is not None:
        known = dict(zip(result_keys(project), first.results, strict=True))
    out: list[ChartSet] = []
    for i in range(len(project.scenarios)):
        if first is not None and i == first.index:
            out.append(first)
            continue
        out.append(chart_set(project, i, known))
        if known is None:
            known = dict(zip(result_keys(project), out[-1].results, strict=True))
    return out


IMPACT_ROWS = 12  # regimes that fit the slide at 12 pt, one line each


def _signed_days(d: float | None) -> str:
    if d is None:
        return "—"
    return "±0" if abs(d) < 0.5 else f"{'+' if d > 0 else '−'}{abs(d):,.0f}"


def _signed_usd(d: float | None) -> str:
    if d is None:
        return "—"
    return "±0" if abs(d) < 5e4 else f"{'+' if d > 0 else '−'}${abs(d) / 1e6:,.1f}M"


def impact_table_slide(prs, charts: ChartSet, source: str) -> bool:
    """The best route under every regime (``core.impact.impact_table``), one row each: route,
    days, cost, feasibility and the difference to the scenario's own regime; a route that
    differs from the scenario's is the fallback, said in bold. False when there is no table."""
    from core.impact import cost_range, days_range

    a = charts.answers
    table_data = None if a is None else a.impact_table
    if table_data is None or not table_data.rows:
        return False
    rows = table_data.rows[:IMPACT_ROWS]
    left_out = len(table_data.rows) - len(rows)
    base = table_data.rows[0]
    note = (f"Each row is the scenario evaluated under that regime (chokepoint impact); "
            f"differences and feasibility are against its own regime, {base.regime} "
            f"({base.route or 'no compliant route'}), the bold first row. Bold route: the lab "
            "falls back to it. Days and cost: the best route's, P10–P90 in brackets (Monte "
            "Carlo, as the summary's ranges). Feasibility: kept, lost, gained or none against "
            "the first row. "
            "Regimes by id (titles in the window's policy editor and docs/policy.md)."
            + (f" {left_out} more regimes not shown." if left_out else ""))
    slide = _frame(prs, "Best route under each regime",
                   f"Scenario: {charts.scenario.name} — differences to its own regime",
                   note, source, charts.marking)
    cols = ["Regime", "Verdict", "Best route (fallback in bold)", "Days (P10–P90)", "Δ days",
            "Cost, $M (P10–P90)", "Δ cost", "Feasibility"]
    # one line a row at 10 pt with the P10-P90 in brackets (rendered by LibreOffice:
    # docs/charts/deck-impact-table-slide.png); narrow cell margins leave the text the room
    widths = (2.6, 0.95, 2.9, 1.42, 0.62, 1.9, 0.88, 1.06)
    width = SLIDE_W - 2 * MARGIN
    shape = slide.shapes.add_table(len(rows) + 1, len(cols), MARGIN, Inches(PICTURE_TOP - 0.1),
                                   width, Inches(0.3 * (len(rows) + 1)))
    shape.name = "Impact table"
    table = shape.table
    for i, w in enumerate(widths):
        table.columns[i].width = Inches(w)
    for c, text in enumerate(cols):
        _cell(table.cell(0, c), text, bold=True, size=10)
        table.cell(0, c).margin_left = table.cell(0, c).margin_right = Inches(0.05)
    for r, row in enumerate(rows, start=1):
        cells = [row.regime,  # the id: unique (elided titles read alike), as `chokepoint impact`
                 VERDICT_WORDS.get(row.verdict, row.verdict),
                 row.route or "no compliant route",
                 days_range(row),
                 "" if row.base else _signed_days(row.delta_days),
                 cost_range(row),
                 "" if row.base else _signed_usd(row.delta_cost_usd),
                 "(its own)" if row.base else row.feasibility]
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            _cell(cell, text, size=10, bold=row.base or (c == 2 and row.fallback),
                  align=PP_ALIGN.RIGHT if 3 <= c <= 6 else PP_ALIGN.LEFT)
            cell.margin_left = cell.margin_right = Inches(0.05)
    return True


SOLVER_ROWS = 10  # options that fit the slide at 11 pt


def _usd_m(v: float | None) -> str:
    return "—" if v is None else f"${v / 1e6:,.1f}M"


def solver_cells(row: dict) -> list[str]:
    """One option of ``core.solve.solve_scenario`` as the solver slide's row (tests compare)."""
    n = row.get("min_count")
    if "min_count" not in row:
        smallest = "—"
    elif n is None:
        smallest = "none"
    else:
        smallest = f"{n:,}"
    reach = row.get("reachable_by_deadline")
    budget_n = row.get("budget_max_count")
    return [row["option"], row["policy_status"].replace("_", " "), f"{row['held']:,}",
            "—" if row.get("wall_clock_days") is None else f"{row['wall_clock_days']:,.0f}",
            smallest,
            "—" if row.get("min_count_days") is None else f"{row['min_count_days']:,.0f}",
            _usd_m(row.get("min_count_cost_usd")),
            row.get("latest_start") or "—",
            "—" if not reach else f"{reach['training_flops']:.2e}",
            "—" if budget_n is None else f"{budget_n:,} ({row['budget_max_count_days']:,.0f} d)"]


def solver_summary(answer: dict) -> str:
    """The lines under the solver table: the cheapest compliant option at its smallest count
    (or why none), the fastest within the budget, a compute target."""
    lines = []
    if answer.get("cheapest_meeting"):
        cost = answer.get("cheapest_meeting_cost_usd")
        lines.append("Cheapest compliant option meeting the deadline"
                     + (" and budget" if answer.get("budget_usd") is not None else "")
                     + f": {answer['cheapest_meeting']} at {answer['cheapest_meeting_count']:,} "
                     f"chips, {answer.get('cheapest_meeting_days') or 0:,.0f} days, {_usd_m(cost)}"
                     + (f" ({answer['cheapest_note']})" if answer.get("cheapest_note") else ""))
    elif answer.get("fastest_within_budget"):
        lines.append(f"Fastest compliant option within the budget: "
                     f"{answer['fastest_within_budget']} at "
                     f"{answer['fastest_within_budget_count']:,} chips, "
                     f"{answer['fastest_within_budget_days']:,.0f} days")
    if answer.get("reason"):
        lines.append(f"Nothing meets it: {answer['reason']}")
    return "\n".join(lines)


def solver_slide(prs, charts: ChartSet, source: str) -> bool:
    """What it would take (``core.solve.solve_scenario`` for the scenario's own deadline and
    budget): per option the smallest count that meets the deadline with its days and cost, the
    latest start, the compute reachable as held and the largest count within the budget; the
    cheapest compliant option under the table. False when the scenario sets neither."""
    a = charts.answers
    answer = None if a is None else a.solver
    if not answer:
        return False
    rows = answer["options"][:SOLVER_ROWS]
    deadline = answer.get("deadline_days")
    budget = answer.get("budget_usd")
    limits = ", ".join(
        ([f"deadline {answer.get('deadline', '')} ({deadline:,.0f} days)"]
         if deadline is not None else [])
        + ([f"budget {_usd_m(budget)}"] if budget is not None else []))
    note = ("Each figure is an evaluation of the scenario (chokepoint solve): the smallest count "
            "meets the deadline and one fewer does not; started on the latest start it finishes "
            "by the deadline and a day later it does not (the policy of that date applied); the "
            "compute is what the fleet as held trains by the deadline (1 % more does not "
            "finish); the budget column is the largest count whose run stays within the budget, "
            "with its days. Blocked options are shown for what the rules take away.")
    from app.charts.base import elide

    slide = _frame(prs, "What would it take",
                   f"Scenario: {elide(charts.scenario.name, 48)} — {limits}",
                   note, source, charts.marking)
    cols = ["Option", "Policy", "Held", "Days as held", "Smallest count", "Its days",
            "Its cost", "Latest start", "FLOP by deadline", "Within budget"]
    widths: tuple[float, ...] = (3.3, 0.95, 0.75, 0.8, 0.95, 0.7, 0.85, 1.2, 1.05, 1.78)
    if budget is None:  # no budget: no column for it
        cols = cols[:-1]
        widths = (3.6, 1.0, 0.8, 1.0, 1.2, 0.9, 1.0, 1.35, 1.483)
    shape = slide.shapes.add_table(len(rows) + 1, len(cols), MARGIN, Inches(PICTURE_TOP - 0.1),
                                   SLIDE_W - 2 * MARGIN, Inches(0.3 * (len(rows) + 1)))
    shape.name = "Solver table"
    table = shape.table
    for i, w in enumerate(widths):
        table.columns[i].width = Inches(w)
    for c, text in enumerate(cols):
        _cell(table.cell(0, c), text, bold=True, size=11)
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(solver_cells(row)[:len(cols)]):
            _cell(table.cell(r, c), text, size=11,
                  bold=c == 0 and row["option"] == answer.get("cheapest_meeting"),
                  align=PP_ALIGN.RIGHT if 2 <= c <= 9 else PP_ALIGN.LEFT)
    text = solver_summary(answer)
    if text:
        top = PICTURE_TOP - 0.1 + 0.42 * (len(rows) + 1) + 0.2
        _box(slide, "Solver summary", MARGIN, Inches(top), SLIDE_W - 2 * MARGIN, Inches(0.8),
             text, 13, bold=True)
    return True


def _chart_slides(prs, name: str, charts: ChartSet, source: str, width_px: int) -> None:
    """The chart's slide, then the slide that goes with it: the impact table after the
    policy-impact chart, the scenarios compared input by input after the comparison chart (two
    or more scenarios), and the user's sweep after the Pareto chart (the window's decks). The
    solver slide follows the impact table when the scenario has a deadline or a budget."""
    _chart_slide(prs, name, charts, source, width_px)
    if name == "policy-impact":
        impact_table_slide(prs, charts, source)
        solver_slide(prs, charts, source)
    elif name == "comparison" and len(charts.scenarios) >= 2:
        from core.compare import compare

        comparison_slide(prs, compare(charts.scenarios, None, charts.results), charts.project,
                         charts.marking, source)
    elif name == "pareto" and charts.sweep is not None:
        _chart_slide(prs, "sweep", charts, source, width_px)


def export_deck(charts: ChartSet, path: str | Path, names: list[str] | None = None,
                width_px: int = 1920, file_name: str | None = None,
                scenarios: list[ChartSet] | None = None) -> Path:
    """Summary slide, then one slide per chart in ``names`` (default: all), each followed by its
    companion slide where it has one (``_chart_slides``). With ``scenarios``
    (the ChartSet of each scenario, e.g. ``every_scenario``): the project-wide charts once, then
    the per-scenario charts of every scenario, scenario by scenario."""
    names = list(names or CHARTS)
    for n in names:
        if n not in CHARTS:
            raise InputError("--chart", f"unknown chart {n!r}; one of {', '.join(CHARTS)}, all")
    path = Path(path)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = xml_safe(f"{charts.project} — Chokepoint charts")
    prs.core_properties.author = "Chokepoint"
    source = source_line(charts.project, file_name)
    _summary_slide(prs, charts, source)
    if scenarios is None:
        for n in names:
            _chart_slides(prs, n, charts, source, width_px)
    else:
        for n in names:
            if n not in PER_SCENARIO:
                _chart_slides(prs, n, charts, source, width_px)
        for one in scenarios:
            for n in names:
                if n in PER_SCENARIO:
                    _chart_slides(prs, n, one, source, width_px)
    data = io.BytesIO()
    prs.save(data)
    return write_export(path, data.getvalue())
