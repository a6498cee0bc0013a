"""A team's shared register on PostgreSQL (issue #20): the same tables and queries as SQLite, several writers.

One database for the team, one schema per vendor (`registre_<SIRET>`), made and
brought up to date by the numbered migrations of `migrations.POSTGRESQL` (the
version is the one row of `registre_version`). What SQLite gives by being one
file on one computer is made explicit here:

- **writers queue up**: a write transaction first takes a transaction-level
  advisory lock named after the vendor's schema (`pg_advisory_xact_lock`), the
  equivalent of SQLite's `BEGIN IMMEDIATE`; it runs in READ COMMITTED, so once
  the lock is held every query sees what the writers before it committed. Two
  people recording the same demande therefore cannot both insert it: the
  second sees it, and records an export « de nouveau » (and the primary key
  refuses a second row anyway). Waiting more than `LOCK_TIMEOUT_S` is a French
  « occupé » message, as with SQLite;
- **readers see one state**: REPEATABLE READ READ ONLY, never blocked;
- **who and where**: history names the system user and the computer
  (`jean@POSTE-12`), since several people write the same register;
- **unreachable is said, never hidden**: a server that cannot be reached (VPN
  down, wrong address, password refused) is a French message naming the server
  and the last time the register was read successfully (kept in the user-data
  folder); nothing falls back to an empty local register.

Passwords are never in our files: the system's keyring holds it (`password.py`,
when the `keyring` package is installed), else libpq reads `.pgpass` (or
`PGPASSFILE`). psycopg (3) is an optional extra, bundled in the frozen app:
`pip install "segur-desktop[postgresql]"`.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from segur_desktop.core.atomic import dump_json, write_atomic
from segur_desktop.core.calendar import PARIS, format_instant
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.paths import user_data_dir
from segur_desktop.core.register.backend import check_url
from segur_desktop.core.register.migrations import POSTGRESQL, VERSION
from segur_desktop.core.register.password import stored_password

CONNECT_TIMEOUT_S = 8
LOCK_TIMEOUT_S = 10
SHARED_FOLDER = "partages"  # registres/partages/<server>/<schema>.*: the local companions of a shared register
LAST_READ_SUFFIX = ".derniere-lecture.json"
_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise InputError(_("Ce poste est réglé pour un registre partagé PostgreSQL, mais le module psycopg n'est pas "
                           "installé. Installez Segur Desktop avec l'option PostgreSQL (pip install "
                           "\"segur-desktop[postgresql]\"), ou retirez le réglage « registre » pour le registre local."
                           )) from None
    return psycopg


def driver() -> str:
    """« psycopg 3.3.9, libpq 17.5, binary »: what would talk to the server here. Loads libpq, connects nowhere:
    the frozen app's self-test proves with it that the shared register can be used."""
    psycopg = _psycopg()
    return f"psycopg {psycopg.__version__}, libpq {psycopg.pq.version_pretty(psycopg.pq.version())}, {psycopg.pq.__impl__}"


class _Cursor:
    """psycopg's cursor, read as sqlite3's: iterable, fetchone, fetchall, description."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._cursor)

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._cursor.fetchone()

    def one(self) -> tuple[Any, ...]:
        """The row of a query that always gives one (an aggregate, the version row)."""
        row = self._cursor.fetchone()
        assert row is not None, "the query gives one row"
        return row

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._cursor.fetchall()

    @property
    def description(self) -> Sequence[Any]:
        return [(column.name,) for column in self._cursor.description]


_SQL: dict[str, str] = {}


def _dialect(sql: str) -> str:
    """sqlite3's `?` placeholders as psycopg's `%s` (our queries hold no `?` nor `%` in their text)."""
    found = _SQL.get(sql)
    if found is None:
        found = _SQL[sql] = sql.replace("%", "%%").replace("?", "%s")
    return found


class Connection:
    """A psycopg connection with the sqlite3 calls the register's queries make."""

    def __init__(self, connection: Any) -> None:
        self.raw = connection

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> _Cursor:
        cursor = self.raw.cursor()
        cursor.execute(_dialect(sql), tuple(parameters) or None)
        return _Cursor(cursor)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self.raw.cursor() as cursor:
                cursor.executemany(_dialect(sql), rows)


