"""A diagnostic: one problem, in French, at the cell (or file) that causes it.

The shape is the CLI's JSON report contract (`--format json`): severity, code,
message, fix, file, sheet, row, column, header, value, request, path.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from segur_desktop.core.i18n import _
from segur_desktop.core.messages import MESSAGES, Severity
from segur_desktop.core.normalise import Issue
from segur_desktop.core.normalise.text import raw_display
from segur_desktop.core.source import Cell


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    fix: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    value: str | None = None
    request: str | None = None  # request id
    path: str | None = None  # JSON pointer inside the request

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


def make(
    code: str,
    cell: Cell | None = None,
    *,
    file: Path | None = None,
    request: str | None = None,
    path: str | None = None,
    **params: Any,
) -> Diagnostic:
    """Build the diagnostic `code` from the catalogue, located at `cell` (or `file`)."""
    entry = MESSAGES[code]
    if cell is not None and cell.header:
        params.setdefault("header", cell.header)
    message = _(entry.message).format(**params)
    fix = _(entry.fix).format(**params)
    if cell is None:
        return Diagnostic(entry.severity, code, message, fix,
                          file=str(file) if file else None, request=request, path=path)
    return Diagnostic(
        entry.severity, code, message, fix,
        file=str(cell.file), sheet=cell.sheet, row=cell.row, column=cell.column or None,
        header=cell.header or None, value=raw_display(cell.value) if cell.column else None,
        request=request, path=path,
    )


def from_issue(issue: Issue, cell: Cell | None, **where: Any) -> Diagnostic:
    return make(issue.code, cell, **where, **issue.params)


def counts(diagnostics: list[Diagnostic]) -> Counter[str]:
    """Number of diagnostics per severity ("error", "warning", "info")."""
    return Counter(str(d.severity) for d in diagnostics)
