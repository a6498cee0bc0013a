"""Time the Suivi register on a generated workspace: recording an export, the snapshot validation
takes, validation against the register, and a status file of one line per demande.

A vendor's register grows to tens of thousands of demandes over a programme; none of these
steps may make a check or an export noticeably slower. This script prints the figures (and the
register's size on disk); it asserts nothing: it is not a test. From the repository root:
`python -m bench.register_speed` or `python -m bench.register_speed --rows 2000`.

Both backends (issue #20): `--backend sqlite` (the default file), `--backend postgresql --url
postgresql://user@host/db` (a shared register; without --url, a throwaway cluster on loopback is
started with the tests' helper, tests/pg.py, as the tests do), `--backend both`.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.export_speed import PDF_BYTES, ensure_workspace
from bench.generate import CONTROL_DATE
from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.export.bundle import export_result
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.record import record_export
from segur_desktop.core.register.statusfile import apply_status_file, plan_status_file
from segur_desktop.core.register.store import Register
from segur_desktop.core.workspace import load_workspace


def timed(label: str, figures: list[tuple[str, float]], action):
    start = time.perf_counter()
    value = action()
    figures.append((label, time.perf_counter() - start))
    return value


def open_register(backend: str, tmp: Path, url: str | None) -> Register:
    if backend == "sqlite":
        return Register(tmp / "registre.sqlite3")
    from segur_desktop.core.register.postgresql import PostgresBackend

    return Register(PostgresBackend(url, f"bench_{os.getpid()}", anchor=tmp / "registre.postgresql"))


def size_mb(register: Register, tmp: Path) -> float:
    if not register.shared:
        return sum(p.stat().st_size for p in tmp.glob("registre.sqlite3*")) / 1e6
    with register.backend.connect() as con:
        return float(con.execute("SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN"
                           " pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind = 'r'",
                           (register.backend.schema,)).fetchone()[0]) / 1e6


def measure(backend: str, rows: int, url: str | None) -> tuple[int, float, list[tuple[str, float]]]:
    folder = ensure_workspace(rows, PDF_BYTES)
    at = parse_instant(CONTROL_DATE)
    workspace = load_workspace(folder)
    figures: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="segur-bench-register-") as name:
        tmp = Path(name)
        register = open_register(backend, tmp, url)
        result = timed("validation, empty register", figures,
                       lambda: run_pipeline(workspace, at, register=RegisterIndex.of(register)))
        exported = export_result(result, tmp / "depots")
        outcome = timed("record the export", figures, lambda: record_export(register, exported))
        index = timed("snapshot for validation", figures, lambda: RegisterIndex.of(register))
        timed("validation against the register", figures, lambda: run_pipeline(workspace, at, register=index))
        timed("validation without register", figures, lambda: run_pipeline(workspace, at))
        statuses = tmp / "statuts.csv"
        with statuses.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(["Identifiant de la demande", "Statut"])
            writer.writerows([demande_id, "Validée"] for demande_id in outcome.new)
        plan = timed("read a status file", figures, lambda: plan_status_file(register, statuses))
        timed("apply it", figures, lambda: apply_status_file(register, plan))
        size = size_mb(register, tmp)
        if register.shared:
            with register.backend.connect(write=True) as con:
                con.execute(f"DROP SCHEMA {register.backend.schema} CASCADE")
    return len(outcome.new), size, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000, help="number of demandes (default: 20000)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--url", help="postgresql://user@host/db (default: a throwaway cluster on loopback)")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    cluster = None
    url = args.url
    if "postgresql" in backends and url is None:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from pg import Cluster, bindir  # the tests' helper: initdb + pg_ctl in a temporary folder

        folder = bindir()
        if folder is None:
            raise SystemExit("PostgreSQL's binaries are not installed: give --url, or install Debian's postgresql")
        cluster = Cluster.start(folder)
        url = cluster.url
    try:
        results = {backend: measure(backend, args.rows, url) for backend in backends}
    finally:
        if cluster is not None:
            cluster.stop()
    for backend, (recorded, size, _figures) in results.items():
        print(f"{backend}: {args.rows:,} rows, {recorded:,} demandes recorded; register on disk: {size:.1f} MB")
    print("| step | " + " | ".join(f"{b} (s)" for b in results) + " |")
    print("|---|" + "---:|" * len(results))
    labels = [label for label, _ in next(iter(results.values()))[2]]
    for i, label in enumerate(labels):
        print(f"| {label} | " + " | ".join(f"{figures[i][1]:.2f}" for _, _, figures in results.values()) + " |")


if __name__ == "__main__":
    main()
