"""Writing the per-couloir JSON files: valid demandes only, atomically, re-checked.

The portal rejects a whole file when one demande in it is wrong, so a file
holds only valid demandes, is written in the deposit format in force for its
couloir and type (`core/formats/`), to a temporary file renamed (never
half-written), and is validated again against its schema after writing.
Files are deterministic: same inputs, same bytes (no timestamp inside; the
report carries the instant).
"""

from __future__ import annotations

import json
import secrets

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from segur_desktop.core.atomic import write_atomic
from segur_desktop.core.build import Demande
from segur_desktop.core.datafiles import load_json
from segur_desktop.core.diagnostics import Diagnostic, make
from segur_desktop.core.errors import InputError
from segur_desktop.core.formats.render import render_file
from segur_desktop.core.gcpause import gc_paused
from segur_desktop.core.i18n import _
from segur_desktop.core.validate.french import describe
from segur_desktop.core.validate.schemas import SchemaRegistry
from segur_desktop.core.workspace import Vendor

ZERO = Decimal("0.00")
REPORT_JSON = "rapport.json"
REPORT_TEXT = "rapport.txt"


@dataclass(frozen=True, slots=True)
class DepositFile:
    """One deposit file to write: its demandes' canonical fields and the JSON its format makes of them."""
    couloir: str
    type: str
    fields: list[dict[str, Any]]
    document: Any
    demandes_path: tuple[str, ...]  # where the format puts the list of demandes

    @property
    def count(self) -> int:
        return len(self.fields)

    def requested_ht(self) -> Decimal:
        return sum((f.get("demande.montant_ht", ZERO) for f in self.fields), ZERO)

    def bdc_ht(self) -> Decimal:
        return sum((f.get("bdc.montant_ht", ZERO) for f in self.fields), ZERO)


@dataclass(frozen=True, slots=True)
class WrittenFile:
    path: Path
    couloir: str
    type: str
    count: int
    schema_id: str


# One encoder for every demande line: json.dumps would build a new one per call (an eighth of the dump).
_DEMANDE_LINE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def dump_deposit(document: Any, demandes_path: tuple[str, ...]) -> bytes:
    """A deposit file: indented, one demande per line, wherever its format puts the list of demandes.

    Readable and diff-friendly, and written by json's C encoder (an indented
    dump goes through the pure-Python one: 2 s instead of 0.1 s at 20k demandes).
    """
    shell: Any = document
    parents = []
    for key in demandes_path:
        parents.append(shell)
        shell = shell[key]
    demandes = shell
    placeholder = f"@demandes-{secrets.token_hex(8)}@"  # no user's text can be it by chance
    head: Any = placeholder
    for parent, key in zip(reversed(parents), reversed(demandes_path)):
        head = dict(parent, **{key: head})
    text = json.dumps(head, ensure_ascii=False, indent=2)
    indent = " " * (2 * len(demandes_path) + 2)
    body = ("[\n" + ",\n".join(indent + line for line in map(_DEMANDE_LINE.encode, demandes))
            + "\n" + indent[:-2] + "]") if demandes else "[]"
    key = json.dumps(demandes_path[-1], ensure_ascii=False) + ": " if demandes_path else ""
    return (text.replace(key + json.dumps(placeholder), key + body, 1) + "\n").encode("utf-8")


def deposit_files(
    demandes: Iterable[Demande | dict[str, Any]], vendor: Vendor | None, registry: SchemaRegistry,
    max_per_file: int | None = None,
) -> tuple[dict[str, DepositFile], list[Diagnostic]]:
    """File name -> deposit file, for the valid demandes (or canonical fields) of each couloir and type."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for d in demandes:
        if isinstance(d, Demande):
            if d.valid:
                groups.setdefault((d.couloir.code, d.type), []).append(d.fields)
        else:
            groups.setdefault((d["demande.couloir"], d["demande.type"]), []).append(d)
    if groups and vendor is None:
        return {}, [make("editeur_incomplet")]
    files: dict[str, DepositFile] = {}
    for (couloir, kind), members in sorted(groups.items()):
        entry = registry.entry(couloir, kind)
        if entry is None:
            raise InputError(_("Aucun format de dépôt pour les demandes {kind} du couloir {couloir} : ajoutez son "
                               "schéma ou importez le modèle officiel (segur-desktop format import).").format(
                kind=kind, couloir=couloir))
        size = max_per_file or len(members)
        chunks = [members[i:i + size] for i in range(0, len(members), size)]
        for number, chunk in enumerate(chunks, start=1):
            name = f"{couloir}_{kind}.json" if len(chunks) == 1 else f"{couloir}_{kind}_{number:02d}.json"
            files[name] = DepositFile(couloir, kind, chunk, render_file(entry, vendor, chunk),
                                      entry.template.demandes_path)
    return files, []


def _previous_outputs(out_dir: Path) -> list[Path]:
    """Deposit files listed by the previous report in this folder (ours to replace)."""
    report = out_dir / REPORT_JSON
    if not report.is_file():
        return []
    try:
        names = [entry["file"] for entry in load_json(report)["summary"].get("files", [])]
    except (InputError, KeyError, TypeError):
        return []
    return [out_dir / Path(name).name for name in names]


def write_deposit_files(
    files: dict[str, DepositFile], out_dir: Path, registry: SchemaRegistry
) -> list[WrittenFile]:
    """Write each file atomically, check it again from disk, and drop stale ones from a previous build.

    The garbage collector is paused (`core.gcpause`): reading a file back makes a
    dict per demande and per object inside it, none of them garbage until checked.
    """
    written = []
    with gc_paused():
        for name, deposit in files.items():
            path = out_dir / name
            write_atomic(path, dump_deposit(deposit.document, deposit.demandes_path))
            errors = registry.file_errors(deposit.couloir, deposit.type, load_json(path))
            if errors:
                path.unlink()
                raise RuntimeError(_("Le fichier {name} écrit ne passe pas son schéma : {detail}").format(
                    name=name, detail=describe(errors[0])))
            entry = registry.entry(deposit.couloir, deposit.type)
            written.append(WrittenFile(path, deposit.couloir, deposit.type, deposit.count, entry.id if entry else ""))
    kept = {w.path.name for w in written}
    for stale in _previous_outputs(out_dir):
        if stale.name not in kept:
            stale.unlink(missing_ok=True)
    return written
