"""The Suivi register: lifecycle, storage, recording exports, statuses, checks against earlier exports,
status files and follow-up bundles (issue #8)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from testdata import BDC_HEADERS, FINESS_A, FINESS_B, MINIMAL_PDF, RPPS_A, luhn_complete

from segur_desktop.core.atomic import STALE_AFTER_S
from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.bundle import ExportOptions, export_workspace
from segur_desktop.core.export.plan import Reason, plan_export
from segur_desktop.core.pipeline import PipelineResult, run_pipeline, write_outputs
from segur_desktop.core.register import register_for
from segur_desktop.core.register.followup import differences, modification, render_differences, write_followup
from segur_desktop.core.register.index import RegisterIndex, totals
from segur_desktop.core.register.lifecycle import load_lifecycle
from segur_desktop.core.register.migrations import VERSION
from segur_desktop.core.register.record import record_bundle, record_export
from segur_desktop.core.register.statusfile import Verdict, apply_status_file, plan_status_file
from segur_desktop.core.register.store import Register, StatusChange
from segur_desktop.core.workspace import load_workspace

AT = datetime(2022, 11, 28, 10, 0, tzinfo=PARIS)
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
           ["C2", "Centre hospitalier B", FINESS_B, None, "69001", "Lyon"],
           ["C3", "Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"]]
BDCS = [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"],
        ["B2", "C2", "Test DPI", "Avance", date(2022, 9, 2), 1000, "B2.pdf"],
        ["B3", "C3", "Test Cabinet", "Avance", date(2022, 9, 2), 1100, "B3.pdf"]]


@pytest.fixture
def register(new_register) -> Register:
    """The test's register, on SQLite then on PostgreSQL (`conftest.new_register`)."""
    return new_register()


def check(folder: Path, register: Register | None) -> PipelineResult:
    return run_pipeline(load_workspace(folder), AT, register=RegisterIndex.of(register) if register else None)


def export(folder: Path, register: Register, out: Path, **options) -> list[str]:
    """Export the workspace checked against the register, record it; the ids recorded.

    Each export gets its own instant: two identical bundles are one export to the register.
    """
    workspace = load_workspace(folder)
    export.count = getattr(export, "count", 0) + 1
    result = export_workspace(workspace, AT, out, ExportOptions(**options), register=RegisterIndex.of(register),
                              generated_at=datetime(2022, 11, 28, 11, export.count % 60, tzinfo=PARIS))
    outcome = record_export(register, result)
    return sorted(outcome.new + outcome.again)


def codes(result: PipelineResult) -> dict[str, int]:
    found: dict[str, int] = {}
    for d in result.diagnostics:
        found[d.code] = found.get(d.code, 0) + 1
    return found


# -- lifecycle -------------------------------------------------------------------

def test_statuses_are_read_as_the_portal_and_people_write_them() -> None:
    lifecycle = load_lifecycle()
    assert lifecycle.parse("VALIDEE") == "validee"
    assert lifecycle.parse("  En attente de PJ complémentaires ") == "attente_pieces"
    assert lifecycle.parse("a modifier") == "a_modifier"
    assert lifecycle.parse("Décidée et payée") == "decidee_payee"
    assert lifecycle.parse("doublon") == "conflit"
    assert lifecycle.parse("peut-être") is None
    assert lifecycle.allowed(None, "exportee") and not lifecycle.allowed(None, "validee")
    assert lifecycle.allowed("en_cours", "validee") and lifecycle.allowed("attente_pieces", "en_cours")
    assert not lifecycle.allowed("validee", "en_cours") and not lifecycle.allowed("decidee_payee", "rejetee")
    assert "Décidée et payée" in lifecycle.refusal("validee", "en_cours")


def test_a_user_statuses_file_renames_a_status_without_code(user_data: Path) -> None:
    bundled = Path(__file__).parents[2] / "resources" / "statuses.json"
    text = bundled.read_text(encoding="utf-8").replace('"label": "Validée"', '"label": "Accordée"')
    (user_data / "resources").mkdir(parents=True)
    (user_data / "resources" / "statuses.json").write_text(text, encoding="utf-8")
    load_lifecycle.cache_clear()
    try:
        assert load_lifecycle().label("validee") == "Accordée"
    finally:
        load_lifecycle.cache_clear()


