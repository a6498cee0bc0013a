"""The register's backup: JSON and XLSX round trips are exact, imports merge and are idempotent, bad files are
French InputErrors naming the file, and a text that looks like a formula never becomes one."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from register_spec import ROOT, child_env, spec_of

import segur_desktop
from segur_desktop.core.calendar import PARIS
from segur_desktop.core.datafiles import format_problem
from segur_desktop.core.errors import InputError
from segur_desktop.core.register import backup
from segur_desktop.core.register.backup import ImportSummary, export_register, import_register
from segur_desktop.core.register.store import Attachment, DepositItem, ExportRecord, Register, StatusChange

T0 = datetime(2026, 1, 5, 9, 30, tzinfo=PARIS)
FORMULA = '=HYPERLINK("http://exemple.invalid/piege","Cliquez")'
SUFFIXES = (".json", ".xlsx")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def item(demande_id: str, *, kind: str = "avance", beneficiary: str = "750000001", bdc: str = "BDC-001",
         name: str = "Clinique Sainte-Hélène", requested: str = "5550.00", pieces: tuple[str, ...] = ("bdc.pdf",)
         ) -> DepositItem:
    request = {"idDemande": demande_id, "typeDemande": kind, "couloir": "HOP",
               "beneficiaire": {"identifiant": beneficiary, "raisonSociale": name},
               "bonDeCommande": {"numero": bdc, "montantHT": "18500.00"}, "montantDemandeHT": requested}
    text = json.dumps(request, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return DepositItem(
        demande_id, "HOP", kind, "FINESS", beneficiary, name, "DPI", "Logiciel Élan", bdc, "18500.00", requested,
        f"HOP_{kind}.json", sha(f"fichier {demande_id}"), text, sha(text),
        tuple(Attachment(f"{demande_id}_{piece}", sha(demande_id + piece), 1000 + i, f"C:/Pièces jointes/{piece}")
              for i, piece in enumerate(pieces)))


def export(number: int, *items: DepositItem) -> ExportRecord:
    return ExportRecord(f"/données/depot_{number}", f"depot_2026-01-0{number}_Éditeur", sha(f"manifeste {number}"),
                        "depot", (T0 + timedelta(days=number)).isoformat(), "/données/dossier", items)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def status(register: Register, at: datetime, force: bool = False, **changes: str) -> None:
    outcome = register.set_status([StatusChange(i, s, f"changé le {at:%d/%m}") for i, s in changes.items()],
                                  source="fenêtre", author="Agnès", at=at, force=force)
    assert not outcome.refused and not outcome.unknown, outcome


@pytest.fixture
def source(new_register) -> Register:
    """Two exports: three avances (one named like a formula), then a solde of the first and a rejected one again."""
    register = new_register("r")
    register.record(export(1, item("A1", pieces=("bdc.pdf", "facture.pdf")),
                           item("A2", beneficiary="750000002", name=FORMULA),
                           item("A3", beneficiary="750000003", name="Ehpad « Les Tilleuls » — Orléans")),
                    at=day(0.1), author="Agnès")
    status(register, day(1), A1="en_cours", A2="en_cours")
    status(register, day(2), A1="validee", A3="rejetee")
    status(register, day(3), force=True, A2="exportee")  # not allowed: a correction
    register.record(export(2, item("S1", kind="solde", requested="12950.00"), item("A3", beneficiary="750000003")),
                    at=day(4), author="Agnès")
    status(register, day(5), S1="en_cours")
    rows = register.dump_rows()
    assert next(d for d in rows["demandes"] if d["id"] == "S1")["avance_id"] == "A1"
    assert any(h["forced"] for h in rows["history"])
    return register


def portable(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """dump_rows() with export ids replaced by the manifest's hash (what identifies an export everywhere)."""
    rows = copy.deepcopy(rows)
    manifest = {e["id"]: e["manifest_sha256"] for e in rows["exports"]}
    for e in rows["exports"]:
        e["id"] = manifest[e["id"]]
    for d in rows["demandes"]:
        d["last_export"] = manifest[d["last_export"]]
    for table in ("deposits", "attachments"):
        for r in rows[table]:
            r["export_id"] = manifest[r["export_id"]]
    rows["exports"].sort(key=lambda e: e["id"])
    rows["deposits"].sort(key=lambda r: (r["export_id"], r["demande_id"]))
    rows["attachments"].sort(key=lambda r: (r["export_id"], r["demande_id"], r["name"]))
    return rows


