"""A bounded memo for the core's pure computations (the plan search, one pool's policy verdict).

A project repeats itself: one fleet evaluated at other dates, prices, regimes or HQs. The plan
search for a (model, training, chip, count, physics) does not depend on any of those, and a pool's
verdict does not depend on prices, so each is worked out once per process. Stale numbers are the
risk of every cache, so:

* the key holds *every* argument of the computation, each pydantic model by its class and full
  JSON (any changed field is another key); a value that cannot be keyed raises ``TypeError``
  instead of being left out of the key;
* results are stored as plain data and rebuilt on every hit, so a caller that edits the result it
  was given cannot change what the next caller gets;
* at most ``maxsize`` entries are kept, the least recently used dropped first.

Only computations whose result depends on nothing but their arguments and the bundled catalogs
(read once per process, never edited) may be memoised. ``clear_all()`` empties every memo.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, ParamSpec, TypeVar

from pydantic import BaseModel

P = ParamSpec("P")
R = TypeVar("R")
_ALL: list[Memo[Any]] = []


def key_part(value: Any) -> Hashable:
    """A hashable, type-tagged image of ``value`` (1, 1.0 and True are different keys)."""
    if isinstance(value, BaseModel):
        return (type(value).__module__, type(value).__qualname__, value.model_dump_json())
    if value is None or isinstance(value, str | int | float | bool):
        return (type(value).__name__, value)
    if isinstance(value, dt.date):  # datetime included (its isoformat has the time)
        return (type(value).__name__, value.isoformat())
    if isinstance(value, tuple | list):
        return (type(value).__name__, tuple(key_part(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), key_part(v)) for k, v in value.items())))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # e.g. FixedLayout
        return (type(value).__module__, type(value).__qualname__,
                key_part({f.name: getattr(value, f.name) for f in dataclasses.fields(value)}))
    raise TypeError(f"cannot build a memo key from a {type(value).__name__}")


def _freeze(value: Any) -> tuple[type | None, Any]:
    if isinstance(value, BaseModel):
        return type(value), value.model_dump()
    if value is None or isinstance(value, str | int | float | bool):
        return None, value
    raise TypeError(f"cannot memoise a {type(value).__name__} result")


def _thaw(frozen: tuple[type | None, Any]) -> Any:
    cls, data = frozen
    return data if cls is None else cls.model_validate(data)  # type: ignore[attr-defined]


class Memo(Generic[R]):
    """Least-recently-used store of results by key; thread-safe (the GUI evaluates off-thread)."""

    def __init__(self, name: str, maxsize: int):
        if maxsize < 1:
            raise ValueError("maxsize must be >= 1")
        self.name, self.maxsize = name, maxsize
        self.hits = self.misses = 0
        self._data: OrderedDict[Hashable, tuple[type | None, Any]] = OrderedDict()
        self._lock = threading.Lock()
        _ALL.append(self)

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: Hashable, compute: Callable[[], R]) -> R:
        """The stored result for ``key``, else ``compute()`` (stored unless it raised)."""
        with self._lock:
            frozen = self._data.get(key)
            if frozen is not None:
                self._data.move_to_end(key)
                self.hits += 1
        if frozen is not None:
            result: R = _thaw(frozen)
            return result
        value = compute()
        frozen = _freeze(value)
        with self._lock:
            self.misses += 1
            self._data[key] = frozen
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0


class Memoised(Generic[P, R]):
    """``fn`` with its results memoised on all of its arguments (defaults filled in)."""

    def __init__(self, fn: Callable[P, R], maxsize: int):
        self._fn = fn
        self._sig = inspect.signature(fn)
        self.memo: Memo[R] = Memo(fn.__qualname__, maxsize)
        functools.update_wrapper(self, fn)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        bound = self._sig.bind(*args, **kwargs)
        bound.apply_defaults()
        key = key_part(dict(bound.arguments))
        return self.memo.get(key, lambda: self._fn(*args, **kwargs))

    def uncached(self, *args: P.args, **kwargs: P.kwargs) -> R:
        """The computation itself, bypassing the memo (benchmarks, tests)."""
        return self._fn(*args, **kwargs)


def memoised(maxsize: int) -> Callable[[Callable[P, R]], Memoised[P, R]]:
    def wrap(fn: Callable[P, R]) -> Memoised[P, R]:
        return Memoised(fn, maxsize)

    return wrap


def clear_all() -> None:
    """Empty every memo (tests; a catalog reloaded in-process)."""
    for memo in _ALL:
        memo.clear()
