"""Couloirs, request types and software kinds as vendors' spreadsheets write them; the user's aliases file."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from segur_desktop.core import datafiles
from segur_desktop.core.couloirs import load_catalog
from segur_desktop.core.datafiles import format_problem
from segur_desktop.core.diagnostics import from_issue
from segur_desktop.core.errors import InputError
from segur_desktop.core.normalise import NormaliseError
from segur_desktop.core.normalise.rows import _couloir, _request_type, _software_kind
from segur_desktop.core.normalise.text import fold_key
from segur_desktop.core.paths import resources_dir


@pytest.fixture(autouse=True)
def fresh_catalog(user_data: Path) -> Iterator[None]:
    """The catalog is cached: read it again from this test's user-data folder, and again after the test."""
    load_catalog.cache_clear()
    yield
    load_catalog.cache_clear()


def user_aliases(user_data: Path, content: object) -> Path:
    path = user_data / "resources" / "aliases.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


# -- fold_key -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("S.A.S.", "sas"), ("MS2_PDE", "ms2pde"), ("MS2 PDE", "ms2pde"), ("ms2-pde", "ms2pde"),
    ("Médico-social MS2 PDE", "medicosocialms2pde"), ("Avance 30 %", "avance30"), ("  ", ""),
])
def test_fold_key(text: str, expected: str) -> None:
    assert fold_key(text) == expected


@given(st.text())
def test_property_fold_key_is_match_key_without_spaces(text: str) -> None:
    key = fold_key(text)
    assert " " not in key and fold_key(key) == key and fold_key(text.upper()) == key


# -- the wordings back offices write -------------------------------------------------------------------------------

COULOIRS = {
    "PHA": ["Pharmacie d'officine", "Officine", "Pharmacie", "PHA", "pharmacie-d'officine"],
    "SAS": ["S.A.S.", "SAS", "Service d'accès aux soins", "Agenda SAS", "s a s"],
    "MS2-PDE": ["MS2_PDE", "MS2 PDE", "ms2-pde", "Médico-social MS2 PDE", "protection de l'enfance", "PDE"],
    "MS2-PDS": ["MS2 PDS", "MS2_PDS", "MS2-PDS", "Médico-social MS2 PDS", "personnes en difficultés spécifiques"],
    "MSS": ["Opérateurs MSSanté", "Opérateur MSSanté", "Messagerie MSSanté", "MSSanté", "MSS", "MS Santé"],
    "RAD": ["Imagerie", "Radiologie", "Imagerie médicale", "RIS", "Radio", "RAD"],
    "BIO": ["Biologie médicale", "Laboratoire", "LBM", "Biologie", "BIO"],
    "HOP": ["Hôpital", "HOPITAL", "Établissement de santé", "ES", "Centre hospitalier", "hop"],
    "MDV": ["Médecine de ville", "Cabinet médical", "MDV", "Cabinet"],
    "MS1": ["MS1", "Médico-social MS1", "ESMS PA/PH", "PA/PH/DOM", "Médico-social MS1 (PA/PH/DOM)", "ms-1"],
}


@pytest.mark.parametrize(("code", "text"), [(code, text) for code, texts in COULOIRS.items() for text in texts])
def test_couloir_wordings(code: str, text: str) -> None:
    couloir = load_catalog().couloir(text)
    assert couloir is not None and couloir.code == code


REQUEST_TYPES = {
    "avance": ["Avance", "Demande d'avance", "AV", "Acompte", "Avance 30 %", "avance 30%", "1ère demande", "A"],
    "solde": ["Solde", "Demande de solde", "SO", "Solde 70 %", "SOLDE 70%", "S"],
}


@pytest.mark.parametrize(("code", "text"), [(code, text) for code, texts in REQUEST_TYPES.items() for text in texts])
def test_request_type_wordings(code: str, text: str) -> None:
    assert load_catalog().request_type(text) == code


SOFTWARE_KINDS = {
    "LOINC": ["Transcodeur LOINC", "Transcodage LOINC", "LOINC", "transcodeurs loinc"],
    "SGL": ["Système de gestion de laboratoire", "SIL", "SGL"],
    "LGO": ["Logiciel de gestion d'officine", "LGO"],
    "LGC": ["Logiciel de gestion de cabinet", "LGC", "lgc"],
    "DPI": ["Dossier patient informatisé", "DPI", "Dossier Patient Informatise"],
    "RI": ["Référentiel identité", "Référentiel d'identité", "RI"],
    "PFI": ["Plateforme d'intermédiation", "PFI", "Plate-forme d'intermédiation"],
    "RIS": ["RIS", "Système d'information de radiologie"],
    "DUI": ["Dossier usager informatisé", "DUI"],
    "MSS": ["Messagerie", "MSS", "Opérateur MSSanté"],
    "SAS": ["Agenda SAS", "Solution SAS", "SAS", "S.A.S."],
}


