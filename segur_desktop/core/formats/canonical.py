"""The canonical demande: every value the product can fill for a demande, named once.

`resources/formats/canonique.json` lists the fields (`bdc.numero`, `beneficiaire.finess_et`,
`demande.montant_ht`…) with a French label, a type, synonyms (to propose a mapping when an
official model is imported) and the spreadsheet column each comes from (to point a problem at
its cell). The build stage fills a dict of these fields per demande (`Demande.fields`); a
deposit format (`core/formats/template.py`) places them in the portal's JSON. Nothing else
invents a field name.

Values are typed: `texte`, `code` and `fichier` are str, `date` a `datetime.date`, `montant`
a `Decimal`, `entier` an int, `liste` a list of dicts (the pieces: `type`, `fichier`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from segur_desktop.core.datafiles import load_resource, well_formed
from segur_desktop.core.normalise.text import match_key

RESOURCE = "formats/canonique.json"
TYPES = ("texte", "code", "fichier", "date", "montant", "entier", "liste")


@dataclass(frozen=True, slots=True)
class Field:
    id: str  # "bdc.numero"; an element of a list is "pieces[].fichier"
    label: str  # French
    type: str  # one of TYPES
    level: str  # "demande" or "fichier" (one value per deposit file)
    synonyms: tuple[str, ...]  # match keys (core.normalise.text.match_key)
    values: tuple[str, ...]  # the codes a `code` field takes, when known
    cell: tuple[str, str] | None  # (list, field) the value comes from: ("bdc", "amount_ht")
    elements: tuple[Field, ...] = ()  # a `liste`'s item fields


@dataclass(frozen=True, slots=True)
class Catalog:
    fields: dict[str, Field]  # by id, item fields included ("pieces[].type")

    def get(self, field_id: str) -> Field | None:
        return self.fields.get(field_id)

    def label(self, field_id: str) -> str:
        known = self.fields.get(field_id)
        return known.label if known else field_id

    def top_level(self) -> list[Field]:
        """The fields a template can name outside a list, in the catalogue's order."""
        return [f for f in self.fields.values() if "[]" not in f.id]


def _field(field_id: str, spec: dict[str, Any], level: str) -> Field:
    cell = spec.get("cellule")
    elements = tuple(_field(f"{field_id}[].{name}", sub, level) for name, sub in spec.get("elements", {}).items())
    return Field(field_id, spec["libelle"], spec["type"], spec.get("niveau", level),
                 tuple(match_key(s) for s in spec.get("synonymes", [])), tuple(spec.get("valeurs", [])),
                 (cell[0], cell[1]) if cell else None, elements)


def _catalog(data: dict[str, Any]) -> Catalog:
    fields: dict[str, Field] = {}
    for field_id, spec in data["champs"].items():
        item = _field(field_id, spec, "demande")
        if item.type not in TYPES:
            raise ValueError(f"{field_id}: type {item.type}")
        fields[field_id] = item
        for element in item.elements:
            fields[element.id] = element
    return Catalog(fields)


@cache
def canonical_catalog() -> Catalog:
    source = load_resource(RESOURCE)
    return well_formed(source.path, lambda: _catalog(source.data))
