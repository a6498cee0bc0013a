"""The guichets' calendar, read from `resources/calendar/*.json`, in Paris time.

Each file is one vague's events (opening, closing, milestones) per couloir and
request type, sometimes per software kind; its format is
`resources/calendar.schema.json`. A user file with the same name in
`<user data>/resources/calendar/` replaces the bundled one; a new name adds a
vague (two files for one vague are refused: their events would mix).
`import_calendar` checks a file and installs it there under its vague's name.

An hour the programme did not publish stays unknown (and a day, when only the
month was), and is always shown with "heure non communiquée". Such an event
spans its whole day (or month), and each question takes the side of it that
cannot cost the vendor a deposit:
- countdowns and urgency count to the start of that day (or month): never
  more time is promised than may be left;
- the state is "fermé" only once that day (or month) is over: a closing of
  unknown hour never refuses a demande, nor tells the user the guichet is
  shut, while it may still be open (issue #21: 14 hours early for 14:00);
- an opening of unknown hour opens the guichet from the start of its day (or
  month): "pas encore ouvert" would refuse demandes on a day the portal may
  already take them, while an early "ouvert" costs at most a deposit tried
  a few hours too soon, which the portal refuses without harm.
During the closing's day the guichet is open with no time left to count:
`GuichetStatus.closing_uncertain` says so, and the screens say "ferme ce jour".

A date the programme moved (a postponement) keeps its history: the event holds
the date in force, and `Event.changes` each former date, when the change was
announced and by whom (`modifications` in the file).

Closing rule (documented in the README): a guichet closing at 14:00 is
treated as closed from 14:00:00. The portal blocks imports from 14:01; we
keep that minute as a margin rather than count on it.

Instants are compared in UTC: Python compares two datetimes of the same zone
on the wall clock, wrong in the repeated hour of the autumn DST change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo

from segur_desktop.core.atomic import write_atomic
from segur_desktop.core.couloirs import REQUEST_TYPES
from segur_desktop.core.countdown import Urgency, remaining, urgency
from segur_desktop.core.datafiles import (
    load_json,
    load_override,
    newer_format,
    parse_json,
    read_limited,
    resource_candidates,
    schema_errors,
    well_formed,
)
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import N_, _
from segur_desktop.core.oserrors import advice_write, reason
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


class NonexistentTime(ValueError):
    """A Paris wall-clock time that never happened (the hour the spring change skips); its text is French."""


def paris_time(naive: datetime) -> datetime:
    """A wall-clock time in Paris as an instant; ValueError (French) for one the spring change skips: on
    27/03/2022 the clocks went from 02:00 to 03:00, and « 02:30 » would silently be read as 03:30."""
    value = naive.replace(tzinfo=PARIS)
    if value.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None) != naive:
        raise NonexistentTime(_("« {when} » n'a pas existé à Paris : ce jour-là, les horloges sont passées de 2 h à 3 h "
                           "(heure d'été).").format(when=naive.strftime("%d/%m/%Y %H:%M")))
    return value


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant, in French legal time (Europe/Paris): without an offset it is read as such, with one
    (« …Z », « …-03:00 », typed in Cayenne) it is converted, so that whoever prints its hour prints Paris's."""
    value = datetime.fromisoformat(text)
    return value.astimezone(PARIS) if value.tzinfo else paris_time(value)


def format_instant(at: datetime, *, seconds: bool = False) -> str:
    """An instant as users read it, in Paris time: "28/11/2022 10:00" (with ":00" seconds if asked)."""
    return at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def type_label(kind: str) -> str:
    """A guichet type in French ("référencement"); a type the app does not know is shown as the file gives it."""
    return _(_TYPE_LABELS[kind]) if kind in _TYPE_LABELS else kind


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _moment_label(day: date, hour: time | None, day_known: bool) -> str:
    """"30/11/2022 à 14:00", "15/03/2023 (heure non communiquée)", "05/2023 (jour et heure non communiqués)"."""
    if not day_known:
        return _("{month} (jour et heure non communiqués)").format(month=day.strftime("%m/%Y"))
    if hour is None:
        return _("{day} (heure non communiquée)").format(day=day.strftime("%d/%m/%Y"))
    return _("{day} à {hour}").format(day=day.strftime("%d/%m/%Y"), hour=hour.strftime("%H:%M"))


def _earliest(day: date, hour: time | None) -> datetime:
    return datetime.combine(day, hour or time(0, 0), PARIS)


def _latest(day: date, hour: time | None, day_known: bool) -> datetime:
    """The end of what is known of a moment: itself with an hour; the end of its day, or of its month, without."""
    if hour is not None:
        return datetime.combine(day, hour, PARIS)
    if day_known:
        return datetime.combine(day + timedelta(days=1), time(0, 0), PARIS)
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return datetime.combine(following, time(0, 0), PARIS)


