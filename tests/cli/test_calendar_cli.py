"""`segur-desktop calendar`: each guichet's state and time left at an instant, the files in force."""

import json
import re
from pathlib import Path

import pytest

from segur_desktop.cli import main

VAGUE1_AVANCES = ("HOP", "MDV", "BIO", "RAD")


def rows(out: str) -> dict[tuple[str, str, str], list[str]]:
    """The table's rows by (vague, couloir, guichet): [state, échéance, temps], split on the column gaps."""
    table = {}
    for line in out.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) == 6 and cells[0] != "Vague":
            table[tuple(cells[:3])] = cells[3:]
    return table




def test_one_minute_before_the_vague1_closing(capsys: pytest.CaptureFixture) -> None:
    assert main(["calendar", "--at", "2022-11-30T13:59:00+01:00"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Guichets de tous les couloirs au 30/11/2022 13:59:00 (heure de Paris)\n")
    table = rows(out)
    for couloir in VAGUE1_AVANCES:
        assert table["1", couloir, "avance"] == ["ouvert", "fermeture : 30/11/2022 à 14:00", "reste 1 min"]
    assert table["1", "PHA", "avance"] == ["ouvert", "fermeture : 15/03/2023 à 14:00", "reste 105 j 1 min"]
    assert table["1", "MSS", "solde"][0] == "pas encore ouvert"
    assert table["2", "HOP", "avance (PFI)"][:2] == ["pas encore ouvert", "ouverture : 12/09/2024 à 14:00"]
    assert "Heure non communiquée : compté jusqu'au début de ce jour." in out
    assert "Jour non communiqué : compté jusqu'au début du mois." in out  # SAS: only the month was published


@pytest.mark.parametrize(("at", "time"), [("2022-11-30T14:00:00+01:00", "depuis 0 s"),
                                          ("2022-11-30T14:01:00+01:00", "depuis 1 min"),
                                          ("2022-11-30T14:01", "depuis 1 min")])  # no offset: Paris time
def test_closed_from_the_closing_minute(capsys: pytest.CaptureFixture, at: str, time: str) -> None:
    assert main(["calendar", "--at", at]) == 0
    table = rows(capsys.readouterr().out)
    for couloir in VAGUE1_AVANCES:
        assert table["1", couloir, "avance"] == ["fermé", "fermeture : 30/11/2022 à 14:00", time]
        assert table["1", couloir, "solde"][0] == "ouvert"


def test_json_gives_states_and_exact_seconds(capsys: pytest.CaptureFixture) -> None:
    assert main(["calendar", "--at", "2022-11-30T13:59:00+01:00", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["at"] == "2022-11-30T13:59:00+01:00" and report["workspace"] is None
    assert [(f["vague"], f["origin"], f["user_override"]) for f in report["files"]] == [
        ("1", "intégré", False), ("2", "intégré", False)]
    hop = report["guichets"][0]
    assert "seed 000_1cc247a76bd23e62.txt" in hop["closing"].pop("source")
    assert hop == {
        "vague": "1", "couloir": "HOP", "couloir_name": None, "type": "avance", "software_kind": None,
        "state": "open", "state_label": "ouvert", "urgency": "urgent", "opening": None,
        "closing": {"date": "2022-11-30", "time": "14:00", "instant": "2022-11-30T14:00:00+01:00",
                    "latest": "2022-11-30T14:00:00+01:00", "label": "30/11/2022 à 14:00",
                    "changes": [], "change_label": None},
        "counts_to": "fermeture", "closing_uncertain": False, "note": None, "seconds": 60, "duration": "1 min"}
    by_key = {(g["vague"], g["couloir"], g["type"], g["software_kind"]): g for g in report["guichets"]}
    assert by_key["1", "PHA", "avance", None]["closing"]["time"] == "14:00"
    assert by_key["1", "MS1", "avance", None]["closing"]["time"] is None
    assert by_key["1", "SAS", "avance", None]["opening"]["date"] == "2023-05"
    assert by_key["2", "HOP", "avance", "DPI"]["state"] == "not_open_yet"
    assert by_key["2", "RAD", "avance", None]["counts_to"] == "ouverture"


def test_workspace_restricts_to_its_couloirs_at_its_control_instant(demo: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["calendar", "--workspace", str(demo)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Guichets des couloirs du dossier « Démo — Médilog Santé » au 28/11/2022 10:00:00")
    table = rows(out)
    assert sorted({couloir for _vague, couloir, _kind in table}) == ["BIO", "HOP", "MDV", "MS1", "MSS", "PHA"]
    assert table["1", "HOP", "avance"] == ["ouvert", "fermeture : 30/11/2022 à 14:00", "reste 2 j 4 h"]
    assert main(["calendar", "-w", str(demo), "--at", "2023-12-14T14:00", "--format", "json"]) == 0  # soldes closing
    states = {(g["couloir"], g["type"]): g["state"] for g in json.loads(capsys.readouterr().out)["guichets"]}
    assert states[("HOP", "solde")] == "closed" and states[("MS1", "avance")] == "open"


def test_user_calendar_is_named_as_in_force(user_data: Path, capsys: pytest.CaptureFixture) -> None:
    folder = user_data / "resources" / "calendar"
    folder.mkdir(parents=True)
    (folder / "vague2.json").write_text(json.dumps({"schema_version": 1, "vague": "2", "evenements": [
        {"couloir": "HOP", "type": "avance", "type_logiciel": "DPI", "evenement": "fermeture", "date": "2026-03-31",
         "heure": None, "source": "test"}]}), encoding="utf-8")
    assert main(["calendar", "--at", "2026-03-30T00:00:00"]) == 0
    out = capsys.readouterr().out
    assert f"  vague 2 — utilisateur : {folder / 'vague2.json'}" in out
    assert "  vague 1 — intégré : " in out
    assert rows(out)["2", "HOP", "avance (DPI)"] == ["ouvert", "fermeture : 31/03/2026 (heure non communiquée)",
                                                      "reste 1 j"]


def test_malformed_user_calendar_is_exit_2_in_french(user_data: Path, capsys: pytest.CaptureFixture) -> None:
    folder = user_data / "resources" / "calendar"
    folder.mkdir(parents=True)
    (folder / "vague1.json").write_text(json.dumps({"schema_version": 1, "vague": "1", "evenements": [
        {"couloir": "HOP", "type": "avance", "evenement": "fermeture", "date": "2022-11-30", "heure": "14h",
         "source": "x"}]}), encoding="utf-8")
    assert main(["calendar"]) == 2
    err = capsys.readouterr().err
    assert "vague1.json" in err and "est mal formé : événement n° 1 : Heure de l'événement" in err
    assert "Traceback" not in err


def test_bad_instant_and_bad_workspace(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["calendar", "--at", "demain"])
    assert exit_info.value.code == 2 and "ISO 8601" in capsys.readouterr().err
    assert main(["calendar", "--workspace", str(tmp_path)]) == 2
    assert "n'est pas un dossier de travail" in capsys.readouterr().err
