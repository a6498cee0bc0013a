"""The main window as a user meets it: open the demo, navigate, shortcuts, drops, problems, settings."""

import json
import threading
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from testdata import VENDOR_SIRET

from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.errors import InputError
from segur_desktop.core.progress import Progress
from segur_desktop.gui import main_window
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.new_workspace import NewWorkspaceDialog
from segur_desktop.gui.progress_dialog import ProgressDialog
from segur_desktop.gui.session import Session
from segur_desktop.gui.settings import Settings


def test_demo_opens_with_its_counts_in_the_status_bar(demo_window: MainWindow) -> None:
    summary = demo_window.session.validation.summary
    assert demo_window.windowTitle() == "Démo — Médilog Santé — Segur Desktop"
    assert demo_window.counts_label.text() == (
        f"{summary.requests} demandes · {summary.valid} valides · {summary.invalid} en erreur")
    assert summary.invalid > 0  # the demo's deliberate mistakes
    # the demo's fixed control instant, said once: by the control-instant button, not again beside it
    assert "28/11/2022 10:00" in demo_window.control_instant.text()
    assert demo_window.at_label.text() == ""


def test_side_navigation_and_ctrl_digit_switch_pages(qtbot, window: MainWindow) -> None:
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles == ["Tableau de bord", "Import", "Demandes", "Échéances", "Export", "Suivi", "Dossier de travail"]
    window.navigation.setCurrentRow(2)
    assert window.stack.currentWidget() is window.demandes
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.import_page


def test_f5_revalidates(qtbot, demo_window: MainWindow) -> None:
    first = demo_window.session.validation
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        qtbot.keyClick(demo_window, Qt.Key.Key_F5)
    assert demo_window.session.validation is not first
    assert demo_window.session.validation.summary.requests == first.summary.requests


def test_recent_workspaces_are_remembered(qtbot, demo_window: MainWindow, demo_folder: Path, tmp_path: Path) -> None:
    assert demo_window.settings.recent_workspaces() == [demo_folder.resolve()]
    demo_window.close()
    assert Settings(tmp_path / "settings.ini").recent_workspaces() == [demo_folder.resolve()]
    assert Settings(tmp_path / "settings.ini").geometry() is not None
    demo_window.recent_menu.aboutToShow.emit()
    assert [a.text() for a in demo_window.recent_menu.actions()] == [str(demo_folder.resolve())]


def test_not_a_workspace_gives_a_french_message(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.open_workspace(tmp_path)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "problem_box") is not None)  # asked in a worker
    box = window.findChild(QMessageBox, "problem_box")
    assert box.isVisible()
    assert "n'est pas un dossier de travail" in box.text()
    assert window.session.folder is None


def test_unusable_input_file_gives_the_cli_message_in_a_dialog(qtbot, window: MainWindow, demo_folder: Path) -> None:
    (demo_folder / "clients.xlsx").write_bytes(b"not a workbook at all")
    with qtbot.waitSignal(window.session.problem, timeout=20000) as problem:
        window.open_workspace(demo_folder)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "problem_box") is not None)
    box = window.findChild(QMessageBox, "problem_box")
    assert box.text() == problem.args[0]
    assert "clients.xlsx" in box.text()
    assert window.counts_label.text() == "Vérification impossible : voir la page Import"


def drop(window: MainWindow, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)


def test_dropping_a_workspace_folder_opens_it(qtbot, window: MainWindow, demo_folder: Path) -> None:
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        drop(window, [demo_folder])
    assert window.session.workspace.folder == demo_folder


def test_dropping_a_workbook_goes_to_the_import_page(qtbot, demo_window: MainWindow, monkeypatch) -> None:
    received = []
    monkeypatch.setattr(demo_window.import_page, "receive", received.append)
    workbook = demo_window.session.workspace.bdc
    drop(demo_window, [workbook])
    qtbot.waitUntil(lambda: received != [])  # whether it is a workspace folder is asked in a worker
    assert demo_window.stack.currentWidget() is demo_window.import_page
    assert received == [[workbook]]


