"""The whole-process yardstick of issue #15: python-calamine alone reading a workspace's two workbooks.

`segur-desktop validate` is judged as a whole process (Python's start, imports, reading, joining,
checking, the report) against this one: the same interpreter starting, importing python-calamine and
turning every row of the clients' and the BDCs' sheets into Python lists, then exiting. Time both
from outside, in interleaved pairs, e.g. with `/usr/bin/time -v`:

    python -m bench.calamine_read bench/out/20000-identifiants
    segur-desktop validate -w bench/out/20000-identifiants --format json

It reads the sheets workspace.json names (or the first) and prints nothing, so that its time is the read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import python_calamine


def read_all(workbook: Path, sheet: str | None) -> int:
    """Every row of the sheet (the first when none is named) as Python values; their count."""
    book = python_calamine.CalamineWorkbook.from_path(str(workbook))
    grid = book.get_sheet_by_name(sheet) if sheet else book.get_sheet_by_index(0)
    return len(grid.to_python())


def main(folder: Path) -> int:
    """Read both workbooks named by folder/workspace.json; the number of rows read."""
    workspace = json.loads((folder / "workspace.json").read_text(encoding="utf-8"))
    inputs = workspace["entrees"]
    return sum(read_all(folder / inputs[name], inputs.get(f"{name}_feuille")) for name in ("clients", "bdc"))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
