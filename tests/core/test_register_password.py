"""A shared register's password in the system's keyring (issue #20): stored under « user@host:port/db », handed to
psycopg when the URL names a user and no password, .pgpass otherwise; never written into a file of ours."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from memory_keyring import memory_keyring_fixture  # noqa: F401 - the `memory_keyring` fixture

from segur_desktop.core.errors import InputError
from segur_desktop.core.register.password import SERVICE, keyring_account, store_password, stored_password


@pytest.mark.parametrize(("url", "account"), [
    ("postgresql://jean@pg.example.lan/segur", "jean@pg.example.lan:5432/segur"),
    ("postgres://jean@pg.example.lan:6543/segur", "jean@pg.example.lan:6543/segur"),
    ("postgresql://j%40n@pg/segur", "j@n@pg:5432/segur"),
    ("postgresql://jean@pg", "jean@pg:5432/jean"),  # libpq's default database: the user's name
    ("postgresql://pg.example.lan/segur", None),  # no user: the system user's, only .pgpass can serve it
])
def test_the_keyring_account_names_user_server_port_and_database(url, account) -> None:
    assert keyring_account(url) == account


def test_a_stored_password_is_found_again_for_any_spelling_of_the_same_database(memory_keyring, tmp_path: Path) -> None:
    account = store_password("postgresql://jean@pg.example.lan/segur", "s3cret")
    assert account == "jean@pg.example.lan:5432/segur"
    assert memory_keyring.entries == {(SERVICE, account): "s3cret"}
    assert stored_password("postgresql://jean@pg.example.lan:5432/segur?sslmode=require") == "s3cret"
    assert stored_password("postgresql://marie@pg.example.lan/segur") is None
    assert not list(tmp_path.rglob("*.json"))  # nothing of ours written anywhere


def test_storing_is_refused_in_french_without_a_user_a_password_or_a_keyring(memory_keyring, monkeypatch) -> None:
    with pytest.raises(InputError, match="ne nomme pas d'utilisateur"):
        store_password("postgresql://pg.example.lan/segur", "x")
    with pytest.raises(InputError, match="contient un mot de passe"):
        store_password("postgresql://jean:x@pg.example.lan/segur", "x")
    with pytest.raises(InputError, match="Mot de passe vide"):
        store_password("postgresql://jean@pg.example.lan/segur", "")
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(InputError, match="Aucun trousseau du système.*\\.pgpass"):
        store_password("postgresql://jean@pg.example.lan/segur", "x")
    assert stored_password("postgresql://jean@pg.example.lan/segur") is None


def test_a_refusing_keyring_is_said_in_french(memory_keyring, monkeypatch) -> None:
    def refuse(*_args) -> None:
        raise RuntimeError("trousseau verrouillé")

    monkeypatch.setattr(memory_keyring, "set_password", refuse)
    with pytest.raises(InputError, match="a refusé d'enregistrer le mot de passe \\(trousseau verrouillé\\)"):
        store_password("postgresql://jean@pg.example.lan/segur", "x")


def test_psycopg_gets_the_keyring_password_and_without_one_libpq_is_left_to_pgpass(memory_keyring, monkeypatch,
                                                                                   postgres_url, tmp_path) -> None:
    import psycopg

    from segur_desktop.core.register.postgresql import PostgresBackend
    from segur_desktop.core.register.store import Register

    seen: list[dict] = []
    connect = psycopg.connect

    def spy(*args, **kwargs):
        seen.append(kwargs)
        return connect(*args, **kwargs)

    monkeypatch.setattr(psycopg, "connect", spy)
    backend = PostgresBackend(postgres_url, "t_password_keyring", anchor=tmp_path / "r.postgresql")
    Register(backend).entries()
    assert seen and all("password" not in kwargs for kwargs in seen)
    store_password(postgres_url, "from-the-keyring")  # the throwaway cluster trusts: any password is accepted
    seen.clear()
    Register(backend).entries()
    assert seen and all(kwargs["password"] == "from-the-keyring" for kwargs in seen)
