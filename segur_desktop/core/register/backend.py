"""Where a register's rows live: a SQLite file (the default) or a team's shared PostgreSQL database (issue #20).

`Register` (`store.py`) holds every query of the Suivi and the guarantees
around them (the marker, the journal, the lifecycle); a `Backend` only gives
it connections, each in one transaction, and its schema's migrations:

- `SqliteBackend` (`sqlite.py`): one file per vendor in the user-data folder,
  zero set-up; what every register was before issue #20, unchanged;
- `PostgresBackend` (`postgresql.py`): one PostgreSQL database for a team,
  one schema per vendor (`registre_<SIRET>`), chosen by a setting
  `"registre": "postgresql://user@host/base"` in workspace.json or in the
  user's `reglages.json` (user-data folder). The password never sits in a
  file of ours: libpq reads `.pgpass` (or the file `PGPASSFILE` names), or the
  system's keyring holds it (`keyring`, when installed). A URL holding one is
  refused.

Both hand out connections with the same small API the queries use
(`execute`, `executemany`, iterating a cursor, `fetchone`, `fetchall`,
`description`), with `?` placeholders; `insert_id` is the one difference the
queries see.

A shared register keeps its local companions (the marker of its row counts,
the journal of exports being published on this computer, the instant of its
last successful read) in the user-data folder, beside an `anchor` path that
stands for it there.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from segur_desktop.core.datafiles import load_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.paths import user_data_dir

SETTINGS_FILE = "reglages.json"  # the user's own settings, in the user-data folder
SETTING = "registre"
URL_SCHEMES = ("postgresql://", "postgres://")


class Backend(Protocol):
    kind: str  # "sqlite" | "postgresql"
    shared: bool  # several people write it
    anchor: Path  # the local path its marker, journal and last-read instant are named after
    location: str  # what messages name: the file, or the URL (never a password)

    def connect(self, write: bool = False, transaction: bool = True) -> AbstractContextManager[Any]:
        """A connection in one transaction (a write one: writers of this register queue up; a read one: one
        consistent state), committed when the block ends, rolled back on an exception; failures as French
        InputErrors."""

    def migrate(self) -> str:
        """Create or bring the schema up to date (numbered migrations); what to remember as its journal mode."""

    def version(self) -> int: ...

    def exists(self) -> bool:
        """Whether the register is there at all (a deleted file: not; a database: always, it is asked)."""

    def emptied(self) -> bool:
        """Whether it was truncated to nothing (a 0-byte file)."""

    def describe(self) -> str:
        """One French line for the window: which register is in force."""

    def author(self, user: str) -> str:
        """How history names who made a change."""

    def after_load(self, con: Any) -> None:
        """After rows were copied in with their own ids (`transfer`): the next id follows them."""


def insert_id(con: Any, sql: str, parameters: tuple[Any, ...]) -> int:
    """Run one INSERT and give the id the database chose for the row."""
    if isinstance(con, sqlite3.Connection):
        cursor = con.execute(sql, parameters)
        assert cursor.lastrowid is not None, "an INSERT sets it"
        return cursor.lastrowid
    return con.execute(sql + " RETURNING id", parameters).fetchone()[0]


def rows_as_dicts(cursor: Any) -> Iterator[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def is_url(text: str | Path) -> bool:
    return isinstance(text, str) and text.strip().lower().startswith(URL_SCHEMES)


def schema_for(vendor: str) -> str:
    """The PostgreSQL schema of a vendor's register: `registre_73282932000074`, `registre_sans_editeur`."""
    return "registre_" + re.sub(r"[^a-z0-9_]", "_", vendor.lower())


def user_settings_path() -> Path:
    return user_data_dir() / SETTINGS_FILE


def configured(workspace_folder: Path | None) -> tuple[str, str] | None:
    """(the register setting, where it was read) from the workspace's workspace.json, else the user's
    `reglages.json`; None: the vendor's SQLite file, as always."""
    candidates = []
    if workspace_folder is not None:
        candidates.append(workspace_folder / "workspace.json")
    candidates.append(user_settings_path())
    for path in candidates:
        if not path.is_file():
            continue
        data = load_json(path, max_bytes=4 * 1024 * 1024)
        value = data.get(SETTING) if isinstance(data, dict) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str) or not is_url(value):
            raise InputError(_("« {path} » : le réglage « registre » doit être l'adresse d'une base PostgreSQL "
                               "(postgresql://utilisateur@serveur/base), ou être absent pour le registre local de cet "
                               "ordinateur ; « {value} » n'en est pas une.").format(path=path, value=value))
        try:
            check_url(value)
        except InputError as error:
            raise InputError(_("« {path} » : {problem}").format(path=path, problem=error)) from None
        return value.strip(), str(path)
    return None


def check_url(url: str) -> None:
    """Refuse, in French, a URL that is not PostgreSQL's or that holds a password."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"postgresql", "postgres"}:
        raise InputError(_("« {url} » n'est pas l'adresse d'une base PostgreSQL (postgresql://utilisateur@serveur/base)."
                           ).format(url=url))
    if parts.password is not None or "password" in {k.lower() for k in parse_qs(parts.query)}:
        raise InputError(_("L'adresse du registre partagé contient un mot de passe : il ne doit jamais être écrit dans "
                           "workspace.json ni dans les réglages, que d'autres peuvent lire. Retirez-le de l'adresse "
                           "(postgresql://utilisateur@serveur/base) et mettez-le dans votre fichier .pgpass (ou le "
                           "fichier que désigne PGPASSFILE), ou dans le trousseau du système."))
    if not parts.hostname and "host" not in {k.lower() for k in parse_qs(parts.query)}:
        raise InputError(_("L'adresse du registre partagé « {url} » ne nomme pas de serveur "
                           "(postgresql://utilisateur@serveur/base).").format(url=url))
