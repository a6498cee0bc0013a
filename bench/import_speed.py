"""Time and weigh the import alone: read + map (`load_table`) and normalise, both tables.

Issue #3 targets: at 20k rows, read + map + normalise within 2x the calamine floor
(python-calamine alone turning both workbooks into Python lists, best of 3, same run);
at 100k rows, peak RSS through the import under 400 MB. `bench.pipeline` times every
stage; this script looks at the import only, in a fresh process per size, and says where
the memory goes (RSS after each step; `--trace` adds tracemalloc's net allocations).

Run from the repository root, after `python -m bench.pipeline` has generated bench/out/<n>/:
`python -m bench.import_speed --sizes 20000,100000 [--repeat 3] [--trace]`.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from bench.pipeline import OUT, ROOT, calamine_floor, machine, peak_rss_mb


def current_rss_mb() -> float:
    """Resident set size now (Linux /proc; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(n: int, repeat: int, trace: bool) -> dict[str, Any]:
    from segur_desktop.core.mapping import load_table
    from segur_desktop.core.normalise.rows import normalise_table
    from segur_desktop.core.workspace import load_workspace

    folder = OUT / str(n)
    workspace = load_workspace(folder)
    floor = calamine_floor(folder)
    gc.collect()
    figures: dict[str, Any] = {"rows": n, "floor": floor, "rss_start_mb": current_rss_mb()}
    best_read = best_normalise = float("inf")
    for attempt in range(repeat):
        last = attempt == repeat - 1
        if trace and last:
            tracemalloc.start()
        start = time.perf_counter()
        clients_table = load_table(workspace.clients, "clients")
        bdc_table = load_table(workspace.bdc, "bdc")
        read = time.perf_counter() - start
        if last:
            figures["rss_after_read_mb"] = current_rss_mb()
            if trace:
                figures["traced_after_read_mb"] = tracemalloc.get_traced_memory()[0] / 2**20
        start = time.perf_counter()
        clients, diagnostics = normalise_table(clients_table)
        bdcs, bdc_diagnostics = normalise_table(bdc_table)
        normalise = time.perf_counter() - start
        best_read, best_normalise = min(best_read, read), min(best_normalise, normalise)
        if last:
            figures["rss_after_normalise_mb"] = current_rss_mb()
            if trace:
                current, peak = tracemalloc.get_traced_memory()
                figures["traced_after_normalise_mb"] = current / 2**20
                figures["traced_peak_mb"] = peak / 2**20
                tracemalloc.stop()
            figures["records"] = len(clients) + len(bdcs)
            figures["diagnostics"] = len(diagnostics) + len(bdc_diagnostics)
        else:
            del clients_table, bdc_table, clients, bdcs, diagnostics, bdc_diagnostics
            gc.collect()
    figures.update(read=best_read, normalise=best_normalise, peak_rss_mb=peak_rss_mb())
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description="Time and weigh the import (read + map + normalise).")
    parser.add_argument("--sizes", default="20000,100000")
    parser.add_argument("--repeat", type=int, default=1, help="best of N for the times (RSS: first run only matters)")
    parser.add_argument("--trace", action="store_true", help="tracemalloc figures (slows the run down)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.repeat, args.trace)))
        return
    print(machine())
    for n in (int(s) for s in args.sizes.split(",")):
        command = [sys.executable, "-m", "bench.import_speed", "--one", str(n), "--repeat", str(args.repeat)]
        if args.trace:
            command.append("--trace")
        out = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        ratio = (r["read"] + r["normalise"]) / r["floor"]
        line = (f"{n:>7,} rows: floor {r['floor']:.3f} s, read+map {r['read']:.3f} s, normalise {r['normalise']:.3f} s, "
                f"(read+normalise)/floor {ratio:.2f}x | RSS start {r['rss_start_mb']:.0f} MB, after read "
                f"{r['rss_after_read_mb']:.0f}, after normalise {r['rss_after_normalise_mb']:.0f}, peak {r['peak_rss_mb']:.0f}"
                f" | {r['records']:,} records, {r['diagnostics']:,} diagnostics")
        if args.trace:
            line += (f" | traced: after read {r['traced_after_read_mb']:.0f} MB, after normalise "
                     f"{r['traced_after_normalise_mb']:.0f} MB, peak {r['traced_peak_mb']:.0f} MB")
        print(line, flush=True)


if __name__ == "__main__":
    main()
