"""The Import page: the workspace's three inputs, and how each list's columns are read, fixable in place.

Top: the client list, the BDC list and the PDFs' folder, each with « Choisir… »
(they can also be dropped on the window: `receive`). Below, one tab per list:
its first rows as Excel shows them, detected header row highlighted, next to
one dropdown per field, preset with the column the pipeline reads today or,
for a missing field, the closest column (to check). « Enregistrer et
réimporter » (Ctrl+S) saves the choices as the workspace's mapping profile,
points workspace.json at it and revalidates. Under the tabs, the kinds of key
(FINESS ET, SIRET…) by which the lists would be joined with the columns chosen
now, or a warning when they share none (no row could find its client); after a
check, how many demandes each key joined. « Créer un modèle Excel… » writes
a blank workbook these lists can come from, read with no mapping at all
(`core.template`; the choice is `gui/template_dialog.py`). Each list's tab is a
`MappingPanel` (`mapping_panel.py`).

Every file is read or written in a worker (`core.preview`); the page keeps
only the user's pending choices, and the core decides what a file holds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from segur_desktop.core.couloirs import load_catalog
from segur_desktop.core.errors import InputError
from segur_desktop.core.preview import Dropped, preview, save_mapping, shared_keys, sort_dropped
from segur_desktop.core.profiles import PROFILES_FOLDER
from segur_desktop.core.report import joined_by_text
from segur_desktop.core.template import WrittenTemplate
from segur_desktop.core.workspace import Fingerprint, Workspace
from segur_desktop.gui.new_workspace import SPREADSHEETS
from segur_desktop.gui.pages.mapping_panel import COMPLETE_STYLE, PROBLEM_STYLE, MappingPanel
from segur_desktop.gui.session import Session, Validation
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.template_dialog import SETTINGS_PURPOSE as TEMPLATE_FOLDER
from segur_desktop.gui.template_dialog import Existing, TemplateDialog, TemplateRequest, write_unless_existing
from segur_desktop.gui.workers import Job, LatestJob, Workers


class Source(NamedTuple):
    """What a list's preview was made from: a change to any of it means reading the file again."""

    path: Path
    sheet: str | None
    pinned: dict[str, str]  # the workspace's field -> header for this list
    stamp: Fingerprint  # (size, mtime): the file saved again from Excel; None: no such file, or not checked yet


def _sources(workspace: Workspace, read: dict[Path, Fingerprint]) -> dict[str, Source]:
    """Each list's source, stamped as the session's last check found its file (`Session.read`, stat'ed in the
    worker: no stat here, on a share that may not answer); a file not checked yet is stamped None."""
    return {list_kind: Source(path, sheet, workspace.mapping.get(list_kind, {}), read.get(path))
            for list_kind, path, sheet in (("clients", workspace.clients, workspace.clients_sheet),
                                      ("bdc", workspace.bdc, workspace.bdc_sheet))}


# The core's messages are the command line's too: the options they name mean nothing in the window.
CLI_HINTS = {
    "(--sheet)": "(si la liste est sur une autre feuille que celle nommée ici, enregistrez-la seule dans un "
                 "classeur et choisissez celui-ci dans la page Import)",
}


def for_window(message: str) -> str:
    """A core message as the window says it: no command-line option the user cannot type anywhere."""
    for cli, window in CLI_HINTS.items():
        message = message.replace(cli, window)
    return message


