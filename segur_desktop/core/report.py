"""The diagnostics report: a summary plus every diagnostic, as JSON or French text.

The text report groups diagnostics by code with counts, like a data-review
tool ("3 × Identifiant invalide (clé)"), lists at most `cap` occurrences per
code and always gives the total. It also says by which kind of key the BDC
rows found their clients: when a BDC list and a client list share several
identifiers, the user sees which one did the work. The JSON report is the full
detail: `{"summary": {...}, "diagnostics": [...]}`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from segur_desktop import __version__
from segur_desktop.core.build import Demande
from segur_desktop.core.calendar import format_instant
from segur_desktop.core.diagnostics import Diagnostic, counts
from segur_desktop.core.i18n import _
from segur_desktop.core.identity import key_catalog
from segur_desktop.core.messages import MESSAGES, Severity
from segur_desktop.core.normalise.amounts import format_amount, format_fr
from segur_desktop.core.output import WrittenFile

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
SEVERITY_TITLES = {Severity.ERROR: "ERREURS", Severity.WARNING: "AVERTISSEMENTS", Severity.INFO: "INFORMATIONS"}


def summarise(
    name: str, at: datetime, demandes: list[Demande], diagnostics: list[Diagnostic], bdc_rows: int,
    written: list[WrittenFile] | None = None,
) -> dict[str, Any]:
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for d in demandes:
        group = groups.setdefault((d.couloir.code, d.type), {
            "couloir": d.couloir.code, "type": d.type, "requests": 0, "valid": 0, "invalid": 0,
            "valid_amount_ht": Decimal(0)})
        group["requests"] += 1
        if d.valid:
            group["valid"] += 1
            group["valid_amount_ht"] += d.requested_ht
        else:
            group["invalid"] += 1
    by_couloir = [dict(g, valid_amount_ht=format_amount(g["valid_amount_ht"])) for _key, g in sorted(groups.items())]
    severities = counts(diagnostics)
    valid = sum(1 for d in demandes if d.valid)
    summary: dict[str, Any] = {
        "app_version": __version__,
        "workspace": name,
        "at": at.isoformat(),
        "bdc_rows": bdc_rows,
        "bdc_rows_without_request": bdc_rows - len(demandes),
        "requests": len(demandes),
        "valid": valid,
        "invalid": len(demandes) - valid,
        "errors": severities.get("error", 0),
        "warnings": severities.get("warning", 0),
        "infos": severities.get("info", 0),
        "by_couloir": by_couloir,
        "joined_by": _joined_by(demandes),
    }
    if written is not None:
        summary["files"] = [{"file": w.path.name, "couloir": w.couloir, "type": w.type, "requests": w.count,
                             "schema": w.schema_id} for w in written]
    return summary


def _joined_by(demandes: list[Demande]) -> list[dict[str, Any]]:
    """The demandes per kind of key that joined their BDC row to its client, most used first."""
    labels = key_catalog().labels
    order = list(labels)
    tally = Counter(d.joined_by for d in demandes)
    ranked = sorted(tally, key=lambda kind: (-tally[kind], order.index(kind)))
    return [{"key": kind, "label": labels[kind], "requests": tally[kind]} for kind in ranked]


def joined_by_text(joined_by: list[dict[str, Any]]) -> str:
    """« 30 par FINESS ET, 12 par SIRET »: the report's line, and the window's."""
    return ", ".join(_("{n} par {label}").format(n=entry["requests"], label=entry["label"]) for entry in joined_by)


def as_json(summary: dict[str, Any], diagnostics: list[Diagnostic]) -> dict[str, Any]:
    ordered = sorted(diagnostics, key=_order)
    return {"summary": summary, "diagnostics": [d.to_dict() for d in ordered]}


def _order(d: Diagnostic) -> tuple:
    return (SEVERITY_ORDER[d.severity], d.code, d.file or "", d.sheet or "", d.row or 0, d.column or "")


def location(d: Diagnostic) -> str:
    """"clients.xlsx › Clients, ligne 14, colonne D (FINESS ET)"."""
    if d.file is None:
        return ""
    parts = [Path(d.file).name]
    if d.sheet:
        parts[0] += f" › {d.sheet}"
    if d.row:
        parts.append(_("ligne {row}").format(row=d.row))
    if d.column:
        parts.append(_("colonne {column}").format(column=d.column) + (f" ({d.header})" if d.header else ""))
    return ", ".join(parts)


def rows_by_file(members: list[Diagnostic], cap: int = 8) -> str:
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


def render_text(summary: dict[str, Any], diagnostics: list[Diagnostic], cap: int = 10) -> str:
    lines = [
        _("Segur Desktop {version} — dossier « {name} », contrôlé au {at} (heure de Paris)").format(
            version=summary["app_version"], name=summary["workspace"],
            at=format_instant(datetime.fromisoformat(summary["at"]))),
        "",
        _("Demandes : {n} ({valid} valides, {invalid} invalides) ; lignes de BDC : {rows}, dont {lost} sans demande.").format(
            n=summary["requests"], valid=summary["valid"], invalid=summary["invalid"],
            rows=summary["bdc_rows"], lost=summary["bdc_rows_without_request"]),
    ]
    if summary["joined_by"]:
        lines.append(_("Rapprochement des clients : {counts}.").format(counts=joined_by_text(summary["joined_by"])))
    if summary["by_couloir"]:
        lines += ["", _("  Couloir   Type     Demandes  Valides  Invalides  Montant demandé HT (valides)")]
        for g in summary["by_couloir"]:
            lines.append(f"  {g['couloir']:<9} {g['type']:<8} {g['requests']:>8}  {g['valid']:>7}  {g['invalid']:>9}  "
                         f"{format_fr(g['valid_amount_ht']):>28}")
    lines += ["", _("Erreurs : {e} · Avertissements : {w} · Informations : {i}").format(
        e=summary["errors"], w=summary["warnings"], i=summary["infos"])]
    for file in summary.get("files", []):
        lines.append(_("Fichier écrit : {file} ({n} demandes)").format(file=file["file"], n=file["requests"]))
    groups: dict[tuple[Severity, str], list[Diagnostic]] = defaultdict(list)
    for d in sorted(diagnostics, key=_order):
        groups[(d.severity, d.code)].append(d)
    current = None
    for (severity, code), members in groups.items():
        if severity != current:
            current = severity
            lines += ["", _(SEVERITY_TITLES[severity])]
        rows = rows_by_file(members)
        lines.append(f"  {len(members)} × {_(MESSAGES[code].title)}" + (f" — {rows}" if rows else ""))
        for d in members[:cap]:
            where = location(d)
            lines.append(f"    - {where + ' : ' if where else ''}{d.message}")
        if len(members) > cap:
            lines.append("    " + _("… et {n} autres (détail complet : --format json)").format(n=len(members) - cap))
        lines.append(f"    → {members[0].fix}")
    return "\n".join(lines) + "\n"
