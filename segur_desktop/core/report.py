"""The diagnostics report: a summary plus every diagnostic, as JSON or French text.

The text report groups diagnostics by code with counts, like a data-review
tool ("3 × Identifiant invalide (clé)"), lists at most `cap` occurrences per
code and always gives the total. It also says by which kind of key the BDC
rows found their clients: when a BDC list and a client list share several
identifiers, the user sees which one did the work. The JSON report is the full
detail: `{"summary": {...}, "diagnostics": [...]}`.

The summary is a `Summary` dataclass (typed fields, read by the window); `Summary.as_json()` is
the only place it becomes the JSON report's shape. `group()` is the one grouping of diagnostics
(severity, then code), used by the text report and adapted by the window's problems panel.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from segur_desktop import __version__
from segur_desktop.core.build import Demande
from segur_desktop.core.calendar import format_instant
from segur_desktop.core.diagnostics import Diagnostic, counts
from segur_desktop.core.i18n import _
from segur_desktop.core.identity import key_catalog
from segur_desktop.core.messages import MESSAGES, Severity
from segur_desktop.core.normalise.amounts import format_amount, format_fr
from segur_desktop.core.read.limits import CSV_SUFFIXES

if TYPE_CHECKING:
    from segur_desktop.core.output import WrittenFile  # written files come from `build`, which imports it

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
SEVERITY_TITLES = {Severity.ERROR: "ERREURS", Severity.WARNING: "AVERTISSEMENTS", Severity.INFO: "INFORMATIONS"}


@dataclass(frozen=True, slots=True)
class CouloirTotal:
    """The demandes of one couloir and type: how many, how many valid, the valid ones' amount."""

    couloir: str
    type: str
    requests: int
    valid: int
    invalid: int
    valid_amount_ht: Decimal

    def as_json(self) -> dict[str, Any]:
        return {"couloir": self.couloir, "type": self.type, "requests": self.requests, "valid": self.valid,
                "invalid": self.invalid, "valid_amount_ht": format_amount(self.valid_amount_ht)}


@dataclass(frozen=True, slots=True)
class JoinedBy:
    """How many demandes found their client by one kind of key (« 30 par FINESS ET »)."""

    key: str
    label: str
    requests: int

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "requests": self.requests}


@dataclass(frozen=True, slots=True)
class FileWritten:
    """One deposit file written by `build`."""

    file: str
    couloir: str
    type: str
    requests: int
    schema: str

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "couloir": self.couloir, "type": self.type, "requests": self.requests,
                "schema": self.schema}


@dataclass(frozen=True, slots=True)
class Summary:
    """One pipeline run in figures: what the report's head says and the window's dashboard shows.

    Typed (the instant a `datetime`, amounts `Decimal`): the window reads fields, and only `as_json()`
    turns it into the JSON report's `summary` object.
    """

    app_version: str
    workspace: str
    at: datetime
    bdc_rows: int
    bdc_rows_without_request: int
    requests: int
    valid: int
    invalid: int
    errors: int
    warnings: int
    infos: int
    by_couloir: tuple[CouloirTotal, ...]
    joined_by: tuple[JoinedBy, ...]
    files: tuple[FileWritten, ...] | None = None  # only after `build` wrote them

    def as_json(self) -> dict[str, Any]:
        """The JSON report's `summary`, as it always was (ISO instant, amounts as "1250.00" strings)."""
        data: dict[str, Any] = {
            "app_version": self.app_version,
            "workspace": self.workspace,
            "at": self.at.isoformat(),
            "bdc_rows": self.bdc_rows,
            "bdc_rows_without_request": self.bdc_rows_without_request,
            "requests": self.requests,
            "valid": self.valid,
            "invalid": self.invalid,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "by_couloir": [g.as_json() for g in self.by_couloir],
            "joined_by": [j.as_json() for j in self.joined_by],
        }
        if self.files is not None:
            data["files"] = [f.as_json() for f in self.files]
        return data


def summarise(
    name: str, at: datetime, demandes: list[Demande], diagnostics: list[Diagnostic], bdc_rows: int,
    written: list[WrittenFile] | None = None,
) -> Summary:
    groups: dict[tuple[str, str], list[Any]] = {}  # (couloir, type) -> [requests, valid, valid amount]
    for d in demandes:  # one pass, each group's list made once: 20k demandes in 7 ms rather than 11
        key = (d.couloir.code, d.type)
        group = groups.get(key)
        if group is None:
            group = groups[key] = [0, 0, Decimal(0)]
        group[0] += 1
        if d.valid:
            group[1] += 1
            group[2] += d.requested_ht
    by_couloir = tuple(CouloirTotal(couloir, kind, n, valid, n - valid, amount)
                       for (couloir, kind), (n, valid, amount) in sorted(groups.items()))
    severities = counts(diagnostics)
    valid = sum(group[1] for group in groups.values())
    files = None if written is None else tuple(
        FileWritten(w.path.name, w.couloir, w.type, w.count, w.schema_id) for w in written)
    return Summary(
        app_version=__version__, workspace=name, at=at, bdc_rows=bdc_rows,
        bdc_rows_without_request=bdc_rows - len(demandes), requests=len(demandes), valid=valid,
        invalid=len(demandes) - valid, errors=severities.get("error", 0), warnings=severities.get("warning", 0),
        infos=severities.get("info", 0), by_couloir=by_couloir, joined_by=_joined_by(demandes), files=files)


