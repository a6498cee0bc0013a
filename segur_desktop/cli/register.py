"""`register`: the Suivi register from the command line — list, history, statuses, status files,
follow-up bundles, backups, and a register that lost rows restored or acknowledged.

Which register: the one of a workspace's vendor (`--workspace`: its SQLite file,
or the team's PostgreSQL register when a setting names one), or the one named
with `--register` (a file, or a postgresql:// URL with --workspace for the
vendor). `migrate` copies a register whole to the other backend (issue #20). Exit statuses: 0 done, 1 some lines or demandes
could not be handled (each reported), 2 an input cannot be used.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from segur_desktop.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    TextProgress,
    add_command,
    add_format_option,
    add_option,
    instant,
    print_json,
    say_recovered,
)
from segur_desktop.cli.register_password import add_password_command
from segur_desktop.core.calendar import PARIS, format_instant
from segur_desktop.core.couloirs import REQUEST_TYPES
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.amounts import format_amount, format_count, format_fr
from segur_desktop.core.pipeline import PipelineResult, run_pipeline
from segur_desktop.core.register import NO_VENDOR, register_for
from segur_desktop.core.register.avenants import NewAvenant, reference
from segur_desktop.core.register.backend import is_url, schema_for
from segur_desktop.core.register.backup import export_register, import_register
from segur_desktop.core.register.followup import ELIGIBLE, modification, render_differences, write_followup
from segur_desktop.core.register.index import RegisterIndex, totals
from segur_desktop.core.register.record import record_bundle
from segur_desktop.core.register.statusfile import Verdict, apply_status_file, plan_status_file, verdict_label
from segur_desktop.core.register.store import Entry, Register, StatusChange, StatusOutcome
from segur_desktop.core.register.transfer import copy_register
from segur_desktop.core.workspace import Workspace, load_workspace


def add_register_options(parser: argparse.ArgumentParser, *, workspace_required: bool = False) -> None:
    if not workspace_required:
        parser.add_argument("--workspace", "-w", type=Path, metavar=_("DOSSIER"),
                            help=_("dossier de travail : son éditeur désigne le registre"))
    add_option(parser, "--register", french="--registre", metavar=_("FICHIER_OU_URL"),
               help=_("registre à utiliser : un fichier, ou un registre partagé postgresql://utilisateur@"
                      "serveur/base (défaut : celui de l'éditeur du dossier de travail)"))
    add_option(parser, "--vendor", french="--editeur", metavar=_("SIRET"),
               help=_("avec un registre partagé : l'éditeur dont c'est le registre (défaut : celui du dossier "
                      "de travail ; pour migrate, aussi le nom du fichier <SIRET>.sqlite3)"))


def _register(args: argparse.Namespace, workspace: Workspace | None = None, *, repair: bool = False) -> Register:
    """--register FICHIER, else the register of the workspace's vendor (`repair`: even one that lost rows, to
    restore or acknowledge it)."""
    if args.register is not None:
        register = _named(args.register, args, workspace, repair=repair)
    else:
        if workspace is None and getattr(args, "workspace", None) is None:
            raise InputError(_("Indiquez le dossier de travail (--workspace DOSSIER) dont l'éditeur désigne le "
                               "registre, ou le fichier de registre (--register FICHIER)."))
        register = register_for(workspace or load_workspace(args.workspace), repair=repair)
    say_recovered(register)
    return register


def _vendor(args: argparse.Namespace, workspace: Workspace | None) -> str | None:
    """The vendor whose register is meant: --vendor, else the workspace's."""
    if getattr(args, "vendor", None):
        return args.vendor
    if workspace is None and getattr(args, "workspace", None) is not None:
        workspace = load_workspace(args.workspace)
    if workspace is not None:
        return workspace.vendor.siret if workspace.vendor else NO_VENDOR
    return None


