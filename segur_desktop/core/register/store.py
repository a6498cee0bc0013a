"""The register: every demande ever exported, its portal status and its history.

One register per vendor (its SIRET), so the memory outlives any workspace
folder: by default a SQLite file in the user-data folder (`sqlite.py`), or,
for a team, a schema of a shared PostgreSQL database (`postgresql.py`, issue
#20); `backend.py` says how one is chosen. This module holds every query and
the guarantees around them, whatever the backend: the marker of row counts
(`marker`), the journal of exports being published (`journal`), the
lifecycle. The schema carries a version number and grows by numbered
migrations (`migrations`); a register written by a newer version is refused
rather than damaged.

Each call opens its own short connection in one transaction: the GUI's
workers run on several threads, and the backend queues the writers up.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from segur_desktop.core.calendar import PARIS, format_instant
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.paths import user_data_dir
from segur_desktop.core.register.avenants import (
    Avenant,
    NewAvenant,
    avenant_status,
    history_comment,
    insert_avenant,
    read_avenants,
    reference,
    update_avenant,
    why_not_recorded,
)
from segur_desktop.core.register.backend import Backend, insert_id, rows_as_dicts
from segur_desktop.core.register.lifecycle import Lifecycle, load_lifecycle
from segur_desktop.core.register.marker import TABLES as MARKER_TABLES
from segur_desktop.core.register.marker import Backup, Counts, Marker, lost_rows, read_marker, write_marker
from segur_desktop.core.register.sqlite import BUSY_TIMEOUT_S, SqliteBackend  # noqa: F401 - BUSY_TIMEOUT_S re-exported

REGISTER_FOLDER = "registres"
PENDING_SUFFIX = ".en-cours"  # beside the register: exports published but maybe not recorded yet (`journal`)


def register_path(vendor_siret: str) -> Path:
    """The vendor's register in the user-data folder: one per vendor, whatever the workspace."""
    return user_data_dir() / REGISTER_FOLDER / f"{vendor_siret}.sqlite3"


def pending_folder(register: Path) -> Path:
    """`registres/73282932000074.sqlite3` -> `registres/73282932000074.en-cours/`: the journal of exports being
    published (`journal`)."""
    return register.with_name(register.stem + PENDING_SUFFIX)


def now() -> datetime:
    return datetime.now(PARIS).replace(microsecond=0)


def current_user() -> str:
    """Who makes a change, as the operating system knows them (history's « par »)."""
    try:
        return getpass.getuser()
    except Exception:
        return "?"


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str  # as in the deposit's zip
    sha256: str
    size: int
    source: str  # the user's file it was copied from


@dataclass(frozen=True, slots=True)
class DepositItem:
    """One demande as a bundle held it."""

    id: str
    couloir: str
    type: str
    beneficiary_type: str
    beneficiary_id: str
    beneficiary_name: str
    software_kind: str
    solution: str
    bdc_number: str
    bdc_amount_ht: str
    requested_ht: str
    json_file: str
    json_file_sha256: str
    request_json: str  # canonical JSON of the demande as deposited
    request_sha256: str
    attachments: tuple[Attachment, ...]


@dataclass(frozen=True, slots=True)
class ExportRecord:
    bundle: str  # where it was written
    bundle_name: str
    manifest_sha256: str
    kind: str  # "depot"
    generated_at: str
    workspace: str
    items: tuple[DepositItem, ...]


@dataclass(frozen=True, slots=True)
class RecordedBundle:
    """The hashes the register recorded of one exported bundle: what `verify` compares a bundle with."""

    bundle_name: str
    manifest_sha256: str
    json_files: dict[str, str]  # deposit file -> SHA-256
    attachments: dict[tuple[str, str], str]  # (deposit file, attachment name) -> SHA-256


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    new: tuple[str, ...]  # demandes entering the register
    again: tuple[str, ...]  # demandes already there, exported once more
    already_recorded: bool  # this very bundle was recorded before: nothing changed


