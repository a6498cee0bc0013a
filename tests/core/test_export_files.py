"""anomalies.xlsx and recapitulatif.html: what the user's cells say is shown, never run."""

import csv
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from testdata import BDC_HEADERS, CLIENT_HEADERS, FINESS_A, FINESS_B

from segur_desktop.core.export.bundle import export_workspace
from segur_desktop.core.export.manifest import ANOMALIES, RECAP
from segur_desktop.core.workspace import load_workspace
from segur_desktop.core.xlsx_safe import set_value

HOSTILE = ['=HYPERLINK("http://evil.invalid","Cliquez")', "+33 1 23 45 67 89", "-2+3", "@SUM(A1:A9)",
           "=1+1\tx"]


@pytest.fixture
def bundle(make_workspace, tmp_path: Path) -> Path:
    """A workspace whose lists are CSV files (a CRM export), with hostile text in rejected rows."""
    clients = [
        ["C1", "Centre hospitalier A", FINESS_A, "", "75011", "Paris"],
        ["C2", HOSTILE[0], "123", "", "69001", HOSTILE[1]],  # wrong FINESS: the row and its BDC are rejected
        ["C3", "<script>alert('x')</script> & Cie", FINESS_B, "", "69002", "Lyon"],
    ]
    bdcs = [
        ["B1", "C1", "Test DPI", "Avance", "01/09/2022", "1000", "B1.pdf"],
        ["B2", "C2", "Test DPI", "Avance", "02/09/2022", "1000", "B2.pdf"],
        ["B3", HOSTILE[3], "Test DPI", "Avance", "03/09/2022", "1000", "B3.pdf"],
        ["B4", "C3", "Test DPI", "Avance", HOSTILE[2], "1000", "B4.pdf"],
        ["<b>B5</b>", "C1", HOSTILE[4], "Avance", "05/09/2022", "1000", "B5.pdf"],
    ]
    folder = make_workspace([], [], pdfs=[row[6] for row in bdcs],
                            extra={"entrees": {"clients": "clients.csv", "bdc": "bdc.csv", "pieces": "pieces"}})
    for name, headers, rows in (("clients.csv", CLIENT_HEADERS, clients), ("bdc.csv", BDC_HEADERS, bdcs)):
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=";").writerows([headers, *rows])
    workspace = load_workspace(folder)
    return export_workspace(workspace, workspace.judged_at, tmp_path / "out").bundle


def test_text_that_looks_like_a_formula_is_written_as_text(bundle: Path) -> None:
    workbook = load_workbook(bundle / ANOMALIES)
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    hostile = [cell for cell in cells if isinstance(cell.value, str) and cell.value in HOSTILE]
    assert sorted(cell.value for cell in hostile) == sorted(HOSTILE)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in hostile)
    assert not any(cell.data_type == "f" for cell in cells)
    with zipfile.ZipFile(bundle / ANOMALIES) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)


def test_set_value_guards_every_formula_start() -> None:
    sheet = Workbook().active
    for column, text in enumerate(["=A1", "+A1", "-A1", "@A1", "\t=A1", "\r=A1", "plain"], start=1):
        cell = sheet.cell(row=1, column=column)
        set_value(cell, text)
        assert cell.data_type == "s" and cell.value == text
        assert cell.quotePrefix is (text != "plain")
    set_value(sheet["A2"], "bell\x07 removed")
    assert sheet["A2"].value == "bell removed"


def test_one_sheet_per_source_with_the_rejected_rows_highlighted(bundle: Path) -> None:
    workbook = load_workbook(bundle / ANOMALIES)
    assert workbook.sheetnames == ["clients.csv", "bdc.csv"]
    clients = workbook["clients.csv"]
    assert [c.value for c in clients[1]][-3:] == ["Ligne dans la source", "Anomalies", "Correction"]
    assert clients.max_row == 2 and clients["A2"].value == "C2" and clients["G2"].value == 3  # source row 3
    finess = clients["C2"]  # the same column as in the source
    assert finess.value == "123" and finess.fill.fgColor.rgb.endswith("FFC7CE") and "FINESS" in finess.comment.text
    assert "FINESS" in clients["H2"].value and clients["I2"].value
    bdc = workbook["bdc.csv"]
    rows = {bdc.cell(row=r, column=8).value: [c.value for c in bdc[r]] for r in range(2, bdc.max_row + 1)}
    assert sorted(rows) == [3, 4, 5, 6]  # B2 (its client), B3 (unknown client), B4 (date), B5 (solution)
    assert 'Le client « =HYPERLINK("http://evil.invalid","Cliquez") » de cette ligne est en erreur dans clients.csv' in rows[3][8]
    assert bdc.cell(row=2, column=8).fill.fgColor.rgb.endswith("FFC7CE")  # a row-level problem: its row number


def test_the_recap_escapes_everything_from_the_sources(bundle: Path) -> None:
    html = (bundle / RECAP).read_text(encoding="utf-8")
    assert "<script>" not in html and "<b>B5</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Cie" in html
    assert "&lt;b&gt;B5&lt;/b&gt;" in html
    assert html.count("<tr") == html.count("</tr>")


def test_the_recap_says_what_to_deposit_and_what_was_left_out(bundle: Path) -> None:
    html = (bundle / RECAP).read_text(encoding="utf-8")
    assert "<td>HOP_avance.json</td><td>HOP_avance_pieces.zip</td>" in html
    assert "Écartées de ce dépôt (4)" in html
    assert "Ligne sans demande" in html and "En erreur" in html
    assert "Contrôle au 28/11/2022 10:00 (heure de Paris)" in html
