"""`segur-desktop register avenant`, `set-status --avenant` and a follow-up for « incomplète », on the demo (#21)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

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


def solde_codes(w: list[str], bdc: str, capsys) -> list[str]:
    main(["validate", *w, "--format", "json"])
    report = json.loads(output(capsys))
    return [d["code"] for d in report["diagnostics"] if d["code"].startswith("solde_") and d.get("value") == bdc
            and d["severity"] == "error"]


def test_an_avenant_holds_back_the_solde_until_paid_and_incomplete_gets_a_followup(demo_copy, tmp_path, capsys):
    w = ["-w", str(demo_copy)]
    assert main(["export", *w, "--out", str(tmp_path / "depots"), "--format", "json"]) == 1
    bundle = Path(json.loads(output(capsys))["bundle"]).name
    assert main(["register", "set-status", *w, "--bundle", bundle, "en cours"]) == 0
    assert main(["register", "import-status", *w, str(demo_copy / "statuts_portail.csv"), "--apply"]) == 1
    output(capsys)
    assert main(["register", "list", *w, "--status", "validée", "--format", "json"]) == 0
    avance = next(r for r in json.loads(output(capsys))["requests"] if r["bdc_number"] == "BDC-2022-0009")
    assert solde_codes(w, "BDC-2022-0009", capsys) == []
    # An avenant « en cours » of the validated avance: its solde is refused.
    assert main(["register", "avenant", *w, avance["id"], "1"]) == 0
    assert f"{avance['id']} avenant n° 1 enregistré : « En cours »." in output(capsys)
    assert main(["register", "avenant", *w, avance["id"], "1"]) == 2  # already there
    assert "déjà enregistré" in capsys.readouterr().err
    assert solde_codes(w, "BDC-2022-0009", capsys) == ["solde_avenant_non_paye"]
    assert main(["register", "set-status", *w, "--avenant", "1", avance["id"], "décidée et payée"]) == 0
    assert f"{avance['id']} avenant n° 1 : En cours → Décidée et payée" in output(capsys)
    assert solde_codes(w, "BDC-2022-0009", capsys) == []
    assert main(["register", "show", *w, avance["id"]]) == 0
    shown = output(capsys)
    assert "Avenant n° 1 : Décidée et payée" in shown and "avenant n° 1 : « En cours » → « Décidée et payée »" in shown
    assert main(["register", "show", *w, avance["id"], "--format", "json"]) == 0
    assert json.loads(output(capsys))["avenants"][0]["status"] == "decidee_payee"
    # « Incomplète »: the follow-up, by default, resends its attachments.
    assert main(["register", "list", *w, "--status", "en cours", "--format", "json"]) == 0
    pending = json.loads(output(capsys))["requests"][0]["id"]
    assert main(["register", "set-status", *w, pending, "incomplète"]) == 0
    output(capsys)
    main(["register", "follow-up", *w, "--out", str(tmp_path / "suivi"), "--format", "json"])
    prepared = json.loads(output(capsys))["prepared"]
    assert pending in prepared
    (folder,) = (tmp_path / "suivi").iterdir()
    assert list((folder / pending).glob("*.pdf"))
