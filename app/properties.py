"""File → Project properties: the project's name and its marking (e.g. OFFICIAL-SENSITIVE),
printed at the top and bottom of every exported chart and slide."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from app.plain import plain

MARKINGS = ["", "OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "CONFIDENTIAL", "INTERNAL",
            "DRAFT — NOT FOR CIRCULATION"]


class ProjectPropertiesDialog(QDialog):
    def __init__(self, name: str, marking: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Project properties")
        self.name = QLineEdit(name)
        self.marking = QComboBox()
        self.marking.setEditable(True)  # a preset or any caption text
        self.marking.addItems(MARKINGS)
        self.marking.setCurrentText(marking)
        edit = self.marking.lineEdit()
        assert edit is not None  # an editable combo box has one
        edit.setPlaceholderText("none")
        hint = plain(QLabel("Printed at the top and bottom of every exported chart and slide."))
        hint.setWordWrap(True)
        hint.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Name:", self.name)
        form.addRow("Marking:", self.marking)
        form.addRow(hint)
        form.addRow(buttons)
        self.resize(420, self.sizeHint().height())

    def values(self) -> tuple[str, str]:
        return self.name.text(), self.marking.currentText()
