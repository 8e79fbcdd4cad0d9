"""The Sweep tab of the charts panel: days and cost of the current scenario as one numeric input
goes from a low to a high value (``core.sensitivity.sweep_range``, the window's view of
`chokepoint sweep`). The user picks the input (the paths of ``core.paths``: tokens, each pool's
chips and price, efficiency, interruptions, electricity, deadline…) and a range pre-filled around
the value in use; the sweep runs in a worker, and a refused range is one line naming the field."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.background import BackgroundCall
from app.charts.sweep import SweepChart, value_text
from app.plain import label, tip
from core.errors import InputError
from core.sensitivity import MAX_POINTS, SweepInput

DEFAULT_POINTS = 13


def parse_number(text: str, field: str) -> float:
    """A typed number ("2,048", "1.5e13", "36T" is refused); InputError naming ``field``."""
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise InputError(field, f"expected a number, got {text.strip()!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(field, f"expected a finite number, got {text.strip()!r}")
    return value


class SweepView(QWidget):
    """Controls above a ``SweepChart``. ``swept(Sweep)`` when a sweep is drawn, ``failed(text)``
    when one is refused or fails; ``sweep`` is the one drawn (None: none for these inputs)."""

    swept = Signal(object)
    failed = Signal(str)

    def __init__(self, chart: SweepChart, parent: QWidget | None = None):
        super().__init__(parent)
        self.chart = chart
        self.charts: Any = None  # the ChartSet the inputs come from
        self.project: Any = None
        self.inputs: list[SweepInput] = []
        self.sweep: Any = None  # core.sensitivity.Sweep, of self.charts
        self.worker = BackgroundCall("sweep", self)
        self.worker.ready.connect(self._show)
        self.worker.failed.connect(self._failed)

        self.input = QComboBox()
        self.input.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.input.setMinimumContentsLength(20)
        self.input.setToolTip("the input to vary; every other input stays as the scenario has it")
        self.input.currentIndexChanged.connect(self._prefill)
        self.low = QLineEdit()
        self.high = QLineEdit()
        for edit, name in ((self.low, "low"), (self.high, "high")):
            edit.setMaximumWidth(150)
            edit.setToolTip(f"{name} end of the range (a number; 2,048 and 1.5e13 are fine)")
            edit.returnPressed.connect(self.run)
        self.points = QSpinBox()
        self.points.setRange(2, MAX_POINTS)
        self.points.setValue(DEFAULT_POINTS)
        self.points.setToolTip("evaluations, evenly spaced from low to high (plus the value in "
                               "use)")
        self.button = QPushButton("Sweep")
        self.button.setToolTip("evaluate the scenario at each value (in the background)")
        self.button.clicked.connect(self.run)
        self.button.setEnabled(False)
        self.status = label("Charts appear when this panel is shown.")
        self.status.setWordWrap(True)

        # two rows: the results pane is often narrow (a long pool name in the picker)
        row = QHBoxLayout()
        row.addWidget(label("Input"))
        row.addWidget(self.input, 1)
        second = QHBoxLayout()
        second.addWidget(label("from"))
        second.addWidget(self.low, 1)
        second.addWidget(label("to"))
        second.addWidget(self.high, 1)
        second.addWidget(label("points"))
        second.addWidget(self.points)
        second.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(row)
        layout.addLayout(second)
        layout.addWidget(self.status)
        layout.addWidget(chart, 1)

    # ---- inputs ---------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.worker.busy

    def current_input(self) -> SweepInput | None:
        k = self.input.currentIndex()
        return self.inputs[k] if 0 <= k < len(self.inputs) else None

    def select(self, key: str) -> None:
        """Pick the input whose path is ``key`` (e.g. ``fleet[0].count``)."""
        keys = [i.key for i in self.inputs]
        if key not in keys:
            raise InputError("input", f"the scenario has no sweepable input {key!r}; one of "
                             + ", ".join(keys))
        self.input.setCurrentIndex(keys.index(key))

    def _prefill(self, _index: int = 0) -> None:
        item = self.current_input()
        if item is None:
            return
        self.low.setText(value_text(item.low, item.integer).replace(",", "")
                         if abs(item.low) < 1e6 else f"{item.low:.4g}")
        self.high.setText(value_text(item.high, item.integer).replace(",", "")
                          if abs(item.high) < 1e6 else f"{item.high:.4g}")
        tail = f" ({item.note})" if item.note else ""
        self.status.setText(f"{item.key}: in use {value_text(item.current, item.integer)}{tail}. "
                            "Press Sweep to draw days and cost against it.")

    def set_source(self, charts: Any, project: Any) -> None:
        """New chart data (the scenario or the project changed): list its inputs again, keep the
        picked input and range where they still apply, and redraw a sweep that was drawn."""
        from core.sensitivity import sweep_inputs

        before = self.current_input()
        had_sweep = self.sweep is not None
        old_range = (self.low.text(), self.high.text())
        self.worker.cancel()
        self.charts, self.project, self.sweep = charts, project, None
        try:
            self.inputs = sweep_inputs(charts.scenario, project, charts.result)
        except InputError as e:
            self.inputs = []
            self.status.setText(f"No inputs to sweep: {e}")
        self.input.blockSignals(True)
        self.input.clear()
        for item in self.inputs:
            self.input.addItem(item.label, item.key)
            self.input.setItemData(self.input.count() - 1, tip(f"{item.key}: {item.label}"),
                                   Qt.ItemDataRole.ToolTipRole)
        self.input.blockSignals(False)
        keys = [i.key for i in self.inputs]
        same = before is not None and before.key in keys
        if same:
            assert before is not None
            self.input.setCurrentIndex(keys.index(before.key))
        self._prefill()
        if same:
            self.low.setText(old_range[0])
            self.high.setText(old_range[1])
        self.button.setEnabled(bool(self.inputs))
        self.chart.show_data(charts, marking="")
        if had_sweep and same:
            self.run()

    # ---- run ------------------------------------------------------------------------------
    def run(self) -> None:
        """Sweep the picked input over the typed range in the worker; a refused range is shown
        (naming the field) and nothing is evaluated."""
        from core.sensitivity import sweep_range, sweep_values

        item = self.current_input()
        if item is None or self.charts is None:
            return
        try:
            low = parse_number(self.low.text(), "low")
            high = parse_number(self.high.text(), "high")
            sweep_values(low, high, self.points.value(), item.integer)  # refused before a thread
        except InputError as e:
            self._failed(str(e))
            return
        scenario, project, points = self.charts.scenario, self.project, self.points.value()
        self.status.setText(f"Sweeping {item.key} from {value_text(low, item.integer)} to "
                            f"{value_text(high, item.integer)}…")
        self.worker.start(lambda: sweep_range(scenario, project, item, low, high, points))

    def _show(self, sweep) -> None:
        self.sweep = sweep
        self.chart.show_data(self.charts_with_sweep(), marking="")
        i = sweep.input
        drawn = sum(1 for p in sweep.points if p.days is not None)
        self.status.setText(f"{i.key}: {drawn} of {len(sweep.points)} values have an estimate "
                            "(hover for exact values). Export… saves this chart.")
        self.swept.emit(sweep)

    def _failed(self, message: str) -> None:
        self.status.setText(f"Cannot sweep: {message}")
        self.failed.emit(message)

    def charts_with_sweep(self):
        """The chart data with the drawn sweep (for the chart, its export and the deck)."""
        if self.charts is None or self.sweep is None:
            return self.charts
        return self.charts.model_copy(update={"sweep": self.sweep})

    def wait(self, timeout_ms: int = 30000) -> None:
        self.worker.wait(timeout_ms)
