"""Avenants: amendments of a deposited avance, with their own portal status; a solde waits for the last
one to be « décidée et payée » (#21)."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from testdata import BDC_HEADERS, FINESS_A, FINESS_B

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.bundle import ExportOptions, export_workspace
from segur_desktop.core.pipeline import PipelineResult, run_pipeline
from segur_desktop.core.register.avenants import NewAvenant
from segur_desktop.core.register.backup import export_register, import_register
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.migrations import MIGRATIONS, POSTGRESQL
from segur_desktop.core.register.record import record_export
from segur_desktop.core.register.statusfile import Verdict, apply_status_file, plan_status_file
from segur_desktop.core.register.store import Register, StatusChange
from segur_desktop.core.workspace import load_workspace

AT = datetime(2022, 11, 28, 10, 0, tzinfo=PARIS)
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
           ["C2", "Centre hospitalier B", FINESS_B, None, "69001", "Lyon"]]
SOLDE_HEADERS = [*BDC_HEADERS, "Date d'installation", "N° facture", "Date facture", "Fichier facture", "Justificatif",
                 "Fichier MOM/VA"]
AVANCES = [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf", *[None] * 6],
           ["B2", "C2", "Test DPI", "Avance", date(2022, 9, 2), 1000, "B2.pdf", *[None] * 6]]
SOLDE_B1 = ["B1", "C1", "Test DPI", "Solde", date(2022, 9, 1), 1000, "B1.pdf", date(2022, 10, 3), "F1",
            date(2022, 10, 5), "F1.pdf", "MOM", "MOM1.pdf"]


@pytest.fixture
def register(new_register) -> Register:
    """On SQLite, then on PostgreSQL (`conftest.new_register`)."""
    return new_register()


@pytest.fixture
def avances(make_workspace, register, tmp_path) -> dict[str, str]:
    """B1 and B2 avances exported and recorded; BDC number -> request id."""
    folder = make_workspace(CLIENTS, AVANCES, bdc_headers=SOLDE_HEADERS)
    result = export_workspace(load_workspace(folder), AT, tmp_path / "out", ExportOptions(),
                              register=RegisterIndex.of(register),
                              generated_at=datetime(2022, 11, 28, 11, 0, tzinfo=PARIS))
    record_export(register, result)
    shutil.rmtree(folder)
    return {e.bdc_number: e.id for e in register.entries()}


def check_solde(make_workspace, register: Register) -> PipelineResult:
    folder = make_workspace(CLIENTS, [*AVANCES, SOLDE_B1], bdc_headers=SOLDE_HEADERS,
                            pdfs=["B1.pdf", "B2.pdf", "F1.pdf", "MOM1.pdf"])
    return run_pipeline(load_workspace(folder), AT, register=RegisterIndex.of(register))


def solde_problems(result: PipelineResult) -> list:
    solde = next(d for d in result.demandes if d.type == "solde")
    return [x for x in result.diagnostics if x.request == solde.id and x.severity == "error"]


# -- the register ------------------------------------------------------------------------------

def test_an_avenant_is_recorded_against_its_avance_with_its_status_and_history(register, avances) -> None:
    b1 = avances["B1"]
    assert register.add_avenants([NewAvenant(b1, 1, "en_cours", "montant révisé")], source="test") == []
    entry = register.entry(b1)
    assert [(a.numero, a.status) for a in entry.avenants] == [(1, "en_cours")] and entry.last_avenant.numero == 1
    assert entry.status == "exportee"  # the avance's own status does not change
    assert register.history(b1)[-1].comment == "avenant n° 1 enregistré : « En cours » — montant révisé"
    refused = register.add_avenants([NewAvenant(b1, 1, "en_cours"), NewAvenant("NOPE", 1, "en_cours")], source="t")
    assert [ref for ref, _reason in refused] == [f"{b1} avenant n° 1", "NOPE avenant n° 1"]
    assert "déjà enregistré" in refused[0][1] and "n'est pas dans le registre" in refused[1][1]
    outcome = register.set_status([StatusChange(b1, "validee", avenant=1), StatusChange(b1, "validee", avenant=2)],
                                  source="test")
    assert outcome.applied == [(f"{b1} avenant n° 1", "en_cours", "validee")]
    assert outcome.unknown == [f"{b1} avenant n° 2"]
    outcome = register.set_status([StatusChange(b1, "en_cours", avenant=1)], source="test")
    assert outcome.refused and "Validée" in outcome.refused[0][1]  # the lifecycle holds for avenants too
    assert register.history(b1)[-1].comment == "avenant n° 1 : « En cours » → « Validée »"


def test_an_earlier_register_is_migrated_with_its_rows_kept(backend_kind, request, tmp_path: Path) -> None:
    """A register at format 1 (before avenants) brought up to date when it is opened, on both backends."""
    if backend_kind == "sqlite":
        import sqlite3
        path = tmp_path / "v1.sqlite3"
        with sqlite3.connect(path) as con:
            for statement in MIGRATIONS[0]:
                con.execute(statement)
            con.execute("PRAGMA user_version = 1")
        register = Register(path)
    else:
        from pg import drop_schema, schema_name

        from segur_desktop.core.register.postgresql import PostgresBackend

        url = request.getfixturevalue("postgres_url")
        backend = PostgresBackend(url, schema_name(request.node.nodeid, "v1"), anchor=tmp_path / "v1.postgresql")
        drop_schema(url, backend.schema)
        with backend.connect(write=True) as con:
            con.execute(f"CREATE SCHEMA {backend.schema}")
            con.execute(f"SET LOCAL search_path TO {backend.schema}")
            con.execute("CREATE TABLE registre_version (version INTEGER NOT NULL)")
            con.execute("INSERT INTO registre_version (version) VALUES (1)")
            for statement in POSTGRESQL[0]:
                con.execute(statement)
        assert backend.version() == 1
        register = Register(backend)
    assert register.version == len(MIGRATIONS) and register.dump_rows()["avenants"] == []


# -- the solde rule ----------------------------------------------------------------------------

def test_a_solde_is_refused_while_the_last_avenant_is_not_paid_then_accepted(make_workspace, register,
                                                                               avances) -> None:
    b1 = avances["B1"]
    register.set_status([StatusChange(b1, "validee")], source="test")
    assert solde_problems(check_solde(make_workspace, register)) == []  # no avenant: the solde is valid
    register.add_avenants([NewAvenant(b1, 1, "decidee_payee"), NewAvenant(b1, 2, "en_cours")], source="test")
    result = check_solde(make_workspace, register)
    problems = solde_problems(result)
    assert [p.code for p in problems] == ["solde_avenant_non_paye"]
    problem = problems[0]
    assert problem.row == 4 and problem.header == "N° BDC" and problem.file.endswith("bdc.xlsx")  # the solde's BDC cell
    assert problem.message == (f"L'avance « {b1} » de ce bon de commande a un avenant n° 2 au statut « En cours » : le "
                               "portail refuse le solde tant que le dernier avenant de l'avance n'est pas « décidée "
                               "et payée ».")
    assert f'register set-status --avenant 2 {b1} "décidée et payée"' in problem.fix
    register.set_status([StatusChange(b1, "validee", avenant=2)], source="test")
    assert "« Validée »" in solde_problems(check_solde(make_workspace, register))[0].message
    register.set_status([StatusChange(b1, "decidee_payee", avenant=2)], source="test")
    assert solde_problems(check_solde(make_workspace, register)) == []


def test_only_the_last_avenant_counts(make_workspace, register, avances) -> None:
    b1 = avances["B1"]
    register.set_status([StatusChange(b1, "validee")], source="test")
    register.add_avenants([NewAvenant(b1, 1, "en_cours"), NewAvenant(b1, 2, "decidee_payee")], source="test")
    assert solde_problems(check_solde(make_workspace, register)) == []


# -- status files ------------------------------------------------------------------------------

def test_a_status_file_names_avenants_by_column_or_request_type(register, avances, tmp_path) -> None:
    b1, b2 = avances["B1"], avances["B2"]
    register.add_avenants([NewAvenant(b1, 1, "en_cours")], source="test")
    path = tmp_path / "statuts.xlsx"
    workbook = openpyxl.Workbook()
    for row in (["N° BDC", "Type de demande", "N° d'avenant", "Statut"],
                ["B1", "Avance", None, "Validée"],  # the avance itself
                ["B1", "Avenant", 1, "Décidée et payée"],
                ["B2", "Avenant n° 3", None, "En cours"],  # not yet in the register: recorded
                ["B9", "Avenant", 1, "En cours"]):
        workbook.active.append(row)
    workbook.save(path)
    plan = plan_status_file(register, path)
    verdicts = [(line.verdict, line.avenant, line.new_status) for line in plan.lines]
    assert verdicts == [(Verdict.CHANGE, None, "validee"), (Verdict.CHANGE, 1, "decidee_payee"),
                        (Verdict.CHANGE, 3, "en_cours"), (Verdict.UNKNOWN, 1, "en_cours")]
    assert plan.lines[1].entry.status == "en_cours"  # the avenant's current status, not the avance's
    assert plan.lines[2].new_avenant and "Nouvel avenant n° 3" in plan.lines[2].detail
    outcome = apply_status_file(register, plan)
    assert sorted(outcome.applied) == sorted([(b1, "exportee", "validee"),
                                              (f"{b1} avenant n° 1", "en_cours", "decidee_payee"),
                                              (f"{b2} avenant n° 3", None, "en_cours")])
    assert [(a.numero, a.status) for a in register.entry(b1).avenants] == [(1, "decidee_payee")]
    assert [(a.numero, a.status) for a in register.entry(b2).avenants] == [(3, "en_cours")]
    assert register.entry(b1).status == "validee"
    again = plan_status_file(register, path)
    assert [line.verdict for line in again.lines[:3]] == [Verdict.UNCHANGED] * 3


def test_two_lines_giving_one_avenant_two_statuses_are_ambiguous(register, avances, tmp_path) -> None:
    register.add_avenants([NewAvenant(avances["B1"], 1, "en_cours")], source="test")
    path = tmp_path / "statuts.csv"
    path.write_text("N° BDC;Avenant;Statut\nB1;1;Validée\nB1;1;Rejetée\n", encoding="utf-8")
    plan = plan_status_file(register, path)
    assert [line.verdict for line in plan.lines] == [Verdict.AMBIGUOUS] * 2
    assert not plan.changes() and not plan.new_avenants()


# -- backup ------------------------------------------------------------------------------------

def test_a_backup_carries_avenants_and_imports_them_back(new_register, register, avances, tmp_path) -> None:
    b1 = avances["B1"]
    register.add_avenants([NewAvenant(b1, 1, "decidee_payee"), NewAvenant(b1, 2, "en_cours")], source="test")
    for suffix in (".json", ".xlsx"):
        path = tmp_path / f"sauvegarde{suffix}"
        export_register(register, path)
        restored = new_register(f"restaure{suffix}")
        summary = import_register(restored, path)
        assert (summary.avenants_added, summary.avenants_updated) == (2, 0)
        assert restored.dump_rows()["avenants"] == register.dump_rows()["avenants"]
        assert [(a.numero, a.status) for a in restored.entry(b1).avenants] == [(1, "decidee_payee"), (2, "en_cours")]
        assert import_register(restored, path).avenants_added == 0  # importing twice changes nothing
    data = json.loads((tmp_path / "sauvegarde.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 2 and len(data["tables"]["avenants"]) == 2
    # a later status in another register's backup wins
    register.set_status([StatusChange(b1, "validee", avenant=2)], source="test", at=datetime.now(PARIS) + timedelta(hours=1))
    export_register(register, tmp_path / "plus_tard.json")
    summary = import_register(restored, tmp_path / "plus_tard.json")
    assert summary.avenants_updated == 1 and restored.entry(b1).last_avenant.status == "validee"


def test_a_backup_from_before_avenants_still_imports(new_register, register, avances, tmp_path) -> None:
    path = tmp_path / "ancienne.json"
    export_register(register, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["tables"]["avenants"]
    data["schema_version"] = 1
    data["register_version"] = 1
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    restored = new_register("restaure")
    summary = import_register(restored, path)
    assert summary.demandes_added == 2 and summary.avenants_added == 0
    assert {e.id for e in restored.entries()} == set(avances.values())
    # and its XLSX form, without the « Avenants » sheet
    export_register(register, tmp_path / "ancienne.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "ancienne.xlsx")
    del workbook["Avenants"]
    workbook.save(tmp_path / "ancienne.xlsx")
    assert import_register(new_register("autre"), tmp_path / "ancienne.xlsx").demandes_added == 2


def test_a_backup_whose_avenant_names_a_missing_avance_is_refused(new_register, register, avances, tmp_path) -> None:
    register.add_avenants([NewAvenant(avances["B1"], 1, "en_cours")], source="test")
    path = tmp_path / "sauvegarde.json"
    export_register(register, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["tables"]["avenants"][0]["avance_id"] = "HOP-AV-INCONNUE"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match="table « avenants », ligne 1"):
        import_register(new_register("autre"), path)


def test_an_avenant_row_of_the_bdc_list_holds_the_solde_until_the_register_knows_it_paid(
        make_workspace, register, avances) -> None:
    # Issue #21: avenants as rows of the BDC list (type « Avenant »), linked to their BDC by its number.
    b1 = avances["B1"]
    register.set_status([StatusChange(b1, "validee")], source="test")
    avenant_row = ["B1", "C1", "Test DPI", "Avenant", date(2022, 10, 20), 200, "B1-AV1.pdf", *[None] * 6]
    folder = make_workspace(CLIENTS, [*AVANCES, avenant_row, SOLDE_B1], bdc_headers=SOLDE_HEADERS,
                            pdfs=["B1.pdf", "B2.pdf", "F1.pdf", "MOM1.pdf"])
    result = run_pipeline(load_workspace(folder), AT, register=RegisterIndex.of(register))
    (line,) = [d for d in result.diagnostics if d.code == "ligne_avenant"]
    assert line.row == 4 and line.severity == "info"  # declares, deposits nothing
    assert not any(d.type == "avenant" for d in result.demandes)
    assert [p.code for p in solde_problems(result)] == ["solde_avenant_non_enregistre"]
    register.add_avenants([NewAvenant(b1, 1, "decidee_payee")], source="test")
    result = run_pipeline(load_workspace(folder), AT, register=RegisterIndex.of(register))
    assert solde_problems(result) == []
