"""How big a sheet will be once read, known before calamine reads it (issue #17).

calamine turns a sheet into one rectangular grid from A1 (well, from its first
filled cell) to its last filled cell, 32 bytes a cell, whatever lies between. A
7 KB workbook with one value at XFD1048576 asks for 512 GiB: the allocation
fails inside Rust, which aborts the whole process (no exception to catch). At
XFD2000 it is 1.3 GB and 6 s. So each sheet's extent is measured from its XML
before any calamine call that would build the grid, and a sheet whose grid
would exceed `MAX_SHEET_CELLS` is refused with a French `InputError` naming the
far cell and what to do in Excel.

What counts is what calamine 0.9.1 materialises (tested, see
tests/core/test_read_hostile.py): a cell with a value (`<v>` holding text, or an
inline string `<is>`, even empty), placed by its `r` reference (any case, any
namespace prefix, either quote) or, without one, right after the cell before.
A styled empty cell (`<c r="XFD1" s="1"/>`), an empty `<v/>`, a formula without
a cached value and an empty `<row>` do not count; neither does the declared
`<dimension ref=…>`, which calamine ignores and which can lie both ways: a
sheet declaring A1:XFD1048576 over two rows is read at once, one declaring A1:B2
with a cell at XFD1048576 is refused.

The cost (every .xlsx read pays it): the references are checked on the raw
decompressed bytes, in the pass `xmlscan.signs` already makes for the formula
and hidden-row questions, by one C-level regex search per chunk. The pattern
matches a cell start tag whose reference is *not* a plain one within the
extent seen so far (`_plain`): on an ordinary sheet it never matches but when
the extent grows past a bucket (rows 10000-10999, 11000-11999…; columns
A-BZ, C?, D?…), a few hundred times on 100k rows. A cell the pattern cannot
judge (no reference, another quote or case, a prefix) or an extent beyond the
limit sends the sheet to an exact streamed parse (defusedxml, stopping at the
limit): rare writers and hostile files pay for it, not Excel's or openpyxl's.

.ods: calamine reads every sheet of content.xml when the workbook is opened and
expands `table:number-columns-repeated`/`number-rows-repeated` cells that hold a
value (its own guard stops at 100 million cells, 3 GB). content.xml is parsed
once, streamed, before the workbook is opened. .xls and .xlsb are binary and are
not measured (see README, reliability).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from defusedxml import ElementTree

from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.read.formulas import FormulaSigns
from segur_desktop.core.read.hidden import xlsx_signs
from segur_desktop.core.read.xmlscan import CHUNK, SCAN_ERRORS, signs

# The largest grid a sheet may make calamine build. A real export of 100,000 rows by 60
# columns is 6 million cells (≈ 200 MB in calamine, once); 15 million leaves it 2.5x room
# (250,000 rows of 60 columns, or 100,000 rows of 150) and bounds the grid near 500 MB, which a
# 4 GB office PC survives. Excel's own sheet is 1,048,576 x 16,384 = 17 billion cells.
MAX_SHEET_CELLS = 15_000_000

# The extent an ordinary sheet is assumed to stay within until a reference says otherwise:
# columns up to BZ (78), rows up to 99,999, i.e. 7.8 million cells, under the limit.
_START_COLUMNS = 78
_START_ROWS = 99_999
_REF = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,7})"')
_PREFIXED_CELL = re.compile(rb":c[\s>/]")  # <x:c …>: calamine reads cells under any prefix
_CARRY = 64  # bytes kept between chunks: a cell's start tag and reference


@dataclass(frozen=True)
class SheetScan:
    """What one pass over an .xlsx sheet's bytes says: the two cheap signs (`xmlscan.signs`)."""

    formula: bool
    hidden: bool


class SheetTooBig(Exception):
    """The grid of a sheet would exceed MAX_SHEET_CELLS; `cell` is its far corner (« XFD1048576 »)."""

    def __init__(self, rows: int, columns: int) -> None:
        super().__init__(rows, columns)
        self.rows = rows
        self.columns = columns
        self.cell = f"{column_letters(columns)}{rows}"


def column_letters(number: int) -> str:
    """Excel letters of a 1-based column number: 1 -> A, 16384 -> XFD."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters or "A"


def _column_number(letters: bytes | str) -> int:
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode("ascii", "replace").upper():
        number = number * 26 + ord(letter) - 64
    return number


def _column_top(column: int) -> int:
    """The last column of `column`'s bucket: Z, or the first letter followed by Zs (B? -> BZ)."""
    letters = column_letters(column)
    return 26 if len(letters) == 1 else _column_number(letters[0] + "Z" * (len(letters) - 1))


