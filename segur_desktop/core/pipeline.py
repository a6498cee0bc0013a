"""The whole path: spreadsheets -> demandes -> validation -> files and report.

read+map -> normalise -> join+build -> validate -> write. Each stage is its
own module; this one only chains them, times them (for bench/) and gathers
diagnostics. Nothing here knows about the CLI or the GUI.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from segur_desktop.core.build import AVENANT, Demande, build_demandes
from segur_desktop.core.calendar import load_calendar
from segur_desktop.core.couloirs import load_catalog
from segur_desktop.core.diagnostics import Diagnostic
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.join import ClientIndex, join_keys, table_kinds
from segur_desktop.core.mapping import load_table
from segur_desktop.core.messages import Severity
from segur_desktop.core.normalise.rows import normalise_table
from segur_desktop.core.normalise.text import match_key
from segur_desktop.core.progress import CancelToken, ProgressCallback, no_progress
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.report import Summary, as_json, render_text, summarise
from segur_desktop.core.source import Record, Table
from segur_desktop.core.validate.rules import RuleContext
from segur_desktop.core.validate.run import attach_requests, validate_demandes
from segur_desktop.core.validate.schemas import SchemaRegistry
from segur_desktop.core.workspace import Fingerprint, Workspace, fingerprints, source_files

if TYPE_CHECKING:
    from segur_desktop.core.output import WrittenFile


@dataclass
class PipelineResult:
    workspace: Workspace
    at: datetime
    demandes: list[Demande]
    diagnostics: list[Diagnostic]
    bdc_rows: int
    registry: SchemaRegistry
    context: RuleContext  # the rules' view of the world (its pieces folder listing is the export's too)
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    written: list[WrittenFile] | None = None
    tables: list[Table] = field(default_factory=list)  # clients, BDC list, and the soldes list if any
    register: RegisterIndex | None = None  # the earlier exports the demandes were checked against
    joined: dict[tuple[int, int], Record] = field(default_factory=dict)  # BDC row without demande -> its client
    read: dict[Path, Fingerprint] = field(default_factory=dict)  # the sources as they were when read (the export checks)

    @property
    def has_errors(self) -> bool:
        """Any error at all: an invalid demande, a BDC row left out, a bad client row."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics) or not all(d.valid for d in self.demandes)

    def summary(self) -> Summary:
        return summarise(self.workspace.name, self.at, self.demandes, self.diagnostics, self.bdc_rows, self.written)

    def report_json(self) -> dict[str, Any]:
        return as_json(self.summary(), self.diagnostics)

    def report_text(self) -> str:
        return render_text(self.summary(), self.diagnostics)


class _Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    def stage(self, name: str, start: float) -> float:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - start
        return now


def declared_avenants(bdcs: list[Record]) -> dict[str, int]:
    """match_key(BDC number) -> the highest avenant the BDC list declares for it: its « N° d'avenant », else the
    count of its avenant rows."""
    found: dict[str, int] = {}
    for record in bdcs:
        values = record.values
        if values.get("request_type") == AVENANT and "bdc_number" in values:
            key = match_key(values["bdc_number"])
            found[key] = max(found.get(key, 0) + 1, values.get("avenant_number", 0))
    return found


