"""Time the export of a generated workspace with one small PDF per demande, next to `zip -r -0`.

Issue #7: exporting 20k demandes with 20k small PDFs, the hashing and zipping
of the attachments must run at least at half the speed of `zip -r -0` over the
same files, measured in the same run, with flat memory (files streamed, never
all loaded). This script prints the figures: the floor (`zip -r -0` over the
pieces folder, best of three, page cache warm), the attachment stage (copy +
SHA-256 into the deposit zips), the verification (every member read again and
hashed, every JSON validated), the whole export, and the peak RSS after the
pipeline and after the export. It asserts nothing: it is not a test.

Each size runs in a fresh subprocess (`--one N`). From the repository root:
`python -m bench.export_speed` or `python -m bench.export_speed --sizes 1000`.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.generate import CONTROL_DATE, generate
from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.export.bundle import export_result
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.progress import Progress
from segur_desktop.core.workspace import load_workspace

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "out"
STAMP = "generated.json"
PDF_BYTES = 6_000  # a one-page scan compressed hard; real ones run from 50 kB to 2 MB
COPY_STAGE = "Copie des pièces justificatives"
VERIFY_STAGE = "Vérification du paquet"
FLOOR_RUNS = 3


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ensure_workspace(n: int, pdf_bytes: int) -> Path:
    """bench/out/export-<n>/: the pipeline bench's workspace plus a pieces folder of n PDFs."""
    folder = OUT / f"export-{n}"
    stamp = {"rows": n, "pdf_bytes": pdf_bytes}
    if (folder / STAMP).is_file() and json.loads((folder / STAMP).read_text(encoding="utf-8")) == stamp:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    generate(n, folder)
    pieces = folder / "pieces"
    pieces.mkdir()
    rng = random.Random(1)
    for number in range(1, n + 1):
        body = rng.randbytes(pdf_bytes)  # incompressible, like a scanned image stream
        (pieces / f"BDC-2022-{number:06d}.pdf").write_bytes(
            b"%PDF-1.4\n1 0 obj\n<< /Length " + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream\nendobj\n"
            b"trailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n")
    path = folder / "workspace.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entrees"]["pieces"] = "pieces"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (folder / STAMP).write_text(json.dumps(stamp) + "\n", encoding="utf-8")
    return folder


def zip_floor(folder: Path) -> float:
    """Best of FLOOR_RUNS: seconds for `zip -r -0` to store the pieces folder."""
    best = float("inf")
    with tempfile.TemporaryDirectory(prefix="segur-bench-zip-") as tmp:
        for run in range(FLOOR_RUNS + 1):  # the first run only warms the page cache
            target = Path(tmp) / f"floor{run}.zip"
            start = time.perf_counter()
            subprocess.run(["zip", "-r", "-0", "-q", str(target), "pieces"], cwd=folder, check=True)
            if run:
                best = min(best, time.perf_counter() - start)
            target.unlink()
    return best


def measure(n: int, pdf_bytes: int) -> dict[str, Any]:
    folder = ensure_workspace(n, pdf_bytes)
    floor = zip_floor(folder)
    workspace = load_workspace(folder)
    start = time.perf_counter()
    result = run_pipeline(workspace, parse_instant(CONTROL_DATE))
    pipeline = time.perf_counter() - start
    rss_pipeline = peak_rss_mb()
    marks: dict[str, list[float]] = {}

    def progress(p: Progress) -> None:
        marks.setdefault(p.stage, []).append(time.perf_counter())

    with tempfile.TemporaryDirectory(prefix="segur-bench-export-") as tmp:
        start = time.perf_counter()
        exported = export_result(result, Path(tmp), progress=progress)
        total = time.perf_counter() - start
        assert exported.check is not None and exported.check.ok
    return {
        "rows": n, "pdf_bytes": pdf_bytes, "floor": floor, "pipeline": pipeline,
        "copy": marks[COPY_STAGE][-1] - marks[COPY_STAGE][0], "verify": marks[VERIFY_STAGE][-1] - marks[VERIFY_STAGE][0],
        "export": total, "rss_pipeline_mb": rss_pipeline, "rss_export_mb": peak_rss_mb(),
        "exported": exported.plan.exported,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000", help="comma-separated numbers of demandes (default: 20000)")
    parser.add_argument("--pdf-bytes", type=int, default=PDF_BYTES)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.pdf_bytes)))
        return
    print("|    rows | zip -r -0 (s) | copy + hash (s) | copy / zip | verify (s) | export (s) | pipeline (s) "
          "| peak RSS after pipeline/export (MB) |")
    print("|--------:|--------------:|----------------:|-----------:|-----------:|-----------:|-------------:"
          "|------------------------------------:|")
    for n in (int(s) for s in args.sizes.split(",")):
        completed = subprocess.run([sys.executable, "-m", "bench.export_speed", "--one", str(n),
                                    "--pdf-bytes", str(args.pdf_bytes)],
                                   cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
        r = json.loads(completed.stdout.strip().splitlines()[-1])
        print(f"| {r['rows']:>7,} | {r['floor']:>13.2f} | {r['copy']:>15.2f} | {r['copy'] / r['floor']:>9.2f}x "
              f"| {r['verify']:>10.2f} | {r['export']:>10.2f} | {r['pipeline']:>12.2f} "
              f"| {r['rss_pipeline_mb']:>16.0f}/{r['rss_export_mb']:<18.0f} |")


if __name__ == "__main__":
    main()
