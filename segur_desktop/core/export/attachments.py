"""The attachments of a deposit: which PDF goes into the zip, under which name.

On the portal a deposit is one JSON file plus one zip; when the zip does not
hold exactly the files the JSON names, the requests are created "incomplete"
(DOMAIN.md). So every attachment is renamed after its demande and role —
`<idDemande>_BDC.pdf`, `_FACTURE.pdf`, `_MOM.pdf` or `_VA.pdf` — and the
demande's file names are rewritten to match: unique in their zip whatever the
scans were called, stable from one export to the next, and telling the ASP
agent what each file is. A source PDF is found the way validation found it
(the same folder listing, the same case- and Unicode-insensitive match).
The user's PDFs are only ever read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from segur_desktop.core.build import Demande
from segur_desktop.core.validate.rules import RuleContext

FILE_NAME_KEY = "nomFichier"  # every file a demande names sits under this key, wherever the schema puts it


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str  # the member's name in the zip, as the rewritten demande names it
    source: Path  # the user's PDF


def member_name(request_id: str, role: str) -> str:
    return f"{request_id}_{role}.pdf"


def attachments(d: Demande, context: RuleContext) -> tuple[tuple[Attachment, ...], str | None]:
    """The demande's attachments under their deposit names, or the first piece that cannot be found."""
    found = []
    for piece in d.pieces:
        path = context.find_piece(piece.name)
        if path is None:
            return (), piece.name
        found.append(Attachment(member_name(d.id, piece.role), path))
    return tuple(found), None


def with_member_names(d: Demande) -> dict[str, Any]:
    """The demande's JSON naming its attachments as the zip does.

    `d.data` belongs to the validation the window shows: only the few nested
    objects that change are copied, never the demande itself modified.
    """
    data = dict(d.data)
    if isinstance(data.get("piecesJustificatives"), list):
        data["piecesJustificatives"] = [
            dict(entry, **{FILE_NAME_KEY: member_name(d.id, str(entry.get("type")))}) if isinstance(entry, dict)
            else entry for entry in data["piecesJustificatives"]]
    if isinstance(data.get("facture"), dict) and FILE_NAME_KEY in data["facture"]:
        data["facture"] = dict(data["facture"], **{FILE_NAME_KEY: member_name(d.id, "FACTURE")})
    proof = data.get("justificatifInstallation")
    if isinstance(proof, dict) and FILE_NAME_KEY in proof:
        data["justificatifInstallation"] = dict(proof, **{FILE_NAME_KEY: member_name(d.id, str(proof.get("type")))})
    return data


def referenced_files(document: Any) -> Iterator[str]:
    """Every file name a demande (or a whole deposit file) names, wherever it sits.

    A walk with a stack, not recursion: 20k demandes of a dozen nested values each.
    """
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == FILE_NAME_KEY and isinstance(value, str):
                    yield value
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, (dict, list)))
