"""« Créer un modèle Excel… » on the Import page, driven as a user would: choose, confirm, find the workbook."""

import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox, QPushButton

from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.pages.import_page import ImportPage
from segur_desktop.gui.settings import Settings
from segur_desktop.gui.template_dialog import TemplateDialog


def open_dialog(qtbot, window: MainWindow) -> tuple[ImportPage, TemplateDialog]:
    window.navigation.setCurrentRow(1)
    page = window.import_page
    qtbot.mouseClick(page.template_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(TemplateDialog)
    assert dialog is not None and dialog.isVisible()
    return page, dialog


def create(qtbot, page: ImportPage, dialog: TemplateDialog) -> None:
    """Click « Créer » and wait until the page says what was written."""
    page.template_result.clear()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.template_result.text() != "", timeout=20000)


def choose_type(dialog: TemplateDialog, couloir: str, request_type: str) -> None:
    dialog.couloir.setCurrentIndex(dialog.couloir.findData(couloir))
    dialog.request_type.setCurrentIndex(dialog.request_type.findData(request_type))


def test_without_a_workspace_the_template_goes_to_the_folder_used_last(qtbot, window: MainWindow, settings: Settings,
                                                                       tmp_path: Path) -> None:
    settings.set_last_folder("template", tmp_path)
    page, dialog = open_dialog(qtbot, window)
    assert dialog.destination_edit.text() == str(tmp_path / "modele_HOP_avance.xlsx")  # the first couloir of couloirs.json
    choose_type(dialog, "MDV", "solde")
    assert dialog.destination_edit.text() == str(tmp_path / "modele_MDV_solde.xlsx")  # the name follows the choice
    create(qtbot, page, dialog)
    qtbot.waitUntil(lambda: page.findChild(TemplateDialog) is None, timeout=5000)  # closed, then deleted (deleteLater)
    target = tmp_path / "modele_MDV_solde.xlsx"
    assert page.template_result.text() == f"Modèle Excel créé : {target} (schéma 1.0.0, intégré)."
    headers = [c.value for c in load_workbook(target)["Bons de commande"][1]]
    assert "Date d'installation" in headers
    assert (tmp_path / "modele_MDV_solde.profil.json").is_file()


def test_all_couloirs_go_beside_the_open_workspace(qtbot, demo_window: MainWindow, demo_folder: Path) -> None:
    page, dialog = open_dialog(qtbot, demo_window)
    assert dialog.destination_edit.text() == str(demo_folder / "modele_HOP_avance.xlsx")
    qtbot.mouseClick(dialog.all, Qt.MouseButton.LeftButton)
    assert not dialog.couloir.isEnabled() and not dialog.request_type.isEnabled()
    assert dialog.destination_edit.text() == str(demo_folder / "modeles_excel")
    create(qtbot, page, dialog)
    assert page.template_result.text() == f"18 modèles Excel créés dans {demo_folder / 'modeles_excel'}."
    assert len(list((demo_folder / "modeles_excel").glob("modele_*.xlsx"))) == 18


def test_choose_names_the_file_and_is_remembered(qtbot, window: MainWindow, settings: Settings, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    settings.set_last_folder("template", tmp_path)
    chosen = tmp_path / "mes modèles"
    chosen.mkdir()
    asked = {}

    def save_file_name(_parent, _title, start, _filter, options):
        asked.update(start=start, options=options)
        return str(chosen / "clients hôpital"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_file_name)
    page, dialog = open_dialog(qtbot, window)
    choose_type(dialog, "HOP", "avance")
    qtbot.mouseClick(dialog.findChild(QPushButton, "template_choose"), Qt.MouseButton.LeftButton)
    assert asked == {"start": str(tmp_path / "modele_HOP_avance.xlsx"),
                     "options": QFileDialog.Option.DontConfirmOverwrite}  # the dialog asks itself, once
    assert dialog.destination_edit.text() == str(chosen / "clients hôpital.xlsx")
    assert settings.last_folder("template") == str(chosen)
    create(qtbot, page, dialog)
    assert load_workbook(chosen / "clients hôpital.xlsx").sheetnames[1] == "Clients"


def test_a_filled_template_is_replaced_only_if_the_user_says_so(qtbot, window: MainWindow, settings: Settings,
                                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.set_last_folder("template", tmp_path)
    filled = tmp_path / "modele_PHA_avance.xlsx"
    filled.write_bytes(b"rempli")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    questions = []

    def question(_parent, _title, text, *_args):
        questions.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    page, dialog = open_dialog(qtbot, window)
    choose_type(dialog, "PHA", "avance")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(questions) and ok.isEnabled(), timeout=20000)  # the worker found it: asked then
    assert dialog.isVisible() and filled.read_bytes() == b"rempli"  # « Non »: nothing written, the dialog stays
    assert str(filled) in questions[0]
    create(qtbot, page, dialog)
    assert load_workbook(filled).sheetnames[0] == "Mode d'emploi"


def test_a_destination_that_cannot_be_written_is_a_problem_in_french(qtbot, window: MainWindow, settings: Settings,
                                                                     tmp_path: Path) -> None:
    blocker = tmp_path / "pas un dossier"
    blocker.write_text("x")
    settings.set_last_folder("template", blocker)  # a file where the folder should be
    page, dialog = open_dialog(qtbot, window)
    with qtbot.waitSignal(window.session.problem, timeout=20000) as problem:
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert problem.args[0].startswith("Impossible d'écrire le modèle")
    assert page.template_result.text() == ""
    box = window.findChild(QMessageBox, "problem_box")
    assert box is not None
    box.done(QMessageBox.StandardButton.Ok)


def test_whether_the_template_exists_is_asked_in_the_worker(qtbot, window: MainWindow, settings: Settings,
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """« Créer » looked at the disk on the GUI thread: on a network share that no longer answers, the window froze."""
    settings.set_last_folder("template", tmp_path)
    filled = tmp_path / "modele_HOP_avance.xlsx"
    filled.write_bytes(b"rempli")
    on_gui_thread: list[Path] = []
    in_workers: list[Path] = []
    stat = Path.stat

    def spy(path: Path, *args, **kwargs):
        if path.parent == tmp_path and path.name.startswith("modele_"):
            (on_gui_thread if threading.current_thread() is threading.main_thread() else in_workers).append(path)
        return stat(path, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", spy)
    questions = []
    monkeypatch.setattr(QMessageBox, "question", lambda _parent, _title, text, *_args: questions.append(text) or (
        QMessageBox.StandardButton.No))
    page, dialog = open_dialog(qtbot, window)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # clicked twice: asked once
    qtbot.waitUntil(lambda: bool(questions) and ok.isEnabled(), timeout=20000)
    assert on_gui_thread == [] and filled in in_workers
    assert len(questions) == 1 and str(filled) in questions[0]
    assert dialog.isVisible() and filled.read_bytes() == b"rempli" and page.template_result.text() == ""
    dialog.reject()