class ImportPage(QWidget):
    def __init__(self, session: Session, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        # Per purpose, its latest job: a list read again, files dropped again, the mapping saved.
        self._jobs = {purpose: LatestJob(self) for purpose in ("clients", "bdc", "drop", "save")}
        self._shown: dict[str, Source] = {}  # list_kind -> what its panel shows or is loading

        self.problem = QLabel("")
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()

        self.titles = {"clients": self.tr("Liste des clients"), "bdc": self.tr("Bons de commande"),
                       "soldes": self.tr("Liste des soldes (mêmes colonnes que les bons de commande)"),
                       "pieces": self.tr("Dossier des pièces (PDF)")}
        mnemonics = {"clients": self.tr("Liste des c&lients :"), "bdc": self.tr("&Bons de commande :"),
                     "soldes": self.tr("Liste des &soldes (facultatif) :"),
                     "pieces": self.tr("Dossier des &pièces (PDF) :")}
        self.paths: dict[str, QLineEdit] = {}
        self.choose_buttons: dict[str, QPushButton] = {}
        inputs = QGridLayout()
        for row, (input_name, text) in enumerate(mnemonics.items()):
            path = QLineEdit()
            path.setObjectName(f"{input_name}_path")
            path.setReadOnly(True)
            button = QPushButton(self.tr("Choisir…"))
            button.setObjectName(f"choose_{input_name}")
            button.clicked.connect(lambda _checked=False, input_name=input_name: self.choose(input_name))
            label = QLabel(text)
            label.setBuddy(button)
            inputs.addWidget(label, row, 0)
            inputs.addWidget(path, row, 1)
            inputs.addWidget(button, row, 2)
            self.paths[input_name], self.choose_buttons[input_name] = path, button
        # The soldes' own list is optional: soldes may also be rows of type « Solde » in the BDC list.
        self.remove_soldes = QPushButton(self.tr("Retirer"))
        self.remove_soldes.setObjectName("remove_soldes")
        self.remove_soldes.setToolTip(self.tr("Ne plus lire de liste des soldes séparée."))
        self.remove_soldes.clicked.connect(lambda: self.session.edit({"inputs": {"soldes": None, "soldes_feuille": None}}))
        inputs.addWidget(self.remove_soldes, list(mnemonics).index("soldes"), 3)
        inputs.setColumnStretch(1, 1)

        self.panels = {list_kind: MappingPanel(list_kind) for list_kind in ("clients", "bdc")}
        self.tabs = QTabWidget()
        self.tabs.addTab(self.panels["clients"], self.tr("&Clients"))
        self.tabs.addTab(self.panels["bdc"], self.tr("Bons de co&mmande"))
        self.join = QLabel("")
        self.join.setObjectName("join_keys")
        self.join.setWordWrap(True)
        self.join.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.joined = QLabel("")
        self.joined.setObjectName("joined_by")
        self.joined.setWordWrap(True)
        self.joined.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for panel in self.panels.values():
            panel.changed.connect(self._update_save)
            panel.changed.connect(self._update_join)
        self.save_button = QPushButton(self.tr("&Enregistrer et réimporter"))
        self.save_button.setObjectName("save_mapping")
        self.save_button.setToolTip(self.tr("Enregistre la correspondance des colonnes dans un profil du dossier de "
                                            "travail, puis revérifie le dossier (Ctrl+S)."))
        self.save_button.clicked.connect(self.save)
        self.template_button = QPushButton(self.tr("Créer un m&odèle Excel…"))
        self.template_button.setObjectName("create_template")
        self.template_button.setToolTip(self.tr("Un classeur à remplir (clients et bons de commande) pour un couloir et "
                                                "un type de demande, que Segur Desktop lit sans réglage."))
        self.template_button.clicked.connect(self.create_template)
        self.confirmation = QLabel("")  # « Correspondance enregistrée dans … ; dossier revérifié. »
        self.confirmation.setObjectName("mapping_saved")
        self.confirmation.setWordWrap(True)
        self.confirmation.setStyleSheet(COMPLETE_STYLE)
        self.confirmation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.template_result = QLabel("")
        self.template_result.setObjectName("template_result")
        self.template_result.setWordWrap(True)
        self.template_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addWidget(self.problem)
        layout.addLayout(inputs)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.join)
        layout.addWidget(self.joined)
        layout.addWidget(self.confirmation)
        bottom = QHBoxLayout()
        bottom.addWidget(self.template_button)
        bottom.addWidget(self.template_result, 1)
        bottom.addWidget(self.save_button)
        layout.addLayout(bottom)

        session.workspace_changed.connect(self.show_workspace)
        session.validated.connect(self._on_validated)
        session.problem.connect(self._show_problem)
        session.job_started.connect(lambda job, _title: job.done.connect(self._when_idle))
        self.show_workspace(session.workspace)
        self._on_validated(session.validation)
        self._when_idle()

    @property
    def busy(self) -> bool:
        """A file is waiting to be read, being read, or the mapping being saved (the save button waits)."""
        workspace = self.session.workspace
        return (any(latest.running for latest in self._jobs.values())
                or (workspace is not None and _sources(workspace, self.session.read) != self._shown))

    # --- the workspace's files --------------------------------------------------------------------
    def show_workspace(self, workspace: Workspace | None) -> None:
        """Show the workspace's files at once; a list whose file, sheet or mapping changed is read once the
        session is idle (`_when_idle`)."""
        if workspace is None:
            self._clear()
            return
        for input_name, path in (("clients", workspace.clients), ("bdc", workspace.bdc), ("soldes", workspace.soldes),
                           ("pieces", workspace.pieces)):
            self.paths[input_name].setText(str(path) if path is not None else self.tr("(aucun)"))
            self.choose_buttons[input_name].setEnabled(True)
        self.remove_soldes.setEnabled(workspace.soldes is not None)
        for list_kind, source in _sources(workspace, self.session.read).items():
            if self._shown.get(list_kind) != source:
                self.panels[list_kind].show_message(self.tr("Lecture de {name}…").format(name=source.path.name))
        self._update_save()

    def _when_idle(self) -> None:
        """Read again each list whose file, sheet or mapping changed, once no validation is running.

        Never beside the pipeline: `core.read` shares one open workbook per file
        between threads, and calamine refuses two threads reading it at once
        (RuntimeError "Already mutably borrowed"), which would crash the run.
        And only while the page is shown: calamine parses a whole sheet holding
        Python's lock (about 0.1 s per 10k rows), which would stall the window
        each time a big workspace is checked if previews nobody looks at were
        read in the background.
        """
        if self.session.busy or not self.isVisible():
            return
        workspace = self.session.workspace
        if workspace is None:
            self._clear()
            return
        for list_kind, source in _sources(workspace, self.session.read).items():
            if self._shown.get(list_kind) != source:
                self._load(list_kind, source)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._when_idle()

    def _clear(self) -> None:
        for purpose in ("clients", "bdc"):
            self._jobs[purpose].drop()
        self._shown.clear()
        for input_name, path in self.paths.items():
            path.clear()
            self.choose_buttons[input_name].setEnabled(False)
        for panel in self.panels.values():
            panel.show_message(self.tr("Ouvrez un dossier de travail (Ctrl+O) pour voir ses fichiers ici."))
        self._update_save()

    def _load(self, list_kind: str, source: Source) -> None:
        self._shown[list_kind] = source
        panel = self.panels[list_kind]
        panel.show_message(self.tr("Lecture de {name}…").format(name=source.path.name))
        self._start(list_kind, self.tr("Aperçu de {name}").format(name=source.path.name), self.session.workers,
                    preview, source.path, list_kind, source.sheet, source.pinned or None,
                    succeeded=panel.show_preview,
                    failed=lambda message: panel.show_message(for_window(message), problem=True),
                    crashed=lambda _details: panel.show_message(
                        self.tr("L'aperçu de ce fichier a échoué sur une erreur inattendue."), problem=True))

    def choose(self, input_name: str) -> None:
        """« Choisir… »: a spreadsheet for a list, a folder for the PDFs; the workspace then uses it."""
        start = self.settings.last_folder(input_name)
        if input_name == "pieces":
            chosen = QFileDialog.getExistingDirectory(self, self.titles[input_name], start)
        else:
            chosen, _filter = QFileDialog.getOpenFileName(
                self, self.titles[input_name], start, self.tr("Tableurs ({patterns})").format(patterns=SPREADSHEETS))
        if not chosen:
            return
        path = Path(chosen)
        self.settings.set_last_folder(input_name, path if input_name == "pieces" else path.parent)
        self._use({input_name: path})

    def receive(self, paths: list[Path]) -> None:
        """Workbooks and folders dropped on the window: each goes where its content says (`sort_dropped`)."""
        if self.session.folder is None:
            self.session.problem.emit(self.tr("Ouvrez ou créez d'abord un dossier de travail (Fichier), puis déposez-y "
                                              "la liste des clients, celle des bons de commande ou le dossier des "
                                              "pièces."))
            return
        # Both through the latest drop only: files dropped again supersede the first, and its answer, late, is said
        # by no box.
        self._start("drop", self.tr("Examen des fichiers déposés"), self.session.workers, sort_dropped, list(paths),
                    succeeded=self._on_dropped, failed=lambda message: self.session.problem.emit(for_window(message)))

    def _on_dropped(self, dropped: Dropped) -> None:
        if dropped.inputs:
            self._use(dropped.inputs)
        if dropped.refused:
            self.session.problem.emit(for_window("\n\n".join(dropped.refused)))

    def _use(self, inputs: dict[str, Path]) -> None:
        """Point the workspace at new inputs and re-import; a list's old sheet name would not apply to a new file."""
        stale_sheets = {f"{input_name}_feuille": None for input_name in inputs if input_name != "pieces"}
        self.session.edit({"inputs": {**inputs, **stale_sheets}})

    # --- saving the mapping ------------------------------------------------------------------------
    def save(self) -> None:
        """Ctrl+S: save the pending mapping as a profile, point the workspace at it, re-import."""
        folder = self.session.folder
        if folder is None or self.busy or not any(panel.modified for panel in self.panels.values()):
            return
        tables = {list_kind: (panel.preview.suggestion, panel.columns)
                  for list_kind, panel in self.panels.items() if panel.preview is not None}
        job = self._start("save", self.tr("Enregistrement de la correspondance des colonnes"),
                          self.session.workers.writes(), save_mapping, folder, tables, plain=True)
        job.succeeded.connect(lambda name: self._saved(folder / PROFILES_FOLDER / f"{name}.json", name))
        job.failed.connect(self.session.problem)
        self.confirmation.clear()

    def _saved(self, path: Path, name: str) -> None:
        """The profile is written: point the workspace at it, and once the check that follows is done, say both."""
        self.confirmation.setText(self.tr("Correspondance enregistrée dans {path} ; vérification du dossier…").format(
            path=path))
        written = self.session.edit({"mapping": name}, checking=lambda check: self._checking(check, path))
        if written is not None:
            written.failed.connect(lambda _message: self.confirmation.clear())  # workspace.json refused it: said above

    def _checking(self, check: Job, path: Path) -> None:
        """The check after the change is what the user waits for: the confirmation says how it ended."""
        check.succeeded.connect(lambda _outcome: self.confirmation.setText(
            self.tr("Correspondance enregistrée dans {path} ; dossier revérifié.").format(path=path)))
        check.failed.connect(lambda _message: self.confirmation.setText(
            self.tr("Correspondance enregistrée dans {path} ; la vérification du dossier a échoué (voir le message "
                    "ci-dessus).").format(path=path)))

    def _update_save(self) -> None:
        self.save_button.setEnabled(not self.busy and any(panel.modified for panel in self.panels.values()))

    # --- the join of the two lists -----------------------------------------------------------------
    def _update_join(self) -> None:
        """The keys the lists would be joined by with the columns chosen now in both tabs (the core's
        `shared_keys`), or what to do when they share none; nothing until both lists are shown."""
        clients, bdc = self.panels["clients"].preview, self.panels["bdc"].preview
        if clients is None or bdc is None:
            self.join.hide()
            return
        keys = shared_keys((clients.suggestion, self.panels["clients"].columns),
                           (bdc.suggestion, self.panels["bdc"].columns))
        if keys.shared:
            self.join.setText(self.tr("Rapprochement des listes : par {keys}").format(keys=", ".join(keys.shared)))
            self.join.setStyleSheet("")
        else:
            none = self.tr("aucune")
            self.join.setText(self.tr(
                "Aucune ligne de bon de commande ne peut être rapprochée de son client : les deux listes n'ont "
                "aucune clé commune (clients : {clients} ; bons de commande : {bdc}). Associez dans les deux "
                "onglets une colonne de même nature (code client, FINESS, SIRET, RPPS…), ou ajoutez-la au "
                "tableur qui n'en a pas.").format(clients=", ".join(keys.clients) or none,
                                                  bdc=", ".join(keys.bdc) or none))
            self.join.setStyleSheet(PROBLEM_STYLE)
        self.join.show()

    # --- Excel templates ---------------------------------------------------------------------------
    def create_template(self) -> TemplateDialog | None:
        """« Créer un modèle Excel… »: choose which and where (beside the open workspace by default), then write."""
        try:
            couloirs = list(load_catalog().couloirs.values())
        except InputError as error:  # a malformed user override of couloirs.json
            self.session.problem.emit(str(error))
            return None
        folder = self.session.folder or Path(self.settings.last_folder(TEMPLATE_FOLDER))
        dialog = TemplateDialog(couloirs, folder, self.settings, self.write_template, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def write_template(self, request: TemplateRequest) -> Job:
        """Write the template(s) in the write pool, with the open workspace's schemas, unless files would be replaced
        that the user has not agreed to (`Existing`: the dialog asks); problems go to the session."""
        job = self.session.workers.writes().start(write_unless_existing, request, workspace_folder=self.session.folder)
        job.succeeded.connect(lambda written: self._templates_written(request, written))
        job.failed.connect(self.session.problem)
        self.template_result.clear()
        self.session.job_started.emit(job, self.tr("Création du modèle Excel"))
        return job

    def _templates_written(self, request: TemplateRequest, written: list[WrittenTemplate] | Existing) -> None:
        if isinstance(written, Existing):
            return  # nothing written: the dialog asks whether to replace them
        if request.pairs is None:
            text = self.tr("{n} modèles Excel créés dans {folder}.").format(n=len(written), folder=request.destination)
        else:
            text = self.tr("Modèle Excel créé : {path} (schéma {version}, {origin}).").format(
                path=request.destination, version=written[0].schema.version, origin=written[0].schema.origin)
        self.template_result.setText(text)

    # --- jobs and problems -------------------------------------------------------------------------
    def _start(self, purpose: str, title: str, workers: Workers, fn: Callable[..., Any], *args: Any,
               plain: bool = False, **slots: Callable[..., object]) -> Job:
        """Run `fn` in `workers` as this purpose's job (`plain`: a function without progress nor cancel); a
        previous one for the same purpose is superseded, and `slots` (see `LatestJob.follow`) hear only this one."""
        job = workers.call(fn, *args) if plain else workers.start(fn, *args)
        self._jobs[purpose].follow(job, done=self._update_save, **slots)
        self.session.job_started.emit(job, title)
        self._update_save()
        return job

    def _on_validated(self, validation: Validation | None) -> None:
        """A check done: its problem, if any, is gone, and how many demandes each key joined is shown (the
        summary's count, computed in the worker)."""
        joined = validation.summary.joined_by if validation is not None else ()
        if joined:
            self.joined.setText(self.tr("Dernière vérification — demandes rapprochées de leur client : "
                                        "{counts}.").format(counts=joined_by_text(joined)))
        self.joined.setVisible(bool(joined))
        if validation is not None:
            self.problem.hide()

    def _show_problem(self, message: str) -> None:
        """The latest unusable input, kept on the page after its dialog is closed."""
        self.problem.setText(message)
        self.problem.show()
