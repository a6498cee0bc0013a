"""Writing the per-couloir JSON files: valid demandes only, atomically, re-checked.

The portal rejects a whole file when one demande in it is wrong, so a file
holds only valid demandes, is written in the deposit format in force for its
couloir and type (`core/formats/`), to a temporary file renamed (never
half-written), and is validated again against its schema after writing.
Files are deterministic: same inputs, same bytes (no timestamp inside; the
report carries the instant).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from segur_desktop.core.atomic import dump_json, write_atomic, write_new
from segur_desktop.core.build import Demande
from segur_desktop.core.datafiles import load_json
from segur_desktop.core.diagnostics import Diagnostic, make
from segur_desktop.core.errors import InputError
from segur_desktop.core.formats.render import render_file
from segur_desktop.core.gcpause import gc_paused
from segur_desktop.core.i18n import _
from segur_desktop.core.paths import user_data_dir
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
    vague: str | None = None  # the wave whose own format wrote it; None: the couloir and type's format

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
    for parent, key in zip(reversed(parents), reversed(demandes_path), strict=True):
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
    """File name -> deposit file, for the valid demandes (or canonical fields) of each couloir and type.

    A wave with a format of its own (imported with --wave) gets files of its own: `HOP_avance_v2.json`.
    """
    groups: dict[tuple[str, str, str | None], list[dict[str, Any]]] = {}
    for d in demandes:
        fields = d.fields if isinstance(d, Demande) else d
        if isinstance(d, Demande) and not d.valid:
            continue
        couloir, kind = fields["demande.couloir"], fields["demande.type"]
        entry = registry.entry(couloir, kind, fields.get("solution.vague"))
        groups.setdefault((couloir, kind, entry.vague if entry else None), []).append(fields)
    if groups and vendor is None:
        return {}, [make("editeur_incomplet")]
    files: dict[str, DepositFile] = {}
    for (couloir, kind, vague), members in sorted(groups.items(), key=lambda item: (item[0][:2], item[0][2] or "")):
        entry = registry.entry(couloir, kind, vague)
        if entry is None:
            raise InputError(_("Aucun format de dépôt pour les demandes {kind} du couloir {couloir} : ajoutez son "
                               "schéma ou importez le modèle officiel (segur-desktop format import).").format(
                kind=kind, couloir=couloir))
        size = max_per_file or len(members)
        chunks = [members[i:i + size] for i in range(0, len(members), size)]
        stem = f"{couloir}_{kind}" + (f"_v{vague}" if vague else "")
        for number, chunk in enumerate(chunks, start=1):
            name = f"{stem}.json" if len(chunks) == 1 else f"{stem}_{number:02d}.json"
            files[name] = DepositFile(couloir, kind, chunk, render_file(entry, vendor, chunk),
                                      entry.template.demandes_path, vague)
    return files, []


# A deposit file's name, as `deposit_files` makes it: COULOIR_type.json, or COULOIR_type_NN.json when split.
DEPOSIT_NAME = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*_(?:avance|solde)(?:_v[0-9A-Za-z]+)?(?:_[0-9]{2})?\.json")
WRITTEN_FOLDER = "sorties"  # under the user-data folder: what each build wrote where, with the hashes
WRITTEN_FORMAT = "segur-desktop-sorties"


def _written_record(out_dir: Path) -> Path:
    """Where the record of the files written into `out_dir` lives: in the user-data folder, one file per output
    folder, out of reach of whatever is copied into the output folder (a foreign rapport.json proves nothing)."""
    key = hashlib.sha256(str(out_dir.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return user_data_dir() / WRITTEN_FOLDER / f"{key}.json"


def _sha256(path: Path) -> str | None:
    """The SHA-256 of a regular file (never through a link); None when it is anything else or cannot be read."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def _previous_outputs(out_dir: Path) -> dict[str, str]:
    """Deposit file name -> the SHA-256 this product wrote it with, the last time it wrote into `out_dir`."""
    try:
        record = load_json(_written_record(out_dir))
        if record.get("format") != WRITTEN_FORMAT or record.get("folder") != str(out_dir.resolve()):
            return {}
        return {str(entry["file"]): str(entry["sha256"]) for entry in record["files"]}
    except (InputError, AttributeError, KeyError, TypeError):
        return {}  # no record (first build here, or another computer): nothing is ours to remove


