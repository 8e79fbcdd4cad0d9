"""The chart tabs under the key figures (time vs count, cost, comparison, memory, step time,
policy timeline, policy impact, sensitivity, cost vs time, sweep), each with an Export… menu.
Draws a ``ChartSet`` handed in by the window; the exports build their own briefing-theme chart
(app.export.render). The Sweep tab holds its controls above its chart (app.sweep_view); the
Policy impact tab a comparison picker above and the impact table below (app.impact_view)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.charts import CHART_CLASSES
from app.charts.policy_impact import PolicyImpactChart
from app.charts.sweep import SweepChart
from app.impact_view import ImpactView
from app.plain import plain
from app.sweep_view import SweepView
from core.chart_data import ChartSet
from core.errors import InputError

TAB_NAMES = {"time-vs-count": "Time vs count", "cost": "Cost", "comparison": "Comparison",
             "memory": "Memory", "step-time": "Step time", "policy-timeline": "Policy timeline",
             "policy-impact": "Policy impact", "tornado": "Sensitivity", "pareto": "Cost vs time",
             "sweep": "Sweep"}
EXPORTS = [("png", (1920, 1080), "PNG 1920×1080…"), ("png", (3840, 2160), "PNG 3840×2160 (4K)…"),
           ("svg", (1920, 1080), "SVG (vector)…"), ("pdf", (1920, 1080), "PDF (vector)…")]


class ChartTabs(QTabWidget):
    """The chart tabs, asking for a chart's or the sweep view's height rather than their tallest
    page's: the policy-impact view asked for ~720 px, the results pane at 1366x768 then grew
    taller than its viewport and, scrolled to its end, hid Export… above the charts. A taller
    page keeps its minimum height."""

    PAGE_HEIGHT = 580  # a chart (480) or the sweep view (563) whole

    def sizeHint(self):  # noqa: N802 (Qt API)
        hint = super().sizeHint()
        bar = self.tabBar().sizeHint().height()
        hint.setHeight(min(hint.height(), max(bar + self.PAGE_HEIGHT, self.minimumSizeHint().height())))
        return hint


class ChartsPanel(QWidget):
    """Emits ``shown`` when it becomes visible (the window computes charts lazily) and
    ``message`` for the status bar."""

    shown = Signal()
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.charts: ChartSet | None = None
        self.file_name: str | None = None
        self.tabs = ChartTabs()
        self.tabs.setDocumentMode(True)
        self.widgets = {}
        self.sweep_view: SweepView | None = None
        self.impact_view: ImpactView | None = None
        for name, cls in CHART_CLASSES.items():
            chart = cls(frame_title=False)
            chart.setMinimumHeight(300)
            self.widgets[name] = chart
            if isinstance(chart, SweepChart):
                self.sweep_view = SweepView(chart)
                self.sweep_view.failed.connect(lambda m: self.message.emit(f"Sweep: {m}"))
                self.tabs.addTab(self.sweep_view, TAB_NAMES[name])
            elif isinstance(chart, PolicyImpactChart):
                self.impact_view = ImpactView(chart)
                self.impact_view.failed.connect(lambda m: self.message.emit(f"Policy impact: {m}"))
                self.tabs.addTab(self.impact_view, TAB_NAMES[name])
            else:
                self.tabs.addTab(chart, TAB_NAMES[name])
        self.status = plain(QLabel("Charts appear when this panel is shown."))
        self.status.setEnabled(False)
        # wraps: on one line a long scenario name made the whole results column wider than the
        # window at 1366x768 and cut every chart off on the right
        self.status.setWordWrap(True)
        self.export_button = QToolButton()
        self.export_button.setText("Export…")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        for fmt, size, text in EXPORTS:
            menu.addAction(text, partial(self.export_dialog, fmt, size))
        menu.addSeparator()
        menu.addAction("Copy to clipboard", self.copy)
        self.export_button.setMenu(menu)
        self.export_button.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.tabs)
        self.setMinimumHeight(380)

    @property
    def current_name(self) -> str:
        return list(self.widgets)[self.tabs.currentIndex()]

    def showEvent(self, ev):  # noqa: N802 (Qt API)
        super().showEvent(ev)
        self.shown.emit()

    def set_busy(self) -> None:
        self.status.setText("Computing charts…")

    def show_charts(self, charts: ChartSet, file_name: str | None = None,
                    project: Any = None) -> None:
        """``project``: the project ``charts`` were computed from (the Sweep tab evaluates the
        scenario again, under that project's regimes)."""
        self.charts = charts
        self.file_name = file_name
        self.status.setText(f"Charts for “{charts.scenario.name}” (hover for exact values)")
        for name, chart in self.widgets.items():
            if name not in ("sweep", "policy-impact") or (name == "policy-impact"
                                                          and self.impact_view is None):
                chart.show_data(charts, marking="")
        if self.impact_view is not None:
            self.impact_view.set_source(charts, project)
        if self.sweep_view is not None:
            self.sweep_view.set_source(charts, project)
        self.export_button.setEnabled(True)

    def charts_with_sweep(self) -> ChartSet | None:
        """The charts shown, with the sweep drawn in the Sweep tab (if any): what the window's
        decks export."""
        if self.sweep_view is None or self.sweep_view.charts is not self.charts:
            return self.charts
        return self.sweep_view.charts_with_sweep()

    def _charts_for(self, name: str) -> ChartSet:
        if self.charts is None:
            raise InputError("chart", "no chart is drawn yet")
        if name == "sweep":
            with_sweep = self.charts_with_sweep()
            if with_sweep is None or with_sweep.sweep is None:
                raise InputError("sweep", "no sweep drawn yet: pick an input and a range, then "
                                 "press Sweep")
            return with_sweep
        if name == "policy-impact" and self.impact_view is not None \
                and self.impact_view.charts is self.charts and self.impact_view.shown is not None:
            return self.impact_view.shown  # the comparison picked in the tab
        return self.charts

    def show_error(self, message: str) -> None:
        self.status.setText(f"Charts not drawn: {message}")

    # ---- export ---------------------------------------------------------------------------
    def export_to(self, fmt: str, path: str, size=(1920, 1080), name: str | None = None) -> Path:
        from app.export.render import export_chart

        name = name or self.current_name
        return export_chart(name, self._charts_for(name), fmt, path, size,
                            file_name=self.file_name)

    def export_dialog(self, fmt: str, size) -> None:
        if self.charts is None:
            return
        name = self.current_name
        try:
            self._charts_for(name)
        except InputError as e:
            self.message.emit(f"Export failed: {e}")
            return
        start = f"{name}-{size[0]}x{size[1]}.{fmt}" if fmt == "png" else f"{name}.{fmt}"
        path, _ = QFileDialog.getSaveFileName(self, f"Export {TAB_NAMES[name]} chart", start,
                                              f"{fmt.upper()} (*.{fmt})")
        if path:
            try:
                self.export_to(fmt, path, size)
            except (InputError, OSError) as e:  # the file of that name, if any, is unchanged
                self.message.emit(f"Export failed: {e}")
                return
            self.message.emit(f"Exported {path}")

    def copy(self) -> None:
        from app.export.render import build_chart, copy_to_clipboard, dispose

        if self.charts is None:
            return
        try:
            charts = self._charts_for(self.current_name)
        except InputError as e:
            self.message.emit(f"Copy failed: {e}")
            return
        chart = build_chart(self.current_name, charts, file_name=self.file_name)
        try:
            copy_to_clipboard(chart)
        finally:
            dispose(chart)
        self.message.emit("Chart copied (1920×1080, opaque): paste it into a slide")