def _named(spec: str, args: argparse.Namespace, workspace: Workspace | None, *, repair: bool = False,
           vendor: str | None = None) -> Register:
    """The register `spec` names: a SQLite file, or a shared PostgreSQL register (the vendor's schema in it)."""
    if not is_url(spec):
        return Register(Path(spec), repair=repair)
    vendor = vendor or _vendor(args, workspace)
    if vendor is None:
        raise InputError(_("Un registre partagé tient les registres de plusieurs éditeurs : indiquez lequel avec "
                           "--workspace DOSSIER (son éditeur) ou --vendor SIRET."))
    from segur_desktop.core.register.postgresql import PostgresBackend

    return Register(PostgresBackend(spec, schema_for(vendor)), repair=repair)


def _status(reg: Register, text: str) -> str:
    status = reg.lifecycle.parse(text)
    if status is None:
        raise InputError(reg.lifecycle.unknown(text))
    return status


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("register", help=_("suivi des demandes exportées : statuts du portail, historique, "
                                                    "paquets de suivi, sauvegarde"))
    sub = parser.add_subparsers(dest="register_command", metavar=_("ACTION"), required=True)

    listing = sub.add_parser("list", help=_("les demandes suivies, avec leur statut"))
    add_register_options(listing)
    add_option(listing, "--status", french="--statut", metavar=_("STATUT"), help=_("seulement ce statut (ex. « validée »)"))
    listing.add_argument("--couloir", metavar=_("COULOIR"), help=_("seulement ce couloir"))
    listing.add_argument("--type", choices=REQUEST_TYPES, help=_("seulement ce type"))
    add_format_option(listing)
    listing.set_defaults(handler=_list)

    summary = sub.add_parser("summary", help=_("nombres et montants par statut et par couloir"))
    add_register_options(summary)
    add_format_option(summary)
    summary.set_defaults(handler=_summary)

    show = sub.add_parser("show", help=_("une demande : son historique et ses dépôts"))
    add_register_options(show)
    show.add_argument("id", metavar=_("ID_DEMANDE"))
    add_format_option(show)
    show.set_defaults(handler=_show)

    status = sub.add_parser("set-status", help=_("changer le statut d'une ou plusieurs demandes"))
    add_register_options(status)
    status.add_argument("ids", nargs="*", metavar=_("ID_DEMANDE"), help=_("identifiants des demandes (ex. HOP-AV-…)"))
    status.add_argument("status", metavar=_("STATUT"),
                        help=_("nouveau statut, en toutes lettres (« validée », « à modifier »…) ou par son code"))
    add_option(status, "--bundle", french="--paquet", metavar=_("NOM"),
               help=_("toutes les demandes « exportée » de ce paquet (ex. après l'avoir déposé)"))
    status.add_argument("--avenant", type=int, metavar=_("N"),
                        help=_("changer le statut de l'avenant n° N des avances ID_DEMANDE, pas celui des avances"))
    add_option(status, "--comment", french="--commentaire", default="", metavar=_("TEXTE"), help=_("commentaire"))
    status.add_argument("--force", action="store_true",
                        help=_("accepter un changement hors du cycle de vie (correction d'une erreur) ; "
                               "commentaire obligatoire"))
    add_format_option(status)
    status.set_defaults(handler=_set_status)

    avenant = sub.add_parser("avenant", help=_("enregistrer un avenant d'une avance (son solde attend que le dernier "
                                               "avenant soit « décidée et payée »)"))
    add_register_options(avenant)
    avenant.add_argument("id", metavar=_("ID_AVANCE"), help=_("l'avance modifiée par l'avenant"))
    avenant.add_argument("numero", type=int, metavar=_("N"), help=_("numéro de l'avenant sur le portail (1, 2…)"))
    add_option(avenant, "--status", french="--statut", default="en cours", metavar=_("STATUT"),
               help=_("son statut sur le portail (défaut : « en cours »)"))
    add_option(avenant, "--comment", french="--commentaire", default="", metavar=_("TEXTE"), help=_("commentaire"))
    add_format_option(avenant)
    avenant.set_defaults(handler=_avenant)

    statuses = sub.add_parser("import-status", help=_("lire un fichier de statuts (CSV, XLSX, ODS) : aperçu, puis "
                                                      "--apply pour l'appliquer"))
    add_register_options(statuses)
    statuses.add_argument("file", type=Path, metavar=_("FICHIER"))
    statuses.add_argument("--apply", action="store_true", help=_("appliquer les changements (sinon : aperçu seul)"))
    statuses.add_argument("--force", action="store_true", help=_("appliquer aussi les changements hors du cycle de vie"))
    add_option(statuses, "--adopt", french="--reprendre", action="store_true",
               help=_("reprendre du dossier de travail (--workspace) les demandes absentes du suivi, "
                      "déposées avant Segur Desktop"))
    statuses.add_argument("--at", type=instant, metavar="ISO_DATETIME", help=_("instant de la vérification (avec "
                                                                               "--adopt)"))
    add_format_option(statuses)
    statuses.set_defaults(handler=_import_status)

    record = sub.add_parser("record", help=_("enregistrer dans le suivi un paquet exporté plus tôt (dossier ou zip), "
                                             "ou un fichier de demandes .json déposé tel quel"))
    add_register_options(record)
    record.add_argument("bundle", type=Path, metavar=_("PAQUET_OU_JSON"))
    add_format_option(record)
    record.set_defaults(handler=_record)

    followup = sub.add_parser("follow-up", help=_("préparer le paquet de suivi : pièces complémentaires, demandes "
                                                  "corrigées, pièces des demandes incomplètes"))
    followup.add_argument("--workspace", "-w", type=Path, required=True, metavar=_("DOSSIER"),
                          help=_("dossier de travail (corrigé)"))
    add_register_options(followup, workspace_required=True)
    followup.add_argument("ids", nargs="*", metavar=_("ID_DEMANDE"),
                          help=_("demandes (défaut : toutes celles « en attente de pièces », « à modifier » ou "
                                 "« incomplète »)"))
    followup.add_argument("--out", type=Path, metavar=_("DOSSIER"), help=_("où créer le dossier suivi_… (défaut : le "
                                                                           "dossier de sortie du dossier de travail)"))
    followup.add_argument("--at", type=instant, metavar="ISO_DATETIME", help=_("instant de la vérification"))
    add_format_option(followup)
    followup.set_defaults(handler=_followup)

    diff = sub.add_parser("diff", help=_("différences entre une demande déposée et sa version corrigée"))
    diff.add_argument("--workspace", "-w", type=Path, required=True, metavar=_("DOSSIER"),
                      help=_("dossier de travail (corrigé)"))
    add_register_options(diff, workspace_required=True)
    diff.add_argument("id", metavar=_("ID_DEMANDE"))
    diff.add_argument("--at", type=instant, metavar="ISO_DATETIME", help=_("instant de la vérification"))
    add_format_option(diff)
    diff.set_defaults(handler=_diff)

    backup = sub.add_parser("export", help=_("sauvegarder le registre dans un fichier .json (complet) ou .xlsx"))
    add_register_options(backup)
    backup.add_argument("file", type=Path, metavar=_("FICHIER"))
    backup.add_argument("--force", action="store_true",
                        help=_("remplacer FICHIER même s'il existe et n'est pas une sauvegarde du registre"))
    add_format_option(backup)
    backup.set_defaults(handler=_export)

    restore = sub.add_parser("import", help=_("fusionner une sauvegarde (.json ou .xlsx) dans le registre"))
    add_register_options(restore)
    restore.add_argument("file", type=Path, metavar=_("FICHIER"))
    add_format_option(restore)
    restore.set_defaults(handler=_import)

    migrate = sub.add_parser("migrate", help=_("copier tout le registre (demandes, historique, avenants) vers un "
                                               "registre partagé PostgreSQL, ou vers un fichier SQLite (sauvegarde), "
                                               "puis vérifier la copie"))
    add_register_options(migrate)
    add_option(migrate, "--to", french="--vers", required=True, metavar=_("URL_OU_FICHIER"),
               help=_("destination : postgresql://utilisateur@serveur/base (sans mot de passe : trousseau du "
                      "système, segur-desktop register password, ou .pgpass), "
                      "ou un nouveau fichier .sqlite3"))
    add_format_option(migrate)
    migrate.set_defaults(handler=_migrate)
    add_password_command(sub)

    add_command(sub, "reset", french="reinitialiser", build=_reset_parser,
                help=_("accepter un registre vidé ou incomplet tel qu'il est, quand aucune sauvegarde ne peut le "
                       "restaurer"))


