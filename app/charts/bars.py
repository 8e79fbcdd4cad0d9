"""Horizontal bars shared by the cost, comparison, memory and step-time charts, and the P10–P90
whiskers the cost and comparison bars carry."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

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
