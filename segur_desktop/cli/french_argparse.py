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
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ambiguous option: %(option)s could match %(matches)s":
        "option ambiguë : %(option)s peut désigner %(matches)s",
    "ignored explicit argument %r": "valeur %r ignorée : cette option n'en prend pas",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "commande inconnue : %(parser_name)r (possibles : %(choices)s)",
    "argument \"-\" with mode %r": "l'argument « - » ne peut pas s'ouvrir en mode %r",
}

#: argparse's plural messages: English singular → (French singular, French plural).
FRENCH_PLURALS = {
    "expected %s argument": ("%s valeur attendue", "%s valeurs attendues"),
}


_GETTEXT = argparse._  # argparse's own gettext, kept for the strings not listed here
_NGETTEXT = argparse.ngettext


def translate(text: str) -> str:
    return FRENCH.get(text) or _GETTEXT(text)


def translate_plural(singular: str, plural: str, n: int) -> str:
    french = FRENCH_PLURALS.get(singular)
    if french is None:
        return _NGETTEXT(singular, plural, n)
    return french[0] if n <= 1 else french[1]


def install() -> None:
    """Idempotent: every parser built afterwards speaks French.

    `--version`'s help is not looked up through gettext before Python 3.12: it is a default value of
    `_VersionAction.__init__`, replaced here by its French text (so `--version` says « afficher la version
    et quitter » in both commands, whatever help the caller gave: none)."""
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = translate_plural  # type: ignore[attr-defined]
    for action in (argparse._VersionAction, argparse._HelpAction):
        init = action.__init__
        if init.__defaults__:
            init.__defaults__ = tuple(FRENCH.get(value, value) if isinstance(value, str) else value
                                      for value in init.__defaults__)
        if init.__kwdefaults__:
            init.__kwdefaults__ = {key: FRENCH.get(value, value) if isinstance(value, str) else value
                                   for key, value in init.__kwdefaults__.items()}
