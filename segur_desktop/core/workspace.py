"""The dossier de travail: a folder with a `workspace.json`.

It names the vendor, its referenced solutions, the input files (client list,
BDC list, attachments folder), the column mapping in use (inline, or the name
of a mapping profile: `core/profiles.py`) and the output folder. Relative
paths are relative to the workspace folder, so a workspace can be copied or
zipped whole. Its format is `resources/workspace.schema.json`.
"""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path, PureWindowsPath
from typing import Any

from segur_desktop.core.atomic import dump_json, write_atomic
from segur_desktop.core.calendar import PARIS, NonexistentTime, parse_instant
from segur_desktop.core.couloirs import load_catalog
from segur_desktop.core.datafiles import format_problem, load_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.identifiers import siret_valid
from segur_desktop.core.oserrors import advice_write, reason
from segur_desktop.core.paths import demo_workspace, resources_dir, user_data_dir
from segur_desktop.core.profiles import find_profile, load_profile, unknown_fields

WORKSPACE_FILE = "workspace.json"
WORKSPACE_MAX_BYTES = 4 * 1024 * 1024  # a workspace with an inline mapping is a few KB


@dataclass(frozen=True, slots=True)
class Vendor:
    name: str
    siret: str


@dataclass(frozen=True, slots=True)
class Solution:
    id: str
    name: str
    version: str | None
    couloir: str
    software_kind: str
    referencing_id: str
    referencing_date: date
    vague: str = "1"
    # When the complete dossier of conformity proofs was submitted to the ANS: the 120-day anticipation of BDCs
    # counts from it (appel à financement § 4.4); None: not given, the referencing date is used and said so.
    conformity_date: date | None = None


@dataclass(frozen=True, slots=True)
class Workspace:
    folder: Path | None  # None for inputs given on the command line only
    name: str
    vendor: Vendor | None
    solutions: tuple[Solution, ...]
    clients: Path
    bdc: Path
    pieces: Path | None
    output: Path | None
    clients_sheet: str | None = None
    bdc_sheet: str | None = None
    soldes: Path | None = None  # the soldes' own data (installation, invoice, MOM/VA), in the BDC list's columns
    soldes_sheet: str | None = None
    mapping: dict[str, dict[str, str]] = field(default_factory=dict)
    judged_at: datetime | None = None  # default instant for deadline checks (demo, replay)


def _error(path: Path, detail: str) -> InputError:
    return InputError(
        _("Le dossier de travail « {path} » est incomplet ou mal formé : {detail} Corrigez le fichier "
          "workspace.json, ou recréez le dossier de travail.").format(path=path, detail=detail)
    )


def _misspelt_keys(path: Path, data: dict[str, Any]) -> None:
    """Refuse a key of workspace.json that is a misspelling of a known one (« date_control »), and any unknown key
    of `entrees`: ignored, it would leave a sheet, the soldes list or the control instant silently unset. Other
    unknown keys (a note of the user's, a newer version's) are kept as they are."""
    schema = load_json(resources_dir() / "workspace.schema.json")
    for where, keys, known, strict in (
            ("", data, schema["properties"], False),
            ("entrees.", data.get("entrees") or {}, schema["properties"]["entrees"]["properties"], True)):
        for key in keys:
            if key in known:
                continue
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
            if close or strict:
                hint = (_("vouliez-vous dire « {known} » ?").format(known=where + close[0]) if close else
                        _("les clés possibles sont {known}.").format(known=", ".join(f"« {k} »" for k in known)))
                raise _error(path, _("la clé « {key} » est inconnue : {hint}").format(key=where + key, hint=hint))


def _input_path(path: Path, key: str, value: str) -> Path:
    """Where an input or the output folder named by workspace.json lies, relative to the workspace.

    A workspace edited on Windows and opened on macOS or Linux names folders with backslashes (« scans\\novembre »):
    they are separators there too. A Windows absolute path (« C:\\Users\\… », « \\\\serveur\\… ») names another
    computer's disk: refused, naming the key, rather than looked for as a file of that odd name inside the workspace
    (or, for the output folder, created as one).
    """
    if os.name != "nt":
        if PureWindowsPath(value).drive:
            fix = (_("indiquez un dossier de cet ordinateur, par exemple « sortie » dans le dossier de travail.")
                   if key == "sortie" else
                   _("copiez ce qu'il désigne dans le dossier de travail et indiquez son nom seul (« {name} »).").format(
                       name=PureWindowsPath(value).name))
            raise _error(path, _("« {key} » vaut « {value} », un chemin Windows d'un autre ordinateur, qui n'existe pas "
                                 "ici : {fix}").format(key=key, value=value, fix=fix))
        value = value.replace("\\", "/")
    return path.parent / value


