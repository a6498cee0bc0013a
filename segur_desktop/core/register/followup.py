"""After instruction: what to send the ASP for a demande it sent back.

Three statuses ask the vendor for something (seed 000, and the segurnum FAQ for the third):
- « en attente de pièces-jointes complémentaires » (cas 2): new attachments.
  They are the PDFs of the pieces folder that changed since the deposit (same
  name, other content: a better scan) and those added for it (a name starting
  with its BDC number or its request id), renamed after the demande like the
  export names them;
- « à modifier » (cas 3): the demande is edited on the portal. The workspace,
  once corrected, gives the corrected demande; it is compared with the JSON as
  deposited (kept by the register), so the vendor sees exactly which fields to
  change, and gets the corrected JSON and its attachments;
- « incomplète »: the JSON passed the portal's import test but the zip of its
  attachments did not, so the portal created the demande without them. Every
  attachment of the demande's last deposit is sent again, from its source PDF
  in the pieces folder, under the name it was deposited with.

A deposited piece is looked for at the path the register recorded at export (« 2022-11/BDC-1.pdf »), else by
its name alone, moved since to another subfolder: the recap says where it was found; a name found in two places
is said, never picked. Its hash still tells a changed piece from the one deposited.

All go into one follow-up folder (`suivi_<date>_<vendor>`), written in a
temporary folder and renamed, with a French recap and a manifest of hashes.
Nothing is deposited automatically: the portal takes these by hand.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from segur_desktop import __version__
from segur_desktop.core.atomic import dump_json, publish, remove, remove_stale, sync, write_new
from segur_desktop.core.build import Demande
from segur_desktop.core.calendar import PARIS, format_instant, load_calendar
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.attachments import attachments, member_name, with_member_names
from segur_desktop.core.export.bundle import bundle_stem
from segur_desktop.core.export.zips import hash_file
from segur_desktop.core.formats.render import file_fields
from segur_desktop.core.i18n import _
from segur_desktop.core.messages import Severity
from segur_desktop.core.normalise.text import match_key
from segur_desktop.core.oserrors import advice_read, advice_write, reason
from segur_desktop.core.pipeline import PipelineResult
from segur_desktop.core.progress import CancelToken, Progress, ProgressCallback, no_progress
from segur_desktop.core.register.store import Entry, Register
from segur_desktop.core.validate.pdffile import fold_name
from segur_desktop.core.validate.piecefolder import split_path
from segur_desktop.core.validate.rules import RuleContext

PIECES_WANTED = "attente_pieces"
TO_MODIFY = "a_modifier"
INCOMPLETE = "incomplete"
ELIGIBLE = (PIECES_WANTED, TO_MODIFY, INCOMPLETE)  # the statuses a follow-up bundle answers (window and CLI)
FORMAT = "segur-desktop-suivi"
RECAP = "LISEZMOI.txt"
TEMP_PATTERN = ".suivi_*.tmp"
MANIFEST = "manifest.json"
_ABSENT = object()


@dataclass(frozen=True, slots=True)
class Difference:
    path: str  # JSON pointer in the demande
    before: Any  # as deposited; None when the field was absent
    after: Any  # corrected; None when the field is gone


@dataclass(frozen=True, slots=True)
class Modification:
    entry: Entry
    deposited: dict[str, Any]
    corrected: dict[str, Any] | None  # None: the workspace gives no usable corrected version
    differences: list[Difference]
    problem: str | None  # French: why there is no corrected version to send
    demande: Demande | None = None


@dataclass(slots=True)
class FollowUpResult:
    folder: Path | None  # None: nothing prepared, nothing written
    prepared: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (id, French reason)


def differences(before: Any, after: Any, path: str = "") -> list[Difference]:
    """Field-by-field differences between two JSON documents, as JSON pointers."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in sorted(set(before) | set(after), key=str):
            pointer = f"{path}/{key}"
            if key not in before:
                found.append(Difference(pointer, None, after[key]))
            elif key not in after:
                found.append(Difference(pointer, before[key], None))
            else:
                found += differences(before[key], after[key], pointer)
        return found
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [d for i, (b, a) in enumerate(zip(before, after, strict=True)) for d in differences(b, a, f"{path}/{i}")]
    return [] if before == after else [Difference(path or "/", before, after)]


def _shown(value: Any) -> str:
    if value is None:
        return _("(absent)")
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def render_differences(found: list[Difference]) -> list[str]:
    """One French line per difference: "/bonDeCommande/montantHT : « 18500.00 » → « 17500.00 »"."""
    if not found:
        return [_("Aucune différence avec la demande déposée.")]
    return [_("{path} : « {before} » → « {after} »").format(path=d.path, before=_shown(d.before), after=_shown(d.after))
            for d in found]


