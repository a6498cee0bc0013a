"""Deposit formats on disk: a folder holding `format.json` and its JSON Schemas.

`format.json` says what the format is and where each canonical field goes:

    {"format": "officiel-HOP-avance", "nom": "…", "version": "2024-09",
     "statut": "officiel" | "reconstitué", "sources": [{"titre", "fichier" | "url", "vu_le"}],
     "schemas": "*.json"  (each schema says its couloir and type: x-couloir, x-type)
              | [{"couloir": "HOP", "type": "avance", "fichier": "schema.json"}],
     "modele": {… the output template: core/formats/template.py …}}

The built-in format is `schemas/` itself (« reconstitué »). Formats imported from the ASP's
official model live in `<user data>/formats/<id>/` or a workspace's `formats/<id>/`, and win
over the built-in one for the couloirs and types they cover. A format the user disabled
(`segur-desktop format disable`, which writes `DESACTIVE` in its folder) is skipped: a
broken format is an error naming its file until the user says to fall back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from segur_desktop.core.datafiles import load_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.formats.template import Template, TemplateError, compile_template
from segur_desktop.core.i18n import _

FORMAT_FILE = "format.json"
DISABLED_MARK = "DESACTIVE"
STATUSES = ("officiel", "reconstitué")
MODEL_COPY = "modele-officiel.json"  # the ASP's files as the user gave them, kept beside an imported format
EXAMPLE_COPY = "exemple-officiel.json"
OFFICIAL_COPIES = (MODEL_COPY, EXAMPLE_COPY)


@dataclass(frozen=True, slots=True)
class DepositFormat:
    id: str
    name: str
    version: str
    status: str  # "officiel" or "reconstitué"
    description: str = field(repr=False)
    sources: tuple[dict[str, str], ...] = field(repr=False)
    folder: Path = field(repr=False)
    origin: str = field(repr=False)  # "intégré", "utilisateur" or "dossier de travail"
    template: Template = field(repr=False)
    files: tuple[tuple[str, str], ...] = field(repr=False)  # (file name, SHA-256) of every file of the format, sorted

    @property
    def official(self) -> bool:
        return self.status == "officiel"

    def manifest_entry(self) -> dict[str, Any]:
        """What a bundle's manifest says of the format its files were written in."""
        return {"id": self.id, "name": self.name, "version": self.version, "status": self.status,
                "origin": self.origin, "sources": [s.get("url") or s.get("fichier") or s.get("titre", "")
                                                   for s in self.sources],
                "files": [{"file": name, "sha256": sha} for name, sha in self.files]}


@dataclass(frozen=True, slots=True)
class Coverage:
    couloir: str
    type: str
    schema: Path
    vague: str | None = None  # the wave this schema is for; None: every wave of the couloir and type


def _broken(path: Path, detail: str) -> InputError:
    return InputError(_("Le format de dépôt « {path} » est inutilisable : {detail}. Corrigez ce fichier, ou "
                        "désactivez ce format pour revenir au précédent : segur-desktop format disable « {folder} »."
                        ).format(path=path, detail=detail, folder=path.parent.name))


def _hashes(folder: Path) -> tuple[tuple[str, str], ...]:
    return tuple((p.name, hashlib.sha256(p.read_bytes()).hexdigest())
                 for p in sorted(folder.iterdir()) if p.is_file() and p.suffix == ".json")


def load_format(folder: Path, origin: str) -> tuple[DepositFormat, list[Coverage]] | None:
    """The format in `folder` and what it covers; None when the folder holds none or it is disabled."""
    path = folder / FORMAT_FILE
    if not path.is_file() or (folder / DISABLED_MARK).exists():
        return None
    spec = load_json(path)
    if not isinstance(spec, dict):
        raise _broken(path, _("ce n'est pas un objet JSON"))
    for key in ("format", "nom", "version", "statut", "schemas", "modele"):
        if key not in spec:
            raise _broken(path, _("la clé « {key} » manque").format(key=key))
    if spec["statut"] not in STATUSES:
        raise _broken(path, _("« statut » vaut « officiel » ou « reconstitué », pas « {value} »").format(
            value=spec["statut"]))
    try:
        template = compile_template(spec["modele"])
    except TemplateError as exc:
        raise _broken(path, str(exc)) from None
    covered: list[Coverage] = []
    schemas = spec["schemas"]
    if isinstance(schemas, str):
        for schema_path in sorted(folder.glob(schemas)):
            if schema_path.name == FORMAT_FILE:
                continue
            schema = load_json(schema_path)
            if isinstance(schema, dict) and schema.get("x-couloir") and schema.get("x-type"):
                covered.append(Coverage(schema["x-couloir"], schema["x-type"], schema_path))
    elif isinstance(schemas, list):
        for item in schemas:
            if not isinstance(item, dict) or not {"couloir", "type", "fichier"} <= set(item):
                raise _broken(path, _("chaque élément de « schemas » donne « couloir », « type » et « fichier »"))
            schema_path = folder / Path(str(item["fichier"])).name
            if not schema_path.is_file():
                raise _broken(path, _("le schéma « {name} » manque dans le dossier").format(name=schema_path.name))
            vague = item.get("vague", spec.get("vague"))
            covered.append(Coverage(str(item["couloir"]), str(item["type"]), schema_path,
                                    str(vague) if vague not in (None, "") else None))
    else:
        raise _broken(path, _("« schemas » est un motif de fichiers ou une liste"))
    deposit_format = DepositFormat(
        str(spec["format"]), str(spec["nom"]), str(spec["version"]), spec["statut"], str(spec.get("description", "")),
        tuple(s for s in spec.get("sources", []) if isinstance(s, dict)), folder, origin, template, _hashes(folder))
    return deposit_format, covered


def format_folders(parent: Path) -> list[Path]:
    """The format folders under `parent` (`<user data>/formats`, `<workspace>/formats`), by name."""
    if not parent.is_dir():
        return []
    return sorted(p for p in parent.iterdir() if p.is_dir() and (p / FORMAT_FILE).is_file())
