"""The Suivi page: every exported demande, its status on the ASP portal, its history; what to do next.

Top: counts and amounts by status and couloir (the core's `totals`). Middle:
the register's demandes (`RegisterModel` behind `RegisterFilter`), filtered by
status, couloir, type and free text, several selectable. Bottom: the current
demande's history (each change: when, from and to, comment, who, from where,
forced) and its deposits (bundle, JSON file, attachments with short hashes).

Actions, on buttons and the table's context menu: « Changer le statut… »
(`StatusDialog`), « Importer un fichier de statuts… » (read, previewed in
`StatusFileDialog`, then applied), « Préparer le paquet de suivi… » and
« Différences… » for demandes the ASP sent back, and under « Registre » an
older bundle to record and the register's backup. The page reads the register
through the session's `Tracking`; every other read runs in a worker and every
write on the session's write pool, with the window's progress dialog. After a
write the page emits `session.register_changed`: the session reads the register
again and revalidates the workspace.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView, QAbstractScrollArea, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QMenu, QMessageBox, QPushButton, QSizePolicy, QSplitter, QStackedWidget, QTableView, QToolButton, QVBoxLayout,
    QWidget,
)

from segur_desktop.core.export.manifest import MANIFEST
from segur_desktop.core.normalise.amounts import format_count, format_fr
from segur_desktop.core.register import backup
from segur_desktop.core.register.followup import (
    PIECES_WANTED, TO_MODIFY, FollowUpResult, Modification, modification, write_followup,
)
from segur_desktop.core.register.record import record_bundle
from segur_desktop.core.register.statusfile import StatusFilePlan, apply_status_file, plan_status_file
from segur_desktop.core.register.store import (
    Deposit, Entry, HistoryItem, RecordOutcome, Register, StatusChange, StatusOutcome,
)
from segur_desktop.gui.models.register_model import (
    AMOUNT, BDC, BENEFICIARY, BUNDLE, COULOIR, ENTRY_ROLE, REQUEST, SINCE, STATUS, TYPE, DepositsModel, HistoryModel,
    RegisterFilter, RegisterModel, TotalsModel,
)
from segur_desktop.gui.session import Session, Tracking
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.status_dialogs import DifferencesDialog, StatusDialog, StatusFileDialog, describe_outcome
from segur_desktop.gui.workers import Job


COLUMN_WIDTHS = {REQUEST: 150, COULOIR: 60, TYPE: 60, BENEFICIARY: 230, BDC: 115, AMOUNT: 150, STATUS: 200,
                 SINCE: 85, BUNDLE: 260}  # fixed: measuring 20k rows' contents would stall
HISTORY_WIDTHS = (115, 110, 150, 260, 70, 200)  # date … origin; « forcé » stretches
SKIPPED_SHOWN = 10


def _history(register: Register, demande_id: str, *, progress, cancel) -> tuple[list[HistoryItem], list[Deposit]]:  # noqa: ARG001
    return register.history(demande_id), register.deposits(demande_id)


def _set_status(register: Register, changes: list[StatusChange], force: bool, source: str, *, progress,  # noqa: ARG001
                cancel) -> StatusOutcome:
    return register.set_status(changes, source=source, force=force)


def _apply_plan(register: Register, plan: StatusFilePlan, force: bool, *, progress, cancel) -> StatusOutcome:  # noqa: ARG001
    return apply_status_file(register, plan, force=force)


def _modification(register: Register, result, demande_id: str, *, progress, cancel) -> Modification:  # noqa: ARG001
    return modification(register, result, demande_id)


def _export_register(register: Register, path: Path, *, progress, cancel):  # noqa: ARG001
    return backup.export_register(register, path)


def _import_register(register: Register, path: Path, *, progress, cancel):  # noqa: ARG001
    return backup.import_register(register, path)


class FollowUpPage(QWidget):
    open_path = Signal(object)  # Path of a folder to open in the OS's file manager

    def __init__(self, session: Session, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.tracking: Tracking | None = None
        self.folder: Path | None = None  # the last folder written (follow-up bundle, register export)
        self.dialog = None  # the last dialog opened (tests and screenshots reach it here)
        self._job: Job | None = None  # the page's write, one at a time
        self._history_job: Job | None = None
        self._shown_id: str | None = None  # whose history is shown
        self._sized = False  # the table's columns got their first widths

        self.model = RegisterModel(self)
        self.proxy = RegisterFilter(self)
        self.proxy.setSourceModel(self.model)
        self.totals_model = TotalsModel(self)
        self.history_model = HistoryModel(self)
        self.deposits_model = DepositsModel(self)

        self.status_filter = QComboBox()
        self.status_filter.setObjectName("followup_status_filter")
        self.couloir_filter = QComboBox()
        self.couloir_filter.setObjectName("followup_couloir_filter")
        self.type_filter = QComboBox()
        self.type_filter.setObjectName("followup_type_filter")
        for label, value in ((self.tr("Tous les types"), None), (self.tr("Avances"), "avance"),
                             (self.tr("Soldes"), "solde")):
            self.type_filter.addItem(label, value)
        self.search = QLineEdit()
        self.search.setObjectName("followup_search")
        self.search.setPlaceholderText(self.tr("Rechercher : id de demande, n° de BDC, bénéficiaire"))
        self.search.setClearButtonEnabled(True)
        self.shown_label = QLabel("")
        filters = QHBoxLayout()
        for combo in (self.status_filter, self.couloir_filter, self.type_filter):
            filters.addWidget(combo)
            combo.currentIndexChanged.connect(self.apply_filters)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.shown_label)
        self.search.textChanged.connect(self.apply_filters)
        self._fill_statuses()
        self._fill_couloirs([])

        self.change_action = self._action(self.tr("Changer le &statut…"), self.change_status, "action_change_status")
        self.differences_action = self._action(self.tr("&Différences…"), self.show_differences, "action_differences")
        self.followup_action = self._action(self.tr("&Préparer le paquet de suivi…"), self.prepare_followup,
                                            "action_followup")
        self.import_action = self._action(self.tr("&Importer un fichier de statuts…"), self.import_status_file,
                                          "action_import_statuses")
        self.record_action = self._action(self.tr("&Enregistrer un paquet…"), self.record_bundle, "action_record_bundle")
        self.export_register_action = self._action(self.tr("E&xporter le registre…"), self.export_register,
                                                   "action_export_register")
        self.import_backup_action = self._action(self.tr("Importer une &sauvegarde…"), self.import_backup,
                                                 "action_import_backup")
        actions = QHBoxLayout()
        for action in (self.change_action, self.differences_action, self.followup_action):
            actions.addWidget(self._button(action))
        actions.addStretch(1)
        actions.addWidget(self._button(self.import_action))
        self.register_button = QToolButton()
        self.register_button.setObjectName("register_menu")
        self.register_button.setText(self.tr("&Registre"))
        self.register_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.register_button)
        for action in (self.record_action, self.export_register_action, self.import_backup_action):
            menu.addAction(action)
        self.register_button.setMenu(menu)
        actions.addWidget(self.register_button)

        self.totals = QTableView()
        self.totals.setObjectName("followup_totals")
        self.totals.setModel(self.totals_model)
        self.totals.verticalHeader().hide()
        self.totals.verticalHeader().setDefaultSectionSize(22)
        self.totals.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.totals.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.totals.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.totals.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)  # hugs its figures

        self.table = QTableView()
        self.table.setObjectName("followup_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the register's order until the user sorts
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)

        self.history_label = QLabel(self.tr("Choisissez une demande pour voir son historique et ses dépôts."))
        self.history_label.setObjectName("history_label")
        self.history_label.setWordWrap(True)
        self.history = self._small_table("followup_history", self.history_model)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(HISTORY_WIDTHS):  # the comment gets room; long labels are elided
            self.history.setColumnWidth(column, width)
        self.deposits = self._small_table("followup_deposits", self.deposits_model)
        panel = QWidget()
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_layout.addWidget(self.history_label)
        panels = QSplitter(Qt.Orientation.Horizontal)
        panels.addWidget(self.history)
        panels.addWidget(self.deposits)
        panels.setSizes([700, 340])
        panel_layout.addWidget(panels, 1)

        self.empty = QLabel()
        self.empty.setObjectName("followup_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.content = QWidget()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(panel)
        split.setSizes([420, 240])
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.totals)
        content_layout.addLayout(filters)
        content_layout.addWidget(split, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.content)

        self.result = QLabel("")
        self.result.setObjectName("followup_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(self.tr("&Ouvrir le dossier"))
        self.open_button.setObjectName("followup_open")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(lambda: self.folder is not None and self.open_path.emit(self.folder))
        bottom = QHBoxLayout()
        bottom.addWidget(self.result, 1)
        bottom.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)

        heading = QLabel(self.tr("<h2>Suivi</h2>Les demandes exportées et leur statut sur le portail de l'ASP : "
                                 "indiquez-le à la main ou depuis la liste du portail (fichier de statuts), préparez "
                                 "les pièces complémentaires et les corrections demandées."))
        heading.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(actions)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

        session.tracked.connect(self.show_tracking)
        session.validated.connect(lambda _validation: self._update_actions())
        session.workspace_changed.connect(lambda _workspace: self.show_tracking(self.session.tracking))
        self.show_tracking(session.tracking)

    # --- building -----------------------------------------------------------------------------
    def _action(self, text: str, slot, name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def _small_table(self, name: str, model) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(22)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setWordWrap(False)
        return view

    def _context_menu(self, position: QPoint) -> QMenu:
        menu = QMenu(self)
        for action in (self.change_action, self.differences_action, self.followup_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.import_action)
        menu.popup(self.table.viewport().mapToGlobal(position))
        return menu

    # --- what is shown ------------------------------------------------------------------------
    def show_tracking(self, tracking: Tracking | None) -> None:
        """The register as the session read it last; the selection survives (the same demandes stay selected)."""
        selected = [e.id for e in self.selected_entries()]
        current = self.current_entry()
        self.tracking = tracking
        lifecycle = tracking.register.lifecycle if tracking else None
        entries = tracking.entries if tracking else []
        self.model.set_entries(entries, lifecycle)
        self.totals_model.set_totals(tracking.totals if tracking else [], lifecycle)
        self._fill_statuses()
        self._fill_couloirs(sorted({e.couloir for e in entries}))
        if not entries:
            self.empty.setText(self._empty_text())
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.content)
            if not self._sized:  # once: afterwards the widths are the user's
                self._sized = True
                for column, width in COLUMN_WIDTHS.items():
                    self.table.setColumnWidth(column, width)
        self.apply_filters()
        self._shown_id = None
        self.select_requests(selected, current.id if current else None)
        if self.current_entry() is None:
            self._clear_history()
        self._update_actions()

    def _empty_text(self) -> str:
        if self.session.workspace is None:
            return self.tr("Ouvrez un dossier de travail (Fichier → Ouvrir, Ctrl+O) : son suivi est celui de son "
                           "éditeur.")
        if self.tracking is None and self.session.reading_register:
            return self.tr("Lecture du registre de suivi…")
        if self.tracking is None:
            return self.tr("Le registre de suivi de l'éditeur n'a pas pu être lu (voir le message affiché).")
        return self.tr("Aucune demande suivie : exportez un paquet (page Export) pour commencer le suivi.")

    def _fill_statuses(self) -> None:
        lifecycle = self.tracking.register.lifecycle if self.tracking else None
        codes = list(lifecycle.statuses) if lifecycle else []
        if [self.status_filter.itemData(i) for i in range(1, self.status_filter.count())] == codes:
            return
        current = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        self.status_filter.addItem(self.tr("Tous les statuts"), None)
        for code in codes:
            self.status_filter.addItem(lifecycle.label(code), code)
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(current)))
        self.status_filter.blockSignals(False)

    def _fill_couloirs(self, couloirs: list[str]) -> None:
        current = self.couloir_filter.currentData()
        self.couloir_filter.blockSignals(True)
        self.couloir_filter.clear()
        self.couloir_filter.addItem(self.tr("Tous les couloirs"), None)
        for code in couloirs:
            self.couloir_filter.addItem(code, code)
        self.couloir_filter.setCurrentIndex(max(0, self.couloir_filter.findData(current)))
        self.couloir_filter.blockSignals(False)

    def apply_filters(self) -> None:
        status, couloir, kind = (self.status_filter.currentData(), self.couloir_filter.currentData(),
                                 self.type_filter.currentData())
        self.proxy.set_filters(statuses={status} if status else (), couloirs={couloir} if couloir else (),
                               types={kind} if kind else (), text=self.search.text())
        self.shown_label.setText(self.tr("{shown} demandes affichées sur {total}").format(
            shown=format_count(self.proxy.rowCount()), total=format_count(self.model.rowCount())))
        self._update_actions()

    def set_status_filter(self, code: str | None) -> None:
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(code)))

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

    def select_requests(self, ids: list[str], current: str | None = None) -> int:
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
        self.history_label.setText(self.tr("<b>{id}</b> — {beneficiary} — BDC {bdc} — {amount} HT : historique et "
                                           "dépôts").format(id=entry.id, beneficiary=entry.beneficiary_name,
                                                            bdc=entry.bdc_number, amount=format_fr(entry.requested_ht)))
        if self._history_job is not None:
            self._history_job.cancel()
        job = self.session.workers.start(_history, self.tracking.register, entry.id)
        self._history_job = job
        job.succeeded.connect(lambda found: self._show_history(job, found))
        job.failed.connect(self._failed)
        job.crashed.connect(self.session.crashed)
        job.done.connect(lambda: self._history_done(job))

    @property
    def reading_history(self) -> bool:
        return self._history_job is not None

    def _history_done(self, job: Job) -> None:
        if job is self._history_job:
            self._history_job = None

    def _show_history(self, job: Job, found: tuple[list[HistoryItem], list[Deposit]]) -> None:
        if job is not self._history_job or self.tracking is None:
            return
        items, deposits = found
        self.history_model.set_items(items, self.tracking.register.lifecycle)
        self.deposits_model.set_deposits(deposits)
        self.history.scrollToBottom()

    def _clear_history(self) -> None:
        self._shown_id = None
        self.history_model.set_items([], None)
        self.deposits_model.set_deposits([])
        self.history_label.setText(self.tr("Choisissez une demande pour voir son historique et ses dépôts."))

    # --- actions ------------------------------------------------------------------------------
    def _update_actions(self) -> None:
        register = self.tracking.register if self.tracking else None
        idle = register is not None and self._job is None
        selected = self.selected_entries()
        validation = self.session.validation
        self.change_action.setEnabled(idle and bool(selected))
        self.import_action.setEnabled(idle)
        self.record_action.setEnabled(idle)
        self.export_register_action.setEnabled(idle and bool(self.model.rowCount()))
        self.import_backup_action.setEnabled(idle)
        self.register_button.setEnabled(register is not None)
        eligible = [e for e in selected if e.status in (PIECES_WANTED, TO_MODIFY)]
        self.followup_action.setEnabled(idle and bool(eligible) and validation is not None)
        self.followup_action.setToolTip(
            self.tr("Pour les demandes « en attente de pièces-jointes complémentaires » ou « à modifier » "
                    "sélectionnées.") if validation is not None else self.tr(
                "Vérifiez d'abord le dossier de travail (F5) : le paquet de suivi vient de ses pièces et de ses "
                "données corrigées."))
        self.differences_action.setEnabled(register is not None and len(selected) == 1
                                           and selected[0].status == TO_MODIFY and validation is not None)
        self.open_button.setEnabled(self.folder is not None and self.folder.exists())

    def _run(self, job: Job, title: str, succeeded, *, write: bool = True) -> Job:
        job.succeeded.connect(succeeded)
        job.failed.connect(self._failed)
        job.cancelled.connect(lambda: self._say(self.tr("Opération annulée : rien n'a été changé.")))
        job.crashed.connect(self.session.crashed)
        if write:
            self._job = job
            job.done.connect(self._finished)
        self.session.job_started.emit(job, title)
        self._update_actions()
        return job

    def _finished(self) -> None:
        self._job = None
        self._update_actions()

    def _failed(self, message: str) -> None:
        self._say(message)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Suivi"), message, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("followup_problem")
        box.open()

    def _say(self, text: str) -> None:
        self.result.setText(text)
        self._update_actions()

    def _written(self) -> None:
        """The register changed: the session reads it again and revalidates."""
        self.session.register_changed.emit()

    # « Changer le statut… »
    def change_status(self) -> StatusDialog | None:
        entries = self.selected_entries()
        if not entries or self.tracking is None or self._job is not None:
            return None
        dialog = StatusDialog(self.tracking.register.lifecycle, entries, self)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.set_status(dialog.changes(), force=dialog.forced()))
        dialog.open()
        return dialog

    def set_status(self, changes: list[StatusChange], *, force: bool = False) -> Job | None:
        if not changes or self.tracking is None or self._job is not None:
            return None
        job = self.session.workers.writes().start(_set_status, self.tracking.register, changes, force,
                                                  self.tr("fenêtre"))
        return self._run(job, self.tr("Changement de statut"), self._status_changed)

    def _status_changed(self, outcome: StatusOutcome) -> None:
        text = describe_outcome(outcome)
        self._say(text)
        if outcome.refused or outcome.unknown:
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Changement de statut"), text,
                              QMessageBox.StandardButton.Ok, self)
            box.setObjectName("status_refusals")
            box.open()
        if outcome.applied or outcome.refused or outcome.unknown:
            self._written()  # a refusal means the register is not what the page showed: read it again too

    # « Importer un fichier de statuts… »
    def import_status_file(self, path: Path | None = None) -> Job | None:
        if self.tracking is None or self._job is not None:
            return None
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, self.tr("Importer un fichier de statuts (liste du portail ou suivi de l'éditeur)"),
                self.settings.last_folder("statuts"), self.tr("Fichier de statuts (*.csv *.xlsx *.xlsm *.xls *.ods)"))
            if not chosen:
                return None
            path = Path(chosen)
            self.settings.set_last_folder("statuts", path.parent)
        job = self.session.workers.start(plan_status_file, self.tracking.register, path)
        return self._run(job, self.tr("Lecture du fichier de statuts"), self._preview, write=False)

    def _preview(self, plan: StatusFilePlan) -> None:
        if self.tracking is None:
            return
        dialog = StatusFileDialog(plan, self.tracking.register.lifecycle, self)
        self.dialog = dialog
        self._say(self.tr("Fichier de statuts lu : {name}. Vérifiez les lignes, puis appliquez.").format(
            name=plan.path.name))
        dialog.accepted.connect(lambda: self.apply_plan(plan, force=dialog.forced()))
        dialog.open()

    def apply_plan(self, plan: StatusFilePlan, *, force: bool = False) -> Job | None:
        if self.tracking is None or self._job is not None:
            return None
        job = self.session.workers.writes().start(_apply_plan, self.tracking.register, plan, force)
        return self._run(job, self.tr("Application du fichier de statuts"), self._status_changed)

    # « Préparer le paquet de suivi… »
    def prepare_followup(self, destination: Path | None = None) -> Job | None:
        ids = [e.id for e in self.selected_entries() if e.status in (PIECES_WANTED, TO_MODIFY)]
        validation = self.session.validation
        if not ids or validation is None or self.tracking is None or self._job is not None:
            return None
        if destination is None:
            chosen = QFileDialog.getExistingDirectory(self, self.tr("Dossier où créer le paquet de suivi"),
                                                      self.settings.last_folder("suivi"))
            if not chosen:
                return None
            destination = Path(chosen)
            self.settings.set_last_folder("suivi", destination)
        job = self.session.workers.writes().start(write_followup, self.tracking.register, validation.result, ids,
                                                  destination)
        return self._run(job, self.tr("Préparation du paquet de suivi"), self._followup_written)

    def _followup_written(self, outcome: FollowUpResult) -> None:
        skipped = [f"• {demande_id} : {reason}" for demande_id, reason in outcome.skipped[:SKIPPED_SHOWN]]
        if outcome.folder is None:
            self._say("\n".join([self.tr("Rien n'a été préparé :")] + skipped))
            return
        self.folder = outcome.folder
        lines = [self.tr("Paquet de suivi écrit : {path}\n{n} demande(s) préparée(s) ; à déposer à la main sur le "
                         "portail (voir LISEZMOI.txt).").format(path=outcome.folder,
                                                                 n=format_count(len(outcome.prepared)))]
        if skipped:
            lines += [self.tr("Laissées de côté ({n}) :").format(n=format_count(len(outcome.skipped)))] + skipped
        self._say("\n".join(lines))
        self._written()  # each prepared demande's history notes the bundle

    # « Différences… »
    def show_differences(self) -> Job | None:
        selected = self.selected_entries()
        validation = self.session.validation
        if len(selected) != 1 or validation is None or self.tracking is None:
            return None
        job = self.session.workers.start(_modification, self.tracking.register, validation.result, selected[0].id)
        return self._run(job, self.tr("Comparaison avec la demande déposée"), self._show_modification, write=False)

    def _show_modification(self, change: Modification) -> None:
        dialog = DifferencesDialog(change, self)
        self.dialog = dialog
        dialog.open()

    # « Registre » menu
    def record_bundle(self, path: Path | None = None) -> Job | None:
        if self.tracking is None or self._job is not None:
            return None
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, self.tr("Enregistrer un paquet exporté plus tôt : son manifest.json, son .zip, ou un fichier "
                              "de demandes .json déposé tel quel"),
                self.settings.last_folder("export"), self.tr("Paquet ou fichier de dépôt (*.json *.zip)"))
            if not chosen:
                return None
            path = Path(chosen)
        bundle = path.parent if path.name == MANIFEST else path
        job = self.session.workers.writes().start(record_bundle, self.tracking.register, bundle)
        return self._run(job, self.tr("Enregistrement du paquet dans le suivi"),
                         lambda outcome: self._recorded(bundle, outcome))

    def _recorded(self, bundle: Path, outcome: RecordOutcome) -> None:
        if outcome.already_recorded:
            self._say(self.tr("Le paquet « {name} » était déjà enregistré dans le suivi : rien n'a changé.").format(
                name=bundle.name))
            return
        self._say(self.tr("Paquet « {name} » enregistré dans le suivi : {new} demande(s) nouvelle(s), {again} déjà "
                          "suivie(s).").format(name=bundle.name, new=format_count(len(outcome.new)),
                                               again=format_count(len(outcome.again))))
        self._written()

    def export_register(self, path: Path | None = None) -> Job | None:
        if self.tracking is None or self._job is not None:
            return None
        if path is None:
            chosen, chosen_filter = QFileDialog.getSaveFileName(
                self, self.tr("Exporter le registre de suivi"), self.settings.last_folder("sauvegarde"),
                self.tr("Sauvegarde JSON (*.json);;Classeur Excel (*.xlsx)"))
            if not chosen:
                return None
            path = Path(chosen)
            if path.suffix.lower() not in (".json", ".xlsx"):
                path = path.with_suffix(".xlsx" if "xlsx" in chosen_filter else ".json")
            self.settings.set_last_folder("sauvegarde", path.parent)
        job = self.session.workers.writes().start(_export_register, self.tracking.register, path)
        return self._run(job, self.tr("Export du registre de suivi"), self._register_exported)

    def _register_exported(self, summary: backup.BackupSummary) -> None:
        self.folder = summary.path.parent
        self._say(self.tr("Registre de suivi exporté : {path} ({exports} paquet(s), {demandes} demande(s), {history} "
                          "changement(s) d'historique).").format(
            path=summary.path, exports=format_count(summary.exports), demandes=format_count(summary.demandes),
            history=format_count(summary.history)))

    def import_backup(self, path: Path | None = None) -> Job | None:
        if self.tracking is None or self._job is not None:
            return None
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, self.tr("Importer une sauvegarde du registre de suivi"), self.settings.last_folder("sauvegarde"),
                self.tr("Sauvegarde du registre (*.json *.xlsx)"))
            if not chosen:
                return None
            path = Path(chosen)
        job = self.session.workers.writes().start(_import_register, self.tracking.register, path)
        return self._run(job, self.tr("Import d'une sauvegarde du registre"),
                         lambda outcome: self._backup_imported(path, outcome))

    def _backup_imported(self, path: Path, summary: backup.ImportSummary) -> None:
        added = (summary.exports_added, summary.demandes_added, summary.demandes_updated, summary.history_added)
        if not any(added):
            self._say(self.tr("Sauvegarde « {name} » importée : le registre connaissait déjà tout ce qu'elle "
                              "contient.").format(name=path.name))
            return
        self._say(self.tr("Sauvegarde « {name} » importée : {exports} paquet(s) et {demandes} demande(s) ajoutés, "
                          "{updated} demande(s) mise(s) à jour, {history} changement(s) d'historique ajoutés.").format(
            name=path.name, exports=format_count(added[0]), demandes=format_count(added[1]),
            updated=format_count(added[2]), history=format_count(added[3])))
        self._written()
