"""`mapping suggest`: recognise a spreadsheet's columns and save a mapping profile.

Exit status: 0 every required column recognised, 1 some missing, 2 unusable file.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from segur_desktop.cli.common import EXIT_OK, EXIT_PROBLEMS, add_format_option, print_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.identity import MIXED, key_catalog
from segur_desktop.core.profiles import Suggestion, load_profile, save_profile, suggest
from segur_desktop.core.read import sheet_label
from segur_desktop.core.source import column_letter


def register(commands: argparse._SubParsersAction) -> None:
    mapping = commands.add_parser("mapping", help=_("profils de correspondance des colonnes"))
    mapping.set_defaults(handler=lambda _args: mapping.print_help() or EXIT_OK)  # alone: show its commands
    mapping_commands = mapping.add_subparsers(dest="mapping_command", metavar=_("COMMANDE"))
    suggest_parser = mapping_commands.add_parser(
        "suggest", help=_("reconnaître les colonnes d'un tableur et proposer un profil de correspondance"))
    suggest_parser.add_argument("file", type=Path, metavar=_("FICHIER"), help=_("tableur à examiner"))
    suggest_parser.add_argument("--type", choices=("clients", "bdc"), dest="list_kind",
                                help=_("liste des clients ou des bons de commande (défaut : reconnue d'après les en-têtes)"))
    suggest_parser.add_argument("--sheet", metavar=_("FEUILLE"), help=_("feuille à examiner (défaut : celle des données)"))
    add_format_option(suggest_parser)
    suggest_parser.add_argument("--save", type=Path, metavar=_("PROFIL.json"),
                                help=_("enregistrer la correspondance dans ce profil (l'autre liste qu'il contient est gardée)"))
    suggest_parser.add_argument("--name", metavar=_("NOM"), help=_("nom du profil enregistré (défaut : nom du fichier)"))
    suggest_parser.set_defaults(handler=_suggest)


def _column(suggestion: Suggestion, index: int) -> str:
    return f"{column_letter(index)} « {suggestion.headers[index]} »"


def _suggestion_text(suggestion: Suggestion) -> list[str]:
    spec = suggestion.spec
    lines = [_("Fichier : {file} — {sheet}, en-têtes ligne {row} ({label})").format(
        file=suggestion.path.name, sheet=sheet_label(suggestion.path, suggestion.sheet), row=suggestion.header_row,
        label=spec.label), "",
        _("Champs :")]
    for name, field in spec.fields.items():
        if name in suggestion.columns:
            where = _column(suggestion, suggestion.columns[name])
        else:
            where = _("— absente") + (_(" (obligatoire)") if field.required else "")
        lines.append(f"  {field.label:<22} {name:<18} {where}")
    lines += ["", _keys_text(suggestion)]
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


def _keys_text(suggestion: Suggestion) -> str:
    """The kinds of key this list can be joined by, one entry per column; or, with none, what to add."""
    if not suggestion.keys:
        fix = (_("ajoutez un code client ou un identifiant (FINESS, SIRET, RPPS…)") if suggestion.list_kind == "bdc"
               else _("ajoutez un identifiant (FINESS, SIRET, RPPS…) que la liste des bons de commande porte aussi"))
        if any(suggestion.spec.fields[name].join_key for name in suggestion.proposed):
            fix = _("vérifiez la colonne proposée ci-dessous, ou {fix}").format(fix=fix)
        return _("Aucune colonne ne permet de rapprocher cette liste de l'autre : {fix}.").format(fix=fix)
    catalog = key_catalog()
    by_field: dict[str, list[str]] = {}
    derived: list[str] = []  # kinds read from another key's value (a client's SIREN begins its SIRET)
    for kind in (kind for kind in catalog.labels if kind in suggestion.keys):  # a column's kinds in catalogue order
        for name in suggestion.keys[kind]:
            by_field.setdefault(name, []).append(kind)
        if not suggestion.keys[kind]:
            derived.append(kind)
    parts = []
    for name in sorted(by_field, key=suggestion.columns.__getitem__):
        where = _column(suggestion, suggestion.columns[name])
        if suggestion.spec.fields[name].join_key == MIXED:
            where = _("{column}, mixte").format(column=where)
        parts.append(_("{keys} (colonne {where})").format(keys=catalog.label(by_field[name]), where=where))
    parts += [_("{key} (déduit d'un autre identifiant)").format(key=catalog.labels[kind]) for kind in derived]
    return _("Clés de rapprochement : {keys}").format(keys=", ".join(parts))


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
    suggestion = suggest(args.file, args.list_kind, args.sheet)
    if args.save is not None:
        profile = suggestion.to_profile(args.name or args.save.stem)
        if args.save.exists():  # keep the other table of an existing profile
            profile = load_profile(args.save).merged(profile)
            profile = replace(profile, name=args.name or profile.name)
        save_profile(profile, args.save)
    if args.format == "json":
        print_json(suggestion.as_json() | {"profile": str(args.save) if args.save else None})
    else:
        sys.stdout.write("\n".join([*_suggestion_text(suggestion), "", _next_step(suggestion, args.save)]) + "\n")
    return EXIT_OK if suggestion.complete else EXIT_PROBLEMS
