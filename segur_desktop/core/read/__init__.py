"""Spreadsheet bytes -> raw rows, for .xlsx/.xlsm/.xlsb/.xls/.ods and .csv.

python-calamine (Rust) reads workbooks several times faster than openpyxl,
which matters on 100k-row exports. Files are checked first (`limits`), an
opened workbook is reused while the file is unchanged (choosing the sheet
reads each sheet's first rows, then the chosen one whole), and every failure
becomes a French `InputError` naming the file and what to do.

No calamine call may come before `check_file`: it measures each sheet's extent
(`extent`), and a sheet too big would otherwise abort the process inside Rust.
"""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

import python_calamine

from segur_desktop.core.errors import InputError
from segur_desktop.core.gcpause import gc_paused
from segur_desktop.core.i18n import _
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from segur_desktop.core.read.csvfile import read_csv
from segur_desktop.core.read.extent import xlsx_scans
from segur_desktop.core.read.formulas import sheet_part, uncached_in
from segur_desktop.core.read.hidden import hidden_rows, xlsx_hidden_in
from segur_desktop.core.read.limits import CSV_SUFFIXES, check_file, unreadable
from segur_desktop.core.read.xmlscan import SCAN_ERRORS
from segur_desktop.core.source import Sheet

PROGRESS_EVERY = 2000


@lru_cache(maxsize=8)
def _cached_workbook(path: str, _mtime_ns: int, _size: int, _thread: int) -> python_calamine.CalamineWorkbook:
    """One open workbook per file *and thread*: calamine refuses two threads reading the same
    workbook object at once ("Already mutably borrowed"), which the window does when a preview
    runs beside a check; within a thread (sheet choice, then reading) it is opened once."""
    return python_calamine.CalamineWorkbook.from_path(path)


def _open_workbook(path: Path) -> python_calamine.CalamineWorkbook:
    try:
        stat = path.stat()
        return _cached_workbook(str(path), stat.st_mtime_ns, stat.st_size, threading.get_ident())
    except python_calamine.PasswordError:
        raise InputError(
            _("Le classeur « {name} » est protégé par un mot de passe. Enregistrez-en une copie sans mot de passe, "
              "puis recommencez.").format(name=path.name)
        ) from None
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise unreadable(path, _("fichier endommagé ou d'un autre format ({detail})").format(detail=exc)) from None


def sheet_names(path: Path) -> list[str]:
    check_file(path)
    if path.suffix.lower() in CSV_SUFFIXES:
        return [path.stem]
    return list(_open_workbook(path).sheet_names)


def sheet_label(path: Path, sheet: str) -> str:
    """Where a list is, as a message names it: « feuille « Clients » », or « fichier CSV » for a CSV, whose one sheet
    is named after the file (`sheet_names`): « feuille « clients » » named a sheet the user never made."""
    if path.suffix.lower() in CSV_SUFFIXES:
        return _("fichier CSV")
    return _("feuille « {sheet} »").format(sheet=sheet)


def _row_blocks(path: Path, sheet: python_calamine.CalamineSheet, limit: int | None) -> Iterator[list[list[Any]]]:
    """The sheet's rows (its first `limit` ones if given), PROGRESS_EVERY at a time.

    Blocks are taken from calamine in C (islice), not row by row in Python.
    """
    # calamine starts rows at row 1 but columns at the first non-empty one.
    offset = sheet.start[1] if sheet.start else 0
    rows = sheet.iter_rows() if limit is None else islice(sheet.iter_rows(), limit)
    try:
        while block := list(islice(rows, PROGRESS_EVERY)):
            yield [[""] * offset + row for row in block] if offset else block
    except python_calamine.CalamineError as exc:
        raise unreadable(path, str(exc)) from None


