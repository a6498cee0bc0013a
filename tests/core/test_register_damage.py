"""A damaged register is never taken silently (issue #17, item 9), on both backends (issue #20).

A register emptied (0 bytes), deleted, or replaced by an older copy would wipe every « déjà déposée »
protection: the marker beside it (its row counts) tells it from a new register, and it is refused in French
until a backup is imported or the loss is acknowledged. A status outside the lifecycle is refused when a
backup is imported, and one found in the database is a French error, never a KeyError.

The file's own accidents (0 bytes, deleted, an older copy put back) are SQLite's (`lite`); rows lost inside the
database (a shared register restored from an older dump, a table emptied by hand), the way back from them and a
status outside the lifecycle run on SQLite and on PostgreSQL (`register`).
"""

from __future__ import annotations

import hashlib
import json
import shutil
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


def filled(register: Register) -> Register:
    register.record(export(1, item("A1", "750000001"), item("A2", "750000002")), at=T0)
    register.set_status([StatusChange("A1", "en_cours")], source="test", at=T0 + timedelta(days=1))
    return register


@pytest.fixture
def lite(tmp_path: Path) -> Register:
    """A SQLite register, for what only happens to its file."""
    return filled(Register(tmp_path / "registre.sqlite3"))


@pytest.fixture
def register(new_register) -> Register:
    """On SQLite, then on PostgreSQL (`conftest.new_register`)."""
    return filled(new_register())


def lose_rows(register: Register) -> None:
    """Every row gone from inside the database, behind the register's back (its marker stays as it was)."""
    with register.backend.connect(write=True) as con:
        for table in ("avenants", "history", "attachments", "deposits", "demandes", "exports"):
            con.execute(f"DELETE FROM {table}")


def test_a_new_register_is_not_an_emptied_one(tmp_path: Path) -> None:
    fresh = Register(tmp_path / "neuf.sqlite3")
    assert fresh.entries() == [] and not marker_path(fresh.path).exists()  # nothing to remember yet
    assert Register(fresh.path).entries() == []


def test_a_register_truncated_to_zero_bytes_is_refused(lite: Register) -> None:
    assert marker_path(lite.path).is_file()
    lite.path.write_bytes(b"")
    with pytest.raises(InputError) as refused:
        Register(lite.path)
    message = str(refused.value)
    assert "vide (0 octet)" in message and "2 demande(s)" in message
    assert "register import" in message and "register reset --confirm" in message
    assert lite.path.stat().st_size == 0  # left as it is: nothing was created over it
    with pytest.raises(InputError, match="vide"):
        RegisterIndex.of(Register(lite.path))


def test_a_deleted_register_is_refused_not_recreated(lite: Register) -> None:
    lite.path.unlink()
    with pytest.raises(InputError, match="introuvable"):
        Register(lite.path)
    assert not lite.path.exists()


def test_an_older_copy_put_back_is_refused(lite: Register, tmp_path: Path) -> None:
    older = tmp_path / "copie.sqlite3"
    shutil.copy(lite.path, older)
    lite.record(export(2, item("A3", "750000003")), at=T0 + timedelta(days=2))
    shutil.copy(older, lite.path)
    with pytest.raises(InputError, match=r"a perdu des lignes : il contient 2 demande\(s\).* au lieu de 3 demande\(s\)"):
        Register(lite.path)


def test_rows_lost_inside_the_database_are_refused(new_register, register: Register) -> None:
    lose_rows(register)
    with pytest.raises(InputError, match=r"a perdu des lignes : il contient 0 demande\(s\).* au lieu de 2 "
                                         r"demande\(s\)") as refused:
        new_register()
    assert "register import" in str(refused.value) and "register reset --confirm" in str(refused.value)


def test_restoring_the_last_backup_makes_it_usable_again(new_register, register: Register, tmp_path: Path) -> None:
    backup = tmp_path / "sauvegarde.json"
    export_register(register, backup)
    lose_rows(register)
    with pytest.raises(InputError, match="sauvegarde.json"):  # the message names the last backup known
        new_register()
    restoring = new_register(repair=True)
    import_register(restoring, backup)
    assert restoring.shortfall() is None
    assert [e.id for e in new_register().entries()] == ["A1", "A2"]


def test_an_acknowledged_loss_starts_afresh(new_register, register: Register) -> None:
    lose_rows(register)
    acknowledged = new_register(repair=True)
    assert acknowledged.shortfall() is not None
    acknowledged.accept_as_is()
    assert new_register().entries() == []


def test_a_backup_holding_a_status_outside_the_lifecycle_is_refused(new_register, register: Register,
                                                                    tmp_path: Path) -> None:
    backup = tmp_path / "sauvegarde.json"
    export_register(register, backup)
    data = json.loads(backup.read_text(encoding="utf-8"))
    data["tables"]["demandes"][0]["status"] = "pirate"
    backup.write_text(json.dumps(data), encoding="utf-8")
    fresh = new_register("autre")
    with pytest.raises(InputError, match="« pirate »") as refused:
        import_register(fresh, backup)
    assert "table « demandes », ligne 1" in str(refused.value)
    assert fresh.entries() == []


def test_an_unknown_status_in_the_database_is_a_french_error(register: Register) -> None:
    with register.backend.connect(write=True) as con:
        con.execute("UPDATE demandes SET status = 'pirate' WHERE id = 'A1'")
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
