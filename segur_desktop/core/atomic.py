"""Never half-written: every file the product writes goes through here.

The data is written to a temporary file in the destination folder, flushed to
disk, then renamed over the destination: a crash at any moment leaves either
the previous file or the complete new one.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from pathlib import Path
from typing import Any


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        write_new(temp, data)  # "x": never reuse a file; the umask gives normal permissions
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def dump_json(data: Any) -> bytes:
    """The product's JSON layout: UTF-8, indented, stable key order as given."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


STALE_AFTER_S = 3600  # a temporary folder this old is a crashed write's, never a running one's


def write_new(path: Path, data: bytes) -> None:
    """Create `path` (never over an existing file) with `data`, flushed to the disk."""
    with path.open("xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def sync(path: Path) -> None:
    """Flush a file (or, where the OS allows it, a folder's entries) to the disk."""
    if path.is_dir():
        if os.name != "posix":
            return
        fd = os.open(path, os.O_RDONLY)
    else:
        fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove(path: Path) -> None:
    """A temporary file or folder, gone (what is already gone is fine)."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def remove_stale(destination: Path, pattern: str) -> None:
    """Temporary files or folders (`pattern`) of writes killed earlier; never a running one's: those are fresh."""
    for path in destination.glob(pattern):
        try:
            if time.time() - path.stat().st_mtime > STALE_AFTER_S:
                remove(path)
        except OSError:
            continue


def publish(temp: Path, destination: Path, stem: str, suffix: str) -> Path:
    """Rename `temp` to the first free `stem[_n]suffix`: one atomic step, never over an existing bundle or folder."""
    number = 1
    while True:
        target = destination / (f"{stem}{suffix}" if number == 1 else f"{stem}_{number}{suffix}")
        number += 1
        if target.exists():
            continue
        try:
            os.rename(temp, target)
        except (FileExistsError, IsADirectoryError, NotADirectoryError):
            continue
        except OSError:
            if target.exists():  # another export took the name meanwhile (POSIX: ENOTEMPTY)
                continue
            raise
        sync(destination)
        return target
