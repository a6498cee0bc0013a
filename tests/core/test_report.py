"""The French text report: grouped by code, counted, capped, with where each code occurs and how rows were joined."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from segur_desktop.core.diagnostics import Diagnostic
from segur_desktop.core.messages import Severity
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.report import render_text, rows_by_file
from segur_desktop.core.workspace import load_workspace
from testdata import FINESS_A, FINESS_B, RPPS_A

SUMMARY = {"app_version": "0", "workspace": "W", "at": "2022-11-28T10:00:00+01:00", "requests": 0, "valid": 0,
           "invalid": 0, "bdc_rows": 0, "bdc_rows_without_request": 0, "by_couloir": [], "errors": 12,
           "warnings": 0, "infos": 0, "joined_by": []}


def finess_error(row: int, file: str = "/x/clients.xlsx") -> Diagnostic:
    return Diagnostic(Severity.ERROR, "identifiant_cle", f"FINESS {row} faux", "Vérifiez", file=file, sheet="Clients",
                      row=row, column="C", header="FINESS")


def test_grouped_with_count_rows_and_cap() -> None:
    diagnostics = [finess_error(r) for r in range(10, 22)]
    text = render_text(SUMMARY, diagnostics, cap=3)
    assert "  12 × Identifiant invalide (clé) — clients.xlsx : lignes 10, 11, 12, 13, 14, 15, 16, 17, …" in text
    assert text.count(" faux") == 3  # three occurrences listed
    assert "… et 9 autres (détail complet : --format json)" in text
    assert text.count("→ Vérifiez") == 1


def test_rows_by_file_singular_and_several_files() -> None:
    members = [finess_error(7), finess_error(4, "/x/bdc.xlsx"), finess_error(9)]
    assert rows_by_file(members) == "clients.xlsx : lignes 7, 9 ; bdc.xlsx : ligne 4"


def test_the_report_counts_demandes_per_joining_key(make_workspace) -> None:
    clients = [["Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
               ["Clinique B", FINESS_B, None, "69003", "Lyon"],
               ["Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"]]
    bdcs = [[f"B{n}", identifier, "Test DPI" if n < 3 else "Test Cabinet", "Avance", date(2022, 9, n), 1000,
             f"B{n}.pdf"] for n, identifier in ((1, FINESS_A), (2, FINESS_B), (3, RPPS_A))]
    folder = make_workspace(clients, bdcs, client_headers=["Raison sociale", "N° FINESS ET", "RPPS", "Code postal",
                                                           "Ville"],
                            bdc_headers=["N° BDC", "FINESS / RPPS", "Solution", "Type de demande",
                                         "Date de signature", "Montant HT", "Fichier BDC"])
    result = run_pipeline(load_workspace(folder), datetime(2022, 11, 28, 10, tzinfo=ZoneInfo("Europe/Paris")))
    assert result.summary()["joined_by"] == [{"key": "FINESS_ET", "label": "FINESS ET", "requests": 2},
                                             {"key": "RPPS", "label": "RPPS", "requests": 1}]
    assert result.report_json()["summary"]["joined_by"][1]["requests"] == 1
    assert "\nRapprochement des clients : 2 par FINESS ET, 1 par RPPS.\n" in result.report_text()


def test_no_joining_line_without_demandes() -> None:
    assert "Rapprochement" not in render_text(SUMMARY, [])
