"""From the ASP's official model to a deposit format: a draft schema and a proposed mapping.

The ASP publishes, in the « documents utiles » of each guichet, a blank JSON model and an
example JSON (seed 004: « la documentation JSON et les modèles de fichier »). The vendor has
them; the product works offline. `propose` reads them and drafts:
- a schema: the model's keys, nesting and arrays; every key of the model required; types,
  date and amount patterns from the example's values (or the official schema, if given);
- a template (`core/formats/template.py`): each key of the model matched to a canonical field
  by its name, its parent's name and the example's value (a date goes to a date, 14 digits to
  a SIRET…), never by a guess below a threshold: a key without a source stays « à renseigner »
  and is reported, as is every canonical field left unused;
- what the user said instead (`--field CHEMIN=CHAMP`, `--constant CHEMIN=VALEUR`).
`save` writes the format folder atomically; nothing is written when anything is wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from segur_desktop.core.atomic import dump_json, publish, remove
from segur_desktop.core.datafiles import schema_errors
from segur_desktop.core.errors import InputError
from segur_desktop.core.formats.canonical import Catalog, canonical_catalog
from segur_desktop.core.formats.matching import AMOUNT_TEXT, Matcher, date_pattern, leaf_directive, words
from segur_desktop.core.formats.official import (
    contradictions,
    demandes_path,
    item_parts,
    lists_filled,
    path_text,
    read_official,
)
from segur_desktop.core.formats.store import EXAMPLE_COPY, FORMAT_FILE, MODEL_COPY
from segur_desktop.core.formats.template import DEMANDES, PIECES, Template, TemplateError, compile_template
from segur_desktop.core.i18n import _
from segur_desktop.core.oserrors import advice_write, reason
from segur_desktop.core.validate.french import describe

SCHEMA_FILE = "schema.json"


@dataclass
class Mapped:
    path: str  # "lignes[].finessGeo"
    field_id: str | None  # None: a constant or a gap
    how: str  # "proposé", "demandé", "constante", "à renseigner"
    value: Any = None  # the constant, or what the model had
    example: Any = None  # the example's value there: how a date or an amount is written
    scope: str = "demande"  # "fichier", "demande" or "pieces": which fields it can take
    candidates: tuple[str, ...] = ()  # a gap's equally likely fields: the user chooses, the product never does


@dataclass
class Proposal:
    format_id: str
    couloir: str
    type: str
    vague: str | None
    model: Any
    example: Any | None
    schema: dict[str, Any]
    template: dict[str, Any]
    mapped: list[Mapped] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)  # canonical fields the format does not write
    asked: set[str] = field(default_factory=set)  # the keys the user mapped (--field, --constant)
    drafted: bool = True  # the schema is drafted from the model (False: the ASP's own, never changed)

    @property
    def gaps(self) -> list[Mapped]:
        return [m for m in self.mapped if m.how == "à renseigner"]

    def choose(self, path: str, *, field_id: str | None = None, constant: Any = None, fixed: bool = False) -> None:
        """The user's choice for one key of the model (the window's dropdowns): a canonical field, a fixed value
        (`fixed`), or nothing yet (a gap). TemplateError (French) for a field the catalogue does not have."""
        mapped = next(m for m in self.mapped if m.path == path)
        if fixed:
            directive: dict[str, Any] = {"$constante": constant}
            mapped.field_id, mapped.how, mapped.value = None, "constante", constant
        elif field_id:
            catalog = canonical_catalog()
            known = catalog.get(f"{PIECES}[].{field_id}" if mapped.scope == PIECES else field_id) or catalog.get(field_id)
            if known is None:
                raise TemplateError(f"« {field_id} » n'est pas un champ du produit")
            directive = leaf_directive(known, mapped.example if mapped.example is not None else mapped.value)
            mapped.field_id, mapped.how = known.id, "demandé"
        else:
            directive = {"$a_renseigner": mapped.value if mapped.how == "à renseigner" else ""}
            mapped.field_id, mapped.how = None, "à renseigner"
        self.asked.add(path)
        if self.drafted:
            _amounts_as_numbers(self.schema, self.mapped, canonical_catalog())
        keys = [part.removesuffix("[]") for part in path.split(".")]
        node: Any = self.template
        for key in keys[:-1]:
            node = node[key] if key else node  # "" is the top of a model that is a list: "[].numeroBdc"
            if isinstance(node, dict) and "$chaque" in node:
                node = node["$modele"]
        node[keys[-1]] = directive

    def compiled(self) -> Template:
        """The draft as a template (TemplateError, French, when a choice does not fit where it is)."""
        return compile_template(self.template, canonical_catalog())

    def report(self, catalog: Catalog | None = None) -> list[str]:
        """The mapping in French, one line per key, then what is missing and what is unused."""
        catalog = catalog or canonical_catalog()
        lines = [_("Format « {id} » pour les demandes {type} du couloir {couloir} :").format(
            id=self.format_id, type=self.type, couloir=self.couloir)]
        for m in self.mapped:
            if m.field_id:
                lines.append(f"  {m.path:<40} ← {catalog.label(m.field_id)} ({m.field_id}, {m.how})")
            elif m.how == "constante":
                lines.append(f"  {m.path:<40} ← " + _("valeur fixe {value}").format(
                    value=json.dumps(m.value, ensure_ascii=False)) + (_(" (celle du modèle et de l'exemple)")
                                                                      if m.path not in self.asked else ""))
        if self.gaps:
            lines.append(_("{n} clé(s) du modèle sans source (le format est incomplet tant qu'elles n'en ont pas) :")
                         .format(n=len(self.gaps)))
            lines += [f"  - {m.path}" + (_(" (le modèle y met {value})").format(
                value=json.dumps(m.value, ensure_ascii=False)) if m.value not in (None, "") else "")
                + (_(" (l'exemple y met {value})").format(value=json.dumps(m.example, ensure_ascii=False))
                   if m.example not in (None, "", m.value) else "")
                + (_(" (ambiguë : {fields})").format(fields=_(" ou ").join(m.candidates)) if m.candidates else "")
                for m in self.gaps]
            lines.append("  " + _("→ Donnez-leur un champ (--field CLÉ=CHAMP) ou une valeur fixe (--constant "
                                  "CLÉ=VALEUR)."))
        if "demande.id" in self.unused:
            lines.append(_("Ce format n'écrit pas l'identifiant de la demande (demande.id) : le suivi ne pourra pas "
                           "enregistrer ses exports tant qu'aucune clé ne le porte (--field CLÉ=demande.id)."))
        if self.unused:
            lines.append(_("Champs du produit que ce format n'écrit pas : {fields}.").format(
                fields=", ".join(self.unused)))
        return lines

def _leaf_schema(model_value: Any, example_value: Any) -> dict[str, Any]:
    value = example_value if example_value is not None else model_value
    if isinstance(model_value, str) and "|" in model_value and model_value.strip("|"):
        return {"enum": [v.strip() for v in model_value.split("|") if v.strip()]}  # « AVANCE|SOLDE » in a blank model
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, str):
        schema: dict[str, Any] = {"type": "string"}
        pattern = date_pattern(value)
        if pattern == "AAAA-MM-JJ":
            schema |= {"format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
        elif pattern and pattern.startswith("AAAA-MM-JJ"):  # a midnight instant
            schema["pattern"] = r"^\d{4}-\d{2}-\d{2}" + re.escape(pattern.removeprefix("AAAA-MM-JJ")) + "$"
        elif pattern:
            schema["pattern"] = r"^\d{2}" + re.escape(pattern[2]) + r"\d{2}" + re.escape(pattern[2]) + r"\d{4}$"
        elif AMOUNT_TEXT.match(value):
            schema["pattern"] = r"^-?\d+" + re.escape(value[-3]) + r"\d{2}$"
        return schema
    return {}


def infer_schema(model: Any, example: Any, parts: list[str], demandes: list[str]) -> dict[str, Any]:
    """A draft JSON Schema (2020-12) of the model: every key required, no other key, types from the example."""
    if isinstance(model, dict):
        example = example if isinstance(example, dict) else {}
        return {"type": "object", "required": list(model),
                "properties": {key: infer_schema(value, example.get(key), [*parts, key], demandes)
                               for key, value in model.items()},
                "additionalProperties": False}
    if isinstance(model, list):
        items = example if isinstance(example, list) and example else model
        item_schema = infer_schema(model[0] if model else {}, items[0] if items else None, [*parts, "[]"], demandes)
        schema: dict[str, Any] = {"type": "array", "items": item_schema}
        if parts == demandes:
            schema["minItems"] = 1
        return schema
    return _leaf_schema(model, example)


def _amounts_as_numbers(schema: dict[str, Any], mapped: list[Mapped], catalog: Catalog) -> dict[str, Any]:
    """An amount the example writes as a whole number (« "montant": 3000 ») is a number, not an integer: the draft
    schema would refuse every demande of 1 234,56 €."""
    for m in mapped:
        known = catalog.get(m.field_id or "") or catalog.get(f"{PIECES}[].{m.field_id}")
        if known is None or known.type != "montant":
            continue
        node: Any = schema
        for part in m.path.split("."):
            if part.removesuffix("[]"):
                node = node.get("properties", {}).get(part.removesuffix("[]"), {})
            if part.endswith("[]"):
                node = node.get("items", {})
        if node.get("type") == "integer":
            node["type"] = "number"
    return schema

class _Drafter:
    def __init__(self, catalog: Catalog, demandes: list[str], fields: dict[str, str], constants: dict[str, Any]):
        self.catalog, self.matcher, self.demandes = catalog, Matcher(catalog), demandes
        self.fields, self.constants = fields, constants
        self.mapped: list[Mapped] = []
        self.seen_paths: set[str] = set()

    def node(self, model: Any, example: Any, parts: list[str], scope: str) -> Any:
        where = path_text(parts)
        self.seen_paths.add(where)
        if isinstance(model, dict):
            example = example if isinstance(example, dict) else {}
            return {key: self.node(value, example.get(key), [*parts, key], scope) for key, value in model.items()}
        if isinstance(model, list):
            # The example's first item; without an example, none: the model's placeholders are not values it gives.
            shown = example[0] if isinstance(example, list) and example else None
            inner = item_parts(parts)
            if parts == self.demandes:
                return {"$chaque": DEMANDES, "$modele": self.node(model[0], shown, inner, "demande")}
            if scope == "demande" and model and isinstance(model[0], dict) and (
                    words(parts[-1]) in self.catalog.fields[PIECES].synonyms or self._pieces_like(model[0])):
                self.seen_paths.add(path_text(inner))
                return {"$chaque": PIECES, "$modele": self.node(model[0], shown, inner, PIECES)}
            return [self.node(item, None, inner, scope) for item in model]
        return self.leaf(model, example, parts, scope)

    def _pieces_like(self, item: dict[str, Any]) -> bool:
        return sum(1 for key in item if self.matcher.best(key, [], PIECES, None)[0] is not None) >= 2

    def leaf(self, model_value: Any, example_value: Any, parts: list[str], scope: str) -> Any:
        where = path_text(parts)
        like = example_value if example_value is not None else model_value  # how the value is written
        if where in self.constants:
            value = typed_constant(self.constants[where], example_value if example_value is not None else model_value)
            self.mapped.append(Mapped(where, None, "constante", value, example_value, scope))
            return {"$constante": value}
        if where in self.fields:
            field_id = self.fields[where]
            known = self.catalog.get(f"{PIECES}[].{field_id}" if scope == PIECES else field_id) \
                or self.catalog.get(field_id)
            if known is None:
                raise InputError(_("--field {path}={field} : « {field} » n'est pas un champ du produit (segur-desktop "
                                   "format fields les liste).").format(path=where, field=field_id))
            self.mapped.append(Mapped(where, known.id, "demandé", model_value, example_value, scope))
            return leaf_directive(known, like)
        found, tied = self.matcher.best(parts[-1].removesuffix("[]") if parts else "", parts[:-1], scope, like)
        if found is None and not tied and model_value not in (None, "", 0) and model_value == example_value:
            # The same value in the blank model and in the example (« versionModele »: "2.1"): the format's own.
            self.mapped.append(Mapped(where, None, "constante", model_value, example_value, scope))
            return {"$constante": model_value}
        if found is None:
            self.mapped.append(Mapped(where, None, "à renseigner", model_value, example_value, scope, tied))
            return {"$a_renseigner": model_value if model_value is not None else ""}
        self.mapped.append(Mapped(where, found.id, "proposé", model_value, example_value, scope))
        return leaf_directive(found, like)


def typed_constant(text: str, like: Any) -> Any:
    """A fixed value typed by the user, of the type the official model has there: « 2.1 » stays text where the
    model writes text, becomes a number where it writes a number (a wrong type would fail the portal's schema)."""
    text = text.strip()
    try:
        if isinstance(like, bool):
            return text.casefold() in ("true", "vrai", "oui", "1")
        if isinstance(like, int):
            return int(text)
        if isinstance(like, float):
            return float(text.replace(",", "."))
    except ValueError:
        return text
    return text


def _parse_assignments(pairs: list[str], option: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in pairs:
        path, sep, value = pair.partition("=")
        if not sep or not path.strip():
            raise InputError(_("{option} attend CHEMIN=VALEUR (ex. {option} lignes[].code=ABC), pas « {pair} ».").format(
                option=option, pair=pair))
        found[path.strip()] = value.strip()
    return found


def propose(model_path: Path, *, couloir: str, request_type: str, vague: str | None = None,
            example_path: Path | None = None, schema_path: Path | None = None, demandes: str | None = None,
            fields: Sequence[str] = (), constants: Sequence[str] = (), format_id: str | None = None) -> Proposal:
    """Read the official model (and example, and schema) and draft the format; InputError (French) when they
    cannot be used: nothing is saved by this function."""
    catalog = canonical_catalog()
    model = read_official(model_path, _("modèle"))
    example = read_official(example_path, _("fichier d'exemple")) if example_path else None
    given_schema = read_official(schema_path, _("schéma")) if schema_path else None
    if example is not None:
        model = lists_filled(model, example)
    path = demandes_path(model, demandes, model_path.name)
    if example is not None:
        problems = contradictions(model, example, [])
        if problems:
            raise InputError(_("L'exemple « {example} » contredit le modèle « {model} » : {problems}. Vérifiez que ce "
                               "sont les deux fichiers du même guichet.").format(
                example=example_path, model=model_path, problems="; ".join(problems[:5])))
    drafter = _Drafter(catalog, path, _parse_assignments(list(fields), "--field"),
                       _parse_assignments(list(constants), "--constant"))
    template = drafter.node(model, example, [], "fichier")
    for asked in [*drafter.fields, *drafter.constants]:
        if asked not in drafter.seen_paths:
            raise InputError(_("« {path} » n'est pas une clé du modèle « {model} » (clés : {known}…).").format(
                path=asked, model=model_path.name, known=", ".join(sorted(drafter.seen_paths - {"/"})[:8])))
    try:
        compiled = compile_template(template, catalog)
    except TemplateError as exc:
        raise InputError(_("Le format proposé est inutilisable : {detail}.").format(detail=exc)) from None
    schema = given_schema if given_schema is not None else _amounts_as_numbers(
        infer_schema(model, example, [], path), drafter.mapped, catalog)
    if example is not None:
        problems = [describe(e) for e in sorted(schema_errors(example, schema), key=lambda e: list(e.path))]
        if problems:
            raise InputError(_("L'exemple « {example} » ne passe pas le schéma {which} : {problem}. Vérifiez que ce "
                               "sont les fichiers du même guichet.").format(
                example=example_path, which=_("fourni") if given_schema is not None else _("déduit du modèle"),
                problem=problems[0].rstrip(".")))
    unused = [f.id for f in catalog.top_level() if f.id not in compiled.used and f.type != "liste"]
    if PIECES not in {u.split("[]")[0] for u in compiled.used}:
        unused.append(PIECES)
    identifier = format_id or "-".join(["officiel", couloir, request_type] + ([f"v{vague}"] if vague else []))
    return Proposal(identifier, couloir, request_type, vague, model, example, schema, template, drafter.mapped, unused,
                    set(drafter.fields) | set(drafter.constants), given_schema is None)


def save(proposal: Proposal, parent: Path, *, model_path: Path, example_path: Path | None = None,
         replace: bool = False, name: str | None = None, version: str | None = None) -> Path:
    """Write the format folder `parent/<id>` (format.json, schema.json, the official files as given), all at once."""
    target = parent / proposal.format_id
    if target.exists() and not replace:
        raise InputError(_("Un format « {id} » existe déjà dans « {parent} ». Ajoutez --replace pour le "
                           "remplacer.").format(id=proposal.format_id, parent=parent))
    seen = date.today().isoformat()
    sources = [{"titre": _("Modèle de JSON vierge de l'ASP"), "fichier": model_path.name, "vu_le": seen}]
    if example_path:
        sources.append({"titre": _("Exemple de JSON de l'ASP"), "fichier": example_path.name, "vu_le": seen})
    spec = {
        "format": proposal.format_id,
        "nom": name or _("Format officiel ASP — {couloir} {type}").format(couloir=proposal.couloir, type=proposal.type),
        "version": version or seen,
        "statut": "officiel",
        "description": _("Importé du modèle officiel de l'ASP par segur-desktop format import."),
        "sources": sources,
        "vague": proposal.vague,
        "schemas": [{"couloir": proposal.couloir, "type": proposal.type, "fichier": SCHEMA_FILE}
                    | ({"vague": proposal.vague} if proposal.vague else {})],
        "modele": proposal.template,
    }
    schema = dict(proposal.schema)
    schema.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
    schema["$id"] = f"https://segur-desktop.invalid/formats/{proposal.format_id}/{SCHEMA_FILE}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        temp = parent / f".{proposal.format_id}.tmp"
        remove(temp)
        temp.mkdir()
        (temp / FORMAT_FILE).write_bytes(dump_json(spec))
        (temp / SCHEMA_FILE).write_bytes(dump_json(schema))
        (temp / MODEL_COPY).write_bytes(model_path.read_bytes())
        if example_path:
            (temp / EXAMPLE_COPY).write_bytes(example_path.read_bytes())
        if target.exists():
            remove(target)
        return publish(temp, parent, proposal.format_id, "")
    except OSError as exc:
        remove(parent / f".{proposal.format_id}.tmp")
        raise InputError(_("Impossible d'écrire le format dans « {parent} » ({reason}). {advice}").format(
            parent=parent, reason=reason(exc), advice=advice_write(exc))) from None
