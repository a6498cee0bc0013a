"""A long window session in one process: validate the same 20k-row workspace 50 times, RSS after each run.

The window keeps one `Validation` (the pipeline result, its summary and grouped diagnostics) and
replaces it at each F5, register write or edit: half an hour of work is dozens of runs in one
process. What a run leaves behind must be freed when the next one replaces it, including the
reference cycles only the collector frees (issue #19: `core/gcpause.py` froze every object alive
at the end of a pause, for good, so each run's cycles stayed). This script does what the
session's worker does (`gui/session.py _validate`: read the workspace, validate against the
register's snapshot, summarise, group the diagnostics), keeps the latest result alive as the
session does, and prints after each run its time, the process's RSS, the objects the collector
sees and those frozen out of its sight. Flat RSS is the aim; it asserts nothing (not a test).

Run from the repository root: `python -m bench.session_memory` (`--rows 20000 --runs 50`); the
workspace is bench/out/<rows>/, made by `python -m bench.generate --rows N --out bench/out/N` if
missing.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
from pathlib import Path

from bench.generate import CONTROL_DATE, generate
from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.pipeline import PipelineResult, run_pipeline
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.lifecycle import load_lifecycle
from segur_desktop.core.report import Group, Summary, group
from segur_desktop.core.workspace import load_workspace

OUT = Path(__file__).resolve().parent / "out"
STAMP = "generated.json"  # bench.pipeline's: written last, a folder without it is incomplete
SEED = 1


def rss_mb() -> float:
    """The resident set now (Linux: /proc/self/statm), else the peak so far."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def workspace(rows: int) -> Path:
    folder = OUT / str(rows)
    if not (folder / STAMP).exists():
        print(f"Génération de {folder} ({rows} lignes)…", file=sys.stderr)
        generate(rows, folder, SEED)
    return folder


def validate(folder: Path) -> tuple[PipelineResult, Summary, list[Group]]:
    """One run as the session's worker makes it (an empty register: nothing exported yet)."""
    loaded = load_workspace(folder)
    result = run_pipeline(loaded, parse_instant(CONTROL_DATE), register=RegisterIndex.from_entries([], load_lifecycle()))
    return result, result.summary(), group(result.diagnostics)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)
    folder = workspace(args.rows)
    print(f"{args.rows} lignes, {args.runs} validations dans un seul processus (Python {sys.version.split()[0]})")
    print(f"{'run':>4} {'s':>6} {'RSS Mo':>8} {'objets suivis':>14} {'gelés':>10}")
    print(f"{0:>4} {'':>6} {rss_mb():>8.1f} {len(gc.get_objects()):>14} {gc.get_freeze_count():>10}")
    latest = None  # the session's `validation`: the previous one lives until the next replaces it
    figures = []
    for run in range(1, args.runs + 1):
        start = time.perf_counter()
        latest = validate(folder)
        seconds = time.perf_counter() - start
        figures.append(rss_mb())
        print(f"{run:>4} {seconds:>6.2f} {figures[-1]:>8.1f} {len(gc.get_objects()):>14} {gc.get_freeze_count():>10}",
              flush=True)
    del latest
    tail = figures[len(figures) // 5:]  # after the first runs have warmed the caches and allocator
    print(f"RSS : après la 1re {figures[0]:.1f} Mo, après la 10e {figures[min(9, len(figures) - 1)]:.1f} Mo, "
          f"après la dernière {figures[-1]:.1f} Mo ; de la {len(figures) // 5 + 1}e à la dernière : "
          f"min {min(tail):.1f}, max {max(tail):.1f} Mo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
