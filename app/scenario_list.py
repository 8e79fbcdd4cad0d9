"""The project's scenarios: pick one to edit; add, duplicate, rename, delete, reorder."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.plain import plain, tip
from app.theme import VERDICT_STYLE, verdict_colour


def _dot(colour: QColor) -> QIcon:
    pix = QPixmap(12, 12)
    pix.fill(QColor(0, 0, 0, 0))
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(colour)
    p.setPen(colour.darker(130))
    p.drawEllipse(1, 1, 10, 10)
    p.end()
    return QIcon(pix)


class ScenarioList(QWidget):
    selected = Signal(int)
    add_requested = Signal()
    duplicate_requested = Signal(int)
    rename_requested = Signal(int)
    delete_requested = Signal(int)
    move_requested = Signal(int, int)  # from, to

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setUniformItemSizes(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._row_changed)
        self.list.itemDoubleClicked.connect(lambda _i: self.rename_requested.emit(self.current()))
        buttons = {}
        for key, text, hint in [("add", "Add", "New scenario"),
                               ("dup", "Duplicate", "Copy the selected scenario"),
                               ("ren", "Rename…", "Rename the selected scenario"),
                               ("del", "Delete", "Delete the selected scenario (Del, Ctrl+Delete)"),
                               ("up", "Move up", "Move the scenario up"),
                               ("down", "Move down", "Move the scenario down")]:
            b = QPushButton(text)
            b.setToolTip(hint)
            buttons[key] = b
        buttons["add"].clicked.connect(self.add_requested)
        buttons["dup"].clicked.connect(lambda: self.duplicate_requested.emit(self.current()))
        buttons["ren"].clicked.connect(lambda: self.rename_requested.emit(self.current()))
        buttons["del"].clicked.connect(lambda: self.delete_requested.emit(self.current()))
        buttons["up"].clicked.connect(lambda: self._move(-1))
        buttons["down"].clicked.connect(lambda: self._move(+1))
        self.buttons = buttons
        # Delete removes the selected scenario while the list has the focus (undoable)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(lambda: self.delete_requested.emit(self.current()))
        self.delete_shortcut = delete
        grid = QGridLayout()
        grid.setSpacing(4)
        for i, key in enumerate(["add", "dup", "ren", "del", "up", "down"]):
            grid.addWidget(buttons[key], i // 2, i % 2)
        title = plain(QLabel("Scenarios"))
        f = title.font()
        f.setBold(True)
        title.setFont(f)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addLayout(grid)

    def _row_changed(self, row: int) -> None:
        if row >= 0:  # -1 while the list is being refilled
            self.selected.emit(row)

    def current(self) -> int:
        return self.list.currentRow()

    def _move(self, step: int) -> None:
        row = self.current()
        if 0 <= row + step < self.list.count():
            self.move_requested.emit(row, row + step)

    def set_names(self, names: list[str], current: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for name in names:
            item = QListWidgetItem(name)
            item.setIcon(_dot(QColor("#999999")))
            item.setToolTip(tip(f"{name}\nnot evaluated yet"))
            self.list.addItem(item)
        self.list.setCurrentRow(min(max(current, 0), len(names) - 1))
        self.list.blockSignals(False)
        self.buttons["del"].setEnabled(len(names) > 1)

    def select(self, row: int) -> None:
        if row != self.current():
            self.list.setCurrentRow(row)

    def set_verdict(self, row: int, verdict: str, words: str) -> None:
        item = self.list.item(row)
        text = tip(f"{item.text()}\n{words}") if item is not None else ""
        if item is not None and item.toolTip() != text:  # repainted after every edit: skip no-ops
            item.setIcon(_dot(verdict_colour(verdict)))
            item.setToolTip(text)

    def set_outcome(self, row: int, outcome) -> None:
        """A ScenarioResult's verdict, an evaluation error (a string), or None: not evaluated
        for the project as it is now (grey)."""
        if outcome is None:
            self.set_verdict(row, "", "not evaluated yet")
        elif isinstance(outcome, str):
            self.set_verdict(row, "", f"cannot evaluate: {outcome}")
        else:
            words = VERDICT_STYLE[outcome.verdict][2]
            best, band = outcome.best, outcome.uncertainty
            if best is not None and best.wall_clock_days is not None:
                words += f"\n{best.wall_clock_days:,.0f} days"
                if band is not None:
                    words += (f" (P10–P90 {band.wall_clock_days.p10:,.0f}–"
                              f"{band.wall_clock_days.p90:,.0f})")
                if best.cost_usd is not None:
                    words += f", ${best.cost_usd / 1e6:,.1f}M"
            self.set_verdict(row, outcome.verdict, words)
