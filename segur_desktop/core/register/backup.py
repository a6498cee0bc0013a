"""The register's documented backup: every row of every table, to and from JSON or XLSX.

The register is the only memory of what was deposited and what the portal
answered; a lost or damaged SQLite file must not lose it, and two computers
of the same vendor must be able to pool what they know. Hence:

- `export_register` writes the whole register to a `.json` (the exact backup,
  checked against `resources/register-backup.schema.json`) or a `.xlsx` (the
  same rows, readable by people, and read back exactly: row 1 of each sheet
  holds French headers, row 2 the technical column names). Amounts and
  instants stay text, so nothing is rounded or reformatted on the way.
  Written through a temporary file and a rename: never half a backup. (Excel
  itself shows at most 32,767 characters per cell: a very long deposited JSON
  is read back exactly by the import, but not if the workbook was re-saved by
  Excel; the JSON backup is the exact one.)
- `import_register` merges a backup into a register in one transaction, all or
  nothing. Rows are matched by what identifies them across registers (an
  export by its manifest's hash, a demande by its id), never by the integer
  ids of the other register; importing the same backup twice changes nothing.
  A file that is not a usable backup is a French `InputError` naming it.
"""

from __future__ import annotations

import heapq
import io
import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import python_calamine
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

import segur_desktop
from segur_desktop.core.atomic import dump_json, write_atomic
from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.datafiles import format_problem, load_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import N_, _
from segur_desktop.core.paths import resources_dir
from segur_desktop.core.read.limits import ZIP_MAGIC, check_file
from segur_desktop.core.register.store import Register, now
from segur_desktop.core.xlsx_safe import set_value

FORMAT = "segur-desktop-registre"
SCHEMA_VERSION = 1
SCHEMA_FILE = "register-backup.schema.json"
SUFFIXES = (".json", ".xlsx")
ABOUT_SHEET = "À propos"  # sheet names are part of the format: never translated
FIRST_DATA_ROW = 3  # XLSX: row 1 French headers, row 2 technical names

INT, TEXT, NULLABLE = "int", "text", "nullable"  # a column's kind: how an XLSX cell is read back


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # as in the database and the JSON backup
    header: str  # French, for people (XLSX row 1)
    kind: str


@dataclass(frozen=True, slots=True)
class Table:
    sheet: str  # French sheet name in the XLSX backup (part of the format: not translated)
    columns: tuple[Column, ...]


# The tables in dependency order (a row's references come from the tables before it), with
# the columns of `SELECT *` in the database's order.
TABLES: dict[str, Table] = {
    "exports": Table("Dépôts", (
        Column("id", N_("N° d'export"), INT),
        Column("bundle", N_("Emplacement du paquet"), TEXT),
        Column("bundle_name", N_("Paquet"), TEXT),
        Column("manifest_sha256", N_("Empreinte du manifeste (SHA-256)"), TEXT),
        Column("kind", N_("Nature"), TEXT),
        Column("generated_at", N_("Généré le"), TEXT),
        Column("recorded_at", N_("Enregistré le"), TEXT),
        Column("workspace", N_("Dossier de travail"), TEXT),
    )),
    "demandes": Table("Demandes", (
        Column("id", N_("Identifiant de la demande"), TEXT),
        Column("couloir", N_("Couloir"), TEXT),
        Column("type", N_("Type"), TEXT),
        Column("beneficiary_type", N_("Type d'identifiant du bénéficiaire"), TEXT),
        Column("beneficiary_id", N_("Identifiant du bénéficiaire"), TEXT),
        Column("beneficiary_name", N_("Raison sociale"), TEXT),
        Column("software_kind", N_("Type de logiciel"), TEXT),
        Column("solution", N_("Solution"), TEXT),
        Column("bdc_number", N_("N° de bon de commande"), TEXT),
        Column("bdc_amount_ht", N_("Montant HT du bon de commande"), TEXT),
        Column("requested_ht", N_("Montant demandé HT"), TEXT),
        Column("avance_id", N_("Avance de ce solde"), NULLABLE),
        Column("status", N_("Statut (code)"), TEXT),
        Column("status_at", N_("Statut depuis le"), TEXT),
        Column("last_export", N_("Dernier export (N°)"), INT),
    )),
    "deposits": Table("Contenus déposés", (
        Column("export_id", N_("N° d'export"), INT),
        Column("demande_id", N_("Identifiant de la demande"), TEXT),
        Column("json_file", N_("Fichier JSON"), TEXT),
        Column("json_file_sha256", N_("Empreinte du fichier JSON"), TEXT),
        Column("request_sha256", N_("Empreinte de la demande"), TEXT),
        Column("request_json", N_("Demande déposée (JSON)"), TEXT),
    )),
    "attachments": Table("Pièces", (
        Column("export_id", N_("N° d'export"), INT),
        Column("demande_id", N_("Identifiant de la demande"), TEXT),
        Column("name", N_("Pièce (nom dans le zip)"), TEXT),
        Column("sha256", N_("Empreinte (SHA-256)"), TEXT),
        Column("size", N_("Taille (octets)"), INT),
        Column("source", N_("Fichier d'origine"), TEXT),
    )),
    "history": Table("Historique", (
        Column("id", N_("N°"), INT),
        Column("demande_id", N_("Identifiant de la demande"), TEXT),
        Column("at", N_("Le"), TEXT),
        Column("old_status", N_("Ancien statut"), NULLABLE),
        Column("new_status", N_("Nouveau statut"), TEXT),
        Column("comment", N_("Commentaire"), TEXT),
        Column("author", N_("Par"), TEXT),
        Column("source", N_("Origine"), TEXT),
        Column("forced", N_("Forcé (1 = oui)"), INT),
    )),
}
ABOUT_KEYS = (("format", N_("Format")), ("schema_version", N_("Version du format")),
              ("app_version", N_("Version de Segur Desktop")), ("exported_at", N_("Sauvegardé le")),
              ("register_version", N_("Version du registre")))
