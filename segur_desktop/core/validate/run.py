"""The validation stage: schema conformity, then business rules, per demande.

A demande is valid when no error names it. Each demande is written in the
deposit format in force for its couloir and type (`core/formats/`) and that
JSON is checked against the format's schema; a schema error's JSON pointer
leads, through the format's template, to the canonical field and so to the
cell (`Demande.cell_of`): even "required field missing" points at a cell.
Rules name canonical fields; their `path` becomes the format's JSON pointer.

Speed (issue #4): the schema is checked a block of demandes at a time, one
jsonschema-rs call per couloir and type (`_suspects`), and only the demandes of
a failing call are looked at one by one; findings keep the demandes' order.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from segur_desktop.core.build import Demande
from segur_desktop.core.diagnostics import Diagnostic, make
from segur_desktop.core.formats.render import file_fields, render_demande
from segur_desktop.core.gcpause import gc_paused
from segur_desktop.core.i18n import _
from segur_desktop.core.messages import Severity
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from segur_desktop.core.validate.french import describe, missing_field
from segur_desktop.core.validate.rules import RULES, RuleContext
from segur_desktop.core.validate.schemas import SchemaEntry, SchemaRegistry
from segur_desktop.core.workspace import Vendor

PROGRESS_EVERY = 2000


class _Rendering:
    """Each demande's JSON in the format in force, made when needed and not kept (20k of them weigh 160 MB)."""

    def __init__(self, registry: SchemaRegistry, vendor: Vendor | None) -> None:
        self.registry, self.vendor = registry, vendor
        self.contexts: dict[tuple[str, str], dict[str, Any]] = {}

    def entry(self, d: Demande) -> SchemaEntry | None:
        return self.registry.entry(d.couloir.code, d.type, d.solution.vague)

    def render(self, d: Demande, entry: SchemaEntry) -> dict[str, Any]:
        key = (entry.couloir, entry.type)
        context = self.contexts.get(key)
        if context is None:
            context = self.contexts[key] = file_fields(self.vendor, *key)
        return render_demande(entry, d, context)


def schema_findings(d: Demande, registry: SchemaRegistry, vendor: Vendor | None = None) -> list[Diagnostic]:
    return _schema_findings(d, _Rendering(registry, vendor))


def _schema_findings(d: Demande, rendering: _Rendering) -> list[Diagnostic]:
    entry = rendering.entry(d)
    if entry is None:
        return [make("schema_absent", d.bdc.row_cell(), request=d.id, couloir=d.couloir.code, type=d.type)]
    if entry.template.gaps:
        gaps = ", ".join(gap.path for gap in entry.template.gaps)
        return [make("format_incomplet", d.bdc.row_cell(), request=d.id, format=entry.format.id, keys=gaps)]
    vague = d.solution.vague
    errors = rendering.registry.request_errors(d.couloir.code, d.type, rendering.render(d, entry), vague) or []
    titles = rendering.registry.titles(d.couloir.code, d.type, vague) if errors else {}
    found = []
    for error in errors:
        parts = [str(p) for p in error.absolute_path]
        if error.validator == "required":
            parts.append(missing_field(error))
        where = "".join(f"/{p}" for p in parts)
        title = titles.get(tuple("*" if p.isdigit() else p for p in parts))
        field_id, index = entry.template.field_at(parts)
        found.append(make("schema", d.cell_of(field_id, index), request=d.id, path=where,
                          detail=describe(error, title)))
    return found


def _suspects(demandes: list[Demande], rendering: _Rendering) -> list[Demande]:
    """The complete demandes, in order, that may break their schema (or have none).

    Each couloir, type and wave is checked in one call (`requests_valid`); the demandes of a
    group that passes are valid, the others are suspects for `schema_findings`. An
    incomplete demande already has its errors at the cells it could not read.
    """
    groups: dict[tuple[str, str, str], list[Demande]] = {}
    for d in demandes:
        if d.complete:
            groups.setdefault((d.couloir.code, d.type, d.solution.vague), []).append(d)
    failing = set()
    for key, members in groups.items():
        entry = rendering.entry(members[0])
        if entry is None or entry.template.gaps or not rendering.registry.requests_valid(
                key[0], key[1], [rendering.render(d, entry) for d in members], key[2]):
            failing.add(key)
    if not failing:
        return []
    return [d for d in demandes if d.complete and (d.couloir.code, d.type, d.solution.vague) in failing]


def _pointer(diagnostic: Diagnostic, d: Demande, rendering: _Rendering) -> Diagnostic:
    """A rule's path (a canonical field: "bdc.numero", "pieces/2") as the format's JSON pointer."""
    path = diagnostic.path
    if not path or path.startswith("/"):
        return diagnostic
    entry = rendering.entry(d)
    if path.startswith("pieces/"):
        pointer = entry.template.pointer_of("pieces[].fichier", int(path.split("/")[1])) if entry else None
    else:
        pointer = entry.template.pointer_of(path) if entry else None
    return replace(diagnostic, path=pointer)


def validate_demandes(
    demandes: list[Demande],
    registry: SchemaRegistry,
    context: RuleContext,
    *,
    vendor: Vendor | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> list[Diagnostic]:
    """Validate every demande in place (its error and warning counts) and return the findings."""
    diagnostics: list[Diagnostic] = []
    rendering = _Rendering(registry, vendor)
    stage = _("Vérification des demandes")
    total = len(demandes)

    def record(d: Demande | None, diagnostic: Diagnostic) -> None:
        if d is not None:
            diagnostic = _pointer(diagnostic, d, rendering)
            if diagnostic.severity is Severity.ERROR:
                d.errors += 1
            elif diagnostic.severity is Severity.WARNING:
                d.warnings += 1
        diagnostics.append(diagnostic)

    with gc_paused():  # the rules index 20k demandes by tuples of their values
        for start in range(0, total, PROGRESS_EVERY):
            end = min(start + PROGRESS_EVERY, total)
            for d in _suspects(demandes[start:end], rendering):
                for diagnostic in _schema_findings(d, rendering):
                    record(d, diagnostic)
            if end % PROGRESS_EVERY == 0:
                if cancel:
                    cancel.check()
                progress(Progress(stage, end, total))
        for rule in RULES:
            for about, diagnostic in rule(demandes, context):  # about: the demande, None for a batch-wide finding
                record(about, diagnostic)
    progress(Progress(stage, total, total))
    return diagnostics


def attach_requests(diagnostics: list[Diagnostic], demandes: list[Demande]) -> list[Diagnostic]:
    """Name the demande on diagnostics found at its BDC row before it existed (normalisation)."""
    if all(diagnostic.request is not None or diagnostic.row is None for diagnostic in diagnostics):
        return diagnostics  # a clean batch: no need to index 20k demandes by row
    by_row: dict[tuple[str | None, int | None], Demande] = {(str(d.bdc.table.path), d.bdc.row): d for d in demandes}
    attached = []
    for diagnostic in diagnostics:
        d = by_row.get((diagnostic.file, diagnostic.row)) if diagnostic.request is None else None
        if d is not None:
            if diagnostic.severity is Severity.ERROR:
                d.errors += 1
            elif diagnostic.severity is Severity.WARNING:
                d.warnings += 1
            diagnostic = replace(diagnostic, request=d.id)
        attached.append(diagnostic)
    return attached
