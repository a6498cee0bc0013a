"""A status file's lines and their verdicts, before they are applied (the Suivi page's preview dialog).

Each line as `core.register.statusfile.plan_status_file` judged it — change,
unchanged, refused, unknown, unreadable, ambiguous, taken over from the
workspace, or replaced by a later-dated line — coloured by verdict so a long file can be read at a glance.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from segur_desktop.core.register.lifecycle import Lifecycle
from segur_desktop.core.register.statusfile import PlannedChange, Verdict, verdict_label
from segur_desktop.gui.models.table import HeaderedTableModel

Index = QModelIndex | QPersistentModelIndex

VERDICT_COLOURS = {
    Verdict.CHANGE: QColor("#e3f4e1"), Verdict.UNCHANGED: QColor("#eeeeee"), Verdict.REFUSED: QColor("#fde2e1"),
    Verdict.UNKNOWN: QColor("#fff4d6"), Verdict.UNREADABLE: QColor("#fde2e1"), Verdict.AMBIGUOUS: QColor("#fff4d6"),
    Verdict.ADOPT: QColor("#e0ecff"), Verdict.SUPERSEDED: QColor("#eeeeee"),
}

LINE, REFERENCE, CURRENT, WANTED, VERDICT, DETAIL = range(6)


class PlanModel(HeaderedTableModel):
    """A status file's lines as `plan_status_file` judged them, coloured by verdict."""

    columns = 6

    def __init__(self, lines: list[PlannedChange], lifecycle: Lifecycle, parent=None) -> None:
        super().__init__(parent)
        self._lines = list(lines)
        self._lifecycle = lifecycle

    def headers(self) -> list[str]:
        return [self.tr("Ligne"), self.tr("Référence"), self.tr("Statut actuel"), self.tr("Nouveau statut"),
                self.tr("Verdict"), self.tr("Détail")]

    def line(self, row: int) -> PlannedChange:
        return self._lines[row]

    def _row_count(self) -> int:
        return len(self._lines)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line, column = self._lines[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == LINE:
                return str(line.row)
            if column == REFERENCE:
                known = line.entry or line.adopt
                return line.reference if known is None or known.id == line.reference else f"{line.reference} → {known.id}"
            if column == CURRENT:
                return self._lifecycle.label(line.entry.status) if line.entry else "—"
            if column == WANTED:
                return self._lifecycle.label(line.new_status) if line.new_status else "—"
            if column == VERDICT:
                return verdict_label(line.verdict)
            return line.detail or line.note or line.comment
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = VERDICT_COLOURS.get(line.verdict)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and column == DETAIL:
            return "\n".join(x for x in (line.detail, line.note, line.comment) if x) or None
        return None