HISTORY_KEY = ("demande_id", "at", "old_status", "new_status", "source", "comment")  # the same change twice


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """What a backup holds, for the message that confirms it was written."""

    path: Path
    exports: int
    demandes: int
    history: int


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What a merge changed (all zero: the register already knew everything in the backup)."""

    exports_added: int
    demandes_added: int
    demandes_updated: int  # a newer status, a later export or a newly known avance
    history_added: int


# -- export ---------------------------------------------------------------------------------
def export_register(register: Register, path: Path) -> BackupSummary:
    """Write the whole register to `path` (.json or .xlsx, by its suffix), atomically."""
    suffix = _suffix(path)
    # A write transaction held meanwhile keeps the writers out, so the tables (read one query
    # after the other by dump_rows) are one consistent state; readers are not blocked.
    with register._connect(write=True):  # noqa: SLF001 - same package
        tables = register.dump_rows()
        version = register.version
    data = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "app_version": segur_desktop.__version__,
            "exported_at": now().isoformat(), "register_version": version, "tables": tables}
    content = dump_json(data) if suffix == ".json" else _workbook_bytes(data)
    try:
        write_atomic(path, content)
    except OSError as exc:
        raise InputError(_("Impossible d'écrire la sauvegarde « {path} » ({reason}). Choisissez un dossier où vous "
                           "avez le droit d'écrire et vérifiez la place disponible.").format(
            path=path, reason=exc.strerror or exc)) from None
    return BackupSummary(path, len(tables["exports"]), len(tables["demandes"]), len(tables["history"]))


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(_("« {path} » : une sauvegarde du registre est un fichier .json (complet et exact) ou .xlsx "
                           "(lisible dans Excel, relu à l'identique). Choisissez un nom de fichier qui finit par .json "
                           "ou .xlsx.").format(path=path))
    return suffix


def _workbook_bytes(data: dict[str, Any]) -> bytes:
    """Written row by row (openpyxl's write-only mode), so memory stays small; openpyxl's XML writer is the
    cost (about 7 s for 10,000 demandes), which is why the JSON backup is the everyday one."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "Segur Desktop"
    _about_sheet(workbook.create_sheet(ABOUT_SHEET), data)
    for name, table in TABLES.items():
        _table_sheet(workbook.create_sheet(table.sheet), table, data["tables"][name])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cells(sheet: WriteOnlyWorksheet, values: list[Any], font: Font | None = None) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet)
        set_value(cell, value)  # text stays text: amounts, instants, "=…"
        if font is not None:
            cell.font = font
        cells.append(cell)
    return cells