def consistent(register: Register) -> None:
    """Every demande's status is the new status of its last history row, and its history is chronological."""
    for entry in register.entries():
        history = register.history(entry.id)
        assert history[-1].new_status == entry.status, entry.id
        assert [h.at for h in history] == sorted(h.at for h in history), entry.id


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_round_trip_into_a_fresh_register_is_exact(
        new_register, source: Register, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"sauvegarde{suffix}"
    summary = export_register(source, path)
    assert (summary.path, summary.exports, summary.demandes, summary.history) == (path, 2, 4, 11)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    fresh = new_register("restauré")
    assert import_register(fresh, path) == ImportSummary(2, 4, 0, 11)
    assert fresh.dump_rows() == source.dump_rows()  # same ids too: a restore numbers rows as the original
    assert portable(fresh.dump_rows()) == portable(source.dump_rows())
    assert fresh.entries() == source.entries()
    for entry in source.entries():
        assert fresh.history(entry.id) == source.history(entry.id)
        assert fresh.deposits(entry.id) == source.deposits(entry.id)
    consistent(fresh)


def test_the_json_backup_is_the_documented_format(source: Register, tmp_path: Path) -> None:
    path = tmp_path / "sauvegarde.json"
    export_register(source, path)
    text = path.read_text(encoding="utf-8")
    assert "Sainte-Hélène" in text and "Les Tilleuls" in text  # ensure_ascii=False
    data = json.loads(text)
    assert format_problem(data, "register-backup.schema.json") is None
    assert (data["format"], data["schema_version"], data["app_version"], data["register_version"]) == (
        "segur-desktop-registre", 2, segur_desktop.__version__, source.version)
    assert datetime.fromisoformat(data["exported_at"]).utcoffset() is not None
    assert data["tables"] == source.dump_rows()
    assert {d["bdc_amount_ht"] for d in data["tables"]["demandes"]} == {"18500.00"}  # amounts stay text


def test_the_xlsx_backup_is_for_people_and_keeps_formulas_as_text(source: Register, tmp_path: Path) -> None:
    path = tmp_path / "sauvegarde.xlsx"
    export_register(source, path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["À propos", "Dépôts", "Demandes", "Contenus déposés", "Pièces", "Historique",
                                   "Avenants"]
    sheet = workbook["Demandes"]
    assert sheet.freeze_panes == "A3"
    headers = [c.value for c in sheet[1]]
    names = [c.value for c in sheet[2]]
    assert "Raison sociale" in headers and names[headers.index("Raison sociale")] == "beneficiary_name"
    column = names.index("beneficiary_name") + 1
    cell = next(sheet.cell(r, column) for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == "A2")
    assert cell.value == FORMULA and cell.data_type == "s"
    amount = sheet.cell(3, names.index("bdc_amount_ht") + 1)
    assert (amount.value, amount.data_type) == ("18500.00", "s")
    assert not [c.coordinate for ws in workbook for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert workbook["À propos"]["B3"].value == "segur-desktop-registre"


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_importing_a_backup_again_changes_nothing(new_register, source: Register, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"sauvegarde{suffix}"
    export_register(source, path)
    before = source.dump_rows()
    assert import_register(source, path) == ImportSummary(0, 0, 0, 0)  # into the register it came from
    assert source.dump_rows() == before
    fresh = new_register("autre")
    import_register(fresh, path)
    restored = fresh.dump_rows()
    assert import_register(fresh, path) == ImportSummary(0, 0, 0, 0)
    assert fresh.dump_rows() == restored


def test_two_registers_with_overlapping_exports_merge(new_register, source: Register, tmp_path: Path) -> None:
    """B starts from A's backup, then each goes on; the merges, both ways, agree."""
    a = source
    a_backup = tmp_path / "a.json"
    export_register(a, a_backup)
    b = new_register("b")
    import_register(b, a_backup)
    b.record(export(3, item("N1", beneficiary="750000009", name="Centre Émile-Roux"),
                    item("A2", beneficiary="750000002", name="Clinique renommée")), at=day(7), author="Bruno")
    status(b, day(10), A1="decidee_payee")
    status(a, day(6), S1="validee")
    b_backup = tmp_path / "b.xlsx"
    export_register(b, b_backup)

    summary = import_register(a, b_backup)
    assert summary == ImportSummary(exports_added=1, demandes_added=1, demandes_updated=2, history_added=3)
    assert a.entry("A1").status == "decidee_payee"  # B's change is the later one
    assert a.entry("S1").status == "validee"  # A's change is the later one
    renamed = a.entry("A2")
    assert (renamed.beneficiary_name, renamed.bundle_name) == ("Clinique renommée", "depot_2026-01-03_Éditeur")
    assert a.exports_count() == 3 and len(a.deposits("A2")) == 2

    a_again = tmp_path / "a2.json"
    export_register(a, a_again)
    import_register(b, a_again)
    assert a.entries() == b.entries()
    for entry in a.entries():
        assert a.history(entry.id) == b.history(entry.id)
        assert a.deposits(entry.id) == b.deposits(entry.id)
    assert portable(a.dump_rows())["deposits"] == portable(b.dump_rows())["deposits"]
    consistent(a)
    consistent(b)


def test_the_later_status_wins_whichever_way_and_history_stays_in_order(
        new_register, source: Register, tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    export_register(source, base)
    early, late = new_register("early"), new_register("late")
    import_register(early, base)
    import_register(late, base)
    status(early, day(8), S1="attente_pieces")
    status(late, day(9), S1="validee")
    late_backup, early_backup = tmp_path / "late.xlsx", tmp_path / "early.json"
    export_register(late, late_backup)
    export_register(early, early_backup)

    assert import_register(early, late_backup).demandes_updated == 1
    assert early.entry("S1").status == "validee"
    assert import_register(late, early_backup) == ImportSummary(0, 0, 0, 1)  # the older change: history only
    assert late.entry("S1").status == "validee"
    assert [h.new_status for h in late.history("S1")] == ["exportee", "en_cours", "attente_pieces", "validee"]
    assert late.history("S1") == early.history("S1")
    consistent(early)
    consistent(late)


def test_a_merge_that_fails_midway_changes_nothing(new_register, source: Register, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sauvegarde.json"
    export_register(source, path)
    fresh = new_register("autre")
    fresh.record(export(9, item("Z9", beneficiary="750000099")), at=day(9))
    before = fresh.dump_rows()

    def broken(*args: object) -> int:
        raise RuntimeError("disque plein")

    monkeypatch.setattr(backup.merge, "_merge_history", broken)  # after exports, demandes and deposits were inserted
    with pytest.raises(RuntimeError):
        import_register(fresh, path)
    assert fresh.dump_rows() == before


def _backup_data(source: Register, tmp_path: Path) -> dict:
    path = tmp_path / "modèle.json"
    export_register(source, path)
    return json.loads(path.read_text(encoding="utf-8"))


def _written(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _bad_files(source: Register, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, what the French message must say)."""
    data = _backup_data(source, tmp_path)
    newer = dict(data, schema_version=99)
    wrong_amount = copy.deepcopy(data)
    wrong_amount["tables"]["demandes"][2]["bdc_amount_ht"] = 18500
    orphan = copy.deepcopy(data)
    orphan["tables"]["deposits"][0]["demande_id"] = "INCONNUE"
    truncated = tmp_path / "tronquée.json"
    full = json.dumps(data, ensure_ascii=False).encode("utf-8")
    truncated.write_bytes(full[:len(full) // 2])
    xlsx = tmp_path / "complète.xlsx"
    export_register(source, xlsx)
    workbook = load_workbook(xlsx)
    del workbook["Demandes"]
    no_sheet = tmp_path / "sans-demandes.xlsx"
    workbook.save(no_sheet)
    workbook = load_workbook(xlsx)
    workbook["Historique"]["C2"] = "quand"
    renamed_column = tmp_path / "colonne.xlsx"
    workbook.save(renamed_column)
    cut = tmp_path / "coupée.xlsx"
    cut.write_bytes(xlsx.read_bytes()[:2000])
    text = tmp_path / "texte.xlsx"
    text.write_text("id;statut\nA1;validee\n", encoding="utf-8")
    return {
        "suffix": (tmp_path / "sauvegarde.csv", r"\.json ou \.xlsx"),
        "missing": (tmp_path / "absente.json", "introuvable"),
        "random json": (_written(tmp_path / "autre.json", {"bonjour": "monde"}), "n'est pas une sauvegarde"),
        "json list": (_written(tmp_path / "liste.json", [1, 2, 3]), "n'est pas une sauvegarde"),
        "newer": (_written(tmp_path / "future.json", newer), "version plus récente"),
        "truncated": (truncated, "tronquée"),
        "schema": (_written(tmp_path / "montant.json", wrong_amount), "table « demandes », ligne 3"),
        "reference": (_written(tmp_path / "orpheline.json", orphan), "INCONNUE"),
        "xlsx sheet": (no_sheet, "feuille « Demandes »"),
        "xlsx column": (renamed_column, "« at » manque"),
        "truncated xlsx": (cut, "tronqué"),
        "not xlsx": (text, "n'est pas une sauvegarde"),
    }


def test_bad_backups_are_french_input_errors_naming_the_file(new_register, source: Register, tmp_path: Path) -> None:
    target = new_register("cible")
    target.record(export(9, item("Z9", beneficiary="750000099")), at=day(9))
    before = target.dump_rows()
    for case, (path, expected) in _bad_files(source, tmp_path).items():
        with pytest.raises(InputError) as caught:
            import_register(target, path)
        message = str(caught.value)
        assert path.name in message, (case, message)
        assert re.search(expected, message), (case, message)
        assert "Traceback" not in message
    assert target.dump_rows() == before


def test_export_refuses_other_suffixes_and_unwritable_places(source: Register, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"sauvegarde\.csv.*\.json ou \.xlsx"):
        export_register(source, tmp_path / "sauvegarde.csv")
    blocker = tmp_path / "fichier"
    blocker.write_text("un fichier, pas un dossier", encoding="utf-8")
    with pytest.raises(InputError, match="Impossible d'écrire la sauvegarde"):
        export_register(source, blocker / "sauvegarde.json")


WRITER = """
import sys, time
from register_spec import from_spec
from segur_desktop.core.register.store import Attachment, DepositItem, ExportRecord, StatusChange

register = from_spec(sys.argv[1])
for number in range(1, 400):
    items = tuple(DepositItem(f"W{number}-{i}", "HOP", "avance", "FINESS", f"{number}-{i}", "Écrivain", "DPI", "Élan",
                              f"BDC-{number}-{i}", "100.00", "30.00", "HOP_avance.json", "0" * 64, "{}", "1" * 64,
                              (Attachment("bdc.pdf", "2" * 64, 10, "bdc.pdf"),)) for i in range(20))
    register.record(ExportRecord("/w", f"w{number}", f"{number:064x}", "depot", "2026-01-05T09:30:00+01:00", "/d",
                                 items))
    register.set_status([StatusChange(item.id, "en_cours") for item in items], source="test")
    print(number, flush=True)
    time.sleep(0.002)
"""


def test_a_backup_taken_while_another_process_writes_is_one_consistent_state(new_register, tmp_path: Path) -> None:
    """The tables are read one after the other: the backup holds the write lock meanwhile (SQLite's, or the shared
    register's advisory lock), so a writer's commit never lands between two of them (a deposit without its export,
    a status without its history)."""
    register = new_register("r")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, spec_of(register)], stdout=subprocess.PIPE, text=True,
                              cwd=ROOT, env=child_env())
    try:
        assert writer.stdout.readline()
        for attempt in range(8):
            out = tmp_path / f"pendant-{attempt}.json"
            export_register(register, out)
            restored = Register(tmp_path / f"restauré-{attempt}.sqlite3")
            import_register(restored, out)  # refuses a backup whose tables disagree
            rows = restored.dump_rows()
            last = {h["demande_id"]: h["new_status"] for h in rows["history"]}  # in id order: the last one stays
            assert {d["id"]: d["status"] for d in rows["demandes"]} == last
            assert len(rows["deposits"]) == len(rows["attachments"]) == 20 * len(rows["exports"])
    finally:
        writer.kill()
        writer.stdout.close()
        writer.wait(timeout=30)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_register_holding_a_real_bundle_round_trips(new_register, tmp_path: Path, suffix: str) -> None:
    from segur_desktop.core.export.bundle import export_workspace
    from segur_desktop.core.paths import demo_workspace
    from segur_desktop.core.register.record import record_export
    from segur_desktop.core.workspace import load_workspace

    workspace = load_workspace(demo_workspace())
    register = new_register("r")
    assert record_export(register, export_workspace(workspace, workspace.judged_at, tmp_path / "out")).new
    path = tmp_path / f"sauvegarde{suffix}"
    export_register(register, path)
    fresh = new_register("restauré")
    summary = import_register(fresh, path)
    assert (summary.exports_added, summary.demandes_added) == (1, len(register.entries()))
    assert fresh.dump_rows() == register.dump_rows()
