"""The Export page: preview, couloir choice, hors délai, destination, export with progress and cancel, verify."""

import json
import shutil
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFileDialog
from windowjobs import export_page_settled as settled
from windowjobs import run_job as run

from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.verify import verify_bundle
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.models.export_models import COULOIR, GroupsModel, LeftOutModel
from segur_desktop.gui.pages import export as export_page
from segur_desktop.gui.pages.export import ExportPage

EXPORT_TIMEOUT = 30000


def row_of(model: GroupsModel, couloir: str, kind: str) -> int:
    return next(r for r in range(model.rowCount()) if model.group(r).key == (couloir, kind))


def test_empty_until_a_workspace_is_validated(window: MainWindow) -> None:
    page = window.export
    assert page.stack.currentWidget() is page.empty
    assert not page.export_button.isEnabled()


def test_the_demo_preview_says_what_goes_in_and_what_is_left_out(qtbot, demo_window: MainWindow, qtmodeltester) -> None:
    page = settled(qtbot, demo_window)
    assert page.stack.currentWidget() is page.content
    qtmodeltester.check(page.groups_model)
    qtmodeltester.check(page.left_out_model)
    model = page.groups_model
    assert [model.data(model.index(row_of(model, "HOP", "avance"), c)) for c in range(6)] == [
        "HOP", "avance", "7", "1", "38\u202f850,00 €", "30/11/2022 à 14:00 — ouvert"]
    # The register is empty: the 3 soldes wait for their avances to be deposited and validated.
    assert page.summary.text() == ("29 demande(s) à exporter dans 6 fichier(s) de dépôt, 73\u202f864,79 € HT demandés ; "
                                   "12 écartée(s).")
    assert page.left_out_model.rowCount() == 12
    reasons = {page.left_out_model.index(r, 0).data() for r in range(12)}  # the kind of problem, not « En erreur »
    assert {"Date impossible", "Client introuvable", "Identifiant invalide (clé)"} <= reasons
    assert "En erreur" not in reasons
    kinds = {page.left_out_model.index(r, 0).data(Qt.ItemDataRole.ToolTipRole) for r in range(12)}
    assert kinds == {"En erreur", "Ligne sans demande"}
    assert page.instant.text() == "Guichets jugés au 28/11/2022 10:00 (fixé)"
    assert page.closed_box.isHidden()  # no closed guichet on 28/11/2022
    assert page.destination == demo_window.session.workspace.output
    assert page.export_button.isEnabled()


def test_export_writes_a_verified_bundle_and_opens_its_folder(qtbot, demo_window: MainWindow) -> None:
    page = settled(qtbot, demo_window)
    job = run(qtbot, demo_window, lambda: qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton))
    assert job is not None and page.bundle is not None and page.bundle.parent == page.destination
    assert verify_bundle(page.bundle).ok
    assert page.result.text().startswith(f"Paquet écrit et vérifié : {page.bundle}\n29 demande(s) exportée(s), "
                                         "12 écartée(s)")
    assert "\nSuivi : 29 demande(s) entrée(s) dans le registre « exportée »" in page.result.text()
    assert page.report.isVisibleTo(page) and "Conforme : 29 demande(s) dans 6 fichier(s)" in page.report.toPlainText()
    assert page.open_button.isEnabled()
    with qtbot.waitSignal(page.open_path) as opened:
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [page.bundle]


