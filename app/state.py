"""Where the app keeps its own files: settings (config), recent files, window geometry and
autosaves (state). Never next to the user's document: a swap file there could leak a briefing.

``CHOKEPOINT_HOME`` overrides both folders (``$CHOKEPOINT_HOME/config`` and ``/state``), which
the tests use to stay out of the real home folder.

Both folders are private to the user (0700) and so are the files in them (0600: the session
lock, the autosave and its meta naming the original file, recent files). Every file here is
written with ``core.atomic.write_atomic``, the same writer as projects. When a folder cannot be
made (a read-only or broken home), ``state_dir``/``config_dir`` raise ``StateUnavailable`` with a
one-line message; the app then starts without autosave or recent files (``unavailable()``).
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

from core.atomic import PRIVATE_FILE, make_private_dir, write_atomic
from core.errors import InputError
from core.jsonread import read_json_file
from core.project import MAX_BYTES, Project, load_project, save_project

APP = "chokepoint"
MAX_RECENT = 10


class StateUnavailable(OSError):
    """The app's own folder cannot be made; the message is one line naming it."""


def _private_dir(path: Path, what: str) -> Path:
    try:
        return make_private_dir(path)
    except OSError as e:
        reason = e.strerror or str(e)
        raise StateUnavailable(e.errno or 0, f"cannot use the {what} folder {path}: {reason}") from e


def state_dir() -> Path:
    home = os.environ.get("CHOKEPOINT_HOME")
    path = Path(home) / "state" if home else platformdirs.user_state_path(APP, appauthor=False)
    return _private_dir(path, "state")


def config_dir() -> Path:
    home = os.environ.get("CHOKEPOINT_HOME")
    path = Path(home) / "config" if home else platformdirs.user_config_path(APP, appauthor=False)
    return _private_dir(path, "settings")


def unavailable() -> str | None:
    """One line saying what the app cannot keep this run (None when both folders work)."""
    try:
        state_dir()
        config_dir()
    except StateUnavailable as e:
        return (f"warning: {e.strerror}; starting without autosave, recent files and saved "
                "settings")
    return None


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
    """The app's own small files: atomic like a project save, readable by the user only."""
    write_atomic(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"), private=True)


# ---- settings (config) and small state files --------------------------------------------


def load_settings() -> dict:
    try:
        return _read_json(config_dir() / "settings.json", {})
    except StateUnavailable:
        return {}


def save_settings(settings: dict) -> None:
    _write_json(config_dir() / "settings.json", settings)


def load_ui_state() -> dict:
    """Window geometry and splitter sizes (base64 strings)."""
    try:
        return _read_json(state_dir() / "window.json", {})
    except StateUnavailable:
        return {}


def save_ui_state(data: dict) -> None:
    _write_json(state_dir() / "window.json", data)


def recent_files() -> list[str]:
    try:
        items = _read_json(state_dir() / "recent.json", [])
    except StateUnavailable:
        return []
    return [p for p in items if isinstance(p, str)] if isinstance(items, list) else []


def add_recent(path: str | os.PathLike[str]) -> list[str]:
    p = str(Path(path).resolve())
    items = [p] + [q for q in recent_files() if q != p]
    items = items[:MAX_RECENT]
    with contextlib.suppress(OSError):  # a convenience: never fails the save or open it follows
        _write_json(state_dir() / "recent.json", items)
    return items


def clear_recent() -> None:
    with contextlib.suppress(OSError):
        _write_json(state_dir() / "recent.json", [])


# ---- autosave and crash recovery --------------------------------------------------------


def _sessions_dir() -> Path:
    return _private_dir(state_dir() / "autosave", "autosave")


@dataclass
class Recoverable:
    """An autosave left by a session that did not exit cleanly."""

    project_path: Path
    original: str | None  # the file the project came from, if any
    saved_at: float
    lock_path: Path
    name: str = ""  # the project's name, as autosaved

    def load(self) -> Project:
        return load_project(self.project_path)

    def describe(self) -> str:
        """“Name” (/path/of/the/file.json), or (never saved to a file)."""
        return f"“{self.name}” ({self.original or 'never saved to a file'})"

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
        if self._lock.tryLock(0):
            with contextlib.suppress(OSError):
                os.chmod(self.lock_path, PRIVATE_FILE)  # it names this process and host
        self._meta: dict | None = None  # what the meta file holds

    def autosave(self, project: Project, original: str | None) -> None:
        """Write the project, then (when they changed) the name and original file that the next
        start names when it offers the autosave back. Thread-safe for one writer at a time."""
        save_project(project, self.autosave_path, private=True)
        meta = {"original": str(Path(original).resolve()) if original else None,
                "name": project.name}
        if meta != self._meta:
            _write_json(self.meta_path, {**meta, "saved_at": time.time()})
            self._meta = meta

    def clear_autosave(self) -> None:
        for p in (self.autosave_path, self.autosave_path.with_name(self.autosave_path.name + ".bak"),
                  self.meta_path):
            with contextlib.suppress(OSError):
                p.unlink()
        self._meta = None

    def close(self) -> None:
        """Clean exit: nothing to recover next time."""
        self.clear_autosave()
        self._lock.unlock()


def find_recoverable() -> list[Recoverable]:
    """Autosaves whose session lock is stale (its process is gone), newest first; none when
    the state folder cannot be used."""
    out: list[Recoverable] = []
    try:
        folder = _sessions_dir()
    except StateUnavailable:
        return out
    for lock_path in folder.glob("*.lock"):
        lock = QLockFile(str(lock_path))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            continue  # another running instance holds it
        lock.unlock()  # removes the stale lock file; the autosave stays until recovered/discarded
        project_path = lock_path.with_suffix(".json")
        if project_path.exists():
            out.append(_recoverable(project_path, lock_path))
    # orphaned autosaves without any lock (lock removed above on an earlier start): offer too
    for project_path in folder.glob("*.json"):
        if project_path.name.endswith(".meta.json"):
            continue
        lock_path = project_path.with_suffix(".lock")
        if lock_path.exists() or any(r.project_path == project_path for r in out):
            continue
        out.append(_recoverable(project_path, lock_path))
    out.sort(key=lambda r: r.saved_at, reverse=True)
    return out


def _recoverable(project_path: Path, lock_path: Path) -> Recoverable:
    """Named from the autosave itself (the meta file is written after it, and only when the
    name or file changes), else from the meta; dated by the autosave's own time."""
    meta = _read_json(project_path.with_suffix(".meta.json"), {})
    meta = meta if isinstance(meta, dict) else {}
    try:
        saved_at = project_path.stat().st_mtime
        data = _read_json(project_path, {}) if project_path.stat().st_size <= MAX_BYTES else {}
    except OSError:
        saved_at, data = 0.0, {}
    names = [data.get("name") if isinstance(data, dict) else None, meta.get("name")]
    name = next((n.strip() for n in names if isinstance(n, str) and n.strip()),
                f"a project autosaved as {project_path.name}")
    original = meta.get("original")
    return Recoverable(project_path, original if isinstance(original, str) else None, saved_at,
                       lock_path, name)