def _joined_by(demandes: list[Demande]) -> tuple[JoinedBy, ...]:
    """The demandes per kind of key that joined their BDC row to its client, most used first."""
    labels = key_catalog().labels
    order = list(labels)
    tally = Counter(d.joined_by for d in demandes)
    ranked = sorted(tally, key=lambda kind: (-tally[kind], order.index(kind)))
    return tuple(JoinedBy(kind, labels[kind], tally[kind]) for kind in ranked)


def joined_by_text(joined_by: Sequence[JoinedBy]) -> str:
    """« 30 par FINESS ET, 12 par SIRET »: the report's line, and the window's."""
    return ", ".join(_("{n} par {label}").format(n=entry.requests, label=entry.label) for entry in joined_by)


@dataclass(frozen=True, slots=True)
class Group:
    """The diagnostics of one code (and severity), in sheet order: one line of the report, one row of the
    window's problems panel."""

    code: str
    severity: Severity
    items: tuple[Diagnostic, ...]


def group(diagnostics: list[Diagnostic]) -> list[Group]:
    """Errors first, then warnings, then information; by code inside; occurrences by file, sheet, row, column.

    The one grouping of diagnostics: the text report prints it, the window's problems panel
    (`gui/models/diagnostics_model.py`) shows it as a tree."""
    by_key: dict[tuple[Severity, str], list[Diagnostic]] = defaultdict(list)
    for d in sorted(diagnostics, key=_order):
        by_key[(d.severity, d.code)].append(d)
    return [Group(code, severity, tuple(items)) for (severity, code), items in by_key.items()]


def as_json(summary: Summary, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    ordered = sorted(diagnostics, key=_order)
    return {"summary": summary.as_json(), "diagnostics": [d.to_dict() for d in ordered]}


def _order(d: Diagnostic) -> tuple[int, str, str, str, int, str]:
    return (SEVERITY_ORDER[d.severity], d.code, d.file or "", d.sheet or "", d.row or 0, d.column or "")


def place(file: str | Path, sheet: str | None, row: int | None) -> str:
    """"clients.xlsx › Clients, ligne 14"; "bdc.csv, ligne 5" (a CSV's one sheet is named after its file:
    « bdc.csv › bdc » named a sheet the user never made). The one way a row is located, in reports and exports."""
    parts = [Path(file).name]
    if sheet and Path(file).suffix.lower() not in CSV_SUFFIXES:
        parts[0] += f" › {sheet}"
    if row:
        parts.append(_("ligne {row}").format(row=row))
    return ", ".join(parts)


def location(d: Diagnostic) -> str:
    """"clients.xlsx › Clients, ligne 14, colonne D (FINESS ET)" (`place`, and the column)."""
    if d.file is None:
        return ""
    parts = [place(d.file, d.sheet, d.row)]
    if d.column:
        parts.append(_("colonne {column}").format(column=d.column) + (f" ({d.header})" if d.header else ""))
    return ", ".join(parts)


def rows_by_file(members: Sequence[Diagnostic], cap: int = 8) -> str:
    """"clients.xlsx : lignes 7, 18 ; bons_de_commande.xlsx : ligne 4": where a code occurs, at a glance."""
    by_file: dict[str, list[int]] = defaultdict(list)
    for d in members:
        if d.file and d.row and d.row not in by_file[d.file]:
            by_file[d.file].append(d.row)
    parts = []
    for file, rows in by_file.items():
        shown = ", ".join(str(r) for r in rows[:cap]) + (", …" if len(rows) > cap else "")
        label = _("ligne") if len(rows) == 1 else _("lignes")
        parts.append(f"{Path(file).name} : {label} {shown}")
    return " ; ".join(parts)


def render_text(summary: Summary, diagnostics: list[Diagnostic], cap: int = 10) -> str:
    lines = [
        _("Segur Desktop {version} — dossier « {name} », contrôlé au {at} (heure de Paris)").format(
            version=summary.app_version, name=summary.workspace, at=format_instant(summary.at)),
        "",
        _("Demandes : {n} ({valid} valides, {invalid} invalides) ; lignes de BDC : {rows}, dont {lost} sans demande.").format(
            n=summary.requests, valid=summary.valid, invalid=summary.invalid,
            rows=summary.bdc_rows, lost=summary.bdc_rows_without_request),
    ]
    if summary.joined_by:
        lines.append(_("Rapprochement des clients : {counts}.").format(counts=joined_by_text(summary.joined_by)))
    if summary.by_couloir:
        lines += ["", _("  Couloir   Type     Demandes  Valides  Invalides  Montant demandé HT (valides)")]
        for g in summary.by_couloir:
            lines.append(f"  {g.couloir:<9} {g.type:<8} {g.requests:>8}  {g.valid:>7}  {g.invalid:>9}  "
                         f"{format_fr(g.valid_amount_ht):>28}")
    lines += ["", _("Erreurs : {e} · Avertissements : {w} · Informations : {i}").format(
        e=summary.errors, w=summary.warnings, i=summary.infos)]
    for file in summary.files or ():
        lines.append(_("Fichier écrit : {file} ({n} demandes)").format(file=file.file, n=file.requests))
    current = None
    for found in group(diagnostics):
        if found.severity != current:
            current = found.severity
            lines += ["", _(SEVERITY_TITLES[found.severity])]
        members = found.items
        rows = rows_by_file(members)
        lines.append(f"  {len(members)} × {_(MESSAGES[found.code].title)}" + (f" — {rows}" if rows else ""))
        for d in members[:cap]:
            where = location(d)
            lines.append(f"    - {where + ' : ' if where else ''}{d.message}")
        if len(members) > cap:
            lines.append("    " + _("… et {n} autres (détail complet : --format json)").format(n=len(members) - cap))
        lines.append(f"    → {members[0].fix}")
    return "\n".join(lines) + "\n"
