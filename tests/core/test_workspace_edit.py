"""Creating and editing workspace.json from the window: nothing else in the file changes, bad values refused."""

import json
from pathlib import Path

import pytest
from testdata import VENDOR_SIRET

from segur_desktop.core.errors import InputError
from segur_desktop.core.workspace import (
    WORKSPACE_FILE,
    create_workspace,
    demo_copy,
    edit_workspace,
    load_workspace,
    relative_to_workspace,
)


def test_edit_changes_only_the_named_inputs(make_workspace, tmp_path: Path) -> None:
    folder = make_workspace([], [])
    before = json.loads((folder / WORKSPACE_FILE).read_text(encoding="utf-8"))
    other = tmp_path / "elsewhere" / "clients2.xlsx"
    other.parent.mkdir()
    other.write_bytes(b"")
    workspace = edit_workspace(folder, inputs={"clients": other, "clients_feuille": "Feuil2"})
    after = json.loads((folder / WORKSPACE_FILE).read_text(encoding="utf-8"))
    assert after["entrees"]["clients"] == str(other.resolve())  # outside the workspace: absolute
    assert after["entrees"]["clients_feuille"] == "Feuil2"
    assert {k: v for k, v in after.items() if k != "entrees"} == {k: v for k, v in before.items() if k != "entrees"}
    assert workspace.clients == other.resolve() and workspace.clients_sheet == "Feuil2"
    edit_workspace(folder, inputs={"clients": folder / "clients.xlsx", "clients_feuille": None})
    after = json.loads((folder / WORKSPACE_FILE).read_text(encoding="utf-8"))
    assert after["entrees"]["clients"] == "clients.xlsx"  # inside: relative, the folder can move
    assert "clients_feuille" not in after["entrees"]


def test_edit_sets_the_mapping_profile_name(make_workspace) -> None:
    folder = make_workspace([], [])
    (folder / "mappings").mkdir()
    (folder / "mappings" / "crm.json").write_text(
        json.dumps({"schema_version": 1, "nom": "crm", "bdc": {"colonnes": {"bdc_number": "Numéro"}}}), encoding="utf-8")
    workspace = edit_workspace(folder, mapping="crm")
    assert workspace.mapping == {"bdc": {"bdc_number": "Numéro"}}
    assert json.loads((folder / WORKSPACE_FILE).read_text(encoding="utf-8"))["mapping"] == "crm"


def test_create_refuses_a_bad_siret_and_an_existing_workspace(tmp_path: Path, make_workspace) -> None:
    clients, bdc = tmp_path / "c.xlsx", tmp_path / "b.xlsx"
    with pytest.raises(InputError, match="SIRET"):
        create_workspace(tmp_path / "new", name="", vendor_name="X", vendor_siret="12345678901234", clients=clients,
                         bdc=bdc)
    assert not (tmp_path / "new" / WORKSPACE_FILE).exists()
    workspace = create_workspace(tmp_path / "new", name="", vendor_name=" Éditeur ", vendor_siret=VENDOR_SIRET,
                                 clients=clients, bdc=bdc)
    assert workspace.name == "new" and workspace.vendor.name == "Éditeur"
    assert workspace.clients == clients.resolve()
    with pytest.raises(InputError, match="déjà un dossier de travail"):
        create_workspace(tmp_path / "new", name="", vendor_name="X", vendor_siret=VENDOR_SIRET, clients=clients,
                         bdc=bdc)


def test_relative_paths_inside_absolute_outside(tmp_path: Path) -> None:
    assert relative_to_workspace(tmp_path, tmp_path / "a" / "b.xlsx") == "a/b.xlsx"
    assert relative_to_workspace(tmp_path / "ws", tmp_path / "b.xlsx") == str((tmp_path / "b.xlsx").resolve())


def test_demo_copy_is_private_and_made_once(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SEGUR_DESKTOP_DATA_DIR", str(tmp_path))
    folder = demo_copy()
    assert folder == tmp_path / "demo"
    assert load_workspace(folder).name == "Démo — Médilog Santé"
    (folder / "clients.xlsx").write_bytes(b"changed by the user")
    assert demo_copy() == folder
    assert (folder / "clients.xlsx").read_bytes() == b"changed by the user"  # never overwritten