def _about_sheet(sheet: WriteOnlyWorksheet, data: dict[str, Any]) -> None:
    grey = Font(size=8, color="808080")
    for letter, width in zip("ABC", (28, 30, 18)):
        sheet.column_dimensions[letter].width = width
    sheet.append(_cells(sheet, [_("Sauvegarde du registre de suivi Segur Desktop")], Font(bold=True, size=12)))
    sheet.append([])
    for key, label in ABOUT_KEYS:  # rows 3 to 7; import reads the key in column C
        sheet.append(_cells(sheet, [_(label), data[key]]) + _cells(sheet, [key], grey))
    sheet.append([])
    for name, table in TABLES.items():
        sheet.append(_cells(sheet, [table.sheet, _("{n} ligne(s)").format(n=len(data["tables"][name]))]))
    sheet.append([])
    sheet.append(_cells(sheet, [_(
        "Chaque feuille reprend une table du registre : ligne 1, les intitulés ; ligne 2, les noms techniques des "
        "colonnes, qui servent à relire ce classeur (segur-desktop register import). Ne modifiez ni la ligne 2 ni "
        "les noms des feuilles.")]))


def _table_sheet(sheet: WriteOnlyWorksheet, table: Table, rows: list[dict[str, Any]]) -> None:
    for column, spec in enumerate(table.columns, start=1):
        longest = max([len(_(spec.header))] + [len(str(row[spec.name] or "")) for row in rows[:200]])
        sheet.column_dimensions[get_column_letter(column)].width = min(max(longest + 2, 8), 60)
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.append(_cells(sheet, [_(c.header) for c in table.columns], Font(bold=True)))
    sheet.append(_cells(sheet, [c.name for c in table.columns], Font(size=8, color="808080")))
    for row in rows:
        sheet.append(_cells(sheet, [row[c.name] for c in table.columns]))


# -- import ---------------------------------------------------------------------------------
def import_register(register: Register, path: Path) -> ImportSummary:
    """Merge the backup at `path` (.json or .xlsx) into `register`, in one transaction."""
    suffix = _suffix(path)
    data = _read_json(path) if suffix == ".json" else _read_workbook(path)
    tables = _checked(data, path, suffix)
    with register._connect(write=True) as con:  # noqa: SLF001 - same package; all or nothing
        return _merge(con, tables)


def _read_json(path: Path) -> Any:
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise InputError(_("La sauvegarde « {path} » est introuvable. Vérifiez son nom et son dossier.").format(
            path=path)) from None
    except OSError as exc:
        raise InputError(_("La sauvegarde « {path} » ne peut pas être lue ({reason}). Vérifiez qu'elle n'est pas "
                           "ouverte dans un autre programme et que vous avez le droit de la lire.").format(
            path=path, reason=exc.strerror or exc)) from None
    try:
        return json.loads(content)
    except UnicodeDecodeError:
        raise _not_a_backup(path) from None
    except json.JSONDecodeError as exc:
        raise InputError(_("La sauvegarde « {path} » n'est pas un JSON complet et valide (erreur ligne {line}, colonne "
                           "{col}) : elle est peut-être tronquée (copie interrompue ?). Choisissez une autre "
                           "sauvegarde, ou exportez de nouveau le registre d'origine.").format(
            path=path, line=exc.lineno, col=exc.colno)) from None


