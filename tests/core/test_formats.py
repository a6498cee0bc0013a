"""Deposit formats (issue #16): an official-like model imported as data drives build, export and verify.

The model below differs from the reconstructed format in names, nesting and value types
(dates JJ/MM/AAAA, amounts as JSON numbers, the request type as « AVANCE »): nothing in the
code knows it, only `segur-desktop format import`.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from testdata import FINESS_A, FINESS_B, RPPS_A, rendered

from segur_desktop.cli import main
from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.export.verify import verify_bundle
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.validate.schemas import SchemaRegistry
from segur_desktop.core.workspace import load_workspace

AT = parse_instant("2022-11-28T10:00:00+01:00")
CLIENTS = [
    ["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
    ["C2", "Clinique B", FINESS_B, None, "69003", "Lyon"],
    ["C3", "Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"],
]
BDCS = [
    ["BDC-1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 10000, "BDC-1.pdf"],
    ["BDC-2", "C2", "Test DPI", "Avance", date(2022, 9, 15), 12000, "BDC-2.pdf"],
    ["BDC-3", "C3", "Test Cabinet", "Avance", date(2022, 9, 2), 1100, "BDC-3.pdf"],
]
MODEL = {
    "entete": {"versionModele": "3.0", "demandeur": {"siret": "", "raisonSociale": ""},
               "typeDemande": "AVANCE|SOLDE", "nbLignes": 0},
    "lignes": [{
        "numeroDemande": "", "finessGeo": "", "nomEtablissement": "",
        "commande": {"numeroBdc": "", "dateSignature": "", "montantHt": 0},
        "montant": 0, "referencement": {"idReferencement": ""}, "codeGuichet": "",
        "pieces": [{"nature": "", "nomFichier": ""}],
    }],
}
EXAMPLE = {
    "entete": {"versionModele": "3.0", "demandeur": {"siret": "73282932000074", "raisonSociale": "Éditeur"},
               "typeDemande": "AVANCE", "nbLignes": 1},
    "lignes": [{
        "numeroDemande": "HOP-AV-ABCDEFGHIJ", "finessGeo": "010000024", "nomEtablissement": "CH de Bourg",
        "commande": {"numeroBdc": "BDC-1", "dateSignature": "01/09/2022", "montantHt": 10000.0},
        "montant": 3000.0, "referencement": {"idReferencement": "REF-1"}, "codeGuichet": "G-HOP-2022",
        "pieces": [{"nature": "BDC", "nomFichier": "a.pdf"}],
    }],
}


@pytest.fixture
def official(tmp_path: Path) -> tuple[Path, Path]:
    model, example = tmp_path / "modele.json", tmp_path / "exemple.json"
    model.write_text(json.dumps(MODEL, ensure_ascii=False), encoding="utf-8")
    example.write_text(json.dumps(EXAMPLE, ensure_ascii=False), encoding="utf-8")
    return model, example


def import_format(model: Path, example: Path, *extra: str) -> int:
    return main(["format", "import", str(model), "--example", str(example), "--couloir", "HOP", "--type", "avance",
                 *extra])


def test_a_key_without_source_is_reported_then_given_a_constant(official, user_data: Path, capsys) -> None:
    model, example = official
    assert import_format(model, example) == 1  # saved, but incomplete
    out = capsys.readouterr().out
    assert "lignes[].codeGuichet" in out and "sans source" in out
    assert "lignes[].finessGeo" in out and "beneficiaire.finess_et" in out
    saved = json.loads((user_data / "formats" / "officiel-HOP-avance" / "format.json").read_text(encoding="utf-8"))
    assert saved["statut"] == "officiel"
    assert saved["modele"]["lignes"]["$modele"]["codeGuichet"] == {"$a_renseigner": ""}  # kept, never dropped
    assert import_format(model, example, "--replace", "--constant", "lignes[].codeGuichet=G-HOP-2022") == 0
    saved = json.loads((user_data / "formats" / "officiel-HOP-avance" / "format.json").read_text(encoding="utf-8"))
    assert saved["modele"]["lignes"]["$modele"]["codeGuichet"] == {"$constante": "G-HOP-2022"}


def test_an_incomplete_format_makes_its_demandes_errors_not_silent_files(official, make_workspace) -> None:
    model, example = official
    assert import_format(model, example) == 1
    result = run_pipeline(load_workspace(make_workspace(CLIENTS, BDCS)), AT)
    hop = [d for d in result.diagnostics if d.code == "format_incomplet"]
    assert len(hop) == 2 and "lignes[].codeGuichet" in hop[0].message
    assert [d.valid for d in result.demandes if d.couloir.code == "HOP"] == [False, False]
    assert [d.valid for d in result.demandes if d.couloir.code == "MDV"] == [True]


def test_build_export_and_verify_follow_the_imported_format(official, make_workspace, user_data: Path,
                                                            tmp_path: Path) -> None:
    model, example = official
    assert import_format(model, example, "--constant", "lignes[].codeGuichet=G-HOP-2022") == 0
    folder = make_workspace(CLIENTS, BDCS)
    assert main(["build", "-w", str(folder), "--no-register"]) == 0
    written = json.loads((folder / "sortie" / "HOP_avance.json").read_text(encoding="utf-8"))
    schema = json.loads((user_data / "formats" / "officiel-HOP-avance" / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(written)
    assert written["entete"] == {"versionModele": "3.0", "demandeur": {"siret": "73282932000074",
                                                                        "raisonSociale": "Éditeur Test"},
                                 "typeDemande": "AVANCE", "nbLignes": 2}
    first = written["lignes"][0]
    assert first["finessGeo"] == FINESS_A and first["montant"] == 3000.0 and first["codeGuichet"] == "G-HOP-2022"
    assert first["commande"] == {"numeroBdc": "BDC-1", "dateSignature": "01/09/2022", "montantHt": 10000.0}
    mdv = json.loads((folder / "sortie" / "MDV_avance.json").read_text(encoding="utf-8"))
    assert mdv["couloir"] == "MDV" and mdv["demandes"][0]["bonDeCommande"]["montantHT"] == "1100.00"  # reconstructed

    assert main(["export", "-w", str(folder), "--out", str(tmp_path / "out"), "--no-register"]) == 0
    bundle = next((tmp_path / "out").glob("depot_*"))
    lines = json.loads((bundle / "HOP_avance.json").read_text(encoding="utf-8"))["lignes"]
    assert [p["nomFichier"] for line in lines for p in line["pieces"]] == [
        f"{line['numeroDemande']}_BDC.pdf" for line in lines]  # renamed after its demande, as the zip holds it
    check = verify_bundle(bundle)
    assert check.ok, check.problems
    formats = {d.couloir: d.deposit_format for d in check.deposits}
    assert formats["HOP"]["status"] == "officiel" and formats["MDV"]["status"] == "reconstitué"
    assert {f["file"] for f in formats["HOP"]["files"]} >= {"format.json", "schema.json", "modele-officiel.json"}


def test_verify_reads_amounts_through_the_format(official, make_workspace, tmp_path: Path) -> None:
    model, example = official
    import_format(model, example, "--constant", "lignes[].codeGuichet=G")
    folder = make_workspace(CLIENTS, BDCS)
    assert main(["export", "-w", str(folder), "--out", str(tmp_path / "out"), "--no-register"]) == 0
    bundle = next((tmp_path / "out").glob("depot_*"))
    path = bundle / "HOP_avance.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"montant": 3000.0', '"montant": 9000.0'),
                    encoding="utf-8")
    problems = verify_bundle(bundle).problems
    assert any("montant demandé de HOP_avance.json" in p for p in problems)


def test_a_schema_error_of_the_official_format_points_at_the_cell(official, make_workspace, user_data: Path) -> None:
    model, example = official
    import_format(model, example, "--constant", "lignes[].codeGuichet=G")
    schema_path = user_data / "formats" / "officiel-HOP-avance" / "schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["lignes"]["items"]["properties"]["nomEtablissement"]["maxLength"] = 9
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    result = run_pipeline(load_workspace(make_workspace(CLIENTS, BDCS)), AT)
    found = [d for d in result.diagnostics if d.code == "schema"]
    assert {(d.file.endswith("clients.xlsx"), d.row, d.column, d.path) for d in found} == {
        (True, 2, "B", "/nomEtablissement"), (True, 3, "B", "/nomEtablissement")}


BAD_MODELS = {
    "not-json": ("{pas du json", "n'est pas un JSON valide"),
    "empty": ("{}", "est vide"),
    "deep": ('{"a":' * 70 + "1" + "}" * 70, "niveaux"),
    "no-list": ('{"a": {"b": ""}}', "pas de liste"),
}


@pytest.mark.parametrize("content, message", BAD_MODELS.values(), ids=BAD_MODELS.keys())
def test_an_unusable_model_is_exit_2_and_nothing_saved(tmp_path: Path, user_data: Path, capsys,
                                                       content: str, message: str) -> None:
    model = tmp_path / "modele.json"
    model.write_text(content, encoding="utf-8")
    assert main(["format", "import", str(model), "--couloir", "HOP", "--type", "avance"]) == 2
    assert message in capsys.readouterr().err
    assert not (user_data / "formats").exists()


def test_a_huge_model_is_refused(tmp_path: Path, user_data: Path, capsys) -> None:
    model = tmp_path / "modele.json"
    model.write_text('{"lignes": [{"a": "' + "x" * (5 * 1024 * 1024) + '"}]}', encoding="utf-8")
    assert main(["format", "import", str(model), "--couloir", "HOP", "--type", "avance"]) == 2
    assert "5 Mo" in capsys.readouterr().err and not (user_data / "formats").exists()


@pytest.mark.parametrize("extra, message", [
    (["--field", "lignes[].finessGeo=beneficiaire.inconnu"], "n'est pas un champ du produit"),
    (["--field", "lignes[].absente=bdc.numero"], "n'est pas une clé du modèle"),
    (["--constant", "pas.la=1"], "n'est pas une clé du modèle"),
], ids=["unknown-field", "unknown-key", "unknown-constant-key"])
def test_a_mapping_naming_nothing_real_is_exit_2(official, user_data: Path, capsys, extra, message) -> None:
    model, example = official
    assert import_format(model, example, *extra) == 2
    assert message in capsys.readouterr().err and not (user_data / "formats").exists()


def test_an_example_contradicting_its_model_is_exit_2(official, user_data: Path, capsys) -> None:
    model, example = official
    broken = json.loads(example.read_text(encoding="utf-8"))
    broken["lignes"][0]["cleInventee"] = 1
    broken["entete"]["demandeur"] = ["pas", "un", "objet"]
    example.write_text(json.dumps(broken), encoding="utf-8")
    assert import_format(model, example) == 2
    err = capsys.readouterr().err
    assert "contredit le modèle" in err and "lignes[].cleInventee" in err
    assert not (user_data / "formats").exists()


def test_a_broken_format_folder_names_its_file_until_disabled(official, make_workspace, user_data: Path,
                                                              capsys) -> None:
    model, example = official
    import_format(model, example, "--constant", "lignes[].codeGuichet=G")
    spec_path = user_data / "formats" / "officiel-HOP-avance" / "format.json"
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    spec["modele"]["lignes"]["$modele"]["finessGeo"] = {"$champ": "beneficiaire.finess_geo"}  # edited by hand
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    folder = make_workspace(CLIENTS, BDCS)
    capsys.readouterr()
    assert main(["validate", "-w", str(folder), "--no-register"]) == 2
    err = capsys.readouterr().err
    assert str(spec_path) in err and "beneficiaire.finess_geo" in err and "format disable" in err
    assert main(["format", "disable", "officiel-HOP-avance"]) == 0  # the user says to fall back
    assert main(["validate", "-w", str(folder), "--no-register"]) == 0
    assert SchemaRegistry.default().entry("HOP", "avance").format.status == "reconstitué"


def test_the_demo_exports_with_the_built_in_format_and_says_it_is_reconstructed(demo, tmp_path: Path,
                                                                                capsys) -> None:
    assert main(["export", "-w", str(demo), "--out", str(tmp_path / "out"), "--no-register"]) == 1  # its planted errors
    bundle = next((tmp_path / "out").glob("depot_*"))
    capsys.readouterr()
    assert main(["verify", str(bundle)]) == 0
    out = capsys.readouterr().out
    assert "Format reconstitué par Segur Desktop, version 1.0.0 (reconstitué)" in out
    assert "le portail peut encore refuser ces fichiers" in out
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    assert {d["deposit_format"]["id"] for d in manifest["deposits"]} == {"segur-desktop-reconstitue"}


def test_format_list_says_which_format_is_in_force(official, capsys) -> None:
    model, example = official
    import_format(model, example, "--constant", "lignes[].codeGuichet=G")
    capsys.readouterr()
    assert main(["format", "list"]) == 0
    out = capsys.readouterr().out
    assert "HOP       avance   officiel" in out and "HOP       solde    reconstitué" in out
    assert "importez-les avec segur-desktop format import" in out


MS1 = [{"id": "dui", "nom": "Test DUI", "couloir": "MS1", "type_logiciel": "DUI",
        "referencement": {"id": "REF-3", "date": "2022-06-15", "depot_conformite": "2022-06-15"}}]
SOLDE_HEADERS = ["N° BDC", "Code client", "Solution", "Type de demande", "Date de signature", "Montant HT",
                 "Fichier BDC", "Date d'installation", "N° facture", "Date facture", "Fichier facture", "Justificatif",
                 "Fichier MOM/VA"]


@pytest.mark.parametrize("indicator, expected", [("cas 1", "Cas 1"), ("Cas2", "Cas 2")])
def test_an_ms1_solde_carries_the_mss_deployment_indicator(make_workspace, indicator: str, expected: str) -> None:
    row = ["BDC-9", "C1", "Test DUI", "Solde", date(2022, 9, 20), 1000, "BDC-9.pdf", date(2022, 10, 1), "FA-9",
           date(2022, 10, 2), "FA-9.pdf", "VA", "VA-9.pdf"]
    folder = make_workspace(CLIENTS, [[*row, indicator]], bdc_headers=[*SOLDE_HEADERS, "Indicateur Déploiement MSS"],
                            solutions=MS1, pdfs=["BDC-9.pdf", "FA-9.pdf", "VA-9.pdf"])
    result = run_pipeline(load_workspace(folder), AT)
    (d,) = result.demandes
    assert d.valid and rendered(result, d)["indicateurDeploiementMSS"] == expected


def test_an_ms1_solde_without_the_indicator_is_an_error_at_its_row(make_workspace) -> None:
    row = ["BDC-9", "C1", "Test DUI", "Solde", date(2022, 9, 20), 1000, "BDC-9.pdf", date(2022, 10, 1), "FA-9",
           date(2022, 10, 2), "FA-9.pdf", "VA", "VA-9.pdf"]
    folder = make_workspace(CLIENTS, [row], bdc_headers=SOLDE_HEADERS, solutions=MS1,
                            pdfs=["BDC-9.pdf", "FA-9.pdf", "VA-9.pdf"])
    result = run_pipeline(load_workspace(folder), AT)
    (found,) = [d for d in result.diagnostics if d.code == "schema"]
    assert found.row == 2 and "Indicateur Déploiement MSS" in found.message and not result.demandes[0].valid


def test_schemas_check_takes_the_couloir_and_type_a_format_does_not_write(official, make_workspace, capsys) -> None:
    model, example = official
    import_format(model, example, "--constant", "lignes[].codeGuichet=G")
    folder = make_workspace(CLIENTS, BDCS)
    main(["build", "-w", str(folder), "--no-register"])
    path = folder / "sortie" / "HOP_avance.json"  # this format writes no couloir
    capsys.readouterr()
    assert main(["schemas", "check", str(path)]) == 2
    assert "--couloir HOP --type avance" in capsys.readouterr().err
    assert main(["schemas", "check", str(path), "--couloir", "HOP", "--type", "avance"]) == 0
    out = capsys.readouterr().out
    assert "Conforme : 2 demande(s)" in out and "(officiel)" in out


def test_a_constant_takes_the_type_the_model_has_there(official, user_data: Path) -> None:
    model, example = official
    assert import_format(model, example, "--constant", "lignes[].codeGuichet=2.1",
                         "--constant", "entete.nbLignes=3") == 0
    saved = json.loads((user_data / "formats" / "officiel-HOP-avance" / "format.json").read_text(encoding="utf-8"))
    assert saved["modele"]["lignes"]["$modele"]["codeGuichet"] == {"$constante": "2.1"}  # text where the model has text
    assert saved["modele"]["entete"]["nbLignes"] == {"$constante": 3}  # a number where it has a number


def test_an_official_schema_is_taken_as_given_and_the_example_must_pass_it(official, tmp_path: Path,
                                                                           user_data: Path, capsys) -> None:
    model, example = official
    schema = {"type": "object", "required": ["entete", "lignes"],
              "properties": {"lignes": {"type": "array", "items": {
                  "type": "object", "required": ["finessGeo"],
                  "properties": {"finessGeo": {"type": "string", "pattern": "^[0-9]{9}$"}}}}}}
    schema_path = tmp_path / "schema.json"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    assert import_format(model, example, "--schema", str(schema_path), "--constant", "lignes[].codeGuichet=G") == 0
    saved = json.loads((user_data / "formats" / "officiel-HOP-avance" / "schema.json").read_text(encoding="utf-8"))
    assert saved["properties"]["lignes"]["items"]["properties"]["finessGeo"]["pattern"] == "^[0-9]{9}$"
    schema["properties"]["lignes"]["items"]["properties"]["finessGeo"]["pattern"] = "^[A-Z]+$"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    capsys.readouterr()
    assert import_format(model, example, "--schema", str(schema_path), "--replace") == 2
    assert "ne passe pas le schéma fourni" in capsys.readouterr().err


def test_a_format_imported_for_one_vague_writes_that_vague_s_files_only(official, make_workspace, user_data: Path,
                                                                         tmp_path: Path) -> None:
    # « × vague when needed »: the ASP's vague 2 model for HOP avance, vague 1 demandes keep their format.
    model, example = official
    assert import_format(model, example, "--wave", "2", "--constant", "lignes[].codeGuichet=G") == 0
    registry = SchemaRegistry.default()
    assert registry.entry("HOP", "avance", "2").format.official
    assert not registry.entry("HOP", "avance", "1").format.official and registry.entry("HOP", "avance", "1").vague is None
    v2 = [{"id": "dpi2", "nom": "Test DPI 2", "couloir": "HOP", "type_logiciel": "DPI", "vague": "2",
           "referencement": {"id": "REF-V2", "date": "2024-10-01", "depot_conformite": "2024-09-01"}}]
    folder = make_workspace(CLIENTS[:1], [["V2-1", "C1", "Test DPI 2", "Avance", date(2024, 10, 15), 10000, "V2-1.pdf"]],
                            solutions=v2, extra={"date_controle": "2025-01-10T10:00:00+01:00"})
    assert main(["build", "-w", str(folder), "--no-register"]) == 0
    assert sorted(p.name for p in (folder / "sortie").glob("*.json") if p.name != "rapport.json") == [
        "HOP_avance_v2.json"]
    written = json.loads((folder / "sortie" / "HOP_avance_v2.json").read_text(encoding="utf-8"))
    assert written["lignes"][0]["finessGeo"] == FINESS_A
    assert main(["export", "-w", str(folder), "--out", str(tmp_path / "out"), "--no-register"]) == 0
    bundle = next((tmp_path / "out").glob("depot_*"))
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    assert [(d["json"]["file"], d["vague"]) for d in manifest["deposits"]] == [("HOP_avance_v2.json", "2")]
    assert verify_bundle(bundle).ok


def test_format_list_shows_a_format_for_one_wave(official, capsys) -> None:
    model, example = official
    import_format(model, example, "--wave", "2", "--constant", "lignes[].codeGuichet=G")
    capsys.readouterr()
    assert main(["format", "list"]) == 0
    out = capsys.readouterr().out
    assert "HOP       avance   officiel" in out and "vague 2 seulement" in out
    assert "HOP       avance   reconstitué" in out  # the other waves
