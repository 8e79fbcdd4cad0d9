"""A horizontal stacked bar on a pyqtgraph plot, themed from the system palette."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QSizePolicy

from app.theme import chart_colours


class StackedBarChart(pg.PlotWidget):
    """One horizontal bar split into coloured parts, a legend, and optional marker lines."""

    def __init__(self, title: str, unit: str, parent=None):
        bg, fg = chart_colours()
        super().__init__(parent=parent, background=bg)
        self.unit = unit
        self._fg = fg
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        item = self.getPlotItem()
        item.setTitle(title, color=fg.name(), size="10pt")
        item.hideAxis("left")
        axis = item.getAxis("bottom")
        axis.setLabel(unit, color=fg.name())
        axis.setTextPen(fg)
        axis.setPen(fg)
        self.legend = item.addLegend(offset=(8, 4), colCount=4, labelTextColor=fg,
                                     labelTextSize="8pt")
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.parts: list[tuple[str, float]] = []

    def draw(self, parts: list[tuple[str, float, str]], markers: list[tuple[str, float]] = ()
             ) -> None:
        """``parts``: (label, value, colour) in order; ``markers``: (label, x) vertical lines."""
        item = self.getPlotItem()
        item.clear()
        self.legend.clear()
        self.parts = [(label, value) for label, value, _c in parts]
        left = 0.0
        for label, value, colour in parts:
            if value <= 0:
                continue
            bar = pg.BarGraphItem(x0=[left], y=[0], width=[value], height=0.6,
                                  brush=QColor(colour), pen=pg.mkPen(self._fg, width=0.5))
            item.addItem(bar)
            self.legend.addItem(bar, label)
            left += value  # stacking position only; every value comes from the core
        for label, x in markers:
            line = pg.InfiniteLine(pos=x, angle=90, pen=pg.mkPen(self._fg, width=2,
                                                                  style=Qt.PenStyle.DashLine),
                                   label=label, labelOpts={"position": 0.9, "color": self._fg,
                                                           "anchors": [(1, 0), (1, 0)]})
            item.addItem(line)
        right = max([left] + [x for _l, x in markers]) or 1.0
        item.setXRange(0, right * 1.05, padding=0)
        item.setYRange(-0.5, 1.4, padding=0)
        font = QFont()
        font.setPointSize(8)
        item.getAxis("bottom").setTickFont(font)

    def clear_chart(self, message: str = "") -> None:
        item = self.getPlotItem()
        item.clear()
        self.legend.clear()
        self.parts = []
        if message:
            text = pg.TextItem(message, color=self._fg, anchor=(0.5, 0.5))
            text.setPos(0.5, 0.5)
            item.addItem(text)
            item.setXRange(0, 1, padding=0)
            item.setYRange(0, 1, padding=0)
