"""Find the rows a workbook hides, so that importing them is said rather than silent.

A vendor filters an export, or hides the rows it does not want (« Masquer »),
then saves. The rows are still in the file and calamine returns them like any
other, which is right: hiding is not deleting, and guessing what the user meant
would drop rows silently. But the user may believe a hidden row will not be
deposited, so each hidden data row is reported (`ligne_masquee`). calamine does
not say which rows are hidden, hence this scan of the sheet's XML:

- .xlsx/.xlsm: `<row r="12" hidden="1">` in the sheet part (a filter hides its
  rows with the same attribute);
- .ods: `table:visibility="collapsed"` (hidden) or `"filter"` on a
  `table:table-row`, one element standing for `table:number-rows-repeated` rows,
  in content.xml, which holds every sheet;
- .xls and .xlsb keep row flags in binary records that calamine does not expose;
  decoding them would take a second binary reader for formats that exports
  rarely use: their hidden rows are imported without a word. CSV hides nothing.

The scan runs on every whole read, so it must cost nothing measurable when there
is nothing to find: the decompressed XML is first searched, chunk by chunk, for
the attribute that hides a row (one C-level regex pass), and parsed only when a
row start tag carries it. The parse goes through defusedxml (no DTD entities, no
external references) with a start-tag callback and no tree: memory stays flat
however long the sheet. Only rows up to the last one read (`last_row`) count, and
the parse stops there: a sheet whose empty rows below the list were all hidden,
a common way to tidy a sheet, yields at most as many numbers as it has rows.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree

from segur_desktop.core.read.formulas import sheet_part
from segur_desktop.core.read.xmlscan import CHUNK, SCAN_ERRORS, signs

_TAIL = 1024  # bytes kept between chunks: the start tag an attribute may belong to
# The attribute values that hide a row; each pattern starts with a literal, which the regex
# engine skips ahead to in C.
_XLSX_HIDDEN = re.compile(rb"hidden\s*=\s*[\"'](?:1|true)[\"']")
_ODS_HIDDEN = re.compile(rb"visibility\s*=\s*[\"'](?:collapsed|filter)[\"']")
# The start tags those attributes must sit on (any namespace prefix); a hidden column does not count.
_XLSX_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_ODS_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?table-row[\s/>]")

_XLSX_ROWS = {f"{{{ns}}}row" for ns in ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                         "http://purl.oclc.org/ooxml/spreadsheetml/main")}  # transitional, strict
_XLSX_TRUE = {"1", "true"}
_ODS_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_TABLE = f"{{{_ODS_TABLE_NS}}}table"
_ODS_ROW = f"{{{_ODS_TABLE_NS}}}table-row"
_ODS_NAME = f"{{{_ODS_TABLE_NS}}}name"
_ODS_VISIBILITY = f"{{{_ODS_TABLE_NS}}}visibility"
_ODS_REPEATED = f"{{{_ODS_TABLE_NS}}}number-rows-repeated"
_ODS_HIDDEN_VALUES = {"collapsed", "filter"}


def hidden_rows(path: Path, sheet: str, last_row: int) -> frozenset[int]:
    """Excel numbers (1-based) of the rows of `sheet` that are hidden, up to `last_row`; empty if none or unknown.

    A whole read of an .xlsx asks this in the same pass over the bytes as the formula scan
    (`xmlscan.scan_sheet`); this is the question asked alone.
    """
    suffix = path.suffix.lower()
    try:
        with zipfile.ZipFile(path) as archive:
            if suffix in (".xlsx", ".xlsm"):
                part = sheet_part(archive, sheet)
                if part is None or not signs(archive, part, [xlsx_signs()])[0]:
                    return frozenset()
                return xlsx_hidden_in(archive, part, last_row)
            if suffix == ".ods":
                if not signs(archive, "content.xml", [RowSigns(_ODS_HIDDEN, _ODS_ROW_TAG)])[0]:
                    return frozenset()
                return _parse(archive, "content.xml", _OdsRows(sheet, last_row))
    except SCAN_ERRORS:
        pass  # the main reader reports a broken file; this scan only adds knowledge
    return frozenset()


def xlsx_signs() -> RowSigns:
    """The detector of an .xlsx row start tag carrying `hidden="1"`."""
    return RowSigns(_XLSX_HIDDEN, _XLSX_ROW_TAG)


def xlsx_hidden_in(archive: zipfile.ZipFile, part: str, last_row: int) -> frozenset[int]:
    """The hidden rows of an .xlsx sheet part, up to `last_row`."""
    return _parse(archive, part, _XlsxRows(last_row))


class RowSigns:
    """Whether a row start tag seems to carry the hiding `attribute`, judged from raw bytes fed chunk by chunk.

    Each match is checked against the start tag it sits in (the last "<" before it), looked
    for at most _TAIL bytes back so that a long text full of look-alikes stays linear. When
    that "<" is not seen, the answer is yes: the parse will tell.
    """

    def __init__(self, attribute: re.Pattern[bytes], tag: re.Pattern[bytes]) -> None:
        self.attribute = attribute
        self.tag = tag
        self.tail = b""

    def feed(self, chunk: bytes) -> bool:
        searched = self.tail + chunk
        for match in self.attribute.finditer(searched):
            start = searched.rfind(b"<", max(match.start() - _TAIL, 0), match.start())
            if start < 0 or self.tag.match(searched, start):
                return True
        self.tail = searched[max(searched.rfind(b"<"), len(searched) - _TAIL, 0):]
        return False


class _Stop(Exception):
    """Raised from a callback once no later row can matter."""


def _parse(archive: zipfile.ZipFile, part: str, target: _XlsxRows | _OdsRows) -> frozenset[int]:
    parser = ElementTree.XMLParser(target=target)
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                parser.feed(chunk)
    except _Stop:
        pass
    return frozenset(target.found)


class _XlsxRows:
    """Parser callback: numbers of the `<row>` elements marked hidden."""

    def __init__(self, last_row: int) -> None:
        self.last_row = last_row
        self.number = 0  # Excel number of the latest row; a row without `r` follows the one before
        self.found: set[int] = set()

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag not in _XLSX_ROWS:
            return
        try:
            self.number = int(attrib.get("r", ""))
        except ValueError:
            self.number += 1
        if self.number > self.last_row:
            raise _Stop  # rows come in order: every later one is beyond the data
        if attrib.get("hidden") in _XLSX_TRUE:
            self.found.add(self.number)


class _OdsRows:
    """Parser callback: numbers of the hidden `table:table-row`s of one sheet of content.xml."""

    def __init__(self, sheet: str, last_row: int) -> None:
        self.sheet = sheet
        self.last_row = last_row
        self.tables: list[str] = []  # names of the enclosing tables (a cell may hold a sub-table)
        self.number = 0
        self.found: set[int] = set()

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == _ODS_TABLE:
            self.tables.append(attrib.get(_ODS_NAME, ""))
        elif tag == _ODS_ROW and self.tables == [self.sheet]:
            try:
                repeated = max(int(attrib.get(_ODS_REPEATED, "1")), 1)
            except ValueError:
                repeated = 1
            first = self.number + 1
            self.number += repeated
            if attrib.get(_ODS_VISIBILITY) in _ODS_HIDDEN_VALUES:
                self.found.update(range(first, min(self.number, self.last_row) + 1))
            if self.number >= self.last_row:
                raise _Stop

    def end(self, tag: str) -> None:
        if tag == _ODS_TABLE:
            if self.tables == [self.sheet]:
                raise _Stop  # the sheet is over; the others do not matter
            self.tables.pop()
