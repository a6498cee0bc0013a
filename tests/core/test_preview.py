"""What the Import page asks the core: a file's first rows and columns, the keys joining the two lists, where
dropped files go, saving a mapping."""

import json
import os
from datetime import date
from pathlib import Path

import pytest
from testdata import BDC_HEADERS, CLIENT_HEADERS, FINESS_A

from segur_desktop.core.errors import InputError
from segur_desktop.core.preview import (
    PREVIEW_ROWS,
    JoinKeys,
    assign,
    preview,
    save_mapping,
    shared_keys,
    sort_dropped,
)
from segur_desktop.core.profiles import load_profile, suggest
from segur_desktop.core.workspace import WORKSPACE_FILE, edit_workspace, load_workspace

ODD_CLIENT_ROWS = [
    ["Export CRM — clients au 15/11/2022"],
    [],
    ["N° client", "Intitulé établissement", "Finess géo", "Commentaire"],
    ["C1", "Clinique A", int(FINESS_A), "RAS"],
]


def test_preview_shows_the_first_rows_as_quoted_and_the_columns_in_use(make_xlsx) -> None:
    rows = [*ODD_CLIENT_ROWS, *([f"C{i}", "Cabinet", None, date(2022, 9, 1)] for i in range(2, 40))]
    result = preview(make_xlsx("crm.xlsx", rows), "clients")
    assert result.suggestion.header_row == 3 and result.first_row == 1
    assert len(result.rows) == 3 + PREVIEW_ROWS  # the title lines, the header, then PREVIEW_ROWS rows
    assert result.rows[0] == ["Export CRM — clients au 15/11/2022", "", "", ""]  # every row as wide
    assert result.rows[3] == ["C1", "Clinique A", FINESS_A, "RAS"]  # no ".0" on a number
    assert result.rows[4][3] == "01/09/2022"
    assert result.in_use == {"client_code": 0, "finess_et": 2}
    assert result.initial == {"client_code": 0, "finess_et": 2, "name": 1}  # the proposal, shown to be checked


def test_pinned_headers_win_over_synonyms_and_proposals(make_xlsx) -> None:
    result = preview(make_xlsx("crm.xlsx", ODD_CLIENT_ROWS), "clients", pinned={"name": "commentaire"})
    assert result.in_use == {"name": 3, "client_code": 0, "finess_et": 2}
    assert result.initial == result.in_use


def test_an_unusable_file_gives_the_mapping_suggest_message(make_xlsx) -> None:
    path = make_xlsx("vide.xlsx", [["rien"], ["ici"]])
    with pytest.raises(InputError) as raised:
        preview(path, "bdc")
    with pytest.raises(InputError) as cli:
        suggest(path, "bdc")
    assert str(raised.value) == str(cli.value)


def test_assign_gives_a_column_to_one_field_only() -> None:
    columns = {"client_code": 0, "name": 1}
    assert assign(columns, "city", 1) == {"client_code": 0, "city": 1}
    assert assign(columns, "name", None) == {"client_code": 0}
    assert columns == {"client_code": 0, "name": 1}  # a new dict: the caller's is untouched


def test_the_lists_are_joined_by_the_keys_both_carry_with_the_columns_chosen(make_xlsx) -> None:
    clients = suggest(make_xlsx("c.xlsx", [["Raison sociale", "N° FINESS ET", "SIRET", "Commentaire"]]), "clients")
    bdc = suggest(make_xlsx("b.xlsx", [["N° BDC", "FINESS", "SIRET / RPPS", "Date signature", "Montant HT"]]), "bdc")
    assert shared_keys((clients, clients.columns), (bdc, bdc.columns)) == JoinKeys(
        ["FINESS ET", "SIRET"], ["FINESS ET", "SIRET", "SIREN"],  # a client's SIRET begins with its SIREN
        ["FINESS ET", "FINESS EJ", "SIRET", "RPPS"])  # a FINESS column: either; « SIRET / RPPS »: those two
    # The user takes the client list's FINESS column for its comment: only the SIRET is left to join by.
    chosen = assign(clients.columns, "finess_et", None)
    assert shared_keys((clients, chosen), (bdc, bdc.columns)).shared == ["SIRET"]
    no_siret = assign(bdc.columns, "identifier", None)
    assert shared_keys((clients, chosen), (bdc, no_siret)) == JoinKeys(
        [], ["SIRET", "SIREN"], ["FINESS ET", "FINESS EJ"])


def test_dropped_paths_go_where_their_content_says(make_xlsx, tmp_path: Path) -> None:
    bdc = make_xlsx("export.xlsx", [BDC_HEADERS, ["B1", "C1", "DPI", "Avance", date(2022, 9, 1), 10, "B1.pdf"]])
    clients = make_xlsx("liste.xlsx", [CLIENT_HEADERS, ["C1", "Clinique", FINESS_A, None, "75011", "Paris"]])
    other_clients = make_xlsx("autre.xlsx", [CLIENT_HEADERS])
    pieces = tmp_path / "scans"
    pieces.mkdir()
    note = tmp_path / "note.docx"
    note.write_bytes(b"PK")
    broken = tmp_path / "casse.xlsx"
    broken.write_bytes(b"not a workbook at all")
    dropped = sort_dropped([bdc, clients, pieces, note, broken, other_clients])
    assert dropped.inputs == {"bdc": bdc, "clients": clients, "pieces": pieces}
    assert len(dropped.refused) == 3
    assert "« note.docx » n'est ni un tableur" in dropped.refused[0]
    with pytest.raises(InputError) as cli:
        suggest(broken)
    assert dropped.refused[1] == str(cli.value)  # the same French paragraph as `mapping suggest`
    assert "« autre.xlsx » et « liste.xlsx »" in dropped.refused[2]


