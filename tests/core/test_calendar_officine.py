"""Issue #21, calendar: the officine (PHA) closings at 14:00, the PHA solde postponed to 20/09/2023 recorded as
a change, vague 2 « Imagerie », and an unknown closing hour that never makes a guichet « fermé » before its day
is over. The literal values are the sources' (see the `source` texts of resources/calendar/*.json)."""

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from segur_desktop.core.calendar import (
    PARIS,
    Calendar,
    Event,
    Guichet,
    GuichetState,
    import_calendar,
    load_calendar,
    parse_instant,
)
from segur_desktop.core.countdown import Urgency
from segur_desktop.core.errors import InputError
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.workspace import load_workspace

FAQ_OFFICINE = "https://industriels.esante.gouv.fr/faq-des-industriels?f%5B0%5D=theme%3A590"
REPORT_ARTICLE = ("http://lepharmaciendefrance.fr/actualite-web/"
                  "logiciel-segur-ce-que-le-report-change-pour-les-pharmaciens")
ASP_VAGUE2 = "https://www.asp.gouv.fr/aides/financement-lequipement-segur-du-numerique-en-sante-vague-2"


# --- officine, vague 1 ------------------------------------------------------------------------------
def test_pha_avance_closes_on_15_03_2023_at_14h() -> None:
    closing = load_calendar().guichet("1", "PHA", "avance", "LGO").closing
    assert (closing.day, closing.hour) == (date(2023, 3, 15), time(14, 0))
    assert closing.instant == closing.latest == datetime(2023, 3, 15, 14, 0, tzinfo=PARIS)
    assert closing.label() == "15/03/2023 à 14:00"
    assert FAQ_OFFICINE in closing.source and "avant le 15/03/2023 à 14h" in closing.source
    assert "2026-12-05" in closing.source  # the date the source was seen


@pytest.mark.parametrize(("at", "state", "seconds"), [
    ("2023-03-15T13:59:00+01:00", GuichetState.OPEN, 60),
    ("2023-03-15T14:00:00+01:00", GuichetState.CLOSED, 0),  # closed from the closing minute (README)
    ("2023-03-15T14:01:00+01:00", GuichetState.CLOSED, 60),
])
def test_pha_avance_around_its_closing(at: str, state: GuichetState, seconds: int) -> None:
    status = load_calendar().guichet("1", "PHA", "avance").status(parse_instant(at))
    assert (status.state, status.delta) == (state, timedelta(seconds=seconds))
    assert status.note() is None  # the hour is known: nothing approximate to say


def test_pha_solde_postponed_to_20_09_2023_is_a_recorded_change() -> None:
    closing = load_calendar().guichet("1", "PHA", "solde").closing
    assert (closing.day, closing.hour) == (date(2023, 9, 20), None)  # no source found gives the new hour
    [change] = closing.changes
    assert (change.previous_day, change.previous_hour, change.day, change.hour) == (
        date(2023, 4, 28), time(14, 0), date(2023, 9, 20), None)
    assert change.postponed and change.announced is None  # the copy of the article seen does not date it
    assert change.announced_label() == "date de l'annonce non connue"
    assert REPORT_ARTICLE in change.source and "« passant du 28 avril au 20 septembre 2023 »" in change.source
    assert "FSPF" in change.source and "avis officiel" in change.source  # trade press, said so
    assert FAQ_OFFICINE in change.source and "avant le 28/04/2023 à 14h" in change.source  # the former hour
    assert closing.change_label() == "reportée au 20/09/2023 (heure non communiquée), au lieu du 28/04/2023 à 14:00"
    assert closing.change_details()[0].startswith(
        "28/04/2023 à 14:00 → 20/09/2023 (heure non communiquée) (date de l'annonce non connue) : Le Pharmacien")


@pytest.mark.parametrize(("at", "state", "uncertain", "level"), [
    ("2023-04-28T14:01:00", GuichetState.OPEN, False, Urgency.DISTANT),  # the former closing has no effect
    ("2023-09-01T12:00:00", GuichetState.OPEN, False, Urgency.NORMAL),  # issue #21: open on 01/09/2023
    ("2023-09-19T23:59:59", GuichetState.OPEN, False, Urgency.URGENT),
    ("2023-09-20T00:00:00", GuichetState.OPEN, True, Urgency.URGENT),  # its day has begun, its hour unknown
    ("2023-09-20T18:00:00", GuichetState.OPEN, True, Urgency.URGENT),
    ("2023-09-20T23:59:59", GuichetState.OPEN, True, Urgency.URGENT),
    ("2023-09-21T00:00:00", GuichetState.CLOSED, False, Urgency.CLOSED),  # once the day is over
])
def test_pha_solde_states(at: str, state: GuichetState, uncertain: bool, level: Urgency) -> None:
    status = load_calendar().guichet("1", "PHA", "solde").status(parse_instant(at))
    assert (status.state, status.closing_uncertain, status.urgency) == (state, uncertain, level)
    if uncertain:
        assert status.delta == timedelta(0) and status.time_label() == "ferme aujourd'hui"


