"""`segur-desktop register`: the Suivi cycle on the demo, from the command line (issue #8)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from segur_desktop.cli import main
from segur_desktop.core.paths import demo_workspace


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(demo_workspace(), folder)
    return folder


def output(capsys: pytest.CaptureFixture) -> str:
    return capsys.readouterr().out


def test_the_full_cycle_export_statuses_followup_soldes(demo_copy: Path, tmp_path: Path, capsys) -> None:
    w = ["-w", str(demo_copy)]
    # 1. Export the avances: each enters the register as « exportée ».
    assert main(["export", *w, "--out", str(tmp_path / "depots"), "--format", "json"]) == 1
    first = json.loads(output(capsys))
    assert len(first["recorded"]["new"]) == 29
    bundle = Path(first["bundle"]).name
    # 2. Deposited: the whole bundle goes « en cours ».
    assert main(["register", "set-status", *w, "--bundle", bundle, "en cours", "--comment", "déposé"]) == 0
    assert "29 changement(s) de statut enregistré(s)." in output(capsys)
    # 3. The portal's statuses: a preview, then applied; the unknown BDC is reported (exit 1).
    statuses = demo_copy / "statuts_portail.csv"
    assert main(["register", "import-status", *w, str(statuses), "--format", "json"]) == 1
    preview = json.loads(output(capsys))
    assert preview["counts"] == {"change": 6, "inchange": 1, "inconnu": 1}  # BDC-2022-0001 is « en cours » already
    assert main(["register", "import-status", *w, str(statuses), "--apply"]) == 1
    assert "6 changement(s) de statut enregistré(s)." in output(capsys)
    assert main(["register", "list", *w, "--status", "validée", "--format", "json"]) == 0
    validated = {r["bdc_number"] for r in json.loads(output(capsys))["requests"]}
    assert validated == {"BDC-2022-0009", "BDC-2022-0011", "BDC-2022-0019"}
    # 4. Validation now: deposited avances are not new; the soldes of validated avances are valid.
    assert main(["validate", *w, "--format", "json"]) == 1
    report = json.loads(output(capsys))
    codes = [d["code"] for d in report["diagnostics"]]
    assert codes.count("deja_deposee") == 29 and codes.count("solde_sans_avance") == 1
    assert "solde_avance_non_validee" not in codes
    # 5. A follow-up folder: the readable copy asked for BDC-2022-0005; BDC-2022-0003 is not corrected yet.
    assert main(["register", "follow-up", *w, "--out", str(tmp_path / "suivi")]) == 1
    text = output(capsys)
    assert "Paquet de suivi écrit" in text and "la même demande que celle déposée" in text
    (folder,) = (tmp_path / "suivi").iterdir()
    assert [p.name for p in folder.rglob("*COMPLEMENT*.pdf")] and (folder / "LISEZMOI.txt").is_file()
    # 6. Export the soldes: only the two whose avance is validated; nothing deposited goes again.
    assert main(["export", *w, "--out", str(tmp_path / "depots"), "--format", "json"]) == 1
    second = json.loads(output(capsys))
    assert [(g["couloir"], g["type"], g["exported"]) for g in second["groups"] if g["exported"]] == [("MDV", "solde", 2)]
    assert sum(item["reason"] == "deja_deposee" for item in second["left_out"]) == 29
    assert main(["register", "summary", *w, "--format", "json"]) == 0
    totals = {(t["status"], t["couloir"], t["type"]): t["requests"] for t in json.loads(output(capsys))["totals"]}
    assert totals[("exportee", "MDV", "solde")] == 2 and totals[("conflit", "HOP", "avance")] == 1
    solde = next(i for i in second["recorded"]["new"])
    assert main(["register", "show", *w, solde, "--format", "json"]) == 0
    shown = json.loads(output(capsys))
    assert shown["avance"] and shown["avance"].startswith("MDV-AV-") and shown["deposits"][0]["attachments"]


def test_a_change_against_the_lifecycle_is_refused_unless_forced_with_a_comment(demo_copy, tmp_path, capsys) -> None:
    w = ["-w", str(demo_copy)]
    main(["export", *w, "--out", str(tmp_path / "depots"), "--format", "json"])
    some = json.loads(output(capsys))["recorded"]["new"][0]
    assert main(["register", "set-status", *w, some, "décidée et payée"]) == 0
    output(capsys)
    assert main(["register", "set-status", *w, some, "en cours"]) == 1
    assert "refusé — Une demande « Décidée et payée » ne peut pas passer à « En cours »" in output(capsys)
    assert main(["register", "set-status", *w, some, "en cours", "--force"]) == 2
    assert "commentaire" in capsys.readouterr().err.lower()
    assert main(["register", "set-status", *w, some, "en cours", "--force", "--comment", "erreur de saisie"]) == 0
    assert main(["register", "show", *w, some]) == 0
    assert "Décidée et payée → En cours (forcé)" in output(capsys)
    assert main(["register", "set-status", *w, some, "peut-être"]) == 2
    assert "Statut « peut-être » inconnu" in capsys.readouterr().err


def test_a_corrected_demande_shows_its_differences(demo_copy: Path, tmp_path: Path, capsys) -> None:
    w = ["-w", str(demo_copy)]
    main(["export", *w, "--out", str(tmp_path / "depots"), "--format", "json"])
    output(capsys)
    main(["register", "import-status", *w, str(demo_copy / "statuts_portail.csv"), "--apply"])
    output(capsys)
    assert main(["register", "list", *w, "--status", "à modifier", "--format", "json"]) == 0
    (entry,) = json.loads(output(capsys))["requests"]
    workbook = openpyxl.load_workbook(demo_copy / "bons_de_commande.xlsx")
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=3):
        if row[0].value == "BDC-2022-0003" and row[3].value == "Avance":
            row[5].value = 17500
    workbook.save(demo_copy / "bons_de_commande.xlsx")
    assert main(["register", "diff", *w, entry["id"]]) == 0
    text = output(capsys)
    assert "/bonDeCommande/montantHT : « 18500.00 » → « 17500.00 »" in text
    assert "/montantDemandeHT : « 5550.00 » → « 5250.00 »" in text


def test_backup_to_json_and_xlsx_and_back(demo_copy: Path, tmp_path: Path, capsys) -> None:
    w = ["-w", str(demo_copy)]
    main(["export", *w, "--out", str(tmp_path / "depots")])
    output(capsys)
    for name in ("registre.json", "registre.xlsx"):
        assert main(["register", "export", *w, str(tmp_path / name)]) == 0
        assert "29 demande(s)" in output(capsys)
        restored = tmp_path / f"{name}.sqlite3"
        assert main(["register", "import", "--register", str(restored), str(tmp_path / name)]) == 0
        assert "29 demande(s) ajoutée(s)" in output(capsys)
        assert main(["register", "list", "--register", str(restored), "--format", "json"]) == 0
        assert len(json.loads(output(capsys))["requests"]) == 29


def test_recording_an_older_bundle_and_a_missing_register_choice(demo_copy: Path, tmp_path: Path, capsys) -> None:
    main(["export", "-w", str(demo_copy), "--out", str(tmp_path / "depots"), "--no-register", "--zip",
          "--format", "json"])
    bundle = json.loads(output(capsys))["bundle"]
    assert main(["register", "list", "-w", str(demo_copy)]) == 0
    assert "Aucune demande suivie" in output(capsys)
    assert main(["register", "record", "-w", str(demo_copy), bundle]) == 0
    assert "32 nouvelle(s) demande(s)" in output(capsys)
    assert main(["register", "record", "-w", str(demo_copy), bundle]) == 0
    assert "déjà enregistré" in output(capsys)
    assert main(["register", "list"]) == 2
    assert "--workspace" in capsys.readouterr().err


def test_avances_deposited_before_the_app_are_taken_over_from_a_status_file(demo_copy: Path, capsys) -> None:
    w = ["-w", str(demo_copy)]
    statuses = str(demo_copy / "statuts_portail.csv")
    assert main(["register", "import-status", *w, statuses]) == 1
    assert "--adopt les reprend du dossier de travail" in output(capsys)
    assert main(["register", "import-status", *w, statuses, "--adopt", "--apply"]) == 1  # 0999 stays unknown
    text = output(capsys)
    assert "ligne 3 — À reprendre du dossier — BDC-2022-0009 — Absente du suivi" in text
    assert "7 demande(s) reprise(s) du dossier de travail dans le suivi." in text
    assert main(["validate", *w, "--format", "json"]) == 1
    codes = [d["code"] for d in json.loads(output(capsys))["diagnostics"]]
    assert codes.count("solde_sans_avance") == 1 and "solde_avance_non_validee" not in codes
    assert main(["register", "import-status", statuses, "--adopt", "--register", "r.sqlite3"]) == 2
    assert "--workspace" in capsys.readouterr().err


def test_every_register_action_speaks_json(demo_copy: Path, tmp_path: Path, capsys) -> None:
    w = ["-w", str(demo_copy)]
    main(["export", *w, "--out", str(tmp_path / "depots"), "--no-register", "--format", "json"])
    bundle = json.loads(output(capsys))["bundle"]
    assert main(["register", "record", *w, bundle, "--format", "json"]) == 0
    assert len(json.loads(output(capsys))["new"]) == 32  # --no-register: the soldes were not held back
    assert main(["register", "export", *w, str(tmp_path / "r.json"), "--format", "json"]) == 0
    assert json.loads(output(capsys))["requests"] == 32
    assert main(["register", "import", *w, str(tmp_path / "r.json"), "--format", "json"]) == 0
    assert json.loads(output(capsys))["requests_added"] == 0
    main(["register", "import-status", *w, str(demo_copy / "statuts_portail.csv"), "--apply"])
    output(capsys)
    assert main(["register", "follow-up", *w, "--out", str(tmp_path / "suivi"), "--format", "json"]) == 1
    report = json.loads(output(capsys))
    assert len(report["prepared"]) == 1 and report["skipped"][0]["reason"]
