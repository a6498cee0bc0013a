"""The `segur-desktop` command: a thin face on `segur_desktop.core`.

Exit status: 0 every demande valid, 1 some problems (outputs are still
written for the valid demandes), 2 an input cannot be used (a French
paragraph on stderr, never a traceback). `mapping suggest` follows the same
rule: 0 every required column recognised, 1 some missing, 2 unusable file.
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
from segur_desktop.core.profiles import Suggestion, find_profile, load_profile, save_profile, suggest
from segur_desktop.core.progress import Progress
from segur_desktop.core.source import column_letter
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
    group.add_argument("--mapping", metavar=_("PROFIL"),
                       help=_("profil de correspondance des colonnes (nom ou chemin) ; remplace celui du dossier de travail"))
    group.add_argument("--clients-sheet", metavar=_("FEUILLE"), help=_("feuille de la liste des clients"))
    group.add_argument("--bdc-sheet", metavar=_("FEUILLE"), help=_("feuille de la liste des bons de commande"))
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
    mapping = commands.add_parser("mapping", help=_("profils de correspondance des colonnes"))
    mapping.set_defaults(print_help=mapping.print_help)  # `segur-desktop mapping` alone shows its commands
    mapping_commands = mapping.add_subparsers(dest="mapping_command", metavar=_("COMMANDE"))
    suggest_parser = mapping_commands.add_parser(
        "suggest", help=_("reconnaître les colonnes d'un tableur et proposer un profil de correspondance"))
    suggest_parser.add_argument("file", type=Path, metavar=_("FICHIER"), help=_("tableur à examiner"))
    suggest_parser.add_argument("--type", choices=("clients", "bdc"), dest="kind",
                                help=_("liste des clients ou des bons de commande (défaut : reconnue d'après les en-têtes)"))
    suggest_parser.add_argument("--sheet", metavar=_("FEUILLE"), help=_("feuille à examiner (défaut : celle des données)"))
    suggest_parser.add_argument("--format", choices=("text", "json"), default="text", help=_("format (défaut : text)"))
    suggest_parser.add_argument("--save", type=Path, metavar=_("PROFIL.json"),
                                help=_("enregistrer la correspondance dans ce profil (l'autre liste qu'il contient est gardée)"))
    suggest_parser.add_argument("--name", metavar=_("NOM"), help=_("nom du profil enregistré (défaut : nom du fichier)"))
    return parser


def _profile_path(name_or_path: str, workspace_folder: Path | None) -> Path:
    """A file named on the command line is relative to the current folder, like --clients; else find_profile."""
    path = Path(name_or_path).expanduser()
    return path.resolve() if path.is_file() else find_profile(name_or_path, workspace_folder)


def _workspace(args: argparse.Namespace) -> Workspace:
    """The workspace, with --clients/--bdc/--pieces, --mapping and the sheet options overriding it."""
    if args.workspace is not None:
        workspace = load_workspace(args.workspace)
        overrides = {k: v for k, v in (("clients", args.clients), ("bdc", args.bdc), ("pieces", args.pieces)) if v}
        workspace = replace(workspace, **overrides)
    elif args.clients is None or args.bdc is None:
        raise InputError(_("Indiquez un dossier de travail (--workspace DOSSIER), ou les deux listes : "
                           "--clients FICHIER et --bdc FICHIER."))
    else:
        vendor = Vendor(args.editeur_nom, args.editeur_siret) if args.editeur_nom and args.editeur_siret else None
        workspace = Workspace(None, args.bdc.stem, vendor, (), args.clients, args.bdc, args.pieces, None)
    if args.mapping is not None:
        profile = load_profile(_profile_path(args.mapping, workspace.folder))
        workspace = replace(workspace, mapping=profile.columns,
                            clients_sheet=profile.sheets.get("clients", workspace.clients_sheet),
                            bdc_sheet=profile.sheets.get("bdc", workspace.bdc_sheet))
    sheets = {k: v for k, v in (("clients_sheet", args.clients_sheet), ("bdc_sheet", args.bdc_sheet)) if v}
    return replace(workspace, **sheets)


def _print_report(result: PipelineResult, fmt: str) -> None:
    if fmt == "json":
        json.dump(result.report_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(result.report_text())


def _column(suggestion: Suggestion, index: int) -> str:
    return f"{column_letter(index)} « {suggestion.headers[index]} »"


def _suggestion_text(suggestion: Suggestion) -> list[str]:
    spec = suggestion.spec
    lines = [_("Fichier : {file} — feuille « {sheet} », en-têtes ligne {row} ({label})").format(
        file=suggestion.path.name, sheet=suggestion.sheet, row=suggestion.header_row, label=spec.label), "",
        _("Champs :")]
    for name, field in spec.fields.items():
        if name in suggestion.columns:
            where = _column(suggestion, suggestion.columns[name])
        else:
            where = _("— absente") + (_(" (obligatoire)") if field.required else "")
        lines.append(f"  {field.label:<22} {name:<18} {where}")
    unmapped = ", ".join(_column(suggestion, i) for i in suggestion.unmapped) or _("aucune")
    lines += ["", _("Colonnes non utilisées : {columns}").format(columns=unmapped)]
    if suggestion.missing:
        lines += ["", _("Champs obligatoires manquants :")]
    for group in suggestion.missing:
        labels = ", ".join(spec.fields[name].label for name in group)
        title = labels if len(group) == 1 else _("Au moins un parmi {labels}").format(labels=labels)
        close = ", ".join(_column(suggestion, i) for i in suggestion.group_candidates(group))
        line = f"  {title} : " + (_("colonnes proches {close}").format(close=close) if close else _("aucune colonne proche"))
        proposals = [name for name in group if name in suggestion.proposed]
        if len(group) == 1 and proposals:
            line += " → " + _("colonne proposée : {column}").format(column=column_letter(suggestion.proposed[group[0]]))
        elif proposals:
            line += " → " + _("colonnes proposées : {columns}").format(columns=", ".join(_("{column} pour {label}").format(
                column=column_letter(suggestion.proposed[name]), label=spec.fields[name].label) for name in proposals))
        lines.append(line)
    return lines


def _next_step(suggestion: Suggestion, saved: Path | None) -> str:
    if saved is not None:
        check = _(" Vérifiez les colonnes proposées.") if suggestion.proposed else ""
        return _("Profil enregistré : {path}.{check} Utilisez-le avec --mapping {path}.").format(path=saved, check=check)
    if suggestion.complete:
        return _("Toutes les colonnes obligatoires sont reconnues.")
    if suggestion.proposed:
        return _("Pour garder cette correspondance et les colonnes proposées : --save PROFIL.json, puis vérifiez le "
                 "profil et utilisez-le avec --mapping PROFIL.json.")
    return _("Renommez la colonne dans le tableur, ou enregistrez un profil (--save PROFIL.json) et ajoutez-y, sous "
             "« colonnes », l'intitulé de la colonne de chaque champ manquant.")


def _suggest(args: argparse.Namespace) -> int:
    if args.name is not None and args.save is None:
        raise InputError(_("--name donne le nom du profil enregistré : utilisez-le avec --save PROFIL.json."))
    suggestion = suggest(args.file, args.kind, args.sheet)
    if args.save is not None:
        profile = suggestion.to_profile(args.name or args.save.stem)
        if args.save.exists():  # keep the other table of an existing profile
            profile = load_profile(args.save).merged(profile)
            profile = replace(profile, name=args.name or profile.name)
        save_profile(profile, args.save)
    if args.format == "json":
        data = suggestion.as_json() | {"profile": str(args.save) if args.save else None}
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write("\n".join([*_suggestion_text(suggestion), "", _next_step(suggestion, args.save)]) + "\n")
    return EXIT_OK if suggestion.complete else EXIT_PROBLEMS


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
    if args.command == "mapping" and args.mapping_command is None:
        args.print_help()
        return EXIT_OK
    try:
        return _suggest(args) if args.command == "mapping" else _run(args)
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
