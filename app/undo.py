"""Undo commands. Every edit replaces the whole project with a new immutable pydantic value, so
one command type covers all of them and undo restores exact values by construction."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from core.project import Project

_MERGE_IDS: dict[str, int] = {}


def merge_id_for(key: str | None) -> int:
    """A stable small int per field key ('scenario 0 model.n_layers'); -1 = never merge."""
    if not key:
        return -1
    return _MERGE_IDS.setdefault(key, len(_MERGE_IDS) + 1)


class SetProjectCommand(QUndoCommand):
    """Replace the project state. Consecutive edits of the same field merge into one step."""

    def __init__(self, apply: Callable[[Project, int | None], None], before: Project,
                 after: Project, text: str, merge_key: str | None = None,
                 select_before: int | None = None, select_after: int | None = None):
        super().__init__(text)
        self._apply = apply
        self.before = before
        self.after = after
        self._id = merge_id_for(merge_key)
        self.select_before = select_before
        self.select_after = select_after

    def id(self) -> int:  # Qt API
        return self._id

    def redo(self) -> None:
        self._apply(self.after, self.select_after)

    def undo(self) -> None:
        self._apply(self.before, self.select_before)

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(other, SetProjectCommand) or other.id() != self.id():
            return False
        self.after = other.after
        self.select_after = other.select_after
        return True
