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

This module holds the two entry points; the rest of the package:
- `layout`: the format's name and version, the tables, columns and sheet names;
- `workbook`: the XLSX backup, written and read back;
- `checks`: whether a file read is a complete, consistent backup;
- `merge`: a checked backup merged into a register.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segur_desktop
from segur_desktop.core.atomic import dump_json, write_atomic
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.oserrors import advice_read, advice_write, reason
from segur_desktop.core.register.backup.checks import checked
from segur_desktop.core.register.backup.layout import FORMAT, SCHEMA_VERSION, SUFFIXES, TABLES, not_a_backup
from segur_desktop.core.register.backup.merge import ImportSummary, merge_tables
from segur_desktop.core.register.backup.workbook import holds_backup, read_workbook, workbook_bytes
from segur_desktop.core.register.marker import Counts
from segur_desktop.core.register.store import Register, now

__all__ = ["FORMAT", "SCHEMA_VERSION", "TABLES", "BackupSummary", "ImportSummary", "export_register",
           "import_register", "is_backup"]

MAX_BACKUP_BYTES = 2 * 1024**3  # a larger .json is not read to find out whether it is a backup


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """What a backup holds, for the message that confirms it was written."""

    path: Path
    exports: int
    demandes: int
    history: int


# -- export ---------------------------------------------------------------------------------
def export_register(register: Register, path: Path, *, replace: bool = False) -> BackupSummary:
    """Write the whole register to `path` (.json or .xlsx, by its suffix), atomically.

    An existing file is replaced only when it is a previous backup (known by its content), or with `replace`
    (`--force`): a workspace.json or a client list chosen by mistake is never overwritten.
    """
    suffix = _suffix(path)
    if not replace and (path.exists() or path.is_symlink()) and not is_backup(path):
        raise InputError(_("« {path} » existe déjà et n'est pas une sauvegarde du registre de suivi : il n'a pas été "
                           "remplacé. Choisissez un autre nom de fichier (en ligne de commande, --force le remplace "
                           "par la sauvegarde si c'est vraiment ce que vous voulez).").format(path=path))
    # A write transaction held meanwhile keeps the writers out, so the tables (read one query
    # after the other by dump_rows) are one consistent state; readers are not blocked.
    with register._connect(write=True):
        tables = register.dump_rows()
        version = register.version
    data = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "app_version": segur_desktop.__version__,
            "exported_at": now().isoformat(), "register_version": version, "tables": tables}
    content = dump_json(data) if suffix == ".json" else workbook_bytes(data)
    try:
        write_atomic(path, content)
    except OSError as exc:
        raise InputError(_("Impossible d'écrire la sauvegarde « {path} » ({reason}). {advice}").format(
            path=path, reason=reason(exc), advice=advice_write(exc))) from None
    register.note_backup(path, Counts(len(tables["exports"]), len(tables["demandes"]), len(tables["history"])))
    return BackupSummary(path, len(tables["exports"]), len(tables["demandes"]), len(tables["history"]))


def is_backup(path: Path) -> bool:
    """Whether `path` holds a register backup (JSON or XLSX), judged by its content, not its name."""
    if not path.is_file():
        return False
    if path.suffix.lower() == ".xlsx":
        return holds_backup(path)
    try:
        if path.stat().st_size > MAX_BACKUP_BYTES:
            return False
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("format") == FORMAT


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(_("« {path} » : une sauvegarde du registre est un fichier .json (complet et exact) ou .xlsx "
                           "(lisible dans Excel, relu à l'identique). Choisissez un nom de fichier qui finit par .json "
                           "ou .xlsx.").format(path=path))
    return suffix


# -- import ---------------------------------------------------------------------------------
def import_register(register: Register, path: Path) -> ImportSummary:
    """Merge the backup at `path` (.json or .xlsx) into `register`, in one transaction."""
    suffix = _suffix(path)
    data = _read_json(path) if suffix == ".json" else read_workbook(path)
    tables = checked(data, path, suffix, register.lifecycle)
    with register._connect(write=True) as con:
        return merge_tables(con, tables)


def _read_json(path: Path) -> Any:
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise InputError(_("La sauvegarde « {path} » est introuvable. Vérifiez son nom et son dossier.").format(
            path=path)) from None
    except OSError as exc:
        raise InputError(_("La sauvegarde « {path} » ne peut pas être lue ({reason}). {advice}").format(
            path=path, reason=reason(exc), advice=advice_read(exc))) from None
    try:
        return json.loads(content)
    except UnicodeDecodeError:
        raise not_a_backup(path) from None
    except json.JSONDecodeError as exc:
        raise InputError(_("La sauvegarde « {path} » n'est pas un JSON complet et valide (erreur ligne {line}, colonne "
                           "{col}) : elle est peut-être tronquée (copie interrompue ?). Choisissez une autre "
                           "sauvegarde, ou exportez de nouveau le registre d'origine.").format(
            path=path, line=exc.lineno, col=exc.colno)) from None
    except (RecursionError, ValueError):  # nested thousands of levels deep, or an integer of thousands of digits
        raise not_a_backup(path) from None
