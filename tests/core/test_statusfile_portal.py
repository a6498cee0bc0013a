"""Status files shaped like the portal's real exports (issue #17): headers in other words, a title block, extra
columns, CP1252 or a BOM, statuses in the masculine or with a note, blank cells, repeated lines, demandes found by
their BDC only, files with nothing to say; each line said in French, nothing applied that the plan did not show.
Run on both register backends (`conftest.new_register`)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import Cancelled
from segur_desktop.core.progress import CancelToken, Progress
from segur_desktop.core.register.avenants import NewAvenant
from segur_desktop.core.register.lifecycle import load_lifecycle
from segur_desktop.core.register.statusfile import Verdict, apply_status_file, plan_status_file
from segur_desktop.core.register.store import Attachment, DepositItem, ExportRecord, Register, StatusChange

AT = datetime(2026, 1, 5, 9, 30, tzinfo=PARIS)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _item(number: int, bdc: str | None = None) -> DepositItem:
    demande_id, bdc = f"HOP-AV-{number}", bdc or f"BDC-{number}"
    text = json.dumps({"idDemande": demande_id})
    return DepositItem(demande_id, "HOP", "avance", "FINESS", f"75000000{number}", "Clinique", "DPI", "Élan", bdc,
                       "1000.00", "300.00", "HOP_avance.json", _sha(demande_id), text, _sha(text),
                       (Attachment(f"{demande_id}_BDC.pdf", _sha(bdc), 10, "b.pdf"),))


@pytest.fixture
def register(new_register) -> Register:
    register = new_register()
    register.record(ExportRecord("/d/depot_1", "depot_1", _sha("m1"), "depot", AT.isoformat(), "/d",
                                 (*(_item(n) for n in range(1, 5)), _item(5, "000123"))), at=AT)
    return register


PORTAL_ROWS = [["N° de demande", "Couloir", "Statut de la demande", "Date de mise à jour", "Motif", "Montant"],
               ["HOP-AV-1", "HOP", "VALIDEE ", "02/12/2025", "", "300"],
               ["hop-av-2", "HOP", "En attente de PJ complémentaires", "2025-12-03", "BDC illisible", "300"],
               ["HOP-AV-3", "HOP", "Validé", "3 décembre 2025", "", "300"]]


def _csv(tmp_path: Path, rows: list[list[str]], *, delimiter: str, encoding: str) -> Path:
    path = tmp_path / "statuts.csv"
    path.write_bytes("\r\n".join(delimiter.join(row) for row in rows).encode(encoding) + b"\r\n")
    return path


@pytest.mark.parametrize("shape", ["xlsx with a title block", "csv utf-8-sig ;", "csv cp1252 ,"])
def test_a_portal_export_is_read_whatever_its_headers_encoding_and_title_block(register: Register, tmp_path: Path,
                                                                                make_xlsx, shape: str) -> None:
    if shape.startswith("xlsx"):
        path = make_xlsx("export_portail.xlsx", [["Export des demandes — portail ASP"], ["Éditeur : Élan"], [],
                                                 *PORTAL_ROWS])
        header_row = 4
    else:
        delimiter, encoding = (";", "utf-8-sig") if "utf-8" in shape else (",", "cp1252")
        path, header_row = _csv(tmp_path, PORTAL_ROWS, delimiter=delimiter, encoding=encoding), 1
    plan = plan_status_file(register, path)
    assert plan.header_row == header_row
    assert plan.columns == {"request_id": "N° de demande", "status": "Statut de la demande",
                            "status_date": "Date de mise à jour", "comment": "Motif"}
    assert "« N° de demande » (Identifiant de la demande)" in plan.read_columns()
    assert [(line.row - header_row, line.verdict, line.new_status) for line in plan.lines] == [
        (1, Verdict.CHANGE, "validee"), (2, Verdict.CHANGE, "attente_pieces"), (3, Verdict.CHANGE, "validee")]
    assert plan.lines[1].comment == "BDC illisible — statut du portail au 03/12/2025"
    assert plan.lines[2].comment == "statut du portail au 03/12/2025"
    assert plan.notes() == []


def test_statuses_are_read_in_the_masculine_the_plural_and_with_a_note() -> None:
    lifecycle = load_lifecycle()
    read = {text: lifecycle.parse(text) for text in (
        "Refusé", "Transmis", "Décidé payé", "Validées", "Validée (cas 1)", "Rejetée [doublon]", "Dossier incomplet",
        "En attente de pièces justificatives complémentaires", "À corriger", "Soumise", "Brouillon", "(en cours)")}
    assert read == {"Refusé": "rejetee", "Transmis": "en_cours", "Décidé payé": "decidee_payee", "Validées": "validee",
                    "Validée (cas 1)": "validee", "Rejetée [doublon]": "rejetee", "Dossier incomplet": "incomplete",
                    "En attente de pièces justificatives complémentaires": "attente_pieces", "À corriger": "a_modifier",
                    "Soumise": "en_cours", "Brouillon": None, "(en cours)": "en_cours"}


def test_a_gender_fold_two_statuses_share_is_read_as_neither(user_data: Path) -> None:
    bundled = json.loads((Path(__file__).parents[2] / "resources" / "statuses.json").read_text(encoding="utf-8"))
    for status in bundled["statuses"]:  # « transmis » (en cours) and « transmises » (rejetée): which one is meant?
        if status["code"] == "rejetee":
            status["portal_labels"].append("transmises")
    (user_data / "resources").mkdir(parents=True, exist_ok=True)
    (user_data / "resources" / "statuses.json").write_text(json.dumps(bundled), encoding="utf-8")
    load_lifecycle.cache_clear()
    try:
        lifecycle = load_lifecycle()
        assert lifecycle.parse("transmise") == "en_cours"  # its own label first
        assert lifecycle.parse("Transmis.") is None and lifecycle.parse("Transmisses") is None
    finally:
        load_lifecycle.cache_clear()


def test_blank_cells_repeats_and_a_bdc_fallback_are_each_said(register: Register, tmp_path: Path) -> None:
    path = _csv(tmp_path, [["Identifiant de la demande", "N° BDC", "Statut"],
                           ["", "", "Validée"],  # names no demande
                           ["HOP-AV-1", "", ""],  # no status
                           ["HOP-AV-2", "", "Validée"], ["HOP-AV-2", "", "validé"],  # the same status twice
                           ["DEM-000123", "BDC-3", "En cours"],  # the portal's own number: found by the BDC
                           ["HOP-AV-4", "BDC-9", "En cours"]], delimiter=";", encoding="utf-8")
    plan = plan_status_file(register, path)
    by_row = {line.row: line for line in plan.lines}
    assert (by_row[2].verdict, by_row[2].reference) == (Verdict.UNKNOWN, "?")
    assert "ni N° de BDC" in by_row[2].detail
    assert by_row[3].verdict == Verdict.UNREADABLE and "sans statut" in by_row[3].detail
    assert by_row[4].verdict == Verdict.CHANGE
    assert by_row[5].verdict == Verdict.UNCHANGED and by_row[5].detail == "Répète la ligne 4 (« Validée ») : comptée une fois."
    assert by_row[6].entry is not None and by_row[6].entry.id == "HOP-AV-3" and by_row[6].verdict == Verdict.CHANGE
    assert by_row[6].note == ("Identifiant « DEM-000123 » absent du registre : demande HOP-AV-3 trouvée par son N° de BDC "
                              "« BDC-3 ».")
    assert by_row[7].entry is not None and by_row[7].entry.id == "HOP-AV-4"
    assert "« BDC-9 » dans le fichier, « BDC-4 » dans le registre" in by_row[7].note
    assert plan.notes() == []  # the line naming nothing is not « a demande absent from the register »
    outcome = apply_status_file(register, plan)
    assert sorted(change[0] for change in outcome.applied) == ["HOP-AV-2", "HOP-AV-3", "HOP-AV-4"]
    assert [h.new_status for h in register.history("HOP-AV-2")] == ["exportee", "validee"]  # once
    assert register.entry("HOP-AV-1").status == "exportee"


def test_a_file_with_nothing_to_say_or_another_registers_demandes_says_so(register: Register, tmp_path: Path) -> None:
    only_header = _csv(tmp_path, [["N° de BDC", "Statut"]], delimiter=";", encoding="utf-8-sig")
    plan = plan_status_file(register, only_header)
    assert plan.lines == [] and plan.changes() == []
    assert plan.notes() == ["Aucune ligne de statut sous les en-têtes (ligne 1) : ce fichier ne change rien. Vérifiez "
                            "qu'il s'agit du bon export du portail, et qu'il n'a pas été filtré."]
    elsewhere = _csv(tmp_path, [["N° de BDC", "Statut"], ["AUTRE-1", "Validée"], ["AUTRE-2", "En cours"]],
                     delimiter=";", encoding="utf-8")
    notes = plan_status_file(register, elsewhere).notes()
    assert len(notes) == 1 and notes[0].startswith("Aucune ligne du fichier (2) ne désigne une demande de ce registre")
    assert "autre éditeur" in notes[0] and "autre poste" in notes[0] and "sauvegarde" in notes[0]


def test_a_long_file_reports_its_progress_and_can_be_cancelled(register: Register, tmp_path: Path) -> None:
    rows = [["N° de BDC", "Statut"]] + [[f"BDC-{n % 4 + 1}", "En cours"] for n in range(9000)]
    path = _csv(tmp_path, rows, delimiter=";", encoding="utf-8")
    seen: list[Progress] = []
    plan = plan_status_file(register, path, progress=seen.append)
    comparing = [p for p in seen if p.stage == "Comparaison avec le registre de suivi"]
    assert [p.done for p in comparing] == [0, 2000, 4000, 6000, 8000, 9000] and comparing[-1].total == 9000
    assert plan.counts() == {Verdict.CHANGE: 4, Verdict.UNCHANGED: 8996}
    token = CancelToken()

    def cancel_midway(progress: Progress) -> None:
        if progress.done >= 2000:
            token.cancel()

    with pytest.raises(Cancelled):
        plan_status_file(register, path, progress=cancel_midway, cancel=token)


def test_a_bdc_number_excel_stripped_of_its_leading_zeros_is_found_and_said(register: Register, tmp_path: Path) -> None:
    path = _csv(tmp_path, [["N° BDC", "Statut"], ["123", "Validée"], ["0123", "Validée"]], delimiter=";",
                encoding="utf-8")
    plan = plan_status_file(register, path)
    assert [(line.verdict, line.entry.id if line.entry else None) for line in plan.lines] == [
        (Verdict.CHANGE, "HOP-AV-5"), (Verdict.UNCHANGED, "HOP-AV-5")]
    assert plan.lines[0].note == ("N° de BDC « 123 » lu comme « 000123 » du registre : ses zéros de tête ont été perdus "
                                  "(un fichier CSV ouvert puis enregistré dans Excel les retire).")


def test_portal_numbers_instead_of_the_app_s_ids_are_said_with_the_column_to_add(register: Register,
                                                                                 tmp_path: Path) -> None:
    path = _csv(tmp_path, [["N° de demande", "Statut"], ["2025-000017", "Validée"]], delimiter=";", encoding="utf-8")
    (note,) = plan_status_file(register, path).notes()
    assert ("Si la colonne « N° de demande » porte les numéros du portail et non les identifiants de Segur Desktop, "
            "ajoutez au fichier la colonne du N° de BDC.") in note


def test_rows_hidden_by_a_filter_are_read_and_said_and_rows_left_out_are_named(register: Register,
                                                                                make_xlsx) -> None:
    path = make_xlsx("filtre.xlsx", [["N° de BDC", "Statut"], ["BDC-1", "Validée"], ["BDC-2", "Rejetée"],
                                     ["BDC-3", "En cours"], [], ["Extraction du 05/12/2025"]])
    workbook = openpyxl.load_workbook(path)
    workbook.active.row_dimensions[3].hidden = True  # the user filtered « Rejetée » out of sight
    workbook.save(path)
    plan = plan_status_file(register, path)
    assert plan.hidden == (3,) and plan.left_out == {6: "Extraction du 05/12/2025"}
    by_row = {line.row: line for line in plan.lines}
    assert by_row[3].verdict == Verdict.CHANGE and by_row[3].note == "Ligne masquée dans le classeur : lue comme les autres."
    assert by_row[2].note == ""
    assert plan.notes() == [
        "Ligne(s) 6 écartée(s) : total ou note sous la liste (« Extraction du 05/12/2025 »).",
        "Ligne(s) 3 masquée(s) dans le classeur (un filtre ?) : elles sont lues comme les autres. Supprimez-les du "
        "fichier si elles ne doivent pas être appliquées."]


def test_a_demande_s_history_dated_line_by_line_gives_its_latest_status(register: Register, tmp_path: Path) -> None:
    """A portal export listing each change of a demande: the latest date is its status now, not a contradiction."""
    path = _csv(tmp_path, [["N° de demande", "Statut", "Date de mise à jour"],
                           ["HOP-AV-1", "Validée", "15/12/2025"], ["HOP-AV-1", "En cours", "01/12/2025"],
                           ["HOP-AV-1", "VALIDEE", "2025-12-15"],  # the latest, twice
                           ["HOP-AV-2", "Validée", "03/12/2025"], ["HOP-AV-2", "Rejetée", "03/12/2025"],  # one date
                           ["HOP-AV-3", "Validée", "03/12/2025"], ["HOP-AV-3", "Rejetée", ""]],  # one undated
                delimiter=";", encoding="utf-8")
    plan = plan_status_file(register, path)
    by_row = {line.row: line for line in plan.lines}
    assert [by_row[row].verdict for row in (2, 3, 4)] == [Verdict.CHANGE, Verdict.SUPERSEDED, Verdict.UNCHANGED]
    assert by_row[3].detail == "Statut plus ancien : la ligne 2 donne le statut de la demande au 15/12/2025 (« Validée »)."
    assert by_row[4].detail == "Répète la ligne 2 (« Validée ») : comptée une fois."
    assert {by_row[row].verdict for row in (5, 6, 7, 8)} == {Verdict.AMBIGUOUS}
    assert "ou datez chaque ligne : la plus récente l'emporte" in by_row[5].detail
    assert [change.id for change in plan.changes(force=True)] == ["HOP-AV-1"]
    outcome = apply_status_file(register, plan)
    assert outcome.applied == [("HOP-AV-1", "exportee", "validee")]
    assert register.history("HOP-AV-1")[-1].comment == "statut du portail au 15/12/2025"


def test_an_avenant_column_saying_no_is_about_the_demande_itself(register: Register, tmp_path: Path) -> None:
    """« Avenant : Non » recorded a phantom avenant n° 1, whose status then held back the avance's solde."""
    path = _csv(tmp_path, [["N° de demande", "Avenant", "Statut"], ["HOP-AV-1", "Non", "Validée"],
                           ["HOP-AV-2", "-", "Validée"], ["HOP-AV-3", "0", "Validée"], ["HOP-AV-4", "abc", "Validée"],
                           ["HOP-AV-5", "2", "En cours"]], delimiter=";", encoding="utf-8")
    plan = plan_status_file(register, path)
    by_row = {line.row: line for line in plan.lines}
    assert [(by_row[row].verdict, by_row[row].avenant) for row in (2, 3, 4)] == [(Verdict.CHANGE, None)] * 3
    assert by_row[5].verdict == Verdict.UNREADABLE and by_row[5].detail.startswith("N° d'avenant « abc » illisible")
    assert (by_row[6].verdict, by_row[6].avenant, by_row[6].avance_id) == (Verdict.CHANGE, 2, "HOP-AV-5")
    apply_status_file(register, plan)
    assert [register.entry(f"HOP-AV-{n}").status for n in (1, 2, 3, 4)] == ["validee", "validee", "validee", "exportee"]
    assert [e.id for e in register.entries() if e.avenants] == ["HOP-AV-5"]


