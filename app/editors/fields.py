"""Input widgets that validate as the user types and show the reason on the field itself.

An edit is applied by rebuilding the scenario with pydantic (``with_value``): the core schema is
the only validator, so the GUI can never accept a value the CLI or the file loader would refuse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from app.plain import PLAIN, tip
from app.theme import ERROR_COLOUR
from core.errors import InputError

# the path helpers live in core (the sweeps and the CLI change inputs the same way); the editors
# import them from here
from core.paths import Path as Path
from core.paths import get_value as get_value
from core.paths import path_key as path_key
from core.paths import with_value as with_value
from core.paths import with_values as with_values
from core.units import human, parse_count

# ---- parsers: text -> value (raise ValueError with a user message) ------------------------


def parse_int(text: str) -> int:
    t = text.strip().replace(",", "").replace("_", "")
    try:
        return int(t)
    except ValueError:
        try:
            value = parse_count(t)
        except InputError:
            raise ValueError(f"{text!r} is not a whole number") from None
        if value != int(value):
            raise ValueError(f"{text!r} is not a whole number") from None
        return int(value)


def parse_float(text: str) -> float:
    try:
        return float(text.strip().replace(",", ""))
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None


def parse_big(text: str) -> float:
    try:
        return parse_count(text.replace(",", ""))
    except InputError as e:
        raise ValueError(e.problem) from None


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def optional(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """Blank text means ``None`` (the field's 'use the default' value)."""
    return lambda text: None if not text.strip() else parse(text)


def fmt_int(v: Any) -> str:
    return "" if v is None else f"{int(v):,}"


def fmt_float(v: Any) -> str:
    return "" if v is None else f"{v:g}"


def fmt_big(v: Any) -> str:
    return "" if v is None else human(v, 4)


def fmt_date(v: Any) -> str:
    return "" if v is None else v.isoformat()


# ---- widgets -------------------------------------------------------------------------------


def mark_invalid(widget: QWidget, message: str | None) -> None:
    """Red border plus the reason as tooltip; ``None`` clears both."""
    if message:
        widget.setStyleSheet(f"border: 2px solid {ERROR_COLOUR}; border-radius: 3px;")
        widget.setToolTip(tip(message))
        widget.setProperty("invalid", message)
    else:
        widget.setStyleSheet("")
        widget.setToolTip(tip(widget.property("hint") or ""))
        widget.setProperty("invalid", None)


class FieldEdit(QLineEdit):
    """A line edit bound to a path in the scenario. Emits ``value_edited(path, value)`` for text
    that parses; otherwise marks itself invalid and emits ``parse_failed(path, message)``."""

    value_edited = Signal(object, object)
    parse_failed = Signal(object, str)

    def __init__(self, path: Path, parse: Callable[[str], Any], fmt: Callable[[Any], str],
                 hint: str = "", placeholder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.path = path
        self.parse = parse
        self.fmt = fmt
        self.setProperty("hint", hint)
        self.setToolTip(tip(hint))
        self.setPlaceholderText(placeholder)
        self.setObjectName(path_key(path))
        self._shown: Any = object()
        self.textEdited.connect(self._edited)

    def _edited(self, text: str) -> None:
        try:
            value = self.parse(text)
        except ValueError as e:
            self.set_error(str(e))
            self.parse_failed.emit(self.path, str(e))
            return
        self.value_edited.emit(self.path, value)

    def set_error(self, message: str | None) -> None:
        mark_invalid(self, message)

    @property
    def error(self) -> str | None:
        return self.property("invalid")

    def show_value(self, value: Any, force: bool = False) -> None:
        """Show a value from the model without clobbering what the user is typing: an
        equivalent text stays as typed, and invalid text stays (marked) until the model value
        itself changes (undo, another scenario) or ``force``."""
        if not force:
            if self.error and value == self._shown:
                return
            try:
                if not self.error and self.parse(self.text()) == value:
                    self._shown = value
                    return
            except ValueError:
                pass
        self.setText(self.fmt(value))
        self.set_error(None)
        self._shown = value


class ErrorLine(QLabel):
    """The editor's one-line summary of the current problem (in words, next to the fields)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextFormat(PLAIN)  # messages quote what the user typed
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: 600;")
        self.hide()

    def show_error(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))
