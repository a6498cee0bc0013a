"""The couloirs and request types (`resources/couloirs.json`) and the wordings that name them (`resources/aliases.json`).

Exports name a couloir "Pharmacie d'officine", "PHA" or "officine", a request
type "Acompte" or "Solde 70 %", a software kind "Transcodeur LOINC": a value
matches an alias when both give the same `text.fold_key` (case, accents,
punctuation and separators ignored, so "MS2_PDE" is "ms2 pde"). The code and
label of each couloir and request type, and each software kind's code, are
aliases without being listed.

The user's `<user data>/resources/aliases.json` is ADDED to the bundled
aliases, unlike other data files which a user file replaces: a user who names
one more wording must not lose the others, nor the ones a later version adds.
A user alias that folds like a bundled one re-points it (the user knows their
export); one that folds like a code or label of another couloir, type or kind
is refused, as is any file in which one alias names two codes. An alias never
resolves to two codes, so "Médico-social" alone (MS1 or MS2) is not one: the
error lists the couloirs and says how to add the user's wording.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from segur_desktop.core.datafiles import format_problem, load_json, load_resource, resource_candidates, well_formed
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.text import fold_key

REQUEST_TYPES = ("avance", "solde")
ALIASES_FILE = "aliases.json"
ALIASES_SCHEMA = "aliases.schema.json"
# The sections of aliases.json: couloirs, request types, software kinds.
SECTIONS = ("couloirs", "types_demande", "types_logiciel")
# What a user file looks like, quoted in the error about a malformed one.
ALIASES_EXAMPLE = json.dumps({"schema_version": 1, "couloirs": {"PHA": ["Pharmacie d'officine"]},
                              "types_logiciel": {"LOINC": ["Transcodeur LOINC"]}}, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Funding:
    """How a couloir is funded (couloirs.json « financement », each value with its sources).

    `bdc_client`: the client's BDC amount, within the couloir's ceiling when one is known;
    `forfait_client`: one of `flat_rates` per client, the client's own (PHA: by turnover band);
    `formule_mss`: min(Σ rate × mailboxes + fixed ; cap) per operator-buyer (MSS);
    `forfait_editeur`: a fixed amount per vendor, not per client BDC (SAS).
    """

    mode: str
    flat_rates: tuple[Decimal, ...] = ()  # forfait_client
    mss_rates: dict[str, Decimal] | None = None  # formule_mss: applicative, organisationnelle, personnelle, forfait
    cap: Decimal | None = None  # formule_mss's ceiling
    vendor_amounts: tuple[Decimal, Decimal, Decimal] | None = None  # forfait_editeur: total, avance, solde
    sources: tuple[str, ...] = ()  # titles, for messages

    def mss_amount(self, applicative: int, organisational: int, personal: int) -> Decimal:
        """The MSSanté operator-buyer's funding HT, to the cent (ARS Grand Est appel à financement)."""
        assert self.mss_rates is not None and self.cap is not None
        rates = self.mss_rates
        total = (rates["applicative"] * applicative + rates["organisationnelle"] * organisational
                 + rates["personnelle"] * personal + rates["forfait"])
        return min(total, self.cap).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class VatRates:
    """TTC = HT × (1 + rate), the rate from the client's postal code: 8,5 % in 971, 972, 974, none in 973, 976."""

    normal: Decimal
    by_department: dict[str, Decimal]

    def rate_for(self, postal_code: str | None) -> Decimal:
        if postal_code and len(postal_code) >= 3:
            return self.by_department.get(postal_code[:3], self.normal)
        return self.normal


@dataclass(frozen=True, slots=True)
class Couloir:
    code: str
    label: str
    software_kinds: tuple[str, ...]
    identifier_types: tuple[str, ...]  # beneficiary identifiers accepted, preferred first
    solde_proofs: tuple[str, ...]  # MOM and/or VA
    ceiling_ht: Decimal | None  # None: not known, so not checked
    solde_fields: tuple[str, ...] = ()  # BDC-list fields a solde of this couloir needs beyond the usual ones
    funding: Funding = Funding("bdc_client")
    decree_date: date | None = None  # the couloir's arrêté was published then: a BDC signed before is not eligible


