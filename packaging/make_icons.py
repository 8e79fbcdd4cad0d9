"""Render resources/icons/chokepoint.svg to every icon the platforms need.

- ``resources/icons/chokepoint-{16..512}.png``: the Linux PNG set (hicolor sizes); the window
  icon reads it at run time, so it lives with the other run-time data and ships in the bundle.
- ``packaging/icons/chokepoint.ico`` (Windows, 16-256 px) and ``chokepoint.icns`` (macOS,
  16-512 px, incl. @2x): written with Pillow, so they can be built on Linux too.

Run after editing the SVG: ``QT_QPA_PLATFORM=offscreen python packaging/make_icons.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
PLATFORM_ICONS = Path(__file__).resolve().parent / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # Windows reads at most 256 px from an .ico


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "chokepoint.svg"))
    if not renderer.isValid():
        print("invalid SVG", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(ICONS / f"chokepoint-{size}.png"))
    print(f"wrote {len(SIZES)} PNGs to {ICONS}")
    write_ico_icns()
    return 0


def write_ico_icns() -> None:
    """The .ico and .icns from the largest PNG (Pillow resamples each size down)."""
    from PIL import Image

    PLATFORM_ICONS.mkdir(exist_ok=True)
    master = Image.open(ICONS / f"chokepoint-{max(SIZES)}.png").convert("RGBA")
    master.save(PLATFORM_ICONS / "chokepoint.ico", sizes=[(s, s) for s in ICO_SIZES])
    master.save(PLATFORM_ICONS / "chokepoint.icns")
    print(f"wrote chokepoint.ico and chokepoint.icns to {PLATFORM_ICONS}")


if __name__ == "__main__":
    sys.exit(main())
