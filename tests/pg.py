"""A throwaway PostgreSQL cluster for the register's tests (issue #20).

`initdb` in a temporary folder, `pg_ctl start` on a free loopback port with the socket in that folder, trust
authentication, `fsync=off` (nothing here must survive the machine), stopped and removed at the end of the session.
PostgreSQL refuses to run as root: as root (CI, this machine) the cluster belongs to an unprivileged user (Debian's
`postgres` account, else `nobody`) and its commands run through `runuser`.

No PostgreSQL binaries: the tests that need it are skipped on a developer's machine, but they FAIL when `CI=true`,
so CI can never pass by skipping them (`.ci/run` installs Debian's `postgresql`).
"""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"true", "1", "yes"}


def bindir() -> Path | None:
    """Where initdb, pg_ctl and postgres are: $PG_BINDIR, PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    given = os.environ.get("PG_BINDIR")
    candidates = [Path(given)] if given else []
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(Path(found).resolve().parent)
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                           key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit()
                                           else 0, reverse=True)]
    for folder in candidates:
        if all((folder / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _owner() -> str | None:
    """The unprivileged account that runs the cluster when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("root, and no unprivileged account (postgres, nobody) to run PostgreSQL as")


@dataclass
class Cluster:
    folder: Path
    port: int
    user: str  # the cluster's superuser, as the URL names it
    owner: str | None  # the account running it (None: this one)
    bindir: Path

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.owner, "--"] if self.owner else []
        completed = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120)
        if completed.returncode != 0:
            log = self.folder / "postgres.log"
            raise RuntimeError(f"{' '.join(command)} failed ({completed.returncode}):\n{completed.stdout}\n"
                               f"{completed.stderr}\n{log.read_text() if log.exists() else ''}")

    @classmethod
    def start(cls, bin_folder: Path) -> Cluster:
        owner = _owner()
        folder = Path(tempfile.mkdtemp(prefix="segur-pg-"))
        user = owner or pwd.getpwuid(os.geteuid()).pw_name
        if owner:
            entry = pwd.getpwnam(owner)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        cluster = cls(folder, _free_port(), user, owner, bin_folder)
        data = folder / "data"
        cluster._run(str(bin_folder / "initdb"), "-D", str(data), "-A", "trust", "-U", user, "-E", "UTF8",
                     "--locale=C.UTF-8" if _has_c_utf8() else "--locale=C", "--no-sync")
        options = f"-p {cluster.port} -k {folder} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off " \
                  f"-c full_page_writes=off -c max_connections=100"
        cluster._run(str(bin_folder / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "postgres.log"),
                     "-w", "-t", "60", "start")
        return cluster

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _has_c_utf8() -> bool:
    try:
        return "c.utf8" in subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    except OSError:
        return False


def skip_or_fail(reason: str) -> None:
    """Skip on a developer's machine without PostgreSQL; fail in CI, where it must be there."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}: .ci/run must install PostgreSQL (Debian's postgresql) and psycopg")
    pytest.skip(reason)


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


def drop_schema(url: str, schema: str) -> None:
    """A vendor's shared register removed from the session's cluster, for a test that uses the vendor's own schema."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def schema_name(nodeid: str, name: str) -> str:
    """A schema of its own for each test and register name: tests share one cluster, never a register."""
    digest = hashlib.sha1(nodeid.encode()).hexdigest()[:12]
    return f"t{digest}_{re.sub(r'[^a-z0-9_]', '_', name.lower())}"[:63]