def _mapping(path: Path, value: dict[str, Any] | str) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """(kind -> field -> header, kind -> sheet) from an inline mapping or a profile's name or path."""
    if isinstance(value, str):
        profile = load_profile(find_profile(value, path.parent))
        return profile.columns, profile.sheets
    detail = unknown_fields(value)
    if detail is not None:
        raise _error(path, _("rubrique « mapping » : {detail}").format(detail=detail))
    return value, {}


def not_a_workspace(folder: Path) -> InputError:
    return InputError(
        _("« {folder} » n'est pas un dossier de travail : il n'y a pas de fichier workspace.json. "
          "Choisissez le dossier qui le contient, ou créez un dossier de travail.").format(folder=folder))


def _workspace_file(given: Path) -> Path:
    """The workspace.json of the folder the user named (or that file itself); a French InputError naming what
    the user typed, never its parent, when it is missing or not a workspace."""
    if given.is_dir():
        path = given / WORKSPACE_FILE
        if not path.is_file():
            raise not_a_workspace(given)
        return path
    if not given.exists():
        raise InputError(
            _("« {folder} » n'est pas un dossier de travail : ce dossier est introuvable. Vérifiez le chemin indiqué "
              "(un dossier de travail est un dossier qui contient un fichier workspace.json).").format(folder=given))
    if given.suffix.lower() != ".json" or not given.is_file():
        raise InputError(
            _("« {path} » n'est pas un dossier de travail : c'est un fichier. Un dossier de travail est un dossier qui "
              "contient un fichier workspace.json : indiquez ce dossier.").format(path=given))
    return given


def load_workspace(folder: Path) -> Workspace:
    """Load a workspace from its folder (or its workspace.json)."""
    path = _workspace_file(folder.expanduser())
    return _from_data(path, load_json(path, max_bytes=WORKSPACE_MAX_BYTES))


def _from_data(path: Path, data: dict[str, Any]) -> Workspace:
    """The workspace a workspace.json holding `data` describes, or the French InputError naming what is wrong."""
    folder = path.parent
    problem = format_problem(data, "workspace.schema.json")
    if problem is not None:
        raise _error(path, problem)
    _misspelt_keys(path, data)
    vendor = Vendor(data["editeur"]["raison_sociale"].strip(), data["editeur"]["siret"])
    if not siret_valid(vendor.siret):
        raise _error(path, _("le SIRET de l'éditeur « {siret} » a une clé de contrôle fausse.").format(siret=vendor.siret))
    catalog = load_catalog()
    solutions = []
    seen: set[str] = set()
    for entry in data.get("solutions", []):
        if entry["id"] in seen:  # a BDC row naming this id would get whichever came first, silently
            raise _error(path, _("deux solutions ont le même identifiant « {id} » : donnez à chacune le sien "
                                 "(champ « id »).").format(id=entry["id"]))
        seen.add(entry["id"])
        couloir = catalog.couloir(entry["couloir"])
        if couloir is None:
            raise _error(path, _("le couloir « {value} » de la solution « {name} » est inconnu ({known}).").format(
                value=entry["couloir"], name=entry["nom"], known=", ".join(catalog.couloirs)))
        software_kind = catalog.software_kind(entry["type_logiciel"])
        if software_kind not in couloir.software_kinds:
            raise _error(path, _("le type de logiciel « {value} » de « {name} » n'existe pas dans le couloir {couloir} "
                                 "({known}).").format(value=entry["type_logiciel"], name=entry["nom"],
                                                      couloir=couloir.code, known=", ".join(couloir.software_kinds)))
        try:
            referencing_date = date.fromisoformat(entry["referencement"]["date"])
        except ValueError:
            raise _error(path, _("la date de référencement de « {name} » n'existe pas.").format(name=entry["nom"])) from None
        try:
            deposited = entry["referencement"].get("depot_conformite")
            conformity_date = date.fromisoformat(deposited) if deposited else None
        except ValueError:
            raise _error(path, _("la date de dépôt du dossier de conformité de « {name} » n'existe pas.").format(
                name=entry["nom"])) from None
        solutions.append(Solution(
            entry["id"], entry["nom"], entry.get("version"), couloir.code, software_kind,
            entry["referencement"]["id"], referencing_date, entry.get("vague", "1"), conformity_date))
    inputs = data["entrees"]
    mapping, profile_sheets = _mapping(path, data.get("mapping", {}))
    judged_at = None
    if "date_controle" in data:
        try:
            judged_at = parse_instant(data["date_controle"])
        except NonexistentTime as exc:
            raise _error(path, _("« date_controle » : {why}").format(why=exc)) from None
        except ValueError:
            raise _error(path, _("« date_controle » n'est pas un instant ISO 8601 (ex. 2022-11-28T10:00:00+01:00).")) from None
    return Workspace(
        folder=folder,
        name=data.get("nom") or folder.name,
        vendor=vendor,
        solutions=tuple(solutions),
        clients=_input_path(path, "entrees.clients", inputs["clients"]),
        bdc=_input_path(path, "entrees.bdc", inputs["bdc"]),
        pieces=_input_path(path, "entrees.pieces", inputs["pieces"]) if inputs.get("pieces") else None,
        output=_input_path(path, "sortie", data.get("sortie", "sortie")),
        clients_sheet=inputs.get("clients_feuille") or profile_sheets.get("clients"),
        bdc_sheet=inputs.get("bdc_feuille") or profile_sheets.get("bdc"),
        soldes=_input_path(path, "entrees.soldes", inputs["soldes"]) if inputs.get("soldes") else None,
        soldes_sheet=inputs.get("soldes_feuille"),
        mapping=mapping,
        judged_at=judged_at,
    )


