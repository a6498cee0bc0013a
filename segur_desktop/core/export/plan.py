"""What an export will hold, and what it leaves out and why: decided once, shown everywhere.

The Export page previews it, the CLI prints it, the recap and the anomalies
workbook detail it, and the bundle is written from it. A demande goes in when
it is valid, its couloir and type were chosen, and every PDF it names is in
the pieces folder. One exception, and only on the user's explicit word: a
demande whose sole error is its closed guichet goes in when its couloir and
type are marked « hors délai » (the manifest says so). Everything else is
left out with the reasons a user needs to fix it, down to BDC rows that gave
no demande at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from segur_desktop.core.build import Demande
from segur_desktop.core.calendar import PARIS, Calendar, Event, load_calendar
from segur_desktop.core.diagnostics import Diagnostic
from segur_desktop.core.export.attachments import Attachment, attachments
from segur_desktop.core.i18n import _
from segur_desktop.core.messages import MESSAGES, Severity
from segur_desktop.core.normalise.text import clean_text
from segur_desktop.core.pipeline import PipelineResult
from segur_desktop.core.register.store import Entry
from segur_desktop.core.report import location, place
from segur_desktop.core.source import Table

CLOSED_CODE = "guichet_ferme"
GroupKey = tuple[str, str]  # (couloir, type)


class Reason(StrEnum):
    INVALID = "invalide"  # an error in the demande, its rows or its PDFs
    CLOSED = "guichet_ferme"  # valid, but its guichet is closed and was not marked « hors délai »
    NOT_CHOSEN = "non_retenu"  # its couloir and type were not chosen for this export
    DEPOSITED = "deja_deposee"  # the register says the portal already holds it
    EXPORTED = "deja_exportee"  # in an earlier bundle, no portal status yet, and not asked for again
    NO_REQUEST = "sans_demande"  # a BDC row that gave no demande


@dataclass(frozen=True, slots=True)
class ExportOptions:
    hors_delai: frozenset[GroupKey] = frozenset()  # closed guichets the user exports anyway, knowingly
    only: frozenset[GroupKey] | None = None  # None: every couloir and type
    max_per_file: int | None = None
    as_zip: bool = False  # one zip file instead of a folder
    exported_again: bool = True  # False: demandes already exported (no portal status yet) stay out (the window)


@dataclass(frozen=True, slots=True)
class Exportable:
    demande: Demande
    attachments: tuple[Attachment, ...]
    hors_delai: bool  # in only because its couloir and type were marked « hors délai »


@dataclass(frozen=True, slots=True)
class LeftOut:
    reason: Reason
    file: Path  # the BDC list
    sheet: str
    row: int
    details: tuple[str, ...]  # French, one sentence each, located: what to fix
    couloir: str | None = None  # None: the row gave no demande
    type: str | None = None
    request: str | None = None
    bdc_number: str | None = None
    beneficiary: str | None = None
    title: str | None = None  # the kind of problem (its diagnostic's title), when one diagnostic says it

    def where(self) -> str:
        """« bons_de_commande.xlsx › BDC, ligne 6 »; « bdc.csv, ligne 6 » (`report.place`)."""
        return place(self.file, self.sheet, self.row)

    @classmethod
    def of(cls, reason: Reason, d: Demande, details: tuple[str, ...], title: str | None = None) -> LeftOut:
        """A demande left out, located at its BDC row."""
        return cls(reason, d.bdc.table.path, d.bdc.table.sheet, d.bdc.row, details, d.couloir.code, d.type, d.id,
                   d.bdc.values.get("bdc_number"), d.beneficiary_name or None, title)


@dataclass(slots=True)
class GroupPlan:
    couloir: str
    type: str
    chosen: bool
    marked_hors_delai: bool
    closing: Event | None  # the earliest closing among the group's guichets
    closed: bool
    exported: list[Exportable] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def key(self) -> GroupKey:
        return self.couloir, self.type

    @property
    def blocked(self) -> int:
        """Demandes kept out only by the closed guichet: what « hors délai » would let in."""
        return sum(1 for item in self.left_out if item.reason is Reason.CLOSED)

    @property
    def hors_delai(self) -> bool:
        """Exported past its closing, on the user's word."""
        return any(item.hors_delai for item in self.exported)

    @property
    def requested_ht(self) -> Decimal:
        return sum((item.demande.requested_ht for item in self.exported), Decimal(0))


