"""Never half-written: every file the product writes goes through here.

The data is written to a temporary file in the destination folder, flushed to
disk, then renamed over the destination: a crash at any moment leaves either
the previous file or the complete new one.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with temp.open("xb") as handle:  # "x": never reuse a file; the umask gives normal permissions
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def dump_json(data: Any) -> bytes:
    """The product's JSON layout: UTF-8, indented, stable key order as given."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