Fingerprint = tuple[int, int] | None  # (size, modification time) of a source file; None: not there


def source_files(workspace: Workspace) -> list[tuple[str, Path]]:
    """(role, path) of the files the demandes are made from."""
    found = [("clients", workspace.clients), ("bdc", workspace.bdc)]
    if workspace.soldes is not None:
        found.append(("soldes", workspace.soldes))
    if workspace.folder is not None:
        found.append(("dossier_de_travail", workspace.folder / WORKSPACE_FILE))
    return found


def fingerprints(workspace: Workspace) -> dict[Path, Fingerprint]:
    """Taken when the sources are read, compared when they are hashed: a file saved in between is caught."""
    found: dict[Path, Fingerprint] = {}
    for _role, path in source_files(workspace):
        try:
            status = path.stat()
            found[path] = (status.st_size, status.st_mtime_ns)
        except OSError:
            found[path] = None
    return found


def relative_to_workspace(folder: Path, path: Path) -> str:
    """How workspace.json names `path`: relative when it lies inside the workspace (so the folder can be
    copied or zipped whole), absolute otherwise."""
    path = path.expanduser().resolve()
    try:
        return path.relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(path)


def _write(path: Path, data: dict[str, Any]) -> None:
    problem = format_problem(data, "workspace.schema.json")
    if problem is not None:  # a caller's mistake, not the user's: never write a file load_workspace refuses
        raise _error(path, problem)
    try:
        write_atomic(path, dump_json(data))
    except OSError as exc:
        raise InputError(
            _("Impossible d'enregistrer le dossier de travail « {path} » ({reason}). {advice}").format(
                path=path.parent, reason=reason(exc), advice=advice_write(exc))) from None


