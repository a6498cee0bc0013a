"""A checked backup merged into a register: rows matched by what identifies them across registers.

An export is matched by its manifest's hash, a demande by its id, a history
row by the change it records, an avenant by its avance and number; never by the other register's integer ids, which
are renumbered here. What the register already has stays, so importing the same
backup twice changes nothing. The caller holds the write transaction: the merge
is all or nothing.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from typing import Any

from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.register.backend import insert_id, rows_as_dicts

HISTORY_KEY = ("demande_id", "at", "old_status", "new_status", "source", "comment")  # the same change twice


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What a merge changed (all zero: the register already knew everything in the backup)."""

    exports_added: int
    demandes_added: int
    demandes_updated: int  # a newer status, a later export or a newly known avance
    history_added: int
    avenants_added: int = 0
    avenants_updated: int = 0  # a newer status

def merge_tables(con: Any, tables: dict[str, list[dict[str, Any]]]) -> ImportSummary:
    exports_added, export_ids = _merge_exports(con, tables["exports"])
    demandes_added, demandes_updated = _merge_demandes(con, tables["demandes"], export_ids)
    _merge_deposits(con, tables["deposits"], tables["attachments"], export_ids)
    history_added = _merge_history(con, tables["history"])
    avenants_added, avenants_updated = _merge_avenants(con, tables.get("avenants", []))
    return ImportSummary(exports_added, demandes_added, demandes_updated, history_added, avenants_added,
                         avenants_updated)


def _merge_avenants(con: Any, rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Avenants by (avance, number): a new one enters as the backup has it; one already here takes the backup's
    status when that status is later (by status_at)."""
    here = {(a, n): s for a, n, s in con.execute("SELECT avance_id, numero, status_at FROM avenants")}
    added = updated = 0
    for row in rows:
        key = (row["avance_id"], row["numero"])
        if key not in here:
            con.execute("INSERT INTO avenants (avance_id, numero, status, status_at) VALUES (?, ?, ?, ?)",
                        (row["avance_id"], row["numero"], row["status"], row["status_at"]))
            added += 1
        elif parse_instant(row["status_at"]) > parse_instant(here[key]):
            con.execute("UPDATE avenants SET status = ?, status_at = ? WHERE avance_id = ? AND numero = ?",
                        (row["status"], row["status_at"], row["avance_id"], row["numero"]))
            updated += 1
    return added, updated


def _merge_exports(con: Any, rows: list[dict[str, Any]]) -> tuple[int, dict[int, int]]:
    """Exports are matched by their manifest's hash; the backup's ids become this register's."""
    known = dict(con.execute("SELECT manifest_sha256, id FROM exports"))
    ids: dict[int, int] = {}
    added = 0
    for row in rows:
        if row["manifest_sha256"] in known:
            ids[row["id"]] = known[row["manifest_sha256"]]
            continue
        ids[row["id"]] = insert_id(
            con, "INSERT INTO exports (bundle, bundle_name, manifest_sha256, kind, generated_at, recorded_at,"
            " workspace) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (row["bundle"], row["bundle_name"], row["manifest_sha256"], row["kind"], row["generated_at"],
             row["recorded_at"], row["workspace"]))
        added += 1
    return added, ids


def _merge_demandes(con: Any, rows: list[dict[str, Any]], export_ids: dict[int, int]) -> tuple[int, int]:
    """A new demande enters as the backup has it. One already here keeps its row, except: a later status
    (by status_at) replaces its status; a later export (by its generation instant) brings what that export
    said of it (name, solution, amounts), as recording that export here would have; a solde learns its avance."""
    exported = {i: (parse_instant(g), parse_instant(r))
                for i, g, r in con.execute("SELECT id, generated_at, recorded_at FROM exports")}
    current = {r[0]: r for r in con.execute("SELECT id, status, status_at, last_export, avance_id FROM demandes")}
    added, updated, avances = 0, set(), []
    for row in rows:
        last_export = export_ids[row["last_export"]]
        here = current.get(row["id"])
        if here is None:
            con.execute(
                "INSERT INTO demandes (id, couloir, type, beneficiary_type, beneficiary_id, beneficiary_name,"
                " software_kind, solution, bdc_number, bdc_amount_ht, requested_ht, avance_id, status, status_at,"
                " last_export) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
                (row["id"], row["couloir"], row["type"], row["beneficiary_type"], row["beneficiary_id"],
                 row["beneficiary_name"], row["software_kind"], row["solution"], row["bdc_number"],
                 row["bdc_amount_ht"], row["requested_ht"], row["status"], row["status_at"], last_export))
            added += 1
            if row["avance_id"] is not None:
                avances.append((row["avance_id"], row["id"]))  # once every demande is in (foreign key)
            continue
        _, status, status_at, here_export, here_avance = here
        if parse_instant(row["status_at"]) > parse_instant(status_at):
            con.execute("UPDATE demandes SET status = ?, status_at = ? WHERE id = ?",
                        (row["status"], row["status_at"], row["id"]))
            updated.add(row["id"])
        if last_export != here_export and exported[last_export] > exported[here_export]:
            con.execute("UPDATE demandes SET beneficiary_name = ?, solution = ?, bdc_amount_ht = ?, requested_ht = ?,"
                        " last_export = ? WHERE id = ?",
                        (row["beneficiary_name"], row["solution"], row["bdc_amount_ht"], row["requested_ht"],
                         last_export, row["id"]))
            updated.add(row["id"])
        if here_avance is None and row["avance_id"] is not None:
            avances.append((row["avance_id"], row["id"]))
            updated.add(row["id"])
    con.executemany("UPDATE demandes SET avance_id = ? WHERE id = ? AND avance_id IS NULL", avances)
    return added, len(updated)