@dataclass(frozen=True, slots=True)
class CouloirCatalog:
    couloirs: dict[str, Couloir]
    aliases: dict[str, str]  # fold_key(alias) -> couloir code
    type_aliases: dict[str, str]  # fold_key(alias) -> "avance" | "solde"
    kind_aliases: dict[str, str]  # fold_key(alias) -> software kind code ("LOINC")
    share_avance: Decimal
    vat: VatRates
    anticipation_days: int  # a BDC may be signed this many days before the conformity dossier's submission
    source: str
    user_aliases: Path  # where the user adds wordings: named by the errors about unknown values

    def couloir(self, text: str) -> Couloir | None:
        code = self.aliases.get(fold_key(text))
        return self.couloirs.get(code) if code else None

    def request_type(self, text: str) -> str | None:
        return self.type_aliases.get(fold_key(text))

    def software_kind(self, text: str) -> str | None:
        """The software kind's code ("LOINC" for "Transcodeur LOINC"), whatever its couloir; None if unknown."""
        return self.kind_aliases.get(fold_key(text))

    @property
    def software_kinds(self) -> tuple[str, ...]:
        """Every software kind of every couloir, in couloirs.json's order."""
        return tuple(dict.fromkeys(kind for c in self.couloirs.values() for kind in c.software_kinds))

    def alias_example(self, section: str, code: str, text: str) -> str:
        """The user aliases file that would make `text` name `code`: the errors about an unknown value quote it,
        as JSON so that a wording with quotes or backslashes can be pasted as it is."""
        return json.dumps({"schema_version": 1, section: {code: [text]}}, ensure_ascii=False)


@cache
def load_catalog() -> CouloirCatalog:
    data_file = load_resource("couloirs.json")
    return well_formed(data_file.path, lambda: _catalog(data_file.data, str(data_file.path)))


def _catalog(data: dict[str, Any], source: str) -> CouloirCatalog:
    user_aliases = resource_candidates(ALIASES_FILE)[0]
    couloirs: dict[str, Couloir] = {}
    for entry in data["couloirs"]:
        ceiling = entry.get("plafond_ht")
        couloir = Couloir(
            code=entry["code"],
            label=entry["libelle"],
            software_kinds=tuple(entry["types_logiciel"]),
            identifier_types=tuple(entry["identifiants"]),
            solde_proofs=tuple(entry["justificatifs_solde"]),
            ceiling_ht=Decimal(ceiling["max"]) if ceiling else None,
            solde_fields=tuple(entry.get("solde_champs", ())),
            funding=_funding(entry.get("financement", {"mode": "bdc_client"})),
            decree_date=date.fromisoformat(entry["arrete"]["publie_le"]) if entry.get("arrete") else None,
        )
        couloirs[couloir.code] = couloir
    for section in ("couloirs", "types_demande"):
        # couloirs.json held the aliases before aliases.json: a user's copy that still does must not lose them silently
        if moved := next((entry["code"] for entry in data[section] if "alias" in entry), None):
            raise ValueError(_("les alias se déclarent désormais dans un autre fichier : retirez la liste « alias » de {code} "
                               "de ce fichier-ci et mettez ses intitulés dans {path}, section « {section} »").format(
                code=moved, path=user_aliases, section=section))
    names = {  # each code's own names: always aliases of that code, never of another
        "couloirs": _alias_table({code: (code, c.label) for code, c in couloirs.items()}),
        "types_demande": _alias_table({entry["code"]: (entry["code"], entry["libelle"]) for entry in data["types_demande"]}),
        "types_logiciel": _alias_table({kind: (kind,) for c in couloirs.values() for kind in c.software_kinds}),
    }
    tables = _merged_aliases(names)
    vat = data.get("tva", {"taux_normal": "0.20", "par_departement": {}})
    return CouloirCatalog(couloirs, tables["couloirs"], tables["types_demande"], tables["types_logiciel"],
                          Decimal(data["part_avance"]),
                          VatRates(Decimal(vat["taux_normal"]),
                                   {dep: Decimal(rate) for dep, rate in vat["par_departement"].items()}),
                          int(data.get("anticipation", {}).get("jours", 120)), source, user_aliases)


