"""What a status file would change, before anything is: its lines and their verdicts, the file's notes.

`statusfile.plan_status_file` fills a `StatusFilePlan`; the window's preview and
`register import-status` show it, and `statusfile.apply_status_file` applies
what it says and nothing else. A plan also carries what the file as a whole
says (which column gave what, rows left out or hidden, nothing to read,
demandes this register does not know), so a file shaped otherwise than
expected is understood by its reader before it is applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from segur_desktop.core.build import Demande
from segur_desktop.core.i18n import N_, _
from segur_desktop.core.mapping import table_specs
from segur_desktop.core.pipeline import PipelineResult
from segur_desktop.core.read import sheet_label
from segur_desktop.core.register.avenants import NewAvenant
from segur_desktop.core.register.store import Entry, StatusChange

SPEC_FILE = "mappings/status-file.json"
KIND = "statuts"
ROWS_NAMED = 10  # rows a file-level note names; the others are counted
NO_REFERENCE = "?"  # what a line naming no demande shows as its reference

class Verdict:
    CHANGE = "change"  # will be applied
    UNCHANGED = "inchange"  # already in that status
    REFUSED = "refuse"  # the lifecycle does not allow it (can be forced)
    UNKNOWN = "inconnu"  # no such demande in the register
    UNREADABLE = "illisible"  # the status is not one the product knows
    AMBIGUOUS = "ambigu"  # a BDC number naming several demandes, or lines giving one demande different statuses
    ADOPT = "reprise"  # not in the register, but the workspace builds it: taken over, then given the status
    SUPERSEDED = "remplacee"  # an older status of a demande a later-dated line of the file gives


VERDICT_LABELS = {  # as the preview (window and command line) shows them
    Verdict.CHANGE: N_("À changer"), Verdict.UNCHANGED: N_("Déjà à jour"), Verdict.REFUSED: N_("Refusé"),
    Verdict.UNKNOWN: N_("Inconnue"), Verdict.UNREADABLE: N_("Statut illisible"), Verdict.AMBIGUOUS: N_("Ambiguë"),
    Verdict.ADOPT: N_("À reprendre du dossier"), Verdict.SUPERSEDED: N_("Remplacée"),
}


def verdict_label(verdict: str) -> str:
    return _(VERDICT_LABELS[verdict]) if verdict in VERDICT_LABELS else verdict


@dataclass(frozen=True, slots=True)
class PlannedChange:
    row: int  # Excel row in the status file
    reference: str  # what the row names: the request id, or the BDC number (and the avenant)
    verdict: str
    detail: str  # French: why, for anything but a plain change
    entry: Entry | None = None  # for an avenant line, its avance with the avenant's status; None for a new avenant
    new_status: str | None = None
    comment: str = ""
    adopt: Demande | None = None  # the workspace's demande a « reprise » line takes over
    avenant: int | None = None  # the line gives the status of this avenant of the avance `avance_id`
    avance_id: str | None = None
    note: str = ""  # French: what the reader should know about a line that still applies (how it was matched)

    @property
    def new_avenant(self) -> bool:
        """An avenant the register does not know yet: applying the line records it."""
        return self.avenant is not None and self.entry is None and self.avance_id is not None


@dataclass(slots=True)
class StatusFilePlan:
    path: Path
    sheet: str
    lines: list[PlannedChange] = field(default_factory=list)
    result: PipelineResult | None = None  # the workspace « reprise » lines come from
    header_row: int = 1
    columns: dict[str, str] = field(default_factory=dict)  # field -> the file's header read for it
    hidden: tuple[int, ...] = ()  # rows the workbook hides (a filter?), read like the others
    left_out: dict[int, str] = field(default_factory=dict)  # row -> text of a total row or a note under the list

    @property
    def where(self) -> str:
        """« feuille « Statuts » », or « fichier CSV » for a CSV (its one sheet is named after the file)."""
        return sheet_label(self.path, self.sheet)

    def with_verdict(self, *verdicts: str) -> list[PlannedChange]:
        return [line for line in self.lines if line.verdict in verdicts]

    def changes(self, *, force: bool = False) -> list[StatusChange]:
        """What applying the plan changes: the allowed lines, the refused ones too when forced, and the
        status of the demandes taken over (once recorded)."""
        verdicts = (Verdict.CHANGE, Verdict.REFUSED) if force else (Verdict.CHANGE,)
        # As the plan read them: a demande a colleague changed since the preview is refused, with who and when.
        changes = [StatusChange(line.entry.id, line.new_status, line.comment, line.avenant,
                                *((line.entry.status_at, line.entry.status) if line.avenant is None else ()))
                   for line in self.with_verdict(*verdicts) if line.entry is not None and line.new_status is not None]
        return changes + [StatusChange(line.adopt.id, line.new_status, line.comment)
                          for line in self.with_verdict(Verdict.ADOPT) if line.adopt and line.new_status]

    def new_avenants(self) -> list[NewAvenant]:
        """The avenants applying the plan records (with the line's status)."""
        return [NewAvenant(line.avance_id, line.avenant, line.new_status, line.comment)
                for line in self.with_verdict(Verdict.CHANGE)  # each `new_avenant`, its fields narrowed one by one
                if line.entry is None and line.avance_id is not None and line.avenant is not None and line.new_status]

    def adopted(self) -> list[Demande]:
        return list({line.adopt.id: line.adopt for line in self.with_verdict(Verdict.ADOPT) if line.adopt}.values())

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for line in self.lines:
            found[line.verdict] = found.get(line.verdict, 0) + 1
        return found

    def read_columns(self) -> str:
        """Which column gave what, in French: a file whose headers are worded otherwise shows what was understood."""
        fields = table_specs(SPEC_FILE)[KIND].fields
        return _("Colonnes lues (en-têtes ligne {row}) : {columns}.").format(row=self.header_row, columns=", ".join(
            f"« {header} » ({fields[name].label})" for name, header in self.columns.items()))

    def notes(self) -> list[str]:
        """What the file as a whole says to the reader, in French, before its lines: nothing to read, or demandes
        this register does not know (and the ways they may have come from elsewhere)."""
        said = []
        if self.left_out:
            said.append(_("Ligne(s) {rows} écartée(s) : total ou note sous la liste ({texts}).").format(
                rows=_rows(self.left_out), texts=", ".join(f"« {text} »" for text in list(self.left_out.values())[:3])))
        if self.hidden:
            said.append(_("Ligne(s) {rows} masquée(s) dans le classeur (un filtre ?) : elles sont lues comme les autres. "
                          "Supprimez-les du fichier si elles ne doivent pas être appliquées.").format(rows=_rows(self.hidden)))
        if not self.lines:
            return [_("Aucune ligne de statut sous les en-têtes (ligne {row}) : ce fichier ne change rien. Vérifiez "
                      "qu'il s'agit du bon export du portail, et qu'il n'a pas été filtré.").format(row=self.header_row),
                    *said]
        unknown = len([line for line in self.with_verdict(Verdict.UNKNOWN) if line.reference != NO_REFERENCE])
        if not unknown:
            return said
        which = (_("Aucune ligne du fichier ({n}) ne désigne une demande de ce registre de suivi.")
                 if unknown == len(self.lines)
                 else _("{n} ligne(s) désignent des demandes absentes de ce registre de suivi.")).format(n=unknown)
        if "bdc_number" not in self.columns:  # the portal's own numbers are not the ids Segur Desktop gave
            which += " " + _("Si la colonne « {header} » porte les numéros du portail et non les identifiants de "
                             "Segur Desktop, ajoutez au fichier la colonne du N° de BDC.").format(
                header=self.columns.get("request_id", ""))
        return [which + " " + _(
            "Si ce fichier est celui d'un autre éditeur, il ne concerne pas ce registre. Si ces demandes ont été "
            "exportées depuis un autre poste, importez d'abord la sauvegarde de son registre (ou utilisez le registre "
            "partagé). Si elles ont été déposées avant Segur Desktop, reprenez-les du dossier de travail."), *said]


def _rows(rows: Iterable[int]) -> str:
    """« 3, 7, 9 », the first rows named and the others counted."""
    ordered = sorted(rows)
    named = ", ".join(map(str, ordered[:ROWS_NAMED]))
    return named + (_(" et {n} autre(s)").format(n=len(ordered) - ROWS_NAMED) if len(ordered) > ROWS_NAMED else "")
