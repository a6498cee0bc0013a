"""Where every value came from: file, sheet, Excel row, column letter, header.

Provenance is computed, not stored per value: a `Record` knows its table and
row, the table's mapping knows each field's column. So 100k rows carry full
provenance without a million small objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters: 0 -> "A", 27 -> "AB"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Cell:
    file: Path
    sheet: str
    row: int  # Excel row number, 1-based
    column: str  # Excel column letter
    header: str
    value: Any  # the raw value as read


@dataclass(slots=True)
class Sheet:
    """The raw rows of one sheet (or CSV file), as read."""

    path: Path
    name: str
    rows: list[list[Any]]  # rows[i] is Excel row i + 1, cells from column A
    first_row: int = 1  # Excel number of rows[0]
    uncached: set[tuple[int, int]] = field(default_factory=set)  # (row index, column) of formulas without a value
    hidden: frozenset[int] = frozenset()  # Excel numbers of the rows the workbook hides (read all the same)
    groups: tuple[tuple[int, int, int], ...] = ()  # (row index, first, last column) of cells merged across one row


@dataclass(slots=True)
class Table:
    """A sheet once its header row is found and its columns mapped to fields."""

    list_kind: str  # "clients" | "bdc"
    path: Path
    sheet: str
    header_row: int  # Excel row number
    headers: list[str]
    columns: dict[str, int]  # field -> 0-based column index
    rows: list[tuple[int, list[Any]]]  # (Excel row number, raw cells) below the header
    uncached: frozenset[tuple[int, int]] = frozenset()  # (Excel row, column) of formulas without a value
    hidden: frozenset[int] = frozenset()  # Excel numbers of hidden rows below the header, imported like the others
    totals: dict[int, str] = field(default_factory=dict)  # Excel number -> label of each total row left out of `rows`
    notes: dict[int, str] = field(default_factory=dict)  # Excel number -> text of each note under the list, left out

    def cell(self, field_name: str, row: int, raw: list[Any]) -> Cell | None:
        column = self.columns.get(field_name)
        if column is None:
            return None
        value = raw[column] if column < len(raw) else None
        return Cell(self.path, self.sheet, row, column_letter(column), self.headers[column], value)


NO_FAILURE: frozenset[str] = frozenset()  # shared by every record that has no failed field


@dataclass(slots=True)
class Record:
    """One normalised row: typed values by field, and the way back to its cells.

    `failed` is the shared empty `NO_FAILURE` until a field fails (`fail()` then gives the
    record a set of its own): an empty set weighs 216 bytes, 43 MB for 100k clients + 100k BDCs.
    """

    table: Table
    row: int
    raw: list[Any]
    values: dict[str, Any] = field(default_factory=dict)
    failed: set[str] | frozenset[str] = NO_FAILURE  # fields that are required-but-empty or invalid

    def fail(self, field_name: str) -> None:
        """Mark `field_name` as required-but-empty or invalid."""
        if isinstance(self.failed, set):
            self.failed.add(field_name)
        else:
            self.failed = {*self.failed, field_name}

    def cell(self, field_name: str) -> Cell | None:
        return self.table.cell(field_name, self.row, self.raw)

    def row_cell(self) -> Cell:
        """The row itself, for a problem that no single column explains."""
        return Cell(self.table.path, self.table.sheet, self.row, "", "", None)
