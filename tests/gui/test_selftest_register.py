"""`--self-test` and the shared register (issue #20): the frozen app must load psycopg, libpq and keyring (its users
share registers); an installation from source without the `postgresql` extra only says they are missing."""

import builtins
import sys
from pathlib import Path

import pytest

from segur_desktop import selftest


def test_the_postgresql_backend_and_its_driver_load_without_connecting(tmp_path: Path) -> None:
    ok, detail = selftest._shared_register(tmp_path)
    assert ok
    assert detail.startswith("registre partagé PostgreSQL utilisable (psycopg 3.")
    assert ", libpq " in detail and detail.endswith(", binary)")  # the wheel's own libpq, bundled by the spec


@pytest.mark.parametrize(("frozen", "passes"), [(False, True), (True, False)])
def test_without_psycopg_only_the_frozen_app_fails(monkeypatch, tmp_path: Path, frozen: bool, passes: bool) -> None:
    real_import = builtins.__import__

    def without_psycopg(name, *args, **kwargs):
        if name == "psycopg":
            raise ImportError("No module named 'psycopg'", name="psycopg")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_psycopg)
    monkeypatch.setattr(sys, "frozen", frozen, raising=False)
    assert selftest._shared_register(tmp_path) == (passes, "registre partagé PostgreSQL indisponible : module "
                                                           "psycopg absent")
