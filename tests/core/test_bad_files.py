"""Hostile and broken inputs: one French error naming the file, no traceback, no hang."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from segur_desktop.core.errors import InputError
from segur_desktop.core.mapping import load_table
from segur_desktop.core.read import formulas, read_sheet, xmlscan
from segur_desktop.core.read.limits import CFB_MAGIC

HEADERS = ["Code client", "Raison sociale", "RPPS"]


def valid_xlsx(path: Path, rows=(HEADERS, ["C1", "Cabinet", "10000000017"])) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    workbook.save(path)
    return path


def error_for(path: Path, kind: str = "clients") -> str:
    with pytest.raises(InputError) as error:
        load_table(path, kind)
    message = str(error.value)
    assert path.name in message and "Traceback" not in message
    return message


def test_truncated_download(tmp_path: Path) -> None:
    data = valid_xlsx(tmp_path / "full.xlsx").read_bytes()
    (tmp_path / "coupe.xlsx").write_bytes(data[: len(data) // 2])
    assert "tronqué ou endommagé" in error_for(tmp_path / "coupe.xlsx")


def test_encrypted_workbook(tmp_path: Path) -> None:
    (tmp_path / "secret.xlsx").write_bytes(CFB_MAGIC + b"\x00" * 2048)  # how Excel stores an encrypted .xlsx
    assert "mot de passe" in error_for(tmp_path / "secret.xlsx")


def test_zip_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (40 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    assert "décompressé" in error_for(path)


def test_csv_renamed_xlsx(tmp_path: Path) -> None:
    (tmp_path / "export.xlsx").write_text("Code client;Raison sociale\nC1;X\n", encoding="utf-8")
    assert "fichier texte (CSV)" in error_for(tmp_path / "export.xlsx")


def test_pdf_renamed_xlsx(tmp_path: Path) -> None:
    (tmp_path / "scan.xlsx").write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert "un PDF" in error_for(tmp_path / "scan.xlsx")


def test_xlsx_renamed_xls(tmp_path: Path) -> None:
    valid_xlsx(tmp_path / "a.xlsx").rename(tmp_path / "ancien.xls")
    assert "renommez-le en .xlsx" in error_for(tmp_path / "ancien.xls")


def test_zero_byte_file(tmp_path: Path) -> None:
    (tmp_path / "vide.csv").write_bytes(b"")
    assert "vide (0 octet)" in error_for(tmp_path / "vide.csv")


def test_empty_workbook(tmp_path: Path) -> None:
    Workbook().save(tmp_path / "rien.xlsx")
    assert "est vide" in error_for(tmp_path / "rien.xlsx")


def test_binary_file_named_csv(tmp_path: Path) -> None:
    (tmp_path / "binaire.csv").write_bytes(b"\x00\x01\x02" * 100)
    assert "pas un fichier texte" in error_for(tmp_path / "binaire.csv")


def test_two_equally_plausible_sheets_are_not_guessed(make_xlsx) -> None:
    path = make_xlsx("deux.xlsx", sheets={"Clients 2022": [HEADERS], "Clients 2023": [HEADERS]})
    message = error_for(path)
    assert "« Clients 2022 », « Clients 2023 »" in message and "--clients-sheet" in message


BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    + ']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def test_xml_entity_expansion_neither_hangs_nor_explodes(tmp_path: Path) -> None:
    source = valid_xlsx(tmp_path / "ok.xlsx")
    bomb = tmp_path / "rires.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in original.infolist():
            data = BILLION_LAUGHS.encode() if item.filename == "xl/worksheets/sheet1.xml" else original.read(item)
            archive.writestr(item, data)
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 ** 3, 2 * 1024 ** 3))\n"
            "from pathlib import Path\nfrom segur_desktop.core.errors import InputError\n"
            "from segur_desktop.core.mapping import load_table\n"
            f"try:\n    load_table(Path({str(bomb)!r}), 'clients')\nexcept InputError as e:\n    print('FR:', e)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("FR:") and "rires.xlsx" in result.stdout
    assert "lollollol" not in result.stdout


def test_formulas_without_cached_values_are_found(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["N° BDC", "Montant HT", "Montant TTC"])
    sheet.append(["B1", 1000, "=B2*1.2"])  # openpyxl stores the formula, never its result
    path = tmp_path / "formules.xlsx"
    workbook.save(path)
    assert read_sheet(path).uncached == {(1, 2)}
    assert read_sheet(path, max_rows=5).uncached == set()  # a header scan does not pay for it


@pytest.mark.parametrize(("xml", "found"), [
    (b'<c r="C2"><f>B2*1.2</f></c>', True), (b'<c r="C2"><f t="shared" si="0"/></c>', True),
    (b'<x:c r="C2"><x:f>B2</x:f></x:c>', True), (b'<x:f t="array">B2</x:f>', True),
    (b'<c r="C2" t="inlineStr"><is><t>Chef f> de f service</t></is></c>', False),
    (b'<rPr><family val="2"/><font/></rPr>', False), (b'<c r="F2"><v>1</v></c>', False),
])
def test_formula_tag_check(xml: bytes, found: bool) -> None:
    # The cheap check looks for the four tags the scan always looked for: <f> <f  :f> :f
    assert bool(formulas._FORMULA_TAG.search(xml)) is found


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 64])
def test_formula_tag_cut_between_two_chunks_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      chunk: int) -> None:
    workbook = Workbook()
    workbook.active.append(["N° BDC", "Montant HT", "Montant TTC"])
    workbook.active.append(["B1", 1000, "=B2*1.2"])
    workbook.save(tmp_path / "formules.xlsx")
    monkeypatch.setattr(xmlscan, "CHUNK", chunk)
    assert read_sheet(tmp_path / "formules.xlsx").uncached == {(1, 2)}


def test_formula_scan_ignores_non_xlsx_and_clean_sheets(tmp_path: Path) -> None:
    assert read_sheet(valid_xlsx(tmp_path / "propre.xlsx")).uncached == set()
    (tmp_path / "c.csv").write_text("a;b\n=1+1;2\n", encoding="utf-8")
    assert read_sheet(tmp_path / "c.csv").uncached == set()


def test_workbook_is_opened_once_for_sheet_choice_and_read(make_xlsx, monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    path = make_xlsx("multi.xlsx", sheets={"Notes": [["rien"]], "Clients": [HEADERS, ["C1", "X", "10000000017"]]})
    opened = []
    real = python_calamine.CalamineWorkbook.from_path
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", lambda p: opened.append(p) or real(p))
    assert load_table(path, "clients").sheet == "Clients"
    assert len(opened) == 1


def test_uncached_formula_is_reported_at_its_cell_not_read_as_empty(make_workspace) -> None:
    from datetime import date

    from testdata import FINESS_A

    from segur_desktop.core.calendar import parse_instant
    from segur_desktop.core.pipeline import run_pipeline
    from segur_desktop.core.workspace import load_workspace

    headers = ["N° BDC", "Code client", "Solution", "Date de signature", "Montant HT", "Montant TTC", "Fichier BDC"]
    folder = make_workspace([["C1", "CH A", FINESS_A, None, "75011", "Paris"]],
                            [["B1", "C1", "Test DPI", date(2022, 9, 1), "=1000", "=E2*1.2", "B1.pdf"]],
                            bdc_headers=headers)
    result = run_pipeline(load_workspace(folder), parse_instant("2022-11-28T10:00:00+01:00"))
    found = sorted((d.code, d.row, d.column) for d in result.diagnostics if d.severity == "error")
    assert found == [("formule_sans_valeur", 2, "E"), ("formule_sans_valeur", 2, "F")]
    assert not result.demandes[0].valid
