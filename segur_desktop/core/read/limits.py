"""Checks made before a spreadsheet is opened: the file is what it claims, and not hostile.

A vendor's file can be a CSV renamed .xlsx, a password-protected workbook, an
old .xls renamed .xlsx, a truncated download, a named pipe or a device (opening
one would wait forever), a sheet with one cell at XFD1048576 (`extent`), or
(rarely, but a desktop app must not hang on it) a zip bomb. Each gets a French
`InputError` naming the file and what to do, before any parser sees it, and
memory stays bounded.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from segur_desktop.core import oserrors
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.read.extent import check_ods, xlsx_scans

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
ZIP_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".ods"}

MAX_FILE_BYTES = 200 * 1024 * 1024  # far above any real export (100k rows ≈ 10 MB)
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200  # spreadsheet XML compresses ~10-30x; bombs go to thousands
RATIO_CHECKED_ABOVE = 10 * 1024 * 1024

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE container: .xls, or an encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's « Texte Unicode » starts with the first


def _cfb_entry(name: str) -> bytes:
    """How an OLE container's directory spells a stream name: UTF-16LE padded to 64 bytes, then its size."""
    encoded = (name + "\0").encode("utf-16-le")
    return encoded.ljust(64, b"\0") + len(encoded).to_bytes(2, "little")


# The stream that tells an encrypted .xlsx (Office keeps the real workbook in it) from an
# Excel 97-2003 workbook ("Workbook", or "Book" before Excel 97).
_ENCRYPTED_STREAM = _cfb_entry("EncryptedPackage")
_BIFF_STREAMS = (_cfb_entry("Workbook"), _cfb_entry("Book"))


def unreadable(path: Path, reason: str | OSError) -> InputError:
    """The file cannot be used: `reason` says why. An operating-system error (or its English `strerror`,
    as some callers pass it) is put in French with what to do about it (close it in Excel, ask for the
    right to read it…): re-saving as .xlsx, the advice for a damaged file, would not help."""
    if isinstance(reason, OSError) and not reason.errno:  # one of ours (`_no_wait`): its text is French already
        reason = str(reason.strerror or reason)
    if isinstance(reason, OSError) or oserrors.is_os_reason(reason):
        return InputError(
            _("Le fichier « {path} » ne peut pas être ouvert : {reason}. {advice}").format(
                path=path, reason=oserrors.reason(reason), advice=oserrors.advice_read(reason)))
    return InputError(
        _("Le fichier « {name} » ne peut pas être lu : {reason}. Ouvrez-le dans Excel ou LibreOffice, "
          "enregistrez-le au format .xlsx, puis recommencez.").format(name=path.name, reason=reason)
    )


