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

    def read_back(self) -> list[dict[str, Any]]:
        """Each demande of the file as canonical fields, read through its format's template."""
        demandes = self.entry.template.read_file(self.document)[1] or []
        return [self.entry.template.read_demande(item) for item in demandes]


def _demande_of(parts: list[str], entry: SchemaEntry, demandes: Any) -> tuple[int | None, str | None]:
    """(position, id) of the demande a JSON pointer of the file falls in, wherever the format puts them."""
    path = entry.template.demandes_path
    if len(parts) > len(path) and tuple(parts[:len(path)]) == path and parts[len(path)].isdigit():
        index = int(parts[len(path)])
        if isinstance(demandes, list) and index < len(demandes):
            found = entry.template.read_demande(demandes[index]).get("demande.id")
            return index, found if isinstance(found, str) else None
        return index, None
    return None, None


def _detect(document: Any, registry: SchemaRegistry) -> tuple[str, str] | None:
    """The couloir and type a deposit file says it holds, read by the formats in force."""
    for deposit_format in reversed(registry.formats):  # the latest loaded wins, as in the registry
        read = deposit_format.template.read_file(document)
        couloir, request_type = read[0].get("demande.couloir"), read[0].get("demande.type")
        if isinstance(couloir, str) and isinstance(request_type, str):
            return couloir, request_type
    return None


def check_deposit_file(path: Path, registry: SchemaRegistry, couloir: str | None = None,
                       kind: str | None = None, vague: str | None = None) -> FileCheck:
    """Validate `path`; InputError when it is not a readable deposit file or has no schema.

    The couloir and type are those given, else those the file says (when its format writes them).
    """
    document = load_json(path)
    if couloir is None or kind is None:
        detected = _detect(document, registry)
        if detected is None:
            raise InputError(
                _("« {name} » ne ressemble pas à un fichier de demandes : il ne dit pas son couloir et son type dans un "
                  "format de dépôt connu. Vérifiez que c'est bien le fichier JSON à déposer, ou indiquez-les : "
                  "--couloir HOP --type avance.").format(name=path.name))
        couloir, kind = detected
    entry = registry.entry(couloir, kind, vague)
    errors = registry.file_errors(couloir, kind, document, vague)
    if entry is None or errors is None:
        known = ", ".join(sorted(f"{c}/{k}" for c, k in registry.entries))
        raise InputError(
            _("Aucun schéma pour le couloir « {couloir} » et le type « {kind} » de « {name} » (schémas connus : "
              "{known}). Ajoutez le schéma correspondant dans le dossier des schémas.").format(
                couloir=couloir, kind=kind, name=path.name, known=known))
    titles = registry.titles(couloir, kind, vague)
    demandes = entry.template.read_file(document)[1]
    problems = []
    depth = len(entry.template.demandes_path) + 1
    for error in errors:
        parts = [str(p) for p in error.absolute_path]
        if error.validator == "required":
            parts.append(missing_field(error))
        index, request = _demande_of(parts, entry, demandes)
        inner = tuple("*" if p.isdigit() else p for p in parts[depth:]) if index is not None else None
        message = describe(error, titles.get(inner) if inner else None)
        problems.append(Problem("".join(f"/{p}" for p in parts), request, index, message))
    return FileCheck(path, entry, len(demandes) if isinstance(demandes, list) else 0, problems, document)