@dataclass(frozen=True, slots=True)
class Entry:
    """A demande of the register, as the Suivi page and `register list` show it."""

    id: str
    couloir: str
    type: str
    beneficiary_type: str
    beneficiary_id: str
    beneficiary_name: str
    software_kind: str
    solution: str
    bdc_number: str
    bdc_amount_ht: Decimal
    requested_ht: Decimal
    avance_id: str | None
    status: str
    status_at: datetime
    bundle_name: str  # its latest export
    exported_at: datetime
    avenants: tuple[Avenant, ...] = ()  # an avance's amendments, in number order (see `avenants`)

    @property
    def last_avenant(self) -> Avenant | None:
        return self.avenants[-1] if self.avenants else None


@dataclass(frozen=True, slots=True)
class HistoryItem:
    at: datetime
    old_status: str | None
    new_status: str
    comment: str
    author: str
    source: str  # "export …", "fenêtre", "ligne de commande", "fichier de statuts …"
    forced: bool


@dataclass(frozen=True, slots=True)
class Deposit:
    """One export of a demande: the JSON as deposited and its attachments."""

    bundle_name: str
    bundle: str
    generated_at: datetime
    json_file: str
    request: dict[str, Any]
    request_sha256: str
    attachments: tuple[Attachment, ...]


@dataclass(frozen=True, slots=True)
class StatusChange:
    id: str
    status: str
    comment: str = ""
    avenant: int | None = None  # the number of the avance `id`'s avenant that changes, not the avance itself
    # The demande's status instant as the caller read it (`Entry.status_at`): when the register's differs, someone
    # changed it since (on a shared register, a colleague), and the change is refused with who and when. None: no
    # such check (the command line reads and writes at once).
    seen_at: datetime | None = None
    seen_status: str | None = None  # and its status then (an instant has only seconds: the status tells them apart)


@dataclass(slots=True)
class StatusOutcome:
    applied: list[tuple[str, str | None, str]] = field(default_factory=list)  # (id, old, new)
    unchanged: list[str] = field(default_factory=list)  # already in that status
    refused: list[tuple[str, str]] = field(default_factory=list)  # (id, French reason)
    unknown: list[str] = field(default_factory=list)  # not in the register
    # An avenant's change is listed under `avenants.reference` (« HOP-AV-… avenant n° 2 »), not the avance's id.


