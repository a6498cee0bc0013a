"""Time the Suivi register on a generated workspace: recording an export, the snapshot validation
takes, validation against the register, and a status file of one line per demande.

A vendor's register grows to tens of thousands of demandes over a programme; none of these
steps may make a check or an export noticeably slower. This script prints the figures (and the
register's size on disk); it asserts nothing: it is not a test. From the repository root:
`python -m bench.register_speed` or `python -m bench.register_speed --rows 2000`.
"""

from __future__ import annotations

import argparse
import csv
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000, help="number of demandes (default: 20000)")
    args = parser.parse_args()
    folder = ensure_workspace(args.rows, PDF_BYTES)
    at = parse_instant(CONTROL_DATE)
    workspace = load_workspace(folder)
    figures: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="segur-bench-register-") as tmp:
        register = Register(Path(tmp) / "registre.sqlite3")
        result = timed("validation, empty register", figures,
                       lambda: run_pipeline(workspace, at, register=RegisterIndex.of(register)))
        exported = export_result(result, Path(tmp) / "depots")
        outcome = timed("record the export", figures, lambda: record_export(register, exported))
        index = timed("snapshot for validation", figures, lambda: RegisterIndex.of(register))
        timed("validation against the register", figures, lambda: run_pipeline(workspace, at, register=index))
        timed("validation without register", figures, lambda: run_pipeline(workspace, at))
        statuses = Path(tmp) / "statuts.csv"
        with statuses.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(["Identifiant de la demande", "Statut"])
            writer.writerows([demande_id, "Validée"] for demande_id in outcome.new)
        plan = timed("read a status file", figures, lambda: plan_status_file(register, statuses))
        timed("apply it", figures, lambda: apply_status_file(register, plan))
        size = sum(p.stat().st_size for p in Path(tmp).glob("registre.sqlite3*")) / 1e6
    print(f"{args.rows:,} rows, {len(outcome.new):,} demandes recorded; register on disk: {size:.1f} MB")
    print("| step | seconds |")
    print("|---|---:|")
    for label, seconds in figures:
        print(f"| {label} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
