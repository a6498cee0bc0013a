"""What the export leaves out, said so that the reason comes first: every BDC row without a demande (even when no
row gave one), the kind of problem as its title, and demandes exported before kept out when the window asks."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from testdata import FINESS_A, FINESS_B, RPPS_A

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.export.bundle import export_workspace
from segur_desktop.core.export.plan import ExportOptions, LeftOut, Reason, plan_export
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.record import record_export
from segur_desktop.core.register.store import Register
from segur_desktop.core.workspace import load_workspace

AT = datetime(2022, 11, 28, 10, 0, tzinfo=PARIS)
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
           ["C2", "Centre hospitalier B", FINESS_B, None, "69001", "Lyon"],
           ["C3", "Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"]]
BDCS = [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"],
        ["B2", "C2", "Test DPI", "Avance", date(2022, 9, 2), 1000, "B2.pdf"],
        ["B3", "C3", "Test Cabinet", "Avance", date(2022, 9, 2), 1100, "B3.pdf"]]


def test_every_row_refused_is_still_left_out_with_its_reason_first(make_workspace) -> None:
    folder = make_workspace(CLIENTS, BDCS, solutions=[])  # a new workspace: no solution declared yet
    result = run_pipeline(load_workspace(folder), AT)
    assert result.demandes == [] and result.summary().bdc_rows_without_request == 3
    plan = plan_export(result)
    assert plan.exported == 0
    assert [(item.reason, item.row, item.bdc_number) for item in plan.left_out] == [
        (Reason.NO_REQUEST, 2, "B1"), (Reason.NO_REQUEST, 3, "B2"), (Reason.NO_REQUEST, 4, "B3")]
    first = plan.left_out[0]
    assert first.title == "Aucune solution référencée"
    assert first.details[0].startswith("Aucune solution référencée ne correspond à ce bon de commande")


def test_a_demande_in_error_says_its_problem_then_the_column(make_workspace) -> None:
    rows = [BDCS[0], ["B2", "C2", "Test DPI", "Avance", "31/02/2022", 1000, "B2.pdf"], BDCS[2]]
    plan = plan_export(run_pipeline(load_workspace(make_workspace(CLIENTS, rows)), AT))
    [item] = [item for item in plan.left_out if item.bdc_number == "B2"]
    assert item.title is not None and item.title != "En erreur"
    assert item.details[0].startswith("« 31/02/2022 »")
    assert item.details[0].endswith("— colonne E (Date de signature).")


def test_demandes_exported_before_stay_out_only_when_asked(make_workspace, tmp_path: Path) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    register = Register(tmp_path / "registre.sqlite3")
    exported = export_workspace(load_workspace(folder), AT, tmp_path / "out", ExportOptions(),
                                register=RegisterIndex.of(register), generated_at=datetime(2022, 11, 28, 11, 0, tzinfo=PARIS))
    record_export(register, exported)
    result = run_pipeline(load_workspace(folder), AT, register=RegisterIndex.of(register))
    assert plan_export(result).exported == 3  # the core's default, the command line's: exported again
    plan = plan_export(result, ExportOptions(exported_again=False))
    assert plan.exported == 0
    assert {item.reason for item in plan.left_out} == {Reason.EXPORTED}
    assert plan.left_out[0].details[0].startswith("Déjà exportée le 28/11/2022 (paquet « depot_")


def test_a_left_out_row_of_a_csv_is_located_by_its_file_alone() -> None:
    """A CSV's one sheet is named after its file: « bdc.csv › bdc » would name a sheet the user never made."""
    item = LeftOut(Reason.NO_REQUEST, Path("/x/bdc.csv"), "bdc", 6, ("…",))
    assert item.where() == "bdc.csv, ligne 6"
    assert LeftOut(Reason.NO_REQUEST, Path("/x/bdc.xlsx"), "BDC", 6, ("…",)).where() == "bdc.xlsx › BDC, ligne 6"
