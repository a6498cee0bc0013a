"""Stale-file cleanup removes only deposit files this product wrote, unchanged since (issue #17, item 6)."""

import json
from datetime import date
from pathlib import Path

from testdata import FINESS_A, FINESS_B, RPPS_A

from segur_desktop.cli import main
from segur_desktop.core.calendar import parse_instant
from segur_desktop.core.output import REPORT_JSON, write_deposit_files
from segur_desktop.core.pipeline import run_pipeline, write_outputs
from segur_desktop.core.validate.schemas import SchemaRegistry
from segur_desktop.core.workspace import load_workspace

AT = parse_instant("2022-11-28T10:00:00+01:00")
CLIENTS = [
    ["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
    ["C2", "Clinique B", FINESS_B, None, "69003", "Lyon"],
    ["C3", "Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"],
]
BDCS = [
    ["BDC-1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 10000, "BDC-1.pdf"],
    ["BDC-2", "C2", "Test DPI", "Avance", date(2022, 9, 15), 12000, "BDC-2.pdf"],
    ["BDC-3", "C3", "Test Cabinet", "Avance", date(2022, 9, 2), 1100, "BDC-3.pdf"],
]


def foreign_report(folder: Path, *names: str) -> None:
    """A rapport.json this product did not write (copied from elsewhere, or made by hand)."""
    files = [{"file": name, "couloir": "HOP", "type": "avance", "requests": 1, "schema": "x"} for name in names]
    (folder / REPORT_JSON).write_text(json.dumps({"summary": {"files": files}}), encoding="utf-8")


def build(folder: Path, out: Path) -> None:
    write_outputs(run_pipeline(load_workspace(folder), AT), out)


def test_a_foreign_report_cannot_make_build_delete_the_source_spreadsheets(make_workspace) -> None:
    folder = make_workspace(CLIENTS, BDCS, extra={"sortie": "."})
    foreign_report(folder, "clients.xlsx", "bdc.xlsx", "workspace.json")
    sources = {name: (folder / name).read_bytes() for name in ("clients.xlsx", "bdc.xlsx", "workspace.json")}
    assert main(["build", "-w", str(folder), "--sans-suivi"]) == 0
    assert (folder / "HOP_avance.json").is_file()
    for name, data in sources.items():
        assert (folder / name).read_bytes() == data, f"{name} was touched"


def test_a_deposit_file_this_product_did_not_write_is_kept(make_workspace, tmp_path: Path) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "PHA_solde.json"
    mine.write_text('{"fait": "à la main"}', encoding="utf-8")
    foreign_report(out, "PHA_solde.json")
    build(folder, out)
    assert mine.read_text(encoding="utf-8") == '{"fait": "à la main"}'


def test_a_stale_file_edited_since_it_was_written_is_kept(make_workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    build(make_workspace(CLIENTS, BDCS), out)
    edited = out / "MDV_avance.json"
    edited.write_bytes(edited.read_bytes().replace(b"1100", b"1200"))
    build(make_workspace(CLIENTS, BDCS[:2]), out)
    assert edited.is_file()


def test_a_stale_file_unchanged_since_it_was_written_is_removed(make_workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    build(make_workspace(CLIENTS, BDCS), out)
    assert (out / "MDV_avance.json").is_file()
    build(make_workspace(CLIENTS, BDCS[:2]), out)
    assert not (out / "MDV_avance.json").exists() and (out / "HOP_avance.json").is_file()


def test_a_stale_name_that_is_an_input_is_never_removed(make_workspace, tmp_path: Path) -> None:
    """Even a file written by a previous build, unchanged, is kept once the workspace reads it as an input."""
    out = tmp_path / "out"
    out.mkdir()
    build(make_workspace(CLIENTS, BDCS), out)
    kept = out / "MDV_avance.json"
    write_deposit_files({}, out, SchemaRegistry.default(), protected=[kept])
    assert kept.is_file()
