"""`segur-desktop template`: one workbook, or one per couloir and type; never over a filled one without --force."""

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from segur_desktop.cli import main
from segur_desktop.core.paths import schemas_dir
from segur_desktop.core.profiles import load_profile


def test_one_template_and_its_profile(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "modele HOP.xlsx"
    assert main(["template", "--couloir", "hop", "--type", "avance", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed == (f"Modèle HOP avance : {out} (schéma 1.0.0, intégré) — profil : modele HOP.profil.json\n")
    assert load_workbook(out).sheetnames == ["Mode d'emploi", "Clients", "Bons de commande"]
    profile = load_profile(tmp_path / "modele HOP.profil.json")
    assert profile.sheets == {"clients": "Clients", "bdc": "Bons de commande"}
    assert profile.columns["clients"]["finess_et"] == "FINESS ET"


def test_all_writes_every_couloir_and_type_into_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["template", "--all", "--out", str(tmp_path / "modeles")]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 18  # every couloir but SAS (a forfait per vendor)
    names = {p.name for p in (tmp_path / "modeles").iterdir()}
    assert {"modele_HOP_avance.xlsx", "modele_MS2-PDE_solde.xlsx", "modele_MS2-PDE_solde.profil.json"} <= names
    assert len(names) == 36


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"rempli")
    assert main(["template", "--couloir", "MDV", "--type", "solde", "--out", str(out)]) == 2
    said = capsys.readouterr().err
    assert "existent déjà" in said and "Pour les remplacer : --force." in said and out.read_bytes() == b"rempli"
    assert main(["template", "--couloir", "MDV", "--type", "solde", "--out", str(out), "--force"]) == 0
    assert "Date d'installation" in [c.value for c in load_workbook(out)["Bons de commande"][1]]


def test_unusable_requests_are_exit_2_in_french(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["template", "--couloir", "XYZ", "--type", "avance", "--out", str(tmp_path / "t.xlsx")]) == 2
    assert "Aucun schéma en vigueur pour le couloir « XYZ »" in capsys.readouterr().err
    assert main(["template", "--couloir", "HOP", "--out", str(tmp_path / "t.xlsx")]) == 2
    assert "--type avance ou --type solde" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["template", "--couloir", "HOP", "--all", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "incompatible" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_workspace_schemas_are_used(tmp_path: Path, make_workspace, capsys: pytest.CaptureFixture) -> None:
    folder = make_workspace([], [])
    (folder / "schemas").mkdir()
    schema = json.loads((schemas_dir() / "PHA-avance.json").read_text(encoding="utf-8"))
    schema["x-version"] = "2.0.0"
    (folder / "schemas" / "PHA-avance.json").write_text(json.dumps(schema), encoding="utf-8")
    assert main(["template", "--couloir", "PHA", "--type", "avance", "--workspace", str(folder),
                 "--out", str(tmp_path / "pha.xlsx")]) == 0
    assert "(schéma 2.0.0, dossier de travail)" in capsys.readouterr().out
    properties = {p.name: p.value for p in load_workbook(tmp_path / "pha.xlsx").custom_doc_props}
    assert properties["segur_schema_version"] == "2.0.0"
