"""The « Dossier de travail » page: the open workspace's vendor, solutions, inputs and output, editable at any time.

Filled from the session's workspace (`core.workspace_form.form_of`, in a worker: it resolves the
paths, which asks the disk; this computer's reglages.json is read there too); every change is checked by
the core (`check_form`, in a worker: it looks the files up, and on a share that does not answer a
lookup per keystroke froze the typing) and each wrong field says why, in red, next to it (a
solution's cell: tinted, its reason as tooltip and in the list under the table). « Enregistrer » writes
workspace.json through the core in the window's write pool (`save_form`, which keeps every other
key as the user wrote it), then the session checks the dossier again. While the page holds
unsaved changes, a new validation does not overwrite them.

The « Registre de suivi » box (`workspace_register.py`) chooses this computer's register or the
team's PostgreSQL one (issue #20); switching a vendor with a non-empty local register to a shared
one first offers to copy it there.

Above the form, when BDC rows gave no demande, how many, and for those no solution matches,
both ways to fix it (declare the solution below, or describe it in the BDC list's columns).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from segur_desktop.core.calendar import load_calendar
from segur_desktop.core.couloirs import load_catalog
from segur_desktop.core.i18n import _
from segur_desktop.core.messages import message_for
from segur_desktop.core.normalise.amounts import format_count
from segur_desktop.core.register import NO_VENDOR
from segur_desktop.core.register.setting import user_setting
from segur_desktop.core.workspace import Workspace
from segur_desktop.core.workspace_form import SOLUTION_FIELDS, WorkspaceForm, check_form, form_of, save_form
from segur_desktop.gui.models.solutions_model import (
    CONFORMITY,
    COULOIR,
    NAME,
    REF_DATE,
    REF_ID,
    SOFTWARE_KIND,
    VAGUE,
    VERSION,
    SolutionsModel,
    couloir_text,
)
from segur_desktop.gui.new_workspace import PathField
from segur_desktop.gui.pages.workspace_register import RegisterBox
from segur_desktop.gui.session import Session, Validation
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.widgets.forms import add_row
from segur_desktop.gui.workers import Job, LatestJob

PROBLEM_STYLE = "color: #b3261e"  # the new-workspace dialog's error red
EDITOR_PROBLEM_STYLE = "border: 1px solid #b3261e; background: #fbe3e1;"
BANNER_STYLE = "QLabel#workspace_banner { background: #fff4ce; border: 1px solid #e0b000; padding: 6px; }"
COLUMN_WIDTHS = {NAME: 170, VERSION: 70, COULOIR: 260, SOFTWARE_KIND: 90, VAGUE: 60, REF_ID: 170, REF_DATE: 110,
                 CONFORMITY: 130}
INPUTS = ("clients", "bdc", "soldes", "pieces", "output")


def read_fields(workspace: Workspace) -> tuple[WorkspaceForm, str]:
    """In a worker: the workspace's fields (`form_of` resolves their paths) and this computer's shared register
    setting (reglages.json), which the register box says is in force while the workspace names none. Both ask the
    disk: on the GUI thread, a profile on a share that does not answer froze the window at the page's start."""
    return form_of(workspace), user_setting()


