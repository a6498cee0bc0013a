"""« Incomplète »: the JSON passed the portal's import test, its attachments' zip did not; the demande is
completed by hand with a follow-up bundle holding all its attachments (#21)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from testdata import FINESS_A, FINESS_B, MINIMAL_PDF

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.export.bundle import ExportOptions, export_workspace
from segur_desktop.core.export.zips import hash_file
from segur_desktop.core.pipeline import run_pipeline
from segur_desktop.core.register.followup import ELIGIBLE, INCOMPLETE, write_followup
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.lifecycle import load_lifecycle
from segur_desktop.core.register.record import record_export
from segur_desktop.core.register.statusfile import Verdict, apply_status_file, plan_status_file
from segur_desktop.core.register.store import Register, StatusChange
from segur_desktop.core.workspace import load_workspace

AT = datetime(2022, 11, 28, 10, 0, tzinfo=PARIS)
CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
           ["C2", "Centre hospitalier B", FINESS_B, None, "69001", "Lyon"]]
BDCS = [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"],
        ["B2", "C2", "Test DPI", "Avance", date(2022, 9, 2), 1000, "B2.pdf"]]


@pytest.fixture
def register(new_register) -> Register:
    """On SQLite, then on PostgreSQL (`conftest.new_register`)."""
    return new_register()


def exported(folder: Path, register: Register, out: Path) -> dict[str, str]:
    """Export the workspace, record it; BDC number -> request id."""
    result = export_workspace(load_workspace(folder), AT, out, ExportOptions(), register=RegisterIndex.of(register),
                              generated_at=datetime(2022, 11, 28, 11, 0, tzinfo=PARIS))
    record_export(register, result)
    return {e.bdc_number: e.id for e in register.entries()}


def test_incomplete_is_a_deposited_status_without_solde_with_its_transitions() -> None:
    lifecycle = load_lifecycle()
    status = lifecycle.status("incomplete")
    assert (status.label, status.deposited, status.allows_solde) == ("Incomplète", True, False)
    assert "segurnum" in status.description
    for text in ("Incomplète", "INCOMPLETE", "demande incomplète", "Dossier incomplet"):
        assert lifecycle.parse(text) == "incomplete", text
    assert lifecycle.allowed("exportee", "incomplete") and lifecycle.allowed("en_cours", "incomplete")
    assert lifecycle.allowed("incomplete", "en_cours") and lifecycle.allowed("incomplete", "validee")
    assert not lifecycle.allowed("validee", "incomplete")
    assert ELIGIBLE == ("attente_pieces", "a_modifier", "incomplete") and INCOMPLETE in ELIGIBLE


def test_a_status_file_line_incomplete_is_recognised_and_applied(make_workspace, register, tmp_path) -> None:
    by_bdc = exported(make_workspace(CLIENTS, BDCS), register, tmp_path / "out")
    register.set_status([StatusChange(by_bdc["B2"], "en_cours")], source="test")
    path = tmp_path / "statuts.csv"
    path.write_text("N° BDC;Statut;Commentaire\nB1;Incomplète;zip refusé\nB2;DEMANDE INCOMPLETE;\n", encoding="utf-8")
    plan = plan_status_file(register, path)
    assert [(line.verdict, line.new_status) for line in plan.lines] == [(Verdict.CHANGE, "incomplete")] * 2
    outcome = apply_status_file(register, plan)
    assert sorted(outcome.applied) == sorted([(by_bdc["B1"], "exportee", "incomplete"),
                                              (by_bdc["B2"], "en_cours", "incomplete")])
    assert register.entry(by_bdc["B1"]).status == "incomplete"
    assert register.history(by_bdc["B1"])[-1].comment == "zip refusé"
    # deposited: exporting the same demande again would be a doublon
    assert RegisterIndex.of(register).deposited(by_bdc["B1"]) is not None


def test_the_followup_of_an_incomplete_demande_holds_all_its_attachments(make_workspace, register, tmp_path) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    by_bdc = exported(folder, register, tmp_path / "out")
    register.set_status([StatusChange(by_bdc["B1"], "incomplete")], source="test")
    deposited = register.deposits(by_bdc["B1"])[-1].attachments
    assert deposited  # the register knows what the zip held
    result = run_pipeline(load_workspace(folder), AT, register=RegisterIndex.of(register))
    outcome = write_followup(register, result, [by_bdc["B1"], by_bdc["B2"]], tmp_path / "suivi")
    assert outcome.prepared == [by_bdc["B1"]]
    assert outcome.skipped[0][0] == by_bdc["B2"] and "Incomplète" in outcome.skipped[0][1]
    sent = sorted(p.name for p in (outcome.folder / by_bdc["B1"]).iterdir())
    assert sent == sorted(a.name for a in deposited)  # every attachment, under its deposit name
    for a in deposited:
        assert hash_file(outcome.folder / by_bdc["B1"] / a.name)[0] == a.sha256
    manifest = json.loads((outcome.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["items"][0]["status"] == "incomplete" and "changed_since_deposit" not in manifest["items"][0]
    recap = (outcome.folder / "LISEZMOI.txt").read_text(encoding="utf-8")
    assert "complétez-la en y déposant toutes ces pièces" in recap and "Incomplète" in recap
    assert register.entry(by_bdc["B1"]).status == "incomplete"  # preparing is not depositing


def test_an_incomplete_demande_whose_piece_is_gone_or_changed_is_said(make_workspace, register, tmp_path) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    by_bdc = exported(folder, register, tmp_path / "out")
    register.set_status([StatusChange(by_bdc["B1"], "incomplete"), StatusChange(by_bdc["B2"], "incomplete")],
                        source="test")
    (folder / "pieces" / "B1.pdf").write_bytes(MINIMAL_PDF + b"% rescanned\n")
    (folder / "pieces" / "B2.pdf").unlink()
    result = run_pipeline(load_workspace(folder), AT, register=RegisterIndex.of(register))
    outcome = write_followup(register, result, [by_bdc["B1"], by_bdc["B2"]], tmp_path / "suivi")
    assert outcome.prepared == [by_bdc["B1"]]
    assert outcome.skipped[0][0] == by_bdc["B2"] and "B2.pdf" in outcome.skipped[0][1]
    manifest = json.loads((outcome.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["items"][0]["changed_since_deposit"] == [a.name for a in register.deposits(by_bdc["B1"])[-1].attachments]
    assert "Modifiées depuis le dépôt" in (outcome.folder / "LISEZMOI.txt").read_text(encoding="utf-8")
