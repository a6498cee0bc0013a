"""Join each BDC row to its client row, by client code (case-insensitive)."""

from __future__ import annotations

import difflib

from segur_desktop.core.diagnostics import Diagnostic, make
from segur_desktop.core.i18n import _
from segur_desktop.core.source import Record


def index_clients(clients: list[Record]) -> tuple[dict[str, Record], list[Diagnostic]]:
    """Clients by code; a code seen twice is an error on the second row."""
    index: dict[str, Record] = {}
    diagnostics = []
    for record in clients:
        code = record.values.get("client_code")
        if code is None:
            continue
        if code in index:
            diagnostics.append(make("client_duplique", record.cell("client_code"), value=code, first_row=index[code].row))
        else:
            index[code] = record
    return index, diagnostics


def find_client(bdc: Record, index: dict[str, Record]) -> tuple[Record | None, Diagnostic | None]:
    code = bdc.values.get("client_code")
    if code is None:
        return None, None  # already reported as missing or unreadable
    client = index.get(code)
    if client is not None:
        return client, None
    close = difflib.get_close_matches(code, list(index), n=3, cutoff=0.75)
    hint = _(" Codes proches : {codes}.").format(codes=", ".join(close)) if close else ""
    return None, make("client_inconnu", bdc.cell("client_code"), value=code, hint=hint)
