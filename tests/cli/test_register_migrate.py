"""`register migrate --to postgresql://…` copies a vendor's SQLite register, history and avenants included, into
the team's PostgreSQL register, verifies it table by table and says so in French; `--to FICHIER.sqlite3` copies a
shared register back into a file (issue #20)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pg import drop_schema

from segur_desktop.cli import main
from segur_desktop.core.calendar import PARIS
from segur_desktop.core.register.avenants import NewAvenant
from segur_desktop.core.register.store import Attachment, DepositItem, ExportRecord, Register, StatusChange

AT = datetime(2026, 1, 5, 9, 30, tzinfo=PARIS)
SIRET = "73282932000074"


def _item(n: int, kind: str = "avance") -> DepositItem:
    text = json.dumps({"idDemande": f"HOP-{kind[:2].upper()}-{n}"})
    return DepositItem(f"HOP-{kind[:2].upper()}-{n}", "HOP", kind, "finess_et", f"75000000{n}", f"Clinique {n}", "DPI",
                       "Élan", f"BDC-{n}", "1000.00", "300.00" if kind == "avance" else "700.00", "HOP.json", "f" * 64,
                       text, "e" * 64, (Attachment("a.pdf", "a" * 64, 1, "a.pdf"),))


@pytest.fixture
def sqlite_register(tmp_path: Path) -> Register:
    register = Register(tmp_path / "registres" / f"{SIRET}.sqlite3")
    register.record(ExportRecord("/d/depot_1", "depot_1", "1" * 64, "depot", AT.isoformat(), "/d",
                                 tuple(_item(n) for n in range(1, 4))), at=AT)
    register.set_status([StatusChange("HOP-AV-1", "en_cours"), StatusChange("HOP-AV-2", "en_cours")], source="test",
                        at=AT + timedelta(days=1))
    register.set_status([StatusChange("HOP-AV-1", "validee")], source="test", at=AT + timedelta(days=2))
    register.record(ExportRecord("/d/depot_2", "depot_2", "2" * 64, "depot", (AT + timedelta(days=3)).isoformat(),
                                 "/d", (_item(1, "solde"),)), at=AT + timedelta(days=3))
    assert not register.add_avenants([NewAvenant("HOP-AV-2", 1, "en_cours")], source="test", at=AT)
    return register


def test_a_sqlite_register_moves_to_postgresql_and_back_identical(sqlite_register, postgres_url, tmp_path, capsys):
    url = postgres_url
    drop_schema(url, f"registre_{SIRET}")  # the session's cluster is shared by the suites
    assert main(["register", "migrate", "--register", str(sqlite_register.path), "--to", url]) == 0
    out = capsys.readouterr().out
    assert f"Registre copié de « {sqlite_register.path} » vers « {url} (registre_{SIRET}) »." in out
    assert "même nombre de lignes et même empreinte SHA-256" in out and '"registre": "' in out
    assert "history" in out and "avenants" in out
    assert main(["register", "list", "--register", url, "--vendor", SIRET]) == 0
    assert "4 demande(s)." in capsys.readouterr().out
    assert main(["register", "list", "--register", url]) == 2
    assert "indiquez lequel" in capsys.readouterr().err
    # The reverse: the shared register into a new SQLite file, verified the same way.
    back = tmp_path / "copie.sqlite3"
    assert main(["register", "migrate", "--register", url, "--vendor", SIRET, "--to", str(back), "--format",
                 "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verified"] and {t["table"]: t["rows"] for t in report["tables"]} == {
        "exports": 2, "demandes": 4, "deposits": 4, "attachments": 4, "history": 8, "avenants": 1}
    assert Register(back).dump_rows() == sqlite_register.dump_rows()
    # A second migration into the same (now not empty) schema is refused, and changes nothing.
    assert main(["register", "migrate", "--register", str(sqlite_register.path), "--to", url]) == 2
    assert "n'est pas vide" in capsys.readouterr().err
    # The shared copy goes on numbering its exports and history after the copied ones.
    from segur_desktop.core.register.postgresql import PostgresBackend

    shared = Register(PostgresBackend(url, f"registre_{SIRET}"))
    shared.record(ExportRecord("/d/depot_3", "depot_3", "3" * 64, "depot", AT.isoformat(), "/d", (_item(9),)), at=AT)
    rows = shared.dump_rows()
    assert [e["id"] for e in rows["exports"]] == [1, 2, 3] and rows["history"][-1]["id"] == 9


def test_a_url_holding_a_password_is_refused_before_anything(sqlite_register, capsys) -> None:
    assert main(["register", "migrate", "--register", str(sqlite_register.path), "--to",
                 "postgresql://jean:secret@serveur/segur"]) == 2
    assert "contient un mot de passe" in capsys.readouterr().err
