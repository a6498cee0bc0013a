"""Every write or read the product does says an operating-system error in French, naming the file and what to
do (#18): never the C library's English (« Permission denied », « No space left on device »)."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from segur_desktop.core import datafiles, profiles
from segur_desktop.core import workspace as workspace_module
from segur_desktop.core.errors import InputError
from segur_desktop.core.export import bundle
from segur_desktop.core.register import backup, register_for
from segur_desktop.core.workspace import edit_workspace, load_workspace

ENGLISH = [os.strerror(number) for number in (errno.EACCES, errno.ENOSPC, errno.EROFS, errno.EBUSY, errno.ENOENT)]


def failing(number: int):
    def fail(*_args, **_kwargs):
        raise OSError(number, os.strerror(number))
    return fail


def french(message: str) -> str:
    for english in ENGLISH:
        assert english not in message
    return message


@pytest.fixture
def demo_copy(tmp_path: Path, demo: Path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(demo, folder, ignore=shutil.ignore_patterns("sortie"))
    return folder


def test_an_export_into_a_folder_without_rights_says_permission_refusee(demo_copy: Path, tmp_path: Path,
                                                                        monkeypatch) -> None:
    workspace = load_workspace(demo_copy)
    monkeypatch.setattr(bundle, "remove_stale", failing(errno.EACCES))  # a folder the account cannot write in
    with pytest.raises(InputError) as raised:
        bundle.export_workspace(workspace, workspace.judged_at, tmp_path / "depot")
    message = french(str(raised.value))
    assert "permission refusée" in message
    assert str(tmp_path / "depot") in message
    assert "Choisissez un dossier où vous avez le droit d'écrire" in message


def test_a_register_backup_to_a_full_disk_says_disque_plein(demo_copy: Path, tmp_path: Path, monkeypatch) -> None:
    register = register_for(load_workspace(demo_copy))
    monkeypatch.setattr(backup, "write_atomic", failing(errno.ENOSPC))
    target = tmp_path / "sauvegarde.json"
    with pytest.raises(InputError) as raised:
        backup.export_register(register, target)
    message = french(str(raised.value))
    assert "disque plein" in message and str(target) in message
    assert "Libérez de la place" in message


def test_a_workspace_saved_on_a_read_only_medium_says_so(demo_copy: Path, monkeypatch) -> None:
    monkeypatch.setattr(workspace_module, "write_atomic", failing(errno.EROFS))
    with pytest.raises(InputError) as raised:
        edit_workspace(demo_copy, output=Path("sortie2"))
    message = french(str(raised.value))
    assert "lecture seule" in message and str(demo_copy) in message


def test_a_mapping_profile_on_a_locked_file_says_to_close_it(demo_copy: Path, tmp_path: Path, monkeypatch) -> None:
    profile = profiles.MappingProfile("essai", None, {"clients": {"code_client": "Code client"}}, {})
    monkeypatch.setattr(profiles, "write_atomic", failing(errno.EBUSY))
    with pytest.raises(InputError) as raised:
        profiles.save_profile(profile, tmp_path / "profil.json")
    message = french(str(raised.value))
    assert "verrouillé" in message and "Fermez le fichier" in message


def test_an_unreadable_json_file_says_why_in_french(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "calendrier.json"
    path.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(Path, "read_bytes", failing(errno.EACCES))
    with pytest.raises(InputError) as raised:
        datafiles.read_limited(path, 1000)
    message = french(str(raised.value))
    assert "permission refusée" in message and str(path) in message


def test_json_that_is_not_text_says_so_without_the_codec_message(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        datafiles.parse_json(b"\x85\x00\x85\x00\xff", name=tmp_path / "x.json")
    message = str(raised.value)
    assert "codec" not in message and "UTF-8" in message
