"""The Échéances page as a user meets it: cards for the workspace's couloirs, a live countdown, the colours,
« Afficher tous les couloirs », the files in force and « Importer un calendrier… »."""

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from segur_desktop.core.calendar import load_calendar, parse_instant
from segur_desktop.core.countdown import Urgency
from segur_desktop.gui.main_window import MainWindow
from segur_desktop.gui.pages.deadlines import TICK_MS, URGENCY_COLOURS, DeadlineCard, DeadlinesPage
from segur_desktop.gui.session import Session
from segur_desktop.gui.workers import Workers

DEMO_CARDS = ["HOP avance — vague 1", "HOP solde — vague 1", "MDV avance — vague 1", "MDV solde — vague 1",
              "BIO avance — vague 1", "BIO solde — vague 1", "PHA référencement — vague 1", "PHA avance — vague 1",
              "PHA solde — vague 1", "MS1 référencement — vague 1", "MS1 avance — vague 1", "MS1 solde — vague 1",
              "MSS référencement — vague 1", "MSS avance — vague 1", "MSS solde — vague 1"]


def card(page: DeadlinesPage, title: str) -> DeadlineCard:
    return next(c for c in page.cards if c.title.text() == title)


def shown(card: DeadlineCard) -> tuple[str, str, str]:
    return card.state.text(), card.countdown.text(), card.when.text()




@pytest.fixture
def clock() -> list[datetime]:
    """The session's clock, set by the test: no real waiting."""
    return [parse_instant("2022-11-30T13:58:50")]


@pytest.fixture
def page(qtbot, clock: list[datetime]) -> Iterator[DeadlinesPage]:
    """The page alone, no workspace open, on a clock the test moves."""
    session = Session(Workers(), clock=lambda: clock[0])
    page = DeadlinesPage(session)
    qtbot.addWidget(page)
    page.show()
    yield page
    session.workers.wait(10000)


def open_page(qtbot, window: MainWindow) -> DeadlinesPage:
    # A progress dialog (shown after 300 ms on a loaded machine) is modal and would take the shortcut.
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=20_000)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.deadlines
    return window.deadlines


def test_demo_shows_its_couloirs_at_its_control_instant(qtbot, demo_window: MainWindow) -> None:
    page = open_page(qtbot, demo_window)
    assert [c.title.text() for c in page.cards] == DEMO_CARDS
    assert not page.all_couloirs.isChecked() and page.all_couloirs.isEnabled()
    assert page.scope.text() == "Couloirs du dossier « Démo — Médilog Santé » : HOP, MDV, BIO, PHA, MS1, MSS."
    assert page.header.text().startswith("Échéances jugées au 28/11/2022 10:00:00 (fixé, heure de Paris)")
    assert "le compte à rebours ne défile pas" in page.header.text()  # the demo replays a past batch
    hop = card(page, "HOP avance — vague 1")
    assert shown(hop) == ("Ouvert", "2 j 4 h", "avant la fermeture : 30/11/2022 à 14:00")
    assert hop.property("urgency") == "soon" and hop.note.isHidden()
    pha = card(page, "PHA avance — vague 1")
    assert shown(pha) == ("Ouvert", "107 j 4 h", "avant la fermeture : 15/03/2023 à 14:00")  # officine: 14:00
    assert pha.note.isHidden() and pha.change.isHidden()
    assert pha.property("urgency") == "distant"
    ms1 = card(page, "MS1 avance — vague 1")
    assert ms1.note.isVisible() and ms1.note.text() == "Compté jusqu'au début de ce jour"  # the hour: said once
    assert card(page, "PHA référencement — vague 1").property("urgency") == "normal"  # 22 days
    assert "Source : ASP, Guide utilisateur fournisseur « La fermeture de guichet" in hop.toolTip()


