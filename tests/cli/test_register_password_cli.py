"""`segur-desktop register password` (issue #20): the shared register's password asked twice, never echoed, kept in
the system's keyring under « user@host:port/db », never in a file of ours nor on the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from memory_keyring import memory_keyring_fixture  # noqa: F401 - the `memory_keyring` fixture

from segur_desktop.cli import main
from segur_desktop.core.register.password import SERVICE

URL = "postgresql://jean@pg.example.lan/segur"


@pytest.fixture
def typed(monkeypatch) -> list[str]:
    """What the user types at each getpass prompt, and the prompts asked (getpass never echoes)."""
    answers: list[str] = []
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return answers.pop(0)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    answers.extend(["s3cret", "s3cret"])
    return prompts


def test_the_password_goes_to_the_keyring_and_nowhere_else(memory_keyring, typed, capsys, tmp_path: Path) -> None:
    assert main(["register", "password", URL]) == 0
    assert memory_keyring.entries == {(SERVICE, "jean@pg.example.lan:5432/segur"): "s3cret"}
    assert typed == ["Mot de passe de jean@pg.example.lan:5432/segur : ", "Le même, encore une fois : "]
    out = capsys.readouterr()
    assert "Mot de passe enregistré dans le trousseau du système" in out.out and "s3cret" not in out.out + out.err
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and b"s3cret" in p.read_bytes()]


def test_the_url_comes_from_the_workspace_setting(memory_keyring, typed, make_workspace) -> None:
    folder = make_workspace([], [], extra={"registre": URL})
    assert main(["register", "password", "-w", str(folder)]) == 0
    assert memory_keyring.entries[(SERVICE, "jean@pg.example.lan:5432/segur")] == "s3cret"
    assert "s3cret" not in (folder / "workspace.json").read_text(encoding="utf-8")
    assert json.loads((folder / "workspace.json").read_text(encoding="utf-8"))["registre"] == URL


def test_different_entries_no_user_no_setting_or_no_terminal_store_nothing(memory_keyring, monkeypatch, capsys,
                                                                          make_workspace) -> None:
    answers = iter(["s3cret", "autre"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["register", "password", URL]) == 2
    assert "Les deux saisies diffèrent" in capsys.readouterr().err
    assert main(["register", "password", "postgresql://pg.example.lan/segur"]) == 2
    assert "ne nomme pas d'utilisateur" in capsys.readouterr().err
    assert main(["register", "password", "-w", str(make_workspace([], []))]) == 2
    assert "Aucun registre partagé n'est réglé" in capsys.readouterr().err

    def no_terminal(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("getpass.getpass", no_terminal)
    assert main(["register", "password", URL]) == 2
    assert "Aucun mot de passe saisi" in capsys.readouterr().err
    assert memory_keyring.entries == {}


def test_a_computer_without_a_keyring_is_said_before_the_password_is_asked(memory_keyring, typed, capsys) -> None:
    keyring.set_keyring(fail.Keyring())  # memory_keyring puts the one before back
    assert main(["register", "password", URL]) == 2
    assert "Aucun trousseau du système" in capsys.readouterr().err
    assert typed == []  # nothing typed for nothing
