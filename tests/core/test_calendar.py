"""Guichet windows in Paris time: states at the closing minute and across DST, unknown hours, the files."""

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from segur_desktop.core import calendar as calendar_module
from segur_desktop.core.calendar import (
    PARIS,
    Calendar,
    GuichetKey,
    GuichetState,
    deposit_keys,
    import_calendar,
    load_calendar,
    next_closing,
    parse_instant,
    reload_calendar,
)
from segur_desktop.core.countdown import Urgency, format_remaining, remaining, urgency
from segur_desktop.core.datafiles import format_problem, load_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.paths import demo_workspace, resources_dir
from segur_desktop.core.workspace import Solution, load_workspace


def test_vague1_hop_avance_closes_at_14h_paris() -> None:
    guichet = load_calendar().guichet("1", "HOP", "avance", "DPI")
    assert guichet.closing.instant == datetime(2022, 11, 30, 14, 0, tzinfo=PARIS)
    assert guichet.closing.instant.utcoffset() == timedelta(hours=1)  # winter time
    assert not guichet.is_closed(parse_instant("2022-11-30T13:59:59+01:00"))
    assert guichet.is_closed(parse_instant("2022-11-30T14:00:00+01:00"))
    assert guichet.is_closed(parse_instant("2022-11-30T13:01:00+00:00"))  # 14:01 Paris, given in UTC


def test_summer_time_offset() -> None:
    closing = load_calendar().guichet("2", "HOP", "avance", "PFI").closing
    assert closing.instant.utcoffset() == timedelta(hours=2)  # 17/09/2025 is summer time
    assert closing.instant.astimezone(UTC).hour == 10  # 12:00 in Paris


def test_unknown_hour_is_start_of_day_and_said() -> None:
    closing = load_calendar().guichet("1", "MS1", "avance").closing
    assert closing.hour is None
    assert closing.instant == datetime(2024, 2, 28, 0, 0, tzinfo=PARIS)
    assert closing.latest == datetime(2024, 2, 29, 0, 0, tzinfo=PARIS)  # closed only once the day is over
    assert "heure non communiquée" in closing.label()


def test_software_specific_events_win() -> None:
    calendar = load_calendar()
    assert calendar.guichet("2", "HOP", "avance", "PFI").closing.day.isoformat() == "2025-09-17"
    assert calendar.guichet("2", "HOP", "avance", "DPI").closing.day.isoformat() == "2025-12-17"
    assert calendar.guichet("2", "HOP", "avance", "DPI").is_not_open_yet(parse_instant("2024-09-12T13:59:00"))


def test_naive_instant_is_paris_time() -> None:
    assert parse_instant("2022-11-30T14:00:00").utcoffset() == timedelta(hours=1)


