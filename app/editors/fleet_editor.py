"""Fleet editor: one table row per pool of identical accelerators (chip, count, site, how it is
held, when it was obtained, price overrides), with the chip's key catalog specs alongside."""

from __future__ import annotations

from typing import cast, get_args

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app import sources
from app.editors.base import ScenarioEditor
from app.editors.fields import (
    fmt_date,
    fmt_float,
    fmt_int,
    optional,
    parse_date,
    parse_float,
    parse_int,
)
from app.fit_table import ColumnFitter
from app.plain import plain, tip
from core.scenario import AccessMode

COLUMNS = ["Accelerator", "Key specs", "Count", "Site", "Access"]
DETAIL = [  # per-pool fields shown for the selected row: (field, label, parse, fmt, hint, blank)
    ("acquired", "Acquired", optional(parse_date), fmt_date,
     "when the chips were obtained (YYYY-MM-DD)", "unknown"),
    ("price_per_hour_usd", "Lease price ($/GPU-h)", optional(parse_float), fmt_float,
     "overrides the catalog rental price", "catalog"),
    ("unit_price_usd", "Unit price ($)", optional(parse_float), fmt_float,
     "overrides the catalog purchase price", "catalog"),
    ("network_gbs", "Network (GB/s per chip)", optional(parse_float), fmt_float,
     "scale-out bandwidth per accelerator at this site, if not the catalog's reference system",
     "catalog"),
]
ACCESS_LABELS = {"own": "own", "stockpile": "stockpile", "lease": "lease", "domestic": "domestic", "smuggled": "smuggled"}


def key_specs(chip, two_lines: bool = False) -> str:
    """'989 TFLOPS · 80 GB · 900 GB/s NVLink · TPP 15,832' (missing figures show as —)."""
    if chip is None:
        return "not in the catalog"

    def f(name: str, unit: str) -> str:
        v = chip.v(name)
        return f"— {unit}" if v is None else f"{v:,.0f} {unit}"

    link = "GB/s NVLink" if chip.vendor.upper() == "NVIDIA" else "GB/s scale-up"
    tpp = "TPP —" if chip.tpp is None else f"TPP {chip.tpp:,.0f}"
    first = f"{f('bf16_tflops', 'TFLOPS')} · {f('hbm_gb', 'GB')}"
    second = f"{f('scaleup_gbs', link)} · {tpp}"
    return f"{first}\n{second}" if two_lines else f"{first} · {second}"


