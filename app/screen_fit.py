"""The window fits the screen it opens on.

Without saved geometry the first window takes a comfortable size (``DEFAULT``) but never more
than the screen's available area (a 1366×768 laptop gets the whole of it); a saved geometry from
a bigger or another screen is clamped into the current one. Once the window is shown, its real
frame (title bar and borders, unknown before) is checked again and pulled inside.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

DEFAULT = QSize(1440, 900)
# title bar and borders before the window manager has said what they are
FRAME_GUESS = QMargins(4, 32, 4, 4)


def available(window: QWidget) -> QRect | None:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return None if screen is None else screen.availableGeometry()


def initial_geometry(avail: QRect, frame: QMargins = FRAME_GUESS,
                     wanted: QSize = DEFAULT) -> QRect:
    """Client rectangle of a first window: ``wanted`` or less, frame included inside ``avail``,
    centred."""
    w = max(1, min(wanted.width(), avail.width() - frame.left() - frame.right()))
    h = max(1, min(wanted.height(), avail.height() - frame.top() - frame.bottom()))
    x = avail.x() + (avail.width() - (w + frame.left() + frame.right())) // 2 + frame.left()
    y = avail.y() + (avail.height() - (h + frame.top() + frame.bottom())) // 2 + frame.top()
    return QRect(x, y, w, h)


def clamped(frame_rect: QRect, avail: QRect) -> QRect:
    """``frame_rect`` made no larger than ``avail`` and moved inside it."""
    w = min(frame_rect.width(), avail.width())
    h = min(frame_rect.height(), avail.height())
    x = min(max(frame_rect.x(), avail.x()), avail.x() + avail.width() - w)
    y = min(max(frame_rect.y(), avail.y()), avail.y() + avail.height() - h)
    return QRect(x, y, w, h)


def fit_to_screen(window: QWidget, restored: bool) -> None:
    """Size a new window to its screen, or clamp a restored one; re-check once it is shown."""
    avail = available(window)
    if avail is None:
        return
    if restored and not window.isMaximized() and not window.isFullScreen():
        _clamp(window, avail)
    elif not restored:
        window.setGeometry(initial_geometry(avail))
    window.installEventFilter(_CheckWhenShown(window, window.size()))


def _clamp(window: QWidget, avail: QRect) -> None:
    frame = window.frameGeometry()
    if avail.contains(frame):
        return
    margins = QMargins(window.geometry().left() - frame.left(),
                       window.geometry().top() - frame.top(),
                       frame.right() - window.geometry().right(),
                       frame.bottom() - window.geometry().bottom())
    if frame == window.geometry():  # not shown yet: leave room for a frame
        margins = FRAME_GUESS
        frame = frame.marginsAdded(margins)
    fitted = clamped(frame, avail).marginsRemoved(margins)
    min_size = window.minimumSize()
    window.setGeometry(fitted.x(), fitted.y(), max(fitted.width(), min_size.width()),
                       max(fitted.height(), min_size.height()))


class _CheckWhenShown(QObject):
    """On the first show, once the real frame is known, pull the window inside its screen
    (unless the program resized it on purpose in between: tests, screenshots)."""

    def __init__(self, window: QWidget, size: QSize):
        super().__init__(window)
        self.window = window
        self.size = size

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is self.window and event.type() == QEvent.Type.Show:
            obj.removeEventFilter(self)
            if self.window.size() == self.size:
                QTimer.singleShot(0, self, self._check)
        return False

    def _check(self) -> None:
        w = self.window
        avail = available(w)
        if avail is not None and not (w.isMaximized() or w.isFullScreen()):
            _clamp(w, avail)
