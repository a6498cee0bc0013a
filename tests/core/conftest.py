"""`new_register`, the register's suites on both backends (issue #20): SQLite, then PostgreSQL on the session's
throwaway cluster (`postgres_url`, tests/pg.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pg import schema_name

from segur_desktop.core.register.store import Register

BACKENDS = ("sqlite", "postgresql")
RegisterMaker = Callable[..., Register]


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
