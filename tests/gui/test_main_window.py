"""The main window as a user meets it: open the demo, navigate, shortcuts, drops, problems, settings."""

import json
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from segur_desktop.core.progress import Progress
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.new_workspace import NewWorkspaceDialog
from segur_desktop.gui.progress_dialog import ProgressDialog
from segur_desktop.gui.settings import Settings
from testdata import VENDOR_SIRET


def test_demo_opens_with_its_counts_in_the_status_bar(demo_window: MainWindow) -> None:
    summary = demo_window.session.validation.summary
    assert demo_window.windowTitle() == "Démo — Médilog Santé — Segur Desktop"
    assert demo_window.counts_label.text() == (
        f"{summary['requests']} demandes · {summary['valid']} valides · {summary['invalid']} en erreur")
    assert summary["invalid"] > 0  # the demo's deliberate mistakes
    assert "28/11/2022 10:00" in demo_window.at_label.text()  # the demo's fixed control instant


def test_side_navigation_and_ctrl_digit_switch_pages(qtbot, window: MainWindow) -> None:
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles == ["Tableau de bord", "Import", "Demandes", "Échéances", "Export", "Suivi"]
    window.navigation.setCurrentRow(2)
    assert window.stack.currentWidget() is window.requests
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.import_page


def test_f5_revalidates(qtbot, demo_window: MainWindow) -> None:
    first = demo_window.session.validation
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        qtbot.keyClick(demo_window, Qt.Key.Key_F5)
    assert demo_window.session.validation is not first
    assert demo_window.session.validation.summary["requests"] == first.summary["requests"]


def test_recent_workspaces_are_remembered(qtbot, demo_window: MainWindow, demo_folder: Path, tmp_path: Path) -> None:
    assert demo_window.settings.recent_workspaces() == [demo_folder.resolve()]
    demo_window.close()
    assert Settings(tmp_path / "settings.ini").recent_workspaces() == [demo_folder.resolve()]
    assert Settings(tmp_path / "settings.ini").geometry() is not None
    demo_window.recent_menu.aboutToShow.emit()
    assert [a.text() for a in demo_window.recent_menu.actions()] == [str(demo_folder.resolve())]


def test_not_a_workspace_gives_a_french_message(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.open_workspace(tmp_path)
    box = window.findChild(QMessageBox, "problem_box")
    assert box is not None and box.isVisible()
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
    qtbot.waitUntil(lambda: "/ 1\u202f000" in dialog.count.text(), timeout=5000)
    assert dialog.stage.text() == "Lecture de bdc.xlsx"
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)


class ShowRecorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.shown = 0

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
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
    dialog = NewWorkspaceDialog(window.settings, window, window.session.workers)
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
    assert window.session.validation.summary["requests"] > 0
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
