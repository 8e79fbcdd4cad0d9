"""Chart 5: where one optimizer step's time goes: compute and each kind of communication."""

from __future__ import annotations

from app.charts.memory import MemoryChart
from app.theme import STEP_PARTS
from core.chart_data import ChartSet


class StepTimeChart(MemoryChart):
    name = "step-time"
    title = "Step-time breakdown (chosen plan)"
    unit = "s"

    def parts(self, charts: ChartSet):
        st = charts.plan.step_time
        return None if st is None else [(label, getattr(st, f), c) for f, label, c in STEP_PARTS]

    def fmt(self, v: float) -> str:
        return f"{v:,.2f} s"

    def markers(self, _charts: ChartSet, _plot, left: float) -> float:
        return left

    def marker_legend(self):
        return []
