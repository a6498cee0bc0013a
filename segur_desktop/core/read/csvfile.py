"""CSV and tab-separated text, as French office software writes them.

Encoding, decided for the whole file and never guessed line by line:
- a UTF-16 byte-order mark (Excel's « Texte Unicode » .txt, UTF-16LE and tab-separated): UTF-16;
- valid UTF-8, with or without a byte-order mark (Excel's « CSV UTF-8 »): UTF-8;
- UTF-8 in places and bytes that are not UTF-8 elsewhere (a file edited by two programs, or
  lines pasted from another export): refused, naming the lines, since decoding it either way
  would turn accents into « Ã© » or « � » silently (issue #17);
- no UTF-8 at all: Windows-1252, Excel's « CSV » on Windows.
Delimiter: `;` (French Excel), `,`, tab or `|`, as `csv.Sniffer` reads the first lines (a delimiter
inside a quoted field does not count), else whichever they use most outside quotes. Every cell is
text, as in the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.read.limits import unreadable

_LINES_NAMED = 10  # lines listed in the error; the count says the rest


def _mixed(path: Path, bad: list[int]) -> InputError:
    shown = ", ".join(str(n) for n in bad[:_LINES_NAMED])
    if len(bad) > _LINES_NAMED:
        shown += _(" (et {count} autres)").format(count=len(bad) - _LINES_NAMED)
    where = _("la ligne {lines}") if len(bad) == 1 else _("les lignes {lines}")
    return InputError(
        _("Le fichier « {name} » mélange deux encodages de caractères : il est en UTF-8, sauf {where}, écrite(s) "
          "dans un autre encodage (Windows-1252 ?). Le lire ainsi changerait les lettres accentuées (« é » "
          "deviendrait « Ã© ») sans que rien ne le signale. Ouvrez-le dans Excel, vérifiez ces lignes, puis "
          "enregistrez-le au format « CSV UTF-8 (délimité par des virgules) » et recommencez.").format(
            name=path.name, where=where.format(lines=shown)))


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")  # the mark says which order, and is dropped
        except UnicodeDecodeError:
            raise unreadable(path, _("fichier UTF-16 tronqué ou endommagé")) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    bad: list[int] = []
    utf8 = data.startswith(codecs.BOM_UTF8)  # a UTF-8 mark, or a line whose accents are UTF-8
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            bad.append(number)
    if utf8:
        raise _mixed(path, bad)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise unreadable(path, _("encodage de caractères inconnu (ni UTF-8 ni Windows-1252)")) from None


_DELIMITERS = ";,\t|"
_SAMPLE_LINES = 20
_QUOTED = re.compile(r'"(?:[^"]|"")*"')  # a quoted field, "" inside it included


def _delimiter(text: str) -> str:
    """The delimiter of the first lines: `csv.Sniffer`, which knows a quoted field (« "A; B" ») is one cell,
    restricted to `;`, `,`, tab and `|`; when it cannot tell (one column, a short or irregular file), the
    delimiter used most outside quoted fields, `;` (French Excel) if none is."""
    lines = [line for line in text.splitlines()[:_SAMPLE_LINES] if line.strip()]
    sniffer = csv.Sniffer()
    sniffer.preferred = list(_DELIMITERS)  # a tie goes to `;`, French Excel's, not to the Sniffer's `,`
    try:
        return sniffer.sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        pass
    unquoted = [_QUOTED.sub("", line) for line in lines]
    counts = {sep: sum(line.count(sep) for line in unquoted) for sep in _DELIMITERS}
    return max(counts, key=counts.__getitem__) if any(counts.values()) else ";"


def read_csv(path: Path) -> list[list[str]]:
    try:
        with path.open("rb") as handle:  # check_file has made sure it is a regular file
            data = handle.read()
    except OSError as exc:
        raise unreadable(path, exc.strerror or str(exc)) from None
    text = _decode(path, data)
    if "\x00" in text:
        raise unreadable(path, _("ce n'est pas un fichier texte"))
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as exc:
        raise unreadable(path, str(exc)) from None
