"""The diagnostics panel: problems grouped by code with counts, like the CLI report.

A two-level tree: one row per code ("12 × Identifiant invalide (clé)"),
under it one row per occurrence with its place (file, sheet, row, column)
and its fix. The grouping is the core's (`core.report.group`, the text report's too): this
module only adapts it to Qt. Top-level rows carry internal id 0; a child carries its
group's row + 1, so `parent()` needs no lookup.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from segur_desktop.core.diagnostics import Diagnostic
from segur_desktop.core.i18n import _
from segur_desktop.core.messages import MESSAGES, Severity
from segur_desktop.core.report import Group, group, location

DIAGNOSTIC_ROLE = Qt.ItemDataRole.UserRole + 1  # the occurrence's Diagnostic (None on a group row)
PROBLEM, PLACE, FIX = range(3)
_COLOURS = {Severity.ERROR: QColor("#b3261e"), Severity.WARNING: QColor("#8a5a00"), Severity.INFO: QColor("#1f5fa8")}

Index = QModelIndex | QPersistentModelIndex


class DiagnosticsModel(QAbstractItemModel):
    def __init__(self, diagnostics: list[Diagnostic] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._groups = group(diagnostics or [])

    def set_diagnostics(self, diagnostics: list[Diagnostic]) -> None:
        self.set_groups(group(diagnostics))

    def set_groups(self, groups: list[Group]) -> None:
        """Groups made in a worker (`group()` sorts 100k diagnostics: not on the GUI thread)."""
        self.beginResetModel()
        self._groups = groups
        self.endResetModel()

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].items)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 3:
            return (self.tr("Problème"), self.tr("Emplacement"), self.tr("Correction"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._group_data(self._groups[index.row()], index.column(), role)
        d = self._groups[index.internalId() - 1].items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):  # the tooltip: the text a column cuts
            return (d.message, location(d), d.fix)[index.column()]
        if role == DIAGNOSTIC_ROLE:
            return d
        return None

    def _group_data(self, g: Group, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole or (role == Qt.ItemDataRole.ToolTipRole and column != PLACE):
            if column == PROBLEM:
                return f"{len(g.items)} × {_(MESSAGES[g.code].title)}"
            return g.items[0].fix if column == FIX else ""
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_COLOURS[g.severity])
        return None
