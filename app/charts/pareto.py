"""Chart 9: cost against time of every usable option at fractions of the chips it holds; the
frontier (no point both faster and cheaper) joined. Drawn from ``core.sensitivity.pareto``."""

from __future__ import annotations

import itertools

import pyqtgraph as pg

from app.charts.base import Chart
from app.theme import accelerator_style
from core.chart_data import ChartSet

# Okabe-Ito: distinguishable in colour-blind vision and in greyscale print
OPTION_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")


class ParetoChart(Chart):
    name = "pareto"
    title = "Cost against time of every option"

    def subtitle(self, charts: ChartSet) -> str:
        return (f"Scenario: {charts.scenario.name} — each option at ¼, ½, ¾ and all of its "
                "chips; hollow: not allowed under the policy")

    def draw(self, charts: ChartSet, body):
        t = self.theme
        a = charts.answers
        points = [] if a is None else a.frontier
        if not points:
            body.addItem(self.text("no option with a price" if a else "not computed",
                                   t.label_px, colour=t.muted, justify="center"))
            return [], []
        plot = self.new_plot(body, "Days to train", "Cost, USD millions")
        plot.showGrid(x=True, y=True, alpha=0.25)
        legend = []
        ends: list = []  # the ends of each option's line: labelled with their chip counts
        self._points = points
        for k, option in enumerate(dict.fromkeys(p.option for p in points)):
            mine = [p for p in points if p.option == option]
            _, symbol = accelerator_style(mine[0].accelerator)
            colour = OPTION_COLOURS[k % len(OPTION_COLOURS)]  # distinct per option on this chart
            allowed = mine[0].status == "usable"
            style = pg.QtCore.Qt.PenStyle.SolidLine if allowed else pg.QtCore.Qt.PenStyle.DotLine
            plot.plot([p.days for p in mine], [p.cost_usd / 1e6 for p in mine],
                      pen=t.pen(colour, t.line_width * (0.5 if allowed else 0.8), style),
                      symbol=symbol, symbolSize=t.marker_size * (1.0 if allowed else 1.3),
                      symbolBrush=pg.mkBrush(colour if allowed else t.background),
                      symbolPen=t.pen(colour, max(1.5, t.line_width * (0.5 if allowed else 0.9))))
            legend.append((self.swatch("line", colour, symbol=symbol, style=style), option))
            ends.extend((p, option) for p in ((mine[0], mine[-1]) if len(mine) > 1 else mine))
        front = sorted((p for p in points if p.on_frontier), key=lambda p: p.days)
        if len(front) > 1:
            plot.plot([p.days for p in front], [p.cost_usd / 1e6 for p in front],
                      pen=t.pen(t.foreground, t.line_width * 0.6, pg.QtCore.Qt.PenStyle.DashLine))
            legend.append((self.swatch("rule", t.foreground,
                                       style=pg.QtCore.Qt.PenStyle.DashLine), "frontier"))
        xs = [p.days for p in points]
        ys = [p.cost_usd / 1e6 for p in points]
        # a count goes above its point unless another option's line runs through that place
        # (the "2,048" of the H800s sat on the Ascend line); then below; opaque either way
        room = max(ys) * 1.2 * 0.14
        lines = {o: sorted((p.days, p.cost_usd / 1e6) for p in points if p.option == o)
                 for o in dict.fromkeys(p.option for p in points)}
        for p, option in ends:
            y = p.cost_usd / 1e6
            others = [v for o, line in lines.items() if o != option
                      if (v := _at(line, p.days)) is not None]
            above = any(y < v <= y + room for v in others)
            below = any(y - room <= v < y for v in others)
            under = above and not below and y - room > 0
            self.label_at(plot, p.days, y, f"{p.count:,}", anchor=(0.5, -0.3) if under else (0.5, 1.3),
                          opaque=True)
        plot.setXRange(0, max(xs) * 1.15, padding=0)
        plot.setYRange(0, max(ys) * 1.2, padding=0)
        return legend, ["Numbers: chips used at each end of an option's line. The frontier joins the allowed "
                        "options no other allowed option beats on both time and cost."]

    def hover_text(self, _plot_index, x, y):
        pts = getattr(self, "_points", [])
        if not pts:
            return None
        xs = max(p.days for p in pts) or 1.0
        ys = max(p.cost_usd for p in pts) / 1e6 or 1.0
        best = min(pts, key=lambda p: ((p.days - x) / xs) ** 2 + ((p.cost_usd / 1e6 - y) / ys) ** 2)
        if abs(best.days - x) / xs > 0.05 or abs(best.cost_usd / 1e6 - y) / ys > 0.05:
            return None
        return (f"{best.option}\n{best.count:,} chips: {best.days:,.1f} days, "
                f"${best.cost_usd:,.0f}" + ("\non the frontier" if best.on_frontier else ""))


def _at(line: list[tuple[float, float]], x: float) -> float | None:
    """The height of a polyline (sorted by x) at ``x``; None outside it (a single point counts
    within 3 % of its x)."""
    if len(line) == 1:
        px, py = line[0]
        return py if abs(px - x) <= 0.03 * max(abs(px), 1.0) else None
    for (x0, y0), (x1, y1) in itertools.pairwise(line):
        if x0 <= x <= x1:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return None
