"""Time left before a deadline: real elapsed time, rounded down, said in French, and how urgent it is."""

from datetime import UTC, datetime, timedelta

import pytest

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.countdown import Urgency, format_remaining, remaining, urgency


@pytest.mark.parametrize(("delta", "text"), [
    (timedelta(days=2, hours=4), "2 j 4 h"),
    (timedelta(days=2, hours=4, minutes=59, seconds=59), "2 j 4 h 59 min"),  # rounded down, never up
    (timedelta(days=31), "31 j"),
    (timedelta(days=3, minutes=5), "3 j 5 min"),
    (timedelta(hours=3, minutes=12, seconds=40), "3 h 12 min"),  # no seconds before the last hour
    (timedelta(hours=1), "1 h"),
    (timedelta(minutes=59, seconds=59, microseconds=999_999), "59 min 59 s"),  # the last hour: seconds
    (timedelta(minutes=45, seconds=10), "45 min 10 s"),
    (timedelta(minutes=5), "5 min"),
    (timedelta(seconds=8, microseconds=900_000), "8 s"),
    (timedelta(0), "0 s"),
])
def test_format_remaining(delta: timedelta, text: str) -> None:
    assert format_remaining(delta) == text


def test_format_remaining_refuses_a_past_deadline() -> None:
    with pytest.raises(ValueError):
        format_remaining(timedelta(seconds=-1))


def test_remaining_is_real_time_across_dst_changes() -> None:
    # 26/03/2023 lost an hour, 29/10/2023 gained one: wall-clock subtraction would say 1 day both times.
    def paris(*fields: int) -> datetime:
        return datetime(*fields, tzinfo=PARIS)

    assert remaining(paris(2023, 3, 26, 12), paris(2023, 3, 25, 12)) == timedelta(hours=23)
    assert remaining(paris(2023, 10, 29, 12), paris(2023, 10, 28, 12)) == timedelta(hours=25)
    assert remaining(paris(2022, 11, 30, 14), datetime(2022, 11, 30, 12, tzinfo=UTC)) == timedelta(hours=1)


@pytest.mark.parametrize(("delta", "level"), [
    (timedelta(days=40), Urgency.DISTANT),
    (timedelta(days=30, seconds=1), Urgency.DISTANT),
    (timedelta(days=30), Urgency.NORMAL),  # "more than 30 days" is distant
    (timedelta(days=7), Urgency.NORMAL),
    (timedelta(days=6, hours=23), Urgency.SOON),
    (timedelta(hours=48), Urgency.SOON),
    (timedelta(hours=47, minutes=59), Urgency.URGENT),
    (timedelta(seconds=1), Urgency.URGENT),
    (timedelta(0), Urgency.CLOSED),  # the closing minute itself is closed (core/calendar.py)
    (timedelta(minutes=-1), Urgency.CLOSED),
])
def test_urgency(delta: timedelta, level: Urgency) -> None:
    assert urgency(delta) is level
