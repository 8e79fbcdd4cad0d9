"""User text is shown as text, never as HTML.

Qt guesses: a QLabel, a QMessageBox and every tooltip render their text as rich text when it
*looks* like HTML (``Qt.mightBeRichText``). A project, scenario, model or pool name such as
``<img src="/dev/zero">`` would then make the window read that path (until it aborts), and
``<b>x</b>`` would show as a bold x. Every widget that can show user data goes through here.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

PLAIN = Qt.TextFormat.PlainText


def label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that shows ``text`` literally (no rich-text guess)."""
    w = QLabel(parent)
    w.setTextFormat(PLAIN)
    w.setText(text)
    return w


def plain(widget: QLabel) -> QLabel:
    """Make an existing label show its text literally; returns it."""
    widget.setTextFormat(PLAIN)
    return widget


def tip(text: str) -> str:
    """Tooltip text that Qt shows literally: text that Qt would take for HTML is converted to
    the equivalent escaped paragraph, anything else is left as it is (so looks unchanged)."""
    if text and QtGui.mightBeRichText(text):
        return QtGui.convertFromPlainText(text)
    return text


def escape(text: str) -> str:
    """For the few labels that use rich text on purpose (lists, bold runs): escape user text."""
    return html.escape(text, quote=False)


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
                default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton
                ) -> QMessageBox.StandardButton:
    """QMessageBox.warning/question with the text shown literally (it names files, projects)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(PLAIN)
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return QMessageBox.StandardButton(box.exec())
