"""Hidden rows are imported like the others, and each one is said (info `ligne_masquee`)."""

import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from testdata import CLIENT_HEADERS, FINESS_A, FINESS_B

from segur_desktop.core.mapping import load_table
from segur_desktop.core.normalise.rows import normalise_table
from segur_desktop.core.read import hidden, read_sheet, xmlscan
from segur_desktop.core.read.hidden import hidden_rows

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def clients_workbook(path: Path, hide: tuple[int, ...] = (), *, hide_column: bool = False) -> Path:
    """Export title, blank line, header on row 3, clients on rows 4 to 8 (row 6 blank)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Clients"
    rows = [["Export CRM"], [], CLIENT_HEADERS, ["C1", "Clinique A", FINESS_A, None, "75011", "Paris"],
            ["C2", "Clinique B", FINESS_B, None, "69003", "Lyon"], [],
            ["C3", "Clinique C", FINESS_A, None, "75012", "Paris"], ["C4", "Clinique D", FINESS_B, None, "69001", "Lyon"]]
    for row in rows:
        sheet.append(row)
    for number in hide:
        sheet.row_dimensions[number].hidden = True
    if hide_column:
        sheet.column_dimensions["D"].hidden = True  # a hidden column hides no row
    workbook.save(path)
    return path


def with_sheet_xml(source: Path, target: Path, xml: str) -> Path:
    """`source` with its first sheet's XML replaced by `xml`."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in original.infolist():
            archive.writestr(item, xml.encode() if item.filename == "xl/worksheets/sheet1.xml" else original.read(item))
    return target


def test_hidden_data_rows_are_imported_and_each_is_said_at_its_row(tmp_path: Path) -> None:
    # 1: above the header; 3: the header; 6: blank; 20: below the data. Only 5 and 7 are hidden data rows.
    path = clients_workbook(tmp_path / "clients.xlsx", hide=(1, 3, 5, 6, 7, 20))
    assert read_sheet(path).hidden == {1, 3, 5, 6, 7}  # up to the last row read
    table = load_table(path, "clients")
    assert table.hidden == {5, 6, 7}
    records, diagnostics = normalise_table(table)
    assert [r.row for r in records] == [4, 5, 7, 8]  # hidden rows are read like the others
    assert all(not r.failed for r in records)
    said = [d for d in diagnostics if d.code == "ligne_masquee"]
    assert [(d.severity, d.row, d.sheet, d.column) for d in said] == [("info", 5, "Clients", None), ("info", 7, "Clients", None)]
    assert said[0].message == "La ligne 5 est masquée dans le classeur : elle est lue comme les autres."
    assert said[0].fix == "Si elle ne doit pas être déposée, supprimez-la du tableur (la masquer ne suffit pas)."
    assert said[0].file == str(path)


def test_nothing_is_said_without_hidden_rows_and_a_hidden_column_is_not_parsed(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = clients_workbook(tmp_path / "clients.xlsx", hide_column=True)
    monkeypatch.setattr(hidden, "_parse", lambda *args: pytest.fail("the raw-byte check should have said no"))
    table = load_table(path, "clients")
    assert table.hidden == frozenset()
    assert not [d for d in normalise_table(table)[1] if d.code == "ligne_masquee"]


def test_a_header_scan_does_not_look_for_hidden_rows(tmp_path: Path) -> None:
    path = clients_workbook(tmp_path / "clients.xlsx", hide=(5,))
    assert read_sheet(path, max_rows=30).hidden == frozenset()


@pytest.mark.parametrize("chunk", [1, 2, 7, 64])
def test_a_hidden_attribute_cut_between_two_chunks_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             chunk: int) -> None:
    path = clients_workbook(tmp_path / "clients.xlsx", hide=(7,), hide_column=True)
    monkeypatch.setattr(xmlscan, "CHUNK", chunk)
    assert hidden_rows(path, "Clients", 8) == {7}
    assert read_sheet(path).hidden == {7}  # asked with the formula scan, in one pass


def test_other_writers_spellings_prefixes_and_rows_without_numbers(tmp_path: Path) -> None:
    cell = '<x:c t="inlineStr"><x:is><x:t>hidden="1"</x:t></x:is></x:c>'  # text that looks like the attribute
    xml = (f'<x:worksheet xmlns:x="{MAIN}"><x:cols><x:col min="1" max="1" hidden="1"/></x:cols><x:sheetData>'
           f'<x:row>{cell}</x:row><x:row hidden = \'true\'>{cell}</x:row><x:row r="5" hidden="0">{cell}</x:row>'
           f'<x:row>{cell}</x:row><x:row spans="1:1" hidden="1">{cell}</x:row></x:sheetData></x:worksheet>')
    path = with_sheet_xml(clients_workbook(tmp_path / "a.xlsx"), tmp_path / "b.xlsx", xml)
    assert hidden_rows(path, "Clients", 100) == {2, 7}