def run_pipeline(
    workspace: Workspace,
    at: datetime,
    *,
    registry: SchemaRegistry | None = None,
    register: RegisterIndex | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> PipelineResult:
    """Read, normalise, build and validate; raises InputError for an unusable input.

    With `register` (a snapshot of the vendor's register), demandes are also checked against earlier exports:
    doublons, demandes already deposited, soldes whose avance is not validated.
    """
    timer = _Timer()
    start = time.perf_counter()
    read = fingerprints(workspace)  # before reading: a file saved meanwhile differs, and the export refuses it
    pinned = workspace.mapping
    clients_table = load_table(workspace.clients, "clients", sheet=workspace.clients_sheet,
                               pinned=pinned.get("clients"), progress=progress, cancel=cancel)
    bdc_table = load_table(workspace.bdc, "bdc", sheet=workspace.bdc_sheet,
                           pinned=pinned.get("bdc"), progress=progress, cancel=cancel)
    tables = [clients_table, bdc_table]
    if workspace.soldes is not None:  # read like the BDC list
        tables.append(load_table(workspace.soldes, "bdc", sheet=workspace.soldes_sheet, pinned=pinned.get("bdc"),
                                 progress=progress, cancel=cancel))
    for table in tables[1:]:
        _check_shared_keys(clients_table, table)
    start = timer.stage("read", start)
    clients, diagnostics = normalise_table(clients_table, progress=progress, cancel=cancel)
    bdcs: list[Record] = []
    for table in tables[1:]:
        records, bdc_diagnostics = normalise_table(table, progress=progress, cancel=cancel)
        if table is not bdc_table:
            for record in records:  # the soldes list: a row is a solde unless it says otherwise
                if "request_type" not in record.values and "request_type" not in record.failed:
                    record.values["request_type"] = "solde"
        bdcs += records
        diagnostics += bdc_diagnostics
    start = timer.stage("normalise", start)
    index = ClientIndex(clients, {kind for table in tables[1:] for kind in table_kinds(table)})
    demandes, build_diagnostics, joined = build_demandes(bdcs, index, load_catalog(), workspace.solutions,
                                                         progress=progress, cancel=cancel)
    diagnostics = attach_requests(diagnostics + index.diagnostics + build_diagnostics, demandes)
    start = timer.stage("build", start)
    registry = registry or SchemaRegistry.default(workspace.folder)
    context = RuleContext(at=at, calendar=load_calendar(), pieces=workspace.pieces, register=register,
                          avenants=declared_avenants(bdcs), cancel=cancel)
    diagnostics += validate_demandes(demandes, registry, context, vendor=workspace.vendor, progress=progress,
                                     cancel=cancel)
    timer.stage("validate", start)
    return PipelineResult(workspace, at, demandes, diagnostics, len(bdcs), registry, context, timer.timings,
                          tables=tables, register=register, read=read, joined=joined)


def _check_shared_keys(clients: Table, bdc: Table) -> None:
    """Refuse two lists that share no kind of client key: not one row could be joined."""
    keys = join_keys(table_kinds(clients), table_kinds(bdc))
    if keys.shared:
        return
    raise InputError(_(
        "La liste des bons de commande « {bdc} » désigne ses clients par : {bdc_keys} ; la liste des clients "
        "« {clients} » n'a aucune de ces colonnes (elle a : {client_keys}). Aucune ligne ne peut être rapprochée "
        "de son client. Ajoutez aux deux listes une colonne commune (FINESS, SIRET, RPPS… ou code client), ou "
        "indiquez-la dans la rubrique « mapping » du dossier de travail.").format(
        bdc=bdc.path.name, bdc_keys=", ".join(keys.bdc) or _("aucun"), clients=clients.path.name,
        client_keys=", ".join(keys.clients) or _("aucun")))


def write_outputs(result: PipelineResult, out_dir: Path, max_per_file: int | None = None) -> list[WrittenFile]:
    """Write the deposit files (valid demandes only) and both reports into `out_dir`, all put in place together
    (`write_deposit_files`): the folder holds the previous build or this one, never a mix."""
    from segur_desktop.core.atomic import dump_json  # only `build` writes: `validate` never imports them
    from segur_desktop.core.output import REPORT_JSON, REPORT_TEXT, deposit_files, write_deposit_files

    def reports(written: list[WrittenFile]) -> dict[str, bytes]:
        done = replace(result, written=written)  # `result` says nothing is written until it is
        return {REPORT_JSON: dump_json(done.report_json()), REPORT_TEXT: done.report_text().encode("utf-8")}

    start = time.perf_counter()
    files, problems = deposit_files(result.demandes, result.workspace.vendor, result.registry, max_per_file)
    result.diagnostics += problems
    inputs = [path for _role, path in source_files(result.workspace)]  # never removed, whatever their name
    result.written = write_deposit_files(files, out_dir, result.registry, protected=inputs, reports=reports)
    result.timings["write"] = time.perf_counter() - start
    return result.written
