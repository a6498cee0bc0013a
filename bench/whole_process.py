"""Issue #15's target as whole processes: `segur-desktop validate` against python-calamine's bare read.

What a user waits for is the whole command: Python starting, the imports, reading, joining,
checking, the report, the process ending. This script times it from outside against the
yardstick `bench/calamine_read.py` (the same interpreter reading the same two workbooks with
python-calamine, and nothing else), in interleaved pairs (A B A B ...), so that a machine whose
speed drifts (other jobs, frequency) moves both sides of a pair alike. Each process's CPU (user +
system) and peak RSS are the operating system's own accounting of the finished child (`os.wait4`),
its wall time a monotonic clock around it. Medians are printed, with the range: quote the medians.

    python -m bench.whole_process [--rows 20000] [--pairs 9] [--par-code-client]

The same by hand, with public tools: `/usr/bin/time -v segur-desktop validate -w DIR --format json`
and `/usr/bin/time -v python -m bench.calamine_read DIR`, alternated. It prints figures and asserts
nothing: it is not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.pipeline import ROOT, ensure_workspace, machine


def command_of(folder: Path) -> list[str]:
    """The installed `segur-desktop` command beside this interpreter, else `python -m segur_desktop`."""
    script = Path(sys.executable).with_name("segur-desktop")
    runner = [str(script)] if script.is_file() else [sys.executable, "-m", "segur_desktop"]
    return [*runner, "validate", "-w", str(folder), "--format", "json"]


# The bench workspace's vendor is the demo's (its SIRET): in the user's own data folder, a Suivi register filled by
# trying the demo would be read and compared too (0.1 s more), and the figure would depend on the machine's past.
# The register's own costs are measured by bench/register_speed.py.
DATA_DIR = tempfile.mkdtemp(prefix="segur-bench-data-")


def run(command: list[str]) -> tuple[float, float, float]:
    """(CPU seconds, wall seconds, peak RSS in MB) of one run of `command`, its output thrown away, with an empty
    user-data folder (`DATA_DIR`)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "SEGUR_DESKTOP_DATA_DIR": DATA_DIR})
    _pid, _status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = 0  # reaped above: Popen must not wait for it again
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def spread(values: list[float], unit: str = "") -> str:
    return f"{statistics.median(values):.3f}{unit} ({min(values):.3f}-{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description="segur-desktop validate against calamine's bare read, whole processes.")
    parser.add_argument("--rows", type=int, default=20_000, help="rows of each list (default: %(default)s)")
    parser.add_argument("--pairs", type=int, default=9, help="interleaved pairs measured (default: %(default)s)")
    parser.add_argument("--par-code-client", action="store_true",
                        help="lists joined by a client code (default: by identifiers, issue #15)")
    args = parser.parse_args()
    folder = ensure_workspace(args.rows, par_identifiants=not args.par_code_client)
    validate = command_of(folder)
    floor = [sys.executable, "-m", "bench.calamine_read", str(folder)]
    print(machine())
    print(f"A: {' '.join(validate)}\nB: {' '.join(floor)}")
    for command in (validate, floor):  # warm-up: files in the page cache, .pyc written
        run(command)
    runs: dict[str, list[tuple[float, float, float]]] = {"A": [], "B": []}
    for _ in range(args.pairs):
        runs["A"].append(run(validate))
        runs["B"].append(run(floor))
    for name, measured in runs.items():
        cpu, wall, peak = zip(*measured, strict=True)
        print(f"{name}: cpu {spread(list(cpu), ' s')}, wall {spread(list(wall), ' s')}, peak RSS {max(peak):.0f} MB")
    for index, label in ((0, "cpu"), (1, "wall")):
        ratios = [a[index] / b[index] for a, b in zip(runs["A"], runs["B"], strict=True)]
        print(f"A/B {label}: {spread(ratios, 'x')} over {args.pairs} pairs (issue #15: at most 3x)")


if __name__ == "__main__":
    main()
