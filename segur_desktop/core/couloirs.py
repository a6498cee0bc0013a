"""The couloirs and request types, read from `resources/couloirs.json`.

Aliases let a spreadsheet say "Hôpital", "HOPITAL" or "hop": matching ignores
case, accents and punctuation (see `text.match_key`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from segur_desktop.core.datafiles import load_resource, well_formed
from segur_desktop.core.normalise.text import match_key

REQUEST_TYPES = ("avance", "solde")


@dataclass(frozen=True, slots=True)
class Couloir:
    code: str
    label: str
    software_kinds: tuple[str, ...]
    identifier_types: tuple[str, ...]  # beneficiary identifiers accepted, preferred first
    solde_proofs: tuple[str, ...]  # MOM and/or VA
    ceiling_ht: Decimal | None  # None: not known, so not checked


@dataclass(frozen=True, slots=True)
class CouloirCatalog:
    couloirs: dict[str, Couloir]
    aliases: dict[str, str]  # match_key(alias) -> couloir code
    type_aliases: dict[str, str]  # match_key(alias) -> "avance" | "solde"
    share_avance: Decimal
    source: str

    def couloir(self, text: str) -> Couloir | None:
        code = self.aliases.get(match_key(text))
        return self.couloirs.get(code) if code else None

    def request_type(self, text: str) -> str | None:
        return self.type_aliases.get(match_key(text))


@cache
def load_catalog() -> CouloirCatalog:
    data_file = load_resource("couloirs.json")
    return well_formed(data_file.path, lambda: _catalog(data_file.data, str(data_file.path)))


def _catalog(data: dict, source: str) -> CouloirCatalog:
    couloirs: dict[str, Couloir] = {}
    aliases: dict[str, str] = {}
    for entry in data["couloirs"]:
        ceiling = entry.get("plafond_ht")
        couloir = Couloir(
            code=entry["code"],
            label=entry["libelle"],
            software_kinds=tuple(entry["types_logiciel"]),
            identifier_types=tuple(entry["identifiants"]),
            solde_proofs=tuple(entry["justificatifs_solde"]),
            ceiling_ht=Decimal(ceiling["max"]) if ceiling else None,
        )
        couloirs[couloir.code] = couloir
        for alias in (couloir.code, couloir.label, *entry.get("alias", [])):
            aliases[match_key(alias)] = couloir.code
    type_aliases = {
        match_key(alias): entry["code"]
        for entry in data["types_demande"]
        for alias in (entry["code"], entry["libelle"], *entry.get("alias", []))
    }
    return CouloirCatalog(
        couloirs, aliases, type_aliases, Decimal(data["part_avance"]), source
    )
