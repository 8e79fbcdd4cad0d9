"""Project files: versioned JSON that loads with one clear message when anything is wrong.

A project is one ``.json`` file (see docs/project-format.md). Loading reads the raw dict, runs
the migration chain ``MIGRATIONS[v]`` (v -> v+1) up to ``SCHEMA_VERSION``, then validates; a file
from a newer program is refused rather than half-read. Every failure is an ``InputError`` whose
field is the path inside the file (``scenarios[2].fleet[0].count``), and a failed load never
touches the file. Saving serialises fully first, then goes through ``core.atomic.write_atomic``:
temp file in the same folder, fsync, one ``.bak`` of the previous file, ``os.replace``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.atomic import write_atomic
from core.errors import InputError
from core.scenario import Scenario

SCHEMA_VERSION = 1
MAX_BYTES = 50 * 1024 * 1024


class Project(BaseModel):
    """Everything the user saves: scenarios plus their own policy regimes.

    ``regimes`` holds serialized policy regimes exactly as edited by the user; they are kept as
    plain JSON objects here and validated by ``core.policy`` when a scenario is evaluated, so a
    project with a regime the policy code cannot read still opens.
    """

    # 'constants' keeps a stray NaN as NaN when dumping, so json.dumps(allow_nan=False) refuses it
    # instead of pydantic silently writing null.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, ser_json_inf_nan="constants")

    schema_version: int = Field(default=SCHEMA_VERSION, description="file format version")
    name: str = Field(min_length=1)
    marking: str = Field(
        default="", description="protective marking printed on exports, e.g. OFFICIAL-SENSITIVE"
    )
    notes: str = ""
    scenarios: list[Scenario] = Field(min_length=1)
    regimes: list[dict[str, Any]] = Field(
        default_factory=list, description="user-edited policy regimes (validated by core.policy)"
    )

    @field_validator("regimes")
    @classmethod
    def _finite_regimes(cls, regimes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        hit = _find_nonfinite(regimes)
        if hit:
            raise ValueError(f"{loc_path(hit[0])}: {hit[1]} is not allowed; numbers must be finite")
        return regimes


# ---- migrations ---------------------------------------------------------------------------


def migrate_v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """v0 (pre-release files): ``version`` instead of ``schema_version``; pools had ``chip`` and
    ``gpus`` instead of ``accelerator`` and ``count``; scenarios had no ``hq`` (it was always CN)."""
    out = {k: v for k, v in data.items() if k != "version"}
    scenarios = []
    for sc in out.get("scenarios", []):
        if isinstance(sc, dict):
            sc = dict(sc)
            sc.setdefault("hq", "CN")
            fleet = []
            for pool in sc.get("fleet", []):
                if isinstance(pool, dict):
                    pool = {_V0_POOL_KEYS.get(k, k): v for k, v in pool.items()}
                fleet.append(pool)
            if "fleet" in sc:
                sc["fleet"] = fleet
        scenarios.append(sc)
    if "scenarios" in out:
        out["scenarios"] = scenarios
    out["schema_version"] = 1
    return out


_V0_POOL_KEYS = {"chip": "accelerator", "gpus": "count"}

MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: migrate_v0_to_v1}


def _file_version(data: dict[str, Any]) -> int:
    if "schema_version" in data:
        v = data["schema_version"]
    elif "version" in data:  # v0 name of the field
        v = data["version"]
    else:
        raise InputError("schema_version", "missing; is this a Chokepoint project file?")
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise InputError("schema_version", f"must be a whole number >= 0, got {v!r}")
    return v


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a raw project dict up to ``SCHEMA_VERSION`` (refusing files from a newer program)."""
    version = _file_version(data)
    if version > SCHEMA_VERSION:
        raise InputError(
            "schema_version",
            f"this file was written by a newer Chokepoint (format {version}); this program reads "
            f"up to {SCHEMA_VERSION} - update Chokepoint",
        )
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return data


# ---- error messages -----------------------------------------------------------------------


