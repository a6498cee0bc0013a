"""Spreadsheet bytes -> raw rows, for .xlsx/.xlsm/.xlsb/.xls/.ods and .csv.

python-calamine (Rust) reads workbooks several times faster than openpyxl,
which matters on 100k-row exports. Every failure becomes a French
`InputError` naming the file and what to do.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import python_calamine

from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from segur_desktop.core.source import Sheet

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
PROGRESS_EVERY = 2000


def _unreadable(path: Path, reason: str) -> InputError:
    return InputError(
        _("Le fichier « {name} » ne peut pas être lu : {reason}. Ouvrez-le dans Excel ou LibreOffice, "
          "enregistrez-le au format .xlsx, puis recommencez.").format(name=path.name, reason=reason)
    )


def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputError(
            _("Le fichier « {path} » est introuvable. Vérifiez son nom et son dossier, "
              "ou choisissez-le de nouveau.").format(path=path)
        )
    if path.is_dir():
        raise InputError(_("« {path} » est un dossier, pas un tableur. Choisissez le fichier .xlsx, .xls, .ods ou .csv.").format(path=path))
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES | CSV_SUFFIXES:
        raise InputError(
            _("Le fichier « {name} » n'est pas un tableur pris en charge ({suffix}). "
              "Enregistrez-le au format .xlsx, .xls, .ods ou .csv.").format(name=path.name, suffix=suffix or _("sans extension"))
        )


def _open_workbook(path: Path) -> python_calamine.CalamineWorkbook:
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise InputError(
            _("Le classeur « {name} » est protégé par un mot de passe. Enregistrez-en une copie sans mot de passe, puis recommencez.").format(name=path.name)
        ) from None
    except (python_calamine.CalamineError, OSError, ValueError) as exc:
        raise _unreadable(path, _("fichier endommagé ou d'un autre format ({detail})").format(detail=exc)) from None


def sheet_names(path: Path) -> list[str]:
    _check_file(path)
    if path.suffix.lower() in CSV_SUFFIXES:
        return [path.stem]
    return list(_open_workbook(path).sheet_names)


def _decode(path: Path, data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _unreadable(path, _("encodage de caractères inconnu (ni UTF-8 ni Windows-1252)"))


def _delimiter(text: str) -> str:
    sample = [line for line in text.splitlines()[:20] if line.strip()]
    counts = {sep: sum(line.count(sep) for line in sample) for sep in (";", ",", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ";"


def _read_csv(path: Path) -> list[list[Any]]:
    try:
        text = _decode(path, path.read_bytes())
    except OSError as exc:
        raise _unreadable(path, str(exc)) from None
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))]


def _iter_sheet(path: Path, sheet: python_calamine.CalamineSheet) -> Iterator[list[Any]]:
    # calamine starts rows at row 1 but columns at the first non-empty one.
    offset = sheet.start[1] if sheet.start else 0
    try:
        for row in sheet.iter_rows():
            yield [""] * offset + row if offset else row
    except python_calamine.CalamineError as exc:
        raise _unreadable(path, str(exc)) from None


def read_sheet(
    path: Path,
    sheet: str | None = None,
    *,
    max_rows: int | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Sheet:
    """Read one sheet (the first by default), or only its first `max_rows` rows."""
    _check_file(path)
    stage = _("Lecture de {name}").format(name=path.name)
    if path.suffix.lower() in CSV_SUFFIXES:
        rows = _read_csv(path)
        return Sheet(path, path.stem, rows[:max_rows] if max_rows else rows)
    workbook = _open_workbook(path)
    names = list(workbook.sheet_names)
    if not names:
        raise _unreadable(path, _("le classeur ne contient aucune feuille"))
    if sheet is not None and sheet not in names:
        raise InputError(
            _("Le classeur « {name} » n'a pas de feuille « {sheet} ». Feuilles présentes : {names}.").format(
                name=path.name, sheet=sheet, names=", ".join(names)
            )
        )
    try:
        calamine_sheet = workbook.get_sheet_by_name(sheet or names[0])
    except python_calamine.CalamineError as exc:
        raise _unreadable(path, str(exc)) from None
    total = calamine_sheet.height if max_rows is None else min(max_rows, calamine_sheet.height)
    rows: list[list[Any]] = []
    for row in _iter_sheet(path, calamine_sheet):
        rows.append(row)
        if max_rows is not None and len(rows) >= max_rows:
            break
        if len(rows) % PROGRESS_EVERY == 0:
            if cancel:
                cancel.check()
            progress(Progress(stage, len(rows), total))
    progress(Progress(stage, len(rows), total))
    return Sheet(path, sheet or names[0], rows)
