"""Hostile and unlucky inputs of issue #17: no abort, no hang, no silent misreading.

Each test fails on the code before the fix. A sheet that would make calamine abort is read in
a child process with an address-space limit, so that a regression fails the test instead of
killing the test run. Big sheets are written sparse (a far cell is a few bytes).
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from segur_desktop.core.errors import InputError
from segur_desktop.core.read import extent, read_sheet, xmlscan
from segur_desktop.core.read.extent import MAX_SHEET_CELLS, ExtentSigns, xlsx_scans
from segur_desktop.core.read.limits import CFB_MAGIC

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADERS = ["Code client", "Raison sociale", "RPPS"]


def workbook(path: Path, extra: str = "", dimension: str | None = None) -> Path:
    """A small valid clients workbook whose sheet XML gets `extra` rows appended (and a new <dimension>)."""
    book = Workbook()
    book.active.title = "Clients"
    for row in (HEADERS, ["C1", "Cabinet", "10000000017"]):
        book.active.append(row)
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                if dimension is not None:
                    start = xml.index("<dimension")
                    xml = xml[:start] + f'<dimension ref="{dimension}"/>' + xml[xml.index("/>", start) + 2:]
                data = xml.replace("</sheetData>", extra + "</sheetData>").encode()
            target.writestr(item, data)
    plain.unlink()
    return path


def in_child(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run `code` in a child process limited to 2 GB of address space: an abort or a hang fails, not kills."""
    prelude = ("import resource\nresource.setrlimit(resource.RLIMIT_AS, (2 * 1024 ** 3, 2 * 1024 ** 3))\n"
               "from pathlib import Path\nfrom segur_desktop.core.errors import InputError\n")
    return subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, timeout=timeout)


def refused_in_child(call: str) -> str:
    """The French message `call` raises in a child process; fails if it reads, aborts or hangs."""
    body = call.replace("\n", "\n    ")
    result = in_child(f"try:\n    {body}\n    print('READ')\nexcept InputError as e:\n    print('FR:', e)\n")
    assert result.returncode == 0, result.stderr[-1500:]
    assert result.stdout.startswith("FR:"), result.stdout
    return result.stdout


FAR = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


# --- item 1: a sheet whose grid would be huge ---------------------------------------------------

def test_one_cell_at_xfd1048576_is_refused_in_french_not_an_abort(tmp_path: Path) -> None:
    path = workbook(tmp_path / "clients.xlsx", FAR)
    assert path.stat().st_size < 10_000
    message = refused_in_child(f"from segur_desktop.core.read import read_sheet\nread_sheet(Path({str(path)!r}))")
    assert "clients.xlsx" in message and "« Clients »" in message and "XFD1048576" in message
    assert "supprimez les lignes et les colonnes vides" in message and "enregistrez" in message


@pytest.mark.parametrize("entry", [
    "from segur_desktop.core.read import read_sheet\nread_sheet(Path(P), max_rows=30)",  # header scan, sheet choice
    "from segur_desktop.core.mapping import load_table\nload_table(Path(P), 'clients')",  # validate, mapping suggest
    "from segur_desktop.core.register.backup.workbook import read_workbook\nread_workbook(Path(P))",  # register import
])
def test_every_entry_point_refuses_the_far_cell_before_calamine(tmp_path: Path, entry: str) -> None:
    path = workbook(tmp_path / "clients.xlsx", FAR)
    message = refused_in_child(f"P = {str(path)!r}\n" + entry)
    assert "XFD1048576" in message


def test_a_cell_at_xfd2000_is_refused_at_once_not_read_in_1_gb(tmp_path: Path) -> None:
    path = workbook(tmp_path / "clients.xlsx", '<row r="2000"><c r="XFD2000"><v>1</v></c></row>')
    message = refused_in_child("import time\nfrom segur_desktop.core.read import read_sheet\nstart = time.perf_counter()\n"
                               f"try:\n    read_sheet(Path({str(path)!r}))\n"
                               "finally:\n    assert time.perf_counter() - start < 1")
    assert "XFD2000" in message


