"""The Import page driven as a user would: see the files and their columns, fix a column, see by which keys the
lists are joined, save, choose and drop files."""

import json
import shutil
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from testdata import BDC_HEADERS, FINESS_A, FINESS_B, VENDOR_SIRET

from segur_desktop.core.errors import InputError
from segur_desktop.core.profiles import suggest
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.pages import import_page as import_page_module
from segur_desktop.gui.pages.import_page import ImportPage
from segur_desktop.gui.pages.mapping_panel import PROBLEM_STYLE

CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
           ["C2", "Clinique B", FINESS_B, None, "69003", "Lyon"]]
BDCS = [["BDC-1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 10000, "BDC-1.pdf"],
        ["BDC-2", "C2", "Test DPI", "Avance", date(2022, 9, 2), 12000, "BDC-2.pdf"]]


def bdc_headers(amount: str) -> list[str]:
    """The default BDC headers with the HT amount titled `amount`, which no synonym recognises."""
    return [*BDC_HEADERS[:5], amount, *BDC_HEADERS[6:]]


def shown_page(qtbot, window: MainWindow) -> ImportPage:
    """The Import page, once it has read the workspace's files."""
    window.navigation.setCurrentRow(1)
    page = window.import_page
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    return page


def workspace_json(folder: Path) -> dict:
    return json.loads((folder / "workspace.json").read_text(encoding="utf-8"))


def open_and_close_problem(qtbot, window: MainWindow, folder: Path) -> None:
    """Open a workspace the pipeline cannot use, and close the dialog that says why, as the user would."""
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        window.open_workspace(folder)
    box = window.findChild(QMessageBox, "problem_box")
    assert box is not None and "Montant HT" in box.text()
    box.done(QMessageBox.StandardButton.Ok)
    window.activateWindow()  # a window manager gives the focus back; the offscreen platform needs telling
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)


@pytest.fixture
def odd_folder(make_workspace) -> Path:
    return make_workspace(CLIENTS, BDCS, bdc_headers=bdc_headers("Somme due"))


@pytest.fixture
def odd_window(qtbot, window: MainWindow, odd_folder: Path) -> MainWindow:
    """A workspace whose BDC list titles its HT amount « Somme due »: no column is even close."""
    open_and_close_problem(qtbot, window, odd_folder)
    return window


def test_demo_files_and_their_columns_are_shown(qtbot, qtmodeltester, demo_window: MainWindow,
                                                demo_folder: Path) -> None:
    page = shown_page(qtbot, demo_window)
    assert page.paths["clients"].text() == str(demo_folder / "clients.xlsx")
    assert page.paths["bdc"].text() == str(demo_folder / "bons_de_commande.xlsx")
    assert page.paths["pieces"].text() == str(demo_folder / "pieces")
    clients = page.panels["clients"]
    assert clients.where.text() == "clients.xlsx — feuille « Clients », en-têtes ligne 3"
    assert clients.combos["finess_et"].currentText() == "C — N° FINESS ET"
    assert clients.combos["finess_ej"].currentText() == "(aucune colonne)"
    assert clients.status.text() == "Toutes les colonnes obligatoires sont associées."
    assert page.panels["bdc"].combos["amount_ht"].currentText() == "F — Montant HT"
    assert not page.save_button.isEnabled()  # nothing changed: nothing to save

    model = clients.model
    qtmodeltester.check(model)
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"  # Excel's row numbers, title lines included
    assert model.headerData(2, Qt.Orientation.Horizontal) == "C"
    assert model.data(model.index(2, 2)) == "N° FINESS ET"
    header_font = model.data(model.index(2, 0), Qt.ItemDataRole.FontRole)
    assert isinstance(header_font, QFont) and header_font.bold()
    assert model.data(model.index(3, 0), Qt.ItemDataRole.FontRole) is None  # only the header row stands out


def test_a_column_serves_one_field_and_marks_the_page_modified(qtbot, demo_window: MainWindow) -> None:
    clients = shown_page(qtbot, demo_window).panels["clients"]
    ej = clients.combos["finess_ej"]
    ej.setCurrentIndex(ej.findData(2))  # the FINESS ET column, taken for the FINESS EJ
    assert ej.currentText() == "C — N° FINESS ET"
    assert clients.combos["finess_et"].currentText() == "(aucune colonne)"
    assert demo_window.import_page.save_button.isEnabled()
    assert "Enregistrer et réimporter" in clients.note.text()
    name = clients.combos["name"]
    name.setCurrentIndex(0)
    assert clients.status.text() == "Colonnes obligatoires sans correspondance : Raison sociale."