def read_sheet(
    path: Path,
    sheet: str | None = None,
    *,
    max_rows: int | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Sheet:
    """Read one sheet (the first by default), or only its first `max_rows` rows.

    A whole read also lists the formula cells that have no cached value, and the hidden rows.
    """
    check_file(path)
    stage = _("Lecture de {name}").format(name=path.name)
    if path.suffix.lower() in CSV_SUFFIXES:
        csv_rows = read_csv(path)
        return Sheet(path, path.stem, csv_rows[:max_rows] if max_rows else csv_rows)
    workbook = _open_workbook(path)
    names = list(workbook.sheet_names)
    if not names:
        raise unreadable(path, _("le classeur ne contient aucune feuille"))
    if sheet is not None and sheet not in names:
        raise InputError(
            _("Le classeur « {name} » n'a pas de feuille « {sheet} ». Feuilles présentes : {names}.").format(
                name=path.name, sheet=sheet, names=", ".join(names)))
    name = sheet or names[0]
    try:
        calamine_sheet = workbook.get_sheet_by_name(name)
    except (python_calamine.CalamineError, ValueError) as exc:
        raise unreadable(path, str(exc)) from None
    total = calamine_sheet.height if max_rows is None else min(max_rows, calamine_sheet.height)
    rows: list[list[Any]] = []
    with gc_paused():  # one list per row, none of them garbage
        for block in _row_blocks(path, calamine_sheet, max_rows):
            rows.extend(block)
            if len(block) == PROGRESS_EVERY and len(rows) != max_rows:
                if cancel:
                    cancel.check()
                progress(Progress(stage, len(rows), total))
    progress(Progress(stage, len(rows), total))
    merged = _merged_ranges(calamine_sheet)
    _fill_merged_down(rows, merged)
    groups = tuple((top, left, right) for (top, left), (bottom, right) in merged
                   if bottom == top and right > left and top < len(rows))  # group titles over two-level headers
    if max_rows is not None:  # a header scan does not pay for the scans
        return Sheet(path, name, rows, groups=groups)
    uncached, hidden = _scan_xml(path, name, len(rows))
    return Sheet(path, name, rows, uncached=uncached, hidden=hidden, groups=groups)


def _merged_ranges(sheet: python_calamine.CalamineSheet) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """((top, left), (bottom, right)) of the sheet's merged cells, 0-based; none if calamine cannot say."""
    try:
        return list(sheet.merged_cell_ranges or [])
    except (python_calamine.CalamineError, ValueError):
        return []  # merges only add knowledge; the sheet itself was read


def _fill_merged_down(rows: list[list[Any]], ranges: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Cells merged down over several rows read, in each row below the first, as the user sees them: the first
    row's value. An ERP's « lignes de commande » export merges the order's number, date and client over its lines;
    read as written, the first line was the whole order (its amount the order's, silently) and the others orphans.

    A row under the merge that holds nothing else stays empty (a tall cell, no row); merges across columns only
    (a title over the header) are left as they are: filled, one title would head several columns.
    """
    for (top, left), (bottom, right) in ranges:
        if bottom <= top or top >= len(rows) or left >= len(rows[top]) or rows[top][left] in (None, ""):
            continue
        value = rows[top][left]
        for below in rows[top + 1:bottom + 1]:
            if any(cell not in (None, "") for cell in below):
                for column in range(left, min(right + 1, len(below))):
                    if below[column] in (None, ""):
                        below[column] = value


def _scan_xml(path: Path, sheet: str, last_row: int) -> tuple[set[tuple[int, int]], frozenset[int]]:
    """The formula cells without a value and the hidden rows of a sheet read whole (.xlsx: the pass over its
    bytes that `check_file` made to measure it answers both signs; .ods: hidden rows only; other formats: neither)."""
    suffix = path.suffix.lower()
    if suffix == ".ods":
        return set(), hidden_rows(path, sheet, last_row)
    if suffix not in (".xlsx", ".xlsm"):
        return set(), frozenset()
    uncached: set[tuple[int, int]] = set()
    hidden: frozenset[int] = frozenset()
    scan = xlsx_scans(path).get(sheet)  # made by check_file, kept while the file is unchanged
    if scan is None or not (scan.formula or scan.hidden):
        return uncached, hidden
    try:
        with zipfile.ZipFile(path) as archive:
            part = sheet_part(archive, sheet)
            if part is None:
                return uncached, hidden
            if scan.formula:
                uncached = uncached_in(archive, part)
            if scan.hidden:
                hidden = xlsx_hidden_in(archive, part, last_row)
    except SCAN_ERRORS:
        pass  # the main reader reports a broken file; these scans only add knowledge
    return uncached, hidden
