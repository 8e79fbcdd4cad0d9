"""Model editor: preset or Hugging Face import, every architecture field, the training run, and
the totals the core derives from them (parameters, active parameters, training FLOPs)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import sources
from app.editors.base import ScenarioEditor
from app.editors.fields import (
    FieldEdit,
    fmt_big,
    fmt_float,
    fmt_int,
    optional,
    parse_big,
    parse_float,
    parse_int,
    with_values,
)
from app.plain import plain, tip
from core.errors import InputError
from core.maturity import load_maturity
from core.units import human

M = "model"
T = "training"

ARCHITECTURE = [  # (field, label, hint, optional?)
    ("n_layers", "Layers", "transformer blocks", False),
    ("d_model", "Hidden size", "d_model", False),
    ("n_heads", "Attention heads", "query heads", False),
    ("n_kv_heads", "KV heads", "blank = same as attention heads (MHA)", True),
    ("head_dim", "Head dim", "blank = hidden size / heads", True),
    ("ffn_dim", "FFN width", "dense feed-forward width", False),
    ("vocab_size", "Vocabulary", "tokens", False),
]
MOE = [
    ("n_experts", "Routed experts", "0 = dense model", False),
    ("n_active_experts", "Active experts", "routed experts per token", False),
    ("n_shared_experts", "Shared experts", "always-on experts", False),
    ("expert_ffn_dim", "Expert FFN width", "width of one routed expert", True),
    ("shared_expert_ffn_dim", "Shared FFN width", "blank = shared experts × expert width", True),
    ("first_dense_layers", "Leading dense layers", "first_k_dense_replace", False),
    ("moe_layer_freq", "MoE every k-th layer", "1 = every layer", False),
]
MLA = [
    ("q_lora_rank", "Q LoRA rank", "blank or 0 = full-rank queries", True),
    ("kv_lora_rank", "KV LoRA rank", "compressed KV width", True),
    ("qk_nope_head_dim", "QK no-RoPE dim", "per head", True),
    ("qk_rope_head_dim", "QK RoPE dim", "per head", True),
    ("v_head_dim", "V head dim", "per head", True),
]
CUSTOM = "(custom architecture)"
# short names of the software-maturity settings in the combo; the tooltip has the whole story
MATURITY_SHORT = {"frontier": "Frontier", "typical": "Typical (default)",
                  "legacy": "Legacy (pre-2023)", "first-port": "First port"}
FAMILY_NAMES = {"ampere": "Ampere (A100/A800)", "hopper": "Hopper (H100/H800/H200/H20)",
                "other": "other chips"}
Z90 = 1.2815515655446004  # P10/P90 of a lognormal: ÷/× GSD^Z90 (core.uncertainty.Z90)
# uncertain inputs: (label, low path, high path, hint)
RANGES = [
    ("Token range", (T, "tokens_low"), (T, "tokens_high"),
     "mark the token count uncertain (an undisclosed model): its low and high, e.g. 10T and 20T; "
     "the P10–P90 ranges sample between them, the point estimate uses Tokens. Both or neither"),
    ("Active params range", (M, "active_params_low"), (M, "active_params_high"),
     "mark the active parameter count uncertain (an undisclosed model such as Doubao): its low and "
     "high, e.g. 20B and 60B; the P10–P90 ranges sample between them (scaling the 6·N FLOPs and "
     "the step time), the point estimate uses the architecture's count. Both or neither"),
]


def maturity_tip(name: str) -> str:
    """What a software-maturity setting means: its description, and per chip family the factor
    on the catalog's kernel efficiency and the spread of the estimate (maturity.json)."""
    setting = load_maturity()["settings"][name]
    lines = [f"{name}: {setting['label']}."]
    for fam, entry in setting["families"].items():
        gsd = float(entry["gsd"])
        lines.append(f"• {FAMILY_NAMES.get(fam, fam)}: kernel efficiency × {float(entry['factor']):.2f} "
                     f"of the typical value; spread ×{gsd:.2f} (P10–P90 of days ÷/× {gsd ** Z90:.2f})"
                     + (" — an estimate" if entry.get("estimate") else ""))
    lines.append("Fitted on the validation runs (resources/catalog/maturity.json, docs/validation.md). "
                 "Ignored while Kernel efficiency is set.")
    return "\n".join(lines)


