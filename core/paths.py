"""Inputs of a scenario named by a path, ``("fleet", 0, "count")`` or ``fleet[0].count``: read
one, or get a validated copy with some changed. The editors, the sensitivity sweeps and the
``sweep`` command all change inputs through here, so a value one refuses they all refuse, with
the same words (core.errors.validation_error)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from core.errors import InputError, validation_error

Path = tuple  # ("model", "n_layers") or ("fleet", 0, "count")
M = TypeVar("M", bound=BaseModel)


def path_key(path: Sequence[str | int]) -> str:
    """``("fleet", 0, "count")`` -> ``fleet[0].count``."""
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")


def get_value(model: BaseModel, path: Sequence[str | int]) -> Any:
    """The input at ``path``; InputError naming it when the model has no such input."""
    node: Any = model
    try:
        for part in path:
            node = node[part] if isinstance(part, int) else getattr(node, part)
    except (AttributeError, IndexError, TypeError, KeyError):
        raise InputError(path_key(path), "no such input") from None
    return node


def with_values(model: M, updates: Mapping[Sequence[str | int], Any], field: str = "") -> M:
    """A new validated copy of ``model`` with the values at the given paths replaced (one
    edit); InputError naming the field when a path does not exist or a value is refused."""
    data = model.model_dump()
    for path, value in updates.items():
        node: Any = data
        try:
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            raise InputError(field or path_key(path), "no such input") from None
    try:
        return type(model).model_validate(data)
    except ValidationError as e:
        err = validation_error(e)  # the one translator: reads as the loader and the CLI read
        raise InputError(field or err.field, err.problem) from None


def with_value(model: M, path: Sequence[str | int], value: Any) -> M:
    """``with_values`` of one path, the error naming that path."""
    return with_values(model, {path: value}, field=path_key(path))
