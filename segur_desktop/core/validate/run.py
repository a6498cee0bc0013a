"""The validation stage: schema conformity, then business rules, per demande.

A demande is valid when no error names it. Schema errors are located with
the demande's `cell_at`, so even "required field missing" points at a cell.
"""

from __future__ import annotations

from dataclasses import replace

from segur_desktop.core.build import Demande
from segur_desktop.core.diagnostics import Diagnostic, make
from segur_desktop.core.i18n import _
from segur_desktop.core.messages import Severity
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from segur_desktop.core.validate.french import describe, missing_field
from segur_desktop.core.validate.rules import RULES, RuleContext
from segur_desktop.core.validate.schemas import SchemaRegistry

PROGRESS_EVERY = 2000


def schema_findings(d: Demande, registry: SchemaRegistry) -> list[Diagnostic]:
    errors = registry.request_errors(d.couloir.code, d.type, d.data)
    if errors is None:
        return [make("schema_absent", d.bdc.row_cell(), request=d.id, couloir=d.couloir.code, type=d.type)]
    titles = registry.titles(d.couloir.code, d.type) if errors else {}
    found = []
    for error in errors:
        parts = [str(p) for p in error.absolute_path]
        if error.validator == "required":
            parts.append(missing_field(error))
        where = "".join(f"/{p}" for p in parts)
        title = titles.get(tuple("*" if p.isdigit() else p for p in parts))
        found.append(make("schema", d.cell_at(where), request=d.id, path=where, detail=describe(error, title)))
    return found


def validate_demandes(
    demandes: list[Demande],
    registry: SchemaRegistry,
    context: RuleContext,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> list[Diagnostic]:
    """Validate every demande in place (its error and warning counts) and return the findings."""
    diagnostics: list[Diagnostic] = []
    stage = _("Vérification des demandes")
    total = len(demandes)

    def record(d: Demande | None, diagnostic: Diagnostic) -> None:
        if d is not None:
            if diagnostic.severity is Severity.ERROR:
                d.errors += 1
            elif diagnostic.severity is Severity.WARNING:
                d.warnings += 1
        diagnostics.append(diagnostic)

    for count, d in enumerate(demandes, start=1):
        if d.complete:  # an incomplete demande already has its errors at the cells it could not read
            for diagnostic in schema_findings(d, registry):
                record(d, diagnostic)
        if count % PROGRESS_EVERY == 0:
            if cancel:
                cancel.check()
            progress(Progress(stage, count, total))
    for rule in RULES:
        for d, diagnostic in rule(demandes, context):
            record(d, diagnostic)
    progress(Progress(stage, total, total))
    return diagnostics


def attach_requests(diagnostics: list[Diagnostic], demandes: list[Demande]) -> list[Diagnostic]:
    """Name the demande on diagnostics found at its BDC row before it existed (normalisation)."""
    by_row = {(str(d.bdc.table.path), d.bdc.row): d for d in demandes}
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