@pytest.mark.parametrize(("code", "text"), [(code, text) for code, texts in SOFTWARE_KINDS.items() for text in texts])
def test_software_kind_wordings(code: str, text: str) -> None:
    assert load_catalog().software_kind(text) == code


def test_every_code_and_label_names_itself() -> None:
    catalog = load_catalog()
    for code, couloir in catalog.couloirs.items():
        assert catalog.couloir(code) == catalog.couloir(couloir.label) == couloir
        for kind in couloir.software_kinds:
            assert catalog.software_kind(kind) == kind
    assert catalog.software_kinds == ("DPI", "RI", "PFI", "LGC", "SGL", "LOINC", "RIS", "LGO", "DUI", "MSS", "SAS")


@pytest.mark.parametrize("text", ["Médico-social", "medico social", "ESMS", "MS2", "Dentaire", "", "---", "HOP MDV"])
def test_ambiguous_or_unknown_couloirs_stay_unknown(text: str) -> None:
    assert load_catalog().couloir(text) is None


@pytest.mark.parametrize(("text", "kind"), [("Facture", "request"), ("Avance 50 %", "request"), ("ERP", "software"),
                                            ("Dossier", "software"), ("", "software")])
def test_unknown_types_stay_unknown(text: str, kind: str) -> None:
    catalog = load_catalog()
    assert (catalog.request_type(text) if kind == "request" else catalog.software_kind(text)) is None


