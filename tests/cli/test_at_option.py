"""`--at` as users write it (JJ/MM/AAAA, JJ/MM/AAAA HH:MM[:SS], Paris time) or ISO 8601; help texts that tell the truth."""

import argparse
import json
from datetime import datetime
from pathlib import Path

import pytest

from segur_desktop.cli import main
from segur_desktop.cli.common import instant
from segur_desktop.core.calendar import PARIS, parse_instant


@pytest.mark.parametrize(("text", "expected"), [
    ("25/11/2022", "2022-11-25T00:00:00+01:00"),
    ("25/11/2022 10:00", "2022-11-25T10:00:00+01:00"),
    ("25/11/2022 10:00:30", "2022-11-25T10:00:30+01:00"),
    ("03/07/2023 14:00", "2023-07-03T14:00:00+02:00"),  # summer time: Paris, not a fixed offset
    (" 30/11/2022 13:59 ", "2022-11-30T13:59:00+01:00"),
    ("2022-11-30T13:59:00+01:00", "2022-11-30T13:59:00+01:00"),
    ("2022-11-30T13:59", "2022-11-30T13:59:00+01:00"),
    ("2022-11-30", "2022-11-30T00:00:00+01:00"),
])
def test_french_and_iso_instants_are_paris_time(text: str, expected: str) -> None:
    value = instant(text)
    assert value == parse_instant(expected)
    assert value.astimezone(PARIS).utcoffset() == datetime.fromisoformat(expected).utcoffset()


@pytest.mark.parametrize("text", ["31/02/2022", "25-11-2022", "25/11/22", "25/11/2022 25:00", "demain", ""])
def test_a_wrong_value_is_a_french_error(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError) as raised:
        instant(text)
    assert str(raised.value).startswith(f"« {text} » n'est pas une date reconnue : écrivez JJ/MM/AAAA")


def test_the_command_line_refuses_it_in_french(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["calendar", "--at", "31/02/2022"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "erreur" in err and "« 31/02/2022 » n'est pas une date reconnue" in err


def test_calendar_takes_a_french_date(capsys: pytest.CaptureFixture) -> None:
    assert main(["calendar", "--at", "30/11/2022 13:59"]) == 0
    assert capsys.readouterr().out.startswith("Guichets de tous les couloirs au 30/11/2022 13:59:00 (heure de Paris)")


def test_validate_judges_at_a_french_date(capsys: pytest.CaptureFixture, demo: Path) -> None:
    main(["validate", "-w", str(demo), "--at", "01/12/2022 09:00", "--format", "json", "--no-register"])
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["at"] == "2022-12-01T09:00:00+01:00"


@pytest.mark.parametrize("command", ["validate", "build", "export", "calendar"])
def test_help_says_the_formats_and_the_true_default(command: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--at INSTANT" in help_text
    assert "JJ/MM/AAAA, JJ/MM/AAAA HH:MM (heure de Paris) ou ISO 8601" in help_text
    assert "défaut : la date_controle du dossier de travail si elle existe, sinon maintenant" in help_text
    assert "défaut : maintenant" not in help_text
