"""Checking a bundle: right after writing it, and any time later (`segur-desktop verify`).

A deposit goes wrong in quiet ways: an attachment missing from its zip makes
"incomplete" requests, a JSON file touched by hand fails the portal's import,
a copied folder loses a file. So every check is made on the bytes on disk,
against the manifest and the schemas in force, never on what the export meant
to write:
- the manifest is there and well formed (otherwise this is not a bundle);
- every file it lists is there with its size and SHA-256, and nothing else is;
- every JSON file passes its couloir's schema and has the couloir, type,
  request count and amount the manifest says;
- every attachments zip opens, has no member twice, holds exactly the members
  the manifest lists, with their hashes, each a PDF of at most 20 Mo, and
  exactly the files its JSON names: one to one;
- given the vendor's register, each JSON file and each attachment is the one
  the register recorded when the bundle was exported: a manifest rehashed after
  an edit proves nothing, the register does.

A bundle given as one zip is never unpacked blindly: its central directory is
checked first (no path leaving the folder, no name twice, not even by case;
each member the size the manifest says, within `size_limit`), members the
manifest does not list are named and never read, and each listed file is copied
out as a stream that stops at its declared size. PDFs are never unpacked: they
are hashed as they are read from their attachments zip.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.datafiles import JSON_MAX_BYTES, megabytes
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.attachments import referenced_files
from segur_desktop.core.export.manifest import MANIFEST, read_manifest
from segur_desktop.core.export.zips import (
    READ_ERRORS,
    MemberOverflow,
    duplicate_names,
    hash_file,
    hash_member,
    member_key,
)
from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.amounts import format_count, format_fr
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from segur_desktop.core.validate.check import check_deposit_file
from segur_desktop.core.validate.pdffile import MAX_PIECE_BYTES, PDF_MAGIC
from segur_desktop.core.validate.schemas import SchemaRegistry

if TYPE_CHECKING:
    from segur_desktop.core.register.store import RecordedBundle, Register

SHOWN_PROBLEMS = 50  # in the text report; the JSON report has them all
FILE_FIELDS = ("pieces[].fichier", "facture.fichier", "justificatif.fichier")
# Size limits of a bundle's files, known before a byte is read: an attachments zip is at most its pieces (20 Mo
# each, the portal's limit) plus the zip's own headers; any other file (the manifest, a deposit JSON, the recap, the
# anomalies workbook) at most what a JSON file may be. A bundle's total is the sum of its files' limits.
MEMBER_OVERHEAD = 1024  # a zip's bytes per member beyond its data: two headers, zip64 extras, a long name
ZIP_OVERHEAD = 64 * 1024  # the end of central directory records, and room to spare
FILE_MAX_BYTES = JSON_MAX_BYTES


@dataclass(frozen=True, slots=True)
class DepositCheck:
    couloir: str
    type: str
    json_file: str
    attachments_file: str
    requests: int
    members: int
    requested_amount_ht: str
    hors_delai: bool
    deposit_format: dict[str, Any] | None = None  # as the manifest says (None: a bundle made before formats)


@dataclass(slots=True)
class BundleCheck:
    path: Path  # as given: the folder, or the zip
    manifest: dict[str, Any]
    deposits: list[DepositCheck]
    problems: list[str]  # French, each naming its file
    notes: list[str] = field(default_factory=list)  # French information lines (what the register says)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"bundle": str(self.path), "ok": self.ok, "generated_at": self.manifest["generated_at"],
                "deposits": [{"couloir": d.couloir, "type": d.type, "json": d.json_file,
                              "attachments": d.attachments_file, "requests": d.requests, "members": d.members,
                              "requested_amount_ht": d.requested_amount_ht, "hors_delai": d.hors_delai,
                              "deposit_format": d.deposit_format}
                             for d in self.deposits],
                "problems": self.problems, "notes": self.notes}


def listed_files(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """File name -> its manifest entry (sha256, size), for every file of the bundle but the manifest."""
    listed: dict[str, dict[str, Any]] = {}
    for entry in manifest["deposits"]:
        listed[entry["json"]["file"]] = entry["json"]
        listed[entry["attachments"]["file"]] = entry["attachments"]
    for entry in manifest["files"]:
        listed[entry["file"]] = entry
    return listed


def size_limit(name: str, manifest: dict[str, Any]) -> int:
    """The most bytes the bundle's file `name` may hold, from what the manifest says it is."""
    for deposit in manifest["deposits"]:
        if deposit["attachments"]["file"] == name:
            return len(deposit["attachments"]["members"]) * (MAX_PIECE_BYTES + MEMBER_OVERHEAD) + ZIP_OVERHEAD
    return FILE_MAX_BYTES