def test_user_calendar_file_replaces_the_bundled_one(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "resources" / "calendar"
    folder.mkdir(parents=True)
    (folder / "vague1.json").write_text(json.dumps({"schema_version": 1, "vague": "1", "evenements": [
        {"couloir": "HOP", "type": "avance", "evenement": "fermeture", "date": "2022-12-15", "heure": "12:00",
         "source": "test"}]}))
    monkeypatch.setenv("SEGUR_DESKTOP_DATA_DIR", str(tmp_path))
    load_calendar.cache_clear()
    try:
        calendar = load_calendar()
        assert [(f.vague, f.path, f.user_override, f.origin()) for f in calendar.files] == [
            ("1", folder / "vague1.json", True, "utilisateur"),
            ("2", resources_dir() / "calendar" / "vague2.json", False, "intégré")]
        assert calendar.guichet("1", "HOP", "avance").closing.day.isoformat() == "2022-12-15"
        assert calendar.guichet("1", "MDV", "avance") is None  # the user's file replaced vague 1 whole
    finally:
        monkeypatch.undo()
        load_calendar.cache_clear()
    assert calendar_module.load_calendar().guichet("1", "MDV", "avance") is not None


def _closing(couloir: str, kind: str, day: str, hour: str | None, vague: str = "1") -> calendar_module.Event:
    return calendar_module.Event(vague, couloir, kind, "fermeture", date.fromisoformat(day),
                                 time.fromisoformat(hour) if hour else None, None, "test")


def test_next_closing_is_the_soonest_after_at_with_its_ties() -> None:
    calendar = Calendar((
        _closing("HOP", "avance", "2022-11-30", "14:00"),
        _closing("MDV", "avance", "2022-11-30", "14:00"),
        _closing("HOP", "solde", "2023-04-28", "14:00"),
        _closing("PHA", "avance", "2022-11-29", "09:00"),  # sooner, but not a couloir of the workspace
        _closing("MS1", "avance", "2022-11-01", "14:00"),  # already closed
    ), ())
    keys = [GuichetKey("1", "MS1", "avance", "DUI"), GuichetKey("1", "HOP", "solde", "DPI"),
            GuichetKey("1", "MDV", "avance", "LGC"), GuichetKey("1", "HOP", "avance", "DPI")]
    soonest = next_closing(calendar, keys, parse_instant("2022-11-28T10:00:00"))
    assert [(g.couloir, g.type) for g in soonest] == [("MDV", "avance"), ("HOP", "avance")]  # order of the keys
    assert soonest[0].closing.instant == datetime(2022, 11, 30, 14, 0, tzinfo=PARIS)
    assert [g.couloir for g in next_closing(calendar, keys, parse_instant("2022-11-30T14:00:00"))] == ["HOP"]
    assert next_closing(calendar, keys, parse_instant("2023-04-28T14:00:00")) == []  # strictly after
    assert next_closing(calendar, [], parse_instant("2022-11-28T10:00:00")) == []


def test_next_closing_of_the_demo_workspace() -> None:
    solutions = load_workspace(demo_workspace()).solutions
    keys = deposit_keys(solutions)
    assert len(keys) == 2 * len(solutions) and GuichetKey("1", "HOP", "solde", "DPI") in keys
    soonest = next_closing(load_calendar(), keys, parse_instant("2022-11-28T10:00:00"))
    assert [(g.couloir, g.type) for g in soonest] == [("HOP", "avance"), ("MDV", "avance"), ("BIO", "avance")]
    assert soonest[0].closing.label() == "30/11/2022 à 14:00"
    after = next_closing(load_calendar(), keys, parse_instant("2022-11-30T14:00:00"))
    assert [(g.couloir, g.type, g.closing.label()) for g in after] == [
        ("PHA", "avance", "15/03/2023 à 14:00")]


def test_next_closing_with_unknown_hour_counts_to_the_start_of_the_day() -> None:
    calendar = Calendar((_closing("PHA", "avance", "2023-03-15", None),), ())
    at = parse_instant("2023-03-14T18:30:00")
    [guichet] = next_closing(calendar, [GuichetKey("1", "PHA", "avance", "LGO")], at)
    assert "heure non communiquée" in guichet.closing.label()
    assert format_remaining(remaining(guichet.closing.instant, at)) == "5 h 30 min"
    # On the day itself the count is spent, but the guichet is not closed before the day is over (issue #21).
    [today] = next_closing(calendar, [GuichetKey("1", "PHA", "avance")], parse_instant("2023-03-15T08:00:00"))
    assert today.status(parse_instant("2023-03-15T08:00:00")).time_label() == "ferme aujourd'hui"
    assert next_closing(calendar, [GuichetKey("1", "PHA", "avance")], parse_instant("2023-03-16T00:00:00")) == []


def test_next_closing_across_the_october_dst_change() -> None:
    # Sunday 29/10/2023, 03:00 summer time became 02:00 winter time: that day lasts 25 hours.
    calendar = Calendar((_closing("MS1", "avance", "2023-10-30", "12:00"),), ())
    at = datetime(2023, 10, 28, 12, 0, tzinfo=PARIS)
    [guichet] = next_closing(calendar, [GuichetKey("1", "MS1", "avance")], at)
    assert remaining(guichet.closing.instant, at) == timedelta(days=2, hours=1)
    assert format_remaining(remaining(guichet.closing.instant, at)) == "2 j 1 h"
    # That night 02:00-03:00 happens twice: a closing at 02:30 summer time (the first one) is past
    # at 02:15 winter time (the second one), although 02:30 comes after 02:15 on the wall clock.
    night = Calendar((_closing("MS1", "avance", "2023-10-29", "02:30"),), ())
    second_pass = datetime(2023, 10, 29, 2, 15, fold=1, tzinfo=PARIS)
    assert next_closing(night, [GuichetKey("1", "MS1", "avance")], second_pass) == []


# --- states, the closing rule, DST -------------------------------------------------------------------
def _window(opening: str | None, closing: str | None, couloir: str = "HOP", kind: str = "avance") -> calendar_module.Guichet:
    def event(name: str, text: str) -> calendar_module.Event:
        instant = datetime.fromisoformat(text)
        return calendar_module.Event("1", couloir, kind, name, instant.date(), instant.time(), None, "test")

    return calendar_module.Guichet("1", couloir, kind, opening and event("ouverture", opening),
                                   closing and event("fermeture", closing))


@pytest.mark.parametrize(("at", "state", "delta", "level"), [
    ("2022-11-30T13:59:00+01:00", GuichetState.OPEN, timedelta(minutes=1), Urgency.URGENT),
    ("2022-11-30T13:59:59+01:00", GuichetState.OPEN, timedelta(seconds=1), Urgency.URGENT),
    # The documented rule: closed from the closing minute itself (the portal blocks from 14:01).
    ("2022-11-30T14:00:00+01:00", GuichetState.CLOSED, timedelta(0), Urgency.CLOSED),
    ("2022-11-30T14:01:00+01:00", GuichetState.CLOSED, timedelta(minutes=1), Urgency.CLOSED),
    ("2022-11-30T13:00:30+00:00", GuichetState.CLOSED, timedelta(seconds=30), Urgency.CLOSED),  # 14:00:30 Paris
    ("2022-10-01T12:00:00+02:00", GuichetState.OPEN, timedelta(days=60, hours=3), Urgency.DISTANT),
])
def test_vague1_avance_state_at_the_closing_edges(at: str, state: GuichetState, delta: timedelta,
                                                  level: Urgency) -> None:
    for couloir in ("HOP", "MDV", "BIO", "RAD"):
        status = load_calendar().guichet("1", couloir, "avance").status(parse_instant(at))
        assert (status.state, status.delta, status.urgency) == (state, delta, level)
        assert status.event.label() == "30/11/2022 à 14:00"


def test_state_before_the_opening_counts_to_the_opening() -> None:
    guichet = load_calendar().guichet("1", "MSS", "solde")
    status = guichet.status(parse_instant("2023-07-03T23:00:00"))
    assert status.state is GuichetState.NOT_OPEN_YET and status.state.label() == "pas encore ouvert"
    assert status.event is guichet.opening and status.delta == timedelta(hours=1)
    assert status.urgency is Urgency.DISTANT  # urgency is about the closing: 28/09/2023, 86 days away
    assert guichet.status(parse_instant("2023-07-04T00:00:00")).state is GuichetState.OPEN
    assert guichet.status(parse_instant("2023-07-04T00:00:00")).event is guichet.closing


def test_open_without_a_published_closing() -> None:
    status = load_calendar().guichet("2", "RAD", "avance").status(parse_instant("2025-07-10T14:00:00"))
    assert (status.state, status.event, status.delta, status.urgency) == (GuichetState.OPEN, None, None, Urgency.DISTANT)


def test_remaining_time_across_the_march_dst_change() -> None:
    # Sunday 26/03/2023, 02:00 winter time became 03:00 summer time: that night has no 02:xx.
    guichet = _window("2023-03-26T03:00:00", "2023-03-27T14:00:00")
    saturday = parse_instant("2023-03-25T14:00:00")
    assert guichet.status(saturday).delta == timedelta(hours=12)  # 13 hours on the wall clock
    assert guichet.status(saturday).state is GuichetState.NOT_OPEN_YET
    one_second_before = parse_instant("2023-03-26T01:59:59")  # winter time; the next second is 03:00 summer time
    assert guichet.status(one_second_before).delta == timedelta(seconds=1)
    assert guichet.status(parse_instant("2023-03-26T03:00:00")).state is GuichetState.OPEN
    # From Saturday 14:00 to Monday 14:00 is 47 hours, not 48: already urgent.
    assert remaining(guichet.closing.instant, saturday) == timedelta(hours=47)
    assert urgency(remaining(guichet.closing.instant, saturday)) is Urgency.URGENT
    assert guichet.closing.instant.utcoffset() == timedelta(hours=2)


def test_states_across_the_october_dst_change() -> None:
    # Sunday 29/10/2023, 03:00 summer time became 02:00 winter time: 02:00-03:00 happens twice.
    guichet = _window(None, "2023-10-29T02:30:00")  # fold 0: the first 02:30, in summer time (00:30 UTC)
    first_pass = datetime(2023, 10, 29, 2, 15, fold=0, tzinfo=PARIS)
    second_pass = datetime(2023, 10, 29, 2, 15, fold=1, tzinfo=PARIS)  # an hour later, though the wall clock agrees
    assert guichet.status(first_pass).state is GuichetState.OPEN
    assert guichet.status(first_pass).delta == timedelta(minutes=15)
    assert guichet.is_closed(second_pass)
    assert guichet.status(second_pass).delta == timedelta(minutes=45)  # elapsed since the closing
    saturday_noon = guichet.status(parse_instant("2023-10-28T12:00:00"))
    assert saturday_noon.delta == timedelta(hours=14, minutes=30)
    monday = _window(None, "2023-10-30T12:00:00")
    assert monday.status(parse_instant("2023-10-28T12:00:00")).delta == timedelta(hours=49)
    # Saturday 13:00 to Monday 12:00: 47 hours on the wall clock, 48 of real time: not yet under 48 hours.
    assert monday.status(parse_instant("2023-10-28T13:00:00")).urgency is Urgency.SOON
    assert monday.status(parse_instant("2023-10-28T13:00:01")).urgency is Urgency.URGENT


def test_paris_resolves_without_a_system_time_zone_database(tmp_path) -> None:
    """Windows has no tz database: the `tzdata` package must give Europe/Paris, DST included."""
    empty = tmp_path / "no-zoneinfo"
    empty.mkdir()
    code = ("import zoneinfo\n"
            f"assert zoneinfo.TZPATH == ({str(empty)!r},), zoneinfo.TZPATH\n"
            "from segur_desktop.core.calendar import PARIS, load_calendar, parse_instant\n"
            "closing = load_calendar().guichet('1', 'HOP', 'avance').closing\n"
            "print(closing.instant.utcoffset(), parse_instant('2023-07-01T12:00').utcoffset(),\n"
            "      load_calendar().guichet('1', 'HOP', 'avance').status(parse_instant('2022-11-30T14:00')).state)\n")
    env = {**os.environ, "PYTHONTZPATH": str(empty)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1:00:00", "2:00:00", "closed"]
    without_tzdata = subprocess.run(  # the check above is meaningful: without tzdata, nothing would resolve
        [sys.executable, "-c", "import sys, zoneinfo; sys.modules['tzdata'] = None; zoneinfo.ZoneInfo('Europe/Paris')"],
        capture_output=True, text=True, env=env, timeout=60)
    assert without_tzdata.returncode != 0 and "ZoneInfoNotFoundError" in without_tzdata.stderr


# --- the guichets of a calendar, of a workspace -----------------------------------------------------
def test_every_guichet_is_listed_couloir_by_couloir() -> None:
    guichets = load_calendar().guichets()
    titles = [(g.vague, g.title()) for g in guichets]
    assert titles[:3] == [("1", "HOP avance"), ("1", "HOP solde"), ("1", "MDV avance")]
    assert titles[8:11] == [("1", "PHA référencement"), ("1", "PHA avance"), ("1", "PHA solde")]
    assert ("2", "HOP avance (DPI)") in titles and ("2", "HOP avance (PFI)") in titles
    assert titles[-5:] == [("2", "HOP enrôlement"), ("2", "HOP avance (DPI)"), ("2", "HOP avance (PFI)"),
                           ("2", "RAD enrôlement"), ("2", "RAD avance")]
    assert not any(g.type == "extraction_bal" for g in guichets)  # a milestone is not a guichet
    assert len(guichets) == len(set(guichets)) == 31


def _solution(couloir: str, kind: str, vague: str = "1") -> Solution:
    return Solution(f"{couloir}-{kind}", "Logiciel", None, couloir, kind, "REF", date(2022, 6, 1), vague)


def test_the_guichets_concerning_a_workspace() -> None:
    calendar = load_calendar()
    demo = calendar.concerning(load_workspace(demo_workspace()).solutions)
    assert [g.title() for g in demo] == [
        "HOP avance", "HOP solde", "MDV avance", "MDV solde", "BIO avance", "BIO solde", "PHA référencement",
        "PHA avance", "PHA solde", "MS1 référencement", "MS1 avance", "MS1 solde", "MSS référencement", "MSS avance",
        "MSS solde"]
    vague2 = calendar.concerning([_solution("HOP", "DPI", "2"), _solution("HOP", "RI", "1")])
    assert [(g.vague, g.title()) for g in vague2] == [
        ("1", "HOP avance"), ("1", "HOP solde"), ("2", "HOP enrôlement"), ("2", "HOP avance (DPI)")]  # not PFI
    assert calendar.concerning([]) == []


def test_month_only_dates_count_from_the_start_of_the_month() -> None:
    guichet = load_calendar().guichet("1", "SAS", "avance")
    assert guichet.opening.day_known is False and guichet.opening.hour is None
    assert guichet.opening.instant == datetime(2023, 5, 1, tzinfo=PARIS)
    assert guichet.opening.label() == "05/2023 (jour et heure non communiqués)"
    assert guichet.opening.approximation() == "jour non communiqué : compté jusqu'au début du mois"
    assert load_calendar().guichet("1", "MS1", "avance").closing.approximation() == (
        "heure non communiquée : compté jusqu'au début de ce jour")
    assert load_calendar().guichet("1", "HOP", "avance").closing.approximation() is None
    assert guichet.status(parse_instant("2023-04-30T23:59:59")).state is GuichetState.NOT_OPEN_YET


# --- the files: schema, overrides, import --------------------------------------------------------------
def _calendar_file(path: Path, vague: str = "2", **event: object) -> Path:
    entry = {"couloir": "HOP", "type": "avance", "evenement": "fermeture", "date": "2026-03-31", "heure": "12:00",
             "source": "Page publique ASP, mars 2026", **event}
    path.write_text(json.dumps({"schema_version": 1, "vague": vague, "evenements": [entry]}), encoding="utf-8")
    return path




def test_bundled_files_fit_the_schema() -> None:
    schema = json.loads((resources_dir() / "calendar.schema.json").read_text(encoding="utf-8"))
    for path in (resources_dir() / "calendar").glob("*.json"):
        assert format_problem(json.loads(path.read_text(encoding="utf-8")), "calendar.schema.json") is None, path
    assert schema["properties"]["schema_version"] == {"const": 1, "description": "Version du format de ce fichier."}


@pytest.mark.parametrize(("event", "says"), [
    ({"heure": None, "date": "2026-03-31"}, None),  # fits: an hour not published
    ({"date": "2026-03"}, "a une heure mais pas de jour"),
    ({"date": "2026-02-30"}, "mal formé (la date « 2026-02-30 » n'existe pas"),
    ({"date": "31/03/2026"}, "événement n° 1 : Date de l'événement : « 31/03/2026 » n'a pas le format attendu"),
    ({"heure": "14h"}, "événement n° 1 : Heure de l'événement, à l'heure de Paris : « 14h » n'a pas le format"),
    ({"evenement": "cloture"}, "Événement : « cloture » n'est pas permis"),
    ({"heur": None}, "champ(s) non prévu(s) par le format : heur"),
])
def test_import_checks_the_file_in_french(user_data: Path, tmp_path: Path, event: dict, says: str | None) -> None:
    source = _calendar_file(tmp_path / "maj.json", **event)
    if says is None:
        assert import_calendar(source).path == user_data / "resources" / "calendar" / "vague2.json"
        return
    with pytest.raises(InputError) as error:
        import_calendar(source)
    assert says in str(error.value) and "maj.json" in str(error.value)
    assert not (user_data / "resources" / "calendar").exists()  # nothing installed
    assert load_calendar().guichet("2", "HOP", "avance", "DPI").closing.day == date(2025, 12, 17)


def test_missing_hour_must_be_said_not_left_out(user_data: Path, tmp_path: Path) -> None:
    source = tmp_path / "vague3.json"
    source.write_text(json.dumps({"schema_version": 1, "vague": "3", "evenements": [
        {"couloir": "HOP", "type": "avance", "evenement": "fermeture", "date": "2027-01-15", "source": "x"}]}))
    with pytest.raises(InputError, match="« heure » est obligatoire"):
        import_calendar(source)


def test_import_replaces_the_vague_whatever_the_file_name(user_data: Path, tmp_path: Path) -> None:
    installed = import_calendar(_calendar_file(tmp_path / "calendrier ASP mars 2026.json"))
    target = user_data / "resources" / "calendar" / "vague2.json"
    assert (installed.path, installed.vague, installed.user_override) == (target, "2", True)
    assert json.loads(target.read_text(encoding="utf-8"))["evenements"][0]["source"] == "Page publique ASP, mars 2026"
    calendar = load_calendar()  # reloaded: the import is in force at once
    assert [(f.vague, f.origin()) for f in calendar.files] == [("1", "intégré"), ("2", "utilisateur")]
    assert calendar.guichet("2", "HOP", "avance", "DPI").closing.day == date(2026, 3, 31)
    assert calendar.guichet("2", "RAD", "avance") is None  # the whole vague 2 file was replaced
    import_calendar(_calendar_file(tmp_path / "vague3.json", vague="3"))
    assert [f.vague for f in load_calendar().files] == ["1", "2", "3"]  # a new vague is added


def test_two_files_for_one_vague_are_refused_and_an_import_undone(user_data: Path, tmp_path: Path) -> None:
    folder = user_data / "resources" / "calendar"
    folder.mkdir(parents=True)
    _calendar_file(folder / "vague2-bis.json")  # dropped by hand beside the bundled vague2.json
    with pytest.raises(InputError, match="décrivent tous deux la vague 2"):
        load_calendar()
    (folder / "vague2-bis.json").unlink()
    _calendar_file(folder / "nouvelle.json", vague="4")
    with pytest.raises(InputError, match="décrivent tous deux la vague 4"):
        import_calendar(_calendar_file(tmp_path / "autre.json", vague="4"))
    assert sorted(p.name for p in folder.iterdir()) == ["nouvelle.json"]  # the import was undone
    assert [f.vague for f in reload_calendar().files] == ["1", "2", "4"]


def test_import_reads_its_source_once_and_installs_those_bytes(user_data: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    source = _calendar_file(tmp_path / "maj.json")
    source.write_text(json.dumps(json.loads(source.read_text(encoding="utf-8")), indent=3) + "\n\n",
                      encoding="utf-8")  # laid out by hand: installed as it is
    opened: list[Path] = []
    open_ = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: (opened.append(self), open_(self, *a, **k))[1])  # read_bytes too
    installed = import_calendar(source)
    assert opened.count(source) == 1
    assert installed.path.read_bytes() == source.read_bytes()


@pytest.mark.parametrize(("content", "says"), [
    (None, "est introuvable"),
    (b'{"vague": "2",', "n'est pas un JSON valide (ligne 1, colonne 15"),
    (b'{"vague": "\xe9t\xe9"}', "ne peut pas être lu ("),
], ids=["missing", "bad JSON", "not UTF-8"])
def test_import_says_what_it_cannot_read_as_load_json_does(user_data: Path, tmp_path: Path, content: bytes | None,
                                                          says: str) -> None:
    source = tmp_path / "maj.json"
    if content is not None:
        source.write_bytes(content)
    with pytest.raises(InputError) as expected:
        load_json(source)
    with pytest.raises(InputError) as error:
        import_calendar(source)
    assert str(error.value) == str(expected.value) and says in str(error.value)
    assert not (user_data / "resources" / "calendar").exists()


def _failing(monkeypatch: pytest.MonkeyPatch, method: str, path: Path) -> None:
    """Path.<method> fails with "permission denied" on `path`, as on a file another account owns."""
    original = getattr(Path, method)

    def fail(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission non accordée", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, method, fail)


def test_an_unreadable_source_is_said_in_french(user_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _calendar_file(tmp_path / "maj.json")
    _failing(monkeypatch, "read_bytes", source)
    with pytest.raises(InputError, match="« .*maj.json » ne peut pas être lu .*permission refusée"):
        import_calendar(source)
    assert not (user_data / "resources" / "calendar").exists()


def test_an_unreadable_installed_calendar_is_said_in_french_and_left_as_it_was(
        user_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = import_calendar(_calendar_file(tmp_path / "mars.json")).path
    before = target.read_bytes()
    with monkeypatch.context() as patch:
        _failing(patch, "read_bytes", target)
        with pytest.raises(InputError, match="Impossible d'enregistrer le calendrier dans .*permission refusée"):
            import_calendar(_calendar_file(tmp_path / "avril.json", date="2026-04-30"))
    assert target.read_bytes() == before
    assert reload_calendar().guichet("2", "HOP", "avance", "DPI").closing.day == date(2026, 3, 31)


def test_an_import_that_cannot_be_undone_says_so_in_french(user_data: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder = user_data / "resources" / "calendar"
    folder.mkdir(parents=True)
    _calendar_file(folder / "nouvelle.json", vague="4")
    _failing(monkeypatch, "unlink", folder / "vague4.json")
    with pytest.raises(InputError) as error:
        import_calendar(_calendar_file(tmp_path / "autre.json", vague="4"))
    message = str(error.value)
    assert "décrivent tous deux la vague 4" in message and "permission refusée" in message
    assert f"Le calendrier précédent n'a pas pu être rétabli dans « {folder / 'vague4.json'} »" in message


def test_a_closing_of_unknown_hour_stays_next_until_its_day_is_over() -> None:
    # As an MS1 avance closing on a day whose hour was not published: on that day it is still open, so still « next ».
    calendar = Calendar((_closing("MS1", "avance", "2024-01-10", None),), ())
    keys = [GuichetKey("1", "MS1", "avance", "DUI")]
    assert [g.couloir for g in next_closing(calendar, keys, parse_instant("2024-01-10T12:00:00"))] == ["MS1"]
    assert next_closing(calendar, keys, parse_instant("2024-01-11T00:00:00")) == []
