"""What every chart shares: a theme (screen or the light 'briefing' slide theme), the frame
(marking, title, plots, legend, notes, marking) and hover read-outs.

A chart is a ``pg.GraphicsLayoutWidget`` drawn from a ``core.chart_data.ChartSet``; it computes
nothing. The exporters build a second chart of the same class with the briefing theme at slide
size and render its scene, so an export is never the on-screen picture scaled.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QCursor, QFont, QFontInfo, QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QToolTip

from app.plain import tip
from app.theme import chart_colours
from core.chart_data import ChartSet

# Exports lay a chart out on this logical canvas and render it at a device-pixel ratio:
# 1920×1080 is ratio 1.5, 3840×2160 ratio 3. Same layout, sharper pixels.
LOGICAL_WIDTH = 1280


@dataclass(frozen=True)
class ChartTheme:
    background: str
    foreground: str
    muted: str  # grid, secondary text
    title_px: int
    subtitle_px: int
    label_px: int
    tick_px: int
    legend_px: int
    note_px: int
    line_width: float
    marker_size: float
    bar_pen: float
    margin: int
    name: str = "screen"
    pen_scale: float = 1.0  # pyqtgraph pens are cosmetic: a device-pixel ratio does not widen them

    def pen(self, colour, width: float, style=Qt.PenStyle.SolidLine):
        """A plot pen ``width`` logical pixels wide at any device-pixel ratio."""
        return pg.mkPen(colour, width=width * self.pen_scale, style=style)

    def font(self, px: int, bold: bool = False) -> QFont:
        f = QFont()
        f.setPixelSize(max(1, int(px)))
        f.setBold(bold)
        return f


# Slides: white, near-black text, thick lines; at 1920 px wide the tick labels are ~30 px tall,
# readable from the back of a room.
BRIEFING = ChartTheme(background="#FFFFFF", foreground="#1A1A1A", muted="#6B6B6B",
                      title_px=34, subtitle_px=21, label_px=22, tick_px=20, legend_px=20,
                      note_px=15, line_width=4.0, marker_size=15, bar_pen=1.5, margin=18,
                      name="briefing")


def screen_theme() -> ChartTheme:
    """Follows the desktop palette and font so the charts sit quietly in the window."""
    bg, fg = chart_colours()
    px = QFontInfo(QApplication.font()).pixelSize() if QApplication.instance() is not None else 13
    muted = QColor(fg)
    muted.setAlphaF(0.6)
    return ChartTheme(background=bg.name(), foreground=fg.name(),
                      muted=muted.name(QColor.NameFormat.HexArgb), title_px=int(px * 1.2),
                      subtitle_px=px, label_px=px, tick_px=px - 1, legend_px=px, note_px=px - 1,
                      line_width=2.0, marker_size=8, bar_pen=1.0, margin=6)


def faded(colour: str, alpha: float = 0.35) -> QColor:
    c = QColor(colour)
    c.setAlphaF(alpha)
    return c


def symbol_path(symbol: str, size: float) -> QPainterPath:
    """Marker shapes used by legends (pyqtgraph draws the plotted ones)."""
    r = size / 2
    path = QPainterPath()
    if symbol == "s":
        path.addRect(QRectF(-r * 0.85, -r * 0.85, r * 1.7, r * 1.7))
    elif symbol == "t":
        path.moveTo(0, r)
        path.lineTo(-r, -r * 0.8)
        path.lineTo(r, -r * 0.8)
        path.closeSubpath()
    elif symbol == "d":
        path.moveTo(0, -r)
        path.lineTo(r, 0)
        path.lineTo(0, r)
        path.lineTo(-r, 0)
        path.closeSubpath()
    else:
        path.addEllipse(QPointF(0, 0), r, r)
    return path


class Swatch(pg.GraphicsWidget):
    """A legend key: a line (with marker), a filled box or a dashed rule."""

    def __init__(self, theme: ChartTheme, kind: str, colour: str, style=Qt.PenStyle.SolidLine,
                 symbol: str | None = None, fill: QColor | str | None = None):
        super().__init__()
        self.theme, self.kind, self.colour, self.style = theme, kind, colour, style
        self.symbol, self.fill = symbol, fill
        w, h = theme.legend_px * 2.4, theme.legend_px * 1.3
        self.setMinimumSize(w, h)
        self.setMaximumSize(w, h)

    def paint(self, p, *_args):
        p.setRenderHint(p.RenderHint.Antialiasing)
        r = self.rect()
        t = self.theme
        if self.kind == "box":
            box = r.adjusted(r.width() * 0.15, r.height() * 0.12, -r.width() * 0.15,
                             -r.height() * 0.12)
            fill = QColor(self.fill) if self.fill is not None else QColor(self.colour)
            p.setBrush(fill)
            p.setPen(QPen(QColor(self.colour if self.fill is not None else t.foreground),
                          max(1.0, t.bar_pen), self.style))
            p.drawRect(box)
            return
        pen = QPen(QColor(self.colour), t.line_width if self.kind == "line" else t.line_width * 0.6)
        pen.setStyle(self.style)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        p.setPen(pen)
        y = r.center().y()
        p.drawLine(QPointF(r.left() + 2, y), QPointF(r.right() - 2, y))
        if self.symbol:
            path = symbol_path(self.symbol, t.marker_size)
            path.translate(r.center())
            p.setPen(QPen(QColor(self.colour), max(1.5, t.line_width * 0.5)))
            p.setBrush(QColor(self.fill) if self.fill is not None else QColor(self.colour))
            p.drawPath(path)


class Text(pg.LabelItem):
    """A label exactly as tall as its text, so spare height goes to the plots."""

    def updateMin(self):  # noqa: N802 (pyqtgraph API)
        self.setMaximumHeight(1e6)  # Qt bounds the minimum by the maximum: lift it first
        super().updateMin()
        self.setMaximumHeight(self.minimumHeight())


class Chart(pg.GraphicsLayoutWidget):
    """Frame: [marking] title, subtitle, plots, legend, notes [footnote, source] [marking]."""

    name = ""
    title = ""

    def __init__(self, theme: ChartTheme | None = None, parent=None, *, frame_title: bool = True):
        super().__init__(parent)
        self.theme = theme or screen_theme()
        self.frame_title = frame_title
        self.marking = ""
        self.footnotes: list[str] = []
        self.charts: ChartSet | None = None
        self.plots: list[pg.PlotItem] = []
        self._wrapped: list[pg.LabelItem] = []
        self.last_hover: str | None = None
        self._built_width = 0
        self.setBackground(self.theme.background)
        self.ci.setContentsMargins(*(self.theme.margin,) * 4)
        self.ci.setSpacing(max(2, self.theme.margin // 3))
        self.setMinimumHeight(220)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)

    # ---- frame ----------------------------------------------------------------------------
    def text(self, text: str, px: int, bold: bool = False, colour: str | None = None,
             justify: str = "left", wrap: bool = False, rich: bool = False) -> pg.LabelItem:
        """A label; plain text is escaped (scenario names may hold '<' or '&')."""
        item = Text(text if rich else html.escape(text, quote=False), size=f"{px}px", bold=bold,
                    color=colour or self.theme.foreground, justify=justify)
        if wrap:
            self._wrapped.append(item)
            self._wrap(item)
        return item

    def _wrap(self, item: pg.LabelItem) -> None:
        width = max(200.0, self.width() - 2 * self.theme.margin - 8)
        item.item.setTextWidth(width)
        item.updateMin()
        item.setMaximumWidth(width)

    def resizeEvent(self, ev):  # noqa: N802 (Qt API)
        super().resizeEvent(ev)
        if getattr(self, "charts", None) is None:
            return  # still in __init__, or nothing drawn
        if abs(self.width() - self._built_width) > 40:
            QTimer.singleShot(0, self, self.redraw)  # re-wrap notes, re-pack the legend
        for item in self._wrapped:
            self._wrap(item)

    def redraw(self) -> None:
        self.show_data(self.charts)

    def show_data(self, charts: ChartSet | None, marking: str | None = None,
                  footnotes: list[str] | None = None) -> None:
        """Rebuild the chart from ``charts`` (None: empty)."""
        self.charts = charts
        self._built_width = self.width()
        if marking is not None:
            self.marking = marking
        if footnotes is not None:
            self.footnotes = footnotes
        self.ci.clear()
        self.plots = []
        self._wrapped = []
        self.last_hover = None
        t = self.theme
        row = 0
        if self.marking:
            self.ci.addItem(self.text(self.marking, t.legend_px, bold=True, justify="center"),
                            row=row, col=0)
            row += 1
        if self.frame_title:
            self.ci.addItem(self.text(self.title, t.title_px, bold=True), row=row, col=0)
            row += 1
            if charts is not None and self.subtitle(charts):
                self.ci.addItem(self.text(self.subtitle(charts), t.subtitle_px,
                                          colour=t.foreground, wrap=True), row=row, col=0)
                row += 1
        body = self.ci.addLayout(row=row, col=0)
        body.setSpacing(t.margin)
        self.ci.layout.setRowStretchFactor(row, 10)
        row += 1
        if charts is None:
            body.addItem(self.text("no result yet", t.label_px, colour=t.muted, justify="center"))
        else:
            legend, notes = self.draw(charts, body)
            if legend:
                self.ci.addItem(self.legend(legend), row=row, col=0)
                row += 1
            for note in notes:
                self.ci.addItem(self.text(note, t.note_px + 1, colour=t.foreground, wrap=True),
                                row=row, col=0)
                row += 1
        if self.footnotes:  # assumptions and source, one block
            block = "<br>".join(html.escape(x, quote=False) for x in self.footnotes)
            self.ci.addItem(self.text(block, t.note_px, colour=t.muted, wrap=True, rich=True),
                            row=row, col=0)
            row += 1
        if self.marking:
            self.ci.addItem(self.text(self.marking, t.legend_px, bold=True, justify="center"),
                            row=row, col=0)
        # lay the new items out on the whole view now: a layout grown while it was being filled
        # (a chart rebuilt in a hidden tab, or narrowed) keeps its larger size otherwise, and
        # the right side of the chart falls outside the window (the comparison chart at 1366 px)
        if self.width() > 0 and self.height() > 0:
            self.ci.setGeometry(QRectF(0, 0, self.width(), self.height()))

    def subtitle(self, _charts: ChartSet) -> str:
        """The line under the title (none by default)."""
        return ""

    def draw(self, charts: ChartSet, body: pg.GraphicsLayout) -> tuple[list, list[str]]:
        """Add plots to ``body``; return (legend entries, notes). Legend entries are
        ``(Swatch, text)``."""
        raise NotImplementedError

    def legend(self, entries: list[tuple[Swatch, str]]) -> pg.GraphicsLayout:
        """Keys packed into rows that fit the chart width (never over the data)."""
        t = self.theme
        fm = QFontMetricsF(t.font(t.legend_px))
        avail = max(300.0, self.width() - 2 * t.margin - 10)
        rows: list[list[tuple[Swatch, str]]] = [[]]
        used = 0.0
        for swatch, label in entries:
            w = swatch.minimumWidth() + fm.horizontalAdvance(label) + t.legend_px * 2
            if rows[-1] and used + w > avail:
                rows.append([])
                used = 0.0
            rows[-1].append((swatch, label))
            used += w
        box = pg.GraphicsLayout()
        box.setSpacing(2)
        for r, items in enumerate(rows):
            line = box.addLayout(row=r, col=0)
            line.setSpacing(4)
            for c, (swatch, label) in enumerate(items):
                line.addItem(swatch, row=0, col=2 * c)
                line.addItem(self.text(label + "\u2003", t.legend_px), row=0, col=2 * c + 1)
            spacer = pg.GraphicsWidget()
            spacer.setMaximumHeight(1)
            line.addItem(spacer, row=0, col=2 * len(items))
            line.layout.setColumnStretchFactor(2 * len(items), 1)
        return box

    def swatch(self, kind: str, colour: str, **kw) -> Swatch:
        return Swatch(self.theme, kind, colour, **kw)

    # ---- plots ----------------------------------------------------------------------------
    def new_plot(self, body: pg.GraphicsLayout, x_label: str, y_label: str = "", row: int = 0,
                 col: int = 0, axis_items: dict | None = None) -> pg.PlotItem:
        t = self.theme
        plot = pg.PlotItem(axisItems=axis_items)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        plot.vb.setDefaultPadding(0.0)
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            axis.setPen(t.pen(t.foreground, max(1.0, t.bar_pen)))
            axis.setTextPen(pg.mkPen(t.foreground))
            axis.setTickFont(t.font(t.tick_px))
            axis.setStyle(tickTextOffset=max(4, t.tick_px // 3), tickLength=-max(5, t.tick_px // 3),
                          maxTickLevel=0)  # major ticks only: fewer, quieter grid lines
        style = {"font-size": f"{t.label_px}px", "color": t.foreground}
        # axis labels are HTML in pyqtgraph: escape them like every other text
        plot.setLabel("bottom", html.escape(x_label, quote=False), **style)
        if y_label:
            plot.setLabel("left", html.escape(y_label, quote=False), **style)
        body.addItem(plot, row=row, col=col)
        self.plots.append(plot)
        return plot

    def fit_left_axis(self, plot: pg.PlotItem, tick_texts: list[str]) -> None:
        """Room for the widest tick label plus the rotated axis label, with a gap between."""
        t = self.theme
        fm = QFontMetricsF(t.font(t.tick_px))
        widest = max((fm.horizontalAdvance(s) for s in tick_texts), default=30)
        label = plot.getAxis("left").label.toPlainText().strip()
        plot.getAxis("left").setWidth(int(widest + t.tick_px * 0.8 + (t.label_px * 2.0 if label else 0)))

    def category_axis(self, plot: pg.PlotItem, labels: list[str], width_chars: int = 26) -> None:
        """Left axis with one wrapped text label per row (row i at y = n-1-i, top to bottom)."""
        t = self.theme
        n = len(labels)
        # at most ~40% of the chart's width for the names: slides get one line each (elided;
        # the summary slide has them whole), narrow windows wrap them
        fit = max(14, min(width_chars, int(max(self.width(), 300) * 0.4 / (t.tick_px * 0.55))))
        if t.name == "briefing":
            wrapped = [elide(s, fit) for s in labels]
        else:
            wrapped = [wrap_text(s, fit) for s in labels]
        axis = plot.getAxis("left")
        axis.setTicks([[(n - 1 - i, s) for i, s in enumerate(wrapped)], []])
        axis.setTickFont(t.font(t.tick_px - 1))
        fm = QFontMetricsF(t.font(t.tick_px - 1))
        widest = max((fm.horizontalAdvance(line) for s in wrapped for line in s.split("\n")),
                     default=40)
        axis.setWidth(int(widest + t.tick_px * 1.2))
        axis.setStyle(tickLength=0)

    def hline(self, plot, y: float, label: str, colour: str | None = None,
              style=Qt.PenStyle.DashLine, angle: int = 0, position: float = 0.98,
              left: bool = False) -> pg.InfiniteLine:
        t = self.theme
        pen = t.pen(colour or t.foreground, max(1.5, t.line_width * 0.6), style=style)
        anchors = [(0, 1), (0, 1)] if left else [(1, 1), (1, 1)]
        line = pg.InfiniteLine(pos=y, angle=angle, pen=pen, label=label,
                               labelOpts={"position": position, "color": colour or t.foreground,
                                          "anchors": anchors, "fill": faded(t.background, 0.85)})
        line.label.setFont(t.font(t.legend_px, bold=True))
        plot.addItem(line)
        return line

    def label_at(self, plot, x: float, y: float, text: str, anchor=(0, 0.5), px: int | None = None,
                 bold: bool = False, colour: str | None = None, opaque: bool = False) -> pg.TextItem:
        """A text label in data coordinates; ``opaque`` paints the background behind it so a
        reference line (a deadline) running through the label does not cross the text."""
        t = self.theme
        item = pg.TextItem(text, color=colour or t.foreground, anchor=anchor,
                           fill=pg.mkBrush(t.background) if opaque else None)
        item.setFont(t.font(px or t.legend_px, bold))
        item.setPos(x, y)
        if opaque:
            item.setZValue(50)
        plot.addItem(item)
        return item

    # ---- hover ----------------------------------------------------------------------------
    def hover_text(self, plot_index: int, x: float, y: float) -> str | None:
        """Exact values under the point (x, y) of plot ``plot_index`` in data coordinates (None:
        nothing there; charts without read-outs keep this)."""

    def _on_mouse_moved(self, pos) -> None:
        for i, plot in enumerate(self.plots):
            if plot.vb.sceneBoundingRect().contains(pos):
                pt = plot.vb.mapSceneToView(pos)
                text = self.hover_text(i, pt.x(), pt.y())
                self.last_hover = text
                if text:
                    QToolTip.showText(QCursor.pos(), tip(text), self)
                else:
                    QToolTip.hideText()
                return
        QToolTip.hideText()


def wrap_text(text: str, width: int) -> str:
    """Greedy word wrap to lines of at most ``width`` characters (long words are kept whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines) or text


def nice_log_ticks(lo: float, hi: float, steps=(1, 2, 5)) -> list[float]:
    """1-2-5 values between lo and hi (inclusive), for a log axis in plain numbers."""
    out = []
    for e in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1):
        for s in steps:
            v = s * 10 ** e
            if lo <= v <= hi:
                out.append(v)
    return out


def elide(text: str, width: int) -> str:
    """At most ``width`` characters (hover shows the full text)."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def fmt_count(n: float) -> str:
    return f"{n:,.0f}"


def fmt_usd(x: float | None) -> str:
    if x is None:
        return "not computed"
    if abs(x) >= 1e9:
        return f"${x / 1e9:,.2f}B"
    return f"${x / 1e6:,.1f}M"