def test_the_declared_dimension_is_not_trusted_either_way(tmp_path: Path) -> None:
    huge_claim = workbook(tmp_path / "grand.xlsx", dimension="A1:XFD1048576")
    assert len(read_sheet(huge_claim).rows) == 2  # calamine ignores it: so do we
    small_claim = workbook(tmp_path / "petit.xlsx", FAR, dimension="A1:C2")
    assert "XFD1048576" in refused_in_child(
        f"from segur_desktop.core.read import read_sheet\nread_sheet(Path({str(small_claim)!r}))")


def test_styled_empty_far_cells_are_read_but_an_empty_inline_string_counts(tmp_path: Path) -> None:
    """calamine keeps a cell holding an inline string, even empty, and drops a styled empty one."""
    styled = workbook(tmp_path / "style.xlsx", '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
                      '<row r="1048575"><c r="XFD1048575"><v></v></c><c r="XFC1048575"><f>1+1</f></c></row>')
    assert len(read_sheet(styled).rows) == 2
    empty_text = workbook(tmp_path / "vide.xlsx", '<row r="9"><c r="XFD9000" t="inlineStr"><is><t></t></is></c></row>')
    assert "XFD9000" in refused_in_child(f"from segur_desktop.core.read import read_sheet\nread_sheet(Path({str(empty_text)!r}))")


@pytest.mark.parametrize("cell", [
    f'<x:c xmlns:x="{MAIN}" r="XFD3000"><x:v>1</x:v></x:c>',  # a prefix
    '<c r="xfd3000"><v>1</v></c>',  # lower case
    "<c r='XFD3000'><v>1</v></c>",  # single quotes
    '<c s="0" r="XFD3000"><v>1</v></c>',  # the reference not first
    '<c r="A3000"><v>1</v></c>' + "<c><v>1</v></c>" * 16383,  # no reference: each cell follows the one before
])
def test_far_cells_spelled_otherwise_are_measured_too(tmp_path: Path, cell: str) -> None:
    path = workbook(tmp_path / "autre.xlsx", f'<row r="3000">{cell}</row>')
    message = refused_in_child(f"from segur_desktop.core.read import read_sheet\nread_sheet(Path({str(path)!r}))")
    assert re.search(r"jusqu'en [A-Z]+3000", message)  # the exact parse stops where the limit is crossed


@pytest.mark.parametrize("chunk", [1, 5, 64])
def test_a_far_reference_cut_between_two_chunks_is_seen(tmp_path: Path, chunk: int) -> None:
    path = workbook(tmp_path / "coupe.xlsx", '<row r="2000"><c r="XFD2000"><v>1</v></c></row>')
    message = refused_in_child(f"from segur_desktop.core.read import read_sheet, xmlscan\nxmlscan.CHUNK = {chunk}\n"
                               f"read_sheet(Path({str(path)!r}))")
    assert "XFD2000" in message


