"""The `segur-desktop` command: a thin face on `segur_desktop.core`.

Each command lives in its own module and registers itself here; all share
one rule for exit statuses: 0 all good, 1 problems found (reported), 2 an
input cannot be used (a French paragraph on stderr, never a traceback), 3 a
bug (a French paragraph; the traceback goes to the log file, for support).
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module
from typing import NoReturn

from segur_desktop import __version__
from segur_desktop.cli import french_argparse
from segur_desktop.cli.common import EXIT_BUG, EXIT_OK, EXIT_UNUSABLE, terminal_output
from segur_desktop.core.errors import Cancelled, InputError
from segur_desktop.core.i18n import _

# Each command and the module that registers it. A command imports only its own module: the others
# bring the export, the register, openpyxl… which `validate` never uses (0.07 s of every run).
COMMANDS = {
    "validate": "batch", "build": "batch", "mapping": "mapping", "schemas": "schemas", "calendar": "calendar",
    "export": "export", "verify": "export", "register": "register", "template": "template", "format": "format",
}
# Commands whose process has nothing left to do once they return: run as the command itself, they end it at once
# (`_end_process`).
ENDS_AT_ONCE = frozenset({"validate", "build"})


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of `command` alone when it is one of COMMANDS; of every command otherwise (help, a typo)."""
    french_argparse.install()
    parser = argparse.ArgumentParser(
        prog="segur-desktop",
        description=_("Prépare et vérifie les demandes de financement Ségur numérique à partir de vos tableurs."))
    parser.add_argument("--version", action="version", version=f"segur-desktop {__version__}")
    commands = parser.add_subparsers(dest="command", metavar=_("COMMANDE"))
    modules = [COMMANDS[command]] if command in COMMANDS else COMMANDS.values()
    for module in dict.fromkeys(modules):
        import_module(f"segur_desktop.cli.{module}").register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(next((word for word in words if not word.startswith("-")), None))
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_OK
    with terminal_output():  # a cell's control characters are shown, never obeyed by the terminal
        status = _run(handler, args)
    if argv is None and args.command in ENDS_AT_ONCE:  # the process is this command (not a test calling main)
        _end_process(status)
    return status


def _end_process(status: int) -> NoReturn:
    """Exit with `status` once stdout and stderr are flushed, without the interpreter's teardown.

    Tearing down frees every object still alive one by one, and its final collection walks the
    reference cycles a run leaves (the client index and its 20k records): 0.05 s of a 20k-row
    `validate`, for memory the operating system takes back anyway (the command keeps its result on
    `args`, so that it is not freed either when the command returns). Nothing else is pending when
    validate or build returns: their files are written and closed, the log's handler flushes each
    record as it writes it, and they start no thread and register no exit handler.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader left (`| head`) or closed the stream: nothing left to say
            pass
    os._exit(status)


def _run(handler, args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except InputError as error:
        sys.stderr.write(_("Erreur : {message}").format(message=error) + "\n")
        return EXIT_UNUSABLE
    except Cancelled:
        sys.stderr.write(_("Opération annulée.") + "\n")
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        sys.stderr.write("\n" + _("Opération interrompue.") + "\n")
        return 130
    except BrokenPipeError:  # the reader stopped early (`| head`): nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        from segur_desktop.applog import log, setup_logging  # only a bug needs the log (logging: 0.01 s of a start)

        log_path = setup_logging()
        log.exception("Erreur inattendue (%s)", " ".join(sys.argv))
        sys.stderr.write(_("Erreur inattendue ({kind} : {detail}). Vos fichiers n'ont pas été modifiés. Le détail est "
                           "enregistré dans le journal « {path} » : joignez-le à votre demande d'assistance.").format(
            kind=type(exc).__name__, detail=exc, path=log_path) + "\n")
        return EXIT_BUG
