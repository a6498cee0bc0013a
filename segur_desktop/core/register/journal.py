"""Publish, then record: an export the register cannot miss, even when killed between the two.

A bundle is published by one rename (`core/export/bundle.py`), then recorded in
the register (`record.py`); a kill, a crash or a full disk between the two
would leave a complete bundle the register ignores, and the next export would
write the same demandes again without a word. So every export goes through
`export_and_record` (the window and `segur-desktop export` alike), which
journals the export before publishing it: just before the rename, one small
JSON file in a folder beside the register (`registres/<SIRET>.en-cours/`)
names the bundle's final path and its manifest's SHA-256; once the register
holds the export, the file is removed.

When the register opens (`Register`, the way SQLite replays its own journal),
`replay` settles each entry left by a process that is no longer running:
- the register holds its manifest already (only the removal was lost): removed;
- its bundle is there, is the one journaled, and passes verification: recorded,
  and the user is told in French what was recovered;
- its bundle is not there (killed before the rename): nothing was published,
  removed, said in the log only;
- its bundle is there but is another one, or fails verification: not recorded,
  the user is told how to check and record it, removed.
A replay problem never stops the register from opening: the entry stays for
the next time and the log says why.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import socket
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from segur_desktop.core.atomic import dump_json, write_atomic
from segur_desktop.core.calendar import format_instant
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.bundle import ExportResult, export_result
from segur_desktop.core.export.manifest import MANIFEST
from segur_desktop.core.export.plan import ExportOptions
from segur_desktop.core.i18n import _
from segur_desktop.core.oserrors import reason
from segur_desktop.core.pipeline import PipelineResult
from segur_desktop.core.progress import CancelToken, ProgressCallback, no_progress
from segur_desktop.core.register.record import no_request_id, record_bundle, record_export
from segur_desktop.core.register.store import RecordOutcome, Register, now, pending_folder
from segur_desktop.core.validate.schemas import SchemaRegistry

FORMAT = "segur-desktop-export-en-cours"
MAX_ENTRY_BYTES = 64 * 1024
MAX_MANIFEST_BYTES = 16 * 1024 * 1024

log = logging.getLogger(__name__)
_RUNNING: set[str] = set()  # this process's exports between their journal entry and their record


@dataclass(frozen=True, slots=True)
class Exported:
    """An export and its record in the Suivi register (None: not recorded; `problem` says why, in French)."""

    result: ExportResult
    recorded: RecordOutcome | None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Pending:
    """One journal entry: an export being published, or left unrecorded by a process that stopped."""

    file: Path
    token: str
    bundle: Path
    manifest_sha256: str
    generated_at: str
    workspace: str  # the workspace folder: its own schemas verify the bundle
    pid: int
    host: str


def export_and_record(result: PipelineResult, destination: Path, options: ExportOptions = ExportOptions(),
                      register: Register | None = None, *, generated_at: datetime | None = None,
                      progress: ProgressCallback = no_progress, cancel: CancelToken | None = None) -> Exported:
    """Write, verify and publish the bundle of a validation, and record it in `register` (None: not recorded,
    `--no-register`). The export is journaled before it is published; a register problem after publishing never
    hides the bundle: it is said in `problem`, and the journal records the bundle when the register next opens."""
    if register is None:
        return Exported(export_result(result, destination, options, generated_at=generated_at, progress=progress,
                                      cancel=cancel), None)
    _refuse_formats_without_id(result)
    token = secrets.token_hex(8)
    entry = pending_folder(register.path) / f"{token}.json"
    journaled: list[Path] = []

    def before_publish(bundle: Path, manifest: bytes) -> None:
        _write_entry(entry, token, bundle, manifest, result.workspace.folder)
        journaled.append(bundle)

    _RUNNING.add(token)
    try:
        try:
            exported = export_result(result, destination, options, generated_at=generated_at, progress=progress,
                                     cancel=cancel, before_publish=before_publish)
        except BaseException:
            if journaled and not journaled[-1].exists():  # nothing published: nothing to recover
                entry.unlink(missing_ok=True)
            raise
        if exported.bundle is None:
            return Exported(exported, None)
        try:
            recorded = record_export(register, exported)
        except InputError as error:  # the entry stays: the register records the bundle when it next opens
            return Exported(exported, None, str(error))
        entry.unlink(missing_ok=True)
        return Exported(exported, recorded)
    finally:
        _RUNNING.discard(token)


def _refuse_formats_without_id(result: PipelineResult) -> None:
    """Before anything is written: a format in force that writes no demande.id would publish a bundle the register
    then refuses, left pending in the journal at every opening. Said now, nothing is written."""
    for key in sorted({(d.couloir.code, d.type, d.solution.vague) for d in result.demandes}):
        entry = result.registry.entry(*key)
        if entry is not None and "demande.id" not in entry.template.used:
            raise no_request_id(entry.format.id, f"{key[0]} {key[1]}")


def _write_entry(entry: Path, token: str, bundle: Path, manifest: bytes, workspace: Path | None) -> None:
    try:
        generated_at = str(json.loads(manifest).get("generated_at", ""))
    except (ValueError, AttributeError):
        generated_at = ""
    data = {"format": FORMAT, "token": token, "bundle": str(bundle.resolve()),
            "manifest_sha256": hashlib.sha256(manifest).hexdigest(), "generated_at": generated_at,
            "workspace": str(workspace), "pid": os.getpid(), "host": socket.gethostname(),
            "started_at": now().isoformat()}
    try:
        write_atomic(entry, dump_json(data))
    except OSError as exc:
        raise InputError(_("Impossible de noter l'export en cours dans « {folder} » ({reason}) : le paquet n'a pas été "
                           "publié, pour qu'il ne manque jamais au suivi. Libérez de la place sur ce disque, puis "
                           "recommencez.").format(folder=entry.parent, reason=reason(exc))) from None


def pending(register_path: Path) -> list[Pending]:
    """The journal's entries, oldest first; an unreadable one is logged and skipped."""
    folder = pending_folder(register_path)
    found = []
    try:
        files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
    except OSError:
        return []
    for path in files:
        try:
            if path.stat().st_size > MAX_ENTRY_BYTES:
                raise ValueError("too large")
            data = json.loads(path.read_text(encoding="utf-8"))
            found.append(Pending(path, str(data["token"]), Path(data["bundle"]), str(data["manifest_sha256"]),
                                 str(data.get("generated_at", "")), str(data.get("workspace", "")),
                                 int(data.get("pid", 0)), str(data.get("host", ""))))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("Entrée du journal des exports illisible, ignorée : %s (%s)", path, exc)
    return found