def test_pha_demandes_refused_from_14h_on_15_03_2023(demo: Path) -> None:
    """The rule `guichets` judges PHA avance demandes at 14:00, not from midnight."""
    workspace = load_workspace(demo)

    def closed_pha(at: str) -> int:
        result = run_pipeline(workspace, at=parse_instant(at))
        return sum(1 for d in result.diagnostics if d.code == "guichet_ferme" and (d.request or "").startswith("PHA"))

    assert closed_pha("2023-03-15T13:59:00") == 0
    assert closed_pha("2023-03-15T14:01:00") > 0


# --- an unknown hour never closes a guichet before its day (or month) is over -----------------------
def _event(name: str, day: str, hour: str | None) -> Event:
    day_known = len(day) == 10
    return Event("1", "TST", "avance", name, date.fromisoformat(day if day_known else day + "-01"),
                 time.fromisoformat(hour) if hour else None, None, "test", day_known)


def _guichet(opening: tuple[str, str | None] | None, closing: tuple[str, str | None] | None) -> Guichet:
    return Guichet("1", "TST", "avance", _event("ouverture", *opening) if opening else None,
                   _event("fermeture", *closing) if closing else None)


@pytest.mark.parametrize(("closing", "at", "closed"), [
    (("2023-03-15", None), "2023-03-15T00:00:00", False),  # was « fermé » from here before issue #21
    (("2023-03-15", None), "2023-03-15T14:00:00", False),
    (("2023-03-15", None), "2023-03-15T23:59:59", False),
    (("2023-03-15", None), "2023-03-16T00:00:00", True),
    (("2023-10-29", None), "2023-10-29T23:59:59", False),  # a 25-hour day (DST) is still one day
    (("2023-10-29", None), "2023-10-30T00:00:00", True),
    (("2023-05", None), "2023-05-31T23:59:59", False),  # month only: closed once the month is over
    (("2023-05", None), "2023-06-01T00:00:00", True),
    (("2023-12", None), "2023-12-31T23:59:59", False),
    (("2023-12", None), "2024-01-01T00:00:00", True),
    (("2023-03-15", "14:00"), "2023-03-15T13:59:59", False),
    (("2023-03-15", "14:00"), "2023-03-15T14:00:00", True),
])
def test_unknown_closing_hour_closes_at_the_end_of_its_day(closing: tuple, at: str, closed: bool) -> None:
    assert _guichet(None, closing).is_closed(parse_instant(at)) is closed


@pytest.mark.parametrize(("opening", "at", "not_open_yet"), [
    (("2023-07-04", None), "2023-07-03T23:59:59", True),
    (("2023-07-04", None), "2023-07-04T00:00:00", False),  # open from the start of its day: the safe side
    (("2023-05", None), "2023-04-30T23:59:59", True),
    (("2023-05", None), "2023-05-01T00:00:00", False),
])
def test_unknown_opening_hour_opens_at_the_start_of_its_day(opening: tuple, at: str, not_open_yet: bool) -> None:
    assert _guichet(opening, None).is_not_open_yet(parse_instant(at)) is not_open_yet


def test_countdown_still_counts_to_the_start_of_the_day() -> None:
    guichet = _guichet(None, ("2023-03-15", None))
    before = guichet.status(parse_instant("2023-03-14T18:30:00"))
    assert (before.state, before.delta, before.closing_uncertain) == (GuichetState.OPEN, timedelta(hours=5, minutes=30),
                                                                       False)
    assert before.note() == "heure non communiquée : compté jusqu'au début de ce jour"
    during = guichet.status(parse_instant("2023-03-15T10:00:00"))
    assert (during.state, during.delta, during.urgency) == (GuichetState.OPEN, timedelta(0), Urgency.URGENT)
    assert during.note() == ("heure non communiquée : peut fermer à tout moment aujourd'hui, tenu pour ouvert "
                             "jusqu'à la fin de ce jour")
    after = guichet.status(parse_instant("2023-03-16T01:00:00"))
    assert (after.state, after.delta, after.urgency) == (GuichetState.CLOSED, timedelta(hours=1), Urgency.CLOSED)
    assert after.note() == "heure non communiquée : tenu pour fermé à la fin de ce jour"
    month = _guichet(None, ("2023-05", None)).status(parse_instant("2023-05-10T10:00:00"))
    assert month.closing_uncertain and month.time_label() == "ferme ce mois-ci"
    assert month.note() == "jour non communiqué : peut fermer à tout moment ce mois-ci, tenu pour ouvert jusqu'à sa fin"


