"""Draw docs/charts/policy-timeline-2022-2026.png: every rule of rules.json as a bar from its
effective date to its end (or the chart's end), coloured by status, from the rule data itself.

    QT_QPA_PLATFORM=offscreen python scripts/policy_rules_chart.py [--out PATH] [--check]

Hypothetical rules start at their record date (a committee vote, a reported draft): in a
scenario they start on ``policy.hypothetical_from`` instead. ``--check`` redraws into memory and
fails if the rule list drawn differs from the one recorded beside the image (a .txt of the rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen  # noqa: E402

from core.policy import Rule, load_rules  # noqa: E402

START, END = dt.date(2022, 1, 1), dt.date(2027, 1, 1)
OUT = ROOT / "docs" / "charts" / "policy-timeline-2022-2026.png"
COLOURS = {  # Okabe-Ito, distinguishable in colour-blind vision
    "in_force": "#0072B2",
    "rescinded": "#999999",
    "foreign_measure": "#D55E00",
    "reading": "#E69F00",
    "hypothetical": "#CC79A7",
    "draft": "#009E73",
}
LABELS = {
    "in_force": "in force (US, MY)",
    "rescinded": "rescinded",
    "foreign_measure": "China-side measure",
    "reading": "reading of an unsourced point",
    "hypothetical": "hypothetical (bill or draft; starts at record date)",
    "draft": "draft",
}


def rows() -> list[Rule]:
    return sorted(load_rules().values(), key=lambda r: (r.effective, r.id))


def row_text(r: Rule) -> str:
    ends = r.ends.isoformat() if r.ends else "open"
    return f"{r.effective.isoformat()} → {ends}  {r.status:<15} {r.id}  ({r.short})"


def draw(rules: list[Rule], width: int = 1920) -> QImage:
    row_h, top, left, right, bottom = 30, 90, 560, 40, 110
    height = top + row_h * len(rules) + bottom
    img = QImage(width, height, QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    span = (END - START).days
    plot_w = width - left - right

    def x(d: dt.date) -> float:
        return left + plot_w * (min(max(d, START), END) - START).days / span

    title = QFont("DejaVu Sans", 20, QFont.Weight.Bold)
    p.setFont(title)
    p.setPen(QColor("#222222"))
    p.drawText(QPointF(24, 42), "Export-control rules 2022–2026, by effective date")
    p.setFont(QFont("DejaVu Sans", 11))
    p.setPen(QColor("#555555"))
    p.drawText(QPointF(24, 68), "Source: resources/catalog/policies/rules.json (each rule cites its source; "
               "see docs/policy.md). Bars run to the rule's end date or beyond 2026.")
    # year grid
    p.setFont(QFont("DejaVu Sans", 12))
    for year in range(START.year, END.year + 1):
        gx = x(dt.date(year, 1, 1))
        p.setPen(QPen(QColor("#dddddd"), 1))
        p.drawLine(QPointF(gx, top - 6), QPointF(gx, top + row_h * len(rules)))
        if year < END.year:
            p.setPen(QColor("#333333"))
            p.drawText(QRectF(gx, top + row_h * len(rules) + 4, x(dt.date(year + 1, 1, 1)) - gx, 22),
                       Qt.AlignmentFlag.AlignCenter, str(year))
    label_font, date_font = QFont("DejaVu Sans", 11), QFont("DejaVu Sans", 9)
    for i, r in enumerate(rules):
        y = top + i * row_h
        colour = QColor(COLOURS.get(r.status, "#444444"))
        p.setFont(label_font)
        p.setPen(QColor("#222222"))
        label = f"{r.id} — {r.short}"
        p.drawText(QRectF(12, y, left - 24, row_h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                   label if len(label) <= 62 else label[:61] + "…")
        x0, x1 = x(r.effective), x(r.ends or END)
        bar = QRectF(x0, y + 6, max(x1 - x0, 3.0), row_h - 12)
        if r.status in ("hypothetical", "reading", "draft"):
            fill = QColor(colour)
            fill.setAlpha(90)
            p.fillRect(bar, fill)
            p.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
            p.drawRect(bar)
        else:
            p.fillRect(bar, colour)
        p.setFont(date_font)
        p.setPen(QColor("#222222"))
        text = r.effective.isoformat() + (f" → {r.ends.isoformat()}" if r.ends else "")
        if r.end_user == "entity_listed":
            text = "from the end user's listing date (policy.end_user_listed_since)"
        if x1 + 8 + 150 < width:
            p.drawText(QPointF(x1 + 6, y + row_h / 2 + 4), text)
        elif x0 - 170 >= left:
            p.drawText(QRectF(x0 - 170, y, 164, row_h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                       text)
        else:  # a bar from the chart's start: the text goes inside it
            p.setPen(QColor("white"))
            p.drawText(QPointF(x0 + 8, y + row_h / 2 + 4), text)
    # legend
    p.setFont(QFont("DejaVu Sans", 11))
    lx, ly = 24.0, float(top + row_h * len(rules) + 46)
    for status, name in LABELS.items():
        if not any(r.status == status for r in rules):
            continue
        c = QColor(COLOURS[status])
        p.fillRect(QRectF(lx, ly, 22, 14), c)
        p.setPen(QColor("#222222"))
        p.drawText(QPointF(lx + 28, ly + 12), name)
        lx += 40 + p.fontMetrics().horizontalAdvance(name)
    p.end()
    return img


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="fail if the recorded rule list is stale")
    args = ap.parse_args(argv)
    rules = rows()
    listing = args.out.with_suffix(".txt")
    text = "\n".join(row_text(r) for r in rules) + "\n"
    if args.check:
        if not listing.exists() or listing.read_text(encoding="utf-8") != text:
            print(f"{listing} is stale: run scripts/policy_rules_chart.py", file=sys.stderr)
            return 1
        return 0
    _app = QGuiApplication.instance() or QGuiApplication([])
    img = draw(rules)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not img.save(str(args.out), "PNG"):
        print(f"could not write {args.out}", file=sys.stderr)
        return 1
    listing.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({img.width()}x{img.height()}) and {listing.name}: {len(rules)} rules")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
