"""The Suivi page on the demo: exported demandes enter the register, statuses change by hand or from the portal's
list, the history says who did what, the follow-up bundle is prepared; the dashboard counts them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from PySide6 import QtGui
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QToolButton
from testdata import VENDOR_SIRET
from windowjobs import DEMO_AVANCES
from windowjobs import run_and_settle as run
from windowjobs import settle_tracking as settle

from segur_desktop.core.export.bundle import export_workspace
from segur_desktop.core.register import register_for
from segur_desktop.core.register.followup import Modification
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.record import record_export
from segur_desktop.core.register.statusfile import Verdict
from segur_desktop.core.register.store import StatusChange, register_path
from segur_desktop.core.workspace import load_workspace
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.models.register_model import (
    AMOUNT,
    BDC,
    DEMANDE,
    SORT_ROLE,
    STATUS,
    DepositsModel,
    HistoryModel,
    RegisterFilter,
    RegisterModel,
    TotalsModel,
)
from segur_desktop.gui.models.status_plan_model import VERDICT_COLOURS, PlanModel
from segur_desktop.gui.pages.tracking import TrackingPage
from segur_desktop.gui.status_dialogs import DifferencesDialog, StatusDialog, StatusFileDialog

TIMEOUT = 30000


def show(window: MainWindow) -> TrackingPage:
    window.navigation.setCurrentRow(window.stack.indexOf(window.tracking))
    return window.tracking


def select(page: TrackingPage, *bdc_numbers: str) -> list[str]:
    """Select the demandes of these BDC numbers (filters cleared); their ids."""
    page.search.clear()
    page.set_status_filter(None)
    ids = [page.model.entry(r).id for r in range(page.model.rowCount()) if page.model.entry(r).bdc_number in bdc_numbers]
    assert page.select_demandes(ids) == len(bdc_numbers)
    return ids


def status_of(page: TrackingPage, demande_id: str) -> str:
    return page.model.entry(page.model.row_of(demande_id)).status


def test_the_suivi_page_follows_export_in_the_navigation(qtbot, window: MainWindow) -> None:
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles[4:6] == ["Export", "Suivi"]
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.tracking
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.export
    page = window.tracking
    assert page.stack.currentWidget() is page.empty and "Ouvrez un dossier de travail" in page.empty.text()
    assert not page.change_action.isEnabled() and not page.import_action.isEnabled()


def test_the_buttons_that_open_a_dialog_say_so(qtbot, window: MainWindow) -> None:
    """Qt strips « … » from a tool button's action text; the Suivi page's buttons keep it (a dialog follows)."""
    texts = {button.text() for button in window.tracking.findChildren(QToolButton)}
    assert {"Changer le &statut…", "&Différences…", "&Importer un fichier de statuts…"} <= texts


def test_an_empty_register_says_how_to_start(qtbot, demo_window: MainWindow) -> None:
    page = settle(qtbot, demo_window)
    assert page.stack.currentWidget() is page.empty
    assert page.empty.text() == "Aucune demande suivie : exportez un paquet (page Export) pour commencer le suivi."
    assert page.import_action.isEnabled() and page.record_action.isEnabled()  # an older bundle can start it too
    assert not page.change_action.isEnabled() and not page.export_register_action.isEnabled()
    dashboard = demo_window.dashboard
    assert dashboard.tracking_box.isVisibleTo(dashboard) and not dashboard.tracking_table.isVisibleTo(dashboard)
    assert dashboard.tracking_label.text().startswith("Aucune demande suivie")


def test_an_export_from_the_export_page_enters_the_register(qtbot, demo_window: MainWindow) -> None:
    export = demo_window.export
    demo_window.navigation.setCurrentRow(demo_window.stack.indexOf(export))
    qtbot.waitUntil(lambda: export.plan is not None and not export.planning, timeout=TIMEOUT)
    assert export.plan.exported == DEMO_AVANCES
    with qtbot.waitSignal(demo_window.session.tracked, timeout=TIMEOUT):
        run(qtbot, demo_window, export.export)
    assert (f"Suivi : {DEMO_AVANCES} demande(s) entrée(s) dans le registre « exportée » (0 déjà suivie(s))"
            in export.result.text())
    page = settle(qtbot, demo_window)
    assert page.model.rowCount() == DEMO_AVANCES and page.stack.currentWidget() is page.content
    assert {page.model.index(r, STATUS).data() for r in range(DEMO_AVANCES)} == {"Exportée"}
    assert page.model.index(0, 6).data(Qt.ItemDataRole.BackgroundRole).color().name() == "#6b7280"
    assert page.model.index(0, 9).data() == export.bundle.name  # after « Dernier avenant »
    # The register changed, so the workspace was checked again against it: exported, not yet deposited.
    codes = [d.code for d in demo_window.session.validation.result.diagnostics]
    assert codes.count("deja_exportee") == DEMO_AVANCES
    assert demo_window.dashboard.tracking_model.count("exportee") == DEMO_AVANCES


def test_bulk_status_change_through_the_dialog_and_its_history(qtbot, tracked: MainWindow) -> None:
    page = tracked.tracking
    ids = select(page, "BDC-2022-0001", "BDC-2022-0009")
    assert page.change_action.isEnabled() and not page.differences_action.isEnabled()
    page.change_action.trigger()
    dialog: StatusDialog = page.dialog
    assert isinstance(dialog, StatusDialog) and dialog.isVisible()
    offered = [dialog.status.itemData(i) for i in range(dialog.status.count())]
    assert offered == ["en_cours", "incomplete", "validee", "attente_pieces", "a_modifier", "conflit", "decidee_payee",
                       "rejetee"]
    dialog.status.setCurrentIndex(dialog.status.findData("en_cours"))
    dialog.comment.setText("déposé le 29/11")
    run(qtbot, tracked, lambda: qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton))
    assert page.result.text() == "2 statuts changés."
    assert [status_of(page, i) for i in ids] == ["en_cours", "en_cours"]
    assert [e.id for e in page.selected_entries()] == ids  # the same demandes stay selected
    history = page.history_model
    assert history.rowCount() == 2
    assert [history.index(1, c).data() for c in range(1, 7)] == ["Exportée", "En cours", "déposé le 29/11",
                                                                  history.item(1).author, "fenêtre", ""]
    assert history.index(0, 1).data() == "—" and history.index(0, 5).data().startswith("export depot_")
    assert page.totals_model.count("en_cours") == 2 and page.totals_model.count(None) == DEMO_AVANCES


def test_a_change_the_lifecycle_no_longer_allows_is_refused_then_forced(qtbot, tracked: MainWindow) -> None:
    page = tracked.tracking
    (demande,) = select(page, "BDC-2022-0001")
    dialog = page.change_status()
    dialog.status.setCurrentIndex(dialog.status.findData("a_modifier"))
    # Meanwhile the command line (another window, a colleague) records the portal's decision.
    page.tracking.register.set_status([StatusChange(demande, "validee")], source="ligne de commande")
    run(qtbot, tracked, dialog.accept)
    # Changed since the page read it (#20): refused with who, when and how, whatever the lifecycle would say.
    assert page.result.text().startswith("0 statut changé, 1 refusé.\n• " + demande + " : changée depuis que vous "
                                         "l'avez lue : « Validée » le ")
    assert "(ligne de commande) ; relisez le registre" in page.result.text()
    box = page.findChild(QMessageBox, "status_refusals")
    assert box is not None and box.isVisible() and "1 refusé" in box.text()
    box.close()
    assert status_of(page, demande) == "validee"  # the page read the register again all the same
    dialog = page.change_status()
    assert [dialog.status.itemData(i) for i in range(dialog.status.count())] == ["decidee_payee"]
    dialog.force.setChecked(True)
    assert dialog.status.count() == 9 and not dialog.ok_button.isEnabled()  # forcing asks why
    assert "demande un commentaire" in dialog.note.text()
    dialog.status.setCurrentIndex(dialog.status.findData("a_modifier"))
    dialog.comment.setText("erreur de saisie : l'ASP demande une modification")
    assert dialog.ok_button.isEnabled()
    run(qtbot, tracked, dialog.accept)
    assert status_of(page, demande) == "a_modifier"
    last = page.history_model.rowCount() - 1
    assert page.history_model.index(last, 6).data() == "forcé"
    assert page.history_model.index(last, 3).data() == "erreur de saisie : l'ASP demande une modification"


def test_enter_in_the_status_file_preview_applies_it(qtbot, tracked: MainWindow, demo_folder: Path) -> None:
    """The user reads the lines and presses Entrée: that applies them (it once cancelled them without a word)."""
    page = tracked.tracking
    run(qtbot, tracked, lambda: page.import_status_file(demo_folder / "statuts_portail.csv"))
    dialog: StatusFileDialog = page.dialog
    dialog.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.apply_button.isDefault()
    run(qtbot, tracked, lambda: qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return))
    assert not dialog.isVisible() and page.result.text() == "7 statuts changés."


def test_a_status_file_is_previewed_then_applied(qtbot, tracked: MainWindow, demo_folder: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    page = tracked.tracking
    csv = demo_folder / "statuts_portail.csv"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(csv), ""))
    run(qtbot, tracked, page.import_action.trigger)
    dialog: StatusFileDialog = page.dialog
    assert isinstance(dialog, StatusFileDialog) and dialog.isVisible()
    assert dialog.counts.text().startswith("<b>7 changements, 1 inconnu</b>")
    model: PlanModel = dialog.model
    verdicts = {model.line(r).reference: model.line(r).verdict for r in range(model.rowCount())}
    assert verdicts["BDC-2022-0999"] == Verdict.UNKNOWN and verdicts["BDC-2022-0005"] == Verdict.CHANGE
    five = next(r for r in range(model.rowCount()) if model.line(r).reference == "BDC-2022-0005")
    assert model.index(five, 1).data() == f"BDC-2022-0005 → {model.line(five).entry.id}"
    assert model.index(five, 3).data() == "En attente de pièces-jointes complémentaires"
    unknown = next(r for r in range(model.rowCount()) if model.line(r).verdict == Verdict.UNKNOWN)
    assert model.index(unknown, 0).data(Qt.ItemDataRole.BackgroundRole).color() == VERDICT_COLOURS[Verdict.UNKNOWN]
    assert model.index(unknown, 4).data() == "Inconnue"
    assert dialog.force.isHidden() and dialog.apply_button.isEnabled()
    run(qtbot, tracked, lambda: qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton))
    assert page.result.text() == "7 statuts changés."
    by_bdc = {e.bdc_number: e.status for e in page.tracking.entries}
    assert (by_bdc["BDC-2022-0009"], by_bdc["BDC-2022-0011"], by_bdc["BDC-2022-0003"], by_bdc["BDC-2022-0005"]) == (
        "validee", "validee", "a_modifier", "attente_pieces")
    select(page, "BDC-2022-0009")
    settle(qtbot, tracked)  # the history is read in a worker
    last = page.history_model.rowCount() - 1
    assert page.history_model.index(last, 3).data() == "Décision d'attribution envoyée — statut du portail au 15/12/2022"
    assert page.history_model.index(last, 5).data() == "fichier de statuts statuts_portail.csv"

    # A second file: a step back the lifecycle refuses, and a status nobody knows.
    again = demo_folder / "correction.csv"
    again.write_text("N° BDC;Statut\nBDC-2022-0009;En cours\nBDC-2022-0001;Perdue\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(again), ""))
    run(qtbot, tracked, page.import_status_file)
    dialog = page.dialog
    assert dialog.counts.text().startswith("<b>1 refusé, 1 statut illisible</b>")
    assert not dialog.apply_button.isEnabled() and dialog.force.isVisibleTo(dialog)
    dialog.force.setChecked(True)
    assert dialog.apply_button.isEnabled()
    run(qtbot, tracked, dialog.accept)
    assert {e.bdc_number: e.status for e in page.tracking.entries}["BDC-2022-0009"] == "en_cours"


def test_filters_and_the_totals_strip(qtbot, tracked: MainWindow) -> None:
    page = tracked.tracking
    register = page.tracking.register
    by_bdc = {e.bdc_number: e.id for e in page.tracking.entries}
    register.set_status([StatusChange(by_bdc[n], "validee") for n in ("BDC-2022-0001", "BDC-2022-0009")],
                        source="test")
    with qtbot.waitSignal(tracked.session.tracked, timeout=TIMEOUT):
        tracked.session.register_changed.emit()
    settle(qtbot, tracked)
    page.set_status_filter("validee")
    assert page.proxy.rowCount() == 2 and page.shown_label.text() == f"2 demandes affichées sur {DEMO_AVANCES}"
    page.set_status_filter(None)
    page.couloir_filter.setCurrentIndex(page.couloir_filter.findData("HOP"))
    assert {page.proxy.index(r, 1).data() for r in range(page.proxy.rowCount())} == {"HOP"}
    page.couloir_filter.setCurrentIndex(0)
    page.type_filter.setCurrentIndex(page.type_filter.findData("solde"))
    assert page.proxy.rowCount() == 0
    page.type_filter.setCurrentIndex(0)
    page.search.setText("bdc-2022-0009")
    assert page.proxy.rowCount() == 1 and page.proxy.index(0, BDC).data() == "BDC-2022-0009"
    assert page.proxy.index(0, AMOUNT).data().endswith(" €") and "," in page.proxy.index(0, AMOUNT).data()
    page.search.clear()
    kept = select(page, "BDC-2022-0009")
    page.table.sortByColumn(AMOUNT, Qt.SortOrder.DescendingOrder)  # sorted by the model itself: fast at 20k rows
    amounts = [page.proxy.index(r, AMOUNT).data(SORT_ROLE) for r in range(page.proxy.rowCount())]
    assert amounts == sorted(amounts, reverse=True) and amounts[0] > amounts[-1]
    assert [e.id for e in page.selected_entries()] == kept  # the selection follows its rows
    page.table.sortByColumn(STATUS, Qt.SortOrder.AscendingOrder)
    assert [page.proxy.index(r, STATUS).data() for r in (0, page.proxy.rowCount() - 1)] == ["Exportée", "Validée"]
    totals = page.totals_model
    assert [totals.index(r, 0).data() for r in range(totals.rowCount())] == ["Exportée", "Validée", "Total"]
    assert totals.count("validee") == 2 and totals.count(None) == DEMO_AVANCES
    assert totals.headerData(3, Qt.Orientation.Horizontal) in {"BIO", "HOP", "MDV", "MS1", "PHA"}
    dashboard = tracked.dashboard
    assert dashboard.tracking_model.count("validee") == 2
    assert dashboard.tracking_label.text().startswith(f"{DEMO_AVANCES} demande(s) suivie(s)")
    assert "2 déposée(s) sur le portail, 27 non déposée(s)" in dashboard.tracking_label.text()


def test_history_panel_shows_the_deposit_and_its_pieces(qtbot, tracked: MainWindow) -> None:
    page = tracked.tracking
    (demande,) = select(page, "BDC-2022-0001")
    qtbot.waitUntil(lambda: page.deposits_model.rowCount() == 1, timeout=TIMEOUT)
    deposits = page.deposits_model
    assert deposits.index(0, 2).data() == "HOP_avance.json"
    pieces = deposits.index(0, 3).data()
    assert pieces.startswith(demande) and pieces.endswith(")") and len(pieces.split("(")[1]) == 9  # 8 hex + ")"
    assert demande in page.history_label.text() and "BDC-2022-0001" in page.history_label.text()
    menu = page._context_menu(page.table.rect().center())
    assert [a.text() for a in menu.actions() if a.text()][:3] == [
        "Changer le &statut…", "&Différences…", "&Préparer le paquet de suivi…"]
    menu.close()


def test_differences_and_the_follow_up_bundle(qtbot, tracked: MainWindow, demo_folder: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    page = tracked.tracking
    ids = {e.bdc_number: e.id for e in page.tracking.entries}
    page.tracking.register.set_status([StatusChange(ids["BDC-2022-0003"], "a_modifier", "montant HT différent"),
                                       StatusChange(ids["BDC-2022-0005"], "attente_pieces", "BDC illisible")],
                                      source="test")
    with qtbot.waitSignals([tracked.session.tracked, tracked.session.validated], timeout=TIMEOUT):
        tracked.session.register_changed.emit()
    settle(qtbot, tracked)
    # Not corrected yet: the workspace gives the demande as deposited.
    select(page, "BDC-2022-0003")
    assert page.differences_action.isEnabled()
    run(qtbot, tracked, page.differences_action.trigger)
    dialog: DifferencesDialog = page.dialog
    assert isinstance(dialog, DifferencesDialog)
    assert "la même demande que celle déposée" in dialog.problem.text()
    # The vendor corrects the amount in the BDC list, and checks again.
    workbook = openpyxl.load_workbook(demo_folder / "bons_de_commande.xlsx")
    sheet = workbook.active
    assert sheet["A5"].value == "BDC-2022-0003"
    sheet["F5"], sheet["G5"] = 17500, 21000
    workbook.save(demo_folder / "bons_de_commande.xlsx")
    with qtbot.waitSignal(tracked.session.validated, timeout=TIMEOUT):
        tracked.session.revalidate()
    settle(qtbot, tracked)
    run(qtbot, tracked, page.show_differences)
    lines = page.dialog.texts()
    assert "/bonDeCommande/montantHT : « 18500.00 » → « 17500.00 »" in lines
    assert page.dialog.problem.isHidden()
    # Both demandes sent back, prepared in one follow-up folder.
    select(page, "BDC-2022-0003", "BDC-2022-0005")
    assert page.followup_action.isEnabled()
    out = tmp_path / "suivi"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(out))
    run(qtbot, tracked, page.followup_action.trigger)
    (folder,) = out.iterdir()
    assert page.result.text().startswith(f"Paquet de suivi écrit : {folder}\n2 demande(s) préparée(s)")
    assert (folder / "LISEZMOI.txt").is_file()
    assert [p.name for p in (folder / ids["BDC-2022-0005"]).glob("*COMPLEMENT*.pdf")]
    assert (folder / ids["BDC-2022-0003"] / "demande_corrigee.json").is_file()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(item["request"] for item in manifest["items"]) == sorted([ids["BDC-2022-0003"], ids["BDC-2022-0005"]])
    assert page.open_button.isEnabled()
    with qtbot.waitSignal(page.open_path) as opened:
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [folder]
    select(page, "BDC-2022-0005")
    qtbot.waitUntil(lambda: not page.reading_history and page.history_model.rowCount() == 3, timeout=TIMEOUT)
    assert page.history_model.index(2, 3).data() == f"paquet de suivi préparé : {folder.name}"


def test_an_older_bundle_is_recorded_and_the_register_backed_up(qtbot, demo_window: MainWindow, tmp_path: Path) -> None:
    workspace = demo_window.session.workspace
    older = export_workspace(workspace, workspace.judged_at, tmp_path / "ailleurs").bundle  # made without the register
    page = show(demo_window)
    settle(qtbot, demo_window)
    run(qtbot, demo_window, lambda: page.record_bundle(older / "manifest.json"))
    assert page.result.text() == (f"Paquet « {older.name} » enregistré dans le suivi : 32 demande(s) nouvelle(s), 0 "
                                  "déjà suivie(s).")
    assert page.model.rowCount() == 32 and page.stack.currentWidget() is page.content
    run(qtbot, demo_window, lambda: page.record_bundle(older))
    assert "était déjà enregistré dans le suivi : rien n'a changé" in page.result.text()
    assert page.export_register_action.isEnabled() and page.import_backup_action.isEnabled()
    saved = tmp_path / "sauvegarde.json"
    run(qtbot, demo_window, lambda: page.export_register(saved))
    assert page.result.text().startswith(f"Registre de suivi exporté : {saved} (1 paquet(s), 32 demande(s)")
    assert json.loads(saved.read_text(encoding="utf-8"))["tables"]["demandes"]
    run(qtbot, demo_window, lambda: page.import_backup(saved))
    assert page.result.text() == ("Sauvegarde « sauvegarde.json » importée : le registre connaissait déjà tout ce "
                                  "qu'elle contient.")
    broken = tmp_path / "pas_une_sauvegarde.json"
    broken.write_text("{}", encoding="utf-8")
    run(qtbot, demo_window, lambda: page.import_backup(broken))
    box = page.findChild(QMessageBox, "followup_problem")
    assert box is not None and box.text() == page.result.text() and "pas_une_sauvegarde.json" in box.text()


def test_register_models_pass_the_qt_model_tester(qtmodeltester, qtbot, tracked: MainWindow, demo_folder: Path) -> None:
    page = tracked.tracking
    select(page, "BDC-2022-0001")
    qtbot.waitUntil(lambda: page.deposits_model.rowCount() == 1, timeout=TIMEOUT)
    page.table.sortByColumn(AMOUNT, Qt.SortOrder.DescendingOrder)
    for model in (page.model, page.proxy, page.totals_model, page.history_model, page.deposits_model):
        qtmodeltester.check(model)
    page.model.sort(BDC, Qt.SortOrder.AscendingOrder)  # a layout change under the tester's eyes
    qtmodeltester.check(page.proxy)
    lifecycle = page.tracking.register.lifecycle
    from segur_desktop.core.register.statusfile import plan_status_file

    plan = plan_status_file(page.tracking.register, demo_folder / "statuts_portail.csv")
    qtmodeltester.check(PlanModel(plan.lines, lifecycle))
    for empty in (RegisterModel(), TotalsModel(), HistoryModel(), DepositsModel(), PlanModel([], lifecycle)):
        qtmodeltester.check(empty)
        assert empty.rowCount() == 0
    proxy = RegisterFilter()
    proxy.setSourceModel(page.model)
    proxy.set_filters(text=page.model.entry(0).id)
    assert proxy.rowCount() == 1 and proxy.index(0, DEMANDE).data() == page.model.entry(0).id
    page.table.selectionModel().clearSelection()
    page.table.selectionModel().select(page.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                       | QItemSelectionModel.SelectionFlag.Rows)
    assert len(page.selected_entries()) == 1


def test_deposited_demandes_are_left_out_of_the_next_export(qtbot, tracked: MainWindow) -> None:
    page = tracked.tracking
    ids = select(page, "BDC-2022-0001", "BDC-2022-0006")
    assert tracked.session.validation.result.register is not None  # validation compared with the register
    run(qtbot, tracked, lambda: page.set_status([StatusChange(i, "en_cours") for i in ids]))
    codes = [d.code for d in tracked.session.validation.result.diagnostics if d.request in ids]
    assert codes.count("deja_deposee") == 2
    export = tracked.export
    tracked.navigation.setCurrentRow(tracked.stack.indexOf(export))
    qtbot.waitUntil(lambda: export.plan is not None and not export.planning, timeout=TIMEOUT)
    # The others were exported too, and have no portal status: out of the next bundle unless asked again.
    assert export.plan.exported == 0 and not export.export_button.isEnabled()
    assert (f"Dont 2 déjà déposée(s), suivie(s) dans la page Suivi : elles ne sont pas exportées de nouveau. Dont "
            f"{DEMO_AVANCES - 2} déjà exportée(s), sans statut du portail" in export.summary.text())
    assert export.again.isVisible()
    export.again.setChecked(True)
    qtbot.waitUntil(lambda: export.plan is not None and not export.planning and export.plan.exported > 0, timeout=TIMEOUT)
    assert export.plan.exported == DEMO_AVANCES - 2 and export.export_button.isEnabled()


def test_a_damaged_register_is_said_and_nothing_is_judged_without_it(qtbot, window: MainWindow,
                                                                      demo_folder: Path) -> None:
    path = register_path(VENDOR_SIRET)
    assert load_workspace(demo_folder).vendor.siret == VENDOR_SIRET
    path.parent.mkdir(parents=True)
    path.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    with qtbot.waitSignal(window.session.problem, timeout=TIMEOUT) as problem:
        window.open_workspace(demo_folder)
    assert problem.args[0].startswith(f"Le registre de suivi « {path} » ne peut pas être utilisé")
    assert window.session.validation is None and window.session.register is None
    page = show(window)
    assert page.stack.currentWidget() is page.empty
    assert page.empty.text().startswith("Le registre de suivi de l'éditeur n'a pas pu être lu")
    assert not page.import_action.isEnabled()


def test_the_full_cycle_in_the_window(qtbot, demo_window: MainWindow, demo_folder: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #8's « done when », clicked through: export the avances, mark the bundle deposited, import the
    portal's statuses, see the soldes of validated avances become valid, prepare the follow-up folder, export
    the soldes."""
    window, session = demo_window, demo_window.session
    export = window.export
    window.navigation.setCurrentRow(window.stack.indexOf(export))
    qtbot.waitUntil(lambda: export.plan is not None and not export.planning, timeout=TIMEOUT)
    run(qtbot, window, export.export)
    first_bundle = export.bundle
    # Deposited: every « exportée » demande goes « en cours », in one bulk change.
    page = show(window)
    settle(qtbot, window)
    page.set_status_filter("exportee")
    page.table.selectAll()
    assert len(page.selected_entries()) == DEMO_AVANCES
    page.change_action.trigger()
    dialog: StatusDialog = page.dialog
    dialog.status.setCurrentIndex(dialog.status.findData("en_cours"))
    run(qtbot, window, lambda: qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton))
    assert page.totals_model.count("en_cours") == DEMO_AVANCES
    # The portal's answers.
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(demo_folder / "statuts_portail.csv"), ""))
    run(qtbot, window, page.import_action.trigger)
    run(qtbot, window, lambda: qtbot.mouseClick(page.dialog.apply_button, Qt.MouseButton.LeftButton))
    assert page.totals_model.count("validee") == 3 and page.totals_model.count("conflit") == 1
    # Checked again against the register: the soldes of BDC-2022-0009 and 0011 are valid now, 0010's is not.
    soldes = {d.bdc.values["bdc_number"]: d.valid for d in session.validation.result.demandes if d.type == "solde"}
    assert soldes == {"BDC-2022-0009": True, "BDC-2022-0010": False, "BDC-2022-0011": True}
    # The complementary attachments asked for BDC-2022-0005.
    select(page, "BDC-2022-0005")
    out = tmp_path / "suivi"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(out))
    run(qtbot, window, page.followup_action.trigger)
    (folder,) = out.iterdir()
    assert [p.name for p in folder.rglob("*COMPLEMENT*.pdf")]
    # Export again: only the two soldes go; the deposited avances are left out as such.
    window.navigation.setCurrentRow(window.stack.indexOf(export))
    qtbot.waitUntil(lambda: export.plan is not None and not export.planning, timeout=TIMEOUT)
    assert [(g.couloir, g.type, len(g.exported)) for g in export.plan.groups if g.exported] == [("MDV", "solde", 2)]
    run(qtbot, window, export.export)
    assert export.bundle != first_bundle and "Suivi : 2 demande(s) entrée(s)" in export.result.text()
    settle(qtbot, window)
    assert page.totals_model.count("exportee") == 2 and page.totals_model.count(None) == DEMO_AVANCES + 2


