"""`calendar`: each guichet's state at an instant, with the time left (or elapsed), and the files in force.

Exit status: 0 (a listing has nothing to fail); 2 when a calendar file or
the workspace cannot be used.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from segur_desktop.cli.common import EXIT_OK, add_format_option, instant, print_json
from segur_desktop.core.calendar import (
    PARIS,
    CalendarFile,
    Event,
    Guichet,
    GuichetState,
    GuichetStatus,
    format_instant,
    load_calendar,
    type_label,
)
from segur_desktop.core.countdown import format_remaining
from segur_desktop.core.i18n import _
from segur_desktop.core.workspace import Workspace, load_workspace


def register(commands: argparse._SubParsersAction) -> None:
    calendar = commands.add_parser("calendar", help=_("état de chaque guichet (ouvert, fermé…) et temps restant"))
    calendar.add_argument("--at", type=instant, metavar=_("INSTANT"),
                          help=_("instant auquel juger les guichets : JJ/MM/AAAA, JJ/MM/AAAA HH:MM (heure de "
                                 "Paris) ou ISO 8601 ; défaut : la date_controle du dossier de travail si elle "
                                 "existe, sinon maintenant"))
    calendar.add_argument("--workspace", "-w", type=Path, metavar=_("DOSSIER"),
                          help=_("ne montrer que les guichets des couloirs de ce dossier de travail (défaut : tous)"))
    add_format_option(calendar)
    calendar.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    workspace = load_workspace(args.workspace) if args.workspace else None
    at = (args.at or (workspace.judged_at if workspace else None) or datetime.now(PARIS)).astimezone(PARIS)
    calendar = load_calendar()
    guichets = calendar.concerning(workspace.solutions) if workspace else calendar.guichets()
    rows = [(guichet, guichet.status(at)) for guichet in guichets]
    if args.format == "json":
        print_json({
            "at": at.isoformat(),
            "workspace": workspace.name if workspace else None,
            "files": [{"vague": f.vague, "file": str(f.path), "origin": f.origin(), "user_override": f.user_override}
                      for f in calendar.files],
            "guichets": [_json(guichet, status) for guichet, status in rows],
        })
    else:
        sys.stdout.write("\n".join(_text(at, workspace, rows, calendar.files)) + "\n")
    return EXIT_OK


def _event_json(event: Event | None) -> dict[str, Any] | None:
    if event is None:
        return None
    return {"date": event.day.isoformat() if event.day_known else event.day.strftime("%Y-%m"),
            "time": event.hour.strftime("%H:%M") if event.hour else None,
            "instant": event.instant.isoformat(),  # what countdowns count to
            "latest": event.latest.isoformat(),  # closed from here (a closing of unknown hour: the end of its day)
            "label": event.label(), "source": event.source,
            "changes": [{"previous_date": _date_json(c.previous_day, c.previous_day_known),
                         "previous_time": c.previous_hour.strftime("%H:%M") if c.previous_hour else None,
                         "date": _date_json(c.day, c.day_known), "time": c.hour.strftime("%H:%M") if c.hour else None,
                         "postponed": c.postponed, "announced": c.announced, "source": c.source}
                        for c in event.changes],
            "change_label": event.change_label()}


def _date_json(day: date, day_known: bool) -> str:
    return day.isoformat() if day_known else day.strftime("%Y-%m")


def _json(guichet: Guichet, status: GuichetStatus) -> dict[str, Any]:
    return {
        "vague": guichet.vague, "couloir": guichet.couloir, "couloir_name": guichet.couloir_name, "type": guichet.type,
        "software_kind": guichet.software_kind, "state": status.state.value, "state_label": status.state.label(),
        "urgency": status.urgency.value, "opening": _event_json(guichet.opening), "closing": _event_json(guichet.closing),
        "counts_to": status.event.event if status.event else None,  # "ouverture" or "fermeture"
        # open on the day of a closing whose hour was not published: it may close at any moment ("seconds" is 0)
        "closing_uncertain": status.closing_uncertain, "note": status.note(),
        # until that event; since it once the guichet is closed
        "seconds": int(status.delta.total_seconds()) if status.delta is not None else None,
        "duration": format_remaining(status.delta) if status.delta is not None else None,
    }


def _when(status: GuichetStatus) -> tuple[str, str]:
    """(the event that matters, the time to it or since it) in French; a moved date says so, with the former one."""
    if status.event is None:
        return _("fermeture non publiée"), "—"
    left = format_remaining(status.delta)
    moved = status.event.change_label()
    if status.state is GuichetState.NOT_OPEN_YET:
        when = (_("ouverture {moved}").format(moved=moved) if moved
                else _("ouverture : {when}").format(when=status.event.label()))
        return when, _("dans {left}").format(left=left)
    when = _("fermeture {moved}").format(moved=moved) if moved else _("fermeture : {when}").format(
        when=status.event.label())
    if status.state is GuichetState.CLOSED:
        return when, _("depuis {left}").format(left=left)
    return when, status.time_label() or _("reste {left}").format(left=left)


def _event_name(name: str) -> str:
    """"fermeture", "ouverture": an event's kind as said in a sentence."""
    return {"ouverture": _("ouverture"), "fermeture": _("fermeture")}.get(name, name)


def _text(at: datetime, workspace: Workspace | None, rows: list[tuple[Guichet, GuichetStatus]],
          files: tuple[CalendarFile, ...]) -> list[str]:
    scope = (_("des couloirs du dossier « {name} »").format(name=workspace.name) if workspace
             else _("de tous les couloirs"))
    lines = [_("Guichets {scope} au {at} (heure de Paris)").format(scope=scope, at=format_instant(at, seconds=True)), ""]
    if not rows:
        lines.append(_("Aucun guichet connu pour ces couloirs : importez un calendrier à jour."))
    else:
        table = [(_("Vague"), _("Couloir"), _("Guichet"), _("État"), _("Échéance"), _("Temps"))]
        table += [(g.vague, g.couloir_label(),
                   type_label(g.type) + (f" ({g.software_kind})" if g.software_kind else ""), s.state.label(), *_when(s))
                  for g, s in rows]
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
        lines += ["  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
                  for row in table]
    notes = {status.note() for _guichet, status in rows} - {None}
    if notes:
        lines += ["", *(f"{note[:1].upper()}{note[1:]}." for note in sorted(notes))]
    moved = [(g, e) for g, _status in rows for e in dict.fromkeys((g.opening, g.closing)) if e and e.changes]
    if moved:
        lines += ["", _("Dates déplacées (sources : --format json) :")]
        lines += [_("  vague {vague} {guichet} : {event} {moved} ({announced})").format(
            vague=g.vague, guichet=g.title(), event=_event_name(e.event), moved=e.change_label(),
            announced=e.changes[-1].announced_label()) for g, e in moved]
    lines += ["", _("Calendriers en vigueur :")]
    lines += [_("  vague {vague} — {origin} : {path}").format(vague=f.vague, origin=f.origin(), path=f.path)
              for f in files]
    return lines
