"""Which canonical field a key of the ASP's model takes, and how the model writes its value there.

A key is matched by its words (« numéroSiret », « montant_demande_HT »), its parents' (« demandeur »,
« bonDeCommande ») and the value the example (or the model's placeholder) writes there: a date goes to a
date, a code to a code the product knows. Below a threshold, or where two fields fit as well, nothing is
proposed: the key is reported for the user to choose.
"""

from __future__ import annotations

import re
from typing import Any

from segur_desktop.core.couloirs import load_catalog
from segur_desktop.core.formats.canonical import Catalog, Field
from segur_desktop.core.formats.template import PIECES
from segur_desktop.core.normalise.text import match_key

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
AMOUNT_TEXT = re.compile(r"^-?\d+[.,]\d{2}$")

def words(key: str) -> str:
    """"finessGeo" -> "finess geo", "montant_demande_HT" -> "montant demande ht"."""
    return match_key(_CAMEL.sub(" ", key).replace("_", " "))

def date_pattern(value: Any) -> str | None:
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

class Matcher:
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
            return date_pattern(value) is not None
        if f.type == "montant":
            return isinstance(value, (int, float)) and not isinstance(value, bool) or (
                isinstance(value, str) and bool(AMOUNT_TEXT.match(value) or value.isdigit()))
        if date_pattern(value) is not None:
            return False
        if f.type == "entier":
            return isinstance(value, int) and not isinstance(value, bool) or isinstance(value, str) and value.isdigit()
        if isinstance(value, (int, float)):  # « "siret": 73282932000074 »: the product writes text there, not a number
            return False
        if f.id.endswith(".siret"):
            return str(value).replace(" ", "").isdigit() and len(str(value).replace(" ", "")) == 14
        if f.type == "code" and f.values and isinstance(value, str):
            return portal_codes(f, value) is not None
        if f.id == "demande.couloir":  # « HOPITAL » is not how the product writes « HOP »: a fixed value, said
            return str(value) in load_catalog().couloirs
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


def leaf_directive(f: Field, example_value: Any) -> dict[str, Any]:
    directive: dict[str, Any] = {"$champ": f.id.split("[].")[-1] if "[]." in f.id else f.id}
    if f.type == "date":
        directive["$format"] = date_pattern(example_value) or "AAAA-MM-JJ"
    elif f.type == "montant":
        if isinstance(example_value, (int, float)) and not isinstance(example_value, bool):
            directive["$format"] = "nombre"
        elif isinstance(example_value, str) and "," in example_value:
            directive["$format"] = "virgule"
        else:
            directive["$format"] = "texte"
    elif f.type == "entier" and isinstance(example_value, str):
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
