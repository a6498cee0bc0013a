"""The Demandes page: every demande, filterable; every problem one click from its cell.

Top: the demandes (`DemandesModel` behind `DemandesFilter`), filtered by
couloir, type, status and free text. Bottom left: the diagnostics grouped by
code, like the CLI report. Bottom right: the selected problem in French with
its fix, and the source values of its demande (file, sheet, row, column),
with « Ouvrir le fichier source ». Selecting a diagnostic selects its
demande (clearing filters that would hide it). The problems' and the source
cells' columns are sized to their content (long messages elided, whole in their
tooltips); both splitters stay where the user left them (`gui/settings.py`).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from segur_desktop.core.build import Demande
from segur_desktop.core.diagnostics import Diagnostic
from segur_desktop.core.guide import problem_link
from segur_desktop.core.normalise.amounts import format_count
from segur_desktop.gui.models.demandes_model import DEMANDE_ROLE, ERRORS, VALID, WARNINGS, DemandesFilter, DemandesModel
from segur_desktop.gui.models.diagnostics_model import DIAGNOSTIC_ROLE, FIX, PLACE, PROBLEM, DiagnosticsModel
from segur_desktop.gui.models.source_model import COLUMN, FIELD, FILE, ROW, SHEET, VALUE, SourceModel
from segur_desktop.gui.session import Session, Validation
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.widgets.choices import refill
from segur_desktop.gui.widgets.layout import fit_columns, remember_splitter, stretch_last_column

COLUMN_WIDTHS = (60, 60, 240, 170, 120, 150, 115)  # couloir … status; « Suivi » stretches (on screen at 1280)
EXPANDED_GROUP_MAX = 200  # problems of a code shown at once; a bigger group opens on demand
ROW_HEIGHT = 22  # one line per row: a wrapped cell would hide the rows under it


class DemandesPage(QWidget):
    open_source = Signal(object)  # Path of a spreadsheet to open in the OS's default application
    guide_requested = Signal(str)  # « En savoir plus »: the user guide's section on a problem's code

    def __init__(self, session: Session, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self._columns_fitted = False  # the problems' columns fit the latest validation
        self._rows_by_id: dict[str, int] = {}
        self._diagnostics_by_demande: dict[str, list[Diagnostic]] = {}
        self._diagnostic: Diagnostic | None = None

        self.model = DemandesModel(parent=self)
        self.proxy = DemandesFilter(self)
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
        self.table.setObjectName("demandes_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the sheet's order until the user sorts
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)  # fixed: no per-row sizing at 100k rows
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        stretch_last_column(self.table)
        for column, width in enumerate(COLUMN_WIDTHS):  # fixed: measuring 100k rows' contents would stall
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._on_demande_selected)

        self.tree = QTreeView()
        self.tree.setObjectName("diagnostics_tree")
        self.tree.setModel(self.diagnostics_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)  # the whole text is the cell's tooltip
        stretch_last_column(self.tree)
        self._fitting = self._problems_user_sized = False
        self.tree.header().sectionResized.connect(self._on_problem_column_resized)
        self.tree.viewport().installEventFilter(self)
        self.tree.selectionModel().currentChanged.connect(self._on_diagnostic_selected)

        self.detail = QLabel(self.tr("Choisissez un problème ou une demande pour voir d'où viennent ses valeurs."))
        self.detail.setObjectName("detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                            | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.detail.linkActivated.connect(self.guide_requested.emit)
        self.source_view = QTableView()
        self.source_view.setObjectName("source_view")
        self.source_view.setModel(self.source_model)
        self.source_view.verticalHeader().setVisible(False)
        self.source_view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.source_view.setWordWrap(False)
        stretch_last_column(self.source_view, minimum=60)
        self.source_model.modelReset.connect(self._fit_source_columns)
        self.source_view.viewport().installEventFilter(self)
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
        self.bottom_splitter = bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(problems)
        bottom.addWidget(details)
        bottom.setStretchFactor(0, 1)
        bottom.setStretchFactor(1, 1)
        bottom.setSizes([600, 500])
        self.splitter = split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(bottom)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([330, 390])  # the source cells of the selected problem get the larger share
        self._remembered = False
        self.remember_layout(settings)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(split, 1)

        session.validated.connect(self.show_validation)

    def show_validation(self, validation: Validation | None) -> None:
        demandes = validation.result.demandes if validation else []
        diagnostics = validation.result.diagnostics if validation else []
        self._rows_by_id = {d.id: row for row, d in enumerate(demandes)}
        self._diagnostics_by_demande = {}
        for diagnostic in diagnostics:
            if diagnostic.request:
                self._diagnostics_by_demande.setdefault(diagnostic.request, []).append(diagnostic)
        self.model.set_demandes(demandes, validation.result.register if validation else None)
        self.diagnostics_model.set_groups(validation.groups if validation else [])
        for row in range(self.diagnostics_model.rowCount()):  # small groups open; a 20k one stays one line
            group = self.diagnostics_model.index(row, 0)
            if self.diagnostics_model.rowCount(group) <= EXPANDED_GROUP_MAX:
                self.tree.expand(group)
        self._columns_fitted = False
        self._fit_problem_columns()
        self.problems_label.setText(self.tr("Problèmes ({count})").format(count=format_count(len(diagnostics))))
        self._fill_couloirs(sorted({d.couloir.code for d in demandes}))
        self.source_model.clear()
        self._diagnostic = None
        self._update_open_button()
        self.apply_filters()

    def remember_layout(self, settings: Settings | None) -> None:
        """Restore both splitters from `settings` and save each move there (once: the first settings given)."""
        if settings is None or self._remembered:
            return
        self.settings, self._remembered = settings, True
        remember_splitter(self.splitter, settings, "demandes/vertical")
        remember_splitter(self.bottom_splitter, settings, "demandes/bottom")

    def showEvent(self, event: QShowEvent) -> None:
        if not self._remembered:  # built without settings: the window's own
            window_settings = getattr(self.window(), "settings", None)
            self.remember_layout(window_settings if isinstance(window_settings, Settings) else None)
        super().showEvent(event)
        self._fit_problem_columns()
        self._fit_source_columns()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A view's new width (window or splitter): its columns fit it again (the problems' until the user sizes
        one of them; the source cells always: a few dozen cells, cheap)."""
        if event.type() == QEvent.Type.Resize and self.isVisible():
            if watched is self.source_view.viewport():
                self._fit_source_columns()
            elif watched is self.tree.viewport() and not self._problems_user_sized:
                self._columns_fitted = False
                self._fit_problem_columns()
        return super().eventFilter(watched, event)

    def _on_problem_column_resized(self, column: int, _old: int, _new: int) -> None:
        if column != FIX and not self._fitting and self.isVisible():  # FIX: stretched with the view
            self._problems_user_sized = True

    def _fit_problem_columns(self) -> None:
        """Problème and Emplacement as wide as their text, within a share of the panel; Correction takes the rest.

        Measured once the page is shown (a hidden view's width means nothing), then left to the user."""
        if self._columns_fitted or not self.isVisible():
            return
        self._columns_fitted = self._fitting = True
        fit_columns(self.tree, [PROBLEM, PLACE], share={PROBLEM: 0.42, PLACE: 0.2}, minimum=100,
                    reserve=250)  # 250: room for the fix's first words
        self._fitting = False

    def _fit_source_columns(self) -> None:
        """Each source column as wide as its values (a demande has a few dozen cells: measured whole); the
        field, value and file within a share of the panel, so that the cell's sheet, row and column show."""
        rest = sum(fit_columns(self.source_view, [SHEET, ROW, COLUMN], minimum=40).values())
        width = max(1, self.source_view.viewport().width())
        left = max(0, width - rest - 4) / width  # the share of the width the sheet, row and column leave
        fit_columns(self.source_view, [FIELD, VALUE, FILE], minimum=60, reserve=rest,
                    share={FIELD: 0.36 * left, VALUE: 0.36 * left, FILE: 0.28 * left})

    def _fill_couloirs(self, couloirs: list[str]) -> None:
        refill(self.couloir_filter, self.tr("Tous les couloirs"), ((code, code) for code in couloirs))

    def apply_filters(self) -> None:
        couloir, request_type = self.couloir_filter.currentData(), self.type_filter.currentData()
        self.proxy.set_filters(couloirs={couloir} if couloir else (), types={request_type} if request_type else (),
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

    def select_demande(self, demande_id: str) -> bool:
        """Select a demande by id in the table, clearing filters that hide it."""
        row = self._rows_by_id.get(demande_id)
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

    def _on_demande_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        demande = current.data(DEMANDE_ROLE) if current.isValid() else None
        if demande is None:
            return
        diagnostic = self._diagnostic if self._diagnostic and self._diagnostic.request == demande.id else None
        self.source_model.show_demande(demande, diagnostic)
        if diagnostic is None:
            problems = self._diagnostics_by_demande.get(demande.id, [])
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
                            f"{escape(diagnostic.fix, quote=False)} <a href=\"{escape(problem_link(diagnostic.code))}\">"
                            f"{self.tr('En savoir plus')}</a>")  # messages quote the cells' values
        if diagnostic.request and self.select_demande(diagnostic.request):
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
