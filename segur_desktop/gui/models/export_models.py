"""The Export page's tables, over the core's `ExportPlan`: nothing is decided here.

`GroupsModel`: one row per couloir and type, with what goes into the bundle,
what is left out, the amount and the guichet's closing; its first column is
checkable (export this couloir and type or not). `LeftOutModel`: every
demande or BDC row left out: the kind of problem (« Motif »: the diagnostic's
title, else why it is out), and the detail, its message first, so that the
reason is read even where the column cuts the text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from segur_desktop.core.calendar import type_label
from segur_desktop.core.export.plan import GroupPlan, LeftOut
from segur_desktop.core.export.recap import reason_label, state_label
from segur_desktop.core.normalise.amounts import format_count, format_fr
from segur_desktop.gui.models.table import HeaderedTableModel

Index = QModelIndex | QPersistentModelIndex
CLOSED_COLOUR = QColor("#b71c1c")
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

COULOIR, TYPE, EXPORTED, LEFT_OUT, AMOUNT, CLOSING = range(6)


class GroupsModel(HeaderedTableModel):
    columns = 6

    chosen_changed = Signal(object, bool)  # (couloir, type), export it or not

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._groups: list[GroupPlan] = []

    def headers(self) -> list[str]:
        return [self.tr("Couloir"), self.tr("Type"), self.tr("À exporter"), self.tr("Écartées"),
                self.tr("Montant demandé HT"), self.tr("Clôture du guichet")]

    def set_groups(self, groups: list[GroupPlan]) -> None:
        """New figures for the same rows change in place (a click on a checkbox must not reset the view)."""
        if [g.key for g in groups] == [g.key for g in self._groups]:
            self._groups = list(groups)
            if groups:
                self.dataChanged.emit(self.index(0, 0), self.index(len(groups) - 1, CLOSING))
            return
        self.beginResetModel()
        self._groups = list(groups)
        self.endResetModel()

    def group(self, row: int) -> GroupPlan:
        return self._groups[row]

    def _row_count(self) -> int:
        return len(self._groups)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == COULOIR:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._groups):
            return None
        group, column = self._groups[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(group, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == COULOIR:
            return Qt.CheckState.Checked if group.chosen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (EXPORTED, LEFT_OUT, AMOUNT):
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == CLOSING and group.closed:
            return QBrush(CLOSED_COLOUR)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != COULOIR or role != Qt.ItemDataRole.CheckStateRole:
            return False
        chosen = Qt.CheckState(value) == Qt.CheckState.Checked
        self.chosen_changed.emit(self._groups[index.row()].key, chosen)
        return True

    def _display(self, group: GroupPlan, column: int) -> str:
        if column == COULOIR:
            return group.couloir
        if column == TYPE:
            return type_label(group.type)
        if column == EXPORTED:
            return format_count(len(group.exported))
        if column == LEFT_OUT:
            return format_count(len(group.left_out))
        if column == AMOUNT:
            return format_fr(group.requested_ht)
        closing = group.closing.label() if group.closing else self.tr("inconnue")
        return f"{closing} — {state_label(group)}"


REASON, WHERE, DEMANDE, DETAILS = range(4)


class LeftOutModel(HeaderedTableModel):
    columns = 4

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[LeftOut] = []

    def headers(self) -> list[str]:
        return [self.tr("Motif"), self.tr("Ligne source"), self.tr("Demande"), self.tr("Détail")]

    def set_items(self, items: list[LeftOut]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item, column = self._items[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == REASON:
                return item.title or reason_label(item.reason)
            if column == WHERE:
                return item.where()
            if column == DEMANDE:
                about = " · ".join(x for x in (f"{item.couloir} {item.type}" if item.couloir else None,
                                               item.bdc_number, item.beneficiary) if x)
                return about or self.tr("aucune demande")
            return " ".join(item.details)
        if role == Qt.ItemDataRole.ToolTipRole and column == DETAILS:
            return "\n".join(item.details)
        if role == Qt.ItemDataRole.ToolTipRole and column == REASON:
            return reason_label(item.reason)  # « En erreur », « Ligne sans demande »…: the title says which problem
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text where the column cuts it
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        return None