def test_demandes_deposited_before_the_app_are_taken_over_from_the_status_file(
        qtbot, demo_window: MainWindow, demo_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = show(demo_window)
    settle(qtbot, demo_window)
    assert page.model.rowCount() == 0  # nothing exported with Segur Desktop yet
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(demo_folder / "statuts_portail.csv"), ""))
    run(qtbot, demo_window, page.import_action.trigger)
    dialog: StatusFileDialog = page.dialog
    assert dialog.counts.text().startswith("<b>7 à reprendre du dossier de travail, 1 inconnu</b>")
    model: PlanModel = dialog.model
    nine = next(r for r in range(model.rowCount()) if model.line(r).reference == "BDC-2022-0009")
    assert model.index(nine, 4).data() == "À reprendre du dossier"
    assert model.index(nine, 1).data() == f"BDC-2022-0009 → {model.line(nine).adopt.id}"
    assert model.index(nine, 0).data(Qt.ItemDataRole.BackgroundRole).color() == VERDICT_COLOURS[Verdict.ADOPT]
    run(qtbot, demo_window, lambda: qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton))
    assert page.model.rowCount() == 7 and page.totals_model.count("validee") == 3
    soldes = {d.bdc.values["bdc_number"]: d.valid
              for d in demo_window.session.validation.result.demandes if d.type == "solde"}
    assert soldes == {"BDC-2022-0009": True, "BDC-2022-0010": False, "BDC-2022-0011": True}


