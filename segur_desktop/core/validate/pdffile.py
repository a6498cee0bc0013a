"""A piece's PDF on disk: the pieces folder listed, a name matched the way the user sees it, a file checked as a
PDF the portal and the ASP agent can take.

The pieces check (`rules.pieces`) and the export's own verification (`export/verify.py`) judge a PDF by the same
constants, so a piece validation accepted is never one the bundle's verification refuses.
"""

from __future__ import annotations

import re
import stat
import unicodedata
from pathlib import Path
from typing import Any

from segur_desktop.core import oserrors
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _

PDF_MAGIC = b"%PDF-"  # a piece's first bytes: Acrobat tolerates junk before it, an upload check may not
# The end of a complete PDF: "startxref", the offset of its cross-reference, "%%EOF". A
# truncated scan or a file renamed .pdf lacks it.
_PDF_TRAILER = re.compile(rb"startxref\s+\d+\s+%%EOF\s*$")
MAX_PIECE_BYTES = 20 * 1024 * 1024
# A trailer (or cross-reference stream) naming an encryption dictionary: the PDF is protected. Read in the first and
# last 8 Ko, where a linearised file and any other keep their trailers.
_ENCRYPTED = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_ENDS = 8192


def piece_listing(folder: Path) -> dict[str, Path]:
    """The files of the pieces folder by name; a French `InputError` naming the folder when it is missing, is a
    file or cannot be listed: otherwise every demande would say its PDF is missing from a folder that is the
    one thing wrong (a path typed on another machine, a share gone, no right to read it)."""
    fix = _("Corrigez le dossier des pièces (« pieces » dans workspace.json, ou la page Dossier de travail), puis "
            "revérifiez.")
    try:
        if not stat.S_ISDIR(folder.stat().st_mode):
            raise InputError(_("Le dossier des pièces justificatives « {folder} » est un fichier, pas un dossier. "
                               "{fix}").format(folder=folder, fix=fix))
        return {p.name: p for p in folder.iterdir() if p.is_file()}
    except FileNotFoundError:
        raise InputError(_("Le dossier des pièces justificatives « {folder} » est introuvable. {fix}").format(
            folder=folder, fix=fix)) from None
    except OSError as exc:
        raise InputError(_("Le dossier des pièces justificatives « {folder} » ne peut pas être lu ({reason}). "
                           "{advice}").format(folder=folder, reason=oserrors.reason(exc),
                                              advice=oserrors.advice_read(exc))) from None


def fold_name(name: str) -> str:
    """A file name as the pieces folder is matched: whatever its case, its Unicode form (macOS writes « é » as
    « e » and an accent) or trailing spaces and dots (Windows ignores them)."""
    return unicodedata.normalize("NFC", name).rstrip(" .").casefold()


def same_name(first: str, second: str) -> bool:
    """Whether two names are the same to the eye: only their Unicode form may differ."""
    return unicodedata.normalize("NFC", first) == unicodedata.normalize("NFC", second)


def pdf_problem(path: Path) -> tuple[str, dict[str, Any]] | None:
    """None for a plausible PDF, else the diagnostic code and its parameters.

    A file listed in the folder but that cannot be opened (no right to read it, locked, a network share
    gone) is « illisible », with the system's reason in French: saying it is not in the folder would send
    the user looking for a file that is there."""
    try:
        size = path.stat().st_size
        if size == 0:
            return "piece_vide", {}
        if size > MAX_PIECE_BYTES:  # said as such, not as « pas un vrai PDF », and never read
            return "piece_trop_lourde", {"size": megabytes(size), "limit": megabytes(MAX_PIECE_BYTES)}
        with path.open("rb") as handle:
            head = handle.read(_ENDS)
            handle.seek(max(0, size - _ENDS))
            tail = handle.read()
    except FileNotFoundError:  # removed since the folder was listed
        return "piece_absente", {}
    except OSError as exc:
        return "piece_illisible", {"reason": oserrors.reason(exc), "advice": oserrors.advice_read(exc)}
    if not head.startswith(PDF_MAGIC) or not _PDF_TRAILER.search(tail):  # as `verify` reads a bundle's pieces
        return "piece_non_pdf", {}
    if _ENCRYPTED.search(head) or _ENCRYPTED.search(tail):  # told, not refused: an owner password opens freely
        return "piece_protegee", {}
    return None


def megabytes(size: int) -> str:
    """In Mo of 1 048 576 bytes, as the portal's 20 Mo limit on a piece counts them."""
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " Mo"
