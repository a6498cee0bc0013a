"""`build` on a full disk (issue #17): the reports are put in place with the deposit files, in one step, so the
output folder holds the previous build or the new one, whole; never new deposit files beside an old report."""

import errno
import json
from datetime import date
from pathlib import Path

import pytest
from testdata import FINESS_A, FINESS_B

from segur_desktop.cli import main
from segur_desktop.core import atomic, output
from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.output import REPORT_JSON, REPORT_TEXT
from segur_desktop.core.pipeline import run_pipeline, write_outputs
from segur_desktop.core.workspace import load_workspace

AT = parse_instant("2022-11-28T10:00:00+01:00")
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
           ["C2", "Clinique B", FINESS_B, None, "69003", "Lyon"]]
BDCS = [["BDC-1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 10000, "BDC-1.pdf"]]
SECOND = ["BDC-2", "C2", "Test DPI", "Avance", date(2022, 9, 15), 12000, "BDC-2.pdf"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_a_disk_full_at_the_report_leaves_the_previous_build_whole(make_workspace, monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "sortie"
    write_outputs(run_pipeline(load_workspace(make_workspace(CLIENTS, BDCS)), AT), out)
    previous = snapshot(out)
    assert {REPORT_JSON, REPORT_TEXT, "HOP_avance.json"} <= set(previous)
    result = run_pipeline(load_workspace(make_workspace(CLIENTS, [*BDCS, SECOND])), AT)
    assert len([d for d in result.demandes if d.valid]) == 2  # this build changes the deposit file
    real_write = atomic.write_new

    def disk_full_at_the_report(path: Path, data: bytes) -> None:
        if REPORT_JSON in path.name:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_write(path, data)

    with monkeypatch.context() as patched:
        for module in (atomic, output):  # wherever the report is written from
            patched.setattr(module, "write_new", disk_full_at_the_report)
        with pytest.raises(OSError):
            write_outputs(result, out)
    assert snapshot(out) == previous  # the previous deposit file and reports, and no temporary file left
    assert result.written is None  # nothing of this build is said written
    write_outputs(result, out)  # room again: the new build, whole
    now = snapshot(out)
    assert set(now) == set(previous) and now["HOP_avance.json"] != previous["HOP_avance.json"]
    assert json.loads(now[REPORT_JSON])["summary"]["files"][0]["requests"] == 2


def test_build_on_a_full_disk_says_so_in_french_and_keeps_the_previous_build(make_workspace, monkeypatch, capsys,
                                                                             tmp_path: Path) -> None:
    out = tmp_path / "sortie"
    assert main(["build", "-w", str(make_workspace(CLIENTS, BDCS)), "--out", str(out), "--no-register"]) == 0
    previous = snapshot(out)
    folder = make_workspace(CLIENTS, [*BDCS, SECOND])
    real_write = atomic.write_new

    def disk_full_at_the_report(path: Path, data: bytes) -> None:
        if REPORT_TEXT in path.name:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_write(path, data)

    for module in (atomic, output):
        monkeypatch.setattr(module, "write_new", disk_full_at_the_report)
    capsys.readouterr()
    assert main(["build", "-w", str(folder), "--out", str(out), "--no-register"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "disque plein (ou quota dépassé)" in err and "Libérez de la place" in err
    assert snapshot(out) == previous