@dataclass(frozen=True, slots=True)
class DateChange:
    """One move of an event's date (a postponement, or an advance): from where to where, announced when, by whom."""

    previous_day: date  # the first of the month when only the month was published, as for Event.day
    previous_hour: time | None
    previous_day_known: bool
    day: date
    hour: time | None
    day_known: bool
    announced: str | None  # "2023-04-12", or "2023-04" when only the month is known; None: not given by the source
    source: str

    @property
    def postponed(self) -> bool:
        return _earliest(self.day, self.hour) > _earliest(self.previous_day, self.previous_hour)

    def previous_label(self) -> str:
        return _moment_label(self.previous_day, self.previous_hour, self.previous_day_known)

    def new_label(self) -> str:
        return _moment_label(self.day, self.hour, self.day_known)

    def announced_label(self) -> str:
        if self.announced is None:
            return _("date de l'annonce non connue")
        day = date.fromisoformat(self.announced if len(self.announced) == 10 else self.announced + "-01")
        return _("annoncé le {day}").format(day=day.strftime("%d/%m/%Y")) if len(self.announced) == 10 else _(
            "annoncé en {month}").format(month=day.strftime("%m/%Y"))


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
    changes: tuple[DateChange, ...] = ()  # oldest first; the last one ends on `day` and `hour`

    @property
    def instant(self) -> datetime:
        """The instant countdowns count to: the start of the day (or month) when the hour (or day) is unknown."""
        return _earliest(self.day, self.hour)

    @property
    def latest(self) -> datetime:
        """The last instant the event can be at: `instant` when the hour is known, else the end of its day (or
        month). A closing of unknown hour is over only then (see the module's docstring)."""
        return _latest(self.day, self.hour, self.day_known)

    @property
    def approximate(self) -> bool:
        """True when the hour (or the day) was not published."""
        return self.hour is None

    def label(self) -> str:
        return _moment_label(self.day, self.hour, self.day_known)

    def approximation(self) -> str | None:
        """What a countdown to this event really counts to, when the hour is unknown; None when it is known."""
        if not self.day_known:
            return _("jour non communiqué : compté jusqu'au début du mois")
        if self.hour is None:
            return _("heure non communiquée : compté jusqu'au début de ce jour")
        return None

    def change_label(self) -> str | None:
        """"reportée au 20/09/2023 (heure non communiquée), au lieu du 28/04/2023 à 14:00" for a moved date (the
        latest move, from the date it replaced); None when the date never moved."""
        if not self.changes:
            return None
        last = self.changes[-1]
        text = _("reportée au {new}, au lieu du {previous}") if last.postponed else _(
            "avancée au {new}, au lieu du {previous}")
        if last.hour is None and last.previous_hour is None and last.day_known and last.previous_day_known:
            # Said once, as everywhere else (a card, a table row): not « (heure non communiquée) » after each date.
            return text.format(new=last.day.strftime("%d/%m/%Y"), previous=last.previous_day.strftime("%d/%m/%Y")) + _(
                " (heure non communiquée, avant comme après)")
        return text.format(new=last.new_label(), previous=last.previous_label())

    def change_details(self) -> list[str]:
        """Each move of the date, oldest first, with when it was announced and its source: what a tooltip shows."""
        return [_("{previous} → {new} ({announced}) : {source}").format(
            previous=change.previous_label(), new=change.new_label(), announced=change.announced_label(),
            source=change.source) for change in self.changes]


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
    # real time until `event` (zero once the start of its day has come: `closing_uncertain`), or since the guichet
    # counts as closed; None without an event
    delta: timedelta | None
    urgency: Urgency  # how close the closing is; DISTANT when no closing is known
    # open, on the day (or in the month) of a closing whose hour (or day) was not published: it may close at any moment
    closing_uncertain: bool = False

    def note(self) -> str | None:
        """What the shown time really means when the hour of `event` is unknown; None when it is known."""
        if self.event is None or not self.event.approximate:
            return None
        month = not self.event.day_known
        if self.state is GuichetState.CLOSED:
            return (_("jour non communiqué : tenu pour fermé à la fin du mois") if month
                    else _("heure non communiquée : tenu pour fermé à la fin de ce jour"))
        if self.closing_uncertain:
            return (_("jour non communiqué : peut fermer à tout moment ce mois-ci, tenu pour ouvert jusqu'à sa fin")
                    if month else _("heure non communiquée : peut fermer à tout moment aujourd'hui, tenu pour ouvert "
                                    "jusqu'à la fin de ce jour"))
        return self.event.approximation()

    def time_label(self) -> str | None:
        """"ferme aujourd'hui" or "ferme ce mois-ci" while `closing_uncertain`, where a countdown has nothing left
        to count; None otherwise."""
        if not self.closing_uncertain or self.event is None:
            return None
        return _("ferme ce mois-ci") if not self.event.day_known else _("ferme aujourd'hui")