def _corrected_demande(result: PipelineResult, entry: Entry) -> Demande | None:
    """The workspace's demande for this entry: the same id, else the same couloir, type and BDC number (a
    corrected beneficiary identifier changes the id)."""
    same = [d for d in result.demandes if d.id == entry.id]
    if not same:
        number = match_key(entry.bdc_number)
        same = [d for d in result.demandes if d.type == entry.type and d.couloir.code == entry.couloir
                and match_key(d.bdc.values.get("bdc_number", "")) == number]
    return same[0] if len(same) == 1 else None


def modification(register: Register, result: PipelineResult, demande_id: str) -> Modification:
    """The deposited demande beside its corrected version from the workspace, and what differs."""
    entry = register.entry(demande_id)
    deposits = register.deposits(demande_id)
    if entry is None or not deposits:
        raise InputError(_("La demande « {id} » n'est pas dans le registre de suivi.").format(id=demande_id))
    deposited = deposits[-1].request
    d = _corrected_demande(result, entry)
    if d is None:
        return Modification(entry, deposited, None, [], _(
            "Le dossier de travail n'a plus de demande {type} {couloir} pour le bon de commande « {bdc} » : corrigez "
            "la ligne du BDC, revérifiez, puis recommencez.").format(type=entry.type, couloir=entry.couloir,
                                                                  bdc=entry.bdc_number))
    schema = result.registry.entry(d.couloir.code, d.type, d.solution.vague)
    corrected = schema.template.render_demande(  # written as the format in force writes it
        with_member_names(d), file_fields(result.workspace.vendor, d.couloir.code, d.type)) if schema else {}
    found = differences(deposited, corrected)
    errors = [x for x in result.diagnostics if x.request == d.id and x.severity is Severity.ERROR
              and x.code not in ("deja_deposee", "guichet_ferme")]
    problem = None
    if not d.complete or errors:
        problem = _("La version corrigée a encore des erreurs : {errors} Corrigez-les, revérifiez, puis "
                    "recommencez.").format(errors=" ".join(x.message for x in errors[:3]) or _("valeurs illisibles."))
    elif not found:
        problem = _("Le dossier de travail donne la même demande que celle déposée : corrigez d'abord les données "
                    "signalées par l'ASP, revérifiez, puis recommencez.")
    return Modification(entry, deposited, corrected, found, problem, d)


Moved = tuple[str, str]  # a deposited piece found elsewhere since: (its path at the deposit, its path now)


def _deposited_source(context: RuleContext, name: str, source: str) -> tuple[Path | None, Moved | None, str | None]:
    """The source PDF of a piece deposited under `name`: the file at the path recorded at export (« 2022-11/BDC-1.pdf »),
    else, moved since to another subfolder, the one file of its name anywhere in the pieces folder (then said moved).
    The third element says why none is used when several files could be it: which was deposited is never guessed."""
    candidates, moved = context.piece_candidates(source), None
    if not candidates and len(parts := split_path(source)) > 1:
        candidates = context.piece_candidates(parts[-1])
        if len(candidates) == 1:
            moved = (source, context.piece_folder.label(candidates[0]))
    if len(candidates) > 1:
        return None, None, _("la pièce « {source} » (déposée sous « {name} ») : le dossier des pièces a plusieurs "
                             "fichiers de ce nom ({where}), impossible de savoir lequel a été déposé. Gardez-en un seul, "
                             "puis recommencez.").format(source=source, name=name, where=", ".join(
            f"« {context.piece_folder.label(path)} »" for path in candidates))
    return (candidates[0] if candidates else None), moved, None


def _complements(register: Register, entry: Entry,
                 context: RuleContext) -> tuple[list[tuple[str, Path]], list[Moved], str | None]:
    """(deposit name, source) of the PDFs changed or added since the demande's last deposit, the deposited pieces
    found elsewhere since, and why none can be sent (French) when a deposited piece's file is ambiguous."""
    deposit = register.deposits(entry.id)[-1]
    found: list[tuple[str, Path]] = []
    moves: list[Moved] = []
    deposited_sources = set()
    for attachment in deposit.attachments:
        source, moved, problem = _deposited_source(context, attachment.name, attachment.source)
        if problem is not None:
            return [], [], problem
        if source is None:
            continue
        deposited_sources.add(source)
        moves += [moved] if moved else []
        if hash_file(source)[0] != attachment.sha256:
            found.append((attachment.name, source))
    prefixes = [fold_name(entry.bdc_number), fold_name(entry.id)]  # matched as the pieces check matches names
    extra = sorted(path for name, path in context.folded_piece_files.items()
                   if path not in deposited_sources and name.endswith(".pdf")
                   and any(name.startswith(p) and not name[len(p):len(p) + 1].isalnum() for p in prefixes))
    found += [(member_name(entry.id, f"COMPLEMENT-{i}"), path) for i, path in enumerate(extra, start=1)]
    return found, moves, None


