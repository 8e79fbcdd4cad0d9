"""One error type for bad user input, always naming the field it is about, and the ONE translator
from validation errors to the messages users read.

The CLI prints ``InputError`` as one line and exits 2; the GUI shows it on the field; the file
loaders raise it naming the file and the key path. Every pydantic ``ValidationError`` reaches a
user through ``validation_error`` below (loader, CLI, GUI editors, Hugging Face import), so the
same bad value reads the same everywhere (``fleet[0].count: must be > 0``).
"""

from __future__ import annotations

from typing import Any

MAX_PROBLEM_CHARS = 300  # a message stays one readable line, whatever the input held


def one_line(text: str, limit: int = MAX_PROBLEM_CHARS) -> str:
    """Newlines and control characters folded to spaces; long text shortened with an ellipsis."""
    flat = "".join(ch if ch.isprintable() else " " for ch in text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class InputError(ValueError):
    """Bad input from a user or a file. ``field`` is a dotted path (``fleet[0].count``);
    ``source`` optionally names the file it came from (``project.json``)."""

    def __init__(self, field: str, problem: str, source: str | None = None):
        self.field = one_line(field, 200)
        self.problem = one_line(problem)
        self.source = one_line(source, 200) if source else None
        super().__init__(self._text())

    def _text(self) -> str:
        parts = [p for p in (self.source, self.field) if p]
        return ": ".join([*parts, self.problem])

    def with_prefix(self, prefix: str) -> InputError:
        """The same problem one level further out (``scenarios[2]`` + ``fleet[0].count``)."""
        if not prefix:
            return self
        if not self.field:
            field = prefix
        elif self.field.startswith("["):
            field = prefix + self.field
        else:
            field = f"{prefix}.{self.field}"
        return InputError(field, self.problem, self.source)

    def in_file(self, source: str) -> InputError:
        """The same problem, naming the file it was found in."""
        return InputError(self.field, self.problem, source)


def loc_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """``('scenarios', 2, 'fleet', 0, 'count')`` -> ``scenarios[2].fleet[0].count``."""
    out = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _kind(value: Any) -> str:
    """The JSON name of a value's type (a user wrote JSON, not Python)."""
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


def shown(value: Any) -> str:
    """A given value as the user wrote it: JSON spelling, long values shortened."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int) and abs(value) >= 10**20:
        return f"a number with {len(str(abs(value))):,} digits"
    if isinstance(value, dict | list):
        return _kind(value)
    return one_line(repr(value), 60)


def _problem(err: dict[str, Any]) -> str:
    kind, ctx, given = err["type"], err.get("ctx") or {}, err.get("input")
    simple = {
        "greater_than": "must be > {gt}",
        "greater_than_equal": "must be >= {ge}",
        "less_than": "must be < {lt}",
        "less_than_equal": "must be <= {le}",
        "string_too_short": "must have at least {min_length} character(s)",
        "string_too_long": "must have at most {max_length} character(s)",
        "too_short": "needs at least {min_length} item(s)",
        "too_long": "may have at most {max_length} item(s)",
        "literal_error": "must be one of {expected}",
        "string_pattern_mismatch": "must match the pattern {pattern}",
    }
    if kind in simple:
        try:
            text = simple[kind].format(**ctx)
        except (KeyError, IndexError):
            text = str(err.get("msg", kind))
        if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
            text += f", got {shown(given)}"
        return text
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "unknown field (not part of the format; check the spelling)"
    if kind == "finite_number":
        return "must be a finite number (NaN and Infinity are not allowed)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"must be a whole number, got {shown(given)}"
    if kind in ("float_parsing", "float_type"):
        return f"must be a number, got {shown(given)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, got {shown(given)}"
    if kind in ("string_type",):
        return f"must be text, got {shown(given)}"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list, got {_kind(given)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"must be an object {{...}}, got {_kind(given)}"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return f"expected a date YYYY-MM-DD, got {shown(given)}"
    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        return str(err.get("msg", kind))
    msg = str(err.get("msg", kind))
    msg = msg.removeprefix("Value error, ")
    return msg[:1].lower() + msg[1:]


def validation_error(exc: Any, prefix: str = "", source: str | None = None) -> InputError:
    """A pydantic ``ValidationError`` as ONE ``InputError(path, problem)``, plus "(and N more)".

    ``prefix`` is where the validated object sits (``scenarios[2]``); ``source`` names a file.
    Union branches that pydantic reports under a type name (``int``, ``function-after[...]``)
    are dropped from the path, so the path is always the key path of the input."""
    errors = exc.errors()
    first = errors[0]
    loc = [p for p in first.get("loc", ()) if not _is_branch_tag(p)]
    err = InputError(loc_path(tuple(loc)), _problem(dict(first)), source)
    if len(errors) > 1:
        err = InputError(err.field, f"{err.problem} (and {len(errors) - 1} more)", source)
    return err.with_prefix(prefix)


def _is_branch_tag(part: Any) -> bool:
    """pydantic names union members in ``loc`` (``int``, ``date``, ``function-before[...]``)."""
    return isinstance(part, str) and (
        part in ("int", "float", "str", "bool")
        or part.startswith(("function-", "constrained-", "lax-", "strict-", "json-or-python"))
        or (part.endswith("]") and "[" in part)
    )


def message(exc: BaseException) -> str:
    """One line for a user, whatever went wrong with their input."""
    if isinstance(exc, InputError):
        return str(exc)
    if type(exc).__name__ == "ValidationError" and hasattr(exc, "errors"):
        return str(validation_error(exc))
    return one_line(str(exc)) or type(exc).__name__
