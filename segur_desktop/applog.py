"""The application's log: a rotating file in the platform's log folder.

Back-office users do not read tracebacks, but support does: every unexpected
error is written here with its traceback, and the window's Help menu opens
the file. `SEGUR_DESKTOP_LOG_DIR` points elsewhere (tests, portable use).
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from segur_desktop.core.paths import APP_NAME

LOG_NAME = "segur-desktop.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 5

log = logging.getLogger("segur_desktop")


def log_file() -> Path:
    folder = os.environ.get("SEGUR_DESKTOP_LOG_DIR") or platformdirs.user_log_dir(APP_NAME, appauthor=False)
    return Path(folder) / LOG_NAME


def setup_logging() -> Path:
    """Attach the rotating file handler once; returns the log file's path."""
    path = log_file()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in log.handlers):
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return path
