"""`register password`: a shared register's password into the system's keyring (issue #20).

The URL in workspace.json or reglages.json never holds a password; this
command asks for it twice (never echoed), and hands it to the keyring
(`core/register/password.py`), which Segur Desktop reads at each connection.
It is never written into a file of ours, nor printed.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from segur_desktop.cli.common import EXIT_OK, add_command
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.register.backend import configured
from segur_desktop.core.register.password import SERVICE, store_password, storing_account


def add_password_command(sub: argparse._SubParsersAction) -> None:
    add_command(sub, "password", french="mot-de-passe", build=_parser,
                help=_("enregistrer dans le trousseau du système le mot de passe du registre partagé (PostgreSQL)"))


def _parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", nargs="?", metavar="URL",
                        help=_("adresse du registre partagé, postgresql://utilisateur@serveur/base (défaut : celle du "
                               "dossier de travail, sinon celle de vos réglages)"))
    parser.add_argument("--workspace", "-w", type=Path, metavar=_("DOSSIER"),
                        help=_("dossier de travail dont le réglage « registre » désigne le registre partagé"))
    parser.set_defaults(handler=_password)


def _password(args: argparse.Namespace) -> int:
    url = args.url or _setting(args.workspace)
    account = storing_account(url)  # a URL or a computer where nothing can be stored: said before any prompt
    try:
        first = getpass.getpass(_("Mot de passe de {account} : ").format(account=account))
        again = getpass.getpass(_("Le même, encore une fois : "))
    except EOFError:  # no terminal and nothing piped in
        raise InputError(_("Aucun mot de passe saisi : rien n'a été enregistré. Lancez la commande dans un "
                           "terminal, qui demande le mot de passe sans l'afficher.")) from None
    if again != first:
        raise InputError(_("Les deux saisies diffèrent : rien n'a été enregistré. Recommencez."))
    store_password(url, first)
    sys.stdout.write(_("Mot de passe enregistré dans le trousseau du système (service « {service} », compte "
                       "« {account} ») ; aucun fichier ne le contient. Segur Desktop le donnera au serveur à chaque "
                       "connexion.").format(service=SERVICE, account=account) + "\n")
    return EXIT_OK


def _setting(workspace: Path | None) -> str:
    found = configured(workspace)
    if found is None:
        raise InputError(_("Aucun registre partagé n'est réglé (« registre » dans workspace.json ou dans vos "
                           "réglages) : indiquez son adresse, segur-desktop register password "
                           "postgresql://utilisateur@serveur/base."))
    return found[0]
