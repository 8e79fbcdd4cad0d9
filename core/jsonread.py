"""Strict, bounded JSON reading for every file a user hands the program.

Projects, Hugging Face configs, project regimes and the app's own settings are read here, so a
damaged or crafted file ends the same way everywhere: in bounded time and memory, with ONE
``InputError`` naming the file and the key path (``scenarios[2].fleet[0].count``).

What is refused, and why:

* files over the caller's size limit (checked on ``stat`` and again while reading, so a file
  that grows, or a device, cannot make us read more), non-regular files, text that is not UTF-8;
* nesting deeper than ``MAX_DEPTH`` (64) levels: nothing in any format here is deeper than ~12,
  and deeper structures exhaust the interpreter's recursion while parsing, validating or saving;
* ``NaN``/``Infinity`` literals and numbers that overflow a float (``1e400``): numbers must be
  finite; integers of more than ``MAX_NUMBER_CHARS`` (400) characters (Python refuses to convert
  integers of over 4,300 digits at all, and nothing real is that large);
* the same key twice in one object (JSON parsers disagree on which one wins; we refuse to guess).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from core.errors import InputError, loc_path

MAX_DEPTH = 64
MAX_NUMBER_CHARS = 400


class _Bad:
    """Placeholder for a value refused while parsing (reported with its path afterwards)."""

    __slots__ = ("problem",)

    def __init__(self, problem: str):
        self.problem = problem


class _Duplicate(dict):
    """An object that held the same key twice; ``key`` is the first repeated key."""

    key: str = ""


def _parse_float(text: str) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        return _Bad(f"a number written with {len(text):,} characters is not allowed")
    value = float(text)
    if value in (float("inf"), float("-inf")):
        return _Bad(f"{text[:40]} is too large (it overflows to infinity); numbers must be finite")
    return value


def _parse_int(text: str) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        return _Bad(f"an integer with {len(text.lstrip('-')):,} digits is too large")
    return int(text)


def _parse_constant(text: str) -> Any:
    return _Bad(f"{text} is not allowed; numbers must be finite")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            dup = _Duplicate(out)
            dup.key = key
            return dup
        out[key] = value
    return out


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


def _too_deep_at(text: str) -> tuple[int, int]:
    """(line, column) where the nesting first exceeds ``MAX_DEPTH`` (only called on failure)."""
    depth = 0
    for m in _TOKENS.finditer(text):
        tok = m.group()
        if tok in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                pos = m.start()
                line = text.count("\n", 0, pos) + 1
                return line, pos - (text.rfind("\n", 0, pos) + 1) + 1
        elif tok in "]}":
            depth -= 1
    return 1, 1


def _check(data: Any) -> None:
    """Raise for the first refused value, duplicate key or over-deep level, naming its path."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _Bad):
            raise InputError(loc_path(path), node.problem)
        if isinstance(node, _Duplicate):
            raise InputError(
                loc_path((*path, node.key)), "this key appears twice in the same object; keep one"
            )
        if len(path) >= MAX_DEPTH and isinstance(node, dict | list):
            raise InputError(loc_path(path), f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, dict):
            items: Any = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        # push in reverse so the first problem in file order is reported
        children = [(v, (*path, k)) for k, v in items if isinstance(v, dict | list | _Bad)]
        stack.extend(reversed(children))


def parse_json(text: str) -> Any:
    """Strict JSON (see the module docstring). Errors name the key path; the caller adds the file."""
    try:
        data = json.loads(
            text,
            parse_float=_parse_float,
            parse_int=_parse_int,
            parse_constant=_parse_constant,
            object_pairs_hook=_pairs,
        )
    except json.JSONDecodeError as e:
        hint = " (the file looks truncated)" if e.pos >= len(text.rstrip()) else ""
        raise InputError(
            "", f"not valid JSON at line {e.lineno}, column {e.colno}: {e.msg}{hint}"
        ) from None
    except RecursionError:
        line, col = _too_deep_at(text)
        raise InputError("", f"nested more than {MAX_DEPTH} levels deep (line {line}, column {col})") from None
    _check(data)
    return data


def read_json_file(path: str | os.PathLike[str], max_bytes: int, what: str = "file") -> Any:
    """Read and strictly parse a JSON file of at most ``max_bytes``. Every error names the file."""
    p = Path(path)
    name = str(path)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise InputError("", f"cannot open: {e.strerror or e}", name) from None
    if not p.is_file():  # a folder, a device (/dev/zero), a pipe: never read it (it may not end)
        raise InputError("", "not a regular file", name)
    limit = _size_text(max_bytes)
    if size > max_bytes:
        raise InputError("", f"file is {_size_text(size)}; a {what} is limited to {limit}", name)
    try:
        with p.open("rb") as fh:  # read at most the limit, whatever stat said
            raw = fh.read(max_bytes + 1)
    except OSError as e:
        raise InputError("", f"cannot read: {e.strerror or e}", name) from None
    if len(raw) > max_bytes:
        raise InputError("", f"file is larger than {limit}; a {what} is limited to that", name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError("", f"not UTF-8 text (byte {e.start:,}); is this really a {what}?", name) from None
    try:
        return parse_json(text)
    except InputError as e:
        raise e.in_file(name) from None


def _size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} kB"
    return f"{n} bytes"
