"""Issue #17, item 10: what the CLI prints cannot drive the terminal, and a wrong workspace path is named as typed.

A cell holding ESC, OSC or other control characters was printed raw by `validate`:
it could recolour, retitle or rewrite the user's terminal. A missing workspace
folder was named by its parent, and `-w some.xlsx` said « 'utf-8' codec can't decode ».
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import pytest
from testdata import FINESS_A, RPPS_A

from segur_desktop.cli import main
from segur_desktop.cli.common import TerminalText, print_json, terminal_output, terminal_safe

CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
           ["C3", "Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"]]
BDCS = [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"],
        ["B2", "C3", "Test Cabinet", "Avance", date(2022, 9, 2), 1100, "B2.pdf"]]
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b[31m12,3,4\x9b1m\x08\u202e"  # no CR: a CSV line would end there
OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # what a terminal acts on


@pytest.mark.parametrize(("text", "shown"), [
    ("\x1b[31mrouge", "\\x1b[31mrouge"),
    ("\x1b]8;;http://x\x1b\\lien\x1b]8;;\x1b\\", "\\x1b]8;;http://x\\x1b\\lien\\x1b]8;;\\x1b\\"),
    ("titre\x07", "titre\\x07"),
    ("a\rb\bc\x00", "a\\x0db\\x08c\\x00"),
    ("\x9b2J", "\\x9b2J"),
    ("abc\u202edef", "abc\\u202edef"),
    ("Clinique\tdu Parc\nà Nantes", "Clinique\tdu Parc\nà Nantes"),
    ("12 345,60 €", "12 345,60 €"),
])
def test_terminal_safe_shows_controls_instead_of_obeying_them(text: str, shown: str) -> None:
    assert terminal_safe(text) == shown


def test_json_output_escapes_what_json_dumps_leaves_raw(capsys: pytest.CaptureFixture) -> None:
    print_json({"value": HOSTILE, "fine": "é €"})
    out = capsys.readouterr().out
    assert not OBEYED.search(out.replace("\n", ""))
    assert json.loads(out) == {"value": HOSTILE, "fine": "é €"}  # still the same JSON


def _hostile_workspace(make_workspace) -> Path:
    """The two BDC rows of a valid workspace, from a CSV whose first amount cell holds terminal sequences."""
    folder = make_workspace(CLIENTS, BDCS)
    rows = [["N° BDC", "Code client", "Solution", "Type de demande", "Date de signature", "Montant HT", "Fichier BDC"],
            ["B1", "C1", "Test DPI", "Avance", "01/09/2022", HOSTILE, "B1.pdf"],
            ["B2", "C3", "Test Cabinet", "Avance", "02/09/2022", "1100", "B2.pdf"]]
    with (folder / "bdc.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL).writerows(rows)
    data = json.loads((folder / "workspace.json").read_text(encoding="utf-8"))
    data["entrees"]["bdc"] = "bdc.csv"
    (folder / "workspace.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_a_hostile_cell_reaches_the_text_report_escaped(make_workspace, capsys: pytest.CaptureFixture) -> None:
    folder = _hostile_workspace(make_workspace)
    with terminal_output():
        assert main(["validate", "-w", str(folder), "--no-register"]) == 1
    out, err = capsys.readouterr()
    assert "\\x1b]0;pwned\\x07" in out  # the cell is shown, as text
    assert not OBEYED.search(out.replace("\n", "").replace("\t", "")) and not OBEYED.search(err.replace("\n", ""))
    with terminal_output():
        assert main(["validate", "-w", str(folder), "--no-register", "--format", "json"]) == 1
    out = capsys.readouterr().out
    assert not OBEYED.search(out.replace("\n", ""))
    assert HOSTILE in [d["value"] for d in json.loads(out)["diagnostics"]]  # the cell itself, once parsed


def test_main_itself_escapes_what_it_prints(make_workspace, capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", "-w", str(_hostile_workspace(make_workspace)), "--no-register"]) == 1
    assert not OBEYED.search(capsys.readouterr().out.replace("\n", "").replace("\t", ""))


def test_the_wrapped_stream_passes_everything_else_through(capsys: pytest.CaptureFixture) -> None:
    import sys

    with terminal_output():
        assert isinstance(sys.stdout, TerminalText)
        assert sys.stdout.write("a\x1bb") == 3
        sys.stdout.flush()
        with terminal_output():  # nested: wrapped once, not escaped twice
            sys.stdout.write("\x07")
    assert not isinstance(sys.stdout, TerminalText)
    assert capsys.readouterr().out == "a\\x1bb\\x07"


def test_a_missing_workspace_folder_is_named_as_typed(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    typed = tmp_path / "nope" / "ws"
    assert main(["validate", "-w", str(typed)]) == 2
    err = capsys.readouterr().err
    assert f"« {typed} »" in err and "introuvable" in err
    assert f"« {typed.parent} »" not in err


def test_a_spreadsheet_given_as_workspace_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    workbook = tmp_path / "clients.xlsx"
    workbook.write_bytes(b"PK\x03\x04\x85\xf6" + bytes(200))
    assert main(["validate", "-w", str(workbook)]) == 2
    err = capsys.readouterr().err
    assert "codec" not in err and "utf-8" not in err
    assert f"« {workbook} » n'est pas un dossier de travail" in err and "qui contient un fichier workspace.json" in err
