"""Is this a complete, consistent backup of our format? Said before anything is merged.

The JSON Schema (`resources/register-backup.schema.json`) checks each row's
shape; what it cannot see (duplicate keys, references to missing rows,
unreadable instants, amounts or deposited JSON, a status outside the lifecycle
in force) is checked here. A problem is
a French `InputError` naming the file and, for an XLSX backup, the sheet and
row, so the user can find the cell. Nothing here writes to the register.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.datafiles import format_problem, load_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.paths import resources_dir
from segur_desktop.core.register.backup.layout import (
    FIRST_DATA_ROW,
    FORMAT,
    LATER_TABLES,
    SCHEMA_FILE,
    SCHEMA_VERSION,
    TABLES,
    not_a_backup,
)
from segur_desktop.core.register.lifecycle import Lifecycle


@cache
def _validator() -> Any:
    """The backup's schema in jsonschema-rs: a large register is checked quickly; format_problem says why."""
    return jsonschema_rs.validator_for(load_json(resources_dir() / SCHEMA_FILE))


def checked(data: Any, path: Path, suffix: str, lifecycle: Lifecycle) -> dict[str, list[dict[str, Any]]]:
    """The backup's tables, once the file is known to be a complete, consistent backup of this format whose
    statuses are all in `lifecycle` (one outside it would make every later check fail)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise not_a_backup(path)
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise InputError(_("La sauvegarde « {path} » a été écrite par une version plus récente de Segur Desktop "
                           "(format {found}, cette version lit le format {known}). Mettez l'application à jour, puis "
                           "importez-la de nouveau.").format(path=path, found=version, known=SCHEMA_VERSION))
    if not _validator().is_valid(data):
        problem = format_problem(data, SCHEMA_FILE) or _("contenu non conforme")
        raise _damaged(path, _located(problem, suffix))
    tables = dict(data["tables"])
    for name in LATER_TABLES:
        tables.setdefault(name, [])  # a backup from before that table: nothing of it to import
    inconsistent = _inconsistency(tables, suffix) or _unknown_status(tables, suffix, lifecycle)
    if inconsistent:
        raise _damaged(path, inconsistent)
    return tables


def _damaged(path: Path, problem: str) -> InputError:
    return InputError(_("La sauvegarde « {path} » est endommagée ou a été modifiée à la main : {problem} Rien n'a été "
                        "importé. Choisissez une autre sauvegarde, ou exportez de nouveau le registre "
                        "d'origine.").format(path=path, problem=problem.rstrip(".") + "."))


def _where(table: str, index: int, suffix: str) -> str:
    if suffix == ".xlsx":
        return _("feuille « {sheet} », ligne {row}").format(sheet=TABLES[table].sheet, row=index + FIRST_DATA_ROW)
    return _("table « {table} », ligne {row}").format(table=table, row=index + 1)


def _located(problem: str, suffix: str) -> str:
    """A schema message's JSON path (tables/demandes/3/status) said as a sheet and row."""
    def place(match: re.Match[str]) -> str:
        return _("{where}, colonne « {column} »").format(
            where=_where(match[1], int(match[2]), suffix), column=match[3])
    return re.sub(r"tables/(\w+)/(\d+)/(\w+)", lambda m: place(m) if m[1] in TABLES else m[0], problem)


def _inconsistency(tables: dict[str, list[dict[str, Any]]], suffix: str) -> str | None:
    """What the schema cannot see: duplicate keys, references to missing rows, unreadable instants or JSON."""
    keys = {"exports": ("id",), "demandes": ("id",), "deposits": ("export_id", "demande_id"),
            "attachments": ("export_id", "demande_id", "name"), "history": ("id",), "avenants": ("avance_id", "numero")}
    seen: dict[str, set[tuple[Any, ...]]] = {}
    for name, key in keys.items():
        seen[name] = set()
        for index, row in enumerate(tables[name]):
            value = tuple(row[k] for k in key)
            if value in seen[name]:
                return _("{where} : {key} en double").format(where=_where(name, index, suffix), key=" / ".join(key))
            seen[name].add(value)
    manifests: set[str] = set()
    for index, row in enumerate(tables["exports"]):
        if row["manifest_sha256"] in manifests:
            return _("{where} : manifest_sha256 en double").format(where=_where("exports", index, suffix))
        manifests.add(row["manifest_sha256"])
    exports = {k[0] for k in seen["exports"]}
    demandes = {k[0] for k in seen["demandes"]}
    references = (("demandes", "last_export", exports), ("demandes", "avance_id", demandes),
                  ("deposits", "export_id", exports), ("deposits", "demande_id", demandes),
                  ("history", "demande_id", demandes), ("avenants", "avance_id", demandes))
    for name, column, targets in references:
        for index, row in enumerate(tables[name]):
            if row[column] is not None and row[column] not in targets:
                return _("{where} : « {value} » ({column}) ne renvoie à aucune ligne de la sauvegarde").format(
                    where=_where(name, index, suffix), value=row[column], column=column)
    for index, row in enumerate(tables["attachments"]):
        if (row["export_id"], row["demande_id"]) not in seen["deposits"]:
            return _("{where} : la pièce « {name} » ne renvoie à aucun contenu déposé").format(
                where=_where("attachments", index, suffix), name=row["name"])
    instants = {"exports": ("generated_at", "recorded_at"), "demandes": ("status_at",), "history": ("at",),
                "avenants": ("status_at",)}
    for name, columns in instants.items():
        for index, row in enumerate(tables[name]):
            for column in columns:
                try:
                    parse_instant(row[column])
                except ValueError:
                    return _("{where} : « {value} » ({column}) n'est pas un instant ISO 8601").format(
                        where=_where(name, index, suffix), value=row[column], column=column)
    for index, row in enumerate(tables["demandes"]):
        for column in ("bdc_amount_ht", "requested_ht"):
            try:
                Decimal(row[column])
            except InvalidOperation:
                return _("{where} : « {value} » ({column}) n'est pas un montant").format(
                    where=_where("demandes", index, suffix), value=row[column], column=column)
    soldes = {row["id"] for row in tables["demandes"] if row["type"] != "avance"}
    for index, row in enumerate(tables["avenants"]):
        if row["avance_id"] in soldes:
            return _("{where} : « {value} » est un solde ; un avenant modifie une avance").format(
                where=_where("avenants", index, suffix), value=row["avance_id"])
    for index, row in enumerate(tables["deposits"]):
        try:
            if not isinstance(json.loads(row["request_json"]), dict):
                raise ValueError
        except (ValueError, RecursionError, TypeError):
            return _("{where} : request_json n'est pas le JSON d'une demande").format(
                where=_where("deposits", index, suffix))
    return None


def _unknown_status(tables: dict[str, list[dict[str, Any]]], suffix: str, lifecycle: Lifecycle) -> str | None:
    """A status the lifecycle in force does not know (`resources/statuses.json`), in a demande, its history or an
    avenant."""
    columns = (("demandes", "status"), ("history", "old_status"), ("history", "new_status"), ("avenants", "status"))
    for name, column in columns:
        for index, row in enumerate(tables[name]):
            if row[column] is not None and row[column] not in lifecycle.statuses:
                return _("{where} : statut « {value} » ({column}) inconnu de cette version (statuts : {known})").format(
                    where=_where(name, index, suffix), value=row[column], column=column,
                    known=", ".join(lifecycle.statuses))
    return None
