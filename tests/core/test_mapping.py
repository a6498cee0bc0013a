"""Header detection, sheet choice and column mapping."""

import pytest

from segur_desktop.core.errors import InputError
from segur_desktop.core.mapping import load_table, map_columns, table_specs


def test_header_found_below_title_lines(make_xlsx) -> None:
    path = make_xlsx("clients.xlsx", [
        ["Export CRM du 15/11/2022"], [], ["Code client", "Raison sociale", "FINESS"], ["C1", "Clinique", "750000019"],
    ])
    table = load_table(path, "clients")
    assert table.header_row == 3
    assert table.columns == {"client_code": 0, "name": 1, "finess_et": 2}
    assert table.rows == [(4, ["C1", "Clinique", "750000019"])]


def test_synonyms_ignore_case_accents_and_punctuation() -> None:
    spec = table_specs()["clients"]
    columns = map_columns(["N° CLIENT", "Dénomination", "Finess géographique", "N°_SIRET", "rpps."], spec)
    assert columns == {"client_code": 0, "name": 1, "finess_et": 2, "siret": 3, "rpps": 4}


def test_pinned_header_wins() -> None:
    spec = table_specs()["clients"]
    columns = map_columns(["Code", "Nom commercial", "Raison sociale"], spec, {"name": "Nom commercial"})
    assert columns["name"] == 1


def test_blank_rows_inside_data_are_skipped(make_xlsx) -> None:
    path = make_xlsx("c.xlsx", [["Code client", "Raison sociale", "RPPS"], ["C1", "A", "1"], [], ["C2", "B", "2"]])
    assert [row for row, _ in load_table(path, "clients").rows] == [2, 4]


def test_sheet_with_the_data_is_chosen(make_xlsx) -> None:
    path = make_xlsx("classeur.xlsx", sheets={
        "Lisez-moi": [["Ce classeur contient la liste des clients"]],
        "Clients": [["Code client", "Raison sociale", "FINESS ET"], ["C1", "X", "750000019"]],
    })
    assert load_table(path, "clients").sheet == "Clients"


def test_missing_required_column_lists_headers_and_candidates(make_xlsx) -> None:
    path = make_xlsx("bdc.xlsx", [["N° BDC", "Code client", "Date signature", "Montants HT"]])
    with pytest.raises(InputError) as error:
        load_table(path, "bdc")
    message = str(error.value)
    assert "« Montant HT »" in message  # the missing field
    assert "D « Montants HT »" in message  # the headers present, with their letters
    assert "Colonnes les plus proches : « Montants HT »" in message


def test_missing_identifier_columns(make_xlsx) -> None:
    path = make_xlsx("c.xlsx", [["Code client", "Raison sociale", "Adresse"]])
    with pytest.raises(InputError, match="FINESS ET"):
        load_table(path, "clients")


def test_no_header_row_at_all(make_xlsx) -> None:
    path = make_xlsx("c.xlsx", [["alpha", "beta"], [1, 2]])
    with pytest.raises(InputError, match="Aucune ligne d'en-têtes"):
        load_table(path, "clients")


def test_pinned_header_absent_is_an_error(make_xlsx) -> None:
    path = make_xlsx("c.xlsx", [["Code client", "Raison sociale", "RPPS"]])
    with pytest.raises(InputError, match="Nom commercial"):
        load_table(path, "clients", pinned={"name": "Nom commercial"})


def test_merged_title_cell_above_headers(tmp_path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "Liste des clients Ségur — export du 15/11/2022"
    sheet.merge_cells("A1:D2")
    for row, values in ((4, ["Code client", "Raison sociale", "FINESS ET", "Ville"]),
                        (5, ["C1", "Clinique", "750000019", "Paris"])):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    path = tmp_path / "fusion.xlsx"
    workbook.save(path)
    table = load_table(path, "clients")
    assert table.header_row == 4 and table.rows[0][0] == 5


def test_pinned_headers_count_for_header_detection(make_xlsx) -> None:
    # No synonym knows these titles; the user's mapping does.
    path = make_xlsx("c.xlsx", [["Export"], ["Réf.", "Intitulé établissement", "Numéro praticien"], ["C1", "X", "1"]])
    pinned = {"client_code": "Réf.", "name": "Intitulé établissement", "rpps": "Numéro praticien"}
    table = load_table(path, "clients", pinned=pinned)
    assert table.header_row == 2 and table.columns == {"client_code": 0, "name": 1, "rpps": 2}
