"""`schemas` and `schemas check`: which schema governs what, and is this file conforming.

Exit status of `check`: 0 conforming, 1 not conforming, 2 not a readable deposit file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from segur_desktop.cli.common import EXIT_OK, EXIT_PROBLEMS, add_format_option, print_json, schema_registry
from segur_desktop.core.couloirs import REQUEST_TYPES
from segur_desktop.core.i18n import _
from segur_desktop.core.validate.check import FileCheck, check_deposit_file


def register(commands: argparse._SubParsersAction) -> None:
    schemas = commands.add_parser("schemas", help=_("lister les schémas JSON en vigueur, vérifier un fichier"))
    schemas.add_argument("--workspace", "-w", type=Path, metavar=_("DOSSIER"),
                         help=_("inclure les schémas du dossier de travail"))
    add_format_option(schemas)
    schemas.set_defaults(handler=_list)
    sub = schemas.add_subparsers(dest="schemas_command", metavar=_("COMMANDE"))
    check = sub.add_parser("check", help=_("vérifier un fichier JSON de demandes contre son schéma"))
    check.add_argument("file", type=Path, metavar=_("FICHIER.json"))
    check.add_argument("--workspace", "-w", type=Path, metavar=_("DOSSIER"),
                       help=_("utiliser aussi les schémas du dossier de travail"))
    check.add_argument("--couloir", metavar=_("COULOIR"),
                       help=_("le couloir du fichier, quand son format ne l'écrit pas (avec --type)"))
    check.add_argument("--type", dest="request_type", choices=REQUEST_TYPES,
                       help=_("le type de ses demandes, quand son format ne l'écrit pas (avec --couloir)"))
    add_format_option(check)
    check.set_defaults(handler=_check)


def _list(args: argparse.Namespace) -> int:
    entries = sorted(schema_registry(args).entries.values(), key=lambda e: (e.couloir, e.type))
    if args.format == "json":
        print_json([{"couloir": e.couloir, "type": e.type, "version": e.version, "id": e.id,
                     "origin": e.origin, "file": str(e.path), "deposit_format": e.format.id,
                     "status": e.format.status} for e in entries])
        return EXIT_OK
    lines = [_("Couloir   Type     Version  Origine              Statut        Fichier")]
    lines += [f"{e.couloir:<9} {e.type:<8} {e.version:<8} {e.origin:<20} {e.format.status:<13} {e.path}" for e in entries]
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def _check_text(result: FileCheck) -> list[str]:
    entry = result.entry
    lines = [_("Fichier : {name} — couloir {couloir}, demandes {type}, schéma {version} ({origin} : {path})").format(
        name=result.path.name, couloir=entry.couloir, type=entry.type, version=entry.version, origin=entry.origin,
        path=entry.path),
        _("Format de dépôt : {name} ({status}).").format(name=entry.format.name, status=entry.format.status)]
    if not entry.format.official:
        lines.append(_("Format reconstitué : conforme ici ne garantit pas que le portail accepte le fichier. Importez "
                       "le modèle officiel de l'ASP (segur-desktop format import)."))
    if result.valid:
        return [*lines, _("Conforme : {n} demande(s).").format(n=result.requests)]
    lines.append(_("Non conforme au format en vigueur : {n} problème(s) ; un seul suffit pour que le portail refuse "
                   "tout le fichier.").format(n=len(result.problems)))
    for problem in result.problems:
        where = problem.pointer or "/"
        if problem.index is not None:
            where = _("demande n° {n}{id}, {pointer}").format(
                n=problem.index + 1, id=f" ({problem.request})" if problem.request else "", pointer=problem.pointer)
        lines.append(f"  - {where} : {problem.message}")
    return lines


def _check(args: argparse.Namespace) -> int:
    result = check_deposit_file(args.file, schema_registry(args), args.couloir, args.request_type)
    if args.format == "json":
        print_json({"file": str(result.path), "couloir": result.entry.couloir, "type": result.entry.type,
                    "schema": result.entry.id, "version": result.entry.version, "requests": result.requests,
                    "valid": result.valid,
                    "problems": [{"path": p.pointer, "request": p.request, "message": p.message} for p in result.problems]})
    else:
        sys.stdout.write("\n".join(_check_text(result)) + "\n")
    return EXIT_OK if result.valid else EXIT_PROBLEMS
