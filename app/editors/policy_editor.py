"""Policy editor: the scenario's date and headquarters, the export-control regime it is judged
under, which of the regime's rules apply, and how pending licences count."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import sources
from app.editors.base import ScenarioEditor
from app.editors.fields import fmt_float, mark_invalid, optional, parse_float

RULE_COLUMNS = ["On", "Rule", "Name", "Effective", "Ends", "Status", "Outcome", "Source"]
HQ_CODES = ["CN", "US", "SG", "MY", "TH", "ID", "AE", "HK", "TW", "KR", "JP", "IN", "GB", "DE", "FR"]


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(getattr(value, "value", value))


class PolicyEditor(ScenarioEditor):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # -- when and who
        who = QGroupBox("Scenario")
        wf = QFormLayout(who)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setToolTip("the date the rules are evaluated at and the run starts")
        self.date.dateChanged.connect(
            lambda q: self.apply(("date",), _pydate(q), merge=True, text="Change date"))
        self.hq = QComboBox()
        self.hq.setEditable(True)
        self.hq.addItems(HQ_CODES)
        self.hq.setToolTip("end user's headquarters (ISO 3166 two-letter code)")
        self.hq.lineEdit().textEdited.connect(self._hq_edited)
        self.hq.activated.connect(lambda _i: self._hq_edited(self.hq.currentText()))
        wf.addRow("Scenario date", self.date)
        wf.addRow("Headquarters", self.hq)

        # -- constraints
        limits = QGroupBox("Constraints")
        lf = QFormLayout(limits)
        lf.addRow("Deadline (days)", self.field(("constraints", "deadline_days"), optional(parse_float),
                                                fmt_float, "Deadline", "calendar days", "none"))
        lf.addRow("Budget (USD)", self.field(("constraints", "budget_usd"), optional(parse_float),
                                             fmt_float, "Budget", "US dollars", "none"))
        lf.addRow("Site power (MW)", self.field(("constraints", "site_power_mw"),
                                                optional(parse_float), fmt_float, "Site power",
                                                "overrides the site's power budget", "site figure"))
        top = QHBoxLayout()
        top.addWidget(who, 1)
        top.addWidget(limits, 1)

        # -- regime
        regime_box = QGroupBox("Export-control regime")
        rv = QVBoxLayout(regime_box)
        self.regime = QComboBox()
        self.regime.activated.connect(
            lambda i: self.apply(("policy", "regime"), self.regime.itemData(i), text="Change regime"))
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.rules = QTableWidget(0, len(RULE_COLUMNS))
        self.rules.setHorizontalHeaderLabels(RULE_COLUMNS)
        self.rules.verticalHeader().setVisible(False)
        self.rules.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rules.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rules.setWordWrap(False)
        self.rules.setTextElideMode(Qt.TextElideMode.ElideRight)
        h = self.rules.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        h.setStretchLastSection(True)
        self.rules.itemChanged.connect(self._rule_toggled)
        self.hypothetical_on = QCheckBox("Hypothetical rules take effect from")
        self.hypothetical_on.toggled.connect(self._hypothetical_changed)
        self.hypothetical = QDateEdit()
        self.hypothetical.setCalendarPopup(True)
        self.hypothetical.setDisplayFormat("yyyy-MM-dd")
        self.hypothetical.dateChanged.connect(lambda _q: self._hypothetical_changed())
        hyp = QHBoxLayout()
        hyp.addWidget(self.hypothetical_on)
        hyp.addWidget(self.hypothetical)
        hyp.addStretch(1)
        self.pending = QCheckBox("Count chips awaiting a licence as usable")
        self.pending.toggled.connect(lambda on: self.apply(
            ("policy", "count_pending_licences"), on, text="Toggle pending licences"))
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setEnabled(False)
        form = QFormLayout()
        form.addRow("Regime", self.regime)
        rv.addLayout(form)
        rv.addWidget(self.description)
        rv.addWidget(self.rules, 1)
        rv.addLayout(hyp)
        rv.addWidget(self.pending)
        rv.addWidget(self.missing)

        layout = QVBoxLayout(self)
        layout.addWidget(self.error_line)
        layout.addLayout(top)
        layout.addWidget(regime_box, 1)

    # ---- edits -------------------------------------------------------------------------
    def _hq_edited(self, text: str) -> None:
        ok = self.apply(("hq",), text.strip().upper(), merge=True, text="Change headquarters")
        mark_invalid(self.hq, None if ok else "two-letter ISO country code, e.g. CN")

    def _hypothetical_changed(self, *_args) -> None:
        on = self.hypothetical_on.isChecked()
        self.hypothetical.setEnabled(on)
        value = _pydate(self.hypothetical.date()) if on else None
        self.apply(("policy", "hypothetical_from"), value, text="Change hypothetical date")

    def _rule_toggled(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != 0 or self.scenario is None:
            return
        rule_id = item.data(Qt.ItemDataRole.UserRole)
        disabled = [r for r in self.scenario.policy.disabled_rules if r != rule_id]
        if item.checkState() != Qt.CheckState.Checked:
            disabled.append(rule_id)
        verb = "Enable" if item.checkState() == Qt.CheckState.Checked else "Disable"
        self.apply(("policy", "disabled_rules"), disabled, text=f"{verb} rule {rule_id}")

    # ---- view --------------------------------------------------------------------------
    def refresh(self, force: bool) -> None:
        s = self.scenario
        if self.date.date() != _qdate(s.date):
            self.date.setDate(_qdate(s.date))
        if self.hq.currentText().upper() != s.hq:
            self.hq.setCurrentText(s.hq)
        regimes = sources.regimes(self.project)
        self.regime.clear()
        for rid, r in regimes.items():
            self.regime.addItem(sources.regime_field(r, "title") or sources.regime_field(r, "name") or rid, rid)
        if self.regime.findData(s.policy.regime) < 0:
            self.regime.addItem(f"{s.policy.regime} (not available)", s.policy.regime)
        self.regime.setCurrentIndex(self.regime.findData(s.policy.regime))
        regime = regimes.get(s.policy.regime)
        self.description.setText(sources.regime_field(regime, "description", "") or "")
        self._fill_rules(regime)
        on = s.policy.hypothetical_from is not None
        self.hypothetical_on.setChecked(on)
        self.hypothetical.setEnabled(on)
        self.hypothetical.setDate(_qdate(s.policy.hypothetical_from or s.date))
        self.pending.setChecked(s.policy.count_pending_licences)
        self.missing.setText("" if sources.policy_available() else
                             "The policy rule catalog is not part of this build: rules cannot be "
                             "listed, and the evaluation treats every pool as usable.")
        self.missing.setVisible(not sources.policy_available())

    def _fill_rules(self, regime) -> None:
        rules = list(sources.regime_field(regime, "rules", []) or []) if regime is not None else []
        disabled = set(self.scenario.policy.disabled_rules)
        self.rules.setRowCount(len(rules))
        for row, rule in enumerate(rules):
            rid = _text(sources.regime_field(rule, "id", ""))
            on = QTableWidgetItem()
            on.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                        | Qt.ItemFlag.ItemIsSelectable)
            on.setCheckState(Qt.CheckState.Unchecked if rid in disabled else Qt.CheckState.Checked)
            on.setData(Qt.ItemDataRole.UserRole, rid)
            self.rules.setItem(row, 0, on)
            title = _text(sources.regime_field(rule, "title"))
            for col, name in enumerate(["id", "short", "effective", "ends", "status", "outcome",
                                        "source"], start=1):
                value = _text(sources.regime_field(rule, name)).replace("_", " ")
                if name == "short" and not value:
                    value = title
                item = QTableWidgetItem(value)
                item.setToolTip(f"{title}\n{value}" if name in ("id", "short") else value)
                self.rules.setItem(row, col, item)
        self.rules.resizeColumnsToContents()
        self.rules.setColumnWidth(7, min(self.rules.columnWidth(7), 220))
