"""Chart 1: days to train against the number of accelerators, one line per accelerator type the
scenario holds, with the deadline and the policy status of each type."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from app.charts.base import Chart, faded, fmt_count, nice_log_ticks
from app.theme import accelerator_style
from core.chart_data import ChartSet

STATUS_STYLE = {  # line style, suffix in the legend
    "usable": (Qt.PenStyle.SolidLine, ""),
    "needs_license": (Qt.PenStyle.DashLine, " (needs licence)"),
    "blocked": (Qt.PenStyle.DotLine, " (blocked)"),
    "unknown": (Qt.PenStyle.DashDotLine, " (status unknown)"),
}


class TimeVsCountChart(Chart):
    name = "time-vs-count"
    title = "Time to train vs. number of accelerators"

    def subtitle(self, charts: ChartSet) -> str:
        return f"Scenario: {charts.scenario.name}"

    def draw(self, charts: ChartSet, body):
        t = self.theme
        data = charts.time_vs_count
        plot = self.new_plot(body, "Number of accelerators (log scale)",
                             "Days to train (log scale)")
        plot.showGrid(x=True, y=True, alpha=0.25)
        legend, notes = [], []
        banded = False
        labelled: dict[int, list[tuple[float, bool]]] = {}  # count -> (days, label right)
        self._points: list[tuple[float, float, str]] = []  # (log count, log days, hover text)
        counts, days = set(), []
        for s in data.series:
            colour, symbol = accelerator_style(s.accelerator)
            style, suffix = STATUS_STYLE[s.status]
            name = f"{s.accelerator} @ {s.site}{suffix}"
            xs = np.array([math.log10(p.count) for p in s.points])
            ys = np.array([math.log10(p.days) if p.days else np.nan for p in s.points])
            hollow = s.status != "usable"
            brush = pg.mkBrush(t.background) if hollow else pg.mkBrush(colour)
            if not hollow and s.p90_factor > s.p10_factor:  # the P10–P90 band, shaded
                ok = np.isfinite(ys)
                if ok.sum() >= 2:
                    lo_curve = pg.PlotDataItem(xs[ok], ys[ok] + math.log10(s.p10_factor))
                    hi_curve = pg.PlotDataItem(xs[ok], ys[ok] + math.log10(s.p90_factor))
                    plot.addItem(pg.FillBetweenItem(lo_curve, hi_curve,
                                                    brush=pg.mkBrush(faded(colour, 0.18))))
                    banded = True
            plot.plot(xs, ys, pen=t.pen(colour, t.line_width, style),
                      symbol=symbol, symbolSize=t.marker_size, symbolBrush=brush,
                      symbolPen=t.pen(colour, max(1.5, t.line_width * 0.6)),
                      connect="finite")
            held = next((p for p in s.points if p.count == s.held and p.days), None)
            if held is not None and held.days:  # ring round the fleet's own size
                plot.plot([math.log10(held.count)], [math.log10(held.days)], pen=None,
                          symbol="o", symbolSize=t.marker_size * 2.2, symbolBrush=pg.mkBrush(0, 0, 0, 0),
                          symbolPen=t.pen(colour, max(1.5, t.line_width * 0.6)))
                x = math.log10(held.count)
                lo, hi = math.log10(min(q.count for q in s.points)), math.log10(max(
                    q.count for q in s.points))
                right = x > lo + 0.55 * (hi - lo)  # label on the side with room
                labelled.setdefault(held.count, []).append((held.days, right))
            legend.append((self.swatch("line", colour, style=style, symbol=symbol,
                                       fill=t.background if hollow else None), name))
            for p in s.points:
                counts.add(p.count)
                if p.days:
                    days.append(p.days)
                    gpuh = "" if p.gpu_hours is None else f", {p.gpu_hours / 1e6:,.2f}M GPU-hours"
                    tip = f"{name}\n{p.count:,} chips → {p.days:,.1f} days{gpuh}"
                    self._points.append((math.log10(p.count), math.log10(p.days), tip))
            if any(not p.feasible for p in s.points):
                small = [p.count for p in s.points if not p.feasible]
                notes.append(f"{s.accelerator}: no plan fits on {fmt_count(min(small))}"
                             + (f"–{fmt_count(max(small))}" if max(small) != min(small) else "")
                             + " chips (memory); those points are left out.")
        # one label per held count, under its lowest point, the days of every series held there
        # longest first (the order of their points from the top): two labels stacked each under
        # its own point collided (68 and 93 days at 4,096 chips), and a stack under the lowest
        # point ran out of a slide's short plot
        for count, held_days in labelled.items():
            ordered = sorted(held_days, key=lambda h: -h[0])
            right = ordered[-1][1]
            text = (f"{fmt_count(count)} held: "
                    + " / ".join(f"{d:,.0f}" for d, _ in ordered) + " days")
            self.label_at(plot, math.log10(count), math.log10(ordered[-1][0]),
                          f"{text}  " if right else f"  {text}",
                          anchor=(1, -0.25) if right else (0, -0.25), colour=t.foreground,
                          bold=True)
        if data.deadline_days:
            days.append(data.deadline_days)
            self.hline(plot, math.log10(data.deadline_days),
                       f"deadline {data.deadline_days:,.0f} days", position=0.03, left=True)
            legend.append((self.swatch("rule", t.foreground, style=Qt.PenStyle.DashLine),
                           "deadline"))
        if not days:
            return legend, ["No accelerator count in the sweep gives a plan that fits."]
        powers = sorted(c for c in counts if c & (c - 1) == 0)
        step = 2 if len(powers) > 10 else 1
        plot.getAxis("bottom").setTicks([[(math.log10(c), fmt_count(c)) for c in powers[::step]],
                                         []])
        lo, hi = min(days) / 1.4, max(days) * 1.4
        yticks = [(math.log10(v), f"{v:,.0f}") for v in nice_log_ticks(lo, hi)]
        plot.getAxis("left").setTicks([yticks, []])
        self.fit_left_axis(plot, [s for _v, s in yticks])
        plot.setXRange(math.log10(min(counts)) - 0.12, math.log10(max(counts)) + 0.16, padding=0)
        plot.setYRange(math.log10(lo), math.log10(hi), padding=0)
        if banded:
            legend.append((self.swatch("box", t.muted, fill=faded(t.muted, 0.25)),
                           "shaded: P10–P90"))
        statuses = {s.status for s in data.series}
        if "blocked" in statuses:
            notes.append("Dotted line, hollow markers: blocked by the policy regime — drawn to show "
                         "what the rules cost, not a route the scenario may take.")
        if "needs_license" in statuses:
            notes.append("Dashed line: needs a licence — only if it is granted.")
        if "unknown" in statuses:
            notes.append("Dash-dot line: a rule whose status is not sourced decides — a route only if "
                         "it does not apply.")
        return legend, notes

    def hover_text(self, _plot_index, x, y):
        best, dist = None, 0.12
        for px, py, tip in getattr(self, "_points", []):
            d = math.hypot(px - x, py - y)
            if d < dist:
                best, dist = tip, d
        return best
