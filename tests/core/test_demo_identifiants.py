"""The demo without client codes (issue #15): BDC rows joined to clients by FINESS, SIRET or RPPS.

resources/demo-identifiants/ is written by `python -m tools.make_demo_identifiants`. Each
deliberate mistake gives exactly one diagnostic at its cell; every other BDC row gives a valid
demande, the hidden one included.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from segur_desktop.cli import main
from segur_desktop.core.mapping import load_table
from segur_desktop.core.messages import Severity
from segur_desktop.core.pipeline import PipelineResult, run_pipeline
from segur_desktop.core.workspace import load_workspace
from tools import make_demo_identifiants

DEMO = Path(__file__).parents[2] / "resources" / "demo-identifiants"
CLIENTS, BDC = "clients.xlsx", "bons_de_commande.xlsx"

# (code, file, row, column), errors and warnings: README.md's table lists the same mistakes.
EXPECTED = [
    ("client_fusionne", CLIENTS, 46, "A"),  # line 39's pharmacy again, name in capitals + trailing spaces
    ("identifiant_zero_restaure", CLIENTS, 47, "B"),  # FINESS 033565532 stored as the number 33565532
    ("couloir_inconnu", BDC, 10, "G"),  # « Dentaire »
    ("client_sans_identifiant", BDC, 11, "C"),  # a doctor's order with neither FINESS nor SIRET / RPPS
    ("identifiant_cle", BDC, 23, "E"),  # SIRET with a wrong key in « SIRET / RPPS »
    ("date_impossible", BDC, 24, "B"),  # 31/09/2022
    ("identifiants_contradictoires", BDC, 29, "E"),  # FINESS of one pharmacy, SIRET of another
    ("client_inconnu", BDC, 49, "D"),  # a lab's FINESS with "09" swapped to "90": key valid, name right, no join
    ("couloir_incoherent", BDC, 50, "G"),  # OffiPlus (LGO) on a row saying « Hôpital »
]
HIDDEN_ROW = 37  # valid data, imported with an information
BDC_ROWS = 49
BAD_BDC_ROWS = {row for _code, file, row, _column in EXPECTED if file == BDC}  # each planted BDC mistake is an error
CLEAN_ROWS = BDC_ROWS - len(BAD_BDC_ROWS)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo: nothing a run writes lands in the repository."""
    folder = tmp_path_factory.mktemp("demo") / "demo-identifiants"
    shutil.copytree(DEMO, folder)
    return folder


@pytest.fixture(scope="module")
def result(workspace: Path) -> PipelineResult:
    loaded = load_workspace(workspace)
    return run_pipeline(loaded, loaded.judged_at)


def located(result: PipelineResult, *severities: Severity) -> list[tuple[str, str, int | None, str | None]]:
    found = [(d.code, Path(d.file).name, d.row, d.column) for d in result.diagnostics
             if d.severity in severities and d.file]
    return sorted(found, key=lambda item: (item[1] != CLIENTS, item[2] or 0, item[0]))


def test_no_column_is_a_client_code_and_the_data_sheets_are_chosen() -> None:
    clients = load_table(DEMO / CLIENTS, "clients")  # « Notes » comes first in the workbook
    bdc = load_table(DEMO / BDC, "bdc")  # « Paramètres » comes after
    assert (clients.sheet, clients.header_row, bdc.sheet, bdc.header_row) == ("Comptes", 4, "Commandes", 3)
    assert "client_code" not in clients.columns and "client_code" not in bdc.columns
    assert set(clients.columns) >= {"name", "finess_et", "finess_ej", "siret", "rpps", "postal_code", "city"}
    assert set(bdc.columns) >= {"bdc_number", "signature_date", "client_name", "finess", "identifier", "solution",
                                "couloir", "request_type", "amount_ht", "bdc_file"}


def test_each_deliberate_mistake_is_found_at_its_cell(result: PipelineResult) -> None:
    assert located(result, Severity.ERROR, Severity.WARNING) == EXPECTED
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    assert len(errors) == len(BAD_BDC_ROWS)  # and no error without a cell