def _merge_deposits(con: Any, deposits: list[dict[str, Any]], attachments: list[dict[str, Any]],
                    export_ids: dict[int, int]) -> None:
    """Deposits by (export, demande), attachments by (export, demande, name): what is here stays."""
    known = set(con.execute("SELECT export_id, demande_id FROM deposits"))
    con.executemany(
        "INSERT INTO deposits (export_id, demande_id, json_file, json_file_sha256, request_sha256, request_json)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(export_ids[r["export_id"]], r["demande_id"], r["json_file"], r["json_file_sha256"], r["request_sha256"],
          r["request_json"]) for r in deposits if (export_ids[r["export_id"]], r["demande_id"]) not in known])
    pieces = set(con.execute("SELECT export_id, demande_id, name FROM attachments"))
    con.executemany(
        "INSERT INTO attachments (export_id, demande_id, name, sha256, size, source) VALUES (?, ?, ?, ?, ?, ?)",
        [(export_ids[r["export_id"]], r["demande_id"], r["name"], r["sha256"], r["size"], r["source"])
         for r in attachments if (export_ids[r["export_id"]], r["demande_id"], r["name"]) not in pieces])


HISTORY_COLUMNS = ("demande_id", "at", "old_status", "new_status", "comment", "author", "source", "forced")


def _merge_history(con: Any, rows: list[dict[str, Any]]) -> int:
    """History rows the register lacks, deduplicated on HISTORY_KEY (as many times as the backup has them).

    A demande's history is read in id order: when imported changes happened between changes already
    here, that demande's rows are written again in the order of their instants (each side keeps its
    own order), so its history reads chronologically and ends with its latest change.
    """
    existing: dict[str, list[dict[str, Any]]] = {}
    for row in rows_as_dicts(con.execute(f"SELECT {', '.join(HISTORY_COLUMNS)} FROM history ORDER BY id")):
        existing.setdefault(row["demande_id"], []).append(row)
    unmatched = {d: Counter(tuple(r[k] for k in HISTORY_KEY) for r in found) for d, found in existing.items()}
    new: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        key = tuple(row[k] for k in HISTORY_KEY)
        counter = unmatched.setdefault(row["demande_id"], Counter())
        if counter[key] > 0:
            counter[key] -= 1
        else:
            new.setdefault(row["demande_id"], []).append(row)
    insert = f"INSERT INTO history ({', '.join(HISTORY_COLUMNS)}) VALUES ({', '.join('?' * len(HISTORY_COLUMNS))})"
    appended: list[dict[str, Any]] = []
    for demande, added in new.items():
        here = existing.get(demande, [])
        merged = list(heapq.merge(here, added, key=lambda r: parse_instant(r["at"])))
        if all(a is b for a, b in zip(merged, here, strict=False)):  # merged is the longer
            appended += added  # the imported changes all come after those here
            continue
        con.execute("DELETE FROM history WHERE demande_id = ?", (demande,))
        con.executemany(insert, [tuple(r[c] for c in HISTORY_COLUMNS) for r in merged])
    # In the backup's order, so a register restored from its backup numbers its history as the original did.
    appended.sort(key=lambda r: r["id"])
    con.executemany(insert, [tuple(r[c] for c in HISTORY_COLUMNS) for r in appended])
    return sum(len(added) for added in new.values())
