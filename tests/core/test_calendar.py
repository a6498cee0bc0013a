"""Guichet windows in Paris time; unknown hours taken at the start of the day."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from segur_desktop.core import calendar as calendar_module
from segur_desktop.core.calendar import PARIS, load_calendar, parse_instant


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
