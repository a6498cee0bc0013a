"""manifest.json: what a bundle holds, with the SHA-256 of every file and every attachment.

Written last into the bundle, it lets anyone check later that nothing was
changed, lost or added (`segur-desktop verify`), and records what the bundle
was made from: application and schema versions, the control instant, the
source files' hashes, and any guichet exported « hors délai ». Its format is
`resources/export-manifest.schema.json`. The generation instant is the only
value that differs between two exports of the same inputs.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from segur_desktop import __version__
from segur_desktop.core.datafiles import format_problem, load_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.plan import ExportPlan, GroupPlan
from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.amounts import format_amount
from segur_desktop.core.output import DepositFile
from segur_desktop.core.paths import resources_dir
from segur_desktop.core.validate.schemas import SchemaEntry

MANIFEST = "manifest.json"
RECAP = "recapitulatif.html"
ANOMALIES = "anomalies.xlsx"
FORMAT = "segur-desktop-depot"
SCHEMA_VERSION = 1
SCHEMA_FILE = "export-manifest.schema.json"


def attachments_name(json_name: str) -> str:
    """"HOP_avance.json" -> "HOP_avance_pieces.zip": each JSON file's zip sits beside it, named after it."""
    return json_name.removesuffix(".json") + "_pieces.zip"


def file_entry(name: str, sha256: str, size: int) -> dict[str, Any]:
    return {"file": name, "sha256": sha256, "size": size}


def deposit_entry(deposit: DepositFile, schema: SchemaEntry | None, group: GroupPlan, json_file: dict[str, Any],
                  attachments: dict[str, Any]) -> dict[str, Any]:
    """One deposit file of the bundle: its schema and deposit format (with the SHA-256 of the format's files, so
    `verify` can tell which format wrote it), its files, and what it asks for."""
    return {
        "couloir": deposit.couloir,
        "type": deposit.type,
        "vague": deposit.vague,
        "schema": {"id": schema.id, "version": schema.version, "origin": schema.origin} if schema else {"id": "", "version": ""},
        "deposit_format": schema.format.manifest_entry() if schema else None,
        "json": json_file,
        "attachments": attachments,
        "requests": deposit.count,
        "requested_amount_ht": format_amount(deposit.requested_ht()),
        "bdc_amount_ht": format_amount(deposit.bdc_ht()),
        "closing": group.closing.instant.isoformat() if group.closing else None,
        "hors_delai": group.hors_delai,
    }


def build_manifest(plan: ExportPlan, generated_at: datetime, sources: list[dict[str, Any]],
                   deposits: list[dict[str, Any]], files: list[dict[str, Any]]) -> dict[str, Any]:
    result = plan.result
    vendor = result.workspace.vendor
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "app_version": __version__,
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "at": result.at.isoformat(),
        "workspace": result.workspace.name,
        "vendor": {"name": vendor.name, "siret": vendor.siret} if vendor else {"name": "", "siret": ""},
        "sources": sources,
        "deposits": deposits,
        "files": files,
        "hors_delai": [{"couloir": g.couloir, "type": g.type,
                        "closing": g.closing.instant.isoformat() if g.closing else None,
                        "requests": sum(1 for item in g.exported if item.hors_delai)}
                       for g in plan.groups if g.hors_delai],
        "left_out": {"requests": sum(len(g.left_out) for g in plan.groups), "bdc_rows": len(plan.rows_left_out)},
    }


def dump_manifest(manifest: dict[str, Any]) -> bytes:
    """Indented for people, one attachment per line.

    An indented dump goes through json's pure-Python encoder (0.8 s for 20k
    attachments); the attachment lines go through the C one, like `dump_deposit`.
    """
    shell = dict(manifest, deposits=[dict(d, attachments=dict(d["attachments"], members=f"@members{i}@"))
                                     for i, d in enumerate(manifest["deposits"])])
    text = json.dumps(shell, ensure_ascii=False, indent=2)
    line = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    for i, deposit in enumerate(manifest["deposits"]):
        members = deposit["attachments"]["members"]
        body = "[\n" + ",\n".join(" " * 10 + line(m) for m in members) + "\n" + " " * 8 + "]" if members else "[]"
        # With its key: a user's text cannot hold an unescaped quote, so it cannot hold this.
        text = text.replace(f'"members": "@members{i}@"', f'"members": {body}', 1)
    return (text + "\n").encode("utf-8")


@cache
def _fast_validator() -> jsonschema_rs.Validator:
    """The manifest's schema in jsonschema-rs: 20k attachments checked in milliseconds (the reference
    implementation takes seconds); it only says why when the manifest is wrong."""
    return jsonschema_rs.validator_for(load_json(resources_dir() / SCHEMA_FILE))


def read_manifest(folder: Path) -> dict[str, Any]:
    """The bundle's manifest; a French InputError when there is none or it is not one."""
    path = folder / MANIFEST
    if not path.is_file():
        raise InputError(_("« {path} » n'est pas un paquet de dépôt Segur Desktop : il n'a pas de {manifest}. "
                           "Choisissez le dossier depot_… (ou son zip) créé par l'export.").format(
            path=folder, manifest=MANIFEST))
    manifest: dict[str, Any] = load_json(path)  # an object: the schema says so, checked below
    if not _fast_validator().is_valid(manifest) and (problem := format_problem(manifest, SCHEMA_FILE)) is not None:
        raise InputError(_("Le manifeste « {path} » est illisible ou a été modifié ({problem}). Exportez de nouveau "
                           "le paquet.").format(path=path, problem=problem.rstrip(".")))
    return manifest