def _unlisted(name: str) -> str:
    return _("« {name} » est dans le paquet mais pas dans son manifeste : ce n'est pas l'export d'origine. Retirez ce "
             "fichier, ou exportez de nouveau.").format(name=name)


def _modified(name: str) -> str:
    return _("« {name} » a été modifié depuis l'export (empreinte SHA-256 différente de celle du manifeste).").format(
        name=name)


def _twice(zip_name: str, name: str, count: int) -> str:
    return _("{zip} contient {n} fois « {name} ».").format(zip=zip_name, n=count, name=name)


def _overflow(name: str, zip_name: str, size: int) -> str:
    return _("« {name} » de {zip} se décompresse en plus que sa taille déclarée ({size}) : l'archive a été falsifiée "
             "ou endommagée ; sa lecture a été arrêtée.").format(name=name, zip=zip_name, size=megabytes(size))


class _Checker:
    def __init__(self, folder: Path, registry: SchemaRegistry, progress: ProgressCallback,
                 cancel: CancelToken | None) -> None:
        self.folder, self.registry, self.progress, self.cancel = folder, registry, progress, cancel
        self.problems: list[str] = []
        self.done = 0
        self.total = 0
        self.stage = _("Vérification du paquet")
        self.found: dict[str, tuple[str, int] | None] = {}  # file -> (SHA-256, size) as read; None: refused unread
        self.members: dict[tuple[str, str], str] = {}  # (zip, member) -> SHA-256 as read
        self.zips_read: set[str] = set()

    def tick(self) -> None:
        if self.cancel:
            self.cancel.check()
        self.done += 1
        self.progress(Progress(self.stage, self.done, self.total))

    def files(self, listed: dict[str, dict[str, Any]], found: dict[str, tuple[str, int] | None] | None) -> None:
        """Each listed file there, unchanged; nothing else beside the manifest. `found`: the files of a zipped
        bundle, hashed as they were copied out (None: the folder's own files, hashed here)."""
        if found is None:
            present = {p.name: p for p in self.folder.iterdir()}
            for name in sorted(set(present) - set(listed) - {MANIFEST}):
                self.problems.append(_unlisted(name))
            found = {}
            for name in listed:
                path = present.get(name)
                if path is not None and path.is_file():
                    found[name] = hash_file(path)
        self.found = found
        for name, entry in listed.items():
            if name not in found:
                self.problems.append(_("« {name} » manque dans le paquet.").format(name=name))
            elif found[name] is not None and found[name] != (entry["sha256"], entry["size"]):
                self.problems.append(_modified(name))
            self.tick()

    def deposit(self, entry: dict[str, Any]) -> DepositCheck:
        json_name, zip_name = entry["json"]["file"], entry["attachments"]["file"]
        references = self.json_file(entry, self.folder / json_name) if self.found.get(json_name) else None
        members = self.attachments(entry, self.folder / zip_name) if self.found.get(zip_name) else None
        if references is not None and members is not None:
            for name in sorted(set(references) - set(members)):
                self.problems.append(_("{json} nomme la pièce « {name} », absente de {zip} : le portail créerait la "
                                       "demande « incomplète ».").format(json=json_name, name=name, zip=zip_name))
            for name in sorted(set(members) - set(references)):
                self.problems.append(_("{zip} contient « {name} », qu'aucune demande de {json} ne nomme.").format(
                    zip=zip_name, name=name, json=json_name))
        return DepositCheck(entry["couloir"], entry["type"], json_name, zip_name, entry["requests"],
                            len(entry["attachments"]["members"]), entry["requested_amount_ht"], entry["hors_delai"],
                            entry.get("deposit_format"))

    def json_file(self, entry: dict[str, Any], path: Path) -> list[str] | None:
        """The file names its demandes give, once it passes its schema and matches the manifest; None when it
        fails, or when its deposit format writes no file name (the zip is then checked against the manifest only)."""
        if not path.is_file():
            return None
        try:
            check = check_deposit_file(path, self.registry, entry["couloir"], entry["type"], entry.get("vague"))
        except InputError as error:
            self.problems.append(f"{path.name} : {error}")
            return None
        for problem in check.problems:
            where = problem.pointer or "/"
            if problem.index is not None:
                where = _("demande n° {n}{id}").format(
                    n=problem.index + 1, id=f" ({problem.request})" if problem.request else "")
            self.problems.append(_("{name}, {where} : {message}").format(name=path.name, where=where,
                                                                          message=problem.message))
        if not check.valid:
            return None
        demandes = check.read_back()  # parsed once, by the schema check; read through the format's template
        if len(demandes) != entry["requests"]:
            self.problems.append(_("{name} contient {n} demande(s), le manifeste en annonce {expected}.").format(
                name=path.name, n=len(demandes), expected=entry["requests"]))
        used = check.entry.template.used
        if "demande.montant_ht" in used:
            try:
                amount = sum((Decimal(d["demande.montant_ht"]) for d in demandes), Decimal(0))
            except (KeyError, TypeError, InvalidOperation):
                amount = None
            if amount is None or amount != Decimal(entry["requested_amount_ht"]):
                self.problems.append(_("Le montant demandé de {name} ne correspond pas à celui du manifeste "
                                       "({expected}).").format(name=path.name,
                                                               expected=format_fr(entry["requested_amount_ht"])))
        if used.isdisjoint(FILE_FIELDS):
            return None
        return sorted(set().union(*(referenced_files(d) for d in demandes)))

    def attachments(self, entry: dict[str, Any], path: Path) -> list[str] | None:
        """The zip's member names, each checked against the manifest."""
        if not path.is_file():
            return None
        expected = {m["name"]: m for m in entry["attachments"]["members"]}
        try:
            with zipfile.ZipFile(path) as archive:
                infos = archive.infolist()
                names = [info.filename for info in infos]
                for name, count in duplicate_names(infos):
                    self.problems.append(_twice(path.name, name, count))
                for name in sorted(set(expected) - set(names)):
                    self.problems.append(_("La pièce « {name} » manque dans {zip}.").format(name=name, zip=path.name))
                for info in infos:
                    self.member(archive, info, expected.get(info.filename), path.name)
        except READ_ERRORS as exc:
            self.problems.append(_("{zip} est illisible ou endommagée ({detail}).").format(zip=path.name, detail=exc))
            return None
        self.zips_read.add(path.name)
        return names

    def member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, expected: dict[str, Any] | None, zip_name: str) -> None:
        if expected is None:
            self.problems.append(_("{zip} contient « {name} », absente du manifeste.").format(zip=zip_name, name=info.filename))
            return
        if info.file_size > MAX_PIECE_BYTES:  # refused from the central directory: not a byte of it is read
            self.problems.append(_("La pièce « {name} » de {zip} fait {size}, plus que les {limit} qu'une pièce peut "
                                   "faire : elle n'a pas été lue.").format(
                name=info.filename, zip=zip_name, size=megabytes(info.file_size), limit=megabytes(MAX_PIECE_BYTES)))
            self.tick()
            return
        try:  # reading to the end also checks the member's CRC
            sha256, size, head = hash_member(archive, info, head=len(PDF_MAGIC))
        except MemberOverflow:
            self.problems.append(_overflow(info.filename, zip_name, info.file_size))
            self.tick()
            return
        self.members[(zip_name, info.filename)] = sha256
        if (sha256, size) != (expected["sha256"], expected["size"]):
            self.problems.append(_("La pièce « {name} » de {zip} ne correspond pas au manifeste (empreinte SHA-256 "
                                   "différente).").format(name=info.filename, zip=zip_name))
        if head != PDF_MAGIC:
            self.problems.append(_("La pièce « {name} » de {zip} n'est pas un PDF.").format(name=info.filename, zip=zip_name))
        self.tick()


