"""From a bundle to the register: what each exported demande was, byte for byte.

An export is recorded from the bundle on disk, not from what the export meant
to write: the demande's JSON as the deposit file holds it (its hash, and the
JSON itself for later comparison with a corrected version), the JSON file's
hash, and each attachment's name and hash from the manifest. A bundle exported
before the register existed, or on another computer, is recorded the same way
(`segur-desktop register record BUNDLE`), after a full verification; so is a
deposit file of `segur-desktop build` deposited by hand (no attachment known).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.attachments import referenced_files
from segur_desktop.core.export.bundle import ExportResult
from segur_desktop.core.export.manifest import MANIFEST, read_manifest
from segur_desktop.core.export.verify import unpack_bundle, verify_folder
from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.amounts import format_amount
from segur_desktop.core.progress import CancelToken, ProgressCallback, no_progress
from segur_desktop.core.register.store import Attachment, DepositItem, ExportRecord, RecordOutcome, Register
from segur_desktop.core.validate.check import FileCheck, check_deposit_file
from segur_desktop.core.validate.schemas import SchemaRegistry


def canonical(request: dict[str, Any]) -> str:
    """The demande's JSON with sorted keys and no spaces: the same demande always hashes the same."""
    return json.dumps(request, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def deposit_item(request: Any, fields: dict[str, Any], json_name: str, json_sha256: str,
                 attachments: tuple[Attachment, ...]) -> DepositItem:
    """What the register keeps of one demande as deposited: its JSON as the file holds it (naming attachments as the
    zip does), and its canonical fields read back through the deposit format (`fields`)."""
    text = canonical(request)

    def amount(name: str) -> str:
        value = fields.get(name)
        return format_amount(value) if isinstance(value, Decimal) else "0.00"

    return DepositItem(
        str(fields.get("demande.id", "")), str(fields.get("demande.couloir", "")), str(fields.get("demande.type", "")),
        str(fields.get("beneficiaire.type_identifiant", "")), str(fields.get("beneficiaire.identifiant", "")),
        str(fields.get("beneficiaire.raison_sociale", "")), str(fields.get("solution.type_logiciel", "")),
        str(fields.get("solution.nom", "")), str(fields.get("bdc.numero", "")), amount("bdc.montant_ht"),
        amount("demande.montant_ht"), json_name, json_sha256, text,
        hashlib.sha256(text.encode("utf-8")).hexdigest(), attachments)


def no_request_id(format_id: str, name: str) -> InputError:
    """A format that writes no demande.id: the register cannot key its demandes (`name`: the deposit file, or the
    couloir and type it writes)."""
    return InputError(_("Le format « {format} » de « {name} » n'écrit pas l'identifiant de la demande : le suivi "
                        "ne peut pas enregistrer ses demandes. Donnez à la clé du modèle qui porte la référence "
                        "de la demande le champ demande.id (segur-desktop format import … --field "
                        "CLÉ=demande.id, ou « Format de dépôt… »), ou exportez sans le suivi (--no-register)."
                        ).format(format=format_id, name=name))


def _file_items(json_name: str, json_sha256: str, check: FileCheck,
                members: dict[str, dict[str, Any]]) -> list[DepositItem]:
    """The demandes of one deposit file (checked against its format), with the attachments `members` (by zip
    name) holds for each."""
    template = check.entry.template
    items = []
    for request in template.read_file(check.document)[1] or []:
        fields = template.read_demande(request)
        if not fields.get("demande.id"):  # the register's key: guessing one would merge or split demandes
            raise no_request_id(check.entry.format.id, json_name)
        fields.setdefault("demande.couloir", check.entry.couloir)
        fields.setdefault("demande.type", check.entry.type)
        items.append(deposit_item(request, fields, json_name, json_sha256, tuple(
            Attachment(name, members[name]["sha256"], members[name]["size"], members[name]["source"])
            for name in sorted(referenced_files(fields)) if name in members)))
    return items


def _items(manifest: dict[str, Any], folder: Path, registry: SchemaRegistry) -> tuple[DepositItem, ...]:
    items: list[DepositItem] = []
    for deposit in manifest["deposits"]:
        json_name = deposit["json"]["file"]
        members = {m["name"]: m for m in deposit["attachments"]["members"]}
        check = check_deposit_file(folder / json_name, registry, deposit["couloir"], deposit["type"],
                                   deposit.get("vague"))
        items += _file_items(json_name, deposit["json"]["sha256"], check, members)
    return tuple(items)


def _record(path: Path, manifest: dict[str, Any], manifest_bytes: bytes, folder: Path,
            registry: SchemaRegistry) -> ExportRecord:
    return ExportRecord(str(path), path.name, hashlib.sha256(manifest_bytes).hexdigest(), "depot",
                        manifest["generated_at"], manifest["workspace"], _items(manifest, folder, registry))


def export_record(result: ExportResult) -> ExportRecord:
    """The record of a bundle just written and verified by `write_bundle` (folder or zip)."""
    bundle = result.bundle
    if bundle is None or result.manifest is None:
        raise ValueError("nothing was exported")
    registry = result.plan.result.registry
    if bundle.is_dir():
        return _record(bundle, result.manifest, (bundle / MANIFEST).read_bytes(), bundle, registry)
    with tempfile.TemporaryDirectory(prefix="segur-desktop-record-") as temp:
        folder = unpack_bundle(bundle, Path(temp))
        return _record(bundle, result.manifest, (folder / MANIFEST).read_bytes(), folder, registry)


def record_export(register: Register, result: ExportResult) -> RecordOutcome:
    """Record the export just made (its bundle was verified before it was published)."""
    return register.record(export_record(result))


def record_deposit_file(register: Register, path: Path, registry: SchemaRegistry | None = None) -> RecordOutcome:
    """A deposit file written by `segur-desktop build` and deposited without a bundle: its demandes enter the
    register once the file passes its schema. No attachment is known, so none is recorded."""
    check = check_deposit_file(path, registry or SchemaRegistry.default())
    if not check.valid:
        problem = check.problems[0]
        raise InputError(_("Le fichier « {name} » ne passe pas son schéma ({pointer} : {message}) : il n'est pas "
                           "enregistré dans le suivi.").format(name=path.name, pointer=problem.pointer,
                                                              message=problem.message))
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    modified = datetime.fromtimestamp(path.stat().st_mtime, PARIS).replace(microsecond=0)
    vendor = str(check.entry.template.read_file(check.document)[0].get("editeur.raison_sociale", ""))
    return register.record(ExportRecord(str(path), path.name, sha256, "fichier", modified.isoformat(), vendor,
                                        tuple(_file_items(path.name, sha256, check, {}))))


def record_bundle(register: Register, path: Path, *, registry: SchemaRegistry | None = None,
                  progress: ProgressCallback = no_progress, cancel: CancelToken | None = None) -> RecordOutcome:
    """Verify a bundle made earlier (folder or zip), then record it; a bundle that fails verification is refused.

    A single deposit file (`HOP_avance.json` from `segur-desktop build`) is recorded too (`record_deposit_file`).
    """
    if not path.exists():
        raise InputError(_("« {path} » est introuvable. Choisissez le dossier depot_… ou son zip.").format(path=path))
    if path.is_file() and path.suffix.lower() == ".json":
        return record_deposit_file(register, path, registry)
    with tempfile.TemporaryDirectory(prefix="segur-desktop-record-") as temp:
        folder = path if path.is_dir() else unpack_bundle(path, Path(temp))
        registry = registry or SchemaRegistry.default()
        check = verify_folder(folder, registry, progress=progress, cancel=cancel)
        if not check.ok:
            raise InputError(_("Le paquet « {path} » ne passe pas la vérification ({problem}) : il n'est pas "
                               "enregistré dans le suivi. Vérifiez-le (segur-desktop verify).").format(
                path=path, problem=check.problems[0]))
        manifest = read_manifest(folder)
        return register.record(_record(path, manifest, (folder / MANIFEST).read_bytes(), folder, registry))
