"""`segur-desktop export` and `segur-desktop verify`: exit statuses, French reports, hors délai."""

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from testdata import FINESS_A, RPPS_A

from segur_desktop.cli import main
from segur_desktop.core.paths import demo_workspace

CLIENTS = [["C1", "Centre hospitalier A", FINESS_A, None, "75011", "Paris"],
           ["C3", "Cabinet du Dr C", None, RPPS_A, "44000", "Nantes"]]
BDCS = [["B1", "C1", "Test DPI", "Avance", date(2022, 9, 1), 1000, "B1.pdf"],
        ["B2", "C3", "Test Cabinet", "Avance", date(2022, 9, 2), 1100, "B2.pdf"]]


def only_bundle(out: Path) -> Path:
    (bundle,) = out.iterdir()
    return bundle


def test_demo_export_writes_a_verified_bundle_and_exits_1_for_what_it_left_out(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "depots"
    assert main(["export", "-w", str(demo_workspace()), "--out", str(out)]) == 1
    text = capsys.readouterr().out
    assert "  HOP       avance           7         1         38\u202f850,00 €  30/11/2022 à 14:00 (ouvert)" in text
    assert "Écartées : 12 — détail dans recapitulatif.html et anomalies.xlsx :" in text
    assert "(BDC-2022-0002, HOP avance) : En erreur — " in text
    assert "(BDC-2022-0009, MDV solde) : En erreur — Aucune avance de ce bon de commande" in text
    assert "Paquet écrit et vérifié." in text and "Conforme : 29 demande(s) dans 6 fichier(s), 29 pièce(s)" in text
    assert "Suivi : 29 demande(s) enregistrée(s) « exportée » dans le registre" in text
    bundle = only_bundle(out)
    assert bundle.name.startswith("depot_") and bundle.name.endswith("_Medilog-Sante-SAS")
    assert main(["verify", str(bundle)]) == 0
    assert "Conforme : 29 demande(s)" in capsys.readouterr().out


def test_an_all_valid_workspace_exits_0_and_defaults_to_its_output_folder(make_workspace) -> None:
    folder = make_workspace(CLIENTS, BDCS)
    assert main(["export", "-w", str(folder)]) == 0
    bundle = only_bundle(folder / "sortie")
    assert {"HOP_avance.json", "HOP_avance_pieces.zip", "MDV_avance.json", "MDV_avance_pieces.zip"} <= {
        p.name for p in bundle.iterdir()}


def test_zip_and_json_report(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "depots"
    main(["export", "-w", str(demo_workspace()), "--out", str(out), "--zip", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    bundle = Path(report["bundle"])
    assert bundle.suffix == ".zip" and only_bundle(out) == bundle
    assert report["verification"]["ok"] is True and len(report["manifest"]["deposits"]) == 6
    assert len(report["recorded"]["new"]) == 29
    assert len(report["left_out"]) == 12
    assert {g["couloir"] for g in report["groups"]} == {"BIO", "HOP", "MDV", "MS1", "MSS", "PHA"}
    assert main(["verify", str(bundle), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_a_closed_guichet_needs_hors_delai_which_the_manifest_records(tmp_path: Path, capsys) -> None:
    at = ["--at", "2022-12-01T09:00:00+01:00"]
    assert main(["export", "-w", str(demo_workspace()), "--out", str(tmp_path / "a"), *at]) == 1
    text = capsys.readouterr().out
    assert ("Guichet fermé : HOP avance (30/11/2022 à 14:00), 7 demande(s) valide(s) non exportée(s). Pour les "
            "déposer malgré tout : --late HOP/avance") in text
    assert not (only_bundle(tmp_path / "a") / "HOP_avance.json").exists()
    main(["export", "-w", str(demo_workspace()), "--out", str(tmp_path / "b"), *at, "--late", "hop/AVANCE"])
    bundle = only_bundle(tmp_path / "b")
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    assert [(h["couloir"], h["type"]) for h in manifest["hors_delai"]] == [("HOP", "avance")]
    capsys.readouterr()
    assert main(["verify", str(bundle)]) == 0
    assert "Hors délai : HOP avance, guichet fermé le 30/11/2022 à 14:00" in capsys.readouterr().out


def test_nothing_to_export_writes_nothing_and_exits_1(tmp_path: Path, capsys) -> None:
    out = tmp_path / "depots"
    assert main(["export", "-w", str(demo_workspace()), "--out", str(out), "--only", "RAD/avance"]) == 1
    assert "Aucun paquet écrit : aucune demande ne peut être exportée." in capsys.readouterr().out
    assert not out.exists()


def test_verify_exits_1_on_a_tampered_bundle_and_2_on_what_is_not_a_bundle(tmp_path: Path, capsys) -> None:
    main(["export", "-w", str(demo_workspace()), "--out", str(tmp_path / "out")])
    bundle = only_bundle(tmp_path / "out")
    shutil.copy(bundle / "HOP_avance.json", bundle / "copie.json")
    capsys.readouterr()
    assert main(["verify", str(bundle)]) == 1
    text = capsys.readouterr().out
    assert "NON CONFORME : 1 problème(s). Ne déposez pas ce paquet en l'état" in text
    assert "  - « copie.json » est dans le paquet mais pas dans son manifeste" in text
    assert main(["verify", str(tmp_path)]) == 2
    assert "n'est pas un paquet de dépôt Segur Desktop : il n'a pas de manifest.json" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["HOP", "HOP/avances", "/solde"])
def test_a_malformed_couloir_and_type_is_refused_in_french(value: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "-w", str(demo_workspace()), "--late", value])
    assert exit_info.value.code == 2
    assert "indiquez COULOIR/TYPE, par exemple HOP/avance ou MDV/solde" in capsys.readouterr().err
