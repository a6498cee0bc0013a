"""The registry of the formats in force: which deposit format and JSON Schema govern each couloir and type.

A deposit format (`core/formats/store.py`) is an output template plus its
schemas. The built-in one is `schemas/` (« reconstitué »: our model of the
portal's JSON). In order, later winning for the same couloir and type:
the built-in format; loose schemas in `<user data>/schemas/` (replacing a
built-in schema with the same `x-couloir` and `x-type`, or `$id`); formats in
`<user data>/formats/`; loose schemas in a workspace's `schemas/`; formats in
a workspace's `formats/`. The registry remembers which file each schema came
from. References between schemas (`common.json#/$defs/...`) resolve from these
files only: never the network.

Two engines, one verdict: jsonschema-rs (Rust, ~100x faster here) decides
whether a document is valid; only for an invalid one does the reference
implementation, jsonschema, list the errors with the detail the French
messages need. 20k demandes validate in well under a second. jsonschema runs
patterns with Python's backtracking `re`: a schema whose pattern could make it
hang (`^(a|aa)+$`) is refused when it is loaded (`regexes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from segur_desktop.core.datafiles import load_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.formats.store import OFFICIAL_COPIES, DepositFormat, format_folders, load_format
from segur_desktop.core.formats.template import Template
from segur_desktop.core.i18n import _
from segur_desktop.core.paths import schemas_dir, user_data_dir
from segur_desktop.core.validate.regexes import patterns, risky

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
    format: DepositFormat  # the deposit format this schema belongs to: how its files are written
    demande: str  # the fragment of the schema that governs one demande ("#/properties/demandes/items")
    vague: str | None = None  # the wave it is for; None: any wave of its couloir and type

    @property
    def template(self) -> Template:
        return self.format.template


class SchemaRegistry:
    def __init__(self, folders: list[tuple[Path, str, str]]) -> None:
        """`folders`: (folder, origin, kind); kind "format" (a format folder), "formats" (a folder of them) or
        "schemas" (loose schemas replacing the built-in format's)."""
        self._by_id: dict[str, dict[str, Any]] = {}
        self.entries: dict[tuple[str, str], SchemaEntry] = {}  # (couloir, type) -> the entry for any wave
        self.by_vague: dict[tuple[str, str, str], SchemaEntry] = {}  # (couloir, type, vague) -> one wave's entry
        self.formats: list[DepositFormat] = []
        self._builtin: DepositFormat | None = None
        for folder, origin, kind in folders:
            if kind == "format":
                self._add_format(folder, origin)
            elif kind == "formats":
                for sub in format_folders(folder):
                    self._add_format(sub, origin)
            elif folder.is_dir():
                for path in sorted(folder.glob("*.json")):
                    self._add_schema(path, origin, self._builtin)
        self._validators: dict[tuple[str, str], Draft202012Validator] = {}  # (schema id, fragment)
        self._fast: dict[tuple[str, str, bool], jsonschema_rs.Validator] = {}  # (schema id, fragment, for a list)
        self._titles: dict[str, dict[tuple[str, ...], str]] = {}  # schema id ->

    @classmethod
    def default(cls, workspace_folder: Path | None = None) -> SchemaRegistry:
        user = user_data_dir()
        folders = [(schemas_dir(), _("intégré"), "format"), (user / "schemas", _("utilisateur"), "schemas"),
                   (user / "formats", _("utilisateur"), "formats")]
        if workspace_folder is not None:
            folders += [(workspace_folder / "schemas", _("dossier de travail"), "schemas"),
                        (workspace_folder / "formats", _("dossier de travail"), "formats")]
        return cls(folders)

    def _add_format(self, folder: Path, origin: str) -> None:
        loaded = load_format(folder, origin)
        if loaded is None:
            return
        deposit_format, covered = loaded
        self.formats.append(deposit_format)
        if self._builtin is None:
            self._builtin = deposit_format
        # Every schema of the folder is registered (common.json is referenced by the others); the ASP's model and
        # example kept beside an imported format are not schemas (a model may be a list, an example 5 MB).
        for path in sorted(folder.glob("*.json")):
            if path.name not in ("format.json", *OFFICIAL_COPIES) and all(c.schema != path for c in covered):
                self._register(path, deposit_format)
        for coverage in covered:
            self._add_schema(coverage.schema, origin, deposit_format, (coverage.couloir, coverage.type),
                             coverage.vague)

    def _register(self, path: Path, deposit_format: DepositFormat | None) -> tuple[str, dict[str, Any]]:
        schema = load_json(path)
        if not isinstance(schema, dict):
            raise InputError(_("Le schéma « {path} » n'est pas un objet JSON. Corrigez-le ou retirez ce fichier.").format(
                path=path))
        schema_id = schema.get("$id")
        if not schema_id and deposit_format is not None and deposit_format.folder == path.parent:
            schema_id = f"https://segur-desktop.invalid/formats/{deposit_format.id}/{path.name}"
            schema = dict(schema, **{"$id": schema_id})
        if not schema_id:
            raise InputError(_("Le schéma « {path} » n'a pas d'identifiant « $id ». Ajoutez-en un ou retirez ce fichier.").format(
                path=path))
        _refuse_risky_patterns(path, schema)
        self._by_id[schema_id] = schema
        return schema_id, schema

    def _add_schema(self, path: Path, origin: str, deposit_format: DepositFormat | None,
                    covers: tuple[str, str] | None = None, vague: str | None = None) -> None:
        schema_id, schema = self._register(path, deposit_format)
        couloir, kind = covers or (schema.get("x-couloir"), schema.get("x-type"))
        if not (couloir and kind):
            return
        if deposit_format is None:
            raise InputError(_("Le schéma « {path} » remplace un schéma du format intégré, introuvable. "
                               "Réinstallez l'application.").format(path=path))
        fragment = _demande_fragment(schema, deposit_format.template.demandes_path)
        if fragment is None and isinstance(schema.get("$defs"), dict) and "demande" in schema["$defs"]:
            fragment = "#/$defs/demande"  # a schema written like the built-in ones, its envelope elsewhere
        if fragment is None:
            raise InputError(_("Le schéma « {path} » ne décrit pas la liste « {where} » où le format « {format} » "
                               "place les demandes : une demande ne pourrait pas être vérifiée seule. Corrigez le "
                               "schéma ou le modèle du format.").format(
                path=path, where="/".join(deposit_format.template.demandes_path), format=deposit_format.id))
        entry = SchemaEntry(couloir, kind, str(schema.get("x-version", deposit_format.version)), schema_id, path,
                            origin, deposit_format, fragment, vague)
        if vague is None:
            self.entries[(couloir, kind)] = entry
        else:
            self.by_vague[(couloir, kind, vague)] = entry
            self.entries.setdefault((couloir, kind), entry)  # a couloir and type no other format covers

    @cached_property
    def _registry(self) -> Registry:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        return Registry().with_resources(
            (schema_id, Resource.from_contents(schema, default_specification=DRAFT202012))
            for schema_id, schema in self._by_id.items()
        )

    def entry(self, couloir: str, kind: str, vague: str | None = None) -> SchemaEntry | None:
        """The schema in force for a couloir and type, for `vague` when a format was imported for that wave only."""
        if vague is not None and (found := self.by_vague.get((couloir, kind, vague))) is not None:
            return found
        return self.entries.get((couloir, kind))

    def field_titles(self, couloir: str, kind: str, vague: str | None = None) -> dict[str, str]:
        """French titles of the canonical fields, as the schema in force titles the keys its format writes them to."""
        entry = self.entry(couloir, kind, vague)
        if entry is None:
            return {}
        titles = self.titles(couloir, kind, vague)
        found = {}
        for field_id in entry.template.used:
            pointer = entry.template.pointer_of(field_id)
            key = tuple("*" if p.isdigit() else p for p in pointer.split("/")[1:]) if pointer else None
            if key in titles:
                found[field_id] = titles[key]
        return found

    def _validator(self, entry: SchemaEntry, fragment: str) -> Draft202012Validator:
        key = (entry.id, fragment)
        if key not in self._validators:
            from jsonschema import Draft202012Validator

            self._validators[key] = Draft202012Validator(
                {"$ref": entry.id + fragment}, registry=self._registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER)
        return self._validators[key]

    def titles(self, couloir: str, kind: str, vague: str | None = None) -> dict[tuple[str, ...], str]:
        """French titles of a demande's fields by path ("*" for array items).

        A property's own title wins over the title of the definition it
        references: "Numéro du bon de commande", not "Texte".
        """
        entry = self.entry(couloir, kind, vague)
        if entry is None:
            return {}
        if entry.id not in self._titles:
            found: dict[tuple[str, ...], str] = {}
            resolved = self._registry.resolver().lookup(entry.id + entry.demande)
            _walk_titles(resolved.contents, (), resolved.resolver, found, 0)
            self._titles[entry.id] = found
        return self._titles[entry.id]

    @cached_property
    def _fast_registry(self) -> jsonschema_rs.Registry:
        return jsonschema_rs.Registry(list(self._by_id.items()))

    def _fast_validator(self, entry: SchemaEntry, fragment: str, *, array: bool = False) -> jsonschema_rs.Validator:
        """jsonschema-rs's validator for `fragment` of the schema (for a list of such documents if `array`)."""
        key = (entry.id, fragment, array)
        if key not in self._fast:
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

    def _errors(self, entry: SchemaEntry, fragment: str, document: Any) -> list[ValidationError]:
        fast = self._fast_validator(entry, fragment)
        if fast.is_valid(document):
            return []
        errors = sorted(self._validator(entry, fragment).iter_errors(document),
                        key=lambda e: list(e.absolute_path))
        if errors:
            return errors
        # The engines disagree (a regex dialect, say): keep the stricter verdict.
        from jsonschema.exceptions import ValidationError

        return [ValidationError(e.message, path=e.instance_path, instance=e.instance, validator="jsonschema-rs")
                for e in fast.iter_errors(document)]

    def requests_valid(self, couloir: str, kind: str, demandes: list[Any], vague: str | None = None) -> bool | None:
        """Whether every (rendered) demande of the list is valid against the schema's demande; None: no schema.

        One call for many demandes: jsonschema-rs checks the whole list in Rust, where one
        call per demande, with the Python calls around it, took a third longer. Only the
        demandes of a list that fails need `request_errors`.
        """
        entry = self.entry(couloir, kind, vague)
        if entry is None:
            return None
        return self._fast_validator(entry, entry.demande, array=True).is_valid(demandes)

    def request_errors(self, couloir: str, kind: str, demande: Any,
                       vague: str | None = None) -> list[ValidationError] | None:
        """Errors of one rendered demande against the schema's demande; None: no schema."""
        entry = self.entry(couloir, kind, vague)
        return None if entry is None else self._errors(entry, entry.demande, demande)

    def file_errors(self, couloir: str, kind: str, document: Any,
                    vague: str | None = None) -> list[ValidationError] | None:
        """Errors of a whole deposit file; None: no schema for its couloir and type."""
        entry = self.entry(couloir, kind, vague)
        return None if entry is None else self._errors(entry, "", document)


def _refuse_risky_patterns(path: Path, schema: dict[str, Any]) -> None:
    """A pattern that could make the explanation of an error hang (see `regexes`) stops the schema from loading."""
    for pattern in patterns(schema):
        reason = risky(pattern)
        if reason:
            raise InputError(_("Le schéma « {path} » contient le motif « {pattern} », qui pourrait bloquer la "
                               "vérification de longues valeurs ({reason}). Réécrivez ce motif sans groupe répété "
                               "contenant une répétition ou des alternatives ambiguës (par exemple « ^a+$ » au lieu "
                               "de « ^(a|aa)+$ »), ou retirez ce fichier pour revenir au schéma intégré.").format(
                path=path, pattern=pattern, reason=reason))


def _demande_fragment(schema: dict[str, Any], path: tuple[str, ...]) -> str | None:
    """The JSON pointer fragment, in `schema`, of one element of the list at `path` ("#/properties/lignes/items").

    Follows `properties` and, for a schema written with them, local `$ref`s and `allOf` branches.
    """
    def walk(node: Any, pointer: str, rest: tuple[str, ...], depth: int) -> str | None:
        if depth > 32 or not isinstance(node, dict):
            return None
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target: Any = schema
            for part in ref[2:].split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(target, dict) else None
            found = walk(target, ref[1:], rest, depth + 1)
            if found:
                return found
        if not rest:
            return f"#{pointer}/items" if isinstance(node.get("items"), dict) else None
        properties = node.get("properties")
        if isinstance(properties, dict) and rest[0] in properties:
            escaped = rest[0].replace("~", "~0").replace("/", "~1")
            found = walk(properties[rest[0]], f"{pointer}/properties/{escaped}", rest[1:], depth + 1)
            if found:
                return found
        for i, branch in enumerate(node.get("allOf", []) if isinstance(node.get("allOf"), list) else []):
            found = walk(branch, f"{pointer}/allOf/{i}", rest, depth + 1)
            if found:
                return found
        return None
    return walk(schema, "", path, 0)


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
