"""Chart 3: days and cost of every scenario side by side, coloured by verdict (and saying it)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from app.charts.bars import (
    add_bar,
    add_whisker,
    category_axis_px,
    clear_of_line,
    label_room,
    whisker_legend,
)
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
        day_labels: list[tuple[float, str]] = []
        day_rows: list[int] = []
        cost_labels: list[tuple[float, str]] = []
        for i, r in enumerate(rows):
            y = n - 1 - i
            colour = CHART_VERDICT.get(r.verdict, t.muted)
            words = verdict_words(r.verdict, r.hypothetical)
            if r.days is not None:
                add_bar(self, days, 0, y, r.days, colour, r.hypothetical)
                add_whisker(self, days, y, r.days_p10, r.days_p90)
                text = f" {r.days:,.0f} days"
                day_labels.append((max(r.days, r.days_p90 or 0.0), text))
                day_rows.append(y)
                dmax = max(dmax, r.days_p90 or r.days, r.days)
            else:
                self.label_at(days, 0, y, f"  no plan fits · {words}", bold=True)
            if r.cost_usd is not None:
                add_bar(self, cost, 0, y, r.cost_usd / 1e6, colour, r.hypothetical)
                add_whisker(self, cost, y, None if r.cost_p10 is None else r.cost_p10 / 1e6,
                              None if r.cost_p90 is None else r.cost_p90 / 1e6)
                text = f"  {fmt_usd(r.cost_usd)}"
                self.label_at(cost, max(r.cost_usd, r.cost_p90 or 0.0) / 1e6, y, text, bold=True)
                cost_labels.append((max(r.cost_usd, r.cost_p90 or 0.0) / 1e6, text))
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
        # columns 3:2 (above), the names' axis inside the first (measured: ~62 % / 38 % of the
        # width); labels after the whiskers get room, a fixed margin is the minimum
        w = self.width()
        if stacked:  # each plot the whole width beside its names
            days_px = cost_px = w - category_axis_px(days) - 25
        else:
            days_px = w * 0.62 - category_axis_px(days) - 15
            cost_px = min(w * 0.38 - 30, (w - category_axis_px(days)) * 0.45)  # narrow: the axis wins
        right = label_room(self, days, day_labels, dtop, 1.65, days_px)
        if shared is not None:  # a label the deadline would cross starts past it instead
            for _ in range(3):
                day_labels = clear_of_line(self, day_labels, shared, right, days_px)
                right = label_room(self, days, day_labels, dtop, 1.65, days_px)
        for y, (x, text) in zip(day_rows, day_labels, strict=True):
            self.label_at(days, x, y, text, bold=True)
        days.setXRange(0, right, padding=0)
        cost.setXRange(0, label_room(self, cost, cost_labels, cmax, 1.6, cost_px), padding=0)
        for p in (days, cost):
            p.setYRange(-0.6, n - 0.4, padding=0)
        if not stacked:
            cost.setYLink(days)
        legend = [(self.swatch("box", CHART_VERDICT[v]), VERDICT_STYLE[v][2])
                  for v in ("feasible", "needs_license", "unknown", "infeasible")
                  if v != "unknown" or any(r.verdict == "unknown" for r in rows)]
        if any(r.days_p10 is not None for r in rows):
            legend.append(whisker_legend(self))
        if any(r.hypothetical for r in rows):
            legend.append((self.swatch("box", t.foreground, fill=t.background),
                           "faded, dashed: not allowed (hypothetical)"))
        return legend + marker, []

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
