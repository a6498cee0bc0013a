"""The default register: one SQLite file per vendor, in the user-data folder, no server (see `store`).

Why SQLite: one file, transactions that survive a killed process (WAL journal,
`synchronous=FULL`: a change is either all there or not at all), foreign keys
to keep history and deposits attached to their demande. The schema carries a
version number (`PRAGMA user_version`) and grows by numbered migrations; a
register written by a newer version is refused rather than damaged.

Each call opens its own short connection: the GUI's workers run on several
threads, and SQLite serialises the writers (`BEGIN IMMEDIATE`, busy timeout).

Not on a network share: SQLite's locking is unreliable on network file systems
and WAL needs memory shared on one computer. A team shares a PostgreSQL
register instead (`postgresql.py`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.oserrors import cannot_write
from segur_desktop.core.register.migrations import MIGRATIONS, VERSION

BUSY_TIMEOUT_S = 10.0


class SqliteBackend:
    kind = "sqlite"
    shared = False

    def __init__(self, path: Path) -> None:
        self.path = path
        self.anchor = path
        self.location = str(path)

    @contextmanager
    def connect(self, write: bool = False, transaction: bool = True) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction: a write one (`BEGIN IMMEDIATE`: writers queue up), or a read one
        (every query sees the same state, even while another process writes); `transaction=False` for the
        schema's own statements (the journal mode cannot change inside a transaction)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except OSError as exc:  # the user-data folder itself (read-only, full, a file in its way): not the register
            raise cannot_write(self.path.parent, exc) from None
        except sqlite3.Error as exc:
            raise self._unusable(exc) from None
        try:
            con.execute("PRAGMA foreign_keys = ON")
            con.execute("PRAGMA synchronous = FULL")
            if transaction:
                con.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield con
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            if con.in_transaction:
                con.execute("COMMIT")
        except sqlite3.IntegrityError:
            raise  # a broken constraint is a bug here, not a damaged file: the log gets the traceback
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise InputError(_("Le registre de suivi « {path} » est occupé par une autre fenêtre ou commande de "
                                   "Segur Desktop depuis plus de {seconds:.0f} secondes. Attendez qu'elle ait fini, "
                                   "puis recommencez.").format(path=self.path, seconds=BUSY_TIMEOUT_S)) from None
            raise self._unusable(exc) from None
        except sqlite3.DatabaseError as exc:
            raise self._unusable(exc) from None
        finally:
            con.close()

    def _unusable(self, exc: Exception) -> InputError:
        return InputError(_("Le registre de suivi « {path} » ne peut pas être utilisé ({reason}). Fermez les autres "
                            "fenêtres de Segur Desktop ; s'il est endommagé, restaurez votre dernière sauvegarde "
                            "(segur-desktop register import).").format(path=self.path, reason=exc))

    def migrate(self) -> str:
        with self.connect(transaction=False) as con:
            mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if version > VERSION:
                raise InputError(_("Le registre de suivi « {path} » a été écrit par une version plus récente de Segur "
                                   "Desktop (format {found}, cette version connaît le format {known}). Mettez "
                                   "l'application à jour.").format(path=self.path, found=version, known=VERSION))
            for number in range(version + 1, VERSION + 1):
                con.execute("BEGIN IMMEDIATE")
                if con.execute("PRAGMA user_version").fetchone()[0] >= number:  # another process got there first
                    con.execute("ROLLBACK")
                    continue
                for statement in MIGRATIONS[number - 1]:
                    con.execute(statement)
                con.execute(f"PRAGMA user_version = {number}")
                con.execute("COMMIT")
        return mode

    def version(self) -> int:
        with self.connect() as con:
            return con.execute("PRAGMA user_version").fetchone()[0]

    def exists(self) -> bool:
        return self.path.exists()

    def emptied(self) -> bool:
        return self.path.is_file() and self.path.stat().st_size == 0

    def describe(self) -> str:
        return _("Registre local : {path}").format(path=self.path)

    def author(self, user: str) -> str:
        return user

    def after_load(self, con: sqlite3.Connection) -> None:
        pass  # an INTEGER PRIMARY KEY continues after the largest id by itself
