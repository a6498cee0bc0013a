"""Export shapes still refused or noisy (issue #15): two-level headers of pivot-style and formatted exports, notes
typed under the list. Each fixture is built as the export writes it (merged cells, title block, footer)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from realworld import TITLE, d, two_level_export, write_xlsx

from segur_desktop.core.mapping import load_table
from segur_desktop.core.messages import Severity
from segur_desktop.core.pipeline import PipelineResult, run_pipeline
from segur_desktop.core.workspace import load_workspace


def run(folder: Path) -> PipelineResult:
    workspace_ = load_workspace(folder)
    return run_pipeline(workspace_, workspace_.judged_at)


def errors(result: PipelineResult) -> list[tuple[str, int | None, str]]:
    return sorted((Path(d.file).name if d.file else "", d.row, d.code)
                  for d in result.diagnostics if d.severity is Severity.ERROR)


def test_a_two_level_header_reads_each_column_as_its_two_titles_joined(tmp_path: Path) -> None:
    """Read as one row, the header lost a level: « Montant » over the HT column alone, « Client » naming the code's
    column the client's name, the SIRET of the lower row missing, and the file refused. Read as two levels, every
    order is valid and the HT amount is HT's, never TTC's."""
    orders, wrong = two_level_export(tmp_path)
    table = load_table(tmp_path / "commandes.xlsx", "bdc")
    assert table.header_row == 4
    named = {name: table.headers[index] for name, index in table.columns.items()}
    assert named == {"bdc_number": "№ BDC", "signature_date": "Date de signature", "client_code": "Client Code",
                     "client_name": "Client Nom", "siret": "Client SIRET", "solution": "Logiciel", "couloir": "Couloir",
                     "request_type": "Type", "amount_ht": "Montant HT", "amount_ttc": "Montant TTC",
                     "bdc_file": "Fichier BDC"}
    result = run(tmp_path)
    assert errors(result) == [("commandes.xlsx", wrong, "identifiant_cle")]
    valid = {demande.bdc.row: str(demande.fields["bdc.montant_ht"]) for demande in result.demandes if demande.valid}
    assert valid == dict.fromkeys(orders, "9800.00")


def test_a_two_level_headers_cell_is_named_by_its_joined_title(tmp_path: Path) -> None:
    """Provenance names « Client SIRET », not « SIRET » (of which client, supplier?) nor the group alone."""
    two_level_export(tmp_path)
    table = load_table(tmp_path / "commandes.xlsx", "bdc")
    number, raw = table.rows[0]
    cell = table.cell("siret", number, raw)
    assert cell is not None
    assert (cell.file.name, cell.sheet, cell.row, cell.column, cell.header) == (
        "commandes.xlsx", "Commandes", 5, "E", "Client SIRET")


def test_one_level_titles_written_in_the_upper_row_alone_keep_their_title(tmp_path: Path) -> None:
    _orders, wrong = two_level_export(tmp_path, merged_singles=False)
    table = load_table(tmp_path / "commandes.xlsx", "bdc")
    assert table.header_row == 4
    assert table.headers[:3] == ["№ BDC", "Date de signature", "Client Code"]
    assert errors(run(tmp_path)) == [("commandes.xlsx", wrong, "identifiant_cle")]


def test_a_group_of_titles_no_field_reads_names_no_field_rather_than_the_wrong_one(tmp_path: Path) -> None:
    """« Client » over « Adresse » and « Ville »: read alone, the upper row named the client's name at the address's
    column; « Fournisseur » over « SIRET »: the supplier's SIRET is no client key."""
    path = tmp_path / "bdc.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    for row in (["N° BDC", "Date de signature", "Client", None, "Fournisseur", None, "FINESS", "Montant HT"],
                [None, None, "Adresse", "Ville", "Nom", "SIRET", None, None],
                ["BC1", d(8, 1), "1 rue du Port", "Marseille", "Grossiste SA", "73282932000074", "130000000", 875]):
        sheet.append(row)
    sheet.merge_cells("C1:D1")
    sheet.merge_cells("E1:F1")
    for letter in "ABGH":
        sheet.merge_cells(f"{letter}1:{letter}2")
    workbook.save(path)
    table = load_table(path, "bdc")
    assert table.header_row == 2
    assert set(table.columns) == {"bdc_number", "signature_date", "finess", "amount_ht"}
    assert table.headers[2:6] == ["Client Adresse", "Client Ville", "Fournisseur Nom", "Fournisseur SIRET"]


def test_a_title_merged_over_the_whole_header_is_no_group(tmp_path: Path) -> None:
    """A title merged right above the header, over every column: the titles stay one level."""
    path = tmp_path / "bdc.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([TITLE])
    sheet.append(["N° BDC", "Date de signature", "FINESS", "Montant HT"])
    sheet.append(["BC1", d(8, 1), "130000000", 875])
    sheet.merge_cells("A1:D1")
    workbook.save(path)
    table = load_table(path, "bdc")
    assert (table.header_row, table.headers) == (2, ["N° BDC", "Date de signature", "FINESS", "Montant HT"])


def test_a_header_cell_merged_over_two_data_columns_keeps_the_one_level_header(tmp_path: Path) -> None:
    """« Adresse » merged over two columns of a one-level header: the first data row is no sub-header."""
    path = tmp_path / "bdc.xlsx"
    write_xlsx(path, {"BDC": [["N° BDC", "Date de signature", "FINESS", "Adresse", None, "Montant HT"],
                              ["BC1", d(8, 1), "130000000", "1 rue du Port", "Marseille", 875]]})
    workbook = load_workbook(path)
    workbook.active.merge_cells("D1:E1")
    workbook.save(path)
    table = load_table(path, "bdc")
    assert table.header_row == 1
    assert [number for number, _cells in table.rows] == [2]
