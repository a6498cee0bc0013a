"""The register's marker (« témoin »): how many rows it held, written beside it, so an emptied register is told
from a new one.

A register file that is deleted, truncated to 0 bytes or replaced by an older
copy would, left alone, be opened as a new empty register: every « déjà
déposée » protection gone, silently. So, once a register holds a row, a small
JSON file beside it (`<name>.temoin.json`) records its row counts (exports,
demandes, history), the instant, and the last backup written. The register's
rows only ever grow (an export, a status change, an import add rows; nothing
deletes one), so a register holding fewer rows than its marker says has lost
some. `Register` refuses it until a backup is imported (`register import`) or
the loss is acknowledged (`register reset --confirm`).

Counts are read in the writer's transaction and written after its commit:
whatever the interleaving of writers, a marker never claims more rows than the
register holds. A marker that cannot be read or written never blocks the
register: it only protects it. Nothing here opens the database.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from segur_desktop.core.atomic import dump_json, write_atomic
from segur_desktop.core.calendar import format_instant
from segur_desktop.core.i18n import _

FORMAT = "segur-desktop-registre-temoin"
SUFFIX = ".temoin.json"
TABLES = ("exports", "demandes", "history")
MAX_MARKER_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Counts:
    exports: int = 0
    demandes: int = 0
    history: int = 0

    @property
    def empty(self) -> bool:
        return not (self.exports or self.demandes or self.history)

    def short_of(self, other: Counts) -> bool:
        """Whether any table holds fewer rows than `other` says."""
        return any(getattr(self, t) < getattr(other, t) for t in TABLES)

    def covers(self, other: Counts) -> bool:
        return all(getattr(self, t) >= getattr(other, t) for t in TABLES)

    def most(self, other: Counts) -> Counts:
        return Counts(*(max(getattr(self, t), getattr(other, t)) for t in TABLES))

    def describe(self) -> str:
        return _("{demandes} demande(s), {exports} export(s) et {history} ligne(s) d'historique").format(
            demandes=self.demandes, exports=self.exports, history=self.history)


@dataclass(frozen=True, slots=True)
class Backup:
    path: str
    at: str
    counts: Counts


@dataclass(frozen=True, slots=True)
class Marker:
    counts: Counts
    at: str  # when these counts were read
    backup: Backup | None = None  # the last backup written of this register
    reset_at: str | None = None  # the last loss acknowledged (`register reset --confirm`)


def marker_path(register: Path) -> Path:
    """`registres/73282932000074.sqlite3` -> `registres/73282932000074.temoin.json`."""
    return register.with_name(register.stem + SUFFIX)


def read_marker(register: Path) -> Marker | None:
    """The marker beside `register`, or None (none yet, or unreadable: it is written again at the next change)."""
    try:
        path = marker_path(register)
        if path.stat().st_size > MAX_MARKER_BYTES:
            return None
        data = json.loads(path.read_bytes())
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        backup = data.get("derniere_sauvegarde")
        return Marker(_counts(data["lignes"]), str(data["le"]),
                      Backup(str(backup["fichier"]), str(backup["le"]), _counts(backup["lignes"])) if backup else None,
                      data.get("reinitialise_le"))
    except (OSError, ValueError, RecursionError, KeyError, TypeError):
        return None


def _counts(data: Any) -> Counts:
    values = [data[t] for t in TABLES]
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values):
        raise ValueError("counts")
    return Counts(*values)


def write_marker(register: Path, marker: Marker) -> None:
    """Written through a temporary file and a rename; a failure (read-only folder, a full disk) is not an error:
    the register itself was written, the marker only protects it."""
    data: dict[str, Any] = {"format": FORMAT, "schema_version": 1, "registre": register.name,
                            "le": marker.at, "lignes": asdict(marker.counts)}
    if marker.backup is not None:
        data["derniere_sauvegarde"] = {"fichier": marker.backup.path, "le": marker.backup.at,
                                       "lignes": asdict(marker.backup.counts)}
    if marker.reset_at is not None:
        data["reinitialise_le"] = marker.reset_at
    try:
        write_atomic(marker_path(register), dump_json(data))
    except OSError:
        pass


def _day(at: str) -> str:
    try:
        return format_instant(datetime.fromisoformat(at))
    except (ValueError, TypeError):
        return at


def lost_rows(register: Path, marker: Marker, found: Counts | None, location: str | None = None) -> str:
    """Why a register holding fewer rows than its marker (or none: `found` None for a missing file) is refused,
    and the two ways out, in French. `location`: what names a shared register (its URL), when `register` is only
    the local path its marker is named after."""
    recorded = marker.counts
    where = _("d'après son témoin « {marker} »").format(marker=marker_path(register).name)
    if found is None:
        what = _("Le registre de suivi « {path} » est introuvable, alors qu'il contenait {recorded} le {day} ({where}) : "
                 "il a été supprimé ou déplacé.")
    elif found.empty and register.is_file() and register.stat().st_size == 0:
        what = _("Le registre de suivi « {path} » est vide (0 octet), alors qu'il contenait {recorded} le {day} "
                 "({where}) : il a été vidé (copie interrompue, disque plein, synchronisation de fichiers ?).")
    else:
        what = _("Le registre de suivi « {path} » a perdu des lignes : il contient {found} au lieu de {recorded} le "
                 "{day} ({where}). Il a été vidé ou remplacé par une copie plus ancienne.")
    text = what.format(path=location or register, recorded=recorded.describe(), day=_day(marker.at), where=where,
                       found=found.describe() if found else "")
    option = f'--register "{register}"' if location is None else "-w DOSSIER"
    if marker.backup is not None:
        restore = _("Restaurez votre dernière sauvegarde, du {day} ({counts}) : segur-desktop register import "
                    "\"{file}\" {option}.").format(day=_day(marker.backup.at), counts=marker.backup.counts.describe(),
                                                 file=marker.backup.path, option=option)
    else:
        restore = _("Restaurez votre dernière sauvegarde (le fichier .json ou .xlsx écrit par « segur-desktop register "
                    "export » ou la page Suivi) : segur-desktop register import SAUVEGARDE {option}.").format(
            option=option)
    return " ".join((text, _("Sans lui, les demandes déjà déposées ne seraient plus reconnues : rien n'est vérifié ni "
                             "exporté tant qu'il n'est pas rétabli."), restore, _(
        "Si vous voulez vraiment repartir du registre tel qu'il est (perdre ce qu'il contenait), confirmez-le : "
        "segur-desktop register reset --confirm {option}.").format(option=option)))
