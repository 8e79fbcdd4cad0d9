"""The Sweep chart: days (above) and cost (below) of a scenario as one numeric input goes from a
low to a high value, the value in use marked. Drawn from ``ChartSet.sweep``
(``core.sensitivity.sweep_range``, asked for in the window's Sweep tab); computes nothing."""

from __future__ import annotations

import math
import re

import pyqtgraph as pg
from PySide6.QtCore import Qt

from app.charts.base import Chart, fmt_usd
from app.theme import CHART_VERDICT
from core.chart_data import ChartSet
from core.compare import VERDICTS
from core.units import human

SCALES = ((1e12, "trillions"), (1e9, "billions"), (1e6, "millions"))


def axis_scale(top: float) -> tuple[float, str]:
    """Divide large inputs (tokens, budgets) so the ticks read as plain numbers."""
    for factor, word in SCALES:
        if abs(top) >= factor:
            return factor, word
    return 1.0, ""


def value_text(v: float, integer: bool = False) -> str:
    if integer:
        return f"{v:,.0f}"
    if abs(v) >= 1e6:
        return human(v)
    if v != 0 and abs(v) < 1e-3:
        return f"{v:.3g}"
    return f"{v:,.4g}"


def route_of(option: str) -> str:
    """An option's route without its chip count ("4,096 × H100-SXM @ MY" -> "H100-SXM @ MY"):
    a sweep of a count changes the count, not the route."""
    return re.sub(r"^[\d,]+ × ", "", option)


def sweep_subtitle(charts: ChartSet) -> str:
    """The scenario, the input and its range (the chart's subtitle; the slide's too)."""
    s = charts.sweep
    if s is None:
        return f"Scenario: {charts.scenario.name}"
    i = s.input
    return (f"Scenario: {charts.scenario.name} — {i.label} from "
            f"{value_text(s.low, i.integer)} to {value_text(s.high, i.integer)} "
            f"(in use: {value_text(i.current, i.integer)})")