def test_progress_dialog_appears_only_for_long_work_and_cancels(qtbot, window: MainWindow) -> None:
    def slow(*, progress, cancel):
        for i in range(1000):
            cancel.check()
            progress(Progress("Lecture de bdc.xlsx", i, 1000))
            time.sleep(0.01)

    job = window.session.workers.start(slow)
    dialog = ProgressDialog(job, "Essai", window, delay_ms=100)
    assert not dialog.isVisible()
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.cancel_button.isVisible()
    qtbot.waitUntil(lambda: "/ 1\u202f000" in dialog.count, timeout=5000)
    assert dialog.stage == "Lecture de bdc.xlsx" and dialog.labelText() == f"{dialog.stage}\n{dialog.count}"
    assert dialog.bar.maximum() == 1000
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog.labelText() == "Annulation en cours…"  # until the job has stopped
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)


def test_a_job_of_many_short_stages_shows_its_progress_after_the_delay(qtbot, window: MainWindow) -> None:
    """Each stage counts from 0 again: the delay runs from the job's start, not from the latest stage's."""
    release = threading.Event()

    def stages(*, progress, cancel):
        while not release.is_set():
            for i in range(3):
                progress(Progress("Étape", i, 3))
            time.sleep(0.01)

    job = window.session.workers.start(stages)
    dialog = ProgressDialog(job, "Essai", window, delay_ms=100)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert dialog.stage == "Étape"
    with qtbot.waitSignal(job.done, timeout=5000):
        release.set()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)


def test_a_job_that_cannot_stop_offers_no_cancel(qtbot, window: MainWindow) -> None:
    release = threading.Event()
    job = window.session.workers.call(release.wait, 10)  # a plain function: no progress, no cancel
    dialog = ProgressDialog(job, "Essai", window, delay_ms=0)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert not dialog.cancel_button.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Escape would cancel a job that can stop
    assert dialog.isVisible() and dialog.labelText() == "Essai" and not job.token.cancelled
    with qtbot.waitSignal(job.succeeded, timeout=5000):
        release.set()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)


def test_closing_the_window_cancels_every_running_job(qtbot, window: MainWindow) -> None:
    started = threading.Semaphore(0)

    def endless(*, progress, cancel):
        started.release()
        deadline = time.monotonic() + 10  # bounded: without the cancel, closing would wait for it
        while time.monotonic() < deadline:
            cancel.check()
            time.sleep(0.01)

    workers = window.session.workers
    jobs = [workers.start(endless), workers.writes().start(endless)]  # a read and a write, none of them the validation
    qtbot.waitUntil(lambda: started.acquire(blocking=False), timeout=5000)
    qtbot.waitUntil(lambda: started.acquire(blocking=False), timeout=5000)
    begin = time.monotonic()
    with qtbot.waitSignals([job.cancelled for job in jobs], timeout=5000):
        window.close()
    assert time.monotonic() - begin < 5
    assert workers.wait(5000)


def test_the_status_bar_shows_the_validations_own_instant(qtbot, demo_window: MainWindow) -> None:
    session = demo_window.session
    session.at_override = parse_instant("2023-01-02T08:00:00+01:00")  # chosen since: not what was checked
    demo_window.on_validated(session.validation)
    assert demo_window.at_label.text() == "Contrôle au 28/11/2022 10:00"
    demo_window.on_validated(None)
    assert demo_window.at_label.text() == ""
    assert demo_window.counts_label.text() == "Vérification impossible : voir la page Import"


class ShowRecorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.shown = 0

    def eventFilter(self, watched, event) -> bool:
        self.shown += event.type() == QEvent.Type.Show
        return False


def test_quick_work_never_shows_the_progress_dialog(qtbot, window: MainWindow) -> None:
    job = window.session.workers.start(lambda *, progress, cancel: 42)
    dialog = ProgressDialog(job, "Essai", window, delay_ms=300)
    recorder = ShowRecorder()
    dialog.installEventFilter(recorder)
    with qtbot.waitSignal(job.done, timeout=5000):
        pass
    qtbot.wait(400)  # past the delay: a dialog that was going to appear would have appeared
    assert recorder.shown == 0


