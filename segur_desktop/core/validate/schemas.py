"""The schema registry: which JSON Schema governs each couloir and request type.

Built-in schemas (`schemas/`) can be replaced without code change by files in
`<user data>/schemas/` or a workspace's `schemas/` folder: a later folder wins
for the same couloir and type (`x-couloir`, `x-type`) or the same `$id`. The
registry remembers which file each schema came from. References between
schemas (`common.json#/$defs/...`) resolve from these files only: never the
network.

Two engines, one verdict: jsonschema-rs (Rust, ~100x faster here) decides
whether a document is valid; only for an invalid one does the reference
implementation, jsonschema, list the errors with the detail the French
messages need. 20k demandes validate in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from segur_desktop.core.datafiles import load_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.paths import schemas_dir, user_data_dir

if TYPE_CHECKING:  # imported where a demande fails, to explain it: 0.08 s of every start otherwise
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
    from referencing import Registry


@dataclass(frozen=True, slots=True)
class SchemaEntry:
    couloir: str
    type: str
    version: str
    id: str
    path: Path
    origin: str  # "intégré", "utilisateur" or "dossier de travail"


class SchemaRegistry:
    def __init__(self, folders: list[tuple[Path, str]]) -> None:
        self._by_id: dict[str, dict[str, Any]] = {}
        self.entries: dict[tuple[str, str], SchemaEntry] = {}
        for folder, origin in folders:
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.json")):
                self._add(path, origin)
        self._validators: dict[tuple[str, str, str], Draft202012Validator] = {}
        self._fast: dict[tuple[str, str, str, bool], Any] = {}
        self._titles: dict[tuple[str, str], dict[tuple[str, ...], str]] = {}

    @classmethod
    def default(cls, workspace_folder: Path | None = None) -> SchemaRegistry:
        folders = [(schemas_dir(), _("intégré")), (user_data_dir() / "schemas", _("utilisateur"))]
        if workspace_folder is not None:
            folders.append((workspace_folder / "schemas", _("dossier de travail")))
        return cls(folders)

    def _add(self, path: Path, origin: str) -> None:
        schema = load_json(path)
        schema_id = schema.get("$id") if isinstance(schema, dict) else None
        if not schema_id:
            raise InputError(_("Le schéma « {path} » n'a pas d'identifiant « $id ». Ajoutez-en un ou retirez ce fichier.").format(path=path))
        self._by_id[schema_id] = schema
        couloir, kind = schema.get("x-couloir"), schema.get("x-type")
        if couloir and kind:
            self.entries[(couloir, kind)] = SchemaEntry(
                couloir, kind, str(schema.get("x-version", "")), schema_id, path, origin)

    @cached_property
    def _registry(self) -> Registry:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        return Registry().with_resources(
            (schema_id, Resource.from_contents(schema, default_specification=DRAFT202012))
            for schema_id, schema in self._by_id.items()
        )

    def entry(self, couloir: str, kind: str) -> SchemaEntry | None:
        return self.entries.get((couloir, kind))

    def _validator(self, couloir: str, kind: str, fragment: str) -> Draft202012Validator | None:
        key = (couloir, kind, fragment)
        if key not in self._validators:
            entry = self.entry(couloir, kind)
            if entry is None:
                return None
            from jsonschema import Draft202012Validator

            self._validators[key] = Draft202012Validator(
                {"$ref": entry.id + fragment}, registry=self._registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER)
        return self._validators[key]

    def titles(self, couloir: str, kind: str) -> dict[tuple[str, ...], str]:
        """French titles of a demande's fields by path ("*" for array items).

        A property's own title wins over the title of the definition it
        references: "Numéro du bon de commande", not "Texte".
        """
        key = (couloir, kind)
        if key not in self._titles:
            entry = self.entry(couloir, kind)
            found: dict[tuple[str, ...], str] = {}
            if entry is not None:
                resolved = self._registry.resolver().lookup(entry.id + "#/$defs/demande")
                _walk_titles(resolved.contents, (), resolved.resolver, found, 0)
            self._titles[key] = found
        return self._titles[key]

    @cached_property
    def _fast_registry(self) -> jsonschema_rs.Registry:
        return jsonschema_rs.Registry(list(self._by_id.items()))

    def _fast_validator(self, couloir: str, kind: str, fragment: str, *, array: bool = False) -> Any:
        """jsonschema-rs's validator for `fragment` of the schema (for a list of such documents if `array`)."""
        key = (couloir, kind, fragment, array)
        if key not in self._fast:
            entry = self.entry(couloir, kind)
            if entry is None:
                self._fast[key] = None
                return None
            schema = {"$ref": entry.id + fragment}
            try:
                self._fast[key] = jsonschema_rs.validator_for(
                    {"type": "array", "items": schema} if array else schema,
                    registry=self._fast_registry, validate_formats=True, offline=True)
            except ValueError as exc:  # a reference to a schema that is not there, a bad regex...
                raise InputError(
                    _("Le schéma « {path} » est inutilisable : {detail}. Corrigez-le, ou retirez-le pour revenir "
                      "au schéma intégré.").format(path=entry.path, detail=exc)) from None
        return self._fast[key]

    def _errors(self, couloir: str, kind: str, fragment: str, document: Any) -> list[ValidationError] | None:
        fast = self._fast_validator(couloir, kind, fragment)
        if fast is None:
            return None
        if fast.is_valid(document):
            return []
        errors = sorted(self._validator(couloir, kind, fragment).iter_errors(document),
                        key=lambda e: list(e.absolute_path))
        if errors:
            return errors
        # The engines disagree (a regex dialect, say): keep the stricter verdict.
        from jsonschema.exceptions import ValidationError

        return [ValidationError(e.message, path=e.instance_path, instance=e.instance, validator="jsonschema-rs")
                for e in fast.iter_errors(document)]

    def requests_valid(self, couloir: str, kind: str, demandes: list[Any]) -> bool | None:
        """Whether every demande of the list is valid against `#/$defs/demande`; None: no schema.

        One call for many demandes: jsonschema-rs checks the whole list in Rust, where one
        call per demande, with the Python calls around it, took a third longer. Only the
        demandes of a list that fails need `request_errors`.
        """
        fast = self._fast_validator(couloir, kind, "#/$defs/demande", array=True)
        return None if fast is None else fast.is_valid(demandes)

    def request_errors(self, couloir: str, kind: str, demande: Any) -> list[ValidationError] | None:
        """Errors of one demande against the schema's `#/$defs/demande`; None: no schema."""
        return self._errors(couloir, kind, "#/$defs/demande", demande)

    def file_errors(self, couloir: str, kind: str, document: Any) -> list[ValidationError] | None:
        """Errors of a whole deposit file; None: no schema for its couloir and type."""
        return self._errors(couloir, kind, "", document)


def _walk_titles(node: Any, path: tuple[str, ...], resolver: Any, found: dict[tuple[str, ...], str], depth: int) -> None:
    if depth > 32 or not isinstance(node, dict):
        return
    if "title" in node:
        found.setdefault(path, node["title"])
    if "$ref" in node:
        resolved = resolver.lookup(node["$ref"])
        _walk_titles(resolved.contents, path, resolved.resolver, found, depth + 1)
    for sub in node.get("allOf", []):
        _walk_titles(sub, path, resolver, found, depth + 1)
    for name, sub in node.get("properties", {}).items():
        _walk_titles(sub, (*path, name), resolver, found, depth + 1)
    if isinstance(node.get("items"), dict):
        _walk_titles(node["items"], (*path, "*"), resolver, found, depth + 1)
