"""A piece's PDF on disk: a name matched the way the user sees it, a file checked as a PDF the portal and the ASP
agent can take (the folder is listed by `piecefolder.py`).

The pieces check (`rules.pieces`) and the export's own verification (`export/verify.py`) judge a PDF by the same
constants, so a piece validation accepted is never one the bundle's verification refuses.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from pathlib import Path
from typing import Any

from segur_desktop.core import oserrors
from segur_desktop.core.datafiles import megabytes
from segur_desktop.core.i18n import N_, _

PDF_MAGIC = b"%PDF-"  # a piece's first bytes: Acrobat tolerates junk before it, an upload check may not
# The end of a complete PDF: "startxref", the offset of its cross-reference, "%%EOF". A
# truncated scan or a file renamed .pdf lacks it.
_PDF_TRAILER = re.compile(rb"startxref\s+\d+\s+%%EOF\s*$")
MAX_PIECE_BYTES = 20 * 1024 * 1024
# What a user may leave in the pieces folder instead of a scan, believing it is the scan: Explorer hides a shortcut's
# « .lnk », the Finder shows an alias as the file. Said as such: « pas un vrai PDF » would send them re-scanning.
WINDOWS_SHORTCUT = N_("c'est un raccourci Windows vers le PDF, pas le PDF lui-même")
_LINK_FILES = (
    (b"L\x00\x00\x00\x01\x14\x02\x00", WINDOWS_SHORTCUT),
    (b"book\x00\x00\x00\x00mark", N_("c'est un alias macOS vers le PDF, pas le PDF lui-même")),
)
# A trailer (or cross-reference stream) naming an encryption dictionary: the PDF is encrypted, and only then is it
# opened with pypdf to learn whether it asks for a password. Read in the first and last 8 Ko, where a linearised file
# and any other keep their trailers.
_ENCRYPTED = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_ENDS = 8192


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
        info = path.stat()
        size = info.st_size
        if size == 0:
            return "piece_vide", {}
        if size > MAX_PIECE_BYTES:  # said as such, not as « pas un vrai PDF », and never read
            return "piece_trop_lourde", {"size": megabytes(size), "limit": megabytes(MAX_PIECE_BYTES)}
        with path.open("rb") as handle:
            head = handle.read(_ENDS)
            handle.seek(max(0, size - _ENDS))
            tail = handle.read()
    except FileNotFoundError:
        if path.is_symlink():  # a link whose target is gone: it is in the folder, its PDF is not
            return "piece_illisible", {"reason": _("c'est un lien (alias) vers un fichier qui n'existe plus"),
                                       "advice": _("Remplacez le lien par le PDF lui-même, puis revérifiez.")}
        return "piece_absente", {}  # removed since the folder was listed
    except OSError as exc:  # a link looping on itself among them (ELOOP), said as such by oserrors
        return "piece_illisible", {"reason": oserrors.reason(exc), "advice": oserrors.advice_read(exc)}
    for magic, what in _LINK_FILES:
        if head.startswith(magic):
            return link_file(what)
    if not head.startswith(PDF_MAGIC) or not _PDF_TRAILER.search(tail):  # as `verify` reads a bundle's pieces
        return "piece_non_pdf", {}
    if _ENCRYPTED.search(head) or _ENCRYPTED.search(tail):
        return _protection(path, size, info.st_mtime_ns, hash(head), hash(tail))
    return None


@functools.lru_cache(maxsize=65_536)
def _protection(path: Path, size: int, mtime_ns: int, head: int, tail: int) -> tuple[str, dict[str, Any]] | None:
    """None for an encrypted PDF that opens without a password: an owner password only restricts printing or
    editing, the ASP agent reads it as any other (vendors' e-signature and scanning tools often set one). A PDF
    asking for a password to open, or a certificate, is « piece_protegee »: the agent cannot read it, the demande
    would wait for complementary pieces. One pypdf cannot read at all is « piece_protection_inconnue »: told, not
    refused, as a viewer may still open it.

    Remembered for the file as it is (size, time, and its first and last 8 Ko, which a file rewritten within the
    same tick of the clock changes): an AES-256 key takes 4 ms to check, 80 s for 20 000 scans a vendor's signing
    tool protected, and the window validates again at each change of the workspace.

    pypdf is imported here, not at the top: validation's start-up never pays for it (about 80 ms), only a folder
    holding an encrypted PDF does. Its logger gets a handler that says nothing: without one, Python prints what pypdf
    notes about a damaged file (« incorrect startxref pointer ») on the command line's error output, in English."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    pypdf_log = logging.getLogger("pypdf")
    if not pypdf_log.handlers:
        pypdf_log.addHandler(logging.NullHandler())
    try:
        reader = PdfReader(path)  # tries the empty password, as a viewer does before asking for one
        if reader.is_encrypted:  # else « /Encrypt » was in a comment or a page's text, not the trailer
            reader.root_object  # noqa: B018 - read only with the key: FileNotDecryptedError without it
    except (FileNotDecryptedError, NotImplementedError):  # pypdf knows the standard handler only: another is a
        return "piece_protegee", {}  # certificate's or a rights server's, which the ASP agent has not either
    except Exception:  # a damaged or hostile file makes pypdf raise anything: its parser's errors are not ours
        return "piece_protection_inconnue", {}
    return None


def link_file(what: str = WINDOWS_SHORTCUT) -> tuple[str, dict[str, Any]]:
    """« illisible », saying the file is a shortcut or an alias to the PDF, and to put the PDF itself instead."""
    return "piece_illisible", {"reason": _(what), "advice": _("Remplacez-le par une copie du PDF lui-même (Copier, "
                                                              "puis Coller dans le dossier des pièces), puis revérifiez.")}
