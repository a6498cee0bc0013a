"""What the window remembers between launches: geometry, splitters, recent workspaces, last folders.

An INI file in the user-data folder (so `SEGUR_DESKTOP_DATA_DIR` keeps tests
and portable use away from the user's own settings), with a
`schema_version` so a later format can migrate it.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from segur_desktop.core.paths import user_data_dir

SCHEMA_VERSION = 1
MAX_RECENT = 8


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        path = path or user_data_dir() / "settings.ini"
        self._qsettings = QSettings(str(path), QSettings.Format.IniFormat)
        if self._qsettings.value("schema_version") is None:
            self._qsettings.setValue("schema_version", SCHEMA_VERSION)

    def recent_workspaces(self) -> list[Path]:
        value = self._qsettings.value("recent_workspaces", [])
        paths = [value] if isinstance(value, str) else list(value or [])
        return [Path(p) for p in paths if p]

    def add_recent(self, folder: Path) -> None:
        """First among the recent ones; made absolute by its text alone (`resolve` asks the disk, on the GUI thread,
        of a folder that may be on a share)."""
        folder = Path(os.path.abspath(folder))
        recent = [folder, *(p for p in self.recent_workspaces() if p != folder)][:MAX_RECENT]
        self._qsettings.setValue("recent_workspaces", [str(p) for p in recent])

    def remove_recent(self, folder: Path) -> None:
        self._qsettings.setValue("recent_workspaces", [str(p) for p in self.recent_workspaces() if p != folder])

    def last_folder(self, purpose: str) -> str:
        """The folder a file dialog for `purpose` ("workspace", "clients", "pieces"...) opened last."""
        return str(self._qsettings.value(f"last_folder/{purpose}", str(Path.home())))

    def set_last_folder(self, purpose: str, folder: Path) -> None:
        self._qsettings.setValue(f"last_folder/{purpose}", str(folder))

    def geometry(self) -> QByteArray | None:
        value = self._qsettings.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def save_geometry(self, geometry: QByteArray) -> None:
        self._qsettings.setValue("window/geometry", geometry)

    def splitter_state(self, name: str) -> QByteArray | None:
        """Where the user left the splitter `name` (« demandes/vertical »…), as `QSplitter.saveState()` gave it."""
        value = self._qsettings.value(f"splitters/{name}")
        return value if isinstance(value, QByteArray) else None

    def save_splitter_state(self, name: str, state: QByteArray) -> None:
        self._qsettings.setValue(f"splitters/{name}", state)

    def sync(self) -> None:
        self._qsettings.sync()
