"""Loading a dossier de travail, and its French errors."""

import json
import shutil
from pathlib import Path

import pytest

from segur_desktop.core.errors import InputError
from segur_desktop.core.workspace import demo_copy, load_workspace


def test_demo_workspace_loads(demo: Path) -> None:
    workspace = load_workspace(demo)
    assert workspace.vendor.siret == "73282932000074"
    assert {s.couloir for s in workspace.solutions} == {"HOP", "MDV", "BIO", "PHA", "MS1", "MSS"}
    assert workspace.clients == demo / "clients.xlsx" and workspace.pieces == demo / "pieces"
    assert workspace.judged_at.isoformat() == "2022-11-28T10:00:00+01:00"


def test_workspace_json_path_works_too(demo: Path) -> None:
    assert load_workspace(demo / "workspace.json").folder == demo


def write(folder: Path, data: dict) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "workspace.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


BASE = {"schema_version": 1, "editeur": {"raison_sociale": "X", "siret": "73282932000074"},
        "entrees": {"clients": "c.xlsx", "bdc": "b.xlsx"}}


def test_not_a_workspace(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="pas de fichier workspace.json"):
        load_workspace(tmp_path)


def test_missing_vendor_is_explained_in_french(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="« editeur » est obligatoire"):
        load_workspace(write(tmp_path / "w", {k: v for k, v in BASE.items() if k != "editeur"}))


def test_vendor_siret_key(tmp_path: Path) -> None:
    data = {**BASE, "editeur": {"raison_sociale": "X", "siret": "73282932000075"}}
    with pytest.raises(InputError, match="clé de contrôle fausse"):
        load_workspace(write(tmp_path / "w", data))


def test_unknown_couloir_and_software_kind(tmp_path: Path) -> None:
    solution = {"id": "a", "nom": "A", "couloir": "Dentaire", "type_logiciel": "X",
                "referencement": {"id": "r", "date": "2022-01-01"}}
    with pytest.raises(InputError, match="couloir « Dentaire »"):
        load_workspace(write(tmp_path / "w", {**BASE, "solutions": [solution]}))
    solution |= {"couloir": "hôpital", "type_logiciel": "LGC"}
    with pytest.raises(InputError, match="type de logiciel « LGC »"):
        load_workspace(write(tmp_path / "w", {**BASE, "solutions": [solution]}))


def test_couloir_alias_is_normalised(tmp_path: Path) -> None:
    solution = {"id": "a", "nom": "A", "couloir": "Médecine de ville", "type_logiciel": "lgc",
                "referencement": {"id": "r", "date": "2022-01-01"}}
    workspace = load_workspace(write(tmp_path / "w", {**BASE, "solutions": [solution]}))
    assert (workspace.solutions[0].couloir, workspace.solutions[0].software_kind) == ("MDV", "LGC")


def test_two_solutions_with_one_id_are_refused(tmp_path: Path) -> None:
    """A BDC row naming the id would otherwise get whichever solution came first, without a word."""
    first = {"id": "dpi", "nom": "DPI", "couloir": "HOP", "type_logiciel": "DPI",
             "referencement": {"id": "r1", "date": "2022-01-01"}}
    second = first | {"nom": "LGC", "couloir": "MDV", "type_logiciel": "LGC"}
    with pytest.raises(InputError, match="deux solutions ont le même identifiant « dpi »"):
        load_workspace(write(tmp_path / "w", {**BASE, "solutions": [first, second]}))
    assert len(load_workspace(write(tmp_path / "w", {**BASE, "solutions": [first, second | {"id": "lgc"}]})).solutions) == 2


def test_broken_json(tmp_path: Path) -> None:
    (tmp_path / "workspace.json").write_text("{ pas du json", encoding="utf-8")
    with pytest.raises(InputError, match="n'est pas un JSON valide"):
        load_workspace(tmp_path)


def test_a_demo_copy_that_cannot_be_written_is_a_french_error(user_data: Path, monkeypatch) -> None:
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copytree", full_disk)
    with pytest.raises(InputError, match="copie de démonstration"):
        demo_copy()
    assert not list(user_data.glob(".demo.*.tmp"))
