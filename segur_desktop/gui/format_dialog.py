"""« Format de dépôt… »: the ASP's official model beside the product's fields, a preview, and save.

The user picks the blank model (and the example) the ASP publishes for a guichet, a couloir and
a type; « Analyser » runs the core's `propose` in a worker (the CLI's `format import`), then each
key of the model shows the field proposed for it in a dropdown, which the user may change, or a
fixed value. The preview is the first demande of the open workspace for that couloir and type,
written as the draft says, refreshed at each choice. « Enregistrer » saves the format (for every
workspace, or this one only) in the write pool and revalidates: from then on every deposit file
of that couloir and type is written in it.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from segur_desktop.core.couloirs import REQUEST_TYPES, load_catalog
from segur_desktop.core.formats.canonical import canonical_catalog
from segur_desktop.core.formats.importer import Mapped, Proposal, propose, save, typed_constant
from segur_desktop.core.formats.render import preview
from segur_desktop.core.formats.template import PIECES, TemplateError
from segur_desktop.core.paths import user_data_dir
from segur_desktop.gui.session import Session
from segur_desktop.gui.widgets.forms import add_row
from segur_desktop.gui.widgets.layout import fit_screen
from segur_desktop.gui.workers import Job

NO_SOURCE = "@aucun"
FIXED = "@constante"


class FormatDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Format de dépôt"))
        fit_screen(self, 1100, 720)
        self.session = session
        self.proposal: Proposal | None = None
        self.saved: Path | None = None
        self._job: Job | None = None

        self.model_edit, model_row = self._file_row("format_model", self.tr("Choisir le modèle…"))
        self.example_edit, example_row = self._file_row("format_example", self.tr("Choisir l'exemple…"))
        self.couloir = QComboBox()
        self.couloir.setObjectName("format_couloir")
        for couloir in load_catalog().couloirs.values():
            self.couloir.addItem(f"{couloir.code} — {couloir.label}", couloir.code)
        self.request_type = QComboBox()
        self.request_type.setObjectName("format_type")
        for request_type, label in zip(REQUEST_TYPES, (self.tr("Demande d'avance"), self.tr("Demande de solde")), strict=True):
            self.request_type.addItem(label, request_type)
        self.vague = QComboBox()
        self.vague.setObjectName("format_vague")
        self.vague.addItem(self.tr("toutes les vagues"), None)
        for wave in ("1", "2"):
            self.vague.addItem(self.tr("vague {vague} seulement").format(vague=wave), wave)
        self.workspace_only = QCheckBox(self.tr("Pour ce dossier de travail seulement"))
        self.workspace_only.setObjectName("format_workspace_only")
        self.workspace_only.setEnabled(session.workspace is not None and session.workspace.folder is not None)
        self.analyse_button = QPushButton(self.tr("&Analyser"))
        self.analyse_button.setObjectName("format_analyse")
        self.analyse_button.clicked.connect(self.analyse)

        intro = QLabel(self.tr(
            "L'ASP publie, dans les « documents utiles » de chaque guichet, un <b>modèle de JSON vierge</b> et un "
            "<b>exemple</b>. Choisissez-les : Segur Desktop propose pour chaque clé du modèle la valeur qu'il sait "
            "remplir ; vérifiez, corrigez, puis enregistrez. Les fichiers de ce couloir et de ce type seront alors "
            "écrits dans ce format officiel au lieu du format reconstitué."))
        intro.setWordWrap(True)
        form = QFormLayout()
        add_row(form, self.tr("&Modèle vierge :"), model_row)
        add_row(form, self.tr("&Exemple :"), example_row)
        # Two rows, and dropdowns that elide their longest couloir: in one row they made the dialog 1,030 px wide
        # at least, past the edge of a 1024 px screen.
        for combo in (self.couloir, self.request_type):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
        choice = QHBoxLayout()
        choice.addWidget(self.couloir, 1)
        choice.addWidget(self.request_type, 1)
        choice.addWidget(self.vague)
        form.addRow(self.tr("Couloir et type :"), choice)
        scope = QHBoxLayout()
        scope.addWidget(self.workspace_only, 1)
        scope.addWidget(self.analyse_button)
        form.addRow("", scope)

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("format_keys")
        self.table.setHorizontalHeaderLabels([self.tr("Clé du modèle"), self.tr("Valeur écrite"),
                                              self.tr("Valeur fixe")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(2, 170)
        self.table.verticalHeader().hide()
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("format_preview")
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.preview)
        split.setSizes([700, 450])
        self.status = QLabel()
        self.status.setObjectName("format_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Enregistrer le format"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Fermer"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _file_row(self, name: str, caption: str) -> tuple[QLineEdit, QWidget]:
        edit = QLineEdit()
        edit.setObjectName(name)
        button = QPushButton(self.tr("Choisir…"))
        button.clicked.connect(lambda: self._choose_file(edit, caption))
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        layout.addWidget(button)
        return edit, row

    def _choose_file(self, edit: QLineEdit, caption: str) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, caption, edit.text(), self.tr("Fichiers JSON (*.json)"))
        if path:
            edit.setText(path)

    # --- analysing the official files ---------------------------------------------------------
    def analyse(self) -> None:
        if self.busy:  # one job at a time: a second one would replace the first's in `_job`, its table at random
            return
        model = self.model_edit.text().strip()
        if not model:
            self.status.setText(self.tr("Choisissez d'abord le modèle de JSON vierge de l'ASP."))
            return
        example = self.example_edit.text().strip()
        self.analyse_button.setEnabled(False)
        self.status.setText(self.tr("Lecture du modèle…"))
        job = self.session.workers.call(
            propose, Path(model), couloir=self.couloir.currentData(), request_type=self.request_type.currentData(),
            vague=self.vague.currentData(), example_path=Path(example) if example else None)
        self._job = job
        job.succeeded.connect(self._show_proposal)
        job.failed.connect(self.status.setText)
        job.done.connect(self._job_done)

    def _job_done(self) -> None:
        self._job = None
        self.analyse_button.setEnabled(True)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def _show_proposal(self, proposal: Proposal) -> None:
        self.proposal = proposal
        self.table.setRowCount(len(proposal.mapped))
        for row, mapped in enumerate(proposal.mapped):
            key = QTableWidgetItem(mapped.path)
            key.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, key)
            combo = self._field_combo(mapped)
            if mapped.candidates:
                combo.setToolTip(self.tr("Plusieurs champs conviennent autant : {fields}. Choisissez.").format(
                    fields=self.tr(" ou ").join(mapped.candidates)))
            shown = mapped.value if isinstance(mapped.value, str) else json.dumps(mapped.value, ensure_ascii=False)
            fixed = QLineEdit(shown if mapped.how == "constante" else "")
            fixed.setObjectName(f"format_fixed_{row}")
            fixed.setEnabled(mapped.how == "constante")
            fixed.setPlaceholderText(self.tr("valeur fixe"))
            combo.currentIndexChanged.connect(lambda _i, m=mapped, c=combo, f=fixed: self._chosen(m, c, f))
            fixed.editingFinished.connect(lambda m=mapped, c=combo, f=fixed: self._chosen(m, c, f))
            self.table.setCellWidget(row, 1, combo)
            self.table.setCellWidget(row, 2, fixed)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        self.table.resizeColumnToContents(0)
        self._refresh()

    def _field_combo(self, mapped: Mapped) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"format_field_{mapped.path}")
        combo.addItem(self.tr("— sans source (à renseigner) —"), NO_SOURCE)
        combo.addItem(self.tr("Valeur fixe →"), FIXED)
        catalog = canonical_catalog()
        if mapped.scope == PIECES:
            fields = [f for f in catalog.fields.values() if f.id.startswith(f"{PIECES}[].")]
        else:
            fields = [f for f in catalog.top_level() if f.type != "liste"
                      and (mapped.scope == "demande" or f.level == "fichier" or f.id in ("demande.couloir",
                                                                                          "demande.type"))]
        for f in fields:
            combo.addItem(f"{f.label} ({f.id})", f.id.split("[].")[-1])
        if mapped.how == "constante":
            combo.setCurrentIndex(1)
        elif mapped.field_id:
            combo.setCurrentIndex(max(0, combo.findData(mapped.field_id.split("[].")[-1])))
        return combo

    def _chosen(self, mapped: Mapped, combo: QComboBox, fixed: QLineEdit) -> None:
        assert self.proposal is not None
        choice = combo.currentData()
        fixed.setEnabled(choice == FIXED)
        if choice == FIXED:
            like = mapped.example if mapped.example is not None else mapped.value
            self.proposal.choose(mapped.path, fixed=True, constant=typed_constant(fixed.text(), like))
        else:
            self.proposal.choose(mapped.path, field_id=None if choice == NO_SOURCE else choice)
        self._refresh()

    def _refresh(self) -> None:
        """The preview and what is still missing, after every choice."""
        proposal = self.proposal
        if proposal is None:
            return
        try:
            template = proposal.compiled()
        except TemplateError as exc:
            self.preview.setPlainText(self.tr("Ce choix ne convient pas : {detail}").format(detail=exc))
            return
        validation = self.session.validation
        workspace = self.session.workspace
        shown = preview(template, validation.result.demandes if validation else [],
                        workspace.vendor if workspace else None, proposal.couloir, proposal.type)
        if shown is None:
            self.preview.setPlainText(self.tr("Aucune demande {type} du couloir {couloir} dans le dossier de travail "
                                              "ouvert : pas d'aperçu.").format(type=proposal.type,
                                                                               couloir=proposal.couloir))
        else:
            self.preview.setPlainText(json.dumps(shown, ensure_ascii=False, indent=2))
        gaps = [m.path + (self.tr(" (ambiguë : {fields})").format(fields=self.tr(" ou ").join(m.candidates))
                          if m.candidates and m.path not in proposal.asked else "") for m in proposal.gaps]
        self.status.setText(
            self.tr("Sans source : {keys}. Choisissez un champ ou une valeur fixe pour chacune ; sinon les demandes "
                    "de ce couloir et type resteront en erreur.").format(keys=", ".join(gaps)) if gaps
            else self.tr("Chaque clé du modèle a sa valeur. Champs du produit non écrits : {fields}.").format(
                fields=", ".join(proposal.unused) or self.tr("aucun")))

    # --- saving -------------------------------------------------------------------------------
    def save(self) -> None:
        proposal = self.proposal
        if proposal is None or self.busy:
            return
        workspace = self.session.workspace
        parent = (workspace.folder / "formats" if self.workspace_only.isChecked() and workspace and workspace.folder
                  else user_data_dir() / "formats")
        example = self.example_edit.text().strip()
        job = self.session.workers.writes().call(save, proposal, parent, model_path=Path(self.model_edit.text().strip()),
                                               example_path=Path(example) if example else None, replace=True)
        self._job = job
        job.succeeded.connect(self._saved)
        job.failed.connect(self.status.setText)
        job.done.connect(self._job_done)

    def _saved(self, folder: Path) -> None:
        self.saved = folder
        self.status.setText(self.tr("Format enregistré dans « {path} » ; le dossier de travail est revérifié avec "
                                    "lui.").format(path=folder))
        if self.session.workspace is not None:
            self.session.revalidate()
