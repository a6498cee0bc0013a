"""The Demandes page: every demande, filterable; every problem one click from its cell.

Top: the demandes (`RequestsModel` behind `RequestsFilter`), filtered by
couloir, type, status and free text. Bottom left: the diagnostics grouped by
code, like the CLI report. Bottom right: the selected problem in French with
its fix, and the source values of its demande (file, sheet, row, column),
with « Ouvrir le fichier source ». Selecting a diagnostic selects its
demande (clearing filters that would hide it).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QSplitter, QTableView,
    QTreeView, QVBoxLayout, QWidget,
)

from segur_desktop.core.build import Demande
from segur_desktop.core.diagnostics import Diagnostic
from segur_desktop.core.normalise.amounts import format_count
from segur_desktop.gui.models.diagnostics_model import DIAGNOSTIC_ROLE, DiagnosticsModel
from segur_desktop.gui.models.requests_model import DEMANDE_ROLE, ERRORS, VALID, WARNINGS, RequestsFilter, RequestsModel
from segur_desktop.gui.models.source_model import SourceModel
from segur_desktop.gui.session import Session, Validation
from segur_desktop.gui.widgets.choices import refill


COLUMN_WIDTHS = (70, 70, 280, 190, 150, 150, 120)  # couloir … status; the « Suivi » column stretches
EXPANDED_GROUP_MAX = 200  # problems of a code shown at once; a bigger group opens on demand


class RequestsPage(QWidget):
    open_source = Signal(object)  # Path of a spreadsheet to open in the OS's default application

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._rows_by_id: dict[str, int] = {}
        self._diagnostics_by_request: dict[str, list[Diagnostic]] = {}
        self._diagnostic: Diagnostic | None = None

        self.model = RequestsModel(parent=self)
        self.proxy = RequestsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.diagnostics_model = DiagnosticsModel(parent=self)
        self.source_model = SourceModel(self)

        self.couloir_filter = QComboBox()
        self.couloir_filter.setObjectName("couloir_filter")
        self.type_filter = QComboBox()
        self.type_filter.setObjectName("type_filter")
        for label, value in ((self.tr("Tous les types"), None), (self.tr("Avances"), "avance"),
                             (self.tr("Soldes"), "solde")):
            self.type_filter.addItem(label, value)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        for label, value in ((self.tr("Tous les statuts"), None), (self.tr("En erreur"), {ERRORS}),
                             (self.tr("Avec avertissements"), {WARNINGS}), (self.tr("Valides"), {VALID, WARNINGS}),
                             (self.tr("Valides sans avertissement"), {VALID})):
            self.status_filter.addItem(label, value)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("Rechercher : bénéficiaire, identifiant, n° de BDC, id de demande"))
        self.search.setClearButtonEnabled(True)
        self.shown_label = QLabel("")
        filters = QHBoxLayout()
        for widget in (self.couloir_filter, self.type_filter, self.status_filter):
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.shown_label)
        for combo in (self.couloir_filter, self.type_filter, self.status_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.search.textChanged.connect(self.apply_filters)

        self.table = QTableView()
        self.table.setObjectName("requests_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the sheet's order until the user sorts
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)  # fixed: no per-row size computation at 100k rows
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate(COLUMN_WIDTHS):  # fixed: measuring 100k rows' contents would stall
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._on_request_selected)

        self.tree = QTreeView()
        self.tree.setObjectName("diagnostics_tree")
        self.tree.setModel(self.diagnostics_model)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setStretchLastSection(True)
        self.tree.selectionModel().currentChanged.connect(self._on_diagnostic_selected)

        self.detail = QLabel(self.tr("Choisissez un problème ou une demande pour voir d'où viennent ses valeurs."))
        self.detail.setObjectName("detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source_view = QTableView()
        self.source_view.setObjectName("source_view")
        self.source_view.setModel(self.source_model)
        self.source_view.verticalHeader().setVisible(False)
        self.source_view.horizontalHeader().setStretchLastSection(True)
        self.source_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.source_view.selectionModel().currentRowChanged.connect(lambda *_: self._update_open_button())
        self.open_button = QPushButton(self.tr("&Ouvrir le fichier source"))
        self.open_button.setObjectName("open_source")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_source)

        problems = QWidget()
        problems_layout = QVBoxLayout(problems)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        self.problems_label = QLabel(self.tr("Problèmes"))
        problems_layout.addWidget(self.problems_label)
        problems_layout.addWidget(self.tree)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.detail)
        details_layout.addWidget(self.source_view, 1)
        details_layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignRight)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(problems)
        bottom.addWidget(details)
        bottom.setSizes([600, 500])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(bottom)
        split.setSizes([420, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(split, 1)

        session.validated.connect(self.show_validation)

    def show_validation(self, validation: Validation | None) -> None:
        demandes = validation.result.demandes if validation else []
        diagnostics = validation.result.diagnostics if validation else []
        self._rows_by_id = {d.id: row for row, d in enumerate(demandes)}
        self._diagnostics_by_request = {}
        for diagnostic in diagnostics:
            if diagnostic.request:
                self._diagnostics_by_request.setdefault(diagnostic.request, []).append(diagnostic)
        self.model.set_demandes(demandes, validation.result.register if validation else None)
        self.diagnostics_model.set_groups(validation.groups if validation else [])
        for row in range(self.diagnostics_model.rowCount()):  # small groups open; a 20k one stays one line
            group = self.diagnostics_model.index(row, 0)
            if self.diagnostics_model.rowCount(group) <= EXPANDED_GROUP_MAX:
                self.tree.expand(group)
        self.tree.setColumnWidth(0, max(300, self.tree.viewport().width() * 3 // 5))
        self.problems_label.setText(self.tr("Problèmes ({count})").format(count=format_count(len(diagnostics))))
        self._fill_couloirs(sorted({d.couloir.code for d in demandes}))
        self.source_model.clear()
        self._diagnostic = None
        self._update_open_button()
        self.apply_filters()

    def _fill_couloirs(self, couloirs: list[str]) -> None:
        refill(self.couloir_filter, self.tr("Tous les couloirs"), ((code, code) for code in couloirs))

    def apply_filters(self) -> None:
        couloir, kind = self.couloir_filter.currentData(), self.type_filter.currentData()
        self.proxy.set_filters(couloirs={couloir} if couloir else (), types={kind} if kind else (),
                               statuses=self.status_filter.currentData() or (), text=self.search.text())
        self.shown_label.setText(self.tr("{shown} demandes affichées sur {total}").format(
            shown=format_count(self.proxy.rowCount()), total=format_count(self.model.rowCount())))

    def clear_filters(self) -> None:
        for combo in (self.couloir_filter, self.type_filter, self.status_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_filters()

    def selected_demande(self) -> Demande | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(DEMANDE_ROLE) if index.isValid() else None

    def select_request(self, request_id: str) -> bool:
        """Select a demande by id in the table, clearing filters that hide it."""
        row = self._rows_by_id.get(request_id)
        if row is None:
            return False
        source = self.model.index(row, 0)
        if not self.proxy.mapFromSource(source).isValid():
            self.clear_filters()
        index = self.proxy.mapFromSource(source)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def _on_request_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        demande = current.data(DEMANDE_ROLE) if current.isValid() else None
        if demande is None:
            return
        diagnostic = self._diagnostic if self._diagnostic and self._diagnostic.request == demande.id else None
        self.source_model.show_demande(demande, diagnostic)
        if diagnostic is None:
            problems = self._diagnostics_by_request.get(demande.id, [])
            name = demande.fields.get("beneficiaire.raison_sociale", "")  # rich text: the user's data is escaped
            lines = [f"<b>{escape(demande.id, quote=False)}</b> — {escape(name, quote=False)}"]
            lines += [f"• {escape(d.message, quote=False)}" for d in problems] or [
                self.tr("Aucun problème pour cette demande.")]
            self.detail.setText("<br>".join(lines))
        self._select_highlighted_source()

    def _on_diagnostic_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        diagnostic = current.siblingAtColumn(0).data(DIAGNOSTIC_ROLE) if current.isValid() else None
        if diagnostic is None:  # a group row: nothing to point at yet
            return
        self._diagnostic = diagnostic
        self.detail.setText(f"<b>{escape(diagnostic.message, quote=False)}</b><br>{self.tr('Correction :')} "
                            f"{escape(diagnostic.fix, quote=False)}")  # messages quote the cells' values
        if diagnostic.request and self.select_request(diagnostic.request):
            # Also when that demande was already selected (no selection signal then).
            self.source_model.show_demande(self.model.demande(self._rows_by_id[diagnostic.request]), diagnostic)
        else:
            self.table.selectionModel().clearSelection()
            self.source_model.show_diagnostic(diagnostic)
        self._select_highlighted_source()

    def _select_highlighted_source(self) -> None:
        row = self.source_model.highlighted_row()
        if row is not None:
            self.source_view.selectRow(row)
            self.source_view.scrollTo(self.source_model.index(row, 0))
        self._update_open_button()

    def source_file(self) -> Path | None:
        """The file « Ouvrir le fichier source » opens: the selected source value's, else the diagnostic's."""
        current = self.source_view.selectionModel().currentIndex()
        if current.isValid():
            return self.source_model.value(current.row()).file
        if self.source_model.rowCount():
            return self.source_model.value(0).file
        return None

    def _update_open_button(self) -> None:
        self.open_button.setEnabled(self.source_file() is not None)

    def _open_source(self) -> None:
        path = self.source_file()
        if path is not None:
            self.open_source.emit(path)
