"""Find .xlsx formula cells that have no cached value.

A workbook written by a script, or saved by a tool that does not compute,
keeps formulas without their results; every fast reader (calamine included)
then sees an empty cell. An empty amount read silently would be a wrong
request, so these cells are found and reported. Only the sheet's XML is
scanned, streamed and parsed with defusedxml (no entities, no DTD); a sheet
with no formula at all is recognised from its raw bytes without parsing.

That raw-byte check runs on every .xlsx read, so it is made cheap (issue #3):
one C-level regex pass per chunk that looks for the letter "f", rare in sheet
markup, then checks its neighbours (`_FORMULA_TAG`). Searching the four tags
one after the other cost twice as much as decompressing the XML. The scan
cannot be skipped by looking elsewhere in the archive: only Excel lists
formula cells (xl/calcChain.xml), and script-written workbooks, the ones that
lack cached values, have no such list.
"""

from __future__ import annotations

import posixpath
import re
import zipfile

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"^([A-Z]+)([0-9]+)$")
# A formula element, prefixed or not: "<f>", "<f ", ":f>" or ":f ". The pattern starts
# with the literal "f" so that the regex engine skips ahead in C to each "f".
_FORMULA_TAG = re.compile(rb"f(?<=[<:]f)[ >]")


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding `sheet`, via workbook.xml and its relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rel_id = next((s.get(f"{_REL}id") for s in workbook.iter(f"{_MAIN}sheet") if s.get("name") == sheet), None)
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels.iter(f"{_PKG_REL}Relationship") if r.get("Id") == rel_id), None)
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


class FormulaSigns:
    """Whether a sheet's XML holds a formula element, judged from its bytes, fed chunk by chunk
    (`xmlscan.signs`): the parse below runs only when it does."""

    def __init__(self) -> None:
        self.tail = b""  # the start of a tag cut between two chunks

    def feed(self, chunk: bytes) -> bool:
        searched = self.tail + chunk
        if _FORMULA_TAG.search(searched):
            return True
        self.tail = searched[-2:]
        return False


def uncached_in(archive: zipfile.ZipFile, part: str) -> set[tuple[int, int]]:
    """(0-based row, 0-based column) of the formula cells of `part` without a value.

    Broken XML ends the scan with what was found: the main reader reports a broken file,
    this scan only adds knowledge.
    """
    found: set[tuple[int, int]] = set()
    try:
        with archive.open(part) as stream:
            for _event, element in ElementTree.iterparse(stream, events=("end",)):
                if element.tag == f"{_MAIN}row":
                    element.clear()  # keep memory flat on long sheets
                if element.tag != f"{_MAIN}c":
                    continue
                formula = element.find(f"{_MAIN}f")
                value = element.find(f"{_MAIN}v")
                inline = element.find(f"{_MAIN}is")
                if formula is not None and (value is None or not value.text) and inline is None:
                    match = _CELL_REF.match(element.get("r", ""))
                    if match:
                        found.add((int(match.group(2)) - 1, _column_index(match.group(1))))
                element.clear()
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, DefusedXmlException, OSError):
        pass
    return found