def replay(register: Register) -> list[str]:
    """Settle the journal's entries left by stopped processes (see the module); French messages for the user."""
    told = []
    for entry in pending(register.path):
        if _running(entry):
            continue
        try:
            message = _settle(register, entry)
        except Exception:
            log.exception("Export en attente non réglé, gardé pour la prochaine ouverture : %s", entry.file)
            continue
        entry.file.unlink(missing_ok=True)
        if message:
            told.append(message)
    return told


def _settle(register: Register, entry: Pending) -> str | None:
    name, day = entry.bundle.name, _day(entry.generated_at)
    if register.recorded_export(entry.manifest_sha256):
        log.info("Export %s déjà dans le suivi ; entrée du journal retirée.", entry.bundle)
        return None
    if not entry.bundle.exists():
        log.info("Export %s jamais publié (interrompu avant) : rien à enregistrer, entrée du journal retirée.",
                 entry.bundle)
        return None
    if _manifest_sha256(entry.bundle) != entry.manifest_sha256:
        log.warning("Le paquet %s n'est plus celui de l'export interrompu : non enregistré.", entry.bundle)
        return _("Le paquet « {name} » publié le {day} n'est pas dans le suivi, et il a changé depuis : vérifiez-le "
                 "(segur-desktop verify « {path} »), puis enregistrez-le (segur-desktop register record).").format(
            name=name, day=day, path=entry.bundle)
    workspace = Path(entry.workspace) if entry.workspace else None
    try:
        registry = SchemaRegistry.default(workspace if workspace is not None and workspace.is_dir() else None)
        outcome = record_bundle(register, entry.bundle, registry=registry)
    except InputError as error:
        log.warning("Paquet %s non enregistré : %s", entry.bundle, error)
        return _("Le paquet « {name} » publié le {day} n'était pas dans le suivi et n'a pas pu y entrer : {problem}"
                 ).format(name=name, day=day, problem=error)
    count = len(outcome.new) + len(outcome.again)
    log.info("Export %s retrouvé et enregistré (%d demandes).", entry.bundle, count)
    return _("Le paquet « {name} » publié le {day} n'était pas dans le suivi : ses {n} demande(s) y sont "
             "maintenant.").format(name=name, day=day, n=count)


def _running(entry: Pending) -> bool:
    """Whether the export may still be under way: in this process, or in a live process of this computer."""
    if entry.token in _RUNNING:
        return True
    if entry.pid == os.getpid() or entry.host != socket.gethostname() or entry.pid <= 0:
        return False
    return _alive(entry.pid)


def _alive(pid: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - Windows (the check mypy knows, so ctypes.windll is typed)
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        try:
            ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: someone else's process, alive
        return True
    return True


def _manifest_sha256(bundle: Path) -> str | None:
    """The SHA-256 of the bundle's manifest.json (a folder, or a zip holding it at its root or in its one folder)."""
    try:
        if bundle.is_dir():
            return hashlib.sha256((bundle / MANIFEST).read_bytes()).hexdigest()
        with zipfile.ZipFile(bundle) as archive:
            for info in archive.infolist():
                parts = PurePosixPath(info.filename).parts
                if parts and parts[-1] == MANIFEST and len(parts) <= 2 and info.file_size <= MAX_MANIFEST_BYTES:
                    return hashlib.sha256(archive.read(info)).hexdigest()
    except (OSError, zipfile.BadZipFile, ValueError):
        return None
    return None


def _day(generated_at: str) -> str:
    try:
        return format_instant(datetime.fromisoformat(generated_at))
    except ValueError:
        return "?"