def _verify(folder: Path, registry: SchemaRegistry | None, register: Register | None, progress: ProgressCallback,
            cancel: CancelToken | None, found: dict[str, tuple[str, int] | None] | None = None,
            problems: list[str] | None = None) -> BundleCheck:
    manifest = read_manifest(folder)
    checker = _Checker(folder, registry or SchemaRegistry.default(), progress, cancel)
    checker.problems += problems or []
    listed = listed_files(manifest)
    checker.total = len(listed) + sum(len(e["attachments"]["members"]) for e in manifest["deposits"])
    checker.files(listed, found)
    deposits = [checker.deposit(entry) for entry in manifest["deposits"]]
    check = BundleCheck(folder, manifest, deposits, checker.problems)
    if register is not None:
        _compare_with_register(check, checker, register, (folder / MANIFEST).read_bytes())
    return check


def verify_folder(folder: Path, registry: SchemaRegistry | None = None, *, register: Register | None = None,
                  progress: ProgressCallback = no_progress, cancel: CancelToken | None = None) -> BundleCheck:
    """Check the bundle in `folder` (against the vendor's `register` too, when given); InputError when it is not a
    bundle at all."""
    return _verify(folder, registry, register, progress, cancel)


# -- the register's memory of the bundle ----------------------------------------------------------------------

