"""« Nouveau dossier de travail » : a form that creates workspace.json (core.workspace.create_workspace).

The user names the vendor and points at the files they already have; the
solutions can come from the BDC list itself (columns solution, couloir,
type de logiciel, référencement) or be added to workspace.json later.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget,
)

from segur_desktop.core.workspace import create_workspace
from segur_desktop.gui.error_dialog import report_unexpected
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.workers import Workers

SPREADSHEETS = "*.xlsx *.xlsm *.xls *.ods *.csv"


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
        self.setMinimumWidth(560)
        self.name = QLineEdit()
        self.vendor = QLineEdit()
        self.siret = QLineEdit()
        self.siret.setPlaceholderText(self.tr("14 chiffres"))
        self.clients = PathField(settings, "clients", folder=False)
        self.bdc = PathField(settings, "bdc", folder=False)
        self.pieces = PathField(settings, "pieces", folder=True)
        self.folder = PathField(settings, "workspace", folder=True)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e")
        form = QFormLayout(self)
        form.addRow(self.tr("&Nom du dossier :"), self.name)
        form.addRow(self.tr("&Raison sociale de l'éditeur :"), self.vendor)
        form.addRow(self.tr("&SIRET de l'éditeur :"), self.siret)
        form.addRow(self.tr("Liste des &clients :"), self.clients)
        form.addRow(self.tr("&Bons de commande :"), self.bdc)
        form.addRow(self.tr("Dossier des &pièces (PDF) :"), self.pieces)
        form.addRow(self.tr("&Enregistrer le dossier dans :"), self.folder)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Créer"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def create(self) -> None:
        missing = [label for label, value in ((self.tr("la raison sociale"), self.vendor.text().strip()),
                                              (self.tr("le SIRET"), self.siret.text().strip()),
                                              (self.tr("la liste des clients"), self.clients.path()),
                                              (self.tr("les bons de commande"), self.bdc.path()),
                                              (self.tr("le dossier où enregistrer"), self.folder.path())) if not value]
        if missing:
            self.error.setText(self.tr("Indiquez encore : {missing}.").format(missing=", ".join(missing)))
            return
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

    def _crashed(self, details: str) -> None:
        """A bug: logged and shown like any other (the dialog has no session to tell); the form stays open."""
        self.error.setText(self.tr("Le dossier de travail n'a pas pu être créé : erreur inattendue (voir le journal)."))
        report_unexpected(details, self)
