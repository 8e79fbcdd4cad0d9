"""Results of the selected scenario: verdict in plain words, key figures, one row per option and
the chart tabs (filled by the window from a ChartSet computed off the GUI thread). Draws core result objects; computes nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.charts_panel import ChartsPanel
from app.fit_table import ColumnFitter, columns_fit
from app.plain import escape, plain, tip
from app.theme import VERDICT_STYLE, VERDICT_TEXT
from core.scenario_eval import ScenarioResult
from core.uncertainty import describe_method
from core.units import human

OPTION_COLUMNS = ["Option", "Verdict", "Policy", "Chips usable", "Days", "GPU-h", "Cost"]
FIGURES = [("days", "Wall-clock"), ("gpu_hours", "GPU-hours"), ("cost", "Cost"), ("mfu", "MFU"),
           ("flops", "Training FLOPs"), ("energy", "Energy"), ("plan", "Plan")]
# rows of their own, the whole width: the plan, and the energy with its chips-at-TDP figure beside
# it (in a quarter of the pane that sentence took seven lines)
WIDE_FIGURES = {"energy": 3, "plan": 4}


def _money(x: float | None) -> str:
    return "—" if x is None else f"${human(x)}"


def chance(p: float) -> str:
    """A Monte Carlo share as a briefing states it: a sampled band is never a certainty, so
    every sample in (or out) reads 'over 99 %' ('under 1 %'), not '100%' ('0%')."""
    if p >= 0.995:
        return "over 99%"
    if p <= 0.005:
        return "under 1%"
    return f"{p:.0%}"


class ResultsView(QWidget):
    # the scroll area (an attribute; it hides QWidget.scroll(dx, dy), which nothing here calls)
    scroll: QScrollArea  # type: ignore[assignment]

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.result: ScenarioResult | None = None
        self.stale = False

        self.banner = plain(QLabel("Evaluating…"))
        self.banner.setObjectName("verdictBanner")
        self.banner.setWordWrap(True)
        self.banner.setMargin(10)
        self.status = plain(QLabel())
        self.status.setWordWrap(True)
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reasons.setTextFormat(Qt.TextFormat.RichText)  # a list; each reason escaped

        figures_box = self.figures_box = QGroupBox("Key figures (chosen option)")
        grid = QGridLayout(figures_box)
        grid.setHorizontalSpacing(16)
        self.figures: dict[str, QLabel] = {}
        for i, (key, title) in enumerate(FIGURES):
            name = plain(QLabel(title))
            name.setEnabled(False)
            value = plain(QLabel("—"))
            value.setObjectName(f"figure_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)  # "72 days, P10–P90 42–121" wraps in a narrow pane
            if key == "plan":
                grid.addWidget(name, WIDE_FIGURES[key], 0)
                grid.addWidget(value, WIDE_FIGURES[key], 1, 1, 3)
            else:
                font = value.font()
                font.setPointSizeF(font.pointSizeF() * 1.25)
                font.setBold(True)
                value.setFont(font)
                row, col = divmod(i, 2)
                grid.addWidget(name, WIDE_FIGURES.get(key, row), 0 if key in WIDE_FIGURES else col * 2)
                if key in WIDE_FIGURES:
                    grid.addWidget(value, WIDE_FIGURES[key], 1, 1, 3)
                else:
                    grid.addWidget(value, row, col * 2 + 1)
            self.figures[key] = value
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.options = QTableWidget(0, len(OPTION_COLUMNS))
        self.options.setHorizontalHeaderLabels(OPTION_COLUMNS)
        self.options.verticalHeader().setVisible(False)
        self.options.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.options.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.options.setTextElideMode(Qt.TextElideMode.ElideRight)
        # the figures whole; the option's name elided when the pane is narrow (tooltip has it)
        self.options_fitter = ColumnFitter(self.options, elastic={0: 1})
        options_box = QGroupBox("Options")
        ob = QVBoxLayout(options_box)
        ob.addWidget(self.options)

        self.charts = ChartsPanel()

        inner = QWidget()
        v = QVBoxLayout(inner)
        v.setSpacing(10)
        v.addWidget(self.banner)
        v.addWidget(self.status)
        v.addWidget(figures_box)
        why = QGroupBox("Why")
        wl = QVBoxLayout(why)
        wl.addWidget(self.reasons)
        v.addWidget(why)
        v.addWidget(options_box)
        v.addWidget(self.charts)
        v.addStretch(1)
        scroll = self.scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.status.hide()

    def charts_on_screen(self) -> int:
        """How many pixels of the chart panel's height the scroll area shows."""
        viewport = self.scroll.viewport()
        top_left = self.charts.mapTo(viewport, self.charts.rect().topLeft())
        shown = viewport.rect().intersected(self.charts.rect().translated(top_left))
        return max(0, shown.height())

    # ---- state -------------------------------------------------------------------------
    def set_stale(self, message: str | None) -> None:
        """Keep the last valid result on screen but say it no longer matches the inputs."""
        self.stale = bool(message)
        self.status.setText(f"⚠ Showing the last valid result. {message}" if message else "")
        self.status.setVisible(self.stale)
        self._style_banner()

    def set_busy(self, busy: bool) -> None:
        if busy and self.result is None:
            self.banner.setText("Evaluating…")

    def show_error(self, message: str) -> None:
        """The core refused the scenario (e.g. an unknown site): keep the last result, stale."""
        self.set_stale(message)

    def show_result(self, result: ScenarioResult) -> None:
        self.result = result
        best = result.best or (result.options[0] if result.options else None)
        headline = VERDICT_STYLE.get(result.verdict, ("", "", result.verdict))[2]
        if best is not None:
            headline += f" — {best.label}"
            if best.wall_clock_days is not None and result.verdict != "infeasible":
                headline += f", {best.wall_clock_days:,.0f} days"
                band = result.uncertainty
                if band is not None:
                    headline += (f" (P10–P90 {band.wall_clock_days.p10:,.0f}–"
                                 f"{band.wall_clock_days.p90:,.0f})")
                    if band.p_deadline is not None:
                        headline += f", {chance(band.p_deadline)} chance to meet the deadline"
                    if band.p_budget is not None:
                        headline += f", {chance(band.p_budget)} to stay within the budget"
        self.figures_box.setTitle({"infeasible": "Key figures (if the option were allowed)",
                                   "unknown": "Key figures (if the rule of unknown status does not apply)"}
                                  .get(result.verdict, "Key figures (chosen option)"))
        self.banner.setText(headline)
        self.reasons.setText("<ul style='margin-left:-20px'>" + "".join(
            f"<li>{escape(r)}</li>" for r in result.reasons) + "</ul>" if result.reasons else "")
        self._fill_figures(best, result.uncertainty if result.best is not None else None)
        self._fill_options(result)
        self.set_stale(None)

    def _style_banner(self) -> None:
        neutral = ("palette(mid)", "palette(text)", "")
        bg, fg, _ = VERDICT_STYLE.get(self.result.verdict, neutral) if self.result else neutral
        extra = "border: 3px dashed palette(text);" if self.stale else ""
        self.banner.setStyleSheet(f"QLabel#verdictBanner {{ background: {bg}; color: {fg}; "
                                  f"font-size: 13pt; font-weight: 600; border-radius: 4px; {extra} }}")

    def _fill_figures(self, best, band=None) -> None:
        est = best.estimate if best is not None else None

        def rng(key: str, show) -> str:
            b = getattr(band, key, None) if band is not None else None
            return "" if b is None else f"\nP10–P90 {show(b.p10)}–{show(b.p90)}"

        values = {
            "days": "—" if best is None or best.wall_clock_days is None
            else f"{best.wall_clock_days:,.1f} days" + rng("wall_clock_days", lambda x: f"{x:,.0f}"),
            "gpu_hours": "—" if best is None or best.gpu_hours is None
            else human(best.gpu_hours) + rng("gpu_hours", human),
            "cost": _money(best.cost_usd if best is not None else None)
            + ("" if best is None or best.cost_usd is None else rng("cost_usd", _money)),
            "mfu": "—" if est is None or est.mfu is None else f"{est.mfu:.1%}",
            "energy": "—" if best is None or best.energy_mwh is None
            # facility energy (the cost's) first, chips at TDP and the factors on a second line
            else (best.energy_text or f"{best.energy_mwh:,.0f} MWh ({best.energy_basis})").replace(" (", "\n(", 1),
            "flops": "—" if est is None else f"{est.training_flops:.3g}",
            "plan": "—" if est is None or est.plan is None else est.plan.label(),
        }
        method = describe_method([band]) if band is not None else ""
        for key, text in values.items():
            self.figures[key].setText(text)
            if key in ("days", "gpu_hours"):  # what the range varies and takes as certain
                self.figures[key].setToolTip(tip(method))
        parts = "\n".join(f"{k}: {_money(v)}" for k, v in best.cost_breakdown.items()) \
            if best is not None and best.cost_breakdown else ""
        self.figures["cost"].setToolTip(tip("\n\n".join(t for t in (parts, method) if t)))

    def _fill_options(self, result: ScenarioResult) -> None:
        self.options.setRowCount(len(result.options))
        for row, o in enumerate(result.options):
            cells = [
                # chip @ site: the count is in 'Chips usable' and the status in 'Policy'; the
                # full label (elided in the middle at 1366 px it lost the chip) is the tooltip
                f"{o.accelerator} @ {o.site}" + ("  ★" if row == result.chosen else ""),
                VERDICT_STYLE.get(o.verdict, ("", "", o.verdict))[2],
                o.policy_status.replace("_", " "),
                f"{o.usable_count:,} / {o.count:,}",
                "—" if o.wall_clock_days is None else f"{o.wall_clock_days:,.1f}",
                "—" if o.gpu_hours is None else human(o.gpu_hours),
                _money(o.cost_usd),
            ]
            why = "\n".join(o.reasons) or "no remarks"
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip(f"{o.label}\n{why}" if col == 0 else why))
                if col == 0 and row == result.chosen:  # bold too: the star may be elided
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                if col == 1:
                    item.setForeground(QBrush(QColor(VERDICT_TEXT.get(o.verdict, '#666666'))))
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                if col in (3, 4, 5, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.options.setItem(row, col, item)
        self.options_fitter.fit()
        self.options.resizeRowsToContents()
        t = self.options
        rows = t.verticalHeader().length()
        scroll = 0 if columns_fit(t) else t.horizontalScrollBar().sizeHint().height()
        height = t.horizontalHeader().sizeHint().height() + rows + 2 * t.frameWidth() + scroll
        t.setFixedHeight(min(height, 240))

    def figure(self, key: str) -> str:
        return self.figures[key].text()

