"""Writing a cell of a workbook the product produces, safely: the one place for it.

Text in our workbooks comes from the user's files (anomalies.xlsx) or from
schemas that a user can override (templates). Text a spreadsheet would run as
a formula (`=`, `+`, `-`, `@`, tab, carriage return at the start) is stored as
text and keeps a quote prefix, so opening the workbook never evaluates it
(no formula injection); characters XML forbids are dropped rather than making
the file unreadable.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def set_value(cell: Cell | MergedCell, value: Any) -> None:
    """Write `value`; text that a spreadsheet would run as a formula stays text.

    `cell` is what `Worksheet.cell` returns; our workbooks merge no cell they write to."""
    assert isinstance(cell, Cell), f"{cell.coordinate} is merged: it holds no value"
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if value.startswith(FORMULA_STARTS):
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    elif isinstance(value, (datetime, date)):
        cell.value = value
        cell.number_format = "DD/MM/YYYY"  # as French users type dates
    elif value is None or isinstance(value, (int, float, bool, time, timedelta)):
        cell.value = value
    else:
        set_value(cell, str(value))
