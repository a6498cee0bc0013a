"""Suivi: the memory of every exported demande, its portal status and history (issue #8).

- `lifecycle`: statuses, French labels, allowed changes (`resources/statuses.json`);
- `store`: the SQLite register, one per vendor, and its migrations;
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

from segur_desktop.core.register.store import Register, register_path
from segur_desktop.core.workspace import Workspace

NO_VENDOR = "sans-editeur"


def register_for(workspace: Workspace, *, repair: bool = False) -> Register:
    """The register of the workspace's vendor (created empty the first time; refused when it lost rows, unless
    `repair`: see `marker`)."""
    return Register(register_path(workspace.vendor.siret if workspace.vendor else NO_VENDOR), repair=repair)
