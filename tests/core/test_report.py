"""The French text report: grouped by code, counted, capped, with where each code occurs and how rows were joined."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from testdata import FINESS_A, FINESS_B, RPPS_A

from segur_desktop.core.diagnostics import Diagnostic
from segur_desktop.core.messages import Severity
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.report import (
    CouloirTotal,
    FileWritten,
    JoinedBy,
    Summary,
    group,
    location,
    render_text,
    rows_by_file,
)
from segur_desktop.core.workspace import load_workspace

SUMMARY = Summary(app_version="0", workspace="W", at=datetime(2022, 11, 28, 10, tzinfo=ZoneInfo("Europe/Paris")),
                  requests=0, valid=0, invalid=0, bdc_rows=0, bdc_rows_without_request=0, by_couloir=(), errors=12,
                  warnings=0, infos=0, joined_by=())


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
    assert result.summary().joined_by == (JoinedBy("FINESS_ET", "FINESS ET", 2), JoinedBy("RPPS", "RPPS", 1))
    assert result.report_json()["summary"]["joined_by"][1]["requests"] == 1
    assert "\nRapprochement des clients : 2 par FINESS ET, 1 par RPPS.\n" in result.report_text()


def test_no_joining_line_without_demandes() -> None:
    assert "Rapprochement" not in render_text(SUMMARY, [])


def _diagnostic(severity: Severity, code: str, row: int, file: str = "/x/bdc.xlsx") -> Diagnostic:
    return Diagnostic(severity, code, f"{code} {row}", "Corrigez", file=file, sheet="BDC", row=row, column="A")


def test_grouping_puts_errors_then_warnings_then_infos_codes_sorted_inside() -> None:
    # Codes whose alphabetical order is not the severities' order: a grouping by code alone would fail.
    diagnostics = [_diagnostic(Severity.INFO, "deja_deposee", 3), _diagnostic(Severity.WARNING, "adeli_cle_douteuse", 9),
                   _diagnostic(Severity.ERROR, "valeur_obligatoire", 5),
                   _diagnostic(Severity.ERROR, "identifiant_format", 8, "/x/clients.xlsx"),
                   _diagnostic(Severity.ERROR, "identifiant_format", 2), _diagnostic(Severity.ERROR, "valeur_obligatoire", 1)]
    groups = group(diagnostics)
    assert [(g.severity, g.code) for g in groups] == [
        (Severity.ERROR, "identifiant_format"), (Severity.ERROR, "valeur_obligatoire"),
        (Severity.WARNING, "adeli_cle_douteuse"), (Severity.INFO, "deja_deposee")]
    assert [(d.file, d.row) for d in groups[0].items] == [("/x/bdc.xlsx", 2), ("/x/clients.xlsx", 8)]
    assert [d.row for d in groups[1].items] == [1, 5]
    text = render_text(SUMMARY, diagnostics)
    titles = [line for line in text.splitlines() if line in ("ERREURS", "AVERTISSEMENTS", "INFORMATIONS")]
    assert titles == ["ERREURS", "AVERTISSEMENTS", "INFORMATIONS"]
    assert text.index("identifiant_format 2") < text.index("valeur_obligatoire 1") < text.index("adeli_cle_douteuse 9")


def test_summary_as_json_keeps_the_report_shape() -> None:
    summary = Summary(app_version="0", workspace="W", at=datetime(2022, 11, 28, 10, tzinfo=ZoneInfo("Europe/Paris")),
                      requests=3, valid=2, invalid=1, bdc_rows=4, bdc_rows_without_request=1,
                      by_couloir=(CouloirTotal("HOP", "avance", 3, 2, 1, Decimal("1250.5")),), errors=1, warnings=0,
                      infos=0, joined_by=(JoinedBy("CODE", "code client", 3),))
    data = summary.as_json()
    assert list(data) == ["app_version", "workspace", "at", "bdc_rows", "bdc_rows_without_request", "requests",
                          "valid", "invalid", "errors", "warnings", "infos", "by_couloir", "joined_by"]
    assert data["at"] == "2022-11-28T10:00:00+01:00"
    assert data["by_couloir"] == [{"couloir": "HOP", "type": "avance", "requests": 3, "valid": 2, "invalid": 1,
                                   "valid_amount_ht": "1250.50"}]
    assert data["joined_by"] == [{"key": "CODE", "label": "code client", "requests": 3}]
    files = (FileWritten("HOP_avance.json", "HOP", "avance", 2, "HOP-avance"),)
    assert replace(summary, files=files).as_json()["files"] == [
        {"file": "HOP_avance.json", "couloir": "HOP", "type": "avance", "requests": 2, "schema": "HOP-avance"}]


def test_a_csv_is_located_by_its_file_alone() -> None:
    """A CSV's one sheet is named after its file: « bdc.csv › bdc » would name a sheet the user never made."""
    on_csv = Diagnostic(Severity.ERROR, "montant_illisible", "m", "f", file="/x/bdc.csv", sheet="bdc", row=5,
                        column="D", header="Montant HT")
    assert location(on_csv) == "bdc.csv, ligne 5, colonne D (Montant HT)"
    assert location(replace(on_csv, file="/x/bdc.xlsx", sheet="BDC")) == "bdc.xlsx › BDC, ligne 5, colonne D (Montant HT)"
