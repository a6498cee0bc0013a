"""The Suivi page's tables, over the core's register (`core/register`): nothing is decided here.

`RegisterModel`: one row per demande of the register, its status in the colour
`resources/statuses.json` gives it, an avance's last avenant and its status
(all of them in the tooltip), behind `RegisterFilter` (status, couloir,
type, free text). `TotalsModel`: counts and amounts by status, one count
column per couloir (the core's `totals`; the Suivi page and the dashboard).
`HistoryModel` and `DepositsModel`: the selected demande's changes and exports.
(A status file's preview has its own model: `status_plan_model.py`.)
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from segur_desktop.core.calendar import PARIS, type_label
from segur_desktop.core.normalise.amounts import format_count, format_fr
from segur_desktop.core.register.index import Total
from segur_desktop.core.register.lifecycle import Lifecycle
from segur_desktop.core.register.store import Deposit, Entry, HistoryItem
from segur_desktop.gui.models.table import HeaderedTableModel

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's Entry
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
SHORT_HASH = 8  # characters of a SHA-256 shown beside an attachment

DEMANDE, COULOIR, TYPE, BENEFICIARY, BDC, AMOUNT, STATUS, SINCE, AVENANTS, BUNDLE = range(10)


def status_brushes(colour: str) -> tuple[QBrush, QBrush]:
    """(background, foreground) for a status colour: white text on dark colours, black on light ones."""
    background = QColor(colour)
    light = 0.299 * background.red() + 0.587 * background.green() + 0.114 * background.blue() > 160
    return QBrush(background), QBrush(QColor("#000000") if light else QColor("#ffffff"))


def day(at: datetime) -> str:
    return at.astimezone(PARIS).strftime("%d/%m/%Y")


def minute(at: datetime) -> str:
    return at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


def avenant_lines(e: Entry, lifecycle: Lifecycle | None) -> list[str]:
    """One French line per avenant of an avance: « Avenant n° 2 : En cours (depuis le 03/02/2023) »."""
    label = lifecycle.label if lifecycle else str
    return [QCoreApplication.translate("RegisterModel", "Avenant n° {numero} : {status} (depuis le {day})").format(
        numero=a.numero, status=label(a.status), day=day(a.status_at)) for a in e.avenants]


class RegisterModel(HeaderedTableModel):
    columns = 10

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = []
        self._rows: dict[str, int] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._lifecycle: Lifecycle | None = None
        self._order: dict[str, int] = {}
        self._brushes: dict[str, tuple[QBrush, QBrush]] = {}

    def headers(self) -> list[str]:
        return [self.tr("Demande"), self.tr("Couloir"), self.tr("Type"), self.tr("Bénéficiaire"), self.tr("N° BDC"),
                self.tr("Montant demandé HT"), self.tr("Statut"), self.tr("Depuis le"), self.tr("Dernier avenant"),
                self.tr("Paquet")]

    def set_entries(self, entries: list[Entry], lifecycle: Lifecycle | None) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self._lifecycle = lifecycle
        statuses = lifecycle.statuses if lifecycle else {}
        self._order = {code: rank for rank, code in enumerate(statuses)}
        self._brushes = {code: status_brushes(status.color) for code, status in statuses.items()}
        self._sorted()  # the order the user chose survives a new reading
        self.endResetModel()

    def entry(self, row: int) -> Entry:
        return self._entries[row]

    def _sort_key(self, column: int):
        if column == AMOUNT:
            return lambda e: e.requested_ht
        if column == STATUS:
            return lambda e: self._order.get(e.status, len(self._order))
        if column == SINCE:
            return lambda e: e.status_at
        return lambda e: self._display(e, column).casefold()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here, in one Python sort: the proxy asking `data()` for each comparison takes seconds at 20k rows."""
        self._sort = None if column < 0 else (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._entries[index.row()].id for index in persistent]
        self._sorted()
        self.changePersistentIndexList(persistent, [self.index(self._rows[demande_id], index.column())
                                                    for demande_id, index in zip(ids, persistent, strict=True)])
        self.layoutChanged.emit()

    def _sorted(self) -> None:
        if self._sort is not None:
            column, order = self._sort
            self._entries.sort(key=self._sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = {e.id: row for row, e in enumerate(self._entries)}

    def row_of(self, demande_id: str) -> int | None:
        return self._rows.get(demande_id)

    def _row_count(self) -> int:
        return len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        e, column = self._entries[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(e, column)
        if role == SORT_ROLE:
            return self._sort_key(column)(e)
        if column == STATUS and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            brushes = self._brushes.get(e.status)
            return None if brushes is None else brushes[role == Qt.ItemDataRole.ForegroundRole]
        if role == Qt.ItemDataRole.ToolTipRole and column == STATUS and self._lifecycle is not None:
            status = self._lifecycle.statuses.get(e.status)
            return status.description if status else None
        if role == Qt.ItemDataRole.ToolTipRole and column == AVENANTS and e.avenants:
            return "\n".join(avenant_lines(e, self._lifecycle))
        if role == Qt.ItemDataRole.ToolTipRole and column in (DEMANDE, BENEFICIARY, BDC, BUNDLE):
            return self._display(e, column) or None  # the whole text where the column cuts it
        if role == Qt.ItemDataRole.TextAlignmentRole and column == AMOUNT:
            return RIGHT
        if role == ENTRY_ROLE:
            return e
        return None

    def _display(self, e: Entry, column: int) -> str:
        if column == DEMANDE:
            return e.id
        if column == COULOIR:
            return e.couloir
        if column == TYPE:
            return type_label(e.type)
        if column == BENEFICIARY:
            return e.beneficiary_name
        if column == BDC:
            return e.bdc_number
        if column == AMOUNT:
            return format_fr(e.requested_ht)
        if column == STATUS:
            return self._lifecycle.label(e.status) if self._lifecycle else e.status
        if column == SINCE:
            return day(e.status_at)
        if column == AVENANTS:
            last = e.last_avenant
            if last is None:
                return ""
            return self.tr("n° {numero} : {status}").format(
                numero=last.numero, status=self._lifecycle.label(last.status) if self._lifecycle else last.status)
        return e.bundle_name


class RegisterFilter(QSortFilterProxyModel):
    """The page's filters: statuses, couloirs, types (empty set = all) and free text (id, BDC, beneficiary).

    Sorting is the source model's (`RegisterModel.sort`); this proxy keeps the source's order."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._statuses: frozenset[str] = frozenset()
        self._couloirs: frozenset[str] = frozenset()
        self._types: frozenset[str] = frozenset()
        self._text = ""

    def set_filters(self, *, statuses=(), couloirs=(), types=(), text: str = "") -> None:
        wanted = (frozenset(statuses), frozenset(couloirs), frozenset(types), text.strip().casefold())
        if wanted == (self._statuses, self._couloirs, self._types, self._text):
            return
        self.beginFilterChange()
        self._statuses, self._couloirs, self._types, self._text = wanted
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not (self._statuses or self._couloirs or self._types or self._text):
            return True
        e = self.sourceModel().entry(source_row)
        if self._statuses and e.status not in self._statuses:
            return False
        if self._couloirs and e.couloir not in self._couloirs:
            return False
        if self._types and e.type not in self._types:
            return False
        if self._text:
            return self._text in " ".join((e.id, e.bdc_number, e.beneficiary_name, e.beneficiary_id)).casefold()
        return True


class TotalsModel(HeaderedTableModel):
    """Rows: the statuses present, in the lifecycle's order, then a total. Columns: status, count, amount,
    then one count per couloir (its amount in the tooltip)."""

    FIXED = 3  # Statut, Demandes, Montant demandé HT

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str | None, int, Decimal]] = []  # (status, count, amount); None: the total
        self._couloirs: list[str] = []
        self._cells: dict[tuple[str | None, str], tuple[int, Decimal]] = {}
        self._lifecycle: Lifecycle | None = None
        self.columns = self.FIXED

    def headers(self) -> list[str]:
        return [self.tr("Statut"), self.tr("Demandes"), self.tr("Montant demandé HT"), *self._couloirs]

    def set_totals(self, found: list[Total], lifecycle: Lifecycle | None) -> None:
        self.beginResetModel()
        self._lifecycle = lifecycle
        self._couloirs = sorted({t.couloir for t in found})
        self.columns = self.FIXED + len(self._couloirs)
        by_status: dict[str, tuple[int, Decimal]] = {}
        self._cells = {}
        for t in found:
            count, amount = by_status.get(t.status, (0, Decimal(0)))
            by_status[t.status] = (count + t.count, amount + t.requested_ht)
            for status in (t.status, None):  # None: the total row
                count, amount = self._cells.get((status, t.couloir), (0, Decimal(0)))
                self._cells[(status, t.couloir)] = (count + t.count, amount + t.requested_ht)
        order = list(lifecycle.statuses) if lifecycle else []
        statuses = sorted(by_status, key=lambda s: order.index(s) if s in order else len(order))
        self._rows = [(s, *by_status[s]) for s in statuses]
        if self._rows:
            self._rows.append((None, sum(r[1] for r in self._rows), sum((r[2] for r in self._rows), Decimal(0))))
        self.endResetModel()

    def count(self, status: str | None, couloir: str | None = None) -> int:
        """The figure shown for a status (None: all) and a couloir (None: all couloirs)."""
        if couloir is None:
            return next((r[1] for r in self._rows if r[0] == status), 0)
        return self._cells.get((status, couloir), (0, Decimal(0)))[0]

    def _row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < self.columns:
            return None
        status, count, amount = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self.tr("Total") if status is None else (
                    self._lifecycle.label(status) if self._lifecycle else status)
            if column == 1:
                return format_count(count)
            if column == 2:
                return format_fr(amount)
            n, _amount = self._cells.get((status, self._couloirs[column - self.FIXED]), (0, Decimal(0)))
            return format_count(n) if n else "—"
        if role == Qt.ItemDataRole.ToolTipRole and column >= self.FIXED:
            n, cell_amount = self._cells.get((status, self._couloirs[column - self.FIXED]), (0, Decimal(0)))
            return self.tr("{n} demande(s), {amount} HT").format(n=format_count(n), amount=format_fr(cell_amount))
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 1:
            return RIGHT
        if column == 0 and status is not None and self._lifecycle is not None and role in (
                Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            known = self._lifecycle.statuses.get(status)
            return None if known is None else status_brushes(known.color)[role == Qt.ItemDataRole.ForegroundRole]
        if role == Qt.ItemDataRole.FontRole and status is None:
            font = QFont()
            font.setBold(True)
            return font
        return None


AT, OLD, NEW, COMMENT, AUTHOR, SOURCE, FORCED = range(7)


class HistoryModel(HeaderedTableModel):
    columns = 7

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[HistoryItem] = []
        self._lifecycle: Lifecycle | None = None

    def headers(self) -> list[str]:
        return [self.tr("Date et heure"), self.tr("Ancien statut"), self.tr("Nouveau statut"), self.tr("Commentaire"),
                self.tr("Par"), self.tr("Origine"), self.tr("Forcé")]

    def set_items(self, items: list[HistoryItem], lifecycle: Lifecycle | None) -> None:
        self.beginResetModel()
        self._items, self._lifecycle = list(items), lifecycle
        self.endResetModel()

    def item(self, row: int) -> HistoryItem:
        return self._items[row]

    def _row_count(self) -> int:
        return len(self._items)

    def _label(self, code: str | None) -> str:
        if code is None:
            return "—"
        return self._lifecycle.label(code) if self._lifecycle else code

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item, column = self._items[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (minute(item.at), self._label(item.old_status), self._label(item.new_status), item.comment,
                    item.author, item.source, self.tr("forcé") if item.forced else "")[column]
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text where the column cuts it
            return self.data(index, Qt.ItemDataRole.DisplayRole) or None
        if role == Qt.ItemDataRole.ForegroundRole and column == FORCED and item.forced:
            return QBrush(QColor("#b71c1c"))
        return None


class DepositsModel(HeaderedTableModel):
    columns = 4

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._deposits: list[Deposit] = []

    def headers(self) -> list[str]:
        return [self.tr("Paquet"), self.tr("Généré le"), self.tr("Fichier"), self.tr("Pièces")]

    def set_deposits(self, deposits: list[Deposit]) -> None:
        self.beginResetModel()
        self._deposits = list(deposits)
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self._deposits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._deposits):
            return None
        deposit, column = self._deposits[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            pieces = ", ".join(f"{a.name} ({a.sha256[:SHORT_HASH]})" for a in deposit.attachments) or "—"
            return (deposit.bundle_name, minute(deposit.generated_at), deposit.json_file, pieces)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return deposit.bundle
            if column == 1:
                return minute(deposit.generated_at)
            if column == 2:
                return self.tr("Empreinte SHA-256 de la demande : {sha}").format(sha=deposit.request_sha256)
            if column == 3:
                return "\n".join(f"{a.name} — {a.sha256} — {format_count(a.size)} octets — {a.source}"
                                 for a in deposit.attachments) or None
        return None
