"""The source values behind a demande or a diagnostic: field, value, and the cell it came from.

What the user checks before opening Excel: for the selected demande, each
mapped cell of its client row and its BDC row (file, sheet, row, column),
the cell a diagnostic names in bold. A diagnostic with no demande (a BDC row
that could not become one) shows its own cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from segur_desktop.core.build import Demande
from segur_desktop.core.diagnostics import Diagnostic
from segur_desktop.core.mapping import table_specs
from segur_desktop.core.normalise.text import raw_display
from segur_desktop.core.source import Record
from segur_desktop.gui.models.table import HeaderedTableModel

FIELD, VALUE, FILE, SHEET, ROW, COLUMN = range(6)

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class SourceValue:
    field: str  # French label of the field
    value: str  # the raw cell as read
    file: Path
    sheet: str
    row: int
    column: str  # Excel letter, "" for a whole row


def record_values(record: Record) -> list[SourceValue]:
    spec = table_specs()[record.table.list_kind]
    values = []
    for name in spec.fields:
        cell = record.cell(name)
        if cell is not None:
            values.append(SourceValue(spec.fields[name].label, raw_display(cell.value), cell.file, cell.sheet,
                                      cell.row, cell.column))
    return values


class SourceModel(HeaderedTableModel):
    columns = 6

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._values: list[SourceValue] = []
        self._highlight: tuple[str, int, str] | None = None  # (file, row, column) of the selected diagnostic

    def show_demande(self, demande: Demande, diagnostic: Diagnostic | None = None) -> None:
        self.beginResetModel()
        self._values = record_values(demande.client) + record_values(demande.bdc)
        self._highlight = _place(diagnostic)
        self.endResetModel()

    def show_diagnostic(self, diagnostic: Diagnostic) -> None:
        """A problem with no demande behind it: its own cell only."""
        self.beginResetModel()
        self._values = [SourceValue(diagnostic.header or "", diagnostic.value or "", Path(diagnostic.file),
                                    diagnostic.sheet or "", diagnostic.row or 0, diagnostic.column or "")
                        ] if diagnostic.file else []
        self._highlight = _place(diagnostic)
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._values, self._highlight = [], None
        self.endResetModel()

    def value(self, row: int) -> SourceValue:
        return self._values[row]

    def highlighted_row(self) -> int | None:
        return next((i for i, v in enumerate(self._values) if self._is_highlighted(v)), None)

    def headers(self) -> list[str]:
        return [self.tr("Champ"), self.tr("Valeur lue"), self.tr("Fichier"), self.tr("Feuille"), self.tr("Ligne"),
                self.tr("Colonne")]

    def _row_count(self) -> int:
        return len(self._values)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._values):
            return None
        v = self._values[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (v.field, v.value, v.file.name, v.sheet, str(v.row) if v.row else "", v.column)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text where a narrow column cuts it
            return str(v.file) if index.column() == FILE else (v.field, v.value, None, v.sheet, None, None)[
                index.column()] or None
        if role == Qt.ItemDataRole.FontRole and self._is_highlighted(v):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _is_highlighted(self, v: SourceValue) -> bool:
        return self._highlight is not None and self._highlight == (str(v.file), v.row, v.column)


def _place(diagnostic: Diagnostic | None) -> tuple[str, int, str] | None:
    if diagnostic is None or diagnostic.file is None:
        return None
    return diagnostic.file, diagnostic.row or 0, diagnostic.column or ""
