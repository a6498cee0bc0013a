"""The guichets' calendar, read from `resources/calendar/*.json`, in Paris time.

Each file is one vague's events (opening, closing, milestones) per couloir and
request type, sometimes per software kind. A user file with the same name in
`<user data>/resources/calendar/` replaces the bundled one; a new name adds a
vague. An hour the programme did not publish stays unknown: such a deadline
is taken at the start of its day (the safe side) and always shown with
"heure non communiquée".

Closing rule (documented in the README): a guichet closing at 14:00 is
treated as closed from 14:00:00. The portal blocks imports from 14:01; we
keep that minute as a margin rather than count on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from segur_desktop.core.datafiles import load_json, resource_candidates, well_formed
from segur_desktop.core.i18n import _

if TYPE_CHECKING:  # workspace.py imports this module: the type only, no cycle at run time
    from segur_desktop.core.workspace import Solution

PARIS = ZoneInfo("Europe/Paris")


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant; without an offset it is French legal time (Europe/Paris)."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=PARIS)


@dataclass(frozen=True, slots=True)
class Event:
    vague: str
    couloir: str
    type: str  # "avance", "solde", "referencement", ...
    event: str  # "ouverture", "fermeture", "jalon"
    day: date
    hour: time | None  # None: not published
    software_kind: str | None
    source: str

    @property
    def instant(self) -> datetime:
        return datetime.combine(self.day, self.hour or time(0, 0), PARIS)

    def label(self) -> str:
        if self.hour is None:
            return _("{day} (heure non communiquée)").format(day=self.day.strftime("%d/%m/%Y"))
        return _("{day} à {hour}").format(day=self.day.strftime("%d/%m/%Y"), hour=self.hour.strftime("%H:%M"))


@dataclass(frozen=True, slots=True)
class Guichet:
    vague: str
    couloir: str
    type: str
    opening: Event | None
    closing: Event | None

    def is_closed(self, at: datetime) -> bool:
        return self.closing is not None and at >= self.closing.instant

    def is_not_open_yet(self, at: datetime) -> bool:
        return self.opening is not None and at < self.opening.instant


@dataclass(frozen=True, slots=True)
class Calendar:
    events: tuple[Event, ...]
    files: tuple[Path, ...]
    _memo: dict[tuple, Guichet | None] = field(default_factory=dict, compare=False, repr=False)

    def guichet(self, vague: str, couloir: str, kind: str, software_kind: str | None = None) -> Guichet | None:
        """The deposit window, preferring events specific to the software kind.

        Asked once per demande (20k lookups for a handful of answers): memoised.
        """
        key = (vague, couloir, kind, software_kind)
        if key not in self._memo:
            self._memo[key] = self._find(vague, couloir, kind, software_kind)
        return self._memo[key]

    def _find(self, vague: str, couloir: str, kind: str, software_kind: str | None) -> Guichet | None:
        def pick(event_name: str) -> Event | None:
            matches = [e for e in self.events
                       if (e.vague, e.couloir, e.type, e.event) == (vague, couloir, kind, event_name)
                       and e.software_kind in (None, software_kind)]
            matches.sort(key=lambda e: e.software_kind is None)  # specific first
            return matches[0] if matches else None

        opening, closing = pick("ouverture"), pick("fermeture")
        if opening is None and closing is None:
            return None
        return Guichet(vague, couloir, kind, opening, closing)


DEPOSIT_TYPES = ("avance", "solde")


class GuichetKey(NamedTuple):
    """What `Calendar.guichet` is asked: one deposit window of one solution."""

    vague: str
    couloir: str
    type: str
    software_kind: str | None = None


def deposit_keys(solutions: Iterable[Solution]) -> list[GuichetKey]:
    """The avance and solde guichets of each referenced solution: the deadlines a workspace has to meet."""
    return list(dict.fromkeys(GuichetKey(s.vague, s.couloir, kind, s.software_kind)
                              for s in solutions for kind in DEPOSIT_TYPES))


def next_closing(calendar: Calendar, keys: Iterable[GuichetKey], at: datetime) -> list[Guichet]:
    """The guichets among `keys` that close soonest strictly after `at` (empty: none left).

    Several guichets often close at the same instant (the BIO, HOP and MDV avances of vague 1
    on 30/11/2022 at 14:00): all of them are returned, in the order of `keys`, so a deadline is
    never shown for one couloir while hiding another's. Instants are compared in UTC: Python
    compares two datetimes of the same zone on the wall clock, wrong in the repeated hour of
    the autumn DST change.
    """
    after = at.astimezone(timezone.utc)
    upcoming: dict[Guichet, datetime] = {}
    for key in keys:
        guichet = calendar.guichet(*key)
        if guichet is not None and guichet.closing is not None:
            instant = guichet.closing.instant.astimezone(timezone.utc)
            if instant > after:
                upcoming.setdefault(guichet, instant)
    if not upcoming:
        return []
    soonest = min(upcoming.values())
    return [guichet for guichet, instant in upcoming.items() if instant == soonest]


def calendar_files() -> list[Path]:
    user_folder, bundled_folder = resource_candidates("calendar")
    chosen = {p.name: p for p in sorted(bundled_folder.glob("*.json"))}
    if user_folder.is_dir():
        chosen.update({p.name: p for p in sorted(user_folder.glob("*.json"))})
    return [chosen[name] for name in sorted(chosen)]


@cache
def load_calendar() -> Calendar:
    events = []
    files = calendar_files()
    for path in files:
        data = load_json(path)
        events += well_formed(path, partial(_events, data))
    return Calendar(tuple(events), tuple(files))


def _events(data: dict) -> list[Event]:
    events = []
    for entry in data["evenements"]:
        events.append(Event(
            vague=str(data["vague"]),
            couloir=entry["couloir"],
            type=entry["type"],
            event=entry["evenement"],
            day=date.fromisoformat(entry["date"]),
            hour=time.fromisoformat(entry["heure"]) if entry.get("heure") else None,
            software_kind=entry.get("type_logiciel"),
            source=entry.get("source", ""),
        ))
    return events
