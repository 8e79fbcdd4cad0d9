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
        levels = 3
        # the plot's width in pixels (the chart less its margins and the row-name axis), so each
        # label goes on the side of its line where it fits, shortened only if neither side does
        axis = plot.getAxis("left")
        plot_px = max(120.0, self.width() - 2 * t.margin - max(axis.width(), axis.minimumWidth()) - 20)
        for k, (day, rid) in enumerate(tl.changes):
            x = ts(day)
            yl = n - 0.55 + 0.42 * (levels - k % levels)
            plot.addItem(pg.InfiniteLine(pos=x, angle=90, pen=t.pen(t.muted, max(1.5, t.line_width * 0.5),
                                                                     Qt.PenStyle.DashLine)))
            text, right = fit_beside(f"{self._names.get(rid, rid)} ({day:%d %b %Y})", (x - x0) / span_px,
                                     plot_px, QFontMetricsF(t.font(t.legend_px)))
            self.label_at(plot, x, yl, "\n".join(f" {line} " for line in text.split("\n")),
                          anchor=(0, 0.5) if right else (1, 0.5))
        text, right = fit_beside(f"scenario date {tl.scenario_date:%d %b %Y}", (ts(tl.scenario_date) - x0) / span_px,
                                 plot_px, QFontMetricsF(t.font(t.legend_px, True)))
        vline(self, plot, ts(tl.scenario_date), text, -0.36, style=Qt.PenStyle.SolidLine, right=right)
        plot.setXRange(x0, x1, padding=0)
        plot.setYRange(-0.95, n - 0.4 + 0.42 * levels + 0.2, padding=0)
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
