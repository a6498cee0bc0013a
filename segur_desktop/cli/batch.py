"""`validate` and `build`: the pipeline from spreadsheets to deposit files.

Exit status: 0 every demande valid, 1 some problems (outputs are still
written for the valid demandes), 2 an input cannot be used.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from segur_desktop.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    TextProgress,
    add_format_option,
    add_no_register_option,
    add_option,
    index_for,
    instant,
    print_json,
)
from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.oserrors import cannot_write, check_output_folder
from segur_desktop.core.pipeline import PipelineResult, run_pipeline, write_outputs
from segur_desktop.core.profiles import find_profile, load_profile
from segur_desktop.core.workspace import Vendor, Workspace, load_workspace


def register(commands: argparse._SubParsersAction) -> None:
    validate = commands.add_parser("validate", help=_("vérifier les demandes sans rien écrire"))
    _add_inputs(validate)
    validate.set_defaults(handler=_run)
    build = commands.add_parser("build", help=_("écrire les fichiers JSON par couloir et le rapport"))
    _add_inputs(build)
    build.add_argument("--out", type=Path, metavar=_("DOSSIER"),
                       help=_("dossier de sortie (défaut : celui du dossier de travail)"))
    build.add_argument("--max-per-file", type=int, metavar="N", help=_("au plus N demandes par fichier JSON"))
    build.set_defaults(handler=_run)


def _add_inputs(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(_("entrées"))
    group.add_argument("--workspace", "-w", type=Path, metavar=_("DOSSIER"),
                       help=_("dossier de travail (contient workspace.json)"))
    group.add_argument("--clients", type=Path, metavar=_("FICHIER"), help=_("liste des clients (.xlsx, .xls, .ods, .csv)"))
    group.add_argument("--bdc", type=Path, metavar=_("FICHIER"), help=_("liste des bons de commande"))
    add_option(group, "--attachments", french="--pieces", type=Path, metavar=_("DOSSIER"),
               help=_("dossier des PDF (pièces justificatives)"))
    add_option(group, "--vendor-name", french="--editeur-nom", metavar=_("NOM"),
               help=_("raison sociale de l'éditeur (sans dossier de travail)"))
    add_option(group, "--vendor-siret", french="--editeur-siret", metavar="SIRET",
               help=_("SIRET de l'éditeur (sans dossier de travail)"))
    group.add_argument("--mapping", metavar=_("PROFIL"),
                       help=_("profil de correspondance des colonnes (nom ou chemin) ; remplace celui du dossier de travail"))
    group.add_argument("--clients-sheet", metavar=_("FEUILLE"), help=_("feuille de la liste des clients"))
    group.add_argument("--bdc-sheet", metavar=_("FEUILLE"), help=_("feuille de la liste des bons de commande"))
    parser.add_argument("--at", type=instant, metavar=_("INSTANT"),
                        help=_("instant auquel juger les échéances : JJ/MM/AAAA, JJ/MM/AAAA HH:MM (heure de "
                               "Paris) ou ISO 8601 ; défaut : la date_controle du dossier de travail si elle "
                               "existe, sinon maintenant"))
    add_no_register_option(parser)
    add_format_option(parser, _("rapport"))


def _profile_path(name_or_path: str, workspace_folder: Path | None) -> Path:
    """A file named on the command line is relative to the current folder, like --clients; else find_profile."""
    path = Path(name_or_path).expanduser()
    return path.resolve() if path.is_file() else find_profile(name_or_path, workspace_folder)


def _workspace(args: argparse.Namespace) -> Workspace:
    """The workspace, with --clients/--bdc/--attachments, --mapping and the sheet options overriding it."""
    if args.workspace is not None:
        workspace = load_workspace(args.workspace)
        overrides = {k: v for k, v in (("clients", args.clients), ("bdc", args.bdc), ("pieces", args.attachments)) if v}
        workspace = replace(workspace, **overrides)
    elif args.clients is None or args.bdc is None:
        raise InputError(_("Indiquez un dossier de travail (--workspace DOSSIER), ou les deux listes : "
                           "--clients FICHIER et --bdc FICHIER."))
    else:
        vendor = _vendor(args.vendor_name, args.vendor_siret)
        workspace = Workspace(None, args.bdc.stem, vendor, (), args.clients, args.bdc, args.attachments, None)
    if args.mapping is not None:
        profile = load_profile(_profile_path(args.mapping, workspace.folder))
        workspace = replace(workspace, mapping=profile.columns,
                            clients_sheet=profile.sheets.get("clients", workspace.clients_sheet),
                            bdc_sheet=profile.sheets.get("bdc", workspace.bdc_sheet))
    sheets = {k: v for k, v in (("clients_sheet", args.clients_sheet), ("bdc_sheet", args.bdc_sheet)) if v}
    return replace(workspace, **sheets)


def _vendor(name: str | None, siret: str | None) -> Vendor | None:
    """--vendor-name and --vendor-siret, checked by the core as a workspace's vendor is (`check_vendor`: the
    SIRET's key, the name's length), so a SIRET with a wrong key never reaches a deposit file. Neither: no vendor."""
    if name is None and siret is None:
        return None
    from segur_desktop.core.workspace_form import check_vendor  # the window's form checks: only for these options

    problems = check_vendor(name or "", siret or "")
    if problems:
        raise InputError(_("L'éditeur indiqué par --vendor-name et --vendor-siret ne peut pas être utilisé : "
                           "{why}").format(why=" ".join(problems.values())))
    return Vendor((name or "").strip(), "".join((siret or "").split()))


def _print_report(result: PipelineResult, fmt: str) -> None:
    if fmt == "json":
        print_json(result.report_json())
    else:
        sys.stdout.write(result.report_text())


def _run(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    at = args.at or workspace.judged_at or datetime.now(PARIS)
    result = run_pipeline(workspace, at, register=index_for(workspace, args), progress=TextProgress())
    if args.command == "build":
        out = args.out or workspace.output
        if out is None:
            raise InputError(_("Indiquez le dossier de sortie avec --out DOSSIER."))
        if args.max_per_file is not None and args.max_per_file < 1:
            raise InputError(_("--max-per-file doit être un nombre entier positif."))
        check_output_folder(out)
        try:
            write_outputs(result, out, args.max_per_file)
        except OSError as exc:
            raise cannot_write(out, exc) from None
    _print_report(result, args.format)
    args.result = result  # alive until `main` returns: a process ending at once never frees its 20k demandes (0.015 s)
    return EXIT_PROBLEMS if result.has_errors else EXIT_OK