def _looks_like(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return _("un PDF")
    if head.lstrip().lower().startswith((b"<html", b"<!doctype html")):
        return _("une page web")
    if head.startswith(CFB_MAGIC):
        return _("un ancien classeur .xls")
    if head.startswith(ZIP_MAGIC):
        return _("un classeur .xlsx ou .ods")
    if head.startswith(UTF16_BOMS):
        return _("un fichier texte (CSV)")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return _("un fichier d'un autre format")
    return _("un fichier texte (CSV)")


def check_file(path: Path) -> None:
    """Raise a French InputError unless `path` is a plausible spreadsheet of its kind."""
    if not path.exists():
        raise InputError(
            _("Le fichier « {path} » est introuvable. Vérifiez son nom et son dossier, "
              "ou choisissez-le de nouveau.").format(path=path))
    try:
        mode = path.stat().st_mode  # follows a link: what matters is what it points to
    except OSError as exc:
        raise unreadable(path, exc) from None
    if stat.S_ISDIR(mode):
        raise InputError(_("« {path} » est un dossier, pas un tableur. Choisissez le fichier .xlsx, .xls, .ods ou .csv.").format(
            path=path))
    if not stat.S_ISREG(mode):  # a named pipe or a device: opening it would wait forever, or never end
        raise InputError(
            _("« {path} » n'est pas un fichier ordinaire (tube nommé, périphérique ou socket) : il ne peut pas être "
              "lu comme un tableur. Choisissez le fichier .xlsx, .xls, .ods ou .csv lui-même.").format(path=path))
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES | CSV_SUFFIXES:
        raise InputError(
            _("Le fichier « {name} » n'est pas un tableur pris en charge ({suffix}). "
              "Enregistrez-le au format .xlsx, .xls, .ods ou .csv.").format(name=path.name, suffix=suffix or _("sans extension")))
    try:
        size = path.stat().st_size
        with open(path, "rb", opener=_no_wait) as handle:
            head = handle.read(512)
    except OSError as exc:
        raise unreadable(path, exc) from None
    if size == 0:
        raise InputError(_("Le fichier « {name} » est vide (0 octet). Exportez-le de nouveau depuis votre logiciel.").format(
            name=path.name))
    if size > MAX_FILE_BYTES:
        raise InputError(
            _("Le fichier « {name} » est trop gros ({mb} Mo, {limit} Mo au plus). Vérifiez qu'il s'agit bien de "
              "la liste attendue, ou découpez-la.").format(name=path.name, mb=size // 2**20, limit=MAX_FILE_BYTES // 2**20))
    if suffix in ZIP_SUFFIXES:
        _check_zip(path, head, suffix)
        if suffix in (".xlsx", ".xlsm"):
            xlsx_scans(path)  # every sheet's extent (InputError past the limit), its signs kept for the read
        elif suffix == ".ods":
            check_ods(path)
    elif suffix == ".xls" and head.startswith(ZIP_MAGIC):
        raise unreadable(path, _("c'est en fait un classeur .xlsx nommé .xls : renommez-le en .xlsx"))


def _no_wait(name: str | os.PathLike[str], flags: int) -> int:
    """Open without blocking: a file swapped for a named pipe after the check above fails instead of hanging."""
    descriptor = os.open(name, flags | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise OSError(0, _("ce n'est pas un fichier ordinaire"))
    return descriptor


def _holds_stream(path: Path, entries: tuple[bytes, ...]) -> bool:
    """Whether an OLE container's directory names one of `entries` (read by chunks, never whole)."""
    tail = b""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                searched = tail + chunk
                if any(entry in searched for entry in entries):
                    return True
                tail = searched[-66:]
    except OSError:
        pass
    return False


def _check_zip(path: Path, head: bytes, suffix: str) -> None:
    if head.startswith(CFB_MAGIC) and not _holds_stream(path, (_ENCRYPTED_STREAM,)) and _holds_stream(path, _BIFF_STREAMS):
        raise InputError(
            _("Le classeur « {name} » est en fait un ancien classeur Excel 97-2003 (.xls) renommé en {suffix} : "
              "renommez-le en .xls, ou ouvrez-le dans Excel et enregistrez-le au format .xlsx, puis recommencez.").format(
                name=path.name, suffix=suffix))
    if head.startswith(CFB_MAGIC):
        raise InputError(
            _("Le classeur « {name} » est protégé par un mot de passe (chiffré). Ouvrez-le dans Excel, "
              "enregistrez-en une copie sans mot de passe, puis recommencez.").format(name=path.name))
    if not head.startswith(ZIP_MAGIC):
        raise unreadable(path, _("ce n'est pas un vrai fichier {suffix} : son contenu ressemble à {kind}").format(
            suffix=suffix, kind=_looks_like(head)))
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable(path, _("le fichier est tronqué ou endommagé (téléchargement incomplet ?)")) from None
    total = sum(m.file_size for m in members)
    suspicious = any(m.file_size > RATIO_CHECKED_ABOVE and m.file_size > MAX_RATIO * max(m.compress_size, 1)
                     for m in members)
    if total > MAX_UNCOMPRESSED_BYTES or suspicious:
        raise unreadable(path, _("une fois décompressé, il occuperait {gb:.1f} Go : ce n'est pas un export normal").format(
            gb=total / 2**30))
