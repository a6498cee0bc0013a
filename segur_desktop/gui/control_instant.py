"""The control instant: the moment guichets are judged open or closed, shown and chosen in the window.

A status-bar button says which instant is in force (« Échéances jugées :
maintenant », or « … au 25/11/2022 10:00 (fixé) ») and opens a small dialog:
« maintenant », or a fixed date and time in Paris time. A fixed instant is the
workspace's `date_controle`, written through the core
(`core.workspace.edit_workspace`, via `Session.edit`), which then checks the
workspace again: every page judges at `Session.at`. Nothing here decides what
is open or closed.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, Qt, QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from segur_desktop.core.calendar import PARIS, NonexistentTime, format_instant, paris_time
from segur_desktop.gui.session import Session

DISPLAY_FORMAT = "dd/MM/yyyy HH:mm"


def fixed_instant(session: Session) -> datetime | None:
    """The instant chosen and kept (the workspace's date_controle, or a test's override); None: « maintenant »."""
    if session.at_override is not None:
        return session.at_override
    if session.workspace is not None:
        return session.workspace.judged_at
    return None


def instant_text(session: Session) -> str:
    """« maintenant » or « au 25/11/2022 10:00 (fixé) »: the words pages use after « Échéances jugées »."""
    fixed = fixed_instant(session)
    if fixed is None:
        return QCoreApplication.translate("ControlInstant", "maintenant")
    return QCoreApplication.translate("ControlInstant", "au {at} (fixé)").format(at=format_instant(fixed))


class ControlInstantButton(QPushButton):
    """The status bar's « Échéances jugées : … », a click away from changing it."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.dialog: ControlInstantDialog | None = None
        self.setObjectName("control_instant")
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clicked.connect(self.choose)
        session.workspace_changed.connect(self.refresh)
        session.validated.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        fixed = fixed_instant(self.session)
        self.setText(self.tr("Échéances jugées : maintenant") if fixed is None
                     else self.tr("Échéances jugées {when}").format(when=instant_text(self.session)))
        has_workspace = self.session.folder is not None
        self.setEnabled(has_workspace)
        self.setToolTip(self.tr("Changer l'instant auquel les guichets sont jugés ouverts ou fermés…") if has_workspace
                        else self.tr("Ouvrez un dossier de travail pour fixer l'instant de contrôle."))

    def choose(self) -> ControlInstantDialog:
        dialog = ControlInstantDialog(self.session, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog


class ControlInstantDialog(QDialog):
    """« Maintenant » or a fixed date and time (Paris time), saved as the workspace's date_controle."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("control_instant_dialog")
        self.setWindowTitle(self.tr("Instant de contrôle des échéances"))
        explanation = QLabel(self.tr(
            "Les guichets sont jugés ouverts ou fermés à cet instant : sur la page Échéances, le Tableau de bord et "
            "l'Export. Un instant fixé est enregistré dans le dossier de travail (« date_controle ») : il sert à "
            "rejouer un lot passé ou à préparer un dépôt à une date donnée."))
        explanation.setWordWrap(True)
        self.now = QRadioButton(self.tr("&Maintenant (l'horloge de cet ordinateur, à chaque vérification)"))
        self.now.setObjectName("control_now")
        self.fixed = QRadioButton(self.tr("À une date et une heure &fixes (heure de Paris) :"))
        self.fixed.setObjectName("control_fixed")
        group = QButtonGroup(self)
        group.addButton(self.now)
        group.addButton(self.fixed)
        self.when = QDateTimeEdit()
        self.when.setObjectName("control_when")
        self.when.setLocale(QLocale(QLocale.Language.French, QLocale.Country.France))
        self.when.setDisplayFormat(DISPLAY_FORMAT)
        self.when.setCalendarPopup(True)
        chosen = fixed_instant(session)
        shown = (chosen or session.at).astimezone(PARIS)
        self.when.setDateTime(QDateTime(QDate(shown.year, shown.month, shown.day), QTime(shown.hour, shown.minute)))
        (self.now if chosen is None else self.fixed).setChecked(True)
        self.when.setEnabled(chosen is not None)
        self.fixed.toggled.connect(self.when.setEnabled)
        self.problem = QLabel("")  # an hour the spring clock change skips, said here rather than moved silently
        self.problem.setObjectName("control_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        self.when.dateTimeChanged.connect(lambda _value: self.problem.hide())
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton(self.tr("&Appliquer"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("control_apply")
        buttons.addButton(self.tr("A&nnuler"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.now)
        layout.addWidget(self.fixed)
        layout.addWidget(self.when)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def chosen(self) -> datetime | None:
        """The instant the dialog shows, read as Paris wall-clock time; None for « maintenant »;
        NonexistentTime (French) for an hour the spring clock change skips in Paris."""
        if self.now.isChecked():
            return None
        value = self.when.dateTime()
        day, hour = value.date(), value.time()
        return paris_time(datetime(day.year(), day.month(), day.day(), hour.hour(), hour.minute()))

    def accept(self) -> None:
        """Write the choice to workspace.json (the core checks it), then the session checks the workspace again;
        an hour that never existed in Paris is said under the field, and the dialog stays open."""
        try:
            chosen = self.chosen()
        except NonexistentTime as problem:
            self.problem.setText(str(problem))
            self.problem.show()
            self.when.setFocus()
            return
        self.session.at_override = None  # the workspace's date_controle is what the user sets here
        self.session.edit({"date_controle": chosen})
        super().accept()
