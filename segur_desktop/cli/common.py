"""What every command shares: exit statuses, the progress bar, instants, JSON output, the schemas and the
Suivi register a command checks against, and output that a cell cannot turn into terminal commands."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TextIO

from segur_desktop.core.calendar import NonexistentTime, paris_time, parse_instant
from segur_desktop.core.i18n import _
from segur_desktop.core.progress import Progress
from segur_desktop.core.register import register_for
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.store import Register
from segur_desktop.core.validate.schemas import SchemaRegistry
from segur_desktop.core.workspace import Workspace, load_workspace

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, EXIT_BUG = 0, 1, 2, 3

# What a terminal would obey rather than show (issue #17): C0 controls but tab and newline (ESC starts colour,
# cursor, title and OSC 8 link sequences; CR and BS overwrite what was printed), DEL, C1 controls (U+009B is a
# one-character CSI) and the bidirectional overrides that display text in another order than it is.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # json.dumps escapes C0 itself


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """`text` with every character a terminal would obey written out as `\\x1b`, `\\u202e`…: a cell's content is
    shown, never executed. Tab and newline are kept."""
    return _UNSAFE.sub(_escaped, text)


class TerminalText:
    """A text stream (stdout, stderr) that writes everything through `terminal_safe`."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(terminal_safe(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding…
        return getattr(self.stream, name)


def raw_stream(stream: TextIO) -> TextIO:
    """The stream under a `TerminalText`, for this module's own control sequences (the progress bar's CR)."""
    return stream.stream if isinstance(stream, TerminalText) else stream


@contextmanager
def terminal_output() -> Iterator[None]:
    """While a command runs, what it prints on stdout and stderr cannot drive the terminal.

    Cell values, sheet and file names reach the text reports and the error
    messages; an ESC or OSC sequence in one of them would otherwise recolour,
    retitle or rewrite the user's terminal. JSON output (`print_json`) is escaped
    the same way, and stays valid JSON.
    """
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalText(raw_stream(stdout)), TerminalText(raw_stream(stderr))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr


class TextProgress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()

    def __call__(self, progress: Progress) -> None:
        if not self.enabled:
            return
        stage = terminal_safe(progress.stage)[:40]  # it names a file; the CRs below are the bar's own
        if progress.total:
            filled = int(30 * progress.done / progress.total)
            bar = "█" * filled + "·" * (30 - filled)
            text = f"\r{stage:<40} {bar} {progress.done}/{progress.total}"
        else:
            text = f"\r{stage:<40} {progress.done}"
        stream = raw_stream(sys.stderr)
        stream.write(text[:120])
        if progress.total and progress.done >= progress.total:
            stream.write("\r" + " " * 120 + "\r")
        stream.flush()


FRENCH_INSTANTS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")  # as users write them, Paris time


def instant(text: str) -> datetime:
    """`--at`: « 25/11/2022 », « 25/11/2022 10:00 » (or « 10h00 », « à 10:00 » as the reports print it),
    « 25/11/2022 10:00:30 » in Paris time, or ISO 8601 (without an offset, Paris time too). A Paris time the spring
    change skips is refused, saying so."""
    value = re.sub(r"\s+à\s+", " ", text.strip())
    value = re.sub(r"(\d{1,2})\s*h\s*(\d{2})?$", lambda m: f"{m[1]}:{m[2] or '00'}", value)
    naive = None
    for pattern in FRENCH_INSTANTS:
        try:
            naive = datetime.strptime(value, pattern)
            break
        except ValueError:
            continue
    try:
        return paris_time(naive) if naive is not None else parse_instant(value)
    except NonexistentTime as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("« {text} » n'est pas une date reconnue : écrivez JJ/MM/AAAA ou JJ/MM/AAAA HH:MM, heure de Paris "
              "(ex. 25/11/2022 10:00), ou un instant ISO 8601 (ex. 2022-11-30T13:59:00+01:00)").format(
                text=text)) from None


def print_json(data: Any) -> None:
    """`data` as JSON on stdout; json escapes C0 controls, and C1 controls and bidirectional overrides are escaped
    here (`\\u009b`), so that no string in it can drive the terminal."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    sys.stdout.write(_UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def add_format_option(parser: argparse.ArgumentParser, what: str | None = None) -> None:
    """`--format text|json`, the same on every command (`what`: "rapport", "compte rendu"…)."""
    label = _("format du {what}").format(what=what) if what else _("format")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help=_("{label} (défaut : text)").format(label=label))


def schema_registry(args: argparse.Namespace) -> SchemaRegistry:
    """The schemas in force, with the workspace's own (`--workspace`) when one is given."""
    return SchemaRegistry.default(load_workspace(args.workspace).folder if args.workspace else None)


def add_option(parser: Any, *names: str, french: str, **kwargs: Any) -> argparse.Action:
    """An option named in English (`names`, shown in --help) that also answers to its former French spelling
    (`french`, hidden), so that the scripts written before the options were all English keep working.

    `parser` is a parser or an argument group. The French spelling is a second action writing the same `dest`
    with its help suppressed; a required option becomes a required pair of which exactly one is given."""
    required = kwargs.pop("required", False)
    target = parser.add_mutually_exclusive_group(required=True) if required else parser
    action = target.add_argument(*names, **kwargs)
    hidden = {key: value for key, value in kwargs.items() if key not in ("help", "default")}
    target.add_argument(french, **hidden | {"dest": action.dest, "help": argparse.SUPPRESS, "default": argparse.SUPPRESS})
    return action


def add_command(commands: argparse._SubParsersAction, name: str, *, french: str, help: str,
                build: Callable[[argparse.ArgumentParser], None]) -> None:
    """A subcommand named in English (listed in --help) that also answers to its former French name (unlisted: a
    parser added without help is not shown), both parsers made by `build`."""
    build(commands.add_parser(name, help=help))
    build(commands.add_parser(french))


def add_no_register_option(parser: argparse.ArgumentParser) -> None:
    add_option(parser, "--no-register", french="--sans-suivi", action="store_true",
               help=_("ne pas comparer aux demandes déjà exportées (registre de suivi)"))


def index_for(workspace: Workspace, args: argparse.Namespace) -> RegisterIndex | None:
    """The snapshot validation compares with (validate, build, export), unless --no-register or no vendor."""
    if getattr(args, "no_register", False) or workspace.vendor is None:
        return None
    register = register_for(workspace)
    say_recovered(register)
    return RegisterIndex.of(register)


def say_recovered(register: Register) -> None:
    """Exports a kill left out of the register, recorded when it opened (core/register/journal.py): said on stderr."""
    if register.recovered:
        sys.stderr.write("\n".join(register.recovered) + "\n")
