"""The keys that designate a client: which columns carry them, which are unique, how mixed columns read.

A BDC row names its client by whatever the vendor's export carries: a client code
shared with the client list, or the identifiers the portal itself uses (FINESS ET
or EJ, SIRET, SIREN, RPPS, ADELI), each in its own column or several in one
(« SIRET / RPPS », « N° FINESS / SIRET », « Identifiant »). This module knows the
kinds of key, which of them designate one client only (a FINESS EJ or a SIREN is
shared by the establishments of one legal entity), and which kinds a mixed
column's value may be, from its length and the words of its header. All of it is
data: the `identifiants` part of `resources/mappings/fields.json`.

It never decides a join (`core/join.py` does) and never reads a spreadsheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from segur_desktop.core.datafiles import load_resource, well_formed
from segur_desktop.core.normalise.text import match_key

CODE = "CODE"  # the vendor's own client code
MIXED = "MIXTE"  # a field's `cle` when its column mixes several kinds, classified value by value

_WORD = re.compile(r"[a-z]+")
MIXED_HEADER_MAX_WORDS = 6  # « N° FINESS / SIRET du client » has 5


@dataclass(frozen=True, slots=True)
class KeyCatalog:
    labels: dict[str, str]  # id_kind -> French label ("FINESS ET")
    unique: frozenset[str]  # kinds whose value designates one client at most
    column_kinds: dict[str, tuple[str, ...]]  # a field's `cle` -> the kinds its values may be ("FINESS" -> ET, EJ)
    by_length: dict[int, tuple[str, ...]]  # a mixed value's length in characters -> the kinds it may be
    unhinted: frozenset[str]  # kinds a mixed value may be when its header names none of its length's kinds
    header_words: dict[str, tuple[str, ...]]  # a word of a header -> the kinds it names

    def kinds_of(self, cle: str) -> tuple[str, ...]:
        """The kinds a field with this `cle` carries (every kind of identifier for a mixed column)."""
        if cle == MIXED:
            return tuple(id_kind for id_kind in self.labels if id_kind != CODE)
        return self.column_kinds.get(cle, (cle,))

    def hinted(self, header: str) -> frozenset[str]:
        """The kinds the words of a header name: « SIRET / RPPS » -> {SIRET, RPPS}."""
        return frozenset(id_kind for word in _WORD.findall(match_key(header))
                         for id_kind in self.header_words.get(word, ()))

    def mixed_kinds(self, length: int, hints: frozenset[str]) -> tuple[str, ...]:
        """What a mixed value of `length` characters may be, under a header naming `hints`."""
        possible = self.by_length.get(length, ())
        named = tuple(id_kind for id_kind in possible if id_kind in hints)
        return named or tuple(id_kind for id_kind in possible if id_kind in self.unhinted)

    def is_mixed_header(self, header: str) -> bool:
        """A header naming two kinds of identifier (« SIRET / RPPS », « FINESS ou SIRET ») is a mixed column;
        a sentence that names them (a notes sheet's) is not a header."""
        if len(_WORD.findall(match_key(header))) > MIXED_HEADER_MAX_WORDS:
            return False
        families = {self.family(id_kind) for id_kind in self.hinted(header)}
        return len(families) >= 2

    def family(self, id_kind: str) -> str:
        """FINESS ET and EJ are one family: the same number, read as the site or its legal entity."""
        return "FINESS" if id_kind.startswith("FINESS") else id_kind

    def label(self, kinds: tuple[str, ...] | list[str]) -> str:
        """« FINESS ou SIREN »: the kinds in French, FINESS ET and EJ together said « FINESS »."""
        both_finess = {"FINESS_ET", "FINESS_EJ"} <= set(kinds)
        names: list[str] = []
        for id_kind in kinds:
            name = "FINESS" if both_finess and self.family(id_kind) == "FINESS" else self.labels.get(id_kind, id_kind)
            if name not in names:
                names.append(name)
        return " ou ".join(names)


@cache
def key_catalog() -> KeyCatalog:
    data_file = load_resource("mappings/fields.json")
    return well_formed(data_file.path, lambda: _catalog(data_file.data["identifiants"]))


def _catalog(data: dict[str, Any]) -> KeyCatalog:
    keys = data["cles"]
    mixed = data["mixte"]
    return KeyCatalog(
        labels={id_kind: entry["libelle"] for id_kind, entry in keys.items()},
        unique=frozenset(id_kind for id_kind, entry in keys.items() if entry["unique"]),
        column_kinds={cle: tuple(kinds) for cle, kinds in data.get("colonnes", {}).items()},
        by_length={int(length): tuple(kinds) for length, kinds in mixed["par_longueur"].items()},
        unhinted=frozenset(mixed["sans_indice"]),
        header_words={match_key(word): tuple(kinds) for word, kinds in mixed["mots_en_tete"].items()},
    )
