"""Colours and fonts shared by every view: the Okabe-Ito palette (safe for colour-blind readers)
and the verdict colours. Widgets use palette roles; only these data colours are fixed."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

# Okabe & Ito (2008), "Color Universal Design"
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#999999"

SERIES = [BLUE, ORANGE, GREEN, VERMILLION, SKY_BLUE, PURPLE, YELLOW, GREY]

STEP_PARTS = [  # (StepTime field, label, colour)
    ("compute", "compute", BLUE),
    ("tensor_parallel", "tensor-parallel", SKY_BLUE),
    ("expert_all_to_all", "expert all-to-all", ORANGE),
    ("pipeline_p2p", "pipeline p2p", PURPLE),
    ("pipeline_bubble", "pipeline bubble", YELLOW),
    ("data_parallel", "data-parallel", GREEN),
    ("optimizer", "optimizer", GREY),
]

COST_COLOURS = {  # core.chart_data.COST_GROUPS label -> colour
    "Rent or amortisation": BLUE,
    "Energy": ORANGE,
    "Storage and egress": SKY_BLUE,
    "Premiums, revenue shares and tariffs": PURPLE,
}

# Verdicts in charts: Okabe-Ito hues (the banner shades are not colour-blind safe as a pair);
# every chart also writes the verdict in words.
CHART_VERDICT = {"feasible": GREEN, "needs_license": ORANGE, "unknown": PURPLE, "infeasible": VERMILLION}

# Accelerator identity: colour and marker shape. Yellow is left out (unreadable as a line on
# white); six hues × four shapes give every catalog entry its own pair.
ACCELERATOR_COLOURS = [BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY_BLUE]
ACCELERATOR_SYMBOLS = ["o", "s", "t", "d", "p"]

MEMORY_PARTS = [  # (MemoryBreakdown field, label, colour)
    ("weights_gb", "weights", BLUE),
    ("gradients_gb", "gradients", SKY_BLUE),
    ("optimizer_gb", "optimizer", ORANGE),
    ("activations_gb", "activations", GREEN),
    ("buffers_gb", "buffers", GREY),
]

# Verdict banners: background and text colour (readable on light and dark palettes alike).
VERDICT_STYLE = {
    "feasible": ("#1B7F4C", "#FFFFFF", "Feasible"),
    "needs_license": ("#E69F00", "#000000", "Needs a licence"),
    # a rule whose status is not sourced decides: neither a route nor none (docs/policy.md)
    "unknown": ("#7A4F8C", "#FFFFFF", "Status unknown"),
    "infeasible": ("#C0392B", "#FFFFFF", "Infeasible"),
}

# Verdict words in tables: darker shades of the banner colours, readable as text on white/grey.
VERDICT_TEXT = {"feasible": "#007A55", "needs_license": "#A65E00", "unknown": "#6B3F7D", "infeasible": "#B03A2E"}

ERROR_COLOUR = "#D55E00"  # vermillion: the invalid-field border


def accelerator_style(accelerator: str) -> tuple[str, str]:
    """(colour, marker symbol) of an accelerator, fixed by its position in the catalog, so the
    same accelerator looks the same in every chart and every export."""
    from core.catalog import accelerators

    ids = [a.lower() for a in accelerators()]
    key = accelerator.lower()
    i = ids.index(key) if key in ids else len(ids) + sum(map(ord, key))  # stable for unknown ids
    n = len(ACCELERATOR_COLOURS)
    return ACCELERATOR_COLOURS[i % n], ACCELERATOR_SYMBOLS[(i // n) % len(ACCELERATOR_SYMBOLS)]


def verdict_colour(verdict: str) -> QColor:
    return QColor(VERDICT_STYLE.get(verdict, (GREY, BLACK, verdict))[0])


def chart_colours() -> tuple[QColor, QColor]:
    """(background, foreground) for on-screen charts, taken from the system palette."""
    pal = QApplication.palette() if QApplication.instance() is not None else QPalette()
    return pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
