"""Suivi: the memory of every exported demande, its portal status and history (issue #8).

- `lifecycle`: statuses, French labels, allowed changes (`resources/statuses.json`);
- `store`: the register, one per vendor, its queries and guarantees; `migrations`: its schema;
- `backend`: where it lives: `sqlite` (a file, the default) or `postgresql` (a team's shared database, issue #20);
- `transfer`: a register copied whole to another backend, verified (`register migrate`);
- `marker`: the row counts kept beside a register, so an emptied one is told from a new one;
- `record`: an export (or an older bundle) into the register;
- `index`: snapshots for validation (doublons, soldes of validated avances) and totals;
- `statusfile`: statuses from a CSV or workbook, planned then applied;
- `adopt`: demandes deposited before Segur Desktop, taken over from the workspace;
- `followup`: bundles for « en attente de pièces-jointes complémentaires » and « à modifier »;
- `backup`: the register to and from JSON or XLSX.

Nothing here imports Qt.
"""

from __future__ import annotations

from segur_desktop.core.register.backend import configured, schema_for
from segur_desktop.core.register.store import Register, register_path
from segur_desktop.core.workspace import Workspace

NO_VENDOR = "sans-editeur"


def register_for(workspace: Workspace, *, repair: bool = False) -> Register:
    """The register of the workspace's vendor: the shared PostgreSQL register when workspace.json or the user's
    `reglages.json` names one (`"registre": "postgresql://…"`), else the vendor's SQLite file (created empty the
    first time). Refused when it lost rows, unless `repair` (see `marker`); a shared register that cannot be reached
    is a French InputError, never an empty local register instead."""
    vendor = workspace.vendor.siret if workspace.vendor else NO_VENDOR
    setting = configured(workspace.folder)
    if setting is not None:
        from segur_desktop.core.register.postgresql import PostgresBackend  # psycopg only when asked for

        return Register(PostgresBackend(setting[0], schema_for(vendor)), repair=repair)
    return Register(register_path(vendor), repair=repair)
