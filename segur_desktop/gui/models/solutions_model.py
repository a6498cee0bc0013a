"""The « Dossier de travail » page's solutions: one editable row per `SolutionForm`, each wrong cell told why.

The model holds the rows as typed (the page's draft until « Enregistrer »); `set_problems` takes
the core's reasons (`core.workspace_form.check_form`, keys `solutions.<row>.<field>`) and shows
them as the cell's tooltip and a red tint. Changing a row's couloir drops a software kind that
couloir does not fund, and picks the only one it funds.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from segur_desktop.core.couloirs import CouloirCatalog
from segur_desktop.core.workspace_form import SOLUTION_FIELDS, SolutionForm
from segur_desktop.gui.models.table import HeaderedTableModel, Index

NAME, VERSION, COULOIR, SOFTWARE_KIND, VAGUE, REF_ID, REF_DATE, CONFORMITY = range(8)
PROBLEM_TINT = QColor("#fbe3e1")


def couloir_text(catalog: CouloirCatalog, code: str) -> str:
    """« HOP — Hôpital »; the label alone when it names the code already (« Médico-social MS1 (PA/PH/DOM) »)."""
    label = catalog.couloirs[code].label
    return label if code in label.split() else f"{code} — {label}"


class SolutionsModel(HeaderedTableModel):
    columns = len(SOLUTION_FIELDS)
    edited = Signal()  # the user changed a cell, added or removed a row

    def __init__(self, catalog: CouloirCatalog, parent=None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.rows: list[SolutionForm] = []
        self.problems: dict[tuple[int, int], str] = {}

    def headers(self) -> list[str]:
        return [self.tr("Nom"), self.tr("Version"), self.tr("Couloir"), self.tr("Type de\nlogiciel"), self.tr("Vague"),
                self.tr("N° de\nréférencement"), self.tr("Date de\nréférencement"),
                self.tr("Dépôt du dossier\nde conformité")]

    def header_tips(self) -> list[str]:
        return [self.tr("Nom commercial, tel que les bons de commande le citent"), self.tr("Version référencée (facultatif)"),
                self.tr("Couloir de financement"), self.tr("Type de logiciel financé dans ce couloir"),
                self.tr("Vague du programme"), self.tr("Identifiant de référencement donné par l'ANS"),
                self.tr("Date de référencement (JJ/MM/AAAA)"),
                self.tr("Date de dépôt du dossier complet des preuves de conformité à l'ANS (JJ/MM/AAAA, facultatif) : "
                        "les bons de commande peuvent être signés jusqu'à 120 jours avant elle")]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole and 0 <= section < self.columns:
            return self.header_tips()[section]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return super().headerData(section, orientation, role)

    def _row_count(self) -> int:
        return len(self.rows)

    def set_rows(self, rows: tuple[SolutionForm, ...] | list[SolutionForm]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.problems = {}
        self.endResetModel()

    def set_problems(self, problems: dict[str, str]) -> None:
        found: dict[tuple[int, int], str] = {}
        for key, text in problems.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "solutions":
                found[(int(parts[1]), SOLUTION_FIELDS.index(parts[2]))] = text
        if found != self.problems:
            self.problems = found
            if self.rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, self.columns - 1),
                                      [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole])

    def add(self) -> int:
        row = len(self.rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.append(SolutionForm())
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()
            self.edited.emit()

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = getattr(self.rows[index.row()], SOLUTION_FIELDS[index.column()])
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == COULOIR and value in self.catalog.couloirs:
                return couloir_text(self.catalog, value)
            return value
        problem = self.problems.get((index.row(), index.column()))
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem
        if role == Qt.ItemDataRole.BackgroundRole and problem:
            return PROBLEM_TINT
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row, name = index.row(), SOLUTION_FIELDS[index.column()]
        text = "" if value is None else str(value)
        if getattr(self.rows[row], name) == text:
            return False
        changed = {name: text}
        if index.column() == COULOIR:
            software_kinds = self.catalog.couloirs[text].software_kinds if text in self.catalog.couloirs else ()
            if self.rows[row].software_kind not in software_kinds:
                changed["software_kind"] = software_kinds[0] if len(software_kinds) == 1 else ""
        self.rows[row] = replace(self.rows[row], **changed)
        last = SOFTWARE_KIND if "software_kind" in changed else index.column()
        self.dataChanged.emit(self.index(row, min(index.column(), last)), self.index(row, max(index.column(), last)))
        self.edited.emit()
        return True
