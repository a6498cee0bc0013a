"""The gaps a mutation run over core/validate/rules.py found (#19): each date rule at its exact boundary, and the
solde checked against its avance's amount, the avance found by its BDC number when its id differs.

A BDC signed exactly on a boundary day passes the common-case shortcut of `bdc_dates`, so a test that only signs on
the boundary day cannot tell `>` from `>=`. Each boundary test below also breaks another date rule, so that the row
reaches every comparison, and asserts the exact set of date diagnostics: the other rule's, and not this one's.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from testdata import BDC_HEADERS, FINESS_A, RPPS_A, luhn_complete

from segur_desktop.core.build import request_id
from segur_desktop.core.calendar import PARIS, parse_instant
from segur_desktop.core.export.bundle import ExportOptions, export_workspace
from segur_desktop.core.pipeline import PipelineResult, run_pipeline
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.record import record_export
from segur_desktop.core.register.store import Register, StatusChange
from segur_desktop.core.workspace import load_workspace

CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
           ["C3", "Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"]]
DATE_CODES = {"bdc_date_future", "bdc_apres_fermeture", "bdc_avant_arrete", "bdc_trop_tot", "bdc_trop_tot_referencement"}
MS1 = [{"id": "dui", "nom": "Test DUI", "couloir": "MS1", "type_logiciel": "DUI",
        "referencement": {"id": "R", "date": "2022-10-10", "depot_conformite": "2022-09-20"}}]


def date_findings(folder: Path, at: str) -> list[tuple[str, int | None]]:
    result = run_pipeline(load_workspace(folder), parse_instant(at))
    return sorted((d.code, d.row) for d in result.diagnostics if d.code in DATE_CODES)


def bdc(number: str, signed: date, solution: str = "Test DPI") -> list:
    return [number, "C1", solution, "Avance", signed, 1000, f"{number}.pdf"]


def test_signed_on_the_control_day_is_not_in_the_future(make_workspace) -> None:
    # HOP avance closes on 30/11/2022: signed on 02/12, checked on 02/12, it is late but not in the future.
    folder = make_workspace(CLIENTS, [bdc("B1", date(2022, 12, 2)), bdc("B2", date(2022, 12, 3))])
    assert date_findings(folder, "2022-12-02T10:00:00+01:00") == [
        ("bdc_apres_fermeture", 2), ("bdc_apres_fermeture", 3), ("bdc_date_future", 3)]


def test_signed_on_the_closing_day_is_not_after_the_closing(make_workspace) -> None:
    # Checked on 29/11, a BDC dated 30/11 is in the future, yet signed within the window that closes that day.
    folder = make_workspace(CLIENTS, [bdc("B1", date(2022, 11, 30)), bdc("B2", date(2022, 12, 1))])
    assert date_findings(folder, "2022-11-29T10:00:00+01:00") == [
        ("bdc_apres_fermeture", 3), ("bdc_date_future", 2), ("bdc_date_future", 3)]


def test_signed_on_the_decree_day_is_eligible(make_workspace) -> None:
    # MS1: the decree was published on 12/02/2022; checked on 10/02, both BDCs are in the future (and, 120 days
    # before their solution's conformity dossier of 20/09/2022, too early).
    folder = make_workspace(CLIENTS, [bdc("B1", date(2022, 2, 12), "Test DUI"), bdc("B2", date(2022, 2, 11), "Test DUI")],
                            solutions=MS1)
    assert date_findings(folder, "2022-02-10T10:00:00+01:00") == [
        ("bdc_avant_arrete", 3), ("bdc_date_future", 2), ("bdc_date_future", 3), ("bdc_trop_tot", 2), ("bdc_trop_tot", 3)]


def test_signed_on_the_earliest_allowed_day_is_not_too_early(make_workspace) -> None:
    # Test DPI's conformity dossier: 15/06/2022, so the earliest signature is 120 days before, 15/02/2022.
    folder = make_workspace(CLIENTS, [bdc("B1", date(2022, 2, 15)), bdc("B2", date(2022, 2, 14))])
    assert date_findings(folder, "2022-02-13T10:00:00+01:00") == [
        ("bdc_date_future", 2), ("bdc_date_future", 3), ("bdc_trop_tot", 3)]


# -- a solde and its avance --------------------------------------------------------------------------------------

AT = datetime(2022, 11, 28, 10, 0, tzinfo=PARIS)
SOLDE_HEADERS = [*BDC_HEADERS, "Date d'installation", "N° facture", "Date facture", "Fichier facture", "Justificatif",
                 "Fichier MOM/VA"]
AVANCE = ["B3", "C3", "Test Cabinet", "Avance", date(2022, 9, 2), 1100, "B3.pdf", None, None, None, None, None, None]
PDFS = ["B3.pdf", "F3.pdf", "VA3.pdf"]


def solde(client: str = "C3", amount: float = 1100) -> list:
    return ["B3", client, "Test Cabinet", "Solde", date(2022, 9, 2), amount, "B3.pdf", date(2022, 10, 3), "F3",
            date(2022, 10, 5), "F3.pdf", "VA", "VA3.pdf"]


@pytest.fixture
def avance_id(make_workspace, tmp_path: Path) -> str:
    """B3's avance exported, recorded and validated in the register at tmp_path/registre.sqlite3."""
    folder = make_workspace(CLIENTS, [AVANCE], bdc_headers=SOLDE_HEADERS, pdfs=PDFS)
    register = Register(tmp_path / "registre.sqlite3")
    exported = export_workspace(load_workspace(folder), AT, tmp_path / "out", ExportOptions(),
                                register=RegisterIndex.of(register), generated_at=AT)
    [avance] = record_export(register, exported).new
    register.set_status([StatusChange(avance, "validee")], source="test")
    shutil.rmtree(folder)
    return avance