@dataclass(frozen=True, slots=True)
class Guichet:
    vague: str
    couloir: str
    type: str
    opening: Event | None
    closing: Event | None
    couloir_name: str | None = None  # the couloir's name in this vague when it is not its code (vague 2 RAD: Imagerie)

    @property
    def software_kind(self) -> str | None:
        """The software kind its events are specific to (vague 2 HOP: DPI, PFI); None when they apply to all."""
        return next((e.software_kind for e in (self.opening, self.closing) if e is not None and e.software_kind), None)

    def title(self, *, named: bool = False) -> str:
        """"HOP avance", "HOP avance (DPI)": how a guichet is named in lists and notifications; `named` adds the
        vague's own name of the couloir where it has one ("RAD (Imagerie) avance")."""
        name = f"{self.couloir_label() if named else self.couloir} {type_label(self.type)}"
        return f"{name} ({self.software_kind})" if self.software_kind else name

    def couloir_label(self) -> str:
        """"RAD (Imagerie)" where the vague names the couloir otherwise; the code alone elsewhere."""
        return f"{self.couloir} ({self.couloir_name})" if self.couloir_name else self.couloir

    def is_closed(self, at: datetime) -> bool:
        """Closed from the closing minute itself; with an unknown hour, only once its day (or month) is over."""
        return self.closing is not None and _utc(at) >= _utc(self.closing.latest)

    def is_not_open_yet(self, at: datetime) -> bool:
        """Before the opening minute; with an unknown hour, before the start of its day (or month)."""
        return self.opening is not None and _utc(at) < _utc(self.opening.instant)

    def status(self, at: datetime) -> GuichetStatus:
        """Its state at `at` and the real time to its next event (or since its closing), DST included.

        The urgency counts to the closing's `instant` (the start of its day when the hour is unknown), the
        state to its `latest`: in between, the guichet is open, urgent, with no time left to count.
        """
        if self.closing is not None and self.is_closed(at):
            return GuichetStatus(GuichetState.CLOSED, self.closing, remaining(at, self.closing.latest), Urgency.CLOSED)
        left = remaining(self.closing.instant, at) if self.closing else None
        uncertain = left is not None and left <= timedelta(0)  # the closing's day has begun, its hour unknown
        level = Urgency.DISTANT if left is None else Urgency.URGENT if uncertain else urgency(left)
        if self.opening is not None and self.is_not_open_yet(at):
            return GuichetStatus(GuichetState.NOT_OPEN_YET, self.opening, remaining(self.opening.instant, at), level)
        return GuichetStatus(GuichetState.OPEN, self.closing, timedelta(0) if uncertain else left, level,
                             closing_uncertain=uncertain)


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
    # (vague, couloir) -> the couloir's name in that vague, where it is not its code (`noms_couloirs` in the files)
    couloir_names: dict[tuple[str, str], str] = field(default_factory=dict, compare=False)
    _memo: dict[tuple[str, str, str, str | None], Guichet | None] = field(default_factory=dict, compare=False, repr=False)

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
        return Guichet(vague, couloir, kind, opening, closing, self.couloir_names.get((vague, couloir)))

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
    """The guichets among `keys` still open at `at` that close soonest (empty: none left).

    Several guichets often close at the same instant (the BIO, HOP and MDV avances of vague 1
    on 30/11/2022 at 14:00): all of them are returned, in the order of `keys`, so a deadline is
    never shown for one couloir while hiding another's. A closing of unknown hour is counted
    from the start of its day, but the guichet stays among them until that day is over
    (`Guichet.is_closed`): on that day the countdown is spent, the guichet not yet closed.
    """
    upcoming: dict[Guichet, datetime] = {}
    for key in keys:
        guichet = calendar.guichet(*key)
        if guichet is not None and guichet.closing is not None and not guichet.is_closed(at):
            upcoming.setdefault(guichet, _utc(guichet.closing.instant))
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
    names: dict[tuple[str, str], str] = {}
    for path in calendar_files():
        data = load_override(path) if path.parent == user_folder else load_json(path)
        events += _checked_events(path, data)
        vague = str(data["vague"])
        names.update(((vague, couloir), entry["nom"]) for couloir, entry in data.get("noms_couloirs", {}).items())
        if vague in files:
            raise InputError(_("Les fichiers de calendrier « {first} » et « {second} » décrivent tous deux la vague "
                               "{vague} : gardez-en un seul (un fichier par vague), puis relancez.").format(
                first=files[vague].path, second=path, vague=vague))
        files[vague] = CalendarFile(path, vague, path.parent == user_folder)
    return Calendar(tuple(events), tuple(sorted(files.values(), key=lambda f: (len(f.vague), f.vague))),  # 2 before 10
                    names)


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
        raise InputError(_("Impossible d'enregistrer le calendrier dans « {folder} » ({reason}). {advice}").format(
            folder=target.parent, reason=reason(exc), advice=advice_write(exc))) from None
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
                problem=refused, path=target, reason=reason(exc))) from None
        reload_calendar()
        raise
    return next(f for f in load_calendar().files if f.vague == vague)


