"""Issue #18 item 6 on the Échéances page: without a workspace, closed guichets come last, folded under « Fermés »;
« heure non communiquée » is printed once per card."""

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from segur_desktop.core.calendar import GuichetState, parse_instant
from segur_desktop.gui.pages.deadlines import UNKNOWN_HOUR, DeadlinesPage
from segur_desktop.gui.session import Session
from segur_desktop.gui.workers import Workers


@pytest.fixture
def page(qtbot) -> Iterator[DeadlinesPage]:
    at = parse_instant("2023-09-01T12:00:00")
    session = Session(Workers(), clock=lambda: at)
    page = DeadlinesPage(session)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    yield page
    session.workers.wait(10000)


def test_closed_guichets_are_folded_under_fermes_at_the_end(qtbot, page: DeadlinesPage) -> None:
    at = page.session.at
    closed = [c for c in page.cards if c.guichet.status(at).state is GuichetState.CLOSED]
    still = [c for c in page.cards if c not in closed]
    assert closed and still
    assert page.closed_toggle.isVisible() and page.closed_toggle.text() == f"Fermés ({len(closed)})"
    assert all(c.parentWidget() is page.closed_box for c in closed)
    assert all(c.parentWidget() is not page.closed_box and c.isVisible() for c in still)
    assert not page.closed_box.isVisible() and not any(c.isVisible() for c in closed)  # folded by default
    qtbot.mouseClick(page.closed_toggle, Qt.MouseButton.LeftButton)
    assert page.closed_box.isVisible() and all(c.isVisible() for c in closed)
    first_closed = min(c.mapTo(page, c.rect().topLeft()).y() for c in closed)
    assert first_closed > max(c.mapTo(page, c.rect().topLeft()).y() for c in still)  # after every open one


def test_unknown_hour_is_said_once_per_card(page: DeadlinesPage) -> None:
    for card in page.cards:
        texts = [card.countdown.text(), card.when.text(), card.change.text(), card.note.text()]
        assert sum(text.count(UNKNOWN_HOUR) for text in texts) <= 1, card.title.text()
    solde = next(c for c in page.cards if c.title.text() == "PHA solde — vague 1")
    assert UNKNOWN_HOUR in solde.change.text() and UNKNOWN_HOUR not in solde.when.text()
