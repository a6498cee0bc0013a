"""« Nouveau dossier de travail » : a form that creates workspace.json (core.workspace.create_workspace).

The user names the vendor and points at the files they already have; a wrong
field says why next to it (the SIRET's key checked by the core,
`core.workspace_form.check_vendor`). The window then opens the new workspace on
its « Dossier de travail » page, where the vendor declares its solutions (or the
BDC list describes them in its own columns).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from segur_desktop.core.workspace import create_workspace
from segur_desktop.core.workspace_form import check_vendor
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.widgets.forms import add_row
from segur_desktop.gui.widgets.wrapping_label import WrappingLabel
from segur_desktop.gui.workers import Workers

SPREADSHEETS = "*.xlsx *.xlsm *.xls *.ods *.csv"
ERROR_STYLE = "color: #b3261e"


class PathField(QWidget):
    """A line edit with « Choisir… »: a spreadsheet, or a folder when `folder` is True."""

    def __init__(self, settings: Settings, purpose: str, folder: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings, self.purpose, self.folder = settings, purpose, folder
        self.edit = QLineEdit()
        button = QPushButton(self.tr("Choisir…"))
        button.clicked.connect(self.choose)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(button)
        self.setFocusProxy(self.edit)  # its label's Alt+letter, and the form pointing at it, put the cursor in the path

    def choose(self) -> None:
        start = self.settings.last_folder(self.purpose)
        if self.folder:
            chosen = QFileDialog.getExistingDirectory(self, self.tr("Choisir un dossier"), start)
        else:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, self.tr("Choisir un classeur"), start, self.tr("Tableurs ({patterns})").format(patterns=SPREADSHEETS))
        if chosen:
            self.edit.setText(chosen)
            self.settings.set_last_folder(self.purpose, Path(chosen) if self.folder else Path(chosen).parent)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text) if text else None


class NewWorkspaceDialog(QDialog):
    created = Signal(object)  # the new workspace's folder

    def __init__(self, settings: Settings, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workers = workers.writes()  # the window's write pool: workspace.json is a file write like any other
        self.setWindowTitle(self.tr("Nouveau dossier de travail"))
        self.setMinimumWidth(640)
        self.name = QLineEdit()
        self.vendor = QLineEdit()
        self.siret = QLineEdit()
        self.siret.setPlaceholderText(self.tr("14 chiffres"))
        self.clients = PathField(settings, "clients", folder=False)
        self.bdc = PathField(settings, "bdc", folder=False)
        self.pieces = PathField(settings, "pieces", folder=True)
        self.folder = PathField(settings, "workspace", folder=True)
        self.note = QLabel(self.tr("Vos solutions référencées se déclarent ensuite sur la page « Dossier de travail », "
                                   "qui s'ouvre dès la création."))
        self.note.setWordWrap(True)
        self.field_errors: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}  # by the key of its reason: where the cursor goes to fix it
        self.form = form = QFormLayout()
        add_row(form, self.tr("&Nom du dossier :"), self.name)
        self._add_row(self.tr("&Raison sociale de l'éditeur :"), self.vendor, "vendor_name")
        self._add_row(self.tr("&SIRET de l'éditeur :"), self.siret, "vendor_siret")
        self._add_row(self.tr("Liste des &clients :"), self.clients, "clients")
        self._add_row(self.tr("&Bons de commande :"), self.bdc, "bdc")
        add_row(form, self.tr("Dossier des &pièces (PDF) :"), self.pieces)
        self._add_row(self.tr("&Enregistrer le dossier dans :"), self.folder, "folder")
        self.error = WrappingLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Créer"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)  # the summary below the form, never over a field
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _add_row(self, text: str, field: QWidget, key: str) -> None:
        """The field, and under it a row of its own for its reason, shown only while it is wrong.

        The reason is a row of the form, not a label stacked with the field in one widget: the
        form lays out a wrapped label at the height its text needs (two lines for the SIRET's key),
        where a nested widget got one line's height and its text ran over the field above (#18)."""
        add_row(self.form, text, field)
        self.fields[key] = field
        label = WrappingLabel()
        label.setObjectName(f"error_{key}")
        label.setStyleSheet(ERROR_STYLE)
        self.form.addRow("", label)
        self.form.setRowVisible(label, False)
        self.field_errors[key] = label

    def problems(self) -> dict[str, str]:
        """Each wrong or missing field, with why (the vendor's checked by the core)."""
        found = check_vendor(self.vendor.text(), self.siret.text())
        for key, value, text in (("clients", self.clients.path(), self.tr("Choisissez la liste des clients.")),
                                 ("bdc", self.bdc.path(), self.tr("Choisissez la liste des bons de commande.")),
                                 ("folder", self.folder.path(), self.tr("Choisissez le dossier où enregistrer le "
                                                                        "dossier de travail (un dossier vide)."))):
            if value is None:
                found[key] = text
        return found

    def create(self) -> None:
        problems = self.problems()
        for key, label in self.field_errors.items():
            label.setText(problems.get(key, ""))
            self.form.setRowVisible(label, key in problems)
        missing = [label for key, label in (("vendor_name", self.tr("la raison sociale")),
                                            ("vendor_siret", self.tr("le SIRET")),
                                            ("clients", self.tr("la liste des clients")),
                                            ("bdc", self.tr("les bons de commande")),
                                            ("folder", self.tr("le dossier où enregistrer"))) if key in problems]
        if missing:
            self.error.setText(self.tr("Indiquez ou corrigez encore : {missing}.").format(missing=", ".join(missing)))
            self.fields[next(key for key in self.fields if key in problems)].setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.error.clear()
        folder = self.folder.path()
        self.buttons.setEnabled(False)
        job = self.workers.call(create_workspace, folder, name=self.name.text(), vendor_name=self.vendor.text(),
                                vendor_siret=self.siret.text(), clients=self.clients.path(), bdc=self.bdc.path(),
                                pieces=self.pieces.path())
        job.succeeded.connect(lambda _workspace: self._created(folder))
        job.failed.connect(self.error.setText)
        job.crashed.connect(self._crashed)
        job.done.connect(lambda: self.buttons.setEnabled(True))

    def _created(self, folder: Path) -> None:
        self.accept()
        self.created.emit(folder)

    def _crashed(self, _details: str) -> None:
        """A bug (logged and shown by the workers' crash sink) said in the form too, which stays open."""
        self.error.setText(self.tr("Le dossier de travail n'a pas pu être créé : erreur inattendue (voir le journal)."))
