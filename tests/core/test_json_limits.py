"""Issue #17, item 4: JSON from outside is parsed within limits, and what breaks them is a French error (exit 2).

A workspace.json, a manifest.json or a deposit file nested 100 000 levels deep,
or holding a 5 000-digit integer, used to end in RecursionError / ValueError and
exit 3. A vendor name over 200 characters passed `validate`, then made `build`
exit 3 when the deposit file broke its schema.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from segur_desktop.cli import main
from segur_desktop.core.calendar import import_calendar
from segur_desktop.core.datafiles import JSON_MAX_DEPTH, load_json, parse_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.manifest import read_manifest
from segur_desktop.core.validate.check import check_deposit_file
from segur_desktop.core.validate.schemas import SchemaRegistry
from segur_desktop.core.workspace import load_workspace

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000
HUGE_INT = '{"schema_version": ' + "9" * 5000 + "}"


def _french(error: pytest.ExceptionInfo[InputError], name: str) -> str:
    text = str(error.value)
    assert name in text and "Traceback" not in text
    return text


@pytest.mark.parametrize("content", [DEEP, DEEP_OBJECT], ids=["array", "object"])
def test_a_deeply_nested_workspace_is_an_input_error(tmp_path: Path, content: str) -> None:
    (tmp_path / "workspace.json").write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_workspace(tmp_path)
    assert f"plus de {JSON_MAX_DEPTH} niveaux" in _french(error, "workspace.json")


def test_a_workspace_with_a_5000_digit_number_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "workspace.json").write_text(HUGE_INT, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_workspace(tmp_path)
    assert "milliers de chiffres" in _french(error, "workspace.json")


@pytest.mark.parametrize("content", [DEEP, HUGE_INT], ids=["deep", "huge-int"])
def test_the_cli_exits_2_not_3(tmp_path: Path, content: str, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "workspace.json").write_text(content, encoding="utf-8")
    assert main(["validate", "--workspace", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "workspace.json" in err and "Erreur inattendue" not in err


@pytest.mark.parametrize("content", [DEEP, HUGE_INT], ids=["deep", "huge-int"])
def test_a_hostile_manifest_is_an_input_error(tmp_path: Path, content: str) -> None:
    (tmp_path / "manifest.json").write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_manifest(tmp_path)
    _french(error, "manifest.json")


@pytest.mark.parametrize("content", [DEEP, HUGE_INT], ids=["deep", "huge-int"])
def test_a_hostile_deposit_file_is_an_input_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "HOP_avance.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as error:
        check_deposit_file(path, SchemaRegistry.default())
    _french(error, "HOP_avance.json")


def test_a_hostile_calendar_import_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "vague3.json"
    path.write_text(DEEP_OBJECT, encoding="utf-8")
    with pytest.raises(InputError) as error:
        import_calendar(path)
    _french(error, "vague3.json")


def test_depth_is_counted_outside_strings_only() -> None:
    at_limit = "[" * JSON_MAX_DEPTH + "]" * JSON_MAX_DEPTH
    assert parse_json(at_limit, name="x.json") is not None
    with pytest.raises(InputError):
        parse_json("[" + at_limit + "]", name="x.json")
    # brackets inside strings (escaped quotes and backslashes too) neither add nor hide depth
    assert parse_json(json.dumps(["[" * 500, "{" * 500, '\\"[[[', "\\"]), name="x.json")[0] == "[" * 500
    hidden = json.dumps(["]" * 500, '\\"]]]]', "\\"])[:-1] + ", " + "[" * 70 + "]" * 70 + "]"
    with pytest.raises(InputError, match="niveaux"):
        parse_json(hidden, name="x.json")


@pytest.mark.parametrize("content", [b'\xef\xbb\xbf{"a": [1]}', '{"a": [1]}'.encode("utf-16"), '{"a": [1]}'],
                         ids=["utf-8 BOM", "utf-16", "str"])
def test_what_json_reads_is_still_read(content: bytes | str) -> None:
    assert parse_json(content, name="x.json") == {"a": [1]}


def test_a_file_over_its_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("wb") as handle:  # sparse: 300 MB that take no room
        handle.truncate(300 * 1024 * 1024)
    with pytest.raises(InputError, match="trop gros"):
        load_json(path)
    small = tmp_path / "small.json"
    small.write_text('{"a": "' + "x" * 2000 + '"}', encoding="utf-8")
    with pytest.raises(InputError, match=r"trop gros \(0,0 Mo, au plus 0,0 Mo"):
        load_json(small, max_bytes=1000)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "workspace.json"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []
    reader = threading.Thread(target=lambda: outcome.append(pytest.raises(InputError, load_json, fifo).value),
                              daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():  # unblock it before failing
        with open(fifo, "wb"):
            pass
        pytest.fail("load_json blocked on a FIFO")
    assert "n'est pas un fichier ordinaire" in str(outcome[0])


def _demo_with(tmp_path: Path, demo: Path, **vendor: str) -> Path:
    folder = tmp_path / "D"
    shutil.copytree(demo, folder, ignore=shutil.ignore_patterns("sortie"))
    data = json.loads((folder / "workspace.json").read_text(encoding="utf-8"))
    data["editeur"] |= vendor
    (folder / "workspace.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def test_a_vendor_name_over_200_characters_is_refused_at_load(tmp_path: Path, demo: Path,
                                                               capsys: pytest.CaptureFixture) -> None:
    folder = _demo_with(tmp_path, demo, raison_sociale="Éditeur " + "x" * 200)
    with pytest.raises(InputError, match="Raison sociale de l'éditeur : la valeur est trop longue"):
        load_workspace(folder)
    for command in ("validate", "build"):
        assert main([command, "--workspace", str(folder)]) == 2
        assert "trop longue (200 caractères au plus)" in capsys.readouterr().err


def test_a_blank_vendor_name_is_refused_at_load(tmp_path: Path, demo: Path) -> None:
    with pytest.raises(InputError, match="Raison sociale de l'éditeur"):
        load_workspace(_demo_with(tmp_path, demo, raison_sociale="   "))


@pytest.mark.parametrize("content", [DEEP, HUGE_INT], ids=["deep", "huge-int"])
def test_a_hostile_register_backup_is_an_input_error(tmp_path: Path, content: str) -> None:
    from segur_desktop.core.register.backup import import_register
    from segur_desktop.core.register.store import Register

    path = tmp_path / "sauvegarde.json"
    path.write_text(content, encoding="utf-8")
    register = Register(tmp_path / "registre.sqlite")
    with pytest.raises(InputError) as error:
        import_register(register, path)
    _french(error, "sauvegarde.json")
