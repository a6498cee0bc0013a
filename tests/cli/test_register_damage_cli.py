"""An emptied register on the command line (issue #17, item 9): validate and export refuse it (exit 2, French),
`register import` restores it, `register reset --confirm` acknowledges the loss; a backup holding a
status outside the lifecycle is refused (exit 2), and one already in the database makes validate exit 2, not 3."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from segur_desktop.cli import main
from segur_desktop.core.paths import demo_workspace
from segur_desktop.core.register.store import register_path

SIRET = "73282932000074"  # the demo's vendor


@pytest.fixture
def exported(tmp_path: Path, capsys) -> list[str]:
    folder = tmp_path / "demo"
    shutil.copytree(demo_workspace(), folder)
    assert main(["export", "-w", str(folder), "--out", str(tmp_path / "depots")]) == 1
    assert main(["register", "export", "-w", str(folder), str(tmp_path / "sauvegarde.json")]) == 0
    capsys.readouterr()
    return ["-w", str(folder)]


def test_an_emptied_register_is_refused_then_restored(exported: list[str], tmp_path: Path, capsys) -> None:
    register_path(SIRET).write_bytes(b"")
    assert main(["validate", *exported]) == 2
    err = capsys.readouterr().err
    assert "est vide (0 octet)" in err and "29 demande(s)" in err and "sauvegarde.json" in err
    assert main(["export", *exported, "--out", str(tmp_path / "depots")]) == 2
    capsys.readouterr()
    assert main(["register", "import", *exported, str(tmp_path / "sauvegarde.json")]) == 0
    assert "29 demande(s) ajoutée(s)" in capsys.readouterr().out
    assert main(["validate", *exported, "--format", "json"]) == 1
    codes = [d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]]
    assert codes.count("deja_deposee") == 0 and "solde_avance_non_validee" in codes  # known again: « exportée »


def test_a_loss_is_acknowledged_only_when_confirmed(exported: list[str], capsys) -> None:
    register_path(SIRET).unlink()
    assert main(["register", "list", *exported]) == 2
    assert "introuvable" in capsys.readouterr().err
    assert not register_path(SIRET).exists()
    assert main(["register", "reset", *exported]) == 2
    assert "--confirm" in capsys.readouterr().err
    assert main(["register", "reset", *exported, "--confirm"]) == 0
    assert "réinitialisé" in capsys.readouterr().out
    assert main(["register", "list", *exported]) == 0
    assert "Aucune demande suivie" in capsys.readouterr().out


def test_statuses_outside_the_lifecycle_never_make_exit_3(exported: list[str], tmp_path: Path, capsys) -> None:
    backup = tmp_path / "sauvegarde.json"
    data = json.loads(backup.read_text(encoding="utf-8"))
    data["tables"]["demandes"][0]["status"] = "pirate"
    backup.write_text(json.dumps(data), encoding="utf-8")
    assert main(["register", "import", "--register", str(tmp_path / "autre.sqlite3"), str(backup)]) == 2
    assert "statut « pirate »" in capsys.readouterr().err
    with sqlite3.connect(register_path(SIRET)) as con:
        con.execute("UPDATE demandes SET status = 'pirate' WHERE rowid = 1")
    con.close()
    for command in (["validate", *exported], ["export", *exported, "--out", str(tmp_path / "depots")]):
        assert main(command) == 2
        assert "statut « pirate »" in capsys.readouterr().err