def loc_path(loc: tuple[str | int, ...]) -> str:
    """``('scenarios', 2, 'fleet', 0, 'count')`` -> ``scenarios[2].fleet[0].count``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


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
    }
    if kind in simple:
        return simple[kind].format(**ctx)
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "unknown field (not part of the project format; check the spelling)"
    if kind == "finite_number":
        return "must be a finite number (NaN and Infinity are not allowed)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"must be a whole number, got {given!r}"
    if kind in ("float_parsing", "float_type"):
        return f"must be a number, got {given!r}"
    msg = str(err.get("msg", kind))
    msg = msg.removeprefix("Value error, ")
    return msg[:1].lower() + msg[1:]


def validation_to_input_error(exc: ValidationError, prefix: str = "") -> InputError:
    """The first pydantic error as ``InputError(path, problem)``, plus "(and N more)"."""
    errors = exc.errors()
    first = errors[0]
    path = loc_path(tuple(first["loc"]))
    if prefix:
        path = f"{prefix}.{path}" if path else prefix
    problem = _problem(dict(first))
    if len(errors) > 1:
        problem += f" (and {len(errors) - 1} more)"
    return InputError(path, problem)


# ---- parsing ------------------------------------------------------------------------------


class _NonFinite:
    """Placeholder for NaN/Infinity (or an overflowing number) found while parsing."""

    def __init__(self, text: str):
        self.text = text


def _parse_float(text: str) -> float | _NonFinite:
    value = float(text)
    return value if math.isfinite(value) else _NonFinite(text)


def _find_nonfinite(node: Any, path: tuple[str | int, ...] = ()) -> tuple[tuple, str] | None:
    """Path and text of the first NaN/Infinity (a parse placeholder or a float) under ``node``."""
    if isinstance(node, _NonFinite):
        return path, node.text
    if isinstance(node, float) and not math.isfinite(node):
        return path, repr(node)
    if isinstance(node, dict):
        items: Any = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return None
    for key, child in items:
        hit = _find_nonfinite(child, (*path, key))
        if hit:
            return hit
    return None


def parse_project_text(text: str, where: str = "file") -> dict[str, Any]:
    """Strict JSON: rejects NaN/Infinity literals (naming their path) and non-object files."""
    try:
        data = json.loads(text, parse_constant=_NonFinite, parse_float=_parse_float)
    except json.JSONDecodeError as e:
        raise InputError(
            where, f"not valid JSON at line {e.lineno}, column {e.colno}: {e.msg}"
        ) from None
    hit = _find_nonfinite(data)
    if hit:
        path, literal = hit
        raise InputError(
            loc_path(path) or where,
            f"{literal} is not allowed; numbers must be finite",
        )
    if not isinstance(data, dict):
        raise InputError(
            where,
            f"a project file holds a JSON object, but this one holds a {type(data).__name__}",
        )
    return data


def project_from_dict(data: dict[str, Any]) -> Project:
    data = migrate(data)
    try:
        return Project.model_validate(data)
    except ValidationError as e:
        raise validation_to_input_error(e) from None


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read, migrate and validate a project file. Never writes to it."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise InputError(p.name, f"cannot open: {e.strerror or e}") from None
    if not p.is_file():  # a folder, a device (/dev/zero), a pipe: never read it (it may not end)
        raise InputError(p.name, "not a regular file")
    if size > MAX_BYTES:
        raise InputError(
            p.name,
            f"file is {size / 1024 / 1024:.1f} MB; project files are limited to "
            f"{MAX_BYTES // 1024 // 1024} MB",
        )
    try:
        with p.open("rb") as fh:  # read at most the limit, whatever stat said
            raw = fh.read(MAX_BYTES + 1)
    except OSError as e:
        raise InputError(p.name, f"cannot read: {e.strerror or e}") from None
    if len(raw) > MAX_BYTES:
        raise InputError(p.name, f"file is larger than {MAX_BYTES // 1024 // 1024} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(p.name, f"not UTF-8 text (byte {e.start})") from None
    return project_from_dict(parse_project_text(text, p.name))


# ---- saving -------------------------------------------------------------------------------


def project_to_text(project: Project) -> str:
    try:
        return json.dumps(project.model_dump(mode="json"), indent=2, allow_nan=False) + "\n"
    except ValueError as e:  # NaN/inf smuggled into a free-form regime dict
        raise InputError("regimes", f"cannot be saved: {e}") from None


def save_project(project: Project, path: str | os.PathLike[str], *, private: bool = False) -> None:
    """Atomic save (core.atomic): the file on disk is always either the old or the new project,
    whole; one ``.bak`` keeps the previous file. A symlink's target is written, not the link.
    ``private`` gives a new file mode 0600 (the app's autosaves); otherwise the umask decides.
    A failure raises ``WriteError`` (an ``OSError``) and leaves the file on disk unchanged."""
    data = project_to_text(project).encode("utf-8")
    write_atomic(path, data, backup=True, private=private)


def project_json_schema() -> dict[str, Any]:
    """JSON Schema of the current format (published as docs/project.schema.json)."""
    schema = Project.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"chokepoint-project-v{SCHEMA_VERSION}"
    return schema