def _row_top(row: int) -> int:
    """The last row of `row`'s bucket: its first two digits followed by 9s (12345 -> 12999)."""
    digits = str(row)
    return 99 if len(digits) <= 2 else int(digits[:2] + "9" * (len(digits) - 2))


@lru_cache(maxsize=256)
def _plain(column_top: int, row_top: int) -> re.Pattern[bytes]:
    """A cell start tag whose reference is not plainly within (column_top, row_top), both bucket tops."""
    letters = column_letters(column_top)
    if len(letters) == 1:
        columns = b"[A-Z]"
    else:  # the short spellings first: on most cells the first branch answers
        columns = b"(?:[A-Z]{1,%d}|[A-%s][A-Z]{%d})" % (len(letters) - 1, letters[0].encode(), len(letters) - 1)
    digits = str(row_top)
    if row_top == 99 or digits[:2] == "99":
        rows = b"[0-9]{1,%d}" % len(digits)
    else:
        first, second = int(digits[0]), int(digits[1])
        lower = b"[1-%d][0-9]" % (first - 1) if first > 1 else b"(?!)"
        rows = b"(?:[0-9]{1,%d}|(?:%d[0-%d]|%s)[0-9]{%d})" % (len(digits) - 1, first, second, lower, len(digits) - 2)
    return re.compile(b'<c(?! r="' + columns + rows + b'")[\\s>/]')


class ExtentSigns:
    """The extent of an .xlsx sheet from its raw bytes, fed chunk by chunk (`xmlscan.signs`).

    `feed` answers True when the bytes alone cannot clear the sheet (a cell the pattern cannot
    judge, or an extent past the limit): `exact_extent` then parses it. Otherwise the sheet's
    grid is within `MAX_SHEET_CELLS` once every chunk is fed.
    """

    def __init__(self) -> None:
        self.columns = _START_COLUMNS
        self.rows = _START_ROWS
        self.pattern = _plain(self.columns, self.rows)
        self.carry = b""

    def feed(self, chunk: bytes) -> bool:
        searched = self.carry + chunk
        end = searched.rfind(b"<", max(len(searched) - _CARRY, 0))
        if end < 0:
            end = len(searched)
        self.carry = searched[end:]
        colon = searched.find(b":", 0, end)  # memchr: many writers put none in a sheet's cells
        if colon >= 0 and _PREFIXED_CELL.search(searched, colon, end):
            return True
        position = 0
        while match := self.pattern.search(searched, position, end):
            ref = _REF.match(searched, match.start() + 2)
            if ref is None:
                return True  # no reference, or one spelled otherwise: the parse will place the cell
            self.columns = max(self.columns, _column_top(_column_number(ref.group(1))))
            self.rows = max(self.rows, _row_top(int(ref.group(2))))
            if self.columns * self.rows > MAX_SHEET_CELLS:
                return True  # maybe too big: the parse says exactly
            self.pattern = _plain(self.columns, self.rows)
            position = match.end()
        return False


class _Cells:
    """Parser callback: the far corner of the cells calamine would keep, stopping past the limit."""

    def __init__(self) -> None:
        self.row = 0  # the current row's number
        self.column = 0  # the latest cell's column
        self.cell: tuple[int, int] | None = None  # the open cell's (row, column)
        self.valued = False
        self.in_value = False
        self.max_row = 0
        self.max_column = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = tag.rpartition("}")[2]
        if name == "row":
            try:
                self.row = int(attrib.get("r", ""))
            except ValueError:
                self.row += 1
            self.column = 0
        elif name == "c":
            ref = next((value for key, value in attrib.items() if key.rpartition("}")[2] == "r"), "")
            match = re.fullmatch(r"\$?([A-Za-z]{1,4})\$?([0-9]{1,9})", ref.strip())
            if match:
                self.column = _column_number(match.group(1))
                self.cell = (int(match.group(2)), self.column)
            else:
                self.column += 1
                self.cell = (max(self.row, 1), self.column)
            self.valued = False
        elif name == "is" and self.cell:
            self.valued = True
        elif name == "v" and self.cell:
            self.in_value = True

    def data(self, text: str) -> None:
        if self.in_value and text:
            self.valued = True

    def end(self, tag: str) -> None:
        name = tag.rpartition("}")[2]
        if name == "v":
            self.in_value = False
        elif name == "c" and self.cell:
            if self.valued:
                self.max_row = max(self.max_row, self.cell[0])
                self.max_column = max(self.max_column, self.cell[1])
                if self.max_row * self.max_column > MAX_SHEET_CELLS:
                    raise SheetTooBig(self.max_row, self.max_column)
            self.cell = None