class Register:
    """A vendor's register; every method is one transaction on its own connection.

    `Register(path)` is the SQLite file at `path`; `Register(backend)` any backend (`backend.py`): a shared
    PostgreSQL register, say. A register that lost rows (deleted, emptied, an older copy put back: see `marker`)
    is refused, unless opened with `repair` to restore a backup into it or to acknowledge the loss
    (`accept_as_is`).
    """

    def __init__(self, where: Path | Backend, lifecycle: Lifecycle | None = None, *, repair: bool = False) -> None:
        self.backend: Backend = SqliteBackend(where) if isinstance(where, Path) else where
        self.path = self.backend.anchor  # the file (SQLite), or what the local companions are named after
        self.lifecycle = lifecycle or load_lifecycle()
        marker = read_marker(self.path)  # before the counts: a marker never claims more than the rows read after it
        if marker is not None and not marker.counts.empty and not repair:
            if not self.backend.exists():  # never created anew over the loss
                raise InputError(lost_rows(self.path, marker, None, self._shared_location))
            if self.backend.emptied():
                raise InputError(lost_rows(self.path, marker, Counts(), self._shared_location))
        self._migrate()
        counts = self.counts()
        if marker is not None and counts.short_of(marker.counts):
            if not repair:
                raise InputError(lost_rows(self.path, marker, counts, self._shared_location))
        elif not counts.empty:
            self._remember(counts)  # a register from before the marker, or one restored elsewhere
        # Exports published but not recorded (a kill between the two): recorded now, and said (`journal`).
        self.recovered: tuple[str, ...] = () if repair else self._replay_journal()

    @property
    def _shared_location(self) -> str | None:
        return self.backend.location if self.backend.shared else None

    @property
    def location(self) -> str:
        """What messages name: the file, or the shared register's URL (never a password)."""
        return self.backend.location

    @property
    def shared(self) -> bool:
        return self.backend.shared

    def describe(self) -> str:
        """Which register is in force, in one French line (the Suivi page's header)."""
        return self.backend.describe()

    def author(self, author: str | None = None) -> str:
        """Who history says made a change: the system user, and on a shared register the computer too."""
        return author or self.backend.author(current_user())

    def _replay_journal(self) -> tuple[str, ...]:
        if not pending_folder(self.path).is_dir():
            return ()
        from segur_desktop.core.register.journal import replay  # it records through this class

        return tuple(replay(self))

    # -- connection and schema ------------------------------------------------
    @contextmanager
    def _connect(self, write: bool = False, transaction: bool = True) -> Iterator[Any]:
        """A connection in one transaction (the backend's): a write one (writers queue up) or a read one (every
        query sees the same state, even while another process writes); `transaction=False` for the schema's own
        statements. A write's row counts, read before its commit, raise the marker after it."""
        counts = None
        with self.backend.connect(write, transaction) as con:
            yield con
            if write and transaction:
                counts = _counts(con)
        if counts is not None and not counts.empty:
            self._remember(counts)

    def _migrate(self) -> None:
        self.journal_mode = self.backend.migrate()

    # -- the marker: an emptied register told from a new one ----------------------
    def counts(self) -> Counts:
        with self._connect() as con:
            return _counts(con)

    def _remember(self, counts: Counts) -> None:
        """The marker raised to `counts` (never lowered: only `accept_as_is` does that)."""
        marker = read_marker(self.path)
        if marker is not None and marker.counts.covers(counts):
            return
        write_marker(self.path, Marker(counts.most(marker.counts) if marker else counts, now().isoformat(),
                                       marker.backup if marker else None, marker.reset_at if marker else None))

    def shortfall(self) -> tuple[Counts, Counts] | None:
        """(rows the marker recorded, rows there are) when the register lost some; None when it is whole."""
        marker = read_marker(self.path)
        counts = self.counts()
        return (marker.counts, counts) if marker is not None and counts.short_of(marker.counts) else None

    def accept_as_is(self) -> Counts:
        """Acknowledge a loss: the register as it is now becomes the reference (`register reset`)."""
        marker = read_marker(self.path)
        counts = self.counts()
        at = now().isoformat()
        write_marker(self.path, Marker(counts, at, marker.backup if marker else None, at))
        return counts

    def note_backup(self, path: Path, counts: Counts) -> None:
        """The last backup written, for the message that tells how to restore this register."""
        marker = read_marker(self.path)
        recorded = counts.most(marker.counts) if marker else counts
        write_marker(self.path, Marker(recorded, now().isoformat(), Backup(str(path.resolve()), now().isoformat(),
                                                                          counts), marker.reset_at if marker else None))

    @property
    def version(self) -> int:
        return self.backend.version()

    # -- writing -----------------------------------------------------------------
    def record(self, record: ExportRecord, *, at: datetime | None = None, author: str | None = None) -> RecordOutcome:
        """Record an export: its demandes enter as « exportée »; those already there keep their status
        (one the portal does not hold, a rejected one, becomes « exportée » again: it is being deposited anew).
        Recording the same bundle
        twice changes nothing."""
        at_text = (at or now()).isoformat()
        author = self.author(author)
        source = _("export {bundle}").format(bundle=record.bundle_name)
        initial = self.lifecycle.initial
        new, again = [], []
        with self._connect(write=True) as con:
            if con.execute("SELECT 1 FROM exports WHERE manifest_sha256 = ?", (record.manifest_sha256,)).fetchone():
                return RecordOutcome((), (), True)
            export_id = insert_id(
                con, "INSERT INTO exports (bundle, bundle_name, manifest_sha256, kind, generated_at, recorded_at,"
                " workspace) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (record.bundle, record.bundle_name, record.manifest_sha256, record.kind, record.generated_at, at_text,
                 record.workspace))
            items = sorted(record.items, key=lambda i: i.type != "avance")  # an avance before its solde
            known = dict(con.execute("SELECT id, status FROM demandes"))
            avances = {_avance_key(row): row[0] for row in con.execute(
                "SELECT id, couloir, bdc_number, beneficiary_type, beneficiary_id FROM demandes WHERE type = 'avance'")}
            avances.update((_avance_key((i.id, i.couloir, i.bdc_number, i.beneficiary_type, i.beneficiary_id)), i.id)
                           for i in items if i.type == "avance")
            inserted, updated, history = [], [], []
            for item in items:
                avance = avances.get(_avance_key((None, item.couloir, item.bdc_number, item.beneficiary_type,
                                                  item.beneficiary_id))) if item.type == "solde" else None
                old = known.get(item.id)
                if old is None:
                    inserted.append((item.id, item.couloir, item.type, item.beneficiary_type, item.beneficiary_id,
                                     item.beneficiary_name, item.software_kind, item.solution, item.bdc_number,
                                     item.bdc_amount_ht, item.requested_ht, avance, initial, at_text, export_id))
                    history.append((item.id, at_text, None, initial, "", author, source, 0))
                    new.append(item.id)
                else:
                    status = old if self.lifecycle.status(old).deposited else initial  # e.g. rejected: deposited anew
                    updated.append((item.beneficiary_name, item.solution, item.bdc_amount_ht, item.requested_ht, avance,
                                    status, status != old, at_text, export_id, item.id))
                    history.append((item.id, at_text, old, status, _("exportée de nouveau"), author, source, 0))
                    again.append(item.id)
            # One statement per table, not per demande: 20k demandes are recorded in a fraction of a second.
            con.executemany(
                "INSERT INTO demandes (id, couloir, type, beneficiary_type, beneficiary_id, beneficiary_name,"
                " software_kind, solution, bdc_number, bdc_amount_ht, requested_ht, avance_id, status,"
                " status_at, last_export) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", inserted)
            con.executemany(
                "UPDATE demandes SET beneficiary_name = ?, solution = ?, bdc_amount_ht = ?, requested_ht = ?,"
                " avance_id = COALESCE(?, avance_id), status = ?, status_at = CASE WHEN ? THEN ? ELSE status_at"
                " END, last_export = ? WHERE id = ?", updated)
            con.executemany(_INSERT_HISTORY, history)
            con.executemany(
                "INSERT INTO deposits (export_id, demande_id, json_file, json_file_sha256, request_sha256,"
                " request_json) VALUES (?, ?, ?, ?, ?, ?)",
                [(export_id, i.id, i.json_file, i.json_file_sha256, i.request_sha256, i.request_json) for i in items])
            con.executemany(
                "INSERT INTO attachments (export_id, demande_id, name, sha256, size, source) VALUES (?, ?, ?, ?, ?, ?)",
                [(export_id, i.id, a.name, a.sha256, a.size, a.source) for i in items for a in i.attachments])
        return RecordOutcome(tuple(new), tuple(again), False)

    def set_status(self, changes: Iterable[StatusChange], *, source: str, author: str | None = None,
                   at: datetime | None = None, force: bool = False) -> StatusOutcome:
        """Apply status changes in one transaction: allowed ones are applied, the others reported with why.

        `force` accepts a change the lifecycle does not allow (correcting a mistake); history says it was forced.
        """
        at_text = (at or now()).isoformat()
        author = self.author(author)
        outcome = StatusOutcome()
        changes = list(changes)
        with self._connect(write=True) as con:
            # The demandes' statuses read at once, the writes sent in batches (one round trip each, not three per
            # demande: a status file of 20k lines on a shared register); a demande named twice sees its first change.
            current = _statuses(con, [c.id for c in changes if c.avenant is None])
            updates: list[tuple[Any, ...]] = []
            lines: list[tuple[Any, ...]] = []

            def flush() -> None:
                con.executemany("UPDATE demandes SET status = ?, status_at = ? WHERE id = ?", updates)
                con.executemany(_INSERT_HISTORY, lines)
                updates.clear()
                lines.clear()

            for change in changes:
                if change.status not in self.lifecycle.statuses:
                    outcome.refused.append((change.id, _("statut inconnu « {status} »").format(status=change.status)))
                    continue
                if change.avenant is not None:
                    flush()  # it reads its avance's row and writes its own history line, in order
                    self._set_avenant_status(con, change, outcome, at_text, author, source, force)
                    continue
                row = current.get(change.id)
                if row is None:
                    outcome.unknown.append(change.id)
                    continue
                old = row[0]
                if old == change.status:
                    outcome.unchanged.append(change.id)
                    continue
                if change.seen_at is not None and (datetime.fromisoformat(row[1]) != change.seen_at
                                                   or change.seen_status not in (None, old)):
                    flush()
                    outcome.refused.append((change.id, self._changed_since(con, change.id, old)))
                    continue
                allowed = self.lifecycle.allowed(old, change.status)
                if not allowed and not force:
                    outcome.refused.append((change.id, self.lifecycle.refusal(old, change.status)))
                    continue
                updates.append((change.status, at_text, change.id))
                lines.append((change.id, at_text, old, change.status, change.comment, author, source, int(not allowed)))
                current[change.id] = (change.status, at_text)
                outcome.applied.append((change.id, old, change.status))
            flush()
        return outcome

    def _changed_since(self, con: Any, demande_id: str, status: str) -> str:
        """Why a change based on an older reading is refused: who changed the demande, when, how (French)."""
        last = con.execute("SELECT at, author, source FROM history WHERE demande_id = ? ORDER BY id DESC LIMIT 1",
                           (demande_id,)).fetchone()
        at, author, source = last if last else (None, "?", "?")
        day = format_instant(datetime.fromisoformat(at)) if at else "?"
        return _("changée depuis que vous l'avez lue : « {status} » le {day} par {author} ({source}) ; relisez le "
                 "registre (F5), puis recommencez si c'est toujours utile").format(
            status=self.lifecycle.label(status), day=day, author=author, source=source)

    def _set_avenant_status(self, con: Any, change: StatusChange, outcome: StatusOutcome, at: str,
                            author: str, source: str, force: bool) -> None:
        """One avenant's change inside `set_status`'s transaction; its avance's history notes it."""
        avenant = change.avenant
        assert avenant is not None, "set_status sends the avenants' changes here"
        ref = reference(change.id, avenant)
        old = avenant_status(con, change.id, avenant)
        if old is None:
            outcome.unknown.append(ref)
            return
        if old == change.status:
            outcome.unchanged.append(ref)
            return
        allowed = self.lifecycle.allowed(old, change.status)
        if not allowed and not force:
            outcome.refused.append((ref, self.lifecycle.refusal(old, change.status)))
            return
        update_avenant(con, change.id, avenant, change.status, at)
        avance = con.execute("SELECT status FROM demandes WHERE id = ?", (change.id,)).fetchone()[0]
        _history(con, change.id, at, avance, avance, history_comment(
            avenant, self.lifecycle.label(old), self.lifecycle.label(change.status), change.comment),
                 author, source, not allowed)
        outcome.applied.append((ref, old, change.status))

    def add_avenants(self, avenants: Iterable[NewAvenant], *, source: str, author: str | None = None,
                     at: datetime | None = None) -> list[tuple[str, str]]:
        """Record avenants of avances of the register, in one transaction; (reference, French reason) of those
        that cannot be (unknown avance, a solde, a number already recorded, a status outside the lifecycle)."""
        at_text = (at or now()).isoformat()
        author = self.author(author)
        refused: list[tuple[str, str]] = []
        with self._connect(write=True) as con:
            for new in avenants:
                problem = why_not_recorded(con, new) if new.status in self.lifecycle.statuses else _(
                    "statut inconnu « {status} »").format(status=new.status)
                if problem is not None:
                    refused.append((reference(new.avance_id, new.numero), problem))
                    continue
                insert_avenant(con, new, at_text)
                avance = con.execute("SELECT status FROM demandes WHERE id = ?", (new.avance_id,)).fetchone()[0]
                _history(con, new.avance_id, at_text, avance, avance, history_comment(
                    new.numero, None, self.lifecycle.label(new.status), new.comment), author, source)
        return refused

    def add_note(self, demande_ids: Iterable[str], comment: str, *, source: str, author: str | None = None,
                 at: datetime | None = None) -> None:
        """A line in each demande's history that changes no status (a follow-up bundle prepared, say)."""
        at_text = (at or now()).isoformat()
        author = self.author(author)
        with self._connect(write=True) as con:
            for demande_id in demande_ids:
                row = con.execute("SELECT status FROM demandes WHERE id = ?", (demande_id,)).fetchone()
                if row is not None:
                    _history(con, demande_id, at_text, row[0], row[0], comment, author, source)

    # -- reading -----------------------------------------------------------------
    def entries(self) -> list[Entry]:
        return self._entries("", ())

    def entry(self, demande_id: str) -> Entry | None:
        found = self._entries("WHERE d.id = ?", (demande_id,))
        return found[0] if found else None

    def _entries(self, where: str, parameters: tuple[Any, ...]) -> list[Entry]:
        with self._connect() as con:
            rows = con.execute(
                "SELECT d.id, d.couloir, d.type, d.beneficiary_type, d.beneficiary_id, d.beneficiary_name,"
                " d.software_kind, d.solution, d.bdc_number, d.bdc_amount_ht, d.requested_ht, d.avance_id, d.status,"
                " d.status_at, e.bundle_name, e.generated_at FROM demandes d JOIN exports e ON e.id = d.last_export"
                f" {where} ORDER BY d.couloir, d.type, d.bdc_number, d.id", parameters).fetchall()
            avenants = read_avenants(con, parameters[0] if parameters else None)
        return [_entry(row, avenants.get(row[0], ())) for row in rows]

    def history(self, demande_id: str) -> list[HistoryItem]:
        with self._connect() as con:
            rows = con.execute("SELECT at, old_status, new_status, comment, author, source, forced FROM history"
                               " WHERE demande_id = ? ORDER BY id", (demande_id,)).fetchall()
        return [HistoryItem(datetime.fromisoformat(r[0]), r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows]

    def deposits(self, demande_id: str) -> list[Deposit]:
        """Every export of the demande, oldest first."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT e.bundle_name, e.bundle, e.generated_at, p.json_file, p.request_json, p.request_sha256, p.export_id"
                " FROM deposits p JOIN exports e ON e.id = p.export_id WHERE p.demande_id = ? ORDER BY p.export_id",
                (demande_id,)).fetchall()
            found = []
            for bundle_name, bundle, generated_at, json_file, request, sha256, export_id in rows:
                pieces = con.execute("SELECT name, sha256, size, source FROM attachments WHERE export_id = ? AND"
                                     " demande_id = ? ORDER BY name", (export_id, demande_id)).fetchall()
                found.append(Deposit(bundle_name, bundle, datetime.fromisoformat(generated_at), json_file,
                                     json.loads(request), sha256, tuple(Attachment(*p) for p in pieces)))
        return found

    def recorded_export(self, manifest_sha256: str) -> bool:
        """Whether the export whose manifest has this SHA-256 is in the register."""
        with self._connect() as con:
            return con.execute("SELECT 1 FROM exports WHERE manifest_sha256 = ?", (manifest_sha256,)).fetchone() is not None

    def recorded_bundles(self, manifest_sha256: str, generated_at: str, workspace: str) -> list[RecordedBundle]:
        """The exported bundles recorded with this manifest, or generated at this instant from this workspace (the
        same bundle with its manifest changed since); the exact one first."""
        with self._connect() as con:
            exports = con.execute(
                "SELECT id, bundle_name, manifest_sha256 FROM exports WHERE kind = 'depot' AND (manifest_sha256 = ?"
                " OR (generated_at = ? AND workspace = ?)) ORDER BY manifest_sha256 != ?, id",
                (manifest_sha256, generated_at, workspace, manifest_sha256)).fetchall()
            return [RecordedBundle(name, sha256, dict(con.execute(
                "SELECT DISTINCT json_file, json_file_sha256 FROM deposits WHERE export_id = ?", (export_id,))),
                {(json_file, piece): digest for json_file, piece, digest in con.execute(
                    "SELECT p.json_file, a.name, a.sha256 FROM attachments a JOIN deposits p ON p.export_id ="
                    " a.export_id AND p.demande_id = a.demande_id WHERE a.export_id = ?", (export_id,))})
                for export_id, name, sha256 in exports]

    def exports_count(self) -> int:
        with self._connect() as con:
            return con.execute("SELECT COUNT(*) FROM exports").fetchone()[0]

    def dump_rows(self) -> dict[str, list[dict[str, Any]]]:
        """Every table's rows as dictionaries (the backup's content), in a stable order."""
        with self._connect() as con:
            return table_rows(con)


TABLE_ORDER = {"exports": "id", "demandes": "id", "deposits": "export_id, demande_id",
               "attachments": "export_id, demande_id, name", "history": "id", "avenants": "avance_id, numero"}


def table_rows(con: Any) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows as dictionaries, in a stable order, read on `con` (its transaction's state)."""
    return {name: list(rows_as_dicts(con.execute(f"SELECT * FROM {name} ORDER BY {order}")))
            for name, order in TABLE_ORDER.items()}


