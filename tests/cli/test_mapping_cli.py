"""`segur-desktop mapping suggest`, and --mapping / --clients-sheet on validate and build."""

import json
from datetime import date
from pathlib import Path

import pytest
from testdata import CLIENT_HEADERS, FINESS_A, RPPS_A

from segur_desktop.cli import main

ODD_CLIENT_HEADERS = ["Code client", "Intitulé établissement", "N° FINESS ET", "RPPS", "Code postal", "Ville"]
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
           ["C3", "Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"]]
BDCS = [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"],
        ["B2", "C3", "Test Cabinet", "Avance", date(2022, 9, 2), 1100, "B2.pdf"]]


def test_suggest_text_lists_fields_unmapped_and_missing(make_xlsx, capsys) -> None:
    path = make_xlsx("export.xlsx", [["Export CRM"], ["N° client", "Intitulé établissement", "Finess géo", "Commentaire"]])
    assert main(["mapping", "suggest", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Fichier : export.xlsx — feuille « Feuil1 », en-têtes ligne 2 (liste des clients)" in out
    lines = out.splitlines()
    assert any(line.split() == ["Code", "client", "client_code", "A", "«", "N°", "client", "»"] for line in lines)
    assert any("Raison sociale" in line and "— absente (obligatoire)" in line for line in lines)
    assert any("FINESS EJ" in line and line.rstrip().endswith("— absente") for line in lines)
    assert "Colonnes non utilisées : B « Intitulé établissement », D « Commentaire »" in out
    assert "Raison sociale : colonnes proches B « Intitulé établissement » → colonne proposée : B" in out


def test_suggest_complete_file_exits_0(make_xlsx, capsys) -> None:
    path = make_xlsx("clients.xlsx", [CLIENT_HEADERS, CLIENTS[0]])
    assert main(["mapping", "suggest", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Toutes les colonnes obligatoires sont reconnues." in out
    assert "Champs obligatoires manquants" not in out


def test_suggest_without_any_close_column_says_what_to_do(make_xlsx, capsys) -> None:
    path = make_xlsx("c.xlsx", [["Code client", "Raison sociale", "Adresse"]])
    assert main(["mapping", "suggest", str(path), "--type", "clients"]) == 1
    out = capsys.readouterr().out
    assert ("Au moins un parmi FINESS ET, FINESS EJ, SIRET, SIREN, RPPS, ADELI, Identifiant (FINESS, SIRET, RPPS…) : "
            "aucune colonne proche") in out
    assert "Renommez la colonne dans le tableur" in out


def test_suggest_json(make_xlsx, capsys) -> None:
    path = make_xlsx("bdc.xlsx", [["N° BDC", "Code client", "Date signature", "Montants HT", "Remarque"]])
    assert main(["mapping", "suggest", str(path), "--type", "bdc", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["kind"], data["sheet"], data["header_row"], data["complete"]) == ("bdc", "Feuil1", 1, False)
    fields = {f["field"]: f for f in data["fields"]}
    assert fields["bdc_number"] | {} == {"field": "bdc_number", "label": "N° de BDC", "required": True,
                                         "column": "A", "header": "N° BDC"}
    assert fields["amount_ht"]["column"] is None and fields["amount_ht"]["required"] is True
    assert data["unmapped"] == [{"column": "D", "header": "Montants HT"}, {"column": "E", "header": "Remarque"}]
    assert data["missing"] == [{"fields": ["amount_ht"], "candidates": [{"column": "D", "header": "Montants HT"}],
                                "proposed": {"amount_ht": {"column": "D", "header": "Montants HT"}}}]
    assert data["profile"] is None


def test_suggest_names_the_keys_a_list_can_be_joined_by(make_xlsx, capsys) -> None:
    path = make_xlsx("bdc.xlsx", [["N° commande", "Client", "N° FINESS Géographique", "SIRET / RPPS",
                                   "Date signature", "Montant HT"]])
    assert main(["mapping", "suggest", str(path), "--type", "bdc"]) == 0
    out = capsys.readouterr().out
    assert ("\nClés de rapprochement : FINESS ET (colonne C « N° FINESS Géographique »), SIRET ou RPPS "
            "(colonne D « SIRET / RPPS », mixte)\n") in out
    assert out.index("Champs :") < out.index("Clés de rapprochement") < out.index("Colonnes non utilisées")
    assert main(["mapping", "suggest", str(path), "--type", "bdc", "--format", "json"]) == 0
    mixed = {"column": "D", "header": "SIRET / RPPS", "field": "identifier", "mixed": True}
    assert json.loads(capsys.readouterr().out)["cles"] == {
        "FINESS_ET": {"label": "FINESS ET", "columns": [{"column": "C", "header": "N° FINESS Géographique",
                                                         "field": "finess_et", "mixed": False}]},
        "SIRET": {"label": "SIRET", "columns": [mixed]}, "RPPS": {"label": "RPPS", "columns": [mixed]}}


def test_a_client_siret_also_joins_by_siren(make_xlsx, capsys) -> None:
    path = make_xlsx("clients.xlsx", [["Code client", "Raison sociale", "SIRET"]])
    assert main(["mapping", "suggest", str(path), "--type", "clients"]) == 0
    assert ("Clés de rapprochement : code client (colonne A « Code client »), SIRET (colonne C « SIRET »), "
            "SIREN (déduit d'un autre identifiant)\n") in capsys.readouterr().out


@pytest.mark.parametrize("kind, fix", [
    ("bdc", "ajoutez un code client ou un identifiant (FINESS, SIRET, RPPS…)."),
    ("clients", "ajoutez un identifiant (FINESS, SIRET, RPPS…) que la liste des bons de commande porte aussi."),
])
def test_a_list_without_any_key_says_what_to_add_once(make_xlsx, capsys, kind, fix) -> None:
    path = make_xlsx("l.xlsx", [["N° BDC", "Raison sociale", "Date signature", "Montant HT", "Ville"]])
    assert main(["mapping", "suggest", str(path), "--type", kind]) == 1
    out = capsys.readouterr().out
    assert f"Aucune colonne ne permet de rapprocher cette liste de l'autre : {fix}\n" in out
    assert "Clés de rapprochement" not in out and "Toutes les colonnes obligatoires sont reconnues" not in out
    assert "Au moins un parmi" in out  # the missing group, listed once with the other missing fields
    assert main(["mapping", "suggest", str(path), "--type", kind, "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["cles"] == {}


def test_a_proposed_key_column_is_pointed_at(make_xlsx, capsys) -> None:
    path = make_xlsx("bdc.xlsx", [["N° BDC", "Client", "Numéro FINES", "Date signature", "Montant HT"]])
    assert main(["mapping", "suggest", str(path), "--type", "bdc"]) == 1
    out = capsys.readouterr().out
    assert ("Aucune colonne ne permet de rapprocher cette liste de l'autre : vérifiez la colonne proposée "
            "ci-dessous, ou ajoutez") in out
    assert "→ colonnes proposées : C pour" in out


@pytest.mark.parametrize("args, fragment", [
    (["/nulle/part.xlsx"], "introuvable"),
    (["{tmp}/notes.xlsx"], "Aucune ligne d'en-têtes reconnue"),
    (["{tmp}/notes.xlsx", "--name", "X"], "--save"),
])
def test_suggest_unusable_file_exits_2(make_xlsx, tmp_path: Path, capsys, args, fragment) -> None:
    make_xlsx("notes.xlsx", [["Bonjour"]])
    assert main(["mapping", "suggest", *(a.format(tmp=tmp_path) for a in args)]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


def test_saved_profile_makes_a_failing_workspace_pass(make_workspace, capsys) -> None:
    folder = make_workspace(CLIENTS, BDCS, client_headers=ODD_CLIENT_HEADERS)
    assert main(["validate", "-w", str(folder)]) == 2
    assert "« Raison sociale »" in capsys.readouterr().err
    profile = folder / "mappings" / "crm.json"
    assert main(["mapping", "suggest", str(folder / "clients.xlsx"), "--save", str(profile), "--name", "CRM"]) == 1
    assert "Profil enregistré" in capsys.readouterr().out
    saved = json.loads(profile.read_text(encoding="utf-8"))
    assert saved["nom"] == "CRM" and saved["clients"]["colonnes"]["name"] == "Intitulé établissement"
    assert main(["validate", "-w", str(folder), "--mapping", "crm"]) == 0  # by name, in the workspace
    assert main(["validate", "-w", str(folder), "--mapping", str(profile)]) == 0  # by path
    # The BDC list saved into the same profile keeps the client list's columns.
    assert main(["mapping", "suggest", str(folder / "bdc.xlsx"), "--save", str(profile)]) == 0
    saved = json.loads(profile.read_text(encoding="utf-8"))
    assert saved["nom"] == "CRM" and set(saved) == {"schema_version", "nom", "clients", "bdc"}
    assert saved["bdc"]["colonnes"]["amount_ht"] == "Montant HT"
    assert main(["build", "-w", str(folder), "--mapping", "crm"]) == 0
    assert (folder / "sortie" / "HOP_avance.json").is_file()


def test_mapping_overrides_the_workspace_mapping(make_workspace, capsys) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    data = json.loads((folder / "workspace.json").read_text(encoding="utf-8"))
    data["mapping"] = {"clients": {"name": "Nom commercial"}}  # no such column: the workspace fails alone
    (folder / "workspace.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["validate", "-w", str(folder)]) == 2
    (folder / "vide.json").write_text('{"schema_version": 1}', encoding="utf-8")
    assert main(["validate", "-w", str(folder), "--mapping", "vide.json"]) == 0
    assert main(["validate", "-w", str(folder), "--mapping", "autre"]) == 2
    assert "« autre » est introuvable" in capsys.readouterr().err


def test_clients_sheet_option(make_workspace, make_xlsx) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    # The archive's header names one more field, so it is the sheet chosen by default: its clients are not the BDCs'.
    archive = [[*CLIENT_HEADERS, "SIRET"], ["C9", "Ancien client", FINESS_A, None, "75011", "Paris", None]]
    make_xlsx("two.xlsx", sheets={"Archive": archive, "Clients": [CLIENT_HEADERS, *CLIENTS]}).replace(
        folder / "clients.xlsx")
    assert main(["validate", "-w", str(folder)]) == 1
    assert main(["validate", "-w", str(folder), "--clients-sheet", "Clients"]) == 0
    assert main(["validate", "-w", str(folder), "--clients-sheet", "Clients", "--bdc-sheet", "Absente"]) == 2


def test_profile_saved_with_a_sheet_picks_that_sheet(make_workspace, make_xlsx, tmp_path: Path) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    archive = [[*CLIENT_HEADERS, "SIRET"], ["C9", "Ancien client", FINESS_A, None, "75011", "Paris", None]]
    make_xlsx("two.xlsx", sheets={"Archive": archive, "Clients": [CLIENT_HEADERS, *CLIENTS]}).replace(
        folder / "clients.xlsx")
    profile = tmp_path / "p.json"
    assert main(["mapping", "suggest", str(folder / "clients.xlsx"), "--sheet", "Clients", "--save", str(profile)]) == 0
    assert json.loads(profile.read_text(encoding="utf-8"))["clients"]["feuille"] == "Clients"
    assert main(["validate", "-w", str(folder), "--mapping", str(profile)]) == 0
