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
from segur_desktop.core.datafiles import parse_json, read_limited, schema_errors
from segur_desktop.core.errors import InputError
from segur_desktop.core.formats.canonical import Catalog, Field, canonical_catalog
from segur_desktop.core.formats.store import EXAMPLE_COPY, FORMAT_FILE, MODEL_COPY
from segur_desktop.core.formats.template import DEMANDES, PIECES, Template, TemplateError, compile_template
from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.text import match_key
from segur_desktop.core.oserrors import advice_write, reason
from segur_desktop.core.validate.french import describe

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
SCHEMA_FILE = "schema.json"
THRESHOLD = 3  # below: no proposal, the key is « à renseigner »

# A parent key's words -> the group of canonical fields it holds.
GROUPS = {
    "beneficiaire": ("beneficiaire", "etablissement", "client", "structure", "professionnel", "ps", "es", "esms",
                     "acheteur", "operateur", "titulaire"),
    "editeur": ("editeur", "demandeur", "fournisseur", "industriel", "distributeur", "deposant"),
    "bdc": ("bdc", "bon", "commande", "bondecommande"),
    "facture": ("facture",),
    "solution": ("solution", "logiciel", "produit"),
    "justificatif": ("justificatif", "mom", "va", "installation"),
}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A date written as a midnight instant (« 2022-09-01T00:00:00.000Z », as Java's serialisers write a LocalDate's
# Date): the date, then the same midnight written as is.
_ISO_MIDNIGHT = re.compile(r"^\d{4}-\d{2}-\d{2}(T00:00(?::00(?:\.0+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$")
_FR_DATE = re.compile(r"^(\d{2})([/.-])(\d{2})\2(\d{4})$")
# A blank model's placeholder saying how a date is written: « JJ/MM/AAAA », « AAAA-MM-JJ », « dd/mm/yyyy »…
_DATE_PLACEHOLDER = re.compile(r"^(?:(?:JJ|DD)([/.-])MM\1(?:AAAA|YYYY)|(?:AAAA|YYYY)-MM-(?:JJ|DD))$", re.IGNORECASE)
_NUMBER_WORD = re.compile(r"^(?:numero|num|no|n) (?=\S)")  # « numéroSiret », « nSiret »: the number of a SIRET
_AMOUNT_TEXT = re.compile(r"^-?\d+[.,]\d{2}$")


def words(key: str) -> str:
    """"finessGeo" -> "finess geo", "montant_demande_HT" -> "montant demande ht"."""
    return match_key(_CAMEL.sub(" ", key).replace("_", " "))


def _path_text(parts: list[str]) -> str:
    return ".".join(parts) or "/"


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
            directive = _leaf_directive(known, mapped.example if mapped.example is not None else mapped.value)
            mapped.field_id, mapped.how = known.id, "demandé"
        else:
            directive = {"$a_renseigner": mapped.value if mapped.how == "à renseigner" else ""}
            mapped.field_id, mapped.how = None, "à renseigner"
        self.asked.add(path)
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


def read_official(path: Path, what: str) -> Any:
    """A model, example or schema file: JSON of at most 5 MB, 64 levels, not empty."""
    if not path.is_file():
        raise InputError(_("Le {what} « {path} » est introuvable. Vérifiez le chemin.").format(what=what, path=path))
    if path.stat().st_size > MAX_BYTES:
        raise InputError(_("Le {what} « {path} » fait plus de 5 Mo : ce n'est pas un modèle ou un exemple de fichier "
                           "de demandes. Choisissez les fichiers fournis par l'ASP, ou gardez quelques demandes de "
                           "cet exemple (une suffit à montrer comment chaque valeur s'écrit).").format(
            what=what, path=path))
    content = read_limited(path, MAX_BYTES)
    try:
        document = parse_json(content, name=path, max_bytes=MAX_BYTES, max_depth=MAX_DEPTH)
    except InputError:
        uncommented = _without_comments(content)
        if uncommented is None:
            raise
        document = parse_json(uncommented, name=path, max_bytes=MAX_BYTES, max_depth=MAX_DEPTH)
    if isinstance(document, list) and document and isinstance(document[0], dict) and document[0]:
        return document  # a file that is the list of demandes itself: « [{…}] »
    if not isinstance(document, dict) or not document:
        raise InputError(_("Le {what} « {path} » est vide ou n'est ni un objet JSON ni une liste d'objets : le modèle "
                           "de l'ASP décrit un fichier de demandes (un objet qui contient la liste des demandes, ou "
                           "cette liste elle-même).").format(what=what, path=path))
    return document


_COMMENT_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/', re.DOTALL)


def _without_comments(content: bytes) -> str | None:
    """A model documented with comments (« // à renseigner », « /* AVANCE ou SOLDE */ »), which JSON does not allow
    but a published model may hold: the text without them; None when it has none (its error stands)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    stripped = _COMMENT_OR_STRING.sub(lambda m: m.group(0) if m.group(0).startswith('"') else " ", text)
    return stripped if stripped != text else None


def _lists(node: Any, parts: list[str]) -> list[tuple[list[str], list[Any]]]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                found.append(([*parts, key], value))
            elif isinstance(value, dict):
                found += _lists(value, [*parts, key])
    return found


def demandes_path(model: dict[str, Any] | list[Any], given: str | None, name: str = "") -> list[str]:
    """Where the model holds its list of demandes: the path given, else its only (or largest) list of objects; a
    model that is a list holds them at its top."""
    if isinstance(model, list):
        return []
    if given:
        parts = [p for p in given.replace("[]", "").split(".") if p]
        node: Any = model
        for part in parts:
            node = node.get(part) if isinstance(node, dict) else None
        if not (isinstance(node, list) and node and isinstance(node[0], dict)):
            raise InputError(_("« {path} » n'est pas une liste d'objets du modèle : indiquez où sont les demandes "
                               "(ex. --requests lignes).").format(path=given))
        return parts
    candidates = _lists(model, [])
    if not candidates:
        raise InputError(_("Le modèle « {name} » n'a pas de liste d'objets où mettre les demandes (ex. « demandes »: "
                           "[{{…}}]). Vérifiez que c'est le modèle de fichier de demandes de l'ASP ; si ses listes "
                           "sont vides (« demandes »: []), donnez aussi l'exemple de JSON de l'ASP, qui montre "
                           "ce qu'une demande contient.").format(name=name))
    return max(candidates, key=lambda c: (len(c[1][0]), -len(c[0])))[0]


def _at(document: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(document, dict):
            document = document.get(part)
        elif isinstance(document, list) and document:
            document = document[0]
        else:
            return None
    return document


def _contradictions(model: Any, example: Any, parts: list[str]) -> list[str]:
    """Where the example does not have the model's shape (a key the model lacks, an object for a list…)."""
    where = _path_text(parts)
    if isinstance(model, dict):
        if not isinstance(example, dict):
            return [_("{path} : un objet dans le modèle, pas dans l'exemple").format(path=where)]
        found = [_("{path} : clé de l'exemple absente du modèle").format(path=_path_text([*parts, key]))
                 for key in example if key not in model]
        for key in model:
            if key in example:
                found += _contradictions(model[key], example[key], [*parts, key])
        return found
    if isinstance(model, list):
        if not isinstance(example, list):
            return [_("{path} : une liste dans le modèle, pas dans l'exemple").format(path=where)]
        if model and example:
            return [p for item in example for p in _contradictions(model[0], item, _item_parts(parts))][:20]
        return []
    if isinstance(example, (dict, list)):
        return [_("{path} : une valeur simple dans le modèle, pas dans l'exemple").format(path=where)]
    return []


def _item_parts(parts: list[str]) -> list[str]:
    """"lignes" -> "lignes[]", the top of a model that is a list -> "[]": how a list's elements are named."""
    return [*parts[:-1], parts[-1] + "[]"] if parts else ["[]"]


def _blank(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _blank(sub) for key, sub in value.items()}
    if isinstance(value, list):
        return [_blank(value[0])] if value else []
    return None


def _lists_filled(model: Any, example: Any) -> Any:
    """The model with each empty list (« "demandes": [] », as a blank model often has it) given the shape of the
    example's first element there, its values left blank, and each null the example fills with an object or a list
    (« "beneficiaire": null ») that shape: the model says where things are, the example what they hold."""
    if model is None and isinstance(example, (dict, list)):
        return _blank(example)
    if isinstance(model, dict) and isinstance(example, dict):
        return {key: _lists_filled(value, example.get(key)) for key, value in model.items()}
    if isinstance(model, list) and isinstance(example, list) and example:
        if not model:
            return [_blank(example[0])] if isinstance(example[0], dict) else model
        return [_lists_filled(model[0], example[0]), *model[1:]]
    return model


def _date_pattern(value: Any) -> str | None:
    """How `value` writes a date: a date itself (« 01/09/2022 ») or a blank model's placeholder (« JJ/MM/AAAA »)."""
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            return "AAAA-MM-JJ"
        found = _ISO_MIDNIGHT.match(value)
        if found:
            return "AAAA-MM-JJ" + found.group(1)
        found = _FR_DATE.match(value)
        if found:
            return f"JJ{found.group(2)}MM{found.group(2)}AAAA"
        found = _DATE_PLACEHOLDER.match(value)
        if found:
            return f"JJ{found.group(1)}MM{found.group(1)}AAAA" if found.group(1) else "AAAA-MM-JJ"
    return None


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
        pattern = _date_pattern(value)
        if pattern == "AAAA-MM-JJ":
            schema |= {"format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
        elif pattern and pattern.startswith("AAAA-MM-JJ"):  # a midnight instant
            schema["pattern"] = r"^\d{4}-\d{2}-\d{2}" + re.escape(pattern.removeprefix("AAAA-MM-JJ")) + "$"
        elif pattern:
            schema["pattern"] = r"^\d{2}" + re.escape(pattern[2]) + r"\d{2}" + re.escape(pattern[2]) + r"\d{4}$"
        elif _AMOUNT_TEXT.match(value):
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


class _Matcher:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def candidates(self, scope: str, group: str | None = None) -> list[Field]:
        """The fields a key can take where it is; inside a demande, the vendor's (one per file, repeated in each
        demande) only under a parent naming it (« demandeur »): a bare « siret » there is the beneficiary's."""
        if scope == "fichier":
            return [f for f in self.catalog.top_level() if f.level == "fichier" or f.id in ("demande.couloir",
                                                                                          "demande.type")]
        if scope == PIECES:
            return [f for f in self.catalog.fields.values() if f.id.startswith(f"{PIECES}[].")]
        return [f for f in self.catalog.top_level() if f.type != "liste" and (
            f.level == "demande" or (group == "editeur" and f.id.startswith("editeur.")))]

    @staticmethod
    def _group(parents: list[str]) -> str | None:
        for parent in reversed(parents):
            tokens = set(words(parent).split()) | {words(parent).replace(" ", "")}
            for group, names in GROUPS.items():
                if tokens & set(names):
                    return group
        return None

    @staticmethod
    def _fits(f: Field, value: Any) -> bool:
        if value is None or value == "":
            return True
        if f.type == "date":
            return _date_pattern(value) is not None
        if f.type == "montant":
            return isinstance(value, (int, float)) and not isinstance(value, bool) or (
                isinstance(value, str) and bool(_AMOUNT_TEXT.match(value) or value.isdigit()))
        if _date_pattern(value) is not None:
            return False
        if f.id.endswith(".siret"):
            return str(value).replace(" ", "").isdigit() and len(str(value).replace(" ", "")) == 14
        if f.type == "code" and f.values and isinstance(value, str):
            return portal_codes(f, value) is not None
        return not isinstance(value, (dict, list))

    def score(self, f: Field, key: str, parents: list[str], value: Any) -> int:
        key_words = words(key)
        tail = f.id.split(".")[-1].replace("_", " ")
        group, field_group = self._group(parents), f.id.split(".")[0].removesuffix("[]")
        bare = _NUMBER_WORD.sub("", key_words)
        score = 0
        if key_words in f.synonyms or key_words == match_key(f.label):
            score = 4
        elif key_words == tail or key_words.replace(" ", "") == tail.replace(" ", ""):
            score = 4
        elif bare != key_words and (bare in f.synonyms or bare == tail):
            score = 4
        elif f"{field_group} {key_words}" in f.synonyms or f"{key_words} {field_group}" in f.synonyms:
            score = 3  # « montant » read as « montant bdc »: below a field that is called so outright
        elif any(s and (s in key_words or key_words in s) and len(min(s, key_words, key=len)) >= 4
                 for s in f.synonyms):
            score = 2
        if score and group is not None:
            score += 2 if group == field_group else -1
        return score if self._fits(f, value) else 0

    def best(self, key: str, parents: list[str], scope: str, value: Any) -> tuple[Field | None, tuple[str, ...]]:
        """(the field this key takes, or None; the fields it could take as likely: two or more, and it takes none).

        A tie is said, never settled by the catalogue's order: « montantHt » beside « montantDemande » is the
        order's or the request's amount, which only the user knows."""
        scored = sorted(((self.score(f, key, parents, value), i, f)
                         for i, f in enumerate(self.candidates(scope, self._group(parents)))), key=lambda t: (-t[0], t[1]))
        if not scored or scored[0][0] < THRESHOLD:
            return None, ()
        tied = tuple(f.id for s, _i, f in scored if s == scored[0][0])
        return (scored[0][2], ()) if len(tied) == 1 else (None, tied)


def _leaf_directive(f: Field, example_value: Any) -> dict[str, Any]:
    directive: dict[str, Any] = {"$champ": f.id.split("[].")[-1] if "[]." in f.id else f.id}
    if f.type == "date":
        directive["$format"] = _date_pattern(example_value) or "AAAA-MM-JJ"
    elif f.type == "montant":
        if isinstance(example_value, (int, float)) and not isinstance(example_value, bool):
            directive["$format"] = "nombre"
        elif isinstance(example_value, str) and "," in example_value:
            directive["$format"] = "virgule"
        else:
            directive["$format"] = "texte"
    elif f.type == "code" and f.values and isinstance(example_value, str) and example_value:
        codes = portal_codes(f, example_value)
        if codes:
            directive["$valeurs"] = codes
    return directive


def _code_words(code: str) -> str:
    """« Cas 1 » -> a pattern finding it in « CAS_1 », « cas-1 », « DEMANDE_CAS 1 »."""
    return r"[\s_-]?".join(re.escape(word) for word in code.split())


def portal_codes(f: Field, written: str) -> dict[str, str] | None:
    """How the portal writes each of `f`'s codes, from what the model or example writes there: « AVANCE|SOLDE »
    (the model's choices), « DEMANDE_AVANCE » (the example's value: « solde » is then « DEMANDE_SOLDE »), « Cas 1 »;
    {} when they are written as the product's own; None when `written` is none of them (« A », « Bon de commande »):
    the key is not proposed, the user says what it is. A choice of the model's that is none of them (« AVENANT »)
    is left aside."""
    choices = [c.strip() for c in written.split("|") if c.strip()] if "|" in written else [written.strip()]
    codes: dict[str, str] = {}
    sample: tuple[str, re.Match[str]] | None = None
    for choice in choices:
        found = [(v, m) for v in f.values if (m := re.search(rf"(?<![^\W_]){_code_words(v)}(?![^\W_])", choice, re.I))]
        if len(found) > 1 or (not found and len(choices) == 1):
            return None
        if found:
            codes.setdefault(found[0][0], choice)
            sample = sample or (choice, found[0][1])
    if sample is None:
        return None
    choice, match = sample
    segment = match.group(0)
    if len(codes) < len(f.values) and choice[:match.start()].endswith(("'", "’")):
        return None  # « Demande d'avance »: the other code's words (« de solde ») cannot be derived
    separator = next((c for c in segment if c in " _-"), "")
    for v in f.values:  # a code the model does not show: written as the one it shows
        if v not in codes:
            word = v.replace(" ", separator)
            word = word.upper() if segment.isupper() else word.lower() if segment.islower() else (
                word.title() if segment.istitle() else word)
            codes[v] = choice[:match.start()] + word + choice[match.end():]
    return {} if all(codes[v] == v for v in f.values) else codes


class _Drafter:
    def __init__(self, catalog: Catalog, demandes: list[str], fields: dict[str, str], constants: dict[str, Any]):
        self.catalog, self.matcher, self.demandes = catalog, _Matcher(catalog), demandes
        self.fields, self.constants = fields, constants
        self.mapped: list[Mapped] = []
        self.seen_paths: set[str] = set()

    def node(self, model: Any, example: Any, parts: list[str], scope: str) -> Any:
        where = _path_text(parts)
        self.seen_paths.add(where)
        if isinstance(model, dict):
            example = example if isinstance(example, dict) else {}
            return {key: self.node(value, example.get(key), [*parts, key], scope) for key, value in model.items()}
        if isinstance(model, list):
            # The example's first item; without an example, none: the model's placeholders are not values it gives.
            item = example[0] if isinstance(example, list) and example else None
            item_parts = _item_parts(parts)
            if parts == self.demandes:
                return {"$chaque": DEMANDES, "$modele": self.node(model[0], item, item_parts, "demande")}
            if scope == "demande" and model and isinstance(model[0], dict) and (
                    words(parts[-1]) in self.catalog.fields[PIECES].synonyms or self._pieces_like(model[0])):
                self.seen_paths.add(_path_text(item_parts))
                return {"$chaque": PIECES, "$modele": self.node(model[0], item, item_parts, PIECES)}
            return [self.node(item, None, item_parts, scope) for item in model]
        return self.leaf(model, example, parts, scope)

    def _pieces_like(self, item: dict[str, Any]) -> bool:
        return sum(1 for key in item if self.matcher.best(key, [], PIECES, None)[0] is not None) >= 2

    def leaf(self, model_value: Any, example_value: Any, parts: list[str], scope: str) -> Any:
        where = _path_text(parts)
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
            return _leaf_directive(known, like)
        found, tied = self.matcher.best(parts[-1].removesuffix("[]") if parts else "", parts[:-1], scope, like)
        if found is None and not tied and model_value not in (None, "", 0) and model_value == example_value:
            # The same value in the blank model and in the example (« versionModele »: "2.1"): the format's own.
            self.mapped.append(Mapped(where, None, "constante", model_value, example_value, scope))
            return {"$constante": model_value}
        if found is None:
            self.mapped.append(Mapped(where, None, "à renseigner", model_value, example_value, scope, tied))
            return {"$a_renseigner": model_value if model_value is not None else ""}
        self.mapped.append(Mapped(where, found.id, "proposé", model_value, example_value, scope))
        return _leaf_directive(found, like)


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
        model = _lists_filled(model, example)
    path = demandes_path(model, demandes, model_path.name)
    if example is not None:
        problems = _contradictions(model, example, [])
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
                    set(drafter.fields) | set(drafter.constants))


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