def test_an_avenant_number_past_any_real_one_is_refused_not_a_crash(register: Register, tmp_path: Path) -> None:
    """« 99999999999999999999 » in the avenant column reached SQL as a parameter: OverflowError, a crash."""
    path = _csv(tmp_path, [["N° de demande", "N° d'avenant", "Statut"], ["HOP-AV-1", "99999999999999999999", "En cours"],
                           ["HOP-AV-2", "100", "En cours"], ["HOP-AV-3", "99", "En cours"]], delimiter=";",
                encoding="utf-8")
    plan = plan_status_file(register, path)
    assert [line.verdict for line in plan.lines] == [Verdict.UNREADABLE, Verdict.UNREADABLE, Verdict.CHANGE]
    assert plan.lines[0].detail == ("Numéro d'avenant « 99999999999999999999 » illisible : un avenant est numéroté de 1 "
                                    "à 99.")
    apply_status_file(register, plan)
    assert [(a.numero, a.status) for a in register.entry("HOP-AV-3").avenants] == [(99, "en_cours")]
    huge = 10 ** 20
    assert register.add_avenants([NewAvenant("HOP-AV-1", huge, "en_cours")], source="test") == [
        (f"HOP-AV-1 avenant n° {huge}", "un numéro d'avenant va de 1 à 99")]
    outcome = register.set_status([StatusChange("HOP-AV-1", "validee", avenant=huge)], source="test")
    assert outcome.unknown == [f"HOP-AV-1 avenant n° {huge}"] and not outcome.applied


def test_a_status_cell_of_pages_of_text_is_quoted_by_its_start() -> None:
    reason = load_lifecycle().unknown("x" * 5000)
    assert reason.startswith("Statut « " + "x" * 79 + "… » inconnu (statuts : Exportée, En cours") and len(reason) < 400
