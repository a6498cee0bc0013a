"""Checks made before a spreadsheet is opened: the file is what it claims, and not hostile.

A vendor's file can be a CSV renamed .xlsx, a password-protected workbook, a
truncated download, or (rarely, but a desktop app must not hang on it) a zip
bomb. Each gets a French `InputError` naming the file and what to do, before
any parser sees it, and memory stays bounded.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
ZIP_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".ods"}

MAX_FILE_BYTES = 200 * 1024 * 1024  # far above any real export (100k rows ≈ 10 MB)
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200  # spreadsheet XML compresses ~10-30x; bombs go to thousands
RATIO_CHECKED_ABOVE = 10 * 1024 * 1024

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE container: .xls, or an encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"


def unreadable(path: Path, reason: str) -> InputError:
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
    if path.is_dir():
        raise InputError(_("« {path} » est un dossier, pas un tableur. Choisissez le fichier .xlsx, .xls, .ods ou .csv.").format(path=path))
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES | CSV_SUFFIXES:
        raise InputError(
            _("Le fichier « {name} » n'est pas un tableur pris en charge ({suffix}). "
              "Enregistrez-le au format .xlsx, .xls, .ods ou .csv.").format(name=path.name, suffix=suffix or _("sans extension")))
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as exc:
        raise unreadable(path, exc.strerror or str(exc)) from None
    if size == 0:
        raise InputError(_("Le fichier « {name} » est vide (0 octet). Exportez-le de nouveau depuis votre logiciel.").format(name=path.name))
    if size > MAX_FILE_BYTES:
        raise InputError(
            _("Le fichier « {name} » est trop gros ({mb} Mo, {limit} Mo au plus). Vérifiez qu'il s'agit bien de "
              "la liste attendue, ou découpez-la.").format(name=path.name, mb=size // 2**20, limit=MAX_FILE_BYTES // 2**20))
    if suffix in ZIP_SUFFIXES:
        _check_zip(path, head, suffix)
    elif suffix == ".xls" and head.startswith(ZIP_MAGIC):
        raise unreadable(path, _("c'est en fait un classeur .xlsx nommé .xls : renommez-le en .xlsx"))


def _check_zip(path: Path, head: bytes, suffix: str) -> None:
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