def test_every_clean_row_gives_a_valid_demande(result: PipelineResult) -> None:
    summary = result.summary()
    assert summary.bdc_rows == BDC_ROWS
    assert summary.valid == CLEAN_ROWS == 42
    valid_rows = {d.bdc.row for d in result.demandes if d.valid}
    assert valid_rows == set(range(4, 4 + BDC_ROWS)) - BAD_BDC_ROWS  # data from line 4, under two title lines
    assert {g.couloir for g in summary.by_couloir} == {"HOP", "MDV", "BIO", "RAD", "PHA"}


def test_the_hidden_row_is_read_and_said(result: PipelineResult) -> None:
    hidden = [d for d in result.diagnostics if d.code == "ligne_masquee"]
    assert [(Path(d.file).name, d.row, d.severity) for d in hidden] == [(BDC, HIDDEN_ROW, Severity.INFO)]
    assert any(d.bdc.row == HIDDEN_ROW and d.valid for d in result.demandes)


def test_rows_are_joined_by_the_identifier_they_carry(result: PipelineResult) -> None:
    by_row = {d.bdc.row: d for d in result.demandes}
    identifiers = {row: (d.fields["beneficiaire.type_identifiant"], d.fields["beneficiaire.identifiant"])
                   for row, d in by_row.items() if d.valid}
    # A doctor named by RPPS only in « SIRET / RPPS » (row 4), an imaging cabinet by SIRET only (row 22),
    # the pharmacy whose FINESS lost its zero in the CRM (row 25, « 033 565 532 » with NBSP in the ERP),
    # the pharmacy listed twice in the CRM (row 27), a lab in Haute-Corse (row 32, FINESS 2B…).
    assert identifiers[4] == ("RPPS", "10729732395")
    assert identifiers[22] == ("SIRET", "22084926952142")
    assert identifiers[25] == ("FINESS_ET", "033565532")
    assert identifiers[27] == ("FINESS_ET", "766463996")
    assert identifiers[32] == ("FINESS_ET", "2B1424894")
    # The longest solution name a product cell starts with: « LaboNet LOINC 1.2 » is LaboNet LOINC.
    assert by_row[42].solution.name == "LaboNet LOINC" and by_row[41].solution.name == "LaboNet"
    # No product: the couloir « Imagerie » names one solution.
    assert by_row[39].solution.name == "RadioSys"


def test_the_readme_lists_the_same_mistakes() -> None:
    text = (DEMO / "README.md").read_text(encoding="utf-8")
    listed = []
    for file, cell, code in re.findall(r"^\| (\S+\.xlsx) \| ([A-Z]+\d+) \| .* \| \w+ `(\w+)` \|$", text, re.M):
        column, row = re.match(r"([A-Z]+)(\d+)", cell).groups()
        listed.append((code, file, int(row), column))
    assert sorted(listed) == sorted(EXPECTED)
    assert f"line {HIDDEN_ROW} hidden" in " ".join(text.split())


def test_the_tool_writes_the_committed_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m tools.make_demo_identifiants` is deterministic and the committed files are its output."""
    monkeypatch.setattr(make_demo_identifiants, "DEMO", tmp_path / "demo")
    make_demo_identifiants.main()
    written = tmp_path / "demo"
    assert sorted(p.relative_to(written).as_posix() for p in written.rglob("*")) == \
        sorted(p.relative_to(DEMO).as_posix() for p in DEMO.rglob("*"))
    for name in ("workspace.json", "README.md"):
        assert (written / name).read_text(encoding="utf-8") == (DEMO / name).read_text(encoding="utf-8")
    for piece in (DEMO / "pieces").iterdir():
        assert (written / "pieces" / piece.name).read_bytes() == piece.read_bytes()
    for name in (CLIENTS, BDC):
        ours, theirs = load_workbook(written / name), load_workbook(DEMO / name)
        assert ours.sheetnames == theirs.sheetnames
        for sheet in ours.sheetnames:
            assert list(ours[sheet].values) == list(theirs[sheet].values), (name, sheet)
            hidden = {n for n, d in ours[sheet].row_dimensions.items() if d.hidden}
            assert hidden == {n for n, d in theirs[sheet].row_dimensions.items() if d.hidden}


def test_cli_validate_exits_1_and_names_each_planted_row(workspace: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", "--workspace", str(workspace)]) == 1
    out = capsys.readouterr().out
    assert f"{CLEAN_ROWS} valides" in out
    for code, file, row, column in EXPECTED:
        assert re.search(rf"{re.escape(file)} › [^,]+, ligne {row}, colonne {column} ", out), (code, file, row)
