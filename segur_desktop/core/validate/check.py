"""Check any deposit file against its schema: ours, or one built elsewhere.

Before depositing a file made by another tool (or by hand), a vendor wants to
know whether the portal's import test will take it. The file says its couloir
and type; the registry gives the schema in force; every problem is said in
French with the demande it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from segur_desktop.core.datafiles import load_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.validate.french import describe, missing_field
from segur_desktop.core.validate.schemas import SchemaEntry, SchemaRegistry


@dataclass(frozen=True, slots=True)
class Problem:
    pointer: str  # JSON pointer in the file
    request: str | None  # the demande's idDemande, when the problem is inside one
    index: int | None  # the demande's position (0-based)
    message: str


@dataclass(frozen=True, slots=True)
class FileCheck:
    path: Path
    entry: SchemaEntry
    requests: int
    problems: list[Problem]
    # The file as parsed: a caller needing its content (verify: the demandes) reads nothing twice.
    document: Any = field(default=None, repr=False, compare=False)

    @property
    def valid(self) -> bool:
        return not self.problems


def _demande_of(parts: list[str], document: dict[str, Any]) -> tuple[int | None, str | None]:
    if len(parts) >= 2 and parts[0] == "demandes" and parts[1].isdigit():
        index = int(parts[1])
        demandes = document.get("demandes")
        if isinstance(demandes, list) and index < len(demandes) and isinstance(demandes[index], dict):
            return index, demandes[index].get("idDemande")
        return index, None
    return None, None


def check_deposit_file(path: Path, registry: SchemaRegistry) -> FileCheck:
    """Validate `path`; InputError when it is not a readable deposit file or has no schema."""
    document = load_json(path)
    couloir = document.get("couloir") if isinstance(document, dict) else None
    kind = document.get("typeDemande") if isinstance(document, dict) else None
    if not isinstance(couloir, str) or not isinstance(kind, str):
        raise InputError(
            _("« {name} » ne ressemble pas à un fichier de demandes : il n'indique pas son couloir et son type "
              "(« couloir », « typeDemande »). Vérifiez que c'est bien le fichier JSON à déposer.").format(name=path.name))
    entry = registry.entry(couloir, kind)
    errors = registry.file_errors(couloir, kind, document)
    if entry is None or errors is None:
        known = ", ".join(sorted(f"{c}/{k}" for c, k in registry.entries))
        raise InputError(
            _("Aucun schéma pour le couloir « {couloir} » et le type « {kind} » de « {name} » (schémas connus : "
              "{known}). Ajoutez le schéma correspondant dans le dossier des schémas.").format(
                couloir=couloir, kind=kind, name=path.name, known=known))
    titles = registry.titles(couloir, kind)
    problems = []
    for error in errors:
        parts = [str(p) for p in error.absolute_path]
        if error.validator == "required":
            parts.append(missing_field(error))
        index, request = _demande_of(parts, document)
        inner = tuple("*" if p.isdigit() else p for p in parts[2:]) if index is not None else None
        message = describe(error, titles.get(inner) if inner else None)
        problems.append(Problem("".join(f"/{p}" for p in parts), request, index, message))
    demandes = document.get("demandes")
    return FileCheck(path, entry, len(demandes) if isinstance(demandes, list) else 0, problems, document)