class ModelEditor(ScenarioEditor):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._presets = sources.presets()

        # -- source: preset or import
        self.preset_combo = QComboBox()
        self.preset_combo.addItem(CUSTOM, None)
        for pid, p in self._presets.items():
            self.preset_combo.addItem(p.name, pid)
            self.preset_combo.setItemData(self.preset_combo.count() - 1, tip(p.published_source),
                                          Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.activated.connect(self._preset_chosen)
        self.preset_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset_combo.setMinimumContentsLength(14)
        self.import_button = QPushButton("Import config.json…")
        self.import_button.setToolTip("Read the architecture from a Hugging Face config.json")
        self.import_button.clicked.connect(self._import_clicked)
        self.source_label = plain(QLabel())
        self.source_label.setWordWrap(True)
        self.source_label.setForegroundRole(self.source_label.foregroundRole())
        self.source_label.setEnabled(False)
        source_row = QHBoxLayout()
        source_row.addWidget(self.preset_combo, 1)
        source_row.addWidget(self.import_button)
        source_box = QGroupBox("Model")
        sb = QVBoxLayout(source_box)
        sb.addLayout(source_row)
        sb.addWidget(self.source_label)

        # -- architecture
        arch_box, arch_form = _form_box("Architecture")
        for name, label, hint, opt in ARCHITECTURE:
            arch_form.addRow(label, self._int_field(name, label, hint, opt))
        self.gated = QCheckBox("Gated MLP (SwiGLU/GeGLU)")
        self.gated.toggled.connect(lambda on: self.apply((M, "gated_mlp"), on, text="Toggle gated MLP"))
        self.tied = QCheckBox("Tied input/output embeddings")
        self.tied.toggled.connect(lambda on: self.apply((M, "tied_embeddings"), on,
                                                        text="Toggle tied embeddings"))
        # full-width rows: beside the labels' column they made the pane scroll sideways at 1366 px
        arch_form.addRow(self.gated)
        arch_form.addRow(self.tied)

        moe_box, moe_form = _form_box("Mixture of experts")
        for name, label, hint, opt in MOE:
            moe_form.addRow(label, self._int_field(name, label, hint, opt))

        att_box, att_form = _form_box("Attention")
        self.attention = QComboBox()
        self.attention.addItem("GQA / MQA / MHA", "gqa")
        self.attention.addItem("MLA (DeepSeek low-rank)", "mla")
        self.attention.activated.connect(
            lambda i: self.apply((M, "attention"), self.attention.itemData(i), text="Change attention"))
        att_form.addRow("Variant", self.attention)
        self._mla_rows = []
        for name, label, hint, opt in MLA:
            w = self._int_field(name, label, hint, opt)
            att_form.addRow(label, w)
            self._mla_rows.append((att_form, w))

        # -- training run
        train_box, train_form = _form_box("Training run")
        train_form.addRow("Tokens", self.field((T, "tokens"), parse_big, fmt_big, "Tokens",
                                               "training tokens, e.g. 36T, 300B, 1.5e13"))
        train_form.addRow("Sequence length", self.field((T, "seq_len"), parse_int, fmt_int,
                                                        "Sequence length", "tokens per sequence"))
        train_form.addRow("Global batch", self.field(
            (T, "global_batch_tokens"), optional(parse_int), fmt_int, "Global batch",
            "tokens per optimizer step", placeholder="chosen by the planner"))
        self.precision = QComboBox()
        self.precision.addItem("BF16", "bf16")
        self.precision.addItem("FP8", "fp8")
        self.precision.activated.connect(
            lambda i: self.apply((T, "precision"), self.precision.itemData(i), text="Change precision"))
        train_form.addRow("Precision", self.precision)
        train_form.addRow("Kernel efficiency", self.field(
            ("physics", "kernel_efficiency"), optional(parse_float), fmt_float, "Kernel efficiency",
            "share of the chip's peak its matmuls reach with this software stack (0-1); blank = the "
            "catalog's calibrated figure", placeholder="catalog"))
        self.maturity = QComboBox()
        self.maturity.setObjectName("physics.maturity")
        for name in load_maturity()["settings"]:
            self.maturity.addItem(MATURITY_SHORT.get(name, name), name)
            self.maturity.setItemData(self.maturity.count() - 1, tip(maturity_tip(name)),
                                      Qt.ItemDataRole.ToolTipRole)
        self.maturity.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.maturity.setMinimumContentsLength(12)
        self.maturity.activated.connect(
            lambda i: self.apply(("physics", "maturity"), self.maturity.itemData(i),
                                 text="Change software maturity"))
        train_form.addRow("Software maturity", self.maturity)

        # -- uncertain inputs: sampled by the P10-P90 ranges, never by the point estimate
        range_box, range_form = _form_box("Uncertain inputs (P10–P90 ranges)")
        self._ranges: list[tuple[str, FieldEdit, FieldEdit]] = []
        for label, low_path, high_path, hint in RANGES:
            low = self.field(low_path, optional(parse_big), fmt_big, label, hint, placeholder="low")
            high = self.field(high_path, optional(parse_big), fmt_big, label, hint,
                              placeholder="high")
            for w in (low, high):  # one edit of the pair: a lone low or high is refused
                w.value_edited.disconnect()
                w.value_edited.connect(lambda _p, _v, lo=low, hi=high, lab=label, ed=w:
                                       self._range_edited(lab, lo, hi, ed))
            row = QHBoxLayout()
            row.addWidget(low, 1)
            row.addWidget(QLabel("–"))
            row.addWidget(high, 1)
            range_form.addRow(label, row)
            self._ranges.append((label, low, high))

        # -- derived
        derived_box, derived_form = _form_box("Derived (core)")
        self.total_label = plain(QLabel())
        self.active_label = plain(QLabel())
        self.flops_label = plain(QLabel())
        for w in (self.total_label, self.active_label, self.flops_label):
            w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            w.setWordWrap(True)
        derived_form.addRow("Parameters", self.total_label)
        derived_form.addRow("Active per token", self.active_label)
        derived_form.addRow("Training FLOPs", self.flops_label)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)
        grid.addWidget(source_box, 0, 0, 1, 2)
        left = QVBoxLayout()
        left.addWidget(arch_box)
        left.addWidget(att_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(moe_box)
        right.addWidget(train_box)
        right.addWidget(range_box)
        right.addWidget(derived_box)
        right.addStretch(1)
        grid.addLayout(left, 1, 0)
        grid.addLayout(right, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        inner = QWidget()
        v = QVBoxLayout(inner)
        v.addWidget(self.error_line)
        v.addLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # never clip a field silently: a narrow pane (large fonts, another style) scrolls instead
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _int_field(self, name: str, label: str, hint: str, opt: bool):
        parse = optional(parse_int) if opt else parse_int
        placeholder = hint.split("=", 1)[1].strip() if opt and "=" in hint else ""
        return self.field((M, name), parse, fmt_int, label, hint, placeholder)

    # ---- actions -----------------------------------------------------------------------
    def _range_edited(self, label: str, low: FieldEdit, high: FieldEdit, edited: FieldEdit) -> None:
        """Apply a low/high pair as one edit (both or neither: blank both to clear it)."""
        if self._loading or self.scenario is None:
            return
        try:
            values: dict[Sequence[str | int], Any] = {low.path: low.parse(low.text()),
                                                      high.path: high.parse(high.text())}
        except ValueError:
            return  # the field that does not parse is already marked
        try:
            new = with_values(self.scenario, values, field=label)
        except InputError as e:
            edited.set_error(e.problem)
            self._report(f"{label}: {e.problem}")
            return
        low.set_error(None)
        high.set_error(None)
        self.emit_scenario(new, f"Edit {label.lower()}", f"range:{label}")

    def _preset_chosen(self, index: int) -> None:
        pid = self.preset_combo.itemData(index)
        if self.scenario is None or self._loading:
            return
        if pid is None:  # keep the architecture, just unlink it from the preset
            self.emit_scenario(self.scenario.model_copy(update={"preset": None}), "Unlink preset")
            return
        p = self._presets[pid]
        t = self.scenario.training
        tokens = p.default_tokens or t.tokens
        update = {"seq_len": p.default_seq_len, "tokens": tokens}
        if t.tokens_low is not None and t.tokens_high is not None \
                and not t.tokens_low <= tokens <= t.tokens_high:
            update |= {"tokens_low": None, "tokens_high": None}  # the range was about the old count
        training = t.model_copy(update=update)
        new = self.scenario.model_copy(update={"preset": pid, "model": p.spec, "training": training})
        self.emit_scenario(new, f"Use preset {p.name}")
        self.load(new, self.project, force=True)

    def _import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import Hugging Face config", "",
                                              "Model config (*.json);;All files (*)")
        if path:
            self.import_config(path)

    def import_config(self, path: str) -> bool:
        from core.hf_import import load_hf_config

        try:
            spec = load_hf_config(path)
        except InputError as e:
            self._report(f"Import failed: {e}")
            return False
        # the loader says InputError for bad files; a value it failed to vet (deep nesting, a
        # huge number) must still not crash the window
        except (ValueError, TypeError, ArithmeticError, LookupError, RecursionError) as e:
            self._report(f"Import failed: {sources.describe_error(e)}")
            return False
        if self.scenario is None:
            return False
        new = self.scenario.model_copy(update={"preset": None, "model": spec})
        self.emit_scenario(new, f"Import {spec.name}")
        self.load(new, self.project, force=True)
        return True

    # ---- view --------------------------------------------------------------------------
    def refresh(self, _force: bool) -> None:
        s = self.scenario
        if s is None:
            return
        m = s.model
        i = self.preset_combo.findData(s.preset) if s.preset else 0
        self.preset_combo.setCurrentIndex(max(i, 0))
        source = (self._presets[s.preset].published_source
                  if s.preset is not None and s.preset in self._presets else m.source)
        self.source_label.setText(f"{m.name} — {source}" if source else m.name)
        self.source_label.setToolTip(tip(self.source_label.text()))
        self.gated.setChecked(m.gated_mlp)
        self.tied.setChecked(m.tied_embeddings)
        self.attention.setCurrentIndex(self.attention.findData(m.attention))
        self.precision.setCurrentIndex(self.precision.findData(s.training.precision))
        self.maturity.setCurrentIndex(max(self.maturity.findData(s.physics.maturity), 0))
        note = ("\n(ignored while Kernel efficiency is set)" if s.physics.kernel_efficiency else "")
        self.maturity.setToolTip(tip(maturity_tip(s.physics.maturity) + note))
        is_mla = m.attention == "mla"
        for form, w in self._mla_rows:
            form.setRowVisible(w, is_mla)
        self.total_label.setText(human(m.total_params()))
        self.total_label.setToolTip(f"{m.total_params():,} parameters")
        self.active_label.setText(human(m.active_params()))
        self.active_label.setToolTip(f"{m.active_params():,} parameters")
        # the run total (× tokens) is shown with the result, where the core computes it
        self.flops_label.setText(f"{m.training_flops_per_token(s.training.seq_len):.3g} per token")


def _form_box(title: str) -> tuple[QGroupBox, QFormLayout]:
    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return box, form
