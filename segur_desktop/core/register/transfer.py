"""A whole register copied to another backend, verified: `segur-desktop register migrate` (issue #20).

A vendor's SQLite register moves into the team's PostgreSQL database the day
the team starts sharing it; the other way, a shared register is copied into a
SQLite file, as a backup anyone can open. Every row goes across as it is, with
its own ids (so history keeps its order and numbering), in one transaction on
the destination; before that transaction commits, each table is read back and
compared with the source: the same number of rows and the same SHA-256 of its
rows (canonical JSON, in the backup's order). Any difference rolls everything
back. The source is never modified, and its writers are held out while it is
read, so the copy is one consistent state.

The destination must be empty (a new file, or a schema no one has written
yet): merging two registers is `register import` of a backup.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.register.store import TABLE_ORDER, Register, _counts, table_rows

# The order rows go in, for the foreign keys (a solde's avance is set once every demande is there).
LOAD_ORDER = ("exports", "demandes", "deposits", "attachments", "history", "avenants")


@dataclass(frozen=True, slots=True)
class TableCheck:
    name: str
    rows: int
    sha256: str


@dataclass(frozen=True, slots=True)
class TransferSummary:
    source: str
    target: str
    tables: tuple[TableCheck, ...]

    def table(self, name: str) -> TableCheck:
        return next(t for t in self.tables if t.name == name)


def fingerprint(tables: dict[str, list[dict[str, Any]]]) -> tuple[TableCheck, ...]:
    """Each table's row count and SHA-256 (canonical JSON of its rows, in order): equal on both sides of a copy."""
    return tuple(TableCheck(name, len(tables[name]), hashlib.sha256(json.dumps(
        tables[name], sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest())
        for name in TABLE_ORDER)


def copy_register(source: Register, target: Register) -> TransferSummary:
    """Copy every row of `source` into the empty `target`, verified before it is committed (see the module)."""
    if source.location == target.location:
        raise InputError(_("Le registre de destination est celui d'origine (« {where} ») : choisissez-en un autre."
                           ).format(where=source.location))
    _check_empty(target, target.counts())
    # A write transaction held on the source keeps its writers out while its tables are read (as a backup does).
    with source._connect(write=True):
        tables = source.dump_rows()
    expected = fingerprint(tables)
    with target._connect(write=True) as con:
        _check_empty(target, _counts(con))
        for name in LOAD_ORDER:
            rows = tables[name]
            if not rows:
                continue
            columns = list(rows[0])
            if name == "demandes":
                values = [tuple(None if c == "avance_id" else r[c] for c in columns) for r in rows]
            else:
                values = [tuple(r[c] for c in columns) for r in rows]
            con.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                            values)
            if name == "demandes":
                con.executemany("UPDATE demandes SET avance_id = ? WHERE id = ?",
                                [(r["avance_id"], r["id"]) for r in rows if r["avance_id"] is not None])
        target.backend.after_load(con)
        found = fingerprint(table_rows(con))
        if found != expected:
            wrong = ", ".join(f"{e.name} ({e.rows} → {f.rows})" for e, f in zip(expected, found, strict=True) if e != f)
            raise InputError(_("La copie du registre « {source} » vers « {target} » ne relit pas les mêmes lignes "
                               "({tables}) : rien n'a été écrit dans la destination. Signalez-le, avec ce message."
                               ).format(source=source.location, target=target.location, tables=wrong))
    return TransferSummary(source.location, target.location, found)


def _check_empty(target: Register, counts: Any) -> None:
    if not counts.empty:
        raise InputError(_("Le registre de destination « {where} » n'est pas vide ({counts}) : la migration copie un "
                           "registre entier vers un registre neuf. Pour réunir deux registres, sauvegardez l'un "
                           "(segur-desktop register export FICHIER.json) et importez la sauvegarde dans l'autre "
                           "(segur-desktop register import FICHIER.json).").format(
            where=target.location, counts=counts.describe()))
