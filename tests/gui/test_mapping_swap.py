"""Issue #18 item 4: a column taken from another field swaps the two and says so; « Rétablir la détection »;
a visible confirmation after « Enregistrer et réimporter »; CLI options never named in the window; FINESS
Géographique / Juridique recognised, and « toutes les colonnes obligatoires » never said when one is missing."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from segur_desktop.cli import main
from segur_desktop.core.mapping import map_columns, table_specs
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.pages.import_page import ImportPage, for_window
from segur_desktop.gui.pages.mapping_panel import PROBLEM_STYLE


def shown_page(qtbot, window: MainWindow) -> ImportPage:
    window.navigation.setCurrentRow(1)
    page = window.import_page
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)
    return page


def test_taking_a_used_column_swaps_the_two_fields(qtbot, demo_window: MainWindow) -> None:
    bdc = shown_page(qtbot, demo_window).panels["bdc"]
    assert bdc.columns["bdc_number"] == 0 and bdc.columns["amount_ht"] == 5
    amount = bdc.combos["amount_ht"]
    amount.setCurrentIndex(amount.findData(0))  # column A (N° BDC) for the HT amount
    assert bdc.columns["amount_ht"] == 0 and bdc.columns["bdc_number"] == 5  # swapped, nothing lost
    assert bdc.combos["bdc_number"].currentText() == "F — Montant HT"
    assert bdc.swap.text() == ("« Montant HT » lit désormais la colonne A ; « N° de BDC » prend la colonne F, "
                               "libérée par « Montant HT ».")
    assert bdc.status.text() == "Toutes les colonnes obligatoires sont associées."
    amount.setCurrentIndex(amount.findData(5))  # choosing back restores both
    assert bdc.columns["amount_ht"] == 5 and bdc.columns["bdc_number"] == 0
    assert not bdc.modified


def test_taking_a_column_for_a_field_without_one_says_who_lost_it(qtbot, demo_window: MainWindow) -> None:
    clients = shown_page(qtbot, demo_window).panels["clients"]
    ej = clients.combos["finess_ej"]
    ej.setCurrentIndex(ej.findData(2))  # the FINESS ET column; the FINESS EJ had none: nothing to give back
    assert clients.combos["finess_et"].currentText() == "(aucune colonne)"
    assert clients.swap.text() == ("« FINESS EJ » lit désormais la colonne C ; « FINESS ET », qui la lisait, n'a plus "
                                   "de colonne : choisissez-en une.")


def test_restore_detection(qtbot, demo_window: MainWindow) -> None:
    page = shown_page(qtbot, demo_window)
    bdc = page.panels["bdc"]
    assert not bdc.reset.isEnabled()  # nothing to restore
    detected = dict(bdc.columns)
    bdc.combos["amount_ht"].setCurrentIndex(bdc.combos["amount_ht"].findData(0))
    bdc.combos["solution"].setCurrentIndex(0)
    assert bdc.reset.isEnabled() and page.save_button.isEnabled()
    qtbot.mouseClick(bdc.reset, Qt.MouseButton.LeftButton)
    assert bdc.columns == detected
    assert bdc.combos["amount_ht"].currentText() == "F — Montant HT"
    assert bdc.combos["solution"].currentText() == "C — Solution"
    assert not bdc.modified and not bdc.reset.isEnabled() and not page.save_button.isEnabled()
    assert bdc.swap.text() == "Détection rétablie : les colonnes reconnues dans le fichier."


def test_save_and_reimport_ends_with_a_confirmation(qtbot, demo_window: MainWindow, demo_folder: Path) -> None:
    page = shown_page(qtbot, demo_window)
    clients = page.panels["clients"]
    clients.combos["city"].setCurrentIndex(0)  # a change worth saving (the city is optional)
    assert page.save_button.isEnabled()
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    profile = demo_folder / "mappings" / "correspondance.json"
    qtbot.waitUntil(lambda: "dossier revérifié" in page.confirmation.text(), timeout=20000)
    assert page.confirmation.text() == f"Correspondance enregistrée dans {profile} ; dossier revérifié."
    assert page.confirmation.isVisibleTo(page)
    qtbot.waitUntil(lambda: not page.busy, timeout=20000)


def test_a_dropped_file_error_names_no_cli_option(qtbot, demo_window: MainWindow, tmp_path: Path, make_xlsx) -> None:
    page = shown_page(qtbot, demo_window)
    odd = make_xlsx("odd.xlsx", [["rien"], ["du tout"]])
    with qtbot.waitSignal(demo_window.session.problem, timeout=20000) as problem:
        page.receive([odd])
    assert "--sheet" not in problem.args[0] and "--" not in problem.args[0]
    assert "choisissez celui-ci dans la page Import" in for_window("feuille (--sheet), ou")
    qtbot.waitUntil(lambda: demo_window.findChild(QMessageBox, "problem_box") is not None)


def test_finess_geographique_and_juridique_are_recognised() -> None:
    spec = table_specs()["clients"]
    headers = ["Code client", "Raison sociale", "N° FINESS Géographique", "N° FINESS Juridique", "Code postal", "Ville"]
    assert map_columns(headers, spec, None) | {} == {"client_code": 0, "name": 1, "finess_et": 2, "finess_ej": 3,
                                                      "postal_code": 4, "city": 5}


def test_mapping_suggest_never_says_complete_when_a_required_column_is_missing(make_xlsx, capsys) -> None:
    complete = make_xlsx("complets.xlsx", [["Code client", "Raison sociale", "N° FINESS Géographique",
                                            "N° FINESS Juridique"], ["C1", "CH A", "750000001", "750000002"]])
    assert main(["mapping", "suggest", "--type", "clients", str(complete)]) == 0
    assert "Toutes les colonnes obligatoires sont reconnues." in capsys.readouterr().out
    no_name = make_xlsx("sans_nom.xlsx", [["Code client", "N° FINESS Géographique", "Ville"],
                                          ["C1", "750000001", "Paris"]])
    main(["mapping", "suggest", "--type", "clients", str(no_name)])
    assert "Toutes les colonnes obligatoires sont reconnues" not in capsys.readouterr().out


def test_the_import_page_never_says_complete_when_a_required_column_is_missing(qtbot, demo_window: MainWindow) -> None:
    clients = shown_page(qtbot, demo_window).panels["clients"]
    clients.combos["name"].setCurrentIndex(0)
    assert clients.status.text() == "Colonnes obligatoires sans correspondance : Raison sociale."
    assert clients.status.styleSheet() == PROBLEM_STYLE