# -- storage -----------------------------------------------------------------------

def test_a_new_register_is_wal_with_foreign_keys_and_a_version(tmp_path: Path) -> None:
    register = Register(tmp_path / "registre.sqlite3")
    assert register.journal_mode == "wal"
    assert register.version == VERSION
    with sqlite3.connect(register.path) as con:
        con.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError):
            con.execute("INSERT INTO history (demande_id, at, new_status, comment, author, source) "
                        "VALUES ('NOPE', '2022', 'exportee', '', 'x', 'y')")


def test_a_register_from_a_newer_version_is_refused_in_french(new_register, backend_kind) -> None:
    register = new_register()
    with register.backend.connect(write=True) as con:
        if backend_kind == "sqlite":
            con.execute(f"PRAGMA user_version = {VERSION + 1}")
        else:
            con.execute("UPDATE registre_version SET version = ?", (VERSION + 1,))
    with pytest.raises(InputError, match=f"version plus récente de Segur Desktop \\(format {VERSION + 1}, cette "
                                         f"version connaît le format {VERSION}\\)"):
        new_register()


def test_a_damaged_register_file_is_refused_in_french(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database at all" * 100)
    with pytest.raises(InputError, match="damaged.sqlite3"):
        Register(damaged)


def test_one_register_per_vendor_in_the_user_data_folder(user_data: Path, demo: Path) -> None:
    reg = register_for(load_workspace(demo))
    assert reg.path == user_data / "registres" / "73282932000074.sqlite3"
    assert reg.path.is_file()


# -- recording exports and changing statuses -----------------------------------------

def test_an_export_records_each_demande_with_hashes_once(make_workspace, register: Register, tmp_path: Path) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    result = export_workspace(load_workspace(folder), AT, tmp_path / "out", register=RegisterIndex.of(register))
    outcome = record_export(register, result)
    assert len(outcome.new) == 3 and not outcome.again
    entries = {e.bdc_number: e for e in register.entries()}
    assert entries["B1"].status == "exportee" and entries["B1"].requested_ht == 300
    assert entries["B1"].beneficiary_id == FINESS_A and entries["B1"].bundle_name == result.bundle.name
    deposit = register.deposits(entries["B1"].id)[0]
    assert deposit.request["idDemande"] == entries["B1"].id
    assert [a.name for a in deposit.attachments] == [f"{entries['B1'].id}_BDC.pdf"]
    assert len(deposit.attachments[0].sha256) == 64 and deposit.attachments[0].source == "B1.pdf"
    assert record_bundle(register, result.bundle).already_recorded  # the same bundle twice: nothing changes
    assert [h.new_status for h in register.history(entries["B1"].id)] == ["exportee"]


def test_a_zip_bundle_made_earlier_is_recorded_after_verification(make_workspace, register: Register, new_register,
                                                                  tmp_path: Path) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    result = export_workspace(load_workspace(folder), AT, tmp_path / "out", ExportOptions(as_zip=True))
    assert len(record_bundle(register, result.bundle).new) == 3
    tampered = tmp_path / "tampered"
    other = export_workspace(load_workspace(folder), AT, tampered)
    json_file = next(other.bundle.glob("HOP_avance*.json"))
    json_file.write_text(json_file.read_text(encoding="utf-8").replace("Centre", "Centra"), encoding="utf-8")
    with pytest.raises(InputError, match="ne passe pas la vérification"):
        record_bundle(new_register("other"), other.bundle)


def test_status_changes_follow_the_lifecycle_and_keep_history(make_workspace, register: Register,
                                                              tmp_path: Path) -> None:
    ids = export(make_workspace(CLIENTS, BDCS), register, tmp_path / "out")
    first, second, third = ids
    outcome = register.set_status([StatusChange(first, "en_cours", "déposé"), StatusChange(second, "decidee_payee"),
                                   StatusChange("HOP-AV-AAAAAAAAAA", "validee")], source="test")
    assert [(i, new) for i, _old, new in outcome.applied] == [(first, "en_cours"), (second, "decidee_payee")]
    assert outcome.unknown == ["HOP-AV-AAAAAAAAAA"]
    refused = register.set_status([StatusChange(second, "en_cours"), StatusChange(first, "en_cours")], source="test")
    assert refused.refused[0][0] == second and "Décidée et payée" in refused.refused[0][1]
    assert refused.unchanged == [first]
    forced = register.set_status([StatusChange(second, "validee", "erreur de saisie")], source="test", force=True)
    assert forced.applied == [(second, "decidee_payee", "validee")]
    history = register.history(second)
    assert [(h.old_status, h.new_status, h.forced) for h in history] == [
        (None, "exportee", False), ("exportee", "decidee_payee", False), ("decidee_payee", "validee", True)]
    assert history[-1].comment == "erreur de saisie" and history[-1].source == "test" and history[-1].author
    by_status = {(t.status, t.couloir): t.count for t in totals(register.entries())}
    assert by_status == {("en_cours", "HOP"): 1, ("validee", "HOP"): 1, ("exportee", "MDV"): 1}


def test_a_rejected_demande_exported_again_is_exportee_again(make_workspace, register: Register, tmp_path) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    ids = export(folder, register, tmp_path / "out1")
    register.set_status([StatusChange(ids[0], "rejetee")], source="test")
    again = export(folder, register, tmp_path / "out2")
    assert ids[0] in again
    assert register.entry(ids[0]).status == "exportee"
    assert len(register.deposits(ids[0])) == 2


# -- validation against the register ----------------------------------------------------

def test_demandes_already_exported_or_deposited_are_said_and_not_exported_again(make_workspace, register, tmp_path):
    folder = make_workspace(CLIENTS, BDCS)
    ids = export(folder, register, tmp_path / "out")
    result = check(folder, register)
    assert codes(result).get("deja_exportee") == 3 and all(d.valid for d in result.demandes)
    register.set_status([StatusChange(ids[0], "en_cours")], source="test")
    result = check(folder, register)
    assert codes(result).get("deja_deposee") == 1 and codes(result).get("deja_exportee") == 2
    plan = plan_export(result)
    assert [item.request for item in plan.left_out if item.reason is Reason.DEPOSITED] == [ids[0]]
    assert plan.exported == 2


def test_a_new_bdc_for_a_beneficiary_already_deposited_is_a_doublon(make_workspace, register, tmp_path) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    ids = export(folder, register, tmp_path / "out")
    register.set_status([StatusChange(i, "en_cours") for i in ids], source="test")
    shutil.rmtree(folder)
    bordeaux = ["C4", "Centre hospitalier D", luhn_complete("33000004"), None, "33000", "Bordeaux"]
    folder = make_workspace([*CLIENTS, bordeaux], [["B9", "C1", "Test DPI", "Avance", date(2022, 9, 5), 1000, "B9.pdf"],
                                                   ["B2", "C4", "Test DPI", "Avance", date(2022, 9, 2), 1000, "B2.pdf"]])
    result = check(folder, register)
    found = {d.code: d for d in result.diagnostics if d.code in ("doublon_registre", "bdc_deja_depose")}
    assert set(found) == {"doublon_registre", "bdc_deja_depose"}
    assert "« B1 »" in found["doublon_registre"].message and "En cours" in found["doublon_registre"].message
    assert found["doublon_registre"].column == "C"  # the beneficiary's identifier, in the client list
    assert found["bdc_deja_depose"].row == 3 and "Centre hospitalier B" in found["bdc_deja_depose"].message
    assert not any(d.valid for d in result.demandes)
    assert not any(d.code == "doublon_registre" for d in check(folder, None).diagnostics)


def test_an_exported_not_deposited_entry_makes_no_doublon(make_workspace, register, tmp_path) -> None:
    """The « only deposited » filters (#19): the same beneficiary, or the same BDC number, exported (« Exportée »,
    never deposited) is no doublon, and the new demandes stay valid; once deposited they are."""
    folder = make_workspace(CLIENTS, BDCS)
    ids = export(folder, register, tmp_path / "out")  # « exportee »: not deposited
    shutil.rmtree(folder)
    bordeaux = ["C4", "Centre hospitalier D", luhn_complete("33000004"), None, "33000", "Bordeaux"]
    folder = make_workspace([*CLIENTS, bordeaux], [["B9", "C1", "Test DPI", "Avance", date(2022, 9, 5), 1000, "B9.pdf"],
                                                   ["B2", "C4", "Test DPI", "Avance", date(2022, 9, 2), 1000, "B2.pdf"]])
    result = check(folder, register)  # the same beneficiary (C1), the same BDC number (B2): exported only
    assert not any(d.code in ("doublon_registre", "bdc_deja_depose") for d in result.diagnostics)
    assert [d.valid for d in result.demandes] == [True, True]
    register.set_status([StatusChange(i, "en_cours") for i in ids], source="test")
    assert {"doublon_registre", "bdc_deja_depose"} <= set(codes(check(folder, register)))


SOLDE_HEADERS = [*BDC_HEADERS, "Date d'installation", "N° facture", "Date facture", "Fichier facture", "Justificatif",
                 "Fichier MOM/VA"]


def test_a_solde_needs_its_avance_validated(make_workspace, register, new_register, tmp_path) -> None:
    rows = [[*row, None, None, None, None, None, None] for row in BDCS]
    solde = ["B3", "C3", "Test Cabinet", "Solde", date(2022, 9, 2), 1100, "B3.pdf", date(2022, 10, 3), "F3",
             date(2022, 10, 5), "F3.pdf", "VA", "VA3.pdf"]
    folder = make_workspace(CLIENTS, rows, bdc_headers=SOLDE_HEADERS, pdfs=["B1.pdf", "B2.pdf", "B3.pdf"])
    export(folder, register, tmp_path / "out")
    shutil.rmtree(folder)
    folder = make_workspace(CLIENTS, [*rows, solde], bdc_headers=SOLDE_HEADERS,
                            pdfs=["B1.pdf", "B2.pdf", "B3.pdf", "F3.pdf", "VA3.pdf"])
    avance = next(e for e in register.entries() if e.bdc_number == "B3")
    result = check(folder, register)
    problem = next(d for d in result.diagnostics if d.code == "solde_avance_non_validee")
    assert avance.id in problem.message and "« Exportée »" in problem.message and problem.row == 5
    register.set_status([StatusChange(avance.id, "validee")], source="test")
    result = check(folder, register)
    solde_demande = next(d for d in result.demandes if d.type == "solde")
    assert solde_demande.valid, [d.message for d in result.diagnostics if d.request == solde_demande.id]
    empty = new_register("empty")
    assert "solde_sans_avance" in codes(check(folder, empty))


# -- status files ----------------------------------------------------------------------------

def test_a_status_file_is_planned_line_by_line_then_applied(make_workspace, register, tmp_path) -> None:
    ids = export(make_workspace(CLIENTS, BDCS), register, tmp_path / "out")
    by_bdc = {e.bdc_number: e.id for e in register.entries()}
    path = tmp_path / "statuts.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Export du portail ASP"])
        writer.writerow(["N° dossier", "N° BDC", "Statut", "Commentaire", "Date"])
        writer.writerow([by_bdc["B1"], "", "VALIDÉE", "ok", "15/12/2022"])
        writer.writerow(["", "B2", "à modifier", "montant", ""])
        writer.writerow(["", "B404", "En cours", "", ""])
        writer.writerow(["", "B3", "on verra", "", ""])
    plan = plan_status_file(register, path)
    assert [(line.row, line.verdict) for line in plan.lines] == [
        (3, Verdict.CHANGE), (4, Verdict.CHANGE), (5, Verdict.UNKNOWN), (6, Verdict.UNREADABLE)]
    assert plan.lines[0].comment == "ok — statut du portail au 15/12/2022"
    assert register.entry(by_bdc["B1"]).status == "exportee"  # planning changes nothing
    outcome = apply_status_file(register, plan)
    assert sorted(i for i, _old, _new in outcome.applied) == sorted([by_bdc["B1"], by_bdc["B2"]])
    history = register.history(by_bdc["B2"])[-1]
    assert history.source == "fichier de statuts statuts.csv" and history.comment == "montant"
    again = plan_status_file(register, path)
    assert [line.verdict for line in again.lines][:2] == [Verdict.UNCHANGED, Verdict.UNCHANGED]
    assert set(ids) == set(by_bdc.values())


