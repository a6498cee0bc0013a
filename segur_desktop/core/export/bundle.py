"""The export: a validated batch becomes a ready-to-deposit bundle, complete or not at all.

Everything is written into a temporary folder beside the destination, checked
there from the bytes on disk (`verify`), and only then renamed to
`depot_<date>_<éditeur>` (or packed into `depot_<date>_<éditeur>.zip`): a
crash or a kill at any moment leaves either what was there before or the
complete, verified bundle, plus at worst a hidden `.depot_….tmp` that the next
export removes. A previous bundle is never replaced (it may be the one that
was deposited): a second export the same day gets `_2`, `_3`…, chosen before
the manifest is written, so the manifest names its own bundle (`bundle`) and
two exports of the same demandes in the same second are two manifests, two
records in the register. Just before the rename, `before_publish` is told the
bundle's final path and manifest: the register journals the export there
(`core/register/journal.py`), so a kill between publishing and recording is
recovered. The user's sources and PDFs are only ever read; the manifest
carries the sources' hashes, and a source saved between its reading and its
hashing is refused.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from segur_desktop.core.atomic import remove, remove_stale, sync, write_atomic, write_new
from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.anomalies import anomalies_workbook
from segur_desktop.core.export.attachments import Attachment, referenced_files, with_member_names
from segur_desktop.core.export.manifest import (
    ANOMALIES,
    MANIFEST,
    RECAP,
    attachments_name,
    build_manifest,
    deposit_entry,
    dump_manifest,
    file_entry,
)
from segur_desktop.core.export.plan import ExportOptions, ExportPlan, LeftOut, Reason, plan_export
from segur_desktop.core.export.recap import render_recap
from segur_desktop.core.export.verify import BundleCheck, verify_folder
from segur_desktop.core.export.zips import add_file, hash_file, hash_stream, open_archive
from segur_desktop.core.formats.render import file_fields
from segur_desktop.core.i18n import _
from segur_desktop.core.oserrors import advice_read, advice_write, reason
from segur_desktop.core.output import deposit_files, dump_deposit
from segur_desktop.core.pipeline import PipelineResult, run_pipeline
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.validate.french import describe
from segur_desktop.core.workspace import Workspace, fingerprints, source_files

TEMP_PATTERN = ".depot_*.tmp"
PUBLISH_ATTEMPTS = 100  # names taken by other exports meanwhile, before giving up
LIGATURES = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss"})  # NFKD leaves these whole


class ExportFailed(RuntimeError):
    """The bundle written does not pass its own verification: nothing was published (a bug, or a failing disk)."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    plan: ExportPlan
    bundle: Path | None  # None: nothing to export, nothing written
    manifest: dict[str, Any] | None
    check: BundleCheck | None


BeforePublish = Callable[[Path, bytes], None]  # (the bundle's final path, its manifest.json bytes)


