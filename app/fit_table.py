"""Tables whose columns fit the width they are given.

A table on a 1366×768 screen gets ~550 px: sized to their contents, the rule table's columns
needed ~1,000 px and the last ones were cut off. Here the short columns (ids, dates, numbers)
keep their full width and the long text columns ("elastic": names, sources) share what is left,
elided with the full text in the tooltip; only when even that cannot fit does the table scroll.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableWidget


class ColumnFitter(QObject):
    """Keeps ``table``'s columns fitted to its viewport, also after every resize."""

    def __init__(self, table: QTableWidget, elastic: dict[int, float],
                 fixed: dict[int, int] | None = None, minimum: int = 0, wrap: bool = False):
        super().__init__(table)
        self.table = table
        self.elastic = elastic  # column -> share of the spare width
        self.fixed = fixed or {}  # column -> width in px, whatever the contents
        self.minimum = minimum
        self.wrap = wrap  # long texts wrap in their cells (rows fitted) instead of being elided
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        table.setWordWrap(wrap)
        self._viewport = table.viewport()
        self._viewport.installEventFilter(self)

    def natural(self, column: int) -> int:
        """Width that shows the header and every cell of ``column`` whole."""
        t = self.table
        if column in self.fixed:
            return self.fixed[column]
        return max(t.horizontalHeader().sectionSizeHint(column), t.sizeHintForColumn(column))

    def fit(self) -> None:
        self._fit_columns()
        if self.wrap:
            self.table.resizeRowsToContents()

    def _fit_columns(self) -> None:
        t = self.table
        header = t.horizontalHeader()
        n = t.columnCount()
        widths = {c: self.natural(c) for c in range(n)}
        for c in range(n):
            if c not in self.elastic:
                t.setColumnWidth(c, widths[c])
        if not self.elastic:
            return
        spare = t.viewport().width() - sum(w for c, w in widths.items() if c not in self.elastic)
        wanted = sum(widths[c] for c in self.elastic)
        if spare >= wanted:  # room for everything: the elastic columns share the rest
            total = sum(self.elastic.values())
            for c, share in self.elastic.items():
                t.setColumnWidth(c, widths[c] + int((spare - wanted) * share / total))
            return
        # too narrow: cap the longest texts first (short ones stay whole; a column with a larger
        # share keeps more), never below the header; the largest cap that fits (water-filling)
        floor = {c: max(self.minimum, header.sectionSizeHint(c)) for c in self.elastic}

        def used(cap: int) -> int:
            return sum(max(floor[c], min(widths[c], int(cap * self.elastic[c])))
                       for c in self.elastic)

        lo, hi = 0, max(int(widths[c] / self.elastic[c]) + 1 for c in self.elastic)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if used(mid) <= spare else (lo, mid - 1)
        for c in self.elastic:
            t.setColumnWidth(c, max(floor[c], min(widths[c], int(lo * self.elastic[c]))))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # the viewport is resized while the table is being destroyed too: leave it then
        if event.type() == QEvent.Type.Resize and obj is self._viewport \
                and shiboken6.isValid(self.table):
            self.fit()
        return False


def columns_fit(table: QTableWidget) -> bool:
    """True when every column is on screen without scrolling sideways."""
    used = sum(table.columnWidth(c) for c in range(table.columnCount())
               if not table.isColumnHidden(c))
    return used <= table.viewport().width()
