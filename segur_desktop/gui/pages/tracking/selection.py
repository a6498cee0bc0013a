"""Which demandes of the Suivi page are selected, and the current one's history and deposits.

The selection is read from and written to the view's ranges, never row by row:
20k rows selected stay fast. The panel under the table shows the current
demande's avenants (an avance's amendments and their statuses, under its
name), its history (each change: when, from and to, comment, who, from where,
forced) and its deposits (bundle, JSON file, attachments with short hashes),
read in a worker each time the current demande changes; a newer read cancels
the older one, whose late answer is dropped.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from segur_desktop.core.normalise.amounts import format_fr
from segur_desktop.core.register.store import Deposit, Entry, HistoryItem, Register
from segur_desktop.gui.models.register_model import (
    AT,
    AUTHOR,
    COMMENT,
    ENTRY_ROLE,
    NEW,
    OLD,
    SOURCE,
    avenant_lines,
)
from segur_desktop.gui.widgets.layout import fit_columns, stretch_last_column


def _history(register: Register, demande_id: str) -> tuple[list[HistoryItem], list[Deposit]]:
    """The demande's history and its deposits: the two reads of one worker job."""
    return register.history(demande_id), register.deposits(demande_id)


class SelectionAndHistory:
    """Mixed into `TrackingPage`: uses its table, models, session, `tracking` and history state."""

    # --- building -----------------------------------------------------------------------------
    def _build_history(self) -> QWidget:
        """The panel under the table: which demande is current, its history beside its deposits."""
        self.history_label = QLabel(self.tr("Choisissez une demande pour voir son historique et ses dépôts."))
        self.history_label.setObjectName("history_label")
        self.history_label.setWordWrap(True)
        self.history = self._small_table("followup_history", self.history_model)
        self.deposits = self._small_table("followup_deposits", self.deposits_model)
        panel = QWidget()
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_layout.addWidget(self.history_label)
        self.panels = panels = QSplitter(Qt.Orientation.Horizontal)
        panels.addWidget(self.history)
        panels.addWidget(self.deposits)
        panels.setStretchFactor(0, 3)
        panels.setStretchFactor(1, 2)
        panels.setSizes([600, 400])
        panel_layout.addWidget(panels, 1)
        return panel

    def _small_table(self, name: str, model) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(22)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # sized by `_fit_history`
        stretch_last_column(view, minimum=60)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)  # the whole text is each cell's tooltip
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setWordWrap(False)
        return view

    # --- selection and history ----------------------------------------------------------------
    def selected_entries(self) -> list[Entry]:
        """The selected demandes in the view's order; from the selection's ranges, not `selectedRows()`, which
        asks the model about every cell (seconds for 20k rows)."""
        rows = sorted({row for span in self.table.selectionModel().selection()
                       for row in range(span.top(), span.bottom() + 1)})
        proxy, model = self.proxy, self.model
        return [model.entry(proxy.mapToSource(proxy.index(row, 0)).row()) for row in rows]

    def current_entry(self) -> Entry | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(ENTRY_ROLE) if index.isValid() else None

    def select_demandes(self, ids: list[str], current: str | None = None) -> int:
        """Select these demandes (those the filters show); the current one (history) is `current`, else the first."""
        shown: dict[str, int] = {}  # id -> row in the view
        for demande_id in ids:
            row = self.model.row_of(demande_id)
            index = self.proxy.mapFromSource(self.model.index(row, 0)) if row is not None else QModelIndex()
            if index.isValid():
                shown[demande_id] = index.row()
        model = self.table.selectionModel()
        if not shown:
            model.clearSelection()
            return 0
        selection = QItemSelection()
        rows = sorted(shown.values())
        start = previous = rows[0]
        for row in [*rows[1:], None]:  # one range per run of adjacent rows: 20k rows selected stay fast
            if row is not None and row == previous + 1:
                previous = row
                continue
            selection.select(self.proxy.index(start, 0), self.proxy.index(previous, self.proxy.columnCount() - 1))
            if row is not None:
                start = previous = row
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        focus = self.proxy.index(shown.get(current, rows[0]), 0)  # current: None, or maybe filtered out
        model.setCurrentIndex(focus, QItemSelectionModel.SelectionFlag.NoUpdate)
        model.select(selection, flags)
        self._on_current_changed(focus, QModelIndex())
        self.table.scrollTo(focus)
        return len(shown)

    def _on_selection_changed(self, *_args) -> None:
        self._update_actions()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = current.data(ENTRY_ROLE) if current.isValid() else None
        if entry is None or self.tracking is None or entry.id == self._shown_id:
            return
        self._shown_id = entry.id
        text = self.tr("<b>{id}</b> — {beneficiary} — BDC {bdc} — {amount} HT : historique et dépôts").format(
            id=escape(entry.id, quote=False), beneficiary=escape(entry.beneficiary_name, quote=False),  # rich text:
            bdc=escape(entry.bdc_number, quote=False), amount=format_fr(entry.requested_ht))  # values escaped
        lines = avenant_lines(entry, self.tracking.register.lifecycle)
        self.history_label.setText(text + "".join(f"<br>{escape(line, quote=False)}" for line in lines))
        job = self._history.follow(self.session.workers.call(_history, self.tracking.register, entry.id),
                                   succeeded=self._show_history)
        job.failed.connect(self._failed)  # even a superseded reading's: the register could not be read

    @property
    def reading_history(self) -> bool:
        return self._history.running

    def _show_history(self, found: tuple[list[HistoryItem], list[Deposit]]) -> None:
        if self.tracking is None:
            return
        items, deposits = found
        self.history_model.set_items(items, self.tracking.register.lifecycle)
        self.deposits_model.set_deposits(deposits)
        if self.isVisible():
            self._fit_history()
        self.history.scrollToBottom()

    def _fit_history(self) -> None:
        """The history's and deposits' columns as wide as their text, within a share of their panel: the date,
        statuses, author and origin whole where they fit, the comment and the pieces elided (tooltips)."""
        fit_columns(self.history, [AT, OLD, NEW, COMMENT, AUTHOR, SOURCE], minimum=50, reserve=60,  # 60: « forcé »
                    share={AT: 0.19, OLD: 0.14, NEW: 0.16, COMMENT: 0.2, AUTHOR: 0.08, SOURCE: 0.13})
        fit_columns(self.deposits, [0, 1, 2], share={0: 0.4, 1: 0.3, 2: 0.3}, minimum=60, reserve=80)

    def _clear_history(self) -> None:
        self._shown_id = None
        self.history_model.set_items([], None)
        self.deposits_model.set_deposits([])
        self.history_label.setText(self.tr("Choisissez une demande pour voir son historique et ses dépôts."))
