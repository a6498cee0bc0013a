"""Turning rows into demandes: solution and beneficiary choice, and what stops a row."""

import base64
import hashlib
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from testdata import FINESS_A, FINESS_B, RPPS_A, rendered

from segur_desktop.core.build import request_id
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


@settings(max_examples=300)
@given(couloir=st.sampled_from(["HOP", "MDV", "MS2-PDE"]), kind=st.sampled_from(["avance", "solde"]),
       identifier=st.text(min_size=1), bdc_number=st.text(min_size=1))
def test_property_request_id_is_the_base32_of_the_digest(couloir: str, kind: str, identifier: str,
                                                        bdc_number: str) -> None:
    # The ids of earlier builds: base64's own encoder over the digest's first bytes.
    digest = hashlib.sha256("|".join((couloir, kind, "FINESS_ET", identifier, bdc_number)).encode()).digest()
    expected = f"{couloir}-{'AV' if kind == 'avance' else 'SO'}-{base64.b32encode(digest).decode()[:10]}"
    assert request_id(couloir, kind, "FINESS_ET", identifier, bdc_number) == expected


def test_amounts_computed_once_are_still_checked_on_every_row(make_workspace) -> None:
    # The same inconsistent TTC on two rows: one computation, one warning per row, each at its cell.
    headers = ["N° BDC", "Code client", "Solution", "Date de signature", "Montant HT", "Montant TTC", "Fichier BDC"]
    clients = [*CLIENTS, ["C2", "Clinique B", FINESS_B, None, "69003", "Lyon"]]
    result = run(make_workspace(clients, [["B1", "C1", "Test DPI", date(2022, 9, 1), 1000, 1100, "B1.pdf"],
                                          ["B2", "C2", "Test DPI", date(2022, 9, 1), 1000, 1100, "B2.pdf"],
                                          ["B3", "C2", "Test DPI", date(2022, 9, 1), 1000, 1200, "B3.pdf"]],
                                bdc_headers=headers))
    warnings = [(d.row, d.column) for d in result.diagnostics if d.code == "montant_ttc_incoherent"]
    assert warnings == [(2, "F"), (3, "F")]
    assert [str(d.fields["bdc.montant_ttc"]) for d in result.demandes] == ["1100.00", "1100.00", "1200.00"]
    assert [str(d.fields["demande.montant_ht"]) for d in result.demandes] == ["300.00"] * 3


def test_each_demande_has_its_own_json(make_workspace) -> None:
    # The solution's fields are made once per solution, but each demande's JSON gets its own "solution" object.
    result = run(make_workspace(CLIENTS, [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 100, "B1.pdf"],
                                          ["B2", "C1", "Test DPI", "Avance", date(2022, 9, 2), 100, "B2.pdf"]]))
    first, second = (rendered(result, d)["solution"] for d in result.demandes)
    assert first == second == {"nom": "Test DPI", "version": "1.0", "typeLogiciel": "DPI",
                               "idReferencement": "REF-1", "dateReferencement": "2022-06-15"}
    assert first is not second


def test_building_reports_progress_and_can_be_cancelled(demo) -> None:
    """Building 100k demandes takes about a second: the window shows it and its Cancel button stops it."""
    import pytest

    from segur_desktop.core.errors import Cancelled
    from segur_desktop.core.progress import CancelToken

    workspace = load_workspace(demo)
    seen = []
    run_pipeline(workspace, workspace.judged_at, progress=seen.append)
    built = [p for p in seen if p.stage == "Construction des demandes"]
    assert built and built[-1].done == built[-1].total == 41  # every BDC row of the demo

    token = CancelToken()

    stages = []

    def cancel_when_building(progress) -> None:
        stages.append(progress.stage)
        if progress.stage == "Contrôle des valeurs de bons_de_commande.xlsx" and progress.done == progress.total:
            token.cancel()  # the next check is the build's first

    with pytest.raises(Cancelled):
        run_pipeline(workspace, workspace.judged_at, progress=cancel_when_building, cancel=token)
    assert "Construction des demandes" not in stages  # stopped before building, not at validation
