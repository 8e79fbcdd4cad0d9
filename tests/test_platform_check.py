"""A missing xcb/GL library gives one line naming the package, never a Qt abort (no Qt here)."""

from __future__ import annotations

import json

import pytest

from app import platform_check
from app.platform_check import problems, qt_platform

X11 = {"DISPLAY": ":0"}


def loader_without(*missing: str):
    return lambda soname: soname not in missing


def test_all_present_is_quiet():
    assert problems(X11, "linux", loader_without()) == []


def test_missing_xcb_cursor_names_the_package():
    lines = problems(X11, "linux", loader_without("libxcb-cursor.so.0"))
    assert lines == [
        "chokepoint: missing system library libxcb-cursor.so.0 — install it with: "
        "sudo apt-get install libxcb-cursor0 (Fedora: sudo dnf install xcb-util-cursor)"
    ]


def test_several_missing_get_one_line_each_and_one_command():
    lines = problems(X11, "linux", loader_without("libxcb-cursor.so.0", "libxcb-icccm.so.4",
                                                  "libGL.so.1"))
    assert len(lines) == 4
    assert "libgl1" in lines[0] and "libxcb-icccm4" in " ".join(lines)
    assert lines[-1] == "chokepoint: all at once: sudo apt-get install libgl1 libxcb-cursor0 libxcb-icccm4"


@pytest.mark.parametrize("env", [{"QT_QPA_PLATFORM": "offscreen"},
                                 {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"},
                                 {"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}])
def test_xcb_libraries_matter_only_for_xcb(env):
    assert problems(env, "linux", loader_without("libxcb-cursor.so.0")) == []


def test_gl_matters_for_every_platform():
    lines = problems({"QT_QPA_PLATFORM": "offscreen"}, "linux", loader_without("libEGL.so.1"))
    assert len(lines) == 1 and "sudo apt-get install libegl1" in lines[0]


def test_no_display_is_said_plainly():
    lines = problems({}, "linux", loader_without())
    assert len(lines) == 1 and "DISPLAY is not set" in lines[0]


def test_other_systems_are_not_checked():
    assert problems({}, "win32", loader_without("libGL.so.1")) == []
    assert problems({}, "darwin", loader_without("libGL.so.1")) == []


def test_platform_choice():
    assert qt_platform({"QT_QPA_PLATFORM": "xcb:foo=1"}) == "xcb"
    assert qt_platform({"DISPLAY": ":0"}) == "xcb"
    assert qt_platform({"WAYLAND_DISPLAY": "w", "DISPLAY": ":0"}) == "wayland"


def test_real_loader_finds_libc_and_not_nonsense():
    assert platform_check.can_load("libc.so.6")
    assert not platform_check.can_load("libchokepoint-does-not-exist.so.9")


def test_the_gui_entry_stops_with_the_message_and_exit_1(monkeypatch, tmp_path, capsys):
    """run_gui prints the lines and, for the smoke test, writes them to the report; no Qt."""
    from app import gui

    monkeypatch.setattr(platform_check, "can_load", lambda s: s != "libxcb-cursor.so.0")
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":99")
    out = tmp_path / "smoke.json"
    assert gui.run_gui(["--smoke-test", str(out)]) == 1
    err = capsys.readouterr().err
    assert "sudo apt-get install libxcb-cursor0" in err
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["ok"] is False and "libxcb-cursor.so.0" in report["error"]
