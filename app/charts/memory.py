"""Memory per accelerator by kind, against the usable HBM."""

from __future__ import annotations

from app.charts.base import StackedBarChart
from app.theme import MEMORY_PARTS
from core.estimate import EstimateResult


class MemoryChart(StackedBarChart):
    def __init__(self, parent=None):
        super().__init__("Memory per GPU", "GB", parent)

    def value_text(self, value: float) -> str:
        return f"{value:.1f} GB"

    def show_result(self, est: EstimateResult | None) -> None:
        if est is None or est.memory is None:
            self.clear_chart("no plan fits")
            return
        m = est.memory
        self.draw([(label, getattr(m, name), colour) for name, label, colour in MEMORY_PARTS],
                  markers=[(f"usable HBM {m.usable_hbm_gb:.0f} GB", m.usable_hbm_gb)])