class _Keep(Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP  # `edit_workspace(date_controle=KEEP)`: leave it as it is (None removes it)


def solution_entry(solution: Solution) -> dict[str, Any]:
    """How workspace.json writes a solution (`load_workspace` reads it back as the same `Solution`)."""
    referencing: dict[str, str] = {"id": solution.referencing_id, "date": solution.referencing_date.isoformat()}
    if solution.conformity_date is not None:
        referencing["depot_conformite"] = solution.conformity_date.isoformat()
    entry: dict[str, Any] = {"id": solution.id, "nom": solution.name}
    if solution.version:
        entry["version"] = solution.version
    entry |= {"couloir": solution.couloir, "type_logiciel": solution.software_kind, "vague": solution.vague,
              "referencement": referencing}
    return entry


def _solution_entries(solutions: Sequence[Solution], previous: list[Any]) -> list[dict[str, Any]]:
    """The solutions as workspace.json entries; a key this product does not write, kept from the entry of the same id."""
    by_id = {entry.get("id"): entry for entry in previous if isinstance(entry, dict)}
    entries = []
    for solution in solutions:
        entry = solution_entry(solution)
        kept = by_id.get(solution.id, {})
        entry |= {key: value for key, value in kept.items() if key not in entry and key != "version"}
        if solution.vague == "1" and "vague" not in kept:
            del entry["vague"]  # the schema's default, as the user left it: unwritten
        referencing = kept.get("referencement")
        if isinstance(referencing, dict):
            entry["referencement"] |= {key: value for key, value in referencing.items()
                                       if key not in entry["referencement"] and key != "depot_conformite"}
        entries.append(entry)
    return entries


def edit_workspace(folder: Path, *, inputs: dict[str, Path | str | None] | None = None,
                   mapping: dict[str, dict[str, str]] | str | None = None, name: str | None = None,
                   vendor: Vendor | None = None, solutions: Sequence[Solution] | None = None,
                   output: Path | None = None, date_controle: datetime | None | _Keep = KEEP,
                   register: str | None | _Keep = KEEP) -> Workspace:
    """Change a workspace's input files (clients, bdc, soldes, pieces, *_feuille), its mapping, name, vendor,
    solutions (the whole list, in order), output folder or control instant, keeping every other key of
    workspace.json as the user wrote it, and reload it. A change `load_workspace` would refuse is refused before
    anything is written.

    `None` as an input's value removes that key (e.g. a sheet name that no longer applies).
    `date_controle`: the instant deadlines are judged at, written in Paris time (ISO 8601); `None` removes it
    (deadlines are then judged at the moment of each check).
    `register`: the shared register's URL (`registre`, see core/register/backend.py); `None` removes it (the local
    register).
    """
    path = folder / WORKSPACE_FILE
    data = load_json(path, max_bytes=WORKSPACE_MAX_BYTES)
    entrees = data.setdefault("entrees", {})
    for key, value in (inputs or {}).items():
        if value is None:
            entrees.pop(key, None)
        elif isinstance(value, Path):
            entrees[key] = relative_to_workspace(folder, value)
        else:
            entrees[key] = value
    if mapping is not None:
        data["mapping"] = mapping
    if name is not None:
        data["nom"] = name.strip() or folder.name
    if vendor is not None:
        data["editeur"] = {"raison_sociale": vendor.name.strip(), "siret": "".join(vendor.siret.split())}
    if solutions is not None:
        data["solutions"] = _solution_entries(solutions, data.get("solutions") or [])
    if output is not None:
        data["sortie"] = relative_to_workspace(folder, output)
    if date_controle is None:
        data.pop("date_controle", None)
    elif isinstance(date_controle, datetime):
        data["date_controle"] = date_controle.astimezone(PARIS).isoformat(timespec="seconds")
    if register is None:
        data.pop("registre", None)
    elif isinstance(register, str):
        data["registre"] = register.strip()
    _from_data(path, data)  # refused here, with load_workspace's French reason, rather than written
    _write(path, data)
    return load_workspace(folder)


def create_workspace(folder: Path, *, name: str, vendor_name: str, vendor_siret: str, clients: Path, bdc: Path,
                     pieces: Path | None = None, solutions: list[dict[str, Any]] | None = None) -> Workspace:
    """Create a dossier de travail in `folder` (created if needed; an existing workspace.json is refused)."""
    path = folder / WORKSPACE_FILE
    if path.exists():
        raise InputError(_("« {folder} » est déjà un dossier de travail. Ouvrez-le, ou choisissez un dossier "
                           "vide.").format(folder=folder))
    siret = "".join(vendor_siret.split())
    if not siret_valid(siret):
        raise InputError(_("Le SIRET de l'éditeur « {siret} » est invalide (14 chiffres, clé de contrôle). "
                           "Recopiez-le depuis un extrait Kbis ou l'annuaire des entreprises.").format(siret=vendor_siret))
    folder.mkdir(parents=True, exist_ok=True)
    entrees = {"clients": relative_to_workspace(folder, clients), "bdc": relative_to_workspace(folder, bdc)}
    if pieces is not None:
        entrees["pieces"] = relative_to_workspace(folder, pieces)
    _write(path, {"schema_version": 1, "nom": name.strip() or folder.name,
                  "editeur": {"raison_sociale": vendor_name.strip(), "siret": siret},
                  "solutions": solutions or [], "entrees": entrees, "sortie": "sortie"})
    return load_workspace(folder)


def demo_copy() -> Path:
    """A private copy of the bundled demo workspace, in the user-data folder, to play with.

    The bundled demo is read-only (inside the installed app) and must stay as
    shipped: the app opens this copy, made once; deleting it brings back a
    fresh one.
    """
    target = user_data_dir() / "demo"
    if not (target / WORKSPACE_FILE).is_file():
        temp = target.with_name(f".demo.{os.getpid()}.tmp")
        try:
            shutil.rmtree(temp, ignore_errors=True)
            shutil.copytree(demo_workspace(), temp, ignore=shutil.ignore_patterns("sortie", "__pycache__"))
            shutil.rmtree(target, ignore_errors=True)
            os.replace(temp, target)
        except OSError as exc:
            shutil.rmtree(temp, ignore_errors=True)
            raise InputError(_("Impossible de préparer la copie de démonstration dans « {folder} » ({reason}). "
                               "{advice}").format(folder=target.parent, reason=reason(exc),
                                                  advice=advice_write(exc))) from None
    return target