@dataclass(slots=True)
class ExportPlan:
    result: PipelineResult
    options: ExportOptions
    groups: list[GroupPlan]  # sorted by couloir and type
    rows_left_out: list[LeftOut]  # BDC rows that gave no demande

    @property
    def waived(self) -> frozenset[str]:
        """Ids of the demandes exported « hors délai »: their closed-guichet error is waived (computed from the
        groups, so a demande the writer moves out after planning is no longer waived)."""
        return frozenset(item.demande.id for g in self.groups for item in g.exported if item.hors_delai)

    @property
    def exported(self) -> int:
        return sum(len(g.exported) for g in self.groups)

    @property
    def left_out(self) -> list[LeftOut]:
        return [item for g in self.groups for item in g.left_out] + self.rows_left_out

    @property
    def tables(self) -> list[Table]:
        """The source tables the demandes came from (clients, BDC list, soldes list)."""
        if not self.result.demandes:
            return []
        return self.result.tables

    def errors(self) -> list[Diagnostic]:
        """The errors that still stand: every one, but the closed guichet of a demande exported hors délai."""
        return [d for d in self.result.diagnostics if d.severity is Severity.ERROR
                and not (d.code == CLOSED_CODE and d.request in self.waived)]


def _said(diagnostics: Iterable[Diagnostic], here: tuple[str, int] | None = None) -> tuple[str, ...]:
    """Each problem once, its message first (the reason is read even when the text is cut), then where it is; on
    the row `here` (file, row) the column is enough."""
    said = []
    for d in diagnostics:
        if here is not None and (d.file, d.row) == here:
            where = _("colonne {column}").format(column=d.column) + (f" ({d.header})" if d.header else "") \
                if d.column else ""
        else:
            where = location(d)
        text = f"{d.message.rstrip('.')} — {where}." if where else d.message
        if text not in said:
            said.append(text)
    return tuple(said)


def _title(diagnostics: Iterable[Diagnostic]) -> str | None:
    """The kind of the first problem (« Date inexistante », « Aucune solution référencée »), for a short « Motif »."""
    first = next(iter(diagnostics), None)
    return _(MESSAGES[first.code].title) if first is not None and first.code in MESSAGES else None