def test_new_workspace_dialog_creates_and_opens_it(qtbot, window: MainWindow, demo_folder: Path, tmp_path: Path) -> None:
    dialog = NewWorkspaceDialog(window.settings, window.session.workers, window)
    qtbot.addWidget(dialog)
    dialog.vendor.setText("Éditeur Test")
    dialog.siret.setText("123")
    dialog.clients.edit.setText(str(demo_folder / "clients.xlsx"))
    dialog.bdc.edit.setText(str(demo_folder / "bons_de_commande.xlsx"))
    dialog.pieces.edit.setText(str(demo_folder / "pieces"))
    dialog.create()
    assert "le dossier où enregistrer" in dialog.error.text()
    target = tmp_path / "nouveau"
    dialog.folder.edit.setText(str(target))
    dialog.create()
    qtbot.waitUntil(lambda: "SIRET" in dialog.error.text(), timeout=5000)
    assert not (target / "workspace.json").exists()
    dialog.siret.setText(VENDOR_SIRET)
    dialog.created.connect(window.open_workspace)
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        dialog.create()
    data = json.loads((target / "workspace.json").read_text(encoding="utf-8"))
    assert data["editeur"] == {"raison_sociale": "Éditeur Test", "siret": VENDOR_SIRET}
    assert Path(data["entrees"]["clients"]) == (demo_folder / "clients.xlsx").resolve()
    assert window.session.workspace.folder == target


def test_a_bug_while_creating_a_workspace_is_reported(qtbot, window: MainWindow, demo_folder: Path, tmp_path: Path,
                                                      monkeypatch) -> None:
    reported = []
    monkeypatch.setattr(window.session.workers, "on_crash", reported.append)  # the crash sink, not a dialog
    monkeypatch.setattr("segur_desktop.gui.new_workspace.create_workspace", lambda folder, **fields: 1 / 0)
    dialog = NewWorkspaceDialog(window.settings, window.session.workers, window)
    qtbot.addWidget(dialog)
    dialog.vendor.setText("Éditeur Test")
    dialog.siret.setText(VENDOR_SIRET)
    dialog.clients.edit.setText(str(demo_folder / "clients.xlsx"))
    dialog.bdc.edit.setText(str(demo_folder / "bons_de_commande.xlsx"))
    dialog.folder.edit.setText(str(tmp_path / "nouveau"))
    dialog.create()
    qtbot.waitUntil(lambda: bool(reported), timeout=5000)
    assert "ZeroDivisionError" in reported[0] and "Traceback" in reported[0]
    assert dialog.error.text() == ("Le dossier de travail n'a pas pu être créé : erreur inattendue (voir le "
                                   "journal).")
    qtbot.waitUntil(dialog.buttons.isEnabled, timeout=5000)


def test_qt_own_buttons_and_menus_speak_french(qapp) -> None:
    from segur_desktop.app import install_qt_translations

    translator = install_qt_translations(qapp)
    assert translator is not None
    try:
        buttons = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Warning, "Essai", "Texte", buttons.Yes | buttons.No | buttons.Close)
        box.setDetailedText("Détail")
        assert [box.button(b).text() for b in (buttons.Yes, buttons.No, buttons.Close)] == ["&Oui", "&Non", "Fermer"]
        assert "Montrer les détails…" in [button.text() for button in box.buttons()]
        edit = QLineEdit()
        menu = edit.createStandardContextMenu()
        assert [a.text().split("\t")[0] for a in menu.actions()][:2] == ["&Annuler", "&Rétablir"]
        menu.deleteLater()
        box.deleteLater()
    finally:
        qapp.removeTranslator(translator)


def test_help_journal_opens_the_log(qtbot, window: MainWindow, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SEGUR_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    opened = []
    monkeypatch.setattr(window, "open_path", opened.append)
    window.findChild(type(window.revalidate_action), "action_log").trigger()
    assert opened == [tmp_path / "logs" / "segur-desktop.log"]
    assert opened[0].exists()
    QApplication.processEvents()


def test_launcher_opens_a_private_copy_of_the_demo(qtbot, monkeypatch, tmp_path: Path) -> None:
    from segur_desktop.app import create_window, parse_args

    monkeypatch.setenv("SEGUR_DESKTOP_DATA_DIR", str(tmp_path))
    window = create_window(parse_args(["--demo"]))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        pass
    assert window.session.workspace.folder == tmp_path / "demo"
    assert window.session.validation.summary.requests > 0
    window.close()
    again = create_window(parse_args([]))  # no argument: the last workspace used
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.session.validated, timeout=20000):
        pass
    assert again.session.workspace.folder == tmp_path / "demo"
    again.close()


