"""Scenario → Compare Scenarios…: two or more scenarios side by side, from
``core.compare.compare``: their outcome (verdict, route, days, cost, with the change from the
first scenario) above the inputs that differ, each differing value highlighted. Computed in a
worker; the window stays usable."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundCall
from app.fit_table import ColumnFitter
from app.plain import label, message_box, tip
from core.compare import outcome_rows, value_text
from core.errors import InputError

HIGHLIGHT = QColor(255, 176, 0, 90)  # amber, translucent: readable on the light and dark themes


class CompareDialog(QDialog):
    compared = Signal(object)  # the core.compare.Comparison now shown
    failed = Signal(str)

    def __init__(self, project, results: list[Any | None], picked: list[int],
                 parent: QWidget | None = None, file_name: str | None = None):
        super().__init__(parent)
        self.project = project
        self.file_name = file_name  # the project's file, for the slide's source line
        self.known = results  # ScenarioResult (or None) per scenario, from the window's store
        self.comparison = None
        self.setWindowTitle("Compare scenarios")
        self.worker = BackgroundCall("comparison", self)
        self.worker.ready.connect(self._show)
        self.worker.failed.connect(self._failed)

        self.picker = QListWidget()
        self.picker.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.picker.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for i, s in enumerate(project.scenarios):
            item = QListWidgetItem(s.name)
            item.setToolTip(tip(s.name))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if i in picked else Qt.CheckState.Unchecked)
            self.picker.addItem(item)
        self.picker.itemChanged.connect(lambda _item: self.compare())
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        hint = label("Tick two or more scenarios; the highest ticked is the base the others are measured against.")
        hint.setWordWrap(True)
        lv.addWidget(hint)
        lv.addWidget(self.picker)

        self.table = QTableWidget(0, 0)
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)  # compact: many rows
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.status = label("")
        self.status.setWordWrap(True)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.table, 1)
        rv.addWidget(self.status)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 800])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.export_button = QPushButton("Export Slide…")
        self.export_button.setToolTip("this comparison as a PowerPoint slide, with the project's "
                                      "marking")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._export_clicked)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(1120, 560)
        self._fitter: ColumnFitter | None = None
        self.compare()

    def picked(self) -> list[int]:
        return [i for i in range(self.picker.count())
                if self.picker.item(i).checkState() == Qt.CheckState.Checked]

    @property
    def busy(self) -> bool:
        return self.worker.busy

    def compare(self) -> None:
        from core.compare import compare

        picked = self.picked()
        self.export_button.setEnabled(False)
        if len(picked) < 2:
            self.worker.cancel()
            self.status.setText("Tick two or more scenarios to compare them.")
            return
        scenarios = [self.project.scenarios[i] for i in picked]
        known = [self.known[i] if i < len(self.known) else None for i in picked]
        results = known if all(r is not None for r in known) else None
        project = self.project
        self.status.setText("comparing…")
        self.worker.start(lambda: compare(scenarios, project, results))

    def _failed(self, error: str) -> None:
        self.status.setText(f"Cannot compare: {error}")
        self.failed.emit(error)

    def _show(self, comparison) -> None:
        self.comparison = comparison
        t = self.table
        n = len(comparison.scenarios)
        outcome = outcome_rows(comparison)
        diffs = comparison.differences
        t.clear()
        t.setColumnCount(n + 1)
        t.setHorizontalHeaderLabels(["", *comparison.scenarios])
        for c, name in enumerate(comparison.scenarios, start=1):
            header = t.horizontalHeaderItem(c)
            if header is not None:
                header.setToolTip(tip(name))
        t.setRowCount(len(outcome) + 1 + len(diffs))
        bold = QFont(t.font())
        bold.setBold(True)

        def put(row: int, texts: list[str], changed: list[bool], title: str, strong: bool) -> None:
            head = QTableWidgetItem(title)
            head.setToolTip(tip(title))
            if strong:
                head.setFont(bold)
            t.setItem(row, 0, head)
            for c, (text, hot) in enumerate(zip(texts, changed, strict=True), start=1):
                item = QTableWidgetItem(text)
                item.setToolTip(tip(text))
                if strong:
                    item.setFont(bold)
                if hot and c > 1:
                    item.setBackground(QBrush(HIGHLIGHT))
                t.setItem(row, c, item)

        for r, (title, texts, changed) in enumerate(outcome):
            put(r, texts, changed, title, True)
        sep = len(outcome)
        note = (f"Inputs that differ ({len(diffs)})" if diffs
                else "No input differs (only the names and notes)")
        put(sep, [""] * n, [False] * n, note, True)
        t.setSpan(sep, 0, 1, n + 1)
        for r, d in enumerate(diffs, start=sep + 1):
            texts = [value_text(v) for v in d.values]
            put(r, texts, [v != d.values[0] for v in d.values], d.label, False)
        if self._fitter is None:
            self._fitter = ColumnFitter(t, {c: 1.0 for c in range(1, n + 1)})
        else:
            self._fitter.elastic = {c: 1.0 for c in range(1, n + 1)}
        self._fitter.fit()
        self.status.setText(f"Changes are against “{comparison.scenarios[0]}”; highlighted "
                            "values differ from it.")
        self.export_button.setEnabled(True)
        self.compared.emit(comparison)

    def export_slide(self, path: str):
        """The comparison on screen as a one-slide deck; returns the written path."""
        from app.export.pptx import comparison_deck

        if self.comparison is None:
            raise InputError("comparison", "nothing compared yet: tick two or more scenarios")
        return comparison_deck(self.comparison, path, self.project.name,
                               getattr(self.project, "marking", "") or "", self.file_name)

    def _export_clicked(self) -> None:
        from app.filenames import suggested_file_name

        path, _ = QFileDialog.getSaveFileName(
            self, "Export comparison slide",
            suggested_file_name(f"{self.project.name} comparison", ".pptx"), "PowerPoint (*.pptx)")
        if not path:
            return
        try:
            written = self.export_slide(path)
        except (InputError, OSError) as e:
            message_box(self, QMessageBox.Icon.Warning, "Cannot export the slide", str(e))
            return
        self.status.setText(f"Slide written: {written}")

    def wait(self, timeout_ms: int = 30000) -> None:
        self.worker.wait(timeout_ms)

    def done(self, result: int) -> None:
        self.worker.cancel()
        super().done(result)
