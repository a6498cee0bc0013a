"""Statuses from a file: the portal's list of requests, or the vendor's own tracking sheet.

The portal shows each request with its status; vendors copy that list into a
spreadsheet. Any CSV or workbook with a status column and either the request
id or the BDC number works: its header row is found like the BDC list's
(`resources/mappings/status-file.json`), statuses are read whatever their
case and accents, including the portal's own wordings. Reading a file only
plans the changes: the user sees what will change, what cannot (a transition
the lifecycle refuses), what is unknown and which lines contradict each other
(one demande given two statuses: neither is applied), then applies it.
Nothing a line says is dropped without a word: a line without a status, or
naming no demande, is listed with why; a line repeating another is counted
once; a demande found by its BDC number when the id the line gives is unknown
says so.

A line can also give the status of an avenant of an avance (see `avenants`):
it names the avance (its id, or its BDC number) and the avenant, by an
« N° d'avenant » column or a request type like « Avenant n° 2 » (« Avenant »
alone: the avance's last avenant, n° 1 when it has none). An avenant the
register does not know yet is recorded with that status.

The plan itself (lines, verdicts, what the file as a whole says) is `statusplan`; which column gives a field
several titles name (« Date » and « Date de mise à jour »), `statuscolumns`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, TypedDict

from segur_desktop.core.build import Demande
from segur_desktop.core.i18n import _
from segur_desktop.core.mapping import load_table, table_specs
from segur_desktop.core.normalise import NormaliseError
from segur_desktop.core.normalise.dates import parse_date
from segur_desktop.core.normalise.text import clean_text, match_key
from segur_desktop.core.pipeline import PipelineResult
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from segur_desktop.core.register.adopt import adopt, adoptable
from segur_desktop.core.register.avenants import MAX_AVENANT, avenant_number, names_avenant, reference
from segur_desktop.core.register.lifecycle import Lifecycle
from segur_desktop.core.register.statuscolumns import specific_columns
from segur_desktop.core.register.statusplan import (
    KIND,
    NO_REFERENCE,
    SPEC_FILE,
    PlannedChange,
    StatusFilePlan,
    Verdict,
    verdict_label,
)
from segur_desktop.core.register.store import Entry, Register, StatusOutcome

# The plan's types live in `statusplan`; both faces and the tests still name them from here, with the two functions.
__all__ = ["PlannedChange", "StatusFilePlan", "Verdict", "apply_status_file", "plan_status_file", "verdict_label"]
Wanted = tuple[int, str, date | None]  # a line about a demande: its index in the plan, its status, its date
PROGRESS_EVERY = 2000  # lines between two progress reports (and cancel checks) while the file meets the register
# An « Avenant » column's cell saying the line is about the demande itself (`match_key`: « - » and « — » give "")
# or about an avenant without its number (the avance's last one). Any other cell must name the avenant's number.
NOT_AN_AVENANT = frozenset({"", "0", "non", "no", "n", "aucun", "aucune", "sans", "sans objet", "so", "na", "n a", "nc",
                            "faux", "false"})
SOME_AVENANT = frozenset({"oui", "o", "yes", "y", "x", "vrai", "true", "avenant"})


def _text(raw: list[Any], column: int | None) -> str | None:
    return clean_text(raw[column]) if column is not None and column < len(raw) else None


def plan_status_file(register: Register, path: Path, result: PipelineResult | None = None, *,
                     progress: ProgressCallback = no_progress, cancel: CancelToken | None = None) -> StatusFilePlan:
    """Read a status file and say, line by line, what it would change in `register` (nothing is changed).

    With `result` (the workspace's validation), a line the register does not know but the workspace builds
    is a « reprise »: that demande is taken over (see `core.register.adopt`).
    """
    spec = table_specs(SPEC_FILE)[KIND]
    table = load_table(path, KIND, spec=spec, progress=progress, cancel=cancel)
    table.columns = specific_columns(table, spec)  # « Date de mise à jour » over a « Date » left of it
    lifecycle = register.lifecycle
    entries = register.entries()
    by_id = {e.id: e for e in entries}
    by_bdc: dict[str, list[Entry]] = {}
    for e in entries:
        by_bdc.setdefault(bdc_key(e.bdc_number), []).append(e)
    columns = table.columns
    plan = StatusFilePlan(path, table.sheet, result=result, header_row=table.header_row, columns={
        name: table.headers[index] for name, index in columns.items()}, hidden=tuple(sorted(table.hidden)),
        left_out=dict(sorted({**table.totals, **table.notes}.items())))
    takeable = adoptable(result) if result is not None else {}
    takeable_by_bdc = _by_bdc(takeable)
    wanted: dict[str, list[Wanted]] = {}  # demande id -> (index in plan.lines, status, status date) of its lines
    stage = _("Comparaison avec le registre de suivi")
    for done, (row, raw) in enumerate(table.rows):
        if done % PROGRESS_EVERY == 0:
            progress(Progress(stage, done, len(table.rows)))
            if cancel is not None:
                cancel.check()
        request_id = _text(raw, columns.get("request_id"))
        number = _text(raw, columns.get("bdc_number"))
        label = _text(raw, columns.get("status"))
        reference = request_id or number or NO_REFERENCE
        if label is None:  # a line naming a demande but no status: said, as a portal export with a status left blank
            if request_id or number:
                plan.lines.append(PlannedChange(row, reference, Verdict.UNREADABLE, _(
                    "Ligne sans statut : elle ne change rien.")))
            continue
        if not (request_id or number):
            plan.lines.append(PlannedChange(row, reference, Verdict.UNKNOWN, _(
                "Ligne sans identifiant de demande ni N° de BDC : elle ne désigne aucune demande.")))
            continue
        status = lifecycle.parse(label)
        day, comment = _comment(raw, columns)
        if status is None:
            plan.lines.append(PlannedChange(row, reference, Verdict.UNREADABLE, lifecycle.unknown(label)))
            continue
        request_type = _text(raw, columns.get("request_type"))
        avenant_cell = raw[columns["avenant"]] if "avenant" in columns and columns["avenant"] < len(raw) else None
        if match_key(clean_text(avenant_cell) or "") in NOT_AN_AVENANT:  # « Non », « - », 0: the demande itself
            avenant_cell = None
        if avenant_cell is not None or names_avenant(request_type):
            line = _avenant_line(row, reference, avenant_cell, request_type, status, comment, request_id, number, by_id,
                                 by_bdc, lifecycle)
            plan.lines.append(line)
            if line.verdict in (Verdict.CHANGE, Verdict.UNCHANGED, Verdict.REFUSED):
                wanted.setdefault(reference_of(line), []).append((len(plan.lines) - 1, status, day))
            continue
        entry, problem = _find(request_id, number, request_type, by_id, by_bdc)
        if entry is None and problem[0] == Verdict.UNKNOWN and (demande := _in_workspace(
                request_id, number, request_type, takeable, takeable_by_bdc)) is not None:
            plan.lines.append(PlannedChange(row, reference, Verdict.ADOPT, _(
                "Absente du suivi : la demande {id} du dossier de travail sera reprise, puis passée à « {status} ».").format(
                id=demande.id, status=lifecycle.label(status)), new_status=None if status == lifecycle.initial else status,
                comment=comment, adopt=demande))
        elif entry is None:
            plan.lines.append(PlannedChange(row, reference, problem[0], problem[1], new_status=status, comment=comment))
        elif entry.status == status:
            plan.lines.append(PlannedChange(row, reference, Verdict.UNCHANGED, _("Déjà « {status} ».").format(
                status=lifecycle.label(status)), entry, status, comment, note=_matched_by(entry, request_id, number)))
        elif not lifecycle.allowed(entry.status, status):
            plan.lines.append(PlannedChange(row, reference, Verdict.REFUSED, lifecycle.refusal(entry.status, status),
                                            entry, status, comment, note=_matched_by(entry, request_id, number)))
        else:
            plan.lines.append(PlannedChange(row, reference, Verdict.CHANGE, "", entry, status, comment,
                                            note=_matched_by(entry, request_id, number)))
        if plan.lines and plan.lines[-1].verdict in (Verdict.CHANGE, Verdict.UNCHANGED, Verdict.REFUSED, Verdict.ADOPT):
            wanted.setdefault(reference_of(plan.lines[-1]), []).append((len(plan.lines) - 1, status, day))
    progress(Progress(stage, len(table.rows), len(table.rows)))
    _contradictions(plan, wanted, lifecycle)
    if table.hidden:  # said on the line too, where the preview shows it
        hidden = _("Ligne masquée dans le classeur : lue comme les autres.")
        plan.lines = [replace(line, note=" ".join(filter(None, (hidden, line.note)))) if line.row in table.hidden
                      else line for line in plan.lines]
    return plan


def bdc_key(number: object) -> str:
    """A BDC number as a status file and the register are compared: `match_key`, and an all-digit number without its
    leading zeros, which a CSV opened and saved in Excel loses (« 000123 » comes back « 123 »)."""
    key = match_key(number)
    return (key.lstrip("0") or "0") if key.isdigit() else key


def _matched_by(entry: Entry, request_id: str | None, number: str | None) -> str:
    """How a line found its demande, when the line's id or BDC number is not the register's as written."""
    if request_id is not None and entry.id != request_id.strip().upper():
        return _("Identifiant « {given} » absent du registre : demande {id} trouvée par son N° de BDC « {bdc} ».").format(
            given=request_id, id=entry.id, bdc=number)
    if number is None or match_key(number) == match_key(entry.bdc_number):
        return ""
    if request_id is not None:
        return _("N° de BDC « {given} » dans le fichier, « {bdc} » dans le registre : la demande est celle de "
                 "l'identifiant {id}.").format(given=number, bdc=entry.bdc_number, id=entry.id)
    return _("N° de BDC « {given} » lu comme « {bdc} » du registre : ses zéros de tête ont été perdus (un fichier CSV "
             "ouvert puis enregistré dans Excel les retire).").format(given=number, bdc=entry.bdc_number)


def reference_of(line: PlannedChange) -> str:
    """What a line changes, as one key: a demande's id, or « ID avenant n° N »."""
    if line.avenant is not None and line.avance_id is not None:
        return reference(line.avance_id, line.avenant)
    demande = line.entry or line.adopt
    return demande.id if demande is not None else line.reference


class _AvenantLine(TypedDict):
    """The fields every line about a known avance's avenant sets (`PlannedChange`'s keywords)."""
    avenant: int
    avance_id: str
    new_status: str
    comment: str


def _avenant_line(row: int, named: str, cell: object, request_type: str | None, status: str, comment: str,
                  request_id: str | None, number: str | None, by_id: dict[str, Entry],
                  by_bdc: dict[str, list[Entry]], lifecycle: Lifecycle) -> PlannedChange:
    """A line about an avenant: its avance found by id or BDC number, the avenant by its number (a cell or the
    request type; neither: the avance's last avenant, n° 1 when it has none)."""
    avance, problem = _find(request_id, number, "avance", by_id, by_bdc)
    if avance is not None and avance.type != "avance":
        problem = (Verdict.UNKNOWN, _("« {id} » est une demande de solde : un avenant modifie une avance.").format(
            id=avance.id))
        avance = None
    numero = avenant_number(cell) if clean_text(cell) else avenant_number(request_type)
    if numero is None and clean_text(cell) and match_key(cell) not in SOME_AVENANT:
        return PlannedChange(row, named, Verdict.UNREADABLE, _(
            "N° d'avenant « {cell} » illisible : indiquez le numéro de l'avenant (1, 2…), ou laissez la cellule vide si "
            "la ligne donne le statut de la demande elle-même.").format(cell=clean_text(cell)),
            new_status=status, comment=comment)
    if avance is None:
        text = named if numero is None else reference(named, numero)
        return PlannedChange(row, text, problem[0], _("Avenant : {problem}").format(problem=problem[1]),
                             new_status=status, comment=comment, avenant=numero)
    if numero is None:
        last = avance.last_avenant
        numero = last.numero if last is not None else 1
    if not 1 <= numero <= MAX_AVENANT:
        return PlannedChange(row, named, Verdict.UNREADABLE, _(
            "Numéro d'avenant « {cell} » illisible : un avenant est numéroté de 1 à {max}.").format(
            cell=clean_text(cell) or request_type, max=MAX_AVENANT), new_status=status, comment=comment)
    text = reference(named, numero)
    current = next((a for a in avance.avenants if a.numero == numero), None)
    where: _AvenantLine = {"avenant": numero, "avance_id": avance.id, "new_status": status, "comment": comment}
    if current is None:
        return PlannedChange(row, text, Verdict.CHANGE, _(
            "Nouvel avenant n° {numero} de l'avance {id} : il sera enregistré au statut « {status} ».").format(
            numero=numero, id=avance.id, status=lifecycle.label(status)), **where)
    seen = replace(avance, status=current.status, status_at=current.status_at)  # the avance through its avenant
    if current.status == status:
        return PlannedChange(row, text, Verdict.UNCHANGED, _("Avenant n° {numero} déjà « {status} ».").format(
            numero=numero, status=lifecycle.label(status)), seen, **where)
    if not lifecycle.allowed(current.status, status):
        return PlannedChange(row, text, Verdict.REFUSED, _("Avenant n° {numero} : {refusal}").format(
            numero=numero, refusal=lifecycle.refusal(current.status, status)), seen, **where)
    return PlannedChange(row, text, Verdict.CHANGE, _("Avenant n° {numero} de l'avance {id}.").format(
        numero=numero, id=avance.id), seen, **where)


def _contradictions(plan: StatusFilePlan, wanted: dict[str, list[Wanted]], lifecycle: Lifecycle) -> None:
    """Lines giving one demande several statuses. The same status again repeats it: counted once. Different
    statuses on lines dated apart (a portal export listing a demande's history) are its history: the latest date
    is its status now, the older lines are « remplacées ». Otherwise (« Validée » then « Rejetée », undated or of
    one date) the file does not say which is true, so none is applied: each is « ambiguë », one detail naming all."""
    for demande_id, lines in wanted.items():  # a demande's id, or an avenant's reference
        statuses = list(dict.fromkeys(status for _, status, _day in lines))
        if len(statuses) < 2:
            _repeats(plan, lines, lifecycle)
            continue
        days = [day for _, _status, day in lines]
        if all(day is not None for day in days):
            latest = max(day for day in days if day is not None)
            current = [line for line in lines if line[2] == latest]
            if len({status for _, status, _day in current}) == 1:
                now = plan.lines[current[0][0]]
                detail = _("Statut plus ancien : la ligne {row} donne le statut de la demande au {day} (« {status} »).")
                for index, _status, day in lines:
                    if day != latest:
                        plan.lines[index] = replace(plan.lines[index], verdict=Verdict.SUPERSEDED, detail=detail.format(
                            row=now.row, day=latest.strftime("%d/%m/%Y"), status=lifecycle.label(now.new_status)))
                _repeats(plan, current, lifecycle)
                continue
        rows = [str(plan.lines[index].row) for index, _status, _day in lines]
        detail = _("Les lignes {rows} du fichier donnent à la demande {id} des statuts différents ({statuses}) : "
                   "aucune n'est appliquée. Ne gardez dans le fichier que la ligne du statut actuel de la demande "
                   "(ou datez chaque ligne : la plus récente l'emporte), puis importez-le de nouveau.").format(
            rows=_("{first} et {last}").format(first=", ".join(rows[:-1]), last=rows[-1]), id=demande_id,
            statuses=", ".join(f"« {lifecycle.label(status)} »" for status in statuses))
        for index, status, _day in lines:
            plan.lines[index] = replace(plan.lines[index], verdict=Verdict.AMBIGUOUS, detail=detail, new_status=status)


def _repeats(plan: StatusFilePlan, lines: list[Wanted], lifecycle: Lifecycle) -> None:
    """Lines of one status for one demande: the first counts, the others repeat it."""
    first = plan.lines[lines[0][0]]
    for index, _status, _day in lines[1:]:
        plan.lines[index] = replace(plan.lines[index], verdict=Verdict.UNCHANGED, detail=_(
            "Répète la ligne {row} (« {status} ») : comptée une fois.").format(
            row=first.row, status=lifecycle.label(first.new_status)))


def _comment(raw: list[Any], columns: dict[str, int]) -> tuple[date | None, str]:
    """The line's status date (None: no column, empty or unreadable) and its comment for the history."""
    parts = []
    comment = _text(raw, columns.get("comment"))
    if comment:
        parts.append(comment)
    when = raw[columns["status_date"]] if "status_date" in columns and columns["status_date"] < len(raw) else None
    day = None
    if clean_text(when):
        try:
            day = parse_date(when)[0]
            parts.append(_("statut du portail au {day}").format(day=day.strftime("%d/%m/%Y")))
        except NormaliseError:
            parts.append(_("statut du portail au {day}").format(day=clean_text(when)))
    return day, " — ".join(parts)


def _request_type(text: str) -> str | None:
    """"Avance", "Demande de solde"… as the line's request type; None when it says neither."""
    key = match_key(text)
    return "solde" if "solde" in key else "avance" if "avance" in key else None


def _find(request_id: str | None, number: str | None, request_type: str | None, by_id: dict[str, Entry],
          by_bdc: dict[str, list[Entry]]) -> tuple[Entry | None, tuple[str, str]]:
    if request_id is not None:
        entry = by_id.get(request_id.strip().upper())
        if entry is not None:
            return entry, ("", "")
        if number is None:
            return None, (Verdict.UNKNOWN, _("Aucune demande « {id} » dans le registre de suivi.").format(id=request_id))
    candidates = by_bdc.get(bdc_key(number), []) if number else []
    if request_type is not None:
        wanted = _request_type(request_type)
        candidates = [e for e in candidates if wanted is None or e.type == wanted]
    if len(candidates) == 1:
        return candidates[0], ("", "")
    if not candidates:
        return None, (Verdict.UNKNOWN, _("Aucune demande du bon de commande « {bdc} » dans le registre de suivi.").format(
            bdc=number))
    return None, (Verdict.AMBIGUOUS, _("Le bon de commande « {bdc} » a plusieurs demandes ({ids}) : ajoutez au fichier "
                                       "une colonne « Type de demande » ou l'identifiant de la demande.").format(
        bdc=number, ids=", ".join(e.id for e in candidates)))


def _by_bdc(demandes: dict[str, Demande]) -> dict[str, list[Demande]]:
    found: dict[str, list[Demande]] = {}
    for d in demandes.values():
        found.setdefault(bdc_key(d.bdc.values["bdc_number"]), []).append(d)
    return found


def _in_workspace(request_id: str | None, number: str | None, request_type: str | None, by_id: dict[str, Demande],
                  by_bdc: dict[str, list[Demande]]) -> Demande | None:
    """The one demande of the workspace a line names (by id, else by BDC number and type), if there is one."""
    if request_id is not None:
        return by_id.get(request_id.strip().upper())
    candidates = by_bdc.get(bdc_key(number), []) if number else []
    if request_type is not None:
        wanted = _request_type(request_type)
        candidates = [d for d in candidates if wanted is None or d.type == wanted]
    elif len(candidates) > 1:  # an avance and its solde: without a type, the portal's line is about the avance
        candidates = [d for d in candidates if d.type == "avance"]
    return candidates[0] if len(candidates) == 1 else None


def apply_status_file(register: Register, plan: StatusFilePlan, *, force: bool = False) -> StatusOutcome:
    """Apply a plan read by `plan_status_file`: take over its « reprise » demandes, then change the statuses;
    the history names the file."""
    adopted = plan.adopted()
    source = _("fichier de statuts {name}").format(name=plan.path.name)
    if adopted and plan.result is not None:
        adopt(register, plan.result, adopted, origin=plan.path.name)
    avenants = plan.new_avenants()
    refused = register.add_avenants(avenants, source=source) if avenants else []
    outcome = register.set_status(plan.changes(force=force), force=force, source=source)
    not_added = {ref for ref, _reason in refused}
    outcome.applied += [(ref, None, a.status) for a in avenants
                        if (ref := reference(a.avance_id, a.numero)) not in not_added]
    outcome.refused += refused
    return outcome
