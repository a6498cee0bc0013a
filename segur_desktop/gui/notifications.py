"""Desktop notifications 7 days, 48 hours and 2 hours before a closure that concerns the open workspace.

Missing a closure loses the clients' funding, and the app may sit in the
background for days: the system tray says it while the app runs. Each closure
is announced at most once per threshold; an app started late (1 hour before a
closure) says the nearest threshold only, not all three. The notifier looks at
the real clock (injectable), never at the workspace's control instant: a batch
replayed in the past (the demo) must not raise alerts about 2022. Where the
desktop has no system tray, nothing is shown and nothing fails.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from segur_desktop.core.calendar import Guichet, load_calendar
from segur_desktop.core.couloirs import REQUEST_TYPES
from segur_desktop.core.countdown import format_remaining, remaining
from segur_desktop.core.errors import InputError
from segur_desktop.core.paths import resources_dir
from segur_desktop.gui.session import Clock, Session

THRESHOLDS = (timedelta(days=7), timedelta(hours=48), timedelta(hours=2))  # longest first
CHECK_MS = 60_000
MESSAGE_MS = 30_000


def create_tray(window: QWidget) -> QSystemTrayIcon | None:
    """The window's tray icon, or None where the desktop has no system tray (notifications are then skipped)."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = QSystemTrayIcon(QIcon(str(resources_dir() / "icons" / "segur-desktop.png")), window)
    tray.setToolTip("Segur Desktop")
    tray.show()
    return tray


class DeadlineNotifier(QObject):
    def __init__(self, session: Session, tray: QSystemTrayIcon | None, clock: Clock | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tray = tray
        self.clock = clock or session.clock
        self._sent: set[tuple[Guichet, timedelta]] = set()
        self._titles = {
            THRESHOLDS[0]: self.tr("Clôture dans moins de 7 jours"),
            THRESHOLDS[1]: self.tr("Clôture dans moins de 48 heures"),
            THRESHOLDS[2]: self.tr("Clôture dans moins de 2 heures"),
        }
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        session.workspace_changed.connect(lambda _workspace: self.check())

    def check(self) -> None:
        """Show what has become due since the last check: one message per closing instant and threshold."""
        workspace = self.session.workspace
        if self.tray is None or workspace is None:
            return
        try:
            guichets = [g for g in load_calendar().concerning(workspace.solutions)
                        if g.type in REQUEST_TYPES and g.closing is not None]
        except InputError:  # a malformed calendar: the Échéances page and the validation say so
            return
        now = self.clock()
        due: dict[tuple[datetime, timedelta], list[Guichet]] = {}
        for guichet in guichets:
            left = remaining(guichet.closing.instant, now)
            crossed = [t for t in THRESHOLDS if timedelta(0) < left <= t]
            if not crossed or all((guichet, t) in self._sent for t in crossed):
                continue
            self._sent.update((guichet, t) for t in crossed)  # the longer thresholds are past: never said later
            due.setdefault((guichet.closing.instant, crossed[-1]), []).append(guichet)
        for (instant, threshold), closing in due.items():
            self.tray.showMessage(self._titles[threshold], self._text(closing, remaining(instant, now), workspace.name),
                                  QSystemTrayIcon.MessageIcon.Warning, MESSAGE_MS)

    def _text(self, guichets: list[Guichet], left: timedelta, workspace: str) -> str:
        event = guichets[0].closing
        text = self.tr("{guichets} : fermeture le {when}, dans {left} (dossier « {workspace} »).").format(
            guichets=", ".join(g.title() for g in guichets), when=event.label(), left=format_remaining(left),
            workspace=workspace)
        note = event.approximation()
        return f"{text} {note[:1].upper()}{note[1:]}." if note else text
