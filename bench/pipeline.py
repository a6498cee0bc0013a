"""Time the whole pipeline on generated workspaces of 1k, 20k and 100k rows.

Vendors' exports reach 100k rows; the product must stay quick and small on
them. This script gives the figures: seconds per stage (read, normalise, build,
validate, write), peak memory, and how far the pipeline is from its floor,
python-calamine alone turning both workbooks into Python lists, measured in the
same process just before. It prints figures and asserts nothing: it is not a test.

Three ratios to the floor, each with its issue's target at 20k rows:
- import: read (with header mapping) + normalise; issue #3, at most 2x;
- pipeline: read + normalise + build + validate, what `segur-desktop validate`
  does; issue #4, at most 3x;
- total: the above and write, the deposit files of `segur-desktop build`
  (written, then read back and checked against their schema from disk).

Each size is measured in a fresh subprocess (`--one N`) so that the peak RSS
reported is that size's alone. On a shared machine times vary from run to run:
`--repeat N` measures each size N times and shows the run with the median
"pipeline / floor", with the range of both targeted ratios. Run from the
repository root: `python -m bench.pipeline` or `python -m bench.pipeline --sizes
1000,20000 --repeat 5`.

`--par-identifiants` measures the same on workspaces whose lists share no client
code (issue #15, `bench.generate --par-identifiants`): BDC rows joined to their
client by FINESS, SIRET or RPPS, some in a mixed « SIRET / RPPS » column, the
solution found from a product + version cell. Same floor, same ratios; the
workspaces live in bench/out/<n>-identifiants/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import python_calamine

from bench.generate import CONTROL_DATE, generate
from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.pipeline import run_pipeline, write_outputs
from segur_desktop.core.workspace import load_workspace

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "out"
DEFAULT_SIZES = (1_000, 20_000, 100_000)
STAMP = "generated.json"  # written last: a folder without it is incomplete
SEED = 1
FLOOR_RUNS = 3
STAGES = ("read", "normalise", "build", "validate", "write")
IMPORT = ("read", "normalise")  # read includes mapping the headers
PIPELINE = ("read", "normalise", "build", "validate")  # what `segur-desktop validate` does
RATIOS = {  # name -> (stages, target at 20k rows)
    "import": (IMPORT, "issue #3: at most 2x"),
    "pipeline": (PIPELINE, "issue #4: at most 3x"),
    "total": (STAGES, "no target"),
}


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def workspace_folder(n: int, par_identifiants: bool = False) -> Path:
    return OUT / (f"{n}-identifiants" if par_identifiants else str(n))


def ensure_workspace(n: int, par_identifiants: bool = False) -> Path:
    """bench/out/<n>/ (or <n>-identifiants/), generated unless a complete one for the same n and seed is there."""
    folder = workspace_folder(n, par_identifiants)
    stamp: dict[str, Any] = {"rows": n, "seed": SEED}
    if par_identifiants:
        stamp["par_identifiants"] = True
    stamp_path = folder / STAMP
    if stamp_path.is_file() and json.loads(stamp_path.read_text(encoding="utf-8")) == stamp:
        return folder
    stamp_path.unlink(missing_ok=True)
    generate(n, folder, SEED, par_identifiants=par_identifiants)
    stamp_path.write_text(json.dumps(stamp) + "\n", encoding="utf-8")
    return folder


def calamine_floor(folder: Path) -> float:
    """Best of FLOOR_RUNS: seconds for calamine alone to read both workbooks fully."""
    paths = [str(folder / "clients.xlsx"), str(folder / "bons_de_commande.xlsx")]
    best = float("inf")
    for _ in range(FLOOR_RUNS):
        start = time.perf_counter()
        for path in paths:
            python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
        best = min(best, time.perf_counter() - start)
    return best


def measure(n: int, par_identifiants: bool = False) -> dict[str, Any]:
    """Floor and pipeline figures for the workspace of n rows (run in its own process)."""
    folder = workspace_folder(n, par_identifiants)
    floor = calamine_floor(folder)
    result = run_pipeline(load_workspace(folder), parse_instant(CONTROL_DATE))
    rss_pipeline = peak_rss_mb()
    with tempfile.TemporaryDirectory(prefix="segur-bench-") as tmp:
        write_outputs(result, Path(tmp))
    return {
        "rows": n,
        "floor": floor,
        "timings": result.timings,
        "rss_pipeline_mb": rss_pipeline,
        "rss_write_mb": peak_rss_mb(),
        "requests": len(result.demandes),
        "valid": sum(d.valid for d in result.demandes),
    }


def ratio(result: dict[str, Any], name: str) -> float:
    """Seconds spent in the ratio's stages, over the floor measured in the same process."""
    return sum(result["timings"][stage] for stage in RATIOS[name][0]) / result["floor"]


