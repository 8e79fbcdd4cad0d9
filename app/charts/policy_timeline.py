"""Chart 6: which accelerator types the scenario's entity may use at each site over time, with
the rule changes marked. Colour = accelerator (as everywhere); the status is the fill and is
written on each span."""

from __future__ import annotations

import datetime as dt

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetricsF

from app.charts.bars import text_colour_on, vline
from app.charts.base import Chart, faded
from app.theme import accelerator_style
from core.chart_data import ChartSet

STATUS_WORDS = {"usable": "usable", "needs_license": "needs licence", "blocked": "blocked",
                "unknown": "status unknown"}


def fit_beside(text: str, frac: float, plot_px: float, fm: QFontMetricsF) -> tuple[str, bool]:
    """A label for a vertical line at ``frac`` of a plot ``plot_px`` wide: (text, True) to put it
    right of the line, (text, False) to put it left. When neither side has room for it on one
    line, a trailing "(date)" goes on a second line; only if that does not fit either is the
    text shortened with an ellipsis."""
    room_right, room_left = plot_px * (1 - frac), plot_px * frac
    pad = fm.horizontalAdvance("  ") + 10  # the spaces around the text and the label's own margin
    name, sep, rest = text.rpartition(" (")
    candidates = [text] + ([f"{name}\n({rest}"] if sep else [])
    for cand in candidates:
        need = max(fm.horizontalAdvance(line) for line in cand.split("\n")) + pad
        if need <= room_right and (frac < 0.62 or need > room_left):
            return cand, True
        if need <= room_left:
            return cand, False
    right = room_right >= room_left
    room = max(10.0, max(room_right, room_left) - pad)
    lines = candidates[-1].split("\n")
    return "\n".join(fm.elidedText(line, Qt.TextElideMode.ElideRight, room) for line in lines), right


LEVELS = 3  # rows of rule-change labels above the bars


def label_levels(labels: list[tuple[float, bool, float]]) -> list[int]:
    """A row (1 = lowest) for each rule-change label ``(x_px, right_of_line, width_px)`` such
    that no label is crossed by another label's line (a line stops at its own label, so a line
    inside a label's span must end lower) and no two labels in one row overlap. A label that
    would need more than ``LEVELS`` rows gets ``LEVELS + 1`` (drawn opaque over the lines)."""
    spans = [(x, x + w) if right else (x - w, x) for x, right, w in labels]
    level = [1] * len(labels)
    for _ in range(len(labels) + 1):
        changed = False
        for i, (a, b) in enumerate(spans):
            need = 1
            for j, (x, _r, _w) in enumerate(labels):
                if j == i:
                    continue
                inside = a < x < b  # j's line runs through i's span: i goes above it
                # overlapping spans with neither line inside the other: the later one goes above
                overlap = (j < i and a < spans[j][1] and spans[j][0] < b
                           and not spans[j][0] < labels[i][0] < spans[j][1])
                if inside or overlap:
                    need = max(need, level[j] + 1)
            need = min(need, LEVELS + 1)
            if need != level[i]:
                level[i], changed = need, True
        if not changed:
            break
    return level


def choose_sides(labels: list[tuple[float, bool, float]], plot_px: float) -> list[bool]:
    """Right (True) or left of its line for each label ``(x_px, preferred_right, width_px)``:
    of the sides where each fits, the choice needing fewest opaque labels, then fewest rows,
    then fewest labels off their preferred side (all choices tried up to 10 labels)."""
    import itertools

    options = []
    for x, right, w in labels:
        other = ((not right) and x + w <= plot_px) or (right and x - w >= 0)
        options.append([right, not right] if other else [right])
    if len(labels) > 10:
        return [o[0] for o in options]
    best, best_score = [o[0] for o in options], None
    for combo in itertools.product(*options):
        levels = label_levels([(x, r, w) for (x, _p, w), r in zip(labels, combo, strict=True)])
        score = (sum(v > LEVELS for v in levels), max(levels, default=0),
                 sum(r != p for (_x, p, _w), r in zip(labels, combo, strict=True)))
        if best_score is None or score < best_score:
            best, best_score = list(combo), score
    return best


def ts(d: dt.date) -> float:
    return dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC).timestamp()


