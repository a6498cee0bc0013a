"""The XLSX backup: the same rows as the JSON one, readable by people, and read back exactly.

Row 1 of each table's sheet holds French headers, row 2 the technical column
names the import goes by; « À propos » holds the header keys (format, versions,
instant). Values are written as text where the register keeps text, so an
amount, an instant or a name starting with "=" never becomes a number or a
formula. Reading gives back the dictionary the JSON backup would have given;
checking it is `checks`' job.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import python_calamine
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import N_, _
from segur_desktop.core.oserrors import reason
from segur_desktop.core.read.limits import ZIP_MAGIC, check_file
from segur_desktop.core.register.backup.layout import (
    ABOUT_SHEET,
    FIRST_DATA_ROW,
    FORMAT,
    INT,
    LATER_TABLES,
    NULLABLE,
    TABLES,
    Table,
    not_a_backup,
)
from segur_desktop.core.xlsx_safe import set_value

ABOUT_KEYS = (("format", N_("Format")), ("schema_version", N_("Version du format")),
              ("app_version", N_("Version de Segur Desktop")), ("exported_at", N_("Sauvegardé le")),
              ("register_version", N_("Version du registre")))


def workbook_bytes(data: dict[str, Any]) -> bytes:
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


def _cells(sheet: WriteOnlyWorksheet, values: list[Any], font: Font | None = None) -> list[Cell]:
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
    for letter, width in zip("ABC", (28, 30, 18), strict=True):
        sheet.column_dimensions[letter].width = width  # type: ignore[attr-defined]  # set up as a Worksheet's; stubs miss it
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
        sheet.column_dimensions[get_column_letter(column)].width = min(max(longest + 2, 8), 60)  # type: ignore[attr-defined]
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.append(_cells(sheet, [_(c.header) for c in table.columns], Font(bold=True)))
    sheet.append(_cells(sheet, [c.name for c in table.columns], Font(size=8, color="808080")))
    for row in rows:
        sheet.append(_cells(sheet, [row[c.name] for c in table.columns]))


def read_workbook(path: Path) -> dict[str, Any]:
    """The XLSX backup as the JSON one: « À propos » gives the header keys, each sheet a table.

    Read with python-calamine (several times faster than openpyxl on a large register): numbers come
    back as floats and empty cells as "", which `_cell` turns back into the register's values.
    """
    try:
        with path.open("rb") as handle:
            if handle.read(4) != ZIP_MAGIC:  # a CSV or a JSON renamed: re-saving it as .xlsx would not help
                raise not_a_backup(path)
    except OSError:
        pass  # missing or unreadable: check_file says it
    check_file(path)  # empty, encrypted, truncated or a zip bomb: said before parsing
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = set(workbook.sheet_names)
        for sheet in [ABOUT_SHEET] + [t.sheet for name, t in TABLES.items() if name not in LATER_TABLES]:
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
            raise not_a_backup(path)
        for key in ("schema_version", "register_version"):
            data[key] = _integer(data.get(key))
        data["tables"] = {name: _sheet_rows(_rows(workbook, table.sheet), table, path)
                          for name, table in TABLES.items() if table.sheet in names}  # a later table: maybe absent
        return data
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise InputError(_("Le classeur « {path} » ne peut pas être lu ({reason}) : ce n'est pas une sauvegarde du "
                           "registre, ou il est endommagé. Choisissez une autre sauvegarde.").format(
            path=path, reason=reason(exc) if isinstance(exc, OSError) else exc)) from None


def holds_backup(path: Path) -> bool:
    """Whether the workbook at `path` is a register backup: its « À propos » sheet names our format.

    Only that small sheet is read; anything unreadable is not a backup.
    """
    try:
        check_file(path)
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        if ABOUT_SHEET not in workbook.sheet_names:
            return False
        return any(len(row) >= 3 and row[2] == "format" and row[1] == FORMAT for row in _rows(workbook, ABOUT_SHEET))
    except (InputError, python_calamine.CalamineError, OSError, ValueError):
        return False


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

