"""Demandes deposited before Segur Desktop kept their memory: taken over from the workspace.

Vendors start using the product in the middle of the programme: their avances
were deposited months ago, by hand or with another tool, and no bundle of
ours holds them. Without them in the register no solde can be judged. The
workspace still describes them (its BDC list), and the portal's list of
statuses names them: a status file line whose request the register does not
know, but whose BDC number (and type) the workspace builds, can take that
demande over (« reprise ») — recorded as our export would have recorded it,
its attachments hashed from the pieces folder, under an export of kind
"reprise" that says where it came from. The user sees these lines in the
status file's preview before anything is written.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from segur_desktop.core.build import Demande
from segur_desktop.core.calendar import load_calendar
from segur_desktop.core.export.attachments import attachments, with_member_names
from segur_desktop.core.export.zips import hash_file
from segur_desktop.core.formats.render import file_fields
from segur_desktop.core.i18n import _
from segur_desktop.core.messages import Severity
from segur_desktop.core.pipeline import PipelineResult
from segur_desktop.core.register.record import deposit_item
from segur_desktop.core.register.store import Attachment, DepositItem, ExportRecord, RecordOutcome, Register, now
from segur_desktop.core.validate.rules import RuleContext

KIND = "reprise"
# Errors that only say "too late" or "already known": a demande deposited long ago has them, and is still itself.
TIME_CODES = frozenset({"guichet_ferme", "guichet_pas_ouvert", "bdc_apres_fermeture", "deja_exportee",
                        "deja_deposee", "solde_sans_avance", "solde_avance_non_validee"})


def adoptable(result: PipelineResult) -> dict[str, Demande]:
    """The workspace's demandes that can be taken over, by id: read completely, and in error only for time."""
    blocking = {d.request for d in result.diagnostics
                if d.severity is Severity.ERROR and d.request and d.code not in TIME_CODES}
    return {d.id: d for d in result.demandes if d.complete and d.id not in blocking}


def _item(d: Demande, context: RuleContext, result: PipelineResult) -> DepositItem:
    """The demande as the export would have deposited it (in the format in force), its PDFs hashed; no deposit
    file holds it."""
    found, _missing = attachments(d, context)
    pieces = tuple(Attachment(a.name, *hash_file(a.source), a.label) for a in found)  # « 2022-11/B1.pdf »: found again by it
    fields = with_member_names(d)
    schema = result.registry.entry(d.couloir.code, d.type, d.solution.vague)
    request = schema.template.render_demande(
        fields, file_fields(result.workspace.vendor, d.couloir.code, d.type)) if schema else fields
    return deposit_item(request, fields, "", "", pieces)


def adopt(register: Register, result: PipelineResult, demandes: list[Demande], *, origin: str,
          at: datetime | None = None) -> RecordOutcome:
    """Record `demandes` as taken over from the workspace (`origin`: the status file that named them)."""
    at = at or now()
    context = RuleContext(result.at, load_calendar(), result.workspace.pieces)
    items = tuple(_item(d, context, result) for d in demandes)
    key = hashlib.sha256("|".join([KIND, at.isoformat(), *sorted(d.id for d in demandes)]).encode()).hexdigest()
    folder = result.workspace.folder or Path(".")
    name = _("reprise depuis {origin}").format(origin=origin)
    return register.record(ExportRecord(str(folder), name, key, KIND, at.isoformat(), result.workspace.name, items),
                           at=at)
