"""A new vendor's whole path in the window alone, no JSON written by hand: the start page, « Nouveau dossier de
travail », the vendor and one solution on the « Dossier de travail » page, the vendor's own two lists (no client
code, joined by FINESS), the check, the control instant, the export, and the Suivi showing the exported demandes."""

from datetime import datetime
from pathlib import Path

import openpyxl
from PySide6.QtCore import QDate, QDateTime, QEvent, Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit
from testdata import FINESS_A, FINESS_B, MINIMAL_PDF, VENDOR_SIRET

from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.models.solutions_model import CONFORMITY, COULOIR, NAME, REF_DATE, REF_ID, SOFTWARE_KIND, VERSION
from segur_desktop.gui.new_workspace import NewWorkspaceDialog
from segur_desktop.gui.pages.workspace_page import WorkspacePage

TIMEOUT = 30000
BDCS = [("CMD-2022-101", "CH de Paris", FINESS_A, "MédiCab Hôpital 4.2", datetime(2022, 9, 15), 18500),
        ("CMD-2022-102", "Clinique de Lyon", FINESS_B, "MédiCab Hôpital 4.2", datetime(2022, 10, 3), 9800.5)]


def vendor_files(folder: Path) -> tuple[Path, Path, Path]:
    """A CRM export (title lines, no client code) and an ERP's list of signed orders naming clients by FINESS."""
    folder.mkdir()
    clients = openpyxl.Workbook()
    sheet = clients.active
    sheet.title = "Établissements"
    sheet.append(["Export CRM — établissements clients"])
    sheet.append([])
    sheet.append(["Raison sociale", "Finess géo", "Ville", "CP"])
    sheet.append(["CH de Paris", FINESS_A, "Paris", "75013"])
    sheet.append(["Clinique de Lyon", FINESS_B, "Lyon", "69003"])
    clients.save(folder / "clients CRM.xlsx")
    orders = openpyxl.Workbook()
    sheet = orders.active
    sheet.title = "Commandes signées"
    sheet.append(["N° BDC", "Client", "Finess géo", "Produit", "Date signature", "Montant HT"])
    for row in BDCS:
        sheet.append(list(row))
    orders.save(folder / "commandes.xlsx")
    pieces = folder / "PDF signés"
    pieces.mkdir()
    for row in BDCS:
        (pieces / f"{row[0]}.pdf").write_bytes(MINIMAL_PDF)
    return folder / "clients CRM.xlsx", folder / "commandes.xlsx", pieces