class FleetEditor(ScenarioEditor):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._chips = sources.accelerators()
        self._sites = sources.sites()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        # the count needs room for ~10 digits, not a line edit's default width; the key specs
        # take what is left (tooltip has them whole)
        count_w = self.table.fontMetrics().horizontalAdvance("100,000,000") + 16
        self.fitter = ColumnFitter(self.table, elastic={1: 1}, fixed={2: count_w})
        self.add_button = QPushButton("Add pool")
        self.add_button.clicked.connect(self.add_pool)
        self.remove_button = QPushButton("Remove pool")
        self.remove_button.clicked.connect(lambda: self.remove_pool(self.table.currentRow()))
        self.detail = plain(QLabel())
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table.currentCellChanged.connect(lambda *_: self._show_detail())
        self.detail_box = QGroupBox("Selected pool")
        form = QFormLayout(self.detail_box)
        form.addRow(self.detail)
        self.detail_fields = []
        for name, label, parse, fmt, hint, blank in DETAIL:
            w = self.field(("fleet", 0, name), parse, fmt, label, hint, blank)
            self.detail_fields.append(w)
            form.addRow(label, w)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        note = plain(QLabel("Pools of the same accelerator at the same site are merged; training across "
                      "sites is not assumed. Blank prices use the catalog figures."))
        note.setWordWrap(True)
        note.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_line)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.detail_box)
        layout.addWidget(note)
        self._rows = 0

    # ---- building rows -----------------------------------------------------------------
    def _build_rows(self, n: int) -> None:
        self.fields = list(self.detail_fields)
        self.table.setRowCount(n)
        for i in range(n):
            chip = QComboBox()
            for cid, a in self._chips.items():
                chip.addItem(cid, cid)
                chip.setItemData(chip.count() - 1, tip(f"{a.name} — {key_specs(a)}"),
                                 Qt.ItemDataRole.ToolTipRole)
            chip.activated.connect(lambda _i, row=i, c=chip: self.apply(
                ("fleet", row, "accelerator"), c.currentData(), text="Change accelerator"))
            self.table.setCellWidget(i, 0, chip)
            spec = plain(QLabel())
            # room above and below the two lines: without it the text filled its row edge to edge
            spec.setContentsMargins(6, 5, 6, 5)
            spec.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self.table.setCellWidget(i, 1, spec)
            self.table.setCellWidget(i, 2, self.field(("fleet", i, "count"), parse_int, fmt_int,
                                                      f"Pool {i + 1} count", "accelerators in the pool"))
            site = QComboBox()
            site.setEditable(True)
            for sid, s in self._sites.items():
                site.addItem(sid, sid)
                site.setItemData(site.count() - 1, tip(s.name), Qt.ItemDataRole.ToolTipRole)
            site.setToolTip("site id or ISO country code")
            edit = site.lineEdit()
            assert edit is not None  # editable
            edit.editingFinished.connect(
                lambda row=i, c=site: self._site_edited(row, c.currentText()))
            site.activated.connect(lambda _i, row=i, c=site: self._site_edited(row, c.currentText()))
            self.table.setCellWidget(i, 3, site)
            access = QComboBox()
            for mode in get_args(AccessMode):
                access.addItem(ACCESS_LABELS.get(mode, mode), mode)
            access.activated.connect(lambda _i, row=i, c=access: self.apply(
                ("fleet", row, "access"), c.currentData(), text="Change access"))
            self.table.setCellWidget(i, 4, access)
        self._rows = n
        self.table.resizeRowsToContents()

    def _site_edited(self, row: int, text: str) -> None:
        if self.scenario is not None and row < len(self.scenario.fleet) \
                and self.scenario.fleet[row].site != text.strip():
            self.apply(("fleet", row, "site"), text.strip(), text="Change site")

    # ---- structure ---------------------------------------------------------------------
    def add_pool(self) -> None:
        if self.scenario is None:
            return
        fleet = [*self.scenario.fleet, self.scenario.fleet[-1].model_copy()]
        self.emit_scenario(self.scenario.model_copy(update={"fleet": fleet}), "Add pool")

    def remove_pool(self, row: int) -> None:
        if self.scenario is None or len(self.scenario.fleet) <= 1:
            return
        row = row if 0 <= row < len(self.scenario.fleet) else len(self.scenario.fleet) - 1
        fleet = [p for i, p in enumerate(self.scenario.fleet) if i != row]
        self.emit_scenario(self.scenario.model_copy(update={"fleet": fleet}), "Remove pool")

    # ---- view --------------------------------------------------------------------------
    def load(self, scenario, project=None, force: bool = False) -> None:
        if force or len(scenario.fleet) != self._rows:
            current = self.table.currentRow()
            self._build_rows(len(scenario.fleet))
            force = True
            self.table.selectRow(min(max(current, 0), len(scenario.fleet) - 1))
        super().load(scenario, project, force)

    def refresh(self, _force: bool) -> None:
        if self.scenario is None:
            return
        for i, pool in enumerate(self.scenario.fleet):
            chip = cast(QComboBox, self.table.cellWidget(i, 0))
            idx = chip.findData(pool.accelerator)
            if idx < 0:
                chip.addItem(pool.accelerator, pool.accelerator)
                idx = chip.count() - 1
            chip.setCurrentIndex(idx)
            spec = cast(QLabel, self.table.cellWidget(i, 1))
            spec.setText(key_specs(self._chips.get(pool.accelerator), two_lines=True))
            spec.setToolTip(tip(key_specs(self._chips.get(pool.accelerator))))
            site = cast(QComboBox, self.table.cellWidget(i, 3))
            if site.currentText() != pool.site:
                site.setCurrentText(pool.site)
            access = cast(QComboBox, self.table.cellWidget(i, 4))
            access.setCurrentIndex(access.findData(pool.access))
        self.table.resizeRowsToContents()
        self.fitter.fit()
        self.remove_button.setEnabled(len(self.scenario.fleet) > 1)
        self._show_detail()

    def selected_row(self) -> int:
        row = self.table.currentRow()
        return row if self.scenario is not None and 0 <= row < len(self.scenario.fleet) else 0

    def _show_detail(self) -> None:
        if self.scenario is None:
            return
        row = self.selected_row()
        pool = self.scenario.fleet[row]
        for w in self.detail_fields:
            new_path = ("fleet", row, w.path[-1])
            if w.path != new_path:
                w.path = new_path
                w.show_value(getattr(pool, w.path[-1]), force=True)
        chip = self._chips.get(pool.accelerator)
        site = self._sites.get(pool.site)
        where = f"{site.name} ({site.country})" if site else pool.site
        name = chip.name if chip else pool.accelerator
        origin = f", designed in {chip.origin}" if chip else ""
        self.detail.setText(f"Pool {row + 1}: {name}{origin}, at {where}, {pool.access}.\n"
                            f"{key_specs(chip) if chip else ''}")
        self.detail_box.setTitle(f"Selected pool ({row + 1} of {len(self.scenario.fleet)})")