def _reset_parser(reset: argparse.ArgumentParser) -> None:
    add_register_options(reset)
    add_option(reset, "--confirm", french="--confirmer", action="store_true",
               help=_("confirmer : ce que le registre contenait et qui n'y est plus est perdu"))
    add_format_option(reset)
    reset.set_defaults(handler=_reset)


def _entry_json(e: Entry) -> dict:
    return {"id": e.id, "couloir": e.couloir, "type": e.type, "beneficiary": {"type": e.beneficiary_type,
            "id": e.beneficiary_id, "name": e.beneficiary_name}, "software_kind": e.software_kind,
            "solution": e.solution, "bdc_number": e.bdc_number, "bdc_amount_ht": format_amount(e.bdc_amount_ht),
            "requested_amount_ht": format_amount(e.requested_ht), "avance": e.avance_id, "status": e.status,
            "status_at": e.status_at.isoformat(), "bundle": e.bundle_name, "exported_at": e.exported_at.isoformat(),
            "avenants": [{"numero": a.numero, "status": a.status, "status_at": a.status_at.isoformat()}
                         for a in e.avenants]}


def _list(args: argparse.Namespace) -> int:
    reg = _register(args)
    entries = reg.entries()
    if args.status:
        wanted = _status(reg, args.status)
        entries = [e for e in entries if e.status == wanted]
    if args.couloir:
        entries = [e for e in entries if e.couloir == args.couloir.upper()]
    if args.type:
        entries = [e for e in entries if e.type == args.type]
    if args.format == "json":
        print_json({"register": reg.location, "requests": [_entry_json(e) for e in entries]})
        return EXIT_OK
    if not entries:
        sys.stdout.write(_("Aucune demande suivie{filtered} dans le registre « {path} ».").format(
            filtered=_(" pour ce filtre") if (args.status or args.couloir or args.type) else "", path=reg.location) + "\n")
        return EXIT_OK
    for e in entries:
        sys.stdout.write(f"{e.id:<20} {e.type:<7} {e.bdc_number:<16} {format_fr(e.requested_ht):>14}  "
                         f"{reg.lifecycle.label(e.status):<28} {format_instant(e.status_at)}  {e.beneficiary_name}\n")
    sys.stdout.write(_("{n} demande(s).").format(n=format_count(len(entries))) + "\n")
    return EXIT_OK