def test_formats_without_hidden_rows_and_unknown_sheets(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("Code client;Raison sociale;RPPS\nC1;A;1\n", encoding="utf-8")
    assert read_sheet(tmp_path / "c.csv").hidden == frozenset()
    path = clients_workbook(tmp_path / "clients.xlsx", hide=(5,))
    assert hidden_rows(path, "Autre feuille", 8) == frozenset()


def test_thousands_of_hidden_empty_rows_below_the_list_stop_the_scan_early(tmp_path: Path) -> None:
    """Hiding every unused row tidies a sheet; only rows up to the last one read can matter."""
    rows = "".join(f'<row r="{n}" hidden="1"/>' for n in range(9, 400_000))
    data = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 9))
    xml = f'<worksheet xmlns="{MAIN}"><sheetData>{data}{rows}</sheetData></worksheet>'
    path = with_sheet_xml(clients_workbook(tmp_path / "a.xlsx"), tmp_path / "b.xlsx", xml)
    start = time.perf_counter()
    assert hidden_rows(path, "Clients", 8) == frozenset()
    assert time.perf_counter() - start < 2


def test_entity_expansion_in_a_sheet_with_a_hidden_row_is_refused_without_hanging(tmp_path: Path) -> None:
    xml = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
           f'<worksheet xmlns="{MAIN}"><sheetData><row r="1" hidden="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t>'
           '</is></c></row></sheetData></worksheet>')
    path = with_sheet_xml(clients_workbook(tmp_path / "a.xlsx"), tmp_path / "b.xlsx", xml)
    assert hidden_rows(path, "Clients", 10) == frozenset()


def test_broken_xml_after_a_hidden_row_is_no_crash(tmp_path: Path) -> None:
    """The reader reports a broken file; the scan only adds knowledge, and has none to add."""
    xml = f'<worksheet xmlns="{MAIN}"><sheetData><row r="2" hidden="1"><c r="A2"><v>1</v></c></row><row r="3" <<'
    path = with_sheet_xml(clients_workbook(tmp_path / "a.xlsx"), tmp_path / "b.xlsx", xml)
    assert hidden_rows(path, "Clients", 10) == frozenset()


ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            '<office:body><office:spreadsheet>')


def ods_row(values: list[str], attributes: str = "") -> str:
    cells = "".join(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
                    for v in values)
    return f"<table:table-row{attributes}>{cells}</table:table-row>"


def write_ods(path: Path, tables: str) -> Path:
    """A minimal .ods as LibreOffice writes it (one line of XML), without needing LibreOffice."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                         'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                         '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                         '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                         'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
        archive.writestr("content.xml", ODS_HEAD + tables + "</office:spreadsheet></office:body></office:document-content>")
    return path


def test_ods_collapsed_and_filtered_rows_with_repeats(tmp_path: Path) -> None:
    hidden_row = ' table:visibility="collapsed"'
    notes = '<table:table table:name="Notes">' + ods_row(["Lisez-moi"], hidden_row) + "</table:table>"
    clients = ('<table:table table:name="Clients">'
               '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'  # rows 1-2
               + ods_row(["Code client", "Raison sociale", "RPPS"])  # row 3
               + ods_row(["C1", "Cabinet A", "10000000017"])  # row 4
               + ods_row(["C2", "Cabinet B", "10000000025"], hidden_row + ' table:number-rows-repeated="2"')  # 5-6
               + "<table:table-row-group>" + ods_row(["C4", "Cabinet D", "10000000033"], ' table:visibility="filter"')
               + "</table:table-row-group>" + ods_row(["C5", "Cabinet E", "10000000041"])  # rows 7, 8
               + '<table:table-row table:visibility="collapsed" table:number-rows-repeated="1048000">'
               '<table:table-cell/></table:table-row></table:table>')
    path = write_ods(tmp_path / "clients.ods", notes + clients)
    sheet = read_sheet(path, "Clients")
    assert sheet.rows[4][0] == "C2" and sheet.rows[6][0] == "C4"  # calamine numbers rows as the scan does
    assert sheet.hidden == {5, 6, 7}
    table = load_table(path, "clients", sheet="Clients")
    assert [d.row for d in normalise_table(table)[1] if d.code == "ligne_masquee"] == [5, 6, 7]
    assert read_sheet(path, "Notes").hidden == {1}


def test_a_long_text_full_of_look_alikes_neither_hangs_nor_finds_anything(tmp_path: Path) -> None:
    text = 'hidden="1" ' * 200_000  # 2 MB of one cell's text: the raw check must stay linear
    xml = (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c>'
           '</row></sheetData></worksheet>')
    path = with_sheet_xml(clients_workbook(tmp_path / "a.xlsx"), tmp_path / "b.xlsx", xml)
    start = time.perf_counter()
    assert hidden_rows(path, "Clients", 10) == frozenset()
    assert time.perf_counter() - start < 2
