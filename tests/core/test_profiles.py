"""Mapping profiles: load, save, find, use from a workspace, and suggest from a spreadsheet."""

import json
import os
from pathlib import Path

import pytest

from segur_desktop.core.errors import InputError
from segur_desktop.core.mapping import load_table
from segur_desktop.core.profiles import MappingProfile, find_profile, load_profile, save_profile, suggest
from segur_desktop.core.workspace import load_workspace

PROFILE = {
    "schema_version": 1,
    "nom": "Export CRM Médilog",
    "clients": {"feuille": "Clients", "colonnes": {"client_code": "N° client", "name": "Intitulé établissement"}},
    "bdc": {"colonnes": {"amount_ht": "Prix HT"}},
}
ODD_CLIENT_ROWS = [
    ["Export CRM — clients au 15/11/2022"],
    [],
    ["N° client", "Intitulé établissement", "Finess géo", "Commentaire"],
    ["C1", "Clinique A", "750000019", "RAS"],
]


def write_json(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def user_profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user-data folder of this test's own, so profiles saved there do not leak into other tests."""
    monkeypatch.setenv("SEGUR_DESKTOP_DATA_DIR", str(tmp_path / "user-data"))
    return Path(os.environ["SEGUR_DESKTOP_DATA_DIR"]) / "mappings"


def test_load_then_save_round_trip(tmp_path: Path) -> None:
    profile = load_profile(write_json(tmp_path / "crm.json", PROFILE))
    assert profile.name == "Export CRM Médilog" and profile.path == tmp_path / "crm.json"
    assert profile.columns == {"clients": {"client_code": "N° client", "name": "Intitulé établissement"},
                               "bdc": {"amount_ht": "Prix HT"}}
    assert profile.sheets == {"clients": "Clients"}
    save_profile(profile, tmp_path / "copie.json")
    assert json.loads((tmp_path / "copie.json").read_text(encoding="utf-8")) == PROFILE
    assert load_profile(tmp_path / "copie.json").columns == profile.columns


def test_name_defaults_to_the_file_name(tmp_path: Path) -> None:
    assert load_profile(write_json(tmp_path / "erp.json", {"schema_version": 1, "bdc": {}})).name == "erp"


def test_unknown_field_lists_the_valid_ones(tmp_path: Path) -> None:
    data = {"schema_version": 1, "clients": {"colonnes": {"nom_client": "Nom"}}}
    with pytest.raises(InputError) as error:
        load_profile(write_json(tmp_path / "p.json", data))
    message = str(error.value)
    assert "p.json" in message and "nom_client" in message
    assert "client_code (Code client)" in message and "name (Raison sociale)" in message


@pytest.mark.parametrize("data, fragment", [
    ({"schema_version": 2}, "format 2, écrit par une version plus récente"),
    ({"schema_version": 1, "clients": {"colonne": {}}}, "non prévu(s) par le format : colonne"),
    ({"schema_version": 1, "bdc": {"colonnes": {"amount_ht": 12}}}, "doit être un texte"),
])
def test_schema_violations_are_explained_in_french(tmp_path: Path, data: dict, fragment: str) -> None:
    with pytest.raises(InputError, match="profil de correspondance") as error:
        load_profile(write_json(tmp_path / "p.json", data))
    assert fragment in str(error.value)


def test_merged_replaces_only_the_other_table() -> None:
    both = MappingProfile("p", None, {"clients": {"name": "A"}, "bdc": {"amount_ht": "B"}}, {"clients": "X", "bdc": "Y"})
    merged = both.merged(MappingProfile("q", None, {"bdc": {"amount_ht": "C"}}, {}))
    assert merged.name == "p"
    assert merged.columns == {"clients": {"name": "A"}, "bdc": {"amount_ht": "C"}}
    assert merged.sheets == {"clients": "X"}


def test_find_profile_by_name_prefers_the_workspace(tmp_path: Path, user_profiles: Path) -> None:
    workspace = tmp_path / "ws"
    shared = write_json(user_profiles / "crm.json", PROFILE)
    assert find_profile("crm", workspace) == shared
    assert find_profile("crm", None) == shared
    own = write_json(workspace / "mappings" / "crm.json", PROFILE)
    assert find_profile("crm", workspace) == own


def test_find_profile_by_path(tmp_path: Path) -> None:
    path = write_json(tmp_path / "ws" / "profils" / "p.json", PROFILE)
    assert find_profile("profils/p.json", tmp_path / "ws") == path
    assert find_profile(str(path), None) == path


def test_profile_not_found_says_where_it_looked_and_what_exists(tmp_path: Path, user_profiles: Path) -> None:
    write_json(tmp_path / "ws" / "mappings" / "erp.json", PROFILE)
    write_json(user_profiles / "pharma.json", PROFILE)
    with pytest.raises(InputError) as error:
        find_profile("crm", tmp_path / "ws")
    message = str(error.value)
    assert str(tmp_path / "ws" / "mappings" / "crm.json") in message
    assert str(user_profiles / "crm.json") in message
    assert "Profils disponibles : erp, pharma" in message


def test_workspace_mapping_may_name_a_profile(make_workspace) -> None:
    folder = make_workspace([], [])
    write_json(folder / "mappings" / "crm.json", PROFILE)
    data = json.loads((folder / "workspace.json").read_text(encoding="utf-8"))
    write_json(folder / "workspace.json", data | {"mapping": "crm"})
    workspace = load_workspace(folder)
    assert workspace.mapping == {"clients": {"client_code": "N° client", "name": "Intitulé établissement"},
                                 "bdc": {"amount_ht": "Prix HT"}}
    assert (workspace.clients_sheet, workspace.bdc_sheet) == ("Clients", None)
    # The workspace's own sheet wins over the profile's.
    data["entrees"] |= {"clients_feuille": "Export"}
    write_json(folder / "workspace.json", data | {"mapping": "crm"})
    assert load_workspace(folder).clients_sheet == "Export"


def test_workspace_naming_a_missing_profile(make_workspace) -> None:
    folder = make_workspace([], [])
    data = json.loads((folder / "workspace.json").read_text(encoding="utf-8"))
    write_json(folder / "workspace.json", data | {"mapping": "absent"})
    with pytest.raises(InputError, match="« absent » est introuvable"):
        load_workspace(folder)


def test_inline_mapping_with_an_unknown_field(make_workspace) -> None:
    folder = make_workspace([], [])
    data = json.loads((folder / "workspace.json").read_text(encoding="utf-8"))
    write_json(folder / "workspace.json", data | {"mapping": {"clients": {"raison": "Nom"}}})
    with pytest.raises(InputError, match="rubrique « mapping » : champ\\(s\\) inconnu\\(s\\).*raison"):
        load_workspace(folder)


def test_suggest_detects_the_kind_header_and_missing_field(make_xlsx) -> None:
    path = make_xlsx("export.xlsx", ODD_CLIENT_ROWS)
    suggestion = suggest(path)
    assert (suggestion.list_kind, suggestion.sheet, suggestion.header_row) == ("clients", "Feuil1", 3)
    assert suggestion.columns == {"client_code": 0, "finess_et": 2}
    assert suggestion.missing == [("name",)]
    assert suggestion.unmapped == [1, 3]
    assert suggestion.candidates["name"] == [1]  # "Intitulé établissement", not "Commentaire"
    assert suggestion.proposed == {"name": 1}
    assert not suggestion.complete
    profile = suggestion.to_profile("CRM")
    assert profile.columns == {"clients": {"client_code": "N° client", "name": "Intitulé établissement",
                                           "finess_et": "Finess géo"}}
    assert profile.sheets == {}  # one sheet: naming it would break on next month's export
    assert load_table(path, "clients", pinned=profile.columns["clients"]).columns["name"] == 1


def test_suggest_recognises_a_bdc_list_and_names_the_sheet(make_xlsx) -> None:
    path = make_xlsx("classeur.xlsx", sheets={
        "Lisez-moi": [["Export du 15/11/2022"]],
        "Commandes": [["N° BDC", "Code client", "Date signature", "Montants HT"], ["B1", "C1", "01/09/2022", "100"]],
    })
    suggestion = suggest(path)
    assert (suggestion.list_kind, suggestion.sheet) == ("bdc", "Commandes")
    assert suggestion.missing == [("amount_ht",)] and suggestion.proposed == {"amount_ht": 3}
    assert suggestion.to_profile("p").sheets == {"bdc": "Commandes"}


def test_suggest_reports_a_missing_identifier_group(make_xlsx) -> None:
    path = make_xlsx("c.xlsx", [["Code client", "Raison sociale", "Adresse"]])
    suggestion = suggest(path, list_kind="clients")
    assert suggestion.missing == [("finess_et", "finess_ej", "siret", "siren", "rpps", "adeli", "identifier")]
    assert suggestion.proposed == {}


def test_suggest_on_a_file_without_a_header(make_xlsx) -> None:
    path = make_xlsx("notes.xlsx", [["Bonjour"], ["Rien ici"]])
    with pytest.raises(InputError, match="Aucune ligne d'en-têtes reconnue dans « notes.xlsx »"):
        suggest(path)


def test_workspace_mapping_of_the_wrong_type_is_explained_in_french(make_workspace) -> None:
    folder = make_workspace([], [])
    data = json.loads((folder / "workspace.json").read_text(encoding="utf-8"))
    write_json(folder / "workspace.json", data | {"mapping": 5})
    with pytest.raises(InputError, match="doit être un groupe de champs ou un texte"):
        load_workspace(folder)
