"""A register named for a child process (issue #20): the suites that kill or race a writer in another process run on
both backends, the child opening the very register the test made (a SQLite file, or a schema of the session's
PostgreSQL cluster)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from segur_desktop.core.register.store import Register

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def spec_of(register: Register) -> str:
    """The register as one command-line argument (JSON)."""
    backend = register.backend
    if backend.kind == "sqlite":
        return json.dumps({"kind": "sqlite", "path": str(register.path)})
    return json.dumps({"kind": "postgresql", "url": backend.url, "schema": backend.schema, "anchor": str(backend.anchor)})


def from_spec(text: str) -> Register:
    """In the child: the register `spec_of` named."""
    spec = json.loads(text)
    if spec["kind"] == "sqlite":
        return Register(Path(spec["path"]))
    from segur_desktop.core.register.postgresql import PostgresBackend

    return Register(PostgresBackend(spec["url"], spec["schema"], Path(spec["anchor"])))


def child_env() -> dict[str, str]:
    """The child imports this module (and the package) as the test does."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT), *sys.path])}