def exact_extent(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """(rows, columns) of the grid calamine would build for `part`; SheetTooBig past the limit.

    A sheet this strict parser cannot read (broken XML, a DTD, an undeclared prefix) raises
    SheetTooBig too when it could not be cleared: it reached here because its bytes looked odd.
    """
    target = _Cells()
    parser = ElementTree.XMLParser(target=target)
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            parser.feed(chunk)
    parser.close()
    return target.max_row, target.max_column


def _too_big(path: Path, sheet: str, error: SheetTooBig) -> InputError:
    return InputError(
        _("La feuille « {sheet} » du classeur « {name} » a une cellule remplie très loin de ses données, jusqu'en "
          "{cell} : la lire demanderait une grille de {cells} cellules ({limit} au plus), au risque de bloquer "
          "l'ordinateur. Dans Excel, supprimez les lignes et les colonnes vides au-delà de la fin de vos données "
          "(jusqu'en {cell}) ou videz cette cellule, puis enregistrez et recommencez.").format(
            sheet=sheet, name=path.name, cell=error.cell, cells=f"{error.rows * error.columns:,}".replace(",", " "),
            limit=f"{MAX_SHEET_CELLS:,}".replace(",", " ")))


# A member whose bytes fail their check (CRC) or do not inflate: calamine does not check the CRC and
# would read what is left, so such a file is refused rather than read with wrong values.
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError)


def _damaged(path: Path) -> InputError:
    return InputError(
        _("Le fichier « {name} » est endommagé : une partie de son contenu ne correspond plus à sa somme de contrôle "
          "(copie ou téléchargement incomplet ?). Ses valeurs ne seraient pas sûres. Récupérez-en une nouvelle copie, "
          "ou ouvrez-le dans Excel ou LibreOffice et enregistrez-le de nouveau, puis recommencez.").format(name=path.name))


def _unparsable(path: Path, sheet: str) -> InputError:
    return InputError(
        _("La feuille « {sheet} » du classeur « {name} » est écrite d'une façon qui ne peut pas être vérifiée "
          "(XML endommagé ou inhabituel). Ouvrez le classeur dans Excel ou LibreOffice, enregistrez-le au format "
          ".xlsx, puis recommencez.").format(sheet=sheet, name=path.name))


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, zip member) of each sheet, whatever the namespaces (transitional or strict), as calamine finds them."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") or "" for r in rels.iter() if _local(r.tag) == "Relationship"}
    parts = []
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        rel_id = next((value for key, value in sheet.attrib.items() if _local(key) == "id" and key != "id"), None)
        target = targets.get(rel_id)
        if target:
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            parts.append((sheet.get("name") or "", part))
    return parts


@lru_cache(maxsize=8)
def _xlsx_scans(path: str, _mtime_ns: int, _size: int, _inode: int) -> dict[str, SheetScan]:
    scans: dict[str, SheetScan] = {}
    file = Path(path)
    with zipfile.ZipFile(file) as archive:
        try:
            parts = sheet_parts(archive)
        except _DAMAGE:
            raise _damaged(file) from None
        except SCAN_ERRORS:  # a list this parser cannot read may still be read by calamine: measure every member
            parts = [(name, name) for name in archive.namelist() if not name.endswith("/")]
        for name, part in parts:
            if part not in archive.NameToInfo:
                continue
            extent = ExtentSigns()
            try:
                formula, hidden, odd = signs(archive, part, [FormulaSigns(), xlsx_signs(), extent])
                if odd:
                    exact_extent(archive, part)
            except SheetTooBig as error:
                raise _too_big(file, name, error) from None
            except _DAMAGE:
                raise _damaged(file) from None
            except SCAN_ERRORS:
                raise _unparsable(file, name) from None
            scans[name] = SheetScan(formula, hidden)
    return scans


