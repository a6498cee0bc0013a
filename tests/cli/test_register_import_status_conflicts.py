"""`register import-status` on a status file giving one demande two different statuses (issue #17, item 10):
the two lines are shown « Ambiguë » with the detail naming both, nothing is applied for that demande, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

from registers import exported_register

from segur_desktop.cli import main


def test_the_command_line_shows_the_conflict_and_exits_1(tmp_path: Path, capsys) -> None:
    register = exported_register(tmp_path / "registre.sqlite3")
    path = tmp_path / "statuts.csv"
    path.write_text("N° BDC;Statut\nBDC-1;Validée\nBDC-1;Rejetée\n", encoding="utf-8")
    assert main(["register", "import-status", "--register", str(register.path), str(path), "--apply"]) == 1
    out = capsys.readouterr().out
    assert out.count("Ambiguë") == 2 and "lignes 2 et 3" in out
    assert "0 changement(s) de statut enregistré(s)." in out
    assert register.entry("HOP-AV-1").status == "exportee"
    assert main(["register", "import-status", "--register", str(register.path), str(path), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == {"ambigu": 2} and "lignes 2 et 3" in data["lines"][0]["detail"]
