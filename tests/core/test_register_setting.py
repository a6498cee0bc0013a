"""The register setting as the Dossier de travail page edits it (issue #20): the form reads and saves `registre`,
a URL with a password is refused with the reason, a connection is tried and said, a local register is moved."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pg import drop_schema
from test_register_backends import record

from segur_desktop.core.errors import InputError
from segur_desktop.core.register import register_for
from segur_desktop.core.register.backend import schema_for, user_settings_path
from segur_desktop.core.register.setting import check_setting, local_rows, move_local, try_connection, user_setting
from segur_desktop.core.register.store import Register, register_path
from segur_desktop.core.workspace import load_workspace
from segur_desktop.core.workspace_form import check_form, form_of, save_form


def _registre(folder: Path) -> str | None:
    return json.loads((folder / "workspace.json").read_text(encoding="utf-8")).get("registre")


@pytest.mark.parametrize(("url", "reason"), [
    ("", "Indiquez l'adresse de la base PostgreSQL"),
    ("serveur/segur", "n'est pas l'adresse d'une base PostgreSQL : elle commence par postgresql://"),
    ("postgresql://jean:secret@serveur/segur", "contient un mot de passe.*pgpass"),
    ("postgresql:///segur", "ne nomme pas de serveur"),
])
def test_a_url_that_cannot_be_saved_says_why(url, reason) -> None:
    problem = check_setting(url)
    assert problem is not None and re.search(reason, problem)


def test_the_form_reads_saves_and_removes_the_register_setting(make_workspace) -> None:
    folder = make_workspace([], [])
    form = form_of(load_workspace(folder))
    assert (form.shared, form.registre) == (False, "")
    url = "postgresql://jean@pg.example.lan/segur"
    refused = form.__class__(**{**_fields(form), "shared": True, "registre": "postgresql://jean:x@pg.example.lan/segur"})
    assert "contient un mot de passe" in check_form(folder, refused)["registre"]
    with pytest.raises(InputError, match="n'a pas été enregistré"):
        save_form(folder, refused)
    assert _registre(folder) is None
    saved = save_form(folder, form.__class__(**{**_fields(form), "shared": True, "registre": f" {url} "}))
    assert _registre(folder) == url
    assert (form_of(saved).shared, form_of(saved).registre) == (True, url)
    # « Local » keeps the typed URL in the field, but workspace.json loses the key.
    local = save_form(folder, form.__class__(**{**_fields(form), "shared": False, "registre": url}))
    assert _registre(folder) is None and not form_of(local).shared


def _fields(form) -> dict:
    return {name: getattr(form, name) for name in form.__dataclass_fields__}


def test_this_computers_own_setting_is_told_apart(make_workspace) -> None:
    assert user_setting() == ""
    user_settings_path().parent.mkdir(parents=True, exist_ok=True)
    user_settings_path().write_text(json.dumps({"registre": "postgresql://jean@pg/segur"}), encoding="utf-8")
    assert user_setting() == "postgresql://jean@pg/segur"
    assert not form_of(load_workspace(make_workspace([], []))).shared  # the workspace itself names none


def test_a_connection_tried_says_what_answered_and_creates_nothing(postgres_url) -> None:
    vendor = "t_setting_try"
    drop_schema(postgres_url, schema_for(vendor))
    reached = try_connection(postgres_url, vendor)
    assert reached.database == "postgres" and reached.demandes is None
    text = reached.describe()
    assert text.startswith("Connexion réussie en ") and "base « postgres » sur 127.0.0.1:" in text
    assert "n'y existe pas encore" in text
    import psycopg

    with psycopg.connect(postgres_url) as con:
        assert con.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s",
                           (schema_for(vendor),)).fetchone()[0] == 0
    from segur_desktop.core.register.postgresql import PostgresBackend

    Register(PostgresBackend(postgres_url, schema_for(vendor))).record(record([1, 2], "a"))
    assert try_connection(postgres_url, vendor).demandes == 2
    assert "y suit 2 demande(s)" in try_connection(postgres_url, vendor).describe()


def test_an_unreachable_server_is_the_suivi_pages_french_message() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputError, match=r"base segur sur 127\.0\.0\.1:\d+\) est injoignable"):
        try_connection(f"postgresql://jean@127.0.0.1:{port}/segur", "t_setting_down")
    with pytest.raises(InputError, match="contient un mot de passe"):
        try_connection(f"postgresql://jean:x@127.0.0.1:{port}/segur", "t_setting_down")


def test_a_local_register_is_offered_and_moved_whole(make_workspace, postgres_url) -> None:
    workspace = load_workspace(make_workspace([], []))
    vendor = workspace.vendor.siret
    drop_schema(postgres_url, schema_for(vendor))
    assert local_rows(vendor) is None  # no file yet
    Register(register_path(vendor))
    assert local_rows(vendor) is None  # an empty one: nothing to move
    Register(register_path(vendor)).record(record([1, 2, 3], "a"))
    assert local_rows(vendor).demandes == 3
    summary = move_local(vendor, postgres_url)
    assert summary.table("demandes").rows == 3
    assert local_rows(vendor).demandes == 3  # the local file is left as it was
    save_form(workspace.folder, form_of(workspace).__class__(**{**_fields(form_of(workspace)), "shared": True,
                                                                "registre": postgres_url}))
    shared = register_for(load_workspace(workspace.folder))
    assert shared.shared and [e.id for e in shared.entries()] == ["HOP-AV-000001", "HOP-AV-000002", "HOP-AV-000003"]
    with pytest.raises(InputError, match="n'est pas vide"):
        move_local(vendor, postgres_url)
