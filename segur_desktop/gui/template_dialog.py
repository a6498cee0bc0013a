"""« Créer un modèle Excel… » : which couloir and request type (or all), and where to write the workbook.

The dialog chooses; the Import page writes the files in the write pool
(`write_unless_existing`, then `core.template.write_templates`). Whether a file
would be replaced is asked of the disk in that worker, never on the GUI thread
(one stat on a network share that no longer answers froze the window): the
worker answers `Existing` instead of writing, and the dialog, still open, asks
once to replace them, because a template already filled in would be lost; the
file chooser is told not to ask again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from segur_desktop.core.couloirs import REQUEST_TYPES, Couloir
from segur_desktop.core.progress import CancelToken, ProgressCallback
from segur_desktop.core.template import ExistingTemplates, WrittenTemplate, template_name, write_templates
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.widgets.forms import add_row
from segur_desktop.gui.workers import Job, LatestJob

SETTINGS_PURPOSE = "template"
ALL_FOLDER = "modeles_excel"  # where « tous les couloirs et types » goes by default, beside the workspace


@dataclass(frozen=True, slots=True)
class TemplateRequest:
    destination: Path  # the .xlsx file, or for every couloir and type the folder
    pairs: list[tuple[str, str]] | None  # None: every couloir and type with a schema
    overwrite: bool  # the user agreed to replace files that exist


@dataclass(frozen=True, slots=True)
class Existing:
    """The worker's answer instead of writing: these files exist, and the user has not agreed to replace them."""

    files: list[Path]


def write_unless_existing(request: TemplateRequest, *, workspace_folder: Path | None, progress: ProgressCallback,
                          cancel: CancelToken) -> list[WrittenTemplate] | Existing:
    """In the write pool: the files that would be replaced, if any and not agreed to yet (the core names them before
    it writes anything, `ExistingTemplates`), else the templates written."""
    try:
        return write_templates(request.destination, request.pairs, workspace_folder=workspace_folder,
                               overwrite=request.overwrite, progress=progress, cancel=cancel)
    except ExistingTemplates as existing:
        return Existing(existing.files)


class TemplateDialog(QDialog):
    def __init__(self, couloirs: list[Couloir], folder: Path, settings: Settings,
                 write: Callable[[TemplateRequest], Job], parent: QWidget | None = None) -> None:
        """`write` starts the page's writing job for a request (`write_unless_existing`)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Créer un modèle Excel"))
        self.setMinimumWidth(560)
        self.settings = settings
        self.folder = folder  # where the default destination lies
        self._custom: Path | None = None  # a destination the user chose with « Choisir… », for the current choice
        self._write = write
        self._writing = LatestJob(self)  # a child: once the dialog is gone, the job's answer goes nowhere

        self.couloir = QComboBox()
        self.couloir.setObjectName("template_couloir")
        for couloir in couloirs:
            self.couloir.addItem(f"{couloir.code} — {couloir.label}", couloir.code)
        self.request_type = QComboBox()
        self.request_type.setObjectName("template_type")
        for request_type, label in zip(REQUEST_TYPES, (self.tr("Demande d'avance"), self.tr("Demande de solde")), strict=True):
            self.request_type.addItem(label, request_type)
        self.all = QCheckBox(self.tr("&Tous les couloirs et types (un classeur chacun, dans un dossier)"))
        self.all.setObjectName("template_all")
        self.destination_edit = QLineEdit()
        self.destination_edit.setObjectName("template_destination")
        self.destination_edit.setReadOnly(True)
        choose = QPushButton(self.tr("Choisir…"))
        choose.setObjectName("template_choose")
        choose.clicked.connect(self.choose)
        where = QWidget()
        row = QHBoxLayout(where)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.destination_edit, 1)
        row.addWidget(choose)
        note = QLabel(self.tr("Le classeur reprend les colonnes que Segur Desktop reconnaît sans réglage, selon le "
                              "schéma en vigueur ; son profil de correspondance (.profil.json) est écrit à côté."))
        note.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Créer"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("&Couloir :"), self.couloir)
        form.addRow(self.tr("T&ype de demande :"), self.request_type)
        form.addRow(self.all)
        add_row(form, self.tr("&Enregistrer sous :"), where)
        form.addRow(note)
        form.addRow(self.buttons)

        self.couloir.currentIndexChanged.connect(self._changed)
        self.request_type.currentIndexChanged.connect(self._changed)
        self.all.toggled.connect(self._changed)
        self._refresh()

    @property
    def pairs(self) -> list[tuple[str, str]] | None:
        return None if self.all.isChecked() else [(self.couloir.currentData(), self.request_type.currentData())]

    @property
    def destination(self) -> Path:
        if self._custom is not None:
            return self._custom
        if self.all.isChecked():
            return self.folder / ALL_FOLDER
        return self.folder / template_name(self.couloir.currentData(), self.request_type.currentData())

    def _refresh(self) -> None:
        self.couloir.setEnabled(not self.all.isChecked())
        self.request_type.setEnabled(not self.all.isChecked())
        self.destination_edit.setText(str(self.destination))

    def _changed(self) -> None:
        """Another template (or all of them): the name follows it, in the folder chosen so far."""
        self._custom = None
        self._refresh()

    def choose(self) -> None:
        """« Choisir… »: a folder for all templates, else the workbook's name (the overwrite question comes later)."""
        if self.all.isChecked():
            chosen = QFileDialog.getExistingDirectory(self, self.tr("Dossier où créer les modèles"), str(self.folder))
            if not chosen:
                return
            path = folder = Path(chosen)
        else:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, self.tr("Enregistrer le modèle Excel"), str(self.destination),
                self.tr("Classeur Excel (*.xlsx)"), options=QFileDialog.Option.DontConfirmOverwrite)
            if not chosen:
                return
            path = Path(chosen)
            if path.suffix.lower() != ".xlsx":
                path = path.with_name(path.name + ".xlsx")
            folder = path.parent
        self._custom, self.folder = path, folder
        self.settings.set_last_folder(SETTINGS_PURPOSE, folder)
        self._refresh()

    def accept(self) -> None:
        """« Créer »: the page writes, unless files exist (found by the worker); the dialog closes once written."""
        if not self._writing.running:  # « Créer » clicked again while the first is being written: nothing more
            self._create(overwrite=False)

    def reject(self) -> None:
        """« Annuler » while the worker checks or writes: it stops before its next file."""
        self._writing.drop()
        super().reject()

    def _create(self, *, overwrite: bool) -> None:
        request = TemplateRequest(self.destination, self.pairs, overwrite)
        self.buttons.setEnabled(False)
        self._writing.follow(self._write(request), succeeded=self._written,
                             done=lambda: self.buttons.setEnabled(True))  # failed: the page says why; the choice stays

    def _written(self, outcome: list[WrittenTemplate] | Existing) -> None:
        if not isinstance(outcome, Existing):
            super().accept()
            return
        answer = QMessageBox.question(
            self, self.tr("Remplacer des fichiers ?"),
            self.tr("Ces fichiers existent déjà et seront remplacés par des modèles vides :\n{files}\n\nUn modèle "
                    "déjà rempli serait perdu. Remplacer ?").format(files="\n".join(str(p) for p in outcome.files)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self._create(overwrite=True)  # follows the new job: the one that answered is over
