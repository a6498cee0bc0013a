"""`segur-desktop schemas` and `schemas check`."""

import json
from pathlib import Path

import pytest
from testdata import sample_demande

from segur_desktop.cli import main

DEMANDE = sample_demande()


def deposit(tmp_path: Path, *demandes: dict) -> Path:
    path = tmp_path / "HOP_avance.json"
    path.write_text(json.dumps({"versionFormat": "1.0.0", "editeur": {"raisonSociale": "E", "siret": "73282932000074"},
                                "couloir": "HOP", "typeDemande": "avance", "demandes": list(demandes)}), encoding="utf-8")
    return path


def test_schemas_lists_every_couloir_with_origin(capsys: pytest.CaptureFixture) -> None:
    assert main(["schemas", "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert len(entries) == 20
    assert {(e["couloir"], e["type"]) for e in entries} >= {("HOP", "avance"), ("MS2-PDE", "solde")}
    assert all(e["origin"] == "intégré" and e["version"] == "1.0.0" for e in entries)
    assert main(["schemas"]) == 0
    assert "HOP       avance   1.0.0    intégré" in capsys.readouterr().out


def test_check_conforming_file(tmp_path: Path, capsys) -> None:
    assert main(["schemas", "check", str(deposit(tmp_path, DEMANDE))]) == 0
    assert "Conforme : 1 demande(s)." in capsys.readouterr().out


def test_check_names_the_demande_and_field_in_french(tmp_path: Path, capsys) -> None:
    bad = json.loads(json.dumps(DEMANDE))
    bad["bonDeCommande"]["montantHT"] = "10.5"
    del bad["montantDemandeHT"]
    assert main(["schemas", "check", str(deposit(tmp_path, DEMANDE, bad))]) == 1
    out = capsys.readouterr().out
    assert "Non conforme au format en vigueur : 2 problème(s)" in out
    assert "demande n° 2 (HOP-AV-ABCDEFGHIJ), /demandes/1/bonDeCommande/montantHT : Montant HT du bon de commande" in out
    assert "« Montant demandé HT » (montantDemandeHT) est obligatoire" in out


def test_check_json_output(tmp_path: Path, capsys) -> None:
    bad = dict(DEMANDE, couloir="MDV")
    assert main(["schemas", "check", str(deposit(tmp_path, bad)), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False and report["problems"][0]["path"] == "/demandes/0/couloir"


def test_check_our_own_build_output(demo: Path, tmp_path: Path) -> None:
    assert main(["build", "-w", str(demo), "--out", str(tmp_path)]) == 1  # the demo has mistakes
    files = sorted(tmp_path.glob("*_*.json"))
    assert files
    for path in files:
        assert main(["schemas", "check", str(path)]) == 0


@pytest.mark.parametrize("content, fragment", [
    ("{pas du json", "n'est pas un JSON valide"),
    ('{"demandes": []}', "ne ressemble pas à un fichier de demandes"),
    ('{"couloir": "XYZ", "typeDemande": "avance"}', "Aucun schéma pour le couloir « XYZ »"),
])
def test_check_unusable_files(tmp_path: Path, capsys, content: str, fragment: str) -> None:
    path = tmp_path / "f.json"
    path.write_text(content, encoding="utf-8")
    assert main(["schemas", "check", str(path)]) == 2
    assert fragment in capsys.readouterr().err
