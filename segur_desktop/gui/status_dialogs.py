"""The Suivi page's dialogs: change statuses by hand, preview a status file, see a demande's differences.

They only ask and show: the page writes through the core, in a worker, once
a dialog is accepted. `StatusDialog` offers only the statuses every selected
demande may take (`Lifecycle.transitions`); « Forcer » offers them all, for
correcting a mistake, and then asks for a comment (the history keeps it).
`StatusFileDialog` shows what `plan_status_file` made of each line before
anything is applied. `DifferencesDialog` lists `render_differences`.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from segur_desktop.core.normalise.amounts import format_count
from segur_desktop.core.register.followup import Modification, render_differences
from segur_desktop.core.register.lifecycle import Lifecycle
from segur_desktop.core.register.statusfile import StatusFilePlan, Verdict
from segur_desktop.core.register.store import Entry, StatusChange, StatusOutcome
from segur_desktop.gui.models.status_plan_model import DETAIL, PlanModel
from segur_desktop.gui.widgets.forms import add_row
from segur_desktop.gui.widgets.layout import fit_screen

REFUSALS_SHOWN = 10  # reasons listed in a summary; the rest are counted


def _tr(text: str) -> str:
    return QCoreApplication.translate("StatusDialogs", text)


def _counted(n: int, one: str, many: str) -> str:
    """French plural: 0 and 1 are singular."""
    return (one if n <= 1 else many).format(n=format_count(n))


def verdict_counts(counts: dict[str, int]) -> str:
    """« 3 changements, 1 refusé, 2 inconnus » in the order a reader cares about."""
    words = {
        Verdict.CHANGE: (_tr("{n} changement"), _tr("{n} changements")),
        Verdict.ADOPT: (_tr("{n} à reprendre du dossier de travail"), _tr("{n} à reprendre du dossier de travail")),
        Verdict.REFUSED: (_tr("{n} refusé"), _tr("{n} refusés")),
        Verdict.UNKNOWN: (_tr("{n} inconnu"), _tr("{n} inconnus")),
        Verdict.AMBIGUOUS: (_tr("{n} ambigu"), _tr("{n} ambigus")),
        Verdict.UNREADABLE: (_tr("{n} statut illisible"), _tr("{n} statuts illisibles")),
        Verdict.UNCHANGED: (_tr("{n} déjà à jour"), _tr("{n} déjà à jour")),
        Verdict.SUPERSEDED: (_tr("{n} remplacée par une ligne plus récente"),
                             _tr("{n} remplacées par des lignes plus récentes")),
    }
    parts = [_counted(counts[v], *forms) for v, forms in words.items() if counts.get(v)]
    return ", ".join(parts) if parts else _tr("aucune ligne avec un statut")


def describe_outcome(outcome: StatusOutcome) -> str:
    """What a status change did, in French: counts, then each refusal with its reason."""
    parts = [_counted(len(outcome.applied), _tr("{n} statut changé"), _tr("{n} statuts changés"))]
    if outcome.unchanged:
        parts.append(_counted(len(outcome.unchanged), _tr("{n} déjà dans ce statut"), _tr("{n} déjà dans ce statut")))
    if outcome.refused:
        parts.append(_counted(len(outcome.refused), _tr("{n} refusé"), _tr("{n} refusés")))
    if outcome.unknown:
        parts.append(_counted(len(outcome.unknown), _tr("{n} absente du registre"), _tr("{n} absentes du registre")))
    lines = [", ".join(parts) + "."]
    lines += [f"• {demande_id} : {reason}" for demande_id, reason in outcome.refused[:REFUSALS_SHOWN]]
    if len(outcome.refused) > REFUSALS_SHOWN:
        lines.append(_tr("… et {n} autre(s) refus.").format(n=format_count(len(outcome.refused) - REFUSALS_SHOWN)))
    return "\n".join(lines)


class StatusDialog(QDialog):
    """« Changer le statut… » for one or many demandes."""

    def __init__(self, lifecycle: Lifecycle, entries: list[Entry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status_dialog")
        self.setWindowTitle(self.tr("Changer le statut"))
        self.setMinimumWidth(520)
        self.lifecycle = lifecycle
        self.entries = list(entries)
        current: dict[str, int] = {}
        for e in self.entries:
            current[e.status] = current.get(e.status, 0) + 1
        self.allowed = [code for code in lifecycle.statuses
                        if all(lifecycle.allowed(old, code) for old in current)]

        what = ", ".join(f"« {lifecycle.label(code)} » ({format_count(n)})" for code, n in current.items())
        self.about = QLabel(self.tr("{n} demande(s) sélectionnée(s), statut actuel : {what}.").format(
            n=format_count(len(self.entries)), what=what))
        self.about.setWordWrap(True)
        self.status = QComboBox()
        self.status.setObjectName("new_status")
        self.force = QCheckBox(self.tr("&Forcer (corriger une erreur)"))
        self.force.setObjectName("force_status")
        self.force.setToolTip(self.tr("Propose tous les statuts, même ceux que le cycle de vie d'une demande ne permet "
                                      "pas ; l'historique indiquera que le changement a été forcé."))
        self.comment = QLineEdit()
        self.comment.setObjectName("status_comment")
        self.comment.setPlaceholderText(self.tr("Facultatif (obligatoire pour forcer)"))
        self.note = QLabel()
        self.note.setObjectName("status_note")
        self.note.setWordWrap(True)
        form = QFormLayout()
        self.status_label = add_row(form, self.tr("&Nouveau statut :"), self.status)
        form.addRow("", self.force)
        self.comment_label = add_row(form, self.tr("&Commentaire :"), self.comment)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Changer"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)

        self.force.toggled.connect(self._fill)
        self.comment.textChanged.connect(self._update)
        self.status.currentIndexChanged.connect(self._update)
        self._fill()

    def _fill(self) -> None:
        codes = list(self.lifecycle.statuses) if self.force.isChecked() else self.allowed
        chosen = self.status.currentData()
        self.status.blockSignals(True)
        self.status.clear()
        for code in codes:
            self.status.addItem(self.lifecycle.label(code), code)
            self.status.setItemData(self.status.count() - 1, self.lifecycle.status(code).description,
                                    Qt.ItemDataRole.ToolTipRole)
        self.status.setCurrentIndex(max(0, self.status.findData(chosen)))
        self.status.blockSignals(False)
        self._update()

    def _update(self) -> None:
        forced = self.force.isChecked()
        if not self.allowed and not forced:
            self.note.setText(self.tr("Aucun statut n'est possible pour toutes ces demandes à la fois (statut final, "
                                      "ou statuts trop différents) : sélectionnez-en moins, ou forcez pour corriger "
                                      "une erreur."))
        elif forced and not self.comment.text().strip():
            self.note.setText(self.tr("Un changement forcé demande un commentaire : pourquoi corrigez-vous ce statut ?"))
        else:
            self.note.setText("")
        self.ok_button.setEnabled(self.status.currentData() is not None
                                  and (not forced or bool(self.comment.text().strip())))

    def new_status(self) -> str | None:
        return self.status.currentData()

    def forced(self) -> bool:
        return self.force.isChecked()

    def changes(self) -> list[StatusChange]:
        status = self.new_status()
        if status is None:
            return []
        comment = self.comment.text().strip()
        # As the page read them: a demande someone changed since is refused with who and when (#20).
        return [StatusChange(e.id, status, comment, seen_at=e.status_at, seen_status=e.status) for e in self.entries]


class StatusFileDialog(QDialog):
    """The preview of a status file: each line and its verdict, then « Appliquer » or « Annuler »."""

    def __init__(self, plan: StatusFilePlan, lifecycle: Lifecycle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status_file_dialog")
        self.setWindowTitle(self.tr("Fichier de statuts : {name}").format(name=plan.path.name))
        fit_screen(self, 980, 520)
        self.plan = plan
        counts = plan.counts()
        self.counts = QLabel(self.tr("<b>{counts}</b> — {path}, {where}, {n} ligne(s) avec un statut.").format(
            counts=verdict_counts(counts), path=escape(str(plan.path), quote=False),  # rich text: names escaped
            where=escape(plan.where, quote=False), n=format_count(len(plan.lines))))
        self.counts.setObjectName("status_file_counts")
        self.counts.setWordWrap(True)
        self.counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Which column gave what (a portal export words its headers its own way), and what the file as a whole says.
        self.notes = QLabel("\n".join([plan.read_columns(), *plan.notes()]))
        self.notes.setObjectName("status_file_notes")
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = PlanModel(plan.lines, lifecycle, self)
        self.table = QTableView()
        self.table.setObjectName("status_file_lines")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setDefaultSectionSize(22)  # fixed: a file of 20k lines opens at once
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(DETAIL, QHeaderView.ResizeMode.Stretch)
        self.force = QCheckBox(self.tr("Appliquer aussi les {n} changement(s) refusé(s) (forcer, pour corriger une "
                                       "erreur)").format(n=format_count(counts.get(Verdict.REFUSED, 0))))
        self.force.setObjectName("force_status_file")
        self.force.setVisible(bool(counts.get(Verdict.REFUSED)))
        self.force.toggled.connect(self._update)
        # « Appliquer » accepts: the default button, as « Changer » in the status dialog. An Apply-role button is
        # never made the default, and Entrée after reading the lines cancelled them without a word.
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText(self.tr("Appliquer"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.notes)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.force)
        layout.addWidget(self.buttons)
        self._update()

    def forced(self) -> bool:
        return self.force.isChecked()

    def _update(self) -> None:
        n = len(self.plan.changes(force=self.forced())) + len(self.plan.adopted())
        self.apply_button.setEnabled(n > 0)
        self.apply_button.setToolTip(self.tr("{n} statut(s) à changer").format(n=format_count(n)) if n else self.tr(
            "Ce fichier ne change aucun statut."))


class DifferencesDialog(QDialog):
    """What to change on the portal for a demande « à modifier »: the deposited JSON against the corrected one."""

    def __init__(self, change: Modification, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("differences_dialog")
        self.setWindowTitle(self.tr("Différences : {id}").format(id=change.entry.id))
        fit_screen(self, 760, 420)
        entry = change.entry
        self.about = QLabel(self.tr("<b>{id}</b> — {beneficiary} — BDC {bdc}<br>La demande telle que déposée, comparée "
                                    "à celle que donne le dossier de travail corrigé.").format(
            id=escape(entry.id, quote=False), beneficiary=escape(entry.beneficiary_name, quote=False),
            bdc=escape(entry.bdc_number, quote=False)))  # rich text: the register's values are escaped
        self.about.setWordWrap(True)
        self.problem = QLabel(change.problem or "")
        self.problem.setObjectName("differences_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b71c1c;")
        self.problem.setVisible(bool(change.problem))
        self.lines = QListWidget()
        self.lines.setObjectName("differences_lines")
        self.lines.addItems(render_differences(change.differences) if change.corrected is not None else [])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Fermer"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addWidget(self.problem)
        layout.addWidget(self.lines, 1)
        layout.addWidget(buttons)

    def texts(self) -> list[str]:
        return [self.lines.item(row).text() for row in range(self.lines.count())]