class SolutionsDelegate(QStyledItemDelegate):
    """Dropdowns for couloir, software kind (those the row's couloir funds) and vague; line edits elsewhere.

    The page keeps every editor open (persistent), so the table reads like a form; each keystroke or choice
    goes to the model at once, and a cell's problem shows on its editor."""

    def __init__(self, model: SolutionsModel, vagues: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.vagues = model, vagues

    def createEditor(self, parent: QWidget, option, index) -> QWidget:
        column = index.column()
        if column in (COULOIR, SOFTWARE_KIND, VAGUE):
            combo = QComboBox(parent)
            combo.setAccessibleName(self.model.headers()[column].replace("\n", " "))
            if column == COULOIR:
                combo.addItem(self.tr("— choisir —"), "")
                for code in self.model.catalog.couloirs:
                    combo.addItem(couloir_text(self.model.catalog, code), code)
            elif column == VAGUE:
                for vague in self.vagues:
                    combo.addItem(vague, vague)
            combo.activated.connect(lambda _i, combo=combo: self.commitData.emit(combo))
            return combo
        edit = QLineEdit(parent)
        edit.setAccessibleName(self.model.headers()[column].replace("\n", " "))
        if column in (REF_DATE, CONFORMITY):
            edit.setPlaceholderText(self.tr("JJ/MM/AAAA"))
        edit.textEdited.connect(lambda _text, edit=edit: self.commitData.emit(edit))
        return edit

    def setEditorData(self, editor: QWidget, index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QComboBox):
            editor.blockSignals(True)
            if index.column() == SOFTWARE_KIND:
                couloir = self.model.catalog.couloirs.get(self.model.rows[index.row()].couloir)
                software_kinds = couloir.software_kinds if couloir is not None else ()
                if [editor.itemData(i) for i in range(editor.count())] != ["", *software_kinds]:
                    editor.clear()
                    editor.addItem(self.tr("— choisir —") if software_kinds else self.tr("(couloir d'abord)"), "")
                    for software_kind in software_kinds:
                        editor.addItem(software_kind, software_kind)
            if editor.findData(value) < 0:
                editor.addItem(value, value)
            editor.setCurrentIndex(editor.findData(value))
            editor.blockSignals(False)
        elif editor.text() != value:  # the user's own keystroke coming back: the cursor stays where it is
            editor.setText(value)
        problem = index.data(Qt.ItemDataRole.ToolTipRole)
        editor.setToolTip(problem or index.model().headerData(index.column(), Qt.Orientation.Horizontal,
                                                              Qt.ItemDataRole.ToolTipRole))
        editor.setStyleSheet(EDITOR_PROBLEM_STYLE if problem else "")

    def setModelData(self, editor: QWidget, model, index) -> None:
        model.setData(index, editor.currentData() if isinstance(editor, QComboBox) else editor.text())


class WorkspacePage(QWidget):
    def __init__(self, session: Session, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.folder: Path | None = None
        self.dirty = False
        self.problems: dict[str, str] = {}  # the latest check's answer
        self._check = LatestJob(self)  # the fields' latest check: a keystroke's supersedes the one before
        self._form = LatestJob(self)  # the fields of the workspace shown last
        self._filling = False
        self._saving = False
        self._checking_saved = False  # saved: the next validation's outcome is said in the status line
        self._saved_shared = False  # the register setting as workspace.json holds it

        self.empty = QLabel(self.tr("Ouvrez un dossier de travail (Fichier → Ouvrir, Ctrl+O), ou créez-en un "
                                    "(Fichier → Nouveau dossier de travail, Ctrl+N) : cette page en montre alors "
                                    "l'éditeur, les solutions et les fichiers, modifiables à tout moment."))
        self.empty.setObjectName("workspace_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        self.header = QLabel()
        self.header.setObjectName("workspace_header")
        font = self.header.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.header.setFont(font)
        self.banner = QLabel()
        self.banner.setObjectName("workspace_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()

        # --- vendor ---
        self.name = QLineEdit()
        self.vendor_name = QLineEdit()
        self.vendor_siret = QLineEdit()
        self.vendor_siret.setPlaceholderText(self.tr("14 chiffres"))
        self.errors: dict[str, QLabel] = {}
        vendor_box = QGroupBox(self.tr("Éditeur"))
        vendor_form = QFormLayout(vendor_box)
        add_row(vendor_form, self.tr("&Nom du dossier :"), self._with_error("name", self.name))
        add_row(vendor_form, self.tr("&Raison sociale :"), self._with_error("vendor_name", self.vendor_name))
        add_row(vendor_form, self.tr("&SIRET :"), self._with_error("vendor_siret", self.vendor_siret))

        # --- solutions ---
        self.catalog = load_catalog()
        self.model = SolutionsModel(self.catalog, self)
        vagues = sorted({f.vague for f in load_calendar().files} | {"1"})
        self.table = QTableView()
        self.table.setObjectName("solutions_table")
        self.table.setModel(self.model)
        self.table.setItemDelegate(SolutionsDelegate(self.model, vagues, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # the editors are always open
        self.table.verticalHeader().setDefaultSectionSize(32)
        header = self.table.horizontalHeader()
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        # The name takes the room left (`eventFilter`), never less than its own width: Qt's Stretch mode, once the
        # window shrank from 1920 to 1024 px, left it as wide as the whole table and the other columns out of sight.
        self.table.viewport().installEventFilter(self)
        self.table.setMinimumHeight(150)
        self.add_button = QPushButton(self.tr("&Ajouter une solution"))
        self.add_button.clicked.connect(self.add_solution)
        self.remove_button = QPushButton(self.tr("Re&tirer la solution"))
        self.remove_button.clicked.connect(self.remove_solution)
        self.solutions_help = QLabel(self.tr(
            "Les bons de commande désignent leur solution par son nom (colonne « Solution » ou « Produit », "
            "éventuellement suivi de la version) ou par son type de logiciel. Sans solution déclarée ici, la liste "
            "des bons de commande doit porter les colonnes Solution, Couloir, Type de logiciel, N° de référencement "
            "et Date de référencement."))
        self.solutions_help.setWordWrap(True)
        self.solution_errors = QLabel()
        self.solution_errors.setObjectName("solution_errors")
        self.solution_errors.setWordWrap(True)
        self.solution_errors.setStyleSheet(PROBLEM_STYLE)
        self.solution_errors.hide()
        solutions_box = QGroupBox(self.tr("Solutions référencées"))
        solutions_layout = QVBoxLayout(solutions_box)
        solutions_layout.addWidget(self.solutions_help)
        solutions_layout.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        solutions_layout.addLayout(buttons)
        solutions_layout.addWidget(self.solution_errors)

        # --- inputs and output ---
        self.clients = PathField(settings, "clients", folder=False)
        self.bdc = PathField(settings, "bdc", folder=False)
        self.soldes = PathField(settings, "soldes", folder=False)
        self.pieces = PathField(settings, "pieces", folder=True)
        self.output = PathField(settings, "output", folder=True)
        self.soldes.edit.setPlaceholderText(self.tr("facultatif : les soldes peuvent être dans la liste des bons de commande"))
        self.pieces.edit.setPlaceholderText(self.tr("facultatif"))
        files_box = QGroupBox(self.tr("Fichiers"))
        files_form = QFormLayout(files_box)
        add_row(files_form, self.tr("Liste des &clients :"), self._with_error("clients", self.clients))
        add_row(files_form, self.tr("&Bons de commande :"), self._with_error("bdc", self.bdc))
        add_row(files_form, self.tr("Liste des s&oldes :"), self._with_error("soldes", self.soldes))
        add_row(files_form, self.tr("Dossier des &pièces (PDF) :"), self._with_error("pieces", self.pieces))
        add_row(files_form, self.tr("Dossier de so&rtie :"), self._with_error("output", self.output))
        self.register_box = RegisterBox(session.workers)
        self.register_box.lay_out(self._with_error("registre", self.register_box.url))
        self.register_box.vendor = self._vendor

        # --- saving ---
        self.save_button = QPushButton(self.tr("&Enregistrer le dossier de travail"))
        self.save_button.setObjectName("workspace_save")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Annuler les &modifications"))
        self.revert_button.clicked.connect(self.revert)
        self.status = QLabel()
        self.status.setObjectName("workspace_status")
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.revert_button)
        actions.addWidget(self.status, 1)

        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(vendor_box)
        layout.addWidget(solutions_box, 1)
        layout.addWidget(files_box)
        layout.addWidget(self.register_box)
        layout.addLayout(actions)
        self.content = QScrollArea()
        self.content.setWidgetResizable(True)
        self.content.setFrameShape(QFrame.Shape.NoFrame)
        self.content.setWidget(inner)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)

        for edit in (self.name, self.vendor_name, self.vendor_siret, *(getattr(self, n).edit for n in INPUTS)):
            edit.textChanged.connect(self._edited)
        self.model.edited.connect(self._edited)
        self.register_box.edited.connect(self._edited)
        self.model.rowsInserted.connect(lambda _parent, first, last: self._open_editors(first, last))
        self.model.modelReset.connect(lambda: self._open_editors(0, self.model.rowCount() - 1))
        session.workspace_changed.connect(self.show_workspace)
        session.validated.connect(self.show_validation)
        self.show_workspace(session.workspace)
        self.show_validation(session.validation)

    def _with_error(self, key: str, field: QWidget) -> QWidget:
        """The field with its reason under it, in red, shown only while the field is wrong."""
        error = QLabel()
        error.setObjectName(f"error_{key}")
        error.setWordWrap(True)
        error.setStyleSheet(PROBLEM_STYLE)
        error.hide()
        self.errors[key] = error
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(error)
        return box

    def _open_editors(self, first: int, last: int) -> None:
        for row in range(first, last + 1):
            for column in range(self.model.columnCount()):
                index = self.model.index(row, column)
                self.table.openPersistentEditor(index)
                editor = self.table.indexWidget(index)
                if isinstance(editor, QLineEdit):
                    editor.deselect()  # the view selects an editor's text when it opens: nothing is being replaced

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            others = sum(self.table.columnWidth(column) for column in COLUMN_WIDTHS if column != NAME)
            self.table.setColumnWidth(NAME, max(COLUMN_WIDTHS[NAME], self.table.viewport().width() - others))
        return super().eventFilter(watched, event)

    # --- what the page shows ------------------------------------------------------------------
    def show_workspace(self, workspace: Workspace | None) -> None:
        """A workspace opened or read again: its fields, unless the user is editing this one's."""
        if workspace is None or workspace.folder is None:
            if self.session.folder is None:
                self.folder = None
                self.stack.setCurrentWidget(self.empty)
            return
        if self.dirty and workspace.folder == self.folder:
            return
        if workspace.folder != self.folder:
            self.status.clear()
        self.folder = workspace.folder
        self.header.setText(self.tr("Dossier de travail « {name} »").format(name=workspace.name))
        self._load(workspace)
        self.stack.setCurrentWidget(self.content)

    def _load(self, workspace: Workspace) -> None:
        """Fill the fields with `workspace`'s, read in a worker; unless the user has started editing by then."""
        self._form.follow(self.session.workers.call(read_fields, workspace), succeeded=self._fill_unless_edited)

    def _fill_unless_edited(self, read: tuple[WorkspaceForm, str]) -> None:
        if not self.dirty:
            self.fill(*read)

    @property
    def loading(self) -> bool:
        """The fields of the workspace shown are still being read (tests wait for them)."""
        return self._form.running

    def fill(self, form: WorkspaceForm, user_register: str) -> None:
        """The page's fields from `form`; `user_register`: this computer's shared register setting (`read_fields`)."""
        self._filling = True
        try:
            self.name.setText(form.name)
            self.vendor_name.setText(form.vendor_name)
            self.vendor_siret.setText(form.vendor_siret)
            self.model.set_rows(form.solutions)
            for key in INPUTS:
                getattr(self, key).edit.setText(getattr(form, key))
            self.register_box.set_values(form.shared, form.registre, user_register)
            self._saved_shared = form.shared
        finally:
            self._filling = False
        self.dirty = False
        self.check()

    def form(self) -> WorkspaceForm:
        """What the fields say now."""
        return WorkspaceForm(self.name.text(), self.vendor_name.text(), self.vendor_siret.text(), tuple(self.model.rows),
                             *(getattr(self, key).edit.text() for key in INPUTS), shared=self.register_box.shared(),
                             registre=self.register_box.url.text())

    def _vendor(self) -> str:
        """Whose register the register box means: the saved workspace's vendor."""
        workspace = self.session.workspace
        return workspace.vendor.siret if workspace is not None and workspace.vendor else NO_VENDOR

    def check(self) -> Job | None:
        """Ask the core for each field's reason, in a worker; they show next to their fields when it answers."""
        self._update_buttons()
        if self.folder is None:
            return None
        return self._check.follow(self.session.workers.call(check_form, self.folder, self.form()),
                                  succeeded=self._show_problems)

    @property
    def checking(self) -> bool:
        """The fields' latest check has not answered yet (their reasons on screen may be a keystroke old)."""
        return self._check.running

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.dirty and not self._saving)
        self.revert_button.setEnabled(self.dirty and not self._saving)
        self.remove_button.setEnabled(self.model.rowCount() > 0)

    def _show_problems(self, problems: dict[str, str]) -> None:
        self.problems = problems
        for key, label in self.errors.items():
            label.setText(self.problems.get(key, ""))
            label.setVisible(key in self.problems)
        self.model.set_problems(self.problems)
        lines = []
        for row, solution in enumerate(self.model.rows):
            for field_index, name in enumerate(SOLUTION_FIELDS):
                problem = self.problems.get(f"solutions.{row}.{name}")
                if problem:
                    lines.append(self.tr("Solution {n} ({name}), {column} : {problem}").format(
                        n=row + 1, name=solution.name.strip() or self.tr("sans nom"),
                        column=self.model.headers()[field_index].replace("\n", " ").lower(), problem=problem))
        self.solution_errors.setText("\n".join(lines))
        self.solution_errors.setVisible(bool(lines))

    def show_validation(self, validation: Validation | None) -> None:
        """BDC rows that gave no demande, and for those no solution matches, both ways to fix it."""
        if self._checking_saved:
            self._checking_saved = False
            self.status.setText(self.tr("Dossier de travail enregistré et vérifié.") if validation is not None else
                                self.tr("Dossier de travail enregistré ; sa vérification a échoué (voir le message)."))
        if validation is None:
            self.banner.hide()
            return
        summary = validation.summary
        without = summary.bdc_rows_without_request
        if without <= 0:
            self.banner.hide()
            return
        codes = [d.code for d in validation.result.diagnostics if d.code in ("solution_absente", "solution_inconnue")]
        text = self.tr("{n} ligne(s) de bons de commande sur {total} n'ont donné aucune demande").format(
            n=format_count(without), total=format_count(summary.bdc_rows))
        if codes:
            fix = (_(message_for("solution_absente").fix) if "solution_absente" in codes else
                   self.tr("Déclarez ci-dessous la solution que ces lignes nomment (colonne « Solution » ou "
                           "« Produit »), ou corrigez ce nom dans la liste des bons de commande."))
            text += self.tr(", dont {k} faute de solution référencée qui leur corresponde. {fix}").format(
                k=format_count(len(codes)), fix=fix)
        else:
            text += self.tr(" : leurs problèmes sont sur la page Demandes.")
        self.banner.setText(text)
        self.banner.show()

    # --- editing ------------------------------------------------------------------------------
    def _edited(self) -> None:
        if self._filling:
            return
        self.dirty = True
        self.status.clear()
        self.check()

    def add_solution(self) -> None:
        row = self.model.add()
        self.table.selectRow(row)
        editor = self.table.indexWidget(self.model.index(row, NAME))
        if editor is not None:
            editor.setFocus()

    def remove_solution(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else self.table.currentIndex().row()
        if row < 0:
            row = self.model.rowCount() - 1
        self.model.remove(row)

    def revert(self) -> None:
        self.dirty = False
        self.status.clear()
        if self.session.workspace is not None:
            self._load(self.session.workspace)

    def save(self) -> None:
        """Check the fields (in a worker), then write workspace.json in the write pool, then check the dossier again."""
        if self.folder is None or self._saving:
            return
        folder, form = self.folder, self.form()
        self._saving = True
        self._update_buttons()
        check = self.check()
        if check is not None:
            check.succeeded.connect(lambda problems: self._checked(folder, form, problems))
            check.failed.connect(self._not_saved)
            check.crashed.connect(lambda _details: self._save_done())

    def _checked(self, folder: Path, form: WorkspaceForm, problems: dict[str, str]) -> None:
        """Save what was checked, if nothing is wrong and nothing was edited meanwhile (then nothing is saved)."""
        if problems or form != self.form():
            if problems:
                self.status.setStyleSheet(PROBLEM_STYLE)
                self.status.setText(self.tr("Rien n'est enregistré : corrigez d'abord les champs signalés en rouge."))
            self._save_done()
            return
        self.register_box.before_save(not self._saved_shared, lambda: self._write(folder, form), self._not_saved)

    def _not_saved(self, message: str) -> None:
        self._failed(message)
        self._save_done()

    def _write(self, folder: Path, form: WorkspaceForm) -> None:
        job = self.session.workers.writes().call(save_form, folder, form)
        job.succeeded.connect(self._saved)
        job.failed.connect(self._failed)
        job.done.connect(self._save_done)

    def _saved(self, workspace: Workspace) -> None:
        self.dirty = False
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Dossier de travail enregistré ; nouvelle vérification en cours."))
        self._checking_saved = True
        self.session.revalidate()

    def _failed(self, message: str) -> None:
        self.status.setStyleSheet(PROBLEM_STYLE)
        self.status.setText(message)

    def _save_done(self) -> None:
        self._saving = False
        self.check()
