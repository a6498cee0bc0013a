"""Issue #21 on the Échéances page: the PHA solde card says it was postponed to 20/09/2023 (with the former date and,
in its tooltip, the source), a closing of unknown hour is « Ouvert » all its day, vague 2 RAD shows « Imagerie »."""

from collections.abc import Iterator
from datetime import datetime

import pytest

from segur_desktop.core.calendar import parse_instant
from segur_desktop.gui.pages.deadlines import DeadlineCard, DeadlinesPage
from segur_desktop.gui.session import Session
from segur_desktop.gui.workers import Workers


@pytest.fixture
def clock() -> list[datetime]:
    return [parse_instant("2023-09-01T12:00:00")]


@pytest.fixture
def page(qtbot, clock: list[datetime]) -> Iterator[DeadlinesPage]:
    session = Session(Workers(), clock=lambda: clock[0])
    page = DeadlinesPage(session)
    qtbot.addWidget(page)
    page.show()
    yield page
    session.workers.wait(10000)


def card(page: DeadlinesPage, title: str) -> DeadlineCard:
    return next(c for c in page.cards if c.title.text() == title)


def test_pha_solde_card_says_postponed(page: DeadlinesPage, clock: list[datetime]) -> None:
    solde = card(page, "PHA solde — vague 1")
    assert solde.change.isVisible()
    assert solde.change.text() == ("Fermeture reportée au 20/09/2023 (heure non communiquée), au lieu du 28/04/2023 "
                                   "à 14:00")
    assert (solde.state.text(), solde.countdown.text()) == ("Ouvert", "18 j 12 h")
    assert "Changement : 28/04/2023 à 14:00 → 20/09/2023 (heure non communiquée) (date de l'annonce non connue) : " \
           "Le Pharmacien de France" in solde.toolTip()
    assert card(page, "PHA avance — vague 1").change.isHidden()  # never moved
    clock[0] = parse_instant("2023-09-20T16:00:00")
    page.tick()
    assert (solde.state.text(), solde.countdown.text()) == ("Ouvert", "Ferme aujourd'hui")
    assert solde.property("urgency") == "urgent"
    clock[0] = parse_instant("2023-09-21T00:00:00")
    page.tick()
    assert (solde.state.text(), solde.countdown.text()) == ("Fermé", "0 s")
    assert solde.property("urgency") == "closed" and solde.change.isVisible()


def test_pha_avance_card_closes_at_14h(page: DeadlinesPage, clock: list[datetime]) -> None:
    clock[0] = parse_instant("2023-03-15T13:59:00")
    page.tick()
    avance = card(page, "PHA avance — vague 1")
    assert (avance.state.text(), avance.countdown.text(), avance.when.text()) == (
        "Ouvert", "1 min", "avant la fermeture : 15/03/2023 à 14:00")
    clock[0] = parse_instant("2023-03-15T14:01:00")
    page.tick()
    assert (avance.state.text(), avance.countdown.text()) == ("Fermé", "1 min")


def test_vague2_imagerie_cards(page: DeadlinesPage) -> None:
    titles = [c.title.text() for c in page.cards]
    assert titles[-2:] == ["RAD (Imagerie) enrôlement — vague 2", "RAD (Imagerie) avance — vague 2"]
    enrolement = card(page, "RAD (Imagerie) enrôlement — vague 2")
    assert enrolement.when.text() == "avant l'ouverture : 15/05/2025 à 14:00"
    assert "15 mai 2025 à 14h" in enrolement.toolTip()
