"""An operating-system error in French: what went wrong and what to do, never « Permission denied ».

Python's `OSError.strerror` comes from the C library in English (« No such file or directory »); a
user reads French only. `reason()` names the cause (« permission refusée », « fichier verrouillé par
une autre application »…) from the error number (and Windows' own code, which tells a locked file from
a refused one), and `advice_read()` / `advice_write()` say what to do about it. `check_output_folder`
refuses, before any work, an output folder that cannot be made or written, with the same words.

Pure: no Qt, no I/O beyond `check_output_folder`'s look at the folder.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import N_, _

# Windows' own codes (OSError.winerror): a sharing or lock violation is errno EACCES, but not a question of rights.
WIN_LOCKED = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
# A link looping on itself: Windows says ERROR_CANT_RESOLVE_FILENAME, which Python maps to no errno (EINVAL, which
# would read as a name refused).
WIN_LOOP = 1921

LOCKED = "locked"
DENIED = "denied"
MISSING = "missing"
NOT_A_FOLDER = "not_a_folder"
IS_A_FOLDER = "is_a_folder"
FULL = "full"
READ_ONLY = "read_only"
DEVICE = "device"
NAME = "name"
LOOP = "loop"
OTHER = "other"

_KINDS: dict[int, str] = {
    errno.EACCES: DENIED, errno.EPERM: DENIED,
    errno.EBUSY: LOCKED, errno.ETXTBSY: LOCKED,
    errno.ENOENT: MISSING,
    errno.ENOTDIR: NOT_A_FOLDER,
    errno.EISDIR: IS_A_FOLDER,
    errno.ENOSPC: FULL, getattr(errno, "EDQUOT", -1): FULL,
    errno.EROFS: READ_ONLY,
    errno.EIO: DEVICE, errno.ENXIO: DEVICE, errno.ENODEV: DEVICE, getattr(errno, "ESTALE", -2): DEVICE,
    getattr(errno, "EHOSTDOWN", -3): DEVICE, errno.ETIMEDOUT: DEVICE,
    errno.ENAMETOOLONG: NAME, errno.EINVAL: NAME, errno.EILSEQ: NAME,
    errno.ELOOP: LOOP,
}

_REASONS: dict[str, str] = {
    LOCKED: N_("fichier verrouillé par une autre application (Excel ?) qui le garde ouvert"),
    DENIED: N_("permission refusée"),
    MISSING: N_("fichier ou dossier introuvable"),
    NOT_A_FOLDER: N_("un élément du chemin est un fichier, pas un dossier"),
    IS_A_FOLDER: N_("c'est un dossier, pas un fichier"),
    FULL: N_("disque plein (ou quota dépassé)"),
    READ_ONLY: N_("support en lecture seule"),
    DEVICE: N_("erreur de lecture du disque, de la clé USB ou du partage réseau"),
    NAME: N_("nom de fichier refusé par le système (trop long, ou caractères interdits)"),
    LOOP: N_("lien symbolique (alias) qui renvoie à lui-même"),
}

_READ_ADVICE: dict[str, str] = {
    LOCKED: N_("Fermez-le dans l'application qui l'a ouvert (Excel, LibreOffice…), puis recommencez."),
    DENIED: N_("Vérifiez que votre compte a le droit de le lire (ou copiez-le dans un de vos dossiers), "
               "puis recommencez."),
    MISSING: N_("Vérifiez son nom et son dossier, ou choisissez-le de nouveau."),
    NOT_A_FOLDER: N_("Vérifiez le chemin : l'un des dossiers qu'il traverse est en fait un fichier."),
    IS_A_FOLDER: N_("Choisissez le fichier lui-même, pas son dossier."),
    DEVICE: N_("Copiez-le sur votre disque (ou vérifiez que la clé ou le partage réseau est bien connecté), "
               "puis recommencez."),
    NAME: N_("Renommez-le avec un nom plus court, sans caractère spécial, puis recommencez."),
    LOOP: N_("Remplacez le lien par le dossier ou le fichier qu'il devait désigner, puis recommencez."),
}

_WRITE_ADVICE: dict[str, str] = {
    LOCKED: N_("Fermez le fichier dans l'application qui l'a ouvert (Excel, LibreOffice…), puis recommencez."),
    DENIED: N_("Choisissez un dossier où vous avez le droit d'écrire (vos Documents, par exemple)."),
    MISSING: N_("Vérifiez le chemin, ou choisissez un dossier qui existe."),
    NOT_A_FOLDER: N_("Vérifiez le chemin : l'un des dossiers qu'il traverse est en fait un fichier. Choisissez un "
                     "autre dossier."),
    IS_A_FOLDER: N_("Choisissez un autre nom : un dossier porte déjà celui-ci."),
    FULL: N_("Libérez de la place sur ce disque, ou choisissez un dossier sur un autre disque."),
    READ_ONLY: N_("Choisissez un dossier sur un disque où l'on peut écrire."),
    DEVICE: N_("Vérifiez que le disque, la clé ou le partage réseau est bien connecté, ou choisissez un dossier sur "
               "votre disque."),
    NAME: N_("Choisissez un nom de dossier plus court, sans caractère spécial."),
    LOOP: N_("Remplacez le lien par le dossier qu'il devait désigner, ou choisissez un autre dossier."),
}


def kind(error: OSError | str) -> str:
    """The family of `error`: one of the constants above; a string is a `strerror` text (English) or already French."""
    if isinstance(error, str):
        for number, family in _KINDS.items():
            if number > 0 and error == os.strerror(number):
                return family
        return OTHER
    if getattr(error, "winerror", None) in WIN_LOCKED:
        return LOCKED
    if getattr(error, "winerror", None) == WIN_LOOP:
        return LOOP
    return _KINDS.get(error.errno or 0, OTHER)


def reason(error: OSError | str) -> str:
    """A French cause, for « ne peut pas être lu : {reason} »; never the C library's English."""
    family = kind(error)
    if family in _REASONS:
        return _(_REASONS[family])
    if isinstance(error, str):
        return error  # not an English strerror we know: a French text already (« ce n'est pas un fichier ordinaire »)
    if error.errno:
        return _("erreur du système n° {number}").format(number=error.errno)
    return str(error.strerror or error) or _("erreur du système")


