"""« Format de dépôt… » and the Export page's banner, driven as a user would (issue #16)."""

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit

from segur_desktop.core.validate.schemas import SchemaRegistry
from segur_desktop.gui.format_dialog import FIXED, FormatDialog
from segur_desktop.gui.main_window import MainWindow

MODEL = {"entete": {"versionModele": "3.0", "demandeur": {"siret": "", "raisonSociale": ""}},
         "lignes": [{"numeroDemande": "", "finessGeo": "", "montant": 0, "codeGuichet": "",
                     "commande": {"numeroBdc": "", "dateSignature": ""}}]}
EXAMPLE = {"entete": {"versionModele": "3.0", "demandeur": {"siret": "73282932000074", "raisonSociale": "X"}},
           "lignes": [{"numeroDemande": "HOP-AV-ABCDEFGHIJ", "finessGeo": "010000024", "montant": 3000.0,
                       "codeGuichet": "G-1", "commande": {"numeroBdc": "B", "dateSignature": "01/09/2022"}}]}


def official_files(tmp_path: Path) -> tuple[Path, Path]:
    model, example = tmp_path / "modele.json", tmp_path / "exemple.json"
    model.write_text(json.dumps(MODEL), encoding="utf-8")
    example.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    return model, example


def show_export(qtbot, window: MainWindow) -> None:
    window.navigation.setCurrentRow(window.stack.indexOf(window.export))
    qtbot.waitUntil(lambda: window.export.plan is not None and not window.export.planning, timeout=20000)


def analyse(qtbot, dialog: FormatDialog, model: Path, example: Path) -> None:
    dialog.model_edit.setText(str(model))
    dialog.example_edit.setText(str(example))
    dialog.couloir.setCurrentIndex(dialog.couloir.findData("HOP"))
    dialog.request_type.setCurrentIndex(dialog.request_type.findData("avance"))
    qtbot.mouseClick(dialog.analyse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.proposal is not None and not dialog.busy, timeout=20000)


def row_of(dialog: FormatDialog, path: str) -> int:
    return next(i for i, m in enumerate(dialog.proposal.mapped) if m.path == path)


def test_the_export_page_warns_while_the_reconstructed_format_is_in_force(qtbot, demo_window: MainWindow) -> None:
    show_export(qtbot, demo_window)
    page = demo_window.export
    assert page.format_box.isVisible()
    assert "Format reconstitué" in page.format_banner.text() and "HOP avance" in page.format_banner.text()
    qtbot.mouseClick(page.format_button, Qt.MouseButton.LeftButton)
    dialog = demo_window.findChild(FormatDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.close()


def test_importing_the_official_model_in_the_window(qtbot, demo_window: MainWindow, tmp_path: Path,
                                                    user_data: Path) -> None:
    model, example = official_files(tmp_path)
    dialog = demo_window.open_formats()
    analyse(qtbot, dialog, model, example)
    # The proposal: finessGeo gets the FINESS ET, the amount the requested amount; the guichet code has no source.
    finess = dialog.table.cellWidget(row_of(dialog, "lignes[].finessGeo"), 1)
    assert isinstance(finess, QComboBox) and finess.currentData() == "beneficiaire.finess_et"
    assert "lignes[].codeGuichet" in dialog.status.text()
    preview = json.loads(dialog.preview.toPlainText())
    assert preview["lignes"][0]["finessGeo"] and preview["lignes"][0]["commande"]["dateSignature"].count("/") == 2
    assert "codeGuichet" not in preview["lignes"][0]
    # The user gives the guichet code a fixed value: the preview shows it, nothing is missing any more.
    row = row_of(dialog, "lignes[].codeGuichet")
    fixed = dialog.table.cellWidget(row, 2)
    combo = dialog.table.cellWidget(row, 1)
    assert isinstance(fixed, QLineEdit) and isinstance(combo, QComboBox)
    fixed.setText("G-HOP")
    combo.setCurrentIndex(combo.findData(FIXED))
    assert json.loads(dialog.preview.toPlainText())["lignes"][0]["codeGuichet"] == "G-HOP"
    assert "Chaque clé du modèle a sa valeur" in dialog.status.text()
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.saved == user_data / "formats" / "officiel-HOP-avance"
    assert SchemaRegistry.default().entry("HOP", "avance").format.official
    show_export(qtbot, demo_window)
    assert "HOP avance" not in demo_window.export.format_banner.text()  # the others are still reconstructed
    assert "MDV avance" in demo_window.export.format_banner.text()
    dialog.close()


def test_an_unusable_model_is_said_in_the_dialog(qtbot, window: MainWindow, tmp_path: Path) -> None:
    model = tmp_path / "modele.json"
    model.write_text("{pas du json", encoding="utf-8")
    dialog = window.open_formats()
    dialog.model_edit.setText(str(model))
    qtbot.mouseClick(dialog.analyse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy and "JSON valide" in dialog.status.text(), timeout=20000)
    assert dialog.proposal is None
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    dialog.close()


def test_a_format_for_one_wave_from_the_window(qtbot, demo_window: MainWindow, tmp_path: Path, user_data: Path) -> None:
    model, example = official_files(tmp_path)
    dialog = demo_window.open_formats()
    dialog.vague.setCurrentIndex(dialog.vague.findData("2"))
    analyse(qtbot, dialog, model, example)
    assert dialog.proposal.vague == "2" and dialog.proposal.format_id == "officiel-HOP-avance-v2"
    row = row_of(dialog, "lignes[].codeGuichet")
    dialog.table.cellWidget(row, 2).setText("G")
    combo = dialog.table.cellWidget(row, 1)
    combo.setCurrentIndex(combo.findData(FIXED))
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    registry = SchemaRegistry.default()
    assert registry.entry("HOP", "avance", "2").format.official
    assert not registry.entry("HOP", "avance", "1").format.official  # the demo's vague 1 keeps its format
    dialog.close()


def test_a_model_that_is_a_list_with_a_key_two_fields_fit(qtbot, demo_window: MainWindow, tmp_path: Path) -> None:
    # The ASP's file as the list of demandes itself, no example: placeholders say how dates and amounts are written.
    model = tmp_path / "modele.json"
    model.write_text(json.dumps([{"numeroBdc": "", "dateSignature": "JJ/MM/AAAA", "montantHt": "0,00",
                                  "montantDemande": "0,00"}]), encoding="utf-8-sig")
    dialog = demo_window.open_formats()
    dialog.model_edit.setText(str(model))
    dialog.couloir.setCurrentIndex(dialog.couloir.findData("HOP"))
    dialog.request_type.setCurrentIndex(dialog.request_type.findData("avance"))
    qtbot.mouseClick(dialog.analyse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.proposal is not None and not dialog.busy, timeout=20000)
    assert "[].montantHt (ambiguë : demande.montant_ht ou bdc.montant_ht)" in dialog.status.text()
    combo = dialog.table.cellWidget(row_of(dialog, "[].montantHt"), 1)
    assert "bdc.montant_ht" in combo.toolTip()
    combo.setCurrentIndex(combo.findData("bdc.montant_ht"))
    (first,) = json.loads(dialog.preview.toPlainText())
    assert first["dateSignature"].count("/") == 2 and "," in first["montantHt"] and "," in first["montantDemande"]
    assert "Chaque clé du modèle a sa valeur" in dialog.status.text()
    dialog.close()
