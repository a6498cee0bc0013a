"""What every command shares: exit statuses, the progress bar, instants, JSON output, the schemas and the
Suivi register a command checks against."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any

from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.i18n import _
from segur_desktop.core.progress import Progress
from segur_desktop.core.register import register_for
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.validate.schemas import SchemaRegistry
from segur_desktop.core.workspace import Workspace, load_workspace

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, EXIT_BUG = 0, 1, 2, 3


class TextProgress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()

    def __call__(self, progress: Progress) -> None:
        if not self.enabled:
            return
        if progress.total:
            filled = int(30 * progress.done / progress.total)
            bar = "█" * filled + "·" * (30 - filled)
            text = f"\r{progress.stage[:40]:<40} {bar} {progress.done}/{progress.total}"
        else:
            text = f"\r{progress.stage[:40]:<40} {progress.done}"
        sys.stderr.write(text[:120])
        if progress.total and progress.done >= progress.total:
            sys.stderr.write("\r" + " " * 120 + "\r")
        sys.stderr.flush()


def instant(text: str) -> datetime:
    try:
        return parse_instant(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("« {text} » n'est pas un instant ISO 8601 (ex. 2022-11-30T13:59:00+01:00)").format(text=text)) from None


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def add_format_option(parser: argparse.ArgumentParser, what: str | None = None) -> None:
    """`--format text|json`, the same on every command (`what`: "rapport", "compte rendu"…)."""
    label = _("format du {what}").format(what=what) if what else _("format")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help=_("{label} (défaut : text)").format(label=label))


def schema_registry(args: argparse.Namespace) -> SchemaRegistry:
    """The schemas in force, with the workspace's own (`--workspace`) when one is given."""
    return SchemaRegistry.default(load_workspace(args.workspace).folder if args.workspace else None)


def add_no_register_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sans-suivi", action="store_true",
                        help=_("ne pas comparer aux demandes déjà exportées (registre de suivi)"))


def index_for(workspace: Workspace, args: argparse.Namespace) -> RegisterIndex | None:
    """The snapshot validation compares with (validate, build, export), unless --sans-suivi or no vendor."""
    if getattr(args, "sans_suivi", False) or workspace.vendor is None:
        return None
    return RegisterIndex.of(register_for(workspace))