def checked(make_workspace, tmp_path: Path, clients: list, row: list) -> PipelineResult:
    folder = make_workspace(clients, [AVANCE, row], bdc_headers=SOLDE_HEADERS, pdfs=PDFS)
    register = RegisterIndex.of(Register(tmp_path / "registre.sqlite3"))
    return run_pipeline(load_workspace(folder), AT, register=register)


def solde_problems(result: PipelineResult) -> list[tuple[str, int | None, str | None]]:
    return sorted((d.code, d.row, d.column) for d in result.diagnostics if d.code.startswith("solde_"))


def test_a_solde_whose_amount_differs_from_its_avance(make_workspace, avance_id: str, tmp_path: Path) -> None:
    assert solde_problems(checked(make_workspace, tmp_path, CLIENTS, solde())) == []
    result = checked(make_workspace, tmp_path, CLIENTS, solde(amount=1200))
    assert solde_problems(result) == [("solde_montant_avance", 3, "F")]
    [problem] = [d for d in result.diagnostics if d.code == "solde_montant_avance"]
    assert avance_id in problem.message and "1\u202f200,00 €" in problem.message and "1\u202f100,00 €" in problem.message


def test_the_avance_is_found_by_its_bdc_number_when_its_id_differs(make_workspace, avance_id: str,
                                                                   tmp_path: Path) -> None:
    # The solde's row names another cabinet (the beneficiary corrected since): its avance's id would differ.
    other = ["C5", "Cabinet du Dr E", None, luhn_complete("1000000005"), "44000", "Nantes"]
    result = checked(make_workspace, tmp_path, [*CLIENTS, other], solde("C5"))
    [demande] = [d for d in result.demandes if d.type == "solde"]
    assert request_id(demande.couloir.code, "avance", demande.id_type, demande.identifier, "B3") != avance_id
    assert solde_problems(result) == []  # found by B3: neither « sans avance » nor another amount
    result = checked(make_workspace, tmp_path, [*CLIENTS, other], solde("C5", amount=1200))
    [problem] = [d for d in result.diagnostics if d.code.startswith("solde_")]
    assert problem.code == "solde_montant_avance" and avance_id in problem.message
