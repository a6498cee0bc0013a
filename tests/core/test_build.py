"""Turning rows into demandes: solution and beneficiary choice, and what stops a row."""

from datetime import date

from testdata import FINESS_A, RPPS_A
from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.workspace import load_workspace

AT = parse_instant("2022-11-28T10:00:00+01:00")
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
           ["C3", "Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"]]


def run(folder):
    return run_pipeline(load_workspace(folder), AT)


def test_unknown_solution_names_the_known_ones(make_workspace) -> None:
    result = run(make_workspace(CLIENTS, [["B1", "C1", "Autre DPI", "Avance", date(2022, 9, 1), 100, "B1.pdf"]]))
    problem = next(d for d in result.diagnostics if d.code == "solution_inconnue")
    assert "Test DPI" in problem.message and problem.column == "C"
    assert result.demandes == []


def test_solution_column_may_be_absent_when_one_solution_per_couloir(make_workspace) -> None:
    headers = ["N° BDC", "Code client", "Couloir", "Date de signature", "Montant HT"]
    result = run(make_workspace(CLIENTS, [["B1", "C1", "Hôpital", date(2022, 9, 1), 100]], bdc_headers=headers))
    assert [d.solution.name for d in result.demandes] == ["Test DPI"]


def test_several_solutions_need_a_solution_column(make_workspace) -> None:
    headers = ["N° BDC", "Code client", "Date de signature", "Montant HT"]
    result = run(make_workspace(CLIENTS, [["B1", "C1", date(2022, 9, 1), 100]], bdc_headers=headers))
    assert [d.code for d in result.diagnostics if d.code.startswith("solution")] == ["solution_ambigue"]


def test_couloir_column_contradicting_the_solution(make_workspace) -> None:
    headers = ["N° BDC", "Code client", "Solution", "Couloir", "Date de signature", "Montant HT"]
    result = run(make_workspace(CLIENTS, [["B1", "C1", "Test DPI", "MDV", date(2022, 9, 1), 100]], bdc_headers=headers))
    assert [d.code for d in result.diagnostics if d.code == "couloir_incoherent"] == ["couloir_incoherent"]


def test_client_without_an_accepted_identifier(make_workspace) -> None:
    # A GP (RPPS only) ordering the hospital DPI: HOP accepts FINESS only.
    result = run(make_workspace(CLIENTS, [["B1", "C3", "Test DPI", "Avance", date(2022, 9, 1), 100, "B1.pdf"]]))
    problem = next(d for d in result.diagnostics if d.code == "identifiant_beneficiaire_absent")
    assert "FINESS_ET" in problem.message and problem.file.endswith("clients.xlsx")


def test_ttc_inconsistent_with_ht_is_a_warning(make_workspace) -> None:
    headers = ["N° BDC", "Code client", "Solution", "Date de signature", "Montant HT", "Montant TTC", "Fichier BDC"]
    result = run(make_workspace(CLIENTS, [["B1", "C1", "Test DPI", date(2022, 9, 1), 1000, 1100, "B1.pdf"]],
                                bdc_headers=headers))
    warning = next(d for d in result.diagnostics if d.code == "montant_ttc_incoherent")
    assert warning.severity == "warning" and warning.column == "F"
    assert result.demandes[0].valid


def test_schema_error_points_at_the_cell(make_workspace) -> None:
    # A BDC number of 250 characters passes the readers but not the schema (200 max).
    result = run(make_workspace(CLIENTS, [["B" * 250, "C1", "Test DPI", "Avance", date(2022, 9, 1), 100, "x.pdf"]],
                                pdfs=["x.pdf"]))
    problem = next(d for d in result.diagnostics if d.code == "schema")
    assert (problem.row, problem.column, problem.path) == (2, "A", "/bonDeCommande/numero")
    assert "Numéro du bon de commande" in problem.message