def test_a_status_workbook_refuses_a_backwards_change_unless_forced(make_workspace, register, tmp_path) -> None:
    export(make_workspace(CLIENTS, BDCS), register, tmp_path / "out")
    by_bdc = {e.bdc_number: e.id for e in register.entries()}
    register.set_status([StatusChange(by_bdc["B1"], "validee")], source="test")
    path = tmp_path / "statuts.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Numéro de commande", "Type de demande", "État"])
    workbook.active.append(["B1", "Avance", "En cours"])
    workbook.save(path)
    plan = plan_status_file(register, path)
    assert plan.lines[0].verdict == Verdict.REFUSED
    assert not apply_status_file(register, plan).applied
    assert apply_status_file(register, plan, force=True).applied == [(by_bdc["B1"], "validee", "en_cours")]
    assert register.history(by_bdc["B1"])[-1].forced


def test_a_status_file_without_status_column_is_refused_in_french(register, tmp_path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text("N° BDC;Type de demande;Client\nB1;Avance;C1\n", encoding="utf-8")
    with pytest.raises(InputError, match="liste.csv") as error:
        plan_status_file(register, path)
    assert "« Statut »" in str(error.value) and "mapping" not in str(error.value)
    path.write_text("Nom;Ville\nA;B\n", encoding="utf-8")
    with pytest.raises(InputError, match="ne ressemble pas à une liste de statuts"):
        plan_status_file(register, path)


# -- follow-up bundles -----------------------------------------------------------------------------

def test_complementary_pieces_and_corrected_demandes_go_into_a_followup_folder(make_workspace, register, tmp_path):
    folder = make_workspace(CLIENTS, BDCS)
    export(folder, register, tmp_path / "out")
    by_bdc = {e.bdc_number: e.id for e in register.entries()}
    register.set_status([StatusChange(by_bdc["B1"], "attente_pieces"), StatusChange(by_bdc["B2"], "a_modifier")],
                        source="test")
    (folder / "pieces" / "B1-copie-lisible.pdf").write_bytes(MINIMAL_PDF + b"% lisible\n")
    (folder / "pieces" / "B10.pdf").write_bytes(MINIMAL_PDF)  # another BDC's file: not a complement of B1
    # The ASP said B2's amount is wrong: the vendor fixes the BDC list.
    shutil.copy(folder / "pieces" / "B2.pdf", tmp_path / "B2.pdf")
    corrected = [row if row[0] != "B2" else [*row[:5], 900, row[6]] for row in BDCS]
    folder = _rewrite_bdcs(make_workspace, folder, corrected)
    (folder / "pieces" / "B1-copie-lisible.pdf").write_bytes(MINIMAL_PDF + b"% lisible\n")
    result = check(folder, register)
    change = modification(register, result, by_bdc["B2"])
    assert change.problem is None
    assert {d.path: (d.before, d.after) for d in change.differences} == {
        "/bonDeCommande/montantHT": ("1000.00", "900.00"), "/bonDeCommande/montantTTC": ("1200.00", "1080.00"),
        "/montantDemandeHT": ("300.00", "270.00")}
    assert render_differences(change.differences)[0] == "/bonDeCommande/montantHT : « 1000.00 » → « 900.00 »"
    crashed = tmp_path / "suivi" / ".suivi_2022-11-01_Editeur.dead.tmp"  # a follow-up killed mid-write, long ago
    crashed.mkdir(parents=True)
    os.utime(crashed, (time.time() - STALE_AFTER_S - 60,) * 2)
    outcome = write_followup(register, result, [by_bdc["B1"], by_bdc["B2"], by_bdc["B3"]], tmp_path / "suivi")
    assert not crashed.exists()
    assert outcome.prepared == [by_bdc["B1"], by_bdc["B2"]]
    assert outcome.skipped[0][0] == by_bdc["B3"] and "rien à préparer" in outcome.skipped[0][1]
    files = sorted(str(p.relative_to(outcome.folder)) for p in outcome.folder.rglob("*") if p.is_file())
    assert files == sorted(["LISEZMOI.txt", "manifest.json", f"{by_bdc['B1']}/{by_bdc['B1']}_COMPLEMENT-1.pdf",
                            f"{by_bdc['B2']}/demande_corrigee.json", f"{by_bdc['B2']}/differences.txt",
                            f"{by_bdc['B2']}/{by_bdc['B2']}_BDC.pdf"])
    assert "900.00" in (outcome.folder / by_bdc["B2"] / "demande_corrigee.json").read_text(encoding="utf-8")
    assert "paquet de suivi préparé" in register.history(by_bdc["B1"])[-1].comment
    assert register.entry(by_bdc["B1"]).status == "attente_pieces"  # preparing is not depositing


def _rewrite_bdcs(make_workspace, folder: Path, rows: list) -> Path:
    shutil.rmtree(folder)
    return make_workspace(CLIENTS, rows)


def test_differences_are_json_pointers() -> None:
    before = {"a": {"b": 1, "c": [1, 2]}, "d": "x"}
    after = {"a": {"b": 2, "c": [1, 3]}, "e": "y"}
    assert [(d.path, d.before, d.after) for d in differences(before, after)] == [
        ("/a/b", 1, 2), ("/a/c/1", 2, 3), ("/d", "x", None), ("/e", None, "y")]


def test_soldes_come_from_their_own_list_with_the_bdc_columns(make_workspace, make_xlsx, register, tmp_path) -> None:
    folder = make_workspace(CLIENTS, BDCS, pdfs=["B1.pdf", "B2.pdf", "B3.pdf", "F3.pdf", "VA3.pdf"])
    export(folder, register, tmp_path / "out")
    avance = next(e for e in register.entries() if e.bdc_number == "B3")
    register.set_status([StatusChange(avance.id, "validee")], source="test")
    headers = [h for h in SOLDE_HEADERS if h != "Type de demande"]
    make_xlsx("soldes.xlsx", [["Soldes à déposer"], headers,
                              ["B3", "C3", "Test Cabinet", date(2022, 9, 2), 1100, "B3.pdf", date(2022, 10, 3), "F3",
                               date(2022, 10, 5), "F3.pdf", "VA", "VA3.pdf"],
                              ["B1", "C1", "Test DPI", date(2022, 9, 1), 1000, "B1.pdf", date(2022, 10, 3), "F1",
                               date(2022, 10, 5), "F3.pdf", "MOM", "VA3.pdf"]]).rename(folder / "soldes.xlsx")
    data = json.loads((folder / "workspace.json").read_text(encoding="utf-8"))
    data["entrees"]["soldes"] = "soldes.xlsx"
    (folder / "workspace.json").write_text(json.dumps(data), encoding="utf-8")
    result = check(folder, register)
    soldes = {d.bdc.values["bdc_number"]: d for d in result.demandes if d.type == "solde"}
    assert set(soldes) == {"B1", "B3"}
    assert soldes["B3"].valid and soldes["B3"].bdc.table.path.name == "soldes.xlsx"
    assert soldes["B3"].fields["demande.montant_ht"] == Decimal("770.00")  # 70 % of the BDC
    problem = next(d for d in result.diagnostics if d.code == "solde_avance_non_validee")
    assert problem.file.endswith("soldes.xlsx") and problem.row == 4 and "Exportée" in problem.message
    plan = plan_export(result)
    assert [t.path.name for t in plan.tables] == ["clients.xlsx", "bdc.xlsx", "soldes.xlsx"]


def test_a_register_busy_elsewhere_says_so_and_reads_see_one_state(tmp_path: Path, monkeypatch) -> None:
    register = Register(tmp_path / "registre.sqlite3")
    monkeypatch.setattr("segur_desktop.core.register.sqlite.BUSY_TIMEOUT_S", 0.2)
    other = sqlite3.connect(register.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another window writing, for longer than the busy timeout
        with pytest.raises(InputError, match="occupé par une autre fenêtre"):
            register.set_status([StatusChange("X", "en_cours")], source="test")
        assert register.entries() == []  # WAL: readers are never blocked by a writer
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_deposit_file_from_build_is_recorded_without_attachments(make_workspace, register, tmp_path) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    write_outputs(check(folder, None), tmp_path / "build")
    outcome = record_bundle(register, tmp_path / "build" / "HOP_avance.json")
    assert len(outcome.new) == 2
    entry = register.entry(outcome.new[0])
    assert entry.bundle_name == "HOP_avance.json" and entry.status == "exportee"
    assert register.deposits(entry.id)[0].attachments == ()
    assert record_bundle(register, tmp_path / "build" / "HOP_avance.json").already_recorded
    broken = tmp_path / "build" / "MDV_avance.json"
    broken.write_text(broken.read_text(encoding="utf-8").replace('"montantDemandeHT": "330.00"',
                                                                 '"montantDemandeHT": "trois cents"'), encoding="utf-8")
    with pytest.raises(InputError, match="MDV_avance.json.*ne passe pas son schéma"):
        record_bundle(register, broken)


# -- taking over demandes deposited before Segur Desktop -------------------------------------------

def test_a_status_file_takes_over_demandes_the_register_never_saw(demo: Path, register, new_register, tmp_path) -> None:
    from segur_desktop.core.register.backup import export_register, import_register
    workspace = load_workspace(demo)
    result = run_pipeline(workspace, workspace.judged_at, register=RegisterIndex.of(register))
    plan = plan_status_file(register, demo / "statuts_portail.csv", result)
    verdicts = {line.reference: line.verdict for line in plan.lines}
    assert verdicts == {"BDC-2022-0001": Verdict.ADOPT, "BDC-2022-0009": Verdict.ADOPT, "BDC-2022-0011": Verdict.ADOPT,
                        "BDC-2022-0019": Verdict.ADOPT, "BDC-2022-0003": Verdict.ADOPT, "BDC-2022-0006": Verdict.ADOPT,
                        "BDC-2022-0005": Verdict.ADOPT, "BDC-2022-0999": Verdict.UNKNOWN}
    nine = next(line for line in plan.lines if line.reference == "BDC-2022-0009")
    assert nine.adopt.type == "avance" and "sera reprise" in nine.detail  # the avance, not the solde of the same BDC
    assert plan_status_file(register, demo / "statuts_portail.csv").counts() == {"inconnu": 8}  # no workspace: unknown
    outcome = apply_status_file(register, plan)
    assert len(outcome.applied) == 7 and not outcome.refused
    entry = register.entry(nine.adopt.id)
    assert entry.status == "validee" and entry.bundle_name == "reprise depuis statuts_portail.csv"
    assert [h.new_status for h in register.history(entry.id)] == ["exportee", "validee"]
    assert register.deposits(entry.id)[0].attachments[0].source == "BDC-2022-0009.pdf"
    # The soldes of the validated avances can now be judged.
    again = run_pipeline(workspace, workspace.judged_at, register=RegisterIndex.of(register))
    soldes = {d.bdc.values["bdc_number"]: d.valid for d in again.demandes if d.type == "solde"}
    assert soldes == {"BDC-2022-0009": True, "BDC-2022-0010": False, "BDC-2022-0011": True}
    # Taken-over demandes survive a backup like exported ones.
    export_register(register, tmp_path / "sauvegarde.json")
    restored = new_register("restored")
    assert import_register(restored, tmp_path / "sauvegarde.json").demandes_added == 7