def test_ms1_demandes_accepted_on_the_closing_day_of_unknown_hour(demo: Path) -> None:
    """MS1 avance closes on 28/02/2024 at an hour never published: its demandes pass that whole day."""
    workspace = load_workspace(demo)

    def closed_ms1(at: str) -> int:
        result = run_pipeline(workspace, at=parse_instant(at))
        return sum(1 for d in result.diagnostics if d.code == "guichet_ferme" and (d.request or "").startswith("MS1"))

    assert closed_ms1("2024-01-11T00:00:00") == 0  # the seed's 10/01/2024 no longer closes it
    assert closed_ms1("2024-02-28T23:59:00") == 0
    assert closed_ms1("2024-02-29T00:00:00") > 0


# --- vague 2: Imagerie ------------------------------------------------------------------------------
def test_vague2_rad_is_called_imagerie_with_its_dates() -> None:
    calendar = load_calendar()
    enrolement, avance = calendar.guichet("2", "RAD", "enrolement"), calendar.guichet("2", "RAD", "avance")
    assert enrolement.couloir_name == avance.couloir_name == "Imagerie"
    assert avance.couloir_label() == "RAD (Imagerie)" and avance.title(named=True) == "RAD (Imagerie) avance"
    assert avance.title() == "RAD avance"  # the code stays the guichet's name in lists and notifications
    assert enrolement.opening.instant == datetime(2025, 5, 15, 14, 0, tzinfo=PARIS)
    assert avance.opening.instant == datetime(2025, 7, 10, 14, 0, tzinfo=PARIS)
    assert ASP_VAGUE2 in enrolement.opening.source and "15 mai 2025 à 14h" in enrolement.opening.source
    assert ASP_VAGUE2 in avance.opening.source and "10 juillet 2025 à 14h" in avance.opening.source
    assert enrolement.status(parse_instant("2025-05-15T13:59:59")).state is GuichetState.NOT_OPEN_YET
    assert enrolement.status(parse_instant("2025-05-15T14:00:00")).state is GuichetState.OPEN
    assert calendar.guichet("1", "RAD", "avance").couloir_name is None  # vague 1 keeps the code alone
    names = json.loads(Path(calendar.files[1].path).read_text(encoding="utf-8"))["noms_couloirs"]
    assert names["RAD"]["nom"] == "Imagerie" and ASP_VAGUE2 in names["RAD"]["source"]


# --- the file format --------------------------------------------------------------------------------
def _with_change(tmp_path: Path, **change: object) -> Path:
    entry = {"date_precedente": "2026-03-31", "heure_precedente": "12:00", "date": "2026-06-30", "heure": "12:00",
             "annoncee_le": "2026-03-02", "source": "Avis ASP de report"} | change
    path = tmp_path / "vague2.json"
    path.write_text(json.dumps({"schema_version": 1, "vague": "2", "evenements": [
        {"couloir": "HOP", "type": "avance", "evenement": "fermeture", "date": "2026-06-30", "heure": "12:00",
         "source": "Avis ASP de report", "modifications": [entry]}]}), encoding="utf-8")
    return path


def test_import_keeps_a_postponement(user_data: Path, tmp_path: Path) -> None:
    import_calendar(_with_change(tmp_path))
    closing = load_calendar().guichet("2", "HOP", "avance").closing
    assert closing.change_label() == "reportée au 30/06/2026 à 12:00, au lieu du 31/03/2026 à 12:00"
    assert closing.changes[0].announced_label() == "annoncé le 02/03/2026"


@pytest.mark.parametrize(("change", "says"), [
    ({"date": "2026-05-31"}, "aboutit au 31/05/2026 à 12:00, pas à la date et l'heure de l'événement"),
    ({"annoncee_le": "02/03/2026"}, "n'a pas le format"),
    ({"heure_precedente": "midi"}, "n'a pas le format"),
    ({"motif": "x"}, "champ(s) non prévu(s) par le format : motif"),
])
def test_a_wrong_change_is_refused_in_french(user_data: Path, tmp_path: Path, change: dict, says: str) -> None:
    with pytest.raises(InputError) as error:
        import_calendar(_with_change(tmp_path, **change))
    assert says in str(error.value)
    assert not (user_data / "resources" / "calendar").exists()


def test_an_advanced_date_says_so() -> None:
    from segur_desktop.core.calendar import DateChange

    change = DateChange(date(2026, 6, 30), None, True, date(2026, 5, 31), time(12, 0), True, "2026-05", "x")
    event = Event("2", "HOP", "avance", "fermeture", date(2026, 5, 31), time(12, 0), None, "x", True, (change,))
    assert event.change_label() == "avancée au 31/05/2026 à 12:00, au lieu du 30/06/2026 (heure non communiquée)"
    assert change.announced_label() == "annoncé en 05/2026"


def test_calendar_without_names_still_builds_guichets() -> None:
    calendar = Calendar((_event("fermeture", "2023-03-15", None),), ())
    assert calendar.guichet("1", "TST", "avance").couloir_name is None
