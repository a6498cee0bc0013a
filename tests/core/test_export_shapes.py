"""Export shapes still refused or noisy (issue #15): two-level headers of pivot-style and formatted exports, notes
typed under the list. Each fixture is built as the export writes it (merged cells, title block, footer)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from realworld import FOOTER, TITLE, Ids, d, errors, footer_export, mapped, run, two_level_export, write_xlsx

from segur_desktop.core.mapping import load_table
from segur_desktop.core.messages import Severity
from segur_desktop.core.profiles import suggest


def test_a_two_level_header_reads_each_column_as_its_two_titles_joined(tmp_path: Path) -> None:
    """Read as one row, the header lost a level: « Montant » over the HT column alone, « Client » naming the code's
    column the client's name, the SIRET of the lower row missing, and the file refused. Read as two levels, every
    order is valid and the HT amount is HT's, never TTC's."""
    orders, wrong = two_level_export(tmp_path)
    assert load_table(tmp_path / "commandes.xlsx", "bdc").header_row == 4
    assert mapped(tmp_path / "commandes.xlsx", "bdc") == {
        "bdc_number": "№ BDC", "signature_date": "Date de signature", "client_code": "Client Code",
        "client_name": "Client Nom", "siret": "Client SIRET", "solution": "Logiciel", "couloir": "Couloir",
        "request_type": "Type", "amount_ht": "Montant HT", "amount_ttc": "Montant TTC", "bdc_file": "Fichier BDC"}
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


def test_a_legacy_xls_two_level_header(tmp_path: Path) -> None:
    """The same header in an .xls (merges written by xlwt, as older ERPs write them): read as two levels too."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("BDC")
    sheet.write_merge(0, 1, 0, 0, "N° BDC")
    sheet.write_merge(0, 1, 1, 1, "Date de signature")
    sheet.write_merge(0, 0, 2, 3, "Client")
    sheet.write_merge(0, 0, 4, 5, "Montant")
    for column, title in enumerate(["Code", "FINESS", "HT", "TTC"], 2):
        sheet.write(1, column, title)
    for column, value in enumerate(["BC1", "01/08/2022", "CLT1", "130000000", 875, 1050]):
        sheet.write(2, column, value)
    workbook.save(str(tmp_path / "bdc.xls"))
    assert load_table(tmp_path / "bdc.xls", "bdc").header_row == 2
    assert mapped(tmp_path / "bdc.xls", "bdc") == {
        "bdc_number": "N° BDC", "signature_date": "Date de signature", "client_code": "Client Code",
        "finess": "Client FINESS", "amount_ht": "Montant HT", "amount_ttc": "Montant TTC"}


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


def test_groups_over_every_column_are_groups_not_a_title(tmp_path: Path) -> None:
    """« Commande » over N° and Date, « Client » over Code, Nom, SIRET, « Montant » over HT and TTC: no column of one
    level, yet three groups, not one title over the list (the lower row alone names no BDC number)."""
    path = tmp_path / "bdc.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Commande", None, "Client", None, None, "Montant", None])
    sheet.append(["N°", "Date", "Code", "Nom", "SIRET", "HT", "TTC"])
    sheet.append(["BC1", d(8, 1), "C1", "Cabinet du Port", "73282932000074", 875, 1050])
    for cells in ("A1:B1", "C1:E1", "F1:G1"):
        sheet.merge_cells(cells)
    workbook.save(path)
    assert load_table(path, "bdc").header_row == 2
    assert mapped(path, "bdc") == {
        "bdc_number": "Commande N°", "signature_date": "Commande Date", "client_code": "Client Code",
        "client_name": "Client Nom", "siret": "Client SIRET", "amount_ht": "Montant HT", "amount_ttc": "Montant TTC"}


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


def test_a_two_level_bdc_header_is_told_a_bdc_list_without_being_told_which(tmp_path: Path) -> None:
    """Without --type (and for a file dropped on the Import page), the list is the one its header names most, read
    as load_table reads it: « Code », « Nom », « SIRET », « CP », « Ville » under « Client », read alone, named a
    client list's fields and the orders were taken for the client list."""
    path = tmp_path / "commandes.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Commande", None, "Client", None, None, None, None, "Montant"])
    sheet.append(["N°", "Date", "Code", "Nom", "SIRET", "CP", "Ville", "HT"])
    sheet.append(["BC1", d(8, 1), "C1", "Cabinet du Port", "73282932000074", "13002", "Marseille", 875])
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:G1")
    workbook.save(path)
    assert suggest(path).list_kind == "bdc"


