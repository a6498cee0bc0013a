"""`TrackingPage`: the Suivi page itself, its layout and what it shows.

Top: counts and amounts by status and couloir (the core's `totals`). Middle:
the register's demandes (`RegisterModel` behind `RegisterFilter`; an avance's
last avenant in its own column), filtered by status, couloir, type and free
text, several selectable. Bottom: the current demande's avenants, history and
deposits (`selection`). The actions' buttons, the
« Registre » menu and the table's context menu are built here; what they do is
in `actions`.

One class, three modules: `TrackingPage` builds the widgets and holds the
state; the mixins `SelectionAndHistory` (`selection`) and `TrackingActions`
(`actions`) use them. Their strings are translated in the `TrackingPage`
context: `self.tr()` takes the instance's class, not the mixin's.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from segur_desktop.core.normalise.amounts import format_count
from segur_desktop.core.workspace import Workspace
from segur_desktop.gui.models.register_model import (
    AMOUNT,
    AVENANTS,
    BDC,
    BENEFICIARY,
    BUNDLE,
    COULOIR,
    DEMANDE,
    SINCE,
    STATUS,
    TYPE,
    DepositsModel,
    HistoryModel,
    RegisterFilter,
    RegisterModel,
    TotalsModel,
)
from segur_desktop.gui.pages.tracking.actions import TrackingActions
from segur_desktop.gui.pages.tracking.selection import SelectionAndHistory
from segur_desktop.gui.session import Session, Tracking
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.widgets.choices import refill
from segur_desktop.gui.widgets.layout import fit_columns, remember_splitter, stretch_last_column
from segur_desktop.gui.workers import Job, LatestJob

# Fixed: measuring 20k rows' contents would stall. Up to « Depuis le » they fit at 1280×800; cut text is in tooltips.
COLUMN_WIDTHS = {DEMANDE: 165, COULOIR: 60, TYPE: 60, BENEFICIARY: 190, BDC: 110, AMOUNT: 160, STATUS: 160,
                 SINCE: 85, AVENANTS: 160, BUNDLE: 260}


class TrackingPage(SelectionAndHistory, TrackingActions, QWidget):
    open_path = Signal(object)  # Path of a folder to open in the OS's file manager

    def __init__(self, session: Session, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.tracking: Tracking | None = None
        self.folder: Path | None = None  # the last folder written (follow-up bundle, register export)
        self.dialog = None  # the last dialog opened (tests and screenshots reach it here)
        self._job: Job | None = None  # the page's write, or read that opens a dialog: one at a time
        self._history = LatestJob(self)  # the history of the entry chosen last
        self._shown_id: str | None = None  # whose history is shown
        self._sized = False  # the table's columns were fitted to their text (page shown), or sized by the user

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
        stretch_last_column(self.table)
        self._fitting = self._user_sized = False
        self.table.horizontalHeader().sectionResized.connect(self._on_section_resized)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)

        panel = self._build_history()

        self.empty = QLabel()
        self.empty.setObjectName("followup_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.content = QWidget()
        self.splitter = split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(panel)
        split.setSizes([420, 240])
        remember_splitter(split, settings, "suivi/vertical")
        remember_splitter(self.panels, settings, "suivi/history")
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
        # Which register is in force: this computer's file, or the team's shared one and its server (#20).
        self.register_label = QLabel("")
        self.register_label.setObjectName("register_in_force")
        self.register_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.register_label)
        layout.addLayout(actions)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

        session.tracked.connect(self.show_tracking)
        session.validated.connect(lambda _validation: self._update_actions())
        session.workspace_changed.connect(self._on_workspace_changed)
        self.show_tracking(session.tracking)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._size_columns()
        self._fit_history()  # measured on the panel's real width: a hidden page's means nothing

    def _size_columns(self) -> None:
        """Once, when the table first shows rows: each column as wide as its text on a sample of rows, within a
        share of the table (COLUMN_WIDTHS until the page is shown); afterwards the widths are the user's."""
        if self._sized or self.stack.currentWidget() is not self.content:
            return
        if not self.isVisible():
            for column, width in COLUMN_WIDTHS.items():
                self.table.setColumnWidth(column, width)
            return
        self._sized, self._fitting = True, True
        fit_columns(self.table, list(COLUMN_WIDTHS)[:-1], minimum=50, reserve=120,  # 120: the bundle's start
                    share={column: width / 1100 for column, width in COLUMN_WIDTHS.items()})
        self._fitting = False

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        """A column the user dragged keeps its width: the window's resizing no longer fits the columns."""
        if column != BUNDLE and not self._fitting and self._sized and self.isVisible():  # BUNDLE: stretched
            self._user_sized = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.isVisible():
            if not self._user_sized:
                self._sized = False  # a bigger window: the columns fit it again, until the user sizes one
            self._size_columns()
            self._fit_history()

    # --- building -----------------------------------------------------------------------------
    def _action(self, text: str, slot, name: str) -> QAction:
        action = QAction(text, self)
        action.setIconText(text)  # a tool button shows the icon text, which Qt strips of « … » and the mnemonic
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

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
        self._show_register_in_force()
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
            self._size_columns()
        self.apply_filters()
        self._shown_id = None
        self.select_demandes(selected, current.id if current else None)
        if self.current_entry() is None:
            self._clear_history()
        self._update_actions()

    def _on_workspace_changed(self, _workspace: Workspace | None) -> None:
        """Only what the workspace changes on this page: the empty page's text and the actions. The register's
        entries come through `session.tracked` (a 20k-row model is not reset for a workspace edit)."""
        self.empty.setText(self._empty_text())
        self._show_register_in_force()
        self._update_actions()

    def _show_register_in_force(self) -> None:
        if self.tracking is not None:
            self.register_label.setText(self.tracking.register.describe())
        elif self.session.workspace is None or self.session.reading_register:
            self.register_label.setText("")
        else:
            self.register_label.setText(self.tr("Registre de suivi : non lu (voir le message affiché)."))

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
        refill(self.status_filter, self.tr("Tous les statuts"), ((lifecycle.label(code), code) for code in codes))

    def _fill_couloirs(self, couloirs: list[str]) -> None:
        refill(self.couloir_filter, self.tr("Tous les couloirs"), ((code, code) for code in couloirs))

    def apply_filters(self) -> None:
        status, couloir, request_type = (self.status_filter.currentData(), self.couloir_filter.currentData(),
                                         self.type_filter.currentData())
        self.proxy.set_filters(statuses={status} if status else (), couloirs={couloir} if couloir else (),
                               types={request_type} if request_type else (), text=self.search.text())
        self.shown_label.setText(self.tr("{shown} demandes affichées sur {total}").format(
            shown=format_count(self.proxy.rowCount()), total=format_count(self.model.rowCount())))
        self._update_actions()

    def set_status_filter(self, code: str | None) -> None:
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(code)))
