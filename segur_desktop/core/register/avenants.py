"""Avenants: the amendments of a deposited avance, each with its own portal status.

On the portal an avance can be amended (« avenant », numbered 1, 2 …), and the
solde of that avance is refused until its **last** avenant is « décidée et
payée » (ASP and ANS public pages, see DOMAIN.md). Segur Desktop does not
write avenants; it remembers them so validation can hold back the solde:

- an avenant is a row of the register's `avenants` table (migration 2), keyed
  by its avance's request id and its number, with its status and the instant
  of that status. Its statuses are the lifecycle's (`resources/statuses.json`);
  the one that releases the solde is marked `"closes_avenant": true`
  (« décidée et payée »);
- it enters by hand (`register avenant ID_AVANCE N`), or from a status file
  line naming it (an « Avenant » column, or « Avenant n° 2 » as the request
  type); its status changes like a demande's (`register set-status --avenant N
  ID_AVANCE STATUT`, a status file), within the lifecycle unless forced;
- each entry or change is also a line of its avance's history that changes no
  status of the avance (« avenant n° 2 : En cours → Décidée et payée »), so
  the history says who changed what, when and how.

This module holds the SQL on a connection the `Register` opened (SQLite or
PostgreSQL: `backend`); nothing here opens the database or imports Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.text import match_key

_NUMBER = re.compile(r"\d+")
MAX_AVENANT = 99  # an avance has a handful of avenants; a larger number is a misread cell, never recorded


@dataclass(frozen=True, slots=True)
class Avenant:
    avance_id: str
    numero: int  # 1, 2 … as the portal numbers them
    status: str
    status_at: datetime


@dataclass(frozen=True, slots=True)
class NewAvenant:
    """An avenant to record: of which avance, its number, its status on the portal."""

    avance_id: str
    numero: int
    status: str
    comment: str = ""


def reference(avance_id: str, numero: int) -> str:
    """How an avenant is named in outcomes and messages: « HOP-AV-… avenant n° 2 »."""
    return _("{avance} avenant n° {numero}").format(avance=avance_id, numero=numero)


def avenant_number(text: object) -> int | None:
    """The avenant a cell names: « 2 », « Avenant n° 2 », 2.0 (a number read from a workbook); None when it names
    no number."""
    if isinstance(text, float) and text.is_integer():
        return int(text)
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    found = _NUMBER.search(str(text)) if text is not None else None
    return int(found.group()) if found else None


def names_avenant(text: object) -> bool:
    """Whether a request-type cell says the line is about an avenant (« Avenant », « Avenant n° 2 »)."""
    return text is not None and "avenant" in match_key(text)


def read_avenants(con: Any, avance_id: str | None = None) -> dict[str, tuple[Avenant, ...]]:
    """Avenants by avance, each avance's in number order (all, or those of one avance)."""
    where, parameters = ("WHERE avance_id = ?", (avance_id,)) if avance_id is not None else ("", ())
    found: dict[str, list[Avenant]] = {}
    for avance, numero, status, status_at in con.execute(
            f"SELECT avance_id, numero, status, status_at FROM avenants {where} ORDER BY avance_id, numero",
            parameters):
        found.setdefault(avance, []).append(Avenant(avance, numero, status, datetime.fromisoformat(status_at)))
    return {avance: tuple(items) for avance, items in found.items()}


def avenant_status(con: Any, avance_id: str, numero: int) -> str | None:
    if not 1 <= numero <= MAX_AVENANT:  # none is recorded, and a number past 64 bits is no SQL parameter
        return None
    row = con.execute("SELECT status FROM avenants WHERE avance_id = ? AND numero = ?", (avance_id, numero)).fetchone()
    return row[0] if row else None


def why_not_recorded(con: Any, new: NewAvenant) -> str | None:
    """Why `new` cannot be recorded (French), or None."""
    row = con.execute("SELECT type FROM demandes WHERE id = ?", (new.avance_id,)).fetchone()
    if row is None:
        return _("la demande « {id} » n'est pas dans le registre de suivi").format(id=new.avance_id)
    if row[0] != "avance":
        return _("« {id} » est une demande de solde : un avenant modifie une avance").format(id=new.avance_id)
    if not 1 <= new.numero <= MAX_AVENANT:
        return _("un numéro d'avenant va de 1 à {max}").format(max=MAX_AVENANT)
    if avenant_status(con, new.avance_id, new.numero) is not None:
        return _("l'avenant n° {numero} de « {id} » est déjà enregistré : changez son statut avec set-status "
                 "--avenant {numero}").format(numero=new.numero, id=new.avance_id)
    return None


def insert_avenant(con: Any, new: NewAvenant, at: str) -> None:
    con.execute("INSERT INTO avenants (avance_id, numero, status, status_at) VALUES (?, ?, ?, ?)",
                (new.avance_id, new.numero, new.status, at))


def update_avenant(con: Any, avance_id: str, numero: int, status: str, at: str) -> None:
    con.execute("UPDATE avenants SET status = ?, status_at = ? WHERE avance_id = ? AND numero = ?",
                (status, at, avance_id, numero))


def history_comment(numero: int, old_label: str | None, new_label: str, comment: str) -> str:
    """The avance's history line for an avenant entering or changing: what happened, then the user's comment."""
    what = (_("avenant n° {numero} enregistré : « {new} »") if old_label is None
            else _("avenant n° {numero} : « {old} » → « {new} »")).format(numero=numero, old=old_label, new=new_label)
    return f"{what} — {comment}" if comment else what
