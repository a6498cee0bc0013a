"""What the Suivi page's actions do: status changes, status files, follow-up bundles, differences, the register.

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

from PySide6.QtWidgets import QFileDialog, QMessageBox

from segur_desktop.core.export.manifest import MANIFEST
from segur_desktop.core.normalise.amounts import format_count
from segur_desktop.core.register import backup
from segur_desktop.core.register.followup import (
    ELIGIBLE,
    TO_MODIFY,
    FollowUpResult,
    Modification,
    modification,
    write_followup,
)
from segur_desktop.core.register.record import record_bundle
from segur_desktop.core.register.statusfile import StatusFilePlan, apply_status_file, plan_status_file
from segur_desktop.core.register.store import RecordOutcome, StatusChange, StatusOutcome
from segur_desktop.gui.status_dialogs import DifferencesDialog, StatusDialog, StatusFileDialog, describe_outcome
from segur_desktop.gui.workers import Job

SKIPPED_SHOWN = 10


class TrackingActions:
    """Mixed into `TrackingPage`: uses its actions, selection, `result` label, session and `tracking`."""

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
        eligible = [e for e in selected if e.status in ELIGIBLE]
        self.followup_action.setEnabled(idle and bool(eligible) and validation is not None)
        self.followup_action.setToolTip(
            self.tr("Pour les demandes « en attente de pièces-jointes complémentaires », « à modifier » ou "
                    "« incomplète » sélectionnées.") if validation is not None else self.tr(
                "Vérifiez d'abord le dossier de travail (F5) : le paquet de suivi vient de ses pièces et de ses "
                "données corrigées."))
        self.differences_action.setEnabled(idle and len(selected) == 1
                                           and selected[0].status == TO_MODIFY and validation is not None)
        self.open_button.setEnabled(self.folder is not None)  # no stat here: the folder may be on a share

    def _run(self, job: Job, title: str, succeeded) -> Job:
        """The page's one job: a write, or a read whose answer opens a dialog. Until it is done the actions are
        off, so a second click before the progress dialog shows (300 ms) starts nothing: two imports of a status
        file within that time opened two previews."""
        job.succeeded.connect(succeeded)
        job.failed.connect(self._failed)
        job.cancelled.connect(lambda: self._say(self.tr("Opération annulée : rien n'a été changé.")))
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
        job = self.session.workers.writes().call(self.tracking.register.set_status, changes,
                                                 source=self.tr("fenêtre"), force=force)
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
        if isinstance(self.dialog, StatusFileDialog) and self.dialog.isVisible():  # one preview at a time
            self.dialog.raise_()
            self.dialog.activateWindow()
            return None
        if path is None:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, self.tr("Importer un fichier de statuts (liste du portail ou suivi de l'éditeur)"),
                self.settings.last_folder("statuts"),
                self.tr("Fichier de statuts (*.csv *.txt *.xlsx *.xlsm *.xlsb *.xls *.ods)"))
            if not chosen:
                return None
            path = Path(chosen)
            self.settings.set_last_folder("statuts", path.parent)
        validation = self.session.validation  # lines the register lacks but the workspace builds are taken over
        job = self.session.workers.start(plan_status_file, self.tracking.register, path,
                                         validation.result if validation is not None else None)
        return self._run(job, self.tr("Lecture du fichier de statuts"), self._preview)

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
        job = self.session.workers.writes().call(apply_status_file, self.tracking.register, plan, force=force)
        return self._run(job, self.tr("Application du fichier de statuts"), self._status_changed)

    # « Préparer le paquet de suivi… »
    def prepare_followup(self, destination: Path | None = None) -> Job | None:
        ids = [e.id for e in self.selected_entries() if e.status in ELIGIBLE]
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
        if len(selected) != 1 or validation is None or self.tracking is None or self._job is not None:
            return None
        job = self.session.workers.call(modification, self.tracking.register, validation.result, selected[0].id)
        return self._run(job, self.tr("Comparaison avec la demande déposée"), self._show_modification)

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
        job = self.session.workers.writes().call(backup.export_register, self.tracking.register, path)
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
        job = self.session.workers.writes().call(backup.import_register, self.tracking.register, path)
        return self._run(job, self.tr("Import d'une sauvegarde du registre"),
                         lambda outcome: self._backup_imported(path, outcome))

    def _backup_imported(self, path: Path, summary: backup.ImportSummary) -> None:
        added = (summary.exports_added, summary.demandes_added, summary.demandes_updated, summary.history_added)
        if not any(added) and not (summary.avenants_added or summary.avenants_updated):
            self._say(self.tr("Sauvegarde « {name} » importée : le registre connaissait déjà tout ce qu'elle "
                              "contient.").format(name=path.name))
            return
        self._say(self.tr("Sauvegarde « {name} » importée : {exports} paquet(s) et {demandes} demande(s) ajoutés, "
                          "{updated} demande(s) mise(s) à jour, {history} changement(s) d'historique ajoutés.").format(
            name=path.name, exports=format_count(added[0]), demandes=format_count(added[1]),
            updated=format_count(added[2]), history=format_count(added[3])))
        self._written()
