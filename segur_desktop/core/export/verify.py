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
  the manifest lists, with their hashes, each a PDF, and exactly the files its
  JSON names: one to one.
A bundle given as one zip is unpacked into a temporary folder and checked the same way.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.attachments import referenced_files
from segur_desktop.core.export.manifest import MANIFEST, read_manifest
from segur_desktop.core.export.zips import hash_file, hash_stream
from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.amounts import format_count, format_fr
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from segur_desktop.core.validate.check import check_deposit_file
from segur_desktop.core.validate.rules import PDF_MAGIC
from segur_desktop.core.validate.schemas import SchemaRegistry

SHOWN_PROBLEMS = 50  # in the text report; the JSON report has them all
FILE_FIELDS = ("pieces[].fichier", "facture.fichier", "justificatif.fichier")


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
                "problems": self.problems}


class _Checker:
    def __init__(self, folder: Path, registry: SchemaRegistry, progress: ProgressCallback,
                 cancel: CancelToken | None) -> None:
        self.folder, self.registry, self.progress, self.cancel = folder, registry, progress, cancel
        self.problems: list[str] = []
        self.done = 0
        self.total = 0
        self.stage = _("Vérification du paquet")

    def tick(self) -> None:
        if self.cancel:
            self.cancel.check()
        self.done += 1
        self.progress(Progress(self.stage, self.done, self.total))

    def files(self, listed: dict[str, dict[str, Any]]) -> None:
        """Each listed file there, unchanged; nothing else beside the manifest."""
        present = {p.name: p for p in self.folder.iterdir()}
        for name in sorted(set(present) - set(listed) - {MANIFEST}):
            self.problems.append(_("« {name} » est dans le paquet mais pas dans son manifeste : ce n'est pas l'export "
                                   "d'origine. Retirez ce fichier, ou exportez de nouveau.").format(name=name))
        for name, entry in listed.items():
            path = present.get(name)
            if path is None or not path.is_file():
                self.problems.append(_("« {name} » manque dans le paquet.").format(name=name))
            elif hash_file(path) != (entry["sha256"], entry["size"]):
                self.problems.append(_("« {name} » a été modifié depuis l'export (empreinte SHA-256 différente de "
                                       "celle du manifeste).").format(name=name))
            self.tick()

    def deposit(self, entry: dict[str, Any]) -> DepositCheck:
        json_name, zip_name = entry["json"]["file"], entry["attachments"]["file"]
        references = self.json_file(entry, self.folder / json_name)
        members = self.attachments(entry, self.folder / zip_name)
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
            check = check_deposit_file(path, self.registry, entry["couloir"], entry["type"])
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
                for name, count in sorted(Counter(names).items()):
                    if count > 1:
                        self.problems.append(_("{zip} contient {n} fois « {name} ».").format(zip=path.name, n=count, name=name))
                for name in sorted(set(expected) - set(names)):
                    self.problems.append(_("La pièce « {name} » manque dans {zip}.").format(name=name, zip=path.name))
                for info in infos:
                    self.member(archive, info, expected.get(info.filename), path.name)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
            self.problems.append(_("{zip} est illisible ou endommagée ({detail}).").format(zip=path.name, detail=exc))
            return None
        return names

    def member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, expected: dict[str, Any] | None, zip_name: str) -> None:
        if expected is None:
            self.problems.append(_("{zip} contient « {name} », absente du manifeste.").format(zip=zip_name, name=info.filename))
            return
        with archive.open(info) as handle:  # reading to the end also checks the member's CRC
            head = handle.read(len(PDF_MAGIC))
            found = hash_stream(handle, prefix=head)
        if found != (expected["sha256"], expected["size"]):
            self.problems.append(_("La pièce « {name} » de {zip} ne correspond pas au manifeste (empreinte SHA-256 "
                                   "différente).").format(name=info.filename, zip=zip_name))
        if head != PDF_MAGIC:
            self.problems.append(_("La pièce « {name} » de {zip} n'est pas un PDF.").format(name=info.filename, zip=zip_name))
        self.tick()


def verify_folder(folder: Path, registry: SchemaRegistry | None = None, *, progress: ProgressCallback = no_progress,
                  cancel: CancelToken | None = None) -> BundleCheck:
    """Check the bundle in `folder`; InputError when it is not a bundle at all."""
    manifest = read_manifest(folder)
    checker = _Checker(folder, registry or SchemaRegistry.default(), progress, cancel)
    listed: dict[str, dict[str, Any]] = {}
    for entry in manifest["deposits"]:
        listed[entry["json"]["file"]] = entry["json"]
        listed[entry["attachments"]["file"]] = entry["attachments"]
    for entry in manifest["files"]:
        listed[entry["file"]] = entry
    checker.total = len(listed) + sum(len(e["attachments"]["members"]) for e in manifest["deposits"])
    checker.files(listed)
    deposits = [checker.deposit(entry) for entry in manifest["deposits"]]
    return BundleCheck(folder, manifest, deposits, checker.problems)


def unpack_bundle(archive_path: Path, into: Path) -> Path:
    """Unpack a bundle zip; the folder holding its manifest (the zip's root, or its one top folder)."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            infos = archive.infolist()
            for info in infos:
                parts = PurePosixPath(info.filename.replace("\\", "/")).parts
                if not parts or parts[0] == "/" or ".." in parts or ":" in info.filename:
                    raise InputError(_("L'archive « {path} » contient un chemin suspect (« {name} ») : ce n'est pas un "
                                       "paquet exporté par Segur Desktop.").format(path=archive_path, name=info.filename))
            if sum(info.file_size for info in infos) > shutil.disk_usage(into).free:
                raise InputError(_("Pas assez de place sur le disque pour vérifier l'archive « {path} ». Libérez de "
                                   "la place, ou décompressez-la et vérifiez le dossier.").format(path=archive_path))
            archive.extractall(into)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise InputError(_("L'archive « {path} » est illisible ou endommagée ({detail}). Exportez de nouveau le "
                           "paquet.").format(path=archive_path, detail=exc)) from None
    entries = list(into.iterdir())
    if not (into / MANIFEST).is_file() and len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return into


def verify_bundle(path: Path, registry: SchemaRegistry | None = None, *, progress: ProgressCallback = no_progress,
                  cancel: CancelToken | None = None) -> BundleCheck:
    """Check a bundle given as its folder or as its zip; InputError when `path` is not a bundle."""
    if path.is_dir():
        return verify_folder(path, registry, progress=progress, cancel=cancel)
    if not path.is_file():
        raise InputError(_("« {path} » est introuvable. Vérifiez le chemin du paquet.").format(path=path))
    if not zipfile.is_zipfile(path):
        raise InputError(_("« {path} » n'est ni un dossier de paquet ni une archive zip. Choisissez le dossier "
                           "depot_… ou son zip.").format(path=path))
    with tempfile.TemporaryDirectory(prefix="segur-desktop-verify-") as temp:
        check = verify_folder(unpack_bundle(path, Path(temp)), registry, progress=progress, cancel=cancel)
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
