"""The guichets' calendar, read from `resources/calendar/*.json`, in Paris time.

Each file is one vague's events (opening, closing, milestones) per couloir and
request type, sometimes per software kind; its format is
`resources/calendar.schema.json`. A user file with the same name in
`<user data>/resources/calendar/` replaces the bundled one; a new name adds a
vague (two files for one vague are refused: their events would mix).
`import_calendar` checks a file and installs it there under its vague's name.

An hour the programme did not publish stays unknown (and a day, when only the
month was): such an event is taken at the start of its day (or month) — the
safe side for a deadline — and always shown with "heure non communiquée".

Closing rule (documented in the README): a guichet closing at 14:00 is
treated as closed from 14:00:00. The portal blocks imports from 14:01; we
keep that minute as a margin rather than count on it.

Instants are compared in UTC: Python compares two datetimes of the same zone
on the wall clock, wrong in the repeated hour of the autumn DST change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo


from segur_desktop.core.atomic import write_atomic
from segur_desktop.core.countdown import Urgency, remaining, urgency
from segur_desktop.core.couloirs import REQUEST_TYPES
from segur_desktop.core.datafiles import (load_json, parse_json, read_limited, resource_candidates, schema_errors,
                                          well_formed)
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import N_, _
from segur_desktop.core.paths import resources_dir
from segur_desktop.core.validate.french import describe

if TYPE_CHECKING:  # workspace.py imports this module: the type only, no cycle at run time
    from segur_desktop.core.workspace import Solution

PARIS = ZoneInfo("Europe/Paris")
SCHEMA = "calendar.schema.json"
IMPORT_MAX_BYTES = 4 * 1024 * 1024  # a vague's calendar is a few KB
# Guichet types in the order a couloir's cards are listed; other types follow, in the files' order.
TYPE_ORDER = ("referencement", "enrolement", "avance", "solde")
_TYPE_LABELS = {"avance": N_("avance"), "solde": N_("solde"), "referencement": N_("référencement"),
                "enrolement": N_("enrôlement"), "extraction_bal": N_("extraction des BAL")}


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant; without an offset it is French legal time (Europe/Paris)."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=PARIS)


def format_instant(at: datetime, *, seconds: bool = False) -> str:
    """An instant as users read it, in Paris time: "28/11/2022 10:00" (with ":00" seconds if asked)."""
    return at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def type_label(kind: str) -> str:
    """A guichet type in French ("référencement"); a type the app does not know is shown as the file gives it."""
    return _(_TYPE_LABELS[kind]) if kind in _TYPE_LABELS else kind


def _utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc)


@dataclass(frozen=True, slots=True)
class Event:
    vague: str
    couloir: str
    type: str  # "avance", "solde", "referencement", ...
    event: str  # "ouverture", "fermeture", "jalon"
    day: date  # the first of the month when only the month was published
    hour: time | None  # None: not published
    software_kind: str | None
    source: str
    day_known: bool = True

    @property
    def instant(self) -> datetime:
        return datetime.combine(self.day, self.hour or time(0, 0), PARIS)

    def label(self) -> str:
        if not self.day_known:
            return _("{month} (jour et heure non communiqués)").format(month=self.day.strftime("%m/%Y"))
        if self.hour is None:
            return _("{day} (heure non communiquée)").format(day=self.day.strftime("%d/%m/%Y"))
        return _("{day} à {hour}").format(day=self.day.strftime("%d/%m/%Y"), hour=self.hour.strftime("%H:%M"))

    def approximation(self) -> str | None:
        """What a countdown to this event really counts to, when the hour is unknown; None when it is known."""
        if not self.day_known:
            return _("jour non communiqué : compté jusqu'au début du mois")
        if self.hour is None:
            return _("heure non communiquée : compté jusqu'au début de ce jour")
        return None


class GuichetState(StrEnum):
    NOT_OPEN_YET = "not_open_yet"
    OPEN = "open"
    CLOSED = "closed"

    def label(self) -> str:
        return _(_STATE_LABELS[self])


_STATE_LABELS = {GuichetState.NOT_OPEN_YET: N_("pas encore ouvert"), GuichetState.OPEN: N_("ouvert"),
                 GuichetState.CLOSED: N_("fermé")}


@dataclass(frozen=True, slots=True)
class GuichetStatus:
    """A guichet as seen at one instant: what the CLI prints and a card of the Échéances page shows."""

    state: GuichetState
    event: Event | None  # not open yet: the opening; open: the closing (None: not published); closed: the closing
    delta: timedelta | None  # real time until `event`, or since it once closed; None without an event
    urgency: Urgency  # how close the closing is; DISTANT when no closing is known


@dataclass(frozen=True, slots=True)
class Guichet:
    vague: str
    couloir: str
    type: str
    opening: Event | None
    closing: Event | None

    @property
    def software_kind(self) -> str | None:
        """The software kind its events are specific to (vague 2 HOP: DPI, PFI); None when they apply to all."""
        return next((e.software_kind for e in (self.opening, self.closing) if e is not None and e.software_kind), None)

    def title(self) -> str:
        """"HOP avance", "HOP avance (DPI)": how a guichet is named in lists and notifications."""
        name = f"{self.couloir} {type_label(self.type)}"
        return f"{name} ({self.software_kind})" if self.software_kind else name

    def is_closed(self, at: datetime) -> bool:
        return self.closing is not None and _utc(at) >= _utc(self.closing.instant)

    def is_not_open_yet(self, at: datetime) -> bool:
        return self.opening is not None and _utc(at) < _utc(self.opening.instant)

    def status(self, at: datetime) -> GuichetStatus:
        """Its state at `at` and the real time to its next event (or since its closing), DST included."""
        level = urgency(remaining(self.closing.instant, at)) if self.closing else Urgency.DISTANT
        if self.is_closed(at):
            return GuichetStatus(GuichetState.CLOSED, self.closing, remaining(at, self.closing.instant), level)
        if self.is_not_open_yet(at):
            return GuichetStatus(GuichetState.NOT_OPEN_YET, self.opening, remaining(self.opening.instant, at), level)
        delta = remaining(self.closing.instant, at) if self.closing else None
        return GuichetStatus(GuichetState.OPEN, self.closing, delta, level)


@dataclass(frozen=True, slots=True)
class CalendarFile:
    """One file in force: a vague's events, bundled with the app or the user's override."""

    path: Path
    vague: str
    user_override: bool

    def origin(self) -> str:
        return _("utilisateur") if self.user_override else _("intégré")


@dataclass(frozen=True, slots=True)
class Calendar:
    events: tuple[Event, ...]
    files: tuple[CalendarFile, ...]
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

    def guichets(self) -> list[Guichet]:
        """Every guichet the files describe (milestones are not guichets), couloir by couloir in the files'
        order, then by TYPE_ORDER; one per software kind where events are specific to one (vague 2 HOP)."""
        windows = [e for e in self.events if e.event in ("ouverture", "fermeture")]
        couloirs = list(dict.fromkeys((e.vague, e.couloir) for e in windows))
        keys = list(dict.fromkeys(GuichetKey(e.vague, e.couloir, e.type, e.software_kind) for e in windows))
        keys.sort(key=lambda k: (couloirs.index((k.vague, k.couloir)), _type_rank(k.type), k.software_kind is not None))
        return [guichet for key in keys if (guichet := self.guichet(*key)) is not None]

    def concerning(self, solutions: Iterable[Solution]) -> list[Guichet]:
        """The guichets, among `guichets()`, that apply to these solutions: same vague and couloir, and the
        events their software kind would be judged against (a DPI solution is not shown the PFI guichet)."""
        solutions = list(solutions)
        return [g for g in self.guichets()
                if any(self.guichet(s.vague, s.couloir, g.type, s.software_kind) == g
                       for s in solutions if (s.vague, s.couloir) == (g.vague, g.couloir))]


def _type_rank(kind: str) -> int:
    return TYPE_ORDER.index(kind) if kind in TYPE_ORDER else len(TYPE_ORDER)


class GuichetKey(NamedTuple):
    """What `Calendar.guichet` is asked: one deposit window of one solution."""

    vague: str
    couloir: str
    type: str
    software_kind: str | None = None


def deposit_keys(solutions: Iterable[Solution]) -> list[GuichetKey]:
    """The avance and solde guichets of each referenced solution: the deadlines a workspace has to meet."""
    return list(dict.fromkeys(GuichetKey(s.vague, s.couloir, kind, s.software_kind)
                              for s in solutions for kind in REQUEST_TYPES))


def next_closing(calendar: Calendar, keys: Iterable[GuichetKey], at: datetime) -> list[Guichet]:
    """The guichets among `keys` that close soonest strictly after `at` (empty: none left).

    Several guichets often close at the same instant (the BIO, HOP and MDV avances of vague 1
    on 30/11/2022 at 14:00): all of them are returned, in the order of `keys`, so a deadline is
    never shown for one couloir while hiding another's.
    """
    after = _utc(at)
    upcoming: dict[Guichet, datetime] = {}
    for key in keys:
        guichet = calendar.guichet(*key)
        if guichet is not None and guichet.closing is not None:
            instant = _utc(guichet.closing.instant)
            if instant > after:
                upcoming.setdefault(guichet, instant)
    if not upcoming:
        return []
    soonest = min(upcoming.values())
    return [guichet for guichet, instant in upcoming.items() if instant == soonest]


# --- the files --------------------------------------------------------------------------------------
def user_calendar_folder() -> Path:
    """Where the user's calendar files live (`<user data>/resources/calendar/`): they win over the bundled ones."""
    return resource_candidates("calendar")[0]


