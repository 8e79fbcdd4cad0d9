"""Shared plumbing of the scenario editors: apply one field, show why it was refused."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.editors.fields import ErrorLine, FieldEdit, Path, get_value, path_key, with_value
from core.errors import InputError
from core.project import Project
from core.scenario import Scenario


class ScenarioEditor(QWidget):
    """Holds the scenario it shows; emits a new validated scenario per accepted edit."""

    edited = Signal(object, str, object)  # new Scenario, undo text, merge key (or None)
    problem = Signal(str)  # '' = no invalid field left in this editor

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.scenario: Scenario | None = None
        self.project: Project | None = None
        self.fields: list[FieldEdit] = []
        self.labels: dict[str, str] = {}
        self.error_line = ErrorLine()
        self._loading = False

    # ---- fields ------------------------------------------------------------------------
    def field(self, path: Path, parse, fmt, label: str, hint: str = "",
              placeholder: str = "") -> FieldEdit:
        w = FieldEdit(path, parse, fmt, hint, placeholder)
        w.value_edited.connect(lambda p, v: self.apply(p, v, merge=True))
        w.parse_failed.connect(self._parse_failed)
        self.fields.append(w)
        self.labels[path_key(path)] = label
        return w

    def label_for(self, path: Path) -> str:
        return self.labels.get(path_key(path), path_key(path))

    def field_at(self, path: Path) -> FieldEdit | None:
        return next((f for f in self.fields if f.path == tuple(path)), None)

    def apply(self, path: Path, value: Any, merge: bool = False, text: str | None = None) -> bool:
        """Validate and emit one change. Returns False (and marks the field) when refused."""
        if self._loading or self.scenario is None:
            return False
        w = self.field_at(path)
        try:
            new = with_value(self.scenario, path, value)
        except InputError as e:
            if w is not None:
                w.set_error(e.problem)
            self._report(f"{self.label_for(path)}: {e.problem}")
            return False
        if w is not None:
            w.set_error(None)
        self.emit_scenario(new, text or f"Edit {self.label_for(path)}",
                           path_key(path) if merge else None)
        return True

    def emit_scenario(self, new: Scenario, text: str, merge_key: str | None = None) -> None:
        self.scenario = new
        self._report(None)
        self.edited.emit(new, text, merge_key)

    def _parse_failed(self, path: Path, message: str) -> None:
        self._report(f"{self.label_for(path)}: {message}")

    def _report(self, message: str | None) -> None:
        if message is None:  # the edit was fine; is any other field still refused?
            bad = next((f for f in self.fields if f.error and f.isVisibleTo(self)), None)
            message = f"{self.label_for(bad.path)}: {bad.error}" if bad else None
        self.error_line.show_error(message)
        self.problem.emit(message or "")

    # ---- loading -----------------------------------------------------------------------
    def load(self, scenario: Scenario, project=None, force: bool = False) -> None:
        """Show ``scenario`` (after an edit, undo/redo or a change of selection)."""
        self._loading = True
        try:
            self.scenario = scenario
            self.project = project
            for w in self.fields:
                try:
                    value = get_value(scenario, w.path)
                except (AttributeError, IndexError):
                    continue
                w.show_value(value, force)
            self.refresh(force)
        finally:
            self._loading = False
        self._report(None)

    def refresh(self, force: bool) -> None:
        """Update the widgets that are not FieldEdits (combos, tables, derived figures)."""
