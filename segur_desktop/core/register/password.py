"""A shared register's password in the system's keyring, never in a file of ours (issue #20).

A team's register URL names a user and no password (`check_url` refuses one):
workspace.json and reglages.json are read by others, copied, sent to support.
The password is looked up, in this order:

1. the system's keyring (Windows Credential Manager, macOS Keychain, the
   Secret Service on Linux) through the optional `keyring` package, under the
   service « segur-desktop » and the account `user@host:port/db`, so one
   password serves every workspace naming that database as that user;
2. otherwise libpq itself: `.pgpass`, or the file `PGPASSFILE` names.

`store_password` is how it gets there (`segur-desktop register password`, the
« Mot de passe… » button of the Dossier de travail page).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.register.backend import check_url

SERVICE = "segur-desktop"
DEFAULT_PORT = 5432


def keyring_account(url: str) -> str | None:
    """`user@host:port/db`, the keyring's account for this URL; None when the URL names no user (libpq then
    logs in as the system user, and only .pgpass can hold its password)."""
    parts = urlsplit(url.strip())
    query = {k.lower(): v[-1] for k, v in parse_qs(parts.query).items()}
    user = unquote(parts.username or "") or query.get("user", "")
    if not user:
        return None
    host = parts.hostname or query.get("host", "")
    port = parts.port or int(query.get("port", "") or DEFAULT_PORT)
    database = unquote(parts.path.lstrip("/")) or query.get("dbname", "") or user
    return f"{user}@{host}:{port}/{database}"


def _keyring() -> Any | None:
    """The keyring module when it is installed and the system offers a keyring (its `fail` backend: none)."""
    try:
        import keyring  # optional: `segur-desktop[postgresql]`, bundled in the frozen app
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        return None if isinstance(keyring.get_keyring(), fail.Keyring) else keyring
    except Exception:  # a broken keyring configuration: as if there were none, .pgpass still works
        return None


def stored_password(url: str) -> str | None:
    """The password the keyring holds for this URL's user, server and database, if any."""
    account = keyring_account(url)
    keyring = _keyring() if account else None
    if keyring is None:
        return None
    try:
        return keyring.get_password(SERVICE, account)
    except Exception:  # a locked or unreachable keyring: libpq's .pgpass is the other way
        return None


def storing_account(url: str) -> str:
    """The account `store_password` keeps this URL's password under, checked before any password is asked
    (`register password` prompts only then). French InputErrors: a URL that is refused, names no user, or no keyring
    on this computer."""
    return _storing(url)[0]


def store_password(url: str, password: str) -> str:
    """Keep `password` in the system's keyring for this URL; the account it is kept under. French InputErrors:
    those of `storing_account`, an empty password, the keyring refusing."""
    account, keyring = _storing(url)
    if not password:
        raise InputError(_("Mot de passe vide : rien n'a été enregistré."))
    try:
        keyring.set_password(SERVICE, account, password)
    except Exception as exc:
        raise InputError(_("Le trousseau du système a refusé d'enregistrer le mot de passe ({reason}). Mettez-le "
                           "plutôt dans votre fichier .pgpass.").format(reason=str(exc) or type(exc).__name__)) from None
    return account


def _storing(url: str) -> tuple[str, Any]:
    """(the keyring account for this URL, the keyring), or the French refusal."""
    check_url(url)
    account = keyring_account(url)
    if account is None:
        raise InputError(_("L'adresse « {url} » ne nomme pas d'utilisateur (postgresql://utilisateur@serveur/base) : "
                           "le trousseau range un mot de passe par utilisateur. Ajoutez-le à l'adresse.").format(url=url))
    keyring = _keyring()
    if keyring is None:
        raise InputError(_("Aucun trousseau du système n'est disponible sur ce poste : le mot de passe n'a pas été "
                           "enregistré. Mettez-le dans votre fichier .pgpass (ou le fichier que désigne PGPASSFILE), "
                           "une ligne serveur:port:base:utilisateur:mot_de_passe."))
    return account, keyring
