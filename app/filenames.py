"""File names the app suggests in Save and Export dialogs, built from user text (a project's
name). The suggestion is one plain file name in the dialog's folder: no folders (``/``, ``\\``,
``..``), no hidden name, no characters Windows or macOS refuse, not a reserved DOS device name."""

from __future__ import annotations

import re
import unicodedata

_BAD = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}
MAX_STEM = 100


def suggested_file_name(name: str, suffix: str, fallback: str = "project") -> str:
    """``name`` made safe as a file name, plus ``suffix`` (e.g. ``.json``)."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    text = _BAD.sub("-", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"-{2,}", "-", text)
    text = text.strip(" .-")  # no '..', no hidden file, no trailing dot or space (Windows)
    text = text[:MAX_STEM].rstrip(" .-")
    if not text:
        text = fallback
    if text.split(".")[0].upper() in _RESERVED:
        text = f"{text}_"
    return text + suffix
