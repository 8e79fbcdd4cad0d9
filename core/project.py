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
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.atomic import write_atomic
from core.errors import InputError, loc_path, validation_error
from core.jsonread import MAX_DEPTH, parse_json, read_json_file
from core.scenario import NAME_CHARS, NOTES_CHARS, Scenario

SCHEMA_VERSION = 1
MAX_BYTES = 50 * 1024 * 1024
MAX_SCENARIOS = 2_000
MAX_REGIMES = 500


class Project(BaseModel):
    """Everything the user saves: scenarios plus their own policy regimes.

    ``regimes`` holds serialized policy regimes exactly as edited by the user; they are kept as
    plain JSON objects here and validated by ``core.policy`` when a scenario is evaluated, so a
    project with a regime the policy code cannot read still opens.
    """

    # 'constants' keeps a stray NaN as NaN when dumping, so json.dumps(allow_nan=False) refuses it
    # instead of pydantic silently writing null.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, ser_json_inf_nan="constants")

    schema_version: int = Field(
        default=SCHEMA_VERSION, ge=0, le=SCHEMA_VERSION, description="file format version"
    )
    name: str = Field(min_length=1, max_length=NAME_CHARS)
    marking: str = Field(
        default="", max_length=NAME_CHARS,
        description="protective marking printed on exports, e.g. OFFICIAL-SENSITIVE",
    )
    notes: str = Field(default="", max_length=NOTES_CHARS)
    scenarios: list[Scenario] = Field(min_length=1, max_length=MAX_SCENARIOS)
    regimes: list[dict[str, Any]] = Field(
        default_factory=list, max_length=MAX_REGIMES,
        description="user-edited policy regimes (validated by core.policy)",
    )

    @field_validator("regimes")
    @classmethod
    def _finite_regimes(cls, regimes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        hit = _regime_problem(regimes)
        if hit:
            raise ValueError(f"{loc_path(hit[0])}: {hit[1]}")
        return regimes


def _regime_problem(regimes: list[dict[str, Any]]) -> tuple[tuple, str] | None:
    """Path and problem of the first NaN/Infinity or over-deep level in free-form regime data
    (files are checked while parsing; this catches values built in code)."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(r, (i,)) for i, r in enumerate(regimes)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            return path, f"{node!r} is not allowed; numbers must be finite"
        if isinstance(node, dict | list):
            if len(path) > MAX_DEPTH - 2:
                return path, f"nested more than {MAX_DEPTH} levels deep"
            items = node.items() if isinstance(node, dict) else enumerate(node)
            stack.extend((v, (*path, k)) for k, v in items)
    return None


# ---- migrations ---------------------------------------------------------------------------


def migrate_v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """v0 (pre-release files): ``version`` instead of ``schema_version``; pools had ``chip`` and
    ``gpus`` instead of ``accelerator`` and ``count``; scenarios had no ``hq`` (it was always CN).
    Anything of the wrong type is left as it is, for validation to report with its path.
    """
    out = {k: v for k, v in data.items() if k != "version"}
    if isinstance(out.get("scenarios"), list):
        scenarios = []
        for sc in out["scenarios"]:
            if isinstance(sc, dict):
                sc = dict(sc)
                sc.setdefault("hq", "CN")
                if isinstance(sc.get("fleet"), list):
                    sc["fleet"] = [
                        {_V0_POOL_KEYS.get(k, k): v for k, v in pool.items()}
                        if isinstance(pool, dict) else pool
                        for pool in sc["fleet"]
                    ]
            scenarios.append(sc)
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

# The translator lives in core.errors (one for the loader, the CLI and the GUI); these names stay
# importable from here for older callers.
validation_to_input_error = validation_error


# ---- parsing ------------------------------------------------------------------------------


def parse_project_text(text: str, where: str = "file") -> dict[str, Any]:
    """Strict JSON (see core.jsonread): NaN/Infinity, overflowing or huge numbers, duplicate keys
    and over-deep nesting are refused naming their path; the file must hold an object."""
    try:
        data = parse_json(text)
    except InputError as e:
        raise e.in_file(where) from None
    if not isinstance(data, dict):
        raise InputError(
            "", f"a project file holds a JSON object, but this one holds a {_json_kind(data)}", where
        )
    return data


def _json_kind(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


def project_from_dict(data: dict[str, Any], source: str | None = None) -> Project:
    """Migrate and validate a raw project dict. Strict: ``"12"``, ``false`` or ``4096.0`` where a
    whole number belongs, or ``20250701`` where a date belongs, are refused with their path."""
    try:
        data = migrate(data)
        return Project.model_validate(data, strict=True)
    except ValidationError as e:
        raise validation_error(e, source=source) from None
    except InputError as e:
        raise (e.in_file(source) if source else e) from None


def scenario_index(project: Project, wanted: str | None, flag: str = "--scenario") -> int:
    """The scenario a command names: by name (exact, then ignoring case) or 1-based number;
    the first when none is named. InputError listing the scenarios otherwise."""
    if wanted is None:
        return 0
    names = [s.name for s in project.scenarios]
    if wanted in names:
        return names.index(wanted)
    lowered = [n.lower() for n in names]
    if wanted.lower() in lowered:
        return lowered.index(wanted.lower())
    if wanted.isdigit() and 1 <= int(wanted) <= len(names):
        return int(wanted) - 1
    raise InputError(flag, f"no scenario {wanted!r}; the project has: "
                     + "; ".join(f"{i + 1} {n!r}" for i, n in enumerate(names)))


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read, migrate and validate a project file. Never writes to it."""
    data = read_json_file(path, MAX_BYTES, "project file")
    name = str(path)
    if not isinstance(data, dict):
        raise InputError(
            "", f"a project file holds a JSON object, but this one holds a {_json_kind(data)}", name
        )
    project = project_from_dict(data, name)
    _check_saveable(project, name)
    return project


def _check_saveable(project: Project, source: str) -> None:
    """What opens must save: refuse now a project whose saved form would exceed the open limit
    (a file written compactly, with defaults left out, grows when saved in full)."""
    # the compact form is what project_to_text falls back to; ASCII, so chars == bytes
    size = len(json.dumps(project.model_dump(mode="json"), separators=(",", ":"), allow_nan=False)) + 1
    if size > MAX_BYTES:
        raise InputError(
            "", f"this project would take {size / 1024 / 1024:.1f} MB when saved, over the "
            f"{MAX_BYTES // 1024 // 1024} MB limit of a project file; split it into smaller projects",
            source,
        )


# ---- saving -------------------------------------------------------------------------------


def project_to_text(project: Project) -> str:
    """The file's text: indented for people, or compact when indenting would take the file over
    the open limit (``MAX_BYTES``), so that whatever opens also saves and opens again."""
    data = project.model_dump(mode="json")
    try:
        text = json.dumps(data, indent=2, allow_nan=False) + "\n"
        if len(text) > MAX_BYTES:
            text = json.dumps(data, separators=(",", ":"), allow_nan=False) + "\n"
    except ValueError as e:  # NaN/inf smuggled into a free-form regime dict
        raise InputError("regimes", f"cannot be saved: {e}") from None
    except RecursionError:
        raise InputError("regimes", f"cannot be saved: nested more than {MAX_DEPTH} levels deep") from None
    return text


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
