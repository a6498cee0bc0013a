"""The Export page: what the bundle will hold, where it goes, then the bundle, verified.

Top: per couloir and type, what will be exported and what left out (the
core's `plan_export` on the latest validation), each couloir and type
checkable; a « hors délai » box appears only for closed guichets that keep
valid demandes out; below, every demande or BDC row left out and why. Bottom:
the destination folder (remembered in the settings), « Exporter », then the
verification report with « Ouvrir le dossier » and « Vérifier un paquet… ».
The export itself runs on the session's write pool (one export at a time) with
the window's progress dialog and its Cancel. It writes the validation the
page shows; a source saved since that validation is refused (revalidate, F5).
The same job then records the bundle in the vendor's Suivi register (its
demandes enter as « exportée »), through the core's one rule for it
(`core/register/journal.py`: journaled before publishing, so a kill between
the two is recovered when the register next opens), and the page tells the
session the register changed.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from segur_desktop.core.calendar import format_instant
from segur_desktop.core.export.manifest import MANIFEST
from segur_desktop.core.export.plan import ExportOptions, ExportPlan, GroupKey, GroupPlan, Reason, plan_export
from segur_desktop.core.export.verify import BundleCheck, render_check, verify_bundle
from segur_desktop.core.normalise.amounts import format_count, format_fr
from segur_desktop.core.progress import CancelToken, ProgressCallback
from segur_desktop.core.register import register_for
from segur_desktop.core.register.journal import Exported, export_and_record
from segur_desktop.core.workspace import Workspace
from segur_desktop.gui.control_instant import fixed_instant
from segur_desktop.gui.models.export_models import DEMANDE, DETAILS, REASON, WHERE, GroupsModel, LeftOutModel
from segur_desktop.gui.session import Session, Validation
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.widgets.layout import fit_columns, remember_splitter, stretch_last_column
from segur_desktop.gui.workers import Job, LatestJob

SETTINGS_PURPOSE = "export"


class ExportPage(QWidget):
    open_path = Signal(object)  # Path of a folder to open in the OS's file manager
    format_requested = Signal()  # « Charger le format officiel… »: the window opens the Format de dépôt dialog

    def __init__(self, session: Session, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.plan: ExportPlan | None = None
        self.destination: Path | None = None
        self.bundle: Path | None = None  # the last bundle written
        self._excluded: set[GroupKey] = set()
        self._hors_delai: set[GroupKey] = set()
        self._closed_boxes: dict[GroupKey, QCheckBox] = {}
        self._choices_for: Path | None = None  # the workspace folder the choices above were made for
        self._job: Job | None = None

        self.empty = QLabel(self.tr("Ouvrez un dossier de travail (Fichier → Ouvrir, Ctrl+O) : sa vérification dit ce "
                                    "qui peut être exporté."))
        self.empty.setObjectName("export_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        self.summary = QLabel()
        self.summary.setObjectName("export_summary")
        self.summary.setWordWrap(True)
        self.format_banner = QLabel()
        self.format_banner.setObjectName("format_banner")
        self.format_banner.setWordWrap(True)
        self.format_banner.setStyleSheet("QLabel#format_banner { background: #fff4ce; border: 1px solid #e0b000; "
                                         "padding: 6px; }")
        self.format_button = QPushButton(self.tr("Charger le &format officiel…"))
        self.format_button.setObjectName("format_button")
        self.format_button.clicked.connect(self.format_requested)
        self.format_box = QWidget()
        banner_layout = QHBoxLayout(self.format_box)
        banner_layout.setContentsMargins(0, 0, 0, 0)
        banner_layout.addWidget(self.format_banner, 1)
        banner_layout.addWidget(self.format_button, 0, Qt.AlignmentFlag.AlignTop)
        self.format_box.hide()
        self.groups_model = GroupsModel(self)
        self.groups_model.chosen_changed.connect(self._choose)
        self.groups = QTableView()
        self.groups.setObjectName("export_groups")
        self.groups.setModel(self.groups_model)
        self.groups.verticalHeader().hide()
        self.groups.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        stretch_last_column(self.groups)
        self.groups.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)

        self.closed_box = QGroupBox(self.tr("Guichets fermés"))
        self.closed_box.setObjectName("closed_guichets")
        closed_layout = QVBoxLayout(self.closed_box)
        note = QLabel(self.tr("Ces guichets sont fermés à l'instant de contrôle : leurs demandes ne sont exportées que "
                              "si vous le demandez explicitement, et le manifeste l'indiquera (« hors délai »)."))
        note.setWordWrap(True)
        closed_layout.addWidget(note)
        self.closed_layout = closed_layout
        self.again = QCheckBox(self.tr("Exporter de nouveau les demandes déjà exportées qui n'ont pas de statut du "
                                       "portail (paquet perdu, ou à refaire)"))
        self.again.setObjectName("export_again")  # shown only when there are some (or it is ticked)
        self.again.hide()
        self.again.toggled.connect(self.refresh)
        self.instant = QLabel()  # the control instant the guichets were judged at
        self.instant.setObjectName("export_instant")
        self.instant.setWordWrap(True)

        self.left_out_model = LeftOutModel(self)
        self.left_out_label = QLabel()
        self.left_out = QTableView()
        self.left_out.setObjectName("export_left_out")
        self.left_out.setModel(self.left_out_model)
        self.left_out.verticalHeader().hide()
        self.left_out.verticalHeader().setDefaultSectionSize(22)
        self.left_out.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.left_out.horizontalHeader().setResizeContentsPrecision(200)  # fit on a sample, not thousands of rows
        stretch_last_column(self.left_out)
        self._fitting = self._left_out_user_sized = False
        self.left_out.horizontalHeader().sectionResized.connect(self._on_left_out_resized)
        self.left_out.viewport().installEventFilter(self)
        self.left_out.setWordWrap(False)  # one line per row; each cell's whole text is its tooltip
        self.left_out.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)

        self.destination_edit = QLineEdit()
        self.destination_edit.setObjectName("export_destination")
        self.destination_edit.setReadOnly(True)
        choose = QPushButton(self.tr("&Choisir…"))
        choose.setObjectName("choose_destination")
        choose.clicked.connect(self.choose_destination)
        self.as_zip = QCheckBox(self.tr("Un seul fichier .zip au lieu d'un dossier"))
        self.as_zip.setObjectName("export_as_zip")
        self.export_button = QPushButton(self.tr("&Exporter"))
        self.export_button.setObjectName("export_button")
        self.export_button.clicked.connect(self.export)
        destination = QHBoxLayout()
        destination.addWidget(QLabel(self.tr("Dossier de destination :")))
        destination.addWidget(self.destination_edit, 1)
        destination.addWidget(choose)
        destination.addWidget(self.as_zip)
        destination.addWidget(self.export_button)

        self.content = QWidget()
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.format_box)
        top_layout.addWidget(self.instant)
        top_layout.addWidget(self.summary)
        top_layout.addWidget(self.groups, 1)
        top_layout.addWidget(self.closed_box)
        top_layout.addWidget(self.again)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.left_out_label)
        bottom_layout.addWidget(self.left_out, 1)
        self.splitter = split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        remember_splitter(split, settings, "export/vertical")
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(split, 1)
        content_layout.addLayout(destination)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.content)

        self.result = QLabel(self.tr("Le paquet est écrit dans un dossier temporaire, vérifié, puis renommé : "
                                     "jamais à moitié écrit. Vos fichiers ne sont que lus."))
        self.result.setObjectName("export_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report = QPlainTextEdit()
        self.report.setObjectName("export_report")
        self.report.setReadOnly(True)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report.hide()
        self.open_button = QPushButton(self.tr("&Ouvrir le dossier"))
        self.open_button.setObjectName("open_bundle")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_bundle)
        self.verify_button = QPushButton(self.tr("&Vérifier un paquet…"))
        self.verify_button.setObjectName("verify_bundle")
        self.verify_button.clicked.connect(self.choose_and_verify)
        buttons = QHBoxLayout()
        buttons.addWidget(self.result, 1)
        buttons.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addWidget(self.verify_button, 0, Qt.AlignmentFlag.AlignTop)

        heading = QLabel(self.tr("<h2>Export</h2>Un paquet prêt à déposer : pour chaque couloir et type, le fichier JSON "
                                 "des demandes valides et le zip de leurs pièces, plus le manifeste, le récapitulatif "
                                 "imprimable et les anomalies à corriger."))
        heading.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.stack, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.report, 1)

        self._plan = LatestJob(self)  # a checkbox changed or a new validation: the newer plan wins
        self._check = LatestJob(self)  # a bundle checked again: the newer verdict wins, whichever ends last
        session.validated.connect(self.show_validation)
        session.workspace_changed.connect(self._on_workspace_changed)
        self.show_validation(session.validation)

    # --- what will be exported --------------------------------------------------------------
    def options(self) -> ExportOptions:
        """What the page's checkboxes ask for; the couloirs chosen are among those of the latest validation."""
        validation = self.session.validation
        keys = {(d.couloir.code, d.type) for d in validation.result.demandes} if validation else set()
        only = frozenset(keys - self._excluded) if self._excluded else None
        return ExportOptions(hors_delai=frozenset(self._hors_delai), only=only, as_zip=self.as_zip.isChecked(),
                             exported_again=self.again.isChecked())

    def _on_workspace_changed(self, workspace: Workspace | None) -> None:
        """Another workspace: the couloirs left out and the « hors délai » marked were the previous one's."""
        folder = workspace.folder if workspace is not None else None
        if folder != self._choices_for:
            self._choices_for = folder
            self._excluded.clear()
            self._hors_delai.clear()
            for box in self._closed_boxes.values():
                box.deleteLater()
            self._closed_boxes.clear()
            self.closed_box.hide()
            self._set_again(False)
        self._default_destination()

    def show_validation(self, validation: Validation | None) -> None:
        if validation is None:
            self.plan = None
            if self.session.workspace is not None:
                self.empty.setText(self.tr("Le dossier « {name} » n'a pas pu être vérifié : corrigez le fichier "
                                           "signalé (page Import), puis revérifiez (F5).").format(
                    name=self.session.workspace.name))
            self.stack.setCurrentWidget(self.empty)
            self._update_buttons()
            return
        self._default_destination()
        self.plan = None
        self._update_buttons()
        self.stack.setCurrentWidget(self.content)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.plan is None:
            self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The left-out rows' new width (window or splitter): their columns fit it again, until the user sizes one;
        fitted at 1920 px, they kept their widths at 1024 and the detail, its reason first, was cut to its start."""
        if event.type() == QEvent.Type.Resize and watched is self.left_out.viewport() and self.isVisible():
            if not self._left_out_user_sized:
                self._fit_left_out()
        return super().eventFilter(watched, event)

    def _fit_left_out(self) -> None:
        """As wide as their text within a share each; the detail (its reason first) gets what is left."""
        self._fitting = True
        fit_columns(self.left_out, [REASON, WHERE, DEMANDE], share={REASON: 0.2, WHERE: 0.3, DEMANDE: 0.18},
                    minimum=80, reserve=320)
        self._fitting = False

    def _on_left_out_resized(self, column: int, _old: int, _new: int) -> None:
        if column != DETAILS and not self._fitting and self.isVisible():  # DETAILS: stretched with the view
            self._left_out_user_sized = True

    def refresh(self) -> None:
        """Ask the core again what goes in (a checkbox changed, or a new validation).

        In a worker, and only while the page is shown: planning 20k demandes
        takes a fifth of a second, which would stall the window each time a
        big workspace is checked from another page.
        """
        validation = self.session.validation
        if validation is None or not self.isVisible():
            return
        self._plan.follow(self.session.workers.call(plan_export, validation.result, self.options()),
                          succeeded=self._show_plan, failed=self._plan_failed, done=self._update_buttons)

    @property
    def planning(self) -> bool:
        """The plan shown is being computed again (tests and the export button wait for it)."""
        return self._plan.running

    def _show_plan(self, plan: ExportPlan) -> None:
        self.plan = plan
        self.groups_model.set_groups(plan.groups)
        self.left_out_model.set_items(plan.left_out)
        self._fit_left_out()
        files = sum(1 for g in plan.groups if g.exported)
        summary = self.tr("{n} demande(s) à exporter dans {files} fichier(s) de dépôt, {amount} HT demandés ; "
                          "{left} écartée(s).").format(
            n=format_count(plan.exported), files=files,
            amount=format_fr(sum((g.requested_ht for g in plan.groups), Decimal(0))), left=format_count(len(plan.left_out)))
        deposited = sum(1 for item in plan.left_out if item.reason is Reason.DEPOSITED)
        if deposited:
            summary += " " + self.tr("Dont {n} déjà déposée(s), suivie(s) dans la page Suivi : elles ne sont pas "
                                     "exportées de nouveau.").format(n=format_count(deposited))
        exported = sum(1 for item in plan.left_out if item.reason is Reason.EXPORTED)
        if exported:
            summary += " " + self.tr("Dont {n} déjà exportée(s), sans statut du portail : pas remises dans un paquet "
                                     "(déposées ? indiquez leur statut dans la page Suivi).").format(
                n=format_count(exported))
        self.summary.setText(summary)
        self._show_instant(plan)
        self.again.setVisible(bool(exported) or self.again.isChecked())
        self._show_formats(plan)
        self.left_out_label.setText(self.tr("Écartées et pourquoi ({n}) — aussi dans recapitulatif.html et "
                                            "anomalies.xlsx").format(n=format_count(len(plan.left_out))))
        self._show_closed(plan.groups)
        self._update_buttons()

    def _show_instant(self, plan: ExportPlan) -> None:
        """One line: the instant the guichets of this plan were judged at, fixed or the check's own."""
        at = format_instant(plan.result.at)
        self.instant.setText(self.tr("Guichets jugés au {at} (fixé)").format(at=at) if fixed_instant(self.session)
                             else self.tr("Guichets jugés maintenant : {at}, heure de la vérification (F5 pour "
                                          "revérifier)").format(at=at))

    def _set_again(self, checked: bool) -> None:
        """Tick or untick « Exporter de nouveau » without planning again (the caller plans, or a new check will)."""
        self.again.blockSignals(True)
        self.again.setChecked(checked)
        self.again.blockSignals(False)

    def _show_formats(self, plan: ExportPlan) -> None:
        """The banner, while a couloir and type to export would be written in the reconstructed format."""
        registry = plan.result.registry
        reconstructed = [f"{g.couloir} {g.type}" for g in plan.groups if g.exported
                         and (entry := registry.entry(g.couloir, g.type)) is not None and not entry.format.official]
        self.format_banner.setText(self.tr(
            "<b>Format reconstitué</b> pour {groups} : les noms de champs de ces fichiers sont ceux de Segur Desktop, "
            "pas ceux de l'ASP, et le portail peut les refuser. L'ASP publie un modèle de JSON vierge et un exemple "
            "dans les « documents utiles » de chaque guichet : chargez-les pour écrire le format officiel "
            "(Fichier → Format de dépôt…, ou segur-desktop format import).").format(groups=", ".join(reconstructed)))
        self.format_box.setVisible(bool(reconstructed))

    def _plan_failed(self, message: str) -> None:
        """The core could not plan (a user calendar that no longer reads): say why on the page; nothing to export."""
        self.plan = None
        self.groups_model.set_groups([])
        self.left_out_model.set_items([])
        self._show_closed([])
        self.summary.setText(self.tr("Impossible de préparer l'export : {message}").format(message=message))
        self.left_out_label.clear()
        self._update_buttons()

    def _choose(self, key: GroupKey, chosen: bool) -> None:
        if chosen:
            self._excluded.discard(key)
        else:
            self._excluded.add(key)
        self.refresh()

    def _show_closed(self, groups: list[GroupPlan]) -> None:
        """One checkbox per closed guichet that keeps valid demandes out (or was marked): and only those."""
        wanted = {g.key: g for g in groups if g.closed and (g.blocked or g.key in self._hors_delai)}
        for key in list(self._closed_boxes):
            if key not in wanted:
                self._closed_boxes.pop(key).deleteLater()
        for key, group in wanted.items():
            box = self._closed_boxes.get(key)
            if box is None:
                box = QCheckBox()
                box.setObjectName(f"hors_delai_{group.couloir}_{group.type}")
                box.setChecked(key in self._hors_delai)
                box.toggled.connect(lambda checked, key=key: self._mark_hors_delai(key, checked))
                self._closed_boxes[key] = box
                self.closed_layout.addWidget(box)
            count = group.blocked or sum(1 for item in group.exported if item.hors_delai)
            box.setText(self.tr("Exporter quand même {couloir} {type} « hors délai » — guichet fermé depuis le "
                                "{closing} ({n} demande(s) valide(s))").format(
                couloir=group.couloir, type=group.type, n=count,
                closing=group.closing.label() if group.closing else self.tr("date inconnue")))
        self.closed_box.setVisible(bool(wanted))

    def _mark_hors_delai(self, key: GroupKey, checked: bool) -> None:
        if checked:
            self._hors_delai.add(key)
        else:
            self._hors_delai.discard(key)
        self.refresh()

    # --- where ------------------------------------------------------------------------------
    def _default_destination(self) -> None:
        """The folder chosen last time (settings), else the workspace's output folder."""
        remembered = Path(self.settings.last_folder(SETTINGS_PURPOSE))
        workspace = self.session.workspace
        if remembered != Path.home() or workspace is None or workspace.output is None:
            self.set_destination(remembered)
        else:
            self.set_destination(workspace.output)

    def set_destination(self, folder: Path) -> None:
        self.destination = folder
        self.destination_edit.setText(str(folder))
        self._update_buttons()

    def choose_destination(self) -> None:
        start = str(self.destination) if self.destination else self.settings.last_folder(SETTINGS_PURPOSE)
        folder = QFileDialog.getExistingDirectory(self, self.tr("Dossier où créer le paquet"), start)
        if folder:
            self.settings.set_last_folder(SETTINGS_PURPOSE, Path(folder))
            self.set_destination(Path(folder))

    # --- the export -------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        ready = (self.plan is not None and self.plan.exported > 0 and self.destination is not None
                 and self._job is None and not self.planning)
        self.export_button.setEnabled(ready)
        self.export_button.setToolTip("" if ready or self.plan is None or self.plan.exported else self.tr(
            "Aucune demande ne peut être exportée : voir les demandes écartées."))
        self.open_button.setEnabled(self.bundle is not None)  # no stat here: the destination may be a share

    def export(self) -> Job | None:
        """Write the bundle of the validation shown, in the write pool; the window shows the progress (with Annuler)."""
        validation = self.session.validation
        if validation is None or self.destination is None or self._job is not None:
            return None
        job = self.session.workers.writes().start(_export_and_record, validation.result, self.destination,
                                                  self.options())
        self._job = job
        job.succeeded.connect(self._exported)
        job.failed.connect(self._failed)
        job.cancelled.connect(lambda: self._say(self.tr("Export annulé : rien n'a été écrit."), None))
        job.done.connect(self._finished)
        self.result.setText(self.tr("Export en cours…"))
        self._update_buttons()
        self.session.job_started.emit(job, self.tr("Export du paquet"))
        return job

    def _exported(self, exported: Exported) -> None:
        outcome = exported.result
        if outcome.bundle is None or outcome.check is None:
            self._say(self.tr("Rien n'a été exporté : aucune demande ne peut l'être (voir les demandes écartées)."), None)
            return
        self.bundle = outcome.bundle
        plan = outcome.plan
        text = self.tr("Paquet écrit et vérifié : {path}\n{n} demande(s) exportée(s), {left} écartée(s) "
                       "(voir recapitulatif.html et anomalies.xlsx).").format(
            path=outcome.bundle, n=format_count(plan.exported), left=format_count(len(plan.left_out)))
        recorded = exported.recorded
        if recorded is not None:
            text += "\n" + self.tr("Suivi : {n} demande(s) entrée(s) dans le registre « exportée » ({again} déjà "
                                   "suivie(s)) ; une fois le paquet déposé, indiquez leur statut (page Suivi).").format(
                n=format_count(len(recorded.new)), again=format_count(len(recorded.again)))
        else:
            text += "\n" + self.tr("Le paquet n'a pas pu être enregistré dans le suivi : {problem} Il y entrera à la "
                                   "prochaine ouverture de ce dossier de travail, ou dès maintenant par Suivi › "
                                   "Registre › Enregistrer un paquet….").format(problem=exported.problem)
        self._say(text, outcome.check)
        self._set_again(False)  # what was just exported stays out of the next bundle unless asked again
        if recorded is not None and not recorded.already_recorded:
            self.plan = None  # no second click on the plan just exported, while the session checks again
            self.session.register_changed.emit()  # the session revalidates: the plan shown next leaves them out
        else:
            self.refresh()

    def _failed(self, message: str) -> None:
        self._say(self.tr("L'export n'a pas pu se faire : {message}").format(message=message), None)

    def _finished(self) -> None:
        self._job = None
        self._update_buttons()

    def _say(self, text: str, check: BundleCheck | None) -> None:
        self.result.setText(text)
        self.report.setVisible(check is not None)
        if check is not None:
            self.report.setPlainText(render_check(check))
        self._update_buttons()

    def _open_bundle(self) -> None:
        if self.bundle is not None:
            self.open_path.emit(self.bundle.parent if self.bundle.suffix == ".zip" else self.bundle)  # a zip: its folder

    # --- checking any bundle ----------------------------------------------------------------
    def choose_and_verify(self) -> None:
        start = str(self.destination) if self.destination else self.settings.last_folder(SETTINGS_PURPOSE)
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Vérifier un paquet : choisissez son manifest.json, ou son .zip"), start,
            self.tr("Paquet de dépôt (manifest.json *.zip)"))
        if path:
            self.verify(Path(path))

    def verify(self, path: Path) -> Job:
        """Check a bundle (its folder, its manifest.json, or its zip) off the GUI thread."""
        bundle = path.parent if path.name == MANIFEST else path
        # With the open workspace's register: each file is compared with what was recorded at export.
        job = self._check.follow(
            self.session.workers.start(verify_bundle, bundle, register=self.session.register),
            succeeded=lambda check: self._say((self.tr("Paquet conforme : {path}") if check.ok else self.tr(
                "Paquet NON CONFORME : {path}")).format(path=bundle), check),
            failed=lambda message: self._say(message, None))
        self.session.job_started.emit(job, self.tr("Vérification du paquet"))
        return job


def _export_and_record(result, destination: Path, options: ExportOptions, *, progress: ProgressCallback,
                       cancel: CancelToken) -> Exported:
    """Write the bundle and record it in the vendor's register (journaled first: see `core/register/journal.py`),
    one job, so the window never waits on either. A register that cannot be opened stops the export before
    anything is written: the window always records what it exports."""
    return export_and_record(result, destination, options, register_for(result.workspace), progress=progress,
                             cancel=cancel)