def _summary(args: argparse.Namespace) -> int:
    reg = _register(args)
    found = totals(reg.entries())
    if args.format == "json":
        print_json({"register": reg.location, "totals": [
            {"status": t.status, "couloir": t.couloir, "type": t.type, "requests": t.count,
             "requested_amount_ht": format_amount(t.requested_ht)} for t in found]})
        return EXIT_OK
    for t in found:
        sys.stdout.write(f"{reg.lifecycle.label(t.status):<45} {t.couloir:<8} {t.type:<7} {format_count(t.count):>6}  "
                         f"{format_fr(t.requested_ht):>16}\n")
    if not found:
        sys.stdout.write(_("Aucune demande suivie : exportez un paquet pour commencer le suivi.") + "\n")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    reg = _register(args)
    entry = reg.entry(args.id.strip().upper())
    if entry is None:
        raise InputError(_("La demande « {id} » n'est pas dans le registre « {path} ».").format(id=args.id, path=reg.location))
    history, deposits = reg.history(entry.id), reg.deposits(entry.id)
    if args.format == "json":
        print_json(_entry_json(entry) | {
            "history": [{"at": h.at.isoformat(), "from": h.old_status, "to": h.new_status, "comment": h.comment,
                         "author": h.author, "source": h.source, "forced": h.forced} for h in history],
            "deposits": [{"bundle": d.bundle_name, "generated_at": d.generated_at.isoformat(), "json": d.json_file,
                          "request_sha256": d.request_sha256, "attachments": [
                              {"name": a.name, "sha256": a.sha256, "size": a.size, "source": a.source}
                              for a in d.attachments]} for d in deposits]})
        return EXIT_OK
    label = reg.lifecycle.label
    out = [f"{entry.id} — {entry.beneficiary_name} ({entry.beneficiary_type} {entry.beneficiary_id})",
           _("{type} {couloir} {kind}, BDC « {bdc} », {amount} HT demandés").format(
               type=entry.type, couloir=entry.couloir, kind=entry.software_kind, bdc=entry.bdc_number,
               amount=format_fr(entry.requested_ht)),
           _("Statut : {status} depuis le {day}").format(status=label(entry.status), day=format_instant(entry.status_at))]
    out += [_("Avenant n° {numero} : {status} depuis le {day}").format(
        numero=a.numero, status=label(a.status), day=format_instant(a.status_at)) for a in entry.avenants]
    out += ["", _("Historique :")]
    for h in history:
        change = label(h.new_status) if h.old_status in (None, h.new_status) else f"{label(h.old_status)} → {label(h.new_status)}"
        out.append(f"  {format_instant(h.at)}  {change}" + (_(" (forcé)") if h.forced else "") + f" — {h.source}, {h.author}"
                   + (f" : {h.comment}" if h.comment else ""))
    out += ["", _("Dépôts :")]
    for d in deposits:
        out.append(f"  {format_instant(d.generated_at)}  {d.bundle_name} / {d.json_file}")
        out += [f"      {a.name}  sha256 {a.sha256[:12]}…  ({a.source})" for a in d.attachments]
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK


