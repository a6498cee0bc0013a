"""The dashboard's table: one row per couloir and type of the validation summary, plus a total.

It shows the `by_couloir` rows that `core.report.summarise` computed in the
worker; it only adds them up for the total row (a handful of rows). Figures
are French: "12 345" demandes, "33 300,00 €".
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from segur_desktop.core.calendar import type_label
from segur_desktop.core.normalise.amounts import format_count, format_fr
from segur_desktop.core.report import CouloirTotal
from segur_desktop.gui.models.table import HeaderedTableModel

COULOIR, TYPE, DEMANDES, VALID, INVALID, AMOUNT = range(6)

Index = QModelIndex | QPersistentModelIndex


def add_up(rows: Sequence[CouloirTotal]) -> CouloirTotal:
    """The rows added up, as one more `by_couloir` row without couloir nor type."""
    return CouloirTotal("", "", sum(row.requests for row in rows), sum(row.valid for row in rows),
                        sum(row.invalid for row in rows), sum((row.valid_amount_ht for row in rows), Decimal(0)))


class SummaryModel(HeaderedTableModel):
    columns = 6

    def __init__(self, rows: Sequence[CouloirTotal] = (), parent=None) -> None:
        super().__init__(parent)
        self._rows: list[CouloirTotal] = list(rows)
        self._total = add_up(self._rows)

    def headers(self) -> list[str]:
        return [self.tr("Couloir"), self.tr("Type"), self.tr("Demandes"), self.tr("Valides"),
                self.tr("En erreur"), self.tr("Montant valide HT")]

    def set_rows(self, rows: Sequence[CouloirTotal]) -> None:
        """The summary's `by_couloir` rows; the total row follows them when there is any."""
        self.beginResetModel()
        self._rows = list(rows)
        self._total = add_up(self._rows)
        self.endResetModel()

    def total(self) -> CouloirTotal:
        return self._total

    def is_total(self, row: int) -> bool:
        return row == len(self._rows)

    def _row_count(self) -> int:
        return len(self._rows) + 1 if self._rows else 0  # the total row follows the others

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(self._total if self.is_total(row) else self._rows[row], row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= DEMANDES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.is_total(row):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _display(self, values: CouloirTotal, row: int, column: int) -> str:
        if column == COULOIR:
            return self.tr("Total") if self.is_total(row) else values.couloir
        if column == TYPE:
            return type_label(values.type)
        if column == AMOUNT:
            return format_fr(values.valid_amount_ht)
        return format_count({DEMANDES: values.requests, VALID: values.valid, INVALID: values.invalid}[column])
