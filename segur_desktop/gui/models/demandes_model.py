"""The Demandes table: one row per demande, computed lazily, filterable.

A `QAbstractTableModel` over the core's `Demande` list (no widget per cell:
fast with 100k rows) and a `QSortFilterProxyModel` for the page's filters by
couloir, type, status and free text. Sorting uses `SORT_ROLE`, so amounts sort
as numbers and statuses by severity, not as text. The last column says where the
demande stands in the Suivi register (« Validée », « Exportée »…), when it is there.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from segur_desktop.core.build import Demande
from segur_desktop.core.calendar import type_label
from segur_desktop.core.identity import key_catalog
from segur_desktop.core.normalise.amounts import format_fr
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.gui.models.table import HeaderedTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
DEMANDE_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's Demande, for the page and the diagnostics panel

COULOIR, TYPE, BENEFICIARY, IDENTIFIER, BDC, AMOUNT, STATUS, TRACKING = range(8)
VALID, WARNINGS, ERRORS = "valid", "warnings", "errors"
_STATUS_ORDER = {ERRORS: 0, WARNINGS: 1, VALID: 2}
_STATUS_COLOURS = {ERRORS: QColor("#fde2e1"), WARNINGS: QColor("#fff4d6"), VALID: QColor("#e3f4e1")}

Index = QModelIndex | QPersistentModelIndex


def status(demande: Demande) -> str:
    if not demande.valid:
        return ERRORS
    return WARNINGS if demande.warnings else VALID


class DemandesModel(HeaderedTableModel):
    columns = 8

    def __init__(self, demandes: list[Demande] | None = None, parent=None,
                 register: RegisterIndex | None = None) -> None:
        super().__init__(parent)
        self._demandes: list[Demande] = list(demandes or [])
        self._register = register

    def headers(self) -> list[str]:
        return [self.tr("Couloir"), self.tr("Type"), self.tr("Bénéficiaire"), self.tr("Identifiant"),
                self.tr("N° BDC"), self.tr("Montant demandé HT"), self.tr("Statut"), self.tr("Suivi")]

    def status_label(self, value: str) -> str:
        return {VALID: self.tr("valide"), WARNINGS: self.tr("avertissements"), ERRORS: self.tr("erreurs")}[value]

    def set_demandes(self, demandes: list[Demande], register: RegisterIndex | None = None) -> None:
        """The demandes of a validation, and the register snapshot it was checked against (the « Suivi » column)."""
        self.beginResetModel()
        self._demandes = list(demandes)
        self._register = register
        self.endResetModel()

    def tracking(self, d: Demande) -> str:
        entry = self._register.by_id.get(d.id) if self._register is not None else None
        return self._register.lifecycle.label(entry.status) if entry is not None else ""

    def demande(self, row: int) -> Demande:
        return self._demandes[row]

    def _row_count(self) -> int:
        return len(self._demandes)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._demandes):
            return None
        d = self._demandes[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(d, column)
        if role == SORT_ROLE:
            if column == AMOUNT:
                return float(d.requested_ht)
            if column == STATUS:
                return _STATUS_ORDER[status(d)]
            return self._display(d, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(_STATUS_COLOURS[status(d)])
        if role == Qt.ItemDataRole.TextAlignmentRole and column == AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == DEMANDE_ROLE:
            return d
        return None

    def _display(self, d: Demande, column: int) -> str:
        if column == COULOIR:
            return d.couloir.code
        if column == TYPE:
            return type_label(d.type)
        if column == BENEFICIARY:
            return d.beneficiary_name
        if column == IDENTIFIER:
            return f"{key_catalog().label((d.id_type,))} {d.identifier}"  # « FINESS ET », not the key FINESS_ET
        if column == BDC:
            return d.bdc.values["bdc_number"]
        if column == AMOUNT:
            return format_fr(d.amounts.requested) if d.amounts is not None else ""
        if column == TRACKING:
            return self.tracking(d)
        return self.status_label(status(d))


class DemandesFilter(QSortFilterProxyModel):
    """The page's filters: couloirs, types, statuses (empty set = all) and free text."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._couloirs: frozenset[str] = frozenset()
        self._types: frozenset[str] = frozenset()
        self._statuses: frozenset[str] = frozenset()
        self._text = ""

    def set_filters(self, *, couloirs=(), types=(), statuses=(), text: str = "") -> None:
        wanted = (frozenset(couloirs), frozenset(types), frozenset(statuses), text.strip().casefold())
        if wanted == (self._couloirs, self._types, self._statuses, self._text):
            return  # nothing changed: do not re-filter 100k rows
        self.beginFilterChange()  # Qt 6.9+: the successor of the deprecated invalidateRowsFilter()
        self._couloirs, self._types, self._statuses, self._text = wanted
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not (self._couloirs or self._types or self._statuses or self._text):
            return True  # no filter: called once per row on every reset, keep it trivial
        d = self.sourceModel().demande(source_row)
        if self._couloirs and d.couloir.code not in self._couloirs:
            return False
        if self._types and d.type not in self._types:
            return False
        if self._statuses and status(d) not in self._statuses:
            return False
        if self._text:
            haystack = " ".join((d.id, d.beneficiary_name, d.identifier, d.bdc.values["bdc_number"])).casefold()
            return self._text in haystack
        return True