def test_a_couloir_unchecked_is_left_out_of_the_bundle(qtbot, demo_window: MainWindow) -> None:
    page = settled(qtbot, demo_window)
    model = page.groups_model
    row = row_of(model, "HOP", "avance")
    assert model.setData(model.index(row, COULOIR), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    settled(qtbot, demo_window)
    assert model.index(row, COULOIR).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.index(row, 2).data() == "0" and model.index(row, 3).data() == "8"
    assert page.summary.text().startswith("22 demande(s) à exporter dans 5 fichier(s)")
    run(qtbot, demo_window, page.export)
    assert not (page.bundle / "HOP_avance.json").exists() and (page.bundle / "MDV_avance.json").is_file()
    for r in range(model.rowCount()):
        model.setData(model.index(r, COULOIR), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    settled(qtbot, demo_window)
    assert not page.export_button.isEnabled()
    assert page.export_button.toolTip() == "Aucune demande ne peut être exportée : voir les demandes écartées."


def test_closed_guichets_offer_hors_delai_which_the_manifest_records(qtbot, demo_window: MainWindow) -> None:
    session, page = demo_window.session, demo_window.export
    session.at_override = parse_instant("2022-12-01T09:00:00+01:00")
    with qtbot.waitSignal(session.validated, timeout=20000):
        session.revalidate()
    settled(qtbot, demo_window)
    assert page.closed_box.isVisibleTo(page)
    assert sorted(page._closed_boxes) == [("BIO", "avance"), ("HOP", "avance"), ("MDV", "avance")]
    box = page.findChild(type(page.as_zip), "hors_delai_HOP_avance")
    assert box.text() == ("Exporter quand même HOP avance « hors délai » — guichet fermé depuis le 30/11/2022 à 14:00 "
                          "(7 demande(s) valide(s))")
    model = page.groups_model
    hop = row_of(model, "HOP", "avance")
    assert model.index(hop, 2).data() == "0" and model.index(hop, 5).data() == "30/11/2022 à 14:00 — fermé"
    assert model.index(hop, 5).data(Qt.ItemDataRole.ForegroundRole) is not None
    box.setChecked(True)
    settled(qtbot, demo_window)
    assert model.index(hop, 2).data() == "7" and model.index(hop, 5).data().endswith("fermé — exporté hors délai")
    assert page.findChild(type(page.as_zip), "hors_delai_HOP_avance") is box  # still there, still checked
    run(qtbot, demo_window, page.export)
    manifest = json.loads((page.bundle / "manifest.json").read_text(encoding="utf-8"))
    assert [(h["couloir"], h["type"]) for h in manifest["hors_delai"]] == [("HOP", "avance")]
    assert not (page.bundle / "MDV_avance.json").exists()


def test_another_workspace_starts_with_every_couloir_and_nothing_hors_delai(qtbot, demo_window: MainWindow,
                                                                           demo_folder: Path, tmp_path: Path) -> None:
    session, page = demo_window.session, demo_window.export
    session.at_override = parse_instant("2022-12-01T09:00:00+01:00")  # HOP, MDV, BIO avance closed
    with qtbot.waitSignal(session.validated, timeout=20000):
        session.revalidate()
    settled(qtbot, demo_window)
    page.findChild(QCheckBox, "hors_delai_HOP_avance").setChecked(True)
    settled(qtbot, demo_window)
    model = page.groups_model
    model.setData(model.index(row_of(model, "PHA", "avance"), COULOIR), Qt.CheckState.Unchecked.value,
                  Qt.ItemDataRole.CheckStateRole)
    settled(qtbot, demo_window)
    assert page.options().hors_delai == {("HOP", "avance")} and ("PHA", "avance") not in page.options().only
    other = tmp_path / "autre"
    shutil.copytree(demo_folder, other)
    with qtbot.waitSignal(session.validated, timeout=20000):
        demo_window.open_workspace(other)
    settled(qtbot, demo_window)
    options = page.options()
    assert options.hors_delai == frozenset() and options.only is None
    assert all(model.group(r).chosen for r in range(model.rowCount()))
    assert model.index(row_of(model, "HOP", "avance"), 2).data() == "0"  # closed, and not asked for here
    box = page.findChild(QCheckBox, "hors_delai_HOP_avance")
    assert box is not None and not box.isChecked()
    assert sorted(page._closed_boxes) == [("BIO", "avance"), ("HOP", "avance"), ("MDV", "avance")]


def test_a_plan_the_core_cannot_make_is_said_on_the_page(qtbot, demo_window: MainWindow, monkeypatch) -> None:
    page = settled(qtbot, demo_window)
    assert page.export_button.isEnabled()

    def unusable(result, options):
        raise InputError("Le calendrier « vague2.json » ne peut pas être lu.")

    monkeypatch.setattr("segur_desktop.gui.pages.export.plan_export", unusable)
    page.refresh()
    qtbot.waitUntil(lambda: not page.planning, timeout=EXPORT_TIMEOUT)
    assert page.summary.text() == "Impossible de préparer l'export : Le calendrier « vague2.json » ne peut pas être lu."
    assert page.plan is None and page.groups_model.rowCount() == 0 and page.left_out_model.rowCount() == 0
    assert not page.export_button.isEnabled()


def test_cancel_leaves_nothing_behind(qtbot, demo_window: MainWindow) -> None:
    page = settled(qtbot, demo_window)

    def start_and_cancel() -> None:
        page.export().cancel()

    with qtbot.waitSignal(demo_window.session.job_started, timeout=5000) as started:
        start_and_cancel()
    with qtbot.waitSignal(started.args[0].cancelled, timeout=EXPORT_TIMEOUT):
        pass
    qtbot.waitUntil(lambda: page.export_button.isEnabled())
    assert page.result.text() == "Export annulé : rien n'a été écrit."
    assert not page.destination.exists() or list(page.destination.iterdir()) == []
    assert page.bundle is None and not page.open_button.isEnabled()


def test_a_destination_that_cannot_be_written_is_said_in_french(qtbot, demo_window: MainWindow, tmp_path: Path) -> None:
    page = settled(qtbot, demo_window)
    blocked = tmp_path / "not_a_folder"
    blocked.write_text("x", encoding="utf-8")
    page.set_destination(blocked)
    run(qtbot, demo_window, page.export)
    assert page.result.text().startswith("L'export n'a pas pu se faire : Impossible d'écrire dans")
    assert page.report.isHidden()


def test_the_chosen_destination_is_remembered(qtbot, demo_window: MainWindow, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = tmp_path / "depots"
    chosen.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(chosen))
    page = settled(qtbot, demo_window)
    page.choose_destination()
    assert page.destination == chosen and page.destination_edit.text() == str(chosen)
    again = ExportPage(demo_window.session, demo_window.settings)
    qtbot.addWidget(again)
    assert again.destination == chosen


def test_verify_a_bundle_from_its_manifest_then_a_damaged_one(qtbot, demo_window: MainWindow,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    page = settled(qtbot, demo_window)
    run(qtbot, demo_window, page.export)
    bundle = page.bundle
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(bundle / "manifest.json"), ""))
    run(qtbot, demo_window, page.choose_and_verify)
    assert page.result.text() == f"Paquet conforme : {bundle}"
    (bundle / "HOP_avance_pieces.zip").unlink()
    run(qtbot, demo_window, lambda: page.verify(bundle))
    assert page.result.text() == f"Paquet NON CONFORME : {bundle}"
    assert "« HOP_avance_pieces.zip » manque dans le paquet." in page.report.toPlainText()
    run(qtbot, demo_window, lambda: page.verify(bundle.parent))
    assert "n'est pas un paquet de dépôt Segur Desktop" in page.result.text()


def test_the_left_out_table_explains_each_row(qtbot, demo_window: MainWindow) -> None:
    model: LeftOutModel = settled(qtbot, demo_window).left_out_model
    rows = {model.index(r, 1).data(): r for r in range(model.rowCount())}
    row = rows["bons_de_commande.xlsx › BDC signés, ligne 4"]
    assert model.index(row, 2).data() == "HOP avance · BDC-2022-0002 · Clinique Saint-Joseph de Rennes"
    assert model.index(row, 0).data() == "Date impossible"
    assert model.index(row, 3).data() == "« 31/02/2022 » n'existe pas dans le calendrier — colonne E (Date de signature)."
    silent = rows["bons_de_commande.xlsx › BDC signés, ligne 6"]
    assert model.index(silent, 0).data() == "Identifiant invalide (clé)"  # its client's problem
    assert model.index(silent, 0).data(Qt.ItemDataRole.ToolTipRole) == "Ligne sans demande"
    assert model.index(silent, 2).data() == "BDC-2022-0004"
    unknown = rows["bons_de_commande.xlsx › BDC signés, ligne 12"]
    assert model.index(unknown, 0).data() == "Client introuvable"
    assert model.index(unknown, 3).data().startswith("Aucun client de la liste des clients ne porte le code client")
    assert "Le client « Polyclinique du Parc (Bourg-en-Bresse) » de cette ligne est en erreur dans clients.xlsx" \
        in model.index(silent, 3).data()


def test_a_source_saved_since_the_validation_is_refused(qtbot, demo_window: MainWindow, demo_folder: Path) -> None:
    clients = demo_folder / "clients.xlsx"
    clients.write_bytes(clients.read_bytes())  # saved again: same content, new modification time
    page = settled(qtbot, demo_window)
    run(qtbot, demo_window, page.export)
    assert page.result.text() == ("L'export n'a pas pu se faire : « clients.xlsx » a changé depuis sa lecture. "
                                  "Enregistrez-le et fermez-le, revérifiez le dossier de travail (F5), puis exportez.")
    assert page.bundle is None
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        demo_window.session.revalidate()
    run(qtbot, demo_window, page.export)
    assert page.bundle is not None


def test_a_workspace_that_cannot_be_validated_says_why(qtbot, window: MainWindow, demo_folder: Path) -> None:
    (demo_folder / "clients.xlsx").unlink()
    with qtbot.waitSignal(window.session.validated, timeout=20000):
        window.open_workspace(demo_folder)
    page = window.export
    assert page.stack.currentWidget() is page.empty and not page.export_button.isEnabled()
    assert "« Démo — Médilog Santé » n'a pas pu être vérifié" in page.empty.text()


def test_a_bundle_checked_again_shows_the_newer_verdict(qtbot, demo_window: MainWindow,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first check, slower, ended last and its verdict replaced the one asked for after it."""
    page = settled(qtbot, demo_window)
    run(qtbot, demo_window, page.export)
    bundle = page.bundle
    real = export_page.verify_bundle

    def slow_for_the_bundle(path, **kwargs):
        if path == bundle:
            time.sleep(0.5)
        return real(path, **kwargs)

    monkeypatch.setattr(export_page, "verify_bundle", slow_for_the_bundle)
    first = page.verify(bundle)
    second = page.verify(bundle.parent)
    with qtbot.waitSignals([first.done, second.done], timeout=20000):
        pass
    assert "n'est pas un paquet de dépôt Segur Desktop" in page.result.text()