def bundle_stem(vendor_name: str, day: datetime, kind: str = "depot") -> str:
    """"depot_2022-11-28_Medilog-Sante-SAS" (or "suivi_…", a follow-up folder): plain ASCII, safe on every
    file system."""
    ascii_name = unicodedata.normalize("NFKD", vendor_name.translate(LIGATURES)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-")[:40].strip("-") or "editeur"
    return f"{kind}_{day.astimezone(PARIS).date().isoformat()}_{slug}"


class _Writer:
    """Writes one bundle into its temporary folder."""

    def __init__(self, plan: ExportPlan, folder: Path, progress: ProgressCallback, cancel: CancelToken) -> None:
        self.plan, self.folder, self.progress, self.cancel = plan, folder, progress, cancel
        self.registry = plan.result.registry
        self.prepared: list[dict[str, Any]] = []  # the canonical fields written, attachments renamed
        self.attachments: dict[str, tuple[Attachment, ...]] = {}

    def prepare(self) -> None:
        """Each exported demande renamed to its attachments, checked again; a refusal moves it to left out."""
        for group in self.plan.groups:
            kept = []
            context = file_fields(self.plan.result.workspace.vendor, group.couloir, group.type)
            for item in group.exported:
                d = item.demande
                fields = with_member_names(d)
                entry = self.registry.entry(d.couloir.code, d.type, d.solution.vague)
                errors = (self.registry.request_errors(d.couloir.code, d.type,
                                                       entry.template.render_demande(fields, context),
                                                       d.solution.vague)
                          if entry else None)
                names = {a.name for a in item.attachments}
                if errors or referenced_files(fields) != names:
                    detail = describe(errors[0]) if errors else _(
                        "la demande nomme un fichier qui n'est pas l'une de ses pièces justificatives.")
                    group.left_out.append(LeftOut.of(Reason.INVALID, d, (
                        _("Une fois ses pièces renommées pour le dépôt, la demande ne passe plus : {detail}").format(
                            detail=detail),)))
                    continue
                kept.append(item)
                self.prepared.append(fields)  # its closed guichet, if any, is waived
                self.attachments[d.id] = item.attachments
            group.exported = kept

    def deposits(self) -> list[dict[str, Any]]:
        attachments = self.attachments
        workspace = self.plan.result.workspace
        files, problems = deposit_files(self.prepared, workspace.vendor, self.registry, self.plan.options.max_per_file)
        if problems:
            raise InputError(f"{problems[0].message} {problems[0].fix}")
        groups = {g.key: g for g in self.plan.groups}
        total = sum(len(a) for a in attachments.values())
        done = 0
        stage = _("Copie des pièces justificatives")
        self.progress(Progress(stage, 0, total))
        entries = []
        for name, deposit in files.items():
            data = dump_deposit(deposit.document, deposit.demandes_path)
            json_path = self.folder / name
            write_new(json_path, data)
            zip_path = self.folder / attachments_name(name)
            members = sorted((a for f in deposit.fields for a in attachments[f["demande.id"]]), key=lambda a: a.name)
            listed = []
            with open_archive(zip_path) as archive:
                for attachment in members:
                    self.cancel.check()
                    try:
                        sha256, size = add_file(archive, attachment.name, attachment.source)
                    except OSError as exc:  # moved or deleted since the check
                        raise InputError(_("La pièce « {path} » ne peut plus être lue ({reason}). {advice}").format(
                            path=attachment.source, reason=reason(exc), advice=advice_read(exc))) from None
                    listed.append({"name": attachment.name, "sha256": sha256, "size": size,
                                   "source": attachment.label})
                    done += 1
                    self.progress(Progress(stage, done, total))
            sync(zip_path)
            key = (deposit.couloir, deposit.type)
            zip_entry = file_entry(zip_path.name, *hash_file(zip_path)) | {"members": listed}
            entries.append(deposit_entry(deposit, self.registry.entry(*key, deposit.vague), groups[key],
                                         file_entry(name, hashlib.sha256(data).hexdigest(), len(data)), zip_entry))
        return entries

    def write(self, generated_at: datetime, sources: list[dict[str, Any]], bundle_name: str) -> dict[str, Any]:
        deposits = self.deposits()
        self.cancel.check()
        self.progress(Progress(_("Écriture du récapitulatif et des anomalies"), 0, None))
        files = []
        for name, data in ((RECAP, render_recap(self.plan, deposits, sources).encode("utf-8")),
                           (ANOMALIES, anomalies_workbook(self.plan))):
            write_new(self.folder / name, data)
            files.append(file_entry(name, hashlib.sha256(data).hexdigest(), len(data)))  # verify re-reads the disk
        manifest = named(build_manifest(self.plan, generated_at, sources, deposits, files), bundle_name)
        write_new(self.folder / MANIFEST, dump_manifest(manifest))
        sync(self.folder)
        return manifest


def named(manifest: dict[str, Any], name: str) -> dict[str, Any]:
    """The manifest naming its bundle ("depot_2022-11-28_Medilog-Sante-SAS_2.zip"), right after its instant."""
    items = [(k, v) for k, v in manifest.items() if k != "bundle"]
    at = next((i + 1 for i, (k, _v) in enumerate(items) if k == "generated_at"), len(items))
    return dict(items[:at] + [("bundle", name)] + items[at:])


def _free_name(destination: Path, stem: str, suffix: str, after: int = 0) -> tuple[int, str]:
    """The first `stem[_n]suffix` (n > after) that names nothing in `destination`."""
    number = after + 1
    while (destination / (name := f"{stem}{suffix}" if number == 1 else f"{stem}_{number}{suffix}")).exists():
        number += 1
    return number, name


def _publish_as(temp: Path, target: Path) -> bool:
    """Rename `temp` to exactly `target` in one step, never over anything; False when the name is taken."""
    if target.exists():
        return False
    try:
        if temp.is_dir():
            os.rename(temp, target)  # onto a bundle (never empty) fails everywhere
        else:
            try:
                os.link(temp, target)  # unlike a POSIX rename, never replaces a file
            except FileExistsError:
                raise  # taken: below
            except OSError:  # no hard links here (FAT, some shares): Windows' rename never replaces either
                os.rename(temp, target)
            else:
                temp.unlink()
    except (FileExistsError, IsADirectoryError, NotADirectoryError):
        return False
    except OSError:
        if target.exists():  # another export took the name meanwhile (POSIX: ENOTEMPTY)
            return False
        raise
    sync(target.parent)
    return True


def _zip_bundle(folder: Path, target: Path, stem: str, cancel: CancelToken, progress: ProgressCallback) -> None:
    """The verified folder as one zip (its files under `stem/`), read back member by member against it."""
    stage = _("Archive du paquet")
    paths = sorted(folder.iterdir())
    written = {}
    with open_archive(target) as archive:
        for done, path in enumerate(paths, start=1):
            cancel.check()
            written[f"{stem}/{path.name}"] = add_file(archive, f"{stem}/{path.name}", path)
            progress(Progress(stage, done, len(paths)))
    sync(target)
    with zipfile.ZipFile(target) as archive:
        for info in archive.infolist():
            cancel.check()
            with archive.open(info) as handle:
                if written.pop(info.filename, None) != hash_stream(handle):
                    raise ExportFailed(_("L'archive du paquet ne correspond pas au dossier vérifié ({name}) ; rien "
                                         "n'a été publié.").format(name=info.filename))
    if written:
        raise ExportFailed(_("L'archive du paquet est incomplète ({name}) ; rien n'a été publié.").format(
            name=next(iter(written))))


def write_bundle(plan: ExportPlan, destination: Path, sources: list[dict[str, Any]], *,
                 generated_at: datetime | None = None, progress: ProgressCallback = no_progress,
                 cancel: CancelToken | None = None, before_publish: BeforePublish | None = None) -> ExportResult:
    """Write, verify and publish the bundle of `plan` in `destination`; nothing at all when nothing is exported.

    `before_publish(path, manifest)` runs just before the rename that publishes the bundle at `path` (again, with
    the new name, if another export took that one meanwhile); if it raises, nothing is published."""
    if plan.exported == 0:
        return ExportResult(plan, None, None, None)
    cancel = cancel or CancelToken()
    generated_at = generated_at or datetime.now(PARIS)
    workspace = plan.result.workspace
    stem = bundle_stem(workspace.vendor.name if workspace.vendor else "", generated_at)
    try:
        destination.mkdir(parents=True, exist_ok=True)
        remove_stale(destination, TEMP_PATTERN)
        temp = destination / f".{stem}.{secrets.token_hex(4)}.tmp"
        temp.mkdir()
    except OSError as exc:
        raise InputError(_("Impossible d'écrire dans « {out} » ({reason}). {advice}").format(
            out=destination, reason=reason(exc), advice=advice_write(exc))) from None
    temp_zip = temp.with_name(temp.name.removesuffix(".tmp") + ".zip.tmp")
    try:
        writer = _Writer(plan, temp, progress, cancel)
        writer.prepare()
        if plan.exported == 0:  # every demande refused once renamed: nothing worth publishing
            remove(temp)
            return ExportResult(plan, None, None, None)
        suffix = ".zip" if plan.options.as_zip else ""
        number, name = _free_name(destination, stem, suffix)
        manifest = writer.write(generated_at, sources, name)
        check = verify_folder(temp, plan.result.registry, progress=progress, cancel=cancel)
        if not check.ok:
            raise ExportFailed(_("Le paquet écrit ne passe pas sa propre vérification ; rien n'a été publié. {problem}").format(
                problem=check.problems[0]))
        for _attempt in range(PUBLISH_ATTEMPTS):
            if plan.options.as_zip:
                remove(temp_zip)
                _zip_bundle(temp, temp_zip, name.removesuffix(suffix), cancel, progress)
            if before_publish is not None:
                before_publish(destination / name, (temp / MANIFEST).read_bytes())
            if _publish_as(temp_zip if plan.options.as_zip else temp, destination / name):
                break
            number, name = _free_name(destination, stem, suffix, number)  # taken meanwhile by another export
            manifest = named(manifest, name)  # only the name changes: the verification holds
            write_atomic(temp / MANIFEST, dump_manifest(manifest))
        else:
            raise InputError(_("Impossible de trouver un nom libre pour le paquet dans « {out} ». Rangez les paquets "
                             "depot_… de ce dossier, puis recommencez.").format(out=destination))
        bundle = destination / name
        if plan.options.as_zip:
            remove(temp)
    except OSError as exc:
        remove(temp)
        remove(temp_zip)
        raise InputError(_("Impossible d'écrire le paquet dans « {out} » ({reason}). {advice}").format(
            out=destination, reason=reason(exc), advice=advice_write(exc))) from None
    except BaseException:
        remove(temp)
        remove(temp_zip)
        raise
    check.path = bundle
    return ExportResult(plan, bundle, manifest, check)


def export_result(result: PipelineResult, destination: Path, options: ExportOptions = ExportOptions(), *,
                  generated_at: datetime | None = None, progress: ProgressCallback = no_progress,
                  cancel: CancelToken | None = None, before_publish: BeforePublish | None = None) -> ExportResult:
    """Write the bundle of a validation already made.

    The window exports the validation it shows (no second read of the
    sources); a source saved since the pipeline read it (`result.read`) is
    refused: the manifest's hashes must be those of the files the demandes
    come from.
    """
    sources = []
    now = fingerprints(result.workspace)
    for role, path in source_files(result.workspace):
        try:
            sha256, size = hash_file(path)
        except OSError:
            sha256, size = "", -1
        sources.append({"role": role, "file": path.name, "sha256": sha256, "size": size})
        if now.get(path) != result.read.get(path) or size < 0:
            raise InputError(_("« {name} » a changé depuis sa lecture. Enregistrez-le et fermez-le, revérifiez le "
                               "dossier de travail (F5), puis exportez.").format(name=path.name))
    return write_bundle(plan_export(result, options), destination, sources, generated_at=generated_at,
                        progress=progress, cancel=cancel, before_publish=before_publish)


def export_workspace(workspace: Workspace, at: datetime, destination: Path, options: ExportOptions = ExportOptions(),
                     *, register: RegisterIndex | None = None, generated_at: datetime | None = None,
                     progress: ProgressCallback = no_progress, cancel: CancelToken | None = None,
                     before_publish: BeforePublish | None = None) -> ExportResult:
    """Read and validate the workspace (against `register`, if given), then write its bundle (see `write_bundle`)."""
    result = run_pipeline(workspace, at, register=register, progress=progress, cancel=cancel)
    return export_result(result, destination, options, generated_at=generated_at, progress=progress, cancel=cancel,
                         before_publish=before_publish)