def run_one(n: int, par_identifiants: bool = False) -> dict[str, Any]:
    """`measure(n)` in a fresh interpreter; its JSON line is the last line of its stdout."""
    command = [sys.executable, "-m", "bench.pipeline", "--one", str(n)]
    if par_identifiants:
        command.append("--par-identifiants")
    completed = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def machine() -> str:
    """CPU model, usable CPUs (as `nproc` counts them), Python and OS."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                  if line.startswith("model name")]
        cpu = models[0] if models else cpu
    return (f"machine: {cpu}, nproc {len(os.sched_getaffinity(0))}, "
            f"Python {platform.python_version()} ({platform.system()} {platform.release()})")


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run whose "pipeline / floor" is the median: all its figures come from one run."""
    ranked = sorted(runs, key=lambda r: ratio(r, "pipeline"))
    return {**ranked[(len(ranked) - 1) // 2], "runs": runs}


def table(results: list[dict[str, Any]]) -> str:
    headers = ["rows", "calamine floor (s)", *(f"{stage} (s)" for stage in STAGES), "total (s)",
               *(f"{name} / floor" for name in RATIOS), "peak RSS after pipeline/write (MB)", "requests/valid"]
    lines = []
    for r in results:
        timings = r["timings"]
        lines.append([
            f"{r['rows']:,}", f"{r['floor']:.3f}", *(f"{timings[stage]:.2f}" for stage in STAGES),
            f"{sum(timings[stage] for stage in STAGES):.2f}", *(f"{ratio(r, name):.1f}x" for name in RATIOS),
            f"{r['rss_pipeline_mb']:.0f}/{r['rss_write_mb']:.0f}", f"{r['requests']:,}/{r['valid']:,}",
        ])
    widths = [max(len(cells[i]) for cells in [headers, *lines]) for i in range(len(headers))]

    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cell.rjust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (width + 1) + ":" for width in widths) + "|"
    return "\n".join([row(headers), separator, *(row(cells) for cells in lines)])


def legend(results: list[dict[str, Any]]) -> str:
    """What each ratio counts, its target, and its range over the runs of each size."""
    lines = [f"{name} / floor = ({' + '.join(stages)}) / floor; {target}" for name, (stages, target) in RATIOS.items()]
    lines.append("read includes mapping the headers; the pipeline is what `segur-desktop validate` does; "
                 "write is the deposit files of `segur-desktop build`, checked again from disk.")
    for r in results:
        runs = r.get("runs", [r])
        if len(runs) > 1:
            spans = [f"{name} {min(ratio(x, name) for x in runs):.2f}-{max(ratio(x, name) for x in runs):.2f}x"
                     for name in ("import", "pipeline")]
            lines.append(f"{r['rows']:,} rows, {len(runs)} runs (median shown): {', '.join(spans)}, "
                         f"floor {statistics.median(x['floor'] for x in runs):.3f} s median")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the pipeline on generated workspaces.")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated row counts (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="measure each size N times, each in a fresh process (default: %(default)s)")
    parser.add_argument("--par-identifiants", action="store_true",
                        help="lists without a client code, joined by FINESS, SIRET or RPPS (issue #15)")
    parser.add_argument("--one", type=int, metavar="N", help=argparse.SUPPRESS)  # internal: one size, JSON out
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.par_identifiants)))
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    print(machine(), flush=True)
    if args.par_identifiants:
        print("workspaces: no client code, BDC rows joined by FINESS, SIRET or RPPS (--par-identifiants)", flush=True)
    results = []
    for n in sizes:
        start = time.perf_counter()
        ensure_workspace(n, args.par_identifiants)
        print(f"{n:,} rows: workspace ready in {time.perf_counter() - start:.1f} s, measuring...", flush=True)
        results.append(median_run([run_one(n, args.par_identifiants) for _ in range(max(args.repeat, 1))]))
    print()
    print(table(results))
    print()
    print(legend(results))


if __name__ == "__main__":
    main()
