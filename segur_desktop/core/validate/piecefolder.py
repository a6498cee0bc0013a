"""The pieces folder as vendors keep it: scans filed by month or by client in subfolders
(« 2022-11/BDC-2022-0001.pdf », « Clinique X/BDC….pdf »), listed once per validation and found by name wherever
they lie, or by the relative path a cell gives.

The listing is bounded, as the folder may be a share or a folder chosen by mistake (a whole disk): at most
`MAX_DEPTH` levels and `MAX_ENTRIES` files and folders, else a French `InputError` says so. Links to folders are
never followed (their files are listed where they really lie, and a link looping back cannot make the walk endless);
a link whose target lies outside the folder is refused, since whatever it points to would be copied into the
deposit's zip unseen. A link that cannot be followed (a loop, a target gone) is listed, so that its piece is said
« illisible » with the reason, not « introuvable ».
"""

from __future__ import annotations

import os
import re
import stat
from collections import deque
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

from segur_desktop.core import oserrors
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.progress import CancelToken
from segur_desktop.core.validate.pdffile import fold_name, same_name

MAX_DEPTH = 10  # levels of subfolders: pieces/<client>/<year>/<month>/ is three; ten is no vendor's filing
MAX_ENTRIES = 200_000  # 20 000 demandes with three pieces each, and room to spare
# Folders no scan is filed in, which a share or a system adds: hidden ones (.snapshot copies every file of a NAS
# share, each piece would be found twice), the Windows recycle bin, macOS's leftovers in an unzipped archive.
_SKIPPED_PREFIXES = (".", "~snapshot", "$", "#recycle", "@eaDir")
_SKIPPED = {"__MACOSX", "System Volume Information"}


# A full path of some machine: « C:\Scans\… », « \\serveur\partage\… », « /Volumes/… », as ERPs and document
# managers export an attachment's location.
_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:)?[\\/]")


def split_path(name: str) -> tuple[str, ...]:
    """A cell's piece name as path parts: « 2022-11\\BDC-1.pdf » as Windows users type it is « 2022-11/BDC-1.pdf »;
    « . » parts go. A name with « .. » gives no part: nothing outside the folder is ever looked up."""
    parts = tuple(part for part in name.replace("\\", "/").split("/") if part not in ("", "."))
    return () if ".." in parts else parts


def _folded(parts: tuple[str, ...]) -> str:
    return "/".join(fold_name(part) for part in parts)


