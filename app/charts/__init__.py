"""Charts drawn from core result objects only (no figures computed here). ``CHART_CLASSES`` maps
each chart name to its class, in deck order (the order of ``core.briefing.CHARTS``, then the
window's Sweep chart, which has no CLI name: it needs an input and a range picked)."""

from __future__ import annotations

from app.charts.comparison import ComparisonChart
from app.charts.cost import CostChart
from app.charts.memory import MemoryChart
from app.charts.pareto import ParetoChart
from app.charts.policy_impact import PolicyImpactChart
from app.charts.policy_timeline import PolicyTimelineChart
from app.charts.step_time import StepTimeChart
from app.charts.sweep import SweepChart
from app.charts.time_vs_count import TimeVsCountChart
from app.charts.tornado import TornadoChart

CHART_CLASSES = {c.name: c for c in (TimeVsCountChart, CostChart, ComparisonChart, MemoryChart,
                                     StepTimeChart, PolicyTimelineChart, PolicyImpactChart,
                                     TornadoChart, ParetoChart, SweepChart)}
