"""Tableau de bord: where the open dossier stands, at a glance.

Headline figures, the nearest guichet closing with the time left, and the
demandes per couloir and type as a table and a chart. Everything comes from
the latest `Validation` (its summary was computed in the worker) and the
calendar: the page adds nothing up beyond a handful of summary rows and never
runs core work. Only the countdown is refreshed on its own (each minute, each
second in the last hour); it moves when the control instant is "now". Its
colour is the Échéances page's for the same urgency.

« Suivi des dépôts »: the vendor's register by status and couloir, from the
session's latest `Tracking` (read in a worker), refreshed when the register
changes.

« Lignes de BDC sans demande »: BDC rows refused before a demande could exist
(unknown client, no solution, unreadable row…) count in none of the cards, so
a line says how many and why (the core's `rows_without_request`, in a worker).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from segur_desktop.core.calendar import PARIS, GuichetKey, deposit_keys, load_calendar, next_closing, type_label
from segur_desktop.core.countdown import Urgency, format_remaining, remaining, urgency
from segur_desktop.core.export.plan import LeftOut, rows_without_request
from segur_desktop.core.export.recap import reason_label
from segur_desktop.core.normalise.amounts import format_count, format_fr
from segur_desktop.gui.models.register_model import TotalsModel
from segur_desktop.gui.models.summary_model import SummaryModel
from segur_desktop.gui.pages.deadlines import urgency_style
from segur_desktop.gui.session import Session, Tracking, Validation
from segur_desktop.gui.widgets.bar_chart import ERROR_COLOUR, VALID_COLOUR, Bar, BarChart
from segur_desktop.gui.workers import LatestJob

COUNTDOWN_MS = 60_000
LAST_HOUR_COUNTDOWN_MS = 1_000  # "45 min 10 s": the seconds must move


class FigureCard(QFrame):
    """One headline figure: a small title over a large value."""

    def __init__(self, title: str, colour: QColor | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        self.value = QLabel("")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if colour is not None:
            palette = self.value.palette()
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            self.value.setPalette(palette)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.value)


def _first_reason(details: tuple[str, ...]) -> str:
    """A left-out row's first reason, whole: a detail ending with « : » announces the next one (« Le client … est
    en erreur dans clients.xlsx : » then which identifier), and cut there it ran into « Détail de chaque ligne »."""
    taken: list[str] = []
    for detail in details:
        taken.append(detail)
        if not detail.rstrip().endswith(":"):
            break
    return " ".join(taken)


class DashboardPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._keys: list[GuichetKey] = []

        self.empty = QLabel()
        self.empty.setObjectName("dashboard_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        self.header = QLabel()
        self.header.setObjectName("dashboard_header")
        header_font = QFont(self.header.font())
        header_font.setPointSizeF(header_font.pointSizeF() * 1.3)
        header_font.setBold(True)
        self.header.setFont(header_font)
        self.cards = {
            "demandes": FigureCard(self.tr("Demandes")),
            "valid": FigureCard(self.tr("Valides"), VALID_COLOUR),
            "invalid": FigureCard(self.tr("En erreur"), ERROR_COLOUR),
            "amount": FigureCard(self.tr("Montant valide HT")),
        }
        self.rows_left_out = QLabel()  # « Lignes de BDC sans demande : N », hidden when every row gave a demande
        self.rows_left_out.setObjectName("dashboard_rows_left_out")
        self.rows_left_out.setWordWrap(True)
        self.rows_left_out.setMargin(8)
        self.rows_left_out.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rows_left_out.setStyleSheet("QLabel#dashboard_rows_left_out { background: #fdecea; color: #8c1d18; "
                                         "border: 1px solid #e6a19b; }")
        self.rows_left_out.hide()
        self._rows = LatestJob(self)  # a newer validation's question supersedes an older one's
        self.deadline = QLabel()
        self.deadline.setObjectName("dashboard_deadline")
        self.deadline.setWordWrap(True)
        self.deadline.setMargin(8)
        self.model = SummaryModel(parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)  # every column shown
        self.chart = BarChart()
        self.chart.setAccessibleName(self.tr("Demandes valides et en erreur par couloir et type"))

        self.tracking_box = QGroupBox(self.tr("Suivi des dépôts"))
        self.tracking_box.setObjectName("dashboard_tracking")
        self.tracking_label = QLabel()
        self.tracking_label.setObjectName("dashboard_tracking_label")
        self.tracking_label.setWordWrap(True)
        self.tracking_model = TotalsModel(self)
        self.tracking_table = QTableView()
        self.tracking_table.setObjectName("dashboard_tracking_table")
        self.tracking_table.setModel(self.tracking_model)
        self.tracking_table.verticalHeader().hide()
        self.tracking_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tracking_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tracking_table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        tracking_layout = QVBoxLayout(self.tracking_box)
        tracking_layout.addWidget(self.tracking_label)
        tracking_layout.addWidget(self.tracking_table)

        self.content = QWidget()
        cards = QHBoxLayout()
        for card in self.cards.values():
            cards.addWidget(card)
        figures = QHBoxLayout()
        figures.addWidget(self.table)
        figures.addWidget(self.chart, 1)  # the chart takes what the table leaves
        layout = QVBoxLayout(self.content)
        layout.addWidget(self.header)
        layout.addLayout(cards)
        layout.addWidget(self.rows_left_out)
        layout.addWidget(self.deadline)
        layout.addLayout(figures, 1)
        layout.addWidget(self.tracking_box)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.content)
        QVBoxLayout(self).addWidget(self.stack)

        self._countdown = QTimer(self)
        self._countdown.setInterval(COUNTDOWN_MS)
        self._countdown.timeout.connect(self.show_deadline)
        session.validated.connect(self.show_validation)
        session.tracked.connect(self.show_tracking)
        self.show_validation(session.validation)
        self.show_tracking(session.tracking)

    def show_validation(self, validation: Validation | None) -> None:
        if validation is None:
            self._countdown.stop()
            self.rows_left_out.hide()
            self.empty.setText(self._empty_text())
            self.stack.setCurrentWidget(self.empty)
            return
        summary = validation.summary
        at = summary.at.astimezone(PARIS)
        self.header.setText(self.tr("{name} — contrôle au {at} (heure de Paris)").format(
            name=summary.workspace, at=at.strftime("%d/%m/%Y %H:%M")))
        self.model.set_rows(summary.by_couloir)
        for key, count in (("demandes", summary.requests), ("valid", summary.valid), ("invalid", summary.invalid)):
            self.cards[key].value.setText(format_count(count))
        self.cards["amount"].value.setText(format_fr(sum((row.valid_amount_ht for row in summary.by_couloir),
                                                         Decimal(0))))
        self.chart.set_bars([Bar(f"{row.couloir} {type_label(row.type)}", row.valid, row.invalid)
                             for row in summary.by_couloir])
        self._keys = deposit_keys(validation.result.workspace.solutions)
        self._ask_rows_left_out(validation)
        self.show_deadline()
        self._countdown.start()
        self.stack.setCurrentWidget(self.content)

    def _ask_rows_left_out(self, validation: Validation) -> None:
        """The BDC rows without a demande and why, asked of the core in a worker when the summary counts some."""
        self._rows.drop()
        if not validation.summary.bdc_rows_without_request:
            self.rows_left_out.hide()
            return
        self._rows.follow(self.session.workers.call(rows_without_request, validation.result),
                          succeeded=self.show_rows_left_out, failed=lambda _message: self.rows_left_out.hide())

    def show_rows_left_out(self, rows: list[LeftOut]) -> None:
        """« Lignes de BDC sans demande : 56 — 40 × Aucune solution référencée, … », then the first row's reason."""
        self.rows_left_out.setVisible(bool(rows))
        if not rows:
            return
        reasons = Counter(row.title or reason_label(row.reason) for row in rows)
        kinds = ", ".join(f"{format_count(count)} × {reason}" for reason, count in reasons.most_common(3))
        if len(reasons) > 3:
            kinds = self.tr("{kinds} et {n} autre(s) motif(s)").format(kinds=kinds, n=format_count(len(reasons) - 3))
        first = rows[0]
        self.rows_left_out.setText(self.tr(
            "Lignes de BDC sans demande : {n} — {kinds}. Par exemple {where} : {reason} Détail de chaque ligne : "
            "page Export (« Écartées et pourquoi »).").format(
            n=format_count(len(rows)), kinds=kinds, where=first.where(), reason=_first_reason(first.details)))

    @property
    def counting_rows(self) -> bool:
        """The rows without a demande are being asked for (tests wait for it)."""
        return self._rows.running

    def show_tracking(self, tracking: Tracking | None) -> None:
        """The register by status and couloir; hidden while no register is open."""
        self.tracking_box.setVisible(tracking is not None)
        if tracking is None:
            self.tracking_model.set_totals([], None)
            return
        lifecycle = tracking.register.lifecycle
        self.tracking_model.set_totals(tracking.totals, lifecycle)
        self.tracking_table.setVisible(bool(tracking.entries))
        if not tracking.entries:
            self.tracking_label.setText(self.tr("Aucune demande suivie : exportez un paquet (page Export) pour "
                                                "commencer le suivi."))
            return
        deposited = [t for t in tracking.totals if t.status in lifecycle.statuses and lifecycle.status(t.status).deposited]
        self.tracking_label.setText(self.tr("{n} demande(s) suivie(s), {amount} HT demandés ; {deposited} déposée(s) "
                                            "sur le portail, {pending} non déposée(s) (exportées ou rejetées). Détail "
                                            "et historique : page Suivi.").format(
            n=format_count(len(tracking.entries)),
            amount=format_fr(sum((t.requested_ht for t in tracking.totals), Decimal(0))),
            deposited=format_count(sum(t.count for t in deposited)),
            pending=format_count(len(tracking.entries) - sum(t.count for t in deposited))))

    def show_deadline(self) -> None:
        """The nearest closing among the workspace's guichets, judged at the session's control instant."""
        at = self.session.at
        guichets = next_closing(load_calendar(), self._keys, at)
        if not guichets:
            self.deadline.setText(self.tr("Aucune clôture à venir pour les couloirs de ce dossier"))
            self._set_urgency(Urgency.NORMAL)
            self._countdown.setInterval(COUNTDOWN_MS)
            return
        closing = guichets[0].closing
        left = remaining(closing.instant, at)
        if left <= timedelta(0):  # an unknown closing hour, today: open, but it may close at any moment
            text = self.tr("Prochaine clôture : {guichets} — {state}").format(
                guichets=", ".join(g.title() for g in guichets), state=guichets[0].status(at).time_label())
            left = timedelta(0)
        else:
            text = self.tr("Prochaine clôture : {guichets} — {when}, dans {left}").format(
                guichets=", ".join(g.title() for g in guichets), when=closing.label(),
                left=format_remaining(left))
            if closing.hour is None:
                text += self.tr(" (compté jusqu'au début de ce jour)")
        self.deadline.setText(text)
        self._set_urgency(urgency(left))
        self._countdown.setInterval(LAST_HOUR_COUNTDOWN_MS if left < timedelta(hours=1) else COUNTDOWN_MS)

    def _set_urgency(self, level: Urgency) -> None:
        self.deadline.setProperty("urgency", level.value)
        self.deadline.setStyleSheet(urgency_style(level))

    def _empty_text(self) -> str:
        if self.session.workspace is not None:
            return self.tr("Le dossier « {name} » n'a pas pu être vérifié : corrigez le fichier signalé "
                           "(page Import), puis revérifiez (F5).").format(name=self.session.workspace.name)
        return self.tr("Ouvrez un dossier de travail (Fichier → Ouvrir, Ctrl+O) ou la démonstration "
                       "(Fichier → Ouvrir la démonstration).")