def advice_read(error: OSError | str) -> str:
    return _(_READ_ADVICE.get(kind(error), N_("Vérifiez le fichier (droits, disque, application qui l'a ouvert), "
                                               "puis recommencez.")))


def advice_write(error: OSError | str) -> str:
    return _(_WRITE_ADVICE.get(kind(error), N_("Choisissez un dossier où vous avez le droit d'écrire.")))


def is_os_reason(text: str) -> bool:
    """Whether `text` is a C library message (`strerror`) this module can put in French."""
    return kind(text) != OTHER


def cannot_write(folder: Path, error: OSError) -> InputError:
    return InputError(_("Impossible d'écrire dans « {folder} » : {reason}. {advice}").format(
        folder=folder, reason=reason(error), advice=advice_write(error)))


def check_output_folder(folder: Path) -> None:
    """Refuse, before any work, an output folder that cannot exist or be written; leaves the disk as it was.

    The folders missing on the way are made, then removed (the surest test of « can it be made »); a
    file in the way (« sortie » is a file), or no right to write, is said with the folder named and what
    to do."""
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise InputError(_("« {folder} » est un fichier, pas un dossier. Choisissez un dossier de sortie (il est "
                           "créé s'il n'existe pas).").format(folder=target))
    missing: list[Path] = []
    probe = target
    while not probe.exists() and probe.parent != probe:
        missing.append(probe)
        probe = probe.parent
    try:
        for path in reversed(missing):
            path.mkdir()
    except OSError as exc:
        raise cannot_write(target, exc) from None
    finally:
        for path in missing:
            try:
                path.rmdir()
            except OSError:
                pass
    if not os.access(target if target.exists() else probe, os.W_OK | os.X_OK):
        raise cannot_write(target, OSError(errno.EACCES, os.strerror(errno.EACCES)))
