"""Issue #21 « What it must show » for the calendar: `segur-desktop calendar` at the PHA avance closing minute,
the PHA solde postponed to 20/09/2023, a closing of unknown hour on its own day, vague 2 « Imagerie »."""

import json
import re

import pytest

from segur_desktop.cli import main

POSTPONED = "fermeture reportée au 20/09/2023 (heure non communiquée), au lieu du 28/04/2023 à 14:00"


def rows(out: str) -> dict[tuple[str, str, str], list[str]]:
    """The table's rows by (vague, couloir, guichet): [state, échéance, temps], split on the column gaps."""
    table = {}
    for line in out.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) == 6 and cells[0] != "Vague":
            table[tuple(cells[:3])] = cells[3:]
    return table


def calendar(capsys: pytest.CaptureFixture, at: str, *more: str) -> str:
    assert main(["calendar", "--at", at, *more]) == 0
    return capsys.readouterr().out


def test_pha_avance_open_at_13_59_closed_at_14_01(capsys: pytest.CaptureFixture) -> None:
    before = rows(calendar(capsys, "2023-03-15T13:59:00+01:00"))
    assert before["1", "PHA", "avance"] == ["ouvert", "fermeture : 15/03/2023 à 14:00", "reste 1 min"]
    after = rows(calendar(capsys, "2023-03-15T14:01:00+01:00"))
    assert after["1", "PHA", "avance"] == ["fermé", "fermeture : 15/03/2023 à 14:00", "depuis 1 min"]


def test_pha_solde_open_on_01_09_2023_and_said_postponed(capsys: pytest.CaptureFixture) -> None:
    out = calendar(capsys, "2023-09-01T12:00:00")
    assert rows(out)["1", "PHA", "solde"] == ["ouvert", POSTPONED, "reste 18 j 12 h"]
    assert "Heure non communiquée : compté jusqu'au début de ce jour." in out
    assert ("  vague 1 PHA solde : " + POSTPONED + " (date de l'annonce non connue)") in out
    # the former closing no longer closes it
    assert rows(calendar(capsys, "2023-04-28T14:01:00"))["1", "PHA", "solde"][0] == "ouvert"


def test_pha_solde_on_its_day_of_unknown_hour_then_closed(capsys: pytest.CaptureFixture) -> None:
    out = calendar(capsys, "2023-09-20T16:00:00")
    assert rows(out)["1", "PHA", "solde"] == ["ouvert", POSTPONED, "ferme aujourd'hui"]
    assert ("Heure non communiquée : peut fermer à tout moment aujourd'hui, tenu pour ouvert jusqu'à la fin de ce "
            "jour.") in out
    out = calendar(capsys, "2023-09-21T01:00:00")
    assert rows(out)["1", "PHA", "solde"] == ["fermé", POSTPONED, "depuis 1 h"]
    assert "Heure non communiquée : tenu pour fermé à la fin de ce jour." in out


def test_json_gives_the_change_and_its_source(capsys: pytest.CaptureFixture) -> None:
    report = json.loads(calendar(capsys, "2023-09-20T16:00:00", "--format", "json"))
    solde = next(g for g in report["guichets"] if (g["vague"], g["couloir"], g["type"]) == ("1", "PHA", "solde"))
    assert (solde["state"], solde["closing_uncertain"], solde["seconds"]) == ("open", True, 0)
    assert solde["urgency"] == "urgent"
    closing = solde["closing"]
    assert (closing["date"], closing["time"]) == ("2023-09-20", None)
    assert closing["instant"] == "2023-09-20T00:00:00+02:00"  # what countdowns count to
    assert closing["latest"] == "2023-09-21T00:00:00+02:00"  # closed from here
    [change] = closing["changes"]
    assert {k: change[k] for k in ("previous_date", "previous_time", "date", "time", "postponed", "announced")} == {
        "previous_date": "2023-04-28", "previous_time": "14:00", "date": "2023-09-20", "time": None,
        "postponed": True, "announced": None}
    assert "lepharmaciendefrance.fr" in change["source"]
    assert closing["change_label"] == POSTPONED.removeprefix("fermeture ")


def test_vague2_imagerie(capsys: pytest.CaptureFixture) -> None:
    table = rows(calendar(capsys, "2025-05-15T14:00:00"))
    assert table["2", "RAD (Imagerie)", "enrôlement"] == ["ouvert", "fermeture non publiée", "—"]
    assert table["2", "RAD (Imagerie)", "avance"] == ["pas encore ouvert", "ouverture : 10/07/2025 à 14:00",
                                                      "dans 56 j"]
    report = json.loads(calendar(capsys, "2025-05-15T13:00:00", "--format", "json"))
    enrolement = next(g for g in report["guichets"]
                      if (g["vague"], g["couloir"], g["type"]) == ("2", "RAD", "enrolement"))
    assert (enrolement["couloir_name"], enrolement["state"], enrolement["opening"]["instant"]) == (
        "Imagerie", "not_open_yet", "2025-05-15T14:00:00+02:00")
