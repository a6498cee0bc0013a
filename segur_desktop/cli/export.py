"""`export` and `verify`: the ready-to-deposit bundle, and checking one before depositing it.

Exit status of `export`: 0 the bundle is written and verified and nothing was
left out; 1 something was left out (the bundle holds the rest), or nothing
could be exported (no bundle); 2 an input or the destination cannot be used.
Of `verify`: 0 the bundle is intact and conforming, 1 problems, 2 not a bundle.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from segur_desktop import __version__
from segur_desktop.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    TextProgress,
    add_format_option,
    add_no_register_option,
    add_option,
    instant,
    print_json,
    say_recovered,
    schema_registry,
)
from segur_desktop.core.calendar import PARIS, format_instant
from segur_desktop.core.couloirs import REQUEST_TYPES, load_catalog
from segur_desktop.core.errors import InputError
from segur_desktop.core.export.bundle import ExportResult
from segur_desktop.core.export.manifest import ANOMALIES, RECAP
from segur_desktop.core.export.plan import ExportOptions, ExportPlan, GroupKey, Reason
from segur_desktop.core.export.recap import reason_label, state_label
from segur_desktop.core.export.verify import render_check, verify_bundle
from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.amounts import format_amount, format_count, format_fr
from segur_desktop.core.oserrors import check_output_folder
from segur_desktop.core.pipeline import PipelineResult, run_pipeline
from segur_desktop.core.register import register_for
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.journal import export_and_record
from segur_desktop.core.register.store import RecordOutcome
from segur_desktop.core.workspace import load_workspace

SHOWN_LEFT_OUT = 20


def group_key(text: str) -> GroupKey:
    """"HOP/avance" (or "hôpital/Avance") -> ("HOP", "avance"); a couloir the catalogue does not know is refused
    here, or a typo in `--only` would export nothing and in `--late` leave the closed guichet out, both silently."""
    couloir, _sep, request_type = text.partition("/")
    if not couloir.strip() or request_type.strip().lower() not in REQUEST_TYPES:
        raise argparse.ArgumentTypeError(
            _("« {text} » : indiquez COULOIR/TYPE, par exemple HOP/avance ou MDV/solde").format(text=text))
    catalog = load_catalog()
    known = catalog.couloir(couloir.strip())
    if known is None:
        raise argparse.ArgumentTypeError(_("« {text} » : le couloir « {couloir} » est inconnu ({known})").format(
            text=text, couloir=couloir.strip(), known=", ".join(catalog.couloirs)))
    return known.code, request_type.strip().lower()


def _absent_groups(result: PipelineResult, args: argparse.Namespace) -> None:
    """Say on stderr which couloirs and types of `--only` and `--late` this workspace has no demande of, and those
    it has: « --late HOP/solde » typed for HOP/avance would otherwise read as a closed guichet left out."""
    present = sorted({(d.couloir.code, d.type) for d in result.demandes})
    absent = sorted((set(args.late) | set(args.only or ())) - set(present))
    if absent:
        sys.stderr.write(_("Remarque : ce dossier de travail n'a aucune demande {absent} (--only, --late) ; couloirs "
                           "et types de ses demandes : {present}.").format(
            absent=", ".join(f"{couloir}/{kind}" for couloir, kind in absent),
            present=", ".join(f"{couloir}/{kind}" for couloir, kind in present) or _("aucun")) + "\n")


def register(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help=_("écrire le paquet prêt à déposer (un JSON et un zip de pièces par "
                                                  "couloir et type), vérifié après écriture"))
    export.add_argument("--workspace", "-w", type=Path, required=True, metavar=_("DOSSIER"),
                        help=_("dossier de travail (contient workspace.json)"))
    export.add_argument("--out", type=Path, metavar=_("DOSSIER"),
                        help=_("dossier où créer le paquet depot_… (défaut : le dossier de sortie du dossier de travail)"))
    export.add_argument("--zip", action="store_true", help=_("écrire le paquet en un seul fichier depot_….zip"))
    export.add_argument("--at", type=instant, metavar=_("INSTANT"),
                        help=_("instant auquel juger les échéances : JJ/MM/AAAA, JJ/MM/AAAA HH:MM (heure de "
                               "Paris) ou ISO 8601 ; défaut : la date_controle du dossier de travail si elle "
                               "existe, sinon maintenant"))
    add_option(export, "--late", french="--hors-delai", type=group_key, action="append", default=[],
               metavar=_("COULOIR/TYPE"), help=_("exporter aussi ce couloir et ce type dont le guichet est fermé (le "
                                                 "manifeste le dira) ; répétable"))
    export.add_argument("--only", type=group_key, action="append", metavar=_("COULOIR/TYPE"),
                        help=_("n'exporter que ce couloir et ce type ; répétable"))
    export.add_argument("--max-per-file", type=int, metavar="N", help=_("au plus N demandes par fichier JSON"))
    add_no_register_option(export)
    add_format_option(export, _("compte rendu"))
    export.set_defaults(handler=_export)
    verify = commands.add_parser("verify", help=_("vérifier un paquet exporté (dossier ou zip) avant de le déposer"))
    verify.add_argument("bundle", type=Path, metavar=_("DOSSIER_OU_ZIP"))
    verify.add_argument("--workspace", "-w", type=Path, metavar=_("DOSSIER"),
                        help=_("utiliser aussi les schémas du dossier de travail, et comparer chaque fichier et chaque "
                               "pièce à ceux que le registre de suivi de son éditeur a enregistrés à l'export"))
    add_format_option(verify)
    verify.set_defaults(handler=_verify)


def render_plan(plan: ExportPlan) -> str:
    """What goes in, what is left out and why, per couloir and type."""
    result = plan.result
    lines = [
        _("Segur Desktop {version} — export du dossier « {name} », échéances jugées au {at} (heure de Paris)").format(
            version=__version__, name=result.workspace.name, at=format_instant(result.at)),
        "",
        _("  Couloir   Type     Exportées  Écartées  Montant demandé HT  Clôture du guichet"),
    ]
    for g in plan.groups:
        closing = g.closing.label() if g.closing else _("inconnue")
        lines.append(f"  {g.couloir:<9} {g.type:<8} {format_count(len(g.exported)):>9}  {format_count(len(g.left_out)):>8}  "
                     f"{format_fr(g.requested_ht):>18}  {closing} ({state_label(g)})")
    deposited = [item for item in plan.left_out if item.reason is Reason.DEPOSITED]
    left_out = [item for item in plan.left_out if item.reason is not Reason.DEPOSITED]
    if deposited:
        lines += ["", _("Déjà déposées, suivies dans le registre (non exportées de nouveau) : {n}").format(
            n=format_count(len(deposited)))]
    if left_out:
        lines += ["", _("Écartées : {n} — détail dans {recap} et {anomalies} :").format(
            n=format_count(len(left_out)), recap=RECAP, anomalies=ANOMALIES)]
        for item in left_out[:SHOWN_LEFT_OUT]:
            about = ", ".join(x for x in (item.bdc_number, f"{item.couloir} {item.type}" if item.couloir else None) if x)
            lines.append(f"  - {item.where()}" + (f" ({about})" if about else "") +
                         f" : {reason_label(item.reason)} — {' '.join(item.details)}")
        if len(left_out) > SHOWN_LEFT_OUT:
            lines.append("  " + _("… et {n} autres").format(n=format_count(len(left_out) - SHOWN_LEFT_OUT)))
    for g in plan.groups:
        if g.blocked:
            lines.append(_("Guichet fermé : {couloir} {type} ({closing}), {n} demande(s) valide(s) non exportée(s). "
                           "Pour les déposer malgré tout : --late {couloir}/{type}").format(
                couloir=g.couloir, type=g.type, closing=g.closing.label() if g.closing else "?", n=g.blocked))
    return "\n".join(lines) + "\n"


def _json(export: ExportResult, recorded: RecordOutcome | None) -> dict:
    plan = export.plan
    return {
        "bundle": str(export.bundle) if export.bundle else None,
        "recorded": {"new": list(recorded.new), "again": list(recorded.again)} if recorded else None,
        "groups": [{"couloir": g.couloir, "type": g.type, "exported": len(g.exported), "left_out": len(g.left_out),
                    "requested_amount_ht": format_amount(g.requested_ht), "closed": g.closed,
                    "hors_delai": g.hors_delai} for g in plan.groups],
        "left_out": [{"reason": str(item.reason), "file": str(item.file), "sheet": item.sheet, "row": item.row,
                      "couloir": item.couloir, "type": item.type, "request": item.request,
                      "bdc_number": item.bdc_number, "details": list(item.details)} for item in plan.left_out],
        "manifest": export.manifest,
        "verification": export.check.to_dict() if export.check else None,
    }


def _export(args: argparse.Namespace) -> int:
    workspace = load_workspace(args.workspace)
    out = args.out or workspace.output
    if args.max_per_file is not None and args.max_per_file < 1:
        raise InputError(_("--max-per-file doit être un nombre entier positif."))
    if out is not None:
        check_output_folder(out)  # « impossible d'écrire : permission refusée », in French, before any work
    options = ExportOptions(hors_delai=frozenset(args.late), only=frozenset(args.only) if args.only else None,
                            max_per_file=args.max_per_file, as_zip=args.zip)
    at = args.at or workspace.judged_at or datetime.now(PARIS)
    register = None if args.no_register or workspace.vendor is None else register_for(workspace)
    if register is not None:
        say_recovered(register)
    index = RegisterIndex.of(register) if register is not None else None
    progress = TextProgress()
    result = run_pipeline(workspace, at, register=index, progress=progress)
    _absent_groups(result, args)
    exported = export_and_record(result, out, options, register, progress=progress)
    export, recorded = exported.result, exported.recorded
    if args.format == "json":
        print_json(_json(export, recorded) | {"record_problem": exported.problem,
                                              "recovered": list(register.recovered) if register else []})
    else:
        sys.stdout.write(render_plan(export.plan) + "\n")
        if export.check is None:
            sys.stdout.write(_("Aucun paquet écrit : aucune demande ne peut être exportée.") + "\n")
        else:
            sys.stdout.write(_("Paquet écrit et vérifié.") + "\n" + render_check(export.check))
        if recorded is not None:
            sys.stdout.write(_("Suivi : {new} demande(s) enregistrée(s) « exportée » dans le registre ; une fois le "
                               "paquet déposé, indiquez-le : segur-desktop register set-status --bundle {bundle} "
                               "\"en cours\" -w \"{workspace}\".").format(
                new=len(recorded.new) + len(recorded.again), bundle=export.bundle.name, workspace=args.workspace) + "\n")
        elif exported.problem is not None:
            sys.stdout.write(_("Suivi : le paquet n'a pas pu être enregistré dans le registre ({problem}). Il le sera à "
                               "la prochaine ouverture du registre (toute commande avec -w \"{workspace}\"), ou dès "
                               "maintenant avec : segur-desktop register record \"{bundle}\" -w \"{workspace}\"."
                               ).format(problem=exported.problem, bundle=export.bundle, workspace=args.workspace) + "\n")
    problems = [item for item in export.plan.left_out if item.reason is not Reason.DEPOSITED]
    return EXIT_OK if export.bundle and not problems and exported.problem is None else EXIT_PROBLEMS


def _verify(args: argparse.Namespace) -> int:
    register = register_for(load_workspace(args.workspace)) if args.workspace else None
    check = verify_bundle(args.bundle, schema_registry(args), register=register, progress=TextProgress())
    if args.format == "json":
        print_json(check.to_dict())
    else:
        sys.stdout.write(render_check(check))
    return EXIT_OK if check.ok else EXIT_PROBLEMS
