"""The one way Chokepoint writes a file: whole or not at all.

``write_atomic(path, data)`` is used for projects, exports (PNG, SVG, PDF, PPTX) and the app's
own small state files. The data is serialised fully by the caller first; then:

1. a symlink is followed: the file it points to is written, the link stays a link;
2. stale temp files of our own naming (``.NAME.XXXXXXXX.tmp``, ``.NAME.bak.tmp``) left beside
   that file by a save that was killed are removed, but only those older than this process;
3. the bytes go to a new temp file in the same folder, which is flushed and fsynced, given the
   final permissions (the existing file's, or the user's default from the umask, or 0600 for
   the app's private files), then swapped in with ``os.replace``; the folder is fsynced where
   the OS allows it. With ``backup=True`` the previous file is kept as ``NAME.bak``.

A kill at any point leaves either the complete old or the complete new file (tests/
test_atomic_kill.py kills a saving process at random points). Any failure leaves the existing
file untouched and raises ``WriteError``, an ``OSError`` whose message is one line naming the
file and saying that it was left unchanged.
"""

from __future__ import annotations

import contextlib
import errno as _errno
import os
import re
import tempfile
import time
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700

class WriteError(OSError):
    """A file could not be written; the file already on disk (if any) is unchanged."""

    def __init__(self, path: Path, cause: OSError):
        reason = cause.strerror or str(cause) or type(cause).__name__
        existed = "the file on disk was left unchanged" if path.exists() else "nothing was written"
        self.message = f"cannot write {path}: {reason}; {existed}"
        super().__init__(cause.errno or _errno.EIO, self.message)
        self.filename = str(path)

    def __str__(self) -> str:
        return self.message


def _process_start() -> float:
    """When this process started (epoch seconds); the import time where the OS does not say."""
    try:
        with open("/proc/self/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        ticks = int(fields[19])  # field 22 of proc(5), counted after "pid (comm)": since boot
        # boot time to the microsecond (/proc/stat's btime is whole seconds)
        booted = time.time() - time.clock_gettime(time.CLOCK_BOOTTIME)
        return min(booted + ticks / os.sysconf("SC_CLK_TCK"), time.time())
    except (OSError, ValueError, IndexError, AttributeError):
        return time.time()


PROCESS_START = _process_start()


def _umask_now() -> int | None:
    """The umask without changing it, where the OS tells (Linux); None elsewhere."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return None


def _umask_at_start() -> int:
    # elsewhere the only way to read it is to set it and set it back: done once, at import, so a
    # thread creating a file at that moment is not given the wrong permissions later on
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_START_UMASK = _umask_at_start()


def default_file_mode() -> int:
    """What a plain ``open(path, "w")`` would give here: 0666 minus the umask."""
    umask = _umask_now()
    return 0o666 & ~(_START_UMASK if umask is None else umask)


def real_target(path: str | os.PathLike[str]) -> Path:
    """The file a save of ``path`` must replace: a symlink's target, not the link itself."""
    p = Path(path)
    if p.is_symlink():
        return Path(os.path.realpath(p))
    return p


def temp_pattern(name: str) -> re.Pattern[str]:
    """Names of our temp files beside ``name``: ``.name.XXXXXXXX.tmp`` (tempfile.mkstemp's eight
    characters) and ``.name.bak.tmp`` (the backup's hard link)."""
    return re.compile(r"\." + re.escape(name) + r"\.(?:[a-z0-9_]{8}|bak)\.tmp")


def clean_stale_temps(target: Path, older_than: float | None = None) -> list[Path]:
    """Remove temp files that a killed save of ``target`` left beside it: only files (not links
    or folders) whose name matches ``temp_pattern`` exactly and that are older than this
    process. Returns what was removed."""
    cutoff = PROCESS_START if older_than is None else older_than
    folder = target.parent
    pattern = temp_pattern(target.name)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_mtime >= cutoff:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def fsync_dir(folder: Path) -> None:
    """Make a rename durable where the OS allows opening a folder (not on Windows)."""
    flags = getattr(os, "O_DIRECTORY", 0) | os.O_RDONLY
    try:
        fd = os.open(folder, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _keep_backup(target: Path, tmp: Path) -> None:
    """Point ``name.bak`` at the current file's contents (via ``tmp``)."""
    if not target.exists():
        return
    bak = target.with_name(target.name + ".bak")
    with contextlib.suppress(OSError):
        if os.path.samefile(bak, target):
            # a save killed after the line below: the backup already is the current file (and a
            # rename between two links of one file would do nothing, leaving ``tmp`` behind)
            return
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        os.link(target, tmp)  # cheap and atomic: the old inode survives the replace below
    except OSError:
        tmp.write_bytes(target.read_bytes())  # filesystems without hard links
    os.replace(tmp, bak)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def write_atomic(path: str | os.PathLike[str], data: bytes, *, backup: bool = False,
                 private: bool = False) -> Path:
    """Replace the file at ``path`` with ``data``, atomically (see the module docstring).

    Permissions: an existing file keeps its own; a new file gets the user's default (umask),
    or 0600 with ``private=True`` (the app's own metadata). Returns the path actually written
    (the symlink's target when ``path`` is a link). Raises ``WriteError`` on any failure."""
    target = real_target(path)
    folder = target.parent if str(target.parent) else Path(".")
    clean_stale_temps(target)
    tmp: Path | None = None
    bak_tmp = target.with_name(f".{target.name}.bak.tmp")
    try:
        try:
            mode = os.stat(target).st_mode & 0o7777
        except FileNotFoundError:
            mode = PRIVATE_FILE if private else default_file_mode()
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        tmp = Path(tmp_name)
        try:
            _write_all(fd, data)
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            else:  # Windows: only the read-only bit means anything
                os.chmod(tmp, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        if backup:
            _keep_backup(target, bak_tmp)
        os.replace(tmp, target)
    except OSError as e:
        _discard(tmp, bak_tmp)
        raise WriteError(target, e) from e
    except BaseException:
        _discard(tmp, bak_tmp)
        raise
    fsync_dir(folder)
    return target


def _discard(*paths: Path | None) -> None:
    for p in paths:
        if p is not None:
            with contextlib.suppress(OSError):
                p.unlink()


def make_private_dir(path: Path) -> Path:
    """Create the app's own folder (and parents) readable by the user only (0700); tighten an
    existing one created by an older version. Raises ``OSError`` when it cannot be made."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if not path.is_dir():
        raise NotADirectoryError(_errno.ENOTDIR, "not a folder", str(path))
    if os.name == "posix" and (path.stat().st_mode & 0o777) != PRIVATE_DIR:
        with contextlib.suppress(OSError):
            os.chmod(path, PRIVATE_DIR)
    return path
