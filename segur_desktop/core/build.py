"""Rows -> demandes: one request per BDC row, grouped by couloir and type.

Each demande is the canonical demande (`fields`: `core/formats/canonical.py`,
typed values under the catalogue's names) plus the way back to the cells it
came from (`cell_of`), so that any later problem, schema or rule, points at a
spreadsheet cell. The deposit format in force (`core/formats/`) writes the
portal's JSON from `fields`, or at validation straight from the demande's rows
(`core/demande_fields.py`, the table `fields` is made from too); nothing here
knows the portal's field names.
Request ids are derived from content (couloir, type, beneficiary, BDC
number): rebuilding the same inputs gives the same ids and byte-identical files.

Speed (issue #4): 20k demandes are built in well under a second. Most BDC rows
repeat a few amounts and solutions, so their JSON pieces are computed once per
distinct value (`_amounts`, `_software`, which finds a workspace's solution by
identity); ids are hashed without going through base64's pure-Python encoder;
the garbage collector is paused (`core.gcpause`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple, TypedDict

from segur_desktop.core.couloirs import Couloir, CouloirCatalog
from segur_desktop.core.demande_fields import IDENTIFIER_FIELDS, demande_fields, pdf_name
from segur_desktop.core.diagnostics import Diagnostic, make
from segur_desktop.core.formats.canonical import canonical_catalog
from segur_desktop.core.gcpause import gc_paused
from segur_desktop.core.i18n import _
from segur_desktop.core.identity import key_catalog
from segur_desktop.core.join import ClientIndex, Join
from segur_desktop.core.normalise.amounts import CENT, format_fr
from segur_desktop.core.normalise.text import match_key
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from segur_desktop.core.source import Cell, Record
from segur_desktop.core.workspace import Solution

ZERO = Decimal("0.00")
AVENANT = "avenant"  # a BDC-list row of this type declares an avenant (types_demande in couloirs.json)
MEMO_LIMIT = 4096  # distinct amounts remembered (a few per solution in practice)


class Piece(NamedTuple):
    """A piece a demande names (a named tuple: made for every demande, three times cheaper than a frozen dataclass)."""

    role: str  # BDC, FACTURE, MOM or VA
    name: str  # file name as the request names it
    field: str  # the BDC-row field the name came from


@dataclass(slots=True)
class Demande:
    id: str
    couloir: Couloir
    type: str  # "avance" | "solde"
    solution: Solution
    bdc: Record
    client: Record
    beneficiary_field: str
    id_type: str  # the beneficiary's identifier deposited: its type ("FINESS_ET"...) and value
    identifier: str
    software: dict[str, Any]  # the solution's canonical fields, one dict shared by its demandes
    amounts: _Amounts | None  # HT, TTC and requested; None when the BDC amount could not be read
    pieces: list[Piece]
    joined_by: str  # the kind of key that joined the BDC row to its client ("FINESS_ET", "CODE"...: core/identity.py)
    errors: int = 0  # error diagnostics found so far
    warnings: int = 0
    complete: bool = True  # False when a value it needs could not be read

    @property
    def valid(self) -> bool:
        """No error names it, and every value it needs was read."""
        return self.complete and self.errors == 0

    @property
    def amount_ht(self) -> Decimal:
        return self.bdc.values["amount_ht"]

    @property
    def requested_ht(self) -> Decimal:
        return self.amounts.requested if self.amounts is not None else ZERO

    @property
    def beneficiary_name(self) -> str:
        return self.client.values.get("name", "")

    @property
    def fields(self) -> dict[str, Any]:
        """The canonical demande (`core/formats/canonical.py`), every value typed; an absent value is left out.

        Made when asked, from the rows it comes from (`core/demande_fields.py` says where each field is),
        never kept: 100k demandes would hold 120 MB of dicts whose values are all in their rows already.
        It is asked for when the demande is deposited or exported; validation writes the demande in the
        format in force straight from its rows, and rules and pages read the attributes above.
        """
        return demande_fields(self)

    def cell_of(self, field_id: str | None, index: int | None = None) -> Cell:
        """The cell a canonical field of this demande comes from (its BDC row when none is known)."""
        if field_id is not None and field_id.startswith("pieces") and index is not None and index < len(self.pieces):
            return self.bdc.cell(self.pieces[index].field) or self.bdc.row_cell()
        known = canonical_catalog().get(field_id) if field_id else None
        if known is None or known.cell is None:
            return self.bdc.row_cell()
        side, name = known.cell
        record = self.client if side == "client" else self.bdc
        name = self.beneficiary_field if name == "identifiant" else name
        return record.cell(name) or record.row_cell()


_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648, as base64.b32encode writes it
_BASE32_PAIRS = [first + second for first in _BASE32 for second in _BASE32]  # 10 bits -> 2 characters
_sha256, _from_bytes = hashlib.sha256, int.from_bytes  # looked up once: 20k calls (24 -> 21 ms with the f-string)


def request_id(couloir: str, kind: str, id_type: str, identifier: str, bdc_number: str) -> str:
    """`{couloir}-{AV|SO}-` and the first 10 base32 characters of a SHA-256 of the content.

    The 10 characters encode the digest's first 50 bits, exactly as
    `base64.b32encode(digest)[:10]` (a test compares them), by five 2-character
    look-ups: base64's pure-Python encoder took a tenth of building a demande.
    """
    digest = _sha256(f"{couloir}|{kind}|{id_type}|{identifier}|{bdc_number}".encode()).digest()
    bits = _from_bytes(digest[:7], "big") >> 6  # the first 50 bits
    pairs = _BASE32_PAIRS
    return (f"{couloir}-{'AV' if kind == 'avance' else 'SO'}-{pairs[bits >> 40]}{pairs[bits >> 30 & 1023]}"
            f"{pairs[bits >> 20 & 1023]}{pairs[bits >> 10 & 1023]}{pairs[bits & 1023]}")


@dataclass(slots=True)
class Builder:
    """Turns joined rows into demandes, reporting what stops a row from becoming one."""

    catalog: CouloirCatalog
    solutions: tuple[Solution, ...]
    clients: ClientIndex
    diagnostics: list[Diagnostic] = field(default_factory=list)
    by_name: dict[str, list[Solution]] = field(init=False)  # match_key(id, name, "name version")
    by_text: dict[str, list[Solution]] = field(init=False, default_factory=dict)  # the sheet's own spelling
    # BDC row (id of its table, row) that gave no demande -> the client it was joined to (the export plan
    # explains such a row by its client's errors)
    joined: dict[tuple[int, int], Record] = field(init=False, default_factory=dict)
    software_fields: dict[Solution, dict[str, Any]] = field(init=False, default_factory=dict)  # see _software
    workspace_software: dict[int, dict[str, Any]] = field(init=False, default_factory=dict)  # id(solution) -> fields
    amounts_memo: dict[tuple[Decimal, Decimal | None, str, Decimal], _Amounts] = field(init=False, default_factory=dict)
    vat_rates: dict[str | None, Decimal] = field(init=False, default_factory=dict)  # postal code -> VAT rate

    def __post_init__(self) -> None:
        self.by_name = {}
        for s in self.solutions:
            for key in {match_key(s.id), match_key(s.name), match_key(f"{s.name} {s.version or ''}")}:
                self.by_name.setdefault(key, []).append(s)
            # By identity: `self.solutions` keeps them alive, so no other object can take their id.
            self.workspace_software[id(s)] = _software_fields(s)

    def _solution(self, bdc: Record) -> Solution | None:
        """The workspace's solution a BDC row designates, by whatever the row carries.

        The « Solution » cell names it (id, name, "name version", or a product cell that starts
        with the name: « MédiCab 4.2.1 »), or gives its software kind (« DPI »); the couloir and
        software kind cells narrow what is left. Only a real ambiguity is an error.
        """
        values = bdc.values
        if not self.solutions:
            return self._solution_from_row(bdc)
        candidates: Sequence[Solution] = self.solutions
        if "solution" in values:
            name = values["solution"]
            named = self.by_text.get(name)
            if named is None:  # a few names over thousands of rows: match each once
                named = self.by_text[name] = self._named(name)
            if not named:
                self.diagnostics.append(make("solution_inconnue", bdc.cell("solution"), value=values["solution"],
                                             known=", ".join(s.name for s in self.solutions)))
                return None
            candidates = named
        if "couloir" in bdc.failed or "software_kind" in bdc.failed:
            return None  # unreadable, and said at its cell: narrowing without it would only add a false ambiguity
        couloir, kind = values.get("couloir"), values.get("software_kind")
        if len(candidates) == 1 and couloir in (None, (only := candidates[0]).couloir) \
                and kind in (None, only.software_kind):
            return only  # the common case
        fitting = [s for s in candidates if couloir in (None, s.couloir) and kind in (None, s.software_kind)]
        if len(fitting) == 1:
            return fitting[0]
        if len(fitting) > 1:
            self.diagnostics.append(make("solution_ambigue", bdc.cell("solution") or bdc.row_cell(),
                                         known=", ".join(s.name for s in fitting)))
            return None
        if couloir is not None and kind is not None and kind not in self.catalog.couloirs[couloir].software_kinds:
            self.diagnostics.append(make("type_logiciel_incoherent", bdc.cell("software_kind"), value=kind,
                                         couloir=couloir, known=", ".join(self.catalog.couloirs[couloir].software_kinds)))
        elif couloir is not None and len({s.couloir for s in candidates}) == 1:
            solution = candidates[0]
            self.diagnostics.append(make("couloir_incoherent", bdc.cell("couloir"), value=couloir,
                                         solution=solution.name, expected=solution.couloir))
        else:
            self.diagnostics.append(make("solution_absente", bdc.cell("couloir") or bdc.cell("software_kind")
                                         or bdc.row_cell()))
        return None

    def _named(self, text: str) -> list[Solution]:
        """The solutions a « Solution » or « Produit » cell names, best reading first.

        Exactly (id, name, "name version"); else the longest name the cell starts with
        (« OffiPlus V3 Ségur »); else the names that start with the cell (« Médilog » for
        « Médilog DPI » and « Médilog Cabinet », left to the couloir to narrow); else a
        software kind (« DPI », « Transcodeur LOINC »).
        """
        key = match_key(text)
        exact = self.by_name.get(key)
        if exact:
            return exact
        prefixes = [(len(n), s) for s in self.solutions if (n := match_key(s.name)) and key.startswith(n + " ")]
        if prefixes:
            longest = max(length for length, _s in prefixes)
            return [s for length, s in prefixes if length == longest]
        starting = [s for s in self.solutions if match_key(s.name).startswith(key + " ")]
        if starting:
            return starting
        kind = self.catalog.software_kind(text)
        return [s for s in self.solutions if s.software_kind == kind] if kind else []

    def _solution_from_row(self, bdc: Record) -> Solution | None:
        """No workspace solutions: the BDC list itself describes the solution."""
        values = bdc.values
        needed = ("solution", "couloir", "software_kind", "referencing_id", "referencing_date")
        if any(name not in values for name in needed):
            self.diagnostics.append(make("solution_absente", bdc.row_cell()))
            return None
        return Solution(values["solution"], values["solution"], values.get("solution_version"), values["couloir"],
                        values["software_kind"], values["referencing_id"], values["referencing_date"],
                        conformity_date=values.get("conformity_date"))

    def _beneficiary(self, client: Record, couloir: Couloir) -> tuple[str, str, str] | None:
        """(identifier type, field, identifier) of the first accepted identifier the client has.

        A mixed column's value counts when its readings that the couloir accepts are of one
        family (FINESS ET or EJ: the first the couloir prefers); readings of two families
        (FINESS or ADELI) cannot be deposited without knowing which.
        """
        values = client.values
        mixed = values.get("identifier")
        for id_type in couloir.identifier_types:
            name = IDENTIFIER_FIELDS[id_type]
            if name in client.failed:
                return None  # the preferred identifier is wrong: never fall back silently
            if name in values:
                return id_type, name, values[name]
            if mixed is not None and (reading := dict(mixed).get(id_type)) is not None:
                accepted = [kind for kind, _value in mixed if kind in couloir.identifier_types]
                keys = key_catalog()
                if len({keys.family(kind) for kind in accepted}) > 1:
                    self.diagnostics.append(make(
                        "identifiant_ambigu", client.cell("identifier"), value=reading,
                        label=keys.label(accepted), couloir=couloir.code))
                    return None
                return id_type, "identifier", reading
        if "identifier" in client.failed:
            return None
        self.diagnostics.append(make(
            "identifiant_beneficiaire_absent", client.cell("name") or client.row_cell(),
            client=client.values.get("name", client.values.get("client_code", "?")),
            couloir=couloir.code, accepted=", ".join(couloir.identifier_types)))
        return None

    def build_one(self, bdc: Record) -> Demande | None:
        join, problem = self.clients.find(bdc)
        if problem:
            self.diagnostics.append(problem)
        if join is None:
            return None
        demande = self._demande(bdc, join)
        if demande is None:
            self.joined[(id(bdc.table), bdc.row)] = join.client
        return demande

    def _demande(self, bdc: Record, join: Join) -> Demande | None:
        values, client = bdc.values, join.client
        if "bdc_number" not in values or "request_type" in bdc.failed:
            return None
        if values.get("request_type") == AVENANT:  # declares an avenant of this BDC's avance: nothing to deposit
            self.diagnostics.append(make("ligne_avenant", bdc.cell("request_type") or bdc.row_cell(),
                                         bdc=values["bdc_number"]))
            return None
        solution = self._solution(bdc)
        if solution is None:
            return None
        couloir = self.catalog.couloirs[solution.couloir]
        beneficiary = self._beneficiary(client, couloir)
        if beneficiary is None:
            return None
        id_type, id_field, identifier = beneficiary
        kind = values.get("request_type", "avance")
        demande_id = request_id(couloir.code, kind, id_type, identifier, values["bdc_number"])
        amounts = self._amounts(bdc, kind, client.values.get("postal_code"))
        complete = not bdc.failed and client.failed.isdisjoint(("name", id_field, "postal_code", "city"))
        return Demande(demande_id, couloir, kind, solution, bdc, client, id_field, id_type, identifier,
                       self._software(solution), amounts, self._pieces(kind, values), join.key, complete=complete)

    def _amounts(self, bdc: Record, kind: str, postal_code: str | None) -> _Amounts | None:
        """The BDC's HT and TTC and the amount requested; a TTC that is not HT + VAT is reported.

        The VAT rate is the client's: 20 %, 8,5 % in Guadeloupe, Martinique and La Réunion, none in
        Guyane and Mayotte (couloirs.json « tva », from its postal code).

        Computed once per distinct (HT, TTC, type, rate), the rate once per postal code: the Decimal arithmetic was a
        fifth of building a demande.
        """
        values = bdc.values
        ht = values.get("amount_ht")
        if ht is None:
            return None
        rate = self.vat_rates.get(postal_code)
        if rate is None:
            rate = self.vat_rates[postal_code] = self.catalog.vat.rate_for(postal_code)
        key = (ht, values.get("amount_ttc"), kind, rate)
        amounts = self.amounts_memo.get(key)
        if amounts is None:
            amounts = _amounts_of(*key, self.catalog.share_avance)
            if len(self.amounts_memo) < MEMO_LIMIT:
                self.amounts_memo[key] = amounts
        if amounts.inconsistent_ttc is not None:
            self.diagnostics.append(make("montant_ttc_incoherent", bdc.cell("amount_ttc"), **amounts.inconsistent_ttc))
        return amounts

    def _software(self, solution: Solution) -> dict[str, Any]:
        """The solution's canonical fields: the same for every demande of a solution, so made once.

        A workspace's solution is found by identity: hashing the dataclass (all its fields, in
        Python) cost as much as building the fields. One the BDC row describes is found by value.
        """
        fields = self.workspace_software.get(id(solution))
        if fields is None:
            fields = self.software_fields.get(solution)
            if fields is None:
                fields = self.software_fields[solution] = _software_fields(solution)
        return fields

    @staticmethod
    def _pieces(kind: str, values: dict[str, Any]) -> list[Piece]:
        """The pieces a demande names."""
        field_name = "bdc_file" if "bdc_file" in values else "bdc_number"
        pieces = [Piece("BDC", pdf_name(values[field_name]), field_name)]
        if kind == "solde":
            if "invoice_file" in values:
                pieces.append(Piece("FACTURE", pdf_name(values["invoice_file"]), "invoice_file"))
            if "proof_file" in values and values.get("proof_type") in ("MOM", "VA"):
                pieces.append(Piece(values["proof_type"], pdf_name(values["proof_file"]), "proof_file"))
        return pieces


def _software_fields(solution: Solution) -> dict[str, Any]:
    """A demande's "solution.*" canonical fields."""
    fields: dict[str, Any] = {"solution.nom": solution.name}
    if solution.version:
        fields["solution.version"] = solution.version
    fields["solution.type_logiciel"] = solution.software_kind
    fields["solution.id_referencement"] = solution.referencing_id
    fields["solution.date_referencement"] = solution.referencing_date
    fields["solution.vague"] = solution.vague
    if solution.conformity_date is not None:
        fields["solution.date_depot_conformite"] = solution.conformity_date
    return fields


