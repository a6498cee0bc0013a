"""The first rows of a spreadsheet as Excel shows them, for the Import page.

Row numbers and column letters are Excel's, so what the user sees here is
what they find when they open the file; the header row the core detected is
highlighted, so a wrong guess (a title line taken for headers) shows at once.
The model only displays a `core.preview.Preview`; it decides nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from segur_desktop.core.preview import Preview
from segur_desktop.core.source import column_letter

Index = QModelIndex | QPersistentModelIndex

HEADER_BACKGROUND = QColor("#fff2b3")  # light yellow, like a highlighted Excel row
HEADER_FOREGROUND = QColor("#000000")  # readable on the yellow in a dark theme too


class PreviewModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._preview: Preview | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def set_preview(self, preview: Preview | None) -> None:
        self.beginResetModel()
        self._preview = preview
        self.endResetModel()

    def header_index(self) -> int | None:
        """The model row of the detected header row."""
        if self._preview is None:
            return None
        return self._preview.suggestion.header_row - self._preview.first_row

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self._preview is None else len(self._preview.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() or self._preview is None or not self._preview.rows:
            return 0
        return len(self._preview.rows[0])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._preview is None:
            return None
        header = index.row() == self.header_index()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._preview.rows[index.row()][index.column()]
        if header and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(HEADER_BACKGROUND)
        if header and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(HEADER_FOREGROUND)
        if header and role == Qt.ItemDataRole.FontRole:
            return self._bold
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._preview is None:
            return None
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_letter(section)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(self._preview.first_row + section)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.ToolTipRole \
                and section == self.header_index():
            return self.tr("Ligne des en-têtes")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
