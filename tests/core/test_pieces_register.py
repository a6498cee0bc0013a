"""Pieces in subfolders as the Suivi register keeps them (issue #17): an export, or a demande taken over (« reprise »),
records each piece by its path in the pieces folder, so a follow-up finds the very file deposited even where another
subfolder holds a file of the same name."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from testdata import FINESS_A, MINIMAL_PDF

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.export.bundle import ExportOptions, export_workspace
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.register.adopt import adopt
from segur_desktop.core.register.followup import write_followup
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.record import record_export
from segur_desktop.core.register.store import Register, StatusChange
from segur_desktop.core.workspace import load_workspace

AT = datetime(2022, 11, 28, 10, 0, tzinfo=PARIS)
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"]]
BDCS = [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "2022-11\\B1.pdf"]]


def filed(make_workspace) -> Path:
    folder = make_workspace(CLIENTS, BDCS, pdfs=[])
    for month in ("2022-11", "2022-12"):
        (folder / "pieces" / month).mkdir()
        (folder / "pieces" / month / "B1.pdf").write_bytes(MINIMAL_PDF.replace(b"\n", f"\n% {month}\n".encode(), 1))
    return folder


def test_an_exported_piece_is_recorded_by_its_path_and_found_again_for_a_follow_up(make_workspace,
                                                                                   tmp_path: Path) -> None:
    folder = filed(make_workspace)
    register = Register(tmp_path / "registre.sqlite3")
    exported = export_workspace(load_workspace(folder), AT, tmp_path / "depots", ExportOptions(),
                                register=RegisterIndex.of(register))
    [demande_id] = record_export(register, exported).new
    [attachment] = register.deposits(demande_id)[-1].attachments
    assert attachment.source == "2022-11/B1.pdf"
    register.set_status([StatusChange(demande_id, "incomplete")], source="test")
    result = run_pipeline(load_workspace(folder), AT, register=RegisterIndex.of(register))
    outcome = write_followup(register, result, [demande_id], tmp_path / "suivi")
    assert outcome.prepared == [demande_id], outcome.skipped
    [copy] = (outcome.folder / demande_id).glob("*.pdf")
    assert copy.read_bytes() == (folder / "pieces" / "2022-11" / "B1.pdf").read_bytes()
    [item] = json.loads((outcome.folder / "manifest.json").read_text(encoding="utf-8"))["items"]
    assert [f["source"] for f in item["files"]] == ["2022-11/B1.pdf"]  # as the export's manifest names it


def test_a_demande_taken_over_records_its_piece_by_its_path(make_workspace, tmp_path: Path) -> None:
    """Before: by its bare name, « B1.pdf », which two subfolders hold: its follow-up could not find it."""
    folder = filed(make_workspace)
    register = Register(tmp_path / "registre.sqlite3")
    result = run_pipeline(load_workspace(folder), AT)
    [demande] = result.demandes
    adopt(register, result, [demande], origin="statuts.csv")
    [attachment] = register.deposits(demande.id)[-1].attachments
    assert attachment.source == "2022-11/B1.pdf"
