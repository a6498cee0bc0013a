"""The Qt plumbing every flat table of the window shares: row and column counts, column titles.

A subclass says how many rows it has (`_row_count`), its `columns` and its French
`headers()`; it keeps only what is its own: `data()`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class HeaderedTableModel(QAbstractTableModel):
    columns = 0  # a class constant: columnCount() is asked for every index the view makes

    def headers(self) -> list[str]:
        raise NotImplementedError

    def _row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.columns

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < self.columns:
            return self.headers()[section]
        return None