def test_a_missing_column_is_fixed_saved_as_a_profile_and_reimported(qtbot, odd_window: MainWindow,
                                                                     odd_folder: Path) -> None:
    session = odd_window.session
    assert session.validation is None
    page = shown_page(qtbot, odd_window)
    assert page.problem.isVisibleTo(page) and "Montant HT" in page.problem.text()  # the pipeline's own message
    bdc = page.panels["bdc"]
    assert bdc.status.text() == "Colonnes obligatoires sans correspondance : Montant HT."
    page.tabs.setCurrentWidget(bdc)
    amount = bdc.combos["amount_ht"]
    amount.setCurrentIndex(amount.findText("F — Somme due"))
    assert bdc.status.text() == "Toutes les colonnes obligatoires sont associées."

    with qtbot.waitSignal(session.validated, timeout=20000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    profile = json.loads((odd_folder / "mappings" / "correspondance.json").read_text(encoding="utf-8"))
    assert profile["bdc"]["colonnes"]["amount_ht"] == "Somme due"
    assert profile["clients"]["colonnes"]["finess_et"] == "N° FINESS ET"  # both lists, every column chosen
    assert workspace_json(odd_folder)["mapping"] == "correspondance"
    assert session.validation is not None and len(session.validation.result.demandes) == 2
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    assert not page.problem.isVisibleTo(page)
    assert bdc.combos["amount_ht"].currentText() == "F — Somme due"  # now what the pipeline reads
    assert not bdc.modified and not page.save_button.isEnabled()


def test_the_closest_column_is_proposed_for_a_missing_field(qtbot, window: MainWindow, make_workspace) -> None:
    open_and_close_problem(qtbot, window, make_workspace(CLIENTS, BDCS, bdc_headers=bdc_headers("Total commande")))
    page = shown_page(qtbot, window)
    bdc = page.panels["bdc"]
    assert bdc.combos["amount_ht"].currentText() == "F — Total commande"  # shown, not used yet:
    assert bdc.note.text().startswith("Colonnes proposées, à vérifier : Montant HT → F.")
    assert bdc.modified and page.save_button.isEnabled()  # saving it is what makes the pipeline read it


FINESS_CLIENT_HEADERS = ["Raison sociale", "N° FINESS ET", "Code postal", "Ville"]
FINESS_CLIENTS = [["Centre hospitalier A", FINESS_A, "75011", "Paris"], ["Clinique B", FINESS_B, "69003", "Lyon"]]


def identified_bdcs(*identifiers: tuple[str | None, ...]) -> list[list]:
    """One BDC row per tuple, naming its client by these identifiers only (no client code), then the cells of
    the default headers from « Solution » on."""
    return [[f"BDC-{n}", *row, "Test DPI", "Avance", date(2022, 9, n), 10000, f"BDC-{n}.pdf"]
            for n, row in enumerate(identifiers, start=1)]


def test_the_page_says_by_which_keys_the_lists_are_joined(qtbot, window: MainWindow, make_workspace) -> None:
    folder = make_workspace(FINESS_CLIENTS, identified_bdcs((FINESS_A, VENDOR_SIRET), (FINESS_B, None)),
                            client_headers=FINESS_CLIENT_HEADERS, bdc_headers=["N° BDC", "FINESS", "SIRET",
                                                                               *BDC_HEADERS[2:]])
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        window.open_workspace(folder)
    page = shown_page(qtbot, window)
    assert page.join.isVisibleTo(page)
    assert page.join.text() == "Rapprochement des listes : par FINESS ET"  # the BDC's SIRET: no client has one
    assert page.joined.text() == ("Dernière vérification — demandes rapprochées de leur client : "
                                  "2 par FINESS ET.")  # the summary's count, from the last check

    clients = page.panels["clients"]
    finess = clients.combos["finess_et"]
    finess.setCurrentIndex(0)  # the user takes the FINESS column away: the line follows at once
    assert page.join.text().startswith("Aucune ligne de bon de commande ne peut être rapprochée de son client : "
                                       "les deux listes n'ont aucune clé commune (clients : aucune ; bons de "
                                       "commande : FINESS ET, FINESS EJ, SIRET).")
    assert page.join.styleSheet() == PROBLEM_STYLE
    finess.setCurrentIndex(finess.findText("B — N° FINESS ET"))
    assert page.join.text() == "Rapprochement des listes : par FINESS ET" and page.join.styleSheet() == ""


def test_lists_without_a_shared_key_get_a_warning(qtbot, window: MainWindow, make_workspace) -> None:
    folder = make_workspace(FINESS_CLIENTS, identified_bdcs((VENDOR_SIRET,), (VENDOR_SIRET,)),
                            client_headers=FINESS_CLIENT_HEADERS, bdc_headers=["N° BDC", "SIRET", *BDC_HEADERS[2:]])
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        window.open_workspace(folder)
    box = window.findChild(QMessageBox, "problem_box")
    assert box is not None and "Aucune ligne ne peut être rapprochée" in box.text()  # the pipeline refuses the pair
    box.done(QMessageBox.StandardButton.Ok)
    page = shown_page(qtbot, window)
    for panel in page.panels.values():  # each list has its required columns: the tabs say so, and stay true
        assert panel.status.text() == "Toutes les colonnes obligatoires sont associées."
    assert page.join.isVisibleTo(page) and page.join.styleSheet() == PROBLEM_STYLE
    assert page.join.text() == (
        "Aucune ligne de bon de commande ne peut être rapprochée de son client : les deux listes n'ont aucune clé "
        "commune (clients : FINESS ET ; bons de commande : SIRET). Associez dans les deux onglets une colonne de "
        "même nature (code client, FINESS, SIRET, RPPS…), ou ajoutez-la au tableur qui n'en a pas.")
    assert not page.joined.isVisibleTo(page)  # no check went through: no counts


def test_ctrl_s_saves_and_does_nothing_when_nothing_changed(qtbot, odd_window: MainWindow, odd_folder: Path) -> None:
    page = shown_page(qtbot, odd_window)
    qtbot.keyClick(odd_window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not page.busy and not (odd_folder / "mappings").exists()
    amount = page.panels["bdc"].combos["amount_ht"]
    amount.setCurrentIndex(amount.findText("F — Somme due"))
    with qtbot.waitSignal(odd_window.session.validated, timeout=20000):
        qtbot.keyClick(odd_window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert workspace_json(odd_folder)["mapping"] == "correspondance"
    assert odd_window.session.validation is not None
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)


def test_a_file_saved_again_is_read_again_on_f5(qtbot, odd_window: MainWindow, odd_folder: Path, make_xlsx) -> None:
    page = shown_page(qtbot, odd_window)
    assert page.panels["bdc"].combos["amount_ht"].currentText() == "(aucune colonne)"
    make_xlsx("fixed.xlsx", [BDC_HEADERS, *BDCS]).replace(odd_folder / "bdc.xlsx")  # fixed in Excel, same name
    with qtbot.waitSignal(odd_window.session.validated, timeout=20000):
        qtbot.keyClick(odd_window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    assert page.panels["bdc"].combos["amount_ht"].currentText() == "F — Montant HT"
    assert page.panels["bdc"].status.text() == "Toutes les colonnes obligatoires sont associées."


def test_choosing_a_clients_file_updates_the_workspace(qtbot, demo_window: MainWindow, demo_folder: Path,
                                                       tmp_path: Path, monkeypatch) -> None:
    page = shown_page(qtbot, demo_window)
    chosen = tmp_path / "exports" / "clients_novembre.xlsx"
    chosen.parent.mkdir()
    shutil.copy(demo_folder / "clients.xlsx", chosen)
    asked = []

    def get_open_file_name(parent, caption, folder, patterns):
        asked.append((caption, folder, patterns))
        return str(chosen), patterns

    monkeypatch.setattr(QFileDialog, "getOpenFileName", get_open_file_name)
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        qtbot.mouseClick(page.choose_buttons["clients"], Qt.MouseButton.LeftButton)
    assert asked[0][0] == "Liste des clients" and "*.xlsx" in asked[0][2]
    assert workspace_json(demo_folder)["entrees"]["clients"] == str(chosen.resolve())
    assert page.paths["clients"].text() == str(chosen.resolve())
    assert page.settings.last_folder("clients") == str(chosen.parent)
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    assert page.panels["clients"].where.text().startswith("clients_novembre.xlsx — ")  # read again


def test_dropped_workbooks_and_folders_go_where_they_belong(qtbot, demo_window: MainWindow, demo_folder: Path) -> None:
    page = shown_page(qtbot, demo_window)
    dropped = demo_folder / "bdc_novembre.xlsx"
    shutil.copy(demo_folder / "bons_de_commande.xlsx", dropped)
    scans = shutil.copytree(demo_folder / "pieces", demo_folder / "scans_novembre")
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        demo_window.receive([scans, dropped])
    inputs = workspace_json(demo_folder)["entrees"]
    assert inputs == {"clients": "clients.xlsx", "bdc": "bdc_novembre.xlsx", "pieces": "scans_novembre"}
    assert page.paths["pieces"].text() == str(demo_folder / "scans_novembre")
    assert page.paths["bdc"].text() == str(demo_folder / "bdc_novembre.xlsx")
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)


def test_a_dropped_file_that_is_no_list_gets_a_french_message(qtbot, demo_window: MainWindow, tmp_path: Path) -> None:
    page = shown_page(qtbot, demo_window)
    note = tmp_path / "note.docx"
    note.write_bytes(b"PK")
    with qtbot.waitSignal(demo_window.session.problem, timeout=20000) as problem:
        page.receive([note])
    assert "« note.docx » n'est ni un tableur" in problem.args[0]
    qtbot.waitUntil(lambda: demo_window.findChild(QMessageBox, "problem_box") is not None)
    assert page.problem.text() == problem.args[0]
    assert workspace_json(demo_window.session.folder)["entrees"]["bdc"] == "bons_de_commande.xlsx"


def test_an_unusable_file_shows_the_cli_message_on_its_tab(qtbot, window: MainWindow, demo_folder: Path) -> None:
    (demo_folder / "clients.xlsx").write_bytes(b"not a workbook at all")
    with pytest.raises(InputError) as cli:
        suggest(demo_folder / "clients.xlsx", "clients")
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        window.open_workspace(demo_folder)
    page = shown_page(qtbot, window)
    assert page.panels["clients"].where.text() == str(cli.value)
    assert page.panels["clients"].model.rowCount() == 0
    assert page.panels["bdc"].model.rowCount() > 0  # the other list is still shown
    assert "clients.xlsx" in page.problem.text()


def test_previews_are_read_off_the_gui_thread(qtbot, window: MainWindow, demo_folder: Path, monkeypatch) -> None:
    threads = []
    real = import_page_module.preview

    def recording(*args, **kwargs):
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(import_page_module, "preview", recording)
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        window.open_workspace(demo_folder)
    page = shown_page(qtbot, window)
    assert len(threads) == 2 and threading.get_ident() not in threads
    assert page.panels["bdc"].model.rowCount() > 0


def test_every_control_is_reachable_with_tab(qtbot, demo_window: MainWindow) -> None:
    page = shown_page(qtbot, demo_window)
    clients = page.panels["clients"]
    code = clients.combos["client_code"]
    code.setCurrentIndex(code.findData(1))  # a change, so the save button is enabled too
    demo_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is demo_window, timeout=5000)
    page.choose_buttons["clients"].setFocus()
    reached = set()
    for _ in range(60):
        widget = QApplication.focusWidget()
        reached.add(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    expected = {*page.paths.values(), *page.choose_buttons.values(), page.tabs.tabBar(), clients.view,
                *clients.combos.values(), page.save_button}
    assert expected <= reached


def test_mnemonics_reach_the_inputs_and_the_tabs(qtbot, demo_window: MainWindow) -> None:
    page = shown_page(qtbot, demo_window)
    demo_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is demo_window, timeout=5000)
    qtbot.keyClick(demo_window, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # « Bons de co&mmande »
    assert page.tabs.currentWidget() is page.panels["bdc"]
    qtbot.keyClick(demo_window, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # « Dossier des &pièces (PDF) »
    assert QApplication.focusWidget() is page.choose_buttons["pieces"]


def test_previews_are_read_only_once_the_page_is_shown(qtbot, demo_window: MainWindow) -> None:
    """A big workspace's previews would stall the window for nothing while another page is shown."""
    page = demo_window.import_page
    qtbot.wait(200)
    assert not page.isVisible() and page.busy  # nothing read yet: the lists wait
    assert not any(latest.running for latest in page._jobs.values())
    shown = shown_page(qtbot, demo_window)
    assert not shown.busy


def test_a_separate_soldes_list_is_chosen_and_removed(qtbot, demo_window: MainWindow, demo_folder: Path,
                                                      monkeypatch) -> None:
    page = shown_page(qtbot, demo_window)
    assert page.paths["soldes"].text() == "(aucun)" and not page.remove_soldes.isEnabled()
    soldes = demo_folder / "soldes.xlsx"
    shutil.copy(demo_folder / "bons_de_commande.xlsx", soldes)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(soldes), ""))
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        qtbot.mouseClick(page.choose_buttons["soldes"], Qt.MouseButton.LeftButton)
    assert workspace_json(demo_folder)["entrees"]["soldes"] == "soldes.xlsx"
    assert page.paths["soldes"].text() == str(soldes) and page.remove_soldes.isEnabled()
    tables = {t.path.name for t in demo_window.session.validation.result.tables}
    assert tables == {"clients.xlsx", "bons_de_commande.xlsx", "soldes.xlsx"}
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        qtbot.mouseClick(page.remove_soldes, Qt.MouseButton.LeftButton)
    assert "soldes" not in workspace_json(demo_folder)["entrees"]
    assert page.paths["soldes"].text() == "(aucun)"