FUNDING_MODES = ("bdc_client", "forfait_client", "formule_mss", "forfait_editeur")


def _funding(spec: dict[str, Any]) -> Funding:
    mode = spec["mode"]
    if mode not in FUNDING_MODES:
        raise ValueError(_("mode de financement « {mode} » inconnu (modes : {known})").format(
            mode=mode, known=", ".join(FUNDING_MODES)))
    sources = tuple(s.get("titre", "") for s in spec.get("sources", []))
    if mode == "forfait_client":
        return Funding(mode, flat_rates=tuple(Decimal(v) for v in spec["forfaits_ht"]), sources=sources)
    if mode == "formule_mss":
        return Funding(mode, mss_rates={k: Decimal(v) for k, v in spec["bareme_ht"].items()},
                       cap=Decimal(spec["plafond_ht"]), sources=sources)
    if mode == "forfait_editeur":
        return Funding(mode, vendor_amounts=(Decimal(spec["montant_ht"]), Decimal(spec["avance_ht"]),
                                             Decimal(spec["solde_ht"])), sources=sources)
    return Funding(mode, sources=sources)


def _merged_aliases(names: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Per section, fold_key(alias) -> code: the bundled aliases, the user's over them, and the codes' own names."""
    user, bundled = resource_candidates(ALIASES_FILE)
    tables = dict(names)
    for path in (bundled, user) if user.is_file() else (bundled,):
        data = load_json(path)
        problem = format_problem(data, ALIASES_SCHEMA)
        if problem is not None:
            raise InputError(_(
                "Le fichier d'alias « {path} » est mal formé : {problem} Chaque section (« couloirs », « types_demande », "
                "« types_logiciel ») associe un code à la liste des intitulés qui le désignent, par exemple : {example}. "
                "Corrigez-le, ou supprimez-le pour revenir aux alias fournis avec l'application."
            ).format(path=path, problem=problem, example=ALIASES_EXAMPLE))
        for section in SECTIONS:
            try:
                table = _alias_table(data.get(section, {}), known=names[section])
            except ValueError as problem:
                raise InputError(_(
                    "Le fichier d'alias « {path} », section « {section} » : {problem} Un alias désigne un seul code, "
                    "et un seul : corrigez ce fichier, ou supprimez-le pour revenir aux alias fournis avec l'application."
                ).format(path=path, section=section, problem=problem)) from None
            tables[section] = tables[section] | table  # never a code's own name: _alias_table refused it
    return tables


def _alias_table(by_code: dict[str, Iterable[str]], known: dict[str, str] | None = None) -> dict[str, str]:
    """fold_key(alias) -> code for one section of one file; a French ValueError when it cannot be.

    Refused: one alias given to two codes; an alias with no letter or digit (it
    would match any punctuation); with `known` (the codes' own names, from
    couloirs.json), a code it does not name or an alias that is another code's name.
    """
    table: dict[str, str] = {}
    said: dict[str, str] = {}  # fold_key(alias) -> the alias as first written
    for code, aliases in by_code.items():
        if known is not None and code not in known.values():
            raise ValueError(_("« {code} » n'est pas un code connu ; codes connus : {known}.").format(
                code=code, known=", ".join(dict.fromkeys(known.values()))))
        for alias in aliases:
            key = fold_key(alias)
            if not key:
                raise ValueError(_("l'alias « {alias} » de {code} n'a ni lettre ni chiffre.").format(alias=alias, code=code))
            if known is not None and known.get(key, code) != code:
                raise ValueError(_("« {alias} » est le nom de {other} : il ne peut pas désigner {code}.").format(
                    alias=alias, other=known[key], code=code))
            first = table.setdefault(key, code)
            said.setdefault(key, alias)
            if first != code:
                both = (_("« {alias} » désigne à la fois {first} et {code}.") if said[key] == alias else
                        _("« {alias} » (comme « {said} ») désigne à la fois {first} et {code}."))
                raise ValueError(both.format(alias=alias, said=said[key], first=first, code=code))
    return table
