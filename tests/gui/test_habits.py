"""Keys people already use: Ctrl+Y and Ctrl+Shift+Z redo on Windows/Linux; Delete removes the
selected scenario while the list has the focus, Ctrl+Delete from anywhere (both undoable)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from tests.gui.conftest import wait_idle


def test_redo_keys_per_platform(qapp):
    from app.main_window import redo_shortcuts

    linux = [k.toString() for k in redo_shortcuts("linux")]
    assert "Ctrl+Y" in linux and "Ctrl+Shift+Z" in linux
    windows = [k.toString() for k in redo_shortcuts("win32")]
    assert "Ctrl+Y" in windows and "Ctrl+Shift+Z" in windows
    assert len(set(linux)) == len(linux)
    mac = [k.toString() for k in redo_shortcuts("darwin")]
    assert "Ctrl+Y" not in mac or "Ctrl+Y" in [k.toString() for k in QKeySequence.keyBindings(
        QKeySequence.StandardKey.Redo)]


def _press(qtbot, widget, key, modifiers=Qt.KeyboardModifier.NoModifier):
    widget.activateWindow()
    widget.setFocus()
    qtbot.keyClick(widget, key, modifiers)


def test_ctrl_y_and_ctrl_shift_z_redo(qtbot, window):
    w = window
    names = [s.name for s in w.project.scenarios]
    w.rename_scenario(0, "Renamed")
    assert w.project.scenarios[0].name == "Renamed"
    for key, mods in ((Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier),
                      (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)):
        w.undo_action.trigger()
        assert [s.name for s in w.project.scenarios] == names
        _press(qtbot, w.scenarios.list, key, mods)
        assert w.project.scenarios[0].name == "Renamed", key
    wait_idle(qtbot, w)


def test_delete_key_in_list_and_ctrl_delete_remove_scenario(qtbot, window):
    w = window
    n = len(w.project.scenarios)
    assert n >= 3
    w.select_scenario(1)
    gone = w.project.scenarios[1].name
    _press(qtbot, w.scenarios.list, Qt.Key.Key_Delete)
    assert len(w.project.scenarios) == n - 1
    assert gone not in [s.name for s in w.project.scenarios]
    w.undo_action.trigger()
    assert [s.name for s in w.project.scenarios][1] == gone
    # Delete in a text field edits the text, never the scenario list
    field = w.fleet_editor.field_at(("fleet", 0, "count"))
    w.tabs.setCurrentIndex(1)
    field.setFocus()
    field.setCursorPosition(0)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    assert len(w.project.scenarios) == n
    # the menu shortcut works from anywhere in the window
    assert w.delete_action.shortcut().toString() == "Ctrl+Del"
    _press(qtbot, w.scenarios.list, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert len(w.project.scenarios) == n - 1
    wait_idle(qtbot, w)
