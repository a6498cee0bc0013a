"""A status file that gives one demande two different statuses (issue #17, item 10): neither line is applied,
both are « Ambiguë » with one French detail naming both lines, in the plan the window reads and in the CLI."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import pytest

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.register.statusfile import Verdict, apply_status_file, plan_status_file
from segur_desktop.core.register.store import Attachment, DepositItem, ExportRecord, Register

AT = datetime(2026, 1, 5, 9, 30, tzinfo=PARIS)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _item(demande_id: str, bdc: str, beneficiary: str) -> DepositItem:
    text = json.dumps({"idDemande": demande_id})
    return DepositItem(demande_id, "HOP", "avance", "FINESS", beneficiary, "Clinique", "DPI", "Élan", bdc, "1000.00",
                       "300.00", "HOP_avance.json", _sha(demande_id), text, _sha(text),
                       (Attachment(f"{demande_id}_BDC.pdf", _sha(bdc), 10, "b.pdf"),))


@pytest.fixture
def register(tmp_path: Path) -> Register:
    register = Register(tmp_path / "registre.sqlite3")
    register.record(ExportRecord("/d/depot_1", "depot_1", _sha("m1"), "depot", AT.isoformat(), "/d", (
        _item("HOP-AV-1", "BDC-1", "750000001"), _item("HOP-AV-2", "BDC-2", "750000002"))), at=AT)
    return register


def _status_file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "statuts.csv"
    path.write_text("N° BDC;Statut\n" + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_two_different_statuses_for_one_bdc_are_ambiguous_and_neither_is_applied(register: Register,
                                                                                  tmp_path: Path) -> None:
    path = _status_file(tmp_path, "BDC-1;Validée", "BDC-2;En cours", "BDC-1;Rejetée")
    plan = plan_status_file(register, path)
    by_row = {line.row: line for line in plan.lines}
    assert by_row[2].verdict == by_row[4].verdict == Verdict.AMBIGUOUS
    assert by_row[3].verdict == Verdict.CHANGE
    detail = by_row[2].detail
    assert detail == by_row[4].detail  # one diagnostic, on each of the two lines
    assert "lignes 2 et 4" in detail and "« Validée »" in detail and "« Rejetée »" in detail and "HOP-AV-1" in detail
    assert [c.id for c in plan.changes()] == ["HOP-AV-2"]
    assert [c.id for c in plan.changes(force=True)] == ["HOP-AV-2"]
    outcome = apply_status_file(register, plan, force=True)
    assert [a[0] for a in outcome.applied] == ["HOP-AV-2"]
    assert register.entry("HOP-AV-1").status == "exportee"


def test_the_same_status_twice_is_not_a_conflict(register: Register, tmp_path: Path) -> None:
    plan = plan_status_file(register, _status_file(tmp_path, "BDC-1;Validée", "BDC-1;VALIDEE"))
    assert Verdict.AMBIGUOUS not in plan.counts()