def test_cancelling_a_long_import_keeps_the_previous_results(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from bench.generate import generate

    folder = generate(4000, tmp_path / "gros")
    window.progress_delay_ms = 0  # this machine reads 4,000 rows faster than the usual 300 ms delay
    with qtbot.waitSignal(window.session.cancelled, timeout=30000):
        window.open_workspace(folder)
        qtbot.waitUntil(lambda: window.findChild(ProgressDialog) is not None, timeout=10000)
        dialog = window.findChild(ProgressDialog)
        qtbot.waitUntil(dialog.isVisible, timeout=10000)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert window.session.validation is None  # nothing half-computed is shown
    assert "Vérification annulée" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.findChild(ProgressDialog) is None or not window.findChild(ProgressDialog).isVisible())


def test_a_demo_copy_that_cannot_be_made_is_said_in_a_dialog(qtbot, window: MainWindow, monkeypatch) -> None:
    def full_disk():
        raise InputError("Impossible de préparer la copie de démonstration dans « x » (disque plein).")

    monkeypatch.setattr("segur_desktop.gui.main_window.demo_copy", full_disk)
    shown = []
    monkeypatch.setattr(window, "show_problem", shown.append)
    window.open_demo()
    assert shown == ["Impossible de préparer la copie de démonstration dans « x » (disque plein)."]
    assert window.session.folder is None


def test_quit_is_ctrl_q_on_every_os(demo_window: MainWindow) -> None:
    """Qt's standard Quit key is empty on Windows and most Linux desktops: the menu spells Ctrl+Q out."""
    action = demo_window.findChild(QAction, "action_quit")
    assert action.shortcut() == QKeySequence("Ctrl+Q")
    assert "Ctrl+Q" in action.shortcut().toString()


def test_a_recent_workspace_on_a_share_that_does_not_answer_freezes_nothing(qtbot, session: Session, tmp_path: Path,
                                                                           demo_folder: Path, monkeypatch) -> None:
    """Looking for the recent workspaces, or for the one asked for, waits in a worker: the window starts and
    answers while a network share does not."""
    settings = Settings(tmp_path / "settings.ini")
    settings.add_recent(demo_folder)
    release = threading.Event()
    look = main_window.existing_workspaces

    def dead_share(folders: list[Path]) -> list[Path]:
        release.wait(20)
        return look(folders)

    monkeypatch.setattr(main_window, "existing_workspaces", dead_share)
    window = MainWindow(session, settings)  # would hang here, were the recent ones looked for on this thread
    qtbot.addWidget(window)
    window.show()
    window.open_workspace(demo_folder)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.wait(300)
    timer.stop()
    assert len(ticks) >= 10 and not window.start.recent_title.isVisible() and session.folder is None
    with qtbot.waitSignal(session.validated, timeout=20000):
        release.set()
    assert session.folder == demo_folder
    qtbot.waitUntil(lambda: window.start.recent_box.count() == 1)


def test_a_problem_that_is_no_file_s_is_not_titled_as_one(qtbot, window: MainWindow, demo_folder: Path) -> None:
    drop(window, [demo_folder / "clients.xlsx"])  # no workspace open yet
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "problem_box") is not None)
    box = window.findChild(QMessageBox, "problem_box")
    assert box.text().startswith("Ouvrez ou créez d'abord un dossier de travail")
    assert box.windowTitle() == "Problème à résoudre"


def test_problems_arriving_together_share_one_box_and_none_is_lost(qtbot, window: MainWindow) -> None:
    """Two problems at once (a register that does not answer, then a file) made two boxes, one over the other."""
    say = window.session.problem.emit
    say("Le registre partagé ne répond pas.")
    say("Le fichier « bdc.xlsx » est verrouillé par Excel.")
    say("Le registre partagé ne répond pas.")  # the same again: said once
    boxes = [box for box in window.findChildren(QMessageBox, "problem_box") if box.isVisible()]
    assert len(boxes) == 1
    box = boxes[0]
    assert box.text() == "Le registre partagé ne répond pas.\n\nLe fichier « bdc.xlsx » est verrouillé par Excel."
    assert box.windowTitle() == "Problèmes à résoudre (2)"
    box.accept()
    qtbot.waitUntil(lambda: not box.isVisible())
    later = window.show_problem("Ouvrez ou créez d'abord un dossier de travail.")
    assert later is not box and later.isVisible() and later.windowTitle() == "Problème à résoudre"
    assert later.text() == "Ouvrez ou créez d'abord un dossier de travail."
    later.accept()
