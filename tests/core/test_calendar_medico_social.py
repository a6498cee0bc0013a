"""Issue #21, calendar: the MS2 PDS guichets of vague 1 were moved after the seed's table (29/12/2022). The ANS
page of the dispositif gives the dates in force; each move is a recorded change citing it, so the Échéances page
and `calendar` say « reportée … au lieu du … » instead of showing a closing the programme no longer holds."""

from datetime import date, datetime, time

import pytest

from segur_desktop.core.calendar import PARIS, GuichetState, load_calendar, parse_instant

ANS_PDS = ("https://industriels.esante.gouv.fr/segur-numerique-sante/vague-1/"
           "dispositif-dui-ms2-pds-couloir-social-medico-social")


@pytest.mark.parametrize(("kind", "before", "after", "hour", "quote"), [
    ("referencement", date(2023, 3, 31), date(2024, 1, 17), None, "clôturé le 17/01/2024"),
    ("avance", date(2023, 12, 31), date(2024, 2, 28), None, "dépôt des demandes de paiement de l'avance : clôturé le 28/02/2024"),
    ("solde", date(2024, 3, 31), date(2024, 12, 19), time(14, 0), "possible jusqu'au 19/12/2024 à 14h"),
])
def test_ms2_pds_closings_are_the_ans_page_s(kind: str, before: date, after: date, hour: time | None, quote: str) -> None:
    closing = load_calendar().guichet("1", "MS2-PDS", kind).closing
    assert (closing.day, closing.hour) == (after, hour)
    [change] = closing.changes
    assert (change.previous_day, change.previous_hour, change.day, change.hour) == (before, None, after, hour)
    assert change.postponed and change.announced is None  # the page does not date the announcement
    assert ANS_PDS in change.source and quote in change.source and "2026-12-05" in change.source
    assert "seed 004" in change.source  # where the former date came from


@pytest.mark.parametrize(("at", "state"), [
    ("2024-03-31T12:00:00", GuichetState.OPEN),  # the seed's closing no longer closes it
    ("2024-12-19T13:59:00", GuichetState.OPEN),
    ("2024-12-19T14:00:00", GuichetState.CLOSED),
])
def test_ms2_pds_solde_around_its_closing(at: str, state: GuichetState) -> None:
    guichet = load_calendar().guichet("1", "MS2-PDS", "solde")
    assert guichet.status(parse_instant(at)).state is state
    assert guichet.closing.instant == datetime(2024, 12, 19, 14, 0, tzinfo=PARIS)


def test_a_move_between_two_unknown_hours_says_so_once() -> None:
    """Both dates of the référencement move lack an hour: the label says it once, as a card or a row does."""
    closing = load_calendar().guichet("1", "MS2-PDS", "referencement").closing
    label = closing.change_label()
    assert label == "reportée au 17/01/2024, au lieu du 31/03/2023 (heure non communiquée, avant comme après)"
    assert label.count("heure non communiquée") == 1
    solde = load_calendar().guichet("1", "MS2-PDS", "solde").closing  # a known new hour: each date says its own
    assert solde.change_label() == "reportée au 19/12/2024 à 14:00, au lieu du 31/03/2024 (heure non communiquée)"


ANS_MS = "https://esante.gouv.fr/segur/medico-social"


@pytest.mark.parametrize(("couloir", "kind", "before", "after"), [
    ("MS1", "avance", date(2024, 1, 10), date(2024, 2, 28)),
    ("MS1", "solde", date(2024, 4, 3), date(2024, 12, 19)),
    ("MS2-PDE", "avance", date(2023, 12, 31), date(2024, 2, 28)),
    ("MS2-PDE", "solde", date(2024, 3, 31), date(2024, 12, 19)),
])
def test_the_other_medico_social_guichets_follow_the_couloir_page(couloir: str, kind: str, before: date,
                                                                   after: date) -> None:
    """The couloir's page ends the funding on 28/02/2024 and the deployment on 19/12/2024, without an hour."""
    closing = load_calendar().guichet("1", couloir, kind).closing
    assert (closing.day, closing.hour) == (after, None)
    [change] = closing.changes
    assert (change.previous_day, change.day) == (before, after) and change.postponed
    assert ANS_MS in change.source and "s'est arrêtée le 28 février 2024" in change.source
