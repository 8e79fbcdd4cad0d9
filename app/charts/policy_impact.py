"""Chart 7: what the policy costs the lab — the best route before and after, in days and cost,
with the fallback route named. Drawn from ``core.answer_charts`` (core.impact); computes
nothing."""

from __future__ import annotations

from app.charts.bars import add_bar
from app.charts.base import Chart, elide, fmt_usd
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
        rows = [(f"Before ({i.before.label}): {i.before.option or 'no compliant route'}", i.before),
                (f"After ({i.after.label}): {i.after.option or 'no compliant route'}", i.after)]
        days = self.new_plot(body, "Days to train (wall-clock)", row=0, col=0)
        cost = self.new_plot(body, "Cost, USD millions", row=0, col=1)
        body.layout.setColumnStretchFactor(0, 3)
        body.layout.setColumnStretchFactor(1, 2)
        self.category_axis(days, [elide(name, 70) for name, _ in rows], width_chars=48)
        cost.getAxis("left").setStyle(showValues=False, tickLength=0)
        cost.getAxis("left").setWidth(2)
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
        days.setXRange(0, max(dmax, 1e-6) * 1.75, padding=0)
        cost.setXRange(0, max(cmax, 1e-6) * 1.7, padding=0)
        for p in (days, cost):
            p.setYRange(-0.6, len(rows) - 0.4, padding=0)
        cost.setYLink(days)
        notes = []
        if i.delta_days is not None:
            notes.append(f"Difference: {i.delta_days:+,.0f} days"
                         + (f", {fmt_usd(i.delta_cost_usd)}" if i.delta_cost_usd is not None
                            else "") + f"; feasibility {i.feasibility}.")
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
