"""Time left before a deadline, in real elapsed time, said the French way ("2 j 4 h").

Shared by the GUI's dashboard and the command line, so both say the same
thing. Durations are measured in UTC: Python subtracts two datetimes of the
same zone on the wall clock, which is an hour off across a DST change. They
are rounded down: a countdown must never promise more time than is left.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from enum import StrEnum

from segur_desktop.core.i18n import _

URGENT = timedelta(hours=48)
SOON = timedelta(days=7)


class Urgency(StrEnum):
    NORMAL = "normal"
    SOON = "soon"  # under 7 days
    URGENT = "urgent"  # under 48 hours


def remaining(until: datetime, at: datetime) -> timedelta:
    """Real time elapsing from `at` to `until` (both aware), whatever their zones and DST."""
    return until.astimezone(timezone.utc) - at.astimezone(timezone.utc)


def format_remaining(delta: timedelta) -> str:
    """"2 j 4 h", "3 h 12 min", "45 min 10 s", "8 s": the two largest units, a zero second one left out."""
    if delta < timedelta(0):
        raise ValueError(f"negative remaining time: {delta}")
    days, seconds = divmod(int(delta.total_seconds()), 86_400)
    hours, seconds = divmod(seconds, 3_600)
    minutes, seconds = divmod(seconds, 60)
    if days:
        units = [(days, _("{n} j")), (hours, _("{n} h"))]
    elif hours:
        units = [(hours, _("{n} h")), (minutes, _("{n} min"))]
    elif minutes:
        units = [(minutes, _("{n} min")), (seconds, _("{n} s"))]
    else:
        return _("{n} s").format(n=seconds)
    return " ".join(unit.format(n=n) for n, unit in units if n)


def urgency(delta: timedelta) -> Urgency:
    if delta < URGENT:
        return Urgency.URGENT
    return Urgency.SOON if delta < SOON else Urgency.NORMAL
