"""The register setting as the Dossier de travail page edits it: checked, tried, and a local register moved (#20).

Until now `registre` was only set by editing workspace.json; the page offers
« Local (ce poste) » or « Partagé (PostgreSQL) » with its URL. This module
answers the page's three questions, without Qt (the page runs the slow ones in
a worker): is this URL acceptable (`check_setting`, at each keystroke, no
network), does the server answer (`try_connection`), and does the vendor's
local register hold rows worth copying into the shared one before switching
(`local_rows`, then `move_local`, the transfer `register migrate` makes).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from segur_desktop.core.datafiles import load_json
from segur_desktop.core.errors import InputError
from segur_desktop.core.i18n import _
from segur_desktop.core.normalise.amounts import format_count
from segur_desktop.core.register.backend import SETTING, check_url, configured, is_url, schema_for
from segur_desktop.core.register.marker import Counts
from segur_desktop.core.register.store import Register, register_path
from segur_desktop.core.register.transfer import TransferSummary, copy_register
from segur_desktop.core.workspace import WORKSPACE_FILE, WORKSPACE_MAX_BYTES


def check_setting(url: str) -> str | None:
    """Why this shared register's URL cannot be saved, in French; None when it can (no connection made)."""
    if not url.strip():
        return _("Indiquez l'adresse de la base PostgreSQL de l'équipe (postgresql://utilisateur@serveur/base).")
    if not is_url(url):
        return _("« {url} » n'est pas l'adresse d'une base PostgreSQL : elle commence par postgresql:// "
                 "(postgresql://utilisateur@serveur/base).").format(url=url.strip())
    try:
        check_url(url)
    except InputError as error:
        return str(error)
    return None


def setting_of(folder: Path) -> str:
    """The `registre` workspace.json holds, as written ("": none; the register is then local unless this
    computer's settings name one)."""
    data = load_json(folder / WORKSPACE_FILE, max_bytes=WORKSPACE_MAX_BYTES)
    value = data.get(SETTING) if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) else ""


def user_setting() -> str:
    """The URL of this computer's own settings (reglages.json), in force where workspace.json names none; ""
    when there is none, or when it cannot be read (the Suivi page says why)."""
    try:
        found = configured(None)
    except InputError:
        return ""
    return found[0] if found is not None else ""


@dataclass(frozen=True, slots=True)
class Reached:
    database: str
    server: str  # « 127.0.0.1:5432 »
    version: str  # the server's, « 16.4 »
    demandes: int | None  # in this vendor's register there; None: not created yet (the first check creates it)
    seconds: float

    def describe(self) -> str:
        there = (_("le registre de cet éditeur n'y existe pas encore : il sera créé à la première vérification")
                 if self.demandes is None else
                 _("le registre de cet éditeur y suit {n} demande(s)").format(n=format_count(self.demandes)))
        return _("Connexion réussie en {seconds} s : PostgreSQL {version}, base « {db} » sur {server} ; {there}.").format(
            seconds=f"{self.seconds:.1f}".replace(".", ","), version=self.version, db=self.database,
            server=self.server, there=there)


def try_connection(url: str, vendor: str) -> Reached:
    """Connect once, read-only, and say what answered; the unreachable case is the French InputError the Suivi page
    would show. Nothing is created: the vendor's schema is only looked for."""
    problem = check_setting(url)
    if problem:
        raise InputError(problem)
    from segur_desktop.core.register.postgresql import PostgresBackend  # psycopg only when asked for

    backend = PostgresBackend(url, schema_for(vendor))
    start = time.perf_counter()
    with backend.connect() as con:
        database, version = con.execute("SELECT current_database(), current_setting('server_version')").one()
        there = con.execute("SELECT to_regclass(?)", (f"{backend.schema}.demandes",)).one()[0]
        demandes = con.execute(f"SELECT count(*) FROM {backend.schema}.demandes").one()[0] if there else None
    return Reached(database, f"{backend.host}:{backend.port}", version.split()[0], demandes,
                   time.perf_counter() - start)


def local_rows(vendor: str) -> Counts | None:
    """The rows of the vendor's local (SQLite) register, when it has any: what switching to a shared one would
    leave behind. None: no local register, or an empty one."""
    path = register_path(vendor)
    if not path.is_file():
        return None
    counts = Register(path).counts()
    return None if counts.empty else counts


def move_local(vendor: str, url: str) -> TransferSummary:
    """The vendor's local register copied whole into its schema of the shared database, verified (`transfer`);
    the local file is left as it was, a backup."""
    from segur_desktop.core.register.postgresql import PostgresBackend

    return copy_register(Register(register_path(vendor)), Register(PostgresBackend(url, schema_for(vendor))))