class PolicyTimelineChart(Chart):
    name = "policy-timeline"
    title = "Policy timeline: usable accelerators over time"

    def subtitle(self, charts: ChartSet) -> str:
        s = charts.scenario
        return (f"Scenario: {s.name} — end user headquartered in {s.hq}, regime "
                f"'{s.policy.regime}'")

    def draw(self, charts: ChartSet, body):
        t = self.theme
        tl = charts.timeline
        n = len(tl.rows)
        plot = self.new_plot(body, "Date (year)",
                             axis_items={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.category_axis(plot, [f"{r.accelerator} @ {r.site} ({r.access})" for r in tl.rows],
                           width_chars=18)
        x0, x1 = ts(tl.start), ts(tl.end)
        span_px = max(1.0, x1 - x0)
        self._rows = tl.rows
        self._names = tl.rule_names
        for i, row in enumerate(tl.rows):
            y = n - 1 - i
            colour, _sym = accelerator_style(row.accelerator)
            brush: str | QColor
            for sp in row.spans:
                a, b = ts(sp.start), ts(sp.end)
                if sp.status == "usable":
                    brush, pen, ink = colour, t.pen(t.foreground, t.bar_pen), text_colour_on(colour)
                elif sp.status == "needs_license":
                    brush = faded(colour, 0.35)
                    pen = t.pen(colour, t.bar_pen * 2, Qt.PenStyle.DashLine)
                    ink = t.foreground
                elif sp.status == "unknown":  # neither usable nor blocked: hatched-looking dash-dot
                    brush = faded(colour, 0.15)
                    pen = t.pen(colour, t.bar_pen * 2, Qt.PenStyle.DashDotLine)
                    ink = t.foreground
                else:
                    brush = t.background
                    pen = t.pen(colour, t.bar_pen * 2.5, Qt.PenStyle.DotLine)
                    ink = t.foreground
                plot.addItem(pg.BarGraphItem(x0=[a], y=[y], width=[b - a], height=0.56,
                                             brush=brush, pen=pen))
                if (b - a) / span_px > 0.1:
                    self.label_at(plot, (a + b) / 2, y, STATUS_WORDS[sp.status], anchor=(0.5, 0.5),
                                  bold=True, colour=ink)
        # the plot's width in pixels (the chart less its margins and the row-name axis), so each
        # label goes on the side of its line where it fits, shortened only if neither side does
        axis = plot.getAxis("left")
        plot_px = max(120.0, self.width() - 2 * t.margin - max(axis.width(), axis.minimumWidth()) - 20)
        fm = QFontMetricsF(t.font(t.legend_px))
        labels = []
        for day, rid in tl.changes:
            frac = (ts(day) - x0) / span_px
            text, right = fit_beside(f"{self._names.get(rid, rid)} ({day:%d %b %Y})", frac, plot_px, fm)
            text = "\n".join(f" {line} " for line in text.split("\n"))
            labels.append((frac * plot_px, text, right,
                           max(fm.horizontalAdvance(line) for line in text.split("\n")) + 10))
        # the side fit_beside chose, or the other where the label fits there too, whichever
        # lets no label be crossed by a line in the fewest rows
        sides = choose_sides([(x, right, w) for x, _t, right, w in labels], plot_px)
        labels = [(x, text, right, w) for (x, text, _r, w), right in zip(labels, sides, strict=True)]
        levels = label_levels([(x, right, w) for x, _t, right, w in labels])
        top = max(levels, default=1)
        for (day, _rid), (_x, text, right, _w), level in zip(tl.changes, labels, levels, strict=True):
            x = ts(day)
            yl = n - 0.55 + 0.42 * level
            # each line stops at its own label: a label higher up is never crossed by it
            # and starts at the bars, above the scenario-date label below them
            plot.addItem(pg.PlotDataItem([x, x], [-0.32, yl + 0.1], pen=t.pen(
                t.muted, max(1.5, t.line_width * 0.5), Qt.PenStyle.DashLine)))
            self.label_at(plot, x, yl, text, anchor=(0, 0.5) if right else (1, 0.5),
                          opaque=level > LEVELS)  # only where no order of levels was found
        text, right = fit_beside(f"scenario date {tl.scenario_date:%d %b %Y}", (ts(tl.scenario_date) - x0) / span_px,
                                 plot_px, QFontMetricsF(t.font(t.legend_px, True)))
        vline(self, plot, ts(tl.scenario_date), text, -0.36, style=Qt.PenStyle.SolidLine, right=right)
        plot.setXRange(x0, x1, padding=0)
        plot.setYRange(-0.95, n - 0.4 + 0.42 * min(top, LEVELS + 1) + 0.2, padding=0)
        legend = [(self.swatch("box", t.foreground, fill=t.muted), "usable (solid)"),
                  (self.swatch("box", t.muted, fill=faded(t.muted, 0.35),
                               style=Qt.PenStyle.DashLine), "needs a licence (faded, dashed)"),
                  (self.swatch("box", t.muted, fill=t.background, style=Qt.PenStyle.DotLine),
                   "blocked (outline only)"),
                  (self.swatch("rule", t.muted, style=Qt.PenStyle.DashLine), "rule change")]
        if any(sp.status == "unknown" for row in tl.rows for sp in row.spans):
            legend.insert(3, (self.swatch("box", t.muted, fill=faded(t.muted, 0.15), style=Qt.PenStyle.DashDotLine),
                              "status unknown (faint, dash-dot)"))
        notes = ["Each bar has its accelerator's colour (the same in every chart); the fill and "
                 "the word on it give the status for this entity at this site."]
        if tl.hypothetical_from:
            notes.append(f"Hypothetical rules of the regime apply from {tl.hypothetical_from:%d %b %Y}"
                         " (the scenario's choice), not before.")
        return legend, notes

    def hover_text(self, _plot_index, x, y):
        rows = getattr(self, "_rows", [])
        n = len(rows)
        i = n - 1 - round(y)
        if not 0 <= i < n or abs(y - round(y)) > 0.3:
            return None
        row = rows[i]
        for sp in row.spans:
            if ts(sp.start) <= x < ts(sp.end):
                rule = f"; decisive rule: {self._names.get(sp.rule_id, sp.rule_id)} ({sp.rule_id})" \
                    if sp.rule_id else "; no rule applies"
                return (f"{row.accelerator} @ {row.site} ({row.access})\n"
                        f"{sp.start:%d %b %Y} to {sp.end:%d %b %Y}: {STATUS_WORDS[sp.status]}{rule}")
        return None
