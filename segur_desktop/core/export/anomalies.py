"""anomalies.xlsx: the rows kept out of the bundle, to fix in Excel.

One sheet per source file. Each rejected row is copied as read, in the same
columns as its source (so "colonne E" in a message is column E here too),
followed by its source row number, its problems and their fixes; the cells at
fault are filled (red: error, orange: warning) and carry the message as a
comment. Cell values come from the user's files and may start with `=`, `+`,
`-` or `@`: such text is written as text, never as a formula (no formula
injection when the workbook is opened). The same inputs give the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from segur_desktop.core.diagnostics import Diagnostic
from segur_desktop.core.export.plan import ExportPlan, Reason
from segur_desktop.core.export.zips import normalised
from segur_desktop.core.i18n import _
from segur_desktop.core.messages import Severity
from segur_desktop.core.source import Table
from segur_desktop.core.xlsx_safe import set_value

FILLS = {Severity.ERROR: PatternFill("solid", fgColor="FFC7CE"), Severity.WARNING: PatternFill("solid", fgColor="FFE0B2")}
SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
AUTHOR = "Segur Desktop"


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    column: str | None  # Excel letter in the source; None: the row as a whole
    message: str
    fix: str


def _findings(plan: ExportPlan) -> dict[str, dict[int, list[Finding]]]:
    """file -> row -> findings, for the rows that keep something out of the bundle."""
    errors = set(plan.errors())
    rejected = {(d.file, d.row) for d in errors if d.file and d.row}
    by_row: dict[str, dict[int, list[Finding]]] = {}

    def add(file: str, row: int, finding: Finding) -> None:
        found = by_row.setdefault(file, {}).setdefault(row, [])
        if finding not in found:
            found.append(finding)

    kept = [d for d in plan.result.diagnostics if (d.file, d.row) in rejected and d.severity is not Severity.INFO]
    for d in sorted(kept, key=_severity_first):
        if d.severity is Severity.ERROR and d not in errors:
            continue  # a closed guichet the user chose to export past
        assert d.file is not None and d.row is not None, "kept: at a rejected row"
        add(d.file, d.row, Finding(d.severity, d.column, d.message, d.fix))
    for item in plan.left_out:
        if item.reason in (Reason.NOT_CHOSEN, Reason.DEPOSITED, Reason.EXPORTED):
            continue
        if not by_row.get(str(item.file), {}).get(item.row):
            add(str(item.file), item.row, Finding(Severity.ERROR, None, " ".join(item.details), ""))
    return by_row


def _severity_first(d: Diagnostic) -> tuple[int, str]:
    return (0 if d.severity is Severity.ERROR else 1, d.column or "")


def _sheet_title(name: str, taken: set[str]) -> str:
    base = name.translate(SHEET_NAME_FORBIDDEN)[:31] or _("Source")
    title, number = base, 2
    while title.casefold() in taken:
        suffix = f" ({number})"
        title, number = base[:31 - len(suffix)] + suffix, number + 1
    taken.add(title.casefold())
    return title


def _write_sheet(sheet: Worksheet, table: Table, findings: dict[int, list[Finding]]) -> None:
    width = len(table.headers)
    extra = (_("Ligne dans la source"), _("Anomalies"), _("Correction"))
    bold = Font(bold=True)
    for index, title in enumerate((*table.headers, *extra), start=1):
        cell = sheet.cell(row=1, column=index)
        set_value(cell, title)
        cell.font = bold
    sheet.freeze_panes = "A2"
    raw_rows = dict(table.rows)
    wrap = Alignment(wrap_text=True, vertical="top")
    for out_row, source_row in enumerate(sorted(findings), start=2):
        raw = raw_rows.get(source_row, [])
        for index in range(width):
            set_value(sheet.cell(row=out_row, column=index + 1), raw[index] if index < len(raw) else None)
        row_cell = sheet.cell(row=out_row, column=width + 1, value=source_row)
        problems = findings[source_row]
        for finding in problems:
            target: Cell | MergedCell = row_cell
            if finding.column and column_index_from_string(finding.column) <= width:
                target = sheet.cell(row=out_row, column=column_index_from_string(finding.column))
            if target.fill != FILLS[Severity.ERROR]:  # an error's red wins over a warning's orange
                target.fill = FILLS[finding.severity]
            text = finding.message if target.comment is None else f"{target.comment.text}\n{finding.message}"
            target.comment = Comment(text, AUTHOR, width=320, height=120)
        set_value(sheet.cell(row=out_row, column=width + 2), "\n".join(f"• {f.message}" for f in problems))
        fixes = list(dict.fromkeys(f.fix for f in problems if f.fix))
        set_value(sheet.cell(row=out_row, column=width + 3), "\n".join(fixes))
        for column in (width + 2, width + 3):
            sheet.cell(row=out_row, column=column).alignment = wrap
    for column in (width + 2, width + 3):
        sheet.column_dimensions[get_column_letter(column)].width = 70


def anomalies_workbook(plan: ExportPlan) -> bytes:
    """The workbook's bytes: one sheet per source table, its rejected rows highlighted."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty sheet a new workbook comes with
    stamp = plan.result.at.astimezone(UTC).replace(tzinfo=None)  # not "now": same inputs, same bytes
    workbook.properties.creator = AUTHOR
    workbook.properties.created = workbook.properties.modified = stamp
    findings = _findings(plan)
    taken: set[str] = set()
    for table in plan.tables:
        sheet = workbook.create_sheet(_sheet_title(table.path.name, taken))
        _write_sheet(sheet, table, findings.get(str(table.path), {}))
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps "modified" with the current time.
    ExcelWriter(workbook, ZipFile(buffer, "w", ZIP_DEFLATED)).save()
    return normalised(buffer.getvalue())
