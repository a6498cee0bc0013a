"""Guichet windows in Paris time; unknown hours taken at the start of the day."""

import json
from datetime import date, datetime, time, timedelta, timezone

import pytest

from segur_desktop.core import calendar as calendar_module
from segur_desktop.core.calendar import (
    PARIS, Calendar, GuichetKey, deposit_keys, load_calendar, next_closing, parse_instant)
from segur_desktop.core.countdown import format_remaining, remaining
from segur_desktop.core.paths import demo_workspace
from segur_desktop.core.workspace import load_workspace


def test_vague1_hop_avance_closes_at_14h_paris() -> None:
    guichet = load_calendar().guichet("1", "HOP", "avance", "DPI")
    assert guichet.closing.instant == datetime(2022, 11, 30, 14, 0, tzinfo=PARIS)
    assert guichet.closing.instant.utcoffset() == timedelta(hours=1)  # winter time
    assert not guichet.is_closed(parse_instant("2022-11-30T13:59:59+01:00"))
    assert guichet.is_closed(parse_instant("2022-11-30T14:00:00+01:00"))
    assert guichet.is_closed(parse_instant("2022-11-30T13:01:00+00:00"))  # 14:01 Paris, given in UTC


def test_summer_time_offset() -> None:
    closing = load_calendar().guichet("1", "MDV", "solde").closing
    assert closing.instant.utcoffset() == timedelta(hours=2)  # 28/04/2023 is summer time
    assert closing.instant.astimezone(timezone.utc).hour == 12


def test_unknown_hour_is_start_of_day_and_said() -> None:
    closing = load_calendar().guichet("1", "PHA", "avance").closing
    assert closing.hour is None
    assert closing.instant == datetime(2023, 3, 15, 0, 0, tzinfo=PARIS)
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
        {"couloir": "HOP", "type": "avance", "evenement": "fermeture", "date": "2022-12-15", "heure": "12:00"}]}))
    monkeypatch.setenv("SEGUR_DESKTOP_DATA_DIR", str(tmp_path))
    load_calendar.cache_clear()
    try:
        calendar = load_calendar()
        assert folder / "vague1.json" in calendar.files
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
        ("PHA", "avance", "15/03/2023 (heure non communiquée)")]


def test_next_closing_with_unknown_hour_counts_to_the_start_of_the_day() -> None:
    calendar = Calendar((_closing("PHA", "avance", "2023-03-15", None),), ())
    at = parse_instant("2023-03-14T18:30:00")
    [guichet] = next_closing(calendar, [GuichetKey("1", "PHA", "avance", "LGO")], at)
    assert "heure non communiquée" in guichet.closing.label()
    assert format_remaining(remaining(guichet.closing.instant, at)) == "5 h 30 min"
    assert next_closing(calendar, [GuichetKey("1", "PHA", "avance")], parse_instant("2023-03-15T08:00:00")) == []


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