def _deposited_pieces(register: Register, entry: Entry,
                      context: RuleContext) -> tuple[list[tuple[str, Path]], list[str], list[Moved], str | None]:
    """(deposit name, source) of every attachment of the demande's last deposit, the names whose source changed
    since (sent as they are now), those found elsewhere since, and why they cannot be sent (French) when one
    cannot be found."""
    deposit = register.deposits(entry.id)[-1]
    if not deposit.attachments:
        return [], [], [], _("aucune pièce n'est connue pour son dernier dépôt ({bundle}) : déposez ses pièces à la "
                             "main sur le portail.").format(bundle=deposit.bundle_name)
    found: list[tuple[str, Path]] = []
    changed: list[str] = []
    moves: list[Moved] = []
    for attachment in deposit.attachments:
        source, moved, problem = _deposited_source(context, attachment.name, attachment.source)
        if problem is not None:
            return [], [], [], problem
        if source is None:
            return [], [], [], _("la pièce « {source} » (déposée sous « {name} ») est introuvable dans le dossier "
                                 "des pièces : remettez-la, puis recommencez.").format(source=attachment.source,
                                                                                      name=attachment.name)
        moves += [moved] if moved else []
        if hash_file(source)[0] != attachment.sha256:
            changed.append(attachment.name)
        found.append((attachment.name, source))
    return found, changed, moves, None


class _Writer:
    def __init__(self, folder: Path, cancel: CancelToken, label: Callable[[Path], str]) -> None:
        """`label`: a source PDF as the user finds it in the pieces folder (« 2022-11/BDC-1.pdf »), the
        manifest's « source », as an export writes it."""
        self.folder, self.cancel, self.label = folder, cancel, label
        self.items: list[dict[str, Any]] = []
        self.recap: list[str] = []

    def copy(self, subfolder: Path, name: str, source: Path) -> dict[str, Any]:
        self.cancel.check()
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise InputError(_("La pièce « {path} » ne peut pas être lue ({reason}). {advice}").format(
                path=source, reason=reason(exc), advice=advice_read(exc))) from None
        write_new(subfolder / name, data)
        sha256, size = hash_file(subfolder / name)
        return {"file": f"{subfolder.name}/{name}", "sha256": sha256, "size": size, "source": self.label(source)}