def test_a_workspace_change_leaves_the_register_table_alone(qtbot, tracked: MainWindow) -> None:
    page = tracked.tracking
    (demande,) = select(page, "BDC-2022-0001")
    resets = []
    page.model.modelReset.connect(lambda: resets.append(True))
    page.proxy.layoutChanged.connect(lambda: resets.append(True))
    tracked.session.workspace_changed.emit(tracked.session.workspace)  # as an edit of the mapping does
    assert resets == []
    assert [e.id for e in page.selected_entries()] == [demande]
    assert page.change_action.isEnabled()


def rendered(label: QLabel) -> str:
    """What a label shows: its text as rich text when Qt reads it so, else as it is."""
    text, form = label.text(), label.textFormat()
    if form == Qt.TextFormat.PlainText or (form == Qt.TextFormat.AutoText and not QtGui.Qt.mightBeRichText(text)):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def test_user_data_in_rich_text_labels_shows_as_typed(qtbot, window: MainWindow, demo_folder: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    name = "Clinique <b>&amp; Cie</b> & fils"
    workbook = openpyxl.load_workbook(demo_folder / "clients.xlsx")
    assert workbook.active["A4"].value == "C0001"  # the client of BDC-2022-0001
    workbook.active["B4"] = name
    workbook.save(demo_folder / "clients.xlsx")
    workspace = load_workspace(demo_folder)
    register = register_for(workspace)
    exported = export_workspace(workspace, workspace.judged_at, tmp_path / "depots", register=RegisterIndex.of(register))
    record_export(register, exported)
    with qtbot.waitSignals([window.session.validated, window.session.tracked], timeout=TIMEOUT):
        window.open_workspace(demo_folder)
    page = show(window)
    settle(qtbot, window)
    (demande,) = select(page, "BDC-2022-0001")
    assert page.selected_entries()[0].beneficiary_name == name
    assert f"{demande} — {name} — BDC BDC-2022-0001" in rendered(page.history_label)
    demandes = window.demandes
    assert demandes.select_demande(demande)
    assert rendered(demandes.detail).startswith(f"{demande} — {name}\n")
    dialog = DifferencesDialog(Modification(page.selected_entries()[0], {}, None, [], None), page)
    assert rendered(dialog.about).startswith(f"{demande} — {name} — BDC BDC-2022-0001\n")
    odd = tmp_path / "statuts <i>&amp; co"
    odd.mkdir()
    shutil.copy(demo_folder / "statuts_portail.csv", odd / "statuts.csv")
    run(qtbot, window, lambda: page.import_status_file(odd / "statuts.csv"))
    assert f" — {odd / 'statuts.csv'}, fichier CSV, " in rendered(page.dialog.counts)  # no sheet the user never made
