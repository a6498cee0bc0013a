"""The ASP's official files as published: a blank model, an example, a schema, read into the shape a format takes.

Published models are not always plain JSON objects: a model may be the list of demandes itself,
carry comments or a BOM, leave its lists empty or its objects null for the example to show what
they hold. Reading them is here; matching their keys to canonical fields is `matching.py`,
drafting the format `importer.py`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from segur_desktop.core.datafiles import parse_json, read_limited
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64


def path_text(parts: list[str]) -> str:
    return ".".join(parts) or "/"


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


def contradictions(model: Any, example: Any, parts: list[str]) -> list[str]:
    """Where the example does not have the model's shape (a key the model lacks, an object for a list…)."""
    where = path_text(parts)
    if isinstance(model, dict):
        if not isinstance(example, dict):
            return [_("{path} : un objet dans le modèle, pas dans l'exemple").format(path=where)]
        found = [_("{path} : clé de l'exemple absente du modèle").format(path=path_text([*parts, key]))
                 for key in example if key not in model]
        for key in model:
            if key in example:
                found += contradictions(model[key], example[key], [*parts, key])
        return found
    if isinstance(model, list):
        if not isinstance(example, list):
            return [_("{path} : une liste dans le modèle, pas dans l'exemple").format(path=where)]
        if model and example:
            return [p for item in example for p in contradictions(model[0], item, item_parts(parts))][:20]
        return []
    if isinstance(example, (dict, list)):
        return [_("{path} : une valeur simple dans le modèle, pas dans l'exemple").format(path=where)]
    return []


def item_parts(parts: list[str]) -> list[str]:
    """"lignes" -> "lignes[]", the top of a model that is a list -> "[]": how a list's elements are named."""
    return [*parts[:-1], parts[-1] + "[]"] if parts else ["[]"]


def _blank(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _blank(sub) for key, sub in value.items()}
    if isinstance(value, list):
        return [_blank(value[0])] if value else []
    return None


def lists_filled(model: Any, example: Any) -> Any:
    """The model with each empty list (« "demandes": [] », as a blank model often has it) given the shape of the
    example's first element there, its values left blank, and each null the example fills with an object or a list
    (« "beneficiaire": null ») that shape: the model says where things are, the example what they hold."""
    if model is None and isinstance(example, (dict, list)):
        return _blank(example)
    if isinstance(model, dict) and isinstance(example, dict):
        return {key: lists_filled(value, example.get(key)) for key, value in model.items()}
    if isinstance(model, list) and isinstance(example, list) and example:
        if not model:
            return [_blank(example[0])] if isinstance(example[0], dict) else model
        return [lists_filled(model[0], example[0]), *model[1:]]
    return model