def _checked_events(path: Path, data: Any) -> list[Event]:
    """The file's events, once it fits the schema and its dates exist; a French InputError naming it otherwise."""
    schema = load_json(resources_dir() / SCHEMA)
    errors = schema_errors(data, schema)
    error = min(errors, key=lambda e: [(isinstance(p, int), p) for p in e.absolute_path], default=None)  # the first
    if error is not None and (newer := newer_format(data, schema)) is not None:
        raise InputError(_("Le fichier de calendrier « {path} » ne peut pas être lu : {problem}").format(
            path=path, problem=newer))
    if error is not None:
        match list(error.absolute_path):
            case ["evenements", int(index), *_rest]:
                prefix = _("événement n° {n} : ").format(n=index + 1)
            case _:
                prefix = ""
        raise InputError(_("Le fichier de calendrier « {path} » est mal formé : {prefix}{problem} Corrigez-le, ou "
                           "supprimez-le pour revenir au calendrier fourni avec l'application.").format(
            path=path, prefix=prefix, problem=describe(error)))
    return well_formed(path, partial(_events, data))


class _Moment(NamedTuple):
    day: date
    hour: time | None
    day_known: bool


def _moment(day_text: str, hour_text: str | None) -> _Moment:
    """A date ("2022-11-30", or "2023-05" for a month) and an hour ("14:00" or None) as read from a file."""
    day_known = len(day_text) == len("2022-11-30")
    if not day_known and hour_text:
        raise ValueError(_("l'événement du {month} a une heure mais pas de jour").format(month=day_text))
    try:
        day = date.fromisoformat(day_text if day_known else day_text + "-01")
    except ValueError:  # the schema checked the shape: « 2022-11-31 » is what is left
        raise ValueError(_("la date « {day} » n'existe pas dans le calendrier").format(day=day_text)) from None
    return _Moment(day, time.fromisoformat(hour_text) if hour_text else None, day_known)


def _changes(entry: dict[str, Any], moment: _Moment) -> tuple[DateChange, ...]:
    """The event's `modifications`, checked to form one chain that ends on the event's own date and hour."""
    changes: list[DateChange] = []
    for item in entry.get("modifications", ()):
        before, after = _moment(item["date_precedente"], item["heure_precedente"]), _moment(item["date"], item["heure"])
        if changes and before != (changes[-1].day, changes[-1].hour, changes[-1].day_known):
            raise ValueError(_("la modification du {day} de l'événement « {couloir} {type} » ne part pas de la date où "
                               "la précédente a abouti").format(day=item["date"], couloir=entry["couloir"],
                                                                 type=entry["type"]))
        if item["annoncee_le"]:
            date.fromisoformat(item["annoncee_le"] if len(item["annoncee_le"]) == 10 else item["annoncee_le"] + "-01")
        changes.append(DateChange(*before, *after, item["annoncee_le"], item["source"]))
    if changes and (changes[-1].day, changes[-1].hour, changes[-1].day_known) != moment:
        raise ValueError(_("la dernière modification de l'événement « {couloir} {type} » aboutit au {day}, pas à la "
                           "date et l'heure de l'événement").format(day=changes[-1].new_label(),
                                                                    couloir=entry["couloir"], type=entry["type"]))
    return tuple(changes)


def _events(data: dict[str, Any]) -> list[Event]:
    events = []
    for entry in data["evenements"]:
        moment = _moment(entry["date"], entry["heure"])
        events.append(Event(
            vague=str(data["vague"]),
            couloir=entry["couloir"],
            type=entry["type"],
            event=entry["evenement"],
            day=moment.day,
            hour=moment.hour,
            software_kind=entry.get("type_logiciel"),
            source=entry["source"],
            day_known=moment.day_known,
            changes=_changes(entry, moment),
        ))
    return events
