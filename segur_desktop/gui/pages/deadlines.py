"""Échéances: one card per guichet with a live countdown coloured by urgency, and the calendar files in force.

The page asks the core for each guichet's status at the session's control
instant (`Session.at`: now, or the instant a workspace fixes to replay a batch)
and shows it; it computes no date itself. By default it shows the guichets of
the open workspace's couloirs; « Afficher tous les couloirs » shows the whole
calendar. « Importer un calendrier… » has the core check a file against
`resources/calendar.schema.json` and install it as the user's override, then
revalidates the workspace, since a guichet's state decides which demandes pass.
The countdown ticks each second while the page is visible, never when hidden.

The urgency colours live here and the dashboard's banner uses them too, so a
deadline has the same colour wherever it is shown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from segur_desktop.core.calendar import (
    CalendarFile,
    Event,
    Guichet,
    GuichetState,
    GuichetStatus,
    import_calendar,
    load_calendar,
    user_calendar_folder,
)
from segur_desktop.core.countdown import Urgency, format_remaining
from segur_desktop.core.errors import InputError
from segur_desktop.gui.control_instant import fixed_instant
from segur_desktop.gui.session import Session
from segur_desktop.gui.workers import Job

TICK_MS = 1_000  # seconds are shown in the last hour
COLUMNS = 3
UNKNOWN_HOUR = "heure non communiquée"  # the core's words (`Event.label`, `GuichetStatus.note`), said once per card
# (background, text, border): pale backgrounds (the red one is the Demandes table's error colour) under a dark
# text of the same hue, readable on light and dark palettes alike. NORMAL (7 to 30 days) keeps the palette's own.
URGENCY_COLOURS: dict[Urgency, tuple[str, str, str]] = {
    Urgency.DISTANT: ("#e3f2e4", "#1b4d20", "#43a047"),
    Urgency.SOON: ("#ffe0b2", "#5d3200", "#fb8c00"),
    Urgency.URGENT: ("#fde2e1", "#7f1d1d", "#e53935"),
    Urgency.CLOSED: ("#eceff1", "#37474f", "#90a4ae"),
}


def urgency_style(level: Urgency) -> str:
    """Style sheet declarations for a widget showing `level`; empty for NORMAL."""
    if level not in URGENCY_COLOURS:
        return ""
    background, text, border = URGENCY_COLOURS[level]
    return f"background: {background}; color: {text}; border: 1px solid {border};"


class DeadlineCard(QFrame):
    """One guichet: its name, its state, the time left (or since its closing), and what that time counts to."""

    def __init__(self, guichet: Guichet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guichet = guichet
        self.setObjectName("deadline_card")
        self.title = QLabel(self.tr("{guichet} — vague {vague}").format(guichet=guichet.title(named=True),
                                                                       vague=guichet.vague))
        title_font = QFont(self.title.font())
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setWordWrap(True)  # on one line, three cards were wider than a 1024 px window's page
        self.state = QLabel()
        self.countdown = QLabel()
        self.countdown.setObjectName("countdown")
        countdown_font = QFont(self.countdown.font())
        countdown_font.setPointSizeF(countdown_font.pointSizeF() * 1.6)
        countdown_font.setBold(True)
        self.countdown.setFont(countdown_font)
        self.when = QLabel()
        self.when.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        # A moved date says so on the card, with the date it replaced; when and by whom it was announced: tooltip
        self.change = QLabel("\n".join(self._moved(event) for event in (guichet.opening, guichet.closing)
                                        if event is not None and event.changes))
        self.change.setObjectName("date_change")
        self.change.setWordWrap(True)
        events = [event for event in dict.fromkeys((guichet.opening, guichet.closing)) if event]
        self.setToolTip("\n".join([self.tr("Source : {source}").format(source=event.source) for event in events]
                                  + [self.tr("Changement : {change}").format(change=change)
                                     for event in events for change in event.change_details()]))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.state)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.countdown)
        layout.addWidget(self.when)
        layout.addWidget(self.change)
        layout.addWidget(self.note)
        self.change.setVisible(bool(self.change.text()))  # once in the layout: a parentless label would be a window
        layout.addStretch(1)  # a short card in a row of taller ones keeps its text at the top
        self._level: Urgency | None = None

    def _moved(self, event: Event) -> str:
        """"Fermeture reportée au 20/09/2023 (heure non communiquée), au lieu du 28/04/2023 à 14:00"."""
        name = self.tr("Ouverture") if event.event == "ouverture" else self.tr("Fermeture")
        return f"{name} {event.change_label()}"

    def show_status(self, status: GuichetStatus) -> None:
        label = status.state.label()
        self.state.setText(label[:1].upper() + label[1:])
        if status.event is None:
            self.countdown.setText("—")
            self.when.setText(self.tr("Fermeture non publiée"))
        else:
            # on the day of a closing of unknown hour, nothing is left to count, yet the guichet is open
            uncertain = status.time_label()
            self.countdown.setText(uncertain[:1].upper() + uncertain[1:] if uncertain
                                   else format_remaining(status.delta))
            self.when.setText({
                GuichetState.NOT_OPEN_YET: self.tr("avant l'ouverture : {when}"),
                GuichetState.OPEN: self.tr("avant la fermeture : {when}"),
                GuichetState.CLOSED: self.tr("depuis la fermeture : {when}"),
            }[status.state].format(when=status.event.label()))
        note = status.note()
        if note is not None and UNKNOWN_HOUR in self.change.text():  # the moved date already says it
            self.when.setText(self.when.text().replace(f" ({UNKNOWN_HOUR})", ""))
        if note is not None and note.startswith(UNKNOWN_HOUR) and UNKNOWN_HOUR in self.when.text() + self.change.text():
            rest = note[len(UNKNOWN_HOUR):].lstrip(" :")  # « heure non communiquée » once per card: the date says it
            note = rest[:1].upper() + rest[1:]
        self.note.setText(note or "")
        self.note.setVisible(note is not None)
        self.setAccessibleName(f"{self.title.text()} : {self.state.text()}, {self.countdown.text()}")
        if status.urgency is not self._level:  # a style sheet is costly to apply: only when the level changes
            self._level = status.urgency
            self.setProperty("urgency", status.urgency.value)
            self.setStyleSheet(self._style(status.urgency))

    @staticmethod
    def _style(level: Urgency) -> str:
        if level not in URGENCY_COLOURS:
            return "QFrame#deadline_card { border: 1px solid palette(mid); border-radius: 6px; }"
        background, text, border = URGENCY_COLOURS[level]
        return (f"QFrame#deadline_card {{ background: {background}; border: 1px solid {border}; border-radius: 6px; }}"
                f"QFrame#deadline_card QLabel {{ color: {text}; background: transparent; border: none; }}")


class DeadlinesPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.cards: list[DeadlineCard] = []
        self._installing: Job | None = None  # one calendar import at a time

        heading = QLabel("<h2>" + self.tr("Échéances") + "</h2>")
        self.header = QLabel()
        self.header.setObjectName("deadlines_header")
        self.header.setWordWrap(True)
        self.all_couloirs = QCheckBox(self.tr("Afficher tous les couloirs"))
        self.all_couloirs.setObjectName("all_couloirs")
        self.scope = QLabel()
        self.scope.setWordWrap(True)  # six couloirs on one line made the window 1,045 px wide at least
        self.import_button = QPushButton(self.tr("Importer un calendrier…"))
        self.import_button.setObjectName("import_calendar")
        self.import_button.setToolTip(self.tr("Vérifie un calendrier JSON (un fichier par vague) et le met en vigueur "
                                              "à la place du fichier de la même vague"))
        self.problem = QLabel()
        self.problem.setObjectName("deadlines_problem")
        self.problem.setWordWrap(True)
        self.grid = QGridLayout()
        # Without a workspace (or with every couloir), closed guichets come last, folded under « Fermés »: their
        # counters since closing would otherwise fill the first screen.
        self.closed_toggle = QToolButton()
        self.closed_toggle.setObjectName("closed_toggle")
        self.closed_toggle.setCheckable(True)
        self.closed_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.closed_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.closed_toggle.setAutoRaise(True)
        self.closed_toggle.toggled.connect(self._fold_closed)
        self.closed_box = QWidget()
        self.closed_box.setObjectName("closed_group")
        self.closed_grid = QGridLayout(self.closed_box)
        self.closed_grid.setContentsMargins(0, 0, 0, 0)
        cards = QWidget()
        outer = QVBoxLayout(cards)
        outer.addLayout(self.grid)
        outer.addWidget(self.closed_toggle)
        outer.addWidget(self.closed_box)
        outer.addStretch(1)
        self.closed_toggle.hide()
        self.closed_box.hide()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(cards)
        self.files = QLabel()
        self.files.setObjectName("calendar_files")
        self.files.setWordWrap(True)
        self.files.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        controls = QHBoxLayout()
        controls.addWidget(self.all_couloirs)
        controls.addWidget(self.scope, 1)
        controls.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.header)
        layout.addLayout(controls)
        layout.addWidget(self.problem)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.files)

        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.all_couloirs.toggled.connect(lambda _checked: self.rebuild())
        self.import_button.clicked.connect(self.choose_calendar)
        session.workspace_changed.connect(lambda _workspace: self.rebuild())
        session.validated.connect(lambda _validation: self.tick())  # the control instant may come with the workspace
        self.rebuild()

    def rebuild(self) -> None:
        """The cards for the calendar in force and the chosen couloirs, then their statuses."""
        for card in self.cards:
            card.hide()  # at once: deleteLater waits for the event loop
            self.grid.removeWidget(card)
            self.closed_grid.removeWidget(card)
            card.deleteLater()
        self.cards = []
        workspace = self.session.workspace
        self.all_couloirs.setEnabled(workspace is not None)
        show_all = workspace is None or self.all_couloirs.isChecked()
        try:
            calendar = load_calendar()
        except InputError as error:  # a malformed user file: say which, keep the import button to replace it
            self.problem.setText(self.tr("Le calendrier ne peut pas être lu. {message}").format(message=error))
            self.problem.show()
            self.files.clear()
            return
        guichets = calendar.guichets() if show_all else calendar.concerning(workspace.solutions)
        if workspace is None:
            self.scope.setText(self.tr("Aucun dossier de travail ouvert : tous les couloirs sont affichés."))
        elif show_all:
            self.scope.setText(self.tr("Tous les couloirs du calendrier."))
        else:
            self.scope.setText(self.tr("Couloirs du dossier « {name} » : {couloirs}.").format(
                name=workspace.name, couloirs=", ".join(dict.fromkeys(s.couloir for s in workspace.solutions))))
        self.problem.setText(self.tr("Aucun guichet connu pour les couloirs de ce dossier : importez un calendrier à "
                                     "jour, ou affichez tous les couloirs."))
        self.problem.setVisible(not guichets)
        at = self.session.at
        fold = show_all  # the workspace's own couloirs: every card in place, a closed one explains refused demandes
        closed = [g for g in guichets if fold and g.status(at).state is GuichetState.CLOSED]
        shown = [g for g in guichets if g not in closed]
        made: dict[int, DeadlineCard] = {}
        for grid, group in ((self.grid, shown), (self.closed_grid, closed)):
            for index, guichet in enumerate(group):
                made[id(guichet)] = card = DeadlineCard(guichet)
                grid.addWidget(card, index // COLUMNS, index % COLUMNS)
        self.cards = [made[id(g)] for g in guichets]  # the calendar's order, wherever the card is shown
        self.closed_toggle.setText(self.tr("Fermés ({n})").format(n=len(closed)))
        self.closed_toggle.setVisible(bool(closed))
        self.closed_toggle.setChecked(False)
        self._fold_closed(False)
        self.files.setText(self.tr("Calendriers en vigueur (les fichiers de « {folder} » remplacent ceux fournis avec "
                                   "l'application) :").format(folder=user_calendar_folder()) + "\n" + "\n".join(
            self.tr("• vague {vague} — {origin} : {path}").format(vague=f.vague, origin=f.origin(), path=f.path)
            for f in calendar.files))
        self.tick()

    def _fold_closed(self, unfolded: bool) -> None:
        """« Fermés (N) »: the closed guichets' cards, folded by default."""
        self.closed_toggle.setArrowType(Qt.ArrowType.DownArrow if unfolded else Qt.ArrowType.RightArrow)
        self.closed_box.setVisible(unfolded and not self.closed_toggle.isHidden())

    def tick(self) -> None:
        """Every card's status at the control instant (each second while the page is shown)."""
        at = self.session.at
        when = at.strftime("%d/%m/%Y %H:%M:%S")
        if fixed_instant(self.session) is None:
            header = self.tr("Échéances jugées maintenant : {at} (heure de Paris).").format(at=when)
        else:
            header = self.tr("Échéances jugées au {at} (fixé, heure de Paris) : le compte à rebours ne défile pas. "
                             "Pour changer cet instant : « Échéances jugées… » dans la barre d'état.").format(at=when)
        self.header.setText(header)
        for card in self.cards:
            card.show_status(card.guichet.status(at))

    def choose_calendar(self) -> None:
        if self._installing is not None:
            return
        path, _selected = QFileDialog.getOpenFileName(self, self.tr("Importer un calendrier"), "",
                                                      self.tr("Calendrier JSON (*.json)"))
        if path:
            self.install_calendar(Path(path))

    def install_calendar(self, path: Path) -> Job | None:
        """Check `path` and put it in force (a file write: on the write pool), then show the new calendar
        and revalidate, or say in French why not. Not while one is being imported: clicked again before the
        progress dialog shows (300 ms), the button imported twice and said so in two boxes."""
        if self._installing is not None:
            return None
        job = self._installing = self.session.workers.writes().call(import_calendar, path)
        self.import_button.setEnabled(False)
        job.done.connect(self._installed_or_not)
        job.succeeded.connect(self._installed)
        job.failed.connect(lambda message: self._tell(QMessageBox.Icon.Warning, self.tr("Calendrier refusé"), message))
        self.session.job_started.emit(job, self.tr("Import du calendrier"))
        return job

    def _installed_or_not(self) -> None:
        self._installing = None
        self.import_button.setEnabled(True)

    def _installed(self, installed: CalendarFile) -> None:
        self.rebuild()
        self._tell(QMessageBox.Icon.Information, self.tr("Calendrier importé"), self.tr(
            "Le calendrier de la vague {vague} est en vigueur : « {path} ». Il remplace le précédent fichier de "
            "cette vague ; supprimez-le pour revenir au calendrier fourni avec l'application.").format(
            vague=installed.vague, path=installed.path))
        self.session.revalidate()

    def _tell(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("calendar_box")
        box.open()
        return box

    def showEvent(self, event: QShowEvent) -> None:
        self.tick()
        self.timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.timer.stop()
        super().hideEvent(event)