class PostgresBackend:
    kind = "postgresql"
    shared = True

    def __init__(self, url: str, schema: str, anchor: Path | None = None) -> None:
        check_url(url)
        if not _SCHEMA.match(schema):
            raise ValueError(f"schema name {schema!r}")
        self.url = url.strip()
        self.schema = schema
        parts = urlsplit(self.url)
        query = {k.lower(): v[-1] for k, v in parse_qs(parts.query).items()}
        self.host = parts.hostname or query.get("host", "")
        self.port = parts.port or int(query.get("port", "5432") or 5432)
        self.database = unquote(parts.path.lstrip("/")) or query.get("dbname", "") or (parts.username or "")
        self.location = f"{self.url} ({schema})"
        self.anchor = anchor or user_data_dir() / "registres" / SHARED_FOLDER / _server_folder(
            self.host, self.port, self.database) / f"{schema}.postgresql"

    # -- connections ----------------------------------------------------------------
    def _open(self) -> Any:
        psycopg = _psycopg()
        extra: dict[str, Any] = {}
        password = stored_password(self.url)
        if password:
            extra["password"] = password
        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                                   application_name="segur-desktop", options=f"-c search_path={self.schema}", **extra)
        except psycopg.Error as exc:
            raise InputError(self.unreachable(_reason(exc))) from None

    @contextmanager
    def connect(self, write: bool = False, transaction: bool = True) -> Iterator[Connection]:
        psycopg = _psycopg()
        raw = self._open()
        con = Connection(raw)
        try:
            if transaction:
                if write:
                    raw.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
                    raw.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_S}s'")
                    raw.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.schema,))
                else:
                    raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                yield con
            except BaseException:
                if transaction and not raw.closed:
                    raw.execute("ROLLBACK")
                raise
            if transaction:
                raw.execute("COMMIT")
            self._note_read()
        except psycopg.errors.IntegrityError:
            raise  # a broken constraint is a bug here: the log gets the traceback
        except psycopg.errors.LockNotAvailable:
            raise InputError(_("Le registre partagé « {where} » est occupé par un autre poste ou une autre fenêtre "
                               "depuis plus de {seconds} secondes. Attendez qu'il ait fini, puis recommencez.").format(
                where=self.place(), seconds=LOCK_TIMEOUT_S)) from None
        except psycopg.OperationalError as exc:
            raise InputError(self.unreachable(_reason(exc))) from None
        except psycopg.Error as exc:
            raise InputError(_("Le registre partagé « {where} » ne peut pas être utilisé ({reason}). Demandez à la "
                               "personne qui gère le serveur PostgreSQL de vérifier vos droits sur la base et le schéma "
                               "« {schema} ».").format(where=self.place(), reason=_reason(exc),
                                                        schema=self.schema)) from None
        finally:
            raw.close()

    def migrate(self) -> str:
        """The schema, its version table and the missing migrations, in one transaction (PostgreSQL's DDL is
        transactional: all there or none), under the writers' lock: one migrating process at a time."""
        with self.connect(write=True) as con:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {self.schema}")
            con.execute(f"SET LOCAL search_path TO {self.schema}")
            con.execute("CREATE TABLE IF NOT EXISTS registre_version (version INTEGER NOT NULL)")
            row = con.execute("SELECT version FROM registre_version").fetchone()
            if row is None:
                con.execute("INSERT INTO registre_version (version) VALUES (0)")
            version = row[0] if row else 0
            if version > VERSION:
                raise InputError(_("Le registre partagé « {where} » a été écrit par une version plus récente de "
                                   "Segur Desktop (format {found}, cette version connaît le format {known}). Mettez "
                                   "l'application à jour.").format(where=self.place(), found=version, known=VERSION))
            for number in range(version + 1, VERSION + 1):
                for statement in POSTGRESQL[number - 1]:
                    con.execute(statement)
                con.execute("UPDATE registre_version SET version = ?", (number,))
        return "postgresql"

    def version(self) -> int:
        with self.connect() as con:
            return con.execute("SELECT version FROM registre_version").one()[0]

    def exists(self) -> bool:
        return True  # a database is asked, not looked for: the marker tells an emptied one

    def emptied(self) -> bool:
        return False

    def after_load(self, con: Connection) -> None:
        for table in ("exports", "history"):
            con.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false)"
                        f" FROM {table}")

    # -- for people -----------------------------------------------------------------
    def place(self) -> str:
        """« base segur sur pg.example.lan:5432 »."""
        return _("base {db} sur {host}").format(db=self.database, host=f"{self.host}:{self.port}")

    def describe(self) -> str:
        return _("Registre partagé : PostgreSQL, {place}").format(place=self.place())

    def author(self, user: str) -> str:
        return f"{user}@{_machine()}"

    def unreachable(self, reason: str) -> str:
        last = self.last_read()
        when = (_("Dernière lecture réussie de ce poste : le {day}.").format(day=format_instant(last)) if last
                else _("Ce poste ne l'a encore jamais lu."))
        return " ".join((
            _("Le registre partagé ({place}) est injoignable : {reason}.").format(place=self.place(), reason=reason),
            when,
            _("Sans lui, les demandes déjà déposées par l'équipe ne seraient pas reconnues : rien n'est vérifié ni "
              "exporté tant qu'il ne répond pas, et aucun registre local ne le remplace. Vérifiez la connexion au "
              "réseau (ou au VPN) et votre mot de passe (trousseau ou .pgpass), puis appuyez sur F5 ; sinon, "
              "prévenez la personne qui gère le serveur PostgreSQL.")))

    def last_read_path(self) -> Path:
        return self.anchor.with_name(self.anchor.stem + LAST_READ_SUFFIX)

    def last_read(self) -> datetime | None:
        try:
            return datetime.fromisoformat(json.loads(self.last_read_path().read_text(encoding="utf-8"))["le"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _note_read(self) -> None:
        at = datetime.now(PARIS).replace(microsecond=0)
        if _NOTED.get(self.anchor) == at:
            return
        _NOTED[self.anchor] = at
        try:
            write_atomic(self.last_read_path(), dump_json({"registre": self.url, "schema": self.schema,
                                                           "le": at.isoformat()}))
        except OSError:
            pass  # only a help for the message above


_NOTED: dict[Path, datetime] = {}


def _server_folder(host: str, port: int, database: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", f"{host}_{port}_{database}")


def _machine() -> str:
    try:
        return socket.gethostname() or "?"
    except OSError:
        return "?"


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0].rstrip(".") if text else type(exc).__name__

