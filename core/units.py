"""Parsing and formatting of the large numbers users type (``15.6T`` tokens, ``300B``)."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any

from pydantic import BeforeValidator

from core.errors import InputError, one_line

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> dt.date:
    """Only a real date or the text ``YYYY-MM-DD``: no integers (``20250701`` is not a date),
    no timestamps, no padding."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a real date") from None
    raise ValueError(f"expected a date YYYY-MM-DD, got {one_line(repr(value), 60)}")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


def parse_date(text: str | None, field: str) -> dt.date | None:
    """A command-line date, read by the same rule as dates in project files; None stays None."""
    if text is None:
        return None
    try:
        return _iso_date(text)
    except ValueError as e:
        raise InputError(field, str(e)) from None

_SUFFIX = {"": 1.0, "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12, "P": 1e15}
_NUM = re.compile(r"^\s*([-+]?[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([kKmMbBgGtTpP]?)\s*$")


def parse_count(text: str, field: str = "value") -> float:
    """``'15.6T'`` → 1.56e13, ``'300B'`` → 3e11, ``'15.6e12'`` → 1.56e13. Must be finite and > 0."""
    m = _NUM.match(str(text))
    if not m:
        raise InputError(field, f"cannot read {text!r} as a number (examples: 15.6T, 300B, 15.6e12)")
    value = float(m.group(1)) * _SUFFIX[m.group(2).upper()]
    if not math.isfinite(value) or value <= 0:
        raise InputError(field, f"must be a finite number > 0, got {text!r}")
    return value


def human_bytes(x: float) -> str:
    """1.07e13 → '10.7 TB', 7.6e10 → '76 GB' (decimal units, for display only)."""
    for suffix, scale in (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(x) >= scale:
            return f"{x / scale:.3g} {suffix}"
    return f"{x:.3g} B"


def human(x: float, digits: int = 3) -> str:
    """1.56e13 → '15.6T'. For display only."""
    if x is None or not math.isfinite(x):
        return str(x)
    for suffix, scale in (("P", 1e15), ("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if abs(x) >= scale:
            return f"{x / scale:.{digits}g}{suffix}"
    return f"{x:.{digits}g}"
