"""Time left before a deadline, in real elapsed time, said the French way ("2 j 4 h 12 min").

Shared by the GUI (dashboard, Échéances page, notifications) and the command
line, so all of them say the same thing and colour it the same way.
Durations are measured in UTC: Python subtracts two datetimes of the same zone
on the wall clock, which is an hour off across a DST change. They are rounded
down: a countdown must never promise more time than is left.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum

from segur_desktop.core.i18n import _

URGENT = timedelta(hours=48)
SOON = timedelta(days=7)
DISTANT = timedelta(days=30)
LAST_HOUR = timedelta(hours=1)


class Urgency(StrEnum):
    """How close a closing is; the GUI gives each level its colour."""

    DISTANT = "distant"  # more than 30 days
    NORMAL = "normal"  # 7 to 30 days
    SOON = "soon"  # under 7 days
    URGENT = "urgent"  # under 48 hours
    CLOSED = "closed"  # the closing has come (from its minute; hour unknown: once its day is over; core/calendar.py)


def remaining(until: datetime, at: datetime) -> timedelta:
    """Real time elapsing from `at` to `until` (both aware), whatever their zones and DST."""
    return until.astimezone(UTC) - at.astimezone(UTC)


def format_remaining(delta: timedelta) -> str:
    """"12 j 4 h 5 min", "3 h 12 min", and in the last hour "45 min 10 s", "8 s"; zero units left out.

    Days, hours and minutes are what a deadline a week away needs; seconds only
    matter, and only move visibly, in the last hour.
    """
    if delta < timedelta(0):
        raise ValueError(f"negative remaining time: {delta}")
    total = int(delta.total_seconds())
    days, seconds = divmod(total, 86_400)
    hours, seconds = divmod(seconds, 3_600)
    minutes, seconds = divmod(seconds, 60)
    if delta < LAST_HOUR:
        units = [(minutes, _("{n} min")), (seconds, _("{n} s"))]
    else:
        units = [(days, _("{n} j")), (hours, _("{n} h")), (minutes, _("{n} min"))]
    return " ".join(unit.format(n=n) for n, unit in units if n) or _("{n} s").format(n=0)


def urgency(delta: timedelta) -> Urgency:
    """The level for `delta`, the time left before a closing; none left (zero or less) is CLOSED."""
    if delta <= timedelta(0):
        return Urgency.CLOSED
    if delta < URGENT:
        return Urgency.URGENT
    if delta < SOON:
        return Urgency.SOON
    return Urgency.NORMAL if delta <= DISTANT else Urgency.DISTANT