def write_followup(register: Register, result: PipelineResult, ids: list[str], destination: Path, *,
                   generated_at: datetime | None = None, progress: ProgressCallback = no_progress,
                   cancel: CancelToken | None = None) -> FollowUpResult:
    """Prepare the follow-up folder for the demandes `ids` (see the module's docstring)."""
    cancel = cancel or CancelToken()
    generated_at = generated_at or datetime.now(PARIS)
    context = RuleContext(result.at, load_calendar(), result.workspace.pieces)  # listed now: PDFs added since the check
    outcome = FollowUpResult(None)
    planned: list[tuple[Entry, list[tuple[str, Path]], Modification | None]] = []
    changed_since: dict[str, list[str]] = {}  # incomplète: pieces whose source changed since the deposit
    moved_since: dict[str, list[Moved]] = {}  # deposited pieces found in another subfolder since
    stage = _("Préparation du paquet de suivi")
    for done, demande_id in enumerate(ids):
        cancel.check()
        progress(Progress(stage, done, len(ids)))
        entry = register.entry(demande_id)
        if entry is None:
            outcome.skipped.append((demande_id, _("absente du registre de suivi")))
        elif entry.status == PIECES_WANTED:
            pieces, moved_since[demande_id], problem = _complements(register, entry, context)
            if problem is not None:
                outcome.skipped.append((demande_id, problem))
            elif pieces:
                planned.append((entry, pieces, None))
            else:
                outcome.skipped.append((demande_id, _(
                    "aucune pièce nouvelle ni modifiée dans le dossier des pièces : remplacez le PDF non conforme "
                    "(même nom de fichier) ou ajoutez un PDF dont le nom commence par « {bdc} », puis recommencez.").format(
                    bdc=entry.bdc_number)))
        elif entry.status == TO_MODIFY:
            change = modification(register, result, demande_id)
            if change.problem is not None or change.demande is None:
                outcome.skipped.append((demande_id, change.problem or ""))
                continue
            found, missing = attachments(change.demande, context)
            if missing is not None:
                outcome.skipped.append((demande_id, _("la pièce « {name} » est introuvable dans le dossier des "
                                                      "pièces.").format(name=missing)))
                continue
            planned.append((entry, [(a.name, a.source) for a in found], change))
        elif entry.status == INCOMPLETE:
            pieces, changed, moved_since[demande_id], problem = _deposited_pieces(register, entry, context)
            if problem is not None:
                outcome.skipped.append((demande_id, problem))
                continue
            planned.append((entry, pieces, None))
            changed_since[entry.id] = changed
        else:
            outcome.skipped.append((demande_id, _("statut « {status} » : rien à préparer (seulement pour {wanted}).").format(
                status=register.lifecycle.label(entry.status),
                wanted=", ".join(f"« {register.lifecycle.label(code)} »" for code in ELIGIBLE))))
    if not planned:
        return outcome
    stem = bundle_stem(result.workspace.vendor.name if result.workspace.vendor else "", generated_at, "suivi")
    try:
        destination.mkdir(parents=True, exist_ok=True)
        remove_stale(destination, TEMP_PATTERN)
        temp = destination / f".{stem}.{secrets.token_hex(4)}.tmp"
        temp.mkdir()
    except OSError as exc:
        raise InputError(_("Impossible d'écrire dans « {out} » ({reason}). {advice}").format(
            out=destination, reason=reason(exc), advice=advice_write(exc))) from None
    try:
        writer = _Writer(temp, cancel, context.piece_folder.label)
        for entry, pieces, modified in planned:
            subfolder = temp / entry.id
            subfolder.mkdir()
            files = [writer.copy(subfolder, name, source) for name, source in pieces]
            item: dict[str, Any] = {"request": entry.id, "status": entry.status, "bdc": entry.bdc_number,
                                    "beneficiary": entry.beneficiary_name, "files": files}
            writer.recap.append(f"{entry.id} — {entry.beneficiary_name} — BDC {entry.bdc_number}")
            writer.recap.append("  " + _("Statut : {status}").format(status=register.lifecycle.label(entry.status)))
            if modified is not None:
                write_new(subfolder / "demande_corrigee.json", dump_json(modified.corrected))
                lines = render_differences(modified.differences)
                write_new(subfolder / "differences.txt", ("\n".join(lines) + "\n").encode("utf-8"))
                item["differences"] = [{"path": d.path, "before": d.before, "after": d.after} for d in modified.differences]
                if modified.demande is not None and modified.demande.id != entry.id:
                    item["corrected_request"] = modified.demande.id
                writer.recap.append("  " + _("Sur le portail, modifiez la demande : {n} champ(s) à corriger "
                                             "(differences.txt), puis remplacez les pièces par celles du dossier.").format(
                    n=len(modified.differences)))
                writer.recap += ["    " + line for line in lines]
            elif entry.status == INCOMPLETE:
                writer.recap.append("  " + _("Le portail a créé cette demande sans ses pièces (zip refusé). Sur le "
                                             "portail, complétez-la en y déposant toutes ces pièces : {files}.").format(
                    files=", ".join(f["file"].split("/")[-1] for f in files)))
                if changed_since.get(entry.id):
                    item["changed_since_deposit"] = changed_since[entry.id]
                    writer.recap.append("  " + _("Modifiées depuis le dépôt (envoyées telles qu'elles sont "
                                                 "aujourd'hui) : {files}.").format(
                        files=", ".join(changed_since[entry.id])))
            else:
                writer.recap.append("  " + _("Sur le portail, déposez ces pièces complémentaires sur le dossier : "
                                             "{files}.").format(files=", ".join(f["file"].split("/")[-1] for f in files)))
            if moves := moved_since.get(entry.id):
                item["moved_since_deposit"] = [{"deposited": before, "now": now} for before, now in moves]
                writer.recap.append("  " + _("Pièce(s) déplacée(s) depuis le dépôt, trouvée(s) ailleurs dans le dossier "
                                             "des pièces : {moves}.").format(
                    moves=", ".join(f"« {before} » → « {now} »" for before, now in moves)))
            writer.recap.append("")
            writer.items.append(item)
            outcome.prepared.append(entry.id)
        manifest = {"format": FORMAT, "schema_version": 1, "app_version": __version__,
                    "generated_at": generated_at.isoformat(timespec="seconds"), "workspace": result.workspace.name,
                    "items": writer.items}
        header = [_("Paquet de suivi préparé le {day} par Segur Desktop — à déposer à la main sur le portail de "
                    "l'ASP.").format(day=format_instant(generated_at)), ""]
        write_new(temp / RECAP, ("\n".join(header + writer.recap)).encode("utf-8"))
        write_new(temp / MANIFEST, dump_json(manifest))
        sync(temp)
        outcome.folder = publish(temp, destination, stem, "")
    except OSError as exc:
        remove(temp)
        raise InputError(_("Impossible d'écrire le paquet de suivi dans « {out} » ({reason}). {advice}").format(
            out=destination, reason=reason(exc), advice=advice_write(exc))) from None
    except BaseException:
        remove(temp)
        raise
    register.add_note(outcome.prepared, _("paquet de suivi préparé : {name}").format(name=outcome.folder.name),
                      source=_("paquet de suivi"))
    progress(Progress(stage, len(ids), len(ids)))
    return outcome