def calendar_files() -> list[Path]:
    """The files in force: every bundled file, unless the user's folder has one of the same name; and the user's."""
    user_folder, bundled_folder = resource_candidates("calendar")
    chosen = {p.name: p for p in sorted(bundled_folder.glob("*.json"))}
    if user_folder.is_dir():
        chosen.update({p.name: p for p in sorted(user_folder.glob("*.json"))})
    return [chosen[name] for name in sorted(chosen)]


@cache
def load_calendar() -> Calendar:
    """The calendar in force, read once; `reload_calendar` after a file changed."""
    user_folder = user_calendar_folder()
    events: list[Event] = []
    files: dict[str, CalendarFile] = {}
    for path in calendar_files():
        data = load_json(path)
        events += _checked_events(path, data)
        vague = str(data["vague"])
        if vague in files:
            raise InputError(_("Les fichiers de calendrier « {first} » et « {second} » décrivent tous deux la vague "
                               "{vague} : gardez-en un seul (un fichier par vague), puis relancez.").format(
                first=files[vague].path, second=path, vague=vague))
        files[vague] = CalendarFile(path, vague, path.parent == user_folder)
    return Calendar(tuple(events), tuple(sorted(files.values(), key=lambda f: (len(f.vague), f.vague))))  # 2 before 10


