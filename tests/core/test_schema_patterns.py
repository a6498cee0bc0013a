"""Schema patterns that would make Python's `re` backtrack for seconds are refused when loaded (#17, item 10)."""

import json
import time
from pathlib import Path

import pytest
from testdata import sample_demande as demande

from segur_desktop.core.errors import InputError
from segur_desktop.core.formats.store import format_folders
from segur_desktop.core.paths import schemas_dir
from segur_desktop.core.validate.regexes import patterns, risky
from segur_desktop.core.validate.schemas import SchemaRegistry


def user_schema(folder: Path, pattern: str) -> Path:
    """The built-in HOP avance schema with a raison sociale `pattern`, in `folder/schemas/`."""
    builtin = json.loads((schemas_dir() / "HOP-avance.json").read_text(encoding="utf-8"))
    custom = dict(builtin, **{"$id": "https://segur-desktop.invalid/schemas/1.0.0/HOP-avance-motif.json"})
    custom["$defs"] = {"demande": {"allOf": builtin["$defs"]["demande"]["allOf"],
                                   "properties": {"beneficiaire": {"properties": {
                                       "raisonSociale": {"type": "string", "pattern": pattern}}}}}}
    path = folder / "schemas" / "HOP-avance.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(custom), encoding="utf-8")
    return path


@pytest.mark.parametrize("pattern", ["^(a|aa)+$", "^(a+)+$", r"^(\w+\s?)*$", "^([a-z]{2,})+$", "^(x|)+$",
                                     r"^(?:(?:\d|x)+)+$"])
def test_catastrophic_patterns_are_named(pattern: str) -> None:
    assert risky(pattern)


@pytest.mark.parametrize("pattern", ["^[0-9]{14}$", r"^-?[0-9]+(\.[0-9]+)?$", r"^(\d{2}\s?){5}$", "-(AV|SO)-",
                                     r"^(\d{3} ?)+$", "^(a|b)+$", "^(ab|cd)+$", "^(a|aa)$", "[", r"\p{L}"])
def test_ordinary_and_unreadable_patterns_pass(pattern: str) -> None:
    assert risky(pattern) is None


def test_workspace_schema_with_a_catastrophic_pattern_is_refused_in_french(tmp_path: Path) -> None:
    path = user_schema(tmp_path, "^(a|aa)+$")
    with pytest.raises(InputError) as caught:
        SchemaRegistry.default(tmp_path)
    message = str(caught.value)
    assert str(path) in message and "« ^(a|aa)+$ »" in message and "pourrait bloquer la vérification" in message


def test_user_data_schema_with_a_catastrophic_pattern_is_refused(user_data: Path) -> None:
    user_schema(user_data, "^(a+)+$")
    with pytest.raises(InputError, match=r"\^\(a\+\)\+\$"):
        SchemaRegistry.default()


def test_format_schema_with_a_catastrophic_pattern_is_refused(tmp_path: Path, user_data: Path) -> None:
    folder = user_data / "formats" / "essai"
    folder.mkdir(parents=True)
    for source in schemas_dir().iterdir():
        if source.suffix == ".json":
            (folder / source.name).write_bytes(source.read_bytes())
    fmt = json.loads((folder / "format.json").read_text(encoding="utf-8"))
    fmt.update(format="essai", statut="officiel")
    (folder / "format.json").write_text(json.dumps(fmt), encoding="utf-8")
    common = json.loads((folder / "common.json").read_text(encoding="utf-8"))
    common["$id"] = common["$id"].replace("common", "common-essai")
    common.setdefault("$defs", {})["motif"] = {"type": "string", "pattern": "^(a|aa)+$"}
    (folder / "common.json").write_text(json.dumps(common), encoding="utf-8")
    assert folder in format_folders(user_data / "formats")
    with pytest.raises(InputError, match="common.json"):
        SchemaRegistry.default()


def test_builtin_schemas_load_and_hold_no_refused_pattern() -> None:
    registry = SchemaRegistry.default()
    assert registry.request_errors("HOP", "avance", demande()) == []
    for path in schemas_dir().glob("*.json"):
        for pattern in patterns(json.loads(path.read_text(encoding="utf-8"))):
            assert risky(pattern) is None, (path.name, pattern)


def test_an_accepted_pattern_explains_a_long_value_quickly(tmp_path: Path) -> None:
    user_schema(tmp_path, r"^BDC-(\d{4}-?)+$")  # a variable separator inside a bounded body: accepted
    registry = SchemaRegistry.default(tmp_path)
    bad = demande()
    bad["beneficiaire"]["raisonSociale"] = "BDC-" + "1234" * 10 + "x"
    started = time.perf_counter()
    errors = registry.request_errors("HOP", "avance", bad)
    assert time.perf_counter() - started < 1
    assert [e.validator for e in errors] == ["pattern"]
