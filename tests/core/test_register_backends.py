"""The register's two backends (issue #20): the same schema, a shared PostgreSQL register chosen by a setting and
never replaced by an empty local one, who changed what from which computer, changes based on an older reading
refused, and two processes recording overlapping exports at once."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pg import drop_schema, schema_name

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import InputError
from segur_desktop.core.register import register_for
from segur_desktop.core.register.backend import configured, schema_for, user_settings_path
from segur_desktop.core.register.migrations import VERSION
from segur_desktop.core.register.store import DepositItem, ExportRecord, Register, StatusChange
from segur_desktop.core.workspace import load_workspace

AT = datetime(2022, 11, 28, 10, 0, tzinfo=PARIS)


def item(n: int, kind: str = "avance") -> DepositItem:
    demande = f"HOP-AV-{n:06d}"
    return DepositItem(demande, "HOP", kind, "finess_et", f"{n:09d}", f"Centre {n}", "DPI", "Test DPI", f"B{n}",
                       "1000.00", "300.00", "HOP_avance.json", "0" * 64, json.dumps({"idDemande": demande}), "1" * 64,
                       ())


def record(numbers, name: str) -> ExportRecord:
    return ExportRecord(f"/tmp/{name}", name, name.ljust(64, "0")[:64], "depot", AT.isoformat(), "/tmp/ws",
                        tuple(item(n) for n in numbers))


def pg(url: str, request: pytest.FixtureRequest, tmp_path: Path, name: str = "registre"):
    from segur_desktop.core.register.postgresql import PostgresBackend

    return PostgresBackend(url, schema_name(request.node.nodeid, name), anchor=tmp_path / f"{name}.postgresql")


# -- one schema, two dialects ---------------------------------------------------------------

def test_both_backends_have_the_same_tables_columns_and_version(postgres_url, request, tmp_path) -> None:
    lite = Register(tmp_path / "r.sqlite3")
    shared = Register(pg(postgres_url, request, tmp_path))
    assert lite.version == shared.version == VERSION
    with sqlite3.connect(lite.path) as con:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        sqlite_columns = {t: [c[1] for c in con.execute(f"PRAGMA table_info({t})")] for t in tables}
    with shared.backend.connect() as con:
        pg_columns: dict[str, list[str]] = {}
        for table, column in con.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = ?"
                " AND table_name != 'registre_version' ORDER BY table_name, ordinal_position",
                (shared.backend.schema,)):
            pg_columns.setdefault(table, []).append(column)
    assert pg_columns == sqlite_columns


def test_text_sorts_byte_by_byte_on_both(new_register) -> None:
    register = new_register()
    register.record(record([3, 1, 2], "a"))
    register.set_status([StatusChange("HOP-AV-000001", "en_cours", "Élan"), StatusChange("HOP-AV-000002", "en_cours",
                                                                                          "zèbre")], source="test")
    assert [e.id for e in register.entries()] == ["HOP-AV-000001", "HOP-AV-000002", "HOP-AV-000003"]


# -- choosing the register: a setting, never a password, never a silent fallback -----------------

def test_a_workspace_or_the_user_settings_name_the_shared_register(make_workspace, postgres_url, user_data) -> None:
    folder = make_workspace([], [])
    assert configured(folder) is None
    drop_schema(postgres_url, schema_for(load_workspace(folder).vendor.siret))
    data = json.loads((folder / "workspace.json").read_text(encoding="utf-8"))
    (folder / "workspace.json").write_text(json.dumps({**data, "registre": postgres_url}), encoding="utf-8")
    workspace = load_workspace(folder)  # the schema knows the key
    register = register_for(workspace)
    assert register.shared and register.backend.schema == schema_for(workspace.vendor.siret)
    assert register.describe().startswith("Registre partagé : PostgreSQL, base postgres sur 127.0.0.1:")
    assert not (user_data / "registres" / f"{workspace.vendor.siret}.sqlite3").exists()
    (folder / "workspace.json").write_text(json.dumps(data), encoding="utf-8")
    user_settings_path().write_text(json.dumps({"registre": postgres_url}), encoding="utf-8")
    try:
        assert register_for(load_workspace(folder)).shared
    finally:
        user_settings_path().unlink()
    assert register_for(load_workspace(folder)).describe().startswith("Registre local : ")


@pytest.mark.parametrize("url", ["postgresql://jean:secret@serveur/segur", "postgresql://jean@serveur/segur?password=x"])
def test_a_url_holding_a_password_is_refused_in_french(make_workspace, url) -> None:
    folder = make_workspace([], [])
    data = json.loads((folder / "workspace.json").read_text(encoding="utf-8"))
    (folder / "workspace.json").write_text(json.dumps({**data, "registre": url}), encoding="utf-8")
    with pytest.raises(InputError, match="contient un mot de passe.*pgpass"):
        register_for(load_workspace(folder))


def test_an_unreachable_shared_register_says_so_with_the_last_read_never_a_local_one(postgres_url, request,
                                                                                      tmp_path) -> None:
    from segur_desktop.core.register.postgresql import PostgresBackend

    backend = pg(postgres_url, request, tmp_path)
    Register(backend).entries()
    port = backend.port
    down = PostgresBackend(postgres_url.replace(f":{port}/", f":{_closed_port()}/"), backend.schema, backend.anchor)
    with pytest.raises(InputError) as error:
        Register(down)
    message = str(error.value)
    assert "est injoignable" in message and "Dernière lecture réussie de ce poste : le " in message
    assert "aucun registre local ne le remplace" in message
    assert not list(tmp_path.glob("*.sqlite3"))


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- who, where, and changes based on an older reading ------------------------------------------

def test_history_names_the_user_and_on_a_shared_register_the_computer(new_register, backend_kind) -> None:
    import socket

    register = new_register()
    register.record(record([1], "a"))
    author = register.history("HOP-AV-000001")[0].author
    assert author.endswith(f"@{socket.gethostname()}") == (backend_kind == "postgresql")


def test_a_change_on_a_demande_changed_since_it_was_read_is_refused_with_who_and_when(new_register) -> None:
    mine = new_register()
    mine.record(record([1, 2], "a"))
    seen = {e.id: e for e in mine.entries()}
    colleague = new_register()
    later = AT + timedelta(days=1)
    colleague.set_status([StatusChange("HOP-AV-000001", "en_cours")], source="fenêtre", author="marie@POSTE-7",
                         at=later)
    outcome = mine.set_status([StatusChange(i, "en_cours", seen_at=seen[i].status_at) for i in seen], source="test")
    assert [i for i, _, _ in outcome.applied] == ["HOP-AV-000002"]
    assert outcome.unchanged == ["HOP-AV-000001"]  # already what I wanted: nothing to refuse
    outcome = mine.set_status([StatusChange("HOP-AV-000001", "validee", seen_at=seen["HOP-AV-000001"].status_at)],
                              source="test")
    (demande, reason), = outcome.refused
    assert demande == "HOP-AV-000001" and "marie@POSTE-7" in reason and "29/11/2022" in reason
    assert "« En cours »" in reason and "relisez le registre" in reason
    # Within the same second the instant is the same: the status read then tells the change apart.
    colleague.set_status([StatusChange("HOP-AV-000002", "validee")], source="fenêtre", author="marie@POSTE-7", at=later)
    read = mine.entry("HOP-AV-000002")
    colleague.set_status([StatusChange("HOP-AV-000002", "decidee_payee")], source="fenêtre", author="marie@POSTE-7",
                         at=later)
    outcome = mine.set_status([StatusChange(read.id, "a_modifier", seen_at=read.status_at, seen_status=read.status)],
                              source="test", force=True)
    assert outcome.refused and "« Décidée et payée »" in outcome.refused[0][1]
    fresh = mine.entry("HOP-AV-000001")
    assert mine.set_status([StatusChange(fresh.id, "validee", seen_at=fresh.status_at)], source="test").applied


def test_a_shared_register_busy_elsewhere_says_so(postgres_url, request, tmp_path, monkeypatch) -> None:
    import psycopg

    monkeypatch.setattr("segur_desktop.core.register.postgresql.LOCK_TIMEOUT_S", 1)
    register = Register(pg(postgres_url, request, tmp_path))
    with psycopg.connect(postgres_url) as other:  # another computer, in the middle of a write
        other.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (register.backend.schema,))
        with pytest.raises(InputError, match="occupé par un autre poste"):
            register.set_status([StatusChange("X", "en_cours")], source="test")
        assert register.entries() == []  # readers are never blocked


def test_a_shared_register_that_lost_rows_is_refused_naming_it(postgres_url, request, tmp_path) -> None:
    register = Register(pg(postgres_url, request, tmp_path))
    register.record(record([1, 2], "a"))
    with register.backend.connect(write=True) as con:
        con.execute("TRUNCATE exports, demandes, deposits, attachments, history, avenants")
    with pytest.raises(InputError, match="a perdu des lignes") as error:
        Register(register.backend)
    assert postgres_url in str(error.value)


# -- two people recording at once ---------------------------------------------------------------

WORKER = textwrap.dedent("""
    import json, sys, time
    from datetime import datetime
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from test_register_backends import record
    from segur_desktop.core.register.store import Register
    spec, who, start = json.loads(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    if spec["kind"] == "sqlite":
        register = Register(Path(spec["path"]))
    else:
        from segur_desktop.core.register.postgresql import PostgresBackend
        register = Register(PostgresBackend(spec["url"], spec["schema"], Path(spec["anchor"])))
    while time.time() < start:
        time.sleep(0.005)
    new, again = [], []
    for batch in range(8):  # overlapping exports: each batch shares half its demandes with the next
        outcome = register.record(record(range(batch * 50, batch * 50 + 100), f"{who}-{batch}"))
        new += outcome.new
        again += outcome.again
    print(json.dumps({"new": new, "again": again}))
""")


def test_two_processes_recording_overlapping_exports_lose_nothing_and_record_no_demande_twice(
        new_register, backend_kind, request, tmp_path) -> None:
    import time

    register = new_register()  # created and migrated before the two start
    if backend_kind == "sqlite":
        spec = {"kind": "sqlite", "path": str(register.path)}
    else:
        spec = {"kind": "postgresql", "url": register.backend.url, "schema": register.backend.schema,
                "anchor": str(register.backend.anchor)}
    start = time.time() + 2.0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), *sys.path])}
    processes = [subprocess.Popen([sys.executable, "-c", WORKER, str(Path(__file__).parent), json.dumps(spec), who,
                                   str(start)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                 for who in ("alice", "bruno")]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err
        results.append(json.loads(out))
    expected = {f"HOP-AV-{n:06d}" for n in range(0, 7 * 50 + 100)}
    new = [i for r in results for i in r["new"]]
    assert len(new) == len(set(new)) == len(expected) and set(new) == expected  # each entered once, by one of them
    assert {e.id for e in register.entries()} == expected
    assert register.exports_count() == 16
    counts = register.counts()
    assert counts.demandes == len(expected) and counts.history == 16 * 100  # every recording left its line
    for demande in ("HOP-AV-000000", "HOP-AV-000075", "HOP-AV-000449"):
        assert len(register.history(demande)) == sum(1 for r in results for i in r["new"] + r["again"] if i == demande)
