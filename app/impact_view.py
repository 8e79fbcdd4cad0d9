"""The Policy impact tab of the charts panel: the best route before and after, for the
comparison the user picks — the chart's own (``policy.compare_regime``), the scenario's regime
against any other regime, or one rule of its regime switched off (or back on) — and the impact
table below it (``core.impact.impact_table``: the best route under every regime, as on the
impact slide). A thin view: the choices are ``core.impact.impact_comparisons``, the figures
``core.impact.compare_with``'s, computed in a worker."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundCall
from app.fit_table import ColumnFitter
from app.plain import label, tip

# the ranges' headers on two lines: the columns stay as narrow as their figures
TABLE_COLUMNS = ("Regime", "Verdict", "Best route", "Days\n(P10–P90)", "Δ days",
                 "Cost, $M\n(P10–P90)", "Δ cost", "Feasibility")


def _signed(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "days":
        return "±0" if abs(v) < 0.5 else f"{'+' if v > 0 else '−'}{abs(v):,.0f}"
    return "±0" if abs(v) < 5e4 else f"{'+' if v > 0 else '−'}${abs(v) / 1e6:,.1f}M"


def table_cells(row: Any) -> list[str]:
    """One ``core.impact.ImpactRow`` as the table's text (tests compare against this): days and
    cost with their P10–P90 in brackets (cost in $M, as its header says)."""
    from core.impact import cost_range, days_range

    return [row.regime, row.verdict.replace("_", " "), row.route or "no compliant route",
            days_range(row),
            "" if row.base else _signed(row.delta_days, "days"),
            # in $M as the header says: the panel is narrow
            "—" if row.cost_usd is None else cost_range(row).removeprefix("$").replace("M", "", 1),
            "" if row.base else _signed(row.delta_cost_usd, "usd"),
            "(its own)" if row.base else row.feasibility]


class ImpactView(QWidget):
    """A comparison picker above the ``PolicyImpactChart`` and the impact table below it.
    ``compared(Impact)`` when a picked comparison is drawn, ``failed(text)`` when it fails."""

    compared = Signal(object)
    failed = Signal(str)

    def __init__(self, chart: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.chart = chart
        self.charts: Any = None  # the ChartSet handed in
        self.shown: Any = None  # the ChartSet drawn (its impact replaced by the picked one)
        self.project: Any = None
        self.choices: list[Any] = []
        self.worker = BackgroundCall("impact", self)
        self.worker.ready.connect(self._show)
        self.worker.failed.connect(self._failed)
        self.choice = QComboBox()
        self.choice.setMinimumContentsLength(24)
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.choice.setToolTip(tip("What to compare: the scenario's own regime against another "
                                   "regime, or with one of its rules switched off (or back on)"))
        self.choice.activated.connect(self.pick)
        self.table_box = QCheckBox("Table of every regime")
        self.table_box.setChecked(True)
        self.status = label("")
        self.status.setWordWrap(True)  # a long headline wraps rather than widen the panel
        self.table = QTableWidget(0, len(TABLE_COLUMNS))
        self.table.setHorizontalHeaderLabels(list(TABLE_COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._fitter = ColumnFitter(self.table, {0: 1.0, 2: 1.6})  # regime and route share
        # the panel's width is the window's to give: the table scrolls rather than widen it
        self.table.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        # chart and table share the panel's height (the panel must fit a 1366x768 window's
        # results column with its Export button in view: 300 + 120 did not)
        self.table.setMinimumHeight(72)
        chart.setMinimumHeight(230)
        self.table_box.toggled.connect(self.table.setVisible)
        bar = QHBoxLayout()
        bar.addWidget(label("Compare"))
        bar.addWidget(self.choice, 1)
        bar.addWidget(self.table_box)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(chart)
        self.split.addWidget(self.table)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.status)

    def sizeHint(self):  # noqa: N802 (Qt API)
        """As tall as the other chart tabs want: the table takes its share of that height
        (summed, chart and table asked for more than a 1366x768 results column holds)."""
        hint = self.chart.sizeHint()
        hint.setHeight(hint.height() + self.choice.sizeHint().height())
        return hint

    def set_source(self, charts: Any, project: Any) -> None:
        """New charts: the chart's own comparison drawn, the choices and the table refilled."""
        from core.impact import impact_comparisons

        self.worker.cancel()
        self.charts, self.shown, self.project = charts, charts, project
        self.chart.show_data(charts, marking="")
        self.choice.clear()
        self.choices = []
        if project is not None:
            try:
                self.choices = impact_comparisons(charts.scenario, project)
            except Exception as e:  # noqa: BLE001 - a broken regime: say so, draw what there is
                self.status.setText(f"Comparisons not listed: {e}")
        for c in self.choices:
            self.choice.addItem(c.label)
        self.choice.setEnabled(bool(self.choices))
        self._fill_table()

    def _fill_table(self) -> None:
        a = self.charts.answers if self.charts is not None else None
        rows = [] if a is None or a.impact_table is None else a.impact_table.rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(table_cells(row)):
                item = QTableWidgetItem(text)
                if 3 <= c <= 6:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row.base or (c == 2 and row.fallback):
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                item.setToolTip(tip(row.headline if c == 2 else text))
                self.table.setItem(r, c, item)
        self._fitter.fit()

    @property
    def busy(self) -> bool:
        return self.worker.busy

    def pick(self, index: int) -> None:
        """Draw comparison ``index`` of ``choices`` (0: the chart's own, already computed)."""
        if self.charts is None or not 0 <= index < len(self.choices):
            return
        if self.choice.currentIndex() != index:
            self.choice.setCurrentIndex(index)
        if index == 0:
            self.worker.cancel()
            self.shown = self.charts
            self.chart.show_data(self.charts, marking="")
            self.status.setText("")
            return
        from core.impact import compare_with

        scenario, project, choice = self.charts.scenario, self.project, self.choices[index]
        self.status.setText(f"comparing: {choice.label}…")
        self.worker.start(lambda: compare_with(scenario, project, choice))

    def _show(self, result: Any) -> None:
        a = self.charts.answers
        answers = a.model_copy(update={"impact": result, "impact_error": ""})
        self.shown = self.charts.model_copy(update={"answers": answers})
        self.chart.show_data(self.shown, marking="")
        self.status.setText(result.headline)
        self.compared.emit(result)

    def _failed(self, error: str) -> None:
        self.status.setText(f"Cannot compare: {error}")
        self.failed.emit(error)

    def wait(self, timeout_ms: int = 30000) -> None:
        self.worker.wait(timeout_ms)