def test_bundled_aliases_fit_their_schema() -> None:
    schema = json.loads((resources_dir() / "aliases.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    data = json.loads((resources_dir() / "aliases.json").read_text(encoding="utf-8"))
    assert format_problem(data, "aliases.schema.json") is None
    assert data["description"] and data["source"]


# -- one alias, one code ---------------------------------------------------------------------------------------------

def test_an_alias_given_to_two_couloirs_is_refused(user_data: Path) -> None:
    path = user_aliases(user_data, {"schema_version": 1,
                                    "couloirs": {"MS1": ["Médico-social"], "MS2-PDS": ["MEDICO SOCIAL"]}})
    with pytest.raises(InputError) as refused:
        load_catalog()
    assert str(path) in str(refused.value)
    assert "« MEDICO SOCIAL » (comme « Médico-social ») désigne à la fois MS1 et MS2-PDS" in str(refused.value)


def test_the_bundled_file_is_checked_the_same_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = tmp_path / "app" / "resources"
    bundled.mkdir(parents=True)
    for name in ("couloirs.json", "aliases.schema.json"):
        shutil.copy(resources_dir() / name, bundled / name)
    data = json.loads((resources_dir() / "aliases.json").read_text(encoding="utf-8"))
    data["types_logiciel"]["RIS"].append("Messagerie")  # MSS's too
    (bundled / "aliases.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(datafiles, "resources_dir", lambda: bundled)
    with pytest.raises(InputError, match="section « types_logiciel »") as refused:
        load_catalog()
    assert str(bundled / "aliases.json") in str(refused.value)
    assert "« Messagerie » désigne à la fois RIS et MSS." in str(refused.value)


def test_an_alias_cannot_take_another_codes_own_name(user_data: Path) -> None:
    user_aliases(user_data, {"schema_version": 1, "couloirs": {"MDV": ["Hôpital"]}})
    with pytest.raises(InputError, match="« Hôpital » est le nom de HOP : il ne peut pas désigner MDV"):
        load_catalog()


@pytest.mark.parametrize(("content", "expected"), [
    ({"schema_version": 1, "couloirs": {"HOPP": ["Clinique"]}}, "« HOPP » n'est pas un code connu ; codes connus : HOP, MDV"),
    ({"schema_version": 1, "types_logiciel": {"ERP": ["Gestion"]}}, "« ERP » n'est pas un code connu"),
    ({"schema_version": 1, "types_demande": {"avance": ["%"]}}, "l'alias « % » de avance n'a ni lettre ni chiffre"),
])
def test_unknown_codes_and_empty_aliases_are_refused(user_data: Path, content: dict, expected: str) -> None:
    path = user_aliases(user_data, content)
    with pytest.raises(InputError, match=expected) as refused:
        load_catalog()
    assert str(path) in str(refused.value)


# -- the user's aliases are added to the bundled ones ----------------------------------------------------------------

def test_user_aliases_add_to_the_bundled_ones(user_data: Path) -> None:
    user_aliases(user_data, {"schema_version": 1,
                             "couloirs": {"PHA": ["Parapharmacie"]},
                             "types_demande": {"solde": ["Reliquat"]},
                             "types_logiciel": {"LOINC": ["Codage LOINC"]}})
    catalog = load_catalog()
    assert catalog.couloir("PARAPHARMACIE").code == "PHA"
    assert catalog.request_type("reliquat") == "solde"
    assert catalog.software_kind("Codage-LOINC") == "LOINC"
    assert catalog.couloir("Pharmacie d'officine").code == "PHA"  # the bundled ones stay
    assert catalog.request_type("Acompte") == "avance"
    assert catalog.software_kind("Transcodeur LOINC") == "LOINC"


def test_a_user_alias_re_points_a_bundled_one(user_data: Path) -> None:
    assert load_catalog().couloir("Cabinet").code == "MDV"
    load_catalog.cache_clear()
    user_aliases(user_data, {"schema_version": 1, "couloirs": {"RAD": ["CABINET"]}})  # a radiology vendor's "cabinet"
    catalog = load_catalog()
    assert catalog.couloir("Cabinet").code == "RAD"
    assert catalog.couloir("Cabinet médical").code == "MDV"


@pytest.mark.parametrize(("content", "expected"), [
    ("{ pas du json", "n'est pas un JSON valide"),
    ({"schema_version": 1, "couloirs": {"PHA": "Pharmacie"}}, "doit être une liste"),
    ({"schema_version": 1, "couloir": {"PHA": ["Pharmacie"]}}, "champ(s) non prévu(s) par le format : couloir"),
    ({"couloirs": {"PHA": ["Pharmacie"]}}, "« schema_version » est obligatoire"),
    ([], "doit être un groupe de champs"),
])
def test_a_malformed_user_file_is_a_french_error_naming_it(user_data: Path, content: object, expected: str) -> None:
    path = user_aliases(user_data, content)
    with pytest.raises(InputError) as refused:
        load_catalog()
    message = str(refused.value)
    assert str(path) in message and expected in message
    if not isinstance(content, str):
        assert '"couloirs": {"PHA": ["Pharmacie d\'officine"]}' in message  # what an entry looks like
        assert "supprimez-le pour revenir aux alias fournis" in message


def test_a_couloirs_file_that_still_lists_aliases_says_where_they_go(user_data: Path) -> None:
    data = json.loads((resources_dir() / "couloirs.json").read_text(encoding="utf-8"))
    data["couloirs"][0]["alias"] = ["clinique"]
    path = user_data / "resources" / "couloirs.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_catalog()
    assert str(path) in str(refused.value)
    assert f"retirez la liste « alias » de HOP de ce fichier-ci et mettez ses intitulés dans {path.parent / 'aliases.json'}" \
        in str(refused.value)


# -- what the user reads about an unknown value ----------------------------------------------------------------------

@pytest.mark.parametrize(("make", "section", "text", "listed"), [
    (_couloir, "couloirs", "Dentaire", "HOP (Hôpital), MDV (Médecine de ville)"),
    (_couloir, "couloirs", 'Médico-social "MS"', "MS1 (Médico-social MS1 (PA/PH/DOM)), MS2-PDS"),
    (_request_type, "types_demande", "Facture", "avance, solde"),
    (_software_kind, "types_logiciel", "Logiciel métier", "DPI, RI, PFI, LGC, SGL, LOINC"),
])
def test_an_unknown_value_lists_the_known_ones_and_how_to_add_an_alias(user_data: Path, make, section: str, text: str,
                                                                       listed: str) -> None:
    with pytest.raises(NormaliseError) as unknown:
        make(load_catalog())(text)
    diagnostic = from_issue(unknown.value.issue, None)
    assert diagnostic.severity == "error" and listed in diagnostic.message
    aliases_file = user_data / "resources" / "aliases.json"
    assert str(aliases_file) in diagnostic.fix and "s'ajoutent à ceux fournis" in diagnostic.fix
    # The example in the fix is a whole file: pasted there, with the right code, it makes the value known.
    params = unknown.value.issue.params
    example = json.loads(params["example"])
    assert params["example"] in diagnostic.fix and example[section] == {params["example_code"]: [text]}
    user_aliases(user_data, params["example"])
    load_catalog.cache_clear()
    assert make(load_catalog())(text) == (params["example_code"], None)


def test_known_values_normalise_to_their_codes() -> None:
    catalog = load_catalog()
    assert _couloir(catalog)("  Pharmacie d'officine ") == ("PHA", None)
    assert _request_type(catalog)("Solde 70 %") == ("solde", None)
    assert _software_kind(catalog)("Transcodeur LOINC") == ("LOINC", None)
