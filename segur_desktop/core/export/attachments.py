"""The attachments of a deposit: which PDF goes into the zip, under which name.

On the portal a deposit is one JSON file plus one zip; when the zip does not
hold exactly the files the JSON names, the requests are created "incomplete"
(DOMAIN.md). So every attachment is renamed after its demande and role —
`<idDemande>_BDC.pdf`, `_FACTURE.pdf`, `_MOM.pdf` or `_VA.pdf` — and the
demande's file names are rewritten to match: unique in their zip whatever the
scans were called, stable from one export to the next, and telling the ASP
agent what each file is. A source PDF is found the way validation found it
(the same folder listing, the same case- and Unicode-insensitive match, in
any subfolder). The zip stays flat whatever subfolder a scan lies in: the
portal's `nomFichier` is a bare file name. The user's PDFs are only ever read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from segur_desktop.core.build import Demande
from segur_desktop.core.validate.rules import RuleContext


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str  # the member's name in the zip, as the rewritten demande names it
    source: Path  # the user's PDF
    label: str  # that PDF as the user finds it in the pieces folder (« 2022-11/BDC-1.pdf »): the manifest's « source »


def member_name(request_id: str, role: str) -> str:
    return f"{request_id}_{role}.pdf"


def attachments(d: Demande, context: RuleContext) -> tuple[tuple[Attachment, ...], str | None]:
    """The demande's attachments under their deposit names, or the first piece that cannot be found."""
    found = []
    for piece in d.pieces:
        path = context.find_piece(piece.name)
        if path is None:
            return (), piece.name
        found.append(Attachment(member_name(d.id, piece.role), path, context.piece_folder.label(path)))
    return tuple(found), None


def with_member_names(d: Demande) -> dict[str, Any]:
    """The demande's canonical fields naming its attachments as the zip does.

    `d.fields` belongs to the validation the window shows: only the few values
    that change are replaced in a copy, never the demande itself modified.
    """
    fields = dict(d.fields)
    if isinstance(fields.get("pieces"), list):
        fields["pieces"] = [dict(piece, fichier=member_name(d.id, str(piece.get("type")))) if isinstance(piece, dict)
                            else piece for piece in fields["pieces"]]
    if "facture.fichier" in fields:
        fields["facture.fichier"] = member_name(d.id, "FACTURE")
    if "justificatif.fichier" in fields:
        fields["justificatif.fichier"] = member_name(d.id, str(fields.get("justificatif.type")))
    return fields


def referenced_files(fields: dict[str, Any]) -> set[str]:
    """Every file name a demande's canonical fields give (its pieces, its invoice, its MOM or VA)."""
    names = {piece["fichier"] for piece in fields.get("pieces", ()) if isinstance(piece, dict)
             and isinstance(piece.get("fichier"), str)}
    for key in ("facture.fichier", "justificatif.fichier"):
        if isinstance(fields.get(key), str):
            names.add(fields[key])
    return names
