"""argparse's own words in French: "utilisation :", not "usage:".

argparse takes its strings from gettext's default domain, for which no French
catalog ships with Python. The command's users read French only, so this
module gives argparse the few sentences they can meet. It is imported by the
CLI only: the window never uses argparse.
"""

from __future__ import annotations

import argparse

FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (possibles : %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "expected one argument": "une valeur est attendue",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "not allowed with argument %s": "incompatible avec l'argument %s",
}


_GETTEXT = argparse._  # argparse's own gettext, kept for the strings not listed here


def translate(text: str) -> str:
    return FRENCH.get(text) or _GETTEXT(text)


def install() -> None:
    """Idempotent: every parser built afterwards speaks French."""
    argparse._ = translate  # type: ignore[attr-defined]