def _changed_since(name: str) -> str:
    return _("« {name} » a été modifié depuis son enregistrement dans le suivi (empreinte SHA-256 différente de celle "
             "du registre).").format(name=name)


def _register_mismatches(recorded: RecordedBundle, check: BundleCheck, checker: _Checker,
                         manifest_sha256: str) -> list[str]:
    """What differs between the bundle as read and the register's record of its export."""
    found: list[str] = []
    if recorded.manifest_sha256 != manifest_sha256:
        found.append(_changed_since(MANIFEST))
    zips = {d["json"]["file"]: d["attachments"]["file"] for d in check.manifest["deposits"]}
    for name in sorted(set(recorded.json_files) | set(zips)):
        sha256 = recorded.json_files.get(name)
        read = checker.found.get(name)
        if sha256 is None:
            found.append(_("« {name} » n'était pas dans ce paquet lors de son enregistrement dans le suivi.").format(
                name=name))
        elif name not in zips:
            found.append(_("« {name} », enregistré dans le suivi avec ce paquet, n'y est plus.").format(name=name))
        elif read is not None and read[0] != sha256:
            found.append(_changed_since(name))
    for (json_name, piece), sha256 in sorted(recorded.attachments.items()):
        zip_name = zips.get(json_name)
        if zip_name is None or zip_name not in checker.zips_read:
            continue  # said above, or the zip could not be read (said by the checks)
        read_piece = checker.members.get((zip_name, piece))
        if read_piece is None:
            found.append(_("La pièce « {name} » de {zip}, enregistrée dans le suivi, n'y est plus.").format(
                name=piece, zip=zip_name))
        elif read_piece != sha256:
            found.append(_("La pièce « {name} » de {zip} a été modifiée depuis son enregistrement dans le suivi "
                           "(empreinte SHA-256 différente de celle du registre).").format(name=piece, zip=zip_name))
    return found


def _compare_with_register(check: BundleCheck, checker: _Checker, register: Register, manifest_bytes: bytes) -> None:
    """Each JSON file and attachment against the hashes the register recorded when the bundle was exported (the
    export is found by its manifest's hash, or, for a manifest changed since, by its generation instant and
    workspace). A bundle the register does not know is said, not failed."""
    manifest = check.manifest
    manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()
    recorded = register.recorded_bundles(manifest_sha256, str(manifest["generated_at"]), str(manifest["workspace"]))
    if not recorded:
        check.notes.append(_("Ce paquet n'est pas dans le registre de suivi de l'éditeur ({register}) : ses fichiers "
                             "n'ont pas pu être comparés à ceux enregistrés à l'export (paquet exporté ailleurs, ou "
                             "jamais enregistré).").format(register=register.path.name))
        return
    closest, mismatches = min(((r, _register_mismatches(r, check, checker, manifest_sha256)) for r in recorded),
                              key=lambda pair: len(pair[1]))
    if mismatches:
        check.problems += mismatches
    else:
        check.notes.append(_("Comparé au registre de suivi : chaque fichier et chaque pièce est celui enregistré à "
                             "l'export « {bundle} ».").format(bundle=closest.bundle_name))


# -- a bundle given as one zip ----------------------------------------------------------------------------------

def _parts(name: str) -> list[str]:
    return [part for part in name.replace("\\", "/").split("/") if part not in ("", ".")]


def _unreadable(path: Path, exc: BaseException) -> InputError:
    return InputError(_("L'archive « {path} » est illisible ou endommagée ({detail}). Exportez de nouveau le "
                        "paquet.").format(path=path, detail=exc))


