"""Readers: workbook and CSV rows with exact Excel positions; French errors for bad files."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from segur_desktop.core import read
from segur_desktop.core.errors import Cancelled, InputError
from segur_desktop.core.progress import CancelToken
from segur_desktop.core.read import read_sheet, sheet_names


def test_rows_keep_excel_positions_when_data_starts_late(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet["C4"] = "titre"
    sheet["B6"] = "x"
    sheet["D6"] = 3
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    rows = read_sheet(path).rows
    assert rows[3][2] == "titre"  # Excel row 4, column C
    assert rows[5][1] == "x" and rows[5][3] == 3  # row 6, columns B and D


@pytest.mark.parametrize(("max_rows", "expected"), [
    (None, [(2, 5), (4, 5), (5, 5)]), (4, [(2, 4), (4, 4)]), (3, [(2, 3), (3, 3)]), (1, [(1, 1)]),
])
def test_rows_come_by_blocks_with_progress_between(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   max_rows: int | None, expected: list) -> None:
    monkeypatch.setattr(read, "PROGRESS_EVERY", 2)
    workbook = Workbook()
    for i in range(5):
        workbook.active.append([None, f"r{i}"])  # calamine's first column is B: rows still start at A
    workbook.save(tmp_path / "blocks.xlsx")
    seen = []
    sheet = read_sheet(tmp_path / "blocks.xlsx", max_rows=max_rows, progress=seen.append)
    assert sheet.rows == [["", f"r{i}"] for i in range(max_rows or 5)]
    assert [(p.done, p.total) for p in seen] == expected
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        read_sheet(tmp_path / "blocks.xlsx", cancel=token)


def test_styled_empty_cells_far_below_are_ignored(tmp_path: Path) -> None:
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["a", "b"])
    sheet["A5000"].font = Font(bold=True)  # styled, empty
    path = tmp_path / "styled.xlsx"
    workbook.save(path)
    assert len(read_sheet(path).rows) == 1


def test_csv_cp1252_semicolon(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes("Code client;Raison sociale\nC1;Pharmacie de l'Église\n".encode("cp1252"))
    assert read_sheet(path).rows == [["Code client", "Raison sociale"], ["C1", "Pharmacie de l'Église"]]


def test_csv_utf8_bom_comma(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes("\ufeffCode client,Ville\nC1,Orléans\n".encode("utf-8"))
    assert read_sheet(path).rows[1] == ["C1", "Orléans"]


def test_csv_tab_delimited(tmp_path: Path) -> None:
    path = tmp_path / "clients.txt"
    path.write_text("Code client\tVille\nC1\tNantes\n", encoding="utf-8")
    assert read_sheet(path).rows[1] == ["C1", "Nantes"]


@pytest.mark.parametrize(("text", "rows"), [
    # The case (#19): the semicolons sit inside a quoted field, the delimiter is the comma.
    ('Code,Nom\nC1,"A; B; C; D"\n', [["Code", "Nom"], ["C1", "A; B; C; D"]]),
    ('Code;Nom\nC1;"Clinique, du Parc, et associés"\n', [["Code", "Nom"], ["C1", "Clinique, du Parc, et associés"]]),
    ("Code;Montant\nC1;1,50\nC2;2,50\n", [["Code", "Montant"], ["C1", "1,50"], ["C2", "2,50"]]),  # decimal commas
    ("Nom, prénom;Ville\nDupont, Jean;Paris\n", [["Nom, prénom", "Ville"], ["Dupont, Jean", "Paris"]]),  # a tie: `;`
    ("Code|Ville\nC1|Nantes\n", [["Code", "Ville"], ["C1", "Nantes"]]),
    ("Code client\n", [["Code client"]]),  # one column: nothing to sniff
    ('Code;Nom\n"C1";"A, B"\nC2;"C, D, E";x\n', [["Code", "Nom"], ["C1", "A, B"], ["C2", "C, D, E", "x"]]),
])
def test_csv_delimiter_is_sniffed_outside_quoted_fields(tmp_path: Path, text: str, rows: list[list[str]]) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(text, encoding="utf-8")
    assert read_sheet(path).rows == rows


def test_missing_file_is_a_french_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="introuvable"):
        read_sheet(tmp_path / "absent.xlsx")


def test_wrong_extension(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match="pas un tableur pris en charge"):
        read_sheet(path)


def test_corrupt_workbook(tmp_path: Path) -> None:
    path = tmp_path / "casse.xlsx"
    path.write_bytes(b"ceci n'est pas un classeur")
    with pytest.raises(InputError, match="casse.xlsx") as error:
        read_sheet(path)
    assert "Traceback" not in str(error.value)


def test_unknown_sheet_lists_the_sheets(make_xlsx) -> None:
    path = make_xlsx("deux.xlsx", sheets={"Clients": [["a"]], "Notes": [["b"]]})
    assert sheet_names(path) == ["Clients", "Notes"]
    with pytest.raises(InputError, match="Clients, Notes"):
        read_sheet(path, "BDC")


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="dossier"):
        read_sheet(tmp_path)


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?><office:document-content
 xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Clients">
<table:table-row><table:table-cell office:value-type="string"><text:p>Code client</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>Ville</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>C1</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>Orléans</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"""


def test_ods_from_libreoffice(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "clients.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                         'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                         '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                         '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                         'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
        archive.writestr("content.xml", ODS_CONTENT.replace("\n", ""))  # LibreOffice writes no line breaks
    sheet = read_sheet(path)
    assert sheet.name == "Clients" and sheet.rows[1] == ["C1", "Orléans"]


def test_legacy_xls(tmp_path: Path) -> None:
    import xlwt

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("BDC")
    for r, row in enumerate([["N° BDC", "Montant HT"], ["B1", 1250.5]]):
        for c, value in enumerate(row):
            sheet.write(r + 2, c + 1, value)  # starts at B3: positions must still be exact
    path = tmp_path / "ancien.xls"
    workbook.save(str(path))
    rows = read_sheet(path).rows
    assert rows[2][1] == "N° BDC" and rows[3][2] == 1250.5


def test_two_threads_can_read_the_same_workbook_at_once(demo) -> None:
    """The window previews a file while a check reads it: calamine forbids sharing one workbook object."""
    import threading

    from segur_desktop.core.read import read_sheet, sheet_names

    path = demo / "bons_de_commande.xlsx"
    errors: list[BaseException] = []

    def read_many() -> None:
        try:
            for _ in range(60):
                sheet_names(path)
                read_sheet(path, None, max_rows=30)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read_many) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