def _read_workbook(path: Path) -> dict[str, Any]:
    """The XLSX backup as the JSON one: « À propos » gives the header keys, each sheet a table.

    Read with python-calamine (several times faster than openpyxl on a large register): numbers come
    back as floats and empty cells as "", which `_cell` turns back into the register's values.
    """
    try:
        with path.open("rb") as handle:
            if handle.read(4) != ZIP_MAGIC:  # a CSV or a JSON renamed: re-saving it as .xlsx would not help
                raise _not_a_backup(path)
    except OSError:
        pass  # missing or unreadable: check_file says it
    check_file(path)  # empty, encrypted, truncated or a zip bomb: said before parsing
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = set(workbook.sheet_names)
        for sheet in [ABOUT_SHEET] + [t.sheet for t in TABLES.values()]:
            if sheet not in names:
                raise InputError(_("Le classeur « {path} » n'a pas de feuille « {sheet} » : ce n'est pas une "
                                   "sauvegarde du registre, ou une feuille a été supprimée ou renommée. Choisissez le "
                                   "classeur écrit par l'export du registre (ou sa sauvegarde .json).").format(
                    path=path, sheet=sheet))
        data: dict[str, Any] = {}
        for row in _rows(workbook, ABOUT_SHEET):
            if len(row) >= 3 and isinstance(row[2], str) and row[2] in dict(ABOUT_KEYS):
                data[row[2]] = row[1]
        if data.get("format") != FORMAT:
            raise _not_a_backup(path)
        for key in ("schema_version", "register_version"):
            data[key] = _integer(data.get(key))
        data["tables"] = {name: _sheet_rows(_rows(workbook, table.sheet), table, path)
                          for name, table in TABLES.items()}
        return data
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise InputError(_("Le classeur « {path} » ne peut pas être lu ({reason}) : ce n'est pas une sauvegarde du "
                           "registre, ou il est endommagé. Choisissez une autre sauvegarde.").format(
            path=path, reason=exc)) from None


def _rows(workbook: python_calamine.CalamineWorkbook, name: str) -> list[list[Any]]:
    """The sheet's rows from A1, so row and column numbers are the sheet's."""
    return workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _sheet_rows(rows: list[list[Any]], table: Table, path: Path) -> list[dict[str, Any]]:
    names = list(rows[1]) if len(rows) > 1 else []  # row 1: French headers; row 2: technical names
    positions = {name: i for i, name in enumerate(names) if isinstance(name, str) and name}
    expected = {c.name for c in table.columns}
    wrong = [c.name for c in table.columns if c.name not in positions] + sorted(set(positions) - expected)
    if wrong:
        name = wrong[0]
        raise InputError(_("La feuille « {sheet} » du classeur « {path} » n'a pas les colonnes attendues en ligne 2 "
                           "(« {column} » {problem}) : ne modifiez pas cette ligne. Exportez de nouveau le registre "
                           "d'origine, ou importez sa sauvegarde .json.").format(
            sheet=table.sheet, path=path, column=name,
            problem=_("manque") if name in expected else _("n'est pas une colonne du registre")))
    found = []
    width = len(names)
    for values in rows[FIRST_DATA_ROW - 1:]:
        if all(v is None or v == "" for v in values):
            continue  # empty rows (formatting left below the data)
        values = list(values) + [None] * (width - len(values))
        found.append({c.name: _cell(values[positions[c.name]], c.kind) for c in table.columns})
    return found


def _cell(value: Any, kind: str) -> Any:
    if kind == INT:
        return _integer(value)
    if value is None or value == "":
        return None if kind == NULLABLE else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed into a text column by hand
    if isinstance(value, datetime):
        return value.isoformat()
    return value if isinstance(value, str) else str(value)


def _integer(value: Any) -> Any:
    """An integer cell back to an int; anything else is left for the schema to report."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def _not_a_backup(path: Path) -> InputError:
    return InputError(_("« {path} » n'est pas une sauvegarde du registre de suivi Segur Desktop (format « {format} » "
                        "attendu). Choisissez le fichier .json ou .xlsx écrit par « segur-desktop register export » "
                        "ou par la page Suivi.").format(path=path, format=FORMAT))


@cache
def _validator() -> Any:
    """The backup's schema in jsonschema-rs: a large register is checked quickly; format_problem says why."""
    return jsonschema_rs.validator_for(load_json(resources_dir() / SCHEMA_FILE))