def test_a_100k_row_60_column_export_passes_on_the_fast_path(tmp_path: Path) -> None:
    """Its first and last columns filled on every row: the bytes alone clear it, without the exact parse."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="BH{r}"><v>1</v></c></row>' for r in range(3, 100_001))
    path = workbook(tmp_path / "grand.xlsx", rows)
    detector = ExtentSigns()
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as stream:
        assert not any(detector.feed(chunk) for chunk in iter(lambda: stream.read(xmlscan.CHUNK), b""))
    assert detector.columns * detector.rows <= MAX_SHEET_CELLS
    assert set(xlsx_scans(path)) == {"Clients"}


def test_a_sheet_just_past_the_limit_is_refused_and_one_at_it_read(tmp_path: Path) -> None:
    columns = 16384
    rows = MAX_SHEET_CELLS // columns
    at_limit = workbook(tmp_path / "limite.xlsx", f'<row r="{rows}"><c r="XFD{rows}"><v>1</v></c></row>')
    assert "Clients" in xlsx_scans(at_limit)  # measured and accepted: not read here (0.5 GB)
    past = workbook(tmp_path / "trop.xlsx", f'<row r="{rows + 1}"><c r="XFD{rows + 1}"><v>1</v></c></row>')
    with pytest.raises(InputError, match=f"XFD{rows + 1}"):
        xlsx_scans(past)


ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
            '<office:spreadsheet><table:table table:name="Clients"><table:table-row>'
            '<table:table-cell office:value-type="string"><text:p>Code client</text:p></table:table-cell>'
            '</table:table-row>')
ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"
ODS_VALUE = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'


def ods(path: Path, rows: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                         'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                         'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                         '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                         '</manifest:manifest>')
        archive.writestr("content.xml", ODS_HEAD + rows + ODS_TAIL, zipfile.ZIP_DEFLATED)
    return path


def test_ods_repeated_cells_are_measured_before_calamine_expands_them(tmp_path: Path) -> None:
    far = ods(tmp_path / "loin.ods", '<table:table-row table:number-rows-repeated="20000">'
              '<table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1">'
              '<text:p>1</text:p></table:table-cell></table:table-row>')  # 20 million cells, 0.6 GB in calamine
    assert "ALL20001" in refused_in_child(f"from segur_desktop.core.read import read_sheet\nread_sheet(Path({str(far)!r}))")
    trailing = ods(tmp_path / "fin.ods", '<table:table-row table:number-rows-repeated="1048575">'
                   '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')  # LibreOffice's tail
    assert len(read_sheet(trailing).rows) == 1
    far_corner = ods(tmp_path / "coin.ods", '<table:table-row table:number-rows-repeated="1048574"><table:table-cell/>'
                     f'</table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16383"/>'
                     f'{ODS_VALUE}</table:table-row>')
    assert "XFD1048576" in refused_in_child(
        f"from segur_desktop.core.read import sheet_names\nsheet_names(Path({str(far_corner)!r}))")


# --- item 3: CSV encodings ----------------------------------------------------------------------

def test_utf8_csv_with_one_cp1252_line_is_refused_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes("Code client;Raison sociale\nC1;Pharmacie Hélène\n".encode()
                     + "C2;BioSanté\n".encode("cp1252") + "C3;Cabinet Éole\n".encode())
    with pytest.raises(InputError) as error:
        read_sheet(path)
    message = str(error.value)
    assert "clients.csv" in message and "sauf la ligne 3," in message
    assert "CSV UTF-8" in message and "Ã©" in message  # says what reading it anyway would do


def test_many_undecodable_lines_are_counted_not_all_listed(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes("Code;Nom\nC0;Hélène\n".encode() + "".join(f"C{i};Santé\n" for i in range(30)).encode("cp1252"))
    with pytest.raises(InputError, match=r"3, 4, 5, 6, 7, 8, 9, 10, 11, 12 \(et 20 autres\)"):
        read_sheet(path)


def test_utf8_with_and_without_bom_and_cp1252_alone_are_read(tmp_path: Path) -> None:
    text = "Code client;Raison sociale\nC1;BioSanté\n"
    for name, data in (("bom.csv", codecs.BOM_UTF8 + text.encode()), ("utf8.csv", text.encode()),
                       ("ansi.csv", text.encode("cp1252"))):
        (tmp_path / name).write_bytes(data)
        assert read_sheet(tmp_path / name).rows[1] == ["C1", "BioSanté"], name


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_as_excel_texte_unicode_writes_it_is_read(tmp_path: Path, encoding: str) -> None:
    bom = codecs.BOM_UTF16_LE if encoding == "utf-16-le" else codecs.BOM_UTF16_BE
    path = tmp_path / "clients.txt"
    path.write_bytes(bom + "Code client\tRaison sociale\r\nC1\tBioSanté\r\n".encode(encoding))
    assert read_sheet(path).rows == [["Code client", "Raison sociale"], ["C1", "BioSanté"]]


def test_utf16_renamed_xlsx_is_called_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(codecs.BOM_UTF16_LE + "Code client\tNom\r\n".encode("utf-16-le"))
    with pytest.raises(InputError, match="fichier texte"):
        read_sheet(path)


# --- item 5: inputs that are not regular files --------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path, suffix: str) -> None:
    pipe = tmp_path / f"clients{suffix}"
    os.mkfifo(pipe)
    result = in_child(f"from segur_desktop.core.read import read_sheet\ntry:\n    read_sheet(Path({str(pipe)!r}))\n"
                      "except InputError as e:\n    print('FR:', e)\n", timeout=20)
    assert result.stdout.startswith("FR:") and "pas un fichier ordinaire" in result.stdout


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "clients.csv"
    link.symlink_to("/dev/zero")
    result = in_child(f"from segur_desktop.core.read import read_sheet\ntry:\n    read_sheet(Path({str(link)!r}))\n"
                      "except InputError as e:\n    print('FR:', e)\n", timeout=20)
    assert result.stdout.startswith("FR:") and "pas un fichier ordinaire" in result.stdout


def test_a_link_to_a_regular_file_is_followed(tmp_path: Path) -> None:
    (tmp_path / "vrai.csv").write_text("Code;Nom\nC1;X\n", encoding="utf-8")
    (tmp_path / "lien.csv").symlink_to(tmp_path / "vrai.csv")
    assert read_sheet(tmp_path / "lien.csv").rows[1] == ["C1", "X"]


# --- item 10 (part): an old .xls renamed .xlsx --------------------------------------------------

def test_legacy_xls_renamed_xlsx_is_named_as_such_not_password_protected(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook()
    book.add_sheet("Clients").write(0, 0, "Code client")
    book.save(str(tmp_path / "ancien.xls"))
    renamed = tmp_path / "ancien.xlsx"
    (tmp_path / "ancien.xls").rename(renamed)
    with pytest.raises(InputError) as error:
        read_sheet(renamed)
    message = str(error.value)
    assert "97-2003" in message and "renommez-le en .xls" in message and "mot de passe" not in message


def test_an_encrypted_xlsx_is_still_called_password_protected(tmp_path: Path) -> None:
    entry = ("EncryptedPackage\0".encode("utf-16-le")).ljust(64, b"\0") + (34).to_bytes(2, "little")
    (tmp_path / "secret.xlsx").write_bytes(CFB_MAGIC + b"\0" * 1016 + entry + b"\0" * 1024)
    with pytest.raises(InputError, match="mot de passe"):
        read_sheet(tmp_path / "secret.xlsx")


def test_scans_are_kept_while_the_file_is_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(tmp_path / "clients.xlsx")
    read_sheet(path, max_rows=5)
    calls = []
    monkeypatch.setattr(extent, "signs", lambda *args: calls.append(args) or [False, False, False])
    read_sheet(path)
    assert calls == []  # the whole read reuses the header read's pass


def test_a_member_failing_its_crc_is_refused_not_read_unmeasured(tmp_path: Path) -> None:
    """Found by the fuzz suite: Python refuses a member whose CRC is wrong, calamine reads it anyway. The
    sheet list was then unknown to the scan and a far cell went through to calamine (abort)."""
    path = workbook(tmp_path / "abime.xlsx", FAR)
    data = bytearray(path.read_bytes())
    name = b"xl/workbook.xml"
    central = data.rindex(b"PK\x01\x02", 0, data.rindex(name))  # its central directory entry
    data[central + 16] ^= 0xFF  # the CRC-32 Python checks; calamine does not
    path.write_bytes(bytes(data))
    message = refused_in_child(f"from segur_desktop.core.read import read_sheet\nread_sheet(Path({str(path)!r}))")
    assert "endommagé" in message