def _print_outcome(reg: Register, outcome: StatusOutcome, fmt: str) -> int:
    if fmt == "json":
        print_json({"applied": [{"id": i, "from": old, "to": new} for i, old, new in outcome.applied],
                    "unchanged": outcome.unchanged, "refused": [{"id": i, "reason": r} for i, r in outcome.refused],
                    "unknown": outcome.unknown})
    else:
        label = reg.lifecycle.label
        lines = [f"  {i} : {label(old)} → {label(new)}" for i, old, new in outcome.applied]
        lines += [_("  {id} : déjà dans ce statut").format(id=i) for i in outcome.unchanged]
        lines += [_("  {id} : refusé — {reason}").format(id=i, reason=r) for i, r in outcome.refused]
        lines += [_("  {id} : absente du registre").format(id=i) for i in outcome.unknown]
        sys.stdout.write(_("{n} changement(s) de statut enregistré(s).").format(n=len(outcome.applied)) + "\n"
                         + "".join(line + "\n" for line in lines))
    return EXIT_PROBLEMS if outcome.refused or outcome.unknown else EXIT_OK


def _set_status(args: argparse.Namespace) -> int:
    reg = _register(args)
    status = _status(reg, args.status)
    if args.force and not args.comment.strip():
        raise InputError(_("Un changement forcé doit être expliqué par un commentaire : ajoutez --comment \"…\"."))
    ids = [i.strip().upper() for i in args.ids]
    if args.bundle:
        ids += [e.id for e in reg.entries() if e.bundle_name == args.bundle and e.status == reg.lifecycle.initial]
    if not ids:
        raise InputError(_("Indiquez au moins une demande (ID_DEMANDE) ou un paquet (--bundle NOM) qui a des demandes "
                           "« {initial} ».").format(initial=reg.lifecycle.label(reg.lifecycle.initial)))
    if args.avenant is not None and args.bundle:
        raise InputError(_("--avenant change le statut d'un avenant d'avances nommées : indiquez leurs identifiants "
                           "(ID_DEMANDE), sans --bundle."))
    changes = [StatusChange(i, status, args.comment.strip(), args.avenant) for i in ids]
    return _print_outcome(reg, reg.set_status(changes, source=_("ligne de commande"), force=args.force), args.format)


def _avenant(args: argparse.Namespace) -> int:
    reg = _register(args)
    new = NewAvenant(args.id.strip().upper(), args.numero, _status(reg, args.status), args.comment.strip())
    refused = reg.add_avenants([new], source=_("ligne de commande"))
    if refused:
        raise InputError(_("Avenant non enregistré : {reason}.").format(reason=refused[0][1]))
    if args.format == "json":
        print_json({"avance": new.avance_id, "avenant": new.numero, "status": new.status})
    else:
        sys.stdout.write(_("{ref} enregistré : « {status} ».").format(
            ref=reference(new.avance_id, new.numero), status=reg.lifecycle.label(new.status)) + "\n")
    return EXIT_OK


