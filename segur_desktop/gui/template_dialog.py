"""« Créer un modèle Excel… » : which couloir and request type (or all), and where to write the workbook.

The dialog only chooses: the Import page writes the files in the write pool
(`core.template.write_templates`). Files the writing would replace are
confirmed here, once, because a template already filled in would be lost; the
file chooser is told not to ask again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
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
from segur_desktop.core.template import profile_path, template_name
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.widgets.forms import add_row

SETTINGS_PURPOSE = "template"
ALL_FOLDER = "modeles_excel"  # where « tous les couloirs et types » goes by default, beside the workspace


@dataclass(frozen=True, slots=True)
class TemplateRequest:
    destination: Path  # the .xlsx file, or for every couloir and type the folder
    pairs: list[tuple[str, str]] | None  # None: every couloir and type with a schema
    overwrite: bool  # the user agreed to replace files that exist


class TemplateDialog(QDialog):
    chosen = Signal(object)  # TemplateRequest, once the user has confirmed

    def __init__(self, couloirs: list[Couloir], folder: Path, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Créer un modèle Excel"))
        self.setMinimumWidth(560)
        self.settings = settings
        self.folder = folder  # where the default destination lies
        self._custom: Path | None = None  # a destination the user chose with « Choisir… », for the current choice
        self._couloirs = [c.code for c in couloirs]

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

    def replaced(self) -> list[Path]:
        """The files that exist and the writing would replace (for all: every couloir and type's names)."""
        pairs = self.pairs or [(couloir, request_type) for couloir in self._couloirs for request_type in REQUEST_TYPES]
        workbooks = [self.destination] if self.pairs else [self.destination / template_name(*p) for p in pairs]
        return [path for workbook in workbooks for path in (workbook, profile_path(workbook)) if path.exists()]

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
        """Confirm replacing existing files, then hand the choice over and close."""
        replaced = self.replaced()
        if replaced:
            answer = QMessageBox.question(
                self, self.tr("Remplacer des fichiers ?"),
                self.tr("Ces fichiers existent déjà et seront remplacés par des modèles vides :\n{files}\n\nUn modèle "
                        "déjà rempli serait perdu. Remplacer ?").format(files="\n".join(str(p) for p in replaced)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.chosen.emit(TemplateRequest(self.destination, self.pairs, overwrite=bool(replaced)))
        super().accept()
