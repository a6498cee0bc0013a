"""The `segur-desktop` command: a thin face on `segur_desktop.core`.

Exit status: 0 every demande valid, 1 some problems (outputs are still
written for the valid demandes), 2 an input cannot be used (a French
paragraph on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from segur_desktop import __version__
from segur_desktop.core.calendar import PARIS, parse_instant
from segur_desktop.core.errors import Cancelled, InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.pipeline import PipelineResult, run_pipeline, write_outputs
from segur_desktop.core.progress import Progress
from segur_desktop.core.workspace import Vendor, Workspace, load_workspace

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2


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


def _instant(text: str) -> datetime:
    try:
        return parse_instant(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("« {text} » n'est pas un instant ISO 8601 (ex. 2022-11-30T13:59:00+01:00)").format(text=text)) from None


def _add_inputs(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(_("entrées"))
    group.add_argument("--workspace", "-w", type=Path, metavar=_("DOSSIER"),
                       help=_("dossier de travail (contient workspace.json)"))
    group.add_argument("--clients", type=Path, metavar=_("FICHIER"), help=_("liste des clients (.xlsx, .xls, .ods, .csv)"))
    group.add_argument("--bdc", type=Path, metavar=_("FICHIER"), help=_("liste des bons de commande"))
    group.add_argument("--pieces", type=Path, metavar=_("DOSSIER"), help=_("dossier des PDF (pièces justificatives)"))
    group.add_argument("--editeur-nom", metavar=_("NOM"), help=_("raison sociale de l'éditeur (sans dossier de travail)"))
    group.add_argument("--editeur-siret", metavar="SIRET", help=_("SIRET de l'éditeur (sans dossier de travail)"))
    parser.add_argument("--at", type=_instant, metavar="ISO_DATETIME",
                        help=_("instant auquel juger les échéances (défaut : maintenant, heure de Paris)"))
    parser.add_argument("--format", choices=("text", "json"), default="text", help=_("format du rapport (défaut : text)"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="segur-desktop",
        description=_("Prépare et vérifie les demandes de financement Ségur numérique à partir de vos tableurs."))
    parser.add_argument("--version", action="version", version=f"segur-desktop {__version__}")
    commands = parser.add_subparsers(dest="command", metavar=_("COMMANDE"))
    validate = commands.add_parser("validate", help=_("vérifier les demandes sans rien écrire"))
    _add_inputs(validate)
    build = commands.add_parser("build", help=_("écrire les fichiers JSON par couloir et le rapport"))
    _add_inputs(build)
    build.add_argument("--out", type=Path, metavar=_("DOSSIER"),
                       help=_("dossier de sortie (défaut : celui du dossier de travail)"))
    build.add_argument("--max-per-file", type=int, metavar="N", help=_("au plus N demandes par fichier JSON"))
    return parser


def _workspace(args: argparse.Namespace) -> Workspace:
    """The workspace, with --clients/--bdc/--pieces overriding its inputs."""
    if args.workspace is not None:
        workspace = load_workspace(args.workspace)
    elif args.clients is None or args.bdc is None:
        raise InputError(_("Indiquez un dossier de travail (--workspace DOSSIER), ou les deux listes : "
                           "--clients FICHIER et --bdc FICHIER."))
    else:
        vendor = Vendor(args.editeur_nom, args.editeur_siret) if args.editeur_nom and args.editeur_siret else None
        return Workspace(None, args.bdc.stem, vendor, (), args.clients, args.bdc, args.pieces, None)
    overrides = {k: v for k, v in (("clients", args.clients), ("bdc", args.bdc), ("pieces", args.pieces)) if v}
    return replace(workspace, **overrides)


def _print_report(result: PipelineResult, fmt: str) -> None:
    if fmt == "json":
        json.dump(result.report_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(result.report_text())


def _run(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    at = args.at or workspace.judged_at or datetime.now(PARIS)
    result = run_pipeline(workspace, at, progress=TextProgress())
    if args.command == "build":
        out = args.out or workspace.output
        if out is None:
            raise InputError(_("Indiquez le dossier de sortie avec --out DOSSIER."))
        if args.max_per_file is not None and args.max_per_file < 1:
            raise InputError(_("--max-per-file doit être un nombre entier positif."))
        try:
            write_outputs(result, out, args.max_per_file)
        except OSError as exc:
            raise InputError(_("Impossible d'écrire dans « {out} » ({reason}). Choisissez un dossier où vous "
                               "avez le droit d'écrire.").format(out=out, reason=exc.strerror or exc)) from None
    _print_report(result, args.format)
    return EXIT_PROBLEMS if result.has_errors else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        return _run(args)
    except InputError as error:
        sys.stderr.write(_("Erreur : {message}").format(message=error) + "\n")
        return EXIT_UNUSABLE
    except Cancelled:
        sys.stderr.write(_("Opération annulée.") + "\n")
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        sys.stderr.write("\n" + _("Opération interrompue.") + "\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
