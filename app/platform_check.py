"""Name the missing system library before Qt starts, instead of letting Qt abort.

Since Qt 6.5 the X11 (xcb) platform plugin needs ``libxcb-cursor0`` and a few other xcb
libraries that minimal desktops lack; without them Qt prints a hint among its plugin
diagnostics and aborts with a core dump. QtGui itself needs libGL/libEGL and libdbus-1 (which
the bundle takes from the system) on every Linux platform. This module checks that each can
be loaded (with the dynamic loader, so the copies inside a bundle count) and says which
package to install. It never imports Qt.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping
from typing import NamedTuple


class Lib(NamedTuple):
    soname: str
    debian: str  # Debian / Ubuntu package
    fedora: str  # Fedora / RHEL package (dnf)


# QtGui links these on Linux whatever the platform plugin (offscreen too).
QT_GUI_LIBS = (
    Lib("libGL.so.1", "libgl1", "libglvnd-glx"),
    Lib("libEGL.so.1", "libegl1", "libglvnd-egl"),
    Lib("libfontconfig.so.1", "libfontconfig1", "fontconfig"),
    Lib("libxkbcommon.so.0", "libxkbcommon0", "libxkbcommon"),
    Lib("libdbus-1.so.3", "libdbus-1-3", "dbus-libs"),
)

# The xcb platform plugin of Qt 6.5+ (ldd of libqxcb.so / libQt6XcbQpa.so).
XCB_LIBS = (
    Lib("libxcb.so.1", "libxcb1", "libxcb"),
    Lib("libX11-xcb.so.1", "libx11-xcb1", "libX11-xcb"),
    Lib("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    Lib("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm"),
    Lib("libxcb-image.so.0", "libxcb-image0", "xcb-util-image"),
    Lib("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms"),
    Lib("libxcb-randr.so.0", "libxcb-randr0", "libxcb"),
    Lib("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil"),
    Lib("libxcb-shape.so.0", "libxcb-shape0", "libxcb"),
    Lib("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb"),
    Lib("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
)


def can_load(soname: str) -> bool:
    """True when the dynamic loader finds ``soname`` (system folders, LD_LIBRARY_PATH, bundle)."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def qt_platform(environ: Mapping[str, str]) -> str:
    """The platform plugin Qt will try first: QT_QPA_PLATFORM, else wayland or xcb by session."""
    requested = environ.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        return requested.split(";")[0].split(":")[0]
    if environ.get("WAYLAND_DISPLAY"):
        return "wayland"
    return "xcb"


def problems(environ: Mapping[str, str] | None = None, platform: str | None = None,
             load: Callable[[str], bool] | None = None) -> list[str]:
    """One line per problem that would stop Qt from starting; empty when all is well."""
    environ = os.environ if environ is None else environ
    load = can_load if load is None else load
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return []
    qpa = qt_platform(environ)
    needed = list(QT_GUI_LIBS)
    if qpa == "xcb":
        needed += XCB_LIBS
    missing = [lib for lib in needed if not load(lib.soname)]
    lines = [f"chokepoint: missing system library {lib.soname} — install it with: "
             f"sudo apt-get install {lib.debian} (Fedora: sudo dnf install {lib.fedora})"
             for lib in missing]
    if len(missing) > 1:
        lines.append("chokepoint: all at once: sudo apt-get install "
                     + " ".join(dict.fromkeys(lib.debian for lib in missing)))
    if qpa == "xcb" and not environ.get("DISPLAY"):
        lines.append("chokepoint: no display to open the window on (DISPLAY is not set); start "
                     "it from a desktop session, or set QT_QPA_PLATFORM=offscreen for a test")
    return lines
