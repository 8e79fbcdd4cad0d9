"""Chart 4: memory per accelerator of the chosen plan, by kind, against the usable HBM."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.charts.bars import add_bar, vline
from app.charts.base import Chart
from app.theme import MEMORY_PARTS, accelerator_style
from core.chart_data import ChartSet


class MemoryChart(Chart):
    name = "memory"
    title = "Memory per accelerator (chosen plan)"
    unit = "GB"

    def subtitle(self, charts: ChartSet) -> str:
        b = charts.plan
        return f"Scenario: {charts.scenario.name} — {b.option}" + (f"; {b.plan}" if b.plan else "")

    def parts(self, charts: ChartSet):
        m = charts.plan.memory
        return None if m is None else [(label, getattr(m, f), c) for f, label, c in MEMORY_PARTS]

    def fmt(self, v: float) -> str:
        return f"{v:,.1f} GB"

    def draw(self, charts: ChartSet, body):
        t = self.theme
        b = charts.plan
        parts = self.parts(charts)
        x_label = "GB per accelerator" if self.unit == "GB" else "Seconds per optimizer step"
        plot = self.new_plot(body, x_label)
        plot.showGrid(x=True, alpha=0.25)
        self.category_axis(plot, [b.accelerator or ""], width_chars=14)
        if b.accelerator:  # the accelerator's own colour marks its name
            colour, _sym = accelerator_style(b.accelerator)
            plot.getAxis("left").setTextPen(t.pen(colour, 1))
        self._segments = []
        if parts is None:
            self.label_at(plot, 0.5, 0, "No plan fits: nothing to break down.", anchor=(0.5, 0.5))
            plot.setXRange(0, 1, padding=0)
            return [], []
        left = 0.0
        for label, value, colour in parts:
            if value <= 0:
                continue
            add_bar(self, plot, left, 0, value, colour, b.hypothetical, height=0.5)
            self._segments.append((left, left + value, label, value))
            left += value
        self.label_at(plot, left, 0.27, f"total {self.fmt(left)}", anchor=(1, 1), bold=True)
        right = self.markers(charts, plot, left)
        plot.setXRange(0, max(left, right) * 1.22, padding=0)
        plot.setYRange(-0.45, 0.8, padding=0)
        legend = [(self.swatch("box", c), f"{label} {self.fmt(v)}") for label, v, c in parts
                  if v > 0]
        notes = []
        if b.hypothetical:
            notes.append("Hypothetical (faded, dashed): the policy rules this option out; the "
                         "figures show what it would take if it were allowed.")
        return legend + self.marker_legend(), notes

    def markers(self, charts: ChartSet, plot, left: float) -> float:
        m = charts.plan.memory
        if m is None:  # no plan fits: nothing to mark
            return left
        vline(self, plot, m.usable_hbm_gb, f"usable HBM {m.usable_hbm_gb:,.0f} GB", 0.72,
              right=False)
        vline(self, plot, m.hbm_gb, f"HBM {m.hbm_gb:,.0f} GB", 0.72, style=Qt.PenStyle.DotLine,
              colour=self.theme.muted, right=True)
        return m.hbm_gb

    def marker_legend(self):
        t = self.theme
        return [(self.swatch("rule", t.foreground, style=Qt.PenStyle.DashLine), "usable HBM"),
                (self.swatch("rule", t.muted, style=Qt.PenStyle.DotLine), "installed HBM")]

    def hover_text(self, _plot_index, x, y):
        if abs(y) > 0.3:
            return None
        for lo, hi, label, value in getattr(self, "_segments", []):
            if lo <= x <= hi:
                return f"{label}: {self.fmt(value)} ({value / max(self._segments[-1][1], 1e-12):.0%})"
        return None
