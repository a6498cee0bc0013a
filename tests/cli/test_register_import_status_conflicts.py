"""`register import-status` on a status file giving one demande two different statuses (issue #17, item 10):
the two lines are shown « Ambiguë » with the detail naming both, nothing is applied for that demande, exit 1."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from segur_desktop.cli import main
from segur_desktop.core.calendar import PARIS
from segur_desktop.core.register.store import Attachment, DepositItem, ExportRecord, Register

AT = datetime(2026, 1, 5, 9, 30, tzinfo=PARIS)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_command_line_shows_the_conflict_and_exits_1(tmp_path: Path, capsys) -> None:
    register = Register(tmp_path / "registre.sqlite3")
    text = json.dumps({"idDemande": "HOP-AV-1"})
    register.record(ExportRecord("/d/depot_1", "depot_1", _sha("m1"), "depot", AT.isoformat(), "/d", (
        DepositItem("HOP-AV-1", "HOP", "avance", "FINESS", "750000001", "Clinique", "DPI", "Élan", "BDC-1", "1000.00",
                    "300.00", "HOP_avance.json", _sha("f"), text, _sha(text), (Attachment("a.pdf", _sha("a"), 1, "a"),)),
    )), at=AT)
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