def test_cards_are_painted_in_their_urgency_colour(qtbot, demo_window: MainWindow) -> None:
    page = open_page(qtbot, demo_window)
    for title, level in (("HOP avance — vague 1", Urgency.SOON), ("MS1 solde — vague 1", Urgency.DISTANT)):
        image = card(page, title).grab().toImage()
        assert image.pixelColor(QPoint(image.width() // 2, image.height() - 4)) == QColor(URGENCY_COLOURS[level][0])


def test_all_couloirs_checkbox(qtbot, demo_window: MainWindow) -> None:
    page = open_page(qtbot, demo_window)
    qtbot.mouseClick(page.all_couloirs, Qt.MouseButton.LeftButton)
    titles = [c.title.text() for c in page.cards]
    assert len(titles) == len(load_calendar().guichets()) == 31
    assert {"RAD avance — vague 1", "MSS solde — vague 1", "HOP avance (PFI) — vague 2"} <= set(titles)
    assert page.scope.text() == "Tous les couloirs du calendrier."
    assert card(page, "MSS solde — vague 1").state.text() == "Pas encore ouvert"
    qtbot.mouseClick(page.all_couloirs, Qt.MouseButton.LeftButton)
    assert [c.title.text() for c in page.cards] == DEMO_CARDS


def test_without_a_workspace_every_couloir_is_shown(window: MainWindow) -> None:
    page = window.deadlines
    assert len(page.cards) == 31 and not page.all_couloirs.isEnabled()
    assert page.scope.text() == "Aucun dossier de travail ouvert : tous les couloirs sont affichés."
    assert "ne défile pas" not in page.header.text()


def test_live_countdown_shows_seconds_in_the_last_hour_and_the_closing(page: DeadlinesPage,
                                                                        clock: list[datetime]) -> None:
    assert page.timer.isActive() and page.timer.interval() == TICK_MS
    hop = card(page, "HOP avance — vague 1")
    assert shown(hop) == ("Ouvert", "1 min 10 s", "avant la fermeture : 30/11/2022 à 14:00")
    assert hop.property("urgency") == "urgent"
    clock[0] = parse_instant("2022-11-30T13:59:59")
    page.timer.timeout.emit()
    assert hop.countdown.text() == "1 s"
    assert page.header.text() == "Échéances jugées maintenant : 30/11/2022 13:59:59 (heure de Paris)."
    clock[0] = parse_instant("2022-11-30T14:00:00")  # closed from the closing minute itself
    page.timer.timeout.emit()
    assert shown(hop) == ("Fermé", "0 s", "depuis la fermeture : 30/11/2022 à 14:00")
    assert hop.property("urgency") == "closed"
    clock[0] = parse_instant("2022-11-30T14:01:00")
    page.timer.timeout.emit()
    assert hop.countdown.text() == "1 min"
    assert card(page, "HOP solde — vague 1").countdown.text() == "378 j 23 h 59 min"  # no seconds: far away (14/12/2023)
    assert shown(card(page, "HOP avance (DPI) — vague 2"))[0] == "Pas encore ouvert"
    assert card(page, "HOP avance (DPI) — vague 2").when.text() == "avant l'ouverture : 12/09/2024 à 14:00"
    assert shown(card(page, "RAD (Imagerie) avance — vague 2"))[1:] == ("952 j 22 h 59 min",
                                                                      "avant l'ouverture : 10/07/2025 à 14:00")
    page.hide()
    assert not page.timer.isActive()  # no ticking for a page nobody sees


def test_the_real_timer_moves_the_countdown(qtbot, page: DeadlinesPage, clock: list[datetime]) -> None:
    started = datetime.now()
    base = clock[0]
    page.session.clock = lambda: base + (datetime.now() - started)
    hop = card(page, "HOP avance — vague 1")
    assert hop.countdown.text() == "1 min 10 s"
    qtbot.waitUntil(lambda: hop.countdown.text() != "1 min 10 s", timeout=10 * TICK_MS)  # a second or so
    assert hop.countdown.text().startswith("1 min ")


def test_open_guichet_without_a_published_closing(page: DeadlinesPage, clock: list[datetime]) -> None:
    clock[0] = parse_instant("2025-08-01T12:00:00")
    page.tick()
    rad = card(page, "RAD (Imagerie) avance — vague 2")
    assert shown(rad) == ("Ouvert", "—", "Fermeture non publiée")
    assert rad.property("urgency") == "distant"


def _calendar(path: Path, heure: str | None = "12:00") -> Path:
    path.write_text(json.dumps({"schema_version": 1, "vague": "1", "description": "Mise à jour de test", "evenements": [
        {"couloir": "HOP", "type": "avance", "evenement": "fermeture", "date": "2022-12-15", "heure": heure,
         "source": "Avis ASP de report"},
        {"couloir": "PHA", "type": "avance", "evenement": "fermeture", "date": "2023-03-15", "heure": None,
         "source": "Sommaire dynamique ANS, 29/12/2022"}]}), encoding="utf-8")
    return path


def choose(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(path) if path else "", "Calendrier JSON (*.json)"))


def test_import_a_calendar_puts_it_in_force_and_revalidates(qtbot, demo_window: MainWindow, user_data: Path,
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = open_page(qtbot, demo_window)
    choose(monkeypatch, _calendar(tmp_path / "report fermeture HOP.json"))
    with qtbot.waitSignal(demo_window.session.validated, timeout=20000):
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    installed = user_data / "resources" / "calendar" / "vague1.json"
    box = page.findChild(QMessageBox, "calendar_box")
    assert box.windowTitle() == "Calendrier importé" and f"« {installed} »" in box.text()
    assert installed.is_file()
    assert [c.title.text() for c in page.cards] == ["HOP avance — vague 1", "PHA avance — vague 1"]
    assert shown(card(page, "HOP avance — vague 1")) == (
        "Ouvert", "17 j 2 h", "avant la fermeture : 15/12/2022 à 12:00")
    assert f"• vague 1 — utilisateur : {installed}" in page.files.text()
    assert "• vague 2 — intégré : " in page.files.text()
    # The validation ran again with the new calendar: the dashboard's nearest closing moved.
    assert "HOP avance — 15/12/2022 à 12:00, dans 17 j 2 h" in demo_window.dashboard.deadline.text()


def test_import_refuses_a_file_that_breaks_the_schema(qtbot, demo_window: MainWindow, user_data: Path,
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = open_page(qtbot, demo_window)
    validation = demo_window.session.validation
    choose(monkeypatch, _calendar(tmp_path / "faux.json", heure="14h"))
    with qtbot.waitSignal(demo_window.session.job_started, timeout=5000) as started:
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(started.args[0].done, timeout=10000):
        pass
    box = page.findChild(QMessageBox, "calendar_box")
    assert box.windowTitle() == "Calendrier refusé" and box.isVisible()
    assert "faux.json" in box.text() and "événement n° 1 : Heure de l'événement" in box.text()
    assert not (user_data / "resources" / "calendar").exists()
    assert [c.title.text() for c in page.cards] == DEMO_CARDS
    assert demo_window.session.validation is validation and not demo_window.session.busy  # nothing re-run


def test_cancelling_the_file_dialog_changes_nothing(qtbot, window: MainWindow, user_data: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    page = open_page(qtbot, window)
    choose(monkeypatch, None)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert page.findChild(QMessageBox, "calendar_box") is None
    assert not (user_data / "resources").exists()


def test_a_malformed_user_calendar_is_said_on_the_page(qtbot, user_data: Path) -> None:
    folder = user_data / "resources" / "calendar"
    folder.mkdir(parents=True)
    (folder / "vague2.json").write_text('{"schema_version": 1, "vague": "2", "evenements": []}', encoding="utf-8")
    page = DeadlinesPage(Session(Workers()))
    qtbot.addWidget(page)
    assert page.cards == [] and page.import_button.isEnabled()
    assert page.problem.text().startswith("Le calendrier ne peut pas être lu. Le fichier de calendrier « ")
    assert "vague2.json" in page.problem.text() and "Événements : il faut au moins 1 élément(s)." in page.problem.text()
    assert page.files.text() == ""


def test_countdown_to_the_start_of_the_day_when_the_hour_is_unknown(page: DeadlinesPage,
                                                                     clock: list[datetime]) -> None:
    clock[0] = parse_instant("2024-02-27T23:30:00")
    page.tick()
    ms1 = card(page, "MS1 avance — vague 1")
    assert shown(ms1) == ("Ouvert", "30 min", "avant la fermeture : 28/02/2024")
    assert ms1.note.text() == "Compté jusqu'au début de ce jour"  # « heure non communiquée » once per card (#18)
    clock[0] += timedelta(minutes=30)  # the closing's day has begun: urgent, yet not closed (issue #21)
    page.tick()
    assert shown(ms1) == ("Ouvert", "Ferme aujourd'hui", "avant la fermeture : 28/02/2024")
    assert ms1.property("urgency") == "urgent"
    assert ms1.note.text() == "Peut fermer à tout moment aujourd'hui, tenu pour ouvert jusqu'à la fin de ce jour"
    clock[0] = parse_instant("2024-02-29T00:00:00")
    page.tick()
    assert shown(ms1) == ("Fermé", "0 s", "depuis la fermeture : 28/02/2024")
    assert ms1.note.isVisible() and ms1.note.text() == "Tenu pour fermé à la fin de ce jour"
    clock[0] = parse_instant("2023-04-30T12:00:00")
    page.tick()
    sas = card(page, "SAS avance — vague 1")
    assert sas.note.text() == "jour non communiqué : compté jusqu'au début du mois"
