"""Fixtures for the register's suites on both backends (issue #20): a throwaway PostgreSQL cluster for the session
(`pg.py`), and `new_register`, parametrised over SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pg import Cluster, bindir, skip_or_fail
from segur_desktop.core.register.store import Register

BACKENDS = ("sqlite", "postgresql")
RegisterMaker = Callable[..., Register]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a PostgreSQL cluster started for this test session (skipped without PostgreSQL, failed in CI)."""
    folder = bindir()
    if folder is None:
        skip_or_fail("PostgreSQL's binaries (initdb, pg_ctl, postgres) are not installed")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        skip_or_fail("psycopg is not installed (pip install -e '.[test]')")
    cluster = Cluster.start(folder)
    try:
        yield cluster.url
    finally:
        cluster.stop()


def schema_name(nodeid: str, name: str) -> str:
    """A schema of its own for each test and register name: tests share one cluster, never a register."""
    digest = hashlib.sha1(nodeid.encode()).hexdigest()[:12]
    return f"t{digest}_{re.sub(r'[^a-z0-9_]', '_', name.lower())}"[:63]


@pytest.fixture(params=BACKENDS)
def backend_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def new_register(request: pytest.FixtureRequest, backend_kind: str, tmp_path: Path) -> RegisterMaker:
    """`new_register(name="registre", repair=False)`: the test's register of that name on the backend of this run
    (the same name opens the same register again)."""
    def make(name: str = "registre", *, repair: bool = False) -> Register:
        if backend_kind == "sqlite":
            return Register(tmp_path / f"{name}.sqlite3", repair=repair)
        from segur_desktop.core.register.postgresql import PostgresBackend

        url = request.getfixturevalue("postgres_url")
        return Register(PostgresBackend(url, schema_name(request.node.nodeid, name),
                                        anchor=tmp_path / f"{name}.postgresql"), repair=repair)

    return make
