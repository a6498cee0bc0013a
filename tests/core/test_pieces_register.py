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


def moved_after_export(make_workspace, register: Register, tmp_path: Path, status: str) -> tuple[Path, str]:
    """A workspace whose only « B1.pdf » lies in 2022-11, exported and recorded, then the scan moved to 2023-01
    by the vendor; the demande given `status`. (workspace folder, demande id)"""
    folder = make_workspace(CLIENTS, BDCS, pdfs=[])
    (folder / "pieces" / "2022-11").mkdir()
    (folder / "pieces" / "2022-11" / "B1.pdf").write_bytes(MINIMAL_PDF)
    exported = export_workspace(load_workspace(folder), AT, tmp_path / "depots", ExportOptions(),
                                register=RegisterIndex.of(register))
    [demande_id] = record_export(register, exported).new
    (folder / "pieces" / "2023-01").mkdir()
    (folder / "pieces" / "2022-11" / "B1.pdf").rename(folder / "pieces" / "2023-01" / "B1.pdf")
    register.set_status([StatusChange(demande_id, status)], source="test")
    return folder, demande_id


def followup(folder: Path, register: Register, demande_id: str, out: Path):
    result = run_pipeline(load_workspace(folder), AT, register=RegisterIndex.of(register))
    return write_followup(register, result, [demande_id], out)


def test_a_piece_moved_to_another_subfolder_since_its_deposit_is_found_by_its_name_and_said(
        make_workspace, new_register, tmp_path: Path) -> None:
    """Before: looked up at « 2022-11/B1.pdf » only, the piece was « introuvable »."""
    register = new_register()
    folder, demande_id = moved_after_export(make_workspace, register, tmp_path, "incomplete")
    outcome = followup(folder, register, demande_id, tmp_path / "suivi")
    assert outcome.prepared == [demande_id], outcome.skipped
    [copy] = (outcome.folder / demande_id).glob("*.pdf")
    assert copy.read_bytes() == MINIMAL_PDF
    [item] = json.loads((outcome.folder / "manifest.json").read_text(encoding="utf-8"))["items"]
    assert [f["source"] for f in item["files"]] == ["2023-01/B1.pdf"]
    assert item["moved_since_deposit"] == [{"deposited": "2022-11/B1.pdf", "now": "2023-01/B1.pdf"}]
    assert "changed_since_deposit" not in item  # the very file deposited, by its SHA-256
    recap = (outcome.folder / "LISEZMOI.txt").read_text(encoding="utf-8")
    assert "trouvée(s) ailleurs dans le dossier des pièces : « 2022-11/B1.pdf » → « 2023-01/B1.pdf »." in recap


def test_a_moved_piece_edited_since_is_a_changed_piece(make_workspace, new_register, tmp_path: Path) -> None:
    register = new_register()
    folder, demande_id = moved_after_export(make_workspace, register, tmp_path, "attente_pieces")
    moved = folder / "pieces" / "2023-01" / "B1.pdf"
    outcome = followup(folder, register, demande_id, tmp_path / "suivi_unchanged")
    assert outcome.prepared == [] and "aucune pièce nouvelle ni modifiée" in outcome.skipped[0][1]  # not a COMPLEMENT
    moved.write_bytes(MINIMAL_PDF.replace(b"\n", b"\n% meilleur scan\n", 1))
    outcome = followup(folder, register, demande_id, tmp_path / "suivi")
    assert outcome.prepared == [demande_id], outcome.skipped
    [item] = json.loads((outcome.folder / "manifest.json").read_text(encoding="utf-8"))["items"]
    [sent] = item["files"]
    assert sent["source"] == "2023-01/B1.pdf" and "COMPLEMENT" not in sent["file"]  # under its deposit name
    assert (outcome.folder / sent["file"]).read_bytes() == moved.read_bytes()
    assert item["moved_since_deposit"] == [{"deposited": "2022-11/B1.pdf", "now": "2023-01/B1.pdf"}]


def test_a_moved_piece_whose_name_is_in_two_places_is_said_never_picked(make_workspace, new_register,
                                                                        tmp_path: Path) -> None:
    register = new_register()
    folder, demande_id = moved_after_export(make_workspace, register, tmp_path, "incomplete")
    (folder / "pieces" / "autre").mkdir()
    (folder / "pieces" / "autre" / "B1.pdf").write_bytes(MINIMAL_PDF)
    outcome = followup(folder, register, demande_id, tmp_path / "suivi")
    assert outcome.folder is None and outcome.prepared == []
    [(skipped, why)] = outcome.skipped
    assert skipped == demande_id
    assert "plusieurs fichiers de ce nom (« 2023-01/B1.pdf », « autre/B1.pdf »)" in why and "2022-11/B1.pdf" in why
