"""`register export FICHIER` never replaces a file that is not a previous backup of the register (issue #17,
item 6): a workspace.json or a workbook chosen by mistake is left as it was, with a French message and exit 2,
unless --force; a previous backup (recognised by its content, JSON or XLSX) is replaced as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from registers import exported_register

from segur_desktop.cli import main


@pytest.fixture
def register(tmp_path: Path) -> Path:
    return exported_register(tmp_path / "registre.sqlite3").path

@pytest.mark.parametrize("name", ["workspace.json", "clients.xlsx"])
def test_a_file_that_is_not_a_backup_is_not_replaced_without_force(register: Path, tmp_path: Path, capsys,
                                                                    name: str) -> None:
    target = tmp_path / name
    if name.endswith(".json"):
        target.write_text(json.dumps({"schema_version": 1, "nom": "Mon dossier"}), encoding="utf-8")
    else:
        workbook = Workbook()
        workbook.active.append(["Code client", "Raison sociale"])
        workbook.save(target)
    before = target.read_bytes()
    assert main(["register", "export", "--register", str(register), str(target)]) == 2
    err = capsys.readouterr().err
    assert f"« {target} » existe déjà" in err and "--force" in err
    assert target.read_bytes() == before
    assert main(["register", "export", "--register", str(register), str(target), "--force"]) == 0
    assert "1 demande(s)" in capsys.readouterr().out
    assert target.read_bytes() != before


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_a_previous_backup_is_replaced(register: Path, tmp_path: Path, capsys, suffix: str) -> None:
    target = tmp_path / f"sauvegarde{suffix}"
    assert main(["register", "export", "--register", str(register), str(target)]) == 0
    assert main(["register", "export", "--register", str(register), str(target)]) == 0
    assert "1 demande(s)" in capsys.readouterr().out
