"""`build --format json` on the demo: the summary, now a dataclass, prints exactly as the dict it was (#19).

EXPECTED is the command's output before the change, key order included (compared as JSON text, so an
order change or a number turned string fails)."""

import json
from pathlib import Path

import pytest

from segur_desktop.cli import main

SCHEMA = "https://segur-desktop.invalid/schemas/1.0.0/{}.json"
FILES = [("BIO", "avance", 5), ("HOP", "avance", 7), ("MDV", "avance", 6), ("MDV", "solde", 3), ("MS1", "avance", 4),
         ("MSS", "avance", 1), ("PHA", "avance", 6)]
EXPECTED = {
    "app_version": "0.1.0", "workspace": "Démo — Médilog Santé", "at": "2022-11-28T10:00:00+01:00", "bdc_rows": 41,
    "bdc_rows_without_request": 3, "requests": 38, "valid": 32, "invalid": 6, "errors": 9, "warnings": 2, "infos": 4,
    "by_couloir": [
        {"couloir": c, "type": t, "requests": n, "valid": v, "invalid": n - v, "valid_amount_ht": amount}
        for c, t, n, v, amount in [("BIO", "avance", 6, 5, "18000.00"), ("HOP", "avance", 8, 7, "38850.00"),
                                   ("MDV", "avance", 8, 6, "1980.00"), ("MDV", "solde", 3, 3, "2310.00"),
                                   ("MS1", "avance", 5, 4, "5760.00"), ("MSS", "avance", 1, 1, "7924.79"),
                                   ("PHA", "avance", 7, 6, "1350.00")]],
    "joined_by": [{"key": "CODE", "label": "code client", "requests": 38}],
    "files": [{"file": f"{c}_{t}.json", "couloir": c, "type": t, "requests": n, "schema": SCHEMA.format(f"{c}-{t}")}
              for c, t, n in FILES],
}


def test_build_json_summary_is_unchanged(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["build", "-w", str(demo), "--out", str(tmp_path / "out"), "--no-register", "--format", "json"]) == 1
    out = capsys.readouterr().out
    report = json.loads(out)
    assert out == json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    assert json.dumps(report["summary"], ensure_ascii=False) == json.dumps(EXPECTED, ensure_ascii=False)
    assert len(report["diagnostics"]) == 15
