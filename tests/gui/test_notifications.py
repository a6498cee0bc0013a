"""Tray notifications 7 days, 48 hours and 2 hours before the open workspace's closures, on an injected clock."""

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QSystemTrayIcon

from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.workspace import load_workspace
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.notifications import CHECK_MS, DeadlineNotifier, create_tray
from segur_desktop.gui.session import Session
from segur_desktop.gui.settings import Settings

DEMO_AVANCES = "HOP avance, MDV avance, BIO avance : fermeture le 30/11/2022 à 14:00"
DEMO = "(dossier « Démo — Médilog Santé »)."


class FakeTray:
    """Records what QSystemTrayIcon.showMessage would have shown."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []

    def showMessage(self, title: str, text: str, icon: QSystemTrayIcon.MessageIcon, ms: int) -> None:
        assert icon is QSystemTrayIcon.MessageIcon.Warning and ms > 0
        self.messages.append((title, text))


@pytest.fixture
def clock() -> list[datetime]:
    return [parse_instant("2022-11-01T09:00:00")]


@pytest.fixture
def tray() -> FakeTray:
    return FakeTray()


@pytest.fixture
def notifier(session: Session, tray: FakeTray, clock: list[datetime], demo_folder: Path) -> DeadlineNotifier:
    notifier = DeadlineNotifier(session, tray, clock=lambda: clock[0])
    session.workspace = load_workspace(demo_folder)  # no need to run the pipeline: only the solutions matter
    return notifier


def at(notifier: DeadlineNotifier, clock: list[datetime], instant: str) -> None:
    clock[0] = parse_instant(instant)
    notifier.check()


def test_each_threshold_once_per_closure(notifier: DeadlineNotifier, tray: FakeTray, clock: list[datetime]) -> None:
    at(notifier, clock, "2022-11-23T13:59:59")  # 7 days and 1 second before
    assert tray.messages == []
    at(notifier, clock, "2022-11-23T14:00:00")
    assert tray.messages == [("Clôture dans moins de 7 jours", f"{DEMO_AVANCES}, dans 7 j {DEMO}")]
    at(notifier, clock, "2022-11-23T14:01:00")
    at(notifier, clock, "2022-11-28T10:00:00")
    assert len(tray.messages) == 1  # said once, not at every check
    at(notifier, clock, "2022-11-28T14:00:00")
    assert tray.messages[-1] == ("Clôture dans moins de 48 heures", f"{DEMO_AVANCES}, dans 2 j {DEMO}")
    at(notifier, clock, "2022-11-30T12:00:30")
    assert tray.messages[-1] == ("Clôture dans moins de 2 heures", f"{DEMO_AVANCES}, dans 1 h 59 min {DEMO}")
    for instant in ("2022-11-30T13:59:00", "2022-11-30T14:00:00", "2022-11-30T15:00:00"):
        at(notifier, clock, instant)
    assert len(tray.messages) == 3  # nothing once closed


def test_a_late_start_says_the_nearest_threshold_only(notifier: DeadlineNotifier, tray: FakeTray,
                                                      clock: list[datetime]) -> None:
    at(notifier, clock, "2022-11-30T13:00:00")
    assert tray.messages == [("Clôture dans moins de 2 heures", f"{DEMO_AVANCES}, dans 1 h {DEMO}")]
    at(notifier, clock, "2022-11-30T13:30:00")
    assert len(tray.messages) == 1


def test_an_unknown_hour_is_said(notifier: DeadlineNotifier, tray: FakeTray, clock: list[datetime]) -> None:
    at(notifier, clock, "2024-02-21T00:00:00")
    assert tray.messages == [("Clôture dans moins de 7 jours",
                              f"MS1 avance : fermeture le 28/02/2024 (heure non communiquée), dans 7 j {DEMO} "
                              "Heure non communiquée : compté jusqu'au début de ce jour.")]


def test_only_the_workspace_deposit_closures(notifier: DeadlineNotifier, tray: FakeTray, clock: list[datetime]) -> None:
    at(notifier, clock, "2022-12-20T12:00:00")  # PHA référencement closes 21/12: not a deposit, nothing to say
    assert tray.messages == []
    at(notifier, clock, "2023-03-20T12:00:00")  # MSS avance closes 23/03: the demo's MSSanté operator (issue #21)
    assert [text for _title, text in tray.messages] == [
        f"MSS avance : fermeture le 23/03/2023 (heure non communiquée), dans 2 j 12 h {DEMO} Heure non communiquée : "
        "compté jusqu'au début de ce jour."]
    tray.messages.clear()
    at(notifier, clock, "2023-04-25T12:00:00")  # the soldes' first closing, 28/04/2023, was postponed
    assert tray.messages == []
    at(notifier, clock, "2023-12-11T12:00:00")  # the demo's soldes (and RAD's, not the demo's) close 14/12/2023
    assert [text for _title, text in tray.messages] == [  # PHA solde was postponed to 20/09/2023
        f"HOP solde, MDV solde, BIO solde : fermeture le 14/12/2023 à 14:00, dans 3 j 2 h {DEMO}"]
    assert {title for title, _text in tray.messages} == {"Clôture dans moins de 7 jours"}


def test_opening_a_workspace_checks_at_once_and_the_timer_keeps_checking(
        session: Session, tray: FakeTray, clock: list[datetime], demo_folder: Path) -> None:
    notifier = DeadlineNotifier(session, tray, clock=lambda: clock[0])
    assert notifier.timer.isActive() and notifier.timer.interval() == CHECK_MS
    clock[0] = parse_instant("2022-11-29T20:00:00")
    notifier.check()
    assert tray.messages == []  # no workspace open
    session.workspace = load_workspace(demo_folder)
    session.workspace_changed.emit(session.workspace)
    assert [title for title, _text in tray.messages] == ["Clôture dans moins de 48 heures"]
    clock[0] = parse_instant("2022-11-30T12:30:00")
    notifier.timer.timeout.emit()
    assert [title for title, _text in tray.messages][-1] == "Clôture dans moins de 2 heures"


def test_without_a_system_tray_nothing_is_shown_and_nothing_fails(
        window: MainWindow, session: Session, clock: list[datetime], demo_folder: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    assert create_tray(window) is None
    notifier = DeadlineNotifier(session, None, clock=lambda: clock[0])
    session.workspace = load_workspace(demo_folder)
    clock[0] = parse_instant("2022-11-30T13:00:00")
    notifier.check()  # skipped silently
    assert window.tray is None and window.notifier.tray is None  # the offscreen platform has no tray


def test_the_window_owns_the_tray_and_a_click_shows_the_deadlines(
        qtbot, session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    window = MainWindow(session, settings)
    qtbot.addWidget(window)
    assert isinstance(window.tray, QSystemTrayIcon) and window.tray.parent() is window
    assert window.notifier.tray is window.tray and not window.tray.icon().isNull()
    window.tray.messageClicked.emit()
    assert window.stack.currentWidget() is window.deadlines
