"""The « Dossier de travail » page on the demo, and the start page: filled from the workspace, edits kept until saved
or undone, couloir and software kind tied, saved through the core; the start page's buttons and recent folders."""

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox
from windowjobs import workspace_page_settled as open_page

from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.models.solutions_model import COULOIR, NAME, SOFTWARE_KIND
from segur_desktop.gui.new_workspace import NewWorkspaceDialog
from segur_desktop.gui.settings import Settings

TIMEOUT = 20000


def test_empty_until_a_workspace_is_open(qtbot, window: MainWindow) -> None:
    page = open_page(qtbot, window)
    assert page.stack.currentWidget() is page.empty and "Nouveau dossier de travail" in page.empty.text()
    assert window.navigation.item(6).text() == "Dossier de travail"


def test_the_demo_fills_the_page(qtbot, demo_window: MainWindow, qtmodeltester) -> None:
    page = open_page(qtbot, demo_window)
    assert page.stack.currentWidget() is page.content
    assert (page.vendor_name.text(), page.vendor_siret.text()) == ("Médilog Santé SAS", "73282932000074")
    assert (page.clients.edit.text(), page.bdc.edit.text(), page.pieces.edit.text(), page.output.edit.text()) == (
        "clients.xlsx", "bons_de_commande.xlsx", "pieces", "sortie")
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 6
    assert page.model.index(0, COULOIR).data() == "HOP — Hôpital"
    assert page.model.index(4, COULOIR).data() == "Médico-social MS1 (PA/PH/DOM)"
    assert page.model.index(0, 7).data() == "20/05/2022"  # the conformity dossier's date
    assert not page.save_button.isEnabled() and not any(label.isVisible() for label in page.errors.values())
    # The demo's 3 BDC rows without a demande are not for want of a solution.
    assert page.banner.text() == ("3 ligne(s) de bons de commande sur 41 n'ont donné aucune demande : leurs problèmes "
                                  "sont sur la page Demandes.")


def test_a_couloir_keeps_only_its_software_kinds(qtbot, demo_window: MainWindow) -> None:
    page = open_page(qtbot, demo_window)
    couloir, software_kind = (page.table.indexWidget(page.model.index(0, c)) for c in (COULOIR, SOFTWARE_KIND))
    assert isinstance(couloir, QComboBox) and software_kind.currentData() == "DPI"
    couloir.setCurrentIndex(couloir.findData("MDV"))
    couloir.activated.emit(couloir.currentIndex())
    assert page.model.rows[0].software_kind == "LGC"  # the only one MDV funds
    assert [software_kind.itemData(i) for i in range(software_kind.count())] == ["", "LGC"]
    couloir.setCurrentIndex(couloir.findData("HOP"))
    couloir.activated.emit(couloir.currentIndex())
    assert page.model.rows[0].software_kind == ""  # three to choose from
    qtbot.waitUntil(lambda: not page.checking)  # the core checks the fields in a worker
    assert "Choisissez le type de logiciel (DPI, RI, PFI)." in page.solution_errors.text()
    assert page.dirty and page.save_button.isEnabled()


def test_unsaved_edits_survive_a_check_and_can_be_undone(qtbot, demo_window: MainWindow) -> None:
    page = open_page(qtbot, demo_window)
    page.vendor_name.setText("Autre raison sociale")
    with qtbot.waitSignal(demo_window.session.validated, timeout=TIMEOUT):
        qtbot.keyClick(demo_window, Qt.Key.Key_F5)
    assert page.vendor_name.text() == "Autre raison sociale" and page.dirty
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.loading)
    assert page.vendor_name.text() == "Médilog Santé SAS" and not page.dirty


def test_removing_a_solution_is_saved_and_nothing_else_changes(qtbot, demo_window: MainWindow, demo_folder: Path) -> None:
    before = json.loads((demo_folder / "workspace.json").read_text(encoding="utf-8"))
    page = open_page(qtbot, demo_window)
    page.table.selectRow(5)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert [s.name for s in page.model.rows][-1] == "Médilog ESMS"
    with qtbot.waitSignal(demo_window.session.validated, timeout=TIMEOUT):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    after = json.loads((demo_folder / "workspace.json").read_text(encoding="utf-8"))
    assert after["solutions"] == before["solutions"][:5]
    assert {k: v for k, v in after.items() if k != "solutions"} == {k: v for k, v in before.items() if k != "solutions"}
    assert len(demo_window.session.workspace.solutions) == 5
    assert page.status.text() == "Dossier de travail enregistré et vérifié."
    # The MSSanté row has no solution now: the banner says so, with both fixes.
    assert "faute de solution référencée" in page.banner.text()


def test_a_new_name_gets_its_editor_and_focus(qtbot, demo_window: MainWindow) -> None:
    page = open_page(qtbot, demo_window)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 7
    assert page.table.indexWidget(page.model.index(6, NAME)) is not None
    qtbot.waitUntil(lambda: not page.checking)
    assert "solutions.6.name" in page.problems and "Indiquez le nom commercial" in page.solution_errors.text()


def test_the_start_page_offers_new_open_demo_and_recent(qtbot, window: MainWindow, demo_folder: Path,
                                                        tmp_path: Path, monkeypatch) -> None:
    assert window.stack.currentWidget() is window.start and window.navigation.currentRow() == -1
    assert not window.start.recent_title.isVisible()
    opened = []
    monkeypatch.setattr(window, "open_workspace", opened.append)
    monkeypatch.setattr("segur_desktop.gui.main_window.demo_copy", lambda: demo_folder)
    qtbot.mouseClick(window.start.demo_button, Qt.MouseButton.LeftButton)
    assert opened == [demo_folder]
    qtbot.mouseClick(window.start.new_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(NewWorkspaceDialog)
    assert dialog.isVisible()
    dialog.create()  # everything missing: each field says why, next to it
    assert dialog.field_errors["vendor_siret"].text() == "Indiquez le SIRET de l'éditeur (14 chiffres)."
    assert dialog.field_errors["clients"].isVisible()
    dialog.reject()
    settings = Settings(tmp_path / "settings.ini")
    settings.add_recent(demo_folder)
    other = MainWindow(window.session, settings)
    qtbot.addWidget(other)
    other.show()
    qtbot.waitUntil(other.start.recent_title.isVisible)  # each recent one looked for in a worker
    with qtbot.waitSignal(other.session.validated, timeout=TIMEOUT):
        qtbot.mouseClick(other.start.recent_box.itemAt(0).widget(), Qt.MouseButton.LeftButton)
    assert other.stack.currentWidget() is other.dashboard  # a workspace opened: the start page gives way
    assert other.findChild(QMessageBox, "problem_box") is None