def _checked(data: Any, path: Path, suffix: str) -> dict[str, list[dict[str, Any]]]:
    """The backup's tables, once the file is known to be a complete, consistent backup of this format."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _not_a_backup(path)
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise InputError(_("La sauvegarde « {path} » a été écrite par une version plus récente de Segur Desktop "
                           "(format {found}, cette version lit le format {known}). Mettez l'application à jour, puis "
                           "importez-la de nouveau.").format(path=path, found=version, known=SCHEMA_VERSION))
    if not _validator().is_valid(data):
        problem = format_problem(data, SCHEMA_FILE) or _("contenu non conforme")
        raise _damaged(path, _located(problem, suffix))
    tables = data["tables"]
    problem = _inconsistency(tables, suffix)
    if problem:
        raise _damaged(path, problem)
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
            "attachments": ("export_id", "demande_id", "name"), "history": ("id",)}
    seen: dict[str, set[tuple]] = {}
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
                  ("history", "demande_id", demandes))
    for name, column, targets in references:
        for index, row in enumerate(tables[name]):
            if row[column] is not None and row[column] not in targets:
                return _("{where} : « {value} » ({column}) ne renvoie à aucune ligne de la sauvegarde").format(
                    where=_where(name, index, suffix), value=row[column], column=column)
    for index, row in enumerate(tables["attachments"]):
        if (row["export_id"], row["demande_id"]) not in seen["deposits"]:
            return _("{where} : la pièce « {name} » ne renvoie à aucun contenu déposé").format(
                where=_where("attachments", index, suffix), name=row["name"])
    instants = {"exports": ("generated_at", "recorded_at"), "demandes": ("status_at",), "history": ("at",)}
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
    for index, row in enumerate(tables["deposits"]):
        try:
            if not isinstance(json.loads(row["request_json"]), dict):
                raise ValueError
        except ValueError:
            return _("{where} : request_json n'est pas le JSON d'une demande").format(
                where=_where("deposits", index, suffix))
    return None


# -- merge ----------------------------------------------------------------------------------
def _merge(con: sqlite3.Connection, tables: dict[str, list[dict[str, Any]]]) -> ImportSummary:
    exports_added, export_ids = _merge_exports(con, tables["exports"])
    demandes_added, demandes_updated = _merge_demandes(con, tables["demandes"], export_ids)
    _merge_deposits(con, tables["deposits"], tables["attachments"], export_ids)
    history_added = _merge_history(con, tables["history"])
    return ImportSummary(exports_added, demandes_added, demandes_updated, history_added)


def _merge_exports(con: sqlite3.Connection, rows: list[dict[str, Any]]) -> tuple[int, dict[int, int]]:
    """Exports are matched by their manifest's hash; the backup's ids become this register's."""
    known = dict(con.execute("SELECT manifest_sha256, id FROM exports"))
    ids: dict[int, int] = {}
    added = 0
    for row in rows:
        if row["manifest_sha256"] in known:
            ids[row["id"]] = known[row["manifest_sha256"]]
            continue
        ids[row["id"]] = con.execute(
            "INSERT INTO exports (bundle, bundle_name, manifest_sha256, kind, generated_at, recorded_at, workspace)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (row["bundle"], row["bundle_name"], row["manifest_sha256"], row["kind"], row["generated_at"],
             row["recorded_at"], row["workspace"])).lastrowid
        added += 1
    return added, ids


def _merge_demandes(con: sqlite3.Connection, rows: list[dict[str, Any]], export_ids: dict[int, int]) -> tuple[int, int]:
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


def _merge_deposits(con: sqlite3.Connection, deposits: list[dict[str, Any]], attachments: list[dict[str, Any]],
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


def _merge_history(con: sqlite3.Connection, rows: list[dict[str, Any]]) -> int:
    """History rows the register lacks, deduplicated on HISTORY_KEY (as many times as the backup has them).

    A demande's history is read in id order: when imported changes happened between changes already
    here, that demande's rows are written again in the order of their instants (each side keeps its
    own order), so its history reads chronologically and ends with its latest change.
    """
    con.row_factory = sqlite3.Row
    try:
        existing: dict[str, list[dict[str, Any]]] = {}
        for row in con.execute(f"SELECT {', '.join(HISTORY_COLUMNS)} FROM history ORDER BY id"):
            existing.setdefault(row["demande_id"], []).append(dict(row))
    finally:
        con.row_factory = None
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
        if all(a is b for a, b in zip(merged, here)):
            appended += added  # the imported changes all come after those here
            continue
        con.execute("DELETE FROM history WHERE demande_id = ?", (demande,))
        con.executemany(insert, [tuple(r[c] for c in HISTORY_COLUMNS) for r in merged])
    # In the backup's order, so a register restored from its backup numbers its history as the original did.
    appended.sort(key=lambda r: r["id"])
    con.executemany(insert, [tuple(r[c] for c in HISTORY_COLUMNS) for r in appended])
    return sum(len(added) for added in new.values())
