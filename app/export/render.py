"""Render a chart for a slide: PNG at a device-pixel ratio, SVG and PDF through Qt's own writers,
and the clipboard as an opaque image.

Every export builds a fresh chart in the light briefing theme, lays it out offscreen on a
``LOGICAL_WIDTH``-wide canvas and paints its scene (pyqtgraph's exporters keep 1-px pens and a
tiny legend when enlarged, and its SVG exporter fails with PySide6 6.12). Works headless with
``QT_QPA_PLATFORM=offscreen``.

Every file is rendered fully into memory first, then written by ``core.atomic.write_atomic``
(temp file beside it, fsync, swap): a failed export never destroys an existing file of that name.
SVG text is XML: characters XML cannot hold (controls typed into a marking or a name) are dropped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication

from app.charts import CHART_CLASSES
from app.charts.base import BRIEFING, LOGICAL_WIDTH, Chart, ChartTheme
from core.atomic import WriteError, write_atomic
from core.briefing import footnote, source_line
from core.chart_data import ChartSet
from core.errors import InputError

SLIDE_SIZES = {"1920x1080": (1920, 1080), "3840x2160": (3840, 2160)}
FORMATS = ("png", "svg", "pdf")


def parse_size(text: str, field: str = "--size") -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise InputError(field, f"expected WIDTHxHEIGHT such as 1920x1080, got {text!r}") from None
    if not (640 <= w <= 7680 and 360 <= h <= 4320):
        raise InputError(field, f"{w}x{h} is outside 640x360 to 7680x4320")
    if not 1.0 <= w / h <= 2.5:
        raise InputError(field, f"{w}x{h}: width/height must be between 1 and 2.5 (16:9 is 1.78)")
    return w, h


def logical_size(width: int, height: int) -> tuple[int, int, float]:
    """(logical width, logical height, device-pixel ratio) for a picture of width × height."""
    ratio = width / LOGICAL_WIDTH
    return LOGICAL_WIDTH, round(height / ratio), ratio


def build_chart(name: str, charts: ChartSet, size: tuple[int, int] = (1920, 1080), *,
                theme: ChartTheme = BRIEFING, frame_title: bool = True, with_footnote: bool = True,
                file_name: str | None = None, marking: str | None = None) -> Chart:
    """An offscreen chart laid out at the logical size of a ``size`` picture, ready to render.
    ``with_footnote`` prints the key assumptions and the source line under the chart (standalone
    pictures); slides carry them as text instead."""
    if name not in CHART_CLASSES:
        raise InputError("--chart", f"unknown chart {name!r}; one of {', '.join(CHART_CLASSES)}")
    _app()
    w, h, ratio = logical_size(*size)
    chart = CHART_CLASSES[name](replace(theme, pen_scale=ratio), frame_title=frame_title)
    chart.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    chart.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    chart.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    chart.setFrameShape(chart.Shape.NoFrame)
    chart.resize(w, h)
    chart.show()
    notes = []
    if with_footnote:
        notes = [footnote(name, charts.scenarios, charts.results, charts.index),
                 source_line(charts.project, file_name)]
    chart.show_data(charts, marking=charts.marking if marking is None else marking,
                    footnotes=notes)
    _settle(chart, w, h)
    return chart


def _app() -> QApplication:
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else QApplication([])


def _settle(chart: Chart, w: int, h: int) -> None:
    """Let the layouts and the axes (which size themselves to their labels) settle."""
    app = _app()
    for _ in range(3):
        app.processEvents()
        chart.resize(w, h)
        chart.ci.setGeometry(QRectF(0, 0, w, h))
        img = QImage(w, h, QImage.Format.Format_RGB32)
        p = QPainter(img)
        chart.scene().render(p, QRectF(0, 0, w, h), QRectF(0, 0, w, h))
        p.end()
    app.processEvents()


def _paint(chart: Chart, painter: QPainter, w: float, h: float) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.fillRect(QRectF(0, 0, w, h), QColor(chart.theme.background))  # opaque, always
    chart.scene().render(painter, QRectF(0, 0, w, h), QRectF(0, 0, w, h))


def render_image(chart: Chart, width: int, height: int) -> QImage:
    """An opaque ``width × height`` image, painted at a device-pixel ratio (not scaled up)."""
    lw, lh, ratio = logical_size(width, height)
    img = QImage(width, height, QImage.Format.Format_RGB32)
    img.setDevicePixelRatio(ratio)
    img.fill(QColor(chart.theme.background))
    p = QPainter(img)
    _paint(chart, p, lw, lh)
    p.end()
    img.setDevicePixelRatio(1.0)  # a file of width × height pixels, whatever reads it
    img.setDotsPerMeterX(round(96 * ratio / 0.0254))
    img.setDotsPerMeterY(round(96 * ratio / 0.0254))
    return img


def write_export(path: str | Path, data: bytes, field: str = "--out") -> Path:
    """Write a finished export atomically; a failure is one line naming the file and ``field``,
    and leaves any existing file of that name as it was."""
    try:
        write_atomic(path, data)
    except WriteError as e:
        raise InputError(field, str(e)) from None
    return Path(path)


def _buffer() -> tuple[QByteArray, QBuffer]:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    return data, buf


def png_bytes(chart: Chart, width: int = 1920, height: int = 1080) -> bytes:
    data, buf = _buffer()
    if not render_image(chart, width, height).save(buf, "PNG"):  # type: ignore[call-overload]  # the stub wants bytes; the binding refuses them
        raise InputError("--out", "the PNG could not be encoded")
    buf.close()
    return bytes(data.data())


# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except these
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_CHAR_REF = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);")


def _xml_char_ok(code: int) -> bool:
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


def xml_safe(text: str) -> str:
    """``text`` without the characters (raw or as ``&#...;`` references) that XML 1.0 forbids."""
    def ref(m: re.Match[str]) -> str:
        body = m.group(1)
        code = int(body[1:], 16) if body[0] == "x" else int(body)
        return m.group(0) if _xml_char_ok(code) else ""

    return _CHAR_REF.sub(ref, _XML_BAD.sub("", text))


def svg_bytes(chart: Chart, title: str = "") -> bytes:
    w, h = chart.width(), chart.height()
    data, buf = _buffer()
    gen = QSvgGenerator()
    gen.setOutputDevice(buf)
    gen.setSize(QSize(w, h))
    gen.setViewBox(QRectF(0, 0, w, h))
    gen.setTitle(xml_safe(title or chart.title))
    gen.setDescription("Chokepoint chart")
    gen.setResolution(96)  # as the screen: pyqtgraph axes replay QPictures recorded at 96 dpi
    p = QPainter()
    if not p.begin(gen):
        raise InputError("--out", "the SVG could not be drawn")
    _paint(chart, p, w, h)
    p.end()
    buf.close()
    text = bytes(data.data()).decode("utf-8", errors="replace")
    return xml_safe(text).encode("utf-8")


def pdf_bytes(chart: Chart, title: str = "") -> bytes:
    """One page the shape of the chart (16:9 at 13.33 × 7.5 in, like a widescreen slide)."""
    w, h = chart.width(), chart.height()
    data, buf = _buffer()
    writer = QPdfWriter(buf)
    writer.setTitle(title or chart.title)
    writer.setCreator("Chokepoint")
    writer.setResolution(96)  # one logical pixel = 1/96 in: pens and fonts keep their size
    writer.setPageLayout(QPageLayout(QPageSize(QSizeF(w * 0.75, h * 0.75), QPageSize.Unit.Point),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    p = QPainter()
    if not p.begin(writer):
        raise InputError("--out", "the PDF could not be drawn")
    sx = writer.width() / w
    p.scale(sx, sx)
    _paint(chart, p, w, h)
    p.end()
    del writer  # finishes the document into the buffer
    buf.close()
    return bytes(data.data())


def save_png(chart: Chart, path: str | Path, width: int = 1920, height: int = 1080) -> Path:
    return write_export(path, png_bytes(chart, width, height))


def save_svg(chart: Chart, path: str | Path, title: str = "") -> Path:
    return write_export(path, svg_bytes(chart, title))


def save_pdf(chart: Chart, path: str | Path, title: str = "") -> Path:
    return write_export(path, pdf_bytes(chart, title))


def copy_to_clipboard(chart: Chart, width: int = 1920, height: int = 1080) -> QImage:
    """Opaque RGB image (transparent pictures paste as black into some Office versions)."""
    img = render_image(chart, width, height).convertToFormat(QImage.Format.Format_RGB32)
    QGuiApplication.clipboard().setImage(img)
    return img


def export_chart(name: str, charts: ChartSet, fmt: str, path: str | Path,
                 size: tuple[int, int] = (1920, 1080), file_name: str | None = None) -> Path:
    """Write one chart as PNG, SVG or PDF."""
    if fmt not in FORMATS:
        raise InputError("--format", f"unknown format {fmt!r}; one of {', '.join(FORMATS)}, pptx")
    # vector pages are laid out at the logical size (pens 1:1); PNGs at the pixel size
    chart = build_chart(name, charts, size if fmt == "png" else (LOGICAL_WIDTH, round(
        LOGICAL_WIDTH * size[1] / size[0])), file_name=file_name)
    try:
        if fmt == "png":
            return save_png(chart, path, *size)
        if fmt == "svg":
            return save_svg(chart, path)
        return save_pdf(chart, path)
    finally:
        dispose(chart)


def dispose(chart: Chart) -> None:
    """Drop an offscreen chart (pyqtgraph's ``close()`` can crash without a real viewport)."""
    chart.hide()
    chart.deleteLater()