def test_the_sheet_of_a_two_level_header_is_chosen_over_a_sheet_of_fewer_fields(tmp_path: Path) -> None:
    """Between two sheets, the header naming the most fields wins, scored as load_table reads it: read as one row,
    the two-level header named three fields and lost to a summary sheet's four."""
    path = tmp_path / "commandes.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Commandes"
    sheet.append(["Commande", None, "Client", None, None, None, None, "Montant", None, "Fichier BDC"])
    sheet.append(["N°", "Date", "Code", "Nom", "SIRET", "CP", "Ville", "HT", "TTC"])
    sheet.append(["BC1", d(8, 1), "C1", "Cabinet du Port", "73282932000074", "13002", "Marseille", 875, 1050,
                  "BC1.pdf"])
    for cells in ("A1:B1", "C1:G1", "H1:I1"):
        sheet.merge_cells(cells)
    summary = workbook.create_sheet("Résumé")
    summary.append(["N° BDC", "Date de signature", "Couloir", "Montant HT"])
    summary.append(["Tous", d(8, 1), "Tous", 875])
    workbook.save(path)
    assert load_table(path, "bdc").sheet == "Commandes"


# -- notes typed under the list -----------------------------------------------------------------

def test_notes_under_the_list_are_left_out_and_said_at_their_rows(tmp_path: Path) -> None:
    """An ERP's footer under the list, in the BDC number's column (or the name's, in the client list): each note gave
    « client non désigné » and two missing values. Left out, each is said at its row."""
    pharmacies = footer_export(tmp_path)
    result = run(tmp_path)
    assert errors(result) == []
    assert sorted(demande.bdc.row for demande in result.demandes if demande.valid) == [2, 3]
    assert result.summary().bdc_rows == 2
    said = {(Path(d.file).name, d.row): d for d in result.diagnostics if d.code == "ligne_note"}
    assert set(said) == {(name, row) for name in ("bdc.xlsx", "clients.xlsx") for row in range(6, 6 + len(FOOTER))}
    for row, note in enumerate(FOOTER, 6):
        assert said[("bdc.xlsx", row)].severity is Severity.INFO
        assert f"La ligne {row} (« {note} ») est une note sous la liste" in said[("bdc.xlsx", row)].message
    assert len(load_table(tmp_path / "clients.xlsx", "clients").rows) == len(pharmacies)


def test_an_incomplete_row_of_the_list_stays_an_error_at_its_cells(tmp_path: Path) -> None:
    """A note's words in a row above the list's last row, or a last row holding a BDC number or a name alone: list
    rows, incomplete, whose errors are said at their cells."""
    footer_export(tmp_path, extra=[["Source : à compléter"], ["BC2"], ["Pharmacie des Alpes"]])
    table = load_table(tmp_path / "bdc.xlsx", "bdc")
    assert [number for number, _cells in table.rows] == [2, 3, 4, 5, 6]
    assert sorted(table.notes) == [9, 10, 11, 12] and sorted(table.totals) == [7]
    assert {(row, code) for _file, row, code in errors(run(tmp_path))} >= {
        (4, "client_sans_identifiant"), (5, "client_sans_identifiant"), (6, "client_sans_identifiant")}


def test_a_cegid_csv_with_its_footer_in_the_first_column(tmp_path: Path) -> None:
    """The same footer in a CSV (« Page 1 / 1 » typed in column A, the others empty between semicolons)."""
    ids = Ids(1541)
    finess = ids.finess("13")
    (tmp_path / "bdc.csv").write_text("\r\n".join([
        "N° BDC;Date de signature;FINESS;Montant HT", f"BC1;01/08/2022;{finess};875,00", ";;;",
        *(f"{note};;;" for note in FOOTER)]) + "\r\n", encoding="cp1252")
    table = load_table(tmp_path / "bdc.csv", "bdc")
    assert [number for number, _cells in table.rows] == [2]
    assert table.notes == dict(enumerate(FOOTER, 4))