def _import_status(args: argparse.Namespace) -> int:
    if args.adopt:
        if args.workspace is None:
            raise InputError(_("--adopt lit les demandes dans le dossier de travail : indiquez-le avec "
                               "--workspace DOSSIER."))
        reg, result = _checked(args)
    else:
        reg, result = _register(args), None
    plan = plan_status_file(reg, args.file, result, progress=TextProgress())
    label = reg.lifecycle.label
    if args.format == "json":
        data = {"file": str(args.file), "sheet": plan.sheet, "header_row": plan.header_row, "columns": plan.columns,
                "counts": plan.counts(), "notes": plan.notes(), "lines": [
            {"row": line.row, "reference": line.reference, "verdict": line.verdict, "detail": line.detail, "note": line.note,
             "request": line.entry.id if line.entry else line.adopt.id if line.adopt else line.avance_id,
             "avenant": line.avenant, "from": line.entry.status if line.entry else None, "to": line.new_status}
            for line in plan.lines]}
    else:
        out = [_("Fichier de statuts « {file} » ({where}) :").format(file=args.file.name, where=plan.where),
               plan.read_columns(), *plan.notes()]
        for line in plan.lines:
            what = (f"{line.entry.id} : {label(line.entry.status)} → {label(line.new_status)}" if line.entry
                    else line.reference)
            if line.avenant is not None and line.entry is not None:
                what = f"{reference(line.entry.id, line.avenant)} : {label(line.entry.status)} → {label(line.new_status)}"
            out.append(_("  ligne {row} — {verdict} — {what}").format(row=line.row, verdict=verdict_label(line.verdict),
                                                                   what=what)
                       + (f" — {line.detail}" if line.detail and (line.verdict != Verdict.CHANGE or line.new_avenant)
                          else "") + (f" — {line.note}" if line.note else ""))
        if not args.adopt and plan.with_verdict(Verdict.UNKNOWN):
            out.append(_("Des demandes déposées avant Segur Desktop ? --adopt les reprend du dossier de travail."))
        if not args.force and (refused := plan.with_verdict(Verdict.REFUSED)):
            out.append(_("{n} changement(s) refusé(s) par le cycle de vie : s'il s'agit de corriger une erreur, "
                         "relancez avec --force pour les appliquer aussi.").format(n=len(refused)))
        sys.stdout.write("\n".join(out) + "\n")
    problems = plan.with_verdict(Verdict.UNKNOWN, Verdict.UNREADABLE, Verdict.AMBIGUOUS,
                                 *(() if args.force else (Verdict.REFUSED,)))
    if args.apply:
        outcome = apply_status_file(reg, plan, force=args.force)
        if args.format == "json":
            data["applied"] = [{"id": i, "from": old, "to": new} for i, old, new in outcome.applied]
        else:
            if plan.adopted():
                sys.stdout.write(_("{n} demande(s) reprise(s) du dossier de travail dans le suivi.").format(
                    n=len(plan.adopted())) + "\n")
            sys.stdout.write(_("{n} changement(s) de statut enregistré(s).").format(n=len(outcome.applied)) + "\n")
    elif args.format != "json" and plan.changes(force=args.force):
        sys.stdout.write(_("Aperçu seulement : relancez avec --apply pour enregistrer ces changements.") + "\n")
    if args.format == "json":
        print_json(data)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _record(args: argparse.Namespace) -> int:
    reg = _register(args)
    outcome = record_bundle(reg, args.bundle, progress=TextProgress())
    if args.format == "json":
        print_json({"bundle": str(args.bundle), "already_recorded": outcome.already_recorded,
                    "new": list(outcome.new), "again": list(outcome.again)})
    elif outcome.already_recorded:
        sys.stdout.write(_("Ce paquet est déjà enregistré dans le suivi : rien n'a changé.") + "\n")
    else:
        sys.stdout.write(_("Paquet enregistré : {new} nouvelle(s) demande(s), {again} déjà suivie(s).").format(
            new=len(outcome.new), again=len(outcome.again)) + "\n")
    return EXIT_OK


