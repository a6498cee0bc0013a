"""The schema registry: every couloir and type, overrides, two engines with one verdict."""

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator
from testdata import sample_demande as demande

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.couloirs import load_catalog
from segur_desktop.core.paths import resources_dir, schemas_dir
from segur_desktop.core.validate.schemas import SchemaRegistry


def test_every_couloir_and_type_has_a_schema() -> None:
    registry = SchemaRegistry.default()
    for code in load_catalog().couloirs:
        for kind in ("avance", "solde"):
            entry = registry.entry(code, kind)
            assert entry is not None and entry.version == "1.0.0" and entry.origin == "intégré"


@pytest.mark.parametrize("path", sorted(schemas_dir().glob("*.json")), ids=lambda p: p.name)
def test_builtin_schemas_are_valid_2020_12(path: Path) -> None:
    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_valid_and_invalid_demandes() -> None:
    registry = SchemaRegistry.default()
    assert registry.request_errors("HOP", "avance", demande()) == []
    bad = demande()
    bad["bonDeCommande"]["dateSignature"] = "2022-02-31"
    bad["beneficiaire"]["typeIdentifiant"] = "RPPS"  # not accepted for HOP
    errors = registry.request_errors("HOP", "avance", bad)
    assert {e.validator for e in errors} == {"format", "enum"}
    assert registry.request_errors("XYZ", "avance", demande()) is None


def test_many_demandes_checked_in_one_call() -> None:
    registry = SchemaRegistry.default()
    bad = demande()
    bad["bonDeCommande"]["dateSignature"] = "2022-02-31"
    assert registry.requests_valid("HOP", "avance", [demande(), demande()]) is True
    assert registry.requests_valid("HOP", "avance", [demande(), bad, demande()]) is False
    assert registry.requests_valid("HOP", "avance", []) is True
    assert registry.requests_valid("XYZ", "avance", [demande()]) is None


def test_engines_disagreeing_keeps_the_stricter_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = SchemaRegistry.default()
    bad = demande()
    bad["montantDemandeHT"] = "3.5"
    monkeypatch.setattr(Draft202012Validator, "iter_errors", lambda self, instance: iter(()))
    errors = registry.request_errors("HOP", "avance", bad)
    assert len(errors) == 1 and errors[0].validator == "jsonschema-rs"
    assert list(errors[0].path) == ["montantDemandeHT"]


def test_titles_prefer_the_property_title() -> None:
    titles = SchemaRegistry.default().titles("HOP", "solde")
    assert titles[("bonDeCommande", "numero")] == "Numéro du bon de commande"
    assert titles[("piecesJustificatives", "*", "nomFichier")] == "Nom du fichier de la pièce"


def test_workspace_schema_overrides_builtin(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    folder.mkdir()
    builtin = json.loads((schemas_dir() / "HOP-avance.json").read_text(encoding="utf-8"))
    custom = dict(builtin, **{"$id": "https://segur-desktop.invalid/schemas/1.0.0/HOP-avance-v2.json",
                              "x-version": "2.0.0"})
    custom["$defs"] = {"demande": {"allOf": builtin["$defs"]["demande"]["allOf"],
                                   "properties": {"montantDemandeHT": {"const": "0.00"}}}}
    (folder / "HOP-avance.json").write_text(json.dumps(custom), encoding="utf-8")
    registry = SchemaRegistry.default(tmp_path)
    entry = registry.entry("HOP", "avance")
    assert (entry.version, entry.origin, entry.path) == ("2.0.0", "dossier de travail", folder / "HOP-avance.json")
    assert [e.validator for e in registry.request_errors("HOP", "avance", demande())] == ["const"]


def test_schema_with_a_dangling_reference_is_a_french_error(tmp_path: Path) -> None:
    from segur_desktop.core.errors import InputError

    folder = tmp_path / "schemas"
    folder.mkdir()
    broken = {"$id": "https://elsewhere.invalid/HOP-avance.json", "x-couloir": "HOP", "x-type": "avance",
              "$defs": {"demande": {"$ref": "common.json#/$defs/demandeAvance"}}}
    (folder / "HOP-avance.json").write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(InputError, match="HOP-avance.json» est inutilisable|HOP-avance.json » est inutilisable"):
        SchemaRegistry.default(tmp_path).request_errors("HOP", "avance", demande())


@pytest.mark.parametrize("path", sorted(schemas_dir().glob("*.json")), ids=lambda p: p.name)
def test_every_property_has_a_french_title_and_description(path: Path) -> None:
    missing = []

    def walk(node: object, where: str) -> None:
        if not isinstance(node, dict):
            return
        for name, sub in node.get("properties", {}).items():
            missing.extend(f"{where}/{name}: {k}" for k in ("title", "description") if k not in sub)
            walk(sub, f"{where}/{name}")
        for name, sub in node.get("$defs", {}).items():
            walk(sub, f"{where}/$defs/{name}")
        for sub in node.get("allOf", []):
            walk(sub, where)
        walk(node.get("items"), f"{where}/items")

    walk(json.loads(path.read_text(encoding="utf-8")), "")
    assert missing == []


def _instant_validators() -> tuple[Draft202012Validator, object]:
    """The manifest's instant, under both engines read_manifest uses: the pattern must mean the same to each."""
    schema = json.loads((resources_dir() / "export-manifest.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    instant = dict(schema["$defs"]["instant"], type=["string", "null"])
    return Draft202012Validator(instant), jsonschema_rs.validator_for(dict(instant, **{"$schema": schema["$schema"]}))


@pytest.mark.parametrize("value", [
    datetime(2026, 1, 5, 9, 30, tzinfo=PARIS).isoformat(timespec="seconds"),  # generated_at
    datetime(2022, 11, 28, 10, 0, 0, 123456, tzinfo=PARIS).isoformat(),  # at, given to the microsecond
    datetime(2022, 7, 1, 14, 0, tzinfo=PARIS).isoformat(),  # summer time
    datetime(2022, 11, 30, 13, 0, tzinfo=UTC).isoformat(),
    datetime(1900, 1, 1, tzinfo=PARIS).isoformat(),  # Paris mean time: an offset in seconds
    "2022-11-30T13:00:00Z",
    None,  # a closing not published
])
def test_the_manifest_takes_every_instant_the_export_writes(value: str | None) -> None:
    python, rust = _instant_validators()
    assert python.is_valid(value) and rust.is_valid(value)


@pytest.mark.parametrize("value", ["hier", "", "2022-11-30", "2022-11-30T14:00:00", "30/11/2022 14:00",
                                   "2022-11-30 14:00:00+01:00", "le 2022-11-30T14:00:00+01:00", 20221130])
def test_the_manifest_refuses_what_is_not_an_instant_with_its_offset(value: object) -> None:
    python, rust = _instant_validators()
    assert not python.is_valid(value) and not rust.is_valid(value)
