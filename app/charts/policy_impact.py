"""Chart 7: what the policy costs the lab — the best route before and after, in days and cost,
with the fallback route named. Drawn from ``core.answer_charts`` (core.impact); computes
nothing."""

from __future__ import annotations

from app.charts.bars import add_bar
from app.charts.base import Chart, fmt_usd
from app.theme import CHART_VERDICT
from core.chart_data import ChartSet


class PolicyImpactChart(Chart):
    name = "policy-impact"
    title = "What the policy costs the lab: best route before and after"

    def subtitle(self, charts: ChartSet) -> str:
        a = charts.answers
        if a is None or a.impact is None:
            return f"Scenario: {charts.scenario.name}"
        return a.impact.headline

    def draw(self, charts: ChartSet, body):
        a = charts.answers
        if a is None or a.impact is None:
            body.addItem(self.text(a.impact_error if a else "not computed", self.theme.label_px,
                                   colour=self.theme.muted, justify="center"))
            return [], []
        i = a.impact
        rows = [(f"Before: {i.before.label}", i.before), (f"After: {i.after.label}", i.after)]
        # one above the other: two short bars each, and room for both axis titles at any width
        days = self.new_plot(body, "Days to train (wall-clock)", row=0, col=0)
        cost = self.new_plot(body, "Cost, USD millions", row=1, col=0)
        for plot in (days, cost):
            # whole regime ids: an elided id ("hypo-my-th-and-remote-…") names no regime
            self.category_axis(plot, [name for name, _ in rows], width_chars=60)
        for p in (days, cost):
            p.showGrid(x=True, alpha=0.25)
        dmax = cmax = 0.0
        self._rows = rows
        for k, (_name, route) in enumerate(rows):
            y = len(rows) - 1 - k
            colour = CHART_VERDICT.get(route.verdict, self.theme.muted)
            if route.wall_clock_days is not None:
                add_bar(self, days, 0, y, route.wall_clock_days, colour)
                self.label_at(days, route.wall_clock_days, y,
                              f" {route.wall_clock_days:,.0f} days", bold=True)
                dmax = max(dmax, route.wall_clock_days)
            else:
                self.label_at(days, 0, y, "  no compliant route", bold=True)
            if route.cost_usd is not None:
                add_bar(self, cost, 0, y, route.cost_usd / 1e6, colour)
                self.label_at(cost, route.cost_usd / 1e6, y, f"  {fmt_usd(route.cost_usd)}",
                              bold=True)
                cmax = max(cmax, route.cost_usd / 1e6)
            else:
                self.label_at(cost, 0, y, "  not computed")
        days.setXRange(0, max(dmax, 1e-6) * 1.5, padding=0)
        cost.setXRange(0, max(cmax, 1e-6) * 1.5, padding=0)
        for p in (days, cost):
            p.setYRange(-0.6, len(rows) - 0.4, padding=0)
        notes = [f"Route before: {i.before.option or 'none allowed'}. "
                 f"Route after: {i.after.option or 'none allowed'}."]
        if i.delta_days is not None:
            dc = i.delta_cost_usd
            notes.append(f"Difference: {i.delta_days:+,.0f} days"
                         + ("" if dc is None else
                            f", {'+' if dc >= 0 else '−'}{fmt_usd(abs(dc))}")
                         + f"; feasibility {i.feasibility}.")
        return [], notes

    def hover_text(self, _plot_index, _x, y):
        rows = getattr(self, "_rows", [])
        k = len(rows) - 1 - round(y)
        if not 0 <= k < len(rows) or abs(y - round(y)) > 0.35:
            return None
        name, r = rows[k]
        days = "—" if r.wall_clock_days is None else f"{r.wall_clock_days:,.1f} days"
        cost = "not computed" if r.cost_usd is None else f"${r.cost_usd:,.0f}"
        return f"{name}\n{r.option or 'no compliant route'}\n{days}, {cost}\nVerdict: {r.verdict}"
