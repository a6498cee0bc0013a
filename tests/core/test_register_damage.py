"""A damaged register is never taken silently (issue #17, item 9).

A register emptied (0 bytes), deleted, or replaced by an older copy would wipe every « déjà déposée »
protection: the marker beside it (its row counts) tells it from a new register, and it is refused in French
until a backup is imported or the loss is acknowledged. A status outside the lifecycle is refused when a
backup is imported, and one found in the database is a French error, never a KeyError.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from segur_desktop.core.calendar import PARIS
from segur_desktop.core.errors import InputError
from segur_desktop.core.register.backup import export_register, import_register
from segur_desktop.core.register.index import RegisterIndex
from segur_desktop.core.register.marker import marker_path
from segur_desktop.core.register.store import Attachment, DepositItem, ExportRecord, Register, StatusChange

T0 = datetime(2026, 1, 5, 9, 30, tzinfo=PARIS)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def item(demande_id: str, beneficiary: str) -> DepositItem:
    text = json.dumps({"idDemande": demande_id})
    return DepositItem(demande_id, "HOP", "avance", "FINESS", beneficiary, "Clinique", "DPI", "Élan", f"BDC-{demande_id}",
                       "1000.00", "300.00", "HOP_avance.json", sha(demande_id), text, sha(text),
                       (Attachment(f"{demande_id}_BDC.pdf", sha(beneficiary), 10, "b.pdf"),))


def export(number: int, *items: DepositItem) -> ExportRecord:
    return ExportRecord(f"/d/depot_{number}", f"depot_{number}", sha(f"manifeste {number}"), "depot",
                        (T0 + timedelta(days=number)).isoformat(), "/d", items)


@pytest.fixture
def register(tmp_path: Path) -> Register:
    register = Register(tmp_path / "registre.sqlite3")
    register.record(export(1, item("A1", "750000001"), item("A2", "750000002")), at=T0)
    register.set_status([StatusChange("A1", "en_cours")], source="test", at=T0 + timedelta(days=1))
    return register


def test_a_new_register_is_not_an_emptied_one(tmp_path: Path) -> None:
    fresh = Register(tmp_path / "neuf.sqlite3")
    assert fresh.entries() == [] and not marker_path(fresh.path).exists()  # nothing to remember yet
    assert Register(fresh.path).entries() == []


def test_a_register_truncated_to_zero_bytes_is_refused(register: Register) -> None:
    assert marker_path(register.path).is_file()
    register.path.write_bytes(b"")
    with pytest.raises(InputError) as refused:
        Register(register.path)
    message = str(refused.value)
    assert "vide (0 octet)" in message and "2 demande(s)" in message
    assert "register import" in message and "register reset --confirm" in message
    assert register.path.stat().st_size == 0  # left as it is: nothing was created over it
    with pytest.raises(InputError, match="vide"):
        RegisterIndex.of(Register(register.path))


def test_a_deleted_register_is_refused_not_recreated(register: Register) -> None:
    register.path.unlink()
    with pytest.raises(InputError, match="introuvable"):
        Register(register.path)
    assert not register.path.exists()


def test_an_older_copy_put_back_is_refused(register: Register, tmp_path: Path) -> None:
    older = tmp_path / "copie.sqlite3"
    shutil.copy(register.path, older)
    register.record(export(2, item("A3", "750000003")), at=T0 + timedelta(days=2))
    shutil.copy(older, register.path)
    with pytest.raises(InputError, match=r"a perdu des lignes : il contient 2 demande\(s\).* au lieu de 3 demande\(s\)"):
        Register(register.path)


def test_restoring_the_last_backup_makes_it_usable_again(register: Register, tmp_path: Path) -> None:
    backup = tmp_path / "sauvegarde.json"
    export_register(register, backup)
    register.path.write_bytes(b"")
    with pytest.raises(InputError, match="sauvegarde.json"):  # the message names the last backup known
        Register(register.path)
    restoring = Register(register.path, repair=True)
    import_register(restoring, backup)
    assert restoring.shortfall() is None
    assert [e.id for e in Register(register.path).entries()] == ["A1", "A2"]


def test_an_acknowledged_loss_starts_afresh(register: Register) -> None:
    register.path.write_bytes(b"")
    acknowledged = Register(register.path, repair=True)
    assert acknowledged.shortfall() is not None
    acknowledged.accept_as_is()
    assert Register(register.path).entries() == []


def test_a_backup_holding_a_status_outside_the_lifecycle_is_refused(register: Register, tmp_path: Path) -> None:
    backup = tmp_path / "sauvegarde.json"
    export_register(register, backup)
    data = json.loads(backup.read_text(encoding="utf-8"))
    data["tables"]["demandes"][0]["status"] = "pirate"
    backup.write_text(json.dumps(data), encoding="utf-8")
    fresh = Register(tmp_path / "autre.sqlite3")
    with pytest.raises(InputError, match="« pirate »") as refused:
        import_register(fresh, backup)
    assert "table « demandes », ligne 1" in str(refused.value)
    assert fresh.entries() == []


def test_an_unknown_status_in_the_database_is_a_french_error(register: Register) -> None:
    with sqlite3.connect(register.path) as con:
        con.execute("UPDATE demandes SET status = 'pirate' WHERE id = 'A1'")
    con.close()
    with pytest.raises(InputError, match="« pirate »") as refused:
        RegisterIndex.of(register)
    assert "A1" in str(refused.value) and "set-status" in str(refused.value)
    with pytest.raises(InputError, match="« pirate »"):
        register.record(export(2, item("A1", "750000001")))
    with pytest.raises(InputError, match="« pirate »"):
        register.lifecycle.status("pirate")
    # the way out: a forced change, with a comment
    outcome = register.set_status([StatusChange("A1", "en_cours", "statut réparé")], source="test", force=True)
    assert outcome.applied == [("A1", "pirate", "en_cours")]
    assert RegisterIndex.of(register).by_id["A1"].status == "en_cours"
