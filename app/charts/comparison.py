"""Chart 3: days and cost of every scenario side by side, coloured by verdict (and saying it)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from app.charts.bars import add_bar
from app.charts.base import Chart, elide, fmt_usd
from app.charts.cost import verdict_words
from app.theme import CHART_VERDICT, VERDICT_STYLE
from core.chart_data import ChartSet


class ComparisonChart(Chart):
    name = "comparison"
    title = "Scenario comparison: days and cost"

    def subtitle(self, charts: ChartSet) -> str:
        return f"Project: {charts.project} — each scenario's chosen option"

    def draw(self, charts: ChartSet, body):
        t = self.theme
        rows = charts.comparison
        n = len(rows)
        names = [elide(r.scenario, 60) for r in rows]
        # side by side on a wide chart; one above the other in a narrow panel (the results column
        # at 1366x768), where two plots beside the names left no room for the values and titles
        stacked = self.width() < 640
        days = self.new_plot(body, "Days to train (wall-clock)", row=0, col=0)
        cost = self.new_plot(body, "Cost, USD millions", row=1 if stacked else 0, col=0 if stacked else 1)
        self.category_axis(days, names, width_chars=46)
        if stacked:
            self.category_axis(cost, names, width_chars=46)
        else:
            body.layout.setColumnStretchFactor(0, 3)
            body.layout.setColumnStretchFactor(1, 2)
            cost.getAxis("left").setStyle(showValues=False, tickLength=0)
            cost.getAxis("left").setWidth(2)
        for p in (days, cost):
            p.showGrid(x=True, alpha=0.25)
        self._rows = rows
        dmax = cmax = 0.0
        for i, r in enumerate(rows):
            y = n - 1 - i
            colour = CHART_VERDICT.get(r.verdict, t.muted)
            words = verdict_words(r.verdict, r.hypothetical)
            if r.days is not None:
                add_bar(self, days, 0, y, r.days, colour, r.hypothetical)
                self._whisker(days, y, r.days_p10, r.days_p90)
                self.label_at(days, max(r.days, r.days_p90 or 0.0), y, f" {r.days:,.0f} days ",
                              bold=True, opaque=True)
                dmax = max(dmax, r.days_p90 or r.days, r.days)
            else:
                self.label_at(days, 0, y, f"  no plan fits · {words}", bold=True)
            if r.cost_usd is not None:
                add_bar(self, cost, 0, y, r.cost_usd / 1e6, colour, r.hypothetical)
                self._whisker(cost, y, None if r.cost_p10 is None else r.cost_p10 / 1e6,
                              None if r.cost_p90 is None else r.cost_p90 / 1e6)
                self.label_at(cost, max(r.cost_usd, r.cost_p90 or 0.0) / 1e6, y,
                              f"  {fmt_usd(r.cost_usd)}", bold=True)
                cmax = max(cmax, (r.cost_p90 or r.cost_usd) / 1e6, r.cost_usd / 1e6)
            else:
                self.label_at(cost, 0, y, "  not computed")
        deadlines = {s.constraints.deadline_days for s in charts.scenarios}
        dtop = dmax
        marker = []
        shared = next(iter(deadlines)) if len(deadlines) == 1 else None
        if shared is not None:  # a shared deadline, keyed in the legend
            d = shared
            dtop = max(dmax, d)
            days.addItem(pg.InfiniteLine(pos=d, angle=90, pen=t.pen(
                t.foreground, max(1.5, t.line_width * 0.6), Qt.PenStyle.DashLine)))
            marker = [(self.swatch("rule", t.foreground, style=Qt.PenStyle.DashLine),
                       f"deadline {d:,.0f} days")]
        days.setXRange(0, max(dtop, 1e-6) * 1.65, padding=0)
        cost.setXRange(0, max(cmax, 1e-6) * 1.6, padding=0)
        for p in (days, cost):
            p.setYRange(-0.6, n - 0.4, padding=0)
        if not stacked:
            cost.setYLink(days)
        legend = [(self.swatch("box", CHART_VERDICT[v]), VERDICT_STYLE[v][2])
                  for v in ("feasible", "needs_license", "unknown", "infeasible")
                  if v != "unknown" or any(r.verdict == "unknown" for r in rows)]
        if any(r.days_p10 is not None for r in rows):
            legend.append((self.swatch("rule", t.foreground), "whiskers: P10–P90"))
        if any(r.hypothetical for r in rows):
            legend.append((self.swatch("box", t.foreground, fill=t.background),
                           "faded, dashed: not allowed (hypothetical)"))
        return legend + marker, []

    def _whisker(self, plot, y: float, lo: float | None, hi: float | None) -> None:
        """The P10–P90 range of a bar as a horizontal error bar with end caps."""
        if lo is None or hi is None:
            return
        t = self.theme
        mid = (lo + hi) / 2
        plot.addItem(pg.ErrorBarItem(x=np.array([mid]), y=np.array([float(y)]),
                                     width=np.array([hi - lo]), beam=0.25,
                                     pen=t.pen(t.foreground, max(1.5, t.line_width * 0.5))))

    def hover_text(self, _plot_index, _x, y):
        rows = getattr(self, "_rows", [])
        n = len(rows)
        i = n - 1 - round(y)
        if not 0 <= i < n or abs(y - round(y)) > 0.35:
            return None
        r = rows[i]
        days = "—" if r.days is None else f"{r.days:,.1f} days" + (
            "" if r.days_p10 is None or r.days_p90 is None
            else f" (P10–P90 {r.days_p10:,.0f}–{r.days_p90:,.0f})")
        cost = "not computed" if r.cost_usd is None else f"${r.cost_usd:,.0f}"
        gpuh = "—" if r.gpu_hours is None else f"{r.gpu_hours / 1e6:,.2f}M GPU-hours"
        return (f"{r.scenario}\n{r.option}\n{days}, {cost}, {gpuh}\n"
                f"Verdict: {verdict_words(r.verdict, r.hypothetical)}")
