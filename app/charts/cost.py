"""Chart 2: stacked cost per scenario (rent or amortisation, energy, storage, premiums)."""

from __future__ import annotations

from app.charts.bars import add_bar, add_whisker, label_room, whisker_legend
from app.charts.base import Chart, elide, fmt_usd
from app.theme import COST_COLOURS, VERDICT_STYLE
from core.chart_data import COST_GROUPS, ChartSet


def verdict_words(verdict: str, hypothetical: bool) -> str:
    words = VERDICT_STYLE.get(verdict, ("", "", verdict))[2]
    return f"{words} (hypothetical)" if hypothetical else words


def short_verdict(verdict: str, hypothetical: bool) -> str:
    if hypothetical:
        return "not allowed"
    return {"feasible": "feasible", "needs_license": "needs licence", "unknown": "status unknown"}.get(
        verdict, "infeasible")


class CostChart(Chart):
    name = "cost"
    title = "Cost breakdown per scenario"

    def subtitle(self, charts: ChartSet) -> str:
        return f"Project: {charts.project} — each scenario's chosen option"

    def draw(self, charts: ChartSet, body):
        t = self.theme
        bars = charts.cost
        n = len(bars)
        plot = self.new_plot(body, "Cost, USD millions")
        plot.showGrid(x=True, alpha=0.25)
        self.category_axis(plot, [elide(b.scenario, 60) for b in bars], width_chars=46)
        self._rows = []
        labels: list[tuple[float, str]] = []
        top = 0.0
        for i, b in enumerate(bars):
            y = n - 1 - i
            left, segments = 0.0, []
            for label in COST_GROUPS:
                value = b.parts.get(label, 0.0)
                if value <= 0:
                    continue
                add_bar(self, plot, left / 1e6, y, value / 1e6, COST_COLOURS[label], b.hypothetical)
                segments.append((left / 1e6, (left + value) / 1e6, label, value))
                left += value
            lo, hi = (None, None) if b.cost_p10 is None or b.cost_p90 is None else \
                (b.cost_p10 / 1e6, b.cost_p90 / 1e6)
            add_whisker(self, plot, y, lo, hi)
            end = max(left / 1e6, hi or 0.0)
            top = max(top, end)
            text = "  " + fmt_usd(b.total_usd) + " · " + short_verdict(b.verdict, b.hypothetical)
            self.label_at(plot, end, y, text, bold=True)
            labels.append((end, text))
            self._rows.append((y, b, segments))
        plot.setXRange(0, label_room(self, plot, labels, top), padding=0)
        plot.setYRange(-0.6, n - 0.4, padding=0)
        legend = [(self.swatch("box", COST_COLOURS[label]), label) for label in COST_GROUPS]
        if any(b.cost_p10 is not None for b in bars):
            legend.append(whisker_legend(self))
        if any(b.hypothetical for b in bars):
            legend.append((self.swatch("box", t.foreground, fill=t.background),
                           "faded, dashed: not allowed (hypothetical)"))
        # one line, grouped by reason, so the notes never squeeze the bars
        by_reason: dict[str, list[str]] = {}
        for b in bars:
            if b.energy_note:
                by_reason.setdefault(b.energy_note, []).append(b.scenario.split(" ", 1)[0])
        notes = ["No energy bar: " + "; ".join(f"{reason} ({', '.join(names)})"
                                               for reason, names in by_reason.items()) + "."] if by_reason else []
        return legend, notes

    def hover_text(self, _plot_index, x, y):
        for row, b, segments in getattr(self, "_rows", []):
            if abs(y - row) <= 0.35:
                lines = [b.scenario, b.option]
                lines += [f"{label}: ${value:,.0f}" + (" ◀" if lo <= x <= hi else "")
                          for lo, hi, label, value in segments]
                lines.append(f"Total: {'not computed' if b.total_usd is None else f'${b.total_usd:,.0f}'}"
                             f" — {verdict_words(b.verdict, b.hypothetical)}")
                if b.cost_p10 is not None and b.cost_p90 is not None:
                    lines.append(f"P10–P90: ${b.cost_p10:,.0f} – ${b.cost_p90:,.0f}")
                return "\n".join(lines)
        return None