def reload_calendar() -> Calendar:
    """Forget the calendar read so far and read the files again (after an import)."""
    load_calendar.cache_clear()
    return load_calendar()


def import_calendar(source: Path) -> CalendarFile:
    """Check a calendar file and put it in force as the user's file for its vague.

    It is stored as `<user data>/resources/calendar/vague<N>.json` whatever its
    name, so an updated vague 2 replaces the bundled `vague2.json` instead of
    adding its events a second time. A file that breaks the schema, or a
    calendar that no longer loads with it, leaves everything as it was.

    The source is read once: the bytes checked are the bytes installed. Every
    file access that fails says so in French (an InputError), never a traceback.
    """
    content = read_limited(source, IMPORT_MAX_BYTES)  # load_json's limits and messages: the bytes are needed too
    data = parse_json(content, name=source, max_bytes=IMPORT_MAX_BYTES)
    _checked_events(source, data)
    vague = str(data["vague"])
    target = user_calendar_folder() / f"vague{vague}.json"
    try:
        previous = target.read_bytes() if target.is_file() else None
        write_atomic(target, content)
    except OSError as exc:
        raise InputError(_("Impossible d'enregistrer le calendrier dans « {folder} » ({reason}). Vérifiez que vous "
                           "avez le droit d'écrire dans ce dossier.").format(
            folder=target.parent, reason=exc.strerror or exc)) from None
    try:
        reload_calendar()
    except InputError as refused:
        try:
            if previous is None:
                target.unlink(missing_ok=True)
            else:
                write_atomic(target, previous)
        except OSError as exc:
            raise InputError(_("{problem} Le calendrier précédent n'a pas pu être rétabli dans « {path} » ({reason}) : "
                               "supprimez ce fichier pour revenir au calendrier fourni avec l'application.").format(
                problem=refused, path=target, reason=exc.strerror or exc)) from None
        reload_calendar()
        raise
    return next(f for f in load_calendar().files if f.vague == vague)


def _checked_events(path: Path, data: Any) -> list[Event]:
    """The file's events, once it fits the schema and its dates exist; a French InputError naming it otherwise."""
    schema = load_json(resources_dir() / SCHEMA)
    errors = schema_errors(data, schema)
    error = min(errors, key=lambda e: [(isinstance(p, int), p) for p in e.absolute_path], default=None)  # the first
    if error is not None:
        where = list(error.absolute_path)
        prefix = _("événement n° {n} : ").format(n=where[1] + 1) if where[:1] == ["evenements"] and len(where) > 1 else ""
        raise InputError(_("Le fichier de calendrier « {path} » est mal formé : {prefix}{problem} Corrigez-le, ou "
                           "supprimez-le pour revenir au calendrier fourni avec l'application.").format(
            path=path, prefix=prefix, problem=describe(error)))
    return well_formed(path, partial(_events, data))


def _events(data: dict) -> list[Event]:
    events = []
    for entry in data["evenements"]:
        day_known = len(entry["date"]) == len("2022-11-30")
        if not day_known and entry["heure"]:
            raise ValueError(_("l'événement du {month} a une heure mais pas de jour").format(month=entry["date"]))
        events.append(Event(
            vague=str(data["vague"]),
            couloir=entry["couloir"],
            type=entry["type"],
            event=entry["evenement"],
            day=date.fromisoformat(entry["date"] if day_known else entry["date"] + "-01"),
            hour=time.fromisoformat(entry["heure"]) if entry["heure"] else None,
            software_kind=entry.get("type_logiciel"),
            source=entry["source"],
            day_known=day_known,
        ))
    return events
