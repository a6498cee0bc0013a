"""The French text report: grouped by code, counted, capped, with where each code occurs."""

from segur_desktop.core.diagnostics import Diagnostic
from segur_desktop.core.messages import Severity
from segur_desktop.core.report import render_text, rows_by_file

SUMMARY = {"app_version": "0", "workspace": "W", "at": "2022-11-28T10:00:00+01:00", "requests": 0, "valid": 0,
           "invalid": 0, "bdc_rows": 0, "bdc_rows_without_request": 0, "by_couloir": [], "errors": 12,
           "warnings": 0, "infos": 0}


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
