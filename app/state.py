"""Where the app keeps its own files: settings (config), recent files, window geometry and
autosaves (state). Never next to the user's document: a swap file there could leak a briefing.

``CHOKEPOINT_HOME`` overrides both folders (``$CHOKEPOINT_HOME/config`` and ``/state``), which
the tests use to stay out of the real home folder.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from PySide6.QtCore import QLockFile

from core.errors import InputError
from core.jsonread import read_json_file
from core.project import Project, load_project, save_project

APP = "chokepoint"
MAX_RECENT = 10


def state_dir() -> Path:
    home = os.environ.get("CHOKEPOINT_HOME")
    path = Path(home) / "state" if home else platformdirs.user_state_path(APP, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    home = os.environ.get("CHOKEPOINT_HOME")
    path = Path(home) / "config" if home else platformdirs.user_config_path(APP, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


MAX_STATE_BYTES = 1024 * 1024  # settings, recent files, window, session meta: a few kB each


def _read_json(path: Path, default):
    """The app's own small JSON files, read like every user file (core.jsonread: bounded size and
    depth, strict numbers, no duplicate keys). A missing file gives ``default`` silently; a damaged
    one gives ``default`` with one line on stderr naming the file and the place; a file holding
    the wrong kind of value (a list where an object belongs) counts as damaged."""
    if not path.exists():
        return default
    try:
        data = read_json_file(path, MAX_STATE_BYTES, "settings file")
    except InputError as e:
        print(f"chokepoint: ignoring a damaged file, using defaults: {e}", file=sys.stderr)
        return default
    if not isinstance(data, type(default)):
        print(f"chokepoint: ignoring a damaged file, using defaults: {path}: holds a "
              f"{type(data).__name__}, not a {type(default).__name__}", file=sys.stderr)
        return default
    return data


def _saved_at(meta: dict) -> float:
    value = meta.get("saved_at", 0)
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else 0.0


def _original(meta: dict) -> str | None:
    value = meta.get("original")
    return value if isinstance(value, str) else None


def _write_json(path: Path, data) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, path)


# ---- settings (config) and small state files --------------------------------------------


def load_settings() -> dict:
    return _read_json(config_dir() / "settings.json", {})


def save_settings(settings: dict) -> None:
    _write_json(config_dir() / "settings.json", settings)


def load_ui_state() -> dict:
    """Window geometry and splitter sizes (base64 strings)."""
    return _read_json(state_dir() / "window.json", {})


def save_ui_state(data: dict) -> None:
    _write_json(state_dir() / "window.json", data)


def recent_files() -> list[str]:
    items = _read_json(state_dir() / "recent.json", [])
    return [p for p in items if isinstance(p, str)] if isinstance(items, list) else []


def add_recent(path: str | os.PathLike[str]) -> list[str]:
    p = str(Path(path).resolve())
    items = [p] + [q for q in recent_files() if q != p]
    items = items[:MAX_RECENT]
    _write_json(state_dir() / "recent.json", items)
    return items


def clear_recent() -> None:
    _write_json(state_dir() / "recent.json", [])


# ---- autosave and crash recovery --------------------------------------------------------


def _sessions_dir() -> Path:
    path = state_dir() / "autosave"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Recoverable:
    """An autosave left by a session that did not exit cleanly."""

    project_path: Path
    original: str | None  # the file the project came from, if any
    saved_at: float
    lock_path: Path

    def load(self) -> Project:
        return load_project(self.project_path)

    def discard(self) -> None:
        for p in (self.project_path, self.project_path.with_name(self.project_path.name + ".bak"),
                  self.project_path.with_suffix(".meta.json"), self.lock_path):
            with contextlib.suppress(OSError):
                p.unlink()


class Session:
    """This run's lock plus its autosave slot. The lock is held while the app runs; a lock file
    whose owner is gone marks a crashed session whose autosave can be recovered."""

    def __init__(self) -> None:
        self.id = uuid.uuid4().hex[:12]
        folder = _sessions_dir()
        self.lock_path = folder / f"{self.id}.lock"
        self.autosave_path = folder / f"{self.id}.json"
        self.meta_path = folder / f"{self.id}.meta.json"
        self._lock = QLockFile(str(self.lock_path))
        self._lock.setStaleLockTime(0)
        self._lock.tryLock(0)

    def autosave(self, project: Project, original: str | None) -> None:
        save_project(project, self.autosave_path)
        _write_json(self.meta_path, {"original": original, "saved_at": time.time()})

    def clear_autosave(self) -> None:
        for p in (self.autosave_path, self.autosave_path.with_name(self.autosave_path.name + ".bak"),
                  self.meta_path):
            with contextlib.suppress(OSError):
                p.unlink()

    def close(self) -> None:
        """Clean exit: nothing to recover next time."""
        self.clear_autosave()
        self._lock.unlock()


def find_recoverable() -> list[Recoverable]:
    """Autosaves whose session lock is stale (its process is gone), newest first."""
    out = []
    for lock_path in _sessions_dir().glob("*.lock"):
        lock = QLockFile(str(lock_path))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            continue  # another running instance holds it
        lock.unlock()  # removes the stale lock file; the autosave stays until recovered/discarded
        project_path = lock_path.with_suffix(".json")
        meta = _read_json(lock_path.with_suffix(".meta.json"), {})
        if project_path.exists():
            out.append(Recoverable(project_path, _original(meta), _saved_at(meta), lock_path))
    # orphaned autosaves without any lock (lock removed above on an earlier start): offer too
    for project_path in _sessions_dir().glob("*.json"):
        if project_path.name.endswith(".meta.json"):
            continue
        lock_path = project_path.with_suffix(".lock")
        if lock_path.exists() or any(r.project_path == project_path for r in out):
            continue
        meta = _read_json(project_path.with_suffix(".meta.json"), {})
        out.append(Recoverable(project_path, _original(meta), _saved_at(meta), lock_path))
    out.sort(key=lambda r: r.saved_at, reverse=True)
    return out
