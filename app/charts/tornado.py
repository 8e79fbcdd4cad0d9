"""Chart 8: which assumption decides the answer — days (and cost) at each uncertain input's low
and high, largest swing on top. Drawn from ``core.sensitivity.tornado``; computes nothing."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from app.charts.base import Chart, elide, fmt_usd
from core.chart_data import ChartSet

LOW, HIGH = "#4C78A8", "#F58518"  # input at its low / high end


class TornadoChart(Chart):
    name = "tornado"
    title = "Sensitivity: which assumption decides it"

    def subtitle(self, charts: ChartSet) -> str:
        a = charts.answers
        base = "" if a is None or a.tornado.base_days is None else \
            f" — base {a.tornado.base_days:,.0f} days, {fmt_usd(a.tornado.base_cost)}"
        if a is not None and a.tornado.hypothetical:
            base += f" (hypothetical: {a.tornado.option} is not allowed)"
        return f"Scenario: {charts.scenario.name}{base}"

    def draw(self, charts: ChartSet, body):
        t = self.theme
        a = charts.answers
        if a is None or not a.tornado.bars or a.tornado.base_days is None:
            body.addItem(self.text("no allowed route to vary" if a else "not computed",
                                   t.label_px, colour=t.muted, justify="center"))
            return [], []
        tor = a.tornado
        bars = tor.bars
        n = len(bars)
        labels = [elide(f"{b.input} ({b.low_label} – {b.high_label})", 48) for b in bars]
        if t.name == "briefing":
            # a slide is wide and short: days and cost side by side, one set of row names, so
            # each row keeps the picture's height for its name (stacked they overlapped)
            days = self.new_plot(body, "Days to train", row=0, col=0)
            cost = self.new_plot(body, "Cost, USD millions", row=0, col=1)
            self.category_axis(days, labels, width_chars=40)
            left = cost.getAxis("left")
            left.setTicks([[(n - 1 - i, "") for i in range(n)], []])
            left.setStyle(tickLength=0)
            left.setWidth(max(6, t.tick_px // 2))
        else:
            # days above cost: each keeps the full width for its bars and its axis title
            days = self.new_plot(body, "Days to train", row=0, col=0)
            cost = self.new_plot(body, "Cost, USD millions", row=1, col=0)
            for plot in (days, cost):
                self.category_axis(plot, labels, width_chars=40)
        self._bars = bars
        base_days: float = tor.base_days or 0.0
        base_cost: float = (tor.base_cost or 0.0) / 1e6
        spans: dict[str, list[float]] = {"days": [base_days], "cost": [base_cost]}
        for k, b in enumerate(bars):
            y = n - 1 - k
            for plot, lo, hi, base, key, scale in (
                    (days, b.days_low, b.days_high, tor.base_days, "days", 1.0),
                    (cost, b.cost_low, b.cost_high, tor.base_cost, "cost", 1e6)):
                if base is None:
                    continue
                for value, colour in ((lo, LOW), (hi, HIGH)):
                    if value is None:
                        continue
                    v = value / scale
                    x0, w = (v, base / scale - v) if v < base / scale else (base / scale,
                                                                            v - base / scale)
                    if w > 0:
                        plot.addItem(pg.BarGraphItem(x0=[x0], y=[y], width=[w], height=0.6,
                                                     brush=colour,
                                                     pen=t.pen(t.foreground, t.bar_pen)))
                    spans[key].append(v)
        for plot, key, base in ((days, "days", base_days), (cost, "cost", base_cost)):
            lo, hi = min(spans[key]), max(spans[key])
            pad = (hi - lo) or max(abs(base), 1.0) * 0.1
            plot.setXRange(lo - pad * 0.15, hi + pad * 0.15, padding=0)
            plot.addItem(pg.InfiniteLine(pos=base, angle=90, pen=t.pen(
                t.foreground, max(1.5, t.line_width * 0.6), Qt.PenStyle.DashLine)))
            plot.setYRange(-0.6, n - 0.4, padding=0)
            plot.showGrid(x=True, alpha=0.25)
        legend = [(self.swatch("box", LOW), "input at its low end"),
                  (self.swatch("box", HIGH), "input at its high end"),
                  (self.swatch("rule", t.foreground, style=Qt.PenStyle.DashLine), "base case")]
        bases = sorted({b.basis for b in bars})
        return legend, ["Ranges: " + "; ".join(f"{b.input}: {b.basis}" for b in bars)
                        if len(bases) > 1 else f"Ranges: {bases[0]}"]

    def hover_text(self, _plot_index, _x, y):
        bars = getattr(self, "_bars", [])
        k = len(bars) - 1 - round(y)
        if not 0 <= k < len(bars) or abs(y - round(y)) > 0.35:
            return None
        b = bars[k]

        def d(v):
            return "—" if v is None else f"{v:,.1f} days"

        return (f"{b.input}: {b.low_label} → {b.high_label}\n"
                f"days {d(b.days_low)} → {d(b.days_high)}\n"
                f"cost {fmt_usd(b.cost_low)} → {fmt_usd(b.cost_high)}\n{b.basis}")