@dataclass(frozen=True, slots=True)
class _Amounts:
    ht: Decimal
    ttc: Decimal
    requested: Decimal
    inconsistent_ttc: _TtcMismatch | None  # the warning's parameters when TTC is not HT + VAT


class _TtcMismatch(TypedDict):
    """The « montant_ttc_incoherent » warning's parameters, French-formatted."""
    ttc: str
    ht: str
    expected: str
    rate: str


def _amounts_of(ht: Decimal, ttc: Decimal | None, kind: str, vat_rate: Decimal, share_avance: Decimal) -> _Amounts:
    expected_ttc = (ht * (1 + vat_rate)).quantize(CENT, ROUND_HALF_UP)
    if ttc is None:
        ttc = expected_ttc
    inconsistent: _TtcMismatch | None = None
    if abs(ttc - expected_ttc) > CENT:
        inconsistent = {"ttc": format_fr(ttc), "ht": format_fr(ht), "expected": format_fr(expected_ttc),
                        "rate": f"{vat_rate * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",")}
    avance = (ht * share_avance).quantize(CENT, ROUND_HALF_UP)
    requested = avance if kind == "avance" else ht - avance  # the two parts add up to the BDC exactly
    return _Amounts(ht.quantize(CENT), ttc.quantize(CENT), requested.quantize(CENT), inconsistent)


BUILD_BLOCK = 2000  # BDC rows between two progress reports and cancel checks


def build_demandes(
    bdcs: list[Record], clients: ClientIndex, catalog: CouloirCatalog, solutions: tuple[Solution, ...], *,
    progress: ProgressCallback = no_progress, cancel: CancelToken | None = None,
) -> tuple[list[Demande], list[Diagnostic], dict[tuple[int, int], Record]]:
    """The demandes, the diagnostics of the rows, and the client of each joined row that gave none (`Builder.joined`)."""
    builder = Builder(catalog, solutions, clients)
    stage, total = _("Construction des demandes"), len(bdcs)
    demandes: list[Demande] = []
    with gc_paused():
        for start in range(0, total, BUILD_BLOCK):
            if cancel is not None:
                cancel.check()
            demandes += [d for bdc in bdcs[start:start + BUILD_BLOCK] if (d := builder.build_one(bdc)) is not None]
            progress(Progress(stage, min(start + BUILD_BLOCK, total), total))
    return demandes, builder.diagnostics, builder.joined
