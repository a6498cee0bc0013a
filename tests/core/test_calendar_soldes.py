"""Issue #21, calendar: the soldes of the four historical couloirs (HOP, MDV, BIO, RAD) were due on 28/04/2023
at 14:00 (seed 000); the State moved the end of their reception to 14/12/2023 at 14:00. A solde deposited in
May 2023 was on time: the calendar must not call that guichet « fermé »."""

from datetime import date, datetime, time

import pytest

from segur_desktop.core.calendar import PARIS, GuichetState, load_calendar, parse_instant

OCCITANIE = "https://esante-occitanie.fr/actualites/delai-supplementaire-pour-la-vague-1-du-programme-sons"


@pytest.mark.parametrize("couloir", ["HOP", "MDV", "BIO", "RAD"])
def test_historical_soldes_close_on_14_12_2023_at_14h(couloir: str) -> None:
    closing = load_calendar().guichet("1", couloir, "solde").closing
    assert closing.instant == datetime(2023, 12, 14, 14, 0, tzinfo=PARIS)
    [change] = closing.changes
    assert (change.previous_day, change.previous_hour, change.day, change.hour) == (
        date(2023, 4, 28), time(14, 0), date(2023, 12, 14), time(14, 0))
    assert change.postponed and change.announced is None  # the page does not date the announcement
    assert OCCITANIE in change.source and "« 14 décembre 2023 à 14h00 : fin de la période de réception" in change.source
    assert "seed 000_1cc247a76bd23e62.txt" in change.source  # where 28/04/2023 14:00 came from
    assert closing.change_label() == "reportée au 14/12/2023 à 14:00, au lieu du 28/04/2023 à 14:00"


@pytest.mark.parametrize(("at", "state"), [
    ("2023-04-28T14:01:00", GuichetState.OPEN),  # the former closing no longer closes it
    ("2023-12-14T13:59:00", GuichetState.OPEN),
    ("2023-12-14T14:00:00", GuichetState.CLOSED),
])
def test_hop_solde_around_its_closing(at: str, state: GuichetState) -> None:
    assert load_calendar().guichet("1", "HOP", "solde", "DPI").status(parse_instant(at)).state is state


def test_the_officine_solde_keeps_its_own_date() -> None:
    """The 14/12/2023 closing is for the dispositifs published in August 2021; the officine's was not one."""
    closing = load_calendar().guichet("1", "PHA", "solde").closing
    assert (closing.day, closing.hour) == (date(2023, 9, 20), None)
    assert OCCITANIE in closing.changes[0].source and "senat.fr" in closing.changes[0].source
