"""CSV and tab-separated text, as French office software writes them.

Encoding: UTF-8 (with or without BOM), else Windows-1252 (Excel's "CSV" on
Windows). Delimiter: `;` (French Excel), `,` or tab, whichever the first
lines use most. Every cell is text, as in the file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from segur_desktop.core.i18n import _
from segur_desktop.core.read.limits import unreadable


def _decode(path: Path, data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise unreadable(path, _("encodage de caractères inconnu (ni UTF-8 ni Windows-1252)"))


def _delimiter(text: str) -> str:
    sample = [line for line in text.splitlines()[:20] if line.strip()]
    counts = {sep: sum(line.count(sep) for line in sample) for sep in (";", ",", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ";"


def read_csv(path: Path) -> list[list[str]]:
    try:
        text = _decode(path, path.read_bytes())
    except OSError as exc:
        raise unreadable(path, exc.strerror or str(exc)) from None
    if "\x00" in text:
        raise unreadable(path, _("ce n'est pas un fichier texte"))
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as exc:
        raise unreadable(path, str(exc)) from None