def _remove_stale(out_dir: Path, kept: set[str], protected: Iterable[Path]) -> None:
    """Remove the deposit files of a previous build that this one did not write again: only a file this product
    wrote (its record says so, in the user-data folder), unchanged since (same SHA-256), directly in `out_dir`,
    named like a deposit file, and not one of the workspace's inputs. Anything else stays, whatever a
    rapport.json in the folder says: a source spreadsheet is never deleted."""
    inputs = {path.resolve() for path in protected}
    for name, sha256 in _previous_outputs(out_dir).items():
        path = out_dir / name
        if (name in kept or Path(name).name != name or not DEPOSIT_NAME.fullmatch(name)
                or path.resolve() in inputs or _sha256(path) != sha256):
            continue
        path.unlink(missing_ok=True)


def _remember_written(out_dir: Path, written: list[WrittenFile], hashes: dict[str, str]) -> None:
    record = {"format": WRITTEN_FORMAT, "folder": str(out_dir.resolve()),
              "files": [{"file": w.path.name, "sha256": hashes[w.path.name]} for w in written]}
    path = _written_record(out_dir)
    try:
        write_atomic(path, dump_json(record))  # its folder made if need be
    except OSError:
        pass  # without the record, the next build removes nothing: the safe side


def _stage(path: Path, data: bytes, staged: list[tuple[Path, Path]]) -> Path:
    """Write `data` to a new temporary file beside `path`, noted in `staged` to be renamed over it (or removed)."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    staged.append((temp, path))
    write_new(temp, data)
    return temp


def write_deposit_files(
    files: dict[str, DepositFile], out_dir: Path, registry: SchemaRegistry, *, protected: Iterable[Path] = (),
    reports: Callable[[list[WrittenFile]], dict[str, bytes]] | None = None,
) -> list[WrittenFile]:
    """Write every file, check each again from disk, then put them all in place; drop stale ones from a
    previous build.

    All or nothing across files: each is written and checked as a temporary file first, and only once all of
    them are does a rename put each in place. A full disk at the fifth file leaves the folder as the previous
    build left it, never this build's first four beside the previous build's others.

    `reports` makes the files written beside them in the same step (rapport.json and rapport.txt: file name ->
    bytes), from the deposit files once all are checked, since a report lists them. They are temporaries too until
    the renames: a disk full at the report leaves the previous build whole, not new deposit files beside its report.

    A stale file is one this product wrote into `out_dir` before, unchanged since, that this build does not
    write again (`_remove_stale`); `protected` (the workspace's inputs) is never removed.

    The garbage collector is paused (`core.gcpause`): reading a file back makes a
    dict per demande and per object inside it, none of them garbage until checked.
    """
    written = []
    hashes: dict[str, str] = {}
    staged: list[tuple[Path, Path]] = []  # (temporary file, its deposit file)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with gc_paused():
            for name, deposit in files.items():
                path = out_dir / name
                data = dump_deposit(deposit.document, deposit.demandes_path)
                temp = _stage(path, data, staged)
                hashes[name] = hashlib.sha256(data).hexdigest()
                errors = registry.file_errors(deposit.couloir, deposit.type, load_json(temp), deposit.vague)
                if errors:
                    raise RuntimeError(_("Le fichier {name} écrit ne passe pas son schéma : {detail}").format(
                        name=name, detail=describe(errors[0])))
                entry = registry.entry(deposit.couloir, deposit.type, deposit.vague)
                written.append(WrittenFile(path, deposit.couloir, deposit.type, deposit.count,
                                           entry.id if entry else ""))
        for name, data in (reports(written) if reports is not None else {}).items():
            _stage(out_dir / name, data, staged)
        for temp, path in staged:
            os.replace(temp, path)
    except BaseException:
        for temp, _path in staged:
            temp.unlink(missing_ok=True)
        raise
    _remove_stale(out_dir, {w.path.name for w in written}, protected)
    _remember_written(out_dir, written, hashes)
    return written
