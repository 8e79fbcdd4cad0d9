"""A horizontal stacked bar on a pyqtgraph plot, themed from the system palette."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.theme import chart_colours


class StackedBarChart(QWidget):
    """One horizontal bar split into coloured parts, a legend, and optional marker lines."""

    def __init__(self, title: str, unit: str, parent=None):
        super().__init__(parent)
        bg, fg = chart_colours()
        self.unit = unit
        self._fg = fg
        self.title = QLabel(title)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.plot = pg.PlotWidget(background=bg)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setFixedHeight(110)
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        item = self.plot.getPlotItem()
        item.hideAxis("left")
        axis = item.getAxis("bottom")
        axis.setLabel(unit, color=fg.name())
        axis.setTextPen(fg)
        axis.setPen(fg)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.plot)
        layout.addWidget(self.legend)
        self.parts: list[tuple[str, float]] = []

    def getPlotItem(self):  # noqa: N802 (pyqtgraph naming)
        return self.plot.getPlotItem()

    def draw(self, parts: list[tuple[str, float, str]], markers: list[tuple[str, float]] = ()
             ) -> None:
        """``parts``: (label, value, colour) in order; ``markers``: (label, x) vertical lines."""
        item = self.getPlotItem()
        item.clear()
        self.parts = [(label, value) for label, value, _c in parts]
        entries = [f"<span style='color:{c}; font-size:13pt'>■</span>&nbsp;{_nb(label)}&nbsp;"
                   f"<b>{_nb(self.value_text(value))}</b>" for label, value, c in parts if value > 0]
        entries += [f"<b>┆</b>&nbsp;{_nb(label)}" for label, _x in markers]
        self.legend.setText(" &nbsp; ".join(entries))
        left = 0.0
        for _label, value, colour in parts:
            if value <= 0:
                continue
            bar = pg.BarGraphItem(x0=[left], y=[0], width=[value], height=0.6,
                                  brush=QColor(colour), pen=pg.mkPen(self._fg, width=0.5))
            item.addItem(bar)
            left += value  # stacking position only; every value comes from the core
        for _label, x in markers:
            line = pg.InfiniteLine(pos=x, angle=90, pen=pg.mkPen(self._fg, width=2,
                                                                  style=Qt.PenStyle.DashLine))
            item.addItem(line)
        right = max([left] + [x for _l, x in markers]) or 1.0
        item.setXRange(0, right * 1.05, padding=0)
        item.setYRange(-0.45, 0.45, padding=0)
        font = QFont()
        font.setPointSize(8)
        item.getAxis("bottom").setTickFont(font)

    def clear_chart(self, message: str = "") -> None:
        item = self.getPlotItem()
        item.clear()
        self.legend.setText(message)
        self.parts = []
        if message:
            text = pg.TextItem(message, color=self._fg, anchor=(0.5, 0.5))
            text.setPos(0.5, 0.0)
            item.addItem(text)
            item.setXRange(0, 1, padding=0)
            item.setYRange(-0.45, 0.45, padding=0)

    def value_text(self, value: float) -> str:
        return f"{value:.3g}"


def _nb(text: str) -> str:
    """Keep a legend entry on one line: only the gaps between entries may wrap."""
    return text.replace(" ", "&nbsp;")
