"""The one atomic writer (core.atomic) and the project saver on top of it: symlinks, stale temp
files, permissions, failures that must leave the file on disk and the project in memory alone."""

import errno
import os
import stat
import subprocess
import sys
import time

import pytest

from core import atomic
from core.atomic import WriteError, clean_stale_temps, default_file_mode, write_atomic
from core.project import load_project, project_to_text, save_project
from tests.test_project import ROOT, full_project

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and symlinks")


def mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


def test_project_bytes_are_the_serialised_text(tmp_path):
    p = tmp_path / "plan.json"
    save_project(full_project(), p)
    assert p.read_bytes() == project_to_text(full_project()).encode("utf-8")
    assert load_project(p) == full_project()


@posix_only
def test_save_through_a_symlink_writes_the_target(tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "plan.json"
    link = tmp_path / "link.json"
    save_project(full_project(), target)
    link.symlink_to(target)
    second = full_project().model_copy(update={"name": "second"})
    save_project(second, link)
    assert link.is_symlink()  # still a link ...
    assert os.readlink(link) == str(target)
    assert load_project(target) == second  # ... and the target holds the new project
    assert load_project(real_dir / "plan.json.bak") == full_project()  # backup beside the target
    assert sorted(x.name for x in tmp_path.iterdir()) == ["link.json", "real"]


@posix_only
def test_save_through_a_dangling_symlink_creates_the_target(tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "new.json")
    save_project(full_project(), link)
    assert link.is_symlink()
    assert load_project(tmp_path / "new.json") == full_project()


def _make_temp(folder, name, age_s):
    p = folder / name
    p.write_text("a hidden copy of the briefing")
    t = time.time() - age_s
    os.utime(p, (t, t))
    return p


def test_stale_temp_files_of_our_pattern_are_removed_on_the_next_save(tmp_path):
    old = 10 * 24 * 3600 + (time.time() - atomic.PROCESS_START)  # well before this process
    stale = [_make_temp(tmp_path, ".plan.json.k3j_9xq0.tmp", old),
             _make_temp(tmp_path, ".plan.json.bak.tmp", old)]
    keep = [
        _make_temp(tmp_path, ".plan.json.k3j_9xq0.tmp.keep", old),  # not exactly our pattern
        _make_temp(tmp_path, ".plan.json.ABCDEFGH.tmp", old),  # upper case: not mkstemp's
        _make_temp(tmp_path, ".plan.json.abc.tmp", old),  # too short
        _make_temp(tmp_path, ".other.json.k3j_9xq0.tmp", old),  # another file's temp
        _make_temp(tmp_path, "plan.json.k3j_9xq0.tmp", old),  # not hidden
        _make_temp(tmp_path, ".plan.json.zzzzzzzz.tmp", -5),  # newer than this process
    ]
    (tmp_path / ".plan.json.dir_name.tmp").mkdir()  # a folder with our pattern: never touched
    os.utime(tmp_path / ".plan.json.dir_name.tmp", (time.time() - old,) * 2)
    save_project(full_project(), tmp_path / "plan.json")
    for p in stale:
        assert not p.exists(), p.name
    for p in keep:
        assert p.exists(), p.name
    assert (tmp_path / ".plan.json.dir_name.tmp").is_dir()
    assert load_project(tmp_path / "plan.json") == full_project()


def test_clean_stale_temps_reports_what_it_removed(tmp_path):
    p = _make_temp(tmp_path, ".deck.pptx.abcdefgh.tmp", 3600)
    removed = clean_stale_temps(tmp_path / "deck.pptx", older_than=time.time())
    assert removed == [p]
    assert clean_stale_temps(tmp_path / "deck.pptx", older_than=time.time()) == []


@posix_only
def test_new_files_get_the_users_default_permissions(tmp_path):
    old = os.umask(0o027)
    try:
        assert default_file_mode() == 0o640
        save_project(full_project(), tmp_path / "plan.json")
        write_atomic(tmp_path / "chart.png", b"\x89PNG")
    finally:
        os.umask(old)
    assert mode(tmp_path / "plan.json") == 0o640  # not mkstemp's 0600
    assert mode(tmp_path / "chart.png") == 0o640


@posix_only
def test_an_existing_file_keeps_its_permissions_and_private_files_are_0600(tmp_path):
    p = tmp_path / "plan.json"
    p.write_text("{}")
    os.chmod(p, 0o664)
    save_project(full_project(), p)
    assert mode(p) == 0o664
    write_atomic(tmp_path / "meta.json", b"{}", private=True)
    assert mode(tmp_path / "meta.json") == 0o600


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("call", ["write", "fsync"])
def test_disk_full_leaves_the_file_and_the_project_intact(tmp_path, monkeypatch, call):
    p = tmp_path / "plan.json"
    save_project(full_project(), p)
    before = p.read_bytes()
    edited = full_project().model_copy(update={"name": "edited"})
    snapshot = edited.model_copy(deep=True)
    monkeypatch.setattr(os, call, _enospc)
    with pytest.raises(WriteError) as e:
        save_project(edited, p)
    monkeypatch.undo()
    message = str(e.value)
    assert "\n" not in message
    assert str(p) in message and "No space left on device" in message
    assert "left unchanged" in message
    assert e.value.errno == errno.ENOSPC
    assert p.read_bytes() == before
    assert edited == snapshot  # the project in memory is untouched
    assert sorted(x.name for x in tmp_path.iterdir()) == ["plan.json"]  # no temp file left


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root ignores folder permissions")
def test_read_only_folder_says_so_in_one_line(tmp_path):
    p = tmp_path / "plan.json"
    save_project(full_project(), p)
    before = p.read_bytes()
    os.chmod(tmp_path, 0o555)
    try:
        with pytest.raises(WriteError, match="Permission denied; the file on disk was left"):
            save_project(full_project().model_copy(update={"name": "x"}), p)
    finally:
        os.chmod(tmp_path, 0o755)
    assert p.read_bytes() == before


def test_failure_in_a_new_file_says_nothing_was_written(tmp_path):
    with pytest.raises(WriteError, match="nothing was written"):
        write_atomic(tmp_path / "no-such-folder" / "plan.json", b"{}")


def test_process_start_is_when_the_process_started():
    """Stale temp files are those older than this process: its start time must be right."""
    before = time.time()
    out = subprocess.run([sys.executable, "-c", "import time; from core import atomic; "
                          "print(atomic.PROCESS_START, time.time())"],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    start, now = (float(x) for x in out.split())
    assert before - 2.0 <= start <= now  # /proc/stat counts boot time in whole seconds


@posix_only
def test_backup_already_linked_to_the_file_leaves_no_temp(tmp_path):
    """A save killed between keeping the backup and the swap leaves ``plan.json.bak`` as a hard
    link of ``plan.json``; the next save must not leave ``.plan.json.bak.tmp`` behind (a rename
    between two links of one file does nothing)."""
    p = tmp_path / "plan.json"
    save_project(full_project(), p)
    os.link(p, tmp_path / "plan.json.bak")
    second = full_project().model_copy(update={"name": "second"})
    save_project(second, p)
    assert sorted(x.name for x in tmp_path.iterdir()) == ["plan.json", "plan.json.bak"]
    assert load_project(tmp_path / "plan.json.bak") == full_project()
    assert load_project(p) == second