def _statuses(con: Any, ids: list[str]) -> dict[str, tuple[str, str]]:
    """id -> (status, status_at) of these demandes (those in the register), read by chunks of ids."""
    found: dict[str, tuple[str, str]] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start:start + 500]
        found.update((i, (status, at)) for i, status, at in con.execute(
            f"SELECT id, status, status_at FROM demandes WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
    return found


def _counts(con: Any) -> Counts:
    return Counts(*(con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in MARKER_TABLES))


def _avance_key(row: tuple[Any, ...]) -> tuple[str, str, str, str]:
    """(couloir, BDC number, identifier type, identifier) of an (id, …) row: what ties a solde to its avance."""
    return row[1], row[2], row[3], row[4]


# One history line: `_history` writes one, `record` and `set_status` many at once.
_INSERT_HISTORY = ("INSERT INTO history (demande_id, at, old_status, new_status, comment, author, source, forced)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


def _history(con: Any, demande_id: str, at: str, old: str | None, new: str, comment: str, author: str,
             source: str, forced: bool = False) -> None:
    con.execute(_INSERT_HISTORY, (demande_id, at, old, new, comment, author, source, int(forced)))


# The columns `_entries` selects: the entry's nine text fields first, amounts and instants as stored (text).
_EntryRow = tuple[str, str, str, str, str, str, str, str, str, str, str, str | None, str, str, str, str]


def _entry(row: _EntryRow, avenants: tuple[Avenant, ...] = ()) -> Entry:
    return Entry(*row[:9], Decimal(row[9]), Decimal(row[10]), row[11], row[12], datetime.fromisoformat(row[13]),
                 row[14], datetime.fromisoformat(row[15]), avenants)
