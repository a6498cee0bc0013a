"""Each business rule, on a workspace where only that rule can fire."""

from datetime import date
from pathlib import Path

from testdata import FINESS_A, FINESS_B, RPPS_A, luhn_complete

from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.workspace import load_workspace

CLIENTS = [
    ["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
    ["C2", "Clinique B", FINESS_B, None, "69003", "Lyon"],
    ["C3", "Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"],
]
SIGNED = date(2022, 9, 1)


def findings(folder: Path, at: str = "2022-11-28T10:00:00+01:00") -> list[tuple[str, int | None, str | None]]:
    result = run_pipeline(load_workspace(folder), parse_instant(at))
    return sorted((d.code, d.row, d.column) for d in result.diagnostics if d.severity != "info")


def bdc(number: str, client: str = "C1", *, solution: str = "Test DPI", signed=SIGNED, amount=1000) -> list:
    return [number, client, solution, "Avance", signed, amount, f"{number}.pdf"]


def test_bdc_in_the_future(make_workspace) -> None:
    assert findings(make_workspace(CLIENTS, [bdc("B1", signed=date(2022, 11, 29))])) == [("bdc_date_future", 2, "E")]


def test_bdc_signed_after_the_avance_window_closed(make_workspace) -> None:
    folder = make_workspace(CLIENTS, [bdc("B1", signed=date(2022, 12, 1))])
    assert ("bdc_apres_fermeture", 2, "E") in findings(folder, "2022-12-02T10:00:00+01:00")


def test_bdc_more_than_120_days_before_referencing(make_workspace) -> None:
    # Test DPI is referenced on 2022-06-15: 120 days before is 2022-02-15.
    assert findings(make_workspace(CLIENTS, [bdc("B1", signed=date(2022, 2, 15))])) == []
    assert findings(make_workspace(CLIENTS, [bdc("B1", signed=date(2022, 2, 14))])) == [("bdc_trop_tot", 2, "E")]


def test_same_bdc_number_twice(make_workspace) -> None:
    folder = make_workspace(CLIENTS, [bdc("B1"), bdc("B1", "C2")], pdfs=["B1.pdf"])
    assert findings(folder) == [("bdc_duplique", 3, "A")]


def test_same_beneficiary_and_software_twice_is_a_doublon(make_workspace) -> None:
    assert findings(make_workspace(CLIENTS, [bdc("B1"), bdc("B2")])) == [("beneficiaire_duplique", 2, "C")]


def test_officine_ceiling_when_the_pharmacy_s_forfait_is_not_known(make_workspace) -> None:
    # Without a « Forfait officine » column, only the couloir's ceiling can be checked (and that is said once).
    clients = [["P1", "Pharmacie du Centre", luhn_complete("75000042"), None, "75011", "Paris"]]
    solutions = [{"id": "lgo", "nom": "Test LGO", "couloir": "Officine", "type_logiciel": "LGO",
                  "referencement": {"id": "R", "date": "2022-09-20", "depot_conformite": "2022-09-20"}}]
    ok = make_workspace(clients, [bdc("B1", "P1", solution="Test LGO", signed=date(2022, 10, 1), amount=875)],
                        solutions=solutions)
    assert findings(ok) == [("forfait_officine_absent", None, None)]
    over = make_workspace(clients, [bdc("B1", "P1", solution="Test LGO", signed=date(2022, 10, 1), amount=875.01)],
                          solutions=solutions)
    assert findings(over) == [("forfait_officine_absent", None, None), ("plafond_depasse", 2, "F")]


def test_missing_empty_and_fake_pdfs(make_workspace) -> None:
    folder = make_workspace(CLIENTS, [bdc("B1"), bdc("B2", "C2"), bdc("B3", "C3", solution="Test Cabinet")],
                            pdfs=["B2.pdf", "B3.pdf"])
    (folder / "pieces" / "B2.pdf").write_bytes(b"")
    (folder / "pieces" / "B3.pdf").write_bytes(b"PK\x03\x04 a zip renamed .pdf")
    assert findings(folder) == [("piece_absente", 2, "G"), ("piece_non_pdf", 4, "G"), ("piece_vide", 3, "G")]


def test_pdf_name_matching_only_ignoring_case(make_workspace) -> None:
    folder = make_workspace(CLIENTS, [bdc("B1")], pdfs=["b1.PDF"])
    assert findings(folder) == [("piece_nom_approchant", 2, "G")]


def test_closed_guichet(make_workspace) -> None:
    folder = make_workspace(CLIENTS, [bdc("B1")])
    assert findings(folder, "2022-11-30T13:59:59+01:00") == []
    assert findings(folder, "2022-11-30T14:00:00+01:00") == [("guichet_ferme", 2, None)]


def test_unknown_guichet_dates_are_an_info_once(make_workspace) -> None:
    solutions = [{"id": "v2", "nom": "DPI V2", "couloir": "HOP", "type_logiciel": "DPI", "vague": "9",
                  "referencement": {"id": "R", "date": "2022-06-15"}}]
    folder = make_workspace(CLIENTS, [bdc("B1", solution="DPI V2"), bdc("B2", "C2", solution="DPI V2")],
                            solutions=solutions)
    result = run_pipeline(load_workspace(folder), parse_instant("2022-11-28T10:00:00+01:00"))
    infos = [d for d in result.diagnostics if d.code == "guichet_inconnu"]
    assert len(infos) == 1 and "vague 9" in infos[0].message
    assert all(d.valid for d in result.demandes)


def test_truncated_pdf_is_not_a_pdf(make_workspace) -> None:
    from testdata import MINIMAL_PDF

    folder = make_workspace(CLIENTS, [bdc("B1")])
    (folder / "pieces" / "B1.pdf").write_bytes(MINIMAL_PDF[: len(MINIMAL_PDF) // 2])  # a scan cut short
    assert findings(folder) == [("piece_non_pdf", 2, "G")]