def _unzip(archive_path: Path, into: Path, cancel: CancelToken | None = None
           ) -> tuple[Path, dict[str, tuple[str, int] | None], list[str]]:
    """The files of a bundle zip copied into `into`, once its central directory passed the checks: (the folder
    holding its manifest, file -> (SHA-256, size) as copied or None when refused unread, French problems)."""
    zip_name = archive_path.name
    try:
        archive = zipfile.ZipFile(archive_path)
    except READ_ERRORS as exc:
        raise _unreadable(archive_path, exc) from None
    with archive:
        infos = archive.infolist()
        for info in infos:
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            if not parts or parts[0] == "/" or ".." in parts or ":" in info.filename:
                raise InputError(_("L'archive « {path} » contient un chemin suspect (« {name} ») : ce n'est pas un "
                                   "paquet exporté par Segur Desktop.").format(path=archive_path, name=info.filename))
        problems = [_twice(zip_name, name, count) for name, count in duplicate_names(infos)]
        first: dict[str, zipfile.ZipInfo] = {}
        for info in infos:  # of members sharing a name, the first: what most tools show
            first.setdefault(member_key(info.filename), info)
        tops = {member_key(_parts(info.filename)[0]) for info in infos}
        top = ""
        if member_key(MANIFEST) not in first and len(tops) == 1:
            top = _parts(infos[0].filename)[0]
        manifest_info = first.get(member_key(f"{top}/{MANIFEST}"))
        if manifest_info is None or manifest_info.is_dir():
            raise InputError(_("« {path} » n'est pas un paquet de dépôt Segur Desktop : il n'a pas de {manifest}. "
                               "Choisissez le dossier depot_… (ou son zip) créé par l'export.").format(
                path=archive_path, manifest=MANIFEST))
        folder = into / top if top else into
        folder.mkdir(exist_ok=True)
        if manifest_info.file_size > FILE_MAX_BYTES:
            raise InputError(_("Le manifeste de l'archive « {path} » est trop gros ({size}) : ce n'est pas un paquet "
                               "exporté par Segur Desktop.").format(path=archive_path,
                                                                   size=megabytes(manifest_info.file_size)))
        try:
            with (folder / MANIFEST).open("xb") as out:
                hash_member(archive, manifest_info, out)
        except MemberOverflow:
            raise InputError(_overflow(manifest_info.filename, zip_name, manifest_info.file_size)) from None
        except READ_ERRORS as exc:
            raise _unreadable(archive_path, exc) from None
        manifest = read_manifest(folder)
        listed = listed_files(manifest)
        found: dict[str, tuple[str, int] | None] = {}
        copies: list[tuple[str, zipfile.ZipInfo]] = []
        for info in first.values():
            name = "/".join(_parts(info.filename)[1 if top else 0:])
            if info is manifest_info or (info.is_dir() and not name):
                continue
            entry = None if info.is_dir() else listed.get(name)
            if entry is None:
                problems.append(_unlisted(name))  # never read
            elif info.file_size > (limit := size_limit(name, manifest)):
                found[name] = None
                problems.append(_("« {name} » de {zip} fait {size} une fois décompressé, plus que les {limit} que le "
                                  "manifeste permet (trop gros) : il n'a pas été lu.").format(
                    name=name, zip=zip_name, size=megabytes(info.file_size), limit=megabytes(limit)))
            elif info.file_size != entry["size"]:
                found[name] = None
                problems.append(_modified(name))
            else:
                copies.append((name, info))
        if sum(info.file_size for _name, info in copies) > shutil.disk_usage(into).free:
            raise InputError(_("Pas assez de place sur le disque pour vérifier l'archive « {path} ». Libérez de "
                               "la place, ou décompressez-la et vérifiez le dossier.").format(path=archive_path))
        for name, info in copies:
            if cancel:
                cancel.check()
            target = folder / name
            try:
                with target.open("xb") as out:
                    sha256, size, _head = hash_member(archive, info, out)
                found[name] = (sha256, size)
            except MemberOverflow:
                target.unlink(missing_ok=True)
                found[name] = None
                problems.append(_overflow(name, zip_name, info.file_size))
            except READ_ERRORS as exc:
                target.unlink(missing_ok=True)
                found[name] = None
                problems.append(_("« {name} » de {zip} est illisible ou endommagé ({detail}).").format(
                    name=name, zip=zip_name, detail=exc))
    return folder, found, problems


def unpack_bundle(archive_path: Path, into: Path) -> Path:
    """Unpack a bundle zip after the checks of its central directory (`_unzip`); the folder holding its manifest.
    An archive that is not as the export wrote it (a name twice, a member too big or not in the manifest) is
    refused: what is recorded from it must be what any tool would read."""
    folder, _found, problems = _unzip(archive_path, into)
    if problems:
        raise InputError(_("L'archive « {path} » n'est pas telle que l'export l'a écrite ({problem}) : vérifiez-la "
                           "(segur-desktop verify).").format(path=archive_path, problem=problems[0]))
    return folder


