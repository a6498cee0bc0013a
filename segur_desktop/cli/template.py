"""`template`: an Excel workbook to fill, generated from the schema in force, that imports with no mapping work.

Exit status: 0 written; 2 no schema for that couloir and type, a destination
that cannot be used, or files that already exist (never replaced without
`--force`: a filled template would be lost).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from segur_desktop.cli.common import EXIT_OK, TextProgress
from segur_desktop.core.couloirs import REQUEST_TYPES
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.template import ExistingTemplates, write_templates
from segur_desktop.core.workspace import load_workspace


def register(commands: argparse._SubParsersAction) -> None:
    template = commands.add_parser("template", help=_("créer un modèle Excel à remplir (clients et bons de commande), "
                                                      "reconnu sans réglage à l'import"))
    which = template.add_mutually_exclusive_group(required=True)
    which.add_argument("--couloir", metavar=_("COULOIR"), help=_("couloir du modèle (HOP, MDV, …), avec --type"))
    which.add_argument("--all", action="store_true",
                       help=_("tous les couloirs et types : un classeur chacun dans le dossier --out"))
    template.add_argument("--type", dest="request_type", choices=REQUEST_TYPES, help=_("type de demande du modèle"))
    template.add_argument("--out", type=Path, required=True, metavar=_("FICHIER.xlsx|DOSSIER"),
                          help=_("le classeur à créer ; avec --all, le dossier où les créer"))
    template.add_argument("--workspace", "-w", type=Path, metavar=_("DOSSIER"),
                          help=_("utiliser aussi les schémas du dossier de travail"))
    template.add_argument("--force", action="store_true", help=_("remplacer les fichiers qui existent déjà"))
    template.set_defaults(handler=_template)


def _template(args: argparse.Namespace) -> int:
    if args.couloir and not args.request_type:
        raise InputError(_("Indiquez le type de demande du modèle : --type avance ou --type solde (ou --all pour "
                           "tous les couloirs et types)."))
    folder = load_workspace(args.workspace).folder if args.workspace else None
    try:
        written = write_templates(args.out, None if args.all else [(args.couloir, args.request_type)],
                                  workspace_folder=folder, overwrite=args.force, progress=TextProgress())
    except ExistingTemplates as existing:
        raise InputError(f"{existing} " + _("Pour les remplacer : --force.")) from None
    for template in written:
        schema = template.schema
        sys.stdout.write(_("Modèle {couloir} {type} : {workbook} (schéma {version}, {origin}) — profil : {profile}").format(
            couloir=template.couloir, type=template.type, workbook=template.workbook, version=schema.version,
            origin=schema.origin, profile=template.profile.name) + "\n")
    return EXIT_OK
