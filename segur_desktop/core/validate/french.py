"""jsonschema errors in plain French, naming the field by its schema title.

"'x' is not of type 'number'" means nothing to a back-office user; "Montant HT
du bon de commande : « x » doit être un nombre" does.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema is imported only where a document fails (core.datafiles.schema_errors)
    from jsonschema.exceptions import ValidationError

from segur_desktop.core.i18n import _

_TYPES = {
    "string": "un texte", "number": "un nombre", "integer": "un nombre entier",
    "object": "un groupe de champs", "array": "une liste", "boolean": "vrai ou faux", "null": "vide",
}


def _shown(value: Any) -> str:
    """The value as the user's JSON writes it: « null », « true », never Python's « None », « True »."""
    text = value if isinstance(value, str) else json.dumps(value) if value is None or isinstance(value, bool) \
        else repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def field_title(error: ValidationError) -> str:
    """The schema's title for the failing value, else its JSON path."""
    title = error.schema.get("title") if isinstance(error.schema, dict) else None
    return title or "/".join(str(p) for p in error.absolute_path) or _("le document")


def missing_field(error: ValidationError) -> str:
    """For a "required" error, the first required name the instance lacks."""
    instance = error.instance if isinstance(error.instance, dict) else {}
    required = error.validator_value if isinstance(error.validator_value, list) else []
    return next((name for name in required if name not in instance), "")


def describe(error: ValidationError, title: str | None = None) -> str:
    """One French sentence for a jsonschema error.

    `title` names the failing field (for "required": the missing one) better
    than the error can, when the caller knows the schema's property titles.
    """
    keyword, value = error.validator, error.instance
    arg: Any = error.validator_value  # the keyword's value in the schema: any JSON
    schema = error.schema if isinstance(error.schema, dict) else {}
    if keyword == "required":
        name = missing_field(error)
        if title:
            return _("« {title} » ({name}) est obligatoire et manque.").format(title=title, name=name)
        return _("Le champ « {name} » est obligatoire et manque.").format(name=name)
    title = title or field_title(error)
    if keyword == "type":
        kinds = arg if isinstance(arg, list) else [arg]
        expected = _(" ou ").join(_(_TYPES.get(k, str(k))) for k in kinds)
        return _("{title} : « {value} » doit être {expected}.").format(title=title, value=_shown(value), expected=expected)
    if keyword in ("pattern", "format"):
        hint = schema.get("description")
        suffix = _(" ({hint})").format(hint=hint.rstrip(".")) if hint else ""
        return _("{title} : « {value} » n'a pas le format attendu{suffix}.").format(title=title, value=_shown(value),
                                                                                    suffix=suffix)
    if keyword == "enum":
        return _("{title} : « {value} » n'est pas permis ; valeurs acceptées : {choices}.").format(
            title=title, value=_shown(value), choices=", ".join(str(c) for c in arg))
    if keyword == "const":
        return _("{title} : « {value} » devrait être « {expected} ».").format(title=title, value=_shown(value), expected=arg)
    if keyword == "minLength":
        if arg == 1:
            return _("{title} : la valeur est vide.").format(title=title)
        return _("{title} : « {value} » est trop court ({n} caractères au moins).").format(title=title, value=_shown(value),
                                                                                           n=arg)
    if keyword == "maxLength":
        return _("{title} : la valeur est trop longue ({n} caractères au plus).").format(title=title, n=arg)
    if keyword in ("minimum", "exclusiveMinimum"):
        return _("{title} : {value} est trop petit (minimum {limit}).").format(title=title, value=_shown(value), limit=arg)
    if keyword in ("maximum", "exclusiveMaximum"):
        return _("{title} : {value} est trop grand (maximum {limit}).").format(title=title, value=_shown(value), limit=arg)
    if keyword == "minItems":
        return _("{title} : il faut au moins {n} élément(s).").format(title=title, n=arg)
    if keyword == "maxItems":
        return _("{title} : {n} élément(s) au plus.").format(title=title, n=arg)
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        extra = sorted(set(value) - set(schema.get("properties", {}))) if isinstance(value, dict) else []
        return _("{title} : champ(s) non prévu(s) par le format : {names}.").format(
            title=title, names=", ".join(extra) or _shown(value))
    return _("{title} : valeur non conforme ({detail}).").format(title=title, detail=error.message)