def xlsx_scans(path: Path) -> dict[str, SheetScan]:
    """Every sheet of an .xlsx/.xlsm measured (InputError if one is too big) and its signs, by name.

    Cached while the file is unchanged: `check_file` asks before a read, the read reuses the signs.
    """
    stat = path.stat()
    try:
        return _xlsx_scans(str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}  # not a zip after all: calamine says what it is


_ODS_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODS_TABLE = f"{{{_ODS_TABLE_NS}}}table"
_ODS_ROW = f"{{{_ODS_TABLE_NS}}}table-row"
_ODS_CELLS = {f"{{{_ODS_TABLE_NS}}}table-cell", f"{{{_ODS_TABLE_NS}}}covered-table-cell"}
_ODS_NAME = f"{{{_ODS_TABLE_NS}}}name"
_ODS_ROWS_REPEATED = f"{{{_ODS_TABLE_NS}}}number-rows-repeated"
_ODS_COLUMNS_REPEATED = f"{{{_ODS_TABLE_NS}}}number-columns-repeated"
_ODS_VALUE_TYPE = f"{{{_ODS_OFFICE_NS}}}value-type"


def _repeat(attrib: dict[str, str], key: str) -> int:
    try:
        return max(int(attrib.get(key, "1")), 1)
    except ValueError:
        return 1


class _OdsCells:
    """Parser callback: each table's far corner of cells holding something, repeats expanded.

    A cell counts when it has a value type or any content (a paragraph): more than calamine
    keeps, never less. Repeated rows holding such a cell count as many times as repeated.
    """

    def __init__(self) -> None:
        self.depth = 0  # tables open (a cell may hold a sub-table)
        self.table = ""
        self.row = 0  # rows before the current one
        self.row_repeat = 1
        self.column = 0  # columns before the current cell
        self.cell_columns: tuple[int, int] | None = None  # the open cell's first and last column
        self.row_far_column = 0  # the current row's far filled column
        self.max_row = 0
        self.max_column = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == _ODS_TABLE:
            self.depth += 1
            if self.depth == 1:
                self.table, self.row, self.max_row, self.max_column = attrib.get(_ODS_NAME, ""), 0, 0, 0
        elif self.depth != 1:
            if self.cell_columns is not None:
                self.row_far_column = max(self.row_far_column, self.cell_columns[1])
        elif tag == _ODS_ROW:
            self.row_repeat = _repeat(attrib, _ODS_ROWS_REPEATED)
            self.column = 0
            self.row_far_column = 0
        elif tag in _ODS_CELLS:
            repeat = _repeat(attrib, _ODS_COLUMNS_REPEATED)
            self.cell_columns = (self.column + 1, self.column + repeat)
            self.column += repeat
            if _ODS_VALUE_TYPE in attrib:
                self.row_far_column = max(self.row_far_column, self.cell_columns[1])
        elif self.cell_columns is not None:  # content inside a cell
            self.row_far_column = max(self.row_far_column, self.cell_columns[1])

    def end(self, tag: str) -> None:
        if tag == _ODS_TABLE:
            self.depth -= 1
            return
        if self.depth != 1:
            return
        if tag in _ODS_CELLS:
            self.cell_columns = None
        elif tag == _ODS_ROW:
            self.row += self.row_repeat
            if self.row_far_column:
                self.max_row = self.row
                self.max_column = max(self.max_column, self.row_far_column)
                if self.max_row * self.max_column > MAX_SHEET_CELLS:
                    raise SheetTooBig(self.max_row, self.max_column)


def check_ods(path: Path) -> None:
    """Raise a French InputError if a sheet of an .ods would make calamine build a grid past the limit."""
    stat = path.stat()
    _check_ods(str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)


@lru_cache(maxsize=8)
def _check_ods(name: str, _mtime_ns: int, _size: int, _inode: int) -> None:
    path = Path(name)
    target = _OdsCells()
    parser = ElementTree.XMLParser(target=target)
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
            while chunk := stream.read(CHUNK):
                parser.feed(chunk)
    except SheetTooBig as error:
        raise _too_big(path, target.table, error) from None
    except KeyError:
        pass  # no content.xml: calamine says what is wrong with the file
    except _DAMAGE:
        raise _damaged(path) from None
    except SCAN_ERRORS:  # XML this parser refuses, which calamine might read unmeasured
        raise _unparsable(path, target.table or "?") from None
