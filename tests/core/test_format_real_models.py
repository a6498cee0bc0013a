"""Official models shaped as administrations really publish them (issue #16): French keys with accents, a list at
the top, placeholders instead of values, whole-number amounts, the vendor repeated in each demande, keys that could
be two fields. Each is imported, then a workspace is built in it and the result checked against its schema."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from segur_desktop.cli import main
from segur_desktop.core.formats.importer import propose
from segur_desktop.core.validate.schemas import SchemaRegistry

CLIENTS = [["C1", "Centre hospitalier A", "010000024", None, "75011", "Paris"]]
BDCS = [["BDC-1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 10000.5, "BDC-1.pdf"]]


def write(folder: Path, name: str, document: object, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding=encoding)
    return path


def built(make_workspace, user_data: Path) -> tuple[object, dict]:
    folder = make_workspace(CLIENTS, BDCS)
    assert main(["build", "-w", str(folder), "--no-register"]) == 0
    written = json.loads((folder / "sortie" / "HOP_avance.json").read_text(encoding="utf-8"))
    schema = json.loads((user_data / "formats" / "officiel-HOP-avance" / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(written)
    return written, schema


def test_a_model_that_is_the_list_itself_with_date_placeholders(tmp_path: Path, make_workspace, user_data: Path) -> None:
    # No example: « JJ/MM/AAAA » says how dates are written, « 0,00 » how amounts are; the list is the file.
    model = write(tmp_path, "modele.json", [{"numeroBdc": "", "finessGeo": "", "dateSignature": "JJ/MM/AAAA",
                                             "montantBdc": "0,00", "typeDemande": "AVANCE"}], "utf-8-sig")
    assert main(["format", "import", str(model), "--couloir", "HOP", "--type", "avance"]) == 0
    written, schema = built(make_workspace, user_data)
    assert schema["type"] == "array"
    assert written == [{"numeroBdc": "BDC-1", "finessGeo": "010000024", "dateSignature": "01/09/2022",
                        "montantBdc": "10000,50", "typeDemande": "AVANCE"}]
    assert SchemaRegistry.default().entry("HOP", "avance").format.official  # the model kept beside is no schema


def test_whole_number_amounts_and_the_vendor_in_each_demande(tmp_path: Path, make_workspace, user_data: Path) -> None:
    model = {"version_modele": "2.0", "demandes": [{"id_demande": "", "demandeur": {"siret": ""}, "finess_et": "",
                                                    "numero_bdc": "", "montant_ht_bdc": 0, "montant_demande": 0}]}
    example = {"version_modele": "2.0", "demandes": [{"id_demande": "X", "demandeur": {"siret": "73282932000074"},
                                                      "finess_et": "010000024", "numero_bdc": "B",
                                                      "montant_ht_bdc": 10000, "montant_demande": 3000}]}
    proposal = propose(write(tmp_path, "m.json", model), couloir="HOP", request_type="avance",
                       example_path=write(tmp_path, "e.json", example))
    fields = {m.path: m.field_id for m in proposal.mapped}
    assert fields["demandes[].demandeur.siret"] == "editeur.siret"  # not the beneficiary's
    assert main(["format", "import", str(tmp_path / "m.json"), "--example", str(tmp_path / "e.json"),
                 "--couloir", "HOP", "--type", "avance"]) == 0
    written, _schema = built(make_workspace, user_data)
    line = written["demandes"][0]
    assert line["montant_ht_bdc"] == 10000.5 and line["demandeur"] == {"siret": "73282932000074"}


def test_french_keys_with_accents_and_the_number_of_a_siret(tmp_path: Path) -> None:
    model = {"éditeur": {"numéroSiret": None}, "demandes": [{"bénéficiaire": {"finessGéographique": None},
                                                              "bonDeCommande": {"numéro": None, "montantHT": None},
                                                              "piècesJointes": [{"nature": None, "nomFichier": None}]}]}
    proposal = propose(write(tmp_path, "m.json", model), couloir="HOP", request_type="avance")
    assert {m.path: m.field_id for m in proposal.mapped} == {
        "éditeur.numéroSiret": "editeur.siret", "demandes[].bénéficiaire.finessGéographique": "beneficiaire.finess_et",
        "demandes[].bonDeCommande.numéro": "bdc.numero", "demandes[].bonDeCommande.montantHT": "bdc.montant_ht",
        "demandes[].piècesJointes[].nature": "pieces[].type", "demandes[].piècesJointes[].nomFichier": "pieces[].fichier"}


def test_a_key_two_fields_fit_equally_is_a_gap_naming_both(tmp_path: Path, capsys) -> None:
    model = write(tmp_path, "m.json", {"lignes": [{"numeroBdc": "", "montantHt": 0, "montantDemande": 0}]})
    assert main(["format", "import", str(model), "--couloir", "HOP", "--type", "avance", "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "  - lignes[].montantHt (le modèle y met 0) (ambiguë : demande.montant_ht ou bdc.montant_ht)" in out


@pytest.mark.parametrize("placeholder", ["string", "<texte>", "A RENSEIGNER"])
def test_without_an_example_a_placeholder_is_never_taken_for_a_fixed_value(tmp_path: Path, placeholder: str) -> None:
    model = write(tmp_path, "m.json", {"lignes": [{"numeroBdc": "", "codeGuichet": placeholder}]})
    proposal = propose(model, couloir="HOP", request_type="avance")
    (gap,) = proposal.gaps
    assert gap.path == "lignes[].codeGuichet" and gap.value == placeholder


def test_a_blank_model_with_empty_lists_takes_their_shape_from_the_example(tmp_path: Path, capsys) -> None:
    model = write(tmp_path, "modele.json", {"versionModele": "1.0", "demandes": []})
    example = write(tmp_path, "exemple.json", {"versionModele": "1.0", "demandes": [
        {"numeroBdc": "B1", "dateSignature": "2022-09-01", "codeGuichet": "G-1"}]})
    proposal = propose(model, couloir="HOP", request_type="avance", example_path=example)
    assert [(m.path, m.field_id or m.how) for m in proposal.mapped] == [
        ("versionModele", "constante"), ("demandes[].numeroBdc", "bdc.numero"),
        ("demandes[].dateSignature", "bdc.date_signature"), ("demandes[].codeGuichet", "à renseigner")]
    assert main(["format", "import", str(model), "--couloir", "HOP", "--type", "avance"]) == 2
    err = capsys.readouterr().err
    assert "« modele.json » n'a pas de liste d'objets" in err and "donnez aussi l'exemple" in err


@pytest.mark.parametrize("field_id, written, codes", [
    ("demande.type", "AVANCE|SOLDE", {"avance": "AVANCE", "solde": "SOLDE"}),
    ("demande.type", "DEMANDE_AVANCE", {"avance": "DEMANDE_AVANCE", "solde": "DEMANDE_SOLDE"}),
    ("demande.type", "Avance", {"avance": "Avance", "solde": "Solde"}),
    ("demande.type", "AVANCE | SOLDE | AVENANT", {"avance": "AVANCE", "solde": "SOLDE"}),
    ("demande.type", "avance", {}),
    ("mss.indicateur_deploiement", "CAS_1", {"Cas 1": "CAS_1", "Cas 2": "CAS_2"}),
    ("demande.type", "A", None),
    ("demande.type", "Demande d'avance", None),
    ("pieces[].type", "Bon de commande", None),
    ("beneficiaire.type_identifiant", "FINESS", None),
])
def test_the_portal_s_codes_are_read_from_the_model_or_never_guessed(field_id: str, written: str, codes) -> None:
    from segur_desktop.core.formats.canonical import canonical_catalog
    from segur_desktop.core.formats.matching import portal_codes

    assert portal_codes(canonical_catalog().fields[field_id], written) == codes


def test_a_request_type_the_product_cannot_read_is_a_gap_not_a_wrong_code(tmp_path: Path, make_workspace,
                                                                         user_data: Path) -> None:
    model = write(tmp_path, "m.json", {"lignes": [{"numeroBdc": "", "typeDemande": ""}]})
    unreadable = write(tmp_path, "a.json", {"lignes": [{"numeroBdc": "B", "typeDemande": "A"}]})
    proposal = propose(model, couloir="HOP", request_type="avance", example_path=unreadable)
    assert [m.path for m in proposal.gaps] == ["lignes[].typeDemande"]  # « A » is no code of the product's
    example = write(tmp_path, "e.json", {"lignes": [{"numeroBdc": "B", "typeDemande": "DEMANDE_AVANCE"}]})
    assert main(["format", "import", str(model), "--example", str(example), "--couloir", "HOP", "--type",
                 "avance"]) == 0
    written, _schema = built(make_workspace, user_data)
    assert written["lignes"] == [{"numeroBdc": "BDC-1", "typeDemande": "DEMANDE_AVANCE"}]


def test_a_date_the_example_writes_as_a_midnight_instant_is_written_so(tmp_path: Path, make_workspace,
                                                                       user_data: Path) -> None:
    model = write(tmp_path, "m.json", {"demandes": [{"numeroBdc": None, "dateSignature": None}]})
    example = write(tmp_path, "e.json", {"demandes": [{"numeroBdc": "B", "dateSignature": "2022-09-01T00:00:00.000Z"}]})
    assert main(["format", "import", str(model), "--example", str(example), "--couloir", "HOP", "--type",
                 "avance"]) == 0
    written, _schema = built(make_workspace, user_data)
    assert written["demandes"] == [{"numeroBdc": "BDC-1", "dateSignature": "2022-09-01T00:00:00.000Z"}]
    from segur_desktop.core.validate.schemas import SchemaRegistry

    template = SchemaRegistry.default().entry("HOP", "avance").template
    assert template.read_demande(written["demandes"][0])["bdc.date_signature"] == date(2022, 9, 1)


def test_a_null_the_example_fills_with_an_object_takes_its_shape(tmp_path: Path) -> None:
    model = write(tmp_path, "m.json", {"demandes": [{"numeroBdc": None, "beneficiaire": None, "pieces": None}]})
    example = write(tmp_path, "e.json", {"demandes": [{"numeroBdc": "B", "beneficiaire": {"finessGeo": "010000024"},
                                                       "pieces": [{"nature": "BDC", "nomFichier": "b.pdf"}]}]})
    proposal = propose(model, couloir="HOP", request_type="avance", example_path=example)
    assert {m.path: m.field_id for m in proposal.mapped} == {
        "demandes[].numeroBdc": "bdc.numero", "demandes[].beneficiaire.finessGeo": "beneficiaire.finess_et",
        "demandes[].pieces[].nature": "pieces[].type", "demandes[].pieces[].nomFichier": "pieces[].fichier"}


def test_a_format_writing_no_demande_id_is_said_at_import_and_refused_by_the_register(
        tmp_path: Path, make_workspace, capsys) -> None:
    # The register keys demandes by their id: without it every demande read back was « », and recording two of them
    # crashed (IntegrityError: UNIQUE constraint failed) after the bundle was published.
    clients = [*CLIENTS, ["C2", "Clinique B", "690000880", None, "69003", "Lyon"]]
    bdcs = [*BDCS, ["BDC-2", "C2", "Test DPI", "Avance", date(2022, 9, 15), 12000, "BDC-2.pdf"]]
    model = write(tmp_path, "m.json", {"lignes": [{"numeroBdc": "", "finessGeo": ""}]})
    assert main(["format", "import", str(model), "--couloir", "HOP", "--type", "avance"]) == 0
    assert "n'écrit pas l'identifiant de la demande (demande.id)" in capsys.readouterr().out
    folder = make_workspace(clients, bdcs)
    assert main(["export", "-w", str(folder), "--out", str(tmp_path / "out")]) == 2  # refused before writing
    said = capsys.readouterr()
    assert "« officiel-HOP-avance » de « HOP avance » n'écrit pas l'identifiant de la demande" in said.err
    assert "IntegrityError" not in said.out + said.err
    assert not list((tmp_path / "out").glob("depot_*"))  # no bundle the register would then refuse at every opening
    assert main(["export", "-w", str(folder), "--out", str(tmp_path / "out"), "--no-register"]) == 0


def test_a_model_documented_with_comments_is_read_without_them(tmp_path: Path) -> None:
    model = tmp_path / "modele.json"
    model.write_text('\ufeff// Modèle de fichier de demandes\n{"url": "http://asp//x", "lignes": [{\n'
                     '  "numeroBdc": "", /* référence du BDC */\n  "note": "/* pas un commentaire */" // à renseigner\n'
                     '}]}', encoding="utf-8")
    proposal = propose(model, couloir="HOP", request_type="avance")
    assert [(m.path, m.field_id, m.value) for m in proposal.mapped] == [
        ("url", None, "http://asp//x"), ("lignes[].numeroBdc", "bdc.numero", ""),
        ("lignes[].note", None, "/* pas un commentaire */")]


def test_a_model_broken_otherwise_keeps_its_french_error(tmp_path: Path, capsys) -> None:
    model = tmp_path / "modele.json"
    model.write_text('{"url": "http://asp//x", "lignes": [{"numeroBdc": "",}]}', encoding="utf-8")
    assert main(["format", "import", str(model), "--couloir", "HOP", "--type", "avance"]) == 2
    err = capsys.readouterr().err
    assert "« " + str(model) + " » n'est pas un JSON valide" in err and "virgule en trop" in err


def test_a_gap_says_what_the_example_writes_there(tmp_path: Path, capsys) -> None:
    model = write(tmp_path, "m.json", {"versionFormat": "", "lignes": [{"numeroBdc": "", "codeGuichet": None}]})
    example = write(tmp_path, "e.json", {"versionFormat": "1.2", "lignes": [{"numeroBdc": "B", "codeGuichet": "G-7"}]})
    assert main(["format", "import", str(model), "--example", str(example), "--couloir", "HOP", "--type", "avance",
                 "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert '  - versionFormat (l\'exemple y met "1.2")' in out and '  - lignes[].codeGuichet (l\'exemple y met "G-7")' in out


def test_a_count_written_as_text_stays_text_and_a_number_is_no_siret(tmp_path: Path, make_workspace,
                                                                      user_data: Path) -> None:
    model = write(tmp_path, "m.json", {"nbDemandes": "0", "siretEditeur": 0,
                                       "demandes": [{"numeroDemande": "", "numeroBdc": ""}]})
    example = write(tmp_path, "e.json", {"nbDemandes": "1", "siretEditeur": 73282932000074,
                                         "demandes": [{"numeroDemande": "HOP-AV-X", "numeroBdc": "B"}]})
    proposal = propose(model, couloir="HOP", request_type="avance", example_path=example)
    assert [m.path for m in proposal.gaps] == ["siretEditeur"]  # the product writes a SIRET as text, never a number
    assert main(["format", "import", str(model), "--example", str(example), "--couloir", "HOP", "--type", "avance",
                 "--constant", "siretEditeur=73282932000074"]) == 0
    written, _schema = built(make_workspace, user_data)
    assert written["nbDemandes"] == "1" and written["siretEditeur"] == 73282932000074
    from segur_desktop.core.validate.schemas import SchemaRegistry

    template = SchemaRegistry.default().entry("HOP", "avance").template
    assert template.read_file(written)[0]["fichier.nombre_demandes"] == 1


def test_the_json_report_gives_a_gap_s_candidates_and_example(tmp_path: Path, capsys) -> None:
    model = write(tmp_path, "m.json", {"lignes": [{"numeroBdc": "", "montantHt": None}]})
    example = write(tmp_path, "e.json", {"lignes": [{"numeroBdc": "B", "montantHt": 3000.5}]})
    assert main(["format", "import", str(model), "--example", str(example), "--couloir", "HOP", "--type", "avance",
                 "--dry-run", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    (gap,) = [m for m in report["mapping"] if m["path"] == "lignes[].montantHt"]
    assert gap == {"path": "lignes[].montantHt", "field": None, "how": "à renseigner", "value": None, "example": 3000.5,
                   "candidates": ["demande.montant_ht", "bdc.montant_ht"]}
    assert report["missing"] == ["lignes[].montantHt"]


def test_an_amount_chosen_later_for_a_whole_number_key_is_drafted_as_a_number(tmp_path: Path) -> None:
    # The window's dropdown: « montant » (3000 in the example) fits two fields; the user picks one afterwards.
    model = write(tmp_path, "m.json", {"lignes": [{"numeroBdc": "", "montantHt": 0}]})
    example = write(tmp_path, "e.json", {"lignes": [{"numeroBdc": "B", "montantHt": 3000}]})
    proposal = propose(model, couloir="HOP", request_type="avance", example_path=example)
    item = proposal.schema["properties"]["lignes"]["items"]["properties"]
    assert item["montantHt"]["type"] == "integer"  # no field yet: what the example shows
    proposal.choose("lignes[].montantHt", field_id="bdc.montant_ht")
    assert item["montantHt"]["type"] == "number"


def test_a_couloir_the_portal_names_otherwise_is_a_gap_showing_its_example(tmp_path: Path) -> None:
    model = write(tmp_path, "m.json", {"couloir": "", "lignes": [{"numeroBdc": ""}]})
    named = write(tmp_path, "e.json", {"couloir": "HOPITAL", "lignes": [{"numeroBdc": "B"}]})
    proposal = propose(model, couloir="HOP", request_type="avance", example_path=named)
    assert [(m.path, m.example) for m in proposal.gaps] == [("couloir", "HOPITAL")]
    coded = write(tmp_path, "c.json", {"couloir": "MDV", "lignes": [{"numeroBdc": "B"}]})  # another couloir's example
    proposal = propose(model, couloir="HOP", request_type="avance", example_path=coded)
    assert {m.path: m.field_id for m in proposal.mapped}["couloir"] == "demande.couloir"
