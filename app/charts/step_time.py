"""Where one optimizer step's time goes: compute and each kind of communication."""

from __future__ import annotations

from app.charts.base import StackedBarChart
from app.theme import STEP_PARTS
from core.estimate import EstimateResult


class StepTimeChart(StackedBarChart):
    def __init__(self, parent=None):
        super().__init__("Step time breakdown", "seconds per optimizer step", parent)

    def value_text(self, value: float) -> str:
        return f"{value:.2f} s"

    def show_result(self, est: EstimateResult | None) -> None:
        if est is None or est.step_time is None:
            self.clear_chart("no plan fits")
            return
        st = est.step_time
        self.draw([(label, getattr(st, name), colour) for name, label, colour in STEP_PARTS])