def editor(page: WorkspacePage, row: int, column: int):
    return page.table.indexWidget(page.model.index(row, column))


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    """Select all and type, as a user would (Qt's test keyboard knows ASCII only: accents are sent as key text)."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    for char in text:
        if char.isascii():
            qtbot.keyClicks(edit, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(edit, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))
    page = getattr(edit.window(), "workspace_page", None)
    if page is not None:
        qtbot.waitUntil(lambda: not page.checking)  # the core checks the fields in a worker


def choose(combo: QComboBox, code: str) -> None:
    """A choice in a dropdown, as a click on it would make it."""
    index = combo.findData(code)
    assert index >= 0, code
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_a_new_vendor_from_its_own_files_to_the_suivi(qtbot, window: MainWindow, tmp_path: Path) -> None:
    clients, bdc, pieces = vendor_files(tmp_path / "fichiers")
    target = tmp_path / "Mon dossier Ségur"

    # First run: the start page offers to create a workspace.
    assert window.stack.currentWidget() is window.start
    assert [b.text().replace("&", "") for b in (window.start.new_button, window.start.open_button,
                                                window.start.demo_button)] == [
        "Nouveau dossier de travail", "Ouvrir un dossier de travail…", "Ouvrir la démonstration"]
    qtbot.mouseClick(window.start.new_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(NewWorkspaceDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.name.setText("Mon dossier Ségur")
    dialog.vendor.setText("MédiCab SAS")
    dialog.siret.setText(VENDOR_SIRET)
    dialog.clients.edit.setText(str(clients))
    dialog.bdc.edit.setText(str(bdc))
    dialog.pieces.edit.setText(str(pieces))
    dialog.folder.edit.setText(str(target))
    with qtbot.waitSignal(window.session.validated, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)

    # No solution yet: every BDC row is refused; the Tableau de bord says how many, not a silent « Demandes 0 »,
    # and the Dossier de travail page says both ways to fix it.
    dashboard = window.dashboard
    qtbot.waitUntil(lambda: not dashboard.counting_rows and dashboard.rows_left_out.text() != "", timeout=TIMEOUT)
    assert dashboard.rows_left_out.text().startswith("Lignes de BDC sans demande : 2 — 2 × Aucune solution référencée.")
    page = window.workspace_page
    assert window.stack.currentWidget() is page
    summary = window.session.validation.summary
    assert (summary.requests, summary.bdc_rows_without_request) == (0, 2)
    assert page.banner.isVisible()
    assert page.banner.text().startswith("2 ligne(s) de bons de commande sur 2 n'ont donné aucune demande, dont 2 "
                                         "faute de solution référencée qui leur corresponde.")
    assert "sur la page « Dossier de travail »" in page.banner.text()
    assert "colonnes Solution, Couloir, Type de logiciel, N° de référencement et Date de référencement" in page.banner.text()
    assert page.vendor_name.text() == "MédiCab SAS" and page.clients.edit.text() == str(clients.resolve())

    # The vendor: a wrong SIRET is told next to its field, then fixed.
    type_into(qtbot, page.vendor_siret, "73282932000075")
    assert page.errors["vendor_siret"].isVisible()
    assert "clé de contrôle" in page.errors["vendor_siret"].text()
    type_into(qtbot, page.vendor_siret, VENDOR_SIRET)
    assert not page.errors["vendor_siret"].isVisible()

    # One solution, its couloir and software kind from dropdowns; a date that does not exist is told why.
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 1
    type_into(qtbot, editor(page, 0, NAME), "MédiCab Hôpital")
    type_into(qtbot, editor(page, 0, VERSION), "4.2")
    couloir = editor(page, 0, COULOIR)
    assert isinstance(couloir, QComboBox) and couloir.findData("HOP") >= 0
    choose(couloir, "HOP")
    software_kind = editor(page, 0, SOFTWARE_KIND)
    offered = [software_kind.itemData(i) for i in range(software_kind.count())]
    assert offered == ["", "DPI", "RI", "PFI"]  # HOP's, from couloirs.json
    choose(software_kind, "DPI")
    type_into(qtbot, editor(page, 0, REF_ID), "REF-HOP-DPI-2022-0042")
    type_into(qtbot, editor(page, 0, REF_DATE), "31/06/2022")
    type_into(qtbot, editor(page, 0, CONFORMITY), "20/05/2022")
    assert page.solution_errors.isVisible()
    assert "le 31/06/2022 n'existe pas" in page.solution_errors.text()
    assert "n'existe pas" in editor(page, 0, REF_DATE).toolTip()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "corrigez d'abord les champs signalés" in page.status.text())
    type_into(qtbot, editor(page, 0, REF_DATE), "30/06/2022")
    assert not page.solution_errors.isVisible() and page.save_button.isEnabled()

    # Saved through the core in the write pool, then checked again: both rows are demandes now.
    with qtbot.waitSignal(window.session.validated, timeout=TIMEOUT):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    solution = window.session.workspace.solutions[0]
    assert (solution.name, solution.couloir, solution.software_kind, solution.referencing_id) == (
        "MédiCab Hôpital", "HOP", "DPI", "REF-HOP-DPI-2022-0042")
    assert str(solution.referencing_date) == "2022-06-30" and str(solution.conformity_date) == "2022-05-20"
    summary = window.session.validation.summary
    assert summary.requests == 2 and summary.bdc_rows_without_request == 0
    assert [entry.key for entry in summary.joined_by] == ["FINESS_ET"]
    assert not page.banner.isVisible() and not page.dirty

    # The control instant: a fixed date when the vague-1 avance guichet was open.
    qtbot.mouseClick(window.control_instant, Qt.MouseButton.LeftButton)
    instant = window.control_instant.dialog
    instant.fixed.setChecked(True)
    instant.when.setDateTime(QDateTime(QDate(2022, 11, 28), QTime(10, 0)))
    with qtbot.waitSignal(window.session.validated, timeout=TIMEOUT):
        qtbot.mouseClick(instant.apply_button, Qt.MouseButton.LeftButton)
    summary = window.session.validation.summary
    assert (summary.valid, summary.invalid) == (2, 0), window.session.validation.result.report_text()

    # Export from the Export page.
    export = window.export
    window.navigation.setCurrentRow(window.stack.indexOf(export))
    qtbot.waitUntil(lambda: export.plan is not None and not export.planning, timeout=TIMEOUT)
    assert export.export_button.isEnabled()
    with qtbot.waitSignal(window.session.job_started, timeout=5000) as started:
        qtbot.mouseClick(export.export_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(started.args[0].done, timeout=TIMEOUT):
        pass
    assert export.bundle is not None and export.bundle.parent == target / "sortie"
    assert "2 demande(s) exportée(s)" in export.result.text()

    # The Suivi page shows both demandes, exported.
    tracking = window.tracking
    window.navigation.setCurrentRow(window.stack.indexOf(tracking))
    qtbot.waitUntil(lambda: tracking.model.rowCount() == 2, timeout=TIMEOUT)
    assert tracking.stack.currentWidget() is tracking.content
    assert {e.bdc_number for e in window.session.tracking.entries} == {"CMD-2022-101", "CMD-2022-102"}
    assert {e.status for e in window.session.tracking.entries} == {"exportee"}