class PieceFolder:
    """The files under the pieces folder by relative path (« 2022-11/BDC-1.pdf »), and the indexes names are
    matched through. Only exact names are indexed as the folder is walked (20 000 scans in 50 subfolders: 30 ms); the
    folded indexes and the `Path` objects are made when a lookup needs them. (A plain class: a dataclass's generated
    methods cost `validate` 1 ms of start-up.)"""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._system: dict[str, str] = {}  # relative path, « / » separated -> the system's path
        self._by_name: dict[str, list[str]] = {}  # file name -> relative paths
        self._labels: dict[Path, str] = {}  # the paths handed out -> their relative paths

    def add(self, relative: str, name: str, system: str) -> None:
        self._system[relative] = system
        if (same := self._by_name.get(name)) is None:
            self._by_name[name] = [relative]
        else:
            same.append(relative)

    def relative_paths(self) -> list[str]:
        return sorted(self._system)

    @cached_property
    def _by_folded_name(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for name, relatives in self._by_name.items():
            index.setdefault(fold_name(name), []).extend(relatives)
        return index

    @cached_property
    def _by_folded_path(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for relative in self._system:
            index.setdefault(_folded(tuple(relative.split("/"))), []).append(relative)
        return index

    def _path(self, relative: str) -> Path:
        path = Path(self._system[relative])
        self._labels[path] = relative
        return path

    def candidates(self, name: str) -> tuple[Path, ...]:
        """The files `name` may designate, by relative path: a bare name is looked for in every subfolder (its exact
        name, else the same name whatever its case, Unicode form or trailing spaces and dots); a name with a folder
        is that folder's file (exact, else folded alike). Two files are never settled by a listing's order.

        A full path (« \\\\serveur\\scans\\2022-11\\BDC-1.pdf ») names a file of another machine, whose
        folders this one may reach under another name: its longest end found in the pieces folder designates
        (« 2022-11/BDC-1.pdf », else « BDC-1.pdf » in any subfolder)."""
        parts = split_path(name)
        if _ABSOLUTE.match(name):
            for start in range(len(parts)):
                if found := self._found(parts[start:]):
                    return found
            return ()
        return self._found(parts)

    def _found(self, parts: tuple[str, ...]) -> tuple[Path, ...]:
        if not parts:
            return ()
        if len(parts) == 1:
            found = self._by_name.get(parts[0]) or self._by_folded_name.get(fold_name(parts[0]), [])
        else:
            exact = "/".join(parts)
            found = [exact] if exact in self._system else self._by_folded_path.get(_folded(parts), [])
        return tuple(self._path(relative) for relative in sorted(found))

    def label(self, path: Path) -> str:
        """The file as the user finds it in the pieces folder: its relative path (« 2022-11/BDC-1.pdf »)."""
        return self._labels.get(path, path.name)

    def same_as_written(self, name: str, path: Path) -> bool:
        """Whether the file found is named as the cell writes it, but for the Unicode form and the separator (a
        difference the eye cannot see, or Windows' backslash): otherwise the user is told the name in use. Only the
        parts both have are compared: a bare name is found in any subfolder, a full path by its end."""
        written, found = split_path(name) or (name,), tuple(self.label(path).split("/"))
        common = min(len(written), len(found))
        return same_name("/".join(written[-common:]), "/".join(found[-common:]))

    def by_folded_name(self) -> dict[str, Path]:
        """One file per folded name, the first by relative path where several fold alike."""
        return {key: self._path(min(found)) for key, found in self._by_folded_name.items()}


def list_pieces(folder: Path, cancel: CancelToken | None = None) -> PieceFolder:
    """The pieces folder walked once (see the module's docstring); a French `InputError` naming the folder when it
    is missing, is a file, cannot be listed, is too big or deep, or holds a link to a file or folder elsewhere.
    `cancel` is checked at each subfolder: 200 000 entries on a slow share take a while."""
    fix = _("Corrigez le dossier des pièces (« pieces » dans workspace.json, ou la page Dossier de travail), puis "
            "revérifiez.")
    try:
        if not stat.S_ISDIR(folder.stat().st_mode):
            raise InputError(_("Le dossier des pièces justificatives « {folder} » est un fichier, pas un dossier. "
                               "{fix}").format(folder=folder, fix=fix))
        root = Path(os.path.realpath(folder))
        found = PieceFolder(folder)
        outside: list[tuple[str, str]] = []
        for relative, entry in _walk(folder, fix, cancel):
            if entry.is_symlink():
                try:
                    os.stat(entry.path)
                except OSError:  # a loop, a target gone: listed, said « illisible » with its reason
                    found.add(relative, entry.name, entry.path)
                    continue
                target = os.path.realpath(entry.path)
                if not Path(target).is_relative_to(root):
                    outside.append((relative, target))
                    continue
                if entry.is_dir():
                    continue  # its files are listed where they lie
            elif not entry.is_file():
                continue
            found.add(relative, entry.name, entry.path)
    except FileNotFoundError:
        raise InputError(_("Le dossier des pièces justificatives « {folder} » est introuvable. {fix}").format(
            folder=folder, fix=fix)) from None
    except OSError as exc:  # the folder, or one of its subfolders (named by the error)
        raise InputError(_("Le dossier des pièces justificatives « {folder} » ne peut pas être lu ({reason}). "
                           "{advice}").format(folder=exc.filename or folder, reason=oserrors.reason(exc),
                                              advice=oserrors.advice_read(exc))) from None
    if outside:
        links = "; ".join(f"« {link} » → « {target} »" for link, target in sorted(outside)[:5])
        raise InputError(_("Le dossier des pièces « {folder} » contient {n} lien(s) vers des fichiers ou dossiers "
                           "situés ailleurs ({links}) : leur contenu serait copié dans le zip de dépôt sans que le "
                           "dossier des pièces le montre. Remplacez chaque lien par une copie du PDF ou du dossier "
                           "voulu, ou retirez-le du dossier.").format(folder=folder, n=len(outside), links=links))
    return found


def _walk(folder: Path, fix: str, cancel: CancelToken | None) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(relative path, entry) of everything under `folder` but skipped folders, breadth first, within the bounds."""
    pending: deque[tuple[str, Path, int]] = deque([("", folder, 0)])
    seen = 0
    while pending:
        if cancel is not None:
            cancel.check()
        prefix, here, depth = pending.popleft()
        with os.scandir(here) as entries:
            for entry in entries:
                seen += 1
                if seen > MAX_ENTRIES:
                    raise InputError(_("Le dossier des pièces justificatives « {folder} » contient plus de {limit} "
                                       "fichiers et dossiers : ce n'est sans doute pas le dossier des PDF (tout un "
                                       "disque, un dossier personnel ?). {fix}").format(
                        folder=folder, limit=f"{MAX_ENTRIES:,}".replace(",", "\u202f"), fix=fix))
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if entry.name in _SKIPPED or entry.name.startswith(_SKIPPED_PREFIXES):
                        continue
                    if depth == MAX_DEPTH:
                        raise InputError(_("Le dossier des pièces justificatives « {folder} » a des sous-dossiers "
                                           "sur plus de {limit} niveaux (« {deep} ») : ce n'est sans doute pas le "
                                           "dossier des PDF. Rangez les pièces sur moins de niveaux. {fix}").format(
                            folder=folder, limit=MAX_DEPTH, deep=relative, fix=fix))
                    pending.append((relative + "/", Path(entry.path), depth + 1))
                    continue
                yield relative, entry
