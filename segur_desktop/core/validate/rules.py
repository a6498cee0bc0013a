"""The programme's business rules, beyond what a JSON Schema can say.

Each rule is a small function over the batch that yields `(demande,
diagnostic)` pairs; its code, message and fix live in `messages.MESSAGES`.
A pair with demande None is a batch-level note (an unknown ceiling, say).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, TypedDict

from segur_desktop.core.build import Demande, request_id
from segur_desktop.core.calendar import PARIS, Calendar, Event
from segur_desktop.core.couloirs import load_catalog
from segur_desktop.core.diagnostics import Diagnostic, make
from segur_desktop.core.i18n import N_, _
from segur_desktop.core.normalise.amounts import format_fr
from segur_desktop.core.normalise.text import match_key
from segur_desktop.core.progress import CancelToken
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.lifecycle import Lifecycle
from segur_desktop.core.register.store import Entry
from segur_desktop.core.validate.pdffile import link_file, pdf_problem
from segur_desktop.core.validate.piecefolder import PieceFolder, list_pieces

Finding = tuple[Demande | None, Diagnostic]


@dataclass
class RuleContext:
    at: datetime  # the instant deadlines are judged against
    calendar: Calendar
    pieces: Path | None
    register: RegisterIndex | None = None  # earlier exports and their portal statuses; None: not consulted
    # match_key(BDC number) -> the highest avenant number the BDC list declares for it (rows of type « Avenant »)
    avenants: dict[str, int] = field(default_factory=dict)
    # checked between demandes where a rule reads files: the pieces of 20 000 demandes on a network share, or
    # their first check with pypdf (4 ms a protected PDF), take minutes the window's Cancel must be able to stop
    cancel: CancelToken | None = None

    @cached_property
    def piece_folder(self) -> PieceFolder:
        """The pieces folder and its subfolders, walked once for the whole batch (`piecefolder.list_pieces`: a
        French `InputError` for a folder that cannot be used, or holding a link to a file elsewhere)."""
        return list_pieces(self.pieces, self.cancel) if self.pieces is not None else PieceFolder(Path())

    @cached_property
    def folded_piece_files(self) -> dict[str, Path]:
        """One file per folded name, the first by relative path where several fold alike (`piece_candidates` tells)."""
        return self.piece_folder.by_folded_name()

    def piece_candidates(self, name: str) -> tuple[Path, ...]:
        """The files `name` may designate, in any subfolder (`PieceFolder.candidates`)."""
        return self.piece_folder.candidates(name)

    def find_piece(self, name: str) -> Path | None:
        """The PDF `name` designates, None when there is none or more than one.

        The one matching rule for the `pieces` check and the export, so a piece the check accepted
        is the piece the bundle holds; two candidates are never settled by the order of a folder listing.
        """
        candidates = self.piece_candidates(name)
        return candidates[0] if len(candidates) == 1 else None


class _Where(TypedDict):
    """Where a finding about a demande points: its id and the JSON path of the field (`make`'s keywords)."""
    request: str
    path: str


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def bdc_dates(demandes: list[Demande], ctx: RuleContext) -> Iterator[Finding]:
    """Not in the future, not after the avance window's close, not more than 120 days before the solution's
    conformity dossier was submitted to the ANS (appel à financement § 4.4; couloirs.json « anticipation »).

    Without that date the referencing date is used — later, so stricter — and a warning says so once per solution.
    """
    today = ctx.at.astimezone(PARIS).date()
    anticipation = timedelta(days=load_catalog().anticipation_days)
    without_dossier: set[str] = set()
    closings: dict[tuple[str, str, str], Event | None] = {}  # a handful of guichets for 20k demandes: found once
    for d in demandes:
        signed = d.bdc.values.get("signature_date")
        if signed is None:
            continue
        key = (d.solution.vague, d.couloir.code, d.solution.software_kind)
        if key not in closings:
            guichet = ctx.calendar.guichet(key[0], key[1], "avance", key[2])
            closings[key] = guichet.closing if guichet else None
        closing = closings[key]
        solution = d.solution
        earliest = (solution.conformity_date or solution.referencing_date) - anticipation
        if solution.conformity_date is None and solution.name not in without_dossier:
            without_dossier.add(solution.name)
            yield None, make("date_conformite_absente", solution=solution.name,
                             referencing=_day(solution.referencing_date))
        decree = d.couloir.decree_date
        if signed <= today and (closing is None or signed <= closing.day) and signed >= earliest and (
                decree is None or signed >= decree):
            continue  # the common case: no cell to locate, no finding to build
        cell = d.bdc.cell("signature_date")
        where: _Where = {"request": d.id, "path": "bdc.date_signature"}
        if signed > today:
            yield d, make("bdc_date_future", cell, **where, date=_day(signed), at=_day(today))
        if closing and signed > closing.day:
            yield d, make("bdc_apres_fermeture", cell, **where, date=_day(signed), couloir=d.couloir.code,
                          closing=closing.label())
        if decree is not None and signed < decree:
            yield d, make("bdc_avant_arrete", cell, **where, date=_day(signed), couloir=d.couloir.code,
                          decree=_day(decree))
        if signed < earliest:
            if solution.conformity_date is not None:
                yield d, make("bdc_trop_tot", cell, **where, date=_day(signed), solution=solution.name,
                              reference=_day(solution.conformity_date))
            else:
                yield d, make("bdc_trop_tot_referencement", cell, **where, date=_day(signed), solution=solution.name,
                              reference=_day(solution.referencing_date))


def funding(demandes: list[Demande], ctx: RuleContext) -> Iterator[Finding]:
    """The amount each couloir's funding allows (couloirs.json « financement »): the officine's own forfait, the
    MSSanté operator's formula; SAS is a forfait per vendor, never client BDCs."""
    unknown_forfaits = 0
    for d in demandes:
        rule = d.couloir.funding
        amount = d.bdc.values.get("amount_ht")
        if rule.mode == "forfait_editeur":
            assert rule.vendor_amounts is not None, "couloirs.py sets them with this mode"
            total, avance, solde = rule.vendor_amounts
            yield d, make("sas_forfait_editeur", d.bdc.row_cell(), request=d.id, couloir=d.couloir.code,
                          total=format_fr(total), avance=format_fr(avance), solde=format_fr(solde))
        elif rule.mode == "forfait_client" and amount is not None:
            forfait = d.client.values.get("officine_forfait")
            if forfait is None:
                unknown_forfaits += 1
            elif forfait not in rule.flat_rates:
                yield d, make("forfait_officine_inconnu", d.client.cell("officine_forfait") or d.client.row_cell(),
                              request=d.id, value=format_fr(forfait),
                              known=" ou ".join(format_fr(rate) for rate in rule.flat_rates))
            elif amount != forfait:
                yield d, make("forfait_officine_different", d.bdc.cell("amount_ht"), request=d.id, path="bdc.montant_ht",
                              amount=format_fr(amount), forfait=format_fr(forfait))
        elif rule.mode == "formule_mss" and amount is not None:
            counts = [d.bdc.values.get(name, d.client.values.get(name)) for name in MSS_COUNT_FIELDS]
            applicative, organisational, personal = counts
            if applicative is None or organisational is None or personal is None:
                yield d, make("bal_mss_absentes", d.bdc.row_cell(), request=d.id,
                              missing=", ".join(_(label) for label, count in zip(MSS_COUNT_LABELS, counts, strict=True)
                                                if count is None))
                continue
            allowed = rule.mss_amount(applicative, organisational, personal)
            if amount > allowed:
                rates, cap = rule.mss_rates, rule.cap
                assert rates is not None and cap is not None, "couloirs.py sets them with this mode"
                formula = " + ".join(f"{format_fr(rates[kind]).removesuffix(' €')} × {count}" for kind, count in
                                     zip(("applicative", "organisationnelle", "personnelle"), counts, strict=True))
                yield d, make("montant_mss_depasse", d.bdc.cell("amount_ht"), request=d.id, path="bdc.montant_ht",
                              amount=format_fr(amount), allowed=format_fr(allowed),
                              formula=f"{formula} + {format_fr(rates['forfait'])}", cap=format_fr(cap))
    if unknown_forfaits:
        yield None, make("forfait_officine_absent", n=unknown_forfaits)


MSS_COUNT_FIELDS = ("mss_bal_app", "mss_bal_org", "mss_bal_perso")
MSS_COUNT_LABELS = (N_("BAL applicatives"), N_("BAL organisationnelles"), N_("BAL personnelles"))


def duplicates(demandes: list[Demande], ctx: RuleContext) -> Iterator[Finding]:
    """Same BDC twice for one type; same beneficiary, couloir and software twice (the portal's doublons)."""
    by_bdc: dict[tuple[str, str], Demande] = {}
    by_beneficiary: dict[tuple[str, ...], Demande] = {}
    lines: set[int] = set()  # rows of first occurrences already flagged as one line of an order
    for d in demandes:
        number = d.bdc.values["bdc_number"]
        first = by_bdc.setdefault((d.type, number), d)
        if first is not d:
            yield d, make("bdc_duplique", d.bdc.cell("bdc_number"), request=d.id, path="bdc.numero",
                          value=number, first_row=first.bdc.row, type=d.type)
            if first.bdc.values.get("amount_ht") != d.bdc.values.get("amount_ht") and first.bdc.row not in lines:
                lines.add(first.bdc.row)  # another amount: an order's product lines, the first no truer than the rest
                yield first, make("bdc_duplique", first.bdc.cell("bdc_number"), request=first.id, path="bdc.numero",
                                  value=number, first_row=d.bdc.row, type=d.type)
            continue
        key = (d.type, d.couloir.code, d.solution.software_kind, d.id_type, d.identifier)
        first = by_beneficiary.setdefault(key, d)
        if first is not d:
            yield d, make("beneficiaire_duplique", d.cell_of("beneficiaire.identifiant"), request=d.id,
                          path="beneficiaire.identifiant", beneficiary=d.beneficiary_name,
                          type=d.type, couloir=d.couloir.code, kind=d.solution.software_kind,
                          other_bdc=first.bdc.values["bdc_number"], first_row=first.bdc.row)


def ceilings(demandes: list[Demande], ctx: RuleContext) -> Iterator[Finding]:
    """BDC amount at most the couloir's ceiling; an unknown ceiling is said once.

    Only where the BDC amount is what is funded: a formula (MSS) or a per-vendor forfait (SAS) is `funding`'s,
    and so is an officine whose own forfait is known (its amount must be that forfait, a stricter check).
    """
    unknown: set[str] = set()
    for d in demandes:
        amount = d.bdc.values.get("amount_ht")
        mode = d.couloir.funding.mode
        if amount is None or mode in ("formule_mss", "forfait_editeur") or (
                mode == "forfait_client" and "officine_forfait" in d.client.values):
            continue
        ceiling = d.couloir.ceiling_ht
        if ceiling is None:
            if d.couloir.code not in unknown:
                unknown.add(d.couloir.code)
                yield None, make("plafond_non_verifie", couloir=d.couloir.code)
        elif amount > ceiling:
            yield d, make("plafond_depasse", d.bdc.cell("amount_ht"), request=d.id, path="bdc.montant_ht",
                          amount=format_fr(amount), couloir=d.couloir.code, ceiling=format_fr(ceiling))


def pieces(demandes: list[Demande], ctx: RuleContext) -> Iterator[Finding]:
    """Every named PDF exists in the pieces folder or one of its subfolders, once, is not empty and is a real PDF
    that opens without a password; a file is named by its relative path, as the user finds it."""
    if ctx.pieces is None:
        if demandes:
            yield None, make("pieces_non_verifiees")
        return
    folder = ctx.piece_folder
    checked: dict[Path, tuple[str, dict[str, Any]] | None] = {}
    for d in demandes:
        if ctx.cancel is not None:
            ctx.cancel.check()
        for index, piece in enumerate(d.pieces):
            cell = d.bdc.cell(piece.field) or d.bdc.row_cell()
            where: _Where = {"request": d.id, "path": f"pieces/{index}"}
            candidates = folder.candidates(piece.name)
            if not candidates:
                if len(shortcut := folder.candidates(piece.name + ".lnk")) == 1:  # Explorer shows it as the PDF
                    code, params = link_file()
                    yield d, make(code, cell, **where, name=folder.label(shortcut[0]), folder=ctx.pieces, **params)
                else:
                    yield d, make("piece_absente", cell, **where, name=piece.name, folder=ctx.pieces)
                continue
            if len(candidates) > 1:
                yield d, make("piece_ambigue", cell, **where, name=piece.name, folder=ctx.pieces,
                              files=", ".join(f"« {folder.label(p)} »" for p in candidates))
                continue
            path = candidates[0]
            if not folder.same_as_written(piece.name, path):
                yield d, make("piece_nom_approchant", cell, **where, name=piece.name, actual=folder.label(path))
            if path not in checked:
                checked[path] = pdf_problem(path)
            if problem := checked[path]:
                code, params = problem
                yield d, make(code, cell, **where, name=folder.label(path), folder=ctx.pieces, **params)


def guichets(demandes: list[Demande], ctx: RuleContext) -> Iterator[Finding]:
    """The request's guichet is open at `ctx.at`; unknown dates are said once.

    20k demandes share a handful of guichets: each is found and judged once.
    """
    # -> whether the guichet is known, its closing if it is closed, its opening if it is not open yet
    judged: dict[tuple[str, str, str, str], tuple[bool, Event | None, Event | None]] = {}
    unknown: set[tuple[str, str]] = set()
    for d in demandes:
        key = (d.solution.vague, d.couloir.code, d.type, d.solution.software_kind)
        if key not in judged:
            guichet = ctx.calendar.guichet(*key)
            judged[key] = (guichet is not None,
                           guichet.closing if guichet is not None and guichet.is_closed(ctx.at) else None,
                           guichet.opening if guichet is not None and guichet.is_not_open_yet(ctx.at) else None)
        known, closed, not_open_yet = judged[key]
        if not known:
            if (d.couloir.code, d.type) not in unknown:
                unknown.add((d.couloir.code, d.type))
                yield None, make("guichet_inconnu", couloir=d.couloir.code, type=d.type, vague=d.solution.vague)
            continue
        if closed is not None:
            yield d, make("guichet_ferme", d.bdc.row_cell(), request=d.id, path="demande.type", type=d.type,
                          couloir=d.couloir.code, closing=closed.label())
        elif not_open_yet is not None:
            yield d, make("guichet_pas_ouvert", d.bdc.row_cell(), request=d.id, path="demande.type", type=d.type,
                          couloir=d.couloir.code, opening=not_open_yet.label())


class _Said(TypedDict):
    """An earlier export as the register findings say it (`make`'s keywords)."""
    other: str
    other_bdc: str
    status: str
    day: str
    bundle: str


def _said_entry(entry: Entry, lifecycle: Lifecycle) -> _Said:
    return {"other": entry.id, "other_bdc": entry.bdc_number, "status": lifecycle.label(entry.status),
            "day": _day(entry.status_at.astimezone(PARIS)), "bundle": entry.bundle_name}


def register_conflicts(demandes: list[Demande], ctx: RuleContext) -> Iterator[Finding]:
    """Against earlier exports: this very demande already deposited; another demande deposited for the same
    beneficiary and software, or for the same BDC (doublons the portal would put in conflict)."""
    register = ctx.register
    if register is None or not register.by_id:
        return
    lifecycle = register.lifecycle
    for d in demandes:
        same = register.by_id.get(d.id)
        deposited = same is not None and lifecycle.status(same.status).deposited
        if same is not None and (deposited or same.status == lifecycle.initial):  # a rejected one may go again
            yield d, make("deja_deposee" if deposited else "deja_exportee", d.bdc.row_cell(), request=d.id,
                          path="demande.id", **_said_entry(same, lifecycle))
            continue
        key = (d.type, d.couloir.code, d.solution.software_kind, d.id_type, d.identifier)
        others = [e for e in register.by_beneficiary.get(key, ()) if e.id != d.id and lifecycle.status(e.status).deposited]
        if others:
            yield d, make("doublon_registre", d.cell_of("beneficiaire.identifiant"), request=d.id,
                          path="beneficiaire.identifiant", beneficiary=d.beneficiary_name,
                          type=d.type, couloir=d.couloir.code, kind=d.solution.software_kind, **_said_entry(others[0], lifecycle))
            continue
        number = d.bdc.values["bdc_number"]
        others = [e for e in register.by_bdc.get((d.type, match_key(number)), ())
                  if e.id != d.id and lifecycle.status(e.status).deposited]
        if others:
            yield d, make("bdc_deja_depose", d.bdc.cell("bdc_number"), request=d.id, path="bdc.numero",
                          value=number, type=d.type, beneficiary=others[0].beneficiary_name, **_said_entry(others[0], lifecycle))


def soldes_after_avances(demandes: list[Demande], ctx: RuleContext) -> Iterator[Finding]:
    """A solde only for an avance deposited and validated (seed 000), whose last avenant, if any, is « décidée et
    payée » (the portal refuses the solde before: DOMAIN.md, public ASP pages), for the same BDC amount."""
    register = ctx.register
    if register is None:
        return
    lifecycle = register.lifecycle
    paid = next((s.label for s in lifecycle.statuses.values() if s.closes_avenant), "")
    for d in demandes:
        if d.type != "solde":
            continue
        number = d.bdc.values["bdc_number"]
        expected = request_id(d.couloir.code, "avance", d.id_type, d.identifier, number)
        avance = register.by_id.get(expected) or next(
            (e for e in register.by_bdc.get(("avance", match_key(number)), ()) if e.couloir == d.couloir.code), None)
        cell = d.bdc.cell("bdc_number") or d.bdc.row_cell()
        if avance is None:
            yield d, make("solde_sans_avance", cell, request=d.id, path="bdc.numero", avance=expected)
        elif not register.lifecycle.status(avance.status).allows_solde:
            yield d, make("solde_avance_non_validee", cell, request=d.id, path="bdc.numero",
                          avance=avance.id, status=register.lifecycle.label(avance.status))
        elif (declared := ctx.avenants.get(match_key(number), 0)) and (
                (last := register.last_avenant(avance.id)) is None or last.numero < declared):
            yield d, make("solde_avenant_non_enregistre", cell, request=d.id, path="bdc.numero", avance=avance.id,
                          numero=declared, paid=paid.lower())
        elif (last := register.last_avenant(avance.id)) is not None and not lifecycle.status(last.status).closes_avenant:
            yield d, make("solde_avenant_non_paye", cell, request=d.id, path="bdc.numero", avance=avance.id,
                          numero=last.numero, status=lifecycle.label(last.status), paid=paid.lower())
        elif (amount := d.bdc.values.get("amount_ht")) is not None and amount != avance.bdc_amount_ht:
            yield d, make("solde_montant_avance", d.bdc.cell("amount_ht"), request=d.id, path="bdc.montant_ht",
                          amount=format_fr(amount), avance=avance.id, deposited=format_fr(avance.bdc_amount_ht))


RULES: tuple[Callable[[list[Demande], RuleContext], Iterator[Finding]], ...] = (
    bdc_dates, funding, duplicates, ceilings, pieces, guichets, register_conflicts, soldes_after_avances,
)
