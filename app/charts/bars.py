"""Horizontal bars shared by the cost, comparison, memory and step-time charts, and the P10–P90
whiskers the cost and comparison bars carry."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetricsF

from app.charts.base import Chart, faded


def add_bar(chart: Chart, plot, x0: float, y: float, width: float, colour: str,
            hypothetical: bool = False, height: float = 0.62) -> pg.BarGraphItem:
    """One bar segment. Hypothetical figures (a route the policy rules out) are faded with a
    dashed outline, so nobody reads them as an available option."""
    t = chart.theme
    if hypothetical:
        brush, pen = faded(colour, 0.3), t.pen(colour, t.bar_pen * 1.6, Qt.PenStyle.DashLine)
    else:
        brush, pen = QColor(colour), t.pen(t.foreground, t.bar_pen)
    bar = pg.BarGraphItem(x0=[x0], y=[y], width=[width], height=height, brush=brush, pen=pen)
    plot.addItem(bar)
    return bar


def add_whisker(chart: Chart, plot, y: float, lo: float | None, hi: float | None) -> bool:
    """The P10–P90 range of a bar as a horizontal error bar with end caps (nothing without a
    range). Returns whether one was drawn."""
    if lo is None or hi is None:
        return False
    t = chart.theme
    mid = (lo + hi) / 2
    plot.addItem(pg.ErrorBarItem(x=np.array([mid]), y=np.array([float(y)]),
                                 width=np.array([hi - lo]), beam=0.25,
                                 pen=t.pen(t.foreground, max(1.5, t.line_width * 0.5))))
    return True


def whisker_legend(chart: Chart) -> tuple:
    """The legend entry of the whiskers."""
    return (chart.swatch("rule", chart.theme.foreground), "whiskers: P10–P90")


def label_room(chart: Chart, plot, labels: list[tuple[float, str]], top: float,
               margin: float = 1.25, plot_px: float | None = None) -> float:
    """Right end of a bar chart's x axis: ``margin`` × the longest bar or whisker, and room for
    every bold label placed at x (a label starting at a long whisker needs more than a fixed
    margin in a narrow window). ``plot_px``: the plot's width in pixels (default: the chart's
    width beside its category axis)."""
    t = chart.theme
    fm = QFontMetricsF(t.font(t.legend_px, True))
    if plot_px is None:
        plot_px = chart.width() - category_axis_px(plot) - 25
    plot_px = max(plot_px, 120)
    need = max(top, 1e-6) * margin
    for x, text in labels:
        part = min((fm.horizontalAdvance(text) * 1.05 + 8) / plot_px, 0.8)  # + TextItem padding
        need = max(need, x / (1 - part))
    return need


LINE_GAP_PX = 10  # clear space between a reference line and a label moved past it


def clear_of_line(chart: Chart, labels: list[tuple[float, str]], line_x: float, right: float,
                  plot_px: float) -> list[tuple[float, str]]:
    """Bar-end labels that would run over a vertical reference line at ``line_x`` (a deadline)
    start just past it instead, so no label sits on the line. ``right``: the axis' right end;
    ``plot_px``: the plot's width in pixels (as for ``label_room``)."""
    fm = QFontMetricsF(chart.theme.font(chart.theme.legend_px, True))
    per_px = right / max(plot_px, 120)
    gap = LINE_GAP_PX * per_px
    out = []
    for x, text in labels:
        width = (fm.horizontalAdvance(text) * 1.05 + 8) * per_px  # + TextItem padding
        if x - gap < line_x < x + width + gap:
            x = line_x + gap
        out.append((x, text))
    return out


def category_axis_px(plot) -> float:
    """The width a category axis was given (``Chart.category_axis``), before any layout pass."""
    axis = plot.getAxis("left")
    return max(axis.minimumWidth(), axis.width())


def vline(chart: Chart, plot, x: float, label: str, top: float, style=Qt.PenStyle.DashLine,
          colour: str | None = None, right: bool = False) -> None:
    """A vertical marker with its label at the top, beside the line."""
    t = chart.theme
    plot.addItem(pg.InfiniteLine(pos=x, angle=90,
                                 pen=t.pen(colour or t.foreground, max(1.5, t.line_width * 0.6),
                                           style)))
    chart.label_at(plot, x, top, f" {label} " if right else f"{label} ",
                   anchor=(0, 0) if right else (1, 0), bold=True, colour=colour)


def text_colour_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    c = QColor(colour)
    lum = 0.2126 * c.redF() ** 2.2 + 0.7152 * c.greenF() ** 2.2 + 0.0722 * c.blueF() ** 2.2
    return "#000000" if lum > 0.22 else "#FFFFFF"
