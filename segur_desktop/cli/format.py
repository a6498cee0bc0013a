"""`format`: the deposit formats — import the ASP's official model, list what is in force, disable one.

Exit status of `import`: 0 saved and complete, 1 saved but some keys of the model have no
source yet (listed), 2 the files cannot be used (nothing saved).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from segur_desktop.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    add_command,
    add_format_option,
    add_option,
    print_json,
    schema_registry,
)
from segur_desktop.core.couloirs import REQUEST_TYPES
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.paths import user_data_dir


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("format", help=_("formats de dépôt : importer le modèle officiel de l'ASP, lister"))
    sub = parser.add_subparsers(dest="format_command", metavar=_("COMMANDE"))
    parser.set_defaults(handler=_list, workspace=None, format="text")

    add_command(sub, "list", french="liste", build=_list_parser,
                help=_("les formats de dépôt en vigueur, par couloir et type"))
    add_command(sub, "fields", french="champs", build=_fields_parser,
                help=_("les champs de la demande canonique qu'un format peut placer"))
    imported = sub.add_parser("import", help=_("créer un format à partir du modèle de JSON vierge de l'ASP"))
    imported.add_argument("model", type=Path, metavar=_("MODELE.json"), help=_("le modèle de JSON vierge de l'ASP"))
    add_option(imported, "--example", french="--exemple", type=Path, metavar=_("EXEMPLE.json"),
               help=_("l'exemple de JSON de l'ASP"))
    imported.add_argument("--schema", type=Path, metavar=_("SCHEMA.json"),
                          help=_("le schéma JSON officiel, s'il est fourni (sinon il est déduit du modèle)"))
    imported.add_argument("--couloir", required=True, metavar=_("COULOIR"), help=_("HOP, MDV, BIO, RAD, PHA…"))
    imported.add_argument("--type", dest="request_type", required=True, choices=REQUEST_TYPES)
    add_option(imported, "--wave", french="--vague", metavar=_("VAGUE"), help=_("la vague du guichet (noté dans le format)"))
    add_option(imported, "--requests", french="--demandes", metavar=_("CHEMIN"),
               help=_("où le modèle met la liste des demandes (ex. lignes), s'il en a plusieurs"))
    add_option(imported, "--field", french="--champ", action="append", default=[], metavar=_("CLÉ=CHAMP"),
               help=_("placer ce champ du produit à cette clé (ex. lignes[].finessGeo=beneficiaire.finess_et)"))
    add_option(imported, "--constant", french="--constante", action="append", default=[], metavar=_("CLÉ=VALEUR"),
               help=_("écrire cette valeur fixe à cette clé (ex. versionModele=2.1)"))
    imported.add_argument("--id", dest="format_id", metavar=_("ID"),
                          help=_("identifiant du format (défaut : officiel-COULOIR-TYPE)"))
    add_option(imported, "--name", french="--nom", metavar=_("NOM"), help=_("nom affiché du format"))
    imported.add_argument("--version", dest="format_version", metavar=_("VERSION"),
                          help=_("version du modèle (défaut : la date du jour)"))
    imported.add_argument("--workspace", "-w", type=Path, metavar=_("DOSSIER"),
                          help=_("enregistrer le format dans ce dossier de travail (défaut : pour tous vos dossiers)"))
    add_option(imported, "--dry-run", french="--essai", action="store_true",
               help=_("montrer la correspondance sans rien enregistrer"))
    add_option(imported, "--replace", french="--remplacer", action="store_true",
               help=_("remplacer un format du même identifiant"))
    add_format_option(imported)
    imported.set_defaults(handler=_import)

    add_command(sub, "disable", french="desactiver", build=_toggle_parser(_disable),
                help=_("désactiver un format (le précédent reprend la main)"))
    add_command(sub, "enable", french="activer", build=_toggle_parser(_enable), help=_("réactiver un format désactivé"))


def _list_parser(listing: argparse.ArgumentParser) -> None:
    listing.add_argument("--workspace", "-w", type=Path, metavar=_("DOSSIER"),
                         help=_("inclure les formats du dossier de travail"))
    add_format_option(listing)
    listing.set_defaults(handler=_list)


def _fields_parser(fields: argparse.ArgumentParser) -> None:
    add_format_option(fields)
    fields.set_defaults(handler=_fields)


def _toggle_parser(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.ArgumentParser], None]:
    def build(toggle: argparse.ArgumentParser) -> None:
        toggle.add_argument("format_id", metavar=_("ID"))
        toggle.add_argument("--workspace", "-w", type=Path, metavar=_("DOSSIER"),
                            help=_("le format est celui de ce dossier de travail"))
        toggle.set_defaults(handler=handler)
    return build


def _formats_parent(args: argparse.Namespace) -> Path:
    if args.workspace:
        from segur_desktop.core.workspace import load_workspace

        folder = load_workspace(args.workspace).folder
        return folder / "formats"
    return user_data_dir() / "formats"


def _list(args: argparse.Namespace) -> int:
    registry = schema_registry(args)
    entries = sorted({id(e): e for e in [*registry.entries.values(), *registry.by_vague.values()]}.values(),
                     key=lambda e: (e.couloir, e.type, e.vague or ""))
    if args.format == "json":
        print_json([{"couloir": e.couloir, "type": e.type, "vague": e.vague, "format": e.format.id, "name": e.format.name,
                     "version": e.format.version, "status": e.format.status, "origin": e.format.origin,
                     "incomplete": [g.path for g in e.template.gaps], "schema": str(e.path)} for e in entries])
        return EXIT_OK
    lines = [_("Couloir   Type     Statut        Format")]
    for e in entries:
        gaps = _(" — incomplet : {keys}").format(keys=", ".join(g.path for g in e.template.gaps)) if e.template.gaps else ""
        wave = _(" — vague {vague} seulement").format(vague=e.vague) if e.vague else ""
        lines.append(f"{e.couloir:<9} {e.type:<8} {e.format.status:<13} {e.format.name} {e.format.version} "
                     f"({e.format.id}, {e.format.origin}){wave}{gaps}")
    if any(not e.format.official for e in entries):
        lines += ["", _("Format « reconstitué » : les noms de champs sont ceux de Segur Desktop, le portail peut encore "
                        "refuser ces fichiers. L'ASP publie un modèle de JSON vierge et un exemple dans les « documents "
                        "utiles » de chaque guichet : importez-les avec segur-desktop format import.")]
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def _fields(args: argparse.Namespace) -> int:
    from segur_desktop.core.formats.canonical import canonical_catalog

    fields = list(canonical_catalog().fields.values())
    if args.format == "json":
        print_json([{"id": f.id, "label": f.label, "type": f.type, "level": f.level} for f in fields])
        return EXIT_OK
    sys.stdout.write("\n".join(f"{f.id:<30} {f.type:<8} {f.label}" for f in fields) + "\n")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from segur_desktop.core.formats.importer import propose, save

    proposal = propose(args.model, couloir=args.couloir, request_type=args.request_type, vague=args.wave,
                       example_path=args.example, schema_path=args.schema, demandes=args.requests,
                       fields=args.field, constants=args.constant, format_id=args.format_id)
    saved = None
    if not args.dry_run:
        saved = save(proposal, _formats_parent(args), model_path=args.model, example_path=args.example,
                     replace=args.replace, name=args.name, version=args.format_version)
    if args.format == "json":
        print_json({"format": proposal.format_id, "saved": str(saved) if saved else None,
                    "mapping": [{"path": m.path, "field": m.field_id, "how": m.how, "value": m.value,
                                 "example": m.example, "candidates": list(m.candidates)} for m in proposal.mapped],
                    "missing": [m.path for m in proposal.gaps], "unused": proposal.unused})
    else:
        lines = proposal.report()
        lines.append(_("Enregistré dans « {path} ».").format(path=saved) if saved
                     else _("Essai : rien n'a été enregistré."))
        sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_PROBLEMS if proposal.gaps else EXIT_OK


def _toggle(args: argparse.Namespace, disable: bool) -> int:
    from segur_desktop.core.formats.store import DISABLED_MARK, FORMAT_FILE

    folder = _formats_parent(args) / args.format_id
    if not (folder / FORMAT_FILE).is_file():
        raise InputError(_("Aucun format « {id} » dans « {parent} ». segur-desktop format list montre les formats en "
                           "vigueur.").format(id=args.format_id, parent=folder.parent))
    mark = folder / DISABLED_MARK
    if disable:
        mark.write_text(_("Format désactivé par segur-desktop format disable.\n"), encoding="utf-8")
        sys.stdout.write(_("Format « {id} » désactivé : le format précédent est de nouveau en vigueur.").format(
            id=args.format_id) + "\n")
    else:
        mark.unlink(missing_ok=True)
        sys.stdout.write(_("Format « {id} » réactivé.").format(id=args.format_id) + "\n")
    return EXIT_OK


def _disable(args: argparse.Namespace) -> int:
    return _toggle(args, True)


def _enable(args: argparse.Namespace) -> int:
    return _toggle(args, False)
