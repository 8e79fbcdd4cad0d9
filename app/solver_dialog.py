"""Scenario → "What would it take…": the answers of ``core.solve.solve_scenario`` for the current
scenario (smallest count per option, latest start, compute reachable by the deadline, cheapest
compliant option), computed in a worker so the window stays responsive. A view only: every figure
shown is one of the core's, formatted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundCall
from app.fit_table import ColumnFitter
from app.plain import label, tip
from core.errors import InputError
from core.scenario import Scenario

COLUMNS = ("Option", "Policy", "Held", "Days as held", "Cost as held", "Smallest count",
           "Its cost", "Fleet holds it",
           "Latest start", "FLOPs by deadline", "Most within budget")
MAX_DAYS = 36500.0


def qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def _days_at(row: dict[str, Any], key: str) -> str:
    """Days; at the P90 the P90 figure with the middle estimate in brackets."""
    if row.get(f"{key}_p90") is not None:
        return f"{row[key + '_p90']:,.1f} ({row[key]:,.1f})"
    return _days(row.get(key))


def cells(row: dict[str, Any]) -> list[str]:
    """The table's text for one option of ``solve_scenario`` (tests compare against this). At
    the P90, days are the P90 days with the middle estimate in brackets."""
    count = row.get("min_count")
    if "min_count" not in row:
        smallest = "—"
    elif count is None:
        smallest = "none"
    else:
        smallest = f"{count:,}"
    holds = row.get("holds_enough")
    reach = row.get("reachable_by_deadline")
    return [
        row["option"], row["policy_status"].replace("_", " "), f"{row['held']:,}",
        _days_at(row, "wall_clock_days"),
        "—" if row.get("cost_usd") is None else f"${row['cost_usd'] / 1e6:,.1f}M", smallest,
        "—" if row.get("min_count_cost_usd") is None else f"${row['min_count_cost_usd'] / 1e6:,.1f}M",
        "—" if holds is None else ("yes" if holds else "no"),
        row.get("latest_start") or "—",
        "—" if not reach else f"{reach['training_flops']:.2e}",
        "—" if row.get("budget_max_count") is None else
        f"{row['budget_max_count']:,} "
        f"({row.get('budget_max_count_days_p90') or row['budget_max_count_days']:,.0f} d)",
    ]


def summary(answer: dict[str, Any]) -> str:
    """One or two lines under the table: the cheapest compliant option, or why there is none."""
    lines = []
    if answer.get("cheapest_meeting"):
        lines.append("Cheapest compliant option meeting the deadline"
                     + (" and budget" if answer.get("budget_usd") is not None else "")
                     + f": {answer['cheapest_meeting']}")
        if answer.get("cheapest_note"):
            lines.append(answer["cheapest_note"])
        if answer.get("cheapest_meeting_count") is not None and \
                answer.get("cheapest_meeting_cost_usd") is not None:
            if answer.get("cheapest_meeting_days_p90") is not None:
                days = (f"{answer['cheapest_meeting_days_p90']:,.0f} days at the P90 "
                        f"({answer['cheapest_meeting_days']:,.0f} middle estimate), "
                        f"${answer['cheapest_meeting_cost_usd_p90'] / 1e6:,.1f}M over them")
            else:
                days = (f"{answer['cheapest_meeting_days']:,.0f} days, "
                        f"${answer['cheapest_meeting_cost_usd'] / 1e6:,.1f}M")
            lines.append(f"  at its smallest sufficient count: {answer['cheapest_meeting_count']:,} "
                         f"chips, {days}")
    elif answer.get("fastest_within_budget"):
        lines.append(f"Fastest compliant option within the budget: "
                     f"{answer['fastest_within_budget']}, {answer['fastest_within_budget_count']:,} "
                     f"chips, {answer['fastest_within_budget_days']:,.0f} days")
    elif answer.get("reason"):
        lines.append(f"Nothing meets it: {answer['reason']}")
    if answer.get("target"):
        from core.solve_cli import _target_text

        lines.append(_target_text(answer["target"]))
    for row in answer["options"]:
        if row.get("reason"):
            lines.append(f"{row['option']}: {row['reason']}")
    return "\n".join(lines)


class SolverDialog(QDialog):
    """Non-modal: the window keeps working while the answers are computed."""

    answered = Signal(object)  # the solve_scenario dict now shown
    failed = Signal(str)

    def __init__(self, scenario: Scenario, project, parent: QWidget | None = None):
        super().__init__(parent)
        self.scenario, self.project = scenario, project
        self.answer: dict[str, Any] | None = None
        self.worker = BackgroundCall("solve", self)
        self.worker.ready.connect(self._show)
        self.worker.failed.connect(self._failed)
        self.setWindowTitle(f"What would it take — {scenario.name}")

        start = scenario.date
        days = scenario.constraints.deadline_days or 180.0
        self.days = QDoubleSpinBox(decimals=0, minimum=1, maximum=MAX_DAYS, suffix=" days")
        self.days.setValue(days)
        self.deadline = QDateEdit()
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        self.deadline.setMinimumDate(qdate(start + dt.timedelta(days=1)))
        self.deadline.setDate(qdate(start + dt.timedelta(days=round(days))))
        self.budget = QDoubleSpinBox(decimals=1, minimum=0, maximum=1e7, suffix=" M$")
        self.budget.setSpecialValueText("none")
        if scenario.constraints.budget_usd:
            self.budget.setValue(scenario.constraints.budget_usd / 1e6)
        self.confidence = QComboBox()
        self.confidence.addItem("P50 (the estimate)", "p50")
        self.confidence.addItem("P90 (efficiency spread, token and parameter ranges)", "p90")
        self.target = QLineEdit()
        self.target.setPlaceholderText("none, or e.g. 1e25")
        self.target.setToolTip(tip("A training-compute target in FLOP: is it reached by the "
                                   "deadline, on what date as held, and what fleet reaches it"))
        self.days.valueChanged.connect(self._days_changed)
        self.deadline.dateChanged.connect(self._date_changed)
        self.solve_button = QPushButton("Solve")
        self.solve_button.clicked.connect(self.solve)

        # a budget alone: "what is the fastest run the budget buys"
        self.no_deadline = QCheckBox("none (budget only)")
        for field in (self.deadline, self.days):
            self.no_deadline.toggled.connect(lambda on, f=field: f.setDisabled(on))
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.deadline)
        deadline_row.addWidget(label("or"))
        deadline_row.addWidget(self.days)
        deadline_row.addWidget(self.no_deadline)
        deadline_row.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("Start", label(start.isoformat()))
        form.addRow("Deadline", deadline_row)
        form.addRow("Budget", self.budget)
        form.addRow("Confidence", self.confidence)
        form.addRow("Compute target (FLOP)", self.target)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._fitter = ColumnFitter(self.table, {0: 1.0})
        self.status = label("")
        self.result_label = label("")
        self.result_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.solve_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addWidget(label(scenario.name))
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(1200, 430)
        self.solve()

    # deadline as a date and as days, kept in step
    def _days_changed(self, value: float) -> None:
        d = qdate(self.scenario.date + dt.timedelta(days=round(value)))
        if d != self.deadline.date():
            self.deadline.blockSignals(True)
            self.deadline.setDate(d)
            self.deadline.blockSignals(False)

    def _date_changed(self, q: QDate) -> None:
        days = (pydate(q) - self.scenario.date).days
        if days != round(self.days.value()):
            self.days.blockSignals(True)
            self.days.setValue(days)
            self.days.blockSignals(False)

    def inputs(self) -> dict[str, Any]:
        """The keyword arguments given to ``solve_scenario``."""
        budget = self.budget.value() * 1e6 or None
        out = {"deadline_days": None if self.no_deadline.isChecked()
               else float(round(self.days.value())), "budget_usd": budget,
               "confidence": self.confidence.currentData()}
        if out["deadline_days"] is None and budget is None:
            raise InputError("budget", "without a deadline, give a budget")
        text = self.target.text().strip().replace(",", "")
        if text:
            try:
                value = float(text)
            except ValueError:
                raise InputError("compute target", f"expected a number of FLOP such as 1e25, "
                                 f"got {text!r}") from None
            out["target_flops"] = value
        return out

    @property
    def busy(self) -> bool:
        return self.worker.busy

    def solve(self) -> None:
        from core.solve import solve_scenario

        try:
            kwargs = self.inputs()
        except InputError as e:
            self.status.setText(f"Cannot solve: {e}")
            return
        self.status.setText("solving…")
        scenario, project = self.scenario, self.project
        if kwargs["deadline_days"] is None:  # the scenario's own deadline is not asked about
            scenario = scenario.model_copy(update={"constraints": scenario.constraints.model_copy(
                update={"deadline_days": None})})
        self.worker.start(lambda: solve_scenario(scenario, project, **kwargs))

    def _failed(self, error: str) -> None:
        self.status.setText(f"Cannot solve: {error}")
        self.failed.emit(error)

    def _show(self, answer: dict[str, Any]) -> None:
        self.answer = answer
        self.table.setRowCount(len(answer["options"]))
        for r, row in enumerate(answer["options"]):
            for c, text in enumerate(cells(row)):
                item = QTableWidgetItem(text)
                if c >= 2:  # figures: right-aligned so digits line up
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(tip(text))
                self.table.setItem(r, c, item)
        self._fitter.fit()
        self.result_label.setText(summary(answer))
        deadline = answer["deadline_days"]
        self.status.setText(("No deadline" if deadline is None else
                             f"Deadline {deadline:,.0f} days from {answer['start']}") + "; budget "
                            + ("none" if answer["budget_usd"] is None
                               else f"${answer['budget_usd']:,.0f}"))
        self.answered.emit(answer)

    def wait(self, timeout_ms: int = 30000) -> None:
        self.worker.wait(timeout_ms)

    def done(self, result: int) -> None:  # closing: a running solve's answer is not wanted
        self.worker.cancel()
        super().done(result)