def _checked(args: argparse.Namespace) -> tuple[Register, PipelineResult]:
    workspace = load_workspace(args.workspace)
    reg = _register(args, workspace)
    at = args.at or workspace.judged_at or datetime.now(PARIS)
    return reg, run_pipeline(workspace, at, register=RegisterIndex.of(reg), progress=TextProgress())


def _followup(args: argparse.Namespace) -> int:
    reg, result = _checked(args)
    ids = [i.strip().upper() for i in args.ids] or [e.id for e in reg.entries() if e.status in ELIGIBLE]
    if not ids:
        sys.stdout.write(_("Aucune demande {statuses} : rien à préparer.").format(
            statuses=_(" ni ").join(f"« {reg.lifecycle.label(code)} »" for code in ELIGIBLE)) + "\n")
        return EXIT_OK
    out = args.out or result.workspace.output
    if out is None:
        raise InputError(_("Indiquez le dossier où créer le paquet de suivi avec --out DOSSIER."))
    outcome = write_followup(reg, result, ids, out, progress=TextProgress())
    if args.format == "json":
        print_json({"folder": str(outcome.folder) if outcome.folder else None, "prepared": outcome.prepared,
                    "skipped": [{"id": i, "reason": r} for i, r in outcome.skipped]})
        return EXIT_PROBLEMS if outcome.skipped else EXIT_OK
    if outcome.folder is not None:
        sys.stdout.write(_("Paquet de suivi écrit : {folder} ({n} demande(s)).").format(
            folder=outcome.folder, n=len(outcome.prepared)) + "\n")
    for demande_id, reason in outcome.skipped:
        sys.stdout.write(_("  {id} : non préparée — {reason}").format(id=demande_id, reason=reason) + "\n")
    if outcome.folder is None:
        sys.stdout.write(_("Aucun paquet de suivi écrit.") + "\n")
    return EXIT_PROBLEMS if outcome.skipped else EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    reg, result = _checked(args)
    change = modification(reg, result, args.id.strip().upper())
    if args.format == "json":
        print_json({"request": change.entry.id, "status": change.entry.status, "problem": change.problem,
                    "corrected_request": change.demande.id if change.corrected and change.demande else None,
                    "differences": [{"path": d.path, "before": d.before, "after": d.after} for d in change.differences]})
    else:
        sys.stdout.write(_("Demande {id} (statut « {status} ») — déposée → corrigée :").format(
            id=change.entry.id, status=reg.lifecycle.label(change.entry.status)) + "\n")
        if change.corrected is not None:
            sys.stdout.write("".join(f"  {line}\n" for line in render_differences(change.differences)))
        if change.problem:
            sys.stdout.write(change.problem + "\n")
    return EXIT_PROBLEMS if change.problem else EXIT_OK


def _export(args: argparse.Namespace) -> int:
    reg = _register(args)
    summary = export_register(reg, args.file, replace=args.force)
    if args.format == "json":
        print_json({"file": str(summary.path), "exports": summary.exports, "requests": summary.demandes,
                    "history": summary.history})
        return EXIT_OK
    sys.stdout.write(_("Registre sauvegardé dans « {path} » : {demandes} demande(s), {exports} export(s), {history} "
                       "ligne(s) d'historique.").format(path=summary.path, demandes=summary.demandes,
                                                       exports=summary.exports, history=summary.history) + "\n")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    reg = _register(args, repair=True)  # importing a backup is how a register that lost rows is restored
    summary = import_register(reg, args.file)
    missing = reg.shortfall()
    still = _("Le registre contenait {recorded} ; il n'en a encore que {found} : cette sauvegarde est plus ancienne "
              "que ce qu'il a perdu. Importez une sauvegarde plus récente si vous en avez une ; sinon, acceptez le "
              "registre tel qu'il est : segur-desktop register reset --confirm.").format(
        recorded=missing[0].describe(), found=missing[1].describe()) if missing else None
    if args.format == "json":
        print_json({"file": str(args.file), "exports_added": summary.exports_added,
                    "requests_added": summary.demandes_added, "requests_updated": summary.demandes_updated,
                    "history_added": summary.history_added, "avenants_added": summary.avenants_added,
                    "avenants_updated": summary.avenants_updated, "register_incomplete": still})
        return EXIT_PROBLEMS if missing else EXIT_OK
    sys.stdout.write(_("Sauvegarde « {path} » fusionnée : {exports} export(s), {demandes} demande(s) ajoutée(s), "
                       "{updated} mise(s) à jour, {history} ligne(s) d'historique.").format(
        path=args.file.name, exports=summary.exports_added, demandes=summary.demandes_added,
        updated=summary.demandes_updated, history=summary.history_added) + "\n")
    if summary.avenants_added or summary.avenants_updated:
        sys.stdout.write(_("Avenants : {added} ajouté(s), {updated} mis à jour.").format(
            added=summary.avenants_added, updated=summary.avenants_updated) + "\n")
    if still:
        sys.stdout.write(still + "\n")
    return EXIT_PROBLEMS if missing else EXIT_OK