def verify_bundle(path: Path, registry: SchemaRegistry | None = None, *, register: Register | None = None,
                  progress: ProgressCallback = no_progress, cancel: CancelToken | None = None) -> BundleCheck:
    """Check a bundle given as its folder or as its zip (against the vendor's `register` too, when given);
    InputError when `path` is not a bundle."""
    if path.is_dir():
        return _verify(path, registry, register, progress, cancel)
    if not path.is_file():
        if path.exists():  # a named pipe, a device: « introuvable » would send the user looking for what is there
            raise InputError(_("« {path} » n'est ni un dossier de paquet ni un fichier ordinaire (tube nommé, "
                               "périphérique) : il ne peut pas être lu. Choisissez le dossier depot_… ou son zip."
                               ).format(path=path))
        raise InputError(_("« {path} » est introuvable. Vérifiez le chemin du paquet.").format(path=path))
    if not zipfile.is_zipfile(path):
        raise InputError(_("« {path} » n'est ni un dossier de paquet ni une archive zip. Choisissez le dossier "
                           "depot_… ou son zip.").format(path=path))
    with tempfile.TemporaryDirectory(prefix="segur-desktop-verify-") as temp:
        folder, found, problems = _unzip(path, Path(temp), cancel)
        check = _verify(folder, registry, register, progress, cancel, found, problems)
    check.path = path
    return check


def _instant(text: str | None) -> str:
    """A manifest's instant in Paris time; its text as written when it is not one (never raises: the
    manifest checked may be a tampered one, and its report must still be printed)."""
    if not text:
        return _("inconnue")
    try:
        return datetime.fromisoformat(text).astimezone(PARIS).strftime(_("%d/%m/%Y à %H:%M"))
    except (ValueError, TypeError, OverflowError):
        return str(text)


def render_check(check: BundleCheck) -> str:
    """The French report `verify` prints and the Export page shows."""
    manifest = check.manifest
    vendor = manifest["vendor"]
    lines = [
        _("Paquet : {path}").format(path=check.path),
        _("Généré le {generated} par Segur Desktop {version} ; échéances jugées au {at} (heure de Paris)").format(
            generated=_instant(manifest["generated_at"]), version=manifest["app_version"], at=_instant(manifest["at"])),
        _("Éditeur : {name} (SIRET {siret})").format(name=vendor["name"], siret=vendor["siret"]),
        "",
        _("  Couloir   Type     Fichier JSON              Archive des pièces              Demandes  Pièces  Montant demandé HT"),
    ]
    for d in check.deposits:
        lines.append(f"  {d.couloir:<9} {d.type:<8} {d.json_file:<25} {d.attachments_file:<31} {format_count(d.requests):>8}"
                     f"  {format_count(d.members):>6}  {format_fr(d.requested_amount_ht):>18}")
    formats = {(f["id"], f["version"], f["status"], f["name"]) for d in check.deposits if (f := d.deposit_format)}
    for _id, version, status, name in sorted(formats):
        lines.append(_("Format de dépôt : {name}, version {version} ({status}).").format(
            name=name, version=version, status=status))
        if status != "officiel":
            lines.append("  " + _("Format reconstitué par Segur Desktop : le portail peut encore refuser ces fichiers. "
                                  "Importez le modèle officiel de l'ASP (segur-desktop format import)."))
    for entry in manifest["hors_delai"]:
        lines.append(_("Hors délai : {couloir} {type}, guichet fermé le {closing} ; exporté à la demande explicite "
                       "de l'utilisateur.").format(couloir=entry["couloir"], type=entry["type"],
                                                    closing=_instant(entry["closing"])))
    lines += check.notes
    lines.append("")
    if check.ok:
        lines.append(_("Conforme : {requests} demande(s) dans {files} fichier(s), {members} pièce(s) ; chaque archive "
                       "contient exactement les pièces que son fichier nomme, et rien n'a changé depuis l'export.").format(
            requests=format_count(sum(d.requests for d in check.deposits)), files=len(check.deposits),
            members=format_count(sum(d.members for d in check.deposits))))
    else:
        lines.append(_("NON CONFORME : {n} problème(s). Ne déposez pas ce paquet en l'état : exportez-le de "
                       "nouveau.").format(n=format_count(len(check.problems))))
        lines += [f"  - {problem}" for problem in check.problems[:SHOWN_PROBLEMS]]
        if len(check.problems) > SHOWN_PROBLEMS:
            lines.append("  " + _("… et {n} autres (détail complet : --format json)").format(
                n=format_count(len(check.problems) - SHOWN_PROBLEMS)))
    return "\n".join(lines) + "\n"