def chosen(folder: Path, kind: str, headers: dict[str, str]):
    """(suggestion, field -> column) as the page holds them after the user's choices."""
    workspace = load_workspace(folder)
    suggestion = suggest(workspace.clients if kind == "clients" else workspace.bdc, kind)
    return suggestion, {field: suggestion.headers.index(header) for field, header in headers.items()}


ODD_BDC_HEADERS = [*BDC_HEADERS[:5], "Prix total", *BDC_HEADERS[6:]]


def test_an_inline_mapping_becomes_the_correspondance_profile(make_workspace) -> None:
    folder = make_workspace([], [], bdc_headers=ODD_BDC_HEADERS,
                            extra={"mapping": {"clients": {"city": "Ville"}, "bdc": {}}})
    bdc = chosen(folder, "bdc", {"bdc_number": "N° BDC", "client_code": "Code client",
                                 "signature_date": "Date de signature", "amount_ht": "Prix total"})
    assert save_mapping(folder, {"bdc": bdc}) == "correspondance"
    profile = load_profile(folder / "mappings" / "correspondance.json")
    assert profile.columns == {"clients": {"city": "Ville"},  # the other list keeps its inline mapping
                               "bdc": {"bdc_number": "N° BDC", "client_code": "Code client",
                                       "signature_date": "Date de signature", "amount_ht": "Prix total"}}
    workspace = edit_workspace(folder, mapping="correspondance")
    assert workspace.mapping["bdc"]["amount_ht"] == "Prix total"


def test_the_profile_in_use_keeps_its_name_and_other_list(make_workspace) -> None:
    folder = make_workspace([], [], bdc_headers=ODD_BDC_HEADERS, extra={"mapping": "profils/crm.json"})
    (folder / "profils").mkdir()
    (folder / "profils" / "crm.json").write_text(json.dumps({
        "schema_version": 1, "nom": "Export CRM", "clients": {"feuille": "Feuil1", "colonnes": {"city": "Ville"}},
        "bdc": {"colonnes": {"amount_ht": "Prix total"}}}), encoding="utf-8")
    bdc = chosen(folder, "bdc", {"bdc_number": "N° BDC", "amount_ht": "Prix total"})
    assert save_mapping(folder, {"bdc": bdc}) == "crm"
    profile = load_profile(folder / "mappings" / "crm.json")
    assert profile.name == "Export CRM"
    assert profile.columns["clients"] == {"city": "Ville"} and profile.sheets == {"clients": "Feuil1"}
    assert profile.columns["bdc"] == {"bdc_number": "N° BDC", "amount_ht": "Prix total"}


def test_a_shared_profile_is_copied_into_the_workspace_not_changed(make_workspace, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEGUR_DESKTOP_DATA_DIR", str(tmp_path / "user-data"))
    shared = Path(os.environ["SEGUR_DESKTOP_DATA_DIR"]) / "mappings" / "crm.json"
    shared.parent.mkdir(parents=True)
    shared.write_text(json.dumps({"schema_version": 1, "nom": "crm", "bdc": {"colonnes": {}}}), encoding="utf-8")
    before = shared.read_bytes()
    folder = make_workspace([], [], bdc_headers=ODD_BDC_HEADERS, extra={"mapping": "crm"})
    assert save_mapping(folder, {"bdc": chosen(folder, "bdc", {"amount_ht": "Prix total"})}) == "crm"
    assert shared.read_bytes() == before
    assert load_profile(folder / "mappings" / "crm.json").columns == {"bdc": {"amount_ht": "Prix total"}}
    assert json.loads((folder / WORKSPACE_FILE).read_text(encoding="utf-8"))["mapping"] == "crm"


def test_a_saved_mapping_makes_an_odd_header_previewable(make_xlsx) -> None:
    """Headers the synonyms do not know: without the workspace's pins no header row is found at all."""
    path = make_xlsx("odd.xlsx", [["Réf. cde", "Cli", "Produit", "Nature", "Quand", "Valeur", "Doc"],
                                  ["BDC-1", "C001", "Médilog DPI", "avance", "15/09/2022", "1000", "BDC-1.pdf"]])
    with pytest.raises(InputError, match="Aucune ligne d'en-têtes"):
        preview(path, "bdc")
    pinned = {"bdc_number": "Réf. cde", "client_code": "Cli", "signature_date": "Quand", "amount_ht": "Valeur"}
    shown = preview(path, "bdc", pinned=pinned)
    assert shown.suggestion.header_row == 1
    assert shown.in_use["bdc_number"] == 0 and shown.in_use["amount_ht"] == 5
