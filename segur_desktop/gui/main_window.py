"""The main window: side navigation over the pages, menus, status bar, drag and drop.

It wires pages to the shared `Session` and shows what the session reports
(progress, French problems, bugs). It holds no data of its own: pages read
the session's latest `Validation`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from segur_desktop import __version__
from segur_desktop.applog import setup_logging
from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import InputError
from segur_desktop.core.normalise.amounts import format_count
from segur_desktop.core.workspace import WORKSPACE_FILE, Workspace, demo_copy, not_a_workspace
from segur_desktop.gui.control_instant import ControlInstantButton, fixed_instant
from segur_desktop.gui.error_dialog import report_unexpected
from segur_desktop.gui.format_dialog import FormatDialog
from segur_desktop.gui.guide_window import GuideWindow, page_chapter
from segur_desktop.gui.new_workspace import NewWorkspaceDialog
from segur_desktop.gui.notifications import DeadlineNotifier, create_tray
from segur_desktop.gui.pages.dashboard import DashboardPage
from segur_desktop.gui.pages.deadlines import DeadlinesPage
from segur_desktop.gui.pages.demandes import DemandesPage
from segur_desktop.gui.pages.export import ExportPage
from segur_desktop.gui.pages.import_page import ImportPage
from segur_desktop.gui.pages.start_page import StartPage
from segur_desktop.gui.pages.tracking import TrackingPage
from segur_desktop.gui.pages.workspace_page import WorkspacePage
from segur_desktop.gui.progress_dialog import DELAY_MS, ProgressDialog
from segur_desktop.gui.session import Session, Validation
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.widgets.layout import fit_screen
from segur_desktop.gui.workers import LatestJob


def existing_workspaces(folders: list[Path]) -> list[Path]:
    """The folders that hold a workspace.json: asked in a worker, as any file question, since a recent
    workspace may sit on a network share that no longer answers, where one stat waits for many seconds."""
    return [folder for folder in folders if (folder / WORKSPACE_FILE).is_file()]


class MainWindow(QMainWindow):
    progress_delay_ms = DELAY_MS  # how long work runs before its progress dialog appears
    def __init__(self, session: Session, settings: Settings) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.setObjectName("main_window")
        self.setWindowTitle("Segur Desktop")
        self.setAcceptDrops(True)
        fit_screen(self, 1200, 760)  # a saved geometry replaces it below

        self.dashboard = DashboardPage(session)
        self.import_page = ImportPage(session, settings)
        self.demandes = DemandesPage(session, settings)
        self.deadlines = DeadlinesPage(session)
        self.export = ExportPage(session, settings)
        self.tracking = TrackingPage(session, settings)
        self.workspace_page = WorkspacePage(session, settings)
        self.pages: list[tuple[str, QWidget]] = [
            (self.tr("Tableau de bord"), self.dashboard),
            (self.tr("Import"), self.import_page),
            (self.tr("Demandes"), self.demandes),
            (self.tr("Échéances"), self.deadlines),
            (self.tr("Export"), self.export),
            (self.tr("Suivi"), self.tracking),
            (self.tr("Dossier de travail"), self.workspace_page),
        ]
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(190)
        self.navigation.setStyleSheet("QListWidget#navigation { font-size: 11pt; }"
                                      "QListWidget#navigation::item { padding: 9px 12px; }")
        self.stack = QStackedWidget()
        for title, page in self.pages:
            QListWidgetItem(title, self.navigation)
            self.stack.addWidget(page)
        self.start = StartPage()  # while no workspace is open: not in the navigation
        self.stack.addWidget(self.start)
        self.start.new_requested.connect(self.new_workspace)
        self.start.open_requested.connect(self.choose_workspace)
        self.start.demo_requested.connect(self.open_demo)
        self.start.recent_requested.connect(self.open_workspace)
        self.navigation.currentRowChanged.connect(self._show_row)
        self._opening = LatestJob(self)  # the folder the user asked for last: is it a workspace?
        self._recent = LatestJob(self)  # which recent workspaces are still there
        self.show_start()
        self.tray = create_tray(self)
        self.notifier = DeadlineNotifier(session, self.tray, parent=self)
        if self.tray is not None:
            self.tray.messageClicked.connect(lambda: self.navigation.setCurrentRow(self.stack.indexOf(self.deadlines)))
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.workspace_label = QLabel(self.tr("Aucun dossier de travail ouvert"))
        self.control_instant = ControlInstantButton(session)  # « Échéances jugées : … », a click to change it
        self.at_label = QLabel("")
        self.counts_label = QLabel("")
        for label in (self.workspace_label, self.control_instant, self.at_label):
            self.statusBar().addWidget(label)
        self.statusBar().addPermanentWidget(self.counts_label)

        self._build_menus()
        session.workspace_changed.connect(self.on_workspace_changed)
        session.validated.connect(self.on_validated)
        session.job_started.connect(self.on_job_started)
        self._problem_box: QMessageBox | None = None  # the problem box on screen, and what it says
        self._problems: list[str] = []
        session.problem.connect(self.show_problem)
        session.notice.connect(self.show_notice)
        session.cancelled.connect(lambda: self.statusBar().showMessage(self.tr(
            "Vérification annulée : les résultats affichés sont ceux de la vérification précédente."), 10000))
        session.workers.on_crash = lambda details: report_unexpected(details, self)  # every job's bug, over the window
        self.demandes.open_source.connect(self.open_path)
        self.export.open_path.connect(self.open_path)
        self.export.format_requested.connect(self.open_formats)
        self.tracking.open_path.connect(self.open_path)
        self.guide: GuideWindow | None = None  # « Aide → Guide d'utilisation » (F1), made on first use
        for source in (self.demandes, self.start):  # « En savoir plus », « Premiers pas »
            source.guide_requested.connect(self.show_guide)
        geometry = settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)

    # --- menus ---------------------------------------------------------------------------------
    def _action(self, menu: QMenu, text: str, slot, shortcut: QKeySequence | str | None = None,
                name: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if name:
            action.setObjectName(name)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        files = self.menuBar().addMenu(self.tr("&Fichier"))
        self._action(files, self.tr("&Nouveau dossier de travail…"), self.new_workspace,
                     QKeySequence.StandardKey.New, "action_new")
        self._action(files, self.tr("&Ouvrir un dossier de travail…"), self.choose_workspace,
                     QKeySequence.StandardKey.Open, "action_open")
        self.recent_menu = files.addMenu(self.tr("Dossiers &récents"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(files, self.tr("Ouvrir la &démonstration"), self.open_demo, name="action_demo")
        files.addSeparator()
        self._action(files, self.tr("&Format de dépôt…"), self.open_formats, name="action_formats")
        self.save_action = self._action(files, self.tr("&Enregistrer la correspondance des colonnes"),
                                        self.import_page.save, QKeySequence.StandardKey.Save, "action_save")
        files.addSeparator()
        # Ctrl+Q spelt out (Cmd+Q on macOS): Qt maps StandardKey.Quit to nothing on Windows and most Linux desktops.
        self._action(files, self.tr("&Quitter"), self.close, "Ctrl+Q", "action_quit")

        checks = self.menuBar().addMenu(self.tr("&Vérification"))
        self.revalidate_action = self._action(checks, self.tr("&Revérifier le dossier de travail"), self.revalidate,
                                              QKeySequence(Qt.Key.Key_F5), "action_revalidate")

        go = self.menuBar().addMenu(self.tr("&Affichage"))
        for row, (title, _page) in enumerate(self.pages):
            self._action(go, title, lambda _checked=False, row=row: self.navigation.setCurrentRow(row),
                         QKeySequence(f"Ctrl+{row + 1}"))

        help_menu = self.menuBar().addMenu(self.tr("&Aide"))
        self._action(help_menu, self.tr("&Guide d'utilisation"), lambda: self.show_guide(),
                     QKeySequence(Qt.Key.Key_F1), "action_guide")
        self._action(help_menu, self.tr("&Journal"), self.show_log, name="action_log")
        self._action(help_menu, self.tr("À &propos de Segur Desktop"), self.about)

    def open_formats(self) -> FormatDialog:
        """The Format de dépôt dialog: the ASP's official model imported as the format of a couloir and type."""
        dialog = FormatDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_workspaces()
        if not recent:
            self.recent_menu.addAction(self.tr("(aucun)")).setEnabled(False)
        for folder in recent:
            self._action(self.recent_menu, str(folder), lambda _checked=False, folder=folder: self.open_workspace(folder))

    # --- workspace -----------------------------------------------------------------------------
    def open_workspace(self, folder: Path) -> None:
        """Open `folder` once a worker has found its workspace.json there (`existing_workspaces`)."""
        self._opening.follow(self.session.workers.call(existing_workspaces, [folder]),
                             succeeded=lambda found: self._open_found(folder, found))

    def _open_found(self, folder: Path, found: list[Path]) -> None:
        if not found:
            self.settings.remove_recent(folder)
            self.show_problem(str(not_a_workspace(folder)))
            return
        self.session.open(folder)

    def choose_workspace(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Ouvrir un dossier de travail"),
                                                  self.settings.last_folder("workspace"))
        if folder:
            self.settings.set_last_folder("workspace", Path(folder).parent)
            self.open_workspace(Path(folder))

    def new_workspace(self) -> NewWorkspaceDialog:
        dialog = NewWorkspaceDialog(self.settings, self.session.workers, self)
        dialog.created.connect(self._created)
        dialog.open()
        return dialog

    def _created(self, folder: Path) -> None:
        """A new workspace: opened on its « Dossier de travail » page, where the vendor declares its solutions."""
        self.open_workspace(folder)
        self.navigation.setCurrentRow(self.stack.indexOf(self.workspace_page))

    # --- the start page ------------------------------------------------------------------------
    def _show_row(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row)

    def show_start(self) -> None:
        """The start page (no row of the navigation selected): new, open, demo, recent workspaces."""
        self._recent.follow(self.session.workers.call(existing_workspaces, self.settings.recent_workspaces()),
                            succeeded=self.start.set_recent)
        self.navigation.setCurrentRow(-1)
        self.stack.setCurrentWidget(self.start)
        self.start.new_button.setFocus()  # not the navigation: its focus would select the first page

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stack.currentWidget() is self.start:
            self.start.new_button.setFocus()  # now visible: the window gives it the focus when activated

    def open_demo(self) -> None:
        try:
            folder = demo_copy()
        except InputError as error:  # the user-data folder cannot take the copy (disk full, rights)
            self.show_problem(str(error))
            return
        self.open_workspace(folder)

    def revalidate(self) -> None:
        if self.session.folder is None:
            self.statusBar().showMessage(self.tr("Ouvrez d'abord un dossier de travail (Ctrl+O)."), 5000)
            return
        self.session.revalidate()

    def on_workspace_changed(self, workspace: Workspace | None) -> None:
        if workspace is None:
            return
        if self.stack.currentWidget() is self.start:
            self.navigation.setCurrentRow(0)
        self.setWindowTitle(self.tr("{name} — Segur Desktop").format(name=workspace.name))
        self.workspace_label.setText(self.tr("Dossier : {name}").format(name=workspace.name))
        if workspace.folder is not None:
            self.settings.add_recent(workspace.folder)

    def on_validated(self, validation: Validation | None) -> None:
        """The validation's own control instant and counts (not the session's clock, which has moved on)."""
        if validation is None:
            self.at_label.clear()
            self.counts_label.setText(self.tr("Vérification impossible : voir la page Import"))
            return
        at = validation.result.at.astimezone(PARIS)
        if validation.result.at == fixed_instant(self.session):
            self.at_label.clear()  # the control-instant button beside it already says this instant
        else:  # « maintenant »: when the shown results were judged; or an instant chosen since, not yet checked
            self.at_label.setText(self.tr("Contrôle au {at}").format(at=at.strftime("%d/%m/%Y %H:%M")))
        summary = validation.summary
        self.counts_label.setText(self.tr("{requests} demandes · {valid} valides · {invalid} en erreur").format(
            requests=format_count(summary.requests), valid=format_count(summary.valid),
            invalid=format_count(summary.invalid)))

    def on_job_started(self, job, title: str) -> None:
        ProgressDialog(job, title, self, self.progress_delay_ms)

    def show_notice(self, message: str) -> QMessageBox:
        """Something the user should know that is no problem: an export a crash had left out of the Suivi, recorded."""
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Suivi complété"), message,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("notice_box")
        box.open()
        self.statusBar().showMessage(message.splitlines()[0], 15000)
        return box

    def show_problem(self, message: str) -> QMessageBox:
        """What stops the user, in the core's or the page's French; titled for every case it shows (a file, a shared
        register that does not answer, a workspace to open first), not « Fichier inutilisable » for all.

        Problems that arrive while a box is on screen join it, each said once: boxes opened one over the other hid
        the earlier ones, which the user had to find and close one by one, or missed."""
        box = self._problem_box
        if box is not None and box.isVisible():
            if message not in self._problems:
                self._problems.append(message)
                box.setWindowTitle(self.tr("Problèmes à résoudre ({n})").format(n=len(self._problems)))
                box.setText("\n\n".join(self._problems))
            return box
        self._problems = [message]
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Problème à résoudre"), message,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("problem_box")
        box.setTextFormat(Qt.TextFormat.PlainText)  # French sentences, joined by blank lines: never read as HTML
        self._problem_box = box
        box.open()
        return box

    # --- help ----------------------------------------------------------------------------------
    def show_guide(self, target: str | None = None) -> GuideWindow:
        """The user guide, at `target` (`chapter#anchor`), by default the chapter of the page on screen (F1)."""
        if self.guide is None:
            self.guide = GuideWindow(self)
        self.guide.open_target(target or page_chapter(self.stack.currentWidget()))
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()
        return self.guide

    def show_log(self) -> None:
        path = setup_logging()
        path.touch(exist_ok=True)
        self.open_path(path)

    def open_path(self, path: Path) -> None:
        """Open a file or folder with the OS's default application (Excel for a workbook)."""
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.statusBar().showMessage(self.tr("Impossible d'ouvrir « {path} »").format(path=path), 8000)

    def about(self) -> None:
        QMessageBox.about(self, self.tr("À propos de Segur Desktop"), self.tr(
            "Segur Desktop {version}\nPrépare, vérifie et exporte les demandes de financement Ségur numérique.\n"
            "Fonctionne entièrement hors ligne.").format(version=__version__))

    # --- drag and drop -------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls()]
        event.acceptProposedAction()
        self.receive(paths)

    def receive(self, paths: list[Path]) -> None:
        """Dropped paths: a workspace folder opens; workbooks and PDF folders go to the Import page."""
        self._opening.follow(self.session.workers.call(existing_workspaces, paths),
                             succeeded=lambda found: self._received(paths, found))

    def _received(self, paths: list[Path], workspaces: list[Path]) -> None:
        if workspaces:
            self.session.open(workspaces[0])
            return
        self.navigation.setCurrentRow(self.stack.indexOf(self.import_page))
        self.import_page.receive(paths)

    # --- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.save_geometry(self.saveGeometry())
        self.settings.sync()
        self.session.workers.cancel_all()  # every job of both pools, not only the validation: then the wait is short
        self.session.workers.wait(10000)
        super().closeEvent(event)
