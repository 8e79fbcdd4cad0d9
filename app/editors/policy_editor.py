"""Policy editor: the scenario's date and headquarters, the export-control regime it is judged
under, which of the regime's rules apply, and how pending licences count."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import sources
from app.editors.base import ScenarioEditor
from app.editors.fields import fmt_float, mark_invalid, optional, parse_float
from app.fit_table import ColumnFitter
from app.plain import plain, tip
from core.errors import InputError
from core.scenario import END_USER_TYPES

# the table names each rule and says when and how it bites; its status, full title and source
# are in the "Selected rule" box and every cell's tooltip (eight columns at 1366x768 cut the
# outcome to "presumpt…" and the source to "88 FR …")
RULE_COLUMNS = ["On", "Rule", "Name", "Effective", "Ends", "Outcome"]
RULE_FIELDS = ["id", "short", "effective", "ends", "outcome"]
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


OUTCOMES = ["allowed", "notify", "discouraged", "license", "presumption_of_denial", "prohibited"]


class PolicyEditor(ScenarioEditor):
    # a new project (regime copied, rule edited) and the undo text; wired to the document
    project_edited = Signal(object, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._rule_id: str | None = None
        self.scenario_index = 0  # which scenario of the project is shown (set by the window)
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
        hq_edit = self.hq.lineEdit()
        assert hq_edit is not None  # editable
        hq_edit.textEdited.connect(self._hq_edited)
        self.hq.activated.connect(lambda _i: self._hq_edited(self.hq.currentText()))
        self.end_user = QComboBox()
        for key, words in END_USER_TYPES.items():
            self.end_user.addItem(words.removesuffix(" (default)"), key)
        self.end_user.setToolTip("what kind of buyer the end user is: China's H200 approval conditions and "
                                 "its state-funded data-centre mandate key on it (policy.end_user_type)")
        self.end_user.activated.connect(lambda i: self.apply(
            ("policy", "end_user_type"), self.end_user.itemData(i), text="Change end-user type"))
        wf.addRow("Scenario date", self.date)
        wf.addRow("Headquarters", self.hq)
        wf.addRow("End user", self.end_user)

        # -- constraints
        limits = QGroupBox("Constraints")
        lf = QFormLayout(limits)
        # the deadline is stored as days from the scenario's date; shown and accepted as a date
        # too (the earliest date, the start itself, reads "none": no deadline)
        self.deadline_date = QDateEdit()
        self.deadline_date.setCalendarPopup(True)
        self.deadline_date.setDisplayFormat("yyyy-MM-dd")
        self.deadline_date.setSpecialValueText("none")
        self.deadline_date.setToolTip("the deadline as a date: the scenario's date plus the days")
        self.deadline_date.dateChanged.connect(self._deadline_date_changed)
        lf.addRow("Deadline (days)", self.field(("constraints", "deadline_days"), optional(parse_float),
                                                fmt_float, "Deadline", "calendar days", "none"))
        lf.addRow("Deadline (date)", self.deadline_date)
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
        self.description = plain(QLabel())
        self.description.setWordWrap(True)
        self.rules = QTableWidget(0, len(RULE_COLUMNS))
        self.rules.setHorizontalHeaderLabels(RULE_COLUMNS)
        self.rules.verticalHeader().setVisible(False)
        self.rules.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rules.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rules.setTextElideMode(Qt.TextElideMode.ElideRight)
        # fit the pane: the check box, dates and outcomes whole; ids and names share the rest
        # and wrap onto a second line (rows fitted to it) rather than being cut
        self.rules_fitter = ColumnFitter(self.rules, elastic={1: 1, 2: 2}, wrap=True)
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
        self.copy_button = QPushButton("Copy to edit…")
        self.copy_button.setToolTip("copy this regime into the project; the copy's rules can be edited")
        self.copy_button.clicked.connect(self._copy_clicked)
        self.delete_button = QPushButton("Delete copy")
        self.delete_button.setToolTip("remove this project regime; scenarios using it go back to the rules in force")
        self.delete_button.clicked.connect(self._delete_clicked)
        pick = QHBoxLayout()
        pick.addWidget(plain(QLabel("Regime")))
        pick.addWidget(self.regime, 1)
        pick.addWidget(self.copy_button)
        pick.addWidget(self.delete_button)
        rv.addLayout(pick)
        rv.addWidget(self.description)
        rv.addWidget(self.rules, 1)
        rv.addWidget(self._rule_box())
        rv.addLayout(hyp)
        rv.addWidget(self.pending)

        layout = QVBoxLayout(self)
        layout.addWidget(self.error_line)
        layout.addLayout(top)
        layout.addWidget(regime_box, 1)

    def _rule_box(self) -> QGroupBox:
        """Fields of the selected rule; enabled only for a regime copied into the project."""
        self.rule_box = QGroupBox("Selected rule")
        f = QFormLayout(self.rule_box)
        self.rule_outcome = QComboBox()
        for o in OUTCOMES:
            self.rule_outcome.addItem(o.replace("_", " "), o)
        self.rule_outcome.activated.connect(
            lambda i: self._edit_rule(outcome=self.rule_outcome.itemData(i)))
        self.rule_effective = QDateEdit()
        self.rule_effective.setCalendarPopup(True)
        self.rule_effective.setDisplayFormat("yyyy-MM-dd")
        self.rule_effective.editingFinished.connect(
            lambda: self._edit_rule(effective=_pydate(self.rule_effective.date())))
        self.rule_likelihood = QDoubleSpinBox()
        self.rule_likelihood.setRange(0, 100)
        self.rule_likelihood.setSuffix(" %")
        self.rule_likelihood.setToolTip("licence approval likelihood (an assumption)")
        self.rule_likelihood.editingFinished.connect(
            lambda: self._edit_rule(approval_likelihood=self.rule_likelihood.value() / 100))
        self.rule_share = QDoubleSpinBox()
        self.rule_share.setRange(0, 100)
        self.rule_share.setSuffix(" %")
        self.rule_share.setToolTip("revenue share paid on licensed chips")
        self.rule_share.editingFinished.connect(
            lambda: self._edit_rule(revenue_share_pct=self.rule_share.value()))
        self.rule_grandfathers = QCheckBox("chips held before it stay usable")
        self.rule_grandfathers.clicked.connect(
            lambda on: self._edit_rule(grandfathers_prior_holdings=on))
        row = QHBoxLayout()
        row.addWidget(self.rule_outcome, 1)
        row.addWidget(plain(QLabel("from")))
        row.addWidget(self.rule_effective)
        licence = QHBoxLayout()
        licence.addWidget(plain(QLabel("Licence likelihood")))
        licence.addWidget(self.rule_likelihood)
        licence.addWidget(plain(QLabel("revenue share")))
        licence.addWidget(self.rule_share)
        licence.addStretch(1)
        self.rule_hint = plain(QLabel())
        self.rule_hint.setWordWrap(True)
        self.rule_hint.setEnabled(False)
        self.rule_fields = QWidget()
        ff = QFormLayout(self.rule_fields)
        ff.setContentsMargins(0, 0, 0, 0)
        ff.addRow("Outcome", row)
        ff.addRow("", self.rule_grandfathers)
        ff.addRow(licence)
        f.addRow(self.rule_fields)
        f.addRow(self.rule_hint)
        self.rules.itemSelectionChanged.connect(self._show_rule)
        return self.rule_box

    # ---- regime copies -----------------------------------------------------------------
    def _editable(self) -> bool:
        from core.regimes import is_project_regime

        return self.scenario is not None and is_project_regime(self.project, self.scenario.policy.regime)

    def _copy_clicked(self) -> None:
        if self.scenario is None or self.project is None:
            return
        title, ok = QInputDialog.getText(self, "Copy regime", "Name of the copy:",
                                         text=f"{self.regime.currentText()} (edited)")
        if ok:
            self.copy_regime(title)

    def copy_regime(self, title: str) -> bool:
        """Copy the scenario's regime into the project and switch the scenario to the copy."""
        from core.regimes import copy_regime

        if self.scenario is None or self.project is None:
            return False
        try:
            project, rid = copy_regime(self.project, self.scenario.policy.regime, title)
        except InputError as e:
            self._report(f"Copy regime: {e}")
            return False
        index = self.scenario_index
        scenarios = list(project.scenarios)
        s = scenarios[index]
        scenarios[index] = s.model_copy(update={"policy": s.policy.model_copy(update={"regime": rid})})
        self.project_edited.emit(project.model_copy(update={"scenarios": scenarios}), f"Copy regime to '{title}'")
        return True

    def _delete_clicked(self) -> None:
        from core.regimes import delete_regime

        if self._editable() and self.scenario is not None and self.project is not None:
            self.project_edited.emit(delete_regime(self.project, self.scenario.policy.regime),
                                     "Delete regime copy")

    def _edit_rule(self, **changes) -> bool:
        """One validated change of the selected rule of a project regime (undoable)."""
        from core.regimes import edit_rule

        if self._loading or not self._editable() or self._rule_id is None \
                or self.scenario is None or self.project is None:
            return False
        try:
            project = edit_rule(self.project, self.scenario.policy.regime, self._rule_id, **changes)
        except InputError as e:
            self._report(f"Rule {self._rule_id}: {e.problem}")
            return False
        if project != self.project:
            self.project_edited.emit(project, f"Edit rule {self._rule_id}")
        return True

    def _show_rule(self) -> None:
        rows = self.rules.selectionModel().selectedRows() if self.rules.selectionModel() else []
        item = self.rules.item(rows[0].row(), 0) if rows else None
        self._rule_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self._fill_rule_box()

    def _fill_rule_box(self) -> None:
        from core.regimes import regime_for

        editable = self._editable()
        rule = None
        if self._rule_id is not None and self.scenario is not None:
            try:
                rule = regime_for(self.project, self.scenario.policy.regime).rule(self._rule_id)
            except InputError:
                rule = None
        was, self._loading = self._loading, True
        try:
            for w in (self.rule_outcome, self.rule_effective, self.rule_likelihood, self.rule_share,
                      self.rule_grandfathers):
                w.setEnabled(editable and rule is not None)
            if rule is not None:
                self.rule_box.setTitle(f"Selected rule: {rule.id} ({rule.short})")
                self.rule_outcome.setCurrentIndex(max(0, self.rule_outcome.findData(rule.outcome)))
                self.rule_effective.setDate(_qdate(rule.effective))
                self.rule_likelihood.setValue(100 * (rule.licence.approval_likelihood if rule.licence else 0))
                self.rule_share.setValue(rule.licence.revenue_share_pct if rule.licence else 0)
                self.rule_grandfathers.setChecked(rule.grandfathers_prior_holdings)
            else:
                self.rule_box.setTitle("Selected rule")
            self.rule_fields.setVisible(rule is not None)
            title = (f"{rule.title}. Status: {_text(rule.status).replace('_', ' ')}. "
                     f"Source: {rule.source}. " if rule is not None
                     else "Select a rule to see its terms. ")
            self.rule_hint.setText(title + (
                "Edits change this project's copy only; the rule keeps its source." if editable else
                "Presets are read-only: use “Copy to edit…” to change a rule's outcome, date or "
                "licence terms in a copy kept with this project."))
        finally:
            self._loading = was

    # ---- edits -------------------------------------------------------------------------
    def _hq_edited(self, text: str) -> None:
        ok = self.apply(("hq",), text.strip().upper(), merge=True, text="Change headquarters")
        mark_invalid(self.hq, None if ok else "two-letter ISO country code, e.g. CN")

    def _deadline_date_changed(self, q: QDate) -> None:
        if self._loading or self.scenario is None:
            return
        days = (_pydate(q) - self.scenario.date).days
        value = float(days) if days > 0 else None
        if value == self.scenario.constraints.deadline_days:
            return
        field = self.field_at(("constraints", "deadline_days"))
        if self.apply(("constraints", "deadline_days"), value, text="Change deadline") \
                and field is not None:
            field.show_value(value, force=True)

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
    def refresh(self, _force: bool) -> None:
        s = self.scenario
        if s is None:
            return
        if self.date.date() != _qdate(s.date):
            self.date.setDate(_qdate(s.date))
        self.deadline_date.setMinimumDate(_qdate(s.date))
        days = s.constraints.deadline_days
        self.deadline_date.setDate(_qdate(s.date + dt.timedelta(days=round(days)))
                                   if days else _qdate(s.date))
        if self.hq.currentText().upper() != s.hq:
            self.hq.setCurrentText(s.hq)
        self.end_user.setCurrentIndex(self.end_user.findData(s.policy.end_user_type))
        regimes = sources.regimes(self.project)
        self.regime.clear()
        for rid, r in regimes.items():
            self.regime.addItem(r.title or rid, rid)
        if self.regime.findData(s.policy.regime) < 0:
            self.regime.addItem(f"{s.policy.regime} (not available)", s.policy.regime)
        self.regime.setCurrentIndex(self.regime.findData(s.policy.regime))
        regime = regimes.get(s.policy.regime)
        self.description.setText(regime.description if regime is not None else "")
        self._fill_rules(regime)
        on = s.policy.hypothetical_from is not None
        self.hypothetical_on.setChecked(on)
        self.hypothetical.setEnabled(on)
        self.hypothetical.setDate(_qdate(s.policy.hypothetical_from or s.date))
        self.pending.setChecked(s.policy.count_pending_licences)
        self.delete_button.setVisible(self._editable())
        self.copy_button.setEnabled(regime is not None)
        self._fill_rule_box()

    def _fill_rules(self, regime) -> None:
        keep = self._rule_id
        blocked = self.rules.blockSignals(True)
        try:
            self._fill_rule_rows(regime)
        finally:
            self.rules.blockSignals(blocked)
        # keep the selected rule selected across edits (the table is refilled after each one)
        items = [self.rules.item(r, 0) for r in range(self.rules.rowCount())]
        ids = [i.data(Qt.ItemDataRole.UserRole) if i is not None else None for i in items]
        self._rule_id = keep if keep in ids else None
        if self._rule_id is not None:
            self.rules.selectRow(ids.index(self._rule_id))

    def _fill_rule_rows(self, regime) -> None:
        rules = list(regime.rules) if regime is not None else []
        disabled = set(self.scenario.policy.disabled_rules) if self.scenario is not None else set()
        self.rules.setRowCount(len(rules))
        for row, rule in enumerate(rules):
            rid = rule.id
            on = QTableWidgetItem()
            on.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                        | Qt.ItemFlag.ItemIsSelectable)
            on.setCheckState(Qt.CheckState.Unchecked if rid in disabled else Qt.CheckState.Checked)
            on.setData(Qt.ItemDataRole.UserRole, rid)
            self.rules.setItem(row, 0, on)
            title = rule.title
            whole = (f"{rid}: {title}\nStatus: {_text(rule.status).replace('_', ' ')}; outcome: "
                     f"{_text(rule.outcome).replace('_', ' ')}\nSource: {_text(rule.source)}")
            for col, name in enumerate(RULE_FIELDS, start=1):
                value = _text(getattr(rule, name)).replace("_", " ") or (title if name == "short" else "")
                item = QTableWidgetItem(value)
                item.setToolTip(tip(whole))
                self.rules.setItem(row, col, item)
        self.rules_fitter.fit()