def _reset(args: argparse.Namespace) -> int:
    reg = _register(args, repair=True)
    missing = reg.shortfall()
    if missing is None:
        text = _("Le registre « {path} » n'a rien perdu ({counts}) : rien à réinitialiser.").format(
            path=reg.location, counts=reg.counts().describe())
    elif not args.confirm:
        raise InputError(_("Le registre « {path} » contenait {recorded} et n'a plus que {found}. Le réinitialiser "
                           "accepte cette perte : les demandes qui n'y sont plus ne seront plus reconnues comme "
                           "déposées. Si vous avez une sauvegarde, importez-la plutôt (segur-desktop register import "
                           "SAUVEGARDE). Pour réinitialiser quand même, ajoutez --confirm.").format(
            path=reg.location, recorded=missing[0].describe(), found=missing[1].describe()))
    else:
        counts = reg.accept_as_is()
        text = _("Registre « {path} » réinitialisé : il est accepté tel qu'il est ({counts}) ; il contenait "
                 "{recorded}.").format(path=reg.location, counts=counts.describe(), recorded=missing[0].describe())
    if args.format == "json":
        print_json({"register": reg.location, "reset": missing is not None,
                    "lost": None if missing is None else {"recorded": asdict(missing[0]), "found": asdict(missing[1])}})
    else:
        sys.stdout.write(text + "\n")
    return EXIT_OK


def _migrate(args: argparse.Namespace) -> int:
    source = _register(args)
    vendor = _vendor(args, None)
    if vendor is None and not source.shared and (source.path.stem.isdigit() or source.path.stem == NO_VENDOR):
        vendor = source.path.stem  # registres/<SIRET>.sqlite3
    if is_url(args.to):
        target = _named(args.to, args, None, vendor=vendor)
    else:
        destination = Path(args.to)
        if destination.suffix.lower() not in {".sqlite3", ".sqlite", ".db"}:
            raise InputError(_("« {path} » : la destination d'une migration est un registre partagé (postgresql://…) "
                               "ou un fichier SQLite neuf, dont le nom finit par .sqlite3.").format(path=destination))
        target = Register(destination)
    summary = copy_register(source, target)
    if args.format == "json":
        print_json({"source": summary.source, "target": summary.target, "verified": True,
                    "tables": [{"table": t.name, "rows": t.rows, "sha256": t.sha256} for t in summary.tables]})
        return EXIT_OK
    lines = [_("Registre copié de « {source} » vers « {target} ».").format(source=summary.source,
                                                                           target=summary.target),
             _("Vérifié après la copie, table par table : même nombre de lignes et même empreinte SHA-256 des lignes "
               "des deux côtés.")]
    lines += [f"  {t.name:<12} {format_count(t.rows):>9}  sha256 {t.sha256[:16]}…" for t in summary.tables]
    if target.shared:
        lines.append(_("Pour que chacun l'utilise, ajoutez une ligne à workspace.json, ou à reglages.json dans le "
                       "dossier de données de chaque utilisateur : \"registre\": \"{url}\" (le mot de passe va dans "
                       "le trousseau du système, segur-desktop register password, ou dans .pgpass). Le registre "
                       "d'origine n'a pas été modifié : gardez-le comme sauvegarde.").format(
            url=target.backend.url))
    else:
        lines.append(_("Le registre d'origine n'a pas été modifié."))
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK
