"""Where the bundled data (`resources/`, `schemas/`) and the user's data live.

The one place that knows the layout on disk: a source checkout (or editable
install) keeps the data beside the package, a frozen PyInstaller app unpacks it
under `sys._MEIPASS`. User overrides live in the platform's user-data folder
(platformdirs), which `SEGUR_DESKTOP_DATA_DIR` replaces (tests, portable use).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "segur-desktop"


def app_root() -> Path:
    """The folder holding `resources/`, `schemas/` and `docs/` (the user guide)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return app_root() / "resources"


def schemas_dir() -> Path:
    return app_root() / "schemas"


def guide_dir() -> Path:
    """The user guide's Markdown chapters (`docs/guide/`), beside `docs/screenshots/` for its pictures."""
    return app_root() / "docs" / "guide"


def demo_workspace() -> Path:
    return resources_dir() / "demo"


def user_data_dir() -> Path:
    """The user's overrides: same relative paths as `resources/` and `schemas/`."""
    override = os.environ.get("SEGUR_DESKTOP_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
