"""The open project: its current value, its file, and its undo stack (``isClean()`` is the
modified flag). Editors never mutate the project; they hand a new value to ``set_project``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.undo import SetProjectCommand
from core.project import Project, load_project, save_project
from core.scenario import Scenario


class ProjectDocument(QObject):
    changed = Signal()  # the project value changed (edit, undo, redo)
    structure_changed = Signal()  # scenarios or pools were added/removed/reordered
    selection_requested = Signal(int)  # undo/redo wants this scenario shown

    def __init__(self, project: Project, path: str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.path = path
        self.undo_stack = QUndoStack(self)

    # ---- state ---------------------------------------------------------------------------
    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def display_name(self) -> str:
        return Path(self.path).name if self.path else self.project.name

    def _apply(self, project: Project, select: int | None) -> None:
        structural = _shape(project) != _shape(self.project)
        self.project = project
        self.changed.emit()
        if structural:
            self.structure_changed.emit()
        if select is not None:
            self.selection_requested.emit(select)

    # ---- edits ---------------------------------------------------------------------------
    def set_project(self, after: Project, text: str, merge_key: str | None = None,
                    select_before: int | None = None, select_after: int | None = None) -> None:
        if after == self.project:
            return
        self.undo_stack.push(SetProjectCommand(self._apply, self.project, after, text, merge_key,
                                               select_before, select_after))

    def set_scenario(self, index: int, scenario: Scenario, text: str,
                     merge_key: str | None = None) -> None:
        scenarios = list(self.project.scenarios)
        scenarios[index] = scenario
        key = f"s{index}:{merge_key}" if merge_key else None
        self.set_project(self.project.model_copy(update={"scenarios": scenarios}), text, key,
                         index, index)

    def set_scenarios(self, scenarios: list[Scenario], text: str, select_before: int,
                      select_after: int) -> None:
        self.set_project(self.project.model_copy(update={"scenarios": scenarios}), text, None,
                         select_before, select_after)

    # ---- files ---------------------------------------------------------------------------
    def save(self, path: str | None = None) -> None:
        target = path or self.path
        if not target:
            raise ValueError("no file name")
        save_project(self.project, target)
        self.path = str(target)
        self.undo_stack.setClean()

    @classmethod
    def open(cls, path: str, parent: QObject | None = None) -> ProjectDocument:
        return cls(load_project(path), str(path), parent)


def _shape(project: Project) -> tuple:
    return tuple((s.name, len(s.fleet)) for s in project.scenarios)