class SweepChart(Chart):
    name = "sweep"
    title = "One input swept: days and cost"

    def subtitle(self, charts: ChartSet) -> str:
        return sweep_subtitle(charts)

    def draw(self, charts: ChartSet, body):
        t = self.theme
        s = charts.sweep
        if s is None or not s.points:
            # a plain LabelItem: it may grow, so the empty chart still fills its view
            body.addItem(pg.LabelItem("Pick an input and a range, then Sweep.",
                                      size=f"{t.label_px}px", color=t.muted, justify="center"))
            return [], []
        i = s.input
        factor, word = axis_scale(max(abs(s.low), abs(s.high)))
        x_label = i.label + (f" ({word})" if word else "")
        days = self.new_plot(body, x_label, "Days", row=0, col=0)
        cost = self.new_plot(body, x_label, "USD millions", row=1, col=0)
        days.getAxis("bottom").showLabel(False)  # one x title, under the lower plot
        self._sweep = s
        self._factor = factor
        verdicts: dict[str, None] = {}
        tops = {"days": [s.base_days or 0.0], "cost": [(s.base_cost or 0.0) / 1e6]}
        for plot, key, get in ((days, "days", lambda p: p.days),
                               (cost, "cost", lambda p: None if p.cost_usd is None
                                else p.cost_usd / 1e6)):
            plot.showGrid(x=True, y=True, alpha=0.25)
            xs = [p.value / factor for p in s.points]
            ys = [get(p) for p in s.points]
            # a gap where no estimate exists: the line breaks there
            plot.plot(xs, [math.nan if y is None else y for y in ys], connect="finite",
                      pen=t.pen(t.foreground, t.line_width * 0.6))
            for p, x, y in zip(s.points, xs, ys, strict=True):
                if y is None:
                    continue
                colour = CHART_VERDICT.get(p.verdict, t.muted)
                verdicts[p.verdict] = None
                plot.plot([x], [y], pen=None, symbol="o", symbolSize=t.marker_size,
                          symbolBrush=pg.mkBrush(colour),
                          symbolPen=t.pen(t.foreground, max(1.0, t.bar_pen)))
                tops[key].append(y)
            plot.addItem(pg.InfiniteLine(pos=i.current / factor, angle=90, pen=t.pen(
                t.foreground, max(1.5, t.line_width * 0.6), Qt.PenStyle.DashLine)))
            plot.setXRange(s.low / factor, s.high / factor, padding=0.04)
        if s.base_days is not None:
            days.plot([i.current / factor], [s.base_days], pen=None, symbol="o",
                      symbolSize=t.marker_size * 1.9, symbolBrush=None,
                      symbolPen=t.pen(t.foreground, max(1.5, t.line_width * 0.5)))
        if s.base_cost is not None:
            cost.plot([i.current / factor], [s.base_cost / 1e6], pen=None, symbol="o",
                      symbolSize=t.marker_size * 1.9, symbolBrush=None,
                      symbolPen=t.pen(t.foreground, max(1.5, t.line_width * 0.5)))
        limits = []  # named in the legend: a label on the line would crowd the short plots
        red = CHART_VERDICT["infeasible"]
        if s.deadline_days:
            days.addItem(pg.InfiniteLine(pos=s.deadline_days, angle=0, pen=t.pen(
                red, max(1.5, t.line_width * 0.6), Qt.PenStyle.DashLine)))
            tops["days"].append(s.deadline_days)
            limits.append((self.swatch("rule", red, style=Qt.PenStyle.DashLine),
                           f"deadline {s.deadline_days:,.0f} days"))
        if s.budget_usd:
            cost.addItem(pg.InfiniteLine(pos=s.budget_usd / 1e6, angle=0, pen=t.pen(
                red, max(1.5, t.line_width * 0.6), Qt.PenStyle.DashLine)))
            tops["cost"].append(s.budget_usd / 1e6)
            limits.append((self.swatch("rule", red, style=Qt.PenStyle.DashLine),
                           f"budget {fmt_usd(s.budget_usd)}"))
        days.setYRange(0, max(tops["days"]) * 1.3 or 1.0, padding=0)
        cost.setYRange(0, max(tops["cost"]) * 1.3 or 1.0, padding=0)
        # one left-axis width for both, so the two plots share their x positions
        ticks = [f"{v:,.0f}" for v in (max(tops["days"]) * 1.3, max(tops["cost"]) * 1.3)]
        for plot in (days, cost):
            self.fit_left_axis(plot, ticks)
        legend = [(self.swatch("box", CHART_VERDICT.get(v, t.muted)), VERDICTS.get(v, v))
                  for v in verdicts]
        legend.append((self.swatch("rule", t.foreground, style=Qt.PenStyle.DashLine),
                       f"in use: {value_text(i.current, i.integer)}"
                       + (f" ({i.note})" if i.note else "")))
        legend += limits
        missing = sum(1 for p in s.points if p.days is None)
        notes = [f"Each point is one evaluation of the scenario with only {i.key} changed "
                 f"({len(s.points)} points); its colour is the verdict at that value."
                 + (f" {missing} without an estimate (no plan fits): a gap in the line."
                    if missing else "")]
        routes = [route_of(p.option) for p in s.points if p.option and p.days is not None]
        if len(set(routes)) > 1:  # the best route changes along the sweep: say where
            spans = []
            for route in dict.fromkeys(routes):
                at = [p.value for p in s.points if p.option and route_of(p.option) == route
                      and p.days is not None]
                spans.append(f"{route} at {value_text(min(at), i.integer)}"
                             + ("" if min(at) == max(at) else
                                f"–{value_text(max(at), i.integer)}"))
            notes.append("The route changes along the sweep: " + "; ".join(spans) + ".")
        return legend, notes

    def hover_text(self, _plot_index, x, _y):
        s = getattr(self, "_sweep", None)
        if s is None or not s.points:
            return None
        factor = self._factor
        span = (s.high - s.low) / factor or 1.0
        p = min(s.points, key=lambda q: abs(q.value / factor - x))
        if abs(p.value / factor - x) > span * 0.03:
            return None
        days = "no estimate" if p.days is None else f"{p.days:,.1f} days"
        return (f"{s.input.key} = {value_text(p.value, s.input.integer)}\n{days}, "
                f"{fmt_usd(p.cost_usd)}\nVerdict: {VERDICTS.get(p.verdict, p.verdict)}"
                + (f"\nRoute: {p.option}" if p.option else ""))