class _Planner:
    def __init__(self, result: PipelineResult, options: ExportOptions, calendar: Calendar) -> None:
        self.result, self.options, self.calendar = result, options, calendar
        self.context = result.context  # the listing validation checked the pieces in: the bundle takes those
        self.by_request: dict[str, list[Diagnostic]] = {}
        self.by_row: dict[tuple[str, int], list[Diagnostic]] = {}
        for d in result.diagnostics:
            if d.severity is not Severity.ERROR:
                continue
            if d.request:
                self.by_request.setdefault(d.request, []).append(d)
            if d.file and d.row:
                self.by_row.setdefault((d.file, d.row), []).append(d)

    def invalid(self, d: Demande, errors: list[Diagnostic]) -> LeftOut:
        """What makes the demande invalid: its own errors, else those of its BDC row, else of its client's row."""
        here = (str(d.bdc.table.path), d.bdc.row)
        for found, at in ((errors, here), (self.by_row.get(here, []), here),
                          (self.by_row.get((str(d.client.table.path), d.client.row), []), None)):
            if found:
                return LeftOut.of(Reason.INVALID, d, _said(found, at), _title(found))
        return LeftOut.of(Reason.INVALID, d, (_("Des valeurs de cette demande n'ont pas pu être lues."),))

    def group(self, key: GroupKey, members: list[Demande]) -> GroupPlan:
        couloir, kind = key
        guichets = {self.calendar.guichet(d.solution.vague, couloir, kind, d.solution.software_kind) for d in members}
        closings = sorted((g.closing for g in guichets if g is not None and g.closing is not None),
                          key=lambda e: e.instant)
        chosen = self.options.only is None or key in self.options.only
        group = GroupPlan(couloir, kind, chosen, key in self.options.hors_delai, closings[0] if closings else None,
                          any(g is not None and g.is_closed(self.result.at) for g in guichets))
        for d in members:
            self.place(group, d)
        return group

    def place(self, group: GroupPlan, d: Demande) -> None:
        """The validation's verdict decides (`d.errors`); the closed guichet alone can be waived."""
        errors = self.by_request.get(d.id, [])
        closure = [e for e in errors if e.code == CLOSED_CODE]
        if not d.complete or d.errors > len(closure):
            group.left_out.append(self.invalid(d, [e for e in errors if e.code != CLOSED_CODE]))
        elif self.result.register is not None and (entry := self.result.register.deposited(d.id)) is not None:
            group.left_out.append(LeftOut.of(Reason.DEPOSITED, d, (
                _("Déjà déposée : statut « {status} » dans le suivi ; elle n'est pas exportée de nouveau.").format(
                    status=self.result.register.lifecycle.label(entry.status)),)))
        elif not self.options.exported_again and (entry := self.exported_before(d.id)) is not None:
            group.left_out.append(LeftOut.of(Reason.EXPORTED, d, (
                _("Déjà exportée le {day} (paquet « {bundle} »), sans statut du portail : elle n'est pas remise dans "
                  "ce paquet. Déposée ? Indiquez son statut (page Suivi). Paquet perdu ? Exportez-la de nouveau.").format(
                    day=entry.exported_at.astimezone(PARIS).strftime("%d/%m/%Y"), bundle=entry.bundle_name),)))
        elif not group.chosen:
            group.left_out.append(LeftOut.of(Reason.NOT_CHOSEN, d, (
                _("Le couloir {couloir} ({type}) n'a pas été retenu pour cet export.").format(
                    couloir=group.couloir, type=group.type),)))
        elif closure and not group.marked_hors_delai:
            group.left_out.append(LeftOut.of(Reason.CLOSED, d, _said(closure, (str(d.bdc.table.path), d.bdc.row)) + (
                _("Pour la déposer malgré tout, exportez ce couloir « hors délai » (le manifeste le dira)."),),
                _title(closure)))
        else:
            found, missing = attachments(d, self.context)
            if missing is not None:
                group.left_out.append(LeftOut.of(Reason.INVALID, d, (
                    _("La pièce « {name} » est introuvable dans le dossier des pièces justificatives « {folder} » : "
                      "ajoutez-la, puis revérifiez.").format(name=missing, folder=self.context.pieces),),
                    _("Pièce introuvable")))
            else:
                group.exported.append(Exportable(d, found, bool(closure)))

    def exported_before(self, request: str) -> Entry | None:
        """The register's entry of a demande exported before and still « exportée » (no portal status yet)."""
        register = self.result.register
        if register is None:
            return None
        entry = register.by_id.get(request)
        return entry if entry is not None and entry.status == register.lifecycle.initial else None

    def rows_without_request(self) -> list[LeftOut]:
        """BDC rows that gave no demande (all of them, when none did), with their own errors, or their client's
        when they have none."""
        built = {(id(d.bdc.table), d.bdc.row) for d in self.result.demandes}
        found = []
        for bdc in self.result.tables[1:]:
            for row, raw in bdc.rows:
                if (id(bdc), row) in built or all(clean_text(value) is None for value in raw):
                    continue
                here = (str(bdc.path), row)
                own = self.by_row.get(here, [])
                details, title = (_said(own, here), _title(own)) if own else self.client_errors(bdc, row)
                number = _cell_text(bdc, raw, "bdc_number")
                found.append(LeftOut(Reason.NO_REQUEST, bdc.path, bdc.sheet, row, details, bdc_number=number,
                                     title=title))
        return found

    def client_errors(self, bdc: Table, row: int) -> tuple[tuple[str, ...], str | None]:
        """A row is silent when its client's preferred identifier is wrong: the error is on the client's row."""
        client = self.result.joined.get((id(bdc), row))
        if client is None:
            return (_("Cette ligne n'a donné aucune demande."),), None
        name = client.values.get("name") or client.values.get("client_code") or "?"
        errors = self.by_row.get((str(client.table.path), client.row), [])
        if errors:
            return (_("Le client « {code} » de cette ligne est en erreur dans {file} :").format(
                code=name, file=client.table.path.name), *_said(errors)), _title(errors)
        return (_("Cette ligne n'a donné aucune demande (client « {code} »).").format(code=name),), None

    def plan(self) -> ExportPlan:
        by_group: dict[GroupKey, list[Demande]] = {}
        for d in self.result.demandes:
            by_group.setdefault((d.couloir.code, d.type), []).append(d)
        groups = [self.group(key, members) for key, members in sorted(by_group.items())]
        return ExportPlan(self.result, self.options, groups, self.rows_without_request())


def _cell_text(table: Table, raw: list[Any], field_name: str) -> str | None:
    column = table.columns.get(field_name)
    return clean_text(raw[column]) if column is not None and column < len(raw) else None


def rows_without_request(result: PipelineResult) -> list[LeftOut]:
    """The BDC rows that gave no demande, and why: what the export leaves out before any demande exists (the
    Tableau de bord says them too)."""
    return _Planner(result, ExportOptions(), load_calendar()).rows_without_request()


def plan_export(result: PipelineResult, options: ExportOptions = ExportOptions(),
                calendar: Calendar | None = None) -> ExportPlan:
    """Decide, for each demande and BDC row of `result`, whether it goes in and, if not, why."""
    return _Planner(result, options, calendar or load_calendar()).plan()
